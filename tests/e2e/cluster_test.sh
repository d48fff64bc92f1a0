#!/usr/bin/env bash
# The emergency flow across the four processes that deploy/local-cluster.sh
# starts (sentinel-audit, -freeze, -intake, -trace on loopback, mutual TLS):
#   1. a hijacked account is reported -> protective freeze -> a FreezeGuard
#      (freeze-guard-probe) sees it; a ledger is ingested, traced, and the
#      freeze candidates are frozen; the Python example reports another;
#   2. the audit service is killed mid-flow: freezes and reports still
#      succeed, approving an unfreeze fails closed with UNAVAILABLE; after
#      its restart every outbox record arrives exactly once, in order;
#   3. the freeze service is killed: the FreezeGuard denies (STALE) while its
#      view is old, and catches up after the restart; a P0 report made
#      meanwhile is acknowledged with its freeze failed, and intake's retry
#      freezes the account once the freeze service is back;
#   4. the audit log holds every step: inclusion proofs check against the
#      signed checkpoint, and sentinel-audit-verify passes on a copy.
#
# Usage: cluster_test.sh REPO BIN_DIR SENTINELCTL PROBE AUDIT_VERIFY
set -euo pipefail
repo="$1" bin_dir="$2" ctl_bin="$3" probe_bin="$4" verify_bin="$5"

