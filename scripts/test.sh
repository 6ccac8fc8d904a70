#!/usr/bin/env bash
# The test command: installs missing packages, builds, and runs every test through ctest, three times:
# a release build with -Werror, ASan+UBSan, and TSan; then a short libFuzzer run of each fuzz target
# (clang). Exits non-zero on any failure.
#   BUILD_ROOT=dir  where the build trees go (default: build/)
#   CONFIGS="release asan tsan fuzz"  which configurations to run
#   FUZZ_RUNS=15000 FUZZ_SEED=1  inputs each fuzz target runs (http_fuzz, about 15 times faster, ten
#                    times as many), from a fixed seed: the same inputs every time, so the same commit
#                    always gives the same result; about 20 s a target on a loaded machine
#                    (scripts/fuzz.sh runs longer)
#   FUZZ_SECONDS=20  fuzz each target for a time instead (as many inputs as the machine's load allows)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

root=${BUILD_ROOT:-build}
jobs=${JOBS:-$(nproc)}
configs=${CONFIGS:-release asan tsan fuzz}

run_config() {
  local name=$1; shift
  local dir=$root/$name
  echo "== $name: configure and build ($dir)"
  local t0=$SECONDS
  cmake -S . -B "$dir" -DDAFTRA_WERROR=ON "$@" >/dev/null
  if ! cmake --build "$dir" -j "$jobs" > "$dir/build.log" 2>&1; then
    grep -Ev '^\[ *[0-9]+%\]' "$dir/build.log" | tail -60
    echo "build of $name failed (full log: $dir/build.log)"
    return 1
  fi
  echo "== $name: built in $((SECONDS - t0)) s; running tests"
  (cd "$dir" && ctest --output-on-failure -j "$jobs" --timeout 600)
}

for c in $configs; do
  case $c in
    release) run_config release -DCMAKE_BUILD_TYPE=Release ;;
    asan)    ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
             run_config asan -DCMAKE_BUILD_TYPE=Sanitize -DDAFTRA_SANITIZE=address -DDAFTRA_BUILD_EXTRAS=OFF ;;
    tsan)    TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$PWD/test/tsan.supp" \
             run_config tsan -DCMAKE_BUILD_TYPE=Sanitize -DDAFTRA_SANITIZE=thread -DDAFTRA_BUILD_EXTRAS=OFF ;;
    fuzz)    scripts/install-deps.sh clang-14 libclang-rt-14-dev
             if [ -n "${FUZZ_SECONDS:-}" ]; then budget=(SECONDS_TO_RUN="$FUZZ_SECONDS")
             else runs=${FUZZ_RUNS:-15000}
                  budget=(RUNS="$runs" RUNS_http_fuzz="$((runs * 10))" SEED="${FUZZ_SEED:-1}"); fi
             echo "== fuzz: building and running each target (${budget[*]})"
             env BUILD_DIR="$root/fuzz" "${budget[@]}" JOBS="$jobs" scripts/fuzz.sh ;;
    *) echo "unknown configuration $c"; exit 2 ;;
  esac
done
echo "all configurations passed: $configs"
