package analysis

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// flagsIn runs findFlags on text with a fresh offset index.
func flagsIn(text string) []Flag { return findFlags(text, newOffsetIndex(text)) }

// kindText is a flag reduced to what most cases check.
type kindText struct {
	kind FlagKind
	text string
}

func kindTexts(flags []Flag) []kindText {
	out := make([]kindText, len(flags))
	for i, f := range flags {
		out[i] = kindText{f.Kind, f.Text}
	}
	return out
}

// TestFlagKinds checks the complete list of flags for short texts.
func TestFlagKinds(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []kindText
	}{
		{"clean", "Please send the report by Friday.", nil},
		{"so with comma is a filler", "So, I need the numbers.", []kindText{{FlagFiller, "So"}}},
		{"so before a pronoun is a filler", "So we need the numbers.", []kindText{{FlagFiller, "So"}}},
		{"so? alone is not a filler", "So?", nil},
		{"so. alone is not a filler", "So. What now?", nil},
		{"so much is not a filler", "So much to do today.", nil},
		{"so mid-sentence is not a filler", "It rained, so we stayed in.", nil},
		{"um and uh", "Um, the plan is, uh, ready.", []kindText{{FlagFiller, "Um"}, {FlagFiller, "uh"}}},
		{"like the verb", "I like pizza.", nil},
		{"would like", "Would you like tea? I would like that.", nil},
		{"like the preposition", "It looks like rain. Stuff like that.", nil},
		{"like between commas", "It was, like, huge.", []kindText{{FlagFiller, "like"}}},
		{"quotative like", "She was like, no way.", []kindText{{FlagFiller, "like"}}},
		{"like before a number", "It took, like 20 minutes.", []kindText{{FlagFiller, "like"}}},
		{"you know filler", "It is, you know, hard.", []kindText{{FlagFiller, "you know"}}},
		{"you know question", "Do you know the answer? As you know, it is late.", nil},
		{"basically actually literally", "Basically it actually works, literally.",
			[]kindText{{FlagFiller, "Basically"}, {FlagFiller, "actually"}, {FlagFiller, "literally"}}},
		{"hedges", "I think maybe we might ship. Perhaps. Hopefully soon.",
			[]kindText{{FlagHedge, "I think"}, {FlagHedge, "maybe"}, {FlagHedge, "might"}, {FlagHedge, "Perhaps"}, {FlagHedge, "Hopefully"}}},
		{"i feel like is one hedge", "I feel like it works.", []kindText{{FlagHedge, "I feel like"}}},
		{"just wanted to", "I just wanted to check in.", []kindText{{FlagHedge, "just wanted to"}}},
		{"not sure but", "I'm not sure but it could work.", []kindText{{FlagHedge, "I'm not sure but"}}},
		{"kind of hedge", "It is kind of late.", []kindText{{FlagHedge, "kind of"}}},
		{"what kind of is a noun phrase", "What kind of report is it? A sort of summary.", nil},
		{"a bit hedge, quite a bit fine", "It is a bit late. It costs quite a bit.", []kindText{{FlagHedge, "a bit"}}},
		{"weasels", "Many people say it works. Experts agree. There are various options.",
			[]kindText{{FlagWeasel, "Many people say"}, {FlagWeasel, "Experts agree"}, {FlagWeasel, "various"}}},
		{"it is said is weasel not passive", "It is said that the plan failed.", []kindText{{FlagWeasel, "It is said"}}},
		{"very few is weasel not intensifier", "Very few teams do this.", []kindText{{FlagWeasel, "Very few"}}},
		{"jargon", "Let's leverage our synergy and touch base going forward.",
			[]kindText{{FlagJargon, "leverage"}, {FlagJargon, "synergy"}, {FlagJargon, "touch base"}, {FlagJargon, "going forward"}}},
		{"jargon inflected", "We are leveraging it and utilized the budget.",
			[]kindText{{FlagJargon, "leveraging"}, {FlagJargon, "utilized"}}},
		{"intensifiers", "It is very good and really extremely fast.",
			[]kindText{{FlagIntensifier, "very"}, {FlagIntensifier, "really"}, {FlagIntensifier, "extremely"}}},
		{"rather as a degree word", "It is rather late.", []kindText{{FlagHedge, "rather"}}},
		{"rather as a preference", "I would rather wait, rather than rush.", nil},
		{"quite", "It is quite good. I don't quite follow.", []kindText{{FlagIntensifier, "quite"}}},
		{"super bowl is a name", "We watched the Super Bowl. That was super!", nil},
		{"apologies", "Sorry to bother you. I apologize for the mess.",
			[]kindText{{FlagApology, "Sorry to bother you"}, {FlagApology, "I apologize for"}}},
		{"sorry but", "I'm sorry but I disagree.", []kindText{{FlagApology, "I'm sorry but"}}},
		{"sorry to hear is kind", "I'm so sorry to hear about your loss.", nil},
		{"thank you very much is kind", "Thank you very much!", nil},
		{"repeated", "Send the the report.", []kindText{{FlagRepeated, "the the"}}},
		{"repeated across a line break", "Send the\nthe report.", []kindText{{FlagRepeated, "the\nthe"}}},
		{"repeated case-insensitive", "The the report.", []kindText{{FlagRepeated, "The the"}}},
		{"repeated three times", "It is is is done.", []kindText{{FlagRepeated, "is is is"}}},
		{"had had and that that are fine", "He had had enough. He said that that was fine.", nil},
		{"repeat across punctuation is fine", "Done. Done!", nil},
		{"repeated numbers are fine", "Rows 1 1 2 3 5 8.", nil},
		{"shouting", "This is URGENT.", []kindText{{FlagShouting, "URGENT"}}},
		{"shouting run merged", "PLEASE STOP NOW!!", []kindText{{FlagShouting, "PLEASE STOP NOW!!"}}},
		{"acronyms are not shouting", "Send the PDF to the CEO ASAP, FYI the KPI and OKR are due EOD. The API and HR team agree.", nil},
		{"two letters are not shouting", "OK, I AM in.", nil},
		{"roman numerals are not shouting", "See chapter XIV and part III.", nil},
		{"words with digits are not shouting", "Buy the MP3 and 4K TV.", nil},
		{"bangs", "Great!! Really?! Done!", []kindText{{FlagShouting, "!!"}, {FlagIntensifier, "Really"}, {FlagShouting, "?!"}}},
		{"one bang is fine", "Great! Why? Sure.", nil},
		{"non-inclusive", "Hey guys, the chairman needs more manpower for the whitelist.",
			[]kindText{{FlagNonInclusive, "Hey guys"}, {FlagNonInclusive, "chairman"}, {FlagNonInclusive, "manpower"}, {FlagNonInclusive, "whitelist"}}},
		{"guys not as address", "The guys from IT fixed it.", nil},
		{"master/slave", "Use a master/slave setup and a sanity check.",
			[]kindText{{FlagNonInclusive, "master/slave"}, {FlagNonInclusive, "sanity check"}}},
		{"ableist", "That deadline is crazy.", []kindText{{FlagNonInclusive, "crazy"}}},
		{"caps non-inclusive beats shouting", "Listen up, GUYS.", []kindText{{FlagNonInclusive, "GUYS"}}},
		{"passive", "The project was killed.", []kindText{{FlagPassive, "was killed"}}},
		{"not passive: adjective", "I was tired and he is interested.", nil},
		{"multiple spaces in a phrase", "Let's touch    base.", []kindText{{FlagJargon, "touch    base"}}},
		{"phrase across a line break", "We should circle\r\nback.", []kindText{{FlagJargon, "circle\r\nback"}}},
		{"no phrase across punctuation", "Touch, base.", nil},
		{"curly apostrophe", "I’m not sure but I’ll try to help.",
			[]kindText{{FlagHedge, "I’m not sure but"}, {FlagHedge, "I’ll try to"}}},
		{"no match inside a word", "Basicallyness and unleverage.", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := kindTexts(flagsIn(tt.text))
			if !slices.Equal(got, tt.want) {
				t.Errorf("flags of %q:\n got %v\nwant %v", tt.text, got, tt.want)
			}
		})
	}
}

