#!/usr/bin/env bash
# Installs what Cara needs to build, run and test on Debian 12, only what is
# missing, so a second run takes a second. Needs root (or sudo) for apt.
#   scripts/install-deps.sh          build + run (+ virtual display)
#   scripts/install-deps.sh --test   also the test tools (browser, screenshots, keyring)
#   scripts/install-deps.sh --bench  also the Node packages the benchmark compares against,
#                                    and the test tools (the chunk-to-paint bench runs
#                                    through the end-to-end harness)
set -euo pipefail
cd "$(dirname "$0")/.."

build_pkgs=(build-essential pkg-config libgtk-3-dev libwebkit2gtk-4.0-dev)
run_pkgs=(xvfb xauth dbus-x11 fonts-dejavu-core)
test_pkgs=(chromium gnome-keyring libsecret-tools dbus imagemagick x11-utils postgresql)

pkgs=("${build_pkgs[@]}" "${run_pkgs[@]}")
[[ "${1:-}" == "--test" || "${1:-}" == "--bench" ]] && pkgs+=("${test_pkgs[@]}")

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "==> apt: installing ${missing[*]}"
  sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

need() { command -v "$1" >/dev/null || { echo "cara: $1 is required: $2" >&2; exit 1; }; }
need go "install Go 1.26 from the Go website (https://go.dev/dl) and put it on PATH"
need node "install Node.js 20 or newer"
need npm "install npm (comes with Node.js)"
# Vite 7 needs Node.js 20.19+ (Debian 12's own nodejs 18 is too old).
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' ||
  { echo "cara: Node.js 20.19 or newer is required (found $(node --version)); install it from nodejs.org or NodeSource" >&2; exit 1; }

# npm ci only when package-lock.json changed since the last install.
npm_install() {
  local dir=$1
  local stamp="$dir/node_modules/.cara-lock-stamp"
  if [[ ! -f "$stamp" ]] || ! cmp -s "$dir/package-lock.json" "$stamp"; then
    echo "==> npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$dir/package-lock.json" "$stamp"
  fi
}
npm_install frontend
if [[ ("${1:-}" == "--test" || "${1:-}" == "--bench") && -f e2e/package-lock.json ]]; then
  npm_install e2e
fi
if [[ "${1:-}" == "--bench" && -f bench/package-lock.json ]]; then
  npm_install bench
fi
go mod download
