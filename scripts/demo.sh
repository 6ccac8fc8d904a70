#!/usr/bin/env bash
# The quick start: installs what is missing, builds, starts daftra-sandbox on a free port, runs
# examples/quickstart against it, and stops the sandbox.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

build=${BUILD_DIR:-build/release}
echo "== building (the first time takes a few minutes) in $build"
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
if ! cmake --build "$build" -j "$(nproc)" --target daftra-sandbox quickstart > "$build/demo-build.log" 2>&1; then
  tail -60 "$build/demo-build.log"
  echo "build failed (full log: $build/demo-build.log)"
  exit 1
fi

echo "== running examples/quickstart against the sandbox"
scripts/with-sandbox.sh "$build/sandbox/daftra-sandbox" -- "$build/examples/quickstart"
