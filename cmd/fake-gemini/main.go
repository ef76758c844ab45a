// Command fake-gemini serves Cara's fake Gemini API (internal/gemini/geminitest)
// on its own, for end-to-end tests and demo mode (`make demo`). Point Cara at
// it with CARA_GEMINI_BASE_URL=http://ADDR and paste the key it prints.
//
//	fake-gemini [-addr 127.0.0.1:8765] [-key fake-gemini-key] [-scenario NAME]
//	            [-chunk-delay 40ms] [-chunk-words 3] [-echo] [-magic-once=true]
//
// It prints one line, "fake Gemini listening on http://ADDR (key: KEY)", and
// serves until SIGINT or SIGTERM. -addr 127.0.0.1:0 picks a free port (read
// it from that line).
//
// Magic words in the last user message choose an error for that request:
// [[400]] invalid key, [[403]] key not allowed, [[429]] quota (retry in 17 s),
// [[429-bare]] quota without a retry time, [[500]], [[503]] busy, [[safety]]
// reply blocked, [[blocked]] prompt blocked, [[cut]] stream ends without a
// finish reason, [[midstream]] 503 in the middle of a stream, [[drop]]
// connection dropped mid-stream, [[stall]] stream goes silent. By default a
// magic word fires only the first time its message is sent, so the app's
// Retry of that message succeeds (-magic-once=false: every time).
//
// Control endpoints, only on this fake and without a key, let end-to-end
// tests change its behaviour while it runs (the scenario names are the magic
// words without brackets; "" or "ok" is normal service):
//
//	POST /_control/scenario   {"scenario":"503"}  every following request
//	POST /_control/fail-next  {"scenario":"503"}  the next request only (empty body: 503)
//	POST /_control/reset      normal service, queued fail-next dropped
//	GET  /_control/state      {"scenario":"…","requests":N}
//
// Each answers with the state.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/cara-coach/cara/internal/gemini/geminitest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		os.Exit(0)
	case errors.As(err, new(usageError)):
		fmt.Fprintln(os.Stderr, "fake-gemini:", err)
		os.Exit(2)
	case err != nil:
		fmt.Fprintln(os.Stderr, "fake-gemini:", err)
		os.Exit(1)
	}
}

// usageError is a bad command line.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }

// shutdownGrace is how long open requests get to finish after a signal.
const shutdownGrace = 5 * time.Second

// run serves until ctx ends; the listening line goes to stdout.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("fake-gemini", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8765", "address to listen on (port 0: any free port)")
	key := fs.String("key", geminitest.DefaultAPIKey, "the one API key accepted")
	scenario := fs.String("scenario", "", "error scenario for every request, e.g. 503 (default: normal service)")
	delay := fs.Duration("chunk-delay", 40*time.Millisecond, "pause between streamed chunks")
	words := fs.Int("chunk-words", 3, "words per streamed chunk")
	echo := fs.Bool("echo", false, `plain-text replies echo the user ("You said: …") instead of answering like a conversation partner`)
	magicOnce := fs.Bool("magic-once", true, "a magic word fails only the first request with its message, so a retry succeeds")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("unexpected argument %q", fs.Arg(0))}
	}
	sc, ok := geminitest.ParseScenario(*scenario)
	if !ok {
		return usageError{fmt.Errorf("unknown scenario %q (one of: %s)", *scenario, scenarioNames())}
	}
	if *key == "" || *delay < 0 || *words < 0 {
		return usageError{errors.New("-key must not be empty; -chunk-delay and -chunk-words must not be negative")}
	}

	fake := geminitest.NewHandler(geminitest.Options{
		APIKey: *key, Scenario: sc, ChunkDelay: *delay, ChunkWords: *words, Conversational: !*echo,
		OneShotMagicWords: *magicOnce,
	})
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: withControl(fake), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "fake Gemini listening on http://%s (key: %s)\n", ln.Addr(), *key)

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	fake.Close() // ends stalled streams, which would otherwise hold Shutdown
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

func scenarioNames() string {
	var names []string
	for _, sc := range geminitest.Scenarios() {
		names = append(names, string(sc))
	}
	return strings.Join(names, ", ")
}

// state is what every control endpoint answers.
type state struct {
	Scenario string `json:"scenario"`
	Requests int    `json:"requests"` // Gemini API requests served so far
}

// withControl adds the /_control/ endpoints in front of the fake API.
func withControl(fake *geminitest.Server) http.Handler {
	mux := http.NewServeMux()
	reply := func(w http.ResponseWriter) {
		writeJSON(w, http.StatusOK, state{Scenario: string(fake.Scenario()), Requests: len(fake.Requests())})
	}
	mux.HandleFunc("GET /_control/state", func(w http.ResponseWriter, r *http.Request) { reply(w) })
	mux.HandleFunc("POST /_control/reset", func(w http.ResponseWriter, r *http.Request) {
		fake.Reset()
		reply(w)
	})
	mux.HandleFunc("POST /_control/scenario", func(w http.ResponseWriter, r *http.Request) {
		sc, err := readScenario(r, nil)
		if err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		fake.SetScenario(sc)
		reply(w)
	})
	mux.HandleFunc("POST /_control/fail-next", func(w http.ResponseWriter, r *http.Request) {
		busy := geminitest.Unavailable
		sc, err := readScenario(r, &busy)
		if err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		fake.FailNext(sc)
		reply(w)
	})
	mux.HandleFunc("/_control/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, map[string]string{
			"error": "unknown control endpoint; use POST /_control/scenario, POST /_control/fail-next, POST /_control/reset or GET /_control/state",
		})
	})
	mux.Handle("/", fake.Handler())
	return mux
}

// readScenario reads {"scenario":"…"}; an empty body gives def, or is an
// error if def is nil.
func readScenario(r *http.Request, def *geminitest.Scenario) (geminitest.Scenario, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 4096))
	if err != nil {
		return "", err
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		if def == nil {
			return "", errors.New(`body must be {"scenario":"NAME"}`)
		}
		return *def, nil
	}
	var req struct {
		Scenario *string `json:"scenario"`
	}
	if err := json.Unmarshal(body, &req); err != nil || req.Scenario == nil {
		return "", errors.New(`body must be {"scenario":"NAME"}`)
	}
	sc, ok := geminitest.ParseScenario(*req.Scenario)
	if !ok {
		return "", fmt.Errorf("unknown scenario %q (one of: ok, %s)", *req.Scenario, scenarioNames())
	}
	return sc, nil
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}
