package app

import (
	"context"
	"log/slog"

	"github.com/cara-coach/cara/internal/aisettings"
	"github.com/cara-coach/cara/internal/coach"
)

// Settings is the bound service behind the Settings screen: the signed-in
// user's own Gemini key and model. The key goes in, never out: the UI only
// ever sees a masked hint.
type Settings struct {
	ctx      context.Context
	ai       *aisettings.Settings
	usage    *coach.AI
	runner   *queueRunner
	sessions identifier
	log      *slog.Logger
}

// NewSettings returns the Settings service.
func NewSettings(ai *aisettings.Settings, usage *coach.AI, runner *queueRunner, sessions identifier, log *slog.Logger) *Settings {
	return &Settings{ctx: context.Background(), ai: ai, usage: usage, runner: runner, sessions: sessions, log: log}
}

func (s *Settings) startup(ctx context.Context) { s.ctx = ctx }

// GeminiStatus says whether a key is saved (with its hint) and the model
// chosen. It makes no call to Gemini; the models list is empty.
func (s *Settings) GeminiStatus() (aisettings.Status, error) {
	return withUser(s, "Settings.GeminiStatus", func(uid string) (aisettings.Status, error) { return s.ai.Status(s.ctx, uid) })
}

// SetGeminiKey checks the key with Gemini and saves it in the keychain only
// if Gemini accepts it. The answer lists the key's models. Practices waiting
// for AI feedback are then processed in the background.
func (s *Settings) SetGeminiKey(key string) (aisettings.Status, error) {
	st, err := withUser(s, "Settings.SetGeminiKey", func(uid string) (aisettings.Status, error) { return s.ai.SetKey(s.ctx, uid, key) })
	if err == nil {
		s.runner.poke()
	}
	return st, err
}

// SetGeminiModel chooses one of the saved key's models.
func (s *Settings) SetGeminiModel(model string) (aisettings.Status, error) {
	return withUser(s, "Settings.SetGeminiModel", func(uid string) (aisettings.Status, error) { return s.ai.SetModel(s.ctx, uid, model) })
}

// GeminiModels refreshes the saved key's models from Gemini.
func (s *Settings) GeminiModels() (aisettings.Status, error) {
	return withUser(s, "Settings.GeminiModels", func(uid string) (aisettings.Status, error) { return s.ai.Models(s.ctx, uid) })
}

// RemoveGeminiKey forgets the key and model.
func (s *Settings) RemoveGeminiKey() (aisettings.Status, error) {
	return withUser(s, "Settings.RemoveGeminiKey", func(uid string) (aisettings.Status, error) { return s.ai.RemoveKey(s.ctx, uid) })
}

// Usage returns today's Gemini token use against the daily budget.
func (s *Settings) Usage() (coach.UsageStatus, error) {
	return withUser(s, "Settings.Usage", func(uid string) (coach.UsageStatus, error) { return s.usage.Usage(s.ctx, uid) })
}

// SetDailyBudget changes the daily token budget (e.g. to go on after
// reaching it); practices waiting for AI feedback are then processed.
func (s *Settings) SetDailyBudget(tokens int) (coach.UsageStatus, error) {
	st, err := withUser(s, "Settings.SetDailyBudget", func(uid string) (coach.UsageStatus, error) {
		return s.usage.SetBudget(s.ctx, uid, tokens)
	})
	if err == nil {
		s.runner.poke() // practices held back by the budget can go now
	}
	return st, err
}

// Queue returns the offline queue's state: how many practices wait for AI
// feedback, and the progress of a run.
func (s *Settings) Queue() (coach.QueueStatus, error) {
	return withUser(s, "Settings.Queue", func(uid string) (coach.QueueStatus, error) { return s.runner.queue.Status(s.ctx, uid) })
}

// ProcessQueue starts processing the waiting practices now; progress comes
// as "ai:queue" events.
func (s *Settings) ProcessQueue() (coach.QueueStatus, error) {
	st, err := s.Queue()
	if err == nil {
		s.runner.poke()
	}
	return st, err
}

// withUser runs f for the signed-in user; errors become UI errors. f's
// errors are user messages that never hold the key, and are logged by op only.
func withUser[T any](s *Settings, op string, f func(userID string) (T, error)) (T, error) {
	var zero T
	who, err := s.sessions.Current(s.ctx)
	if err != nil {
		return zero, uiError(s.log, op, err)
	}
	v, err := f(who.UserID)
	if err != nil {
		return zero, uiError(s.log, op, err)
	}
	return v, nil
}
