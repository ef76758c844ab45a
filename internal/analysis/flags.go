package analysis

import (
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Flags: how the scanner works.
//
// One pass turns the text into tokens: words (letters of any script, digits,
// combining marks; an apostrophe ' or ’, a hyphen or a slash inside a word
// keeps it whole: "don't", "man-hours", "master/slave"), single punctuation
// marks, and runs of ! and ?. Whitespace is not a token, so two word tokens
// next to each other in the list are separated only by whitespace (spaces,
// tabs or line breaks): that is what lets a phrase match across a line break
// or a run of spaces, and never across punctuation. A lower-case ASCII
// word's key is its own slice of the text; a word with capitals or ’ gets its
// lower-cased key (’ read as ') appended to one arena for the whole text; any
// other non-ASCII word keeps its text as key (no English list entry can match
// it, and repeats are compared with Unicode case folding). So there is no
// allocation per word, and tokens hold no pointers for the garbage collector
// to scan. One map lookup per word finds everything the lexicon knows about
// it (lexicon.go).
//
// A second pass over the tokens proposes candidates: the longest list phrase
// starting at each word that passes its guard, passives (passive.go), repeated
// words and shouting. Then overlaps are settled, cluster by cluster of
// candidates that overlap, so each stretch carries at most one flag:
// candidates covering more words win; for the same number of words the more
// specific kind wins, in this order:
//
//	fine-as-is phrases (lexicon kind "": they shield their words),
//	apology, weasel, hedge, noninclusive, jargon, passive, filler,
//	intensifier, repeated, shouting.
//
// So "it is said" is one weasel flag (not also passive), "I feel like" one
// hedge (not also a "like" filler), "very few" a weasel rather than an
// intensifier, "really sorry" an apology, and an ALL-CAPS "GUYS" is flagged
// as non-inclusive rather than as shouting. Shouting words next to each other
// are merged into one flag after that ("PLEASE STOP!!" is one flag).
//
// Decisions:
//   - "So" is a filler only at the start of a sentence and only when a comma
//     or a typical next word follows ("So, I think…", "So we need…"); "So?",
//     "So." and "So much to do" are not flagged.
//   - "like" is a filler only when it cannot be the verb or the preposition:
//     followed by a comma, a quote, a colon or a dash ("it was, like, huge",
//     "she was like, 'no'"), or an approximation before a number after a
//     comma or at the start ("like 5 people"). After a subject or an
//     auxiliary ("I like", "would like") it is never flagged.
//   - "kind of"/"sort of" are hedges (they soften a claim), not fillers, and
//     not flagged after a determiner ("what kind of report").
//   - Repeated words: "had had" and "that that" are grammatical and allowed,
//     as are reduplications like "bye bye"; every other repeat is flagged,
//     also across a line break, and the flag covers all the copies.
//   - Numbers and words with digits are never shouting or repeats.
//   - Shouting is a word of 3 or more letters, all capitals, that is not a
//     known acronym (ASAP, FYI, CEO, API, PDF, KPI, OKR, ETA, EOD, … in
//     lexicon.go) nor a Roman numeral ("XIV"); and "!!", "!!!", "?!", "!?".
//   - A passive takes in the adverbs between its verb and participle, so in
//     "was really killed" the intensifier is part of the passive flag.

type tokKind uint8

const (
	tokWord  tokKind = iota + 1
	tokPunct         // one punctuation mark, symbol or emoji code point
	tokBang          // a run of ! and ? marks
)

type tokFlag uint16

const (
	tfSentStart tokFlag = 1 << iota // first word of a sentence
	tfFolded                        // key is the word lower-cased, ' for ’ (ASCII words)
	tfArena                         // key lives in scanner.keys, not in the text
	tfCapital                       // first letter is upper case
	tfAllCaps                       // ≥ 3 letters, all upper case
	tfDigit                         // contains a digit
	tfJoined                        // contains a hyphen or a slash
	tfShout                         // a bang run that reads as shouting ("!!", "?!")
)

// token holds no pointers, so a text's worth of tokens costs the garbage
// collector nothing to scan.
type token struct {
	start, end int32 // byte offsets in the text
	ks, ke     int32 // the key: bytes [ks, ke) of the text, or of scanner.keys (tfArena)
	info       int32 // index in lexInfos, 0 when the lexicon does not know the word
	flags      tokFlag
	kind       tokKind
	punct      byte // punctuation class: ',', '.', '"', '-', ':', ';', '(', …; 0 for symbols
}

const (
	fbOther uint8 = iota
	fbSpace
	fbLetter
	fbDigit
	fbBang
)

var flagByteClass = func() (t [utf8.RuneSelf]uint8) {
	for c := 0; c < utf8.RuneSelf; c++ {
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f':
			t[c] = fbSpace
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
			t[c] = fbLetter
		case '0' <= c && c <= '9':
			t[c] = fbDigit
		case c == '!' || c == '?':
			t[c] = fbBang
		}
	}
	return t
}()

