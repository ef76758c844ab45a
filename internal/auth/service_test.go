package auth_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/cara-coach/cara/internal/auth"
	"github.com/cara-coach/cara/internal/auth/memstore"
	"github.com/cara-coach/cara/internal/cara"
)

func TestNewValidatesOptions(t *testing.T) {
	good := auth.WithSigningKeys("k1", map[string][]byte{"k1": keyA})
	tests := []struct {
		name string
		opts []auth.Option
		want string // substring of the error
	}{
		{"no keys", nil, "no signing keys"},
		{"short key", []auth.Option{auth.WithSigningKeys("k1", map[string][]byte{"k1": keyA[:31]})}, "at least 32"},
		{"current not among keys", []auth.Option{auth.WithSigningKeys("k2", map[string][]byte{"k1": keyA})}, "not among"},
		{"empty kid", []auth.Option{auth.WithSigningKeys("", map[string][]byte{"": keyA})}, "key ID"},
		{"cost too low", []auth.Option{good, auth.WithBcryptCost(3)}, "out of range"},
		{"cost too high", []auth.Option{good, auth.WithBcryptCost(32)}, "out of range"},
		{"nil clock", []auth.Option{good, auth.WithClock(nil)}, "nil clock"},
		{"empty issuer", []auth.Option{good, auth.WithIssuer("")}, "issuer"},
		{"empty audience", []auth.Option{good, auth.WithAudience("")}, "audience"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := auth.New(memstore.New(), tt.opts...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("New: got %v, want an error containing %q", err, tt.want)
			}
		})
	}
	if _, err := auth.New(nil, good); err == nil {
		t.Error("New(nil store): got nil error")
	}
}

// decodeJWT returns a token's header and claims, unverified.
func decodeJWT(t *testing.T, tok string) (map[string]any, map[string]any) {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("token has %d parts, want 3", len(parts))
	}
	var out [2]map[string]any
	for i := range 2 {
		b, err := base64.RawURLEncoding.DecodeString(parts[i])
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &out[i]); err != nil {
			t.Fatal(err)
		}
	}
	return out[0], out[1]
}

func TestRegisterSignsIn(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	a := e.register(t, "Ana@Example.com")
	if a.Account.Email != "ana@example.com" || a.Account.Name != "Ana Lima" || a.Account.Role != "Engineer" {
		t.Errorf("account: got %+v", a.Account)
	}
	if _, err := ulid.ParseStrict(a.Account.ID); err != nil {
		t.Errorf("user ID %q: got %v, want a ULID", a.Account.ID, err)
	}
	id, err := e.svc.Verify(ctx, a.Tokens.AccessToken)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if id.UserID != a.Account.ID || id.SessionID != a.Tokens.SessionID {
		t.Errorf("identity: got %+v, want user %s session %s", id, a.Account.ID, a.Tokens.SessionID)
	}
	got, err := e.svc.Account(ctx, a.Account.ID)
	if err != nil || got != a.Account {
		t.Errorf("Account: got %+v, %v, want %+v", got, err, a.Account)
	}
	_, err = e.svc.Account(ctx, "nobody")
	wantCara(t, "Account(unknown)", err, cara.ENOTFOUND, "That account no longer exists")

	// The stored hash is bcrypt at the configured cost, never the password.
	u, err := e.store.UserByEmail(ctx, "ana@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(u.PasswordHash), "$2a$04$") {
		t.Errorf("PasswordHash: got %q, want a cost-4 bcrypt hash", u.PasswordHash)
	}
}

