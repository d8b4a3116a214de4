#!/usr/bin/env bash
# Interleaved A/B (`./run.sh ab`) against two consecutive separate runs (bench + explain, then
# `./run.sh compare`), on this machine, side by side:
#   A/A        PAIRS comparisons of unchanged code on the same data: how many reported a
#              regression (false alarms; want 0);
#   slowdown   channel_analytics reading a wider window than its 30 days (35, 40, 45 days: more
#              work, not a sleep): caught or not, with the change measured.
#
#   scripts/ab-trust.sh MODE [PAIRS]     MODE: interleaved, separate or both (default both);
#                                        PAIRS default 5
# Environment: CRITPATH_TRUST_DIR (work directory, default a new one under /tmp),
#   CRITPATH_TRUST_PROFILE (default small), CRITPATH_TRUST_ONLY (paths),
#   CRITPATH_TRUST_WINDOWS (default "35 40 45"), CRITPATH_TRUST_ROUNDS (ab --rounds, default 20),
#   CRITPATH_TRUST_JMH (the separate runs' JMH options, as scripts/compare-trust.sh).
# Needs java 17+, jq. Each mode takes about 2-3 minutes per run: PAIRS + 3 interleaved runs,
# 2 * PAIRS + 3 separate runs. Run the two modes at the same time (two invocations) so both see
# the same machine; each uses its own lock directory, so neither waits for the other.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mode="${1:-both}"
pairs="${2:-5}"
work="${CRITPATH_TRUST_DIR:-$(mktemp -d /tmp/critpath-ab-trust.XXXXXX)}"
profile="${CRITPATH_TRUST_PROFILE:-small}"
only="${CRITPATH_TRUST_ONLY:-message_fetch,conversation_list,unread_count,channel_analytics}"
windows="${CRITPATH_TRUST_WINDOWS:-35 40 45}"
rounds="${CRITPATH_TRUST_ROUNDS:-20}"
jmh="${CRITPATH_TRUST_JMH:--f 1 -wi 2 -w 300ms -i 10 -r 300ms}"
case "$mode" in interleaved | separate | both) ;; *)
  echo "ab-trust: MODE is interleaved, separate or both, got '$mode'" >&2
  exit 2
  ;;
esac
command -v jq >/dev/null || { echo "ab-trust: jq not found (apt-get install jq)" >&2; exit 2; }
mkdir -p "$work/runs" "$work/logs" "$work/compare" "$work/tmp-$mode"
echo "ab-trust: $mode, $pairs A/A pairs, working in $work"

if [ ! -f "$work/critpath.jar" ]; then
  (cd "$here" && ./run.sh --version >/dev/null)
  cp "$here/cli/target/critpath.jar" "$work/critpath.jar"
fi
critpath() {
  java -Djava.io.tmpdir="$work/tmp-$mode" -Djmh.ignoreLock=true -jar "$work/critpath.jar" "$@"
}
[ -d "$work/queries-base" ] || cp -r "$here/queries" "$work/queries-base"
for w in $windows; do
  if [ ! -d "$work/queries-$w" ]; then
    cp -r "$here/queries" "$work/queries-$w"
    sed -i "s/interval '30 days'/interval '$w days'/" "$work/queries-$w/channel_analytics.sql"
    grep -q "$w days" "$work/queries-$w/channel_analytics.sql" \
      || { echo "ab-trust: could not widen channel_analytics' window" >&2; exit 2; }
  fi
done

