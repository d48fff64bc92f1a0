#!/usr/bin/env bash
# Crash test of the audit write path: four clients freeze accounts
# concurrently (each acknowledged freeze recorded client-side), sentineld is
# SIGKILLed while they run, then restarted. Every acknowledged freeze must be
# there exactly once, the restart's own start-up check must pass, and the
# offline verifier must pass on the data, with the published checkpoint as
# the rollback witness.
# Usage: audit_crash_test.sh SENTINELD SENTINELCTL SENTINEL_AUDIT_VERIFY [CYCLES]
set -euo pipefail
SENTINELD="$1"
SENTINELCTL="$2"
VERIFY="$3"
CYCLES="${4:-2}"
source "$(dirname "$0")/sentineld_harness.sh"

work=$(mktemp -d "${TMPDIR:-/tmp}/sentinel-crash-XXXXXX")
trap 'kill -9 "${SENTINELD_PID:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# client ID COUNT: freezes COUNT accounts, appending each acknowledged freeze
# id to $work/acked.ID; stops at the first failure (the server died).
client() {
  local id="$1" count="$2" i out
  for ((i = 0; i < count; i++)); do
    out=$("$SENTINELCTL" --data_dir="$SENTINEL_DATA_DIR" --server="$SERVER" --timeout=5s \
      --as="agent/client$id" --json freeze "acct-$id-$cycle-$i" \
      --scopes=WITHDRAW --reason="crash test" 2>/dev/null) || return 0
    echo "$out" | sed -nE 's/.*"freeze_id": "([^"]+)".*/\1/p' >>"$work/acked.$id"
  done
}

for ((cycle = 1; cycle <= CYCLES; cycle++)); do
  start_sentineld "$work/data"
  pids=()
  for id in 1 2 3 4; do
    client "$id" $((10 + id * 10)) &
    pids+=($!)
  done
  wait "${pids[0]}"  # the shortest client is done; the others are mid-flight
  stop_sentineld KILL
  for pid in "${pids[@]:1}"; do wait "$pid"; done

  start_sentineld "$work/data"  # runs the start-up check of the audit log
  acked=$(cat "$work"/acked.* | sort)
  [ -n "$acked" ] || fail "cycle $cycle: no freeze was acknowledged"
  listed=$("$SENTINELCTL" --data_dir="$SENTINEL_DATA_DIR" --server="$SERVER" --as=security/checker \
    --json list --page_size=1000 | sed -nE 's/.*"freeze_id": "([^"]+)".*/\1/p' | sort)
  missing=$(comm -23 <(echo "$acked") <(echo "$listed"))
  [ -z "$missing" ] || fail "cycle $cycle: acknowledged freezes lost: $missing"
  duplicates=$(echo "$listed" | uniq -d)
  [ -z "$duplicates" ] || fail "cycle $cycle: freezes listed twice: $duplicates"
  stop_sentineld TERM
  [ "$SENTINELD_EXIT" = "0" ] || fail "cycle $cycle: SIGTERM exit $SENTINELD_EXIT"

  "$VERIFY" --vkey="$work/data/audit.vkey" --db="$work/data/db" \
    --trusted_checkpoint="$work/data/audit-checkpoint" ||
    fail "cycle $cycle: the audit log does not verify"
  echo "cycle $cycle: $(echo "$acked" | wc -l) acknowledged freezes all present"
done
echo "PASS: $CYCLES SIGKILL cycles lost nothing acknowledged; the audit log verifies"
