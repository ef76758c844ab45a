package server

import (
	"strings"
	"testing"
)

func TestJSONObject(t *testing.T) {
	deep := func(n int) string { return `{"a":` + strings.Repeat("[", n-1) + strings.Repeat("]", n-1) + `}` }
	tests := []struct {
		name, in string
		want     string // re-encoded object, when accepted
		wantErr  string
	}{
		{"big integer keeps its digits", `{"n":123456789012345678901234567890}`, `{"n":123456789012345678901234567890}`, ""},
		{"decimals keep their digits", `{"x":0.1000000000000000055511151231257827,"y":-1.50}`, `{"x":0.1000000000000000055511151231257827,"y":-1.50}`, ""},
		{"exponents are fine in range", `{"a":1e308,"b":-4.9e-324,"c":0e10,"d":2E+3}`, `{"a":1e308,"b":-4.9e-324,"c":0e10,"d":2E+3}`, ""},
		{"keys sorted, last duplicate wins, no HTML escaping", `{"b":"<x>&","a":1,"a":2}`, `{"a":2,"b":"<x>&"}`, ""},
		{"lone surrogate becomes U+FFFD", `{"s":"\ud800x"}`, `{"s":"` + "\ufffd" + `x"}`, ""},
		{"invalid UTF-8 becomes U+FFFD", "{\"s\":\"a\xffb\"}", `{"s":"a` + "\ufffd" + `b"}`, ""},
		{"64 levels", deep(64), deep(64), ""},
		{"too large a number", `{"a":1e400}`, "", "data has a number out of range: 1e400 (a double holds ±4.9e-324 to ±1.8e308)"},
		{"too small a number", `{"a":[-1e-400]}`, "", "data has a number out of range: -1e-400 (a double holds ±4.9e-324 to ±1.8e308)"},
		{"zero with a huge exponent", `{"a":0e-99999}`, "", "data has a number out of range: 0e-99999 (a double holds ±4.9e-324 to ±1.8e308)"},
		{"a very long number", `{"a":0.` + strings.Repeat("1", 100) + `}`, "", "data has a number longer than 100 characters"},
		{"65 levels", deep(65), "", "data is nested too deeply (at most 64 levels of objects and arrays)"},
		{"NUL in a value", `{"k":["ok",{"x":"a\u0000b"}]}`, "", `data must not contain NUL characters (\u0000)`},
		{"NUL in a key", `{"a\u0000":1}`, "", `data must not contain NUL characters (\u0000)`},
		{"an array", `[1,2]`, "", "data must be a JSON object"},
		{"a string", `"x"`, "", "data must be a JSON object"},
		{"too big", `{"x":"` + strings.Repeat("a", 100) + `"}`, "", "data must be at most 64 bytes of JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			limit := 1 << 16
			if tt.name == "too big" {
				limit = 64
			}
			got, err := jsonObject("data", []byte(tt.in), limit)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("got %s, %v; want error %q", got, err, tt.wantErr)
				}
				return
			}
			if err != nil || string(got) != tt.want {
				t.Fatalf("got %s, %v; want %s", got, err, tt.want)
			}
		})
	}
}

func TestWholeNumber(t *testing.T) {
	tests := []struct {
		in   string
		want int // -1: nil
		ok   bool
	}{
		{"87", 87, true}, {"0", 0, true}, {"100", 100, true}, {"87.0", 87, true}, {"1e2", 100, true},
		{"", -1, true}, {"null", -1, true},
		{"87.5", 0, false}, {"-1", 0, false}, {"101", 0, false}, {"1e30", 0, false}, {`"87"`, 0, false},
		{"true", 0, false}, {"[87]", 0, false},
	}
	for _, tt := range tests {
		got, err := wholeNumber("score", []byte(tt.in), 0, 100)
		switch {
		case !tt.ok && (err == nil || err.Error() != "score must be a whole number from 0 to 100"):
			t.Errorf("%s: got %v, %v; want the whole-number message", tt.in, got, err)
		case tt.ok && err != nil:
			t.Errorf("%s: got %v, want %d", tt.in, err, tt.want)
		case tt.ok && tt.want == -1 && got != nil:
			t.Errorf("%s: got %d, want nil", tt.in, *got)
		case tt.ok && tt.want >= 0 && (got == nil || *got != tt.want):
			t.Errorf("%s: got %v, want %d", tt.in, got, tt.want)
		}
	}
}
