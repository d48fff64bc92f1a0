#!/usr/bin/env bash
# The container image's and deployment's scripts, without Docker: syntax of
# every script; build-release.sh's dry run; runtime-packages.sh on a real
# binary; gen-certs.sh's certificates accepted by a real sentineld and by a
# client (sentinel-health-probe over mutual TLS, with a peer certificate),
# and one revoked with gen-certs.sh revoke refused through --tls_crl;
# sentinel-health-probe over plain text; sentinel-entrypoint's key copies.
# Usage: deploy_scripts_test.sh SENTINELD REPO_DIR
set -euo pipefail
SENTINELD=$(realpath "$1")
REPO=$(realpath "$2")
source "$REPO/tests/e2e/sentineld_harness.sh"

work=$(mktemp -d "${TMPDIR:-/tmp}/sentinel-deploy-scripts-XXXXXX")
trap 'kill -9 ${SENTINELD_PID:-} 2>/dev/null || true; rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
probe() { timeout 30 /usr/bin/python3 "$REPO/deploy/docker/sentinel-health-probe" "$@"; }

# 1. Syntax.
for script in "$REPO"/deploy/*.sh "$REPO"/deploy/docker/*.sh \
              "$REPO/deploy/docker/sentinel-entrypoint" \
              "$REPO/examples/python/generate_stubs.sh"; do
  bash -n "$script" || fail "bash -n $script"
done
sh -n "$REPO/deploy/docker/sentinel-entrypoint" || fail "sh -n sentinel-entrypoint"
/usr/bin/python3 -c 'import ast, sys; ast.parse(open(sys.argv[1]).read())' \
  "$REPO/deploy/docker/sentinel-health-probe" || fail "sentinel-health-probe does not parse"

# 2. build-release.sh --dry-run: a Release build of the service binaries.
dry=$("$REPO/deploy/build-release.sh" --dry-run "$work/out")
echo "$dry" | grep -q -- '-DCMAKE_BUILD_TYPE=Release' || fail "dry run: $dry"
for target in sentineld sentinel-audit sentinel-freeze sentinel-intake sentinel-trace; do
  echo "$dry" | grep -q -- "--target .*\\b$target\\b" || fail "dry run lacks $target"
done
[ ! -e "$work/out" ] || fail "the dry run wrote $work/out"
if "$REPO/deploy/build-release.sh" 2>/dev/null; then fail "no OUT_DIR accepted"; fi

# 3. runtime-packages.sh: the gRPC and protobuf runtime packages.
packages=$("$REPO/deploy/docker/runtime-packages.sh" "$SENTINELD")
for package in libc6 libssl3; do
  echo "$packages" | grep -qx "$package" || fail "runtime packages lack $package: $packages"
done
echo "$packages" | grep -q '^libgrpc++' || fail "runtime packages lack libgrpc++: $packages"

# 4. gen-certs.sh: a server certificate and a peer client certificate that
# sentineld accepts, over mutual TLS.
"$REPO/deploy/gen-certs.sh" "$work/certs" >/dev/null
for service in sentinel-audit sentinel-freeze sentinel-intake sentinel-trace; do
  openssl verify -CAfile "$work/certs/ca.pem" "$work/certs/$service/server.pem" \
    "$work/certs/$service/peer.pem" >/dev/null || fail "$service certificates"
  identity="${service#sentinel-}"
  [ "$service" = sentineld ] && identity=intake
  openssl x509 -in "$work/certs/$service/peer.pem" -noout -ext subjectAltName |
    grep -q "URI:spiffe://sentinel/service/$identity" ||
    fail "$service peer certificate lacks its service URI SAN"
  [ "$(stat -c %a "$work/certs/$service/server.key")" = 600 ] || fail "key mode"
done
if "$REPO/deploy/gen-certs.sh" "$work/certs" 2>/dev/null; then
  fail "gen-certs.sh overwrote an existing CA"
fi
# gen-certs.sh revoke: trace's peer certificate listed in every crl.pem,
# which sentineld's --tls_crl enforces while intake's still gets through.
"$REPO/deploy/gen-certs.sh" revoke "$work/certs" \
  "$work/certs/sentinel-trace/peer.pem" >/dev/null
cmp -s "$work/certs/crl.pem" "$work/certs/sentineld/crl.pem" || fail "crl.pem copies"
openssl verify -crl_check -CAfile "$work/certs/ca.pem" \
  -CRLfile "$work/certs/crl.pem" "$work/certs/sentinel-intake/peer.pem" >/dev/null ||
  fail "the CRL revokes intake's certificate"
if openssl verify -crl_check -CAfile "$work/certs/ca.pem" \
  -CRLfile "$work/certs/crl.pem" "$work/certs/sentinel-trace/peer.pem" >/dev/null 2>&1; then
  fail "the CRL does not revoke trace's certificate"
fi
start_sentineld "$work/tls-data" \
  --tls_cert="$work/certs/sentineld/server.pem" \
  --tls_key="$work/certs/sentineld/server.key" \
  --tls_client_ca="$work/certs/sentineld/ca.pem" \
  --tls_crl="$work/certs/sentineld/crl.pem"
grep -q 'transport="mutual TLS, CRL .* (1 revoked)"' "$SENTINELD_LOG" ||
  fail "start line lacks the CRL: $(cat "$SENTINELD_LOG")"
certs="$work/certs/sentinel-intake"
probe "localhost:${SERVER##*:}" --ca="$certs/ca.pem" --cert="$certs/peer.pem" \
  --key="$certs/peer.key" || fail "mutual TLS probe with gen-certs certificates"
revoked="$work/certs/sentinel-trace"
if probe "localhost:${SERVER##*:}" --ca="$revoked/ca.pem" --cert="$revoked/peer.pem" \
  --key="$revoked/peer.key" 2>/dev/null; then
  fail "a revoked certificate passed the probe"
fi
stop_sentineld TERM

# A CRL of another CA (under the same name) is a refusal to start naming
# --tls_crl's file and the reason.
"$REPO/deploy/gen-certs.sh" "$work/other-ca" >/dev/null
"$REPO/deploy/gen-certs.sh" revoke "$work/other-ca" --renew >/dev/null
if "$SENTINELD" --listen=127.0.0.1:0 --data_dir="$work/bad-crl" \
  --tls_cert="$work/certs/sentineld/server.pem" \
  --tls_key="$work/certs/sentineld/server.key" \
  --tls_client_ca="$work/certs/sentineld/ca.pem" \
  --tls_crl="$work/other-ca/crl.pem" 2>"$work/err"; then
  fail "sentineld started with a CRL of another CA"
fi
grep -q "tls_crl: $work/other-ca/crl.pem: CRL 1 (issuer CN=Sentinel CA): the signature does not verify against the client CA" "$work/err" ||
  fail "refusal does not name the CRL and the reason: $(cat "$work/err")"

# No TLS files and no --dev_pki: a refusal to start naming the choices,
# never a silent development CA.
if "$SENTINELD" --listen=127.0.0.1:0 --data_dir="$work/no-tls" 2>"$work/err"; then
  fail "sentineld started without TLS files or --dev_pki"
fi
grep -q -- "--dev_pki" "$work/err" || fail "refusal does not name --dev_pki: $(cat "$work/err")"
[ ! -e "$work/no-tls/tls" ] || fail "a development CA was created without --dev_pki"

# 5. sentinel-health-probe over plain text: SERVING, and unknown names fail.
start_sentineld "$work/plain-data" --insecure
probe "$SERVER" || fail "plain-text probe of the server"
if probe "$SERVER" sentinel.v1.NoSuchService 2>"$work/err"; then
  fail "an unknown health service passed"
fi
grep -q 'NOT_FOUND' "$work/err" || fail "probe stderr: $(cat "$work/err")"
stop_sentineld TERM
[ "$SENTINELD_EXIT" -eq 0 ] || fail "sentineld exited $SENTINELD_EXIT"

# 6. sentinel-entrypoint: keys copied owner-only, then the binary runs.
mkdir "$work/source"
cp "$certs"/*.pem "$certs"/*.key "$work/source/"
chmod 0644 "$work/source"/*
out=$(SENTINEL_TLS_SOURCE="$work/source" SENTINEL_TLS_DIR="$work/run/tls" \
  SENTINEL_BIN_DIR=/usr/bin "$REPO/deploy/docker/sentinel-entrypoint" \
  stat -c '%a %n' "$work/run/tls/server.key" "$work/run/tls/peer.pem")
[ "$out" = "600 $work/run/tls/server.key
600 $work/run/tls/peer.pem" ] || fail "entrypoint copies: $out"
cmp -s "$work/source/server.key" "$work/run/tls/server.key" || fail "copy differs"
if SENTINEL_TLS_SOURCE="$work/empty" SENTINEL_TLS_DIR="$work/run2" \
    "$REPO/deploy/docker/sentinel-entrypoint" /bin/true 2>/dev/null; then
  fail "the entrypoint ran with no certificates to copy"
fi
echo "deploy_scripts_test: PASS"
