-- stock_direct_writes: a sale reads its store, DCs and SKUs, reserves
-- its stock and (with one line from one slot) writes its order, line,
-- allocation and ledger row without the executor (src/direct.c) when the
-- tables and the role allow it, and through SQL statements otherwise.
-- Both ways must give the same results and enforce whatever a DBA has
-- added to the tables.  DEBUG1 names the way each sale took, and why.
\i test/helpers.sql
SET jit = off;

INSERT INTO showroom.dc (code, name, location)
VALUES ('DC', 'Yangquan DC', 'SRID=4326;POINT(113.58 37.86)');
INSERT INTO showroom.store (code, name, location, home_dc_id)
VALUES ('S1', 'Store one', 'SRID=4326;POINT(113.6 37.85)', 1);
INSERT INTO showroom.sku (code, name, category, list_price_fen)
VALUES ('AC1', 'air conditioner', 'air_conditioner', 299900),
       ('TV1', 'television', 'television', 159900);
SELECT 'receipt' AS "case", showroom.receive_stock(1, 1, 100),
       showroom.receive_stock(1, 2, 100);

-- sold(order): the order's rows as one line of text, without the ids,
-- reference and times that differ from sale to sale.
-- The three times must be the sale's transaction's.
CREATE FUNCTION pg_temp.sold(o bigint) RETURNS text LANGUAGE sql AS $$
  SELECT format('order: %s | line: %s | allocation: %s | ledger: %s | one time: %s',
    (SELECT row(store_id, dc_id, channel, customer_name,
                customer_phone, address, ST_AsText(delivery_point),
                delivery_date - showroom.business_date(now()), window_from,
                window_to, cod_fen, state, created_by)
       FROM showroom.sales_order WHERE id = o),
    (SELECT row(line_no, sku_id, qty, unit_price_fen, delivered_qty,
                cancelled_qty, returned_qty)
       FROM showroom.sales_line WHERE order_id = o),
    (SELECT row(dc_id, sku_id, slot, qty, open_qty)
       FROM showroom.allocation WHERE sales_order_id = o),
    (SELECT row(dc_id, store_id, sku_id, slot, kind, qty, d_on_hand,
                d_allocated, d_defective, delivery_id, sample_id, note,
                done_by)
       FROM showroom.stock_movement WHERE sales_order_id = o),
    (SELECT count(DISTINCT t) FROM (
       SELECT created_at FROM showroom.sales_order WHERE id = o
       UNION ALL SELECT created_at FROM showroom.allocation WHERE sales_order_id = o
       UNION ALL SELECT at FROM showroom.stock_movement WHERE sales_order_id = o) AS u (t)) = 1)
$$;

-- 1. The same sale both ways.  A BEFORE trigger on sales_line rules the
-- direct way out, so the second sale takes the statements.  Their rows
-- must match, and reference each other.
SET client_min_messages = debug1;
SELECT showroom.sell(1, 113.61, 37.91, '{1}', '{2}', '{289900}',
                     external_ref => 'ERP-1', customer_name => 'Li',
                     customer_phone => '139', address => 'Road 1',
                     delivery_date => showroom.business_date(now()) + 1,
                     cod_fen => 5000, channel => 'key_account') AS direct_id
\gset
RESET client_min_messages;
CREATE FUNCTION pg_temp.noop() RETURNS trigger LANGUAGE plpgsql
AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER sr_noop BEFORE INSERT ON showroom.sales_line
  FOR EACH ROW EXECUTE FUNCTION pg_temp.noop();
SET client_min_messages = debug1;
SELECT showroom.sell(1, 113.61, 37.91, '{1}', '{2}', '{289900}',
                     external_ref => 'ERP-2', customer_name => 'Li',
                     customer_phone => '139', address => 'Road 1',
                     delivery_date => showroom.business_date(now()) + 1,
                     cod_fen => 5000, channel => 'key_account') AS stmt_id
\gset
RESET client_min_messages;
DROP TRIGGER sr_noop ON showroom.sales_line;
SELECT 'same rows' AS "case", pg_temp.sold(:direct_id) = pg_temp.sold(:stmt_id) AS same,
       pg_temp.sold(:direct_id) AS rows;
SELECT 'direct rows refer to each other' AS "case",
       l.order_id = o.id AND a.sales_line_id = l.id AND a.sales_order_id = o.id
       AND m.sales_line_id = l.id AND m.allocation_id = a.id AS linked
  FROM showroom.sales_order o
  JOIN showroom.sales_line l ON l.order_id = o.id
  JOIN showroom.allocation a ON a.sales_order_id = o.id
  JOIN showroom.stock_movement m ON m.sales_order_id = o.id
 WHERE o.id = :direct_id;
