package keychain

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
)

// fakeBackend stands in for go-keyring: it returns go-keyring's errors and
// can hang, corrupt values, fail and panic on demand.
type fakeBackend struct {
	mu     sync.Mutex
	items  map[string]string // "service/key" → value
	getErr error             // returned by every Get
	setErr error             // returned by every Set
	delErr error             // returned by every Delete
	// readErr is returned by Get only after a Set (a read-back failure).
	readErr error
	// mangle, if set, changes what Set stores (a truncating keychain).
	mangle func(string) string
	// hang, if set, blocks every call until it is closed.
	hang chan struct{}
	// slow delays every call.
	slow time.Duration
	// panicMsg, if set, makes every call panic with it.
	panicMsg string

	calls    atomic.Int32
	inflight atomic.Int32
	maxIn    atomic.Int32
	services sync.Map // service names seen
	afterSet bool
}

func newFake() *fakeBackend { return &fakeBackend{items: map[string]string{}} }

func (f *fakeBackend) enter(service string) func() {
	f.calls.Add(1)
	f.services.Store(service, true)
	n := f.inflight.Add(1)
	for {
		m := f.maxIn.Load()
		if n <= m || f.maxIn.CompareAndSwap(m, n) {
			break
		}
	}
	f.mu.Lock()
	hang, slow, p := f.hang, f.slow, f.panicMsg
	f.mu.Unlock()
	if hang != nil {
		<-hang
	}
	if slow > 0 {
		time.Sleep(slow)
	}
	if p != "" {
		f.inflight.Add(-1)
		panic(p)
	}
	return func() { f.inflight.Add(-1) }
}

func (f *fakeBackend) Get(service, key string) (string, error) {
	defer f.enter(service)()
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.getErr != nil {
		return "", f.getErr
	}
	if f.afterSet && f.readErr != nil {
		return "", f.readErr
	}
	v, ok := f.items[service+"/"+key]
	if !ok {
		return "", keyring.ErrNotFound
	}
	return v, nil
}

func (f *fakeBackend) Set(service, key, value string) error {
	defer f.enter(service)()
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.setErr != nil {
		return f.setErr
	}
	if f.mangle != nil {
		value = f.mangle(value)
	}
	f.items[service+"/"+key] = value
	f.afterSet = true
	return nil
}

func (f *fakeBackend) Delete(service, key string) error {
	defer f.enter(service)()
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.delErr != nil {
		return f.delErr
	}
	if _, ok := f.items[service+"/"+key]; !ok {
		return keyring.ErrNotFound
	}
	delete(f.items, service+"/"+key)
	return nil
}

func (f *fakeBackend) stored(key string) (string, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	v, ok := f.items[DefaultService+"/"+key]
	return v, ok
}

// secret is a stand-in refresh token: 512 bytes, the design's upper bound.
var secret = strings.Repeat("s3cr3t-", 74)[:512]

// wantUnavailable fails unless err is an *UnavailableError with cause target
// (if non-nil) that does not also read as ErrNotFound.
func wantUnavailable(t *testing.T, err error, target error) *UnavailableError {
	t.Helper()
	var ue *UnavailableError
	if !errors.As(err, &ue) || !errors.Is(err, ErrUnavailable) {
		t.Fatalf("err = %v (%T), want *UnavailableError", err, err)
	}
	if errors.Is(err, ErrNotFound) {
		t.Fatalf("unavailable error %q also matches ErrNotFound", ue.Detail())
	}
	if target != nil && !errors.Is(err, target) {
		t.Fatalf("cause = %v, want %v", ue.Err, target)
	}
	if err.Error() != UnavailableMessage {
		t.Fatalf("Error() = %q, want the human message", err.Error())
	}
	return ue
}

