package coach

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/cara-coach/cara/internal/analysis"
	"github.com/cara-coach/cara/internal/cara"
	"github.com/cara-coach/cara/internal/document"
	"github.com/cara-coach/cara/internal/gemini"
)

// Limits on what the user sends, in characters (Unicode code points).
const (
	MaxTurnRunes    = 4_000
	MaxContextRunes = 20_000
)

// MaxContextFileBytes bounds a context file before it is read: no file
// larger can hold MaxContextRunes characters or fewer (UTF-8 needs at most
// four bytes a character), leaving room for a byte order mark.
const MaxContextFileBytes = 4*MaxContextRunes + 4

// What Cara says past the limits; the UI shows the same words (Catalog.Limits).
var (
	msgTurnTooLong    = message.NewPrinter(language.English).Sprintf("That message is too long (max %d characters) — say it in shorter turns", MaxTurnRunes)
	msgContextTooLong = message.NewPrinter(language.English).Sprintf("The context file is too long (max %d characters) — keep the parts that matter, such as the job description", MaxContextRunes)
)

// Limit is how much the user may send in one place and what Cara says when
// it is more, so the UI can check as the user types or picks a file.
type Limit struct {
	Max     int    `json:"max"`     // characters (Unicode code points)
	TooLong string `json:"tooLong"` // the message past Max
}

// Limits are the practice's limits: one message, one context file.
type Limits struct {
	Turn    Limit `json:"turn"`
	Context Limit `json:"context"`
}

// PracticeLimits returns the limits Send and Start apply.
func PracticeLimits() Limits {
	return Limits{
		Turn:    Limit{Max: MaxTurnRunes, TooLong: msgTurnTooLong},
		Context: Limit{Max: MaxContextRunes, TooLong: msgContextTooLong},
	}
}

// Reasons a persona turn is partial or failed, besides Gemini's own messages.
const (
	MsgStopped = "Stopped"
	MsgClosed  = "Cara closed before the reply finished"
)

// ChunkEvent is one piece of a streamed reply. Seq numbers the reply's
// chunks from 1. At is when it arrived in Go (wall clock, for the
// chunk-to-paint latency bench).
type ChunkEvent struct {
	ChatID string    `json:"chatId"`
	TurnID string    `json:"turnId"`
	Text   string    `json:"text"`
	Seq    int       `json:"seq"`
	At     time.Time `json:"at"`
}

// defaultCheckpointEvery is how often a streaming reply's text so far is
// saved, so that even a crash (no chance to save at the end) keeps most of it.
const defaultCheckpointEvery = 2 * time.Second

// ReplyEvents are told how a reply goes. Saved comes once, when the user's
// turn and the empty "streaming" reply are stored and before Gemini is
// asked: from then on nothing typed can be lost, so a caller may stop
// waiting. Chunk comes for each piece of the reply. Either may be nil.
type ReplyEvents struct {
	Saved func(Chat)
	Chunk func(ChunkEvent)
}

// StartInput is a new practice chat.
type StartInput struct {
	ScenarioID string      `json:"scenarioId"`
	PersonaID  string      `json:"personaId"`
	Context    *ContextDoc `json:"context,omitempty"`
}

// Chats runs role-play conversations. The user's turn and an empty
// "streaming" reply are saved before Gemini is called, and the reply is
// saved once more when it ends, however it ends: nothing typed is lost.
// Chats is safe for concurrent use.
type Chats struct {
	store ChatStore
	ai    *AI
	newID func() string
	now   func() time.Time

	mu   sync.Mutex
	busy map[string]*flight // by flightKey: the operation running on a chat

	checkpointEvery time.Duration
}

// flight is an operation that owns a chat for a moment: a streamed reply
// (which Stop can cancel) or End fetching feedback.
type flight struct {
	streaming bool
	cancel    context.CancelCauseFunc
	done      chan struct{}

	// The reply arriving now (guarded by Chats.mu), for Get mid-stream.
	turnID string
	text   strings.Builder
	chunks int
}

// errStopped is the cancel cause when the user stops a reply.
var errStopped = errors.New("coach: reply stopped by the user")

// NewChats returns Chats over store; newID makes sortable unique ids (ULIDs).
func NewChats(store ChatStore, ai *AI, newID func() string, now func() time.Time) *Chats {
	return &Chats{store: store, ai: ai, newID: newID, now: now, busy: map[string]*flight{}, checkpointEvery: defaultCheckpointEvery}
}

// Catalog is what the practice picker offers, with the limits.
func (c *Chats) Catalog() Catalog { return NewCatalog() }

