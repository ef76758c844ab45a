package geminitest

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
)

// The fake's judgement of the user's words: a few plain traits of the
// texts (fillers, sentence length, numbers …) set the dimension scores, so
// different conversations get different, repeatable scores, and each
// evidence sentence, highlight comment and "why" agrees with them.

// traits are what the fake notices in the user's texts.
type traits struct {
	turns, words, sentences, fillers, numbers, thanks int
	seed                                              string // the texts, for a little repeatable variety
}

var (
	numberRe = regexp.MustCompile(`\d`)
	thanksRe = regexp.MustCompile(`(?i)\b(?:thank|thanks|appreciate|glad|great)\b`)
)

func traitsOf(texts []string) traits {
	t := traits{turns: max(len(texts), 1), seed: strings.Join(texts, "\n")}
	for _, s := range texts {
		t.words += len(strings.Fields(s))
		t.sentences += len(sentences(s))
		t.fillers += len(fillerRe.FindAllString(s, -1))
		t.numbers += len(numberRe.FindAllString(s, -1))
		t.thanks += len(thanksRe.FindAllString(s, -1))
	}
	t.sentences = max(t.sentences, 1)
	return t
}

// dimensions are the scored aspects of conversation feedback.
var dimensions = []string{"clarity", "pace", "confidence", "tone", "relevance", "structure"}

func isDimension(name string) bool {
	for _, d := range dimensions {
		if strings.EqualFold(d, name) {
			return true
		}
	}
	return false
}

// share is where dimension dim falls in a score's range, from 0.55 (needs
// work) to 0.9 (strong): the traits move it, a small jitter from the
// texts makes scores differ between conversations.
func (t traits) share(dim string) float64 {
	perSentence := float64(t.words) / float64(t.sentences)
	perTurn := float64(t.words) / float64(t.turns)
	fillersPerTurn := float64(t.fillers) / float64(t.turns)
	var v float64
	switch strings.ToLower(dim) {
	case "clarity":
		v = 0.86 - 0.012*math.Max(perSentence-16, 0) - 0.08*fillersPerTurn
	case "pace":
		v = 0.84 - 0.004*math.Abs(perTurn-30)
	case "confidence":
		v = 0.88 - 0.12*fillersPerTurn
	case "tone":
		v = 0.72 + 0.06*math.Min(float64(t.thanks), 2) - 0.03*fillersPerTurn
	case "relevance":
		v = 0.8
	case "structure":
		v = 0.68 + 0.05*math.Min(float64(t.numbers), 3) - 0.01*math.Max(perSentence-20, 0)
	default:
		v = 0.75
	}
	jitter := float64(int(hash(t.seed+"\x00"+dim)%11)-5) / 100
	return math.Min(math.Max(v+jitter, 0.55), 0.9)
}

// overallShare is the mean of the dimensions' shares.
func (t traits) overallShare() float64 {
	sum := 0.0
	for _, d := range dimensions {
		sum += t.share(d)
	}
	return sum / float64(len(dimensions))
}

// band is a 0–100 score in the words the UI uses (strong ≥ 80, good ≥ 60,
// needs work below).
func band(score float64) string {
	switch {
	case score >= 80:
		return "strong"
	case score >= 60:
		return "good"
	}
	return "work"
}

// evidenceLines are one sentence per dimension and band, each naming its
// dimension, so that the label over a score and its evidence agree.
var evidenceLines = map[string]map[string]string{
	"clarity": {
		"strong": "Your clarity stood out: short sentences, each with one idea.",
		"good":   "Mostly clear; splitting the longest sentences would sharpen your clarity.",
		"work":   "Clarity suffered where long sentences and filler words buried the point.",
	},
	"pace": {
		"strong": "A good pace: you reached the point quickly and gave just enough context.",
		"good":   "A steady pace, though one or two answers took a while to reach the point.",
		"work":   "The pace dragged: answers were either very long or too short to follow.",
	},
	"confidence": {
		"strong": "You spoke with confidence: direct statements and no hedging.",
		"good":   "Mostly confident; a hedge or two softened your key points.",
		"work":   "Hedges and fillers such as \"just\" and \"I think\" undercut your confidence.",
	},
	"tone": {
		"strong": "Your tone was warm and professional throughout.",
		"good":   "A friendly, professional tone; a word of thanks would make it warmer.",
		"work":   "Your tone came across as flat in places; acknowledge the other person first.",
	},
	"relevance": {
		"strong": "Strong relevance: every answer addressed what was asked.",
		"good":   "Good relevance overall, though one answer drifted from the question.",
		"work":   "Relevance slipped: some answers did not address the question.",
	},
	"structure": {
		"strong": "Clear structure: context, then the result, then the next step.",
		"good":   "A sensible structure; leading with the result would make it stronger.",
		"work":   "The structure was hard to follow: the main point came last.",
	},
}

// evidence is dimension dim's sentence for a 0–100 score (ok false: no
// score to go by, so the middle band).
func evidence(dim string, score float64, ok bool) string {
	b := "good"
	if ok {
		b = band(score)
	}
	return evidenceLines[strings.ToLower(dim)][b]
}

// quoteComment is a highlight's comment, about the quoted words.
func quoteComment(quote string) string {
	if f := fillersIn(quote); len(f) > 0 {
		return fmt.Sprintf("Cut %s here: the sentence is stronger without it.", quoted(f))
	}
	if numberRe.MatchString(quote) {
		return "The number makes this concrete and easy to trust."
	}
	if len(strings.Fields(quote)) > 25 {
		return "A lot in one sentence; split it so each point lands."
	}
	return "This is specific and easy to act on."
}

// betterWhy explains the better version of original.
func betterWhy(original, improved string) string {
	switch f := fillersIn(original); {
	case strings.TrimSpace(original) == strings.TrimSpace(improved):
		return "This already says what you mean plainly; keep it as it is."
	case len(f) > 0:
		return fmt.Sprintf("Dropping %s makes the point sound surer; the facts stay the same.", quoted(f))
	}
	return "Tidier punctuation and capitals make it easier to read; the words stay yours."
}

// weakest is the text with the most to improve (the most fillers), the
// first of equals.
func weakest(texts []string) int {
	best, most := 0, -1
	for i, s := range texts {
		if n := len(fillerRe.FindAllString(s, -1)); n > most {
			best, most = i, n
		}
	}
	return best
}

// fillersIn lists the fillers in s, lower-cased, each once, in order.
func fillersIn(s string) []string {
	var out []string
	for _, m := range fillerRe.FindAllString(s, -1) {
		m = strings.ToLower(strings.TrimRight(m, ","))
		if !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	return out
}

// quoted lists words as “a”, “a” and “b”, or “a”, “b” and “c”.
func quoted(words []string) string {
	q := make([]string, len(words))
	for i, w := range words {
		q[i] = "“" + w + "”"
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}

// disjoint keeps the texts, in order, that neither contain nor sit inside
// one kept before: "A. B." is left out after "A." and "B.".
func disjoint(texts []string) []string {
	var out []string
	for _, s := range texts {
		ok := true
		for _, k := range out {
			if strings.Contains(s, k) || strings.Contains(k, s) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, s)
		}
	}
	return out
}
