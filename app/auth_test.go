package app

import (
	"context"
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/cara-coach/cara/internal/auth"
	"github.com/cara-coach/cara/internal/session"
)

func TestAuthStateJSON(t *testing.T) {
	ta := newTestApp(t)
	st, err := ta.Auth.State()
	if err != nil {
		t.Fatalf("State: %v", err)
	}
	if got, want := jsonOf(t, st), `{"signedIn":false,"account":null,"notice":""}`; got != want {
		t.Errorf("signed out: got %s, want %s", got, want)
	}

	st = ta.register(t, "Ada@Example.com")
	var got map[string]any
	if err := json.Unmarshal([]byte(jsonOf(t, st)), &got); err != nil {
		t.Fatal(err)
	}
	if keys := keysOf(got); !reflect.DeepEqual(keys, []string{"account", "notice", "signedIn"}) {
		t.Errorf("got keys %v", keys)
	}
	acc, _ := got["account"].(map[string]any)
	if keys := keysOf(acc); !reflect.DeepEqual(keys, []string{"createdAt", "email", "id", "name", "role"}) {
		t.Errorf("got account keys %v", keys)
	}
	if got["signedIn"] != true || acc["email"] != "ada@example.com" || acc["name"] != "Ada" || acc["role"] != "Engineer" || acc["id"] == "" {
		t.Errorf("got %v", got)
	}
	if _, err := time.Parse(time.RFC3339Nano, acc["createdAt"].(string)); err != nil {
		t.Errorf("createdAt %v is not RFC 3339: %v", acc["createdAt"], err)
	}

	again, err := ta.Auth.State()
	if err != nil || !again.SignedIn || again.Account.ID != st.Account.ID {
		t.Errorf("State after Register: got %+v, %v", again, err)
	}
}

func keysOf(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestAuthErrors: what a rejected promise carries for each auth failure.
func TestAuthErrors(t *testing.T) {
	ta := newTestApp(t)
	ta.register(t, "ada@example.com")
	reg := func(email, pw string) error {
		_, err := ta.Auth.Register(RegisterInput{Email: email, Name: "B", Role: "", Password: pw})
		return err
	}
	policy := func(pw, email string) string {
		var msgs []string
		for _, r := range auth.CheckPassword(pw, email) {
			msgs = append(msgs, r.Message)
		}
		return strings.Join(msgs, "\n")
	}
	tests := []struct {
		name     string
		call     func() error
		wantCode string
		wantMsg  string
	}{
		{"wrong current password", func() error { return ta.Auth.ChangePassword("Wrong-Lantern-99", "Another-Lantern-43") },
			"unauthorized", "Current password is incorrect"},
		{"weak new password", func() error { return ta.Auth.ChangePassword(testPassword, "Pass1") },
			"invalid", policy("Pass1", "ada@example.com")},
		{"revoke unknown session", func() error { _, err := ta.Auth.RevokeSession("01HZZZZZZZZZZZZZZZZZZZZZZZ"); return err },
			"not_found", "That session no longer exists"},
		{"sign out", func() error { return ta.Auth.Logout() }, "", ""},
		{"duplicate e-mail", func() error { return reg("ADA@example.com", testPassword) },
			"conflict", "An account with this email already exists"},
		{"seed: password123", func() error { return reg("cy@example.com", "password123") },
			"invalid", policy("password123", "cy@example.com")},
		{"seed: Password", func() error { return reg("cy@example.com", "Password") },
			"invalid", policy("Password", "cy@example.com")},
		{"seed: Pass1", func() error { return reg("cy@example.com", "Pass1") },
			"invalid", policy("Pass1", "cy@example.com")},
		{"bad e-mail", func() error { return reg("not-an-email", testPassword) }, "invalid", ""},
		{"unknown e-mail", func() error { _, err := ta.Auth.Login("nobody@example.com", testPassword); return err },
			"unauthorized", "Invalid credentials"},
		{"signed out: sessions", func() error { _, err := ta.Auth.Sessions(); return err },
			"unauthorized", "Please sign in."},
		{"signed out: change password", func() error { return ta.Auth.ChangePassword(testPassword, "Another-Lantern-43") },
			"unauthorized", "Please sign in."},
		{"signed out: revoke", func() error { _, err := ta.Auth.RevokeSession("x"); return err },
			"unauthorized", "Please sign in."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, msg := uiErrorParts(t, tt.call())
			if code != tt.wantCode {
				t.Errorf("got code %q (%q), want %q", code, msg, tt.wantCode)
			}
			if tt.wantMsg != "" && msg != tt.wantMsg {
				t.Errorf("got message %q, want %q", msg, tt.wantMsg)
			}
		})
	}
	if !strings.Contains(policy("password123", "cy@example.com"), "\n") {
		t.Error("want password123 to break several rules (one per line)")
	}
}

