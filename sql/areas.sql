-- areas: outlets, capabilities, capacity, suspension, and the checks an
-- area passes before it is stored (polygon, SRID, validity, repair).
\i test/helpers.sql

-- Outlets: one good, then bad input; none of the bad ones is written.
SELECT 'outlet' AS "case", showroom.add_outlet('YQ-01', 'Yangquan East', 113.60, 37.86, 2, 3) AS id;
SELECT 'null code' AS "case", pg_temp.try($$SELECT showroom.add_outlet(NULL, 'x', 113.6, 37.8)$$);
SELECT 'blank name' AS "case", pg_temp.try($$SELECT showroom.add_outlet('X', ' ', 113.6, 37.8)$$);
SELECT 'swapped lon/lat' AS "case", pg_temp.try($$SELECT showroom.add_outlet('X', 'x', 37.8, 113.6)$$);
SELECT 'negative capacity' AS "case", pg_temp.try($$SELECT showroom.add_outlet('X', 'x', 113.6, 37.8, 0, -1)$$);
SELECT 'duplicate code' AS "case", pg_temp.try($$SELECT showroom.add_outlet('YQ-01', 'again', 113.6, 37.8)$$);
SELECT 'outlets written' AS "case", count(*) FROM showroom.outlet;

-- Capabilities: set, change, bad kind, bad category, bad skill, unknown
-- outlet, remove.
SELECT 'capability' AS "case", showroom.set_capability(1, 'installation', 'air_conditioner', 4);
SELECT 'change skill' AS "case", showroom.set_capability(1, 'installation', 'air_conditioner', 5);
SELECT 'second' AS "case", showroom.set_capability(1, 'repair', 'refrigerator', 2);
SELECT 'unknown kind' AS "case", pg_temp.try($$SELECT showroom.set_capability(1, 'painting', 'air_conditioner', 3)$$);
SELECT 'unknown category' AS "case", pg_temp.try($$SELECT showroom.set_capability(1, 'repair', 'boat', 3)$$);
SELECT 'skill 6' AS "case", pg_temp.try($$SELECT showroom.set_capability(1, 'repair', 'television', 6)$$);
SELECT 'skill 0' AS "case", pg_temp.try($$SELECT showroom.set_capability(1, 'repair', 'television', 0)$$);
SELECT 'unknown outlet' AS "case", pg_temp.try($$SELECT showroom.set_capability(99, 'repair', 'television', 3)$$);
SELECT 'null outlet' AS "case", pg_temp.try($$SELECT showroom.set_capability(NULL, 'repair', 'television', 3)$$);
SELECT 'remove' AS "case", showroom.set_capability(1, 'repair', 'refrigerator', NULL);
SELECT 'capabilities' AS "case", outlet_id, kind, category, skill FROM showroom.capability;

-- Capacity: the default 3; a date's total; a kind's limit every day and
-- on one date, which wins over every day.
SELECT showroom.set_capacity(1, 5, '2026-06-02');
SELECT showroom.set_capacity(1, 2, NULL, 'installation');
SELECT showroom.set_capacity(1, 1, '2026-06-03', 'installation');
SELECT 'capacity ' || d AS "case", c.*
  FROM unnest(ARRAY['2026-06-01', '2026-06-02', '2026-06-03']::date[]) d,
       LATERAL showroom.capacity_on(1, 'installation', d) c;
SELECT 'other kind' AS "case", * FROM showroom.capacity_on(1, 'repair', '2026-06-03');
SELECT 'negative' AS "case", pg_temp.try($$SELECT showroom.set_capacity(1, -1)$$);
SELECT 'null default' AS "case", pg_temp.try($$SELECT showroom.set_capacity(1, NULL)$$);
SELECT 'bad kind' AS "case", pg_temp.try($$SELECT showroom.set_capacity(1, 1, NULL, 'painting')$$);
SELECT 'drop override' AS "case", showroom.set_capacity(1, NULL, '2026-06-02');
SELECT 'after drop' AS "case", * FROM showroom.capacity_on(1, 'installation', '2026-06-02');
SELECT 'default' AS "case", showroom.set_capacity(1, 4);
SELECT 'default now' AS "case", daily_capacity FROM showroom.outlet;

-- Suspension: needs a reason; lifting needs a suspension; both are logged.
SELECT 'suspend' AS "case", showroom.suspend_outlet(1, 'three complaints in a week');
SELECT 'suspended' AS "case", suspended_reason, suspended_at IS NOT NULL AS since FROM showroom.outlet;
SELECT 'no reason' AS "case", pg_temp.try($$SELECT showroom.suspend_outlet(1, '  ')$$);
SELECT 'unknown outlet' AS "case", pg_temp.try($$SELECT showroom.suspend_outlet(42, 'x')$$);
SET showroom.person = 'Li Wei';
SELECT 'lift' AS "case", showroom.lift_suspension(1, 'retrained');
RESET showroom.person;
SELECT 'lift again' AS "case", pg_temp.try($$SELECT showroom.lift_suspension(1, 'again')$$);
SELECT 'log' AS "case", outlet_id, action, reason, done_by = current_user::text OR done_by = 'Li Wei' AS who
  FROM showroom.outlet_suspension_log ORDER BY id;
