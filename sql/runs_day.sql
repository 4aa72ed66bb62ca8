-- runs_day: a busier day of one DC.  Whatever the plan, no run may exceed
-- its vehicle's volume or weight, every stop must start inside its window
-- and every run inside its vehicle's working hours; each delivery is
-- either on exactly one run or pending with its reason; and planning the
-- same day twice gives the same plan.
\i test/helpers.sql
SET TimeZone = 'Asia/Shanghai';

-- The stock room's sell() API is not in this branch yet, so orders and
-- their lines are inserted directly, as superuser, in state allocated.
INSERT INTO showroom.dc (code, name, location)
VALUES ('YQ', 'Yangquan DC', 'SRID=4326;POINT(113.58 37.86)');
INSERT INTO showroom.store (code, name, location, home_dc_id)
VALUES ('S1', 'Chengqu store', 'SRID=4326;POINT(113.60 37.85)', 1);
INSERT INTO showroom.sku (code, name, category, needs_install, list_price_fen, volume_l, weight_kg)
VALUES ('RF', 'fridge', 'refrigerator', false, 300000, 500, 80),
       ('WM', 'washer', 'washing_machine', false, 200000, 300, 70),
       ('AC', 'split AC', 'air_conditioner', true, 250000, 200, 40),
       ('SAFE', 'heavy safe', 'small_appliance', false, 100, 50, 2000),
       ('ODD', 'no size', 'small_appliance', false, 100, NULL, NULL);

-- Two large trucks, and two small ones whose crews install (each AC stop
-- takes them 40 minutes longer) and which carry more weight.
SELECT showroom.add_vehicle(1, 'BIG-1', 6000, 800, '08:00', '18:00'),
       showroom.add_vehicle(1, 'BIG-2', 6000, 800, '08:00', '18:00'),
       showroom.add_vehicle(1, 'SMALL-1', 3000, 1200, '09:00', '17:00', true),
       showroom.add_vehicle(1, 'SMALL-2', 3000, 1200, '09:00', '17:00', true);

-- Forty deliveries scattered within about 15 km of the DC, one or two
-- units each; a third want the morning, a third the afternoon.  Then four
-- that no plan can take, and one order of another day and one cancelled.
WITH o AS (
  INSERT INTO showroom.sales_order (store_id, dc_id, delivery_point, delivery_date,
                                    window_from, window_to, state)
  SELECT 1, 1, ST_SetSRID(ST_MakePoint(113.58 + 0.15 * sin(i * 7.3),
                                       37.86 + 0.12 * cos(i * 3.1)), 4326),
         '2026-05-01', ('{09:00,14:00,NULL}'::time[])[i % 3 + 1],
         ('{12:00,17:00,NULL}'::time[])[i % 3 + 1],
         CASE WHEN i % 2 = 0 THEN 'allocated' ELSE 'picked' END
    FROM generate_series(1, 40) i
  RETURNING id)
INSERT INTO showroom.sales_line (order_id, line_no, sku_id, qty, unit_price_fen)
SELECT o.id, 1, 1 + o.id % 3, 1 + o.id % 2, 100 FROM o;
INSERT INTO showroom.sales_order (store_id, dc_id, delivery_point, delivery_date,
                                  window_from, window_to, state)
VALUES (1, 1, 'SRID=4326;POINT(113.6 37.9)', '2026-05-01', NULL, NULL, 'allocated'),
       (1, 1, 'SRID=4326;POINT(113.6 37.9)', '2026-05-01', NULL, NULL, 'allocated'),
       (1, 1, 'SRID=4326;POINT(113.6 37.9)', '2026-05-01', '06:00', '07:00', 'allocated'),
       (1, 1, 'SRID=4326;POINT(113.6 37.9)', '2026-05-01', NULL, NULL, 'allocated'),
       (1, 1, 'SRID=4326;POINT(113.6 37.9)', '2026-05-02', NULL, NULL, 'allocated'),
       (1, 1, 'SRID=4326;POINT(113.6 37.9)', '2026-05-01', NULL, NULL, 'cancelled');
INSERT INTO showroom.sales_line (order_id, line_no, sku_id, qty, unit_price_fen)
VALUES (41, 1, 1, 13, 100),   -- 6500 l: larger than every truck
       (42, 1, 4, 1, 100),    -- 2000 kg: heavier than every truck
       (43, 1, 2, 1, 100),    -- due before any truck leaves
       (44, 1, 5, 1, 100),    -- a SKU without a size
       (45, 1, 2, 1, 100), (46, 1, 2, 1, 100);

