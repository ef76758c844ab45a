package bolt

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	bbolt "go.etcd.io/bbolt"

	"github.com/cara-coach/cara/internal/practice"
)

// The hosted server's practice data, when cara-server runs on the embedded
// file instead of PostgreSQL. These buckets have their own schema version
// (meta/practice_schema_version) so they never disturb the desktop's
// migrations:
//
//	practice_sessions/<user ID>/ session ID → session (JSON, "v")
//	analytics_events/<user ID>/  event ID → event (JSON, "v")
//	gemini_usage/<user ID>/      "2006-01-02" → tokens spent, uint64 big-endian;
//	                             "reserved:2006-01-02" → tokens held by calls in flight
var (
	bucketPractice         = []byte("practice_sessions")
	bucketEvents           = []byte("analytics_events")
	bucketServerUsage      = []byte("gemini_usage")
	keyPracticeSchema      = []byte("practice_schema_version")
	practiceRecordVersion  = 1
	practiceSchemaVersion  = len(practiceMigrations)
	errPracticeSchemaNewer = errors.New("bolt: practice data was written by a newer cara-server; please update it")
)

// practiceMigrations[i] moves the practice schema from version i to i+1.
var practiceMigrations = []func(tx *bbolt.Tx) error{
	func(tx *bbolt.Tx) error {
		for _, b := range [][]byte{bucketPractice, bucketEvents, bucketServerUsage} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	},
}

// PracticeStore is practice.Store over the embedded file.
type PracticeStore struct{ db *DB }

var _ practice.Store = (*PracticeStore)(nil)

// Practice brings the practice buckets up to date (one transaction) and
// returns the store over them.
func (d *DB) Practice() (*PracticeStore, error) {
	err := d.bolt.Update(func(tx *bbolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta == nil {
			return errors.New("bolt: meta bucket missing")
		}
		cur := 0
		if v := meta.Get(keyPracticeSchema); len(v) == 8 {
			cur = int(binary.BigEndian.Uint64(v))
		}
		if cur > practiceSchemaVersion {
			return errPracticeSchemaNewer
		}
		for v := cur; v < practiceSchemaVersion; v++ {
			if err := practiceMigrations[v](tx); err != nil {
				return fmt.Errorf("bolt: practice schema %d→%d: %w", v, v+1, err)
			}
		}
		buf := make([]byte, 8)
		binary.BigEndian.PutUint64(buf, uint64(practiceSchemaVersion))
		return meta.Put(keyPracticeSchema, buf)
	})
	if err != nil {
		return nil, err
	}
	return &PracticeStore{db: d}, nil
}

// Ping checks the file is still usable (for /readyz).
func (p *PracticeStore) Ping(ctx context.Context) error {
	return p.db.view(ctx, func(tx *bbolt.Tx) error {
		if tx.Bucket(bucketPractice) == nil {
			return errors.New("bolt: practice buckets missing")
		}
		return nil
	})
}

type practiceRecord struct {
	V int `json:"v"`
	practice.Session
}

type eventRecord struct {
	V int `json:"v"`
	practice.Event
}

// userBucket returns parent/<userID>, creating it when create is set; nil
// when it does not exist and create is not set.
func userBucket(tx *bbolt.Tx, parent []byte, userID string, create bool) (*bbolt.Bucket, error) {
	p := tx.Bucket(parent)
	if p == nil {
		return nil, fmt.Errorf("bolt: bucket %s missing (call Practice first)", parent)
	}
	if create {
		return p.CreateBucketIfNotExists([]byte(userID))
	}
	return p.Bucket([]byte(userID)), nil
}

func decodePractice(raw []byte) (practice.Session, error) {
	var r practiceRecord
	if err := json.Unmarshal(raw, &r); err != nil {
		return practice.Session{}, fmt.Errorf("bolt: decode practice session: %w", err)
	}
	if r.V != practiceRecordVersion {
		return practice.Session{}, fmt.Errorf("bolt: practice session has record version %d, want %d", r.V, practiceRecordVersion)
	}
	if r.Data == nil {
		r.Data = json.RawMessage(`{}`)
	}
	return r.Session, nil
}

func putPractice(b *bbolt.Bucket, s practice.Session) error {
	if s.Data == nil {
		s.Data = json.RawMessage(`{}`)
	}
	raw, err := json.Marshal(practiceRecord{V: practiceRecordVersion, Session: s})
	if err != nil {
		return fmt.Errorf("bolt: encode practice session: %w", err)
	}
	return b.Put([]byte(s.ID), raw)
}

// CreatePracticeSession implements practice.Store.
func (p *PracticeStore) CreatePracticeSession(ctx context.Context, s practice.Session) error {
	return p.db.update(ctx, func(tx *bbolt.Tx) error {
		b, err := userBucket(tx, bucketPractice, s.UserID, true)
		if err != nil {
			return err
		}
		if b.Get([]byte(s.ID)) != nil {
			return fmt.Errorf("bolt: practice session %s already exists", s.ID)
		}
		return putPractice(b, s)
	})
}

