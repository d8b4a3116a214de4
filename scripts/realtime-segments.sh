#!/usr/bin/env bash
# Seed 001's realtime test (1,000 WebSocket subscribers on the messages for 5 minutes) as SEGMENTS
# `realtime --segment i/N` processes on this machine, started together (--start-at), then merged.
# Each segment starts its own local relay and fixture against one server, DATABASE_URL, which must
# run with wal_level=logical and be migrated (`./run.sh migrate --db-url ...`). Prints each
# segment's and the merged deliveries, loss and percentiles, the server's CPU as the merged
# server section saw it, what the samplers cost it, and how long merge took.
#
#   DATABASE_URL=postgresql://postgres@127.0.0.1:5544/rt_demo scripts/realtime-segments.sh
#   (env: SEGMENTS=2 SUBSCRIBERS=1000 RATE=5 DURATION=300 EVENT=postgres_changes LEAD_SECONDS=60)
#
# RATE is the whole's messages per second; every subscriber of a segment gets every message of
# its segment, so deliveries/s = SUBSCRIBERS x RATE / SEGMENTS. Exit 1 from the runs is expected
# where a seed target fails (postgres_changes' p95 against seed 002's 100 ms for the web).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
. scripts/lib/segments.sh
: "${DATABASE_URL:?realtime-segments: set DATABASE_URL to a migrated server with wal_level=logical}"
SEGMENTS="${SEGMENTS:-2}"
SUBSCRIBERS="${SUBSCRIBERS:-1000}"
RATE="${RATE:-5}"
DURATION="${DURATION:-300}"
EVENT="${EVENT:-postgres_changes}"
LEAD_SECONDS="${LEAD_SECONDS:-60}"
work="${WORK:-$(mktemp -d)}"
mkdir -p "$work"
echo "realtime-segments: work directory $work"

level="$(psql "$DATABASE_URL" -tAc 'SHOW wal_level')"
if [ "$level" != logical ]; then
  echo "realtime-segments: $DATABASE_URL has wal_level=$level; the relay needs logical" >&2
  exit 2
fi
./run.sh --version >/dev/null # builds once, before N processes start

run_segments "$work" "$SEGMENTS" "$LEAD_SECONDS" realtime --level websocket --event "$EVENT" \
  --subscribers "$SUBSCRIBERS" --rate "$RATE" --duration "$DURATION"
python3 - "$work" "$SEGMENTS" "$MERGE_SECONDS" <<'PY'
import json, sys
work, n, merge_seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
def run(d):
    return json.load(open(f"{work}/{d}/latest/run.json"))
def row(label, r):
    s = r["sections"]["realtime"]["scenarios"][0]
    m, d = s["messages"], s["delivery"]
    cpu = next(st for st in r["sections"]["server"]["stages"] if st["stage"] == "realtime")
    cpu = cpu["summary"].get("db_cpu", {})
    print(f"{label:<14}{s['subscribers']:>6}{m['sent']:>7}{m['expectedDeliveries']:>10}"
          f"{m['lost']:>6}{m['duplicates']:>5}{d['p50']:>9.1f}{d['p95']:>9.1f}{d['p99']:>9.1f}"
          f"{s['subscriptionSetup']['p95']:>9.1f}{cpu.get('max', float('nan')):>8.1f}"
          f"{cpu.get('mean', float('nan')):>8.1f}")
print(f"{'run':<14}{'subs':>6}{'sent':>7}{'expected':>10}{'lost':>6}{'dup':>5}{'p50 ms':>9}"
      f"{'p95 ms':>9}{'p99 ms':>9}{'setup95':>9}{'cpu max':>8}{'cpu avg':>8}")
for i in range(1, n + 1):
    row(f"segment {i}/{n}", run(f"segment-{i}"))
merged = run("merged")
row("merged", merged)
stage = next(st for st in merged["sections"]["server"]["stages"] if st["stage"] == "realtime")
cost = stage.get("samplerCost")
if cost:
    print(f"samplers: {cost['samplerCpuSeconds']} CPU s against the server's "
          f"{cost['serverCpuSeconds']} s ({cost['share']:.2%})")
print(f"merge took {merge_seconds:.1f} s (JVM start included)")
PY
