#!/usr/bin/env bash
# How many rounds `./run.sh ab` needs: takes the interleaved runs scripts/ab-trust.sh left in its
# work directory and judges each again on its first N rounds only (no new measurement:
# `./run.sh ab --rounds-from` on a copy whose series are cut to N rounds). Prints, per N, the A/A
# false alarms and which widened windows of channel_analytics were caught.
#
#   scripts/ab-rounds.sh TRUST_DIR [N ...]      default N: 6 8 10 12 16 20
# Needs java 17+, jq, and TRUST_DIR/critpath.jar (ab-trust.sh copies it there).
set -euo pipefail
work="${1:?usage: scripts/ab-rounds.sh TRUST_DIR [N ...]}"
shift
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(6 8 10 12 16 20)
command -v jq >/dev/null || { echo "ab-rounds: jq not found (apt-get install jq)" >&2; exit 2; }
[ -f "$work/critpath.jar" ] || { echo "ab-rounds: no $work/critpath.jar (run scripts/ab-trust.sh first)" >&2; exit 2; }
cut_dir="$work/rounds"
mkdir -p "$cut_dir"

# judge RUN_DIR N -> exit code of ab --rounds-from on the first N rounds
judge() {
  local dir="$cut_dir/$(basename "$(dirname "$1")")-$2" code=0
  mkdir -p "$dir"
  jq --argjson n "$2" '.sections.ab.rounds = $n
    | .sections.ab.series |= map(.baseline = .baseline[:$n] | .candidate = .candidate[:$n] | .order = .order[:$n])' \
    "$1/run.json" >"$dir/run.json"
  java -jar "$work/critpath.jar" ab --rounds-from "$dir" >"$dir/console.txt" 2>&1 || code=$?
  echo "$code"
}

printf '%-7s %-16s %s\n' rounds "A/A alarms" "windows caught (channel_analytics change)"
for n in "${counts[@]}"; do
  alarms=0
  runs=0
  for run in "$work"/runs/ab-aa-*/latest; do
    [ -f "$run/run.json" ] || continue
    runs=$((runs + 1))
    [ "$(judge "$run" "$n")" = 0 ] || alarms=$((alarms + 1))
  done
  caught=""
  for run in "$work"/runs/ab-w*/latest; do
    [ -f "$run/run.json" ] || continue
    w=$(basename "$(dirname "$run")")
    judge "$run" "$n" >/dev/null
    cj="$cut_dir/$w-$n/compare.json"
    s=$(jq -r '.queries[] | select(.name == "channel_analytics") | .status + " " + ([.series[].change] | max * 100 | floor | tostring) + "%"' "$cj")
    caught="$caught ${w#ab-w}d:$s"
  done
  printf '%-7s %-16s %s\n' "$n" "$alarms of $runs" "$caught"
done