// PracticeSession implements practice.Store. Sessions live under their
// owner's bucket, so another user's ID simply is not there.
func (p *PracticeStore) PracticeSession(ctx context.Context, userID, id string) (practice.Session, error) {
	var out practice.Session
	err := p.db.view(ctx, func(tx *bbolt.Tx) error {
		_, s, err := userPractice(tx, userID, id)
		out = s
		return err
	})
	return out, err
}

// userPractice finds session id among userID's: its bucket and the decoded
// session, or practice.ErrNotFound (unknown, or another user's).
func userPractice(tx *bbolt.Tx, userID, id string) (*bbolt.Bucket, practice.Session, error) {
	b, err := userBucket(tx, bucketPractice, userID, false)
	if err != nil {
		return nil, practice.Session{}, err
	}
	if b == nil {
		return nil, practice.Session{}, practice.ErrNotFound
	}
	raw := b.Get([]byte(id))
	if raw == nil {
		return nil, practice.Session{}, practice.ErrNotFound
	}
	s, err := decodePractice(raw)
	return b, s, err
}

// UpdatePracticeSession implements practice.Store in one write transaction.
func (p *PracticeStore) UpdatePracticeSession(ctx context.Context, userID, id string, patch practice.Patch, now time.Time) (practice.Session, error) {
	var out practice.Session
	err := p.db.update(ctx, func(tx *bbolt.Tx) error {
		b, cur, err := userPractice(tx, userID, id)
		if err != nil {
			return err
		}
		out = patch.Apply(cur, now)
		return putPractice(b, out)
	})
	return out, err
}

// allPractice decodes every session of the user.
func allPractice(tx *bbolt.Tx, userID string) ([]practice.Session, error) {
	b, err := userBucket(tx, bucketPractice, userID, false)
	if err != nil || b == nil {
		return nil, err
	}
	var out []practice.Session
	err = b.ForEach(func(_, v []byte) error {
		s, err := decodePractice(v)
		if err != nil {
			return err
		}
		out = append(out, s)
		return nil
	})
	return out, err
}