func TestAccessTokenClaims(t *testing.T) {
	e := newEnv(t, auth.WithIssuer("cara-test"), auth.WithAudience("cara-app"))
	a := e.register(t, "ana@example.com")
	now := e.clock.Now()
	header, claims := decodeJWT(t, a.Tokens.AccessToken)
	if header["alg"] != "HS256" || header["kid"] != "k1" {
		t.Errorf("header: got %v, want alg HS256 kid k1", header)
	}
	checks := []struct {
		claim string
		got   any
		want  any
	}{
		{"iss", claims["iss"], "cara-test"},
		{"sub", claims["sub"], a.Account.ID},
		{"sid", claims["sid"], a.Tokens.SessionID},
		{"iat", claims["iat"], float64(now.Unix())},
		{"exp", claims["exp"], float64(now.Add(15 * time.Minute).Unix())},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("claim %s: got %v, want %v", c.claim, c.got, c.want)
		}
	}
	if aud, _ := claims["aud"].([]any); len(aud) != 1 || aud[0] != "cara-app" {
		t.Errorf("claim aud: got %v, want [cara-app]", claims["aud"])
	}
	if jti, _ := claims["jti"].(string); len(jti) != 26 {
		t.Errorf("claim jti: got %v, want a ULID", claims["jti"])
	}
	if !a.Tokens.AccessExpiresAt.Equal(now.Add(auth.AccessTokenTTL)) {
		t.Errorf("AccessExpiresAt: got %v, want %v", a.Tokens.AccessExpiresAt, now.Add(auth.AccessTokenTTL))
	}
	if !a.Tokens.RefreshExpiresAt.Equal(now.Add(auth.RefreshTokenTTL)) {
		t.Errorf("RefreshExpiresAt: got %v, want %v", a.Tokens.RefreshExpiresAt, now.Add(auth.RefreshTokenTTL))
	}
	if n := len(a.Tokens.RefreshToken); n != 43 || n > auth.MaxRefreshTokenBytes {
		t.Errorf("refresh token length: got %d, want 43", n)
	}
	// Two tokens never share a jti.
	b := e.login(t, "ana@example.com", goodPassword)
	_, claims2 := decodeJWT(t, b.Tokens.AccessToken)
	if claims2["jti"] == claims["jti"] {
		t.Errorf("jti repeated: %v", claims["jti"])
	}
}

func TestVerifyExpiry(t *testing.T) {
	tests := []struct {
		after time.Duration
		ok    bool
	}{
		{0, true},
		{auth.AccessTokenTTL - time.Second, true},
		{auth.AccessTokenTTL + auth.Leeway - time.Second, true}, // within leeway
		{auth.AccessTokenTTL + auth.Leeway + time.Second, false},
		{time.Hour, false},
	}
	for _, tt := range tests {
		t.Run(tt.after.String(), func(t *testing.T) {
			e := newEnv(t)
			a := e.register(t, "ana@example.com")
			e.clock.Advance(tt.after)
			_, err := e.svc.Verify(context.Background(), a.Tokens.AccessToken)
			if tt.ok && err != nil {
				t.Fatalf("Verify after %v: got %v, want ok", tt.after, err)
			}
			if !tt.ok {
				wantSessionExpired(t, "Verify after "+tt.after.String(), err)
			}
		})
	}
}

func TestLogin(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	reg := e.register(t, "ana@example.com")
	tests := []struct {
		name     string
		email    string
		password string
		ok       bool
	}{
		{"exact", "ana@example.com", goodPassword, true},
		{"email case and spaces", "  ANA@Example.COM ", goodPassword, true},
		{"full-width email", "ａｎａ@example.com", goodPassword, true},
		{"full-width password digits (NFKC)", "ana@example.com", "Copper-Kestrel-８１", true},
		{"wrong password", "ana@example.com", "Copper-Kestrel-82", false},
		{"password case matters", "ana@example.com", "copper-kestrel-81", false},
		{"empty password", "ana@example.com", "", false},
		{"unknown email", "bob@example.com", goodPassword, false},
		{"invalid email", "not an email", goodPassword, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.clock.Advance(time.Hour) // stay clear of throttling
			a, err := e.svc.Login(ctx, tt.email, tt.password, "phone")
			if !tt.ok {
				wantInvalidCredentials(t, "Login", err)
				return
			}
			if err != nil {
				t.Fatalf("Login: %v", err)
			}
			if a.Account != reg.Account {
				t.Errorf("account: got %+v, want %+v", a.Account, reg.Account)
			}
			if a.Tokens.SessionID == reg.Tokens.SessionID {
				t.Error("Login reused the registration's session; want a new one")
			}
			if _, err := e.svc.Verify(ctx, a.Tokens.AccessToken); err != nil {
				t.Errorf("Verify: %v", err)
			}
		})
	}
}

