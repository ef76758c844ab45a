package geminitest_test

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/cara-coach/cara/internal/gemini/geminitest"
)

func post(t *testing.T, url, key, body string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if key != "" {
		req.Header.Set("x-goog-api-key", key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

const hello = `{"contents":[{"role":"user","parts":[{"text":"hello there"}]}]}`

func TestKeyInvalidBody(t *testing.T) {
	s := geminitest.New(geminitest.Options{})
	defer s.Close()
	resp := post(t, s.URL()+"/v1beta/models/gemini-2.5-flash:generateContent", "nope", hello)
	b, _ := io.ReadAll(resp.Body)
	var got struct {
		Error struct {
			Code    int
			Message string
			Status  string
			Details []map[string]any
		}
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	e := got.Error
	if resp.StatusCode != 400 || e.Code != 400 || e.Status != "INVALID_ARGUMENT" ||
		e.Message != "API key not valid. Please pass a valid API key." || len(e.Details) != 1 ||
		e.Details[0]["reason"] != "API_KEY_INVALID" || e.Details[0]["@type"] != "type.googleapis.com/google.rpc.ErrorInfo" {
		t.Errorf("got %d %s", resp.StatusCode, b)
	}
}

func TestKeyQueryParamAndSSE(t *testing.T) {
	s := geminitest.New(geminitest.Options{})
	defer s.Close()
	resp := post(t, s.URL()+"/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse&key="+geminitest.DefaultAPIKey, "", hello)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("status %d, type %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var text strings.Builder
	var last map[string]any
	sc := bufio.NewScanner(resp.Body)
	events := 0
	for sc.Scan() {
		line, ok := strings.CutPrefix(sc.Text(), "data: ")
		if !ok {
			continue
		}
		events++
		last = nil
		if err := json.Unmarshal([]byte(line), &last); err != nil {
			t.Fatal(err)
		}
		cand := last["candidates"].([]any)[0].(map[string]any)
		text.WriteString(cand["content"].(map[string]any)["parts"].([]any)[0].(map[string]any)["text"].(string))
	}
	if events < 3 || text.String() != "You said: hello there. "+geminitest.CoachingSentence {
		t.Errorf("%d events, text %q", events, text.String())
	}
	cand := last["candidates"].([]any)[0].(map[string]any)
	if cand["finishReason"] != "STOP" || last["usageMetadata"].(map[string]any)["totalTokenCount"] == nil {
		t.Errorf("last event = %v", last)
	}
}

func TestFailNextThenOK(t *testing.T) {
	s := geminitest.New(geminitest.Options{})
	defer s.Close()
	s.FailNext(geminitest.Unavailable)
	url := s.URL() + "/v1beta/models/gemini-2.5-flash:generateContent"
	if r := post(t, url, s.APIKey(), hello); r.StatusCode != 503 {
		t.Errorf("first = %d, want 503", r.StatusCode)
	}
	if r := post(t, url, s.APIKey(), hello); r.StatusCode != 200 {
		t.Errorf("second = %d, want 200", r.StatusCode)
	}
	if n := len(s.Requests()); n != 2 {
		t.Errorf("recorded %d requests", n)
	}
}
