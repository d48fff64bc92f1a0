#!/usr/bin/env bash
# End to end on a real, small filesystem: sentineld's data directory on a
# 600 MiB tmpfs, filled by a ballast file until less than the 256 MiB write
# reserve is left. Writes (a freeze, a P0 report) must fail with
# RESOURCE_EXHAUSTED naming the full disk, CheckAccounts must still answer,
# and once the ballast is removed the same writes must succeed at once,
# without a restart; after a restart everything acknowledged is there.
# Mounting needs root (as does the README's test command, which installs
# packages); the test fails, saying so, without it.
# Usage: full_disk_test.sh SENTINELD SENTINELCTL
set -euo pipefail
SENTINELD=$(realpath "$1")
SENTINELCTL=$(realpath "$2")
source "$(dirname "$0")/../e2e/sentineld_harness.sh"

fail() { echo "FAIL: $*" >&2; exit 1; }
mnt=$(mktemp -d "${TMPDIR:-/tmp}/sentinel-full-disk-XXXXXX")
trap 'kill -9 "${SENTINELD_PID:-0}" 2>/dev/null || true; umount "$mnt" 2>/dev/null || true; rm -rf "$mnt"' EXIT
mount -t tmpfs -o size=600m tmpfs "$mnt" ||
  fail "cannot mount a tmpfs at $mnt (this test needs root)"

ctl() { "$SENTINELCTL" --data_dir="$SENTINEL_DATA_DIR" --server="$SERVER" "$@"; }
start_sentineld "$mnt/data"

ctl --as=security/sam freeze acct-1 --scopes=withdraw --reason="before" >/dev/null

# Leave about 200 MiB free: under the reserve.
free_mib=$(df --output=avail -m "$mnt" | tail -1)
fallocate -l "$((free_mib - 200))m" "$mnt/ballast"
if ctl --as=security/sam freeze acct-2 --scopes=withdraw --reason="full" 2>"$mnt/err"; then
  fail "a freeze succeeded on a full disk"
fi
grep -q "RESOURCE_EXHAUSTED: durable write: the disk holding $mnt/data/db is nearly full" "$mnt/err" ||
  fail "freeze error: $(cat "$mnt/err")"
if ctl --as=internal/risk report acct-3 --category=account_takeover \
  --description="2FA reset" >/dev/null 2>"$mnt/err"; then
  fail "a P0 report was acknowledged on a full disk"
fi
grep -q "RESOURCE_EXHAUSTED" "$mnt/err" || fail "report error: $(cat "$mnt/err")"
checked=$(ctl --as=internal/withdrawals check --action=withdraw acct-1 acct-2)
echo "$checked" | grep -Eq '^acct-1 +no ' || fail "acct-1 not frozen: $checked"
echo "$checked" | grep -Eq '^acct-2 +yes ' || fail "acct-2 frozen: $checked"

# Space returns: the same writes succeed at once.
rm "$mnt/ballast"
ctl --as=security/sam freeze acct-2 --scopes=withdraw --reason="space back" >/dev/null ||
  fail "the freeze failed after space returned"
ctl --as=internal/risk report acct-3 --category=account_takeover \
  --description="2FA reset" | grep -q "^protective freeze: frz-" ||
  fail "the P0 report after space returned has no protective freeze"

stop_sentineld TERM
[ "$SENTINELD_EXIT" -eq 0 ] || fail "sentineld exited with $SENTINELD_EXIT"
start_sentineld "$mnt/data"
checked=$(ctl --as=internal/withdrawals check --action=withdraw acct-1 acct-2 acct-3)
[ "$(echo "$checked" | grep -Ec '^acct-[123] +no ')" -eq 3 ] ||
  fail "after the restart: $checked"
stop_sentineld TERM
echo "full_disk_test: writes refused under the reserve, reads served, writing resumed when space returned"
