// Package keychain keeps Cara's secrets (the refresh token, the signing
// secrets) in the operating system's keychain: the Secret Service over D-Bus on
// Linux (GNOME Keyring, KWallet), the login Keychain on macOS and the
// Credential Manager on Windows, through github.com/zalando/go-keyring.
//
// There are two concrete types with the same method set, Get, Set and Delete:
// OS, the real keychain, and Memory, an in-memory keychain for tests and as the
// fallback when the OS one is unavailable. Consumers declare the interface they
// need.
//
// Every call answers in bounded time (5 s by default) and returns one of two
// kinds of error:
//
//   - ErrNotFound: the keychain works but holds no such item ("no token").
//   - *UnavailableError (errors.Is(err, ErrUnavailable)): anything else: no
//     D-Bus, no Secret Service, a locked keychain waiting on a prompt, a
//     timeout, a value too large, a value that did not read back intact, a
//     permission error. Its message is for people; its cause is for logs.
//
// Values are secrets. This package never logs them and no error it returns
// contains one.
package keychain

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cara-coach/cara/internal/cara"
)

const (
	// DefaultService is the service name items are stored under.
	DefaultService = "Cara"
	// DefaultTimeout bounds every call, Set's read-back included.
	DefaultTimeout = 5 * time.Second
	// MaxValueLen is the largest value, in bytes, Set accepts on every OS.
	// Windows' Credential Manager takes at most 2560 bytes and macOS about
	// 3000 (service, account and base64 value together), so one portable
	// limit keeps behaviour the same everywhere. Refresh tokens are ≤ 512
	// bytes and a base64 signing secret is 44.
	MaxValueLen = 2048
	// MaxKeyLen is the longest key, in bytes.
	MaxKeyLen = 128
)

// UnavailableMessage is what a person is told when the keychain can't be used.
const UnavailableMessage = "Cara can't reach the system keychain, so it can't remember your sign-in."

var (
	// ErrNotFound means the keychain answered and holds no item for the key.
	ErrNotFound = errors.New("keychain: item not found")

	// ErrUnavailable matches every *UnavailableError with errors.Is.
	ErrUnavailable = errors.New(UnavailableMessage)

	// Causes wrapped by *UnavailableError, for errors.Is and logs.

	// ErrTimeout: the keychain did not answer in time.
	ErrTimeout = errors.New("keychain did not answer in time")
	// ErrBusy: an earlier call is still stuck in the keychain, so this one
	// was not started.
	ErrBusy = errors.New("an earlier keychain call is still stuck")
	// ErrTooLarge: the value is larger than MaxValueLen or than the keychain
	// accepts.
	ErrTooLarge = errors.New("value too large for the keychain")
	// ErrReadBack: a value Set did not read back intact.
	ErrReadBack = errors.New("value did not read back intact")
	// ErrInvalid: the key or value is not one this package stores (empty,
	// too long a key, not UTF-8). A bug in the caller.
	ErrInvalid = errors.New("invalid key or value")
	// ErrNoSessionBus: on Linux, there is no D-Bus session bus to talk to.
	ErrNoSessionBus = errors.New("no D-Bus session bus")
)

// UnavailableError reports that the keychain can't be used. Error() is
// UnavailableMessage, fit for a person; Detail, LogValue and Unwrap give the
// operation, key and cause for logs. It never holds a secret value.
type UnavailableError struct {
	Op  string // "get", "set" or "delete"
	Key string // the item's key (a name such as "refresh-token", not a secret)
	Err error  // the cause
}

func (e *UnavailableError) Error() string { return UnavailableMessage }

// Unwrap returns the cause.
func (e *UnavailableError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrUnavailable) true.
func (e *UnavailableError) Is(target error) bool { return target == ErrUnavailable }

// As lets errors.As find a *cara.Error (code "unavailable", the human
// message), so the UI layer can show it as is.
func (e *UnavailableError) As(target any) bool {
	if t, ok := target.(**cara.Error); ok {
		*t = &cara.Error{Code: cara.EUNAVAILABLE, Message: UnavailableMessage}
		return true
	}
	return false
}

// Detail is a one-line description for logs: operation, key and cause.
func (e *UnavailableError) Detail() string {
	return fmt.Sprintf("keychain %s %q: %v", e.Op, e.Key, e.Err)
}

// LogValue makes slog record the operation, key and cause, not just the
// human message.
func (e *UnavailableError) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("msg", UnavailableMessage),
		slog.String("op", e.Op),
		slog.String("key", e.Key),
		slog.String("cause", fmt.Sprint(e.Err)),
	)
}

func unavailable(op, key string, cause error) *UnavailableError {
	if errors.Is(cause, ErrNotFound) {
		// A "not found" inside a failure (say, from Set) must not make
		// errors.Is(err, ErrNotFound) true: callers read that as "no token".
		cause = errors.New(cause.Error())
	}
	return &UnavailableError{Op: op, Key: key, Err: cause}
}

// checkKey and checkValue keep what reaches a keychain portable.
func checkKey(key string) error {
	switch {
	case key == "":
		return fmt.Errorf("%w: empty key", ErrInvalid)
	case len(key) > MaxKeyLen:
		return fmt.Errorf("%w: key is %d bytes, the limit is %d", ErrInvalid, len(key), MaxKeyLen)
	case !utf8.ValidString(key):
		return fmt.Errorf("%w: key is not UTF-8", ErrInvalid)
	}
	return nil
}

func checkValue(value string, limit int) error {
	switch {
	case value == "":
		return fmt.Errorf("%w: empty value (use Delete)", ErrInvalid)
	case len(value) > limit:
		return fmt.Errorf("%w: %d bytes, the limit is %d", ErrTooLarge, len(value), limit)
	}
	return nil
}

// redacted replaces a cause whose text contains the secret value: its text is
// scrubbed and the original is reachable only through errors.Is, so neither
// Error() nor Unwrap() hands the secret to a logger.
type redacted struct {
	text string
	orig error
}

func (r *redacted) Error() string        { return r.text }
func (r *redacted) Is(target error) bool { return errors.Is(r.orig, target) }

// scrub returns err, or a redacted copy if its message contains value.
func scrub(err error, value string) error {
	if err == nil || value == "" {
		return err
	}
	msg := err.Error()
	if !strings.Contains(msg, value) {
		return err
	}
	return &redacted{text: strings.ReplaceAll(msg, value, "[secret]"), orig: err}
}
