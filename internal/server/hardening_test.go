package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/getsentry/sentry-go"
	"github.com/jackc/pgx/v5"

	"github.com/cara-coach/cara/internal/gemini"
	"github.com/cara-coach/cara/internal/postgres/pgtest"
	"github.com/cara-coach/cara/internal/practice"
	"github.com/cara-coach/cara/internal/storetimeout"
)

func TestSecurityHeaders(t *testing.T) {
	for _, envName := range []string{EnvDevelopment, EnvProduction} {
		e := newEnv(t, "bbolt", func(c *Config, _ *Deps) { c.Env = envName })
		r := e.do(req{method: "GET", path: "/healthz"})
		want := map[string]string{
			"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer",
			"Cache-Control": "no-store", "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
		}
		if envName == EnvProduction {
			want["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
		}
		for k, v := range want {
			if got := r.header.Get(k); got != v {
				t.Errorf("%s %s: got %q, want %q", envName, k, got, v)
			}
		}
		if envName == EnvDevelopment && r.header.Get("Strict-Transport-Security") != "" {
			t.Errorf("development sends HSTS on plain http")
		}
		if r.status != http.StatusOK || r.json["status"] != "ok" {
			t.Errorf("healthz: %d %s", r.status, r.body)
		}
	}
}

func TestReadyz(t *testing.T) {
	down := errors.New("dial tcp 10.0.0.1:5432: connection refused")
	tests := []struct {
		name           string
		ready          error
		wantStatus     int
		wantBody       map[string]any
		wantRetryAfter string
	}{
		{"database answers", nil, http.StatusOK, map[string]any{"status": "ready"}, ""},
		{"database down", down, http.StatusServiceUnavailable,
			map[string]any{"status": "unavailable", "error": "The database is not answering"}, "5"},
		{"database too slow", context.DeadlineExceeded, http.StatusServiceUnavailable,
			map[string]any{"status": "unavailable", "error": "The database is not answering"}, "5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, "bbolt", func(_ *Config, d *Deps) {
				d.Ready = func(context.Context) error { return tt.ready }
			})
			r := e.do(req{method: "GET", path: "/readyz"})
			if r.status != tt.wantStatus {
				t.Errorf("status: got %d, want %d", r.status, tt.wantStatus)
			}
			if fmt.Sprint(r.json) != fmt.Sprint(tt.wantBody) {
				t.Errorf("body: got %s, want %v (never the error's internals)", r.body, tt.wantBody)
			}
			if got := r.header.Get("Retry-After"); got != tt.wantRetryAfter {
				t.Errorf("Retry-After: got %q, want %q", got, tt.wantRetryAfter)
			}
		})
	}
}

