package bolt

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/cara-coach/cara/internal/auth"
	"github.com/cara-coach/cara/internal/auth/authtest"
)

func TestStoreConformance(t *testing.T) {
	authtest.RunStoreTests(t, func(t *testing.T) auth.Store {
		db, err := Open(t.TempDir())
		if err != nil {
			t.Fatalf("open: %v", err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	})
}

var t0 = time.Date(2030, 1, 2, 3, 4, 5, 123456000, time.UTC)

func testUser(id, email string) auth.User {
	return auth.User{
		ID: id, Email: email, Name: "Ana Lima", Role: "Engineer",
		PasswordHash: []byte("$2a$04$" + id), CreatedAt: t0, UpdatedAt: t0,
	}
}

func testSession(id, userID string) auth.Session {
	return auth.Session{
		ID: id, UserID: userID, Device: "Cara on Linux",
		CreatedAt: t0, LastUsedAt: t0, ExpiresAt: t0.Add(30 * 24 * time.Hour),
	}
}

func testToken(b byte, sessionID string) auth.RefreshToken {
	var h auth.TokenHash
	for i := range h {
		h[i] = b
	}
	return auth.RefreshToken{Hash: h, SessionID: sessionID, CreatedAt: t0, ExpiresAt: t0.Add(7 * 24 * time.Hour)}
}

// Everything the auth Store keeps is still there after a restart.
func TestAuthDataSurvivesReopen(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	u := testUser(ana, "ana@example.com")
	s := testSession("01SESSION", ana)
	first, next := testToken(1, s.ID), testToken(2, s.ID)
	rotated := t0.Add(time.Hour)
	th := auth.Throttle{Failures: 6, LastFailureAt: t0, LockedUntil: t0.Add(2 * time.Second), ExpiresAt: t0.Add(24 * time.Hour)}
	steps := []error{
		db.CreateUser(ctx, u),
		db.CreateSession(ctx, s, first),
		func() error {
			_, err := db.RotateRefresh(ctx, auth.Rotation{Old: first.Hash, Successor: next, Sealed: []byte("sealed"), Now: rotated})
			return err
		}(),
		func() error {
			_, err := db.UpdateThrottle(ctx, u.Email, func(auth.Throttle) auth.Throttle { return th })
			return err
		}(),
	}
	if err := errors.Join(steps...); err != nil {
		t.Fatal(err)
	}
	db.Close()

	db, err = Open(dir)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer db.Close()
	gotUser, err := db.UserByEmail(ctx, "ana@example.com")
	if err != nil || gotUser.ID != ana || string(gotUser.PasswordHash) != string(u.PasswordHash) || !gotUser.CreatedAt.Equal(t0) {
		t.Errorf("user after reopen: got %+v, %v", gotUser, err)
	}
	gotSess, err := db.Session(ctx, s.ID)
	if err != nil || !gotSess.LastUsedAt.Equal(rotated) || !gotSess.ExpiresAt.Equal(s.ExpiresAt) || !gotSess.RevokedAt.IsZero() {
		t.Errorf("session after reopen: got %+v, %v", gotSess, err)
	}
	gotTok, err := db.RefreshToken(ctx, first.Hash)
	if err != nil || gotTok.SuccessorHash != next.Hash || string(gotTok.SealedSuccessor) != "sealed" || !gotTok.UsedAt.Equal(rotated) {
		t.Errorf("used token after reopen: got %+v, %v", gotTok, err)
	}
	if _, err := db.RefreshToken(ctx, next.Hash); err != nil {
		t.Errorf("successor after reopen: %v", err)
	}
	var seen auth.Throttle
	if _, err := db.UpdateThrottle(ctx, u.Email, func(t auth.Throttle) auth.Throttle { seen = t; return t }); err != nil {
		t.Fatal(err)
	}
	if seen.Failures != 6 || !seen.LockedUntil.Equal(th.LockedUntil) || !seen.ExpiresAt.Equal(th.ExpiresAt) {
		t.Errorf("throttle after reopen: got %+v, want %+v", seen, th)
	}
	if v, _ := db.schemaVersion(); v != SchemaVersion {
		t.Errorf("schema version: got %d, want %d", v, SchemaVersion)
	}
}

// The records sit where DESIGN §4 says, as versioned JSON, and the
// per-user session index follows the sessions through Prune.
func TestAuthBucketLayout(t *testing.T) {
	db, _ := openTemp(t)
	ctx := context.Background()
	if err := db.CreateUser(ctx, testUser(ana, "ana@example.com")); err != nil {
		t.Fatal(err)
	}
	s1, s2 := testSession("01S1", ana), testSession("01S2", ana)
	if err := errors.Join(db.CreateSession(ctx, s1, testToken(1, s1.ID)), db.CreateSession(ctx, s2, testToken(2, s2.ID))); err != nil {
		t.Fatal(err)
	}
	if _, err := db.UpdateThrottle(ctx, "ana@example.com", func(auth.Throttle) auth.Throttle {
		return auth.Throttle{Failures: 1, LastFailureAt: t0, ExpiresAt: t0.Add(time.Hour)}
	}); err != nil {
		t.Fatal(err)
	}

	if id, _ := readRaw(db, "ana@example.com", "users_by_email"); string(id) != ana {
		t.Errorf("users_by_email: got %q, want %q", id, ana)
	}
	tok := testToken(1, "")
	for _, c := range []struct{ bucket, key string }{
		{"users", ana}, {"sessions", s1.ID}, {"refresh_tokens", string(tok.Hash[:])}, {"throttle", "ana@example.com"},
	} {
		raw, err := readRaw(db, c.key, c.bucket)
		var rec struct {
			V int `json:"v"`
		}
		if err != nil || json.Unmarshal(raw, &rec) != nil || rec.V != 1 {
			t.Errorf("%s/%q: got %s (%v), want JSON with \"v\":1", c.bucket, c.key, raw, err)
		}
	}
	if keys, _ := keysAt(db, "user_sessions", ana); !slices.Equal(keys, []string{s1.ID, s2.ID}) {
		t.Errorf("user_sessions/%s: got %v, want both sessions", ana, keys)
	}

	// Revoke one session, prune: it leaves the index; prune the other (by
	// expiry) and the user's index bucket goes too.
	if err := db.RevokeSession(ctx, s1.ID, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if n, err := db.Prune(ctx, t0.Add(time.Hour)); err != nil || n != 3 { // s1, its token, the throttle
		t.Fatalf("Prune: got %d, %v, want 3", n, err)
	}
	if keys, _ := keysAt(db, "user_sessions", ana); !slices.Equal(keys, []string{s2.ID}) {
		t.Errorf("user_sessions/%s after Prune: got %v, want [%s]", ana, keys, s2.ID)
	}
	if n, err := db.Prune(ctx, s2.ExpiresAt); err != nil || n != 2 {
		t.Fatalf("Prune at expiry: got %d, %v, want 2", n, err)
	}
	if keys, _ := keysAt(db, "user_sessions"); len(keys) != 0 {
		t.Errorf("user_sessions after pruning every session: got %v, want empty", keys)
	}
	if _, err := db.UserByID(ctx, ana); err != nil {
		t.Errorf("Prune removed the user: %v", err)
	}
}

func TestMicrosRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		in   time.Time
		want time.Time
	}{
		{"zero stays zero", time.Time{}, time.Time{}},
		{"Unix epoch is not zero", time.Unix(0, 0), time.Unix(0, 0)},
		{"microseconds kept", t0, t0},
		{"nanoseconds dropped", t0.Add(789), t0},
		{"other zones", t0.In(time.FixedZone("X", -5*3600)), t0},
		{"before 1970", time.Date(1969, 7, 20, 20, 17, 40, 1000, time.UTC), time.Date(1969, 7, 20, 20, 17, 40, 1000, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := fromMicros(toMicros(tt.in))
			if !got.Equal(tt.want) || got.IsZero() != tt.want.IsZero() {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCanceledContextWritesNothing(t *testing.T) {
	db, _ := openTemp(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := db.CreateUser(ctx, testUser(ana, "ana@example.com")); !errors.Is(err, context.Canceled) {
		t.Errorf("CreateUser: got %v, want context.Canceled", err)
	}
	if _, err := db.UserByID(context.Background(), ana); !errors.Is(err, auth.ErrNotFound) {
		t.Errorf("UserByID after a canceled create: got %v, want ErrNotFound", err)
	}
	if _, err := db.Session(ctx, "x"); !errors.Is(err, context.Canceled) {
		t.Errorf("Session: got %v, want context.Canceled", err)
	}
}

func TestCreateRejectsEmptyKeys(t *testing.T) {
	db, _ := openTemp(t)
	ctx := context.Background()
	for name, err := range map[string]error{
		"user without ID":       db.CreateUser(ctx, testUser("", "ana@example.com")),
		"user without e-mail":   db.CreateUser(ctx, testUser(ana, "")),
		"session without ID":    db.CreateSession(ctx, testSession("", ana), testToken(1, "")),
		"session without owner": db.CreateSession(ctx, testSession("01S", ""), testToken(1, "01S")),
	} {
		if err == nil {
			t.Errorf("%s: got nil error", name)
		}
	}
	if _, err := db.UserByID(ctx, ""); !errors.Is(err, auth.ErrNotFound) {
		t.Errorf("UserByID(\"\"): got %v, want ErrNotFound", err)
	}
}

// The auth Service over this Store, as the desktop runs it: sign-up,
// concurrent refreshes, replay detection, password change, and a restart
// that keeps the sign-in.
func TestServiceOverBolt(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	clk := &fakeClock{now: time.Date(2030, 3, 4, 9, 0, 0, 0, time.UTC)}
	keys := map[string][]byte{"k1": []byte("0123456789abcdef0123456789abcdef")}
	newSvc := func(store auth.Store) *auth.Service {
		svc, err := auth.New(store, auth.WithBcryptCost(4), auth.WithClock(clk.Now), auth.WithSigningKeys("k1", keys))
		if err != nil {
			t.Fatal(err)
		}
		return svc
	}
	svc := newSvc(db)
	ctx := context.Background()
	const pw = "Copper-Kestrel-81"
	reg, err := svc.Register(ctx, auth.Registration{Email: " Ana@Example.COM ", Name: "Ana", Role: "Engineer", Password: pw, Device: "laptop"})
	if err != nil {
		t.Fatalf("Register: %v", err)
	}
	if _, err := svc.Register(ctx, auth.Registration{Email: "ana@example.com", Name: "Ana", Role: "Engineer", Password: pw, Device: "x"}); err == nil {
		t.Fatal("second Register with the same e-mail succeeded")
	}

	// 20 concurrent refreshes with one token: one successor for all.
	const n = 20
	got := make([]auth.Tokens, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { got[i], errs[i] = svc.Refresh(ctx, reg.Tokens.RefreshToken) })
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("refresh %d: %v", i, errs[i])
		}
		if got[i].RefreshToken != got[0].RefreshToken {
			t.Fatalf("refresh %d got another successor", i)
		}
	}
	b := got[0]

	// Restart: the refresh token from the keychain still works.
	db.Close()
	if db, err = Open(dir); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	svc = newSvc(db)
	clk.Advance(time.Minute)
	c, err := svc.Refresh(ctx, b.RefreshToken)
	if err != nil {
		t.Fatalf("refresh after restart: %v", err)
	}
	if _, err := svc.Verify(ctx, c.AccessToken); err != nil {
		t.Fatalf("Verify after restart: %v", err)
	}

	// Replaying the first token after the grace window ends the session.
	if _, err := svc.Refresh(ctx, reg.Tokens.RefreshToken); !errors.Is(err, auth.ErrSessionExpired) {
		t.Fatalf("replay: got %v, want ErrSessionExpired", err)
	}
	if _, err := svc.Refresh(ctx, c.RefreshToken); !errors.Is(err, auth.ErrSessionExpired) {
		t.Fatalf("newest token after replay: got %v, want ErrSessionExpired", err)
	}

	// A password change keeps the caller's session and ends the others.
	one, err := svc.Login(ctx, "ana@example.com", pw, "laptop")
	if err != nil {
		t.Fatalf("Login: %v", err)
	}
	two, err := svc.Login(ctx, "ana@example.com", pw, "desktop")
	if err != nil {
		t.Fatalf("Login: %v", err)
	}
	if err := svc.ChangePassword(ctx, one.Account.ID, one.Tokens.SessionID, pw, "AnotherPass456"); err != nil {
		t.Fatalf("ChangePassword: %v", err)
	}
	if _, err := svc.Refresh(ctx, two.Tokens.RefreshToken); !errors.Is(err, auth.ErrSessionExpired) {
		t.Errorf("other session after password change: got %v, want ErrSessionExpired", err)
	}
	if _, err := svc.Refresh(ctx, one.Tokens.RefreshToken); err != nil {
		t.Errorf("own session after password change: %v", err)
	}
	if _, err := svc.Login(ctx, "ana@example.com", "AnotherPass456", "laptop"); err != nil {
		t.Errorf("Login with the new password: %v", err)
	}
}

type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
