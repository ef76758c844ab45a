package auth

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"
)

// startSession creates a session with its first refresh token and mints an
// access token for it.
func (s *Service) startSession(ctx context.Context, userID, device string, now time.Time) (Tokens, error) {
	sess := Session{
		ID: newID(now), UserID: userID, Device: cleanDevice(device),
		CreatedAt: now, LastUsedAt: now, ExpiresAt: now.Add(SessionMaxAge),
	}
	refresh, err := newRefreshToken()
	if err != nil {
		return Tokens{}, fmt.Errorf("auth: making refresh token: %w", err)
	}
	raw, _ := decodeRefreshToken(refresh)
	rec := RefreshToken{
		Hash: hashToken(raw), SessionID: sess.ID,
		CreatedAt: now, ExpiresAt: refreshExpiry(now, sess),
	}
	if err := s.store.CreateSession(ctx, sess, rec); err != nil {
		return Tokens{}, fmt.Errorf("auth: creating session: %w", err)
	}
	access, accessIat, accessExp, err := s.signAccess(sess, now)
	if err != nil {
		return Tokens{}, err
	}
	return Tokens{
		AccessToken: access, AccessIssuedAt: accessIat, AccessExpiresAt: accessExp,
		RefreshToken: refresh, RefreshExpiresAt: rec.ExpiresAt,
		UserID: userID, SessionID: sess.ID,
	}, nil
}

func refreshExpiry(now time.Time, sess Session) time.Time {
	exp := now.Add(RefreshTokenTTL)
	if sess.ExpiresAt.Before(exp) {
		return sess.ExpiresAt
	}
	return exp
}

// Verify checks an access token: at most 4 KB, HS256 with a known kid, a
// valid signature, iss, aud, exp and iat (10 s leeway), sub, sid and jti
// present, and a session that is still live and belongs to sub. Every
// failure answers ErrSessionExpired (wrapped with the reason, for logs).
//
// The session check is one Store.Session read (a map or bbolt lookup
// in-process), so a revoked session's tokens stop working at once.
func (s *Service) Verify(ctx context.Context, accessToken string) (Identity, error) {
	claims, err := s.parseAccess(accessToken)
	if err != nil {
		return Identity{}, sessionExpired(err.Error())
	}
	sess, err := s.store.Session(ctx, claims.SessionID)
	switch {
	case errors.Is(err, ErrNotFound):
		return Identity{}, sessionExpired("unknown session")
	case err != nil:
		return Identity{}, fmt.Errorf("auth: looking up session: %w", err)
	case sess.UserID != claims.Subject:
		return Identity{}, sessionExpired("session belongs to another user")
	case !sess.Live(s.now()):
		return Identity{}, sessionExpired("session revoked or expired")
	}
	return Identity{
		UserID: claims.Subject, SessionID: claims.SessionID, TokenID: claims.ID,
		IssuedAt: claims.IssuedAt.Time, ExpiresAt: claims.ExpiresAt.Time,
	}, nil
}

// Refresh exchanges a refresh token for a new access token and a new
// refresh token (rotation). The same token used again within 10 s of its
// first use (concurrent refreshes) gets the same successor. Used again
// later, it is taken as stolen: the whole session is revoked. Every failure
// answers ErrSessionExpired.
func (s *Service) Refresh(ctx context.Context, refreshToken string) (Tokens, error) {
	raw, err := decodeRefreshToken(refreshToken)
	if err != nil {
		return Tokens{}, sessionExpired(err.Error())
	}
	hash := hashToken(raw)
	now := s.now()
	// The successor is made up front: the store reads, checks and rotates
	// in one step, so a refresh is one round trip to a database. (For a
	// token that may not be used, it goes unused.)
	successor, err := newRefreshToken()
	if err != nil {
		return Tokens{}, fmt.Errorf("auth: making refresh token: %w", err)
	}
	sealed, err := sealSuccessor(raw, hash, successor)
	if err != nil {
		return Tokens{}, fmt.Errorf("auth: sealing successor: %w", err)
	}
	newRaw, _ := decodeRefreshToken(successor)
	next := RefreshToken{Hash: hashToken(newRaw), CreatedAt: now, ExpiresAt: now.Add(RefreshTokenTTL)}
	got, err := s.store.RotateRefresh(ctx, Rotation{Old: hash, Successor: next, Sealed: sealed, Now: now})
	rec, sess := got.Old, got.Session
	switch {
	case errors.Is(err, ErrNotFound):
		return Tokens{}, sessionExpired("unknown refresh token or session")
	case err != nil:
		return Tokens{}, fmt.Errorf("auth: rotating refresh token: %w", err)
	case got.Done:
		return s.tokensFor(sess, successor, refreshExpiry(now, sess), now)
	case !sess.Live(now):
		return Tokens{}, sessionExpired("session revoked or expired")
	case rec.UsedAt.IsZero():
		// Unused, live session, not rotated: the token has expired. (A used
		// token is judged as a replay below, expired or not.)
		return Tokens{}, sessionExpired("refresh token expired")
	}
	// The token was used before. Within the grace window, hand out the same
	// successor; after it, this is a replay: end the session.
	if now.Sub(rec.UsedAt) > RefreshGrace {
		if err := s.store.RevokeSession(ctx, sess.ID, now); err != nil && !errors.Is(err, ErrNotFound) {
			return Tokens{}, fmt.Errorf("auth: revoking replayed session: %w", err)
		}
		return Tokens{}, fmt.Errorf("%w (%w)", ErrSessionExpired, ErrRefreshReplayed)
	}
	given, err := openSuccessor(raw, hash, rec.SealedSuccessor)
	if err != nil {
		return Tokens{}, fmt.Errorf("auth: opening sealed successor: %w", err)
	}
	current, err := s.store.RefreshToken(ctx, rec.SuccessorHash)
	switch {
	case errors.Is(err, ErrNotFound):
		return Tokens{}, sessionExpired("successor gone")
	case err != nil:
		return Tokens{}, fmt.Errorf("auth: looking up successor: %w", err)
	}
	return s.tokensFor(sess, given, current.ExpiresAt, now)
}

