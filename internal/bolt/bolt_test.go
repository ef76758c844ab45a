package bolt

import (
	"context"
	"os"
	"path/filepath"
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
	if err := db.CreateReview(ctx, review("01A", "first", 70)); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err = Open(dir)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer db.Close()
	got, err := db.GetReview(ctx, "01A")
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

func TestReviewsCRUD(t *testing.T) {
	db, _ := openTemp(t)
	ctx := context.Background()
	for _, r := range []coach.Review{review("01A", "oldest", 40), review("01B", "middle", 50), review("01C", "newest", 60)} {
		if err := db.CreateReview(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	list, err := db.ListReviews(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, s := range list {
		titles = append(titles, s.Title)
	}
	if got, want := titles, []string{"newest", "middle", "oldest"}; !equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	if list[0].Scores.Overall != 60 || list[0].Words != 2 {
		t.Errorf("got summary %+v, want overall 60 words 2", list[0])
	}

	if err := db.DeleteReview(ctx, "01B"); err != nil {
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
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := db.GetReview(ctx, tt.id)
			if got := cara.ErrorCode(err); got != tt.wantCode {
				t.Errorf("got code %q, want %q", got, tt.wantCode)
			}
		})
	}
	if err := db.DeleteReview(ctx, "01B"); cara.ErrorCode(err) != cara.ENOTFOUND {
		t.Errorf("second delete: got %v, want not found", err)
	}
	list, _ = db.ListReviews(ctx)
	if len(list) != 2 {
		t.Errorf("got %d reviews after delete, want 2", len(list))
	}
}

// A deleted review keeps no trace of its text in the database file.
func TestDeleteDropsContent(t *testing.T) {
	db, _ := openTemp(t)
	ctx := context.Background()
	r := review("01Z", "secret-plan", 50)
	r.Text = "the quarterly numbers are zebra-confidential"
	if err := db.CreateReview(ctx, r); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteReview(ctx, "01Z"); err != nil {
		t.Fatal(err)
	}
	var tomb reviewRecord
	raw, err := readRaw(db, bucketReviews, "01Z")
	if err != nil {
		t.Fatal(err)
	}
	if err := jsonUnmarshal(raw, &tomb); err != nil {
		t.Fatal(err)
	}
	if !tomb.Deleted || tomb.Text != "" || tomb.Title != "" {
		t.Errorf("got tombstone %+v, want deleted with no text or title", tomb)
	}
	if tomb.UpdatedHLC.WallMS == 0 {
		t.Errorf("tombstone has no clock")
	}

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
