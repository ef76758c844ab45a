// Package pgtest gives tests a fresh, migrated PostgreSQL schema of their
// own on the database named by DATABASE_URL (scripts/test-server.sh makes a
// throwaway one). Without DATABASE_URL the test is skipped, unless
// CARA_REQUIRE_PG=1, where it fails: CI must not pass by skipping.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/cara-coach/cara/internal/postgres"
)

// URL returns DATABASE_URL, or skips (or fails under CARA_REQUIRE_PG=1).
func URL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("DATABASE_URL")
	if u == "" {
		if os.Getenv("CARA_REQUIRE_PG") == "1" {
			t.Fatal("DATABASE_URL is not set but CARA_REQUIRE_PG=1: run scripts/test-server.sh")
		}
		t.Skip("DATABASE_URL not set (scripts/test-server.sh sets one)")
	}
	return u
}

// SchemaURL returns DATABASE_URL with search_path set to a new, empty schema
// that is dropped when the test ends.
func SchemaURL(t testing.TB) string {
	t.Helper()
	base := URL(t)
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	schema := "t_" + hex.EncodeToString(b[:])
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connect to DATABASE_URL: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), base)
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer c.Close(context.Background())
		if _, err := c.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return withSearchPath(t, base, schema)
}

func withSearchPath(t testing.TB, base, schema string) string {
	if strings.HasPrefix(base, "postgres://") || strings.HasPrefix(base, "postgresql://") {
		u, err := url.Parse(base)
		if err != nil {
			t.Fatalf("DATABASE_URL: %v", err)
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		return u.String()
	}
	return base + " search_path=" + schema
}

// Open returns a migrated *postgres.DB on a fresh schema, closed at cleanup.
func Open(t testing.TB) *postgres.DB {
	t.Helper()
	db, _ := OpenURL(t)
	return db
}

// OpenURL is Open that also returns the schema's URL, for tests that need
// a second connection to the same tables (to hold a lock, say).
func OpenURL(t testing.TB) (*postgres.DB, string) {
	t.Helper()
	ctx := context.Background()
	url := SchemaURL(t)
	db, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatalf("postgres.Open: %v", err)
	}
	t.Cleanup(db.Close)
	if _, _, err := db.Migrate(ctx); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	return db, url
}
