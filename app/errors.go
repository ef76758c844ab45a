// Package app is the Wails adapter: small bound services whose methods the
// React UI calls. It holds no business rules: it checks input shape, calls
// the internal packages and turns errors into messages a person can act on.
package app

import (
	"encoding/json"
	"errors"
	"log/slog"
	"math"

	"github.com/cara-coach/cara/internal/cara"
	"github.com/cara-coach/cara/internal/gemini"
)

// rejection is the JSON of a rejected promise: the error's code and
// message, and after a Gemini quota error how many seconds to wait.
type rejection struct {
	*cara.Error
	RetryAfter int `json:"retryAfter,omitempty"`
}

// uiError is what a rejected JS promise carries: JSON {code, message} (with
// retryAfter in seconds when Gemini said when to try again), which src/api
// parses. Unexpected errors are logged and shown as "Something went
// wrong", so internals never reach the screen.
func uiError(log *slog.Logger, op string, err error) error {
	if err == nil {
		return nil
	}
	r := rejection{Error: userFacing(log, op, err)}
	if d, ok := gemini.RetryAfter(err); ok {
		r.RetryAfter = int(math.Ceil(d.Seconds()))
	}
	b, _ := json.Marshal(r)
	return errors.New(string(b))
}

// uiMessage is the message to show for err, for errors that reach the UI in
// an event rather than a rejected promise.
func uiMessage(log *slog.Logger, op string, err error) string {
	return userFacing(log, op, err).Message
}

// userFacing is err as a *cara.Error; anything else is logged and becomes
// "Something went wrong".
func userFacing(log *slog.Logger, op string, err error) *cara.Error {
	var ce *cara.Error
	if !errors.As(err, &ce) {
		log.Error("operation failed", "op", op, "err", err)
		ce = &cara.Error{Code: cara.EINTERNAL, Message: "Something went wrong"}
	}
	return ce
}
