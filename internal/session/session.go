// Package session is the desktop's signed-in state: who is signed in on this
// computer, with which tokens, and how that survives a restart.
//
// A Manager wraps the auth service and the OS keychain (DESIGN §3,
// "Desktop" and "Keychain"):
//
//   - The access token lives only in this process's memory and never goes to
//     the UI. It is refreshed 2 minutes before it expires by a timer, and on
//     demand if it has expired anyway (say, the computer slept).
//   - The refresh token is kept in the keychain under KeyRefreshToken (and in
//     memory), rotated on every refresh, so the next launch signs in silently
//     (Restore).
//   - The access-token signing secret is 32 random bytes made on first run and
//     kept in the keychain under KeySigningKey.
//   - If the keychain is unavailable, everything still works for this launch;
//     the user just signs in each time, and is told so once (TakeNotice).
//   - If a refresh is refused (session revoked, expired, replayed), the user is
//     signed out here and the OnExpired callback gets MsgSessionExpired.
//
// Every method that serves user data calls Current first.
//
// Current's errors are *cara.Error with code EUNAUTHORIZED:
//   - "Please sign in." (ErrSignedOut) when nobody is signed in and no
//     session ended on its own since the last sign-in: never signed in this
//     launch, or signed out on purpose;
//   - "Session expired. Please log in again." (auth.ErrSessionExpired) when
//     the session ended without the user asking: its refresh was refused,
//     it was revoked elsewhere, or the stored one could not be restored.
//
// The package knows nothing of Wails.
package session

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/cara-coach/cara/internal/auth"
	"github.com/cara-coach/cara/internal/cara"
	"github.com/cara-coach/cara/internal/keychain"
)

// Keychain items.
const (
	// KeyRefreshToken holds the signed-in session's refresh token.
	KeyRefreshToken = "refresh-token"
	// KeySigningKey holds the access-token signing secret, "<kid>:<base64>".
	KeySigningKey = "signing-key-v1"
)

// Timing.
const (
	// RefreshBefore is how long before the access token expires the timer
	// refreshes it.
	RefreshBefore = 2 * time.Minute
	// RetryAfter is when a refresh that failed for a reason other than the
	// session (a storage error) is tried again.
	RetryAfter = 30 * time.Second
	// timerWork bounds a background refresh (store and keychain calls).
	timerWork = 30 * time.Second
)

// Messages for people.
const (
	// MsgSessionExpired is passed to OnExpired and said by Current after a
	// session ended on its own.
	MsgSessionExpired = "Session expired. Please log in again."
	// MsgSignIn is Current's answer when nobody is signed in.
	MsgSignIn = "Please sign in."
	// MsgKeychainUnavailable is the notice given once per launch when the
	// keychain can't be used.
	MsgKeychainUnavailable = keychain.UnavailableMessage + " You'll sign in each time you open Cara."
)

// ErrSignedOut is Current's error when nobody is signed in.
var ErrSignedOut = &cara.Error{Code: cara.EUNAUTHORIZED, Message: MsgSignIn}

// Keychain is what the Manager needs from a keychain: keychain.OS and
// keychain.Memory satisfy it. Get returns keychain.ErrNotFound for a missing
// item; any other error means the keychain is unavailable.
type Keychain interface {
	Get(ctx context.Context, key string) (string, error)
	Set(ctx context.Context, key, value string) error
	Delete(ctx context.Context, key string) error
}

// NewAuthFunc builds the auth service once the signing keys are known (they
// come from the keychain, which may be slow, so the Manager loads them in
// Restore rather than before the window opens).
type NewAuthFunc func(currentKID string, keys map[string][]byte) (*auth.Service, error)

// Config holds the Manager's optional settings.
type Config struct {
	// Device labels this computer's sessions; default DeviceLabel().
	Device string
	// Claim, if set, runs after Register with the new user's ID: the desktop
	// gives that user the reviews saved on this machine before accounts
	// existed. Its error is logged; the account is made either way.
	Claim func(ctx context.Context, userID string) error
	// Clock is the time source and timer factory; default the system clock.
	// Pass the same time to the auth service (auth.WithClock).
	Clock Clock
	// Log receives warnings (keychain trouble, failed refreshes); default
	// discards them. Secrets are never logged.
	Log *slog.Logger
}

