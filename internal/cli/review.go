// Package cli is Cara's command line: `cara review [--json] FILE|-` and
// `cara --version`. It prints the same report the desktop UI shows.
package cli

import (
	"encoding/json"
	"errors"
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
// rather than the desktop window: any argument does. Unknown ones get the
// usage text and exit status 2 rather than a window.
func IsCommand(args []string) bool { return len(args) > 0 }

// Run executes a CLI command and returns the process exit code.
func Run(args []string, version string, stdin io.Reader, stdout, stderr io.Writer) int {
	switch args[0] {
	case "--version", "-version", "version":
		fmt.Fprintf(stdout, "cara %s\n", version)
		return ExitOK
	case "review":
		return review(args[1:], stdin, stdout, stderr)
	case "help", "--help", "-help", "-h":
		usage(stdout)
		return ExitOK
	default:
		fmt.Fprintf(stderr, "cara: unknown command %q\n", args[0])
		usage(stderr)
		return ExitUsage
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
	// Flags may come after the file too: `cara review notes.txt --json`.
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return ExitOK
			}
			return ExitUsage
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(files) != 1 {
		fmt.Fprintln(stderr, "cara review: give one FILE, or - to read standard input")
		usage(stderr)
		return ExitUsage
	}
	name := files[0]
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
	data, err := io.ReadAll(io.LimitReader(r, document.MaxEmailBytes+1))
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
	c, p := r.Counts, r.Sentences
	fmt.Fprintf(w, "Counts\n  %s · %s · %s · %s\n\n", plural(c.Words, "word"), plural(p.Count, "sentence"),
		plural(c.Syllables, "syllable"), plural(c.Characters, "character"))
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
	fmt.Fprintf(w, "\nSentence lengths: %.1f words on average, longest %d\n", p.MeanWords, p.LongestWords)

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

// plural writes "1 word", "2 words".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
