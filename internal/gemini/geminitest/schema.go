package geminitest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// schemaNode is the part of Gemini's Schema (and of JSON Schema, for
// responseJsonSchema) the generator understands.
type schemaNode struct {
	Type             schemaType             `json:"type"`
	Format           string                 `json:"format"`
	Enum             []json.RawMessage      `json:"enum"`
	Properties       map[string]*schemaNode `json:"properties"`
	PropertyOrdering []string               `json:"propertyOrdering"`
	Required         []string               `json:"required"`
	Items            *schemaNode            `json:"items"`
	AnyOf            []*schemaNode          `json:"anyOf"`
	MinItems         *flexInt               `json:"minItems"`
	MaxItems         *flexInt               `json:"maxItems"`
	MinLength        *flexInt               `json:"minLength"`
	MaxLength        *flexInt               `json:"maxLength"`
	Minimum          *float64               `json:"minimum"`
	Maximum          *float64               `json:"maximum"`
}

// schemaType is a type name in upper case. Gemini writes "OBJECT", JSON
// Schema "object" or ["object", "null"].
type schemaType string

func (t *schemaType) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*t = schemaType(strings.ToUpper(one))
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return fmt.Errorf("type must be a string or a list of strings")
	}
	for _, m := range many {
		if !strings.EqualFold(m, "null") {
			*t = schemaType(strings.ToUpper(m))
			return nil
		}
	}
	return nil
}

// flexInt reads an int64 written as a number or, as protobuf JSON writes
// int64 fields, as a string.
type flexInt int64

func (n *flexInt) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return fmt.Errorf("not an integer: %s", b)
	}
	*n = flexInt(v)
	return nil
}

func (s *schemaNode) kind() schemaType {
	switch {
	case s.Type != "":
		return s.Type
	case s.Properties != nil:
		return "OBJECT"
	case s.Items != nil:
		return "ARRAY"
	}
	return "STRING"
}

// ReplyForSchema returns a deterministic JSON value that satisfies schema
// (Gemini's Schema or a JSON Schema, as sent in generationConfig).
// userText is the last user text of the request: quotes come from its
// sentences and properties named like "rewrite" or "improved" hold a
// cleaned-up copy of it (see CleanUp). If the text wraps a block in
// <tag>…</tag>, """…""" or a ``` fence, only the last such block is used:
// that is where prompts put the user's own words.
//
// Feedback-shaped schemas get a judgement of the user's words: those the
// schema offers as an "original" (else as quotes, else userText). Scores
// of the dimensions clarity, pace, confidence, tone, relevance and
// structure follow from them (fillers lower confidence and clarity …), an
// "overall" is their mean, each dimension's evidence fits its score's band,
// highlight quotes don't overlap, the better version's "original" is the
// text with the most fillers, and "comment" and "why" say what they see.
func ReplyForSchema(schema []byte, userText string) ([]byte, error) {
	return replyForSchema(schema, userText, false)
}

// replyForSchema is ReplyForSchema; with restructure (the instructions asked
// for a free rewrite) a rewrite also puts its last sentence first, as a
// "lead with the ask" edit would.
func replyForSchema(schema []byte, userText string, restructure bool) ([]byte, error) {
	var root schemaNode
	if err := json.Unmarshal(schema, &root); err != nil {
		return nil, fmt.Errorf("invalid response schema: %w", err)
	}
	source := userBlock(userText)
	g := &generator{source: source, sentences: sentences(source), restructure: restructure, used: map[string]int{}, enumUsed: map[*schemaNode]int{}}
	judged := enumStrings(&root, "original")
	if len(judged) == 0 {
		judged = disjoint(enumStrings(&root, "quote"))
	}
	if len(judged) == 0 {
		judged = []string{source}
	}
	g.traits = traitsOf(judged)
	v, err := g.value(&root, "", "")
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSpace(buf.Bytes()), nil
}

type generator struct {
	source      string
	sentences   []string
	restructure bool
	traits      traits              // of the user's words, for scores and what is said about them
	quotes      []string            // quotes given so far: the next one doesn't overlap them
	used        map[string]int      // strings made per property name: array items and repeated names differ
	enumUsed    map[*schemaNode]int // values taken from each enum: cycles through it
}

