package bolt

import (
	"context"
	"encoding/json"
	"fmt"

	bbolt "go.etcd.io/bbolt"

	"github.com/cara-coach/cara/internal/cara"
	"github.com/cara-coach/cara/internal/coach"
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

// CreateReview stores r and its History line in one transaction.
func (d *DB) CreateReview(_ context.Context, r coach.Review) error {
	full, err := json.Marshal(reviewRecord{V: recordVersion, Review: r})
	if err != nil {
		return fmt.Errorf("encode review: %w", err)
	}
	line, err := json.Marshal(summaryRecord{V: recordVersion, ReviewSummary: r.Summary(), SyncMeta: r.SyncMeta})
	if err != nil {
		return fmt.Errorf("encode review summary: %w", err)
	}
	return d.bolt.Update(func(tx *bbolt.Tx) error {
		key := []byte(r.ID)
		if err := tx.Bucket(bucketReviews).Put(key, full); err != nil {
			return err
		}
		return tx.Bucket(bucketReviewIndex).Put(key, line)
	})
}

// ListReviews returns live reviews newest first. Keys are ULIDs, which sort
// by creation time, so a reverse cursor walk is already in order.
func (d *DB) ListReviews(_ context.Context) ([]coach.ReviewSummary, error) {
	out := []coach.ReviewSummary{}
	err := d.bolt.View(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bucketReviewIndex).Cursor()
		for k, v := c.Last(); k != nil; k, v = c.Prev() {
			var s summaryRecord
			if err := json.Unmarshal(v, &s); err != nil {
				return fmt.Errorf("decode review summary %s: %w", k, err)
			}
			if !s.Deleted {
				out = append(out, s.ReviewSummary)
			}
		}
		return nil
	})
	return out, err
}

// GetReview returns one live review.
func (d *DB) GetReview(_ context.Context, id string) (coach.Review, error) {
	var rec reviewRecord
	err := d.bolt.View(func(tx *bbolt.Tx) error {
		v := tx.Bucket(bucketReviews).Get([]byte(id))
		if v == nil {
			return errReviewNotFound
		}
		// Unmarshal copies out of the mmap before the transaction ends.
		return json.Unmarshal(v, &rec)
	})
	if err != nil {
		return coach.Review{}, err
	}
	if rec.Deleted {
		return coach.Review{}, errReviewNotFound
	}
	return rec.Review, nil
}

// DeleteReview replaces a review with a tombstone: its text and report are
// gone, its id and clock stay so a later sync can carry the deletion.
func (d *DB) DeleteReview(_ context.Context, id string) error {
	return d.bolt.Update(func(tx *bbolt.Tx) error {
		reviews := tx.Bucket(bucketReviews)
		v := reviews.Get([]byte(id))
		if v == nil {
			return errReviewNotFound
		}
		var rec reviewRecord
		if err := json.Unmarshal(v, &rec); err != nil {
			return fmt.Errorf("decode review %s: %w", id, err)
		}
		if rec.Deleted {
			return errReviewNotFound
		}
		tomb := coach.Review{ID: rec.ID, CreatedAt: rec.CreatedAt, SyncMeta: rec.SyncMeta}
		tomb.Deleted = true
		tomb.UpdatedHLC.WallMS = max(tomb.UpdatedHLC.WallMS+1, nowMS())
		tomb.UpdatedHLC.Counter = 0
		full, err := json.Marshal(reviewRecord{V: recordVersion, Review: tomb})
		if err != nil {
			return err
		}
		line, err := json.Marshal(summaryRecord{V: recordVersion, ReviewSummary: coach.ReviewSummary{ID: tomb.ID, CreatedAt: tomb.CreatedAt}, SyncMeta: tomb.SyncMeta})
		if err != nil {
			return err
		}
		if err := reviews.Put([]byte(id), full); err != nil {
			return err
		}
		return tx.Bucket(bucketReviewIndex).Put([]byte(id), line)
	})
}
