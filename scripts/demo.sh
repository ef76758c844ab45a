#!/usr/bin/env bash
# Demo mode: opens Cara wired to a local fake Gemini (cmd/fake-gemini), so the
# AI features can be tried with no Google key and no network.
#
#   scripts/demo.sh [PORT]   PORT: where the UI is served when there is no
#                            display, exactly as for make run (default 34115)
#
# Cara runs on its own data folder, CARA_DEMO_DIR (default
# ${XDG_STATE_HOME:-$HOME/.local/state}/cara-demo), and with an in-memory
# keychain (unless CARA_KEYCHAIN is set), so your real data and your real
# sign-in are untouched. The fake server stops when Cara exits.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${1:-34115}
export PATH="$PATH:/usr/local/go/bin"

say() { printf '==> %s\n' "$*"; }
die() { printf 'demo: %s\n' "$*" >&2; exit 1; }

data=${CARA_DEMO_DIR:-${XDG_STATE_HOME:-$HOME/.local/state}/cara-demo}
mkdir -p "$data"
chmod 700 "$data"

go build -o build/bin/fake-gemini ./cmd/fake-gemini

log=$(mktemp "${TMPDIR:-/tmp}/cara-demo-gemini.XXXXXX")
build/bin/fake-gemini -addr 127.0.0.1:0 >"$log" 2>&1 &
fake=$!
stop_fake() {
  kill -TERM "$fake" 2>/dev/null || true
  wait "$fake" 2>/dev/null || true
  rm -f "$log"
}
trap stop_fake EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The fake picks a free port and names it on its first line.
line=""
for _ in $(seq 100); do
  line=$(grep -m1 '^fake Gemini listening on ' "$log" || true)
  [[ -n "$line" ]] && break
  kill -0 "$fake" 2>/dev/null || die "the fake Gemini server did not start: $(cat "$log")"
  sleep 0.05
done
[[ -n "$line" ]] || die "the fake Gemini server did not say where it listens within 5 s"
pattern='^fake Gemini listening on (http://[^ ]+) \(key: (.+)\)$'
[[ "$line" =~ $pattern ]] || die "unexpected line from the fake Gemini server: $line"
url=${BASH_REMATCH[1]}
key=${BASH_REMATCH[2]}

say "Demo mode: Cara talks to a fake Gemini at $url (no Google key, no network)."
say "Demo data: $data (your own Cara data is untouched; sign-in is not kept between demo runs)."
say "In Settings → Gemini, paste this key:  $key"
say "Type [[503]], [[429]], [[cut]] … in a message to see how Cara handles Gemini errors (README: Demo mode)."

# Not exec: the trap must stop the fake server when Cara exits.
CARA_GEMINI_BASE_URL=$url CARA_DATA_DIR=$data CARA_KEYCHAIN=${CARA_KEYCHAIN:-memory} \
  scripts/run.sh "$port"
