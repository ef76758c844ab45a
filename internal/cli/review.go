// Package cli is Cara's command line: `cara review [--json] FILE|-` and
// `cara --version`. It prints the same report the desktop UI shows.
package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/cara-coach/cara/internal/analysis"
	"github.com/cara-coach/cara/internal/cara"
	"github.com/cara-coach/cara/internal/document"
)

// Exit codes.
const (
	ExitOK       = 0
	ExitBadInput = 1
	ExitUsage    = 2
)

// IsCommand reports whether args (without the program name) ask for the CLI
// rather than the desktop window.
func IsCommand(args []string) bool {
	if len(args) == 0 {
		return false
	}
	switch args[0] {
	case "review", "--version", "-version", "version", "help", "--help", "-h":
		return true
	}
	return false
}

// Run executes a CLI command and returns the process exit code.
func Run(args []string, version string, stdin io.Reader, stdout, stderr io.Writer) int {
	switch args[0] {
	case "--version", "-version", "version":
		fmt.Fprintf(stdout, "cara %s\n", version)
		return ExitOK
	case "review":
		return review(args[1:], stdin, stdout, stderr)
	default:
		usage(stdout)
		return ExitOK
	}
}

func usage(w io.Writer) {
	fmt.Fprint(w, `Usage:
  cara                         open the Cara desktop app
  cara review [--json] FILE    review a .txt, .md or .eml file with the offline coach
  cara review [--json] -       review text read from standard input
  cara --version               print the version
`)
}

func review(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("review", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print the report as JSON (the UI's field names)")
	fs.Usage = func() { usage(stderr) }
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "cara review: give one FILE, or - to read standard input")
		usage(stderr)
		return ExitUsage
	}
	name := fs.Arg(0)
	data, err := readInput(name, stdin)
	if err != nil {
		fmt.Fprintf(stderr, "cara review: %s\n", err)
		return ExitBadInput
	}
	if name == "-" {
		name = "stdin.txt"
	}
	doc, err := document.Extract(name, data)
	if err != nil {
		fmt.Fprintf(stderr, "cara review: %s\n", cara.ErrorMessage(err))
		return ExitBadInput
	}
	report, err := analysis.Analyze(doc.Body, analysis.Options{})
	if err != nil {
		fmt.Fprintf(stderr, "cara review: %s\n", cara.ErrorMessage(err))
		return ExitBadInput
	}
	if doc.Repaired {
		report.MarkRepaired()
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(report); err != nil {
			fmt.Fprintf(stderr, "cara review: %v\n", err)
			return ExitBadInput
		}
		return ExitOK
	}
	printReport(stdout, doc.Title, doc.Body, report)
	return ExitOK
}

func readInput(name string, stdin io.Reader) ([]byte, error) {
	var r io.Reader = stdin
	if name != "-" {
		f, err := openFile(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, document.MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("can't read %s: %v", name, err)
	}
	return data, nil
}

// printReport writes the human-readable report.
func printReport(w io.Writer, title, text string, r analysis.Report) {
	s := r.Scores
	fmt.Fprintf(w, "Cara review — %s\n\n", title)
	for _, n := range r.Notes {
		fmt.Fprintf(w, "Note: %s\n\n", n)
	}
	fmt.Fprintf(w, "Scores (0–100)\n  Overall %3d   Clarity %3d   Concision %3d   Confidence %3d   Warmth %3d\n\n",
		s.Overall, s.Clarity, s.Concision, s.Confidence, s.Warmth)
	c := r.Counts
	fmt.Fprintf(w, "Counts\n  %d words · %d sentences · %d syllables · %d characters\n\n", c.Words, c.Sentences, c.Syllables, c.Characters)
	rd := r.Readability
	fmt.Fprintf(w, "Readability — %s\n", rd.PlainGrade)
	rows := []struct {
		name  string
		value float64
	}{
		{"Flesch reading ease", rd.FleschReadingEase},
		{"Flesch–Kincaid grade", rd.FleschKincaidGrade},
		{"Gunning fog", rd.GunningFog},
		{"SMOG", rd.SMOG},
		{"Coleman–Liau", rd.ColemanLiau},
		{"Automated readability", rd.AutomatedReadability},
	}
	for _, row := range rows {
		fmt.Fprintf(w, "  %-24s %6.1f\n", row.name, row.value)
	}
	p := r.Sentences
	fmt.Fprintf(w, "\nSentence lengths: %d sentences, %.1f words on average, longest %d\n", p.Count, p.MeanWords, p.LongestWords)

	if len(r.TopChanges) > 0 {
		fmt.Fprintln(w, "\nTop changes")
		for i, ch := range r.TopChanges {
			fmt.Fprintf(w, "  %d. %s\n     %s\n", i+1, ch.Title, ch.Detail)
		}
	}
	if len(r.Flags) > 0 {
		fmt.Fprintf(w, "\nFlags (%d)\n", len(r.Flags))
		lines := lineStarts(text)
		for _, f := range r.Flags {
			line, col := position(lines, f.Start)
			fmt.Fprintf(w, "  %-7s %-13s %q\n          %s %s.\n", fmt.Sprintf("%d:%d", line, col), f.Kind, f.Text, f.Message, strings.TrimSuffix(f.Suggestion, "."))
		}
	} else {
		fmt.Fprintln(w, "\nNo flags: nothing to change.")
	}
}

// lineStarts returns the rune offset where each line begins.
func lineStarts(text string) []int {
	starts := []int{0}
	i := 0
	for _, r := range text {
		i++
		if r == '\n' {
			starts = append(starts, i)
		}
	}
	return starts
}

// position turns a rune offset into a 1-based line and column.
func position(starts []int, offset int) (line, col int) {
	i := sort.Search(len(starts), func(i int) bool { return starts[i] > offset }) - 1
	return i + 1, offset - starts[i] + 1
}
