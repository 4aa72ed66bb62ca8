-- decide bench setup: 20 outlets and 2,000 done repair jobs over five
-- districts of a 0.5-degree box, 20,000 complaints of the last 120 days
-- (typed in afterwards, so they raise nothing), three alert rules switched
-- off, and a day of 5,000 door visits of one DC in the stock ledger.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS showroom CASCADE;
CREATE EXTENSION showroom CASCADE;
SELECT setseed(0.42);

SELECT showroom.add_district('B' || i, 'bench district ' || i,
       ST_MakeEnvelope(113.3 + 0.1 * i, 37.6, 113.4 + 0.1 * i, 38.1, 4326))
  FROM generate_series(0, 4) i;
INSERT INTO showroom.outlet (code, name, base)
SELECT 'BO' || i, 'bench outlet ' || i, ST_SetSRID(ST_MakePoint(113.3 + i * 0.02, 37.8), 4326)
  FROM generate_series(1, 20) i;
INSERT INTO showroom.sku (code, name, category, list_price_fen, volume_l, weight_kg)
SELECT 'BS' || i, 'bench sku ' || i, 'air_conditioner', 299900, 300, 40
  FROM generate_series(1, 50) i;
INSERT INTO showroom.service_order (kind, category, sku_id, point, service_date, state, outlet_id)
SELECT 'repair', 'air_conditioner', 1 + i % 50,
       ST_SetSRID(ST_MakePoint(113.3 + random() * 0.5, 37.6 + random() * 0.5), 4326),
       '2026-06-01', 'done', 1 + i % 20
  FROM generate_series(1, 2000) i;
INSERT INTO showroom.complaint (order_id, outlet_id, code, opened_at)
SELECT o, 1 + o % 20, 'feedback.late', now() - random() * interval '120 days'
  FROM (SELECT 1 + (random() * 1999)::int AS o FROM generate_series(1, 20000)) x;
SELECT showroom.add_alert_rule('bench outlet', 'outlet', 7, 90, 3, 3, '{complaint}'),
       showroom.add_alert_rule('bench sku', 'sku', 7, 90, 3, 3),
       showroom.add_alert_rule('bench district', 'district', 7, 90, 3, 3);
UPDATE showroom.alert_rule SET active = false;

-- A DC with a day of 5,000 deliveries, one unit each, straight into the
-- ledger (as deliver() writes them).
INSERT INTO showroom.dc (code, name, location)
VALUES ('BDC', 'bench DC', 'SRID=4326;POINT(113.58 37.86)');
INSERT INTO showroom.store (code, name, location, home_dc_id)
VALUES ('BST', 'bench store', 'SRID=4326;POINT(113.6 37.85)', 1);
INSERT INTO showroom.sales_order (store_id, dc_id, delivery_point, delivery_date, state)
SELECT 1, 1, ST_SetSRID(ST_MakePoint(113.3 + random() * 0.5, 37.6 + random() * 0.5), 4326),
       '2026-06-01', 'delivered'
  FROM generate_series(1, 5000);
INSERT INTO showroom.stock_movement (at, dc_id, sku_id, kind, qty, d_on_hand, sales_order_id)
SELECT '2026-06-01 12:00+08', 1, 1 + o.id % 50, 'delivery', 1, -1, o.id
  FROM showroom.sales_order o;
ANALYZE;
