#!/usr/bin/env bash
# The crash harness: CYCLES times, start sentineld on the same data, drive a
# mixed load at it (freezes, unfreeze requests, P0 reports, ledger batches)
# with crash_load, SIGKILL the server at a random moment while the load
# runs, and restart it. After each restart, every write acknowledged in any
# cycle so far must be present exactly once (crash_load --mode=verify), the
# server's own audit start-up check must have passed (it would not start
# otherwise), and at the end the offline verifier must pass on the data
# with the published checkpoint as the rollback witness.
# Usage: crash_harness.sh SENTINELD CRASH_LOAD SENTINEL_AUDIT_VERIFY [CYCLES]
#   CYCLES: 3 in CI (ctest crash_harness_test), 50 for the full run.
set -euo pipefail
SENTINELD=$(realpath "$1")
CRASH_LOAD=$(realpath "$2")
VERIFY=$(realpath "$3")
CYCLES="${4:-3}"
source "$(dirname "$0")/../e2e/sentineld_harness.sh"

work=$(mktemp -d "${TMPDIR:-/tmp}/sentinel-crash-harness-XXXXXX")
trap 'kill -9 "${SENTINELD_PID:-0}" "${LOAD_PID:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
data="$work/data"
record="$work/acknowledged.txt"
: >"$record"

load() {
  "$CRASH_LOAD" --mode="$1" --server="$SERVER" --tls_dir="$data/tls" \
    --record="$record" --tag="c$cycle" --clients=4 --ops=100000
}

started=$(date +%s)
for ((cycle = 1; cycle <= CYCLES; cycle++)); do
  start_sentineld "$data"
  load load 2>/dev/null &
  LOAD_PID=$!
  # The crash point: 100..1500 ms into the load.
  sleep "$(printf '0.%03d' $((RANDOM % 1400 + 100)))"
  stop_sentineld KILL
  wait "$LOAD_PID" || true

  start_sentineld "$data"
  load verify >"$work/verify.out" 2>&1 ||
    fail "cycle $cycle: $(cat "$work/verify.out")"
  echo "cycle $cycle: $(tail -1 "$work/verify.out")"
  stop_sentineld TERM
  [ "$SENTINELD_EXIT" -eq 0 ] || fail "cycle $cycle: sentineld exited with $SENTINELD_EXIT"
done

"$VERIFY" --vkey="$data/audit.vkey" --db="$data/db" \
  --trusted_checkpoint="$data/audit-checkpoint" >"$work/verify-audit.out" 2>&1 ||
  fail "sentinel-audit-verify: $(cat "$work/verify-audit.out")"
echo "crash_harness: $CYCLES cycles, $(wc -l <"$record") acknowledged writes, all present exactly once; audit log verified ($(( $(date +%s) - started )) s)"
