-- areas_geometry: which outlets cover a point.  Covers, not contains: a
-- point on a corner or an edge is inside; a point on the border of two
-- areas makes both eligible and the ranking alone chooses.  The same
-- answers come with and without the spatial index, and with the areas
-- inserted in either order.
\i test/helpers.sql

-- West and east halves meet at lon 113.5; a strip 113.4-113.6 overlaps
-- both.  W and E are based at the same distance from the border.
SELECT showroom.add_outlet('W', 'west', 113.25, 37.75),
       showroom.add_outlet('E', 'east', 113.75, 37.75),
       showroom.add_outlet('O', 'strip', 113.5, 37.2);
SELECT showroom.set_capability(id, 'installation', 'air_conditioner', 3)
  FROM showroom.outlet WHERE code IN ('W', 'E');
SELECT showroom.set_capability(id, 'installation', 'television', 3)
  FROM showroom.outlet WHERE code = 'O';
SELECT showroom.set_setting('dispatch.screen_radius_m', '40000');

CREATE TABLE public.shape (code text, wkt text, seq int);
INSERT INTO public.shape VALUES
  ('W', 'SRID=4326;POLYGON((113 37.5,113.5 37.5,113.5 38,113 38,113 37.5))', 1),
  ('O', 'SRID=4326;POLYGON((113.4 37.5,113.6 37.5,113.6 38,113.4 38,113.4 37.5))', 2),
  ('E', 'SRID=4326;POLYGON((113.5 37.5,114 37.5,114 38,113.5 38,113.5 37.5))', 3);
SELECT count(showroom.add_service_area(o.id, s.code, s.wkt::geometry))
  FROM public.shape s JOIN showroom.outlet o USING (code) ORDER BY 1;

-- A point must be lon/lat: SRID 0 is refused, never matched against
-- nothing; another SRID is transformed.
SELECT 'srid 0' AS "case",
       pg_temp.try($$SELECT * FROM showroom.candidates('POINT(113.2 37.7)'::geometry, 'installation', 'air_conditioner', '2026-06-01')$$);
SELECT 'mercator' AS "case", outlet_code, rank
  FROM showroom.candidates(ST_Transform('SRID=4326;POINT(113.2 37.7)'::geometry, 3857),
                           'installation', 'air_conditioner', '2026-06-01');
SELECT 'out of range' AS "case",
       pg_temp.try($$SELECT * FROM showroom.candidates('SRID=4326;POINT(37.7 113.2)'::geometry, 'installation', 'air_conditioner', '2026-06-01')$$);
SELECT 'not a point' AS "case",
       pg_temp.try($$SELECT * FROM showroom.candidates('SRID=4326;LINESTRING(113 37,114 38)'::geometry, 'installation', 'air_conditioner', '2026-06-01')$$);

-- ST_Contains says no on the boundary; we answer with ST_Covers.
SELECT 'contains vs covers' AS "case", p.label, ST_Contains(a.geom, p.pt) AS contains,
       ST_Covers(a.geom, p.pt) AS covers
  FROM (VALUES ('corner', 'SRID=4326;POINT(113 37.5)'::geometry),
               ('edge', 'SRID=4326;POINT(113 37.7)'::geometry)) p(label, pt),
       showroom.service_area a WHERE a.name = 'W';

-- On the border W and E tie on score and distance (one distinct value
-- each), so the outlet id decides.
SELECT 'border tie' AS "case", count(*) AS eligible, count(DISTINCT score) AS scores,
       count(DISTINCT distance_m) AS distances
  FROM showroom.candidates('SRID=4326;POINT(113.5 37.7)'::geometry, 'installation', 'air_conditioner', '2026-06-01')
 WHERE rank IS NOT NULL;

-- The cases, run four times below.  For each point: every outlet listed,
-- its rank when eligible, else its reason.
\set cases 'SELECT p.label, c.outlet_code, c.covers, c.rank, c.reason FROM (VALUES (1, ''inside W'', 113.2, 37.7), (2, ''corner of W'', 113.0, 37.5), (3, ''edge of W'', 113.0, 37.7), (4, ''border W|E'', 113.5, 37.7), (5, ''W and strip'', 113.45, 37.7), (6, ''outside, near W'', 112.95, 37.75)) p(n, label, lon, lat), LATERAL showroom.candidates(ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326), ''installation'', ''air_conditioner'', ''2026-06-01'') c ORDER BY p.n, c.rank NULLS LAST, c.outlet_code;'
\set border 'BEGIN; INSERT INTO showroom.service_order (kind, category, point, service_date) VALUES (''installation'', ''air_conditioner'', ''SRID=4326;POINT(113.5 37.7)'', ''2026-06-01''); SELECT code AS border_goes_to FROM showroom.outlet WHERE id = (SELECT showroom.dispatch(currval(''showroom.service_order_id_seq''))); ROLLBACK;'
\set probe 'EXPLAIN (costs off) SELECT * FROM showroom.service_area_piece p WHERE ST_Covers(p.geom, ''SRID=4326;POINT(113.5 37.7)''::geometry);'

-- 1. Inserted W, O, E; no index.
\c
SET enable_indexscan = off;
SET enable_bitmapscan = off;
:probe
:cases
:border

-- 2. Inserted W, O, E; index only.
\c
SET enable_seqscan = off;
:probe
:cases
:border

-- The border case follows the ranking alone: W and E tie on every
-- score term and W wins on its lower id; raise E's priority and E wins.
UPDATE showroom.outlet SET priority = 1 WHERE code = 'E';
:border
UPDATE showroom.outlet SET priority = 0 WHERE code = 'E';

-- Insert the areas again in the opposite order.
SELECT count(showroom.remove_service_area(id)) FROM showroom.service_area;
SELECT count(showroom.add_service_area(o.id, s.code, s.wkt::geometry))
  FROM (SELECT * FROM public.shape ORDER BY seq DESC) s JOIN showroom.outlet o USING (code);
SELECT 'area order now' AS "case", string_agg(name, ', ' ORDER BY id) FROM showroom.service_area;

-- 3. Inserted E, O, W; no index.
\c
SET enable_indexscan = off;
SET enable_bitmapscan = off;
:cases
:border

-- 4. Inserted E, O, W; index only.
\c
SET enable_seqscan = off;
:cases
:border

DROP TABLE public.shape;
