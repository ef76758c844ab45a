package analysis

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// referenceRow is one line of readability-reference.jsonl: textstat's values
// for one real persuasion dialogue.
type referenceRow struct {
	DialogueID string  `json:"dialogue_id"`
	Text       string  `json:"text"`
	Words      int     `json:"words"`
	Sentences  int     `json:"sentences"`
	Syllables  int     `json:"syllables"`
	FRE        float64 `json:"flesch_reading_ease"`
	FK         float64 `json:"flesch_kincaid_grade"`
	Fog        float64 `json:"gunning_fog"`
	SMOG       float64 `json:"smog_index"`
	CLI        float64 `json:"coleman_liau_index"`
	ARI        float64 `json:"automated_readability_index"`
}

// sharedPath finds the module root (the directory holding go.mod) from the
// package directory and resolves rel against its parent, where the shared
// corpora live beside the repository.
func sharedPath(t testing.TB, rel string) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "..", rel)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the package directory")
		}
		dir = parent
	}
}

// loadReference reads the reference file, or skips (fails when
// CARA_REQUIRE_SHARED=1) when it is missing.
func loadReference(t testing.TB) []referenceRow {
	t.Helper()
	path := sharedPath(t, filepath.Join("shared", "corpora", "persuasionforgood", "readability-reference.jsonl"))
	f, err := os.Open(path)
	if err != nil {
		msg := fmt.Sprintf("\n\n*** TEXTSTAT AGREEMENT NOT CHECKED: %v ***\n"+
			"*** the shared corpora must sit beside the repository (../shared) ***\n", err)
		if os.Getenv("CARA_REQUIRE_SHARED") == "1" {
			t.Fatal(msg)
		}
		fmt.Print(msg)
		t.Skip(msg)
	}
	defer f.Close()
	var rows []referenceRow
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		if len(sc.Bytes()) == 0 {
			continue
		}
		var r referenceRow
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("%s: line %d: %v", path, len(rows)+1, err)
		}
		rows = append(rows, r)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 {
		t.Fatalf("%s holds no rows", path)
	}
	return rows
}

func TestTextstatAgreement(t *testing.T) {
	rows := loadReference(t)

	type check struct {
		name  string
		tol   float64
		need  float64 // required share of texts within tol
		got   func(Counts, Readability) float64
		want  func(referenceRow) float64
		ok    int
		worst []string
	}
	checks := []*check{
		{name: "words (equal)", tol: 0, need: 0.95,
			got: func(c Counts, _ Readability) float64 { return float64(c.Words) }, want: func(r referenceRow) float64 { return float64(r.Words) }},
		{name: "Flesch reading ease ±2.0", tol: 2.0, need: 0.95,
			got: func(_ Counts, r Readability) float64 { return r.FleschReadingEase }, want: func(r referenceRow) float64 { return r.FRE }},
		{name: "Flesch–Kincaid grade ±0.5", tol: 0.5, need: 0.95,
			got: func(_ Counts, r Readability) float64 { return r.FleschKincaidGrade }, want: func(r referenceRow) float64 { return r.FK }},
		{name: "Gunning fog ±1.0", tol: 1.0, need: 0.90,
			got: func(_ Counts, r Readability) float64 { return r.GunningFog }, want: func(r referenceRow) float64 { return r.Fog }},
		{name: "SMOG ±1.0", tol: 1.0, need: 0.90,
			got: func(_ Counts, r Readability) float64 { return r.SMOG }, want: func(r referenceRow) float64 { return r.SMOG }},
		{name: "Coleman–Liau ±1.0", tol: 1.0, need: 0.90,
			got: func(_ Counts, r Readability) float64 { return r.ColemanLiau }, want: func(r referenceRow) float64 { return r.CLI }},
		{name: "ARI ±1.0", tol: 1.0, need: 0.90,
			got: func(_ Counts, r Readability) float64 { return r.AutomatedReadability }, want: func(r referenceRow) float64 { return r.ARI }},
	}
	// Informational: exact agreement of the raw counts.
	sentencesEqual, syllablesEqual, syllablesNear := 0, 0, 0

	for _, row := range rows {
		idx := newOffsetIndex(row.Text)
		c, read, prof := measure(row.Text, idx)
		checkInvariants(t, row.Text, c, read, prof)
		for _, ch := range checks {
			g, w := ch.got(c, read), ch.want(row)
			if math.Abs(g-w) <= ch.tol+1e-9 {
				ch.ok++
			} else if len(ch.worst) < 5 {
				ch.worst = append(ch.worst, fmt.Sprintf("%s: got %.3f want %.3f", row.DialogueID, g, w))
			}
		}
		if c.Sentences == row.Sentences {
			sentencesEqual++
		}
		if c.Syllables == row.Syllables {
			syllablesEqual++
		}
		if math.Abs(float64(c.Syllables-row.Syllables)) <= 0.01*float64(row.Syllables) {
			syllablesNear++
		}
	}

	n := float64(len(rows))
	report := fmt.Sprintf("textstat agreement over %d texts:\n", len(rows))
	for _, ch := range checks {
		report += fmt.Sprintf("  %-28s %6.2f %%  (need ≥ %.0f %%)\n", ch.name, 100*float64(ch.ok)/n, 100*ch.need)
	}
	report += fmt.Sprintf("  %-28s %6.2f %%\n", "sentences (equal)", 100*float64(sentencesEqual)/n)
	report += fmt.Sprintf("  %-28s %6.2f %%\n", "syllables (equal)", 100*float64(syllablesEqual)/n)
	report += fmt.Sprintf("  %-28s %6.2f %%\n", "syllables (within 1 %)", 100*float64(syllablesNear)/n)
	t.Log("\n" + report)
	if testing.Verbose() {
		fmt.Print(report)
	}
	for _, ch := range checks {
		if rate := float64(ch.ok) / n; rate < ch.need {
			t.Errorf("%s: %.2f %% of texts agree, need ≥ %.0f %%; e.g. %v", ch.name, 100*rate, 100*ch.need, ch.worst)
		} else if len(ch.worst) > 0 {
			t.Logf("%s misses: %v", ch.name, ch.worst)
		}
	}
}
