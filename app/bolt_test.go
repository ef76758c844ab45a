package app

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/cara-coach/cara/internal/aisettings"
	"github.com/cara-coach/cara/internal/auth"
	"github.com/cara-coach/cara/internal/bolt"
	"github.com/cara-coach/cara/internal/coach"
	"github.com/cara-coach/cara/internal/keychain"
	"github.com/cara-coach/cara/internal/session"
)

// TestRestartOverBolt: the desktop wiring over a real database file and a
// keychain that outlives the app: sign up, review, quit, relaunch signed in
// with the review in History; sign out, relaunch signed out.
func TestRestartOverBolt(t *testing.T) {
	dir := t.TempDir()
	kc := keychain.NewMemory()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	launch := func() *Services {
		t.Helper()
		db, err := bolt.Open(dir)
		if err != nil {
			t.Fatalf("open: %v", err)
		}
		mgr := session.New(kc, func(kid string, keys map[string][]byte) (*auth.Service, error) {
			return auth.New(db, auth.WithSigningKeys(kid, keys), auth.WithBcryptCost(4))
		}, session.Config{Log: log, Claim: func(ctx context.Context, userID string) error {
			_, err := db.ClaimUnclaimedReviews(ctx, userID)
			return err
		}})
		d := aiDeps(db, aisettings.New(kc, aisettings.Config{}))
		d.Sessions, d.Version, d.DataDir, d.Log, d.Closers = mgr, "test", dir, log, []func() error{db.Close}
		s := NewServices(d)
		s.setEmit(func(context.Context, string, ...any) {})
		s.start(context.Background())
		return s
	}
	ctx := context.Background()

	s := launch()
	st, err := s.Auth.Register(RegisterInput{Email: "ada@example.com", Name: "Ada", Password: testPassword})
	if err != nil {
		t.Fatalf("Register: %v", err)
	}
	r, err := s.Coach.Review(coach.ReviewInput{Text: sampleText})
	if err != nil {
		t.Fatalf("Review: %v", err)
	}
	s.Shutdown(ctx)

	s = launch()
	again, err := s.Auth.State()
	if err != nil || !again.SignedIn || again.Account.ID != st.Account.ID {
		t.Fatalf("after restart: got %+v, %v; want signed in as %s", again, err, st.Account.ID)
	}
	list, err := s.History.List()
	if err != nil || len(list) != 1 || list[0].ID != r.ID {
		t.Fatalf("after restart: got History %v, %v; want [%s]", list, err, r.ID)
	}
	if err := s.Auth.Logout(); err != nil {
		t.Fatal(err)
	}
	s.Shutdown(ctx)

	s = launch()
	defer s.Shutdown(ctx)
	if st, err := s.Auth.State(); err != nil || st.SignedIn {
		t.Fatalf("after sign-out and restart: got %+v, %v; want signed out", st, err)
	}
	if _, err := s.History.List(); !hasCode(t, err, "unauthorized") {
		t.Errorf("History signed out: got %v, want unauthorized", err)
	}
}
