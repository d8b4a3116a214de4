#!/usr/bin/env bash
# How far the CI gate (`./run.sh ci` twice, then `./run.sh compare`) can be trusted on this
# machine. Every run is one `ci` run directory (plans, counters and JMH together, nothing merged).
# Prints three figures:
#   A/A         consecutive runs of the same code on the same data, compared: how many
#               comparisons reported a regression (want 0) or failed the gate otherwise;
#   slowdown    channel_analytics reading a wider window (more work, not a sleep), compared with
#               the runs of unchanged code just before and just after it: how many pairs
#               caught it (want all);
#   index drop  messages_conversation_created_idx dropped by a migration (a second database,
#               seeded alike): how many pairs caught message_fetch with the plan change and the
#               index named (want all).
#
#   scripts/compare-trust.sh [ROUNDS]   default 10: each round runs the unchanged code and the
#                                       slowdown, the first DROPS rounds also the index drop
# Environment: CRITPATH_TRUST_DIR (work directory, default a new one under /tmp),
#   CRITPATH_TRUST_DATASET (default small), CRITPATH_TRUST_ONLY (paths, default three so a round
#   fits in ~5 minutes on 2 busy cores; empty for the whole catalog), CRITPATH_TRUST_WINDOW (the
#   wider window, default 42 days: see docs/measurements.md#compare-trust for the slowdown it
#   makes), CRITPATH_TRUST_DROPS (default 5), CRITPATH_TRUST_JMH (JMH options, default the
#   gate's own), CRITPATH_TRUST_REJUDGE=1 (run nothing: compare the runs already in
#   CRITPATH_TRUST_DIR again with this tree's build, into compare-rejudged/; the rounds stop at
#   the first run missing, so a cut-short measurement is judged as far as it got).
# Needs java 17+ and jq.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-10}"
work="${CRITPATH_TRUST_DIR:-$(mktemp -d /tmp/critpath-trust.XXXXXX)}"
dataset="${CRITPATH_TRUST_DATASET:-small}"
only="${CRITPATH_TRUST_ONLY-message_fetch,channel_analytics,unread_count}"
window="${CRITPATH_TRUST_WINDOW:-42 days}"
drops="${CRITPATH_TRUST_DROPS:-5}"
jmh="${CRITPATH_TRUST_JMH:-}"

command -v jq >/dev/null || { echo "compare-trust: jq not found (apt-get install jq)" >&2; exit 2; }
rejudge="${CRITPATH_TRUST_REJUDGE:-}"
results=compare
[ -n "$rejudge" ] && results=compare-rejudged
mkdir -p "$work/runs" "$work/logs" "$work/$results"
echo "compare-trust: working in $work ($rounds rounds, $drops index drops, paths: ${only:-all})"

# one build, one jar: the tree may change while this runs, the code measured must not
(cd "$here" && ./run.sh --version >/dev/null)
jar="$work/critpath.jar"
[ -n "$rejudge" ] && jar="$work/critpath-rejudge.jar"
cp "$here/cli/target/critpath.jar" "$jar"
# other JMH runs on this machine hold JMH's own lock; measuring beside them is this machine's
# reality (critpath's machine lock still keeps two critpath benchmarks apart, unless
# CRITPATH_TRUST_OWN_LOCK=1 gives these runs a lock of their own: they then measure beside other
# critpath benchmarks on the machine, as a shared CI runner would)
lock=()
[ "${CRITPATH_TRUST_OWN_LOCK:-}" = 1 ] && mkdir -p "$work/tmp" && lock=(-Djava.io.tmpdir="$work/tmp")
critpath() { java -Djmh.ignoreLock=true "${lock[@]}" -jar "$jar" "$@"; }

cp -r "$here/queries" "$work/queries-base"
cp -r "$here/queries" "$work/queries-wider"
sed -i "s/interval '30 days'/interval '$window'/" "$work/queries-wider/channel_analytics.sql"
grep -q "$window" "$work/queries-wider/channel_analytics.sql" \
  || { echo "compare-trust: could not widen channel_analytics' window" >&2; exit 2; }
cp -r "$here/schema" "$work/schema-dropped"
echo "DROP INDEX messages_conversation_created_idx;" >"$work/schema-dropped/V900__trust_drop_index.sql"

# run NAME DB QUERIES [ci options]: one `ci` run into runs/NAME
run() {
  local name=$1 db=$2 queries=$3
  shift 3
  if [ -n "$rejudge" ]; then
    [ -f "$work/runs/$name/run.json" ] && return 0
    echo "compare-trust: no run $name to judge again: stopping here"
    summary
    exit 0
  fi
  local args=(ci --keep-db="$work/$db" --dataset "$dataset" --queries "$queries"
    --results "$work/runs/.$name")
  [ -n "$only" ] && args+=(--only "$only")
  [ -n "$jmh" ] && args+=(--jmh "$jmh")
  local start=$SECONDS
  critpath "${args[@]}" "$@" >"$work/logs/$name.log" 2>&1 || true
  [ -f "$work/runs/.$name/latest/run.json" ] \
    || { echo "compare-trust: run $name failed, see $work/logs/$name.log" >&2; exit 2; }
  mv "$(readlink -f "$work/runs/.$name/latest")" "$work/runs/$name"
  echo "  $name: $((SECONDS - start)) s ($(date -u +%H:%M:%S))"
}

