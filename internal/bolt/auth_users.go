package bolt

import (
	"context"
	"fmt"
	"time"

	bbolt "go.etcd.io/bbolt"

	"github.com/cara-coach/cara/internal/auth"
)

// CreateUser implements auth.Store: the user and its e-mail index entry are
// written in one transaction, after checking neither ID nor e-mail is taken.
func (d *DB) CreateUser(ctx context.Context, u auth.User) error {
	if u.ID == "" || u.Email == "" {
		return fmt.Errorf("bolt: create user: empty ID or e-mail")
	}
	raw, err := encodeUser(u)
	if err != nil {
		return fmt.Errorf("bolt: encode user: %w", err)
	}
	return d.update(ctx, func(tx *bbolt.Tx) error {
		b, err := authBucketsOf(tx)
		if err != nil {
			return err
		}
		id, email := []byte(u.ID), []byte(u.Email)
		if b.users.Get(id) != nil || b.byEmail.Get(email) != nil {
			return auth.ErrConflict
		}
		if err := b.users.Put(id, raw); err != nil {
			return err
		}
		return b.byEmail.Put(email, id)
	})
}

// UserByID implements auth.Store.
func (d *DB) UserByID(ctx context.Context, id string) (auth.User, error) {
	var u auth.User
	err := d.view(ctx, func(tx *bbolt.Tx) error {
		b, err := authBucketsOf(tx)
		if err != nil {
			return err
		}
		u, err = b.user(id)
		return err
	})
	if err != nil {
		return auth.User{}, err
	}
	return u, nil
}

// UserByEmail implements auth.Store. The e-mail is matched byte for byte:
// the Service normalises it.
func (d *DB) UserByEmail(ctx context.Context, email string) (auth.User, error) {
	var u auth.User
	err := d.view(ctx, func(tx *bbolt.Tx) error {
		b, err := authBucketsOf(tx)
		if err != nil {
			return err
		}
		id := b.byEmail.Get([]byte(email))
		if id == nil {
			return auth.ErrNotFound
		}
		u, err = b.user(string(id)) // string() copies out of the mmap
		return err
	})
	if err != nil {
		return auth.User{}, err
	}
	return u, nil
}

// SetPassword implements auth.Store: the new hash and the revocation of the
// user's other live sessions commit together or not at all.
func (d *DB) SetPassword(ctx context.Context, userID string, hash []byte, keepSessionID string, now time.Time) error {
	return d.update(ctx, func(tx *bbolt.Tx) error {
		b, err := authBucketsOf(tx)
		if err != nil {
			return err
		}
		u, err := b.user(userID)
		if err != nil {
			return err
		}
		u.PasswordHash = hash // encoded right away; the caller's slice is not kept
		u.UpdatedAt = now
		raw, err := encodeUser(u)
		if err != nil {
			return fmt.Errorf("bolt: encode user: %w", err)
		}
		if err := b.users.Put([]byte(userID), raw); err != nil {
			return err
		}
		ids, err := b.sessionIDsOf(userID)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if id == keepSessionID {
				continue
			}
			s, err := b.session(id)
			if err != nil {
				return fmt.Errorf("bolt: session %q of user %q: %w", id, userID, err)
			}
			if !s.RevokedAt.IsZero() {
				continue
			}
			s.RevokedAt = now
			if err := b.putSession(s); err != nil {
				return err
			}
		}
		return nil
	})
}

// user reads one user record, or auth.ErrNotFound.
func (b authBuckets) user(id string) (auth.User, error) {
	raw := b.users.Get([]byte(id))
	if raw == nil {
		return auth.User{}, auth.ErrNotFound
	}
	return decodeUser([]byte(id), raw)
}
