package coach

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/cara-coach/cara/internal/cara"
	"github.com/cara-coach/cara/internal/gemini/geminitest"
)

func TestBudget(t *testing.T) {
	h := newHarness(t, geminitest.Options{})
	ctx := context.Background()

	st, err := h.ai.Usage(ctx, testUser)
	if err != nil || st != (UsageStatus{Day: h.today(), Budget: DefaultDailyBudget}) {
		t.Errorf("fresh usage = %+v, %v", st, err)
	}
	for _, bad := range []int{0, 999, 10_000_001} {
		_, err := h.ai.SetBudget(ctx, testUser, bad)
		wantCode(t, err, cara.EINVALID, "Set a daily AI budget between 1,000 and 10,000,000 tokens.")
	}

	tests := []struct {
		used       int
		warn, stop bool
	}{
		{39_999, false, false},
		{40_000, true, false}, // 80 %
		{49_999, true, false},
		{50_000, true, true}, // 100 %
	}
	for _, tt := range tests {
		h.usage.set(testUser, h.today(), tt.used)
		st, _ := h.ai.Usage(ctx, testUser)
		if st.Warn != tt.warn || st.Stop != tt.stop || st.Used != tt.used {
			t.Errorf("used %d: got %+v, want warn %v stop %v", tt.used, st, tt.warn, tt.stop)
		}
	}

	// At 100 % nothing reaches Gemini and the user is told how to go on.
	c := h.start()
	got, _, err := h.send(ctx, c.ID, "Hello")
	if err != nil {
		t.Fatal(err)
	}
	const msg = "You've used today's AI budget (50,000 tokens). Raise it in Settings to keep practising."
	if last := lastTurn(got); last.Status != TurnFailed || last.Error != msg {
		t.Errorf("reply = %+v, want failed with %q", last, msg)
	}
	_, err = h.tr.Translate(ctx, testUser, "Just checking in")
	wantCode(t, err, cara.EBUDGET, msg)
	if n := len(h.fake.Requests()); n != 0 {
		t.Errorf("%d requests reached Gemini over budget", n)
	}

	// Raising the budget lets the user go on; the message follows the real budget.
	st, err = h.ai.SetBudget(ctx, testUser, 100_000)
	if err != nil || st.Budget != 100_000 || st.Stop || st.Warn {
		t.Errorf("after raising: %+v, %v", st, err)
	}
	got, err = h.c.Retry(ctx, testUser, c.ID, ReplyEvents{})
	if err != nil || lastTurn(got).Status != TurnComplete {
		t.Errorf("after raising the budget: %+v, %v", lastTurn(got), err)
	}
	h.usage.set(testUser, h.today(), 100_000)
	_, err = h.tr.Translate(ctx, testUser, "Just checking in")
	wantCode(t, err, cara.EBUDGET, "You've used today's AI budget (100,000 tokens). Raise it in Settings to keep practising.")
}

func TestOnUsageHook(t *testing.T) {
	h := newHarness(t, geminitest.Options{})
	ctx := context.Background()
	var mu sync.Mutex
	var seen []UsageStatus
	h.ai.OnUsage(func(userID string, s UsageStatus) {
		mu.Lock()
		defer mu.Unlock()
		if userID != testUser {
			t.Errorf("hook for user %q", userID)
		}
		seen = append(seen, s)
	})
	h.usage.set(testUser, h.today(), 39_990)
	c := h.start()
	got, _, err := h.send(ctx, c.ID, "Hello there")
	if err != nil {
		t.Fatal(err)
	}
	h.fake.SetJSONReplies(translationJSON)
	tr, err := h.tr.Translate(ctx, testUser, "Sorry to bother you")
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 2 {
		t.Fatalf("hook called %d times, want 2", len(seen))
	}
	if want := 39_990 + got.Usage.TotalTokens; seen[0].Used != want || !seen[0].Warn {
		t.Errorf("first hook = %+v, want used %d and a warning", seen[0], want)
	}
	if want := seen[0].Used + tr.Usage.TotalTokens; seen[1].Used != want || tr.Usage.TotalTokens == 0 {
		t.Errorf("second hook = %+v, want used %d", seen[1], want)
	}
	// Calls that reach no Gemini use no tokens and don't call the hook.
	h.goOffline.Store(true)
	if _, err := h.tr.Translate(ctx, testUser, "Sorry to bother you"); cara.ErrorCode(err) != cara.EOFFLINE {
		t.Errorf("offline translate: %v", err)
	}
	if len(seen) != 2 {
		t.Errorf("hook called for an offline call")
	}
}

