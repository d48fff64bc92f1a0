#!/usr/bin/env bash
# Installs the Debian 12 packages Sentinel needs to build, test and run
# (graphviz: `sentinelctl trace --dot` renders the flow graph as SVG).
# Idempotent: when every package is already present it only checks and exits.
# Runs `apt-get update` before the first install on a fresh machine.
set -euo pipefail

packages=(
  cmake ninja-build g++ ccache pkg-config
  clang libclang-rt-14-dev
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  librocksdb-dev libabsl-dev libssl-dev openssl
  libgtest-dev libgmock-dev
  python3 python3-grpcio python3-protobuf python3-yaml
  graphviz
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd=(sudo)
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
