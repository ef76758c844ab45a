package session_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cara-coach/cara/internal/auth"
	"github.com/cara-coach/cara/internal/auth/memstore"
	"github.com/cara-coach/cara/internal/cara"
	"github.com/cara-coach/cara/internal/keychain"
	"github.com/cara-coach/cara/internal/session"
)

const (
	password = "Lantern-Harbour-42"
	device   = "Cara on test-box (Linux)"
)

// env is one computer: an auth store (the bbolt file) and a keychain that
// outlive every Manager (app launch) made over them, and a fake clock.
type env struct {
	t     *testing.T
	store *memstore.Store
	kc    *keychain.Memory
	clock *fakeClock
}

func newEnv(t *testing.T) *env {
	t.Helper()
	return &env{t: t, store: memstore.New(), kc: keychain.NewMemory(), clock: newFakeClock()}
}

func (e *env) newAuth(kid string, keys map[string][]byte) (*auth.Service, error) {
	return auth.New(e.store, auth.WithSigningKeys(kid, keys), auth.WithBcryptCost(4), auth.WithClock(e.clock.Now))
}

// manager makes a Manager without starting it.
func (e *env) manager(edit ...func(*session.Config)) *session.Manager {
	cfg := session.Config{Device: device, Clock: e.clock}
	for _, f := range edit {
		f(&cfg)
	}
	m := session.New(e.kc, e.newAuth, cfg)
	e.t.Cleanup(m.Shutdown)
	return m
}

// launch is an app start: a new Manager, restored.
func (e *env) launch(edit ...func(*session.Config)) *session.Manager {
	e.t.Helper()
	m := e.manager(edit...)
	if err := m.Restore(context.Background()); err != nil {
		e.t.Fatalf("Restore: %v", err)
	}
	return m
}

func (e *env) register(m *session.Manager, email string) auth.Account {
	e.t.Helper()
	acc, err := m.Register(context.Background(), auth.Registration{Email: email, Name: "Test", Role: "Engineer", Password: password})
	if err != nil {
		e.t.Fatalf("Register(%s): %v", email, err)
	}
	return acc
}

// stored is the refresh token in the keychain ("" if none).
func (e *env) stored() string {
	e.t.Helper()
	v, err := e.kc.Get(context.Background(), session.KeyRefreshToken)
	if errors.Is(err, keychain.ErrNotFound) {
		return ""
	}
	if err != nil {
		e.t.Fatalf("keychain Get: %v", err)
	}
	return v
}

// expiries records OnExpired calls.
type expiries struct {
	mu   sync.Mutex
	msgs []string
}

func (x *expiries) record(msg string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.msgs = append(x.msgs, msg)
}

func (x *expiries) got() []string {
	x.mu.Lock()
	defer x.mu.Unlock()
	return append([]string(nil), x.msgs...)
}

func wantUnauthorized(t *testing.T, err error, msg string) {
	t.Helper()
	if got := cara.ErrorCode(err); got != cara.EUNAUTHORIZED {
		t.Fatalf("got code %q (%v), want %q", got, err, cara.EUNAUTHORIZED)
	}
	if got := cara.ErrorMessage(err); got != msg {
		t.Fatalf("got message %q, want %q", got, msg)
	}
}

func currentUser(t *testing.T, m *session.Manager) string {
	t.Helper()
	id, err := m.Current(context.Background())
	if err != nil {
		t.Fatalf("Current: %v", err)
	}
	return id.UserID
}

