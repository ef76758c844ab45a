package analysis

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Passive voice: a form of "to be" (am, is, are, was, were, be, been, being,
// and the contractions it's, that's, I'm, we're, isn't, wasn't, …) or of
// "get" (get, got, gotten, …), then at most two adverbs ("was quickly",
// "is not", any -ly word), optionally "being"/"been" ("is being", "has been"
// is caught at "been"), then a past participle:
//
//   - an irregular participle from the list in lexicon.go (done, made, taken,
//     written, seen, broken, chosen, …), or
//   - a regular -ed word of four letters or more.
//
// To keep adjectives out, the participle must not be:
//
//   - on the stative list in lexicon.go: feelings and states such as "was
//     tired", "is interested", "were excited", "am bored", "is located in"
//     (located is stative: there is nobody to name), "is based on",
//     "is called X", "is supposed to";
//   - a non-verb ending in -ed/-eed ("indeed", "hundred", "need");
//   - an "un…ed" adjective ("is unexpected"), unless the verb is on the
//     un-verb list ("was unplugged");
//   - capitalised in mid-sentence (a name: "My name is Ted");
//   - hyphenated ("is well-known", "is data-driven") or holding digits;
//   - "used to" ("I'm used to it"), or "done" after I'm/we're/you're/
//     they're/am/are or before "with" ("I'm done with it");
//   - after "get": set phrases like "get started", "get used to", "got lost".
//
// The flag covers the verb through the participle ("was quickly killed").
// The suggestion names the doer when "by …" follows ("Put the doer first:
// "The team killed …"") and otherwise asks who did it.

// passiveAt proposes a passive starting at the be/get verb at token i.
func (s *scanner) passiveAt(i int) {
	toks := s.toks
	verb := &toks[i]
	j := s.skipAdverbs(i+1, 2)
	if s.info(verb).be && s.key(verb) != "being" && s.key(verb) != "been" && j < len(toks) &&
		toks[j].kind == tokWord && (s.key(&toks[j]) == "being" || s.key(&toks[j]) == "been") {
		j = s.skipAdverbs(j+1, 1)
	}
	if j >= len(toks) || toks[j].kind != tokWord {
		return
	}
	past, ok := s.participle(i, j)
	if !ok {
		return
	}
	s.add(cand{ti: int32(i), tj: int32(j + 1), kind: FlagPassive, part: int32(j), past: past})
}

// skipAdverbs returns the index after at most max adverbs starting at j.
func (s *scanner) skipAdverbs(j, max int) int {
	for k := 0; k < max && j < len(s.toks); k++ {
		t := &s.toks[j]
		if t.kind != tokWord || t.flags&tfFolded == 0 {
			break
		}
		if !(s.info(t) != nil && s.info(t).adverb) && !(len(s.key(t)) >= 4 && strings.HasSuffix(s.key(t), "ly")) {
			break
		}
		j++
	}
	return j
}

// participle reports whether token j is a past participle after the verb at
// token i, and returns its simple past (for the suggestion).
func (s *scanner) participle(i, j int) (string, bool) {
	t := &s.toks[j]
	if t.flags&tfFolded == 0 || t.flags&(tfJoined|tfDigit) != 0 {
		return "", false
	}
	if t.flags&tfCapital != 0 && t.flags&(tfAllCaps|tfSentStart) == 0 {
		return "", false // a name: "My name is Ted"
	}
	verb := s.info(&s.toks[i])
	key := s.key(t)
	if info := s.info(t); info != nil {
		if info.stative || info.notPart || (verb.get && info.getEx) {
			return "", false
		}
		if key == "used" && isWordTok(s.at(j+1)) && s.key(&s.toks[j+1]) == "to" {
			return "", false
		}
		if key == "done" {
			switch s.key(&s.toks[i]) {
			case "am", "are", "i'm", "we're", "you're", "they're":
				return "", false
			}
			if n := s.at(j + 1); isWordTok(n) && s.key(n) == "with" {
				return "", false
			}
		}
		if info.part {
			return info.past, true
		}
		if info.unVerb {
			return key, true
		}
	}
	if len(key) < 4 || !strings.HasSuffix(key, "ed") || strings.HasSuffix(key, "eed") ||
		strings.HasPrefix(key, "un") || strings.ContainsRune(key, '\'') {
		return "", false
	}
	return key, true
}

// Words after "by" that mean a time or a manner, not a doer ("by Friday").
var notDoers = setOf(`monday tuesday wednesday thursday friday saturday sunday tomorrow today
tonight then now next noon midnight eod eow default hand mistake accident email phone mail far
january february march april may june july august september october november december end
design chance law way time same`)

// Object pronouns turned into subjects for "Put the doer first".
var subjectOf = map[string]string{"me": "I", "us": "we", "him": "he", "her": "she", "them": "they"}

// Words that end a doer phrase after "by".
var doerStop = setOf("that which who whom whose to for in on at with from because when if so but of as after before since than and or nor while although though whereas until unless")

// doerAfter returns the doer named in "by …" after token j, as written and
// as a subject ("by me" → "me", "I"), or "", "".
func (s *scanner) doerAfter(j int) (written, subject string) {
	by := s.at(j)
	if !isWordTok(by) || s.key(by) != "by" {
		return "", ""
	}
	first := s.at(j + 1)
	if !isWordTok(first) || first.flags&tfDigit != 0 || notDoers[s.key(first)] {
		return "", ""
	}
	if second := s.at(j + 2); s.key(first) == "the" && isWordTok(second) && notDoers[s.key(second)] {
		return "", "" // "by the end of the day"
	}
	end := j + 1
	for end < len(s.toks) && end < j+4 && s.toks[end].kind == tokWord && !doerStop[s.key(&s.toks[end])] {
		end++
	}
	if end == j+1 {
		return "", ""
	}
	written = collapseSpace(s.text[s.toks[j+1].start:s.toks[end-1].end])
	subject = written
	if subj, ok := subjectOf[s.key(first)]; ok && end == j+2 {
		subject = subj
	}
	r, size := utf8.DecodeRuneInString(subject)
	return written, string(unicode.ToUpper(r)) + subject[size:]
}

func (s *scanner) describePassive(f *Flag, c cand, shown string) {
	negated := false
	for k := c.ti; k < c.part; k++ {
		if key := s.key(&s.toks[k]); key == "not" || key == "never" || strings.HasSuffix(key, "n't") {
			negated = true
		}
	}
	f.Message = `"` + shown + `" is passive: it hides who did it.`
	if written, subject := s.doerAfter(int(c.tj)); subject != "" && !negated {
		f.Message = `"` + shown + `" is passive: the doer comes after the action.`
		f.Suggestion = `Put the doer first: "` + subject + " " + c.past + ` …" instead of "` + shown + " by " + written + `"`
		return
	}
	if negated {
		part := s.text[s.toks[c.part].start:s.toks[c.part].end]
		f.Suggestion = `Name who is responsible, e.g. "The team hasn't ` + strings.ToLower(part) + ` it" instead of "` + shown + `"`
		return
	}
	f.Suggestion = `Name who did it, e.g. "The team ` + c.past + ` …" instead of "` + shown + `"`
}
