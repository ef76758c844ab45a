package analysis

import (
	"strings"
	"testing"
	"time"

	"github.com/cara-coach/cara/internal/cara"
)

func TestAnalyzeInputChecks(t *testing.T) {
	tests := []struct {
		name        string
		text        string
		wantCode    string
		wantMessage string
	}{
		{"empty", "", cara.EEMPTY, "Nothing to review yet — paste or open some text"},
		{"whitespace", " \n\t\r\n ", cara.EEMPTY, "Nothing to review yet — paste or open some text"},
		{"zero-width spaces", "\u200b\u200b \ufeff", cara.EEMPTY, "Nothing to review yet — paste or open some text"},
		{"only emoji", "😀😀😀", cara.EEMPTY, "There are no words to review here — only symbols or emoji"},
		{"only punctuation", "... — !!!", cara.EEMPTY, "There are no words to review here — only symbols or emoji"},
		{"exactly the limit", strings.Repeat("é", MaxRunes-3) + " ok", "", ""},
		{"one over the limit", strings.Repeat("😀", MaxRunes-2) + " ok", cara.ETOOLARGE, "Text is too long (max 200,000 characters)"},
		{"one word", "OK", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Analyze(tt.text, Options{})
			if got := cara.ErrorCode(err); tt.wantCode == "" && err != nil || got != tt.wantCode && tt.wantCode != "" {
				t.Fatalf("got %v, want code %q", err, tt.wantCode)
			}
			if tt.wantCode != "" && cara.ErrorMessage(err) != tt.wantMessage {
				t.Errorf("got %q, want %q", cara.ErrorMessage(err), tt.wantMessage)
			}
		})
	}
}

func TestAnalyzeRepairsAndTimes(t *testing.T) {
	r, err := Analyze("We ship \xff today and it works well.", Options{SpokenDuration: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if !r.RepairedUTF8 || len(r.Notes) != 1 {
		t.Errorf("got repaired=%v notes=%v, want the repair noted once", r.RepairedUTF8, r.Notes)
	}
	if r.WPM == nil || *r.WPM != float64(r.Counts.Words)*20 {
		t.Errorf("got WPM %v for %d words in 3 s, want %d", r.WPM, r.Counts.Words, r.Counts.Words*20)
	}
	r.MarkRepaired()
	if len(r.Notes) != 1 {
		t.Errorf("MarkRepaired twice: got %d notes, want 1", len(r.Notes))
	}
}

func TestAnalyzeIsDeterministic(t *testing.T) {
	text := "Honestly, I just think the the plan was basically approved by the board!!! Thanks guys."
	a, err := Analyze(text, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		b, _ := Analyze(text, Options{})
		if a.Scores != b.Scores || len(a.Flags) != len(b.Flags) || a.Readability != b.Readability {
			t.Fatalf("run %d differs: %+v vs %+v", i, a.Scores, b.Scores)
		}
	}
}
