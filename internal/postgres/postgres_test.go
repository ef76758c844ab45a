package postgres_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cara-coach/cara/internal/auth"
	"github.com/cara-coach/cara/internal/auth/authtest"
	"github.com/cara-coach/cara/internal/postgres"
	"github.com/cara-coach/cara/internal/postgres/pgtest"
	"github.com/cara-coach/cara/internal/practice"
	"github.com/cara-coach/cara/internal/practice/practicetest"
)

func TestAuthStoreConformance(t *testing.T) {
	authtest.RunStoreTests(t, func(t *testing.T) auth.Store { return pgtest.Open(t) })
}

func TestPracticeStoreConformance(t *testing.T) {
	practicetest.RunStoreTests(t, func(t *testing.T) (practice.Store, func(string)) {
		db := pgtest.Open(t)
		return db, func(id string) {
			now := time.Now()
			if err := db.CreateUser(context.Background(), auth.User{
				ID: id, Email: id + "@example.com", Name: id, PasswordHash: []byte("x"), CreatedAt: now, UpdatedAt: now,
			}); err != nil {
				t.Fatalf("CreateUser(%s): %v", id, err)
			}
		}
	})
}

func TestMigrateIsIdempotentAndVersioned(t *testing.T) {
	ctx := context.Background()
	db, err := postgres.Open(ctx, pgtest.SchemaURL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if v, err := db.SchemaVersion(ctx); err != nil || v != 0 {
		t.Fatalf("SchemaVersion before Migrate: got %d, %v; want 0, nil", v, err)
	}
	latest := postgres.LatestVersion()
	if latest < 2 {
		t.Fatalf("LatestVersion: got %d, want at least 2 embedded migrations", latest)
	}
	from, to, err := db.Migrate(ctx)
	if err != nil || from != 0 || to != latest {
		t.Fatalf("first Migrate: got %d→%d, %v; want 0→%d", from, to, err, latest)
	}
	from, to, err = db.Migrate(ctx)
	if err != nil || from != latest || to != latest {
		t.Fatalf("second Migrate: got %d→%d, %v; want %d→%d (nothing to do)", from, to, err, latest, latest)
	}
	// A schema newer than this build is refused, not silently used.
	if _, err := db.Exec(ctx, "UPDATE schema_version SET version = $1", latest+1); err != nil {
		t.Fatal(err)
	}
	_, _, err = db.Migrate(ctx)
	if err == nil || !strings.Contains(err.Error(), "update cara-server") {
		t.Fatalf("Migrate on a newer schema: got %v, want an error asking to update cara-server", err)
	}
}

// TestMigrateReadsTheVersionUnderTheLock: while another session holds the
// migration lock, Migrate waits before reading anything; of migrations
// run together exactly one reports 0→latest.
func TestMigrateReadsTheVersionUnderTheLock(t *testing.T) {
	ctx := context.Background()
	url := pgtest.SchemaURL(t)
	open := func() *postgres.DB {
		db, err := postgres.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(db.Close)
		return db
	}
	holder, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close(ctx)
	if _, err := holder.Exec(ctx, "SELECT pg_advisory_lock($1)", postgres.MigrationLock); err != nil {
		t.Fatal(err)
	}
	db := open()
	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	_, _, err = db.Migrate(short)
	cancel()
	if err == nil {
		t.Fatal("Migrate while another session holds the lock: got nil, want it to wait (and time out)")
	}
	if v, err := db.SchemaVersion(ctx); err != nil || v != 0 {
		t.Fatalf("schema version after the blocked Migrate: got %d, %v; want 0 (nothing read or done)", v, err)
	}
	if _, err := holder.Exec(ctx, "SELECT pg_advisory_unlock($1)", postgres.MigrationLock); err != nil {
		t.Fatal(err)
	}

	latest := postgres.LatestVersion()
	const n = 5
	froms := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		db := open()
		wg.Go(func() {
			from, to, err := db.Migrate(ctx)
			if err != nil || to != latest {
				t.Errorf("Migrate %d: got →%d, %v; want →%d", i, to, err, latest)
			}
			froms[i] = from
		})
	}
	wg.Wait()
	fromZero := 0
	for _, f := range froms {
		if f == 0 {
			fromZero++
		} else if f != latest {
			t.Errorf("a Migrate started from %d, want 0 or %d", f, latest)
		}
	}
	if fromZero != 1 {
		t.Errorf("Migrates that started from 0: got %d (%v), want exactly 1", fromZero, froms)
	}
}

func TestOpenHidesPassword(t *testing.T) {
	_, err := postgres.Open(context.Background(), "postgres://cara:s3cret-Pa55@127.0.0.1:1/cara?connect_timeout=2")
	if err == nil {
		t.Fatal("Open on a closed port: got nil error")
	}
	if strings.Contains(err.Error(), "s3cret-Pa55") {
		t.Fatalf("error leaks the password: %v", err)
	}
	_, err = postgres.Open(context.Background(), "postgres://cara:s3cret-Pa55@[bad")
	if err == nil || strings.Contains(err.Error(), "s3cret-Pa55") {
		t.Fatalf("Open on a malformed URL: got %v, want an error without the password", err)
	}
}
