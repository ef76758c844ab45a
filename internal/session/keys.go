package session

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/cara-coach/cara/internal/keychain"
)

// signingSecretBytes is the size of a signing secret (DESIGN §3).
const signingSecretBytes = 32

// signingKeys returns the HMAC secret that signs access tokens and its key
// ID. The secret is made on first run and kept in the keychain under
// KeySigningKey as "<kid>:<base64 secret>".
//
// If the keychain is unavailable, the secret is made for this launch only:
// access tokens live only in memory, so nothing outlives the process that
// would need the old secret. A keychain that answers but cannot store the new
// secret is treated the same way. An existing secret is never overwritten
// after a failed read, so a flaky keychain cannot destroy it.
func (m *Manager) signingKeys(ctx context.Context) (string, map[string][]byte, error) {
	v, err := m.kc.Get(ctx, KeySigningKey)
	switch {
	case err == nil:
		kid, secret, perr := parseSigningKey(v)
		if perr == nil {
			return kid, map[string][]byte{kid: secret}, nil
		}
		m.log.Warn("session: the signing key in the keychain is malformed; replacing it", "err", perr)
	case errors.Is(err, keychain.ErrNotFound):
		// First run: make one below.
	default:
		m.log.Warn("session: keychain unavailable; signing key made for this launch only", "err", err)
		kid, secret, gerr := newSigningKey()
		if gerr != nil {
			return "", nil, gerr
		}
		return kid, map[string][]byte{kid: secret}, nil
	}
	kid, secret, err := newSigningKey()
	if err != nil {
		return "", nil, err
	}
	if err := m.kc.Set(ctx, KeySigningKey, formatSigningKey(kid, secret)); err != nil {
		m.log.Warn("session: could not keep the signing key in the keychain; it lasts for this launch only", "err", err)
	}
	return kid, map[string][]byte{kid: secret}, nil
}

// newSigningKey makes a 32-byte secret with crypto/rand. Its key ID is
// derived from a hash of the secret, so it needs no storage of its own and
// changes whenever the secret does.
func newSigningKey() (string, []byte, error) {
	secret := make([]byte, signingSecretBytes)
	if _, err := rand.Read(secret); err != nil {
		return "", nil, fmt.Errorf("session: making a signing key: %w", err)
	}
	sum := sha256.Sum256(secret)
	return "d" + hex.EncodeToString(sum[:6]), secret, nil
}

func formatSigningKey(kid string, secret []byte) string {
	return kid + ":" + base64.StdEncoding.EncodeToString(secret)
}

func parseSigningKey(v string) (string, []byte, error) {
	kid, enc, ok := strings.Cut(v, ":")
	if !ok || kid == "" || len(kid) > 64 {
		return "", nil, errors.New("want <kid>:<base64 secret>")
	}
	secret, err := base64.StdEncoding.Strict().DecodeString(enc)
	if err != nil {
		return "", nil, errors.New("secret is not base64")
	}
	if len(secret) < signingSecretBytes {
		return "", nil, fmt.Errorf("secret is %d bytes, want at least %d", len(secret), signingSecretBytes)
	}
	return kid, secret, nil
}
