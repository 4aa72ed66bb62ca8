#!/usr/bin/env bash
# soak.sh: hold 16 clients on the main calls for a long while, then check
# that the books still balance and that no error but the expected
# business refusals occurred.
#
#   bench/soak.sh [seconds, default 600]
#
# Builds and installs showroom, starts tools/pg-sandbox --durable (fsync
# on, shared_buffers 1GB) while holding /tmp/showroom-test.lock, seeds a
# chain (one DC, 500 SKUs of 1,000 units and 5 scarce SKUs of 40, eight
# outlets of 100 installations a day covering the region, fee rules) and
# runs 16 clients: 15 in one pgbench (-j 2) with this mix, by weight,
#   6  sell       one-line sale of 1 or 2 units of a random SKU
#   3  dispatch   a new installation request, then showroom.dispatch()
#   3  move       one order a step along: accept, leave, finish
# and one in a second pgbench, as finance would run it, every half second:
#      settle     five completed November orders of an outlet, then
#                 showroom.settle() of November for that outlet
# Each call runs in a wrapper that catches any error, records its
# SQLSTATE and carries on, so that the counts are complete.  At the end
# it prints pgbench's figures, the throughput of the last tenth of the run
# as a ratio to the first tenth (a soak should not slow down as its
# tables grow), the errors by SQLSTATE, and the checks: verify_stock(),
# broken_trails(), bookings within capacity, one fee line per completed
# November order.  It exits non-zero if a check fails or an error other
# than SR101 (insufficient stock) occurred; a dispatch that finds no
# outlet with room returns NULL and is counted, not an error.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-600}

export PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
if [ "${BENCH_INSIDE:-0}" != 1 ]; then
	make -s >/dev/null
	exec 9>/tmp/showroom-test.lock
	flock 9
	make -s install >/dev/null
	BENCH_INSIDE=1 exec tools/pg-sandbox --durable -- "$0" "$secs"
fi

PGBENCH=${SANDBOX_BIN:-/usr/lib/postgresql/15/bin}/pgbench
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
q() { psql -X -q -v ON_ERROR_STOP=1 -At "$@"; }

q >/dev/null <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION showroom CASCADE;
INSERT INTO showroom.dc (code, name, location, region)
VALUES ('SK-DC', 'soak DC', 'SRID=4326;POINT(113.58 37.86)',
        ST_Multi(ST_MakeEnvelope(113, 37.5, 114, 38.2, 4326)));
INSERT INTO showroom.store (code, name, location, home_dc_id)
VALUES ('SK-S', 'soak store', 'SRID=4326;POINT(113.6 37.85)', 1);
INSERT INTO showroom.sku (code, name, category, list_price_fen)
SELECT 'SK-' || g, 'soak sku ' || g, 'air_conditioner', 100000
  FROM generate_series(1, 505) g;
SELECT count(showroom.receive_stock(1, id, CASE WHEN id <= 500 THEN 1000 ELSE 40 END))
  FROM showroom.sku;
SELECT count(*) FROM (
  SELECT showroom.add_outlet('SK-O' || i, 'soak outlet ' || i,
                             113.1 + i * 0.1, 37.85, i % 3, 100) AS id
    FROM generate_series(1, 8) i) o,
  LATERAL (SELECT showroom.set_capability(o.id, 'installation', 'air_conditioner', 3),
                  showroom.add_service_area(o.id, 'soak area',
                    ST_MakeEnvelope(113, 37.5, 114, 38.2, 4326))) x;
SELECT showroom.add_fee_rule('installation', 'air_conditioner', '2026-01-01', NULL,
                             '0-10km: 80.00; 10km+: 80.00 + 2.00/km');

CREATE SCHEMA soak;
CREATE UNLOGGED TABLE soak.error (call text, state text, message text);
CREATE UNLOGGED TABLE soak.no_room (service_order_id bigint);
-- caught(call): record the error being handled.
CREATE FUNCTION soak.caught(call text, state text, message text) RETURNS void
LANGUAGE sql AS $$ INSERT INTO soak.error VALUES (call, state, message) $$;

