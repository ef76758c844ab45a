// Package cara holds Cara's domain types and its error type. It has no
// dependencies so every other package can use it.
package cara

import (
	"errors"
	"fmt"
)

// Error codes that reach the UI. The UI switches on Code; it shows Message.
const (
	ECONFLICT     = "conflict"
	EINTERNAL     = "internal"
	EINVALID      = "invalid"
	ENOTFOUND     = "not_found"
	EUNAVAILABLE  = "unavailable"
	ETOOLARGE     = "too_large"
	EEMPTY        = "empty"
	ENOTTEXT      = "not_text"
	EALREADYOPEN  = "already_running"
	EUNAUTHORIZED = "unauthorized"
	ETOOMANY      = "too_many_requests"
	// AI side: the offline queue and the UI key on these three.
	EOFFLINE = "offline" // Gemini unreachable or timed out before answering
	ENOKEY   = "no_key"  // the user has saved no Gemini key
	EBUDGET  = "budget"  // the daily token budget is used up
	// EGEMINIKEY: Gemini refused the key (invalid, not allowed) or its model;
	// the fix is in Settings, unlike other refusals such as a blocked reply.
	EGEMINIKEY = "gemini_key"
)

// Error is an error meant for a person: Message is shown as is.
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (e *Error) Error() string { return e.Message }

// Errorf builds an *Error with a formatted human message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err if it is (or wraps) an *Error, else EINTERNAL.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	}
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the human message of err if it is (or wraps) an *Error,
// else a generic one: internal details never reach the user.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	}
	if errors.As(err, &e) {
		return e.Message
	}
	return "Something went wrong"
}
