-- settlement_setup.sql: the world for bench/settlement.sh.  200 outlets,
-- 4 DCs, 10,000 delivered sales orders of one line each, fee rules for
-- every kind and category, a priced part, and the rows the other
-- components settle that do not depend on the number of orders: 1,000
-- defects found at delivery (a third each the outlet's, the supplier's
-- and the DC's fault), 2,000 COD collections and 200 remittances.
-- Service orders, with their part uses, complaints and late jobs, are
-- added by settlement_orders.sql.  Rows are inserted directly, as
-- superuser, with the workflow's, parts' and stock rooms' own columns.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS showroom CASCADE;

INSERT INTO showroom.dc (code, name, location)
SELECT 'DC' || i, 'DC ' || i, ST_SetSRID(ST_MakePoint(113.0 + i * 0.2, 37.5 + i * 0.1), 4326)
  FROM generate_series(1, 4) i;
INSERT INTO showroom.store (code, name, location, home_dc_id)
VALUES ('S1', 'Store 1', ST_SetSRID(ST_MakePoint(113.5, 37.8), 4326), 1);
INSERT INTO showroom.outlet (code, name, base)
SELECT 'O' || i, 'Outlet ' || i,
       ST_SetSRID(ST_MakePoint(113.0 + (i % 20) * 0.05, 37.5 + (i / 20) * 0.05), 4326)
  FROM generate_series(1, 200) i;
INSERT INTO showroom.sku (code, name, category, list_price_fen)
VALUES ('AC-1', 'air conditioner', 'air_conditioner', 300000);
INSERT INTO showroom.sales_order (store_id, dc_id, delivery_point, cod_fen, state)
SELECT 1, 1 + i % 4, ST_SetSRID(ST_MakePoint(113.0 + random(), 37.5 + random() * 0.6), 4326),
       CASE WHEN i % 5 = 0 THEN 300000 ELSE 0 END, 'delivered'
  FROM generate_series(1, 10000) i;
INSERT INTO showroom.sales_line (order_id, line_no, sku_id, qty, unit_price_fen)
SELECT id, 1, 1, 1, 300000 FROM showroom.sales_order;
SELECT count(*) FROM (
  SELECT showroom.add_fee_rule(k.code, c.code, '2026-01-01', NULL,
           '0-5km: 30.00; 5-20km: 45.00; 20-50km: 60.00 + 0.80/km; 50km+: 90.00 + 1.50/km')
    FROM showroom.service_kind k CROSS JOIN showroom.category c) AS r;
SELECT showroom.set_part_price(showroom.add_part('CU-6', 'copper pipe 6 mm', 'metre'),
                               1850, '2026-01-01');

-- Defects found at the first delivery of 1,000 orders, each with its
-- second delivery, in March (Shanghai): the outlet's fault for one in
-- three, named with the outlet that delivered.
INSERT INTO showroom.delivery (sales_order_id, attempt, previous_id, reason, shipped_at)
SELECT id, 1, NULL, 'sale', timestamptz '2026-03-02 01:00Z' + (id % 28) * interval '1 day'
  FROM showroom.sales_order WHERE id <= 1000;
INSERT INTO showroom.delivery (sales_order_id, attempt, previous_id, reason)
SELECT d.sales_order_id, 2, d.id, 'replacement of a defective unit'
  FROM showroom.delivery d WHERE d.attempt = 1;
INSERT INTO showroom.defect (sales_order_id, sales_line_id, sku_id, dc_id, qty, responsible,
                             outlet_id, delivery_id, redelivery_id, note, found_at)
SELECT o.id, l.id, 1, o.dc_id, 1,
       (ARRAY['outlet', 'supplier', 'dc'])[1 + o.id % 3],
       CASE WHEN o.id % 3 = 0 THEN 1 + o.id % 200 END,
       d1.id, d2.id, 'dented', d1.shipped_at + interval '2 hours'
  FROM showroom.sales_order o
  JOIN showroom.sales_line l ON l.order_id = o.id
  JOIN showroom.delivery d1 ON d1.sales_order_id = o.id AND d1.attempt = 1
  JOIN showroom.delivery d2 ON d2.sales_order_id = o.id AND d2.attempt = 2;

-- COD collected for 2,000 orders in March, ten remittances per outlet.
INSERT INTO showroom.cod_collection (sales_order_id, outlet_id, amount_fen, method,
                                     collected_by, collected_at)
SELECT id, 1 + id % 200, cod_fen, 'cash', 'crew',
       timestamptz '2026-03-02 03:00Z' + (id % 28) * interval '1 day'
  FROM showroom.sales_order WHERE cod_fen > 0;
INSERT INTO showroom.cod_remittance (outlet_id, amount_fen, reference, remitted_at)
SELECT 1 + i % 200, 250000, 'R' || i, timestamptz '2026-03-20 02:00Z'
  FROM generate_series(1, 2000) i;

-- The baseline's table: the shape and indexes of statement_line, without
-- its triggers and foreign keys; and the amounts, precomputed.
CREATE SCHEMA bench;
CREATE TABLE bench.line_copy (LIKE showroom.statement_line INCLUDING DEFAULTS INCLUDING INDEXES);
CREATE TABLE bench.memory (step text, vmhwm_kb bigint, rss_shmem_kb bigint);
