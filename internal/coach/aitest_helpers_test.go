package coach

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cara-coach/cara/internal/cara"
	"github.com/cara-coach/cara/internal/gemini"
	"github.com/cara-coach/cara/internal/gemini/geminitest"
)

// testAPIKey is distinctive so a leak into saved data is easy to find.
const testAPIKey = "AIzaCOACH-test-secret-key-0123456789"

// --- in-memory stores; values are kept as JSON, like bbolt does ---

type memChats struct {
	mu    sync.Mutex
	chats map[string]map[string][]byte // user → id → JSON
}

func newMemChats() *memChats { return &memChats{chats: map[string]map[string][]byte{}} }

func (m *memChats) SaveChat(_ context.Context, userID string, c Chat) error {
	b, err := json.Marshal(c)
	if err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.chats[userID] == nil {
		m.chats[userID] = map[string][]byte{}
	}
	m.chats[userID][c.ID] = b
	return nil
}

func (m *memChats) GetChat(_ context.Context, userID, id string) (Chat, error) {
	m.mu.Lock()
	b, ok := m.chats[userID][id]
	m.mu.Unlock()
	if !ok {
		return Chat{}, cara.Errorf(cara.ENOTFOUND, "This practice no longer exists")
	}
	var c Chat
	err := json.Unmarshal(b, &c)
	return c, err
}

func (m *memChats) ListChats(_ context.Context, userID string) ([]ChatSummary, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := []ChatSummary{}
	for _, b := range m.chats[userID] {
		var c Chat
		if err := json.Unmarshal(b, &c); err != nil {
			return nil, err
		}
		out = append(out, c.Summary())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].CreatedAt.After(out[j].CreatedAt) })
	return out, nil
}

func (m *memChats) DeleteChat(_ context.Context, userID, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.chats[userID][id]; !ok {
		return cara.Errorf(cara.ENOTFOUND, "This practice no longer exists")
	}
	delete(m.chats[userID], id)
	return nil
}

func (m *memChats) dump() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	b, _ := json.Marshal(m.chats)
	var sb strings.Builder
	sb.Write(b)
	for _, u := range m.chats {
		for _, c := range u {
			sb.Write(c)
		}
	}
	return sb.String()
}

// put stores c as is (to set up a chat left by an earlier run).
func (m *memChats) put(t *testing.T, userID string, c Chat) {
	t.Helper()
	if err := m.SaveChat(context.Background(), userID, c); err != nil {
		t.Fatal(err)
	}
}

type memReviews struct {
	mu      sync.Mutex
	reviews map[string]map[string][]byte
}

func newMemReviews() *memReviews { return &memReviews{reviews: map[string]map[string][]byte{}} }

func (m *memReviews) CreateReview(_ context.Context, userID string, r Review) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.reviews[userID] == nil {
		m.reviews[userID] = map[string][]byte{}
	}
	m.reviews[userID][r.ID] = b
	return nil
}

func (m *memReviews) UpdateReview(ctx context.Context, userID string, r Review) error {
	m.mu.Lock()
	_, ok := m.reviews[userID][r.ID]
	m.mu.Unlock()
	if !ok {
		return cara.Errorf(cara.ENOTFOUND, "This review no longer exists")
	}
	return m.CreateReview(ctx, userID, r)
}

func (m *memReviews) GetReview(_ context.Context, userID, id string) (Review, error) {
	m.mu.Lock()
	b, ok := m.reviews[userID][id]
	m.mu.Unlock()
	if !ok {
		return Review{}, cara.Errorf(cara.ENOTFOUND, "This review no longer exists")
	}
	var r Review
	err := json.Unmarshal(b, &r)
	return r, err
}

func (m *memReviews) ListReviews(_ context.Context, userID string) ([]ReviewSummary, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := []ReviewSummary{}
	for _, b := range m.reviews[userID] {
		var r Review
		if err := json.Unmarshal(b, &r); err != nil {
			return nil, err
		}
		out = append(out, r.Summary())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].CreatedAt.After(out[j].CreatedAt) })
	return out, nil
}

func (m *memReviews) DeleteReview(_ context.Context, userID, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.reviews[userID], id)
	return nil
}

func (m *memReviews) dump() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var sb strings.Builder
	for _, u := range m.reviews {
		for _, r := range u {
			sb.Write(r)
		}
	}
	return sb.String()
}

type memUsage struct {
	mu     sync.Mutex
	used   map[string]int // user + "/" + day
	budget map[string]int
}

func newMemUsage() *memUsage { return &memUsage{used: map[string]int{}, budget: map[string]int{}} }

func (m *memUsage) AddUsage(_ context.Context, userID, day string, tokens int) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.used[userID+"/"+day] += tokens
	return m.used[userID+"/"+day], nil
}

func (m *memUsage) UsageOn(_ context.Context, userID, day string) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.used[userID+"/"+day], nil
}

