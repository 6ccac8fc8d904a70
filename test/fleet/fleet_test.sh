#!/usr/bin/env bash
# The fleet example end to end: worker processes of one account against one daftra-sandbox, sharing
# their token and rate budget through a redis-server started here (Debian's, in a temporary directory).
#   usage: fleet_test.sh FLEET_EXE SANDBOX_EXE
# 1. 8 processes × 1000 callers, tokens living 3 s, for 6 s (two expiries): exactly one token request
#    per expiry (3 in all, where 8 processes alone make 24), and no failed call.
# 2. Redis killed 2 s into a run and started again 2 s later: no failed call (each process requests
#    its own token meanwhile), and the run ends normally.
# 3. 4 processes sharing 200 requests/s (burst 20) for 10 s: 2,020 ± 5 % requests reach the sandbox;
#    one process alone gets the same budget. Few callers: a call that started before the end waits for
#    its place and lands after it, so each caller can add one request past the window.
set -euo pipefail
fleet=$1
sandbox=$2
here=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
redis_pid=
start_redis() {
  redis-server --port 0 --unixsocket "$work/redis.sock" --dir "$work" --save "" --appendonly no \
    --daemonize no --loglevel warning --logfile "$work/redis.log" &
  redis_pid=$!
  for _ in $(seq 1 400); do [ -S "$work/redis.sock" ] && redis-cli -s "$work/redis.sock" ping >/dev/null 2>&1 && return 0; sleep 0.05; done
  echo "redis-server did not start"; cat "$work/redis.log"; exit 1
}
stop_redis() { [ -n "$redis_pid" ] && kill -9 "$redis_pid" 2>/dev/null; wait "$redis_pid" 2>/dev/null || true; redis_pid=; rm -f "$work/redis.sock"; }
trap 'stop_redis; rm -rf "$work"' EXIT
start_redis
export DAFTRA_REDIS_URL="unix://$work/redis.sock"
unset DAFTRA_API_KEY  # the password grant: a token to share

# Runs the fleet with the given arguments against a fresh sandbox (SANDBOX_FLAGS), then prints the
# sandbox's counters: "<token_requests> <api_requests>" on the last line.
cat > "$work/run.sh" <<'INNER'
set -euo pipefail
"$FLEET" "$@"
python3 - <<'PY'
import json, os, ssl, urllib.request
ctx = ssl.create_default_context(cafile=os.environ["DAFTRA_CA_FILE"])
d = json.load(urllib.request.urlopen(os.environ["DAFTRA_BASE_URL"] + "/__sandbox/stats", context=ctx))
print(d["token_requests"], d["requests"] - d["token_requests"])
PY
INNER
export FLEET=$fleet
run() {  # run SANDBOX_FLAGS -- FLEET_ARGS
  local flags=()
  while [ "$1" != "--" ]; do flags+=("$1"); shift; done
  shift
  "$here/scripts/with-sandbox.sh" "$sandbox" "${flags[@]}" -- bash "$work/run.sh" "$@" | tail -2
}

echo "== 8 processes x 1000 callers, tokens of 3 s, 6 s"
out=$(run --token-ttl 3 -- --processes 8 --callers 1000 --seconds 6)
echo "$out"
read -r tokens requests <<<"$(tail -1 <<<"$out")"
grep -q '"errors":0' <<<"$out" || { echo "FAIL: calls failed"; exit 1; }
[ "$tokens" -eq 3 ] || { echo "FAIL: $tokens token requests, expected 3 (one per expiry)"; exit 1; }

echo "== Redis killed and restarted during a run"
run --token-ttl 2 -- --processes 4 --callers 100 --seconds 6 > "$work/outage" &
runner=$!
sleep 2.5; stop_redis; sleep 2; start_redis
wait $runner
out=$(cat "$work/outage")
echo "$out"
grep -q '"errors":0' <<<"$out" || { echo "FAIL: calls failed while Redis was down"; exit 1; }

echo "== the process refreshing the token is killed (SIGKILL) while it holds the lock"
# Token requests take 1.5 s at the sandbox; the lock lives 2 s. A lone process takes the lock, starts its
# token request and is killed. The next processes wait at most the lock's time left, take over, and
# their calls go through: nothing hangs.
cat > "$work/kill_leader.sh" <<'INNER'
set -euo pipefail
python3 - <<'PY'
import os, ssl, urllib.request
ctx = ssl.create_default_context(cafile=os.environ["DAFTRA_CA_FILE"])
req = urllib.request.Request(os.environ["DAFTRA_BASE_URL"] + "/__sandbox/faults", method="POST",
                             data=b'{"latency_ms":1500,"path_prefix":"/v2/oauth/token"}')
urllib.request.urlopen(req, context=ctx).read()
PY
"$FLEET" --processes 1 --callers 1 --seconds 30 > /dev/null 2>&1 &
leader=$!
for _ in $(seq 1 200); do
  [ "$(redis-cli -s "$SOCK" --scan --pattern '*:lock' | wc -l)" -ge 1 ] && break
  sleep 0.02
done
pkill -9 -f -- '--worker --start-at' || true
kill -9 $leader 2>/dev/null || true
wait $leader 2>/dev/null || true
left=$(redis-cli -s "$SOCK" pttl "$(redis-cli -s "$SOCK" --scan --pattern '*:lock')")
[ "$left" -gt 0 ] || { echo "FAIL: no lock held by the killed process ($left)"; exit 1; }
echo "killed the lock's holder; lock expires in $left ms"
"$FLEET" --processes 2 --callers 10 --seconds 4
# Taken over through the lock (a process that gave up on Redis would have stored nothing).
[ "$(redis-cli -s "$SOCK" --scan --pattern '*:token' | wc -l)" -eq 1 ] || { echo "FAIL: no token stored by a new holder"; exit 1; }
[ "$(redis-cli -s "$SOCK" --scan --pattern '*:lock' | wc -l)" -eq 0 ] || { echo "FAIL: the lock was not released"; exit 1; }
INNER
out=$(SOCK=$work/redis.sock DAFTRA_REDIS_LOCK_TTL=2000 "$here/scripts/with-sandbox.sh" "$sandbox" -- bash "$work/kill_leader.sh" | tail -2)
echo "$out"
grep -q '"errors":0' <<<"$out" || { echo "FAIL: calls failed after the lock's holder was killed"; exit 1; }
redis-cli -s "$work/redis.sock" flushall >/dev/null

# budget PROCESSES: PROCESSES share 200 requests/s (burst 20) for 10 s: 2,020 ± 5 % reach the sandbox.
budget() {
  echo "== $1 process(es) sharing 200 requests/s for 10 s"
  out=$(run -- --processes "$1" --callers 5 --seconds 10 --rate 200)
  echo "$out"
  read -r tokens requests <<<"$(tail -1 <<<"$out")"
  [ "$requests" -ge 1919 ] && [ "$requests" -le 2121 ] || { echo "FAIL: $requests requests, expected 2020 +- 5 %"; exit 1; }
  redis-cli -s "$work/redis.sock" flushall >/dev/null
}
budget 4
budget 1  # one process alone gets the whole budget
echo "fleet: all passed"
