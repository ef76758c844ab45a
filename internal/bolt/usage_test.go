package bolt

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/cara-coach/cara/internal/cara"
)

// Counts are per user and per day; each add returns the day's new total.
func TestUsagePerUserPerDay(t *testing.T) {
	db, _ := openTemp(t)
	ctx := context.Background()
	tests := []struct {
		name   string
		op     string // add, on
		user   string
		day    string
		tokens int
		want   int
	}{
		{"nothing spent yet", "on", ana, "2027-03-10", 0, 0},
		{"ana's first call", "add", ana, "2027-03-10", 1200, 1200},
		{"ana's second call adds up", "add", ana, "2027-03-10", 800, 2000},
		{"bob's own count", "add", bob, "2027-03-10", 50, 50},
		{"ana reads hers", "on", ana, "2027-03-10", 0, 2000},
		{"bob reads his", "on", bob, "2027-03-10", 0, 50},
		{"next day starts at zero", "on", ana, "2027-03-11", 0, 0},
		{"next day counts alone", "add", ana, "2027-03-11", 10, 10},
		{"the day before is kept", "on", ana, "2027-03-10", 0, 2000},
		{"a call that used no tokens", "add", bob, "2027-03-10", 0, 50},
		{"a newcomer", "on", "01NEWUSERCCCCCCCCCCCCCCCCC", "2027-03-10", 0, 0},
		{"no user", "on", "", "2027-03-10", 0, 0},
	}
	for _, tt := range tests { // in order: later rows see earlier adds
		t.Run(tt.name, func(t *testing.T) {
			var got int
			var err error
			switch tt.op {
			case "add":
				got, err = db.AddUsage(ctx, tt.user, tt.day, tt.tokens)
			case "on":
				got, err = db.UsageOn(ctx, tt.user, tt.day)
			}
			if err != nil || got != tt.want {
				t.Errorf("got %d, %v, want %d", got, err, tt.want)
			}
		})
	}
}

