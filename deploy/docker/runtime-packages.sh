#!/usr/bin/env bash
# Prints, one per line and sorted, the Debian packages that own the shared
# libraries the given binaries load (from ldd and dpkg -S). A runtime image
# installs exactly these, so it follows the build's dependencies without a
# hand-kept list that goes stale when a library's soname changes.
# Fails if a library belongs to no package (it would be missing at run time).
#
# Usage: runtime-packages.sh BINARY...
set -euo pipefail
if [ $# -eq 0 ]; then
  echo "usage: $0 BINARY..." >&2
  exit 64
fi

# dpkg -S knows the path a package installed, which on a merged-/usr system
# may be /lib/... or /usr/lib/...; try the path as given, resolved, and in
# the other spelling.
owner() {
  local library="$1" candidate resolved
  resolved=$(readlink -f "$library")
  for candidate in "$library" "$resolved" "${library#/usr}" "/usr$library" \
                   "${resolved#/usr}" "/usr$resolved"; do
    if dpkg -S "$candidate" 2>/dev/null | head -n 1 | cut -d: -f1; then
      return 0
    fi
  done
  echo "runtime-packages: no Debian package owns $library" >&2
  return 1
}

libraries=$(for binary in "$@"; do
  ldd "$binary" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'
done | sort -u)

for library in $libraries; do
  owner "$library"
done | sort -u
