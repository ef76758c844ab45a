// Package geminitest is a fake Gemini REST server (API version v1beta) for
// tests, end-to-end runs and demo mode. It speaks the same wire format as
// generativelanguage.googleapis.com: models.list, generateContent,
// streamGenerateContent?alt=sse and countTokens, with Gemini's error bodies.
//
// Replies are deterministic. A request for JSON gets the next of
// Options.JSONReplies, or, when none are set, a value built from its
// responseSchema (ReplyForSchema). A plain-text request gets "You said: …"
// followed by CoachingSentence, or with Options.Conversational a reply that
// answers the last user text like a conversation partner of the kind the
// system instruction describes (skeptical, a busy executive, supportive,
// else neutral).
//
// Error scenarios are chosen per server (Options.Scenario, SetScenario), for
// the next request only (FailNext), or per request by a magic word in the
// last user text, e.g. "[[503]]" (with Options.OneShotMagicWords only the
// first time that text is sent). cmd/fake-gemini serves this fake on its
// own, for end-to-end tests and demo mode.
package geminitest

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
)

// DefaultAPIKey is the key the server accepts when Options.APIKey is empty.
const DefaultAPIKey = "fake-gemini-key"

// CoachingSentence ends every plain-text reply.
const CoachingSentence = "Try leading with your main point, then give one concrete example."

// Scenario selects how the server answers. The magic word for a scenario is
// "[[" + string(s) + "]]" in the last user text.
type Scenario string

const (
	OK               Scenario = ""
	KeyInvalid       Scenario = "400"       // 400 INVALID_ARGUMENT, ErrorInfo API_KEY_INVALID
	PermissionDenied Scenario = "403"       // 403 PERMISSION_DENIED
	Quota            Scenario = "429"       // 429 RESOURCE_EXHAUSTED with RetryInfo 17s
	QuotaNoRetryInfo Scenario = "429-bare"  // 429 RESOURCE_EXHAUSTED without RetryInfo
	Internal         Scenario = "500"       // 500 INTERNAL
	Unavailable      Scenario = "503"       // 503 UNAVAILABLE
	Safety           Scenario = "safety"    // candidate with finishReason SAFETY
	Blocked          Scenario = "blocked"   // promptFeedback.blockReason SAFETY, no candidates
	Cut              Scenario = "cut"       // stream: chunks end without a finishReason
	MidStreamError   Scenario = "midstream" // stream: chunks, then a 503 error event, then close
	Drop             Scenario = "drop"      // stream: chunks, then the connection is dropped
	Stall            Scenario = "stall"     // stream: one chunk, then silence until the client leaves
)

// RetryDelay is the retryDelay the Quota scenario sends.
const RetryDelay = "17s"

// Model is one entry of models.list.
type Model struct {
	Name                       string   `json:"name"`
	DisplayName                string   `json:"displayName"`
	SupportedGenerationMethods []string `json:"supportedGenerationMethods"`
	InputTokenLimit            int      `json:"inputTokenLimit"`
	OutputTokenLimit           int      `json:"outputTokenLimit"`
}

// DefaultModels is what models.list returns unless Options.Models is set.
var DefaultModels = []Model{
	{Name: "models/gemini-2.5-flash", DisplayName: "Gemini 2.5 Flash", SupportedGenerationMethods: []string{"generateContent", "countTokens"}, InputTokenLimit: 1048576, OutputTokenLimit: 65536},
	{Name: "models/gemini-2.5-pro", DisplayName: "Gemini 2.5 Pro", SupportedGenerationMethods: []string{"generateContent", "countTokens"}, InputTokenLimit: 1048576, OutputTokenLimit: 65536},
	{Name: "models/gemini-2.5-flash-lite", DisplayName: "Gemini 2.5 Flash-Lite", SupportedGenerationMethods: []string{"generateContent", "countTokens"}, InputTokenLimit: 1048576, OutputTokenLimit: 65536},
	{Name: "models/text-embedding-004", DisplayName: "Text Embedding 004", SupportedGenerationMethods: []string{"embedContent"}, InputTokenLimit: 2048, OutputTokenLimit: 1},
}

