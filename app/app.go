package app

import (
	"context"
	"log/slog"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

type service interface{ startup(ctx context.Context) }

// Services are the bound services and what they need at start-up and shutdown.
type Services struct {
	Coach   *Coach
	History *History
	System  *System
	log     *slog.Logger
	closers []func() error
}

// NewServices wires the bound services. closers run on shutdown (e.g. the DB).
func NewServices(c *Coach, h *History, s *System, log *slog.Logger, closers ...func() error) *Services {
	return &Services{Coach: c, History: h, System: s, log: log, closers: closers}
}

// Bind lists the objects whose methods the UI can call.
func (s *Services) Bind() []any { return []any{s.Coach, s.History, s.System} }

// Startup hands the Wails context to every service.
func (s *Services) Startup(ctx context.Context) {
	for _, svc := range []service{s.Coach, s.History, s.System} {
		svc.startup(ctx)
	}
	runtime.LogInfo(ctx, "Cara started")
}

// Shutdown closes storage; errors are logged, not shown (the window is gone).
func (s *Services) Shutdown(ctx context.Context) {
	for _, c := range s.closers {
		if err := c(); err != nil {
			s.log.Error("shutdown", "err", err)
		}
	}
}