// TestRestore covers the second launch: what the keychain and store hold
// decides whether the user is signed in silently.
func TestRestore(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		// first runs in the first launch; between, after it quits.
		first       func(e *env, m *session.Manager)
		between     func(e *env)
		wantIn      bool
		wantNotice  string
		wantCurrent string // Current's message when signed out
		wantStored  bool   // a refresh token is left in the keychain
	}{
		{
			name:        "first launch ever: signed out, no notice",
			first:       func(e *env, m *session.Manager) {},
			wantCurrent: session.MsgSignIn,
		},
		{
			name:       "registered: signed in silently",
			first:      func(e *env, m *session.Manager) { e.register(m, "ada@example.com") },
			wantIn:     true,
			wantStored: true,
		},
		{
			name: "logged in (not registered): signed in silently",
			first: func(e *env, m *session.Manager) {
				e.register(m, "ada@example.com")
				if err := m.Logout(ctx); err != nil {
					t.Fatal(err)
				}
				if _, err := m.Login(ctx, "ADA@example.com", password); err != nil {
					t.Fatal(err)
				}
			},
			wantIn:     true,
			wantStored: true,
		},
		{
			name: "signed out: stays signed out",
			first: func(e *env, m *session.Manager) {
				e.register(m, "ada@example.com")
				if err := m.Logout(ctx); err != nil {
					t.Fatal(err)
				}
			},
			wantCurrent: session.MsgSignIn,
		},
		{
			name:        "refresh token older than 7 days: session expired notice",
			first:       func(e *env, m *session.Manager) { e.register(m, "ada@example.com") },
			between:     func(e *env) { e.clock.Jump(auth.RefreshTokenTTL + time.Minute) },
			wantNotice:  session.MsgSessionExpired,
			wantCurrent: session.MsgSessionExpired,
		},
		{
			name:  "session revoked while Cara was closed: session expired notice",
			first: func(e *env, m *session.Manager) { e.register(m, "ada@example.com") },
			between: func(e *env) {
				sessions, _ := e.store.UserSessions(ctx, userOf(e, "ada@example.com"))
				for _, s := range sessions {
					_ = e.store.RevokeSession(ctx, s.ID, e.clock.Now())
				}
			},
			wantNotice:  session.MsgSessionExpired,
			wantCurrent: session.MsgSessionExpired,
		},
		{
			name:        "keychain unavailable at launch: keychain notice",
			first:       func(e *env, m *session.Manager) { e.register(m, "ada@example.com") },
			between:     func(e *env) { e.kc.SetUnavailable(true) },
			wantNotice:  session.MsgKeychainUnavailable,
			wantCurrent: session.MsgSignIn,
			wantStored:  true, // left for a launch that can read it
		},
		{
			name:        "garbage in the keychain: session expired",
			first:       func(e *env, m *session.Manager) { _ = e.kc.Set(ctx, session.KeyRefreshToken, "not-a-token") },
			wantNotice:  session.MsgSessionExpired,
			wantCurrent: session.MsgSessionExpired,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			m1 := e.launch()
			tt.first(e, m1)
			var before string
			if m1st, _ := m1.State(ctx); m1st.SignedIn {
				before = m1st.Account.ID
			}
			m1.Shutdown()
			if tt.between != nil {
				tt.between(e)
			}

			m2 := e.launch()
			st, err := m2.State(ctx)
			if err != nil {
				t.Fatalf("State: %v", err)
			}
			if st.SignedIn != tt.wantIn {
				t.Fatalf("got signedIn %v, want %v", st.SignedIn, tt.wantIn)
			}
			if st.Notice != tt.wantNotice {
				t.Errorf("got notice %q, want %q", st.Notice, tt.wantNotice)
			}
			// A second client asking at start-up hears it too; taking it clears it.
			if again, _ := m2.State(ctx); again.Notice != tt.wantNotice {
				t.Errorf("got notice %q on the second State, want %q again", again.Notice, tt.wantNotice)
			}
			m2.TakeNotice()
			if again, _ := m2.State(ctx); again.Notice != "" {
				t.Errorf("got notice %q after TakeNotice, want none", again.Notice)
			}
			if tt.wantIn {
				if st.Account.ID != before || st.Account.Email != "ada@example.com" {
					t.Errorf("got account %+v, want %s (ada@example.com)", st.Account, before)
				}
				if got := currentUser(t, m2); got != before {
					t.Errorf("got Current user %s, want %s", got, before)
				}
			} else {
				_, err := m2.Current(ctx)
				wantUnauthorized(t, err, tt.wantCurrent)
			}
			e.kc.SetUnavailable(false)
			if got := e.stored() != ""; got != tt.wantStored {
				t.Errorf("got refresh token stored %v, want %v", got, tt.wantStored)
			}
		})
	}
}