// TestFlagOffsets checks rune and UTF-16 offsets exactly.
func TestFlagOffsets(t *testing.T) {
	tests := []struct {
		name string
		text string
		kind FlagKind
		want Span
	}{
		{"ascii", "Well basically yes", FlagFiller, Span{Start: 5, End: 14, Start16: 5, End16: 14}},
		// 😀 is one rune and two UTF-16 units: Start moves by 2 and Start16 by 3 (space included).
		{"emoji before", "😀 basically", FlagFiller, Span{Start: 2, End: 11, Start16: 3, End16: 12}},
		{"two emoji before", "👍🏽👍 we leverage it", FlagJargon, Span{Start: 7, End: 15, Start16: 10, End16: 18}},
		{"CJK before", "中文很好 basically", FlagFiller, Span{Start: 5, End: 14, Start16: 5, End16: 14}},
		{"Arabic before", "مرحبا بكم basically", FlagFiller, Span{Start: 10, End: 19, Start16: 10, End16: 19}},
		{"Hebrew after", "basically שלום", FlagFiller, Span{Start: 0, End: 9, Start16: 0, End16: 9}},
		{"combining mark before", "cafe\u0301 basically", FlagFiller, Span{Start: 6, End: 15, Start16: 6, End16: 15}},
		{"emoji inside a phrase span", "🎉 the\nthe 🎉", FlagRepeated, Span{Start: 2, End: 9, Start16: 3, End16: 10}},
		{"passive after emoji", "🚀 It was killed.", FlagPassive, Span{Start: 5, End: 15, Start16: 6, End16: 16}},
		{"astral letters", "𝐀𝐁𝐂 basically", FlagFiller, Span{Start: 4, End: 13, Start16: 7, End16: 16}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []Span
			for _, f := range flagsIn(tt.text) {
				if f.Kind == tt.kind {
					got = append(got, f.Span)
				}
			}
			if len(got) != 1 || got[0] != tt.want {
				t.Errorf("%s spans in %q: got %+v, want [%+v]", tt.kind, tt.text, got, tt.want)
			}
		})
	}
}

