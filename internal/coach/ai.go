package coach

import (
	"context"
	"time"

	"github.com/cara-coach/cara/internal/analysis"
	"github.com/cara-coach/cara/internal/cara"
)

// The types in this file are the AI side's contract: stored as JSON in bbolt
// and sent as is to the UI (field names are the TypeScript names).

// AI feedback states of a practice (a chat or a review).
const (
	AINone    = ""        // AI feedback never asked for
	AIPending = "pending" // asked with no key or no network: the queue does it later
	AIRunning = "running" // being fetched now
	AIReady   = "ready"   // feedback is there
	AIFailed  = "failed"  // Gemini refused (blocked, invalid key …); AIError says why; the user can retry
)

// Turn roles and states.
const (
	RoleUser    = "user"
	RolePersona = "persona"

	TurnComplete  = "complete"  // a whole reply (or any user turn)
	TurnStreaming = "streaming" // a reply arriving now; found at start-up it means Cara closed mid-reply
	TurnPartial   = "partial"   // stopped by the user, cut off or failed mid-way: Text is what arrived; Retry offered
	TurnFailed    = "failed"    // no reply at all; Error says why; Retry offered
)

// Scenario is a workplace conversation to practise.
type Scenario struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description"` // one line for the picker
	Goal        string `json:"goal"`        // what the user should achieve, shown during the chat
	Opening     string `json:"opening"`     // the persona's first line, shown before the user types
}

// Persona is who the user talks to.
type Persona struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

// Catalog is what the practice picker offers.
type Catalog struct {
	Scenarios []Scenario `json:"scenarios"`
	Personas  []Persona  `json:"personas"`
	Limits    Limits     `json:"limits"`
}

// ContextDoc is optional background the user attached (e.g. a job description).
type ContextDoc struct {
	Name string `json:"name"`
	Text string `json:"text"`
}

// Turn is one message of a chat.
type Turn struct {
	ID     string `json:"id"`
	Role   string `json:"role"`
	Text   string `json:"text"`
	Status string `json:"status"`
	Error  string `json:"error,omitempty"` // the user-facing reason a reply is partial or failed
	// ErrorCode is Error's cara code (e.g. "no_key", "budget"), so the UI can
	// offer the way out (Settings) where there is one.
	ErrorCode string `json:"errorCode,omitempty"`
	// RetryAt is when Gemini said to try again (a quota error with a wait).
	RetryAt   *time.Time `json:"retryAt,omitempty"`
	CreatedAt time.Time  `json:"createdAt"`
	// Chunks is, for a reply still streaming, how many chunks its Text
	// holds, so a view that opens mid-reply (after a reload) can add the
	// chunk events that follow (ChunkEvent.Seq) without gaps or repeats.
	Chunks int `json:"chunks,omitempty"`
}

// Dimension is one scored aspect of the feedback.
type Dimension struct {
	Score    int    `json:"score"`    // 0–100
	Evidence string `json:"evidence"` // one sentence
}

// Highlight quotes the user's own words.
type Highlight struct {
	Quote   string `json:"quote"`   // verbatim from one of the user's turns
	Comment string `json:"comment"` // why it worked or didn't
}

// BetterVersion rewrites the user's weakest turn.
type BetterVersion struct {
	Original string `json:"original"` // the weakest user turn, verbatim
	Improved string `json:"improved"`
	Why      string `json:"why"`
}

// Feedback is Gemini's structured judgement of a finished chat.
type Feedback struct {
	Overall       int           `json:"overall"` // 0–100
	Clarity       Dimension     `json:"clarity"`
	Pace          Dimension     `json:"pace"`
	Confidence    Dimension     `json:"confidence"`
	Tone          Dimension     `json:"tone"`
	Relevance     Dimension     `json:"relevance"`
	Structure     Dimension     `json:"structure"`
	Highlights    []Highlight   `json:"highlights"`
	ActionItems   []string      `json:"actionItems"` // exactly three
	BetterVersion BetterVersion `json:"betterVersion"`
}

// Usage is tokens spent on one practice, from Gemini's usageMetadata.
type Usage struct {
	PromptTokens     int `json:"promptTokens"`
	CandidatesTokens int `json:"candidatesTokens"`
	TotalTokens      int `json:"totalTokens"`
}

// Chat is one role-play conversation and, once ended, its feedback.
type Chat struct {
	ID         string      `json:"id"`
	Title      string      `json:"title"`
	ScenarioID string      `json:"scenarioId"`
	PersonaID  string      `json:"personaId"`
	Context    *ContextDoc `json:"context,omitempty"`
	Turns      []Turn      `json:"turns"`
	Ended      bool        `json:"ended"`
	// Offline is the offline coach's report on the user's turns, made at End.
	Offline  *analysis.Report `json:"offline,omitempty"`
	Feedback *Feedback        `json:"feedback,omitempty"`
	AIStatus string           `json:"aiStatus"`
	AIError  string           `json:"aiError,omitempty"`
	// AIErrorCode is AIError's cara code, so the UI offers Settings only
	// where it helps (no key, budget, a refused key).
	AIErrorCode string `json:"aiErrorCode,omitempty"`
	// AIRetryAt is when Gemini said to try again, after a quota error.
	AIRetryAt *time.Time `json:"aiRetryAt,omitempty"`
	Usage     Usage      `json:"usage"`
	CreatedAt time.Time  `json:"createdAt"`
	UpdatedAt time.Time  `json:"updatedAt"`
	cara.SyncMeta
}

