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

func TestKeepsChosenModelWhenKeyChanges(t *testing.T) {
	srv := geminitest.New(geminitest.Options{})
	defer srv.Close()
	s := New(keychain.NewMemory(), Config{BaseURL: srv.URL()})
	ctx := context.Background()
	if _, err := s.SetKey(ctx, "u1", srv.APIKey()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetModel(ctx, "u1", "gemini-2.5-pro"); err != nil {
		t.Fatal(err)
	}
	st, err := s.SetKey(ctx, "u1", srv.APIKey())
	if err != nil || st.Model != "gemini-2.5-pro" {
		t.Errorf("got %+v, %v; want the chosen model kept", st, err)
	}
	c, err := s.Client(ctx, "u1")
	if err != nil || c.Model() != "gemini-2.5-pro" {
		t.Errorf("Client: got %v", err)
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
