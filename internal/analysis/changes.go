package analysis

import (
	"math"
	"slices"
	"strconv"
	"strings"
)

// topChanges picks the (at most) three changes that would help the text most.
//
// Each kind of flag found is one candidate change, valued
//
//	weight(kind) · min(count, 8)
//
// with weights reflecting how much a reader notices: non-inclusive 5;
// shouting, repeated words and apologies 4; hedges, fillers, jargon and long
// sentences 3; weasel words 2.5; passives 2; intensifiers 1.5. Long sentences
// are counted from the sentence profile (over 30 words). A text above
// Flesch–Kincaid grade 12 (and at least 30 words long) adds a "simplify"
// change valued 2·min(8, grade − 10). The highest values win; ties go to the
// kind whose name sorts first, so the same text always gives the same list.
// The result is never nil.
func topChanges(c Counts, r Readability, p SentenceProfile, flags []Flag) []Change {
	type option struct {
		change Change
		value  float64
		order  string
	}
	var opts []option

	for _, k := range allKinds {
		if k == FlagLongSentence {
			continue
		}
		var found []Flag
		for _, f := range flags {
			if f.Kind == k {
				found = append(found, f)
			}
		}
		if len(found) == 0 {
			continue
		}
		title, advice := changeText(k, len(found))
		opts = append(opts, option{
			change: Change{
				Title:  title,
				Detail: "Found " + listFound(found, k == FlagShouting) + ". " + advice,
				Kind:   k,
				Count:  len(found),
			},
			value: changeWeight(k) * float64(min(len(found), 8)),
			order: string(k),
		})
	}

	if n := len(p.Long); n > 0 {
		opts = append(opts, option{
			change: Change{
				Title:  longTitle(n),
				Detail: longDetail(p.Lengths, n),
				Kind:   FlagLongSentence,
				Count:  n,
			},
			value: changeWeight(FlagLongSentence) * float64(min(n, 8)),
			order: string(FlagLongSentence),
		})
	}

	if g := r.FleschKincaidGrade; g > 12 && c.Words >= 30 {
		opts = append(opts, option{
			change: Change{
				Title: "Use shorter words and sentences",
				Detail: "The text reads at Flesch–Kincaid grade " + strconv.FormatFloat(g, 'f', 1, 64) +
					", hard going for busy readers and for anyone reading in a second language. Aim for grade 7–10.",
				Count: 1,
			},
			value: 2 * math.Min(8, g-10),
			order: "readability",
		})
	}

	slices.SortStableFunc(opts, func(a, b option) int {
		if a.value != b.value {
			if a.value > b.value {
				return -1
			}
			return 1
		}
		return strings.Compare(a.order, b.order)
	})
	out := make([]Change, 0, 3)
	for _, o := range opts {
		if len(out) == 3 {
			break
		}
		out = append(out, o.change)
	}
	return out
}

func changeWeight(k FlagKind) float64 {
	switch k {
	case FlagNonInclusive:
		return 5
	case FlagShouting, FlagRepeated, FlagApology:
		return 4
	case FlagHedge, FlagFiller, FlagJargon, FlagLongSentence:
		return 3
	case FlagWeasel:
		return 2.5
	case FlagPassive:
		return 2
	case FlagIntensifier:
		return 1.5
	}
	return 1
}