// scanner holds the state of one findFlags call.
type scanner struct {
	text  string
	keys  string // keys that differ from the text: lower-cased or with ’ → '
	arena []byte // keys while tokenizing
	infos []*wordInfo
	toks  []token
	cands []cand
	cues  warmthCues
}

// key is a word token's lexicon key (see tfFolded); "" for punctuation.
func (s *scanner) key(t *token) string {
	if t.flags&tfArena != 0 {
		return s.keys[t.ks:t.ke]
	}
	return s.text[t.ks:t.ke]
}

// info is what the lexicon knows about a token's word, or nil.
func (s *scanner) info(t *token) *wordInfo { return s.infos[t.info] }

// cand is a proposed flag over the tokens [ti, tj).
type cand struct {
	ti, tj int32
	kind   FlagKind
	rank   int8
	entry  *lexEntry // for list phrases
	part   int32     // for passives: the participle's token
	past   string    // for passives: the participle's simple past
}

// findFlags finds everything worth changing in text, sorted by start.
func findFlags(text string, idx *offsetIndex) []Flag {
	flags, _ := scanFlags(text, idx)
	return flags
}

// scanFlags is findFlags plus the warmth cues counted on the same pass (see
// scoreWithCues).
func scanFlags(text string, idx *offsetIndex) ([]Flag, warmthCues) {
	s := scanner{text: text, infos: lexInfos}
	s.toks = make([]token, 0, len(text)/4+8)
	s.tokenize()
	s.keys = string(s.arena)
	s.match()
	flags := s.resolve(idx)
	s.cues.known = true
	return flags, s.cues
}

// ---- tokenizer ------------------------------------------------------------

func (s *scanner) tokenize() {
	text := s.text
	n := len(text)
	atStart := true // the next word starts a sentence
	newlines := 0   // line breaks in the whitespace before the next token
	for i := 0; i < n; {
		c := text[i]
		if c < utf8.RuneSelf {
			switch flagByteClass[c] {
			case fbSpace:
				if c == '\n' || (c == '\r' && (i+1 == n || text[i+1] != '\n')) {
					newlines++
				}
				i++
				continue
			case fbLetter, fbDigit:
				i = s.word(i, &atStart, newlines)
				newlines = 0
				continue
			case fbBang:
				i = s.bang(i)
				atStart, newlines = true, 0
				continue
			}
			p := c
			switch p {
			case '.':
				atStart = true
			case ',', ';', ':':
				atStart = false
			case '\'', '`':
				p = '"'
			}
			s.toks = append(s.toks, token{start: int32(i), end: int32(i + 1), kind: tokPunct, punct: p})
			i++
			if newlines >= 2 {
				atStart = true
			}
			newlines = 0
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case unicode.IsSpace(r):
			if r == 0x85 || r == 0x2028 || r == 0x2029 {
				newlines++
			}
			i += size
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			i = s.word(i, &atStart, newlines)
			newlines = 0
			continue
		case isBangRune(r):
			i = s.bang(i)
			atStart, newlines = true, 0
			continue
		}
		p := punctClass(r)
		switch p {
		case '.':
			atStart = true
		case ',', ';', ':':
			atStart = false
		}
		if newlines >= 2 {
			atStart = true
		}
		s.toks = append(s.toks, token{start: int32(i), end: int32(i + size), kind: tokPunct, punct: p})
		i += size
		newlines = 0
	}
}

// punctClass maps non-ASCII punctuation to its ASCII class.
func punctClass(r rune) byte {
	switch r {
	case '“', '”', '„', '‟', '«', '»', '‘', '’', '‚', '‹', '›', '「', '」', '『', '』':
		return '"'
	case '–', '—', '―', '‒', '−':
		return '-'
	case '…', '。', '．', '।', '۔', '｡':
		return '.'
	case '，', '、', '،', '､':
		return ','
	case '；', '؛':
		return ';'
	case '：':
		return ':'
	}
	return 0
}

