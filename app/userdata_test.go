package app

import (
	"encoding/base64"
	"testing"

	"github.com/cara-coach/cara/internal/coach"
)

const sampleText = "Hi team, I just wanted to quickly check whether we could maybe move the review to Friday."

// TestUserDataNeedsSession: every Coach, Practice, History and Settings call that touches user
// data is refused when nobody is signed in.
func TestUserDataNeedsSession(t *testing.T) {
	ta := newTestApp(t)
	tests := []struct {
		name string
		call func() error
	}{
		{"Coach.Review", func() error { _, err := ta.Coach.Review(coach.ReviewInput{Text: sampleText}); return err }},
		{"History.List", func() error { _, err := ta.History.List(); return err }},
		{"History.Get", func() error { _, err := ta.History.Get("r001"); return err }},
		{"History.Delete", func() error { return ta.History.Delete("r001") }},
		{"Coach.AskCara", func() error { _, err := ta.Coach.AskCara("r001", coach.ModeStrict); return err }},
		{"Coach.Translate", func() error { _, err := ta.Coach.Translate("Let's circle back"); return err }},
		{"Practice.Start", func() error {
			_, err := ta.Practice.Start(coach.StartInput{ScenarioID: coach.ScenarioInterview, PersonaID: coach.PersonaSkeptic})
			return err
		}},
		{"Practice.Send", func() error { _, err := ta.Practice.Send("c001", "Hello"); return err }},
		{"Practice.Stop", func() error { return ta.Practice.Stop("c001") }},
		{"Practice.Retry", func() error { _, err := ta.Practice.Retry("c001"); return err }},
		{"Practice.End", func() error { _, err := ta.Practice.End("c001"); return err }},
		{"Practice.Get", func() error { _, err := ta.Practice.Get("c001"); return err }},
		{"Settings.Usage", func() error { _, err := ta.Settings.Usage(); return err }},
		{"Settings.SetDailyBudget", func() error { _, err := ta.Settings.SetDailyBudget(60000); return err }},
		{"Settings.Queue", func() error { _, err := ta.Settings.Queue(); return err }},
		{"Settings.ProcessQueue", func() error { _, err := ta.Settings.ProcessQueue(); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, msg := uiErrorParts(t, tt.call())
			if code != "unauthorized" || msg != "Please sign in." {
				t.Errorf("got %s %q, want unauthorized \"Please sign in.\"", code, msg)
			}
		})
	}
	// Nothing was saved: not even as data the first account would claim.
	ta.register(t, "ada@example.com")
	if list, err := ta.History.List(); err != nil || len(list) != 0 {
		t.Errorf("got History %v, %v after signed-out calls; want empty", list, err)
	}
	if err := ta.Auth.Logout(); err != nil {
		t.Fatal(err)
	}

	// Importing a file reads no user data: it needs no session.
	txt, err := ta.Coach.ImportFile("note.txt", base64.StdEncoding.EncodeToString([]byte(sampleText)))
	if err != nil || txt.Body != sampleText {
		t.Errorf("ImportFile signed out: got %+v, %v", txt, err)
	}
}

// TestEachUserSeesOwnReviews: two people on one computer.
func TestEachUserSeesOwnReviews(t *testing.T) {
	ta := newTestApp(t)
	ada := ta.register(t, "ada@example.com")
	r, err := ta.Coach.Review(coach.ReviewInput{Title: "Ada's note", Text: sampleText})
	if err != nil {
		t.Fatalf("Review: %v", err)
	}
	if got, err := ta.db.ListReviews(t.Context(), ada.Account.ID); err != nil || len(got) != 1 || got[0].ID != r.ID {
		t.Fatalf("got ada's stored reviews %v, %v; want [%s]", got, err, r.ID)
	}
	if err := ta.Auth.Logout(); err != nil {
		t.Fatal(err)
	}

	ta.register(t, "bob@example.com")
	list, err := ta.History.List()
	if err != nil || len(list) != 0 {
		t.Errorf("bob's History: got %v, %v; want empty", list, err)
	}
	if _, err := ta.History.Get(r.ID); !hasCode(t, err, "not_found") {
		t.Errorf("bob Get ada's review: got %v, want not_found", err)
	}
	if err := ta.History.Delete(r.ID); !hasCode(t, err, "not_found") {
		t.Errorf("bob Delete ada's review: got %v, want not_found", err)
	}

	if _, err := ta.Auth.Login("ada@example.com", testPassword); err != nil {
		t.Fatal(err)
	}
	list, err = ta.History.List()
	if err != nil || len(list) != 1 || list[0].ID != r.ID {
		t.Fatalf("ada's History: got %v, %v; want [%s]", list, err, r.ID)
	}
	got, err := ta.History.Get(r.ID)
	if err != nil || got.Title != "Ada's note" {
		t.Errorf("ada Get: got %+v, %v", got.Title, err)
	}
	if err := ta.History.Delete(r.ID); err != nil {
		t.Errorf("ada Delete: %v", err)
	}
	if list, _ := ta.History.List(); len(list) != 0 {
		t.Errorf("got %v after Delete, want empty", list)
	}
}

func hasCode(t *testing.T, err error, code string) bool {
	t.Helper()
	got, _ := uiErrorParts(t, err)
	return got == code
}
