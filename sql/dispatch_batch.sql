-- dispatch_batch: dispatch_date serves at least as many orders as one-by-
-- one dispatch, the most possible, then prefers better ranks; respects
-- totals and per-kind limits; leaves the rest with a reason; gives the
-- same answer with and without the spatial index.
\i test/helpers.sql

-- X covers lon 113.0-113.5, Y covers 113.3-114.0; X has priority.
SELECT showroom.add_outlet('X', 'xray', 113.2, 37.7, 1, 1),
       showroom.add_outlet('Y', 'yankee', 113.7, 37.7, 0, 1),
       showroom.add_outlet('Z', 'zulu', 113.7, 37.7, 0, 5);
SELECT showroom.add_service_area(1, 'X', 'SRID=4326;POLYGON((113 37.5,113.5 37.5,113.5 38,113 38,113 37.5))'),
       showroom.add_service_area(2, 'Y', 'SRID=4326;POLYGON((113.3 37.5,114 37.5,114 38,113.3 38,113.3 37.5))'),
       showroom.add_service_area(3, 'Z', 'SRID=4326;POLYGON((115 37.5,116 37.5,116 38,115 38,115 37.5))');
SELECT count(showroom.set_capability(o, k, 'air_conditioner', 3))
  FROM unnest(ARRAY[1, 2, 3]) o, unnest(ARRAY['installation', 'repair']) k;

-- Order 1 is in the overlap, order 2 only in X; each outlet takes one.
CREATE TABLE public.job (n int, lon float8, lat float8, kind text, category text);
INSERT INTO public.job VALUES (1, 113.4, 37.7, 'installation', 'air_conditioner'),
                              (2, 113.1, 37.7, 'installation', 'air_conditioner');
INSERT INTO showroom.service_order (kind, category, point, service_date)
SELECT kind, category, ST_SetSRID(ST_MakePoint(lon, lat), 4326), d
  FROM unnest(ARRAY['2026-07-01', '2026-07-02']::date[]) d, public.job ORDER BY d, n;

-- One by one (1 July): order 1 takes X, its best; order 2 finds X full.
SELECT 'greedy' AS "case", id, showroom.dispatch(id) AS outlet
  FROM showroom.service_order WHERE service_date = '2026-07-01' ORDER BY id;
-- Batch (2 July): order 1 goes to Y so that order 2 can have X.
SELECT 'batch' AS "case", * FROM showroom.dispatch_date('2026-07-02');
SELECT 'batch result' AS "case", o.id, o.outlet_id, l.rank
  FROM showroom.service_order o LEFT JOIN showroom.dispatch_log l ON l.service_order_id = o.id
 WHERE service_date = '2026-07-02' ORDER BY o.id;

-- With room for both (3 July, X takes 2), both get their rank-1 outlet.
SELECT showroom.set_capacity(1, 2, '2026-07-03');
INSERT INTO showroom.service_order (kind, category, point, service_date)
SELECT kind, category, ST_SetSRID(ST_MakePoint(lon, lat), 4326), '2026-07-03' FROM public.job ORDER BY n;
SELECT 'roomy' AS "case", * FROM showroom.dispatch_date('2026-07-03');
SELECT 'roomy result' AS "case", o.id, o.outlet_id, l.rank
  FROM showroom.service_order o JOIN showroom.dispatch_log l ON l.service_order_id = o.id
 WHERE service_date = '2026-07-03' ORDER BY o.id;

-- A kind's own limit inside the total (4 July): X takes 3 jobs, of which
-- 1 installation; two installations and a repair, all only in X.
SELECT showroom.set_capacity(1, 3, '2026-07-04'),
       showroom.set_capacity(1, 1, '2026-07-04', 'installation');
INSERT INTO showroom.service_order (kind, category, point, service_date) VALUES
  ('installation', 'air_conditioner', 'SRID=4326;POINT(113.1 37.6)', '2026-07-04'),
  ('installation', 'air_conditioner', 'SRID=4326;POINT(113.1 37.8)', '2026-07-04'),
  ('repair', 'air_conditioner', 'SRID=4326;POINT(113.1 37.9)', '2026-07-04'),
-- and one of each reason to stay: outside every area, no capability,
-- an outlet suspended.
  ('repair', 'air_conditioner', 'SRID=4326;POINT(112.0 37.7)', '2026-07-04'),
  ('repair', 'television', 'SRID=4326;POINT(113.1 37.7)', '2026-07-04'),
  ('repair', 'air_conditioner', 'SRID=4326;POINT(115.5 37.7)', '2026-07-04');
SELECT showroom.suspend_outlet(3, 'no crew this week');
SELECT 'limits' AS "case", * FROM showroom.dispatch_date('2026-07-04');
SELECT 'limits result' AS "case", id, kind, category, outlet_id
  FROM showroom.service_order WHERE service_date = '2026-07-04' ORDER BY id;
