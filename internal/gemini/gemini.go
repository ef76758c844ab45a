// Package gemini is Cara's client for the Gemini API, on the user's own key,
// built on google.golang.org/genai (DESIGN §5). Every call has a deadline,
// streams have an idle timeout, and every failure is a *cara.Error with a
// message meant for the user. The API key is sent only in the
// x-goog-api-key header and never appears in an error.
package gemini

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"google.golang.org/genai"

	"github.com/cara-coach/cara/internal/cara"
)

// DefaultModel is used when Config.Model is empty.
const DefaultModel = "gemini-2.5-flash"

// Defaults for Config.
const (
	DefaultTimeout           = 60 * time.Second
	DefaultStreamIdleTimeout = 20 * time.Second
)

// Config configures a Client.
type Config struct {
	APIKey string
	// BaseURL overrides the Gemini endpoint (CARA_GEMINI_BASE_URL, for tests
	// and demo). Empty in production.
	BaseURL           string
	Model             string        // DefaultModel if empty
	Timeout           time.Duration // per call; DefaultTimeout if zero
	StreamIdleTimeout time.Duration // max gap between stream chunks; DefaultStreamIdleTimeout if zero
}

// Client talks to Gemini.
type Client struct {
	gc  *genai.Client
	cfg Config
}

// Model is a model the key can use for generateContent.
type Model struct {
	ID               string `json:"id"` // e.g. "gemini-2.5-flash" (no "models/" prefix)
	DisplayName      string `json:"display_name"`
	InputTokenLimit  int    `json:"input_token_limit"`
	OutputTokenLimit int    `json:"output_token_limit"`
}

// Message is one turn of a conversation.
type Message struct {
	Role string `json:"role"` // "user" or "model"
	Text string `json:"text"`
}

// Request is what to send.
type Request struct {
	Model    string    // overrides Config.Model when set
	System   string    // system instruction, optional
	Messages []Message // the conversation; the last one is normally the user's
	// MaxOutputTokens caps the reply, thinking included (Gemini counts
	// thoughts against it); 0 leaves the model's own limit.
	MaxOutputTokens int
}

// Usage is token usage from usageMetadata.
type Usage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CandidatesTokens int `json:"candidates_tokens"`
	TotalTokens      int `json:"total_tokens"`
}

// Add returns u + v.
func (u Usage) Add(v Usage) Usage {
	return Usage{u.PromptTokens + v.PromptTokens, u.CandidatesTokens + v.CandidatesTokens, u.TotalTokens + v.TotalTokens}
}

// Reply is Gemini's answer (possibly partial when returned with an error).
type Reply struct {
	Text         string `json:"text"`
	Usage        Usage  `json:"usage"`
	FinishReason string `json:"finish_reason"`
}