CREATE TEMP TABLE first_plan AS SELECT * FROM showroom.plan_runs(1, '2026-05-01');
SELECT outcome, reason, count(*) FROM first_plan GROUP BY 1, 2 ORDER BY 1, 2;

-- Each delivery of the day once, and nothing of another day or cancelled.
SELECT 'coverage' AS "case", count(*) AS rows, count(DISTINCT order_id) AS orders,
       min(order_id) AS lowest, max(order_id) AS highest
  FROM first_plan;

-- The reasons, with the figures behind them.
SELECT order_id, reason, detail FROM showroom.run_pending ORDER BY order_id;

-- Capacities, recomputed from the order lines: list every run over either.
SELECT 'over capacity' AS problem, r.id, v.code
  FROM showroom.delivery_run r JOIN showroom.vehicle v ON v.id = r.vehicle_id
 WHERE (SELECT sum(l.qty * k.volume_l) FROM showroom.run_stop s
          JOIN showroom.sales_line l ON l.order_id = s.order_id
          JOIN showroom.sku k ON k.id = l.sku_id WHERE s.run_id = r.id) > v.volume_l
    OR (SELECT sum(l.qty * k.weight_kg) FROM showroom.run_stop s
          JOIN showroom.sales_line l ON l.order_id = s.order_id
          JOIN showroom.sku k ON k.id = l.sku_id WHERE s.run_id = r.id) > v.weight_kg;

-- Loads are high: the day has more than the trucks carry.
SELECT vehicle_code, stops, volume_share <= 1 AND weight_share <= 1 AS within,
       volume_share >= 0.8 OR weight_share >= 0.8 AS well_loaded
  FROM showroom.delivery_runs ORDER BY vehicle_code;

-- Windows and working hours: list every stop or run that breaks one.
SELECT 'stop outside window' AS problem, s.run_id, s.seq
  FROM showroom.delivery_stops s
 WHERE s.service_at::time < coalesce(s.window_from, '00:00')
    OR s.service_at::time > coalesce(s.window_to, '24:00')
    OR s.arrive_at > s.service_at
UNION ALL
SELECT 'run outside working hours', r.id, NULL
  FROM showroom.delivery_run r JOIN showroom.vehicle v ON v.id = r.vehicle_id
 WHERE r.depart_at::time < v.work_from OR r.return_at::time > v.work_to
UNION ALL
SELECT 'stop too soon after the previous', b.run_id, b.seq
  FROM showroom.delivery_stops a
  JOIN showroom.delivery_stops b ON b.run_id = a.run_id AND b.seq = a.seq + 1
  JOIN showroom.vehicle v ON v.id = a.vehicle_id
 WHERE b.arrive_at < a.service_at + interval '15 min'
       + CASE WHEN v.installs AND EXISTS (
                SELECT 1 FROM showroom.sales_line l JOIN showroom.sku k ON k.id = l.sku_id
                 WHERE l.order_id = a.order_id AND k.needs_install)
              THEN interval '40 min' ELSE interval '0' END;

-- The route goes DC, every stop in order, DC; km is its length.
SELECT 'route' AS "case",
       bool_and(ST_NPoints(r.route) = r.stops + 2) AS one_point_per_stop,
       bool_and(ST_StartPoint(r.route) = d.location AND ST_EndPoint(r.route) = d.location) AS dc_to_dc,
       bool_and(abs(r.km - ST_Length(r.route::geography) / 1000) < 0.01) AS km_is_length
  FROM showroom.delivery_runs r JOIN showroom.dc d ON d.id = r.dc_id;

-- Same input, same plan: plan the day again and compare everything.
CREATE TEMP TABLE snap AS
SELECT r.vehicle_id, s.seq, s.order_id, s.arrive_at, s.service_at, r.distance_m
  FROM showroom.run_stop s JOIN showroom.delivery_run r ON r.id = s.run_id;
SELECT count(*) AS replanned FROM showroom.plan_runs(1, '2026-05-01');
SELECT 'same plan' AS "case",
       (SELECT count(*) FROM snap) AS stops,
       NOT EXISTS (
         (SELECT * FROM snap EXCEPT
          SELECT r.vehicle_id, s.seq, s.order_id, s.arrive_at, s.service_at, r.distance_m
            FROM showroom.run_stop s JOIN showroom.delivery_run r ON r.id = s.run_id)
         UNION ALL
         (SELECT r.vehicle_id, s.seq, s.order_id, s.arrive_at, s.service_at, r.distance_m
            FROM showroom.run_stop s JOIN showroom.delivery_run r ON r.id = s.run_id
          EXCEPT SELECT * FROM snap)) AS identical;
