// Package storetimeout gives every call to cara-server's store a deadline.
// A database that stops answering (a stopped or overloaded PostgreSQL, a
// network that drops packets without resetting connections) would
// otherwise hold each request, and its pooled connection, forever; with a
// deadline the call fails with an *Error the server answers 503 with
// Retry-After.
package storetimeout

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cara-coach/cara/internal/auth"
	"github.com/cara-coach/cara/internal/practice"
)

// DefaultTimeout is a deadline no healthy call comes near (they take
// milliseconds) that still answers a hung database within seconds.
const DefaultTimeout = 5 * time.Second

// Inner is what the server stores its data in.
type Inner interface {
	auth.Store
	practice.Store
}

// Error is a store call that ran out of time. It matches
// context.DeadlineExceeded (errors.Is) as well as the store's own error.
type Error struct {
	Op    string
	After time.Duration
	err   error
}

func (e *Error) Error() string {
	return fmt.Sprintf("the database did not answer %s within %s", e.Op, e.After)
}

// Unwrap gives both the deadline and what the store said.
func (e *Error) Unwrap() []error { return []error{context.DeadlineExceeded, e.err} }

// errTimedOut is the cause of our own deadline, telling it from the
// caller's (a client's deadline is theirs to report).
var errTimedOut = errors.New("storetimeout: deadline")

// Store wraps an Inner, bounding each call by a timeout.
type Store struct {
	inner   Inner
	timeout time.Duration
}

var _ Inner = (*Store)(nil)

// New wraps inner; each call gets at most timeout (DefaultTimeout if ≤ 0).
func New(inner Inner, timeout time.Duration) *Store {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	return &Store{inner: inner, timeout: timeout}
}

// do runs fn under the deadline and names a timeout after op.
func (s *Store) do(ctx context.Context, op string, fn func(ctx context.Context) error) error {
	ctx, cancel := context.WithTimeoutCause(ctx, s.timeout, errTimedOut)
	defer cancel()
	err := fn(ctx)
	if err != nil && errors.Is(context.Cause(ctx), errTimedOut) {
		return &Error{Op: op, After: s.timeout, err: err}
	}
	return err
}

// --- auth.Store ----------------------------------------------------------

func (s *Store) CreateUser(ctx context.Context, u auth.User) error {
	return s.do(ctx, "CreateUser", func(ctx context.Context) error { return s.inner.CreateUser(ctx, u) })
}

func (s *Store) UserByID(ctx context.Context, id string) (u auth.User, err error) {
	err = s.do(ctx, "UserByID", func(ctx context.Context) (err error) { u, err = s.inner.UserByID(ctx, id); return })
	return u, err
}

func (s *Store) UserByEmail(ctx context.Context, email string) (u auth.User, err error) {
	err = s.do(ctx, "UserByEmail", func(ctx context.Context) (err error) { u, err = s.inner.UserByEmail(ctx, email); return })
	return u, err
}

func (s *Store) SetPassword(ctx context.Context, userID string, hash []byte, keepSessionID string, now time.Time) error {
	return s.do(ctx, "SetPassword", func(ctx context.Context) error {
		return s.inner.SetPassword(ctx, userID, hash, keepSessionID, now)
	})
}

func (s *Store) CreateSession(ctx context.Context, sess auth.Session, first auth.RefreshToken) error {
	return s.do(ctx, "CreateSession", func(ctx context.Context) error { return s.inner.CreateSession(ctx, sess, first) })
}

func (s *Store) Session(ctx context.Context, id string) (sess auth.Session, err error) {
	err = s.do(ctx, "Session", func(ctx context.Context) (err error) { sess, err = s.inner.Session(ctx, id); return })
	return sess, err
}

func (s *Store) UserSessions(ctx context.Context, userID string) (list []auth.Session, err error) {
	err = s.do(ctx, "UserSessions", func(ctx context.Context) (err error) { list, err = s.inner.UserSessions(ctx, userID); return })
	return list, err
}

func (s *Store) RevokeSession(ctx context.Context, id string, now time.Time) error {
	return s.do(ctx, "RevokeSession", func(ctx context.Context) error { return s.inner.RevokeSession(ctx, id, now) })
}

