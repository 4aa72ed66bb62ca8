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

-- The batch finds covering areas by its own join (src/cover.c), not the
-- single search; both must agree on every point, boundaries included.
-- Two triangles halve a square: T1 below the diagonal, T2 above.  Points:
-- T1's lone corner, an edge, the shared diagonal (three times), the
-- shared corners, inside each, T1's box but outside T1, and outside both.
SELECT showroom.add_outlet('T1', 'lower triangle', 120.2, 30.2, 0, 10) AS t1,
       showroom.add_outlet('T2', 'upper triangle', 120.8, 30.8, 0, 10) AS t2 \gset
SELECT showroom.add_service_area(:t1, 'T1', 'SRID=4326;POLYGON((120 30,121 30,120 31,120 30))'),
       showroom.add_service_area(:t2, 'T2', 'SRID=4326;POLYGON((121 30,121 31,120 31,121 30))');
SELECT count(showroom.set_capability(o, 'installation', 'air_conditioner', 3))
  FROM unnest(ARRAY[:t1, :t2]::bigint[]) o;
CREATE TABLE public.edge_spot (n int, lon float8, lat float8, what text);
INSERT INTO public.edge_spot VALUES
  (1, 120, 30, 'T1 corner'), (2, 120.5, 30, 'T1 edge'),
  (3, 120.5, 30.5, 'diagonal'), (4, 120.5, 30.5, 'diagonal'), (5, 120.5, 30.5, 'diagonal'),
  (6, 121, 30, 'shared corner'), (7, 120, 31, 'shared corner'),
  (8, 120.1, 30.1, 'inside T1'), (9, 120.9, 30.9, 'inside T2, T1''s box'),
  (10, 121.5, 30.5, 'outside');
INSERT INTO showroom.service_order (kind, category, point, service_date)
SELECT 'installation', 'air_conditioner', ST_SetSRID(ST_MakePoint(lon, lat), 4326), '2026-09-01'
  FROM public.edge_spot ORDER BY n;
-- What the single search says of each order, before the batch.
CREATE TABLE public.edge_single AS
SELECT o.id, s.what,
       (SELECT array_agg(c.outlet_code ORDER BY c.outlet_code) FROM showroom.candidates(o.id) c
         WHERE c.covers) AS covering,
       (SELECT c.outlet_id FROM showroom.candidates(o.id) c WHERE c.rank = 1) AS best,
       (SELECT count(*) FROM showroom.candidates(o.id) c WHERE c.reason IS NULL) AS eligible
  FROM showroom.service_order o
  JOIN public.edge_spot s ON ST_Equals(o.point, ST_SetSRID(ST_MakePoint(s.lon, s.lat), 4326))
 WHERE o.service_date = '2026-09-01';
SELECT 'edges' AS "case", * FROM showroom.dispatch_date('2026-09-01');
SELECT DISTINCT 'edges result' AS "case", e.what, e.covering, x.code AS outlet,
       l.eligible, p.reason,
       o.outlet_id IS NOT DISTINCT FROM e.best AS same_as_single,
       coalesce(l.eligible, 0) = e.eligible AS same_eligible
  FROM public.edge_single e
  JOIN showroom.service_order o ON o.id = e.id
  LEFT JOIN showroom.outlet x ON x.id = o.outlet_id
  LEFT JOIN showroom.dispatch_log l ON l.service_order_id = o.id
  LEFT JOIN showroom.dispatch_pending p ON p.service_order_id = o.id
 ORDER BY e.what;

-- Orders all at one spot (a grid of one cell), and a lone order on the
-- shared corner.  With the pieces counted, four orders take the pass and
-- the lone one probes the index (fewer than one order per 16 pieces).
INSERT INTO showroom.service_order (kind, category, point, service_date)
SELECT 'installation', 'air_conditioner', 'SRID=4326;POINT(120.5 30.5)', date '2026-09-02'
  FROM generate_series(1, 4)
UNION ALL
SELECT 'installation', 'air_conditioner', 'SRID=4326;POINT(120 31)', date '2026-09-03';
ANALYZE showroom.service_area_piece;
SELECT 'pieces' AS "case", count(*) FROM showroom.service_area_piece;
SET client_min_messages = debug1;
SELECT 'one spot' AS "case", * FROM showroom.dispatch_date('2026-09-02');
SELECT 'lone order' AS "case", * FROM showroom.dispatch_date('2026-09-03');
RESET client_min_messages;
SELECT 'lone order, single search' AS "case", c.outlet_code, c.covers, c.rank
  FROM showroom.service_order o, showroom.candidates(o.id) c
 WHERE o.service_date = '2026-09-03' AND c.covers ORDER BY c.outlet_code;
SELECT 'one spot result' AS "case", o.service_date, x.code, count(*)
  FROM showroom.service_order o JOIN showroom.outlet x ON x.id = o.outlet_id
 WHERE o.service_date IN ('2026-09-02', '2026-09-03')
 GROUP BY 1, 2, 3 ORDER BY 2, 3;
DROP TABLE public.edge_spot, public.edge_single;

-- A point the grid cannot scale: orders at lon 0 and lon 1e-310 (an
-- extent too narrow for a finite scale) must fall back to one cell, and
-- the area round them serves all five.
SELECT showroom.add_outlet('E', 'equator-ish', 0, 30.5, 0, 10) AS e \gset
SELECT showroom.add_service_area(:e, 'E', 'SRID=4326;POLYGON((-1 30,1 30,1 31,-1 31,-1 30))');
SELECT showroom.set_capability(:e, 'installation', 'air_conditioner', 3);
INSERT INTO showroom.service_order (kind, category, point, service_date)
SELECT 'installation', 'air_conditioner', ST_SetSRID(ST_MakePoint(lon, 30.5), 4326), date '2026-09-04'
  FROM unnest(ARRAY[0, 1e-310, 0, 1e-310, 0]::float8[]) lon;
SELECT 'denormal extent' AS "case", * FROM showroom.dispatch_date('2026-09-04');
-- Points no lon/lat allows are refused at the table, nothing written.
-- (The session was reconnected above, so try() is defined again; the
-- failing row's detail holds timestamps and is left out.)
CREATE FUNCTION pg_temp.try(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE st text; msg text;
BEGIN
  EXECUTE q;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
  RETURN st || ': ' || msg;
END $$;
SELECT 'bad point' AS "case", p, pg_temp.try(format(
         $$INSERT INTO showroom.service_order (kind, category, point, service_date)
           VALUES ('installation', 'air_conditioner', %s, '2026-09-05')$$, p))
  FROM unnest(ARRAY[$$ST_SetSRID(ST_MakePoint('Infinity', 30), 4326)$$,
                    $$ST_SetSRID(ST_MakePoint(120, '-Infinity'), 4326)$$,
                    $$ST_SetSRID(ST_MakePoint('NaN', 30), 4326)$$,
                    $$'SRID=4326;POINT(120 95)'$$, $$'SRID=4326;POINT(-181 30)'$$,
                    $$'SRID=4326;POINT EMPTY'$$]) p;
SELECT 'bad point' AS "case", count(*) FROM showroom.service_order WHERE service_date = '2026-09-05';