func (s *Service) tokensFor(sess Session, refresh string, refreshExp, now time.Time) (Tokens, error) {
	access, accessIat, accessExp, err := s.signAccess(sess, now)
	if err != nil {
		return Tokens{}, err
	}
	return Tokens{
		AccessToken: access, AccessIssuedAt: accessIat, AccessExpiresAt: accessExp,
		RefreshToken: refresh, RefreshExpiresAt: refreshExp,
		UserID: sess.UserID, SessionID: sess.ID,
	}, nil
}

// Logout ends the session that refreshToken belongs to (any token of the
// session, used or not, will do). Its access and refresh tokens stop
// working at once. An unknown or malformed token is not an error: there is
// nothing left to sign out of.
func (s *Service) Logout(ctx context.Context, refreshToken string) error {
	raw, err := decodeRefreshToken(refreshToken)
	if err != nil {
		return nil
	}
	rec, err := s.store.RefreshToken(ctx, hashToken(raw))
	switch {
	case errors.Is(err, ErrNotFound):
		return nil
	case err != nil:
		return fmt.Errorf("auth: looking up refresh token: %w", err)
	}
	if err := s.store.RevokeSession(ctx, rec.SessionID, s.now()); err != nil && !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("auth: revoking session: %w", err)
	}
	return nil
}

// SessionInfo is one line of the signed-in sessions list.
type SessionInfo struct {
	ID         string    `json:"id"`
	Device     string    `json:"device"`
	CreatedAt  time.Time `json:"createdAt"`
	LastUsedAt time.Time `json:"lastUsedAt"`
	ExpiresAt  time.Time `json:"expiresAt"`
	Current    bool      `json:"current"`
}

// ListSessions returns the user's live sessions, most recently used first;
// currentSessionID's is marked Current.
func (s *Service) ListSessions(ctx context.Context, userID, currentSessionID string) ([]SessionInfo, error) {
	all, err := s.store.UserSessions(ctx, userID)
	if err != nil {
		return nil, fmt.Errorf("auth: listing sessions: %w", err)
	}
	now := s.now()
	out := make([]SessionInfo, 0, len(all))
	for _, x := range all {
		if x.UserID != userID || !x.Live(now) {
			continue
		}
		out = append(out, SessionInfo{
			ID: x.ID, Device: x.Device, CreatedAt: x.CreatedAt, LastUsedAt: x.LastUsedAt,
			ExpiresAt: x.ExpiresAt, Current: x.ID == currentSessionID,
		})
	}
	sortSessions(out)
	return out, nil
}

// RevokeSession signs one of the user's sessions out. A session of another
// user, or one already ended, is ErrSessionNotFound (never "forbidden":
// other users' session IDs are not confirmed to exist).
func (s *Service) RevokeSession(ctx context.Context, userID, sessionID string) error {
	sess, err := s.store.Session(ctx, sessionID)
	now := s.now()
	switch {
	case errors.Is(err, ErrNotFound):
		return ErrSessionNotFound
	case err != nil:
		return fmt.Errorf("auth: looking up session: %w", err)
	case sess.UserID != userID || !sess.Live(now):
		return ErrSessionNotFound
	}
	if err := s.store.RevokeSession(ctx, sessionID, now); err != nil {
		if errors.Is(err, ErrNotFound) {
			return ErrSessionNotFound
		}
		return fmt.Errorf("auth: revoking session: %w", err)
	}
	return nil
}

// Prune deletes expired and revoked sessions, expired refresh tokens and
// stale throttle records. Call it at start-up and now and then (e.g. daily).
func (s *Service) Prune(ctx context.Context) (int, error) {
	return s.store.Prune(ctx, s.now())
}

// sortSessions orders sessions most recently used first (then newest).
func sortSessions(list []SessionInfo) {
	sort.Slice(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if !a.LastUsedAt.Equal(b.LastUsedAt) {
			return a.LastUsedAt.After(b.LastUsedAt)
		}
		return a.ID > b.ID
	})
}
