package server

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cara-coach/cara/internal/auth"
)

func registerBody(email, password string) string {
	return jsonBody(map[string]string{"email": email, "password": password, "name": "Zoë", "role": "Designer"})
}

func TestRegisterScenarios(t *testing.T) {
	runScenarios(t, []scenario{
		{
			name: "created with tokens and cookie",
			setup: func(e *env) req {
				return req{method: "POST", path: "/api/auth/register", body: registerBody("zoe@example.com", testPassword)}
			},
			wantStatus: http.StatusCreated, wantKeys: []string{"accessToken", "expiresIn", "user"},
			check: func(t *testing.T, e *env, r resp) {
				if got := r.json["expiresIn"]; got != float64(900) {
					t.Errorf("expiresIn: got %v, want 900", got)
				}
				u := r.json["user"].(map[string]any)
				if u["email"] != "zoe@example.com" || u["name"] != "Zoë" || u["role"] != "Designer" || u["id"] == "" {
					t.Errorf("user: got %v", u)
				}
				if _, ok := r.json["refreshToken"]; ok {
					t.Errorf("refresh token in a browser response body: %s", r.body)
				}
				if r.cookie == nil || r.cookie.Value == "" {
					t.Fatal("no refreshToken cookie")
				}
			},
		},
		{
			name: "same email in another case is taken",
			setup: func(e *env) req {
				return req{method: "POST", path: "/api/auth/register", body: registerBody("ANA@Example.COM", testPassword)}
			},
			wantStatus: http.StatusConflict, wantError: "An account with this email already exists",
		},
		{
			name: "weak password lists every failed rule",
			setup: func(e *env) req {
				return req{method: "POST", path: "/api/auth/register", body: registerBody("zoe@example.com", "short")}
			},
			wantStatus: http.StatusBadRequest,
			check: func(t *testing.T, e *env, r resp) {
				if !strings.Contains(errMsg(r), "Password must be at least 8 characters") {
					t.Errorf("error: got %q, want the length rule", errMsg(r))
				}
				if d, _ := r.json["details"].([]any); len(d) < 2 {
					t.Errorf("details: got %v, want each failed rule", r.json["details"])
				}
			},
		},
		{
			name: "password over 72 bytes refused, not truncated",
			setup: func(e *env) req {
				return req{method: "POST", path: "/api/auth/register", body: registerBody("zoe@example.com", "Aa1"+strings.Repeat("x", 80))}
			},
			wantStatus: http.StatusBadRequest,
		},
		{
			name: "invalid email",
			setup: func(e *env) req {
				return req{method: "POST", path: "/api/auth/register", body: registerBody("not-an-email", testPassword)}
			},
			wantStatus: http.StatusBadRequest,
		},
		{
			name: "malformed JSON",
			setup: func(e *env) req {
				return req{method: "POST", path: "/api/auth/register", body: `{"email": "zoe@example.com",`}
			},
			wantStatus: http.StatusBadRequest, wantError: "Request body is not valid JSON: it ends too early",
		},
		{
			name:       "wrong type",
			setup:      func(e *env) req { return req{method: "POST", path: "/api/auth/register", body: `{"email": 42}`} },
			wantStatus: http.StatusBadRequest, wantError: `Request body is not valid JSON: field "email" must be a string`,
		},
		{
			name:       "empty body",
			setup:      func(e *env) req { return req{method: "POST", path: "/api/auth/register"} },
			wantStatus: http.StatusBadRequest, wantError: "Request body is empty",
		},
		{
			name: "not JSON",
			setup: func(e *env) req {
				return req{method: "POST", path: "/api/auth/register", body: "email=a", header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}}
			},
			wantStatus: http.StatusUnsupportedMediaType, wantError: "Request body must be JSON (Content-Type: application/json)",
		},
		{
			name:       "GET is 405 with Allow",
			setup:      func(e *env) req { return req{method: "GET", path: "/api/auth/register"} },
			wantStatus: http.StatusMethodNotAllowed, wantError: "Method not allowed", wantHeader: map[string]string{"Allow": "POST"},
		},
	})
}