// changeText gives the title and the advice for n flags of kind k.
func changeText(k FlagKind, n int) (title, advice string) {
	num := strconv.Itoa(n)
	them := plural(n, "it", "them")
	switch k {
	case FlagFiller:
		return "Cut " + num + plural(n, " filler word", " filler words"),
			"Delete " + them + ": the sentences stand without " + them + "."
	case FlagHedge:
		return "Drop " + num + plural(n, " hedge", " hedges") + " to sound sure",
			"Say what you think directly; keep one softener at most, where the news is hard."
	case FlagWeasel:
		return "Back up " + num + plural(n, " vague claim", " vague claims"),
			"Name the source, or give the number."
	case FlagPassive:
		return "Make " + num + plural(n, " passive phrase", " passive phrases") + " active",
			`Say who does what: "The team killed the project", not "The project was killed".`
	case FlagJargon:
		return "Replace " + num + plural(n, " jargon term", " jargon terms") + " with plain words",
			"Plain words read faster and translate better; each flag suggests one."
	case FlagIntensifier:
		return "Cut " + num + plural(n, " intensifier", " intensifiers"),
			"Delete " + them + `, or use one precise word ("very big" → "huge").`
	case FlagApology:
		return "Swap " + num + plural(n, " apology", " apologies") + " for thanks",
			`Thank instead: "Thanks for your patience" beats "Sorry for the delay".`
	case FlagRepeated:
		return "Fix " + num + plural(n, " repeated word", " repeated words"),
			"Delete the extra copy."
	case FlagShouting:
		return "Stop shouting in " + num + plural(n, " place", " places"),
			`Use normal case and at most one "!"; say why it matters instead.`
	case FlagNonInclusive:
		return "Replace " + num + plural(n, " non-inclusive term", " non-inclusive terms"),
			"Each flag suggests a word that includes every reader."
	}
	return "Fix " + num + plural(n, " issue", " issues"), ""
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// listFound names the flagged words, most frequent first, then in order of
// appearance: `"basically" ×2, "just", "kind of"`. Case and spacing are
// folded (except for shouting, where the capitals are the point).
func listFound(found []Flag, keepCase bool) string {
	type item struct {
		text  string
		count int
		first int
	}
	var items []item
	pos := map[string]int{}
	for i, f := range found {
		t := collapseSpace(f.Text)
		if !keepCase {
			t = foldForList(t)
		}
		if k, ok := pos[t]; ok {
			items[k].count++
			continue
		}
		pos[t] = len(items)
		items = append(items, item{text: t, count: 1, first: i})
	}
	slices.SortStableFunc(items, func(a, b item) int {
		if a.count != b.count {
			return b.count - a.count
		}
		return a.first - b.first
	})
	const show = 5
	var b strings.Builder
	for i, it := range items {
		if i == show {
			b.WriteString(", and " + strconv.Itoa(len(items)-show) + " more")
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(`"` + it.text + `"`)
		if it.count > 1 {
			b.WriteString(" ×" + strconv.Itoa(it.count))
		}
	}
	return b.String()
}

// foldForList lower-cases a flagged phrase so "So" and "so" count together,
// but keeps the pronoun I upper-case ("I think", "I'm sorry").
func foldForList(t string) string {
	words := strings.Split(strings.ToLower(t), " ")
	for i, w := range words {
		if w == "i" || strings.HasPrefix(w, "i'") || strings.HasPrefix(w, "i’") {
			words[i] = "I" + w[1:]
		}
	}
	return strings.Join(words, " ")
}

func longTitle(n int) string {
	switch {
	case n == 1:
		return "Split your longest sentence"
	case n <= 3:
		return "Split your " + strconv.Itoa(n) + " longest sentences"
	}
	return "Split your " + strconv.Itoa(n) + " long sentences"
}

// longDetail names the word counts of the longest sentences.
func longDetail(lengths []int, n int) string {
	var long []int
	for _, l := range lengths {
		if l > 30 {
			long = append(long, l)
		}
	}
	slices.SortFunc(long, func(a, b int) int { return b - a })
	if len(long) > 3 {
		long = long[:3]
	}
	const aim = "; aim for 15–25 words so readers keep the thread."
	if len(long) == 0 {
		return plural(n, "One sentence runs", strconv.Itoa(n)+" sentences run") + " over 30 words" + aim
	}
	parts := make([]string, len(long))
	for i, l := range long {
		parts[i] = strconv.Itoa(l)
	}
	list := parts[0]
	if len(parts) > 1 {
		list = strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
	}
	switch {
	case n == 1:
		return "It runs " + list + " words" + aim
	case n <= 3:
		return "They run " + list + " words" + aim
	}
	return "The longest run " + list + " words" + aim
}
