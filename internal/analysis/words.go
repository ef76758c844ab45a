package analysis

import (
	"unicode"
	"unicode/utf8"
)

// Tokenization that reproduces textstat (Python), without regexp.
//
// textstat works on Python str values, so its character classes are Unicode:
//   - \w is a letter, a number (any script) or "_";
//   - \s and str.split() use str.isspace(), which is unicode.IsSpace plus the
//     ASCII information separators U+001C..U+001F;
//   - len() counts code points (runes), not bytes.
//
// remove_punctuation(text) (textstat 0.7.x, rm_apostrophe=False) deletes an
// apostrophe unless it begins a contraction ending — 't 's 'd 've 'll 're
// followed by a word boundary — then deletes every rune that is not \w, \s or
// an apostrophe. A "word" (lexicon_count) is a whitespace-separated token that
// keeps at least one rune after that; since a kept apostrophe is always
// followed by a letter of the same token, that is simply a token holding at
// least one \w rune.

// asciiClass classifies ASCII bytes: bit 1 = \w, bit 2 = whitespace,
// bit 4 = sentence terminator (. ! ?).
var asciiClass = func() (t [128]uint8) {
	for c := 0; c < 128; c++ {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '_':
			t[c] = clsWord
		case c == ' ', c >= '\t' && c <= '\r', c >= 0x1c && c <= 0x1f:
			t[c] = clsSpace
		case c == '.', c == '!', c == '?':
			t[c] = clsTerm
		}
	}
	return t
}()

const (
	clsWord  = 1
	clsSpace = 2
	clsTerm  = 4
)

// isWordRune reports whether r matches Python's Unicode \w.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiClass[r]&clsWord != 0
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r)
}

// isSpaceRune reports whether r is whitespace for Python's str.split() and \s.
func isSpaceRune(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiClass[r]&clsSpace != 0
	}
	return unicode.IsSpace(r)
}

// runeClass returns the class bits (clsWord, clsSpace, clsTerm) of r.
func runeClass(r rune) uint8 {
	if r < utf8.RuneSelf {
		return asciiClass[r]
	}
	if unicode.IsLetter(r) || unicode.IsNumber(r) {
		return clsWord
	}
	if unicode.IsSpace(r) {
		return clsSpace
	}
	return 0
}

// classAt returns the class bits of the rune at text[i] and its size.
func classAt(text string, i int) (uint8, int) {
	if c := text[i]; c < utf8.RuneSelf {
		return asciiClass[c], 1
	}
	r, size := utf8.DecodeRuneInString(text[i:])
	return runeClass(r), size
}

