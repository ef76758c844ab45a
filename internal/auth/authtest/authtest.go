// Package authtest checks that an auth.Store keeps the contract documented
// on auth.Store. Every implementation runs it from its own tests:
//
//	func TestStore(t *testing.T) {
//		authtest.RunStoreTests(t, func(t *testing.T) auth.Store {
//			return openStore(t, t.TempDir())
//		})
//	}
package authtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/cara-coach/cara/internal/auth"
)

// RunStoreTests runs the conformance suite. newStore must return a new,
// empty Store for each call (e.g. over t.TempDir()) and arrange its closing
// with t.Cleanup.
func RunStoreTests(t *testing.T, newStore func(t *testing.T) auth.Store) {
	t.Helper()
	tests := []struct {
		name string
		run  func(t *testing.T, s auth.Store)
	}{
		{"UserRoundTrip", testUserRoundTrip},
		{"UserNotFound", testUserNotFound},
		{"UserConflicts", testUserConflicts},
		{"ConcurrentCreateUserSameEmail", testConcurrentCreateUser},
		{"ReturnedBytesAreCopies", testCopies},
		{"SetPassword", testSetPassword},
		{"SessionRoundTrip", testSessionRoundTrip},
		{"SessionConflicts", testSessionConflicts},
		{"UserSessions", testUserSessions},
		{"RevokeSession", testRevokeSession},
		{"RotateRefresh", testRotateRefresh},
		{"RotateRefreshRefusals", testRotateRefreshRefusals},
		{"ConcurrentRotateRefresh", testConcurrentRotate},
		{"UpdateThrottle", testUpdateThrottle},
		{"ConcurrentUpdateThrottle", testConcurrentThrottle},
		{"Prune", testPrune},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.run(t, newStore(t))
		})
	}
}

// base is a fixed instant with microseconds, in UTC: stores must keep at
// least microsecond precision.
var base = time.Date(2030, 1, 2, 3, 4, 5, 123456000, time.UTC)

func at(d time.Duration) time.Time { return base.Add(d) }

var seq struct {
	mu sync.Mutex
	n  int
}

func nextID(prefix string) string {
	seq.mu.Lock()
	defer seq.mu.Unlock()
	seq.n++
	return fmt.Sprintf("%s%020d", prefix, seq.n)
}

func newHash(t *testing.T) auth.TokenHash {
	t.Helper()
	var h auth.TokenHash
	if _, err := rand.Read(h[:]); err != nil {
		t.Fatal(err)
	}
	return h
}

func newUser(email string) auth.User {
	return auth.User{
		ID: nextID("U"), Email: email, Name: "Ana Lima", Role: "Engineer",
		PasswordHash: []byte("$2a$04$hash-of-" + email),
		CreatedAt:    at(0), UpdatedAt: at(time.Second),
	}
}

func newSession(userID string) auth.Session {
	return auth.Session{
		ID: nextID("S"), UserID: userID, Device: "Cara on Linux",
		CreatedAt: at(0), LastUsedAt: at(0), ExpiresAt: at(30 * 24 * time.Hour),
	}
}

func newRefresh(t *testing.T, sessionID string) auth.RefreshToken {
	return auth.RefreshToken{
		Hash: newHash(t), SessionID: sessionID,
		CreatedAt: at(0), ExpiresAt: at(7 * 24 * time.Hour),
	}
}

func mustCreateUser(t *testing.T, s auth.Store, email string) auth.User {
	t.Helper()
	u := newUser(email)
	if err := s.CreateUser(context.Background(), u); err != nil {
		t.Fatalf("CreateUser(%s): %v", email, err)
	}
	return u
}

func mustCreateSession(t *testing.T, s auth.Store, userID string) (auth.Session, auth.RefreshToken) {
	t.Helper()
	sess := newSession(userID)
	rt := newRefresh(t, sess.ID)
	if err := s.CreateSession(context.Background(), sess, rt); err != nil {
		t.Fatalf("CreateSession: %v", err)
	}
	return sess, rt
}

