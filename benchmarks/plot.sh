#!/usr/bin/env bash
# plot.sh: requests per second against concurrency C for every client (the harness peers and
# daftra_bench), one line per client, drawn by gnuplot; plus p99 latency against C.
# For each C in $CS, each client runs once per round (the order rotated, so noise spreads evenly) with
# C requests in flight over at most N=8 connections. wrk has no in-flight setting (one request per
# connection), so at point C it runs with C connections; it also does not verify the certificate.
# R is chosen per client and point so that a run takes about SECONDS_PER_POINT seconds: the rps the
# same client reached at the previous C times SECONDS_PER_POINT (R_FIRST for the first C); R=... fixes it.
#
#   usage: benchmarks/plot.sh                 # the full sweep: writes docs/img/rps-vs-concurrency.png
#                                             # and docs/img/p99-vs-concurrency.png (~2.5-3 min)
#   e.g.   HARNESS=/tmp/harness DAFTRA_BENCH=build/release/benchmarks/daftra_bench benchmarks/plot.sh
#          CS="1 8 64" R=2000 OUT_PNG=/tmp/rps.png benchmarks/plot.sh      # a quick try
#          PLOT_FROM=build/bench-results/plot-….jsonl benchmarks/plot.sh   # redraw kept results, no runs
#
#   env (defaults in brackets):
#     HARNESS, DAFTRA_BENCH, URL, HARNESS_CA, RUN_TIMEOUT   as for benchmarks/compare.sh
#     CS                the concurrency levels [1 2 4 8 16 32 64 128 256]
#     N                 connections of the pool clients [8]
#     CLIENTS           [curl undici go wrk daftra daftra-typed daftra-naive]
#     RUNS              rounds per point; the plot shows the medians [1]
#     SECONDS_PER_POINT target duration of one run; also wrk's duration [2]
#     R_FIRST           R of a client's first point [8000; daftra-naive 800]
#     R                 a fixed R for every run instead (daftra-naive: NAIVE_R [R/10])
#     R_MIN, R_MAX      bounds of the chosen R [500, 500000]
#     OUT               where results go [build/bench-results]: plot-<time>-N<N>.jsonl (one JSON line per
#                       run, with name, point_C, round, conns, others, run_C/N/R), .rps.dat and .p99.dat (what
#                       gnuplot reads: C and one column per client)
#     OUT_PNG           [docs/img/rps-vs-concurrency.png]; OUT_P99_PNG [p99-vs-concurrency.png beside it]
#     PLOT_FROM         a .jsonl of an earlier run: only redraw it
#   Needs: gnuplot (apt-get install -y gnuplot-nox), the harness nginx running
#   ($HARNESS/start-nginx.sh), curl, jq. No sudo. Nothing else should use that nginx meanwhile (runs
#   that start while other connections are open there are listed at the end).
#   Exit status: 0 when every run gave a line with 0 errors, 1 otherwise, 2 on a set-up problem.
set -euo pipefail
# shellcheck source=benchmarks/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command -v gnuplot >/dev/null || die "gnuplot is missing; install it with: apt-get install -y gnuplot-nox"
CS=${CS:-1 2 4 8 16 32 64 128 256}
N=${N:-8} RUNS=${RUNS:-1}
CLIENTS=${CLIENTS:-$ALL_CLIENTS}
SECONDS_PER_POINT=${SECONDS_PER_POINT:-2}
R_FIRST=${R_FIRST:-8000} R_MIN=${R_MIN:-500} R_MAX=${R_MAX:-500000}
for v in N RUNS SECONDS_PER_POINT R_FIRST R_MIN R_MAX; do
  [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer, not '${!v}'"
done
for c in $CS; do [[ $c =~ ^[1-9][0-9]*$ ]] || die "CS must list positive integers, not '$c'"; done
if [ -n "${R:-}" ]; then
  [[ $R =~ ^[1-9][0-9]*$ ]] || die "R must be a positive integer, not '$R'"
  NAIVE_R=${NAIVE_R:-$(( R / 10 > 0 ? R / 10 : 1 ))}
fi
export WRK_DURATION=${SECONDS_PER_POINT}s
OUT=${OUT:-$REPO_DIR/build/bench-results}
OUT_PNG=${OUT_PNG:-$REPO_DIR/docs/img/rps-vs-concurrency.png}
OUT_P99_PNG=${OUT_P99_PNG:-$(dirname "$OUT_PNG")/p99-vs-concurrency.png}

# r_for NAME: the R of NAME's next run.
declare -A last_rps=()
r_for() {
  local name=$1 r
  if [ -n "${R:-}" ]; then
    [ "$name" = daftra-naive ] && r=$NAIVE_R || r=$R
  elif [ -n "${last_rps[$name]:-}" ]; then
    r=$(( last_rps[$name] * SECONDS_PER_POINT ))
    (( r < R_MIN )) && r=$R_MIN
    (( r > R_MAX )) && r=$R_MAX
  else
    [ "$name" = daftra-naive ] && r=$(( R_FIRST / 10 > 0 ? R_FIRST / 10 : 1 )) || r=$R_FIRST
  fi
  echo "$r"
}

missing=0
if [ -n "${PLOT_FROM:-}" ]; then
  [ -s "$PLOT_FROM" ] || die "PLOT_FROM=$PLOT_FROM: no such file"
  raw=$PLOT_FROM
  base=${raw%.jsonl}
  meta=$(head -1 "$raw" | jq -r '(.sweep | objects | .info) // empty')
  [ -n "$meta" ] || meta="$(date -u -r "$raw" '+%Y-%m-%d %H:%M UTC')"
  URL=$(head -1 "$raw" | jq -r --arg u "${URL:-?}" '(.sweep | objects | .url) // $u')
  N=$(head -1 "$raw" | jq -r '(.sweep | objects | .N) // .run_N')
  RUNS=$(jq -s 'map(.round) | max' "$raw")
  CLIENTS=$(jq -rs 'map(.name) | unique | join(" ")' "$raw")
  # keep the usual order of the clients
  CLIENTS=$(for c in $ALL_CLIENTS; do if [[ " $CLIENTS " == *" $c "* ]]; then printf '%s ' "$c"; fi; done)
else
  bench_setup
  mkdir -p "$OUT"
  base=$OUT/plot-$(date -u +%Y%m%d-%H%M%S)-N$N
  raw=$base.jsonl
  : >"$raw"
  read -r -a clients <<<"$CLIENTS"
  k=${#clients[@]}
  started=$(date -u '+%Y-%m-%d %H:%M UTC')
  load_before=$(loadavg)
  t0=$SECONDS
  declare -A dead=()
  note "$URL  C in {$CS}  N=$N RUNS=$RUNS  ~${SECONDS_PER_POINT}s per run  clients: $CLIENTS  -> $raw"
  turn=0
  for c in $CS; do
    for round in $(seq "$RUNS"); do
      turn=$((turn + 1))
      for i in $(seq 0 $((k - 1))); do
        name=${clients[$(( (i + turn - 1) % k ))]}
        [ -z "${dead[$name]:-}" ] || continue
        n=$N
        [ "$name" = wrk ] && n=$c        # wrk: C connections, one request in flight on each
        r=$(r_for "$name")
        rc=0
        line=$(run_client "$name" "$c" "$n" "$r" "point_C=$c" "round=$round") || rc=$?
        [ "$rc" != 2 ] || die "stopped: the harness nginx is gone ($HARNESS/start-nginx.sh starts it); results so far: $raw"
        if [ "$rc" = 0 ]; then
          echo "$line" >>"$raw"
          last_rps[$name]=$(jq -r '.rps | round' <<<"$line")
          jq -r '"C=\(.point_C)\t\(.name)\tR=\(.requests)\t\(.seconds) s\t\(.rps) rps\tp99 \(.p99_us) µs\tconns \(.conns)\terrors \(.errors)"' <<<"$line" >&2
        else
          missing=$((missing + 1))
          # a client that cannot start (exit 2: bad arguments, e.g. a mode this daftra_bench lacks) is dropped
          if ! jq -se --arg n "$name" 'any(.[]; .name == $n)' "$raw" >/dev/null; then
            note "dropping $name for the rest of the sweep"
            dead[$name]=1
          fi
        fi
      done
    done
  done
  elapsed=$((SECONDS - t0))
  meta="$started, load average before $(echo "$load_before" | cut -d' ' -f1) after $(loadavg | cut -d' ' -f1), sweep ${elapsed} s"
  # the sweep's description rides on the first line, for PLOT_FROM
  if [ -s "$raw" ]; then
    jq -c --arg m "$meta" --arg url "$URL" --argjson n "$N" \
      -s '.[0] += {sweep: {info: $m, url: $url, N: $n}} | .[]' "$raw" >"$raw.tmp"
    mv "$raw.tmp" "$raw"
  fi
  note "sweep took ${elapsed} s"
fi
[ -s "$raw" ] || die "no results in $raw"

# Data files: C, then the median of each client at that C (NaN where it has none).
dat() {  # dat FIELD FILE
  jq -rs --arg clients "$CLIENTS" --arg field "$1" "$JQ_DEFS"'
    . as $l | [$clients | splits(" +") | select(length > 0)] as $names
    | ($names | map(. as $n | ($l | map(select(.name == $n)) | .[0]) as $x
        | if $x == null then $n
          elif $n == "wrk" then "wrk (C conns, no TLS verify)" else $x.client end)) as $labels
    | (["C"] + ($labels | map("\"" + . + "\"")) | join("\t")),
      ($l | map(.point_C) | unique[] as $c
       | [$c] + ($names | map(. as $n | $l | map(select(.name == $n and .point_C == $c) | .[$field]) | median // "NaN"))
       | map(tostring) | join("\t"))
  ' "$raw" >"$2"
}
dat rps "$base.rps.dat"
dat p99_us "$base.p99.dat"
ncol=$(head -1 "$base.rps.dat" | awk -F'\t' '{ print NF }')

mkdir -p "$(dirname "$OUT_PNG")" "$(dirname "$OUT_P99_PNG")"
heading="GET $URL: requests per second against concurrency"
subheading="harness nginx (1 worker) on loopback, $(nproc) cores shared by client and server; $meta"
# gnuplot's enhanced text reads _ ^ { } @ & as markup; single quotes would end its strings
esc() {
  local s=${1//\'/}
  s=${s//_/\\_} s=${s//^/\\^} s=${s//@/\\@} s=${s//&/\\&}
  s=${s//\{/\\\{} s=${s//\}/\\\}}
  printf '%s' "$s"
}
# one look per client, the same in every plot: daftra's lines solid and thick, wrk (not a peer like the others) dashed grey
colors='' widths='' dashes=''
for c in $CLIENTS; do
  case $c in
    curl)         colors+=" #7b3294" widths+=" 2" dashes+=" 1" ;;
    undici)       colors+=" #1b9e77" widths+=" 2" dashes+=" 1" ;;
    go)           colors+=" #4a90d9" widths+=" 2" dashes+=" 1" ;;
    wrk)          colors+=" #808080" widths+=" 2" dashes+=" 2" ;;
    beast)        colors+=" #000000" widths+=" 2" dashes+=" 2" ;;
    daftra)       colors+=" #d7301f" widths+=" 3.5" dashes+=" 1" ;;
    daftra-typed) colors+=" #f08c2c" widths+=" 3" dashes+=" 1" ;;
    daftra-naive) colors+=" #8c510a" widths+=" 3" dashes+=" 3" ;;
  esac
