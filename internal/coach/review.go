// Package coach is Cara's practice logic. Today: written-message reviews by
// the offline coach, saved for History.
package coach

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cara-coach/cara/internal/analysis"
	"github.com/cara-coach/cara/internal/cara"
)

// Review is one saved practice: a text and the offline coach's report on it.
type Review struct {
	ID        string          `json:"id"`
	Title     string          `json:"title"`
	Text      string          `json:"text"`
	Source    string          `json:"source"` // "paste" or the file name it came from
	CreatedAt time.Time       `json:"createdAt"`
	Report    analysis.Report `json:"report"`
	// Ask Cara: AI is the latest feedback and rewrite; AIStatus/AIError as
	// for chats; AIMode is the mode asked for (kept while pending).
	AI       *ReviewAI `json:"ai,omitempty"`
	AIStatus string    `json:"aiStatus"`
	AIError  string    `json:"aiError,omitempty"`
	// AIErrorCode, AIRetryAt: see Chat.
	AIErrorCode string     `json:"aiErrorCode,omitempty"`
	AIRetryAt   *time.Time `json:"aiRetryAt,omitempty"`
	AIMode      string     `json:"aiMode,omitempty"`
	cara.SyncMeta
}

// ReviewSummary is what History lists: enough to choose one, not the text.
type ReviewSummary struct {
	ID        string          `json:"id"`
	Title     string          `json:"title"`
	CreatedAt time.Time       `json:"createdAt"`
	Words     int             `json:"words"`
	Flags     int             `json:"flags"`
	Scores    analysis.Scores `json:"scores"`
	AIStatus  string          `json:"aiStatus"`
}

// Summary returns the History line for r.
func (r Review) Summary() ReviewSummary {
	return ReviewSummary{
		ID:        r.ID,
		Title:     r.Title,
		CreatedAt: r.CreatedAt,
		Words:     r.Report.Counts.Words,
		Flags:     len(r.Report.Flags),
		Scores:    r.Report.Scores,
		AIStatus:  r.AIStatus,
	}
}

// ReviewStore keeps each user's reviews apart. Implementations return
// *cara.Error ENOTFOUND for an id that is unknown, deleted or another user's.
type ReviewStore interface {
	CreateReview(ctx context.Context, userID string, r Review) error
	ListReviews(ctx context.Context, userID string) ([]ReviewSummary, error)
	GetReview(ctx context.Context, userID, id string) (Review, error)
	DeleteReview(ctx context.Context, userID, id string) error
}

// Reviews analyses texts and keeps the results.
type Reviews struct {
	store ReviewStore
	newID func() string
	now   func() time.Time
}

// NewReviews returns a Reviews over store; newID makes sortable unique ids (ULIDs).
func NewReviews(store ReviewStore, newID func() string, now func() time.Time) *Reviews {
	return &Reviews{store: store, newID: newID, now: now}
}

// ReviewInput is a text to review and where it came from.
type ReviewInput struct {
	Title  string `json:"title"`
	Text   string `json:"text"`
	Source string `json:"source"`
	// Repaired is true when the text came from a file whose invalid UTF-8
	// was already replaced, so the report can say so.
	Repaired bool `json:"repaired"`
}

// Create analyses in.Text and saves the review for userID. Input errors come
// back as *cara.Error with the message to show.
func (s *Reviews) Create(ctx context.Context, userID string, in ReviewInput) (Review, error) {
	report, err := analysis.Analyze(in.Text, analysis.Options{})
	if err != nil {
		return Review{}, err
	}
	if in.Repaired {
		report.MarkRepaired()
	}
	text := in.Text
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, "\uFFFD")
	}
	now := s.now().UTC()
	r := Review{
		ID:        s.newID(),
		Title:     TitleFor(in.Title, text),
		Text:      text,
		Source:    sourceOrPaste(in.Source),
		CreatedAt: now,
		Report:    report,
	}
	r.UpdatedHLC = cara.HLC{WallMS: now.UnixMilli()}
	if err := s.store.CreateReview(ctx, userID, r); err != nil {
		return Review{}, err
	}
	return r, nil
}

// List returns userID's saved reviews, newest first.
func (s *Reviews) List(ctx context.Context, userID string) ([]ReviewSummary, error) {
	return s.store.ListReviews(ctx, userID)
}

// Get returns one of userID's saved reviews.
func (s *Reviews) Get(ctx context.Context, userID, id string) (Review, error) {
	return s.store.GetReview(ctx, userID, id)
}

// Delete removes one of userID's reviews, content and all.
func (s *Reviews) Delete(ctx context.Context, userID, id string) error {
	return s.store.DeleteReview(ctx, userID, id)
}

const maxTitleRunes = 80

// TitleFor is the given title, or else the text's first non-empty line, cut
// to a readable length at a word boundary.
func TitleFor(title, text string) string {
	title = strings.TrimSpace(title)
	if title == "" {
		for _, line := range strings.Split(text, "\n") {
			if line = strings.TrimSpace(line); line != "" {
				title = line
				break
			}
		}
	}
	title = strings.Join(strings.Fields(title), " ")
	if utf8.RuneCountInString(title) <= maxTitleRunes {
		return title
	}
	runes := []rune(title)[:maxTitleRunes]
	cut := string(runes)
	if i := strings.LastIndexByte(cut, ' '); i > maxTitleRunes/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,.;:-") + "…"
}

func sourceOrPaste(s string) string {
	if s = strings.TrimSpace(s); s == "" {
		return "paste"
	}
	return s
}
