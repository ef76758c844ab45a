package auth

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/oklog/ulid/v2"
)

// Token lifetimes and limits (DESIGN §3).
const (
	AccessTokenTTL  = 15 * time.Minute
	RefreshTokenTTL = 7 * 24 * time.Hour
	SessionMaxAge   = 30 * 24 * time.Hour
	RefreshGrace    = 10 * time.Second
	// Leeway is the clock skew Verify tolerates on exp and iat.
	Leeway = 10 * time.Second
	// MaxAccessTokenBytes: longer access tokens are rejected before parsing.
	MaxAccessTokenBytes = 4096
	// MaxRefreshTokenBytes: longer refresh tokens are rejected before
	// decoding. Real ones are 43 bytes.
	MaxRefreshTokenBytes = 512
	refreshTokenBytes    = 32
	minSecretBytes       = 32
)

// b64 encodes refresh tokens; Strict rejects non-canonical trailing bits so
// each token has exactly one spelling.
var b64 = base64.RawURLEncoding.Strict()

// newRefreshToken returns a fresh token: 32 random bytes, base64url.
func newRefreshToken() (string, error) {
	var raw [refreshTokenBytes]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", err
	}
	return b64.EncodeToString(raw[:]), nil
}

// decodeRefreshToken checks the token's shape and returns its raw bytes.
func decodeRefreshToken(token string) ([]byte, error) {
	if len(token) > MaxRefreshTokenBytes || len(token) != b64.EncodedLen(refreshTokenBytes) {
		return nil, errors.New("malformed refresh token")
	}
	raw, err := b64.DecodeString(token)
	if err != nil || len(raw) != refreshTokenBytes {
		return nil, errors.New("malformed refresh token")
	}
	return raw, nil
}

func hashToken(raw []byte) TokenHash { return sha256.Sum256(raw) }

// sealInfo separates the successor key from any other use of the token.
const sealInfo = "cara auth: refresh successor v1"

// successorAEAD is AES-256-GCM keyed by HKDF-SHA256 of the used token's raw
// bytes: only someone holding that token can open its successor.
func successorAEAD(oldRaw []byte) (cipher.AEAD, error) {
	key, err := hkdf.Key(sha256.New, oldRaw, nil, sealInfo, 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// sealSuccessor encrypts the successor token under the old token; the old
// token's hash is the associated data, binding the box to its record.
func sealSuccessor(oldRaw []byte, oldHash TokenHash, successor string) ([]byte, error) {
	aead, err := successorAEAD(oldRaw)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(successor)+aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return aead.Seal(nonce, nonce, []byte(successor), oldHash[:]), nil
}

func openSuccessor(oldRaw []byte, oldHash TokenHash, sealed []byte) (string, error) {
	aead, err := successorAEAD(oldRaw)
	if err != nil {
		return "", err
	}
	if len(sealed) < aead.NonceSize()+aead.Overhead() {
		return "", errors.New("sealed successor too short")
	}
	n := aead.NonceSize()
	plain, err := aead.Open(nil, sealed[:n], sealed[n:], oldHash[:])
	if err != nil {
		return "", err
	}
	return string(plain), nil
}

// accessClaims are the claims of an access token.
type accessClaims struct {
	jwt.RegisteredClaims
	SessionID string `json:"sid"`
}

// Validate runs after the library's checks (signature, exp, iat, iss, aud):
// every claim Cara relies on must be present, and no token may claim a
// longer life than Cara gives (defence in depth should anything else ever
// sign with the key).
func (c accessClaims) Validate() error {
	switch {
	case c.IssuedAt != nil && c.ExpiresAt != nil && c.ExpiresAt.Sub(c.IssuedAt.Time) > AccessTokenTTL:
		return errors.New("lifetime longer than an access token's")
	case c.Subject == "":
		return errors.New("missing sub")
	case c.SessionID == "":
		return errors.New("missing sid")
	case c.ID == "":
		return errors.New("missing jti")
	case c.IssuedAt == nil:
		return errors.New("missing iat")
	}
	return nil
}

// Identity is what a valid access token proves.
type Identity struct {
	UserID    string
	SessionID string
	TokenID   string // jti
	IssuedAt  time.Time
	ExpiresAt time.Time
}

// newID returns a ULID stamped with now, its entropy from crypto/rand.
func newID(now time.Time) string {
	return ulid.MustNew(ulid.Timestamp(now), rand.Reader).String()
}

// signAccess mints an access token for the session, valid until
// min(now + AccessTokenTTL, the session's hard expiry), and returns it with
// its iat and exp as the token states them (whole seconds).
func (s *Service) signAccess(sess Session, now time.Time) (signed string, iat, exp time.Time, err error) {
	exp = now.Add(AccessTokenTTL)
	if sess.ExpiresAt.Before(exp) {
		exp = sess.ExpiresAt
	}
	claims := accessClaims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    s.issuer,
			Subject:   sess.UserID,
			Audience:  jwt.ClaimStrings{s.audience},
			ExpiresAt: jwt.NewNumericDate(exp),
			IssuedAt:  jwt.NewNumericDate(now),
			ID:        newID(now),
		},
		SessionID: sess.ID,
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, claims)
	tok.Header["kid"] = s.currentKID
	signed, err = tok.SignedString(s.keys[s.currentKID])
	if err != nil {
		return "", time.Time{}, time.Time{}, fmt.Errorf("auth: signing access token: %w", err)
	}
	// NumericDate has one-second precision: report what the token says.
	return signed, claims.IssuedAt.Time, claims.ExpiresAt.Time, nil
}

// keyFor is the jwt.Keyfunc: the secret named by the header's kid, or an
// error for a missing or unknown kid. The algorithm was already checked
// (WithValidMethods), so an HMAC key never meets an RSA or "none" header.
func (s *Service) keyFor(t *jwt.Token) (any, error) {
	kid, ok := t.Header["kid"].(string)
	if !ok || kid == "" {
		return nil, errors.New("missing kid")
	}
	key, ok := s.keys[kid]
	if !ok {
		return nil, errors.New("unknown kid")
	}
	return key, nil
}

// parseAccess checks an access token's size, algorithm, key, signature and
// claims, without looking at the session.
func (s *Service) parseAccess(token string) (accessClaims, error) {
	if len(token) > MaxAccessTokenBytes {
		return accessClaims{}, errors.New("access token too long")
	}
	if token == "" {
		return accessClaims{}, errors.New("no access token")
	}
	var claims accessClaims
	if _, err := s.parser.ParseWithClaims(token, &claims, s.keyFor); err != nil {
		return accessClaims{}, err
	}
	return claims, nil
}

func newParser(issuer, audience string, now func() time.Time) *jwt.Parser {
	return jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithIssuer(issuer),
		jwt.WithAudience(audience),
		jwt.WithLeeway(Leeway),
		jwt.WithTimeFunc(now),
		jwt.WithStrictDecoding(),
	)
}
