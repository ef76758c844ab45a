package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/cara-coach/cara/internal/auth"
	"github.com/cara-coach/cara/internal/auth/memstore"
	"github.com/cara-coach/cara/internal/cara"
	"github.com/cara-coach/cara/internal/keychain"
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
		{"password policy: invalid, one rule per line", policyError(t, "password123", "cy@example.com"),
			`{"code":"invalid","message":"Password must contain at least one uppercase letter\nPassword is too common"}`, false},
		{"throttled sign-in keeps its wait", throttledError(t),
			`{"code":"too_many_requests","message":"Too many attempts. Try again in 1 second."}`, false},
		{"session expired", fmt.Errorf("verify: %w", auth.ErrSessionExpired),
			`{"code":"unauthorized","message":"Session expired. Please log in again."}`, false},
		{"keychain unavailable", &keychain.UnavailableError{Op: "get", Key: "refresh-token", Err: errors.New("dbus: no bus")},
			`{"code":"unavailable","message":"Cara can't reach the system keychain, so it can't remember your sign-in."}`, false},
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

// policyError is what Register says about a weak password.
func policyError(t *testing.T, password, email string) error {
	t.Helper()
	svc := newAuthService(t)
	_, err := svc.Register(context.Background(), auth.Registration{Email: email, Name: "C", Password: password})
	var pe *auth.PolicyError
	if !errors.As(err, &pe) {
		t.Fatalf("got %v, want a PolicyError", err)
	}
	return err
}

// throttledError is what Login says after 5 failures in a row.
func throttledError(t *testing.T) error {
	t.Helper()
	svc := newAuthService(t)
	ctx := context.Background()
	for range auth.FreeAttempts {
		_, _ = svc.Login(ctx, "nobody@example.com", "Wrong-Lantern-99", "test")
	}
	_, err := svc.Login(ctx, "nobody@example.com", "Wrong-Lantern-99", "test")
	var te *auth.ThrottledError
	if !errors.As(err, &te) {
		t.Fatalf("got %v, want a ThrottledError", err)
	}
	return err
}

func newAuthService(t *testing.T) *auth.Service {
	t.Helper()
	svc, err := auth.New(memstore.New(), auth.WithBcryptCost(4),
		auth.WithSigningKeys("k", map[string][]byte{"k": []byte("0123456789abcdef0123456789abcdef")}))
	if err != nil {
		t.Fatal(err)
	}
	return svc
}