func flightKey(userID, chatID string) string { return userID + "\x00" + chatID }

// claim makes the caller the only operation on the chat until release is
// called. With wait it first stops a streaming reply, or waits for the
// operation in progress; without, a busy chat is ECONFLICT.
func (c *Chats) claim(ctx context.Context, userID, chatID string, streaming, wait bool) (context.Context, func(), error) {
	k := flightKey(userID, chatID)
	for {
		c.mu.Lock()
		f := c.busy[k]
		if f == nil {
			fctx, cancel := context.WithCancelCause(ctx)
			f = &flight{streaming: streaming, cancel: cancel, done: make(chan struct{})}
			c.busy[k] = f
			c.mu.Unlock()
			release := func() {
				c.mu.Lock()
				delete(c.busy, k)
				c.mu.Unlock()
				cancel(nil)
				close(f.done)
			}
			return fctx, release, nil
		}
		c.mu.Unlock()
		if !wait {
			if f.streaming {
				return nil, nil, cara.Errorf(cara.ECONFLICT, "Cara is still replying — wait for it or stop it first")
			}
			return nil, nil, cara.Errorf(cara.ECONFLICT, "Cara is still working on this session — try again in a moment")
		}
		if f.streaming {
			f.cancel(errStopped)
		}
		select {
		case <-f.done:
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		}
	}
}

// liveReply is what Get sees of a chat while an operation runs on it.
type liveReply struct {
	busy   bool   // an operation (a reply or End) runs on the chat
	turnID string // the reply streaming now, "" if none
	text   string // its text so far
	chunks int    // how many chunks made text
}

func (c *Chats) live(userID, chatID string) liveReply {
	c.mu.Lock()
	defer c.mu.Unlock()
	f := c.busy[flightKey(userID, chatID)]
	if f == nil {
		return liveReply{}
	}
	return liveReply{busy: true, turnID: f.turnID, text: f.text.String(), chunks: f.chunks}
}

// received records a chunk of the reply streaming into the chat and returns
// its sequence number (1 for the first).
func (c *Chats) received(userID, chatID, turnID, text string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	f := c.busy[flightKey(userID, chatID)]
	if f == nil {
		return 0
	}
	if f.turnID != turnID {
		f.turnID, f.chunks = turnID, 0
		f.text.Reset()
	}
	f.text.WriteString(text)
	f.chunks++
	return f.chunks
}

// Stop cancels the chat's reply in progress. It reports whether there was one.
func (c *Chats) Stop(userID, chatID string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	f := c.busy[flightKey(userID, chatID)]
	if f == nil || !f.streaming {
		return false
	}
	f.cancel(errStopped)
	return true
}

// Start saves a new chat whose first turn is the persona's opening line.
func (c *Chats) Start(ctx context.Context, userID string, in StartInput) (Chat, error) {
	s, ok := findScenario(in.ScenarioID)
	if !ok {
		return Chat{}, cara.Errorf(cara.EINVALID, "Pick a scenario from the list")
	}
	p, ok := findPersona(in.PersonaID)
	if !ok {
		return Chat{}, cara.Errorf(cara.EINVALID, "Pick a persona from the list")
	}
	doc, err := cleanContext(in.Context)
	if err != nil {
		return Chat{}, err
	}
	now := c.now().UTC()
	chat := Chat{
		ID:         c.newID(),
		Title:      s.Title + " · " + p.Name,
		ScenarioID: s.ID,
		PersonaID:  p.ID,
		Context:    doc,
		Turns: []Turn{{
			ID: c.newID(), Role: RolePersona, Text: s.Opening, Status: TurnComplete, CreatedAt: now,
		}},
		AIStatus:  AINone,
		CreatedAt: now,
	}
	if err := c.save(ctx, userID, &chat); err != nil {
		return Chat{}, err
	}
	return chat, nil
}

// cleanContext checks an attached document; an empty one counts as none.
func cleanContext(doc *ContextDoc) (*ContextDoc, error) {
	if doc == nil {
		return nil, nil
	}
	text := strings.ToValidUTF8(doc.Text, "\uFFFD")
	if strings.TrimSpace(text) == "" {
		return nil, nil
	}
	if utf8.RuneCountInString(text) > MaxContextRunes {
		return nil, errContextTooLong()
	}
	return &ContextDoc{Name: strings.TrimSpace(doc.Name), Text: text}, nil
}

func errContextTooLong() error { return cara.Errorf(cara.ETOOLARGE, "%s", msgContextTooLong) }

