package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cara-coach/cara/internal/gemini/geminitest"
	"github.com/cara-coach/cara/internal/postgres"
	"github.com/cara-coach/cara/internal/postgres/pgtest"
)

var binary string

// TestMain builds the real binary once, without cgo, as a deployment would.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "cara-server-test")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "cara-server")
	build := exec.Command("go", "build", "-ldflags", "-X main.version=9.8.7-test", "-o", binary, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building cara-server with CGO_ENABLED=0: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// command runs the binary in an empty folder with only the given variables
// (plus PATH and HOME), so nothing leaks in from the test's environment.
func command(t *testing.T, vars map[string]string, args ...string) *exec.Cmd {
	cmd := exec.Command(binary, args...)
	cmd.Dir = t.TempDir()
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
	for k, v := range vars {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	return cmd
}

func exitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

// Secrets as an operator would make them (production refuses repetitive ones).
var (
	secretA = "Zq3vR8kLp2Xw9Nt5Bm7Hc4Jd6Fg1Ys0A"
	secretB = "k7Qe2Wr9Ty4Ui1Op8As5Df3Gh6Jk0LzXcVbNm12pQ7wE3rT"
)

func TestStartupValidation(t *testing.T) {
	tests := []struct {
		name       string
		vars       map[string]string
		dotenv     string
		args       []string
		wantCode   int
		wantStderr []string
		wantStdout string
		wantLogs   []string // in stdout's JSON log lines
	}{
		{name: "version", args: []string{"--version"}, wantCode: 0, wantStdout: "cara-server 9.8.7-test\n"},
		{name: "production with nothing set", vars: map[string]string{"CARA_ENV": "production"}, wantCode: 1,
			wantStderr: []string{"cara-server: Missing required environment variables: DATABASE_URL, JWT_SECRET, JWT_REFRESH_SECRET"}},
		{name: "production short secret", vars: map[string]string{"CARA_ENV": "production", "DATABASE_URL": "postgres://u:p@127.0.0.1:1/x", "JWT_SECRET": "too-short", "JWT_REFRESH_SECRET": secretB},
			wantCode: 1, wantStderr: []string{"cara-server: JWT_SECRET must be at least 32 characters (it has 9)"}},
		{name: "production repetitive secret", vars: map[string]string{"CARA_ENV": "production", "DATABASE_URL": "postgres://u:p@127.0.0.1:1/x", "JWT_SECRET": strings.Repeat("a", 32), "JWT_REFRESH_SECRET": secretB},
			wantCode: 1, wantStderr: []string{"cara-server: JWT_SECRET must be random: it has only 1 different character (at least 8)"}},
		{name: "production same secrets", vars: map[string]string{"CARA_ENV": "production", "DATABASE_URL": "postgres://u:p@127.0.0.1:1/x", "JWT_SECRET": secretA, "JWT_REFRESH_SECRET": secretA},
			wantCode: 1, wantStderr: []string{"cara-server: JWT_SECRET and JWT_REFRESH_SECRET must be different"}},
		{name: "settings from .env", dotenv: "CARA_ENV=production\nJWT_SECRET=" + secretA + "\n", wantCode: 1,
			wantStderr: []string{"cara-server: Missing required environment variables: DATABASE_URL, JWT_REFRESH_SECRET"},
			wantLogs:   []string{`"msg":"read the env file","path":"/`, `/.env","variables_used":["CARA_ENV","JWT_SECRET"]`}},
		{name: "the environment's own variables are not said to come from .env", dotenv: "CARA_ENV=production\nPORT=1\n",
			vars: map[string]string{"CARA_ENV": "staging"}, wantCode: 1,
			wantLogs: []string{`/.env","variables_used":["PORT"]`}},
		{name: "unknown CARA_ variables are warned about", dotenv: "CARA_DATADIR=/tmp/x\n",
			vars: map[string]string{"CARA_ENVV": "production", "CARA_ENV": "staging"}, wantCode: 1,
			wantLogs: []string{
				`"level":"WARN","msg":"unknown variable CARA_DATADIR: cara-server does not read it (a typo?)","name":"CARA_DATADIR","set_in":"/`,
				`"level":"WARN","msg":"unknown variable CARA_ENVV: cara-server does not read it (a typo?)","name":"CARA_ENVV","set_in":"environment","known":["CARA_DATA_DIR","CARA_ENV","CARA_GEMINI_BASE_URL"]`}},
		{name: "environment beats .env", dotenv: "CARA_ENV=production\n", vars: map[string]string{"CARA_ENV": "staging"}, wantCode: 1,
			wantStderr: []string{`cara-server: CARA_ENV must be "development" or "production", not "staging"`}},
		{name: "flag beats environment", vars: map[string]string{"CARA_ENV": "production"}, args: []string{"--env", "nonsense"}, wantCode: 1,
			wantStderr: []string{`CARA_ENV must be "development" or "production", not "nonsense"`}},
		{name: "a named env file that is missing", args: []string{"--env-file", "prod.env"}, wantCode: 1,
			wantStderr: []string{"cara-server: the env file prod.env does not exist"}},
		{name: "migrate in production needs only DATABASE_URL", vars: map[string]string{"CARA_ENV": "production"}, args: []string{"migrate"}, wantCode: 1,
			wantStderr: []string{"cara-server: Missing required environment variables: DATABASE_URL\n"}},
		{name: "unknown argument", args: []string{"serve-it"}, wantCode: 2, wantStderr: []string{`cara-server: unknown argument "serve-it"`, "usage: cara-server"}},
		{name: "database unreachable", vars: map[string]string{"CARA_ENV": "production", "DATABASE_URL": "postgres://cara:hunter2-secret@127.0.0.1:1/cara?connect_timeout=2", "JWT_SECRET": secretA, "JWT_REFRESH_SECRET": secretB},
			wantCode: 1, wantLogs: []string{"FRONTEND_URL is not set: browsers may call this server only from http://localhost:3000"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := command(t, tt.vars, tt.args...)
			if tt.dotenv != "" {
				if err := os.WriteFile(filepath.Join(cmd.Dir, ".env"), []byte(tt.dotenv), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			code := exitCode(cmd.Run())
			if code != tt.wantCode {
				t.Fatalf("exit code: got %d, want %d\nstdout: %s\nstderr: %s", code, tt.wantCode, stdout.String(), stderr.String())
			}
			for _, want := range tt.wantStderr {
				if !strings.Contains(stderr.String(), want) {
					t.Errorf("stderr %q: missing %q", stderr.String(), want)
				}
			}
			for _, want := range tt.wantLogs {
				if !strings.Contains(stdout.String(), want) {
					t.Errorf("logs %q: missing %q", stdout.String(), want)
				}
			}
			if tt.wantStdout != "" && stdout.String() != tt.wantStdout {
				t.Errorf("stdout: got %q, want %q", stdout.String(), tt.wantStdout)
			}
			for _, secret := range []string{secretA, secretB, "hunter2-secret", "/tmp/x"} {
				if strings.Contains(stdout.String()+stderr.String(), secret) {
					t.Errorf("output contains a secret: %s%s", stdout.String(), stderr.String())
				}
			}
		})
	}
}

func TestMigrateCommand(t *testing.T) {
	url := pgtest.SchemaURL(t)
	// Production: DATABASE_URL is all migrate needs (no JWT secrets).
	vars := map[string]string{"CARA_ENV": "production", "DATABASE_URL": url}
	latest := postgres.LatestVersion()
	for i, want := range []string{fmt.Sprintf(`"msg":"database migrated","store":"postgres","from_version":0,"to_version":%d`, latest),
		fmt.Sprintf(`"msg":"database up to date","store":"postgres","version":%d`, latest)} {
		out, err := command(t, vars, "migrate").CombinedOutput()
		if exitCode(err) != 0 || !strings.Contains(string(out), want) || !strings.Contains(string(out), "migrate finished") {
			t.Fatalf("migrate run %d: exit %d, output %s; want %s", i+1, exitCode(err), out, want)
		}
	}
}

// TestParallelMigrate: several `cara-server migrate` at once on a new
// database; exactly one migrates from 0, the others find it up to date.
func TestParallelMigrate(t *testing.T) {
	url := pgtest.SchemaURL(t)
	vars := map[string]string{"DATABASE_URL": url}
	const n = 4
	outs := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			out, err := command(t, vars, "migrate").CombinedOutput()
			outs[i] = fmt.Sprintf("exit %d: %s", exitCode(err), out)
		})
	}
	wg.Wait()
	latest := postgres.LatestVersion()
	migrated, upToDate := 0, 0
	for _, out := range outs {
		if !strings.HasPrefix(out, "exit 0:") {
			t.Errorf("a migrate failed: %s", out)
		}
		if strings.Contains(out, fmt.Sprintf(`"from_version":0,"to_version":%d`, latest)) {
			migrated++
		}
		if strings.Contains(out, fmt.Sprintf(`"msg":"database up to date","store":"postgres","version":%d`, latest)) {
			upToDate++
		}
	}
	if migrated != 1 || upToDate != n-1 {
		t.Errorf("got %d runs that migrated and %d up to date, want 1 and %d:\n%s", migrated, upToDate, n-1, strings.Join(outs, "\n"))
	}
}

// proc is a running cara-server process.
type proc struct {
	cmd  *exec.Cmd
	base string
	logs *safeBuffer
	done chan error
}

type safeBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *safeBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *safeBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var listenRE = regexp.MustCompile(`"msg":"cara-server listening","addr":"[^"]*:(\d+)","port":(\d+)`)

// start runs the binary on a free port and waits for its "listening" line.
func start(t *testing.T, vars map[string]string) *proc {
	t.Helper()
	vars["PORT"] = "0"
	cmd := command(t, vars)
	pr, pw := io.Pipe()
	logs := &safeBuffer{}
	cmd.Stdout = io.MultiWriter(pw, logs)
	cmd.Stderr = logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &proc{cmd: cmd, logs: logs, done: make(chan error, 1)}
	go func() { s.done <- cmd.Wait(); pw.Close() }()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			<-s.done
		}
	})
	port := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			if m := listenRE.FindStringSubmatch(sc.Text()); m != nil && m[1] == m[2] {
				port <- m[1]
				break
			}
		}
		io.Copy(io.Discard, pr)
	}()
	select {
	case p := <-port:
		s.base = "http://127.0.0.1:" + p
	case <-time.After(20 * time.Second):
		t.Fatalf("cara-server did not start:\n%s", logs.String())
	}
	return s
}

