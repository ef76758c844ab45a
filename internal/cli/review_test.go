package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/cara-coach/cara/internal/analysis"
)

func run(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = Run(args, "1.2.3", strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// corpusText is a real persuader turn sequence from ../shared when present.
func corpusText(t *testing.T) string {
	t.Helper()
	path := filepath.Join("..", "..", "..", "shared", "corpora", "persuasionforgood", "readability-reference.jsonl")
	data, err := os.ReadFile(path)
	if err != nil {
		if os.Getenv("CARA_REQUIRE_SHARED") == "1" {
			t.Fatalf("CARA_REQUIRE_SHARED=1 but %s is missing: %v", path, err)
		}
		t.Logf("!!! ../shared corpus missing (%v): using a built-in text instead", err)
		return "I just wanted to say that, honestly, we are basically ready. The report was written by the team. Would you like to donate today?"
	}
	var line struct {
		Text string `json:"text"`
	}
	first, _, _ := bytes.Cut(data, []byte("\n"))
	if err := json.Unmarshal(first, &line); err != nil {
		t.Fatal(err)
	}
	return line.Text
}

func TestReviewJSONMatchesAnalyze(t *testing.T) {
	text := corpusText(t)
	want, err := analysis.Analyze(text, analysis.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, src := range []string{"file", "stdin"} {
		t.Run(src, func(t *testing.T) {
			var code int
			var stdout, stderr string
			if src == "file" {
				code, stdout, stderr = run(t, "", "review", "--json", writeFile(t, "turns.txt", []byte(text)))
			} else {
				code, stdout, stderr = run(t, text, "review", "--json", "-")
			}
			if code != ExitOK {
				t.Fatalf("got exit %d (%s), want 0", code, stderr)
			}
			var got analysis.Report
			if err := json.Unmarshal([]byte(stdout), &got); err != nil {
				t.Fatalf("output is not a report: %v", err)
			}
			if !reflect.DeepEqual(got, roundTrip(t, want)) {
				t.Errorf("CLI report differs from analysis.Analyze:\ngot  %+v\nwant %+v", got.Readability, want.Readability)
			}
			if got.Counts.Words == 0 {
				t.Errorf("got 0 words")
			}
		})
	}
}

// roundTrip passes r through JSON, as the CLI output does.
func roundTrip(t *testing.T, r analysis.Report) analysis.Report {
	t.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var out analysis.Report
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestReviewHumanReadable(t *testing.T) {
	path := writeFile(t, "note.txt", []byte("Sorry to bother you, but I just wanted to say the report was written by the the team.\nThanks!"))
	code, out, stderr := run(t, "", "review", path)
	if code != ExitOK {
		t.Fatalf("got exit %d (%s), want 0", code, stderr)
	}
	for _, want := range []string{"Cara review — note", "Overall", "Flesch reading ease", "Flags (", "Top changes"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestBadInput(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		stdin    string
		file     []byte
		wantCode int
		wantErr  string
	}{
		{name: "empty stdin", args: []string{"review", "-"}, stdin: "  \n ", wantCode: ExitBadInput, wantErr: "Nothing to review yet — paste or open some text"},
		{name: "binary file", args: []string{"review"}, file: []byte("\x7fELF\x00\x00\x01"), wantCode: ExitBadInput, wantErr: "This file doesn't look like text"},
		{name: "too long", args: []string{"review", "-"}, stdin: strings.Repeat("abcd ", 40_001), wantCode: ExitBadInput, wantErr: "Text is too long (max 200,000 characters)"},
		{name: "missing file", args: []string{"review", "/nonexistent/cara.txt"}, wantCode: ExitBadInput, wantErr: "no such file"},
		{name: "a folder", args: []string{"review", os.TempDir()}, wantCode: ExitBadInput, wantErr: "is a folder"},
		{name: "no file argument", args: []string{"review"}, wantCode: ExitUsage, wantErr: "give one FILE"},
		{name: "unknown flag", args: []string{"review", "--yaml", "x"}, wantCode: ExitUsage, wantErr: "flag provided but not defined"},
		{name: "two files", args: []string{"review", "a.txt", "b.txt"}, wantCode: ExitUsage, wantErr: "give one FILE"},
		{name: "unknown command", args: []string{"notes.txt"}, wantCode: ExitUsage, wantErr: `unknown command "notes.txt"`},
		{name: "unknown option", args: []string{"--bogus"}, wantCode: ExitUsage, wantErr: "Usage:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := tt.args
			if tt.file != nil {
				args = append(args, writeFile(t, "f.txt", tt.file))
			}
			code, _, stderr := run(t, tt.stdin, args...)
			if code != tt.wantCode {
				t.Errorf("got exit %d, want %d", code, tt.wantCode)
			}
			if !strings.Contains(stderr, tt.wantErr) {
				t.Errorf("got stderr %q, want it to contain %q", stderr, tt.wantErr)
			}
		})
	}
}

func TestInvalidUTF8IsRepairedAndReported(t *testing.T) {
	code, out, stderr := run(t, "We are ready \xff\xfe to ship the plan today.", "review", "--json", "-")
	if code != ExitOK {
		t.Fatalf("got exit %d (%s)", code, stderr)
	}
	var got analysis.Report
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if !got.RepairedUTF8 || len(got.Notes) == 0 {
		t.Errorf("got repaired=%v notes=%v, want the repair reported", got.RepairedUTF8, got.Notes)
	}
}

func TestVersionAndDispatch(t *testing.T) {
	code, out, _ := run(t, "", "--version")
	if code != 0 || out != "cara 1.2.3\n" {
		t.Errorf("got %d %q, want 0 \"cara 1.2.3\\n\"", code, out)
	}
	tests := []struct {
		args []string
		want bool
	}{
		{nil, false},
		{[]string{"review", "x"}, true},
		{[]string{"--version"}, true},
		{[]string{"notes.txt"}, true}, // a usage error, not a window
	}
	for _, tt := range tests {
		if got := IsCommand(tt.args); got != tt.want {
			t.Errorf("IsCommand(%v) = %v, want %v", tt.args, got, tt.want)
		}
	}
}

func TestFlagsAfterTheFile(t *testing.T) {
	path := writeFile(t, "n.txt", []byte("We shipped it on time."))
	code, out, stderr := run(t, "", "review", path, "--json")
	if code != ExitOK {
		t.Fatalf("got exit %d (%s), want 0", code, stderr)
	}
	var got analysis.Report
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("got non-JSON output: %v", err)
	}
	if got.Counts.Words != 5 {
		t.Errorf("got %d words, want 5", got.Counts.Words)
	}
}
