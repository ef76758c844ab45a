package bolt

import (
	"encoding/binary"
	"testing"

	bbolt "go.etcd.io/bbolt"

	"github.com/cara-coach/cara/internal/practice"
	"github.com/cara-coach/cara/internal/practice/practicetest"
)

func TestPracticeStoreConformance(t *testing.T) {
	practicetest.RunStoreTests(t, func(t *testing.T) (practice.Store, func(string)) {
		db, err := Open(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		p, err := db.Practice()
		if err != nil {
			t.Fatalf("Practice: %v", err)
		}
		return p, func(string) {} // bbolt has no foreign keys to satisfy
	})
}

func TestPracticeSchemaVersion(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Practice(); err != nil {
		t.Fatalf("first Practice: %v", err)
	}
	if _, err := db.Practice(); err != nil {
		t.Fatalf("second Practice (nothing to migrate): %v", err)
	}
	// The desktop's own schema version is untouched.
	if v, err := db.schemaVersion(); err != nil || v != SchemaVersion {
		t.Fatalf("desktop schema_version: got %d, %v; want %d", v, err, SchemaVersion)
	}
	// A file from a newer server is refused.
	if err := db.bolt.Update(func(tx *bbolt.Tx) error {
		buf := make([]byte, 8)
		binary.BigEndian.PutUint64(buf, uint64(practiceSchemaVersion+1))
		return tx.Bucket(bucketMeta).Put(keyPracticeSchema, buf)
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Practice(); err != errPracticeSchemaNewer {
		t.Fatalf("Practice on a newer schema: got %v, want %v", err, errPracticeSchemaNewer)
	}
	db.Close()
}
