#!/usr/bin/env bash
# Configures and builds gst-rtc into BUILD_DIR (default: build); extra
# arguments go to meson setup.
set -euo pipefail
cd "$(dirname "$0")/.."
builddir=${BUILD_DIR:-build}
reconfigure=()
[ -f "$builddir/build.ninja" ] && reconfigure=(--reconfigure)
meson setup "${reconfigure[@]}" "$builddir" -Dtests=enabled -Dbenchmarks=enabled \
  -Dexamples=enabled "$@" >/dev/null
ninja -C "$builddir"
