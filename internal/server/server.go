// Package server is cara-server's HTTP API (DESIGN §7): the seed's auth
// endpoints over internal/auth, the practice data and analytics API, an
// optional Gemini proxy with a per-user daily token quota, health checks,
// and the hardening middleware around them (CORS allowlist, security
// headers, rate limits, body limits, one log line per request, Sentry).
//
// It knows no database: it is handed an *auth.Service and a practice.Store.
package server

import (
	"context"
	"log/slog"
	"net/http"
	"path"
	"strings"
	"sync/atomic"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/cara-coach/cara/internal/auth"
	"github.com/cara-coach/cara/internal/gemini"
	"github.com/cara-coach/cara/internal/practice"
)

// Generator is the Gemini calls the proxy makes (*gemini.Client): it
// counts a prompt's tokens to reserve quota, then generates.
type Generator interface {
	CountTokens(ctx context.Context, req gemini.Request) (int, error)
	Generate(ctx context.Context, req gemini.Request) (gemini.Reply, error)
}

// Deps are what the server runs on.
type Deps struct {
	Auth     *auth.Service
	Practice practice.Store
	// Gemini is nil when GEMINI_API_KEY is unset: the proxy answers 503.
	Gemini Generator
	// Ready reports whether the store answers (for /readyz).
	Ready  func(ctx context.Context) error
	Logger *slog.Logger
	// Sentry receives 500s and panics when SENTRY_DSN is set; nil otherwise.
	Sentry *sentry.Hub
	Now    func() time.Time // time.Now if nil
}

// Server is the HTTP API. Build it with New and serve Handler().
type Server struct {
	cfg         Config
	auth        *auth.Service
	store       practice.Store
	gemini      Generator
	ready       func(ctx context.Context) error
	log         *slog.Logger
	hub         *sentry.Hub
	now         func() time.Time
	authLimiter *limiter
	apiLimiter  *limiter
	mux         *http.ServeMux
	handler     http.Handler
	inFlight    atomic.Int64 // requests in the handler now (logRequests counts)
}

// New wires the routes and middleware.
func New(cfg Config, d Deps) *Server {
	s := &Server{
		cfg: cfg, auth: d.Auth, store: d.Practice, gemini: d.Gemini, ready: d.Ready,
		log: d.Logger, hub: d.Sentry, now: d.Now,
		authLimiter: newLimiter(cfg.AuthRatePerMin, time.Minute),
		apiLimiter:  newLimiter(cfg.APIRatePerMin, time.Minute),
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.cfg.GeminiMaxOutputTokens <= 0 {
		s.cfg.GeminiMaxOutputTokens = DefaultGeminiMaxOutput
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.ready == nil {
		s.ready = func(context.Context) error { return nil }
	}
	s.mux = http.NewServeMux()
	s.routes(s.mux)
	s.handler = s.logRequests(s.securityHeaders(s.cors(s.limitBody(jsonMuxErrors(s.mux)))))
	return s
}

// Handler is the whole API with its middleware.
func (s *Server) Handler() http.Handler { return s.handler }

// InFlight is how many requests are being handled right now (for the log
// line when a shutdown runs out of time and cuts them).
func (s *Server) InFlight() int { return int(s.inFlight.Load()) }

func (s *Server) routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)

	mux.HandleFunc("POST /api/auth/register", s.limitByIP(s.register))
	mux.HandleFunc("POST /api/auth/login", s.limitByIP(s.login))
	mux.HandleFunc("POST /api/auth/refresh", s.limitByIP(s.refresh))
	mux.HandleFunc("POST /api/auth/logout", s.limitByIP(s.logout))
	mux.HandleFunc("GET /api/auth/verify", s.requireUser(s.verify))
	mux.HandleFunc("GET /api/auth/sessions", s.requireUser(s.listSessions))
	mux.HandleFunc("DELETE /api/auth/sessions/{id}", s.requireUser(s.revokeSession))
	mux.HandleFunc("POST /api/auth/change-password", s.requireUser(s.changePassword))

	mux.HandleFunc("POST /api/practice-sessions", s.requireUser(s.createPractice))
	mux.HandleFunc("GET /api/practice-sessions", s.requireUser(s.listPractice))
	mux.HandleFunc("GET /api/practice-sessions/{id}", s.requireUser(s.getPractice))
	mux.HandleFunc("PATCH /api/practice-sessions/{id}", s.requireUser(s.updatePractice))
	mux.HandleFunc("PUT /api/practice-sessions/{id}", s.requireUser(s.updatePractice))

	mux.HandleFunc("POST /api/analytics/events", s.requireUser(s.addEvent))
	mux.HandleFunc("GET /api/analytics/stats", s.requireUser(s.stats))
	mux.HandleFunc("GET /api/analytics/adoption", s.requireUser(s.adoption))

	mux.HandleFunc("POST /api/gemini/process", s.requireUser(s.geminiProcess))
	mux.HandleFunc("GET /api/gemini/quota", s.requireUser(s.geminiQuota))

}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// msgReadyzDown is /readyz's error while the database doesn't answer.
const msgReadyzDown = "The database is not answering"

