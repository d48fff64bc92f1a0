#!/usr/bin/env bash
# End to end: examples/python/report_hacked_account.py, as an internal team
# would run it, against a real sentineld over mutual TLS with the development
# PKI (the internal client certificate from <data_dir>/tls).
# Checks its exact output and exit status when the account gets frozen, and
# that it exits 1 when --freeze_target is a FreezeService that never saw the
# freeze (a second sentineld trusting the same CA, with its own database).
# Usage: python_example_test.sh SENTINELD PROTO_DIR EXAMPLE_DIR
set -euo pipefail
SENTINELD=$(realpath "$1")
PROTO_DIR=$(realpath "$2")
EXAMPLE_DIR=$(realpath "$3")
source "$(dirname "$0")/sentineld_harness.sh"

work=$(mktemp -d "${TMPDIR:-/tmp}/sentinel-pyexample-e2e-XXXXXX")
other_pid=
cleanup() {
  local pid
  for pid in ${SENTINELD_PID:-} $other_pid; do kill -9 "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

"$EXAMPLE_DIR/generate_stubs.sh" "$PROTO_DIR" "$work/stubs" >/dev/null

# The second server first: it keeps the development PKI of the first one
# (copied below before it starts), so one CA covers both.
start_sentineld "$work/main"
main_server=$SERVER
tls="$work/main/tls"
mkdir -m 0700 "$work/other"
cp -a "$tls" "$work/other/tls"

example() {
  # timeout: a hung call fails the test instead of hanging it.
  SENTINEL_PYTHON_STUBS="$work/stubs" timeout 60 /usr/bin/python3 \
    "$EXAMPLE_DIR/report_hacked_account.py" --ca="$tls/ca.pem" \
    --cert="$tls/client-internal.pem" --key="$tls/client-internal.key" \
    --timeout=10 "$@"
}

# 1. The account is reported, frozen and shown as frozen.
status=0
example --target="$main_server" --account=acct-42 \
  --idempotency_key=login-svc-acct-42 >"$work/out" 2>"$work/err" || status=$?
[ "$status" -eq 0 ] || fail "exit $status; stderr: $(cat "$work/err")"
expected="incident_id: inc-1
priority: PRIORITY_P0
protective_freeze_id: frz-1
withdraw: denied (frozen for WITHDRAW by frz-1 (incident inc-1))
account acct-42 is frozen: FREEZE_SCOPE_WITHDRAW, FREEZE_SCOPE_TRANSFER_OUT, FREEZE_SCOPE_API_KEYS (active freezes: frz-1)"
[ "$(cat "$work/out")" = "$expected" ] ||
  fail "output differs; got:
$(cat "$work/out")"
[ ! -s "$work/err" ] || fail "unexpected stderr: $(cat "$work/err")"

# 2. A retry with the same idempotency key files nothing new.
example --target="$main_server" --account=acct-42 \
  --idempotency_key=login-svc-acct-42 >"$work/out" 2>"$work/err" ||
  fail "the retry failed: $(cat "$work/err")"
head -3 "$work/out" | tr '\n' ' ' |
  grep -qx 'incident_id: inc-1 priority: PRIORITY_P0 protective_freeze_id: frz-1 ' ||
  fail "the retry did not return inc-1/frz-1: $(cat "$work/out")"

# 3. --freeze_target is honoured: a FreezeService that never saw the freeze
# answers "allowed", and the example exits 1.
SENTINELD_FD_MAIN=$SENTINELD_FD
main_pid=$SENTINELD_PID
start_sentineld "$work/other"
other_pid=$SENTINELD_PID
other_server=$SERVER
SENTINELD_PID=$main_pid
status=0
example --target="$main_server" --freeze_target="$other_server" \
  --account=acct-7 >"$work/out" 2>"$work/err" || status=$?
[ "$status" -eq 1 ] || fail "exit $status, want 1; stderr: $(cat "$work/err")"
grep -qx 'priority: PRIORITY_P0' "$work/out" || fail "no P0 line: $(cat "$work/out")"
grep -qx 'withdraw: allowed' "$work/out" || fail "no 'allowed' line: $(cat "$work/out")"
grep -qx 'account acct-7 is NOT frozen' "$work/err" ||
  fail "stderr: $(cat "$work/err")"

# 4. A role that may not report gets exit 2 and the status code.
status=0
SENTINEL_PYTHON_STUBS="$work/stubs" timeout 60 /usr/bin/python3 \
  "$EXAMPLE_DIR/report_hacked_account.py" --target="$main_server" \
  --ca="$tls/ca.pem" --cert="$tls/client-auditor.pem" \
  --key="$tls/client-auditor.key" --account=acct-8 >"$work/out" 2>"$work/err" ||
  status=$?
[ "$status" -eq 2 ] || fail "auditor: exit $status, want 2"
grep -q '^call failed: PERMISSION_DENIED: ' "$work/err" ||
  fail "auditor stderr: $(cat "$work/err")"

kill -TERM "$other_pid"
wait "$other_pid" || fail "the second sentineld exited $? on SIGTERM"
other_pid=
SENTINELD_FD=$SENTINELD_FD_MAIN
stop_sentineld TERM
[ "$SENTINELD_EXIT" -eq 0 ] || fail "sentineld exited $SENTINELD_EXIT on SIGTERM"
echo "python_example_test: PASS"
