#!/usr/bin/env bash
# Performance of the offline coach (a report, not a test): 1 MB of real text
# from the PersuasionForGood corpus through
#   (a) Cara's analyzer on one core (bench/analyzer, GOMAXPROCS=1),
#   (b) Node's retext pipeline (English parser + readability, passive,
#       equality, simplify, intensify),
#   (c) write-good,
# each in its own process pinned to the same CPU, with MB/s and peak memory,
# the ratios, and the targets (≥ 10 MB/s, ≥ 20× retext) as MET/MISSED; then
# the Go microbenchmarks of internal/analysis. Then the accounts (issue 3):
# sign-in time at bcrypt cost 12 against one bcrypt-12 comparison, and the
# median and p99 of access-token verification and refresh-token rotation,
# in-process over the real bbolt store (bench/auth), with the targets
# (refresh p99 ≤ 1 ms, verify ≤ 50 µs) as MET/MISSED. Then the AI chat
# (issue 4): the latency from a streamed chunk reaching Go to it being
# painted in the UI — the fake Gemini streaming one-word chunks into the
# real app (`wails dev` under Xvfb) in Debian's Chromium, through the e2e
# harness (scripts/e2e.sh e2e/bench/chunk-latency.mjs) — with its median,
# p95, p99 and max, the target (p95 ≤ 16 ms) as MET/MISSED, and the same
# frame wait on a light page for context. Takes about two minutes.
#
#   scripts/bench.sh                    everything
#   scripts/bench.sh analyzer           only the offline coach
#   scripts/bench.sh auth               only the accounts
#   scripts/bench.sh chunks             only chunk-to-paint (needs
#                                       scripts/install-deps.sh --bench and
#                                       frontend/dist; replaces the last e2e
#                                       run's screenshots and logs)
#   scripts/bench.sh server             only cara-server under load (issue 5): 50
#                                       clients on loopback against PostgreSQL
#                                       (throwaway database, dropped at exit with
#                                       the server stopped, however the run ends),
#                                       verify / refresh / sessions req/s, p50, p99
#                                       at the peak, verify again at half the peak;
#                                       PB_BIN=path/to/pocketbase
#                                       adds PocketBase's auth-refresh side by side
#   BENCH_SECONDS=10 scripts/bench.sh   longer timing for each engine (default 5)
#   BENCH_AUTH_DIR=DIR scripts/bench.sh auth   put the bench database in DIR
#                                       (default: a temp dir; its file system
#                                       is printed, as fsync speed decides refresh)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
started=$SECONDS
seconds=${BENCH_SECONDS:-5}
what=${1:-all}

die() { printf 'bench: %s\n' "$*" >&2; exit 1; }
case "$what" in all | analyzer | auth | chunks | server) ;; *) die "usage: scripts/bench.sh [all|analyzer|auth|chunks|server]" ;; esac
command -v go >/dev/null || die "go is missing: run scripts/install-deps.sh"

# shellcheck source=scripts/lib/procs.sh
source scripts/lib/procs.sh
# shellcheck source=scripts/lib/postgres.sh
source scripts/lib/postgres.sh

