#!/usr/bin/env bash
# Real window smoke test: the production binary opens a window that shows
# something, and a second copy refuses to start.
#
#   scripts/smoke.sh                          tests build/bin/cara (make build)
#   CARA_BIN=/path/to/cara scripts/smoke.sh   tests another binary
#
# Under a private Xvfb display (a free one, chosen by Xvfb itself) and a
# throwaway data dir and HOME:
#   1. self-test: the blank-screen check rejects a solid and a two-colour screen
#   2. the window "Cara" appears within 30 s and its screenshot is not blank
#      (saved to build/bin/smoke.png)
#   3. a second instance exits non-zero with "Cara is already running" on
#      stderr, and the first one keeps running
# Prints PASS/FAIL per check and ends with "smoke: N passed, M failed".
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS

bin=${CARA_BIN:-build/bin/cara}
shot_out=${CARA_SMOKE_PNG:-build/bin/smoke.png}
window_timeout=${SMOKE_WINDOW_TIMEOUT:-30}
render_timeout=${SMOKE_RENDER_TIMEOUT:-30}

passed=0
failed=0
pass() { passed=$((passed + 1)); printf 'PASS  %s\n' "$*"; }
fail() { failed=$((failed + 1)); printf 'FAIL  %s\n' "$*"; }
say() { printf 'smoke: %s\n' "$*"; }
die() { printf 'smoke: FAIL: %s\n' "$*" >&2; printf 'smoke: %d passed, %d failed\n' "$passed" $((failed + 1)); exit 1; }

for tool in Xvfb xwininfo import convert; do
  command -v "$tool" >/dev/null || die "$tool is missing: run scripts/install-deps.sh --test (packages xvfb x11-utils imagemagick)"
done
[[ -x "$bin" ]] || die "$bin not found: build it with make build"

tmp=$(mktemp -d -t cara-smoke.XXXXXX)
mkdir -p "$tmp/data" "$tmp/home" "$tmp/xdg-config" "$tmp/xdg-data" "$tmp/xdg-cache"
xvfb_pid=""
app_pid=""

# shellcheck source=lib/procs.sh
source scripts/lib/procs.sh

