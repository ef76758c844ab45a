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
	ctx        context.Context
	reviews    *coach.Reviews
	askCara    *coach.AskCara
	translator *coach.Translator
	calls      *aiCalls
	sessions   identifier
	log        *slog.Logger
}

// NewCoach returns the Coach service.
func NewCoach(reviews *coach.Reviews, askCara *coach.AskCara, translator *coach.Translator, calls *aiCalls, sessions identifier, log *slog.Logger) *Coach {
	return &Coach{ctx: context.Background(), reviews: reviews, askCara: askCara, translator: translator, calls: calls, sessions: sessions, log: log}
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

// AskCara adds Gemini's feedback and a rewrite (mode "strict" or "creative")
// to one of the user's reviews. With no key or no network the review is
// marked "AI feedback pending" and the offline queue finishes it later; a
// refusal from Gemini marks it "failed" with the reason. It rejects only bad
// input.
func (c *Coach) AskCara(reviewID, mode string) (coach.Review, error) {
	const op = "Coach.AskCara"
	who, err := c.sessions.Current(c.ctx)
	if err != nil {
		return coach.Review{}, uiError(c.log, op, err)
	}
	var r coach.Review
	err = c.calls.do(func(ctx context.Context) error {
		r, err = c.askCara.Ask(ctx, who.UserID, reviewID, mode)
		return err
	})
	return r, uiError(c.log, op, err)
}

// Translate explains how a phrase is heard in a US workplace, what it
// implies, and three better ways to say it. It needs Gemini.
func (c *Coach) Translate(phrase string) (coach.Translation, error) {
	const op = "Coach.Translate"
	who, err := c.sessions.Current(c.ctx)
	if err != nil {
		return coach.Translation{}, uiError(c.log, op, err)
	}
	var t coach.Translation
	err = c.calls.do(func(ctx context.Context) error {
		t, err = c.translator.Translate(ctx, who.UserID, phrase)
		return err
	})
	return t, uiError(c.log, op, err)
}
