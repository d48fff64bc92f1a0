#!/usr/bin/env bash
# Installs what is missing, builds Sentinel with AddressSanitizer and
# UndefinedBehaviorSanitizer, runs the whole test suite with ctest, then
# builds the libFuzzer targets with clang and runs each for a bounded time
# (tests/fuzz/run-fuzz.sh; FUZZ_SECONDS, default 30).
# Exits non-zero on any failure. This is the README's test command and what
# .ci/run calls.
#
# Environment: BUILD_DIR (default ./build-test), CTEST_PARALLEL (default 2).
set -euo pipefail
cd "$(dirname "$0")/.."

./deploy/install-deps.sh
build_dir="${BUILD_DIR:-build-test}"
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DSENTINEL_SANITIZE=ON -DSENTINEL_BUILD_TESTS=ON >/dev/null
cmake --build "$build_dir" -j2
(cd "$build_dir" && ctest --output-on-failure -j "${CTEST_PARALLEL:-2}")
./tests/fuzz/run-fuzz.sh