func TestLoginThrottled(t *testing.T) {
	ta := newTestApp(t)
	ta.register(t, "ada@example.com")
	if err := ta.Auth.Logout(); err != nil {
		t.Fatal(err)
	}
	for i := range auth.FreeAttempts {
		_, err := ta.Auth.Login("ada@example.com", "Wrong-Lantern-99")
		if code, msg := uiErrorParts(t, err); code != "unauthorized" || msg != "Invalid credentials" {
			t.Fatalf("attempt %d: got %s %q, want unauthorized \"Invalid credentials\"", i+1, code, msg)
		}
	}
	_, err := ta.Auth.Login("ada@example.com", testPassword)
	code, msg := uiErrorParts(t, err)
	if code != "too_many_requests" || !strings.HasPrefix(msg, "Too many attempts. Try again in ") {
		t.Errorf("got %s %q, want too_many_requests \"Too many attempts. Try again in N seconds.\"", code, msg)
	}
}

func TestLoginLogout(t *testing.T) {
	ta := newTestApp(t)
	reg := ta.register(t, "ada@example.com")
	if err := ta.Auth.Logout(); err != nil {
		t.Fatalf("Logout: %v", err)
	}
	if st, _ := ta.Auth.State(); st.SignedIn || st.Account != nil {
		t.Fatalf("got %+v after Logout, want signed out", st)
	}
	if _, err := ta.kc.Get(context.Background(), session.KeyRefreshToken); err == nil {
		t.Error("got a refresh token in the keychain after Logout")
	}
	st, err := ta.Auth.Login(" ADA@example.com ", testPassword)
	if err != nil {
		t.Fatalf("Login: %v", err)
	}
	if !st.SignedIn || st.Account.ID != reg.Account.ID || st.Notice != "" {
		t.Errorf("got %+v, want signed in as %s", st, reg.Account.ID)
	}
}

