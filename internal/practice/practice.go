// Package practice holds the hosted server's practice data: practice
// sessions (a role-play, a review, a listening exercise …), analytics events,
// the stats and per-feature adoption built from them, and the Gemini proxy's
// daily token usage. It defines the Store the server needs; PostgreSQL and
// bbolt implement it, and practicetest checks both against one contract.
package practice

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/cara-coach/cara/internal/cara"
)

// Feature types a practice session or event can be about.
const (
	FeatureRoleplay   = "roleplay"
	FeatureReview     = "review"
	FeatureListening  = "listening"
	FeatureTranslator = "translator"
	FeatureAskCara    = "ask_cara"
)

// Features lists every feature type, in display order.
var Features = []string{FeatureRoleplay, FeatureReview, FeatureListening, FeatureTranslator, FeatureAskCara}

// KnownFeature reports whether f is one of Features.
func KnownFeature(f string) bool {
	for _, x := range Features {
		if x == f {
			return true
		}
	}
	return false
}

// Session statuses.
const (
	StatusInProgress = "in_progress"
	StatusCompleted  = "completed"
	StatusAbandoned  = "abandoned"
)

// Limits on what a client may store.
const (
	MaxTitleRunes   = 200
	MaxDataBytes    = 64 << 10 // a session's free-form JSON data
	MaxPropsBytes   = 8 << 10  // an event's properties
	MaxEventType    = 64
	MaxDuration     = 24 * 60 * 60 // seconds
	DefaultPageSize = 20
	MaxPageSize     = 100
)

// ErrNotFound is what a Store returns for a session that does not exist or
// belongs to another user: the two are never told apart.
var ErrNotFound = errors.New("practice store: not found")

// ErrSessionNotFound is the person-facing form of ErrNotFound.
var ErrSessionNotFound = &cara.Error{Code: cara.ENOTFOUND, Message: "Practice session not found"}

// Session is one practice session of one user.
type Session struct {
	ID              string          `json:"id"`
	UserID          string          `json:"userId"`
	FeatureType     string          `json:"featureType"`
	Title           string          `json:"title"`
	Status          string          `json:"status"`
	Score           *int            `json:"score"` // 0–100; nil until scored
	DurationSeconds int             `json:"durationSeconds"`
	Data            json.RawMessage `json:"data"` // a JSON object, kept as sent (numbers keep their digits)
	CreatedAt       time.Time       `json:"createdAt"`
	UpdatedAt       time.Time       `json:"updatedAt"`
	CompletedAt     *time.Time      `json:"completedAt"`
}

// Patch is a partial update of a Session: nil fields are left as they are.
type Patch struct {
	Title           *string
	Status          *string
	Score           *int
	DurationSeconds *int
	Data            json.RawMessage // replaces Data when non-nil
}

// Apply returns s with p applied at now. Completing a session stamps
// CompletedAt once; leaving "completed" clears it. UpdatedAt is always now.
func (p Patch) Apply(s Session, now time.Time) Session {
	if p.Title != nil {
		s.Title = *p.Title
	}
	if p.Status != nil {
		s.Status = *p.Status
		switch {
		case s.Status != StatusCompleted:
			s.CompletedAt = nil // no longer completed: stats must not count it
		case s.CompletedAt == nil:
			t := now
			s.CompletedAt = &t
		}
	}
	if p.Score != nil {
		v := *p.Score
		s.Score = &v
	}
	if p.DurationSeconds != nil {
		s.DurationSeconds = *p.DurationSeconds
	}
	if p.Data != nil {
		s.Data = p.Data
	}
	s.UpdatedAt = now
	return s
}

// Filter selects a page of a user's sessions, newest first.
type Filter struct {
	FeatureType string // "" for all
	Limit       int    // 1–MaxPageSize
	Offset      int
}

// Event is one analytics event of a user.
type Event struct {
	ID          string          `json:"id"`
	UserID      string          `json:"userId"`
	EventType   string          `json:"eventType"`
	FeatureType string          `json:"featureType,omitempty"`
	Properties  json.RawMessage `json:"properties,omitempty"` // a JSON object, or nil
	CreatedAt   time.Time       `json:"createdAt"`
}

// FeatureSummary is what a Store aggregates for one user and one feature
// type; Stats and Adoption are built from these.
type FeatureSummary struct {
	FeatureType       string
	Sessions          int
	Completed         int
	Scored            int // sessions with a score
	ScoreSum          int
	DurationSeconds   int
	Events            int
	FirstUsedAt       time.Time // earliest session or event; zero if none
	LastUsedAt        time.Time // latest session update or event; zero if none
	SessionsSince7d   int       // sessions created in the 7 days before the "now" passed to Summaries
	CompletedSince30d int       // sessions completed in the 30 days before now
}

// Store is the persistence the server's practice API needs. Methods are safe
// for concurrent use; every read is scoped to one user, so another user's
// data is never visible (ErrNotFound, or simply absent from lists).
type Store interface {
	// CreatePracticeSession inserts s (s.ID is a new ULID).
	CreatePracticeSession(ctx context.Context, s Session) error
	// PracticeSession returns the user's session with that ID, or ErrNotFound
	// (also for another user's session).
	PracticeSession(ctx context.Context, userID, id string) (Session, error)
	// UpdatePracticeSession applies p at now to the user's session in one
	// transaction and returns the result, or ErrNotFound.
	UpdatePracticeSession(ctx context.Context, userID, id string, p Patch, now time.Time) (Session, error)
	// PracticeSessions returns a page of the user's sessions (filtered by
	// feature type when f.FeatureType is set), newest first (CreatedAt, then
	// ID, descending), and the total number matching the filter.
	PracticeSessions(ctx context.Context, userID string, f Filter) ([]Session, int, error)

	// AddEvent stores an analytics event.
	AddEvent(ctx context.Context, e Event) error
	// Summaries aggregates the user's sessions and events per feature type
	// (only feature types that have any). now anchors the 7- and 30-day
	// windows.
	Summaries(ctx context.Context, userID string, now time.Time) ([]FeatureSummary, error)

	// AddUsage adds tokens to the user's usage on day ("2006-01-02", UTC)
	// and returns the new total for that day.
	AddUsage(ctx context.Context, userID, day string, tokens int) (int, error)
	// Usage returns the user's token total on day (0 if none): what was
	// spent, not what is reserved.
	Usage(ctx context.Context, userID, day string) (int, error)
	// ReserveUsage sets tokens of the user's daily limit aside for a call
	// about to be made, atomically: it grants min(want, limit − Used −
	// Reserved), or 0 when nothing is left, adds the grant to Reserved and
	// returns it with the day's usage after. However many run at once, on
	// however many servers, they never grant more than the limit in all.
	ReserveUsage(ctx context.Context, userID, day string, want, limit int) (granted int, after DayUsage, err error)
	// SettleUsage ends a reservation, atomically: Reserved loses reserved
	// (never below 0) and Used gains spent, what the call really used (0
	// when it failed without spending). It returns the day's usage after.
	SettleUsage(ctx context.Context, userID, day string, reserved, spent int) (DayUsage, error)
}

// DayUsage is a user's Gemini proxy tokens on one UTC day.
type DayUsage struct {
	Used     int // spent, as Gemini reported it (usageMetadata)
	Reserved int // set aside by calls still in flight
}
