#!/usr/bin/env bash
# Installs what is missing, builds Sentinel once with clang,
# AddressSanitizer, UndefinedBehaviorSanitizer and libFuzzer's coverage
# hooks, runs the whole test suite with ctest, then fuzzes each libFuzzer
# target of the same build for a bounded time (tests/fuzz/run-fuzz.sh;
# FUZZ_SECONDS, default 30).
# Exits non-zero on any failure. This is the README's test command and what
# .ci/run calls.
#
# Environment: BUILD_DIR (default ./build-test), CTEST_PARALLEL (default 2).
set -euo pipefail
cd "$(dirname "$0")/.."

./deploy/install-deps.sh
build_dir="${BUILD_DIR:-build-test}"
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER=clang++ -DSENTINEL_SANITIZE=ON -DSENTINEL_FUZZ=ON \
  -DSENTINEL_BUILD_TESTS=ON >/dev/null
build_start=$SECONDS
cmake --build "$build_dir" -j2
echo "run-all: build took $((SECONDS - build_start)) s"
(cd "$build_dir" && ctest --output-on-failure -j "${CTEST_PARALLEL:-2}")
FUZZ_BUILD_DIR="$build_dir" ./tests/fuzz/run-fuzz.sh
