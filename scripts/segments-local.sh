#!/usr/bin/env bash
# A bundled full-size scenario run whole and as N segments on this machine, then merged, at a
# reduced scale: seed001-dashboard (100 then 500 VUs over 16 minutes) with its VUs divided by
# LOAD_DIVISOR and every duration multiplied by TIME_SCALE (the suite's short-form idea: only how
# long things last and how many VUs there are change; the requests, think time and thresholds
# stay). All processes share one database on the local PostgreSQL (SEG_DB on 127.0.0.1:5432,
# migrated and seeded with `seed001` once); each process serves the sample functions itself.
# The segments start together (--start-at). Prints the whole's and the merged requests, rate and
# percentiles.
#
#   scripts/segments-local.sh     (env: SEGMENTS=3 LOAD_DIVISOR=10 TIME_SCALE=0.05 SEG_DB=seg_demo)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
. scripts/lib/segments.sh
SEGMENTS="${SEGMENTS:-3}"
LOAD_DIVISOR="${LOAD_DIVISOR:-10}"
TIME_SCALE="${TIME_SCALE:-0.05}"
SEG_DB="${SEG_DB:-seg_demo}"
LEAD_SECONDS="${LEAD_SECONDS:-90}"
export DATABASE_URL="postgresql://postgres@127.0.0.1:5432/$SEG_DB"
work="${WORK:-$(mktemp -d)}"
mkdir -p "$work"
echo "segments-local: work directory $work"

if ! psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$SEG_DB'" | grep -q 1; then
  createdb -h 127.0.0.1 -U postgres "$SEG_DB"
  ./run.sh migrate >/dev/null
  ./run.sh seed --profile seed001 --out "$work/seed" >/dev/null
fi

# the reduced file: VUs / LOAD_DIVISOR, durations x TIME_SCALE (k6 durations: 2m, 5m, 30s)
python3 - "$LOAD_DIVISOR" "$TIME_SCALE" scenarios/seed001-dashboard.yaml >"$work/dashboard.yaml" <<'PY'
import re, sys
divisor, scale, path = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
text = open(path).read()
def seconds(v):
    n, unit = re.fullmatch(r"(\d+)(m|s)", v).groups()
    return int(n) * (60 if unit == "m" else 1)
text = re.sub(r"(duration|gracefulRampDown): (\d+[ms])",
              lambda m: f"{m.group(1)}: {max(1, round(seconds(m.group(2)) * scale))}s", text)
text = re.sub(r"target: (\d+)", lambda m: f"target: {int(m.group(1)) // divisor}", text)
print(text.replace("name: seed001-dashboard", "name: seed001-dashboard-reduced"), end="")
PY

./run.sh http "$work/dashboard.yaml" --results "$work/whole" >"$work/whole.log" 2>&1 || true
run_segments "$work" "$SEGMENTS" "$LEAD_SECONDS" http "$work/dashboard.yaml"
python3 - "$work" "$SEGMENTS" "$MERGE_SECONDS" <<'PY'
import json, sys
work, n, merge_seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
def scenario(d):
    run = json.load(open(f"{work}/{d}/latest/run.json"))
    return run["sections"]["http"]["files"][0]["scenarios"][0]
def row(label, s):
    l = s["latency"]
    print(f"{label:<12}{s['requests']:>9}{s['requestsPerSecond']:>9.1f}{s['maxVus']:>8}"
          f"{l.get('p50', 0):>9.1f}{l.get('p95', 0):>9.1f}{l.get('p99', 0):>9.1f}  failed {s['failedRate']:.4f}")
print(f"{'run':<12}{'requests':>9}{'req/s':>9}{'max VUs':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
row("whole", scenario("whole"))
total = 0
for i in range(1, n + 1):
    s = scenario(f"segment-{i}")
    total += s["requests"]
    row(f"segment {i}/{n}", s)
row("merged", scenario("merged"))
print(f"sum of the segments' requests: {total}; merge took {merge_seconds:.1f} s (JVM start included)")
PY
