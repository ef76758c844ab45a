package postgres

import "context"

// Exec runs SQL directly, for tests that set up unusual states.
func (db *DB) Exec(ctx context.Context, sql string, args ...any) (int64, error) {
	tag, err := db.pool.Exec(ctx, sql, args...)
	return tag.RowsAffected(), err
}

// MigrationLock is the advisory lock Migrate holds.
const MigrationLock = ternLock