func mustSession(t *testing.T, s auth.Store, id string) auth.Session {
	t.Helper()
	sess, err := s.Session(context.Background(), id)
	if err != nil {
		t.Fatalf("Session(%s): %v", id, err)
	}
	return sess
}

func mustRefresh(t *testing.T, s auth.Store, h auth.TokenHash) auth.RefreshToken {
	t.Helper()
	r, err := s.RefreshToken(context.Background(), h)
	if err != nil {
		t.Fatalf("RefreshToken(%s): %v", h, err)
	}
	return r
}

func wantErr(t *testing.T, what string, got, want error) {
	t.Helper()
	if !errors.Is(got, want) {
		t.Fatalf("%s: got error %v, want %v", what, got, want)
	}
}

func sameTime(t *testing.T, what string, got, want time.Time) {
	t.Helper()
	if !got.Equal(want) {
		t.Errorf("%s: got %v, want %v", what, got, want)
	}
}

func equalUser(t *testing.T, got, want auth.User) {
	t.Helper()
	if got.ID != want.ID || got.Email != want.Email || got.Name != want.Name || got.Role != want.Role {
		t.Errorf("user: got %+v, want %+v", got, want)
	}
	if !bytes.Equal(got.PasswordHash, want.PasswordHash) {
		t.Errorf("PasswordHash: got %q, want %q", got.PasswordHash, want.PasswordHash)
	}
	sameTime(t, "CreatedAt", got.CreatedAt, want.CreatedAt)
	sameTime(t, "UpdatedAt", got.UpdatedAt, want.UpdatedAt)
}

func equalSession(t *testing.T, got, want auth.Session) {
	t.Helper()
	if got.ID != want.ID || got.UserID != want.UserID || got.Device != want.Device {
		t.Errorf("session: got %+v, want %+v", got, want)
	}
	sameTime(t, "CreatedAt", got.CreatedAt, want.CreatedAt)
	sameTime(t, "LastUsedAt", got.LastUsedAt, want.LastUsedAt)
	sameTime(t, "ExpiresAt", got.ExpiresAt, want.ExpiresAt)
	sameTime(t, "RevokedAt", got.RevokedAt, want.RevokedAt)
}

func equalRefresh(t *testing.T, got, want auth.RefreshToken) {
	t.Helper()
	if got.Hash != want.Hash || got.SessionID != want.SessionID || got.SuccessorHash != want.SuccessorHash {
		t.Errorf("refresh token: got %+v, want %+v", got, want)
	}
	if !bytes.Equal(got.SealedSuccessor, want.SealedSuccessor) {
		t.Errorf("SealedSuccessor: got %x, want %x", got.SealedSuccessor, want.SealedSuccessor)
	}
	sameTime(t, "CreatedAt", got.CreatedAt, want.CreatedAt)
	sameTime(t, "ExpiresAt", got.ExpiresAt, want.ExpiresAt)
	sameTime(t, "UsedAt", got.UsedAt, want.UsedAt)
}

func testUserRoundTrip(t *testing.T, s auth.Store) {
	ctx := context.Background()
	u := mustCreateUser(t, s, "ana@example.com")
	byID, err := s.UserByID(ctx, u.ID)
	if err != nil {
		t.Fatalf("UserByID: %v", err)
	}
	equalUser(t, byID, u)
	byEmail, err := s.UserByEmail(ctx, u.Email)
	if err != nil {
		t.Fatalf("UserByEmail: %v", err)
	}
	equalUser(t, byEmail, u)
	// Unicode names and a long role survive.
	v := newUser("zoë@example.com")
	v.Name, v.Role = "Zoë Ångström 😀", "Ingénieure logicielle"
	if err := s.CreateUser(ctx, v); err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	got, err := s.UserByEmail(ctx, "zoë@example.com")
	if err != nil {
		t.Fatalf("UserByEmail: %v", err)
	}
	equalUser(t, got, v)
}