SELECT 'unassigned' AS "case", service_order_id, reason
  FROM showroom.unassigned_orders WHERE service_date = '2026-07-04' ORDER BY 2;
SELECT 'loads' AS "case", outlet_id, day, kind, booked FROM showroom.outlet_kind_load
 WHERE day = '2026-07-04' AND booked > 0 ORDER BY 2, 4;
-- A second run finds nothing new to do and changes nothing.
SELECT 'rerun' AS "case", * FROM showroom.dispatch_date('2026-07-04');
SELECT 'nothing that day' AS "case", * FROM showroom.dispatch_date('2030-01-01');
SELECT 'null date' AS "case", pg_temp.try($$SELECT showroom.dispatch_date(NULL)$$);

-- A random, tight instance: 70 orders, 20 overlapping areas, 3 jobs
-- each.  Batch must serve at least as many as one-by-one dispatch, never
-- exceed a capacity, and give the same answer with and without the index.
SELECT showroom.lift_suspension(3, 'crew back');
SELECT setseed(0.42);
SELECT count(showroom.add_outlet('R' || i, 'random ' || i, 117 + random(), 30 + random(), (i % 3), 3))
  FROM generate_series(1, 20) i;
SELECT count(showroom.add_service_area(o.id, o.code,
         ST_Buffer(ST_SetSRID(ST_MakePoint(117 + random(), 30 + random()), 4326), 0.2 + random() / 5)))
  FROM showroom.outlet o WHERE o.code LIKE 'R%';
SELECT count(showroom.set_capability(id, 'installation', 'air_conditioner', 1 + (id % 5)::int))
  FROM showroom.outlet WHERE code LIKE 'R%';
CREATE TABLE public.spot AS
SELECT n, ST_SetSRID(ST_MakePoint(117 + random(), 30 + random()), 4326) AS pt
  FROM generate_series(1, 70) n;
INSERT INTO showroom.service_order (kind, category, point, service_date)
SELECT 'installation', 'air_conditioner', pt, d
  FROM public.spot, unnest(ARRAY['2026-08-01', '2026-08-02']::date[]) d ORDER BY d, n;
SELECT 'same orders both days' AS "case",
       (SELECT array_agg(ST_AsText(point) ORDER BY id) FROM showroom.service_order WHERE service_date = '2026-08-01')
     = (SELECT array_agg(ST_AsText(point) ORDER BY id) FROM showroom.service_order WHERE service_date = '2026-08-02') AS same;
SELECT 'greedy served' AS "case", count(showroom.dispatch(id)) AS served
  FROM (SELECT id FROM showroom.service_order WHERE service_date = '2026-08-01' ORDER BY id) s;

\set batch 'SELECT * FROM showroom.dispatch_date(''2026-08-02''); SELECT md5(string_agg(id || '':'' || outlet_id, '','' ORDER BY id)) AS assignment FROM showroom.service_order WHERE service_date = ''2026-08-02'' AND outlet_id IS NOT NULL;'
\c
SET enable_indexscan = off;
SET enable_bitmapscan = off;
BEGIN;
:batch
ROLLBACK;
\c
SET enable_seqscan = off;
:batch
SELECT 'batch >= greedy' AS "case",
       (SELECT count(*) FROM showroom.service_order WHERE service_date = '2026-08-02' AND outlet_id IS NOT NULL)
    >= (SELECT count(*) FROM showroom.service_order WHERE service_date = '2026-08-01' AND outlet_id IS NOT NULL) AS ok;
SELECT 'within capacity' AS "case", bool_and(l.booked <= c.total) AS ok, sum(l.booked) AS booked
  FROM showroom.outlet_load l, LATERAL showroom.capacity_on(l.outlet_id, 'installation', l.day) c
 WHERE l.day = '2026-08-02';
SELECT 'each served order covered' AS "case",
       bool_and(EXISTS (SELECT 1 FROM showroom.service_area a
                         WHERE a.outlet_id = o.outlet_id AND ST_Covers(a.geom, o.point))) AS ok
  FROM showroom.service_order o WHERE o.service_date = '2026-08-02' AND o.outlet_id IS NOT NULL;
-- No unserved order had a covering outlet with room left (a necessary
-- condition of a maximum; the full guarantee is argued in src/flow.c).
SELECT 'no room missed' AS "case", count(*) AS missed
  FROM showroom.service_order o
  JOIN showroom.service_area a ON ST_Covers(a.geom, o.point)
  LEFT JOIN showroom.outlet_load l ON l.outlet_id = a.outlet_id AND l.day = o.service_date
 WHERE o.service_date = '2026-08-02' AND o.outlet_id IS NULL AND coalesce(l.booked, 0) < 3;
DROP TABLE public.job, public.spot;
