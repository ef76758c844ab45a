package server

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cara-coach/cara/internal/gemini"
	"github.com/cara-coach/cara/internal/gemini/geminitest"
	"github.com/cara-coach/cara/internal/practice"
)

func withGemini(t *testing.T, limit int) (func(*Config, *Deps), *geminitest.Server) {
	fake := geminitest.New(geminitest.Options{})
	t.Cleanup(fake.Close)
	gc, err := gemini.New(context.Background(), gemini.Config{APIKey: fake.APIKey(), BaseURL: fake.URL(), Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return func(c *Config, d *Deps) {
		c.GeminiAPIKey, c.GeminiDailyTokens = fake.APIKey(), limit
		d.Gemini = gc
	}, fake
}

func TestGeminiProxyOff(t *testing.T) {
	e := newEnv(t, "bbolt", nil)
	ana := e.register("ana")
	r := e.do(req{method: "POST", path: "/api/gemini/process", bearer: ana.access, body: `{"prompt":"hi"}`})
	if r.status != http.StatusServiceUnavailable || errMsg(r) != msgGeminiOff {
		t.Fatalf("proxy off: got %d %q, want 503 %q", r.status, errMsg(r), msgGeminiOff)
	}
	q := e.do(req{method: "GET", path: "/api/gemini/quota", bearer: ana.access})
	if q.status != http.StatusOK || q.json["enabled"] != false {
		t.Fatalf("quota with the proxy off: %d %s", q.status, q.body)
	}
}

func TestGeminiProxy(t *testing.T) {
	stores(t, func(t *testing.T, kind string) {
		configure, fake := withGemini(t, 50_000)
		e := newEnv(t, kind, configure)
		ana, bob := e.register("ana"), e.register("bob")

		r := e.do(req{method: "POST", path: "/api/gemini/process", bearer: ana.access, body: `{"prompt":"How do I open a meeting?"}`})
		if r.status != http.StatusOK {
			t.Fatalf("process: %d %s", r.status, r.body)
		}
		if !strings.Contains(r.json["text"].(string), geminitest.CoachingSentence) {
			t.Errorf("text: got %q", r.json["text"])
		}
		usage := r.json["usage"].(map[string]any)
		total := usage["totalTokens"].(float64)
		if total <= 0 {
			t.Fatalf("usage: got %v, want Gemini's token counts", usage)
		}
		q := r.json["quota"].(map[string]any)
		if q["used"] != total || q["limit"] != 50_000.0 || q["remaining"] != 50_000-total {
			t.Errorf("quota: got %v, want used %v of 50000", q, total)
		}
		// The server's key went to Gemini; the user's token did not.
		for _, got := range fake.Requests() {
			if got.Header.Get("x-goog-api-key") != fake.APIKey() || strings.Contains(string(got.Body), ana.access) {
				t.Errorf("request to Gemini: key %q, body mentions the access token: %v", got.Header.Get("x-goog-api-key"), strings.Contains(string(got.Body), ana.access))
			}
		}
		// Usage is per user.
		qa := e.do(req{method: "GET", path: "/api/gemini/quota", bearer: ana.access})
		qb := e.do(req{method: "GET", path: "/api/gemini/quota", bearer: bob.access})
		if qa.json["used"] != total || qb.json["used"] != 0.0 {
			t.Errorf("quota: ana used %v (want %v), bob used %v (want 0)", qa.json["used"], total, qb.json["used"])
		}
		wantReset := practice.NextDay(e.clock.Now()).Format(time.RFC3339)
		if qa.json["resetsAt"] != wantReset {
			t.Errorf("resetsAt: got %v, want %s", qa.json["resetsAt"], wantReset)
		}

		// Conversations work too; bad input is 400.
		conv := `{"messages":[{"role":"user","text":"Hi"},{"role":"model","text":"Hello"},{"role":"user","text":"Help me say no"}]}`
		if r := e.do(req{method: "POST", path: "/api/gemini/process", bearer: ana.access, body: conv}); r.status != http.StatusOK {
			t.Errorf("conversation: %d %s", r.status, r.body)
		}
		for _, bad := range []string{`{}`, `{"prompt":"   "}`, `{"messages":[{"role":"system","text":"x"}]}`,
			`{"prompt":"` + strings.Repeat("a", maxPromptRunes+1) + `"}`, `{"prompt":"a","messages":[{"role":"user","text":"b"}]}`} {
			if r := e.do(req{method: "POST", path: "/api/gemini/process", bearer: ana.access, body: bad}); r.status != http.StatusBadRequest {
				t.Errorf("%.60s: got %d, want 400", bad, r.status)
			}
		}
	})
}

func TestGeminiDailyQuota(t *testing.T) {
	stores(t, func(t *testing.T, kind string) {
		configure, _ := withGemini(t, 20)
		e := newEnv(t, kind, configure)
		ana := e.register("ana")
		// The first call is allowed (0 used) and spends more than 20 tokens.
		if r := e.do(req{method: "POST", path: "/api/gemini/process", bearer: ana.access, body: `{"prompt":"Write me a long polite refusal for a meeting invite"}`}); r.status != http.StatusOK {
			t.Fatalf("first call: %d %s", r.status, r.body)
		}
		r := e.do(req{method: "POST", path: "/api/gemini/process", bearer: ana.access, body: `{"prompt":"again"}`})
		if r.status != http.StatusTooManyRequests || errMsg(r) != "Daily quota exceeded" {
			t.Fatalf("over quota: got %d %q, want 429 Daily quota exceeded", r.status, errMsg(r))
		}
		reset := practice.NextDay(e.clock.Now())
		if r.json["resetsAt"] != reset.Format(time.RFC3339) {
			t.Errorf("resetsAt: got %v, want %v", r.json["resetsAt"], reset)
		}
		ra, err := strconv.Atoi(r.header.Get("Retry-After"))
		if err != nil || ra < 1 || time.Duration(ra)*time.Second > 24*time.Hour {
			t.Errorf("Retry-After: got %q, want seconds until the UTC day ends", r.header.Get("Retry-After"))
		}
		// The next UTC day starts afresh.
		e.clock.Add(reset.Sub(e.clock.Now()) + time.Second)
		if r := e.do(req{method: "POST", path: "/api/auth/refresh", cookie: ana.refresh}); r.status == http.StatusOK {
			ana.access = r.json["accessToken"].(string)
		}
		if r := e.do(req{method: "POST", path: "/api/gemini/process", bearer: ana.access, body: `{"prompt":"new day"}`}); r.status != http.StatusOK {
			t.Errorf("next day: got %d %s, want 200", r.status, r.body)
		}
	})
}

func TestGeminiUpstreamErrors(t *testing.T) {
	configure, _ := withGemini(t, 50_000)
	e := newEnv(t, "bbolt", configure)
	ana := e.register("ana")
	tests := []struct {
		scenario       geminitest.Scenario
		wantStatus     int
		wantRetryAfter string
	}{
		{geminitest.Quota, http.StatusTooManyRequests, "17"},
		{geminitest.Unavailable, http.StatusServiceUnavailable, ""},
		{geminitest.Safety, http.StatusBadRequest, ""},
		{geminitest.KeyInvalid, http.StatusBadGateway, ""},
	}
	for _, tt := range tests {
		r := e.do(req{method: "POST", path: "/api/gemini/process", bearer: ana.access, body: `{"prompt":"[[` + string(tt.scenario) + `]] hi"}`})
		if r.status != tt.wantStatus || r.header.Get("Retry-After") != tt.wantRetryAfter || errMsg(r) == "" {
			t.Errorf("%s: got %d Retry-After %q %q, want %d Retry-After %q", tt.scenario, r.status, r.header.Get("Retry-After"), errMsg(r), tt.wantStatus, tt.wantRetryAfter)
		}
		if strings.Contains(string(r.body), "fake-gemini-key") {
			t.Errorf("%s: the server's key leaked: %s", tt.scenario, r.body)
		}
	}
}

// TestGeminiUnreachable: with Gemini down, the client hears that the server
// can't reach it (503), not advice about its own connection.
func TestGeminiUnreachable(t *testing.T) {
	configure, fake := withGemini(t, 50_000)
	e := newEnv(t, "bbolt", configure)
	ana := e.register("ana")
	fake.Close()
	r := e.do(req{method: "POST", path: "/api/gemini/process", bearer: ana.access, body: `{"prompt":"hi"}`})
	if r.status != http.StatusServiceUnavailable || errMsg(r) != msgGeminiUnreachable {
		t.Fatalf("got %d %q; want 503 %q", r.status, errMsg(r), msgGeminiUnreachable)
	}
}
