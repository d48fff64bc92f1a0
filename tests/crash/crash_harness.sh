#!/usr/bin/env bash
# The crash harness: CYCLES times, drive a mixed load (freezes, unfreeze
# requests, P0 reports, ledger batches) with crash_load, SIGKILL a server at
# a random moment while the load runs, restart it on the same data, and
# check that every write acknowledged in any cycle so far is present
# exactly once, with exactly one audit entry (crash_load --mode=verify). At
# the end the offline verifier must pass on the audit log with the
# published checkpoint as the rollback witness.
#
#   sentineld: the one process is killed each cycle; its own audit start-up
#     check must pass on every restart (it would not start otherwise).
#   cluster: the four processes of deploy/local-cluster.sh; each cycle kills
#     one of them, chosen at random. Protective writes go on while the audit
#     service is down (their entries wait in the writers' outboxes), so the
#     load runs its full --duration then; verify waits for outbox delivery and
#     checks that each outbox's records arrived once, in order.
#
# Usage: crash_harness.sh sentineld|cluster SERVICES_DIR CRASH_LOAD
#                         SENTINEL_AUDIT_VERIFY [CYCLES]
#   SERVICES_DIR: build/services (sentineld/sentineld, <service>/sentinel-*).
#   CYCLES: 3 in CI (ctest crash_harness_test, crash_harness_cluster_test),
#   50 for the full run.
set -euo pipefail
MODE="$1"
SERVICES=$(realpath "$2")
CRASH_LOAD=$(realpath "$3")
VERIFY=$(realpath "$4")
CYCLES="${5:-3}"
case "$MODE" in sentineld | cluster) ;; *) echo "mode: sentineld or cluster" >&2; exit 2 ;; esac
repo="$(cd "$(dirname "$0")/../.." && pwd)"
SENTINELD="$SERVICES/sentineld/sentineld"
source "$repo/tests/e2e/sentineld_harness.sh"

work=$(mktemp -d "${TMPDIR:-/tmp}/sentinel-crash-harness-XXXXXX")
data="$work/data"
record="$work/acknowledged.txt"
: >"$record"
lc() { SENTINEL_BIN_DIR="$SERVICES" "$repo/deploy/local-cluster.sh" "$@"; }
cleanup() {
  local pid
  for pid in "${SENTINELD_PID:-}" "${LOAD_PID:-}"; do
    if [ -n "$pid" ]; then kill -9 "$pid" 2>/dev/null || true; fi
  done
  if [ "$MODE" = cluster ]; then lc stop "$data" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*" >&2
  for log in "$data"*.log "$data"/*.log; do
    [ -f "$log" ] && { echo "--- $log" >&2; tail -n 15 "$log" >&2; }
  done
  exit 1
}

# The addresses crash_load talks to.
addresses() {
  if [ "$MODE" = sentineld ]; then
    echo "--server=$SERVER --tls_dir=$data/tls"
  else
    # shellcheck disable=SC1091
    . "$data/cluster.env"
    echo "--freeze_server=$FREEZE --intake_server=$INTAKE" \
      "--trace_server=$TRACE --audit_server=$AUDIT --tls_dir=$TLS_DIR"
  fi
}
load() {
  # shellcheck disable=SC2046
  "$CRASH_LOAD" --mode="$1" $(addresses) --record="$record" --tag="c$cycle" \
    --clients=4 --ops=100000 --duration=3s
}

if [ "$MODE" = cluster ]; then
  lc start "$data" --ports=auto >/dev/null || fail "the cluster did not start"
  audit_dir="$data/audit"
else
  audit_dir="$data"
fi
started=$(date +%s)
for ((cycle = 1; cycle <= CYCLES; cycle++)); do
  if [ "$MODE" = sentineld ]; then start_sentineld "$data"; fi
  load load 2>/dev/null &
  LOAD_PID=$!
  # The crash point: 100..1500 ms into the load.
  crash_ms=$((RANDOM % 1400 + 100))
  sleep "$(printf '%d.%03d' $((crash_ms / 1000)) $((crash_ms % 1000)))"
  if [ "$MODE" = sentineld ]; then
    victim=sentineld
    stop_sentineld KILL
  else
    victims=(audit freeze intake trace)
    victim=${victims[RANDOM % 4]}
    lc kill "$data" "$victim" >/dev/null
  fi
  wait "$LOAD_PID" || true

  if [ "$MODE" = sentineld ]; then
    start_sentineld "$data"
  else
    lc restart "$data" "$victim" >/dev/null || fail "cycle $cycle: $victim did not restart"
  fi
  load verify >"$work/verify.out" 2>&1 ||
    fail "cycle $cycle ($victim killed at ${crash_ms} ms): $(cat "$work/verify.out")"
  echo "cycle $cycle: $victim killed at ${crash_ms} ms; $(tail -1 "$work/verify.out")"
  if [ "$MODE" = sentineld ]; then
    stop_sentineld TERM
    [ "$SENTINELD_EXIT" -eq 0 ] || fail "cycle $cycle: sentineld exited with $SENTINELD_EXIT"
  fi
done
# The check must be able to fail: a recorded freeze the servers never made
# has to be reported.
if [ "$MODE" = sentineld ]; then start_sentineld "$data"; fi
cp "$record" "$work/fabricated.txt"
echo "freeze c0-never-acknowledged frz-999999999" >>"$work/fabricated.txt"
# shellcheck disable=SC2046
if "$CRASH_LOAD" --mode=verify $(addresses) --record="$work/fabricated.txt" \
  --settle_wait=0s >"$work/fabricated.out" 2>&1; then
  fail "verify passed a record of a freeze that was never made"
fi
grep -q "LOST OR DUPLICATED: freeze c0-never-acknowledged" "$work/fabricated.out" ||
  fail "verify did not name the fabricated freeze: $(cat "$work/fabricated.out")"
if [ "$MODE" = sentineld ]; then stop_sentineld TERM; else lc stop "$data" >/dev/null; fi

"$VERIFY" --vkey="$audit_dir/audit.vkey" --db="$audit_dir/db" \
  --trusted_checkpoint="$audit_dir/audit-checkpoint" >"$work/verify-audit.out" 2>&1 ||
  fail "sentinel-audit-verify: $(cat "$work/verify-audit.out")"
failed_freezes=$(grep -c " freeze-failed$" "$record" || true)
echo "crash_harness ($MODE): $CYCLES cycles, $(wc -l <"$record") acknowledged writes" \
  "($failed_freezes P0 reports acknowledged with a failed protective freeze)," \
  "all present exactly once; audit log verified ($(($(date +%s) - started)) s)"