func TestRefreshRotates(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	a := e.register(t, "ana@example.com")
	e.clock.Advance(13 * time.Minute)
	b, err := e.svc.Refresh(ctx, a.Tokens.RefreshToken)
	if err != nil {
		t.Fatalf("Refresh: %v", err)
	}
	if b.RefreshToken == a.Tokens.RefreshToken || b.AccessToken == a.Tokens.AccessToken {
		t.Fatal("Refresh returned the same tokens; want new ones")
	}
	if b.SessionID != a.Tokens.SessionID || b.UserID != a.Account.ID {
		t.Errorf("Refresh: got session %s user %s, want %s %s", b.SessionID, b.UserID, a.Tokens.SessionID, a.Account.ID)
	}
	now := e.clock.Now()
	if !b.AccessExpiresAt.Equal(now.Add(auth.AccessTokenTTL)) || !b.RefreshExpiresAt.Equal(now.Add(auth.RefreshTokenTTL)) {
		t.Errorf("expiries: got %v / %v", b.AccessExpiresAt, b.RefreshExpiresAt)
	}
	if _, err := e.svc.Verify(ctx, b.AccessToken); err != nil {
		t.Errorf("Verify(new access token): %v", err)
	}
	sessions, err := e.svc.ListSessions(ctx, a.Account.ID, a.Tokens.SessionID)
	if err != nil || len(sessions) != 1 {
		t.Fatalf("ListSessions: got %v, %v", sessions, err)
	}
	if !sessions[0].LastUsedAt.Equal(now) {
		t.Errorf("LastUsedAt: got %v, want %v", sessions[0].LastUsedAt, now)
	}
	// Stored as hashes only: no record holds a token in any form.
	for _, r := range e.store.SessionRefreshTokens(a.Tokens.SessionID) {
		for _, tok := range []string{a.Tokens.RefreshToken, b.RefreshToken} {
			raw, _ := base64.RawURLEncoding.DecodeString(tok)
			if strings.Contains(string(r.SealedSuccessor), tok) || strings.Contains(string(r.SealedSuccessor), string(raw)) ||
				strings.Contains(string(r.Hash[:]), string(raw)) {
				t.Errorf("record %s holds a token in the clear", r.Hash)
			}
		}
	}
}

func TestRefreshLifetimes(t *testing.T) {
	t.Run("refresh token expires after 7 days unused", func(t *testing.T) {
		e := newEnv(t)
		a := e.register(t, "ana@example.com")
		e.clock.Advance(auth.RefreshTokenTTL - time.Second)
		b, err := e.svc.Refresh(context.Background(), a.Tokens.RefreshToken)
		if err != nil {
			t.Fatalf("Refresh just before 7 days: %v", err)
		}
		e.clock.Advance(auth.RefreshTokenTTL)
		_, err = e.svc.Refresh(context.Background(), b.RefreshToken)
		wantSessionExpired(t, "Refresh after 7 days", err)
	})
	t.Run("session ends after 30 days whatever the rotation", func(t *testing.T) {
		e := newEnv(t)
		a := e.register(t, "ana@example.com")
		tok := a.Tokens.RefreshToken
		for day := 1; day < 30; day++ {
			e.clock.Advance(24 * time.Hour)
			b, err := e.svc.Refresh(context.Background(), tok)
			if err != nil {
				t.Fatalf("Refresh on day %d: %v", day, err)
			}
			// Nothing outlives the session.
			cap := e.clock.Now().Add(-time.Duration(day) * 24 * time.Hour).Add(auth.SessionMaxAge)
			if b.RefreshExpiresAt.After(cap) || b.AccessExpiresAt.After(cap) {
				t.Fatalf("day %d: tokens expire %v / %v, after the session's end %v", day, b.RefreshExpiresAt, b.AccessExpiresAt, cap)
			}
			tok = b.RefreshToken
		}
		e.clock.Advance(24 * time.Hour) // day 30
		_, err := e.svc.Refresh(context.Background(), tok)
		wantSessionExpired(t, "Refresh on day 30", err)
	})
	t.Run("access token is capped at the session's end", func(t *testing.T) {
		e := newEnv(t)
		a := e.register(t, "ana@example.com")
		tok := a.Tokens.RefreshToken
		for range 4 {
			e.clock.Advance(6 * 24 * time.Hour)
			b, err := e.svc.Refresh(context.Background(), tok)
			if err != nil {
				t.Fatal(err)
			}
			tok = b.RefreshToken
		}
		e.clock.Advance(6*24*time.Hour - 5*time.Minute) // 5 min before day 30
		b, err := e.svc.Refresh(context.Background(), tok)
		if err != nil {
			t.Fatal(err)
		}
		end := e.clock.Now().Add(5 * time.Minute)
		if !b.AccessExpiresAt.Equal(end) || !b.RefreshExpiresAt.Equal(end) {
			t.Errorf("expiries: got %v / %v, want both %v", b.AccessExpiresAt, b.RefreshExpiresAt, end)
		}
	})
}

