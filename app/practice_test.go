package app

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cara-coach/cara/internal/coach"
	"github.com/cara-coach/cara/internal/gemini"
	"github.com/cara-coach/cara/internal/gemini/geminitest"
)

// withKey signs up and saves the fake Gemini's key.
func withKey(t *testing.T, ta *testApp) AuthState {
	t.Helper()
	st := ta.register(t, "ada@example.com")
	if _, err := ta.Settings.SetGeminiKey(ta.gemini.APIKey()); err != nil {
		t.Fatalf("SetGeminiKey: %v", err)
	}
	return st
}

// chunksOf returns the text of every chat:chunk event for turnID, in order.
func chunksOf(t *testing.T, ta *testApp, turnID string) []string {
	t.Helper()
	var out []string
	for _, e := range ta.events.list() {
		name, data, _ := strings.Cut(e, " ")
		if name != EventChatChunk {
			continue
		}
		var payload []ChunkEvent
		if err := json.Unmarshal([]byte(data), &payload); err != nil || len(payload) != 1 {
			t.Fatalf("chat:chunk payload %s: %v", data, err)
		}
		if payload[0].TurnID == turnID {
			if payload[0].At <= 0 {
				t.Errorf("chunk without its arrival time: %+v", payload[0])
			}
			out = append(out, payload[0].Text)
		}
	}
	return out
}

func lastTurn(c coach.Chat) coach.Turn { return c.Turns[len(c.Turns)-1] }