// State is what the UI needs to know about the signed-in user.
type State struct {
	SignedIn bool
	Account  auth.Account // zero when signed out
	Notice   string       // a one-time message, or ""
}

// Manager is the signed-in state of this desktop app. It is safe for
// concurrent use. Call Restore (or StartRestore) once, first: every other
// method waits for it.
type Manager struct {
	kc      Keychain
	newAuth NewAuthFunc
	device  string
	claim   func(ctx context.Context, userID string) error
	clock   Clock
	log     *slog.Logger

	restoreOnce sync.Once
	ready       chan struct{} // closed when Restore has finished
	svc         *auth.Service // set before ready is closed; nil if start-up failed
	startErr    error

	mu        sync.Mutex
	cur       *signedIn // nil when signed out
	expired   bool      // the last session ended on its own
	onExpired func(message string)
	timer     Timer
	gen       uint64 // bumped whenever timer is replaced; stale callbacks see a different value
	closed    bool

	keychainNotice  string // pending notices, taken by TakeNotice
	expiredNotice   string
	keychainNoticed bool // the keychain notice was raised this launch
}

// signedIn is the current session's tokens. The access token never leaves
// this package.
type signedIn struct {
	userID    string
	sessionID string
	access    string
	accessExp time.Time
	refresh   string
}

// New returns a Manager over kc. newAuth builds the auth service from the
// signing keys, which Restore loads from kc.
func New(kc Keychain, newAuth NewAuthFunc, cfg Config) *Manager {
	m := &Manager{
		kc:      kc,
		newAuth: newAuth,
		device:  cfg.Device,
		claim:   cfg.Claim,
		clock:   cfg.Clock,
		log:     cfg.Log,
		ready:   make(chan struct{}),
	}
	if m.device == "" {
		m.device = DeviceLabel()
	}
	if m.clock == nil {
		m.clock = systemClock{}
	}
	if m.log == nil {
		m.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return m
}

// OnExpired sets the function told when a session ends on its own (refresh
// refused, session revoked elsewhere), with MsgSessionExpired. It is called
// without the Manager's lock held, from whichever goroutine found out (the
// refresh timer's, or a caller of Current).
func (m *Manager) OnExpired(f func(message string)) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.onExpired = f
}

// StartRestore runs Restore in the background, logging its error. Methods
// called meanwhile wait for it.
func (m *Manager) StartRestore(ctx context.Context) {
	go func() {
		if err := m.Restore(ctx); err != nil {
			m.log.Error("session: start-up", "err", err)
		}
	}()
}

// Restore starts the Manager: it loads (or makes) the signing key, builds
// the auth service, prunes dead sessions and signs in silently with the
// refresh token in the keychain, if there is one that still works. Only the
// first call does anything; later ones return its result.
//
// Not finding a token is not an error. A keychain that can't be reached
// leaves the user signed out with the keychain notice; a token the auth
// service refuses leaves them signed out with MsgSessionExpired as the
// notice. The error is for logs: a failed start-up (every method then
// fails) or a storage error during the silent sign-in.
func (m *Manager) Restore(ctx context.Context) error {
	var err error
	m.restoreOnce.Do(func() {
		defer close(m.ready)
		if err = m.start(ctx); err != nil {
			m.startErr = err
			return
		}
		err = m.restore(ctx)
	})
	return err
}

func (m *Manager) start(ctx context.Context) error {
	kid, keys, err := m.signingKeys(ctx)
	if err != nil {
		return err
	}
	svc, err := m.newAuth(kid, keys)
	if err != nil {
		return fmt.Errorf("session: starting the auth service: %w", err)
	}
	m.svc = svc
	if n, err := svc.Prune(ctx); err != nil {
		m.log.Warn("session: pruning old sessions", "err", err)
	} else if n > 0 {
		m.log.Info("session: pruned old sessions and tokens", "records", n)
	}
	return nil
}

