// Package practicetest checks that a practice.Store keeps the contract
// documented on practice.Store. The PostgreSQL and bbolt stores both run it.
package practicetest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/cara-coach/cara/internal/practice"
)

// RunStoreTests runs the conformance suite. newStore returns a new, empty
// Store per call and a function that creates a user with the given ID (the
// PostgreSQL store needs the user row to exist), arranging cleanup itself.
func RunStoreTests(t *testing.T, newStore func(t *testing.T) (practice.Store, func(userID string))) {
	t.Helper()
	tests := []struct {
		name string
		run  func(t *testing.T, s practice.Store, addUser func(string))
	}{
		{"SessionRoundTrip", testRoundTrip},
		{"DataKeepsEveryDigit", testDataDigits},
		{"OtherUsersSessionIsNotFound", testOwnership},
		{"Update", testUpdate},
		{"ListPagesAndFilters", testList},
		{"Summaries", testSummaries},
		{"Usage", testUsage},
		{"ConcurrentUsage", testConcurrentUsage},
		{"ReserveAndSettle", testReserveAndSettle},
		{"ConcurrentReservationsHoldTheLimit", testConcurrentReservations},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, addUser := newStore(t)
			tt.run(t, s, addUser)
		})
	}
}

var base = time.Date(2030, 3, 4, 5, 6, 7, 891011000, time.UTC)

func at(d time.Duration) time.Time { return base.Add(d) }

var seq struct {
	mu sync.Mutex
	n  int
}

func nextID() string {
	seq.mu.Lock()
	defer seq.mu.Unlock()
	seq.n++
	return fmt.Sprintf("01P%023d", seq.n)
}

func intp(v int) *int { return &v }

func newSession(userID, feature string, created time.Time) practice.Session {
	return practice.Session{
		ID: nextID(), UserID: userID, FeatureType: feature, Title: "Ask for a raise",
		Status: practice.StatusInProgress, DurationSeconds: 0,
		Data:      json.RawMessage(`{"n":2,"scenario":"raise","turns":["Hi","Hello"]}`),
		CreatedAt: created, UpdatedAt: created,
	}
}

func mustCreate(t *testing.T, s practice.Store, sess practice.Session) practice.Session {
	t.Helper()
	if err := s.CreatePracticeSession(context.Background(), sess); err != nil {
		t.Fatalf("CreatePracticeSession: %v", err)
	}
	return sess
}

func sameSession(t *testing.T, got, want practice.Session) {
	t.Helper()
	if got.ID != want.ID || got.UserID != want.UserID || got.FeatureType != want.FeatureType ||
		got.Title != want.Title || got.Status != want.Status || got.DurationSeconds != want.DurationSeconds {
		t.Errorf("session: got %+v, want %+v", got, want)
	}
	if (got.Score == nil) != (want.Score == nil) || (got.Score != nil && *got.Score != *want.Score) {
		t.Errorf("Score: got %v, want %v", deref(got.Score), deref(want.Score))
	}
	if !sameJSON(got.Data, want.Data) {
		t.Errorf("Data: got %s, want %s", got.Data, want.Data)
	}
	if !got.CreatedAt.Equal(want.CreatedAt) || !got.UpdatedAt.Equal(want.UpdatedAt) {
		t.Errorf("times: got created %v updated %v, want %v %v", got.CreatedAt, got.UpdatedAt, want.CreatedAt, want.UpdatedAt)
	}
	if (got.CompletedAt == nil) != (want.CompletedAt == nil) || (got.CompletedAt != nil && !got.CompletedAt.Equal(*want.CompletedAt)) {
		t.Errorf("CompletedAt: got %v, want %v", got.CompletedAt, want.CompletedAt)
	}
}

// sameJSON reports whether a and b are the same JSON value, numbers
// compared digit for digit (a store may reformat, never round).
func sameJSON(a, b json.RawMessage) bool {
	decode := func(raw json.RawMessage) (any, bool) {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		var v any
		return v, dec.Decode(&v) == nil
	}
	va, okA := decode(a)
	vb, okB := decode(b)
	return okA && okB && reflect.DeepEqual(va, vb)
}