func userOf(e *env, email string) string {
	u, err := e.store.UserByEmail(context.Background(), email)
	if err != nil {
		e.t.Fatalf("UserByEmail: %v", err)
	}
	return u.ID
}

// TestRestoreRotatesTheStoredToken: the token read at launch is used up; the
// keychain holds its successor, and the used one no longer works.
func TestRestoreRotatesTheStoredToken(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	m1 := e.launch()
	e.register(m1, "ada@example.com")
	first := e.stored()
	m1.Shutdown()

	e.launch()
	second := e.stored()
	if second == "" || second == first {
		t.Fatalf("got stored token changed=%v (empty=%v), want a new one", second != first, second == "")
	}
	e.clock.Jump(auth.RefreshGrace + time.Second)
	svc, _ := e.newAuth("k", map[string][]byte{"k": make([]byte, 32)})
	if _, err := svc.Refresh(ctx, first); !errors.Is(err, auth.ErrSessionExpired) {
		t.Fatalf("got %v refreshing the used token, want ErrSessionExpired", err)
	}
}

// TestSigningKey: made on first run, kept in the keychain, reused at the
// next launch; a damaged one is replaced; with no keychain, one per launch.
func TestSigningKey(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name     string
		before   func(e *env)
		wantKept bool // a well-formed key is in the keychain after launch
		wantSame bool // the keychain holds the same key after a second launch
	}{
		{"first run makes and keeps one", nil, true, true},
		{"damaged key is replaced", func(e *env) { _ = e.kc.Set(ctx, session.KeySigningKey, "k1:bm90IGJhc2U2NA") }, true, true},
		{"too short key is replaced", func(e *env) { _ = e.kc.Set(ctx, session.KeySigningKey, "k1:c2hvcnQ=") }, true, true},
		{"keychain unavailable: per-launch key", func(e *env) { e.kc.SetUnavailable(true) }, false, false},
		{"keychain full: per-launch key", func(e *env) { e.kc.SetFull(true) }, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			if tt.before != nil {
				tt.before(e)
			}
			m := e.launch()
			e.register(m, "ada@example.com") // the key signs a working token
			if _, err := m.Current(ctx); err != nil {
				t.Fatalf("Current: %v", err)
			}
			e.kc.SetUnavailable(false)
			e.kc.SetFull(false)
			key1, err := e.kc.Get(ctx, session.KeySigningKey)
			kept := err == nil && len(key1) > 40 && strings.Count(key1, ":") == 1
			if kept != tt.wantKept {
				t.Fatalf("got key kept %v (%d bytes, %v), want %v", kept, len(key1), err, tt.wantKept)
			}
			if !tt.wantKept {
				return
			}
			m.Shutdown()
			e.launch()
			key2, _ := e.kc.Get(ctx, session.KeySigningKey)
			if (key1 == key2) != tt.wantSame {
				t.Errorf("got same key %v, want %v", key1 == key2, tt.wantSame)
			}
		})
	}
}

func TestRefreshTimerFiresTwoMinutesBeforeExpiry(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	m := e.launch()
	start := e.clock.Now()
	e.register(m, "ada@example.com")
	want := start.Add(auth.AccessTokenTTL - session.RefreshBefore)
	if got := e.clock.Pending(); len(got) != 1 || !got[0].Equal(want) {
		t.Fatalf("got timers %v, want one at %v", got, want)
	}
	tok := e.stored()

	e.clock.Advance(want.Sub(start) - time.Second)
	if e.stored() != tok {
		t.Fatal("refreshed before the timer was due")
	}
	e.clock.Advance(time.Second)
	tok2 := e.stored()
	if tok2 == tok {
		t.Fatal("got the same refresh token after the timer, want a rotated one")
	}
	want2 := want.Add(auth.AccessTokenTTL - session.RefreshBefore)
	if got := e.clock.Pending(); len(got) != 1 || !got[0].Equal(want2) {
		t.Fatalf("got timers %v after refresh, want one at %v", got, want2)
	}

	// An hour of timers later the user is still signed in, with no gap.
	for range 60 {
		e.clock.Advance(time.Minute)
		if _, err := m.Current(ctx); err != nil {
			t.Fatalf("Current at %v: %v", e.clock.Now(), err)
		}
	}
}

