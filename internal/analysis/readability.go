package analysis

import (
	"math"
	"slices"
	"unicode"
	"unicode/utf8"
)

// measure computes the counts, the six readability formulas and the
// sentence-length profile of text, following textstat 0.7.x (Python) as it
// produced ../shared/corpora/persuasionforgood/readability-reference.jsonl.
// Where textstat's documentation and its actual output differ, Cara follows
// the output (checked by textstat_agreement_test.go):
//
//	Words (W)        lexicon_count: whitespace tokens (Python str.split) that
//	                 hold at least one \w rune (letter, number or "_", any
//	                 script) once punctuation is removed.
//	Sentences (S)    sentence_count: matches of \b[^.!?]+[.!?]* (Unicode \b),
//	                 less those of two words or fewer; at least 1.
//	Syllables (Y)    per lower-cased word: vowels of the first CMU
//	                 pronunciation, else Cara's estimator (syllables.go).
//	Characters (C)   runes that are not whitespace.
//	Letters (L)      \w runes.
//	Polysyllables(P) words of 3 or more syllables.
//	DifficultWords(D) words of 3 or more syllables not on the Dale–Chall
//	                 list, counted with repeats (textstat 0.7.x counts every
//	                 occurrence, not unique words).
//	Tokens (T)       all whitespace tokens, punctuation-only ones included.
//
//	Flesch reading ease   206.835 − 1.015·W/S − 84.6·Y/W
//	Flesch–Kincaid grade  0.39·W/S + 11.8·Y/W − 15.59
//	Gunning fog           0.4·(W/S + 100·D/W)
//	SMOG                  1.043·√(30·P/S) + 3.1291 (no 3-sentence minimum:
//	                      textstat 0.7.x applies none)
//	Coleman–Liau          0.058·(100·L/W) − 0.296·(100·S/W) − 15.8 (unrounded)
//	ARI                   4.71·C/T + 0.5·W/S − 21.43 (textstat divides the
//	                      characters by all tokens, unrounded)
//
// Values are rounded to 3 decimals, as in the reference file. A text with no
// words gets zeros everywhere (never NaN or Inf) and zero sentences.
func measure(text string, idx *offsetIndex) (Counts, Readability, SentenceProfile) {
	var c Counts
	wordPos := make([]int32, 0, len(text)/6+1) // byte offset of each word's first \w rune
	tokens := 0
	buf := make([]byte, 0, 64)

	// Pass 1: tokens → words, syllables, characters, letters; paragraphs.
	cache := newSyllableCache()
	start := -1
	firstWord := -1
	lineBlank, inPara := true, false
	for i := 0; i <= len(text); {
		cls, size := uint8(clsSpace), 1
		if i < len(text) {
			if b := text[i]; b < utf8.RuneSelf {
				cls = asciiClass[b]
			} else {
				cls, size = classAt(text, i)
			}
		}
		if cls&clsSpace == 0 {
			c.Characters++
			lineBlank = false
			if start < 0 {
				start = i
			}
			if cls&clsWord != 0 {
				c.Letters++
				if firstWord < 0 {
					firstWord = i
				}
			}
		} else {
			if start >= 0 {
				tokens++
				if firstWord >= 0 {
					c.Words++
					wordPos = append(wordPos, int32(firstWord))
					buf = cleanWord(buf[:0], text, start, i)
					syl, easy := cache.lookup(buf)
					c.Syllables += syl
					if syl >= 3 {
						c.Polysyllables++
						if !easy {
							c.DifficultWords++
						}
					}
				}
				start, firstWord = -1, -1
			}
			if i == len(text) || text[i] == '\n' {
				// A paragraph starts at the first non-blank line after a
				// blank one (or at the first non-blank line).
				if !lineBlank && !inPara {
					c.Paragraphs++
					inPara = true
				} else if lineBlank {
					inPara = false
				}
				lineBlank = true
			}
		}
		i += size
	}

	// Pass 2: sentences, for textstat's count and for the profile.
	var segs []segment
	matches, ignored := 0, 0
	scanSentences(text, func(m sentenceMatch) {
		matches++
		if m.words <= 2 {
			ignored++
		}
		// A terminator inside a token ("3.5", "e.g", "example.com") is not
		// a sentence end for a person: glue the next match on when it
		// starts right after the terminator with a rune that is not
		// upper-case.
		if n := len(segs); n > 0 && segs[n-1].end == m.start && !startsUpper(text, m.start) {
			segs[n-1].end = m.end
			return
		}
		segs = append(segs, segment{m.start, m.end})
	})
	if c.Words > 0 {
		c.Sentences = max(1, matches-ignored)
	}

	read := readabilityFromCounts(c, tokens)
	profile := sentenceProfile(text, idx, segs, wordPos)
	return c, read, profile
}

type segment struct{ start, end int }

func startsUpper(text string, i int) bool {
	r, _ := decode(text, i)
	return unicode.IsUpper(r)
}

// readabilityFromCounts applies the six formulas (see measure).
func readabilityFromCounts(c Counts, tokens int) Readability {
	if c.Words == 0 || c.Sentences == 0 || tokens == 0 {
		return Readability{PlainGrade: plainGrade(0, 0)}
	}
	w, s, y := float64(c.Words), float64(c.Sentences), float64(c.Syllables)
	r := Readability{
		FleschReadingEase:    round3(fleschReadingEase(w, s, y)),
		FleschKincaidGrade:   round3(fleschKincaidGrade(w, s, y)),
		GunningFog:           round3(gunningFog(w, s, float64(c.DifficultWords))),
		SMOG:                 round3(smogIndex(s, float64(c.Polysyllables))),
		ColemanLiau:          round3(colemanLiau(w, s, float64(c.Letters))),
		AutomatedReadability: round3(automatedReadability(w, s, float64(c.Characters), float64(tokens))),
	}
	r.PlainGrade = plainGrade(c.Words, r.FleschReadingEase)
	return r
}

