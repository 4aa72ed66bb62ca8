-- reports_service: the reports of outlets, dispatch and settlement
-- (outlet_load_week, unserved_orders, dispatch_backlog,
-- outlet_performance, statement_report) on small known data.  The
-- service orders refer to April's sales orders and deliveries, which
-- sql/reports.sql describes; here they are only the rows referred to.
-- Rows are written straight into the tables (as superuser), with chosen
-- timestamps, so that each figure can be worked out by hand; the comments
-- say why each expected value is right.  The business time zone is
-- Asia/Shanghai (UTC+8, no daylight saving).
\i test/helpers.sql
\pset null '(null)'
SET datestyle = 'ISO, YMD';

-- Two DCs, three stores (S1 and S2 on DC1, S3 on DC2), three SKUs.
INSERT INTO showroom.dc (code, name, location) VALUES
  ('D1', 'first DC', 'SRID=4326;POINT(113.58 37.86)'),
  ('D2', 'second DC', 'SRID=4326;POINT(112.55 37.87)');
INSERT INTO showroom.store (code, name, location, home_dc_id) VALUES
  ('S1', 'store one', 'SRID=4326;POINT(113.60 37.85)', 1),
  ('S2', 'store two', 'SRID=4326;POINT(113.61 37.86)', 1),
  ('S3', 'store three', 'SRID=4326;POINT(112.56 37.86)', 2);
INSERT INTO showroom.sku (code, name, category, list_price_fen) VALUES
  ('AC', 'split AC', 'air_conditioner', 300000),
  ('TV', 'television', 'television', 199900),
  ('FR', 'refrigerator', 'refrigerator', 259900);

--
-- Sales of April 2026 (orders 1-5), all from DC1.
--
INSERT INTO showroom.sales_order (store_id, dc_id, delivery_point, created_at, state) VALUES
  (1, 1, 'SRID=4326;POINT(113.61 37.84)', '2026-04-02 10:00+08', 'delivered'),
  (1, 1, 'SRID=4326;POINT(113.61 37.84)', '2026-04-02 15:00+08', 'cancelled'),
  (1, 1, 'SRID=4326;POINT(113.61 37.84)', '2026-04-03 23:30+00', 'delivered'),
  (2, 1, 'SRID=4326;POINT(113.61 37.84)', '2026-04-04 09:00+08', 'allocated'),
  (2, 1, 'SRID=4326;POINT(113.61 37.84)', '2026-04-10 09:00+08', 'allocated');
INSERT INTO showroom.sales_line (order_id, line_no, sku_id, qty, unit_price_fen,
                                 delivered_qty, cancelled_qty, returned_qty) VALUES
  (1, 1, 1, 2, 300000, 2, 0, 0),
  (1, 2, 2, 1, 199900, 1, 0, 0),
  (2, 1, 1, 1, 290000, 0, 1, 0),
  (3, 1, 1, 3, 300000, 3, 0, 1),
  (4, 1, 1, 1, 300000, 0, 0, 0),
  (5, 1, 1, 4, 280000, 0, 1, 0);

-- April's deliveries: order 1 on 3 April; order 3 on 5 April, where the
-- outlet O1 was found responsible for a defect, and again on 6 April.
INSERT INTO showroom.delivery (sales_order_id, attempt, previous_id, reason, created_at, shipped_at) VALUES
  (1, 1, NULL, 'sale', '2026-04-03 07:00+08', '2026-04-03 08:00+08'),
  (3, 1, NULL, 'sale', '2026-04-05 07:00+08', '2026-04-05 08:00+08'),
  (3, 2, 2, 'defect', '2026-04-05 12:00+08', '2026-04-06 08:00+08');

--
-- Outlets: O1 (5 jobs a day, 8 tomorrow and none on day 3 by override), O2 (3 a day,
-- suspended), O3 inactive (left out).  Booked: O1 2 today and 8
-- tomorrow, O2 4 the day after tomorrow (overbooked).  A limit for one
-- kind does not change the total.
--
INSERT INTO showroom.outlet (code, name, base, daily_capacity, active, suspended_reason, suspended_at) VALUES
  ('O1', 'outlet one', 'SRID=4326;POINT(113.59 37.87)', 5, true, NULL, NULL),
  ('O2', 'outlet two', 'SRID=4326;POINT(113.60 37.88)', 3, true, 'test', now()),
  ('O3', 'outlet three', 'SRID=4326;POINT(113.61 37.89)', 9, false, NULL, NULL);
