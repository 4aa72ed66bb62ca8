#!/usr/bin/env bash
# decide: benchmark of decision support.
#
#   bench/decide.sh
#
# Two questions, each answered as a ratio against a baseline run in the
# same invocation:
#   1. What does the early warning cost a complaint?  file_complaint() on
#      random jobs of 20 outlets with 20,000 complaints of history, first
#      with every alert rule switched off, then with three rules (outlet,
#      SKU, district) on: transactions per second, 1 client, 15 s each.
#   2. What does the site analysis cost over one pass of the data?
#      best_sites() for a day of 5,000 door visits (1-median and 2-median
#      with 8 starts, every visit rescored on the spheroid) against one
#      query summing the spheroid distance from the DC to the same visits:
#      mean latency of 3 runs each.
# Runs against tools/pg-sandbox --durable and holds /tmp/showroom-test.lock
# throughout.
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

psql -X -q -f bench/decide_setup.sql >/dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

cat >"$out/complain.sql" <<'SQL'
\set o random(1, 2000)
SELECT showroom.file_complaint(:o, 'feedback.late');
SQL
# tps FILE: transactions per second of FILE, 1 client, 15 s, after a
# CHECKPOINT.
tps() {
	psql -X -q -c CHECKPOINT
	pgbench -n -c 1 -T 15 -f "$1" | sed -n 's/^tps = \([0-9.]*\) .*/\1/p'
}
off_tps=$(tps "$out/complain.sql")
psql -X -q -c "UPDATE showroom.alert_rule SET active = true"
on_tps=$(tps "$out/complain.sql")
alerts=$(psql -X -At -c "SELECT count(*) FROM showroom.alert")

echo "SELECT count(*) FROM showroom.best_sites(1, '2026-06-01', '2026-06-01');" >"$out/best.sql"
cat >"$out/sum.sql" <<'SQL'
SELECT sum(ST_Distance(d.location::geography, o.delivery_point::geography))
  FROM showroom.stock_movement m
  JOIN showroom.sales_order o ON o.id = m.sales_order_id
  JOIN showroom.dc d ON d.id = m.dc_id
 WHERE m.kind = 'delivery';
SQL
# latency FILE: mean latency in ms of 3 transactions of FILE, after one
# to warm the cache.
latency() {
	pgbench -n -t 1 -f "$1" >/dev/null
	pgbench -n -t 3 -f "$1" | sed -n 's/^latency average = \([0-9.]*\) ms$/\1/p'
}
sum_ms=$(latency "$out/sum.sql")
best_ms=$(latency "$out/best.sql")

psql -X -v off="$off_tps" -v on="$on_tps" -v alerts="$alerts" \
	-v sum_ms="$sum_ms" -v best_ms="$best_ms" <<'SQL'
\pset footer off
SELECT round(:off, 0) AS complaints_tps_rules_off, round(:on, 0) AS complaints_tps_rules_on,
       round(:on / :off, 2) AS tps_ratio, :alerts AS alerts_raised;
SELECT 5000 AS visits, round(:sum_ms, 1) AS one_pass_ms, round(:best_ms, 1) AS best_sites_ms,
       round(:best_ms / :sum_ms, 1) AS time_ratio;
SQL
