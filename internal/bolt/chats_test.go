package bolt

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/cara-coach/cara/internal/analysis"
	"github.com/cara-coach/cara/internal/cara"
	"github.com/cara-coach/cara/internal/coach"
)

// chat is a chat with n turns, alternating persona and user.
func chat(id, title string, n int) coach.Chat {
	start := time.Date(2027, 2, 1, 15, 0, 0, 0, time.UTC)
	c := coach.Chat{
		ID:         id,
		Title:      title,
		ScenarioID: "salary",
		PersonaID:  "skeptic",
		AIStatus:   coach.AINone,
		CreatedAt:  start,
		UpdatedAt:  start,
	}
	for i := range n {
		role := coach.RolePersona
		if i%2 == 1 {
			role = coach.RoleUser
		}
		c.Turns = append(c.Turns, coach.Turn{
			ID: fmt.Sprintf("%s-t%d", id, i), Role: role, Text: fmt.Sprintf("%s turn %d", title, i),
			Status: coach.TurnComplete, CreatedAt: start.Add(time.Duration(i) * time.Minute),
		})
	}
	return c
}

func chatTitles(list []coach.ChatSummary) []string {
	var out []string
	for _, s := range list {
		out = append(out, s.Title)
	}
	return out
}

// A user never sees, opens, replaces or deletes another user's chats: their
// ids answer exactly like unknown ones.
func TestChatsArePerUser(t *testing.T) {
	db, _ := openTemp(t)
	ctx := context.Background()
	for _, c := range []struct {
		user string
		c    coach.Chat
	}{
		{ana, chat("01A1", "ana-old", 2)},
		{bob, chat("01B1", "bob-only", 3)},
		{ana, chat("01A2", "ana-new", 1)},
	} {
		if err := db.SaveChat(ctx, c.user, c.c); err != nil {
			t.Fatal(err)
		}
	}
	notFound := "That practice session no longer exists"
	tests := []struct {
		name    string
		user    string
		op      string // list, get, delete
		id      string
		want    []string // list: titles; get: the title
		wantErr string
	}{
		{"ana lists hers", ana, "list", "", []string{"ana-new", "ana-old"}, ""},
		{"bob lists his", bob, "list", "", []string{"bob-only"}, ""},
		{"a newcomer lists none", "01NEWUSERCCCCCCCCCCCCCCCCC", "list", "", nil, ""},
		{"no user lists none", "", "list", "", nil, ""},
		{"ana opens hers", ana, "get", "01A1", []string{"ana-old"}, ""},
		{"ana cannot open bob's", ana, "get", "01B1", nil, notFound},
		{"bob cannot open ana's", bob, "get", "01A2", nil, notFound},
		{"unknown id reads the same", bob, "get", "01ZZ", nil, notFound},
		{"empty id reads the same", ana, "get", "", nil, notFound},
		{"no user opens nothing", "", "get", "01A1", nil, notFound},
		{"bob cannot delete ana's", bob, "delete", "01A1", nil, notFound},
		{"ana cannot delete bob's", ana, "delete", "01B1", nil, notFound},
		{"ana still has both", ana, "list", "", []string{"ana-new", "ana-old"}, ""},
		{"bob deletes his", bob, "delete", "01B1", nil, ""},
		{"bob deletes it again", bob, "delete", "01B1", nil, notFound},
		{"bob cannot open it", bob, "get", "01B1", nil, notFound},
		{"bob's list is empty", bob, "list", "", nil, ""},
		{"ana's list is untouched", ana, "list", "", []string{"ana-new", "ana-old"}, ""},
	}
	for _, tt := range tests { // in order: later rows see earlier deletes
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			var err error
			switch tt.op {
			case "list":
				var list []coach.ChatSummary
				list, err = db.ListChats(ctx, tt.user)
				if list == nil && err == nil {
					t.Error("ListChats returned nil; want an empty list (JSON [])")
				}
				got = chatTitles(list)
			case "get":
				var c coach.Chat
				c, err = db.GetChat(ctx, tt.user, tt.id)
				if err == nil {
					got = []string{c.Title}
				}
			case "delete":
				err = db.DeleteChat(ctx, tt.user, tt.id)
			}
			if msg := cara.ErrorMessage(err); msg != tt.wantErr {
				t.Fatalf("got error %q (%v), want %q", msg, err, tt.wantErr)
			}
			if tt.wantErr != "" && cara.ErrorCode(err) != cara.ENOTFOUND {
				t.Errorf("got code %q, want %q", cara.ErrorCode(err), cara.ENOTFOUND)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// Everything in a chat comes back as it went in.
func TestChatRoundTrip(t *testing.T) {
	db, _ := openTemp(t)
	ctx := context.Background()
	c := chat("01RT", "round trip", 4)
	c.Context = &coach.ContextDoc{Name: "jd.md", Text: "Senior PM, payments"}
	c.Ended = true
	c.Turns[3].Status, c.Turns[3].Error = coach.TurnPartial, "Gemini stopped mid-reply"
	retry := time.Date(2027, 2, 1, 15, 0, 17, 0, time.UTC)
	c.Turns[3].RetryAt = &retry
	c.Offline = &analysis.Report{Version: 1, Scores: analysis.Scores{Overall: 58, Clarity: 61}, Counts: analysis.Counts{Words: 40}}
	c.Feedback = &coach.Feedback{
		Overall: 77, Clarity: coach.Dimension{Score: 80, Evidence: "Clear ask."},
		Highlights:    []coach.Highlight{{Quote: "round trip turn 1", Comment: "direct"}},
		ActionItems:   []string{"one", "two", "three"},
		BetterVersion: coach.BetterVersion{Original: "a", Improved: "b", Why: "c"},
	}
	c.AIStatus = coach.AIReady
	c.Usage = coach.Usage{PromptTokens: 900, CandidatesTokens: 300, TotalTokens: 1200}
	c.UpdatedHLC = cara.HLC{WallMS: time.Now().Add(time.Hour).UnixMilli(), Counter: 2, Node: "desk"} // ahead: kept as is
	if err := db.SaveChat(ctx, ana, c); err != nil {
		t.Fatal(err)
	}
	got, err := db.GetChat(ctx, ana, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, c) {
		t.Errorf("GetChat:\n got %+v\nwant %+v", got, c)
	}
	list, err := db.ListChats(ctx, ana)
	if err != nil {
		t.Fatal(err)
	}
	want := coach.ChatSummary{ID: "01RT", Title: "round trip", ScenarioID: "salary", PersonaID: "skeptic",
		CreatedAt: c.CreatedAt, Turns: 4, Ended: true, AIStatus: coach.AIReady, Overall: 77, OfflineOverall: 58}
	if len(list) != 1 || list[0] != want {
		t.Errorf("ListChats: got %+v, want [%+v]", list, want)
	}
}

// Saving a chat again replaces it: one record, one History line, the
// latest content and a clock that moved forward.
func TestSaveChatReplaces(t *testing.T) {
	db, _ := openTemp(t)
	ctx := context.Background()
	c := chat("01RE", "negotiation", 1)
	if err := db.SaveChat(ctx, ana, c); err != nil {
		t.Fatal(err)
	}
	first, err := db.GetChat(ctx, ana, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if first.UpdatedHLC.WallMS == 0 {
		t.Error("a new chat got no clock")
	}

	steps := []struct {
		name   string
		change func(*coach.Chat)
		want   coach.ChatSummary
	}{
		{"user replies", func(c *coach.Chat) {
			c.Turns = append(c.Turns, coach.Turn{ID: "u1", Role: coach.RoleUser, Text: "I'd like 10% more", Status: coach.TurnComplete})
		}, coach.ChatSummary{Turns: 2}},
		{"reply streaming", func(c *coach.Chat) {
			c.Turns = append(c.Turns, coach.Turn{ID: "p1", Role: coach.RolePersona, Text: "Well", Status: coach.TurnStreaming})
		}, coach.ChatSummary{Turns: 3}},
		{"ended, AI pending", func(c *coach.Chat) {
			c.Turns[2].Status = coach.TurnComplete
			c.Ended, c.AIStatus = true, coach.AIPending
		}, coach.ChatSummary{Turns: 3, Ended: true, AIStatus: coach.AIPending}},
		{"feedback ready", func(c *coach.Chat) {
			c.AIStatus, c.Feedback = coach.AIReady, &coach.Feedback{Overall: 81}
		}, coach.ChatSummary{Turns: 3, Ended: true, AIStatus: coach.AIReady, Overall: 81}},
	}
	prev := first.UpdatedHLC.WallMS
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			st.change(&c) // c keeps its stale clock, as a caller's copy would
			if err := db.SaveChat(ctx, ana, c); err != nil {
				t.Fatal(err)
			}
			for _, bucket := range []string{"chats", "chat_index"} {
				if keys, _ := keysAt(db, bucket, ana); !slices.Equal(keys, []string{"01RE"}) {
					t.Errorf("%s/%s: got keys %v, want [01RE]", bucket, ana, keys)
				}
			}
			list, err := db.ListChats(ctx, ana)
			if err != nil || len(list) != 1 {
				t.Fatalf("ListChats: got %+v, %v, want one line", list, err)
			}
			got := list[0]
			want := st.want
			want.ID, want.Title, want.ScenarioID, want.PersonaID, want.CreatedAt = "01RE", "negotiation", "salary", "skeptic", c.CreatedAt
			if got != want {
				t.Errorf("History line: got %+v, want %+v", got, want)
			}
			stored, err := db.GetChat(ctx, ana, "01RE")
			if err != nil {
				t.Fatal(err)
			}
			if len(stored.Turns) != want.Turns || stored.Turns[len(stored.Turns)-1].Text != c.Turns[len(c.Turns)-1].Text {
				t.Errorf("stored turns: got %+v, want %+v", stored.Turns, c.Turns)
			}
			if stored.UpdatedHLC.WallMS <= prev {
				t.Errorf("clock: got %d, want after %d", stored.UpdatedHLC.WallMS, prev)
			}
			prev = stored.UpdatedHLC.WallMS
		})
	}
}

func TestSaveChatRefuses(t *testing.T) {
	db, _ := openTemp(t)
	ctx := context.Background()
	if err := db.SaveChat(ctx, ana, chat("01GONE", "gone", 2)); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteChat(ctx, ana, "01GONE"); err != nil {
		t.Fatal(err)
	}
	tombstone := chat("01T", "t", 1)
	tombstone.Deleted = true
	tests := []struct {
		name     string
		user     string
		c        coach.Chat
		wantCode string // "" means any error that is not a user-facing one
	}{
		{"no user", "", chat("01X", "x", 1), ""},
		{"no id", ana, chat("", "x", 1), ""},
		{"a tombstone", ana, tombstone, ""},
		{"a chat the user deleted", ana, chat("01GONE", "resurrected", 3), cara.ENOTFOUND},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := db.SaveChat(ctx, tt.user, tt.c)
			if err == nil {
				t.Fatal("got nil error")
			}
			want := tt.wantCode
			if want == "" {
				want = cara.EINTERNAL
			}
			if got := cara.ErrorCode(err); got != want {
				t.Errorf("got code %q (%v), want %q", got, err, want)
			}
		})
	}
	if list, _ := db.ListChats(ctx, ana); len(list) != 0 {
		t.Errorf("refused saves left History lines %v", chatTitles(list))
	}
	if raw, _ := readRaw(db, "01GONE", "chats", ana); bytes.Contains(raw, []byte("resurrected")) {
		t.Errorf("a deleted chat was written again: %s", raw)
	}
}