func TestRefreshRejectsMalformed(t *testing.T) {
	e := newEnv(t)
	a := e.register(t, "ana@example.com")
	good := a.Tokens.RefreshToken
	tests := map[string]string{
		"empty":               "",
		"one char short":      good[:42],
		"one char long":       good + "A",
		"600 bytes":           strings.Repeat("A", 600),
		"standard base64":     strings.ReplaceAll(strings.ReplaceAll(good, "-", "+"), "_", "/") + "=",
		"not base64":          strings.Repeat("!", 43),
		"random but unknown":  "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"access token in its": a.Tokens.AccessToken,
	}
	for name, tok := range tests {
		t.Run(name, func(t *testing.T) {
			if tok == good {
				t.Skip("the replacement changed nothing")
			}
			_, err := e.svc.Refresh(context.Background(), tok)
			wantSessionExpired(t, "Refresh", err)
		})
	}
	// None of that harmed the real token.
	if _, err := e.svc.Refresh(context.Background(), good); err != nil {
		t.Fatalf("Refresh(good): %v", err)
	}
}

func TestRefreshGraceBoundary(t *testing.T) {
	tests := []struct {
		replayAfter time.Duration
		same        bool // true: same successor; false: session revoked
	}{
		{0, true},
		{auth.RefreshGrace, true},
		{auth.RefreshGrace + time.Millisecond, false},
		{time.Hour, false},
	}
	for _, tt := range tests {
		t.Run(tt.replayAfter.String(), func(t *testing.T) {
			e := newEnv(t)
			ctx := context.Background()
			a := e.register(t, "ana@example.com")
			first, err := e.svc.Refresh(ctx, a.Tokens.RefreshToken)
			if err != nil {
				t.Fatal(err)
			}
			e.clock.Advance(tt.replayAfter)
			second, err := e.svc.Refresh(ctx, a.Tokens.RefreshToken)
			if tt.same {
				if err != nil {
					t.Fatalf("second Refresh: %v", err)
				}
				if second.RefreshToken != first.RefreshToken {
					t.Errorf("second Refresh: got successor %q, want the first's %q", second.RefreshToken, first.RefreshToken)
				}
				if _, err := e.svc.Verify(ctx, second.AccessToken); err != nil {
					t.Errorf("Verify(second access token): %v", err)
				}
				return
			}
			wantSessionExpired(t, "replay after grace", err)
			_, err = e.svc.Refresh(ctx, first.RefreshToken)
			wantSessionExpired(t, "successor after replay", err)
		})
	}
}

