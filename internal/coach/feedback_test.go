package coach

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/cara-coach/cara/internal/cara"
	"github.com/cara-coach/cara/internal/gemini"
	"github.com/cara-coach/cara/internal/gemini/geminitest"
)

// chatWithTurns starts a chat and sends each text, all replies complete.
func (h *harness) chatWithTurns(texts ...string) Chat {
	h.t.Helper()
	c := h.start()
	for _, text := range texts {
		got, _, err := h.send(context.Background(), c.ID, text)
		if err != nil || lastTurn(got).Status != TurnComplete {
			h.t.Fatalf("send %q: %v %+v", text, err, lastTurn(got))
		}
		c = got
	}
	return c
}

func TestEndGivesFeedback(t *testing.T) {
	h := newHarness(t, geminitest.Options{})
	ctx := context.Background()
	turns := []string{"I led the billing migration. It saved us two days a month.", "I think we could maybe have tested earlier."}
	c := h.chatWithTurns(turns...)
	h.fake.SetJSONReplies(feedbackJSON(turns...))
	got, err := h.c.End(ctx, testUser, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Ended || got.AIStatus != AIReady || got.AIError != "" || got.Feedback == nil {
		t.Fatalf("ended chat = ended %v, %q %q, feedback %v", got.Ended, got.AIStatus, got.AIError, got.Feedback)
	}
	if got.Feedback.Overall != 72 || got.Feedback.Tone.Score != 85 || len(got.Feedback.ActionItems) != 3 {
		t.Errorf("feedback = %+v", got.Feedback)
	}
	if got.Offline == nil || got.Offline.Counts.Words != 20 || got.Offline.Counts.Paragraphs != 2 {
		t.Errorf("offline report of the user's turns: %+v", got.Offline)
	}
	saved, _ := h.chats.GetChat(ctx, testUser, c.ID)
	if saved.AIStatus != AIReady || saved.Feedback == nil || saved.Offline == nil {
		t.Errorf("saved: %q %v", saved.AIStatus, saved.Feedback)
	}
	list, _ := h.c.List(ctx, testUser)
	if len(list) != 1 || list[0].Overall != 72 || !list[0].Ended {
		t.Errorf("history line = %+v", list)
	}

	// The request: a response schema whose quotes and original are the user's own words.
	reqs := h.requests("generateContent")
	if len(reqs) != 1 {
		t.Fatalf("%d generateContent calls, want 1", len(reqs))
	}
	w := decodeWire(t, reqs[0].Body)
	schema := w.GenerationConfig.ResponseSchema
	quote := dig(t, schema, "properties", "highlights", "items", "properties", "quote").(map[string]any)
	wantQuotes := []string{"I led the billing migration.", "It saved us two days a month.", turns[0], turns[1]}
	if fmt.Sprint(quote["enum"]) != fmt.Sprint(wantQuotes) || quote["format"] != "enum" {
		t.Errorf("quote schema = %v, want enum %v", quote, wantQuotes)
	}
	orig := dig(t, schema, "properties", "betterVersion", "properties", "original").(map[string]any)
	if fmt.Sprint(orig["enum"]) != fmt.Sprint(turns) {
		t.Errorf("original enum = %v, want %v", orig["enum"], turns)
	}
	items := dig(t, schema, "properties", "actionItems").(map[string]any)
	if fmt.Sprint(items["minItems"]) != "3" || fmt.Sprint(items["maxItems"]) != "3" {
		t.Errorf("actionItems min/max = %v/%v, want 3/3", items["minItems"], items["maxItems"])
	}
	score := dig(t, schema, "properties", "clarity", "properties", "score").(map[string]any)
	if score["type"] != "INTEGER" || fmt.Sprint(score["minimum"]) != "0" || fmt.Sprint(score["maximum"]) != "100" {
		t.Errorf("score schema = %v", score)
	}
	if user := w.Contents[0].Parts[0].Text; !strings.Contains(user, "USER: "+turns[1]) || !strings.Contains(user, "CHARACTER: ") {
		t.Errorf("transcript = %q", user)
	}

	// End again: nothing to do.
	again, err := h.c.End(ctx, testUser, c.ID)
	if err != nil || again.AIStatus != AIReady {
		t.Errorf("End again: %q, %v", again.AIStatus, err)
	}
	if n := len(h.requests("generateContent")); n != 1 {
		t.Errorf("End on a finished chat called Gemini again (%d calls)", n)
	}
}

func dig(t *testing.T, m map[string]any, path ...string) any {
	t.Helper()
	var cur any = m
	for _, p := range path {
		mm, ok := cur.(map[string]any)
		if !ok {
			t.Fatalf("schema has no %v", path)
		}
		cur = mm[p]
	}
	if cur == nil {
		t.Fatalf("schema has no %v", path)
	}
	return cur
}

func TestEndNeedsAUserTurn(t *testing.T) {
	h := newHarness(t, geminitest.Options{})
	c := h.start()
	_, err := h.c.End(context.Background(), testUser, c.ID)
	wantCode(t, err, cara.EINVALID, "Say something before ending the session — there's nothing to give feedback on yet")
	saved, _ := h.c.Get(context.Background(), testUser, c.ID)
	if saved.Ended {
		t.Error("the chat was ended")
	}
}

func TestFeedbackRepairRetry(t *testing.T) {
	turn := "We launched on time and cut support tickets by a third."
	good := feedbackJSON(turn)
	var fb map[string]any
	_ = json.Unmarshal([]byte(good), &fb)
	fb["actionItems"] = []string{"Only one."}
	badCount, _ := json.Marshal(fb)

	tests := []struct {
		name    string
		replies []string
		status  string
		aiError string
	}{
		{"bad then good", []string{string(badCount), good}, AIReady, ""},
		{"not JSON then good", []string{"Sure! Here is your feedback", good}, AIReady, ""},
		{"bad twice", []string{string(badCount), string(badCount)}, AIFailed, "Gemini's reply couldn't be read — retry"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, geminitest.Options{})
			c := h.chatWithTurns(turn)
			h.fake.SetJSONReplies(tt.replies...)
			before, _ := h.ai.Usage(context.Background(), testUser)
			got, err := h.c.End(context.Background(), testUser, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.AIStatus != tt.status || got.AIError != tt.aiError {
				t.Errorf("AI = %q %q, want %q %q", got.AIStatus, got.AIError, tt.status, tt.aiError)
			}
			if strings.ContainsAny(got.AIError, "{}[]") {
				t.Errorf("raw JSON in AIError: %q", got.AIError)
			}
			reqs := h.requests("generateContent")
			if len(reqs) != 2 {
				t.Fatalf("%d calls, want 2 (one repair retry)", len(reqs))
			}
			repair := decodeWire(t, reqs[1].Body)
			lastMsg := repair.Contents[len(repair.Contents)-1].Parts[0].Text
			if tt.name == "bad then good" && !strings.Contains(lastMsg, "give exactly 3 actionItems, not 1") {
				t.Errorf("repair request doesn't say what was wrong: %q", lastMsg)
			}
			// Usage of both calls is counted, on the chat and for the day.
			want := 0
			for i, r := range reqs {
				want += decodeWire(t, r.Body).words() + max(len(strings.Fields(tt.replies[i])), 1)
			}
			after, _ := h.ai.Usage(context.Background(), testUser)
			if after.Used-before.Used != want {
				t.Errorf("tokens counted for the day = %d, want %d", after.Used-before.Used, want)
			}
			if got.Usage.TotalTokens-c.Usage.TotalTokens != want {
				t.Errorf("tokens on the chat = %d, want %d", got.Usage.TotalTokens-c.Usage.TotalTokens, want)
			}
		})
	}
}