// TestRefreshOnDemand: the computer slept past the token's expiry, so the
// timer has not run yet; Current refreshes before answering.
func TestRefreshOnDemand(t *testing.T) {
	e := newEnv(t)
	m := e.launch()
	acc := e.register(m, "ada@example.com")
	tok := e.stored()
	e.clock.Jump(auth.AccessTokenTTL + time.Hour)
	if got := currentUser(t, m); got != acc.ID {
		t.Fatalf("got user %s, want %s", got, acc.ID)
	}
	if e.stored() == tok {
		t.Fatal("got the same refresh token, want a rotated one")
	}
	// The late timer finds the fresh token and leaves it alone.
	e.clock.Advance(0)
	if got := currentUser(t, m); got != acc.ID {
		t.Fatalf("got user %s, want %s", got, acc.ID)
	}
}

// TestRefreshRefusedSignsOut: when the session can no longer be refreshed,
// the user is signed out, OnExpired hears the message once, and Current says
// so.
func TestRefreshRefusedSignsOut(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		end    func(e *env, userID string)
		detect func(e *env, m *session.Manager) // how the Manager finds out
	}{
		{
			name:   "session revoked; found by the timer",
			end:    revokeAll,
			detect: func(e *env, m *session.Manager) { e.clock.Advance(auth.AccessTokenTTL) },
		},
		{
			name:   "session revoked; found by Current",
			end:    revokeAll,
			detect: func(e *env, m *session.Manager) { _, _ = m.Current(ctx) },
		},
		{
			name:   "30-day session cap reached; found after sleep",
			end:    func(e *env, _ string) { e.clock.Jump(auth.SessionMaxAge) },
			detect: func(e *env, m *session.Manager) { _, _ = m.Current(ctx) },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			var x expiries
			m := e.launch()
			m.OnExpired(x.record)
			acc := e.register(m, "ada@example.com")
			tt.end(e, acc.ID)
			tt.detect(e, m)

			if got := x.got(); len(got) != 1 || got[0] != session.MsgSessionExpired {
				t.Fatalf("got OnExpired %q, want once with %q", got, session.MsgSessionExpired)
			}
			_, err := m.Current(ctx)
			wantUnauthorized(t, err, session.MsgSessionExpired)
			if _, err := m.Sessions(ctx); cara.ErrorCode(err) != cara.EUNAUTHORIZED {
				t.Errorf("got Sessions error %v, want unauthorized", err)
			}
			if e.stored() != "" {
				t.Error("got a refresh token left in the keychain, want none")
			}
			if len(e.clock.Pending()) != 0 {
				t.Errorf("got timers %v, want none", e.clock.Pending())
			}
			if got := x.got(); len(got) != 1 {
				t.Errorf("got OnExpired %d times, want once", len(got))
			}
			// Signing in again clears the expired state.
			if _, err := m.Login(ctx, "ada@example.com", password); err != nil {
				t.Fatalf("Login: %v", err)
			}
			if got := currentUser(t, m); got != acc.ID {
				t.Errorf("got user %s, want %s", got, acc.ID)
			}
		})
	}
}

func revokeAll(e *env, userID string) {
	ctx := context.Background()
	sessions, err := e.store.UserSessions(ctx, userID)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, s := range sessions {
		if err := e.store.RevokeSession(ctx, s.ID, e.clock.Now()); err != nil {
			e.t.Fatal(err)
		}
	}
}