func TestOSCalls(t *testing.T) {
	errDBus := errors.New("org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.secrets was not provided by any .service files")
	tests := []struct {
		name  string
		setup func(f *fakeBackend)
		run   func(ctx context.Context, k *OS) error
		check func(t *testing.T, f *fakeBackend, err error)
	}{
		{
			name: "get missing is ErrNotFound, not unavailable",
			run:  func(ctx context.Context, k *OS) error { _, err := k.Get(ctx, "refresh-token"); return err },
			check: func(t *testing.T, f *fakeBackend, err error) {
				wantIs(t, err, ErrNotFound)
				wantNotIs(t, err, ErrUnavailable)
			},
		},
		{
			name:  "set then get round trip",
			run:   roundTrip("refresh-token", secret),
			check: func(t *testing.T, f *fakeBackend, err error) { wantNil(t, err) },
		},
		{
			name:  "unicode key and value",
			run:   roundTrip("jeton-é-🔑", "мой секрет 🔐 ﷽ e\u0301"),
			check: func(t *testing.T, f *fakeBackend, err error) { wantNil(t, err) },
		},
		{
			name: "overwrite",
			run: func(ctx context.Context, k *OS) error {
				if err := k.Set(ctx, "k", "one"); err != nil {
					return err
				}
				if err := k.Set(ctx, "k", "two"); err != nil {
					return err
				}
				return wantGet(ctx, k, "k", "two")
			},
			check: func(t *testing.T, f *fakeBackend, err error) { wantNil(t, err) },
		},
		{
			name: "delete, then get is not found, delete again is fine",
			run: func(ctx context.Context, k *OS) error {
				if err := k.Set(ctx, "k", "v"); err != nil {
					return err
				}
				if err := k.Delete(ctx, "k"); err != nil {
					return err
				}
				if err := k.Delete(ctx, "k"); err != nil {
					return fmt.Errorf("second delete: %w", err)
				}
				_, err := k.Get(ctx, "k")
				return err
			},
			check: func(t *testing.T, f *fakeBackend, err error) { wantIs(t, err, ErrNotFound) },
		},
		{
			name:  "get failure is unavailable",
			setup: func(f *fakeBackend) { f.getErr = errDBus },
			run:   func(ctx context.Context, k *OS) error { _, err := k.Get(ctx, "k"); return err },
			check: func(t *testing.T, f *fakeBackend, err error) { wantUnavailable(t, err, errDBus) },
		},
		{
			name:  "no session bus is unavailable",
			setup: func(f *fakeBackend) { f.getErr = fmt.Errorf("%w: test", ErrNoSessionBus) },
			run:   func(ctx context.Context, k *OS) error { _, err := k.Get(ctx, "k"); return err },
			check: func(t *testing.T, f *fakeBackend, err error) { wantUnavailable(t, err, ErrNoSessionBus) },
		},
		{
			name:  "set failure is unavailable",
			setup: func(f *fakeBackend) { f.setErr = errDBus },
			run:   func(ctx context.Context, k *OS) error { return k.Set(ctx, "k", "v") },
			check: func(t *testing.T, f *fakeBackend, err error) { wantUnavailable(t, err, errDBus) },
		},
		{
			name:  "go-keyring's data too big is unavailable, ErrTooLarge",
			setup: func(f *fakeBackend) { f.setErr = keyring.ErrSetDataTooBig },
			run:   func(ctx context.Context, k *OS) error { return k.Set(ctx, "k", "v") },
			check: func(t *testing.T, f *fakeBackend, err error) {
				wantUnavailable(t, err, ErrTooLarge)
				wantIs(t, err, keyring.ErrSetDataTooBig)
			},
		},
		{
			name: "a value over MaxValueLen never reaches the keychain",
			run:  func(ctx context.Context, k *OS) error { return k.Set(ctx, "k", strings.Repeat("x", MaxValueLen+1)) },
			check: func(t *testing.T, f *fakeBackend, err error) {
				wantUnavailable(t, err, ErrTooLarge)
				if n := f.calls.Load(); n != 0 {
					t.Fatalf("backend called %d times", n)
				}
			},
		},
		{
			name:  "a value of exactly MaxValueLen is fine",
			run:   roundTrip("k", strings.Repeat("x", MaxValueLen)),
			check: func(t *testing.T, f *fakeBackend, err error) { wantNil(t, err) },
		},
		{
			name:  "not found from Set does not read as not found",
			setup: func(f *fakeBackend) { f.setErr = keyring.ErrNotFound },
			run:   func(ctx context.Context, k *OS) error { return k.Set(ctx, "k", "v") },
			check: func(t *testing.T, f *fakeBackend, err error) { wantUnavailable(t, err, nil) },
		},
		{
			name:  "read-back of a truncated value is unavailable",
			setup: func(f *fakeBackend) { f.mangle = func(v string) string { return v[:len(v)/2] } },
			run:   func(ctx context.Context, k *OS) error { return k.Set(ctx, "refresh-token", secret) },
			check: func(t *testing.T, f *fakeBackend, err error) {
				ue := wantUnavailable(t, err, ErrReadBack)
				if !strings.Contains(ue.Detail(), "wrote 512 bytes, read back 256") {
					t.Fatalf("detail = %q", ue.Detail())
				}
			},
		},
		{
			name:  "read-back of a re-encoded value is unavailable",
			setup: func(f *fakeBackend) { f.mangle = strings.ToUpper },
			run:   func(ctx context.Context, k *OS) error { return k.Set(ctx, "k", "value") },
			check: func(t *testing.T, f *fakeBackend, err error) { wantUnavailable(t, err, ErrReadBack) },
		},
		{
			name:  "read-back of a dropped value is unavailable",
			setup: func(f *fakeBackend) { f.readErr = keyring.ErrNotFound },
			run:   func(ctx context.Context, k *OS) error { return k.Set(ctx, "k", "v") },
			check: func(t *testing.T, f *fakeBackend, err error) { wantUnavailable(t, err, ErrReadBack) },
		},
		{
			name:  "read-back failure is unavailable",
			setup: func(f *fakeBackend) { f.readErr = errDBus },
			run:   func(ctx context.Context, k *OS) error { return k.Set(ctx, "k", "v") },
			check: func(t *testing.T, f *fakeBackend, err error) {
				wantUnavailable(t, err, ErrReadBack)
				wantIs(t, err, errDBus)
			},
		},
		{
			name:  "delete failure is unavailable",
			setup: func(f *fakeBackend) { f.delErr = errDBus },
			run:   func(ctx context.Context, k *OS) error { return k.Delete(ctx, "k") },
			check: func(t *testing.T, f *fakeBackend, err error) { wantUnavailable(t, err, errDBus) },
		},
		{
			name:  "a panicking backend is unavailable, not a crash",
			setup: func(f *fakeBackend) { f.panicMsg = "dbus: boom" },
			run:   func(ctx context.Context, k *OS) error { _, err := k.Get(ctx, "k"); return err },
			check: func(t *testing.T, f *fakeBackend, err error) { wantUnavailable(t, err, nil) },
		},
		{
			name: "a cancelled context fails before calling the keychain",
			run: func(ctx context.Context, k *OS) error {
				ctx, cancel := context.WithCancel(ctx)
				cancel()
				_, err := k.Get(ctx, "k")
				return err
			},
			check: func(t *testing.T, f *fakeBackend, err error) {
				wantUnavailable(t, err, context.Canceled)
				if n := f.calls.Load(); n != 0 {
					t.Fatalf("backend called %d times", n)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake()
			if tt.setup != nil {
				tt.setup(f)
			}
			k := newOS(Options{Timeout: time.Second}, f)
			err := tt.run(context.Background(), k)
			tt.check(t, f, err)
		})
	}
}

func TestOSInvalidArguments(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		key    string
		value  string
		target error
	}{
		{"empty key", "", "v", ErrInvalid},
		{"key too long", strings.Repeat("k", MaxKeyLen+1), "v", ErrInvalid},
		{"key not UTF-8", "k\xff", "v", ErrInvalid},
		{"empty value", "k", "", ErrInvalid},
		{"value too large", "k", strings.Repeat("v", MaxValueLen+1), ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake()
			k := newOS(Options{}, f)
			wantUnavailable(t, k.Set(ctx, tt.key, tt.value), tt.target)
			if tt.target == ErrInvalid && tt.value != "" {
				_, err := k.Get(ctx, tt.key)
				wantUnavailable(t, err, ErrInvalid)
				wantUnavailable(t, k.Delete(ctx, tt.key), ErrInvalid)
			}
			if n := f.calls.Load(); n != 0 {
				t.Fatalf("backend called %d times", n)
			}
			m := NewMemory()
			wantUnavailable(t, m.Set(ctx, tt.key, tt.value), tt.target)
		})
	}
}

