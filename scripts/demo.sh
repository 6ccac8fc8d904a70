#!/usr/bin/env bash
# The quick start: installs what is missing, builds, starts daftra-sandbox on a free port, runs
# examples/quickstart (or another example) against it, and stops the sandbox.
#   usage: scripts/demo.sh [EXAMPLE [ARGS...]]     EXAMPLE: quickstart (default), concurrent,
#                                                  paginate, errors, token_store, first_program
#   BUILD_DIR=dir  the build tree (default: build/release)
set -euo pipefail
cd "$(dirname "$0")/.."
example=${1:-quickstart}
[ $# -gt 0 ] && shift
case $example in
  quickstart|concurrent|paginate|errors|token_store|first_program) ;;
  *) echo "unknown example '$example' (quickstart, concurrent, paginate, errors, token_store, first_program)" >&2; exit 2 ;;
esac
scripts/install-deps.sh

build=${BUILD_DIR:-build/release}
echo "== building (the first time takes a few minutes) in $build"
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
if ! cmake --build "$build" -j "$(nproc)" --target daftra-sandbox "$example" > "$build/demo-build.log" 2>&1; then
  tail -60 "$build/demo-build.log"
  echo "build failed (full log: $build/demo-build.log)"
  exit 1
fi

echo "== running examples/$example against the sandbox"
scripts/with-sandbox.sh "$build/sandbox/daftra-sandbox" -- "$build/examples/$example" "$@"
