package app

import (
	"strings"
	"testing"

	"github.com/cara-coach/cara/internal/aisettings"
	"github.com/cara-coach/cara/internal/gemini/geminitest"
)

const wrongKey = "AIzaSyWRONG-key-0000000000000000000wxyz"

// noKeyLeak fails if the key appears in anything the UI or the logs got.
func noKeyLeak(t *testing.T, ta *testApp, key string, got ...any) {
	t.Helper()
	for _, v := range got {
		var text string
		if err, ok := v.(error); ok {
			if err == nil {
				continue
			}
			text = err.Error()
		} else {
			text = jsonOf(t, v)
		}
		if strings.Contains(text, key) {
			t.Errorf("the key leaked into %s", text)
		}
	}
	if strings.Contains(ta.logs.String(), key) {
		t.Errorf("the key leaked into the logs")
	}
}

func TestSettingsValidKeyIsStored(t *testing.T) {
	ta := newTestApp(t)
	ada := ta.register(t, "ada@example.com")
	key := ta.gemini.APIKey()

	st, err := ta.Settings.GeminiStatus()
	if err != nil || st.HasKey || st.KeyHint != "" || st.Model != "" {
		t.Fatalf("before: got %+v, %v; want no key", st, err)
	}

	st, err = ta.Settings.SetGeminiKey("  " + key + "\n")
	if err != nil {
		t.Fatalf("SetGeminiKey: %v", err)
	}
	if !st.HasKey || st.KeyHint != "…"+key[len(key)-4:] || st.Model != "gemini-2.5-flash" {
		t.Errorf("got %+v; want hasKey, hint …%s, model gemini-2.5-flash", st, key[len(key)-4:])
	}
	var ids []string
	for _, m := range st.Models {
		ids = append(ids, m.ID)
	}
	if strings.Join(ids, ",") != "gemini-2.5-flash,gemini-2.5-pro,gemini-2.5-flash-lite" {
		t.Errorf("got models %v; want the generateContent ones", ids)
	}
	if got, _ := ta.kc.Get(t.Context(), "gemini-api-key:"+ada.Account.ID); got != key {
		t.Errorf("keychain holds %q; want the trimmed key", got)
	}
	noKeyLeak(t, ta, key, st)

	st, err = ta.Settings.SetGeminiModel("gemini-2.5-pro")
	if err != nil || st.Model != "gemini-2.5-pro" {
		t.Errorf("SetGeminiModel: got %+v, %v", st, err)
	}
	_, err = ta.Settings.SetGeminiModel("gemini-9-ultra")
	if code, msg := uiErrorParts(t, err); code != "invalid" || msg != aisettings.MsgUnknownModel {
		t.Errorf("unknown model: got %s %q", code, msg)
	}
	st, err = ta.Settings.GeminiModels()
	if err != nil || st.Model != "gemini-2.5-pro" || len(st.Models) != 3 {
		t.Errorf("GeminiModels: got %+v, %v", st, err)
	}
	st, err = ta.Settings.GeminiStatus()
	if err != nil || !st.HasKey || st.Model != "gemini-2.5-pro" {
		t.Errorf("status: got %+v, %v", st, err)
	}
	noKeyLeak(t, ta, key, st)

	st, err = ta.Settings.RemoveGeminiKey()
	if err != nil || st.HasKey {
		t.Fatalf("RemoveGeminiKey: got %+v, %v", st, err)
	}
	if _, err := ta.kc.Get(t.Context(), "gemini-api-key:"+ada.Account.ID); err == nil {
		t.Error("the key is still in the keychain after Remove")
	}
	_, err = ta.Settings.GeminiModels()
	if _, msg := uiErrorParts(t, err); msg != aisettings.MsgNoKey {
		t.Errorf("models without a key: got %q", msg)
	}
}

