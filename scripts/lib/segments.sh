# Sourced by the scripts that run segments on this machine.
#
# run_segments WORK N LEAD_SECONDS COMMAND [ARGS...]: starts `./run.sh COMMAND ARGS --segment i/N
# --start-at T --results WORK/segment-i` for i = 1..N at once (T is LEAD_SECONDS from now), logs
# each to WORK/segment-i.log, waits for all (their exit codes are in the logs' runs), merges them
# into WORK/merged, prints merge's output and sets MERGE_SECONDS (JVM start included).
run_segments() {
  local work="$1" n="$2" lead="$3"
  shift 3
  local start pids=() segments=() i p t0 t1
  start="$(date -u -d "+$lead sec" +%FT%TZ)"
  for i in $(seq 1 "$n"); do
    ./run.sh "$@" --segment "$i/$n" --start-at "$start" --results "$work/segment-$i" \
      >"$work/segment-$i.log" 2>&1 &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || true; done
  for i in $(seq 1 "$n"); do segments+=("$work/segment-$i/latest"); done
  t0=$(date +%s.%N)
  ./run.sh merge "${segments[@]}" --results "$work/merged" >"$work/merge.log" 2>&1 || true
  t1=$(date +%s.%N)
  cat "$work/merge.log"
  MERGE_SECONDS="$(echo "$t1 - $t0" | bc)"
}
