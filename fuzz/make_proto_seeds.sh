#!/usr/bin/env bash
# Writes the binary seeds of the protobuf fuzz targets into corpus/ from the
# text-format messages below (protoc --encode). Run it after changing a seed
# or the protos; the seeds are checked in, so fuzzing does not need it.
set -euo pipefail
cd "$(dirname "$0")"
proto_dir=../proto

# encode MESSAGE FILE: the text-format message on stdin as binary.
encode() {
  protoc -I "$proto_dir" --encode="sentinel.v1.$1" "$proto_dir/$2"
}

# byte N: the byte with value N (0..255).
byte() { printf '%b' "\\x$(printf %02x "$1")"; }

# record: a 2-byte big-endian length, then stdin (evidence_fuzz's framing).
record() {
  local bytes n
  bytes="$(mktemp)"
  cat >"$bytes"
  n="$(stat -c %s "$bytes")"
  byte $((n >> 8))
  byte $((n & 255))
  cat "$bytes"
  rm -f "$bytes"
}

# selector N: freeze_validation_fuzz's first byte, picking the request type.
selector() { byte "$1"; }

out=corpus/report_validation_fuzz
mkdir -p "$out"
encode ReportIncidentRequest sentinel/v1/incident.proto >"$out/takeover.bin" <<'PB'
account_id: "acct-77"
category: INCIDENT_CATEGORY_ACCOUNT_TAKEOVER
description: "password and 2FA changed from a new device, then a withdrawal"
channel: CHANNEL_INTERNAL_DETECTION
vip_level: 2
idempotency_key: "login-service:evt-991"
PB
encode ReportIncidentRequest sentinel/v1/incident.proto >"$out/secret.bin" <<'PB'
account_id: "acct-78"
category: INCIDENT_CATEGORY_PHISHING
description: "user pasted 5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ"
channel: CHANNEL_LIVE_CHAT
PB
encode UpdateIncidentStatusRequest sentinel/v1/incident.proto >"$out/status.bin" <<'PB'
incident_id: "inc-12"
status: INCIDENT_STATUS_INVESTIGATING
note: "called the user back"
PB

out=corpus/freeze_validation_fuzz
mkdir -p "$out"
{ selector 0; encode FreezeAccountRequest sentinel/v1/freeze.proto <<'PB'
account_id: "acct-42"
scopes: [FREEZE_SCOPE_WITHDRAW, FREEZE_SCOPE_TRANSFER_OUT, FREEZE_SCOPE_API_KEYS]
reason: "2FA reset from an unknown device"
incident_id: "inc-7"
idempotency_key: "key-1"
PB
} >"$out/freeze.bin"
{ selector 1; encode RequestUnfreezeRequest sentinel/v1/freeze.proto <<'PB'
account_id: "acct-42"
freeze_id: "frz-1"
reason: "owner verified on a video call"
PB
} >"$out/request_unfreeze.bin"
{ selector 2; encode ApproveUnfreezeRequest sentinel/v1/freeze.proto <<'PB'
request_id: "unf-2"
PB
} >"$out/approve_unfreeze.bin"
{ selector 3; encode CheckAccountsRequest sentinel/v1/freeze.proto <<'PB'
account_ids: ["acct-42", "acct-43"]
action: FREEZE_SCOPE_WITHDRAW
PB
} >"$out/check_accounts.bin"
{ selector 4; encode GetFreezeStateRequest sentinel/v1/freeze.proto <<'PB'
account_id: "acct-42"
PB
} >"$out/get_state.bin"
{ selector 5; encode ListFrozenAccountsRequest sentinel/v1/freeze.proto <<'PB'
page_size: 2
page_token: "YWNjdC00Mg=="
PB
} >"$out/list.bin"

out=corpus/evidence_fuzz
mkdir -p "$out"
{
  encode EvidenceChunk sentinel/v1/incident.proto <<'PB' | record
incident_id: "inc-3"
file_name: "chat.txt"
content_type: "text/plain"
data: "user: my seed is abandon abandon "
PB
  encode EvidenceChunk sentinel/v1/incident.proto <<'PB' | record
incident_id: "inc-3"
data: "abandon abandon abandon abandon\n"
PB
} >"$out/two_chunks.bin"
encode EvidenceChunk sentinel/v1/incident.proto <<'PB' | record >"$out/png.bin"
incident_id: "inc-9"
file_name: "screenshot.png"
content_type: "image/png"
data: "\211PNG\r\n\032\n\000\000\000\rIHDR"
PB
# Three 1500-byte chunks: the third takes the file past 4096 bytes.
block="$(printf '%1500s' '' | tr ' ' 'x')"
for _ in 1 2 3; do
  encode EvidenceChunk sentinel/v1/incident.proto <<PB | record
incident_id: "inc-4"
file_name: "ledger.csv"
content_type: "text/csv"
data: "$block"
PB
done >"$out/over_limit.bin"

out=corpus/trace_validation_fuzz
mkdir -p "$out"
{ selector 0; encode LedgerEvent sentinel/v1/trace.proto <<'PB'
event_id: "ev-1001"
time { seconds: 1795600000 }
kind: LEDGER_EVENT_KIND_TRADE
from_account: "acct-77"
to_account: "mm-1"
asset: "BTC"
amount: 150000000
counter_asset: "USDT"
counter_amount: 9000000000
PB
} >"$out/trade.bin"
{ selector 0; encode LedgerEvent sentinel/v1/trace.proto <<'PB'
event_id: "ev-1002"
time { seconds: 1795600100 }
kind: LEDGER_EVENT_KIND_WITHDRAWAL
from_account: "acct-77"
external_address: "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh"
asset: "BTC"
amount: 50000000
PB
} >"$out/withdrawal.bin"
{ selector 1; encode TraceFundsRequest sentinel/v1/trace.proto <<'PB'
account_id: "acct-77"
since { seconds: 1795000000 }
until { seconds: 1795600000 }
max_hops: 6
model: TAINT_MODEL_FIFO
assets: ["BTC", "ETH"]
incident_id: "inc-7"
PB
} >"$out/trace.bin"

out=corpus/audit_query_fuzz
mkdir -p "$out"
encode QueryAuditRequest sentinel/v1/audit.proto >"$out/subject.bin" <<'PB'
subject: "acct-1"
page_size: 1
PB
encode QueryAuditRequest sentinel/v1/audit.proto >"$out/actor_and_action.bin" <<'PB'
actor: "security/sam"
action: "TraceService.SetAccountKinds"
PB
encode QueryAuditRequest sentinel/v1/audit.proto >"$out/time_window.bin" <<'PB'
since { seconds: 150 }
until { seconds: 450 }
page_size: 2
PB
