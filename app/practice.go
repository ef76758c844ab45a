package app

import (
	"context"
	"encoding/base64"
	"log/slog"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/cara-coach/cara/internal/cara"
	"github.com/cara-coach/cara/internal/coach"
)

// ChunkEvent is the payload of EventChatChunk.
type ChunkEvent struct {
	ChatID string `json:"chatId"`
	TurnID string `json:"turnId"`
	Text   string `json:"text"` // the new piece only
	Seq    int    `json:"seq"`  // numbers the reply's chunks from 1 (see coach.Turn.Chunks)
	// At is when the chunk reached Go, in ms since the Unix epoch (with a
	// fraction), so the UI can measure chunk-to-paint latency.
	At float64 `json:"at"`
}

// ReplyEvent is the payload of EventChatReply.
type ReplyEvent struct {
	ChatID string `json:"chatId"`
	// Chat is the chat with the reply over: complete, or partial/failed with
	// the reason on the turn.
	Chat *coach.Chat `json:"chat,omitempty"`
	// Error is set instead when the reply could not be saved.
	Error string `json:"error,omitempty"`
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

// Catalog lists the scenarios and personas to choose from, and the limits
// on a message and a context file.
func (p *Practice) Catalog() (coach.Catalog, error) {
	return p.chats.Catalog(), nil
}

// ImportContext extracts the text of a .txt or .md file the user attaches as
// background (e.g. a job description). contentBase64 is the file's bytes.
// A file Start would refuse (empty, too long) is refused here already.
func (p *Practice) ImportContext(name string, contentBase64 string) (coach.ContextDoc, error) {
	const op = "Practice.ImportContext"
	if base64.StdEncoding.DecodedLen(len(contentBase64)) > coach.MaxContextFileBytes+3 {
		// Too many bytes to be few enough characters: not worth decoding.
		return coach.ContextDoc{}, uiError(p.log, op, cara.Errorf(cara.ETOOLARGE, "%s", coach.PracticeLimits().Context.TooLong))
	}
	data, err := base64.StdEncoding.DecodeString(contentBase64)
	if err != nil {
		return coach.ContextDoc{}, uiError(p.log, op, cara.Errorf(cara.ENOTTEXT, "This file doesn't look like text"))
	}
	doc, err := coach.ContextFromFile(name, data)
	return doc, uiError(p.log, op, err)
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

// Send saves the user's turn and resolves as soon as it is stored, with the
// chat holding it and an empty reply marked "streaming". The reply then
// streams as "chat:chunk" events, and "chat:reply" brings the chat once the
// reply is over: complete, or partial/failed with the reason on the turn
// (and Retry offered). Send rejects only bad input (an empty message, an
// ended chat …). It does not wait for the reply because in a browser
// (wails dev) calls are answered one at a time: Stop must get through.
func (p *Practice) Send(chatID, text string) (coach.Chat, error) {
	const op = "Practice.Send"
	uid, err := p.user(op)
	if err != nil {
		return coach.Chat{}, err
	}
	return p.startReply(op, chatID, func(ctx context.Context, ev coach.ReplyEvents) (coach.Chat, error) {
		return p.chats.Send(ctx, uid, chatID, text, ev)
	})
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

// Retry streams the last reply again when it was cut off, stopped or
// failed; it answers like Send.
func (p *Practice) Retry(chatID string) (coach.Chat, error) {
	const op = "Practice.Retry"
	uid, err := p.user(op)
	if err != nil {
		return coach.Chat{}, err
	}
	return p.startReply(op, chatID, func(ctx context.Context, ev coach.ReplyEvents) (coach.Chat, error) {
		return p.chats.Retry(ctx, uid, chatID, ev)
	})
}

// startReply runs reply in the background and answers with the chat as
// saved before Gemini is asked, or with the error if it never got that far.
// When the reply is over, EventChatReply carries the result.
func (p *Practice) startReply(op, chatID string, reply func(context.Context, coach.ReplyEvents) (coach.Chat, error)) (coach.Chat, error) {
	type answer struct {
		chat coach.Chat
		err  error
	}
	first := make(chan answer, 1)
	err := p.calls.spawn(func(ctx context.Context) {
		saved := false
		c, err := reply(ctx, coach.ReplyEvents{
			Saved: func(c coach.Chat) { saved = true; first <- answer{chat: c} },
			Chunk: p.onChunk,
		})
		if !saved {
			first <- answer{err: err}
			return
		}
		done := ReplyEvent{ChatID: chatID}
		if err != nil {
			done.Error = uiMessage(p.log, op, err)
		} else {
			done.Chat = &c
		}
		p.emit(p.ctx, EventChatReply, done)
	})
	if err != nil {
		return coach.Chat{}, uiError(p.log, op, err)
	}
	a := <-first
	return a.chat, uiError(p.log, op, a.err)
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
		Seq:    ev.Seq,
		At:     float64(ev.At.UnixMicro()) / 1000,
	})
}
