#!/usr/bin/env bash
# End to end: start sentineld, freeze accounts with sentinelctl, SIGKILL the
# server, restart it on the same data, and find every acknowledged freeze,
# unfreeze request and withdrawal hold still there. Then stop it with SIGTERM
# and expect a clean exit 0.
# Usage: sentineld_restart_test.sh SENTINELD SENTINELCTL
set -euo pipefail
SENTINELD="$1"
SENTINELCTL="$2"
source "$(dirname "$0")/sentineld_harness.sh"

work=$(mktemp -d "${TMPDIR:-/tmp}/sentinel-e2e-XXXXXX")
trap 'kill -9 "${SENTINELD_PID:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

ctl() { "$SENTINELCTL" --data_dir="$SENTINEL_DATA_DIR" --server="$SERVER" "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }

start_sentineld "$work/data" --cooling_off=2h

# Acknowledged writes: 5 freezes, an unfreeze request, and one approved lift.
for i in 1 2 3 4 5; do
  ctl --as=agent/alice freeze "acct-$i" --scopes=WITHDRAW,TRANSFER_OUT \
    --reason="takeover report $i" >/dev/null
done
ctl --as=agent/alice unfreeze request acct-2 frz-2 --reason="verified" >/dev/null
ctl --as=agent/alice unfreeze request acct-3 frz-3 --reason="verified" >/dev/null
ctl --as=security/bob unfreeze approve unf-7 >/dev/null

stop_sentineld KILL
[ "$SENTINELD_EXIT" = "137" ] || fail "expected SIGKILL exit 137, got $SENTINELD_EXIT"
start_sentineld "$work/data" --cooling_off=2h

state_json() { ctl --as=security/bob --json state "$1"; }
for i in 1 2 4 5; do
  state_json "acct-$i" | grep -q "\"freeze_id\": \"frz-$i\"" ||
    fail "freeze frz-$i on acct-$i lost after SIGKILL"
done
state_json acct-2 | grep -q '"unfreeze_request_id": "unf-6"' ||
  fail "pending unfreeze request unf-6 lost after SIGKILL"
state_json acct-3 | grep -q '"freeze_id"' && fail "lifted freeze frz-3 came back"
state_json acct-3 | grep -q '"withdrawals_held_until"' ||
  fail "withdrawal hold on acct-3 lost after SIGKILL"

check=$(ctl --as=internal/withdrawals --json check --action=WITHDRAW acct-1 acct-3 acct-9)
[ "$(echo "$check" | grep -c '"allowed": true')" = "1" ] ||
  fail "expected only acct-9 to be allowed: $check"
echo "$check" | grep -q 'DENIAL_REASON_COOLING_OFF' || fail "no cooling-off denial: $check"

# Versions continue after the restart: the next freeze is frz-9.
ctl --as=agent/alice --json freeze acct-6 --scopes=LOGIN --reason="phishing" |
  grep -q '"freeze_id": "frz-9"' || fail "versions did not continue after restart"

stop_sentineld TERM
[ "$SENTINELD_EXIT" = "0" ] || fail "SIGTERM exit code $SENTINELD_EXIT, expected 0"
grep -q "sentineld: stopped" "$SENTINELD_LOG" || fail "no clean shutdown line"
echo "PASS: every acknowledged change survived SIGKILL; SIGTERM exits 0"
