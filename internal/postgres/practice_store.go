package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cara-coach/cara/internal/practice"
)

var _ practice.Store = (*DB)(nil)

const practiceColumns = `id, user_id, feature_type, title, status, score, duration_seconds, data, created_at, updated_at, completed_at`

func scanPractice(row pgx.Row) (practice.Session, error) {
	var s practice.Session
	var score *int32
	var completed *time.Time
	var duration int32
	err := row.Scan(&s.ID, &s.UserID, &s.FeatureType, &s.Title, &s.Status, &score, &duration, &s.Data,
		&s.CreatedAt, &s.UpdatedAt, &completed)
	if errors.Is(err, pgx.ErrNoRows) {
		return practice.Session{}, practice.ErrNotFound
	}
	if err != nil {
		return practice.Session{}, err
	}
	if score != nil {
		v := int(*score)
		s.Score = &v
	}
	if completed != nil {
		c := completed.UTC()
		s.CompletedAt = &c
	}
	if s.Data == nil {
		s.Data = json.RawMessage(`{}`)
	}
	s.DurationSeconds = int(duration)
	s.CreatedAt, s.UpdatedAt = s.CreatedAt.UTC(), s.UpdatedAt.UTC()
	return s, nil
}

// dataOrEmpty is d as a jsonb argument; pgx sends a json.RawMessage as is.
func dataOrEmpty(d json.RawMessage) json.RawMessage {
	if d == nil {
		return json.RawMessage(`{}`)
	}
	return d
}

// CreatePracticeSession implements practice.Store.
func (db *DB) CreatePracticeSession(ctx context.Context, s practice.Session) error {
	_, err := db.pool.Exec(ctx,
		`INSERT INTO practice_sessions (`+practiceColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		s.ID, s.UserID, s.FeatureType, s.Title, s.Status, s.Score, s.DurationSeconds, dataOrEmpty(s.Data),
		s.CreatedAt, s.UpdatedAt, s.CompletedAt)
	return err
}

// PracticeSession implements practice.Store.
func (db *DB) PracticeSession(ctx context.Context, userID, id string) (practice.Session, error) {
	return scanPractice(db.pool.QueryRow(ctx,
		`SELECT `+practiceColumns+` FROM practice_sessions WHERE id = $1 AND user_id = $2`, id, userID))
}

// UpdatePracticeSession implements practice.Store: read under a row lock,
// apply, write back.
func (db *DB) UpdatePracticeSession(ctx context.Context, userID, id string, p practice.Patch, now time.Time) (practice.Session, error) {
	var out practice.Session
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		cur, err := scanPractice(tx.QueryRow(ctx,
			`SELECT `+practiceColumns+` FROM practice_sessions WHERE id = $1 AND user_id = $2 FOR UPDATE`, id, userID))
		if err != nil {
			return err
		}
		next := p.Apply(cur, now)
		if _, err := tx.Exec(ctx,
			`UPDATE practice_sessions SET title = $3, status = $4, score = $5, duration_seconds = $6, data = $7,
			   updated_at = $8, completed_at = $9 WHERE id = $1 AND user_id = $2`,
			id, userID, next.Title, next.Status, next.Score, next.DurationSeconds, dataOrEmpty(next.Data),
			next.UpdatedAt, next.CompletedAt); err != nil {
			return err
		}
		out = next
		return nil
	})
	if err != nil {
		return practice.Session{}, err
	}
	out.UpdatedAt = out.UpdatedAt.UTC()
	return out, nil
}

// PracticeSessions implements practice.Store.
func (db *DB) PracticeSessions(ctx context.Context, userID string, f practice.Filter) ([]practice.Session, int, error) {
	var total int
	if err := db.pool.QueryRow(ctx,
		`SELECT count(*) FROM practice_sessions WHERE user_id = $1 AND ($2 = '' OR feature_type = $2)`,
		userID, f.FeatureType).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := db.pool.Query(ctx,
		`SELECT `+practiceColumns+` FROM practice_sessions
		 WHERE user_id = $1 AND ($2 = '' OR feature_type = $2)
		 ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4`,
		userID, f.FeatureType, f.Limit, f.Offset)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []practice.Session{}
	for rows.Next() {
		s, err := scanPractice(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, s)
	}
	return out, total, rows.Err()
}

// AddEvent implements practice.Store.
func (db *DB) AddEvent(ctx context.Context, e practice.Event) error {
	var props any
	if e.Properties != nil {
		props = e.Properties
	}
	_, err := db.pool.Exec(ctx,
		`INSERT INTO analytics_events (id, user_id, event_type, feature_type, properties, created_at)
		 VALUES ($1, $2, $3, $4, $5, $6)`,
		e.ID, e.UserID, e.EventType, e.FeatureType, props, e.CreatedAt)
	return err
}