func (m *Manager) restore(ctx context.Context) error {
	token, err := m.kc.Get(ctx, KeyRefreshToken)
	switch {
	case errors.Is(err, keychain.ErrNotFound):
		return nil
	case err != nil:
		m.mu.Lock()
		m.keychainTroubleLocked("reading the refresh token", err)
		m.mu.Unlock()
		return nil
	}
	t, err := m.svc.Refresh(ctx, token)
	m.mu.Lock()
	defer m.mu.Unlock()
	if err != nil {
		if !errors.Is(err, auth.ErrSessionExpired) {
			// A storage error: keep the token, it may work next launch.
			return fmt.Errorf("session: silent sign-in: %w", err)
		}
		m.log.Info("session: the saved sign-in no longer works", "reason", err)
		m.deleteRefreshLocked(ctx)
		m.expired = true
		m.expiredNotice = MsgSessionExpired
		return nil
	}
	if m.cur != nil || m.closed {
		// Cannot happen (methods wait for Restore); never overwrite.
		return nil
	}
	m.signInLocked(ctx, t)
	return nil
}

// waitReady waits for Restore and returns the auth service.
func (m *Manager) waitReady(ctx context.Context) (*auth.Service, error) {
	select {
	case <-m.ready:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if m.svc == nil {
		return nil, fmt.Errorf("session: not started: %w", m.startErr)
	}
	return m.svc, nil
}

// Current returns who is signed in, after checking the access token with the
// auth service (refreshing it first if it has expired). Every bound method
// that touches user data calls it first. Errors: ErrSignedOut,
// auth.ErrSessionExpired (both EUNAUTHORIZED), or an internal error (storage).
func (m *Manager) Current(ctx context.Context) (auth.Identity, error) {
	svc, err := m.waitReady(ctx)
	if err != nil {
		return auth.Identity{}, err
	}
	m.mu.Lock()
	if m.cur == nil {
		err := m.signedOutErrLocked()
		m.mu.Unlock()
		return auth.Identity{}, err
	}
	access, exp := m.cur.access, m.cur.accessExp
	now := m.clock.Now()
	m.mu.Unlock()

	if now.Before(exp) {
		id, err := svc.Verify(ctx, access)
		if err == nil {
			return id, nil
		}
		if !errors.Is(err, auth.ErrSessionExpired) {
			return auth.Identity{}, err
		}
		// The token is refused although it has not expired by our clock
		// (skew, or the session was revoked): a refresh settles which.
	}

	m.mu.Lock()
	var expired func()
	switch {
	case m.cur == nil:
		err = m.signedOutErrLocked()
	case m.cur.access == access: // nobody refreshed meanwhile
		expired, err = m.refreshLocked(ctx)
	}
	if err == nil {
		access = m.cur.access
	}
	m.mu.Unlock()
	if expired != nil {
		expired()
	}
	if err != nil {
		return auth.Identity{}, err
	}

	id, err := svc.Verify(ctx, access)
	if errors.Is(err, auth.ErrSessionExpired) {
		// A token minted just now is refused: the session ended in between.
		m.mu.Lock()
		if m.cur != nil && m.cur.access == access {
			expired = m.expireLocked(ctx)
		}
		m.mu.Unlock()
		if expired != nil {
			expired()
		}
		return auth.Identity{}, auth.ErrSessionExpired
	}
	return id, err
}

// State reports whether someone is signed in (checking the session as
// Current does), their account, and the pending notice.
func (m *Manager) State(ctx context.Context) (State, error) {
	svc, err := m.waitReady(ctx)
	if err != nil {
		return State{}, err
	}
	id, err := m.Current(ctx)
	if cara.ErrorCode(err) == cara.EUNAUTHORIZED {
		return State{Notice: m.PeekNotice()}, nil
	}
	if err != nil {
		return State{}, err
	}
	acc, err := svc.Account(ctx, id.UserID)
	if err != nil {
		return State{}, err
	}
	return State{SignedIn: true, Account: acc, Notice: m.PeekNotice()}, nil
}

// PeekNotice returns the pending notice without clearing it. State uses it:
// in the browser mode of `wails dev` a hidden window and the browser both ask
// at start-up, and both must hear it (the UI shows a given text once).
func (m *Manager) PeekNotice() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var parts []string
	for _, n := range []string{m.expiredNotice, m.keychainNotice} {
		if n != "" {
			parts = append(parts, n)
		}
	}
	return strings.Join(parts, " ")
}

// TakeNotice returns the pending one-time notice ("" if none) and clears it:
// the keychain notice (at most once per launch) or, after a failed silent
// sign-in, MsgSessionExpired.
func (m *Manager) TakeNotice() string {
	n := m.PeekNotice()
	m.mu.Lock()
	m.expiredNotice, m.keychainNotice = "", ""
	m.mu.Unlock()
	return n
}