// decode returns the rune at text[i] and its size, with an ASCII fast path.
func decode(text string, i int) (rune, int) {
	if c := text[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(text[i:])
}

// keepApostrophe reports whether the apostrophe ending at byte i of text
// survives remove_punctuation: it must be followed by t, s or d, or by ve, ll
// or re, and then by a word boundary (a non-\w rune or the end). With lower
// set, the following letters are compared after lower-casing, as textstat
// does when it lower-cases the text before removing punctuation.
func keepApostrophe(text string, i int, lower bool) bool {
	at := func(k int) byte {
		if k >= len(text) {
			return 0
		}
		c := text[k]
		if lower && c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		return c
	}
	boundary := func(k int) bool {
		if k >= len(text) {
			return true
		}
		r, _ := decode(text, k)
		return !isWordRune(r)
	}
	switch at(i) {
	case 't', 's', 'd':
		return boundary(i + 1)
	case 'v':
		return at(i+1) == 'e' && boundary(i+2)
	case 'l':
		return at(i+1) == 'l' && boundary(i+2)
	case 'r':
		return at(i+1) == 'e' && boundary(i+2)
	}
	return false
}

// removePunctuation is textstat's remove_punctuation (rm_apostrophe=False).
// The analyzer never builds this string; it documents and tests the rules
// that the one-pass tokenizer follows.
func removePunctuation(text string) string {
	out := make([]byte, 0, len(text))
	for i := 0; i < len(text); {
		r, size := decode(text, i)
		switch {
		case r == '\'':
			if keepApostrophe(text, i+1, false) {
				out = append(out, '\'')
			}
		case isWordRune(r) || isSpaceRune(r):
			out = append(out, text[i:i+size]...)
		}
		i += size
	}
	return string(out)
}

// lexiconCount is textstat's lexicon_count: tokens that hold a \w rune.
func lexiconCount(text string) int {
	n := 0
	inTok, hasWord := false, false
	for i := 0; i < len(text); {
		r, size := decode(text, i)
		i += size
		if isSpaceRune(r) {
			if inTok && hasWord {
				n++
			}
			inTok, hasWord = false, false
			continue
		}
		inTok = true
		if !hasWord && isWordRune(r) {
			hasWord = true
		}
	}
	if inTok && hasWord {
		n++
	}
	return n
}

// cleanWord appends to buf the lower-cased form of one whitespace-free token
// text[start:end] after remove_punctuation, as textstat's syllable_count and
// difficult-word list see it (they lower-case the text first).
func cleanWord(buf []byte, text string, start, end int) []byte {
	for i := start; i < end; {
		c := text[i]
		if c < utf8.RuneSelf {
			switch {
			case c >= 'A' && c <= 'Z':
				buf = append(buf, c+('a'-'A'))
			case asciiClass[c]&clsWord != 0:
				buf = append(buf, c)
			case c == '\'':
				if keepApostrophe(text[:end], i+1, true) {
					buf = append(buf, '\'')
				}
			}
			i++
			continue
		}
		// Other runes: \w ones are kept, lower-cased; the rest (symbols,
		// emoji, combining marks, U+FFFD, invalid bytes) are dropped.
		r, size := utf8.DecodeRuneInString(text[i:])
		if isWordRune(r) {
			buf = utf8.AppendRune(buf, unicode.ToLower(r))
		}
		i += size
	}
	return buf
}

// sentenceMatch is one match of textstat's sentence pattern
// \b[^.!?]+[.!?]* over text[start:end]; words is lexicon_count of it.
type sentenceMatch struct {
	start, end int
	words      int
}

// scanSentences calls fn for each match of textstat's sentence regexp
// re.findall(r"\b[^.!?]+[.!?]*", text) with Unicode \b, in order. A match
// starts at a word boundary on a rune that is not . ! or ?, takes everything
// up to the next terminator and then the run of terminators.
func scanSentences(text string, fn func(m sentenceMatch)) {
	const (
		searching = iota
		body
		terms
	)
	state := searching
	prevWord := false // is the rune before i a \w rune (false at the start)
	var m sentenceMatch
	inTok, hasWord := false, false
	finish := func(end int) {
		if inTok && hasWord {
			m.words++
		}
		m.end = end
		fn(m)
		inTok, hasWord = false, false
		state = searching
	}
	for i := 0; i < len(text); {
		cls, size := uint8(0), 1
		if b := text[i]; b < utf8.RuneSelf {
			cls = asciiClass[b]
		} else {
			cls, size = classAt(text, i)
		}
		term := cls&clsTerm != 0
		word := cls&clsWord != 0
		if state == terms && !term {
			finish(i)
		}
		if state == searching {
			if word != prevWord && !term {
				state = body
				m = sentenceMatch{start: i}
			}
		} else if state == body && term {
			state = terms
		}
		if state != searching {
			if cls&clsSpace != 0 {
				if inTok && hasWord {
					m.words++
				}
				inTok, hasWord = false, false
			} else {
				inTok = true
				if word {
					hasWord = true
				}
			}
		}
		prevWord = word
		i += size
	}
	if state != searching {
		finish(len(text))
	}
}

// sentenceCount is textstat's sentence_count: matches of the sentence
// pattern, less those of two words or fewer, and at least 1 (0 for "").
func sentenceCount(text string) int {
	if text == "" {
		return 0
	}
	n, ignored := 0, 0
	scanSentences(text, func(m sentenceMatch) {
		n++
		if m.words <= 2 {
			ignored++
		}
	})
	return max(1, n-ignored)
}
