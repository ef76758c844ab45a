package coach

import (
	"context"
	"sync"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"google.golang.org/genai"

	"github.com/cara-coach/cara/internal/cara"
	"github.com/cara-coach/cara/internal/gemini"
)

// AIClient is what coach needs from *gemini.Client (satisfied by it).
type AIClient interface {
	Model() string
	Stream(ctx context.Context, req gemini.Request, onChunk func(text string)) (gemini.Reply, error)
	GenerateJSON(ctx context.Context, req gemini.Request, schema *genai.Schema, validate func([]byte) error) ([]byte, gemini.Usage, error)
}

// ClientSource returns the user's client; *cara.Error ENOKEY when no key.
type ClientSource func(ctx context.Context, userID string) (AIClient, error)

// Daily budget limits the user can set.
const (
	MinDailyBudget = 1_000
	MaxDailyBudget = 10_000_000
)

// warnShare of the budget turns UsageStatus.Warn on.
const warnShare = 0.8

// AI is the one door to Gemini for every AI feature: it gets the user's
// client, refuses calls once the daily budget is spent, and counts the
// tokens Gemini reports for each call.
type AI struct {
	clients ClientSource
	usage   UsageStore
	now     func() time.Time

	mu      sync.Mutex
	onUsage func(userID string, s UsageStatus)
}

// NewAI returns an AI over the user's clients and the usage counters.
func NewAI(clients ClientSource, usage UsageStore, now func() time.Time) *AI {
	return &AI{clients: clients, usage: usage, now: now}
}

// OnUsage sets a hook called whenever today's status changes: after each
// call that used tokens, and when the budget is changed (the app emits an
// "ai:usage" event from it, so every screen showing usage stays right).
func (a *AI) OnUsage(fn func(userID string, s UsageStatus)) {
	a.mu.Lock()
	a.onUsage = fn
	a.mu.Unlock()
}

// day is the local calendar day of now(), the key of the daily count.
func (a *AI) day() string { return a.now().Local().Format(time.DateOnly) }

// Usage returns today's token use against the budget.
func (a *AI) Usage(ctx context.Context, userID string) (UsageStatus, error) {
	day := a.day()
	used, err := a.usage.UsageOn(ctx, userID, day)
	if err != nil {
		return UsageStatus{}, err
	}
	budget, err := a.budget(ctx, userID)
	if err != nil {
		return UsageStatus{}, err
	}
	return usageStatus(day, used, budget), nil
}

// SetBudget changes the user's daily token budget.
func (a *AI) SetBudget(ctx context.Context, userID string, tokens int) (UsageStatus, error) {
	if tokens < MinDailyBudget || tokens > MaxDailyBudget {
		return UsageStatus{}, cara.Errorf(cara.EINVALID, "Set a daily AI budget between %s and %s tokens.",
			formatTokens(MinDailyBudget), formatTokens(MaxDailyBudget))
	}
	if err := a.usage.SetBudget(ctx, userID, tokens); err != nil {
		return UsageStatus{}, err
	}
	st, err := a.Usage(ctx, userID)
	if err == nil {
		a.notify(userID, st)
	}
	return st, err
}

// notify hands st to the OnUsage hook, if there is one.
func (a *AI) notify(userID string, st UsageStatus) {
	a.mu.Lock()
	hook := a.onUsage
	a.mu.Unlock()
	if hook != nil {
		hook(userID, st)
	}
}

func (a *AI) budget(ctx context.Context, userID string) (int, error) {
	b, err := a.usage.Budget(ctx, userID)
	if err != nil {
		return 0, err
	}
	if b <= 0 {
		b = DefaultDailyBudget
	}
	return b, nil
}

func usageStatus(day string, used, budget int) UsageStatus {
	return UsageStatus{
		Day:    day,
		Used:   used,
		Budget: budget,
		Warn:   float64(used) >= warnShare*float64(budget),
		Stop:   used >= budget,
	}
}

// BudgetMessage is what the user sees when today's budget is spent.
func BudgetMessage(budget int) string {
	return "You've used today's AI budget (" + formatTokens(budget) +
		" tokens). Raise it in Settings to keep practising."
}

func formatTokens(n int) string {
	return message.NewPrinter(language.English).Sprintf("%d", n)
}

// client returns the user's client, or EBUDGET when today's budget is spent.
func (a *AI) client(ctx context.Context, userID string) (AIClient, error) {
	st, err := a.Usage(ctx, userID)
	if err != nil {
		return nil, err
	}
	if st.Stop {
		return nil, cara.Errorf(cara.EBUDGET, "%s", BudgetMessage(st.Budget))
	}
	c, err := a.clients(ctx, userID)
	if err != nil {
		return nil, err
	}
	if c == nil {
		return nil, cara.Errorf(cara.EINTERNAL, "Gemini isn't set up")
	}
	return c, nil
}

// record adds a call's tokens to today's count. A failure to count is not
// passed on: the reply the user waited for matters more than the counter.
func (a *AI) record(ctx context.Context, userID string, u gemini.Usage) {
	if u.TotalTokens <= 0 {
		return
	}
	// Count even when the caller's context is over (Stop, shutdown).
	ctx, cancel := afterCtx(ctx)
	defer cancel()
	day := a.day()
	used, err := a.usage.AddUsage(ctx, userID, day, u.TotalTokens)
	if err != nil {
		return
	}
	budget, err := a.budget(ctx, userID)
	if err != nil {
		return
	}
	a.notify(userID, usageStatus(day, used, budget))
}

// stream streams one reply and counts its tokens, partial ones included.
func (a *AI) stream(ctx context.Context, userID string, req gemini.Request, onChunk func(string)) (gemini.Reply, error) {
	c, err := a.client(ctx, userID)
	if err != nil {
		return gemini.Reply{}, err
	}
	rep, err := c.Stream(ctx, req, onChunk)
	a.record(ctx, userID, rep.Usage)
	return rep, err
}

// generateJSON asks for schema-shaped JSON (with gemini's one repair retry)
// and counts the tokens of every attempt. It also returns the model used.
func (a *AI) generateJSON(ctx context.Context, userID string, req gemini.Request, schema *genai.Schema, validate func([]byte) error) ([]byte, gemini.Usage, string, error) {
	c, err := a.client(ctx, userID)
	if err != nil {
		return nil, gemini.Usage{}, "", err
	}
	model := c.Model()
	if req.Model != "" {
		model = req.Model
	}
	b, u, err := c.GenerateJSON(ctx, req, schema, validate)
	a.record(ctx, userID, u)
	return b, u, model, err
}

// usageOf converts gemini's counts to the stored ones.
func usageOf(u gemini.Usage) Usage {
	return Usage{PromptTokens: u.PromptTokens, CandidatesTokens: u.CandidatesTokens, TotalTokens: u.TotalTokens}
}

// Add returns u + v.
func (u Usage) Add(v Usage) Usage {
	return Usage{u.PromptTokens + v.PromptTokens, u.CandidatesTokens + v.CandidatesTokens, u.TotalTokens + v.TotalTokens}
}

// saveTimeout bounds a save made after the caller's context ended.
const saveTimeout = 5 * time.Second

// afterCtx is a short context for work that must finish even when ctx was
// cancelled (saving a partial reply at shutdown).
func afterCtx(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), saveTimeout)
}
