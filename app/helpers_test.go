package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/cara-coach/cara/internal/aisettings"
	"github.com/cara-coach/cara/internal/auth"
	"github.com/cara-coach/cara/internal/auth/memstore"
	"github.com/cara-coach/cara/internal/cara"
	"github.com/cara-coach/cara/internal/coach"
	"github.com/cara-coach/cara/internal/gemini/geminitest"
	"github.com/cara-coach/cara/internal/keychain"
	"github.com/cara-coach/cara/internal/session"
)

const testPassword = "Lantern-Harbour-42"

// testApp is the bound services over an in-memory auth store, an in-memory
// keychain and an in-memory review store, with emitted events recorded.
type testApp struct {
	*Services
	store   *memstore.Store
	kc      *keychain.Memory
	reviews *fakeReviews
	gemini  *geminitest.Server // the fake Gemini behind Settings
	logs    *bytes.Buffer
	events  *events
}

// newTestApp builds the services; setup runs before the start-up restore.
func newTestApp(t *testing.T, setup ...func(*testApp)) *testApp {
	t.Helper()
	ta := &testApp{
		store:   memstore.New(),
		kc:      keychain.NewMemory(),
		reviews: &fakeReviews{byUser: map[string][]coach.Review{}},
		logs:    &bytes.Buffer{},
		events:  &events{},
		gemini:  geminitest.New(geminitest.Options{}),
	}
	t.Cleanup(ta.gemini.Close)
	log := slog.New(slog.NewTextHandler(ta.logs, nil))
	mgr := session.New(ta.kc, func(kid string, keys map[string][]byte) (*auth.Service, error) {
		return auth.New(ta.store, auth.WithSigningKeys(kid, keys), auth.WithBcryptCost(4))
	}, session.Config{Device: "Cara on test-box (Linux)", Log: log})
	t.Cleanup(mgr.Shutdown)
	n := 0
	reviews := coach.NewReviews(ta.reviews, func() string { n++; return fmt.Sprintf("r%03d", n) }, time.Now)
	ta.Services = NewServices(Deps{Sessions: mgr, Reviews: reviews, AI: aisettings.New(ta.kc, aisettings.Config{BaseURL: ta.gemini.URL(), Timeout: 5 * time.Second}), Version: "test", DataDir: t.TempDir(), Log: log})
	ta.Auth.emit = ta.events.record
	for _, f := range setup {
		f(ta)
	}
	ta.start(context.Background())
	return ta
}

func (ta *testApp) register(t *testing.T, email string) AuthState {
	t.Helper()
	st, err := ta.Auth.Register(RegisterInput{Email: email, Name: "Ada", Role: "Engineer", Password: testPassword})
	if err != nil {
		t.Fatalf("Register(%s): %v", email, err)
	}
	return st
}

// events records emitted events.
type events struct {
	mu  sync.Mutex
	got []string
}

func (e *events) record(_ context.Context, name string, data ...any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	b, _ := json.Marshal(data)
	e.got = append(e.got, name+" "+string(b))
}

func (e *events) list() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.got...)
}

// fakeReviews is a coach.ReviewStore keeping each user's reviews apart.
type fakeReviews struct {
	mu     sync.Mutex
	byUser map[string][]coach.Review
}

var errNoReview = cara.Errorf(cara.ENOTFOUND, "That review no longer exists")

func (f *fakeReviews) CreateReview(_ context.Context, userID string, r coach.Review) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.byUser[userID] = append(f.byUser[userID], r)
	return nil
}

func (f *fakeReviews) ListReviews(_ context.Context, userID string) ([]coach.ReviewSummary, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := []coach.ReviewSummary{}
	for _, r := range f.byUser[userID] {
		out = append(out, r.Summary())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID > out[j].ID })
	return out, nil
}

func (f *fakeReviews) GetReview(_ context.Context, userID, id string) (coach.Review, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, r := range f.byUser[userID] {
		if r.ID == id {
			return r, nil
		}
	}
	return coach.Review{}, errNoReview
}

func (f *fakeReviews) DeleteReview(_ context.Context, userID, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	list := f.byUser[userID]
	for i, r := range list {
		if r.ID == id {
			f.byUser[userID] = append(list[:i], list[i+1:]...)
			return nil
		}
	}
	return errNoReview
}

// jsonOf marshals v as the UI receives it.
func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// uiErrorParts reads the {code, message} a rejected promise carries ("", ""
// for nil).
func uiErrorParts(t *testing.T, err error) (code, message string) {
	t.Helper()
	if err == nil {
		return "", ""
	}
	var e struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	}
	if jerr := json.Unmarshal([]byte(err.Error()), &e); jerr != nil {
		t.Fatalf("error %q is not {code, message} JSON: %v", err, jerr)
	}
	return e.Code, e.Message
}
