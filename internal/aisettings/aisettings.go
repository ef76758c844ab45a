// Package aisettings keeps each user's Gemini settings: their own API key
// and the model Cara uses with it (DESIGN §5).
//
// Both live in the OS keychain, one item per user: the key under
// "gemini-api-key:<userID>", the model under "gemini-model:<userID>". The key
// is checked with a real models.list call before it is stored, is never
// written anywhere else, is never logged and never leaves this package
// except to build a Gemini client: callers see only a masked hint ("…abcd").
// When the keychain can't be used the key is not kept at all. The model
// outlives a removed key, as the user's choice for the next one.
package aisettings

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/cara-coach/cara/internal/cara"
	"github.com/cara-coach/cara/internal/gemini"
	"github.com/cara-coach/cara/internal/keychain"
)

// Messages the user sees.
const (
	MsgEmptyKey     = "Paste your Gemini API key"
	MsgMalformedKey = "That doesn't look like a Gemini API key"
	MsgNoKey        = "Add your Gemini API key in Settings"
	MsgNoModels     = "This key has no Gemini models Cara can use"
	MsgUnknownModel = "This Gemini model isn't available for your key — pick another"
	MsgKeychain     = "Cara can't reach the system keychain, so it can't keep your Gemini key"
)

// PreferredModel is chosen when a key can use it.
const PreferredModel = "gemini-2.5-flash"

// maxKeyLen bounds what is sent to Gemini and stored; real keys are ~40 bytes.
const maxKeyLen = 256

// Keychain is the part of internal/keychain this package uses.
type Keychain interface {
	Get(ctx context.Context, key string) (string, error)
	Set(ctx context.Context, key, value string) error
	Delete(ctx context.Context, key string) error
}

// Config configures Settings.
type Config struct {
	// BaseURL overrides the Gemini endpoint (CARA_GEMINI_BASE_URL); empty in
	// production.
	BaseURL string
	// Timeout bounds each Gemini call; gemini.DefaultTimeout if zero.
	Timeout time.Duration
}

// Model is a model the user can pick.
type Model struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName"`
}

// Status is what the Settings screen shows. It never holds the key.
type Status struct {
	HasKey  bool    `json:"hasKey"`
	KeyHint string  `json:"keyHint"` // "…abcd", "" without a key
	Model   string  `json:"model"`   // "" without a key
	Models  []Model `json:"models"`  // filled by SetKey and Models; empty from Status
}

// Settings reads and writes the per-user Gemini settings.
type Settings struct {
	kc  Keychain
	cfg Config
	mu  sync.Mutex // serialises writes so a key and its model stay together
}

// New returns Settings over the keychain.
func New(kc Keychain, cfg Config) *Settings {
	return &Settings{kc: kc, cfg: cfg}
}

func keyItem(userID string) string   { return "gemini-api-key:" + userID }
func modelItem(userID string) string { return "gemini-model:" + userID }

// Status reports whether the user has a key, its hint and the chosen model.
// It makes no network call (Models refreshes the list).
func (s *Settings) Status(ctx context.Context, userID string) (Status, error) {
	key, model, err := s.load(ctx, userID)
	if err != nil || key == "" {
		return emptyStatus(), err
	}
	return Status{HasKey: true, KeyHint: Hint(key), Model: model, Models: []Model{}}, nil
}

