-- dispatch: the dispatcher's screen, automatic dispatch of one order by
-- the documented ranking, capacity, suspension, weights from settings,
-- manual assignment and reassignment moving the booking, and bad input.
\i test/helpers.sql

-- Four outlets share one square; A is the most satisfying, B sits at the
-- job, C has priority, D no longer works with the chain.
SELECT showroom.add_outlet('A', 'alpha', 113.30, 37.70, 0, 2),
       showroom.add_outlet('B', 'bravo', 113.50, 37.75, 0, 1),
       showroom.add_outlet('C', 'charlie', 113.10, 37.60, 1, 1),
       showroom.add_outlet('D', 'delta', 113.50, 37.70, 5, 9);
UPDATE showroom.outlet SET active = false WHERE code = 'D';
SELECT count(showroom.add_service_area(id, code, 'SRID=4326;POLYGON((113 37.5,114 37.5,114 38,113 38,113 37.5))'))
  FROM showroom.outlet;
SELECT count(showroom.set_capability(id, 'installation', 'air_conditioner', 4)) FROM showroom.outlet;
INSERT INTO showroom.outlet_satisfaction (outlet_id, kind, score, visits) VALUES
  (1, 'installation', 4.80, 40), (2, 'installation', 3.00, 12);
INSERT INTO showroom.service_order (kind, category, point, service_date)
SELECT 'installation', 'air_conditioner', 'SRID=4326;POINT(113.5 37.75)', '2026-06-01'
  FROM generate_series(1, 5);
INSERT INTO showroom.service_order (kind, category, point, service_date) VALUES
  ('installation', 'air_conditioner', 'SRID=4326;POINT(112.5 37.75)', '2026-06-01'),
  ('repair', 'television', 'SRID=4326;POINT(113.5 37.75)', '2026-06-01');

-- The screen for order 1.  C leads on priority alone; B beats A, its
-- 18.5 km nearer outweighing A's satisfaction; D is inactive.  Score =
-- 1.0 * (sat - 1) / 4 + 0.5 * (skill - 1) / 4 - 1.0 * load / capacity
-- - 0.05 * km; C has no visits, so a satisfaction of 3 is assumed.
SELECT 'screen' AS "case", outlet_code, covers, skill, capacity, load, satisfaction, priority,
       round(distance_m::numeric / 1000, 2) AS km, round(score::numeric, 4) AS score, rank, reason
  FROM showroom.candidates(1);
SELECT 'score of A by hand' AS "case",
       round((1.0 * (4.8 - 1) / 4 + 0.5 * 3 / 4 - 0
              - 0.05 * ST_Distance('SRID=4326;POINT(113.3 37.7)'::geography,
                                   'SRID=4326;POINT(113.5 37.75)'::geography) / 1000)::numeric, 4);

-- One at a time: C (priority), B, then A twice (capacity 2).
SELECT 'dispatch 1' AS "case", o.code FROM showroom.outlet o WHERE o.id = (SELECT showroom.dispatch(1));
SELECT 'dispatch 2' AS "case", o.code FROM showroom.outlet o WHERE o.id = (SELECT showroom.dispatch(2));
SELECT 'dispatch 3' AS "case", o.code FROM showroom.outlet o WHERE o.id = (SELECT showroom.dispatch(3));
SELECT 'dispatch 4' AS "case", o.code FROM showroom.outlet o WHERE o.id = (SELECT showroom.dispatch(4));
-- Every outlet is full or inactive now: order 5 stays unassigned, "full".
SELECT 'dispatch 5' AS "case", showroom.dispatch(5) AS outlet;
SELECT 'screen 5' AS "case", outlet_code, capacity, load, rank, reason FROM showroom.candidates(5);
-- Outside every area, and a kind nobody does.
SELECT 'dispatch 6' AS "case", showroom.dispatch(6) AS outlet;
SELECT 'dispatch 7' AS "case", showroom.dispatch(7) AS outlet;
SELECT 'unassigned' AS "case", service_order_id, reason, checked_at IS NOT NULL AS tried
  FROM showroom.unassigned_orders ORDER BY 2;

