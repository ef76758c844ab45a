#!/usr/bin/env bash
# Opens Cara. With a display: the desktop window (build/bin/cara). Without one
# (a server, a container, SSH): the app runs under a virtual display and the
# same UI, wired to the same Go services, is served to a browser.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${1:-34115}

if [[ -n "${DISPLAY:-}" || -n "${WAYLAND_DISPLAY:-}" ]]; then
  exec build/bin/cara
fi

echo "==> No display found: starting Cara under a virtual display."
echo "==> When it is ready, open http://localhost:${port} in a browser (Ctrl+C stops Cara)."
exec xvfb-run -a go tool wails dev -m -s -nosyncgomod -skipbindings -devserver "localhost:${port}" -loglevel Warning
