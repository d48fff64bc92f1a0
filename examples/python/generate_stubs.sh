#!/usr/bin/env bash
# Generates the Python gRPC stubs for Sentinel's API from proto/ with protoc
# and Debian's grpc_python_plugin (packages protobuf-compiler and
# protobuf-compiler-grpc; the stubs need python3-grpcio and python3-protobuf
# at run time).
#
# Usage: generate_stubs.sh [PROTO_DIR [OUT_DIR]]
#   PROTO_DIR  Sentinel's proto/ folder (default: ../../proto from here)
#   OUT_DIR    where the sentinel/v1/*_pb2*.py modules go (default:
#              ./generated next to this script)
# report_hacked_account.py looks for them in ./generated, or in the folder
# named by SENTINEL_PYTHON_STUBS.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
proto_dir=$(cd "${1:-$here/../../proto}" && pwd)
out_dir="${2:-$here/generated}"
plugin="${GRPC_PYTHON_PLUGIN:-/usr/bin/grpc_python_plugin}"

mkdir -p "$out_dir"
cd "$proto_dir"
protoc -I. --python_out="$out_dir" --grpc_python_out="$out_dir" \
  --plugin=protoc-gen-grpc_python="$plugin" sentinel/v1/*.proto
echo "generate_stubs: wrote sentinel/v1 stubs to $out_dir"
