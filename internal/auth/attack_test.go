package auth_test

// The attack suite: each test plays an attacker against the Service. It must
// stay green; a failure here is a security bug, not a flaky test.

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/cara-coach/cara/internal/auth"
	"github.com/cara-coach/cara/internal/cara"
)

// --- user enumeration -------------------------------------------------------

func TestAttackEnumerationByMessage(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.register(t, "ana@example.com")
	_, wrongPw := e.svc.Login(ctx, "ana@example.com", "Wrong12345", "x")
	_, unknown := e.svc.Login(ctx, "nobody@example.com", "Wrong12345", "x")
	_, invalid := e.svc.Login(ctx, "not-an-email", "Wrong12345", "x")
	_, tooLong := e.svc.Login(ctx, "ana@example.com", strings.Repeat("A1a", 30), "x")
	for name, err := range map[string]error{"unknown email": unknown, "invalid email": invalid, "over-long password": tooLong} {
		if err != wrongPw { // the very same value: same code, message and text
			t.Errorf("%s: got %#v, want the wrong-password error %#v", name, err, wrongPw)
		}
	}
	wantInvalidCredentials(t, "wrong password", wrongPw)
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

func TestAttackEnumerationByTiming(t *testing.T) {
	cost := 10
	if raceEnabled {
		cost = 6 // same comparison, at a tenth of the race detector's bcrypt cost
	}
	e := newEnv(t, auth.WithBcryptCost(cost))
	ctx := context.Background()
	e.register(t, "ana@example.com")
	// Warm-up: the first unknown-email login may wait for the dummy hash.
	_, _ = e.svc.Login(ctx, "warm@example.com", "Wrong12345", "x")

	const samples = 10
	var known, unknown []time.Duration
	measure := func(email string) time.Duration {
		e.clock.Advance(time.Hour) // past any lockout: we time the password check
		start := time.Now()
		_, err := e.svc.Login(ctx, email, "Wrong12345", "x")
		d := time.Since(start)
		wantInvalidCredentials(t, "Login("+email+")", err)
		return d
	}
	for range samples { // interleaved, so drift hits both alike
		known = append(known, measure("ana@example.com"))
		unknown = append(unknown, measure("nobody@example.com"))
	}
	mk, mu := median(known), median(unknown)
	ratio := float64(mu) / float64(mk)
	t.Logf("bcrypt cost %d: median wrong password %v, unknown email %v, ratio %.2f", cost, mk, mu, ratio)
	if ratio > 2 || ratio < 0.5 {
		t.Fatalf("unknown email median %v vs wrong password median %v: ratio %.2f, want within 2×", mu, mk, ratio)
	}
}

// --- bcrypt's 72-byte truncation ---------------------------------------------

func TestAttackBcryptTruncation(t *testing.T) {
	tests := []struct {
		name       string
		registered string
		attempts   []string // each must NOT sign in
	}{
		{
			"ASCII, 72 bytes",
			"Aa1" + strings.Repeat("x", 69),
			[]string{"Aa1" + strings.Repeat("x", 69) + "X", "Aa1" + strings.Repeat("x", 69) + "😀", "Aa1" + strings.Repeat("x", 68)},
		},
		{
			"é (2 bytes) up to byte 72",
			"Aa1" + strings.Repeat("é", 33) + "xyz",
			[]string{"Aa1" + strings.Repeat("é", 33) + "xyzé", "Aa1" + strings.Repeat("é", 33) + "xyzX"},
		},
		{
			"😀 (4 bytes) ending at byte 72",
			"Aa1" + strings.Repeat("x", 65) + "😀",
			[]string{"Aa1" + strings.Repeat("x", 65) + "😀😀", "Aa1" + strings.Repeat("x", 65) + "😀X"},
		},
		{
			"😀 straddling byte 72 of the attempt",
			"Aa1" + strings.Repeat("x", 67) + "ab", // 72 bytes
			[]string{"Aa1" + strings.Repeat("x", 67) + "ab" + "😀", "Aa1" + strings.Repeat("x", 67) + "a😀"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if n := len(tt.registered); n != 72 {
				t.Fatalf("test setup: registered password is %d bytes, want 72", n)
			}
			e := newEnv(t)
			ctx := context.Background()
			if _, err := e.svc.Register(ctx, auth.Registration{Email: "ana@example.com", Name: "Ana", Password: tt.registered}); err != nil {
				t.Fatalf("Register(72-byte password): %v", err)
			}
			for _, p := range tt.attempts {
				e.clock.Advance(time.Hour)
				_, err := e.svc.Login(ctx, "ana@example.com", p, "x")
				wantInvalidCredentials(t, "Login with "+p, err)
			}
			e.clock.Advance(time.Hour)
			e.login(t, "ana@example.com", tt.registered)
		})
	}

	// Longer passwords are refused at registration, never stored truncated,
	// even when they have few characters.
	for name, p := range map[string]string{
		"73 ASCII bytes":           "Aa1" + strings.Repeat("x", 70),
		"71 chars, 74 bytes":       "Aa1" + strings.Repeat("x", 67) + "😀",
		"21 chars, 75 bytes":       "Aa1" + strings.Repeat("😀", 18),
		"73 bytes of é":            "Aa1" + strings.Repeat("é", 35),
		"72-byte prefix + garbage": "Aa1" + strings.Repeat("x", 69) + "anything at all",
	} {
		t.Run("register "+name, func(t *testing.T) {
			e := newEnv(t)
			_, err := e.svc.Register(context.Background(), auth.Registration{Email: "ana@example.com", Name: "Ana", Password: p})
			var pe *auth.PolicyError
			if !errors.As(err, &pe) || !pe.Has(auth.RuleMaxBytes) {
				t.Fatalf("Register(%d bytes): got %v, want the 72-byte rule", len(p), err)
			}
			if n := e.store.Stats().Users; n != 0 {
				t.Errorf("users: got %d, want 0", n)
			}
		})
	}
}

// --- e-mail duplicates --------------------------------------------------------

func TestAttackEmailDuplicates(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.register(t, "Bob@X.com")
	e.register(t, "kate@x.com")
	variants := []string{
		"bob@x.COM", "BOB@X.COM", " bob@x.com ", "ＢＯＢ@x.com", "bob＠x.com", "BOB@Ｘ.ＣＯＭ",
		"Ⓑob@x.com",       // circled letter, NFKC → B
		"\u212Aate@x.com", // Kelvin sign, NFKC → K
		"ｋａｔｅ@ｘ.ｃｏｍ",      // all full-width
	}
	for _, v := range variants {
		t.Run(v, func(t *testing.T) {
			_, err := e.svc.Register(ctx, auth.Registration{Email: v, Name: "Mallory", Password: "SecurePass456"})
			wantCara(t, "Register("+v+")", err, cara.ECONFLICT, "An account with this email already exists")
			e.clock.Advance(time.Hour)
			// The variant signs in to the one account.
			a := e.login(t, v, goodPassword)
			if a.Account.Email != "bob@x.com" && a.Account.Email != "kate@x.com" {
				t.Errorf("signed in as %q", a.Account.Email)
			}
		})
	}
	// Invisible characters do not make a look-alike second account.
	for _, v := range []string{"bo\u200bb@x.com", "bob\u200d@x.com", "\u202ebob@x.com", "bob@x.com\x00"} {
		_, err := e.svc.Register(ctx, auth.Registration{Email: v, Name: "Mallory", Password: "SecurePass456"})
		wantCara(t, "Register(hidden chars)", err, cara.EINVALID, "Email contains invisible or control characters")
	}
	if n := e.store.Stats().Users; n != 2 {
		t.Errorf("users: got %d, want 2", n)
	}

	// Racing registrations of variants: exactly one account.
	e2 := newEnv(t)
	race := []string{"zed@x.com", "ZED@x.com", "Zed@X.Com", "ＺＥＤ@x.com", " zed@x.com"}
	var wg sync.WaitGroup
	errs := make([]error, len(race))
	for i, v := range race {
		wg.Go(func() {
			_, errs[i] = e2.svc.Register(ctx, auth.Registration{Email: v, Name: "Zed", Password: goodPassword})
		})
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
		} else if !errors.Is(err, auth.ErrEmailTaken) {
			t.Errorf("racing Register: got %v, want nil or ErrEmailTaken", err)
		}
	}
	if ok != 1 || e2.store.Stats().Users != 1 {
		t.Errorf("racing registrations: %d succeeded, %d users; want 1 and 1", ok, e2.store.Stats().Users)
	}
}