// checkFlagInvariants checks what must hold for any text: sorted,
// non-overlapping, in bounds, Text equal to the span, UTF-16 offsets
// consistent, and a message and a suggestion for every flag.
func checkFlagInvariants(t *testing.T, text string, flags []Flag) {
	t.Helper()
	runes := []rune(text)
	prefix16 := make([]int, len(runes)+1)
	for i, r := range runes {
		prefix16[i+1] = prefix16[i] + len(utf16.Encode([]rune{r}))
	}
	lastEnd := 0
	for _, f := range flags {
		if f.Start < lastEnd || f.End <= f.Start || f.End > len(runes) {
			t.Fatalf("flag %+v: out of order, empty or out of bounds (previous end %d, %d runes)", f, lastEnd, len(runes))
		}
		lastEnd = f.End
		if got := string(runes[f.Start:f.End]); got != f.Text {
			t.Fatalf("flag %+v: text at runes [%d,%d) is %q, want %q", f, f.Start, f.End, got, f.Text)
		}
		if f.Start16 != prefix16[f.Start] || f.End16 != prefix16[f.End] {
			t.Fatalf("flag %q: UTF-16 [%d,%d), want [%d,%d)", f.Text, f.Start16, f.End16, prefix16[f.Start], prefix16[f.End])
		}
		if f.Message == "" || f.Suggestion == "" || strings.Contains(f.Message+f.Suggestion, "{") {
			t.Fatalf("flag %+v: missing or unrendered message/suggestion", f)
		}
		if f.Kind == FlagLongSentence || kindIndex(f.Kind) == kindCount-1 {
			t.Fatalf("flag %+v: unexpected kind", f)
		}
	}
}

// TestFlagInvariants runs odd inputs of every script through the scanner.
func TestFlagInvariants(t *testing.T) {
	texts := []string{
		"",
		" ",
		"\n\n\n",
		"!!!",
		"?!?!",
		"'",
		"-",
		"’’’",
		"a",
		"So",
		"so,",
		"like",
		"the the",
		"was",
		"was killed",
		"by",
		"It was killed by",
		"It was killed by me",
		"💥💥💥 URGENT!!! 💥💥💥",
		"👨‍👩‍👧‍👦 family emoji basically",
		"中文文本没有空格但是很长的句子。然后又一句！真的吗？！",
		"日本語のテキスト、basically、そして英語。",
		"مرحبا، هذا نص عربي؟ basically نعم!!",
		"שלום עולם, basically זה טקסט בעברית.",
		"Ёлка и ЁЛКА ЁЛКА",
		"ÜBER ALLES über über",
		"e\u0301e\u0301e\u0301 \u0301basically \u0301",
		"\uFEFFbasically\u200Bbasically",
		"a\u2028b\u2029so, basically",
		"tab\tseparated\tvery\tvery\twords",
		"don't can't won't ’tis 'em rock'n'roll -dash- /slash/ 3.5 10,000",
		"I’m’ sorry’’ but",
		"MASTER/SLAVE WHITELIST/BLACKLIST",
		"ⅫⅣ Ⅻ", // Roman numeral code points
		"\xff\xfe invalid basically \xc3",
	}
	for _, text := range texts {
		flags := flagsIn(text)
		checkFlagInvariants(t, text, flags)
	}
}