# compare BASE CUR [options]: prints the exit code; compare.json lands in compare/BASE-vs-CUR
compare() {
  local out="$work/$results/$1-vs-$2" code=0 base=$1 cur=$2
  shift 2
  mkdir -p "$out"
  critpath compare "$work/runs/$base" "$work/runs/$cur" --out "$out" "$@" >"$out/console.txt" 2>&1 \
    || code=$?
  echo "$code"
}

status() { jq -r --arg q "$2" '.queries[] | select(.name == $q) | .status' "$1/compare.json"; }
regressed() { jq -r '[.queries[] | select(.status == "REGRESSED") | .name] | join(",")' "$1/compare.json"; }
buffers() {
  jq -r --arg q "$2" '.queries[] | select(.name == $q) | .counters[]
    | select(.name == "shared buffers per call") | .baseline + " → " + .current' "$1/compare.json"
}
change() {
  jq -r --arg q "$2" '.queries[] | select(.name == $q) | [.series[] | .change] | max // 0
    | . * 100 | round | tostring + "%"' "$1/compare.json"
}

aa_pairs=0 aa_regressions=0 aa_failed=0 caught=0 dropped=0 rounds_done=0
summary() {
  if [ -f "$work/$results/base-1-vs-dropped-1/compare.json" ]; then
    jq -r '.queries[] | select(.name == "message_fetch") | .causes[] | "    - " + .' \
      "$work/$results/base-1-vs-dropped-1/compare.json"
  fi
  echo
  echo "compare-trust: A/A $aa_regressions regressions in $aa_pairs pairs ($aa_failed failed the gate);" \
    "slowdown caught $caught of $slowdown_pairs; index drop caught and named $dropped of" \
    "$((rounds_done < drops ? rounds_done : drops))"
  echo "compare-trust: reports in $work/$results/*/compare.md"
}
# aa PREFIX R: runs PREFIX-(R-1) and PREFIX-R are the same code on the same data
aa() {
  local a="$1-$(($2 - 1))" b="$1-$2" code out
  code=$(compare "$a" "$b" --allow-different schema)
  out="$work/$results/$a-vs-$b"
  aa_pairs=$((aa_pairs + 1))
  [ -z "$(regressed "$out")" ] || aa_regressions=$((aa_regressions + 1))
  [ "$code" = 0 ] || aa_failed=$((aa_failed + 1))
  echo "  A/A $a vs $b: exit $code, regressed [$(regressed "$out")]"
}

slowdown_pairs=0
# slowdown BASE WIDER: is channel_analytics' wider window caught?
slowdown() {
  local code out s
  code=$(compare "$1" "$2")
  out="$work/$results/$1-vs-$2"
  s=$(status "$out" channel_analytics)
  slowdown_pairs=$((slowdown_pairs + 1))
  [ "$s" = REGRESSED ] && caught=$((caught + 1))
  echo "  slowdown $1 vs $2: exit $code, channel_analytics $s" \
    "(timing $(change "$out" channel_analytics), buffers per call $(buffers "$out" channel_analytics))," \
    "regressed [$(regressed "$out")]"
}

# each round compares as soon as its runs are done: a cut-short session still has figures
for r in $(seq 1 "$rounds"); do
  echo "round $r"
  run "base-$r" pg-base "$work/queries-base"
  run "wider-$r" pg-base "$work/queries-wider"
  if [ "$r" -le "$drops" ]; then
    run "dropped-$r" pg-dropped "$work/queries-base" --schema "$work/schema-dropped"
  fi
  if [ "$r" -gt 1 ]; then
    aa base "$r"
    aa wider "$r"
    [ "$r" -gt "$drops" ] || aa dropped "$r"
  fi

  slowdown "base-$r" "wider-$r"
  # the wider run of the round before is as close in time to this base run: a second pair
  [ "$r" -gt 1 ] && slowdown "base-$r" "wider-$((r - 1))"

  if [ "$r" -le "$drops" ]; then
    code=$(compare "base-$r" "dropped-$r" --allow-different schema)
    out="$work/$results/base-$r-vs-dropped-$r"
    s=$(status "$out" message_fetch)
    named=$(jq -r '[.queries[] | select(.name == "message_fetch") | .causes[]
      | select(test("plan changed|messages_conversation_created_idx is gone"))] | length' \
      "$out/compare.json")
    [ "$s" = REGRESSED ] && [ "$named" = 2 ] && dropped=$((dropped + 1))
    echo "  index drop base-$r vs dropped-$r: exit $code, message_fetch $s," \
      "plan change and index named: $([ "$named" = 2 ] && echo yes || echo no)"
  fi
  rounds_done=$r
  echo "  so far: A/A $aa_regressions regressions in $aa_pairs pairs; slowdown caught $caught of $slowdown_pairs;" \
    "index drop caught and named $dropped of $([ "$r" -le "$drops" ] && echo "$r" || echo "$drops")"
done
summary
