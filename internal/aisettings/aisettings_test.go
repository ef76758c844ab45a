package aisettings

import (
	"context"
	"testing"

	"github.com/cara-coach/cara/internal/cara"
	"github.com/cara-coach/cara/internal/gemini/geminitest"
	"github.com/cara-coach/cara/internal/keychain"
)

func TestDefaultModel(t *testing.T) {
	m := func(ids ...string) []Model {
		out := []Model{}
		for _, id := range ids {
			out = append(out, Model{ID: id})
		}
		return out
	}
	tests := []struct {
		models []Model
		want   string
	}{
		{m("gemini-2.5-pro", "gemini-2.5-flash"), "gemini-2.5-flash"},
		{m("gemini-2.5-pro", "gemini-2.0-flash", "gemini-2.0-flash-lite"), "gemini-2.0-flash"},
		{m("gemini-2.5-pro", "gemma-3"), "gemini-2.5-pro"},
		{m(), ""},
	}
	for _, tt := range tests {
		if got := DefaultModel(tt.models); got != tt.want {
			t.Errorf("DefaultModel(%v) = %q; want %q", tt.models, got, tt.want)
		}
	}
}

func TestHint(t *testing.T) {
	if got := Hint("AIzaSyA-0123456789abcd"); got != "…abcd" {
		t.Errorf("got %q", got)
	}
	if got := Hint("short"); got != "…" {
		t.Errorf("a short key shows too much: %q", got)
	}
}

// The model the user chose survives a new key, and a removed key added
// again, when the key offers it; otherwise the default is taken.
func TestKeepsChosenModelWhenKeyChanges(t *testing.T) {
	srv := geminitest.New(geminitest.Options{})
	defer srv.Close()
	noPro := geminitest.New(geminitest.Options{Models: []geminitest.Model{geminitest.DefaultModels[0], geminitest.DefaultModels[2]}})
	defer noPro.Close()
	tests := []struct {
		name   string
		remove bool // remove the key before saving the new one
		srv    *geminitest.Server
		want   string
	}{
		{"the key replaced", false, srv, "gemini-2.5-pro"},
		{"the key removed, then added again", true, srv, "gemini-2.5-pro"},
		{"a key without that model", true, noPro, "gemini-2.5-flash"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(keychain.NewMemory(), Config{BaseURL: srv.URL()})
			ctx := context.Background()
			if _, err := s.SetKey(ctx, "u1", srv.APIKey()); err != nil {
				t.Fatal(err)
			}
			if _, err := s.SetModel(ctx, "u1", "gemini-2.5-pro"); err != nil {
				t.Fatal(err)
			}
			if tt.remove {
				st, err := s.RemoveKey(ctx, "u1")
				if err != nil || st.HasKey || st.Model != "" {
					t.Fatalf("RemoveKey: got %+v, %v; want no key, no model shown", st, err)
				}
				if _, err := s.Client(ctx, "u1"); cara.ErrorCode(err) != cara.ENOKEY {
					t.Errorf("Client after RemoveKey: %v, want ENOKEY", err)
				}
			}
			s.cfg.BaseURL = tt.srv.URL()
			st, err := s.SetKey(ctx, "u1", tt.srv.APIKey())
			if err != nil || st.Model != tt.want {
				t.Errorf("got %+v, %v; want model %s", st, err, tt.want)
			}
			c, err := s.Client(ctx, "u1")
			if err != nil || c.Model() != tt.want {
				t.Errorf("Client: got %v, want model %s", err, tt.want)
			}
		})
	}
}

func TestNoModels(t *testing.T) {
	srv := geminitest.New(geminitest.Options{Models: []geminitest.Model{}})
	defer srv.Close()
	kc := keychain.NewMemory()
	s := New(kc, Config{BaseURL: srv.URL()})
	_, err := s.SetKey(context.Background(), "u1", srv.APIKey())
	if cara.ErrorMessage(err) != MsgNoModels {
		t.Errorf("got %v", err)
	}
	if _, err := kc.Get(context.Background(), keyItem("u1")); err == nil {
		t.Error("stored a key that can use no model")
	}
}

func TestClientWithoutKey(t *testing.T) {
	s := New(keychain.NewMemory(), Config{})
	c, err := s.Client(context.Background(), "u1")
	if c != nil {
		t.Error("got a client without a key")
	}
	if got, code := cara.ErrorMessage(err), cara.ErrorCode(err); got != MsgNoKey || code != cara.ENOKEY {
		t.Errorf("got %q (%s), want %q (%s)", got, code, MsgNoKey, cara.ENOKEY)
	}
}
