package server

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/oklog/ulid/v2"

	"github.com/cara-coach/cara/internal/cara"
	"github.com/cara-coach/cara/internal/practice"
)

func newID(now time.Time) string { return ulid.MustNew(ulid.Timestamp(now), rand.Reader).String() }

func invalid(format string, args ...any) error {
	return &cara.Error{Code: cara.EINVALID, Message: fmt.Sprintf(format, args...)}
}

// practiceFields are the writable fields of a practice session, all
// optional in the JSON (creation requires featureType).
type practiceFields struct {
	FeatureType     *string         `json:"featureType"`
	Title           *string         `json:"title"`
	Status          *string         `json:"status"`
	Score           json.RawMessage `json:"score"` // whole numbers, checked by wholeNumber
	DurationSeconds json.RawMessage `json:"durationSeconds"`
	Data            json.RawMessage `json:"data"`
}

// wholeNumber reads an optional whole number from lo to hi: nil when raw
// is absent or null. Anything else (87.5, "87", 1e30) is refused with a
// message that says what is wanted, rather than the decoder's "must be a
// number" for 87.5.
func wholeNumber(field string, raw json.RawMessage, lo, hi int) (*int, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil, nil
	}
	f, err := strconv.ParseFloat(string(raw), 64)
	if err != nil || f != math.Trunc(f) || f < float64(lo) || f > float64(hi) {
		return nil, invalid("%s must be a whole number from %d to %d", field, lo, hi)
	}
	n := int(f)
	return &n, nil
}

var statuses = []string{practice.StatusInProgress, practice.StatusCompleted, practice.StatusAbandoned}

// patch checks the fields and turns them into a Patch.
func (f practiceFields) patch() (practice.Patch, error) {
	var p practice.Patch
	if f.Title != nil {
		t := strings.TrimSpace(*f.Title)
		if utf8.RuneCountInString(t) > practice.MaxTitleRunes {
			return p, invalid("title must be at most %d characters", practice.MaxTitleRunes)
		}
		if !utf8.ValidString(t) || strings.ContainsFunc(t, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			return p, invalid("title must be plain text on one line")
		}
		p.Title = &t
	}
	if f.Status != nil {
		ok := false
		for _, s := range statuses {
			ok = ok || *f.Status == s
		}
		if !ok {
			return p, invalid("status must be one of: %s", strings.Join(statuses, ", "))
		}
		p.Status = f.Status
	}
	var err error
	if p.Score, err = wholeNumber("score", f.Score, 0, 100); err != nil {
		return p, err
	}
	if p.DurationSeconds, err = wholeNumber("durationSeconds", f.DurationSeconds, 0, practice.MaxDuration); err != nil {
		return p, err
	}
	if len(f.Data) > 0 && !bytes.Equal(bytes.TrimSpace(f.Data), []byte("null")) {
		data, err := jsonObject("data", f.Data, practice.MaxDataBytes)
		if err != nil {
			return p, err
		}
		p.Data = data
	}
	return p, nil
}

func checkFeature(f string, required bool) error {
	switch {
	case f == "" && required:
		return invalid("featureType is required (one of: %s)", strings.Join(practice.Features, ", "))
	case f != "" && !practice.KnownFeature(f):
		return invalid("featureType must be one of: %s", strings.Join(practice.Features, ", "))
	}
	return nil
}

func (s *Server) createPractice(w http.ResponseWriter, r *http.Request) {
	var f practiceFields
	if !decodeJSON(w, r, &f, false) {
		return
	}
	feature := ""
	if f.FeatureType != nil {
		feature = *f.FeatureType
	}
	if err := checkFeature(feature, true); err != nil {
		s.writeError(w, r, err)
		return
	}
	p, err := f.patch()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	now := s.now().UTC().Truncate(time.Microsecond)
	sess := p.Apply(practice.Session{
		ID: newID(now), UserID: identity(r).UserID, FeatureType: feature,
		Status: practice.StatusInProgress, Data: json.RawMessage(`{}`), CreatedAt: now,
	}, now)
	if err := s.store.CreatePracticeSession(r.Context(), sess); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"session": sess})
}

// pathID is the route's {id} if it can name something: every ID the server
// hands out is a ULID, so anything else (a NUL, invalid UTF-8, a typo) is
// not found without asking the store, which PostgreSQL would refuse with
// an error instead (it can't hold NUL in text).
func pathID(r *http.Request) (string, bool) {
	id := r.PathValue("id")
	_, err := ulid.ParseStrict(id)
	return id, err == nil
}

