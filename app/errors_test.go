package app

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/cara-coach/cara/internal/cara"
)

func TestUIError(t *testing.T) {
	tests := []struct {
		name    string
		err     error
		want    string
		wantLog bool
	}{
		{"nil stays nil", nil, "", false},
		{"cara error keeps code and message", cara.Errorf(cara.EEMPTY, "Nothing to review yet — paste or open some text"),
			`{"code":"empty","message":"Nothing to review yet — paste or open some text"}`, false},
		{"wrapped cara error", fmt.Errorf("saving: %w", cara.Errorf(cara.ENOTFOUND, "That review no longer exists")),
			`{"code":"not_found","message":"That review no longer exists"}`, false},
		{"internal error is hidden and logged", errors.New("open /home/x/.config/Cara/cara.db: input/output error"),
			`{"code":"internal","message":"Something went wrong"}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			log := slog.New(slog.NewTextHandler(&logs, nil))
			got := uiError(log, "Test.Op", tt.err)
			if tt.err == nil {
				if got != nil {
					t.Fatalf("got %v, want nil", got)
				}
				return
			}
			if got.Error() != tt.want {
				t.Errorf("got %s, want %s", got.Error(), tt.want)
			}
			if logged := strings.Contains(logs.String(), "Test.Op"); logged != tt.wantLog {
				t.Errorf("got logged=%v, want %v (%s)", logged, tt.wantLog, logs.String())
			}
		})
	}
}
