package coach

import (
	"context"
	"sort"
	"sync"
	"time"

	"github.com/cara-coach/cara/internal/cara"
)

// Queue finishes AI feedback left pending (no key, no network, no budget)
// once Gemini can be reached, oldest first, without the user redoing
// anything.
type Queue struct {
	chats   *Chats
	ask     *AskCara
	reviews ReviewStore

	mu   sync.Mutex
	runs map[string]*QueueStatus // userID → the run in progress
	last map[string]string       // userID → why the last run stopped early
}

// NewQueue returns a Queue over the user's chats and reviews.
func NewQueue(chats *Chats, ask *AskCara, reviews ReviewStore) *Queue {
	return &Queue{chats: chats, ask: ask, reviews: reviews, runs: map[string]*QueueStatus{}, last: map[string]string{}}
}

// queueItem is one practice waiting for AI feedback.
type queueItem struct {
	chat    bool // else a review
	id      string
	title   string
	created time.Time
}

// pending lists the user's practices waiting for AI feedback, oldest first.
func (q *Queue) pending(ctx context.Context, userID string) ([]queueItem, error) {
	chats, err := q.chats.List(ctx, userID)
	if err != nil {
		return nil, err
	}
	reviews, err := q.reviews.ListReviews(ctx, userID)
	if err != nil {
		return nil, err
	}
	var items []queueItem
	for _, c := range chats {
		// "running" with nothing running means Cara closed mid-feedback.
		if c.AIStatus == AIPending || (c.AIStatus == AIRunning && !q.chats.live(userID, c.ID).busy) {
			items = append(items, queueItem{chat: true, id: c.ID, title: c.Title, created: c.CreatedAt})
		}
	}
	for _, r := range reviews {
		if r.AIStatus == AIPending {
			items = append(items, queueItem{id: r.ID, title: r.Title, created: r.CreatedAt})
		}
	}
	sort.SliceStable(items, func(i, j int) bool {
		if !items[i].created.Equal(items[j].created) {
			return items[i].created.Before(items[j].created)
		}
		return items[i].id < items[j].id
	})
	return items, nil
}

// Status returns the run in progress, or else how many items wait.
func (q *Queue) Status(ctx context.Context, userID string) (QueueStatus, error) {
	q.mu.Lock()
	if st := q.runs[userID]; st != nil {
		s := *st
		q.mu.Unlock()
		return s, nil
	}
	reason := q.last[userID]
	q.mu.Unlock()
	items, err := q.pending(ctx, userID)
	if err != nil {
		return QueueStatus{}, err
	}
	st := QueueStatus{Pending: len(items)}
	if st.Pending > 0 {
		st.Error = reason
	}
	return st, nil
}

// Run processes the pending items, oldest first. progress is called when
// the run starts, after each item and when it ends. It stops at the first
// item that stays pending (still offline, no key, no budget) with Error
// saying why; those items wait for the next run. A second Run while one is
// going returns that one's status at once.
func (q *Queue) Run(ctx context.Context, userID string, progress func(QueueStatus)) (QueueStatus, error) {
	q.mu.Lock()
	if st := q.runs[userID]; st != nil {
		s := *st
		q.mu.Unlock()
		return s, nil
	}
	run := &QueueStatus{Running: true}
	q.runs[userID] = run
	q.mu.Unlock()
	defer func() {
		q.mu.Lock()
		delete(q.runs, userID)
		q.mu.Unlock()
	}()

	// update changes the run under the lock and tells progress.
	update := func(change func(s *QueueStatus)) QueueStatus {
		q.mu.Lock()
		change(run)
		s := *run
		q.mu.Unlock()
		if progress != nil {
			progress(s)
		}
		return s
	}

	items, err := q.pending(ctx, userID)
	if err != nil {
		return QueueStatus{}, err
	}
	if len(items) == 0 {
		q.setLast(userID, "")
		return QueueStatus{}, nil
	}
	update(func(s *QueueStatus) { s.Total, s.Pending = len(items), len(items) })

	var stopReason string
	var runErr error
	for _, it := range items {
		q.mu.Lock()
		run.Current = it.title
		q.mu.Unlock()
		status, reason, err := q.process(ctx, userID, it)
		if err != nil && !skippable(err) {
			stopReason, runErr = cara.ErrorMessage(err), err
			break
		}
		if err == nil && status == AIPending {
			stopReason = reason
			break
		}
		update(func(s *QueueStatus) { s.Done++; s.Pending-- })
	}

	q.setLast(userID, stopReason)
	left, err := q.pending(ctx, userID)
	if err != nil && runErr == nil {
		runErr = err
	}
	final := update(func(s *QueueStatus) {
		s.Running, s.Current, s.Error = false, "", stopReason
		if err == nil {
			s.Pending = len(left)
		}
	})
	return final, runErr
}

// process asks for one item's feedback again and returns its new AI state.
func (q *Queue) process(ctx context.Context, userID string, it queueItem) (status, reason string, err error) {
	if it.chat {
		c, err := q.chats.End(ctx, userID, it.id)
		return c.AIStatus, c.AIError, err
	}
	r, err := q.reviews.GetReview(ctx, userID, it.id)
	if err != nil {
		return "", "", err
	}
	mode := r.AIMode
	if mode != ModeCreative {
		mode = ModeStrict
	}
	r, err = q.ask.Ask(ctx, userID, it.id, mode)
	return r.AIStatus, r.AIError, err
}

// skippable errors concern one item only (deleted meanwhile, no longer
// valid): the run goes on with the next.
func skippable(err error) bool {
	switch cara.ErrorCode(err) {
	case cara.ENOTFOUND, cara.EINVALID, cara.ETOOLARGE, cara.ECONFLICT:
		return true
	}
	return false
}

func (q *Queue) setLast(userID, reason string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if reason == "" {
		delete(q.last, userID)
		return
	}
	q.last[userID] = reason
}
