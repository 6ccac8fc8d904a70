#!/usr/bin/env bash
# soak.sh: the long soak, outside CI. Runs test/resilience/soak_test.cpp in its duration mode
# (DAFTRA_SOAK_SECONDS) for MINUTES: one client, 500 coroutines on 4 threads, mixed get/list/create/
# update/delete calls against an in-process daftra-sandbox on 127.0.0.1 that faults 5 % of the
# requests, in rounds of DAFTRA_SOAK_CALLS calls (50,000), each round checked for lost, duplicated and
# phantom creates, the sandbox's store emptied between rounds. Meanwhile it samples the soak process
# every INTERVAL seconds: RSS (VmRSS), open file descriptors, socket descriptors, established TCP
# connections to the sandbox's port, and from the test's progress lines the calls answered so far, the
# pool's open connections and the heap in use (glibc's mallinfo2: what malloc has handed out, to set
# against the RSS).
# It writes the samples as TSV, draws them with gnuplot, and prints a summary.
#
#   usage: scripts/soak.sh [MINUTES]        # default 30; about MINUTES plus one round (~20 s) and the build
#   e.g.   scripts/soak.sh 2                # a quick try
#          OUT_PNG=/tmp/soak.png scripts/soak.sh 3
#
#   env (defaults in brackets):
#     BUILD_DIR   where soak_tests is built [build/soak]; configured once as a release build without the
#                 extras (CMAKE_CXX_COMPILER_LAUNCHER=ccache in the environment is honoured, not required)
#     INTERVAL    seconds between samples [5]
#     WARMUP_S    the first seconds left out of the growth figures [MINUTES*10, i.e. the first sixth]
#     OUT         where the results go [BUILD_DIR/soak-results]: soak-<time>-<M>min.log (the test's output),
#                 .tsv (the samples), .meta (start time, load, exit status)
#     OUT_PNG     [docs/img/soak-rss-fds.png]
#     SOAK_FROM   the .tsv of an earlier run (its .log and .meta beside it): only summarize and redraw it
#
#   What it checks (exit status 1 when any fails, 2 on a set-up problem):
#     * the soak test passed: every round's checks (docs/reliability.md, "The soak"), and at the end
#       every connection closed;
#     * 0 creates lost, 0 duplicated, 0 phantom over all rounds;
#     * after the warm-up, RSS grows by less than 1 MB per million calls: the least-squares slope of RSS
#       against calls answered over the samples after WARMUP_S. (RSS at the end of the warm-up and at
#       the end, and the growth between those two samples, are printed too.)
#     RSS takes about two minutes to reach its working size (docs/reliability.md, "Long soak"), so a run
#     of less than 12 minutes, whose default warm-up is shorter, fails this check: use it to try the
#     script, or give it WARMUP_S=150.
#   The process holds the client and the sandbox, so its figures are both together; between rounds the
#   sandbox's store and the test's ledger start again empty, so neither grows with the run.
#   Bounded: the test stops itself after MINUTES (finishing the round under way); the script kills it
#   if it is still running MINUTES + 5 minutes after its start. All traffic stays on 127.0.0.1.
#   Needs: cmake, g++ and the build dependencies (scripts/install-deps.sh), gnuplot
#   (scripts/install-deps.sh gnuplot-nox), ss (iproute2).
set -euo pipefail

die() { echo "soak.sh: $*" >&2; exit 2; }
REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MINUTES=${1:-30}
[[ $MINUTES =~ ^[1-9][0-9]*$ ]] || die "MINUTES must be a positive integer, not '$MINUTES'"
INTERVAL=${INTERVAL:-5}
if [ -n "${SOAK_FROM:-}" ]; then
  [ -s "${SOAK_FROM%.tsv}.meta" ] || die "SOAK_FROM: no ${SOAK_FROM%.tsv}.meta"
  MINUTES=$(sed -n 's/.*minutes=\([0-9]*\).*/\1/p' "${SOAK_FROM%.tsv}.meta")
