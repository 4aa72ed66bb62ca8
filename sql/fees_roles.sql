-- fees_roles: the fee, discipline, offer and cash functions run as the
-- roles that use them: a dispatcher quotes, records a receipt and an
-- incident, offers and sweeps; an outlet answers its own offer, records
-- its contact and appeals; finance decides the appeal, releases deposits,
-- pays, reads the account and takes in COD; a clerk and another outlet
-- are refused.
\i test/helpers.sql

SELECT showroom.add_outlet('O1', 'outlet one', 113.58, 37.86, 1, 5),
       showroom.add_outlet('O2', 'outlet two', 113.60, 37.86, 0, 5);
SELECT count(showroom.add_service_area(id, code, 'SRID=4326;POLYGON((113 37.5,114 37.5,114 38,113 38,113 37.5))'))
  FROM showroom.outlet;
SELECT count(showroom.set_capability(id, 'installation', 'air_conditioner', 4)) FROM showroom.outlet;
INSERT INTO showroom.sku (code, name, category, list_price_fen, capacity_hp)
VALUES ('AC-15', 'split AC 1.5P', 'air_conditioner', 300000, 1.5);
INSERT INTO showroom.sales_order (store_id, dc_id, delivery_point)
VALUES (1, 1, 'SRID=4326;POINT(113.58 37.86)');
INSERT INTO showroom.service_order (kind, category, sku_id, point, service_date, customer_phone)
SELECT 'installation', 'air_conditioner', 1, 'SRID=4326;POINT(113.5 37.75)', '2026-12-20', '138-' || i
  FROM generate_series(1, 2) i;
SELECT showroom.record_cod_collection(1, 1, 6000, 'cash', 'Li');

DROP ROLE IF EXISTS sr_fee_disp, sr_fee_o1, sr_fee_o2, sr_fee_fin, sr_fee_clerk;
CREATE ROLE sr_fee_disp IN ROLE showroom_dispatcher;
CREATE ROLE sr_fee_o1 IN ROLE showroom_outlet;
CREATE ROLE sr_fee_o2 IN ROLE showroom_outlet;
CREATE ROLE sr_fee_fin IN ROLE showroom_finance;
CREATE ROLE sr_fee_clerk IN ROLE showroom_clerk;
SELECT showroom.map_login('sr_fee_o1', outlet_id => 1), showroom.map_login('sr_fee_o2', outlet_id => 2);

-- The dispatcher offers order 1 (to O1, priority 1) and quotes it.
SET ROLE sr_fee_disp;
SELECT 'offer' AS "case", showroom.offer_order(1) AS offer_id;
SELECT 'quote' AS "case", showroom.quote(1, ARRAY[('ac_install', 1, NULL), ('copper_pipe', 4, NULL)]::showroom.fee_measure[]);
RESET ROLE;

-- O2 may not answer O1's offer; O1 accepts and records the contact; a
-- clerk may not offer.
SET ROLE sr_fee_o2;
SELECT 'other outlet' AS "case", pg_temp.try($$SELECT showroom.accept_offer(1)$$);
SELECT 'other outlet sees' AS "case", count(*) FROM showroom.offer;
RESET ROLE;
-- O1 may write its offer's answer columns, but only as accept_offer and
-- decline_offer do: an acceptance without moving the order, an expiry or
-- a refusal without a refusal code are refused, whatever it stamps.
SET ROLE sr_fee_o1;
SELECT 'forged accept' AS "case", pg_temp.try($$UPDATE showroom.offer SET state = 'accepted', answered_at = '2000-01-01', answered_by = 'someone else' WHERE id = 1$$);
SELECT 'forged expiry' AS "case", pg_temp.try($$UPDATE showroom.offer SET state = 'expired', answered_at = now() WHERE id = 1$$);
SELECT 'decline no code' AS "case", pg_temp.try($$UPDATE showroom.offer SET state = 'declined', answered_at = now() WHERE id = 1$$);
SELECT 'accept' AS "case", showroom.accept_offer(1);
SELECT 'answer stamped' AS "case", state, answered_by, answered_at >= offered_at AS in_time FROM showroom.offer WHERE id = 1;
SELECT 'answer again' AS "case", pg_temp.try($$UPDATE showroom.offer SET answered_by = 'someone else' WHERE id = 1$$);
SELECT 'contact' AS "case", showroom.record_contact(1);
SELECT 'own offers' AS "case", count(*) FROM showroom.offer;
RESET ROLE;
SET ROLE sr_fee_clerk;
SELECT 'clerk offers' AS "case", pg_temp.try($$SELECT showroom.offer_order(2)$$);
RESET ROLE;

