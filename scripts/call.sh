#!/usr/bin/env bash
# The main job: builds gst-rtc and runs examples/rtcbin-call, a WebRTC call
# with a GStreamer rtcbin peer. With a display (DISPLAY or WAYLAND_DISPLAY)
# it serves the call page on http://127.0.0.1:8080/?room=rtcbin: opening
# it in a browser calls the peer, which sends camera and microphone (or
# test sources) and shows and plays the browser's. Without one it runs the
# selftest: two rtcbins call each other through the same server and
# messages, print what they send, receive and decode each second, and the
# exit status says whether media flowed both ways. Arguments go to the
# program (--selftest, --serve, --port, --seconds, --browser-offers, ...;
# see --help).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
BUILD_DIR=build ./scripts/build.sh >/dev/null
GST_PLUGIN_PATH=$(pwd)/build/gst/webrtc exec build/examples/rtcbin-call/rtc-rtcbin-call "$@"
