#!/usr/bin/env bash
# crash.sh: kill the server with SIGKILL in the middle of trading, restart
# it, and check that nothing a client was told is lost and that every
# invariant still holds.
#
#   test/crash.sh [rounds, default 5]
#
# Runs on a cluster of its own, started with tools/pg-sandbox --durable
# (fsync and synchronous commit on), whatever server tools/test gave.
# The setup seeds one chain: a DC and a store, 20 SKUs of 150 units, four
# outlets of 12 installations a day covering the region, 600 requested
# installation orders over ten days, and fee rules.  Then each round:
#
#   1. pgbench (8 clients) drives a mix of sales (showroom.sell), single
#      dispatches (showroom.dispatch), workflow moves (showroom.move_order:
#      accept, leave, finish) and settlement runs (showroom.settle of
#      November, each after five more completed November orders);
#   2. after a random 1.0 to 4.0 seconds the postmaster is killed with
#      SIGKILL, then every child process it had, by PID (as in a power cut,
#      nothing gets to shut down);
#   3. the server is restarted and recovers from its WAL;
#   4. the checks run (below); any failure stops the test.
#
# The kill moments come from a seed (SHOWROOM_CRASH_SEED, printed), so a
# failing run can be repeated.  After each sale commits, pgbench appends
# its external reference to a log (the client saw the commit); a
# dispatch that returned an outlet is logged the same way.
#
# Checks after each restart:
#   - every logged sale is there, with its lines and allocations;
#   - every logged dispatch is still assigned to the outlet it returned;
#   - every allocation has its ledger rows (kind 'allocation', same line
#     and slot, same quantity);
#   - showroom.verify_stock() returns nothing;
#   - showroom.broken_trails() returns nothing (the audit chains verify);
#   - no outlet holds more bookings on a day than showroom.capacity_on();
#   - every completed November order has exactly one service-fee line.
#
# Bounded: a round takes about 8 s, and every wait in it has a limit
# (pgbench -T 30 is only a backstop, since the kill comes first; pgbench
# and the killed processes get 20 s each to go away, the restart 60 s).
# Five rounds take about 40 s.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" != "--inside" ]; then
	# A cluster of our own, durable; never under valgrind (a killed
	# server's reports say nothing about our code).
	unset PGHOST PGPORT PGUSER PGDATABASE SANDBOX_VALGRIND
	exec tools/pg-sandbox --durable -- "$0" --inside "$@"
fi
shift
rounds=${1:-5}
seed=${SHOWROOM_CRASH_SEED:-20261204}
RANDOM=$seed
echo "crash: seed $seed, $rounds rounds"