func TestLoginScenarios(t *testing.T) {
	login := func(email, pw string) func(e *env) req {
		return func(e *env) req {
			return req{method: "POST", path: "/api/auth/login", body: jsonBody(map[string]string{"email": email, "password": pw})}
		}
	}
	runScenarios(t, []scenario{
		{name: "right password", setup: login("ana@example.com", testPassword), wantStatus: http.StatusOK,
			wantKeys: []string{"accessToken", "expiresIn", "user"},
			check: func(t *testing.T, e *env, r resp) {
				if r.cookie == nil {
					t.Error("no refresh cookie")
				}
			}},
		{name: "email in other case and spaces", setup: login("  ANA@example.com ", testPassword), wantStatus: http.StatusOK},
		{name: "wrong password", setup: login("ana@example.com", "Wrong-Passw0rd"), wantStatus: http.StatusUnauthorized, wantError: "Invalid credentials"},
		{name: "unknown email", setup: login("nobody@example.com", testPassword), wantStatus: http.StatusUnauthorized, wantError: "Invalid credentials"},
		{name: "password over 72 bytes", setup: login("ana@example.com", testPassword+strings.Repeat("x", 80)), wantStatus: http.StatusUnauthorized, wantError: "Invalid credentials"},
		{name: "missing fields", setup: func(e *env) req { return req{method: "POST", path: "/api/auth/login", body: `{}`} },
			wantStatus: http.StatusUnauthorized, wantError: "Invalid credentials"},
	})
}

func TestRefreshScenarios(t *testing.T) {
	runScenarios(t, []scenario{
		{name: "cookie rotates", setup: func(e *env) req {
			return req{method: "POST", path: "/api/auth/refresh", cookie: e.users["ana"].refresh}
		},
			wantStatus: http.StatusOK, wantKeys: []string{"accessToken", "expiresIn"},
			check: func(t *testing.T, e *env, r resp) {
				if r.cookie == nil || r.cookie.Value == "" || r.cookie.Value == e.users["ana"].refresh {
					t.Errorf("cookie: got %v, want a new refresh token", r.cookie)
				}
				if _, ok := r.json["refreshToken"]; ok {
					t.Error("cookie client got the refresh token in the body")
				}
			}},
		{name: "JSON body for non-browser clients", setup: func(e *env) req {
			return req{method: "POST", path: "/api/auth/refresh", body: jsonBody(map[string]string{"refreshToken": e.users["ana"].refresh})}
		},
			wantStatus: http.StatusOK, wantKeys: []string{"accessToken", "expiresIn", "refreshToken"},
			check: func(t *testing.T, e *env, r resp) {
				if r.json["refreshToken"] == e.users["ana"].refresh {
					t.Error("refresh token was not rotated")
				}
				if r.cookie != nil {
					t.Errorf("body client got a cookie: %v", r.cookie)
				}
			}},
		{name: "no token", setup: func(e *env) req { return req{method: "POST", path: "/api/auth/refresh"} },
			wantStatus: http.StatusUnauthorized, wantError: "Refresh token required"},
		{name: "garbage token", setup: func(e *env) req { return req{method: "POST", path: "/api/auth/refresh", cookie: "garbage"} },
			wantStatus: http.StatusUnauthorized, wantError: "Session expired. Please log in again.",
			check: func(t *testing.T, e *env, r resp) {
				if r.cookie == nil || r.cookie.MaxAge >= 0 {
					t.Errorf("cookie: got %v, want it cleared", r.cookie)
				}
			}},
		{name: "oversized token", setup: func(e *env) req {
			return req{method: "POST", path: "/api/auth/refresh", body: jsonBody(map[string]string{"refreshToken": strings.Repeat("A", 5000)})}
		},
			wantStatus: http.StatusUnauthorized, wantError: "Session expired. Please log in again."},
	})
}

