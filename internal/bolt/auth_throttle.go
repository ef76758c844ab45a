package bolt

import (
	"bytes"
	"context"
	"fmt"
	"time"

	bbolt "go.etcd.io/bbolt"

	"github.com/cara-coach/cara/internal/auth"
)

// UpdateThrottle implements auth.Store: read, fn, write (or delete) in one
// write transaction, so concurrent updates of a key never lose one. fn runs
// exactly once per call.
func (d *DB) UpdateThrottle(ctx context.Context, key string, fn func(auth.Throttle) auth.Throttle) (auth.Throttle, error) {
	var next auth.Throttle
	err := d.update(ctx, func(tx *bbolt.Tx) error {
		b, err := authBucketsOf(tx)
		if err != nil {
			return err
		}
		k := []byte(key)
		var cur auth.Throttle
		if raw := b.throttle.Get(k); raw != nil {
			if cur, err = decodeThrottle(k, raw); err != nil {
				return err
			}
		}
		next = fn(cur)
		if next.IsZero() {
			return b.throttle.Delete(k)
		}
		raw, err := encodeThrottle(next)
		if err != nil {
			return fmt.Errorf("bolt: encode throttle: %w", err)
		}
		return b.throttle.Put(k, raw)
	})
	if err != nil {
		return auth.Throttle{}, err
	}
	return next, nil
}

// Prune implements auth.Store in one write transaction: sessions that are
// revoked or expired (with their index entries), refresh tokens that expired
// or whose session is gone, and expired throttle records. Users stay.
func (d *DB) Prune(ctx context.Context, now time.Time) (int, error) {
	n := 0
	err := d.update(ctx, func(tx *bbolt.Tx) error {
		n = 0 // in case bbolt ever retries fn
		b, err := authBucketsOf(tx)
		if err != nil {
			return err
		}

		// Sessions first, so that tokens of a pruned session are "gone"
		// below. Keys are collected (copied) before deleting: deleting under
		// a cursor can make it skip entries.
		type dead struct{ id, userID string }
		var deadSessions []dead
		err = b.sessions.ForEach(func(k, v []byte) error {
			s, err := decodeSession(k, v)
			if err != nil {
				return err
			}
			if !s.RevokedAt.IsZero() || !now.Before(s.ExpiresAt) {
				deadSessions = append(deadSessions, dead{string(k), s.UserID})
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, s := range deadSessions {
			if err := b.sessions.Delete([]byte(s.id)); err != nil {
				return err
			}
			if err := b.unindexSession(s.userID, s.id); err != nil {
				return err
			}
			n++
		}

		var deadTokens [][]byte
		err = b.refresh.ForEach(func(k, v []byte) error {
			t, err := decodeRefresh(k, v)
			if err != nil {
				return err
			}
			if !now.Before(t.ExpiresAt) || b.sessions.Get([]byte(t.SessionID)) == nil {
				deadTokens = append(deadTokens, bytes.Clone(k))
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, k := range deadTokens {
			if err := b.refresh.Delete(k); err != nil {
				return err
			}
			n++
		}

		var deadThrottles [][]byte
		err = b.throttle.ForEach(func(k, v []byte) error {
			t, err := decodeThrottle(k, v)
			if err != nil {
				return err
			}
			if !now.Before(t.ExpiresAt) {
				deadThrottles = append(deadThrottles, bytes.Clone(k))
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, k := range deadThrottles {
			if err := b.throttle.Delete(k); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// unindexSession removes a session from its user's index, and the user's
// index bucket once it is empty.
func (b authBuckets) unindexSession(userID, sessionID string) error {
	index := b.userSessions.Bucket([]byte(userID))
	if index == nil {
		return nil
	}
	if err := index.Delete([]byte(sessionID)); err != nil {
		return err
	}
	if k, _ := index.Cursor().First(); k == nil {
		return b.userSessions.DeleteBucket([]byte(userID))
	}
	return nil
}
