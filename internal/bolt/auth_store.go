package bolt

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"

	bbolt "go.etcd.io/bbolt"

	"github.com/cara-coach/cara/internal/auth"
)

// DB is the desktop's auth.Store (DESIGN §3, §4; buckets: see DB). Every
// method runs in one bbolt transaction and bbolt runs one writer at a time,
// so read-modify-write methods (RotateRefresh, UpdateThrottle, …) are
// linearizable. Times are stored as Unix microseconds, absent for the zero
// time.
var _ auth.Store = (*DB)(nil)

var (
	bucketUsers        = []byte("users")
	bucketUsersByEmail = []byte("users_by_email")
	bucketSessions     = []byte("sessions")
	bucketUserSessions = []byte("user_sessions")
	bucketRefresh      = []byte("refresh_tokens")
	bucketThrottle     = []byte("throttle")
)

// authRecordVersion is the "v" of every auth record this build writes.
const authRecordVersion = 1

// createAuthBuckets is migration 1 → 2: the account buckets.
func createAuthBuckets(tx *bbolt.Tx) error {
	for _, name := range [][]byte{bucketUsers, bucketUsersByEmail, bucketSessions, bucketUserSessions, bucketRefresh, bucketThrottle} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return nil
}

// view and update run fn in a read or write transaction unless ctx is done.
func (d *DB) view(ctx context.Context, fn func(tx *bbolt.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return d.bolt.View(fn)
}

func (d *DB) update(ctx context.Context, fn func(tx *bbolt.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return d.bolt.Update(fn)
}

// --- times -----------------------------------------------------------------

// toMicros stores t as Unix microseconds; the zero time is nil (omitted), so
// it stays distinguishable from the Unix epoch. Sub-microsecond digits are
// dropped.
func toMicros(t time.Time) *int64 {
	if t.IsZero() {
		return nil
	}
	us := t.UnixMicro()
	return &us
}

// fromMicros is the inverse of toMicros, in UTC.
func fromMicros(us *int64) time.Time {
	if us == nil {
		return time.Time{}
	}
	return time.UnixMicro(*us).UTC()
}

// --- records ---------------------------------------------------------------

type userRecord struct {
	V            int    `json:"v"`
	ID           string `json:"id"`
	Email        string `json:"email"`
	Name         string `json:"name"`
	Role         string `json:"role"`
	PasswordHash []byte `json:"password_hash"`
	CreatedAt    *int64 `json:"created_us,omitempty"`
	UpdatedAt    *int64 `json:"updated_us,omitempty"`
}

type sessionRecord struct {
	V          int    `json:"v"`
	ID         string `json:"id"`
	UserID     string `json:"user_id"`
	Device     string `json:"device"`
	CreatedAt  *int64 `json:"created_us,omitempty"`
	LastUsedAt *int64 `json:"last_used_us,omitempty"`
	ExpiresAt  *int64 `json:"expires_us,omitempty"`
	RevokedAt  *int64 `json:"revoked_us,omitempty"`
}

// refreshRecord is keyed by the token hash, so the hash is not repeated.
type refreshRecord struct {
	V               int    `json:"v"`
	SessionID       string `json:"session_id"`
	CreatedAt       *int64 `json:"created_us,omitempty"`
	ExpiresAt       *int64 `json:"expires_us,omitempty"`
	UsedAt          *int64 `json:"used_us,omitempty"`
	SuccessorHash   string `json:"successor,omitempty"` // lower-case hex
	SealedSuccessor []byte `json:"sealed,omitempty"`
}

type throttleRecord struct {
	V             int    `json:"v"`
	Failures      int    `json:"failures"`
	LastFailureAt *int64 `json:"last_failure_us,omitempty"`
	LockedUntil   *int64 `json:"locked_until_us,omitempty"`
	ExpiresAt     *int64 `json:"expires_us,omitempty"`
}

// versioned is a stored record with a "v" field.
type versioned interface{ version() int }

func (r *userRecord) version() int     { return r.V }
func (r *sessionRecord) version() int  { return r.V }
func (r *refreshRecord) version() int  { return r.V }
func (r *throttleRecord) version() int { return r.V }

// decode unmarshals a stored auth record into rec (which copies it out of
// the mmap) and checks its version.
func decode(what string, key, raw []byte, rec versioned) error {
	if err := json.Unmarshal(raw, rec); err != nil {
		return fmt.Errorf("bolt: decode %s %s: %w", what, printKey(key), err)
	}
	if got := rec.version(); got != authRecordVersion {
		return fmt.Errorf("bolt: %s %s has record version %d, want %d", what, printKey(key), got, authRecordVersion)
	}
	return nil
}

// printKey shows a key in an error: text quoted, binary (token hashes) in hex.
func printKey(key []byte) string {
	if utf8.Valid(key) {
		return strconv.Quote(string(key))
	}
	return hex.EncodeToString(key)
}

func encodeUser(u auth.User) ([]byte, error) {
	return json.Marshal(userRecord{
		V: authRecordVersion, ID: u.ID, Email: u.Email, Name: u.Name, Role: u.Role,
		PasswordHash: u.PasswordHash, CreatedAt: toMicros(u.CreatedAt), UpdatedAt: toMicros(u.UpdatedAt),
	})
}

func decodeUser(key, raw []byte) (auth.User, error) {
	var r userRecord
	if err := decode("user", key, raw, &r); err != nil {
		return auth.User{}, err
	}
	return auth.User{
		ID: r.ID, Email: r.Email, Name: r.Name, Role: r.Role, PasswordHash: r.PasswordHash,
		CreatedAt: fromMicros(r.CreatedAt), UpdatedAt: fromMicros(r.UpdatedAt),
	}, nil
}

func encodeSession(s auth.Session) ([]byte, error) {
	return json.Marshal(sessionRecord{
		V: authRecordVersion, ID: s.ID, UserID: s.UserID, Device: s.Device,
		CreatedAt: toMicros(s.CreatedAt), LastUsedAt: toMicros(s.LastUsedAt),
		ExpiresAt: toMicros(s.ExpiresAt), RevokedAt: toMicros(s.RevokedAt),
	})
}

func decodeSession(key, raw []byte) (auth.Session, error) {
	var r sessionRecord
	if err := decode("session", key, raw, &r); err != nil {
		return auth.Session{}, err
	}
	return auth.Session{
		ID: r.ID, UserID: r.UserID, Device: r.Device,
		CreatedAt: fromMicros(r.CreatedAt), LastUsedAt: fromMicros(r.LastUsedAt),
		ExpiresAt: fromMicros(r.ExpiresAt), RevokedAt: fromMicros(r.RevokedAt),
	}, nil
}

func encodeRefresh(t auth.RefreshToken) ([]byte, error) {
	rec := refreshRecord{
		V: authRecordVersion, SessionID: t.SessionID,
		CreatedAt: toMicros(t.CreatedAt), ExpiresAt: toMicros(t.ExpiresAt), UsedAt: toMicros(t.UsedAt),
		SealedSuccessor: t.SealedSuccessor,
	}
	if !t.SuccessorHash.IsZero() {
		rec.SuccessorHash = t.SuccessorHash.String()
	}
	return json.Marshal(rec)
}

// decodeRefresh rebuilds a token record; key is its hash.
func decodeRefresh(key, raw []byte) (auth.RefreshToken, error) {
	var r refreshRecord
	if err := decode("refresh token", key, raw, &r); err != nil {
		return auth.RefreshToken{}, err
	}
	t := auth.RefreshToken{
		SessionID: r.SessionID,
		CreatedAt: fromMicros(r.CreatedAt), ExpiresAt: fromMicros(r.ExpiresAt), UsedAt: fromMicros(r.UsedAt),
		SealedSuccessor: r.SealedSuccessor,
	}
	if len(key) != len(t.Hash) {
		return auth.RefreshToken{}, fmt.Errorf("bolt: refresh token key has %d bytes, want %d", len(key), len(t.Hash))
	}
	copy(t.Hash[:], key)
	if r.SuccessorHash != "" {
		b, err := hex.DecodeString(r.SuccessorHash)
		if err != nil || len(b) != len(t.SuccessorHash) {
			return auth.RefreshToken{}, fmt.Errorf("bolt: refresh token %x has a bad successor hash %q", key, r.SuccessorHash)
		}
		copy(t.SuccessorHash[:], b)
	}
	return t, nil
}

func encodeThrottle(t auth.Throttle) ([]byte, error) {
	return json.Marshal(throttleRecord{
		V: authRecordVersion, Failures: t.Failures,
		LastFailureAt: toMicros(t.LastFailureAt), LockedUntil: toMicros(t.LockedUntil), ExpiresAt: toMicros(t.ExpiresAt),
	})
}

func decodeThrottle(key, raw []byte) (auth.Throttle, error) {
	var r throttleRecord
	if err := decode("throttle", key, raw, &r); err != nil {
		return auth.Throttle{}, err
	}
	return auth.Throttle{
		Failures:      r.Failures,
		LastFailureAt: fromMicros(r.LastFailureAt), LockedUntil: fromMicros(r.LockedUntil), ExpiresAt: fromMicros(r.ExpiresAt),
	}, nil
}

// authBuckets are the account buckets of one transaction.
type authBuckets struct {
	users, byEmail, sessions, userSessions, refresh, throttle *bbolt.Bucket
}

// authBucketsOf looks the account buckets up; the 1 → 2 migration made them.
func authBucketsOf(tx *bbolt.Tx) (authBuckets, error) {
	b := authBuckets{
		users: tx.Bucket(bucketUsers), byEmail: tx.Bucket(bucketUsersByEmail),
		sessions: tx.Bucket(bucketSessions), userSessions: tx.Bucket(bucketUserSessions),
		refresh: tx.Bucket(bucketRefresh), throttle: tx.Bucket(bucketThrottle),
	}
	if b.users == nil || b.byEmail == nil || b.sessions == nil || b.userSessions == nil || b.refresh == nil || b.throttle == nil {
		return authBuckets{}, fmt.Errorf("bolt: account buckets missing (schema not migrated)")
	}
	return b, nil
}

// session reads one session record in tx, or auth.ErrNotFound.
func (b authBuckets) session(id string) (auth.Session, error) {
	raw := b.sessions.Get([]byte(id))
	if raw == nil {
		return auth.Session{}, auth.ErrNotFound
	}
	return decodeSession([]byte(id), raw)
}

func (b authBuckets) putSession(s auth.Session) error {
	raw, err := encodeSession(s)
	if err != nil {
		return err
	}
	return b.sessions.Put([]byte(s.ID), raw)
}
