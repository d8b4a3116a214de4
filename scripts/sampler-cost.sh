#!/usr/bin/env bash
# What does watching the server cost the server? Runs one steady pgbench load (select-only, at a
# fixed rate) several times, alternately without and with critpath's server sampler attached, and
# reads the server's CPU from /proc (the postmaster and every process it forked) over the same
# window each time (schedstat, nanoseconds). Prints the server's CPU per run, the mean difference
# with/without, and the sampler's own backend CPU as a share of the server's in the same window
# (what run.json's samplerCost says, there in 10 ms ticks).
#
#   scripts/sampler-cost.sh [DATABASE_URL]
#
# DATABASE_URL  a PostgreSQL on this host (its CPU must be visible in /proc); default
#               postgresql://postgres@127.0.0.1:5432/sampler_cost (created and pgbench-initialised
#               when missing; it holds pgbench's tables only)
# ROUNDS        without/with pairs (default 3), the order alternating to cancel drift
# RUN_SECONDS   length of each run (default 30); the CPU window skips its first and last 2 s
# RATE          pgbench transactions per second (default 800), CLIENTS its connections (default 4)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
url="${1:-${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/sampler_cost}}"
rounds="${ROUNDS:-3}"
secs="${RUN_SECONDS:-30}"
rate="${RATE:-800}"
clients="${CLIENTS:-4}"
jar="$here/cli/target/critpath.jar"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

for tool in psql pgbench java; do
  command -v "$tool" >/dev/null || { echo "sampler-cost: $tool not found" >&2; exit 2; }
done
[ -f "$jar" ] || "$here/run.sh" --version >/dev/null # builds the jar

db="${url##*/}"; db="${db%%\?*}"
admin="${url%/*}/postgres"
if ! psql "$admin" -Atqc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
  psql "$admin" -qc "CREATE DATABASE \"$db\""
fi
if ! psql "$url" -Atqc "SELECT to_regclass('pgbench_accounts') IS NOT NULL" | grep -q t; then
  pgbench -q -i -s 5 "$url" >/dev/null 2>&1
fi

# The postmaster: the first line of postmaster.pid in the data directory (superuser, same host).
datadir="$(psql "$url" -Atqc "SHOW data_directory")"
[ -r "$datadir/postmaster.pid" ] ||
  { echo "sampler-cost: $datadir/postmaster.pid is not readable: the server must run on this host" >&2; exit 2; }
pm="$(head -1 "$datadir/postmaster.pid")"
cores="$(nproc)"

# CPU nanoseconds (/proc/PID/schedstat) of the postmaster and the processes it forked: pgbench's
# and the sampler's connections live through the whole window, so none is reaped inside it.
tree_ns() {
  local total pid
  total="$(cut -d' ' -f1 "/proc/$pm/schedstat")"
  for pid in $(cat "/proc/$pm/task/$pm/children"); do
    total=$((total + $(cut -d' ' -f1 "/proc/$pid/schedstat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}
ns_of() { cut -d' ' -f1 "/proc/$1/schedstat" 2>/dev/null || echo 0; }

run_once() { # $1 = off | on; prints the server's CPU % of the host [and the sampler backend's]
  local sampler_pid="" backend="" t0 t1 s0=0 s1=0 window=$((secs - 4))
  if [ "$1" = on ]; then
    java -cp "$jar" "$here/scripts/SamplerCost.java" "$url" "$secs" >"$work/sampler.out" 2>"$work/sampler.err" &
    sampler_pid=$!
    until grep -q started "$work/sampler.out" 2>/dev/null; do sleep 0.2; done
    backend="$(psql "$url" -Atqc "SELECT pid FROM pg_stat_activity WHERE application_name = 'critpath-sampler'")"
  fi
  pgbench -n -S -c "$clients" -R "$rate" -T "$secs" "$url" >"$work/pgbench.out" 2>&1 &
  local bench=$!
  sleep 2
  t0="$(tree_ns)"; [ -n "$backend" ] && s0="$(ns_of "$backend")"
  sleep "$window"
  t1="$(tree_ns)"; [ -n "$backend" ] && s1="$(ns_of "$backend")"
  wait "$bench"
  [ -n "$sampler_pid" ] && wait "$sampler_pid"
  awk -v d=$((t1 - t0)) -v s=$((s1 - s0)) -v w="$window" -v c="$cores" -v on="$1" 'BEGIN {
    printf "%.3f", d / 1e9 / w / c * 100
    if (on == "on") printf "   backend %.1f ms of the server'"'"'s %.0f ms: %.3f%%", s / 1e6, d / 1e6, s / d * 100 }'
  echo
}

echo "server: postmaster $pm on this host, $cores cores; load: pgbench -S -c $clients -R $rate, ${secs}s runs"
printf '%-6s %-8s %s\n' round sampler "server CPU (% of host), the sampler's backend"
off_sum=0; on_sum=0
for r in $(seq 1 "$rounds"); do
  order="off on"; [ $((r % 2)) -eq 0 ] && order="on off"
  for mode in $order; do
    line="$(run_once "$mode")"
    cpu="${line%% *}"
    printf '%-6s %-8s %s\n' "$r" "$mode" "$line"
    if [ "$mode" = on ]; then on_sum="$(awk -v a="$on_sum" -v b="$cpu" 'BEGIN {print a + b}')"
    else off_sum="$(awk -v a="$off_sum" -v b="$cpu" 'BEGIN {print a + b}')"; fi
  done
done
awk -v off="$off_sum" -v on="$on_sum" -v n="$rounds" 'BEGIN {
  printf "mean server CPU: without %.2f%%, with %.2f%% of the host: difference %+.2f points (%+.1f%% of the server'"'"'s CPU)\n",
    off / n, on / n, (on - off) / n, (off > 0 ? (on - off) / off * 100 : 0) }'
