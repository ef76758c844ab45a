package coach

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"google.golang.org/genai"

	"github.com/cara-coach/cara/internal/cara"
	"github.com/cara-coach/cara/internal/gemini"
)

// Why AI feedback is pending (the queue finishes it later). The UI says
// "AI feedback pending" above the reason, so the reason doesn't repeat it.
// Offline, the reason starts with the cause (pendingOffline).
const (
	msgPendingOffline = "Cara will add it when Gemini is reachable again."
	msgPendingNoKey   = "Add your Gemini API key in Settings and Cara will add it."
	msgPendingBudget  = "Today's AI budget is used up: raise it in Settings, or Cara will add it tomorrow."
	msgPendingClosed  = "Cara closed before it arrived; it will be added when Gemini is reachable."
)

// pendingOffline is the pending reason when Gemini could not be reached:
// the cause as gemini words it ("Can't reach Gemini — check your
// connection"), so a retry that fails again says why, then what happens next.
func pendingOffline(err error) string {
	return strings.TrimRight(cara.ErrorMessage(err), ". ") + ". " + msgPendingOffline
}

// retryAt is when Gemini said err's call may be made again (a quota error
// with RetryInfo), counted from now; nil for any other error, or none.
func retryAt(err error, now time.Time) *time.Time {
	d, ok := gemini.RetryAfter(err)
	if !ok {
		return nil
	}
	at := now.Add(d).UTC()
	return &at
}

// aiOutcome is the AIStatus, AIError and AIErrorCode for a failed AI call:
// no key, no network, no budget or an interrupted call leave it pending for
// the queue; anything else (blocked, invalid key, unreadable reply …) failed.
func aiOutcome(ctx context.Context, err error) (status, reason, code string) {
	switch code := cara.ErrorCode(err); code {
	case cara.EOFFLINE:
		return AIPending, pendingOffline(err), code
	case cara.ENOKEY:
		return AIPending, msgPendingNoKey, code
	case cara.EBUDGET:
		return AIPending, msgPendingBudget, code
	}
	if ctx.Err() != nil || errors.Is(err, context.Canceled) {
		return AIPending, msgPendingClosed, ""
	}
	return AIFailed, cara.ErrorMessage(err), cara.ErrorCode(err)
}

// feedback asks Gemini to judge the ended chat and saves the result.
func (c *Chats) feedback(ctx context.Context, userID string, chat Chat) (Chat, error) {
	s, p, err := specsOf(chat)
	if err != nil {
		return Chat{}, err
	}
	said := userTexts(chat.Turns)
	req := gemini.Request{
		System:   feedbackSystemPrompt,
		Messages: []gemini.Message{{Role: "user", Text: feedbackUserPrompt(s, p, chat.Turns)}},
	}
	b, u, _, err := c.ai.generateJSON(ctx, userID, req, feedbackSchema(said), func(b []byte) error {
		_, err := decodeFeedback(b, said)
		return err
	})
	chat.Usage = chat.Usage.Add(usageOf(u))
	if err == nil {
		fb, derr := decodeFeedback(b, said)
		if derr != nil { // gemini validated it already; this would be a bug
			err = cara.Errorf(cara.EINTERNAL, "Gemini's feedback couldn't be read — retry")
		} else {
			chat.Feedback = &fb
			chat.AIStatus, chat.AIError, chat.AIErrorCode = AIReady, "", ""
		}
	}
	if err != nil {
		chat.AIStatus, chat.AIError, chat.AIErrorCode = aiOutcome(ctx, err)
	}
	chat.AIRetryAt = retryAt(err, c.now())
	saveCtx, cancel := afterCtx(ctx)
	defer cancel()
	if err := c.save(saveCtx, userID, &chat); err != nil {
		return Chat{}, err
	}
	return chat, nil
}

// dimensionNames are Feedback's scored dimensions, in order.
var dimensionNames = []string{"clarity", "pace", "confidence", "tone", "relevance", "structure"}