// Options configures a Server.
type Options struct {
	APIKey   string   // the one valid key; DefaultAPIKey if empty
	Scenario Scenario // applied to every request without a magic word
	// JSONReplies are the texts returned, in order, for requests asking for
	// JSON (responseMimeType application/json or a responseSchema); the last
	// one repeats. Empty: a value built from the request's response schema
	// (ReplyForSchema), or {"reply":"You said: …"} if it has none.
	JSONReplies []string
	Models      []Model       // models.list; DefaultModels if nil
	ChunkDelay  time.Duration // pause between SSE chunks
	// ChunkWords is how many words each SSE chunk carries; 0 splits a reply
	// into about four chunks.
	ChunkWords int
	// Conversational makes plain-text replies answer the last user text
	// (deterministically, in the manner the system instruction asks for)
	// instead of echoing it; for demos.
	Conversational bool
	// OneShotMagicWords makes a magic word fail only the first request with
	// that exact last user text, so retrying the same message succeeds (the
	// Retry flows of demo mode and end-to-end tests).
	OneShotMagicWords bool
}

// Request is a recorded request.
type Request struct {
	Method   string
	Path     string
	RawQuery string
	Header   http.Header
	Body     []byte
}

// Server is the fake. Create it with New (httptest) or use Handler directly.
type Server struct {
	opts Options
	ts   *httptest.Server
	done chan struct{}

	mu       sync.Mutex
	scenario Scenario
	next     []Scenario
	jsonN    int
	fired    map[uint64]bool // last user texts whose magic word already fired (OneShotMagicWords)
	requests []Request
	closed   bool
}

// NewHandler returns a Server that is not listening; serve Handler() yourself.
func NewHandler(opts Options) *Server {
	if opts.APIKey == "" {
		opts.APIKey = DefaultAPIKey
	}
	if opts.Models == nil {
		opts.Models = DefaultModels
	}
	return &Server{opts: opts, scenario: opts.Scenario, done: make(chan struct{}), fired: map[uint64]bool{}}
}

// New starts a Server on a local httptest listener.
func New(opts Options) *Server {
	s := NewHandler(opts)
	s.ts = httptest.NewServer(s.Handler())
	return s
}

// URL is the base URL to give the client (no trailing slash, no version).
func (s *Server) URL() string {
	if s.ts == nil {
		return ""
	}
	return s.ts.URL
}

// APIKey is the key the server accepts.
func (s *Server) APIKey() string { return s.opts.APIKey }

// Close releases stalled streams and stops the server.
func (s *Server) Close() {
	s.mu.Lock()
	if !s.closed {
		s.closed = true
		close(s.done)
	}
	s.mu.Unlock()
	if s.ts != nil {
		s.ts.Close()
	}
}

// SetScenario changes the scenario for all following requests.
func (s *Server) SetScenario(sc Scenario) {
	s.mu.Lock()
	s.scenario = sc
	s.mu.Unlock()
}

// FailNext queues a scenario used by the next request only (before SetScenario's).
func (s *Server) FailNext(sc Scenario) {
	s.mu.Lock()
	s.next = append(s.next, sc)
	s.mu.Unlock()
}

// Scenario is the scenario applied to requests without a magic word.
func (s *Server) Scenario() Scenario {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.scenario
}

// Reset goes back to the OK scenario and drops scenarios queued by FailNext.
func (s *Server) Reset() {
	s.mu.Lock()
	s.scenario = OK
	s.next = nil
	s.mu.Unlock()
}

// ParseScenario reads a scenario name as used in magic words ("503",
// "midstream" …); "" and "ok" are OK.
func ParseScenario(name string) (Scenario, bool) {
	if name == "" || strings.EqualFold(name, "ok") {
		return OK, true
	}
	for _, sc := range allScenarios {
		if string(sc) == name {
			return sc, true
		}
	}
	return OK, false
}

// Scenarios lists every error scenario (OK excluded).
func Scenarios() []Scenario { return append([]Scenario(nil), allScenarios...) }

// SetJSONReplies replaces the JSON replies and restarts their sequence.
func (s *Server) SetJSONReplies(replies ...string) {
	s.mu.Lock()
	s.opts.JSONReplies = replies
	s.jsonN = 0
	s.mu.Unlock()
}

// Requests returns a copy of every request received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Handler serves the fake API under /v1beta/.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1beta/models", s.listModels)
	mux.HandleFunc("POST /v1beta/models/{call}", s.modelCall)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.record(r, nil)
		writeError(w, http.StatusNotFound, "NOT_FOUND", "Method not found.", nil)
	})
	return mux
}

func (s *Server) record(r *http.Request, body []byte) {
	s.mu.Lock()
	s.requests = append(s.requests, Request{
		Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery,
		Header: r.Header.Clone(), Body: body,
	})
	s.mu.Unlock()
}

