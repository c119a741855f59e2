#!/usr/bin/env bash
# Builds the window's front end into ui/dist (embedded by the app's build) when its sources are newer than the
# last build. Skipping an unneeded build matters: a fresh ui/dist makes cargo rebuild the app.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=ui/dist/index.html
if [ ! -f "$stamp" ] || [ -n "$(find ui/src ui/index.html ui/package.json ui/package-lock.json ui/vite.config.ts \
    ui/tsconfig.json -newer "$stamp" -print -quit 2>/dev/null)" ]; then
  npm --prefix ui run build
fi