func testUserNotFound(t *testing.T, s auth.Store) {
	ctx := context.Background()
	mustCreateUser(t, s, "ana@example.com")
	_, err := s.UserByID(ctx, "no-such-id")
	wantErr(t, "UserByID(unknown)", err, auth.ErrNotFound)
	_, err = s.UserByEmail(ctx, "bob@example.com")
	wantErr(t, "UserByEmail(unknown)", err, auth.ErrNotFound)
	// Emails are matched exactly: normalising is the Service's job.
	_, err = s.UserByEmail(ctx, "ANA@example.com")
	wantErr(t, "UserByEmail(other case)", err, auth.ErrNotFound)
}

func testUserConflicts(t *testing.T, s auth.Store) {
	ctx := context.Background()
	u := mustCreateUser(t, s, "ana@example.com")
	sameEmail := newUser("ana@example.com")
	wantErr(t, "CreateUser(same email)", s.CreateUser(ctx, sameEmail), auth.ErrConflict)
	sameID := newUser("other@example.com")
	sameID.ID = u.ID
	wantErr(t, "CreateUser(same ID)", s.CreateUser(ctx, sameID), auth.ErrConflict)
	// The failed inserts changed nothing.
	got, err := s.UserByEmail(ctx, "ana@example.com")
	if err != nil {
		t.Fatalf("UserByEmail: %v", err)
	}
	equalUser(t, got, u)
	_, err = s.UserByEmail(ctx, "other@example.com")
	wantErr(t, "UserByEmail(after conflicting insert)", err, auth.ErrNotFound)
}

func testConcurrentCreateUser(t *testing.T, s auth.Store) {
	const n = 10
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() { errs[i] = s.CreateUser(context.Background(), newUser("race@example.com")) })
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, auth.ErrConflict):
			t.Errorf("CreateUser: got %v, want nil or ErrConflict", err)
		}
	}
	if ok != 1 {
		t.Fatalf("concurrent CreateUser with one email: got %d successes, want 1", ok)
	}
}

func testCopies(t *testing.T, s auth.Store) {
	ctx := context.Background()
	u := newUser("ana@example.com")
	want := bytes.Clone(u.PasswordHash)
	if err := s.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	u.PasswordHash[0] = 'X' // the caller reuses its slice
	got, err := s.UserByID(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.PasswordHash, want) {
		t.Fatalf("store kept the caller's slice: got %q, want %q", got.PasswordHash, want)
	}
	got.PasswordHash[0] = 'Y' // the caller scribbles on what it got
	again, err := s.UserByID(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again.PasswordHash, want) {
		t.Fatalf("store handed out its own slice: got %q, want %q", again.PasswordHash, want)
	}

	sess, rt := mustCreateSession(t, s, u.ID)
	sealed := []byte("sealed-successor")
	next := newRefresh(t, sess.ID)
	mustRotate(t, s, auth.Rotation{Old: rt.Hash, Successor: next, Sealed: sealed, Now: at(time.Minute)})
	sealed[0] = 'X'
	r := mustRefresh(t, s, rt.Hash)
	if string(r.SealedSuccessor) != "sealed-successor" {
		t.Fatalf("store kept the caller's Sealed slice: got %q", r.SealedSuccessor)
	}
	r.SealedSuccessor[0] = 'Y'
	if r2 := mustRefresh(t, s, rt.Hash); string(r2.SealedSuccessor) != "sealed-successor" {
		t.Fatalf("store handed out its own SealedSuccessor: got %q", r2.SealedSuccessor)
	}
}

