package app

import (
	"context"
	"log/slog"

	"github.com/cara-coach/cara/internal/coach"
)

// History is the bound service behind the History screen.
type History struct {
	ctx     context.Context
	reviews *coach.Reviews
	log     *slog.Logger
}

// NewHistory returns the History service.
func NewHistory(reviews *coach.Reviews, log *slog.Logger) *History {
	return &History{ctx: context.Background(), reviews: reviews, log: log}
}

func (h *History) startup(ctx context.Context) { h.ctx = ctx }

// List returns saved reviews, newest first.
func (h *History) List() ([]coach.ReviewSummary, error) {
	out, err := h.reviews.List(h.ctx)
	return out, uiError(h.log, "History.List", err)
}

// Get returns one saved review with its text and report.
func (h *History) Get(id string) (coach.Review, error) {
	r, err := h.reviews.Get(h.ctx, id)
	return r, uiError(h.log, "History.Get", err)
}

// Delete removes a saved review.
func (h *History) Delete(id string) error {
	return uiError(h.log, "History.Delete", h.reviews.Delete(h.ctx, id))
}
