// Package auth is Cara's account service: registration with the password
// policy, bcrypt hashing, timing-equalised sign-in with per-account
// throttling, HS256 access tokens, rotating refresh tokens and sessions.
//
// It knows nothing of Wails, HTTP, bbolt or PostgreSQL: it defines the Store
// it needs (store.go) and the desktop app and the server each provide one.
// Every error meant for a person is (or unwraps to) a *cara.Error.
package auth

import (
	"crypto/rand"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/crypto/bcrypt"
	"golang.org/x/text/unicode/norm"
)

// DefaultBcryptCost is the production bcrypt cost (DESIGN §3).
const DefaultBcryptCost = 12

// Defaults for the token's iss and aud claims.
const (
	DefaultIssuer   = "cara"
	DefaultAudience = "cara"
)

// Service is the auth service. It is safe for concurrent use.
type Service struct {
	store      Store
	cost       int
	now        func() time.Time
	keys       map[string][]byte // kid → HMAC secret
	currentKID string
	issuer     string
	audience   string
	parser     *jwt.Parser
	// dummyHash is a bcrypt hash (same cost) of a random password, compared
	// against for unknown e-mails so they take as long as wrong passwords.
	dummyHash func() []byte
}

// Option configures a Service.
type Option func(*Service) error

// WithBcryptCost sets the bcrypt cost (default 12). Tests use 4.
func WithBcryptCost(cost int) Option {
	return func(s *Service) error {
		if cost < bcrypt.MinCost || cost > bcrypt.MaxCost {
			return fmt.Errorf("auth: bcrypt cost %d out of range %d–%d", cost, bcrypt.MinCost, bcrypt.MaxCost)
		}
		s.cost = cost
		return nil
	}
}

// WithClock replaces time.Now (tests move time instead of sleeping).
func WithClock(now func() time.Time) Option {
	return func(s *Service) error {
		if now == nil {
			return errors.New("auth: nil clock")
		}
		s.now = now
		return nil
	}
}

// WithSigningKeys sets the HMAC secrets that sign and verify access tokens:
// keys maps a key ID (the JWT "kid") to a secret of at least 32 bytes, and
// current names the one that signs new tokens. Tokens signed with the other
// keys keep verifying until their key is dropped. Required. The caller makes
// the secrets (the desktop: 32 random bytes kept in the keychain).
func WithSigningKeys(current string, keys map[string][]byte) Option {
	return func(s *Service) error {
		if _, ok := keys[current]; !ok {
			return fmt.Errorf("auth: current key %q not among the signing keys", current)
		}
		s.keys = make(map[string][]byte, len(keys))
		for kid, secret := range keys {
			if kid == "" || len(kid) > 64 {
				return fmt.Errorf("auth: key ID %q must be 1–64 bytes", kid)
			}
			if len(secret) < minSecretBytes {
				return fmt.Errorf("auth: signing key %q is %d bytes, want at least %d", kid, len(secret), minSecretBytes)
			}
			s.keys[kid] = append([]byte(nil), secret...)
		}
		s.currentKID = current
		return nil
	}
}

// WithIssuer sets the "iss" claim written and required (default "cara").
func WithIssuer(iss string) Option {
	return func(s *Service) error {
		if iss == "" {
			return errors.New("auth: empty issuer")
		}
		s.issuer = iss
		return nil
	}
}

// WithAudience sets the "aud" claim written and required (default "cara").
func WithAudience(aud string) Option {
	return func(s *Service) error {
		if aud == "" {
			return errors.New("auth: empty audience")
		}
		s.audience = aud
		return nil
	}
}

// New returns a Service over store. WithSigningKeys is required.
func New(store Store, opts ...Option) (*Service, error) {
	if store == nil {
		return nil, errors.New("auth: nil store")
	}
	s := &Service{
		store:    store,
		cost:     DefaultBcryptCost,
		now:      time.Now,
		issuer:   DefaultIssuer,
		audience: DefaultAudience,
	}
	for _, o := range opts {
		if err := o(s); err != nil {
			return nil, err
		}
	}
	if len(s.keys) == 0 {
		return nil, errors.New("auth: no signing keys (use WithSigningKeys)")
	}
	s.parser = newParser(s.issuer, s.audience, s.now)
	s.dummyHash = sync.OnceValue(func() []byte { return newDummyHash(s.cost) })
	// Warm the dummy hash in the background so start-up does not wait for
	// one bcrypt (≈ 0.25 s at cost 12) and the first unknown-email sign-in
	// does not take twice as long as a wrong password.
	go s.dummyHash()
	return s, nil
}

// newDummyHash returns a bcrypt hash, at cost, of a random password nobody
// knows.
func newDummyHash(cost int) []byte {
	pw := make([]byte, 32)
	if _, err := rand.Read(pw); err != nil {
		panic("auth: crypto/rand failed: " + err.Error())
	}
	h, err := bcrypt.GenerateFromPassword([]byte(b64.EncodeToString(pw)), cost)
	if err != nil {
		panic("auth: dummy bcrypt hash: " + err.Error())
	}
	return h
}

// normPassword is the form a password is checked, hashed and compared in:
// NFKC, so the same password typed on different keyboards (composed or
// decomposed accents, full-width digits) is the same password. Input far
// over the limit is left as is (NFKC shrinks text by at most 4×, so it stays
// over 72 bytes and is refused) rather than normalised at length.
func normPassword(p string) string {
	if len(p) > 16*MaxPasswordBytes {
		return p
	}
	return norm.NFKC.String(p)
}

// Account is the public view of a user.
type Account struct {
	ID        string    `json:"id"`
	Email     string    `json:"email"`
	Name      string    `json:"name"`
	Role      string    `json:"role"`
	CreatedAt time.Time `json:"createdAt"`
}

func accountOf(u User) Account {
	return Account{ID: u.ID, Email: u.Email, Name: u.Name, Role: u.Role, CreatedAt: u.CreatedAt}
}

// Tokens are what a sign-in or refresh hands the client. The access token
// is sent with every call; the refresh token is kept (desktop: in the
// keychain; server: an HttpOnly cookie) and exchanged for new tokens.
//
// AccessIssuedAt and AccessExpiresAt are the access token's iat and exp
// (whole seconds, as the token states them); their difference is its
// lifetime: AccessTokenTTL, or less when the session's hard end comes first.
type Tokens struct {
	AccessToken      string
	AccessIssuedAt   time.Time
	AccessExpiresAt  time.Time
	RefreshToken     string
	RefreshExpiresAt time.Time
	UserID           string
	SessionID        string
}

// Auth is the result of Register and Login.
type Auth struct {
	Account Account
	Tokens  Tokens
}
