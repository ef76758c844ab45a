#!/usr/bin/env bash
# Keychain integration tests: internal/keychain against a real Secret Service,
# then in every environment where there is none, which must answer
# "unavailable" (never "not found") within the 5 s timeout.
#
#   scripts/test-keychain.sh            run every phase
#   scripts/test-keychain.sh -race      extra flags go to `go test`
#   CARA_REQUIRE_SHARED=1 …             fail (not skip) when ../shared is missing
#   CARA_REQUIRE_XVFB=1 …               fail (not skip) when xvfb-run is missing
#
# Phases (each a fresh D-Bus session bus, torn down after it):
#   secret-service   gnome-keyring unlocked by ../shared/scripts/with-secret-service.sh:
#                    round trips, not found, 512-byte and unicode values, the
#                    size limit, concurrent use
#   no-bus           DBUS_SESSION_BUS_ADDRESS points at no socket
#   no-bus-unset     no DBUS_SESSION_BUS_ADDRESS at all (must not autolaunch a bus)
#   no-service       a bus on which nothing provides org.freedesktop.secrets
#   activation-hang  a bus whose Secret Service is activated but never starts
#   locked           gnome-keyring with a locked login keyring, no display to prompt on
#   prompt-hang      the same under Xvfb: the unlock prompt waits for ever
#
# Needs Debian packages dbus gnome-keyring (libsecret-tools and xvfb for two
# of the checks): scripts/install-deps.sh --test installs them. Keyrings are
# written to a temporary directory, never to ~/.local/share/keyrings.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
started=$SECONDS
export PATH="$PATH:/usr/local/go/bin"

say() { printf 'test-keychain: %s\n' "$*"; }
die() { printf 'test-keychain: FAIL: %s\n' "$*" >&2; exit 1; }

for tool in go dbus-run-session dbus-send dbus-monitor gnome-keyring-daemon; do
  command -v "$tool" >/dev/null || die "$tool is missing: run scripts/install-deps.sh --test (packages dbus gnome-keyring)"
done

shared=${CARA_SHARED:-$root/../shared}
with_ss=$shared/scripts/with-secret-service.sh
if [[ ! -x "$with_ss" ]]; then
  [[ "${CARA_REQUIRE_SHARED:-}" == 1 ]] && die "$with_ss is missing (CARA_REQUIRE_SHARED=1)"
  say "WARNING: $with_ss is missing; skipping the real Secret Service phase"
  with_ss=""
fi
have_xvfb=1
if ! command -v xvfb-run >/dev/null; then
  [[ "${CARA_REQUIRE_XVFB:-}" == 1 ]] && die "xvfb-run is missing (CARA_REQUIRE_XVFB=1): run scripts/install-deps.sh"
  say "WARNING: xvfb-run is missing; skipping the prompt-hang phase"
  have_xvfb=""
fi

