-- settlement_setup.sql: the world for bench/settlement.sh.  200 outlets,
-- 4 DCs, 10,000 sales orders, fee rules for every kind and category, and
-- the workflow stand-ins (completed_at, redo_cause, part_use, complaint)
-- until the workflow room provides them.  Orders are added by
-- settlement_orders.sql.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS showroom CASCADE;
ALTER TABLE showroom.service_order ADD COLUMN IF NOT EXISTS completed_at timestamptz;
ALTER TABLE showroom.service_order ADD COLUMN IF NOT EXISTS redo_cause text;
CREATE TABLE IF NOT EXISTS showroom.part_use (
  id bigserial PRIMARY KEY, service_order_id bigint NOT NULL,
  amount_fen bigint NOT NULL, used_on date NOT NULL, warranty boolean NOT NULL);
CREATE TABLE IF NOT EXISTS showroom.complaint (
  id bigserial PRIMARY KEY, service_order_id bigint NOT NULL,
  created_at timestamptz NOT NULL);

INSERT INTO showroom.dc (code, name, location)
SELECT 'DC' || i, 'DC ' || i, ST_SetSRID(ST_MakePoint(113.0 + i * 0.2, 37.5 + i * 0.1), 4326)
  FROM generate_series(1, 4) i;
INSERT INTO showroom.store (code, name, location, home_dc_id)
VALUES ('S1', 'Store 1', ST_SetSRID(ST_MakePoint(113.5, 37.8), 4326), 1);
INSERT INTO showroom.outlet (code, name, base)
SELECT 'O' || i, 'Outlet ' || i,
       ST_SetSRID(ST_MakePoint(113.0 + (i % 20) * 0.05, 37.5 + (i / 20) * 0.05), 4326)
  FROM generate_series(1, 200) i;
INSERT INTO showroom.sales_order (store_id, dc_id, delivery_point, cod_fen, state)
SELECT 1, 1 + i % 4, ST_SetSRID(ST_MakePoint(113.0 + random(), 37.5 + random() * 0.6), 4326),
       0, 'delivered'
  FROM generate_series(1, 10000) i;
SELECT count(*) FROM (
  SELECT showroom.add_fee_rule(k.code, c.code, '2026-01-01', NULL,
           '0-5km: 30.00; 5-20km: 45.00; 20-50km: 60.00 + 0.80/km; 50km+: 90.00 + 1.50/km')
    FROM showroom.service_kind k CROSS JOIN showroom.category c) AS r;

-- The baseline's table: the shape and indexes of statement_line, without
-- its triggers and foreign keys; and the amounts, precomputed.
CREATE SCHEMA bench;
CREATE TABLE bench.line_copy (LIKE showroom.statement_line INCLUDING DEFAULTS INCLUDING INDEXES);
CREATE TABLE bench.memory (step text, vmhwm_kb bigint, rss_shmem_kb bigint);