func postJSON(t *testing.T, url, bearer string, body any) (*http.Response, map[string]any) {
	t.Helper()
	b, _ := json.Marshal(body)
	r, _ := http.NewRequest("POST", url, bytes.NewReader(b))
	r.Header.Set("Content-Type", "application/json")
	if bearer != "" {
		r.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp, out
}

// signUp registers Ana and returns the 201 answer and its body.
func signUp(t *testing.T, base string) (*http.Response, map[string]any) {
	t.Helper()
	resp, body := postJSON(t, base+"/api/auth/register", "", map[string]string{
		"email": "ana@example.com", "password": "Tr1cky-Parrot-42", "name": "Ana", "role": "Engineer",
	})
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("register: %d %v", resp.StatusCode, body)
	}
	return resp, body
}

// slowGemini serves the fake Gemini with every generateContent call held
// for delay, or until its caller leaves (the body is read first: only then
// does the request's context end when the caller's connection drops).
// arrived counts the calls that got there.
func slowGemini(t *testing.T, delay time.Duration) (fake *geminitest.Server, url string, arrived *atomic.Int32) {
	fake = geminitest.NewHandler(geminitest.Options{})
	arrived = new(atomic.Int32)
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "generateContent") {
			b, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(b))
			arrived.Add(1)
			select {
			case <-time.After(delay):
			case <-r.Context().Done():
				return
			}
		}
		fake.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(slow.Close)
	return fake, slow.URL, arrived
}

