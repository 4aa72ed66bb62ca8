-- runs: vehicles, and the errors of the planning API (plan_runs,
-- route_plan, load_run).  Planning itself is in runs_plan and runs_replan.
\i test/helpers.sql

INSERT INTO showroom.dc (code, name, location)
VALUES ('YQ', 'Yangquan DC', 'SRID=4326;POINT(113.58 37.86)');

-- Vehicles: defaults, then every kind of bad input.
SELECT 'add' AS "case",
       showroom.add_vehicle(1, 'JIN-C-0001', 12000, 1500) AS first,
       showroom.add_vehicle(1, 'JIN-C-0002', 8000.5, 900, '07:30', '19:00', true) AS second;
SELECT code, volume_l, weight_kg, work_from, work_to, installs, active
  FROM showroom.vehicle ORDER BY id;
SELECT 'null dc' AS "case", pg_temp.try($$SELECT showroom.add_vehicle(NULL, 'X', 1, 1)$$);
SELECT 'null window' AS "case", pg_temp.try($$SELECT showroom.add_vehicle(1, 'X', 1, 1, NULL)$$);
SELECT 'unknown dc' AS "case", pg_temp.try($$SELECT showroom.add_vehicle(99, 'X', 1, 1)$$);
SELECT 'zero volume' AS "case", pg_temp.try($$SELECT showroom.add_vehicle(1, 'X', 0, 1)$$);
SELECT 'negative weight' AS "case", pg_temp.try($$SELECT showroom.add_vehicle(1, 'X', 1, -5)$$);
SELECT 'huge volume' AS "case", pg_temp.try($$SELECT showroom.add_vehicle(1, 'X', 1e12, 1)$$);
SELECT 'reversed window' AS "case",
       pg_temp.try($$SELECT showroom.add_vehicle(1, 'X', 1, 1, '18:00', '08:00')$$);
SELECT 'empty window' AS "case",
       pg_temp.try($$SELECT showroom.add_vehicle(1, 'X', 1, 1, '08:00', '08:00')$$);
SELECT 'duplicate code' AS "case",
       pg_temp.try($$SELECT showroom.add_vehicle(1, 'JIN-C-0001', 1, 1)$$);
SELECT 'nothing written' AS "case", count(*) AS vehicles FROM showroom.vehicle;

SELECT 'deactivate' AS "case", showroom.set_vehicle_active(2, false);
SELECT 'deactivated' AS "case", code, active FROM showroom.vehicle ORDER BY id;
SELECT 'unknown vehicle' AS "case", pg_temp.try($$SELECT showroom.set_vehicle_active(42, true)$$);
SELECT 'null active' AS "case", pg_temp.try($$SELECT showroom.set_vehicle_active(1, NULL)$$);

-- plan_runs and load_run: bad arguments.
SELECT 'plan null dc' AS "case", pg_temp.try($$SELECT showroom.plan_runs(NULL, '2026-05-01')$$);
SELECT 'plan null date' AS "case", pg_temp.try($$SELECT showroom.plan_runs(1, NULL)$$);
SELECT 'plan unknown dc' AS "case", pg_temp.try($$SELECT showroom.plan_runs(7, '2026-05-01')$$);
SELECT 'plan empty day' AS "case", count(*) AS deliveries
  FROM showroom.plan_runs(1, '2026-05-01');
SELECT 'load unknown run' AS "case", pg_temp.try($$SELECT showroom.load_run(5)$$);
SELECT 'load null run' AS "case", showroom.load_run(NULL) IS NULL AS strict_null;
SELECT 'nothing planned' AS "case",
       (SELECT count(*) FROM showroom.delivery_run) AS runs,
       (SELECT count(*) FROM showroom.run_pending) AS pending;

-- route_plan, the planner on arrays: a call that works, then bad arrays.
SELECT 'route_plan' AS "case", p.delivery, p.vehicle, p.seq, p.arrival_s,
       p.start_s, round(p.leg_m::numeric, 1) AS leg_m, p.reason
  FROM showroom.route_plan(113.58, 37.86, '{113.59}', '{37.86}', '{100}', '{10}',
                           '{NULL}', '{NULL}', '{900}', '{0}',
                           '{1000}', '{100}', '{28800}', '{64800}', '{false}', 36) p;