INSERT INTO showroom.outlet_capacity (outlet_id, kind, day, jobs) VALUES
  (1, NULL, (now() AT TIME ZONE 'Asia/Shanghai')::date + 1, 8),
  (1, NULL, (now() AT TIME ZONE 'Asia/Shanghai')::date + 3, 0),
  (1, 'repair', NULL, 1);
INSERT INTO showroom.outlet_load (outlet_id, day, booked) VALUES
  (1, (now() AT TIME ZONE 'Asia/Shanghai')::date, 2),
  (1, (now() AT TIME ZONE 'Asia/Shanghai')::date + 1, 8),
  (2, (now() AT TIME ZONE 'Asia/Shanghai')::date + 2, 4);
-- O1: today 5 - 2 = 3 free (0.400), tomorrow 8 - 8 = 0 (1.000), closed
-- on day 3 (capacity 0: load rate NULL), else 5 free; O2: 3 a day, 4 booked on day 2 leaves 0 free (not
-- -1) at 4 / 3 = 1.333; O2 is not dispatchable.  8 days each.
SELECT outlet_code, days_ahead,
       day = (now() AT TIME ZONE 'Asia/Shanghai')::date + days_ahead AS day_right,
       capacity, booked, free, load_rate, dispatchable
  FROM showroom.outlet_load_week ORDER BY 1, 2;

--
-- Service orders.  Waiting for an outlet: 1 (installation, 3 days old,
-- past its 48 hours; dispatch found every outlet full), 2 (repair, 2
-- days old, within 72 hours; never tried), 3 (installation, 1 day old;
-- outside every area).  Done by O1: 4 and 5 (installations of April), 6
-- (an installation done at 18:00 UTC on 30 April, which is May in
-- Shanghai), 7 (a delivery); 8 repeats 5 and is with O2.
--
INSERT INTO showroom.service_order (kind, category, point, service_date, state, outlet_id,
                                    created_at, done_at, previous_id, sales_order_id) VALUES
  ('installation', 'air_conditioner', 'SRID=4326;POINT(113.61 37.84)', '2026-05-10', 'requested', NULL,
   now() - interval '3 days', NULL, NULL, NULL),
  ('repair', 'television', 'SRID=4326;POINT(113.61 37.84)', '2026-05-10', 'requested', NULL,
   now() - interval '2 days', NULL, NULL, NULL),
  ('installation', 'air_conditioner', 'SRID=4326;POINT(113.61 37.84)', '2026-05-10', 'requested', NULL,
   now() - interval '1 day', NULL, NULL, NULL),
  ('installation', 'air_conditioner', 'SRID=4326;POINT(113.61 37.84)', '2026-04-02', 'closed', 1,
   '2026-04-01 09:00+08', '2026-04-02 09:00+08', NULL, 1),
  ('installation', 'air_conditioner', 'SRID=4326;POINT(113.61 37.84)', '2026-04-02', 'done', 1,
   '2026-04-01 09:00+08', '2026-04-05 09:00+08', NULL, 3),
  ('installation', 'air_conditioner', 'SRID=4326;POINT(113.61 37.84)', '2026-04-11', 'closed', 1,
   '2026-04-10 09:00+08', '2026-04-30 18:00+00', NULL, NULL),
  ('delivery', 'air_conditioner', 'SRID=4326;POINT(113.61 37.84)', '2026-04-02', 'closed', 1,
   '2026-04-02 09:00+08', '2026-04-03 09:00+08', NULL, 1),
  ('installation', 'air_conditioner', 'SRID=4326;POINT(113.61 37.84)', '2026-04-07', 'dispatched', 2,
   '2026-04-06 09:00+08', NULL, 5, 3);
INSERT INTO showroom.dispatch_pending (service_order_id, reason) VALUES (1, 'full'), (3, 'outside area');

