package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cara-coach/cara/internal/gemini/geminitest"
)

var listeningRe = regexp.MustCompile(`^fake Gemini listening on (http://127\.0\.0\.1:\d+) \(key: (.+)\)$`)

// start runs the fake on a free port and returns its base URL and a stop
// function that cancels it and returns run's error.
func start(t *testing.T, args ...string) (string, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"-addr", "127.0.0.1:0", "-chunk-delay", "1ms"}, args...), pw, io.Discard)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	go io.Copy(io.Discard, pr)
	m := listeningRe.FindStringSubmatch(strings.TrimSpace(line))
	if err != nil || m == nil {
		cancel()
		t.Fatalf("first line = %q, %v", line, err)
	}
	stopped := false
	stop := func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(10 * time.Second):
			return errors.New("run did not return 10 s after cancel")
		}
	}
	t.Cleanup(func() { _ = stop() })
	wantKey := geminitest.DefaultAPIKey
	for i, a := range args {
		if a == "-key" && i+1 < len(args) {
			wantKey = args[i+1]
		}
	}
	if m[2] != wantKey {
		t.Errorf("printed key %q, want %q", m[2], wantKey)
	}
	return m[1], stop
}

func do(t *testing.T, method, url, key, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	if key != "" {
		req.Header.Set("x-goog-api-key", key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

const key = geminitest.DefaultAPIKey

func TestServesModelsAndControl(t *testing.T) {
	base, stop := start(t)
	steps := []struct {
		name, method, path, key, body string
		wantCode                      int
		wantIn                        string
	}{
		{"models list", "GET", "/v1beta/models", key, "", 200, `"models/gemini-2.5-flash"`},
		{"wrong key", "GET", "/v1beta/models", "nope", "", 400, "API_KEY_INVALID"},
		{"state", "GET", "/_control/state", "", "", 200, `{"scenario":"","requests":2}`},
		{"set 503", "POST", "/_control/scenario", "", `{"scenario":"503"}`, 200, `"scenario":"503"`},
		{"busy now", "GET", "/v1beta/models", key, "", 503, "UNAVAILABLE"},
		{"still busy", "GET", "/v1beta/models", key, "", 503, "UNAVAILABLE"},
		{"back to ok", "POST", "/_control/scenario", "", `{"scenario":"ok"}`, 200, `"scenario":""`},
		{"fail next 429", "POST", "/_control/fail-next", "", `{"scenario":"429"}`, 200, `"scenario":""`},
		{"quota once", "GET", "/v1beta/models", key, "", 429, `"retryDelay":"17s"`},
		{"then fine", "GET", "/v1beta/models", key, "", 200, `"models"`},
		{"fail next default", "POST", "/_control/fail-next", "", "", 200, `"scenario":""`},
		{"503 once", "GET", "/v1beta/models", key, "", 503, "UNAVAILABLE"},
		{"unknown scenario", "POST", "/_control/scenario", "", `{"scenario":"504"}`, 400, `unknown scenario \"504\"`},
		{"scenario needs a body", "POST", "/_control/scenario", "", "", 400, "body must be"},
		{"bad body", "POST", "/_control/fail-next", "", `{"scenario":`, 400, "body must be"},
		{"set 500 then reset", "POST", "/_control/scenario", "", `{"scenario":"500"}`, 200, `"scenario":"500"`},
		{"queue one", "POST", "/_control/fail-next", "", `{"scenario":"403"}`, 200, `"scenario":"500"`},
		{"reset", "POST", "/_control/reset", "", "", 200, `"scenario":""`},
		{"fine after reset", "GET", "/v1beta/models", key, "", 200, `"models"`},
		{"unknown control", "GET", "/_control/nope", "", "", 404, "unknown control endpoint"},
		{"control wrong method", "GET", "/_control/scenario", "", "", 404, "unknown control endpoint"},
	}
	for _, st := range steps {
		code, body := do(t, st.method, base+st.path, st.key, st.body)
		if code != st.wantCode || !strings.Contains(body, st.wantIn) {
			t.Errorf("%s: got %d %s, want %d containing %s", st.name, code, body, st.wantCode, st.wantIn)
		}
	}
	if err := stop(); err != nil {
		t.Errorf("run returned %v after cancel, want nil", err)
	}
	if _, err := http.Get(base + "/v1beta/models"); err == nil {
		t.Error("still serving after stop")
	}
}

func TestConversationalStreamByDefault(t *testing.T) {
	base, _ := start(t, "-key", "demo-key-1")
	body := `{"contents":[{"role":"user","parts":[{"text":"We shipped the new billing page on time."}]}]}`
	code, out := do(t, "POST", base+"/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", "demo-key-1", body)
	if code != 200 {
		t.Fatalf("status %d: %s", code, out)
	}
	var text strings.Builder
	events := 0
	for _, line := range strings.Split(out, "\n") {
		data, ok := strings.CutPrefix(strings.TrimSpace(line), "data: ")
		if !ok {
			continue
		}
		events++
		var ev struct {
			Candidates []struct {
				Content struct{ Parts []struct{ Text string } }
			}
		}
		if err := json.Unmarshal([]byte(data), &ev); err != nil {
			t.Fatal(err)
		}
		text.WriteString(ev.Candidates[0].Content.Parts[0].Text)
	}
	if !strings.Contains(text.String(), "“We shipped the new billing page on time”") || strings.HasPrefix(text.String(), "You said:") {
		t.Errorf("reply = %q, want a conversational follow-up quoting the user", text.String())
	}
	if events < 8 {
		t.Errorf("%d events, want one per three words", events)
	}
}

func TestEchoFlag(t *testing.T) {
	base, _ := start(t, "-echo")
	body := `{"contents":[{"role":"user","parts":[{"text":"hello there"}]}]}`
	code, out := do(t, "POST", base+"/v1beta/models/gemini-2.5-flash:generateContent", key, body)
	if code != 200 || !strings.Contains(out, "You said: hello there. "+geminitest.CoachingSentence) {
		t.Errorf("got %d %s", code, out)
	}
}

// A stalled stream must not hold up shutdown.
func TestShutdownWithStalledStream(t *testing.T) {
	base, stop := start(t, "-scenario", "stall")
	body := `{"contents":[{"role":"user","parts":[{"text":"tell me a long story please"}]}]}`
	resp, err := http.Post(base+"/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse&key="+key, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if _, err := bufio.NewReader(resp.Body).ReadString('\n'); err != nil {
		t.Fatalf("no first chunk: %v", err)
	}
	began := time.Now()
	if err := stop(); err != nil {
		t.Fatalf("run returned %v", err)
	}
	if d := time.Since(began); d > shutdownGrace/2 {
		t.Errorf("shutdown took %v with a stalled stream", d)
	}
}

func TestBadFlags(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-scenario", "504"}, `unknown scenario "504"`},
		{[]string{"-key", ""}, "-key must not be empty"},
		{[]string{"-chunk-delay", "-1s"}, "must not be negative"},
		{[]string{"extra"}, `unexpected argument "extra"`},
		{[]string{"-port", "1"}, "flag provided but not defined"},
	}
	for _, tt := range tests {
		err := run(context.Background(), tt.args, io.Discard, io.Discard)
		var ue usageError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("run(%q) = %v, want a usage error containing %q", tt.args, err, tt.want)
		}
	}
	if err := run(context.Background(), []string{"-addr", "256.0.0.1:1"}, io.Discard, io.Discard); err == nil {
		t.Error("run with an address it can't listen on returned nil")
	}
}

func TestMagicWordsOnceByDefault(t *testing.T) {
	body := `{"contents":[{"role":"user","parts":[{"text":"status update [[503]]"}]}]}`
	for _, tt := range []struct {
		args []string
		want []int
	}{
		{nil, []int{503, 200}},
		{[]string{"-magic-once=false"}, []int{503, 503}},
	} {
		base, _ := start(t, tt.args...)
		for i, want := range tt.want {
			code, out := do(t, "POST", base+"/v1beta/models/gemini-2.5-flash:generateContent", key, body)
			if code != want {
				t.Errorf("%q request %d: got %d %s, want %d", tt.args, i, code, out, want)
			}
		}
	}
}
