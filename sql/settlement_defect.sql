-- settlement_defect: a unit found defective at delivery, through the stock
-- room's own path (sell, pick, ship, report_defect), costs the second-
-- delivery penalty to the outlet named responsible, once, and costs
-- nothing to any outlet when the supplier or the DC is responsible.
\i test/helpers.sql

INSERT INTO showroom.dc (id, code, name, location)
VALUES (1, 'YQ', 'Yangquan DC', 'SRID=4326;POINT(113.58 37.86)');
INSERT INTO showroom.store (id, code, name, location, home_dc_id)
VALUES (1, 'S1', 'Store 1', 'SRID=4326;POINT(113.57 37.85)', 1);
INSERT INTO showroom.outlet (id, code, name, base) VALUES
  (1, 'A', 'Outlet A', 'SRID=4326;POINT(113.50 37.80)'),
  (2, 'B', 'Outlet B', 'SRID=4326;POINT(113.70 37.90)'),
  (3, 'C', 'Outlet C', 'SRID=4326;POINT(113.60 37.95)');
INSERT INTO showroom.sku (id, code, name, category, list_price_fen)
VALUES (1, 'TV1', 'television', 'television', 199900);
SELECT 'receipt' AS "case", showroom.receive_stock(1, 1, 10);

-- Three orders of one television each, picked and shipped; each unit is
-- found defective at the door.  Order 1: outlet A's crew dropped it.
-- Order 2: the supplier's fault.  Order 3: damaged in the DC.
SELECT 'sell' AS "case", showroom.sell(1, 113.6, 37.9, '{1}', '{1}') AS order_id
  FROM generate_series(1, 3);
SELECT 'ship' AS "case", o.id, showroom.pick_order(o.id) IS NOT NULL AS picked,
       showroom.ship_order(o.id) IS NOT NULL AS shipped
  FROM showroom.sales_order o ORDER BY o.id;
SELECT 'defect, outlet' AS "case", showroom.report_defect(l.id, 1, 'outlet', 1, 'dropped at the door')
  FROM showroom.sales_line l WHERE l.order_id = 1;
SELECT 'defect, supplier' AS "case", showroom.report_defect(l.id, 1, 'supplier', NULL, 'dead on arrival')
  FROM showroom.sales_line l WHERE l.order_id = 2;
SELECT 'defect, dc' AS "case", showroom.report_defect(l.id, 1, 'dc', NULL, 'forklift damage')
  FROM showroom.sales_line l WHERE l.order_id = 3;
SELECT 'defects' AS "case", d.id, d.sales_order_id, d.responsible, d.outlet_id,
       r.attempt AS redelivery_attempt
  FROM showroom.defect d JOIN showroom.delivery r ON r.id = d.redelivery_id ORDER BY d.id;

-- Settle the month the defects were found in (the business month of
-- now()): outlet A gets one penalty line, B and C none.
SELECT 'settle' AS "case", outlet_id, lines_added, total
  FROM showroom.settle(showroom.business_date(now())) ORDER BY outlet_id;
SELECT 'lines' AS "case", st.outlet_id, l.component, l.source_id, l.service_order_id,
       showroom.fen_to_yuan(l.amount_fen) AS amount, l.note
  FROM showroom.statement_line l JOIN showroom.statement st ON st.id = l.statement_id
 ORDER BY l.id;
SELECT 'penalty is the setting' AS "case",
       (SELECT -amount_fen FROM showroom.statement_line) =
       showroom.setting_value('settlement.second_delivery_penalty_fen')::bigint AS same;

-- Exactly once: a second run adds nothing.
SELECT 'second run' AS "case", sum(lines_added) AS added
  FROM showroom.settle(showroom.business_date(now()));
SELECT 'lines after two runs' AS "case", count(*) FROM showroom.statement_line;
