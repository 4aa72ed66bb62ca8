-- stock: the model, the ledger, and sell() with every error it raises.
\i test/helpers.sql

-- Two DCs with stock: YQ delivers to a box around Yangquan, TY has no
-- region (it serves its stores' customers elsewhere); OLD is inactive.
INSERT INTO showroom.dc (code, name, location, region, active) VALUES
  ('YQ', 'Yangquan DC', 'SRID=4326;POINT(113.58 37.86)',
   ST_Multi(ST_MakeEnvelope(113, 37.5, 114, 38.2, 4326)), true),
  ('TY', 'Taiyuan DC', 'SRID=4326;POINT(112.55 37.87)', NULL, true),
  ('OLD', 'closed DC', 'SRID=4326;POINT(112.0 37.0)', NULL, false);
INSERT INTO showroom.store (code, name, location, home_dc_id, active) VALUES
  ('S1', 'Store one', 'SRID=4326;POINT(113.6 37.85)', 2, true),
  ('S2', 'Store of the closed DC', 'SRID=4326;POINT(112.1 37.1)', 3, true),
  ('S3', 'closed store', 'SRID=4326;POINT(113.5 37.8)', 1, false);
INSERT INTO showroom.sku (code, name, category, list_price_fen, active) VALUES
  ('AC1', 'air conditioner 1.5 hp', 'air_conditioner', 299900, true),
  ('TV1', 'television 55"', 'television', 199900, true),
  ('RF0', 'old refrigerator', 'refrigerator', 99900, false);
SELECT 'receipts' AS "case", showroom.receive_stock(1, 1, 50), showroom.receive_stock(1, 2, 10),
       showroom.receive_stock(2, 1, 5, 'opening stock');

-- A customer inside YQ's region is served by YQ; one outside it by the
-- store's home DC (TY).  Unit prices default to list prices.
SELECT 'in region' AS "case", showroom.sell(1, 113.6, 37.9, '{1,2,1}', '{10,2,5}');
SELECT 'outside region' AS "case",
       showroom.sell(1, 112.5, 37.8, '{1}', '{3}', '{250000}', customer_name => 'Wang');
SELECT 'orders' AS "case", id, store_id, dc_id, state, customer_name
  FROM showroom.sales_order ORDER BY id;
SELECT 'lines' AS "case", id, order_id, line_no, sku_id, qty, unit_price_fen
  FROM showroom.sales_line ORDER BY id;
SELECT 'allocations' AS "case", sales_line_id, dc_id, sku_id, slot, qty, open_qty
  FROM showroom.allocation ORDER BY id;
SELECT 'stock' AS "case", * FROM showroom.stock ORDER BY dc_id, sku_id;

-- Every error leaves nothing behind: counts before and after.
CREATE TEMP TABLE before AS
SELECT (SELECT count(*) FROM showroom.sales_order) AS orders,
       (SELECT count(*) FROM showroom.sales_line) AS lines,
       (SELECT count(*) FROM showroom.stock_movement) AS movements,
       (SELECT sum(allocated) FROM showroom.stock_balance) AS allocated;
SELECT 'short' AS "case", pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{1,2,1}', '{30,9,10}')$$);
-- One line from a SKU kept in one slot takes the plain UPDATE of that
-- slot; too few units there, or no balance row at all in the serving DC
-- (TV1 was never received at TY), end in the same refusal.
SELECT 'short, one line' AS "case", pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{2}', '{9}')$$);
SELECT 'never received' AS "case", pg_temp.try($$SELECT showroom.sell(1, 112.5, 37.8, '{2}', '{1}')$$);
SELECT 'unknown store' AS "case", pg_temp.try($$SELECT showroom.sell(99, 113.6, 37.9, '{1}', '{1}')$$);
SELECT 'null store' AS "case", pg_temp.try($$SELECT showroom.sell(NULL, 113.6, 37.9, '{1}', '{1}')$$);
SELECT 'inactive store' AS "case", pg_temp.try($$SELECT showroom.sell(3, 113.6, 37.9, '{1}', '{1}')$$);
SELECT 'inactive DC' AS "case", pg_temp.try($$SELECT showroom.sell(2, 112.1, 37.1, '{1}', '{1}')$$);
SELECT 'unknown SKU' AS "case", pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{1,77}', '{1,1}')$$);
SELECT 'inactive SKU' AS "case", pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{3}', '{1}')$$);
SELECT 'null SKU' AS "case", pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{1,NULL}', '{1,1}')$$);
SELECT 'qty zero' AS "case", pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{1}', '{0}')$$);
SELECT 'qty negative' AS "case", pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{1,2}', '{1,-2}')$$);
SELECT 'qty null' AS "case", pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{1}', '{NULL}')$$);
SELECT 'qty huge' AS "case", pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{1,1}', '{2147483647,1}', '{0,0}')$$);
SELECT 'no lines' AS "case", pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{}', '{}')$$);
SELECT 'null lines' AS "case", pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, NULL, '{1}')$$);
SELECT 'arrays differ' AS "case", pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{1,2}', '{1}')$$);
SELECT 'swapped lon/lat' AS "case", pg_temp.try($$SELECT showroom.sell(1, 37.9, 113.6, '{1}', '{1}')$$);
SELECT 'lon out of range' AS "case", pg_temp.try($$SELECT showroom.sell(1, -181, 37.9, '{1}', '{1}')$$);
SELECT 'null lat' AS "case", pg_temp.try($$SELECT showroom.sell(1, 113.6, NULL, '{1}', '{1}')$$);
SELECT 'nan lon' AS "case", pg_temp.try($$SELECT showroom.sell(1, 'NaN', 37.9, '{1}', '{1}')$$);
SELECT 'negative price' AS "case", pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{1}', '{1}', '{-5}')$$);
SELECT 'bad channel' AS "case", pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{1}', '{1}', channel => 'web')$$);
SELECT 'negative cod' AS "case", pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{1}', '{1}', cod_fen => -1)$$);
SELECT 'nothing written' AS "case", b.orders = n.orders AS orders, b.lines = n.lines AS lines,
       b.movements = n.movements AS movements, b.allocated = n.allocated AS allocated
  FROM before b,
       (SELECT (SELECT count(*) FROM showroom.sales_order) AS orders,
               (SELECT count(*) FROM showroom.sales_line) AS lines,
               (SELECT count(*) FROM showroom.stock_movement) AS movements,
               (SELECT sum(allocated) FROM showroom.stock_balance) AS allocated) n;