// TestKeychainUnavailable: Cara works for the launch, says so once, and the
// next launch starts signed out.
func TestKeychainUnavailable(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	e.kc.SetUnavailable(true)
	m := e.launch()
	if got := m.TakeNotice(); got != session.MsgKeychainUnavailable {
		t.Fatalf("got notice %q, want %q", got, session.MsgKeychainUnavailable)
	}
	if got := m.TakeNotice(); got != "" {
		t.Fatalf("got notice %q the second time, want none", got)
	}
	acc := e.register(m, "ada@example.com")
	if got := m.TakeNotice(); got != "" {
		t.Errorf("got notice %q after sign-in, want none (once per launch)", got)
	}
	if got := currentUser(t, m); got != acc.ID {
		t.Fatalf("got user %s, want %s", got, acc.ID)
	}
	// Refreshes keep working from memory.
	e.clock.Advance(2 * time.Hour)
	if got := currentUser(t, m); got != acc.ID {
		t.Fatalf("got user %s after 2 h, want %s", got, acc.ID)
	}
	if err := m.Logout(ctx); err != nil {
		t.Fatalf("Logout: %v", err)
	}
	if _, err := m.Login(ctx, "ada@example.com", password); err != nil {
		t.Fatalf("Login: %v", err)
	}
	m.Shutdown()

	m2 := e.launch()
	st, err := m2.State(ctx)
	if err != nil || st.SignedIn || st.Notice != session.MsgKeychainUnavailable {
		t.Fatalf("got %+v, %v on the next launch; want signed out with the keychain notice", st, err)
	}
}

// TestKeychainFailsMidSession: a Set that fails after a rotation deletes
// the used token, so it is not replayed (and the session revoked) at the
// next launch; the user stays signed in and is told once.
func TestKeychainFailsMidSession(t *testing.T) {
	e := newEnv(t)
	m := e.launch()
	acc := e.register(m, "ada@example.com")
	if e.stored() == "" {
		t.Fatal("no refresh token stored after Register")
	}
	e.kc.SetFull(true)
	e.clock.Advance(auth.AccessTokenTTL)
	if got := e.stored(); got != "" {
		t.Fatalf("got a refresh token left in the keychain after a failed Set, want it deleted")
	}
	if got := currentUser(t, m); got != acc.ID {
		t.Fatalf("got user %s, want %s", got, acc.ID)
	}
	if got := m.TakeNotice(); got != session.MsgKeychainUnavailable {
		t.Errorf("got notice %q, want %q", got, session.MsgKeychainUnavailable)
	}
	e.clock.Advance(auth.AccessTokenTTL)
	if got := m.TakeNotice(); got != "" {
		t.Errorf("got notice %q again, want none", got)
	}
	// The keychain recovers: the next refresh stores the token again.
	e.kc.SetFull(false)
	e.clock.Advance(auth.AccessTokenTTL)
	if e.stored() == "" {
		t.Fatal("no refresh token stored after the keychain recovered")
	}
	m.Shutdown()
	if got := currentUser(t, e.launch()); got != acc.ID {
		t.Fatalf("got user %s after restart, want %s", got, acc.ID)
	}
}

func TestLogout(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	m := e.launch()
	e.register(m, "ada@example.com")
	tok := e.stored()
	if err := m.Logout(ctx); err != nil {
		t.Fatalf("Logout: %v", err)
	}
	if e.stored() != "" {
		t.Error("got a refresh token in the keychain after Logout, want none")
	}
	_, err := m.Current(ctx)
	wantUnauthorized(t, err, session.MsgSignIn)
	if len(e.clock.Pending()) != 0 {
		t.Errorf("got timers %v after Logout, want none", e.clock.Pending())
	}
	svc, _ := e.newAuth("k", map[string][]byte{"k": make([]byte, 32)})
	if _, err := svc.Refresh(ctx, tok); !errors.Is(err, auth.ErrSessionExpired) {
		t.Errorf("got %v refreshing the signed-out token, want ErrSessionExpired", err)
	}
	if err := m.Logout(ctx); err != nil {
		t.Errorf("second Logout: got %v, want nil", err)
	}
	if st, err := m.State(ctx); err != nil || st.SignedIn {
		t.Errorf("got State %+v, %v; want signed out", st, err)
	}
}