func deref(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

func testRoundTrip(t *testing.T, s practice.Store, addUser func(string)) {
	ctx := context.Background()
	addUser("ana")
	a := newSession("ana", practice.FeatureRoleplay, at(0))
	a.Title = "Négocier 😀"
	mustCreate(t, s, a)
	got, err := s.PracticeSession(ctx, "ana", a.ID)
	if err != nil {
		t.Fatalf("PracticeSession: %v", err)
	}
	sameSession(t, got, a)

	b := newSession("ana", practice.FeatureReview, at(time.Second))
	b.Score, b.Status, b.DurationSeconds = intp(87), practice.StatusCompleted, 300
	done := at(2 * time.Second)
	b.CompletedAt = &done
	b.Data = json.RawMessage(`{}`)
	mustCreate(t, s, b)
	got, err = s.PracticeSession(ctx, "ana", b.ID)
	if err != nil {
		t.Fatal(err)
	}
	sameSession(t, got, b)

	_, err = s.PracticeSession(ctx, "ana", "no-such-id")
	if !errors.Is(err, practice.ErrNotFound) {
		t.Errorf("PracticeSession(unknown): got %v, want ErrNotFound", err)
	}
}

// testDataDigits: Data is kept as JSON, so numbers no float64 can hold
// exactly come back with every digit.
func testDataDigits(t *testing.T, s practice.Store, addUser func(string)) {
	ctx := context.Background()
	addUser("ana")
	const data = `{"big":123456789012345678901234567890,"precise":0.1000000000000000055511151231257827,"neg":-98765432109876543210,"nested":{"list":[1,2.5,"x",null,true]}}`
	a := newSession("ana", practice.FeatureReview, at(0))
	a.Data = json.RawMessage(data)
	mustCreate(t, s, a)
	got, err := s.PracticeSession(ctx, "ana", a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !sameJSON(got.Data, a.Data) {
		t.Errorf("Data after create: got %s, want %s", got.Data, data)
	}
	patched := json.RawMessage(`{"big":-123456789012345678901234567891}`)
	got, err = s.UpdatePracticeSession(ctx, "ana", a.ID, practice.Patch{Data: patched}, at(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if stored, err := s.PracticeSession(ctx, "ana", a.ID); err != nil || !sameJSON(stored.Data, patched) || !sameJSON(got.Data, patched) {
		t.Errorf("Data after update: returned %s, stored %s (%v), want %s", got.Data, stored.Data, err, patched)
	}
}

func testOwnership(t *testing.T, s practice.Store, addUser func(string)) {
	ctx := context.Background()
	addUser("ana")
	addUser("bob")
	a := mustCreate(t, s, newSession("ana", practice.FeatureRoleplay, at(0)))
	if _, err := s.PracticeSession(ctx, "bob", a.ID); !errors.Is(err, practice.ErrNotFound) {
		t.Errorf("bob reads ana's session: got %v, want ErrNotFound", err)
	}
	title := "hijacked"
	if _, err := s.UpdatePracticeSession(ctx, "bob", a.ID, practice.Patch{Title: &title}, at(time.Minute)); !errors.Is(err, practice.ErrNotFound) {
		t.Errorf("bob updates ana's session: got %v, want ErrNotFound", err)
	}
	got, err := s.PracticeSession(ctx, "ana", a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != a.Title {
		t.Errorf("after bob's update: title %q, want %q", got.Title, a.Title)
	}
	list, total, err := s.PracticeSessions(ctx, "bob", practice.Filter{Limit: 10})
	if err != nil || total != 0 || len(list) != 0 {
		t.Errorf("bob's list: got %d sessions, total %d, err %v; want none", len(list), total, err)
	}
}

func testUpdate(t *testing.T, s practice.Store, addUser func(string)) {
	ctx := context.Background()
	addUser("ana")
	a := mustCreate(t, s, newSession("ana", practice.FeatureListening, at(0)))
	status, title := practice.StatusCompleted, "Done"
	now := at(time.Hour)
	got, err := s.UpdatePracticeSession(ctx, "ana", a.ID, practice.Patch{
		Status: &status, Title: &title, Score: intp(72), DurationSeconds: intp(600),
		Data: json.RawMessage(`{"answers":["b","c"]}`),
	}, now)
	if err != nil {
		t.Fatalf("UpdatePracticeSession: %v", err)
	}
	want := a
	want.Status, want.Title, want.Score, want.DurationSeconds = status, title, intp(72), 600
	want.Data = json.RawMessage(`{"answers":["b","c"]}`)
	want.UpdatedAt, want.CompletedAt = now, &now
	sameSession(t, got, want)
	stored, err := s.PracticeSession(ctx, "ana", a.ID)
	if err != nil {
		t.Fatal(err)
	}
	sameSession(t, stored, want)

	// A second completion keeps the first CompletedAt; nil fields stay.
	later := at(2 * time.Hour)
	got, err = s.UpdatePracticeSession(ctx, "ana", a.ID, practice.Patch{Status: &status}, later)
	if err != nil {
		t.Fatal(err)
	}
	want.UpdatedAt = later
	sameSession(t, got, want)

	if _, err := s.UpdatePracticeSession(ctx, "ana", "no-such-id", practice.Patch{}, now); !errors.Is(err, practice.ErrNotFound) {
		t.Errorf("UpdatePracticeSession(unknown): got %v, want ErrNotFound", err)
	}
}

func testList(t *testing.T, s practice.Store, addUser func(string)) {
	ctx := context.Background()
	addUser("ana")
	addUser("bob")
	var roleplays, all []string // newest first
	for i := range 7 {
		f := practice.FeatureRoleplay
		if i%3 == 0 {
			f = practice.FeatureReview
		}
		x := mustCreate(t, s, newSession("ana", f, at(time.Duration(i)*time.Minute)))
		all = append([]string{x.ID}, all...)
		if f == practice.FeatureRoleplay {
			roleplays = append([]string{x.ID}, roleplays...)
		}
	}
	mustCreate(t, s, newSession("bob", practice.FeatureRoleplay, at(time.Hour)))
	ids := func(list []practice.Session) []string {
		out := []string{}
		for _, x := range list {
			out = append(out, x.ID)
		}
		return out
	}
	tests := []struct {
		f         practice.Filter
		want      []string
		wantTotal int
	}{
		{practice.Filter{Limit: 3}, all[:3], 7},
		{practice.Filter{Limit: 3, Offset: 3}, all[3:6], 7},
		{practice.Filter{Limit: 3, Offset: 6}, all[6:], 7},
		{practice.Filter{Limit: 3, Offset: 9}, []string{}, 7},
		{practice.Filter{Limit: 100, FeatureType: practice.FeatureRoleplay}, roleplays, 4},
		{practice.Filter{Limit: 2, Offset: 2, FeatureType: practice.FeatureRoleplay}, roleplays[2:], 4},
		{practice.Filter{Limit: 10, FeatureType: practice.FeatureTranslator}, []string{}, 0},
	}
	for _, tt := range tests {
		got, total, err := s.PracticeSessions(ctx, "ana", tt.f)
		if err != nil {
			t.Fatalf("PracticeSessions(%+v): %v", tt.f, err)
		}
		if fmt.Sprint(ids(got)) != fmt.Sprint(tt.want) || total != tt.wantTotal {
			t.Errorf("PracticeSessions(%+v): got %v total %d, want %v total %d", tt.f, ids(got), total, tt.want, tt.wantTotal)
		}
	}
}

func testSummaries(t *testing.T, s practice.Store, addUser func(string)) {
	ctx := context.Background()
	addUser("ana")
	addUser("bob")
	now := at(40 * 24 * time.Hour)
	// Two roleplays: one old and completed with score 80, one recent in progress.
	old := newSession("ana", practice.FeatureRoleplay, at(0))
	old.Status, old.Score, old.DurationSeconds = practice.StatusCompleted, intp(80), 100
	oldDone := at(time.Hour)
	old.CompletedAt, old.UpdatedAt = &oldDone, oldDone
	mustCreate(t, s, old)
	recent := newSession("ana", practice.FeatureRoleplay, now.Add(-2*24*time.Hour))
	recent.DurationSeconds = 50
	mustCreate(t, s, recent)
	// A review completed 10 days ago with score 61.
	rev := newSession("ana", practice.FeatureReview, now.Add(-12*24*time.Hour))
	rev.Status, rev.Score = practice.StatusCompleted, intp(61)
	revDone := now.Add(-10 * 24 * time.Hour)
	rev.CompletedAt, rev.UpdatedAt = &revDone, revDone
	mustCreate(t, s, rev)
	// Events: two for translator, one without a feature, one of bob's.
	for i, e := range []practice.Event{
		{UserID: "ana", EventType: "feature_opened", FeatureType: practice.FeatureTranslator, CreatedAt: now.Add(-time.Hour)},
		{UserID: "ana", EventType: "feature_opened", FeatureType: practice.FeatureTranslator, CreatedAt: now.Add(-30 * time.Minute), Properties: json.RawMessage(`{"from":"pt"}`)},
		{UserID: "ana", EventType: "app_opened", CreatedAt: now},
		{UserID: "bob", EventType: "feature_opened", FeatureType: practice.FeatureRoleplay, CreatedAt: now},
	} {
		e.ID = fmt.Sprintf("01E%023d", i)
		if err := s.AddEvent(ctx, e); err != nil {
			t.Fatalf("AddEvent: %v", err)
		}
	}
	sums, err := s.Summaries(ctx, "ana", now)
	if err != nil {
		t.Fatalf("Summaries: %v", err)
	}
	got := map[string]practice.FeatureSummary{}
	for _, x := range sums {
		got[x.FeatureType] = x
	}
	want := map[string]practice.FeatureSummary{
		practice.FeatureRoleplay: {FeatureType: practice.FeatureRoleplay, Sessions: 2, Completed: 1, Scored: 1, ScoreSum: 80,
			DurationSeconds: 150, FirstUsedAt: at(0), LastUsedAt: recent.UpdatedAt, SessionsSince7d: 1},
		practice.FeatureReview: {FeatureType: practice.FeatureReview, Sessions: 1, Completed: 1, Scored: 1, ScoreSum: 61,
			FirstUsedAt: rev.CreatedAt, LastUsedAt: revDone, CompletedSince30d: 1},
		practice.FeatureTranslator: {FeatureType: practice.FeatureTranslator, Events: 2,
			FirstUsedAt: now.Add(-time.Hour), LastUsedAt: now.Add(-30 * time.Minute)},
	}
	for f, w := range want {
		g, ok := got[f]
		if !ok {
			t.Errorf("Summaries: no line for %s", f)
			continue
		}
		if !g.FirstUsedAt.Equal(w.FirstUsedAt) || !g.LastUsedAt.Equal(w.LastUsedAt) {
			t.Errorf("%s: first/last used got %v / %v, want %v / %v", f, g.FirstUsedAt, g.LastUsedAt, w.FirstUsedAt, w.LastUsedAt)
		}
		g.FirstUsedAt, g.LastUsedAt, w.FirstUsedAt, w.LastUsedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
		if g != w {
			t.Errorf("%s: got %+v, want %+v", f, g, w)
		}
	}
	for f := range got {
		if _, ok := want[f]; !ok {
			t.Errorf("Summaries: unexpected line for %q: %+v", f, got[f])
		}
	}
}

func testUsage(t *testing.T, s practice.Store, addUser func(string)) {
	ctx := context.Background()
	addUser("ana")
	addUser("bob")
	if n, err := s.Usage(ctx, "ana", "2030-03-04"); err != nil || n != 0 {
		t.Fatalf("Usage(none): got %d, %v; want 0, nil", n, err)
	}
	steps := []struct {
		user, day string
		add, want int
	}{
		{"ana", "2030-03-04", 120, 120},
		{"ana", "2030-03-04", 80, 200},
		{"ana", "2030-03-05", 5, 5},
		{"bob", "2030-03-04", 7, 7},
	}
	for _, st := range steps {
		got, err := s.AddUsage(ctx, st.user, st.day, st.add)
		if err != nil || got != st.want {
			t.Errorf("AddUsage(%s, %s, %d): got %d, %v; want %d", st.user, st.day, st.add, got, err, st.want)
		}
	}
	if n, _ := s.Usage(ctx, "ana", "2030-03-04"); n != 200 {
		t.Errorf("Usage(ana, day 1): got %d, want 200", n)
	}
}

func testConcurrentUsage(t *testing.T, s practice.Store, addUser func(string)) {
	addUser("ana")
	const n = 40
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			if _, err := s.AddUsage(context.Background(), "ana", "2030-03-04", 10); err != nil {
				t.Errorf("AddUsage: %v", err)
			}
		})
	}
	wg.Wait()
	if got, _ := s.Usage(context.Background(), "ana", "2030-03-04"); got != n*10 {
		t.Fatalf("after %d concurrent AddUsage(10): got %d, want %d", n, got, n*10)
	}
}

func testReserveAndSettle(t *testing.T, s practice.Store, addUser func(string)) {
	ctx := context.Background()
	addUser("ana")
	addUser("bob")
	const day, limit = "2030-03-04", 1000
	usage := func(used, reserved int) practice.DayUsage { return practice.DayUsage{Used: used, Reserved: reserved} }
	steps := []struct {
		name        string
		user        string
		reserve     int // want, when > 0
		settle      [2]int
		wantGranted int
		want        practice.DayUsage
	}{
		{name: "a first call gets all it asks", user: "ana", reserve: 300, wantGranted: 300, want: usage(0, 300)},
		{name: "a second one too", user: "ana", reserve: 500, wantGranted: 500, want: usage(0, 800)},
		{name: "a third gets what is left", user: "ana", reserve: 500, wantGranted: 200, want: usage(0, 1000)},
		{name: "then nothing", user: "ana", reserve: 1, wantGranted: 0, want: usage(0, 1000)},
		{name: "another user is apart", user: "bob", reserve: 900, wantGranted: 900, want: usage(0, 900)},
		{name: "settling releases and counts what was spent", user: "ana", settle: [2]int{300, 120}, want: usage(120, 700)},
		{name: "what was released can be granted", user: "ana", reserve: 1000, wantGranted: 180, want: usage(120, 880)},
		{name: "a failed call releases all", user: "ana", settle: [2]int{500, 0}, want: usage(120, 380)},
		{name: "spending past the reservation is still counted", user: "ana", settle: [2]int{200, 260}, want: usage(380, 180)},
		{name: "releasing more than is held stops at 0", user: "ana", settle: [2]int{999, 0}, want: usage(380, 0)},
	}
	for _, st := range steps {
		var got practice.DayUsage
		var granted int
		var err error
		if st.reserve > 0 {
			granted, got, err = s.ReserveUsage(ctx, st.user, day, st.reserve, limit)
		} else {
			got, err = s.SettleUsage(ctx, st.user, day, st.settle[0], st.settle[1])
		}
		if err != nil || granted != st.wantGranted || got != st.want {
			t.Errorf("%s: got grant %d, %+v, %v; want grant %d, %+v", st.name, granted, got, err, st.wantGranted, st.want)
		}
	}
	if n, err := s.Usage(ctx, "ana", day); err != nil || n != 380 {
		t.Errorf("Usage(ana): got %d, %v; want the 380 spent (reservations apart)", n, err)
	}
	// A settle for a day nobody reserved on just counts.
	if got, err := s.SettleUsage(ctx, "bob", "2030-03-05", 0, 7); err != nil || got != usage(7, 0) {
		t.Errorf("SettleUsage on a new day: got %+v, %v; want {7 0}", got, err)
	}
}

// testConcurrentReservations: many calls reserve, then settle with less
// than they reserved, at once. No grant takes the day past the limit, no
// update is lost (in the end the spent total is exact and nothing stays
// reserved), and the limit is really used (not refused for nothing).
func testConcurrentReservations(t *testing.T, s practice.Store, addUser func(string)) {
	ctx := context.Background()
	addUser("ana")
	const day, limit, callers, rounds = "2030-03-04", 5000, 16, 10
	var mu sync.Mutex
	spent, granted := 0, 0
	var wg sync.WaitGroup
	for c := range callers {
		wg.Go(func() {
			for r := range rounds {
				want := 100 + (c*37+r*11)%400
				got, after, err := s.ReserveUsage(ctx, "ana", day, want, limit)
				if err != nil {
					t.Errorf("ReserveUsage: %v", err)
					return
				}
				if got < 0 || got > want || after.Used+after.Reserved > limit {
					t.Errorf("grant %d of %d: used %d + reserved %d, limit %d", got, want, after.Used, after.Reserved, limit)
				}
				use := got / 2
				if _, err := s.SettleUsage(ctx, "ana", day, got, use); err != nil {
					t.Errorf("SettleUsage: %v", err)
					return
				}
				mu.Lock()
				spent += use
				granted += got
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	_, after, err := s.ReserveUsage(ctx, "ana", day, 0, limit)
	if err != nil || after.Used != spent || after.Reserved != 0 {
		t.Errorf("in the end: got %+v, %v; want used %d (all spent), reserved 0", after, err, spent)
	}
	if granted == 0 {
		t.Error("no reservation was granted at all")
	}
}
