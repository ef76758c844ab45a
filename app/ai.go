package app

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/cara-coach/cara/internal/cara"
	"github.com/cara-coach/cara/internal/coach"
)

var errClosing = cara.Errorf(cara.EUNAVAILABLE, "Cara is closing")

// shutdownGrace is how long Shutdown waits for cancelled AI calls to save
// what they have before the database closes.
const shutdownGrace = 5 * time.Second

// aiCalls runs the AI calls of the bound services under one context that
// Shutdown cancels, and lets Shutdown wait until each has saved its partial
// reply: closing Cara mid-stream loses nothing.
type aiCalls struct {
	mu      sync.Mutex
	ctx     context.Context
	cancel  context.CancelFunc
	running sync.WaitGroup
	closed  bool
}

func newAICalls() *aiCalls {
	ctx, cancel := context.WithCancel(context.Background())
	return &aiCalls{ctx: ctx, cancel: cancel}
}

// do runs f with the calls' context, unless Cara is closing.
func (a *aiCalls) do(f func(ctx context.Context) error) error {
	a.mu.Lock()
	if a.closed {
		a.mu.Unlock()
		return errClosing
	}
	a.running.Add(1)
	a.mu.Unlock()
	defer a.running.Done()
	return f(a.ctx)
}

// spawn runs f in the background with the calls' context, unless Cara is
// closing; Shutdown waits for it like for any call.
func (a *aiCalls) spawn(f func(ctx context.Context)) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed {
		return errClosing
	}
	a.running.Add(1)
	go func() {
		defer a.running.Done()
		f(a.ctx)
	}()
	return nil
}

// stop cancels every call and waits (at most grace) for them to return.
func (a *aiCalls) stop(grace time.Duration) {
	a.mu.Lock()
	a.closed = true
	a.mu.Unlock()
	a.cancel()
	done := make(chan struct{})
	go func() { a.running.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(grace):
	}
}

// queueRunner works through the offline queue in the background: at start,
// when asked (a key was saved, "Process now"), and every interval while
// something is pending, so practices done offline get their AI feedback
// without the user redoing them. Progress goes to the UI as "ai:queue".
type queueRunner struct {
	queue    *coach.Queue
	sessions identifier
	calls    *aiCalls
	interval time.Duration
	log      *slog.Logger
	emit     emitFunc
	ctx      context.Context // the Wails context, for events
	wake     chan struct{}
}

func newQueueRunner(q *coach.Queue, sessions identifier, calls *aiCalls, interval time.Duration, log *slog.Logger, emit emitFunc) *queueRunner {
	if interval <= 0 {
		interval = 30 * time.Second
	}
	return &queueRunner{queue: q, sessions: sessions, calls: calls, interval: interval, log: log, emit: emit, ctx: context.Background(), wake: make(chan struct{}, 1)}
}

// poke asks for a run soon; it never blocks.
func (r *queueRunner) poke() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// loop runs until the calls' context ends (shutdown).
func (r *queueRunner) loop(ctx context.Context) {
	r.ctx = ctx
	tick := time.NewTicker(r.interval)
	defer tick.Stop()
	for {
		r.runOnce()
		select {
		case <-r.calls.ctx.Done():
			return
		case <-tick.C:
		case <-r.wake:
		}
	}
}

// runOnce processes the signed-in user's pending items, if any.
func (r *queueRunner) runOnce() {
	who, err := r.sessions.Current(r.calls.ctx)
	if err != nil {
		return // signed out: nothing of anyone's to process
	}
	st, err := r.queue.Status(r.calls.ctx, who.UserID)
	if err != nil || st.Pending == 0 {
		return
	}
	_ = r.calls.do(func(ctx context.Context) error {
		st, err := r.queue.Run(ctx, who.UserID, func(s coach.QueueStatus) { r.emit(r.ctx, EventAIQueue, s) })
		if err != nil {
			r.log.Error("offline queue", "err", err)
			return nil
		}
		r.emit(r.ctx, EventAIQueue, st)
		return nil
	})
}
