#!/usr/bin/env bash
# Creates a private CA and the certificates the four-service deployment needs,
# with openssl (EC P-256, like the development PKI that sentineld makes on its
# own). For trials and staging; in production, issue the same shapes from
# your own CA and keep this layout.
#
# Usage: gen-certs.sh OUT_DIR [NAMESPACE]
#   NAMESPACE: the Kubernetes namespace, for the servers' DNS names
#              (default: sentinel)
#
# OUT_DIR/ca.pem, ca.key            the CA (keep ca.key offline)
# OUT_DIR/<service>/                for sentinel-audit, -freeze, -intake,
#                                   -trace and sentineld:
#   ca.pem                            the CA, to check clients and peers
#   server.pem, server.key            serverAuth; DNS names <service>,
#                                     <service>.NAMESPACE[.svc[.cluster.local]],
#                                     localhost; IP 127.0.0.1
#   peer.pem, peer.key                clientAuth; URI SAN
#                                     spiffe://sentinel/service/<name> (audit,
#                                     freeze, intake, trace; sentineld: intake):
#                                     what the service presents to its peers
# OUT_DIR/clients/<role>-example.pem/.key  one client per role (agent,
#                                   security, internal, auditor, admin)
# Keys are mode 0600, folders 0700. Existing files are never overwritten.
set -euo pipefail
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 OUT_DIR [NAMESPACE]" >&2
  exit 64
fi
out="$1"
namespace="${2:-sentinel}"
if [ -e "$out/ca.pem" ]; then
  echo "gen-certs: $out/ca.pem exists; choose an empty folder" >&2
  exit 1
fi
umask 077
mkdir -p "$out"
days_ca=3650
days_leaf=365

new_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

# issue NAME_PREFIX SUBJECT_CN EXTENSIONS: key and certificate signed by the CA.
issue() {
  local prefix="$1" cn="$2" extensions="$3"
  new_key "$prefix.key"
  openssl req -new -key "$prefix.key" -subj "/CN=$cn" -out "$prefix.csr"
  openssl x509 -req -in "$prefix.csr" -CA "$out/ca.pem" -CAkey "$out/ca.key" \
    -CAcreateserial -days "$days_leaf" -sha256 \
    -extfile <(printf '%s\n' "$extensions") -out "$prefix.pem" 2>/dev/null
  rm -f "$prefix.csr"
}

new_key "$out/ca.key"
openssl req -x509 -new -key "$out/ca.key" -sha256 -days "$days_ca" \
  -subj "/CN=Sentinel CA" \
  -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" -out "$out/ca.pem"

leaf_common="basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature"

for service in sentinel-audit sentinel-freeze sentinel-intake sentinel-trace sentineld; do
  mkdir -p "$out/$service"
  cp "$out/ca.pem" "$out/$service/ca.pem"
  issue "$out/$service/server" "$service" "$leaf_common
extendedKeyUsage=serverAuth
subjectAltName=DNS:$service,DNS:$service.$namespace,DNS:$service.$namespace.svc,DNS:$service.$namespace.svc.cluster.local,DNS:localhost,IP:127.0.0.1"
  # The service's own identity (sentineld calls no peer; it gets intake's).
  identity="${service#sentinel-}"
  [ "$service" = sentineld ] && identity=intake
  issue "$out/$service/peer" "$service" "$leaf_common
extendedKeyUsage=clientAuth
subjectAltName=URI:spiffe://sentinel/service/$identity"
done

mkdir -p "$out/clients"
for role in agent security internal auditor admin; do
  issue "$out/clients/$role-example" "example-$role" "$leaf_common
extendedKeyUsage=clientAuth
subjectAltName=URI:spiffe://sentinel/role/$role/user/example-$role"
done
rm -f "$out/ca.srl"
echo "gen-certs: CA and certificates in $out (namespace $namespace)"