// --- forged and malformed access tokens -----------------------------------------

func b64(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func hs256(key []byte, signingInput string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(signingInput))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// handmade builds header.payload.signature with an HMAC-SHA256 signature
// under key (or an empty one if key is nil), whatever the header says.
func handmade(header, claims map[string]any, key []byte) string {
	in := b64(header) + "." + b64(claims)
	if key == nil {
		return in + "."
	}
	return in + "." + hs256(key, in)
}

func sign(t *testing.T, m jwt.SigningMethod, key any, kid any, claims jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(m, claims)
	if kid != nil {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatalf("signing test token: %v", err)
	}
	return s
}

func TestAttackForgedAccessTokens(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	a := e.register(t, "ana@example.com")
	bob := e.register(t, "bob@example.com")
	now := e.clock.Now()

	// claims returns valid claims for Ana's session, changed by edit.
	claims := func(edit func(jwt.MapClaims)) jwt.MapClaims {
		c := jwt.MapClaims{
			"iss": "cara", "aud": []string{"cara"}, "sub": a.Account.ID, "sid": a.Tokens.SessionID,
			"iat": now.Unix(), "exp": now.Add(15 * time.Minute).Unix(), "jti": "01J0000000000000000000000X",
		}
		if edit != nil {
			edit(c)
		}
		return c
	}
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	wrongKey := []byte("an attacker's guess at the key!!")
	real := a.Tokens.AccessToken
	parts := strings.Split(real, ".")

	// Control: a token built by hand like the attacks below, but honest,
	// is accepted, so each rejection is for the reason the case names.
	if _, err := e.svc.Verify(ctx, sign(t, jwt.SigningMethodHS256, keyA, "k1", claims(nil))); err != nil {
		t.Fatalf("control token rejected: %v", err)
	}
	if _, err := e.svc.Verify(ctx, handmade(map[string]any{"alg": "HS256", "typ": "JWT", "kid": "k1"}, claims(nil), keyA)); err != nil {
		t.Fatalf("handmade control token rejected: %v", err)
	}

	tests := []struct {
		name  string
		token string
		why   string // the reason Verify must give (wrapped in the error, for logs)
	}{
		{"alg none", sign(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, "k1", claims(nil)), "signing method none is invalid"},
		{"alg None (capitalised)", handmade(map[string]any{"alg": "None", "kid": "k1"}, claims(nil), nil), "signing method (alg) is unavailable"},
		{"alg NONE with the real signature", b64(map[string]any{"alg": "NONE", "kid": "k1"}) + "." + parts[1] + "." + parts[2], "signing method (alg) is unavailable"},
		{"alg none header on a real token", b64(map[string]any{"alg": "none", "typ": "JWT", "kid": "k1"}) + "." + parts[1] + ".", "signing method none is invalid"},
		{"no alg", handmade(map[string]any{"kid": "k1"}, claims(nil), keyA), "signing method (alg) is unspecified"},
		{"HS512 with the right key", sign(t, jwt.SigningMethodHS512, keyA, "k1", claims(nil)), "signing method HS512 is invalid"},
		{"HS384 with the right key", sign(t, jwt.SigningMethodHS384, keyA, "k1", claims(nil)), "signing method HS384 is invalid"},
		{"RS256 signed with an RSA key", sign(t, jwt.SigningMethodRS256, rsaKey, "k1", claims(nil)), "signing method RS256 is invalid"},
		{"RS256 header, HMAC signature with the secret (alg confusion)", handmade(map[string]any{"alg": "RS256", "kid": "k1"}, claims(nil), keyA), "signing method RS256 is invalid"},
		{"unknown kid, right key", sign(t, jwt.SigningMethodHS256, keyA, "k9", claims(nil)), "unknown kid"},
		{"unknown kid, own key", sign(t, jwt.SigningMethodHS256, wrongKey, "attacker", claims(nil)), "unknown kid"},
		{"no kid", sign(t, jwt.SigningMethodHS256, keyA, nil, claims(nil)), "missing kid"},
		{"numeric kid", sign(t, jwt.SigningMethodHS256, keyA, 1, claims(nil)), "missing kid"},
		{"kid of one key, signed with the other", sign(t, jwt.SigningMethodHS256, keyA, "k0", claims(nil)), "signature is invalid"},
		{"kid path traversal", sign(t, jwt.SigningMethodHS256, keyA, "../../k1", claims(nil)), "unknown kid"},
		{"tampered payload: other user", parts[0] + "." + b64(claims(func(c jwt.MapClaims) { c["sub"] = bob.Account.ID })) + "." + parts[2], "signature is invalid"},
		{"tampered payload: longer expiry", parts[0] + "." + b64(claims(func(c jwt.MapClaims) { c["exp"] = now.Add(24 * time.Hour).Unix() })) + "." + parts[2], "signature is invalid"},
		{"tampered signature", parts[0] + "." + parts[1] + "." + flipLastChar(parts[2]), "signature is invalid"},
		{"signature removed", parts[0] + "." + parts[1] + ".", "signature is invalid"},
		{"expired and re-signed with a wrong key", sign(t, jwt.SigningMethodHS256, wrongKey, "k1", claims(func(c jwt.MapClaims) {
			c["iat"], c["exp"] = now.Add(-10*time.Minute).Unix(), now.Add(5*time.Minute).Unix()
		})), "signature is invalid"},
		{"expired, right key", sign(t, jwt.SigningMethodHS256, keyA, "k1", claims(func(c jwt.MapClaims) {
			c["iat"], c["exp"] = now.Add(-16*time.Minute).Unix(), now.Add(-time.Minute).Unix()
		})), "token is expired"},
		{"missing exp", sign(t, jwt.SigningMethodHS256, keyA, "k1", claims(func(c jwt.MapClaims) { delete(c, "exp") })), "exp claim is required"},
		{"exp not a number", sign(t, jwt.SigningMethodHS256, keyA, "k1", claims(func(c jwt.MapClaims) { c["exp"] = "tomorrow" })), "could not parse NumericData"},
		{"exp far away (quoted number)", sign(t, jwt.SigningMethodHS256, keyA, "k1", claims(func(c jwt.MapClaims) { c["exp"] = "9999999999" })), "lifetime longer"},
		{"right key, lifetime of a year", sign(t, jwt.SigningMethodHS256, keyA, "k1", claims(func(c jwt.MapClaims) { c["exp"] = now.Add(365 * 24 * time.Hour).Unix() })), "lifetime longer"},
		{"wrong aud", sign(t, jwt.SigningMethodHS256, keyA, "k1", claims(func(c jwt.MapClaims) { c["aud"] = []string{"other-app"} })), "invalid audience"},
		{"missing aud", sign(t, jwt.SigningMethodHS256, keyA, "k1", claims(func(c jwt.MapClaims) { delete(c, "aud") })), "aud claim is required"},
		{"wrong iss", sign(t, jwt.SigningMethodHS256, keyA, "k1", claims(func(c jwt.MapClaims) { c["iss"] = "evil" })), "invalid issuer"},
		{"missing iss", sign(t, jwt.SigningMethodHS256, keyA, "k1", claims(func(c jwt.MapClaims) { delete(c, "iss") })), "iss claim is required"},
		{"iat in the future", sign(t, jwt.SigningMethodHS256, keyA, "k1", claims(func(c jwt.MapClaims) { c["iat"] = now.Add(time.Hour).Unix() })), "token used before issued"},
		{"missing iat", sign(t, jwt.SigningMethodHS256, keyA, "k1", claims(func(c jwt.MapClaims) { delete(c, "iat") })), "missing iat"},
		{"missing sub", sign(t, jwt.SigningMethodHS256, keyA, "k1", claims(func(c jwt.MapClaims) { delete(c, "sub") })), "missing sub"},
		{"missing sid", sign(t, jwt.SigningMethodHS256, keyA, "k1", claims(func(c jwt.MapClaims) { delete(c, "sid") })), "missing sid"},
		{"missing jti", sign(t, jwt.SigningMethodHS256, keyA, "k1", claims(func(c jwt.MapClaims) { delete(c, "jti") })), "missing jti"},
		{"unknown sid", sign(t, jwt.SigningMethodHS256, keyA, "k1", claims(func(c jwt.MapClaims) { c["sid"] = "01J00000000000000000000000" })), "unknown session"},
		{"another user's sid", sign(t, jwt.SigningMethodHS256, keyA, "k1", claims(func(c jwt.MapClaims) { c["sid"] = bob.Tokens.SessionID })), "session belongs to another user"},
		{"padded base64", strings.Replace(real, ".", "=.", 1), "illegal base64"},
		{"two segments", parts[0] + "." + parts[1], "invalid number of segments"},
		{"four segments", real + "." + parts[2], "invalid number of segments"},
		{"empty", "", "no access token"},
		{"8 KB of dots", strings.Repeat(".", 8192), "access token too long"},
		{"just over 4 KB, otherwise valid", sign(t, jwt.SigningMethodHS256, keyA, "k1", claims(func(c jwt.MapClaims) { c["pad"] = strings.Repeat("x", 4096) })), "access token too long"},
		{"the refresh token", a.Tokens.RefreshToken, "invalid number of segments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.token == real {
				t.Fatal("test setup: the forged token is the real one")
			}
			id, err := e.svc.Verify(ctx, tt.token)
			if err == nil {
				t.Fatalf("Verify accepted a forged token: %+v", id)
			}
			wantSessionExpired(t, "Verify", err)
			if !strings.Contains(err.Error(), tt.why) {
				t.Errorf("Verify: rejected for %q, want the reason %q", err, tt.why)
			}
		})
	}
	// The real token still works after all that.
	if _, err := e.svc.Verify(ctx, real); err != nil {
		t.Fatalf("Verify(real): %v", err)
	}
}

