package storetimeout_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/cara-coach/cara/internal/auth"
	"github.com/cara-coach/cara/internal/practice"
	"github.com/cara-coach/cara/internal/storetimeout"
)

// hungStore never answers: each call waits for its context, like a query
// to a stopped database, then fails with the context's error.
type hungStore struct{ storetimeout.Inner }

func wait(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }

func (hungStore) Session(ctx context.Context, _ string) (auth.Session, error) {
	return auth.Session{}, wait(ctx)
}
func (hungStore) CreateUser(ctx context.Context, _ auth.User) error { return wait(ctx) }
func (hungStore) RotateRefresh(ctx context.Context, _ auth.Rotation) (auth.Rotated, error) {
	return auth.Rotated{}, wait(ctx)
}
func (hungStore) UpdateThrottle(ctx context.Context, _ string, _ func(auth.Throttle) auth.Throttle) (auth.Throttle, error) {
	return auth.Throttle{}, wait(ctx)
}
func (hungStore) PracticeSessions(ctx context.Context, _ string, _ practice.Filter) ([]practice.Session, int, error) {
	return nil, 0, wait(ctx)
}
func (hungStore) AddUsage(ctx context.Context, _, _ string, _ int) (int, error) { return 0, wait(ctx) }
func (hungStore) Prune(ctx context.Context, _ time.Time) (int, error)           { return 0, wait(ctx) }

// quickStore answers at once.
type quickStore struct{ storetimeout.Inner }

func (quickStore) Session(_ context.Context, id string) (auth.Session, error) {
	return auth.Session{ID: id, UserID: "u1"}, nil
}
func (quickStore) PracticeSessions(context.Context, string, practice.Filter) ([]practice.Session, int, error) {
	return []practice.Session{{ID: "p1"}}, 7, nil
}
func (quickStore) UserByID(context.Context, string) (auth.User, error) {
	return auth.User{}, auth.ErrNotFound
}

func TestHungCallsFailWithinTheTimeout(t *testing.T) {
	const timeout = 150 * time.Millisecond
	s := storetimeout.New(hungStore{}, timeout)
	ctx := context.Background()
	tests := []struct {
		op   string
		call func() error
	}{
		{"Session", func() error { _, err := s.Session(ctx, "s1"); return err }},
		{"CreateUser", func() error { return s.CreateUser(ctx, auth.User{}) }},
		{"RotateRefresh", func() error { _, err := s.RotateRefresh(ctx, auth.Rotation{}); return err }},
		{"UpdateThrottle", func() error {
			_, err := s.UpdateThrottle(ctx, "k", func(t auth.Throttle) auth.Throttle { return t })
			return err
		}},
		{"PracticeSessions", func() error { _, _, err := s.PracticeSessions(ctx, "u1", practice.Filter{}); return err }},
		{"AddUsage", func() error { _, err := s.AddUsage(ctx, "u1", "2030-01-01", 5); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.op, func(t *testing.T) {
			start := time.Now()
			err := tt.call()
			took := time.Since(start)
			if took < timeout || took > timeout+time.Second {
				t.Errorf("took %v, want about %v", took, timeout)
			}
			var te *storetimeout.Error
			if !errors.As(err, &te) || te.Op != tt.op || te.After != timeout {
				t.Fatalf("error: got %v, want a *storetimeout.Error for %s after %v", err, tt.op, timeout)
			}
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("errors.Is(err, context.DeadlineExceeded): got false for %v", err)
			}
			if want := "the database did not answer " + tt.op + " within 150ms"; err.Error() != want {
				t.Errorf("message: got %q, want %q", err.Error(), want)
			}
		})
	}
}

// TestCallersDeadlineIsNotOurs: a caller that gives up first (a client
// hanging up, a shorter deadline of its own) gets its own error back.
func TestCallersDeadlineIsNotOurs(t *testing.T) {
	s := storetimeout.New(hungStore{}, time.Minute)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	short, cancelShort := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancelShort()
	for name, ctx := range map[string]context.Context{"cancelled": cancelled, "shorter deadline": short} {
		_, err := s.Session(ctx, "s1")
		var te *storetimeout.Error
		if errors.As(err, &te) || !errors.Is(err, ctx.Err()) {
			t.Errorf("%s: got %v, want the caller's own %v", name, err, ctx.Err())
		}
	}
}

func TestQuickCallsPassThrough(t *testing.T) {
	s := storetimeout.New(quickStore{}, time.Second)
	ctx := context.Background()
	if sess, err := s.Session(ctx, "s9"); err != nil || sess.ID != "s9" || sess.UserID != "u1" {
		t.Errorf("Session: got %+v, %v; want s9 of u1", sess, err)
	}
	if list, total, err := s.PracticeSessions(ctx, "u1", practice.Filter{}); err != nil || len(list) != 1 || total != 7 {
		t.Errorf("PracticeSessions: got %v, %d, %v; want one session of 7", list, total, err)
	}
	if _, err := s.UserByID(ctx, "x"); !errors.Is(err, auth.ErrNotFound) {
		t.Errorf("UserByID: got %v, want the store's ErrNotFound unchanged", err)
	}
}

// TestPruneIsNotBounded: housekeeping may run long; only its caller stops it.
func TestPruneIsNotBounded(t *testing.T) {
	s := storetimeout.New(hungStore{}, 20*time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := s.Prune(ctx, time.Now())
	if took := time.Since(start); took < 250*time.Millisecond || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Prune: returned after %v with %v, want the caller's 300ms deadline", took, err)
	}
	var te *storetimeout.Error
	if errors.As(err, &te) {
		t.Errorf("Prune: got a store timeout %v, want none", err)
	}
}
