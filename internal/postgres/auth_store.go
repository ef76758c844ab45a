package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cara-coach/cara/internal/auth"
)

var _ auth.Store = (*DB)(nil)

// ts turns the zero time into NULL, so it round-trips as zero.
func ts(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

// tv reads back a nullable timestamptz, in UTC.
func tv(p *time.Time) time.Time {
	if p == nil {
		return time.Time{}
	}
	return p.UTC()
}

func hashOrNil(h auth.TokenHash) any {
	if h.IsZero() {
		return nil
	}
	return h[:]
}

// CreateUser implements auth.Store.
func (db *DB) CreateUser(ctx context.Context, u auth.User) error {
	_, err := db.pool.Exec(ctx,
		`INSERT INTO users (id, email, name, role, password_hash, created_at, updated_at)
		 VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		u.ID, u.Email, u.Name, u.Role, u.PasswordHash, ts(u.CreatedAt), ts(u.UpdatedAt))
	if isUniqueViolation(err) {
		return auth.ErrConflict
	}
	return err
}

const userColumns = `id, email, name, role, password_hash, created_at, updated_at`

func scanUser(row pgx.Row) (auth.User, error) {
	var u auth.User
	var created, updated *time.Time
	err := row.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.PasswordHash, &created, &updated)
	if errors.Is(err, pgx.ErrNoRows) {
		return auth.User{}, auth.ErrNotFound
	}
	if err != nil {
		return auth.User{}, err
	}
	u.CreatedAt, u.UpdatedAt = tv(created), tv(updated)
	return u, nil
}

// UserByID implements auth.Store.
func (db *DB) UserByID(ctx context.Context, id string) (auth.User, error) {
	return scanUser(db.pool.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, id))
}

// UserByEmail implements auth.Store.
func (db *DB) UserByEmail(ctx context.Context, email string) (auth.User, error) {
	return scanUser(db.pool.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE email = $1`, email))
}

// SetPassword implements auth.Store.
func (db *DB) SetPassword(ctx context.Context, userID string, hash []byte, keepSessionID string, now time.Time) error {
	return db.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1`, userID, hash, now)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return auth.ErrNotFound
		}
		_, err = tx.Exec(ctx,
			`UPDATE sessions SET revoked_at = $3
			 WHERE user_id = $1 AND id <> $2 AND revoked_at IS NULL`, userID, keepSessionID, now)
		return err
	})
}

// CreateSession implements auth.Store.
func (db *DB) CreateSession(ctx context.Context, s auth.Session, first auth.RefreshToken) error {
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx,
			`INSERT INTO sessions (id, user_id, device, created_at, last_used_at, expires_at, revoked_at)
			 VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			s.ID, s.UserID, s.Device, ts(s.CreatedAt), ts(s.LastUsedAt), ts(s.ExpiresAt), ts(s.RevokedAt)); err != nil {
			return err
		}
		return insertRefresh(ctx, tx, first)
	})
	if isUniqueViolation(err) {
		return auth.ErrConflict
	}
	return err
}

const insertRefreshSQL = `INSERT INTO refresh_tokens (hash, session_id, created_at, expires_at, used_at, successor_hash, sealed_successor)
 VALUES ($1, $2, $3, $4, $5, $6, $7)`

// refreshArgs are insertRefreshSQL's arguments for r.
func refreshArgs(r auth.RefreshToken) []any {
	return []any{r.Hash[:], r.SessionID, ts(r.CreatedAt), ts(r.ExpiresAt), ts(r.UsedAt), hashOrNil(r.SuccessorHash), r.SealedSuccessor}
}

func insertRefresh(ctx context.Context, tx pgx.Tx, r auth.RefreshToken) error {
	_, err := tx.Exec(ctx, insertRefreshSQL, refreshArgs(r)...)
	return err
}

const sessionColumns = `id, user_id, device, created_at, last_used_at, expires_at, revoked_at`

// sessionScan receives a row of sessionColumns: Scan into dest(), then
// value() is the session.
type sessionScan struct {
	s                                   auth.Session
	created, lastUsed, expires, revoked *time.Time
}

func (x *sessionScan) dest() []any {
	return []any{&x.s.ID, &x.s.UserID, &x.s.Device, &x.created, &x.lastUsed, &x.expires, &x.revoked}
}