func flipLastChar(s string) string {
	c := s[len(s)-2] // not the last: its low bits may be padding
	r := byte('A')
	if c == 'A' {
		r = 'B'
	}
	return s[:len(s)-2] + string(r) + s[len(s)-1:]
}

func TestAttackOversizedTokenRejectedFast(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	dots := strings.Repeat(".", 8192)
	const n = 10000
	start := time.Now()
	for range n {
		if _, err := e.svc.Verify(ctx, dots); err == nil {
			t.Fatal("Verify accepted 8 KB of dots")
		}
	}
	per := time.Since(start) / n
	t.Logf("8 KB token rejected in %v", per)
	if per > 20*time.Microsecond {
		t.Errorf("rejecting an 8 KB token took %v, want < 20µs (no parsing)", per)
	}
	// Oversized refresh tokens too.
	big := strings.Repeat("A", 1<<20)
	start = time.Now()
	_, err := e.svc.Refresh(ctx, big)
	wantSessionExpired(t, "Refresh(1 MB)", err)
	if d := time.Since(start); d > time.Millisecond {
		t.Errorf("rejecting a 1 MB refresh token took %v, want < 1ms", d)
	}
}

// --- refresh-token rotation ---------------------------------------------------------

func TestAttackConcurrentRefresh(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	a := e.register(t, "ana@example.com")
	const n = 20
	results := make([]auth.Tokens, n)
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			results[i], errs[i] = e.svc.Refresh(ctx, a.Tokens.RefreshToken)
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("refresh %d: %v", i, err)
		}
	}
	successor := results[0].RefreshToken
	jtis := map[string]bool{}
	for i, r := range results {
		if r.RefreshToken != successor {
			t.Errorf("refresh %d: got successor %q, want %q (the same for all)", i, r.RefreshToken, successor)
		}
		id, err := e.svc.Verify(ctx, r.AccessToken)
		if err != nil {
			t.Errorf("refresh %d: access token: %v", i, err)
		}
		jtis[id.TokenID] = true
	}
	if len(jtis) != n {
		t.Errorf("distinct access tokens: got %d, want %d", len(jtis), n)
	}
	if recs := e.store.SessionRefreshTokens(a.Tokens.SessionID); len(recs) != 2 {
		t.Errorf("refresh records in the session: got %d, want 2 (the used one and exactly one successor)", len(recs))
	}
	// Nothing was revoked: the original access token and the successor work.
	if _, err := e.svc.Verify(ctx, a.Tokens.AccessToken); err != nil {
		t.Errorf("original access token: %v", err)
	}
	e.clock.Advance(time.Minute)
	if _, err := e.svc.Refresh(ctx, successor); err != nil {
		t.Errorf("Refresh(successor): %v", err)
	}
}

