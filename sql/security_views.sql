-- security_views: what each role sees through the report views.  The
-- reports (stock_position, sales_daily, ...) read with their owner's
-- rights and are for showroom_reporting and showroom_admin only; each
-- party reads its my_<report> copy, a security_invoker view, so that its
-- own policies decide the rows.  A login of each role reads every report
-- view; the table at the end shows, per view, the keys each one saw (a
-- store, DC or outlet code, or a service order id) or why it was refused.
\i test/helpers.sql

-- Two of everything, one on each side: DC D1 with store S1, DC D2 with
-- store S2, outlets O1 and O2; an order, a delivery and a sample per
-- store, booked load and a statement per outlet, a job done by each
-- outlet and one order waiting for dispatch.
INSERT INTO showroom.dc (code, name, location) VALUES
  ('D1', 'first DC', 'SRID=4326;POINT(113.58 37.86)'),
  ('D2', 'second DC', 'SRID=4326;POINT(112.55 37.87)');
INSERT INTO showroom.store (code, name, location, home_dc_id) VALUES
  ('S1', 'store one', 'SRID=4326;POINT(113.60 37.85)', 1),
  ('S2', 'store two', 'SRID=4326;POINT(112.56 37.86)', 2);
INSERT INTO showroom.sku (code, name, category, list_price_fen)
VALUES ('AC1', 'split AC', 'air_conditioner', 329900);
INSERT INTO showroom.stock_balance (dc_id, sku_id, slot, on_hand) VALUES (1, 1, 0, 5), (2, 1, 0, 7);
INSERT INTO showroom.sales_order (store_id, dc_id, delivery_point, state) VALUES
  (1, 1, 'SRID=4326;POINT(113.61 37.84)', 'delivered'),
  (2, 2, 'SRID=4326;POINT(112.57 37.85)', 'delivered');
INSERT INTO showroom.sales_line (order_id, line_no, sku_id, qty, unit_price_fen, delivered_qty)
VALUES (1, 1, 1, 1, 329900, 1), (2, 1, 1, 1, 329900, 1);
INSERT INTO showroom.delivery (sales_order_id, attempt, shipped_at) VALUES (1, 1, now()), (2, 1, now());
INSERT INTO showroom.stock_movement (dc_id, sku_id, kind, qty, d_on_hand, sales_order_id, delivery_id)
VALUES (1, 1, 'receipt', 6, 6, NULL, NULL), (2, 1, 'receipt', 8, 8, NULL, NULL),
       (1, 1, 'delivery', 1, -1, 1, 1), (2, 1, 'delivery', 1, -1, 2, 2);
INSERT INTO showroom.sample (store_id, sku_id, serial, from_dc_id) VALUES (1, 1, 'A', 1), (2, 1, 'B', 2);
INSERT INTO showroom.outlet (code, name, base) VALUES
  ('O1', 'outlet one', 'SRID=4326;POINT(113.59 37.87)'),
  ('O2', 'outlet two', 'SRID=4326;POINT(112.54 37.88)');
INSERT INTO showroom.outlet_load (outlet_id, day, booked) VALUES
  (1, (now() AT TIME ZONE 'Asia/Shanghai')::date, 1),
  (2, (now() AT TIME ZONE 'Asia/Shanghai')::date, 2);
INSERT INTO showroom.service_order (kind, category, sales_order_id, point, service_date, outlet_id,
                                    state, done_at) VALUES
  ('repair', 'air_conditioner', NULL, 'SRID=4326;POINT(113.62 37.83)', '2026-05-05', NULL, 'requested', NULL),
  ('installation', 'air_conditioner', 1, 'SRID=4326;POINT(113.61 37.84)', '2026-05-04', 1, 'done', now()),
  ('installation', 'air_conditioner', 2, 'SRID=4326;POINT(112.57 37.85)', '2026-05-04', 2, 'done', now());
