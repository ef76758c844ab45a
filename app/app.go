package app

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/cara-coach/cara/internal/aisettings"
	"github.com/cara-coach/cara/internal/coach"
	"github.com/cara-coach/cara/internal/session"
)

type service interface{ startup(ctx context.Context) }

// Deps is what the bound services are built from.
type Deps struct {
	Sessions *session.Manager
	Reviews  *coach.Reviews
	// AI keeps each user's Gemini key and model.
	AI *aisettings.Settings
	// The AI practice logic: token budget, conversations, Ask Cara, the
	// cultural translator and the offline queue.
	Usage      *coach.AI
	Chats      *coach.Chats
	AskCara    *coach.AskCara
	Translator *coach.Translator
	Queue      *coach.Queue
	// QueueInterval is how often the offline queue retries while items wait
	// (30 s if zero).
	QueueInterval time.Duration
	// HeartbeatInterval is how often EventAppAlive is sent (5 s if zero).
	HeartbeatInterval time.Duration
	Version           string
	DataDir           string
	Log               *slog.Logger
	// Closers run on shutdown, in order, after the session manager stops
	// (e.g. the database's Close).
	Closers []func() error
}

// Services are the bound services and what they need at start-up and shutdown.
type Services struct {
	Auth     *Auth
	Coach    *Coach
	Practice *Practice
	History  *History
	Settings *Settings
	System   *System
	Transfer *Transfer
	sessions *session.Manager
	usage    *coach.AI
	calls    *aiCalls
	runner   *queueRunner
	emit     emitFunc
	log      *slog.Logger
	closers  []func() error
	// heartbeat is EventAppAlive's interval; stopBeat ends it at Shutdown.
	heartbeat time.Duration
	stopBeat  chan struct{}
	stopOnce  sync.Once
}

// NewServices wires the bound services.
func NewServices(d Deps) *Services {
	calls := newAICalls()
	runner := newQueueRunner(d.Queue, d.Sessions, calls, d.QueueInterval, d.Log, runtime.EventsEmit)
	heartbeat := d.HeartbeatInterval
	if heartbeat <= 0 {
		heartbeat = defaultHeartbeat
	}
	coachSvc := NewCoach(d.Reviews, d.AskCara, d.Translator, calls, d.Sessions, d.Log)
	practice := NewPractice(d.Chats, d.Sessions, calls, d.Log)
	return &Services{
		heartbeat: heartbeat,
		stopBeat:  make(chan struct{}),
		Auth:      NewAuth(d.Sessions, d.Log),
		Coach:     coachSvc,
		Practice:  practice,
		History:   NewHistory(d.Reviews, d.Chats, d.Sessions, d.Log),
		Settings:  NewSettings(d.AI, d.Usage, runner, d.Sessions, d.Log),
		System:    NewSystem(d.Version, d.DataDir),
		Transfer:  NewTransfer(transferTargets(coachSvc, practice)),
		sessions:  d.Sessions,
		usage:     d.Usage,
		calls:     calls,
		runner:    runner,
		emit:      runtime.EventsEmit,
		log:       d.Log,
		closers:   d.Closers,
	}
}

// Bind lists the objects whose methods the UI can call.
func (s *Services) Bind() []any {
	return []any{s.Auth, s.Coach, s.Practice, s.History, s.Settings, s.System, s.Transfer}
}

// setEmit replaces how events reach the UI (tests record them).
func (s *Services) setEmit(emit emitFunc) {
	s.Auth.emit = emit
	s.Practice.emit = emit
	s.runner.emit = emit
	s.emit = emit
}

// Startup hands the Wails context to every service and starts the silent
// sign-in in the background: the window opens at once, and Auth.State (like
// every call that needs the session) waits for it.
func (s *Services) Startup(ctx context.Context) {
	s.start(ctx)
	runtime.LogInfo(ctx, "Cara started")
}

// start is Startup without the Wails runtime (tests call it).
func (s *Services) start(ctx context.Context) {
	for _, svc := range []service{s.Auth, s.Coach, s.Practice, s.History, s.Settings, s.System, s.Transfer} {
		svc.startup(ctx)
	}
	s.usage.OnUsage(func(_ string, st coach.UsageStatus) { s.emit(ctx, EventAIUsage, st) })
	s.sessions.StartRestore(ctx)
	go s.runner.loop(ctx)
	go s.beat(ctx)
}

// beat sends EventAppAlive now and every s.heartbeat until Shutdown.
func (s *Services) beat(ctx context.Context) {
	ev := AliveEvent{IntervalMS: s.heartbeat.Milliseconds()}
	t := time.NewTicker(s.heartbeat)
	defer t.Stop()
	for {
		s.emit(ctx, EventAppAlive, ev)
		select {
		case <-t.C:
		case <-s.stopBeat:
			return
		case <-ctx.Done():
			return
		}
	}
}

// Shutdown stops the session's refresh timer and closes storage; errors are
// logged, not shown (the window is gone).
func (s *Services) Shutdown(ctx context.Context) {
	s.stopOnce.Do(func() { close(s.stopBeat) })
	// AI calls first: each saves its partial reply before the database closes.
	s.calls.stop(shutdownGrace)
	s.sessions.Shutdown()
	for _, c := range s.closers {
		if err := c(); err != nil {
			s.log.Error("shutdown", "err", err)
		}
	}
}