// TestOnUsageHookOnBudgetChange: a new budget changes warn/stop at once, so
// the hook hears of it too (screens showing usage must not go stale).
func TestOnUsageHookOnBudgetChange(t *testing.T) {
	h := newHarness(t, geminitest.Options{})
	var seen []UsageStatus
	h.ai.OnUsage(func(_ string, s UsageStatus) { seen = append(seen, s) })
	h.usage.set(testUser, h.today(), 45_000)
	if _, err := h.ai.SetBudget(context.Background(), testUser, 40_000); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 1 || seen[0].Budget != 40_000 || !seen[0].Stop {
		t.Errorf("got %+v; want one status: budget 40,000, stopped", seen)
	}
	if _, err := h.ai.SetBudget(context.Background(), testUser, 5); err == nil || len(seen) != 1 {
		t.Errorf("an invalid budget: got %v and %d statuses; want an error and no new status", err, len(seen))
	}
}

func TestTranslate(t *testing.T) {
	h := newHarness(t, geminitest.Options{})
	ctx := context.Background()
	_, err := h.tr.Translate(ctx, testUser, "  ")
	wantCode(t, err, cara.EEMPTY, "Type a phrase to translate")
	_, err = h.tr.Translate(ctx, testUser, strings.Repeat("ü", MaxPhraseRunes+1))
	wantCode(t, err, cara.ETOOLARGE, "")

	h.fake.SetJSONReplies(translationJSON)
	tr, err := h.tr.Translate(ctx, testUser, "  Sorry to bother you, but maybe we could talk? ")
	if err != nil {
		t.Fatal(err)
	}
	if tr.Phrase != "Sorry to bother you, but maybe we could talk?" || len(tr.Alternatives) != 3 ||
		tr.Perception == "" || tr.HiddenMeaning == "" || tr.Alternatives[2].When != "One to one with your manager." {
		t.Errorf("translation = %+v", tr)
	}
	w := decodeWire(t, h.requests("generateContent")[0].Body)
	if w.Contents[0].Parts[0].Text != tr.Phrase || !strings.Contains(w.system(), "US workplace") {
		t.Errorf("request = %+v", w)
	}
	alts := dig(t, w.GenerationConfig.ResponseSchema, "properties", "alternatives").(map[string]any)
	if fmt.Sprint(alts["minItems"]) != "3" || fmt.Sprint(alts["maxItems"]) != "3" {
		t.Errorf("alternatives minItems = %v", alts["minItems"])
	}

	two := strings.Replace(translationJSON, `,{"text":"Can I get your view on a proposal?","when":"One to one with your manager."}`, "", 1)
	h.fake.SetJSONReplies(two, two)
	_, err = h.tr.Translate(ctx, testUser, "Per my last email")
	wantCode(t, err, cara.EUNAVAILABLE, "Gemini's reply couldn't be read — retry")

	h.noKey.Store(true)
	_, err = h.tr.Translate(ctx, testUser, "Per my last email")
	wantCode(t, err, cara.ENOKEY, "Add your Gemini API key in Settings")
	h.noKey.Store(false)
	h.goOffline.Store(true)
	_, err = h.tr.Translate(ctx, testUser, "Per my last email")
	wantCode(t, err, cara.EOFFLINE, "Can't reach Gemini — check your connection")
}

func TestDecodeTranslation(t *testing.T) {
	tests := []struct {
		name, json, want string
	}{
		{"valid", translationJSON, ""},
		{"empty perception", strings.Replace(translationJSON, "It sounds unsure, as if you expect a no.", "", 1), "perception is empty"},
		{"alternative without when", strings.Replace(translationJSON, "In a chat thread.", "", 1), "alternatives[1] needs both"},
		{"four alternatives", strings.Replace(translationJSON, `]}`, `,{"text":"x","when":"y"}]}`, 1), "exactly 3 alternatives, not 4"},
	}
	for _, tt := range tests {
		_, err := decodeTranslation([]byte(tt.json))
		if (tt.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("%s: got %v, want %q", tt.name, err, tt.want)
		}
	}
}
