// Package postgres is cara-server's PostgreSQL storage: the auth.Store and
// the practice.Store over pgx, with versioned SQL migrations embedded in the
// binary (migrations/NNN_name.sql, applied by tern under an advisory lock so
// many instances can start at once).
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/tern/v2/migrate"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// versionTable is where tern records the applied schema version.
const versionTable = "schema_version"

// DB is an open connection pool. It implements auth.Store and practice.Store.
type DB struct {
	pool *pgxpool.Pool
}

// defaultMaxConns is the pool size unless DATABASE_URL sets pool_max_conns.
const defaultMaxConns = 20

// Open connects to the database at url (a postgres:// URL or DSN) and checks
// that it answers. It does not migrate: call Migrate.
func Open(ctx context.Context, url string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// pgx's message can quote the URL, password included: keep it out.
		return nil, errors.New("DATABASE_URL is not a valid PostgreSQL connection string")
	}
	if !strings.Contains(url, "pool_max_conns") {
		// pgxpool's default (the CPU count, at least 4) queues a busy API
		// server behind a few connections; PostgreSQL handles more, and
		// concurrent commits share their fsyncs.
		cfg.MaxConns = max(defaultMaxConns, cfg.MaxConns)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := pool.Ping(pingCtx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect to PostgreSQL at %s:%d: %w", cfg.ConnConfig.Host, cfg.ConnConfig.Port, redact(err))
	}
	return &DB{pool: pool}, nil
}

// redact drops details of a connection error that could echo credentials,
// keeping PostgreSQL's own message (e.g. "password authentication failed").
func redact(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return fmt.Errorf("%s (SQLSTATE %s)", pgErr.Message, pgErr.Code)
	}
	return err
}

// Close closes the pool, waiting for connections in use to be returned.
func (db *DB) Close() { db.pool.Close() }

// Ping checks the database answers (for /readyz).
func (db *DB) Ping(ctx context.Context) error { return db.pool.Ping(ctx) }

// Migrations returns the embedded migration files (NNN_name.sql).
func Migrations() fs.FS {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		panic(err) // the embed pattern guarantees the folder
	}
	return sub
}

// LatestVersion is the schema version this build migrates to.
func LatestVersion() int {
	names, err := migrate.FindMigrations(Migrations())
	if err != nil {
		panic(err)
	}
	return len(names)
}

// ternLock is tern's advisory lock number (tern/v2 migrate.lockNum).
// Migrate takes it before reading the version so that the read, the "newer
// than this build" check and tern's migration are one critical section;
// session-level advisory locks are re-entrant, so tern's own lock on the
// same connection just nests.
const ternLock = int64(9628173550095224)

// Migrate applies every migration not yet applied, each in its own
// transaction, and returns the versions before and after, both read under
// the migration lock, so of several instances starting together exactly
// one reports the change and the others find it done. A database at a
// newer version than this build knows is refused.
func (db *DB) Migrate(ctx context.Context) (from, to int, err error) {
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("migrate: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", ternLock); err != nil {
		return 0, 0, fmt.Errorf("migrate: take the migration lock: %w", err)
	}
	defer func() {
		// A failed unlock leaves the lock on a connection that is then
		// dropped rather than reused, which ends its session and the lock.
		if _, uerr := conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", ternLock); uerr != nil {
			conn.Conn().Close(context.WithoutCancel(ctx))
		}
	}()
	m, err := migrate.NewMigrator(ctx, conn.Conn(), versionTable)
	if err != nil {
		return 0, 0, fmt.Errorf("migrate: %w", err)
	}
	if err := m.LoadMigrations(Migrations()); err != nil {
		return 0, 0, fmt.Errorf("migrate: load migrations: %w", err)
	}
	cur, err := m.GetCurrentVersion(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("migrate: read version: %w", err)
	}
	if int(cur) > len(m.Migrations) {
		return int(cur), int(cur), fmt.Errorf("the database schema is at version %d but this cara-server knows only up to %d: update cara-server", cur, len(m.Migrations))
	}
	if err := m.Migrate(ctx); err != nil {
		return int(cur), int(cur), fmt.Errorf("migrate: %w", err)
	}
	after, err := m.GetCurrentVersion(ctx)
	if err != nil {
		return int(cur), int(cur), fmt.Errorf("migrate: read version: %w", err)
	}
	return int(cur), int(after), nil
}

// SchemaVersion reads the applied schema version (0 before any migration).
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	var exists bool
	if err := db.pool.QueryRow(ctx, "SELECT to_regclass($1) IS NOT NULL", versionTable).Scan(&exists); err != nil {
		return 0, err
	}
	if !exists {
		return 0, nil
	}
	var v int32
	err := db.pool.QueryRow(ctx, "SELECT version FROM "+versionTable).Scan(&v)
	return int(v), err
}

// inTx runs fn in a transaction, committing if it returns nil. A
// serialization failure or deadlock (possible when many requests touch one
// row) is retried a few times.
func (db *DB) inTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		err = pgx.BeginFunc(ctx, db.pool, fn)
		if !retryable(err) {
			return err
		}
	}
	return err
}

func retryable(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && (pgErr.Code == "40001" || pgErr.Code == "40P01")
}

// isUniqueViolation reports a duplicate key.
func isUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505"
}