func TestCORS(t *testing.T) {
	e := newEnv(t, "bbolt", func(c *Config, _ *Deps) {
		c.FrontendURLs = []string{"http://localhost:3000", "https://cara.example.com"}
	})
	ana := e.register("ana")
	tests := []struct {
		name, method, origin string
		cookie               bool
		wantStatus           int
		wantAllowOrigin      string
		wantCredentials      string
	}{
		{"allowed origin", "GET", "https://cara.example.com", false, http.StatusOK, "https://cara.example.com", "true"},
		{"allowed preflight", "OPTIONS", "http://localhost:3000", false, http.StatusNoContent, "http://localhost:3000", "true"},
		{"evil origin", "GET", "https://evil.example", false, http.StatusForbidden, "", ""},
		{"evil preflight", "OPTIONS", "https://evil.example", false, http.StatusForbidden, "", ""},
		{"evil origin spends the cookie", "POST", "https://evil.example", true, http.StatusForbidden, "", ""},
		{"look-alike origin", "GET", "https://cara.example.com.evil.example", false, http.StatusForbidden, "", ""},
		{"null origin", "GET", "null", false, http.StatusForbidden, "", ""},
		{"no origin (curl, desktop)", "GET", "", false, http.StatusOK, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := req{method: tt.method, path: "/api/auth/verify", bearer: ana.access, header: map[string]string{}}
			if tt.origin != "" {
				r.header["Origin"] = tt.origin
			}
			if tt.method == "OPTIONS" {
				r.header["Access-Control-Request-Method"] = "GET"
			}
			if tt.cookie {
				r.path, r.bearer, r.cookie = "/api/auth/refresh", "", ana.refresh
			}
			got := e.do(r)
			if got.status != tt.wantStatus {
				t.Fatalf("status: got %d, want %d: %s", got.status, tt.wantStatus, got.body)
			}
			if v := got.header.Get("Access-Control-Allow-Origin"); v != tt.wantAllowOrigin {
				t.Errorf("Access-Control-Allow-Origin: got %q, want %q", v, tt.wantAllowOrigin)
			}
			if v := got.header.Get("Access-Control-Allow-Credentials"); v != tt.wantCredentials {
				t.Errorf("Access-Control-Allow-Credentials: got %q, want %q", v, tt.wantCredentials)
			}
			if got.cookie != nil && got.cookie.Value != "" {
				t.Errorf("a refused origin got a refresh cookie")
			}
		})
	}
	// The evil origin's refresh attempt did not rotate the token.
	if r := e.do(req{method: "POST", path: "/api/auth/refresh", cookie: ana.refresh}); r.status != http.StatusOK {
		t.Errorf("ana's own refresh after the evil attempt: got %d, want 200", r.status)
	}
}