// Register creates an account and signs it in on this computer (r.Device is
// set to the Manager's label). Whoever was signed in before is signed out.
// Errors are auth.Register's.
func (m *Manager) Register(ctx context.Context, r auth.Registration) (auth.Account, error) {
	svc, err := m.waitReady(ctx)
	if err != nil {
		return auth.Account{}, err
	}
	r.Device = m.device
	a, err := svc.Register(ctx, r)
	if err != nil {
		return auth.Account{}, err
	}
	m.replace(ctx, svc, a.Tokens)
	if m.claim != nil {
		if err := m.claim(ctx, a.Account.ID); err != nil {
			m.log.Error("session: giving this machine's earlier reviews to the new account", "err", err)
		}
	}
	return a.Account, nil
}

// Login signs in with an e-mail and password. Whoever was signed in before
// is signed out. Errors are auth.Login's (auth.ErrInvalidCredentials,
// *auth.ThrottledError).
func (m *Manager) Login(ctx context.Context, email, password string) (auth.Account, error) {
	svc, err := m.waitReady(ctx)
	if err != nil {
		return auth.Account{}, err
	}
	a, err := svc.Login(ctx, email, password, m.device)
	if err != nil {
		return auth.Account{}, err
	}
	m.replace(ctx, svc, a.Tokens)
	return a.Account, nil
}

// replace makes t the signed-in session, ending the previous one (if any).
func (m *Manager) replace(ctx context.Context, svc *auth.Service, t auth.Tokens) {
	m.mu.Lock()
	old := m.cur
	m.signInLocked(ctx, t)
	m.mu.Unlock()
	if old != nil && old.sessionID != t.SessionID {
		if err := svc.Logout(ctx, old.refresh); err != nil {
			m.log.Warn("session: ending the previous session", "err", err)
		}
	}
}

// Logout ends the session (the auth service revokes it) and forgets it here
// and in the keychain. Signing out when nobody is signed in is not an error.
// The user is signed out locally even if the store fails (that is logged).
func (m *Manager) Logout(ctx context.Context) error {
	svc, err := m.waitReady(ctx)
	if err != nil {
		return err
	}
	m.mu.Lock()
	old := m.cur
	m.clearLocked(ctx)
	m.expired = false
	m.mu.Unlock()
	if old != nil {
		if err := svc.Logout(ctx, old.refresh); err != nil {
			m.log.Error("session: revoking the session at sign-out", "err", err)
		}
	}
	return nil
}

// ChangePassword sets a new password after checking the current one; every
// other session of the user is signed out, this one stays. Errors: those of
// Current, auth.ErrWrongPassword, *auth.PolicyError, *auth.ThrottledError.
func (m *Manager) ChangePassword(ctx context.Context, current, next string) error {
	id, err := m.Current(ctx)
	if err != nil {
		return err
	}
	return m.svc.ChangePassword(ctx, id.UserID, id.SessionID, current, next)
}

// Sessions lists the signed-in user's live sessions, most recently used
// first, this one marked Current.
func (m *Manager) Sessions(ctx context.Context) ([]auth.SessionInfo, error) {
	id, err := m.Current(ctx)
	if err != nil {
		return nil, err
	}
	return m.svc.ListSessions(ctx, id.UserID, id.SessionID)
}

// RevokeSession signs one of the user's sessions out. Revoking this
// computer's own session is a Logout; signedOut reports that case. Errors:
// those of Current, auth.ErrSessionNotFound.
func (m *Manager) RevokeSession(ctx context.Context, sessionID string) (signedOut bool, err error) {
	id, err := m.Current(ctx)
	if err != nil {
		return false, err
	}
	if sessionID == id.SessionID {
		return true, m.Logout(ctx)
	}
	return false, m.svc.RevokeSession(ctx, id.UserID, sessionID)
}

// Shutdown stops the refresh timer. The session stays signed in (the next
// launch restores it); the access token dies with the process.
func (m *Manager) Shutdown() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.closed = true
	m.stopTimerLocked()
}

// --- internals; the *Locked methods need m.mu held ---

func (m *Manager) signedOutErrLocked() error {
	if m.expired {
		return auth.ErrSessionExpired
	}
	return ErrSignedOut
}