func TestPasswordChecklist(t *testing.T) {
	ta := newTestApp(t)
	tests := []struct{ password, email string }{
		{"", ""},
		{"Pass1", ""},
		{"password123", "ada@example.com"},
		{"MyPassword123", "ada@example.com"},
		{"SecurePass456", "securepass@example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.password, func(t *testing.T) {
			got, err := ta.Auth.PasswordChecklist(tt.password, tt.email)
			if err != nil {
				t.Fatal(err)
			}
			want := auth.PasswordChecklist(tt.password, tt.email)
			if len(got) != len(want) || len(got) < 7 {
				t.Fatalf("got %d rules, want %d (≥ 7)", len(got), len(want))
			}
			for i := range want {
				if got[i].ID != want[i].ID || got[i].Message != want[i].Message || got[i].OK != want[i].OK {
					t.Errorf("rule %d: got %+v, want %+v", i, got[i], want[i])
				}
			}
		})
	}
	rules, _ := ta.Auth.PasswordChecklist("x", "")
	if got, want := jsonOf(t, rules[0]), `{"id":"min_length","message":"Password must be at least 8 characters","ok":false}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	roles, err := ta.Auth.RoleSuggestions()
	if err != nil || len(roles) == 0 {
		t.Errorf("RoleSuggestions: got %v, %v", roles, err)
	}
}

func TestSessionsAndRevoke(t *testing.T) {
	ctx := context.Background()
	ta := newTestApp(t)
	ta.register(t, "ada@example.com")
	// The same account signed in on another computer.
	svc, err := auth.New(ta.store, auth.WithSigningKeys("o", map[string][]byte{"o": []byte("0123456789abcdef0123456789abcdef")}), auth.WithBcryptCost(4))
	if err != nil {
		t.Fatal(err)
	}
	other, err := svc.Login(ctx, "ada@example.com", testPassword, "Cara on desk (Windows)")
	if err != nil {
		t.Fatal(err)
	}

	list, err := ta.Auth.Sessions()
	if err != nil {
		t.Fatalf("Sessions: %v", err)
	}
	if len(list) != 2 {
		t.Fatalf("got %d sessions, want 2", len(list))
	}
	var raw []map[string]any
	_ = json.Unmarshal([]byte(jsonOf(t, list)), &raw)
	if keys := keysOf(raw[0]); !reflect.DeepEqual(keys, []string{"createdAt", "current", "device", "id", "lastUsedAt"}) {
		t.Errorf("got session keys %v", keys)
	}
	var mine SessionDTO
	for _, s := range list {
		if s.Current {
			mine = s
		}
	}
	if mine.Device != "Cara on test-box (Linux)" {
		t.Errorf("got current session %+v, want this computer's", mine)
	}

	st, err := ta.Auth.RevokeSession(other.Tokens.SessionID)
	if err != nil || !st.SignedIn {
		t.Fatalf("revoking the other session: got %+v, %v; want still signed in", st, err)
	}
	if list, _ := ta.Auth.Sessions(); len(list) != 1 || !list[0].Current {
		t.Errorf("got %+v after revoking the other, want only this one", list)
	}
	st, err = ta.Auth.RevokeSession(mine.ID)
	if err != nil || st.SignedIn || st.Account != nil {
		t.Fatalf("revoking this session: got %+v, %v; want signed out", st, err)
	}
	if got := ta.events.list(); len(got) != 0 {
		t.Errorf("got events %v for a sign-out the user asked for, want none", got)
	}
}

// TestExpiryEmitsEvent: a session ended elsewhere shows up on the next call,
// and the UI hears about it once.
func TestExpiryEmitsEvent(t *testing.T) {
	ctx := context.Background()
	ta := newTestApp(t)
	st := ta.register(t, "ada@example.com")
	sessions, _ := ta.store.UserSessions(ctx, st.Account.ID)
	for _, s := range sessions {
		if err := ta.store.RevokeSession(ctx, s.ID, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	_, err := ta.History.List()
	if code, msg := uiErrorParts(t, err); code != "unauthorized" || msg != "Session expired. Please log in again." {
		t.Fatalf("got %s %q, want unauthorized \"Session expired. Please log in again.\"", code, msg)
	}
	want := []string{`auth:expired ["Session expired. Please log in again."]`}
	if got := ta.events.list(); !reflect.DeepEqual(got, want) {
		t.Errorf("got events %v, want %v", got, want)
	}
	if st, _ := ta.Auth.State(); st.SignedIn {
		t.Error("got signed in after expiry")
	}
	if got := ta.events.list(); len(got) != 1 {
		t.Errorf("got %d events, want 1", len(got))
	}
}

func TestKeychainNotice(t *testing.T) {
	ta := newTestApp(t, func(ta *testApp) { ta.kc.SetUnavailable(true) })
	st, err := ta.Auth.State()
	if err != nil {
		t.Fatal(err)
	}
	want := "Cara can't reach the system keychain, so it can't remember your sign-in. You'll sign in each time you open Cara."
	if st.Notice != want {
		t.Fatalf("got notice %q, want %q", st.Notice, want)
	}
	// A second window (wails dev's browser next to its hidden window) hears it too.
	if st, _ := ta.Auth.State(); st.Notice != want {
		t.Errorf("got notice %q the second time, want it again", st.Notice)
	}
	// Signing in hands it out a last time (the UI shows a text once), then it's gone.
	if st := ta.register(t, "ada@example.com"); !st.SignedIn {
		t.Errorf("got %+v, want signed in", st)
	}
	if st, _ := ta.Auth.State(); !st.SignedIn || st.Notice != "" {
		t.Errorf("got %+v after sign-in, want signed in with no notice", st)
	}
}