// TestCORSExposesHeaders: a page on an allowed origin can read every
// header the API answers with beyond the safelisted ones — the rate-limit
// state, when to retry and the request ID — on a plain answer and on a 429
// from either limiter. Browsers hide any header Access-Control-Expose-Headers
// does not list.
func TestCORSExposesHeaders(t *testing.T) {
	login := func(e *env) req {
		return req{method: "POST", path: "/api/auth/login", body: jsonBody(map[string]string{"email": "ana@example.com", "password": testPassword})}
	}
	verify := func(e *env) req {
		return req{method: "GET", path: "/api/auth/verify", bearer: e.users["ana"].access}
	}
	tests := []struct {
		name       string
		request    func(e *env) req
		times      int // the last answer is checked
		wantStatus int
		wantHeader []string // must be present and exposed
	}{
		{"API answer", verify, 1, http.StatusOK,
			[]string{"X-Request-ID", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"}},
		{"API limit reached", verify, 3, http.StatusTooManyRequests,
			[]string{"X-Request-ID", "Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"}},
		{"sign-in answer", login, 1, http.StatusOK,
			[]string{"X-Request-ID", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"}},
		{"sign-in limit reached", login, 3, http.StatusTooManyRequests,
			[]string{"X-Request-ID", "Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, "bbolt", func(c *Config, _ *Deps) {
				c.FrontendURLs = []string{"https://cara.example.com"}
				c.APIRatePerMin, c.AuthRatePerMin = 2, 3 // registering ana is the first sign-in request
			})
			e.register("ana")
			var got resp
			for range tt.times {
				r := tt.request(e)
				r.header = map[string]string{"Origin": "https://cara.example.com"}
				got = e.do(r)
			}
			if got.status != tt.wantStatus {
				t.Fatalf("status: got %d, want %d: %s", got.status, tt.wantStatus, got.body)
			}
			exposed := map[string]bool{}
			for _, h := range strings.Split(got.header.Get("Access-Control-Expose-Headers"), ",") {
				exposed[http.CanonicalHeaderKey(strings.TrimSpace(h))] = true
			}
			for _, h := range tt.wantHeader {
				if got.header.Get(h) == "" {
					t.Errorf("%s: not in the answer", h)
				}
				if !exposed[http.CanonicalHeaderKey(h)] {
					t.Errorf("%s: not in Access-Control-Expose-Headers %q", h, got.header.Get("Access-Control-Expose-Headers"))
				}
			}
			// Nothing the API sets under these prefixes is left hidden.
			for h := range got.header {
				if (strings.HasPrefix(h, "X-Ratelimit-") || h == "Retry-After" || h == "X-Request-Id") && !exposed[h] {
					t.Errorf("%s is in the answer but not exposed", h)
				}
			}
		})
	}
}

func TestBodyLimits(t *testing.T) {
	e := newEnv(t, "bbolt", func(c *Config, _ *Deps) { c.MaxBodyBytes = 4096 })
	ana := e.register("ana")
	big := `{"featureType":"review","title":"` + strings.Repeat("a", 5000) + `"}`
	r := e.do(req{method: "POST", path: "/api/practice-sessions", bearer: ana.access, body: big})
	if r.status != http.StatusRequestEntityTooLarge || errMsg(r) != "Request body is too large (limit 4 KB)" {
		t.Errorf("declared oversized body: got %d %q", r.status, errMsg(r))
	}
	// Chunked (no Content-Length) is cut off while reading.
	hr := httptest.NewRequest("POST", "/api/practice-sessions", io.MultiReader(strings.NewReader(big)))
	hr.ContentLength = -1
	hr.Header.Set("Authorization", "Bearer "+ana.access)
	hr.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(rec, hr)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("streamed oversized body: got %d %s", rec.Code, rec.Body)
	}
	// A gzip bomb is not decompressed: the body is just not JSON.
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(bytes.Repeat([]byte("{"), 1<<20))
	zw.Close()
	r = e.do(req{method: "POST", path: "/api/auth/login", body: gz.String(), header: map[string]string{"Content-Encoding": "gzip"}})
	if r.status != http.StatusBadRequest {
		t.Errorf("gzip body: got %d, want 400", r.status)
	}
}

func TestMalformedJSON(t *testing.T) {
	e := newEnv(t, "bbolt", nil)
	tests := []struct{ body, want string }{
		{`{`, "Request body is not valid JSON: it ends too early"},
		{`{"email":}`, "Request body is not valid JSON: syntax error at byte 10"},
		{`[1,2]`, "Request body is not valid JSON: expected a JSON object"},
		{`{"email":"a"} {"x":1}`, "Request body is not valid JSON: unexpected data after the JSON value"},
		{`{"password":true}`, `Request body is not valid JSON: field "password" must be a string`},
		{"\xff\xfe", "Request body is not valid JSON: syntax error at byte 1"},
	}
	for _, tt := range tests {
		r := e.do(req{method: "POST", path: "/api/auth/login", body: tt.body})
		if r.status != http.StatusBadRequest || errMsg(r) != tt.want {
			t.Errorf("%q: got %d %q, want 400 %q", tt.body, r.status, errMsg(r), tt.want)
		}
	}
}

func TestRateLimits(t *testing.T) {
	e := newEnv(t, "bbolt", func(c *Config, _ *Deps) { c.AuthRatePerMin, c.APIRatePerMin = 3, 4 })
	ana := e.register("ana") // 1 of the IP's 3 auth requests
	login := req{method: "POST", path: "/api/auth/login", body: jsonBody(map[string]string{"email": "x@example.com", "password": "y"})}
	var last resp
	for range 2 {
		last = e.do(login)
	}
	if last.status != http.StatusUnauthorized {
		t.Fatalf("within the auth limit: got %d", last.status)
	}
	last = e.do(login)
	if last.status != http.StatusTooManyRequests || errMsg(last) != msgTooManyReqs || last.header.Get("Retry-After") == "" {
		t.Fatalf("over the auth limit: got %d %q Retry-After %q", last.status, errMsg(last), last.header.Get("Retry-After"))
	}
	// Another IP is not affected.
	other := login
	other.header = map[string]string{}
	hr := httptest.NewRequest("POST", "/api/auth/login", strings.NewReader(login.body))
	hr.RemoteAddr = "198.51.100.7:1"
	hr.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(rec, hr)
	if rec.Code != http.StatusUnauthorized {
		t.Errorf("another IP: got %d, want 401 (not limited)", rec.Code)
	}
	// Per user on the API.
	for i := range 4 {
		if r := e.do(req{method: "GET", path: "/api/auth/verify", bearer: ana.access}); r.status != http.StatusOK {
			t.Fatalf("API call %d: got %d", i, r.status)
		}
	}
	if r := e.do(req{method: "GET", path: "/api/auth/verify", bearer: ana.access}); r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" {
		t.Errorf("over the API limit: got %d Retry-After %q", r.status, r.header.Get("Retry-After"))
	}
}

