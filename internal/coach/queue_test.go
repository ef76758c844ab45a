package coach

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/cara-coach/cara/internal/gemini/geminitest"
)

// progressLog records the progress callbacks of a run.
type progressLog struct {
	mu   sync.Mutex
	seen []QueueStatus
}

func (p *progressLog) add(s QueueStatus) {
	p.mu.Lock()
	p.seen = append(p.seen, s)
	p.mu.Unlock()
}

func (p *progressLog) done() []int {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []int
	for _, s := range p.seen {
		out = append(out, s.Done)
	}
	return out
}

func TestQueueOfflineThenOnline(t *testing.T) {
	h := newHarness(t, geminitest.Options{})
	ctx := context.Background()
	const turn = "I can have the report ready by Thursday."
	c := h.chatWithTurns(turn)
	r := h.addReview(draft)

	// Offline: the practice is saved, with its offline report, feedback pending.
	h.goOffline.Store(true)
	ended, err := h.c.End(ctx, testUser, c.ID)
	if err != nil || ended.AIStatus != AIPending || ended.Offline == nil || ended.AIError != offlineReason {
		t.Fatalf("End offline: %q %q offline report %v, %v", ended.AIStatus, ended.AIError, ended.Offline != nil, err)
	}
	// History shows the offline score while the AI's is pending.
	if list, err := h.c.List(ctx, testUser); err != nil || len(list) != 1 || list[0].Overall != 0 ||
		list[0].OfflineOverall != ended.Offline.Scores.Overall || list[0].OfflineOverall <= 0 {
		t.Errorf("History line while pending: %+v, %v; want the offline overall %d and no AI overall", list, err, ended.Offline.Scores.Overall)
	}
	asked, err := h.ask.Ask(ctx, testUser, r.ID, ModeCreative)
	if err != nil || asked.AIStatus != AIPending {
		t.Fatalf("Ask offline: %q, %v", asked.AIStatus, err)
	}
	st, err := h.queue.Status(ctx, testUser)
	if err != nil || st != (QueueStatus{Pending: 2}) {
		t.Errorf("status = %+v, %v; want 2 pending", st, err)
	}

	// Still offline: the run stops at once and says why; nothing is lost.
	var p progressLog
	st, err = h.queue.Run(ctx, testUser, p.add)
	if err != nil {
		t.Fatal(err)
	}
	if st.Pending != 2 || st.Done != 0 || st.Total != 2 || st.Running || st.Error != offlineReason {
		t.Errorf("offline run = %+v", st)
	}
	if got := p.done(); len(got) != 2 {
		t.Errorf("progress calls = %v, want start and end", got)
	}
	st, _ = h.queue.Status(ctx, testUser)
	if st.Pending != 2 || st.Error != offlineReason {
		t.Errorf("status after offline run = %+v", st)
	}

	// Back online: both are processed, oldest (the chat) first.
	h.goOffline.Store(false)
	h.fake.SetJSONReplies(feedbackJSON(turn), reviewJSON)
	p = progressLog{}
	st, err = h.queue.Run(ctx, testUser, p.add)
	if err != nil {
		t.Fatal(err)
	}
	if st != (QueueStatus{Pending: 0, Done: 2, Total: 2}) {
		t.Errorf("online run = %+v", st)
	}
	if got := p.done(); len(got) != 4 || got[0] != 0 || got[1] != 1 || got[2] != 2 || got[3] != 2 {
		t.Errorf("progress Done values = %v, want [0 1 2 2]", got)
	}
	if p.seen[0].Total != 2 || !p.seen[0].Running || p.seen[3].Running {
		t.Errorf("progress = %+v", p.seen)
	}
	reqs := h.requests("generateContent")
	if len(reqs) != 2 {
		t.Fatalf("%d calls, want 2", len(reqs))
	}
	if !strings.Contains(decodeWire(t, reqs[0].Body).system(), "role-play") || !strings.Contains(decodeWire(t, reqs[1].Body).system(), "Mode: creative") {
		t.Error("not processed oldest first, or the review's mode was lost")
	}
	chat, _ := h.c.Get(ctx, testUser, c.ID)
	if chat.AIStatus != AIReady || chat.Feedback == nil {
		t.Errorf("chat after the run: %q %q", chat.AIStatus, chat.AIError)
	}
	rev, _ := h.reviews.GetReview(ctx, testUser, r.ID)
	if rev.AIStatus != AIReady || rev.AI == nil || rev.AI.Mode != ModeCreative {
		t.Errorf("review after the run: %q %+v", rev.AIStatus, rev.AI)
	}
	st, _ = h.queue.Status(ctx, testUser)
	if st != (QueueStatus{}) {
		t.Errorf("status after the run = %+v, want nothing pending", st)
	}

	// Nothing pending: a run does nothing and reports nothing.
	p = progressLog{}
	if st, err := h.queue.Run(ctx, testUser, p.add); err != nil || st != (QueueStatus{}) || len(p.seen) != 0 {
		t.Errorf("empty run = %+v, %v, %d progress calls", st, err, len(p.seen))
	}
}