// enumStrings are the string enum values of every property called name
// (any case) in s, each once, in schema order.
func enumStrings(s *schemaNode, name string) []string {
	var out []string
	var walk func(n *schemaNode, prop string)
	walk = func(n *schemaNode, prop string) {
		if n == nil {
			return
		}
		if strings.Contains(strings.ToLower(prop), name) {
			for _, raw := range n.Enum {
				var v string
				if json.Unmarshal(raw, &v) == nil && !slices.Contains(out, v) {
					out = append(out, v)
				}
			}
		}
		for _, a := range n.AnyOf {
			walk(a, prop)
		}
		walk(n.Items, prop)
		keys := make([]string, 0, len(n.Properties))
		for k := range n.Properties {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			walk(n.Properties[k], k)
		}
	}
	walk(s, "")
	return out
}

// value builds a value for s. name is the nearest property name (array
// items inherit their array's), path the full location (it seeds numbers).
func (g *generator) value(s *schemaNode, name, path string) (any, error) {
	if len(s.AnyOf) > 0 {
		return g.value(s.AnyOf[0], name, path)
	}
	if len(s.Enum) > 0 {
		return g.enum(s, name)
	}
	switch s.kind() {
	case "OBJECT":
		return g.object(s, path)
	case "ARRAY":
		return g.array(s, name, path)
	case "INTEGER":
		return g.number(s, path, true)
	case "NUMBER":
		return g.number(s, path, false)
	case "BOOLEAN":
		return hash(path)%3 != 0, nil
	case "STRING":
		return g.text(s, name, g.phrase(name)), nil
	case "NULL":
		return nil, nil
	}
	return nil, fmt.Errorf("response schema at %q: unknown type %q", path, s.Type)
}

func (g *generator) enum(s *schemaNode, name string) (any, error) {
	n := g.enumUsed[s]
	g.enumUsed[s] = n + 1
	if choices := stringsOf(s.Enum); len(choices) == len(s.Enum) && s.kind() == "STRING" {
		switch prop := strings.ToLower(name); {
		case prop == "original":
			return choices[weakest(choices)], nil
		case strings.Contains(prop, "quote"):
			// The next choice that neither holds nor sits in an earlier quote.
			for i := range choices {
				c := choices[(n+i)%len(choices)]
				if len(disjoint(append(slices.Clone(g.quotes), c))) == len(g.quotes)+1 {
					g.quotes = append(g.quotes, c)
					return c, nil
				}
			}
		}
	}
	var v any
	if err := json.Unmarshal(s.Enum[n%len(s.Enum)], &v); err != nil {
		return nil, err
	}
	// Gemini lists INTEGER and NUMBER enums as strings ("101").
	if str, ok := v.(string); ok && (s.kind() == "INTEGER" || s.kind() == "NUMBER") {
		if f, err := strconv.ParseFloat(str, 64); err == nil {
			return f, nil
		}
	}
	return v, nil
}

// stringsOf is the enum's string values (numbers and others left out).
func stringsOf(enum []json.RawMessage) []string {
	var out []string
	for _, raw := range enum {
		var v string
		if json.Unmarshal(raw, &v) == nil {
			out = append(out, v)
		}
	}
	return out
}

// field is one property of an object, kept in propertyOrdering order.
type field struct {
	name  string
	value any
}

type object []field