func TestVerifyAndSessionsScenarios(t *testing.T) {
	runScenarios(t, []scenario{
		{name: "verify", setup: func(e *env) req { return req{method: "GET", path: "/api/auth/verify", bearer: e.users["ana"].access} },
			wantStatus: http.StatusOK,
			check: func(t *testing.T, e *env, r resp) {
				u := r.json["user"].(map[string]any)
				if r.json["valid"] != true || u["email"] != "ana@example.com" || u["id"] != e.users["ana"].id {
					t.Errorf("verify: got %s", r.body)
				}
			}},
		{name: "verify without token", setup: func(e *env) req { return req{method: "GET", path: "/api/auth/verify"} },
			wantStatus: http.StatusUnauthorized, wantError: "Access token required"},
		{name: "verify with garbage", setup: func(e *env) req { return req{method: "GET", path: "/api/auth/verify", bearer: "x.y.z"} },
			wantStatus: http.StatusUnauthorized, wantError: "Session expired. Please log in again."},
		{name: "sessions list marks current", setup: func(e *env) req { return req{method: "GET", path: "/api/auth/sessions", bearer: e.users["ana"].access} },
			wantStatus: http.StatusOK,
			check: func(t *testing.T, e *env, r resp) {
				list := r.json["sessions"].([]any)
				if len(list) != 1 || list[0].(map[string]any)["current"] != true {
					t.Errorf("sessions: got %s, want one, current", r.body)
				}
			}},
		{name: "revoking another user's session is 404", setup: func(e *env) req {
			bobs := e.do(req{method: "GET", path: "/api/auth/sessions", bearer: e.users["bob"].access})
			id := bobs.json["sessions"].([]any)[0].(map[string]any)["id"].(string)
			return req{method: "DELETE", path: "/api/auth/sessions/" + id, bearer: e.users["ana"].access}
		},
			wantStatus: http.StatusNotFound, wantError: "That session no longer exists",
			check: func(t *testing.T, e *env, r resp) {
				if v := e.do(req{method: "GET", path: "/api/auth/verify", bearer: e.users["bob"].access}); v.status != http.StatusOK {
					t.Errorf("bob's session after ana's attempt: verify got %d, want 200", v.status)
				}
			}},
		{name: "revoke own other session", setup: func(e *env) req {
			second := e.do(req{method: "POST", path: "/api/auth/login", body: jsonBody(map[string]string{"email": "ana@example.com", "password": testPassword})})
			e.users["ana2"] = &user{access: second.json["accessToken"].(string)}
			list := e.do(req{method: "GET", path: "/api/auth/sessions", bearer: e.users["ana"].access})
			var other string
			for _, s := range list.json["sessions"].([]any) {
				if m := s.(map[string]any); m["current"] != true {
					other = m["id"].(string)
				}
			}
			return req{method: "DELETE", path: "/api/auth/sessions/" + other, bearer: e.users["ana"].access}
		},
			wantStatus: http.StatusOK,
			check: func(t *testing.T, e *env, r resp) {
				if v := e.do(req{method: "GET", path: "/api/auth/verify", bearer: e.users["ana2"].access}); v.status != http.StatusUnauthorized {
					t.Errorf("revoked session's access token: got %d, want 401", v.status)
				}
			}},
		{name: "revoking the current session clears the refresh cookie", setup: func(e *env) req {
			list := e.do(req{method: "GET", path: "/api/auth/sessions", bearer: e.users["ana"].access})
			id := list.json["sessions"].([]any)[0].(map[string]any)["id"].(string)
			return req{method: "DELETE", path: "/api/auth/sessions/" + id, bearer: e.users["ana"].access, cookie: e.users["ana"].refresh}
		},
			wantStatus: http.StatusOK,
			check: func(t *testing.T, e *env, r resp) {
				if r.cookie == nil || r.cookie.Value != "" || r.cookie.MaxAge >= 0 || r.cookie.Path != "/api/auth" {
					t.Errorf("refresh cookie: got %+v, want it cleared (empty, Max-Age<0, Path=/api/auth)", r.cookie)
				}
				if v := e.do(req{method: "POST", path: "/api/auth/refresh", cookie: e.users["ana"].refresh}); v.status != http.StatusUnauthorized {
					t.Errorf("refresh after revoking the own session: got %d, want 401", v.status)
				}
			}},
		{name: "revoking another session keeps the cookie", setup: func(e *env) req {
			e.do(req{method: "POST", path: "/api/auth/login", body: jsonBody(map[string]string{"email": "ana@example.com", "password": testPassword})})
			list := e.do(req{method: "GET", path: "/api/auth/sessions", bearer: e.users["ana"].access})
			var other string
			for _, s := range list.json["sessions"].([]any) {
				if m := s.(map[string]any); m["current"] != true {
					other = m["id"].(string)
				}
			}
			return req{method: "DELETE", path: "/api/auth/sessions/" + other, bearer: e.users["ana"].access, cookie: e.users["ana"].refresh}
		},
			wantStatus: http.StatusOK,
			check: func(t *testing.T, e *env, r resp) {
				if r.cookie != nil {
					t.Errorf("refresh cookie: got %+v, want none set", r.cookie)
				}
			}},
		{name: "unknown session id", setup: func(e *env) req {
			return req{method: "DELETE", path: "/api/auth/sessions/01ZZZZZZZZZZZZZZZZZZZZZZZZ", bearer: e.users["ana"].access}
		},
			wantStatus: http.StatusNotFound},
	})
}