func (x *sessionScan) value() auth.Session {
	s := x.s
	s.CreatedAt, s.LastUsedAt, s.ExpiresAt, s.RevokedAt = tv(x.created), tv(x.lastUsed), tv(x.expires), tv(x.revoked)
	return s
}

func scanSession(row pgx.Row) (auth.Session, error) {
	var x sessionScan
	err := row.Scan(x.dest()...)
	if errors.Is(err, pgx.ErrNoRows) {
		return auth.Session{}, auth.ErrNotFound
	}
	if err != nil {
		return auth.Session{}, err
	}
	return x.value(), nil
}

// Session implements auth.Store: one primary-key read.
func (db *DB) Session(ctx context.Context, id string) (auth.Session, error) {
	return scanSession(db.pool.QueryRow(ctx, `SELECT `+sessionColumns+` FROM sessions WHERE id = $1`, id))
}

// UserSessions implements auth.Store.
func (db *DB) UserSessions(ctx context.Context, userID string) ([]auth.Session, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+sessionColumns+` FROM sessions WHERE user_id = $1 AND revoked_at IS NULL`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []auth.Session
	for rows.Next() {
		s, err := scanSession(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// RevokeSession implements auth.Store; the first RevokedAt stays.
func (db *DB) RevokeSession(ctx context.Context, id string, now time.Time) error {
	tag, err := db.pool.Exec(ctx, `UPDATE sessions SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1`, id, now)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return auth.ErrNotFound
	}
	return nil
}

const refreshColumns = `hash, session_id, created_at, expires_at, used_at, successor_hash, sealed_successor`

// refreshScan receives a row of refreshColumns: Scan into dest(), then
// value() is the record.
type refreshScan struct {
	r                      auth.RefreshToken
	hash, successor        []byte
	created, expires, used *time.Time
}

func (x *refreshScan) dest() []any {
	return []any{&x.hash, &x.r.SessionID, &x.created, &x.expires, &x.used, &x.successor, &x.r.SealedSuccessor}
}

func (x *refreshScan) value() (auth.RefreshToken, error) {
	r := x.r
	if len(x.hash) != len(r.Hash) || (x.successor != nil && len(x.successor) != len(r.SuccessorHash)) {
		return auth.RefreshToken{}, fmt.Errorf("postgres: refresh token with a malformed hash")
	}
	copy(r.Hash[:], x.hash)
	copy(r.SuccessorHash[:], x.successor)
	r.CreatedAt, r.ExpiresAt, r.UsedAt = tv(x.created), tv(x.expires), tv(x.used)
	return r, nil
}

func scanRefresh(row pgx.Row) (auth.RefreshToken, error) {
	var x refreshScan
	err := row.Scan(x.dest()...)
	if errors.Is(err, pgx.ErrNoRows) {
		return auth.RefreshToken{}, auth.ErrNotFound
	}
	if err != nil {
		return auth.RefreshToken{}, err
	}
	return x.value()
}

// RefreshToken implements auth.Store.
func (db *DB) RefreshToken(ctx context.Context, hash auth.TokenHash) (auth.RefreshToken, error) {
	return scanRefresh(db.pool.QueryRow(ctx, `SELECT `+refreshColumns+` FROM refresh_tokens WHERE hash = $1`, hash[:]))
}

// rotateSQL is RotateRefresh in one statement, so a refresh is one round
// trip and one commit. "old" reads the token with its session and locks
// both rows (in the order Prune deletes them); a concurrent rotation of the
// same token waits there and, once the winner commits, sees the rows as the
// winner left them (READ COMMITTED re-reads a locked row), so its used_at
// is set and "mark" updates nothing. "mark", "successor" and "touch" write
// only when the token may be used at $2: unused and unexpired, its session
// live. The answer is the token and the session as they were before this
// statement, and whether it rotated.
const rotateSQL = `
WITH old AS (
    SELECT t.hash, t.session_id, t.created_at, t.expires_at, t.used_at, t.successor_hash, t.sealed_successor,
           s.id AS s_id, s.user_id AS s_user_id, s.device AS s_device, s.created_at AS s_created_at,
           s.last_used_at AS s_last_used_at, s.expires_at AS s_expires_at, s.revoked_at AS s_revoked_at
    FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id
    WHERE t.hash = $1
    FOR UPDATE OF t, s
), mark AS (
    UPDATE refresh_tokens r SET used_at = $2, successor_hash = $3, sealed_successor = $4
    FROM old
    WHERE r.hash = old.hash AND old.used_at IS NULL AND $2 < old.expires_at
      AND old.s_revoked_at IS NULL AND $2 < old.s_expires_at
    RETURNING r.hash
), successor AS (
    INSERT INTO refresh_tokens (hash, session_id, created_at, expires_at)
    SELECT $3, old.session_id, $5::timestamptz, LEAST($6::timestamptz, old.s_expires_at)
    FROM old, mark
), touch AS (
    UPDATE sessions s SET last_used_at = $2
    FROM old, mark
    WHERE s.id = old.session_id
)
SELECT old.*, EXISTS (SELECT 1 FROM mark) FROM old`

// RotateRefresh implements auth.Store with rotateSQL.
func (db *DB) RotateRefresh(ctx context.Context, r auth.Rotation) (auth.Rotated, error) {
	var rx refreshScan
	var sx sessionScan
	var done bool
	err := db.pool.QueryRow(ctx, rotateSQL, r.Old[:], r.Now, r.Successor.Hash[:], r.Sealed,
		ts(r.Successor.CreatedAt), ts(r.Successor.ExpiresAt)).
		Scan(append(append(rx.dest(), sx.dest()...), &done)...)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return auth.Rotated{}, auth.ErrNotFound
	case isUniqueViolation(err):
		return auth.Rotated{}, auth.ErrConflict
	case err != nil:
		return auth.Rotated{}, err
	}
	old, err := rx.value()
	if err != nil {
		return auth.Rotated{}, err
	}
	return auth.Rotated{Old: old, Session: sx.value(), Done: done}, nil
}

// UpdateThrottle implements auth.Store. A placeholder row (all NULL, which
// reads as the zero Throttle) is inserted if missing so that SELECT … FOR
// UPDATE has a row to lock even for a key seen for the first time.
func (db *DB) UpdateThrottle(ctx context.Context, key string, fn func(auth.Throttle) auth.Throttle) (auth.Throttle, error) {
	var next auth.Throttle
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO login_throttle (key) VALUES ($1) ON CONFLICT (key) DO NOTHING`, key); err != nil {
			return err
		}
		var cur auth.Throttle
		var last, locked, expires *time.Time
		if err := tx.QueryRow(ctx,
			`SELECT failures, last_failure_at, locked_until, expires_at FROM login_throttle WHERE key = $1 FOR UPDATE`, key).
			Scan(&cur.Failures, &last, &locked, &expires); err != nil {
			return err
		}
		cur.LastFailureAt, cur.LockedUntil, cur.ExpiresAt = tv(last), tv(locked), tv(expires)
		next = fn(cur)
		if next.IsZero() {
			_, err := tx.Exec(ctx, `DELETE FROM login_throttle WHERE key = $1`, key)
			return err
		}
		_, err := tx.Exec(ctx,
			`UPDATE login_throttle SET failures = $2, last_failure_at = $3, locked_until = $4, expires_at = $5 WHERE key = $1`,
			key, next.Failures, ts(next.LastFailureAt), ts(next.LockedUntil), ts(next.ExpiresAt))
		return err
	})
	if err != nil {
		return auth.Throttle{}, err
	}
	return next, nil
}

// Prune implements auth.Store: refresh tokens first (expired ones and those
// of dead sessions), then dead sessions, then stale throttle records.
func (db *DB) Prune(ctx context.Context, now time.Time) (int, error) {
	n := 0
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		n = 0
		steps := []string{
			`DELETE FROM refresh_tokens WHERE expires_at <= $1 OR session_id IN
			   (SELECT id FROM sessions WHERE revoked_at IS NOT NULL OR expires_at <= $1)`,
			`DELETE FROM sessions WHERE revoked_at IS NOT NULL OR expires_at <= $1`,
			`DELETE FROM login_throttle WHERE expires_at <= $1`,
		}
		for _, q := range steps {
			tag, err := tx.Exec(ctx, q, now)
			if err != nil {
				return err
			}
			n += int(tag.RowsAffected())
		}
		return nil
	})
	return n, err
}