done
gnuplot -e "rps_dat='$base.rps.dat'; p99_dat='$base.p99.dat'; ncol=$ncol; nconn=$N" \
        -e "colors='$colors'; widths='$widths'; dashes='$dashes'" \
        -e "out_png='$OUT_PNG'; out_p99_png='$OUT_P99_PNG'" \
        -e "heading='$(esc "$heading")'; subheading='$(esc "$subheading")'" \
        "$BENCH_DIR/plot.gp"

echo "rps (median of $RUNS round(s) per point):"
sed 's/"//g' "$base.rps.dat" | column -t -s $'\t'
echo "p99 µs:"
sed 's/"//g' "$base.p99.dat" | column -t -s $'\t'
note "results: $raw, $base.rps.dat, $base.p99.dat; plots: $OUT_PNG, $OUT_P99_PNG"
shared=$(jq -rs 'map(select(.others > 0) | "\(.name) at C=\(.point_C)") | join(", ")' "$raw")
[ -z "$shared" ] || note "other connections were open at nginx when these runs started (someone else using it; their figures are suspect): $shared"
bad=$(jq -s 'map(select(.errors > 0)) | length' "$raw")
if [ "$missing" != 0 ] || [ "$bad" != 0 ]; then
  note "$missing run(s) without a result, $bad with errors"
  exit 1
fi