func testSetPassword(t *testing.T, s auth.Store) {
	ctx := context.Background()
	u := mustCreateUser(t, s, "ana@example.com")
	other := mustCreateUser(t, s, "bob@example.com")
	keep, _ := mustCreateSession(t, s, u.ID)
	drop1, _ := mustCreateSession(t, s, u.ID)
	drop2, _ := mustCreateSession(t, s, u.ID)
	bobs, _ := mustCreateSession(t, s, other.ID)
	// An already revoked session keeps its first RevokedAt.
	if err := s.RevokeSession(ctx, drop2.ID, at(time.Minute)); err != nil {
		t.Fatal(err)
	}
	now := at(time.Hour)
	if err := s.SetPassword(ctx, u.ID, []byte("new-hash"), keep.ID, now); err != nil {
		t.Fatalf("SetPassword: %v", err)
	}
	got, err := s.UserByID(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if string(got.PasswordHash) != "new-hash" {
		t.Errorf("PasswordHash: got %q, want %q", got.PasswordHash, "new-hash")
	}
	sameTime(t, "UpdatedAt", got.UpdatedAt, now)
	sameTime(t, "kept session RevokedAt", mustSession(t, s, keep.ID).RevokedAt, time.Time{})
	sameTime(t, "other session RevokedAt", mustSession(t, s, drop1.ID).RevokedAt, now)
	sameTime(t, "already revoked RevokedAt", mustSession(t, s, drop2.ID).RevokedAt, at(time.Minute))
	sameTime(t, "another user's session RevokedAt", mustSession(t, s, bobs.ID).RevokedAt, time.Time{})

	// keepSessionID "" revokes all.
	if err := s.SetPassword(ctx, u.ID, []byte("newer"), "", at(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	sameTime(t, "RevokedAt after SetPassword(keep none)", mustSession(t, s, keep.ID).RevokedAt, at(2*time.Hour))

	wantErr(t, "SetPassword(unknown user)", s.SetPassword(ctx, "nobody", []byte("x"), "", now), auth.ErrNotFound)
}

func testSessionRoundTrip(t *testing.T, s auth.Store) {
	ctx := context.Background()
	u := mustCreateUser(t, s, "ana@example.com")
	sess, rt := mustCreateSession(t, s, u.ID)
	equalSession(t, mustSession(t, s, sess.ID), sess)
	equalRefresh(t, mustRefresh(t, s, rt.Hash), rt)
	_, err := s.Session(ctx, "no-such-session")
	wantErr(t, "Session(unknown)", err, auth.ErrNotFound)
	_, err = s.RefreshToken(ctx, newHash(t))
	wantErr(t, "RefreshToken(unknown)", err, auth.ErrNotFound)
}

func testSessionConflicts(t *testing.T, s auth.Store) {
	ctx := context.Background()
	u := mustCreateUser(t, s, "ana@example.com")
	sess, rt := mustCreateSession(t, s, u.ID)

	again := newSession(u.ID)
	again.ID = sess.ID
	wantErr(t, "CreateSession(same ID)", s.CreateSession(ctx, again, newRefresh(t, again.ID)), auth.ErrConflict)

	fresh := newSession(u.ID)
	dup := newRefresh(t, fresh.ID)
	dup.Hash = rt.Hash
	wantErr(t, "CreateSession(same token hash)", s.CreateSession(ctx, fresh, dup), auth.ErrConflict)
	// All or nothing: the session was not created without its token.
	_, err := s.Session(ctx, fresh.ID)
	wantErr(t, "Session(after failed CreateSession)", err, auth.ErrNotFound)
	equalRefresh(t, mustRefresh(t, s, rt.Hash), rt)
}

func testUserSessions(t *testing.T, s auth.Store) {
	ctx := context.Background()
	u := mustCreateUser(t, s, "ana@example.com")
	other := mustCreateUser(t, s, "bob@example.com")
	a, _ := mustCreateSession(t, s, u.ID)
	b, _ := mustCreateSession(t, s, u.ID)
	c, _ := mustCreateSession(t, s, u.ID)
	mustCreateSession(t, s, other.ID)
	if err := s.RevokeSession(ctx, b.ID, at(time.Minute)); err != nil {
		t.Fatal(err)
	}
	list, err := s.UserSessions(ctx, u.ID)
	if err != nil {
		t.Fatalf("UserSessions: %v", err)
	}
	var ids []string
	for _, x := range list {
		ids = append(ids, x.ID)
		if x.ID == a.ID {
			equalSession(t, x, a)
		}
	}
	sort.Strings(ids)
	want := []string{a.ID, c.ID}
	sort.Strings(want)
	if fmt.Sprint(ids) != fmt.Sprint(want) {
		t.Errorf("UserSessions: got %v, want %v (live sessions of this user only)", ids, want)
	}
	none, err := s.UserSessions(ctx, "nobody")
	if err != nil || len(none) != 0 {
		t.Errorf("UserSessions(unknown): got %v, %v, want none, nil", none, err)
	}
}

func testRevokeSession(t *testing.T, s auth.Store) {
	ctx := context.Background()
	u := mustCreateUser(t, s, "ana@example.com")
	sess, _ := mustCreateSession(t, s, u.ID)
	if err := s.RevokeSession(ctx, sess.ID, at(time.Minute)); err != nil {
		t.Fatalf("RevokeSession: %v", err)
	}
	if err := s.RevokeSession(ctx, sess.ID, at(time.Hour)); err != nil {
		t.Fatalf("RevokeSession(again): got %v, want nil", err)
	}
	sameTime(t, "RevokedAt", mustSession(t, s, sess.ID).RevokedAt, at(time.Minute))
	wantErr(t, "RevokeSession(unknown)", s.RevokeSession(ctx, "no-such-session", at(0)), auth.ErrNotFound)
}

// mustRotate rotates and fails the test unless the store did.
func mustRotate(t *testing.T, s auth.Store, r auth.Rotation) auth.Rotated {
	t.Helper()
	got, err := s.RotateRefresh(context.Background(), r)
	if err != nil || !got.Done {
		t.Fatalf("RotateRefresh: rotated %v, %v; want rotated", got.Done, err)
	}
	return got
}

func testRotateRefresh(t *testing.T, s auth.Store) {
	ctx := context.Background()
	u := mustCreateUser(t, s, "ana@example.com")
	sess, a := mustCreateSession(t, s, u.ID)
	// The store gives the successor its session.
	b := newRefresh(t, "")
	b.CreatedAt, b.ExpiresAt = at(time.Hour), at(time.Hour+7*24*time.Hour)
	now := at(time.Hour)
	got := mustRotate(t, s, auth.Rotation{Old: a.Hash, Successor: b, Sealed: []byte("box-b"), Now: now})
	// What was found, as it was before.
	equalRefresh(t, got.Old, a)
	equalSession(t, got.Session, sess)
	wantA := a
	wantA.UsedAt, wantA.SuccessorHash, wantA.SealedSuccessor = now, b.Hash, []byte("box-b")
	equalRefresh(t, mustRefresh(t, s, a.Hash), wantA)
	wantB := b
	wantB.SessionID = sess.ID
	equalRefresh(t, mustRefresh(t, s, b.Hash), wantB)
	sameTime(t, "session LastUsedAt", mustSession(t, s, sess.ID).LastUsedAt, now)

	// Rotating A again finds A used, naming B, and changes nothing.
	c := newRefresh(t, "")
	again, err := s.RotateRefresh(ctx, auth.Rotation{Old: a.Hash, Successor: c, Sealed: []byte("box-c"), Now: at(2 * time.Hour)})
	if err != nil || again.Done {
		t.Fatalf("RotateRefresh(used token): rotated %v, %v; want found, not rotated", again.Done, err)
	}
	equalRefresh(t, again.Old, wantA)
	_, err = s.RefreshToken(ctx, c.Hash)
	wantErr(t, "RefreshToken(losing successor)", err, auth.ErrNotFound)
	sameTime(t, "session LastUsedAt after losing rotation", mustSession(t, s, sess.ID).LastUsedAt, now)

	// The chain goes on from B.
	mustRotate(t, s, auth.Rotation{Old: b.Hash, Successor: c, Sealed: []byte("box-c"), Now: at(3 * time.Hour)})
	if r := mustRefresh(t, s, b.Hash); r.SuccessorHash != c.Hash {
		t.Errorf("B's successor: got %s, want %s", r.SuccessorHash, c.Hash)
	}

	// A successor never outlives its session.
	short := newSession(u.ID)
	short.ExpiresAt = at(2 * time.Hour)
	first := newRefresh(t, short.ID)
	first.ExpiresAt = short.ExpiresAt
	if err := s.CreateSession(ctx, short, first); err != nil {
		t.Fatal(err)
	}
	capped := newRefresh(t, "")
	capped.ExpiresAt = at(time.Hour + 7*24*time.Hour)
	mustRotate(t, s, auth.Rotation{Old: first.Hash, Successor: capped, Sealed: []byte("box"), Now: at(time.Hour)})
	sameTime(t, "successor's ExpiresAt in a session ending sooner", mustRefresh(t, s, capped.Hash).ExpiresAt, short.ExpiresAt)
}

// testRotateRefreshRefusals: a token that may not be used is found, with
// its session, and nothing changes.
func testRotateRefreshRefusals(t *testing.T, s auth.Store) {
	ctx := context.Background()
	u := mustCreateUser(t, s, "ana@example.com")

	_, err := s.RotateRefresh(ctx, auth.Rotation{Old: newHash(t), Successor: newRefresh(t, ""), Now: at(0)})
	wantErr(t, "RotateRefresh(unknown token)", err, auth.ErrNotFound)

	tests := []struct {
		name string
		// prepare makes the session and token, and returns the rotation's time.
		prepare func(t *testing.T) (auth.Session, auth.RefreshToken, time.Time)
	}{
		{"revoked session", func(t *testing.T) (auth.Session, auth.RefreshToken, time.Time) {
			sess, a := mustCreateSession(t, s, u.ID)
			if err := s.RevokeSession(ctx, sess.ID, at(time.Minute)); err != nil {
				t.Fatal(err)
			}
			sess.RevokedAt = at(time.Minute)
			return sess, a, at(time.Hour)
		}},
		{"expired token", func(t *testing.T) (auth.Session, auth.RefreshToken, time.Time) {
			sess, a := mustCreateSession(t, s, u.ID)
			return sess, a, a.ExpiresAt // expiry is the first moment it no longer works
		}},
		{"expired session", func(t *testing.T) (auth.Session, auth.RefreshToken, time.Time) {
			sess := newSession(u.ID)
			sess.ExpiresAt = at(time.Hour)
			a := newRefresh(t, sess.ID)
			if err := s.CreateSession(ctx, sess, a); err != nil {
				t.Fatal(err)
			}
			return sess, a, at(time.Hour)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sess, a, now := tt.prepare(t)
			b := newRefresh(t, "")
			got, err := s.RotateRefresh(ctx, auth.Rotation{Old: a.Hash, Successor: b, Sealed: []byte("box"), Now: now})
			if errors.Is(err, auth.ErrNotFound) && tt.name == "revoked session" {
				return // allowed: RevokeSession may delete the session's tokens
			}
			if err != nil || got.Done {
				t.Fatalf("RotateRefresh: rotated %v, %v; want found, not rotated", got.Done, err)
			}
			equalRefresh(t, got.Old, a)
			equalSession(t, got.Session, sess)
			_, err = s.RefreshToken(ctx, b.Hash)
			wantErr(t, "RefreshToken(successor not made)", err, auth.ErrNotFound)
			equalRefresh(t, mustRefresh(t, s, a.Hash), a)
			sameTime(t, "session LastUsedAt", mustSession(t, s, sess.ID).LastUsedAt, sess.LastUsedAt)
		})
	}

	// A successor hash that already exists is a conflict, not an overwrite.
	_, c := mustCreateSession(t, s, u.ID)
	_, d := mustCreateSession(t, s, u.ID)
	clash := newRefresh(t, "")
	clash.Hash = d.Hash
	_, err = s.RotateRefresh(ctx, auth.Rotation{Old: c.Hash, Successor: clash, Sealed: []byte("box"), Now: at(time.Hour)})
	wantErr(t, "RotateRefresh(existing successor hash)", err, auth.ErrConflict)
	equalRefresh(t, mustRefresh(t, s, c.Hash), c)
	equalRefresh(t, mustRefresh(t, s, d.Hash), d)
}

func testConcurrentRotate(t *testing.T, s auth.Store) {
	ctx := context.Background()
	u := mustCreateUser(t, s, "ana@example.com")
	sess, a := mustCreateSession(t, s, u.ID)
	const n = 20
	successors := make([]auth.RefreshToken, n)
	for i := range successors {
		successors[i] = newRefresh(t, sess.ID)
	}
	got := make([]auth.Rotated, n)
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			got[i], errs[i] = s.RotateRefresh(ctx, auth.Rotation{
				Old: a.Hash, Successor: successors[i], Sealed: []byte{byte(i)}, Now: at(time.Duration(i) * time.Millisecond),
			})
		})
	}
	close(start)
	wg.Wait()
	winner := -1
	for i, err := range errs {
		switch {
		case err != nil:
			t.Fatalf("rotation %d: %v", i, err)
		case got[i].Done:
			if winner >= 0 {
				t.Fatalf("rotations %d and %d both rotated; want exactly one", winner, i)
			}
			winner = i
		}
	}
	if winner < 0 {
		t.Fatal("no rotation succeeded")
	}
	for i := range n {
		// The winner found A unused; every other call found it used, naming the winner's successor.
		if i != winner && got[i].Old.SuccessorHash != successors[winner].Hash {
			t.Errorf("rotation %d sees successor %s, want the winner's %s", i, got[i].Old.SuccessorHash, successors[winner].Hash)
		}
		_, err := s.RefreshToken(ctx, successors[i].Hash)
		if i == winner && err != nil {
			t.Errorf("winner's successor: got %v, want stored", err)
		}
		if i != winner && !errors.Is(err, auth.ErrNotFound) {
			t.Errorf("loser %d's successor: got %v, want ErrNotFound", i, err)
		}
	}
}