-- A replay of the direct sale finds it through the index it was put in.
SELECT 'replay' AS "case",
       showroom.sell(1, 113.61, 37.91, '{1}', '{2}', '{289900}',
                     external_ref => 'ERP-1') = :direct_id AS same_order;

-- rows(): how many rows the four tables hold, and the SKU's allocation.
CREATE FUNCTION pg_temp.rows() RETURNS text LANGUAGE sql AS $$
  SELECT format('orders %s, lines %s, allocations %s, movements %s, allocated %s',
    (SELECT count(*) FROM showroom.sales_order),
    (SELECT count(*) FROM showroom.sales_line),
    (SELECT count(*) FROM showroom.allocation),
    (SELECT count(*) FROM showroom.stock_movement),
    (SELECT sum(allocated) FROM showroom.stock_balance WHERE sku_id = 1))
$$;
SELECT 'before the added rules' AS "case", pg_temp.rows();

-- 2. A CHECK added by a DBA holds on the direct way (23514), and the
-- refused sale leaves nothing behind.
ALTER TABLE showroom.sales_line ADD CONSTRAINT sr_small CHECK (qty < 5);
SELECT 'added CHECK' AS "case", pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{1}', '{7}')$$);
SELECT 'added CHECK, small sale' AS "case", pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{1}', '{4}')$$);
ALTER TABLE showroom.sales_line DROP CONSTRAINT sr_small;

-- 3. So does a NOT NULL (23502) ...
ALTER TABLE showroom.sales_order ADD COLUMN sr_required text NOT NULL DEFAULT 'x';
ALTER TABLE showroom.sales_order ALTER sr_required DROP DEFAULT;
SELECT 'added NOT NULL' AS "case", pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{1}', '{1}')$$);
ALTER TABLE showroom.sales_order DROP COLUMN sr_required;

-- 4. ... a unique index, partial or not (23505), ...
CREATE UNIQUE INDEX sr_one_tv ON showroom.sales_line (sku_id) WHERE sku_id = 2;
SELECT 'unique index, first' AS "case", pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{2}', '{1}')$$);
SELECT 'unique index, second' AS "case", pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{2}', '{1}')$$);
SELECT 'unique index, other SKU' AS "case", pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{1}', '{1}')$$);
DROP INDEX showroom.sr_one_tv;

-- 5. ... and a new column's default.
ALTER TABLE showroom.stock_movement ADD COLUMN sr_extra integer DEFAULT 7;
SELECT showroom.sell(1, 113.6, 37.9, '{1}', '{1}') AS extra_id \gset
SELECT 'new column gets its default' AS "case", sr_extra
  FROM showroom.stock_movement WHERE sales_order_id = :extra_id;
ALTER TABLE showroom.stock_movement DROP COLUMN sr_extra;
SELECT 'after a dropped column' AS "case", pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{1}', '{1}')$$);
SELECT 'after the added rules' AS "case", pg_temp.rows();

-- 6. AFTER triggers, with a WHEN condition or without: the direct way
-- queues and fires them as the statement would, on the rows they fire
-- on, with the row's system columns; a WHEN that reads the database sees
-- the rows the sale wrote before.
CREATE TABLE pg_temp.sr_seen (movement_id bigint);
CREATE FUNCTION pg_temp.seen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO pg_temp.sr_seen VALUES (NEW.id);
  RETURN NULL;
END $$;
CREATE TRIGGER sr_seen_big AFTER INSERT ON showroom.stock_movement
  FOR EACH ROW WHEN (NEW.qty >= 3) EXECUTE FUNCTION pg_temp.seen();
SET client_min_messages = debug1;
SELECT 'WHEN false' AS "case", showroom.sell(1, 113.6, 37.9, '{1}', '{1}') > 0 AS sold;
SELECT 'WHEN true' AS "case", showroom.sell(1, 113.6, 37.9, '{1}', '{3}') AS big_id \gset
RESET client_min_messages;
SELECT 'trigger ran once, on the big sale' AS "case", count(*) = 1 AS once,
       bool_and(m.sales_order_id = :big_id) AS big
  FROM pg_temp.sr_seen s JOIN showroom.stock_movement m ON m.id = s.movement_id;
