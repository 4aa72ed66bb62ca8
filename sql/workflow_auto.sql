-- workflow_auto: service orders created from the stock ledger: one
-- installation order per delivered unit of a SKU that needs installation,
-- a second delivery linked to the first after a defect; replays create
-- nothing new.  The stock ledger belongs to the stock room; here the
-- creation functions are called directly, and the trigger function is
-- tried on a scratch table of the ledger's shape.
\i test/helpers.sql

INSERT INTO showroom.dc (code, name, location)
VALUES ('wf-dc', 'Yangquan DC', ST_SetSRID(ST_MakePoint(113.56, 37.86), 4326));
INSERT INTO showroom.store (code, name, location, home_dc_id)
VALUES ('wf-st', 'Store one', ST_SetSRID(ST_MakePoint(113.58, 37.86), 4326), 1);
INSERT INTO showroom.sku (code, name, category, needs_install, list_price_fen) VALUES
  ('wf-ac', 'split air conditioner', 'air_conditioner', true, 299900),
  ('wf-tv', 'television 55 inch', 'television', false, 399900);
INSERT INTO showroom.sales_order (store_id, dc_id, customer_name, customer_phone, address,
                                  delivery_point, delivery_date)
VALUES (1, 1, 'Zhao Min', '13900000002', 'Kuangqu 7',
        ST_SetSRID(ST_MakePoint(113.55, 37.87), 4326), '2026-12-05');
INSERT INTO showroom.sales_line (order_id, line_no, sku_id, qty, unit_price_fen)
VALUES (1, 1, 1, 3, 299900), (1, 2, 2, 1, 399900);

-- Two of the three air conditioners delivered by movement 501: two
-- installation orders, units 1 and 2, at the customer's point, on the
-- business day of the delivery (17:00 UTC is already the next day in
-- Shanghai).
SELECT 'installations' AS "case",
       array_agg(x) AS ids
  FROM showroom.create_installation_orders(1, 2, 501, '2026-12-05 17:00:00+00') x;
SELECT id, kind, category, origin, sales_order_id, sales_line_id, source_movement_id,
       unit_no, sku_id, customer_name, ST_AsText(point), service_date, state
  FROM showroom.service_order ORDER BY id;

-- A replay of 501 adds nothing; movement 502 delivers the third unit; a
-- fourth unit (more than sold) creates nothing; the television needs no
-- installation.
SELECT 'replay' AS "case", count(*) FROM showroom.create_installation_orders(1, 2, 501);
SELECT 'third unit' AS "case", count(*) FROM showroom.create_installation_orders(1, 1, 502);
SELECT 'beyond qty' AS "case", count(*) FROM showroom.create_installation_orders(1, 1, 503);
SELECT 'no install' AS "case", count(*) FROM showroom.create_installation_orders(2, 1, 504);
-- A cancelled installation frees its unit for a later delivery.
SELECT (showroom.move_order(3, 'cancelled', 'cancel.customer')).to_state;
SELECT 'after cancel' AS "case", count(*) FROM showroom.create_installation_orders(1, 1, 505);
SELECT 'installation orders' AS "case", source_movement_id, unit_no, state
  FROM showroom.service_order WHERE kind = 'installation' ORDER BY id;

-- Bad calls.
SELECT 'unknown line' AS "case", pg_temp.try($$SELECT showroom.create_installation_orders(999, 1, 600)$$);
SELECT 'zero units' AS "case", pg_temp.try($$SELECT showroom.create_installation_orders(1, 0, 600)$$);
SELECT 'null movement' AS "case", pg_temp.try($$SELECT showroom.create_installation_orders(1, 1, NULL)$$);
SELECT 'negative units' AS "case", pg_temp.try($$SELECT showroom.create_second_delivery(2, -1, 600)$$);
SELECT 'unknown line' AS "case", pg_temp.try($$SELECT showroom.create_second_delivery(999, 1, 600)$$);
SELECT 'after bad calls' AS "case", count(*) FROM showroom.service_order;

-- A delivery order of the television (as dispatch would have had it),
-- then the unit is found defective: the second delivery points back to it.
INSERT INTO showroom.service_order (kind, category, sales_order_id, sales_line_id, sku_id,
                                    point, service_date)
SELECT 'delivery', 'television', 1, 2, 2, delivery_point, '2026-12-05'
  FROM showroom.sales_order WHERE id = 1;
SELECT 'second delivery' AS "case", array_agg(x) AS ids
  FROM showroom.create_second_delivery(2, 1, 601, '2026-12-06 02:00:00+00') x;
SELECT 'linked' AS "case", o.id, o.kind, o.origin, o.previous_id = p.id AS to_first,
       p.origin AS first_origin, o.service_date, o.state
  FROM showroom.service_order o JOIN showroom.service_order p ON p.id = o.previous_id
 WHERE o.origin = 'defect_redelivery';
SELECT 'replay' AS "case", count(*) FROM showroom.create_second_delivery(2, 1, 601);
-- Without an earlier delivery order the second delivery has no link.
SELECT 'no first' AS "case", count(*) FROM showroom.create_second_delivery(1, 1, 602);
SELECT 'unlinked' AS "case", kind, previous_id FROM showroom.service_order
 WHERE source_movement_id = 602;

-- The trigger function on a scratch table shaped like the stock ledger
-- (the stock room's real table gets the same trigger when both rooms are
-- installed together): a delivery and a defect of sales lines create
-- orders; a receipt, and a delivery without a sales line, do not.
CREATE TEMP TABLE fake_movement (
  id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(),
  dc_id bigint, sku_id bigint, kind text, qty integer,
  sales_order_id bigint, sales_line_id bigint);
CREATE TRIGGER fake_movement_orders AFTER INSERT ON fake_movement
  FOR EACH ROW EXECUTE FUNCTION showroom.orders_from_stock_movement();
SELECT 'before trigger' AS "case", count(*) FROM showroom.service_order;
INSERT INTO fake_movement (id, dc_id, sku_id, kind, qty, sales_order_id, sales_line_id) VALUES
  (701, 1, 1, 'receipt', 10, NULL, NULL),
  (702, 1, 1, 'delivery', 2, NULL, NULL),
  (703, 1, 2, 'delivery', 1, 1, 2),
  (704, 1, 2, 'defective', 1, 1, 2);
SELECT 'from trigger' AS "case", id, kind, origin, source_movement_id, unit_no, previous_id
  FROM showroom.service_order WHERE source_movement_id > 700 ORDER BY id;
-- A new sale of two air conditioners, delivered: two installations.
INSERT INTO showroom.sales_line (order_id, line_no, sku_id, qty, unit_price_fen)
VALUES (1, 3, 1, 2, 299900);
INSERT INTO fake_movement (id, dc_id, sku_id, kind, qty, sales_order_id, sales_line_id)
VALUES (705, 1, 1, 'delivery', 2, 1, 3);
SELECT 'installs from trigger' AS "case", kind, source_movement_id, unit_no
  FROM showroom.service_order WHERE source_movement_id = 705 ORDER BY id;

-- Where the stock ledger exists, the trigger is attached to it (true
-- both when this room is built alone and when the stock room is in).
SELECT 'attached' AS "case",
       to_regclass('showroom.stock_movement') IS NULL
       OR EXISTS (SELECT 1 FROM pg_trigger
                   WHERE tgrelid = to_regclass('showroom.stock_movement')
                     AND tgname = 'stock_movement_service_orders') AS ok;

-- The orders created here carry no trail yet (creation is not a move).
SELECT 'trail rows' AS "case", count(*) FROM showroom.service_trail WHERE order_id <> 3;