SELECT 'log by' AS "case", done_by FROM showroom.outlet_suspension_log WHERE action = 'lift';

-- Areas.  A good square; a bow-tie refused with the reason, then repaired
-- into two triangles (never one lobe); SRID 0 refused naming 4326; Web
-- Mercator transformed; an SRID PostGIS does not know; lon/lat swapped
-- (latitude 113); not a polygon; empty; NULL; unknown outlet.
SELECT 'square' AS "case",
       showroom.add_service_area(1, 'square', 'SRID=4326;POLYGON((113.5 37.8,113.7 37.8,113.7 37.9,113.5 37.9,113.5 37.8))');
SELECT 'bow-tie' AS "case",
       pg_temp.try($$SELECT showroom.add_service_area(1, 'bow', 'SRID=4326;POLYGON((113 37,114 38,114 37,113 38,113 37))')$$);
SELECT 'bow-tie repaired' AS "case",
       showroom.add_service_area(1, 'bow', 'SRID=4326;POLYGON((113 37,114 38,114 37,113 38,113 37))', repair => true);
SELECT 'repaired parts' AS "case", ST_NumGeometries(geom) AS parts, ST_Area(geom) AS area, ST_IsValid(geom) AS valid
  FROM showroom.service_area WHERE name = 'bow';
SELECT 'srid 0' AS "case",
       pg_temp.try($$SELECT showroom.add_service_area(1, 'x', 'POLYGON((113 37,114 37,114 38,113 37))')$$);
SELECT 'mercator' AS "case",
       showroom.add_service_area(1, 'merc', ST_Transform('SRID=4326;POLYGON((113 37,113.1 37,113.1 37.1,113 37))'::geometry, 3857)) > 0 AS added;
SELECT 'mercator stored' AS "case", ST_SRID(geom), ST_AsText(geom, 6)
  FROM showroom.service_area WHERE name = 'merc';
SELECT 'unknown srid' AS "case",
       pg_temp.try($$SELECT showroom.add_service_area(1, 'x', ST_SetSRID('POLYGON((113 37,114 37,114 38,113 37))'::geometry, 999999))$$);
SELECT 'swapped' AS "case",
       pg_temp.try($$SELECT showroom.add_service_area(1, 'x', 'SRID=4326;POLYGON((37 113,38 113,38 114,37 113))')$$);
SELECT 'line' AS "case",
       pg_temp.try($$SELECT showroom.add_service_area(1, 'x', 'SRID=4326;LINESTRING(113 37,114 38)')$$);
SELECT 'empty' AS "case",
       pg_temp.try($$SELECT showroom.add_service_area(1, 'x', 'SRID=4326;POLYGON EMPTY')$$);
SELECT 'null area' AS "case", pg_temp.try($$SELECT showroom.add_service_area(1, 'x', NULL)$$);
SELECT 'no name' AS "case",
       pg_temp.try($$SELECT showroom.add_service_area(1, '', 'SRID=4326;POLYGON((113 37,114 37,114 38,113 37))')$$);
SELECT 'unknown outlet' AS "case",
       pg_temp.try($$SELECT showroom.add_service_area(7, 'x', 'SRID=4326;POLYGON((113 37,114 37,114 38,113 37))')$$);
-- Repair keeps every part that outer rings enclose and takes away only
-- what holes enclose: a part nested in another or overlapping it is
-- merged, not cut out as a hole; a hole outside its shell takes nothing;
-- a bow-tie hole leaves two triangular holes; a ring of three points
-- takes nothing.  Point checks of each.
SELECT 'repair kinds' AS "case", v.label, ST_NumGeometries(r) AS parts,
       ST_NumInteriorRings(ST_GeometryN(r, 1)) AS holes, ST_Area(r) AS area,
       ST_Covers(r, v.probe) AS covers_probe, ST_IsValid(r) AS valid
  FROM (VALUES
    ('nested', 'SRID=4326;MULTIPOLYGON(((113 37,113.4 37,113.4 37.4,113 37.4,113 37)),((113.1 37.1,113.2 37.1,113.2 37.2,113.1 37.2,113.1 37.1)))'::geometry,
     'SRID=4326;POINT(113.15 37.15)'::geometry),
    ('overlapping', 'SRID=4326;MULTIPOLYGON(((113 37,113.2 37,113.2 37.2,113 37.2,113 37)),((113.1 37.1,113.3 37.1,113.3 37.3,113.1 37.3,113.1 37.1)))',
     'SRID=4326;POINT(113.15 37.15)'),
    ('stray hole', 'SRID=4326;POLYGON((113 37,113.1 37,113.1 37.1,113 37.1,113 37),(113.5 37.5,113.6 37.5,113.6 37.6,113.5 37.6,113.5 37.5))',
     'SRID=4326;POINT(113.55 37.55)'),
    ('bow-tie hole', 'SRID=4326;POLYGON((113 37,114 37,114 38,113 38,113 37),(113.1 37.1,113.3 37.3,113.3 37.1,113.1 37.3,113.1 37.1))',
     'SRID=4326;POINT(113.15 37.2)'),
    -- GeoJSON admits a ring of three points (real district files hold
    -- them); it encloses nothing.
    ('three-point hole', ST_SetSRID(ST_GeomFromGeoJSON(
       '{"type":"Polygon","coordinates":[[[113,37],[114,38],[114,37],[113,38],[113,37]],'
       '[[113.1,37.5],[113.2,37.5],[113.1,37.5]]]}'), 4326),
     'SRID=4326;POINT(113.15 37.5)')) v(label, g, probe),
       LATERAL showroom.area_geometry(v.g, true) r
 ORDER BY v.label;