// processInFlight sends n /api/gemini/process calls at once as the bearer
// of token and returns when all n have reached Gemini (counted by
// arrived); wait then waits for their answers: each call's status, or 0
// and the error for a call that was cut.
func processInFlight(t *testing.T, base, token string, n int, arrived *atomic.Int32) (wait func() ([]int, []error)) {
	t.Helper()
	statuses := make([]int, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			b, _ := json.Marshal(map[string]string{"prompt": fmt.Sprintf("request %d", i)})
			r, _ := http.NewRequest("POST", base+"/api/gemini/process", bytes.NewReader(b))
			r.Header.Set("Content-Type", "application/json")
			r.Header.Set("Authorization", "Bearer "+token)
			res, err := (&http.Client{Transport: &http.Transport{}}).Do(r)
			if err != nil {
				errs[i] = err
				return
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			statuses[i] = res.StatusCode
		})
	}
	deadline := time.Now().Add(15 * time.Second)
	for int(arrived.Load()) < n && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if got := int(arrived.Load()); got < n {
		t.Fatalf("only %d of %d requests reached Gemini", got, n)
	}
	return func() ([]int, []error) {
		wg.Wait()
		return statuses, errs
	}
}

// TestGracefulShutdown: SIGTERM while 50 slow requests are in flight; every
// one completes with 200, new connections are refused, and the exit code is 0.
func TestGracefulShutdown(t *testing.T) {
	fake, geminiURL, arrived := slowGemini(t, 1500*time.Millisecond)
	srv := start(t, map[string]string{
		"CARA_DATA_DIR": t.TempDir(), "GEMINI_API_KEY": fake.APIKey(), "CARA_GEMINI_BASE_URL": geminiURL,
		"RATE_LIMIT_API": "10000", "RATE_LIMIT_AUTH": "1000",
		// 50 calls of one user at once: each reserves its prompt and this
		// cap of the daily quota, so all 50 fit in the default 50,000.
		"GEMINI_MAX_OUTPUT_TOKENS": "100",
	})
	_, body := signUp(t, srv.base)
	token := body["accessToken"].(string)

	const n = 50
	wait := processInFlight(t, srv.base, token, n, arrived)
	if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	if _, err := http.Get(srv.base + "/healthz"); err == nil {
		t.Error("a new connection was accepted after SIGTERM")
	}
	statuses, errs := wait()
	for i := range n {
		if errs[i] != nil || statuses[i] != http.StatusOK {
			t.Errorf("request %d: status %d, error %v; want 200", i, statuses[i], errs[i])
		}
	}
	select {
	case err := <-srv.done:
		if code := exitCode(err); code != 0 {
			t.Fatalf("exit code: got %d, want 0\n%s", code, srv.logs.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("cara-server did not exit after SIGTERM")
	}
	logs := srv.logs.String()
	if !strings.Contains(logs, "shutting down") || !strings.Contains(logs, "cara-server stopped") {
		t.Errorf("shutdown lines missing:\n%s", logs)
	}
	if strings.Contains(logs, fake.APIKey()) || strings.Contains(logs, token) {
		t.Error("logs contain the Gemini key or an access token")
	}
}

// TestShutdownTimeout: requests that outlast SHUTDOWN_TIMEOUT after SIGTERM
// are cut, the exit status is 1, and the log line says how many were still
// in flight; requests that finish in time all complete and it exits 0.
func TestShutdownTimeout(t *testing.T) {
	tests := []struct {
		name      string
		n         int           // requests in flight at SIGTERM
		delay     time.Duration // how long Gemini takes for each
		timeout   string        // SHUTDOWN_TIMEOUT
		wantCode  int
		wantCut   bool // the "did not finish" line, with in_flight n
		wantAllOK bool
	}{
		{"requests outlast the timeout", 3, 30 * time.Second, "500ms", 1, true, false},
		{"requests finish within it", 2, 300 * time.Millisecond, "10s", 0, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake, geminiURL, arrived := slowGemini(t, tt.delay)
			srv := start(t, map[string]string{
				"CARA_DATA_DIR": t.TempDir(), "GEMINI_API_KEY": fake.APIKey(), "CARA_GEMINI_BASE_URL": geminiURL,
				"GEMINI_MAX_OUTPUT_TOKENS": "100", "SHUTDOWN_TIMEOUT": tt.timeout,
			})
			_, body := signUp(t, srv.base)
			wait := processInFlight(t, srv.base, body["accessToken"].(string), tt.n, arrived)
			if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			select {
			case err := <-srv.done:
				if code := exitCode(err); code != tt.wantCode {
					t.Errorf("exit code: got %d, want %d\n%s", code, tt.wantCode, srv.logs.String())
				}
			case <-time.After(20 * time.Second):
				t.Fatal("cara-server did not exit after SIGTERM")
			}
			statuses, _ := wait() // a cut call's status is 0
			var cut map[string]any
			for _, line := range strings.Split(srv.logs.String(), "\n") {
				if strings.Contains(line, "shutdown did not finish in time") {
					if err := json.Unmarshal([]byte(line), &cut); err != nil {
						t.Fatalf("log line %q: %v", line, err)
					}
				}
			}
			switch {
			case tt.wantCut && cut == nil:
				t.Errorf("no \"shutdown did not finish in time\" line:\n%s", srv.logs.String())
			case tt.wantCut && (cut["in_flight"] != float64(tt.n) || cut["timeout"] != tt.timeout):
				t.Errorf("log line: got in_flight %v timeout %v, want %d and %s", cut["in_flight"], cut["timeout"], tt.n, tt.timeout)
			case !tt.wantCut && cut != nil:
				t.Errorf("unexpected log line %v", cut)
			}
			for i, st := range statuses {
				if tt.wantAllOK && st != http.StatusOK {
					t.Errorf("request %d: status %d, want 200", i, st)
				}
				if !tt.wantAllOK && st == http.StatusOK {
					t.Errorf("request %d answered 200, want it cut", i)
				}
			}
		})
	}
}

// TestServesOnPostgres: the binary on PostgreSQL, end to end.
func TestServesOnPostgres(t *testing.T) {
	srv := start(t, map[string]string{
		"CARA_ENV": "production", "DATABASE_URL": pgtest.SchemaURL(t), "JWT_SECRET": secretA, "JWT_REFRESH_SECRET": secretB,
		"FRONTEND_URL": "https://cara.example.com",
	})
	resp, body := signUp(t, srv.base)
	if body["expiresIn"] != 900.0 {
		t.Fatalf("register: expiresIn %v, want 900", body["expiresIn"])
	}
	if hsts := resp.Header.Get("Strict-Transport-Security"); hsts == "" {
		t.Error("production answer without HSTS")
	}
	var cookie *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "refreshToken" {
			cookie = c
		}
	}
	if cookie == nil || !cookie.Secure || !cookie.HttpOnly || cookie.SameSite != http.SameSiteStrictMode {
		t.Fatalf("refresh cookie: got %+v", cookie)
	}
	r, _ := http.Get(srv.base + "/readyz")
	if r == nil || r.StatusCode != http.StatusOK {
		t.Fatalf("readyz: %v", r)
	}
	r.Body.Close()
	srv.cmd.Process.Signal(syscall.SIGINT)
	if code := exitCode(<-srv.done); code != 0 {
		t.Fatalf("exit after SIGINT: %d\n%s", code, srv.logs.String())
	}
	if strings.Contains(srv.logs.String(), secretA) || strings.Contains(srv.logs.String(), "JWT_SECRET=") {
		t.Error("logs contain a secret")
	}
}