func TestOSServiceName(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct{ in, want string }{{"", "Cara"}, {"Cara-test", "Cara-test"}} {
		f := newFake()
		k := newOS(Options{Service: tt.in}, f)
		if _, err := k.Get(ctx, "k"); !errors.Is(err, ErrNotFound) {
			t.Fatal(err)
		}
		if _, ok := f.services.Load(tt.want); !ok {
			t.Fatalf("service %q not used", tt.want)
		}
		if k.timeout != DefaultTimeout {
			t.Fatalf("timeout = %v", k.timeout)
		}
	}
}

// A hung keychain: the call returns unavailable on time, later calls fail
// fast without touching the keychain, no goroutines pile up, and all is well
// once the keychain answers.
func TestOSHungKeychain(t *testing.T) {
	ctx := context.Background()
	f := newFake()
	f.items[DefaultService+"/k"] = "v"
	f.hang = make(chan struct{})
	const timeout = 100 * time.Millisecond
	k := newOS(Options{Timeout: timeout}, f)

	start := time.Now()
	_, err := k.Get(ctx, "k")
	took := time.Since(start)
	wantUnavailable(t, err, ErrTimeout)
	wantIs(t, err, context.DeadlineExceeded)
	if took < timeout || took > timeout+time.Second {
		t.Fatalf("hung Get returned after %v, want ≈ %v", took, timeout)
	}

	before := runtime.NumGoroutine()
	start = time.Now()
	for i := range 100 {
		var err error
		switch i % 3 {
		case 0:
			_, err = k.Get(ctx, "k")
		case 1:
			err = k.Set(ctx, "k", "w")
		case 2:
			err = k.Delete(ctx, "k")
		}
		wantUnavailable(t, err, ErrBusy)
	}
	if took := time.Since(start); took > 50*time.Millisecond {
		t.Fatalf("100 calls while stuck took %v, want them to fail fast", took)
	}
	if n := f.calls.Load(); n != 1 {
		t.Fatalf("backend entered %d times, want 1 (the stuck call)", n)
	}
	if after := runtime.NumGoroutine(); after > before+2 {
		t.Fatalf("goroutines grew from %d to %d while stuck", before, after)
	}

	f.mu.Lock()
	close(f.hang)
	f.hang = nil
	f.mu.Unlock()
	waitFor(t, func() bool {
		_, err := k.Get(ctx, "k")
		return err == nil
	})
	if err := k.Set(ctx, "k", "w"); err != nil {
		t.Fatal(err)
	}
	if m := f.maxIn.Load(); m != 1 {
		t.Fatalf("%d backend calls ran at once, want 1", m)
	}
}

