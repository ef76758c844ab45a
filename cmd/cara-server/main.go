// Command cara-server is the hosted Cara API (DESIGN §7): the seed's auth
// endpoints, practice data and analytics, and an optional Gemini proxy, on
// PostgreSQL (DATABASE_URL) or, in development, an embedded bbolt file.
//
//	cara-server               serve (configuration from the environment and ./.env)
//	cara-server migrate       apply database migrations and exit
//	cara-server --version
//
// It builds without cgo: CGO_ENABLED=0 go build ./cmd/cara-server
package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/cara-coach/cara/internal/auth"
	"github.com/cara-coach/cara/internal/bolt"
	"github.com/cara-coach/cara/internal/cara"
	"github.com/cara-coach/cara/internal/gemini"
	"github.com/cara-coach/cara/internal/postgres"
	"github.com/cara-coach/cara/internal/server"
	"github.com/cara-coach/cara/internal/storetimeout"
)

// version is stamped by the build (-ldflags "-X main.version=…").
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Environ(), os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is main without the process: ctx is cancelled on SIGINT/SIGTERM.
// Exit codes: 0 after a clean stop, 1 on a start-up or serving failure, 2
// for a usage error.
func run(ctx context.Context, args []string, environ []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("cara-server", flag.ContinueOnError)
	fs.SetOutput(stderr)
	showVersion := fs.Bool("version", false, "print the version and exit")
	envFile := fs.String("env-file", defaultEnvFile, "a .env file to read (variables already set win); the default may be missing, a file named here must exist")
	port := fs.String("port", "", "listen port (overrides PORT)")
	env := fs.String("env", "", "development or production (overrides CARA_ENV)")
	dataDir := fs.String("data-dir", "", "embedded store folder when DATABASE_URL is unset (overrides CARA_DATA_DIR)")
	frontend := fs.String("frontend-url", "", "allowed browser origins, comma-separated (overrides FRONTEND_URL)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: cara-server [flags]          serve the API")
		fmt.Fprintln(stderr, "       cara-server migrate [flags]  apply database migrations and exit")
		fmt.Fprintln(stderr, "       cara-server --version")
		fs.PrintDefaults()
	}
	migrateOnly := false
	if len(args) > 0 && args[0] == "migrate" {
		migrateOnly, args = true, args[1:]
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "cara-server: unknown argument %q\n", fs.Arg(0))
		fs.Usage()
		return 2
	}
	if *showVersion {
		fmt.Fprintln(stdout, "cara-server", version)
		return 0
	}

	fileEnv, err := readEnvFile(*envFile, *envFile == defaultEnvFile)
	if err != nil {
		fmt.Fprintf(stderr, "cara-server: %v\n", err)
		return 1
	}
	procEnv := envMap(environ)
	overrides := map[string]string{"PORT": *port, "CARA_ENV": *env, "CARA_DATA_DIR": *dataDir, "FRONTEND_URL": *frontend}
	getenv := func(k string) string {
		if v := overrides[k]; v != "" {
			return v
		}
		if v, ok := procEnv[k]; ok {
			return v
		}
		return fileEnv.vars[k]
	}
	log := slog.New(slog.NewJSONHandler(stdout, nil))
	// Said before the configuration is checked: where a setting came from
	// is what explains a surprising one (a stray .env making production).
	logEnvSources(log, fileEnv, procEnv, overrides)
	load := server.LoadConfig
	if migrateOnly {
		load = server.LoadMigrateConfig
	}
	cfg, err := load(getenv)
	if err != nil {
		var ce *server.ConfigError
		if errors.As(err, &ce) {
			for _, p := range ce.Problems {
				fmt.Fprintf(stderr, "cara-server: %s\n", p)
			}
		} else {
			fmt.Fprintf(stderr, "cara-server: %v\n", err)
		}
		return 1
	}
	if migrateOnly {
		return migrate(ctx, cfg, log)
	}
	return serve(ctx, cfg, log)
}

// store is what a backend gives the server.
type store = storetimeout.Inner

type backend struct {
	store store
	ping  func(context.Context) error
	close func()
	desc  string
}

func dataDir(cfg server.Config) (string, error) {
	if cfg.DataDir != "" {
		return cfg.DataDir, nil
	}
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("no CARA_DATA_DIR and no config folder: %w", err)
	}
	return filepath.Join(base, "Cara", "server"), nil
}

// open opens PostgreSQL (migrating it) or the embedded file.
func open(ctx context.Context, cfg server.Config, log *slog.Logger) (*backend, error) {
	if cfg.DatabaseURL != "" {
		db, err := postgres.Open(ctx, cfg.DatabaseURL)
		if err != nil {
			return nil, err
		}
		from, to, err := db.Migrate(ctx)
		if err != nil {
			db.Close()
			return nil, err
		}
		if from == to {
			log.Info("database up to date", "store", "postgres", "version", to)
		} else {
			log.Info("database migrated", "store", "postgres", "from_version", from, "to_version", to)
		}
		return &backend{store: db, ping: db.Ping, close: db.Close, desc: "postgres"}, nil
	}
	dir, err := dataDir(cfg)
	if err != nil {
		return nil, err
	}
	db, err := bolt.Open(dir)
	if cara.ErrorCode(err) == cara.EALREADYOPEN {
		// bolt's own words are the desktop app's ("Cara is already running").
		return nil, fmt.Errorf("another cara-server is using %s (the embedded store takes one instance; use PostgreSQL for more)", dir)
	}
	if err != nil {
		return nil, fmt.Errorf("embedded store in %s: %w", dir, err)
	}
	p, err := db.Practice()
	if err != nil {
		db.Close()
		return nil, err
	}
	return &backend{store: bolt.ServerStore{DB: db, PracticeStore: p}, ping: p.Ping, close: func() { db.Close() }, desc: "bbolt " + db.Path}, nil
}

