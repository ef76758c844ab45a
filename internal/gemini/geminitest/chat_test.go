package geminitest_test

import (
	"bufio"
	"encoding/json"
	"strings"
	"testing"

	"github.com/cara-coach/cara/internal/gemini/geminitest"
)

// streamChunks posts a streamGenerateContent request and returns the text of
// each SSE event.
func streamChunks(t *testing.T, s *geminitest.Server, body string) []string {
	t.Helper()
	resp := post(t, s.URL()+"/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", s.APIKey(), body)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	var chunks []string
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line, ok := strings.CutPrefix(sc.Text(), "data: ")
		if !ok {
			continue
		}
		var ev struct {
			Candidates []struct {
				Content struct{ Parts []struct{ Text string } }
			}
		}
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatal(err)
		}
		chunks = append(chunks, ev.Candidates[0].Content.Parts[0].Text)
	}
	return chunks
}

func chatBody(turns ...string) string { return chatBodyWith("", turns...) }

// chatBodyWith is chatBody with a system instruction (none if "").
func chatBodyWith(system string, turns ...string) string {
	type part struct {
		Text string `json:"text"`
	}
	type content struct {
		Role  string `json:"role"`
		Parts []part `json:"parts"`
	}
	var cs []content
	for i, t := range turns {
		role := "user"
		if i%2 == 1 {
			role = "model"
		}
		cs = append(cs, content{role, []part{{t}}})
	}
	body := map[string]any{"contents": cs}
	if system != "" {
		body["systemInstruction"] = content{"user", []part{{system}}}
	}
	b, _ := json.Marshal(body)
	return string(b)
}

func TestConversationalReplies(t *testing.T) {
	s := geminitest.New(geminitest.Options{Conversational: true, ChunkWords: 3})
	defer s.Close()
	tests := []struct {
		name  string
		turns []string
		want  string
	}{
		{"first turn", []string{"I led the migration of our billing system to the cloud last year. It went well."},
			"Thanks, that's a clear start. You said “I led the migration of our billing system…”. Can you give me one concrete example of what that looked like?"},
		{"second turn", []string{"Hello there, nice to meet you.", "Hi!", "We cut costs by ten percent."},
			"I see. When you say “We cut costs by ten percent”, what result did that lead to? Numbers help if you have them."},
		{"too short", []string{"ok"}, "Could you say a bit more? A full sentence or two helps me understand what you mean."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			chunks := streamChunks(t, s, chatBody(tt.turns...))
			if got := strings.Join(chunks, ""); got != tt.want {
				t.Errorf("reply = %q, want %q", got, tt.want)
			}
			for i, c := range chunks[:len(chunks)-1] {
				if n := len(strings.Fields(c)); n != 3 {
					t.Errorf("chunk %d %q has %d words, want 3", i, c, n)
				}
			}
		})
	}
}

// TestRepliesFitThePersona: the partner the system instruction describes
// answers in its own manner; the scenario's words don't count, only the manner's.
func TestRepliesFitThePersona(t *testing.T) {
	s := geminitest.New(geminitest.Options{Conversational: true})
	defer s.Close()
	const said = "I led the migration of our billing system to the cloud last year."
	system := func(manner string) string {
		return "Scenario: Status update to an executive. You are a busy VP.\nYour manner: " + manner + "\nRules: stay in role."
	}
	tests := []struct {
		name, system string
		turns        []string
		want         string
	}{
		{"skeptic", system("Be skeptical. Question vague claims, ask for numbers and examples."), []string{said},
			"Hm. You said “I led the migration of our billing system…”. That's a claim, not evidence — give me one concrete example."},
		{"skeptic, second turn", system("Be skeptical."), []string{"Hello there, nice to meet you.", "Hi!", "We cut costs by ten percent."},
			"I'm not convinced yet. When you say “We cut costs by ten percent”, what exactly did you do, and what changed because of it?"},
		{"ally", system("Be warm and supportive. Make it easy for the user to talk."), []string{said},
			"Oh, that's great to hear! I like that you said “I led the migration of our billing system…”. Tell me more — what did that look like?"},
		{"executive", system("Be a busy senior executive: short, direct, a little impatient."), []string{said},
			"Okay. “I led the migration of our billing system…” — and the bottom line?"},
		{"neutral coach: the scenario's executive doesn't count", system("Be calm, fair and professional."), []string{said},
			"Thanks, that's a clear start. You said “I led the migration of our billing system…”. Can you give me one concrete example of what that looked like?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := strings.Join(streamChunks(t, s, chatBodyWith(tt.system, tt.turns...)), ""); got != tt.want {
				t.Errorf("reply = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParseScenario(t *testing.T) {
	for _, sc := range geminitest.Scenarios() {
		if got, ok := geminitest.ParseScenario(string(sc)); !ok || got != sc {
			t.Errorf("ParseScenario(%q) = %q, %v", sc, got, ok)
		}
	}
	for _, name := range []string{"", "ok", "OK"} {
		if got, ok := geminitest.ParseScenario(name); !ok || got != geminitest.OK {
			t.Errorf("ParseScenario(%q) = %q, %v; want OK", name, got, ok)
		}
	}
	if _, ok := geminitest.ParseScenario("504"); ok {
		t.Error("ParseScenario(504) accepted an unknown scenario")
	}
}

func TestResetClearsScenarios(t *testing.T) {
	s := geminitest.New(geminitest.Options{Scenario: geminitest.Internal})
	defer s.Close()
	s.FailNext(geminitest.Unavailable)
	s.Reset()
	if got := s.Scenario(); got != geminitest.OK {
		t.Errorf("Scenario() = %q after Reset", got)
	}
	if r := post(t, s.URL()+"/v1beta/models/gemini-2.5-flash:generateContent", s.APIKey(), hello); r.StatusCode != 200 {
		t.Errorf("status %d after Reset, want 200", r.StatusCode)
	}
}

func TestMagicWords(t *testing.T) {
	tests := []struct {
		name    string
		oneShot bool
		texts   []string
		want    []int
	}{
		{"every time by default", false, []string{"hi [[503]]", "hi [[503]]"}, []int{503, 503}},
		{"one shot: a retry succeeds", true, []string{"hi [[503]]", "hi [[503]]", "hi [[503]]"}, []int{503, 200, 200}},
		{"one shot: each new text fires", true, []string{"a [[429]]", "b [[429]]", "a [[429]]", "c [[403]]"}, []int{429, 429, 200, 403}},
		// After a failed reply the two user messages travel joined: the newer word counts.
		{"the last word wins", false, []string{"a [[429]]\n\nb [[cut]] then [[403]]", "a [[400]]\n\nb [[500]]"}, []int{403, 500}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := geminitest.New(geminitest.Options{OneShotMagicWords: tt.oneShot})
			defer s.Close()
			for i, text := range tt.texts {
				r := post(t, s.URL()+"/v1beta/models/gemini-2.5-flash:generateContent", s.APIKey(), chatBody(text))
				if r.StatusCode != tt.want[i] {
					t.Errorf("request %d (%q) = %d, want %d", i, text, r.StatusCode, tt.want[i])
				}
			}
		})
	}
}
