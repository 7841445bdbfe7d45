#!/usr/bin/env bash
# Installs what gst-rtc needs to build, run and test on Debian 12.
# Idempotent: does nothing when everything is present.
set -euo pipefail

packages=(
  # build
  meson ninja-build pkg-config gcc libc6-dev
  libglib2.0-dev libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev
  libssl-dev libnice-dev
  # build: SCTP for data channels (AF_CONN, over our DTLS)
  libusrsctp-dev
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
  # test: elements/rtcbin-restart and ice/consent silence a peer through
  # libnftables
  libnftables-dev
  # benchmark: libnice's nicesrc/nicesink, the reference of tests/bench/ice-bench;
  # test: webrtcbin's transport in interop/rtcbin-webrtcbin
  gstreamer1.0-nice
  # test: the TURN-over-TLS test makes its server certificate
  openssl
  # examples/webrtc-call: the signalling server
  libsoup-3.0-dev libjson-glib-dev
  # examples/rtcbin-call: microphone and speakers (alsasrc, alsasink) and
  # a window (ximagesink) for the call
  gstreamer1.0-alsa gstreamer1.0-x
  # test: browser interop (tests/browser), headless chromium driven from
  # node by playwright-core
  chromium nodejs
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$p")
done
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
apt_install() {
  echo "Installing: $*"
  "${sudo[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends "$@"
}
[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"

# npm: Debian's nodejs comes without it, NodeSource's ships it (and
# conflicts with Debian's npm package).
command -v npm >/dev/null || apt_install npm

# tests/browser's node modules, exactly as package-lock.json pins them.
# playwright-core needs node >= 20 (Debian 12's is 18: take NodeSource's);
# without it the browser tests are not registered.
browser_dir=$(cd "$(dirname "$0")/../tests/browser" && pwd)
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "node $(node --version) is older than 20: no browser tests" >&2
elif [ ! -f "$browser_dir/node_modules/.package-lock.json" ] \
    || [ "$browser_dir/package-lock.json" -nt "$browser_dir/node_modules/.package-lock.json" ]; then
  (cd "$browser_dir" && npm ci --ignore-scripts --no-audit --no-fund)
fi
