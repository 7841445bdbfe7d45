#!/usr/bin/env bash
# Installs what gst-rtc needs to build, run and test on Debian 12.
# Idempotent: does nothing when everything is present.
set -euo pipefail

packages=(
  # build
  meson ninja-build pkg-config gcc libc6-dev
  libglib2.0-dev libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev
  libssl-dev libnice-dev
  # build: the GstRtc-1.0 GIR/typelib (the Gst and GstSdp GIRs come with
  # the -dev packages above)
  gobject-introspection libgirepository1.0-dev
  # run: the elements the examples and tests put around ours
  gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good
  # test: gst-plugins-bad is the reference peer (dtlssrtpenc/dec), never
  # a dependency of the plugins themselves
  gstreamer1.0-plugins-bad valgrind iproute2 util-linux python3
  # test: libsrtp2, the reference the SRTP core is checked against
  libsrtp2-dev
  # test: libgstrtc from Python through introspection (tests/python);
  # libs/rtc compares its enums with libgstreamer-plugins-bad1.0-0's
  gir1.2-gstreamer-1.0 gir1.2-gst-plugins-base-1.0 python3-gi
  libgstreamer-plugins-bad1.0-0
  # test: STUN/TURN server and the NAT lab's routers (tests/natlab)
  coturn nftables
  # benchmark: libnice's nicesrc/nicesink, the reference of tests/bench/ice-bench
  gstreamer1.0-nice
  # test: the TURN-over-TLS test makes its server certificate
  openssl
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
echo "Installing: ${missing[*]}"
"${sudo[@]}" apt-get update -q
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
