package bolt

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	bbolt "go.etcd.io/bbolt"

	"github.com/cara-coach/cara/internal/cara"
	"github.com/cara-coach/cara/internal/coach"
)

// Reviews live per user: reviews/<user ID>/<ULID> holds the review and
// review_index/<user ID>/<ULID> its History line. Reviews saved before
// accounts existed (schema 1) wait in unclaimed_reviews and
// unclaimed_review_index, in their old format, until ClaimUnclaimedReviews
// gives them to a user.
var (
	_ coach.ReviewStore   = (*DB)(nil)
	_ coach.ReviewUpdater = (*DB)(nil)
)

var (
	bucketUnclaimedReviews = []byte("unclaimed_reviews")
	bucketUnclaimedIndex   = []byte("unclaimed_review_index")
)

// recordVersion is the version field of stored review JSON.
const recordVersion = 1

type reviewRecord struct {
	V int `json:"v"`
	coach.Review
}

type summaryRecord struct {
	V int `json:"v"`
	coach.ReviewSummary
	cara.SyncMeta
}

var errReviewNotFound = cara.Errorf(cara.ENOTFOUND, "That review no longer exists")

// encodeReview returns a review's record and its History line.
func encodeReview(r coach.Review) (full, line []byte, err error) {
	full, err = json.Marshal(reviewRecord{V: recordVersion, Review: r})
	if err != nil {
		return nil, nil, fmt.Errorf("encode review: %w", err)
	}
	line, err = json.Marshal(summaryRecord{V: recordVersion, ReviewSummary: r.Summary(), SyncMeta: r.SyncMeta})
	if err != nil {
		return nil, nil, fmt.Errorf("encode review summary: %w", err)
	}
	return full, line, nil
}

// userReviewBuckets returns the user's review and index buckets. Without
// create, a user with no reviews yet gets nil, nil.
func userReviewBuckets(tx *bbolt.Tx, userID string, create bool) (reviews, index *bbolt.Bucket, err error) {
	return userBucketPair(tx, bucketReviews, bucketReviewIndex, "review", userID, create)
}

// userBucketPair returns userID's nested buckets under the top-level records
// and index buckets (what names the records in errors). Without create, a
// user who has none yet gets nil, nil.
func userBucketPair(tx *bbolt.Tx, records, index []byte, what, userID string, create bool) (*bbolt.Bucket, *bbolt.Bucket, error) {
	top, topIndex := tx.Bucket(records), tx.Bucket(index)
	if top == nil || topIndex == nil {
		return nil, nil, fmt.Errorf("bolt: %s buckets missing (schema not migrated)", what)
	}
	if userID == "" {
		if create {
			return nil, nil, fmt.Errorf("bolt: a %s needs a user", what)
		}
		return nil, nil, nil
	}
	name := []byte(userID)
	if !create {
		mine, myIndex := top.Bucket(name), topIndex.Bucket(name)
		if mine == nil || myIndex == nil {
			return nil, nil, nil
		}
		return mine, myIndex, nil
	}
	mine, err := top.CreateBucketIfNotExists(name)
	if err != nil {
		return nil, nil, fmt.Errorf("bolt: %ss of user %q: %w", what, userID, err)
	}
	myIndex, err := topIndex.CreateBucketIfNotExists(name)
	if err != nil {
		return nil, nil, fmt.Errorf("bolt: %s index of user %q: %w", what, userID, err)
	}
	return mine, myIndex, nil
}

// CreateReview stores r and its History line for userID in one transaction.
func (d *DB) CreateReview(ctx context.Context, userID string, r coach.Review) error {
	if r.ID == "" {
		return fmt.Errorf("bolt: a review needs an id")
	}
	full, line, err := encodeReview(r)
	if err != nil {
		return err
	}
	return d.update(ctx, func(tx *bbolt.Tx) error {
		reviews, index, err := userReviewBuckets(tx, userID, true)
		if err != nil {
			return err
		}
		return putRecord(reviews, index, r.ID, full, line)
	})
}

