-- reports: every report view on small known data.  Rows are written
-- straight into the tables (as superuser), with chosen timestamps, so
-- that each figure can be worked out by hand; the comments say why each
-- expected value is right.  The business time zone is Asia/Shanghai
-- (UTC+8, no daylight saving); several timestamps are given in UTC so
-- that they fall on the next business day or month, to prove the views
-- count in business dates.  Views that depend on today are checked with
-- offsets from today, so the output does not change from day to day.
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

-- sales_daily.  Order 3 was recorded at 23:30 UTC on 3 April, which is
-- 07:30 on 4 April in Shanghai: it counts on the 4th.
--  S1 AC 04-02: orders 1 and 2; order 2 is wholly cancelled, so orders = 1,
--               units = 2 + (1 - 1) = 2, cancelled 1, amount 2 x 3000.00.
--  S1 TV 04-02: order 1's second line: 1 unit at 1999.00.
--  S1 AC 04-04: order 3: 3 units at 3000.00 = 9000.00, 1 returned.
--  S2 AC 04-04: order 4: 1 unit, 3000.00.
--  S2 AC 04-10: order 5: 4 - 1 cancelled = 3 units at 2800.00 = 8400.00.
SELECT store_code, category, day, orders, units, units_cancelled, units_returned, amount
  FROM showroom.sales_daily WHERE day < '2026-06-01' ORDER BY 1, 3, 2;
-- The views follow the setting: in UTC, order 3 falls on 3 April.
SELECT showroom.set_setting('business_time_zone', 'UTC');
SELECT 'in UTC' AS "case", store_code, day, units
  FROM showroom.sales_daily WHERE day < '2026-06-01' AND store_code = 'S1'
   AND category = 'air_conditioner' ORDER BY day;
SELECT showroom.set_setting('business_time_zone', NULL);

--
-- Deliveries and the ledger of April.  Order 1 went out on 3 April
-- (delivery 1).  Order 3 went out on 5 April (delivery 2): two units
-- handed over, one found defective at the door (the outlet O1 was
-- responsible); the replacement came on 6 April (delivery 3, attempt 2).
--
INSERT INTO showroom.delivery (sales_order_id, attempt, previous_id, reason, created_at, shipped_at) VALUES
  (1, 1, NULL, 'sale', '2026-04-03 07:00+08', '2026-04-03 08:00+08'),
  (3, 1, NULL, 'sale', '2026-04-05 07:00+08', '2026-04-05 08:00+08'),
  (3, 2, 2, 'defect', '2026-04-05 12:00+08', '2026-04-06 08:00+08');
INSERT INTO showroom.stock_movement (at, dc_id, sku_id, kind, qty, d_on_hand, d_defective,
                                     sales_order_id, delivery_id) VALUES
  ('2026-03-20 09:00+08', 1, 1, 'receipt', 10, 10, 0, NULL, NULL),
  ('2026-03-20 09:00+08', 1, 2, 'receipt', 2, 2, 0, NULL, NULL),
  ('2026-04-03 10:00+08', 1, 1, 'delivery', 2, -2, 0, 1, 1),
  ('2026-04-03 10:00+08', 1, 2, 'delivery', 1, -1, 0, 1, 1),
  ('2026-04-05 10:00+08', 1, 1, 'delivery', 2, -2, 0, 3, 2),
  ('2026-04-05 10:00+08', 1, 1, 'defective', 1, -1, 1, 3, 2),
  ('2026-04-06 10:00+08', 1, 1, 'delivery', 1, -1, 0, 3, 3),
  -- 17:00 UTC on 30 April is 01:00 on 1 May in Shanghai: a May receipt.
  ('2026-04-30 17:00+00', 1, 1, 'receipt', 5, 5, 0, NULL, NULL);

-- deliveries_daily: one row per DC, day and category.
--  04-03 AC: delivery 1, 2 units; 04-03 TV: the same trip, 1 unit.
--  04-05 AC: delivery 2, 2 units handed over and 1 defective.
--  04-06 AC: delivery 3, 1 unit; it repeats delivery 2, so it is a
--            second delivery.
SELECT dc_code, day, category, deliveries, units, second_deliveries, defective_units
  FROM showroom.deliveries_daily WHERE day < '2026-06-01' ORDER BY 2, 3;

-- inventory_turnover, DC1, March to May.
--  AC March: 0 -> 10 (receipt), average 5.0, nothing delivered: turnover
--            0.00, days of inventory NULL; 31 days.
--  AC April: 10 -> 10 - 2 - 2 - 1 - 1 = 4, average 7.0, 5 delivered
--            (2 + 2 + 1; the defective unit is not delivered): turnover
--            5 / 7 = 0.71, days of inventory 7.0 x 30 / 5 = 42.0.
--  AC May:   4 -> 9 (the receipt of 1 May local time), average 6.5,
--            turnover 0.00.
--  TV March: 0 -> 2, average 1.0; April: 2 -> 1, average 1.5, 1
--            delivered: turnover 1 / 1.5 = 0.67, 1.5 x 30 / 1 = 45.0
--            days; May: 1 -> 1, 0.00.
SELECT dc_code, category, month, days, opening_on_hand, closing_on_hand, avg_on_hand,
       units_delivered, turnover, days_of_inventory
  FROM showroom.inventory_turnover
 WHERE month BETWEEN '2026-03-01' AND '2026-05-01' ORDER BY 2, 3;
