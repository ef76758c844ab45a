package app

import (
	"context"
	"log/slog"
	"sort"
	"time"

	"github.com/cara-coach/cara/internal/cara"
	"github.com/cara-coach/cara/internal/coach"
)

// HistoryItem is one line of History: a review or a conversation.
type HistoryItem struct {
	Kind      string               `json:"kind"` // "review" or "chat"
	ID        string               `json:"id"`
	Title     string               `json:"title"`
	CreatedAt time.Time            `json:"createdAt"`
	AIStatus  string               `json:"aiStatus"`
	Review    *coach.ReviewSummary `json:"review,omitempty"`
	Chat      *coach.ChatSummary   `json:"chat,omitempty"`
}

// History is the bound service behind the History screen. Each user sees
// only their own practices.
type History struct {
	ctx      context.Context
	reviews  *coach.Reviews
	chats    *coach.Chats
	sessions identifier
	log      *slog.Logger
}

// NewHistory returns the History service.
func NewHistory(reviews *coach.Reviews, chats *coach.Chats, sessions identifier, log *slog.Logger) *History {
	return &History{ctx: context.Background(), reviews: reviews, chats: chats, sessions: sessions, log: log}
}

func (h *History) startup(ctx context.Context) { h.ctx = ctx }

// List returns the signed-in user's reviews and conversations, newest first.
func (h *History) List() ([]HistoryItem, error) {
	const op = "History.List"
	id, err := h.sessions.Current(h.ctx)
	if err != nil {
		return nil, uiError(h.log, op, err)
	}
	reviews, err := h.reviews.List(h.ctx, id.UserID)
	if err != nil {
		return nil, uiError(h.log, op, err)
	}
	chats, err := h.chats.List(h.ctx, id.UserID)
	if err != nil {
		return nil, uiError(h.log, op, err)
	}
	out := make([]HistoryItem, 0, len(reviews)+len(chats))
	for i := range reviews {
		r := &reviews[i]
		out = append(out, HistoryItem{Kind: "review", ID: r.ID, Title: r.Title, CreatedAt: r.CreatedAt, AIStatus: r.AIStatus, Review: r})
	}
	for i := range chats {
		c := &chats[i]
		out = append(out, HistoryItem{Kind: "chat", ID: c.ID, Title: c.Title, CreatedAt: c.CreatedAt, AIStatus: c.AIStatus, Chat: c})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].CreatedAt.After(out[j].CreatedAt) })
	return out, nil
}

// Get returns one of the signed-in user's reviews with its text and report
// (conversations open through Practice.Get).
func (h *History) Get(id string) (coach.Review, error) {
	who, err := h.sessions.Current(h.ctx)
	if err != nil {
		return coach.Review{}, uiError(h.log, "History.Get", err)
	}
	r, err := h.reviews.Get(h.ctx, who.UserID, id)
	return r, uiError(h.log, "History.Get", err)
}

// Delete removes one of the signed-in user's reviews or conversations.
func (h *History) Delete(id string) error {
	const op = "History.Delete"
	who, err := h.sessions.Current(h.ctx)
	if err != nil {
		return uiError(h.log, op, err)
	}
	err = h.reviews.Delete(h.ctx, who.UserID, id)
	if cara.ErrorCode(err) == cara.ENOTFOUND {
		err = h.chats.Delete(h.ctx, who.UserID, id)
	}
	return uiError(h.log, op, err)
}
