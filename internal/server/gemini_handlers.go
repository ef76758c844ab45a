package server

import (
	"errors"
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

// geminiProcess forwards one request to Gemini on the server's key, after
// checking the user's daily token quota, and counts the tokens Gemini
// reports (usageMetadata.totalTokenCount) against it. Concurrent requests
// of one user are checked against the same stored total, so a burst can
// overshoot the limit by at most its own size before further calls are
// refused.
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
	now := s.now()
	userID := identity(r).UserID
	day := practice.Day(now)
	used, err := s.store.Usage(r.Context(), userID, day)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if used >= s.cfg.GeminiDailyTokens {
		q := s.quotaOf(used, now)
		w.Header().Set("Retry-After", retryAfterSeconds(q.ResetsAt.Sub(now)))
		writeJSON(w, http.StatusTooManyRequests, map[string]any{"error": msgQuotaReached, "resetsAt": q.ResetsAt, "quota": q})
		return
	}
	reply, err := s.gemini.Generate(r.Context(), req)
	if reply.Usage.TotalTokens > 0 {
		// Tokens Gemini spent count even when the answer then failed.
		if total, uerr := s.store.AddUsage(r.Context(), userID, day, reply.Usage.TotalTokens); uerr == nil {
			used = total
		} else if err == nil {
			err = uerr
		}
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
