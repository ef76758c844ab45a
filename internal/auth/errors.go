package auth

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cara-coach/cara/internal/cara"
)

// Errors the Service returns for people. Compare with errors.Is; the UI
// reads Code and Message through cara.ErrorCode / cara.ErrorMessage.
var (
	// ErrInvalidCredentials answers an unknown e-mail and a wrong password
	// alike.
	ErrInvalidCredentials = &cara.Error{Code: cara.EUNAUTHORIZED, Message: "Invalid credentials"}
	// ErrSessionExpired answers every refresh or access token that cannot be
	// used (expired, revoked, replayed, forged, malformed). Wrapped errors
	// add the reason for logs; the message stays the same.
	ErrSessionExpired = &cara.Error{Code: cara.EUNAUTHORIZED, Message: "Session expired. Please log in again."}
	// ErrEmailTaken answers a registration with an e-mail that is already
	// used (after normalisation: case and Unicode variants are the same).
	ErrEmailTaken = &cara.Error{Code: cara.ECONFLICT, Message: "An account with this email already exists"}
	// ErrWrongPassword answers ChangePassword with a wrong current password.
	ErrWrongPassword = &cara.Error{Code: cara.EUNAUTHORIZED, Message: "Current password is incorrect"}
	// ErrSessionNotFound answers RevokeSession for a session the user does
	// not have (another user's, revoked, expired or unknown).
	ErrSessionNotFound = &cara.Error{Code: cara.ENOTFOUND, Message: "That session no longer exists"}
	// ErrAccountNotFound answers Account for an unknown user ID.
	ErrAccountNotFound = &cara.Error{Code: cara.ENOTFOUND, Message: "That account no longer exists"}
)

// ErrRefreshReplayed is wrapped (with ErrSessionExpired) in Refresh's error
// when a used refresh token came back after the grace window and its session
// was revoked: a likely stolen token, worth a log line or a security event.
var ErrRefreshReplayed = errors.New("refresh token replayed after the grace window; session revoked")

// sessionExpired wraps ErrSessionExpired with a reason for logs.
func sessionExpired(reason string) error {
	return fmt.Errorf("%w (%s)", ErrSessionExpired, reason)
}

// invalid is a validation error for a field other than the password.
func invalid(msg string) error {
	return &cara.Error{Code: cara.EINVALID, Message: msg}
}

// ThrottledError is returned by Login while an account key is locked after
// repeated failures. RetryAfter is whole seconds (≥ 1 s): the HTTP server
// sends it as Retry-After. It unwraps to a *cara.Error with Code
// cara.ETOOMANY and a message such as "Too many attempts. Try again in 4
// seconds."
type ThrottledError struct {
	RetryAfter time.Duration
	err        cara.Error
}

func newThrottledError(wait time.Duration) *ThrottledError {
	secs := int64((wait + time.Second - 1) / time.Second) // round up
	if secs < 1 {
		secs = 1
	}
	return &ThrottledError{
		RetryAfter: time.Duration(secs) * time.Second,
		err:        cara.Error{Code: cara.ETOOMANY, Message: "Too many attempts. Try again in " + humanWait(secs) + "."},
	}
}

// humanWait says secs as "1 second", "45 seconds", "2 minutes" (rounded
// up, so the user never retries too early).
func humanWait(secs int64) string {
	switch {
	case secs == 1:
		return "1 second"
	case secs < 60:
		return fmt.Sprintf("%d seconds", secs)
	}
	mins := (secs + 59) / 60
	if mins == 1 {
		return "1 minute"
	}
	return fmt.Sprintf("%d minutes", mins)
}

func (e *ThrottledError) Error() string { return e.err.Message }

// Unwrap exposes the *cara.Error for cara.ErrorCode and cara.ErrorMessage.
func (e *ThrottledError) Unwrap() error { return &e.err }

// PolicyError lists every password rule a password breaks, in display
// order, so the UI can mark each one. It unwraps to a *cara.Error with Code
// cara.EINVALID whose Message is the failed rules' messages, one per line.
type PolicyError struct {
	Failed []Rule
	err    cara.Error
}

func newPolicyError(failed []Rule) *PolicyError {
	msgs := make([]string, len(failed))
	for i, r := range failed {
		msgs[i] = r.Message
	}
	return &PolicyError{
		Failed: failed,
		err:    cara.Error{Code: cara.EINVALID, Message: strings.Join(msgs, "\n")},
	}
}

func (e *PolicyError) Error() string { return e.err.Message }

// Unwrap exposes the *cara.Error for cara.ErrorCode and cara.ErrorMessage.
func (e *PolicyError) Unwrap() error { return &e.err }

// Has reports whether the rule with that ID failed.
func (e *PolicyError) Has(id string) bool {
	for _, r := range e.Failed {
		if r.ID == id {
			return true
		}
	}
	return false
}