func TestLogout(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	a := e.register(t, "ana@example.com")
	other := e.login(t, "ana@example.com", goodPassword)
	if err := e.svc.Logout(ctx, a.Tokens.RefreshToken); err != nil {
		t.Fatalf("Logout: %v", err)
	}
	_, err := e.svc.Verify(ctx, a.Tokens.AccessToken)
	wantSessionExpired(t, "Verify after logout", err)
	_, err = e.svc.Refresh(ctx, a.Tokens.RefreshToken)
	wantSessionExpired(t, "Refresh after logout", err)
	// Other sessions are untouched.
	if _, err := e.svc.Verify(ctx, other.Tokens.AccessToken); err != nil {
		t.Errorf("Verify(other session): %v", err)
	}
	// Logging out again, or with junk, is not an error.
	for _, tok := range []string{a.Tokens.RefreshToken, "", "junk", strings.Repeat("A", 43)} {
		if err := e.svc.Logout(ctx, tok); err != nil {
			t.Errorf("Logout(%q): got %v, want nil", tok, err)
		}
	}
	// Any token of the session signs it out, even a used one.
	b, err := e.svc.Refresh(ctx, other.Tokens.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Logout(ctx, other.Tokens.RefreshToken); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.Refresh(ctx, b.RefreshToken)
	wantSessionExpired(t, "Refresh(successor) after logout with the used token", err)
}

func TestChangePassword(t *testing.T) {
	ctx := context.Background()
	const newPassword = "SecurePass456"
	tests := []struct {
		name     string
		current  string
		next     string
		wantCode string
		wantMsg  string
	}{
		{"wrong current", "Wrong123pass", newPassword, cara.EUNAUTHORIZED, "Current password is incorrect"},
		{"current over 72 bytes (truncation)", goodPassword + strings.Repeat("x", 70), newPassword, cara.EUNAUTHORIZED, "Current password is incorrect"},
		{"weak new", goodPassword, "password123", cara.EINVALID, "Password must contain at least one uppercase letter\nPassword is too common"},
		{"new over 72 bytes", goodPassword, "Aa1" + strings.Repeat("😀", 18), cara.EINVALID, "Password must be at most 72 bytes"},
		{"new contains email", goodPassword, "Anastasia2025x", cara.EINVALID, "Password must not contain your email address"},
		{"new is the current one", goodPassword, goodPassword, cara.EINVALID, "New password must be different from the current one"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			a := e.register(t, "anastasia@example.com")
			err := e.svc.ChangePassword(ctx, a.Account.ID, a.Tokens.SessionID, tt.current, tt.next)
			wantCara(t, "ChangePassword", err, tt.wantCode, tt.wantMsg)
			e.login(t, "anastasia@example.com", goodPassword) // unchanged
		})
	}

	t.Run("success revokes other sessions only", func(t *testing.T) {
		e := newEnv(t)
		a := e.register(t, "ana@example.com")
		other := e.login(t, "ana@example.com", goodPassword)
		bob := e.register(t, "bob@example.com")
		if err := e.svc.ChangePassword(ctx, a.Account.ID, a.Tokens.SessionID, goodPassword, newPassword); err != nil {
			t.Fatalf("ChangePassword: %v", err)
		}
		if _, err := e.svc.Verify(ctx, a.Tokens.AccessToken); err != nil {
			t.Errorf("Verify(own session): %v", err)
		}
		if _, err := e.svc.Refresh(ctx, a.Tokens.RefreshToken); err != nil {
			t.Errorf("Refresh(own session): %v", err)
		}
		_, err := e.svc.Verify(ctx, other.Tokens.AccessToken)
		wantSessionExpired(t, "Verify(other session)", err)
		if _, err := e.svc.Verify(ctx, bob.Tokens.AccessToken); err != nil {
			t.Errorf("Verify(another user's session): %v", err)
		}
		_, err = e.svc.Login(ctx, "ana@example.com", goodPassword, "x")
		wantInvalidCredentials(t, "Login(old password)", err)
		e.login(t, "ana@example.com", newPassword)
	})

	t.Run("unknown user", func(t *testing.T) {
		e := newEnv(t)
		err := e.svc.ChangePassword(ctx, "nobody", "", goodPassword, newPassword)
		wantCara(t, "ChangePassword", err, cara.ENOTFOUND, "That account no longer exists")
	})

	t.Run("wrong current passwords are throttled", func(t *testing.T) {
		e := newEnv(t)
		a := e.register(t, "ana@example.com")
		for i := range auth.FreeAttempts {
			err := e.svc.ChangePassword(ctx, a.Account.ID, a.Tokens.SessionID, "Guess12345", newPassword)
			if !errors.Is(err, auth.ErrWrongPassword) {
				t.Fatalf("attempt %d: got %v, want ErrWrongPassword", i+1, err)
			}
		}
		err := e.svc.ChangePassword(ctx, a.Account.ID, a.Tokens.SessionID, goodPassword, newPassword)
		var te *auth.ThrottledError
		if !errors.As(err, &te) || te.RetryAfter != time.Second {
			t.Fatalf("6th attempt: got %v, want ThrottledError with RetryAfter 1s", err)
		}
	})
}

