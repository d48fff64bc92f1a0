#!/usr/bin/env bash
# End to end: sentinelctl's evidence and incident-watch commands against a
# real sentineld. Reports a ticket, uploads a chat log holding a private key
# and a 2.5 MiB binary, reads both back (the key redacted, the binary byte
# for byte), checks that an agent the incident is not assigned to cannot
# read them, and follows the change log with `watch incidents`, filtered by
# priority.
# Usage: intake_cli_test.sh SENTINELD SENTINELCTL
set -euo pipefail
SENTINELD=$(realpath "$1")
SENTINELCTL=$(realpath "$2")
source "$(dirname "$0")/sentineld_harness.sh"

work=$(mktemp -d "${TMPDIR:-/tmp}/sentinel-intake-e2e-XXXXXX")
trap 'kill -9 "${SENTINELD_PID:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

ctl() { "$SENTINELCTL" --data_dir="$SENTINEL_DATA_DIR" --server="$SERVER" "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }

start_sentineld "$work/data"

ctl --as=agent/alice report acct-1 --category=trade_dispute \
  --description="order filled twice" >/dev/null
ctl --as=internal/risk report acct-2 --category=account_takeover \
  --description="2FA reset from a new device" >/dev/null

# A chat log with a hex private key: stored redacted.
key=4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318
printf 'user: here is my key %s\nagent: please never share it\n' "$key" \
  >"$work/chat.txt"
added=$(ctl --as=agent/alice evidence add inc-1 "$work/chat.txt")
echo "$added" | grep -Eq '^added evd-1 to inc-1: chat.txt \(text/plain, [0-9]+ bytes, 1 secret redacted\)$' ||
  fail "evidence add output: $added"

# A binary file larger than one chunk: stored byte for byte.
head -c 2621440 /dev/urandom >"$work/scan.pdf"
ctl --as=agent/alice evidence add inc-1 "$work/scan.pdf" | grep -Eq '^added evd-2 to inc-1: scan.pdf \(application/pdf, [0-9]+ bytes, not scanned for secrets: handle it as possibly secret\)$' ||
  fail "evidence add of the 2.5 MiB file failed"
ctl --as=agent/alice show inc-1 | grep -Eq "^evd-2 +scan.pdf +application/pdf +2621440 +agent/alice +$(sha256sum "$work/scan.pdf" | cut -c1-64)$" ||
  fail "show does not list evd-2 with its sha256"

# Unassigned: alice (an agent) may not read; security may.
if ctl --as=agent/alice evidence get inc-1 evd-1 --out="$work/denied" 2>"$work/err"; then
  fail "an unassigned agent read evidence"
fi
grep -q 'PERMISSION_DENIED' "$work/err" || fail "denied read said: $(cat "$work/err")"
[ ! -e "$work/denied" ] || fail "a denied read left a file behind"
ctl --as=security/sam evidence get inc-1 evd-1 --out="$work/chat.out" >/dev/null
grep -q "$key" "$work/chat.out" && fail "the private key was stored"
grep -q '^user: here is my key \[REDACTED:hex_private_key\]$' "$work/chat.out" ||
  fail "redacted chat reads: $(cat "$work/chat.out")"
ctl --as=security/sam evidence get inc-1 evd-2 --out="$work/scan.out" >/dev/null
cmp -s "$work/scan.pdf" "$work/scan.out" || fail "evd-2 came back different"

# Once alice claims it (inc-2, the P0, comes first), she may read.
ctl --as=agent/bob claim >/dev/null
ctl --as=agent/alice claim | grep -q '^claimed inc-1$' || fail "alice did not claim inc-1"
ctl --as=agent/alice evidence get inc-1 evd-1 --out="$work/mine" >/dev/null

# The change log: everything from the start, then only P0.
watch=$(ctl --as=agent/console watch incidents --max_events=6)
echo "$watch" | head -1 | grep -Eq '^VERSION +TIME +KIND +INCIDENT +PRIORITY +STATUS +ACCOUNT +ACTOR$' ||
  fail "watch header: $watch"
echo "$watch" | grep -Eq '^3 +[0-9T:-]+Z +EVIDENCE_ADDED +inc-1 +P3 +NEW +acct-1 +agent/alice$' ||
  fail "watch lacks the evidence event: $watch"
p0=$(ctl --as=agent/console watch incidents --priority=P0 --max_events=2)
[ "$(echo "$p0" | grep -c 'inc-2')" = 2 ] || fail "P0 watch: $p0"
echo "$p0" | grep -q 'inc-1' && fail "P0 watch shows the P3 incident: $p0"

stop_sentineld TERM
echo "PASS"
