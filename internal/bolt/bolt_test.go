package bolt

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cara-coach/cara/internal/analysis"
	"github.com/cara-coach/cara/internal/cara"
	"github.com/cara-coach/cara/internal/coach"
)

func openTemp(t *testing.T) (*DB, string) {
	t.Helper()
	dir := t.TempDir()
	db, err := Open(dir)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db, dir
}

func review(id, title string, overall int) coach.Review {
	return coach.Review{
		ID:        id,
		Title:     title,
		Text:      "Hello " + title,
		Source:    "paste",
		CreatedAt: time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC),
		Report:    analysis.Report{Version: 1, Scores: analysis.Scores{Overall: overall}, Counts: analysis.Counts{Words: 2}},
	}
}

func TestOpenCreatesPrivateFileAndSchema(t *testing.T) {
	db, dir := openTemp(t)
	st, err := os.Stat(filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	if got := st.Mode().Perm(); got != 0o600 {
		t.Errorf("got mode %o, want 600", got)
	}
	v, err := db.schemaVersion()
	if err != nil {
		t.Fatal(err)
	}
	if v != SchemaVersion {
		t.Errorf("got schema version %d, want %d", v, SchemaVersion)
	}
}

func TestSecondOpenSaysAlreadyRunning(t *testing.T) {
	_, dir := openTemp(t)
	start := time.Now()
	_, err := Open(dir)
	if got, want := cara.ErrorMessage(err), "Cara is already running"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	if cara.ErrorCode(err) != cara.EALREADYOPEN {
		t.Errorf("got code %q, want %q", cara.ErrorCode(err), cara.EALREADYOPEN)
	}
	// The lock wait is 1 s; it must not hang for long.
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("second open took %v", d)
	}
}

func TestReopenKeepsDataAndSchema(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := db.CreateReview(ctx, ana, review("01A", "first", 70)); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err = Open(dir)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer db.Close()
	if v, err := db.schemaVersion(); err != nil || v != SchemaVersion {
		t.Errorf("schema version after reopen: got %d, %v, want %d", v, err, SchemaVersion)
	}
	got, err := db.GetReview(ctx, ana, "01A")
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != "first" || got.Report.Scores.Overall != 70 {
		t.Errorf("got %q/%d, want first/70", got.Title, got.Report.Scores.Overall)
	}
}

func TestNewerSchemaIsRefused(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	saved := migrations
	migrations = append(migrations, migrations[0]) // pretend a newer build wrote it
	err = db.migrate()
	db.Close()
	migrations = saved
	if err != nil {
		t.Fatalf("migrate up: %v", err)
	}
	_, err = Open(dir)
	if cara.ErrorCode(err) != cara.EUNAVAILABLE {
		t.Fatalf("got %v, want a 'newer Cara' error", err)
	}
}

// Two users of one machine, as in the tests below.
const (
	ana = "01ANAUSERAAAAAAAAAAAAAAAAA"
	bob = "01BOBUSERBBBBBBBBBBBBBBBBB"
)

func TestReviewsCRUD(t *testing.T) {
	db, _ := openTemp(t)
	ctx := context.Background()
	for _, r := range []coach.Review{review("01A", "oldest", 40), review("01B", "middle", 50), review("01C", "newest", 60)} {
		if err := db.CreateReview(ctx, ana, r); err != nil {
			t.Fatal(err)
		}
	}
	list, err := db.ListReviews(ctx, ana)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := titles(list), []string{"newest", "middle", "oldest"}; !equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	if list[0].Scores.Overall != 60 || list[0].Words != 2 {
		t.Errorf("got summary %+v, want overall 60 words 2", list[0])
	}

	if err := db.DeleteReview(ctx, ana, "01B"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		id       string
		wantCode string
	}{
		{"live review", "01A", ""},
		{"deleted review", "01B", cara.ENOTFOUND},
		{"unknown id", "nope", cara.ENOTFOUND},
		{"empty id", "", cara.ENOTFOUND},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := db.GetReview(ctx, ana, tt.id)
			if got := cara.ErrorCode(err); got != tt.wantCode {
				t.Errorf("got code %q, want %q", got, tt.wantCode)
			}
		})
	}
	if err := db.DeleteReview(ctx, ana, "01B"); cara.ErrorCode(err) != cara.ENOTFOUND {
		t.Errorf("second delete: got %v, want not found", err)
	}
	list, _ = db.ListReviews(ctx, ana)
	if len(list) != 2 {
		t.Errorf("got %d reviews after delete, want 2", len(list))
	}
}

