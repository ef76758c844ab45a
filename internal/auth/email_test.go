package auth_test

import (
	"context"
	"strings"
	"testing"

	"github.com/cara-coach/cara/internal/auth"
	"github.com/cara-coach/cara/internal/cara"
)

func TestNormalizeEmail(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		want  string
		error string // message; "" means valid
	}{
		{"plain", "ana@example.com", "ana@example.com", ""},
		{"trimmed and lower-cased", "  Bob@X.com\t", "bob@x.com", ""},
		{"upper domain", "bob@x.COM", "bob@x.com", ""},
		{"full-width letters (NFKC)", "ＢＯＢ@x.com", "bob@x.com", ""},
		{"full-width at sign (NFKC)", "bob＠x.com", "bob@x.com", ""},
		{"ideographic space trimmed after NFKC", "\u3000bob@x.com", "bob@x.com", ""},
		{"plus and dots", "a.b+tag@mail.example.co.uk", "a.b+tag@mail.example.co.uk", ""},
		{"unicode local and domain", "zoë@exämple.de", "zoë@exämple.de", ""},
		{"decomposed accent is composed", "zoe\u0308@x.com", "zoë@x.com", ""},
		{"254 bytes", strings.Repeat("a", 64) + "@" + strings.Repeat("b", 63) + "." + strings.Repeat("c", 63) + "." + strings.Repeat("d", 57) + ".com", strings.Repeat("a", 64) + "@" + strings.Repeat("b", 63) + "." + strings.Repeat("c", 63) + "." + strings.Repeat("d", 57) + ".com", ""},

		{"empty", "   ", "", "Email is required"},
		{"255 bytes", strings.Repeat("a", 64) + "@" + strings.Repeat("b", 63) + "." + strings.Repeat("c", 63) + "." + strings.Repeat("d", 58) + ".com", "", "Email must be at most 254 characters"},
		{"local part over 64", strings.Repeat("a", 65) + "@x.com", "", "Enter a valid email address"},
		{"no at", "bob.example.com", "", "Enter a valid email address"},
		{"two ats", "bob@x@y.com", "", "Enter a valid email address"},
		{"no domain dot", "bob@localhost", "", "Enter a valid email address"},
		{"empty local", "@x.com", "", "Enter a valid email address"},
		{"leading dot", ".bob@x.com", "", "Enter a valid email address"},
		{"double dot", "bo..b@x.com", "", "Enter a valid email address"},
		{"domain double dot", "bob@x..com", "", "Enter a valid email address"},
		{"hyphen label edge", "bob@-x.com", "", "Enter a valid email address"},
		{"numeric tld", "bob@1.2.3.4", "", "Enter a valid email address"},
		{"inner space", "bo b@x.com", "", "Enter a valid email address"},
		{"specials", "bob<x>@x.com", "", "Enter a valid email address"},
		{"underscore in domain", "bob@x_y.com", "", "Enter a valid email address"},

		{"NUL", "bob\x00@x.com", "", "Email contains invisible or control characters"},
		{"newline inside", "bob\n@x.com", "", "Email contains invisible or control characters"},
		{"zero-width space", "bo\u200bb@x.com", "", "Email contains invisible or control characters"},
		{"zero-width joiner", "bo\u200db@x.com", "", "Email contains invisible or control characters"},
		{"BOM", "\ufeffbob@x.com", "", "Email contains invisible or control characters"},
		{"soft hyphen", "bo\u00adb@x.com", "", "Email contains invisible or control characters"},
		{"right-to-left override", "bob@x\u202emoc.com", "", "Email contains invisible or control characters"},
		{"right-to-left mark", "bob\u200f@x.com", "", "Email contains invisible or control characters"},
		{"first strong isolate", "\u2068bob@x.com", "", "Email contains invisible or control characters"},
		{"Hangul filler", "bob\u3164@x.com", "", "Email contains invisible or control characters"},
		{"invalid UTF-8", "bob\xff@x.com", "", "Email contains invisible or control characters"},
		{"private use", "bob\ue000@x.com", "", "Email contains invisible or control characters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := auth.NormalizeEmail(tt.in)
			if tt.error == "" {
				if err != nil {
					t.Fatalf("NormalizeEmail(%q): got error %v, want %q", tt.in, err, tt.want)
				}
				if got != tt.want {
					t.Fatalf("NormalizeEmail(%q): got %q, want %q", tt.in, got, tt.want)
				}
				// A fixed point: normalising again changes nothing.
				if again, err := auth.NormalizeEmail(got); err != nil || again != got {
					t.Errorf("NormalizeEmail(NormalizeEmail(%q)): got %q, %v, want %q", tt.in, again, err, got)
				}
				return
			}
			wantCara(t, "NormalizeEmail("+tt.in+")", err, cara.EINVALID, tt.error)
		})
	}
}

func TestRegisterFields(t *testing.T) {
	tests := []struct {
		name string
		reg  auth.Registration
		code string
		msg  string
	}{
		{"bad email", auth.Registration{Email: "nope", Name: "Ana", Password: goodPassword}, cara.EINVALID, "Enter a valid email address"},
		{"missing name", auth.Registration{Email: "a@x.com", Name: "   ", Password: goodPassword}, cara.EINVALID, "Name is required"},
		{"name too long", auth.Registration{Email: "a@x.com", Name: strings.Repeat("é", 101), Password: goodPassword}, cara.EINVALID, "Name must be at most 100 characters"},
		{"name with newline", auth.Registration{Email: "a@x.com", Name: "Ana\nLima", Password: goodPassword}, cara.EINVALID, "Name contains invisible or control characters"},
		{"name with bidi override", auth.Registration{Email: "a@x.com", Name: "Ana\u202eamiL", Password: goodPassword}, cara.EINVALID, "Name contains invisible or control characters"},
		{"role too long", auth.Registration{Email: "a@x.com", Name: "Ana", Role: strings.Repeat("r", 101), Password: goodPassword}, cara.EINVALID, "Role must be at most 100 characters"},
		{"role with control", auth.Registration{Email: "a@x.com", Name: "Ana", Role: "PM\x07", Password: goodPassword}, cara.EINVALID, "Role contains invisible or control characters"},
	}
	e := newEnv(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.svc.Register(context.Background(), tt.reg)
			wantCara(t, "Register", err, tt.code, tt.msg)
		})
	}
	if got := e.store.Stats().Users; got != 0 {
		t.Errorf("users after rejected registrations: got %d, want 0", got)
	}

	// Accepted edge cases: 100-character name, empty role, Persian name with
	// a zero-width non-joiner, trimmed values.
	a, err := e.svc.Register(context.Background(), auth.Registration{
		Email: " Ana@X.com ", Name: "  " + strings.Repeat("n", 100) + " ", Role: "", Password: goodPassword,
	})
	if err != nil {
		t.Fatalf("Register(100-char name): %v", err)
	}
	if a.Account.Email != "ana@x.com" || len(a.Account.Name) != 100 || a.Account.Role != "" {
		t.Errorf("account: got %+v, want email ana@x.com, 100-char name, empty role", a.Account)
	}
	b, err := e.svc.Register(context.Background(), auth.Registration{
		Email: "mehr@x.com", Name: "مهر\u200cانگیز", Role: "  Product Manager ", Password: goodPassword,
	})
	if err != nil {
		t.Fatalf("Register(ZWNJ name): %v", err)
	}
	if b.Account.Role != "Product Manager" {
		t.Errorf("role: got %q, want %q", b.Account.Role, "Product Manager")
	}
	if len(auth.RoleSuggestions()) == 0 {
		t.Error("RoleSuggestions: got none")
	}
}
