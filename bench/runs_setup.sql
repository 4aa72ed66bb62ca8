-- runs_setup: the data of bench/runs.sh.  One DC in Yangquan, 40 trucks,
-- 2,000 deliveries of one day, and a naive planner to compare with.
-- psql variables: gj, the districts as GeoJSON text ('' when there are
-- none: then the points fill the bounding box 113.2-113.9 E, 37.6-38.3 N
-- and five sectors of 72 degrees round the DC stand in for districts).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE EXTENSION showroom CASCADE;
CREATE SCHEMA bench;
SELECT setseed(0.42);

-- A day of a busy season: service at the door is a short hand-over.
SELECT showroom.set_setting('runs.speed_kmh', '30'),
       showroom.set_setting('runs.service_min', '5'),
       showroom.set_setting('runs.install_min', '15');

INSERT INTO showroom.dc (code, name, location)
VALUES ('YQ', 'Yangquan DC', 'SRID=4326;POINT(113.58 37.86)');
INSERT INTO showroom.store (code, name, location, home_dc_id)
VALUES ('YQ-S1', 'Chengqu store', 'SRID=4326;POINT(113.60 37.85)', 1);
INSERT INTO showroom.sku (code, name, category, needs_install, list_price_fen, volume_l, weight_kg)
VALUES ('AC', 'split AC', 'air_conditioner', true, 250000, 200, 40),
       ('RF', 'fridge', 'refrigerator', false, 300000, 500, 80),
       ('WM', 'washer', 'washing_machine', false, 200000, 300, 70),
       ('TV', 'TV 55', 'television', false, 400000, 150, 20),
       ('SM', 'microwave', 'small_appliance', false, 60000, 40, 12);

-- Forty trucks of 15 m3 and 3 t, on the road 07:00 to 21:00; a fifth of
-- the crews install.
SELECT showroom.add_vehicle(1, format('YQ-%s', lpad(i::text, 2, '0')), 15000, 3000,
                            '07:00', '21:00', i % 5 = 0)
  FROM generate_series(1, 40) i;

-- Districts: the real ones when given, else five sectors round the DC.
CREATE TABLE bench.district (name text, geom geometry(MultiPolygon, 4326));
INSERT INTO bench.district
SELECT f->'properties'->>'name',
       ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(f->>'geometry'), 4326)), 3))
  FROM json_array_elements(nullif(:'gj', '')::json->'features') f;

-- 2,000 doors: in the districts by area, else uniform in the box.
CREATE TABLE bench.door (n serial, pt geometry(Point, 4326), district text);
INSERT INTO bench.door (pt, district)
SELECT (ST_Dump(ST_GeneratePoints(d.geom, greatest(1, round(2000 * ST_Area(d.geom) / t.total))::int, 42))).geom, d.name
  FROM bench.district d, (SELECT sum(ST_Area(geom)) AS total FROM bench.district) t
 ORDER BY d.name;
INSERT INTO bench.door (pt)
SELECT ST_SetSRID(ST_MakePoint(113.2 + 0.7 * random(), 37.6 + 0.7 * random()), 4326)
  FROM generate_series(1, 2000) WHERE NOT EXISTS (SELECT 1 FROM bench.district);
DELETE FROM bench.door WHERE n > 2000;
UPDATE bench.door SET district = 'sector ' || (floor(degrees(ST_Azimuth('SRID=4326;POINT(113.58 37.86)', pt)) / 72) + 1)
 WHERE district IS NULL;

-- The orders, in order of sale; a third want the morning, a third the
-- afternoon.  Inserted directly: the stock room's sell() is elsewhere.
INSERT INTO showroom.sales_order (store_id, dc_id, delivery_point, delivery_date,
                                  window_from, window_to, state)
SELECT 1, 1, pt, '2026-06-01',
       CASE WHEN n % 3 = 0 THEN '09:00'::time WHEN n % 3 = 1 THEN '13:00' END,
       CASE WHEN n % 3 = 0 THEN '12:00'::time WHEN n % 3 = 1 THEN '18:00' END,
       'allocated'
  FROM bench.door ORDER BY n;
INSERT INTO showroom.sales_line (order_id, line_no, sku_id, qty, unit_price_fen)
SELECT o.id, 1, 1 + floor(random() * 5)::int, CASE WHEN random() < 0.15 THEN 2 ELSE 1 END, 100
  FROM showroom.sales_order o;

-- The naive plan: one truck per district at a time, filled in order of
-- sale until the next order would overflow it, then another trip; stops
-- in order of sale.  Windows and working hours are ignored.  It plans
-- the orders listed in bench.naive_input.
CREATE TABLE bench.naive_input (order_id bigint PRIMARY KEY);
CREATE TABLE bench.naive_trip (trip integer, district text, km float8, stops integer,
                               volume_l numeric, weight_kg numeric);
CREATE FUNCTION bench.naive_plan() RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE
  o record; trip int := 0; cur text := NULL; v numeric := 0; w numeric := 0;
  pts geometry[] := '{}'; dc geometry := 'SRID=4326;POINT(113.58 37.86)';
  cap_v numeric := 15000; cap_w numeric := 3000;
BEGIN
  TRUNCATE bench.naive_trip;
  FOR o IN
    SELECT so.id, so.delivery_point AS pt, d.district,
           sum(l.qty * k.volume_l) AS vol, sum(l.qty * k.weight_kg) AS wt
      FROM bench.naive_input i JOIN showroom.sales_order so ON so.id = i.order_id
      JOIN bench.door d ON d.n = so.id
      JOIN showroom.sales_line l ON l.order_id = so.id JOIN showroom.sku k ON k.id = l.sku_id
     GROUP BY so.id, d.district ORDER BY d.district, so.id
  LOOP
    IF cur IS DISTINCT FROM o.district OR v + o.vol > cap_v OR w + o.wt > cap_w THEN
      IF cardinality(pts) > 0 THEN
        INSERT INTO bench.naive_trip VALUES (trip, cur,
          ST_Length(ST_MakeLine(dc || pts || dc)::geography) / 1000, cardinality(pts), v, w);
      END IF;
      trip := trip + 1; cur := o.district; v := 0; w := 0; pts := '{}';
    END IF;
    pts := pts || o.pt; v := v + o.vol; w := w + o.wt;
  END LOOP;
  IF cardinality(pts) > 0 THEN
    INSERT INTO bench.naive_trip VALUES (trip, cur,
      ST_Length(ST_MakeLine(dc || pts || dc)::geography) / 1000, cardinality(pts), v, w);
  END IF;
  RETURN (SELECT sum(km) FROM bench.naive_trip);
END $$;
ANALYZE;