func TestLogoutAndPasswordScenarios(t *testing.T) {
	runScenarios(t, []scenario{
		{name: "logout with cookie ends the session", setup: func(e *env) req {
			return req{method: "POST", path: "/api/auth/logout", cookie: e.users["ana"].refresh}
		},
			wantStatus: http.StatusOK,
			check: func(t *testing.T, e *env, r resp) {
				if r.json["message"] != "Logged out successfully" || r.cookie == nil || r.cookie.MaxAge >= 0 {
					t.Errorf("logout: body %s cookie %v", r.body, r.cookie)
				}
				if v := e.do(req{method: "GET", path: "/api/auth/verify", bearer: e.users["ana"].access}); v.status != http.StatusUnauthorized {
					t.Errorf("access token after logout: got %d, want 401", v.status)
				}
				if v := e.do(req{method: "POST", path: "/api/auth/refresh", cookie: e.users["ana"].refresh}); v.status != http.StatusUnauthorized {
					t.Errorf("refresh after logout: got %d, want 401", v.status)
				}
			}},
		{name: "logout with bearer only", setup: func(e *env) req {
			return req{method: "POST", path: "/api/auth/logout", bearer: e.users["ana"].access}
		},
			wantStatus: http.StatusOK,
			check: func(t *testing.T, e *env, r resp) {
				if v := e.do(req{method: "POST", path: "/api/auth/refresh", cookie: e.users["ana"].refresh}); v.status != http.StatusUnauthorized {
					t.Errorf("refresh after bearer logout: got %d, want 401", v.status)
				}
			}},
		{name: "logout with nothing is fine", setup: func(e *env) req { return req{method: "POST", path: "/api/auth/logout"} },
			wantStatus: http.StatusOK},
		{name: "change password signs out other sessions", setup: func(e *env) req {
			second := e.do(req{method: "POST", path: "/api/auth/login", body: jsonBody(map[string]string{"email": "ana@example.com", "password": testPassword})})
			e.users["ana2"] = &user{access: second.json["accessToken"].(string)}
			return req{method: "POST", path: "/api/auth/change-password", bearer: e.users["ana"].access,
				body: jsonBody(map[string]string{"currentPassword": testPassword, "newPassword": "N3w-Harbour-Light"})}
		},
			wantStatus: http.StatusOK,
			check: func(t *testing.T, e *env, r resp) {
				if v := e.do(req{method: "GET", path: "/api/auth/verify", bearer: e.users["ana2"].access}); v.status != http.StatusUnauthorized {
					t.Errorf("other session after password change: got %d, want 401", v.status)
				}
				if v := e.do(req{method: "GET", path: "/api/auth/verify", bearer: e.users["ana"].access}); v.status != http.StatusOK {
					t.Errorf("own session after password change: got %d, want 200", v.status)
				}
				if v := e.do(req{method: "POST", path: "/api/auth/login", body: jsonBody(map[string]string{"email": "ana@example.com", "password": "N3w-Harbour-Light"})}); v.status != http.StatusOK {
					t.Errorf("login with the new password: got %d", v.status)
				}
			}},
		{name: "change password with wrong current", setup: func(e *env) req {
			return req{method: "POST", path: "/api/auth/change-password", bearer: e.users["ana"].access,
				body: jsonBody(map[string]string{"currentPassword": "Wrong-Passw0rd", "newPassword": "N3w-Harbour-Light"})}
		},
			wantStatus: http.StatusUnauthorized, wantError: "Current password is incorrect"},
		{name: "wrong current passwords count toward the sign-in throttle", setup: func(e *env) req {
			for i := range 5 {
				r := e.do(req{method: "POST", path: "/api/auth/change-password", bearer: e.users["ana"].access,
					body: jsonBody(map[string]string{"currentPassword": "Wrong-Passw0rd", "newPassword": "N3w-Harbour-Light"})})
				if r.status != http.StatusUnauthorized || errMsg(r) != "Current password is incorrect" {
					e.t.Fatalf("wrong attempt %d: got %d %s", i+1, r.status, r.body)
				}
			}
			// The sixth is refused before its password is looked at, right or not.
			return req{method: "POST", path: "/api/auth/change-password", bearer: e.users["ana"].access,
				body: jsonBody(map[string]string{"currentPassword": testPassword, "newPassword": "N3w-Harbour-Light"})}
		},
			wantStatus: http.StatusTooManyRequests, wantError: "Too many attempts. Try again in 1 second.",
			wantHeader: map[string]string{"Retry-After": "1"},
			check: func(t *testing.T, e *env, r resp) {
				login := req{method: "POST", path: "/api/auth/login", body: jsonBody(map[string]string{"email": "ana@example.com", "password": testPassword})}
				if v := e.do(login); v.status != http.StatusTooManyRequests {
					t.Errorf("login on the same e-mail while throttled: got %d, want 429", v.status)
				}
				e.clock.Add(time.Minute)
				if v := e.do(login); v.status != http.StatusOK {
					t.Errorf("login after the wait: got %d %s, want 200", v.status, v.body)
				}
			}},
		{name: "change password needs a token", setup: func(e *env) req {
			return req{method: "POST", path: "/api/auth/change-password", body: `{}`}
		},
			wantStatus: http.StatusUnauthorized, wantError: "Access token required"},
	})
}