SELECT 'null array' AS "case",
       pg_temp.try($$SELECT showroom.route_plan(0, 0, NULL, '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', 30)$$);
SELECT 'null depot' AS "case",
       pg_temp.try($$SELECT showroom.route_plan(NULL, 0, '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', 30)$$);
SELECT 'length mismatch' AS "case",
       pg_temp.try($$SELECT showroom.route_plan(0, 0, '{1,2}', '{1}', '{1}', '{1}', '{NULL}', '{NULL}', '{0}', '{0}', '{}', '{}', '{}', '{}', '{}', 30)$$);
SELECT 'null volume' AS "case",
       pg_temp.try($$SELECT showroom.route_plan(0, 0, '{1}', '{1}', '{NULL}', '{1}', '{NULL}', '{NULL}', '{0}', '{0}', '{}', '{}', '{}', '{}', '{}', 30)$$);
SELECT 'swapped lon/lat' AS "case",
       pg_temp.try($$SELECT showroom.route_plan(0, 0, '{37.86}', '{113.58}', '{1}', '{1}', '{NULL}', '{NULL}', '{0}', '{0}', '{}', '{}', '{}', '{}', '{}', 30)$$);
SELECT 'NaN volume' AS "case",
       pg_temp.try($$SELECT showroom.route_plan(0, 0, '{1}', '{1}', '{NaN}', '{1}', '{NULL}', '{NULL}', '{0}', '{0}', '{}', '{}', '{}', '{}', '{}', 30)$$);
SELECT 'empty window' AS "case",
       pg_temp.try($$SELECT showroom.route_plan(0, 0, '{1}', '{1}', '{1}', '{1}', '{3600}', '{3600}', '{0}', '{0}', '{}', '{}', '{}', '{}', '{}', 30)$$);
SELECT 'time past midnight' AS "case",
       pg_temp.try($$SELECT showroom.route_plan(0, 0, '{1}', '{1}', '{1}', '{1}', '{NULL}', '{90000}', '{0}', '{0}', '{}', '{}', '{}', '{}', '{}', 30)$$);
SELECT 'zero capacity' AS "case",
       pg_temp.try($$SELECT showroom.route_plan(0, 0, '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{0}', '{1}', '{0}', '{3600}', '{false}', 30)$$);
SELECT 'zero speed' AS "case",
       pg_temp.try($$SELECT showroom.route_plan(0, 0, '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', 0)$$);
SELECT 'two dimensions' AS "case",
       pg_temp.try($$SELECT showroom.route_plan(0, 0, '{{1}}', '{{1}}', '{1}', '{1}', '{NULL}', '{NULL}', '{0}', '{0}', '{}', '{}', '{}', '{}', '{}', 30)$$);
SELECT 'no vehicle' AS "case", p.delivery, p.vehicle, p.reason
  FROM showroom.route_plan(0, 0, '{0.01}', '{0}', '{1}', '{1}', '{NULL}', '{NULL}', '{0}', '{0}',
                           '{}', '{}', '{}', '{}', '{}', 30) p;

-- A day with deliveries but no vehicle free: each is pending, no_vehicle.
-- (The order is inserted directly: the stock room's sell() is elsewhere.)
INSERT INTO showroom.store (code, name, location, home_dc_id)
VALUES ('S1', 'Chengqu store', 'SRID=4326;POINT(113.60 37.85)', 1);
INSERT INTO showroom.sku (code, name, category, list_price_fen, volume_l, weight_kg)
VALUES ('TV', 'TV 55', 'television', 400000, 150, 20);
INSERT INTO showroom.sales_order (store_id, dc_id, delivery_point, delivery_date, state)
VALUES (1, 1, 'SRID=4326;POINT(113.61 37.87)', '2026-05-01', 'picked');
INSERT INTO showroom.sales_line (order_id, line_no, sku_id, qty, unit_price_fen)
VALUES (1, 1, 1, 1, 400000);
SELECT showroom.set_vehicle_active(1, false);
SELECT 'no vehicle free' AS "case", p.* FROM showroom.plan_runs(1, '2026-05-01') p;
SELECT 'pending' AS "case", order_id, reason, detail FROM showroom.run_pending;
SELECT 'no run written' AS "case", count(*) AS runs FROM showroom.delivery_run;
