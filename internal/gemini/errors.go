package gemini

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strings"
	"time"

	"google.golang.org/genai"

	"github.com/cara-coach/cara/internal/cara"
)

// The messages the user sees (DESIGN §5).
const (
	MsgKeyInvalid     = "Your Gemini API key isn't valid"
	MsgForbidden      = "This key can't use Gemini"
	MsgQuotaIn        = "Gemini quota reached — try again in %d s"
	MsgQuotaLater     = "Gemini quota reached — try again later"
	MsgBusy           = "Gemini is busy — retry"
	MsgBlocked        = "Gemini blocked this response"
	MsgCutOff         = "The reply was cut off"
	MsgUnreachable    = "Can't reach Gemini — check your connection"
	MsgTimeout        = "Gemini took too long to answer — retry"
	MsgModelNotFound  = "This Gemini model isn't available for your key — pick another in Settings"
	MsgUnknownFailure = "Gemini couldn't answer — retry"
)

// quotaError is a 429: the user message plus when to retry.
type quotaError struct {
	err   *cara.Error
	after time.Duration // 0 when Gemini gave no RetryInfo
}

func (e *quotaError) Error() string { return e.err.Error() }
func (e *quotaError) Unwrap() error { return e.err }

// RetryAfter returns how long to wait before retrying after a 429 that came
// with RetryInfo.
func RetryAfter(err error) (time.Duration, bool) {
	var q *quotaError
	if errors.As(err, &q) && q.after > 0 {
		return q.after, true
	}
	return 0, false
}

func errBlocked() error { return cara.Errorf(cara.EINVALID, MsgBlocked) }
func errCutOff() error  { return cara.Errorf(cara.EUNAVAILABLE, MsgCutOff) }

// errOffline is Gemini not answering at all (no connection): EOFFLINE, so
// the offline queue can keep the work and try again later.
func errOffline() error { return cara.Errorf(cara.EOFFLINE, MsgUnreachable) }

// mapErr turns any error from genai into a user-facing error. It never
// includes the original error text (which may carry URLs or headers).
// midStream says whether some of a stream had already arrived.
func (c *Client) mapErr(ctx context.Context, err error, midStream bool) error {
	var apiErr genai.APIError
	if errors.As(err, &apiErr) {
		return fromAPIError(apiErr)
	}
	var apiErrP *genai.APIError
	if errors.As(err, &apiErrP) && apiErrP != nil {
		return fromAPIError(*apiErrP)
	}
	if errors.Is(err, context.Canceled) && ctx.Err() == nil {
		// cancelled below us; treat as a network failure
		return errOffline()
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) {
		if midStream {
			return errCutOff()
		}
		return cara.Errorf(cara.EOFFLINE, MsgTimeout)
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if midStream {
		return errCutOff()
	}
	return errOffline()
}

func fromAPIError(e genai.APIError) error {
	switch {
	case e.Code == http.StatusBadRequest && (hasReason(e, "API_KEY_INVALID") || strings.Contains(e.Message, "API key not valid")):
		return cara.Errorf(cara.EGEMINIKEY, MsgKeyInvalid)
	case e.Code == http.StatusUnauthorized, e.Code == http.StatusForbidden:
		return cara.Errorf(cara.EGEMINIKEY, MsgForbidden)
	case e.Code == http.StatusTooManyRequests:
		if d, ok := retryDelay(e); ok {
			secs := int(math.Ceil(d.Seconds()))
			return &quotaError{err: cara.Errorf(cara.ETOOMANY, MsgQuotaIn, secs), after: d}
		}
		return &quotaError{err: cara.Errorf(cara.ETOOMANY, MsgQuotaLater)}
	case e.Code == http.StatusNotFound:
		return cara.Errorf(cara.EGEMINIKEY, MsgModelNotFound)
	case e.Code >= 500:
		return cara.Errorf(cara.EUNAVAILABLE, MsgBusy)
	}
	return cara.Errorf(cara.EINTERNAL, MsgUnknownFailure)
}

func hasReason(e genai.APIError, reason string) bool {
	for _, d := range e.Details {
		if r, _ := d["reason"].(string); r == reason {
			return true
		}
	}
	return false
}

// retryDelay reads google.rpc.RetryInfo.retryDelay (a Duration in JSON: "17s", "1.5s").
func retryDelay(e genai.APIError) (time.Duration, bool) {
	for _, d := range e.Details {
		t, _ := d["@type"].(string)
		if !strings.HasSuffix(t, "google.rpc.RetryInfo") {
			continue
		}
		switch v := d["retryDelay"].(type) {
		case string:
			if dur, err := time.ParseDuration(v); err == nil && dur > 0 {
				return dur, true
			}
		case map[string]any: // {"seconds": 17, "nanos": 0}
			s, _ := v["seconds"].(float64)
			n, _ := v["nanos"].(float64)
			if dur := time.Duration(s*float64(time.Second) + n); dur > 0 {
				return dur, true
			}
		}
	}
	return 0, false
}
