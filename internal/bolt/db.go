// Package bolt is Cara's local storage on bbolt: one file in the user's data
// directory, one bucket per entity, JSON values with a version field, and
// schema migrations run in one transaction at start-up (DESIGN §4).
package bolt

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	bbolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/cara-coach/cara/internal/cara"
)

// FileName is the database file inside the data directory.
const FileName = "cara.db"

var (
	bucketMeta        = []byte("meta")
	bucketReviews     = []byte("reviews")
	bucketReviewIndex = []byte("review_index")
	keySchemaVersion  = []byte("schema_version")
)

// DB is an open Cara database. It is the desktop's coach.ReviewStore,
// coach.ReviewUpdater, coach.ChatStore, coach.UsageStore and auth.Store.
// Layout at schema 4 (values are JSON with a version field "v"):
//
//	meta                    schema_version → uint64, big-endian
//	reviews/<user ID>/      review ULID → review (reviews.go)
//	review_index/<user ID>/ review ULID → History line
//	unclaimed_reviews       review ULID → review saved before accounts existed
//	unclaimed_review_index  review ULID → its History line
//	chats/<user ID>/        chat ULID → chat, turns and all (chats.go)
//	chat_index/<user ID>/   chat ULID → History line
//	usage/<user ID>/        local day YYYY-MM-DD → tokens spent (usage.go)
//	usage_budgets           user ID → daily token budget, if the user set one
//	users                   user ID → user (auth_store.go)
//	users_by_email          normalised e-mail → user ID
//	sessions                session ID → session
//	user_sessions/<user ID>/ session ID → "" (the user's sessions)
//	refresh_tokens          SHA-256 of the token (32 bytes) → token record
//	throttle                normalised e-mail → login-failure state
type DB struct {
	bolt *bbolt.DB
	Path string
	// deleted is set when a review or chat was deleted: bbolt frees the old pages
	// but doesn't wipe them, so Close rewrites the file without them.
	deleted atomic.Bool
}

// DataDir is where Cara keeps its data: $CARA_DATA_DIR, else the OS config
// dir (~/.config/Cara on Linux).
func DataDir() (string, error) {
	if dir := os.Getenv("CARA_DATA_DIR"); dir != "" {
		return dir, nil
	}
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find config dir: %w", err)
	}
	return filepath.Join(base, "Cara"), nil
}

// Open opens (creating if needed) the database in dir and brings its schema
// up to date. A second instance gets "Cara is already running" after 1 s.
func Open(dir string) (*DB, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, cara.Errorf(cara.EUNAVAILABLE, "Cara can't create its data folder %s: %v", dir, err)
	}
	path := filepath.Join(dir, FileName)
	db, err := openFile(path)
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, cara.Errorf(cara.EALREADYOPEN, "Cara is already running")
	}
	if isDamaged(err) {
		return nil, damaged(path)
	}
	if err != nil {
		return nil, cara.Errorf(cara.EUNAVAILABLE, "Cara can't open its data file %s: %v", path, err)
	}
	// bbolt only applies the mode when it creates the file; tighten an old one.
	if err := os.Chmod(path, 0o600); err != nil {
		db.Close()
		return nil, fmt.Errorf("chmod %s: %w", path, err)
	}
	d := &DB{bolt: db, Path: path}
	if err := d.migrateChecked(); err != nil {
		db.Close()
		return nil, err
	}
	return d, nil
}

// openFile opens the bbolt file. bbolt panics on some kinds of damage (a
// broken freelist page, say): that becomes an error, not a crash.
func openFile(path string) (db *bbolt.DB, err error) {
	defer func() {
		if r := recover(); r != nil {
			db, err = nil, fmt.Errorf("%w: %v", bolterrors.ErrInvalid, r)
		}
	}()
	return bbolt.Open(path, 0o600, &bbolt.Options{Timeout: time.Second})
}

// migrateChecked runs the migrations, turning a panic on a damaged page into
// the "damaged" error.
func (d *DB) migrateChecked() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = damaged(d.Path)
		}
	}()
	return d.migrate()
}

func isDamaged(err error) bool {
	return errors.Is(err, bolterrors.ErrInvalid) || errors.Is(err, bolterrors.ErrChecksum) ||
		errors.Is(err, bolterrors.ErrVersionMismatch) || errors.Is(err, bolterrors.ErrInvalidMapping)
}

