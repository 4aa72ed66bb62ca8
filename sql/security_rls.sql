-- security_rls: log in as a member of each group role and show what it
-- sees and what it may write; every denial is tried for real.
\i test/helpers.sql

-- Known data: two DCs, a store and an outlet on each side, an order each,
-- three service orders (one per outlet, one unassigned).
INSERT INTO showroom.dc (code, name, location) VALUES
  ('DC1', 'first DC', 'SRID=4326;POINT(113.58 37.86)'),
  ('DC2', 'second DC', 'SRID=4326;POINT(112.55 37.87)');
INSERT INTO showroom.store (code, name, location, home_dc_id) VALUES
  ('S1', 'store one', 'SRID=4326;POINT(113.60 37.85)', 1),
  ('S2', 'store two', 'SRID=4326;POINT(112.56 37.86)', 2);
INSERT INTO showroom.sku (code, name, category, list_price_fen)
VALUES ('AC1', 'split AC', 'air_conditioner', 329900);
INSERT INTO showroom.sales_order (store_id, dc_id, delivery_point) VALUES
  (1, 1, 'SRID=4326;POINT(113.61 37.84)'),
  (2, 2, 'SRID=4326;POINT(112.57 37.85)');
INSERT INTO showroom.sales_line (order_id, line_no, sku_id, qty, unit_price_fen)
VALUES (1, 1, 1, 1, 329900), (2, 1, 1, 2, 329900);
INSERT INTO showroom.outlet (code, name, base) VALUES
  ('O1', 'outlet one', 'SRID=4326;POINT(113.59 37.87)'),
  ('O2', 'outlet two', 'SRID=4326;POINT(112.54 37.88)');
INSERT INTO showroom.service_area (outlet_id, name, geom) VALUES
  (1, 'east', 'SRID=4326;MULTIPOLYGON(((113.5 37.8,113.7 37.8,113.7 37.9,113.5 37.8)))'),
  (2, 'west', 'SRID=4326;MULTIPOLYGON(((112.5 37.8,112.7 37.8,112.7 37.9,112.5 37.8)))');
-- The two assigned ones are dispatched, so that an outlet may accept them.
INSERT INTO showroom.service_order (kind, category, sales_order_id, point, service_date, outlet_id, state)
VALUES ('installation', 'air_conditioner', 1, 'SRID=4326;POINT(113.61 37.84)', '2026-05-04', 1, 'dispatched'),
       ('installation', 'air_conditioner', 2, 'SRID=4326;POINT(112.57 37.85)', '2026-05-04', 2, 'dispatched'),
       ('repair', 'air_conditioner', NULL, 'SRID=4326;POINT(113.62 37.83)', '2026-05-05', NULL, 'requested');
INSERT INTO showroom.outlet_satisfaction (outlet_id, kind, score, visits)
VALUES (1, 'installation', 4.5, 10), (2, 'installation', 3.0, 4);

-- One login per group role, and one in none; the map ties them to places.
SET client_min_messages = warning;
DROP ROLE IF EXISTS sr_admin, sr_clerk1, sr_dc1, sr_disp, sr_outlet1, sr_fin, sr_bi, sr_nobody;
RESET client_min_messages;
CREATE ROLE sr_admin LOGIN IN ROLE showroom_admin;
CREATE ROLE sr_clerk1 LOGIN IN ROLE showroom_clerk;
CREATE ROLE sr_dc1 LOGIN IN ROLE showroom_dc;
CREATE ROLE sr_disp LOGIN IN ROLE showroom_dispatcher;
CREATE ROLE sr_outlet1 LOGIN IN ROLE showroom_outlet;
CREATE ROLE sr_fin LOGIN IN ROLE showroom_finance;
CREATE ROLE sr_bi LOGIN IN ROLE showroom_reporting;
CREATE ROLE sr_nobody LOGIN;
SELECT showroom.map_login('sr_clerk1', store_id => 1), showroom.map_login('sr_dc1', dc_id => 1),
       showroom.map_login('sr_outlet1', outlet_id => 1);