// TestUserDataCallsNeedASession: what Current says when nobody is signed in.
func TestUserDataCallsNeedASession(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	m := e.launch()
	calls := map[string]func() error{
		"Current":        func() error { _, err := m.Current(ctx); return err },
		"Sessions":       func() error { _, err := m.Sessions(ctx); return err },
		"ChangePassword": func() error { return m.ChangePassword(ctx, password, "Another-Lantern-43") },
		"RevokeSession":  func() error { _, err := m.RevokeSession(ctx, "01HZZZZZZZZZZZZZZZZZZZZZZZ"); return err },
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			wantUnauthorized(t, call(), session.MsgSignIn)
		})
	}
}

// TestTwoUsersOnOneMachine: accounts share the computer; the keychain holds
// the last one signed in, and switching users ends the previous session.
func TestTwoUsersOnOneMachine(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	m := e.launch()
	ada := e.register(m, "ada@example.com")
	if err := m.Logout(ctx); err != nil {
		t.Fatal(err)
	}
	bob := e.register(m, "bob@example.com")
	if ada.ID == bob.ID {
		t.Fatal("two accounts with one ID")
	}
	if got := currentUser(t, m); got != bob.ID {
		t.Fatalf("got user %s, want bob %s", got, bob.ID)
	}
	m.Shutdown()

	m = e.launch()
	if got := currentUser(t, m); got != bob.ID {
		t.Fatalf("after restart got user %s, want bob %s", got, bob.ID)
	}
	// Ada signs in without Bob signing out: Bob's session ends.
	if _, err := m.Login(ctx, "ada@example.com", password); err != nil {
		t.Fatalf("Login ada: %v", err)
	}
	if got := currentUser(t, m); got != ada.ID {
		t.Fatalf("got user %s, want ada %s", got, ada.ID)
	}
	if live, _ := e.store.UserSessions(ctx, bob.ID); len(live) != 0 {
		t.Errorf("got %d live sessions for bob, want 0", len(live))
	}
	m.Shutdown()
	if got := currentUser(t, e.launch()); got != ada.ID {
		t.Fatalf("after restart got user %s, want ada %s", got, ada.ID)
	}
}

// TestChangePassword: other devices are signed out, this one stays.
func TestChangePassword(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	laptop := e.launch()
	acc := e.register(laptop, "ada@example.com")

	// A second device: same store, its own keychain.
	other := &env{t: t, store: e.store, kc: keychain.NewMemory(), clock: e.clock}
	var x expiries
	desktop := other.launch(func(c *session.Config) { c.Device = "Cara on desk (Windows)" })
	desktop.OnExpired(x.record)
	if _, err := desktop.Login(ctx, "ada@example.com", password); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name, current, next string
		wantCode, wantMsg   string
	}{
		{"wrong current password", "Wrong-Lantern-99", "Another-Lantern-43", cara.EUNAUTHORIZED, auth.ErrWrongPassword.Message},
		{"weak new password", password, "password", cara.EINVALID, ""},
		{"good", password, "Another-Lantern-43", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := laptop.ChangePassword(ctx, tt.current, tt.next)
			if got := cara.ErrorCode(err); err != nil && got != tt.wantCode || err == nil && tt.wantCode != "" {
				t.Fatalf("got %v (code %q), want code %q", err, got, tt.wantCode)
			}
			if tt.wantMsg != "" && cara.ErrorMessage(err) != tt.wantMsg {
				t.Errorf("got %q, want %q", cara.ErrorMessage(err), tt.wantMsg)
			}
		})
	}
	if got := currentUser(t, laptop); got != acc.ID {
		t.Errorf("laptop: got user %s, want %s", got, acc.ID)
	}
	_, err := desktop.Current(ctx)
	wantUnauthorized(t, err, session.MsgSessionExpired)
	if got := x.got(); len(got) != 1 {
		t.Errorf("desktop: got OnExpired %q, want once", got)
	}
	if _, err := laptop.Login(ctx, "ada@example.com", "Another-Lantern-43"); err != nil {
		t.Errorf("Login with the new password: %v", err)
	}
}

