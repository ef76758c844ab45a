package gemini_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"google.golang.org/genai"

	"github.com/cara-coach/cara/internal/cara"
	"github.com/cara-coach/cara/internal/gemini"
	"github.com/cara-coach/cara/internal/gemini/geminitest"
)

const testKey = "AIzaTEST-secret-key-0123456789"

func newServer(t *testing.T, opts geminitest.Options) *geminitest.Server {
	t.Helper()
	if opts.APIKey == "" {
		opts.APIKey = testKey
	}
	s := geminitest.New(opts)
	t.Cleanup(s.Close)
	return s
}

func newClient(t *testing.T, baseURL, key string) *gemini.Client {
	t.Helper()
	c, err := gemini.New(context.Background(), gemini.Config{
		APIKey: key, BaseURL: baseURL,
		Timeout: 3 * time.Second, StreamIdleTimeout: 300 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func ask(text string) gemini.Request {
	return gemini.Request{System: "You are a coach.", Messages: []gemini.Message{{Role: "user", Text: text}}}
}

func wantReply(text string) string {
	return "You said: " + text + ". " + geminitest.CoachingSentence
}

// checkKeyHygiene asserts the key is in no error text and travelled only in the header.
func checkKeyHygiene(t *testing.T, s *geminitest.Server, key string, err error) {
	t.Helper()
	if err != nil && strings.Contains(err.Error(), key) {
		t.Errorf("error text contains the API key: %q", err)
	}
	if s == nil {
		return
	}
	reqs := s.Requests()
	if len(reqs) == 0 {
		t.Fatal("server saw no request")
	}
	for _, r := range reqs {
		if strings.Contains(r.Path, key) || strings.Contains(r.RawQuery, key) {
			t.Errorf("key in URL: %s?%s", r.Path, r.RawQuery)
		}
		if strings.Contains(string(r.Body), key) {
			t.Errorf("key in request body")
		}
		if got := r.Header.Get("x-goog-api-key"); got != key {
			t.Errorf("x-goog-api-key header = %q, want the key", got)
		}
	}
}

func TestErrorsMapToMessages(t *testing.T) {
	const quota17 = "Gemini quota reached — try again in 17 s"
	tests := []struct {
		name     string
		scenario geminitest.Scenario
		badKey   bool
		call     string // generate, stream, list
		code     string
		msg      string
	}{
		{"wrong key generate", geminitest.OK, true, "generate", cara.EGEMINIKEY, gemini.MsgKeyInvalid},
		{"wrong key list", geminitest.OK, true, "list", cara.EGEMINIKEY, gemini.MsgKeyInvalid},
		{"wrong key stream", geminitest.OK, true, "stream", cara.EGEMINIKEY, gemini.MsgKeyInvalid},
		{"400 key invalid scenario", geminitest.KeyInvalid, false, "generate", cara.EGEMINIKEY, gemini.MsgKeyInvalid},
		{"403 generate", geminitest.PermissionDenied, false, "generate", cara.EGEMINIKEY, gemini.MsgForbidden},
		{"403 list", geminitest.PermissionDenied, false, "list", cara.EGEMINIKEY, gemini.MsgForbidden},
		{"429 generate", geminitest.Quota, false, "generate", cara.ETOOMANY, quota17},
		{"429 stream", geminitest.Quota, false, "stream", cara.ETOOMANY, quota17},
		{"429 without RetryInfo", geminitest.QuotaNoRetryInfo, false, "generate", cara.ETOOMANY, gemini.MsgQuotaLater},
		{"500 generate", geminitest.Internal, false, "generate", cara.EUNAVAILABLE, gemini.MsgBusy},
		{"503 generate", geminitest.Unavailable, false, "generate", cara.EUNAVAILABLE, gemini.MsgBusy},
		{"503 stream", geminitest.Unavailable, false, "stream", cara.EUNAVAILABLE, gemini.MsgBusy},
		{"503 list", geminitest.Unavailable, false, "list", cara.EUNAVAILABLE, gemini.MsgBusy},
		{"safety generate", geminitest.Safety, false, "generate", cara.EINVALID, gemini.MsgBlocked},
		{"safety stream", geminitest.Safety, false, "stream", cara.EINVALID, gemini.MsgBlocked},
		{"prompt blocked generate", geminitest.Blocked, false, "generate", cara.EINVALID, gemini.MsgBlocked},
		{"prompt blocked stream", geminitest.Blocked, false, "stream", cara.EINVALID, gemini.MsgBlocked},
		{"stream cut", geminitest.Cut, false, "stream", cara.EUNAVAILABLE, gemini.MsgCutOff},
		{"mid-stream 503", geminitest.MidStreamError, false, "stream", cara.EUNAVAILABLE, gemini.MsgBusy},
		{"mid-stream drop", geminitest.Drop, false, "stream", cara.EUNAVAILABLE, gemini.MsgCutOff},
		{"stream stall", geminitest.Stall, false, "stream", cara.EUNAVAILABLE, gemini.MsgCutOff},
	}
	for _, tt := range tests {
		for _, magic := range []bool{false, true} {
			name := tt.name
			if magic {
				if tt.scenario == geminitest.OK || tt.call == "list" {
					continue // models.list has no prompt for a magic word
				}
				name += " (magic word)"
			}
			t.Run(name, func(t *testing.T) {
				opts := geminitest.Options{}
				prompt := "I led the migration"
				if magic {
					prompt += " [[" + string(tt.scenario) + "]]"
				} else {
					opts.Scenario = tt.scenario
				}
				s := newServer(t, opts)
				key := testKey
				if tt.badKey {
					key = "AIzaWRONG-key-9876543210"
				}
				c := newClient(t, s.URL(), key)
				var err error
				switch tt.call {
				case "generate":
					_, err = c.Generate(context.Background(), ask(prompt))
				case "stream":
					_, err = c.Stream(context.Background(), ask(prompt), nil)
				case "list":
					_, err = c.ListModels(context.Background())
				}
				if err == nil {
					t.Fatal("want an error")
				}
				if got := cara.ErrorMessage(err); got != tt.msg || err.Error() != tt.msg {
					t.Errorf("message = %q / %q, want %q", got, err.Error(), tt.msg)
				}
				if got := cara.ErrorCode(err); got != tt.code {
					t.Errorf("code = %q, want %q", got, tt.code)
				}
				checkKeyHygiene(t, s, key, err)
			})
		}
	}
}

func TestRetryAfter(t *testing.T) {
	s := newServer(t, geminitest.Options{Scenario: geminitest.Quota})
	c := newClient(t, s.URL(), testKey)
	_, err := c.Generate(context.Background(), ask("hi"))
	if d, ok := gemini.RetryAfter(err); !ok || d != 17*time.Second {
		t.Errorf("RetryAfter = %v, %v; want 17s, true", d, ok)
	}
	s.SetScenario(geminitest.QuotaNoRetryInfo)
	_, err = c.Generate(context.Background(), ask("hi"))
	if d, ok := gemini.RetryAfter(err); ok {
		t.Errorf("RetryAfter without RetryInfo = %v, true", d)
	}
	if _, ok := gemini.RetryAfter(errors.New("x")); ok {
		t.Error("RetryAfter on a plain error")
	}
}

func TestNetworkFailure(t *testing.T) {
	s := geminitest.New(geminitest.Options{APIKey: testKey})
	url := s.URL()
	s.Close() // nothing listens there any more
	c := newClient(t, url, testKey)
	for name, call := range map[string]func() error{
		"generate": func() error { _, err := c.Generate(context.Background(), ask("hi")); return err },
		"stream":   func() error { _, err := c.Stream(context.Background(), ask("hi"), nil); return err },
		"list":     func() error { _, err := c.ListModels(context.Background()); return err },
		"json": func() error {
			_, _, err := c.GenerateJSON(context.Background(), ask("hi"), nil, nil)
			return err
		},
	} {
		err := call()
		if err == nil || err.Error() != gemini.MsgUnreachable || cara.ErrorCode(err) != cara.EOFFLINE {
			t.Errorf("%s: err = %v (%s), want %q", name, err, cara.ErrorCode(err), gemini.MsgUnreachable)
		}
		checkKeyHygiene(t, nil, testKey, err)
	}
}

// TestTimeoutIsOffline: a call that gets no answer before its deadline is
// EOFFLINE (the offline queue retries it later), not a cut-off reply.
func TestTimeoutIsOffline(t *testing.T) {
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer slow.Close()
	defer close(release)
	c, err := gemini.New(context.Background(), gemini.Config{
		APIKey: testKey, BaseURL: slow.URL,
		Timeout: 200 * time.Millisecond, StreamIdleTimeout: 5 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	for name, call := range map[string]func() error{
		"generate": func() error { _, err := c.Generate(context.Background(), ask("hi")); return err },
		"stream":   func() error { _, err := c.Stream(context.Background(), ask("hi"), nil); return err },
	} {
		err := call()
		if got, code := cara.ErrorMessage(err), cara.ErrorCode(err); got != gemini.MsgTimeout || code != cara.EOFFLINE {
			t.Errorf("%s: got %q (%s), want %q (%s)", name, got, code, gemini.MsgTimeout, cara.EOFFLINE)
		}
		checkKeyHygiene(t, nil, testKey, err)
	}
}

// TestSilentStreamIsOffline: a stream whose headers came but no chunk
// before the idle timeout is no answer at all (offline, so queued work
// retries), not a reply cut off.
func TestSilentStreamIsOffline(t *testing.T) {
	silent := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		w.WriteHeader(http.StatusOK)
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}))
	defer silent.Close()
	c, err := gemini.New(context.Background(), gemini.Config{
		APIKey: testKey, BaseURL: silent.URL,
		Timeout: 5 * time.Second, StreamIdleTimeout: 200 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := c.Stream(context.Background(), ask("hi"), nil)
	if got, code := cara.ErrorMessage(err), cara.ErrorCode(err); got != gemini.MsgTimeout || code != cara.EOFFLINE || rep.Text != "" {
		t.Errorf("got %q (%s) with text %q; want %q (%s), no text", got, code, rep.Text, gemini.MsgTimeout, cara.EOFFLINE)
	}
}

func TestGenerate(t *testing.T) {
	s := newServer(t, geminitest.Options{})
	c := newClient(t, s.URL(), testKey)
	rep, err := c.Generate(context.Background(), ask("I shipped it on time"))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Text != wantReply("I shipped it on time") {
		t.Errorf("text = %q", rep.Text)
	}
	u := rep.Usage
	if u.PromptTokens == 0 || u.CandidatesTokens == 0 || u.TotalTokens != u.PromptTokens+u.CandidatesTokens {
		t.Errorf("usage = %+v", u)
	}
	if rep.FinishReason != "STOP" {
		t.Errorf("finish = %q", rep.FinishReason)
	}
	reqs := s.Requests()
	if len(reqs) != 1 || reqs[0].Path != "/v1beta/models/gemini-2.5-flash:generateContent" {
		t.Fatalf("requests = %+v", reqs)
	}
	if !strings.Contains(string(reqs[0].Body), "You are a coach.") {
		t.Error("system instruction not sent")
	}
	checkKeyHygiene(t, s, testKey, nil)
}

// TestMaxOutputTokens: the cap travels as generationConfig.maxOutputTokens
// and the fake stops there like Gemini (MAX_TOKENS), usage included.
func TestMaxOutputTokens(t *testing.T) {
	s := newServer(t, geminitest.Options{})
	c := newClient(t, s.URL(), testKey)
	for _, tt := range []struct {
		max        int
		wantWords  int
		wantFinish string
	}{
		{0, len(strings.Fields(wantReply("Hi there"))), "STOP"},
		{3, 3, "MAX_TOKENS"},
		{1000, len(strings.Fields(wantReply("Hi there"))), "STOP"},
	} {
		req := ask("Hi there")
		req.MaxOutputTokens = tt.max
		rep, err := c.Generate(context.Background(), req)
		if err != nil {
			t.Fatalf("max %d: %v", tt.max, err)
		}
		if got := len(strings.Fields(rep.Text)); got != tt.wantWords || rep.FinishReason != tt.wantFinish || rep.Usage.CandidatesTokens != tt.wantWords {
			t.Errorf("max %d: got %d words, finish %q, usage %+v; want %d words, %q", tt.max, got, rep.FinishReason, rep.Usage, tt.wantWords, tt.wantFinish)
		}
		reqs := s.Requests()
		sent := strings.Contains(string(reqs[len(reqs)-1].Body), fmt.Sprintf(`"maxOutputTokens":%d`, tt.max))
		if sent != (tt.max > 0) {
			t.Errorf("max %d: maxOutputTokens in the request body: %v", tt.max, sent)
		}
	}
}

func TestStreamChunksInOrder(t *testing.T) {
	s := newServer(t, geminitest.Options{ChunkDelay: 5 * time.Millisecond})
	c := newClient(t, s.URL(), testKey)
	var chunks []string
	rep, err := c.Stream(context.Background(), ask("we cut costs by ten percent"), func(t string) { chunks = append(chunks, t) })
	if err != nil {
		t.Fatal(err)
	}
	want := wantReply("we cut costs by ten percent")
	if len(chunks) < 3 {
		t.Errorf("got %d chunks, want several", len(chunks))
	}
	if strings.Join(chunks, "") != want || rep.Text != want {
		t.Errorf("chunks %q, reply %q, want %q", chunks, rep.Text, want)
	}
	u := rep.Usage
	if u.PromptTokens == 0 || u.CandidatesTokens == 0 || u.TotalTokens != u.PromptTokens+u.CandidatesTokens {
		t.Errorf("usage = %+v", u)
	}
	r := s.Requests()[0]
	if r.Path != "/v1beta/models/gemini-2.5-flash:streamGenerateContent" || !strings.Contains(r.RawQuery, "alt=sse") {
		t.Errorf("stream request = %s?%s", r.Path, r.RawQuery)
	}
	checkKeyHygiene(t, s, testKey, nil)
}

func TestStreamCancelKeepsPartial(t *testing.T) {
	s := newServer(t, geminitest.Options{ChunkDelay: 100 * time.Millisecond})
	c := newClient(t, s.URL(), testKey)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var first string
	rep, err := c.Stream(ctx, ask("hello there"), func(t string) {
		if first == "" {
			first = t
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if first == "" || rep.Text != first {
		t.Errorf("partial = %q, want %q", rep.Text, first)
	}
}

func TestStreamPartialKeptOnFailure(t *testing.T) {
	for _, sc := range []geminitest.Scenario{geminitest.Stall, geminitest.MidStreamError, geminitest.Drop, geminitest.Cut} {
		t.Run(string(sc), func(t *testing.T) {
			s := newServer(t, geminitest.Options{Scenario: sc})
			c := newClient(t, s.URL(), testKey)
			var got strings.Builder
			start := time.Now()
			rep, err := c.Stream(context.Background(), ask("my quarterly update"), func(t string) { got.WriteString(t) })
			if err == nil {
				t.Fatal("want an error")
			}
			if rep.Text == "" || rep.Text != got.String() {
				t.Errorf("partial = %q, chunks = %q", rep.Text, got.String())
			}
			if !strings.HasPrefix(wantReply("my quarterly update"), rep.Text) {
				t.Errorf("partial %q is not a prefix of the reply", rep.Text)
			}
			// The chunks before the failure named only the prompt's tokens:
			// they count, so a failed reply is not free against the budget.
			if u := rep.Usage; u.PromptTokens == 0 || u.TotalTokens < u.PromptTokens+u.CandidatesTokens {
				t.Errorf("usage of the partial reply = %+v, want the prompt counted in the total", u)
			}
			if sc == geminitest.Stall {
				if el := time.Since(start); el > 2*time.Second {
					t.Errorf("idle timeout took %v", el)
				}
			}
		})
	}
}

func TestGenerateJSON(t *testing.T) {
	schema := &genai.Schema{Type: genai.TypeObject, Properties: map[string]*genai.Schema{"score": {Type: genai.TypeInteger}}, Required: []string{"score"}}
	needScore := func(b []byte) error {
		if !strings.Contains(string(b), `"score"`) {
			return fmt.Errorf("missing field score")
		}
		return nil
	}
	tests := []struct {
		name     string
		replies  []string
		want     string
		wantErr  string
		requests int
		repairIn string // text the repair request must carry
	}{
		{"valid", []string{`{"score":80}`}, `{"score":80}`, "", 1, ""},
		{"invalid then valid", []string{`{"score":`, `{"score":75}`}, `{"score":75}`, "", 2, "invalid JSON"},
		{"fails validation then valid", []string{`{"points":3}`, `{"score":70}`}, `{"score":70}`, "", 2, "missing field score"},
		{"invalid twice", []string{`not json`, `{"score"`}, "", "Gemini's reply couldn't be read — retry", 2, "invalid JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, geminitest.Options{JSONReplies: tt.replies})
			c := newClient(t, s.URL(), testKey)
			b, u, err := c.GenerateJSON(context.Background(), ask("rate me"), schema, needScore)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr || b != nil {
					t.Fatalf("got %q, %v; want error %q and no JSON", b, err, tt.wantErr)
				}
			} else if err != nil || string(b) != tt.want {
				t.Fatalf("got %q, %v; want %q", b, err, tt.want)
			}
			reqs := s.Requests()
			if len(reqs) != tt.requests {
				t.Fatalf("%d requests, want %d", len(reqs), tt.requests)
			}
			if !strings.Contains(string(reqs[0].Body), `"responseMimeType":"application/json"`) || !strings.Contains(string(reqs[0].Body), `"responseSchema"`) {
				t.Errorf("JSON mode not requested: %s", reqs[0].Body)
			}
			if tt.repairIn != "" && !strings.Contains(string(reqs[1].Body), tt.repairIn) {
				t.Errorf("repair request lacks %q: %s", tt.repairIn, reqs[1].Body)
			}
			if u.TotalTokens == 0 {
				t.Error("no usage")
			}
			checkKeyHygiene(t, s, testKey, err)
		})
	}
}

func TestListModelsFilters(t *testing.T) {
	s := newServer(t, geminitest.Options{})
	c := newClient(t, s.URL(), testKey)
	ms, err := c.ListModels(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, m := range ms {
		ids = append(ids, m.ID)
		if m.DisplayName == "" || m.InputTokenLimit == 0 {
			t.Errorf("model %+v lacks fields", m)
		}
	}
	if got := strings.Join(ids, ","); got != "gemini-2.5-flash,gemini-2.5-pro,gemini-2.5-flash-lite" {
		t.Errorf("models = %s", got)
	}
	checkKeyHygiene(t, s, testKey, nil)
}

func TestNewNeedsKey(t *testing.T) {
	_, err := gemini.New(context.Background(), gemini.Config{})
	if cara.ErrorCode(err) != cara.EINVALID {
		t.Errorf("err = %v", err)
	}
}

func TestCountTokens(t *testing.T) {
	s := newServer(t, geminitest.Options{})
	c := newClient(t, s.URL(), testKey)
	n, err := c.CountTokens(context.Background(), ask("one two three four"))
	if err != nil || n != 4 {
		t.Fatalf("CountTokens = %d, %v; want 4", n, err)
	}
	if p := s.Requests()[0].Path; p != "/v1beta/models/gemini-2.5-flash:countTokens" {
		t.Errorf("path = %s", p)
	}
	checkKeyHygiene(t, s, testKey, nil)
}

// genai writes some stream failures to the standard logger; the key must not be there.
func TestKeyNotInLogs(t *testing.T) {
	var buf strings.Builder
	log.SetOutput(&buf)
	defer log.SetOutput(os.Stderr)
	s := newServer(t, geminitest.Options{})
	c := newClient(t, s.URL(), testKey)
	for _, sc := range []geminitest.Scenario{geminitest.Drop, geminitest.MidStreamError, geminitest.Stall, geminitest.Quota, geminitest.KeyInvalid} {
		s.SetScenario(sc)
		_, err := c.Stream(context.Background(), ask("hi"), nil)
		checkKeyHygiene(t, s, testKey, err)
	}
	if buf.Len() == 0 {
		t.Log("no log output captured")
	}
	if strings.Contains(buf.String(), testKey) {
		t.Errorf("key in log output: %s", buf.String())
	}
}

// TestUnknownModelIsASettingsProblem: a model the key can't use is fixed in
// Settings, like a bad key, so it shares the key's code.
func TestUnknownModelIsASettingsProblem(t *testing.T) {
	s := newServer(t, geminitest.Options{})
	c, err := gemini.New(context.Background(), gemini.Config{APIKey: testKey, BaseURL: s.URL(), Model: "gemini-9-ultra"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Generate(context.Background(), ask("hi"))
	if code, msg := cara.ErrorCode(err), cara.ErrorMessage(err); code != cara.EGEMINIKEY || msg != gemini.MsgModelNotFound {
		t.Errorf("got %s %q; want %s %q", code, msg, cara.EGEMINIKEY, gemini.MsgModelNotFound)
	}
}
