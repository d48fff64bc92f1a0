# Shared shell helpers for the end-to-end tests: start sentineld on a free
# loopback port, wait for its "listening on" line, stop or kill it.
# Source this file; it expects SENTINELD to point at the binary.
#
# sentineld's stderr goes through a FIFO that the test reads with a bounded
# `read -t`, so the test blocks on the server's own output instead of
# sleeping; everything read is copied to DATA_DIR.log.

# start_sentineld DATA_DIR [extra flags...]
# Starts sentineld in the background, serving mutual TLS with the development
# CA it creates in DATA_DIR/tls; sets SENTINELD_PID, SENTINELD_LOG, SERVER
# (host:port) and SENTINEL_DATA_DIR (for sentinelctl --data_dir, which finds
# the CA there). Fails after 30 s without the "listening on" line.
start_sentineld() {
  local data_dir="$1"
  shift
  SENTINELD_LOG="$data_dir.log"
  local fifo="$data_dir.fifo"
  rm -f "$fifo"
  mkfifo "$fifo"
  SENTINEL_DATA_DIR="$data_dir"
  # The development CA unless the caller chose TLS files or plain text.
  local -a transport=(--dev_pki)
  case " $* " in *" --tls_cert="* | *" --insecure "*) transport=() ;; esac
  "$SENTINELD" --listen=127.0.0.1:0 --data_dir="$data_dir" "${transport[@]}" \
    "$@" 2>"$fifo" &
  SENTINELD_PID=$!
  exec {SENTINELD_FD}<"$fifo"
  local line
  while IFS= read -r -t 30 -u "$SENTINELD_FD" line; do
    echo "$line" >>"$SENTINELD_LOG"
    case "$line" in
      *"listening on "*)
        SERVER=$(echo "$line" | sed -E 's/.*listening on ([^ ]+) .*/\1/')
        return 0
        ;;
    esac
  done
  echo "sentineld did not start; log:" >&2
  cat "$SENTINELD_LOG" >&2
  return 1
}

# stop_sentineld SIGNAL: sends SIGNAL, waits for the exit, copies the rest of
# the server's output to its log, and sets SENTINELD_EXIT to the exit code.
# (Call it directly, not in $(...): only this shell can wait for the server.)
stop_sentineld() {
  kill "-$1" "$SENTINELD_PID"
  SENTINELD_EXIT=0
  # (2>/dev/null: no "Killed" job notice from the shell after SIGKILL.)
  wait "$SENTINELD_PID" 2>/dev/null || SENTINELD_EXIT=$?
  cat <&"$SENTINELD_FD" >>"$SENTINELD_LOG"
  exec {SENTINELD_FD}<&-
}
