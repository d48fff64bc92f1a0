#!/usr/bin/env bash
# Keeps the README's walkthrough true: runs every "$ ctl ..." line of the
# block between the walkthrough markers against a fresh sentineld and compares
# the output (stdout and stderr) with the lines the README shows under it.
# RFC 3339 times are masked on both sides, since they show the reader's clock.
# Usage: readme_walkthrough_test.sh SENTINELD SENTINELCTL README
set -euo pipefail
SENTINELD="$1"
SENTINELCTL="$2"
README="$3"
source "$(dirname "$0")/sentineld_harness.sh"

work=$(mktemp -d "${TMPDIR:-/tmp}/sentinel-readme-XXXXXX")
trap 'kill -9 "${SENTINELD_PID:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
start_sentineld "$work/data"

mask_times() { sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z/<time>/g'; }

# The README block, without the fence lines.
sed -n '/<!-- walkthrough:/,/<!-- end walkthrough -->/p' "$README" |
  grep -v -e '^<!--' -e '^```' >"$work/expected.txt"
commands=$(grep -c '^\$ ctl ' "$work/expected.txt" || true)
[ "$commands" -ge 5 ] || { echo "FAIL: walkthrough block not found in $README"; exit 1; }

# Replay from the README's directory (the repository root), where the
# walkthrough's relative paths point: echo each command line as the README
# shows it, then its output.
cd "$(dirname "$README")"
: >"$work/actual.txt"
while IFS= read -r line; do
  case "$line" in
    '$ ctl '*)
      [ -s "$work/actual.txt" ] && echo >>"$work/actual.txt"
      echo "$line" >>"$work/actual.txt"
      eval "set -- ${line#'$ ctl '}"
      "$SENTINELCTL" --data_dir="$SENTINEL_DATA_DIR" --server="$SERVER" "$@" >>"$work/actual.txt" 2>&1 || true
      ;;
  esac
done <"$work/expected.txt"

if ! diff -u <(mask_times <"$work/expected.txt") <(mask_times <"$work/actual.txt"); then
  echo "FAIL: the README walkthrough no longer matches sentinelctl's output"
  exit 1
fi
echo "PASS: $commands walkthrough commands match the README"
