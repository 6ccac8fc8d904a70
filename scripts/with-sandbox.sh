#!/usr/bin/env bash
# Starts daftra-sandbox on a free port, runs a command with DAFTRA_BASE_URL and DAFTRA_CA_FILE pointing at
# it, stops the sandbox, and exits with the command's status. Extra sandbox flags go before `--`.
#   usage: scripts/with-sandbox.sh SANDBOX_EXE [SANDBOX_FLAGS...] -- COMMAND [ARGS...]
set -euo pipefail
sandbox=$1; shift
flags=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do flags+=("$1"); shift; done
[ "${1:-}" = "--" ] && shift
[ $# -gt 0 ] || { echo "usage: $0 SANDBOX_EXE [FLAGS...] -- COMMAND..." >&2; exit 2; }

work=$(mktemp -d)
ca=$work/sandbox-ca.pem
: > "$work/out"  # exists before the loop below reads it (the background job opens it only later)
"$sandbox" --port 0 --write-ca "$ca" "${flags[@]}" > "$work/out" 2> "$work/err" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT

url=
for _ in $(seq 1 1200); do  # up to 60 s: a hang guard, the loop ends as soon as the line is there
  url=$(sed -n 's/^daftra-sandbox listening on //p' "$work/out")
  [ -n "$url" ] && break
  kill -0 $pid 2>/dev/null || { echo "daftra-sandbox exited:"; cat "$work/err"; exit 1; }
  sleep 0.05
done
[ -n "$url" ] || { echo "daftra-sandbox did not start" >&2; exit 1; }
echo "== daftra-sandbox listening on $url"
DAFTRA_BASE_URL=$url DAFTRA_CA_FILE=$ca "$@"
