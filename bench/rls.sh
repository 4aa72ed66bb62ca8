#!/usr/bin/env bash
# rls: what row-level security costs a store clerk, against the same
# statements run by a superuser (whom no policy applies to), in the same
# invocation, on a durable throwaway cluster.
#
#   bench/rls.sh [seconds-per-run]     (default 8; about 12 runs)
#
# Data: 1 DC, 50 stores, 200,000 sales orders spread over them; the clerk
# is mapped to store 1 (about 4,000 orders).  Statements, each with
# pgbench -M prepared at 1 and 4 clients:
#   read    one order by a random id (the clerk mostly sees no row)
#   own     one order of store 1 by a random id (both see the row)
#   insert  a new order for store 1
# Prints TPS and the clerk/superuser ratio per case.  Holds
# /tmp/showroom-test.lock while it runs.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-8}
export PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}

if [ "${2:-}" != "--inside" ]; then
	make -s >/dev/null
	exec 9>/tmp/showroom-test.lock
	flock 9
	make -s install >/dev/null
	exec env -u PGHOST -u PGPORT tools/pg-sandbox --durable -- "$0" "$secs" --inside
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d sr_bench "$@"; }
createdb sr_bench
q -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION showroom CASCADE'
q >/dev/null <<'SQL'
INSERT INTO showroom.dc (code, name, location) VALUES ('D', 'dc', 'SRID=4326;POINT(113.5 37.8)');
INSERT INTO showroom.store (code, name, location, home_dc_id)
SELECT 'S' || i, 'store ' || i, 'SRID=4326;POINT(113.5 37.8)', 1 FROM generate_series(1, 50) i;
INSERT INTO showroom.sales_order (store_id, dc_id, delivery_point)
SELECT 1 + i % 50, 1, 'SRID=4326;POINT(113.6 37.9)' FROM generate_series(1, 200000) i;
CREATE ROLE sr_bench_clerk LOGIN IN ROLE showroom_clerk;
SELECT showroom.map_login('sr_bench_clerk', store_id => 1) IS NULL;
VACUUM ANALYZE;
CHECKPOINT;
SQL
trap 'rm -rf "$work"; psql -X -q -d postgres -c "DROP DATABASE sr_bench" -c "DROP ROLE sr_bench_clerk"' EXIT

cat >"$work/read.sql" <<'SQL'
\set id random(1, 200000)
SELECT id, state FROM showroom.sales_order WHERE id = :id;
SQL
cat >"$work/own.sql" <<'SQL'
\set n random(0, 3999)
SELECT id, state FROM showroom.sales_order WHERE id = 50 * :n + 1;
SQL
cat >"$work/insert.sql" <<'SQL'
INSERT INTO showroom.sales_order (store_id, dc_id, delivery_point)
VALUES (1, 1, 'SRID=4326;POINT(113.6 37.9)');
SQL

tps() {
	"${SANDBOX_BIN:-/usr/lib/postgresql/15/bin}/pgbench" -n -M prepared -T "$secs" -c "$2" -j 2 -U "$3" -f "$work/$1.sql" sr_bench 2>/dev/null |
		sed -n 's/^tps = \([0-9.]*\) .*/\1/p' | cut -d. -f1
}
printf '%-8s %7s %12s %10s %6s\n' case clients superuser clerk ratio
for c in read own insert; do
	for n in 1 4; do
		base=$(tps $c $n postgres)
		psql -X -q -d sr_bench -c CHECKPOINT
		clerk=$(tps $c $n sr_bench_clerk)
		psql -X -q -d sr_bench -c CHECKPOINT
		printf '%-8s %7s %12s %10s %6.2f\n' $c $n "$base" "$clerk" \
			"$(echo "$clerk / $base" | bc -l)"
	done
done