// ContextFromFile reads a .txt or .md file the user attaches as background
// (data is its bytes), refusing at once what Start would refuse later: a
// file with no text, or more than MaxContextRunes characters.
func ContextFromFile(name string, data []byte) (ContextDoc, error) {
	if len(data) > MaxContextFileBytes {
		return ContextDoc{}, errContextTooLong()
	}
	t, err := document.Extract(name, data)
	if err != nil {
		return ContextDoc{}, err
	}
	if strings.TrimSpace(t.Body) == "" {
		return ContextDoc{}, cara.Errorf(cara.EEMPTY, "This file is empty — nothing to use as context")
	}
	doc, err := cleanContext(&ContextDoc{Name: name, Text: t.Body})
	if err != nil {
		return ContextDoc{}, err
	}
	return *doc, nil
}

// Send adds the user's turn and streams the persona's reply, telling ev
// (see ReplyEvents). A Gemini failure is not an error here: it is on
// the reply turn (partial or failed, with the reason), ready for Retry.
func (c *Chats) Send(ctx context.Context, userID, chatID, text string, ev ReplyEvents) (Chat, error) {
	text = strings.TrimSpace(strings.ToValidUTF8(text, "\uFFFD"))
	if text == "" {
		return Chat{}, cara.Errorf(cara.EEMPTY, "Type a message first")
	}
	if utf8.RuneCountInString(text) > MaxTurnRunes {
		return Chat{}, cara.Errorf(cara.ETOOLARGE, "%s", msgTurnTooLong)
	}
	sctx, release, chat, err := c.openForReply(ctx, userID, chatID)
	if err != nil {
		return Chat{}, err
	}
	defer release()
	chat.Turns = append(chat.Turns, Turn{
		ID: c.newID(), Role: RoleUser, Text: text, Status: TurnComplete, CreatedAt: c.now().UTC(),
	})
	return c.reply(ctx, sctx, userID, chat, ev)
}

// openForReply claims a chat for a streamed reply (a busy chat is
// ECONFLICT) and loads it; an ended chat is refused. On success the caller
// must call release; sctx is cancelled by Stop.
func (c *Chats) openForReply(ctx context.Context, userID, chatID string) (sctx context.Context, release func(), chat Chat, err error) {
	sctx, release, err = c.claim(ctx, userID, chatID, true, false)
	if err != nil {
		return nil, nil, Chat{}, err
	}
	chat, err = c.load(ctx, userID, chatID, false)
	if err == nil && chat.Ended {
		err = errEnded()
	}
	if err != nil {
		release()
		return nil, nil, Chat{}, err
	}
	return sctx, release, chat, nil
}

// Retry replaces a partial or failed last reply with a new one.
func (c *Chats) Retry(ctx context.Context, userID, chatID string, ev ReplyEvents) (Chat, error) {
	sctx, release, chat, err := c.openForReply(ctx, userID, chatID)
	if err != nil {
		return Chat{}, err
	}
	defer release()
	n := len(chat.Turns)
	if n < 2 || chat.Turns[n-1].Role != RolePersona ||
		(chat.Turns[n-1].Status != TurnPartial && chat.Turns[n-1].Status != TurnFailed) {
		return Chat{}, cara.Errorf(cara.EINVALID, "There's no unfinished reply to retry")
	}
	chat.Turns = chat.Turns[:n-1]
	return c.reply(ctx, sctx, userID, chat, ev)
}

func errEnded() error {
	return cara.Errorf(cara.EINVALID, "This session has ended — start a new one to keep practising")
}