// Callers already waiting behind a call that then gets stuck fail as soon as
// it is abandoned, not at their own deadline.
func TestOSWaitersFailWhenCallSticks(t *testing.T) {
	f := newFake()
	f.hang = make(chan struct{})
	defer close(f.hang)
	k := newOS(Options{Timeout: 10 * time.Second}, f)

	first := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		_, err := k.Get(ctx, "k")
		first <- err
	}()
	waitFor(t, func() bool { return f.calls.Load() == 1 })

	// This one queues behind the first with a 10 s budget.
	start := time.Now()
	_, err := k.Get(context.Background(), "k")
	took := time.Since(start)
	wantUnavailable(t, err, ErrBusy)
	if took > 2*time.Second {
		t.Fatalf("waiter failed after %v, want ≈ the first call's 200ms", took)
	}
	wantUnavailable(t, <-first, context.DeadlineExceeded)
}

// A slow but healthy keychain: concurrent callers queue and all succeed,
// one backend call at a time.
func TestOSConcurrentSlowCallsQueue(t *testing.T) {
	f := newFake()
	f.slow = 5 * time.Millisecond
	k := newOS(Options{Timeout: 5 * time.Second}, f)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 20 {
		wg.Go(func() {
			key := fmt.Sprintf("k%d", i%4)
			if err := k.Set(ctx, key, fmt.Sprint("v", i)); err != nil {
				errs <- err
				return
			}
			if _, err := k.Get(ctx, key); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if m := f.maxIn.Load(); m != 1 {
		t.Fatalf("%d backend calls ran at once, want 1", m)
	}
}

func TestOSContextDeadlineShorterThanTimeout(t *testing.T) {
	f := newFake()
	f.hang = make(chan struct{})
	defer close(f.hang)
	k := newOS(Options{Timeout: 10 * time.Second}, f)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := k.Get(ctx, "k")
	if took := time.Since(start); took > 2*time.Second {
		t.Fatalf("took %v, want ctx's 50ms", took)
	}
	wantUnavailable(t, err, context.DeadlineExceeded)
}

// No error, log line or formatting of one ever shows the secret, even when
// the keychain's own error message quotes it.
func TestOSErrorsNeverContainTheSecret(t *testing.T) {
	ctx := context.Background()
	leaky := fmt.Errorf("cannot store %q: %w", secret, keyring.ErrSetDataTooBig)
	cases := []struct {
		name  string
		setup func(f *fakeBackend)
	}{
		{"set error quoting the value", func(f *fakeBackend) { f.setErr = leaky }},
		{"panic quoting the value", func(f *fakeBackend) { f.panicMsg = "bad value " + secret }},
		{"read-back mismatch", func(f *fakeBackend) { f.mangle = func(v string) string { return v[1:] } }},
		{"read-back error quoting the value", func(f *fakeBackend) {
			f.readErr = fmt.Errorf("cannot decode %s", secret)
		}},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake()
			tt.setup(f)
			k := newOS(Options{Timeout: time.Second}, f)
			err := k.Set(ctx, "refresh-token", secret)
			ue := wantUnavailable(t, err, nil)
			var buf bytes.Buffer
			slog.New(slog.NewTextHandler(&buf, nil)).Error("keychain", "err", err)
			slog.New(slog.NewJSONHandler(&buf, nil)).Error("keychain", "err", err)
			texts := []string{
				err.Error(), ue.Detail(), fmt.Sprintf("%v %+v %#v %s", err, err, ue.Err, ue.Err), buf.String(),
			}
			for e := errors.Unwrap(err); e != nil; e = errors.Unwrap(e) {
				texts = append(texts, e.Error())
			}
			for _, s := range texts {
				if strings.Contains(s, secret[1:33]) {
					t.Fatalf("the secret leaked into %q", s)
				}
			}
			if !strings.Contains(buf.String(), "refresh-token") || !strings.Contains(buf.String(), "cause") {
				t.Fatalf("log line lacks the op details: %s", buf.String())
			}
		})
	}
	// The redaction keeps errors.Is working.
	f := newFake()
	f.setErr = leaky
	wantIs(t, newOS(Options{}, f).Set(ctx, "k", secret), keyring.ErrSetDataTooBig)
}

func TestMapErr(t *testing.T) {
	other := errors.New("other")
	for _, tt := range []struct {
		in   error
		want []error
	}{
		{nil, nil},
		{keyring.ErrNotFound, []error{ErrNotFound}},
		{fmt.Errorf("x: %w", keyring.ErrNotFound), []error{ErrNotFound}},
		{keyring.ErrSetDataTooBig, []error{ErrTooLarge, keyring.ErrSetDataTooBig}},
		{other, []error{other}},
	} {
		got := mapErr(tt.in)
		if (got == nil) != (tt.in == nil) {
			t.Fatalf("mapErr(%v) = %v", tt.in, got)
		}
		for _, w := range tt.want {
			if !errors.Is(got, w) {
				t.Fatalf("mapErr(%v) = %v, want it to match %v", tt.in, got, w)
			}
		}
	}
}

func wantIs(t *testing.T, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("err = %v, want %v", err, target)
	}
}

func wantNotIs(t *testing.T, err, target error) {
	t.Helper()
	if errors.Is(err, target) {
		t.Fatalf("err = %v matches %v", err, target)
	}
}

func wantNil(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		var ue *UnavailableError
		if errors.As(err, &ue) {
			t.Fatal(ue.Detail())
		}
		t.Fatal(err)
	}
}

func wantGet(ctx context.Context, k interface {
	Get(context.Context, string) (string, error)
}, key, want string) error {
	got, err := k.Get(ctx, key)
	if err != nil {
		return err
	}
	if got != want {
		return fmt.Errorf("Get(%q) returned %d bytes, want %d (values differ)", key, len(got), len(want))
	}
	return nil
}

func roundTrip(key, value string) func(ctx context.Context, k *OS) error {
	return func(ctx context.Context, k *OS) error {
		if err := k.Set(ctx, key, value); err != nil {
			return err
		}
		return wantGet(ctx, k, key, value)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 5s")
		}
		time.Sleep(time.Millisecond)
	}
}
