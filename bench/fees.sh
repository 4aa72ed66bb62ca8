#!/usr/bin/env bash
# fees.sh: benchmark the quote and the offer sweep against plain-SQL
# baselines run in the same invocation.
#
#   bench/fees.sh
#
# On a durable sandbox (fsync on, shared_buffers 1GB): one outlet, 20,000
# dispatched installation orders of a 1.5P air conditioner, and a fee
# region around them.
#
# 1. Quote: pgbench, 1 and 4 clients, BENCH_SECONDS (15) each.  Baseline:
#    one INSERT of a document row and one INSERT of five line rows with
#    the amounts written as constants (the same rows a quote writes, with
#    nothing computed).  Ours: showroom.quote() of a random order with five
#    measured items (installation, pipe rounded up, floor band with a
#    household cap, two travel fees of which one counts).  Prints TPS of
#    each and the ratio.
# 2. Sweep: 5,000 open offers past their time on 5,000 orders with four
#    candidate outlets.  Baseline: one UPDATE marking them expired.  Ours:
#    showroom.expire_offers(), which also passes each order to its next
#    candidate (candidates(), reassign(), a new offer).  Prints
#    milliseconds of each and the ratio.
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
seconds=${BENCH_SECONDS:-15}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
# ms SQL: run SQL in its own session and print the milliseconds it took.
ms() {
	local t0 t1
	t0=$(date +%s%N)
	q -c "$1" >/dev/null
	t1=$(date +%s%N)
	echo $(( (t1 - t0) / 1000000 ))
}
# tps FILE CLIENTS: pgbench's TPS for a script.
tps() {
	q -c 'CHECKPOINT'
	pgbench -n -c "$2" -j 2 -T "$seconds" -f "$1" 2>/dev/null |
		sed -n 's/^tps = \([0-9.]*\).*/\1/p'
}

echo "== setting up"
q -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION showroom CASCADE'
q <<'SQL'
SELECT showroom.add_outlet('B' || i, 'bench ' || i, 113.3 + i * 0.05, 37.7, 5 - i, 100000)
  FROM generate_series(1, 4) i;
SELECT showroom.add_service_area(id, code, 'SRID=4326;POLYGON((113 37.5,114 37.5,114 38,113 38,113 37.5))')
  FROM showroom.outlet;
SELECT showroom.set_capability(id, 'installation', 'air_conditioner', 4) FROM showroom.outlet;
INSERT INTO showroom.sku (code, name, category, list_price_fen, capacity_hp)
VALUES ('AC-15', 'split AC 1.5P', 'air_conditioner', 300000, 1.5);
SELECT showroom.add_fee_region('bench_city', 'bench city',
  'SRID=4326;POLYGON((113.4 37.6,113.9 37.6,113.9 37.9,113.4 37.9,113.4 37.6))', 1.2);
INSERT INTO showroom.service_order (kind, category, sku_id, point, service_date, customer_phone,
                                    outlet_id, state)
SELECT 'installation', 'air_conditioner', 1,
       ST_SetSRID(ST_MakePoint(113.4 + (i % 100) * 0.004, 37.6 + (i / 100) * 0.0012), 4326),
       '2026-12-20', 'p' || i, 1, 'dispatched'
  FROM generate_series(1, 20000) i;
CREATE SCHEMA bench;
CREATE TABLE bench.doc (LIKE showroom.fee_doc INCLUDING DEFAULTS);
CREATE TABLE bench.line (LIKE showroom.fee_doc_line);
CREATE SEQUENCE bench.doc_id;
SQL

cat >"$work/base.sql" <<'SQL'
\set id random(1, 20000)
BEGIN;
INSERT INTO bench.doc (id, service_order_id, doc_kind, outlet_id, fee_date, household, multiplier,
                       customer_fen, issued_by)
VALUES (nextval('bench.doc_id'), :id, 'quote', 1, '2026-12-20', 'p' || :id, 1.2, 76000, 'bench');
INSERT INTO bench.line (doc_id, line_no, item, price_id, payer, measured, floor, charged_qty,
                        amount_fen, outlet_fen, note)
VALUES (currval('bench.doc_id'), 1, 'ac_install', 2, 'retailer', 1, NULL, 1, 20000, 16000, NULL),
       (currval('bench.doc_id'), 2, 'copper_pipe', 10, 'customer', 5.2, NULL, 3, 43200, 32400, NULL),
       (currval('bench.doc_id'), 3, 'high_altitude', 15, 'customer', 2, 12, 2, 20000, 16000, 'cap'),
       (currval('bench.doc_id'), 4, 'remote_km', 7, 'customer', 27, NULL, 7, 0, 0, 'not counted'),
       (currval('bench.doc_id'), 5, 'remote_flat', 8, 'customer', 1, NULL, 1, 3000, 3000, NULL);
COMMIT;
SQL
cat >"$work/quote.sql" <<'SQL'
\set id random(1, 20000)
SELECT showroom.quote(:id, ARRAY[('ac_install', 1, NULL), ('copper_pipe', 5.2, NULL),
  ('high_altitude', 2, 12), ('remote_km', 27, NULL), ('remote_flat', 1, NULL)]::showroom.fee_measure[]);
SQL

echo "== quote: TPS, ${seconds} s per run"
for c in 1 4; do
	b=$(tps "$work/base.sql" $c)
	o=$(tps "$work/quote.sql" $c)
	printf '%2d clients: baseline %8.0f, quote() %8.0f, ratio %.2f\n' $c "$b" "$o" "$(echo "$o / $b" | bc -l)"
done

echo "== sweep: 5,000 offers past their time"
reset_offers() {
	q <<'SQL'
TRUNCATE showroom.offer;
UPDATE showroom.service_order SET outlet_id = 1 WHERE id <= 5000 AND outlet_id <> 1;
INSERT INTO showroom.offer (service_order_id, outlet_id, round, offered_at, expires_at)
SELECT id, 1, 1, now() - interval '1 hour', now() - interval '30 minutes'
  FROM generate_series(1, 5000) id;
VACUUM ANALYZE showroom.offer;
SQL
}
reset_offers
b=$(ms "UPDATE showroom.offer SET state = 'expired', answered_at = now(), answered_by = 'bench' WHERE state = 'open' AND expires_at <= now()")
reset_offers
o=$(ms "SELECT * FROM showroom.expire_offers()")
passed=$(q -At -c "SELECT count(*) FROM showroom.offer WHERE state = 'open'")
printf 'baseline %6d ms, expire_offers() %6d ms (%d passed on), ratio %.1f\n' "$b" "$o" "$passed" \
	"$(echo "$o / $b" | bc -l)"