func fleschReadingEase(words, sentences, syllables float64) float64 {
	return 206.835 - 1.015*(words/sentences) - 84.6*(syllables/words)
}

func fleschKincaidGrade(words, sentences, syllables float64) float64 {
	return 0.39*(words/sentences) + 11.8*(syllables/words) - 15.59
}

func gunningFog(words, sentences, difficult float64) float64 {
	return 0.4 * (words/sentences + 100*difficult/words)
}

func smogIndex(sentences, polysyllables float64) float64 {
	return 1.043*math.Sqrt(30*polysyllables/sentences) + 3.1291
}

func colemanLiau(words, sentences, letters float64) float64 {
	return 0.058*(100*letters/words) - 0.296*(100*sentences/words) - 15.8
}

func automatedReadability(words, sentences, chars, tokens float64) float64 {
	return 4.71*(chars/tokens) + 0.5*(words/sentences) - 21.43
}

// round3 rounds to 3 decimals and maps NaN and ±Inf to 0, so a report can
// always be encoded as JSON.
func round3(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0
	}
	return math.Round(x*1000) / 1000
}

// Plain-words grades, from the Flesch reading ease (Flesch's own table,
// merged into the bands a reader cares about):
//
//	FRE ≥ 80        "very easy — anyone can read it"     (grade 6 and below)
//	70 ≤ FRE < 80   "easy for most adults"               (grade 7)
//	60 ≤ FRE < 70   "plain English"                      (grades 8–9)
//	50 ≤ FRE < 60   "fairly difficult — high-school level" (grades 10–12)
//	30 ≤ FRE < 50   "difficult — college level"
//	FRE < 30        "very difficult — for specialists"   (college graduates)
//
// A text with no words gets "no words to grade".
const (
	GradeNone         = "no words to grade"
	GradeVeryEasy     = "very easy — anyone can read it"
	GradeEasy         = "easy for most adults"
	GradePlain        = "plain English"
	GradeFairlyHard   = "fairly difficult — high-school level"
	GradeHard         = "difficult — college level"
	GradeVeryHard     = "very difficult — for specialists"
	longSentenceWords = 30
)

func plainGrade(words int, fre float64) string {
	switch {
	case words == 0:
		return GradeNone
	case fre >= 80:
		return GradeVeryEasy
	case fre >= 70:
		return GradeEasy
	case fre >= 60:
		return GradePlain
	case fre >= 50:
		return GradeFairlyHard
	case fre >= 30:
		return GradeHard
	}
	return GradeVeryHard
}

// sentenceProfile measures the sentences a person sees. They are textstat's
// sentence matches, none dropped, with matches glued where a terminator sits
// inside a token (see measure), and cut at blank lines (a paragraph break
// ends a sentence even without punctuation). Each word belongs to the
// sentence holding its first \w rune, so the lengths add up to Counts.Words.
func sentenceProfile(text string, idx *offsetIndex, segs []segment, wordPos []int32) SentenceProfile {
	p := SentenceProfile{
		Lengths: []int{},
		Long:    []Span{},
		Histogram: []Bucket{
			{Label: "1–10"}, {Label: "11–20"}, {Label: "21–30"}, {Label: "31–40"}, {Label: "41+"},
		},
	}
	w := 0 // next word in wordPos
	add := func(start, end int) {
		start, end = trimSpace(text, start, end)
		if start >= end {
			return
		}
		n := 0
		for w < len(wordPos) && int(wordPos[w]) < end {
			if int(wordPos[w]) >= start {
				n++
			}
			w++
		}
		if n == 0 {
			return
		}
		p.Lengths = append(p.Lengths, n)
		if n > longSentenceWords {
			p.Long = append(p.Long, idx.span(start, end))
		}
	}
	for _, s := range segs {
		// Cut at blank lines.
		from := s.start
		for i := s.start; i < s.end; i++ {
			if text[i] != '\n' {
				continue
			}
			j := i + 1
			for j < s.end && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r') {
				j++
			}
			if j < s.end && text[j] == '\n' {
				add(from, i)
				for j < s.end && asciiSpace(text[j]) {
					j++
				}
				from = j
				i = j - 1
			}
		}
		add(from, s.end)
	}

	p.Count = len(p.Lengths)
	if p.Count == 0 {
		return p
	}
	total := 0
	for _, n := range p.Lengths {
		total += n
		p.LongestWords = max(p.LongestWords, n)
		b := min((n-1)/10, 4)
		p.Histogram[b].Count++
	}
	p.MeanWords = round3(float64(total) / float64(p.Count))
	sorted := slices.Clone(p.Lengths)
	slices.Sort(sorted)
	mid := len(sorted) / 2
	if len(sorted)%2 == 1 {
		p.MedianWords = float64(sorted[mid])
	} else {
		p.MedianWords = float64(sorted[mid-1]+sorted[mid]) / 2
	}
	return p
}

func asciiSpace(c byte) bool { return c < 0x80 && asciiClass[c]&clsSpace != 0 }

// trimSpace narrows [start, end) to exclude leading and trailing whitespace.
func trimSpace(text string, start, end int) (int, int) {
	for start < end {
		r, size := decode(text, start)
		if !isSpaceRune(r) {
			break
		}
		start += size
	}
	for end > start {
		k := end - 1
		for k > start && text[k]&0xc0 == 0x80 {
			k--
		}
		r, _ := decode(text, k)
		if !isSpaceRune(r) {
			break
		}
		end = k
	}
	return start, end
}