func (m *memUsage) Budget(_ context.Context, userID string) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.budget[userID], nil
}

func (m *memUsage) SetBudget(_ context.Context, userID string, tokens int) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.budget[userID] = tokens
	return nil
}

func (m *memUsage) set(userID, day string, tokens int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.used[userID+"/"+day] = tokens
}

// --- the harness: real gemini.Client against geminitest ---

const testUser = "user-1"

// testDay is the harness clock's local day.
var testStart = time.Date(2025, 3, 14, 9, 30, 0, 0, time.Local)

type harness struct {
	t       *testing.T
	fake    *geminitest.Server
	http    *httptest.Server
	offline string // a URL where nothing listens

	chats   *memChats
	reviews *memReviews
	usage   *memUsage

	ai    *AI
	c     *Chats
	ask   *AskCara
	tr    *Translator
	queue *Queue

	goOffline atomic.Bool
	noKey     atomic.Bool

	mu   sync.Mutex
	hook func(r *http.Request) // called as each request arrives, before the fake answers

	clockMu sync.Mutex
	clock   time.Time
	ids     atomic.Int64
}

func newHarness(t *testing.T, opts geminitest.Options) *harness {
	t.Helper()
	opts.APIKey = testAPIKey
	h := &harness{t: t, fake: geminitest.NewHandler(opts), chats: newMemChats(), reviews: newMemReviews(), usage: newMemUsage(), clock: testStart}
	fakeHandler := h.fake.Handler()
	h.http = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Read the body first: the server notices a client that left only
		// once the body is consumed, and a hook may wait for that.
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		h.mu.Lock()
		hook := h.hook
		h.mu.Unlock()
		if hook != nil {
			hook(r)
		}
		fakeHandler.ServeHTTP(w, r)
	}))
	gone := httptest.NewServer(http.NotFoundHandler())
	h.offline = gone.URL
	gone.Close()
	t.Cleanup(func() {
		h.fake.Close() // releases stalled streams first
		h.http.Close()
		h.checkNoKeySaved()
	})

	clients := func(ctx context.Context, userID string) (AIClient, error) {
		if h.noKey.Load() {
			return nil, cara.Errorf(cara.ENOKEY, "Add your Gemini API key in Settings")
		}
		url := h.http.URL
		if h.goOffline.Load() {
			url = h.offline
		}
		return gemini.New(ctx, gemini.Config{APIKey: testAPIKey, BaseURL: url,
			Timeout: 5 * time.Second, StreamIdleTimeout: 500 * time.Millisecond})
	}
	h.ai = NewAI(clients, h.usage, h.now)
	h.c = NewChats(h.chats, h.ai, h.newID, h.now)
	h.ask = NewAskCara(h.reviews, h.ai, h.now)
	h.tr = NewTranslator(h.ai)
	h.queue = NewQueue(h.c, h.ask, h.reviews)
	return h
}

// now advances a millisecond per call so records are ordered.
func (h *harness) now() time.Time {
	h.clockMu.Lock()
	defer h.clockMu.Unlock()
	h.clock = h.clock.Add(time.Millisecond)
	return h.clock
}

func (h *harness) newID() string { return fmt.Sprintf("id-%06d", h.ids.Add(1)) }

func (h *harness) setHook(fn func(r *http.Request)) {
	h.mu.Lock()
	h.hook = fn
	h.mu.Unlock()
}

func (h *harness) today() string { return testStart.Format(time.DateOnly) }

// checkNoKeySaved: the API key must be in no saved record.
func (h *harness) checkNoKeySaved() {
	for name, dump := range map[string]string{"chats": h.chats.dump(), "reviews": h.reviews.dump()} {
		if strings.Contains(dump, testAPIKey) {
			h.t.Errorf("the API key is in the saved %s", name)
		}
	}
}

// start begins a chat with the neutral coach in the interview scenario.
func (h *harness) start() Chat {
	h.t.Helper()
	c, err := h.c.Start(context.Background(), testUser, StartInput{ScenarioID: ScenarioInterview, PersonaID: PersonaCoach})
	if err != nil {
		h.t.Fatal(err)
	}
	return c
}

// send sends text and returns the chat and the streamed chunks joined.
func (h *harness) send(ctx context.Context, chatID, text string) (Chat, string, error) {
	var got strings.Builder
	c, err := h.c.Send(ctx, testUser, chatID, text, ReplyEvents{Chunk: func(e ChunkEvent) { got.WriteString(e.Text) }})
	return c, got.String(), err
}

// addReview saves a review directly.
func (h *harness) addReview(text string) Review {
	h.t.Helper()
	r := Review{ID: h.newID(), Title: TitleFor("", text), Text: text, Source: "paste", CreatedAt: h.now().UTC()}
	if err := h.reviews.CreateReview(context.Background(), testUser, r); err != nil {
		h.t.Fatal(err)
	}
	return r
}