DROP TRIGGER sr_seen_big ON showroom.stock_movement;
DELETE FROM pg_temp.sr_seen;
-- A row's xmin, and a WHEN that reads the order written just before.
CREATE FUNCTION public.sr_order_there(o bigint) RETURNS boolean LANGUAGE sql
AS $$ SELECT EXISTS (SELECT 1 FROM showroom.sales_order WHERE id = o) $$;
CREATE TRIGGER sr_seen_xmin AFTER INSERT ON showroom.stock_movement
  FOR EACH ROW WHEN (NEW.xmin::text::bigint > 0) EXECUTE FUNCTION pg_temp.seen();
CREATE TRIGGER sr_seen_order AFTER INSERT ON showroom.sales_line
  FOR EACH ROW WHEN (public.sr_order_there(NEW.order_id))
  EXECUTE FUNCTION pg_temp.seen();
SELECT showroom.sell(1, 113.6, 37.9, '{1}', '{1}') AS when_id \gset
SELECT 'both fired' AS "case", count(*) AS fired FROM pg_temp.sr_seen;
DROP TRIGGER sr_seen_xmin ON showroom.stock_movement;
DROP TRIGGER sr_seen_order ON showroom.sales_line;
-- So does a CHECK that reads the order written just before, and tableoid.
ALTER TABLE showroom.sales_line ADD CONSTRAINT sr_has_order
  CHECK (public.sr_order_there(order_id) AND tableoid <> 0);
SELECT 'CHECK reads the order' AS "case", pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{1}', '{1}')$$);
ALTER TABLE showroom.sales_line DROP CONSTRAINT sr_has_order;
DROP FUNCTION public.sr_order_there(bigint);

-- 7. Roles.  Row-level security names a clerk's stores, so a clerk's sale
-- takes the statements (which check the store); an administrator's
-- policies let every row through, so the direct way is open to it.
SET client_min_messages = warning;
DROP ROLE IF EXISTS sr_dw_clerk;
DROP ROLE IF EXISTS sr_dw_admin;
RESET client_min_messages;
CREATE ROLE sr_dw_clerk IN ROLE showroom_clerk;
CREATE ROLE sr_dw_admin IN ROLE showroom_admin;
SELECT showroom.map_login('sr_dw_clerk', store_id => 1) > 0 AS mapped;
SET ROLE sr_dw_clerk;
SET client_min_messages = debug1;
SELECT 'clerk' AS "case", showroom.sell(1, 113.6, 37.9, '{1}', '{1}') > 0 AS sold;
RESET client_min_messages;
RESET ROLE;
SET ROLE sr_dw_admin;
SET client_min_messages = debug1;
SELECT 'administrator' AS "case", showroom.sell(1, 113.6, 37.9, '{1}', '{1}') > 0 AS sold;
RESET client_min_messages;
RESET ROLE;
-- An administrator whose policy on the ledger is narrowed by the DBA
-- takes the statements again, and the policy holds there.
CREATE POLICY sr_narrow ON showroom.stock_movement AS RESTRICTIVE
  FOR INSERT TO showroom_admin WITH CHECK (qty < 2);
SET ROLE sr_dw_admin;
SET client_min_messages = debug1;
SELECT 'narrowed administrator' AS "case", showroom.sell(1, 113.6, 37.9, '{1}', '{1}') > 0 AS sold;
RESET client_min_messages;
SELECT 'narrowed administrator, refused' AS "case", pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{1}', '{2}')$$);
RESET ROLE;
DROP POLICY sr_narrow ON showroom.stock_movement;

-- 8. Reading.  An inactive store, an unknown or inactive SKU and an
-- inactive home DC are refused as before; a DC whose region covers the
-- point serves it, the lowest-numbered first, and only while active.
UPDATE showroom.store SET active = false WHERE id = 1;
SELECT 'inactive store' AS "case", pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{1}', '{1}')$$);
UPDATE showroom.store SET active = true WHERE id = 1;
SELECT 'unknown store' AS "case", pg_temp.try($$SELECT showroom.sell(9, 113.6, 37.9, '{1}', '{1}')$$);
SELECT 'unknown SKU' AS "case", pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{1,99}', '{1,1}')$$);
UPDATE showroom.sku SET active = false WHERE id = 2;
SELECT 'inactive SKU' AS "case", pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{2}', '{1}')$$);
UPDATE showroom.sku SET active = true WHERE id = 2;
INSERT INTO showroom.dc (code, name, location, region)
VALUES ('DC2', 'north DC', 'SRID=4326;POINT(113.5 38.5)',
        'SRID=4326;MULTIPOLYGON(((113 38,114 38,114 39,113 39,113 38)))'),
       ('DC3', 'overlapping DC', 'SRID=4326;POINT(113.5 38.6)',
        'SRID=4326;MULTIPOLYGON(((113 38.5,114 38.5,114 39,113 39,113 38.5)))');