INSERT INTO showroom.statement (outlet_id, period) VALUES
  (1, date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai')::date),
  (2, date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai')::date);

-- A login per role, mapped to the places on side 1, and one in no role.
SET client_min_messages = warning;
DROP ROLE IF EXISTS sv_admin, sv_clerk, sv_dc, sv_disp, sv_outlet, sv_fin, sv_bi, sv_nobody;
RESET client_min_messages;
CREATE ROLE sv_admin LOGIN IN ROLE showroom_admin;
CREATE ROLE sv_clerk LOGIN IN ROLE showroom_clerk;
CREATE ROLE sv_dc LOGIN IN ROLE showroom_dc;
CREATE ROLE sv_disp LOGIN IN ROLE showroom_dispatcher;
CREATE ROLE sv_outlet LOGIN IN ROLE showroom_outlet;
CREATE ROLE sv_fin LOGIN IN ROLE showroom_finance;
CREATE ROLE sv_bi LOGIN IN ROLE showroom_reporting;
CREATE ROLE sv_nobody LOGIN;
SELECT showroom.map_login('sv_clerk', store_id => 1), showroom.map_login('sv_dc', dc_id => 1),
       showroom.map_login('sv_outlet', outlet_id => 1);

-- seen(view, key) runs as the caller: the distinct keys of the rows the
-- view shows it, '(none)', 'no grant' when the view itself is refused,
-- or the error (a refused table behind a granted view would show here).
-- Each login writes one row per view into sv.result.
CREATE SCHEMA sv;
GRANT USAGE ON SCHEMA sv TO PUBLIC;
CREATE TABLE sv.result (login name, view text, seen text);
GRANT INSERT ON sv.result TO PUBLIC;
CREATE FUNCTION sv.seen(rel text, key text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text;
BEGIN
  EXECUTE format('SELECT coalesce(string_agg(DISTINCT (%s)::text, '','' ORDER BY (%s)::text), ''(none)'') FROM showroom.%I',
                 key, key, rel) INTO r;
  RETURN r;
EXCEPTION WHEN insufficient_privilege THEN
  RETURN CASE WHEN SQLERRM IN (format('permission denied for view %s', rel),
                               'permission denied for schema showroom')
              THEN 'no grant' ELSE SQLERRM END;
END $$;
CREATE VIEW sv.report (view, key) AS VALUES
  ('stock_position', 'dc_code'), ('store_display', 'store_code'),
  ('inventory_turnover', 'dc_code'), ('sales_daily', 'store_code'),
  ('deliveries_daily', 'dc_code'), ('outlet_load_week', 'outlet_code'),
  ('unserved_orders', 'service_order_id'), ('dispatch_backlog', 'kind'),
  ('outlet_performance', 'outlet_code'), ('statement_report', 'outlet_code'),
  ('central_whatif', 'dc_code'), ('central_whatif_dc', 'dc_code');
CREATE TABLE sv.every_view AS
SELECT r.view, r.key FROM sv.report r
UNION ALL
SELECT 'my_' || r.view, r.key FROM sv.report r
 WHERE to_regclass('showroom.my_' || r.view) IS NOT NULL;
GRANT SELECT ON sv.every_view TO PUBLIC;
CREATE FUNCTION sv.record() RETURNS void LANGUAGE sql AS $$
  INSERT INTO sv.result SELECT current_user, v.view, sv.seen(v.view, v.key) FROM sv.every_view v;
$$;

\c - sv_clerk
SELECT sv.record();
-- A clerk cannot reach another store's rows by filtering the copy.
SELECT 'clerk asks for S2' AS "case", count(*) AS rows
  FROM showroom.my_sales_daily WHERE store_code = 'S2';
\c - sv_dc
SELECT sv.record();
\c - sv_disp
SELECT sv.record();
\c - sv_outlet
SELECT sv.record();
SELECT 'outlet asks for O2' AS "case", count(*) AS rows
  FROM showroom.my_statement_report WHERE outlet_code = 'O2';
\c - sv_fin
SELECT sv.record();
\c - sv_bi
SELECT sv.record();
\c - sv_nobody
SELECT sv.record();
\c - sv_admin
SELECT sv.record();
\c - postgres

-- Every view, one column per role.  Read by row:
--  * the reports: only reporting (bi) and the administrator read them,
--    and see both sides; every other role is refused;
--  * the copies: reporting is refused (it reads no table); each party
--    sees side 1 only where its policies limit it to its place (the
--    clerk S1; DC staff D1, and S1's sales, which are D1's orders, but
--    every store's samples, which DC staff place; the outlet O1) and
--    everything where they do not (dispatcher, finance, administrator).
SELECT r.view,
       max(r.seen) FILTER (WHERE r.login = 'sv_clerk') AS clerk,
       max(r.seen) FILTER (WHERE r.login = 'sv_dc') AS dc,
       max(r.seen) FILTER (WHERE r.login = 'sv_disp') AS dispatcher,
       max(r.seen) FILTER (WHERE r.login = 'sv_outlet') AS outlet,
       max(r.seen) FILTER (WHERE r.login = 'sv_fin') AS finance,
       max(r.seen) FILTER (WHERE r.login = 'sv_bi') AS reporting,
       max(r.seen) FILTER (WHERE r.login = 'sv_nobody') AS nobody,
       max(r.seen) FILTER (WHERE r.login = 'sv_admin') AS admin
  FROM sv.result r
 GROUP BY r.view
 ORDER BY r.view LIKE 'my\_%', r.view;

-- Each login recorded each of the 12 reports and 9 copies.
SELECT 'views recorded' AS "case", count(DISTINCT view) AS views,
       count(*) = 8 * count(DISTINCT view) AS every_login_every_view
  FROM sv.result;

SET client_min_messages = warning;
DROP SCHEMA sv CASCADE;
DROP ROLE sv_admin, sv_clerk, sv_dc, sv_disp, sv_outlet, sv_fin, sv_bi, sv_nobody;