cleanup() {
  local rc=$?
  [[ -n "$app_pid" ]] && stop "$app_pid"
  [[ -n "$xvfb_pid" ]] && stop "$xvfb_pid"
  if [[ -n "${SMOKE_KEEP:-}" ]]; then say "kept $tmp"; else rm -rf "$tmp"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# not_blank PNG: succeeds when the picture has real content. A blank screen is
# one colour (standard deviation 0); a screen split in two flat colours (a
# window that never painted over a black root) has 2 colours. A rendered UI
# has anti-aliased text: hundreds of colours and a spread of grey levels.
# Thresholds: grey standard deviation ≥ 0.01 (0–1 scale) AND ≥ 16 colours.
min_sd=0.01
min_colours=16
not_blank() {
  local sd colours
  sd=$(convert "$1" -colorspace Gray -format '%[fx:standard_deviation]' info:)
  colours=$(convert "$1" -format '%k' info:)
  blank_detail="std-dev $sd, $colours colours"
  awk -v sd="$sd" -v c="$colours" -v msd="$min_sd" -v mc="$min_colours" 'BEGIN { exit !(sd >= msd && c >= mc) }'
}

# 1. The check itself must fail on blank screens, or test 2 proves nothing.
convert -size 1240x820 'xc:#fafaf9' "$tmp/solid.png"
convert -size 1240x820 xc:white -fill black -draw 'rectangle 0,0 619,819' "$tmp/two-colour.png"
if not_blank "$tmp/solid.png"; then
  fail "self-test: a solid screen passed the blank check ($blank_detail)"
elif not_blank "$tmp/two-colour.png"; then
  fail "self-test: a two-colour screen passed the blank check ($blank_detail)"
else
  pass "self-test: the blank check rejects a solid and a two-colour screen"
fi

# A private X display; Xvfb picks a free number and writes it to fd 3.
# -br: black root, so an unpainted window cannot borrow the root's pattern.
Xvfb -displayfd 3 -screen 0 1280x900x24 -nolisten tcp -br 3>"$tmp/display" >"$tmp/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 100); do
  [[ -s "$tmp/display" ]] && break
  kill -0 "$xvfb_pid" 2>/dev/null || { cat "$tmp/xvfb.log" >&2; die "Xvfb did not start"; }
  sleep 0.1
done
[[ -s "$tmp/display" ]] || die "Xvfb did not report its display"
DISPLAY=":$(tr -dc 0-9 <"$tmp/display")"
export DISPLAY
say "display $DISPLAY, data in $tmp/data"

export HOME=$tmp/home XDG_CONFIG_HOME=$tmp/xdg-config XDG_DATA_HOME=$tmp/xdg-data XDG_CACHE_HOME=$tmp/xdg-cache
export CARA_DATA_DIR=$tmp/data
unset DBUS_SESSION_BUS_ADDRESS
bus=()
command -v dbus-run-session >/dev/null && bus=(dbus-run-session --)

setsid -w "${bus[@]}" "$bin" >"$tmp/app.log" 2>&1 </dev/null &
app_pid=$!

# cara_window: the id of a mapped, full-size window titled "Cara", if any.
cara_window() {
  local id
  for id in $(xwininfo -root -tree 2>/dev/null | awk '/"Cara"/ { print $1 }'); do
    local info
    info=$(xwininfo -id "$id" 2>/dev/null) || continue
    grep -q 'Map State: IsViewable' <<<"$info" || continue
    (($(awk '/^ *Width:/ { print $2 }' <<<"$info") >= 400)) || continue
    echo "$id"
    return 0
  done
  return 1
}

# 2. The window appears, and what it shows is not blank.
win=""
deadline=$((SECONDS + window_timeout))
while ((SECONDS < deadline)); do
  kill -0 "$app_pid" 2>/dev/null || break
  win=$(cara_window) && break
  sleep 0.25
done
if [[ -z "$win" ]]; then
  if kill -0 "$app_pid" 2>/dev/null; then
    fail "no window named \"Cara\" within ${window_timeout} s"
  else
    fail "cara exited before opening a window"
  fi
  sed 's/^/  app: /' "$tmp/app.log" | tail -n 30
else
  say "window $win appeared after $((SECONDS - started)) s"
  read -r wx wy ww wh < <(xwininfo -id "$win" | awk '
    /Absolute upper-left X:/ { x = $4 } /Absolute upper-left Y:/ { y = $4 }
    /^ *Width:/ { w = $2 } /^ *Height:/ { h = $2 }
    END { print x, y, w, h }')
  # The webview paints a moment after the window maps: retry until it shows
  # content or the time is up.
  ok=""
  deadline=$((SECONDS + render_timeout))
  while ((SECONDS < deadline)); do
    import -window root "$tmp/root.png"
    convert "$tmp/root.png" -crop "${ww}x${wh}+${wx}+${wy}" +repage "$tmp/window.png"
    if not_blank "$tmp/window.png"; then ok=1; break; fi
    kill -0 "$app_pid" 2>/dev/null || break
    sleep 1
  done
  mkdir -p "$(dirname "$shot_out")"
  cp "$tmp/window.png" "$shot_out"
  if [[ -n "$ok" ]]; then
    pass "window \"Cara\" ${ww}x${wh} is not blank ($blank_detail) → $shot_out"
  else
    fail "window \"Cara\" stayed blank for ${render_timeout} s ($blank_detail) → $shot_out"
    sed 's/^/  app: /' "$tmp/app.log" | tail -n 30
  fi
fi

# 3. A second copy on the same data refuses to start and says why.
if ! kill -0 "$app_pid" 2>/dev/null; then
  fail "second instance: the first one is not running, nothing to test"
else
  set +e
  timeout 20 "$bin" >"$tmp/second.out" 2>"$tmp/second.err" </dev/null
  rc=$?
  set -e
  if ((rc == 124)); then
    fail "second instance: still running after 20 s (want a quick exit)"
  elif ((rc == 0)); then
    fail "second instance: exit status 0, want non-zero"
  elif ! grep -q 'Cara is already running' "$tmp/second.err"; then
    fail "second instance: exit $rc but stderr lacks \"Cara is already running\": $(head -c 300 "$tmp/second.err")"
  elif ! kill -0 "$app_pid" 2>/dev/null; then
    fail "second instance: refused, but the first instance died"
  else
    pass "second instance: exit $rc, \"$(grep -m1 'Cara is already running' "$tmp/second.err")\"; the first keeps running"
  fi
fi

say "done in $((SECONDS - started)) s"
printf 'smoke: %d passed, %d failed\n' "$passed" "$failed"
((failed == 0))
