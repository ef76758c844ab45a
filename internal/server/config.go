package server

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/cara-coach/cara/internal/storetimeout"
)

// Environments.
const (
	EnvDevelopment = "development"
	EnvProduction  = "production"
)

// Defaults (DESIGN §7; PORT 3001 and FRONTEND_URL as in the seed).
const (
	DefaultPort              = 3001
	DefaultFrontendURL       = "http://localhost:3000"
	DefaultGeminiDailyTokens = 50_000
	// DefaultGeminiMaxOutput caps a proxied reply, thinking included: long
	// enough for any coaching answer, and the most one call reserves of a
	// user's quota beyond its prompt.
	DefaultGeminiMaxOutput = 8192
	DefaultAuthRatePerMin  = 20
	DefaultAPIRatePerMin   = 300
	DefaultMaxBodyBytes    = 1 << 20
	DefaultShutdownTimeout = 30 * time.Second
	minSecretChars         = 32
	// minSecretDistinct: a random 32-character secret, even in hex, has
	// about 14 different characters; fewer than 8 means it was typed.
	minSecretDistinct = 8
)

// Config is cara-server's configuration, read from the environment (and a
// .env file) by LoadConfig; flags may override the non-secret fields.
type Config struct {
	Env          string // EnvDevelopment or EnvProduction (CARA_ENV)
	Port         int    // PORT
	DataDir      string // CARA_DATA_DIR: the embedded store when DatabaseURL is empty
	DatabaseURL  string // DATABASE_URL
	JWTSecret    string // JWT_SECRET: signs access tokens (HS256)
	RefreshKey   string // JWT_REFRESH_SECRET: see README (kept for the seed's deployment contract)
	FrontendURLs []string
	// DefaultFrontend: FRONTEND_URL was unset, so only DefaultFrontendURL is
	// allowed (worth a warning in production).
	DefaultFrontend bool
	// GeneratedSecrets is set when development made up the JWT secrets.
	GeneratedSecrets bool

	GeminiAPIKey          string // GEMINI_API_KEY: the proxy is off without it
	GeminiBaseURL         string // CARA_GEMINI_BASE_URL: another Gemini-compatible endpoint (tests)
	GeminiModel           string // GEMINI_MODEL
	GeminiDailyTokens     int    // GEMINI_DAILY_TOKEN_LIMIT, per user per UTC day
	GeminiMaxOutputTokens int    // GEMINI_MAX_OUTPUT_TOKENS: a reply's cap, thinking included

	SentryDSN string // SENTRY_DSN

	AuthRatePerMin   int           // RATE_LIMIT_AUTH: per client IP on /api/auth/{register,login,refresh}
	APIRatePerMin    int           // RATE_LIMIT_API: per user on the rest of /api
	MaxBodyBytes     int64         // MAX_BODY_BYTES
	TrustedProxyHops int           // TRUSTED_PROXY_HOPS: X-Forwarded-For entries added by your own proxies
	ShutdownTimeout  time.Duration // SHUTDOWN_TIMEOUT: how long SIGTERM waits for in-flight requests
	DatabaseTimeout  time.Duration // DATABASE_TIMEOUT: the most one store call may take before the request answers 503
}

// Production reports whether the server runs in production mode.
func (c Config) Production() bool { return c.Env == EnvProduction }

// CookieSecure says whether the refresh cookie carries Secure: always,
// except in development when every allowed frontend is http://localhost
// (browsers drop Secure cookies on plain http).
func (c Config) CookieSecure() bool {
	if c.Production() {
		return true
	}
	for _, o := range c.FrontendURLs {
		u, err := url.Parse(o)
		if err != nil || u.Scheme != "http" || !isLoopbackHost(u.Hostname()) {
			return true
		}
	}
	return false
}

func isLoopbackHost(h string) bool {
	return h == "localhost" || h == "127.0.0.1" || h == "::1"
}

// ConfigError lists every problem found, one per line.
type ConfigError struct{ Problems []string }

func (e *ConfigError) Error() string { return strings.Join(e.Problems, "\n") }

