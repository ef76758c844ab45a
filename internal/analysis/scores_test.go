package analysis

import (
	"math"
	"strings"
	"testing"
)

// nFlags makes n flags of one kind with the given text.
func nFlags(kind FlagKind, text string, n int) []Flag {
	out := make([]Flag, n)
	for i := range out {
		out[i] = Flag{Kind: kind, Text: text}
	}
	return out
}

func joinFlags(groups ...[]Flag) []Flag {
	var out []Flag
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

// scoreInput is everything score reads.
type scoreInput struct {
	c     Counts
	r     Readability
	p     SentenceProfile
	flags []Flag
	cues  warmthCues
}

func (in scoreInput) score() Scores {
	return scoreWithCues(in.c, in.r, in.p, in.flags, in.cues)
}

// plainInput is a 100-word, 5-sentence text at grade 8 with no flags.
func plainInput() scoreInput {
	return scoreInput{
		c: Counts{Words: 100, Sentences: 5},
		r: Readability{FleschKincaidGrade: 8},
		p: SentenceProfile{Count: 5, MeanWords: 20},
	}
}

func TestScoreZeroWords(t *testing.T) {
	in := plainInput()
	in.c.Words = 0
	in.flags = nFlags(FlagHedge, "maybe", 3)
	if got := in.score(); got != (Scores{}) {
		t.Errorf("zero words: got %+v, want all zero", got)
	}
	if got := score(Counts{}, Readability{}, SentenceProfile{}, nil); got != (Scores{}) {
		t.Errorf("empty input: got %+v, want all zero", got)
	}
}

// TestScoreFormulas checks the documented formulas on worked examples.
func TestScoreFormulas(t *testing.T) {
	tests := []struct {
		name string
		in   scoreInput
		want Scores
	}{
		{"plain text, cues unknown", plainInput(),
			// warmth 75; overall .3·100+.25·100+.25·100+.2·75 = 95
			Scores{Overall: 95, Clarity: 100, Concision: 100, Confidence: 100, Warmth: 75}},
		{"worked example", scoreInput{
			c: Counts{Words: 100, Sentences: 5},
			r: Readability{FleschKincaidGrade: 12},
			p: SentenceProfile{Count: 5, MeanWords: 22, Long: []Span{{}}},
			flags: joinFlags(nFlags(FlagPassive, "was done", 2), nFlags(FlagJargon, "leverage", 1),
				nFlags(FlagFiller, "um", 3), nFlags(FlagIntensifier, "very", 2), nFlags(FlagRepeated, "the the", 1),
				nFlags(FlagHedge, "maybe", 2), nFlags(FlagApology, "sorry", 1), nFlags(FlagShouting, "!!", 1)),
		},
			// clarity 100 − 5·2 − 1.5·2 − (4·2 + 5·1) = 74
			// concision 100 − (6·3 + 3·2 + 5·1) − 40·1/5 = 63
			// confidence 100 − (8·2 + 10·1 + 4·3) = 62
			// warmth 75 + 4 (one apology) − 10·1 = 69
			// overall .3·74 + .25·63 + .25·62 + .2·69 = 67.25
			Scores{Overall: 67, Clarity: 74, Concision: 63, Confidence: 62, Warmth: 69}},
		{"warmth from cues", scoreInput{
			c:    Counts{Words: 100, Sentences: 5},
			r:    Readability{FleschKincaidGrade: 8},
			p:    SentenceProfile{Count: 5, MeanWords: 20},
			cues: warmthCues{known: true, thanks: 1, please: 1, you: 4, we: 2},
		},
			// warmth 50 + 12 + 6 + min(12, 3·4) + min(8, 2·2) = 84
			Scores{Overall: 97, Clarity: 100, Concision: 100, Confidence: 100, Warmth: 84}},
		{"short text counts as 50 words", scoreInput{
			c:     Counts{Words: 10, Sentences: 1},
			r:     Readability{FleschKincaidGrade: 7},
			p:     SentenceProfile{Count: 1, MeanWords: 10},
			flags: nFlags(FlagFiller, "basically", 1),
		},
			// rate = 100·1/50 = 2: concision 100 − 12 = 88, confidence 100 − 8 = 92
			Scores{Overall: 90, Clarity: 100, Concision: 88, Confidence: 92, Warmth: 75}},
		{"grade below the band", scoreInput{
			c: Counts{Words: 60, Sentences: 10},
			r: Readability{FleschKincaidGrade: 2},
			p: SentenceProfile{Count: 10, MeanWords: 6},
		},
			// clarity 100 − min(10, 7 − 2) = 95
			Scores{Overall: 94, Clarity: 95, Concision: 100, Confidence: 100, Warmth: 75}},
		{"everything at once is clamped", scoreInput{
			c: Counts{Words: 50, Sentences: 1},
			r: Readability{FleschKincaidGrade: 40},
			p: SentenceProfile{Count: 1, MeanWords: 50, Long: []Span{{}}},
			flags: joinFlags(nFlags(FlagPassive, "x", 50), nFlags(FlagFiller, "x", 50), nFlags(FlagHedge, "x", 50),
				nFlags(FlagShouting, "x", 50), nFlags(FlagNonInclusive, "x", 50)),
			cues: warmthCues{known: true},
		},
			// clarity 100 − 40 − 25 − 40 < 0; concision 100 − 60 − 30 = 10;
			// confidence 100 − 80 = 20; warmth 50 − 40 − 40 < 0
			Scores{Overall: 8, Clarity: 0, Concision: 10, Confidence: 20, Warmth: 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.in.score(); got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestScoreMonotonic checks that adding more of something never moves a
// dimension the wrong way, from several starting points.
func TestScoreMonotonic(t *testing.T) {
	type dim func(Scores) int
	clarity := func(s Scores) int { return s.Clarity }
	concision := func(s Scores) int { return s.Concision }
	confidence := func(s Scores) int { return s.Confidence }
	warmth := func(s Scores) int { return s.Warmth }
	overall := func(s Scores) int { return s.Overall }
	addFlags := func(kind FlagKind) func(*scoreInput, int) {
		return func(in *scoreInput, n int) { in.flags = append(in.flags, nFlags(kind, "x", n)...) }
	}
	tests := []struct {
		name   string
		more   func(in *scoreInput, n int)
		dims   map[string]dim
		rising bool // true: must never fall; false: must never rise
	}{
		{"hedges", addFlags(FlagHedge), map[string]dim{"confidence": confidence, "overall": overall}, false},
		{"apologies", addFlags(FlagApology), map[string]dim{"confidence": confidence}, false},
		{"fillers", addFlags(FlagFiller), map[string]dim{"confidence": confidence, "concision": concision, "overall": overall}, false},
		{"passives", addFlags(FlagPassive), map[string]dim{"clarity": clarity, "overall": overall}, false},
		{"jargon", addFlags(FlagJargon), map[string]dim{"clarity": clarity, "overall": overall}, false},
		{"intensifiers", addFlags(FlagIntensifier), map[string]dim{"concision": concision}, false},
		{"weasels", addFlags(FlagWeasel), map[string]dim{"concision": concision}, false},
		{"repeats", addFlags(FlagRepeated), map[string]dim{"concision": concision}, false},
		{"shouting", addFlags(FlagShouting), map[string]dim{"warmth": warmth, "overall": overall}, false},
		{"non-inclusive", addFlags(FlagNonInclusive), map[string]dim{"warmth": warmth, "overall": overall}, false},
		{"long sentences", func(in *scoreInput, n int) { in.p.Long = append(in.p.Long, make([]Span, n)...) },
			map[string]dim{"concision": concision}, false},
		{"grade above the band", func(in *scoreInput, n int) {
			in.r.FleschKincaidGrade = math.Max(in.r.FleschKincaidGrade, 10) + float64(n)
		},
			map[string]dim{"clarity": clarity}, false},
		{"mean sentence length", func(in *scoreInput, n int) { in.p.MeanWords += float64(n) },
			map[string]dim{"clarity": clarity}, false},
		{"thanks", func(in *scoreInput, n int) { in.cues.thanks += n }, map[string]dim{"warmth": warmth}, true},
		{"please", func(in *scoreInput, n int) { in.cues.please += n }, map[string]dim{"warmth": warmth}, true},
		{"you words", func(in *scoreInput, n int) { in.cues.you += n }, map[string]dim{"warmth": warmth}, true},
		{"we words", func(in *scoreInput, n int) { in.cues.we += n }, map[string]dim{"warmth": warmth}, true},
	}
	starts := map[string]scoreInput{
		"plain": plainInput(),
		"short": {c: Counts{Words: 12, Sentences: 2}, r: Readability{FleschKincaidGrade: 3}, p: SentenceProfile{Count: 2, MeanWords: 6}},
		"dense": {c: Counts{Words: 400, Sentences: 8}, r: Readability{FleschKincaidGrade: 11}, p: SentenceProfile{Count: 8, MeanWords: 50},
			flags: joinFlags(nFlags(FlagHedge, "x", 3), nFlags(FlagFiller, "x", 2), nFlags(FlagApology, "x", 1)),
			cues:  warmthCues{known: true, you: 3}},
	}
	for _, tt := range tests {
		for startName, start := range starts {
			for dimName, get := range tt.dims {
				in := start
				in.flags = append([]Flag(nil), start.flags...)
				prev := get(in.score())
				for step := 1; step <= 40; step++ {
					tt.more(&in, 1)
					got := get(in.score())
					if (tt.rising && got < prev) || (!tt.rising && got > prev) {
						t.Errorf("%s, from %s: %s went from %d to %d at step %d", tt.name, startName, dimName, prev, got, step)
						break
					}
					prev = got
				}
			}
		}
	}
}

// TestScoreRange: every score stays within 0–100 for extreme inputs.
func TestScoreRange(t *testing.T) {
	for _, grade := range []float64{-20, 0, 8, 25, 1e6} {
		for _, words := range []int{1, 3, 1000, 1_000_000} {
			in := scoreInput{
				c:     Counts{Words: words, Sentences: 1},
				r:     Readability{FleschKincaidGrade: grade},
				p:     SentenceProfile{Count: 1, MeanWords: float64(words), Long: []Span{{}}},
				flags: joinFlags(nFlags(FlagApology, "x", 1), nFlags(FlagFiller, "x", min(words, 2000))),
				cues:  warmthCues{known: true, thanks: words, please: words, you: words, we: words},
			}
			s := in.score()
			for name, v := range map[string]int{"overall": s.Overall, "clarity": s.Clarity, "concision": s.Concision, "confidence": s.Confidence, "warmth": s.Warmth} {
				if v < 0 || v > 100 {
					t.Errorf("grade %v, %d words: %s = %d, want 0–100", grade, words, name, v)
				}
			}
		}
	}
}

// TestScoreIgnoresLongSentenceFlags: long sentences count once, from the profile.
func TestScoreIgnoresLongSentenceFlags(t *testing.T) {
	in := plainInput()
	base := in.score()
	in.flags = nFlags(FlagLongSentence, "x", 4)
	if got := in.score(); got != base {
		t.Errorf("with long_sentence flags: got %+v, want %+v", got, base)
	}
}

// TestScoreFromText scores real sentences end to end through findFlags.
func TestScoreFromText(t *testing.T) {
	calm := "Thanks for the report. Could you please send the final numbers by Friday? We can review them together on Monday."
	rough := "So, um, I just wanted to basically say sorry, I think maybe the the numbers are kind of wrong?! Sorry!! PLEASE FIX."
	counts := Counts{Words: 20, Sentences: 3}
	profile := SentenceProfile{Count: 3, MeanWords: 7}
	read := Readability{FleschKincaidGrade: 6}
	scoreOf := func(text string) Scores {
		flags, cues := scanFlags(text, newOffsetIndex(text))
		return scoreWithCues(counts, read, profile, flags, cues)
	}
	c, r := scoreOf(calm), scoreOf(rough)
	if c.Confidence <= r.Confidence || c.Concision <= r.Concision || c.Warmth <= r.Warmth || c.Overall <= r.Overall {
		t.Errorf("calm %+v should beat rough %+v on confidence, concision, warmth and overall", c, r)
	}
}

// ---- top changes ----------------------------------------------------------------

func TestChangeEmpty(t *testing.T) {
	got := topChanges(Counts{Words: 10}, Readability{FleschKincaidGrade: 8}, SentenceProfile{}, nil)
	if got == nil || len(got) != 0 {
		t.Errorf("clean text: got %#v, want an empty, non-nil slice", got)
	}
}

func TestChangeTitlesAndDetails(t *testing.T) {
	text := "So, basically I think the plan is kind of basically done. Just basically ship it. The draft was rejected."
	flags := flagsIn(text)
	got := topChanges(Counts{Words: 15}, Readability{FleschKincaidGrade: 5}, SentenceProfile{}, flags)
	if len(got) != 3 {
		t.Fatalf("changes: got %d (%+v), want 3", len(got), got)
	}
	tests := []struct {
		kind         FlagKind
		title        string
		count        int
		detailPrefix string
	}{
		{FlagFiller, "Cut 4 filler words", 4, `Found "basically" ×3, "so". `},
		{FlagHedge, "Drop 2 hedges to sound sure", 2, `Found "I think", "kind of". `},
		{FlagPassive, "Make 1 passive phrase active", 1, `Found "was rejected". Say who does what`},
	}
	for i, tt := range tests {
		if i >= len(got) {
			break
		}
		g := got[i]
		if g.Kind != tt.kind || g.Title != tt.title || g.Count != tt.count || !strings.HasPrefix(g.Detail, tt.detailPrefix) {
			t.Errorf("change %d: got %+v, want kind %s, title %q, count %d, detail starting %q", i, g, tt.kind, tt.title, tt.count, tt.detailPrefix)
		}
	}
}

func TestChangeOrder(t *testing.T) {
	tests := []struct {
		name  string
		c     Counts
		r     Readability
		p     SentenceProfile
		flags []Flag
		want  []string
	}{
		{"ties go to the kind name", Counts{Words: 100}, Readability{}, SentenceProfile{},
			// filler, hedge and jargon are all worth 3·2 = 6; noninclusive 5·1 = 5.
			joinFlags(nFlags(FlagJargon, "synergy", 2), nFlags(FlagNonInclusive, "guys", 1),
				nFlags(FlagHedge, "maybe", 2), nFlags(FlagFiller, "um", 2)),
			[]string{"Cut 2 filler words", "Drop 2 hedges to sound sure", "Replace 2 jargon terms with plain words"}},
		{"singular titles", Counts{Words: 100}, Readability{}, SentenceProfile{},
			joinFlags(nFlags(FlagApology, "sorry", 1), nFlags(FlagRepeated, "the the", 1), nFlags(FlagIntensifier, "very", 1)),
			[]string{"Swap 1 apology for thanks", "Fix 1 repeated word", "Cut 1 intensifier"}},
		{"count is capped at 8", Counts{Words: 1000}, Readability{}, SentenceProfile{},
			// intensifiers 1.5·min(30, 8) = 12 < shouting 4·4 = 16; weasel 2.5·5 = 12.5
			joinFlags(nFlags(FlagIntensifier, "very", 30), nFlags(FlagShouting, "!!", 4), nFlags(FlagWeasel, "various", 5)),
			[]string{"Stop shouting in 4 places", "Back up 5 vague claims", "Cut 30 intensifiers"}},
		{"long sentences from the profile, not from flags", Counts{Words: 200},
			Readability{}, SentenceProfile{Count: 5, Lengths: []int{12, 45, 33, 8, 20}, Long: []Span{{}, {}}},
			joinFlags(nFlags(FlagLongSentence, "x", 7), nFlags(FlagPassive, "was done", 1)),
			[]string{"Split your 2 longest sentences", "Make 1 passive phrase active"}},
		{"hard text", Counts{Words: 120}, Readability{FleschKincaidGrade: 15.2}, SentenceProfile{},
			nFlags(FlagPassive, "was done", 2),
			[]string{"Use shorter words and sentences", "Make 2 passive phrases active"}},
		{"short hard text gets no readability change", Counts{Words: 12}, Readability{FleschKincaidGrade: 15.2}, SentenceProfile{},
			nil, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := topChanges(tt.c, tt.r, tt.p, tt.flags)
			titles := make([]string, len(got))
			for i, c := range got {
				titles[i] = c.Title
			}
			if strings.Join(titles, " | ") != strings.Join(tt.want, " | ") {
				t.Errorf("titles: got %q, want %q", titles, tt.want)
			}
		})
	}
}

func TestChangeLongSentenceDetail(t *testing.T) {
	tests := []struct {
		lengths []int
		long    int
		title   string
		detail  string
	}{
		{[]int{10, 52}, 1, "Split your longest sentence", "It runs 52 words; aim for 15–25 words so readers keep the thread."},
		{[]int{31, 40, 9, 35}, 3, "Split your 3 longest sentences", "They run 40, 35 and 31 words; aim for 15–25 words so readers keep the thread."},
		{[]int{31, 40, 33, 35, 90}, 5, "Split your 5 long sentences", "The longest run 90, 40 and 35 words; aim for 15–25 words so readers keep the thread."},
	}
	for _, tt := range tests {
		p := SentenceProfile{Count: len(tt.lengths), Lengths: tt.lengths, Long: make([]Span, tt.long)}
		got := topChanges(Counts{Words: 200}, Readability{}, p, nil)
		if len(got) != 1 || got[0].Title != tt.title || got[0].Detail != tt.detail || got[0].Count != tt.long || got[0].Kind != FlagLongSentence {
			t.Errorf("lengths %v: got %+v, want title %q, detail %q", tt.lengths, got, tt.title, tt.detail)
		}
	}
}

func TestChangeDetailListsWords(t *testing.T) {
	flags := joinFlags(nFlags(FlagFiller, "just", 1), nFlags(FlagFiller, "Basically", 1), nFlags(FlagFiller, "basically", 1),
		nFlags(FlagFiller, "kind\nof", 1), nFlags(FlagFiller, "um", 1), nFlags(FlagFiller, "uh", 1), nFlags(FlagFiller, "like", 1),
		nFlags(FlagFiller, "well", 1))
	got := topChanges(Counts{Words: 100}, Readability{}, SentenceProfile{}, flags)
	want := `Found "basically" ×2, "just", "kind of", "um", "uh", and 2 more. Delete them: the sentences stand without them.`
	if len(got) != 1 || got[0].Detail != want {
		t.Errorf("detail: got %+v, want %q", got, want)
	}
}

func TestChangeSingularDetail(t *testing.T) {
	got := topChanges(Counts{Words: 100}, Readability{}, SentenceProfile{}, nFlags(FlagIntensifier, "Very", 1))
	want := Change{Title: "Cut 1 intensifier", Detail: `Found "very". Delete it, or use one precise word ("very big" → "huge").`, Kind: FlagIntensifier, Count: 1}
	if len(got) != 1 || got[0] != want {
		t.Errorf("got %+v, want [%+v]", got, want)
	}
}
