#!/usr/bin/env bash
# The test command: installs missing packages, builds, and runs every test through ctest, four times:
# a release build with -Werror, ASan+UBSan, TSan, and a release build by clang++-16 (docs/compilers.md: it
# needs, and gets from CMake, Boost.Asio's pthread thread-local storage); then a short fixed-seed libFuzzer
# pass over each fuzz target (clang). Exits non-zero on any failure.
#   BUILD_ROOT=dir  where the build trees go (default: build/)
#   CONFIGS="release asan tsan clang fuzz"  which configurations to run
#   FUZZ_RUNS=200000 FUZZ_SEED=20261203  each fuzz target replays its corpus, then runs this many inputs
#                    from this seed: deterministic, so the same commit always passes or always fails
#                    (fuzzing at length, which may find new inputs, is scripts/fuzz.sh's job, outside CI)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

root=${BUILD_ROOT:-build}
jobs=${JOBS:-$(nproc)}
configs=${CONFIGS:-release asan tsan clang fuzz}

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
    clang)   scripts/install-deps.sh clang-16
             run_config clang -DCMAKE_CXX_COMPILER=clang++-16 -DCMAKE_BUILD_TYPE=Release ;;
    fuzz)    scripts/install-deps.sh clang-14 libclang-rt-14-dev
             echo "== fuzz: building; each target replays its corpus and runs ${FUZZ_RUNS:-200000} inputs from a fixed seed"
             BUILD_DIR=$root/fuzz RUNS=${FUZZ_RUNS:-200000} SEED=${FUZZ_SEED:-20261203} JOBS=$jobs scripts/fuzz.sh ;;
    *) echo "unknown configuration $c"; exit 2 ;;
  esac
done
echo "all configurations passed: $configs"
