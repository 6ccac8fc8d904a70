#!/usr/bin/env bash
# The test command: installs missing packages, builds, and runs every test through ctest in each
# configuration, then a short fixed-seed libFuzzer pass over each fuzz target. Exits non-zero on any failure.
#   release  g++ 12, -O2, warnings as errors: the examples, benchmarks and the CLI, and the end-to-end
#            tests (the examples, the CLI, the installed package, the fault matrix and the soak)
#   asan     g++ 12, -O0, ASan + UBSan + LeakSanitizer (g++ 12's coroutine bugs show up here as reports)
#   clang    clang++-16 with ThreadSanitizer: every test under the second compiler and under TSan in one
#            build (docs/compilers.md: clang before 17 gets Asio's pthread thread-local storage from CMake)
#   fuzz     clang 16 (installed for the clang configuration anyway), libFuzzer
# Not in the default set, for when they are wanted: tsan (g++ 12 with ThreadSanitizer) and clang-release
# (clang++-16, -O2, with the extras). CI time decides the default set: each build takes 5 to 10 minutes on
# 2 cores, and g++'s TSan build duplicates what clang's TSan build checks.
#   BUILD_ROOT=dir  where the build trees go (default: build/)
#   CONFIGS="release asan clang fuzz"  which configurations to run
#   FUZZ_RUNS=200000 FUZZ_SEED=20261203  each fuzz target replays its corpus, then runs this many inputs
#                    from this seed: deterministic, so the same commit always passes or always fails
#                    (fuzzing at length, which may find new inputs, is scripts/fuzz.sh's job, outside CI)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

root=${BUILD_ROOT:-build}
jobs=${JOBS:-$(nproc)}
configs=${CONFIGS:-release asan clang fuzz}

# Each configuration is the CMakePresets.json preset of the same name (its flags are there, once; a
# contributor gets the same tree with `cmake --preset NAME`), built in $root/NAME. Ninja (the presets'
# generator), unlike make, compiles a target's sources while the libraries it links are still being
# built, so both cores stay busy to the end.
run_config() {
  local name=$1; shift
  local dir=$root/$name
  echo "== $name: configure and build ($dir)"
  local t0=$SECONDS
  cmake --preset "$name" -B "$dir" "$@" >/dev/null
  if ! cmake --build "$dir" -j "$jobs" > "$dir/build.log" 2>&1; then
    grep -Ev '^\[([0-9]+/[0-9]+| *[0-9]+%)\]' "$dir/build.log" | tail -60
    echo "build of $name failed (full log: $dir/build.log)"
    return 1
  fi
  echo "== $name: built in $((SECONDS - t0)) s; running tests"
  # The test preset adds the sanitizers' options, the 600 s timeout and the output of failures.
  ctest --preset "$name" --test-dir "$dir" -j "$jobs"
}

for c in $configs; do
  case $c in
    # -O2, as Debian builds its packages (CMake's Release default is -O3; -O2 saved ~3 % of the build's CPU).
    # The end-to-end tests only (test/CMakeLists.txt, DAFTRA_TEST_SCOPE): asan and clang run every test.
    release) run_config release ;;
    asan)    run_config asan ;;
    tsan)    run_config tsan ;;
    clang)   scripts/install-deps.sh clang-16 libclang-rt-16-dev
             run_config clang ;;
    clang-release) scripts/install-deps.sh clang-16
             run_config clang-release ;;
    fuzz)    scripts/install-deps.sh clang-16 libclang-rt-16-dev
             echo "== fuzz: building; each target replays its corpus and runs ${FUZZ_RUNS:-200000} inputs from a fixed seed"
             BUILD_DIR=$root/fuzz RUNS=${FUZZ_RUNS:-200000} SEED=${FUZZ_SEED:-20261203} JOBS=$jobs scripts/fuzz.sh ;;
    *) echo "unknown configuration $c"; exit 2 ;;
  esac
done
echo "all configurations passed: $configs"
