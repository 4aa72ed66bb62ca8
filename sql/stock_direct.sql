-- stock_direct: what a clerk can do to the stock tables with plain SQL,
-- bypassing the stock API.  The sale path's tables carry no foreign keys
-- and few CHECKs (see showroom.sales_order); this shows which direct
-- writes are refused and that verify_stock() reports the ones that are
-- not.  The clerk's table rights come from src/sql/roles.sql.
\i test/helpers.sql

INSERT INTO showroom.dc (code, name, location)
VALUES ('DC', 'Yangquan DC', 'SRID=4326;POINT(113.58 37.86)');
INSERT INTO showroom.store (code, name, location, home_dc_id)
VALUES ('S1', 'Store one', 'SRID=4326;POINT(113.6 37.85)', 1);
INSERT INTO showroom.sku (code, name, category, list_price_fen)
VALUES ('AC1', 'air conditioner', 'air_conditioner', 299900);
SELECT 'receipt' AS "case", showroom.receive_stock(1, 1, 10);

SET client_min_messages = warning;
DROP ROLE IF EXISTS sr_stock_clerk;
RESET client_min_messages;
CREATE ROLE sr_stock_clerk LOGIN IN ROLE showroom_clerk;
SELECT showroom.map_login('sr_stock_clerk', store_id => 1) > 0 AS mapped;

-- act(): run a statement as the caller; how many rows it touched, or the
-- error.  It lives in a schema, since pg_temp does not survive \c.
CREATE SCHEMA sr_direct;
GRANT USAGE ON SCHEMA sr_direct TO PUBLIC;
CREATE FUNCTION sr_direct.act(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE n bigint; det text;
BEGIN
  EXECUTE q;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN 'ok, ' || n || ' row(s)';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS det = PG_EXCEPTION_DETAIL;
  RETURN SQLSTATE || ': ' || SQLERRM
         || CASE WHEN det <> '' THEN ' | detail: ' || det ELSE '' END;
END $$;

\c - sr_stock_clerk
-- The clerk sells through the API: order 1, 3 units.
SELECT 'sell' AS "case", showroom.sell(1, 113.6, 37.9, '{1}', '{3}');

-- Refused: the columns a sale writes once, a balance's units on hand,
-- changing the ledger and deleting sales records (no grant: the clerk may
-- update only the columns the API changes; the triggers that raise SR113
-- and SR117, and the balance's CHECK, stand behind the grants for the
-- roles that hold more, as the owner's attempts below show).
SELECT 'line qty' AS "case", sr_direct.act($$UPDATE showroom.sales_line SET qty = 1$$);
SELECT 'line price' AS "case", sr_direct.act($$UPDATE showroom.sales_line SET unit_price_fen = -1$$);
SELECT 'line SKU' AS "case", sr_direct.act($$UPDATE showroom.sales_line SET sku_id = 99$$);
SELECT 'order COD' AS "case", sr_direct.act($$UPDATE showroom.sales_order SET cod_fen = -5$$);
SELECT 'order channel' AS "case", sr_direct.act($$UPDATE showroom.sales_order SET channel = 'web'$$);
SELECT 'allocation qty' AS "case", sr_direct.act($$UPDATE showroom.allocation SET qty = 100$$);
SELECT 'allocation slot' AS "case", sr_direct.act($$UPDATE showroom.allocation SET slot = 5$$);
SELECT 'oversell balance' AS "case", sr_direct.act($$UPDATE showroom.stock_balance SET allocated = on_hand + 1$$);
SELECT 'negative balance' AS "case", sr_direct.act($$UPDATE showroom.stock_balance SET on_hand = -1, allocated = 0$$);
SELECT 'edit ledger' AS "case", sr_direct.act($$UPDATE showroom.stock_movement SET qty = 0$$);
SELECT 'delete ledger' AS "case", sr_direct.act($$DELETE FROM showroom.stock_movement$$);
SELECT 'delete order' AS "case", sr_direct.act($$DELETE FROM showroom.sales_order$$);
SELECT 'delete allocation' AS "case", sr_direct.act($$DELETE FROM showroom.allocation$$);

-- A clerk may change only the allocated units of a balance: the units on
-- hand and the defective ones are the DC's.
SELECT 'raise on hand' AS "case", sr_direct.act($$UPDATE showroom.stock_balance SET on_hand = on_hand + 100$$);

-- XXX: not refused.  The stock API runs as the caller, so a clerk holds
-- UPDATE on allocation and on a balance's allocated units, and INSERT on
-- stock_movement, and can release an allocation or invent a movement
-- behind the API's back.  verify_stock() reports each one below; refusing
-- them needs the API to run as its owner and the clerk's write grants on
-- these tables to go (see doc/stock.md, "Privileges").
SELECT 'release quietly' AS "case", sr_direct.act($$UPDATE showroom.allocation SET open_qty = 0$$);
SELECT 'invent movement' AS "case", sr_direct.act($$INSERT INTO showroom.stock_movement (dc_id, sku_id, kind, qty, d_on_hand) VALUES (1, 1, 'receipt', 5, 5)$$);

\c - postgres
-- Behind the grants: the owner, who holds every right, is refused by the
-- trigger (SR117) and the CHECK; an unchanged value passes (the trigger
-- fires only on a change).
SELECT 'owner: line qty' AS "case", sr_direct.act($$UPDATE showroom.sales_line SET qty = 1$$);
SELECT 'owner: allocation slot' AS "case", sr_direct.act($$UPDATE showroom.allocation SET slot = 5$$);
SELECT 'owner: negative balance' AS "case", sr_direct.act($$UPDATE showroom.stock_balance SET on_hand = -1, allocated = 0$$);
SELECT 'owner: same qty' AS "case", sr_direct.act($$UPDATE showroom.sales_line SET qty = qty$$);
SELECT 'verify' AS "case", * FROM showroom.verify_stock();
SELECT 'line' AS "case", order_id, line_no, sku_id, qty, unit_price_fen FROM showroom.sales_line;
SELECT 'order' AS "case", id, channel, cod_fen FROM showroom.sales_order;
SELECT 'allocation' AS "case", sales_line_id, slot, qty, open_qty FROM showroom.allocation;
SELECT 'ledger rows' AS "case", count(*) FROM showroom.stock_movement;

SET client_min_messages = warning;
DROP SCHEMA sr_direct CASCADE;
DROP ROLE sr_stock_clerk;