func (s *Server) getPractice(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		s.writeError(w, r, practice.ErrSessionNotFound)
		return
	}
	sess, err := s.store.PracticeSession(r.Context(), identity(r).UserID, id)
	if err != nil {
		s.writeError(w, r, practiceErr(err))
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"session": sess})
}

func practiceErr(err error) error {
	if errors.Is(err, practice.ErrNotFound) {
		return practice.ErrSessionNotFound
	}
	return err
}

func (s *Server) updatePractice(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		s.writeError(w, r, practice.ErrSessionNotFound)
		return
	}
	var f practiceFields
	if !decodeJSON(w, r, &f, false) {
		return
	}
	if f.FeatureType != nil {
		s.writeError(w, r, invalid("featureType can't be changed"))
		return
	}
	p, err := f.patch()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	now := s.now().UTC().Truncate(time.Microsecond)
	sess, err := s.store.UpdatePracticeSession(r.Context(), identity(r).UserID, id, p, now)
	if err != nil {
		s.writeError(w, r, practiceErr(err))
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"session": sess})
}

// pageParams reads ?page (from 1) and ?limit (1–100, default 20).
func pageParams(r *http.Request) (page, limit int, err error) {
	page, limit = 1, practice.DefaultPageSize
	q := r.URL.Query()
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1_000_000 {
			return 0, 0, invalid("page must be a whole number from 1")
		}
		page = n
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > practice.MaxPageSize {
			return 0, 0, invalid("limit must be a whole number from 1 to %d", practice.MaxPageSize)
		}
		limit = n
	}
	return page, limit, nil
}

type pagination struct {
	Page       int `json:"page"`
	Limit      int `json:"limit"`
	Total      int `json:"total"`
	TotalPages int `json:"totalPages"`
}

func (s *Server) listPractice(w http.ResponseWriter, r *http.Request) {
	page, limit, err := pageParams(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	feature := r.URL.Query().Get("featureType")
	if err := checkFeature(feature, false); err != nil {
		s.writeError(w, r, err)
		return
	}
	list, total, err := s.store.PracticeSessions(r.Context(), identity(r).UserID, practice.Filter{
		FeatureType: feature, Limit: limit, Offset: (page - 1) * limit,
	})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"sessions":   list,
		"pagination": pagination{Page: page, Limit: limit, Total: total, TotalPages: (total + limit - 1) / limit},
	})
}

type eventRequest struct {
	EventType   string          `json:"eventType"`
	FeatureType string          `json:"featureType"`
	Properties  json.RawMessage `json:"properties"`
}

// validEventType: 1–64 of a-z, 0-9 and _ . : -
func validEventType(t string) bool {
	if t == "" || len(t) > practice.MaxEventType {
		return false
	}
	for _, c := range t {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.ContainsRune("_.:-", c)) {
			return false
		}
	}
	return true
}

func (s *Server) addEvent(w http.ResponseWriter, r *http.Request) {
	var req eventRequest
	if !decodeJSON(w, r, &req, false) {
		return
	}
	if !validEventType(req.EventType) {
		s.writeError(w, r, invalid("eventType is required: 1 to %d lower-case letters, digits, or _ . : -", practice.MaxEventType))
		return
	}
	if err := checkFeature(req.FeatureType, false); err != nil {
		s.writeError(w, r, err)
		return
	}
	now := s.now().UTC().Truncate(time.Microsecond)
	e := practice.Event{ID: newID(now), UserID: identity(r).UserID, EventType: req.EventType, FeatureType: req.FeatureType, CreatedAt: now}
	if len(req.Properties) > 0 && !bytes.Equal(bytes.TrimSpace(req.Properties), []byte("null")) {
		props, err := jsonObject("properties", req.Properties, practice.MaxPropsBytes)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		e.Properties = props
	}
	if err := s.store.AddEvent(r.Context(), e); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"event": e})
}

func (s *Server) stats(w http.ResponseWriter, r *http.Request) {
	sums, err := s.store.Summaries(r.Context(), identity(r).UserID, s.now())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, practice.BuildStats(sums))
}

func (s *Server) adoption(w http.ResponseWriter, r *http.Request) {
	sums, err := s.store.Summaries(r.Context(), identity(r).UserID, s.now())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, practice.BuildAdoption(sums))
}