-- The grid runs to the current business month with no gap.
SELECT 'turnover months' AS "case", count(*) = (SELECT (extract(year FROM age(
         date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai'), '2026-03-01')) * 12
         + extract(month FROM age(date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai'),
                                  '2026-03-01')) + 1)::integer) AS one_row_per_month
  FROM showroom.inventory_turnover WHERE category = 'air_conditioner';

--
-- The what-if of April, with L = 4 days and z = 1.5, so that
-- z * sqrt(L) = 3.  April has N = 30 days.
--
SELECT showroom.set_setting('reports.whatif_lead_days', '4'),
       showroom.set_setting('reports.whatif_service_factor', '1.5');
-- Daily AC units sold (cancelled units left out; order 3 on the 4th):
--   S1: 2 on the 2nd, 3 on the 4th    sum 5, sum of squares 13
--   S2: 1 on the 4th, 3 on the 10th   sum 4, sum of squares 10
--   DC: 2, 4 (3 + 1), 3               sum 9, sum of squares 29
-- s = sqrt(sumsq / 30 - (sum / 30)^2):
--   S1: sqrt(0.43333 - 0.02778) = 0.63683
--   S2: sqrt(0.33333 - 0.01778) = 0.56174
--   DC: sqrt(0.96667 - 0.09000) = 0.93630
-- stock = ceil(4 x sum / 30 + 3 s), safety = ceil(3 s):
--   S1: ceil(0.66667 + 1.91049) = 3, safety ceil(1.91049) = 2
--   S2: ceil(0.53333 + 1.68522) = 3, safety ceil(1.68522) = 2
--   stores together: stock 6, safety 4
--   DC: ceil(1.20000 + 2.80890) = 5, safety ceil(2.80890) = 3
-- Orders with AC: 1, 3, 4, 5 (order 2 is cancelled) = 4 customer
-- deliveries; store-days selling AC: S1 on the 2nd and 4th, S2 on the
-- 4th and 10th = 4 restocks; the store model needs 4 + 4 = 8 trips.
-- TV: one unit at S1 on the 2nd: s = sqrt(1/30 - 1/900) = 0.17951,
-- stock ceil(0.13333 + 0.53852) = 1 and safety ceil(0.53852) = 1 in both
-- models; 1 order, 1 restock.
SELECT dc_code, sku_code, month, days, lead_days, service_factor, units_sold, stores_selling,
       customer_deliveries, store_restocks, deliveries_store_model, deliveries_central,
       safety_stock_stores, safety_stock_central, stock_store_model, stock_central
  FROM showroom.central_whatif WHERE month = '2026-04-01' ORDER BY 2;
-- Per DC: 10 units; orders 1, 3, 4, 5 = 4 customer deliveries; store-days
-- with a sale: S1 on the 2nd (AC and TV on one trip) and 4th, S2 on the
-- 4th and 10th = 4 restocks; stock 6 + 1 = 7 in stores against 5 + 1 = 6
-- in the DC, a saving of 1 - 6/7 = 0.143.  The DC really shipped 3 trips
-- in April (deliveries 1, 2 and 3), one of them a second delivery.
SELECT dc_code, month, units_sold, customer_deliveries, store_restocks,
       deliveries_store_model, deliveries_central, dc_trips_shipped,
       second_deliveries_shipped, stock_store_model, stock_central, stock_saved_rate
  FROM showroom.central_whatif_dc WHERE month = '2026-04-01';

--
-- Stock now.  Balances are set directly (the ledger rows above are for
-- the monthly views): DC1 AC in two slots, DC1 TV all allocated, DC2 AC.
--
INSERT INTO showroom.stock_balance (dc_id, sku_id, slot, on_hand, allocated, defective) VALUES
  (1, 1, 0, 10, 2, 1), (1, 1, 1, 5, 1, 0), (1, 2, 0, 4, 4, 0), (2, 1, 0, 6, 0, 0);
-- Recent sales (orders 6-9): AC at DC1 5 days ago (3 units, 1 cancelled),
-- AC at DC1 40 days ago (outside the 30 days), TV at DC1 yesterday (2
-- units, waiting for stock), a refrigerator at DC2 2 days ago.
INSERT INTO showroom.sales_order (store_id, dc_id, delivery_point, created_at, state) VALUES
  (1, 1, 'SRID=4326;POINT(113.61 37.84)', now() - interval '5 days', 'allocated'),
  (2, 1, 'SRID=4326;POINT(113.61 37.84)', now() - interval '40 days', 'delivered'),
  (1, 1, 'SRID=4326;POINT(113.61 37.84)', now() - interval '1 day', 'backordered'),
  (3, 2, 'SRID=4326;POINT(112.57 37.85)', now() - interval '2 days', 'backordered');
INSERT INTO showroom.sales_line (order_id, line_no, sku_id, qty, unit_price_fen, cancelled_qty) VALUES
  (6, 1, 1, 3, 300000, 1), (7, 1, 1, 5, 300000, 0), (8, 1, 2, 2, 199900, 0),
  (9, 1, 3, 1, 259900, 0);
INSERT INTO showroom.backorder (sales_line_id, sales_order_id, dc_id, sku_id, qty, waiting_qty) VALUES
  (9, 8, 1, 2, 2, 2), (10, 9, 2, 3, 1, 1);
-- Samples: S1 shows an AC (10 days) and a TV (2 days); S2 showed an AC
-- and sold it open-box 3 days ago, and asked for a new one; S3 asked 4
-- days ago for a refrigerator it never showed.
INSERT INTO showroom.sample (store_id, sku_id, serial, since, state, from_dc_id, ended_at) VALUES
  (1, 1, 'AC-1', now() - interval '10 days', 'on_display', 1, NULL),
  (1, 2, 'TV-1', now() - interval '2 days', 'on_display', 1, NULL),
  (2, 1, 'AC-2', now() - interval '30 days', 'sold', 1, now() - interval '3 days');
INSERT INTO showroom.sample_request (store_id, sku_id, dc_id, requested_at) VALUES
  (2, 1, 1, now() - interval '3 days'),
  (3, 3, 2, now() - interval '4 days');

-- stock_position.
--  D1 AC: on hand 10 + 5 = 15, allocated 2 + 1 = 3, available 12,
--         defective 1; sold in 30 days: order 6, 3 - 1 = 2 units (order 7
--         is 40 days old); cover 12 x 30 / 2 = 180.0 days; one sample on
--         show (S1; S2's was sold).
--  D1 TV: 4 on hand, all allocated: available 0; 2 units waiting; sold 2
--         (order 8), so cover 0.0 days; one sample (S1).
--  D2 AC: 6 available, nothing sold: cover NULL.
--  D2 FR: no balance row, but sold 1 (order 9) and 1 waiting: a row of
--         zeros with cover 0.0.
SELECT dc_code, sku_code, category, on_hand, allocated, available, defective, backordered,
       samples_on_display, sold_30d, days_of_cover
  FROM showroom.stock_position ORDER BY 1, 2;

-- store_display, with dates as offsets from today (business date).
--  S1 AC: 1 on show, placed 10 days ago; S1 TV: 1, 2 days ago.
--  S2 AC: none on show, its sample was sold 3 days ago: a gap of 3
--         days, 1 sold open-box, request 1 open.
--  S3 FR: never shown, asked 4 days ago: a gap of 4 days, request 2.
SELECT store_code, sku_code, on_display,
       (now() AT TIME ZONE 'Asia/Shanghai')::date - oldest_placed AS placed_days_ago,
       oldest_age_days, in_gap,
       (now() AT TIME ZONE 'Asia/Shanghai')::date - gap_since AS gap_began_days_ago,
       gap_days, sold_open_box, open_request_id
  FROM showroom.store_display ORDER BY 1, 2;

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

--
-- The contract: names and types of every report column, and no report
-- calls a function of ours (the reporting role could run none).
--
SELECT c.relname AS view, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod) AS type
  FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
 WHERE c.relnamespace = 'showroom'::regnamespace AND c.relkind = 'v'
   AND c.relname IN ('stock_position', 'store_display', 'inventory_turnover', 'sales_daily',
                     'deliveries_daily', 'outlet_load_week', 'unserved_orders',
                     'dispatch_backlog', 'outlet_performance', 'statement_report',
                     'central_whatif', 'central_whatif_dc')
 ORDER BY 1, 2;
SELECT 'view calls a function of ours' AS problem, c.relname, d.refobjid::regprocedure
  FROM pg_class c
  JOIN pg_rewrite r ON r.ev_class = c.oid
  JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
                  AND d.refclassid = 'pg_proc'::regclass
  JOIN pg_proc p ON p.oid = d.refobjid
 WHERE c.relnamespace = 'showroom'::regnamespace AND c.relkind IN ('v', 'm')
   AND p.pronamespace = 'showroom'::regnamespace
 ORDER BY 2;
-- Each my_ copy is its report's query, as a security_invoker view.
SELECT 'copy' AS "case", m.relname,
       m.reloptions @> '{security_invoker=true}' AS invoker,
       pg_get_viewdef(m.oid) = pg_get_viewdef(r.oid) AS same_query
  FROM pg_class m JOIN pg_class r ON 'my_' || r.relname = m.relname
 WHERE m.relnamespace = 'showroom'::regnamespace AND r.relnamespace = m.relnamespace
   AND m.relkind = 'v'
 ORDER BY 2;
