package bolt

import (
	"encoding/json"
	"fmt"

	bbolt "go.etcd.io/bbolt"
)

// Reviews and chats are stored the same way: per user, a records bucket
// (the whole JSON, keyed by ULID) beside an index bucket (its History line,
// same key), both from userBucketPair; deletion leaves a tombstone in each.
// These helpers are that shared mechanism.

// liveRecord decodes record id from records, a user's records bucket (nil
// when the user has none yet). Unknown and tombstoned records are notFound.
// Decoding copies the bytes out of the mmap before the transaction ends.
func liveRecord[R any](records *bbolt.Bucket, id string, deleted func(*R) bool, notFound error) (R, error) {
	var rec R
	if records == nil {
		return rec, notFound
	}
	v := records.Get([]byte(id))
	if v == nil {
		return rec, notFound
	}
	if err := json.Unmarshal(v, &rec); err != nil {
		return rec, fmt.Errorf("decode %s: %w", id, err)
	}
	if deleted(&rec) {
		return rec, notFound
	}
	return rec, nil
}

// putRecord writes a record and its History line under the same key.
func putRecord(records, index *bbolt.Bucket, id string, full, line []byte) error {
	key := []byte(id)
	if err := records.Put(key, full); err != nil {
		return err
	}
	return index.Put(key, line)
}

// newestLines decodes a user's index bucket (nil: none yet) newest first —
// keys are ULIDs, so a reverse walk is creation order reversed — keeping
// what keep accepts. The result is never nil, so the UI gets [].
func newestLines[L, S any](index *bbolt.Bucket, what string, keep func(L) (S, bool)) ([]S, error) {
	out := []S{}
	if index == nil {
		return out, nil
	}
	c := index.Cursor()
	for k, v := c.Last(); k != nil; k, v = c.Prev() {
		var line L
		if err := json.Unmarshal(v, &line); err != nil {
			return nil, fmt.Errorf("decode %s %s: %w", what, k, err)
		}
		if s, ok := keep(line); ok {
			out = append(out, s)
		}
	}
	return out, nil
}