SELECT 'north receipt' AS "case", showroom.receive_stock(2, 1, 10),
       showroom.receive_stock(3, 1, 10);
CREATE FUNCTION pg_temp.dc_of(o bigint) RETURNS bigint LANGUAGE sql
AS $$ SELECT dc_id FROM showroom.sales_order WHERE id = o $$;
SELECT 'covered by two: the lower id' AS "case",
       pg_temp.dc_of(showroom.sell(1, 113.5, 38.7, '{1}', '{1}'));
SELECT 'on the border' AS "case",
       pg_temp.dc_of(showroom.sell(1, 114, 38.2, '{1}', '{1}'));
SELECT 'outside: home DC' AS "case",
       pg_temp.dc_of(showroom.sell(1, 113.6, 37.9, '{1}', '{1}'));
UPDATE showroom.dc SET active = false WHERE id = 2;
SELECT 'first DC inactive' AS "case",
       pg_temp.dc_of(showroom.sell(1, 113.5, 38.7, '{1}', '{1}'));
UPDATE showroom.dc SET active = false WHERE id = 1;
SELECT 'home DC inactive' AS "case", pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{1}', '{1}')$$);
UPDATE showroom.dc SET active = true WHERE id IN (1, 2);

-- 9. Reserving.  A CHECK a DBA adds to the balances holds on the direct
-- way; a SKU split over slots is reserved from one of them; a balance
-- received in the same transaction is reserved directly too (its foreign
-- keys are checked then, as an UPDATE checks them); a sale in a
-- REPEATABLE READ transaction reserves by the statement, which alone
-- raises the serialization failure a concurrent change calls for.
ALTER TABLE showroom.stock_balance ADD CONSTRAINT sr_cap
  CHECK (sku_id <> 2 OR allocated <= 20);
SELECT 'balance CHECK' AS "case", pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{2}', '{30}')$$);
ALTER TABLE showroom.stock_balance DROP CONSTRAINT sr_cap;
SELECT 'split' AS "case", showroom.set_stock_slots(1, 2, 4);
SELECT showroom.sell(1, 113.6, 37.9, '{2}', '{5}') AS split_id \gset
SELECT 'split sale' AS "case", slot BETWEEN 0 AND 3 AS in_a_slot, qty
  FROM showroom.allocation WHERE sales_order_id = :split_id;
INSERT INTO showroom.sku (code, name, category, list_price_fen)
VALUES ('WM1', 'washing machine', 'washing_machine', 199900);
BEGIN;
SELECT 'new balance' AS "case", showroom.receive_stock(1, 3, 5);
SET LOCAL client_min_messages = debug1;
SELECT 'sold from it' AS "case", showroom.sell(1, 113.6, 37.9, '{3}', '{2}') > 0 AS sold;
COMMIT;
BEGIN ISOLATION LEVEL REPEATABLE READ;
SET LOCAL client_min_messages = debug1;
SELECT 'repeatable read' AS "case", showroom.sell(1, 113.6, 37.9, '{3}', '{1}') > 0 AS sold;
COMMIT;
SELECT 'balances' AS "case", sku_id, sum(on_hand) AS on_hand, sum(allocated) AS allocated
  FROM showroom.stock_balance WHERE dc_id = 1 GROUP BY sku_id ORDER BY sku_id;

-- 10. A read-only transaction refuses the sale as a statement would.
BEGIN READ ONLY;
SELECT 'read-only' AS "case", pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{1}', '{1}')$$);
COMMIT;

-- 11. What earlier testers found, each now as the statement has it.
-- An error raised while a split SKU is reserved (here by a DBA's AFTER
-- UPDATE trigger) and caught by the caller rolls back the reservation's
-- own subtransaction, not the caller's: the next statements run in
-- transactions of their own.
CREATE FUNCTION public.sr_boom() RETURNS trigger LANGUAGE plpgsql
AS $$ BEGIN RAISE EXCEPTION 'audit failed'; END $$;
CREATE TRIGGER sr_boom AFTER UPDATE ON showroom.stock_balance
  FOR EACH ROW WHEN (NEW.sku_id = 2) EXECUTE FUNCTION public.sr_boom();