func isBangRune(r rune) bool {
	switch r {
	case '!', '?', '！', '？', '؟', '‼', '⁉', '⁈', '⁇':
		return true
	}
	return false
}

// bang reads a run of ! and ? marks starting at i.
func (s *scanner) bang(i int) int {
	text := s.text
	j, marks, excl, double := i, 0, false, false
	for j < len(text) {
		r, size := rune(text[j]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[j:])
		}
		if !isBangRune(r) {
			break
		}
		marks++
		switch r {
		case '!', '！':
			excl = true
		case '‼', '⁉', '⁈':
			double = true
		}
		j += size
	}
	t := token{start: int32(i), end: int32(j), kind: tokBang, punct: '!'}
	if double || (marks >= 2 && excl) {
		t.flags |= tfShout
	}
	s.toks = append(s.toks, t)
	return j
}

// wordRuneAt reports whether a letter or digit starts at byte k.
func wordRuneAt(text string, k int) bool {
	if k >= len(text) {
		return false
	}
	if c := text[k]; c < utf8.RuneSelf {
		cl := flagByteClass[c]
		return cl == fbLetter || cl == fbDigit
	}
	r, _ := utf8.DecodeRuneInString(text[k:])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

func isDigitByte(c byte) bool { return '0' <= c && c <= '9' }

// word reads the word starting at i, appends its token and returns its end.
func (s *scanner) word(i int, atStart *bool, newlines int) int {
	text := s.text
	n := len(text)
	j := i
	letters, upper := 0, 0
	var fl tokFlag
	folded, curly := true, false
scan:
	for j < n {
		c := text[j]
		if c < utf8.RuneSelf {
			switch flagByteClass[c] {
			case fbLetter:
				letters++
				if c <= 'Z' {
					upper++
				}
				j++
				continue
			case fbDigit:
				fl |= tfDigit
				j++
				continue
			}
			switch {
			case (c == '\'' || c == '-' || c == '/') && wordRuneAt(text, j+1):
				if c != '\'' {
					fl |= tfJoined
				}
				j++
				continue
			case (c == '.' || c == ',') && isDigitByte(text[j-1]) && j+1 < n && isDigitByte(text[j+1]):
				j++ // 3.5, 10,000
				continue
			}
			break scan
		}
		r, size := utf8.DecodeRuneInString(text[j:])
		switch {
		case unicode.IsLetter(r):
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
			folded = false
		case unicode.IsDigit(r):
			fl |= tfDigit
			folded = false
		case unicode.IsMark(r):
			folded = false
		case r == '’' && wordRuneAt(text, j+size):
			curly = true
		default:
			break scan
		}
		j += size
	}

	t := token{start: int32(i), end: int32(j), ks: int32(i), ke: int32(j), kind: tokWord}
	if folded {
		fl |= tfFolded
		key := text[i:j]
		var found int32
		if upper > 0 || curly {
			// Lower-case into the arena; the lookup converts without allocating.
			a := len(s.arena)
			for k := i; k < j; k++ {
				c := text[k]
				switch {
				case 'A' <= c && c <= 'Z':
					c += 'a' - 'A'
				case c == 0xE2 && k+2 < j && text[k+1] == 0x80 && text[k+2] == 0x99: // ’
					c = '\''
					k += 2
				}
				s.arena = append(s.arena, c)
			}
			fl |= tfArena
			t.ks, t.ke = int32(a), int32(len(s.arena))
			found = lexIndex[string(s.arena[a:])]
		} else {
			found = lexIndex[key]
		}
		t.info = found
		if found != 0 {
			switch lexInfos[found].cue {
			case cueThanks:
				s.cues.thanks++
			case cuePlease:
				s.cues.please++
			case cueWe:
				s.cues.we++
			case cueYou:
				s.cues.you++
			}
		}
	}
	if c := text[i]; c < utf8.RuneSelf {
		if 'A' <= c && c <= 'Z' {
			fl |= tfCapital
		}
	} else if r, _ := utf8.DecodeRuneInString(text[i:]); unicode.IsUpper(r) || unicode.IsTitle(r) {
		fl |= tfCapital
	}
	if upper >= 3 && upper == letters {
		fl |= tfAllCaps
	}
	if *atStart || newlines >= 2 || (newlines > 0 && fl&tfCapital != 0) {
		fl |= tfSentStart
	}
	*atStart = false
	t.flags = fl
	s.toks = append(s.toks, t)
	return j
}

// ---- candidates -----------------------------------------------------------

// kindRank orders kinds from most to least specific (see the top of the file).
func kindRank(k FlagKind) int8 {
	switch k {
	case "":
		return 0
	case FlagApology:
		return 1
	case FlagWeasel:
		return 2
	case FlagHedge:
		return 3
	case FlagNonInclusive:
		return 4
	case FlagJargon:
		return 5
	case FlagPassive:
		return 6
	case FlagFiller:
		return 7
	case FlagIntensifier:
		return 8
	case FlagRepeated:
		return 9
	case FlagShouting:
		return 10
	}
	return 11
}

func (s *scanner) add(c cand) {
	c.rank = kindRank(c.kind)
	s.cands = append(s.cands, c)
}

func (s *scanner) match() {
	toks := s.toks
	repeatDone := 0
	for i := range toks {
		t := &toks[i]
		switch t.kind {
		case tokBang:
			if t.flags&tfShout != 0 {
				s.add(cand{ti: int32(i), tj: int32(i + 1), kind: FlagShouting})
			}
			continue
		case tokPunct:
			continue
		}
		if info := s.info(t); info != nil {
			for _, e := range info.entries {
				if j, ok := s.phraseAt(i, e); ok {
					s.add(cand{ti: int32(i), tj: int32(j), kind: e.kind, entry: e})
					break
				}
			}
			if info.be || info.get {
				s.passiveAt(i)
			}
		}
		if i >= repeatDone {
			repeatDone = s.repeatedAt(i)
		}
		if t.flags&tfAllCaps != 0 && t.flags&tfDigit == 0 && (s.info(t) == nil || !s.info(t).acronym) && !isRomanNumeral(s.key(t)) {
			s.add(cand{ti: int32(i), tj: int32(i + 1), kind: FlagShouting})
		}
	}
}

// phraseAt reports whether e matches the words starting at token i (and its
// guard agrees), and where the match ends.
func (s *scanner) phraseAt(i int, e *lexEntry) (int, bool) {
	j := i + len(e.words)
	if j > len(s.toks) {
		return 0, false
	}
	for k := 1; k < len(e.words); k++ {
		t := &s.toks[i+k]
		if w := e.words[k]; t.kind != tokWord || int(t.ke-t.ks) != len(w) || s.key(t) != w {
			return 0, false
		}
	}
	if e.guardFn != nil && !e.guardFn(s, i, j) {
		return 0, false
	}
	return j, true
}

// repeatedAt flags a word repeated right after itself and returns the index
// after the run.
func (s *scanner) repeatedAt(i int) int {
	toks := s.toks
	t := &toks[i]
	k := i + 1
	for k < len(toks) && toks[k].kind == tokWord && s.sameWord(t, &toks[k]) {
		k++
	}
	if k == i+1 || t.flags&tfDigit != 0 || (s.info(t) != nil && s.info(t).rptOK) {
		return k
	}
	// "Walla Walla", "Sing Sing": two capitalised words mid-sentence are a name.
	if u := &toks[i+1]; t.flags&tfCapital != 0 && u.flags&tfCapital != 0 &&
		t.flags&(tfAllCaps|tfSentStart) == 0 {
		return k
	}
	s.add(cand{ti: int32(i), tj: int32(k), kind: FlagRepeated})
	return k
}

func (s *scanner) sameWord(a, b *token) bool {
	if a.flags&b.flags&tfFolded != 0 {
		return a.ke-a.ks == b.ke-b.ks && s.key(a) == s.key(b)
	}
	return strings.EqualFold(s.text[a.start:a.end], s.text[b.start:b.end])
}

// isRomanNumeral reports whether an upper-cased word is a well-formed Roman
// numeral ("III", "XIV"), which is not shouting.
func isRomanNumeral(w string) bool {
	if w == "" || len(w) > 15 {
		return false
	}
	val := func(c byte) int {
		switch c {
		case 'i', 'I':
			return 1
		case 'v', 'V':
			return 5
		case 'x', 'X':
			return 10
		case 'l', 'L':
			return 50
		case 'c', 'C':
			return 100
		case 'd', 'D':
			return 500
		case 'm', 'M':
			return 1000
		}
		return 0
	}
	total := 0
	for k := 0; k < len(w); k++ {
		v := val(w[k])
		if v == 0 {
			return false
		}
		if k+1 < len(w) && val(w[k+1]) > v {
			total -= v
		} else {
			total += v
		}
	}
	if total <= 0 || total >= 4000 {
		return false
	}
	// Well-formed only if writing the value back gives the same letters.
	var b [16]byte
	out := b[:0]
	for _, p := range [...]struct {
		v int
		s string
	}{{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"}, {90, "xc"}, {50, "l"}, {40, "xl"}, {10, "x"}, {9, "ix"}, {5, "v"}, {4, "iv"}, {1, "i"}} {
		for total >= p.v {
			out = append(out, p.s...)
			total -= p.v
		}
	}
	return strings.EqualFold(string(out), w)
}

// ---- guards -----------------------------------------------------------------

// A guard decides from context whether a list phrase matched at tokens
// [i, j) really is what the list says.
type guardFunc func(s *scanner, i, j int) bool

var flagGuards = map[string]guardFunc{
	"likeFiller":         guardLikeFiller,
	"youKnowFiller":      guardYouKnowFiller,
	"commaAfter":         func(s *scanner, i, j int) bool { return isPunct(s.at(j), ',') },
	"commaAfterAtStart":  func(s *scanner, i, j int) bool { return s.sentStart(i) && isPunct(s.at(j), ',') },
	"soFiller":           guardSoFiller,
	"wellFiller":         func(s *scanner, i, j int) bool { return s.sentStart(i) && isPunct(s.at(j), ',') },
	"notAfterDeterminer": guardNotAfterDeterminer,
	"notAfterQuite":      guardNotAfterQuite,
	"ratherHedge":        guardRatherHedge,
	"sentenceStart":      func(s *scanner, i, j int) bool { return s.sentStart(i) },
	"superIntensifier":   guardSuperIntensifier,
	"quiteIntensifier":   guardQuiteIntensifier,
	"guysAddress":        guardGuysAddress,
}

// at is the token at k, or nil past either end.
func (s *scanner) at(k int) *token {
	if k < 0 || k >= len(s.toks) {
		return nil
	}
	return &s.toks[k]
}

func (s *scanner) sentStart(i int) bool { return s.toks[i].flags&tfSentStart != 0 }

func isWordTok(t *token) bool { return t != nil && t.kind == tokWord }

func isPunct(t *token, p byte) bool { return t != nil && t.kind == tokPunct && t.punct == p }

func setOf(words string) map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// Words after which "like" is a verb or a preposition, never a filler.
var likeVerbBefore = setOf(`i you we they he she it people who which that to would i'd you'd we'd
they'd he'd she'd do does did don't doesn't didn't really also still just not never always might
may will can could should must i'll we'll you'll they'll everyone everybody nobody somebody someone
anyone feel feels felt look looks looked sound sounds sounded seem seems seemed something more much
anything nothing things stuff would've kids`)

func guardLikeFiller(s *scanner, i, j int) bool {
	p, n := s.at(i-1), s.at(j)
	if isWordTok(p) && likeVerbBefore[s.key(p)] {
		return false
	}
	if n == nil {
		return false
	}
	if n.kind == tokPunct {
		switch n.punct {
		case ',', '"', ':', '-':
			return true
		}
		return false
	}
	// "it took, like 20 minutes": an approximation before a number.
	if n.kind == tokWord && isDigitByte(s.text[n.start]) {
		return !isWordTok(p)
	}
	return false
}

// Words after which "you know" is a real question or a clause ("do you know",
// "as you know"), not a filler.
var youKnowBefore = setOf(`do does did don't doesn't didn't as if would will could should let what how
who whether that now when where why because since ever might may can`)

func guardYouKnowFiller(s *scanner, i, j int) bool {
	if p := s.at(i - 1); isWordTok(p) && youKnowBefore[s.key(p)] {
		return false
	}
	return !isWordTok(s.at(j))
}

// Words that typically follow a filler "So" at the start of a sentence.
var soStarters = setOf(`i i'm i've i'll i'd we we're we've we'll we'd you you're you've you'll he she
they they're it it's the this that's there there's here here's basically anyway yeah yes um uh
like let's now if my our your in at when how apparently just actually right ok okay`)

func guardSoFiller(s *scanner, i, j int) bool {
	if !s.sentStart(i) {
		return false
	}
	n := s.at(j)
	return isPunct(n, ',') || (isWordTok(n) && soStarters[s.key(n)])
}

func guardNotAfterDeterminer(s *scanner, i, j int) bool {
	p := s.at(i - 1)
	return !isWordTok(p) || s.info(p) == nil || !s.info(p).det
}

func guardNotAfterQuite(s *scanner, i, j int) bool {
	p := s.at(i - 1)
	return !isWordTok(p) || (s.key(p) != "quite" && s.key(p) != "not")
}

// "rather" hedges only as a degree word after these ("a rather low cost",
// "it's rather late"); "would rather", "but rather" and "rather than" are fine.
var ratherBefore = setOf("a is it's that's was are were be been seems looks sounds feels")

func guardRatherHedge(s *scanner, i, j int) bool {
	p, n := s.at(i-1), s.at(j)
	return isWordTok(p) && ratherBefore[s.key(p)] && isWordTok(n) && s.key(n) != "than"
}

func guardSuperIntensifier(s *scanner, i, j int) bool {
	// "Super Bowl" is a name; "super!" is praise.
	return isWordTok(s.at(j)) && (s.toks[i].flags&tfCapital == 0 || s.sentStart(i))
}

func guardQuiteIntensifier(s *scanner, i, j int) bool {
	if p := s.at(i - 1); isWordTok(p) && (s.key(p) == "not" || strings.HasSuffix(s.key(p), "n't")) {
		return false // "not quite", "I don't quite follow"
	}
	n := s.at(j)
	return isWordTok(n) && s.key(n) != "a" && s.key(n) != "an" && s.key(n) != "the" && s.key(n) != "some"
}

// Words before "guys" that show it addresses the readers.
var guysBefore = setOf("hey hi hello thanks thx morning evening afternoon night all ok okay yo on bye great")

func guardGuysAddress(s *scanner, i, j int) bool {
	p, n := s.at(i-1), s.at(j)
	if isWordTok(p) {
		if guysBefore[s.key(p)] {
			return true
		}
		if s.info(p) != nil && s.info(p).det {
			return false // "the guys from IT"
		}
	}
	return !isWordTok(n) // "Guys, …", "great work, guys!"
}

// ---- overlaps and output ----------------------------------------------------

func (s *scanner) resolve(idx *offsetIndex) []Flag {
	// Candidates were proposed word by word, so they are ordered by ti.
	// Overlaps only happen inside a cluster of candidates whose ranges chain
	// together, almost always one or two: settle each cluster on its own.
	cands := s.cands
	kept := cands[:0] // filtering in place: writes never pass reads
	var chosen []cand
	var taken []uint64 // tokens claimed by a chosen candidate (clusters never share tokens)
	for a := 0; a < len(cands); {
		end, b := cands[a].tj, a+1
		for b < len(cands) && cands[b].ti < end {
			end = max(end, cands[b].tj)
			b++
		}
		if b == a+1 {
			if cands[a].kind != "" {
				kept = append(kept, cands[a])
			}
			a = b
			continue
		}
		cluster := cands[a:b]
		slices.SortFunc(cluster, func(x, y cand) int {
			if lx, ly := x.tj-x.ti, y.tj-y.ti; lx != ly {
				return int(ly - lx)
			}
			if x.rank != y.rank {
				return int(x.rank) - int(y.rank)
			}
			return int(x.ti - y.ti)
		})
		if taken == nil {
			taken = make([]uint64, len(s.toks)/64+1)
		}
		chosen = chosen[:0]
	next:
		for _, c := range cluster {
			for k := c.ti; k < c.tj; k++ {
				if taken[k>>6]&(1<<(k&63)) != 0 {
					continue next
				}
			}
			for k := c.ti; k < c.tj; k++ {
				taken[k>>6] |= 1 << (k & 63)
			}
			chosen = append(chosen, c)
		}
		slices.SortFunc(chosen, func(x, y cand) int { return int(x.ti - y.ti) })
		for _, c := range chosen {
			if c.kind != "" {
				kept = append(kept, c)
			}
		}
		a = b
	}

	flags := make([]Flag, 0, len(kept))
	for k := 0; k < len(kept); k++ {
		c := kept[k]
		if c.kind == FlagShouting {
			// Merge shouting next to shouting: "PLEASE STOP!!".
			for k+1 < len(kept) && kept[k+1].kind == FlagShouting && kept[k+1].ti == c.tj {
				k++
				c.tj = kept[k].tj
			}
		}
		flags = append(flags, s.flag(c, idx))
	}
	return flags
}

func (s *scanner) flag(c cand, idx *offsetIndex) Flag {
	bs, be := int(s.toks[c.ti].start), int(s.toks[c.tj-1].end)
	f := Flag{Kind: c.kind, Span: idx.span(bs, be), Text: s.text[bs:be]}
	shown := collapseSpace(f.Text)
	switch {
	case c.entry != nil:
		g := c.entry.group
		alt := matchCase(c.entry.alt, shown)
		f.Message = render(g.message, shown, alt)
		f.Suggestion = render(g.suggest, shown, alt)
	case c.kind == FlagPassive:
		s.describePassive(&f, c, shown)
	case c.kind == FlagRepeated:
		w := s.text[s.toks[c.ti].start:s.toks[c.ti].end]
		times := "twice"
		sugg := `Delete the second "` + w + `"`
		if n := c.tj - c.ti; n > 2 {
			times = strconv.Itoa(int(n)) + " times"
			sugg = `Keep one "` + w + `"`
		}
		f.Message = `"` + w + `" appears ` + times + ` in a row.`
		f.Suggestion = sugg
	case c.kind == FlagShouting:
		s.describeShouting(&f, c, shown)
	}
	return f
}

func (s *scanner) describeShouting(f *Flag, c cand, shown string) {
	words := strings.TrimRightFunc(shown, isBangRune)
	if words == "" {
		f.Message = `"` + shown + `" reads as shouting or alarm.`
		if strings.ContainsAny(shown, "?？؟⁉⁈") {
			f.Suggestion = `Use a plain "?"`
		} else {
			f.Suggestion = `Use one "!", or none`
		}
		return
	}
	lower := strings.ToLower(words)
	if s.toks[c.ti].flags&tfSentStart != 0 {
		r, size := utf8.DecodeRuneInString(lower)
		lower = string(unicode.ToUpper(r)) + lower[size:]
	}
	f.Message = `"` + shown + `" is in capitals, which reads as shouting.`
	f.Suggestion = `Write "` + lower + `" in normal case`
	if len(words) < len(shown) {
		f.Suggestion += ` and use one "!" at most`
	}
}

// collapseSpace turns every run of whitespace into one space.
func collapseSpace(t string) string {
	plain := true
	for k := 0; k < len(t); k++ {
		if c := t[k]; c == '\n' || c == '\r' || c == '\t' || c >= utf8.RuneSelf ||
			(c == ' ' && k+1 < len(t) && t[k+1] == ' ') {
			plain = false
			break
		}
	}
	if plain {
		return t
	}
	return strings.Join(strings.Fields(t), " ")
}

// matchCase capitalises alt when the flagged text starts with a capital
// ("Leverage" → "Use").
func matchCase(alt, shown string) string {
	if alt == "" || shown == "" {
		return alt
	}
	r, size := utf8.DecodeRuneInString(shown)
	if !unicode.IsUpper(r) {
		return alt
	}
	if r2, _ := utf8.DecodeRuneInString(shown[size:]); unicode.IsUpper(r2) {
		return alt // ALL CAPS: keep the alternative plain
	}
	a, asize := utf8.DecodeRuneInString(alt)
	return string(unicode.ToUpper(a)) + alt[asize:]
}

// render fills "{}" with the flagged text and "{alt}" with the alternative.
func render(tmpl, shown, alt string) string {
	var b strings.Builder
	b.Grow(len(tmpl) + len(shown) + len(alt))
	for {
		k := strings.IndexByte(tmpl, '{')
		if k < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		b.WriteString(tmpl[:k])
		switch {
		case strings.HasPrefix(tmpl[k:], "{}"):
			b.WriteString(shown)
			tmpl = tmpl[k+2:]
		case strings.HasPrefix(tmpl[k:], "{alt}"):
			b.WriteString(alt)
			tmpl = tmpl[k+5:]
		default:
			b.WriteByte('{')
			tmpl = tmpl[k+1:]
		}
	}
}
