package server

import (
	"strings"
	"testing"
	"time"
)

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

var (
	secretA = "Zq3vR8kLp2Xw9Nt5Bm7Hc4Jd6Fg1Ys0A"        // 32 characters, as random as they come
	secretB = "k7Qe2Wr9Ty4Ui1Op8As5Df3Gh6Jk0LzXcVbNm12" // 40
)

func TestLoadConfigValidation(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want []string // every problem, in order; nil for success
	}{
		{"production with nothing", map[string]string{"CARA_ENV": "production"},
			[]string{"Missing required environment variables: DATABASE_URL, JWT_SECRET, JWT_REFRESH_SECRET"}},
		{"production missing one", map[string]string{"CARA_ENV": "production", "DATABASE_URL": "postgres://x", "JWT_SECRET": secretA},
			[]string{"Missing required environment variables: JWT_REFRESH_SECRET"}},
		{"production short secret", map[string]string{"CARA_ENV": "production", "DATABASE_URL": "postgres://x", "JWT_SECRET": "short", "JWT_REFRESH_SECRET": secretB},
			[]string{"JWT_SECRET must be at least 32 characters (it has 5)"}},
		{"production same secrets", map[string]string{"CARA_ENV": "production", "DATABASE_URL": "postgres://x", "JWT_SECRET": secretA, "JWT_REFRESH_SECRET": secretA},
			[]string{"JWT_SECRET and JWT_REFRESH_SECRET must be different"}},
		{"production ok", map[string]string{"CARA_ENV": "production", "DATABASE_URL": "postgres://x", "JWT_SECRET": secretA, "JWT_REFRESH_SECRET": secretB}, nil},
		{"production repetitive secret", map[string]string{"CARA_ENV": "production", "DATABASE_URL": "postgres://x", "JWT_SECRET": strings.Repeat("a", 32), "JWT_REFRESH_SECRET": strings.Repeat("ab", 20)},
			[]string{"JWT_SECRET must be random: it has only 1 different character (at least 8); `openssl rand -base64 48` makes a good one",
				"JWT_REFRESH_SECRET must be random: it has only 2 different characters (at least 8); `openssl rand -base64 48` makes a good one"}},
		{"production hex secret is fine", map[string]string{"CARA_ENV": "production", "DATABASE_URL": "postgres://x", "JWT_SECRET": "9f86d081884c7d659a2feaa0c55ad015", "JWT_REFRESH_SECRET": secretB}, nil},
		{"development tolerates a repetitive secret", map[string]string{"JWT_SECRET": strings.Repeat("a", 32), "JWT_REFRESH_SECRET": strings.Repeat("b", 32)}, nil},
		{"development generates", map[string]string{}, nil},
		{"development half set", map[string]string{"JWT_SECRET": secretA},
			[]string{"Set both JWT_SECRET and JWT_REFRESH_SECRET, or neither (development then generates them)"}},
		{"bad env and port", map[string]string{"CARA_ENV": "staging", "PORT": "99999"},
			[]string{`CARA_ENV must be "development" or "production", not "staging"`, `PORT must be a whole number from 0 to 65535, not "99999"`}},
		{"frontend with a path", map[string]string{"FRONTEND_URL": "https://cara.example.com/app"},
			[]string{`FRONTEND_URL "https://cara.example.com/app" must be an origin only (scheme, host and port), with no path`}},
		{"database timeout", map[string]string{"DATABASE_TIMEOUT": "2s500ms"}, nil},
		{"database timeout not a duration", map[string]string{"DATABASE_TIMEOUT": "5"},
			[]string{`DATABASE_TIMEOUT must be a duration such as 5s, not "5"`}},
		{"database timeout too short", map[string]string{"DATABASE_TIMEOUT": "10ms"},
			[]string{`DATABASE_TIMEOUT must be from 100ms to 5m0s, not "10ms"`}},
		{"frontend not a URL", map[string]string{"FRONTEND_URL": "cara.example.com"},
			[]string{`FRONTEND_URL "cara.example.com" must be an origin such as https://cara.example.com`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadConfig(envOf(tt.env))
			if tt.want == nil {
				if err != nil {
					t.Fatalf("got %v, want success", err)
				}
				return
			}
			ce, ok := err.(*ConfigError)
			if !ok {
				t.Fatalf("got %v, want a *ConfigError", err)
			}
			if strings.Join(ce.Problems, "|") != strings.Join(tt.want, "|") {
				t.Errorf("problems:\n got  %q\n want %q", ce.Problems, tt.want)
			}
		})
	}
}

// TestLoadMigrateConfig: migrate needs only the database; in production
// nothing else is asked for.
func TestLoadMigrateConfig(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string // the problems, "|"-joined; "" for success
	}{
		{"production with only DATABASE_URL", map[string]string{"CARA_ENV": "production", "DATABASE_URL": "postgres://x"}, ""},
		{"production without DATABASE_URL", map[string]string{"CARA_ENV": "production", "JWT_SECRET": secretA}, "Missing required environment variables: DATABASE_URL"},
		{"server settings are not checked", map[string]string{"DATABASE_URL": "postgres://x", "PORT": "nope", "JWT_SECRET": "short"}, ""},
		{"development without a database (embedded store)", map[string]string{}, ""},
		{"bad env", map[string]string{"CARA_ENV": "prod"}, `CARA_ENV must be "development" or "production", not "prod"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := LoadMigrateConfig(envOf(tt.env))
			got := ""
			if ce, ok := err.(*ConfigError); ok {
				got = strings.Join(ce.Problems, "|")
			} else if err != nil {
				t.Fatalf("got %v, want a *ConfigError or nil", err)
			}
			if got != tt.want {
				t.Fatalf("problems: got %q, want %q", got, tt.want)
			}
			if err == nil && c.DatabaseURL != tt.env["DATABASE_URL"] {
				t.Errorf("DatabaseURL: got %q, want %q", c.DatabaseURL, tt.env["DATABASE_URL"])
			}
		})
	}
}

func TestLoadConfigDefaults(t *testing.T) {
	c, err := LoadConfig(envOf(map[string]string{"FRONTEND_URL": "https://a.example, http://localhost:5173/"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Port != 3001 || c.Env != EnvDevelopment || c.GeminiDailyTokens != 50_000 || !c.GeneratedSecrets ||
		len(c.JWTSecret) < 32 || c.JWTSecret == c.RefreshKey || c.MaxBodyBytes != 1<<20 || c.DatabaseTimeout != 5*time.Second {
		t.Errorf("defaults: got %+v", c)
	}
	if strings.Join(c.FrontendURLs, ",") != "https://a.example,http://localhost:5173" {
		t.Errorf("FrontendURLs: got %v", c.FrontendURLs)
	}
	if !c.CookieSecure() {
		t.Error("an https frontend in the list: the cookie must stay Secure")
	}
}