fi
WARMUP_S=${WARMUP_S:-$((MINUTES * 10))}
[[ $INTERVAL =~ ^[1-9][0-9]*$ ]] || die "INTERVAL must be a positive integer, not '$INTERVAL'"
[[ $WARMUP_S =~ ^[0-9]+$ ]] || die "WARMUP_S must be a whole number of seconds, not '$WARMUP_S'"
(( WARMUP_S < MINUTES * 60 )) || die "WARMUP_S ($WARMUP_S) must be shorter than the run ($((MINUTES * 60)) s)"
BUILD_DIR=${BUILD_DIR:-$REPO_DIR/build/soak}
OUT=${OUT:-$BUILD_DIR/soak-results}
OUT_PNG=${OUT_PNG:-$REPO_DIR/docs/img/soak-rss-fds.png}
command -v gnuplot >/dev/null || die "gnuplot is missing; install it with: scripts/install-deps.sh gnuplot-nox"
command -v ss >/dev/null || die "ss is missing (package iproute2)"

mkdir -p "$(dirname "$OUT_PNG")"
if [ -n "${SOAK_FROM:-}" ]; then
  base=${SOAK_FROM%.tsv} log=${SOAK_FROM%.tsv}.log tsv=$SOAK_FROM
  for f in "$tsv" "$log" "$base.meta"; do [ -s "$f" ] || die "SOAK_FROM: no $f"; done
  # shellcheck source=/dev/null
  . "$base.meta"
else
  # Build only the soak.
  if [ ! -f "$BUILD_DIR/CMakeCache.txt" ]; then
    cmake -S "$REPO_DIR" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DDAFTRA_BUILD_EXTRAS=OFF >/dev/null
  fi
  cmake --build "$BUILD_DIR" -j"$(nproc)" --target soak_tests
  exe=$BUILD_DIR/test/soak_tests
  [ -x "$exe" ] || die "no $exe after the build"

  mkdir -p "$OUT"
  base=$OUT/soak-$(date -u +%Y%m%d-%H%M%S)-${MINUTES}min
  log=$base.log tsv=$base.tsv
  started=$(date -u '+%Y-%m-%d %H:%M UTC')
  load_before=$(cut -d' ' -f1 /proc/loadavg)

  DAFTRA_SOAK_SECONDS=$((MINUTES * 60)) DAFTRA_SOAK_PROGRESS_S=1 "$exe" --log_level=test_suite --color_output=no >"$log" 2>&1 &
  pid=$!
  trap 'kill $pid 2>/dev/null || true' EXIT INT TERM
  t0=$(date +%s)
  limit=$((t0 + MINUTES * 60 + 300))
  echo "soak.sh: $MINUTES min soak, pid $pid, samples every $INTERVAL s -> $tsv (log: $log)"

  # The sandbox's listening port, to count the client's connections to it.
  port=
  for _ in $(seq 1 100); do
    port=$(ss -Hltnp 2>/dev/null | awk -v p="pid=$pid," 'index($0, p) { n = split($4, a, ":"); print a[n]; exit }' || true)
    [ -n "$port" ] && break
    kill -0 $pid 2>/dev/null || break
    sleep 0.1
  done
  [ -n "$port" ] || echo "soak.sh: did not find the sandbox's port; the tcp column will be empty" >&2

  printf 't_s\tcalls\trss_kb\tfds\tsockets\ttcp_to_sandbox\tpool_open\theap_kb\n' >"$tsv"
  killed=0
  while kill -0 $pid 2>/dev/null; do
    now=$(date +%s)
    if (( now > limit )); then
      echo "soak.sh: still running $((now - t0)) s after its start; killing it" >&2
      kill $pid 2>/dev/null || true
      killed=1
      break
    fi
    # the samples end with the soak's last round: not the teardown after it
    if grep -q '^soak-total ' "$log"; then break; fi
    rss=$(awk '/^VmRSS:/ { print $2 }' /proc/$pid/status 2>/dev/null) || break
    [ -n "$rss" ] || break
    fds=0 sockets=0
    for f in "/proc/$pid/fd"/*; do
      l=$(readlink "$f" 2>/dev/null) || continue
      fds=$((fds + 1))
      if [[ $l == socket:* ]]; then sockets=$((sockets + 1)); fi
    done
    tcp=
    [ -z "$port" ] || tcp=$(ss -Htn state established "( dport = :$port )" 2>/dev/null | wc -l)
    progress=$(grep '^soak-progress ' "$log" | tail -1 || true)
    calls=$(sed -n 's/.* calls=\([0-9]*\).*/\1/p' <<<"$progress")
    pool_open=$(sed -n 's/.* pool_open=\([0-9]*\).*/\1/p' <<<"$progress")
    heap=$(sed -n 's/.* heap_in_use_kb=\([0-9]*\).*/\1/p' <<<"$progress")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$((now - t0))" "${calls:-0}" "$rss" "$fds" "$sockets" "${tcp:-NaN}" \
      "${pool_open:-NaN}" "${heap:-NaN}" >>"$tsv"
    sleep "$INTERVAL"
  done
  rc=0
  wait $pid || rc=$?
  trap - EXIT INT TERM
  elapsed=$(( $(date +%s) - t0 ))
  printf 'minutes=%q started=%q load_before=%q rc=%q killed=%q elapsed=%q\n' "$MINUTES" "$started" "$load_before" \
    "$rc" "$killed" "$elapsed" >"$base.meta"