// reply saves chat with an empty streaming persona turn, streams Gemini's
// reply into it, and saves the outcome. ctx is the caller's; sctx (its
// child) is what Stop cancels.
func (c *Chats) reply(ctx, sctx context.Context, userID string, chat Chat, ev ReplyEvents) (Chat, error) {
	s, p, err := specsOf(chat)
	if err != nil {
		return Chat{}, err
	}
	req := gemini.Request{System: chatSystemPrompt(s, p, openingOf(chat, s), chat.Context), Messages: chatMessages(chat.Turns)}
	turn := Turn{ID: c.newID(), Role: RolePersona, Status: TurnStreaming, CreatedAt: c.now().UTC()}
	chat.Turns = append(chat.Turns, turn)
	if err := c.save(ctx, userID, &chat); err != nil {
		return Chat{}, err
	}
	if ev.Saved != nil {
		// A copy: the reply below goes on changing chat's last turn.
		snapshot := chat
		snapshot.Turns = slices.Clone(chat.Turns)
		ev.Saved(snapshot)
	}

	last := &chat.Turns[len(chat.Turns)-1]
	// Still "streaming" when checkpointed: a later Get without this stream
	// running shows it as cut off, with what arrived until then. A failed
	// checkpoint is not worth stopping the reply for: the save at the end
	// reports its own error.
	cp := &checkpointer{every: c.checkpointEvery, save: func(text string) {
		last.Text = text
		_ = c.save(ctx, userID, &chat)
	}}
	rep, err := c.ai.stream(sctx, userID, req, func(text string) {
		seq := c.received(userID, chat.ID, turn.ID, text)
		if ev.Chunk != nil {
			ev.Chunk(ChunkEvent{ChatID: chat.ID, TurnID: turn.ID, Text: text, Seq: seq, At: time.Now()})
		}
		cp.add(text)
	})
	cp.stop()
	last.Text = rep.Text
	chat.Usage = chat.Usage.Add(usageOf(rep.Usage))
	if err == nil {
		last.Status = TurnComplete
	} else {
		switch {
		case errors.Is(context.Cause(sctx), errStopped):
			last.Error = MsgStopped
		case ctx.Err() != nil:
			last.Error = MsgClosed
		default:
			last.Error, last.ErrorCode = cara.ErrorMessage(err), cara.ErrorCode(err)
			last.RetryAt = retryAt(err, c.now())
		}
		last.Status = TurnPartial
		if strings.TrimSpace(last.Text) == "" {
			last.Status = TurnFailed
		}
	}

	saveCtx, cancel := afterCtx(ctx) // the reply is saved even at shutdown
	defer cancel()
	if err := c.save(saveCtx, userID, &chat); err != nil {
		return Chat{}, err
	}
	return chat, nil
}

// checkpointer saves a streaming reply's text so far: the first piece at
// once, then at most every `every` — also when the stream pauses (a timer
// catches up), so a crash loses no more than the last `every` of it.
type checkpointer struct {
	every time.Duration
	save  func(text string)

	mu    sync.Mutex
	text  strings.Builder
	saved time.Time // when save last ran
	dirty bool      // text holds pieces not saved yet
	timer *time.Timer
	done  bool
}

// add appends a piece and saves now or later.
func (cp *checkpointer) add(piece string) {
	cp.mu.Lock()
	defer cp.mu.Unlock()
	if cp.done {
		return
	}
	cp.text.WriteString(piece)
	cp.dirty = true
	wait := cp.every - time.Since(cp.saved)
	if wait <= 0 {
		cp.flushLocked()
	} else if cp.timer == nil {
		cp.timer = time.AfterFunc(wait, cp.fire)
	}
}

func (cp *checkpointer) fire() {
	cp.mu.Lock()
	defer cp.mu.Unlock()
	cp.timer = nil
	if !cp.done {
		cp.flushLocked()
	}
}

func (cp *checkpointer) flushLocked() {
	if !cp.dirty {
		return
	}
	cp.save(cp.text.String())
	cp.dirty, cp.saved = false, time.Now()
}

// stop ends the checkpoints: no save runs once it has returned.
func (cp *checkpointer) stop() {
	cp.mu.Lock()
	defer cp.mu.Unlock()
	cp.done = true
	if cp.timer != nil {
		cp.timer.Stop()
		cp.timer = nil
	}
}

// specsOf finds the chat's scenario and persona in the catalog.
func specsOf(chat Chat) (scenarioSpec, personaSpec, error) {
	s, ok := findScenario(chat.ScenarioID)
	if !ok {
		return scenarioSpec{}, personaSpec{}, cara.Errorf(cara.EINVALID, "This practice's scenario is no longer offered")
	}
	p, ok := findPersona(chat.PersonaID)
	if !ok {
		return scenarioSpec{}, personaSpec{}, cara.Errorf(cara.EINVALID, "This practice's persona is no longer offered")
	}
	return s, p, nil
}

// openingOf is the persona's saved first line (the catalog's if missing).
func openingOf(chat Chat, s scenarioSpec) string {
	if len(chat.Turns) > 0 && chat.Turns[0].Role == RolePersona && strings.TrimSpace(chat.Turns[0].Text) != "" {
		return chat.Turns[0].Text
	}
	return s.Opening
}

// chatMessages turns a chat into Gemini contents, which must alternate and
// start with the user: the persona's leading opening is left out (the
// system prompt carries it), replies with no text are skipped, and
// consecutive turns of one side are joined.
func chatMessages(turns []Turn) []gemini.Message {
	var out []gemini.Message
	for _, t := range turns {
		text := strings.TrimSpace(t.Text)
		if text == "" {
			continue
		}
		role := "user"
		if t.Role == RolePersona {
			role = "model"
		}
		n := len(out)
		switch {
		case n == 0 && role == "model":
			continue
		case n > 0 && out[n-1].Role == role:
			out[n-1].Text += "\n\n" + text
		default:
			out = append(out, gemini.Message{Role: role, Text: text})
		}
	}
	return out
}