// signInLocked makes t the current session: kept in memory, its refresh
// token in the keychain, its refresh timer armed.
func (m *Manager) signInLocked(ctx context.Context, t auth.Tokens) {
	m.cur = &signedIn{
		userID: t.UserID, sessionID: t.SessionID,
		access: t.AccessToken, accessExp: t.AccessExpiresAt, refresh: t.RefreshToken,
	}
	m.expired = false
	m.expiredNotice = ""
	m.saveRefreshLocked(ctx, t.RefreshToken)
	m.scheduleLocked(t.AccessExpiresAt.Add(-RefreshBefore))
}

// refreshLocked exchanges the refresh token for new tokens. If the auth
// service refuses it, the user is signed out and the returned func (call it
// after unlocking) tells OnExpired; the error is then
// auth.ErrSessionExpired. Other errors (storage) leave the session as it is
// and retry the refresh soon.
func (m *Manager) refreshLocked(ctx context.Context) (expired func(), err error) {
	t, err := m.svc.Refresh(ctx, m.cur.refresh)
	if err != nil {
		if errors.Is(err, auth.ErrSessionExpired) {
			m.log.Info("session: refresh refused; signed out", "reason", err)
			return m.expireLocked(ctx), auth.ErrSessionExpired
		}
		m.log.Warn("session: refresh failed; will retry", "err", err)
		m.scheduleLocked(m.clock.Now().Add(RetryAfter))
		return nil, err
	}
	m.cur.access, m.cur.accessExp, m.cur.refresh = t.AccessToken, t.AccessExpiresAt, t.RefreshToken
	m.saveRefreshLocked(ctx, t.RefreshToken)
	m.scheduleLocked(t.AccessExpiresAt.Add(-RefreshBefore))
	return nil, nil
}

// expireLocked signs out because the session ended on its own, and returns
// the call to OnExpired to make once the lock is released.
func (m *Manager) expireLocked(ctx context.Context) func() {
	m.clearLocked(ctx)
	m.expired = true
	f := m.onExpired
	return func() {
		if f != nil {
			f(MsgSessionExpired)
		}
	}
}

// clearLocked forgets the session here and in the keychain.
func (m *Manager) clearLocked(ctx context.Context) {
	m.cur = nil
	m.stopTimerLocked()
	m.deleteRefreshLocked(ctx)
}

// saveRefreshLocked keeps the refresh token in the keychain. If that fails,
// the previous token is deleted, so that a used (rotated) token is not
// replayed at the next launch, and the keychain notice is raised.
func (m *Manager) saveRefreshLocked(ctx context.Context, token string) {
	err := m.kc.Set(ctx, KeyRefreshToken, token)
	if err == nil {
		return
	}
	m.keychainTroubleLocked("saving the refresh token", err)
	m.deleteRefreshLocked(ctx)
}

func (m *Manager) deleteRefreshLocked(ctx context.Context) {
	if err := m.kc.Delete(ctx, KeyRefreshToken); err != nil {
		m.keychainTroubleLocked("deleting the refresh token", err)
	}
}

// keychainTroubleLocked logs a keychain failure and raises the notice, once
// per launch.
func (m *Manager) keychainTroubleLocked(what string, err error) {
	m.log.Warn("session: keychain unavailable", "while", what, "err", err)
	if !m.keychainNoticed {
		m.keychainNoticed = true
		m.keychainNotice = MsgKeychainUnavailable
	}
}

// scheduleLocked arms the refresh timer for at (at once if at has passed).
func (m *Manager) scheduleLocked(at time.Time) {
	m.stopTimerLocked()
	if m.closed {
		return
	}
	d := at.Sub(m.clock.Now())
	if d < 0 {
		d = 0
	}
	gen := m.gen
	m.timer = m.clock.AfterFunc(d, func() { m.onTimer(gen) })
}

func (m *Manager) stopTimerLocked() {
	if m.timer != nil {
		m.timer.Stop()
		m.timer = nil
	}
	m.gen++
}

// onTimer refreshes the access token ahead of its expiry.
func (m *Manager) onTimer(gen uint64) {
	ctx, cancel := context.WithTimeout(context.Background(), timerWork)
	defer cancel()
	m.mu.Lock()
	if m.closed || gen != m.gen || m.cur == nil {
		m.mu.Unlock()
		return
	}
	m.timer = nil
	expired, _ := m.refreshLocked(ctx)
	m.mu.Unlock()
	if expired != nil {
		expired()
	}
}
