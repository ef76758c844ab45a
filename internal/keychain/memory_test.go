package keychain

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cara-coach/cara/internal/cara"
)

// The two keychains have one method set; consumers declare this interface.
type store interface {
	Get(ctx context.Context, key string) (string, error)
	Set(ctx context.Context, key, value string) error
	Delete(ctx context.Context, key string) error
}

var (
	_ store = (*OS)(nil)
	_ store = (*Memory)(nil)
)

// The same contract for both: Memory, and OS over a fake go-keyring.
func TestContract(t *testing.T) {
	impls := map[string]func() store{
		"Memory": func() store { return NewMemory() },
		"OS":     func() store { return newOS(Options{}, newFake()) },
	}
	steps := []struct {
		name string
		do   func(ctx context.Context, s store) error
		want error // nil, ErrNotFound or ErrUnavailable
	}{
		{"get missing", func(ctx context.Context, s store) error { _, err := s.Get(ctx, "nope"); return err }, ErrNotFound},
		{"set", func(ctx context.Context, s store) error { return s.Set(ctx, "refresh-token", secret) }, nil},
		{"get", func(ctx context.Context, s store) error { return wantGet(ctx, s, "refresh-token", secret) }, nil},
		{"overwrite", func(ctx context.Context, s store) error { return s.Set(ctx, "refresh-token", "t2") }, nil},
		{"get new", func(ctx context.Context, s store) error { return wantGet(ctx, s, "refresh-token", "t2") }, nil},
		{"signing secret", func(ctx context.Context, s store) error {
			return s.Set(ctx, "signing-secret", "q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=")
		}, nil},
		{"unicode", func(ctx context.Context, s store) error {
			if err := s.Set(ctx, "ключ", "значение ✓ 日本語 🎉"); err != nil {
				return err
			}
			return wantGet(ctx, s, "ключ", "значение ✓ 日本語 🎉")
		}, nil},
		{"too large", func(ctx context.Context, s store) error {
			return s.Set(ctx, "refresh-token", strings.Repeat("x", MaxValueLen+1))
		}, ErrUnavailable},
		{"failed set kept the old value", func(ctx context.Context, s store) error { return wantGet(ctx, s, "refresh-token", "t2") }, nil},
		{"delete", func(ctx context.Context, s store) error { return s.Delete(ctx, "refresh-token") }, nil},
		{"get deleted", func(ctx context.Context, s store) error { _, err := s.Get(ctx, "refresh-token"); return err }, ErrNotFound},
		{"delete missing", func(ctx context.Context, s store) error { return s.Delete(ctx, "refresh-token") }, nil},
		{"other key untouched", func(ctx context.Context, s store) error {
			return wantGet(ctx, s, "signing-secret", "q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=")
		}, nil},
		{"empty key", func(ctx context.Context, s store) error { _, err := s.Get(ctx, ""); return err }, ErrUnavailable},
	}
	for name, newStore := range impls {
		t.Run(name, func(t *testing.T) {
			s := newStore()
			ctx := context.Background()
			for _, st := range steps {
				err := st.do(ctx, s)
				switch {
				case st.want == nil && err != nil:
					t.Fatalf("%s: %v", st.name, err)
				case st.want != nil && !errors.Is(err, st.want):
					t.Fatalf("%s: err = %v, want %v", st.name, err, st.want)
				case st.want == ErrNotFound && err != ErrNotFound:
					t.Fatalf("%s: err = %#v, want ErrNotFound itself", st.name, err)
				}
			}
		})
	}
}

