#!/usr/bin/env bash
# Installs what is missing, builds Sentinel, and runs sentineld in the
# foreground with its embedded RocksDB under ./var/ (the single-machine
# default), serving mutual TLS with the development CA it creates in
# ./var/tls/ on first start. Ctrl-C stops it cleanly.
#
# Environment: SENTINEL_LISTEN (default 127.0.0.1:7443), SENTINEL_DATA_DIR
# (default ./var), BUILD_DIR (default ./build). Extra arguments go to
# sentineld.
set -euo pipefail
cd "$(dirname "$0")/.."

./deploy/install-deps.sh
build_dir="${BUILD_DIR:-build}"
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DSENTINEL_BUILD_TESTS=OFF >/dev/null
cmake --build "$build_dir" -j2 --target sentineld sentinelctl sentinel-audit-verify

echo "run: sentinelctl is at $build_dir/cli/sentinelctl"
# The development CA under <data_dir>/tls unless TLS files are given.
transport=(--dev_pki)
case " $* " in *" --tls_cert="* | *" --insecure "*) transport=() ;; esac
exec "$build_dir/services/sentineld/sentineld" \
  --listen="${SENTINEL_LISTEN:-127.0.0.1:7443}" \
  --data_dir="${SENTINEL_DATA_DIR:-var}" "${transport[@]}" "$@"
