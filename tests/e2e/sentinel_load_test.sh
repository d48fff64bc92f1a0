#!/usr/bin/env bash
# End to end: sentinel-load (bench/sentinel_load.cc) against a real
# sentineld over mutual TLS. An open-loop run sends exactly the calls its
# rate and duration make due, all succeed, and the report was acknowledged
# with the freeze it implies; a closed-loop batched CheckAccounts run
# succeeds; bad flags exit 2 naming the flag.
# Usage: sentinel_load_test.sh SENTINELD SENTINEL_LOAD SENTINELCTL
set -euo pipefail
SENTINELD=$(realpath "$1")
LOAD=$(realpath "$2")
SENTINELCTL=$(realpath "$3")
source "$(dirname "$0")/sentineld_harness.sh"

work=$(mktemp -d "${TMPDIR:-/tmp}/sentinel-load-e2e-XXXXXX")
trap 'kill -9 "${SENTINELD_PID:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

start_sentineld "$work/data"
load() { "$LOAD" --server="$SERVER" --tls_dir="$work/data/tls" "$@"; }

# 50 calls/s for 1 s: calls 0..49 are due, each a P0 report on its own
# account, each freezing it.
row=$(load --rpc=report_p0 --rate=50 --seconds=1 | tail -1)
echo "$row" | grep -Eq '^\| report_p0 \| open loop 50/s \| 50 \| [0-9]+ \| [0-9]+ \| [0-9]+ \| [0-9]+ \| [0-9]+ \| [0-9]+ \| 0 \| 0 \|$' ||
  fail "open loop: $row"
listed=$("$SENTINELCTL" --data_dir="$work/data" --server="$SERVER" \
  --as=security/sam list --page_size=100 | grep -c '^load-' || true)
[ "$listed" -eq 50 ] || fail "expected 50 protective freezes, found $listed"

row=$(load --rpc=check --batch=100 --concurrency=2 --seconds=0.5 | tail -1)
echo "$row" | grep -Eq '^\| check \| closed loop x2 \| [1-9][0-9]* \| .* \| 0 \| 0 \|$' ||
  fail "closed loop: $row"

if load --rpc=check --batch=0 2>"$work/err"; then fail "--batch=0 accepted"; fi
grep -q -- "--batch must be 1..10000" "$work/err" || fail "bad flag: $(cat "$work/err")"

stop_sentineld TERM
echo "sentinel_load_test: open and closed loop against sentineld"
