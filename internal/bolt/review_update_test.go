package bolt

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/cara-coach/cara/internal/cara"
	"github.com/cara-coach/cara/internal/coach"
)

// UpdateReview stores Ask Cara's fields over the review and keeps its
// History line in step.
func TestUpdateReviewReplaces(t *testing.T) {
	db, _ := openTemp(t)
	ctx := context.Background()
	r := review("01U", "status update", 66)
	if err := db.CreateReview(ctx, ana, r); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name   string
		change func(*coach.Review)
	}{
		{"asked while offline", func(r *coach.Review) { r.AIStatus, r.AIMode = coach.AIPending, coach.ModeCreative }},
		{"running", func(r *coach.Review) { r.AIStatus = coach.AIRunning }},
		{"Gemini refused", func(r *coach.Review) { r.AIStatus, r.AIError = coach.AIFailed, "Gemini blocked this text" }},
		{"ready", func(r *coach.Review) {
			r.AIStatus, r.AIError = coach.AIReady, ""
			r.AI = &coach.ReviewAI{Mode: coach.ModeCreative, Summary: "Lead with the ask.", Points: []string{"cut the preamble"},
				Rewrite: "We need two more weeks.", Usage: coach.Usage{TotalTokens: 700}, Model: "gemini-2.5-flash",
				CreatedAt: time.Date(2027, 3, 1, 8, 0, 0, 0, time.UTC)}
		}},
	}
	prev := int64(0)
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			st.change(&r)
			if err := db.UpdateReview(ctx, ana, r); err != nil {
				t.Fatal(err)
			}
			got, err := db.GetReview(ctx, ana, "01U")
			if err != nil {
				t.Fatal(err)
			}
			if got.UpdatedHLC.WallMS <= prev {
				t.Errorf("clock: got %d, want after %d", got.UpdatedHLC.WallMS, prev)
			}
			prev = got.UpdatedHLC.WallMS
			want := r
			want.UpdatedHLC = got.UpdatedHLC
			if !reflect.DeepEqual(got, want) {
				t.Errorf("GetReview:\n got %+v\nwant %+v", got, want)
			}
			list, err := db.ListReviews(ctx, ana)
			if err != nil || len(list) != 1 {
				t.Fatalf("ListReviews: got %+v, %v, want one line", list, err)
			}
			if list[0] != r.Summary() {
				t.Errorf("History line: got %+v, want %+v", list[0], r.Summary())
			}
			if keys, _ := keysAt(db, "reviews", ana); !slices.Equal(keys, []string{"01U"}) {
				t.Errorf("reviews/%s: got keys %v, want [01U]", ana, keys)
			}
		})
	}
}

func TestUpdateReviewNotFound(t *testing.T) {
	db, _ := openTemp(t)
	ctx := context.Background()
	for _, r := range []coach.Review{review("01LIVE", "live", 50), review("01DEL", "deleted", 50)} {
		if err := db.CreateReview(ctx, ana, r); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.DeleteReview(ctx, ana, "01DEL"); err != nil {
		t.Fatal(err)
	}
	changed := func(id string) coach.Review {
		r := review(id, "overwritten", 1)
		r.AIStatus = coach.AIReady
		return r
	}
	tombstone := changed("01LIVE")
	tombstone.Deleted = true
	tests := []struct {
		name     string
		user     string
		r        coach.Review
		wantCode string
	}{
		{"unknown id", ana, changed("01NOPE"), cara.ENOTFOUND},
		{"empty id", ana, changed(""), cara.ENOTFOUND},
		{"another user's review", bob, changed("01LIVE"), cara.ENOTFOUND},
		{"no user", "", changed("01LIVE"), cara.ENOTFOUND},
		{"a deleted review", ana, changed("01DEL"), cara.ENOTFOUND},
		{"a tombstone as the new value", ana, tombstone, cara.EINTERNAL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := db.UpdateReview(ctx, tt.user, tt.r)
			if got := cara.ErrorCode(err); got != tt.wantCode {
				t.Fatalf("got %v (code %q), want code %q", err, got, tt.wantCode)
			}
			if tt.wantCode == cara.ENOTFOUND && cara.ErrorMessage(err) != "That review no longer exists" {
				t.Errorf("got message %q", cara.ErrorMessage(err))
			}
		})
	}
	if got, err := db.GetReview(ctx, ana, "01LIVE"); err != nil || got.Title != "live" || got.AIStatus != coach.AINone {
		t.Errorf("ana's review after refused updates: got %q/%q, %v", got.Title, got.AIStatus, err)
	}
	if _, err := db.GetReview(ctx, ana, "01DEL"); cara.ErrorCode(err) != cara.ENOTFOUND {
		t.Errorf("the deleted review came back: %v", err)
	}
	if keys, _ := keysAt(db, "reviews"); !slices.Equal(keys, []string{ana}) {
		t.Errorf("review users: got %v, want only ana (a refused update creates nothing)", keys)
	}
	if keys, _ := keysAt(db, "reviews", ana); !slices.Equal(keys, []string{"01DEL", "01LIVE"}) {
		t.Errorf("ana's reviews: got %v", keys)
	}
}
