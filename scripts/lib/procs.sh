# Process helpers shared by the test scripts (sourced, not run).
# shellcheck shell=bash

# descendants PID: every live process below PID, by a walk of the ppid tree.
# Vite runs in its own process group (wails sets Setpgid) and Chromium in
# others, so killing one process group would leave them behind.
descendants() {
  # /proc rather than ps: procps is not on a minimal Debian.
  grep -H '^PPid:' /proc/[0-9]*/status 2>/dev/null | awk -F'[/:	 ]+' -v root="$1" '
    { parent[$3] = $6; pids[NR] = $3 }
    END {
      keep[root] = 1; changed = 1
      while (changed) {
        changed = 0
        for (i in pids) { p = pids[i]; if (!(p in keep) && (parent[p] in keep)) { keep[p] = 1; changed = 1 } }
      }
      for (p in keep) if (p != root) print p
    }'
}

# stop PID…: TERM each process, its process group and everything below it
# (wails dev stops the app and Vite on TERM); KILL whatever is left after 5 s.
stop() {
  local pids="" root
  for root in "$@"; do
    kill -0 "$root" 2>/dev/null || continue
    pids+="$root $(descendants "$root" | tr '\n' ' ')"
  done
  [[ -n "${pids// /}" ]] || return 0
  for root in "$@"; do kill -TERM -- "-$root" 2>/dev/null || true; done
  # shellcheck disable=SC2086
  kill -TERM $pids 2>/dev/null || true
  local p alive
  for _ in $(seq 50); do
    alive=""
    for p in $pids; do kill -0 "$p" 2>/dev/null && alive+="$p "; done
    [[ -z "$alive" ]] && break
    sleep 0.1
  done
  for root in "$@"; do kill -KILL -- "-$root" 2>/dev/null || true; done
  # shellcheck disable=SC2086
  kill -KILL $pids 2>/dev/null || true
  for root in "$@"; do wait "$root" 2>/dev/null || true; done
}
