#!/usr/bin/env bash
# Builds the response-decoding fuzz target with clang + libFuzzer and runs it for a while.
#   SECONDS_TO_RUN=60  how long to fuzz (default 60)
#   BUILD_DIR=build/fuzz  where the clang tree goes
#   CXX_CLANG=clang++-14  the compiler (Debian's clang 14 builds the coroutine-free decoding sources)
# New inputs go to a scratch copy of the corpus; the committed corpus (test/fuzz/corpus) is what
# ctest replays under g++ on every test run. Crashes are written to $BUILD_DIR/crash-*.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${BUILD_DIR:-build/fuzz}
secs=${SECONDS_TO_RUN:-60}
cxx=${CXX_CLANG:-clang++-14}
jobs=${JOBS:-$(nproc)}

cmake -S . -B "$dir" -DCMAKE_CXX_COMPILER="$cxx" -DDAFTRA_FUZZ=ON -DDAFTRA_BUILD_EXTRAS=OFF -DDAFTRA_WERROR=ON >/dev/null
cmake --build "$dir" -j "$jobs" --target decode_fuzz
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp test/fuzz/corpus/* "$work"/
"$dir"/test/fuzz/decode_fuzz -max_total_time="$secs" -artifact_prefix="$dir"/ -print_final_stats=1 "$work"
