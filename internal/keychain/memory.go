package keychain

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// errSimulated is the cause of the failures a Memory is told to simulate.
var errSimulated = errors.New("memory keychain: simulated outage")

// errFull is the cause when a Memory simulates a keychain refusing new data.
var errFull = errors.New("memory keychain: simulated full keychain")

// Memory is an in-memory keychain with OS's method set and error contract,
// for tests and as the fallback when the OS keychain is unavailable (it
// forgets everything when Cara quits). It is safe for concurrent use. Its
// knobs simulate a failing keychain: SetUnavailable, SetFull, SetMaxValueLen,
// SetDelay and SetTimeout.
type Memory struct {
	mu          sync.Mutex
	items       map[string]string
	unavailable bool
	full        bool
	maxValueLen int
	delay       time.Duration
	timeout     time.Duration
}

// NewMemory returns an empty, working Memory with OS's limits and timeout.
func NewMemory() *Memory {
	return &Memory{items: map[string]string{}, maxValueLen: MaxValueLen, timeout: DefaultTimeout}
}

// SetUnavailable makes every call fail with an *UnavailableError (on) or
// work again (off). The items are kept.
func (m *Memory) SetUnavailable(on bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.unavailable = on
}

// SetFull makes Set fail with an *UnavailableError, as a keychain out of
// space or quota would; Get and Delete keep working.
func (m *Memory) SetFull(on bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.full = on
}

// SetMaxValueLen makes Set refuse values longer than n bytes (ErrTooLarge),
// as a keychain with a smaller limit would. n ≤ 0 restores MaxValueLen;
// values over MaxValueLen are always refused.
func (m *Memory) SetMaxValueLen(n int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if n <= 0 || n > MaxValueLen {
		n = MaxValueLen
	}
	m.maxValueLen = n
}

// SetDelay makes every call take d first, as a slow keychain would. A call
// whose delay outlasts the timeout or ctx fails with an *UnavailableError
// (ErrTimeout, or ctx's cause) when they end, and changes nothing.
func (m *Memory) SetDelay(d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.delay = d
}

// SetTimeout sets the bound on every call (default 5 s, like OS).
func (m *Memory) SetTimeout(d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if d <= 0 {
		d = DefaultTimeout
	}
	m.timeout = d
}

// Get returns the value stored under key, ErrNotFound if there is none, or an
// *UnavailableError.
func (m *Memory) Get(ctx context.Context, key string) (string, error) {
	if err := checkKey(key); err != nil {
		return "", unavailable("get", key, err)
	}
	if err := m.wait(ctx); err != nil {
		return "", unavailable("get", key, err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.unavailable {
		return "", unavailable("get", key, errSimulated)
	}
	v, ok := m.items[key]
	if !ok {
		return "", ErrNotFound
	}
	return v, nil
}

// Set stores value under key, replacing any previous value. Any failure is an
// *UnavailableError and leaves the previous value in place.
func (m *Memory) Set(ctx context.Context, key, value string) error {
	if err := checkKey(key); err != nil {
		return unavailable("set", key, err)
	}
	if err := checkValue(value, MaxValueLen); err != nil {
		return unavailable("set", key, err)
	}
	if err := m.wait(ctx); err != nil {
		return unavailable("set", key, err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	switch {
	case m.unavailable:
		return unavailable("set", key, errSimulated)
	case m.full:
		return unavailable("set", key, errFull)
	case len(value) > m.maxValueLen:
		return unavailable("set", key, fmt.Errorf("%w: %d bytes, this keychain takes %d", ErrTooLarge, len(value), m.maxValueLen))
	}
	m.items[key] = value
	return nil
}

// Delete removes the item under key. Deleting a missing item is not an
// error. Any failure is an *UnavailableError.
func (m *Memory) Delete(ctx context.Context, key string) error {
	if err := checkKey(key); err != nil {
		return unavailable("delete", key, err)
	}
	if err := m.wait(ctx); err != nil {
		return unavailable("delete", key, err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.unavailable {
		return unavailable("delete", key, errSimulated)
	}
	delete(m.items, key)
	return nil
}

// wait sleeps the simulated delay, bounded by the timeout and ctx.
func (m *Memory) wait(ctx context.Context) error {
	m.mu.Lock()
	delay, timeout := m.delay, m.timeout
	m.mu.Unlock()
	ctx, cancel := context.WithTimeoutCause(ctx, timeout,
		fmt.Errorf("%w after %v (%w)", ErrTimeout, timeout, context.DeadlineExceeded))
	defer cancel()
	if ctx.Err() != nil {
		return context.Cause(ctx)
	}
	if delay <= 0 {
		return nil
	}
	t := time.NewTimer(delay)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}