func TestSessionsAndRevoke(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	m := e.launch()
	e.register(m, "ada@example.com")
	other := &env{t: t, store: e.store, kc: keychain.NewMemory(), clock: e.clock}
	phone := other.launch(func(c *session.Config) { c.Device = "Cara on desk (Windows)" })
	e.clock.Advance(time.Second)
	if _, err := phone.Login(ctx, "ada@example.com", password); err != nil {
		t.Fatal(err)
	}

	list, err := m.Sessions(ctx)
	if err != nil {
		t.Fatalf("Sessions: %v", err)
	}
	if len(list) != 2 {
		t.Fatalf("got %d sessions, want 2", len(list))
	}
	var mine, theirs auth.SessionInfo
	for _, s := range list {
		if s.Current {
			mine = s
		} else {
			theirs = s
		}
	}
	if mine.Device != device || theirs.Device != "Cara on desk (Windows)" {
		t.Errorf("got devices %q (current) and %q, want %q and the desk", mine.Device, theirs.Device, device)
	}

	tests := []struct {
		name          string
		id            string
		wantSignedOut bool
		wantCode      string
	}{
		{"unknown session", "01HZZZZZZZZZZZZZZZZZZZZZZZ", false, cara.ENOTFOUND},
		{"the other device", theirs.ID, false, ""},
		{"the other device again", theirs.ID, false, cara.ENOTFOUND},
		{"this computer's: signs out", mine.ID, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := m.RevokeSession(ctx, tt.id)
			if got := cara.ErrorCode(err); got != tt.wantCode {
				t.Fatalf("got code %q (%v), want %q", got, err, tt.wantCode)
			}
			if out != tt.wantSignedOut {
				t.Errorf("got signedOut %v, want %v", out, tt.wantSignedOut)
			}
		})
	}
	_, err = phone.Current(ctx)
	wantUnauthorized(t, err, session.MsgSessionExpired)
	_, err = m.Current(ctx)
	wantUnauthorized(t, err, session.MsgSignIn)
	if e.stored() != "" {
		t.Error("got a refresh token in the keychain after revoking this session, want none")
	}
}

func TestRegisterClaimsEarlierReviews(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name     string
		claimErr error
	}{
		{"claim succeeds", nil},
		{"claim fails: the account is made anyway", errors.New("disk full")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			var claimed []string
			m := e.launch(func(c *session.Config) {
				c.Claim = func(_ context.Context, userID string) error {
					claimed = append(claimed, userID)
					return tt.claimErr
				}
			})
			acc := e.register(m, "ada@example.com")
			if len(claimed) != 1 || claimed[0] != acc.ID {
				t.Fatalf("got claims %v, want [%s]", claimed, acc.ID)
			}
			if _, err := m.Login(ctx, "ada@example.com", password); err != nil {
				t.Fatal(err)
			}
			if len(claimed) != 1 {
				t.Errorf("got claims %v after Login, want only the one at Register", claimed)
			}
			if got := currentUser(t, m); got != acc.ID {
				t.Errorf("got user %s, want %s", got, acc.ID)
			}
		})
	}
}

