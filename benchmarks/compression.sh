#!/usr/bin/env bash
# compression.sh: what pool_options::accept_compression does to a 1000-row page.
# Starts a daftra-sandbox (gzip level 1, answers cached in both forms), fills it with ROWS varied
# invoices of three lines each (POST /api2/invoices/add_bulk.json), then fetches
# GET /api2/invoices.json?limit=ROWS with daftra_bench --mode raw, compressed and uncompressed in
# alternating rounds, and prints a Markdown table: rps, p50, p99 and the bytes of one answer body on
# the wire (measured with curl). Loopback has no bandwidth limit, so the table also gives the transfer
# time of each body at a few link speeds: that, not loopback rps, is what compression buys.
#
#   usage: benchmarks/compression.sh
#   e.g.   DAFTRA_BENCH=build/release/benchmarks/daftra_bench SANDBOX=build/release/sandbox/daftra-sandbox \
#          benchmarks/compression.sh
#   env (defaults in brackets): DAFTRA_BENCH [build/release/benchmarks/daftra_bench],
#     SANDBOX [build/release/sandbox/daftra-sandbox], ROWS [1000], C [8], N [8], R [400], RUNS [3]
#   Needs: curl, jq. Exit status: 0, 1 when a run had errors, 2 on a set-up problem.
set -euo pipefail
REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DAFTRA_BENCH=${DAFTRA_BENCH:-$REPO_DIR/build/release/benchmarks/daftra_bench}
SANDBOX=${SANDBOX:-$REPO_DIR/build/release/sandbox/daftra-sandbox}
ROWS=${ROWS:-1000} C=${C:-8} N=${N:-8} R=${R:-400} RUNS=${RUNS:-3}
for v in ROWS C N R RUNS; do [[ ${!v} =~ ^[1-9][0-9]*$ ]] || { echo "$v must be a positive integer" >&2; exit 2; }; done
(( ROWS <= 1000 )) || { echo "ROWS must be at most 1000 (the API's page limit)" >&2; exit 2; }
for f in "$DAFTRA_BENCH" "$SANDBOX"; do [ -x "$f" ] || { echo "no executable $f" >&2; exit 2; }; done
for tool in curl jq; do command -v $tool >/dev/null || { echo "$tool is missing (apt-get install -y $tool)" >&2; exit 2; }; done

if [ -z "${DAFTRA_BASE_URL:-}" ]; then
  # Re-run inside a fresh sandbox; --no-auth lets raw mode (which sends no credentials) read the list.
  exec "$REPO_DIR/scripts/with-sandbox.sh" "$SANDBOX" --no-auth -- "$0" "$@"
fi

page="$DAFTRA_BASE_URL/api2/invoices.json?limit=$ROWS"
# ROWS varied invoices of three lines each (varied_invoices.sh: identical records would compress far
# better than real pages do).
bulk=$(mktemp)
trap 'rm -f "$bulk"' EXIT
"$(dirname "${BASH_SOURCE[0]}")/varied_invoices.sh" "$ROWS" >"$bulk"
curl -sS --fail --cacert "$DAFTRA_CA_FILE" -H 'Content-Type: application/json' --data-binary "@$bulk" \
  "$DAFTRA_BASE_URL/api2/invoices/add_bulk.json" >/dev/null
count=$(curl -sS --fail --cacert "$DAFTRA_CA_FILE" "$DAFTRA_BASE_URL/api2/invoices.json?limit=1" | jq .pagination.total_results)
[ "$count" = "$ROWS" ] || { echo "the sandbox holds $count invoices, not $ROWS" >&2; exit 1; }

body_bytes() {  # the size of the body on the wire, with or without Accept-Encoding: gzip
  curl -sS --cacert "$DAFTRA_CA_FILE" -o /dev/null -w '%{size_download}' "$@" "$page"
}
plain_bytes=$(body_bytes)
gzip_bytes=$(body_bytes -H 'Accept-Encoding: gzip')

status=0
declare -A lines=()
for round in $(seq 1 "$RUNS"); do
  for variant in gzip plain; do
    flag=()
    [ $variant = plain ] && flag=(--no-compression)
    if ! line=$("$DAFTRA_BENCH" --mode raw --url "$page" --ca "$DAFTRA_CA_FILE" --concurrency "$C" \
                --connections "$N" --requests "$R" "${flag[@]}"); then
      status=1
    fi
    echo "round $round $variant: $line" >&2
    lines[$variant]+="$line"$'\n'
  done
done

median() {  # median of field $1 over the lines on stdin
  jq -s "map(.$1) | sort | if length % 2 == 1 then .[length/2|floor] else (.[length/2-1] + .[length/2]) / 2 end"
}
ms_at() {  # milliseconds to move $1 bytes at $2 Mbit/s
  awk -v b="$1" -v m="$2" 'BEGIN { printf "%.1f", b * 8 / (m * 1000) }'
}
echo
echo "GET $page ($ROWS invoices with items), C=$C N=$N R=$R, median of $RUNS rounds, $(date -u '+%Y-%m-%d %H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| answers | body on the wire | rps (loopback) | p50 µs | p99 µs | errors | 1 Gbit/s | 100 Mbit/s | 20 Mbit/s |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for variant in gzip plain; do
  bytes=$plain_bytes
  [ $variant = gzip ] && bytes=$gzip_bytes
  rps=$(median rps <<<"${lines[$variant]}")
  p50=$(median p50_us <<<"${lines[$variant]}")
  p99=$(median p99_us <<<"${lines[$variant]}")
  errors=$(jq -s 'map(.errors) | add' <<<"${lines[$variant]}")
  printf '| %s | %s B | %.0f | %.0f | %.0f | %s | %s ms | %s ms | %s ms |\n' "$variant" "$bytes" "$rps" "$p50" "$p99" \
    "$errors" "$(ms_at "$bytes" 1000)" "$(ms_at "$bytes" 100)" "$(ms_at "$bytes" 20)"
done
exit $status
