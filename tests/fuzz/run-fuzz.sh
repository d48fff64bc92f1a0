#!/usr/bin/env bash
# Builds the libFuzzer targets in fuzz/ with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer, replays every input saved under
# fuzz/regressions/<target>/, then fuzzes each target for a bounded time from
# a scratch copy of its seeds in fuzz/corpus/<target>/ (the repository is not
# modified). Prints one summary line per target. Exits non-zero if any input
# crashes, leaks, times out or breaks a checked property, after printing the
# path of that input.
#
# Environment: FUZZ_BUILD_DIR (default ./build-fuzz), FUZZ_SECONDS per target
# (default 30), JOBS for the build (default 2).
set -euo pipefail
cd "$(dirname "$0")/../.."

build_dir="${FUZZ_BUILD_DIR:-build-fuzz}"
seconds="${FUZZ_SECONDS:-30}"
jobs="${JOBS:-2}"
# Each input gets 10 s and 2 GiB. 8 KiB inputs let evidence_fuzz pass its
# 4 KiB file limit.
fuzz_flags=(-timeout=10 -rss_limit_mb=2048 -max_len=8192)
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}"

targets=()
for source in fuzz/*_fuzz.cc; do
  targets+=("$(basename "$source" .cc)")
done

# A build directory configured before (tests/run-all.sh's, which builds the
# tests in the same fuzz build) is used as it is.
if [[ ! -f "$build_dir/CMakeCache.txt" ]]; then
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER=clang++ -DSENTINEL_FUZZ=ON \
    -DSENTINEL_BUILD_TESTS=OFF >/dev/null
fi
if ! grep -q '^SENTINEL_FUZZ:BOOL=ON' "$build_dir/CMakeCache.txt"; then
  echo "run-fuzz: $build_dir is not a fuzz build (SENTINEL_FUZZ=ON)" >&2
  exit 2
fi
build_start=$SECONDS
cmake --build "$build_dir" -j "$jobs" --target "${targets[@]}"
echo "build: $((SECONDS - build_start)) s"

# Crashing inputs and logs stay in the build directory for inspection.
artifacts="$(cd "$build_dir" && pwd)/fuzz-artifacts"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

failed=0

# fail TARGET MESSAGE LOG: reports a failure of TARGET with its log.
fail() {
  failed=1
  echo "FAIL $1: $2" >&2
  tail -n 40 "$3" >&2
  echo "(full log: $3)" >&2
}

# replay TARGET: runs each saved regression input of TARGET once; sets
# `replayed` to their number.
replay() {
  local target="$1" binary="$build_dir/fuzz/$1" input log
  replayed=0
  for input in "fuzz/regressions/$target"/*; do
    [[ -f "$input" ]] || continue
    replayed=$((replayed + 1))
    log="$artifacts/$target/replay-$(basename "$input").log"
    if ! "$binary" "${fuzz_flags[@]}" "$input" >"$log" 2>&1; then
      echo "crashing input: $input" >&2
      fail "$target" "regression input still fails" "$log"
    fi
  done
}

# fuzz TARGET: fuzzes TARGET for $seconds and prints its summary.
fuzz() {
  local target="$1" binary="$build_dir/fuzz/$1"
  local corpus="$scratch/$target" log="$artifacts/$target/fuzz.log"
  mkdir -p "$corpus"
  cp -R "fuzz/corpus/$target/." "$corpus/"
  local start=$SECONDS status=0
  "$binary" "${fuzz_flags[@]}" -max_total_time="$seconds" \
    -print_final_stats=1 -artifact_prefix="$artifacts/$target/" \
    "$corpus" >"$log" 2>&1 || status=$?
  local elapsed=$((SECONDS - start))
  local execs rate
  execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")"
  rate="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")"
  printf '%-24s %10s execs in %3d s (%s/s), corpus %d inputs, %d regressions replayed\n' \
    "$target" "${execs:-?}" "$elapsed" "${rate:-?}" \
    "$(find "$corpus" -type f | wc -l)" "$replayed"
  if ((status != 0)); then
    local crash
    for crash in "$artifacts/$target"/{crash,leak,timeout,oom,slow-unit}-*; do
      [[ -f "$crash" ]] && echo "crashing input: $crash" >&2
    done
    fail "$target" "exit status $status" "$log"
  fi
}

for target in "${targets[@]}"; do
  rm -rf "${artifacts:?}/$target"
  mkdir -p "$artifacts/$target"
  replay "$target"
  fuzz "$target"
done
exit "$failed"