// Twenty goroutines adding at once lose nothing: the total is the exact sum
// and every add saw a different running total.
func TestAddUsageConcurrent(t *testing.T) {
	db, _ := openTemp(t)
	ctx := context.Background()
	const workers, adds = 20, 25
	var mu sync.Mutex
	var seen []int
	var wg sync.WaitGroup
	want := 0
	for w := range workers {
		tokens := w + 1
		want += adds * tokens
		wg.Go(func() {
			for range adds {
				n, err := db.AddUsage(ctx, ana, "2027-03-10", tokens)
				if err != nil {
					t.Errorf("AddUsage: %v", err)
					return
				}
				mu.Lock()
				seen = append(seen, n)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if got, err := db.UsageOn(ctx, ana, "2027-03-10"); err != nil || got != want {
		t.Fatalf("total: got %d, %v, want %d", got, err, want)
	}
	slices.Sort(seen)
	if len(slices.Compact(slices.Clone(seen))) != workers*adds {
		t.Errorf("two adds returned the same running total: %v", seen)
	}
	if seen[len(seen)-1] != want {
		t.Errorf("largest returned total: got %d, want %d", seen[len(seen)-1], want)
	}
	if got, _ := db.UsageOn(ctx, bob, "2027-03-10"); got != 0 {
		t.Errorf("bob's count: got %d, want 0", got)
	}
}

// AddUsage keeps the 90 days ending on the day it counts, per user.
func TestAddUsagePrunesOldDays(t *testing.T) {
	db, _ := openTemp(t)
	ctx := context.Background()
	for _, day := range []string{"2026-12-31", "2027-01-01", "2027-01-02", "2027-02-15"} {
		for _, u := range []string{ana, bob} {
			if _, err := db.AddUsage(ctx, u, day, 5); err != nil {
				t.Fatal(err)
			}
		}
	}
	// 2027-04-01 minus 89 days is 2027-01-02: the first kept day.
	if _, err := db.AddUsage(ctx, ana, "2027-04-01", 1); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		user string
		want []string
	}{
		{ana, []string{"2027-01-02", "2027-02-15", "2027-04-01"}},
		{bob, []string{"2026-12-31", "2027-01-01", "2027-01-02", "2027-02-15"}}, // pruned on bob's own adds only
	}
	for _, tt := range tests {
		got, err := keysAt(db, "usage", tt.user)
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("%s's days: got %v, %v, want %v", tt.user, got, err, tt.want)
		}
	}
	if n, _ := db.UsageOn(ctx, ana, "2027-01-02"); n != 5 {
		t.Errorf("kept day: got %d, want 5", n)
	}
	// A late add for an old day (clock set back) keeps the newer days.
	if _, err := db.AddUsage(ctx, ana, "2026-12-01", 3); err != nil {
		t.Fatal(err)
	}
	if got, _ := keysAt(db, "usage", ana); !slices.Equal(got, []string{"2026-12-01", "2027-01-02", "2027-02-15", "2027-04-01"}) {
		t.Errorf("after an add for an old day: got %v", got)
	}
}

func TestUsageRefusesBadInput(t *testing.T) {
	db, _ := openTemp(t)
	ctx := context.Background()
	tests := []struct {
		name   string
		user   string
		day    string
		tokens int
	}{
		{"no user", "", "2027-03-10", 5},
		{"negative tokens", ana, "2027-03-10", -5},
		{"empty day", ana, "", 5},
		{"unpadded day", ana, "2027-3-10", 5},
		{"impossible date", ana, "2027-02-30", 5},
		{"a time, not a day", ana, "2027-03-10T10:00:00Z", 5},
		{"a word", ana, "today", 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if n, err := db.AddUsage(ctx, tt.user, tt.day, tt.tokens); err == nil {
				t.Errorf("AddUsage: got %d, nil error; want an error", n)
			}
		})
	}
	if _, err := db.UsageOn(ctx, ana, "2027-3-10"); err == nil {
		t.Error("UsageOn with a bad day: got nil error")
	}
	if keys, _ := keysAt(db, "usage"); len(keys) != 0 {
		t.Errorf("refused adds stored %v", keys)
	}
}

func TestBudget(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tests := []struct {
		name     string
		op       string // set, get
		user     string
		tokens   int
		want     int
		wantCode string
	}{
		{"never set", "get", ana, 0, 0, ""},
		{"ana raises hers", "set", ana, 80_000, 0, ""},
		{"ana reads it", "get", ana, 0, 80_000, ""},
		{"bob's is still unset", "get", bob, 0, 0, ""},
		{"bob sets his", "set", bob, 20_000, 0, ""},
		{"ana's unchanged", "get", ana, 0, 80_000, ""},
		{"negative refused", "set", ana, -1, 0, cara.EINVALID},
		{"still 80k after the refusal", "get", ana, 0, 80_000, ""},
		{"no user", "set", "", 10, 0, cara.EINTERNAL},
		{"zero forgets it", "set", bob, 0, 0, ""},
		{"bob back to never set", "get", bob, 0, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got int
			var err error
			switch tt.op {
			case "set":
				err = db.SetBudget(ctx, tt.user, tt.tokens)
			case "get":
				got, err = db.Budget(ctx, tt.user)
			}
			if code := cara.ErrorCode(err); code != tt.wantCode {
				t.Fatalf("got error %v (code %q), want code %q", err, code, tt.wantCode)
			}
			if got != tt.want {
				t.Errorf("got %d, want %d", got, tt.want)
			}
		})
	}
	if keys, _ := keysAt(db, "usage_budgets"); !slices.Equal(keys, []string{ana}) {
		t.Errorf("budget keys: got %v, want only ana's", keys)
	}
	db.Close()
	db, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got, err := db.Budget(ctx, ana); err != nil || got != 80_000 {
		t.Errorf("after reopen: got %d, %v, want 80000", got, err)
	}
}
