package server

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cara-coach/cara/internal/gemini"
	"github.com/cara-coach/cara/internal/gemini/geminitest"
	"github.com/cara-coach/cara/internal/postgres"
	"github.com/cara-coach/cara/internal/postgres/pgtest"
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

// TestGeminiDailyQuota: calls go on until the day's quota can't hold
// another one, the last reply cut to what was left; the total never passes
// the limit; the next UTC day starts afresh.
func TestGeminiDailyQuota(t *testing.T) {
	stores(t, func(t *testing.T, kind string) {
		const limit = 150
		configure, _ := withGemini(t, limit)
		e := newEnv(t, kind, configure)
		ana := e.register("ana")
		var r resp
		for i := range 20 {
			r = e.do(req{method: "POST", path: "/api/gemini/process", bearer: ana.access, body: `{"prompt":"Write me a long polite refusal for a meeting invite"}`})
			if r.status != http.StatusOK {
				if i < 2 {
					t.Fatalf("call %d: got %d %s, want 200 while quota is left", i+1, r.status, r.body)
				}
				break
			}
			if used := r.json["quota"].(map[string]any)["used"].(float64); used > limit {
				t.Fatalf("call %d: used %v, over the limit %d", i+1, used, limit)
			}
		}
		if r.status != http.StatusTooManyRequests || errMsg(r) != "Daily quota exceeded" {
			t.Fatalf("over quota: got %d %q, want 429 Daily quota exceeded", r.status, errMsg(r))
		}
		q := e.do(req{method: "GET", path: "/api/gemini/quota", bearer: ana.access})
		if used := q.json["used"].(float64); used > limit || used < limit-100 {
			t.Errorf("quota used: got %v, want close to the limit %d and not over it", used, limit)
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

// TestGeminiReplyCutToTheQuotaLeft: a call gets the prompt's worth plus
// what is left as its maxOutputTokens, so the reply stops there
// (MAX_TOKENS) instead of passing the limit.
func TestGeminiReplyCutToTheQuotaLeft(t *testing.T) {
	stores(t, func(t *testing.T, kind string) {
		const limit = 1000
		configure, _ := withGemini(t, limit)
		e := newEnv(t, kind, configure)
		ana := e.register("ana")
		const prompt = "Write me a long polite refusal for a meeting invite" // 10 tokens to the fake
		bound := 10 + perMessageTokens + promptSlack
		day := practice.Day(e.clock.Now())
		if _, err := e.store.AddUsage(context.Background(), ana.id, day, limit-bound-20); err != nil {
			t.Fatal(err)
		}
		r := e.do(req{method: "POST", path: "/api/gemini/process", bearer: ana.access, body: `{"prompt":"` + prompt + `"}`})
		if r.status != http.StatusOK {
			t.Fatalf("call with %d tokens left: got %d %s", bound+20, r.status, r.body)
		}
		usage := r.json["usage"].(map[string]any)
		if r.json["finishReason"] != "MAX_TOKENS" || usage["candidatesTokens"] != 20.0 {
			t.Errorf("reply: finish %v, usage %v; want MAX_TOKENS after the 20 tokens left", r.json["finishReason"], usage)
		}
		want := float64(limit - bound - 20 + 10 + 20)
		if q := r.json["quota"].(map[string]any); q["used"] != want {
			t.Errorf("quota: got %v, want used %v (the reservation settled to what was spent)", q, want)
		}
		// What is left now can't hold a prompt and a reply worth having.
		r = e.do(req{method: "POST", path: "/api/gemini/process", bearer: ana.access, body: `{"prompt":"` + prompt + `"}`})
		if r.status != http.StatusTooManyRequests || errMsg(r) != msgQuotaReached {
			t.Errorf("with %v left: got %d %s, want 429 %q", limit-want, r.status, r.body, msgQuotaReached)
		}
	})
}

// slowGemini is the fake Gemini answering generateContent after a delay,
// so concurrent calls overlap.
func slowGemini(t *testing.T, delay time.Duration) *gemini.Client {
	fake := geminitest.NewHandler(geminitest.Options{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, ":generateContent") {
			time.Sleep(delay)
		}
		fake.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	gc, err := gemini.New(context.Background(), gemini.Config{APIKey: fake.APIKey(), BaseURL: srv.URL, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return gc
}

// TestGeminiQuotaHoldsUnderConcurrency: 30 callers of one user, spread
// over two server instances sharing the store (PostgreSQL; bbolt has one
// instance), call at once and keep calling until the day is spent
// (retrying when their own calls in flight hold the rest). They never
// spend past the daily limit, they do spend most of it, and what the
// answers report adds up to what the quota says.
func TestGeminiQuotaHoldsUnderConcurrency(t *testing.T) {
	stores(t, func(t *testing.T, kind string) {
		const limit, callers = 300, 30
		gc := slowGemini(t, 50*time.Millisecond)
		configure := func(c *Config, d *Deps) {
			c.GeminiDailyTokens, c.GeminiMaxOutputTokens, c.APIRatePerMin = limit, 40, 100_000
			d.Gemini = gc
		}
		var first, second testStore
		if kind == "postgres" {
			db, url := pgtest.OpenURL(t)
			other, err := postgres.Open(context.Background(), url)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(other.Close)
			first, second = db, other
		} else {
			first = openStore(t, kind)
			second = first
		}
		instances := []*env{newEnvOn(t, kind, first, configure), newEnvOn(t, kind, second, configure)}
		ana := instances[0].register("ana")

		var mu sync.Mutex
		answered, spent, busy := 0, 0, 0
		var wg sync.WaitGroup
		for i := range callers {
			wg.Go(func() {
				for n := 0; ; n++ {
					r := instances[(i+n)%2].do(req{method: "POST", path: "/api/gemini/process", bearer: ana.access,
						body: fmt.Sprintf(`{"prompt":"Call %d.%d: help me decline a meeting politely"}`, i, n)})
					switch {
					case r.status == http.StatusOK:
						mu.Lock()
						answered++
						spent += int(r.json["usage"].(map[string]any)["totalTokens"].(float64))
						mu.Unlock()
					case r.status == http.StatusTooManyRequests && errMsg(r) == msgQuotaBusy:
						mu.Lock()
						busy++
						mu.Unlock()
						time.Sleep(10 * time.Millisecond)
					case r.status == http.StatusTooManyRequests && errMsg(r) == msgQuotaReached:
						return
					default:
						t.Errorf("caller %d: got %d %s", i, r.status, r.body)
						return
					}
				}
			})
		}
		wg.Wait()
		for _, e := range instances {
			q := e.do(req{method: "GET", path: "/api/gemini/quota", bearer: ana.access})
			if used := int(q.json["used"].(float64)); used != spent || used > limit {
				t.Errorf("quota used: got %d, want the %d the answers reported, at most %d", used, spent, limit)
			}
		}
		// The quota ends when a prompt (~8 tokens + 40 allowance) and 16
		// tokens of reply no longer fit: at most ~64 of it goes unused.
		if spent < limit-70 {
			t.Errorf("spent %d of %d: the quota refused calls it had room for", spent, limit)
		}
		t.Logf("%s: %d answers, %d tokens of %d, %d busy refusals", kind, answered, spent, limit, busy)
	})
}

// TestGeminiErrorsReachClients pins how Gemini's own failures (the
// server's key, Gemini's health, the network) reach a proxy client: the
// status, the message and Retry-After, and that a call Gemini refused
// costs the user none of their daily quota.
func TestGeminiErrorsReachClients(t *testing.T) {
	fake := geminitest.New(geminitest.Options{})
	t.Cleanup(fake.Close)
	client := func(t *testing.T, cfg gemini.Config) *gemini.Client {
		t.Helper()
		if cfg.APIKey == "" {
			cfg.APIKey = fake.APIKey()
		}
		if cfg.Timeout == 0 {
			cfg.Timeout = 5 * time.Second
		}
		gc, err := gemini.New(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		return gc
	}
	onFake := func(t *testing.T) *gemini.Client { return client(t, gemini.Config{BaseURL: fake.URL()}) }
	const misconfigured = "The AI service is misconfigured on this server; please tell its administrator"
	tests := []struct {
		name           string
		gemini         func(t *testing.T) *gemini.Client
		prompt         string
		wantStatus     int
		wantError      string
		wantRetryAfter string // "" for none
		spends         bool   // Gemini answered, with usage: that counts
	}{
		{"Gemini quota with RetryInfo", onFake, "[[429]]", http.StatusTooManyRequests, "Gemini quota reached — try again in 17 s", "17", false},
		{"Gemini quota without RetryInfo", onFake, "[[429-bare]]", http.StatusTooManyRequests, "Gemini quota reached — try again later", "", false},
		{"Gemini 500", onFake, "[[500]]", http.StatusServiceUnavailable, "Gemini is busy — retry", "", false},
		{"Gemini 503 (overloaded)", onFake, "[[503]]", http.StatusServiceUnavailable, "Gemini is busy — retry", "", false},
		{"blocked prompt", onFake, "[[blocked]]", http.StatusBadRequest, "Gemini blocked this response", "", true},
		{"reply stopped for safety", onFake, "[[safety]]", http.StatusBadRequest, "Gemini blocked this response", "", true},
		{"server key invalid", onFake, "[[400]]", http.StatusBadGateway, misconfigured, "", false},
		{"server key not allowed", onFake, "[[403]]", http.StatusBadGateway, misconfigured, "", false},
		{"GEMINI_MODEL unknown", func(t *testing.T) *gemini.Client {
			return client(t, gemini.Config{BaseURL: fake.URL(), Model: "gemini-0-nonexistent"})
		}, "hi", http.StatusBadGateway, misconfigured, "", false},
		{"any other Gemini 4xx", func(t *testing.T) *gemini.Client {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusRequestEntityTooLarge)
				fmt.Fprint(w, `{"error":{"code":413,"message":"Request payload size exceeds the limit.","status":"FAILED_PRECONDITION"}}`)
			}))
			t.Cleanup(srv.Close)
			return client(t, gemini.Config{BaseURL: srv.URL})
		}, "hi", http.StatusBadGateway, "Gemini couldn't answer — retry", "", false},
		{"an answer with no reply in it", func(t *testing.T) *gemini.Client {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				if strings.HasSuffix(r.URL.Path, ":countTokens") {
					fmt.Fprint(w, `{"totalTokens":3}`)
					return
				}
				fmt.Fprint(w, `{"candidates":[],"usageMetadata":{"promptTokenCount":3,"totalTokenCount":3}}`)
			}))
			t.Cleanup(srv.Close)
			return client(t, gemini.Config{BaseURL: srv.URL})
		}, "hi", http.StatusServiceUnavailable, "The reply was cut off", "", true},
		{"Gemini unreachable", func(t *testing.T) *gemini.Client {
			srv := httptest.NewServer(http.NotFoundHandler())
			url := srv.URL
			srv.Close() // nothing listens there now
			return client(t, gemini.Config{BaseURL: url})
		}, "hi", http.StatusServiceUnavailable, msgGeminiUnreachable, "", false},
		{"Gemini too slow", func(t *testing.T) *gemini.Client {
			h := geminitest.NewHandler(geminitest.Options{})
			release := make(chan struct{})
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				select { // answers only once the test is over
				case <-r.Context().Done():
				case <-release:
				}
				h.Handler().ServeHTTP(w, r)
			}))
			t.Cleanup(srv.Close)
			t.Cleanup(func() { close(release) }) // runs first
			return client(t, gemini.Config{APIKey: h.APIKey(), BaseURL: srv.URL, Timeout: 100 * time.Millisecond})
		}, "hi", http.StatusServiceUnavailable, msgGeminiUnreachable, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gc := tt.gemini(t)
			e := newEnv(t, "bbolt", func(c *Config, d *Deps) {
				c.GeminiAPIKey, d.Gemini = "set", gc
			})
			ana := e.register("ana")
			r := e.do(req{method: "POST", path: "/api/gemini/process", bearer: ana.access, body: jsonBody(map[string]string{"prompt": tt.prompt})})
			if r.status != tt.wantStatus || errMsg(r) != tt.wantError {
				t.Errorf("got %d %q, want %d %q", r.status, errMsg(r), tt.wantStatus, tt.wantError)
			}
			if got := r.header.Get("Retry-After"); got != tt.wantRetryAfter {
				t.Errorf("Retry-After: got %q, want %q", got, tt.wantRetryAfter)
			}
			if strings.Contains(string(r.body), "API key") || strings.Contains(string(r.body), fake.APIKey()) {
				t.Errorf("the answer tells about the server's key: %s", r.body)
			}
			q := e.do(req{method: "GET", path: "/api/gemini/quota", bearer: ana.access})
			used, _ := q.json["used"].(float64)
			if tt.spends && used <= 0 {
				t.Errorf("quota used after a call Gemini answered: got %v, want what it reported (> 0)", q.json["used"])
			}
			if !tt.spends && used != 0 {
				t.Errorf("quota used after a refused call: got %v, want 0", q.json["used"])
			}
		})
	}
}