// SetKey checks key with Gemini and, only if Gemini accepts it, stores it
// with a model: the one chosen before (with this key, or with one removed
// since) if the new key can use it, otherwise a sensible default (see
// DefaultModel).
func (s *Settings) SetKey(ctx context.Context, userID, key string) (Status, error) {
	key = strings.TrimSpace(key)
	if key == "" {
		return Status{}, cara.Errorf(cara.EINVALID, MsgEmptyKey)
	}
	if !plausibleKey(key) {
		return Status{}, cara.Errorf(cara.EINVALID, MsgMalformedKey)
	}
	models, err := s.list(ctx, key)
	if err != nil {
		return Status{}, err
	}
	if len(models) == 0 {
		return Status{}, cara.Errorf(cara.EINVALID, MsgNoModels)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	current, err := s.chosenModel(ctx, userID)
	if err != nil {
		return Status{}, err
	}
	model := current
	if !hasModel(models, model) {
		model = DefaultModel(models)
	}
	if err := s.kc.Set(ctx, keyItem(userID), key); err != nil {
		return Status{}, keychainErr(err)
	}
	if err := s.kc.Set(ctx, modelItem(userID), model); err != nil {
		// Don't leave a key behind without its model.
		_ = s.kc.Delete(ctx, keyItem(userID))
		return Status{}, keychainErr(err)
	}
	return Status{HasKey: true, KeyHint: Hint(key), Model: model, Models: models}, nil
}

// Models lists the models the stored key can use, fresh from Gemini.
func (s *Settings) Models(ctx context.Context, userID string) (Status, error) {
	key, model, err := s.load(ctx, userID)
	if err != nil {
		return Status{}, err
	}
	if key == "" {
		return Status{}, cara.Errorf(cara.EINVALID, MsgNoKey)
	}
	models, err := s.list(ctx, key)
	if err != nil {
		return Status{}, err
	}
	return Status{HasKey: true, KeyHint: Hint(key), Model: model, Models: models}, nil
}

// SetModel chooses the model; it must be one the stored key can use.
func (s *Settings) SetModel(ctx context.Context, userID, model string) (Status, error) {
	model = strings.TrimSpace(model)
	key, _, err := s.load(ctx, userID)
	if err != nil {
		return Status{}, err
	}
	if key == "" {
		return Status{}, cara.Errorf(cara.EINVALID, MsgNoKey)
	}
	models, err := s.list(ctx, key)
	if err != nil {
		return Status{}, err
	}
	if !hasModel(models, model) {
		return Status{}, cara.Errorf(cara.EINVALID, MsgUnknownModel)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.kc.Set(ctx, modelItem(userID), model); err != nil {
		return Status{}, keychainErr(err)
	}
	return Status{HasKey: true, KeyHint: Hint(key), Model: model, Models: models}, nil
}

// RemoveKey forgets the user's key. The model chosen stays as a preference:
// a key saved later uses it if it can. Removing when there is no key is
// not an error.
func (s *Settings) RemoveKey(ctx context.Context, userID string) (Status, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.kc.Delete(ctx, keyItem(userID)); err != nil && !errors.Is(err, keychain.ErrNotFound) {
		return Status{}, keychainErr(err)
	}
	return emptyStatus(), nil
}

// chosenModel is the model the user last chose, with or without a key
// ("" when never chosen).
func (s *Settings) chosenModel(ctx context.Context, userID string) (string, error) {
	if userID == "" {
		return "", cara.Errorf(cara.EINTERNAL, "aisettings: no user")
	}
	model, err := s.kc.Get(ctx, modelItem(userID))
	if errors.Is(err, keychain.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", keychainErr(err)
	}
	return model, nil
}

// Client returns a Gemini client on the user's key and chosen model, for the
// AI features.
func (s *Settings) Client(ctx context.Context, userID string) (*gemini.Client, error) {
	key, model, err := s.load(ctx, userID)
	if err != nil {
		return nil, err
	}
	if key == "" {
		// ENOKEY: the AI features keep the work pending instead of failing it.
		return nil, cara.Errorf(cara.ENOKEY, MsgNoKey)
	}
	return gemini.New(ctx, gemini.Config{APIKey: key, BaseURL: s.cfg.BaseURL, Model: model, Timeout: s.cfg.Timeout})
}

// load reads the key and model ("" when absent).
func (s *Settings) load(ctx context.Context, userID string) (key, model string, err error) {
	if userID == "" {
		return "", "", cara.Errorf(cara.EINTERNAL, "aisettings: no user")
	}
	key, err = s.kc.Get(ctx, keyItem(userID))
	if errors.Is(err, keychain.ErrNotFound) {
		return "", "", nil
	}
	if err != nil {
		return "", "", keychainErr(err)
	}
	model, err = s.kc.Get(ctx, modelItem(userID))
	if errors.Is(err, keychain.ErrNotFound) {
		return key, "", nil
	}
	if err != nil {
		return "", "", keychainErr(err)
	}
	return key, model, nil
}

// list calls models.list with key; errors are gemini's user messages.
func (s *Settings) list(ctx context.Context, key string) ([]Model, error) {
	c, err := gemini.New(ctx, gemini.Config{APIKey: key, BaseURL: s.cfg.BaseURL, Timeout: s.cfg.Timeout})
	if err != nil {
		return nil, err
	}
	got, err := c.ListModels(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Model, 0, len(got))
	for _, m := range got {
		name := m.DisplayName
		if name == "" {
			name = m.ID
		}
		out = append(out, Model{ID: m.ID, DisplayName: name})
	}
	return out, nil
}

// DefaultModel picks PreferredModel if present, else the first "flash"
// model, else the first one ("" for an empty list).
func DefaultModel(models []Model) string {
	if hasModel(models, PreferredModel) {
		return PreferredModel
	}
	for _, m := range models {
		if strings.Contains(strings.ToLower(m.ID), "flash") {
			return m.ID
		}
	}
	if len(models) > 0 {
		return models[0].ID
	}
	return ""
}

// Hint masks a key to its last four characters: "…abcd".
func Hint(key string) string {
	r := []rune(key)
	if len(r) < 12 {
		return "…"
	}
	return "…" + string(r[len(r)-4:])
}

func hasModel(models []Model, id string) bool {
	if id == "" {
		return false
	}
	for _, m := range models {
		if m.ID == id {
			return true
		}
	}
	return false
}

// plausibleKey: printable ASCII without spaces (it goes in an HTTP header).
func plausibleKey(key string) bool {
	if len(key) > maxKeyLen {
		return false
	}
	for _, r := range key {
		if r > unicode.MaxASCII || !unicode.IsPrint(r) || unicode.IsSpace(r) {
			return false
		}
	}
	return true
}

func emptyStatus() Status { return Status{Models: []Model{}} }

// keychainErr turns any keychain failure into the Gemini-key message. The
// cause is dropped: it names no secret, but the user can act only on this.
func keychainErr(error) error {
	return cara.Errorf(cara.EUNAVAILABLE, MsgKeychain)
}
