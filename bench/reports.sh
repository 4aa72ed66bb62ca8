#!/usr/bin/env bash
# reports.sh: what the heaviest report views cost on a chain's quarter of
# sales, against a plain-SQL baseline run in the same invocation.
#
#   bench/reports.sh
#
# 1. On a durable sandbox (fsync on, shared_buffers 1GB) writes, straight
#    into the tables, 2 DCs, 40 stores, 200 SKUs and $BENCH_ORDERS
#    (default 300,000) sales orders of one line each, spread over the 92
#    days from 1 April 2026, with one delivery movement per order.
# 2. Baseline: the least any monthly sales report must do, one pass over
#    the orders and their lines grouped by DC, SKU and business month.
# 3. Ours, each through pgbench (one client, $BENCH_RUNS runs, default
#    3): central_whatif for one month and for every month,
#    central_whatif_dc for every month, sales_daily, and
#    inventory_turnover.  Prints the mean latency of each and its ratio to
#    the baseline.
#
# Holds /tmp/showroom-test.lock throughout.  Takes about two minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" != "--inside" ]; then
	export PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
	make -s >/dev/null
	exec 9>/tmp/showroom-test.lock
	flock 9
	make -s install >/dev/null
	exec tools/pg-sandbox --durable -- "$0" --inside
fi
orders=${BENCH_ORDERS:-300000}
runs=${BENCH_RUNS:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

echo "== writing $orders orders"
q -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION showroom CASCADE'
q -v orders="$orders" <<'SQL'
INSERT INTO showroom.dc (code, name, location)
SELECT 'BD' || i, 'bench DC ' || i, 'SRID=4326;POINT(113.5 37.8)' FROM generate_series(1, 2) i;
INSERT INTO showroom.store (code, name, location, home_dc_id)
SELECT 'BS' || i, 'bench store ' || i, 'SRID=4326;POINT(113.5 37.8)', 1 + i % 2
  FROM generate_series(1, 40) i;
INSERT INTO showroom.sku (code, name, category, list_price_fen)
SELECT 'BK' || i, 'bench SKU ' || i,
       (ARRAY['air_conditioner', 'refrigerator', 'washing_machine', 'television'])[1 + i % 4],
       100000 + i * 100
  FROM generate_series(1, 200) i;
-- Order i: store 1 + i % 40 (so DC 1 + store % 2), SKU drawn with a skew
-- towards the first ones, a moment in the 92 days.
INSERT INTO showroom.sales_order (store_id, dc_id, delivery_point, created_at, state)
SELECT 1 + i % 40, 1 + (1 + i % 40) % 2, 'SRID=4326;POINT(113.5 37.8)',
       '2026-04-01 08:00+08'::timestamptz + (i::float8 / :orders) * interval '92 days',
       'delivered'
  FROM generate_series(1, :orders) i;
INSERT INTO showroom.sales_line (order_id, line_no, sku_id, qty, unit_price_fen, delivered_qty)
SELECT o.id, 1, 1 + floor(200 * random() ^ 2)::integer, 1 + (o.id % 3)::integer, 150000,
       1 + (o.id % 3)::integer
  FROM showroom.sales_order o;
INSERT INTO showroom.stock_movement (at, dc_id, sku_id, kind, qty, d_on_hand, sales_order_id)
SELECT o.created_at + interval '1 day', o.dc_id, l.sku_id, 'delivery', l.qty, -l.qty, o.id
  FROM showroom.sales_order o JOIN showroom.sales_line l ON l.order_id = o.id;
VACUUM ANALYZE;
SQL

# run NAME SQL: the mean latency in ms of SQL over $runs runs, one client.
run() {
	echo "$2" >"$work/$1.sql"
	pgbench -n -c 1 -t "$runs" -f "$work/$1.sql" 2>/dev/null |
		sed -n 's/^latency average = \([0-9.]*\) ms$/\1/p'
}

base=$(run baseline "SELECT count(*) FROM (SELECT o.dc_id, l.sku_id,
	date_trunc('month', o.created_at AT TIME ZONE 'Asia/Shanghai'), sum(l.qty - l.cancelled_qty)
	FROM showroom.sales_order o JOIN showroom.sales_line l ON l.order_id = o.id
	GROUP BY 1, 2, 3) x;")
printf '%-40s %10s ms\n' "baseline: orders x lines by DC, SKU, month" "$base"
for c in "central_whatif, one month|SELECT count(*) FROM showroom.central_whatif WHERE month = '2026-05-01';" \
	"central_whatif, every month|SELECT count(*) FROM showroom.central_whatif;" \
	"central_whatif_dc, every month|SELECT count(*) FROM showroom.central_whatif_dc;" \
	"sales_daily|SELECT count(*) FROM showroom.sales_daily;" \
	"inventory_turnover|SELECT count(*) FROM showroom.inventory_turnover;"; do
	name=${c%%|*}
	ms=$(run "x$RANDOM" "${c#*|}")
	printf '%-40s %10s ms  %5.2fx baseline\n' "$name" "$ms" "$(echo "$ms / $base" | bc -l)"
done