func TestDecodeFeedback(t *testing.T) {
	turns := []string{"I owned the release plan.", "We shipped late but I think it was fine."}
	mutate := func(change func(fb *Feedback)) []byte {
		var fb Feedback
		_ = json.Unmarshal([]byte(feedbackJSON(turns...)), &fb)
		change(&fb)
		b, _ := json.Marshal(fb)
		return b
	}
	tests := []struct {
		name string
		b    []byte
		want string // "" = valid
	}{
		{"valid", mutate(func(*Feedback) {}), ""},
		{"quote is part of a turn", mutate(func(fb *Feedback) { fb.Highlights[0].Quote = "We shipped late" }), ""},
		{"overall over 100", mutate(func(fb *Feedback) { fb.Overall = 101 }), "overall must be 0 to 100"},
		{"negative score", mutate(func(fb *Feedback) { fb.Pace.Score = -1 }), "pace.score must be 0 to 100"},
		{"empty evidence", mutate(func(fb *Feedback) { fb.Structure.Evidence = " " }), "structure.evidence"},
		{"quote not the user's", mutate(func(fb *Feedback) { fb.Highlights[0].Quote = "I am a great leader." }), "highlights[0].quote must be copied exactly"},
		{"quote from the persona", mutate(func(fb *Feedback) { fb.Highlights[0].Quote = "Tell me about a time" }), "highlights[0].quote"},
		{"no highlights", mutate(func(fb *Feedback) { fb.Highlights = nil }), "give 1 to 3 highlights, not 0"},
		{"four highlights", mutate(func(fb *Feedback) {
			fb.Highlights = slices.Repeat(fb.Highlights[:1], 4)
		}), "give 1 to 3 highlights, not 4"},
		{"two action items", mutate(func(fb *Feedback) { fb.ActionItems = fb.ActionItems[:2] }), "exactly 3 actionItems, not 2"},
		{"blank action item", mutate(func(fb *Feedback) { fb.ActionItems[1] = "" }), "actionItems[1] is empty"},
		{"original not a turn", mutate(func(fb *Feedback) { fb.BetterVersion.Original = "We shipped late" }), "betterVersion.original must be one of the user's turns"},
		{"no improved", mutate(func(fb *Feedback) { fb.BetterVersion.Improved = "" }), "betterVersion.improved is empty"},
		{"score not an integer", []byte(strings.Replace(string(mutate(func(*Feedback) {})), `"overall":72`, `"overall":72.5`, 1)), "doesn't match the schema"},
		{"not JSON", []byte(`{"overall":`), "doesn't match the schema"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := decodeFeedback(tt.b, turns)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("got %v, want valid", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("got %v, want an error with %q", err, tt.want)
			}
		})
	}
}