func (s *Store) RefreshToken(ctx context.Context, hash auth.TokenHash) (t auth.RefreshToken, err error) {
	err = s.do(ctx, "RefreshToken", func(ctx context.Context) (err error) { t, err = s.inner.RefreshToken(ctx, hash); return })
	return t, err
}

func (s *Store) RotateRefresh(ctx context.Context, r auth.Rotation) (got auth.Rotated, err error) {
	err = s.do(ctx, "RotateRefresh", func(ctx context.Context) (err error) { got, err = s.inner.RotateRefresh(ctx, r); return })
	return got, err
}

func (s *Store) UpdateThrottle(ctx context.Context, key string, fn func(auth.Throttle) auth.Throttle) (t auth.Throttle, err error) {
	err = s.do(ctx, "UpdateThrottle", func(ctx context.Context) (err error) { t, err = s.inner.UpdateThrottle(ctx, key, fn); return })
	return t, err
}

// Prune is not bounded: it is background housekeeping that may
// legitimately take a while on big tables, and it stops at shutdown.
func (s *Store) Prune(ctx context.Context, now time.Time) (int, error) {
	return s.inner.Prune(ctx, now)
}

// --- practice.Store ------------------------------------------------------

func (s *Store) CreatePracticeSession(ctx context.Context, sess practice.Session) error {
	return s.do(ctx, "CreatePracticeSession", func(ctx context.Context) error { return s.inner.CreatePracticeSession(ctx, sess) })
}

func (s *Store) PracticeSession(ctx context.Context, userID, id string) (sess practice.Session, err error) {
	err = s.do(ctx, "PracticeSession", func(ctx context.Context) (err error) {
		sess, err = s.inner.PracticeSession(ctx, userID, id)
		return
	})
	return sess, err
}

func (s *Store) UpdatePracticeSession(ctx context.Context, userID, id string, p practice.Patch, now time.Time) (sess practice.Session, err error) {
	err = s.do(ctx, "UpdatePracticeSession", func(ctx context.Context) (err error) {
		sess, err = s.inner.UpdatePracticeSession(ctx, userID, id, p, now)
		return
	})
	return sess, err
}

func (s *Store) PracticeSessions(ctx context.Context, userID string, f practice.Filter) (list []practice.Session, total int, err error) {
	err = s.do(ctx, "PracticeSessions", func(ctx context.Context) (err error) {
		list, total, err = s.inner.PracticeSessions(ctx, userID, f)
		return
	})
	return list, total, err
}

func (s *Store) AddEvent(ctx context.Context, e practice.Event) error {
	return s.do(ctx, "AddEvent", func(ctx context.Context) error { return s.inner.AddEvent(ctx, e) })
}

func (s *Store) Summaries(ctx context.Context, userID string, now time.Time) (sums []practice.FeatureSummary, err error) {
	err = s.do(ctx, "Summaries", func(ctx context.Context) (err error) { sums, err = s.inner.Summaries(ctx, userID, now); return })
	return sums, err
}

func (s *Store) AddUsage(ctx context.Context, userID, day string, tokens int) (total int, err error) {
	err = s.do(ctx, "AddUsage", func(ctx context.Context) (err error) { total, err = s.inner.AddUsage(ctx, userID, day, tokens); return })
	return total, err
}

func (s *Store) Usage(ctx context.Context, userID, day string) (total int, err error) {
	err = s.do(ctx, "Usage", func(ctx context.Context) (err error) { total, err = s.inner.Usage(ctx, userID, day); return })
	return total, err
}

func (s *Store) ReserveUsage(ctx context.Context, userID, day string, want, limit int) (granted int, after practice.DayUsage, err error) {
	err = s.do(ctx, "ReserveUsage", func(ctx context.Context) (err error) {
		granted, after, err = s.inner.ReserveUsage(ctx, userID, day, want, limit)
		return
	})
	return granted, after, err
}

func (s *Store) SettleUsage(ctx context.Context, userID, day string, reserved, spent int) (after practice.DayUsage, err error) {
	err = s.do(ctx, "SettleUsage", func(ctx context.Context) (err error) {
		after, err = s.inner.SettleUsage(ctx, userID, day, reserved, spent)
		return
	})
	return after, err
}
