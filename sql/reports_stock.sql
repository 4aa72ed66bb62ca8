-- reports_stock: the reports of stock and samples as they are today
-- (stock_position, store_display), and the contract every report keeps:
-- its columns and types, no function of ours called, and the parties'
-- copies.  Views that depend on today are checked with offsets from
-- today, so the output does not change from day to day.
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
-- Stock now.  Balances are set directly: DC1 AC in two slots, DC1 TV all
-- allocated, DC2 AC.
--
INSERT INTO showroom.stock_balance (dc_id, sku_id, slot, on_hand, allocated, defective) VALUES
  (1, 1, 0, 10, 2, 1), (1, 1, 1, 5, 1, 0), (1, 2, 0, 4, 4, 0), (2, 1, 0, 6, 0, 0);
-- Recent sales (orders 1-4): AC at DC1 5 days ago (3 units, 1 cancelled),
-- AC at DC1 40 days ago (outside the 30 days), TV at DC1 yesterday (2
-- units, waiting for stock), a refrigerator at DC2 2 days ago.
INSERT INTO showroom.sales_order (store_id, dc_id, delivery_point, created_at, state) VALUES
  (1, 1, 'SRID=4326;POINT(113.61 37.84)', now() - interval '5 days', 'allocated'),
  (2, 1, 'SRID=4326;POINT(113.61 37.84)', now() - interval '40 days', 'delivered'),
  (1, 1, 'SRID=4326;POINT(113.61 37.84)', now() - interval '1 day', 'backordered'),
  (3, 2, 'SRID=4326;POINT(112.57 37.85)', now() - interval '2 days', 'backordered');
INSERT INTO showroom.sales_line (order_id, line_no, sku_id, qty, unit_price_fen, cancelled_qty) VALUES
  (1, 1, 1, 3, 300000, 1), (2, 1, 1, 5, 300000, 0), (3, 1, 2, 2, 199900, 0),
  (4, 1, 3, 1, 259900, 0);
INSERT INTO showroom.backorder (sales_line_id, sales_order_id, dc_id, sku_id, qty, waiting_qty) VALUES
  (3, 3, 1, 2, 2, 2), (4, 4, 2, 3, 1, 1);
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
--         defective 1; sold in 30 days: order 1, 3 - 1 = 2 units (order 2
--         is 40 days old); cover 12 x 30 / 2 = 180.0 days; one sample on
--         show (S1; S2's was sold).
--  D1 TV: 4 on hand, all allocated: available 0; 2 units waiting; sold 2
--         (order 3), so cover 0.0 days; one sample (S1).
--  D2 AC: 6 available, nothing sold: cover NULL.
--  D2 FR: no balance row, but sold 1 (order 4) and 1 waiting: a row of
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
