#!/usr/bin/env bash
# compare.sh: every client in one run against the benchmark harness's nginx, side by side.
# Measures throughput (rps), latency percentiles (p50/p99 µs, nearest rank; at C > N they include
# the time a request queues inside the client for a free connection), the TCP connections nginx
# accepted during each run (stub_status "accepts"), each client's CPU time per request and errors, for
# the harness peers (curl-multi, undici, Go net/http, wrk, peer-beast: a bare Boost.Beast client) and
# daftra_bench (raw pool, typed client, naive connection-per-request).
# Clients run in rounds: each client once per round, the order rotated by one each round, so the
# machine's noise spreads over all of them. Prints a Markdown table of the medians over the rounds.
#
#   usage: benchmarks/compare.sh
#   e.g.   HARNESS=/tmp/harness DAFTRA_BENCH=build/release/benchmarks/daftra_bench benchmarks/compare.sh
#          C=8 benchmarks/compare.sh                     # C = N: latencies comparable with wrk's
#          R=2000 RUNS=1 CLIENTS="curl daftra" benchmarks/compare.sh
#
#   env (defaults in brackets):
#     HARNESS       the harness directory: peers in bin/, node/, wrk/, certs/ [/tmp/harness]
#     DAFTRA_BENCH  the daftra_bench binary [build/release/benchmarks/daftra_bench]
#     URL           [https://localhost:18443/api2/invoices.json]; HARNESS_CA [$HARNESS/certs/localhost.crt]
#     C N R RUNS    in flight, connections, requests per run, rounds [64 8 50000 3]
#     CLIENTS       [$ALL_CLIENTS of lib.sh: the peers, then daftra, daftra-callback (--token callback),
#                   daftra-recycle, daftra-typed, daftra-typed-callback, daftra-naive]
#     NAIVE_R       requests for daftra-naive, a new TLS connection each, so slow [R/10]
#     WRK_DURATION  wrk runs for a time, with N connections and one request in flight on each, and
#                   does not verify the certificate [R/10000 seconds, 1 s to 5 s]
#     OUT           where results go [build/bench-results]: compare-<time>-C<C>-N<N>.jsonl (one JSON
#                   line per client run: the client's own line plus name, round, conns, others,
#                   run_C/N/R, exit), .json (the medians and the run's settings) and .md (the table)
#     RUN_TIMEOUT   seconds before one client run is killed [300]
#   Needs: the harness nginx running ($HARNESS/start-nginx.sh), curl, jq, and for the peers what
#   the harness's setup.sh installs. No sudo. Nothing else should use that nginx meanwhile: runs that
#   start while other connections are open there are marked with * in the table.
#   Exit status: 0 when every run gave a line with 0 errors, 1 otherwise, 2 on a set-up problem.
set -euo pipefail
# shellcheck source=benchmarks/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

