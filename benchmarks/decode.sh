#!/usr/bin/env bash
# decode.sh: daftra_bench --mode decode on the three pages of docs/benchmarks.md ("Decoding without the
# network"), one JSON line each, then a Markdown table of them.
#   1. the harness's Daftra-shaped page: HARNESS/nginx/html/daftra/api2/invoices.json (20 invoices with
#      72 fields and a nested Client of 48, numbers as strings, 60 KB);
#   2. the harness's 2 KB page: HARNESS/nginx/html/api2/invoices.json (5 records of keys the model does
#      not describe);
#   3. a 1000-row page from a fresh daftra-sandbox (--numbers-as-strings, as Daftra answers): 1,000
#      varied invoices of 3 lines each, added in bulk (the records of compression.sh), then
#      GET /api2/invoices.json?limit=1000 saved uncompressed.
# Only the harness's files are read: its nginx need not run (a copy of the harness is enough; without
# one, pages 1 and 2 are skipped). The pages are kept in PAGES for later runs.
#
#   usage: benchmarks/decode.sh
#   env (defaults in brackets): DAFTRA_BENCH [build/rel/benchmarks/daftra_bench],
#     SANDBOX [build/rel/sandbox/daftra-sandbox], HARNESS [/tmp/harness], PAGES [/tmp/daftra-decode-pages],
#     ROUNDS [3], REQUESTS [daftra_bench's default: the pages making 32 MiB]
#   Needs: curl, jq. Exit status: 0, 1 when a run failed, 2 on a set-up problem.
set -euo pipefail
REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DAFTRA_BENCH=${DAFTRA_BENCH:-$REPO_DIR/build/rel/benchmarks/daftra_bench}
SANDBOX=${SANDBOX:-$REPO_DIR/build/rel/sandbox/daftra-sandbox}
HARNESS=${HARNESS:-/tmp/harness}
PAGES=${PAGES:-/tmp/daftra-decode-pages}
ROUNDS=${ROUNDS:-3}
REQUESTS=${REQUESTS:-}
[ -x "$DAFTRA_BENCH" ] || { echo "no executable $DAFTRA_BENCH" >&2; exit 2; }
for tool in curl jq; do command -v $tool >/dev/null || { echo "$tool is missing (apt-get install -y $tool)" >&2; exit 2; }; done
mkdir -p "$PAGES"

# ---- the pages ----
pages=() labels=()
for f in daftra/api2/invoices.json api2/invoices.json; do
  if [ -f "$HARNESS/nginx/html/$f" ]; then
    pages+=("$HARNESS/nginx/html/$f")
    if [ $f = api2/invoices.json ]; then labels+=("harness 2 KB page"); else labels+=("harness Daftra page"); fi
  else
    echo "decode.sh: no $HARNESS/nginx/html/$f (set HARNESS to a copy of the harness): skipped" >&2
  fi
done

big=$PAGES/sandbox-invoices-1000.json
if [ ! -s "$big" ]; then
  [ -x "$SANDBOX" ] || { echo "no executable $SANDBOX (needed once, for $big)" >&2; exit 2; }
  export DECODE_PAGE_OUT=$big DECODE_BENCH_DIR=$REPO_DIR/benchmarks
  "$REPO_DIR/scripts/with-sandbox.sh" "$SANDBOX" --no-auth --numbers-as-strings -- bash -c '
    set -euo pipefail
    bulk=$(mktemp); trap "rm -f $bulk" EXIT
    "$DECODE_BENCH_DIR/varied_invoices.sh" 1000 >"$bulk"
    curl -sS --fail --cacert "$DAFTRA_CA_FILE" -H "Content-Type: application/json" --data-binary "@$bulk" \
      "$DAFTRA_BASE_URL/api2/invoices/add_bulk.json" >/dev/null
    curl -sS --fail --cacert "$DAFTRA_CA_FILE" -o "$DECODE_PAGE_OUT.part" "$DAFTRA_BASE_URL/api2/invoices.json?limit=1000"
    [ "$(jq ".data | length" "$DECODE_PAGE_OUT.part")" = 1000 ] || { echo "the page does not hold 1000 invoices" >&2; exit 1; }
    mv "$DECODE_PAGE_OUT.part" "$DECODE_PAGE_OUT"' >&2
fi
pages+=("$big") labels+=("sandbox 1000 rows")

# ---- the runs ----
status=0
lines=
for i in "${!pages[@]}"; do
  page=${pages[$i]}
  args=(--mode decode --file "$page" --rounds "$ROUNDS")
  [ -n "$REQUESTS" ] && args+=(--requests "$REQUESTS")
  echo "+ $(basename "$DAFTRA_BENCH") ${args[*]}" >&2
  if line=$("$DAFTRA_BENCH" "${args[@]}"); then
    echo "$line"
    lines+=$(jq -c --arg page "${labels[$i]}" '. + {"page": $page}' <<<"$line")$'\n'
  else
    status=1
  fi
done

echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg), median of $ROUNDS rounds"
echo
echo "| page | bytes | records | path | decode MB/s | null parser MB/s | DOM MB/s | decode µs/page | null µs/page | DOM µs/page | decode ÷ null | allocs/page | bytes allocated/page | largest alloc |"
echo "| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
jq -r '"| \(.page) | \(.bytes) | \(.records_per_page) | \(.path) | \(.decode_mb_s) | \(.null_parser_mb_s) | \(.dom_mb_s) | \(.decode_us_per_page) | \(.null_parser_us_per_page) | \(.dom_us_per_page) | \(.decode_vs_null_parser) | \(.allocs_per_page) | \(.alloc_bytes_per_page) | \(.max_alloc_bytes) |"' <<<"$lines"
exit $status