DO $$
BEGIN
  PERFORM showroom.sell(1, 113.6, 37.9, '{2}', '{1}');
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'caught: %', SQLERRM;
END $$;
SELECT pg_current_xact_id() AS xact_a \gset
SELECT pg_current_xact_id() AS xact_b \gset
SELECT 'caught error, transactions go on' AS "case", :'xact_a' <> :'xact_b' AS separate;
DROP TRIGGER sr_boom ON showroom.stock_balance;
DROP FUNCTION public.sr_boom();
-- A trigger condition that is not immutable runs once per row, and a
-- disabled trigger's condition not at all.
CREATE FUNCTION public.sr_noisy(q integer) RETURNS boolean LANGUAGE plpgsql
AS $$ BEGIN RAISE NOTICE 'condition read qty %', q; RETURN false; END $$;
CREATE FUNCTION public.sr_fails(q integer) RETURNS boolean LANGUAGE plpgsql
AS $$ BEGIN RAISE EXCEPTION 'should not run'; END $$;
CREATE TRIGGER sr_noisy AFTER INSERT ON showroom.allocation
  FOR EACH ROW WHEN (public.sr_noisy(NEW.qty)) EXECUTE FUNCTION pg_temp.seen();
CREATE TRIGGER sr_off AFTER INSERT ON showroom.allocation
  FOR EACH ROW WHEN (public.sr_fails(NEW.qty)) EXECUTE FUNCTION pg_temp.seen();
ALTER TABLE showroom.allocation DISABLE TRIGGER sr_off;
SELECT 'condition once, disabled not run' AS "case",
       showroom.sell(1, 113.6, 37.9, '{1}', '{1}') > 0 AS sold;
DROP TRIGGER sr_noisy ON showroom.allocation;
DROP TRIGGER sr_off ON showroom.allocation;
DROP FUNCTION public.sr_noisy(integer);
DROP FUNCTION public.sr_fails(integer);
-- A publication that forbids the balance's update forbids the sale.
SET client_min_messages = error;
CREATE PUBLICATION sr_pub FOR TABLE showroom.stock_balance WHERE (on_hand > 0);
RESET client_min_messages;
SELECT 'publication' AS "case", pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{1}', '{1}')$$);
DROP PUBLICATION sr_pub;
-- A role that loses EXECUTE on a function (through a membership, or on
-- a PostGIS function the sale calls) loses it for the next sale of the
-- same session.
SET client_min_messages = warning;
DROP ROLE IF EXISTS sr_dw_exec;
DROP ROLE IF EXISTS sr_dw_group;
RESET client_min_messages;
CREATE ROLE sr_dw_group;
CREATE ROLE sr_dw_exec IN ROLE showroom_admin, sr_dw_group;
CREATE FUNCTION public.sr_default_note() RETURNS text LANGUAGE plpgsql
AS $$ BEGIN RETURN 'noted'; END $$;
REVOKE EXECUTE ON FUNCTION public.sr_default_note() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.sr_default_note() TO sr_dw_group;
ALTER TABLE showroom.sales_order ADD COLUMN sr_note text DEFAULT public.sr_default_note();
SET ROLE sr_dw_exec;
SELECT 'member' AS "case", pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{1}', '{1}')$$);
RESET ROLE;
REVOKE sr_dw_group FROM sr_dw_exec;
SET ROLE sr_dw_exec;
SELECT 'no longer a member' AS "case", pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{1}', '{1}')$$);
RESET ROLE;
ALTER TABLE showroom.sales_order DROP COLUMN sr_note;
DROP FUNCTION public.sr_default_note();
REVOKE EXECUTE ON FUNCTION ST_Covers(geometry, geometry) FROM PUBLIC;
SET ROLE sr_dw_exec;
SELECT 'no EXECUTE on ST_Covers' AS "case", pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{1}', '{1}')$$);
RESET ROLE;
GRANT EXECUTE ON FUNCTION ST_Covers(geometry, geometry) TO PUBLIC;
DROP ROLE sr_dw_exec;
DROP ROLE sr_dw_group;

-- The ledger reconciles after all of it.
SELECT 'final' AS "case", pg_temp.rows();
SELECT 'ledger' AS "case", count(*) AS violations FROM showroom.verify_stock();

SELECT showroom.unmap_login('sr_dw_clerk') >= 0 AS unmapped;
DROP ROLE sr_dw_clerk;
DROP ROLE sr_dw_admin;
