package bolt

import (
	"encoding/json"
	"fmt"

	bbolt "go.etcd.io/bbolt"
)

var jsonUnmarshal = json.Unmarshal

// bucketAt walks from a top-level bucket through nested ones; nil if any is
// missing.
func bucketAt(tx *bbolt.Tx, path ...string) *bbolt.Bucket {
	if len(path) == 0 {
		return nil
	}
	b := tx.Bucket([]byte(path[0]))
	for _, name := range path[1:] {
		if b == nil {
			return nil
		}
		b = b.Bucket([]byte(name))
	}
	return b
}

// readRaw returns a copy of the value at key in the bucket at path, or nil.
func readRaw(db *DB, key string, path ...string) ([]byte, error) {
	var out []byte
	err := db.bolt.View(func(tx *bbolt.Tx) error {
		b := bucketAt(tx, path...)
		if b == nil {
			return fmt.Errorf("no bucket %v", path)
		}
		if v := b.Get([]byte(key)); v != nil {
			out = append([]byte(nil), v...)
		}
		return nil
	})
	return out, err
}

// keysAt lists the keys of the bucket at path (nested buckets included);
// nil if the bucket does not exist.
func keysAt(db *DB, path ...string) ([]string, error) {
	var out []string
	err := db.bolt.View(func(tx *bbolt.Tx) error {
		b := bucketAt(tx, path...)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, _ []byte) error {
			out = append(out, string(k))
			return nil
		})
	})
	return out, err
}
