package bolt

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	bbolt "go.etcd.io/bbolt"

	"github.com/cara-coach/cara/internal/cara"
	"github.com/cara-coach/cara/internal/coach"
)

// oldReview and oldLine are a review and its History line byte for byte as
// schema 1 (the build before accounts) wrote them.
func oldReview(id, title, text string, created time.Time, overall int, deleted bool) string {
	return fmt.Sprintf(`{"v":1,"id":%q,"title":%q,"text":%q,"source":"paste","createdAt":%q,`+
		`"report":{"version":1,"counts":{"words":3,"sentences":0,"syllables":0,"characters":0,"letters":0,"polysyllables":0,"difficultWords":0,"paragraphs":0},`+
		`"readability":{"fleschReadingEase":0,"fleschKincaidGrade":0,"gunningFog":0,"smogIndex":0,"colemanLiauIndex":0,"automatedReadabilityIndex":0,"plainGrade":""},`+
		`"sentences":{"count":0,"meanWords":0,"medianWords":0,"longestWords":0,"lengths":null,"histogram":null,"long":null},`+
		`"flags":null,"scores":{"overall":%d,"clarity":0,"concision":0,"confidence":0,"warmth":0},"topChanges":null,"notes":null,"repairedUtf8":false},`+
		`"updated_hlc":{"wall_ms":%d,"counter":0,"node":""},"deleted":%t}`,
		id, title, text, created.Format(time.RFC3339Nano), overall, created.UnixMilli(), deleted)
}

func oldLine(id, title string, created time.Time, overall int, deleted bool) string {
	return fmt.Sprintf(`{"v":1,"id":%q,"title":%q,"createdAt":%q,"words":3,"flags":0,`+
		`"scores":{"overall":%d,"clarity":0,"concision":0,"confidence":0,"warmth":0},`+
		`"updated_hlc":{"wall_ms":%d,"counter":0,"node":""},"deleted":%t}`,
		id, title, created.Format(time.RFC3339Nano), overall, created.UnixMilli(), deleted)
}

const (
	oldLaunch = "01HQ0000000000000000000001"
	oldPitch  = "01HQ0000000000000000000002"
	oldGone   = "01HQ0000000000000000000003" // deleted before the upgrade
)

// schema1Fixture is a database as the schema-1 build left it: two live
// reviews and one tombstone as top-level keys of reviews and review_index.
type schema1Fixture struct {
	reviews, lines map[string]string
}