func TestMemoryKnobs(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		knob  func(m *Memory)
		check func(t *testing.T, m *Memory)
	}{
		{
			name: "unavailable: every call fails, items survive",
			knob: func(m *Memory) { m.SetUnavailable(true) },
			check: func(t *testing.T, m *Memory) {
				_, err := m.Get(ctx, "k")
				wantUnavailable(t, err, nil)
				wantUnavailable(t, m.Set(ctx, "k", "new"), nil)
				wantUnavailable(t, m.Delete(ctx, "k"), nil)
				_, err = m.Get(ctx, "missing")
				wantUnavailable(t, err, nil) // unavailable, never "not found"
				m.SetUnavailable(false)
				wantNil(t, wantGet(ctx, m, "k", "v"))
			},
		},
		{
			name: "full: Set fails, Get and Delete work",
			knob: func(m *Memory) { m.SetFull(true) },
			check: func(t *testing.T, m *Memory) {
				wantUnavailable(t, m.Set(ctx, "k2", "v"), nil)
				wantUnavailable(t, m.Set(ctx, "k", "new"), nil)
				wantNil(t, wantGet(ctx, m, "k", "v"))
				wantNil(t, m.Delete(ctx, "k"))
				m.SetFull(false)
				wantNil(t, m.Set(ctx, "k2", "v"))
			},
		},
		{
			name: "small limit: longer values are too large",
			knob: func(m *Memory) { m.SetMaxValueLen(16) },
			check: func(t *testing.T, m *Memory) {
				wantNil(t, m.Set(ctx, "k", strings.Repeat("x", 16)))
				wantUnavailable(t, m.Set(ctx, "k", strings.Repeat("x", 17)), ErrTooLarge)
				wantNil(t, wantGet(ctx, m, "k", strings.Repeat("x", 16)))
				m.SetMaxValueLen(0)
				wantNil(t, m.Set(ctx, "k", secret))
				m.SetMaxValueLen(1 << 20) // never above MaxValueLen
				wantUnavailable(t, m.Set(ctx, "k", strings.Repeat("x", MaxValueLen+1)), ErrTooLarge)
			},
		},
		{
			name: "slow within the timeout: works, takes the delay",
			knob: func(m *Memory) { m.SetDelay(30 * time.Millisecond) },
			check: func(t *testing.T, m *Memory) {
				start := time.Now()
				wantNil(t, wantGet(ctx, m, "k", "v"))
				if took := time.Since(start); took < 30*time.Millisecond {
					t.Fatalf("took %v, want ≥ 30ms", took)
				}
			},
		},
		{
			name: "slower than the timeout: unavailable at the timeout, nothing changed",
			knob: func(m *Memory) {
				m.SetDelay(time.Hour)
				m.SetTimeout(50 * time.Millisecond)
			},
			check: func(t *testing.T, m *Memory) {
				start := time.Now()
				wantUnavailable(t, m.Set(ctx, "k", "new"), ErrTimeout)
				if took := time.Since(start); took < 50*time.Millisecond || took > time.Second {
					t.Fatalf("took %v, want ≈ 50ms", took)
				}
				m.SetDelay(0)
				wantNil(t, wantGet(ctx, m, "k", "v"))
			},
		},
		{
			name: "slower than ctx: unavailable when ctx ends",
			knob: func(m *Memory) { m.SetDelay(time.Hour) },
			check: func(t *testing.T, m *Memory) {
				ctx, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
				defer cancel()
				_, err := m.Get(ctx, "k")
				wantUnavailable(t, err, context.DeadlineExceeded)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := NewMemory()
			wantNil(t, m.Set(ctx, "k", "v"))
			tt.knob(m)
			tt.check(t, m)
		})
	}
}

func TestMemoryConcurrent(t *testing.T) {
	m := NewMemory()
	ctx := context.Background()
	var wg sync.WaitGroup
	for i := range 32 {
		wg.Go(func() {
			key := fmt.Sprintf("k%d", i%8)
			for j := range 50 {
				if err := m.Set(ctx, key, fmt.Sprint(i, "-", j)); err != nil {
					t.Error(err)
					return
				}
				if _, err := m.Get(ctx, key); err != nil && !errors.Is(err, ErrNotFound) {
					t.Error(err)
					return
				}
				if j%10 == 0 {
					_ = m.Delete(ctx, key)
				}
				if j == 25 {
					m.SetUnavailable(false) // knobs race with calls too
					m.SetDelay(0)
				}
			}
		})
	}
	wg.Wait()
}

func TestUnavailableError(t *testing.T) {
	cause := errors.New("org.freedesktop.DBus.Error.NoReply")
	err := error(unavailable("get", "refresh-token", cause))

	if err.Error() != "Cara can't reach the system keychain, so it can't remember your sign-in." {
		t.Fatalf("Error() = %q", err)
	}
	if !errors.Is(err, ErrUnavailable) || !errors.Is(err, cause) || errors.Is(err, ErrNotFound) {
		t.Fatal("errors.Is is wrong")
	}
	if got := cara.ErrorCode(err); got != cara.EUNAVAILABLE {
		t.Fatalf("cara code = %q", got)
	}
	if got := cara.ErrorMessage(fmt.Errorf("auth: %w", err)); got != UnavailableMessage {
		t.Fatalf("cara message = %q", got)
	}
	if got, want := err.(*UnavailableError).Detail(), `keychain get "refresh-token": org.freedesktop.DBus.Error.NoReply`; got != want {
		t.Fatalf("Detail() = %q, want %q", got, want)
	}
	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("x", "err", err)
	for _, want := range []string{"err.op=get", "err.key=refresh-token", "err.cause=org.freedesktop.DBus.Error.NoReply"} {
		if !strings.Contains(buf.String(), want) {
			t.Fatalf("log line %q lacks %q", buf.String(), want)
		}
	}
	// A "not found" inside a failure never reads as "no token".
	if errors.Is(unavailable("set", "k", fmt.Errorf("x: %w", ErrNotFound)), ErrNotFound) {
		t.Fatal("unavailable error matches ErrNotFound")
	}
}