func TestAttackReplayAfterGraceRevokesSession(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	a := e.register(t, "ana@example.com")
	other := e.login(t, "ana@example.com", goodPassword)
	tokA := a.Tokens.RefreshToken
	e.clock.Advance(time.Minute)
	b, err := e.svc.Refresh(ctx, tokA)
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Minute)
	c, err := e.svc.Refresh(ctx, b.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	// The thief replays A, long after its grace window.
	_, err = e.svc.Refresh(ctx, tokA)
	wantSessionExpired(t, "replay of A", err)
	if !errors.Is(err, auth.ErrRefreshReplayed) {
		t.Errorf("replay of A: got %v, want it marked ErrRefreshReplayed", err)
	}
	// The whole family is dead: C (the newest), B, and the access tokens.
	for name, tok := range map[string]string{"C": c.RefreshToken, "B": b.RefreshToken, "A again": tokA} {
		_, err := e.svc.Refresh(ctx, tok)
		wantSessionExpired(t, "Refresh("+name+") after replay", err)
	}
	for name, tok := range map[string]string{"C's": c.AccessToken, "B's": b.AccessToken, "A's": a.Tokens.AccessToken} {
		_, err := e.svc.Verify(ctx, tok)
		wantSessionExpired(t, "Verify("+name+" access token) after replay", err)
	}
	// Other sessions of the user are not touched.
	if _, err := e.svc.Refresh(ctx, other.Tokens.RefreshToken); err != nil {
		t.Errorf("other session: %v", err)
	}
	list, _ := e.svc.ListSessions(ctx, a.Account.ID, "")
	if len(list) != 1 || list[0].ID != other.Tokens.SessionID {
		t.Errorf("sessions after replay: got %+v, want only the other one", list)
	}
}

