#!/usr/bin/env bash
# How long does ./run.sh merge take on a realistic distributed run? Generates SEGMENTS segment run
# directories of a SECONDS-long run of the bundled message-send file at RATE requests/s in all
# (scripts/SegmentLogs.java: run.json plus http.hlog written by critpath's own LatencyLog at the
# live run's 1 s interval, 3 digits, microseconds, live tags), then times the whole merge command
# (JVM start, checks, replay, thresholds, reports) and prints it with the logs' sizes.
# Goal: 8 segments of a 10-minute run in under 10 s.
#
#   scripts/merge-speed.sh            defaults: SEGMENTS=8 DURATION_SECONDS=600 RATE=1000
#
# Exit 1 from merge is expected: the generated 0.55% failures break message-send's http_req_failed
# threshold (rate<0.001), judged on the merged data. k6-operator has no merge to compare with: its
# runners' summaries cannot be combined exactly.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
segments="${SEGMENTS:-8}"
seconds="${DURATION_SECONDS:-600}"
rate="${RATE:-1000}"
work="${WORK:-$(mktemp -d)}"
jar="$here/cli/target/critpath.jar"

for tool in jq bc /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "merge-speed: $tool not found" >&2; exit 2; }
done
"$here/run.sh" --version >/dev/null # builds the jar when the sources are newer
echo "== generating $segments segments of a ${seconds}s run at ${rate} req/s in $work"
java -cp "$jar" "$here/scripts/SegmentLogs.java" "$work/segments" "$segments" "$seconds" "$rate"
du -ch "$work"/segments/*/http.hlog | tail -1 | sed 's/^/   latency logs: /'
ls -l "$work"/segments/segment-1/http.hlog | awk '{print "   one segment log: " $5 " bytes"}'

load=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== ./run.sh merge (all $segments segments)"
set +e
/usr/bin/time -f "%e %U %S" -o "$work/time.out" \
  "$here/run.sh" merge --results "$work/merged" "$work"/segments/segment-* >"$work/merge.out" 2>&1
code=$?
set -e
cat "$work/merge.out"
read -r elapsed user sys < <(tail -1 "$work/time.out") # its first line says a non-zero exit
cpu=$(echo "$user + $sys" | bc)
requests=$(jq '[.sections.http.files[0].scenarios[].requests] | add' "$work/merged/latest/run.json")
echo "merge-speed: load average before: $load"
echo "merge-speed: exit $code, ${elapsed}s wall, ${cpu}s CPU for $segments segments of ${seconds}s at ${rate} req/s ($requests requests; goal < 10 s)"
