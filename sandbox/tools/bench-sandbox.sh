#!/bin/sh
# wrk against daftra-sandbox's GET list endpoint over TLS keep-alive (--threads 1 and 2), next to wrk
# against the harness nginx in the same run. Prints a Markdown table.
#   usage: sandbox/tools/bench-sandbox.sh BUILD_DIR [HARNESS_DIR]
# env: CONNS (wrk connections, default 8), DURATION (default 5s), ROUNDS (default 2)
set -eu
BUILD=${1:?usage: $0 BUILD_DIR [HARNESS_DIR]}
HARNESS=${2:-/tmp/harness}
EXE=$BUILD/sandbox/daftra-sandbox
CONNS=${CONNS:-8}
DURATION=${DURATION:-5s}
ROUNDS=${ROUNDS:-2}
KEY=bench-key
"$HARNESS/start-nginx.sh" >/dev/null

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }  # utime + stime of a process, in clock ticks

rps() {  # SERVER_PID URL [header] -> rps p50 p99 errors cpu-us-per-request (server process only)
  t0=$(cpu_ticks "$1")
  if [ $# -gt 2 ]; then out=$(wrk -t1 -c"$CONNS" -d"$DURATION" --latency -H "$3" "$2"); else out=$(wrk -t1 -c"$CONNS" -d"$DURATION" --latency "$2"); fi
  t1=$(cpu_ticks "$1")
  echo "$out" | awk -v ticks=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" '
    $1 == "Requests/sec:" { rps = $2 } $1 == "50%" { p50 = $2 } $1 == "99%" { p99 = $2 }
    / requests in / { req = $1 } /Non-2xx/ { err += $NF } /Socket errors/ { err += $4 + $6 + $8 + $10 }
    END { printf "%.0f %s %s %d %.1f\n", rps, p50, p99, err, ticks * 1e6 / hz / req }'
}

start_sandbox() {  # THREADS -> sets SB_PID, SB_PORT
  fifo=$(mktemp -u); mkfifo "$fifo"
  "$EXE" --port 0 --threads "$1" --api-key "$KEY" >"$fifo" 2>/dev/null &
  SB_PID=$!
  read -r line <"$fifo"; rm -f "$fifo"
  SB_PORT=${line##*:}
  # Five invoices with a line each: a list answer of about the size of the nginx body.
  for i in 1 2 3 4 5; do
    curl -sk -H "apikey: $KEY" "https://127.0.0.1:$SB_PORT/api2/invoices.json" \
      -d "{\"Invoice\":{\"client_id\":1,\"date\":\"2025-03-2$i\",\"currency_code\":\"USD\",\"notes\":\"Invoice $i\"},\"InvoiceItem\":[{\"item\":\"Widget\",\"unit_price\":50,\"quantity\":2}]}" >/dev/null
  done
}

NGINX_WORKER=$(pgrep -P "$(cat "$HARNESS/nginx/run/nginx.pid")" | head -1)
echo "| round | server | rps | p50 | p99 | errors | server CPU µs/request | body bytes |"
echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
r=1
while [ "$r" -le "$ROUNDS" ]; do
  set -- $(rps "$NGINX_WORKER" https://localhost:18443/api2/invoices.json)
  bytes=$(curl -sk https://localhost:18443/api2/invoices.json | wc -c)
  echo "| $r | nginx (harness, 1 worker) | $1 | $2 | $3 | $4 | $5 | $bytes |"
  for t in 1 2; do
    start_sandbox "$t"
    url="https://127.0.0.1:$SB_PORT/api2/invoices.json"
    bytes=$(curl -sk -H "apikey: $KEY" "$url" | wc -c)
    set -- $(rps "$SB_PID" "$url" "apikey: $KEY")
    echo "| $r | daftra-sandbox --threads $t | $1 | $2 | $3 | $4 | $5 | $bytes |"
    kill "$SB_PID"; wait "$SB_PID" 2>/dev/null || true
  done
  r=$((r + 1))
done
