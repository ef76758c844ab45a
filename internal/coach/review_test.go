package coach

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cara-coach/cara/internal/cara"
)

// memStore is an in-memory ReviewStore for testing the service's own logic.
type memStore struct {
	users   []string
	reviews []Review
}

func (m *memStore) CreateReview(_ context.Context, userID string, r Review) error {
	m.users = append(m.users, userID)
	m.reviews = append(m.reviews, r)
	return nil
}
func (m *memStore) ListReviews(context.Context, string) ([]ReviewSummary, error) { return nil, nil }
func (m *memStore) GetReview(context.Context, string, string) (Review, error)    { return Review{}, nil }
func (m *memStore) DeleteReview(context.Context, string, string) error           { return nil }

func newTestReviews(store ReviewStore) *Reviews {
	n := 0
	return NewReviews(store, func() string { n++; return fmt.Sprintf("id-%d", n) },
		func() time.Time { return time.Date(2026, 12, 3, 9, 30, 0, 0, time.FixedZone("X", 3600)) })
}

func TestCreate(t *testing.T) {
	tests := []struct {
		name       string
		in         ReviewInput
		wantCode   string
		wantTitle  string
		wantSource string
	}{
		{name: "pasted text gets its first line as title", in: ReviewInput{Text: "\n\n  Quick update on the launch  \nWe shipped it."},
			wantTitle: "Quick update on the launch", wantSource: "paste"},
		{name: "given title and source are kept", in: ReviewInput{Title: " Pitch ", Text: "We grow fast.", Source: "pitch.md"},
			wantTitle: "Pitch", wantSource: "pitch.md"},
		{name: "empty text", in: ReviewInput{Text: " \n\t "}, wantCode: cara.EEMPTY},
		{name: "too long", in: ReviewInput{Text: strings.Repeat("word ", 40_001)}, wantCode: cara.ETOOLARGE},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := &memStore{}
			got, err := newTestReviews(store).Create(context.Background(), "user-1", tt.in)
			if code := cara.ErrorCode(err); code != tt.wantCode {
				t.Fatalf("got code %q (%v), want %q", code, err, tt.wantCode)
			}
			if tt.wantCode != "" {
				if len(store.reviews) != 0 {
					t.Errorf("got %d saved reviews after an error, want 0", len(store.reviews))
				}
				return
			}
			if got.Title != tt.wantTitle || got.Source != tt.wantSource {
				t.Errorf("got title %q source %q, want %q %q", got.Title, got.Source, tt.wantTitle, tt.wantSource)
			}
			if got.ID != "id-1" || got.CreatedAt.Location() != time.UTC {
				t.Errorf("got id %q at %v, want id-1 in UTC", got.ID, got.CreatedAt)
			}
			if got.Report.Counts.Words == 0 || got.UpdatedHLC.WallMS == 0 {
				t.Errorf("got words %d hlc %d, want both set", got.Report.Counts.Words, got.UpdatedHLC.WallMS)
			}
			if len(store.reviews) != 1 || store.reviews[0].ID != got.ID || store.users[0] != "user-1" {
				t.Errorf("review not saved for user-1")
			}
		})
	}
}

func TestTitleFor(t *testing.T) {
	long := strings.Repeat("communication ", 10)
	tests := []struct{ title, text, want string }{
		{"", "Hello  there\nsecond", "Hello there"},
		{"Mine", "text", "Mine"},
		{"", long, "communication communication communication communication communication…"},
		{"", "😀 " + strings.Repeat("é", 100), "😀 " + strings.Repeat("é", 78) + "…"},
	}
	for _, tt := range tests {
		if got := TitleFor(tt.title, tt.text); got != tt.want {
			t.Errorf("TitleFor(%q, %q…) = %q, want %q", tt.title, tt.text[:min(len(tt.text), 20)], got, tt.want)
		}
	}
}