tmp=$(mktemp -d -t cara-keychain.XXXXXX)
# Every process a phase starts (buses, keyring daemons, prompters) inherits
# XDG_RUNTIME_DIR under $tmp; anything still alive at the end is ours.
leftovers() {
  local f pid
  for f in /proc/[0-9]*/environ; do
    pid=${f#/proc/}; pid=${pid%/environ}
    [[ "$pid" == "$$" || "$pid" == "$BASHPID" ]] && continue
    if { tr '\0' '\n' <"$f"; } 2>/dev/null | grep -qxF "XDG_RUNTIME_DIR=$runtime_marker"; then
      echo "$pid"
    fi
  done
}
runtime_marker=""
cleanup() {
  local pids="" dir
  for dir in "$tmp"/run-*; do
    [[ -d "$dir" ]] || continue
    runtime_marker=$dir
    pids+=" $(leftovers | tr '\n' ' ')"
  done
  if [[ -n "${pids// /}" ]]; then
    say "stopping leftover processes:$pids"
    # shellcheck disable=SC2086
    kill $pids 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The keyring files of every phase live here, not in ~/.local/share.
export XDG_DATA_HOME=$tmp/data
mkdir -p "$XDG_DATA_HOME"

# A bus config with no activatable services, and one whose Secret Service
# is activated but never comes up (dbus-daemon would wait its
# service_start_timeout, 25 s by default, before failing the call).
write_bus_conf() { # FILE [SERVICEDIR]
  {
    echo '<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"'
    echo ' "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">'
    echo '<busconfig><type>session</type><listen>unix:tmpdir=/tmp</listen><auth>EXTERNAL</auth>'
    [[ -n "${2:-}" ]] && echo "<servicedir>$2</servicedir>"
    echo '<policy context="default"><allow send_destination="*" eavesdrop="true"/>'
    echo '<allow eavesdrop="true"/><allow own="*"/></policy></busconfig>'
  } >"$1"
}
write_bus_conf "$tmp/no-service.conf"
# The fake service connects to the bus without taking the name, so the
# activation stays pending, and exits when the bus goes away.
mkdir -p "$tmp/hang-services"
cat >"$tmp/hang-services/never-starts.sh" <<'EOF2'
#!/bin/sh
exec dbus-monitor --address "$DBUS_STARTER_ADDRESS" >/dev/null 2>&1 </dev/null
EOF2
chmod +x "$tmp/hang-services/never-starts.sh"
printf '[D-BUS Service]\nName=org.freedesktop.secrets\nExec=%s\n' "$tmp/hang-services/never-starts.sh" \
  >"$tmp/hang-services/org.freedesktop.secrets.service"
write_bus_conf "$tmp/activation-hang.conf" "$tmp/hang-services"

passed=()
skipped=()
# phase NAME PATTERN MIN COMMAND…: runs the keychain tests matching PATTERN
# with CARA_KEYCHAIN_IT=NAME under COMMAND and checks that at least MIN of
# them passed (a test whose environment is wrong skips instead).
phase() {
  local name=$1 pattern=$2 min=$3 log=$tmp/$1.log
  shift 3
  local run=$tmp/run-$name pkgs=(./internal/keychain/)
  # The sign-in across a restart (internal/session) needs the real service too;
  # -p 1 keeps the two packages from racing on one keyring.
  [[ $name == secret-service ]] && pkgs+=(./internal/session/)
  mkdir -p "$run" && chmod 700 "$run"
  say "── $name"
  local t0=$SECONDS rc=0
  env XDG_RUNTIME_DIR="$run" CARA_KEYCHAIN_IT="$name" "$@" \
    go test -p 1 -count=1 -run "$pattern" "${pkgs[@]}" -v "${go_flags[@]}" \
    2> >(grep -v 'Failed to set fd limit' >&2) | tee "$log" || rc=$?
  [[ $rc == 0 ]] || die "$name: go test failed (exit $rc)"
  local n
  n=$(grep -c -- '^--- PASS: TestIntegration' "$log" || true)
  ((n >= min)) || die "$name: $n integration tests passed, want $min (see the skips above)"
  passed+=("$name: $n tests in $((SECONDS - t0)) s")
}
go_flags=("$@")

go build ./internal/keychain/ # fail early on a compile error, outside any bus

if [[ -n "$with_ss" ]]; then
  phase secret-service Integration 7 dbus-run-session -- "$with_ss"
else
  skipped+=(secret-service)
fi

fallback='^TestIntegrationFallback$'
phase no-bus "$fallback" 1 env DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/cara-bus

# godbus also looks for /run/user/UID/bus; where a real one exists (a desktop
# session), "no bus at all" can't be simulated without hiding it.
if [[ -e /run/user/$(id -u)/bus || -e /run/user/$(id -u)/dbus-session ]]; then
  say "/run/user/$(id -u) has a session bus; skipping no-bus-unset"
  skipped+=(no-bus-unset)
else
  phase no-bus-unset "$fallback" 1 env -u DBUS_SESSION_BUS_ADDRESS
fi

phase no-service "$fallback" 1 dbus-run-session --config-file="$tmp/no-service.conf" --
phase activation-hang "$fallback" 1 dbus-run-session --config-file="$tmp/activation-hang.conf" --

# A login keyring with a password, made unlocked by with-secret-service.sh in
# a throwaway session; the next daemon starts with it locked.
if [[ -n "$with_ss" ]]; then
  mkdir -p "$tmp/run-mkkeyring" && chmod 700 "$tmp/run-mkkeyring"
  XDG_RUNTIME_DIR=$tmp/run-mkkeyring dbus-run-session -- "$with_ss" true 2> >(grep -v 'Failed to set fd limit' >&2)
fi
[[ -f "$XDG_DATA_HOME/keyrings/login.keyring" ]] || say "no login keyring to lock; locked/prompt-hang test a missing one"
phase locked "$fallback" 1 env -u DISPLAY -u WAYLAND_DISPLAY dbus-run-session --
if [[ -n "$have_xvfb" ]]; then
  phase prompt-hang "$fallback" 1 xvfb-run -a dbus-run-session --
else
  skipped+=(prompt-hang)
fi

for p in "${passed[@]}"; do say "passed: $p"; done
for p in "${skipped[@]}"; do say "SKIPPED: $p"; done
say "all keychain phases passed in $((SECONDS - started)) s"