func TestClientIPBehindProxies(t *testing.T) {
	tests := []struct {
		hops int
		xff  string
		want string
	}{
		{0, "203.0.113.9", "192.0.2.10"},              // not trusted: the peer
		{1, "203.0.113.9", "203.0.113.9"},             // one proxy: its view
		{1, "1.1.1.1, 203.0.113.9", "203.0.113.9"},    // a forged left entry is ignored
		{2, "1.1.1.1, 203.0.113.9", "1.1.1.1"},        // two proxies
		{2, "203.0.113.9", "192.0.2.10"},              // fewer entries than hops: the peer
		{1, "not-an-ip", "192.0.2.10"},                // garbage: the peer
		{1, "2001:db8:1:2:3:4:5:6", "2001:db8:1:2::"}, // IPv6 by /64
	}
	for _, tt := range tests {
		s := &Server{cfg: Config{TrustedProxyHops: tt.hops}}
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = "192.0.2.10:4000"
		r.Header.Set("X-Forwarded-For", tt.xff)
		if got := s.clientIP(r); got != tt.want {
			t.Errorf("hops %d XFF %q: got %q, want %q", tt.hops, tt.xff, got, tt.want)
		}
	}
}

// TestLogLines: one line per request with method, path, status, ms and
// user; never the body, tokens, passwords or the query string.
func TestLogLines(t *testing.T) {
	e := newEnv(t, "bbolt", nil)
	ana := e.register("ana")
	e.do(req{method: "POST", path: "/api/auth/login", body: jsonBody(map[string]string{"email": "ana@example.com", "password": testPassword})})
	e.do(req{method: "GET", path: "/api/practice-sessions?featureType=review&secret=xyz", bearer: ana.access})
	e.do(req{method: "POST", path: "/api/auth/refresh", cookie: ana.refresh})
	logs := e.logText()
	lines := strings.Split(strings.TrimSpace(logs), "\n")
	if len(lines) != 4 {
		t.Fatalf("got %d log lines, want 4 (one per request):\n%s", len(lines), logs)
	}
	for _, secret := range []string{testPassword, ana.access, ana.refresh, "secret=xyz", "ana@example.com"} {
		if strings.Contains(logs, secret) {
			t.Errorf("log contains %q", secret)
		}
	}
	for _, want := range []string{`"method":"GET"`, `"path":"/api/practice-sessions"`, `"status":200`, `"user_id":"` + ana.id + `"`, `"ms":`} {
		if !strings.Contains(lines[2], want) {
			t.Errorf("log line %s: missing %s", lines[2], want)
		}
	}
}

// TestLogsNameRoutesNotPaths: the log says the route pattern, so whatever
// a client puts in a path (an e-mail, an ID) stays out of it.
func TestLogsNameRoutesNotPaths(t *testing.T) {
	e := newEnv(t, "bbolt", nil)
	ana := e.register("ana")
	id := e.createPractice(ana, `{"featureType":"review"}`)
	tests := []struct {
		r        req
		wantPath string
	}{
		{req{method: "GET", path: "/api/x/leak2@example.com", bearer: ana.access}, unmatchedRoute},
		{req{method: "GET", path: "//api/leak3@example.com"}, unmatchedRoute},
		{req{method: "GET", path: "/api/practice-sessions/" + id, bearer: ana.access}, "/api/practice-sessions/{id}"},
		{req{method: "DELETE", path: "/api/practice-sessions/" + id, bearer: ana.access}, unmatchedRoute}, // 405
		{req{method: "GET", path: "/api/practice-sessions/" + id, bearer: ana.access,
			header: map[string]string{"Origin": "https://evil.example"}}, "/api/practice-sessions/{id}"}, // refused before the mux
	}
	for _, tt := range tests {
		before := len(e.logText())
		e.do(tt.r)
		line := e.logText()[before:]
		if !strings.Contains(line, `"path":"`+tt.wantPath+`"`) {
			t.Errorf("%s %s: log line %s, want path %q", tt.r.method, tt.r.path, line, tt.wantPath)
		}
		for _, leak := range []string{"leak2", "leak3", "example.com", id} {
			if strings.Contains(line, leak) {
				t.Errorf("%s %s: log line %s contains %q", tt.r.method, tt.r.path, line, leak)
			}
		}
	}
}

