#!/usr/bin/env bash
# Does critpath's client stay flat over a long run? Runs one http scenario at RATE requests/s for
# DURATION against a minimal local server (Deno answering {"ok":true}: the server must not be what
# limits the rate), and prints the critpath JVM's heap after a full GC shortly after the start,
# every REPORT_EVERY seconds and shortly before the end, with the size of the run's latency log
# (http.hlog) each time, then the requests sent, the rate reached and the dropped iterations.
# Goal: the heap after GC at the end within noise of the start (the totals are fixed-size
# histograms, each second's interval goes to the log), the log growing linearly and small.
#
#   scripts/soak-heap.sh            defaults: RATE=1000 DURATION=1h REPORT_EVERY=300
#
# DENO       the deno binary (default: supabase/functions' node_modules copy, as the local server)
# WORK       where the scenario, the server and the results go (default: a temporary directory)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rate="${RATE:-1000}"
duration="${DURATION:-1h}"
every="${REPORT_EVERY:-300}"
deno="${DENO:-$here/supabase/functions/node_modules/@deno/linux-x64-glibc/deno}"
work="${WORK:-$(mktemp -d)}"
mkdir -p "$work"
for tool in jcmd jq; do
  command -v "$tool" >/dev/null || { echo "soak-heap: $tool not found" >&2; exit 2; }
done
[ -x "$deno" ] || { echo "soak-heap: no deno at $deno (cd supabase/functions && npm ci, or set DENO)" >&2; exit 2; }

seconds_of() { # 90s, 15m, 1h -> seconds
  local v="${1%[smh]}"; case "$1" in *h) echo $((v * 3600));; *m) echo $((v * 60));; *) echo "$v";; esac
}
total=$(seconds_of "$duration")

cat >"$work/ok.ts" <<'TS'
const body = JSON.stringify({ ok: true });
Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: ({ port }) => console.log(port) },
  () => new Response(body, { headers: { "content-type": "application/json" } }));
TS
"$deno" run --allow-net "$work/ok.ts" >"$work/server.out" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; [ -n "${client:-}" ] && kill $client 2>/dev/null || true' EXIT
for _ in $(seq 50); do port=$(head -1 "$work/server.out" | tr -dc 0-9); [ -n "$port" ] && break; sleep 0.2; done
[ -n "$port" ] || { echo "soak-heap: the Deno server did not start: $(cat "$work/server.out")" >&2; exit 2; }

cat >"$work/soak.yaml" <<YAML
name: soak
requests:
  ok: {path: /functions/v1/ok, auth: none, checks: [{status: 200}]}
scenarios:
  soak: {executor: constant-arrival-rate, rate: $rate, timeUnit: 1s, duration: $duration, preAllocatedVUs: 100, maxVUs: 400}
YAML

"$here/run.sh" --version >/dev/null # builds the jar when the sources are newer
echo "== soak: $rate req/s for $duration against 127.0.0.1:$port, results in $work/results"
java ${CRITPATH_JAVA_OPTS:-} -jar "$here/cli/target/critpath.jar" http --base-url "http://127.0.0.1:$port" \
  --results "$work/results" "$work/soak.yaml" >"$work/critpath.out" 2>&1 &
client=$!

heap_after_gc() { # used heap in MB after a full GC of the client JVM
  jcmd "$client" GC.run >/dev/null 2>&1 || return 0
  jcmd "$client" GC.heap_info 2>/dev/null | sed -n 's/.*total [0-9]*K, used \([0-9]*\)K.*/\1/p' | head -1 |
    awk '{printf "%.1f MB", $1 / 1024}'
}
hlog_size() {
  local f; f=$(ls "$work"/results/*/http.hlog 2>/dev/null | head -1)
  [ -n "$f" ] && stat -c %s "$f" | awk '{printf "%.1f MB", $1 / 1048576}' || echo "none yet"
}
report() { echo "soak-heap: t=${1}s heap after GC $(heap_after_gc), http.hlog $(hlog_size)"; }

start_at=$(( total < 600 ? 30 : 60 ))
end_at=$(( total - 30 ))
sleep "$start_at"; report "$start_at"
t=$start_at
while [ $((t + every)) -lt "$end_at" ]; do sleep "$every"; t=$((t + every)); report "$t"; done
if [ "$end_at" -gt "$t" ]; then sleep $((end_at - t)); report "$end_at"; fi
set +e
wait "$client"; code=$?
set -e
run="$work/results/latest/run.json"
echo "soak-heap: critpath exit $code; $(jq -r '.sections.http.files[0].scenarios[0] | "\(.requests) requests in \(.durationSeconds) s (\(.requestsPerSecond) req/s), dropped \(.droppedIterations), latency p99 \(.latency.p99) ms"' "$run")"
echo "soak-heap: final http.hlog $(hlog_size) ($(stat -c %s "$work"/results/latest/http.hlog) bytes)"