// LoadConfig reads the configuration through getenv (os.Getenv, or a map in
// tests) and validates it. In production DATABASE_URL, JWT_SECRET and
// JWT_REFRESH_SECRET are required, every missing one is named in one
// message, and the secrets must be at least 32 characters and different. In
// development missing secrets are generated (GeneratedSecrets).
func LoadConfig(getenv func(string) string) (Config, error) {
	var problems []string
	c := Config{
		Env:                   strings.TrimSpace(getenv("CARA_ENV")),
		DataDir:               getenv("CARA_DATA_DIR"),
		DatabaseURL:           strings.TrimSpace(getenv("DATABASE_URL")),
		JWTSecret:             getenv("JWT_SECRET"),
		RefreshKey:            getenv("JWT_REFRESH_SECRET"),
		GeminiAPIKey:          strings.TrimSpace(getenv("GEMINI_API_KEY")),
		GeminiBaseURL:         strings.TrimSpace(getenv("CARA_GEMINI_BASE_URL")),
		GeminiModel:           strings.TrimSpace(getenv("GEMINI_MODEL")),
		SentryDSN:             strings.TrimSpace(getenv("SENTRY_DSN")),
		Port:                  DefaultPort,
		GeminiDailyTokens:     DefaultGeminiDailyTokens,
		GeminiMaxOutputTokens: DefaultGeminiMaxOutput,
		AuthRatePerMin:        DefaultAuthRatePerMin,
		APIRatePerMin:         DefaultAPIRatePerMin,
		MaxBodyBytes:          DefaultMaxBodyBytes,
		ShutdownTimeout:       DefaultShutdownTimeout,
		DatabaseTimeout:       storetimeout.DefaultTimeout,
	}
	if c.Env == "" {
		c.Env = EnvDevelopment
	}
	if c.Env != EnvDevelopment && c.Env != EnvProduction {
		problems = append(problems, fmt.Sprintf("CARA_ENV must be %q or %q, not %q", EnvDevelopment, EnvProduction, c.Env))
	}

	ints := []struct {
		name     string
		dst      *int
		min, max int
	}{
		{"PORT", &c.Port, 0, 65535}, // 0: any free port (tests)
		{"GEMINI_DAILY_TOKEN_LIMIT", &c.GeminiDailyTokens, 1, 1 << 40},
		{"GEMINI_MAX_OUTPUT_TOKENS", &c.GeminiMaxOutputTokens, minReplyTokens, 65_536},
		{"RATE_LIMIT_AUTH", &c.AuthRatePerMin, 1, 1_000_000},
		{"RATE_LIMIT_API", &c.APIRatePerMin, 1, 1_000_000},
		{"TRUSTED_PROXY_HOPS", &c.TrustedProxyHops, 0, 10},
	}
	for _, x := range ints {
		raw := strings.TrimSpace(getenv(x.name))
		if raw == "" {
			continue
		}
		n, err := strconv.Atoi(raw)
		if err != nil || n < x.min || n > x.max {
			problems = append(problems, fmt.Sprintf("%s must be a whole number from %d to %d, not %q", x.name, x.min, x.max, raw))
			continue
		}
		*x.dst = n
	}
	if raw := strings.TrimSpace(getenv("MAX_BODY_BYTES")); raw != "" {
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || n < 1024 || n > 64<<20 {
			problems = append(problems, fmt.Sprintf("MAX_BODY_BYTES must be a whole number from 1024 to %d, not %q", 64<<20, raw))
		} else {
			c.MaxBodyBytes = n
		}
	}
	durations := []struct {
		name, example string
		dst           *time.Duration
		min, max      time.Duration
	}{
		{"SHUTDOWN_TIMEOUT", "30s", &c.ShutdownTimeout, time.Nanosecond, 24 * time.Hour},
		{"DATABASE_TIMEOUT", "5s", &c.DatabaseTimeout, 100 * time.Millisecond, 5 * time.Minute},
	}
	for _, x := range durations {
		raw := strings.TrimSpace(getenv(x.name))
		if raw == "" {
			continue
		}
		d, err := time.ParseDuration(raw)
		switch {
		case err != nil || d <= 0:
			problems = append(problems, fmt.Sprintf("%s must be a duration such as %s, not %q", x.name, x.example, raw))
		case d < x.min || d > x.max:
			problems = append(problems, fmt.Sprintf("%s must be from %s to %s, not %q", x.name, x.min, x.max, raw))
		default:
			*x.dst = d
		}
	}

	frontend := getenv("FRONTEND_URL")
	if strings.TrimSpace(frontend) == "" {
		frontend, c.DefaultFrontend = DefaultFrontendURL, true
	}
	for _, o := range strings.Split(frontend, ",") {
		o = strings.TrimRight(strings.TrimSpace(o), "/")
		if o == "" {
			continue
		}
		if err := checkOrigin(o); err != nil {
			problems = append(problems, fmt.Sprintf("FRONTEND_URL %q %v", o, err))
			continue
		}
		c.FrontendURLs = append(c.FrontendURLs, o)
	}

	if c.Production() {
		var missing []string
		for _, v := range []struct{ name, val string }{
			{"DATABASE_URL", c.DatabaseURL}, {"JWT_SECRET", c.JWTSecret}, {"JWT_REFRESH_SECRET", c.RefreshKey},
		} {
			if strings.TrimSpace(v.val) == "" {
				missing = append(missing, v.name)
			}
		}
		if len(missing) > 0 {
			problems = append(problems, "Missing required environment variables: "+strings.Join(missing, ", "))
		}
	} else if c.JWTSecret == "" && c.RefreshKey == "" {
		c.JWTSecret, c.RefreshKey = randomSecret(), randomSecret()
		c.GeneratedSecrets = true
	}
	for _, v := range []struct{ name, val string }{{"JWT_SECRET", c.JWTSecret}, {"JWT_REFRESH_SECRET", c.RefreshKey}} {
		switch n := distinctChars(v.val); {
		case v.val == "":
		case len(v.val) < minSecretChars:
			problems = append(problems, fmt.Sprintf("%s must be at least %d characters (it has %d)", v.name, minSecretChars, len(v.val)))
		case c.Production() && n < minSecretDistinct:
			// 32 × "a" is long enough and guessable at once.
			chars := "characters"
			if n == 1 {
				chars = "character"
			}
			problems = append(problems, fmt.Sprintf("%s must be random: it has only %d different %s (at least %d); `openssl rand -base64 48` makes a good one", v.name, n, chars, minSecretDistinct))
		}
	}
	if !c.GeneratedSecrets {
		switch {
		case (c.JWTSecret == "") != (c.RefreshKey == "") && !c.Production():
			problems = append(problems, "Set both JWT_SECRET and JWT_REFRESH_SECRET, or neither (development then generates them)")
		case c.JWTSecret != "" && c.JWTSecret == c.RefreshKey:
			problems = append(problems, "JWT_SECRET and JWT_REFRESH_SECRET must be different")
		}
	}
	if c.Production() && c.DatabaseURL == "" && c.DataDir != "" {
		// Stated so nobody thinks CARA_DATA_DIR stands in for PostgreSQL.
		problems = append(problems, "In production cara-server stores data in PostgreSQL (DATABASE_URL); CARA_DATA_DIR is for development only")
	}
	if len(problems) > 0 {
		return Config{}, &ConfigError{Problems: problems}
	}
	return c, nil
}

