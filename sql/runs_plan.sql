-- runs_plan: plan_runs() on small known cases.  Two cases are small enough
-- that the optimum is known by hand; a larger day checks that capacities
-- and windows hold, that each impossible delivery is reported with its
-- reason, and that the same input gives the same plan.
\i test/helpers.sql
SET TimeZone = 'Asia/Shanghai';

-- The stock room's sell() API is not in this branch yet, so orders and
-- their lines are inserted directly, as superuser, in state allocated.
INSERT INTO showroom.dc (code, name, location)
VALUES ('YQ', 'Yangquan DC', 'SRID=4326;POINT(113.58 37.86)');
INSERT INTO showroom.store (code, name, location, home_dc_id)
VALUES ('S1', 'Chengqu store', 'SRID=4326;POINT(113.60 37.85)', 1);
INSERT INTO showroom.sku (code, name, category, needs_install, list_price_fen, volume_l, weight_kg)
VALUES ('BOX', 'test box', 'small_appliance', false, 100, 300, 30),
       ('RF', 'fridge', 'refrigerator', false, 300000, 500, 80),
       ('AC', 'split AC', 'air_conditioner', true, 250000, 200, 40),
       ('SAFE', 'heavy safe', 'small_appliance', false, 100, 50, 2000),
       ('ODD', 'no size', 'small_appliance', false, 100, NULL, NULL);

-- order_at(lon, lat, date, sku, qty, from, to): one order of one line.
CREATE FUNCTION pg_temp.order_at(lon float8, lat float8, d date, sku text, qty int,
                                 wf time DEFAULT NULL, wt time DEFAULT NULL)
RETURNS bigint LANGUAGE sql AS $$
  WITH o AS (
    INSERT INTO showroom.sales_order (store_id, dc_id, delivery_point, delivery_date,
                                      window_from, window_to, state)
    VALUES (1, 1, ST_SetSRID(ST_MakePoint(lon, lat), 4326), d, wf, wt, 'allocated')
    RETURNING id)
  INSERT INTO showroom.sales_line (order_id, line_no, sku_id, qty, unit_price_fen)
  SELECT o.id, 1, s.id, qty, 100 FROM o, showroom.sku s WHERE s.code = sku
  RETURNING order_id
$$;

-- Case 1, one truck and four corners of a rectangle 0.02 deg wide and
-- 0.06 deg tall centred on the DC, sold in a crossing order.  The DC is
-- equally far from every corner, so the best tour takes the two short
-- sides and one long side: DC, NE, NW, SW, SE, DC or a mirror of it.
SELECT showroom.add_vehicle(1, 'T-BIG', 10000, 2000, '08:00', '18:00');
SELECT pg_temp.order_at(113.59, 37.89, '2026-05-01', 'BOX', 1),   -- NE
       pg_temp.order_at(113.57, 37.83, '2026-05-01', 'BOX', 1),   -- SW
       pg_temp.order_at(113.57, 37.89, '2026-05-01', 'BOX', 1),   -- NW
       pg_temp.order_at(113.59, 37.83, '2026-05-01', 'BOX', 1);   -- SE
SELECT outcome, count(*) FROM showroom.plan_runs(1, '2026-05-01') GROUP BY 1;
WITH best AS (
  SELECT ST_Length(ST_GeomFromText('LINESTRING(113.58 37.86, 113.59 37.89, 113.57 37.89,
                                   113.57 37.83, 113.59 37.83, 113.58 37.86)', 4326)::geography) AS m,
         ST_Length(ST_GeomFromText('LINESTRING(113.58 37.86, 113.59 37.89, 113.57 37.83,
                                   113.57 37.89, 113.59 37.83, 113.58 37.86)', 4326)::geography) AS sale_order_m)
SELECT 'rectangle' AS "case",
       (SELECT count(*) FROM showroom.run_stop s WHERE s.run_id = r.id) AS stops, round(best.m) AS optimum_m,
       round(best.sale_order_m) AS sale_order_m,
       abs(r.distance_m - best.m) < 0.5 AS reaches_optimum,
       (SELECT string_agg(ST_X(point)::text || ' ' || ST_Y(point)::text, ', ' ORDER BY seq)
          FROM showroom.delivery_stops s WHERE s.run_id = r.id) AS stops_in_order
  FROM showroom.delivery_run r, best
 WHERE r.run_date = '2026-05-01';

-- Case 2, two trucks of 1000 l and six boxes of 300 l, three on a line
-- east of the DC and three west, sold alternately east and west.  Neither
-- truck takes four boxes, so the best plan is one truck per side, out to
-- the farthest box and back: 4 times the DC to a point 0.03 deg away.
-- The big truck of case 1 is off duty.
SELECT showroom.set_vehicle_active(1, false);
SELECT showroom.add_vehicle(1, 'T-E', 1000, 500, '08:00', '18:00'),
       showroom.add_vehicle(1, 'T-W', 1000, 500, '08:00', '18:00');
SELECT pg_temp.order_at(113.58 + s * k * 0.01, 37.86, '2026-05-02', 'BOX', 1)
  FROM generate_series(1, 3) k, unnest('{1,-1}'::int[]) s ORDER BY k, s DESC;
SELECT outcome, count(*) FROM showroom.plan_runs(1, '2026-05-02') GROUP BY 1;
SELECT 'two sides' AS "case", count(*) AS runs, max(volume_l) AS max_volume_l,
       bool_and(ST_XMin(route) >= 113.58 OR ST_XMax(route) <= 113.58) AS one_side_each,
       round(4 * ST_Distance('SRID=4326;POINT(113.58 37.86)'::geography,
                             'SRID=4326;POINT(113.61 37.86)'::geography)) AS optimum_m,
       abs(sum(distance_m) - 4 * ST_Distance('SRID=4326;POINT(113.58 37.86)'::geography,
                                             'SRID=4326;POINT(113.61 37.86)'::geography)) < 0.5 AS reaches_optimum
  FROM showroom.delivery_run WHERE run_date = '2026-05-02';

-- Case 3, windows decide the order: the near door is open only in the
-- afternoon, the far one only in the morning, so the far one comes first.
SELECT pg_temp.order_at(113.585, 37.86, '2026-05-03', 'BOX', 1, '14:00', '16:00') AS near_pm,
       pg_temp.order_at(113.50, 37.86, '2026-05-03', 'BOX', 1, '09:00', '10:00') AS far_am;
SELECT outcome, count(*) FROM showroom.plan_runs(1, '2026-05-03') GROUP BY 1;
SELECT 'windows' AS "case", seq, ST_X(point) AS lon, window_from, window_to,
       arrive_at <= service_at AS waits_not_early,
       service_at::time BETWEEN window_from AND window_to AS in_window
  FROM showroom.delivery_stops WHERE run_date = '2026-05-03' ORDER BY run_id, seq;
