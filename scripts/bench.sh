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
case "$what" in all | analyzer | auth | chunks) ;; *) die "usage: scripts/bench.sh [all|analyzer|auth|chunks]" ;; esac
command -v go >/dev/null || die "go is missing: run scripts/install-deps.sh"

tmp=$(mktemp -d -t cara-bench.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

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

if [[ "$what" == auth || "$what" == chunks ]]; then
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
fi
echo
echo "bench: done in $((SECONDS - started)) s"