// feedbackSchema is the response schema for one chat: quotes and the
// original of the better version can only be the user's own words.
func feedbackSchema(userTurns []string) *genai.Schema {
	str := func(desc string) *genai.Schema { return &genai.Schema{Type: genai.TypeString, Description: desc} }
	score := func(desc string) *genai.Schema {
		return &genai.Schema{Type: genai.TypeInteger, Description: desc, Minimum: genai.Ptr(0.0), Maximum: genai.Ptr(100.0)}
	}
	enum := func(desc string, values []string) *genai.Schema {
		return &genai.Schema{Type: genai.TypeString, Format: "enum", Enum: values, Description: desc}
	}
	props := map[string]*genai.Schema{"overall": score("overall score, 0–100")}
	for _, name := range dimensionNames {
		props[name] = &genai.Schema{
			Type: genai.TypeObject,
			Properties: map[string]*genai.Schema{
				"score":    score(name + " score, 0–100"),
				"evidence": str("one sentence pointing at what the user wrote"),
			},
			Required:         []string{"score", "evidence"},
			PropertyOrdering: []string{"score", "evidence"},
		}
	}
	props["highlights"] = &genai.Schema{
		Type:     genai.TypeArray,
		MinItems: genai.Ptr[int64](1),
		MaxItems: genai.Ptr[int64](3),
		Items: &genai.Schema{
			Type: genai.TypeObject,
			Properties: map[string]*genai.Schema{
				"quote":   enum("the user's exact words", quoteChoices(userTurns)),
				"comment": str("one sentence: why it worked or what to change"),
			},
			Required:         []string{"quote", "comment"},
			PropertyOrdering: []string{"quote", "comment"},
		},
	}
	props["actionItems"] = &genai.Schema{
		Type:     genai.TypeArray,
		MinItems: genai.Ptr[int64](3),
		MaxItems: genai.Ptr[int64](3),
		Items:    str("one concrete thing to do next time, starting with a verb"),
	}
	props["betterVersion"] = &genai.Schema{
		Type: genai.TypeObject,
		Properties: map[string]*genai.Schema{
			"original": enum("the user's weakest turn, exactly", unique(userTurns)),
			"improved": str("the improved turn, in the user's voice, keeping their facts"),
			"why":      str("one or two sentences on what changed and why"),
		},
		Required:         []string{"original", "improved", "why"},
		PropertyOrdering: []string{"original", "improved", "why"},
	}
	order := append([]string{"overall"}, dimensionNames...)
	order = append(order, "highlights", "actionItems", "betterVersion")
	return &genai.Schema{Type: genai.TypeObject, Properties: props, Required: order, PropertyOrdering: order}
}

// quoteChoices are the sentences of the user's turns and the turns
// themselves, without repeats.
func quoteChoices(userTurns []string) []string {
	var all []string
	for _, t := range userTurns {
		all = append(all, sentences(t)...)
		all = append(all, t)
	}
	return unique(all)
}

// unique returns the non-blank trimmed strings of in, first occurrence kept.
func unique(in []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range in {
		if s = strings.TrimSpace(s); s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// sentences splits text after ., ! or ? (or …) followed by white space.
func sentences(text string) []string {
	var out []string
	runes := []rune(text)
	start := 0
	for i, r := range runes {
		if !strings.ContainsRune(".!?…", r) || i+1 >= len(runes) || !unicode.IsSpace(runes[i+1]) {
			continue
		}
		out = append(out, string(runes[start:i+1]))
		start = i + 1
	}
	return append(out, string(runes[start:]))
}

// decodeFeedback parses and checks Gemini's feedback. Its errors are sent
// back to Gemini for the repair retry, so they say what to fix.
func decodeFeedback(b []byte, userTurns []string) (Feedback, error) {
	var fb Feedback
	if err := json.Unmarshal(b, &fb); err != nil {
		return Feedback{}, fmt.Errorf("the JSON doesn't match the schema (%v)", err)
	}
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	if fb.Overall < 0 || fb.Overall > 100 {
		bad("overall must be 0 to 100")
	}
	dims := []Dimension{fb.Clarity, fb.Pace, fb.Confidence, fb.Tone, fb.Relevance, fb.Structure}
	for i, d := range dims {
		if d.Score < 0 || d.Score > 100 {
			bad("%s.score must be 0 to 100", dimensionNames[i])
		}
		if strings.TrimSpace(d.Evidence) == "" {
			bad("%s.evidence must be one sentence of evidence", dimensionNames[i])
		}
	}
	if n := len(fb.Highlights); n < 1 || n > 3 {
		bad("give 1 to 3 highlights, not %d", n)
	}
	for i, h := range fb.Highlights {
		if !quotesUser(h.Quote, userTurns) {
			bad("highlights[%d].quote must be copied exactly from the user's own turns", i)
		}
		if strings.TrimSpace(h.Comment) == "" {
			bad("highlights[%d].comment is empty", i)
		}
	}
	if len(fb.ActionItems) != 3 {
		bad("give exactly 3 actionItems, not %d", len(fb.ActionItems))
	}
	for i, a := range fb.ActionItems {
		if strings.TrimSpace(a) == "" {
			bad("actionItems[%d] is empty", i)
		}
	}
	if !slices.Contains(userTurns, strings.TrimSpace(fb.BetterVersion.Original)) {
		bad("betterVersion.original must be one of the user's turns, exactly")
	}
	if strings.TrimSpace(fb.BetterVersion.Improved) == "" {
		bad("betterVersion.improved is empty")
	}
	if strings.TrimSpace(fb.BetterVersion.Why) == "" {
		bad("betterVersion.why is empty")
	}
	if len(problems) > 0 {
		return Feedback{}, errors.New(strings.Join(problems, "; "))
	}
	fb.BetterVersion.Original = strings.TrimSpace(fb.BetterVersion.Original)
	for i := range fb.Highlights {
		fb.Highlights[i].Quote = strings.TrimSpace(fb.Highlights[i].Quote)
	}
	return fb, nil
}

// quotesUser reports whether q is verbatim from one of the user's turns.
func quotesUser(q string, userTurns []string) bool {
	q = strings.TrimSpace(q)
	if q == "" {
		return false
	}
	for _, t := range userTurns {
		if strings.Contains(t, q) {
			return true
		}
	}
	return false
}
