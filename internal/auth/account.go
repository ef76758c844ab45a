package auth

import (
	"context"
	"errors"
	"fmt"

	"golang.org/x/crypto/bcrypt"
)

// Registration is the input of Register.
type Registration struct {
	Email    string
	Name     string
	Role     string // free text (RoleSuggestions offers some)
	Password string
	Device   string // label for the session list, e.g. "Cara on Linux"
}

// Register creates an account and signs it in on a new session.
//
// Errors: *cara.Error EINVALID for the e-mail, name or role; *PolicyError
// for a password that breaks rules; ErrEmailTaken.
func (s *Service) Register(ctx context.Context, r Registration) (Auth, error) {
	email, err := NormalizeEmail(r.Email)
	if err != nil {
		return Auth{}, err
	}
	name, err := cleanText(r.Name, MaxNameRunes, msgNameTooLong, msgNameChars)
	if err != nil {
		return Auth{}, err
	}
	if name == "" {
		return Auth{}, invalid(msgNameRequired)
	}
	role, err := cleanText(r.Role, MaxRoleRunes, msgRoleTooLong, msgRoleChars)
	if err != nil {
		return Auth{}, err
	}
	password := normPassword(r.Password)
	if err := checkPassword(password, email); err != nil {
		return Auth{}, err
	}
	// A cheap early answer; CreateUser's uniqueness is what really decides.
	if _, err := s.store.UserByEmail(ctx, email); err == nil {
		return Auth{}, ErrEmailTaken
	} else if !errors.Is(err, ErrNotFound) {
		return Auth{}, fmt.Errorf("auth: looking up email: %w", err)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), s.cost)
	if err != nil {
		return Auth{}, fmt.Errorf("auth: hashing password: %w", err)
	}
	now := s.now()
	u := User{
		ID: newID(now), Email: email, Name: name, Role: role,
		PasswordHash: hash, CreatedAt: now, UpdatedAt: now,
	}
	if err := s.store.CreateUser(ctx, u); err != nil {
		if errors.Is(err, ErrConflict) {
			return Auth{}, ErrEmailTaken
		}
		return Auth{}, fmt.Errorf("auth: creating user: %w", err)
	}
	tokens, err := s.startSession(ctx, u.ID, r.Device, now)
	if err != nil {
		return Auth{}, err
	}
	return Auth{Account: accountOf(u), Tokens: tokens}, nil
}

// Login checks an e-mail and password and signs in on a new session.
//
// An unknown e-mail and a wrong password both answer ErrInvalidCredentials,
// after one bcrypt comparison each (against a dummy hash for unknown
// e-mails), so neither the answer nor its time tells them apart. After 5
// failures in a row on one e-mail, further attempts wait 1 s, 2 s, 4 s …
// (at most 15 min) and are answered with a *ThrottledError until then,
// whether or not the account exists. A password over 72 bytes is never
// truncated: it simply fails.
func (s *Service) Login(ctx context.Context, email, password, device string) (Auth, error) {
	key, err := NormalizeEmail(email)
	if err != nil {
		// No account can have an invalid address; nothing to reveal or
		// throttle.
		return Auth{}, ErrInvalidCredentials
	}
	now := s.now()
	if err := s.beginAttempt(ctx, key, now); err != nil {
		return Auth{}, err
	}
	pw := normPassword(password)
	if len(pw) > MaxPasswordBytes {
		return Auth{}, ErrInvalidCredentials
	}
	u, err := s.store.UserByEmail(ctx, key)
	switch {
	case errors.Is(err, ErrNotFound):
		_ = bcrypt.CompareHashAndPassword(s.dummyHash(), []byte(pw))
		return Auth{}, ErrInvalidCredentials
	case err != nil:
		return Auth{}, fmt.Errorf("auth: looking up email: %w", err)
	}
	if bcrypt.CompareHashAndPassword(u.PasswordHash, []byte(pw)) != nil {
		return Auth{}, ErrInvalidCredentials
	}
	if err := s.clearAttempts(ctx, key); err != nil {
		return Auth{}, fmt.Errorf("auth: clearing throttle: %w", err)
	}
	// The session and its tokens start now, not before the password check:
	// bcrypt takes about 0.25 s at cost 12 (more under load), and tokens
	// stamped with the earlier time would be issued already that much old.
	tokens, err := s.startSession(ctx, u.ID, device, s.now())
	if err != nil {
		return Auth{}, err
	}
	return Auth{Account: accountOf(u), Tokens: tokens}, nil
}

// ChangePassword sets a new password after checking the current one, and
// revokes every other session of the user (sessionID, the caller's own, stays
// signed in). Wrong current passwords count towards the same throttle as
// sign-ins. Errors: ErrWrongPassword, *ThrottledError, *PolicyError,
// ErrAccountNotFound.
func (s *Service) ChangePassword(ctx context.Context, userID, sessionID, current, next string) error {
	u, err := s.store.UserByID(ctx, userID)
	switch {
	case errors.Is(err, ErrNotFound):
		return ErrAccountNotFound
	case err != nil:
		return fmt.Errorf("auth: looking up user: %w", err)
	}
	now := s.now()
	if err := s.beginAttempt(ctx, u.Email, now); err != nil {
		return err
	}
	cur := normPassword(current)
	if len(cur) > MaxPasswordBytes || bcrypt.CompareHashAndPassword(u.PasswordHash, []byte(cur)) != nil {
		return ErrWrongPassword
	}
	if err := s.clearAttempts(ctx, u.Email); err != nil {
		return fmt.Errorf("auth: clearing throttle: %w", err)
	}
	pw := normPassword(next)
	if pw == cur {
		return invalid(MsgSamePassword)
	}
	if err := checkPassword(pw, u.Email); err != nil {
		return err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(pw), s.cost)
	if err != nil {
		return fmt.Errorf("auth: hashing password: %w", err)
	}
	if err := s.store.SetPassword(ctx, userID, hash, sessionID, now); err != nil {
		if errors.Is(err, ErrNotFound) {
			return ErrAccountNotFound
		}
		return fmt.Errorf("auth: saving password: %w", err)
	}
	return nil
}

// Account returns the user's public profile.
func (s *Service) Account(ctx context.Context, userID string) (Account, error) {
	u, err := s.store.UserByID(ctx, userID)
	switch {
	case errors.Is(err, ErrNotFound):
		return Account{}, ErrAccountNotFound
	case err != nil:
		return Account{}, fmt.Errorf("auth: looking up user: %w", err)
	}
	return accountOf(u), nil
}
