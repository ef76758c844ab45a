package app

import (
	"context"
	"encoding/base64"
	"log/slog"

	"github.com/cara-coach/cara/internal/auth"
	"github.com/cara-coach/cara/internal/cara"
	"github.com/cara-coach/cara/internal/coach"
	"github.com/cara-coach/cara/internal/document"
)

// identifier tells who is signed in (session.Manager.Current): every method
// that touches user data asks it first.
type identifier interface {
	Current(ctx context.Context) (auth.Identity, error)
}

// Coach is the bound service behind the Review screen.
type Coach struct {
	ctx      context.Context
	reviews  *coach.Reviews
	sessions identifier
	log      *slog.Logger
}

// NewCoach returns the Coach service.
func NewCoach(reviews *coach.Reviews, sessions identifier, log *slog.Logger) *Coach {
	return &Coach{ctx: context.Background(), reviews: reviews, sessions: sessions, log: log}
}

func (c *Coach) startup(ctx context.Context) { c.ctx = ctx }

// Review analyses a text with the offline coach and saves it to the signed-in
// user's History.
func (c *Coach) Review(in coach.ReviewInput) (coach.Review, error) {
	id, err := c.sessions.Current(c.ctx)
	if err != nil {
		return coach.Review{}, uiError(c.log, "Coach.Review", err)
	}
	r, err := c.reviews.Create(c.ctx, id.UserID, in)
	return r, uiError(c.log, "Coach.Review", err)
}

// ImportFile extracts the reviewable text of an opened or dropped file
// (.txt, .md, .eml). contentBase64 is the file's bytes, base64-encoded. It
// reads no user data, so it needs no session.
func (c *Coach) ImportFile(name string, contentBase64 string) (document.Text, error) {
	if base64.StdEncoding.DecodedLen(len(contentBase64)) > document.MaxEmailBytes+3 {
		return document.Text{}, uiError(c.log, "Coach.ImportFile", cara.Errorf(cara.ETOOLARGE, "Text is too long (max 200,000 characters)"))
	}
	data, err := base64.StdEncoding.DecodeString(contentBase64)
	if err != nil {
		return document.Text{}, uiError(c.log, "Coach.ImportFile", cara.Errorf(cara.ENOTTEXT, "This file doesn't look like text"))
	}
	t, err := document.Extract(name, data)
	return t, uiError(c.log, "Coach.ImportFile", err)
}
