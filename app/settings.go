package app

import (
	"context"
	"log/slog"

	"github.com/cara-coach/cara/internal/aisettings"
)

// Settings is the bound service behind the Settings screen: the signed-in
// user's own Gemini key and model. The key goes in, never out: the UI only
// ever sees a masked hint.
type Settings struct {
	ctx      context.Context
	ai       *aisettings.Settings
	sessions identifier
	log      *slog.Logger
}

// NewSettings returns the Settings service.
func NewSettings(ai *aisettings.Settings, sessions identifier, log *slog.Logger) *Settings {
	return &Settings{ctx: context.Background(), ai: ai, sessions: sessions, log: log}
}

func (s *Settings) startup(ctx context.Context) { s.ctx = ctx }

// run calls f for the signed-in user. Errors are logged by op only: f's
// errors are user messages that never hold the key.
func (s *Settings) run(op string, f func(userID string) (aisettings.Status, error)) (aisettings.Status, error) {
	who, err := s.sessions.Current(s.ctx)
	if err != nil {
		return aisettings.Status{}, uiError(s.log, op, err)
	}
	st, err := f(who.UserID)
	if err != nil {
		return aisettings.Status{}, uiError(s.log, op, err)
	}
	return st, nil
}

// GeminiStatus says whether a key is saved (with its hint) and the model
// chosen. It makes no call to Gemini; the models list is empty.
func (s *Settings) GeminiStatus() (aisettings.Status, error) {
	return s.run("Settings.GeminiStatus", func(uid string) (aisettings.Status, error) { return s.ai.Status(s.ctx, uid) })
}

// SetGeminiKey checks the key with Gemini and saves it in the keychain only
// if Gemini accepts it. The answer lists the key's models.
func (s *Settings) SetGeminiKey(key string) (aisettings.Status, error) {
	return s.run("Settings.SetGeminiKey", func(uid string) (aisettings.Status, error) { return s.ai.SetKey(s.ctx, uid, key) })
}

// SetGeminiModel chooses one of the saved key's models.
func (s *Settings) SetGeminiModel(model string) (aisettings.Status, error) {
	return s.run("Settings.SetGeminiModel", func(uid string) (aisettings.Status, error) { return s.ai.SetModel(s.ctx, uid, model) })
}

// GeminiModels refreshes the saved key's models from Gemini.
func (s *Settings) GeminiModels() (aisettings.Status, error) {
	return s.run("Settings.GeminiModels", func(uid string) (aisettings.Status, error) { return s.ai.Models(s.ctx, uid) })
}

// RemoveGeminiKey forgets the key and model.
func (s *Settings) RemoveGeminiKey() (aisettings.Status, error) {
	return s.run("Settings.RemoveGeminiKey", func(uid string) (aisettings.Status, error) { return s.ai.RemoveKey(s.ctx, uid) })
}
