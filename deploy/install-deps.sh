#!/usr/bin/env bash
# Installs the Debian 12 packages Sentinel needs to build, test and run
# (graphviz: `sentinelctl trace --dot` renders the flow graph as SVG;
# python3-mnemonic: the BIP-39 word lists the redactor is generated from),
# and the one npm package the build reads (see "BIP-39 word lists" below).
# Idempotent: when everything is already present it only checks and exits.
# Runs `apt-get update` before the first install on a fresh machine.
set -euo pipefail

# BIP-39 word lists: python3-mnemonic 0.19 (Debian 12) ships the English,
# French, Italian and Spanish lists but not Czech or Portuguese (added in
# 0.20), and no Debian 12 package has those two; they come from the npm
# package bip39 at this exact version, its tarball checked against the
# registry's published integrity. redaction/CMakeLists.txt reads them from
# $bip39_dir/package/src/wordlists/ and pins every list's SHA-256 again.
bip39_version=3.1.0
bip39_integrity='sha512-c9kiwdk45Do5GL0vJMe7tS95VjCii65mYAH7DfWl3uW8AVzXKQVUm64i3hzVybBDMp9r7j9iNxR85+ul8MdN/A=='
bip39_dir=/usr/local/share/sentinel/npm-bip39-$bip39_version

packages=(
  cmake ninja-build g++ ccache pkg-config
  clang libclang-rt-14-dev
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  librocksdb-dev libabsl-dev libssl-dev openssl
  libgtest-dev libgmock-dev
  python3 python3-grpcio python3-protobuf python3-yaml python3-mnemonic
  graphviz
)
# npm fetches bip39; a machine with its own Node.js and npm keeps them.
if ! command -v npm >/dev/null; then
  packages+=(npm)
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$package")
  fi
done

bip39_present() {
  [ -f "$bip39_dir/package/src/wordlists/czech.json" ] &&
    [ -f "$bip39_dir/package/src/wordlists/portuguese.json" ]
}

if [ ${#missing[@]} -eq 0 ] && bip39_present; then
  echo "install-deps: all ${#packages[@]} packages and bip39@$bip39_version present"
  exit 0
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd=(sudo)
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -q
  "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if ! bip39_present; then
  echo "install-deps: fetching bip39@$bip39_version into $bip39_dir"
  scratch=$(mktemp -d)
  trap 'rm -rf "$scratch"' EXIT
  (cd "$scratch" && npm pack --silent "bip39@$bip39_version" >/dev/null)
  tarball="$scratch/bip39-$bip39_version.tgz"
  integrity="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
  if [ "$integrity" != "$bip39_integrity" ]; then
    echo "install-deps: bip39-$bip39_version.tgz has integrity $integrity, expected $bip39_integrity" >&2
    exit 1
  fi
  "${sudo_cmd[@]}" mkdir -p "$bip39_dir"
  "${sudo_cmd[@]}" tar -xzf "$tarball" -C "$bip39_dir" package/src/wordlists package/package.json
fi
