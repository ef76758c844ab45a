package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/cara-coach/cara/internal/auth"
	"github.com/cara-coach/cara/internal/cara"
)

// Messages for request problems.
const (
	msgNotJSON       = "Request body must be JSON (Content-Type: application/json)"
	msgBadJSON       = "Request body is not valid JSON"
	msgEmptyBody     = "Request body is empty"
	msgNotFound      = "Not found"
	msgMethod        = "Method not allowed"
	msgInternal      = "Something went wrong"
	msgStoreDown     = "The service is briefly unavailable — try again in a moment"
	msgAuthRequired  = "Access token required"
	msgTooManyReqs   = "Too many requests, please try again later."
	msgOriginBlocked = "Origin not allowed"
	msgClientClosed  = "Client closed request"
)

// storeDownRetryAfter is Retry-After (seconds) on every 503 for a database
// that isn't answering: the API's and /readyz's.
const storeDownRetryAfter = "5"

// statusClientClosed is nginx's 499: the client hung up before the answer.
const statusClientClosed = 499

// errorBody is every error's JSON: {"error": "…"}, plus the failed password
// rules when there are some.
type errorBody struct {
	Error   string   `json:"error"`
	Details []string `json:"details,omitempty"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(`{"error":"Something went wrong"}` + "\n")
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

func writeMessage(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, errorBody{Error: msg})
}

// statusOf maps a cara error code to an HTTP status.
func statusOf(code string) int {
	switch code {
	case cara.EINVALID, cara.EEMPTY, cara.ENOTTEXT:
		return http.StatusBadRequest
	case cara.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case cara.ENOTFOUND:
		return http.StatusNotFound
	case cara.ECONFLICT:
		return http.StatusConflict
	case cara.ETOOMANY:
		return http.StatusTooManyRequests
	case cara.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	case cara.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// writeError answers err: a *cara.Error with its message and status (a
// throttled login with Retry-After, a password policy failure with the
// failed rules); anything else is a 500 "Something went wrong", recorded for
// the request log and Sentry but never shown.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	if clientGone(w, r) {
		return
	}
	var ce *cara.Error
	if !errors.As(err, &ce) {
		s.internalError(w, r, err)
		return
	}
	status := statusOf(ce.Code)
	if status == http.StatusInternalServerError {
		s.internalError(w, r, err)
		return
	}
	var th *auth.ThrottledError
	if errors.As(err, &th) {
		w.Header().Set("Retry-After", strconv.Itoa(int(th.RetryAfter/time.Second)))
	}
	body := errorBody{Error: ce.Message}
	var pe *auth.PolicyError
	if errors.As(err, &pe) {
		for _, rule := range pe.Failed {
			body.Details = append(body.Details, rule.Message)
		}
	}
	writeJSON(w, status, body)
}

// clientGone answers a request whose client hung up (its context was
// cancelled, so whatever failed, failed for that): nobody reads the answer,
// so it is a 499 in the log, at info level, and never a Sentry report.
func clientGone(w http.ResponseWriter, r *http.Request) bool {
	if !errors.Is(r.Context().Err(), context.Canceled) {
		return false
	}
	ri := infoOf(r)
	ri.err, ri.clientClosed = nil, true
	writeMessage(w, statusClientClosed, msgClientClosed)
	return true
}

// internalError answers an unexpected failure. When the database isn't
// answering that is an outage, not a bug: 503 with Retry-After, and no
// report per request (readyz tells the load balancer); otherwise 500. A
// store call that ran out of time (storetimeout) is such an outage
// without asking again.
func (s *Server) internalError(w http.ResponseWriter, r *http.Request, err error) {
	if clientGone(w, r) {
		return
	}
	noteError(r, err)
	if errors.Is(err, context.DeadlineExceeded) || s.storeDown(r.Context()) {
		w.Header().Set("Retry-After", storeDownRetryAfter)
		writeMessage(w, http.StatusServiceUnavailable, msgStoreDown)
		return
	}
	s.report(r, err)
	writeMessage(w, http.StatusInternalServerError, msgInternal)
}

// storeDown asks the store whether it answers, briefly: only failed
// requests pay for the question.
func (s *Server) storeDown(ctx context.Context) bool {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
	defer cancel()
	return s.ready(ctx) != nil
}

// badRequest is a 400 with a message.
type badRequest string

func (b badRequest) Error() string { return string(b) }

// decodeJSON reads the body into dst. An empty body is allowed only when
// optional is set. Errors are person-facing: 415 for another content type,
// 413 over the size limit, 400 for malformed JSON, with the reason.
func decodeJSON(w http.ResponseWriter, r *http.Request, dst any, optional bool) (ok bool) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && mt != "text/plain") {
			writeMessage(w, http.StatusUnsupportedMediaType, msgNotJSON)
			return false
		}
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeMessage(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("Request body is too large (limit %s)", humanBytes(tooBig.Limit)))
			return false
		}
		writeMessage(w, http.StatusBadRequest, "Could not read the request body")
		return false
	}
	if len(bytes.TrimSpace(body)) == 0 {
		if optional {
			return true
		}
		writeMessage(w, http.StatusBadRequest, msgEmptyBody)
		return false
	}
	if err := strictUnmarshal(body, dst); err != nil {
		writeMessage(w, http.StatusBadRequest, err.Error())
		return false
	}
	return true
}

// strictUnmarshal decodes exactly one JSON value into dst and says in plain
// words what is wrong otherwise.
func strictUnmarshal(body []byte, dst any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(dst); err != nil {
		var typeErr *json.UnmarshalTypeError
		var syntaxErr *json.SyntaxError
		switch {
		case errors.As(err, &typeErr) && typeErr.Field != "":
			return badRequest(fmt.Sprintf("%s: field %q must be %s", msgBadJSON, typeErr.Field, jsonKind(typeErr.Type.Kind().String())))
		case errors.As(err, &typeErr):
			return badRequest(msgBadJSON + ": expected a JSON object")
		case errors.As(err, &syntaxErr) && strings.HasSuffix(syntaxErr.Error(), "exceeded max depth"):
			return badRequest(msgBadJSON + ": it is nested too deeply")
		case errors.As(err, &syntaxErr):
			return badRequest(fmt.Sprintf("%s: syntax error at byte %d", msgBadJSON, syntaxErr.Offset))
		case errors.Is(err, io.ErrUnexpectedEOF):
			return badRequest(msgBadJSON + ": it ends too early")
		}
		return badRequest(msgBadJSON)
	}
	if dec.More() {
		return badRequest(msgBadJSON + ": unexpected data after the JSON value")
	}
	return nil
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "a string"
	case "int", "int64", "int32", "float64":
		return "a number"
	case "bool":
		return "true or false"
	case "slice":
		return "an array"
	case "map", "struct":
		return "an object"
	}
	return "another type"
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