C=${C:-64} N=${N:-8} R=${R:-50000} RUNS=${RUNS:-3}
CLIENTS=${CLIENTS:-$ALL_CLIENTS}
for v in C N R RUNS; do [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer, not '${!v}'"; done
NAIVE_R=${NAIVE_R:-$(( R / 10 > 0 ? R / 10 : 1 ))}
if [ -z "${WRK_DURATION:-}" ]; then
  s=$(( R / 10000 )); (( s < 1 )) && s=1; (( s > 5 )) && s=5
  WRK_DURATION=${s}s
fi
export WRK_DURATION
bench_setup

OUT=${OUT:-$REPO_DIR/build/bench-results}
mkdir -p "$OUT"
stamp=$(date -u +%Y%m%d-%H%M%S)
base=$OUT/compare-$stamp-C$C-N$N
raw=$base.jsonl
: >"$raw"

read -r -a clients <<<"$CLIENTS"
started=$(date -u '+%Y-%m-%d %H:%M UTC')
load_before=$(loadavg)
t0=$SECONDS
note "$URL  C=$C N=$N R=$R RUNS=$RUNS  clients: $CLIENTS  -> $raw"
missing=0
declare -A dead=()
for round in $(seq "$RUNS"); do
  k=${#clients[@]}
  for i in $(seq 0 $((k - 1))); do
    name=${clients[$(( (i + round - 1) % k ))]}
    [ -z "${dead[$name]:-}" ] || { missing=$((missing + 1)); continue; }
    r=$R
    [ "$name" = daftra-naive ] && r=$NAIVE_R
    rc=0
    line=$(run_client "$name" "$C" "$N" "$r" "round=$round") || rc=$?
    [ "$rc" != 2 ] || die "stopped: the harness nginx is gone ($HARNESS/start-nginx.sh starts it); results so far: $raw"
    if [ "$rc" = 0 ]; then
      echo "$line" >>"$raw"
      jq -r '"round \(.round)  \(.name | . + " " * (13 - length)) \(.rps | tostring | " " * (7 - length) + .) rps  p50 \(.p50_us) µs  p99 \(.p99_us) µs  conns \(.conns)  errors \(.errors)"' <<<"$line" >&2
    else
      missing=$((missing + 1))
      # a client that failed its first run without a line (exit 2: e.g. a mode this daftra_bench lacks) is skipped
      if [ "$round" = 1 ]; then note "skipping $name in the other rounds"; dead[$name]=1; fi
    fi
  done
done
load_after=$(loadavg)
elapsed=$((SECONDS - t0))

# The medians per client, in the order of CLIENTS, with the run's settings: the .json file.
jq -s --arg clients "$CLIENTS" --arg url "$URL" --arg date "$started" \
      --arg load_before "$load_before" --arg load_after "$load_after" \
      --argjson c "$C" --argjson n "$N" --argjson r "$R" --argjson runs "$RUNS" \
      --argjson naive_r "$NAIVE_R" --arg wrk_duration "$WRK_DURATION" --argjson seconds "$elapsed" \
      "$JQ_DEFS"'
  . as $lines
  | ($lines | map(select(.name == "wrk")) | map(.rps) | median) as $wrk
  | {date: $date, url: $url, C: $c, N: $n, R: $r, runs: $runs, naive_R: $naive_r,
     wrk_duration: $wrk_duration, load_before: $load_before, load_after: $load_after, seconds: $seconds,
     clients: [$clients | splits(" +") | select(length > 0) as $name
       | ($lines | map(select(.name == $name))) as $l
       | {name: $name, client: ($l[0].client // ($name | client_label)), runs: ($l | length),
          R: (if $name == "daftra-naive" then $naive_r else $r end),
          rps: ($l | map(.rps) | median), p50_us: ($l | map(.p50_us) | median),
          p99_us: ($l | map(.p99_us) | median), errors: ($l | map(.errors) | add),
          conns: ($l | map(.conns) | unique), shared_rounds: ($l | map(select(.others > 0) | .round)), rps_rounds: ($l | sort_by(.round) | map(.rps)),
          cpu_us: ($l | map(.cpu_us_per_request) | map(select(. != null)) | median),
          rps_vs_wrk: (if $wrk and ($l | length) > 0 then ($l | map(.rps) | median) / $wrk else null end)}]}
  ' "$raw" >"$base.json"

# The table: the .md file and stdout.
jq -r "$JQ_DEFS"'
  "Clients against the harness nginx, \(.date): \(.url), C=\(.C) N=\(.N) R=\(.R) RUNS=\(.runs), "
    + "load average before \(.load_before), after \(.load_after) (\(.seconds) s in all).",
  "",
  "| client | rps | p50 µs | p99 µs | CPU µs/req | conns | errors | rps vs wrk | rps per round |",
  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
  (.N as $n | .wrk_duration as $d | .clients[]
   | "| \(.client)"
     + (if .name == "wrk" then " (\($n) conns, \($d), no TLS verification)"
        elif .name == "daftra-naive" then " (R=\(.R))" else "" end)
     + if .runs == 0 then " | no result | | | | | | | |"
       else " | \(.rps | commas) | \(.p50_us | commas) | \(.p99_us | commas) | \(.cpu_us | commas)"
          + " | \(.conns | map(tostring) | join(", "))"
          + (if (.shared_rounds | length) > 0 then " *" else "" end)
          + " | \(.errors) | \(if .rps_vs_wrk then (.rps_vs_wrk | two) else "–" end)"
          + " | \(.rps_rounds | map(commas) | join(" / ")) |" end),
  "",
  "- Medians over \(.runs) round(s) (the median of 2 is their mean); errors are summed over the rounds.",
  "- conns: the TCP connections nginx accepted during each run (the distinct values over the rounds).",
  "- CPU µs/req: the client process'"'"'s user + system time (/usr/bin/time) over its requests, median over the rounds.",
  (if any(.clients[]; .name == "wrk") then
    "- wrk keeps one request in flight on each of its N connections (C = N, so no queueing in its latencies),"
    + " runs for \(.wrk_duration) instead of R requests, opens one extra probe connection and does not verify the certificate."
   else empty end),
  (if any(.clients[]; .name == "daftra-naive") then
    "- daftra-cpp-naive opens a new TLS connection per request, so it ran R=\(.naive_R) (R/10 unless NAIVE_R is set)."
   else empty end),
  ([.clients[] | select((.shared_rounds | length) > 0) | "\(.client) (round \(.shared_rounds | map(tostring) | join(", ")))"]
   | if length > 0 then "- * Other connections were open at nginx when these runs started (someone else using the"
       + " same server): their conns and figures are suspect: \(join("; "))." else empty end),
  (if .C > .N then "- C > N: the latencies include the time a request waits in the client for a free connection." else empty end)
  ' "$base.json" | tee "$base.md"

note "results: $raw, $base.json, $base.md"
bad=$(jq -s 'map(select(.errors > 0)) | length' "$raw")
if [ "$missing" != 0 ] || [ "$bad" != 0 ]; then
  note "$missing run(s) without a result, $bad with errors"
  exit 1
fi