-- Z and M are dropped; coordinates outside a projection's domain are
-- refused, not wrapped round the globe; NULL ids are 22004.
SELECT 'z and m' AS "case", ST_AsText(showroom.area_geometry(g)) AS area,
       ST_AsText(showroom.to_lonlat(ST_Centroid(g))) AS point
  FROM (VALUES ('SRID=4326;POLYGON Z((113 37 5,114 37 5,114 38 5,113 37 5))'::geometry),
               ('SRID=4326;POLYGON M((113 37 1,114 37 1,114 38 1,113 37 1))'::geometry)) v(g);
SELECT 'out of domain' AS "case", v.g,
       pg_temp.try(format('SELECT showroom.to_lonlat(%L::geometry)', v.g))
  FROM (VALUES ('SRID=3857;POINT(1000000000 0)'), ('SRID=3857;POINT(0 1000000000000)'),
               ('SRID=32650;POINT(1000000000 1000000000)'),
               ('SRID=3857;POLYGON((19900000 0,20100000 0,20100000 100000,19900000 0))')) v(g);
SELECT 'in domain' AS "case", ST_AsText(showroom.to_lonlat('SRID=32650;POINT(500000 4200000)'), 6);
SELECT 'null ids' AS "case", pg_temp.try($$SELECT showroom.remove_service_area(NULL)$$) AS remove,
       pg_temp.try($$SELECT showroom.add_dc_area(NULL, 'x', 'SRID=4326;POLYGON((113 37,114 37,114 38,113 37))')$$) AS dc;
SELECT 'areas written' AS "case", string_agg(name, ', ' ORDER BY id) FROM showroom.service_area;

-- Pieces follow their areas: cut on insert, gone on removal.
SELECT 'pieces' AS "case", a.name, count(p.*) AS pieces,
       ST_Equals(ST_Union(p.geom), a.geom) AS same_ground
  FROM showroom.service_area a JOIN showroom.service_area_piece p ON p.area_id = a.id
 GROUP BY a.id ORDER BY a.id;
SELECT 'remove' AS "case", showroom.remove_service_area(id) FROM showroom.service_area WHERE name = 'merc';
SELECT 'remove unknown' AS "case", pg_temp.try($$SELECT showroom.remove_service_area(999)$$);
SELECT 'pieces left' AS "case", array_agg(DISTINCT area_id) FROM showroom.service_area_piece;

-- DC regions use the same checks and the same search.
INSERT INTO showroom.dc (code, name, location) VALUES ('DC-YQ', 'Yangquan DC', 'SRID=4326;POINT(113.58 37.86)');
SELECT 'dc region' AS "case",
       showroom.add_dc_area(1, 'Yangquan', 'SRID=4326;POLYGON((113 37,114 37,114 38,113 38,113 37))') > 0 AS added;
SELECT 'dc bad' AS "case", pg_temp.try($$SELECT showroom.add_dc_area(1, 'x', 'POLYGON((113 37,114 37,114 38,113 37))')$$);
SELECT 'dc unknown' AS "case", pg_temp.try($$SELECT showroom.add_dc_area(5, 'x', 'SRID=4326;POLYGON((113 37,114 37,114 38,113 37))')$$);
SELECT 'dc on corner' AS "case", array_agg(d) FROM showroom.dcs_covering('SRID=4326;POINT(113 37)') d;
SELECT 'dc outside' AS "case", array_agg(d) FROM showroom.dcs_covering('SRID=4326;POINT(112 37)') d;
SELECT 'dc srid 0' AS "case", pg_temp.try($$SELECT showroom.dcs_covering('POINT(113.5 37.5)')$$);
SELECT 'dc line' AS "case", pg_temp.try($$SELECT showroom.dcs_covering('SRID=4326;LINESTRING(113 37,114 38)')$$);
SELECT 'dc empty point' AS "case", pg_temp.try($$SELECT showroom.dcs_covering('SRID=4326;POINT EMPTY')$$);