// A deleted chat is a tombstone: id, creation time and a later clock, nothing
// the user wrote.
func TestDeleteChatLeavesTombstone(t *testing.T) {
	db, _ := openTemp(t)
	ctx := context.Background()
	c := chat("01Z", "secret-negotiation", 4)
	c.Context = &coach.ContextDoc{Name: "offer.txt", Text: "base 180k"}
	c.UpdatedHLC.WallMS = time.Now().Add(time.Hour).UnixMilli() // a clock ahead of ours
	if err := db.SaveChat(ctx, ana, c); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteChat(ctx, ana, "01Z"); err != nil {
		t.Fatal(err)
	}
	raw, err := readRaw(db, "01Z", "chats", ana)
	if err != nil {
		t.Fatal(err)
	}
	var tomb chatRecord
	if err := jsonUnmarshal(raw, &tomb); err != nil {
		t.Fatal(err)
	}
	if !tomb.Deleted || tomb.Title != "" || len(tomb.Turns) != 0 || tomb.Context != nil || tomb.ID != "01Z" || !tomb.CreatedAt.Equal(c.CreatedAt) {
		t.Errorf("got tombstone %+v, want id and creation time only", tomb)
	}
	if tomb.UpdatedHLC.WallMS <= c.UpdatedHLC.WallMS {
		t.Errorf("tombstone clock %d, want after %d", tomb.UpdatedHLC.WallMS, c.UpdatedHLC.WallMS)
	}
	line, err := readRaw(db, "01Z", "chat_index", ana)
	if err != nil {
		t.Fatal(err)
	}
	var s chatLine
	if err := jsonUnmarshal(line, &s); err != nil {
		t.Fatal(err)
	}
	if !s.Deleted || s.Title != "" || s.Turns != 0 {
		t.Errorf("got History line %+v, want deleted with no title or turns", s)
	}
}