// ChatSummary is a chat's History line.
type ChatSummary struct {
	ID         string    `json:"id"`
	Title      string    `json:"title"`
	ScenarioID string    `json:"scenarioId"`
	PersonaID  string    `json:"personaId"`
	CreatedAt  time.Time `json:"createdAt"`
	Turns      int       `json:"turns"`
	Ended      bool      `json:"ended"`
	AIStatus   string    `json:"aiStatus"`
	Overall    int       `json:"overall"` // 0 until feedback is ready
	// OfflineOverall is the offline coach's overall score of the user's
	// turns, there from End on (0 before), while AI feedback may wait.
	OfflineOverall int `json:"offlineOverall"`
}

// Summary returns c's History line.
func (c Chat) Summary() ChatSummary {
	s := ChatSummary{
		ID:         c.ID,
		Title:      c.Title,
		ScenarioID: c.ScenarioID,
		PersonaID:  c.PersonaID,
		CreatedAt:  c.CreatedAt,
		Turns:      len(c.Turns),
		Ended:      c.Ended,
		AIStatus:   c.AIStatus,
	}
	if c.Feedback != nil {
		s.Overall = c.Feedback.Overall
	}
	if c.Offline != nil {
		s.OfflineOverall = c.Offline.Scores.Overall
	}
	return s
}

// Rewrite modes for Ask Cara.
const (
	ModeStrict   = "strict"   // keep the facts; fix clarity, grammar and tone
	ModeCreative = "creative" // restructure freely; keep the truth
)

// ReviewAI is Ask Cara's feedback and rewrite of a review's text.
type ReviewAI struct {
	Mode      string    `json:"mode"`
	Summary   string    `json:"summary"` // two or three sentences
	Points    []string  `json:"points"`  // specific changes, most important first
	Rewrite   string    `json:"rewrite"`
	Usage     Usage     `json:"usage"`
	Model     string    `json:"model"`
	CreatedAt time.Time `json:"createdAt"`
}

// Alternative is one better way to say a phrase.
type Alternative struct {
	Text string `json:"text"`
	When string `json:"when"` // when to use it
}

// Translation is how a phrase lands in a US workplace.
type Translation struct {
	Phrase        string        `json:"phrase"`
	Perception    string        `json:"perception"`
	HiddenMeaning string        `json:"hiddenMeaning"`
	Alternatives  []Alternative `json:"alternatives"` // exactly three
	Usage         Usage         `json:"usage"`
}

// UsageStatus is today's token use against the daily budget.
type UsageStatus struct {
	Day    string `json:"day"`    // local date, YYYY-MM-DD
	Used   int    `json:"used"`   // tokens today, from usageMetadata
	Budget int    `json:"budget"` // DefaultDailyBudget unless raised
	Warn   bool   `json:"warn"`   // used ≥ 80 % of budget
	Stop   bool   `json:"stop"`   // used ≥ budget: AI calls are refused until tomorrow or a raise
}

// DefaultDailyBudget is the daily token budget until the user changes it (the seed's quota).
const DefaultDailyBudget = 50_000

// QueueStatus is the offline queue's progress.
type QueueStatus struct {
	Pending int    `json:"pending"` // items waiting
	Done    int    `json:"done"`    // processed in the current run
	Total   int    `json:"total"`   // items in the current run (0 when idle)
	Running bool   `json:"running"`
	Current string `json:"current,omitempty"` // title of the item being processed
	Error   string `json:"error,omitempty"`   // why the last run stopped (e.g. still offline)
}

// ChatStore keeps each user's chats apart. Implementations return
// *cara.Error ENOTFOUND for an id that is unknown, deleted or another user's.
type ChatStore interface {
	SaveChat(ctx context.Context, userID string, c Chat) error // create or replace, atomically
	GetChat(ctx context.Context, userID, id string) (Chat, error)
	ListChats(ctx context.Context, userID string) ([]ChatSummary, error) // newest first
	DeleteChat(ctx context.Context, userID, id string) error
}

// ReviewUpdater stores a review again after Ask Cara changed its AI fields.
type ReviewUpdater interface {
	UpdateReview(ctx context.Context, userID string, r Review) error
}

// UsageStore counts tokens per user per local day and keeps the budget.
type UsageStore interface {
	// AddUsage adds tokens to userID's count for day and returns the new count.
	AddUsage(ctx context.Context, userID, day string, tokens int) (int, error)
	UsageOn(ctx context.Context, userID, day string) (int, error)
	// Budget returns 0 when the user never set one.
	Budget(ctx context.Context, userID string) (int, error)
	SetBudget(ctx context.Context, userID string, tokens int) error
}
