#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs each for a while.
#   TARGETS="decode_fuzz http_fuzz stream_fuzz redis_fuzz"  which targets (default all four)
#   SECONDS_TO_RUN=60  how long to fuzz each target (default 60); at length: SECONDS_TO_RUN=600
#   JOBS=N  build jobs, and how many targets fuzz at the same time (default: the number of cores)
#   RUNS=N SEED=S  instead of a time, a fixed number of inputs from a fixed seed: the same commit then
#                  always runs the same inputs (scripts/test.sh does this in CI, so CI cannot fail at random)
#   BUILD_DIR=build/fuzz  where the clang tree goes
#   CXX_CLANG=clang++-16  the compiler (any clang with libFuzzer: the targets use coroutine-free sources;
#                         clang 16 is what the clang configuration of scripts/test.sh installs)
# New inputs go to a scratch copy of the corpus; the committed corpora (test/fuzz/corpus for
# decode_fuzz, test/fuzz/http_corpus for http_fuzz, test/fuzz/stream_corpus for stream_fuzz, the
# streaming answer decoder checked against the tree decoder) are what ctest replays under g++ on every test run.
# Failing inputs are written to $BUILD_DIR/<target>-crash-* (or -leak-, -oom-, -timeout-); the script
# then prints the fuzzer's report and exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${BUILD_DIR:-build/fuzz}
secs=${SECONDS_TO_RUN:-60}
cxx=${CXX_CLANG:-clang++-16}
jobs=${JOBS:-$(nproc)}
targets=${TARGETS:-decode_fuzz http_fuzz stream_fuzz redis_fuzz}

generator=()
# Ninja builds the three targets side by side (make, one by one); a tree configured before keeps its generator.
if command -v ninja >/dev/null && [ ! -f "$dir/CMakeCache.txt" ]; then generator=(-G Ninja); fi
cmake -S . -B "$dir" "${generator[@]}" -DCMAKE_CXX_COMPILER="$cxx" -DDAFTRA_FUZZ=ON -DDAFTRA_BUILD_EXTRAS=OFF -DDAFTRA_BUILD_TESTS=ON \
  -DDAFTRA_WERROR=ON >/dev/null
cmake --build "$dir" -j "$jobs" --target $targets
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# One target: its corpus in a scratch copy, then the budget; output to $work/$t.log, exit status and
# seconds to $work/$t.status.
run_target() {
  local t=$1 corpus
  case $t in
    decode_fuzz) corpus=test/fuzz/corpus ;;
    http_fuzz)   corpus=test/fuzz/http_corpus ;;
    stream_fuzz) corpus=test/fuzz/stream_corpus ;;
    redis_fuzz)  corpus=test/fuzz/redis_corpus ;;
  esac
  rm -f "$dir/$t"-crash-* "$dir/$t"-leak-* "$dir/$t"-oom-* "$dir/$t"-timeout-*
  mkdir -p "$work/$t"
  cp "$corpus"/* "$work/$t"/
  local budget
  if [ -n "${RUNS:-}" ]; then budget=(-runs="$RUNS" -seed="${SEED:-1}"); else budget=(-max_total_time="$secs"); fi
  # libFuzzer runs every corpus input first, so this also replays the corpus under ASan+UBSan.
  # -rss_limit_mb: a hostile answer must not make the reader hold much memory.
  local status=0 t0=$SECONDS
  "$dir/test/fuzz/$t" "${budget[@]}" -rss_limit_mb=1024 -max_len=8192 \
    -artifact_prefix="$dir/$t-" -print_final_stats=1 "$work/$t" > "$work/$t.log" 2>&1 || status=$?
  echo "$status $((SECONDS - t0))" > "$work/$t.status"
}

# The targets run side by side, as many at a time as there are jobs (each is one process on one core);
# each is deterministic on its own, so running them together changes nothing but the wall time.
for t in $targets; do
  case $t in decode_fuzz|http_fuzz|stream_fuzz|redis_fuzz) ;; *) echo "unknown fuzz target $t" >&2; exit 2 ;; esac
  if [ -n "${RUNS:-}" ]; then echo "== $t: the corpus, then $RUNS inputs from seed ${SEED:-1}"
  else echo "== $t: fuzzing for $secs s"; fi
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  run_target "$t" &
done
wait

failed=0
for t in $targets; do
  read -r status took < "$work/$t.status"
  grep -E "^(#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|stat::peak_rss_mb)" "$work/$t.log" | sed "s/^/$t: /" || true
  echo "$t: $took s"
  if [ "$status" -ne 0 ]; then
    tail -60 "$work/$t.log"
    echo "$t failed (exit $status); inputs: $(ls "$dir/$t"-* 2>/dev/null)" >&2
    failed=1
  fi
done
exit $failed