// New builds a Client. It makes no network call (see ListModels to check a key).
func New(ctx context.Context, cfg Config) (*Client, error) {
	if strings.TrimSpace(cfg.APIKey) == "" {
		return nil, cara.Errorf(cara.EINVALID, "Add your Gemini API key in Settings")
	}
	if cfg.Model == "" {
		cfg.Model = DefaultModel
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.StreamIdleTimeout <= 0 {
		cfg.StreamIdleTimeout = DefaultStreamIdleTimeout
	}
	gc, err := genai.NewClient(ctx, &genai.ClientConfig{
		APIKey:      cfg.APIKey,
		Backend:     genai.BackendGeminiAPI,
		HTTPOptions: genai.HTTPOptions{APIVersion: "v1beta", BaseURL: cfg.BaseURL},
	})
	if err != nil {
		// genai's message could echo configuration; never pass it on.
		return nil, cara.Errorf(cara.EINTERNAL, "Couldn't set up Gemini")
	}
	return &Client{gc: gc, cfg: cfg}, nil
}

// Model returns the configured default model.
func (c *Client) Model() string { return c.cfg.Model }

// ListModels returns the models the key can use for generateContent. It is
// the call used to validate a key.
func (c *Client) ListModels(ctx context.Context) ([]Model, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	var out []Model
	for m, err := range c.gc.Models.All(ctx) {
		if err != nil {
			return nil, c.mapErr(ctx, err, false)
		}
		if !slices.Contains(m.SupportedActions, "generateContent") {
			continue
		}
		out = append(out, Model{
			ID:               strings.TrimPrefix(m.Name, "models/"),
			DisplayName:      m.DisplayName,
			InputTokenLimit:  int(m.InputTokenLimit),
			OutputTokenLimit: int(m.OutputTokenLimit),
		})
	}
	return out, nil
}

func (c *Client) model(req Request) string {
	if req.Model != "" {
		return req.Model
	}
	return c.cfg.Model
}

func contents(req Request) []*genai.Content {
	out := make([]*genai.Content, 0, len(req.Messages))
	for _, m := range req.Messages {
		var role genai.Role = genai.RoleUser
		if m.Role == "model" || m.Role == "assistant" {
			role = genai.RoleModel
		}
		out = append(out, genai.NewContentFromText(m.Text, role))
	}
	return out
}

func config(req Request) *genai.GenerateContentConfig {
	cfg := &genai.GenerateContentConfig{}
	if req.System != "" {
		cfg.SystemInstruction = genai.NewContentFromText(req.System, genai.RoleUser)
	}
	if req.MaxOutputTokens > 0 {
		cfg.MaxOutputTokens = int32(min(req.MaxOutputTokens, math.MaxInt32))
	}
	return cfg
}

// usageOf reads usageMetadata. A chunk before a stream's last may carry
// only promptTokenCount; its total is then what it does count, so a reply
// cut off mid-stream still counts its prompt against the budget and a
// total is never less than its parts.
func usageOf(m *genai.GenerateContentResponseUsageMetadata) Usage {
	if m == nil {
		return Usage{}
	}
	u := Usage{int(m.PromptTokenCount), int(m.CandidatesTokenCount), int(m.TotalTokenCount)}
	if parts := u.PromptTokens + u.CandidatesTokens + int(m.ThoughtsTokenCount) + int(m.ToolUsePromptTokenCount); u.TotalTokens < parts {
		u.TotalTokens = parts
	}
	return u
}

// textOf concatenates the text parts (not thoughts) of the first candidate.
func textOf(r *genai.GenerateContentResponse) string {
	if len(r.Candidates) == 0 || r.Candidates[0].Content == nil {
		return ""
	}
	var b strings.Builder
	for _, p := range r.Candidates[0].Content.Parts {
		if p != nil && !p.Thought {
			b.WriteString(p.Text)
		}
	}
	return b.String()
}

// blocked reports whether r carries a block (prompt feedback or a safety-like finish reason).
func blocked(r *genai.GenerateContentResponse) bool {
	if r.PromptFeedback != nil && r.PromptFeedback.BlockReason != "" && r.PromptFeedback.BlockReason != genai.BlockedReasonUnspecified {
		return true
	}
	for _, cand := range r.Candidates {
		switch cand.FinishReason {
		case genai.FinishReasonSafety, genai.FinishReasonProhibitedContent, genai.FinishReasonBlocklist,
			genai.FinishReasonSPII, genai.FinishReasonRecitation, genai.FinishReasonImageSafety:
			return true
		}
	}
	return false
}

func finishOf(r *genai.GenerateContentResponse) string {
	if len(r.Candidates) == 0 {
		return ""
	}
	return string(r.Candidates[0].FinishReason)
}

// CountTokens returns how many tokens req's messages would use (the system
// instruction is not counted: the Gemini API's countTokens doesn't take one).
func (c *Client) CountTokens(ctx context.Context, req Request) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	resp, err := c.gc.Models.CountTokens(ctx, c.model(req), contents(req), nil)
	if err != nil {
		return 0, c.mapErr(ctx, err, false)
	}
	return int(resp.TotalTokens), nil
}

// Generate sends req and waits for the whole reply.
func (c *Client) Generate(ctx context.Context, req Request) (Reply, error) {
	return c.generate(ctx, req, config(req))
}

