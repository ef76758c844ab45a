#!/usr/bin/env bash
# End-to-end tests in a real browser against the real app.
#
# Prepares a throwaway sandbox (HOME, XDG dirs, TMPDIR; Go keeps its real
# caches) and runs the tests in e2e/tests (node:test, playwright-core,
# Debian's Chromium). Each test file starts and stops the app itself through
# e2e/lib/app.mjs, as often as it needs (the account tests quit Cara and open
# it again on the same data):
#
#   dbus-run-session -- ../shared/scripts/with-secret-service.sh \
#     xvfb-run -a go tool wails dev -devserver localhost:PORT …
#
# so the sign-in is kept by a real Secret Service (gnome-keyring, unlocked
# with KEYRING_PASS, default "ci-pass") whose keyring file lives in the
# sandbox and survives a restart within the run. Every process a start made
# is stopped when it stops, and again here on exit (also on Ctrl-C).
#
#   scripts/e2e.sh                  run the suite (needs `make frontend` once)
#   scripts/e2e.sh tests/auth.test.mjs   only some files (paths relative to e2e/)
#   E2E_KEEP=1 scripts/e2e.sh       keep the sandbox (logs, data) for a look
#   CARA_REQUIRE_SHARED=1 …         fail, not fall back, when ../shared is missing
#
# Without ../shared/scripts/with-secret-service.sh (and without
# CARA_REQUIRE_SHARED=1) the app runs with CARA_KEYCHAIN=memory, says so
# loudly, and the restart checks are skipped.
#
# Screenshots and the app's logs: e2e/screenshots/ (gitignored).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
started=$SECONDS

say() { printf 'e2e: %s\n' "$*"; }
die() { printf 'e2e: FAIL: %s\n' "$*" >&2; exit 1; }

for tool in go node npm xvfb-run xauth dbus-run-session setsid; do
  command -v "$tool" >/dev/null || die "$tool is missing: run scripts/install-deps.sh --test"
done
[[ -x "${CARA_CHROMIUM:-/usr/bin/chromium}" ]] || die "${CARA_CHROMIUM:-/usr/bin/chromium} is missing: run scripts/install-deps.sh --test"
[[ -d frontend/node_modules ]] || die "frontend/node_modules is missing: run scripts/install-deps.sh (or make frontend)"
[[ -f frontend/dist/index.html ]] || die "frontend/dist is not built (the Go embed needs it): run make frontend"
if [[ ! -d e2e/node_modules/playwright-core ]]; then
  say "installing e2e/ dependencies"
  (cd e2e && npm ci --no-audit --no-fund --loglevel=error)
fi

shared=${CARA_SHARED:-$root/../shared}
csv=${CARA_DIALOGUES_CSV:-$shared/corpora/persuasionforgood/dialogues.csv}
if [[ -f "$csv" ]]; then
  export CARA_DIALOGUES_CSV=$csv
elif [[ "${CARA_REQUIRE_SHARED:-}" == 1 ]]; then
  die "the corpus is missing: $csv (CARA_REQUIRE_SHARED=1)"
else
  say "WARNING: $csv is missing; the tests review a built-in message instead of real text"
fi

with_ss=$shared/scripts/with-secret-service.sh
if [[ ! -x "$with_ss" ]]; then
  [[ "${CARA_REQUIRE_SHARED:-}" == 1 ]] && die "$shared/scripts/with-secret-service.sh is missing (CARA_REQUIRE_SHARED=1)"
  with_ss=""
elif ! command -v gnome-keyring-daemon >/dev/null; then
  [[ "${CARA_REQUIRE_SHARED:-}" == 1 ]] && die "gnome-keyring-daemon is missing: run scripts/install-deps.sh --test"
  with_ss=""
else
  with_ss=$(cd "$(dirname "$with_ss")" && pwd)/with-secret-service.sh
fi
if [[ -z "$with_ss" ]]; then
  say "################################################################"
  say "WARNING: no Secret Service (../shared/scripts/with-secret-service.sh"
  say "or gnome-keyring-daemon missing): the app runs with"
  say "CARA_KEYCHAIN=memory and the restart tests are SKIPPED."
  say "################################################################"
fi