// Summaries implements practice.Store with two grouped queries.
func (db *DB) Summaries(ctx context.Context, userID string, now time.Time) ([]practice.FeatureSummary, error) {
	byFeature := map[string]*practice.FeatureSummary{}
	get := func(f string) *practice.FeatureSummary {
		if s, ok := byFeature[f]; ok {
			return s
		}
		s := &practice.FeatureSummary{FeatureType: f}
		byFeature[f] = s
		return s
	}
	rows, err := db.pool.Query(ctx,
		`SELECT feature_type, count(*),
		        count(*) FILTER (WHERE status = 'completed'),
		        count(score), coalesce(sum(score), 0), coalesce(sum(duration_seconds), 0),
		        min(created_at), max(updated_at),
		        count(*) FILTER (WHERE created_at > $2::timestamptz - interval '7 days' AND created_at <= $2::timestamptz),
		        count(*) FILTER (WHERE completed_at > $2::timestamptz - interval '30 days' AND completed_at <= $2::timestamptz)
		 FROM practice_sessions WHERE user_id = $1 GROUP BY feature_type`, userID, now)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var f string
		var n, done, scored, since7, since30 int
		var scoreSum, dur int64
		var first, last time.Time
		if err := rows.Scan(&f, &n, &done, &scored, &scoreSum, &dur, &first, &last, &since7, &since30); err != nil {
			rows.Close()
			return nil, err
		}
		s := get(f)
		s.Sessions, s.Completed, s.Scored, s.ScoreSum, s.DurationSeconds = n, done, scored, int(scoreSum), int(dur)
		s.FirstUsedAt, s.LastUsedAt = first.UTC(), last.UTC()
		s.SessionsSince7d, s.CompletedSince30d = since7, since30
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = db.pool.Query(ctx,
		`SELECT feature_type, count(*), min(created_at), max(created_at)
		 FROM analytics_events WHERE user_id = $1 AND feature_type <> '' GROUP BY feature_type`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var f string
		var n int
		var first, last time.Time
		if err := rows.Scan(&f, &n, &first, &last); err != nil {
			return nil, err
		}
		s := get(f)
		s.Events = n
		if s.FirstUsedAt.IsZero() || first.Before(s.FirstUsedAt) {
			s.FirstUsedAt = first.UTC()
		}
		if last.After(s.LastUsedAt) {
			s.LastUsedAt = last.UTC()
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]practice.FeatureSummary, 0, len(byFeature))
	for _, s := range byFeature {
		out = append(out, *s)
	}
	return out, nil
}

// AddUsage implements practice.Store with one upsert.
func (db *DB) AddUsage(ctx context.Context, userID, day string, tokens int) (int, error) {
	var total int64
	err := db.pool.QueryRow(ctx,
		`INSERT INTO gemini_usage (user_id, day, tokens) VALUES ($1, $2::date, $3)
		 ON CONFLICT (user_id, day) DO UPDATE SET tokens = gemini_usage.tokens + EXCLUDED.tokens
		 RETURNING tokens`, userID, day, tokens).Scan(&total)
	return int(total), err
}

// Usage implements practice.Store.
func (db *DB) Usage(ctx context.Context, userID, day string) (int, error) {
	var total int64
	err := db.pool.QueryRow(ctx, `SELECT tokens FROM gemini_usage WHERE user_id = $1 AND day = $2::date`, userID, day).Scan(&total)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	return int(total), err
}

// ReserveUsage implements practice.Store: the row is created if need be
// and locked, so concurrent reservations queue on it and each sees what
// the ones before it took.
func (db *DB) ReserveUsage(ctx context.Context, userID, day string, want, limit int) (int, practice.DayUsage, error) {
	var granted int64
	var after practice.DayUsage
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var used, reserved int64
		if err := tx.QueryRow(ctx,
			`INSERT INTO gemini_usage AS u (user_id, day) VALUES ($1, $2::date)
			 ON CONFLICT (user_id, day) DO UPDATE SET tokens = u.tokens
			 RETURNING tokens, reserved`, userID, day).Scan(&used, &reserved); err != nil {
			return err
		}
		granted = min(int64(max(want, 0)), max(int64(limit)-used-reserved, 0))
		if granted > 0 {
			if _, err := tx.Exec(ctx,
				`UPDATE gemini_usage SET reserved = reserved + $3 WHERE user_id = $1 AND day = $2::date`,
				userID, day, granted); err != nil {
				return err
			}
		}
		after = practice.DayUsage{Used: int(used), Reserved: int(reserved + granted)}
		return nil
	})
	if err != nil {
		return 0, practice.DayUsage{}, err
	}
	return int(granted), after, nil
}

// SettleUsage implements practice.Store with one upsert.
func (db *DB) SettleUsage(ctx context.Context, userID, day string, reserved, spent int) (practice.DayUsage, error) {
	var used, held int64
	err := db.pool.QueryRow(ctx,
		`INSERT INTO gemini_usage AS u (user_id, day, tokens) VALUES ($1, $2::date, $4)
		 ON CONFLICT (user_id, day) DO UPDATE
		   SET tokens = u.tokens + EXCLUDED.tokens, reserved = GREATEST(u.reserved - $3, 0)
		 RETURNING tokens, reserved`, userID, day, max(reserved, 0), max(spent, 0)).Scan(&used, &held)
	return practice.DayUsage{Used: int(used), Reserved: int(held)}, err
}
