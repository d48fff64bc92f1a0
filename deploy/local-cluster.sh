#!/usr/bin/env bash
# Runs Sentinel as four processes on loopback, without containers:
# sentinel-audit, sentinel-freeze, sentinel-intake and sentinel-trace, each
# with its own RocksDB under DIR/<service>, sharing one development CA in
# DIR/tls (mutual TLS between them and for clients).
#
#   deploy/local-cluster.sh start DIR [--ports=auto|fixed]
#       Starts the four (audit first: the others need its address) and
#       writes DIR/cluster.env: AUDIT, FREEZE, INTAKE, TRACE (host:port),
#       <SERVICE>_PID, TLS_DIR. --ports=fixed (the default) uses 7451..7454;
#       auto picks free ports (tests).
#   deploy/local-cluster.sh stop DIR           SIGTERM to all, waits
#   deploy/local-cluster.sh kill DIR SERVICE   SIGKILL one (audit, freeze,
#                                              intake, trace)
#   deploy/local-cluster.sh restart DIR SERVICE  starts it again, same port
#   deploy/local-cluster.sh status DIR         which are running
#
# Logs: DIR/<service>.log. Binaries: $SENTINEL_BIN_DIR (default
# build/services, as `cmake --build build` leaves them).
# sentinelctl talks to a service with: --server=$INTAKE --data_dir=DIR
# (it finds the CA in DIR/tls).
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
bin_dir="${SENTINEL_BIN_DIR:-$repo/build/services}"
services=(audit freeze intake trace)
declare -A fixed_port=([audit]=7451 [freeze]=7452 [intake]=7453 [trace]=7454)

usage() {
  sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

binary() { echo "$bin_dir/$1/sentinel-$1"; }
upper() { echo "$1" | tr '[:lower:]' '[:upper:]'; }

# start_one DIR SERVICE LISTEN: starts the service, waits (at most 30 s) for
# its "listening on" line, and records its address and pid in cluster.env.
start_one() {
  local dir="$1" service="$2" listen="$3"
  local log="$dir/$service.log"
  local -a peers=()
  [ "$service" != audit ] && peers+=("--audit_address=$AUDIT")
  case "$service" in intake | trace) peers+=("--freeze_address=$FREEZE") ;; esac
  : >>"$log"
  local offset
  offset=$(wc -l <"$log")
  "$(binary "$service")" --data_dir="$dir/$service" --tls_dir="$dir/tls" \
    --dev_pki --listen="$listen" "${peers[@]}" 2>>"$log" &
  local pid=$!
  local line=""
  for _ in $(seq 1 600); do
    line=$(tail -n +"$((offset + 1))" "$log" | grep -m1 "listening on " || true)
    [ -n "$line" ] && break
    if ! kill -0 "$pid" 2>/dev/null; then break; fi
    sleep 0.05
  done
  if [ -z "$line" ]; then
    echo "local-cluster: sentinel-$service did not start; see $log:" >&2
    tail -n 20 "$log" >&2
    return 1
  fi
  local address
  address=$(echo "$line" | sed -E 's/.*listening on ([^ ]+) .*/\1/')
  local name
  name=$(upper "$service")
  printf -v "$name" '%s' "$address"
  printf -v "${name}_PID" '%s' "$pid"
  write_env "$dir"
  echo "local-cluster: sentinel-$service on $address (pid $pid)"
}

write_env() {
  local dir="$1" tmp="$1/cluster.env.tmp" each name
  {
    for each in "${services[@]}"; do
      name=$(upper "$each")
      echo "$name=${!name:-}"
      local pid_var="${name}_PID"
      echo "$pid_var=${!pid_var:-}"
    done
    echo "TLS_DIR=$dir/tls"
  } >"$tmp"
  mv "$tmp" "$dir/cluster.env"
}

load_env() {
  [ -f "$1/cluster.env" ] || { echo "local-cluster: no cluster in $1" >&2; exit 1; }
  # shellcheck disable=SC1091
  . "$1/cluster.env"
}

[ $# -ge 2 ] || usage
command="$1"
dir="$2"
case "$command" in
  start)
    ports="${3:---ports=fixed}"
    mkdir -p "$dir"
    chmod 700 "$dir"
    dir="$(cd "$dir" && pwd)"
    for service in "${services[@]}"; do
      if [ "$ports" = "--ports=auto" ]; then
        listen="127.0.0.1:0"
      else
        listen="127.0.0.1:${fixed_port[$service]}"
      fi
      start_one "$dir" "$service" "$listen"
    done
    ;;
  stop)
    load_env "$dir"
    for service in trace intake freeze audit; do
      pid_var="$(upper "$service")_PID"
      pid="${!pid_var:-}"
      [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null || true
    done
    for service in "${services[@]}"; do
      pid_var="$(upper "$service")_PID"
      pid="${!pid_var:-}"
      [ -z "$pid" ] && continue
      for _ in $(seq 1 300); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
      done
    done
    echo "local-cluster: stopped"
    ;;
  kill | restart)
    [ $# -eq 3 ] || usage
    load_env "$dir"
    service="$3"
    name=$(upper "$service")
    pid_var="${name}_PID"
    if [ "$command" = kill ]; then
      kill -KILL "${!pid_var}" 2>/dev/null || true
      for _ in $(seq 1 200); do
        kill -0 "${!pid_var}" 2>/dev/null || break
        sleep 0.05
      done
      echo "local-cluster: sentinel-$service killed"
    else
      start_one "$dir" "$service" "${!name}"
    fi
    ;;
  status)
    load_env "$dir"
    for service in "${services[@]}"; do
      name=$(upper "$service")
      pid_var="${name}_PID"
      if kill -0 "${!pid_var:-0}" 2>/dev/null; then state=running; else state=down; fi
      echo "sentinel-$service ${!name} $state"
    done
    ;;
  *) usage ;;
esac
