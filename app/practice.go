package app

import (
	"context"
	"encoding/base64"
	"log/slog"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/cara-coach/cara/internal/cara"
	"github.com/cara-coach/cara/internal/coach"
	"github.com/cara-coach/cara/internal/document"
)

// maxContextFileBytes bounds a context file before it is decoded: context is
// a job description or a brief, never a book.
const maxContextFileBytes = 1 << 20

// ChunkEvent is the payload of EventChatChunk.
type ChunkEvent struct {
	ChatID string `json:"chatId"`
	TurnID string `json:"turnId"`
	Text   string `json:"text"` // the new piece only
	// At is when the chunk reached Go, in ms since the Unix epoch (with a
	// fraction), so the UI can measure chunk-to-paint latency.
	At float64 `json:"at"`
}

// Practice is the bound service behind the conversation simulator: pick a
// scenario and persona, chat with streamed replies, end for feedback.
type Practice struct {
	ctx      context.Context
	chats    *coach.Chats
	sessions identifier
	calls    *aiCalls
	log      *slog.Logger
	emit     emitFunc
}

// NewPractice returns the Practice service.
func NewPractice(chats *coach.Chats, sessions identifier, calls *aiCalls, log *slog.Logger) *Practice {
	return &Practice{ctx: context.Background(), chats: chats, sessions: sessions, calls: calls, log: log, emit: runtime.EventsEmit}
}

func (p *Practice) startup(ctx context.Context) { p.ctx = ctx }

// user returns the signed-in user's id.
func (p *Practice) user(op string) (string, error) {
	who, err := p.sessions.Current(p.ctx)
	if err != nil {
		return "", uiError(p.log, op, err)
	}
	return who.UserID, nil
}

// Catalog lists the scenarios and personas to choose from.
func (p *Practice) Catalog() (coach.Catalog, error) {
	return p.chats.Catalog(), nil
}

// ImportContext extracts the text of a .txt or .md file the user attaches as
// background (e.g. a job description). contentBase64 is the file's bytes.
func (p *Practice) ImportContext(name string, contentBase64 string) (coach.ContextDoc, error) {
	const op = "Practice.ImportContext"
	if base64.StdEncoding.DecodedLen(len(contentBase64)) > maxContextFileBytes+3 {
		return coach.ContextDoc{}, uiError(p.log, op, cara.Errorf(cara.ETOOLARGE, "This file is too large for context (max 1 MB)"))
	}
	data, err := base64.StdEncoding.DecodeString(contentBase64)
	if err != nil {
		return coach.ContextDoc{}, uiError(p.log, op, cara.Errorf(cara.ENOTTEXT, "This file doesn't look like text"))
	}
	t, err := document.Extract(name, data)
	if err != nil {
		return coach.ContextDoc{}, uiError(p.log, op, err)
	}
	return coach.ContextDoc{Name: name, Text: t.Body}, nil
}

// Start opens a conversation; its first turn is the persona's opening line.
func (p *Practice) Start(in coach.StartInput) (coach.Chat, error) {
	const op = "Practice.Start"
	uid, err := p.user(op)
	if err != nil {
		return coach.Chat{}, err
	}
	c, err := p.chats.Start(p.ctx, uid, in)
	return c, uiError(p.log, op, err)
}

// Send saves the user's turn, then streams the persona's reply as
// "chat:chunk" events. It resolves when the reply is over: complete, or
// partial/failed with the reason on the turn (and Retry offered). It rejects
// only bad input (an empty message, an ended chat …).
func (p *Practice) Send(chatID, text string) (coach.Chat, error) {
	const op = "Practice.Send"
	uid, err := p.user(op)
	if err != nil {
		return coach.Chat{}, err
	}
	var c coach.Chat
	err = p.calls.do(func(ctx context.Context) error {
		c, err = p.chats.Send(ctx, uid, chatID, text, p.onChunk)
		return err
	})
	return c, uiError(p.log, op, err)
}

// Stop ends the chat's streaming reply; Send then resolves with what arrived.
func (p *Practice) Stop(chatID string) error {
	uid, err := p.user("Practice.Stop")
	if err != nil {
		return err
	}
	p.chats.Stop(uid, chatID)
	return nil
}

// Retry streams the last reply again when it was cut off, stopped or failed.
func (p *Practice) Retry(chatID string) (coach.Chat, error) {
	const op = "Practice.Retry"
	uid, err := p.user(op)
	if err != nil {
		return coach.Chat{}, err
	}
	var c coach.Chat
	err = p.calls.do(func(ctx context.Context) error {
		c, err = p.chats.Retry(ctx, uid, chatID, p.onChunk)
		return err
	})
	return c, uiError(p.log, op, err)
}

// End finishes the conversation: the offline report of the user's turns at
// once, and Gemini's feedback when it can be had (else "pending" for the
// queue, or "failed" with the reason). On an ended chat it retries the feedback.
func (p *Practice) End(chatID string) (coach.Chat, error) {
	const op = "Practice.End"
	uid, err := p.user(op)
	if err != nil {
		return coach.Chat{}, err
	}
	var c coach.Chat
	err = p.calls.do(func(ctx context.Context) error {
		c, err = p.chats.End(ctx, uid, chatID)
		return err
	})
	return c, uiError(p.log, op, err)
}

// Get returns one of the signed-in user's conversations.
func (p *Practice) Get(chatID string) (coach.Chat, error) {
	const op = "Practice.Get"
	uid, err := p.user(op)
	if err != nil {
		return coach.Chat{}, err
	}
	c, err := p.chats.Get(p.ctx, uid, chatID)
	return c, uiError(p.log, op, err)
}

func (p *Practice) onChunk(ev coach.ChunkEvent) {
	p.emit(p.ctx, EventChatChunk, ChunkEvent{
		ChatID: ev.ChatID,
		TurnID: ev.TurnID,
		Text:   ev.Text,
		At:     float64(ev.At.UnixMicro()) / 1000,
	})
}