func (s *Server) keyOK(r *http.Request) bool {
	key := r.Header.Get("x-goog-api-key")
	if key == "" {
		key = r.URL.Query().Get("key")
	}
	return key == s.opts.APIKey
}

// pick returns the scenario for a request with the given last user text.
func (s *Server) pick(text string) Scenario {
	s.mu.Lock()
	defer s.mu.Unlock()
	sc := s.scenario
	if len(s.next) > 0 {
		sc = s.next[0]
		s.next = s.next[1:]
	}
	// The word nearest the end wins: when a failed reply leaves two user
	// messages side by side, the newest one's word is the one meant.
	word, at := OK, -1
	for _, m := range allScenarios {
		if i := strings.LastIndex(text, "[["+string(m)+"]]"); i > at {
			word, at = m, i
		}
	}
	if at < 0 {
		return sc
	}
	if s.opts.OneShotMagicWords {
		h := fnv.New64a()
		h.Write([]byte(text))
		if s.fired[h.Sum64()] {
			return sc
		}
		s.fired[h.Sum64()] = true
	}
	return word
}

var allScenarios = []Scenario{KeyInvalid, PermissionDenied, QuotaNoRetryInfo, Quota, Internal, Unavailable, Safety, Blocked, Cut, MidStreamError, Drop, Stall}

func (s *Server) listModels(w http.ResponseWriter, r *http.Request) {
	s.record(r, nil)
	sc := s.pick("")
	if !s.keyOK(r) {
		sc = KeyInvalid
	}
	if writeScenarioError(w, sc) {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"models": s.opts.Models})
}

type part struct {
	Text string `json:"text,omitempty"`
}

type content struct {
	Role  string `json:"role,omitempty"`
	Parts []part `json:"parts"`
}

type generateRequest struct {
	Contents          []content `json:"contents"`
	SystemInstruction *content  `json:"systemInstruction,omitempty"`
	GenerationConfig  struct {
		ResponseMimeType   string          `json:"responseMimeType"`
		ResponseSchema     json.RawMessage `json:"responseSchema"`
		ResponseJSONSchema json.RawMessage `json:"responseJsonSchema"`
		MaxOutputTokens    int             `json:"maxOutputTokens"`
	} `json:"generationConfig"`
}

// capReply cuts reply to the request's maxOutputTokens (the fake's tokens
// are words), as Gemini stops at that many with finishReason MAX_TOKENS.
func (g *generateRequest) capReply(reply string) (string, bool) {
	limit := g.GenerationConfig.MaxOutputTokens
	if limit <= 0 || countWords(reply) <= limit {
		return reply, false
	}
	return strings.Join(strings.Fields(reply)[:limit], " "), true
}

func (g *generateRequest) lastUserText() string {
	for i := len(g.Contents) - 1; i >= 0; i-- {
		c := g.Contents[i]
		if c.Role == "model" {
			continue
		}
		var b strings.Builder
		for _, p := range c.Parts {
			b.WriteString(p.Text)
		}
		return b.String()
	}
	return ""
}

// userTurns counts the user's contents in the request.
func (g *generateRequest) userTurns() int {
	n := 0
	for _, c := range g.Contents {
		if c.Role != "model" {
			n++
		}
	}
	return n
}

func (g *generateRequest) promptTokens() int {
	n := 0
	for _, c := range g.Contents {
		for _, p := range c.Parts {
			n += countWords(p.Text)
		}
	}
	if g.SystemInstruction != nil {
		for _, p := range g.SystemInstruction.Parts {
			n += countWords(p.Text)
		}
	}
	return max(n, 1)
}

// systemText is the system instruction's text.
func (g *generateRequest) systemText() string {
	if g.SystemInstruction == nil {
		return ""
	}
	var b strings.Builder
	for _, p := range g.SystemInstruction.Parts {
		b.WriteString(p.Text)
	}
	return b.String()
}

// asksToRestructure says whether the system instruction asks for a free
// restructuring (Ask Cara's creative mode), which the fake's rewrites honour.
func (g *generateRequest) asksToRestructure() bool {
	return strings.Contains(strings.ToLower(g.systemText()), "restructure")
}

func (g *generateRequest) wantsJSON() bool {
	return g.GenerationConfig.ResponseMimeType == "application/json" ||
		len(g.GenerationConfig.ResponseSchema) > 0 || len(g.GenerationConfig.ResponseJSONSchema) > 0
}

func countWords(s string) int { return len(strings.Fields(s)) }

