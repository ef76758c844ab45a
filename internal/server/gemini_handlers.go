package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cara-coach/cara/internal/cara"
	"github.com/cara-coach/cara/internal/gemini"
	"github.com/cara-coach/cara/internal/practice"
)

// Limits on what the proxy forwards.
const (
	maxPromptRunes  = 32_000
	maxMessages     = 50
	maxTotalRunes   = 100_000
	msgGeminiOff    = "AI features are not enabled on this server: its administrator has not set GEMINI_API_KEY"
	msgQuotaReached = "Daily quota exceeded"
	// msgGeminiUnreachable: the server could not reach Gemini (or it did not
	// answer in time).
	msgGeminiUnreachable = "The AI service can't be reached from this server right now — try again in a moment"
)

type quotaJSON struct {
	Enabled   bool      `json:"enabled"`
	Used      int       `json:"used"`
	Limit     int       `json:"limit"`
	Remaining int       `json:"remaining"`
	ResetsAt  time.Time `json:"resetsAt"`
}

func (s *Server) quotaOf(used int, now time.Time) quotaJSON {
	return quotaJSON{
		Enabled: s.gemini != nil, Used: used, Limit: s.cfg.GeminiDailyTokens,
		Remaining: max(s.cfg.GeminiDailyTokens-used, 0), ResetsAt: practice.NextDay(now),
	}
}

func (s *Server) geminiQuota(w http.ResponseWriter, r *http.Request) {
	now := s.now()
	used, err := s.store.Usage(r.Context(), identity(r).UserID, practice.Day(now))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.quotaOf(used, now))
}

type processRequest struct {
	Prompt   string           `json:"prompt"`
	System   string           `json:"system"`
	Messages []gemini.Message `json:"messages"`
}

// request checks the sizes and builds the Gemini request: either a prompt
// or a conversation (roles "user" and "model").
func (p processRequest) request() (gemini.Request, error) {
	req := gemini.Request{System: p.System}
	total := utf8.RuneCountInString(p.System)
	if strings.TrimSpace(p.Prompt) != "" {
		if n := utf8.RuneCountInString(p.Prompt); n > maxPromptRunes {
			return req, invalid("prompt must be at most %d characters", maxPromptRunes)
		}
		req.Messages = append(req.Messages, gemini.Message{Role: "user", Text: p.Prompt})
	}
	if len(p.Messages) > maxMessages {
		return req, invalid("messages can have at most %d entries", maxMessages)
	}
	for _, m := range p.Messages {
		if m.Role != "user" && m.Role != "model" {
			return req, invalid(`each message needs a role of "user" or "model"`)
		}
		if strings.TrimSpace(m.Text) == "" {
			return req, invalid("each message needs some text")
		}
	}
	if len(req.Messages) > 0 && len(p.Messages) > 0 {
		return req, invalid("send either prompt or messages, not both")
	}
	req.Messages = append(req.Messages, p.Messages...)
	if len(req.Messages) == 0 {
		return req, invalid("prompt is required")
	}
	for _, m := range req.Messages {
		total += utf8.RuneCountInString(m.Text)
	}
	if total > maxTotalRunes {
		return req, invalid("the request is too long: at most %d characters in all", maxTotalRunes)
	}
	return req, nil
}

// Reserving quota for a call (see geminiProcess).
const (
	// minReplyTokens: with fewer left after the prompt, a call would be
	// cut off before it says anything useful; it is refused instead.
	minReplyTokens = 16
	// generateContent may count a prompt a little above countTokens (turn
	// markers, the system instruction's own turn): this much per message,
	// plus promptSlack, is reserved on top.
	perMessageTokens = 8
	promptSlack      = 32
	// busyRetryAfter: when the user's own calls in flight hold the quota
	// left, one of them will likely have settled by then.
	busyRetryAfter = 5 * time.Second
	msgQuotaBusy   = "Your other AI requests in progress are holding the rest of today's quota; try again when they finish"
)