// TestCookieFlags: HttpOnly, SameSite=Strict, Path, and Secure everywhere
// except development with an http://localhost frontend.
func TestCookieFlags(t *testing.T) {
	tests := []struct {
		name       string
		env        string
		frontend   []string
		wantSecure bool
	}{
		{"development localhost", EnvDevelopment, []string{"http://localhost:3000"}, false},
		{"development https frontend", EnvDevelopment, []string{"https://cara.example.com"}, true},
		{"development mixed", EnvDevelopment, []string{"http://localhost:3000", "http://10.0.0.5:3000"}, true},
		{"production", EnvProduction, []string{"http://localhost:3000"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, "bbolt", func(c *Config, _ *Deps) { c.Env, c.FrontendURLs = tt.env, tt.frontend })
			r := e.do(req{method: "POST", path: "/api/auth/register", body: registerBody("zoe@example.com", testPassword)})
			raw := r.header.Get("Set-Cookie")
			c := r.cookie
			if c == nil {
				t.Fatal("no cookie")
			}
			if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/api/auth" || c.Secure != tt.wantSecure {
				t.Errorf("cookie %q: HttpOnly %v SameSite %v Path %q Secure %v; want HttpOnly, Strict, /api/auth, Secure %v",
					raw, c.HttpOnly, c.SameSite, c.Path, c.Secure, tt.wantSecure)
			}
			if c.MaxAge < int((7*24*time.Hour-time.Minute)/time.Second) {
				t.Errorf("cookie Max-Age %d, want about 7 days", c.MaxAge)
			}
		})
	}
}

