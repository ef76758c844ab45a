// Command cara is the Cara desktop app; with arguments it is Cara's CLI.
//
// Environment:
//
//	CARA_DATA_DIR   where the database lives (default: the OS config dir + "Cara")
//	CARA_KEYCHAIN   "os" (default): the system keychain keeps the sign-in and
//	                the signing key; "memory": an in-memory keychain for demos
//	                and tests (each launch starts signed out)
//	CARA_GEMINI_BASE_URL  the Gemini endpoint, for tests and demo mode (e.g. a
//	                geminitest server); empty in production
//	CARA_QUEUE_INTERVAL  how often practices waiting for AI feedback are
//	                retried (a Go duration; default 30s)
//	CARA_HEARTBEAT_INTERVAL  how often the UI is told the app still runs, so
//	                a browser on wails dev can say when it has closed (a Go
//	                duration; default 5s)
package main

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/oklog/ulid/v2"
	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"

	"github.com/cara-coach/cara/app"
	"github.com/cara-coach/cara/internal/aisettings"
	"github.com/cara-coach/cara/internal/auth"
	"github.com/cara-coach/cara/internal/bolt"
	"github.com/cara-coach/cara/internal/cara"
	"github.com/cara-coach/cara/internal/cli"
	"github.com/cara-coach/cara/internal/coach"
	"github.com/cara-coach/cara/internal/keychain"
	"github.com/cara-coach/cara/internal/session"
)

// version is set at build time: -ldflags "-X main.version=…".
var version = "dev"

//go:embed all:frontend/dist
var assets embed.FS

//go:embed build/appicon.png
var icon []byte

func main() {
	if cli.IsCommand(os.Args[1:]) {
		os.Exit(cli.Run(os.Args[1:], version, os.Stdin, os.Stdout, os.Stderr))
	}
	if err := runDesktop(); err != nil {
		fmt.Fprintln(os.Stderr, "cara:", cara.ErrorMessage(err))
		if cara.ErrorCode(err) == cara.EINTERNAL {
			fmt.Fprintln(os.Stderr, "cara:", err)
		}
		os.Exit(1)
	}
}

// windowOptions are the window's settings, shared by a normal and a failed start.
func windowOptions(bind []any, onStartup, onShutdown func(context.Context)) *options.App {
	return &options.App{
		Title:            "Cara",
		Width:            1240,
		Height:           820,
		MinWidth:         900,
		MinHeight:        600,
		BackgroundColour: &options.RGBA{R: 250, G: 250, B: 249, A: 255},
		AssetServer:      &assetserver.Options{Assets: assets},
		OnStartup:        onStartup,
		OnShutdown:       onShutdown,
		Bind:             bind,
		Linux:            &linux.Options{Icon: icon, ProgramName: "cara"},
	}
}

// showStartupError opens the window with only the System service bound, so
// a person who started Cara from a menu (no terminal) sees why it can't run.
// The error is also printed, and the exit status is non-zero.
func showStartupError(dir string, err error) error {
	sys := app.NewFailedSystem(version, dir, cara.ErrorMessage(err))
	if werr := wails.Run(windowOptions([]any{sys}, sys.Startup, nil)); werr != nil {
		return errors.Join(err, werr)
	}
	return err
}

func runDesktop() error {
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	dir, err := bolt.DataDir()
	if err != nil {
		return err
	}
	kc, err := newKeychain()
	if err != nil {
		return err
	}
	if generatingBindings {
		// A throwaway store, so a build never locks or writes the real one.
		if dir, err = os.MkdirTemp("", "cara-bindings-"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		kc = keychain.NewMemory()
	}
	db, err := bolt.Open(dir)
	if cara.ErrorCode(err) == cara.EALREADYOPEN {
		return err // the running copy's window is already on screen
	}
	if err != nil {
		return showStartupError(dir, err)
	}
	newID := func() string { return ulid.Make().String() }
	keys := aisettings.New(kc, aisettings.Config{BaseURL: os.Getenv("CARA_GEMINI_BASE_URL")})
	usage := coach.NewAI(func(ctx context.Context, userID string) (coach.AIClient, error) {
		c, err := keys.Client(ctx, userID)
		if err != nil {
			return nil, err // a nil *gemini.Client must not become a non-nil interface
		}
		return c, nil
	}, db, time.Now)
	chats := coach.NewChats(db, usage, newID, time.Now)
	askCara := coach.NewAskCara(db, usage, time.Now)
	queueInterval, err := durationEnv("CARA_QUEUE_INTERVAL")
	if err != nil {
		return err
	}
	heartbeat, err := durationEnv("CARA_HEARTBEAT_INTERVAL")
	if err != nil {
		return err
	}
	services := app.NewServices(app.Deps{
		Sessions:          newSessions(db, kc, log),
		Reviews:           coach.NewReviews(db, newID, time.Now),
		AI:                keys,
		Usage:             usage,
		Chats:             chats,
		AskCara:           askCara,
		Translator:        coach.NewTranslator(usage),
		Queue:             coach.NewQueue(chats, askCara, db),
		QueueInterval:     queueInterval,
		HeartbeatInterval: heartbeat,
		Version:           version,
		DataDir:           dir,
		Log:               log,
		Closers:           []func() error{db.Close},
	})
	return wails.Run(windowOptions(services.Bind(), services.Startup, services.Shutdown))
}

// durationEnv reads an optional Go duration (e.g. "2s") from the environment.
func durationEnv(name string) (time.Duration, error) {
	v := os.Getenv(name)
	if v == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, cara.Errorf(cara.EINVALID, "%s must be a duration like 30s, not %q", name, v)
	}
	return d, nil
}

// newKeychain is the OS keychain (service "Cara"), or with
// CARA_KEYCHAIN=memory an in-memory one for demos and tests: it works, but
// forgets the sign-in when Cara quits.
func newKeychain() (session.Keychain, error) {
	switch v := os.Getenv("CARA_KEYCHAIN"); v {
	case "", "os":
		return keychain.NewOS(keychain.Options{}), nil
	case "memory":
		return keychain.NewMemory(), nil
	default:
		return nil, cara.Errorf(cara.EINVALID, "CARA_KEYCHAIN must be \"os\" or \"memory\", not %q", v)
	}
}

// newSessions is the desktop's sign-in: the auth service over the database,
// its signing key and refresh token in kc. The first account registered on
// this machine gets the reviews saved before accounts existed.
func newSessions(db *bolt.DB, kc session.Keychain, log *slog.Logger) *session.Manager {
	newAuth := func(kid string, keys map[string][]byte) (*auth.Service, error) {
		return auth.New(db, auth.WithSigningKeys(kid, keys))
	}
	claim := func(ctx context.Context, userID string) error {
		n, err := db.ClaimUnclaimedReviews(ctx, userID)
		if n > 0 {
			log.Info("earlier reviews given to the new account", "reviews", n)
		}
		return err
	}
	return session.New(kc, newAuth, session.Config{Claim: claim, Log: log})
}
