package server

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

// hit makes one request under key through l and returns the recorder.
func hit(l *limiter, key string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	if l.allow(rec, httptest.NewRequest("GET", "/", nil), key) {
		rec.WriteHeader(http.StatusOK)
	}
	return rec
}

// TestRetryAfterIsWhenARequestGetsIn: on a 429, Retry-After and
// X-RateLimit-Reset both say when the next request will be accepted, and
// it is: refused just before, accepted just after.
func TestRetryAfterIsWhenARequestGetsIn(t *testing.T) {
	for _, limit := range []int{1, 4, 20} {
		const window = 2 * time.Second
		l := newLimiter(limit, window)
		key := "k" + strconv.Itoa(limit)
		var refused *httptest.ResponseRecorder
		var refusedAt time.Time
		for range 3 * limit {
			if rec := hit(l, key); rec.Code == http.StatusTooManyRequests {
				refused, refusedAt = rec, time.Now()
				break
			}
		}
		if refused == nil {
			t.Fatalf("limit %d: never refused", limit)
		}
		at := l.acceptAt(key, refusedAt)
		retry, err := strconv.Atoi(refused.Header().Get("Retry-After"))
		if err != nil || retry < 1 || time.Duration(retry)*time.Second < at.Sub(refusedAt) || time.Duration(retry-1)*time.Second > at.Sub(refusedAt) {
			t.Errorf("limit %d: Retry-After %q, want the %v until a request gets in, rounded up", limit, refused.Header().Get("Retry-After"), at.Sub(refusedAt))
		}
		reset, err := strconv.ParseInt(refused.Header().Get("X-RateLimit-Reset"), 10, 64)
		if err != nil || reset != ceilUnix(at) {
			t.Errorf("limit %d: X-RateLimit-Reset %q, want %d (when a request gets in)", limit, refused.Header().Get("X-RateLimit-Reset"), ceilUnix(at))
		}
		if got := refused.Header().Get("X-RateLimit-Remaining"); got != "0" {
			t.Errorf("limit %d: X-RateLimit-Remaining on a 429: got %q, want 0", limit, got)
		}
		if at.Sub(refusedAt) > 2*window {
			t.Errorf("limit %d: next acceptance %v away, want within two windows", limit, at.Sub(refusedAt))
		}
		if early := time.Until(at) - 150*time.Millisecond; early > 0 {
			time.Sleep(early)
			if rec := hit(l, key); rec.Code != http.StatusTooManyRequests {
				t.Errorf("limit %d: 150ms before the predicted moment: got %d, want 429", limit, rec.Code)
			}
		}
		time.Sleep(time.Until(at) + 50*time.Millisecond)
		if rec := hit(l, key); rec.Code != http.StatusOK {
			t.Errorf("limit %d: just after the predicted moment: got %d, want 200", limit, rec.Code)
		}
	}
}

// TestFailedAuthIsRateLimited: API requests without a usable access token
// are limited per client IP (RATE_LIMIT_AUTH), apart from sign-ins; users
// with a valid token and other IPs are not affected.
func TestFailedAuthIsRateLimited(t *testing.T) {
	e := newEnv(t, "bbolt", func(c *Config, _ *Deps) { c.AuthRatePerMin = 3 })
	ana := e.register("ana") // one of this IP's sign-in requests, not of its failed ones
	from := func(ip, bearer string) *httptest.ResponseRecorder {
		hr := httptest.NewRequest("GET", "/api/practice-sessions", nil)
		hr.RemoteAddr = ip + ":4000"
		if bearer != "" {
			hr.Header.Set("Authorization", "Bearer "+bearer)
		}
		rec := httptest.NewRecorder()
		e.srv.Handler().ServeHTTP(rec, hr)
		return rec
	}
	const attacker = "203.0.113.5"
	for i, tok := range []string{"forged.token.value", "", "x.y.z"} {
		if rec := from(attacker, tok); rec.Code != http.StatusUnauthorized {
			t.Fatalf("failed attempt %d: got %d, want 401", i+1, rec.Code)
		}
	}
	for _, tok := range []string{"another.forged.one", ""} {
		rec := from(attacker, tok)
		if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") == "" {
			t.Errorf("over the limit (token %q): got %d Retry-After %q, want 429 with Retry-After", tok, rec.Code, rec.Header().Get("Retry-After"))
		}
	}
	if rec := from(attacker, ana.access); rec.Code != http.StatusOK {
		t.Errorf("a valid token from the same IP: got %d, want 200", rec.Code)
	}
	if rec := from("198.51.100.9", "forged.token.value"); rec.Code != http.StatusUnauthorized {
		t.Errorf("another IP: got %d, want 401 (not limited)", rec.Code)
	}
	// Sign-ins from the limited IP have their own budget.
	hr := httptest.NewRequest("POST", "/api/auth/login", strings.NewReader(`{"email":"ana@example.com","password":"`+testPassword+`"}`))
	hr.RemoteAddr = attacker + ":4000"
	hr.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(rec, hr)
	if rec.Code != http.StatusOK {
		t.Errorf("login from the limited IP: got %d, want 200", rec.Code)
	}
}
