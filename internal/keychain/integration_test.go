package keychain

// Integration tests against the real OS keychain. They run only when
// CARA_KEYCHAIN_IT names the environment scripts/test-keychain.sh set up:
//
//	secret-service   a real, unlocked Secret Service (gnome-keyring)
//	no-bus           DBUS_SESSION_BUS_ADDRESS names a socket that does not exist
//	no-bus-unset     no DBUS_SESSION_BUS_ADDRESS and no /run/user/UID/bus
//	no-service       a session bus on which nothing provides the Secret Service
//	locked           gnome-keyring activatable but locked, no display to prompt on
//	prompt-hang      gnome-keyring locked, prompting on a display nobody answers
//	activation-hang  a session bus whose Secret Service never finishes starting
//
// Each fallback environment must answer "unavailable" (never "not found")
// within the 5 s timeout.

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// itService keeps test items apart from a real "Cara" sign-in.
const itService = "Cara-test"

func itEnv(t *testing.T, want ...string) string {
	t.Helper()
	env := os.Getenv("CARA_KEYCHAIN_IT")
	for _, w := range want {
		if env == w {
			return env
		}
	}
	t.Skipf("CARA_KEYCHAIN_IT=%q; run scripts/test-keychain.sh", env)
	return ""
}

func randomToken(t *testing.T, n int) string {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func itKeychain(t *testing.T) (*OS, context.Context) {
	t.Helper()
	k := NewOS(Options{Service: itService})
	return k, context.Background()
}

// cleanupKeys deletes keys when the test ends.
func cleanupKeys(t *testing.T, k *OS, keys ...string) {
	t.Cleanup(func() {
		for _, key := range keys {
			if err := k.Delete(context.Background(), key); err != nil {
				t.Errorf("cleanup delete %q: %v", key, detail(err))
			}
		}
	})
}

func detail(err error) string {
	var ue *UnavailableError
	if errors.As(err, &ue) {
		return ue.Detail()
	}
	return fmt.Sprint(err)
}

func mustNil(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %s", what, detail(err))
	}
}

func TestIntegrationSecretServiceRoundTrip(t *testing.T) {
	itEnv(t, "secret-service")
	k, ctx := itKeychain(t)
	key := "refresh-token"
	cleanupKeys(t, k, key)

	_, err := k.Get(ctx, key)
	if err != ErrNotFound {
		t.Fatalf("Get before Set: %s, want ErrNotFound", detail(err))
	}
	first, second := randomToken(t, 48), randomToken(t, 48)
	start := time.Now()
	mustNil(t, "Set", k.Set(ctx, key, first))
	t.Logf("Set with read-back took %v", time.Since(start))
	mustNil(t, "Get", wantGet(ctx, k, key, first))
	mustNil(t, "overwrite", k.Set(ctx, key, second))
	mustNil(t, "Get after overwrite", wantGet(ctx, k, key, second))

	// Another instance (as after a restart) sees the same item.
	mustNil(t, "Get from a new OS", wantGet(ctx, NewOS(Options{Service: itService}), key, second))
	// Another service does not.
	if _, err := NewOS(Options{Service: itService + "-other"}).Get(ctx, key); err != ErrNotFound {
		t.Fatalf("Get under another service: %s, want ErrNotFound", detail(err))
	}

	mustNil(t, "Delete", k.Delete(ctx, key))
	if _, err := k.Get(ctx, key); err != ErrNotFound {
		t.Fatalf("Get after Delete: %s, want ErrNotFound", detail(err))
	}
	mustNil(t, "Delete again", k.Delete(ctx, key))
}

// The item is a plain Secret Service item other tools can find: service and
// username attributes, the value as stored.
func TestIntegrationSecretServiceIsRealItem(t *testing.T) {
	itEnv(t, "secret-service")
	if _, err := exec.LookPath("secret-tool"); err != nil {
		t.Skip("secret-tool (libsecret-tools) is not installed")
	}
	k, ctx := itKeychain(t)
	key := "interop-check"
	cleanupKeys(t, k, key)
	value := randomToken(t, 24)
	mustNil(t, "Set", k.Set(ctx, key, value))
	out, err := exec.Command("secret-tool", "lookup", "service", itService, "username", key).Output()
	if err != nil {
		t.Fatalf("secret-tool lookup: %v", err)
	}
	if string(out) != value {
		t.Fatalf("secret-tool sees %d bytes, want the %d Cara stored", len(out), len(value))
	}
}