CREATE FUNCTION soak.sell(sku bigint, n integer) RETURNS bigint
LANGUAGE plpgsql AS $$
BEGIN
  RETURN showroom.sell(1, 113.2 + random() * 0.7, 37.6 + random() * 0.5,
                       ARRAY[sku], ARRAY[n]);
EXCEPTION WHEN OTHERS THEN
  PERFORM soak.caught('sell', SQLSTATE, SQLERRM);
  RETURN NULL;
END
$$;
CREATE FUNCTION soak.dispatch() RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  so bigint;
  outlet bigint;
BEGIN
  so := showroom.request_service('installation', 113.2 + random() * 0.7,
                                 37.6 + random() * 0.5,
                                 current_date + 1 + (random() * 59)::integer,
                                 'soak customer', '13800000000', 'soak street',
                                 category => 'air_conditioner');
  outlet := showroom.dispatch(so);
  IF outlet IS NULL THEN
    INSERT INTO soak.no_room VALUES (so);
  END IF;
  RETURN outlet;
EXCEPTION WHEN OTHERS THEN
  PERFORM soak.caught('dispatch', SQLSTATE, SQLERRM);
  RETURN NULL;
END
$$;
-- move(): the earliest job in a state chosen at random, through the index
-- on (state, service_date), so that the pick does not slow down as the
-- backlog grows.
CREATE FUNCTION soak.move() RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  o showroom.service_order;
  st text;
BEGIN
  FOREACH st IN ARRAY (ARRAY['dispatched', 'accepted', 'on_the_way'])[1 + (random() * 2)::integer:] LOOP
    SELECT * INTO o FROM showroom.service_order so
     WHERE so.state = st
     ORDER BY so.service_date, so.id LIMIT 1 FOR UPDATE SKIP LOCKED;
    EXIT WHEN o.id IS NOT NULL;
  END LOOP;
  IF o.id IS NULL THEN
    RETURN 'none';
  END IF;
  PERFORM showroom.move_order(o.id,
            CASE o.state WHEN 'dispatched' THEN 'accepted'
                         WHEN 'accepted' THEN 'on_the_way' ELSE 'done' END,
            CASE o.state WHEN 'on_the_way' THEN 'installation.result.installed' END);
  RETURN o.state;
EXCEPTION WHEN OTHERS THEN
  PERFORM soak.caught('move', SQLSTATE, SQLERRM);
  RETURN NULL;
END
$$;
CREATE FUNCTION soak.settle(outlet bigint) RETURNS bigint
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO showroom.service_order (kind, category, point, service_date, state,
                                      outlet_id, created_at, done_at, customer_name)
  SELECT 'installation', 'air_conditioner', 'SRID=4326;POINT(113.6 37.87)',
         DATE '2026-11-10', 'done', outlet,
         TIMESTAMPTZ '2026-11-10 02:00Z', TIMESTAMPTZ '2026-11-10 04:00Z',
         'soak november'
    FROM generate_series(1, 5);
  RETURN (SELECT sum(s.lines_added) FROM showroom.settle('2026-11-01', outlet) s);
EXCEPTION WHEN OTHERS THEN
  PERFORM soak.caught('settle', SQLSTATE, SQLERRM);
  RETURN NULL;
END
$$;
SQL

cat >"$work/sell.sql" <<'SQL'
\set sku random(1, 505)
\set n random(1, 2)
SELECT soak.sell(:sku, :n);
SQL
echo 'SELECT soak.dispatch();' >"$work/dispatch.sql"
echo 'SELECT soak.move();' >"$work/move.sql"
cat >"$work/settle.sql" <<'SQL'
\set outlet random(1, 8)
SELECT soak.settle(:outlet);
\sleep 500 ms
SQL

