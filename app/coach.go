package app

import (
	"context"
	"encoding/base64"
	"log/slog"

	"github.com/cara-coach/cara/internal/cara"
	"github.com/cara-coach/cara/internal/coach"
	"github.com/cara-coach/cara/internal/document"
)

// Coach is the bound service behind the Review screen.
type Coach struct {
	ctx     context.Context
	reviews *coach.Reviews
	log     *slog.Logger
}

// NewCoach returns the Coach service.
func NewCoach(reviews *coach.Reviews, log *slog.Logger) *Coach {
	return &Coach{ctx: context.Background(), reviews: reviews, log: log}
}

func (c *Coach) startup(ctx context.Context) { c.ctx = ctx }

// Review analyses a text with the offline coach and saves it to History.
func (c *Coach) Review(in coach.ReviewInput) (coach.Review, error) {
	r, err := c.reviews.Create(c.ctx, in)
	return r, uiError(c.log, "Coach.Review", err)
}

// ImportFile extracts the reviewable text of an opened or dropped file
// (.txt, .md, .eml). contentBase64 is the file's bytes, base64-encoded.
func (c *Coach) ImportFile(name string, contentBase64 string) (document.Text, error) {
	if base64.StdEncoding.DecodedLen(len(contentBase64)) > document.MaxFileBytes+3 {
		return document.Text{}, uiError(c.log, "Coach.ImportFile", cara.Errorf(cara.ETOOLARGE, "Text is too long (max 200,000 characters)"))
	}
	data, err := base64.StdEncoding.DecodeString(contentBase64)
	if err != nil {
		return document.Text{}, uiError(c.log, "Coach.ImportFile", cara.Errorf(cara.ENOTTEXT, "This file doesn't look like text"))
	}
	t, err := document.Extract(name, data)
	return t, uiError(c.log, "Coach.ImportFile", err)
}