// FuzzFindFlags checks the invariants on arbitrary text (repaired to valid
// UTF-8 first, as Analyze does).
func FuzzFindFlags(f *testing.F) {
	for _, seed := range []string{"So, basically the the\nreport was killed!!", "😀 I’m sorry but GUYS", "中文 مرحبا basically", "a\u0301 was tired"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		text = strings.ToValidUTF8(text, "\uFFFD")
		flags, _ := scanFlags(text, newOffsetIndex(text))
		checkFlagInvariants(t, text, flags)
		c := Counts{Words: len(strings.Fields(text)), Sentences: 1}
		s := score(c, Readability{}, SentenceProfile{Count: 1}, flags)
		for _, v := range []int{s.Overall, s.Clarity, s.Concision, s.Confidence, s.Warmth} {
			if v < 0 || v > 100 {
				t.Fatalf("score %+v out of range", s)
			}
		}
		if changes := topChanges(c, Readability{}, SentenceProfile{}, flags); changes == nil || len(changes) > 3 {
			t.Fatalf("changes %v: want a non-nil slice of at most 3", changes)
		}
	})
}

// TestFlagCorpus checks the invariants on real dialogues when the shared
// corpus is present.
func TestFlagCorpus(t *testing.T) {
	texts := flagCorpusTexts(t)
	if texts == nil {
		t.Skip("shared corpus not found: ../shared/corpora/persuasionforgood/readability-reference.jsonl")
	}
	total := 0
	for _, text := range texts {
		flags := flagsIn(text)
		checkFlagInvariants(t, text, flags)
		total += len(flags)
	}
	if total == 0 {
		t.Errorf("no flags in %d real dialogues", len(texts))
	}
}

// TestFlagLongSentenceNoPunctuation: a 5,000-word sentence with no
// punctuation is fine and fast.
func TestFlagLongSentenceNoPunctuation(t *testing.T) {
	words := strings.Fields("we should basically leverage the data and the team said that it was killed by the board so maybe we can circle back later today")
	var b strings.Builder
	for i := 0; i < 5000; i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(words[i%len(words)])
	}
	text := b.String()
	start := time.Now()
	flags := flagsIn(text)
	if d := time.Since(start); d > time.Second {
		t.Errorf("5,000 words took %v", d)
	}
	checkFlagInvariants(t, text, flags)
	per := map[FlagKind]int{}
	for _, f := range flags {
		per[f.Kind]++
	}
	// 5000 words / 25 per cycle = 200 cycles.
	for kind, want := range map[FlagKind]int{FlagFiller: 200, FlagJargon: 400, FlagPassive: 200, FlagHedge: 200} {
		if per[kind] != want {
			t.Errorf("%s flags: got %d, want %d", kind, per[kind], want)
		}
	}
}