q -c 'VACUUM ANALYZE' -c 'CHECKPOINT'
interval=$((secs / 10))
[ "$interval" -ge 1 ] || interval=1
echo "soak: 16 clients for $secs s (progress every $interval s)"
"$PGBENCH" -n -c 1 -T "$secs" -f "$work/settle.sql" >"$work/settle.out" 2>&1 &
settle_pid=$!
st=0
"$PGBENCH" -n -c 15 -j 2 -T "$secs" -P "$interval" \
	-f "$work/sell.sql@6" -f "$work/dispatch.sql@3" -f "$work/move.sql@3" \
	>"$work/pgbench.out" 2>"$work/progress.out" || st=$?
wait "$settle_pid" || st=$?
if [ "$st" -ne 0 ]; then
	cat "$work/pgbench.out" "$work/progress.out" "$work/settle.out"
	echo "soak: pgbench failed" >&2
	exit 1
fi
# pgbench's totals, and each script's share: name, then its count and TPS.
sed -n 's/^\(number of transactions actually processed\|number of failed transactions\|latency average\|tps\)/\1/p' \
	"$work/pgbench.out" | sed 's/ (without initial connection time)//'
awk '/^SQL script/ { n = split($4, p, "/"); name = p[n] }
     /^ - [0-9]+ transactions/ { sub(/^ - /, ""); print "  " name ": " $0 }' \
	"$work/pgbench.out"
echo "  settle.sql (1 client): $(sed -n 's/^number of transactions actually processed: //p' "$work/settle.out") runs"

# Throughput over time: the last progress interval against the first.
first=$(grep -m 1 '^progress:' "$work/progress.out" | sed 's/.* \([0-9.]*\) tps.*/\1/')
last=$(grep '^progress:' "$work/progress.out" | tail -n 1 | sed 's/.* \([0-9.]*\) tps.*/\1/')
printf 'tps first %s s: %s, last %s s: %s, ratio last/first %.2f\n' "$interval" "$first" \
	"$interval" "$last" "$(echo "$last / $first" | bc -l)"

q <<'SQL'
SELECT format('work done: %s sales orders, %s service requests, %s dispatched (%s found no room), %s completed, %s fee lines',
              (SELECT count(*) FROM showroom.sales_order),
              (SELECT count(*) FROM showroom.service_order WHERE customer_name = 'soak customer'),
              (SELECT count(*) FROM showroom.booking),
              (SELECT count(*) FROM soak.no_room),
              (SELECT count(*) FROM showroom.service_order WHERE state = 'done'),
              (SELECT count(*) FROM showroom.statement_line));
SELECT format('errors: %s %s x%s (%s)', e.call, e.state, count(*), min(e.message))
  FROM soak.error e GROUP BY e.call, e.state ORDER BY 1;
SQL

problems=$(q <<'SQL'
SELECT format('unexpected error: %s %s x%s: %s', call, state, count(*), min(message))
  FROM soak.error WHERE NOT (call = 'sell' AND state = 'SR101')
 GROUP BY call, state;
SELECT format('verify_stock: %s: %s', problem, detail) FROM showroom.verify_stock();
SELECT format('broken trail: order %s at %s: %s', order_id, broken_seq, problem)
  FROM showroom.broken_trails();
SELECT format('outlet %s on %s: %s bookings, capacity %s', b.outlet_id, b.day, b.n, c.total)
  FROM (SELECT outlet_id, day, kind, count(*) AS n FROM showroom.booking GROUP BY 1, 2, 3) b
  CROSS JOIN LATERAL showroom.capacity_on(b.outlet_id, b.kind, b.day) c
 WHERE b.n > least(c.total, coalesce(c.kind_limit, c.total));
SELECT format('completed November order %s has %s service-fee lines', so.id, count(l.id))
  FROM showroom.service_order so
  LEFT JOIN showroom.statement_line l
    ON l.service_order_id = so.id AND l.component = 'service_fee'
 WHERE so.customer_name = 'soak november'
 GROUP BY so.id HAVING count(l.id) <> 1;
SQL
)
if [ -n "$problems" ]; then
	echo "$problems" | head -n 40
	echo "soak: FAILED"
	exit 1
fi
echo "soak: ledger verified, trails intact, capacity kept, every November job settled once"