// requests returns the fake's recorded model calls whose path ends with method.
func (h *harness) requests(method string) []geminitest.Request {
	var out []geminitest.Request
	for _, r := range h.fake.Requests() {
		if strings.HasSuffix(r.Path, ":"+method) {
			out = append(out, r)
		}
	}
	return out
}

// wireRequest is the part of a generateContent body the tests read.
type wireRequest struct {
	Contents []struct {
		Role  string `json:"role"`
		Parts []struct {
			Text string `json:"text"`
		} `json:"parts"`
	} `json:"contents"`
	SystemInstruction *struct {
		Parts []struct {
			Text string `json:"text"`
		} `json:"parts"`
	} `json:"systemInstruction"`
	GenerationConfig struct {
		ResponseSchema map[string]any `json:"responseSchema"`
	} `json:"generationConfig"`
}

func decodeWire(t *testing.T, body []byte) wireRequest {
	t.Helper()
	var w wireRequest
	if err := json.Unmarshal(body, &w); err != nil {
		t.Fatalf("request body: %v", err)
	}
	return w
}

func (w wireRequest) system() string {
	if w.SystemInstruction == nil {
		return ""
	}
	var b strings.Builder
	for _, p := range w.SystemInstruction.Parts {
		b.WriteString(p.Text)
	}
	return b.String()
}

// words counts like the fake does (for usage checks).
func (w wireRequest) words() int {
	n := len(strings.Fields(w.system()))
	for _, c := range w.Contents {
		for _, p := range c.Parts {
			n += len(strings.Fields(p.Text))
		}
	}
	return max(n, 1)
}

// fakeReply is the fake's plain-text reply to text.
func fakeReply(text string) string {
	return "You said: " + text + ". " + geminitest.CoachingSentence
}

// feedbackJSON is a valid Feedback for the given user turns.
func feedbackJSON(userTurns ...string) string {
	fb := Feedback{
		Overall:    72,
		Clarity:    Dimension{80, "You named the project and your role at once."},
		Pace:       Dimension{70, "Answers were brief and to the point."},
		Confidence: Dimension{65, "You said \"I think\" twice before the key claim."},
		Tone:       Dimension{85, "Friendly and professional throughout."},
		Relevance:  Dimension{75, "You answered the question asked."},
		Structure:  Dimension{60, "The result came before the situation."},
		Highlights: []Highlight{{Quote: userTurns[0], Comment: "A clear, direct start."}},
		ActionItems: []string{
			"Lead with the result in one sentence.",
			"Replace \"I think\" with a direct claim.",
			"End with a question that moves things forward.",
		},
		BetterVersion: BetterVersion{Original: userTurns[len(userTurns)-1], Improved: "I cut the release time by half by automating the tests.", Why: "It leads with the result and a number."},
	}
	b, _ := json.Marshal(fb)
	return string(b)
}

const reviewJSON = `{"summary":"The message is polite but buries the request. A US reader would skim past it.","points":["Put the request in the first sentence.","Cut the apology in the opening."],"rewrite":"Could you send the Q3 numbers by Friday? Thanks!"}`

const translationJSON = `{"perception":"It sounds unsure, as if you expect a no.","hiddenMeaning":"You may signal that your own idea isn't worth their time.","alternatives":[{"text":"I'd like to propose a change.","when":"In a meeting, to take the floor."},{"text":"Here's an idea I think will help.","when":"In a chat thread."},{"text":"Can I get your view on a proposal?","when":"One to one with your manager."}]}`

func wantCode(t *testing.T, err error, code, msg string) {
	t.Helper()
	if got := cara.ErrorCode(err); got != code {
		t.Errorf("code = %q (err %v), want %q", got, err, code)
	}
	if msg != "" {
		if got := cara.ErrorMessage(err); got != msg {
			t.Errorf("message = %q, want %q", got, msg)
		}
	}
}

func lastTurn(c Chat) Turn { return c.Turns[len(c.Turns)-1] }

// offlineReason is the pending reason while the harness is offline: the
// cause as gemini words it, then what happens next.
const offlineReason = gemini.MsgUnreachable + ". " + msgPendingOffline

// checkRetryAt: a quota error with RetryInfo keeps when to try again, 17 s
// (geminitest.RetryDelay) after the call; any other outcome keeps none.
func (h *harness) checkRetryAt(what string, got *time.Time, quota bool) {
	h.t.Helper()
	switch {
	case !quota && got != nil:
		h.t.Errorf("%s: retry at %v, want none", what, got)
	case quota && got == nil:
		h.t.Errorf("%s: no retry time after a quota error with RetryInfo", what)
	case quota:
		h.clockMu.Lock()
		wait := got.Sub(h.clock)
		h.clockMu.Unlock()
		if wait < 16*time.Second || wait > 17*time.Second {
			h.t.Errorf("%s: retry %v after now, want 17 s", what, wait)
		}
	}
}
