#!/usr/bin/env bash
# How far `./run.sh compare` can be trusted on this machine. Prints three figures:
#   A/A        PAIRS pairs of runs of the same code on the same data, each pair compared:
#              how many comparisons reported a regression (want 0);
#   more work  channel_analytics reading a wider window (a real change to its work, not a
#              sleep): caught or not, and the slowdown measured;
#   index drop messages_conversation_created_idx dropped by a migration: message_fetch
#              caught or not, and the cause compare names.
# Every run is the bench stage (JMH) plus the explain stage of the same paths, merged into one
# run directory as the default suite writes it. One jar, built once, runs everything.
#
#   scripts/compare-trust.sh [PAIRS]          default 10 pairs
# Environment: CRITPATH_TRUST_DIR (work directory, default a new one under /tmp),
#   CRITPATH_TRUST_PROFILE (seed profile, default small), CRITPATH_TRUST_ONLY (paths),
#   CRITPATH_TRUST_JMH (JMH options), CRITPATH_TRUST_WINDOW (the wider window, default 40 days: 23% more
#   shared buffers per call than 30 on the small profile, i.e. about a quarter more work).
# Needs java 17+, jq. Takes about 2 minutes per run: 2 * PAIRS + 2 runs.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pairs="${1:-10}"
work="${CRITPATH_TRUST_DIR:-$(mktemp -d /tmp/critpath-trust.XXXXXX)}"
profile="${CRITPATH_TRUST_PROFILE:-small}"
only="${CRITPATH_TRUST_ONLY:-message_fetch,conversation_list,unread_count,channel_analytics,message_search,send_message}"
# 10 measurement iterations: the rank test needs replicates (the quick profile's 3 cannot
# reach significance); one fork, as CI runs it
jmh="${CRITPATH_TRUST_JMH:--f 1 -wi 2 -w 300ms -i 10 -r 300ms}"
window="${CRITPATH_TRUST_WINDOW:-40 days}"

command -v jq >/dev/null || { echo "compare-trust: jq not found (apt-get install jq)" >&2; exit 2; }
mkdir -p "$work/runs" "$work/logs"
echo "compare-trust: working in $work"

# one build, one jar: the tree may change while this runs, the code measured must not
(cd "$here" && ./run.sh --version >/dev/null)
cp "$here/cli/target/critpath.jar" "$work/critpath.jar"
# other JMH runs on this machine (tests, other benchmarks) hold JMH's lock; measuring beside
# them is this machine's reality, so do not wait for it
critpath() { java -Djmh.ignoreLock=true -jar "$work/critpath.jar" "$@"; }
db=(--keep-db="$work/pgdata")

cp -r "$here/queries" "$work/queries-base"
cp -r "$here/queries" "$work/queries-wider"
sed -i "s/interval '30 days'/interval '$window'/" "$work/queries-wider/channel_analytics.sql"
grep -q "$window" "$work/queries-wider/channel_analytics.sql" \
  || { echo "compare-trust: could not widen channel_analytics' window" >&2; exit 2; }
cp -r "$here/schema" "$work/schema-dropped"
echo "DROP INDEX messages_conversation_created_idx;" >"$work/schema-dropped/V900__trust_drop_index.sql"

critpath migrate "${db[@]}" >"$work/logs/migrate.log" 2>&1
critpath seed "${db[@]}" --profile "$profile" --out "$work" >"$work/logs/seed.log" 2>&1
tail -2 "$work/logs/seed.log"

# run NAME QUERIES_DIR: bench + explain of the same paths into runs/NAME
run() {
  local name=$1 queries=$2 dir="$work/runs/$1"
  critpath bench "${db[@]}" --queries "$queries" --only "$only" --variants rls_on --threads 2 \
    --jmh "$jmh" --results "$work/runs/.$name-bench" >"$work/logs/$name.bench.log" 2>&1 || true
  critpath explain "${db[@]}" --queries "$queries" --only "$only" --no-what-if \
    --results "$work/runs/.$name-explain" >"$work/logs/$name.explain.log" 2>&1 || true
  local bench="$work/runs/.$name-bench/latest" explain="$work/runs/.$name-explain/latest"
  [ -f "$bench/run.json" ] || { echo "compare-trust: bench run $name failed, see $work/logs" >&2; exit 2; }
  mkdir -p "$dir"
  cp "$bench/jmh.json" "$dir/"
  if [ -f "$explain/run.json" ]; then
    cp -r "$explain/explain" "$dir/"
    jq --slurpfile e "$explain/run.json" '.sections.explain = $e[0].sections.explain' \
      "$bench/run.json" >"$dir/run.json"
  else
    cp "$bench/run.json" "$dir/"
  fi
  echo "  run $name done ($(date -u +%H:%M:%S))"
}

# compare BASE CUR: exit code, regressed queries, and the largest |change| of any query
compare() {
  local out="$work/compare/$1-vs-$2" code=0
  mkdir -p "$out"
  critpath compare "$work/runs/$1" "$work/runs/$2" --out "$out" >"$out/console.txt" 2>&1 || code=$?
  echo "$code"
}

regressed() { jq -r '[.queries[] | select(.status == "REGRESSED") | .name] | join(",")' "$1/compare.json"; }
maxchange() {
  jq -r '[.queries[] | .series[]? | .change | fabs] | max // 0 | . * 100 | floor | tostring + "%"' \
    "$1/compare.json"
}

echo "A/A: $pairs pairs"
aa_alarms=0
for i in $(seq 1 "$pairs"); do
  run "aa-$i-a" "$work/queries-base"
  run "aa-$i-b" "$work/queries-base"
  code=$(compare "aa-$i-a" "aa-$i-b")
  out="$work/compare/aa-$i-a-vs-aa-$i-b"
  echo "  pair $i: exit $code, regressed [$(regressed "$out")], largest change $(maxchange "$out")"
  [ "$code" = 0 ] || aa_alarms=$((aa_alarms + 1))
done

echo "more work: channel_analytics over $window instead of 30 days"
run wider "$work/queries-wider"
code=$(compare "aa-$pairs-b" wider)
out="$work/compare/aa-$pairs-b-vs-wider"
wider_change=$(jq -r '.queries[] | select(.name == "channel_analytics") | .series[0].change * 100 | floor' "$out/compare.json")
wider_status=$(jq -r '.queries[] | select(.name == "channel_analytics") | .status' "$out/compare.json")
echo "  exit $code, channel_analytics $wider_status (+$wider_change%), regressed [$(regressed "$out")]"

echo "index drop: messages_conversation_created_idx"
critpath migrate "${db[@]}" --schema "$work/schema-dropped" >"$work/logs/drop.log" 2>&1
run dropped "$work/queries-base"
code=$(compare "aa-$pairs-b" dropped)
out="$work/compare/aa-$pairs-b-vs-dropped"
drop_status=$(jq -r '.queries[] | select(.name == "message_fetch") | .status' "$out/compare.json")
echo "  exit $code, message_fetch $drop_status, regressed [$(regressed "$out")]"
jq -r '.queries[] | select(.name == "message_fetch") | .causes[] | "    - " + .' "$out/compare.json"

echo
echo "compare-trust: A/A false alarms $aa_alarms of $pairs;" \
  "+work caught: $([ "$wider_status" = REGRESSED ] && echo yes || echo no) (+$wider_change%);" \
  "index drop caught: $([ "$drop_status" = REGRESSED ] && echo yes || echo no)"
echo "compare-trust: reports in $work/compare/*/compare.html"
