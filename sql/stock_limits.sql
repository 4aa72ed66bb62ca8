-- stock_limits: the bounds of sell(), receive_stock() and adjust_stock()
-- on money, array shapes, delivery dates, external references and stock
-- counts; each refused value gets its own SQLSTATE and nothing is written.
\i test/helpers.sql

INSERT INTO showroom.dc (code, name, location)
VALUES ('DC', 'Yangquan DC', 'SRID=4326;POINT(113.58 37.86)');
INSERT INTO showroom.store (code, name, location, home_dc_id)
VALUES ('S1', 'Store one', 'SRID=4326;POINT(113.6 37.85)', 1);
-- SKU 2 is priced at the most one unit may cost.
INSERT INTO showroom.sku (code, name, category, list_price_fen) VALUES
  ('AC1', 'air conditioner', 'air_conditioner', 299900),
  ('GOLD', 'gold-plated refrigerator', 'refrigerator', 99999999999999);
SELECT 'receipt' AS "case", showroom.receive_stock(1, 1, 100), showroom.receive_stock(1, 2, 10);

-- At the limits, a sale goes through: the dearest unit, cash on delivery
-- of the most fen, a 64-character reference, and delivery dates 365 days
-- back and 365 ahead of the business date.
SELECT 'dearest unit' AS "case",
       showroom.sell(1, 113.6, 37.9, '{2}', '{1}', cod_fen => 99999999999999) > 0 AS sold;
SELECT 'longest ref' AS "case",
       showroom.sell(1, 113.6, 37.9, '{1}', '{1}', external_ref => repeat('R', 64)) > 0 AS sold;
SELECT 'earliest date' AS "case",
       showroom.sell(1, 113.6, 37.9, '{1}', '{1}',
                     delivery_date => showroom.business_date(now()) - 365) > 0 AS sold;
SELECT 'latest date' AS "case",
       showroom.sell(1, 113.6, 37.9, '{1}', '{1}',
                     delivery_date => showroom.business_date(now()) + 365) > 0 AS sold;
-- A replay repeats the lines: with the price given, or at list price even
-- after the list price changed.
SELECT 'priced' AS "case", showroom.sell(1, 113.6, 37.9, '{1,1}', '{2,3}', '{250000,NULL}',
                                         external_ref => 'ERP-7');
UPDATE showroom.sku SET list_price_fen = 289900 WHERE id = 1;
SELECT 'replay' AS "case", showroom.sell(1, 113.6, 37.9, '{1,1}', '{2,3}', '{250000,NULL}',
                                         external_ref => 'ERP-7');
SELECT 'replay at list' AS "case", showroom.sell(1, 113.6, 37.9, '{1,1}', '{2,3}',
                                                 external_ref => 'ERP-7');

-- Every refusal below leaves the counts as they are.
CREATE TEMP TABLE before AS
SELECT (SELECT count(*) FROM showroom.sales_order) AS orders,
       (SELECT count(*) FROM showroom.sales_line) AS lines,
       (SELECT count(*) FROM showroom.stock_movement) AS movements,
       (SELECT sum(on_hand) FROM showroom.stock_balance) AS on_hand,
       (SELECT sum(allocated) FROM showroom.stock_balance) AS allocated,
       (SELECT sum(defective) FROM showroom.stock_balance) AS defective;

-- Money: a unit price, a line total, an order total or cash on delivery
-- past 99,999,999,999,999 fen (999,999,999,999.99 yuan).
SELECT 'price too high' AS "case", pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{1}', '{1}', '{100000000000000}')$$);
SELECT 'price at bigint max' AS "case", pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{1}', '{1}', '{9223372036854775807}')$$);
SELECT 'line total' AS "case", pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{1}', '{3}', '{50000000000000}')$$);
SELECT 'line total at list' AS "case", pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{2}', '{2}')$$);
SELECT 'line total overflows' AS "case", pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{1}', '{2000000000}', '{99999999999999}')$$);
SELECT 'order total' AS "case", pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{2,1}', '{1,1}', '{NULL,1}')$$);
SELECT 'cod too high' AS "case", pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{1}', '{1}', cod_fen => 100000000000000)$$);

-- Arrays: a two-dimensional array is not read as its elements in a row.
SELECT '2-D sku_ids' AS "case", pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{{1},{1}}', '{1,1}')$$);
SELECT '2-D qtys' AS "case", pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{1,1}', '{{1,1}}')$$);
SELECT '2-D prices' AS "case", pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{1}', '{1}', '{{100}}')$$);