func TestCreateReviewNeedsUserAndID(t *testing.T) {
	db, _ := openTemp(t)
	ctx := context.Background()
	if err := db.CreateReview(ctx, "", review("01A", "x", 1)); err == nil {
		t.Error("CreateReview without a user: got nil error")
	}
	if err := db.CreateReview(ctx, ana, review("", "x", 1)); err == nil {
		t.Error("CreateReview without an id: got nil error")
	}
	if list, err := db.ListReviews(ctx, ""); err != nil || len(list) != 0 {
		t.Errorf("ListReviews(no user): got %v, %v, want empty", list, err)
	}
}

// A user never sees, opens or deletes another user's reviews: another
// user's id answers exactly like an unknown one.
func TestReviewsArePerUser(t *testing.T) {
	db, _ := openTemp(t)
	ctx := context.Background()
	for _, c := range []struct {
		user string
		r    coach.Review
	}{
		{ana, review("01A1", "ana-old", 10)},
		{bob, review("01B1", "bob-only", 20)},
		{ana, review("01A2", "ana-new", 30)},
	} {
		if err := db.CreateReview(ctx, c.user, c.r); err != nil {
			t.Fatal(err)
		}
	}
	notFound := cara.ErrorMessage(errReviewNotFound)
	tests := []struct {
		name    string
		user    string
		op      string // list, get, delete
		id      string
		want    []string // list: titles; get: the title
		wantErr string   // message, "" for none
	}{
		{"ana lists hers", ana, "list", "", []string{"ana-new", "ana-old"}, ""},
		{"bob lists his", bob, "list", "", []string{"bob-only"}, ""},
		{"a newcomer lists none", "01NEWUSERCCCCCCCCCCCCCCCCC", "list", "", nil, ""},
		{"ana opens hers", ana, "get", "01A1", []string{"ana-old"}, ""},
		{"ana cannot open bob's", ana, "get", "01B1", nil, notFound},
		{"bob cannot open ana's", bob, "get", "01A2", nil, notFound},
		{"unknown id reads the same", bob, "get", "01ZZ", nil, notFound},
		{"bob cannot delete ana's", bob, "delete", "01A1", nil, notFound},
		{"ana cannot delete bob's", ana, "delete", "01B1", nil, notFound},
		{"ana still has both", ana, "list", "", []string{"ana-new", "ana-old"}, ""},
		{"bob still opens his", bob, "get", "01B1", []string{"bob-only"}, ""},
		{"bob deletes his", bob, "delete", "01B1", nil, ""},
		{"bob's list is empty", bob, "list", "", nil, ""},
		{"ana's list is untouched", ana, "list", "", []string{"ana-new", "ana-old"}, ""},
	}
	for _, tt := range tests { // in order: later rows see earlier deletes
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			var err error
			switch tt.op {
			case "list":
				var list []coach.ReviewSummary
				list, err = db.ListReviews(ctx, tt.user)
				if list == nil && err == nil {
					t.Error("ListReviews returned nil; want an empty list (JSON [])")
				}
				got = titles(list)
			case "get":
				var r coach.Review
				r, err = db.GetReview(ctx, tt.user, tt.id)
				if err == nil {
					got = []string{r.Title}
				}
			case "delete":
				err = db.DeleteReview(ctx, tt.user, tt.id)
			}
			if msg := cara.ErrorMessage(err); msg != tt.wantErr {
				t.Fatalf("got error %q (%v), want %q", msg, err, tt.wantErr)
			}
			if tt.wantErr != "" && cara.ErrorCode(err) != cara.ENOTFOUND {
				t.Errorf("got code %q, want %q", cara.ErrorCode(err), cara.ENOTFOUND)
			}
			if !equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// A deleted review keeps no trace of its text in the database file.
func TestDeleteDropsContent(t *testing.T) {
	db, _ := openTemp(t)
	ctx := context.Background()
	r := review("01Z", "secret-plan", 50)
	r.Text = "the quarterly numbers are zebra-confidential"
	r.UpdatedHLC.WallMS = time.Now().Add(time.Hour).UnixMilli() // a clock ahead of ours
	if err := db.CreateReview(ctx, ana, r); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteReview(ctx, ana, "01Z"); err != nil {
		t.Fatal(err)
	}
	var tomb reviewRecord
	raw, err := readRaw(db, "01Z", "reviews", ana)
	if err != nil {
		t.Fatal(err)
	}
	if err := jsonUnmarshal(raw, &tomb); err != nil {
		t.Fatal(err)
	}
	if !tomb.Deleted || tomb.Text != "" || tomb.Title != "" {
		t.Errorf("got tombstone %+v, want deleted with no text or title", tomb)
	}
	if tomb.UpdatedHLC.WallMS <= r.UpdatedHLC.WallMS {
		t.Errorf("tombstone clock %d, want after %d", tomb.UpdatedHLC.WallMS, r.UpdatedHLC.WallMS)
	}
	line, err := readRaw(db, "01Z", "review_index", ana)
	if err != nil {
		t.Fatal(err)
	}
	var s summaryRecord
	if err := jsonUnmarshal(line, &s); err != nil {
		t.Fatal(err)
	}
	if !s.Deleted || s.Title != "" {
		t.Errorf("got History line %+v, want deleted with no title", s)
	}
}

func titles(list []coach.ReviewSummary) []string {
	var out []string
	for _, s := range list {
		out = append(out, s.Title)
	}
	return out
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// After a delete and Close, the deleted text is gone from the file's bytes,
// not just unlinked from the tree (bbolt doesn't wipe freed pages).
func TestDeletedTextLeavesTheFile(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	keep, gone := review("01K", "kept", 50), review("01G", "zebra-title", 50)
	keep.Text = "this text stays"
	gone.Text = "quokka-confidential numbers"
	for _, r := range []coach.Review{keep, gone} {
		if err := db.CreateReview(ctx, "u1", r); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.DeleteReview(ctx, "u1", "01G"); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"quokka-confidential", "zebra-title"} {
		if bytes.Contains(raw, []byte(secret)) {
			t.Errorf("got %q still in the data file after delete and close", secret)
		}
	}
	if st, _ := os.Stat(filepath.Join(dir, FileName)); st.Mode().Perm() != 0o600 {
		t.Errorf("got mode %o after compaction, want 600", st.Mode().Perm())
	}
	db, err = Open(dir)
	if err != nil {
		t.Fatalf("reopen after compaction: %v", err)
	}
	defer db.Close()
	got, err := db.GetReview(ctx, "u1", "01K")
	if err != nil || got.Text != "this text stays" {
		t.Fatalf("got %q, %v; want the kept review intact", got.Text, err)
	}
	if _, err := db.GetReview(ctx, "u1", "01G"); cara.ErrorCode(err) != cara.ENOTFOUND {
		t.Errorf("got %v for the deleted review, want not found", err)
	}
}

func TestDamagedFileIsAnErrorNotACrash(t *testing.T) {
	page := make([]byte, 4096)
	for i := range page {
		page[i] = byte(i*7 + 3)
	}
	tests := []struct {
		name    string
		content func(t *testing.T, path string) []byte
	}{
		{"garbage bytes", func(*testing.T, string) []byte { return bytes.Repeat([]byte("not a database "), 2000) }},
		{"random page over a real file", func(t *testing.T, path string) []byte {
			db, err := Open(filepath.Dir(path))
			if err != nil {
				t.Fatal(err)
			}
			db.Close()
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			for off := 0; off+len(page) <= len(raw); off += len(page) {
				if off >= 8192 {
					copy(raw[off:], page)
				}
			}
			return raw
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, FileName)
			if err := os.WriteFile(path, tt.content(t, path), 0o600); err != nil {
				t.Fatal(err)
			}
			db, err := Open(dir)
			if err == nil {
				// Some damage only shows on use; the file must at least not crash Cara.
				db.Close()
				return
			}
			if !strings.Contains(cara.ErrorMessage(err), "data file is damaged") {
				t.Errorf("got %q, want the damaged-file message", cara.ErrorMessage(err))
			}
		})
	}
}