-- Loads equal bookings, and each assignment has its audit row.
SELECT 'loads' AS "case", o.code, l.booked,
       (SELECT count(*) FROM showroom.booking b WHERE b.outlet_id = l.outlet_id) AS bookings
  FROM showroom.outlet_load l JOIN showroom.outlet o ON o.id = l.outlet_id ORDER BY 2;
-- The log says why (rank, score, how many were eligible); who and when
-- are on the order's trail row, which it joins on (order, at).
SELECT 'log' AS "case", l.service_order_id, l.action, o.code, l.rank, l.eligible, l.reason,
       l.done_by, t.from_state || ' -> ' || t.to_state AS trail, t.db_role = current_user AS trail_by_me
  FROM showroom.dispatch_log l JOIN showroom.outlet o ON o.id = l.outlet_id
  LEFT JOIN showroom.service_trail t ON t.order_id = l.service_order_id AND t.at = l.at
 ORDER BY l.id;
SELECT 'states' AS "case", id, state, outlet_id FROM showroom.service_order ORDER BY id;

-- Capacity for one date and a kind's own limit: A gets 2 more jobs on
-- 1 June, but only 1 more of installation (limit 3 with 2 booked).
SELECT showroom.set_capacity(1, 4, '2026-06-01');
SELECT showroom.set_capacity(1, 3, NULL, 'installation');
SELECT 'dispatch 5 again' AS "case", o.code FROM showroom.outlet o WHERE o.id = (SELECT showroom.dispatch(5));
SELECT 'A on screen' AS "case", outlet_code, capacity, load, kind_limit, kind_load, reason
  FROM showroom.candidates(5) WHERE outlet_code = 'A';

-- Weights are settings: weighing satisfaction ten times puts A (4.8)
-- ahead of B (3.0); C stays first on priority.
INSERT INTO showroom.service_order (kind, category, point, service_date)
VALUES ('installation', 'air_conditioner', 'SRID=4326;POINT(113.5 37.75)', '2026-06-02');
SELECT 'default weights' AS "case", outlet_code, rank FROM showroom.candidates(8) WHERE rank IS NOT NULL;
SELECT showroom.set_setting('dispatch.weight_satisfaction', '10');
SELECT 'new weights' AS "case", outlet_code, rank FROM showroom.candidates(8) WHERE rank IS NOT NULL;
SELECT showroom.set_setting('dispatch.weight_satisfaction', NULL);

-- Suspension keeps an outlet off the screen's ranks with its reason.
SELECT showroom.suspend_outlet(3, 'late twice');
SELECT 'suspended C' AS "case", outlet_code, rank, reason FROM showroom.candidates(8) WHERE outlet_code = 'C';
SELECT 'dispatch 8' AS "case", o.code FROM showroom.outlet o WHERE o.id = (SELECT showroom.dispatch(8));

-- Manual assignment: order 6 (outside every area) to B on 1 June is
-- refused, B is full; to C refused, C is suspended; raise B's capacity and
-- it goes, with the reason logged.
SELECT 'assign full' AS "case", pg_temp.try($$SELECT showroom.assign(6, 2, 'customer knows them')$$);
SELECT 'assign suspended' AS "case", pg_temp.try($$SELECT showroom.assign(6, 3, 'customer knows them')$$);
SELECT 'assign inactive' AS "case", pg_temp.try($$SELECT showroom.assign(6, 4, 'customer knows them')$$);
SELECT showroom.set_capacity(2, 3);
SELECT 'assign' AS "case", showroom.assign(6, 2, 'customer knows them');

-- Reassignment moves the booking: order 3 from A to B.
SELECT 'before' AS "case", o.code, l.booked FROM showroom.outlet_load l
  JOIN showroom.outlet o ON o.id = l.outlet_id WHERE l.day = '2026-06-01' ORDER BY 2;
SELECT 'reassign' AS "case", showroom.reassign(3, 2, 'A''s crew is ill');
SELECT 'after' AS "case", o.code, l.booked FROM showroom.outlet_load l
  JOIN showroom.outlet o ON o.id = l.outlet_id WHERE l.day = '2026-06-01' ORDER BY 2;