work="$(mktemp -d)"
cluster="$work/cluster"
probe_pid=""
cleanup() {
  [ -n "$probe_pid" ] && kill "$probe_pid" 2>/dev/null || true
  SENTINEL_BIN_DIR="$bin_dir" "$repo/deploy/local-cluster.sh" stop "$cluster" \
    >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  for log in "$cluster"/*.log; do
    echo "--- $log" >&2
    tail -n 20 "$log" >&2
  done
  exit 1
}

lc() { SENTINEL_BIN_DIR="$bin_dir" "$repo/deploy/local-cluster.sh" "$@"; }
lc start "$cluster" --ports=auto
# shellcheck disable=SC1091
. "$cluster/cluster.env"
ctl() {
  local server="$1"
  shift
  "$ctl_bin" --data_dir="$cluster" --server="$server" "$@"
}
expect_output() {  # expect_output WANTED COMMAND...: the output contains WANTED
  local wanted="$1"
  shift
  local out
  out=$("$@" 2>&1) || true
  case "$out" in
    *"$wanted"*) ;;
    *) fail "'$*' printed: $out (wanted: $wanted)" ;;
  esac
}

# The guard, as a withdrawal engine would run it, fed commands on a FIFO.
mkfifo "$work/probe.in" "$work/probe.out"
"$probe_bin" --server="$FREEZE" --tls_dir="$TLS_DIR" --max_staleness=1s \
  <"$work/probe.in" >"$work/probe.out" 2>"$work/probe.err" &
probe_pid=$!
exec {probe_in}>"$work/probe.in" {probe_out}<"$work/probe.out"
guard() {  # guard ACCOUNT ACTION REASON: the guard reaches REASON within 10 s
  echo "expect $1 $2 $3 10s" >&"$probe_in"
  local answer
  IFS= read -r -t 20 -u "$probe_out" answer || answer="(no answer)"
  [ "$answer" = "ok $3" ] || fail "guard on $1 $2: $answer (wanted $3)"
}
guard acct-77 WITHDRAW ALLOWED

echo "== 1. report, protective freeze, guard, ingest, trace, freeze candidates"
expect_output "reported inc-1: P0 ACCOUNT_TAKEOVER on acct-77" \
  ctl "$INTAKE" --as=agent/alice report acct-77 --category=account_takeover \
  --description="2FA reset from an unknown device"
expect_output "protective freeze:  frz-1" \
  ctl "$INTAKE" --as=agent/alice show inc-1
guard acct-77 WITHDRAW FROZEN
guard acct-77 TRADE ALLOWED
expect_output "acct-77  no       frozen for WITHDRAW by frz-1 (incident inc-1)" \
  ctl "$FREEZE" --as=internal/withdrawals check --action=WITHDRAW acct-77
expect_output "sent 7 events: 7 accepted, 0 duplicates, 0 rejected" \
  ctl "$TRACE" --as=internal/ledger-feed trace ingest \
  "$repo/docs/examples/acct-77-ledger.jsonl"
expect_output "Freeze candidates (3 accounts)" \
  ctl "$TRACE" --as=security/sam trace acct-77 --since=2026-11-20T10:30:00Z \
  --until=2026-11-21T00:00:00Z
expect_output "frozen 3, failed 0" \
  ctl "$TRACE" --as=security/sam trace freeze acct-77 \
  --since=2026-11-20T10:30:00Z --until=2026-11-21T00:00:00Z --incident=inc-1 \
  --reason="holds value taken from acct-77"
guard acct-501 WITHDRAW FROZEN

echo "== 1b. a Python client, given only proto/, reports through sentinel-intake"
"$repo/examples/python/generate_stubs.sh" "$repo/proto" "$work/stubs" >/dev/null
SENTINEL_PYTHON_STUBS="$work/stubs" timeout 60 /usr/bin/python3 \
  "$repo/examples/python/report_hacked_account.py" --target="$INTAKE" \
  --freeze_target="$FREEZE" --ca="$TLS_DIR/ca.pem" \
  --cert="$TLS_DIR/client-internal.pem" --key="$TLS_DIR/client-internal.key" \
  --timeout=10 --account=acct-42 --idempotency_key=py-acct-42 \
  >"$work/py.out" 2>"$work/py.err" || fail "python example: $(cat "$work/py.err")"
grep -q "^account acct-42 is frozen: FREEZE_SCOPE_WITHDRAW" "$work/py.out" ||
  fail "python example printed: $(cat "$work/py.out")"
guard acct-42 WITHDRAW FROZEN

echo "== 2. the audit service down: protective actions go on, permissive fail closed"
lc kill "$cluster" audit
expect_output "frozen acct-900: frz-6" \
  ctl "$FREEZE" --as=agent/alice freeze acct-900 --scopes=withdraw \
  --reason="suspicious login"
expect_output "reported inc-3: P0 TWO_FA_FAILURE on acct-901" \
  ctl "$INTAKE" --as=agent/alice report acct-901 --category=two_fa_failure \
  --description="2FA reset by someone else"
expect_output "unfreeze requested: unf-8 for frz-6" \
  ctl "$FREEZE" --as=agent/alice unfreeze request acct-900 frz-6 \
  --reason="the user proved who they are"
expect_output "UNAVAILABLE: the audit service could not record this action" \
  ctl "$FREEZE" --as=security/bob unfreeze approve unf-8
guard acct-900 WITHDRAW FROZEN
lc restart "$cluster" audit
expect_output "lifted frz-6 on acct-900 (approved by security/bob)" \
  ctl "$FREEZE" --as=security/bob unfreeze approve unf-8

echo "== 3. the freeze service down: the guard fails closed, then catches up;"
echo "   a P0 report meanwhile is recorded, and intake freezes it once it is back"
lc kill "$cluster" freeze
guard acct-77 TRADE STALE
expect_output "PROTECTIVE FREEZE FAILED" \
  ctl "$INTAKE" --as=agent/alice report acct-960 --category=account_takeover \
  --description="hijacked while the freeze service was down"
lc restart "$cluster" freeze
guard acct-77 TRADE ALLOWED
guard acct-77 WITHDRAW FROZEN
guard acct-900 WITHDRAW COOLING_OFF
guard acct-960 WITHDRAW FROZEN

echo "== 4. the audit log holds every step, exactly once, in order"
# Outbox deliveries are asynchronous: wait (bounded) until every record of
# the outage is in.
audit_json="$work/audit.json"
for _ in $(seq 1 100); do
  ctl "$AUDIT" --as=auditor/carol --json audit query --page_size=1000 \
    >"$audit_json"
  grep -q '"IncidentService.ReportIncident"' "$audit_json" &&
    python3 - "$audit_json" <<'PY' && break
import json, sys
entries = json.load(open(sys.argv[1]))["entries"]
actions = [e["action"] for e in entries]
sys.exit(0 if actions.count("FreezeService.RequestUnfreeze") == 1 and
         actions.count("IncidentService.ReportIncident") == 4 and
         actions.count("IncidentService.RetryProtectiveFreeze") == 1 else 1)
PY
  sleep 0.1
done
python3 - "$audit_json" <<'PY' || fail "audit log check"
import json, sys
entries = json.load(open(sys.argv[1]))["entries"]
def count(action, subject):
    return sum(1 for e in entries if e["action"] == action and
               subject in (e.get("subject", {}).get("account_id", ""),
                           e.get("subject", {}).get("incident_id", "")))
want = {
    ("IncidentService.ReportIncident", "acct-77"): 1,
    ("FreezeService.FreezeAccount", "acct-77"): 1,
    ("TraceService.IngestLedger", ""): 1,
    # The trace, and the trace that trace freeze runs.
    ("TraceService.TraceFunds", "acct-77"): 2,
    ("FreezeService.FreezeAccount", "acct-501"): 1,
    ("FreezeService.FreezeAccount", "acct-900"): 1,
    ("IncidentService.ReportIncident", "acct-42"): 1,
    ("FreezeService.FreezeAccount", "acct-42"): 1,
    ("IncidentService.ReportIncident", "acct-901"): 1,
    ("FreezeService.FreezeAccount", "acct-901"): 1,
    ("FreezeService.RequestUnfreeze", "acct-900"): 1,
    ("FreezeService.ApproveUnfreeze", "acct-900"): 1,
    ("IncidentService.ReportIncident", "acct-960"): 1,
    ("FreezeService.FreezeAccount", "acct-960"): 1,
    ("IncidentService.RetryProtectiveFreeze", "acct-960"): 1,
}
bad = []
for (action, subject), n in want.items():
    if not subject:
        got = sum(1 for e in entries if e["action"] == action)
        if got != n:
            bad.append(f"{action}: {got} entries, want {n}")
    elif count(action, subject) != n:
        bad.append(f"{action} on {subject}: {count(action, subject)} entries, want {n}")
# Outbox records: exactly once, in order and without gaps per origin.
by_origin = {}
for e in entries:
    if e.get("origin"):
        by_origin.setdefault(e["origin"], []).append(
            int(e.get("originSeq", e.get("origin_seq", 0))))
for origin, seqs in by_origin.items():
    if seqs != list(range(1, len(seqs) + 1)):
        bad.append(f"origin {origin}: outbox positions {seqs} not 1.. once each in order")
if sorted(by_origin) != ["sentinel-freeze", "sentinel-intake", "sentinel-trace"]:
    bad.append(f"origins {sorted(by_origin)}")
seqs = [int(e.get("seq", 0)) for e in entries]
if seqs != list(range(len(entries))):
    bad.append("audit seq has gaps")
if bad:
    bad.append("entries: " + "; ".join(
        f'{e.get("seq", 0)} {e["action"]} {e.get("subject")} {e.get("origin", "")}'
        for e in entries))
print("\n".join(bad) or f"{len(entries)} entries, outboxes {by_origin}")
sys.exit(1 if bad else 0)
PY
for seq in 0 1 2; do
  expect_output "receipt written" ctl "$AUDIT" --as=auditor/carol audit prove \
    "$seq" --vkey="$cluster/audit/audit.vkey" --out="$work/entry-$seq.receipt"
done
lc stop "$cluster" >/dev/null
"$verify_bin" --vkey="$cluster/audit/audit.vkey" --db="$cluster/audit/db" ||
  fail "sentinel-audit-verify"
echo "PASS"
