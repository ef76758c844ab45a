package bolt

import (
	"encoding/json"

	bbolt "go.etcd.io/bbolt"
)

var jsonUnmarshal = json.Unmarshal

func readRaw(db *DB, bucket []byte, key string) ([]byte, error) {
	var out []byte
	err := db.bolt.View(func(tx *bbolt.Tx) error {
		out = append([]byte(nil), tx.Bucket(bucket).Get([]byte(key))...)
		return nil
	})
	return out, err
}
