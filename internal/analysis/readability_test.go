package analysis

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"unicode/utf16"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// ---------------------------------------------------------------------------
// Formulas from known counts.

func TestReadabilityFormulasFromCounts(t *testing.T) {
	cases := []struct {
		name string
		got  float64
		want float64
	}{
		// W=100, S=5, Y=150: W/S = 20, Y/W = 1.5
		{"FRE", fleschReadingEase(100, 5, 150), 206.835 - 1.015*20 - 84.6*1.5}, // 59.635
		{"FRE value", fleschReadingEase(100, 5, 150), 59.635},
		{"FK", fleschKincaidGrade(100, 5, 150), 0.39*20 + 11.8*1.5 - 15.59}, // 9.91
		{"FK value", fleschKincaidGrade(100, 5, 150), 9.91},
		// D=10 difficult words of 100: 0.4·(20 + 10)
		{"fog", gunningFog(100, 5, 10), 12},
		// P=12 polysyllables in 5 sentences: 1.043·√72 + 3.1291
		{"SMOG", smogIndex(5, 12), 1.043*math.Sqrt(72) + 3.1291},
		{"SMOG value", smogIndex(5, 12), 11.979248},
		{"SMOG no polysyllables", smogIndex(5, 0), 3.1291},
		// L=450 letters: 0.058·450 − 0.296·5 − 15.8
		{"CLI", colemanLiau(100, 5, 450), 8.82},
		// C=550 characters over T=110 tokens: 4.71·5 + 0.5·20 − 21.43
		{"ARI", automatedReadability(100, 5, 550, 110), 12.12},
		// The first reference dialogue: W=137, S=18, Y=178 → textstat 89.191 and 2.71.
		{"FRE reference", fleschReadingEase(137, 18, 178), 89.191},
		{"FK reference", fleschKincaidGrade(137, 18, 178), 2.710},
	}
	for _, c := range cases {
		if !near(c.got, c.want, 0.0006) {
			t.Errorf("%s: got %.6f, want %.6f", c.name, c.got, c.want)
		}
	}
}

func TestReadabilityFromCountsRoundsAndGrades(t *testing.T) {
	c := Counts{Words: 100, Sentences: 5, Syllables: 150, Characters: 550, Letters: 450, Polysyllables: 12, DifficultWords: 10}
	r := readabilityFromCounts(c, 110)
	want := Readability{
		FleschReadingEase:    59.635,
		FleschKincaidGrade:   9.91,
		GunningFog:           12,
		SMOG:                 11.979,
		ColemanLiau:          8.82,
		AutomatedReadability: 12.12,
		PlainGrade:           GradeFairlyHard,
	}
	if r != want {
		t.Errorf("got %+v\nwant %+v", r, want)
	}
	// No words: zeros, never NaN.
	zero := readabilityFromCounts(Counts{}, 0)
	if zero != (Readability{PlainGrade: GradeNone}) {
		t.Errorf("no words: got %+v", zero)
	}
}

func TestReadabilityPlainGrade(t *testing.T) {
	cases := []struct {
		fre  float64
		want string
	}{
		{120, GradeVeryEasy}, {90, GradeVeryEasy}, {80, GradeVeryEasy},
		{79.99, GradeEasy}, {70, GradeEasy},
		{65, GradePlain}, {60, GradePlain},
		{55, GradeFairlyHard}, {50, GradeFairlyHard},
		{49.9, GradeHard}, {30, GradeHard},
		{29.9, GradeVeryHard}, {-500, GradeVeryHard},
	}
	for _, c := range cases {
		if got := plainGrade(10, c.fre); got != c.want {
			t.Errorf("plainGrade(FRE %.2f) = %q, want %q", c.fre, got, c.want)
		}
	}
	if got := plainGrade(0, 0); got != GradeNone {
		t.Errorf("no words: %q", got)
	}
}

