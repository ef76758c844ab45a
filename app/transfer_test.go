package app

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/cara-coach/cara/internal/coach"
)

// sendInPieces does what src/api/bridge.ts does for a large call: Begin,
// Append base64 pieces of at most pieceBytes raw bytes, Finish.
func sendInPieces(t *testing.T, tr *Transfer, method string, args []any, pieceBytes int) (any, error) {
	t.Helper()
	raw, err := json.Marshal(args)
	if err != nil {
		t.Fatal(err)
	}
	id, err := tr.Begin(method, len(raw))
	if err != nil {
		return nil, err
	}
	for len(raw) > 0 {
		n := min(pieceBytes, len(raw))
		if err := tr.Append(id, base64.StdEncoding.EncodeToString(raw[:n])); err != nil {
			return nil, err
		}
		raw = raw[n:]
	}
	return tr.Finish(id)
}

func TestTransferRunsALargeReview(t *testing.T) {
	ta := newTestApp(t)
	ta.register(t, "ada@example.com")
	// About 150,000 characters, with quotes, newlines and non-ASCII letters
	// that JSON escapes or encodes as several bytes.
	text := strings.Repeat("Naïve \"plans\" fail.\nWe ship on Friday — réunion at 9. ", 2800)
	got, err := sendInPieces(t, ta.Transfer, "Coach.Review", []any{coach.ReviewInput{Title: "Long memo", Text: text}}, 30_000)
	if err != nil {
		t.Fatalf("Review in pieces: %v", err)
	}
	r, ok := got.(coach.Review)
	if !ok {
		t.Fatalf("Finish answered %T, want coach.Review", got)
	}
	if r.Title != "Long memo" || r.Text != text {
		t.Errorf("the review's text or title changed on the way: title %q, %d of %d characters", r.Title, len(r.Text), len(text))
	}
	list, err := ta.History.List()
	if err != nil || len(list) != 1 || list[0].ID != r.ID {
		t.Errorf("History after the review: %v, %v; want [%s]", list, err, r.ID)
	}
}

func TestTransferPassesTheMethodsErrors(t *testing.T) {
	ta := newTestApp(t)
	// Signed out: Coach.Review refuses, and the refusal comes through as is.
	_, err := sendInPieces(t, ta.Transfer, "Coach.Review", []any{coach.ReviewInput{Text: "Hello there, team."}}, 10)
	if code, _ := uiErrorParts(t, err); code != "unauthorized" {
		t.Errorf("signed-out review in pieces: got %v, want unauthorized", err)
	}
	// ImportFile needs no session: a file's base64 travels as an argument.
	eml := "Subject: Plan\r\nContent-Type: text/plain\r\n\r\nWe meet on Friday."
	got, err := sendInPieces(t, ta.Transfer, "Coach.ImportFile", []any{"plan.eml", base64.StdEncoding.EncodeToString([]byte(eml))}, 7)
	if err != nil || !strings.Contains(jsonOf(t, got), "We meet on Friday.") {
		t.Errorf("ImportFile in pieces: got %s, %v", jsonOf(t, got), err)
	}
	got, err = sendInPieces(t, ta.Transfer, "Practice.ImportContext", []any{"jd.md", base64.StdEncoding.EncodeToString([]byte("# Job\nLead the platform team."))}, 5)
	if err != nil || !strings.Contains(jsonOf(t, got), "Lead the platform team.") {
		t.Errorf("ImportContext in pieces: got %s, %v", jsonOf(t, got), err)
	}
}

func TestTransferRefusals(t *testing.T) {
	ta := newTestApp(t)
	tr := ta.Transfer
	open := func(t *testing.T, size int) string {
		t.Helper()
		id, err := tr.Begin("Coach.Review", size)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	piece := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	tests := []struct {
		name     string
		run      func(t *testing.T) error
		wantCode string
		wantMsg  string
	}{
		{"a method that is not a target", func(*testing.T) error { _, err := tr.Begin("Auth.Login", 10); return err },
			"invalid", "This call can't be sent in pieces"},
		{"nothing announced", func(*testing.T) error { _, err := tr.Begin("Coach.Review", 0); return err },
			"too_large", "This is too large to send to Cara (max 4 MB)"},
		{"more than 4 MB announced", func(*testing.T) error { _, err := tr.Begin("Coach.Review", MaxTransferBytes+1); return err },
			"too_large", "This is too large to send to Cara (max 4 MB)"},
		{"a piece that is not base64", func(t *testing.T) error { return tr.Append(open(t, 4), "@@@") },
			"invalid", "A piece of the request was damaged — try again"},
		{"an unknown id", func(*testing.T) error { return tr.Append("nope", piece("[]")) },
			"not_found", "Cara lost this request — try again"},
		{"more bytes than announced", func(t *testing.T) error { return tr.Append(open(t, 2), piece("[1,2]")) },
			"too_large", "The request grew past its announced size — try again"},
		{"fewer bytes than announced", func(t *testing.T) error {
			id := open(t, 10)
			if err := tr.Append(id, piece("[]")); err != nil {
				return err
			}
			_, err := tr.Finish(id)
			return err
		}, "invalid", "Part of the request is missing — try again"},
		{"not a JSON argument list", func(t *testing.T) error {
			id := open(t, 3)
			if err := tr.Append(id, piece("{}}")); err != nil {
				return err
			}
			_, err := tr.Finish(id)
			return err
		}, "invalid", "The request was damaged on the way — try again"},
		{"the wrong number of arguments", func(t *testing.T) error {
			id := open(t, 5)
			if err := tr.Append(id, piece("[1,2]")); err != nil {
				return err
			}
			_, err := tr.Finish(id)
			return err
		}, "invalid", "The request has the wrong number of arguments"},
		{"finished twice", func(t *testing.T) error {
			id := open(t, 2)
			if err := tr.Append(id, piece("[]")); err != nil {
				return err
			}
			_, _ = tr.Finish(id)
			_, err := tr.Finish(id)
			return err
		}, "not_found", "Cara lost this request — try again"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, msg := uiErrorParts(t, tt.run(t))
			if code != tt.wantCode || msg != tt.wantMsg {
				t.Errorf("got %s %q, want %s %q", code, msg, tt.wantCode, tt.wantMsg)
			}
		})
	}
}

func TestTransferBoundsWhatItHolds(t *testing.T) {
	ta := newTestApp(t)
	tr := ta.Transfer
	clock := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	tr.now = func() time.Time { return clock }
	var ids []string
	for range maxOpenTransfers {
		id, err := tr.Begin("Coach.Review", 100)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	_, err := tr.Begin("Coach.Review", 100)
	if code, _ := uiErrorParts(t, err); code != "too_many_requests" {
		t.Fatalf("Begin with %d calls open: got %v, want too_many_requests", maxOpenTransfers, err)
	}
	// Abandoned calls are dropped after transferTTL, making room again.
	clock = clock.Add(transferTTL + time.Second)
	if _, err := tr.Begin("Coach.Review", 100); err != nil {
		t.Fatalf("Begin after the others went stale: %v", err)
	}
	if err := tr.Append(ids[0], base64.StdEncoding.EncodeToString([]byte("[]"))); err == nil {
		t.Error("a stale call still took a piece")
	}
}
