package server

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cara-coach/cara/internal/auth"
	"github.com/cara-coach/cara/internal/bolt"
	"github.com/cara-coach/cara/internal/postgres/pgtest"
	"github.com/cara-coach/cara/internal/practice"
)

// clock is a test clock that only moves when told.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type testStore interface {
	auth.Store
	practice.Store
}

// env is one server over one store.
type env struct {
	t     testing.TB
	kind  string
	cfg   Config
	srv   *Server
	store testStore
	clock *clock
	logs  *bytes.Buffer
	logMu *sync.Mutex
	users map[string]*user
}

// user is a registered test user with their current tokens.
type user struct {
	email, password string
	id, access      string
	refresh         string
}

const testPassword = "Tr1cky-Parrot-42"

// testConfig is a development config with fixed secrets and generous limits.
func testConfig() Config {
	return Config{
		Env: EnvDevelopment, Port: 0, JWTSecret: strings.Repeat("a", 40), RefreshKey: strings.Repeat("b", 40),
		FrontendURLs: []string{"http://localhost:3000"}, GeminiDailyTokens: DefaultGeminiDailyTokens, GeminiMaxOutputTokens: DefaultGeminiMaxOutput,
		AuthRatePerMin: 10_000, APIRatePerMin: 10_000, MaxBodyBytes: DefaultMaxBodyBytes,
		ShutdownTimeout: time.Second,
	}
}

func openStore(t testing.TB, kind string) testStore {
	t.Helper()
	switch kind {
	case "bbolt":
		db, err := bolt.Open(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		p, err := db.Practice()
		if err != nil {
			t.Fatal(err)
		}
		return bolt.ServerStore{DB: db, PracticeStore: p}
	case "postgres":
		return pgtest.Open(t)
	}
	t.Fatalf("unknown store %q", kind)
	return nil
}

// syncBuffer lets the server log from many goroutines.
type syncBuffer struct {
	mu  *sync.Mutex
	buf *bytes.Buffer
}

func (s syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func newEnv(t testing.TB, kind string, configure func(*Config, *Deps)) *env {
	t.Helper()
	return newEnvOn(t, kind, openStore(t, kind), configure)
}

// newEnvOn is newEnv over a store the test opened (and perhaps wrapped).
func newEnvOn(t testing.TB, kind string, st testStore, configure func(*Config, *Deps)) *env {
	t.Helper()
	c := &clock{t: time.Now().UTC().Truncate(time.Millisecond)}
	cfg := testConfig()
	svc, err := auth.New(st, auth.WithBcryptCost(4), auth.WithClock(c.Now),
		auth.WithSigningKeys("k1", map[string][]byte{"k1": []byte(cfg.JWTSecret)}))
	if err != nil {
		t.Fatal(err)
	}
	logs, mu := &bytes.Buffer{}, &sync.Mutex{}
	deps := Deps{
		Auth: svc, Practice: st, Now: c.Now,
		Logger: slog.New(slog.NewJSONHandler(syncBuffer{mu, logs}, nil)),
	}
	if configure != nil {
		configure(&cfg, &deps)
	}
	e := &env{t: t, kind: kind, cfg: cfg, store: st, clock: c, logs: logs, logMu: mu, users: map[string]*user{}}
	e.srv = New(cfg, deps)
	return e
}

// stores runs fn once per store: bbolt always, PostgreSQL when
// DATABASE_URL is set (scripts/test-server.sh).
func stores(t *testing.T, fn func(t *testing.T, kind string)) {
	for _, kind := range []string{"bbolt", "postgres"} {
		t.Run(kind, func(t *testing.T) { fn(t, kind) })
	}
}

// req describes one request.
type req struct {
	method, path string
	body         string
	header       map[string]string
	bearer       string
	cookie       string // refresh cookie value
}

type resp struct {
	status int
	header http.Header
	body   []byte
	json   map[string]any
	cookie *http.Cookie // the refreshToken Set-Cookie, if any
}

func (e *env) do(r req) resp {
	e.t.Helper()
	var body io.Reader
	if r.body != "" {
		body = strings.NewReader(r.body)
	}
	hr := httptest.NewRequest(r.method, r.path, body)
	hr.RemoteAddr = "192.0.2.10:5555"
	if r.body != "" {
		hr.Header.Set("Content-Type", "application/json")
	}
	for k, v := range r.header {
		hr.Header.Set(k, v)
	}
	if r.bearer != "" {
		hr.Header.Set("Authorization", "Bearer "+r.bearer)
	}
	if r.cookie != "" {
		hr.AddCookie(&http.Cookie{Name: RefreshCookie, Value: r.cookie})
	}
	rec := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(rec, hr)
	out := resp{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
	if len(out.body) > 0 && strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(out.body, &out.json); err != nil {
			e.t.Fatalf("%s %s: response is not a JSON object: %v: %s", r.method, r.path, err, out.body)
		}
	}
	for _, c := range rec.Result().Cookies() {
		if c.Name == RefreshCookie {
			out.cookie = c
		}
	}
	return out
}

func jsonBody(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// register makes a user and keeps their tokens under name.
func (e *env) register(name string) *user {
	e.t.Helper()
	u := &user{email: name + "@example.com", password: testPassword}
	r := e.do(req{method: "POST", path: "/api/auth/register", body: jsonBody(map[string]string{
		"email": u.email, "password": u.password, "name": name, "role": "Engineer",
	})})
	if r.status != http.StatusCreated {
		e.t.Fatalf("register %s: got %d %s", name, r.status, r.body)
	}
	u.access = r.json["accessToken"].(string)
	u.id = r.json["user"].(map[string]any)["id"].(string)
	u.refresh = r.cookie.Value
	e.users[name] = u
	return u
}

func (e *env) logText() string {
	e.logMu.Lock()
	defer e.logMu.Unlock()
	return e.logs.String()
}

func errMsg(r resp) string {
	s, _ := r.json["error"].(string)
	return s
}

// scenario is one row of an endpoint's table.
type scenario struct {
	name       string
	setup      func(e *env) req // builds the request (users ana and bob exist)
	wantStatus int
	wantError  string            // exact "error" message when set
	wantKeys   []string          // top-level JSON keys that must be present
	wantHeader map[string]string // exact header values
	check      func(t *testing.T, e *env, r resp)
}

// runScenarios runs each row on a fresh server with users ana and bob, on
// every store.
func runScenarios(t *testing.T, rows []scenario) {
	t.Helper()
	stores(t, func(t *testing.T, kind string) {
		for _, sc := range rows {
			t.Run(sc.name, func(t *testing.T) {
				e := newEnv(t, kind, nil)
				e.register("ana")
				e.register("bob")
				r := e.do(sc.setup(e))
				if r.status != sc.wantStatus {
					t.Fatalf("status: got %d, want %d; body %s", r.status, sc.wantStatus, r.body)
				}
				if sc.wantError != "" && errMsg(r) != sc.wantError {
					t.Errorf("error: got %q, want %q", errMsg(r), sc.wantError)
				}
				for _, k := range sc.wantKeys {
					if _, ok := r.json[k]; !ok {
						t.Errorf("body has no %q: %s", k, r.body)
					}
				}
				for k, v := range sc.wantHeader {
					if got := r.header.Get(k); got != v {
						t.Errorf("header %s: got %q, want %q", k, got, v)
					}
				}
				if sc.check != nil {
					sc.check(t, e, r)
				}
			})
		}
	})
}
