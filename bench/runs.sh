#!/usr/bin/env bash
# runs: benchmark of the delivery-run planner.
#
#   bench/runs.sh
#
# Plans 2,000 deliveries of one day from a Yangquan DC with 40 trucks and
# prints: the planning time (pgbench, mean of 3 runs, against the naive
# plan's time in the same invocation), total km against a naive plan of
# the same deliveries (one truck per district, filled and driven in order
# of sale; the ratio must be at most 0.7), the average load and the share
# of deliveries planned.  The doors lie in the real districts of
# data/yangquan/*.geojson when that file exists (or in $BENCH_GEOJSON),
# else in the box 113.2-113.9 E, 37.6-38.3 N with five sectors round the
# DC as districts.  Runs against tools/pg-sandbox --durable and holds
# /tmp/showroom-test.lock throughout.
set -euo pipefail
cd "$(dirname "$0")/.."
export PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}

if [ "${1:-}" != "--inside" ]; then
	make -s >/dev/null
	exec 9>/tmp/showroom-test.lock
	flock 9
	make -s install >/dev/null
	exec tools/pg-sandbox --durable -- "$0" --inside
fi

gj_file=${BENCH_GEOJSON:-$(ls data/yangquan/*.geojson 2>/dev/null | head -n 1 || true)}
gj=""
[ -n "$gj_file" ] && gj=$(cat "$gj_file")
echo "runs bench: doors in ${gj_file:-the bounding box (no district file)}"
psql -X -q -v gj="$gj" -f bench/runs_setup.sql >/dev/null

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "SELECT count(*) FROM showroom.plan_runs(1, '2026-06-01');" >"$out/plan.sql"
echo "SELECT bench.naive_plan();" >"$out/naive.sql"

# latency FILE: mean latency in ms of 3 transactions of FILE, after one
# to warm the cache.
latency() {
	pgbench -n -t 1 -f "$1" >/dev/null
	pgbench -n -t 3 -f "$1" | sed -n 's/^latency average = \([0-9.]*\) ms$/\1/p'
}
plan_ms=$(latency "$out/plan.sql")

# The naive plan covers exactly the deliveries the planner put on runs.
psql -X -q -c "INSERT INTO bench.naive_input SELECT order_id FROM showroom.run_stop"
naive_ms=$(latency "$out/naive.sql")

psql -X -v plan_ms="$plan_ms" -v naive_ms="$naive_ms" <<'SQL'
\pset footer off
WITH plan AS (
  SELECT count(*) AS runs, sum(stops) AS stops, sum(km) AS km,
         avg(volume_share) AS vol_share, avg(weight_share) AS wt_share
    FROM showroom.delivery_runs WHERE run_date = '2026-06-01'),
naive AS (SELECT count(*) AS trips, sum(km) AS km FROM bench.naive_trip),
day AS (SELECT count(*) AS deliveries FROM showroom.sales_order WHERE delivery_date = '2026-06-01')
SELECT day.deliveries, (SELECT count(DISTINCT district) FROM bench.door) AS districts,
       round(:plan_ms / 1000.0, 2) AS plan_s,
       round(:naive_ms / 1000.0, 2) AS naive_s,
       round(:plan_ms / :naive_ms, 1) AS time_ratio,
       plan.runs, naive.trips AS naive_trips,
       round(plan.km, 0) AS km, round(naive.km::numeric, 0) AS naive_km,
       round(plan.km / naive.km::numeric, 3) AS km_ratio,
       round(plan.vol_share, 3) AS avg_volume_share,
       round(plan.wt_share, 3) AS avg_weight_share,
       round(plan.stops::numeric / day.deliveries, 3) AS share_planned
  FROM plan, naive, day;
SELECT p.reason, o.window_from, o.window_to, count(*) AS pending
  FROM showroom.run_pending p JOIN showroom.sales_order o ON o.id = p.order_id
 GROUP BY 1, 2, 3 ORDER BY 1, 2;
SQL
