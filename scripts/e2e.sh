#!/usr/bin/env bash
# End-to-end tests in a real browser against the real app.
#
# Starts `go tool wails dev` (live Go bindings + the Vite dev server) under a
# virtual display, with a throwaway data dir, HOME and session bus; waits until
# http://localhost:PORT serves the UI and a Go binding answers; runs the tests
# in e2e/ (playwright-core + Debian's Chromium, node:test); always stops every
# process it started, Vite, Xvfb and Chromium included, also on Ctrl-C.
#
#   scripts/e2e.sh                  run the suite (needs `make frontend` once)
#   E2E_PORT=34999 scripts/e2e.sh   choose the port (default: a free one)
#   E2E_KEEP=1 scripts/e2e.sh       keep the temp dir (logs, data) for a look
#
# Screenshots: e2e/screenshots/ (gitignored). The app's log is copied there too.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
started=$SECONDS

say() { printf 'e2e: %s\n' "$*"; }
die() { printf 'e2e: FAIL: %s\n' "$*" >&2; exit 1; }

for tool in go node npm xvfb-run xauth setsid; do
  command -v "$tool" >/dev/null || die "$tool is missing: run scripts/install-deps.sh --test"
done
[[ -x "${CARA_CHROMIUM:-/usr/bin/chromium}" ]] || die "${CARA_CHROMIUM:-/usr/bin/chromium} is missing: run scripts/install-deps.sh --test"
[[ -d frontend/node_modules ]] || die "frontend/node_modules is missing: run scripts/install-deps.sh (or make frontend)"
[[ -f frontend/dist/index.html ]] || die "frontend/dist is not built (the Go embed needs it): run make frontend"
if [[ ! -d e2e/node_modules/playwright-core ]]; then
  say "installing e2e/ dependencies"
  (cd e2e && npm ci --no-audit --no-fund --loglevel=error)
fi
csv=${CARA_DIALOGUES_CSV:-$root/../shared/corpora/persuasionforgood/dialogues.csv}
if [[ -f "$csv" ]]; then
  export CARA_DIALOGUES_CSV=$csv
elif [[ "${CARA_REQUIRE_SHARED:-}" == 1 ]]; then
  die "the corpus is missing: $csv (CARA_REQUIRE_SHARED=1)"
else
  say "WARNING: $csv is missing; the test reviews a built-in message instead of real text"
fi

port=${E2E_PORT:-$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')}
url="http://localhost:$port"

tmp=$(mktemp -d -t cara-e2e.XXXXXX)
mkdir -p "$tmp/data" "$tmp/home" "$tmp/xdg-config" "$tmp/xdg-data" "$tmp/xdg-cache" "$tmp/tmp"
log=$tmp/wails-dev.log
jobs_started=() # every background job, stopped with all its descendants on exit

# shellcheck source=lib/procs.sh
source "$root/scripts/lib/procs.sh"

cleanup() {
  local rc=$?
  trap '' INT TERM
  ((${#jobs_started[@]})) && stop "${jobs_started[@]}"
  if [[ -f "$log" ]]; then
    mkdir -p e2e/screenshots
    cp "$log" e2e/screenshots/wails-dev.log
  fi
  if [[ -n "${E2E_KEEP:-}" ]]; then
    say "kept $tmp"
  else
    rm -rf "$tmp"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

show_log() {
  echo "---- wails dev log (last ${1} lines) ----" >&2
  tail -n "$1" "$log" >&2 || true
}

# Go keeps using the real caches (a cold build takes minutes); everything the
# app, WebKit or Chromium could write goes to the sandbox.
for v in GOCACHE GOMODCACHE GOPATH GOPROXY GOSUMDB GOFLAGS GOTOOLCHAIN GONOSUMDB GOPRIVATE; do
  export "$v=$(go env "$v")"
done
export npm_config_cache=${npm_config_cache:-$(npm config get cache)}
export HOME=$tmp/home XDG_CONFIG_HOME=$tmp/xdg-config XDG_DATA_HOME=$tmp/xdg-data XDG_CACHE_HOME=$tmp/xdg-cache
export TMPDIR=$tmp/tmp
export CARA_DATA_DIR=$tmp/data
unset DBUS_SESSION_BUS_ADDRESS

# A private session bus when dbus-run-session exists (never the user's keyring).
bus=()
command -v dbus-run-session >/dev/null && bus=(dbus-run-session --)

say "starting the app: wails dev on $url (data: $CARA_DATA_DIR)"
# -m: no `go mod tidy`; -s: the frontend is already built (Vite serves it live);
# -nosyncgomod: leave go.mod alone; -nogorebuild/-noreload: files others edit
# while the suite runs must not restart the app mid-test.
setsid -w "${bus[@]}" xvfb-run -a -s "-screen 0 1280x900x24 -nolisten tcp" \
  go tool wails dev -m -s -nosyncgomod -nogorebuild -noreload -nocolour \
    -devserver "localhost:$port" -loglevel Warning \
  >"$log" 2>&1 </dev/null &
app_pid=$!
jobs_started+=("$app_pid")

(cd e2e && exec node lib/wait-ready.mjs "$url" "${E2E_READY_TIMEOUT:-300}") &
wait_pid=$!
jobs_started+=("$wait_pid")
# Poll both: fail fast if wails dev dies while we wait.
while kill -0 "$wait_pid" 2>/dev/null; do
  if ! kill -0 "$app_pid" 2>/dev/null; then
    show_log 60
    die "wails dev exited before the app was ready"
  fi
  sleep 0.5
done
if ! wait "$wait_pid"; then
  show_log 60
  die "the app never became ready on $url"
fi
say "app ready after $((SECONDS - started)) s"

# In the background so Ctrl-C/TERM reach the trap at once, not after the run.
(cd e2e && CARA_E2E_URL=$url exec npm test --silent) &
test_pid=$!
jobs_started+=("$test_pid")
set +e
wait "$test_pid"
rc=$?
set -e
if ((rc != 0)); then
  show_log 40
  say "FAILED in $((SECONDS - started)) s (screenshots in e2e/screenshots/)"
else
  say "passed in $((SECONDS - started)) s (screenshots in e2e/screenshots/)"
fi
exit "$rc"