func TestSentences(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"One. Two! Three?", []string{"One.", " Two!", " Three?"}},
		{"Version 2.5 shipped. Done", []string{"Version 2.5 shipped.", " Done"}},
		{"No stop", []string{"No stop"}},
	}
	for _, tt := range tests {
		if got := sentences(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("sentences(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	got := quoteChoices([]string{"Hi. Hi.", "Hi."})
	if want := []string{"Hi.", "Hi. Hi."}; !slices.Equal(got, want) {
		t.Errorf("quoteChoices = %q, want %q", got, want)
	}
}

// A pending reason for Gemini out of reach starts with the cause.
func TestPendingOffline(t *testing.T) {
	tests := []struct{ cause, want string }{
		{gemini.MsgUnreachable, "Can't reach Gemini — check your connection. Cara will add it when Gemini is reachable again."},
		{gemini.MsgTimeout, "Gemini took too long to answer — retry. Cara will add it when Gemini is reachable again."},
		{"The network is down.", "The network is down. Cara will add it when Gemini is reachable again."},
	}
	for _, tt := range tests {
		if got := pendingOffline(cara.Errorf(cara.EOFFLINE, "%s", tt.cause)); got != tt.want {
			t.Errorf("pendingOffline(%q) = %q, want %q", tt.cause, got, tt.want)
		}
	}
}

// What End does with each kind of Gemini failure.
func TestEndFailures(t *testing.T) {
	const turn = "I'd like to walk you through the plan."
	tests := []struct {
		name     string
		scenario geminitest.Scenario
		setup    func(h *harness)
		status   string
		aiError  string
	}{
		{"offline", geminitest.OK, func(h *harness) { h.goOffline.Store(true) }, AIPending, offlineReason},
		{"no key", geminitest.OK, func(h *harness) { h.noKey.Store(true) }, AIPending, msgPendingNoKey},
		{"budget spent", geminitest.OK, func(h *harness) { h.usage.set(testUser, h.today(), DefaultDailyBudget+5) }, AIPending, msgPendingBudget},
		{"503", geminitest.Unavailable, nil, AIFailed, gemini.MsgBusy},
		{"403", geminitest.PermissionDenied, nil, AIFailed, gemini.MsgForbidden},
		{"429", geminitest.Quota, nil, AIFailed, "Gemini quota reached — try again in 17 s"},
		{"blocked", geminitest.Blocked, nil, AIFailed, gemini.MsgBlocked},
		{"invalid key", geminitest.KeyInvalid, nil, AIFailed, gemini.MsgKeyInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, geminitest.Options{})
			ctx := context.Background()
			c := h.chatWithTurns(turn)
			if tt.setup != nil {
				tt.setup(h)
			}
			if tt.scenario != geminitest.OK {
				h.fake.FailNext(tt.scenario)
			}
			h.fake.SetJSONReplies(feedbackJSON(turn))
			got, err := h.c.End(ctx, testUser, c.ID)
			if err != nil {
				t.Fatalf("End returned %v; Gemini failures belong on the chat", err)
			}
			if !got.Ended || got.Offline == nil || got.AIStatus != tt.status || got.AIError != tt.aiError || got.Feedback != nil {
				t.Errorf("got ended %v offline %v AI %q %q, want %q %q", got.Ended, got.Offline != nil, got.AIStatus, got.AIError, tt.status, tt.aiError)
			}
			h.checkRetryAt("feedback", got.AIRetryAt, tt.scenario == geminitest.Quota)
			saved, _ := h.chats.GetChat(ctx, testUser, c.ID)
			if saved.AIStatus != tt.status || !saved.Ended {
				t.Errorf("saved AIStatus = %q", saved.AIStatus)
			}
			// Ending again retries the feedback.
			h.goOffline.Store(false)
			h.noKey.Store(false)
			h.usage.set(testUser, h.today(), 0)
			got, err = h.c.End(ctx, testUser, c.ID)
			if err != nil || got.AIStatus != AIReady || got.Feedback == nil || got.AIError != "" {
				t.Errorf("End again: %q %q, %v", got.AIStatus, got.AIError, err)
			}
			h.checkRetryAt("feedback after End again", got.AIRetryAt, false)
		})
	}
}

