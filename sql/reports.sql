-- reports: the monthly and daily reports of sales and stock movement
-- (sales_daily, deliveries_daily, inventory_turnover, central_whatif,
-- central_whatif_dc) on small known data.  Several timestamps are given
-- in UTC so that they fall on the next business day or month, to prove
-- that the views count in business dates.
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
