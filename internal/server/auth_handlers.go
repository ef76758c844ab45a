package server

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/cara-coach/cara/internal/auth"
)

// RefreshCookie is the refresh token cookie's name (as in the seed). It is
// scoped to /api/auth, the only place that reads it.
const (
	RefreshCookie     = "refreshToken"
	refreshCookiePath = "/api/auth"
	maxDeviceLabel    = 120
)

const (
	msgRefreshRequired = "Refresh token required"
	msgLoggedOut       = "Logged out successfully"
	msgSessionRevoked  = "Session revoked"
	msgPasswordChanged = "Password changed. Your other sessions were signed out."
)

// userJSON is the seed's user object.
type userJSON struct {
	ID    string `json:"id"`
	Email string `json:"email"`
	Name  string `json:"name"`
	Role  string `json:"role"`
}

func userOf(a auth.Account) userJSON {
	return userJSON{ID: a.ID, Email: a.Email, Name: a.Name, Role: a.Role}
}

// tokenResponse is what register, login and refresh answer. RefreshToken
// is filled only for a client that sent its refresh token in the JSON body
// (a non-browser client, which has no cookie jar to keep it in).
type tokenResponse struct {
	AccessToken  string    `json:"accessToken"`
	ExpiresIn    int       `json:"expiresIn"`
	RefreshToken string    `json:"refreshToken,omitempty"`
	User         *userJSON `json:"user,omitempty"`
}

// expiresIn is the access token's lifetime in whole seconds, exp − iat as
// the token states them: 900, fewer only when the session's 30-day end
// comes first. Not counted down from the server's clock at answer time,
// which is the time signing took plus the sub-second part iat and exp
// drop, and so would sometimes say 899 for a fresh token.
func expiresIn(t auth.Tokens) int {
	secs := int(t.AccessExpiresAt.Sub(t.AccessIssuedAt) / time.Second)
	return min(max(secs, 0), int(auth.AccessTokenTTL/time.Second))
}

func (s *Server) setRefreshCookie(w http.ResponseWriter, t auth.Tokens) {
	http.SetCookie(w, &http.Cookie{
		Name: RefreshCookie, Value: t.RefreshToken, Path: refreshCookiePath,
		MaxAge:   max(int(t.RefreshExpiresAt.Sub(s.now())/time.Second), 1),
		HttpOnly: true, Secure: s.cfg.CookieSecure(), SameSite: http.SameSiteStrictMode,
	})
}

func (s *Server) clearRefreshCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{
		Name: RefreshCookie, Value: "", Path: refreshCookiePath, MaxAge: -1,
		HttpOnly: true, Secure: s.cfg.CookieSecure(), SameSite: http.SameSiteStrictMode,
	})
}

// device labels a new session for the sessions list.
func device(r *http.Request) string {
	ua := strings.TrimSpace(r.UserAgent())
	if ua == "" {
		return "Unknown device"
	}
	if len(ua) > maxDeviceLabel {
		ua = ua[:maxDeviceLabel]
	}
	return ua
}

type registerRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
	Name     string `json:"name"`
	Role     string `json:"role"`
}

func (s *Server) register(w http.ResponseWriter, r *http.Request) {
	var req registerRequest
	if !decodeJSON(w, r, &req, false) {
		return
	}
	res, err := s.auth.Register(r.Context(), auth.Registration{
		Email: req.Email, Name: req.Name, Role: req.Role, Password: req.Password, Device: device(r),
	})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.signedIn(w, r, http.StatusCreated, res)
}

type loginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	var req loginRequest
	if !decodeJSON(w, r, &req, false) {
		return
	}
	res, err := s.auth.Login(r.Context(), req.Email, req.Password, device(r))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.signedIn(w, r, http.StatusOK, res)
}

// signedIn answers a register or login: the refresh cookie, then
// {accessToken, expiresIn, user} with status.
func (s *Server) signedIn(w http.ResponseWriter, r *http.Request, status int, res auth.Auth) {
	infoOf(r).userID = res.Account.ID
	s.setRefreshCookie(w, res.Tokens)
	u := userOf(res.Account)
	writeJSON(w, status, tokenResponse{AccessToken: res.Tokens.AccessToken, ExpiresIn: expiresIn(res.Tokens), User: &u})
}