// LoadMigrateConfig reads what `cara-server migrate` uses: CARA_ENV,
// DATABASE_URL and CARA_DATA_DIR. Production requires only DATABASE_URL;
// the secrets and the other settings are the server's, not the migration's.
func LoadMigrateConfig(getenv func(string) string) (Config, error) {
	var problems []string
	c := Config{
		Env:         strings.TrimSpace(getenv("CARA_ENV")),
		DataDir:     getenv("CARA_DATA_DIR"),
		DatabaseURL: strings.TrimSpace(getenv("DATABASE_URL")),
	}
	if c.Env == "" {
		c.Env = EnvDevelopment
	}
	if c.Env != EnvDevelopment && c.Env != EnvProduction {
		problems = append(problems, fmt.Sprintf("CARA_ENV must be %q or %q, not %q", EnvDevelopment, EnvProduction, c.Env))
	}
	if c.Production() && c.DatabaseURL == "" {
		problems = append(problems, "Missing required environment variables: DATABASE_URL")
	}
	if len(problems) > 0 {
		return Config{}, &ConfigError{Problems: problems}
	}
	return c, nil
}

// distinctChars counts the different characters in s.
func distinctChars(s string) int {
	seen := map[rune]bool{}
	for _, r := range s {
		seen[r] = true
	}
	return len(seen)
}

// checkOrigin accepts scheme://host[:port] with nothing after it.
func checkOrigin(o string) error {
	u, err := url.Parse(o)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("must be an origin such as https://cara.example.com")
	}
	if u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return fmt.Errorf("must be an origin only (scheme, host and port), with no path")
	}
	return nil
}

func randomSecret() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}