func (s *Server) modelCall(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.record(r, body)
	model, method, ok := strings.Cut(r.PathValue("call"), ":")
	if !ok {
		writeError(w, http.StatusNotFound, "NOT_FOUND", "Method not found.", nil)
		return
	}
	var req generateRequest
	if err := json.Unmarshal(body, &req); err != nil {
		writeError(w, http.StatusBadRequest, "INVALID_ARGUMENT", "Invalid JSON payload received.", nil)
		return
	}
	text := req.lastUserText()
	sc := s.pick(text)
	if !s.keyOK(r) {
		sc = KeyInvalid
	}
	if !s.knownModel(model) {
		writeError(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("models/%s is not found for API version v1beta, or is not supported for %s.", model, method), nil)
		return
	}
	if writeScenarioError(w, sc) {
		return
	}
	switch method {
	case "generateContent":
		s.generate(w, &req, text, sc)
	case "streamGenerateContent":
		s.stream(w, r, &req, text, sc)
	case "countTokens":
		writeJSON(w, http.StatusOK, map[string]any{"totalTokens": req.promptTokens()})
	default:
		writeError(w, http.StatusNotFound, "NOT_FOUND", "Method not found.", nil)
	}
}

func (s *Server) knownModel(model string) bool {
	for _, m := range s.opts.Models {
		if m.Name == "models/"+model {
			return true
		}
	}
	return false
}

// replyText is the deterministic reply to a request. An error means the
// request's response schema cannot be satisfied (Gemini answers 400).
func (s *Server) replyText(req *generateRequest, text string) (string, error) {
	if req.wantsJSON() {
		s.mu.Lock()
		if n := len(s.opts.JSONReplies); n > 0 {
			r := s.opts.JSONReplies[min(s.jsonN, n-1)]
			s.jsonN++
			s.mu.Unlock()
			return r, nil
		}
		s.mu.Unlock()
		schema := req.GenerationConfig.ResponseSchema
		if len(schema) == 0 {
			schema = req.GenerationConfig.ResponseJSONSchema
		}
		if len(schema) > 0 && string(schema) != "null" {
			b, err := replyForSchema(schema, text, req.asksToRestructure())
			return string(b), err
		}
		b, _ := json.Marshal(map[string]string{"reply": "You said: " + text})
		return string(b), nil
	}
	if s.opts.Conversational {
		return chatReply(personaOf(req.systemText()), req.userTurns(), text), nil
	}
	return "You said: " + strings.TrimSpace(text) + ". " + CoachingSentence, nil
}

func writeSchemaError(w http.ResponseWriter, err error) {
	writeError(w, http.StatusBadRequest, "INVALID_ARGUMENT", "Invalid JSON payload received. "+err.Error(), nil)
}

func usage(req *generateRequest, reply string) map[string]any {
	p, c := req.promptTokens(), max(countWords(reply), 1)
	return map[string]any{"promptTokenCount": p, "candidatesTokenCount": c, "totalTokenCount": p + c}
}

func candidate(text string, finish string) map[string]any {
	c := map[string]any{
		"content": map[string]any{"role": "model", "parts": []map[string]string{{"text": text}}},
		"index":   0,
	}
	if finish != "" {
		c["finishReason"] = finish
	}
	return c
}

func blockedResponse(req *generateRequest) map[string]any {
	p := req.promptTokens()
	return map[string]any{
		"promptFeedback": map[string]any{"blockReason": "SAFETY"},
		"usageMetadata":  map[string]any{"promptTokenCount": p, "totalTokenCount": p},
		"modelVersion":   "gemini-2.5-flash",
	}
}

func (s *Server) generate(w http.ResponseWriter, req *generateRequest, text string, sc Scenario) {
	reply, err := s.replyText(req, text)
	if err != nil {
		writeSchemaError(w, err)
		return
	}
	switch sc {
	case Blocked:
		writeJSON(w, http.StatusOK, blockedResponse(req))
		return
	case Safety:
		writeJSON(w, http.StatusOK, map[string]any{
			"candidates":    []any{candidate("", "SAFETY")},
			"usageMetadata": usage(req, ""),
			"modelVersion":  "gemini-2.5-flash",
		})
		return
	}
	finish := "STOP"
	if capped, cut := req.capReply(reply); cut {
		reply, finish = capped, "MAX_TOKENS"
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"candidates":    []any{candidate(reply, finish)},
		"usageMetadata": usage(req, reply),
		"modelVersion":  "gemini-2.5-flash",
	})
}

