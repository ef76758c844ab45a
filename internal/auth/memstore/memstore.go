// Package memstore is an in-memory auth.Store for tests and examples. One
// mutex guards everything, which makes every method trivially atomic. It
// passes authtest.RunStoreTests.
package memstore

import (
	"context"
	"sync"
	"time"

	"github.com/cara-coach/cara/internal/auth"
)

// Store is an in-memory auth.Store. The zero value is not usable; call New.
type Store struct {
	mu        sync.RWMutex
	users     map[string]auth.User // by ID
	byEmail   map[string]string    // email → user ID
	sessions  map[string]auth.Session
	refresh   map[auth.TokenHash]auth.RefreshToken
	throttles map[string]auth.Throttle
}

var _ auth.Store = (*Store)(nil)

// New returns an empty Store.
func New() *Store {
	return &Store{
		users:     map[string]auth.User{},
		byEmail:   map[string]string{},
		sessions:  map[string]auth.Session{},
		refresh:   map[auth.TokenHash]auth.RefreshToken{},
		throttles: map[string]auth.Throttle{},
	}
}

func cloneBytes(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append([]byte(nil), b...)
}

func cloneUser(u auth.User) auth.User {
	u.PasswordHash = cloneBytes(u.PasswordHash)
	return u
}

func cloneRefresh(r auth.RefreshToken) auth.RefreshToken {
	r.SealedSuccessor = cloneBytes(r.SealedSuccessor)
	return r
}

// CreateUser implements auth.Store.
func (s *Store) CreateUser(_ context.Context, u auth.User) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.users[u.ID]; ok {
		return auth.ErrConflict
	}
	if _, ok := s.byEmail[u.Email]; ok {
		return auth.ErrConflict
	}
	s.users[u.ID] = cloneUser(u)
	s.byEmail[u.Email] = u.ID
	return nil
}

// UserByID implements auth.Store.
func (s *Store) UserByID(_ context.Context, id string) (auth.User, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	u, ok := s.users[id]
	if !ok {
		return auth.User{}, auth.ErrNotFound
	}
	return cloneUser(u), nil
}

// UserByEmail implements auth.Store.
func (s *Store) UserByEmail(_ context.Context, email string) (auth.User, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	id, ok := s.byEmail[email]
	if !ok {
		return auth.User{}, auth.ErrNotFound
	}
	return cloneUser(s.users[id]), nil
}

// SetPassword implements auth.Store.
func (s *Store) SetPassword(_ context.Context, userID string, hash []byte, keepSessionID string, now time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users[userID]
	if !ok {
		return auth.ErrNotFound
	}
	u.PasswordHash = cloneBytes(hash)
	u.UpdatedAt = now
	s.users[userID] = u
	for id, sess := range s.sessions {
		if sess.UserID == userID && id != keepSessionID && sess.RevokedAt.IsZero() {
			sess.RevokedAt = now
			s.sessions[id] = sess
		}
	}
	return nil
}

// CreateSession implements auth.Store.
func (s *Store) CreateSession(_ context.Context, sess auth.Session, first auth.RefreshToken) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.sessions[sess.ID]; ok {
		return auth.ErrConflict
	}
	if _, ok := s.refresh[first.Hash]; ok {
		return auth.ErrConflict
	}
	s.sessions[sess.ID] = sess
	s.refresh[first.Hash] = cloneRefresh(first)
	return nil
}

// Session implements auth.Store.
func (s *Store) Session(_ context.Context, id string) (auth.Session, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	sess, ok := s.sessions[id]
	if !ok {
		return auth.Session{}, auth.ErrNotFound
	}
	return sess, nil
}

// UserSessions implements auth.Store.
func (s *Store) UserSessions(_ context.Context, userID string) ([]auth.Session, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []auth.Session
	for _, sess := range s.sessions {
		if sess.UserID == userID && sess.RevokedAt.IsZero() {
			out = append(out, sess)
		}
	}
	return out, nil
}

// RevokeSession implements auth.Store.
func (s *Store) RevokeSession(_ context.Context, id string, now time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, ok := s.sessions[id]
	if !ok {
		return auth.ErrNotFound
	}
	if sess.RevokedAt.IsZero() {
		sess.RevokedAt = now
		s.sessions[id] = sess
	}
	return nil
}

// RefreshToken implements auth.Store.
func (s *Store) RefreshToken(_ context.Context, hash auth.TokenHash) (auth.RefreshToken, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, ok := s.refresh[hash]
	if !ok {
		return auth.RefreshToken{}, auth.ErrNotFound
	}
	return cloneRefresh(r), nil
}

// RotateRefresh implements auth.Store.
func (s *Store) RotateRefresh(_ context.Context, r auth.Rotation) (auth.Rotated, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.refresh[r.Old]
	if !ok {
		return auth.Rotated{}, auth.ErrNotFound
	}
	sess, ok := s.sessions[old.SessionID]
	if !ok {
		return auth.Rotated{}, auth.ErrNotFound
	}
	found := auth.Rotated{Old: cloneRefresh(old), Session: sess}
	if !r.Allows(old, sess) {
		return found, nil
	}
	if _, taken := s.refresh[r.Successor.Hash]; taken {
		return auth.Rotated{}, auth.ErrConflict
	}
	old.UsedAt = r.Now
	old.SuccessorHash = r.Successor.Hash
	old.SealedSuccessor = cloneBytes(r.Sealed)
	s.refresh[r.Old] = old
	s.refresh[r.Successor.Hash] = cloneRefresh(r.SuccessorIn(sess))
	sess.LastUsedAt = r.Now
	s.sessions[sess.ID] = sess
	found.Done = true
	return found, nil
}

// UpdateThrottle implements auth.Store.
func (s *Store) UpdateThrottle(_ context.Context, key string, fn func(auth.Throttle) auth.Throttle) (auth.Throttle, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := fn(s.throttles[key])
	if t.IsZero() {
		delete(s.throttles, key)
	} else {
		s.throttles[key] = t
	}
	return t, nil
}

// Prune implements auth.Store.
func (s *Store) Prune(_ context.Context, now time.Time) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	dead := map[string]bool{}
	for id, sess := range s.sessions {
		if !sess.RevokedAt.IsZero() || !now.Before(sess.ExpiresAt) {
			dead[id] = true
			delete(s.sessions, id)
			n++
		}
	}
	for h, r := range s.refresh {
		if dead[r.SessionID] || !now.Before(r.ExpiresAt) {
			delete(s.refresh, h)
			n++
		}
	}
	for k, t := range s.throttles {
		if !now.Before(t.ExpiresAt) {
			delete(s.throttles, k)
			n++
		}
	}
	return n, nil
}

// Stats counts the records held, for tests that check what a Store keeps.
type Stats struct {
	Users, Sessions, RefreshTokens, Throttles int
}

// Stats returns the current record counts.
func (s *Store) Stats() Stats {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return Stats{len(s.users), len(s.sessions), len(s.refresh), len(s.throttles)}
}

// SessionRefreshTokens returns copies of every refresh-token record of a
// session, for tests.
func (s *Store) SessionRefreshTokens(sessionID string) []auth.RefreshToken {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []auth.RefreshToken
	for _, r := range s.refresh {
		if r.SessionID == sessionID {
			out = append(out, cloneRefresh(r))
		}
	}
	return out
}
