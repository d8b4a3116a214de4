#!/usr/bin/env bash
# What committing costs the catalog's write paths: each `write: rollback` path is measured by the
# bench stage committed ("NAME [committed]": COMMIT and the WAL flush in the measured time) and
# rolled back ("NAME [rolledBack]": the work alone), at 1 thread, with synchronous_commit on and
# then off (ALTER DATABASE; reset on exit). Prints p50 and p95 of each, and committed minus rolled
# back at the median.
#
#   scripts/commit-cost.sh [DATABASE_URL]
#
# DATABASE_URL  a server critpath may write to, as a superuser (the committed rows are put back
#               with session_replication_role); default postgresql://postgres@127.0.0.1:5432/
#               critpath_commit_cost (created, migrated and seeded when missing)
# SEED_PROFILE  dataset profile when the database holds none (default small)
# JMH           JMH options (default "-f 1 -wi 1 -w 1s -i 5 -r 1s")
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
url="${1:-${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/critpath_commit_cost}}"
profile="${SEED_PROFILE:-small}"
jmh="${JMH:--f 1 -wi 1 -w 1s -i 5 -r 1s}"
work="$(mktemp -d)"

for tool in psql jq; do
  command -v "$tool" >/dev/null || { echo "commit-cost: $tool not found (apt-get install postgresql-client jq)" >&2; exit 2; }
done

db="${url##*/}"; db="${db%%\?*}"
admin="${url%/*}/postgres"
if ! psql "$admin" -Atqc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
  echo "== creating database $db"
  psql "$admin" -qc "CREATE DATABASE \"$db\""
fi
"$here/run.sh" migrate --db-url "$url" >/dev/null
if [ "$(psql "$url" -Atqc "SELECT dataset_summary IS NOT NULL FROM critpath.marker")" != "t" ]; then
  echo "== seed ($profile)"
  "$here/run.sh" seed --db-url "$url" --profile "$profile" >/dev/null
fi
trap 'psql "$url" -qc "ALTER DATABASE \"$db\" RESET synchronous_commit" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
echo "== $(psql "$url" -Atqc "SELECT version()" | cut -d, -f1), dataset $(psql "$url" -Atqc "SELECT dataset_profile FROM critpath.marker"), JMH $jmh"

printf '%-20s %-12s %-11s %9s %9s\n' synchronous_commit path commit p50_ms p95_ms
for mode in on off; do
  psql "$url" -qc "ALTER DATABASE \"$db\" SET synchronous_commit = $mode"
  "$here/run.sh" bench --db-url "$url" --only send_message,mark_as_read,voucher_redeem \
    --threads 1 --jmh "$jmh" --results "$work/$mode" > "$work/$mode.log" 2>&1 || true
  run="$work/$mode/latest/run.json"
  [ -f "$run" ] || { echo "commit-cost: the bench run failed, see its output:" >&2; cat "$work/$mode.log" >&2; exit 2; }
  jq -r --arg m "$mode" '.sections.bench.queries[] | select(.commit != null)
      | [$m, .catalogQuery, .commit, (.variants[0].latency.p50 // "-"), (.variants[0].latency.p95 // "-")]
      | @tsv' "$run" | while IFS=$'\t' read -r m q c p50 p95; do
    printf '%-20s %-12s %-11s %9s %9s\n' "$m" "$q" "$c" "$p50" "$p95"
  done
  jq -r --arg m "$mode" '[.sections.bench.queries[] | select(.commit != null)]
      | group_by(.catalogQuery)[]
      | (map(select(.commit == "committed"))[0].variants[0].latency.p50) as $c
      | (map(select(.commit == "rolledBack"))[0].variants[0].latency.p50) as $r
      | select($c != null and $r != null)
      | "   \($m): \(.[0].catalogQuery) commit costs \(($c - $r) * 1000 | round / 1000) ms at the median"' "$run"
done