// PracticeSessions implements practice.Store. It reads the user's sessions
// and sorts them: fine for the single-node store this is.
func (p *PracticeStore) PracticeSessions(ctx context.Context, userID string, f practice.Filter) ([]practice.Session, int, error) {
	var all []practice.Session
	err := p.db.view(ctx, func(tx *bbolt.Tx) error {
		var err error
		all, err = allPractice(tx, userID)
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	matching := all[:0]
	for _, s := range all {
		if f.FeatureType == "" || s.FeatureType == f.FeatureType {
			matching = append(matching, s)
		}
	}
	sort.Slice(matching, func(i, j int) bool {
		a, b := matching[i], matching[j]
		if !a.CreatedAt.Equal(b.CreatedAt) {
			return a.CreatedAt.After(b.CreatedAt)
		}
		return a.ID > b.ID
	})
	total := len(matching)
	page := []practice.Session{}
	if f.Offset < total {
		end := min(total, f.Offset+f.Limit)
		page = append(page, matching[f.Offset:end]...)
	}
	return page, total, nil
}

// AddEvent implements practice.Store.
func (p *PracticeStore) AddEvent(ctx context.Context, e practice.Event) error {
	raw, err := json.Marshal(eventRecord{V: practiceRecordVersion, Event: e})
	if err != nil {
		return fmt.Errorf("bolt: encode event: %w", err)
	}
	return p.db.update(ctx, func(tx *bbolt.Tx) error {
		b, err := userBucket(tx, bucketEvents, e.UserID, true)
		if err != nil {
			return err
		}
		return b.Put([]byte(e.ID), raw)
	})
}

// Summaries implements practice.Store by one pass over the user's sessions
// and events.
func (p *PracticeStore) Summaries(ctx context.Context, userID string, now time.Time) ([]practice.FeatureSummary, error) {
	sums := map[string]*practice.FeatureSummary{}
	get := func(f string) *practice.FeatureSummary {
		if s, ok := sums[f]; ok {
			return s
		}
		s := &practice.FeatureSummary{FeatureType: f}
		sums[f] = s
		return s
	}
	seen := func(s *practice.FeatureSummary, first, last time.Time) {
		if s.FirstUsedAt.IsZero() || first.Before(s.FirstUsedAt) {
			s.FirstUsedAt = first
		}
		if last.After(s.LastUsedAt) {
			s.LastUsedAt = last
		}
	}
	within := func(t time.Time, d time.Duration) bool { return t.After(now.Add(-d)) && !t.After(now) }
	err := p.db.view(ctx, func(tx *bbolt.Tx) error {
		sessions, err := allPractice(tx, userID)
		if err != nil {
			return err
		}
		for _, x := range sessions {
			s := get(x.FeatureType)
			s.Sessions++
			if x.Status == practice.StatusCompleted {
				s.Completed++
			}
			if x.Score != nil {
				s.Scored++
				s.ScoreSum += *x.Score
			}
			s.DurationSeconds += x.DurationSeconds
			seen(s, x.CreatedAt, x.UpdatedAt)
			if within(x.CreatedAt, 7*24*time.Hour) {
				s.SessionsSince7d++
			}
			if x.CompletedAt != nil && within(*x.CompletedAt, 30*24*time.Hour) {
				s.CompletedSince30d++
			}
		}
		b, err := userBucket(tx, bucketEvents, userID, false)
		if err != nil || b == nil {
			return err
		}
		return b.ForEach(func(_, v []byte) error {
			var r eventRecord
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("bolt: decode event: %w", err)
			}
			if r.FeatureType == "" {
				return nil
			}
			s := get(r.FeatureType)
			s.Events++
			seen(s, r.CreatedAt, r.CreatedAt)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	out := make([]practice.FeatureSummary, 0, len(sums))
	for _, s := range sums {
		s.FirstUsedAt, s.LastUsedAt = s.FirstUsedAt.UTC(), s.LastUsedAt.UTC()
		out = append(out, *s)
	}
	return out, nil
}

// AddUsage implements practice.Store; bbolt's single writer makes the
// read-add-write atomic.
func (p *PracticeStore) AddUsage(ctx context.Context, userID, day string, tokens int) (int, error) {
	var total uint64
	err := p.db.update(ctx, func(tx *bbolt.Tx) error {
		b, err := userBucket(tx, bucketServerUsage, userID, true)
		if err != nil {
			return err
		}
		total = readCount(b.Get([]byte(day))) + uint64(max(tokens, 0))
		buf := make([]byte, 8)
		binary.BigEndian.PutUint64(buf, total)
		return b.Put([]byte(day), buf)
	})
	return int(total), err
}

// Usage implements practice.Store.
func (p *PracticeStore) Usage(ctx context.Context, userID, day string) (int, error) {
	var total uint64
	err := p.db.view(ctx, func(tx *bbolt.Tx) error {
		b, err := userBucket(tx, bucketServerUsage, userID, false)
		if err != nil || b == nil {
			return err
		}
		total = readCount(b.Get([]byte(day)))
		return nil
	})
	return int(total), err
}

// reservedKey holds the tokens reserved on day by calls in flight, apart
// from the day's spent count, so the count keeps its 8-byte form.
func reservedKey(day string) []byte { return []byte("reserved:" + day) }

func putCount(b *bbolt.Bucket, key []byte, n uint64) error {
	buf := make([]byte, 8)
	binary.BigEndian.PutUint64(buf, n)
	return b.Put(key, buf)
}

// ReserveUsage implements practice.Store; bbolt's single writer makes the
// read and the grant one step.
func (p *PracticeStore) ReserveUsage(ctx context.Context, userID, day string, want, limit int) (int, practice.DayUsage, error) {
	var granted uint64
	var after practice.DayUsage
	err := p.db.update(ctx, func(tx *bbolt.Tx) error {
		b, err := userBucket(tx, bucketServerUsage, userID, true)
		if err != nil {
			return err
		}
		used, reserved := readCount(b.Get([]byte(day))), readCount(b.Get(reservedKey(day)))
		if left := uint64(max(limit, 0)); used+reserved < left {
			granted = min(uint64(max(want, 0)), left-used-reserved)
		}
		after = practice.DayUsage{Used: int(used), Reserved: int(reserved + granted)}
		if granted == 0 {
			return nil
		}
		return putCount(b, reservedKey(day), reserved+granted)
	})
	if err != nil {
		return 0, practice.DayUsage{}, err
	}
	return int(granted), after, nil
}

// SettleUsage implements practice.Store in one write transaction.
func (p *PracticeStore) SettleUsage(ctx context.Context, userID, day string, reserved, spent int) (practice.DayUsage, error) {
	var after practice.DayUsage
	err := p.db.update(ctx, func(tx *bbolt.Tx) error {
		b, err := userBucket(tx, bucketServerUsage, userID, true)
		if err != nil {
			return err
		}
		used := readCount(b.Get([]byte(day))) + uint64(max(spent, 0))
		held := readCount(b.Get(reservedKey(day)))
		held -= min(held, uint64(max(reserved, 0)))
		after = practice.DayUsage{Used: int(used), Reserved: int(held)}
		if err := putCount(b, []byte(day), used); err != nil {
			return err
		}
		if held == 0 {
			return b.Delete(reservedKey(day))
		}
		return putCount(b, reservedKey(day), held)
	})
	return after, err
}

func readCount(raw []byte) uint64 {
	if len(raw) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(bytes.Clone(raw))
}

// ServerStore is cara-server's embedded store: accounts from DB, practice
// data from its PracticeStore. Both count tokens per day; the server's quota
// is the PracticeStore's (DB's own count is the desktop's budget), so
// AddUsage is chosen explicitly.
type ServerStore struct {
	*DB
	*PracticeStore
}

// AddUsage counts Gemini proxy tokens toward the server's daily quota.
func (s ServerStore) AddUsage(ctx context.Context, userID, day string, tokens int) (int, error) {
	return s.PracticeStore.AddUsage(ctx, userID, day, tokens)
}