// After a delete and Close, the chat's words are gone from the file's bytes.
func TestDeletedChatLeavesTheFile(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	keep, gone := chat("01K", "kept-chat", 2), chat("01G", "wombat-title", 2)
	keep.Turns[1].Text = "this reply stays"
	gone.Turns[1].Text = "axolotl-confidential salary"
	gone.Context = &coach.ContextDoc{Name: "jd.md", Text: "narwhal job description"}
	gone.Feedback = &coach.Feedback{Overall: 50, BetterVersion: coach.BetterVersion{Improved: "pangolin rewrite"}}
	for _, c := range []coach.Chat{keep, gone} {
		if err := db.SaveChat(ctx, "u1", c); err != nil {
			t.Fatal(err)
		}
	}
	// A second save leaves the first version in a freed page too.
	if err := db.SaveChat(ctx, "u1", gone); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteChat(ctx, "u1", "01G"); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"axolotl-confidential", "wombat-title", "narwhal", "pangolin"} {
		if bytes.Contains(raw, []byte(secret)) {
			t.Errorf("got %q still in the data file after delete and close", secret)
		}
	}
	if !bytes.Contains(raw, []byte("this reply stays")) {
		t.Error("the kept chat's text is missing from the file")
	}
	db, err = Open(dir)
	if err != nil {
		t.Fatalf("reopen after compaction: %v", err)
	}
	defer db.Close()
	got, err := db.GetChat(ctx, "u1", "01K")
	if err != nil || got.Turns[1].Text != "this reply stays" {
		t.Fatalf("got %+v, %v; want the kept chat intact", got.Turns, err)
	}
	if _, err := db.GetChat(ctx, "u1", "01G"); cara.ErrorCode(err) != cara.ENOTFOUND {
		t.Errorf("got %v for the deleted chat, want not found", err)
	}
}

