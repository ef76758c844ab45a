package auth

import (
	"context"
	"time"
)

// Login throttling (DESIGN §3): per account key (the normalised e-mail,
// known or not, so throttling never reveals whether an account exists).
const (
	// FreeAttempts failures in a row are free; the next ones wait.
	FreeAttempts = 5
	// MaxLockout caps the exponential delay.
	MaxLockout = 15 * time.Minute
	// throttleMemory: a key with no failure for this long starts afresh.
	throttleMemory = 24 * time.Hour
)

// lockoutAfter is the wait imposed after the n-th consecutive failure: none
// before the 5th, then 1 s, 2 s, 4 s … capped at 15 min.
func lockoutAfter(n int) time.Duration {
	if n < FreeAttempts {
		return 0
	}
	shift := n - FreeAttempts
	if shift >= 10 { // 2^10 s > 15 min already
		return MaxLockout
	}
	return min(time.Duration(1<<shift)*time.Second, MaxLockout)
}

// beginAttempt counts an attempt against key before the password is
// checked, and refuses it while the key is locked. Counting first (and
// clearing on success) means concurrent guesses cannot all slip in before
// the first failure is recorded. It returns a *ThrottledError while locked.
func (s *Service) beginAttempt(ctx context.Context, key string, now time.Time) error {
	var locked time.Duration
	_, err := s.store.UpdateThrottle(ctx, key, func(t Throttle) Throttle {
		locked = 0
		if now.Before(t.LockedUntil) {
			locked = t.LockedUntil.Sub(now)
			return t
		}
		if !t.LastFailureAt.IsZero() && now.Sub(t.LastFailureAt) >= throttleMemory {
			t = Throttle{}
		}
		t.Failures++
		t.LastFailureAt = now
		t.LockedUntil = time.Time{}
		if d := lockoutAfter(t.Failures); d > 0 {
			t.LockedUntil = now.Add(d)
		}
		t.ExpiresAt = now.Add(throttleMemory)
		if t.LockedUntil.After(t.ExpiresAt) {
			t.ExpiresAt = t.LockedUntil
		}
		return t
	})
	if err != nil {
		return err
	}
	if locked > 0 {
		return newThrottledError(locked)
	}
	return nil
}

// clearAttempts forgets the failures of key after a successful sign-in.
func (s *Service) clearAttempts(ctx context.Context, key string) error {
	_, err := s.store.UpdateThrottle(ctx, key, func(Throttle) Throttle { return Throttle{} })
	return err
}
