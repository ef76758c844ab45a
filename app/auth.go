package app

import (
	"context"
	"log/slog"
	"time"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/cara-coach/cara/internal/auth"
	"github.com/cara-coach/cara/internal/session"
)

// AuthState is who is signed in. Account is null when signed out. Notice is
// a one-time message to show (the keychain can't remember the sign-in, or a
// saved sign-in has expired); it is given once, then "".
type AuthState struct {
	SignedIn bool        `json:"signedIn"`
	Account  *AccountDTO `json:"account"`
	Notice   string      `json:"notice"`
}

// AccountDTO is the signed-in user's profile.
type AccountDTO struct {
	ID        string    `json:"id"`
	Email     string    `json:"email"`
	Name      string    `json:"name"`
	Role      string    `json:"role"`
	CreatedAt time.Time `json:"createdAt"`
}

// RegisterInput is the "Join Cara" form.
type RegisterInput struct {
	Email    string `json:"email"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	Password string `json:"password"`
}

// PasswordRule is one line of the live password checklist.
type PasswordRule struct {
	ID      string `json:"id"`
	Message string `json:"message"`
	OK      bool   `json:"ok"`
}

// SessionDTO is one signed-in device in the account screen's list.
type SessionDTO struct {
	ID         string    `json:"id"`
	Device     string    `json:"device"`
	CreatedAt  time.Time `json:"createdAt"`
	LastUsedAt time.Time `json:"lastUsedAt"`
	Current    bool      `json:"current"`
}

// Auth is the bound service behind "Join Cara", "Sign in" and the account
// screen. Tokens never cross to the UI: it only learns who is signed in.
type Auth struct {
	ctx      context.Context
	sessions *session.Manager
	log      *slog.Logger
	emit     emitFunc
}

// NewAuth returns the Auth service over the session manager.
func NewAuth(sessions *session.Manager, log *slog.Logger) *Auth {
	return &Auth{ctx: context.Background(), sessions: sessions, log: log, emit: runtime.EventsEmit}
}

// startup keeps Wails' context and forwards session expiry to the UI.
func (a *Auth) startup(ctx context.Context) {
	a.ctx = ctx
	a.sessions.OnExpired(func(message string) { a.emit(ctx, EventAuthExpired, message) })
}

// State reports who is signed in. At launch it waits for the silent sign-in
// from the keychain to finish.
func (a *Auth) State() (AuthState, error) {
	st, err := a.sessions.State(a.ctx)
	if err != nil {
		return AuthState{}, uiError(a.log, "Auth.State", err)
	}
	if !st.SignedIn {
		return AuthState{Notice: st.Notice}, nil
	}
	return AuthState{SignedIn: true, Account: accountDTO(st.Account), Notice: st.Notice}, nil
}

// Register creates an account and signs it in.
func (a *Auth) Register(in RegisterInput) (AuthState, error) {
	acc, err := a.sessions.Register(a.ctx, auth.Registration{
		Email: in.Email, Name: in.Name, Role: in.Role, Password: in.Password,
	})
	if err != nil {
		return AuthState{}, uiError(a.log, "Auth.Register", err)
	}
	return a.signedIn(acc), nil
}

// Login signs in with an e-mail and password.
func (a *Auth) Login(email, password string) (AuthState, error) {
	acc, err := a.sessions.Login(a.ctx, email, password)
	if err != nil {
		return AuthState{}, uiError(a.log, "Auth.Login", err)
	}
	return a.signedIn(acc), nil
}

// Logout signs out on this computer.
func (a *Auth) Logout() error {
	return uiError(a.log, "Auth.Logout", a.sessions.Logout(a.ctx))
}

// PasswordChecklist checks a password against every rule (the same ones
// Register and ChangePassword apply), for the live checklist. email may be
// empty or incomplete.
func (a *Auth) PasswordChecklist(password, email string) ([]PasswordRule, error) {
	rules := auth.PasswordChecklist(password, email)
	out := make([]PasswordRule, len(rules))
	for i, r := range rules {
		out[i] = PasswordRule{ID: r.ID, Message: r.Message, OK: r.OK}
	}
	return out, nil
}

// RoleSuggestions are offered under the free-text role field.
func (a *Auth) RoleSuggestions() ([]string, error) {
	return auth.RoleSuggestions(), nil
}

// ChangePassword sets a new password; every other session is signed out.
func (a *Auth) ChangePassword(current, next string) error {
	return uiError(a.log, "Auth.ChangePassword", a.sessions.ChangePassword(a.ctx, current, next))
}

// Sessions lists the signed-in devices, most recently used first.
func (a *Auth) Sessions() ([]SessionDTO, error) {
	list, err := a.sessions.Sessions(a.ctx)
	if err != nil {
		return nil, uiError(a.log, "Auth.Sessions", err)
	}
	out := make([]SessionDTO, len(list))
	for i, s := range list {
		out[i] = SessionDTO{ID: s.ID, Device: s.Device, CreatedAt: s.CreatedAt, LastUsedAt: s.LastUsedAt, Current: s.Current}
	}
	return out, nil
}

// RevokeSession signs one device out. Revoking this computer's own session
// signs out here; the returned state says so.
func (a *Auth) RevokeSession(id string) (AuthState, error) {
	if _, err := a.sessions.RevokeSession(a.ctx, id); err != nil {
		return AuthState{}, uiError(a.log, "Auth.RevokeSession", err)
	}
	return a.State()
}

func (a *Auth) signedIn(acc auth.Account) AuthState {
	return AuthState{SignedIn: true, Account: accountDTO(acc), Notice: a.sessions.TakeNotice()}
}

func accountDTO(acc auth.Account) *AccountDTO {
	return &AccountDTO{ID: acc.ID, Email: acc.Email, Name: acc.Name, Role: acc.Role, CreatedAt: acc.CreatedAt}
}