// TestAttacksOverHTTP is issue 3's attack suite through the API.
func TestAttacksOverHTTP(t *testing.T) {
	stores(t, func(t *testing.T, kind string) {
		t.Run("forged tokens", func(t *testing.T) {
			e := newEnv(t, kind, nil)
			ana := e.register("ana")
			parts := strings.Split(ana.access, ".")
			b64 := base64.RawURLEncoding
			forged := map[string]string{
				"alg none":          b64.EncodeToString([]byte(`{"alg":"none","typ":"JWT","kid":"k1"}`)) + "." + parts[1] + ".",
				"tampered claims":   parts[0] + "." + b64.EncodeToString([]byte(`{"sub":"`+ana.id+`x"}`)) + "." + parts[2],
				"bad signature":     parts[0] + "." + parts[1] + "." + strings.Repeat("A", len(parts[2])),
				"unknown kid":       b64.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT","kid":"k9"}`)) + "." + parts[1] + "." + parts[2],
				"refresh as access": ana.refresh,
				"huge":              strings.Repeat("a", 10_000),
			}
			for name, tok := range forged {
				r := e.do(req{method: "GET", path: "/api/auth/verify", bearer: tok})
				if r.status != http.StatusUnauthorized || errMsg(r) != "Session expired. Please log in again." {
					t.Errorf("%s: got %d %q, want 401 Session expired", name, r.status, errMsg(r))
				}
			}
		})
		t.Run("expired access token", func(t *testing.T) {
			e := newEnv(t, kind, nil)
			ana := e.register("ana")
			e.clock.Add(auth.AccessTokenTTL + time.Minute)
			if r := e.do(req{method: "GET", path: "/api/auth/verify", bearer: ana.access}); r.status != http.StatusUnauthorized {
				t.Errorf("expired token: got %d, want 401", r.status)
			}
		})
		t.Run("refresh replay after grace revokes the session", func(t *testing.T) {
			e := newEnv(t, kind, nil)
			ana := e.register("ana")
			first := e.do(req{method: "POST", path: "/api/auth/refresh", cookie: ana.refresh})
			if first.status != http.StatusOK {
				t.Fatalf("refresh: %d", first.status)
			}
			e.clock.Add(auth.RefreshGrace + time.Second)
			replay := e.do(req{method: "POST", path: "/api/auth/refresh", cookie: ana.refresh})
			if replay.status != http.StatusUnauthorized || errMsg(replay) != "Session expired. Please log in again." {
				t.Fatalf("replay: got %d %q, want 401 Session expired", replay.status, errMsg(replay))
			}
			if r := e.do(req{method: "POST", path: "/api/auth/refresh", cookie: first.cookie.Value}); r.status != http.StatusUnauthorized {
				t.Errorf("successor after replay: got %d, want 401 (whole session revoked)", r.status)
			}
			if r := e.do(req{method: "GET", path: "/api/auth/verify", bearer: first.json["accessToken"].(string)}); r.status != http.StatusUnauthorized {
				t.Errorf("access token after replay: got %d, want 401", r.status)
			}
		})
		t.Run("concurrent refreshes within grace share a successor", func(t *testing.T) {
			e := newEnv(t, kind, nil)
			ana := e.register("ana")
			const n = 8
			got := make([]resp, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() { got[i] = e.do(req{method: "POST", path: "/api/auth/refresh", cookie: ana.refresh}) })
			}
			wg.Wait()
			for i, r := range got {
				if r.status != http.StatusOK || r.cookie == nil {
					t.Fatalf("refresh %d: got %d %s", i, r.status, r.body)
				}
				if r.cookie.Value != got[0].cookie.Value {
					t.Errorf("refresh %d got successor %q, refresh 0 got %q; want the same", i, r.cookie.Value, got[0].cookie.Value)
				}
			}
		})
		t.Run("login throttling answers 429 with Retry-After", func(t *testing.T) {
			e := newEnv(t, kind, nil)
			e.register("ana")
			var last resp
			for range auth.FreeAttempts + 1 {
				last = e.do(req{method: "POST", path: "/api/auth/login", body: jsonBody(map[string]string{"email": "ana@example.com", "password": "Wrong-Passw0rd"})})
			}
			if last.status != http.StatusTooManyRequests || last.header.Get("Retry-After") == "" {
				t.Fatalf("after %d failures: got %d Retry-After %q, want 429 with Retry-After", auth.FreeAttempts+1, last.status, last.header.Get("Retry-After"))
			}
			if !strings.HasPrefix(errMsg(last), "Too many attempts. Try again in") {
				t.Errorf("message: got %q", errMsg(last))
			}
			// The same for an address that has no account.
			for range auth.FreeAttempts + 1 {
				last = e.do(req{method: "POST", path: "/api/auth/login", body: jsonBody(map[string]string{"email": "ghost@example.com", "password": "Wrong-Passw0rd"})})
			}
			if last.status != http.StatusTooManyRequests {
				t.Errorf("unknown email after failures: got %d, want 429 (no account enumeration)", last.status)
			}
		})
		t.Run("unknown email and wrong password look the same", func(t *testing.T) {
			e := newEnv(t, kind, nil)
			e.register("ana")
			a := e.do(req{method: "POST", path: "/api/auth/login", body: jsonBody(map[string]string{"email": "ana@example.com", "password": "Wrong-Passw0rd"})})
			b := e.do(req{method: "POST", path: "/api/auth/login", body: jsonBody(map[string]string{"email": "ghost@example.com", "password": "Wrong-Passw0rd"})})
			if a.status != b.status || string(a.body) != string(b.body) {
				t.Errorf("wrong password %d %s vs unknown email %d %s: want identical", a.status, a.body, b.status, b.body)
			}
		})
		t.Run("unicode email variants are one account", func(t *testing.T) {
			e := newEnv(t, kind, nil)
			e.register("ana")
			r := e.do(req{method: "POST", path: "/api/auth/register", body: registerBody("ＡＮＡ@example.com", testPassword)})
			if r.status != http.StatusConflict {
				t.Errorf("full-width variant: got %d, want 409", r.status)
			}
			r = e.do(req{method: "POST", path: "/api/auth/register", body: registerBody("an\u200ba@example.com", testPassword)})
			if r.status != http.StatusBadRequest {
				t.Errorf("zero-width character: got %d, want 400", r.status)
			}
		})
	})
}

