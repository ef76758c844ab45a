package geminitest

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// TestEvidenceAgreesWithTheScore: for conversations from crisp to full of
// fillers, each dimension's evidence is the sentence for its score's band,
// so "Needs work" never sits over praise.
func TestEvidenceAgreesWithTheScore(t *testing.T) {
	dim := `{"type":"OBJECT","properties":{"score":{"type":"INTEGER","minimum":0,"maximum":100},"evidence":{"type":"STRING"}},"required":["score","evidence"],"propertyOrdering":["score","evidence"]}`
	props := []string{`"overall":{"type":"INTEGER","minimum":0,"maximum":100}`}
	for _, d := range dimensions {
		props = append(props, fmt.Sprintf("%q:%s", d, dim))
	}
	schema := `{"type":"OBJECT","properties":{` + strings.Join(props, ",") + `}}`
	texts := []string{
		"We launch on 12 May. Thanks for the quick review.",
		"I just think we could maybe move it. I guess it is sort of late. Basically I really kind of want more time, actually.",
		"ok",
		strings.Repeat("This sentence goes on and on with many words and no pause at all and then some more ", 4) + ".",
		"Thanks! Great work, I appreciate it, and the 3 numbers (10%, 20%, 30%) look right.",
	}
	bands := map[string]bool{}
	for _, text := range texts {
		b, err := ReplyForSchema([]byte(schema), text)
		if err != nil {
			t.Fatal(err)
		}
		var all map[string]json.RawMessage
		if err := json.Unmarshal(b, &all); err != nil {
			t.Fatal(err)
		}
		for _, d := range dimensions {
			var got struct {
				Score    float64
				Evidence string
			}
			if err := json.Unmarshal(all[d], &got); err != nil {
				t.Fatal(err)
			}
			want := evidenceLines[d][band(got.Score)]
			if got.Evidence != want {
				t.Errorf("%q: %s %v has evidence %q, want %q", text[:min(len(text), 20)], d, got.Score, got.Evidence, want)
			}
			if !strings.Contains(strings.ToLower(got.Evidence), d) {
				t.Errorf("%s evidence %q doesn't name its dimension", d, got.Evidence)
			}
			bands[band(got.Score)] = true
		}
	}
	for _, b := range []string{"strong", "good", "work"} {
		if !bands[b] {
			t.Errorf("no score in band %q across the texts: %v", b, bands)
		}
	}
}
