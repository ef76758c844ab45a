// Command analyzer measures the offline coach's throughput for scripts/bench.sh.
//
//	analyzer corpus -csv dialogues.csv -bytes 1000000 -out text.txt
//	    writes ≥ N bytes of real text: every turn of each dialogue in file
//	    order, one turn a line, dialogues separated by a blank line.
//	analyzer run -text text.txt -min-time 3s
//	    analyses the text in chunks of ≤ 200,000 characters cut at paragraph
//	    boundaries (analysis.Analyze rejects longer), one warm-up pass and then
//	    passes until min-time has passed, and prints one JSON line: bytes,
//	    passes, seconds, MB/s (1 MB = 10^6 bytes), peak RSS.
//
// Run it with GOMAXPROCS=1 for the one-core figure.
package main

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/cara-coach/cara/internal/analysis"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: analyzer corpus|run [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "corpus":
		err = corpusCmd(os.Args[2:])
	case "run":
		err = runCmd(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q (want corpus or run)", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "analyzer:", err)
		os.Exit(1)
	}
}

func corpusCmd(args []string) error {
	fs := flag.NewFlagSet("corpus", flag.ExitOnError)
	csvPath := fs.String("csv", "", "PersuasionForGood dialogues.csv")
	want := fs.Int("bytes", 1_000_000, "stop after the dialogue that reaches this many bytes")
	out := fs.String("out", "", "output file")
	_ = fs.Parse(args)
	if *csvPath == "" || *out == "" {
		return errors.New("corpus needs -csv and -out")
	}
	text, dialogues, err := buildCorpus(*csvPath, *want)
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, []byte(text), 0o644); err != nil {
		return err
	}
	fmt.Printf("%d bytes, %d dialogues\n", len(text), dialogues)
	return nil
}

// buildCorpus concatenates whole dialogues from the CSV until the text has at
// least want bytes.
func buildCorpus(path string, want int) (string, int, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	if err != nil {
		return "", 0, fmt.Errorf("%s: %w", path, err)
	}
	idCol, textCol := -1, -1
	for i, h := range header {
		switch strings.TrimPrefix(h, "\ufeff") {
		case "dialogue_id":
			idCol = i
		case "text":
			textCol = i
		}
	}
	if idCol < 0 || textCol < 0 {
		return "", 0, fmt.Errorf("%s: want dialogue_id and text columns, got %v", path, header)
	}
	var b strings.Builder
	dialogues := 0
	lastID := ""
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", 0, fmt.Errorf("%s: %w", path, err)
		}
		turn := strings.Join(strings.Fields(rec[textCol]), " ")
		if turn == "" {
			continue
		}
		if rec[idCol] != lastID {
			if b.Len() >= want {
				break
			}
			if b.Len() > 0 {
				b.WriteString("\n\n")
			}
			lastID = rec[idCol]
			dialogues++
		} else {
			b.WriteByte('\n')
		}
		b.WriteString(turn)
	}
	if b.Len() < want {
		return "", 0, fmt.Errorf("%s has only %d bytes of text, want %d", path, b.Len(), want)
	}
	return b.String(), dialogues, nil
}

// chunks cuts text at paragraph boundaries ("\n\n") into pieces of at most
// max characters (runes). A paragraph longer than max is cut at a line break,
// or hard at max as a last resort. bench/run.mjs cuts the same way.
func chunks(text string, max int) []string {
	var out []string
	var cur strings.Builder
	curRunes := 0
	flush := func() {
		if curRunes > 0 {
			out = append(out, cur.String())
			cur.Reset()
			curRunes = 0
		}
	}
	for _, para := range strings.Split(text, "\n\n") {
		n := utf8.RuneCountInString(para)
		if n > max {
			flush()
			out = append(out, hardSplit(para, max)...)
			continue
		}
		sep := 0
		if curRunes > 0 {
			sep = 2
		}
		if curRunes+sep+n > max {
			flush()
			sep = 0
		}
		if sep > 0 {
			cur.WriteString("\n\n")
		}
		cur.WriteString(para)
		curRunes += sep + n
	}
	flush()
	return out
}

func hardSplit(s string, max int) []string {
	var out []string
	r := []rune(s)
	for len(r) > max {
		cut := max
		for i := max; i > max/2; i-- {
			if r[i] == '\n' {
				cut = i
				break
			}
		}
		out = append(out, string(r[:cut]))
		r = r[cut:]
	}
	return append(out, string(r))
}

func chunkChars(parts []string) []int {
	n := make([]int, len(parts))
	for i, p := range parts {
		n[i] = utf8.RuneCountInString(p)
	}
	return n
}

type result struct {
	Engine     string  `json:"engine"`
	Bytes      int     `json:"bytes"`
	Chunks     int     `json:"chunks"`
	ChunkChars []int   `json:"chunkChars"` // characters per chunk; bench.sh checks the Node runs cut the same
	Passes     int     `json:"passes"`
	Seconds    float64 `json:"seconds"`
	MBps       float64 `json:"mbps"`
	BestMBps   float64 `json:"bestMbps"`
	PeakRSSKB  int64   `json:"peakRssKb"`
	Flags      int     `json:"flagsPerPass"`
	GOMAXPROCS int     `json:"gomaxprocs"`
}

func runCmd(args []string) error {
	fs := flag.NewFlagSet("run", flag.ExitOnError)
	textPath := fs.String("text", "", "text file from `analyzer corpus`")
	minTime := fs.Duration("min-time", 3*time.Second, "keep making passes until this much time has passed")
	minPasses := fs.Int("min-passes", 3, "make at least this many timed passes")
	_ = fs.Parse(args)
	data, err := os.ReadFile(*textPath)
	if err != nil {
		return err
	}
	text := string(data)
	parts := chunks(text, analysis.MaxRunes)

	pass := func() (int, error) {
		flags := 0
		for _, c := range parts {
			r, err := analysis.Analyze(c, analysis.Options{})
			if err != nil {
				return 0, fmt.Errorf("chunk of %d characters: %w", utf8.RuneCountInString(c), err)
			}
			flags += len(r.Flags)
		}
		return flags, nil
	}
	flags, err := pass() // warm-up: page in the dictionaries, grow the heap
	if err != nil {
		return err
	}
	passes := 0
	best := time.Duration(1<<63 - 1)
	start := time.Now()
	for passes < *minPasses || time.Since(start) < *minTime {
		t0 := time.Now()
		if _, err := pass(); err != nil {
			return err
		}
		best = min(best, time.Since(t0))
		passes++
	}
	elapsed := time.Since(start)

	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return err
	}
	res := result{
		Engine:     "cara",
		Bytes:      len(text),
		Chunks:     len(parts),
		ChunkChars: chunkChars(parts),
		Passes:     passes,
		Seconds:    elapsed.Seconds(),
		MBps:       float64(len(text)) * float64(passes) / elapsed.Seconds() / 1e6,
		BestMBps:   float64(len(text)) / best.Seconds() / 1e6,
		PeakRSSKB:  ru.Maxrss, // kilobytes on Linux
		Flags:      flags,
		GOMAXPROCS: runtime.GOMAXPROCS(0),
	}
	return json.NewEncoder(os.Stdout).Encode(res)
}