-- The job is done; the dispatcher records the receipt and a missed first
-- visit by the outlet's fault (3 points: the first ladder step suspends
-- O1; the visit goes unpaid).
DO $$ BEGIN
  PERFORM showroom.move_order(1, 'on_the_way'), showroom.move_order(1, 'done', 'installation.result.installed');
END $$;
SET ROLE sr_fee_disp;
SELECT 'receipt' AS "case", showroom.issue_receipt(1, ARRAY[('ac_install', 1, NULL), ('copper_pipe', 4, NULL)]::showroom.fee_measure[]);
SELECT 'incident' AS "case", showroom.record_incident(1, 'missed', 'outlet', 'no show on the first day');
SELECT 'grades' AS "case", showroom.compute_grades();
SELECT 'sweep' AS "case", * FROM showroom.expire_offers();
RESET ROLE;
SELECT 'suspended' AS "case", suspended_reason IS NOT NULL AS suspended FROM showroom.outlet WHERE id = 1;

-- O1 sees its own amounts and appeals; O2 sees none of them.
SET ROLE sr_fee_o1;
SELECT 'own amounts' AS "case", component, amount_fen FROM showroom.outlet_amount ORDER BY 2;
SELECT 'appeal' AS "case", showroom.file_appeal(1, 'customer postponed by phone');
RESET ROLE;
SET ROLE sr_fee_o2;
SELECT 'other amounts' AS "case", count(*) FROM showroom.outlet_amount;
SELECT 'other appeal' AS "case", pg_temp.try($$SELECT showroom.file_appeal(1, 'x')$$);
SELECT 'decide as outlet' AS "case", pg_temp.try($$SELECT showroom.decide_appeal(1, true, 'x')$$);
RESET ROLE;

-- Finance upholds: penalty and points go, the suspension is lifted; it
-- releases deposits, pays, reads the account and takes in COD.
SET ROLE sr_fee_fin;
SELECT 'decide' AS "case", showroom.decide_appeal(1, true, 'call recording confirms');
SELECT 'release' AS "case", showroom.release_deposits((now() + interval '4 months')::date);
SELECT 'pay' AS "case", showroom.record_outlet_payment(1, 'air_conditioner', '2026-12-01', 100, 'B-1') > 0 AS ok;
SELECT 'account' AS "case", category, paid FROM showroom.outlet_account(1, date_trunc('month', now())::date);
SELECT 'hand in' AS "case", showroom.hand_in_cod(1, 600000) > 0 AS ok;
SELECT 'collect' AS "case", showroom.collect_cod(1, 1, 10, 'cash', 'Li') > 0 AS ok;
RESET ROLE;
SELECT 'after appeal' AS "case", (SELECT suspended_reason IS NULL FROM showroom.outlet WHERE id = 1) AS open,
       (SELECT count(*) FROM showroom.outlet_amount WHERE component = 'penalty') AS penalties;

RESET ROLE;
SELECT showroom.unmap_login('sr_fee_o1'), showroom.unmap_login('sr_fee_o2');
DROP ROLE sr_fee_disp, sr_fee_o1, sr_fee_o2, sr_fee_fin, sr_fee_clerk;