func writeSchema1(t *testing.T, dir string) schema1Fixture {
	t.Helper()
	day1 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	day2 := day1.Add(24 * time.Hour)
	day3 := day2.Add(24 * time.Hour)
	f := schema1Fixture{
		reviews: map[string]string{
			oldLaunch: oldReview(oldLaunch, "Launch update", "We shipped it.", day1, 72, false),
			oldPitch:  oldReview(oldPitch, "Pitch draft", "We grow fast.", day2, 64, false),
			oldGone:   oldReview(oldGone, "", "", day3, 0, true),
		},
		lines: map[string]string{
			oldLaunch: oldLine(oldLaunch, "Launch update", day1, 72, false),
			oldPitch:  oldLine(oldPitch, "Pitch draft", day2, 64, false),
			oldGone:   oldLine(oldGone, "", day3, 0, true),
		},
	}
	db, err := bbolt.Open(filepath.Join(dir, FileName), 0o600, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bbolt.Tx) error {
		meta, err := tx.CreateBucket([]byte("meta"))
		if err != nil {
			return err
		}
		v := make([]byte, 8)
		binary.BigEndian.PutUint64(v, 1)
		if err := meta.Put([]byte("schema_version"), v); err != nil {
			return err
		}
		for name, values := range map[string]map[string]string{"reviews": f.reviews, "review_index": f.lines} {
			b, err := tx.CreateBucket([]byte(name))
			if err != nil {
				return err
			}
			for k, v := range values {
				if err := b.Put([]byte(k), []byte(v)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// rawSnapshot reads a database file without migrating it: the schema version
// and the top-level bucket names.
func rawSnapshot(t *testing.T, dir string) (version uint64, buckets []string) {
	t.Helper()
	db, err := bbolt.Open(filepath.Join(dir, FileName), 0o600, &bbolt.Options{Timeout: time.Second, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.View(func(tx *bbolt.Tx) error {
		if v := tx.Bucket([]byte("meta")).Get([]byte("schema_version")); len(v) == 8 {
			version = binary.BigEndian.Uint64(v)
		}
		return tx.ForEach(func(name []byte, _ *bbolt.Bucket) error {
			buckets = append(buckets, string(name))
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return version, buckets
}

var schema3Buckets = []string{
	"meta", "refresh_tokens", "review_index", "reviews", "sessions", "throttle",
	"unclaimed_review_index", "unclaimed_reviews", "user_sessions", "users", "users_by_email",
}

var schema4Buckets = []string{
	"chat_index", "chats", "meta", "refresh_tokens", "review_index", "reviews", "sessions", "throttle",
	"unclaimed_review_index", "unclaimed_reviews", "usage", "usage_budgets", "user_sessions", "users", "users_by_email",
}

func TestSchemaIsVersion4FromScratch(t *testing.T) {
	if SchemaVersion != 4 {
		t.Fatalf("SchemaVersion: got %d, want 4 (0→1 reviews, 1→2 accounts, 2→3 reviews per user, 3→4 chats and usage)", SchemaVersion)
	}
	db, dir := openTemp(t)
	if v, err := db.schemaVersion(); err != nil || v != 4 {
		t.Fatalf("schema version: got %d, %v, want 4", v, err)
	}
	db.Close()
	_, buckets := rawSnapshot(t, dir)
	if !slices.Equal(buckets, schema4Buckets) {
		t.Errorf("buckets: got %v, want %v", buckets, schema4Buckets)
	}
}

func TestMigrateSchema1KeepsReviewsForClaiming(t *testing.T) {
	dir := t.TempDir()
	fixture := writeSchema1(t, dir)
	db, err := Open(dir)
	if err != nil {
		t.Fatalf("open schema-1 database: %v", err)
	}
	ctx := context.Background()
	if v, _ := db.schemaVersion(); v != SchemaVersion {
		t.Fatalf("schema version: got %d, want %d", v, SchemaVersion)
	}

	// Moved unchanged, byte for byte, out of the per-user buckets.
	for _, bucket := range []string{"reviews", "review_index"} {
		if keys, _ := keysAt(db, bucket); len(keys) != 0 {
			t.Errorf("%s still holds %v", bucket, keys)
		}
	}
	for bucket, want := range map[string]map[string]string{"unclaimed_reviews": fixture.reviews, "unclaimed_review_index": fixture.lines} {
		for id, v := range want {
			got, err := readRaw(db, id, bucket)
			if err != nil || string(got) != v {
				t.Errorf("%s/%s: got %s (%v), want the schema-1 bytes", bucket, id, got, err)
			}
		}
	}

	// Nobody sees them before they are claimed.
	if list, _ := db.ListReviews(ctx, ana); len(list) != 0 {
		t.Errorf("before claiming, ana sees %v", titles(list))
	}
	if _, err := db.GetReview(ctx, ana, oldLaunch); cara.ErrorCode(err) != cara.ENOTFOUND {
		t.Errorf("before claiming, GetReview: got %v, want not found", err)
	}

	n, err := db.ClaimUnclaimedReviews(ctx, ana)
	if err != nil || n != 2 {
		t.Fatalf("ClaimUnclaimedReviews(ana): got %d, %v, want 2 live reviews", n, err)
	}
	list, _ := db.ListReviews(ctx, ana)
	if got, want := titles(list), []string{"Pitch draft", "Launch update"}; !equal(got, want) {
		t.Errorf("ana's History: got %v, want %v", got, want)
	}
	r, err := db.GetReview(ctx, ana, oldLaunch)
	if err != nil || r.Text != "We shipped it." || r.Report.Scores.Overall != 72 {
		t.Errorf("GetReview(claimed): got %+v, %v", r, err)
	}
	if _, err := db.GetReview(ctx, ana, oldGone); cara.ErrorCode(err) != cara.ENOTFOUND {
		t.Errorf("claimed tombstone: got %v, want not found", err)
	}
	if raw, _ := readRaw(db, oldGone, "reviews", ana); raw == nil {
		t.Error("the tombstone did not move with the reviews (a later sync needs it)")
	}
	if err := db.DeleteReview(ctx, ana, oldPitch); err != nil {
		t.Errorf("DeleteReview(claimed): %v", err)
	}

	// The area is empty now: a second claimant gets nothing.
	if n, err := db.ClaimUnclaimedReviews(ctx, bob); err != nil || n != 0 {
		t.Errorf("ClaimUnclaimedReviews(bob): got %d, %v, want 0", n, err)
	}
	if list, _ := db.ListReviews(ctx, bob); len(list) != 0 {
		t.Errorf("bob sees %v", titles(list))
	}
	for _, bucket := range []string{"unclaimed_reviews", "unclaimed_review_index"} {
		if keys, _ := keysAt(db, bucket); len(keys) != 0 {
			t.Errorf("%s still holds %v", bucket, keys)
		}
	}

	// Reopening does not migrate again, and the claim stuck.
	db.Close()
	db, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	list, _ = db.ListReviews(ctx, ana)
	if got, want := titles(list), []string{"Launch update"}; !equal(got, want) {
		t.Errorf("after reopen, ana's History: got %v, want %v", got, want)
	}
}

// Migrations run in one transaction: if any step fails, the file is exactly
// as it was, and the next start tries again.
func TestFailedMigrationChangesNothing(t *testing.T) {
	dir := t.TempDir()
	writeSchema1(t, dir)
	_, before := rawSnapshot(t, dir)

	saved := migrations
	migrations = append(slices.Clone(migrations), func(*bbolt.Tx) error { return errors.New("disk on fire") })
	_, err := Open(dir)
	migrations = saved
	if err == nil {
		t.Fatal("Open with a failing migration: got nil error")
	}

	version, after := rawSnapshot(t, dir)
	if version != 1 || !slices.Equal(after, before) {
		t.Fatalf("after a failed migration: schema %d, buckets %v; want 1, %v", version, after, before)
	}

	db, err := Open(dir)
	if err != nil {
		t.Fatalf("open after the failed attempt: %v", err)
	}
	defer db.Close()
	if n, err := db.ClaimUnclaimedReviews(context.Background(), ana); err != nil || n != 2 {
		t.Errorf("ClaimUnclaimedReviews: got %d, %v, want 2", n, err)
	}
}

// Two accounts made at once: one of them gets every review, never a mix.
func TestClaimIsAtomic(t *testing.T) {
	dir := t.TempDir()
	writeSchema1(t, dir)
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	users := []string{ana, bob, "01CAROLCCCCCCCCCCCCCCCCCCC", "01DANDDDDDDDDDDDDDDDDDDDDD"}
	got := make([]int, len(users))
	var wg sync.WaitGroup
	for i, u := range users {
		wg.Go(func() {
			var err error
			if got[i], err = db.ClaimUnclaimedReviews(ctx, u); err != nil {
				t.Errorf("ClaimUnclaimedReviews(%s): %v", u, err)
			}
		})
	}
	wg.Wait()
	winners := 0
	for i, u := range users {
		list, _ := db.ListReviews(ctx, u)
		if len(list) != got[i] {
			t.Errorf("%s: claimed %d, sees %d", u, got[i], len(list))
		}
		switch got[i] {
		case 2:
			winners++
		case 0:
		default:
			t.Errorf("%s claimed %d reviews, want all (2) or none", u, got[i])
		}
	}
	if winners != 1 {
		t.Errorf("got %d users with the reviews (%v), want 1", winners, got)
	}
}

func TestClaimNeverOverwritesTheUsersOwnReview(t *testing.T) {
	dir := t.TempDir()
	writeSchema1(t, dir)
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	mine := review(oldLaunch, "my own, same id", 99)
	if err := db.CreateReview(ctx, ana, mine); err != nil {
		t.Fatal(err)
	}
	n, err := db.ClaimUnclaimedReviews(ctx, ana)
	if err != nil || n != 1 {
		t.Fatalf("ClaimUnclaimedReviews: got %d, %v, want 1 (the other live one)", n, err)
	}
	if r, _ := db.GetReview(ctx, ana, oldLaunch); r.Title != "my own, same id" {
		t.Errorf("the user's own review was overwritten: got %q", r.Title)
	}
	if keys, _ := keysAt(db, "unclaimed_reviews"); !slices.Equal(keys, []string{oldLaunch}) {
		t.Errorf("unclaimed after a collision: got %v, want [%s]", keys, oldLaunch)
	}
}

func TestClaimWithNothingUnclaimed(t *testing.T) {
	db, _ := openTemp(t)
	ctx := context.Background()
	if n, err := db.ClaimUnclaimedReviews(ctx, ana); err != nil || n != 0 {
		t.Errorf("ClaimUnclaimedReviews on a new database: got %d, %v, want 0, nil", n, err)
	}
	if keys, _ := keysAt(db, "reviews"); len(keys) != 0 {
		t.Errorf("an empty claim made buckets %v", keys)
	}
	if _, err := db.ClaimUnclaimedReviews(ctx, ""); err == nil {
		t.Error("ClaimUnclaimedReviews(\"\"): got nil error")
	}
}

// Reviews created after the upgrade are never "unclaimed".
func TestNewReviewsAreNotUnclaimed(t *testing.T) {
	db, _ := openTemp(t)
	ctx := context.Background()
	if err := db.CreateReview(ctx, ana, review("01N", "new", 50)); err != nil {
		t.Fatal(err)
	}
	if n, _ := db.ClaimUnclaimedReviews(ctx, bob); n != 0 {
		t.Errorf("bob claimed %d of ana's reviews", n)
	}
	if _, err := db.GetReview(ctx, bob, "01N"); cara.ErrorCode(err) != cara.ENOTFOUND {
		t.Errorf("bob opened ana's review: %v", err)
	}
	var _ coach.ReviewStore = db
}

// writeSchema3 writes a database as the schema-3 build (accounts, reviews
// per user, before the AI side) left it: one of ana's reviews and one
// unclaimed review, in that build's bytes (no AI fields).
func writeSchema3(t *testing.T, dir string) (anaReview, anaLine string) {
	t.Helper()
	day := time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC)
	anaReview = oldReview(oldLaunch, "Launch update", "We shipped it.", day, 72, false)
	anaLine = oldLine(oldLaunch, "Launch update", day, 72, false)
	db, err := bbolt.Open(filepath.Join(dir, FileName), 0o600, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bbolt.Tx) error {
		for _, name := range schema3Buckets {
			if _, err := tx.CreateBucket([]byte(name)); err != nil {
				return err
			}
		}
		v := make([]byte, 8)
		binary.BigEndian.PutUint64(v, 3)
		if err := tx.Bucket([]byte("meta")).Put([]byte("schema_version"), v); err != nil {
			return err
		}
		puts := []struct{ bucket, user, key, value string }{
			{"reviews", ana, oldLaunch, anaReview},
			{"review_index", ana, oldLaunch, anaLine},
			{"unclaimed_reviews", "", oldPitch, oldReview(oldPitch, "Pitch draft", "We grow fast.", day.Add(time.Hour), 64, false)},
			{"unclaimed_review_index", "", oldPitch, oldLine(oldPitch, "Pitch draft", day.Add(time.Hour), 64, false)},
		}
		for _, p := range puts {
			b := tx.Bucket([]byte(p.bucket))
			if p.user != "" {
				if b, err = b.CreateBucketIfNotExists([]byte(p.user)); err != nil {
					return err
				}
			}
			if err := b.Put([]byte(p.key), []byte(p.value)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return anaReview, anaLine
}

// Schema 3 → 4 only adds the AI buckets: reviews stay byte for byte, read
// back with no AI status, take Ask Cara's fields, and unclaimed reviews can
// still be claimed.
func TestMigrateSchema3AddsAIBuckets(t *testing.T) {
	dir := t.TempDir()
	rawReview, rawLine := writeSchema3(t, dir)
	db, err := Open(dir)
	if err != nil {
		t.Fatalf("open schema-3 database: %v", err)
	}
	ctx := context.Background()
	if v, _ := db.schemaVersion(); v != 4 {
		t.Fatalf("schema version: got %d, want 4", v)
	}
	for _, c := range []struct{ bucket, want string }{{"reviews", rawReview}, {"review_index", rawLine}} {
		if got, err := readRaw(db, oldLaunch, c.bucket, ana); err != nil || string(got) != c.want {
			t.Errorf("%s/%s after migration: got %s (%v), want the schema-3 bytes", c.bucket, ana, got, err)
		}
	}

	r, err := db.GetReview(ctx, ana, oldLaunch)
	if err != nil || r.Text != "We shipped it." || r.AIStatus != coach.AINone || r.AI != nil {
		t.Fatalf("schema-3 review: got text %q status %q ai %v, %v; want its text and no AI", r.Text, r.AIStatus, r.AI, err)
	}
	list, err := db.ListReviews(ctx, ana)
	if err != nil || len(list) != 1 || list[0].AIStatus != coach.AINone || list[0].Scores.Overall != 72 {
		t.Fatalf("schema-3 History: got %+v, %v", list, err)
	}
	r.AIStatus, r.AIMode = coach.AIPending, coach.ModeStrict
	if err := db.UpdateReview(ctx, ana, r); err != nil {
		t.Fatalf("UpdateReview(schema-3 review): %v", err)
	}
	if list, _ := db.ListReviews(ctx, ana); len(list) != 1 || list[0].AIStatus != coach.AIPending {
		t.Errorf("History after UpdateReview: got %+v, want one line, pending", list)
	}

	if n, err := db.ClaimUnclaimedReviews(ctx, ana); err != nil || n != 1 {
		t.Errorf("ClaimUnclaimedReviews: got %d, %v, want 1", n, err)
	}
	if got, err := db.GetReview(ctx, ana, oldPitch); err != nil || got.Title != "Pitch draft" || got.AIStatus != coach.AINone {
		t.Errorf("claimed review: got %q/%q, %v", got.Title, got.AIStatus, err)
	}

	if err := db.SaveChat(ctx, ana, chat("01CHAT", "after upgrade", 1)); err != nil {
		t.Errorf("SaveChat after migration: %v", err)
	}
	if n, err := db.AddUsage(ctx, ana, "2027-01-04", 120); err != nil || n != 120 {
		t.Errorf("AddUsage after migration: got %d, %v, want 120", n, err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	version, buckets := rawSnapshot(t, dir)
	if version != 4 || !slices.Equal(buckets, schema4Buckets) {
		t.Errorf("file after migration: schema %d, buckets %v; want 4, %v", version, buckets, schema4Buckets)
	}

	db, err = Open(dir)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer db.Close()
	if list, _ := db.ListChats(ctx, ana); len(list) != 1 || list[0].Title != "after upgrade" {
		t.Errorf("chats after reopen: got %+v", list)
	}
	if r, _ := db.GetReview(ctx, ana, oldLaunch); r.AIStatus != coach.AIPending || r.AIMode != coach.ModeStrict {
		t.Errorf("updated review after reopen: status %q mode %q, want pending/strict", r.AIStatus, r.AIMode)
	}
}