// TestPanicIsA500 recovers, answers JSON and logs without crashing.
func TestPanicIsA500(t *testing.T) {
	e := newEnv(t, "bbolt", nil)
	h := e.srv.logRequests(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { panic("boom") }))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/x", nil))
	if rec.Code != http.StatusInternalServerError || !strings.Contains(rec.Body.String(), msgInternal) {
		t.Errorf("panic: got %d %s", rec.Code, rec.Body)
	}
	if !strings.Contains(e.logText(), `"panic":"boom"`) {
		t.Errorf("panic not logged: %s", e.logText())
	}
}

// TestSentryScrubsPII sends a real event to a local Sentry endpoint and
// checks what arrives.
func TestSentryScrubsPII(t *testing.T) {
	var mu sync.Mutex
	var got []byte
	sentrySrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, b...)
		mu.Unlock()
		w.WriteHeader(http.StatusOK)
	}))
	defer sentrySrv.Close()
	dsn := strings.Replace(sentrySrv.URL, "http://", "http://publickey@", 1) + "/42"
	cfg := testConfig()
	cfg.SentryDSN = dsn
	hub, err := NewSentryHub(cfg, "test")
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, "bbolt", func(_ *Config, d *Deps) { d.Sentry = hub })
	ana := e.register("ana")
	h := e.srv.logRequests(e.srv.requireUser(func(w http.ResponseWriter, r *http.Request) {
		e.srv.writeError(w, r, errors.New("database exploded"))
	}))
	hr := httptest.NewRequest("POST", "/api/practice-sessions?email=ana@example.com", strings.NewReader(`{"password":"`+testPassword+`"}`))
	hr.Header.Set("Authorization", "Bearer "+ana.access)
	hr.AddCookie(&http.Cookie{Name: RefreshCookie, Value: ana.refresh})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, hr)
	if rec.Code != http.StatusInternalServerError || strings.Contains(rec.Body.String(), "exploded") {
		t.Fatalf("500: got %d %s, want the generic message", rec.Code, rec.Body)
	}
	hub.Flush(5 * time.Second)
	// The transport is asynchronous: wait for the event to arrive.
	var body string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		mu.Lock()
		body = string(got)
		mu.Unlock()
		if strings.Contains(body, "database exploded") {
			break
		}
	}
	if !strings.Contains(body, "database exploded") || !strings.Contains(body, ana.id) {
		t.Fatalf("Sentry got no event with the error and user ID: %q", body)
	}
	for _, pii := range []string{ana.access, ana.refresh, testPassword, "ana@example.com", "192.0.2"} {
		if strings.Contains(body, pii) {
			t.Errorf("Sentry event contains %q: %s", pii, body)
		}
	}
	if _, err := NewSentryHub(Config{SentryDSN: "::not a dsn"}, "x"); err == nil || strings.Contains(err.Error(), "not a dsn") {
		t.Errorf("bad DSN: got %v, want an error that does not echo it", err)
	}
}

// brokenPractice is a practice store whose listing fails, as during an outage.
type brokenPractice struct{ practice.Store }