fi

total=$(grep '^soak-total ' "$log" | tail -1 || true)
field() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p" <<<" $total"; }
calls=$(field calls) rate=$(field calls_per_s) rounds=$(field rounds)
lost=$(field lost) duplicated=$(field duplicated) phantom=$(field phantom)
requests=$(field server_requests) faults=$(field faults_injected) fault_rate=$(field fault_rate)
ok=$(field ok) creates_ok=$(field reported_ok) creates_failed=$(field reported_failed)
failed_stored=$(field failed_but_stored)

# Figures after the warm-up: RSS and heap in use at its end and at the end, the RSS growth between
# them, the least-squares slopes of RSS and heap (MB) against calls (millions), fd/socket/connection ranges.
read -r w_t w_calls w_rss w_heap e_t e_calls e_rss e_heap growth slope heap_slope n fd_min fd_max so_min so_max \
  tcp_min tcp_max < <(
  awk -F'\t' -v w="$WARMUP_S" '
    function slope(sx, sy, sxx, sxy, n,   d) { d = n * sxx - sx * sx; return d > 0 ? (n * sxy - sx * sy) / d : 0 }
    NR == 1 || $1 < w { next }
    {
      if (!n) { wt = $1; wc = $2; wr = $3; wh = $8; fmin = fmax = $4; smin = smax = $5; tmin = tmax = $6 }
      et = $1; ec = $2; er = $3; eh = $8; n++
      x = $2 / 1e6; y = $3 / 1024; h = $8 / 1024
      sx += x; sxx += x * x; sy += y; sxy += x * y; sh += h; sxh += x * h
      if ($4 < fmin) fmin = $4; if ($4 > fmax) fmax = $4
      if ($5 < smin) smin = $5; if ($5 > smax) smax = $5
      if ($6 != "NaN") { if ($6 < tmin) tmin = $6; if ($6 > tmax) tmax = $6 }
    }
    END {
      if (n < 2 || ec == wc) { print "- - - - - - - - - - - 0 - - - - - -"; exit }
      printf "%d %d %.1f %.1f %d %d %.1f %.1f %.3f %.3f %.3f %d %d %d %d %d %s %s\n",
        wt, wc, wr / 1024, wh / 1024, et, ec, er / 1024, eh / 1024, (er - wr) / 1024 / ((ec - wc) / 1e6),
        slope(sx, sy, sxx, sxy, n), slope(sx, sh, sxx, sxh, n), n, fmin, fmax, smin, smax, tmin, tmax
    }' "$tsv")

# The picture: RSS and calls above, descriptors and connections below, the warm-up shaded.
heading="daftra-cpp long soak: ${MINUTES} min, ${calls:-?} calls (${rate:-?}/s), 5 % of requests faulted"
sub1="one process: client (16 connections, 500 coroutines, 4 threads) + in-process sandbox (2 threads); $(nproc) cores, load before ${load_before}; ${started}"
sub2="after the warm-up (first ${WARMUP_S} s): RSS ${w_rss} -> ${e_rss} MB, slope ${slope} MB per million calls; heap in use ${w_heap} -> ${e_heap} MB; creates lost ${lost:-?}, duplicated ${duplicated:-?}, phantom ${phantom:-?}"
gnuplot <<EOF
set encoding utf8
set terminal pngcairo size 1280,900 enhanced font "DejaVu Sans,12" linewidth 1.5
set output "$OUT_PNG"
set datafile separator "\t"
set datafile missing "NaN"
set multiplot layout 2,1 title "$heading\n$sub1\n$sub2" noenhanced
set grid xtics ytics lc rgb "#d0d0d0"
set lmargin 10
set rmargin 12
set xrange [0:*]
set key bottom right opaque noenhanced
set object 1 rect from 0, graph 0 to $WARMUP_S / 60.0, graph 1 back fc rgb "#eeeeee" fs solid noborder
set label 1 "warm-up" at $WARMUP_S / 120.0, graph 0.95 center
set ylabel "MB"
set yrange [0:*]
set y2label "calls answered (millions)"
set y2range [0:*]
set ytics nomirror
set y2tics
plot "$tsv" using (\$1 / 60):(\$3 / 1024) skip 1 with lines lw 2 lc rgb "#d7301f" title "RSS", \
     "$tsv" using (\$1 / 60):(\$8 / 1024) skip 1 with lines lw 1.5 lc rgb "#4a90d9" title "heap in use (glibc mallinfo2)", \
     "$tsv" using (\$1 / 60):(\$2 / 1e6) skip 1 axes x1y2 with lines lw 1 dt 2 lc rgb "#606060" title "calls answered"
unset y2label
unset y2tics
set ytics mirror
set xlabel "minutes"
set ylabel "count"
plot "$tsv" using (\$1 / 60):4 skip 1 with lines lw 2 lc rgb "#4a90d9" title "open file descriptors", \
     "$tsv" using (\$1 / 60):5 skip 1 with lines lw 2 lc rgb "#1b9e77" title "socket descriptors (client and sandbox ends)", \
     "$tsv" using (\$1 / 60):6 skip 1 with lines lw 1.5 lc rgb "#7b3294" title "TCP connections to the sandbox", \
     "$tsv" using (\$1 / 60):7 skip 1 with lines lw 1 dt 2 lc rgb "#f08c2c" title "pool: open connections"
unset multiplot
EOF

echo
echo "== soak: $MINUTES min, $started, load average before $load_before, $(nproc) cores"
echo "test exit status      $rc$( ((killed)) && echo ' (killed at the time limit)')"
echo "rounds                ${rounds:-?}"
echo "calls                 ${calls:-?} in ${elapsed} s, ${rate:-?} calls/s; ok ${ok:-?}"
echo "server requests       ${requests:-?}, faults injected ${faults:-?} (rate ${fault_rate:-?})"
echo "creates               reported ok ${creates_ok:-?}, failed ${creates_failed:-?} (of which stored ${failed_stored:-?}); lost ${lost:-?}, duplicated ${duplicated:-?}, phantom ${phantom:-?}"
echo "warm-up end           t=${w_t} s, calls ${w_calls}, RSS ${w_rss} MB, heap in use ${w_heap} MB"
echo "end                   t=${e_t} s, calls ${e_calls}, RSS ${e_rss} MB, heap in use ${e_heap} MB"
echo "RSS growth            ${growth} MB per million calls between those two samples; least-squares slope ${slope} MB per million calls over ${n} samples"
echo "heap growth           least-squares slope ${heap_slope} MB per million calls"
echo "fds after warm-up     ${fd_min}..${fd_max}; sockets ${so_min}..${so_max}; TCP connections to the sandbox ${tcp_min}..${tcp_max}"
echo "files                 $tsv, $log, $OUT_PNG"

fail=0
[ "$rc" = 0 ] || { echo "FAIL: the soak test failed (exit status $rc); see $log"; fail=1; }
[ -n "$total" ] || { echo "FAIL: no soak-total line in $log"; fail=1; }
if [ "${lost:-1}" != 0 ] || [ "${duplicated:-1}" != 0 ] || [ "${phantom:-1}" != 0 ]; then
  echo "FAIL: creates lost/duplicated/phantom: ${lost:-?}/${duplicated:-?}/${phantom:-?}"; fail=1
fi
if [ "$slope" = - ] || awk -v s="$slope" 'BEGIN { exit !(s >= 1) }'; then
  echo "FAIL: RSS growth after the warm-up: slope ${slope} MB per million calls (limit: under 1)"; fail=1
fi
exit $fail