// TestFlagSuggestions checks the wording of messages and suggestions.
func TestFlagSuggestions(t *testing.T) {
	tests := []struct {
		text, flagText, wantSuggestion string
	}{
		{"Basically, it works.", "Basically", `Delete "Basically"`},
		{"We utilize it.", "utilize", `Say "use" instead of "utilize"`},
		{"Utilizing it helps.", "Utilizing", `Say "Using" instead of "Utilizing"`},
		{"Let's circle back.", "circle back", `Say "follow up" instead of "circle back"`},
		{"The project was killed by the team.", "was killed", `Put the doer first: "The team killed …" instead of "was killed by the team"`},
		{"It was written by me.", "was written", `Put the doer first: "I wrote …" instead of "was written by me"`},
		{"The project was killed.", "was killed", `Name who did it, e.g. "The team killed …" instead of "was killed"`},
		{"It was done by Friday.", "was done", `Name who did it, e.g. "The team did …" instead of "was done"`},
		{"The budget was not approved.", "was not approved", `Name who is responsible, e.g. "The team hasn't approved it" instead of "was not approved"`},
		{"Sorry for the delay.", "Sorry for the delay", `Thank instead: "Thanks for your patience"`},
		{"Hi guys.", "Hi guys", `Say "Hi everyone" instead of "Hi guys"`},
		{"the the end", "the the", `Delete the second "the"`},
		{"This is URGENT!!!", "URGENT!!!", `Write "urgent" in normal case and use one "!" at most`},
		{"Why?!", "?!", `Use a plain "?"`},
		{"Wow!!!", "!!!", `Use one "!", or none`},
		{"So, we start.", "So", `Delete "So" and start with your point`},
		{"I think it works.", "I think", `Delete "I think" and say it directly`},
	}
	for _, tt := range tests {
		var got *Flag
		flags := flagsIn(tt.text)
		for i := range flags {
			if flags[i].Text == tt.flagText {
				got = &flags[i]
			}
		}
		if got == nil {
			t.Errorf("%q: no flag on %q (flags %v)", tt.text, tt.flagText, kindTexts(flags))
			continue
		}
		if got.Suggestion != tt.wantSuggestion {
			t.Errorf("%q: suggestion got %q, want %q", tt.text, got.Suggestion, tt.wantSuggestion)
		}
		if !strings.Contains(got.Message, got.Text) && got.Kind != FlagRepeated {
			t.Errorf("%q: message %q does not quote %q", tt.text, got.Message, got.Text)
		}
	}
}

// TestFlagLexicon checks the word lists themselves.
func TestFlagLexicon(t *testing.T) {
	perKind := map[FlagKind]int{}
	for w, info := range lexicon {
		if w != strings.ToLower(w) || strings.ContainsAny(w, " \t’") {
			t.Errorf("lexicon key %q: want lower case, one word, straight apostrophes", w)
		}
		for _, e := range info.entries {
			perKind[e.kind]++
			for _, part := range e.words {
				if part == "" || strings.ContainsAny(part, "{}|@=") {
					t.Errorf("entry %v: bad word %q", e.words, part)
				}
			}
			if e.kind != "" && (e.group.message == "" || e.group.suggest == "") {
				t.Errorf("entry %v: no message or suggestion", e.words)
			}
			if strings.Contains(e.group.suggest, "{alt}") && e.alt == "" {
				t.Errorf("entry %v: suggestion needs an alternative", e.words)
			}
		}
	}
	if perKind[FlagJargon] < 40 {
		t.Errorf("jargon entries: got %d, want ≥ 40", perKind[FlagJargon])
	}
	for _, k := range []FlagKind{FlagFiller, FlagHedge, FlagWeasel, FlagIntensifier, FlagApology, FlagNonInclusive} {
		if perKind[k] < 5 {
			t.Errorf("%s entries: got %d, want ≥ 5", k, perKind[k])
		}
	}
}

// TestFlagWarmthCues checks the warm words counted on the same pass.
func TestFlagWarmthCues(t *testing.T) {
	text := "Thanks for your help! Could you please send it? We appreciate it, and let’s talk."
	_, got := scanFlags(text, newOffsetIndex(text))
	want := warmthCues{known: true, thanks: 2, please: 1, we: 2, you: 2}
	if got != want {
		t.Errorf("cues: got %+v, want %+v", got, want)
	}
}

// TestFlagDeterministic: the same text always gives the same flags.
func TestFlagDeterministic(t *testing.T) {
	text := "So, basically I think the the report was killed by the team!! Sorry, guys. VERY URGENT."
	first := flagsIn(text)
	for i := 0; i < 20; i++ {
		if got := flagsIn(text); !slices.Equal(got, first) {
			t.Fatalf("run %d differs:\n got %v\nwant %v", i, got, first)
		}
	}
}

