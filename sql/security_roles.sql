-- security_roles: the grants are enough for each role's job.  Log in as a
-- clerk, DC staff, a dispatcher, an outlet and finance; run one real step
-- of each job through the API, and one step each role must not take.
-- What sr_sec.act() reports is checked against the tables afterwards, as
-- superuser.
\i test/helpers.sql

-- Master data, as the administrator would load it: a DC whose region
-- covers the customers, two stores, a TV (no installation), an outlet
-- able to install air conditioners in the area, stock of the TV.
INSERT INTO showroom.dc (code, name, location, region) VALUES
  ('RDC', 'roles DC', 'SRID=4326;POINT(113.58 37.86)',
   ST_Multi(ST_MakeEnvelope(113, 37.5, 114, 38.2, 4326))),
  ('RDC2', 'other DC', 'SRID=4326;POINT(112.55 37.87)', NULL);
INSERT INTO showroom.store (code, name, location, home_dc_id) VALUES
  ('RS1', 'roles store', 'SRID=4326;POINT(113.60 37.85)', 1),
  ('RS2', 'other store', 'SRID=4326;POINT(112.56 37.86)', 2);
INSERT INTO showroom.sku (code, name, category, list_price_fen, needs_install, volume_l, weight_kg)
VALUES ('RTV', 'roles television', 'television', 199900, false, 150, 20);
SELECT showroom.add_outlet('RO1', 'roles crew', 113.59, 37.87) AS outlet_1,
       showroom.add_outlet('RO2', 'other crew', 113.61, 37.88) AS outlet_2;
SELECT showroom.set_capability(o.id, 'installation', 'air_conditioner', 4)
  FROM showroom.outlet o ORDER BY o.id;
SELECT showroom.add_service_area(1, 'roles area',
         'SRID=4326;MULTIPOLYGON(((113.4 37.7,113.8 37.7,113.8 38.0,113.4 38.0,113.4 37.7)))');
SELECT showroom.receive_stock(1, 1, 5, 'opening stock');
-- A service order for the dispatcher, and one already at the outlet.
SELECT showroom.request_service('installation', 113.62, 37.84, '2026-06-02',
                                customer_name => 'roles customer', category => 'air_conditioner');
SELECT showroom.request_service('installation', 113.63, 37.83, '2026-06-02',
                                customer_name => 'second customer', category => 'air_conditioner');
SELECT showroom.assign(2, 1, 'set up for the outlet');
-- A part in stock at the outlet, for the parts it uses.
SELECT showroom.add_part('RCAP', 'roles capacitor') AS part;
SELECT showroom.set_part_price(1, 1200, '2026-01-01') IS NOT NULL AS priced,
       showroom.receive_parts(1, 1, 10, 'opening') AS at_dc,
       showroom.issue_parts(1, 1, 1, 5) AS at_outlet;
-- A sale for the DC to pick.
SELECT showroom.sell(1, 113.62, 37.84, '{1}', '{1}', customer_name => 'first buyer',
                     delivery_date => showroom.business_date(now()) + 7);
SELECT showroom.add_vehicle(1, 'RV1', 8000, 1500, '08:00', '18:00', false) AS vehicle;

-- One login per role, mapped to the first store, DC and outlet.
SET client_min_messages = warning;
DROP ROLE IF EXISTS sr_r_clerk, sr_r_dc, sr_r_disp, sr_r_outlet, sr_r_fin;
RESET client_min_messages;
CREATE ROLE sr_r_clerk LOGIN IN ROLE showroom_clerk;
CREATE ROLE sr_r_dc LOGIN IN ROLE showroom_dc;
CREATE ROLE sr_r_disp LOGIN IN ROLE showroom_dispatcher;
CREATE ROLE sr_r_outlet LOGIN IN ROLE showroom_outlet;
CREATE ROLE sr_r_fin LOGIN IN ROLE showroom_finance;
SELECT showroom.map_login('sr_r_clerk', store_id => 1) IS NOT NULL AS clerk_mapped,
       showroom.map_login('sr_r_dc', dc_id => 1) IS NOT NULL AS dc_mapped,
       showroom.map_login('sr_r_outlet', outlet_id => 1) IS NOT NULL AS outlet_mapped;