func testUpdateThrottle(t *testing.T, s auth.Store) {
	ctx := context.Background()
	var seen auth.Throttle
	want := auth.Throttle{Failures: 1, LastFailureAt: at(0), LockedUntil: at(time.Second), ExpiresAt: at(24 * time.Hour)}
	got, err := s.UpdateThrottle(ctx, "ana@example.com", func(th auth.Throttle) auth.Throttle {
		seen = th
		return want
	})
	if err != nil {
		t.Fatalf("UpdateThrottle: %v", err)
	}
	if !seen.IsZero() {
		t.Errorf("first UpdateThrottle saw %+v, want the zero Throttle", seen)
	}
	if got.Failures != 1 || !got.LockedUntil.Equal(want.LockedUntil) {
		t.Errorf("UpdateThrottle returned %+v, want %+v", got, want)
	}
	_, err = s.UpdateThrottle(ctx, "ana@example.com", func(th auth.Throttle) auth.Throttle {
		seen = th
		th.Failures++
		return th
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen.Failures != 1 || !seen.LastFailureAt.Equal(want.LastFailureAt) ||
		!seen.LockedUntil.Equal(want.LockedUntil) || !seen.ExpiresAt.Equal(want.ExpiresAt) {
		t.Errorf("stored throttle: got %+v, want %+v", seen, want)
	}
	// Keys are independent.
	if _, err := s.UpdateThrottle(ctx, "bob@example.com", func(th auth.Throttle) auth.Throttle {
		seen = th
		return th
	}); err != nil {
		t.Fatal(err)
	}
	if !seen.IsZero() {
		t.Errorf("another key saw %+v, want zero", seen)
	}
	// A zero result deletes.
	if _, err := s.UpdateThrottle(ctx, "ana@example.com", func(auth.Throttle) auth.Throttle { return auth.Throttle{} }); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateThrottle(ctx, "ana@example.com", func(th auth.Throttle) auth.Throttle {
		seen = th
		return th
	}); err != nil {
		t.Fatal(err)
	}
	if !seen.IsZero() {
		t.Errorf("after reset: got %+v, want zero", seen)
	}
}

func testConcurrentThrottle(t *testing.T, s auth.Store) {
	const n = 50
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			_, err := s.UpdateThrottle(context.Background(), "ana@example.com", func(th auth.Throttle) auth.Throttle {
				th.Failures++
				th.LastFailureAt, th.ExpiresAt = at(0), at(time.Hour)
				return th
			})
			if err != nil {
				t.Errorf("UpdateThrottle: %v", err)
			}
		})
	}
	wg.Wait()
	got, err := s.UpdateThrottle(context.Background(), "ana@example.com", func(th auth.Throttle) auth.Throttle { return th })
	if err != nil {
		t.Fatal(err)
	}
	if got.Failures != n {
		t.Fatalf("after %d concurrent increments: got Failures %d, want %d (lost updates)", n, got.Failures, n)
	}
}