func TestQueueStopsWithoutKey(t *testing.T) {
	h := newHarness(t, geminitest.Options{})
	ctx := context.Background()
	a := h.addReview(draft)
	b := h.addReview("Per my last email, the deadline is Friday.")
	h.noKey.Store(true)
	for _, r := range []Review{a, b} {
		if got, err := h.ask.Ask(ctx, testUser, r.ID, ModeStrict); err != nil || got.AIStatus != AIPending {
			t.Fatalf("Ask without key: %q, %v", got.AIStatus, err)
		}
	}
	st, err := h.queue.Run(ctx, testUser, nil)
	if err != nil || st.Pending != 2 || st.Error != msgPendingNoKey {
		t.Errorf("run without key = %+v, %v", st, err)
	}
	// The key comes back, but the first Ask Cara fails for good: the run goes on.
	h.noKey.Store(false)
	h.fake.FailNext(geminitest.PermissionDenied)
	h.fake.SetJSONReplies(reviewJSON)
	st, err = h.queue.Run(ctx, testUser, nil)
	if err != nil || st.Done != 2 || st.Pending != 0 {
		t.Errorf("run = %+v, %v", st, err)
	}
	first, _ := h.reviews.GetReview(ctx, testUser, a.ID)
	second, _ := h.reviews.GetReview(ctx, testUser, b.ID)
	if first.AIStatus != AIFailed || second.AIStatus != AIReady {
		t.Errorf("statuses = %q, %q; want failed, ready", first.AIStatus, second.AIStatus)
	}
}

// A chat left "running" by a Cara that closed mid-feedback is pending.
func TestQueuePicksUpInterruptedFeedback(t *testing.T) {
	h := newHarness(t, geminitest.Options{})
	ctx := context.Background()
	c := h.chatWithTurns("Happy to help with the rollout.")
	c.Ended, c.AIStatus = true, AIRunning
	h.chats.put(t, testUser, c)
	got, _ := h.c.Get(ctx, testUser, c.ID)
	if got.AIStatus != AIPending || got.AIError != msgPendingClosed {
		t.Errorf("Get = %q %q, want pending", got.AIStatus, got.AIError)
	}
	st, _ := h.queue.Status(ctx, testUser)
	if st.Pending != 1 {
		t.Errorf("pending = %d, want 1", st.Pending)
	}
	h.fake.SetJSONReplies(feedbackJSON("Happy to help with the rollout."))
	st, err := h.queue.Run(ctx, testUser, nil)
	if err != nil || st.Done != 1 || st.Pending != 0 {
		t.Errorf("run = %+v, %v", st, err)
	}
}

// One run per user: a second Run while one is going returns its status.
func TestQueueOneRunAtATime(t *testing.T) {
	h := newHarness(t, geminitest.Options{})
	ctx := context.Background()
	r := h.addReview(draft)
	h.goOffline.Store(true)
	if _, err := h.ask.Ask(ctx, testUser, r.ID, ModeStrict); err != nil {
		t.Fatal(err)
	}
	h.goOffline.Store(false)
	h.fake.SetJSONReplies(reviewJSON)

	arrived := make(chan struct{})
	release := make(chan struct{})
	var once sync.Once
	h.setHook(func(r *http.Request) {
		once.Do(func() {
			close(arrived)
			<-release
		})
	})
	done := make(chan QueueStatus)
	go func() {
		st, _ := h.queue.Run(ctx, testUser, nil)
		done <- st
	}()
	<-arrived
	st, err := h.queue.Run(ctx, testUser, nil)
	if err != nil || !st.Running || st.Total != 1 || st.Current != r.Title {
		t.Errorf("second run = %+v, %v; want the first one's status", st, err)
	}
	if s, _ := h.queue.Status(ctx, testUser); !s.Running {
		t.Errorf("status during a run = %+v", s)
	}
	close(release)
	if st := <-done; st.Done != 1 || st.Pending != 0 {
		t.Errorf("first run = %+v", st)
	}
}