// slowStore makes the e-mail lookup (before a sign-in's bcrypt comparison)
// and the refresh rotation take d of the test clock's time, as a busy
// machine or a distant database would.
type slowStore struct {
	testStore
	clock *clock
	d     time.Duration
}

func (s *slowStore) UserByEmail(ctx context.Context, email string) (auth.User, error) {
	s.clock.Add(s.d)
	return s.testStore.UserByEmail(ctx, email)
}

func (s *slowStore) RotateRefresh(ctx context.Context, r auth.Rotation) (auth.Rotated, error) {
	s.clock.Add(s.d)
	return s.testStore.RotateRefresh(ctx, r)
}

// TestExpiresIn pins the seed's contract: register, login and refresh
// answer expiresIn 900 (the access token's lifetime) however long the
// password check or the database took and wherever in its second the
// clock was, and the token's own exp − iat says the same; only the
// session's 30-day end makes it shorter.
func TestExpiresIn(t *testing.T) {
	tests := []struct {
		name string
		slow time.Duration
		// setup runs on a fast store; it returns the request to measure.
		setup func(e *env) req
		want  int
		// signIn: the token is stamped with the time after the password
		// check (a refresh keeps the time its rotation was asked at).
		signIn bool
	}{
		{"login", 0, func(e *env) req {
			return req{method: "POST", path: "/api/auth/login", body: jsonBody(map[string]string{"email": "ana@example.com", "password": testPassword})}
		}, 900, true},
		{"login, slow password check", 1700 * time.Millisecond, func(e *env) req {
			return req{method: "POST", path: "/api/auth/login", body: jsonBody(map[string]string{"email": "ana@example.com", "password": testPassword})}
		}, 900, true},
		{"register, slow lookup", 1700 * time.Millisecond, func(e *env) req {
			return req{method: "POST", path: "/api/auth/register", body: registerBody("zoe@example.com", testPassword)}
		}, 900, true},
		{"refresh by cookie, slow database", 1700 * time.Millisecond, func(e *env) req {
			return req{method: "POST", path: "/api/auth/refresh", cookie: e.users["ana"].refresh}
		}, 900, false},
		{"refresh in the body, slow database", 1700 * time.Millisecond, func(e *env) req {
			return req{method: "POST", path: "/api/auth/refresh", body: jsonBody(map[string]string{"refreshToken": e.users["ana"].refresh})}
		}, 900, false},
		{"refresh 10 minutes before the session's 30-day end", 0, func(e *env) req {
			tok := e.users["ana"].refresh
			for range 4 { // 24 days, refreshing within each token's 7
				e.clock.Add(6 * 24 * time.Hour)
				r := e.do(req{method: "POST", path: "/api/auth/refresh", cookie: tok})
				if r.status != http.StatusOK {
					e.t.Fatalf("refresh: %d %s", r.status, r.body)
				}
				tok = r.cookie.Value
			}
			e.clock.Add(6*24*time.Hour - 10*time.Minute)
			return req{method: "POST", path: "/api/auth/refresh", cookie: tok}
		}, 600, false},
	}
	stores(t, func(t *testing.T, kind string) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				st := &slowStore{testStore: openStore(t, kind)}
				e := newEnvOn(t, kind, st, nil)
				st.clock = e.clock
				// Mid-second: iat and exp drop the fraction, so a countdown
				// from the time of the answer would come out short.
				e.clock.t = e.clock.t.Truncate(time.Second).Add(600 * time.Millisecond)
				e.register("ana")
				rq := tt.setup(e)
				st.d = tt.slow
				r := e.do(rq)
				if r.status != http.StatusOK && r.status != http.StatusCreated {
					t.Fatalf("status %d: %s", r.status, r.body)
				}
				if got := r.json["expiresIn"]; got != float64(tt.want) {
					t.Errorf("expiresIn: got %v, want %d", got, tt.want)
				}
				claims := jwtClaims(t, r.json["accessToken"].(string))
				iat, exp := claims["iat"].(float64), claims["exp"].(float64)
				if exp-iat != float64(tt.want) {
					t.Errorf("token exp − iat: got %v, want %d", exp-iat, tt.want)
				}
				if now := e.clock.Now(); tt.signIn && iat != float64(now.Unix()) {
					t.Errorf("token iat %v, want the time it was issued (%d)", iat, now.Unix())
				}
			})
		}
	})
}

// jwtClaims decodes a JWT's payload without checking it.
func jwtClaims(t *testing.T, token string) map[string]any {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %q", token)
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var claims map[string]any
	if err := json.Unmarshal(b, &claims); err != nil {
		t.Fatal(err)
	}
	return claims
}