func migrate(ctx context.Context, cfg server.Config, log *slog.Logger) int {
	b, err := open(ctx, cfg, log)
	if err != nil {
		log.Error("migrate failed", "error", err.Error())
		return 1
	}
	b.close()
	log.Info("migrate finished", "store", b.desc)
	return 0
}

// keyID names the signing key after a hash of it, so a new JWT_SECRET gets
// a new kid and tokens signed with the old one are rejected cleanly.
func keyID(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return "k" + hex.EncodeToString(sum[:4])
}

func serve(ctx context.Context, cfg server.Config, log *slog.Logger) int {
	log.Info("cara-server starting", "version", version, "env", cfg.Env, "port", cfg.Port,
		"frontend_origins", cfg.FrontendURLs, "gemini_proxy", cfg.GeminiAPIKey != "", "sentry", cfg.SentryDSN != "",
		"auth_rate_per_min", cfg.AuthRatePerMin, "api_rate_per_min", cfg.APIRatePerMin, "database_timeout", cfg.DatabaseTimeout.String())
	if cfg.Production() && cfg.DefaultFrontend {
		log.Warn("FRONTEND_URL is not set: browsers may call this server only from " + server.DefaultFrontendURL + "; set it to your web app's origin")
	}
	if cfg.GeneratedSecrets {
		log.Warn("JWT_SECRET and JWT_REFRESH_SECRET are not set: using secrets made up for this run (development only); access tokens stop working at restart")
	}
	b, err := open(ctx, cfg, log)
	if err != nil {
		log.Error("cannot open the store", "error", err.Error())
		return 1
	}
	defer b.close()
	if cfg.DatabaseURL == "" {
		log.Warn("no DATABASE_URL: using the embedded store (development, single instance)", "store", b.desc)
	}

	// Every store call has a deadline: a database that stops answering
	// makes requests answer 503, not hang.
	st := storetimeout.New(b.store, cfg.DatabaseTimeout)
	kid := keyID(cfg.JWTSecret)
	svc, err := auth.New(st, auth.WithSigningKeys(kid, map[string][]byte{kid: []byte(cfg.JWTSecret)}))
	if err != nil {
		log.Error("cannot start the auth service", "error", err.Error())
		return 1
	}
	deps := server.Deps{Auth: svc, Practice: st, Ready: b.ping, Logger: log}
	if cfg.GeminiAPIKey != "" {
		gc, err := gemini.New(ctx, gemini.Config{APIKey: cfg.GeminiAPIKey, BaseURL: cfg.GeminiBaseURL, Model: cfg.GeminiModel})
		if err != nil {
			log.Error("cannot set up Gemini", "error", err.Error())
			return 1
		}
		deps.Gemini = gc
	}
	if cfg.SentryDSN != "" {
		hub, err := server.NewSentryHub(cfg, version)
		if err != nil {
			log.Error("cannot set up Sentry", "error", err.Error())
			return 1
		}
		deps.Sentry = hub
		defer hub.Flush(5 * time.Second)
	}
	srv := server.New(cfg, deps)

	ln, err := net.Listen("tcp", net.JoinHostPort("", strconv.Itoa(cfg.Port)))
	if err != nil {
		log.Error("cannot listen", "port", cfg.Port, "error", err.Error())
		return 1
	}
	httpSrv := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      2 * time.Minute, // a Gemini call may take a minute
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	pruneCtx, stopPrune := context.WithCancel(context.Background())
	defer stopPrune()
	go pruneDaily(pruneCtx, svc, log)

	served := make(chan error, 1)
	go func() { served <- httpSrv.Serve(ln) }()
	// The port actually bound (PORT=0 picks one): the place to read it.
	log.Info("cara-server listening", "addr", ln.Addr().String(), "port", ln.Addr().(*net.TCPAddr).Port, "store", b.desc)

	select {
	case err := <-served:
		log.Error("server stopped", "error", err.Error())
		return 1
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing in-flight requests", "timeout", cfg.ShutdownTimeout.String())
	shutCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := httpSrv.Shutdown(shutCtx); err != nil {
		// Exiting cuts the requests still running: say how many.
		log.Error("shutdown did not finish in time", "error", err.Error(),
			"timeout", cfg.ShutdownTimeout.String(), "in_flight", srv.InFlight())
		return 1
	}
	log.Info("cara-server stopped")
	return 0
}

// pruneDaily deletes dead sessions, tokens and throttle records at start
// and then once a day.
func pruneDaily(ctx context.Context, svc *auth.Service, log *slog.Logger) {
	t := time.NewTicker(24 * time.Hour)
	defer t.Stop()
	for {
		if n, err := svc.Prune(ctx); err != nil && ctx.Err() == nil {
			log.Warn("prune failed", "error", err.Error())
		} else if n > 0 {
			log.Info("pruned expired sessions and tokens", "records", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