// splitChunks splits text on word boundaries into chunks of perChunk words,
// or about four chunks if perChunk is 0; joined they give text back exactly.
func splitChunks(text string, perChunk int) []string {
	words := strings.SplitAfter(text, " ")
	n := max((len(words)+3)/4, 1)
	if perChunk > 0 {
		n = perChunk
	}
	var out []string
	for i := 0; i < len(words); i += n {
		out = append(out, strings.Join(words[i:min(i+n, len(words))], ""))
	}
	return out
}

func (s *Server) stream(w http.ResponseWriter, r *http.Request, req *generateRequest, text string, sc Scenario) {
	if sc == Blocked {
		writeSSEHeader(w)
		writeEvent(w, blockedResponse(req))
		return
	}
	reply, err := s.replyText(req, text)
	if err != nil {
		writeSchemaError(w, err)
		return
	}
	finish := "STOP"
	if capped, cut := req.capReply(reply); cut {
		reply, finish = capped, "MAX_TOKENS"
	}
	chunks := splitChunks(reply, s.opts.ChunkWords)
	writeSSEHeader(w)
	for i, c := range chunks {
		if i > 0 && s.opts.ChunkDelay > 0 && !s.sleep(r, s.opts.ChunkDelay) {
			return
		}
		last := i == len(chunks)-1
		switch sc {
		case Cut:
			if last {
				return // no finishReason: the stream just ends
			}
		case MidStreamError:
			if i == 2 {
				writeEvent(w, map[string]any{"error": errorBody(http.StatusServiceUnavailable, "UNAVAILABLE", "The model is overloaded. Please try again later.", nil)})
				panic(http.ErrAbortHandler)
			}
		case Drop:
			if i == 2 {
				panic(http.ErrAbortHandler) // closes the connection mid-stream
			}
		case Stall:
			if i == 1 {
				select {
				case <-r.Context().Done():
				case <-s.done:
				}
				return
			}
		}
		ev := map[string]any{"modelVersion": "gemini-2.5-flash"}
		if last {
			if sc == Safety {
				finish = "SAFETY"
			}
			ev["candidates"] = []any{candidate(c, finish)}
			ev["usageMetadata"] = usage(req, reply)
		} else {
			ev["candidates"] = []any{candidate(c, "")}
			ev["usageMetadata"] = map[string]any{"promptTokenCount": req.promptTokens()}
		}
		writeEvent(w, ev)
	}
}

func (s *Server) sleep(r *http.Request, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	case <-s.done:
		return false
	}
}

func writeSSEHeader(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.WriteHeader(http.StatusOK)
}

func writeEvent(w http.ResponseWriter, v any) {
	b, _ := json.Marshal(v)
	fmt.Fprintf(w, "data: %s\r\n\r\n", b)
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func errorBody(code int, status, message string, details []any) map[string]any {
	e := map[string]any{"code": code, "message": message, "status": status}
	if details != nil {
		e["details"] = details
	}
	return e
}

func writeError(w http.ResponseWriter, code int, status, message string, details []any) {
	writeJSON(w, code, map[string]any{"error": errorBody(code, status, message, details)})
}

// writeScenarioError writes the HTTP error of sc, if sc is an HTTP error.
func writeScenarioError(w http.ResponseWriter, sc Scenario) bool {
	switch sc {
	case KeyInvalid:
		writeError(w, http.StatusBadRequest, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", []any{
			map[string]any{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID", "domain": "googleapis.com",
				"metadata": map[string]string{"service": "generativelanguage.googleapis.com"}},
		})
	case PermissionDenied:
		writeError(w, http.StatusForbidden, "PERMISSION_DENIED", "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.", nil)
	case Quota:
		writeError(w, http.StatusTooManyRequests, "RESOURCE_EXHAUSTED", "You exceeded your current quota, please check your plan and billing details.", []any{
			map[string]any{"@type": "type.googleapis.com/google.rpc.QuotaFailure", "violations": []any{map[string]string{"quotaMetric": "generativelanguage.googleapis.com/generate_content_free_tier_requests"}}},
			map[string]any{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": RetryDelay},
		})
	case QuotaNoRetryInfo:
		writeError(w, http.StatusTooManyRequests, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota).", nil)
	case Internal:
		writeError(w, http.StatusInternalServerError, "INTERNAL", "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting", nil)
	case Unavailable:
		writeError(w, http.StatusServiceUnavailable, "UNAVAILABLE", "The model is overloaded. Please try again later.", nil)
	default:
		return false
	}
	return true
}