func (brokenPractice) PracticeSessions(context.Context, string, practice.Filter) ([]practice.Session, int, error) {
	return nil, 0, errors.New("connection refused")
}

// TestStoreOutageIs503: a failure while the database doesn't answer is an
// outage (503 with Retry-After), while the same failure with the database
// up is a bug (500).
func TestStoreOutageIs503(t *testing.T) {
	for _, tt := range []struct {
		name       string
		down       bool
		wantStatus int
		wantMsg    string
	}{
		{"database down", true, http.StatusServiceUnavailable, msgStoreDown},
		{"database up", false, http.StatusInternalServerError, msgInternal},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, "bbolt", func(_ *Config, d *Deps) {
				d.Practice = brokenPractice{d.Practice}
				d.Ready = func(context.Context) error {
					if tt.down {
						return errors.New("no answer")
					}
					return nil
				}
			})
			ana := e.register("ana")
			r := e.do(req{method: "GET", path: "/api/practice-sessions", bearer: ana.access})
			if r.status != tt.wantStatus || errMsg(r) != tt.wantMsg {
				t.Fatalf("got %d %q; want %d %q", r.status, errMsg(r), tt.wantStatus, tt.wantMsg)
			}
			if tt.down && r.header.Get("Retry-After") == "" {
				t.Error("503 without Retry-After")
			}
		})
	}
}

// eventCounter is a Sentry transport that counts the events it is given.
type eventCounter struct {
	mu     sync.Mutex
	events []*sentry.Event
}

func (c *eventCounter) Configure(sentry.ClientOptions)        {}
func (c *eventCounter) Flush(time.Duration) bool              { return true }
func (c *eventCounter) FlushWithContext(context.Context) bool { return true }
func (c *eventCounter) Close()                                {}
func (c *eventCounter) SendEvent(e *sentry.Event) {
	c.mu.Lock()
	c.events = append(c.events, e)
	c.mu.Unlock()
}
func (c *eventCounter) count() int { c.mu.Lock(); defer c.mu.Unlock(); return len(c.events) }

// hangUpPractice waits until the request is cancelled, then lists with the
// cancelled context, so the real store fails the way it does when a
// client hangs up mid-query.
type hangUpPractice struct {
	practice.Store
	waiting chan struct{}
}

func (h hangUpPractice) PracticeSessions(ctx context.Context, userID string, f practice.Filter) ([]practice.Session, int, error) {
	close(h.waiting)
	<-ctx.Done()
	return h.Store.PracticeSessions(ctx, userID, f)
}

// countingSentry is a Sentry hub whose events are counted, never sent.
func countingSentry(t *testing.T) (*sentry.Hub, *eventCounter) {
	t.Helper()
	events := &eventCounter{}
	cfg := testConfig()
	cfg.SentryDSN = "http://publickey@127.0.0.1:1/42"
	hub, err := newSentryHub(cfg, "test", events)
	if err != nil {
		t.Fatal(err)
	}
	return hub, events
}

// TestClientHangUpIs499: a request the client cancels is logged as 499 at
// info level and never reported to Sentry, on every store.
func TestClientHangUpIs499(t *testing.T) {
	stores(t, func(t *testing.T, kind string) {
		hub, events := countingSentry(t)
		waiting := make(chan struct{})
		e := newEnv(t, kind, func(_ *Config, d *Deps) {
			d.Sentry = hub
			d.Practice = hangUpPractice{Store: d.Practice, waiting: waiting}
		})
		ana := e.register("ana")
		ctx, cancel := context.WithCancel(context.Background())
		hr := httptest.NewRequestWithContext(ctx, "GET", "/api/practice-sessions", nil)
		hr.Header.Set("Authorization", "Bearer "+ana.access)
		go func() { <-waiting; cancel() }()
		rec := httptest.NewRecorder()
		e.srv.Handler().ServeHTTP(rec, hr)
		if rec.Code != statusClientClosed {
			t.Errorf("status: got %d, want 499", rec.Code)
		}
		lines := strings.Split(strings.TrimSpace(e.logText()), "\n")
		last := lines[len(lines)-1]
		for _, want := range []string{`"level":"INFO"`, `"status":499`, `"reason":"client closed request"`} {
			if !strings.Contains(last, want) {
				t.Errorf("log line %s: missing %s", last, want)
			}
		}
		if strings.Contains(last, `"error"`) {
			t.Errorf("log line %s: a hang-up is not an error", last)
		}
		hub.Flush(time.Second)
		if n := events.count(); n != 0 {
			t.Errorf("Sentry got %d events for a hang-up, want 0", n)
		}
	})
}