func TestSettingsKeyErrors(t *testing.T) {
	tests := []struct {
		name     string
		key      string
		prepare  func(ta *testApp)
		wantCode string
		wantMsg  string
	}{
		{"empty", "   ", nil, "invalid", "Paste your Gemini API key"},
		{"not a key", "my key has spaces", nil, "invalid", "That doesn't look like a Gemini API key"},
		{"invalid", wrongKey, nil, "gemini_key", "Your Gemini API key isn't valid"},
		{"forbidden", "", func(ta *testApp) { ta.gemini.SetScenario(geminitest.PermissionDenied) }, "gemini_key", "This key can't use Gemini"},
		{"busy", "", func(ta *testApp) { ta.gemini.SetScenario(geminitest.Unavailable) }, "unavailable", "Gemini is busy — retry"},
		{"network down", "", func(ta *testApp) { ta.netDown.Store(true) }, "offline", "Can't reach Gemini — check your connection"},
		{"keychain unavailable", "", func(ta *testApp) { ta.kc.SetUnavailable(true) }, "unavailable", aisettings.MsgKeychain},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ta := newTestApp(t)
			ada := ta.register(t, "ada@example.com")
			key := tt.key
			if key == "" {
				key = ta.gemini.APIKey()
			}
			if tt.prepare != nil {
				tt.prepare(ta)
			}
			st, err := ta.Settings.SetGeminiKey(key)
			code, msg := uiErrorParts(t, err)
			if code != tt.wantCode || msg != tt.wantMsg {
				t.Errorf("got %s %q; want %s %q", code, msg, tt.wantCode, tt.wantMsg)
			}
			if code == "unauthorized" {
				t.Error("a key error must not look like an expired sign-in")
			}
			ta.kc.SetUnavailable(false)
			if got, err := ta.kc.Get(t.Context(), "gemini-api-key:"+ada.Account.ID); err == nil {
				t.Errorf("stored %q after a failed SetGeminiKey", got)
			}
			if strings.TrimSpace(key) != "" && len(strings.TrimSpace(key)) > 8 {
				noKeyLeak(t, ta, strings.TrimSpace(key), st, err)
			}
		})
	}
}

func TestSettingsKeysArePerUser(t *testing.T) {
	ta := newTestApp(t)
	ta.register(t, "ada@example.com")
	if _, err := ta.Settings.SetGeminiKey(ta.gemini.APIKey()); err != nil {
		t.Fatal(err)
	}
	if err := ta.Auth.Logout(); err != nil {
		t.Fatal(err)
	}

	ta.register(t, "bob@example.com")
	st, err := ta.Settings.GeminiStatus()
	if err != nil || st.HasKey {
		t.Fatalf("bob sees a key: %+v, %v", st, err)
	}
	if _, err := ta.Settings.SetGeminiModel("gemini-2.5-pro"); err == nil {
		t.Error("bob set a model without a key of his own")
	}
	if _, err := ta.Settings.SetGeminiKey(ta.gemini.APIKey()); err != nil {
		t.Fatal(err)
	}
	if _, err := ta.Settings.SetGeminiModel("gemini-2.5-pro"); err != nil {
		t.Fatal(err)
	}
	if _, err := ta.Settings.RemoveGeminiKey(); err != nil {
		t.Fatal(err)
	}
	if err := ta.Auth.Logout(); err != nil {
		t.Fatal(err)
	}

	if _, err := ta.Auth.Login("ada@example.com", testPassword); err != nil {
		t.Fatal(err)
	}
	st, err = ta.Settings.GeminiStatus()
	if err != nil || !st.HasKey || st.Model != "gemini-2.5-flash" {
		t.Errorf("ada after bob's changes: got %+v, %v; want her key and gemini-2.5-flash", st, err)
	}
}

func TestSettingsNeedsSession(t *testing.T) {
	ta := newTestApp(t)
	calls := map[string]func() error{
		"GeminiStatus":    func() error { _, err := ta.Settings.GeminiStatus(); return err },
		"SetGeminiKey":    func() error { _, err := ta.Settings.SetGeminiKey(ta.gemini.APIKey()); return err },
		"SetGeminiModel":  func() error { _, err := ta.Settings.SetGeminiModel("gemini-2.5-flash"); return err },
		"GeminiModels":    func() error { _, err := ta.Settings.GeminiModels(); return err },
		"RemoveGeminiKey": func() error { _, err := ta.Settings.RemoveGeminiKey(); return err },
	}
	for name, call := range calls {
		if code, msg := uiErrorParts(t, call()); code != "unauthorized" || msg != "Please sign in." {
			t.Errorf("%s signed out: got %s %q", name, code, msg)
		}
	}
	if n := len(ta.gemini.Requests()); n != 0 {
		t.Errorf("Gemini was called %d times while signed out", n)
	}
}
