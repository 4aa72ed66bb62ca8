-- runs_replan: a planned day changes.  A run once loaded keeps its
-- vehicle, its stops, their order and their times; a late order and a
-- cancelled one change only the runs not yet loaded.
\i test/helpers.sql
SET TimeZone = 'Asia/Shanghai';

-- The stock room's sell() and cancel() are not in this branch yet, so
-- orders, lines and states are written directly, as superuser.
INSERT INTO showroom.dc (code, name, location)
VALUES ('YQ', 'Yangquan DC', 'SRID=4326;POINT(113.58 37.86)');
INSERT INTO showroom.store (code, name, location, home_dc_id)
VALUES ('S1', 'Chengqu store', 'SRID=4326;POINT(113.60 37.85)', 1);
INSERT INTO showroom.sku (code, name, category, list_price_fen, volume_l, weight_kg)
VALUES ('BOX', 'test box', 'small_appliance', 100, 300, 30);
SELECT showroom.add_vehicle(1, 'T-1', 1500, 500), showroom.add_vehicle(1, 'T-2', 1500, 500),
       showroom.add_vehicle(1, 'T-3', 1500, 500);

-- Twelve boxes around the DC, four to a direction.
WITH o AS (
  INSERT INTO showroom.sales_order (store_id, dc_id, delivery_point, delivery_date, state)
  SELECT 1, 1, ST_SetSRID(ST_MakePoint(113.58 + 0.02 * (1 + i % 4) * cos(i / 4 * 2.1),
                                       37.86 + 0.02 * (1 + i % 4) * sin(i / 4 * 2.1)), 4326),
         '2026-05-01', 'allocated'
    FROM generate_series(0, 11) i
  RETURNING id)
INSERT INTO showroom.sales_line (order_id, line_no, sku_id, qty, unit_price_fen)
SELECT o.id, 1, 1, 1, 100 FROM o;

SELECT outcome, count(*) FROM showroom.plan_runs(1, '2026-05-01') GROUP BY 1;
SELECT vehicle_code, stops, state FROM showroom.delivery_runs ORDER BY vehicle_code;

-- Load T-1's run, then keep a copy of it.
SELECT showroom.load_run(run_id) FROM showroom.delivery_runs WHERE vehicle_code = 'T-1';
CREATE TEMP TABLE loaded AS
SELECT s.*, r.vehicle_id, r.depart_at, r.return_at, r.route
  FROM showroom.run_stop s JOIN showroom.delivery_run r ON r.id = s.run_id
 WHERE r.state = 'loaded';
SELECT 'load twice' AS "case",
       pg_temp.try(format('SELECT showroom.load_run(%s)', (SELECT min(run_id) FROM loaded)));

-- A late order near T-1's stops, an order on a run not loaded cancelled,
-- and an order on the loaded run cancelled (its goods are on the truck).
WITH o AS (
  INSERT INTO showroom.sales_order (store_id, dc_id, delivery_point, delivery_date, state)
  SELECT 1, 1, ST_Translate(delivery_point, 0.001, 0.001), '2026-05-01', 'allocated'
    FROM showroom.sales_order WHERE id = (SELECT min(order_id) FROM loaded)
  RETURNING id)
INSERT INTO showroom.sales_line (order_id, line_no, sku_id, qty, unit_price_fen)
SELECT o.id, 1, 1, 1, 100 FROM o;
UPDATE showroom.sales_order SET state = 'cancelled'
 WHERE id IN ((SELECT min(s.order_id) FROM showroom.run_stop s
                JOIN showroom.delivery_run r ON r.id = s.run_id WHERE r.state = 'planned'),
              (SELECT max(order_id) FROM loaded));

SELECT outcome, count(*) FROM showroom.plan_runs(1, '2026-05-01') GROUP BY 1 ORDER BY 1;

-- The loaded run is exactly as it was: same stops, order, times, route.
SELECT 'loaded run untouched' AS "case", count(*) AS stops,
       NOT EXISTS (
         (SELECT * FROM loaded EXCEPT
          SELECT s.*, r.vehicle_id, r.depart_at, r.return_at, r.route
            FROM showroom.run_stop s JOIN showroom.delivery_run r ON r.id = s.run_id
           WHERE r.state = 'loaded')
         UNION ALL
         (SELECT s.*, r.vehicle_id, r.depart_at, r.return_at, r.route
            FROM showroom.run_stop s JOIN showroom.delivery_run r ON r.id = s.run_id
           WHERE r.state = 'loaded'
          EXCEPT SELECT * FROM loaded)) AS identical
  FROM loaded;

-- The late order went on another truck, the cancelled one of a planned
-- run is gone, and the cancelled one of the loaded run shows as such.
SELECT 'late order' AS "case", v.code, r.state
  FROM showroom.run_stop s JOIN showroom.delivery_run r ON r.id = s.run_id
  JOIN showroom.vehicle v ON v.id = r.vehicle_id
 WHERE s.order_id = 13;
SELECT 'cancelled orders' AS "case", o.id, o.state,
       (SELECT r.state FROM showroom.run_stop s JOIN showroom.delivery_run r ON r.id = s.run_id
         WHERE s.order_id = o.id) AS on_run
  FROM showroom.sales_order o WHERE o.state = 'cancelled' ORDER BY o.id;
SELECT vehicle_code, stops, state FROM showroom.delivery_runs ORDER BY vehicle_code;
SELECT 'every order once' AS "case", count(*) = count(DISTINCT order_id) AS once,
       count(*) AS stops
  FROM showroom.run_stop;
