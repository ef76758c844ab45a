// Package analysis is Cara's offline coach: it measures a text (counts,
// readability, sentence lengths), flags what to change, and scores it, with
// no network and no API key. The same text always gives the same report.
package analysis

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/cara-coach/cara/internal/cara"
)

// MaxRunes is the longest text Cara reviews.
const MaxRunes = 200_000

// Options tune one analysis.
type Options struct {
	// SpokenDuration, when set, is how long the text took to say; it gives WPM.
	SpokenDuration time.Duration
}

// Analyze reviews text. It fails only for input a person must fix: empty or
// whitespace-only text, or text over MaxRunes characters.
func Analyze(text string, opts Options) (Report, error) {
	repaired := false
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, "\uFFFD")
		repaired = true
	}
	if isBlank(text) {
		return Report{}, cara.Errorf(cara.EEMPTY, "Nothing to review yet — paste or open some text")
	}
	if utf8.RuneCountInString(text) > MaxRunes {
		return Report{}, cara.Errorf(cara.ETOOLARGE, "Text is too long (max 200,000 characters)")
	}

	idx := newOffsetIndex(text)
	counts, read, profile := measure(text, idx)
	if counts.Words == 0 {
		return Report{}, cara.Errorf(cara.EEMPTY, "There are no words to review here — only symbols or emoji")
	}
	flags, cues := scanFlags(text, idx)
	r := Report{
		Version:     ReportVersion,
		Counts:      counts,
		Readability: read,
		Sentences:   profile,
		Flags:       flags,
		Notes:       []string{},
	}
	r.Scores = scoreWithCues(counts, read, profile, flags, cues)
	r.TopChanges = topChanges(counts, read, profile, flags)
	if repaired {
		r.MarkRepaired()
	}
	if opts.SpokenDuration > 0 && counts.Words > 0 {
		wpm := float64(counts.Words) / opts.SpokenDuration.Minutes()
		r.WPM = &wpm
	}
	return r, nil
}

// MarkRepaired records that the text had invalid UTF-8 replaced before the
// review (by Analyze itself, or earlier when a file was read).
func (r *Report) MarkRepaired() {
	if r.RepairedUTF8 {
		return
	}
	r.RepairedUTF8 = true
	r.Notes = append(r.Notes, "Some bytes were not valid UTF-8 and were replaced with \uFFFD before the review.")
}

// isBlank reports text with nothing but whitespace and invisible format
// characters (zero-width spaces and joiners, word joiner, BOM).
func isBlank(text string) bool {
	for _, r := range text {
		switch {
		case unicode.IsSpace(r), r == '\u200b', r == '\u200c', r == '\u200d', r == '\u2060', r == '\ufeff':
		default:
			return false
		}
	}
	return true
}
