package app

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/cara-coach/cara/internal/aisettings"
	"github.com/cara-coach/cara/internal/auth"
	"github.com/cara-coach/cara/internal/auth/memstore"
	"github.com/cara-coach/cara/internal/bolt"
	"github.com/cara-coach/cara/internal/coach"
	"github.com/cara-coach/cara/internal/gemini/geminitest"
	"github.com/cara-coach/cara/internal/keychain"
	"github.com/cara-coach/cara/internal/session"
)

const testPassword = "Lantern-Harbour-42"

// testApp is the bound services over an in-memory auth store, an in-memory
// keychain and a bbolt file for practices, against a fake Gemini, with
// emitted events recorded.
type testApp struct {
	*Services
	store  *memstore.Store
	kc     *keychain.Memory
	db     *bolt.DB
	dbPath string
	gemini *geminitest.Server // the fake Gemini behind Settings
	// netDown cuts the line to the fake Gemini: connections are dropped
	// as on a dead network.
	netDown atomic.Bool
	logs    *bytes.Buffer
	events  *events
}

// newTestApp builds the services; setup runs before the start-up restore.
func newTestApp(t *testing.T, setup ...func(*testApp)) *testApp {
	t.Helper()
	dbDir := t.TempDir()
	db, err := bolt.Open(dbDir)
	if err != nil {
		t.Fatal(err)
	}
	ta := &testApp{
		store:  memstore.New(),
		kc:     keychain.NewMemory(),
		db:     db,
		dbPath: filepath.Join(dbDir, bolt.FileName),
		logs:   &bytes.Buffer{},
		events: &events{},
		gemini: geminitest.New(geminitest.Options{}),
	}
	t.Cleanup(ta.gemini.Close)
	fake := ta.gemini.Handler()
	line := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ta.netDown.Load() {
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					conn.Close()
					return
				}
			}
		}
		fake.ServeHTTP(w, r)
	}))
	t.Cleanup(line.Close)
	log := slog.New(slog.NewTextHandler(ta.logs, nil))
	mgr := session.New(ta.kc, func(kid string, keys map[string][]byte) (*auth.Service, error) {
		return auth.New(ta.store, auth.WithSigningKeys(kid, keys), auth.WithBcryptCost(4))
	}, session.Config{Device: "Cara on test-box (Linux)", Log: log})
	t.Cleanup(mgr.Shutdown)
	keys := aisettings.New(ta.kc, aisettings.Config{BaseURL: line.URL, Timeout: 5 * time.Second})
	d := aiDeps(db, keys)
	d.Sessions, d.Log, d.Version, d.DataDir = mgr, log, "test", t.TempDir()
	ta.Services = NewServices(d)
	t.Cleanup(func() { ta.Shutdown(context.Background()); db.Close() })
	ta.setEmit(ta.events.record)
	for _, f := range setup {
		f(ta)
	}
	ta.start(context.Background())
	return ta
}

// aiDeps wires the practice services over db the way main.go does.
func aiDeps(db *bolt.DB, keys *aisettings.Settings) Deps {
	newID := func() string { return ulid.Make().String() }
	usage := coach.NewAI(func(ctx context.Context, userID string) (coach.AIClient, error) {
		c, err := keys.Client(ctx, userID)
		if err != nil {
			return nil, err
		}
		return c, nil
	}, db, time.Now)
	chats := coach.NewChats(db, usage, newID, time.Now)
	askCara := coach.NewAskCara(db, usage, time.Now)
	return Deps{
		Reviews:    coach.NewReviews(db, newID, time.Now),
		AI:         keys,
		Usage:      usage,
		Chats:      chats,
		AskCara:    askCara,
		Translator: coach.NewTranslator(usage),
		Queue:      coach.NewQueue(chats, askCara, db),
	}
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
	mu    sync.Mutex
	got   []string
	beats []string // EventAppAlive payloads, kept apart
}

func (e *events) record(_ context.Context, name string, data ...any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	b, _ := json.Marshal(data)
	if name == EventAppAlive {
		// The heartbeat comes by itself; tests of other events don't list it.
		e.beats = append(e.beats, string(b))
		return
	}
	e.got = append(e.got, name+" "+string(b))
}

// heartbeats returns the payloads of the EventAppAlive events so far.
func (e *events) heartbeats() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.beats...)
}

func (e *events) list() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.got...)
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
