#!/usr/bin/env bash
# Builds Sentinel's release binaries (CMAKE_BUILD_TYPE=Release, no tests) with
# cmake and ninja, two jobs at a time, and copies them to OUT_DIR/bin. Writes
# OUT_DIR/runtime-packages.txt: the Debian packages whose shared libraries the
# binaries load (deploy/docker/runtime-packages.sh), which is what a runtime
# image installs. Expects the build dependencies (deploy/install-deps.sh).
#
# Usage: build-release.sh [--dry-run] OUT_DIR
#   --dry-run  print the commands instead of running them (a cheap check
#              that the script, its arguments and the tools are in order)
# Environment: BUILD_DIR (default ./build-release), JOBS (default 2),
# TARGETS (default: the binaries listed below).
set -euo pipefail

dry_run=0
if [ "${1:-}" = "--dry-run" ]; then
  dry_run=1
  shift
fi
if [ $# -ne 1 ]; then
  echo "usage: $0 [--dry-run] OUT_DIR" >&2
  exit 64
fi
out_dir="$1"
source_dir=$(cd "$(dirname "$0")/.." && pwd)
build_dir="${BUILD_DIR:-$source_dir/build-release}"
jobs="${JOBS:-2}"
read -r -a targets <<<"${TARGETS:-sentineld sentinel-audit sentinel-freeze sentinel-intake sentinel-trace sentinelctl sentinel-audit-verify}"

for tool in cmake ninja; do
  command -v "$tool" >/dev/null || {
    echo "build-release: $tool is missing; run deploy/install-deps.sh" >&2
    exit 1
  }
done

run() {
  if [ "$dry_run" -eq 1 ]; then
    printf '%q ' "$@"
    echo
  else
    "$@"
  fi
}

run cmake -S "$source_dir" -B "$build_dir" -G Ninja \
  -DCMAKE_BUILD_TYPE=Release -DSENTINEL_BUILD_TESTS=OFF
run cmake --build "$build_dir" -j "$jobs" --target "${targets[@]}"

# Each target's file is wherever its CMakeLists puts it; find it by name.
binaries=()
for target in "${targets[@]}"; do
  if [ "$dry_run" -eq 1 ]; then
    binaries+=("$build_dir/.../$target")
    continue
  fi
  found=$(find "$build_dir" -type f -name "$target" -perm -u+x -not -path '*/CMakeFiles/*' | head -n 1)
  [ -n "$found" ] || {
    echo "build-release: no binary for target $target under $build_dir" >&2
    exit 1
  }
  binaries+=("$found")
done

run install -d "$out_dir/bin"
run install -m 0755 -s "${binaries[@]}" "$out_dir/bin/"
if [ "$dry_run" -eq 1 ]; then
  echo "$source_dir/deploy/docker/runtime-packages.sh $out_dir/bin/* > $out_dir/runtime-packages.txt"
else
  "$source_dir/deploy/docker/runtime-packages.sh" "$out_dir"/bin/* \
    >"$out_dir/runtime-packages.txt"
  echo "build-release: ${#binaries[@]} binaries in $out_dir/bin;" \
    "runtime packages: $(tr '\n' ' ' <"$out_dir/runtime-packages.txt")"
fi