func TestIntegrationSecretServiceNotFound(t *testing.T) {
	itEnv(t, "secret-service")
	k, ctx := itKeychain(t)
	for _, key := range []string{"never-set", "ñ-never-set-🔑", strings.Repeat("k", MaxKeyLen)} {
		v, err := k.Get(ctx, key)
		if err != ErrNotFound || v != "" {
			t.Fatalf("Get(%q) = %d bytes, %s; want ErrNotFound", key, len(v), detail(err))
		}
		mustNil(t, "Delete missing", k.Delete(ctx, key))
	}
}

func TestIntegrationSecretServiceValues(t *testing.T) {
	itEnv(t, "secret-service")
	k, ctx := itKeychain(t)
	signing := make([]byte, 32)
	if _, err := rand.Read(signing); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, key, value string
	}{
		{"512-byte refresh token", "refresh-token", randomToken(t, 384)},
		{"32-byte signing secret, base64", "signing-secret", base64.StdEncoding.EncodeToString(signing)},
		{"MaxValueLen bytes", "max", strings.Repeat("z", MaxValueLen)},
		{"one byte", "one", "x"},
		{"Cyrillic, CJK, emoji, combining", "unicode", "пароль 密码 🔐🎉 e\u0301 ﷽"},
		{"right-to-left and zero-width", "bidi", "\u202eabc\u200b\u200dxyz"},
		{"unicode key", "клю́ч-日本-🔑", "value"},
		{"whitespace and newlines kept", "spaces", "  a\tb\nc  \n"},
		{"quotes and shell metacharacters", "shell", `'"; $(rm -rf /) ` + "`x` \\ %s %v"},
		{"NUL byte", "nul", "a\x00b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cleanupKeys(t, k, tt.key)
			mustNil(t, "Set", k.Set(ctx, tt.key, tt.value))
			mustNil(t, "Get", wantGet(ctx, k, tt.key, tt.value))
		})
	}
	if n := len(tests[0].value); n != 512 {
		t.Fatalf("refresh token is %d bytes, want 512", n)
	}
}

// Cara refuses values over MaxValueLen on every OS (Windows stops at 2560
// bytes); the Secret Service itself takes far more, which this measures.
func TestIntegrationSecretServiceTooLarge(t *testing.T) {
	itEnv(t, "secret-service")
	k, ctx := itKeychain(t)
	key := "too-large"
	cleanupKeys(t, k, key)
	mustNil(t, "Set", k.Set(ctx, key, "small"))
	err := k.Set(ctx, key, strings.Repeat("x", MaxValueLen+1))
	wantUnavailable(t, err, ErrTooLarge)
	mustNil(t, "previous value intact", wantGet(ctx, k, key, "small"))

	// What the Secret Service accepts, straight through go-keyring.
	raw := goKeyring{}
	for _, size := range []int{64 << 10, 1 << 20, 8 << 20} {
		value := strings.Repeat("v", size)
		start := time.Now()
		err := raw.Set(itService, "raw-size-probe", value)
		var got string
		if err == nil {
			got, err = raw.Get(itService, "raw-size-probe")
		}
		took := time.Since(start)
		switch {
		case err != nil:
			t.Logf("Secret Service refused %d bytes after %v: %v", size, took, err)
		case got != value:
			t.Errorf("Secret Service returned %d bytes for %d stored", len(got), size)
		default:
			t.Logf("Secret Service stored and returned %d bytes in %v", size, took)
		}
	}
	if err := raw.Delete(itService, "raw-size-probe"); err != nil {
		t.Logf("deleting the size probe: %v", err)
	}
}

