#!/usr/bin/env bash
# What the server itself needs to store message rows, with critpath's generator out of the picture:
# the seeded messages are exported once in binary COPY format, then loaded back by psql (a thin C
# client) into a scratch copy of the table that has only its CHECK constraints (no index, trigger
# or foreign key), by one session and by two at once. pgbench -i's COPY step is timed beside it.
# If two psql sessions cannot reach pgbench's rows/s, no loader can on this machine.
# Two more one-session loads show what the seeder drops for its load and why: the same table with
# a primary key, and with messages' search trigger disabled (a BEFORE row trigger, enabled or not,
# turns off COPY's batching).
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
# One line for an unreachable server (the URL is not repeated: it may hold a password).
marked=$("${psql[@]}" -Atc "SELECT to_regclass('critpath.marker') IS NOT NULL" 2>&1) ||
  { echo "copy-floor: cannot query DATABASE_URL: $(printf '%s' "$marked" | head -1)" >&2; exit 2; }
if [ "$marked" != t ]; then
  echo "copy-floor: DATABASE_URL has no critpath marker: point it at a database critpath seeded" >&2
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

# Best of 2: rows/s of one session's load, or of two sessions' at once (argument "two").
timed() {
  local best=0 n=$rows r t0 t1
  [ "${1:-}" = two ] && n=$((2 * rows))
  for attempt in 1 2; do
    fresh
    t0=$(now)
    if [ "${1:-}" = two ]; then load & load; wait; else load; fi
    t1=$(now)
    r=$(rate "$n" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')")
    [ "$r" -gt "$best" ] && best=$r
  done
  echo "$best"
}
best_one=$(timed)
best_two=$(timed two)
fresh
"${psql[@]}" -c "ALTER TABLE critpath_copy_floor ADD PRIMARY KEY (id)"
best_key=$(timed)
fresh
"${psql[@]}" -c "ALTER TABLE critpath_copy_floor DROP CONSTRAINT critpath_copy_floor_pkey" \
  -c "CREATE TRIGGER critpath_copy_floor_search BEFORE INSERT OR UPDATE ON critpath_copy_floor
      FOR EACH ROW EXECUTE FUNCTION tsvector_update_trigger(search, 'pg_catalog.english', content)" \
  -c "ALTER TABLE critpath_copy_floor DISABLE TRIGGER critpath_copy_floor_search"
best_trigger=$(timed)

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
echo "copy-floor: psql, 1 session, with a primary key: $best_key message rows/s"
echo "copy-floor: psql, 1 session, with a disabled BEFORE row trigger: $best_trigger message rows/s"
echo "copy-floor: pgbench -i -s 10 COPY step: $best_pgbench rows/s"