status_of() { # compare.json PATH -> the path's status and its largest change
  jq -r --arg p "$2" '.queries[] | select(.name == $p)
    | .status + " " + ([.series[].change] | max // 0 | . * 100 | floor | tostring) + "%"' "$1"
}
regressed() { jq -r '[.queries[] | select(.status == "REGRESSED") | .name] | join(",")' "$1"; }

# ab NAME CANDIDATE_QUERIES: one interleaved run, baseline the unchanged catalog
ab() {
  local name=$1 dir="$work/runs/ab-$1" code=0
  critpath ab --profile "$profile" --only "$only" --rounds "$rounds" \
    --baseline-queries "$work/queries-base" --queries "$2" --results "$dir" \
    >"$work/logs/ab-$name.log" 2>&1 || code=$?
  [ -f "$dir/latest/compare.json" ] || { echo "ab-trust: ab run $name broke, see $work/logs" >&2; exit 2; }
  echo "$code"
}

# separate NAME QUERIES_DIR: bench + explain of the same paths into runs/sep-NAME (as compare-trust)
separate() {
  local name=$1 queries=$2 dir="$work/runs/sep-$1"
  critpath bench --keep-db="$work/pgdata" --queries "$queries" --only "$only" --variants rls_on \
    --threads 1 --jmh "$jmh" --results "$work/runs/.$name-bench" >"$work/logs/sep-$name.bench.log" 2>&1 || true
  critpath explain --keep-db="$work/pgdata" --queries "$queries" --only "$only" --no-what-if \
    --results "$work/runs/.$name-explain" >"$work/logs/sep-$name.explain.log" 2>&1 || true
  local bench="$work/runs/.$name-bench/latest" explain="$work/runs/.$name-explain/latest"
  [ -f "$bench/run.json" ] || { echo "ab-trust: bench run $name failed, see $work/logs" >&2; exit 2; }
  mkdir -p "$dir"
  cp "$bench/jmh.json" "$dir/"
  jq --slurpfile e "$explain/run.json" '.sections.explain = $e[0].sections.explain' \
    "$bench/run.json" >"$dir/run.json"
}
compare_runs() { # BASE CUR -> exit code; compare.json in compare/BASE-vs-CUR
  local out="$work/compare/$1-vs-$2" code=0
  mkdir -p "$out"
  critpath compare "$work/runs/sep-$1" "$work/runs/sep-$2" --out "$out" >"$out/console.txt" 2>&1 || code=$?
  echo "$code"
}

interleaved() {
  local alarms=0 i code
  echo "interleaved A/A: $pairs runs of $rounds rounds"
  for i in $(seq 1 "$pairs"); do
    code=$(ab "aa-$i" "$work/queries-base")
    echo "  run $i: exit $code, regressed [$(regressed "$work/runs/ab-aa-$i/latest/compare.json")] ($(date -u +%H:%M:%S))"
    [ "$code" = 0 ] || alarms=$((alarms + 1))
  done
  local caught=""
  for w in $windows; do
    code=$(ab "w$w" "$work/queries-$w")
    local s
    s=$(status_of "$work/runs/ab-w$w/latest/compare.json" channel_analytics)
    echo "  window $w days: exit $code, channel_analytics $s"
    case "$s" in REGRESSED*) caught="$caught $w" ;; esac
  done
  echo "ab-trust: interleaved: A/A false alarms $alarms of $pairs; slowdowns caught at:${caught:- none}"
}

separate_mode() {
  local alarms=0 i code
  echo "separate runs: seeding $profile once"
  critpath migrate --keep-db="$work/pgdata" >"$work/logs/sep-migrate.log" 2>&1
  critpath seed --keep-db="$work/pgdata" --profile "$profile" --out "$work" >"$work/logs/sep-seed.log" 2>&1
  echo "separate A/A: $pairs pairs of runs"
  for i in $(seq 1 "$pairs"); do
    separate "aa-$i-a" "$work/queries-base"
    separate "aa-$i-b" "$work/queries-base"
    code=$(compare_runs "aa-$i-a" "aa-$i-b")
    echo "  pair $i: exit $code, regressed [$(regressed "$work/compare/aa-$i-a-vs-aa-$i-b/compare.json")] ($(date -u +%H:%M:%S))"
    [ "$code" = 0 ] || alarms=$((alarms + 1))
  done
  local caught=""
  for w in $windows; do
    separate "w$w" "$work/queries-$w"
    code=$(compare_runs "aa-$pairs-b" "w$w")
    local s
    s=$(status_of "$work/compare/aa-$pairs-b-vs-w$w/compare.json" channel_analytics)
    echo "  window $w days: exit $code, channel_analytics $s"
    case "$s" in REGRESSED*) caught="$caught $w" ;; esac
  done
  echo "ab-trust: separate: A/A false alarms $alarms of $pairs; slowdowns caught at:${caught:- none}"
}

case "$mode" in
  interleaved) interleaved ;;
  separate) separate_mode ;;
  both)
    interleaved
    separate_mode
    ;;
esac
