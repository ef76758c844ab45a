package bolt

import (
	"context"
	"errors"
	"fmt"
	"time"

	bbolt "go.etcd.io/bbolt"

	"github.com/cara-coach/cara/internal/auth"
)

// CreateSession implements auth.Store: the session, its entry in the user's
// session index and its first refresh token commit together.
func (d *DB) CreateSession(ctx context.Context, s auth.Session, first auth.RefreshToken) error {
	if s.ID == "" || s.UserID == "" {
		return fmt.Errorf("bolt: create session: empty session or user ID")
	}
	sessRaw, err := encodeSession(s)
	if err != nil {
		return fmt.Errorf("bolt: encode session: %w", err)
	}
	tokRaw, err := encodeRefresh(first)
	if err != nil {
		return fmt.Errorf("bolt: encode refresh token: %w", err)
	}
	return d.update(ctx, func(tx *bbolt.Tx) error {
		b, err := authBucketsOf(tx)
		if err != nil {
			return err
		}
		id := []byte(s.ID)
		if b.sessions.Get(id) != nil || b.refresh.Get(first.Hash[:]) != nil {
			return auth.ErrConflict
		}
		if err := b.sessions.Put(id, sessRaw); err != nil {
			return err
		}
		index, err := b.userSessions.CreateBucketIfNotExists([]byte(s.UserID))
		if err != nil {
			return fmt.Errorf("bolt: session index of user %q: %w", s.UserID, err)
		}
		if err := index.Put(id, []byte{}); err != nil {
			return err
		}
		return b.refresh.Put(first.Hash[:], tokRaw)
	})
}

// Session implements auth.Store with one keyed Get.
func (d *DB) Session(ctx context.Context, id string) (auth.Session, error) {
	var s auth.Session
	err := d.view(ctx, func(tx *bbolt.Tx) error {
		b, err := authBucketsOf(tx)
		if err != nil {
			return err
		}
		s, err = b.session(id)
		return err
	})
	if err != nil {
		return auth.Session{}, err
	}
	return s, nil
}

// UserSessions implements auth.Store: the user's unrevoked sessions, found
// through the per-user index.
func (d *DB) UserSessions(ctx context.Context, userID string) ([]auth.Session, error) {
	var out []auth.Session
	err := d.view(ctx, func(tx *bbolt.Tx) error {
		b, err := authBucketsOf(tx)
		if err != nil {
			return err
		}
		ids, err := b.sessionIDsOf(userID)
		if err != nil {
			return err
		}
		for _, id := range ids {
			s, err := b.session(id)
			if err != nil {
				return fmt.Errorf("bolt: session %q of user %q: %w", id, userID, err)
			}
			if s.RevokedAt.IsZero() {
				out = append(out, s)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// RevokeSession implements auth.Store. Revoking the session is what revokes
// every refresh token of it: RotateRefresh refuses tokens of a revoked
// session in the same transaction that reads the session. The token records
// stay until Prune, so a replayed token is still recognised.
func (d *DB) RevokeSession(ctx context.Context, id string, now time.Time) error {
	return d.update(ctx, func(tx *bbolt.Tx) error {
		b, err := authBucketsOf(tx)
		if err != nil {
			return err
		}
		s, err := b.session(id)
		if err != nil {
			return err
		}
		if !s.RevokedAt.IsZero() {
			return nil // keep the first RevokedAt
		}
		s.RevokedAt = now
		return b.putSession(s)
	})
}

// RefreshToken implements auth.Store.
func (d *DB) RefreshToken(ctx context.Context, hash auth.TokenHash) (auth.RefreshToken, error) {
	var t auth.RefreshToken
	err := d.view(ctx, func(tx *bbolt.Tx) error {
		b, err := authBucketsOf(tx)
		if err != nil {
			return err
		}
		raw := b.refresh.Get(hash[:])
		if raw == nil {
			return auth.ErrNotFound
		}
		t, err = decodeRefresh(hash[:], raw)
		return err
	})
	if err != nil {
		return auth.RefreshToken{}, err
	}
	return t, nil
}

// RotateRefresh implements auth.Store in one write transaction; bbolt runs
// one writer at a time, so concurrent rotations of a token are serialised
// and exactly one of them wins. A token that may not be rotated rolls the
// transaction back: nothing is written to disk.
func (d *DB) RotateRefresh(ctx context.Context, r auth.Rotation) (auth.Rotated, error) {
	var found auth.Rotated
	err := d.update(ctx, func(tx *bbolt.Tx) error {
		b, err := authBucketsOf(tx)
		if err != nil {
			return err
		}
		raw := b.refresh.Get(r.Old[:])
		if raw == nil {
			return auth.ErrNotFound
		}
		old, err := decodeRefresh(r.Old[:], raw)
		if err != nil {
			return err
		}
		sess, err := b.session(old.SessionID)
		if err != nil {
			return err // ErrNotFound included
		}
		found = auth.Rotated{Old: old, Session: sess}
		if !r.Allows(old, sess) {
			return errNoRotation
		}
		if b.refresh.Get(r.Successor.Hash[:]) != nil {
			return auth.ErrConflict
		}
		succRaw, err := encodeRefresh(r.SuccessorIn(sess))
		if err != nil {
			return fmt.Errorf("bolt: encode refresh token: %w", err)
		}
		old.UsedAt = r.Now
		old.SuccessorHash = r.Successor.Hash
		old.SealedSuccessor = append([]byte(nil), r.Sealed...)
		oldRaw, err := encodeRefresh(old)
		if err != nil {
			return fmt.Errorf("bolt: encode refresh token: %w", err)
		}
		if err := b.refresh.Put(r.Old[:], oldRaw); err != nil {
			return err
		}
		if err := b.refresh.Put(r.Successor.Hash[:], succRaw); err != nil {
			return err
		}
		sess.LastUsedAt = r.Now
		if err := b.putSession(sess); err != nil {
			return err
		}
		found.Done = true
		return nil
	})
	switch {
	case err == nil, errors.Is(err, errNoRotation):
		return found, nil
	default:
		return auth.Rotated{}, err
	}
}

// errNoRotation rolls back RotateRefresh's transaction when the token may
// not be rotated; the caller gets what was found, not an error.
var errNoRotation = errors.New("bolt: token may not be rotated")

// sessionIDsOf lists the session IDs in the user's index (copied out).
func (b authBuckets) sessionIDsOf(userID string) ([]string, error) {
	index := b.userSessions.Bucket([]byte(userID))
	if index == nil {
		return nil, nil
	}
	var ids []string
	err := index.ForEach(func(k, _ []byte) error {
		ids = append(ids, string(k))
		return nil
	})
	return ids, err
}