-- act(q): run a statement as the caller; 'ok' and the first column of
-- its first row, or the SQLSTATE and message.  It survives \c.
CREATE SCHEMA sr_roles;
GRANT USAGE ON SCHEMA sr_roles TO PUBLIC;
CREATE FUNCTION sr_roles.act(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text;
BEGIN
  EXECUTE q INTO r;
  RETURN 'ok: ' || coalesce(r, '(null)');
EXCEPTION WHEN OTHERS THEN RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

-- DC staff receive stock, pick the sale at their DC, plan the day's
-- delivery runs, place a display sample in the store, ship and deliver
-- the sale, receive parts and issue them to an outlet; they may not
-- receive stock or parts at another DC, sell, or change an allocation
-- but through the API.
\c - sr_r_dc
SELECT 'dc receives' AS "case", sr_roles.act($$SELECT showroom.receive_stock(1, 1, 3, 'truck 7')$$);
SELECT 'dc picks' AS "case", sr_roles.act($$SELECT showroom.pick_order(1)$$);
SELECT 'dc plans the day''s runs' AS "case",
       sr_roles.act($$SELECT string_agg(order_id || ' ' || outcome, ', ') FROM showroom.plan_runs(1, showroom.business_date(now()) + 7)$$);
SELECT 'dc places a sample' AS "case", sr_roles.act($$SELECT showroom.place_sample(1, 1, 'SN-1')$$);
SELECT 'dc ships' AS "case", sr_roles.act($$SELECT showroom.ship_order(1)$$);
SELECT 'dc delivers' AS "case", sr_roles.act($$SELECT showroom.deliver_order(1)$$);
SELECT 'dc receives parts' AS "case", sr_roles.act($$SELECT showroom.receive_parts(1, 1, 4, 'parts truck')$$);
SELECT 'dc issues parts' AS "case", sr_roles.act($$SELECT showroom.issue_parts(1, 1, 2, 2)$$);
SELECT 'dc receives parts at another DC' AS "case",
       sr_roles.act($$SELECT showroom.receive_parts(1, 2, 1, 'wrong DC')$$);
SELECT 'dc rewrites an allocation' AS "case",
       sr_roles.act($$UPDATE showroom.allocation SET qty = 9 WHERE sales_order_id = 1$$);
SELECT 'dc receives at another DC' AS "case",
       sr_roles.act($$SELECT showroom.receive_stock(2, 1, 3, 'wrong DC')$$);
SELECT 'dc sells' AS "case",
       sr_roles.act($$SELECT showroom.sell(1, 113.62, 37.84, '{1}', '{1}')$$);

-- A clerk sells, and sells the sample open-box, in its store, and
-- cancels its sale; it may not sell for another store, nor rewrite a
-- customer or a quantity but through the API.
\c - sr_r_clerk
SELECT 'clerk sells open-box' AS "case",
       sr_roles.act($$SELECT showroom.open_box_sale(1, 'A', 150000, 'scratch on the left side', 'roles buyer')$$);
SELECT 'clerk sells' AS "case",
       sr_roles.act($$SELECT showroom.sell(1, 113.62, 37.84, '{1}', '{1}', customer_name => 'second buyer')$$);
SELECT 'clerk sells for another store' AS "case",
       sr_roles.act($$SELECT showroom.sell(2, 113.62, 37.84, '{1}', '{1}')$$);
SELECT 'clerk cancels' AS "case", sr_roles.act($$SELECT showroom.cancel_order(2)$$);
SELECT 'clerk rewrites a customer' AS "case",
       sr_roles.act($$UPDATE showroom.sales_order SET customer_name = 'x' WHERE id = 2$$);
SELECT 'clerk rewrites a quantity' AS "case",
       sr_roles.act($$UPDATE showroom.sales_line SET qty = 9 WHERE order_id = 2$$);

-- The dispatcher reads the candidates and dispatches the first service
-- order; it may not sell.
\c - sr_r_disp
SELECT 'dispatcher screens' AS "case",
       sr_roles.act($$SELECT string_agg(outlet_code || ' ' || coalesce(reason, 'rank ' || rank), ', ' ORDER BY outlet_id) FROM showroom.candidates(1)$$);
SELECT 'dispatcher dispatches' AS "case", sr_roles.act($$SELECT showroom.dispatch(1)$$);
SELECT 'dispatcher sells' AS "case",
       sr_roles.act($$SELECT showroom.sell(1, 113.62, 37.84, '{1}', '{1}')$$);

-- The outlet accepts its order, leaves for it and records a part it
-- used; it may not dispatch.
\c - sr_r_outlet
SELECT 'outlet accepts' AS "case", sr_roles.act($$SELECT (showroom.move_order(2, 'accepted')).to_state$$);
SELECT 'outlet leaves' AS "case", sr_roles.act($$SELECT (showroom.move_order(2, 'on_the_way')).to_state$$);
SELECT 'outlet uses a part' AS "case",
       sr_roles.act($$SELECT showroom.record_part_use(2, 1, 1, false) IS NOT NULL$$);
SELECT 'outlet dispatches' AS "case", sr_roles.act($$SELECT showroom.dispatch(1)$$);

-- Finance records a COD collection and its remittance; it may not move
-- a service order.  (settle() is not tried here: the settlement room is
-- changing what it reads.)
\c - sr_r_fin
SELECT 'finance records COD' AS "case",
       sr_roles.act($$SELECT showroom.record_cod_collection(1, 1, 1999.00, 'cash', 'crew lead', '2026-05-10 02:00Z') IS NOT NULL$$);
SELECT 'finance records remittance' AS "case",
       sr_roles.act($$SELECT showroom.record_cod_remittance(1, 1999.00, 'BANK-1', '2026-05-11 02:00Z') IS NOT NULL$$);
SELECT 'finance moves an order' AS "case",
       sr_roles.act($$SELECT (showroom.move_order(2, 'done', 'installed')).to_state$$);

-- Back as superuser: each allowed step left its rows, no refused one did.
\c - postgres
SELECT id, store_id, dc_id, state FROM showroom.sales_order ORDER BY id;
SELECT dc_id, store_id, kind, qty, done_by FROM showroom.stock_movement ORDER BY id;
SELECT r.vehicle_id, st.order_id, st.seq FROM showroom.delivery_run r
  JOIN showroom.run_stop st ON st.run_id = r.id ORDER BY st.seq;
SELECT id, store_id, state FROM showroom.sample ORDER BY id;
SELECT sample_id, grade, price_fen FROM showroom.open_box_sale ORDER BY id;
SELECT id, state, outlet_id FROM showroom.service_order ORDER BY id;
SELECT order_id, from_state, to_state, db_role FROM showroom.service_trail ORDER BY id;
SELECT order_id, part_id, qty, outlet_id FROM showroom.part_use ORDER BY id;
SELECT part_id, dc_id, outlet_id, on_hand FROM showroom.part_stock ORDER BY dc_id, outlet_id;
SELECT sales_order_id, outlet_id, amount_fen FROM showroom.cod_collection ORDER BY id;
SELECT outlet_id, amount_fen FROM showroom.cod_remittance ORDER BY id;

DROP SCHEMA sr_roles CASCADE;
SELECT showroom.unmap_login(l) FROM unnest('{sr_r_clerk,sr_r_dc,sr_r_outlet}'::name[]) l;
DROP ROLE sr_r_clerk, sr_r_dc, sr_r_disp, sr_r_outlet, sr_r_fin;
