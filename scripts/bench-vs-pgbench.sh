#!/usr/bin/env bash
# Is critpath's harness the bottleneck? Measures the catalog's message_fetch query on one seeded
# database with critpath (JMH, the "plain" variant: the same SQL in autocommit, no role or JWT
# claims) and with pgbench -M prepared (the same SQL, ids drawn by \set), at the same client
# counts, and prints both throughputs and their ratio. Goal: critpath >= 0.9x pgbench.
#
#   scripts/bench-vs-pgbench.sh [DATABASE_URL]
#
# DATABASE_URL  a server critpath may write to; default postgresql://postgres@127.0.0.1:5432/
#               critpath_vs_pgbench (created when missing). Use a database critpath created:
#               it is migrated and seeded here. The password, if any, goes in PGPASSWORD.
# CLIENTS       client/thread counts to compare (default "2 8")
# SECONDS_EACH  seconds per measurement (default 10)
# SEED_PROFILE  dataset profile when the database holds none (default small)
# ROUNDS        repetitions (default 3); the verdict uses the median ratio per client count
#
# In every round pgbench runs before and after critpath at each count and the ratio uses their
# mean, so a machine that gets busier or quieter during the run does not favour either side;
# the median over rounds keeps one noisy round from deciding.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
url="${1:-${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/critpath_vs_pgbench}}"
clients="${CLIENTS:-2 8}"
seconds="${SECONDS_EACH:-10}"
rounds="${ROUNDS:-3}"
profile="${SEED_PROFILE:-small}"
work="$(mktemp -d)"

for tool in psql pgbench jq; do
  command -v "$tool" >/dev/null || { echo "bench-vs-pgbench: $tool not found (apt-get install postgresql-client jq)" >&2; exit 2; }
done

# The database: create it when missing, then migrate (idempotent).
db="${url##*/}"; db="${db%%\?*}"
admin="${url%/*}/postgres"
if ! psql "$admin" -Atqc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
  echo "== creating database $db"
  psql "$admin" -qc "CREATE DATABASE \"$db\""
fi
echo "== migrate"
"$here/run.sh" migrate --db-url "$url"

has_dataset=$(psql "$url" -Atqc "SELECT dataset_summary IS NOT NULL FROM critpath.marker")
if [ "$has_dataset" != "t" ]; then
  echo "== seed ($profile)"
  "$here/run.sh" seed --db-url "$url" --profile "$profile"
fi
conversations=$(psql "$url" -Atqc "SELECT count(*) FROM conversations")
echo "== dataset: $(psql "$url" -Atqc "SELECT dataset_profile FROM critpath.marker"), $conversations conversations, $(psql "$url" -Atqc "SELECT count(*) FROM messages") messages"

# pgbench's script: message_fetch's SQL from the catalog, with :conversation_id drawn exactly as
# the catalog draws it: the same sample rows in the same order (the header's sample(...) query),
# picked by rank with the same Zipf exponent. pgbench reads the id from a table of those rows by
# primary key inside the statement (a few microseconds, against the query's ~0.5 ms), so both
# tools run the same keys in the same proportions and return the same rows per call.
header=$(sed -n '/^-- param: conversation_id, user_id = sample(/,/) zipf/p' "$here/queries/message_fetch.sql" | sed 's/^--//')
sample_sql=$(echo "$header" | sed '1s/.*= sample(//; $s/) zipf.*//' | tr '\n' ' ')
exponent=$(echo "$header" | sed -n '$s/.*) zipf \([0-9.]*\).*/\1/p')
[ -n "$exponent" ] || { echo "bench-vs-pgbench: cannot read message_fetch's sampler from the catalog" >&2; exit 2; }
params="critpath.vs_pgbench_params"
trap 'rm -rf "$work"; psql "$url" -qc "DROP TABLE IF EXISTS $params" >/dev/null 2>&1 || true' EXIT
psql "$url" -qc "DROP TABLE IF EXISTS $params" \
  -c "CREATE TABLE $params AS SELECT row_number() OVER () AS rank, conversation_id FROM ($sample_sql) s" \
  -c "ALTER TABLE $params ADD PRIMARY KEY (rank)" -c "ANALYZE $params"
sampled=$(psql "$url" -Atqc "SELECT count(*) FROM $params")
sql=$(grep -v '^[[:space:]]*--' "$here/queries/message_fetch.sql" | tr '\n' ' ' | sed 's/;[[:space:]]*$//')
conversation_id="(SELECT conversation_id FROM $params WHERE rank = :r)"
{
  echo "\\set r random_zipfian(1, $sampled, $exponent)"
  echo "${sql//:conversation_id/$conversation_id};"
} > "$work/message_fetch.pgbench"
echo "== pgbench script"; cat "$work/message_fetch.pgbench"

pgbench_tps() {
  pgbench "$url" -n -M prepared -f "$work/message_fetch.pgbench" -c "$1" -j "$1" -T "$seconds" 2>&1 \
    | sed -n 's/^tps = \([0-9.]*\).*/\1/p'
}

declare -A ratios
threads=$(echo "$clients" | tr ' ' ',')
table=""
for round in $(seq 1 "$rounds"); do
  declare -A before=() after=()
  for c in $clients; do
    echo "== round $round: pgbench -c $c (before)"; before[$c]=$(pgbench_tps "$c"); echo "   ${before[$c]} tps"
  done
  echo "== round $round: critpath bench --only message_fetch --variants plain --threads $threads"
  "$here/run.sh" bench --db-url "$url" --only message_fetch --variants plain --threads "$threads" \
    --jmh "-f 1 -wi 1 -w ${seconds}s -i 3 -r ${seconds}s" --results "$work/results"
  run_json="$work/results/latest/run.json"
  for c in $clients; do
    echo "== round $round: pgbench -c $c (after)"; after[$c]=$(pgbench_tps "$c"); echo "   ${after[$c]} tps"
  done
  for c in $clients; do
    ours=$(jq -r --argjson t "$c" '.sections.bench.queries[] | select(.name == "message_fetch")
      | .variants[] | select(.variant == "plain") | .concurrency[] | select(.threads == $t)
      | .opsPerSec' "$run_json")
    mean=$(awk -v a="${before[$c]}" -v b="${after[$c]}" 'BEGIN { printf "%.1f", (a + b) / 2 }')
    ratio=$(awk -v o="$ours" -v m="$mean" 'BEGIN { printf "%.2f", o / m }')
    ratios[$c]="${ratios[$c]:-} $ratio"
    table+=$(printf '%-6s %-8s %10.1f %10.1f %10.1f %10.1f %7sx' "$round" "$c" "${before[$c]}" \
      "${after[$c]}" "$mean" "$ours" "$ratio")$'\n'
  done
done

echo
echo "message_fetch, same SQL, same database (pgbench -M prepared vs critpath plain variant):"
printf '%-6s %-8s %10s %10s %10s %10s %8s\n' round clients "pgb before" "pgb after" "pgb mean" critpath ratio
printf '%s' "$table"
worst=1000
for c in $clients; do
  median=$(echo ${ratios[$c]} | tr ' ' '\n' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }')
  echo "median ratio at $c clients: ${median}x"
  worst=$(awk -v a="$worst" -v b="$median" 'BEGIN { print (b < a ? b : a) }')
done
echo
if awk -v r="$worst" 'BEGIN { exit !(r >= 0.9) }'; then
  echo "bench-vs-pgbench: critpath reaches ${worst}x of pgbench at worst (goal >= 0.9x)"
else
  echo "bench-vs-pgbench: critpath reaches only ${worst}x of pgbench at worst (goal >= 0.9x)"
  exit 1
fi
