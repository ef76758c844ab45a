package geminitest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"google.golang.org/genai"

	"github.com/cara-coach/cara/internal/gemini"
	"github.com/cara-coach/cara/internal/gemini/geminitest"
)

// testSchema is the test's own reading of Gemini's Schema, for check.
type testSchema struct {
	Type             string                 `json:"type"`
	Enum             []string               `json:"enum"`
	Properties       map[string]*testSchema `json:"properties"`
	PropertyOrdering []string               `json:"propertyOrdering"`
	Required         []string               `json:"required"`
	Items            *testSchema            `json:"items"`
	MinItems         *json.Number           `json:"minItems"`
	MaxItems         *json.Number           `json:"maxItems"`
	MaxLength        *json.Number           `json:"maxLength"`
	Minimum          *float64               `json:"minimum"`
	Maximum          *float64               `json:"maximum"`
}

func num(n *json.Number) (int, bool) {
	if n == nil {
		return 0, false
	}
	v, err := strconv.Atoi(strings.Trim(n.String(), `"`))
	return v, err == nil
}

// check reports the first way v breaks s.
func check(s *testSchema, v any, path string) error {
	typ := strings.ToUpper(s.Type)
	if len(s.Enum) > 0 && typ == "STRING" {
		str, ok := v.(string)
		if !ok || !slices.Contains(s.Enum, str) {
			return fmt.Errorf("%s: %v is not one of %q", path, v, s.Enum)
		}
		return nil
	}
	switch typ {
	case "OBJECT":
		obj, ok := v.(map[string]any)
		if !ok {
			return fmt.Errorf("%s: %T is not an object", path, v)
		}
		for _, r := range s.Required {
			if _, ok := obj[r]; !ok {
				return fmt.Errorf("%s: required %q missing", path, r)
			}
		}
		for k, fv := range obj {
			p, ok := s.Properties[k]
			if !ok {
				return fmt.Errorf("%s: unknown property %q", path, k)
			}
			if err := check(p, fv, path+"."+k); err != nil {
				return err
			}
		}
	case "ARRAY":
		arr, ok := v.([]any)
		if !ok {
			return fmt.Errorf("%s: %T is not an array", path, v)
		}
		if n, ok := num(s.MinItems); ok && len(arr) < n {
			return fmt.Errorf("%s: %d items, minItems %d", path, len(arr), n)
		}
		if n, ok := num(s.MaxItems); ok && len(arr) > n {
			return fmt.Errorf("%s: %d items, maxItems %d", path, len(arr), n)
		}
		for i, it := range arr {
			if err := check(s.Items, it, fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case "INTEGER", "NUMBER":
		f, ok := v.(float64)
		if !ok {
			return fmt.Errorf("%s: %T is not a number", path, v)
		}
		if typ == "INTEGER" && f != float64(int64(f)) {
			return fmt.Errorf("%s: %v is not an integer", path, f)
		}
		if s.Minimum != nil && f < *s.Minimum || s.Maximum != nil && f > *s.Maximum {
			return fmt.Errorf("%s: %v outside [%v, %v]", path, f, s.Minimum, s.Maximum)
		}
	case "BOOLEAN":
		if _, ok := v.(bool); !ok {
			return fmt.Errorf("%s: %T is not a boolean", path, v)
		}
	case "STRING":
		str, ok := v.(string)
		if !ok || str == "" {
			return fmt.Errorf("%s: %v is not a non-empty string", path, v)
		}
		if n, ok := num(s.MaxLength); ok && len([]rune(str)) > n {
			return fmt.Errorf("%s: %d runes, maxLength %d", path, len([]rune(str)), n)
		}
	default:
		return fmt.Errorf("%s: test schema type %q unknown", path, s.Type)
	}
	return nil
}

// keyOrder returns the keys of the top-level object in b, in order.
func keyOrder(t *testing.T, b []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("not an object: %s", b)
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

const userTurns = "I basically led the migration of our billing system. We cut costs by 10%. I think it went really well."

const dimension = `{"type":"OBJECT","properties":{"score":{"type":"INTEGER","minimum":0,"maximum":100},"evidence":{"type":"STRING"}},"required":["score","evidence"],"propertyOrdering":["score","evidence"]}`

var feedbackSchema = `{"type":"OBJECT","properties":{
  "overall":{"type":"INTEGER","minimum":0,"maximum":100},
  "clarity":` + dimension + `,"pace":` + dimension + `,"confidence":` + dimension + `,
  "tone":` + dimension + `,"relevance":` + dimension + `,"structure":` + dimension + `,
  "highlights":{"type":"ARRAY","minItems":"1","maxItems":"3","items":{"type":"OBJECT","properties":{
     "quote":{"type":"STRING","format":"enum","enum":["I basically led the migration of our billing system.","We cut costs by 10%.","I think it went really well."]},
     "comment":{"type":"STRING"}},"required":["quote","comment"]}},
  "actionItems":{"type":"ARRAY","minItems":3,"maxItems":3,"items":{"type":"STRING"}},
  "betterVersion":{"type":"OBJECT","properties":{
     "original":{"type":"STRING","format":"enum","enum":["I think it went really well."]},
     "improved":{"type":"STRING"},"why":{"type":"STRING"}},"required":["original","improved","why"]}},
 "required":["overall","clarity","pace","confidence","tone","relevance","structure","highlights","actionItems","betterVersion"],
 "propertyOrdering":["overall","clarity","pace","confidence","tone","relevance","structure","highlights","actionItems","betterVersion"]}`

func TestReplyForSchemaValid(t *testing.T) {
	tests := []struct {
		name   string
		schema string
		// extra checks on the decoded reply
		more func(t *testing.T, v map[string]any)
	}{
		{"feedback", feedbackSchema, func(t *testing.T, v map[string]any) {
			scores := map[float64]bool{}
			for _, d := range []string{"clarity", "pace", "confidence", "tone", "relevance", "structure"} {
				s := v[d].(map[string]any)["score"].(float64)
				if s < 55 || s > 90 {
					t.Errorf("%s score = %v, want 55–90", d, s)
				}
				scores[s] = true
			}
			if len(scores) < 3 {
				t.Errorf("dimension scores barely vary: %v", scores)
			}
			hs := v["highlights"].([]any)
			quotes := map[string]bool{}
			for _, h := range hs {
				quotes[h.(map[string]any)["quote"].(string)] = true
			}
			if len(hs) != 3 || len(quotes) != 3 {
				t.Errorf("highlights = %v, want 3 with distinct quotes", hs)
			}
			ai := v["actionItems"].([]any)
			if ai[0] == ai[1] || ai[1] == ai[2] || ai[0] == ai[2] {
				t.Errorf("action items repeat: %v", ai)
			}
			bv := v["betterVersion"].(map[string]any)
			if got, want := bv["improved"], "It went well."; got != want {
				t.Errorf("improved = %q, want %q (the original, cleaned up)", got, want)
			}
		}},
		{"array bounds above and below the default", `{"type":"OBJECT","properties":{
			"few":{"type":"ARRAY","maxItems":2,"items":{"type":"STRING"}},
			"many":{"type":"ARRAY","minItems":5,"items":{"type":"INTEGER","minimum":1,"maximum":5}},
			"plain":{"type":"ARRAY","items":{"type":"BOOLEAN"}}}}`, func(t *testing.T, v map[string]any) {
			if n := len(v["few"].([]any)); n != 2 {
				t.Errorf("few has %d items, want 2", n)
			}
			if n := len(v["many"].([]any)); n != 5 {
				t.Errorf("many has %d items, want 5", n)
			}
			if n := len(v["plain"].([]any)); n != 3 {
				t.Errorf("plain has %d items, want 3", n)
			}
		}},
		{"numbers with one bound or none", `{"type":"OBJECT","properties":{
			"atLeast":{"type":"INTEGER","minimum":10},
			"atMost":{"type":"INTEGER","maximum":-3},
			"ratio":{"type":"NUMBER","minimum":0,"maximum":1},
			"free":{"type":"NUMBER"},
			"tight":{"type":"INTEGER","minimum":7,"maximum":7}}}`, func(t *testing.T, v map[string]any) {
			if v["tight"] != 7.0 {
				t.Errorf("tight = %v, want 7", v["tight"])
			}
		}},
		{"enum cycles through its values", `{"type":"ARRAY","minItems":4,"maxItems":4,"items":{"type":"STRING","format":"enum","enum":["strict","creative"]}}`, nil},
		{"string length cap", `{"type":"OBJECT","properties":{"summary":{"type":"STRING","maxLength":12}}}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s testSchema
			if err := json.Unmarshal([]byte(tt.schema), &s); err != nil {
				t.Fatalf("bad test schema: %v", err)
			}
			b, err := geminitest.ReplyForSchema([]byte(tt.schema), userTurns)
			if err != nil {
				t.Fatal(err)
			}
			var v any
			if err := json.Unmarshal(b, &v); err != nil {
				t.Fatalf("reply is not JSON: %v\n%s", err, b)
			}
			if err := check(&s, v, "$"); err != nil {
				t.Fatalf("reply breaks the schema: %v\n%s", err, b)
			}
			again, _ := geminitest.ReplyForSchema([]byte(tt.schema), userTurns)
			if !bytes.Equal(b, again) {
				t.Errorf("not deterministic:\n%s\n%s", b, again)
			}
			if len(s.PropertyOrdering) > 0 {
				if got := keyOrder(t, b); !slices.Equal(got, s.PropertyOrdering) {
					t.Errorf("key order = %v, want %v", got, s.PropertyOrdering)
				}
			}
			if m, ok := v.(map[string]any); ok && tt.more != nil {
				tt.more(t, m)
			}
		})
	}
}

func TestReplyForSchemaEnumCycles(t *testing.T) {
	b, err := geminitest.ReplyForSchema([]byte(`{"type":"ARRAY","minItems":5,"maxItems":5,"items":{"type":"STRING","enum":["a","b","c"]}}`), "")
	if got, want := string(b), `["a","b","c","a","b"]`; err != nil || got != want {
		t.Errorf("got %s, %v; want %s", got, err, want)
	}
	b, err = geminitest.ReplyForSchema([]byte(`{"type":"INTEGER","format":"enum","enum":["101","201"]}`), "")
	if got, want := string(b), `101`; err != nil || got != want {
		t.Errorf("integer enum: got %s, %v; want %s", got, err, want)
	}
}

func TestReplyForSchemaJSONSchemaDialect(t *testing.T) {
	schema := `{"type":"object","properties":{"note":{"type":["string","null"]},"count":{"type":"integer","minimum":0,"maximum":4}},"required":["note","count"]}`
	b, err := geminitest.ReplyForSchema([]byte(schema), "hi")
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Note  *string
		Count *int
	}
	if err := json.Unmarshal(b, &v); err != nil || v.Note == nil || *v.Note == "" || v.Count == nil || *v.Count < 0 || *v.Count > 4 {
		t.Errorf("got %s, %v", b, err)
	}
}

func TestReplyForSchemaErrors(t *testing.T) {
	tests := []struct {
		name, schema, want string
	}{
		{"not JSON", `{"type":`, "invalid response schema"},
		{"min above max items", `{"type":"ARRAY","minItems":4,"maxItems":2,"items":{"type":"STRING"}}`, "minItems 4 is above maxItems 2"},
		{"no integer in range", `{"type":"INTEGER","minimum":0.2,"maximum":0.8}`, "no value between"},
		{"unknown type", `{"type":"DATE"}`, `unknown type "DATE"`},
		{"required not defined", `{"type":"OBJECT","properties":{"a":{"type":"STRING"}},"required":["b"]}`, `required property "b"`},
		{"array without items", `{"type":"ARRAY"}`, "array without items"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := geminitest.ReplyForSchema([]byte(tt.schema), "")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %s, %v; want error containing %q", b, err, tt.want)
			}
		})
	}
}

var fillers = []string{"i think", "i guess", "sort of", "kind of", "basically", "actually", "really", "just", "maybe", "perhaps"}

// wordsWithoutFillers lower-cases s, drops the documented fillers, the
// punctuation spacing and the commas they leave behind, and returns the
// remaining words.
func wordsWithoutFillers(s string) []string {
	s = strings.ToLower(s)
	for _, f := range fillers {
		s = regexp.MustCompile(`\b`+f+`\b,?`).ReplaceAllString(s, " ")
	}
	s = regexp.MustCompile(`\s+([,.;:!?])`).ReplaceAllString(s, "$1")
	s = regexp.MustCompile(`,(?:\s*,)+`).ReplaceAllString(s, ",")
	s = regexp.MustCompile(`,([.;:!?])`).ReplaceAllString(s, "$1")
	return strings.Fields(s)
}

func TestRewriteIsCleanedUpInput(t *testing.T) {
	schema := []byte(`{"type":"OBJECT","properties":{"rewrite":{"type":"STRING"},"summary":{"type":"STRING"}}}`)
	tests := []struct {
		name, in, want string
		block          string // the part of in that is rewritten, if not all of it
	}{
		{"fillers and a comma", "Actually, I just wanted to say the launch went really well.", "I wanted to say the launch went well.", ""},
		{"phrases", "I think we should sort of move the deadline. it is basically ready.", "We should move the deadline. It is ready.", ""},
		{"spaces and punctuation", "hi team ,  the   report is  done .   thanks!", "Hi team, the report is done. Thanks!", ""},
		{"any case", "JUST checking: Really, Basically done.", "Checking: done.", ""},
		{"words containing fillers stay", "We adjusted the justification; truly final.", "We adjusted the justification; truly final.", ""},
		{"lines", "first line here  \n  second line, just one", "First line here\nSecond line, one", ""},
		{"prompt block", "Rewrite the text in strict mode.\n<text>\nwe basically shipped it.\n</text>", "We shipped it.", "we basically shipped it."},
		{"fenced block", "Rewrite this:\n```\nI really mean it.\n```", "I mean it.", "I really mean it."},
		{"nothing to do", "The report is ready.", "The report is ready.", ""},
		{"no comma before a full stop", "Overall we shipped on time, really.", "Overall we shipped on time.", ""},
		{"no doubled comma", "So, basically, we are done, and, actually, early.", "So, we are done, and, early.", ""},
		{"no comma opening a sentence", "Done. Really, just, it went fine.", "Done. It went fine.", ""},
		{"no comma before a question mark", "Can we ship on Friday, maybe?", "Can we ship on Friday?", ""},
		{"hedges", "I guess we could perhaps move it. Maybe Monday.", "We could move it. Monday.", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := geminitest.ReplyForSchema(schema, tt.in)
			if err != nil {
				t.Fatal(err)
			}
			var v struct{ Rewrite, Summary string }
			if err := json.Unmarshal(b, &v); err != nil {
				t.Fatal(err)
			}
			if v.Rewrite != tt.want {
				t.Errorf("rewrite = %q, want %q", v.Rewrite, tt.want)
			}
			if got := geminitest.CleanUp(tt.want); got != tt.want {
				t.Errorf("CleanUp is not stable: %q → %q", tt.want, got)
			}
			// Apart from the clean-ups, the words are the input's, in order.
			block := tt.in
			if tt.block != "" {
				block = tt.block
			}
			if got, want := wordsWithoutFillers(v.Rewrite), wordsWithoutFillers(block); !slices.Equal(got, want) {
				t.Errorf("words = %q, want %q", got, want)
			}
			if v.Summary == "" || v.Summary == v.Rewrite {
				t.Errorf("summary = %q", v.Summary)
			}
		})
	}
}

// TestServerFillsSchemaThroughClient sends a real genai.Schema through the
// gemini client: the fake must read what genai writes.
func TestServerFillsSchemaThroughClient(t *testing.T) {
	s := geminitest.New(geminitest.Options{})
	defer s.Close()
	c, err := gemini.New(context.Background(), gemini.Config{APIKey: s.APIKey(), BaseURL: s.URL()})
	if err != nil {
		t.Fatal(err)
	}
	zero, hundred, three := 0.0, 100.0, int64(3)
	schema := &genai.Schema{
		Type: genai.TypeObject,
		Properties: map[string]*genai.Schema{
			"score":  {Type: genai.TypeInteger, Minimum: &zero, Maximum: &hundred},
			"points": {Type: genai.TypeArray, MinItems: &three, MaxItems: &three, Items: &genai.Schema{Type: genai.TypeString}},
			"mode":   {Type: genai.TypeString, Format: "enum", Enum: []string{"strict", "creative"}},
		},
		Required:         []string{"score", "points", "mode"},
		PropertyOrdering: []string{"score", "points", "mode"},
	}
	b, _, err := c.GenerateJSON(context.Background(), gemini.Request{Messages: []gemini.Message{{Role: "user", Text: "review this"}}}, schema, nil)
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Score  int
		Points []string
		Mode   string
	}
	if err := json.Unmarshal(b, &v); err != nil || v.Score < 55 || v.Score > 90 || len(v.Points) != 3 || v.Mode != "strict" {
		t.Errorf("got %s, %v", b, err)
	}
}

func TestServerRejectsImpossibleSchema(t *testing.T) {
	s := geminitest.New(geminitest.Options{})
	defer s.Close()
	body := `{"contents":[{"role":"user","parts":[{"text":"hi"}]}],"generationConfig":{"responseMimeType":"application/json","responseSchema":{"type":"ARRAY","minItems":3,"maxItems":1,"items":{"type":"STRING"}}}}`
	resp := post(t, s.URL()+"/v1beta/models/gemini-2.5-flash:generateContent", s.APIKey(), body)
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 400 || !strings.Contains(string(b), `"INVALID_ARGUMENT"`) {
		t.Errorf("got %d %s, want 400 INVALID_ARGUMENT", resp.StatusCode, b)
	}
}

// TestServerRewritesAndEvidenceFollowTheRequest: a rewrite asked for with
// "restructure" in the instructions differs from a plain one (its last
// sentence comes first), and each dimension's evidence is about it.
func TestServerRewritesAndEvidenceFollowTheRequest(t *testing.T) {
	s := geminitest.New(geminitest.Options{})
	defer s.Close()
	c, err := gemini.New(context.Background(), gemini.Config{APIKey: s.APIKey(), BaseURL: s.URL()})
	if err != nil {
		t.Fatal(err)
	}
	str := &genai.Schema{Type: genai.TypeString}
	dim := &genai.Schema{Type: genai.TypeObject, Properties: map[string]*genai.Schema{"evidence": str}, Required: []string{"evidence"}}
	schema := &genai.Schema{
		Type:       genai.TypeObject,
		Properties: map[string]*genai.Schema{"rewrite": str, "pace": dim, "tone": dim},
		Required:   []string{"rewrite", "pace", "tone"},
	}
	text := "I just wanted to share the update. Could we meet on Friday?"
	ask := func(system string) (v struct {
		Rewrite string
		Pace    struct{ Evidence string }
		Tone    struct{ Evidence string }
	}) {
		t.Helper()
		b, _, err := c.GenerateJSON(context.Background(), gemini.Request{System: system, Messages: []gemini.Message{{Role: "user", Text: text}}}, schema, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	strict := ask("Keep the facts; fix clarity, grammar and tone.")
	creative := ask("Restructure freely; keep the truth.")
	if strict.Rewrite != "I wanted to share the update. Could we meet on Friday?" {
		t.Errorf("strict rewrite = %q", strict.Rewrite)
	}
	if creative.Rewrite != "Could we meet on Friday? I wanted to share the update." {
		t.Errorf("creative rewrite = %q", creative.Rewrite)
	}
	if !strings.Contains(strict.Pace.Evidence, "pace") || !strings.Contains(strict.Tone.Evidence, "tone") {
		t.Errorf("evidence not about its dimension: pace %q, tone %q", strict.Pace.Evidence, strict.Tone.Evidence)
	}
}

// feedbackSchemaFor is the shape of schema Cara asks for a chat's
// feedback: quotes from the user's sentences and turns, the better
// version's original one of the turns.
func feedbackSchemaFor(turns ...string) string {
	enum := func(vals []string) string {
		b, _ := json.Marshal(vals)
		return `{"type":"STRING","format":"enum","enum":` + string(b) + `}`
	}
	var quotes []string
	for _, t := range turns {
		for _, s := range regexp.MustCompile(`[^.!?]+[.!?]*`).FindAllString(t, -1) {
			if s = strings.TrimSpace(s); s != "" && !slices.Contains(quotes, s) {
				quotes = append(quotes, s)
			}
		}
		if !slices.Contains(quotes, t) {
			quotes = append(quotes, t)
		}
	}
	s := strings.Replace(feedbackSchema, enum([]string{"I basically led the migration of our billing system.", "We cut costs by 10%.", "I think it went really well."}), enum(quotes), 1)
	return strings.Replace(s, enum([]string{"I think it went really well."}), enum(turns), 1)
}

type feedbackReply struct {
	Overall    float64
	Dims       map[string]float64
	Evidence   map[string]string
	Highlights []struct{ Quote, Comment string }
	Better     struct{ Original, Improved, Why string }
}

func feedbackFor(t *testing.T, turns ...string) feedbackReply {
	t.Helper()
	schema := feedbackSchemaFor(turns...)
	var ts testSchema
	if err := json.Unmarshal([]byte(schema), &ts); err != nil {
		t.Fatalf("test schema: %v", err)
	}
	b, err := geminitest.ReplyForSchema([]byte(schema), "Transcript:\nUSER: "+strings.Join(turns, "\nUSER: "))
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	if err := check(&ts, v, "$"); err != nil {
		t.Fatalf("reply breaks the schema: %v\n%s", err, b)
	}
	var raw struct {
		Overall       float64
		Highlights    []struct{ Quote, Comment string }
		BetterVersion struct{ Original, Improved, Why string }
	}
	_ = json.Unmarshal(b, &raw)
	r := feedbackReply{Overall: raw.Overall, Dims: map[string]float64{}, Evidence: map[string]string{}, Highlights: raw.Highlights, Better: raw.BetterVersion}
	for _, d := range []string{"clarity", "pace", "confidence", "tone", "relevance", "structure"} {
		dim := v[d].(map[string]any)
		r.Dims[d], r.Evidence[d] = dim["score"].(float64), dim["evidence"].(string)
	}
	return r
}

// TestFeedbackFollowsTheWords: the fake's feedback differs from one
// conversation to the next the way the words do, and stays the same for
// the same words.
func TestFeedbackFollowsTheWords(t *testing.T) {
	hedgy := []string{"I just think we could maybe move the launch. I guess it is sort of late.", "Basically, I really kind of want more time."}
	crisp := []string{"We launch on 12 May. Thanks for the quick review.", "Costs fell 30% in the first quarter, and churn halved."}
	a, b := feedbackFor(t, hedgy...), feedbackFor(t, crisp...)
	if fmt.Sprint(a.Dims) == fmt.Sprint(b.Dims) {
		t.Errorf("two different conversations got the same scores: %v", a.Dims)
	}
	if a.Dims["confidence"] >= b.Dims["confidence"] || a.Dims["clarity"] >= b.Dims["clarity"] {
		t.Errorf("fillers should cost confidence and clarity: hedgy %v, crisp %v", a.Dims, b.Dims)
	}
	for _, fb := range []feedbackReply{a, b} {
		sum := 0.0
		for _, s := range fb.Dims {
			sum += s
		}
		if mean := sum / 6; fb.Overall < mean-1 || fb.Overall > mean+1 {
			t.Errorf("overall %v, want about the mean of %v", fb.Overall, fb.Dims)
		}
	}
	if again := feedbackFor(t, hedgy...); fmt.Sprint(again) != fmt.Sprint(a) {
		t.Errorf("not deterministic:\n%v\n%v", a, again)
	}
	if !strings.Contains(a.Evidence["confidence"], "undercut your confidence") {
		t.Errorf("hedgy confidence %v: evidence %q", a.Dims["confidence"], a.Evidence["confidence"])
	}
	if !strings.Contains(b.Evidence["confidence"], "You spoke with confidence") {
		t.Errorf("crisp confidence %v: evidence %q", b.Dims["confidence"], b.Evidence["confidence"])
	}
}

// TestFeedbackHighlightsAndBetterVersion: quotes don't overlap (no third
// highlight that is the first two joined), comments are about their
// quote, and the better version rewrites the turn with the most to
// improve, saying what changed, or says it needs no change.
func TestFeedbackHighlightsAndBetterVersion(t *testing.T) {
	tests := []struct {
		name       string
		turns      []string
		quotes     []string
		original   string
		improved   string
		whyHas     string
		commentHas string // in the first highlight's comment
	}{
		{"two sentences and one turn: two highlights",
			[]string{"We cut costs by 10%. Churn fell too.", "It went really well, actually."},
			[]string{"We cut costs by 10%.", "Churn fell too.", "It went really well, actually."},
			"It went really well, actually.", "It went well.", "“really” and “actually”", "The number makes this concrete"},
		{"one turn of two sentences",
			[]string{"I led the move. It took six weeks."},
			[]string{"I led the move.", "It took six weeks."},
			"I led the move. It took six weeks.", "I led the move. It took six weeks.", "keep it as it is", "specific"},
		{"the weakest turn is not the first",
			[]string{"I led the move of our billing system in six weeks.", "I think it was, just, fine."},
			[]string{"I led the move of our billing system in six weeks.", "I think it was, just, fine."},
			"I think it was, just, fine.", "It was, fine.", "“i think” and “just”", "specific"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fb := feedbackFor(t, tt.turns...)
			var quotes []string
			for _, h := range fb.Highlights {
				quotes = append(quotes, h.Quote)
			}
			if !slices.Equal(quotes, tt.quotes) {
				t.Errorf("quotes = %q, want %q", quotes, tt.quotes)
			}
			if !strings.Contains(fb.Highlights[0].Comment, tt.commentHas) {
				t.Errorf("comment on %q = %q, want it to have %q", quotes[0], fb.Highlights[0].Comment, tt.commentHas)
			}
			if fb.Better.Original != tt.original || fb.Better.Improved != tt.improved {
				t.Errorf("better version %q → %q, want %q → %q", fb.Better.Original, fb.Better.Improved, tt.original, tt.improved)
			}
			if !strings.Contains(fb.Better.Why, tt.whyHas) {
				t.Errorf("why = %q, want it to have %q", fb.Better.Why, tt.whyHas)
			}
		})
	}
}