func TestSessions(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	a := e.register(t, "ana@example.com")
	e.clock.Advance(time.Minute)
	phone, err := e.svc.Login(ctx, "ana@example.com", goodPassword, "  Cara on\nAna's phone\u202e  ")
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Minute)
	old := e.login(t, "ana@example.com", goodPassword)
	bob := e.register(t, "bob@example.com")
	if err := e.svc.RevokeSession(ctx, a.Account.ID, old.Tokens.SessionID); err != nil {
		t.Fatalf("RevokeSession(own): %v", err)
	}

	list, err := e.svc.ListSessions(ctx, a.Account.ID, phone.Tokens.SessionID)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 {
		t.Fatalf("ListSessions: got %d sessions, want 2: %+v", len(list), list)
	}
	// Most recently used first; the device label cleaned.
	if list[0].ID != phone.Tokens.SessionID || !list[0].Current || list[0].Device != "Cara on Ana's phone" {
		t.Errorf("first: got %+v, want the phone, current, device %q", list[0], "Cara on Ana's phone")
	}
	if list[1].ID != a.Tokens.SessionID || list[1].Current || list[1].Device != "laptop" {
		t.Errorf("second: got %+v, want the registration's session", list[1])
	}
	if !list[1].CreatedAt.Equal(e.clock.Now().Add(-2*time.Minute)) || !list[1].ExpiresAt.Equal(list[1].CreatedAt.Add(auth.SessionMaxAge)) {
		t.Errorf("times: got created %v expires %v", list[1].CreatedAt, list[1].ExpiresAt)
	}

	tests := []struct {
		name    string
		userID  string
		session string
	}{
		{"another user's session", a.Account.ID, bob.Tokens.SessionID},
		{"someone else revoking mine", bob.Account.ID, a.Tokens.SessionID},
		{"already revoked", a.Account.ID, old.Tokens.SessionID},
		{"unknown", a.Account.ID, "01HZZZZZZZZZZZZZZZZZZZZZZZ"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := e.svc.RevokeSession(ctx, tt.userID, tt.session)
			wantCara(t, "RevokeSession", err, cara.ENOTFOUND, "That session no longer exists")
		})
	}
	// Bob's session survived the attempts.
	if _, err := e.svc.Verify(ctx, bob.Tokens.AccessToken); err != nil {
		t.Errorf("Verify(bob): %v", err)
	}
	// Expired sessions drop out of the list.
	e.clock.Advance(auth.SessionMaxAge)
	list, err = e.svc.ListSessions(ctx, a.Account.ID, "")
	if err != nil || len(list) != 0 {
		t.Errorf("ListSessions after 30 days: got %v, %v, want none", list, err)
	}
}