SELECT 'booking 3' AS "case", outlet_id, day, kind FROM showroom.booking WHERE service_order_id = 3;
-- A move changes no state, so it has no trail row: its log row says who.
SELECT 'reassign log' AS "case", action, outlet_id, previous_outlet_id, reason,
       done_by = current_user::text AS by_me,
       (SELECT count(*) FROM showroom.service_trail t WHERE t.order_id = 3) AS trail_rows
  FROM showroom.dispatch_log WHERE service_order_id = 3 ORDER BY id;
-- B is full now (3 of 3): moving order 4 there fails and changes nothing.
SELECT 'reassign full' AS "case", pg_temp.try($$SELECT showroom.reassign(4, 2, 'try')$$);
SELECT 'order 4 stays' AS "case", outlet_id, (SELECT outlet_id FROM showroom.booking WHERE service_order_id = 4) AS booked_at
  FROM showroom.service_order WHERE id = 4;

-- Bad input; each leaves nothing behind.
SELECT count(*) AS log_rows_before FROM showroom.dispatch_log;
SELECT 'null order' AS "case", pg_temp.try($$SELECT showroom.dispatch(NULL)$$);
SELECT 'unknown order' AS "case", pg_temp.try($$SELECT showroom.dispatch(999)$$);
SELECT 'dispatched already' AS "case", pg_temp.try($$SELECT showroom.dispatch(1)$$);
SELECT 'screen unknown' AS "case", pg_temp.try($$SELECT * FROM showroom.candidates(999)$$);
SELECT 'screen bad kind' AS "case", pg_temp.try($$SELECT * FROM showroom.candidates('SRID=4326;POINT(113.5 37.7)'::geometry, 'painting', 'television', '2026-06-01')$$);
SELECT 'screen bad category' AS "case", pg_temp.try($$SELECT * FROM showroom.candidates('SRID=4326;POINT(113.5 37.7)'::geometry, 'repair', 'boat', '2026-06-01')$$);
SELECT 'screen null date' AS "case", pg_temp.try($$SELECT * FROM showroom.candidates('SRID=4326;POINT(113.5 37.7)'::geometry, 'repair', 'television', NULL)$$);
SELECT 'screen infinite day' AS "case", pg_temp.try($$SELECT * FROM showroom.candidates('SRID=4326;POINT(113.5 37.7)'::geometry, 'repair', 'television', 'infinity')$$);
SELECT 'screen year 3000' AS "case", pg_temp.try($$SELECT * FROM showroom.candidates('SRID=4326;POINT(113.5 37.7)'::geometry, 'repair', 'television', '3000-01-01')$$);
SELECT 'batch infinite day' AS "case", pg_temp.try($$SELECT * FROM showroom.dispatch_date('-infinity')$$);
-- (Only the message: the detail shows the row with its creation time.)
SELECT 'order on an infinite day' AS "case", split_part(pg_temp.try($$INSERT INTO showroom.service_order (kind, category, point, service_date) VALUES ('installation', 'air_conditioner', 'SRID=4326;POINT(113.5 37.75)', 'infinity')$$), ' | ', 1);
SELECT 'assign blank reason' AS "case", pg_temp.try($$SELECT showroom.assign(7, 1, ' ')$$);
SELECT 'assign null reason' AS "case", pg_temp.try($$SELECT showroom.assign(7, 1, NULL)$$);
SELECT 'assign unknown outlet' AS "case", pg_temp.try($$SELECT showroom.assign(7, 99, 'x')$$);
SELECT 'assign dispatched' AS "case", pg_temp.try($$SELECT showroom.assign(1, 1, 'x')$$);
SELECT 'reassign requested' AS "case", pg_temp.try($$SELECT showroom.reassign(7, 1, 'x')$$);
SELECT 'reassign same' AS "case", pg_temp.try($$SELECT showroom.reassign(1, 3, 'x')$$);
SELECT 'reassign null outlet' AS "case", pg_temp.try($$SELECT showroom.reassign(1, NULL, 'x')$$);
SELECT count(*) AS log_rows_after FROM showroom.dispatch_log;
SELECT 'loads still match' AS "case", bool_and(l.booked = (SELECT count(*) FROM showroom.booking b
                                                        WHERE b.outlet_id = l.outlet_id AND b.day = l.day))
  FROM showroom.outlet_load l;