func TestIntegrationSecretServiceConcurrent(t *testing.T) {
	itEnv(t, "secret-service")
	ctx := context.Background()
	shared := NewOS(Options{Service: itService})
	const workers, rounds = 8, 10
	keys := []string{"shared"}
	for w := range workers {
		keys = append(keys, fmt.Sprintf("worker-%d", w))
	}
	cleanupKeys(t, shared, keys...)

	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, workers*rounds*4)
	for w := range workers {
		// Odd workers have their own OS, so their calls overlap on the D-Bus
		// connection; even ones share one OS, whose calls queue.
		k := shared
		if w%2 == 1 {
			k = NewOS(Options{Service: itService})
		}
		wg.Go(func() {
			own := fmt.Sprintf("worker-%d", w)
			for r := range rounds {
				value := fmt.Sprintf("%s-round-%d-%s", own, r, randomToken(t, 16))
				if err := k.Set(ctx, own, value); err != nil {
					errs <- fmt.Errorf("Set %s: %s", own, detail(err))
					continue
				}
				if err := wantGet(ctx, k, own, value); err != nil {
					errs <- fmt.Errorf("Get %s: %s", own, detail(err))
				}
				if k != shared {
					continue
				}
				// Through one OS, Set+read-back of one key is never torn.
				if err := shared.Set(ctx, "shared", value); err != nil {
					errs <- fmt.Errorf("Set shared: %s", detail(err))
				}
				if got, err := shared.Get(ctx, "shared"); err != nil {
					errs <- fmt.Errorf("Get shared: %s", detail(err))
				} else if !strings.HasPrefix(got, "worker-") || !strings.Contains(got, "-round-") {
					errs <- fmt.Errorf("shared holds a damaged value (%d bytes)", len(got))
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	t.Logf("%d workers × %d rounds took %v", workers, rounds, time.Since(start))
}

// Separate processes (here, separate OS values) writing one key at once:
// a Set may see another's value on read-back and report ErrReadBack, but
// nothing is torn or lost: the key ends up holding one whole value written.
func TestIntegrationSecretServiceConcurrentWritersOneKey(t *testing.T) {
	itEnv(t, "secret-service")
	ctx := context.Background()
	const writers = 6
	key := "contended"
	cleanupKeys(t, NewOS(Options{Service: itService}), key)
	written := make([]string, writers)
	results := make([]error, writers)
	var wg sync.WaitGroup
	for w := range writers {
		written[w] = fmt.Sprintf("writer-%d-%s", w, randomToken(t, 32))
		k := NewOS(Options{Service: itService})
		wg.Go(func() { results[w] = k.Set(ctx, key, written[w]) })
	}
	wg.Wait()
	ok, readBack := 0, 0
	for _, err := range results {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, ErrReadBack):
			readBack++
		default:
			t.Errorf("Set: %s", detail(err))
		}
	}
	got, err := NewOS(Options{Service: itService}).Get(ctx, key)
	mustNil(t, "Get", err)
	found := false
	for _, w := range written {
		found = found || got == w
	}
	if !found {
		t.Fatalf("the key holds %d bytes that no writer wrote", len(got))
	}
	t.Logf("%d concurrent writers: %d read back their own value, %d saw another's (ErrReadBack)", writers, ok, readBack)
}

// The fallback environments: every call is "unavailable", never "not
// found", and answers within the timeout. A keychain that hangs costs one
// timeout, not one per call.
func TestIntegrationFallback(t *testing.T) {
	env := itEnv(t, "no-bus", "no-bus-unset", "no-service", "locked", "prompt-hang", "activation-hang")
	busBefore, busWasSet := os.LookupEnv("DBUS_SESSION_BUS_ADDRESS")
	t.Logf("environment %s: DBUS_SESSION_BUS_ADDRESS=%q (set: %v)", env, busBefore, busWasSet)
	if env == "no-bus-unset" && busWasSet {
		t.Fatal("DBUS_SESSION_BUS_ADDRESS is set")
	}

	k := NewOS(Options{Service: itService}) // the default 5 s timeout
	ctx := context.Background()
	ops := []struct {
		name string
		do   func() error
	}{
		{"Get", func() error { _, err := k.Get(ctx, "refresh-token"); return err }},
		{"Get (another key)", func() error { _, err := k.Get(ctx, "signing-secret"); return err }},
		{"Set", func() error { return k.Set(ctx, "refresh-token", randomToken(t, 32)) }},
		{"Delete", func() error { return k.Delete(ctx, "refresh-token") }},
	}
	total := time.Now()
	for _, op := range ops {
		start := time.Now()
		err := op.do()
		took := time.Since(start)
		if err == nil {
			t.Fatalf("%s succeeded in environment %s", op.name, env)
		}
		ue := wantUnavailable(t, err, nil)
		t.Logf("%-17s → unavailable in %8v: %s", op.name, took.Round(time.Microsecond), ue.Detail())
		if took >= 6*time.Second {
			t.Errorf("%s took %v, want < 6s", op.name, took)
		}
	}
	elapsed := time.Since(total)
	t.Logf("all %d calls: %v", len(ops), elapsed.Round(time.Millisecond))
	if elapsed >= 6*time.Second {
		t.Errorf("the %d calls took %v together, want < 6s", len(ops), elapsed)
	}

	// go-keyring's D-Bus library must not have autolaunched a session bus.
	if busAfter, set := os.LookupEnv("DBUS_SESSION_BUS_ADDRESS"); busAfter != busBefore || set != busWasSet {
		t.Errorf("DBUS_SESSION_BUS_ADDRESS changed from %q to %q: a session bus was autolaunched", busBefore, busAfter)
	}
	t.Logf("goroutines at the end: %d", runtime.NumGoroutine())
}
