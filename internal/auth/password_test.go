package auth_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/cara-coach/cara/internal/auth"
	"github.com/cara-coach/cara/internal/cara"
)

func TestCheckPassword(t *testing.T) {
	tests := []struct {
		name     string
		password string
		email    string
		want     string // failed rule IDs, in order
	}{
		// The seed's examples.
		{"seed: no uppercase", "password123", "", "upper,not_common"},
		{"seed: no number", "Password", "", "digit,not_common"},
		{"seed: too short", "Pass1", "", "min_length,not_common"},
		{"seed example: its base is common (mypassword)", "MyPassword123", "", "not_common"},
		{"seed: accepted", "SecurePass456", "", ""},
		// Each rule alone.
		{"empty", "", "", "min_length,upper,lower,digit"},
		{"7 characters", "Abcde12", "", "min_length"},
		{"8 characters", "Kvlrto48", "", ""},
		{"no lowercase", "ABCDEFG123", "", "lower"},
		{"no uppercase", "abcdefg123", "", "upper"},
		{"no digit", "Abcdefghij", "", "digit"},
		{"72 bytes", "Aa1" + strings.Repeat("x", 69), "", ""},
		{"73 bytes", "Aa1" + strings.Repeat("x", 70), "", "max_bytes"},
		{"72 bytes with é (2 bytes each)", "Aa1" + strings.Repeat("é", 33) + "xyz", "", ""},
		{"73 bytes with é", "Aa1" + strings.Repeat("é", 34) + "xy", "", "max_bytes"},
		{"22 characters but 79 bytes of emoji", "Aa1" + strings.Repeat("😀", 19), "", "max_bytes"},
		{"emoji crossing byte 72", "Aa1" + strings.Repeat("x", 67) + "😀", "", "max_bytes"},
		{"decomposed accents count after NFKC (105 bytes raw, 71 after)", "Aa1" + strings.Repeat("e\u0301", 34), "", ""},
		{"common, any case", "PassWord1", "", "not_common"},
		{"common, full-width letters (NFKC)", "Ｐａｓｓｗｏｒｄ１２３", "", "not_common"},
		{"common: qwerty123456", "Qwerty123456", "", "not_common"},
		{"non-ASCII upper and lower count", "Ééééé123", "", ""},
		{"contains email local part", "Anastasia2024", "anastasia@example.com", "not_email"},
		{"contains email local part, other case", "xANASTASIA9y", "Anastasia@Example.com", "not_email"},
		{"local part shorter than 3 is not checked", "Xab12345y", "ab@example.com", ""},
		{"local part of 3 is checked", "Xabc12345y", "abc@example.com", "not_email"},
		{"different local part", "SecurePass456", "ana@example.com", ""},
		// A common password dressed up: lower-cased, leetspeak undone,
		// digits and symbols stripped from the ends, the base is common.
		{"common base + digits and a symbol", "Password123!", "", "not_common"},
		{"common base: qwerty", "Qwerty123!", "", "not_common"},
		{"leetspeak inside", "P@ssw0rd1!", "", "not_common"},
		{"leetspeak 1 as l", "He11oW0rld!", "", "not_common"},
		{"leetspeak 1 as i", "Dr4g0n1te2024", "", ""}, // "dragonite" (or "dragonlte") is not in the list
		{"leet letter first ($ for s)", "$ecret2024", "", "upper,not_common"},
		{"leet letter first (@ for a)", "@dmin2024X", "", ""}, // "dminx"/"admin2024x" bases: the X keeps it apart
		{"leet letter first, then digits", "@Dmin2024", "", "not_common"},
		{"digits before the base", "2024Sunshine!", "", "not_common"},
		{"4-letter base is checked", "Love1234!", "", "not_common"},
		{"3-letter base is not", "Abc12345!", "", ""},
		{"the repo's test password", "Tr1cky-Parrot-42", "", ""},
		{"a passphrase of common words", "Copper-Kestrel-81", "", ""},
		{"everything at once", "password", "password@example.com", "upper,digit,not_common,not_email"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ruleIDs(auth.CheckPassword(tt.password, tt.email)); got != tt.want {
				t.Errorf("CheckPassword(%q, %q): got [%s], want [%s]", tt.password, tt.email, got, tt.want)
			}
		})
	}
}