// replied calls start (Practice.Send or Retry), checks that it answers at
// once with the chat as saved before Gemini is asked (an empty reply still
// streaming), then waits for the chat:reply event and returns its chat.
func replied(t *testing.T, ta *testApp, start func() (coach.Chat, error)) (coach.Chat, error) {
	t.Helper()
	seen := len(ta.events.list())
	saved, err := start()
	if err != nil {
		return coach.Chat{}, err
	}
	if last := lastTurn(saved); last.Role != coach.RolePersona || last.Status != coach.TurnStreaming || last.Text != "" {
		t.Fatalf("answer: got last turn %+v; want an empty streaming reply", last)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		for _, e := range ta.events.list()[seen:] {
			name, data, _ := strings.Cut(e, " ")
			if name != EventChatReply {
				continue
			}
			var payload []ReplyEvent
			if err := json.Unmarshal([]byte(data), &payload); err != nil || len(payload) != 1 {
				t.Fatalf("chat:reply payload %s: %v", data, err)
			}
			if ev := payload[0]; ev.ChatID == saved.ID {
				if ev.Chat == nil {
					t.Fatalf("chat:reply without a chat: %+v", ev)
				}
				return *ev.Chat, nil
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("no chat:reply event in 10 s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestConversationThroughTheServices: a three-turn chat streamed as events,
// ended for feedback, found in History, tokens counted.
func TestConversationThroughTheServices(t *testing.T) {
	ta := newTestApp(t)
	withKey(t, ta)

	chat, err := ta.Practice.Start(coach.StartInput{ScenarioID: coach.ScenarioInterview, PersonaID: coach.PersonaSkeptic})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	if len(chat.Turns) != 1 || chat.Turns[0].Role != coach.RolePersona || chat.Turns[0].Text == "" {
		t.Fatalf("got opening turns %+v; want the persona's opening line", chat.Turns)
	}
	says := []string{
		"I led the migration of our billing system to a new provider in six weeks.",
		"The hardest part was convincing finance, so I showed them the cost of waiting.",
		"We cut failed payments by thirty percent in the first quarter.",
	}
	for i, text := range says {
		chat, err = replied(t, ta, func() (coach.Chat, error) { return ta.Practice.Send(chat.ID, text) })
		if err != nil {
			t.Fatalf("Send %d: %v", i, err)
		}
		reply := lastTurn(chat)
		if reply.Role != coach.RolePersona || reply.Status != coach.TurnComplete || reply.Text == "" {
			t.Fatalf("turn %d: got reply %+v; want a complete persona reply", i, reply)
		}
		chunks := chunksOf(t, ta, reply.ID)
		if len(chunks) < 2 || strings.Join(chunks, "") != reply.Text {
			t.Errorf("turn %d: got chunks %q; want ≥ 2 pieces that join to %q", i, chunks, reply.Text)
		}
	}
	if got := len(chat.Turns); got != 7 {
		t.Errorf("got %d turns; want opening + 3 × (user, persona) = 7", got)
	}

	chat, err = ta.Practice.End(chat.ID)
	if err != nil {
		t.Fatalf("End: %v", err)
	}
	if !chat.Ended || chat.AIStatus != coach.AIReady || chat.Feedback == nil {
		t.Fatalf("got ended=%v aiStatus=%q feedback=%v (%s); want ready feedback", chat.Ended, chat.AIStatus, chat.Feedback, chat.AIError)
	}
	if f := chat.Feedback; f.Overall < 0 || f.Overall > 100 || len(f.ActionItems) != 3 {
		t.Errorf("got feedback %+v; want a 0–100 score and three action items", f)
	}
	if chat.Offline == nil || chat.Offline.Counts.Words == 0 {
		t.Errorf("got offline report %+v; want the user's turns measured", chat.Offline)
	}

	list, err := ta.History.List()
	if err != nil || len(list) != 1 || list[0].Kind != "chat" || list[0].ID != chat.ID || list[0].AIStatus != coach.AIReady {
		t.Fatalf("got History %+v, %v; want the chat, with ready feedback", list, err)
	}

	usage, err := ta.Settings.Usage()
	if err != nil || usage.Used <= 0 || usage.Budget != coach.DefaultDailyBudget {
		t.Errorf("got usage %+v, %v; want tokens counted against 50,000", usage, err)
	}
	if usage.Used != chat.Usage.TotalTokens {
		t.Errorf("got %d tokens today; want the chat's %d", usage.Used, chat.Usage.TotalTokens)
	}
	var usageEvents int
	for _, e := range ta.events.list() {
		if strings.HasPrefix(e, EventAIUsage+" ") {
			usageEvents++
		}
	}
	if usageEvents < 4 {
		t.Errorf("got %d %s events; want one per call (3 replies + feedback)", usageEvents, EventAIUsage)
	}

	if err := ta.History.Delete(chat.ID); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := ta.Practice.Get(chat.ID); !hasCode(t, err, "not_found") {
		t.Errorf("Get after Delete: got %v; want not_found", err)
	}
}

// TestCutReplyKeepsPartialAndRetryCompletes: a 503 mid-stream keeps what
// arrived and Retry replaces it with a whole reply.
func TestCutReplyKeepsPartialAndRetryCompletes(t *testing.T) {
	ta := newTestApp(t)
	withKey(t, ta)
	chat, err := ta.Practice.Start(coach.StartInput{ScenarioID: coach.ScenarioExecUpdate, PersonaID: coach.PersonaExecutive})
	if err != nil {
		t.Fatal(err)
	}
	ta.gemini.FailNext(geminitest.MidStreamError)
	chat, err = replied(t, ta, func() (coach.Chat, error) {
		return ta.Practice.Send(chat.ID, "We are two weeks late because the vendor missed the API freeze.")
	})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	cut := lastTurn(chat)
	if cut.Status != coach.TurnPartial || cut.Text == "" || cut.Error != gemini.MsgBusy {
		t.Fatalf("got %+v; want a partial reply with %q", cut, gemini.MsgBusy)
	}
	if user := chat.Turns[len(chat.Turns)-2]; user.Role != coach.RoleUser || user.Status != coach.TurnComplete {
		t.Errorf("got user turn %+v; want it kept", user)
	}
	if stored, err := ta.Practice.Get(chat.ID); err != nil || lastTurn(stored).Text != cut.Text {
		t.Errorf("stored: got %+v, %v; want the partial reply kept", lastTurn(stored), err)
	}

	chat, err = replied(t, ta, func() (coach.Chat, error) { return ta.Practice.Retry(chat.ID) })
	if err != nil {
		t.Fatalf("Retry: %v", err)
	}
	if got := lastTurn(chat); got.Status != coach.TurnComplete || got.Error != "" || len(chat.Turns) != 3 {
		t.Errorf("after Retry: got %+v in %d turns; want one complete reply in 3 turns", got, len(chat.Turns))
	}
}

// TestClosingMidStreamKeepsThePartialReply: Shutdown while a reply streams
// saves what arrived before the database closes.
func TestClosingMidStreamKeepsThePartialReply(t *testing.T) {
	ta := newTestApp(t)
	ada := withKey(t, ta)
	chat, err := ta.Practice.Start(coach.StartInput{ScenarioID: coach.ScenarioSmallTalk, PersonaID: coach.PersonaAlly})
	if err != nil {
		t.Fatal(err)
	}
	ta.gemini.FailNext(geminitest.Stall)
	if _, err := ta.Practice.Send(chat.ID, "Hi, I'm Ada, I just joined the platform team."); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(strings.Join(ta.events.list(), "\n"), EventChatChunk) {
		if time.Now().After(deadline) {
			t.Fatal("no chunk arrived")
		}
		time.Sleep(10 * time.Millisecond)
	}
	// Shutdown returns only once the reply running in the background has
	// saved what arrived.
	ta.Shutdown(t.Context())
	stored, err := ta.db.GetChat(t.Context(), ada.Account.ID, chat.ID)
	if err != nil {
		t.Fatal(err)
	}
	last := lastTurn(stored)
	if last.Role != coach.RolePersona || last.Text == "" || last.Status != coach.TurnPartial || last.Error != coach.MsgClosed {
		t.Errorf("got %+v; want the partial reply saved with %q", last, coach.MsgClosed)
	}
	if user := stored.Turns[len(stored.Turns)-2]; !strings.HasPrefix(user.Text, "Hi, I'm Ada") {
		t.Errorf("got user turn %+v; want it saved", user)
	}
}

// TestOfflineQueue: Ask Cara with the network down marks the review pending;
// when the network is back the queue adds the feedback, with progress events.
func TestOfflineQueue(t *testing.T) {
	ta := newTestApp(t)
	withKey(t, ta)
	r, err := ta.Coach.Review(coach.ReviewInput{Text: sampleText})
	if err != nil {
		t.Fatal(err)
	}
	ta.netDown.Store(true)
	got, err := ta.Coach.AskCara(r.ID, coach.ModeStrict)
	if err != nil {
		t.Fatalf("AskCara offline: %v", err)
	}
	if got.AIStatus != coach.AIPending || got.AIMode != coach.ModeStrict || got.AI != nil {
		t.Fatalf("offline: got %q mode %q ai %v; want pending strict, no AI yet", got.AIStatus, got.AIMode, got.AI)
	}
	if q, err := ta.Settings.Queue(); err != nil || q.Pending != 1 {
		t.Fatalf("got queue %+v, %v; want 1 pending", q, err)
	}
	if list, _ := ta.History.List(); len(list) != 1 || list[0].AIStatus != coach.AIPending {
		t.Errorf("History: got %+v; want the review marked pending", list)
	}

	ta.netDown.Store(false)
	if _, err := ta.Settings.ProcessQueue(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		done, err := ta.History.Get(r.ID)
		if err == nil && done.AIStatus == coach.AIReady && done.AI != nil && done.AI.Rewrite != "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("got %q (%s) after 5 s; want the queue to finish the review", done.AIStatus, done.AIError)
		}
		time.Sleep(20 * time.Millisecond)
	}
	var progress int
	for _, e := range ta.events.list() {
		if strings.HasPrefix(e, EventAIQueue+" ") {
			progress++
		}
	}
	if progress == 0 {
		t.Errorf("got no %s events; want progress shown", EventAIQueue)
	}
	if q, err := ta.Settings.Queue(); err != nil || q.Pending != 0 {
		t.Errorf("got queue %+v, %v; want nothing pending", q, err)
	}
}

// TestAPIKeyNeverStoredOrLogged: after failed and successful calls, the key
// is in neither the data file nor the logs.
func TestAPIKeyNeverStoredOrLogged(t *testing.T) {
	ta := newTestApp(t)
	withKey(t, ta)
	key := ta.gemini.APIKey()
	chat, err := ta.Practice.Start(coach.StartInput{ScenarioID: coach.ScenarioSalary, PersonaID: coach.PersonaCoach})
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range []geminitest.Scenario{geminitest.KeyInvalid, geminitest.Unavailable, geminitest.Quota, ""} {
		if sc != "" {
			ta.gemini.FailNext(sc)
		}
		chat, err = replied(t, ta, func() (coach.Chat, error) {
			return ta.Practice.Send(chat.ID, "I'd like to discuss a salary of 140,000.")
		})
		if err != nil {
			t.Fatalf("Send (%s): %v", sc, err)
		}
		noKeyLeak(t, ta, key, chat)
	}
	if _, err := ta.Practice.End(chat.ID); err != nil {
		t.Fatal(err)
	}
	dbPath := ta.dbPath
	ta.Shutdown(t.Context())
	if err := ta.db.Close(); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), key) {
		t.Errorf("the API key is in %s", filepath.Base(dbPath))
	}
	if !strings.Contains(string(raw), "salary of 140,000") {
		t.Errorf("the chat is not in %s: the grep proves nothing", filepath.Base(dbPath))
	}
	if strings.Contains(ta.logs.String(), key) {
		t.Error("the API key is in the logs")
	}
}

// TestStopReachesAStalledReply: Send answers once the turn is saved, so a
// Stop sent while Gemini is silent gets through (in a browser, wails dev
// answers calls one at a time) and the reply ends as "Stopped".
func TestStopReachesAStalledReply(t *testing.T) {
	ta := newTestApp(t)
	withKey(t, ta)
	chat, err := ta.Practice.Start(coach.StartInput{ScenarioID: coach.ScenarioObjection, PersonaID: coach.PersonaSkeptic})
	if err != nil {
		t.Fatal(err)
	}
	ta.gemini.FailNext(geminitest.Stall)
	got, err := replied(t, ta, func() (coach.Chat, error) {
		saved, err := ta.Practice.Send(chat.ID, "Our price reflects the support hours you get.")
		if err != nil {
			return saved, err
		}
		for !strings.Contains(strings.Join(ta.events.list(), "\n"), EventChatChunk) {
			time.Sleep(5 * time.Millisecond)
		}
		return saved, ta.Practice.Stop(chat.ID)
	})
	if err != nil {
		t.Fatal(err)
	}
	if last := lastTurn(got); last.Status != coach.TurnPartial || last.Error != coach.MsgStopped || last.Text == "" {
		t.Errorf("got %+v; want the partial reply, stopped", last)
	}
}

// TestImportContext: a text file becomes context; an empty, binary or
// oversized one is refused with a clear reason, and a file of more
// characters than a chat takes is refused with Start's own message.
func TestImportContext(t *testing.T) {
	ta := newTestApp(t)
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	tests := []struct {
		name, file, content, code, want string
	}{
		{"job description", "jd.md", "# Staff engineer\nLead the billing platform.", "", "# Staff engineer\nLead the billing platform."},
		{"empty", "empty.md", " \n\t", "empty", "This file is empty — nothing to use as context"},
		{"binary", "photo.txt", "\x00\x01\x02PNG\x00", "not_text", ""},
		{"too large to read", "big.txt", strings.Repeat("a", coach.MaxContextFileBytes+10), "too_large", coach.PracticeLimits().Context.TooLong},
		// Small enough to read, too many characters to use: refused now, not at Start.
		{"too many characters", "ctx60000.md", strings.Repeat("word ", 12_000), "too_large", coach.PracticeLimits().Context.TooLong},
		{"just enough characters", "jd.txt", strings.Repeat("é", coach.MaxContextRunes), "", strings.Repeat("é", coach.MaxContextRunes)},
		{"four-byte characters at the limit", "emoji.txt", strings.Repeat("😀", coach.MaxContextRunes), "", strings.Repeat("😀", coach.MaxContextRunes)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := ta.Practice.ImportContext(tt.file, b64(tt.content))
			code, msg := uiErrorParts(t, err)
			if code != tt.code || (tt.code != "" && tt.want != "" && msg != tt.want) {
				t.Fatalf("got %s %q; want %s %q", code, msg, tt.code, tt.want)
			}
			if tt.code == "" && (doc.Name != tt.file || doc.Text != tt.want) {
				t.Errorf("got %+v; want %s holding its text", doc, tt.file)
			}
		})
	}
}

// TestTranslateQuotaSaysHowLongToWait: a quota error from Gemini rejects
// with Go's message and, for the Retry countdown, the wait in seconds;
// other errors carry no wait.
func TestTranslateQuotaSaysHowLongToWait(t *testing.T) {
	ta := newTestApp(t)
	withKey(t, ta)
	tests := []struct {
		scenario geminitest.Scenario
		want     string
	}{
		{geminitest.Quota, `{"code":"too_many_requests","message":"Gemini quota reached — try again in 17 s","retryAfter":17}`},
		{geminitest.QuotaNoRetryInfo, `{"code":"too_many_requests","message":"Gemini quota reached — try again later"}`},
		{geminitest.Unavailable, `{"code":"unavailable","message":"Gemini is busy — retry"}`},
	}
	for _, tt := range tests {
		t.Run(string(tt.scenario), func(t *testing.T) {
			ta.gemini.FailNext(tt.scenario)
			_, err := ta.Coach.Translate("Let's circle back on this")
			if err == nil || err.Error() != tt.want {
				t.Errorf("got %v, want %s", err, tt.want)
			}
		})
	}
}