func TestKeyRotation(t *testing.T) {
	ctx := context.Background()
	store := memstore.New()
	c := newClock()
	mk := func(current string, keys map[string][]byte) *auth.Service {
		s, err := auth.New(store, auth.WithBcryptCost(4), auth.WithClock(c.Now), auth.WithSigningKeys(current, keys))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	before := mk("k0", map[string][]byte{"k0": keyB})
	a, err := before.Register(ctx, auth.Registration{Email: "ana@example.com", Name: "Ana", Password: goodPassword})
	if err != nil {
		t.Fatal(err)
	}
	during := mk("k1", map[string][]byte{"k1": keyA, "k0": keyB})
	if _, err := during.Verify(ctx, a.Tokens.AccessToken); err != nil {
		t.Errorf("token signed with the previous key: got %v, want valid while the key is kept", err)
	}
	b, err := during.Refresh(ctx, a.Tokens.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	if h, _ := decodeJWT(t, b.AccessToken); h["kid"] != "k1" {
		t.Errorf("new token kid: got %v, want k1", h["kid"])
	}
	after := mk("k1", map[string][]byte{"k1": keyA})
	_, err = after.Verify(ctx, a.Tokens.AccessToken)
	wantSessionExpired(t, "token of a dropped key", err)
	if _, err := after.Verify(ctx, b.AccessToken); err != nil {
		t.Errorf("Verify(current key): %v", err)
	}
}

func TestPrune(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	a := e.register(t, "ana@example.com")
	gone := e.login(t, "ana@example.com", goodPassword)
	if err := e.svc.Logout(ctx, gone.Tokens.RefreshToken); err != nil {
		t.Fatal(err)
	}
	for range 3 { // a throttle record for an unknown address
		_, _ = e.svc.Login(ctx, "ghost@example.com", "Wrong12345", "x")
	}
	if _, err := e.svc.Refresh(ctx, a.Tokens.RefreshToken); err != nil {
		t.Fatal(err)
	}
	if got := e.store.Stats(); got.Sessions != 2 || got.RefreshTokens != 3 || got.Throttles != 1 {
		t.Fatalf("before Prune: got %+v", got)
	}
	n, err := e.svc.Prune(ctx)
	if err != nil || n != 2 { // the revoked session and its token
		t.Fatalf("Prune now: got %d, %v, want 2, nil", n, err)
	}
	e.clock.Advance(8 * 24 * time.Hour)
	n, err = e.svc.Prune(ctx)
	if err != nil || n != 3 { // a's two refresh tokens, the throttle record (a's session lives 30 days)
		t.Fatalf("Prune after 8 days: got %d, %v, want 3, nil", n, err)
	}
	if got := e.store.Stats(); got.Users != 1 || got.Sessions != 1 || got.RefreshTokens != 0 || got.Throttles != 0 {
		t.Errorf("after Prune: got %+v", got)
	}
}

func TestErrorsUnwrapToCaraErrors(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.register(t, "ana@example.com")
	for range auth.FreeAttempts {
		_, _ = e.svc.Login(ctx, "ana@example.com", "Wrong12345", "")
	}
	_, err := e.svc.Login(ctx, "ana@example.com", goodPassword, "")
	var te *auth.ThrottledError
	if !errors.As(err, &te) {
		t.Fatalf("got %v, want *auth.ThrottledError", err)
	}
	var ce *cara.Error
	if !errors.As(err, &ce) || ce.Code != "too_many_requests" || ce.Message != "Too many attempts. Try again in 1 second." {
		t.Errorf("ThrottledError as cara.Error: got %+v", ce)
	}
	_, err = e.svc.Register(ctx, auth.Registration{Email: "b@x.com", Name: "B", Password: "short"})
	if !errors.As(err, &ce) || ce.Code != cara.EINVALID {
		t.Errorf("PolicyError as cara.Error: got %+v", ce)
	}
}

func TestThrottledMessages(t *testing.T) {
	// The message follows RetryAfter through the whole back-off.
	e := newEnv(t)
	ctx := context.Background()
	want := map[time.Duration]string{
		time.Second:      "Too many attempts. Try again in 1 second.",
		2 * time.Second:  "Too many attempts. Try again in 2 seconds.",
		32 * time.Second: "Too many attempts. Try again in 32 seconds.",
		64 * time.Second: "Too many attempts. Try again in 2 minutes.",
		auth.MaxLockout:  "Too many attempts. Try again in 15 minutes.",
	}
	seen := map[time.Duration]bool{}
	for range 30 {
		_, err := e.svc.Login(ctx, "ana@example.com", "Wrong12345", "")
		var te *auth.ThrottledError
		if errors.As(err, &te) {
			if msg, ok := want[te.RetryAfter]; ok {
				seen[te.RetryAfter] = true
				if te.Error() != msg {
					t.Errorf("RetryAfter %v: got %q, want %q", te.RetryAfter, te.Error(), msg)
				}
			}
			e.clock.Advance(te.RetryAfter)
		}
	}
	if len(seen) != len(want) {
		t.Errorf("saw %d of the %d waits: %v", len(seen), len(want), seen)
	}
}

// slowLookup is a store whose e-mail lookup takes d of the fake clock's
// time: the stretch a sign-in spends on the account and its bcrypt
// comparison (≈ 0.25 s at cost 12, more on a busy machine).
type slowLookup struct {
	*memstore.Store
	clock *clock
	d     time.Duration
}

func (s *slowLookup) UserByEmail(ctx context.Context, email string) (auth.User, error) {
	s.clock.Advance(s.d)
	return s.Store.UserByEmail(ctx, email)
}

// Tokens handed out at sign-in are stamped with the time they are issued,
// after the password check, so a fresh access token always has its full
// lifetime: exp − iat is AccessTokenTTL and iat is the clock at the end of
// the call, however long the check took.
func TestSignInTokensIssuedAfterPasswordCheck(t *testing.T) {
	tests := []struct {
		name string
		slow time.Duration
		call func(ctx context.Context, svc *auth.Service) (auth.Auth, error)
	}{
		{"login, fast check", 0, func(ctx context.Context, svc *auth.Service) (auth.Auth, error) {
			return svc.Login(ctx, "ana@example.com", goodPassword, "phone")
		}},
		{"login, slow check", 1700 * time.Millisecond, func(ctx context.Context, svc *auth.Service) (auth.Auth, error) {
			return svc.Login(ctx, "ana@example.com", goodPassword, "phone")
		}},
		{"login, very slow check", 20 * time.Second, func(ctx context.Context, svc *auth.Service) (auth.Auth, error) {
			return svc.Login(ctx, "ana@example.com", goodPassword, "phone")
		}},
		{"register, slow lookup", 1700 * time.Millisecond, func(ctx context.Context, svc *auth.Service) (auth.Auth, error) {
			return svc.Register(ctx, auth.Registration{Email: "bob@example.com", Name: "Bob", Password: goodPassword})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			c := newClock()
			c.Advance(600 * time.Millisecond) // mid-second, as real sign-ins are
			st := &slowLookup{Store: memstore.New(), clock: c}
			svc, err := auth.New(st, auth.WithBcryptCost(4), auth.WithClock(c.Now),
				auth.WithSigningKeys("k1", map[string][]byte{"k1": keyA}))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := svc.Register(ctx, auth.Registration{Email: "ana@example.com", Name: "Ana", Password: goodPassword}); err != nil {
				t.Fatal(err)
			}
			st.d = tt.slow
			a, err := tt.call(ctx, svc)
			if err != nil {
				t.Fatal(err)
			}
			issued := c.Now().Truncate(time.Second)
			_, claims := decodeJWT(t, a.Tokens.AccessToken)
			if got, want := claims["iat"], float64(issued.Unix()); got != want {
				t.Errorf("iat: got %v, want %v (the time after the password check)", got, want)
			}
			if got, want := claims["exp"], float64(issued.Add(auth.AccessTokenTTL).Unix()); got != want {
				t.Errorf("exp: got %v, want %v", got, want)
			}
			if !a.Tokens.AccessIssuedAt.Equal(issued) {
				t.Errorf("AccessIssuedAt: got %v, want %v", a.Tokens.AccessIssuedAt, issued)
			}
			if got := a.Tokens.AccessExpiresAt.Sub(a.Tokens.AccessIssuedAt); got != auth.AccessTokenTTL {
				t.Errorf("AccessExpiresAt − AccessIssuedAt: got %v, want %v", got, auth.AccessTokenTTL)
			}
		})
	}
}