func (c *Client) generate(ctx context.Context, req Request, gcfg *genai.GenerateContentConfig) (Reply, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	resp, err := c.gc.Models.GenerateContent(ctx, c.model(req), contents(req), gcfg)
	if err != nil {
		return Reply{}, c.mapErr(ctx, err, false)
	}
	rep := Reply{Text: textOf(resp), Usage: usageOf(resp.UsageMetadata), FinishReason: finishOf(resp)}
	if blocked(resp) {
		return rep, errBlocked()
	}
	if len(resp.Candidates) == 0 {
		return rep, errCutOff()
	}
	return rep, nil
}

var errIdle = errors.New("gemini: stream idle timeout")

// errIdleFor is the error of a stream that went silent: a reply cut off if
// some of it came, else no answer at all (offline, so the queue retries).
func errIdleFor(gotChunk bool) error {
	if gotChunk {
		return errCutOff()
	}
	return cara.Errorf(cara.EOFFLINE, MsgTimeout)
}

// Stream sends req and calls onChunk with each piece of text as it arrives,
// in order. On error the Reply holds the text received so far (nothing is
// lost); if ctx is cancelled by the caller the error is ctx's error.
func (c *Client) Stream(ctx context.Context, req Request, onChunk func(text string)) (Reply, error) {
	parent := ctx
	ctx, cancelTimeout := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancelTimeout()
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	idle := time.AfterFunc(c.cfg.StreamIdleTimeout, func() { cancel(errIdle) })
	defer idle.Stop()

	var rep Reply
	var text strings.Builder
	got := false // at least one chunk arrived
	for resp, err := range c.gc.Models.GenerateContentStream(ctx, c.model(req), contents(req), config(req)) {
		if err != nil {
			rep.Text = text.String()
			if perr := parent.Err(); perr != nil {
				return rep, perr
			}
			if errors.Is(context.Cause(ctx), errIdle) {
				return rep, errIdleFor(got)
			}
			return rep, c.mapErr(ctx, err, got)
		}
		idle.Reset(c.cfg.StreamIdleTimeout)
		got = true
		if u := usageOf(resp.UsageMetadata); u != (Usage{}) {
			rep.Usage = u
		}
		if f := finishOf(resp); f != "" {
			rep.FinishReason = f
		}
		if t := textOf(resp); t != "" {
			text.WriteString(t)
			if onChunk != nil {
				onChunk(t)
			}
		}
		if blocked(resp) {
			rep.Text = text.String()
			return rep, errBlocked()
		}
		if perr := parent.Err(); perr != nil {
			rep.Text = text.String()
			return rep, perr
		}
	}
	rep.Text = text.String()
	if perr := parent.Err(); perr != nil {
		return rep, perr
	}
	if errors.Is(context.Cause(ctx), errIdle) {
		return rep, errIdleFor(got)
	}
	if rep.FinishReason == "" {
		return rep, errCutOff()
	}
	return rep, nil
}

// GenerateJSON asks for a JSON reply matching schema. The reply must be valid
// JSON and pass validate (if not nil); otherwise Gemini is asked once to
// repair it, with the validation error. Invalid JSON is never returned.
// Usage covers both calls.
func (c *Client) GenerateJSON(ctx context.Context, req Request, schema *genai.Schema, validate func([]byte) error) ([]byte, Usage, error) {
	gcfg := config(req)
	gcfg.ResponseMIMEType = "application/json"
	gcfg.ResponseSchema = schema
	var total Usage
	for attempt := 0; attempt < 2; attempt++ {
		rep, err := c.generate(ctx, req, gcfg)
		total = total.Add(rep.Usage)
		if err != nil {
			return nil, total, err
		}
		b := []byte(strings.TrimSpace(rep.Text))
		verr := checkJSON(b, validate)
		if verr == nil {
			return b, total, nil
		}
		req.Messages = append(slices.Clone(req.Messages),
			Message{Role: "model", Text: rep.Text},
			Message{Role: "user", Text: "That reply was not valid: " + verr.Error() +
				". Reply again with only JSON that matches the response schema."})
	}
	return nil, total, cara.Errorf(cara.EUNAVAILABLE, "Gemini's reply couldn't be read — retry")
}

func checkJSON(b []byte, validate func([]byte) error) error {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("invalid JSON (%v)", err)
	}
	if validate != nil {
		return validate(b)
	}
	return nil
}
