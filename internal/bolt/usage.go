package bolt

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"time"

	bbolt "go.etcd.io/bbolt"

	"github.com/cara-coach/cara/internal/cara"
	"github.com/cara-coach/cara/internal/coach"
)

// Token usage: usage/<user ID>/<YYYY-MM-DD> counts the tokens spent that
// local day, and usage_budgets/<user ID> holds the daily budget the user set.
// Day keys sort as dates, so pruning old days is a walk from the first key.
var _ coach.UsageStore = (*DB)(nil)

var (
	bucketUsage   = []byte("usage")
	bucketBudgets = []byte("usage_budgets")
)

const (
	usageVersion = 1
	dayLayout    = time.DateOnly
	// usageDaysKept is how many days of counts AddUsage keeps, the given
	// day included: enough for a quarter's history, small forever.
	usageDaysKept = 90
)

// tokenCount is the stored JSON of a day's count and of a budget.
type tokenCount struct {
	V      int `json:"v"`
	Tokens int `json:"tokens"`
}

func encodeCount(n int) ([]byte, error) {
	raw, err := json.Marshal(tokenCount{V: usageVersion, Tokens: n})
	if err != nil {
		return nil, fmt.Errorf("encode token count: %w", err)
	}
	return raw, nil
}

// decodeCount reads a stored count; absent is 0.
func decodeCount(raw []byte) (int, error) {
	if raw == nil {
		return 0, nil
	}
	var c tokenCount
	if err := json.Unmarshal(raw, &c); err != nil {
		return 0, fmt.Errorf("decode token count: %w", err)
	}
	return c.Tokens, nil
}

// parseDay checks day is a YYYY-MM-DD date written the canonical way, so
// one date never gets two keys.
func parseDay(day string) (time.Time, error) {
	t, err := time.Parse(dayLayout, day)
	if err != nil || t.Format(dayLayout) != day {
		return time.Time{}, fmt.Errorf("bolt: usage day %q is not YYYY-MM-DD", day)
	}
	return t, nil
}

// AddUsage adds tokens to userID's count for day and returns the new count,
// read and written in one transaction so concurrent calls never lose one.
// It also drops counts older than usageDaysKept days before day.
func (d *DB) AddUsage(ctx context.Context, userID, day string, tokens int) (int, error) {
	if userID == "" {
		return 0, fmt.Errorf("bolt: usage needs a user")
	}
	date, err := parseDay(day)
	if err != nil {
		return 0, err
	}
	if tokens < 0 {
		return 0, fmt.Errorf("bolt: negative token count %d", tokens)
	}
	total := 0
	err = d.update(ctx, func(tx *bbolt.Tx) error {
		top := tx.Bucket(bucketUsage)
		if top == nil {
			return fmt.Errorf("bolt: usage bucket missing (schema not migrated)")
		}
		days, err := top.CreateBucketIfNotExists([]byte(userID))
		if err != nil {
			return fmt.Errorf("bolt: usage of user %q: %w", userID, err)
		}
		key := []byte(day)
		current, err := decodeCount(days.Get(key))
		if err != nil {
			return err
		}
		total = current + min(tokens, math.MaxInt-current) // saturate, never wrap
		raw, err := encodeCount(total)
		if err != nil {
			return err
		}
		if err := days.Put(key, raw); err != nil {
			return err
		}
		return pruneDaysBefore(days, date.AddDate(0, 0, -(usageDaysKept-1)).Format(dayLayout))
	})
	if err != nil {
		return 0, err
	}
	return total, nil
}

// pruneDaysBefore deletes the day keys of b earlier than cutoff. Keys are
// collected first: deleting under a moving bbolt cursor can skip keys.
func pruneDaysBefore(b *bbolt.Bucket, cutoff string) error {
	var old [][]byte
	c := b.Cursor()
	for k, _ := c.First(); k != nil && string(k) < cutoff; k, _ = c.Next() {
		old = append(old, append([]byte(nil), k...))
	}
	for _, k := range old {
		if err := b.Delete(k); err != nil {
			return fmt.Errorf("prune usage %s: %w", k, err)
		}
	}
	return nil
}

// UsageOn returns the tokens userID spent on day (0 if none).
func (d *DB) UsageOn(ctx context.Context, userID, day string) (int, error) {
	if _, err := parseDay(day); err != nil {
		return 0, err
	}
	n := 0
	err := d.view(ctx, func(tx *bbolt.Tx) error {
		top := tx.Bucket(bucketUsage)
		if top == nil {
			return fmt.Errorf("bolt: usage bucket missing (schema not migrated)")
		}
		if userID == "" {
			return nil
		}
		days := top.Bucket([]byte(userID))
		if days == nil {
			return nil
		}
		var err error
		n, err = decodeCount(days.Get([]byte(day)))
		return err
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// Budget returns the daily budget userID set, or 0 if they never set one.
func (d *DB) Budget(ctx context.Context, userID string) (int, error) {
	n := 0
	err := d.view(ctx, func(tx *bbolt.Tx) error {
		budgets := tx.Bucket(bucketBudgets)
		if budgets == nil {
			return fmt.Errorf("bolt: budget bucket missing (schema not migrated)")
		}
		if userID == "" {
			return nil
		}
		var err error
		n, err = decodeCount(budgets.Get([]byte(userID)))
		return err
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// SetBudget stores userID's daily budget; 0 forgets it, so Budget reports
// "never set" and the default applies again.
func (d *DB) SetBudget(ctx context.Context, userID string, tokens int) error {
	if userID == "" {
		return fmt.Errorf("bolt: a budget needs a user")
	}
	if tokens < 0 {
		return cara.Errorf(cara.EINVALID, "The daily token budget can't be negative")
	}
	return d.update(ctx, func(tx *bbolt.Tx) error {
		budgets := tx.Bucket(bucketBudgets)
		if budgets == nil {
			return fmt.Errorf("bolt: budget bucket missing (schema not migrated)")
		}
		if tokens == 0 {
			return budgets.Delete([]byte(userID))
		}
		raw, err := encodeCount(tokens)
		if err != nil {
			return err
		}
		return budgets.Put([]byte(userID), raw)
	})
}
