package analysis

import "math"

// Scores: how a text is rated 0–100 on four dimensions, from its counts,
// readability, sentence profile and flags. Every score is rounded to the
// nearest integer and clamped to 0–100; a text with no words scores 0
// everywhere.
//
// Rates. rate(k) is the number of flags of kind k per 100 words, where a
// text shorter than 50 words counts as 50, so that one slip in a two-line
// message is not magnified into a disaster:
//
//	rate(k) = 100 · count(k) / max(words, 50)
//
// Long sentences come from the sentence profile (sentences over 30 words),
// never from long_sentence flags, so they are not counted twice.
//
// Clarity — can the reader follow it? Target: Flesch–Kincaid grade 7–10.
//
//	100 − min(40, 5·(grade − 10) above the band, or 1·(7 − grade) below it, capped at 10)
//	    − min(25, 1.5·max(0, mean sentence words − 20))
//	    − min(40, 4·rate(passive) + 5·rate(jargon))
//
// Concision — is every word earning its place?
//
//	100 − min(60, 6·rate(filler) + 3·rate(intensifier) + 4·rate(weasel) + 5·rate(repeated))
//	    − min(30, 40 · long sentences / sentences)
//
// Confidence — does it sound sure?
//
//	100 − min(80, 8·rate(hedge) + 10·rate(apology) + 4·rate(filler))
//
// Warmth — does it sound kind and include the reader? From the words that
// make a message warm, counted by the flag scanner (warmthCues): thanks,
// please, "you" words (reader focus) and "we" words (togetherness):
//
//	50 + min(24, 12·thanks) + min(12, 6·please) + min(12, 3·rate(you)) + min(8, 2·rate(we))
//	   + 4 if there is exactly one apology (one apology can be gracious; more
//	       is over-apologising and costs confidence instead)
//	   − min(40, 10·rate(shouting)) − min(40, 12·rate(noninclusive))
//
// where rate(you) and rate(we) use the same per-100-words rate. When the cues
// are not known (score, as opposed to scoreWithCues), the first line is
// replaced by a neutral 75.
//
// Overall — the weighted mean:
//
//	0.30·clarity + 0.25·concision + 0.25·confidence + 0.20·warmth
//
// Monotonic by construction (and tested): more hedges, apologies or fillers
// never raise confidence; more passives or jargon never raise clarity; a
// grade further above 10 or longer sentences never raise clarity; more
// fillers, intensifiers, weasel words, repeats or long sentences never raise
// concision; more shouting or non-inclusive terms never raise warmth, and
// more thanks/please/you/we never lower it. Apologies are the one deliberate
// exception in warmth (0 → 1 adds 4 points).

// warmthCues counts the words that make a message warmer. known is false
// when the text was not scanned for them.
type warmthCues struct {
	known  bool
	thanks int // thanks, thank, appreciate, grateful, …
	please int // please, kindly
	we     int // we, us, our, let's, together, …
	you    int // you, your, you're, …
}

// score rates a text from its numbers and flags alone. Warmth then uses a
// neutral base instead of the warmth cues; see scoreWithCues.
func score(c Counts, r Readability, p SentenceProfile, flags []Flag) Scores {
	return scoreWithCues(c, r, p, flags, warmthCues{})
}

// scoreWithCues is score with the warmth cues found by scanFlags.
func scoreWithCues(c Counts, r Readability, p SentenceProfile, flags []Flag, w warmthCues) Scores {
	if c.Words <= 0 {
		return Scores{}
	}
	var n [kindCount]int
	for _, f := range flags {
		n[kindIndex(f.Kind)]++
	}
	words := math.Max(float64(c.Words), 50)
	rate := func(count int) float64 { return 100 * float64(count) / words }
	kind := func(k FlagKind) float64 { return rate(n[kindIndex(k)]) }

	// Clarity.
	g := r.FleschKincaidGrade
	gradePenalty := 0.0
	switch {
	case g > 10:
		gradePenalty = math.Min(40, 5*(g-10))
	case g < 7:
		gradePenalty = math.Min(10, 7-g)
	}
	meanPenalty := math.Min(25, 1.5*math.Max(0, p.MeanWords-20))
	clarity := 100 - gradePenalty - meanPenalty -
		math.Min(40, 4*kind(FlagPassive)+5*kind(FlagJargon))

	// Concision.
	sentences := max(p.Count, c.Sentences, 1)
	concision := 100 -
		math.Min(60, 6*kind(FlagFiller)+3*kind(FlagIntensifier)+4*kind(FlagWeasel)+5*kind(FlagRepeated)) -
		math.Min(30, 40*float64(len(p.Long))/float64(sentences))

	// Confidence.
	confidence := 100 - math.Min(80, 8*kind(FlagHedge)+10*kind(FlagApology)+4*kind(FlagFiller))

	// Warmth.
	warmth := 75.0
	if w.known {
		warmth = 50 + math.Min(24, 12*float64(w.thanks)) + math.Min(12, 6*float64(w.please)) +
			math.Min(12, 3*rate(w.you)) + math.Min(8, 2*rate(w.we))
	}
	if n[kindIndex(FlagApology)] == 1 {
		warmth += 4
	}
	warmth -= math.Min(40, 10*kind(FlagShouting)) + math.Min(40, 12*kind(FlagNonInclusive))

	cl, co, cf, wa := clamp100(clarity), clamp100(concision), clamp100(confidence), clamp100(warmth)
	return Scores{
		Clarity:    round100(cl),
		Concision:  round100(co),
		Confidence: round100(cf),
		Warmth:     round100(wa),
		Overall:    round100(0.30*cl + 0.25*co + 0.25*cf + 0.20*wa),
	}
}

func clamp100(x float64) float64 {
	if math.IsNaN(x) {
		return 0
	}
	return math.Max(0, math.Min(100, x))
}

func round100(x float64) int { return int(math.Round(clamp100(x))) }

// kindIndex numbers the flag kinds for counting; unknown kinds share the last slot.
func kindIndex(k FlagKind) int {
	for i, known := range allKinds {
		if known == k {
			return i
		}
	}
	return kindCount - 1
}

// allKinds lists the flag kinds in a fixed order.
var allKinds = [...]FlagKind{
	FlagFiller, FlagHedge, FlagWeasel, FlagPassive, FlagJargon, FlagIntensifier,
	FlagApology, FlagRepeated, FlagShouting, FlagNonInclusive, FlagLongSentence,
}

const kindCount = len(allKinds) + 1