func TestAttackReplayOfExpiredUsedTokenRevokesSession(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	a := e.register(t, "ana@example.com")
	e.clock.Advance(6 * 24 * time.Hour)
	b, err := e.svc.Refresh(ctx, a.Tokens.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(24*time.Hour + time.Minute) // A is past its 7 days; B is not
	_, err = e.svc.Refresh(ctx, a.Tokens.RefreshToken)
	wantSessionExpired(t, "replay of an expired, used token", err)
	_, err = e.svc.Refresh(ctx, b.RefreshToken)
	wantSessionExpired(t, "Refresh(B) after the replay", err)
}

func TestAttackRefreshAfterLogout(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	a := e.register(t, "ana@example.com")
	b, err := e.svc.Refresh(ctx, a.Tokens.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Logout(ctx, b.RefreshToken); err != nil {
		t.Fatal(err)
	}
	// Within the grace window of A, too: logout wins.
	for name, tok := range map[string]string{"current token": b.RefreshToken, "previous token, within grace": a.Tokens.RefreshToken} {
		_, err := e.svc.Refresh(ctx, tok)
		wantSessionExpired(t, "Refresh("+name+") after logout", err)
	}
	_, err = e.svc.Verify(ctx, b.AccessToken)
	wantSessionExpired(t, "Verify after logout", err)
}

func TestAttackRefreshOtherSessionAfterPasswordChange(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	mine := e.register(t, "ana@example.com")
	thief := e.login(t, "ana@example.com", goodPassword) // the stolen session
	if err := e.svc.ChangePassword(ctx, mine.Account.ID, mine.Tokens.SessionID, goodPassword, "SecurePass456"); err != nil {
		t.Fatal(err)
	}
	_, err := e.svc.Refresh(ctx, thief.Tokens.RefreshToken)
	wantSessionExpired(t, "Refresh(other session)", err)
	_, err = e.svc.Verify(ctx, thief.Tokens.AccessToken)
	wantSessionExpired(t, "Verify(other session)", err)
	if _, err := e.svc.Refresh(ctx, mine.Tokens.RefreshToken); err != nil {
		t.Errorf("Refresh(own session): %v", err)
	}
}

// --- brute force ---------------------------------------------------------------------

// retryAfter returns the ThrottledError's wait, or 0 if err is not one.
func retryAfter(err error) time.Duration {
	var te *auth.ThrottledError
	if errors.As(err, &te) {
		return te.RetryAfter
	}
	return 0
}

func TestAttackBruteForceThrottling(t *testing.T) {
	wantWaits := []time.Duration{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900}
	for i := range wantWaits {
		wantWaits[i] *= time.Second
	}
	for _, email := range []string{"ana@example.com", "ghost@example.com"} { // known and unknown alike
		t.Run(email, func(t *testing.T) {
			e := newEnv(t)
			ctx := context.Background()
			e.register(t, "ana@example.com")
			guess := func() error {
				_, err := e.svc.Login(ctx, email, "Guess12345", "x")
				return err
			}
			for i := range auth.FreeAttempts {
				wantInvalidCredentials(t, "free attempt", guess())
				_ = i
			}
			var got []time.Duration
			for range wantWaits {
				err := guess()
				wait := retryAfter(err)
				if wait == 0 {
					t.Fatalf("after %d waits: got %v, want a ThrottledError", len(got), err)
				}
				wantCara(t, "throttled", err, "too_many_requests", err.Error())
				got = append(got, wait)
				// One second before the end it is still locked, then free for one attempt.
				e.clock.Advance(wait - time.Second)
				if w := retryAfter(guess()); w != time.Second {
					t.Fatalf("1 s before unlock: got RetryAfter %v, want 1s", w)
				}
				e.clock.Advance(time.Second)
				wantInvalidCredentials(t, "attempt after the wait", guess())
			}
			if !slices.Equal(got, wantWaits) {
				t.Fatalf("RetryAfter sequence: got %v, want %v", got, wantWaits)
			}
		})
	}

	t.Run("right password while locked is refused; success resets", func(t *testing.T) {
		e := newEnv(t)
		ctx := context.Background()
		e.register(t, "ana@example.com")
		for range auth.FreeAttempts + 2 { // 5 free, then 2 s of lockout pending
			e.clock.Advance(time.Second)
			_, _ = e.svc.Login(ctx, "ana@example.com", "Guess12345", "x")
		}
		// Any spelling of the address hits the same lock.
		for _, v := range []string{"ana@example.com", "ANA@Example.com", "ａｎａ@example.com"} {
			_, err := e.svc.Login(ctx, v, goodPassword, "x")
			if retryAfter(err) == 0 {
				t.Fatalf("Login(%s, right password) while locked: got %v, want ThrottledError", v, err)
			}
		}
		e.clock.Advance(auth.MaxLockout)
		e.login(t, "ana@example.com", goodPassword)
		for i := range auth.FreeAttempts { // the count starts over
			_, err := e.svc.Login(ctx, "ana@example.com", "Guess12345", "x")
			if retryAfter(err) != 0 {
				t.Fatalf("attempt %d after a success: got %v, want not throttled", i+1, err)
			}
		}
	})

	t.Run("a day without failures starts over", func(t *testing.T) {
		e := newEnv(t)
		ctx := context.Background()
		for range auth.FreeAttempts + 3 {
			e.clock.Advance(auth.MaxLockout)
			_, _ = e.svc.Login(ctx, "ana@example.com", "Guess12345", "x")
		}
		e.clock.Advance(24 * time.Hour)
		for i := range auth.FreeAttempts {
			_, err := e.svc.Login(ctx, "ana@example.com", "Guess12345", "x")
			if retryAfter(err) != 0 {
				t.Fatalf("attempt %d a day later: got %v, want not throttled", i+1, err)
			}
		}
	})

	t.Run("a concurrent burst gets only the free attempts", func(t *testing.T) {
		e := newEnv(t)
		ctx := context.Background()
		e.register(t, "ana@example.com")
		const n = 30
		errs := make([]error, n)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				<-start
				_, errs[i] = e.svc.Login(ctx, "ana@example.com", "Guess12345", "x")
			})
		}
		close(start)
		wg.Wait()
		checked := 0
		for _, err := range errs {
			switch {
			case errors.Is(err, auth.ErrInvalidCredentials):
				checked++
			case retryAfter(err) == 0:
				t.Errorf("burst: got %v, want invalid credentials or throttled", err)
			}
		}
		if checked != auth.FreeAttempts {
			t.Errorf("passwords checked in a burst of %d: got %d, want %d", n, checked, auth.FreeAttempts)
		}
	})
}
