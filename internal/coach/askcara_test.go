package coach

import (
	"context"
	"strings"
	"testing"

	"github.com/cara-coach/cara/internal/cara"
	"github.com/cara-coach/cara/internal/gemini"
	"github.com/cara-coach/cara/internal/gemini/geminitest"
)

const draft = "Hi Sam, sorry to bother you again, I was just wondering if maybe you could possibly send the Q3 numbers when you get a chance? Thanks so much!"

func TestAskCara(t *testing.T) {
	h := newHarness(t, geminitest.Options{})
	ctx := context.Background()
	r := h.addReview(draft)

	_, err := h.ask.Ask(ctx, testUser, r.ID, "poetic")
	wantCode(t, err, cara.EINVALID, "Pick strict or creative")
	_, err = h.ask.Ask(ctx, testUser, "missing", ModeStrict)
	wantCode(t, err, cara.ENOTFOUND, "")

	for i, mode := range []string{ModeStrict, ModeCreative} {
		h.fake.SetJSONReplies(reviewJSON)
		got, err := h.ask.Ask(ctx, testUser, r.ID, mode)
		if err != nil {
			t.Fatal(err)
		}
		if got.AIStatus != AIReady || got.AIMode != mode || got.AIError != "" || got.AI == nil {
			t.Fatalf("%s: review AI = %q %q %q %v", mode, got.AIStatus, got.AIMode, got.AIError, got.AI)
		}
		ai := got.AI
		if ai.Mode != mode || ai.Model != gemini.DefaultModel || len(ai.Points) != 2 ||
			ai.Rewrite != "Could you send the Q3 numbers by Friday? Thanks!" || ai.Summary == "" {
			t.Errorf("%s: AI = %+v", mode, ai)
		}
		saved, _ := h.reviews.GetReview(ctx, testUser, r.ID)
		if saved.AIStatus != AIReady || saved.AI == nil || saved.AI.Rewrite != ai.Rewrite || saved.Text != draft {
			t.Errorf("%s: saved = %+v", mode, saved)
		}
		w := decodeWire(t, h.requests("generateContent")[i].Body)
		if w.Contents[0].Parts[0].Text != draft || !strings.Contains(w.system(), "Mode: "+mode) {
			t.Errorf("%s: request system/user wrong: %q", mode, w.system())
		}
		// Usage accumulates over the asks of one review.
		want := 0
		for _, req := range h.requests("generateContent") {
			want += decodeWire(t, req.Body).words() + len(strings.Fields(reviewJSON))
		}
		if ai.Usage.TotalTokens != want {
			t.Errorf("%s: usage = %d, want %d", mode, ai.Usage.TotalTokens, want)
		}
	}
	list, _ := h.reviews.ListReviews(ctx, testUser)
	if len(list) != 1 || list[0].AIStatus != AIReady {
		t.Errorf("history line = %+v", list)
	}
}

func TestAskCaraFailures(t *testing.T) {
	tests := []struct {
		name     string
		scenario geminitest.Scenario
		setup    func(h *harness)
		status   string
		aiError  string
		code     string
	}{
		{"offline", geminitest.OK, func(h *harness) { h.goOffline.Store(true) }, AIPending, offlineReason, cara.EOFFLINE},
		{"no key", geminitest.OK, func(h *harness) { h.noKey.Store(true) }, AIPending, msgPendingNoKey, cara.ENOKEY},
		{"budget", geminitest.OK, func(h *harness) { h.usage.set(testUser, h.today(), DefaultDailyBudget) }, AIPending, msgPendingBudget, cara.EBUDGET},
		{"503", geminitest.Unavailable, nil, AIFailed, gemini.MsgBusy, cara.EUNAVAILABLE},
		{"blocked", geminitest.Safety, nil, AIFailed, gemini.MsgBlocked, cara.EINVALID},
		{"key refused", geminitest.KeyInvalid, nil, AIFailed, gemini.MsgKeyInvalid, cara.EGEMINIKEY},
		{"quota", geminitest.Quota, nil, AIFailed, "Gemini quota reached — try again in 17 s", cara.ETOOMANY},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, geminitest.Options{})
			ctx := context.Background()
			r := h.addReview(draft)
			// A first answer in strict mode, then the creative ask fails.
			h.fake.SetJSONReplies(reviewJSON)
			first, err := h.ask.Ask(ctx, testUser, r.ID, ModeStrict)
			if err != nil || first.AIStatus != AIReady {
				t.Fatalf("first ask: %q, %v", first.AIStatus, err)
			}
			if tt.setup != nil {
				tt.setup(h)
			}
			if tt.scenario != geminitest.OK {
				h.fake.FailNext(tt.scenario)
			}
			got, err := h.ask.Ask(ctx, testUser, r.ID, ModeCreative)
			if err != nil {
				t.Fatalf("Ask returned %v; Gemini failures belong on the review", err)
			}
			if got.AIStatus != tt.status || got.AIError != tt.aiError || got.AIErrorCode != tt.code || got.AIMode != ModeCreative {
				t.Errorf("got %q %q (%s) mode %q, want %q %q (%s) creative", got.AIStatus, got.AIError, got.AIErrorCode, got.AIMode, tt.status, tt.aiError, tt.code)
			}
			if got.AI == nil || got.AI.Mode != ModeStrict {
				t.Errorf("the earlier answer was lost: %+v", got.AI)
			}
			h.checkRetryAt("Ask Cara", got.AIRetryAt, tt.scenario == geminitest.Quota)
			saved, _ := h.reviews.GetReview(ctx, testUser, r.ID)
			if saved.AIStatus != tt.status || saved.AIMode != ModeCreative {
				t.Errorf("saved %q mode %q", saved.AIStatus, saved.AIMode)
			}
		})
	}
}

func TestAskCaraTooLong(t *testing.T) {
	h := newHarness(t, geminitest.Options{})
	r := h.addReview(strings.Repeat("word ", MaxAskRunes/5+1))
	_, err := h.ask.Ask(context.Background(), testUser, r.ID, ModeStrict)
	wantCode(t, err, cara.ETOOLARGE, "")
	if n := len(h.fake.Requests()); n != 0 {
		t.Errorf("%d requests for a text that is too long", n)
	}
}

func TestDecodeReviewAI(t *testing.T) {
	tests := []struct {
		name, json, want string
	}{
		{"valid", reviewJSON, ""},
		{"one point", `{"summary":"Fine.","points":["Cut it."],"rewrite":"Send the numbers."}`, "give 2 to 5 points, not 1"},
		{"six points", `{"summary":"Fine.","points":["a","b","c","d","e","f"],"rewrite":"Send the numbers."}`, "not 6"},
		{"blank point", `{"summary":"Fine.","points":["a"," "],"rewrite":"Send the numbers."}`, "points[1] is empty"},
		{"empty rewrite", `{"summary":"Fine.","points":["a","b"],"rewrite":"  "}`, "rewrite is empty"},
		{"no summary", `{"summary":"","points":["a","b"],"rewrite":"Send it."}`, "summary is empty"},
		{"rewrite too long", `{"summary":"Fine.","points":["a","b"],"rewrite":"` + strings.Repeat("x", 3*len(draft)+21) + `"}`, "far longer"},
		{"not JSON", `Here you go`, "doesn't match the schema"},
	}
	for _, tt := range tests {
		_, err := decodeReviewAI([]byte(tt.json), draft)
		if (tt.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("%s: got %v, want %q", tt.name, err, tt.want)
		}
	}
}