tmp=$(mktemp -d -t cara-e2e.XXXXXX)
run_id=$(basename "$tmp")
mkdir -p "$tmp/home" "$tmp/xdg-config" "$tmp/xdg-data" "$tmp/xdg-cache" "$tmp/tmp" "$tmp/bin"
# The AI tests talk to the fake Gemini (e2e/lib/fakegemini.mjs starts it).
go build -o "$tmp/bin/fake-gemini" ./cmd/fake-gemini
test_pid=""

# leftovers prints the pids of processes started for this run: each app
# start marks its whole tree with CARA_E2E_APP=<run>/… (e2e/lib/app.mjs).
leftovers() {
  local f pid
  for f in /proc/[0-9]*/environ; do
    pid=${f#/proc/}
    pid=${pid%/environ}
    [[ "$pid" == "$$" || "$pid" == "$BASHPID" ]] && continue
    if { tr '\0' '\n' <"$f"; } 2>/dev/null | grep -q "^CARA_E2E_APP=$run_id/"; then
      echo "$pid"
    fi
  done
}

# shellcheck source=lib/procs.sh
source "$root/scripts/lib/procs.sh"

cleanup() {
  local rc=$?
  trap '' INT TERM
  ((rc == 130 || rc == 143)) && say "interrupted: stopping everything"
  # The test runner, its test files, their Chromiums and app trees (a test
  # file stops its apps when it gets TERM); then whatever daemonised.
  [[ -n "$test_pid" ]] && stop "$test_pid"
  local left
  left=$(leftovers | tr '\n' ' ')
  if [[ -n "${left// /}" ]]; then
    say "stopping leftover processes: $left"
    # shellcheck disable=SC2086
    kill -TERM $left 2>/dev/null || true
    sleep 2
    left=$(leftovers | tr '\n' ' ')
    # shellcheck disable=SC2086
    if [[ -n "${left// /}" ]]; then kill -KILL $left 2>/dev/null || true; fi
  fi
  if compgen -G "$tmp/*/wails-dev-*.log" >/dev/null; then
    mkdir -p e2e/screenshots/logs
    local f
    for f in "$tmp"/*/wails-dev-*.log; do
      cp "$f" "e2e/screenshots/logs/$(basename "$(dirname "$f")")-$(basename "$f")"
    done
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

# Go keeps using the real caches (a cold build takes minutes); everything the
# app, WebKit, gnome-keyring or Chromium could write goes to the sandbox.
for v in GOCACHE GOMODCACHE GOPATH GOPROXY GOSUMDB GOFLAGS GOTOOLCHAIN GONOSUMDB GOPRIVATE; do
  export "$v=$(go env "$v")"
done
export npm_config_cache=${npm_config_cache:-$(npm config get cache)}
export HOME=$tmp/home XDG_CONFIG_HOME=$tmp/xdg-config XDG_DATA_HOME=$tmp/xdg-data XDG_CACHE_HOME=$tmp/xdg-cache
export TMPDIR=$tmp/tmp
unset DBUS_SESSION_BUS_ADDRESS CARA_DATA_DIR CARA_KEYCHAIN
export CARA_E2E_SANDBOX=$tmp CARA_E2E_RUN=$run_id CARA_E2E_SECRET_SERVICE=$with_ss
export CARA_E2E_FAKE_GEMINI=$tmp/bin/fake-gemini
export KEYRING_PASS=${KEYRING_PASS:-ci-pass}

# Last run's screenshots and logs go; the folder itself is gitignored.
mkdir -p e2e/screenshots
rm -f e2e/screenshots/*.png e2e/screenshots/*.log
rm -rf e2e/screenshots/logs

files=("$@")
((${#files[@]})) || mapfile -t files < <(cd e2e && printf '%s\n' tests/*.test.mjs)
say "sandbox $tmp; Secret Service: ${with_ss:-none (memory keychain)}"
# In the background so Ctrl-C/TERM reach the trap at once, not after the run;
# in a session of its own so that the clean-up finds all of it.
(cd e2e && exec setsid -w node --test --test-concurrency=1 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=./lib/summary-reporter.mjs --test-reporter-destination=stdout \
  "${files[@]}") &
test_pid=$!
set +e
wait "$test_pid"
rc=$?
set -e
test_pid=""

if ((rc != 0)); then
  say "FAILED in $((SECONDS - started)) s (screenshots and app logs in e2e/screenshots/)"
else
  say "passed in $((SECONDS - started)) s (screenshots and app logs in e2e/screenshots/)"
fi
exit "$rc"