// geminiProcess forwards one request to Gemini on the server's key within
// the user's daily token quota, which holds under concurrent calls on any
// number of instances: before calling Gemini it reserves, atomically in
// the store, the most the call can spend (the prompt as countTokens counts
// it, plus a reply capped by maxOutputTokens to what the quota has left,
// GeminiMaxOutputTokens at most), and after the call it settles to the
// total Gemini reports (usageMetadata), releasing the rest; a call that
// fails without usage releases it all.
func (s *Server) geminiProcess(w http.ResponseWriter, r *http.Request) {
	if s.gemini == nil {
		writeMessage(w, http.StatusServiceUnavailable, msgGeminiOff)
		return
	}
	var body processRequest
	if !decodeJSON(w, r, &body, false) {
		return
	}
	req, err := body.request()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	ctx := r.Context()
	now := s.now()
	userID := identity(r).UserID
	day := practice.Day(now)
	limit := s.cfg.GeminiDailyTokens
	// A cheap refusal once the day is spent, before asking Gemini anything.
	used, err := s.store.Usage(ctx, userID, day)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if used >= limit {
		s.quotaExceeded(w, used, now)
		return
	}
	prompt, err := s.promptBound(ctx, req)
	if err != nil {
		s.geminiError(w, r, err)
		return
	}
	granted, after, err := s.store.ReserveUsage(ctx, userID, day, prompt+s.cfg.GeminiMaxOutputTokens, limit)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if granted < prompt+minReplyTokens {
		s.settle(r, userID, day, granted, 0)
		if heldByOthers := after.Reserved - granted; heldByOthers > 0 && limit-after.Used >= prompt+minReplyTokens {
			w.Header().Set("Retry-After", retryAfterSeconds(busyRetryAfter))
			writeJSON(w, http.StatusTooManyRequests, map[string]any{"error": msgQuotaBusy, "quota": s.quotaOf(after.Used, now)})
			return
		}
		s.quotaExceeded(w, after.Used, now)
		return
	}
	req.MaxOutputTokens = granted - prompt
	reply, err := s.gemini.Generate(ctx, req)
	// Tokens Gemini spent count even when the answer then failed.
	used = after.Used + reply.Usage.TotalTokens
	if settled, ok := s.settle(r, userID, day, granted, reply.Usage.TotalTokens); ok {
		used = settled.Used
	}
	if err != nil {
		s.geminiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"text":         reply.Text,
		"finishReason": reply.FinishReason,
		"usage": map[string]int{
			"promptTokens": reply.Usage.PromptTokens, "candidatesTokens": reply.Usage.CandidatesTokens,
			"totalTokens": reply.Usage.TotalTokens,
		},
		"quota": s.quotaOf(used, now),
	})
}

// promptBound is how many tokens the request's prompt can cost: Gemini's
// countTokens of it (the system instruction counted as one more message,
// since countTokens takes none) plus a small allowance per message.
func (s *Server) promptBound(ctx context.Context, req gemini.Request) (int, error) {
	counted := req
	if req.System != "" {
		counted.System = ""
		counted.Messages = append([]gemini.Message{{Role: "user", Text: req.System}}, req.Messages...)
	}
	n, err := s.gemini.CountTokens(ctx, counted)
	if err != nil {
		return 0, err
	}
	return n + perMessageTokens*len(counted.Messages) + promptSlack, nil
}

// settle ends a reservation even if the client has hung up (it is the
// user's quota). If the store fails, the reservation stays counted for
// the day: the quota errs toward refusing, never toward overshooting.
func (s *Server) settle(r *http.Request, userID, day string, reserved, spent int) (practice.DayUsage, bool) {
	after, err := s.store.SettleUsage(context.WithoutCancel(r.Context()), userID, day, reserved, spent)
	if err != nil {
		noteError(r, fmt.Errorf("settling %d reserved Gemini tokens (%d spent): %w", reserved, spent, err))
		return practice.DayUsage{}, false
	}
	return after, true
}

// quotaExceeded answers a call the day's quota has no room for: 429 with
// the quota and Retry-After until the next UTC day.
func (s *Server) quotaExceeded(w http.ResponseWriter, used int, now time.Time) {
	q := s.quotaOf(used, now)
	w.Header().Set("Retry-After", retryAfterSeconds(q.ResetsAt.Sub(now)))
	writeJSON(w, http.StatusTooManyRequests, map[string]any{"error": msgQuotaReached, "resetsAt": q.ResetsAt, "quota": q})
}

// geminiError answers a failed Gemini call with internal/gemini's message:
// 429 (with Retry-After when Gemini gave one) when the server's key is out
// of quota, 400 for a blocked prompt, 503 when Gemini is busy or can't be
// reached from the server, 502 else.
// A bad server key is the administrator's problem: the user sees a generic
// message and the log says why.
func (s *Server) geminiError(w http.ResponseWriter, r *http.Request, err error) {
	if clientGone(w, r) {
		return
	}
	var ce *cara.Error
	if !errors.As(err, &ce) {
		s.internalError(w, r, err)
		return
	}
	noteError(r, err)
	if d, ok := gemini.RetryAfter(err); ok {
		w.Header().Set("Retry-After", retryAfterSeconds(d))
	}
	msg := ce.Message
	status := http.StatusBadGateway
	switch {
	case ce.Code == cara.EGEMINIKEY:
		msg = "The AI service is misconfigured on this server; please tell its administrator"
		s.report(r, err)
	case ce.Code == cara.ETOOMANY:
		status = http.StatusTooManyRequests
	case ce.Code == cara.EINVALID:
		status = http.StatusBadRequest
	case ce.Code == cara.EUNAVAILABLE:
		status = http.StatusServiceUnavailable
	case ce.Code == cara.EOFFLINE:
		// The desktop's "check your connection" would point the client at
		// its own network; here it is the server that can't reach Gemini.
		status, msg = http.StatusServiceUnavailable, msgGeminiUnreachable
		s.report(r, err)
	}
	writeMessage(w, status, msg)
}