type refreshRequest struct {
	RefreshToken string `json:"refreshToken"`
}

// refreshToken reads the token from the JSON body ({refreshToken}) or,
// failing that, the cookie; fromBody says which.
func refreshTokenOf(w http.ResponseWriter, r *http.Request) (token string, fromBody, ok bool) {
	var req refreshRequest
	if !decodeJSON(w, r, &req, true) {
		return "", false, false
	}
	if req.RefreshToken != "" {
		return req.RefreshToken, true, true
	}
	if c, err := r.Cookie(RefreshCookie); err == nil && c.Value != "" {
		return c.Value, false, true
	}
	return "", false, true
}

func (s *Server) refresh(w http.ResponseWriter, r *http.Request) {
	token, fromBody, ok := refreshTokenOf(w, r)
	if !ok {
		return
	}
	if token == "" {
		writeMessage(w, http.StatusUnauthorized, msgRefreshRequired)
		return
	}
	t, err := s.auth.Refresh(r.Context(), token)
	if err != nil {
		if !fromBody {
			s.clearRefreshCookie(w)
		}
		s.writeError(w, r, err)
		return
	}
	infoOf(r).userID = t.UserID
	resp := tokenResponse{AccessToken: t.AccessToken, ExpiresIn: expiresIn(t)}
	if fromBody {
		resp.RefreshToken = t.RefreshToken
	} else {
		s.setRefreshCookie(w, t)
	}
	writeJSON(w, http.StatusOK, resp)
}

// logout ends the session of the refresh token (cookie or body) and, if a
// valid access token came too, that token's session. It always clears the
// cookie and answers 200: there is nothing left to sign out of.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	token, _, ok := refreshTokenOf(w, r)
	if !ok {
		return
	}
	if token != "" {
		if err := s.auth.Logout(r.Context(), token); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	if tok := bearer(r); tok != "" {
		if id, err := s.auth.Verify(r.Context(), tok); err == nil {
			infoOf(r).userID = id.UserID
			if err := s.auth.RevokeSession(r.Context(), id.UserID, id.SessionID); err != nil && !errors.Is(err, auth.ErrSessionNotFound) {
				s.writeError(w, r, err)
				return
			}
		}
	}
	s.clearRefreshCookie(w)
	writeJSON(w, http.StatusOK, map[string]string{"message": msgLoggedOut})
}

func (s *Server) verify(w http.ResponseWriter, r *http.Request) {
	id := identity(r)
	acc, err := s.auth.Account(r.Context(), id.UserID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"valid": true, "user": userOf(acc)})
}

func (s *Server) listSessions(w http.ResponseWriter, r *http.Request) {
	id := identity(r)
	list, err := s.auth.ListSessions(r.Context(), id.UserID, id.SessionID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"sessions": list})
}

func (s *Server) revokeSession(w http.ResponseWriter, r *http.Request) {
	id := identity(r)
	sid, ok := pathID(r)
	if !ok {
		s.writeError(w, r, auth.ErrSessionNotFound)
		return
	}
	if err := s.auth.RevokeSession(r.Context(), id.UserID, sid); err != nil {
		s.writeError(w, r, err)
		return
	}
	if sid == id.SessionID {
		// Signing this browser out: its refresh cookie is dead now too.
		s.clearRefreshCookie(w)
	}
	writeJSON(w, http.StatusOK, map[string]string{"message": msgSessionRevoked})
}

type changePasswordRequest struct {
	CurrentPassword string `json:"currentPassword"`
	NewPassword     string `json:"newPassword"`
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) {
	var req changePasswordRequest
	if !decodeJSON(w, r, &req, false) {
		return
	}
	id := identity(r)
	if err := s.auth.ChangePassword(r.Context(), id.UserID, id.SessionID, req.CurrentPassword, req.NewPassword); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"message": msgPasswordChanged})
}