PG_BIN=$SANDBOX_BIN
data=$SANDBOX_DATA
work=$(mktemp -d)
chmod 0777 "$work"
pgbench_pid=
cleanup() {
	if [ -n "$pgbench_pid" ]; then
		kill -KILL "$pgbench_pid" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT

q() { psql -X -q -v ON_ERROR_STOP=1 -At "$@"; }
if [ "$(id -u)" -eq 0 ]; then
	as_server() { (cd / && runuser -u postgres -- "$@"); }
else
	as_server() { (cd / && "$@"); }
fi

# The chain, and the functions the pgbench scripts call.  They catch only
# the business refusals the mix provokes (SR101, no stock left), so any
# other error still reaches pgbench and fails the round.
q >/dev/null <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION showroom CASCADE;
INSERT INTO showroom.dc (code, name, location, region)
VALUES ('CR-DC', 'crash DC', 'SRID=4326;POINT(113.58 37.86)',
        ST_Multi(ST_MakeEnvelope(113, 37.5, 114, 38.2, 4326)));
INSERT INTO showroom.store (code, name, location, home_dc_id)
VALUES ('CR-S', 'crash store', 'SRID=4326;POINT(113.6 37.85)', 1);
INSERT INTO showroom.sku (code, name, category, list_price_fen)
SELECT 'CR-' || g, 'crash sku ' || g, 'air_conditioner', 100000
  FROM generate_series(1, 20) g;
SELECT count(showroom.receive_stock(1, id, 150)) FROM showroom.sku;
SELECT showroom.set_stock_slots(1, 1, 4);

SELECT count(*) FROM (
  SELECT showroom.add_outlet('CR-O' || i, 'crash outlet ' || i,
                             113.3 + i * 0.1, 37.8, i, 12) AS id
    FROM generate_series(1, 4) i) o,
  LATERAL (SELECT showroom.set_capability(o.id, 'installation', 'air_conditioner', 3),
                  showroom.add_service_area(o.id, 'crash area',
                    ST_MakeEnvelope(113, 37.5, 114, 38.2, 4326))) x;
INSERT INTO showroom.service_order (kind, category, point, service_date, customer_name)
SELECT 'installation', 'air_conditioner',
       ST_SetSRID(ST_MakePoint(113.2 + (i % 37) * 0.015, 37.6 + (i % 23) * 0.02), 4326),
       current_date + 1 + i % 10, 'crash customer ' || i
  FROM generate_series(1, 600) i;
SELECT showroom.add_fee_rule('installation', 'air_conditioner', '2026-01-01', NULL,
                             '0-10km: 80.00; 10km+: 80.00 + 2.00/km');

CREATE SCHEMA crash;
CREATE FUNCTION crash.sell(sku bigint, n integer, ref text) RETURNS bigint
LANGUAGE plpgsql AS $$
BEGIN
  RETURN showroom.sell(1, 113.6, 37.9, ARRAY[sku], ARRAY[n], external_ref => ref);
EXCEPTION WHEN SQLSTATE 'SR101' THEN
  RETURN 0;
END
$$;
-- dispatch one requested order nobody else holds; 0 when none is left,
-- the outlet's id when it was assigned, -1 when no outlet had room.
CREATE FUNCTION crash.dispatch(OUT order_id bigint, OUT outlet_id bigint)
LANGUAGE plpgsql AS $$
BEGIN
  SELECT so.id INTO order_id FROM showroom.service_order so
   WHERE so.state = 'requested' AND so.kind = 'installation'
   ORDER BY random() LIMIT 1 FOR UPDATE SKIP LOCKED;
  IF order_id IS NULL THEN
    order_id := 0; outlet_id := 0;
    RETURN;
  END IF;
  outlet_id := coalesce(showroom.dispatch(order_id), -1);
END
$$;
-- move one order a step along: dispatched -> accepted -> on_the_way -> done.
CREATE FUNCTION crash.move() RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  o showroom.service_order;
BEGIN
  SELECT * INTO o FROM showroom.service_order so
   WHERE so.state IN ('dispatched', 'accepted', 'on_the_way')
     AND so.done_at IS NULL
   ORDER BY random() LIMIT 1 FOR UPDATE SKIP LOCKED;
  IF o.id IS NULL THEN
    RETURN 'none';
  END IF;
  PERFORM showroom.move_order(o.id,
            CASE o.state WHEN 'dispatched' THEN 'accepted'
                         WHEN 'accepted' THEN 'on_the_way' ELSE 'done' END,
            CASE o.state WHEN 'on_the_way' THEN 'installation.result.installed' END);
  RETURN o.state;
END
$$;
-- five more completed November orders of one outlet, then settle it.
CREATE FUNCTION crash.settle(outlet bigint) RETURNS bigint
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO showroom.service_order (kind, category, point, service_date, state,
                                      outlet_id, created_at, done_at, customer_name)
  SELECT 'installation', 'air_conditioner', 'SRID=4326;POINT(113.6 37.87)',
         DATE '2026-11-10', 'done', outlet,
         TIMESTAMPTZ '2026-11-10 02:00Z', TIMESTAMPTZ '2026-11-10 04:00Z',
         'crash november'
    FROM generate_series(1, 5);
  RETURN (SELECT sum(s.lines_added) FROM showroom.settle('2026-11-01', outlet) s);
END
$$;
SQL

cat >"$work/sell.sql" <<SQL
\set sku random(1, 20)
\set n random(1, 2)
\set ref :client_id * 10000000000000 + random(1, 1000000000000)
SELECT crash.sell(:sku, :n, 'K' || :ref) AS order_id \gset
\shell echo :ref :order_id >> $work/sales.log
SQL
cat >"$work/dispatch.sql" <<SQL
SELECT order_id, outlet_id FROM crash.dispatch() \gset
\shell echo :order_id :outlet_id >> $work/dispatch.log
SQL
cat >"$work/move.sql" <<'SQL'
SELECT crash.move();
SQL
cat >"$work/settle.sql" <<'SQL'
\set outlet random(1, 4)
SELECT crash.settle(:outlet);
SQL
: >"$work/sales.log"
: >"$work/dispatch.log"
chmod 0666 "$work"/*.log

# check: every invariant, after a restart.  Prints the problems, one a
# line; prints nothing when all hold.
check() {
	# The client's logs, loaded as they are (a line cut short by the
	# kill would fail to load, and then the test).  Sales refused for
	# lack of stock (order 0) are not expected anywhere.
	q <<SQL
CREATE TEMP TABLE acked_sale (ref bigint, order_id bigint);
CREATE TEMP TABLE acked_dispatch (order_id bigint, outlet_id bigint);
\copy acked_sale FROM '$work/sales.log' WITH (DELIMITER ' ')
\copy acked_dispatch FROM '$work/dispatch.log' WITH (DELIMITER ' ')
SELECT format('acknowledged sale K%s (order %s) is missing', a.ref, a.order_id)
  FROM acked_sale a
 WHERE a.order_id > 0
   AND NOT EXISTS (SELECT 1 FROM showroom.sales_order o
                    WHERE o.id = a.order_id AND o.external_ref = 'K' || a.ref
                      AND EXISTS (SELECT 1 FROM showroom.sales_line l WHERE l.order_id = o.id)
                      AND EXISTS (SELECT 1 FROM showroom.allocation al
                                   WHERE al.sales_order_id = o.id));
SELECT format('acknowledged dispatch of order %s to outlet %s is lost', a.order_id, a.outlet_id)
  FROM acked_dispatch a
 WHERE a.outlet_id > 0
   AND NOT EXISTS (SELECT 1 FROM showroom.service_order so
                    JOIN showroom.booking b ON b.service_order_id = so.id
                   WHERE so.id = a.order_id AND so.outlet_id = a.outlet_id
                     AND b.outlet_id = a.outlet_id);
SELECT format('line %s slot %s: allocations %s, ledger allocation rows %s',
              coalesce(a.line, m.line), coalesce(a.slot, m.slot), a.qty, m.qty)
  FROM (SELECT sales_line_id AS line, slot, sum(qty) AS qty
          FROM showroom.allocation GROUP BY 1, 2) a
  FULL JOIN (SELECT sales_line_id AS line, slot, sum(d_allocated) AS qty
               FROM showroom.stock_movement WHERE kind = 'allocation' GROUP BY 1, 2) m
    ON m.line = a.line AND m.slot = a.slot
 WHERE a.qty IS DISTINCT FROM m.qty;
SELECT format('verify_stock: %s: %s', problem, detail) FROM showroom.verify_stock();
SELECT format('broken trail: order %s at %s: %s', order_id, broken_seq, problem)
  FROM showroom.broken_trails();
SELECT format('outlet %s on %s: %s bookings, capacity %s', b.outlet_id, b.day, b.n, c.total)
  FROM (SELECT outlet_id, day, kind, count(*) AS n FROM showroom.booking
         GROUP BY 1, 2, 3) b
  CROSS JOIN LATERAL showroom.capacity_on(b.outlet_id, b.kind, b.day) c
 WHERE b.n > least(c.total, coalesce(c.kind_limit, c.total));
SELECT format('completed November order %s has %s service-fee lines', so.id, count(l.id))
  FROM showroom.service_order so
  LEFT JOIN showroom.statement_line l
    ON l.service_order_id = so.id AND l.component = 'service_fee'
 WHERE so.customer_name = 'crash november'
 GROUP BY so.id HAVING count(l.id) <> 1;
SQL
}

# one_round N: trade, kill at a random moment, restart, check.
one_round() {
	local n=$1 ms pm children st gone p
	ms=$((1000 + RANDOM % 3001))
	"$PG_BIN/pgbench" -n -c 8 -j 2 -T 30 \
		-f "$work/sell.sql@6" -f "$work/dispatch.sql@2" \
		-f "$work/move.sql@3" -f "$work/settle.sql@1" \
		>"$work/pgbench.$n.out" 2>&1 &
	pgbench_pid=$!
	sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"

	# The kill: the postmaster first, then each child it had, by PID.
	pm=$(head -n 1 "$data/postmaster.pid")
	children=$(ps -o pid= --ppid "$pm" | xargs)
	kill -KILL "$pm"
	[ -n "$children" ] && kill -KILL $children 2>/dev/null || true

	# A killed process stays a zombie until its parent (here the init
	# process, since pg_ctl has long exited) reaps it, and a new server
	# refuses to start while the old PID still answers: wait, 20 s at most.
	for _ in $(seq 200); do
		gone=1
		for p in $pm $children; do
			[ -e "/proc/$p" ] && gone=0
		done
		[ "$gone" -eq 1 ] && break
		sleep 0.1
	done
	[ "$gone" -eq 1 ] || {
		echo "crash: round $n: the killed server's processes did not go away" >&2
		return 1
	}

	# pgbench stops when its connections break; give it 20 s at most.
	for _ in $(seq 200); do
		kill -0 "$pgbench_pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pgbench_pid" 2>/dev/null; then
		kill -KILL "$pgbench_pid"
		echo "crash: round $n: pgbench did not stop after the kill" >&2
		cat "$work/pgbench.$n.out" >&2
		return 1
	fi
	st=0
	wait "$pgbench_pid" || st=$?
	pgbench_pid=

	# Before the kill, no client may have stopped on an error of ours.
	# (A lost connection prints no "ERROR:", a refusal by the server does.)
	if grep -q 'ERROR:' "$work/pgbench.$n.out"; then
		echo "crash: round $n: a client failed before the kill:" >&2
		cat "$work/pgbench.$n.out" >&2
		return 1
	fi

	# The restart: pg_ctl finds the dead server's PID file and starts
	# over with the options it had (postmaster.opts); recovery replays WAL.
	as_server "$PG_BIN/pg_ctl" -D "$data" -l "$SANDBOX_LOG" -w -t 60 restart \
		>"$work/restart.out" 2>&1 9>&- || {
		echo "crash: round $n: the server did not restart" >&2
		cat "$work/restart.out" >&2
		tail -n 30 "$SANDBOX_LOG" >&2
		return 1
	}
	[ "$(grep -c 'not properly shut down' "$SANDBOX_LOG")" -eq "$n" ] || {
		echo "crash: round $n: the server did not go through crash recovery" >&2
		return 1
	}

	local problems
	problems=$(check)
	printf 'crash: round %d killed after %d ms: %s sales and %s dispatches acknowledged so far, %s completed jobs settled\n' \
		"$n" "$ms" "$(awk '$2 > 0' "$work/sales.log" | wc -l)" \
		"$(awk '$2 > 0' "$work/dispatch.log" | wc -l)" \
		"$(q -c "SELECT count(*) FROM showroom.statement_line WHERE component = 'service_fee'")"
	if [ -n "$problems" ]; then
		echo "$problems" | head -n 40
		return 1
	fi
}

for n in $(seq "$rounds"); do
	one_round "$n"
done

# The run must have done real work, or the checks proved nothing.
q <<'SQL'
SELECT format('totals: %s orders, %s bookings, %s completed, %s fee lines, %s trail rows',
              (SELECT count(*) FROM showroom.sales_order),
              (SELECT count(*) FROM showroom.booking),
              (SELECT count(*) FROM showroom.service_order WHERE state = 'done'),
              (SELECT count(*) FROM showroom.statement_line),
              (SELECT count(*) FROM showroom.service_trail));
SQL
[ "$(awk '$2 > 0' "$work/sales.log" | wc -l)" -gt 100 ] || {
	echo "crash: fewer than 100 acknowledged sales: the test proved little" >&2
	exit 1
}
[ "$(awk '$2 > 0' "$work/dispatch.log" | wc -l)" -gt 10 ] || {
	echo "crash: fewer than 10 acknowledged dispatches" >&2
	exit 1
}
echo "crash: all $rounds rounds recovered with every invariant intact"
