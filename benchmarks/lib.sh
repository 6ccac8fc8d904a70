# shellcheck shell=bash
# What benchmarks/compare.sh and benchmarks/plot.sh share: finding the harness and daftra_bench,
# checking that the harness nginx answers, running one client under the harness contract
# (CLIENT URL C N R -> one JSON line) and counting the TCP connections nginx accepted meanwhile.
# Sourced, not run. The harness (nginx, certs, peer clients) lives outside this repository; its
# directory is $HARNESS, and docs/benchmarks.md ("The harness") says what it must provide.

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)

# Every client name the scripts know, in the order the tables list them.
ALL_CLIENTS="curl undici go wrk beast daftra daftra-callback daftra-recycle daftra-typed daftra-typed-callback daftra-naive"

die() { echo "${0##*/}: $*" >&2; exit 2; }
note() { echo "${0##*/}: $*" >&2; }

# bench_setup: resolves and checks HARNESS, HARNESS_CA, DAFTRA_BENCH, URL and the tools for the
# clients in $CLIENTS; exports HARNESS_CA for the peers.
bench_setup() {
  HARNESS=${HARNESS:-/tmp/harness}
  [ -d "$HARNESS" ] || die "no harness at HARNESS=$HARNESS: set HARNESS to a writable, set-up copy of the
  benchmark harness (see docs/benchmarks.md, \"The harness\"), e.g.
  cp -r /path/to/harness $HARNESS && chmod -R u+w $HARNESS && cd $HARNESS && ./setup.sh && ./start-nginx.sh"
  HARNESS=$(cd "$HARNESS" && pwd)
  export HARNESS_CA=${HARNESS_CA:-$HARNESS/certs/localhost.crt}
  [ -r "$HARNESS_CA" ] || die "no CA file $HARNESS_CA (run $HARNESS/gen-cert.sh, or $HARNESS/setup.sh)"
  URL=${URL:-https://localhost:18443/api2/invoices.json}
  STATUS_URL=${STATUS_URL:-http://127.0.0.1:18080/nginx_status}
  DAFTRA_BENCH=${DAFTRA_BENCH:-$REPO_DIR/build/release/benchmarks/daftra_bench}
  RUN_TIMEOUT=${RUN_TIMEOUT:-300}

  local tool
  for tool in curl jq timeout awk; do
    command -v "$tool" >/dev/null || die "$tool is missing (apt-get install -y $tool)"
  done
  local c
  for c in $CLIENTS; do
    case $c in
      curl)   [ -x "$HARNESS/bin/peer-curl" ] || die "no $HARNESS/bin/peer-curl: run 'cd $HARNESS && NO_APT=1 ./setup.sh'" ;;
      go)     [ -x "$HARNESS/bin/peer-go" ] || die "no $HARNESS/bin/peer-go: run 'cd $HARNESS && NO_APT=1 ./setup.sh'" ;;
      beast)  [ -x "$HARNESS/bin/peer-beast" ] || die "no $HARNESS/bin/peer-beast (a bare Boost.Beast client, the ceiling of any Beast-based one): run 'cd $HARNESS && NO_APT=1 ./setup.sh'" ;;
      undici) command -v node >/dev/null || die "node is missing (apt-get install -y nodejs)"
              [ -d "$HARNESS/node/node_modules/undici" ] || die "no undici in $HARNESS/node/node_modules: run 'cd $HARNESS && NO_APT=1 ./setup.sh'" ;;
      wrk)    command -v wrk >/dev/null || die "wrk is missing (apt-get install -y wrk)"
              [ -x "$HARNESS/wrk/peer-wrk.sh" ] || die "no $HARNESS/wrk/peer-wrk.sh in the harness" ;;
      daftra|daftra-callback|daftra-recycle|daftra-typed|daftra-typed-callback|daftra-naive)
              [ -x "$DAFTRA_BENCH" ] || die "no daftra_bench at DAFTRA_BENCH=$DAFTRA_BENCH; build it:
  cmake -S $REPO_DIR -B $REPO_DIR/build/release -DCMAKE_BUILD_TYPE=Release && cmake --build $REPO_DIR/build/release -j2 --target daftra_bench" ;;
      *) die "unknown client '$c' (known: $ALL_CLIENTS)" ;;
    esac
  done
  require_nginx
}

# nginx_counters: two figures of nginx's stub_status: "accepts" (TCP connections accepted so far) and
# "Active connections" (open now). The request that reads them is itself one accepted, active
# connection, counted in both.
nginx_counters() {
  curl -sf --noproxy '*' --max-time 5 "$STATUS_URL" |
    awk '/^Active connections:/ { active = $3 } $1 == "server" { getline; print $1, active; exit }'
}
nginx_accepts() { local a; a=$(nginx_counters) && echo "${a%% *}"; }

# require_nginx: refuses to go on unless the harness nginx answers both the URL and stub_status.
require_nginx() {
  local code accepts
  code=$(curl -s --noproxy '*' --max-time 5 --cacert "$HARNESS_CA" -o /dev/null -w '%{http_code}' "$URL" || true)
  accepts=$(nginx_accepts || true)
  if [ "$code" != 200 ] || ! [[ $accepts =~ ^[0-9]+$ ]]; then
    echo "${0##*/}: the harness nginx is not answering (GET $URL -> '${code:-none}', $STATUS_URL -> '${accepts:-none}')." >&2
    echo "  start it with:  $HARNESS/start-nginx.sh" >&2
    exit 2
  fi
}