# One cleanup for every way the script ends (done, die, set -e, Ctrl-C,
# TERM): stop what the benches started (bench_pids is global: the EXIT trap
# runs after the function that filled it has returned), drop the throwaway
# PostgreSQL role and database (a no-op if none was made), remove the temp
# dir. INT and TERM exit explicitly so the EXIT trap runs for them too.
bench_pids=()
tmp=$(mktemp -d -t cara-bench.XXXXXX)
cleanup() {
  set +e
  trap - EXIT
  trap '' INT TERM # a second Ctrl-C must not cut the cleanup short
  ((${#bench_pids[@]} == 0)) || stop "${bench_pids[@]}"
  pg_drop_database
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "== Cara bench: $(date -u +%Y-%m-%dT%H:%M:%SZ)"

# ---- accounts ------------------------------------------------------------
bench_auth() {
  echo
  echo "== Accounts: internal/auth in-process over internal/bolt (bench/auth)"
  go build -o "$tmp/authbench" ./bench/auth
  local dir=${BENCH_AUTH_DIR:-$tmp}
  mkdir -p "$dir"
  "$tmp/authbench" -dir "$dir"
}

# ---- chunk to paint (AI chat) ---------------------------------------------
# The e2e harness starts the fake Gemini, the app and Chromium; the bench file
# writes its report to a file, shown here without the test runner's lines.
bench_chunks() {
  echo
  echo "== AI chat: chunk to paint, end to end (e2e/bench/chunk-latency.mjs)"
  echo "bench: chunk-to-paint … (about 30 s)" >&2
  if ! BENCH_CHUNKS_REPORT="$tmp/chunks.txt" scripts/e2e.sh bench/chunk-latency.mjs >"$tmp/chunks.log" 2>&1; then
    tail -n 60 "$tmp/chunks.log" >&2
    die "the chunk-to-paint bench failed (screenshots and app logs in e2e/screenshots/)"
  fi
  [[ -s "$tmp/chunks.txt" ]] || { cat "$tmp/chunks.log" >&2; die "the chunk-to-paint bench wrote no report"; }
  cat "$tmp/chunks.txt"
}

# ---- cara-server ---------------------------------------------------------
bench_server() {
  echo
  echo "== cara-server on PostgreSQL: ${BENCH_CLIENTS:-50} clients, ${seconds} s per scenario (bench/server)"
  pg_start_cluster
  pg_make_database
  CGO_ENABLED=0 go build -o "$tmp/cara-server" ./cmd/cara-server
  go build -o "$tmp/loadgen" ./bench/server
  (cd "$tmp" && CARA_ENV=production DATABASE_URL="$PG_URL" PORT=0 \
    JWT_SECRET="$(head -c 32 /dev/urandom | base64)" JWT_REFRESH_SECRET="$(head -c 32 /dev/urandom | base64)" \
    RATE_LIMIT_AUTH=1000000 RATE_LIMIT_API=1000000 exec "$tmp/cara-server" >"$tmp/server.log" 2>&1) &
  bench_pids+=($!)
  local port=""
  for _ in $(seq 100); do
    port=$(sed -n 's/.*"msg":"cara-server listening","addr":"[^"]*:\([0-9]*\)".*/\1/p' "$tmp/server.log" 2>/dev/null || true)
    [[ -n "$port" ]] && break
    sleep 0.1
  done
  [[ -n "$port" ]] || { cat "$tmp/server.log" >&2; die "cara-server did not start"; }
  local pbargs=()
  if [[ -n "${PB_BIN:-}" ]]; then
    [[ -x "$PB_BIN" ]] || die "PB_BIN=$PB_BIN is not an executable"
    local pbdir="$tmp/pb" pbport=18090 pbpass
    pbpass="Bench-$(head -c 9 /dev/urandom | base64 | tr -d '/+=')"
    "$PB_BIN" superuser upsert bench@example.com "$pbpass" --dir "$pbdir" >/dev/null
    "$PB_BIN" serve --http "127.0.0.1:$pbport" --dir "$pbdir" >"$tmp/pb.log" 2>&1 &
    bench_pids+=($!)
    for _ in $(seq 100); do curl -fs "http://127.0.0.1:$pbport/api/health" >/dev/null 2>&1 && break; sleep 0.1; done
    pbargs=(-pb "http://127.0.0.1:$pbport" -pb-email bench@example.com -pb-password "$pbpass")
  fi
  echo "cpu: $(nproc) cores, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo); PostgreSQL $PG_VERSION"
  # In the background and waited for, so a Ctrl-C or TERM reaches the traps
  # at once rather than after the load run.
  "$tmp/loadgen" -url "http://127.0.0.1:$port" -c "${BENCH_CLIENTS:-50}" -d "${seconds}s" "${pbargs[@]}" &
  bench_pids+=($!)
  wait "$!"
  # Stop the server and drop the database now, not only at exit.
  stop "${bench_pids[@]}"
  bench_pids=()
  pg_drop_database
}

if [[ "$what" == auth || "$what" == chunks || "$what" == server ]]; then
  "bench_$what"
  echo
  echo "bench: done in $((SECONDS - started)) s"
  exit 0
fi

# ---- the offline coach ---------------------------------------------------
command -v node >/dev/null || die "node is missing: run scripts/install-deps.sh"
csv=${CARA_DIALOGUES_CSV:-$root/../shared/corpora/persuasionforgood/dialogues.csv}
[[ -f "$csv" ]] || die "the corpus is missing: $csv"
if [[ ! -d bench/node_modules/retext-english ]]; then
  echo "bench: installing bench/ dependencies"
  (cd bench && npm ci --no-audit --no-fund --loglevel=error)
fi

# One CPU for everyone: the first this process may run on.
pin=()
if command -v taskset >/dev/null; then
  cpu=$(taskset -cp $$ | sed 's/.*: //; s/[-,].*//')
  pin=(taskset -c "$cpu")
fi

echo "cpu:   $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)${cpu:+ (pinned to CPU $cpu)}"
echo "tools: $(go version | awk '{ print $3 }'), node $(node --version)"

go build -o "$tmp/analyzer" ./bench/analyzer
corpus=$("$tmp/analyzer" corpus -csv "$csv" -bytes 1000000 -out "$tmp/text.txt")
echo "text:  $corpus from $(basename "$csv") (whole dialogues, every turn, in file order)"
echo

echo "bench: Cara analyzer …" >&2
GOMAXPROCS=1 "${pin[@]}" "$tmp/analyzer" run -text "$tmp/text.txt" -min-time "${seconds}s" >"$tmp/cara.json"
echo "bench: retext pipeline … (about 15 s)" >&2
(cd bench && "${pin[@]}" node run.mjs retext "$tmp/text.txt" "$seconds") >"$tmp/retext.json"
echo "bench: write-good …" >&2
(cd bench && "${pin[@]}" node run.mjs write-good "$tmp/text.txt" "$seconds") >"$tmp/write-good.json"

(cd bench && node report.mjs "$tmp/cara.json" "$tmp/retext.json" "$tmp/write-good.json")

echo
echo "== Go microbenchmarks: go test -run '^\$' -bench . -benchmem ./internal/analysis/"
set +e
go test -run '^$' -bench . -benchmem ./internal/analysis/ >"$tmp/gobench.txt" 2>&1
rc=$?
set -e
grep -E '^(Benchmark|goos|goarch|cpu|pkg|ok|FAIL|PASS|---)' "$tmp/gobench.txt" || true
((rc == 0)) || { cat "$tmp/gobench.txt" >&2; die "go test -bench failed"; }
grep -q '^Benchmark' "$tmp/gobench.txt" || echo "(internal/analysis has no benchmarks yet)"

if [[ "$what" == all ]]; then
  bench_auth
  bench_chunks
  bench_server
fi
echo
echo "bench: done in $((SECONDS - started)) s"