// readyz says whether the database answers (within 2 s): 200
// {"status":"ready"}, or 503 {"status":"unavailable","error":…} with
// Retry-After, like the API's own 503s for the same outage.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.ready(ctx); err != nil {
		noteError(r, err)
		w.Header().Set("Retry-After", storeDownRetryAfter)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "error": msgReadyzDown})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

// report sends err to Sentry (when configured) with only the method, the
// path and the user ID: no headers, cookies, query string or body.
func (s *Server) report(r *http.Request, err error) {
	if s.hub == nil || err == nil {
		return
	}
	hub := s.hub.Clone()
	hub.WithScope(func(scope *sentry.Scope) {
		scope.SetTag("method", r.Method)
		scope.SetTag("path", s.route(r))
		if uid := infoOf(r).userID; uid != "" {
			scope.SetUser(sentry.User{ID: uid})
		}
		hub.CaptureException(err)
	})
}

// unmatchedRoute stands for the path of a request no route matched.
const unmatchedRoute = "(unmatched)"

// route names the request for logs and Sentry by its route pattern
// ("/api/practice-sessions/{id}"), never by its path, which carries
// whatever a client put there (an ID, an e-mail, a token). Requests
// answered before the mux (CORS, body limit) are looked up in it.
func (s *Server) route(r *http.Request) string {
	p := r.Pattern
	if p == "" && isCleanPath(r.URL.Path) {
		// For a clean path Handler returns a registered pattern or "".
		_, p = s.mux.Handler(r)
	}
	if p == "" {
		return unmatchedRoute
	}
	if _, path, hasMethod := strings.Cut(p, " "); hasMethod {
		return path
	}
	return p
}

// jsonMuxErrors answers ServeMux's own 404 (unknown path) and 405 (known
// path, other method; Allow is kept) as JSON like every other error. A
// path that isn't in clean form is 404 too: ServeMux would redirect it to
// the cleaned path with an HTML body, and no API client sends one.
func jsonMuxErrors(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !isCleanPath(r.URL.Path) {
			writeMessage(w, http.StatusNotFound, msgNotFound)
			return
		}
		if _, pattern := mux.Handler(r); pattern != "" {
			mux.ServeHTTP(w, r)
			return
		}
		mux.ServeHTTP(&muxErrorWriter{ResponseWriter: w}, r)
	})
}

type muxErrorWriter struct {
	http.ResponseWriter
	replaced bool
}

func (m *muxErrorWriter) WriteHeader(code int) {
	msg := msgNotFound
	if code == http.StatusMethodNotAllowed {
		msg = msgMethod
	}
	m.replaced = true
	writeMessage(m.ResponseWriter, code, msg)
}

func (m *muxErrorWriter) Write(b []byte) (int, error) {
	if m.replaced {
		return len(b), nil // the mux's plain-text body
	}
	return m.ResponseWriter.Write(b)
}

// isCleanPath reports whether p is already what ServeMux's cleaning makes
// of it: rooted, no "//", no "." or ".." segments (a trailing slash kept).
func isCleanPath(p string) bool {
	if p == "" || p[0] != '/' {
		return false
	}
	c := path.Clean(p)
	if strings.HasSuffix(p, "/") && c != "/" {
		c += "/"
	}
	return c == p
}