# client_cmd NAME: sets the array CMD to the command that runs client NAME under the contract.
client_cmd() {
  case $1 in
    curl)         CMD=("$HARNESS/bin/peer-curl") ;;
    undici)       CMD=(node "$HARNESS/node/peer-undici.mjs") ;;
    go)           CMD=("$HARNESS/bin/peer-go") ;;
    beast)        CMD=("$HARNESS/bin/peer-beast") ;;
    wrk)          CMD=("$HARNESS/wrk/peer-wrk.sh") ;;     # uses $WRK_DURATION; ignores C and R
    daftra)       CMD=("$DAFTRA_BENCH") ;;
    daftra-callback) CMD=("$DAFTRA_BENCH" --token callback) ;;
    daftra-recycle) CMD=("$DAFTRA_BENCH" --recycle) ;;
    daftra-typed) CMD=("$DAFTRA_BENCH" --mode typed) ;;
    daftra-typed-callback) CMD=("$DAFTRA_BENCH" --mode typed --token callback) ;;
    daftra-naive) CMD=("$DAFTRA_BENCH" --mode naive) ;;
    *) die "unknown client '$1'" ;;
  esac
}

# run_client NAME C N R [key=value...]: runs NAME once (after the harness contract: C in flight,
# at most N connections, R requests; wrk takes N connections for $WRK_DURATION instead) and prints
# its JSON line with these added: name (NAME), run_C, run_N, run_R, conns (TCP connections nginx
# accepted during the run), others (connections already open at nginx when the run started, not
# counting the status request: another client on the same nginx, whose connections would also land
# in conns and whose load in the figures), exit (the client's exit status), cpu_us_per_request (the
# client process's user + system CPU time by /usr/bin/time, divided by R; null without /usr/bin/time)
# and key=value pairs (values are JSON, e.g. round=2). Returns 1 without printing when the client
# printed no JSON line (its stderr and exit status go to stderr), 2 when stub_status stopped answering
# (nginx gone: the caller should stop); a line with errors > 0 is printed and returns 0.
run_client() {
  local name=$1 c=$2 n=$3 r=$4
  shift 4
  local CMD out rc=0 a0 a1 act0 counters err cpu cpu_us=null
  client_cmd "$name"
  err=$(mktemp) cpu=$(mktemp)
  # The client's CPU time, its own children's included (wrk's script, node): user and system seconds.
  [ -x /usr/bin/time ] && CMD=(/usr/bin/time -f '%U %S' -o "$cpu" "${CMD[@]}")
  counters=$(nginx_counters) || { rm -f "$err" "$cpu"; note "stub_status stopped answering ($STATUS_URL)"; return 2; }
  read -r a0 act0 <<<"$counters"
  out=$(timeout --kill-after=5 "$RUN_TIMEOUT" "${CMD[@]}" "$URL" "$c" "$n" "$r" 2>"$err") || rc=$?
  a1=$(nginx_accepts) || { rm -f "$err" "$cpu"; note "stub_status stopped answering ($STATUS_URL)"; return 2; }
  out=$(printf '%s\n' "$out" | grep -m1 '^{' || true)
  if [ -z "$out" ] || ! jq -e 'has("rps")' >/dev/null 2>&1 <<<"$out"; then
    note "$name C=$c N=$n R=$r: no JSON line (exit $rc$([ "$rc" = 124 ] && echo ", killed after ${RUN_TIMEOUT}s"))"
    sed 's/^/    /' "$err" | head -5 >&2
    rm -f "$err" "$cpu"
    return 1
  fi
  [ "$rc" = 0 ] || { note "$name C=$c N=$n R=$r: exit $rc"; sed 's/^/    /' "$err" | head -3 >&2; }
  [ -s "$cpu" ] && cpu_us=$(awk -v r="$r" 'NF == 2 && $1 ~ /^[0-9.]+$/ { printf "%.1f", ($1 + $2) * 1e6 / r; exit }' "$cpu")
  [ -n "$cpu_us" ] || cpu_us=null
  rm -f "$err" "$cpu"
  # a1 - a0 counts the client's connections plus the one that read a1.
  local extra='{}' kv
  for kv in "$@"; do
    extra=$(jq -c --arg k "${kv%%=*}" --argjson v "${kv#*=}" '. + {($k): $v}' <<<"$extra")
  done
  jq -c --arg name "$name" --argjson c "$c" --argjson n "$n" --argjson r "$r" \
        --argjson conns $((a1 - a0 - 1)) --argjson others $((act0 - 1)) --argjson rc "$rc" --argjson extra "$extra" \
        --argjson cpu_us "$cpu_us" \
    '. + {name: $name, run_C: $c, run_N: $n, run_R: $r, conns: $conns, others: $others, exit: $rc,
          cpu_us_per_request: $cpu_us} + $extra' <<<"$out"
}

# loadavg: the 1-, 5- and 15-minute load averages.
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# jq definitions both scripts use: median (the mean of the middle two for an even count), thousands
# separators, a client's usual label from its name here, two decimals.
# shellcheck disable=SC2016,SC2034
JQ_DEFS='
def median: sort | if length == 0 then null
  elif length % 2 == 1 then .[length / 2 | floor]
  else (.[length / 2 - 1] + .[length / 2]) / 2 end;
def commas: if . == null then "–" else
  [round | tostring | explode | reverse | _nwise(3) | reverse | implode] | reverse | join(",") end;
def client_label: {"curl": "curl-multi", "go": "go-nethttp", "daftra": "daftra-cpp", "daftra-typed": "daftra-cpp-typed",
             "daftra-naive": "daftra-cpp-naive"}[.] // .;
def two: (. * 100 | round) as $v | "\($v / 100 | floor).\($v % 100 | tostring | if length < 2 then "0" + . else . end)";
'