func testPrune(t *testing.T, s auth.Store) {
	ctx := context.Background()
	u := mustCreateUser(t, s, "ana@example.com")
	now := at(5 * 24 * time.Hour)

	live, liveTok := mustCreateSession(t, s, u.ID)
	// A refresh token of the live session that expired: pruned.
	oldTok := newRefresh(t, live.ID)
	oldTok.ExpiresAt = now
	mustRotate(t, s, auth.Rotation{Old: liveTok.Hash, Successor: oldTok, Sealed: []byte("x"), Now: at(time.Hour)})
	revoked, revokedTok := mustCreateSession(t, s, u.ID)
	if err := s.RevokeSession(ctx, revoked.ID, at(time.Hour)); err != nil {
		t.Fatal(err)
	}
	expired := newSession(u.ID)
	expired.ExpiresAt = now
	expiredTok := newRefresh(t, expired.ID)
	expiredTok.ExpiresAt = now.Add(time.Hour) // outlived its session: pruned with it
	if err := s.CreateSession(ctx, expired, expiredTok); err != nil {
		t.Fatal(err)
	}
	for key, exp := range map[string]time.Time{"stale@example.com": now, "fresh@example.com": now.Add(time.Second)} {
		if _, err := s.UpdateThrottle(ctx, key, func(auth.Throttle) auth.Throttle {
			return auth.Throttle{Failures: 3, LastFailureAt: at(0), ExpiresAt: exp}
		}); err != nil {
			t.Fatal(err)
		}
	}

	n, err := s.Prune(ctx, now)
	if err != nil {
		t.Fatalf("Prune: %v", err)
	}
	// Deleted: oldTok, revoked + its token, expired + its token, one throttle.
	if n != 6 {
		t.Errorf("Prune: got %d deleted, want 6", n)
	}
	mustSession(t, s, live.ID)
	mustRefresh(t, s, liveTok.Hash) // used, but not expired: kept for replay detection
	userStillThere(t, s, u)
	for what, h := range map[string]auth.TokenHash{"expired token": oldTok.Hash, "revoked session's token": revokedTok.Hash, "expired session's token": expiredTok.Hash} {
		_, err := s.RefreshToken(ctx, h)
		wantErr(t, "RefreshToken("+what+") after Prune", err, auth.ErrNotFound)
	}
	for what, id := range map[string]string{"revoked": revoked.ID, "expired": expired.ID} {
		_, err := s.Session(ctx, id)
		wantErr(t, "Session("+what+") after Prune", err, auth.ErrNotFound)
	}
	check := func(key string, wantFailures int) {
		t.Helper()
		got, err := s.UpdateThrottle(ctx, key, func(th auth.Throttle) auth.Throttle { return th })
		if err != nil {
			t.Fatal(err)
		}
		if got.Failures != wantFailures {
			t.Errorf("throttle %s after Prune: got Failures %d, want %d", key, got.Failures, wantFailures)
		}
	}
	check("stale@example.com", 0)
	check("fresh@example.com", 3)
}

func userStillThere(t *testing.T, s auth.Store, u auth.User) {
	t.Helper()
	if _, err := s.UserByID(context.Background(), u.ID); err != nil {
		t.Errorf("Prune deleted a user: %v", err)
	}
}
