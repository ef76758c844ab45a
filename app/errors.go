// Package app is the Wails adapter: small bound services whose methods the
// React UI calls. It holds no business rules: it checks input shape, calls
// the internal packages and turns errors into messages a person can act on.
package app

import (
	"encoding/json"
	"errors"
	"log/slog"

	"github.com/cara-coach/cara/internal/cara"
)

// uiError is what a rejected JS promise carries: JSON {code, message}, which
// src/api parses. Unexpected errors are logged and shown as "Something went
// wrong", so internals never reach the screen.
func uiError(log *slog.Logger, op string, err error) error {
	if err == nil {
		return nil
	}
	var ce *cara.Error
	if !errors.As(err, &ce) {
		log.Error("operation failed", "op", op, "err", err)
		ce = &cara.Error{Code: cara.EINTERNAL, Message: "Something went wrong"}
	}
	b, _ := json.Marshal(ce)
	return errors.New(string(b))
}