// ListReviews returns userID's live reviews newest first. Keys are ULIDs,
// which sort by creation time, so a reverse cursor walk is already in order.
func (d *DB) ListReviews(ctx context.Context, userID string) ([]coach.ReviewSummary, error) {
	var out []coach.ReviewSummary
	err := d.view(ctx, func(tx *bbolt.Tx) error {
		_, index, err := userReviewBuckets(tx, userID, false)
		if err != nil {
			return err
		}
		out, err = newestLines(index, "review summary", func(s summaryRecord) (coach.ReviewSummary, bool) {
			return s.ReviewSummary, !s.Deleted
		})
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// GetReview returns one of userID's live reviews. Another user's review is
// "not found", exactly like an unknown id.
func (d *DB) GetReview(ctx context.Context, userID, id string) (coach.Review, error) {
	var rec reviewRecord
	err := d.view(ctx, func(tx *bbolt.Tx) error {
		reviews, _, err := userReviewBuckets(tx, userID, false)
		if err != nil {
			return err
		}
		rec, err = liveReview(reviews, id)
		return err
	})
	if err != nil {
		return coach.Review{}, err
	}
	return rec.Review, nil
}

// liveReview decodes one live review from a user's reviews bucket.
func liveReview(reviews *bbolt.Bucket, id string) (reviewRecord, error) {
	return liveRecord(reviews, id, func(r *reviewRecord) bool { return r.Deleted }, errReviewNotFound)
}

// UpdateReview replaces one of userID's live reviews (after Ask Cara changed
// its AI fields) and its History line, in one transaction. Its clock moves
// past the stored one so a later sync sees the change.
func (d *DB) UpdateReview(ctx context.Context, userID string, r coach.Review) error {
	if r.Deleted {
		return fmt.Errorf("bolt: UpdateReview with a deleted review; use DeleteReview")
	}
	return d.update(ctx, func(tx *bbolt.Tx) error {
		reviews, index, err := userReviewBuckets(tx, userID, false)
		if err != nil {
			return err
		}
		if reviews == nil {
			return errReviewNotFound
		}
		key := []byte(r.ID)
		stored, err := storedSyncMeta(reviews, key)
		if err != nil {
			return err
		}
		if stored == nil || stored.Deleted {
			return errReviewNotFound
		}
		r.UpdatedHLC = clockAfter(stored.UpdatedHLC, r.UpdatedHLC)
		full, line, err := encodeReview(r)
		if err != nil {
			return err
		}
		return putRecord(reviews, index, r.ID, full, line)
	})
}

// DeleteReview replaces one of userID's reviews with a tombstone: its text,
// title and report are gone, its id and clock stay so a later sync can
// carry the deletion.
func (d *DB) DeleteReview(ctx context.Context, userID, id string) error {
	err := d.deleteReview(ctx, userID, id)
	if err == nil {
		d.deleted.Store(true)
	}
	return err
}

func (d *DB) deleteReview(ctx context.Context, userID, id string) error {
	return d.update(ctx, func(tx *bbolt.Tx) error {
		reviews, index, err := userReviewBuckets(tx, userID, false)
		if err != nil {
			return err
		}
		rec, err := liveReview(reviews, id)
		if err != nil {
			return err
		}
		tomb := coach.Review{ID: rec.ID, CreatedAt: rec.CreatedAt, SyncMeta: rec.SyncMeta}
		tomb.Deleted = true
		tomb.UpdatedHLC = tombstoneClock(rec.UpdatedHLC)
		full, line, err := encodeReview(tomb)
		if err != nil {
			return err
		}
		return putRecord(reviews, index, id, full, line)
	})
}

// ClaimUnclaimedReviews gives every review saved before accounts existed to
// userID, in one transaction, and returns how many live (not deleted)
// reviews the user gained. Deletion tombstones move too. The desktop calls
// it when the first account on this machine is created; a second call, or a
// call by someone else afterwards, finds nothing left. A review whose id
// the user already has is left unclaimed rather than overwritten.
func (d *DB) ClaimUnclaimedReviews(ctx context.Context, userID string) (int, error) {
	if userID == "" {
		return 0, fmt.Errorf("bolt: claim reviews: empty user ID")
	}
	n := 0
	err := d.update(ctx, func(tx *bbolt.Tx) error {
		n = 0
		from, fromIndex := tx.Bucket(bucketUnclaimedReviews), tx.Bucket(bucketUnclaimedIndex)
		if from == nil || fromIndex == nil {
			return fmt.Errorf("bolt: unclaimed review buckets missing (schema not migrated)")
		}
		pending, err := plainValues(from)
		if err != nil || len(pending) == 0 {
			return err
		}
		to, toIndex, err := userReviewBuckets(tx, userID, true)
		if err != nil {
			return err
		}
		for _, kv := range pending {
			if to.Get(kv.key) != nil {
				continue // an id collision: keep both, leave this one unclaimed
			}
			var rec reviewRecord
			if err := json.Unmarshal(kv.value, &rec); err != nil {
				return fmt.Errorf("decode unclaimed review %s: %w", kv.key, err)
			}
			line := bytes.Clone(fromIndex.Get(kv.key))
			if line == nil { // no History line: rebuild it from the review
				if _, line, err = encodeReview(rec.Review); err != nil {
					return err
				}
			}
			if err := to.Put(kv.key, kv.value); err != nil {
				return err
			}
			if err := toIndex.Put(kv.key, line); err != nil {
				return err
			}
			if err := from.Delete(kv.key); err != nil {
				return err
			}
			if err := fromIndex.Delete(kv.key); err != nil {
				return err
			}
			if !rec.Deleted {
				n++
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// moveReviewsToUnclaimed is migration 2 → 3. Schema 1 kept every review as
// a top-level key of reviews/review_index; from schema 3 those buckets hold
// one nested bucket per user. The old entries, which no account owns, move
// unchanged to the unclaimed buckets.
func moveReviewsToUnclaimed(tx *bbolt.Tx) error {
	for _, m := range []struct{ from, to []byte }{
		{bucketReviews, bucketUnclaimedReviews},
		{bucketReviewIndex, bucketUnclaimedIndex},
	} {
		from, err := tx.CreateBucketIfNotExists(m.from)
		if err != nil {
			return fmt.Errorf("bucket %s: %w", m.from, err)
		}
		to, err := tx.CreateBucketIfNotExists(m.to)
		if err != nil {
			return fmt.Errorf("bucket %s: %w", m.to, err)
		}
		entries, err := plainValues(from)
		if err != nil {
			return err
		}
		for _, kv := range entries {
			if err := to.Put(kv.key, kv.value); err != nil {
				return fmt.Errorf("move %s/%s: %w", m.from, kv.key, err)
			}
			if err := from.Delete(kv.key); err != nil {
				return fmt.Errorf("move %s/%s: %w", m.from, kv.key, err)
			}
		}
	}
	return nil
}

type keyValue struct{ key, value []byte }

// plainValues copies out every key/value of b that is not a nested bucket,
// so the caller can change b while using them.
func plainValues(b *bbolt.Bucket) ([]keyValue, error) {
	var out []keyValue
	err := b.ForEach(func(k, v []byte) error {
		if v != nil { // nil: a nested bucket
			out = append(out, keyValue{bytes.Clone(k), bytes.Clone(v)})
		}
		return nil
	})
	return out, err
}
