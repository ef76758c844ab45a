package auth_test

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
)

// clock is a fake time source that tests move by hand.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock {
	return &clock{now: time.Date(2030, 3, 4, 9, 0, 0, 0, time.UTC)}
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

var (
	keyA = []byte("0123456789abcdef0123456789abcdef") // 32 bytes
	keyB = []byte("fedcba9876543210fedcba9876543210")
)

type env struct {
	svc   *auth.Service
	store *memstore.Store
	clock *clock
}

// newEnv returns a Service at bcrypt cost 4 over a fresh memstore, with a
// fake clock and two signing keys ("k1" current, "k0" old).
func newEnv(t testing.TB, opts ...auth.Option) *env {
	t.Helper()
	e := &env{store: memstore.New(), clock: newClock()}
	all := append([]auth.Option{
		auth.WithBcryptCost(4),
		auth.WithClock(e.clock.Now),
		auth.WithSigningKeys("k1", map[string][]byte{"k1": keyA, "k0": keyB}),
	}, opts...)
	svc, err := auth.New(e.store, all...)
	if err != nil {
		t.Fatalf("auth.New: %v", err)
	}
	e.svc = svc
	return e
}

// goodPassword passes every rule (MyPassword123, the seed's example, no longer
// does: its base "mypassword" is a common password).
const goodPassword = "Copper-Kestrel-81"

func (e *env) register(t testing.TB, email string) auth.Auth {
	t.Helper()
	a, err := e.svc.Register(context.Background(), auth.Registration{
		Email: email, Name: "Ana Lima", Role: "Engineer", Password: goodPassword, Device: "laptop",
	})
	if err != nil {
		t.Fatalf("Register(%s): %v", email, err)
	}
	return a
}

func (e *env) login(t testing.TB, email, password string) auth.Auth {
	t.Helper()
	a, err := e.svc.Login(context.Background(), email, password, "laptop")
	if err != nil {
		t.Fatalf("Login(%s): %v", email, err)
	}
	return a
}

// wantCara checks err's code and message as the UI would see them.
func wantCara(t testing.TB, what string, err error, code, msg string) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: got no error, want %s %q", what, code, msg)
	}
	if got := cara.ErrorCode(err); got != code {
		t.Errorf("%s: got code %q, want %q (err %v)", what, got, code, err)
	}
	if got := cara.ErrorMessage(err); got != msg {
		t.Errorf("%s: got message %q, want %q", what, got, msg)
	}
}

func wantSessionExpired(t testing.TB, what string, err error) {
	t.Helper()
	if !errors.Is(err, auth.ErrSessionExpired) {
		t.Fatalf("%s: got %v, want ErrSessionExpired", what, err)
	}
	wantCara(t, what, err, cara.EUNAUTHORIZED, "Session expired. Please log in again.")
}

func wantInvalidCredentials(t testing.TB, what string, err error) {
	t.Helper()
	if !errors.Is(err, auth.ErrInvalidCredentials) {
		t.Fatalf("%s: got %v, want ErrInvalidCredentials", what, err)
	}
	wantCara(t, what, err, cara.EUNAUTHORIZED, "Invalid credentials")
}

func ruleIDs(rules []auth.Rule) string {
	ids := make([]string, len(rules))
	for i, r := range rules {
		ids[i] = r.ID
	}
	return strings.Join(ids, ",")
}