func TestAuthErrorsPassThrough(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	m := e.launch()
	e.register(m, "ada@example.com")
	_ = m.Logout(ctx)

	_, err := m.Register(ctx, auth.Registration{Email: "ADA@example.com", Name: "A", Password: password})
	if cara.ErrorCode(err) != cara.ECONFLICT {
		t.Errorf("duplicate Register: got %v, want conflict", err)
	}
	_, err = m.Register(ctx, auth.Registration{Email: "cy@example.com", Name: "C", Password: "Pass1"})
	var pe *auth.PolicyError
	if !errors.As(err, &pe) || !pe.Has(auth.RuleMinLength) {
		t.Errorf("weak Register: got %v, want a PolicyError with min_length", err)
	}
	for range 5 {
		_, err = m.Login(ctx, "ada@example.com", "Wrong-Lantern-99")
		wantUnauthorized(t, err, auth.ErrInvalidCredentials.Message)
	}
	_, err = m.Login(ctx, "ada@example.com", password)
	var te *auth.ThrottledError
	if !errors.As(err, &te) || cara.ErrorCode(err) != cara.ETOOMANY {
		t.Errorf("throttled Login: got %v, want a ThrottledError", err)
	}
	if _, err := m.Current(ctx); cara.ErrorMessage(err) != session.MsgSignIn {
		t.Errorf("got %v after failed sign-ins, want %q", err, session.MsgSignIn)
	}
}

// TestMethodsWaitForRestore: calls made while the start-up restore runs
// (a slow keychain) wait for it instead of answering "signed out".
func TestMethodsWaitForRestore(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	acc := e.register(e.launch(), "ada@example.com")

	e.kc.SetDelay(20 * time.Millisecond)
	m := e.manager()
	m.StartRestore(ctx)
	st, err := m.State(ctx)
	if err != nil || !st.SignedIn || st.Account.ID != acc.ID {
		t.Fatalf("got %+v, %v; want signed in as %s", st, err, acc.ID)
	}

	short, cancel := context.WithTimeout(ctx, time.Millisecond)
	defer cancel()
	never := e.manager()
	if _, err := never.Current(short); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("got %v from a Manager never started, want the context's deadline", err)
	}
}

func TestStartupFailure(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	m := session.New(e.kc, func(string, map[string][]byte) (*auth.Service, error) {
		return nil, errors.New("boom")
	}, session.Config{Clock: e.clock})
	if err := m.Restore(ctx); err == nil {
		t.Fatal("got nil from Restore, want the start-up error")
	}
	if _, err := m.Current(ctx); err == nil || cara.ErrorCode(err) != cara.EINTERNAL {
		t.Errorf("got %v, want an internal error (not 'signed out')", err)
	}
	if _, err := m.State(ctx); err == nil {
		t.Error("got nil from State, want the start-up error")
	}
}

func TestShutdownStopsTheTimer(t *testing.T) {
	e := newEnv(t)
	m := e.launch()
	e.register(m, "ada@example.com")
	tok := e.stored()
	m.Shutdown()
	if got := e.clock.Pending(); len(got) != 0 {
		t.Fatalf("got timers %v after Shutdown, want none", got)
	}
	e.clock.Advance(time.Hour)
	if e.stored() != tok {
		t.Error("the refresh token changed after Shutdown")
	}
}

// TestConcurrentUse: many callers and the timer at once (run with -race).
func TestConcurrentUse(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	m := e.launch()
	acc := e.register(m, "ada@example.com")
	var wg sync.WaitGroup
	errs := make(chan error, 200)
	for range 8 {
		wg.Go(func() {
			for range 25 {
				id, err := m.Current(ctx)
				if err != nil {
					errs <- err
					return
				}
				if id.UserID != acc.ID {
					errs <- errors.New("wrong user")
				}
				_ = m.TakeNotice()
			}
		})
	}
	wg.Go(func() {
		for range 10 {
			e.clock.Advance(5 * time.Minute)
		}
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestDeviceLabel(t *testing.T) {
	got := session.DeviceLabel()
	if !strings.HasPrefix(got, "Cara on ") || !strings.HasSuffix(got, ")") {
		t.Errorf("got %q, want \"Cara on <host> (<OS>)\"", got)
	}
}
