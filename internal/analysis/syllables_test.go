package analysis

import (
	"strings"
	"testing"
)

func TestSyllablesDataLoads(t *testing.T) {
	dict := cmuDict()
	if n := len(dict); n < 120_000 {
		t.Fatalf("cmudict has %d words, want ≥ 120,000", n)
	}
	for w, n := range dict {
		if w == "" || n > 20 {
			t.Fatalf("bad entry %q → %d", w, n)
		}
	}
	if n := len(easyWords()); n < 2900 {
		t.Fatalf("Dale–Chall list has %d words, want ≥ 2,900", n)
	}
	for _, w := range []string{"a", "about", "children", "school", "yellow"} {
		if !isEasyWord([]byte(w)) {
			t.Errorf("%q should be on the Dale–Chall list", w)
		}
	}
	for _, w := range []string{"organization", "readability", "international"} {
		if isEasyWord([]byte(w)) {
			t.Errorf("%q should not be on the Dale–Chall list", w)
		}
	}
}

// Dictionary words: vowels of the FIRST CMU pronunciation.
func TestSyllablesDictionary(t *testing.T) {
	cases := []struct {
		word string
		want int
	}{
		{"the", 1},
		{"a", 1},
		{"hello", 2},
		{"fire", 2},  // F AY1 ER0
		{"every", 3}, // first pronunciation EH1 V ER0 IY0 (the variant "EH1 V R IY0" has 2)
		{"donation", 3},
		{"readability", 5},
		{"organization", 5},
		{"international", 5},
		{"beautiful", 3},
		{"don't", 1},
		{"children's", 2},
		{"that's", 1},
		{"you're", 1},
		{"rhythm", 2},
		{"queue", 1},
	}
	for _, c := range cases {
		if _, ok := cmuDict()[c.word]; !ok {
			t.Errorf("%q missing from cmudict", c.word)
			continue
		}
		if got := wordSyllables([]byte(c.word)); got != c.want {
			t.Errorf("wordSyllables(%q) = %d, want %d", c.word, got, c.want)
		}
	}
}

// Words the dictionary lacks: the estimator.
func TestSyllablesFallback(t *testing.T) {
	cases := []struct {
		word string
		want int
		why  string
	}{
		// numbers and other scripts: one syllable per token, as textstat
		{"2018", 1, "number"},
		{"1000000", 1, "number"},
		{"日本語", 1, "CJK"},
		{"مرحبا", 1, "Arabic"},
		// contractions typed without the apostrophe
		{"dont", 1, "don't"},
		{"thats", 1, "that's"},
		{"youre", 1, "you're"},
		{"doesnt", 2, "doesn't"},
		// contractions the dictionary lacks
		{"ceo's", 3, "ceo + 's"},
		{"mturkbox's", 3, "sibilant + 's"},
		// known base + suffix / prefix
		{"donatingly", 4, "donating + ly"},
		{"noncharity", 4, "non + charity"},
		{"multidonation", 5, "multi + donation"},
		// words run together
		{"absolutelythat", 5, "absolutely + that"},
		{"costeffective", 4, "cost + effective"},
		{"savethechildren", 4, "save + the + children"},
		// spelling rules
		{"blorptastic", 3, "vowel groups"},
		{"flibbertable", 4, "-ble keeps its e"},
		{"snarkfully", 3, "-ful-ly"},
		{"grombled", 2, "-led after a consonant"},
		{"zorked", 1, "silent -ed"},
		{"zorted", 2, "-ted"},
		{"zarbles", 2, "-bles"},
		{"glaxes", 2, "-xes"},
		{"plomes", 1, "silent -es"},
		{"splay", 1, "y after a vowel"},
		{"zyp", 1, "y as a vowel"},
		{"quarviate", 3, "i-a hiatus, silent e"},
		{"flomeo", 3, "e-o hiatus"},
		{"snoing", 2, "o-ing"},
		{"vuxism", 3, "-ism"},
		{"café", 2, "accented vowel"},
		{"xkcd", 1, "no vowel: at least 1"},
	}
	for _, c := range cases {
		w := []byte(c.word)
		if _, ok := cmuDict()[c.word]; ok {
			t.Errorf("%q is in cmudict; pick a word that is not", c.word)
			continue
		}
		if got := wordSyllables(w); got != c.want {
			t.Errorf("wordSyllables(%q) = %d, want %d (%s)", c.word, got, c.want, c.why)
		}
	}
}

// The spelling rules alone, checked against the dictionary itself: they must
// get most real words right, so that unknown words get sensible counts.
func TestSyllablesRulesAgreeWithCMU(t *testing.T) {
	all, allOK := 0, 0
	for w, n := range cmuDict() {
		if !allLowerASCII([]byte(w)) {
			continue
		}
		all++
		if max(1, ruleSyllables([]byte(w))) == int(n) {
			allOK++
		}
	}
	common, commonOK := 0, 0
	var misses []string
	for w := range easyWords() {
		n, ok := cmuDict()[w]
		if !ok || !allLowerASCII([]byte(w)) {
			continue
		}
		common++
		if got := max(1, ruleSyllables([]byte(w))); got == int(n) {
			commonOK++
		} else if len(misses) < 10 {
			misses = append(misses, w)
		}
	}
	allRate := float64(allOK) / float64(all)
	commonRate := float64(commonOK) / float64(common)
	t.Logf("spelling rules = CMU on %.2f %% of %d dictionary words, %.2f %% of %d Dale–Chall words (misses e.g. %s)",
		100*allRate, all, 100*commonRate, common, strings.Join(misses, ", "))
	if allRate < 0.90 {
		t.Errorf("rules agree with CMU on %.2f %% of words, want ≥ 90 %%", 100*allRate)
	}
	if commonRate < 0.96 {
		t.Errorf("rules agree with CMU on %.2f %% of common words, want ≥ 96 %%", 100*commonRate)
	}
}

func TestSyllablesCacheMatchesDirect(t *testing.T) {
	cache := newSyllableCache()
	words := []string{"the", "organization", "absolutelythat", "dont", "2018", "readability", "the", "organization",
		"a-very-long-token-that-skips-the-cache-entirely", "children", "children", "dale"}
	for round := 0; round < 2; round++ {
		for _, w := range words {
			n, easy := cache.lookup([]byte(w))
			if want := wordSyllables([]byte(w)); n != want {
				t.Errorf("cache %q = %d, direct %d", w, n, want)
			}
			if wantEasy := n >= 3 && isEasyWord([]byte(w)); easy != wantEasy {
				t.Errorf("cache easy(%q) = %v, want %v", w, easy, wantEasy)
			}
		}
	}
}

// textstat's syllable_count over a whole text: lower-case, remove
// punctuation, split, sum.
func TestSyllableCountText(t *testing.T) {
	cases := []struct {
		text string
		want int
	}{
		{"", 0},
		{"!!!", 0},
		{"Hello, world!", 3}, // hel-lo world
		{"The organization's readability", 1 + 5 + 5}, // organization's: dictionary
		{"DON'T panic", 1 + 2},                        // lower-cased first, so the apostrophe stays
		{"It's 2018 😀", 1 + 1},                        // emoji is not a word
		{"non-governmental", 5},                       // hyphen removed: nongovernmental
	}
	for _, c := range cases {
		if got := syllableCount(c.text); got != c.want {
			t.Errorf("syllableCount(%q) = %d, want %d", c.text, got, c.want)
		}
	}
}