func (o object) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, f := range o {
		if i > 0 {
			buf.WriteByte(',')
		}
		k, _ := json.Marshal(f.name)
		buf.Write(k)
		buf.WriteByte(':')
		var vb bytes.Buffer
		enc := json.NewEncoder(&vb)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(f.value); err != nil {
			return nil, err
		}
		buf.Write(bytes.TrimSpace(vb.Bytes()))
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// isRewrite reports whether a string property holds a better version of
// the user's text.
func isRewrite(name string) bool {
	n := strings.ToLower(name)
	return strings.Contains(n, "rewrite") || strings.Contains(n, "improved")
}

func (g *generator) object(s *schemaNode, path string) (any, error) {
	names := make([]string, 0, len(s.Properties))
	for _, n := range s.PropertyOrdering {
		if _, ok := s.Properties[n]; ok && !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	var rest []string
	for n := range s.Properties {
		if !slices.Contains(names, n) {
			rest = append(rest, n)
		}
	}
	slices.Sort(rest)
	names = append(names, rest...)

	// Rewrites go last so they can rewrite a sibling "original".
	values := map[string]any{}
	for _, pass := range []bool{false, true} {
		for _, n := range names {
			p := s.Properties[n]
			if p == nil {
				return nil, fmt.Errorf("response schema at %q: property %q has no schema", path, n)
			}
			rewrite := isRewrite(n) && p.kind() == "STRING" && len(p.Enum) == 0
			if rewrite != pass {
				continue
			}
			if rewrite {
				src := g.source
				if orig, ok := values["original"].(string); ok {
					src = orig
				}
				values[n] = g.text(p, n, g.rewrite(src))
				continue
			}
			v, err := g.value(p, n, join(path, n))
			if err != nil {
				return nil, err
			}
			values[n] = v
		}
	}
	g.judge(s, path, values)
	for _, r := range s.Required {
		if _, ok := s.Properties[r]; !ok {
			return nil, fmt.Errorf("response schema at %q: required property %q is not defined", path, r)
		}
	}
	out := make(object, 0, len(names))
	for _, n := range names {
		out = append(out, field{n, values[n]})
	}
	return out, nil
}

// judge rewrites what an object says about the user's words once all its
// values exist: a dimension's evidence fits its score, a highlight's
// comment its quote, and a better version's "why" what changed.
func (g *generator) judge(s *schemaNode, path string, values map[string]any) {
	plain := func(n string) bool {
		p := s.Properties[n]
		return p != nil && p.kind() == "STRING" && len(p.Enum) == 0
	}
	set := func(n, line string) { values[n] = g.text(s.Properties[n], n, line) }
	parts := strings.Split(path, ".")
	if dim := parts[len(parts)-1]; isDimension(dim) && plain("evidence") {
		score, ok := toFloat(values["score"])
		set("evidence", evidence(dim, score, ok))
	}
	if q, ok := values["quote"].(string); ok && plain("comment") {
		set("comment", quoteComment(q))
	}
	if orig, ok := values["original"].(string); ok && plain("why") {
		names := make([]string, 0, len(values))
		for n := range values {
			names = append(names, n)
		}
		slices.Sort(names)
		for _, n := range names {
			if improved, ok := values[n].(string); ok && isRewrite(n) && plain(n) {
				set("why", betterWhy(orig, improved))
				break
			}
		}
	}
}

func toFloat(v any) (float64, bool) {
	switch n := v.(type) {
	case int64:
		return float64(n), true
	case float64:
		return n, true
	}
	return 0, false
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// defaultItems is how many items an array gets when its bounds allow it.
const defaultItems = 3

func (g *generator) array(s *schemaNode, name, path string) (any, error) {
	lo, hi := int64(0), int64(math.MaxInt64)
	if s.MinItems != nil {
		lo = int64(*s.MinItems)
	}
	if s.MaxItems != nil {
		hi = int64(*s.MaxItems)
	}
	if lo > hi {
		return nil, fmt.Errorf("response schema at %q: minItems %d is above maxItems %d", path, lo, hi)
	}
	n := min(max(defaultItems, lo), hi)
	if s.Items == nil {
		return nil, fmt.Errorf("response schema at %q: array without items", path)
	}
	// Highlights: no more than there are quotes that don't overlap.
	if quotes := disjoint(enumStrings(s.Items, "quote")); len(quotes) > 0 && s.Items.kind() == "OBJECT" {
		n = min(n, max(int64(len(quotes)), lo))
	}
	out := make([]any, 0, n)
	for i := range n {
		v, err := g.value(s.Items, name, fmt.Sprintf("%s[%d]", path, i))
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func hash(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32()
}

// number picks a value inside [minimum, maximum]: in the upper-middle of a
// closed range (55–90 for 0–100), so scores look like scores and differ
// from one property and one request to the next. A dimension's score (path
// "clarity.score" …) and "overall" come from the judged words instead.
func (g *generator) number(s *schemaNode, path string, integer bool) (any, error) {
	lo, hi := math.Inf(-1), math.Inf(1)
	if s.Minimum != nil {
		lo = *s.Minimum
	}
	if s.Maximum != nil {
		hi = *s.Maximum
	}
	if integer {
		lo, hi = math.Ceil(lo), math.Floor(hi)
	}
	if lo > hi {
		return nil, fmt.Errorf("response schema at %q: no value between minimum %v and maximum %v", path, lo, hi)
	}
	h := hash(g.traits.seed + "\x00" + path)
	frac := 0.55 + 0.35*float64(h%36)/35
	parts := strings.Split(path, ".")
	switch {
	case path == "overall":
		frac = g.traits.overallShare()
	case len(parts) >= 2 && parts[len(parts)-1] == "score" && isDimension(parts[len(parts)-2]):
		frac = g.traits.share(parts[len(parts)-2])
	}
	var v float64
	switch {
	case s.Minimum != nil && s.Maximum != nil:
		v = lo + (hi-lo)*frac
	case s.Minimum != nil:
		v = lo + 1 + float64(h%9)
	case s.Maximum != nil:
		v = hi - 1 - float64(h%9)
	default:
		v = 100 * frac
	}
	if integer {
		return int64(min(max(math.Round(v), lo), hi)), nil
	}
	if r := math.Round(v*10) / 10; r >= lo && r <= hi {
		v = r
	}
	return v, nil
}

// text fits str to the schema's length bounds.
func (g *generator) text(s *schemaNode, name, str string) string {
	if s.MinLength != nil {
		for utf8.RuneCountInString(str) < int(*s.MinLength) {
			str += " " + g.phrase(name)
		}
	}
	if s.MaxLength != nil && utf8.RuneCountInString(str) > int(*s.MaxLength) {
		str = string([]rune(str)[:max(*s.MaxLength, 0)])
	}
	return str
}

// phrases are the sentences a string property gets, by a word its name
// contains (first match wins). Repeated names take the next sentence.
var phrases = []struct {
	keys  []string
	lines []string
}{
	{[]string{"evidence"}, []string{
		"You stated your main point early and backed it with a number.",
		"Your sentences were short and each one carried a single idea.",
		"You kept an even pace and paused before the key point.",
		"You answered without hedging and owned the decision.",
		"Your tone stayed warm and direct, even when you disagreed.",
		"You stayed on the question that was asked.",
		"You gave context, then the result, then the next step.",
	}},
	{[]string{"comment", "why", "reason", "explanation"}, []string{
		"This is specific and easy to act on.",
		"It puts the result first, so the listener knows why it matters.",
		"It sounds confident without being pushy.",
	}},
	{[]string{"summary", "overall", "feedback", "verdict"}, []string{
		"A clear, friendly message. Lead with the result and drop the hedging words to sound more confident.",
		"Good structure overall. Cut the filler and end with one clear request.",
	}},
	{[]string{"action", "tip", "suggestion", "point", "step", "change"}, []string{
		"Open with your main point in one sentence.",
		"Back each claim with one concrete example or number.",
		"Drop filler words like \"just\", \"really\" and \"basically\".",
		"End with a clear next step and a date.",
	}},
	{[]string{"perception", "perceived", "impression", "sound"}, []string{
		"In a US workplace this can sound unsure, as if you were asking for permission.",
	}},
	{[]string{"hidden", "meaning", "subtext", "implies"}, []string{
		"Your colleague may hear a polite \"no\" or a sign that you are not committed.",
	}},
	{[]string{"alternative", "text", "option", "instead"}, []string{
		"I recommend we go ahead on Thursday.",
		"Could we agree on Thursday as the deadline?",
		"Here's my plan: ship on Thursday and review on Friday.",
	}},
	{[]string{"when", "context", "situation"}, []string{
		"When you want to sound decisive in a meeting.",
		"When you need the other person to commit to a date.",
		"When you want to keep it friendly in a chat message.",
	}},
	{[]string{"title", "headline", "name"}, []string{"Practice session"}},
}

// rewrite is the fake's rewrite of text: CleanUp, and with restructure the
// last sentence moved to the front.
func (g *generator) rewrite(text string) string {
	out := CleanUp(text)
	if !g.restructure {
		return out
	}
	parts := sentences(out)
	if len(parts) < 2 {
		return out
	}
	return strings.Join(append([]string{parts[len(parts)-1]}, parts[:len(parts)-1]...), " ")
}

// phrase is the next sentence for a string property called name.
func (g *generator) phrase(name string) string {
	n := strings.ToLower(name)
	k := g.used[n]
	g.used[n] = k + 1
	switch {
	case strings.Contains(n, "quote"):
		if len(g.sentences) > 0 {
			return g.sentences[k%len(g.sentences)]
		}
	case n == "original" || strings.Contains(n, "phrase"):
		if g.source != "" {
			return g.source
		}
	}
	for _, p := range phrases {
		for _, key := range p.keys {
			if strings.Contains(n, key) {
				return p.lines[k%len(p.lines)]
			}
		}
	}
	if label := humanise(name); label != "" {
		return label + ": clear and specific, with room to be shorter."
	}
	return "Clear and specific, with room to be shorter."
}

// humanise turns "hiddenMeaning" or "hidden_meaning" into "Hidden meaning".
func humanise(name string) string {
	var b strings.Builder
	for i, r := range name {
		switch {
		case r == '_' || r == '-':
			b.WriteRune(' ')
		case unicode.IsUpper(r) && i > 0:
			b.WriteRune(' ')
			b.WriteRune(unicode.ToLower(r))
		default:
			b.WriteRune(r)
		}
	}
	s := strings.Join(strings.Fields(b.String()), " ")
	if s == "" {
		return ""
	}
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[size:]
}

var sentenceRe = regexp.MustCompile(`[^.!?\n]+[.!?]*`)

// sentences splits text into trimmed sentences, each verbatim from text.
func sentences(text string) []string {
	var out []string
	for _, m := range sentenceRe.FindAllString(text, -1) {
		if m = strings.TrimSpace(m); m != "" {
			out = append(out, m)
		}
	}
	return out
}

var (
	tagOpenRe = regexp.MustCompile(`<([A-Za-z][\w-]*)>`)
	fenceRe   = regexp.MustCompile("(?s)```[\\w-]*\\n(.*?)```")
	quotesRe  = regexp.MustCompile(`(?s)"""(.*?)"""`)
)

// userBlock is the user's own words inside a prompt: the last block in
// <tag>…</tag>, """…""" or a ``` fence, else the whole text.
func userBlock(text string) string {
	best, at := "", -1
	for _, m := range tagOpenRe.FindAllStringSubmatchIndex(text, -1) {
		closing := "</" + text[m[2]:m[3]] + ">"
		if end := strings.Index(text[m[1]:], closing); end >= 0 && m[0] > at {
			best, at = text[m[1]:m[1]+end], m[0]
		}
	}
	for _, re := range []*regexp.Regexp{fenceRe, quotesRe} {
		for _, m := range re.FindAllStringSubmatchIndex(text, -1) {
			if m[0] > at {
				best, at = text[m[2]:m[3]], m[0]
			}
		}
	}
	if at < 0 {
		best = text
	}
	return strings.TrimSpace(best)
}

var (
	// Fillers and hedges are dropped with a comma that follows them ("Actually, we …").
	fillerRe     = regexp.MustCompile(`(?i)\b(?:I think|I guess|sort of|kind of|basically|actually|really|just|maybe|perhaps)\b,?`)
	spacesRe     = regexp.MustCompile(`[ \t]+`)
	spacePunctRe = regexp.MustCompile(`[ \t]+([,.;:!?])`)
	commasRe     = regexp.MustCompile(`,(?:[ \t]*,)+`)               // ",," or ", ," left by a dropped word
	commaStopRe  = regexp.MustCompile(`,([.;:!?])`)                  // "on time,." → "on time."
	leadCommaRe  = regexp.MustCompile(`(?m)(^|[.!?] )[ \t]*,[ \t]*`) // a sentence that now starts with a comma
	lineEdgeRe   = regexp.MustCompile(`(?m)^[ \t]+|[ \t]+$`)
	startRe      = regexp.MustCompile(`(^|[.!?]\s+|\n\s*)(\p{Ll})`)
)

// CleanUp is the fake's "better version" of a text: the fillers and hedges
// "I think", "I guess", "sort of", "kind of", "basically", "actually",
// "really", "just", "maybe" and "perhaps" (any case, with a comma right
// after them) are dropped, runs of spaces collapse to one, the punctuation
// they leave behind is tidied (no ",." or ",,", no comma opening a
// sentence, no space before punctuation or at a line end), and each
// sentence starts with a capital letter. Nothing else changes, so a diff
// shows small, real edits.
func CleanUp(text string) string {
	s := fillerRe.ReplaceAllString(text, "")
	s = spacesRe.ReplaceAllString(s, " ")
	s = spacePunctRe.ReplaceAllString(s, "$1")
	s = commasRe.ReplaceAllString(s, ",")
	s = commaStopRe.ReplaceAllString(s, "$1")
	s = lineEdgeRe.ReplaceAllString(s, "")
	s = leadCommaRe.ReplaceAllString(s, "$1")
	s = strings.TrimSpace(s)
	return startRe.ReplaceAllStringFunc(s, func(m string) string {
		r, size := utf8.DecodeLastRuneInString(m)
		return m[:len(m)-size] + string(unicode.ToUpper(r))
	})
}