// flagCorpusTexts reads the dialogues of the shared reference file, or nil.
func flagCorpusTexts(tb testing.TB) []string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		return nil
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return nil
		}
		dir = parent
	}
	f, err := os.Open(filepath.Join(dir, "..", "shared", "corpora", "persuasionforgood", "readability-reference.jsonl"))
	if err != nil {
		return nil
	}
	defer f.Close()
	var texts []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var row struct {
			Text string `json:"text"`
		}
		if json.Unmarshal(sc.Bytes(), &row) == nil && row.Text != "" {
			texts = append(texts, row.Text)
		}
	}
	return texts
}

// flagBenchText is about 1 MB of real dialogue (or a built-in paragraph when
// the shared corpus is absent).
func flagBenchText(b *testing.B) string {
	unit := strings.Join(flagCorpusTexts(b), "\n\n")
	if unit == "" {
		b.Log("shared corpus not found: benchmarking a built-in paragraph")
		unit = "Hi guys, so I just wanted to circle back on the report. I think it was basically " +
			"finished by the team last week, but the numbers are, like, really off!! Sorry to bother you. " +
			"Could you please take a look? Thanks so much 😊 — 中文 and العربية too.\n\n"
	}
	var sb strings.Builder
	for sb.Len() < 1<<20 {
		sb.WriteString(unit)
	}
	return sb.String()
}

// BenchmarkFindFlags measures the scanner's throughput (MB/s, one core).
func BenchmarkFindFlags(b *testing.B) {
	text := flagBenchText(b)
	idx := newOffsetIndex(text)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		findFlags(text, idx)
	}
}

// BenchmarkFlagsScoresChanges measures the coaching half of Analyze: the
// offset index, the flags, the scores and the top changes.
func BenchmarkFlagsScoresChanges(b *testing.B) {
	text := flagBenchText(b)
	c := Counts{Words: utf8.RuneCountInString(text) / 6, Sentences: 1000}
	p := SentenceProfile{Count: 1000, MeanWords: 15}
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		idx := newOffsetIndex(text)
		flags, cues := scanFlags(text, idx)
		scoreWithCues(c, Readability{}, p, flags, cues)
		topChanges(c, Readability{}, p, flags)
	}
}

// TestPassive lists what is and is not passive voice.
func TestPassive(t *testing.T) {
	tests := []struct {
		text string
		want string // the passive flag's text, or "" for none
	}{
		{"The project was killed.", "was killed"},
		{"The project was killed by the team.", "was killed"},
		{"The report is done.", "is done"},
		{"The tests were written last week.", "were written"},
		{"It has been decided.", "been decided"},
		{"The code is being reviewed.", "is being reviewed"},
		{"The budget was quickly approved.", "was quickly approved"},
		{"The budget wasn't approved.", "wasn't approved"},
		{"The budget was not approved.", "was not approved"},
		{"Mistakes were made.", "were made"},
		{"It will be taken care of.", "be taken"},
		{"The file is attached.", "is attached"},
		{"The data was collected and analysed.", "was collected"},
		{"Terms were agreed.", "were agreed"},
		{"He got fired.", "got fired"},
		{"The door was unlocked.", "was unlocked"},
		{"IT WAS KILLED.", "WAS KILLED"},
		{"It’s been broken for days.", "It’s been broken"},
		{"I was tired.", ""},
		{"She is interested in the role.", ""},
		{"We were excited.", ""},
		{"I am bored.", ""},
		{"The office is located in Berlin.", ""},
		{"It is based on real data.", ""},
		{"I'm used to it.", ""},
		{"I'm done with it.", ""},
		{"We're done.", ""},
		{"You are supposed to ask.", ""},
		{"He is married.", ""},
		{"It was unexpected.", ""},
		{"The need is real and the speed is good.", ""},
		{"This is indeed true.", ""},
		{"My name is Ted.", ""},
		{"It is well-known.", ""},
		{"There are a hundred.", ""},
		{"Let's get started.", ""},
		{"We got lost.", ""},
		{"He was born in 1990.", ""},
		{"The door is open.", ""},
		{"It was red.", ""},
		{"The fee was $5.", ""},
		{"It is, killed.", ""},
	}
	for _, tt := range tests {
		var got []string
		for _, f := range flagsIn(tt.text) {
			if f.Kind == FlagPassive {
				got = append(got, f.Text)
			}
		}
		want := []string{}
		if tt.want != "" {
			want = []string{tt.want}
		}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("passive in %q: got %q, want %q", tt.text, got, want)
		}
	}
}
