package session_test

import (
	"context"
	"errors"
	"os"
	"testing"

	"github.com/cara-coach/cara/internal/auth/memstore"
	"github.com/cara-coach/cara/internal/keychain"
	"github.com/cara-coach/cara/internal/session"
)

// TestIntegrationSecretServiceRestart: the silent sign-in across a restart
// with the real OS keychain. It runs only with a real, unlocked Secret
// Service (CARA_KEYCHAIN_IT=secret-service, as scripts/test-keychain.sh sets
// up), under the service name "Cara-test" so a real sign-in is untouched.
func TestIntegrationSecretServiceRestart(t *testing.T) {
	if os.Getenv("CARA_KEYCHAIN_IT") != "secret-service" {
		t.Skip("CARA_KEYCHAIN_IT is not secret-service; run scripts/test-keychain.sh")
	}
	ctx := context.Background()
	kc := keychain.NewOS(keychain.Options{Service: "Cara-test"})
	t.Cleanup(func() {
		_ = kc.Delete(ctx, session.KeyRefreshToken)
		_ = kc.Delete(ctx, session.KeySigningKey)
	})
	_ = kc.Delete(ctx, session.KeyRefreshToken)
	_ = kc.Delete(ctx, session.KeySigningKey)
	e := &env{t: t, store: memstore.New(), clock: newFakeClock()}

	launch := func() *session.Manager {
		m := session.New(kc, e.newAuth, session.Config{Device: device, Clock: e.clock})
		t.Cleanup(m.Shutdown)
		if err := m.Restore(ctx); err != nil {
			t.Fatalf("Restore: %v", err)
		}
		return m
	}
	m := launch()
	if n := m.TakeNotice(); n != "" {
		t.Fatalf("got notice %q with a working keychain", n)
	}
	acc := e.register(m, "ada@example.com")
	key1, err := kc.Get(ctx, session.KeySigningKey)
	if err != nil {
		t.Fatalf("signing key not kept: %v", err)
	}
	m.Shutdown()

	m = launch()
	if got := currentUser(t, m); got != acc.ID {
		t.Fatalf("after restart got user %s, want %s", got, acc.ID)
	}
	if key2, _ := kc.Get(ctx, session.KeySigningKey); key2 != key1 {
		t.Error("the signing key changed across the restart")
	}
	if err := m.Logout(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := kc.Get(ctx, session.KeyRefreshToken); !errors.Is(err, keychain.ErrNotFound) {
		t.Fatalf("after Logout got %v, want ErrNotFound", err)
	}
}
