package coach

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"google.golang.org/genai"

	"github.com/cara-coach/cara/internal/cara"
	"github.com/cara-coach/cara/internal/gemini"
)

// MaxPhraseRunes is the longest phrase the cultural translator takes.
const MaxPhraseRunes = 500

// Translator explains how a phrase lands in a US workplace.
type Translator struct {
	ai *AI
}

// NewTranslator returns a Translator.
func NewTranslator(ai *AI) *Translator { return &Translator{ai: ai} }

// Translate asks Gemini how phrase is perceived, what it may signal, and
// three better ways to say it. Nothing is saved; every error, Gemini's
// included, is a *cara.Error to show.
func (t *Translator) Translate(ctx context.Context, userID, phrase string) (Translation, error) {
	phrase = strings.TrimSpace(strings.ToValidUTF8(phrase, "\uFFFD"))
	if phrase == "" {
		return Translation{}, cara.Errorf(cara.EEMPTY, "Type a phrase to translate")
	}
	if utf8.RuneCountInString(phrase) > MaxPhraseRunes {
		return Translation{}, cara.Errorf(cara.ETOOLARGE, "That phrase is too long (max 500 characters) — try one or two sentences")
	}
	req := gemini.Request{System: translatorSystemPrompt, Messages: []gemini.Message{{Role: "user", Text: phrase}}}
	b, u, _, err := t.ai.generateJSON(ctx, userID, req, translationSchema(), func(b []byte) error {
		_, err := decodeTranslation(b)
		return err
	})
	if err != nil {
		return Translation{}, err
	}
	tr, err := decodeTranslation(b)
	if err != nil { // gemini validated it already; this would be a bug
		return Translation{}, cara.Errorf(cara.EINTERNAL, "Gemini's answer couldn't be read — retry")
	}
	tr.Phrase = phrase
	tr.Usage = usageOf(u)
	return tr, nil
}

func translationSchema() *genai.Schema {
	str := func(desc string) *genai.Schema { return &genai.Schema{Type: genai.TypeString, Description: desc} }
	order := []string{"perception", "hiddenMeaning", "alternatives"}
	return &genai.Schema{
		Type: genai.TypeObject,
		Properties: map[string]*genai.Schema{
			"perception":    str("how a typical US colleague would perceive the phrase"),
			"hiddenMeaning": str("what it may signal beyond its literal words"),
			"alternatives": {
				Type:     genai.TypeArray,
				MinItems: genai.Ptr[int64](3),
				MaxItems: genai.Ptr[int64](3),
				Items: &genai.Schema{
					Type: genai.TypeObject,
					Properties: map[string]*genai.Schema{
						"text": str("a better way to say it"),
						"when": str("the situation it suits"),
					},
					Required:         []string{"text", "when"},
					PropertyOrdering: []string{"text", "when"},
				},
			},
		},
		Required:         order,
		PropertyOrdering: order,
	}
}

// decodeTranslation parses and checks the translator's answer.
func decodeTranslation(b []byte) (Translation, error) {
	var tr Translation
	if err := json.Unmarshal(b, &tr); err != nil {
		return Translation{}, fmt.Errorf("the JSON doesn't match the schema (%v)", err)
	}
	var problems []string
	if strings.TrimSpace(tr.Perception) == "" {
		problems = append(problems, "perception is empty")
	}
	if strings.TrimSpace(tr.HiddenMeaning) == "" {
		problems = append(problems, "hiddenMeaning is empty")
	}
	if len(tr.Alternatives) != 3 {
		problems = append(problems, fmt.Sprintf("give exactly 3 alternatives, not %d", len(tr.Alternatives)))
	}
	for i, a := range tr.Alternatives {
		if strings.TrimSpace(a.Text) == "" || strings.TrimSpace(a.When) == "" {
			problems = append(problems, fmt.Sprintf("alternatives[%d] needs both text and when", i))
		}
	}
	if len(problems) > 0 {
		return Translation{}, errors.New(strings.Join(problems, "; "))
	}
	return Translation{
		Perception:    strings.TrimSpace(tr.Perception),
		HiddenMeaning: strings.TrimSpace(tr.HiddenMeaning),
		Alternatives:  tr.Alternatives,
	}, nil
}