// TestHungDatabaseAnswers503: the binary bounds its database calls by
// DATABASE_TIMEOUT, so a query stuck behind a lock answers 503 with
// Retry-After shortly after the deadline instead of hanging.
func TestHungDatabaseAnswers503(t *testing.T) {
	url := pgtest.SchemaURL(t)
	srv := start(t, map[string]string{
		"DATABASE_URL": url, "JWT_SECRET": secretA, "JWT_REFRESH_SECRET": secretB, "DATABASE_TIMEOUT": "500ms",
	})
	_, body := signUp(t, srv.base)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, "LOCK TABLE practice_sessions IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}
	r, _ := http.NewRequest("GET", srv.base+"/api/practice-sessions", nil)
	r.Header.Set("Authorization", "Bearer "+body["accessToken"].(string))
	start := time.Now()
	res, err := (&http.Client{Timeout: 10 * time.Second}).Do(r)
	if err != nil {
		t.Fatalf("GET while the table is locked: %v (the request hung)", err)
	}
	res.Body.Close()
	took := time.Since(start)
	if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" {
		t.Errorf("while locked: got %d Retry-After %q, want 503 with Retry-After", res.StatusCode, res.Header.Get("Retry-After"))
	}
	if took < 500*time.Millisecond || took > 2*time.Second {
		t.Errorf("answered after %v, want just after the 500ms DATABASE_TIMEOUT", took)
	}
}

// TestSecondInstanceOnTheSameFolder: the embedded store takes one
// instance; a second one says which folder is taken, in cara-server's
// words (not the desktop app's "Cara is already running").
func TestSecondInstanceOnTheSameFolder(t *testing.T) {
	dir := t.TempDir()
	start(t, map[string]string{"CARA_DATA_DIR": dir})
	out, err := command(t, map[string]string{"CARA_DATA_DIR": dir, "PORT": "0"}).CombinedOutput()
	if code := exitCode(err); code != 1 {
		t.Fatalf("second instance: exit %d, want 1\n%s", code, out)
	}
	if want := "another cara-server is using " + dir; !strings.Contains(string(out), want) || strings.Contains(string(out), "Cara is already running") {
		t.Errorf("second instance's output %s: want %q", out, want)
	}
}
