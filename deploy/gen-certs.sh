#!/usr/bin/env bash
# Creates a private CA and the certificates the four-service deployment needs,
# with openssl (EC P-256, like the development PKI that sentineld makes on its
# own). For trials and staging; in production, issue the same shapes from
# your own CA and keep this layout.
#
# Usage: gen-certs.sh OUT_DIR [NAMESPACE]
#   NAMESPACE: the Kubernetes namespace, for the servers' DNS names
#              (default: sentinel)
#        gen-certs.sh revoke OUT_DIR CERT.pem
#   Revokes CERT.pem (issued by OUT_DIR/ca.pem) and writes the CA's CRL,
#   valid 30 days, to OUT_DIR/crl.pem and OUT_DIR/<service>/crl.pem (each
#   replaced by a rename, so a server reading it sees the old or the new
#   file): what the servers' --tls_crl reads; they apply it within a second.
#   The list is kept in OUT_DIR/crl-db/ (openssl ca's database).
#        gen-certs.sh revoke OUT_DIR --renew
#   Signs the same list again for 30 more days: run it before crl.pem's
#   nextUpdate (`openssl crl -in crl.pem -noout -nextupdate`). A server
#   keeps enforcing an expired CRL but refuses to start with one.
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
usage() {
  echo "usage: $0 OUT_DIR [NAMESPACE]" >&2
  echo "       $0 revoke OUT_DIR CERT.pem" >&2
  echo "       $0 revoke OUT_DIR --renew" >&2
  exit 64
}
crl_days=30

# revoke OUT_DIR CERT.pem|--renew: adds CERT.pem to the CA's revocation
# list (unless --renew) and writes the signed CRL next to every ca.pem.
revoke() {
  local out="$1" cert="$2" db="$1/crl-db"
  if [ ! -f "$out/ca.pem" ] || [ ! -f "$out/ca.key" ]; then
    echo "gen-certs: $out/ca.pem and $out/ca.key are needed to sign a CRL" >&2
    exit 1
  fi
  umask 077
  mkdir -p "$db"
  touch "$db/index.txt"
  [ -f "$db/crlnumber" ] || echo 01 >"$db/crlnumber"
  cat >"$db/openssl.cnf" <<CONF
[ ca ]
default_ca = sentinel_ca
[ sentinel_ca ]
database = $db/index.txt
crlnumber = $db/crlnumber
new_certs_dir = $db
certificate = $out/ca.pem
private_key = $out/ca.key
default_md = sha256
default_crl_days = $crl_days
unique_subject = no
crl_extensions = crl_extensions
[ crl_extensions ]
authorityKeyIdentifier = keyid:always
CONF
  if [ "$cert" != --renew ]; then
    if [ ! -f "$cert" ]; then
      echo "gen-certs: $cert: no such certificate" >&2
      exit 1
    fi
    # The CA must have issued it, expired or not.
    if ! openssl verify -no_check_time -CAfile "$out/ca.pem" "$cert" >/dev/null 2>&1; then
      echo "gen-certs: $cert was not issued by $out/ca.pem" >&2
      exit 1
    fi
    local serial
    serial=$(openssl x509 -in "$cert" -noout -serial | cut -d= -f2)
    if awk -F'\t' -v s="$serial" '$1 == "R" && toupper($4) == toupper(s) { found = 1 } END { exit !found }' "$db/index.txt"; then
      echo "gen-certs: serial $serial is already revoked; writing the CRL again" >&2
    else
      openssl ca -config "$db/openssl.cnf" -batch -revoke "$cert" 2>"$db/last-error" || {
        cat "$db/last-error" >&2
        exit 1
      }
    fi
  fi
  openssl ca -config "$db/openssl.cnf" -batch -gencrl -out "$db/crl.pem" 2>"$db/last-error" || {
    cat "$db/last-error" >&2
    exit 1
  }
  local target
  for target in "$out" "$out"/*/; do
    target="${target%/}"
    [ -f "$target/ca.pem" ] || continue
    cp "$db/crl.pem" "$target/crl.pem.new"
    chmod 0644 "$target/crl.pem.new"
    mv -f "$target/crl.pem.new" "$target/crl.pem"
  done
  local revoked
  revoked=$(grep -c '^R' "$db/index.txt" || true)
  echo "gen-certs: $out/crl.pem revokes $revoked certificate(s), valid $crl_days days"
}

# An OUT_DIR named "revoke" is given as ./revoke.
if [ "${1:-}" = revoke ]; then
  [ $# -eq 3 ] || usage
  revoke "$2" "$3"
  exit 0
fi
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  usage
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