func TestReadabilityRound3(t *testing.T) {
	for _, c := range []struct{ in, want float64 }{
		{1.23449, 1.234}, {1.2345001, 1.235}, {-2.0004, -2}, {math.NaN(), 0}, {math.Inf(1), 0}, {math.Inf(-1), 0},
	} {
		if got := round3(c.in); got != c.want {
			t.Errorf("round3(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}

// ---------------------------------------------------------------------------
// Tokenizer: remove_punctuation, lexicon_count, sentences.

func TestWordsRemovePunctuation(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Hello, world!", "Hello world"},
		{"don't", "don't"},
		{"it's they're we'll I'd we've", "it's they're we'll I'd we've"},
		{"'quoted'", "quoted"},
		{"'twas", "twas"},
		{"rock'n'roll", "rocknroll"},
		{"DON'T", "DONT"}, // the lookahead is case-sensitive: [tsd]
		{"it'sa", "itsa"}, // no word boundary after the s
		{"dogs' bones", "dogs bones"},
		{"it's-fine", "it'sfine"}, // boundary before "-": apostrophe kept
		{"e-mail non-governmental", "email nongovernmental"},
		{"naïve café", "naïve café"},
		{"smile 😀!", "smile "},
		{"snake_case", "snake_case"},
		{"$1,000.50", "100050"},
		{"مرحبا، بالعالم", "مرحبا بالعالم"},
		{"日本語。テキスト", "日本語テキスト"},
	}
	for _, c := range cases {
		if got := removePunctuation(c.in); got != c.want {
			t.Errorf("removePunctuation(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestWordsLexiconCount(t *testing.T) {
	cases := []struct {
		in   string
		want int
	}{
		{"", 0},
		{"   ", 0},
		{"Hello, world!", 2},
		{"a - b", 2},
		{"— ... !!! ???", 0},
		{"😀 😀👍", 0},
		{"I ❤️ Go", 2},
		{"日本語のテキスト", 1},
		{"مرحبا بكم في كارا", 4},
		{"שלום עולם", 2},
		{"1,000 people", 2},
		{"  leading\ttabs\nnew\r\nlines  ", 4},
		{"a\u00a0b", 2},   // no-break space splits (str.isspace)
		{"a\u2003b", 2},   // em space
		{"a\u200bb", 1},   // zero-width space does not
		{"a\x1cb", 2},     // Python treats U+001C as whitespace
		{"don't stop", 2}, // contraction is one word
		{"state-of-the-art", 1},
		{"e.g. this", 2},
		{"__init__", 1},
	}
	for _, c := range cases {
		if got := lexiconCount(c.in); got != c.want {
			t.Errorf("lexiconCount(%q) = %d, want %d", c.in, got, c.want)
		}
		if got := len(strings.Fields(removePunctuationSpaces(c.in))); got != c.want {
			t.Errorf("split(removePunctuation(%q)) = %d, want %d", c.in, got, c.want)
		}
	}
}

// removePunctuationSpaces maps Python-only whitespace to a space so that
// strings.Fields splits like str.split on the result of removePunctuation.
func removePunctuationSpaces(s string) string {
	return strings.Map(func(r rune) rune {
		if isSpaceRune(r) {
			return ' '
		}
		return r
	}, removePunctuation(s))
}

func TestSentenceScanner(t *testing.T) {
	cases := []struct {
		in      string
		matches []string
		words   []int
		count   int // textstat sentence_count
	}{
		{"", nil, nil, 0},
		{"!!!", nil, nil, 1},
		{"Hello world. How are you? Fine!", []string{"Hello world.", "How are you?", "Fine!"}, []int{2, 3, 1}, 1},
		{"I like it. You like it too. We all do!", []string{"I like it.", "You like it too.", "We all do!"}, []int{3, 4, 3}, 3},
		{"Wait... what?! Really", []string{"Wait...", "what?!", "Really"}, []int{1, 1, 1}, 1},
		{"3.5 million people live here.", []string{"3.", "5 million people live here."}, []int{1, 5}, 1},
		{"...so it begins here now", []string{"so it begins here now"}, []int{5}, 1},
		{"'Tis the season. \"Go now,\" she said quietly.", []string{"Tis the season.", "Go now,\" she said quietly."}, []int{3, 5}, 2},
		{"no punctuation at all\n\nstill none", []string{"no punctuation at all\n\nstill none"}, []int{6}, 1},
		{"Привет мир как дела. Всё хорошо у меня.", []string{"Привет мир как дела.", "Всё хорошо у меня."}, []int{4, 4}, 2},
		{"😀 Great job team. Thanks a lot!", []string{"Great job team.", "Thanks a lot!"}, []int{3, 3}, 2},
	}
	for _, c := range cases {
		var got []string
		var words []int
		scanSentences(c.in, func(m sentenceMatch) {
			got = append(got, c.in[m.start:m.end])
			words = append(words, m.words)
		})
		if strings.Join(got, "|") != strings.Join(c.matches, "|") {
			t.Errorf("scanSentences(%q) = %q, want %q", c.in, got, c.matches)
		}
		if len(words) == len(c.words) {
			for i := range words {
				if words[i] != c.words[i] {
					t.Errorf("scanSentences(%q) words = %v, want %v", c.in, words, c.words)
					break
				}
			}
		}
		if n := sentenceCount(c.in); n != c.count {
			t.Errorf("sentenceCount(%q) = %d, want %d", c.in, n, c.count)
		}
	}
}

// ---------------------------------------------------------------------------
// measure on whole texts, including the awkward ones.

func measureText(text string) (Counts, Readability, SentenceProfile) {
	return measure(text, newOffsetIndex(text))
}

// checkInvariants holds for every text: no NaN/Inf, lengths add up to the
// word count, spans inside the text and in order, JSON encodes.
func checkInvariants(t *testing.T, text string, c Counts, r Readability, p SentenceProfile) {
	t.Helper()
	for name, v := range map[string]float64{
		"FRE": r.FleschReadingEase, "FK": r.FleschKincaidGrade, "fog": r.GunningFog,
		"SMOG": r.SMOG, "CLI": r.ColemanLiau, "ARI": r.AutomatedReadability,
		"mean": p.MeanWords, "median": p.MedianWords,
	} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Errorf("%s is %v", name, v)
		}
	}
	sum := 0
	for _, n := range p.Lengths {
		if n <= 0 {
			t.Errorf("empty sentence in lengths %v", p.Lengths)
		}
		sum += n
	}
	if sum != c.Words {
		t.Errorf("sentence lengths add up to %d, words = %d", sum, c.Words)
	}
	if p.Count != len(p.Lengths) {
		t.Errorf("count %d != len(lengths) %d", p.Count, len(p.Lengths))
	}
	hist := 0
	for _, b := range p.Histogram {
		hist += b.Count
	}
	if hist != p.Count || len(p.Histogram) != 5 {
		t.Errorf("histogram %v does not cover %d sentences", p.Histogram, p.Count)
	}
	runes := len([]rune(text))
	u16 := len(utf16.Encode([]rune(text)))
	last := -1
	for _, s := range p.Long {
		if s.Start < 0 || s.End > runes || s.Start >= s.End || s.Start < last || s.End16 > u16 || s.Start16 >= s.End16 {
			t.Errorf("bad long-sentence span %+v (text has %d runes, %d UTF-16 units)", s, runes, u16)
		}
		last = s.End
	}
	if c.Words > 0 && (c.Sentences < 1 || c.Letters < c.Words || c.Characters < c.Letters) {
		t.Errorf("inconsistent counts %+v", c)
	}
	// (Syllables may be below Words: a few dictionary words such as "sh"
	// and "hmm" have no vowel phone, and textstat counts them as 0.)
	if c.Polysyllables > c.Words || c.DifficultWords > c.Polysyllables || c.Syllables < 0 {
		t.Errorf("inconsistent counts %+v", c)
	}
	if _, err := json.Marshal(struct {
		C Counts
		R Readability
		P SentenceProfile
	}{c, r, p}); err != nil {
		t.Errorf("JSON: %v", err)
	}
}

func TestReadabilityMeasureEdgeCases(t *testing.T) {
	longSentence := strings.TrimSpace(strings.Repeat("word after word without any stop ", 1000)) // 6,000 words
	cases := []struct {
		name       string
		text       string
		words      int
		sentences  int
		paragraphs int
		profile    []int
	}{
		{"empty", "", 0, 0, 0, []int{}},
		{"only punctuation", "?!... --- !!! ,,, “” ‘’", 0, 0, 1, []int{}},
		{"only emoji", "😀 👍🏽 🎉", 0, 0, 1, []int{}},
		{"simple", "The cat sat on the mat. It was happy there.", 10, 2, 1, []int{6, 4}},
		{"emoji between words", "I love it 😀😀. Great job, team! 👍", 6, 2, 1, []int{3, 3}},
		{"CJK", "我喜欢读书。这是一本好书。", 1, 1, 1, []int{1}},
		{"Arabic", "مرحبا بكم في كارا. هذا نص تجريبي للتحليل.", 8, 2, 1, []int{4, 4}},
		{"Hebrew", "שלום לכולם וברוכים הבאים. זה טקסט לבדיקה בלבד.", 8, 2, 1, []int{4, 4}},
		{"numbers", "In 2018 we raised $1,000,000 for 3.5 million kids.", 9, 2, 1, []int{9}},
		{"no punctuation, long", longSentence, 6000, 1, 1, []int{6000}},
		{"paragraphs", "First part here\n\nSecond part here\n \n\nThird one.", 8, 1, 3, []int{3, 3, 2}},
		{"abbreviations", "We met at 10 a.m. and left at noon. Good times.", 11, 2, 1, []int{5, 4, 2}},
		{"invalid UTF-8", "caf\xe9 ok fine then\xff", 4, 1, 1, []int{4}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			counts, read, prof := measureText(c.text)
			checkInvariants(t, c.text, counts, read, prof)
			if counts.Words != c.words || counts.Sentences != c.sentences || counts.Paragraphs != c.paragraphs {
				t.Errorf("words/sentences/paragraphs = %d/%d/%d, want %d/%d/%d",
					counts.Words, counts.Sentences, counts.Paragraphs, c.words, c.sentences, c.paragraphs)
			}
			if len(prof.Lengths) != len(c.profile) {
				t.Fatalf("profile lengths %v, want %v", prof.Lengths, c.profile)
			}
			for i := range c.profile {
				if prof.Lengths[i] != c.profile[i] {
					t.Fatalf("profile lengths %v, want %v", prof.Lengths, c.profile)
				}
			}
			if counts.Words == 0 && read != (Readability{PlainGrade: GradeNone}) {
				t.Errorf("no words but readability %+v", read)
			}
		})
	}
}

func TestReadabilityMeasureCounts(t *testing.T) {
	// "Good morning." etc. from the first reference dialogue, shortened.
	text := "Good morning. How are you doing today? I'm doing pretty good for a Tuesday morning. It's always warm here!"
	c, r, _ := measureText(text)
	want := Counts{
		Words:          19,
		Sentences:      3,  // "Good morning." has 2 words and is ignored
		Syllables:      27, // good mor-ning how are you do-ing to-day i'm do-ing pret-ty good for a tues-day mor-ning it's al-ways warm here
		Characters:     88,
		Letters:        82,
		Polysyllables:  0,
		DifficultWords: 0,
		Paragraphs:     1,
	}
	if c != want {
		t.Errorf("counts\n got %+v\nwant %+v", c, want)
	}
	if wantFRE := round3(fleschReadingEase(19, 3, 27)); r.FleschReadingEase != wantFRE {
		t.Errorf("FRE %v, want %v", r.FleschReadingEase, wantFRE)
	}
	// ARI divides characters by all tokens: add a punctuation-only token.
	c2, r2, _ := measureText(text + " —")
	if c2.Words != 19 || c2.Characters != 89 {
		t.Errorf("with a dash: %+v", c2)
	}
	if wantARI := round3(automatedReadability(19, 3, 89, 20)); r2.AutomatedReadability != wantARI {
		t.Errorf("ARI %v, want %v", r2.AutomatedReadability, wantARI)
	}
}

func TestReadabilityDifficultWordsRepeat(t *testing.T) {
	// textstat 0.7.x counts every occurrence of a difficult word.
	text := "Organization matters. The organization grew. Organization, organization!"
	c, _, _ := measureText(text)
	if c.Polysyllables != 4 || c.DifficultWords != 4 {
		t.Errorf("polysyllables %d, difficult %d; want 4 and 4", c.Polysyllables, c.DifficultWords)
	}
	// Familiar words of 3+ syllables are not difficult.
	c, _, _ = measureText("Everybody loved the banana.")
	if c.Polysyllables != 2 || c.DifficultWords != 0 { // ev-ery-bod-y, ba-na-na
		t.Errorf("polysyllables %d, difficult %d; want 2 and 0", c.Polysyllables, c.DifficultWords)
	}
}

func TestSentenceProfile(t *testing.T) {
	sentence := func(n int) string { return strings.TrimSpace(strings.Repeat("go ", n)) + ". " }
	text := sentence(3) + sentence(10) + sentence(5) + sentence(40) + sentence(31) + sentence(11)
	c, _, p := measureText(text)
	checkInvariants(t, text, c, Readability{}, p)
	wantLengths := []int{3, 10, 5, 40, 31, 11}
	if len(p.Lengths) != len(wantLengths) {
		t.Fatalf("lengths %v, want %v", p.Lengths, wantLengths)
	}
	for i := range wantLengths {
		if p.Lengths[i] != wantLengths[i] {
			t.Fatalf("lengths %v, want %v", p.Lengths, wantLengths)
		}
	}
	if p.Count != 6 || p.LongestWords != 40 || p.MeanWords != 16.667 || p.MedianWords != 10.5 {
		t.Errorf("count %d longest %d mean %v median %v", p.Count, p.LongestWords, p.MeanWords, p.MedianWords)
	}
	wantHist := []Bucket{{"1–10", 3}, {"11–20", 1}, {"21–30", 0}, {"31–40", 2}, {"41+", 0}}
	for i, b := range wantHist {
		if p.Histogram[i] != b {
			t.Errorf("histogram %v, want %v", p.Histogram, wantHist)
			break
		}
	}
	if len(p.Long) != 2 {
		t.Fatalf("long sentences %v, want 2", p.Long)
	}
	// The 40-word sentence starts after "go go go. " + 10 gos + 5 gos.
	start := len(sentence(3) + sentence(10) + sentence(5))
	if got := p.Long[0]; got.Start != start || got.End != start+len(sentence(40))-1 {
		t.Errorf("long[0] = %+v, want start %d end %d", got, start, start+len(sentence(40))-1)
	}
}

func TestSentenceProfileUTF16Offsets(t *testing.T) {
	// An emoji is 1 rune but 2 UTF-16 units; the long sentence starts after it.
	words := strings.TrimSpace(strings.Repeat("ünïcode ", 31))
	text := "😀 Hi there friend. " + words + "."
	_, _, p := measureText(text)
	if len(p.Long) != 1 {
		t.Fatalf("long = %v", p.Long)
	}
	got := p.Long[0]
	wantStart := len([]rune("😀 Hi there friend. "))
	wantEnd := len([]rune(text))
	if got.Start != wantStart || got.End != wantEnd || got.Start16 != wantStart+1 || got.End16 != wantEnd+1 {
		t.Errorf("span %+v, want runes %d–%d, UTF-16 %d–%d", got, wantStart, wantEnd, wantStart+1, wantEnd+1)
	}
	if string([]rune(text)[got.Start:got.End]) != words+"." {
		t.Errorf("span text %q", string([]rune(text)[got.Start:got.End]))
	}
}

func TestReadabilityDeterministic(t *testing.T) {
	text := "Déjà vu! The organization's 3rd report — written in 2018 — was, frankly, unreadable.\n\nWhy? Nobody knows 😀"
	c1, r1, p1 := measureText(text)
	for i := 0; i < 5; i++ {
		c2, r2, p2 := measureText(text)
		b1, _ := json.Marshal([]any{c1, r1, p1})
		b2, _ := json.Marshal([]any{c2, r2, p2})
		if string(b1) != string(b2) {
			t.Fatalf("run %d differs:\n%s\n%s", i, b1, b2)
		}
	}
}

// FuzzReadabilityMeasure checks the invariants on arbitrary input; `go test`
// runs the seeds, `go test -fuzz FuzzReadabilityMeasure` explores.
func FuzzReadabilityMeasure(f *testing.F) {
	for _, s := range []string{
		"", " ", "a", "A. B. C.", "3.5.6.7", "'''", "it's'", "\n\n\n", "x\n \n\ny", "e.g. i.e. U.S.A. ok",
		"😀😀😀", "日本語。", "مرحبا.", "a\u00a0b\u2028c", "\xff\xfe", "don't WON'T can't", strings.Repeat("very ", 300),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		c, r, p := measureText(text)
		checkInvariants(t, text, c, r, p)
		// The one-pass tokenizer agrees with the literal translations of
		// textstat's definitions.
		if w := len(strings.Fields(removePunctuationSpaces(text))); c.Words != w || lexiconCount(text) != w {
			t.Errorf("words: measure %d, lexiconCount %d, split(remove_punctuation) %d", c.Words, lexiconCount(text), w)
		}
		if y := syllableCount(text); c.Syllables != y {
			t.Errorf("syllables: measure %d, syllableCount %d", c.Syllables, y)
		}
		if s := sentenceCount(text); c.Words > 0 && c.Sentences != s {
			t.Errorf("sentences: measure %d, sentenceCount %d", c.Sentences, s)
		}
	})
}
