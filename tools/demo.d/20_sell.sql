-- a day of sales: 300 customers at random points inside the districts
\set QUIET on
-- Customers at points inside the real districts (seeded, so the same each
-- run), and three just outside the city, which no DC region covers.
CREATE TABLE demo.customer AS
SELECT row_number() OVER (ORDER BY x.code, p.path) AS n, x.code AS district,
       p.geom AS point
  FROM demo.district x,
       LATERAL ST_Dump(ST_GeneratePoints(x.geom, 60, 2026)) p;
INSERT INTO demo.customer
SELECT 1000 + i, 'outside', ST_SetSRID(ST_MakePoint(113.05 + i * 0.01, 37.55), 4326)
  FROM generate_series(1, 3) i;
-- Each customer buys one item at the store of their district.
CREATE TABLE demo.sale AS
SELECT c.n, showroom.sell(
         st.id, ST_X(c.point), ST_Y(c.point),
         ARRAY[(SELECT id FROM showroom.sku ORDER BY id OFFSET (c.n * 7) % 8 LIMIT 1)],
         ARRAY[1 + (c.n % 3 = 0)::int],
         external_ref => 'POS-' || c.n, customer_name => 'customer ' || c.n,
         delivery_date => DATE '2026-07-15',
         cod_fen => CASE WHEN c.n % 4 = 0 THEN 50000 ELSE 0 END) AS order_id
  FROM demo.customer c
  JOIN showroom.store st ON st.code = 'S-' || coalesce(nullif(c.district, 'outside'), '140302')
 ORDER BY c.n;
-- A key-account order: a hotel fits out 40 rooms, all or nothing.
INSERT INTO demo.sale
SELECT 2000, showroom.sell(st.id, 113.583, 37.861,
         ARRAY(SELECT id FROM showroom.sku WHERE code IN ('AC-15', 'TV-55', 'KT-1') ORDER BY id),
         ARRAY[40, 40, 40], external_ref => 'KA-HOTEL-1', channel => 'key_account',
         customer_name => 'Yangquan Grand Hotel', delivery_date => DATE '2026-07-15')
  FROM showroom.store st WHERE st.code = 'S-140302';
\set QUIET off
-- A replay of the same ERP order changes nothing and returns the same id.
SELECT showroom.sell(1, 113.583, 37.861, ARRAY[1::bigint], ARRAY[1],
                     external_ref => 'KA-HOTEL-1') = order_id AS replay_returns_same_order
  FROM demo.sale WHERE n = 2000;
-- An order beyond the stock fails whole, saying which line is short.
\echo
\echo 'Next, on purpose: an order for more than the DC holds.  It fails whole'
\echo '(SQLSTATE SR101), nothing is recorded, and the detail names the short line:'
\set ON_ERROR_STOP off
SELECT showroom.sell(1, 113.583, 37.861, ARRAY[1::bigint, 2], ARRAY[1, 100000]);
\set ON_ERROR_STOP on
\echo
SELECT st.name AS store, count(DISTINCT o.id) AS orders, sum(l.qty) AS units,
       showroom.fen_to_yuan(sum(l.qty * l.unit_price_fen)::bigint) AS sales_yuan
  FROM showroom.sales_order o
  JOIN showroom.store st ON st.id = o.store_id
  JOIN showroom.sales_line l ON l.order_id = o.id
 GROUP BY st.name ORDER BY st.name;
