#!/usr/bin/env bash
# The main job: builds gst-rtc and runs an encrypted audio+video call
# between two pipelines over UDP on 127.0.0.1 through rtcdtlssrtpenc/dec,
# printing what was sent, received and decrypted each second. Arguments go
# to the program (--seconds N, --profile P, --devices, --show; see --help).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
BUILD_DIR=build ./scripts/build.sh >/dev/null
GST_PLUGIN_PATH=$(pwd)/build/gst/webrtc exec build/examples/dtls-srtp-call/rtc-dtls-srtp-call "$@"
