package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/httprate"

	"github.com/cara-coach/cara/internal/auth"
	"github.com/cara-coach/cara/internal/cara"
)

// reqInfo is what the request log line needs from deeper handlers: the user
// (once authenticated) and an internal error (never shown to the client).
type reqInfo struct {
	id     string
	userID string
	err    error
	// clientClosed: the client hung up before the answer (logged as 499).
	clientClosed bool
}

type ctxKey int

const (
	infoKey ctxKey = iota
	identityKey
)

func infoOf(r *http.Request) *reqInfo {
	if ri, ok := r.Context().Value(infoKey).(*reqInfo); ok {
		return ri
	}
	return &reqInfo{}
}

func noteError(r *http.Request, err error) { infoOf(r).err = err }

// identity returns the authenticated caller (set by requireUser).
func identity(r *http.Request) auth.Identity {
	id, _ := r.Context().Value(identityKey).(auth.Identity)
	return id
}

// statusWriter records the status and size written, for the log line.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func newRequestID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// logRequests writes one line per request: method, route pattern (not the
// path: see route), status, duration, bytes, user and request ID; never
// headers, bodies, tokens, passwords or e-mails. It also recovers panics
// into a 500.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		s.inFlight.Add(1)
		defer s.inFlight.Add(-1)
		ri := &reqInfo{id: newRequestID()}
		sw := &statusWriter{ResponseWriter: w}
		sw.Header().Set("X-Request-ID", ri.id)
		r = r.WithContext(context.WithValue(r.Context(), infoKey, ri))
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				ri.err = fmt.Errorf("panic: %v", p)
				s.log.Error("panic", "request_id", ri.id, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				s.report(r, ri.err)
				if sw.status == 0 {
					writeMessage(sw, http.StatusInternalServerError, msgInternal)
				}
			}
			attrs := []any{
				"method", r.Method, "path", s.route(r), "status", sw.status,
				"ms", float64(time.Since(start).Microseconds()) / 1000, "bytes", sw.bytes,
				"request_id", ri.id,
			}
			if ri.userID != "" {
				attrs = append(attrs, "user_id", ri.userID)
			}
			if ri.clientClosed {
				attrs = append(attrs, "reason", "client closed request")
			}
			level := slog.LevelInfo
			if ri.err != nil {
				attrs = append(attrs, "error", ri.err.Error())
				level = slog.LevelError
			}
			s.log.Log(r.Context(), level, "request", attrs...)
		}()
		next.ServeHTTP(sw, r)
	})
}

// securityHeaders sets the headers every answer carries (DESIGN §7). HSTS
// only in production: in development the server is plain http on localhost.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		if s.cfg.Production() {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
		h.Set("Cross-Origin-Resource-Policy", "same-site")
		h.Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

// exposedHeaders are the response headers, beyond the CORS-safelisted
// ones, that a page on an allowed origin may read: when to retry (429,
// 503), the rate-limit state and the request ID to quote in a report.
const exposedHeaders = "Retry-After, X-Request-ID, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset"

// cors allows the FRONTEND_URL origins, with credentials, and nobody else:
// another origin is never reflected and its requests are refused (403)
// before they reach a handler, so a cross-site page can neither read
// answers nor spend the refresh cookie.
func (s *Server) cors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		h := w.Header()
		h.Add("Vary", "Origin")
		if origin == "" {
			next.ServeHTTP(w, r)
			return
		}
		if !slices.Contains(s.cfg.FrontendURLs, origin) {
			writeMessage(w, http.StatusForbidden, msgOriginBlocked)
			return
		}
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Allow-Credentials", "true")
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			h.Add("Vary", "Access-Control-Request-Method")
			h.Add("Vary", "Access-Control-Request-Headers")
			h.Set("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS")
			h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type")
			h.Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		h.Set("Access-Control-Expose-Headers", exposedHeaders)
		next.ServeHTTP(w, r)
	})
}

// limitBody caps every request body at MaxBodyBytes.
func (s *Server) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > s.cfg.MaxBodyBytes {
			writeMessage(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("Request body is too large (limit %s)", humanBytes(s.cfg.MaxBodyBytes)))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes)
		next.ServeHTTP(w, r)
	})
}

// clientIP is the caller's address: the connection's peer, or, behind
// TrustedProxyHops proxies of your own, the X-Forwarded-For entry those
// proxies saw (counted from the right, so a client cannot forge it).
func (s *Server) clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if hops := s.cfg.TrustedProxyHops; hops > 0 {
		var chain []string
		for _, v := range r.Header.Values("X-Forwarded-For") {
			for _, p := range strings.Split(v, ",") {
				if p = strings.TrimSpace(p); p != "" {
					chain = append(chain, p)
				}
			}
		}
		if len(chain) >= hops {
			if ip := net.ParseIP(chain[len(chain)-hops]); ip != nil {
				host = ip.String()
			}
		}
	}
	return httprate.CanonicalizeIP(host)
}

// limitByIP applies the auth rate limit per client IP.
func (s *Server) limitByIP(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.authLimiter.allow(w, r, s.clientIP(r)) {
			return
		}
		next(w, r)
	}
}

// refuseUnauthenticated answers an API request without a usable access
// token: 401 with err, or 429 once the client's IP has had AuthRatePerMin
// of them in a minute (counted apart from its sign-ins), so a flood of
// forged or stale tokens is limited like sign-in attempts are.
func (s *Server) refuseUnauthenticated(w http.ResponseWriter, r *http.Request, err error) {
	if !s.authLimiter.allow(w, r, "unauthenticated:"+s.clientIP(r)) {
		return
	}
	s.writeError(w, r, err)
}

// bearer returns the token of "Authorization: Bearer <token>".
func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

// errAuthRequired answers an API request without an access token.
var errAuthRequired = &cara.Error{Code: cara.EUNAUTHORIZED, Message: msgAuthRequired}

// requireUser checks the access token, then applies the per-user rate
// limit. A missing token is 401 "Access token required"; an invalid,
// expired or revoked one is 401 "Session expired. Please log in again."
// Both count against the client IP's limit (refuseUnauthenticated).
func (s *Server) requireUser(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tok := bearer(r)
		if tok == "" {
			s.refuseUnauthenticated(w, r, errAuthRequired)
			return
		}
		id, err := s.auth.Verify(r.Context(), tok)
		if cara.ErrorCode(err) == cara.EUNAUTHORIZED {
			s.refuseUnauthenticated(w, r, err)
			return
		}
		if err != nil {
			s.writeError(w, r, err) // the store failing, not the token
			return
		}
		infoOf(r).userID = id.UserID
		if !s.apiLimiter.allow(w, r, "user:"+id.UserID) {
			return
		}
		next(w, r.WithContext(context.WithValue(r.Context(), identityKey, id)))
	}
}

// retryAfterSeconds formats a wait for the Retry-After header (≥ 1 s).
func retryAfterSeconds(d time.Duration) string {
	secs := int64((d + time.Second - 1) / time.Second)
	return strconv.FormatInt(max(secs, 1), 10)
}
