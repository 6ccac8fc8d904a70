#!/usr/bin/env bash
# The fleet's measurements for docs/benchmarks.md, on one machine, in one run:
#   1. the herd: token requests for 1, 2, 4 and 8 processes (examples/fleet, 200 callers each, tokens
#      living 3 s, 6 s: two expiries), with and without Redis;
#   2. the shared rate budget's cost: one process, 64 callers, a budget too large to wait for
#      (1,000,000/s): calls per second with the local limiter and with the Redis budget, and Redis's
#      count of EVALSHA calls per API call;
#   3. the Redis connection's pipelined GETs (benchmarks/redis_gets) against redis-benchmark.
#   usage: benchmarks/fleet.sh BUILD_DIR     (a release build with examples/fleet, benchmarks/redis_gets
#                                            and the sandbox)
set -euo pipefail
build=${1:?usage: benchmarks/fleet.sh BUILD_DIR}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
redis-server --port 0 --unixsocket "$work/redis.sock" --dir "$work" --save "" --daemonize yes \
  --logfile "$work/redis.log" --pidfile "$work/redis.pid"
trap 'kill "$(cat "$work/redis.pid")" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do [ -S "$work/redis.sock" ] && break; sleep 0.05; done
sock=$work/redis.sock
unset DAFTRA_API_KEY

cat > "$work/run.sh" <<'INNER'
set -euo pipefail
"$FLEET" "$@" > "$WORK/fleet.out"
python3 - <<'PY'
import json, os, ssl, urllib.request
ctx = ssl.create_default_context(cafile=os.environ["DAFTRA_CA_FILE"])
d = json.load(urllib.request.urlopen(os.environ["DAFTRA_BASE_URL"] + "/__sandbox/stats", context=ctx))
f = json.load(open(os.environ["WORK"] + "/fleet.out"))
print(json.dumps({"token_requests": d["token_requests"], "calls": f["calls"], "errors": f["errors"],
                  "seconds": f["seconds"]}))
PY
INNER
export FLEET=$build/examples/fleet WORK=$work

echo "== 1. token requests, tokens of 3 s over 6 s"
for p in 1 2 4 8; do
  alone=$(DAFTRA_REDIS_URL= "$here/scripts/with-sandbox.sh" "$build/sandbox/daftra-sandbox" --token-ttl 3 -- bash "$work/run.sh" --processes $p --callers 200 --seconds 6 | tail -1)
  shared=$(DAFTRA_REDIS_URL=unix://$sock "$here/scripts/with-sandbox.sh" "$build/sandbox/daftra-sandbox" --token-ttl 3 -- bash "$work/run.sh" --processes $p --callers 200 --seconds 6 | tail -1)
  echo "processes=$p without-redis=$alone with-redis=$shared"
done

echo "== 2. the shared budget's cost: 1 process, 64 callers, 5 s, budget 1,000,000/s"
for round in 1 2; do
  local_rate=$(DAFTRA_REDIS_URL= "$here/scripts/with-sandbox.sh" "$build/sandbox/daftra-sandbox" -- bash "$work/run.sh" --processes 1 --callers 64 --seconds 5 --rate 1000000 | tail -1)
  redis-cli -s "$sock" config resetstat > /dev/null
  shared_rate=$(DAFTRA_REDIS_URL=unix://$sock "$here/scripts/with-sandbox.sh" "$build/sandbox/daftra-sandbox" -- bash "$work/run.sh" --processes 1 --callers 64 --seconds 5 --rate 1000000 | tail -1)
  evalsha=$(redis-cli -s "$sock" info commandstats | sed -n 's/^cmdstat_evalsha:calls=\([0-9]*\),usec=\([0-9]*\),.*/calls=\1 usec_in_redis=\2/p')
  echo "round $round: local=$local_rate shared=$shared_rate redis_evalsha: $evalsha"
done

echo "== 3. pipelined GETs on one connection, 5 s each"
for c in 1 16 64 256; do
  "$build/benchmarks/redis_gets" "unix://$sock" --callers $c --seconds 5
done
redis-benchmark -s "$sock" -t get -n 1000000 -c 1 -P 64 -q
redis-benchmark -s "$sock" -t get -n 1000000 -c 64 -P 1 -q
redis-benchmark -s "$sock" -t get -n 200000 -c 1 -P 1 -q