-- An external reference makes sell() idempotent: the replay returns the
-- first order and writes nothing; another store may not reuse it, nor
-- may another order with other lines.
SELECT 'first call' AS "case", showroom.sell(1, 113.6, 37.9, '{2}', '{1}', external_ref => 'ERP-1');
SELECT 'replay' AS "case", showroom.sell(1, 113.6, 37.9, '{2}', '{1}', external_ref => 'ERP-1');
SELECT 'replay, other qty' AS "case", pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{2}', '{5}', external_ref => 'ERP-1')$$);
SELECT 'one order' AS "case", count(*) AS orders, sum(l.qty) AS units
  FROM showroom.sales_order o JOIN showroom.sales_line l ON l.order_id = o.id
 WHERE o.external_ref = 'ERP-1';
SELECT 'other store' AS "case", pg_temp.try($$SELECT showroom.sell(3, 113.6, 37.9, '{2}', '{1}', external_ref => 'ERP-1')$$);

-- The ledger is append-only; the balances equal its sums.
SELECT 'update' AS "case", pg_temp.try($$UPDATE showroom.stock_movement SET qty = 0$$);
SELECT 'delete' AS "case", pg_temp.try($$DELETE FROM showroom.stock_movement$$);
SELECT 'truncate' AS "case", pg_temp.try($$TRUNCATE showroom.stock_movement$$);
SELECT 'ledger' AS "case", id, kind, dc_id, sku_id, slot, qty, d_on_hand, d_allocated,
       sales_order_id, sales_line_id
  FROM showroom.stock_movement ORDER BY id;
SELECT 'verify' AS "case", * FROM showroom.verify_stock();

-- verify_stock() does find a balance changed behind the ledger's back.
BEGIN;
UPDATE showroom.stock_balance SET on_hand = on_hand + 1, allocated = allocated + 1
 WHERE dc_id = 2 AND sku_id = 1;
SELECT 'tampered' AS "case", * FROM showroom.verify_stock();
ROLLBACK;

-- Receipts and slots: errors, then a hot SKU split over 4 slots.
SELECT 'receive unknown DC' AS "case", pg_temp.try($$SELECT showroom.receive_stock(9, 1, 1)$$);
SELECT 'receive inactive DC' AS "case", pg_temp.try($$SELECT showroom.receive_stock(3, 1, 1)$$);
SELECT 'receive unknown SKU' AS "case", pg_temp.try($$SELECT showroom.receive_stock(1, 9, 1)$$);
SELECT 'receive zero' AS "case", pg_temp.try($$SELECT showroom.receive_stock(1, 1, 0)$$);
SELECT 'slots' AS "case", showroom.set_stock_slots(1, 1, 4);
SELECT 'spread' AS "case", slot, on_hand, allocated FROM showroom.stock_balance
 WHERE dc_id = 1 AND sku_id = 1 ORDER BY slot;
SELECT 'shrink' AS "case", pg_temp.try($$SELECT showroom.set_stock_slots(1, 1, 2)$$);
-- 30 units are more than any one slot holds: the sale gathers them from
-- all four, lowest slot first.
SELECT 'gathered' AS "case", showroom.sell(1, 113.6, 37.9, '{1}', '{30}');
SELECT 'pieces' AS "case", slot, qty FROM showroom.allocation
 WHERE sales_line_id = (SELECT max(id) FROM showroom.sales_line) ORDER BY slot;
SELECT 'verify after slots' AS "case", * FROM showroom.verify_stock();
