#!/usr/bin/env bash
# What each library other teams link carries with it (the link closures the
# build writes): the client library that withdrawal engines link, and the
# core every library shares, carry no storage engine and no server code;
# the freeze service carries no trace code; sentinelctl carries no server
# plumbing. Each check also names what must be there, so that an empty or
# unreadable closure fails instead of passing.
# Usage: link_closure_test.sh LINK_CLOSURES_TXT
set -euo pipefail
closures=$1
fail() { echo "FAIL: $*" >&2; exit 1; }

# closure TARGET: its closure, one name per line.
closure() {
  local line
  line=$(grep "^$1: " "$closures") || fail "no closure for $1 in $closures"
  echo "${line#*: }" | tr ';' '\n'
}
# has TARGET NAME / lacks TARGET NAME
has() { closure "$1" | grep -qx "$2" || fail "$1 does not link $2"; }
lacks() {
  if closure "$1" | grep -qx "$2"; then fail "$1 links $2"; fi
}

server_code=(RocksDB::rocksdb sentinel_common sentinel_audit sentinel_freeze
  sentinel_incident sentinel_trace sentinel_services_common
  sentinel_freeze_grpc sentinel_intake_grpc sentinel_audit_grpc
  sentinel_trace_grpc sentinel_sentinel_server)

has sentinel_client sentinel_common_core
has sentinel_client sentinel_proto
for name in "${server_code[@]}"; do lacks sentinel_client "$name"; done

has sentinel_common_core sentinel_proto_messages
lacks sentinel_common_core RocksDB::rocksdb
lacks sentinel_common_core sentinel_proto
lacks sentinel_common_core gRPC::grpc++

has sentinel_freeze_grpc sentinel_freeze
lacks sentinel_freeze_grpc sentinel_trace

has sentinelctl sentinel_cli
lacks sentinelctl sentinel_services_common

echo "link_closure_test: client and core free of storage and server code"
