package app

import (
	"context"
	"log/slog"

	"github.com/cara-coach/cara/internal/coach"
)

// History is the bound service behind the History screen. Each user sees
// only their own reviews.
type History struct {
	ctx      context.Context
	reviews  *coach.Reviews
	sessions identifier
	log      *slog.Logger
}

// NewHistory returns the History service.
func NewHistory(reviews *coach.Reviews, sessions identifier, log *slog.Logger) *History {
	return &History{ctx: context.Background(), reviews: reviews, sessions: sessions, log: log}
}

func (h *History) startup(ctx context.Context) { h.ctx = ctx }

// List returns the signed-in user's saved reviews, newest first.
func (h *History) List() ([]coach.ReviewSummary, error) {
	id, err := h.sessions.Current(h.ctx)
	if err != nil {
		return nil, uiError(h.log, "History.List", err)
	}
	out, err := h.reviews.List(h.ctx, id.UserID)
	return out, uiError(h.log, "History.List", err)
}

// Get returns one of the signed-in user's reviews with its text and report.
func (h *History) Get(id string) (coach.Review, error) {
	who, err := h.sessions.Current(h.ctx)
	if err != nil {
		return coach.Review{}, uiError(h.log, "History.Get", err)
	}
	r, err := h.reviews.Get(h.ctx, who.UserID, id)
	return r, uiError(h.log, "History.Get", err)
}

// Delete removes one of the signed-in user's reviews.
func (h *History) Delete(id string) error {
	who, err := h.sessions.Current(h.ctx)
	if err != nil {
		return uiError(h.log, "History.Delete", err)
	}
	return uiError(h.log, "History.Delete", h.reviews.Delete(h.ctx, who.UserID, id))
}