// End while a reply streams stops it first and keeps the partial.
func TestEndStopsStreamingReply(t *testing.T) {
	h := newHarness(t, geminitest.Options{})
	ctx := context.Background()
	c := h.chatWithTurns("First answer.")
	h.fake.FailNext(geminitest.Stall)
	h.fake.SetJSONReplies(feedbackJSON("First answer.", "Second answer."))
	started := make(chan struct{})
	done := make(chan Chat)
	go func() {
		got, _ := h.c.Send(ctx, testUser, c.ID, "Second answer.", ReplyEvents{Chunk: func(ChunkEvent) { close(started) }})
		done <- got
	}()
	<-started
	ended, err := h.c.End(ctx, testUser, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	<-done
	if ended.AIStatus != AIReady {
		t.Errorf("AIStatus = %q %q", ended.AIStatus, ended.AIError)
	}
	if last := lastTurn(ended); last.Status != TurnPartial || last.Error != MsgStopped {
		t.Errorf("the streaming reply = %+v, want partial, stopped", last)
	}
}

// Closing Cara while feedback is on its way leaves it pending, saved.
func TestEndShutdownLeavesFeedbackPending(t *testing.T) {
	h := newHarness(t, geminitest.Options{})
	c := h.chatWithTurns("Let me give you the short version.")
	ctx, cancel := context.WithCancel(context.Background())
	h.setHook(func(r *http.Request) {
		if strings.HasSuffix(r.URL.Path, ":generateContent") {
			cancel()
			<-r.Context().Done() // the client leaves before any answer
		}
	})
	got, err := h.c.End(ctx, testUser, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.AIStatus != AIPending || got.AIError != msgPendingClosed || !got.Ended {
		t.Errorf("got %q %q ended %v, want pending", got.AIStatus, got.AIError, got.Ended)
	}
	saved, _ := h.chats.GetChat(context.Background(), testUser, c.ID)
	if saved.AIStatus != AIPending || !saved.Ended || saved.Offline == nil {
		t.Errorf("saved %q ended %v", saved.AIStatus, saved.Ended)
	}
}