// stallPractice makes every practice listing wait for its context while
// stalled is set: a hung disk under bbolt.
type stallPractice struct {
	testStore
	stalled *atomic.Bool
}

func (s stallPractice) PracticeSessions(ctx context.Context, userID string, f practice.Filter) ([]practice.Session, int, error) {
	if s.stalled.Load() {
		<-ctx.Done()
		return nil, 0, ctx.Err()
	}
	return s.testStore.PracticeSessions(ctx, userID, f)
}

// hangingStore opens a store of kind and returns a function that makes it
// stop answering practice queries until the returned release is called: on
// PostgreSQL a second session holds an exclusive lock on the table, as a
// stopped or stuck database would hold the query.
func hangingStore(t *testing.T, kind string) (testStore, func() (release func())) {
	if kind == "postgres" {
		db, url := pgtest.OpenURL(t)
		return db, func() func() {
			ctx := context.Background()
			conn, err := pgx.Connect(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			tx, err := conn.Begin(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := tx.Exec(ctx, "LOCK TABLE practice_sessions IN ACCESS EXCLUSIVE MODE"); err != nil {
				t.Fatal(err)
			}
			return func() { tx.Rollback(ctx); conn.Close(ctx) }
		}
	}
	stalled := &atomic.Bool{}
	return stallPractice{testStore: openStore(t, kind), stalled: stalled}, func() func() {
		stalled.Store(true)
		return func() { stalled.Store(false) }
	}
}

// TestHungDatabaseIs503WithinTheDeadline: with the store's calls bounded
// (DATABASE_TIMEOUT), a database that stops answering makes a request
// answer 503 with Retry-After when the deadline passes, not hang and not
// 500, and no Sentry report; once it answers again, so does the request.
func TestHungDatabaseIs503WithinTheDeadline(t *testing.T) {
	const deadline = 300 * time.Millisecond
	stores(t, func(t *testing.T, kind string) {
		inner, hang := hangingStore(t, kind)
		hub, events := countingSentry(t)
		e := newEnvOn(t, kind, storetimeout.New(inner, deadline), func(_ *Config, d *Deps) { d.Sentry = hub })
		ana := e.register("ana")
		list := req{method: "GET", path: "/api/practice-sessions", bearer: ana.access}
		if r := e.do(list); r.status != http.StatusOK {
			t.Fatalf("before the hang: got %d %s", r.status, r.body)
		}

		release := hang()
		start := time.Now()
		r := e.do(list)
		took := time.Since(start)
		release()
		if r.status != http.StatusServiceUnavailable || errMsg(r) != msgStoreDown || r.header.Get("Retry-After") == "" {
			t.Fatalf("while hung: got %d %q Retry-After %q, want 503 %q with Retry-After", r.status, errMsg(r), r.header.Get("Retry-After"), msgStoreDown)
		}
		if took < deadline || took > deadline+time.Second {
			t.Errorf("503 came after %v, want just after the %v deadline", took, deadline)
		}
		if !strings.Contains(e.logText(), "the database did not answer PracticeSessions within 300ms") {
			t.Errorf("the log does not say which call timed out:\n%s", e.logText())
		}
		hub.Flush(time.Second)
		if n := events.count(); n != 0 {
			t.Errorf("Sentry got %d events for an outage, want 0", n)
		}
		if r := e.do(list); r.status != http.StatusOK {
			t.Errorf("after the hang: got %d %s, want 200", r.status, r.body)
		}
	})
}

// TestUncleanPathsAreJSON404: paths ServeMux would redirect (with an HTML
// body) to their cleaned form are a JSON 404 like any unknown path.
func TestUncleanPathsAreJSON404(t *testing.T) {
	e := newEnv(t, "bbolt", nil)
	ana := e.register("ana")
	for _, p := range []string{"//api/auth/verify", "/api/../healthz", "/api/./auth/verify", "/api//auth/verify",
		"/healthz/.", "/healthz/..", "/api/auth/verify/../verify"} {
		r := e.do(req{method: "GET", path: p, bearer: ana.access})
		if r.status != http.StatusNotFound || errMsg(r) != msgNotFound || r.header.Get("Location") != "" {
			t.Errorf("GET %s: got %d %q Location %q, want a JSON 404 without a redirect", p, r.status, r.body, r.header.Get("Location"))
		}
		if ct := r.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
			t.Errorf("GET %s: Content-Type %q, want JSON", p, ct)
		}
	}
	// The clean forms still work; a trailing slash is just an unknown path.
	for p, want := range map[string]int{"/api/auth/verify": 200, "/healthz": 200, "/api/auth/verify/": 404} {
		if r := e.do(req{method: "GET", path: p, bearer: ana.access}); r.status != want {
			t.Errorf("GET %s: got %d, want %d", p, r.status, want)
		}
	}
}

// blockingGemini is a Generator whose Generate waits until release is
// closed, signalling each arrival on arrived.
type blockingGemini struct {
	arrived chan struct{}
	release chan struct{}
}

func (g blockingGemini) CountTokens(context.Context, gemini.Request) (int, error) { return 1, nil }

func (g blockingGemini) Generate(ctx context.Context, _ gemini.Request) (gemini.Reply, error) {
	g.arrived <- struct{}{}
	<-g.release
	return gemini.Reply{Text: "ok", FinishReason: "STOP", Usage: gemini.Usage{TotalTokens: 2}}, nil
}

// TestInFlight: InFlight counts the requests inside the handler (what the
// shutdown log line reports when SHUTDOWN_TIMEOUT cuts them), and drops
// back as they finish.
func TestInFlight(t *testing.T) {
	for _, n := range []int{1, 3, 8} {
		t.Run(fmt.Sprintf("%d requests", n), func(t *testing.T) {
			g := blockingGemini{arrived: make(chan struct{}), release: make(chan struct{})}
			e := newEnv(t, "bbolt", func(c *Config, d *Deps) {
				// A small reply cap, so the daily quota holds all n calls at once.
				c.GeminiAPIKey, c.GeminiMaxOutputTokens, d.Gemini = "set", 100, g
			})
			var once sync.Once
			release := func() { once.Do(func() { close(g.release) }) }
			t.Cleanup(release) // a failed test leaves no request waiting
			ana := e.register("ana")
			if got := e.srv.InFlight(); got != 0 {
				t.Fatalf("InFlight before: got %d, want 0", got)
			}
			var wg sync.WaitGroup
			statuses := make([]int, n)
			for i := range n {
				wg.Go(func() {
					statuses[i] = e.do(req{method: "POST", path: "/api/gemini/process", bearer: ana.access, body: `{"prompt":"hi"}`}).status
				})
			}
			for i := range n {
				select {
				case <-g.arrived:
				case <-time.After(10 * time.Second):
					t.Fatalf("only %d of %d requests reached Gemini", i, n)
				}
			}
			if got := e.srv.InFlight(); got != n {
				t.Errorf("InFlight with %d requests waiting on Gemini: got %d", n, got)
			}
			release()
			wg.Wait()
			if got := e.srv.InFlight(); got != 0 {
				t.Errorf("InFlight after they finished: got %d, want 0", got)
			}
			for i, st := range statuses {
				if st != http.StatusOK {
					t.Errorf("request %d: status %d", i, st)
				}
			}
		})
	}
}
