package coach

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"google.golang.org/genai"

	"github.com/cara-coach/cara/internal/cara"
	"github.com/cara-coach/cara/internal/gemini"
)

// MaxAskRunes is the longest review text Ask Cara sends to Gemini: longer
// texts would spend most of a day's budget on one rewrite.
const MaxAskRunes = 20_000

// AskCara adds Gemini's feedback and a rewrite to a saved review.
type AskCara struct {
	reviews interface {
		ReviewStore
		ReviewUpdater
	}
	ai  *AI
	now func() time.Time

	mu   sync.Mutex
	busy map[string]bool // userID + review id being asked now
}

// NewAskCara returns an AskCara over the user's reviews.
func NewAskCara(reviews interface {
	ReviewStore
	ReviewUpdater
}, ai *AI, now func() time.Time) *AskCara {
	return &AskCara{reviews: reviews, ai: ai, now: now, busy: map[string]bool{}}
}

// Ask asks Gemini about a review's text in mode (ModeStrict or
// ModeCreative) and saves the answer on the review. Gemini failures are not
// errors: they are on the review (AIStatus pending or failed, AIError);
// errors are for invalid input and storage.
func (a *AskCara) Ask(ctx context.Context, userID, reviewID, mode string) (Review, error) {
	if mode != ModeStrict && mode != ModeCreative {
		return Review{}, cara.Errorf(cara.EINVALID, "Pick strict or creative")
	}
	k := userID + "\x00" + reviewID
	a.mu.Lock()
	if a.busy[k] {
		a.mu.Unlock()
		return Review{}, cara.Errorf(cara.ECONFLICT, "Cara is already working on this text — wait a moment")
	}
	a.busy[k] = true
	a.mu.Unlock()
	defer func() {
		a.mu.Lock()
		delete(a.busy, k)
		a.mu.Unlock()
	}()

	r, err := a.reviews.GetReview(ctx, userID, reviewID)
	if err != nil {
		return Review{}, err
	}
	if utf8.RuneCountInString(r.Text) > MaxAskRunes {
		return Review{}, cara.Errorf(cara.ETOOLARGE, "Ask Cara works on texts up to 20,000 characters — review a shorter part")
	}
	req := gemini.Request{System: askCaraSystemPrompt(mode), Messages: []gemini.Message{{Role: "user", Text: r.Text}}}
	b, u, model, err := a.ai.generateJSON(ctx, userID, req, reviewAISchema(), func(b []byte) error {
		_, err := decodeReviewAI(b, r.Text)
		return err
	})
	if err == nil {
		got, derr := decodeReviewAI(b, r.Text)
		if derr != nil { // gemini validated it already; this would be a bug
			err = cara.Errorf(cara.EINTERNAL, "Gemini's answer couldn't be read — retry")
		} else {
			var before Usage
			if r.AI != nil {
				before = r.AI.Usage
			}
			got.Mode, got.Model, got.CreatedAt = mode, model, a.now().UTC()
			got.Usage = before.Add(usageOf(u))
			r.AI = &got
			r.AIStatus, r.AIError, r.AIErrorCode = AIReady, "", ""
		}
	}
	if err != nil {
		r.AIStatus, r.AIError, r.AIErrorCode = aiOutcome(ctx, err)
	}
	r.AIRetryAt = retryAt(err, a.now())
	r.AIMode = mode
	r.UpdatedHLC = cara.HLC{WallMS: a.now().UTC().UnixMilli()}
	saveCtx, cancel := afterCtx(ctx)
	defer cancel()
	if err := a.reviews.UpdateReview(saveCtx, userID, r); err != nil {
		return Review{}, err
	}
	return r, nil
}

func reviewAISchema() *genai.Schema {
	str := func(desc string) *genai.Schema { return &genai.Schema{Type: genai.TypeString, Description: desc} }
	order := []string{"summary", "points", "rewrite"}
	return &genai.Schema{
		Type: genai.TypeObject,
		Properties: map[string]*genai.Schema{
			"summary": str("two or three sentences on how the text reads to a US colleague"),
			"points": {
				Type:     genai.TypeArray,
				MinItems: genai.Ptr[int64](2),
				MaxItems: genai.Ptr[int64](5),
				Items:    str("one specific change, one sentence"),
			},
			"rewrite": str("the full improved text"),
		},
		Required:         order,
		PropertyOrdering: order,
	}
}

// decodeReviewAI parses and checks Ask Cara's answer; its errors tell
// Gemini what to fix in the repair retry.
func decodeReviewAI(b []byte, original string) (ReviewAI, error) {
	var got struct {
		Summary string   `json:"summary"`
		Points  []string `json:"points"`
		Rewrite string   `json:"rewrite"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		return ReviewAI{}, fmt.Errorf("the JSON doesn't match the schema (%v)", err)
	}
	var problems []string
	if strings.TrimSpace(got.Summary) == "" {
		problems = append(problems, "summary is empty")
	}
	if n := len(got.Points); n < 2 || n > 5 {
		problems = append(problems, fmt.Sprintf("give 2 to 5 points, not %d", n))
	}
	for i, p := range got.Points {
		if strings.TrimSpace(p) == "" {
			problems = append(problems, fmt.Sprintf("points[%d] is empty", i))
		}
	}
	rewrite := strings.TrimSpace(got.Rewrite)
	switch {
	case rewrite == "":
		problems = append(problems, "rewrite is empty")
	case utf8.RuneCountInString(rewrite) > 3*utf8.RuneCountInString(original)+20:
		problems = append(problems, "rewrite is far longer than the original; keep it to the same message")
	}
	if len(problems) > 0 {
		return ReviewAI{}, errors.New(strings.Join(problems, "; "))
	}
	points := make([]string, len(got.Points))
	for i, p := range got.Points {
		points[i] = strings.TrimSpace(p)
	}
	return ReviewAI{Summary: strings.TrimSpace(got.Summary), Points: points, Rewrite: rewrite}, nil
}
