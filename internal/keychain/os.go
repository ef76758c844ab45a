package keychain

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Options configure NewOS. The zero value means the defaults.
type Options struct {
	// Service is the service name items are stored under; default "Cara".
	Service string
	// Timeout bounds every call (Set's read-back included); default 5 s.
	Timeout time.Duration
}

// OS is the operating system's keychain. It is safe for concurrent use.
//
// Keychain calls can block forever (a locked keyring waiting on a prompt, a
// hung D-Bus peer), so each runs in its own goroutine and the caller gets
// ErrTimeout after Timeout (or when ctx ends, whichever is first). Calls run
// one at a time. A call abandoned on timeout keeps its goroutine until the
// keychain answers; while it is stuck, new calls fail at once with ErrBusy
// instead of piling up goroutines behind it, so at most one goroutine per OS
// is ever left waiting on the keychain. An abandoned Set may still complete
// later.
type OS struct {
	service string
	timeout time.Duration
	be      backend

	slot chan struct{} // capacity 1: held by the goroutine running a backend call

	mu sync.Mutex
	// stuckCh is closed while the call holding slot has been abandoned and
	// has not returned; it is replaced by an open one when that call returns.
	stuckCh chan struct{}
}

// NewOS returns the OS keychain with o's service name and timeout.
func NewOS(o Options) *OS { return newOS(o, goKeyring{}) }

func newOS(o Options, be backend) *OS {
	if o.Service == "" {
		o.Service = DefaultService
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	return &OS{
		service: o.Service,
		timeout: o.Timeout,
		be:      be,
		slot:    make(chan struct{}, 1),
		stuckCh: make(chan struct{}),
	}
}

// Get returns the value stored under key, ErrNotFound if there is none, or an
// *UnavailableError.
func (k *OS) Get(ctx context.Context, key string) (string, error) {
	if err := checkKey(key); err != nil {
		return "", unavailable("get", key, err)
	}
	v, err := k.run(ctx, func() (string, error) {
		v, err := k.be.Get(k.service, key)
		return v, mapErr(err)
	})
	switch {
	case err == nil:
		return v, nil
	case errors.Is(err, ErrNotFound):
		return "", ErrNotFound
	}
	return "", unavailable("get", key, err)
}

// Set stores value under key, replacing any previous value, then reads it
// back: a value that does not read back intact is unavailable (ErrReadBack).
// Any failure is an *UnavailableError, after which the keychain may hold the
// previous value or a damaged one: a caller that must not find it again (a
// rotated refresh token) should Delete it. The damaged value is not deleted
// here because a mismatch can also mean another process wrote the key in
// between, and deleting would destroy its good value.
func (k *OS) Set(ctx context.Context, key, value string) error {
	if err := checkKey(key); err != nil {
		return unavailable("set", key, err)
	}
	if err := checkValue(value, MaxValueLen); err != nil {
		return unavailable("set", key, err)
	}
	_, err := k.run(ctx, func() (string, error) {
		if err := k.be.Set(k.service, key, value); err != nil {
			return "", mapErr(err)
		}
		got, err := k.be.Get(k.service, key)
		switch err = mapErr(err); {
		case errors.Is(err, ErrNotFound):
			return "", fmt.Errorf("%w: the item is missing right after Set", ErrReadBack)
		case err != nil:
			return "", fmt.Errorf("%w: reading it back failed: %w", ErrReadBack, err)
		}
		if got != value {
			return "", fmt.Errorf("%w: wrote %d bytes, read back %d bytes that differ", ErrReadBack, len(value), len(got))
		}
		return "", nil
	})
	if err != nil {
		return unavailable("set", key, scrub(err, value))
	}
	return nil
}

// Delete removes the item under key. Deleting a missing item is not an
// error. Any failure is an *UnavailableError.
func (k *OS) Delete(ctx context.Context, key string) error {
	if err := checkKey(key); err != nil {
		return unavailable("delete", key, err)
	}
	_, err := k.run(ctx, func() (string, error) { return "", mapErr(k.be.Delete(k.service, key)) })
	if err == nil || errors.Is(err, ErrNotFound) {
		return nil
	}
	return unavailable("delete", key, err)
}

// call is one backend call's bookkeeping, guarded by OS.mu.
type call struct {
	finished  bool // fn has returned
	abandoned bool // the caller gave up waiting
}

type result struct {
	v   string
	err error
}

// run runs fn in its own goroutine, one at a time, and waits for it at most
// k.timeout or until ctx ends.
func (k *OS) run(ctx context.Context, fn func() (string, error)) (string, error) {
	ctx, cancel := context.WithTimeoutCause(ctx, k.timeout,
		fmt.Errorf("%w after %v (%w)", ErrTimeout, k.timeout, context.DeadlineExceeded))
	defer cancel()
	if ctx.Err() != nil {
		return "", context.Cause(ctx)
	}

	// While a call is stuck, stuckCh is closed (and the slot is taken), so
	// this fails at once; if a call gets stuck while we wait, it fails then.
	k.mu.Lock()
	stuckCh := k.stuckCh
	k.mu.Unlock()
	select {
	case k.slot <- struct{}{}:
	case <-stuckCh:
		return "", ErrBusy
	case <-ctx.Done():
		return "", context.Cause(ctx)
	}

	c := &call{}
	done := make(chan result, 1)
	go func() {
		var r result
		defer func() {
			if p := recover(); p != nil {
				r = result{err: fmt.Errorf("keychain backend panicked: %v", p)}
			}
			k.mu.Lock()
			c.finished = true
			if c.abandoned {
				k.stuckCh = make(chan struct{})
			}
			k.mu.Unlock()
			<-k.slot
			done <- r
		}()
		r.v, r.err = fn()
	}()

	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		k.mu.Lock()
		finished := c.finished
		if !finished {
			c.abandoned = true
			close(k.stuckCh)
		}
		k.mu.Unlock()
		if finished { // it answered just in time: done is about to be sent
			r := <-done
			return r.v, r.err
		}
		return "", context.Cause(ctx)
	}
}