-- unserved_orders: 1 waited 3 days and is overdue (72 h > 48 h), 2 waited
-- 2 days (48 h < 72 h), 3 waited 1 day (24 h < 48 h).
SELECT service_order_id, kind, origin, service_date,
       (now() AT TIME ZONE 'Asia/Shanghai')::date - requested_on AS requested_days_ago,
       waiting_days, overdue, reason, checked_at IS NOT NULL AS tried
  FROM showroom.unserved_orders ORDER BY 1;
-- dispatch_backlog: on 10 May, 2 installations wait (1 overdue, 1 full, 1
-- outside area, oldest 3 days ago) and 1 repair (never tried).
SELECT service_date, kind, waiting, overdue,
       (now() AT TIME ZONE 'Asia/Shanghai')::date - oldest_request AS oldest_days_ago,
       not_tried, outside_area, no_capability, inactive, suspended, fully_booked
  FROM showroom.dispatch_backlog ORDER BY 1, 2;

-- Return visits, complaints and the defect of delivery 2.
INSERT INTO showroom.return_visit (order_id, outlet_id, kind, score, visited_at) VALUES
  (4, 1, 'installation', 5, '2026-04-03 10:00+08'),
  (5, 1, 'installation', 2, '2026-04-06 10:00+08'),
  (8, 2, 'installation', 4, '2026-04-08 10:00+08');
INSERT INTO showroom.complaint (order_id, outlet_id, code, state, resolution, opened_at, resolved_at) VALUES
  (5, 1, 'feedback.poor_work', 'upheld', 'redone', '2026-04-07 10:00+08', '2026-04-08 10:00+08'),
  (4, 1, 'feedback.late', 'rejected', 'on time', '2026-04-08 10:00+08', '2026-04-09 10:00+08');
INSERT INTO showroom.defect (sales_order_id, sales_line_id, sku_id, dc_id, qty, responsible,
                             outlet_id, delivery_id, redelivery_id, found_at) VALUES
  (3, 4, 1, 1, 1, 'outlet', 1, 2, 3, '2026-04-05 10:00+08');

-- outlet_performance.
--  O1 delivery April: order 7, done 24 h after the request (on time),
--     not repeated; the defect of delivery 2 is O1's: 1 second delivery.
--  O1 installation April: orders 4 (24 h, on time) and 5 (96 h, late);
--     5 is repeated by 8, so 1 first-time fix of 2; visits scored 5 and
--     2: 3.50; complaints: 1 upheld (the rejected one does not count),
--     1 / 2 = 0.500.
--  O1 installation May: order 6, done 1 May local time, 20 days after
--     the request (late), not repeated.
--  O2 installation April: order 8 is not done, so no job and the rates
--     are NULL; its one return visit scored 4.
SELECT outlet_code, kind, month, jobs_done, on_time, on_time_rate, first_time_fix,
       first_time_fix_rate, visits, satisfaction, complaints, complaint_rate,
       second_deliveries_caused
  FROM showroom.outlet_performance ORDER BY 1, 2, 3;

-- Statements of April: O1 with seven lines, O2 with none.
INSERT INTO showroom.statement (outlet_id, period) VALUES (1, '2026-04-01'), (2, '2026-04-01');
INSERT INTO showroom.statement_line (statement_id, component, source_id, amount_fen) VALUES
  (1, 'service_fee', 4, 5000), (1, 'service_fee', 7, 7550), (1, 'parts', 1, 1234),
  (1, 'complaint_penalty', 1, -2000), (1, 'late_penalty', 5, -500),
  (1, 'cod_collected', 1, -300000), (1, 'cod_remitted', 1, 200000);
-- O1: fees 50.00 + 75.50 = 125.50, parts 12.34, penalties -20.00 - 5.00 =
-- -25.00, COD collected -3000.00 and remitted 2000.00; total 125.50 +
-- 12.34 - 25.00 - 3000.00 + 2000.00 = -887.16 (the outlet owes).  O2:
-- no line, every figure 0.00.
SELECT outlet_code, period, state, lines, service_fees, parts, penalties, cod_collected,
       cod_remitted, adjustments, total
  FROM showroom.statement_report ORDER BY 1;
