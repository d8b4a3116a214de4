#!/usr/bin/env bash
# critpath's HTTP generator beside its peers, on one trivial local endpoint (a Deno "ok" server):
#   1. maximum requests/s of critpath (closed model, N VUs), wrk and autocannon (N connections)
#   2. rate accuracy: constant-arrival-rate at 1,000 req/s, achieved rate and start-lag p99
# Prints the numbers and the ratios (goals: critpath >= 0.5x wrk, > 1x autocannon; rate within
# 1%, start-lag p99 under 5 ms). Needs wrk (apt-get install wrk), Node/npm (autocannon is
# installed into .critpath/tools) and Deno (npm ci in supabase/functions).
#
#   scripts/http-vs-wrk.sh     (env: DURATION=10 CONNECTIONS=64 ROUNDS=3 WARMUP=15 RATE=1000 RATE_DURATION=30)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

DURATION="${DURATION:-10}"
CONNECTIONS="${CONNECTIONS:-64}"
ROUNDS="${ROUNDS:-3}"
WARMUP="${WARMUP:-15}"
RATE="${RATE:-1000}"
RATE_DURATION="${RATE_DURATION:-30}"
AUTOCANNON_VERSION=8.0.0

need() { command -v "$1" >/dev/null 2>&1 || { echo "http-vs-wrk: $1 not found: $2" >&2; exit 2; }; }
need wrk "apt-get install -y wrk"
need node "install Node.js 18+"
need java "install a JDK 17+"
deno="supabase/functions/node_modules/@deno/linux-x64-glibc/deno"
[ -x "$deno" ] || (cd supabase/functions && npm ci --no-audit --no-fund)
tools="$here/.critpath/tools"
[ -x "$tools/node_modules/.bin/autocannon" ] ||
  npm install --prefix "$tools" --no-save --no-audit --no-fund --loglevel=error "autocannon@$AUTOCANNON_VERSION" >/dev/null
[ -f cli/target/critpath.jar ] || ./run.sh --version >/dev/null

work="$(mktemp -d)"
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

cat > "$work/ok.ts" <<'TS'
Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: ({ port }) => console.log(port) }, () => new Response("ok"));
TS
"$deno" run --allow-net "$work/ok.ts" > "$work/port" 2>"$work/server.err" &
server_pid=$!
for _ in $(seq 1 100); do [ -s "$work/port" ] && break; sleep 0.1; done
url="http://127.0.0.1:$(head -1 "$work/port")"
echo "endpoint: $url (Deno, \"ok\"), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

json() { node -e "const j=JSON.parse(require('fs').readFileSync(process.argv[1],'utf8'));console.log($2)" "$1"; }

# --- maximum throughput -------------------------------------------------------------------
cat > "$work/max.yaml" <<YAML
name: max-throughput
requests:
  ok: {path: /, auth: none}
scenarios:
  # the JVM needs seconds of load before its JIT has compiled the hot path (10+ s when the
  # machine is busy); wrk and autocannon get a 5 s warm-up of the server too
  warmup: {executor: constant-vus, vus: $CONNECTIONS, duration: ${WARMUP}s}
  measure: {executor: constant-vus, vus: $CONNECTIONS, duration: ${DURATION}s, startTime: ${WARMUP}s}
YAML
best() { if [ "${1:-0}" -gt "${2:-0}" ]; then echo "$1"; else echo "${2:-0}"; fi; }
critpath_rps=0; wrk_rps=0; ac_rps=0
wrk -t2 -c"$CONNECTIONS" -d5s "$url/" > /dev/null # warm the server up
"$tools/node_modules/.bin/autocannon" -c "$CONNECTIONS" -d 5 "$url/" > /dev/null 2>&1
# interleaved rounds, best of each: a shared machine's noise hits every tool alike
for round in $(seq 1 "$ROUNDS"); do
  java -jar cli/target/critpath.jar http --base-url "$url" --results "$work/results" "$work/max.yaml" > "$work/critpath.out"
  c=$(json "$work/results/latest/run.json" "j.sections.http.files[0].scenarios[1].requestsPerSecond.toFixed(0)")
  w=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" "$url/" | awk '/Requests\/sec/ {printf "%.0f", $2}')
  "$tools/node_modules/.bin/autocannon" -c "$CONNECTIONS" -d "$DURATION" --json "$url/" > "$work/ac.json" 2>/dev/null
  a=$(json "$work/ac.json" "j.requests.average.toFixed(0)")
  echo "  round $round: critpath $c, wrk $w, autocannon $a req/s"
  critpath_rps=$(best "$c" "$critpath_rps"); wrk_rps=$(best "$w" "$wrk_rps"); ac_rps=$(best "$a" "$ac_rps")
done

echo
echo "maximum requests/s, $CONNECTIONS connections, ${DURATION}s runs, best of $ROUNDS interleaved rounds:"
printf "  critpath   %8s req/s\n  wrk        %8s req/s   (wrk -t2 -c%s)\n  autocannon %8s req/s   (autocannon %s -c %s)\n" \
  "$critpath_rps" "$wrk_rps" "$CONNECTIONS" "$ac_rps" "$AUTOCANNON_VERSION" "$CONNECTIONS"
node -e "const [c,w,a]=process.argv.slice(1).map(Number);
console.log('  critpath / wrk        = ' + (c/w).toFixed(2) + '   (goal >= 0.5)');
console.log('  critpath / autocannon = ' + (c/a).toFixed(2) + '   (goal > 1)');" "$critpath_rps" "$wrk_rps" "$ac_rps"

# --- rate accuracy ------------------------------------------------------------------------
cat > "$work/rate.yaml" <<YAML
name: rate-accuracy
requests:
  ok: {path: /, auth: none}
scenarios:
  warmup: {executor: constant-arrival-rate, rate: $RATE, duration: ${WARMUP}s, preAllocatedVUs: 50, maxVUs: 200}
  fixed:
    startTime: ${WARMUP}s
    executor: constant-arrival-rate
    rate: $RATE
    timeUnit: 1s
    duration: ${RATE_DURATION}s
    preAllocatedVUs: 50
    maxVUs: 200
YAML
java -jar cli/target/critpath.jar http --base-url "$url" --results "$work/results" "$work/rate.yaml" > "$work/rate.out"
echo
echo "constant-arrival-rate at $RATE req/s for ${RATE_DURATION}s (after ${WARMUP} s of warm-up at the same rate):"
json "$work/results/latest/run.json" "(() => { const s=j.sections.http.files[0].scenarios[1];
  const rate=s.iterations/$RATE_DURATION, err=100*(rate-$RATE)/$RATE;
  return '  achieved ' + rate.toFixed(1) + ' req/s (' + (err>=0?'+':'') + err.toFixed(2) + '%, goal within 1%), '
    + s.iterations + ' iterations started in $RATE_DURATION s, dropped ' + s.droppedIterations + '\\n'
    + '  start lag p50 ' + s.startLag.p50 + ' ms, p99 ' + s.startLag.p99 + ' ms (goal < 5), max ' + s.startLag.max
    + ' ms; late starts (>10 ms) ' + s.lateStarts + '\\n'
    + '  latency p50 ' + s.latency.p50 + ' ms, p99 ' + s.latency.p99 + ' ms; service p99 ' + s.serviceTime.p99 + ' ms'; })()"
