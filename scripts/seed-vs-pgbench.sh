#!/usr/bin/env bash
# Seeding speed beside its yardstick, on the same server in the same run:
#   pgbench -i -s 10   client-side COPY of 1,000,000 pgbench_accounts rows (run before and after
#                      critpath's seed, in a scratch database; the faster run is kept)
#   critpath seed      a whole profile (default: large), whose messages table is the comparison
# and prints both rows/s and the ratio (critpath messages / pgbench).
#
#   scripts/seed-vs-pgbench.sh [PROFILE] [more seed options, e.g. --jobs 3]
#
# Server: DATABASE_URL when set (the user needs CREATEDB for pgbench's scratch database, and the
# database must be migrated), otherwise critpath's embedded PostgreSQL 17 with its data kept
# between runs (--keep-db, or --keep-db=$CRITPATH_KEEP_DB), migrated here first.
# Env: PGBENCH_SCALE (default 10), PGBENCH (pgbench's path), CRITPATH_KEEP_DB (data directory).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
profile="${1:-large}"
[ $# -gt 0 ] && shift
scale="${PGBENCH_SCALE:-10}"

if ! command -v "${PGBENCH:-pgbench}" >/dev/null 2>&1; then
  echo "seed-vs-pgbench: pgbench not found: apt-get install postgresql-client, or set PGBENCH" >&2
  exit 2
fi

db=()
if [ -z "${DATABASE_URL:-}" ]; then
  db=("--keep-db${CRITPATH_KEEP_DB:+=$CRITPATH_KEEP_DB}")
  "$here/run.sh" migrate "${db[@]}" >&2
fi

echo "seed-vs-pgbench: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)," \
  "$("${PGBENCH:-pgbench}" --version)" >&2
set -x
exec "$here/run.sh" seed --profile "$profile" --pgbench "$scale" ${db[@]+"${db[@]}"} "$@"