// Saves from many goroutines each land whole: every chat listed once,
// newest (highest ULID) first.
func TestConcurrentSaveChat(t *testing.T) {
	db, _ := openTemp(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	var want []string
	for i := range 20 {
		id := fmt.Sprintf("01C%02d", i)
		want = append(want, id)
		wg.Go(func() {
			for n := 1; n <= 3; n++ { // each chat saved three times, growing
				if err := db.SaveChat(ctx, ana, chat(id, id, n)); err != nil {
					t.Errorf("SaveChat(%s): %v", id, err)
				}
			}
		})
	}
	wg.Wait()
	slices.Reverse(want)
	list, err := db.ListChats(ctx, ana)
	if err != nil {
		t.Fatal(err)
	}
	if got := chatTitles(list); !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	for _, s := range list {
		if s.Turns != 3 {
			t.Errorf("%s: got %d turns, want 3 (the last save)", s.ID, s.Turns)
		}
	}
}

func TestChatCanceledContext(t *testing.T) {
	db, _ := openTemp(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := db.SaveChat(ctx, ana, chat("01X", "x", 1)); err == nil {
		t.Error("SaveChat with a canceled context: got nil error")
	}
	if list, _ := db.ListChats(context.Background(), ana); len(list) != 0 {
		t.Errorf("a canceled save stored %v", chatTitles(list))
	}
}
