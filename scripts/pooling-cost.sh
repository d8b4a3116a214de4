#!/usr/bin/env bash
# What does a transaction pooler cost? Runs the reference catalog with critpath bench on one
# seeded database twice, side by side in one run: directly, and through a private PgBouncer in
# transaction mode (the mode of Supabase's pooler on port 6543) in front of the same server.
# Prints, per query, p50, p95 and ops/s at THREADS threads for both, and pooled/direct ratios.
#
#   scripts/pooling-cost.sh [DATABASE_URL]
#
# DATABASE_URL  a server critpath may write to; default postgresql://postgres@127.0.0.1:5432/
#               critpath_pooling (created when missing, migrated and seeded here). Trust or
#               PGPASSWORD authentication; PgBouncer logs in with the same user and password.
# THREADS       benchmark threads (default 8); PgBouncer's default_pool_size is the same
# VARIANT       which variant to compare (default rls_on: role and JWT claims per transaction)
# SEED_PROFILE  dataset profile when the database holds none (default small)
# JMH           JMH settings per path (default "-f 1 -wi 1 -w 1s -i 3 -r 1s"), on the thorough
#               profile, which samples latency percentiles at THREADS threads too
# ROUNDS        direct/pooled pairs (default 1); with more, the ratio is the median over rounds
#
# Both sides run the same JVM settings, paths, dataset and seed; only the connection differs.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
url="${1:-${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/critpath_pooling}}"
threads="${THREADS:-8}"
variant="${VARIANT:-rls_on}"
profile="${SEED_PROFILE:-small}"
jmh="${JMH:--f 1 -wi 1 -w 1s -i 3 -r 1s}"
rounds="${ROUNDS:-1}"
work="$(mktemp -d)"
bouncer_pid=""

for tool in psql jq pgbouncer; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] ||
    { echo "pooling-cost: $tool not found (apt-get install postgresql-client jq pgbouncer)" >&2; exit 2; }
done
cleanup() {
  [ -n "$bouncer_pid" ] && kill "$bouncer_pid" 2>/dev/null && wait "$bouncer_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# The database: create it when missing, migrate (idempotent), seed when it holds no dataset.
rest="${url#*://}"; creds="${rest%%@*}"; hostpart="${rest#*@}"; hostport="${hostpart%%/*}"
db="${hostpart#*/}"; db="${db%%\?*}"
user="${creds%%:*}"; password=""; [ "$creds" != "$user" ] && password="${creds#*:}"
host="${hostport%:*}"; port="${hostport##*:}"; [ "$port" = "$hostport" ] && port=5432
admin="${url%/*}/postgres"
if ! psql "$admin" -Atqc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
  echo "== creating database $db"
  psql "$admin" -qc "CREATE DATABASE \"$db\""
fi
echo "== migrate"
"$here/run.sh" migrate --db-url "$url"
if [ "$(psql "$url" -Atqc "SELECT dataset_summary IS NOT NULL FROM critpath.marker")" != "t" ]; then
  echo "== seed ($profile)"
  "$here/run.sh" seed --db-url "$url" --profile "$profile"
fi

# A private PgBouncer in transaction mode on a free port (never a shared one); as nobody when
# we are root, since PgBouncer refuses to run as root.
bport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf '"%s" "%s"\n' "$user" "${password:-${PGPASSWORD:-}}" > "$work/userlist.txt"
cat > "$work/pgbouncer.ini" <<EOF
[databases]
* = host=$host port=$port
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $bport
unix_socket_dir =
auth_type = trust
auth_file = $work/userlist.txt
pool_mode = transaction
default_pool_size = $threads
max_client_conn = 200
ignore_startup_parameters = extra_float_digits
logfile = $work/pgbouncer.log
EOF
run_as=()
if [ "$(id -u)" -eq 0 ]; then
  chown -R nobody "$work"; chmod 700 "$work"
  run_as=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
fi
"${run_as[@]}" "$(command -v pgbouncer || echo /usr/sbin/pgbouncer)" "$work/pgbouncer.ini" >/dev/null 2>&1 &
bouncer_pid=$!
pooled_url="${url/@$hostport\//@127.0.0.1:$bport/}"
[ "$pooled_url" != "$url" ] || { echo "pooling-cost: cannot rewrite $url for the pooler" >&2; exit 2; }
for _ in $(seq 1 50); do psql "$pooled_url" -Atqc "SELECT 1" >/dev/null 2>&1 && break; sleep 0.1; done
echo "== PgBouncer $(pgbouncer --version 2>/dev/null | head -1 | awk '{print $2}') transaction mode on port $bport, default_pool_size $threads"

bench() { # $1 label, $2 url
  "$here/run.sh" bench --db-url "$2" --profile thorough --variants "$variant" --threads "$threads" \
    --jmh "$jmh" \
    --results "$work/$1" >"$work/$1.log" 2>&1 || { tail -20 "$work/$1.log" >&2; exit 2; }
  grep -m1 '^critpath: connection' "$work/$1.log" || true
  cp "$work/$1/latest/run.json" "$work/$1-$round.json"
}
rows() { # run.json -> "name p50 p95 ops" per query at $threads threads
  jq -r --arg v "$variant" --argjson t "$threads" '.sections.bench.queries[]
    | .name as $n | .variants[]? | select(.variant == $v) | .concurrency[]? | select(.threads == $t)
    | "\($n) \(.latency.p50 // "nan") \(.latency.p95 // "nan") \(.opsPerSec)"' "$1"
}

for round in $(seq 1 "$rounds"); do
  echo "== round $round: direct"; bench direct "$url"
  echo "== round $round: through PgBouncer (transaction)"; bench pooled "$pooled_url"
  jq -r '.sections.environment.pooler // empty | "   pooler seen: \(.mode) (\(.detectedBy))"' \
    "$work/pooled-$round.json" 2>/dev/null || true
done

echo
echo "reference catalog, variant $variant, $threads threads: direct vs PgBouncer transaction mode"
printf '%-26s %9s %9s %9s %9s %10s %10s %7s %7s\n' query "p50 dir" "p50 pool" "p95 dir" "p95 pool" \
  "ops/s dir" "ops/s pool" "p50 x" "ops x"
for round in $(seq 1 "$rounds"); do
  join <(rows "$work/direct-$round.json" | sort) <(rows "$work/pooled-$round.json" | sort)
done | awk '{ key=$1; n[key]++; p50d[key]=p50d[key]" "$2; p50p[key]=p50p[key]" "$5;
              p95d[key]=p95d[key]" "$3; p95p[key]=p95p[key]" "$6; od[key]=od[key]" "$4; op[key]=op[key]" "$7 }
  function med(s,   a, k, i, j, t) { k = split(s, a, " ");
    for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2 }
  END { for (q in n) { d50 = med(p50d[q]); q50 = med(p50p[q]); dop = med(od[q]); qop = med(op[q]);
          printf "%-26s %9.3f %9.3f %9.3f %9.3f %10.0f %10.0f %6.2fx %6.2fx\n", q, d50, q50,
            med(p95d[q]), med(p95p[q]), dop, qop, (d50 > 0 ? q50 / d50 : 0), (dop > 0 ? qop / dop : 0) } }' \
  | sort
echo "(latency in ms; p50 x = pooled/direct latency, ops x = pooled/direct throughput)"
