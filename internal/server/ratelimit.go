package server

import (
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/httprate"
)

// limiter is httprate's per-key sliding-window limiter with a truthful
// 429. httprate counts requests in fixed windows and weighs the previous
// window's count by how much of it still overlaps the last windowLength
// (rate = prev × (window − elapsed)/window + curr, rounded), but its
// refusal says Retry-After: windowLength and X-RateLimit-Reset: the end of
// the current window, neither of which is when the next request gets in.
// The refusal here says that moment, in both headers.
type limiter struct {
	rl      *httprate.RateLimiter
	counter httprate.LimitCounter
	limit   int
	window  time.Duration
}

// newLimiter allows limit requests per key in any window (a minute for
// the server's limiters).
func newLimiter(limit int, window time.Duration) *limiter {
	// Our own counter: httprate then aligns windows to the clock (it
	// offsets them only for its built-in one), which acceptAt relies on.
	counter := httprate.NewLocalLimitCounter(window)
	return &limiter{
		rl:      httprate.NewRateLimiter(limit, window, httprate.WithLimitCounter(counter)),
		counter: counter, limit: limit, window: window,
	}
}

// allow counts a request under key. Over the limit it answers 429 itself
// and returns false.
func (l *limiter) allow(w http.ResponseWriter, r *http.Request, key string) bool {
	if !l.rl.OnLimit(w, r, key) {
		return true
	}
	now := time.Now()
	at := l.acceptAt(key, now)
	h := w.Header()
	h.Set("Retry-After", retryAfterSeconds(at.Sub(now)))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(ceilUnix(at), 10))
	h.Set("X-RateLimit-Remaining", "0")
	writeMessage(w, http.StatusTooManyRequests, msgTooManyReqs)
	return false
}

// acceptAt is when httprate will next accept a request under key, if no
// other is accepted meanwhile. It accepts while round(rate)+1 ≤ limit,
// that is rate < limit − ½; only the previous window's weight falls with
// time, so solve for when it has fallen enough, in this window or, when
// this window's own count is already too many, in the next.
func (l *limiter) acceptAt(key string, now time.Time) time.Time {
	win := now.UTC().Truncate(l.window)
	curr, prev, err := l.counter.Get(key, win, win.Add(-l.window))
	if err != nil { // the local counter never fails
		return now.Add(l.window)
	}
	target := float64(l.limit) - 0.5
	w := float64(l.window)
	var at time.Time
	switch {
	case float64(curr) < target && prev > 0:
		at = win.Add(time.Duration(w * (1 - (target-float64(curr))/float64(prev))))
	case float64(curr) < target:
		return now // room already
	default:
		// Next window: this one's count becomes the weighed one.
		at = win.Add(l.window + time.Duration(w*(1-target/float64(curr))))
	}
	// rate must fall strictly below target.
	return at.Add(time.Millisecond)
}

// ceilUnix is t in whole Unix seconds, rounded up (never too early).
func ceilUnix(t time.Time) int64 {
	return int64(math.Ceil(float64(t.UnixNano()) / float64(time.Second)))
}
