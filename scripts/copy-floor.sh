#!/usr/bin/env bash
# What the server itself needs to store message rows, with critpath's generator out of the picture:
# the seeded messages are exported once in binary COPY format, then loaded back by psql (a thin C
# client) into a scratch copy of the table that has only its CHECK constraints (no index, trigger
# or foreign key), by one session and by two at once. pgbench -i's COPY step is timed beside it.
# If two psql sessions cannot reach pgbench's rows/s, no loader can on this machine.
#
#   DATABASE_URL=postgresql://user@host:5432/db scripts/copy-floor.sh
#
# The database must hold a seeded dataset (./run.sh seed --profile large --db-url ...) and carry
# the critpath marker; the user needs CREATEDB for pgbench's scratch database. The scratch table
# and database are dropped again on exit.
set -euo pipefail

url="${DATABASE_URL:?set DATABASE_URL to a seeded critpath database}"
case "$url" in
  postgres://* | postgresql://*) ;;
  *) echo "copy-floor: DATABASE_URL must be a postgresql:// URL" >&2; exit 2 ;;
esac
psql=(psql "$url" -X -q -v ON_ERROR_STOP=1)
pgbench="${PGBENCH:-pgbench}"
for tool in psql "$pgbench"; do
  command -v "$tool" >/dev/null 2>&1 ||
    { echo "copy-floor: $tool not found: apt-get install postgresql-client" >&2; exit 2; }
done
if [ "$("${psql[@]}" -Atc "SELECT to_regclass('critpath.marker') IS NOT NULL")" != t ]; then
  echo "copy-floor: $url has no critpath marker: point DATABASE_URL at a database critpath seeded" >&2
  exit 2
fi
rows=$("${psql[@]}" -Atc "SELECT count(*) FROM messages")
if [ "$rows" -lt 100000 ]; then
  echo "copy-floor: only $rows messages: seed a bigger profile first (--profile large)" >&2
  exit 2
fi

work=$(mktemp -d)
scratch_db="critpath_copy_floor_$$"
cleanup() {
  "${psql[@]}" -c "DROP TABLE IF EXISTS critpath_copy_floor" || true
  "${psql[@]}" -c "DROP DATABASE IF EXISTS $scratch_db" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

now() { date +%s.%N; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }

"${psql[@]}" -c "\\copy messages TO '$work/messages.bin' (FORMAT binary)"
"${psql[@]}" -c "CREATE TABLE critpath_copy_floor (LIKE messages INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
load() { "${psql[@]}" -c "\\copy critpath_copy_floor FROM '$work/messages.bin' (FORMAT binary)"; }
fresh() { "${psql[@]}" -c "TRUNCATE critpath_copy_floor" -c "CHECKPOINT" 2>/dev/null ||
  "${psql[@]}" -c "TRUNCATE critpath_copy_floor"; }

best_one=0
best_two=0
for attempt in 1 2; do
  fresh
  t0=$(now); load; t1=$(now)
  one=$(rate "$rows" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')")
  fresh
  t0=$(now); load & load; wait; t1=$(now)
  two=$(rate "$((2 * rows))" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')")
  [ "$one" -gt "$best_one" ] && best_one=$one
  [ "$two" -gt "$best_two" ] && best_two=$two
done

"${psql[@]}" -c "CREATE DATABASE $scratch_db"
# The same URL (user, password, host, options) with the scratch database's name.
scratch_url=$(printf '%s' "$url" | sed -E "s#^(postgres(ql)?://[^/?]*)(/[^?]*)?#\1/$scratch_db#")
best_pgbench=0
for attempt in 1 2; do
  out=$("$pgbench" -i -s 10 -I dtg "$scratch_url" 2>&1) ||
    { echo "copy-floor: pgbench -i failed: $out" >&2; exit 2; }
  generate=$(printf '%s' "$out" | sed -n 's/.*client-side generate \([0-9.]*\) s.*/\1/p')
  r=$(rate 1000000 "$generate")
  [ "$r" -gt "$best_pgbench" ] && best_pgbench=$r
done

ratio() { awk -v a="$1" -v b="$best_pgbench" 'BEGIN { printf "%.2f", a / b }'; }
echo "copy-floor: $(nproc) cores; $rows message rows per load, best of 2"
echo "copy-floor: psql, 1 session:  $best_one message rows/s (ratio to pgbench $(ratio "$best_one"))"
echo "copy-floor: psql, 2 sessions: $best_two message rows/s (ratio to pgbench $(ratio "$best_two"))"
echo "copy-floor: pgbench -i -s 10 COPY step: $best_pgbench rows/s"