-- Helpers that survive \c (pg_temp does not): seen() lists the keys of
-- the rows a table shows, or the error; act() runs a statement and says
-- how many rows it touched, or the error.  Both run as the caller.
CREATE SCHEMA sr_sec;
GRANT USAGE ON SCHEMA sr_sec TO PUBLIC;
CREATE FUNCTION sr_sec.seen(rel text, key text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text;
BEGIN
  EXECUTE format('SELECT coalesce(string_agg(k, '','' ORDER BY k), ''(none)'') FROM (SELECT (%s)::text AS k FROM showroom.%I) s', key, rel) INTO r;
  RETURN r;
EXCEPTION WHEN OTHERS THEN RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
CREATE FUNCTION sr_sec.act(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
  EXECUTE q;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN 'ok, ' || n || ' row(s)';
EXCEPTION WHEN OTHERS THEN RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
-- Every room adds settings; the defaults and the settings view are shown
-- by the schema's own setting only, so that the matrix says whether a
-- role reads them without listing what other rooms define.
CREATE VIEW sr_sec.matrix AS
SELECT t AS "table", sr_sec.seen(t, k) AS rows_seen
  FROM (VALUES ('category', 'code'), ('sku', 'id'), ('dc', 'id'),
               ('store', 'id'), ('sales_order', 'id'), ('sales_line', 'id'),
               ('service_kind', 'code'), ('outlet', 'id'), ('service_area', 'id'),
               ('service_order', 'id'), ('outlet_satisfaction', 'outlet_id'),
               ('setting_default', $$CASE name WHEN 'business_time_zone' THEN name END$$),
               ('setting', 'name'), ('staff_login', 'login'),
               ('settings', $$CASE name WHEN 'business_time_zone' THEN name END$$)) v(t, k);
GRANT SELECT ON sr_sec.matrix TO PUBLIC;
SELECT showroom.set_setting('business_time_zone', 'Asia/Chongqing');

-- A store clerk: its store, its store's orders and their lines and
-- service orders, master data, its own mapping; no outlet, no view.
\c - sr_clerk1
SELECT * FROM sr_sec.matrix;
-- The policy reads the map once per statement (an InitPlan), not per row.
EXPLAIN (COSTS OFF) SELECT * FROM showroom.sales_order;
SELECT 'sell for own store' AS "case", sr_sec.act($$INSERT INTO showroom.sales_order (store_id, dc_id, delivery_point) VALUES (1, 1, 'SRID=4326;POINT(113.6 37.8)')$$);
SELECT 'sell for other store' AS "case", sr_sec.act($$INSERT INTO showroom.sales_order (store_id, dc_id, delivery_point) VALUES (2, 1, 'SRID=4326;POINT(113.6 37.8)')$$);
SELECT 'move order to other store' AS "case", sr_sec.act($$UPDATE showroom.sales_order SET store_id = 2 WHERE id = 1$$);
-- A clerk may update only the columns the stock API changes (state, the
-- cancelled and returned units), and those only on its store's rows.
SELECT 'change other store''s order' AS "case", sr_sec.act($$UPDATE showroom.sales_order SET state = 'cancelled' WHERE id = 2$$);
SELECT 'change own order''s COD' AS "case", sr_sec.act($$UPDATE showroom.sales_order SET cod_fen = 1 WHERE id = 1$$);
SELECT 'delete own order' AS "case", sr_sec.act($$DELETE FROM showroom.sales_order WHERE id = 1$$);
SELECT 'truncate' AS "case", sr_sec.act($$TRUNCATE showroom.sales_line$$);
SELECT 'line on other order' AS "case", sr_sec.act($$INSERT INTO showroom.sales_line (order_id, line_no, sku_id, qty, unit_price_fen) VALUES (2, 2, 1, 1, 1)$$);
SELECT 'change other line' AS "case", sr_sec.act($$UPDATE showroom.sales_line SET cancelled_qty = 1 WHERE order_id = 2$$);
SELECT 'change own line''s quantity' AS "case", sr_sec.act($$UPDATE showroom.sales_line SET qty = 9 WHERE order_id = 1$$);
SELECT 'new store' AS "case", sr_sec.act($$INSERT INTO showroom.store (code, name, location, home_dc_id) VALUES ('S9', 'x', 'SRID=4326;POINT(113 37)', 1)$$);
SELECT 'change setting' AS "case", sr_sec.act($$SELECT showroom.set_setting('business_time_zone', 'UTC')$$);
SELECT 'write setting row' AS "case", sr_sec.act($$UPDATE showroom.setting SET value = 'UTC'$$);
SELECT 'map self to store 2' AS "case", sr_sec.act($$SELECT showroom.map_login('sr_clerk1', store_id => 2)$$);
SELECT 'insert own mapping' AS "case", sr_sec.act($$INSERT INTO showroom.staff_login (login, store_id) VALUES ('sr_clerk1', 2)$$);
SELECT 'create in schema' AS "case", sr_sec.act($$CREATE TABLE showroom.mine (x int)$$);
-- A temporary table named like the map does not fool the helpers (they
-- name showroom.staff_login), nor does switching to the bare group role,
-- which is mapped to nothing, nor can it become another login.
CREATE TEMP TABLE staff_login (login name, store_id bigint);
INSERT INTO staff_login VALUES ('sr_clerk1', 2);
SET search_path = pg_temp, showroom, public;
SELECT 'shadowed map' AS "case", showroom.my_store_ids(), my_store_ids();
RESET search_path;
SELECT 'outlet helper' AS "case", showroom.my_outlet_ids();
SET ROLE showroom_clerk;
SELECT 'as bare group' AS "case", showroom.my_store_ids(), sr_sec.seen('sales_order', 'id');
RESET ROLE;
SELECT 'become dc login' AS "case", sr_sec.act($$SET ROLE sr_dc1$$);
DROP TABLE pg_temp.staff_login;

-- DC staff: its DC's orders; may move their state and nothing else.
\c - sr_dc1
SELECT * FROM sr_sec.matrix;
SELECT 'advance own DC order' AS "case", sr_sec.act($$UPDATE showroom.sales_order SET state = 'picked' WHERE id = 1$$);
SELECT 'advance other DC order' AS "case", sr_sec.act($$UPDATE showroom.sales_order SET state = 'picked' WHERE id = 2$$);
SELECT 'hand order to DC 2' AS "case", sr_sec.act($$UPDATE showroom.sales_order SET state = 'picked', dc_id = 2 WHERE id = 1$$);
SELECT 'change customer' AS "case", sr_sec.act($$UPDATE showroom.sales_order SET customer_name = 'x' WHERE id = 1$$);
SELECT 'record an order' AS "case", sr_sec.act($$INSERT INTO showroom.sales_order (store_id, dc_id, delivery_point) VALUES (1, 1, 'SRID=4326;POINT(113.6 37.8)')$$);

-- A dispatcher: every outlet, area and service order; no sales order.
\c - sr_disp
SELECT * FROM sr_sec.matrix;
SELECT 'assign' AS "case", sr_sec.act($$UPDATE showroom.service_order SET outlet_id = 1, state = 'dispatched' WHERE id = 3$$);
SELECT 'new request' AS "case", sr_sec.act($$INSERT INTO showroom.service_order (kind, category, point, service_date) VALUES ('repair', 'television', 'SRID=4326;POINT(113.6 37.8)', '2026-05-06')$$);
SELECT 'delete order' AS "case", sr_sec.act($$DELETE FROM showroom.service_order WHERE id = 3$$);
SELECT 'suspend outlet' AS "case", sr_sec.act($$UPDATE showroom.outlet SET active = false$$);

-- An outlet: its own row, areas, service orders and score.
\c - sr_outlet1
SELECT * FROM sr_sec.matrix;
SELECT 'accept own order' AS "case", sr_sec.act($$UPDATE showroom.service_order SET state = 'accepted' WHERE id = 1$$);
SELECT 'accept other''s order' AS "case", sr_sec.act($$UPDATE showroom.service_order SET state = 'accepted' WHERE id = 2$$);
SELECT 'hand to outlet 2' AS "case", sr_sec.act($$UPDATE showroom.service_order SET outlet_id = 2 WHERE id = 1$$);
SELECT 'raise own score' AS "case", sr_sec.act($$UPDATE showroom.outlet_satisfaction SET score = 5$$);

-- Finance reads orders and outlets, writes nothing here.
\c - sr_fin
SELECT * FROM sr_sec.matrix;
SELECT 'change COD' AS "case", sr_sec.act($$UPDATE showroom.sales_order SET cod_fen = 0$$);

-- Reporting reads views only: no table, no helper, and none of the
-- parties' security_invoker copies (they would read tables as it).
\c - sr_bi
SELECT * FROM sr_sec.matrix;
SELECT 'helper' AS "case", sr_sec.act($$SELECT showroom.my_store_ids()$$);
SELECT 'every view readable, no table' AS "case",
       bool_and(sr_sec.seen(c.relname, '1') NOT LIKE '42501%')
         FILTER (WHERE c.relkind IN ('v', 'm')
                  AND NOT coalesce(c.reloptions @> '{security_invoker=true}', false)) AS views_ok,
       bool_and(sr_sec.seen(c.relname, '1') LIKE '42501%')
         FILTER (WHERE c.relkind IN ('v', 'm') AND c.reloptions @> '{security_invoker=true}') AS invoker_views_denied,
       bool_and(sr_sec.seen(c.relname, '1') LIKE '42501%') FILTER (WHERE c.relkind IN ('r', 'p', 'S', 'f')) AS tables_denied
  FROM pg_class c WHERE c.relnamespace = 'showroom'::regnamespace;

-- A login in no showroom role: nothing at all.
\c - sr_nobody
SELECT * FROM sr_sec.matrix;
SELECT 'helper' AS "case", sr_sec.act($$SELECT showroom.my_store_ids()$$);

-- The administrator: everything; the rows the extension seeds stay.
\c - sr_admin
SELECT * FROM sr_sec.matrix;
SELECT 'change builtin category' AS "case", sr_sec.act($$UPDATE showroom.category SET name = 'x' WHERE code = 'television'$$);
SELECT 'add builtin category' AS "case", sr_sec.act($$INSERT INTO showroom.category (code, name, large, builtin) VALUES ('x', 'x', true, true)$$);
SELECT 'add own category' AS "case", sr_sec.act($$INSERT INTO showroom.category (code, name, large) VALUES ('dishwasher', 'dishwasher', true)$$);
SELECT 'change a default' AS "case", sr_sec.act($$UPDATE showroom.setting_default SET value = 'UTC'$$);
SELECT 'change setting' AS "case", sr_sec.act($$SELECT showroom.set_setting('business_time_zone', 'Asia/Shanghai')$$);
SELECT 'map a login' AS "case", sr_sec.act($$SELECT showroom.map_login('sr_fin', store_id => 2)$$);
SELECT 'truncate' AS "case", sr_sec.act($$TRUNCATE showroom.sales_line$$);

-- Back as superuser: the writes above that were allowed, and no other.
\c - postgres
SELECT id, store_id, dc_id, state, cod_fen, customer_name FROM showroom.sales_order ORDER BY id;
SELECT order_id, line_no, qty FROM showroom.sales_line ORDER BY id;
SELECT id, outlet_id, state FROM showroom.service_order ORDER BY id;
SELECT login, store_id, dc_id, outlet_id FROM showroom.staff_login ORDER BY id;
SELECT 'unchanged' AS "case", (SELECT count(*) FROM showroom.store) AS stores,
       (SELECT count(*) FROM showroom.outlet WHERE active) AS active_outlets,
       (SELECT max(score) FROM showroom.outlet_satisfaction) AS best_score,
       (SELECT name FROM showroom.category WHERE code = 'television') AS tv,
       showroom.setting_value('business_time_zone') AS zone;

DROP SCHEMA sr_sec CASCADE;
DROP ROLE sr_admin, sr_clerk1, sr_dc1, sr_disp, sr_outlet1, sr_fin, sr_bi, sr_nobody;