// End finishes the chat: the offline report of the user's turns, then AI
// feedback. Ending an ended chat whose feedback is pending or failed asks
// for it again; otherwise it returns the chat as it is. A reply in progress
// is stopped first.
func (c *Chats) End(ctx context.Context, userID, chatID string) (Chat, error) {
	_, release, err := c.claim(ctx, userID, chatID, false, true)
	if err != nil {
		return Chat{}, err
	}
	defer release()
	chat, err := c.load(ctx, userID, chatID, false)
	if err != nil {
		return Chat{}, err
	}
	if chat.Ended && chat.AIStatus == AIReady {
		return chat, nil
	}
	if !chat.Ended {
		said := userTexts(chat.Turns)
		if len(said) == 0 {
			return Chat{}, cara.Errorf(cara.EINVALID, "Say something before ending the session — there's nothing to give feedback on yet")
		}
		chat.Ended = true
		if rep, err := analysis.Analyze(strings.Join(said, "\n\n"), analysis.Options{}); err == nil {
			chat.Offline = &rep
		}
	}
	chat.AIStatus, chat.AIError, chat.AIErrorCode, chat.AIRetryAt = AIRunning, "", "", nil
	if err := c.save(ctx, userID, &chat); err != nil {
		return Chat{}, err
	}
	return c.feedback(ctx, userID, chat)
}

// Get returns a chat. A reply saved as streaming with no stream running
// means Cara closed mid-reply: it is reported as partial (or failed).
// While a reply streams, its turn carries the text so far and the number
// of chunks that made it (Turn.Chunks).
func (c *Chats) Get(ctx context.Context, userID, chatID string) (Chat, error) {
	live := c.live(userID, chatID)
	chat, err := c.load(ctx, userID, chatID, live.busy)
	if err != nil || live.turnID == "" {
		return chat, err
	}
	for i := range chat.Turns {
		if t := &chat.Turns[i]; t.ID == live.turnID && t.Status == TurnStreaming {
			t.Text, t.Chunks = live.text, live.chunks
		}
	}
	return chat, nil
}

// List returns the user's chats that hold more than the opening line,
// newest first.
func (c *Chats) List(ctx context.Context, userID string) ([]ChatSummary, error) {
	all, err := c.store.ListChats(ctx, userID)
	if err != nil {
		return nil, err
	}
	// A chat holding only the persona's opening (started, never answered)
	// is nothing the user practised: History doesn't list it.
	out := make([]ChatSummary, 0, len(all))
	for _, s := range all {
		if s.Turns > 1 || s.Ended {
			out = append(out, s)
		}
	}
	return out, nil
}

// Delete removes a chat, stopping its reply first.
func (c *Chats) Delete(ctx context.Context, userID, chatID string) error {
	_, release, err := c.claim(ctx, userID, chatID, false, true)
	if err != nil {
		return err
	}
	defer release()
	return c.store.DeleteChat(ctx, userID, chatID)
}

// load reads a chat. Unless busy (an operation is running on it now),
// leftovers of an interrupted one are reported as such.
func (c *Chats) load(ctx context.Context, userID, chatID string, busy bool) (Chat, error) {
	chat, err := c.store.GetChat(ctx, userID, chatID)
	if err != nil {
		return Chat{}, err
	}
	if busy {
		return chat, nil
	}
	for i := range chat.Turns {
		t := &chat.Turns[i]
		if t.Status != TurnStreaming {
			continue
		}
		t.Error = MsgClosed
		t.Status = TurnPartial
		if strings.TrimSpace(t.Text) == "" {
			t.Status = TurnFailed
		}
	}
	if chat.AIStatus == AIRunning {
		chat.AIStatus, chat.AIError, chat.AIErrorCode = AIPending, msgPendingClosed, ""
	}
	return chat, nil
}

func (c *Chats) save(ctx context.Context, userID string, chat *Chat) error {
	now := c.now().UTC()
	chat.UpdatedAt = now
	chat.UpdatedHLC = cara.HLC{WallMS: now.UnixMilli()}
	return c.store.SaveChat(ctx, userID, *chat)
}

// userTexts returns the user's turns, in order.
func userTexts(turns []Turn) []string {
	var out []string
	for _, t := range turns {
		if t.Role == RoleUser && strings.TrimSpace(t.Text) != "" {
			out = append(out, strings.TrimSpace(t.Text))
		}
	}
	return out
}