func TestPasswordChecklistListsEveryRuleInOrder(t *testing.T) {
	got := auth.PasswordChecklist("Pass1", "")
	want := []auth.Rule{
		{ID: auth.RuleMinLength, Message: "Password must be at least 8 characters", OK: false},
		{ID: auth.RuleUpper, Message: "Password must contain at least one uppercase letter", OK: true},
		{ID: auth.RuleLower, Message: "Password must contain at least one lowercase letter", OK: true},
		{ID: auth.RuleDigit, Message: "Password must contain at least one number", OK: true},
		{ID: auth.RuleMaxBytes, Message: "Password must be at most 72 bytes", OK: true},
		{ID: auth.RuleNotCommon, Message: "Password is too common", OK: false},
		{ID: auth.RuleNotEmail, Message: "Password must not contain your email address", OK: true},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d rules, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("rule %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestCommonPasswordList(t *testing.T) {
	if got := auth.CommonPasswordCount(); got < 10000 {
		t.Fatalf("CommonPasswordCount: got %d, want ≥ 10,000", got)
	}
	for _, p := range []string{"password", "123456", "qwerty", "password1", "trustno1", "iloveyou1", "welcome1"} {
		if ruleIDs(auth.CheckPassword(p, "")) == "" || !strings.Contains(ruleIDs(auth.CheckPassword(p, "")), "not_common") {
			t.Errorf("%q: got [%s], want not_common among the failures", p, ruleIDs(auth.CheckPassword(p, "")))
		}
	}
}

// The seed's examples through Register, with the seed's messages.
func TestRegisterPasswordPolicy(t *testing.T) {
	tests := []struct {
		password string
		wantMsgs []string // every message, in order; nil means accepted
	}{
		{"password123", []string{"Password must contain at least one uppercase letter", "Password is too common"}},
		{"Password", []string{"Password must contain at least one number", "Password is too common"}},
		{"Pass1", []string{"Password must be at least 8 characters", "Password is too common"}},
		{"MyPassword123", []string{"Password is too common"}},
		{"SecurePass456", nil},
		{"Password123!", []string{"Password is too common"}},
		{"Aa1" + strings.Repeat("x", 70), []string{"Password must be at most 72 bytes"}},
	}
	e := newEnv(t)
	for i, tt := range tests {
		t.Run(tt.password, func(t *testing.T) {
			_, err := e.svc.Register(context.Background(), auth.Registration{
				Email: "user" + string(rune('a'+i)) + "@example.com", Name: "Ana", Password: tt.password,
			})
			if tt.wantMsgs == nil {
				if err != nil {
					t.Fatalf("got %v, want accepted", err)
				}
				return
			}
			var pe *auth.PolicyError
			if !errors.As(err, &pe) {
				t.Fatalf("got %v, want *auth.PolicyError", err)
			}
			var got []string
			for _, r := range pe.Failed {
				got = append(got, r.Message)
			}
			if strings.Join(got, "|") != strings.Join(tt.wantMsgs, "|") {
				t.Errorf("failed rules: got %q, want %q", got, tt.wantMsgs)
			}
			wantCara(t, "Register", err, cara.EINVALID, strings.Join(tt.wantMsgs, "\n"))
		})
	}
}

func TestEmailLocalPartWithSeparators(t *testing.T) {
	tests := []struct {
		password, email string
		wantOK          bool
	}{
		{"Qatester2024x", "qa.tester@example.com", false},
		{"Qa.Tester2024", "qa.tester@example.com", false},
		{"Ana_Lopez-99x", "ana.lopez@example.com", false},
		{"Harbor-Lantern-4826", "qa.tester@example.com", true},
	}
	for _, tt := range tests {
		ok := true
		for _, r := range auth.PasswordChecklist(tt.password, tt.email) {
			if r.ID == auth.RuleNotEmail {
				ok = r.OK
			}
		}
		if ok != tt.wantOK {
			t.Errorf("not_email for %q with %s: got ok=%v, want %v", tt.password, tt.email, ok, tt.wantOK)
		}
	}
}
