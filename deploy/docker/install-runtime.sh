#!/usr/bin/env bash
# The runtime image's one setup step (run as root on debian:12): installs the
# packages listed in PACKAGES_FILE (written by deploy/build-release.sh) plus
# python3-grpcio for sentinel-health-probe, creates the unprivileged user
# `sentinel` (uid/gid 10001, the id the Compose and Kubernetes manifests run
# as) and the folders it writes: /var/lib/sentinel (data volumes mount there)
# and /run/sentinel (TLS key copies; a memory-backed volume in production).
#
# Usage: install-runtime.sh PACKAGES_FILE
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: $0 PACKAGES_FILE" >&2
  exit 64
fi
mapfile -t packages < <(grep -v '^[[:space:]]*$' "$1")

export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${packages[@]}" python3-grpcio
rm -rf /var/lib/apt/lists/*

groupadd --system --gid 10001 sentinel
useradd --system --uid 10001 --gid sentinel --home-dir /var/lib/sentinel \
  --no-create-home --shell /usr/sbin/nologin sentinel
install -d -o sentinel -g sentinel -m 0700 /var/lib/sentinel /run/sentinel
