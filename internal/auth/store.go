package auth

import (
	"context"
	"encoding/hex"
	"errors"
	"time"
)

// Errors a Store returns. They are internal: the Service turns them into
// *cara.Error values for people. Implementations return them as is or wrapped
// (the Service uses errors.Is).
var (
	// ErrNotFound: no user, session or refresh token with that key.
	ErrNotFound = errors.New("auth store: not found")
	// ErrConflict: a user with that ID or e-mail, a session with that ID, or
	// a refresh token with that hash already exists.
	ErrConflict = errors.New("auth store: already exists")
)

// User is an account as stored. Email is normalised (NormalizeEmail) before
// it reaches the Store.
type User struct {
	ID           string // ULID
	Email        string // normalised; unique
	Name         string
	Role         string
	PasswordHash []byte // bcrypt
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Session is one signed-in device. Every refresh token and access token
// belongs to exactly one session; revoking the session kills all of them.
type Session struct {
	ID         string // ULID; the "sid" claim of access tokens
	UserID     string
	Device     string // label shown in the session list
	CreatedAt  time.Time
	LastUsedAt time.Time // set at creation and at every rotation
	ExpiresAt  time.Time // hard cap: CreatedAt + SessionMaxAge
	RevokedAt  time.Time // zero while the session is live
}

// Live reports whether the session can still be used at now.
func (s Session) Live(now time.Time) bool {
	return s.RevokedAt.IsZero() && now.Before(s.ExpiresAt)
}

// TokenHash is the SHA-256 of a refresh token's 32 random bytes. Stores key
// refresh tokens by it and never see the token itself.
type TokenHash [32]byte

// String returns the hash in lower-case hex (handy as a text key).
func (h TokenHash) String() string { return hex.EncodeToString(h[:]) }

// IsZero reports whether h is the zero hash (no token).
func (h TokenHash) IsZero() bool { return h == TokenHash{} }

// RefreshToken is the stored record of one refresh token. Only its hash is
// kept. Once used, it names its successor and keeps the successor's token
// sealed (AES-256-GCM) under a key derived from the used token itself, so
// that a second refresh with the same token inside the grace window can be
// handed the same successor while the store never holds a usable token.
type RefreshToken struct {
	Hash            TokenHash
	SessionID       string
	CreatedAt       time.Time
	ExpiresAt       time.Time // min(CreatedAt + RefreshTokenTTL, session's ExpiresAt)
	UsedAt          time.Time // zero until rotated
	SuccessorHash   TokenHash // zero until rotated
	SealedSuccessor []byte    // nil until rotated; opaque to the Store
}

// Rotation asks RotateRefresh to replace Old by Successor.
type Rotation struct {
	Old TokenHash
	// Successor is the new record: Hash, CreatedAt and ExpiresAt. The store
	// sets its SessionID to Old's and caps its ExpiresAt at the session's.
	Successor RefreshToken
	Sealed    []byte    // stored as Old's SealedSuccessor
	Now       time.Time // judges expiry; stored as Old's UsedAt and the session's LastUsedAt
}

// Allows reports whether RotateRefresh may rotate old, of session sess, at
// r.Now (see Store.RotateRefresh), for stores that check in Go.
func (r Rotation) Allows(old RefreshToken, sess Session) bool {
	return old.UsedAt.IsZero() && r.Now.Before(old.ExpiresAt) && sess.Live(r.Now)
}

// SuccessorIn is r.Successor as stored in session sess: its SessionID, and
// its ExpiresAt capped at the session's.
func (r Rotation) SuccessorIn(sess Session) RefreshToken {
	next := r.Successor
	next.SessionID = sess.ID
	if sess.ExpiresAt.Before(next.ExpiresAt) {
		next.ExpiresAt = sess.ExpiresAt
	}
	return next
}

// Rotated is what RotateRefresh found, and whether it rotated.
type Rotated struct {
	Old     RefreshToken // Old's record as it was before the call
	Session Session      // Old's session as it was before the call
	Done    bool         // Old was rotated: Successor follows it
}

// Throttle is the login-failure state of one account key (a normalised
// e-mail, whether or not an account has it). The zero value means "no
// record".
type Throttle struct {
	Failures      int       // consecutive failed (or pending) attempts
	LastFailureAt time.Time // time of the latest counted attempt
	LockedUntil   time.Time // no attempt is checked before this time
	ExpiresAt     time.Time // Prune may delete the record from this time on
}

// IsZero reports whether t is the zero Throttle ("no record").
func (t Throttle) IsZero() bool {
	return t.Failures == 0 && t.LastFailureAt.IsZero() && t.LockedUntil.IsZero() && t.ExpiresAt.IsZero()
}

// Store is the persistence the auth Service needs. The desktop implements it
// over bbolt, the server over PostgreSQL; internal/auth/memstore is an
// in-memory one for tests. authtest.RunStoreTests checks an implementation
// against the contract below; every implementation must pass it.
//
// General rules:
//   - Methods are safe for concurrent use.
//   - Values passed in and returned are copies: a Store must not keep or hand
//     out slices that the caller can change (copy PasswordHash,
//     SealedSuccessor; in bbolt, copy bytes out before the transaction ends).
//   - Times must round-trip to at least microsecond precision (the zero
//     time.Time must round-trip as zero).
//   - "Not found" is ErrNotFound (errors.Is); uniqueness violations are
//     ErrConflict.
type Store interface {
	// CreateUser inserts u. It fails with ErrConflict if u.ID or u.Email
	// (compared byte for byte: the Service normalises it) is taken, even
	// under concurrent calls.
	CreateUser(ctx context.Context, u User) error
	// UserByID returns the user with that ID, or ErrNotFound.
	UserByID(ctx context.Context, id string) (User, error)
	// UserByEmail returns the user with that exact (normalised) e-mail, or
	// ErrNotFound.
	UserByEmail(ctx context.Context, email string) (User, error)
	// SetPassword, in one transaction, stores hash as the user's password
	// hash, sets UpdatedAt to now and revokes (RevokedAt = now) every live
	// session of the user except keepSessionID ("" revokes all). ErrNotFound
	// if the user does not exist (and nothing changes).
	SetPassword(ctx context.Context, userID string, hash []byte, keepSessionID string, now time.Time) error

	// CreateSession inserts s and its first refresh token in one
	// transaction. ErrConflict if the session ID or token hash exists.
	CreateSession(ctx context.Context, s Session, first RefreshToken) error
	// Session returns the session with that ID (revoked or not), or
	// ErrNotFound. It runs on every access-token check, so it must be a
	// cheap keyed read (a map lookup, a bbolt Get, a primary-key SELECT).
	Session(ctx context.Context, id string) (Session, error)
	// UserSessions returns every session of the user whose RevokedAt is zero,
	// in any order (expired ones included: the Service filters them). An
	// unknown user has none: nil, nil.
	UserSessions(ctx context.Context, userID string) ([]Session, error)
	// RevokeSession sets RevokedAt = now on the session. Revoking a revoked
	// session succeeds and keeps the first RevokedAt. ErrNotFound if there is
	// no such session. Its refresh tokens may be deleted at the same time.
	RevokeSession(ctx context.Context, id string, now time.Time) error

	// RefreshToken returns the refresh-token record with that hash, or
	// ErrNotFound.
	RefreshToken(ctx context.Context, hash TokenHash) (RefreshToken, error)
	// RotateRefresh reads Old with its session and, in the same atomic step
	// (one transaction, linearizable with other RotateRefresh and
	// RevokeSession calls), rotates Old if it may be used at r.Now: Old is
	// unused (UsedAt zero) and r.Now is before its ExpiresAt, and the
	// session is not revoked and r.Now is before its ExpiresAt. Rotating
	// sets Old's UsedAt = r.Now, SuccessorHash = r.Successor.Hash and
	// SealedSuccessor = r.Sealed; inserts r.Successor with Old's SessionID
	// and ExpiresAt = min(r.Successor.ExpiresAt, the session's ExpiresAt);
	// and sets the session's LastUsedAt = r.Now. It is the whole of a
	// refresh's storage work, so a database answers it in one round trip.
	//
	// It returns what it found, as it was before the call, and Done when it
	// rotated; a token that may not be used is not an error (the Service
	// judges why). Errors: ErrNotFound if Old or its session does not exist;
	// ErrConflict if Old would rotate but r.Successor.Hash exists. With an
	// error nothing changes. Any number of concurrent rotations of one token
	// produce exactly one successor; every other call finds Old used, naming
	// it.
	RotateRefresh(ctx context.Context, r Rotation) (Rotated, error)

	// UpdateThrottle atomically reads the throttle record for key (the zero
	// Throttle if there is none), calls fn with it and stores fn's result;
	// a zero result (IsZero) deletes the record. It returns what fn returned. fn is
	// pure and may be called more than once (e.g. on a serialization retry);
	// concurrent calls on one key must not lose updates.
	UpdateThrottle(ctx context.Context, key string, fn func(Throttle) Throttle) (Throttle, error)

	// Prune deletes what can no longer be used at now: refresh tokens with
	// ExpiresAt <= now; sessions that are revoked or have ExpiresAt <= now,
	// with all their refresh tokens; throttle records with ExpiresAt <= now.
	// Users are never pruned. It returns how many records it deleted.
	Prune(ctx context.Context, now time.Time) (int, error)
}
