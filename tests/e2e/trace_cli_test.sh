#!/usr/bin/env bash
# End to end: sentinelctl's trace commands against a real sentineld. Ingests
# a small ledger from a JSON-lines file (twice: the second time everything is
# a duplicate), marks an omnibus account, traces the victim with FIFO
# (amounts checked by hand below) and writes the flow graph as DOT and SVG,
# freezes the candidates in one step (and again with the same key: the same
# freezes), and checks the refusals: an agent may not trace, a malformed
# line is reported with its line number before anything is sent.
# Usage: trace_cli_test.sh SENTINELD SENTINELCTL
set -euo pipefail
SENTINELD=$(realpath "$1")
SENTINELCTL=$(realpath "$2")
source "$(dirname "$0")/sentineld_harness.sh"

work=$(mktemp -d "${TMPDIR:-/tmp}/sentinel-trace-e2e-XXXXXX")
trap 'kill -9 "${SENTINELD_PID:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

ctl() { "$SENTINELCTL" --data_dir="$SENTINEL_DATA_DIR" --server="$SERVER" "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
expect_line() {  # expect_line OUTPUT REGEX WHAT
  echo "$1" | grep -Eq "$2" || fail "$3; output was:
$1"
}

start_sentineld "$work/data"

# The victim holds 1 BTC at 10:30. It sends 0.8 to mule-1, which already
# held 0.5 clean; mule-1 sends 0.9 on (FIFO: 0.5 clean, then 0.4 tainted) to
# mule-2, which sells 0.4 (the clean part) for USDT, withdraws 0.3 (0.1
# clean, 0.2 tainted) and parks the USDT (clean) in the omnibus account.
cat >"$work/events.jsonl" <<'JSON'
{"eventId":"d1","time":"2026-11-20T10:00:00Z","kind":"LEDGER_EVENT_KIND_DEPOSIT","toAccount":"victim","asset":"BTC","amount":"100000000"}
{"eventId":"d2","time":"2026-11-20T10:00:00Z","kind":"LEDGER_EVENT_KIND_DEPOSIT","toAccount":"mule-1","asset":"BTC","amount":"50000000"}
{"eventId":"t1","time":"2026-11-20T11:00:00Z","kind":"LEDGER_EVENT_KIND_TRANSFER","fromAccount":"victim","toAccount":"mule-1","asset":"BTC","amount":"80000000"}
{"eventId":"t2","time":"2026-11-20T11:05:00Z","kind":"LEDGER_EVENT_KIND_TRANSFER","fromAccount":"mule-1","toAccount":"mule-2","asset":"BTC","amount":"90000000"}
{"eventId":"x1","time":"2026-11-20T11:10:00Z","kind":"LEDGER_EVENT_KIND_TRADE","fromAccount":"mule-2","toAccount":"mm-1","asset":"BTC","amount":"40000000","counterAsset":"USDT","counterAmount":"2400000000"}
{"eventId":"w1","time":"2026-11-20T11:20:00Z","kind":"LEDGER_EVENT_KIND_WITHDRAWAL","fromAccount":"mule-2","externalAddress":"bc1qthief","asset":"BTC","amount":"30000000"}
{"eventId":"t3","time":"2026-11-20T11:30:00Z","kind":"LEDGER_EVENT_KIND_TRANSFER","fromAccount":"mule-2","toAccount":"omni-1","asset":"USDT","amount":"1000000000"}
JSON

out=$(ctl --as=internal/ledger-feed trace ingest "$work/events.jsonl")
expect_line "$out" '^sent 7 events: 7 accepted, 0 duplicates, 0 rejected$' "first ingest"
out=$(ctl --as=internal/ledger-feed trace ingest "$work/events.jsonl")
expect_line "$out" '^sent 7 events: 0 accepted, 7 duplicates, 0 rejected$' "second ingest"

# A malformed line: reported with its number, nothing sent (exit 2).
printf '%s\n' "$(head -1 "$work/events.jsonl")" 'not json' >"$work/bad.jsonl"
if ctl --as=internal/ledger-feed trace ingest "$work/bad.jsonl" 2>"$work/err"; then
  fail "a malformed ledger file was accepted"
fi
grep -q 'bad.jsonl:2: not a LedgerEvent in proto JSON' "$work/err" ||
  fail "malformed line said: $(cat "$work/err")"

# A mark as infrastructure takes two people: proposed by one, in effect
# once another approves it; the proposer's own approval is refused.
out=$(ctl --as=security/sam trace kinds set omni-1 omnibus --note="USDT omnibus")
expect_line "$out" '^omni-1: OMNIBUS pending approval, set by security/sam at ' "kinds set"
out=$(ctl --as=auditor/eve trace kinds list --pending)
expect_line "$out" '^omni-1 +OMNIBUS +security/sam +[0-9T:-]+Z +- +USDT omnibus$' "kinds list --pending"
out=$(ctl --as=auditor/eve trace kinds list)
expect_line "$out" '^no infrastructure accounts$' "kinds list before approval"
if ctl --as=security/sam trace kinds approve omni-1 2>"$work/err"; then
  fail "the proposer approved their own mark"
fi
grep -q 'PERMISSION_DENIED.*a different person must approve it' "$work/err" ||
  fail "self-approval said: $(cat "$work/err")"
out=$(ctl --as=security/kim trace kinds approve omni-1)
expect_line "$out" '^omni-1: OMNIBUS in effect, set by security/sam at [0-9T:-]+Z, approved by security/kim at ' "kinds approve"
out=$(ctl --as=auditor/eve trace kinds list)
expect_line "$out" '^omni-1 +OMNIBUS +security/sam +[0-9T:-]+Z +security/kim +USDT omnibus$' "kinds list"

trace=(victim --since=2026-11-20T10:30:00Z --until=2026-11-21T00:00:00Z)
out=$(ctl --as=security/sam trace "${trace[@]}" --dot="$work/flow.dot")
expect_line "$out" '^trace of victim \(FIFO\) as of 2026-11-21T00:00:00Z: 5 events examined, 3 accounts reached$' "trace header"
expect_line "$out" '^BTC +100000000 +0 +0 +80000000 +0 +20000000$' "BTC totals"
expect_line "$out" '^still in victim \(the traced account\): BTC 20000000$' "victim's holding"
expect_line "$out" '^mule-1 +BTC +40000000 +40000000 +1 ' "mule-1 holding"
expect_line "$out" '^mule-2 +BTC +20000000 +20000000 +2 ' "mule-2 holding"
expect_line "$out" '^bc1qthief +BTC +20000000 +1 +3 ' "external address"
echo "$out" | grep -q 'omni-1' && fail "clean USDT reached the omnibus account"
grep -q '^  "a:mule-1" -> "a:mule-2" \[label="BTC 40000000/90000000\\nhop 2"\];$' "$work/flow.dot" ||
  fail "flow.dot: $(cat "$work/flow.dot")"
if command -v dot >/dev/null; then
  expect_line "$out" "^rendered it with Graphviz dot to $work/flow.svg$" "svg line"
  grep -q '<svg' "$work/flow.svg" || fail "flow.svg is not an SVG"
fi

# JSON for scripts: the same numbers.
ctl --json --as=security/sam trace "${trace[@]}" | python3 -c '
import json, sys
result = json.load(sys.stdin)
held = {(h["account_id"], h["asset"]): int(h["tainted_amount"]) for h in result["holdings"]}
assert held == {("victim", "BTC"): 20000000, ("mule-1", "BTC"): 40000000,
                ("mule-2", "BTC"): 20000000}, held
' || fail "trace --json"

# Freeze the candidates in one step; a retry with the same key changes
# nothing.
# The case the freezes are linked to (a freeze must name an incident that
# exists): inc-1, a report that freezes nothing itself.
ctl --as=agent/alice report victim --category=withdrawal_not_received \
  --description="my BTC left without me" | grep -q '^reported inc-1: ' ||
  fail "the report did not make inc-1"
freeze=(trace freeze "${trace[@]}" --incident=inc-1 --reason="holds value stolen from victim" --idempotency_key=sam-1)
out=$(ctl --as=security/sam "${freeze[@]}")
expect_line "$out" '^frozen 2, failed 0, not a candidate 0 ' "freeze summary"
expect_line "$out" '^mule-1 +FROZEN +frz-1 +BTC 40000000 ' "mule-1 frozen"
expect_line "$out" '^mule-2 +FROZEN +frz-2 +BTC 20000000 ' "mule-2 frozen"
out=$(ctl --as=security/sam "${freeze[@]}")
expect_line "$out" '^mule-1 +FROZEN +frz-1 ' "retry returns the same freeze"
out=$(ctl --as=internal/withdrawals check --action=WITHDRAW mule-1 mule-2 victim)
expect_line "$out" '^mule-1 +no +frozen for WITHDRAW by frz-1 \(incident inc-1\)$' "mule-1 blocked"
expect_line "$out" '^victim +yes ' "the victim is not frozen by the trace"

# Agents may not trace; every trace is in the audit log.
if ctl --as=agent/alice trace "${trace[@]}" 2>"$work/err"; then
  fail "an agent traced an account"
fi
grep -q 'PERMISSION_DENIED' "$work/err" || fail "agent trace said: $(cat "$work/err")"
traces=$(ctl --as=auditor/eve audit query --subject=victim | grep -c 'TraceService.TraceFunds')
[ "$traces" -eq 4 ] || fail "expected 4 audited traces of victim, found $traces"

stop_sentineld TERM
[ "$SENTINELD_EXIT" -eq 0 ] || fail "sentineld exited with $SENTINELD_EXIT"
echo "trace_cli_test: OK"
