#!/usr/bin/env bash
# Runs gst-rtc's whole test suite: the plain build, then the same tests
# built with AddressSanitizer + UndefinedBehaviorSanitizer, then under
# valgrind memcheck. Each run is inside a loopback-only network namespace.
#
#   scripts/test.sh            all three
#   scripts/test.sh plain      one of them: plain, asan or valgrind
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh

modes=("$@")
[ ${#modes[@]} -gt 0 ] || modes=(plain asan valgrind)
src=$(pwd)
logs=()

for mode in "${modes[@]}"; do
  echo "=== $mode ==="
  case "$mode" in
    plain)
      BUILD_DIR=build ./scripts/build.sh
      ./scripts/netns-run.sh meson test -C build --print-errorlogs --num-processes 2 \
        || true
      logs+=(build/meson-logs/testlog.json)
      ;;
    asan)
      # Examples are built for the browser suite, which runs the signalling
      # server and the rtcbin-call program under ASan; the examples suite
      # itself encodes in real time, which ASan cannot keep pace with, as
      # does browser-realtime (tests/browser/meson.build).
      BUILD_DIR=build-asan ./scripts/build.sh -Db_sanitize=address,undefined \
        -Db_lundef=false -Dbenchmarks=disabled
      # The plugin scanner is not instrumented, so plugins load in-process;
      # build the registry once, without leak checks, so that the tests do
      # not load (and blame us for) every plugin on the system.
      GST_REGISTRY_FORK=no ASAN_OPTIONS=detect_leaks=0 \
      LD_PRELOAD="$(gcc -print-file-name=libasan.so)" \
      GST_PLUGIN_PATH_1_0=$src/build-asan/gst/webrtc \
      GST_REGISTRY=$src/build-asan/tests/check/registry.dat \
        gst-inspect-1.0 rtcdtlssrtpenc >/dev/null
      # Sanitized code runs 2-3x slower: timing bounds stretch with it.
      GST_REGISTRY_FORK=no RTC_TEST_TIMEOUT_SCALE=3 \
      ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0:abort_on_error=0 \
      UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      LSAN_OPTIONS=suppressions=$src/tests/sanitizers/lsan.supp \
        ./scripts/netns-run.sh meson test -C build-asan --print-errorlogs \
        --num-processes 2 --no-suite examples --no-suite browser-realtime \
        || true
      logs+=(build-asan/meson-logs/testlog.json)
      ;;
    valgrind)
      BUILD_DIR=build ./scripts/build.sh
      ./scripts/netns-run.sh meson test -C build --setup valgrind \
        --print-errorlogs --num-processes 2 || true
      logs+=(build/meson-logs/testlog-valgrind.json)
      ;;
    *)
      echo "unknown mode '$mode' (plain, asan, valgrind)" >&2
      exit 2
      ;;
  esac
done

# Closing lines over every run: each failed test with the lines that say
# why (a CI log may be read from its end only), then the count; the exit
# status says whether all passed.
python3 - "${logs[@]}" <<'PY'
import json, re, sys
why = re.compile(r":[FE]:|ERROR|CRITICAL|runtime error|AddressSanitizer|"
                 r"definitely lost|Timeout|Assertion|FAIL|Process terminating|"
                 r"Unexpected critical")
stack = re.compile(r"in loss record|ERROR: AddressSanitizer|runtime error|"
                   r"Invalid (read|write|free)|uninitialised|"
                   r"Process terminating")
# GST_DEBUG's check:5 logs each test function as it starts.
started = re.compile(r"(\w+): test start")
passed = failed = 0
for path in sys.argv[1:]:
    with open(path) as f:
        for line in f:
            if not line.strip():
                continue
            r = json.loads(line)
            if r.get("result") in ("OK", "EXPECTEDFAIL"):
                passed += 1
                continue
            failed += 1
            print("FAILED: %s (%s) in %s" % (r.get("name"), r.get("result"), path))
            out = ((r.get("stdout") or "") + (r.get("stderr") or "")).splitlines()
            reasons = []
            if r.get("result") == "TIMEOUT":
                names = [m.group(1) for m in map(started.search, out) if m]
                if names:
                    reasons.append("timed out in %s" % names[-1])
            for i, l in enumerate(out):
                if why.search(l):
                    reasons.append(l)
                    # An error report's first frames say where.
                    if stack.search(l):
                        reasons += out[i + 1:i + 7]
            if len(reasons) > 14:
                reasons = reasons[:12] + reasons[-2:]
            for l in reasons or out[-6:]:
                print("    " + l[:300])
if passed + failed == 0:
    print("no test ran")
    sys.exit(1)
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
PY