func damaged(path string) error {
	return cara.Errorf(cara.EUNAVAILABLE, "Cara's data file is damaged: %s. Move it somewhere safe (don't delete it) and start Cara again; it will make a new one.", path)
}

// Close closes the database file. After a deletion it first rewrites the file
// with only live data, so deleted text doesn't linger in freed pages.
func (d *DB) Close() error {
	if !d.deleted.Load() {
		return d.bolt.Close()
	}
	compactErr := d.compact()
	if err := d.bolt.Close(); err != nil {
		return err
	}
	return compactErr
}

// compact copies the live data into a new file and renames it over the old
// one while the old one is still open and locked, so no other Cara can open
// the old file in between.
func (d *DB) compact() error {
	tmp := d.Path + ".compact"
	_ = os.Remove(tmp)
	dst, err := bbolt.Open(tmp, 0o600, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		return fmt.Errorf("compact: %w", err)
	}
	if err := bbolt.Compact(dst, d.bolt, 1<<20); err != nil {
		dst.Close()
		os.Remove(tmp)
		return fmt.Errorf("compact: %w", err)
	}
	if err := dst.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("compact: %w", err)
	}
	if err := os.Rename(tmp, d.Path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("compact: %w", err)
	}
	return nil
}

// migrations[i] moves the schema from version i to i+1. Append only.
var migrations = []func(tx *bbolt.Tx) error{
	// 0 → 1: reviews and their History index.
	func(tx *bbolt.Tx) error {
		for _, b := range [][]byte{bucketReviews, bucketReviewIndex} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	},
	// 1 → 2: accounts (users, sessions, refresh-token hashes, throttle).
	createAuthBuckets,
	// 2 → 3: reviews belong to users; those saved before accounts existed
	// move to the unclaimed area.
	moveReviewsToUnclaimed,
	// 3 → 4: the AI side — chats, their History index, token usage.
	createAIBuckets,
}

// SchemaVersion is the version this build writes.
var SchemaVersion = len(migrations)

func (d *DB) migrate() error {
	return d.bolt.Update(func(tx *bbolt.Tx) error {
		meta, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return err
		}
		current := 0
		if v := meta.Get(keySchemaVersion); len(v) == 8 {
			current = int(binary.BigEndian.Uint64(v))
		}
		if current > len(migrations) {
			return cara.Errorf(cara.EUNAVAILABLE, "This data file was written by a newer Cara (schema %d); please update Cara", current)
		}
		for v := current; v < len(migrations); v++ {
			if err := migrations[v](tx); err != nil {
				return fmt.Errorf("migrate schema %d→%d: %w", v, v+1, err)
			}
		}
		buf := make([]byte, 8)
		binary.BigEndian.PutUint64(buf, uint64(len(migrations)))
		return meta.Put(keySchemaVersion, buf)
	})
}

// schemaVersion reads the stored schema version (for tests).
func (d *DB) schemaVersion() (int, error) {
	v := 0
	err := d.bolt.View(func(tx *bbolt.Tx) error {
		if b := tx.Bucket(bucketMeta); b != nil {
			if raw := b.Get(keySchemaVersion); len(raw) == 8 {
				v = int(binary.BigEndian.Uint64(raw))
			}
		}
		return nil
	})
	return v, err
}

func nowMS() int64 { return time.Now().UnixMilli() }

// clockAfter is the clock to store for a new version of a record whose
// stored clock is prev: the caller's proposed clock if it is already later,
// else now (or just after prev, if prev is ahead of this machine's clock).
func clockAfter(prev, proposed cara.HLC) cara.HLC {
	if proposed.WallMS > prev.WallMS {
		return proposed
	}
	proposed.WallMS = max(prev.WallMS+1, nowMS())
	proposed.Counter = 0
	return proposed
}

// tombstoneClock is the clock of a deletion: past the record's last edit,
// on the same node.
func tombstoneClock(last cara.HLC) cara.HLC {
	return clockAfter(last, cara.HLC{Node: last.Node})
}

// storedSyncMeta decodes the sync fields of the record at key in b; nil if
// there is none.
func storedSyncMeta(b *bbolt.Bucket, key []byte) (*cara.SyncMeta, error) {
	v := b.Get(key)
	if v == nil {
		return nil, nil
	}
	var m cara.SyncMeta
	if err := json.Unmarshal(v, &m); err != nil {
		return nil, fmt.Errorf("decode %s: %w", key, err)
	}
	return &m, nil
}
