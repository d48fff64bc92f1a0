#!/usr/bin/env bash
# End to end: sentinelctl's audit commands against a real sentineld. Freezes
# two accounts, finds the freeze with `audit query`, proves entry 0 into a
# receipt, exports a bundle, verifies the signed checkpoint with the server's
# verifier key, and checks that another server's key (a forged vkey) makes
# prove and export fail with exit 1 and leave no files behind.
# Usage: audit_cli_test.sh SENTINELD SENTINELCTL
set -euo pipefail
# Absolute, since some steps run in the work directory to use relative names.
SENTINELD=$(realpath "$1")
SENTINELCTL=$(realpath "$2")
source "$(dirname "$0")/sentineld_harness.sh"

work=$(mktemp -d "${TMPDIR:-/tmp}/sentinel-audit-e2e-XXXXXX")
trap 'kill -9 "${SENTINELD_PID:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

ctl() { "$SENTINELCTL" --data_dir="$SENTINEL_DATA_DIR" --server="$SERVER" "$@"; }
auditor() { ctl --as=auditor/carol "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
# expect_exit CODE COMMAND...: runs COMMAND, which must exit with CODE;
# its stderr is kept in $work/stderr.
expect_exit() {
  local want="$1" got=0
  shift
  "$@" >"$work/stdout" 2>"$work/stderr" || got=$?
  [ "$got" = "$want" ] ||
    fail "expected exit $want, got $got from: $* ($(cat "$work/stderr"))"
}

# A second server's key: same log name, different key, as a forger would
# have. sentineld writes audit.vkey at start-up, so it need not keep running.
start_sentineld "$work/other"
stop_sentineld TERM
forged_vkey="$work/other/audit.vkey"
[ -s "$forged_vkey" ] || fail "the second sentineld wrote no audit.vkey"

start_sentineld "$work/data"
vkey="$work/data/audit.vkey"
cmp -s "$vkey" "$forged_vkey" && fail "two servers generated the same key"

ctl --as=agent/alice freeze acct-1 --scopes=WITHDRAW --reason="takeover" >/dev/null
ctl --as=agent/alice freeze acct-2 --scopes=LOGIN --reason="phishing" >/dev/null

# query: the freeze of acct-1 and nothing about acct-2.
query=$(auditor audit query --subject=acct-1)
echo "$query" | head -1 | grep -Eq '^SEQ +TIME +PRINCIPAL +ACTION +SUBJECT +OUTCOME$' ||
  fail "query table header missing: $query"
echo "$query" | grep -Eq '^0 +[0-9T:-]+Z +agent/alice +FreezeService\.FreezeAccount +acct-1 +OK$' ||
  fail "query --subject=acct-1 lacks the FreezeAccount entry: $query"
echo "$query" | grep -q 'acct-2' && fail "query --subject=acct-1 shows acct-2: $query"
auditor audit query --action=FreezeService.FreezeAccount --page_size=1 |
  grep -q '^next page: --page_token=' || fail "query does not offer the next page"
auditor --json audit query --actor=agent/alice | grep -q '"action": "FreezeService.FreezeAccount"' ||
  fail "query --json --actor lacks the freezes"

# prove: a receipt for entry 0, checked locally with the server's key.
(cd "$work" && auditor audit prove 0 --vkey="$vkey" --out=receipt) >"$work/prove.txt" ||
  fail "prove 0 failed: $(cat "$work/prove.txt")"
grep -Eq '^entry 0 is included in the signed checkpoint of size [0-9]+ \(root [A-Za-z0-9+/]+=\)$' \
  "$work/prove.txt" || fail "prove output: $(cat "$work/prove.txt")"
grep -q '^entry 0: FreezeService.FreezeAccount by agent/alice on acct-1 at ' \
  "$work/prove.txt" || fail "prove lacks the entry summary: $(cat "$work/prove.txt")"
head -1 "$work/receipt" | grep -qx 'c2sp.org/tlog-proof@v1' || fail "receipt header"
grep -qx 'index 0' "$work/receipt" || fail "receipt index line"
# The key text works as well as the file.
auditor audit prove 1 --vkey="$(head -1 "$vkey")" | grep -q '^entry 1: .* on acct-2 ' ||
  fail "prove 1 with the key text"

# export: the whole log and its checkpoint, never a partial file.
(cd "$work" && auditor audit export bundle --vkey="$vkey") >"$work/export.txt" ||
  fail "export failed: $(cat "$work/export.txt")"
grep -Eq '^exported ([0-9]+) entries and the checkpoint of size \1 to bundle$' \
  "$work/export.txt" || fail "export output: $(cat "$work/export.txt")"
[ -s "$work/bundle" ] || fail "no bundle written"
[ -e "$work/bundle.tmp" ] && fail "export left bundle.tmp behind"
(cd "$work" && auditor audit export plain-bundle) | grep -q ' to plain-bundle$' ||
  fail "export without --vkey"

# checkpoint: the signed note verbatim, then the verification.
auditor audit checkpoint >"$work/note"
head -1 "$work/note" | grep -qx 'sentinel/audit' || fail "note origin line: $(cat "$work/note")"
grep -q '^— sentinel/audit ' "$work/note" || fail "note signature line: $(cat "$work/note")"
auditor audit checkpoint --vkey="$vkey" | tail -1 | grep -qx 'verified: signed by sentinel/audit' ||
  fail "checkpoint --vkey did not verify"
size=$(sed -n 2p "$work/note")
auditor --json audit checkpoint --tree_size="$size" --vkey="$vkey" |
  grep -q "\"tree_size\": \"$size\"" || fail "checkpoint --tree_size=$size --json"

# A forged key: every verification fails with exit 1 and one line saying why.
expect_exit 1 auditor audit prove 0 --vkey="$forged_vkey" --out="$work/forged-receipt"
grep -q '^sentinelctl: DATA_LOSS: .*no signature by sentinel/audit' "$work/stderr" ||
  fail "forged prove: $(cat "$work/stderr")"
[ "$(wc -l <"$work/stderr")" = "1" ] || fail "forged prove printed more than one line"
[ -e "$work/forged-receipt" ] && fail "forged prove wrote a receipt"
expect_exit 1 auditor audit checkpoint --vkey="$forged_vkey"
[ -s "$work/stdout" ] && fail "forged checkpoint printed the note as if verified"
expect_exit 1 auditor audit export "$work/forged-bundle" --vkey="$forged_vkey"
ls "$work"/forged-bundle* 2>/dev/null && fail "forged export left a file"

# Refusals: the wrong role, a position beyond the log, usage errors.
expect_exit 1 ctl --as=agent/alice audit query --subject=acct-1
grep -q 'PERMISSION_DENIED.*security, auditor or admin' "$work/stderr" ||
  fail "agent query: $(cat "$work/stderr")"
expect_exit 1 auditor audit prove 999999 --vkey="$vkey"
grep -q 'OUT_OF_RANGE' "$work/stderr" || fail "prove 999999: $(cat "$work/stderr")"
expect_exit 2 auditor audit prove 0
expect_exit 2 auditor audit prove x --vkey="$vkey"
expect_exit 2 auditor audit prove 0 --vkey="$work/no-such-file"
expect_exit 2 auditor audit checkpoint --vkey=  # empty: not "skip verification"
expect_exit 2 auditor audit query --vkey="$vkey"
expect_exit 2 auditor audit query --action=WITHDRAW  # check's meaning
expect_exit 2 auditor audit query --since=yesterday
expect_exit 2 auditor audit
expect_exit 2 auditor audit export

stop_sentineld TERM
[ "$SENTINELD_EXIT" = "0" ] || fail "SIGTERM exit code $SENTINELD_EXIT, expected 0"
echo "PASS: audit query, prove, export and checkpoint work and verify; a forged key fails"