-- External references: a reuse with other lines (another SKU, another
-- quantity, another price, another number of lines), a blank or an
-- over-long reference.
SELECT 'ref, other SKU' AS "case", pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{1,2}', '{2,3}', external_ref => 'ERP-7')$$);
SELECT 'ref, other qty' AS "case", pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{1,1}', '{2,4}', external_ref => 'ERP-7')$$);
SELECT 'ref, other price' AS "case", pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{1,1}', '{2,3}', '{250001,NULL}', external_ref => 'ERP-7')$$);
SELECT 'ref, fewer lines' AS "case", pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{1}', '{2}', external_ref => 'ERP-7')$$);
SELECT 'ref too long' AS "case", pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{1}', '{1}', external_ref => repeat('R', 65))$$);
SELECT 'ref of 3000' AS "case", pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{1}', '{1}', external_ref => repeat('番', 3000))$$);
SELECT 'ref blank' AS "case", pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{1}', '{1}', external_ref => '  ')$$);

-- Delivery dates outside the window; the dates in the detail change from
-- day to day, so they are masked.
SELECT 'date too early' AS "case", regexp_replace(pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{1}', '{1}', delivery_date => showroom.business_date(now()) - 366)$$), '\d{4}-\d\d-\d\d', 'YYYY-MM-DD', 'g');
SELECT 'date too late' AS "case", regexp_replace(pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{1}', '{1}', delivery_date => showroom.business_date(now()) + 366)$$), '\d{4}-\d\d-\d\d', 'YYYY-MM-DD', 'g');
SELECT 'date year 1900' AS "case", regexp_replace(pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{1}', '{1}', delivery_date => '1900-01-01')$$), '\d{4}-\d\d-\d\d', 'YYYY-MM-DD', 'g');
SELECT 'date infinity' AS "case", regexp_replace(pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{1}', '{1}', delivery_date => 'infinity')$$), '\d{4}-\d\d-\d\d', 'YYYY-MM-DD', 'g');

-- Stock counts: a receipt or an adjustment of more than a million units,
-- and one that would take a balance past the integer limit.
SELECT 'receive 2^31-1' AS "case", pg_temp.try($$SELECT showroom.receive_stock(1, 1, 2147483647)$$);
SELECT 'receive 1000001' AS "case", pg_temp.try($$SELECT showroom.receive_stock(1, 1, 1000001)$$);
SELECT 'defective 2e9' AS "case", pg_temp.try($$SELECT showroom.adjust_stock(1, 1, 0, 2000000000, 'typo')$$);
SELECT 'on hand -2^31' AS "case", pg_temp.try($$SELECT showroom.adjust_stock(1, 1, -2147483648, 0, 'typo')$$);
SELECT 'nothing written' AS "case", b.orders = n.orders AS orders, b.lines = n.lines AS lines,
       b.movements = n.movements AS movements, b.on_hand = n.on_hand AS on_hand,
       b.allocated = n.allocated AS allocated, b.defective = n.defective AS defective
  FROM before b,
       (SELECT (SELECT count(*) FROM showroom.sales_order) AS orders,
               (SELECT count(*) FROM showroom.sales_line) AS lines,
               (SELECT count(*) FROM showroom.stock_movement) AS movements,
               (SELECT sum(on_hand) FROM showroom.stock_balance) AS on_hand,
               (SELECT sum(allocated) FROM showroom.stock_balance) AS allocated,
               (SELECT sum(defective) FROM showroom.stock_balance) AS defective) n;

-- A slot near the integer limit (set behind the ledger's back, then put
-- back) refuses a receipt or adjustment that would pass it.
BEGIN;
UPDATE showroom.stock_balance SET on_hand = 2147483000, defective = 2147483000
 WHERE dc_id = 1 AND sku_id = 1;
SELECT 'receipt past limit' AS "case", pg_temp.try($$SELECT showroom.receive_stock(1, 1, 1000)$$);
SELECT 'adjust past limit' AS "case", pg_temp.try($$SELECT showroom.adjust_stock(1, 1, 0, 1000, 'found')$$);
ROLLBACK;

SELECT 'orders' AS "case", o.id, o.external_ref IS NOT NULL AS has_ref, o.cod_fen,
       o.delivery_date - showroom.business_date(now()) AS days_ahead,
       l.line_no, l.sku_id, l.qty, l.unit_price_fen
  FROM showroom.sales_order o JOIN showroom.sales_line l ON l.order_id = o.id
 ORDER BY o.id, l.line_no;
SELECT 'verify' AS "case", * FROM showroom.verify_stock();
