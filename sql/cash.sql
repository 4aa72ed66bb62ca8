-- cash: an outlet's account per category (opening, payable, paid,
-- closing), small balances rolled over for at most N months, the month an
-- order belongs to as a setting, and COD handed in per person (not,
-- partly, fully), reviewed by a second person above a threshold, overdue
-- cash blocking its collector.
\i test/helpers.sql

INSERT INTO showroom.outlet (code, name, base)
VALUES ('ca-o1', 'Outlet one', ST_SetSRID(ST_MakePoint(113.58, 37.86), 4326));
INSERT INTO showroom.sku (code, name, category, list_price_fen, capacity_hp)
VALUES ('AC-15', 'split AC 1.5P', 'air_conditioner', 300000, 1.5);
INSERT INTO showroom.sales_order (store_id, dc_id, delivery_point)
VALUES (1, 1, 'SRID=4326;POINT(113.58 37.86)');

-- Per-order outlet amounts by hand (as the fee and discipline rooms write
-- them): an AC job worth 300 yuan in September, a washer job worth 30 in
-- September, 10 in October, 15 in November, 12 in December.
INSERT INTO showroom.service_order (kind, category, point, service_date, outlet_id, state) VALUES
  ('installation', 'air_conditioner', 'SRID=4326;POINT(113.58 37.86)', '2026-09-10', 1, 'requested'),
  ('installation', 'washing_machine', 'SRID=4326;POINT(113.58 37.86)', '2026-09-10', 1, 'requested'),
  ('installation', 'washing_machine', 'SRID=4326;POINT(113.58 37.86)', '2026-10-10', 1, 'requested'),
  ('installation', 'washing_machine', 'SRID=4326;POINT(113.58 37.86)', '2026-11-10', 1, 'requested'),
  ('installation', 'washing_machine', 'SRID=4326;POINT(113.58 37.86)', '2026-12-01', 1, 'requested');
INSERT INTO showroom.outlet_amount (service_order_id, component, outlet_id, amount_fen, due_on) VALUES
  (1, 'fee_items', 1, 30000, '2026-09-10'), (2, 'fee_items', 1, 3000, '2026-09-10'),
  (3, 'fee_items', 1, 1000, '2026-10-10'), (4, 'fee_items', 1, 1500, '2026-11-10'),
  (5, 'fee_items', 1, 1200, '2026-12-01');
-- The accounts read the statements: nothing is payable before a
-- settlement run picks the amounts up, month by month.
SELECT 'before settling' AS "case", count(*) FROM showroom.outlet_account(1, '2026-12-01');
SELECT 'settle 2026-09-01' AS "case", outlet_id, lines_added, total FROM showroom.settle('2026-09-01');
SELECT 'settle 2026-10-01' AS "case", outlet_id, lines_added, total FROM showroom.settle('2026-10-01');
SELECT 'settle 2026-11-01' AS "case", outlet_id, lines_added, total FROM showroom.settle('2026-11-01');
SELECT 'settle 2026-12-01' AS "case", outlet_id, lines_added, total FROM showroom.settle('2026-12-01');
-- Each amount once, in its own month.
SELECT 'payable' AS "case", period, category, component, service_order_id, amount_fen
  FROM showroom.outlet_payable ORDER BY period, service_order_id;

-- September: AC 300 to pay (paid), washer 30 under 50: rolled over.
SELECT 'september' AS "case", * FROM showroom.outlet_account(1, '2026-09-01');
SELECT 'pay' AS "case", showroom.record_outlet_payment(1, 'air_conditioner', '2026-09-01', 30000, 'BANK-0901');
SELECT 'september' AS "case", * FROM showroom.outlet_account(1, '2026-09-01');
-- October 40, November 55 (over 50: to pay, the roll ends), paid; then
-- December's 12 rolls over again.
SELECT 'october' AS "case", * FROM showroom.outlet_account(1, '2026-10-01') WHERE category = 'washing_machine';
SELECT 'november' AS "case", * FROM showroom.outlet_account(1, '2026-11-01') WHERE category = 'washing_machine';
SELECT 'pay' AS "case", showroom.record_outlet_payment(1, 'washing_machine', '2026-11-01', 5500, 'BANK-1101') > 0 AS ok;
SELECT 'december' AS "case", * FROM showroom.outlet_account(1, '2026-12-01');
-- At most 2 months in a row: with the limit at 1, October's 40 (second
-- month rolled) is paid out.
SELECT showroom.set_setting('statements.rollover_months', '1');
SELECT 'october, limit 1' AS "case", * FROM showroom.outlet_account(1, '2026-10-01') WHERE category = 'washing_machine';
SELECT showroom.set_setting('statements.rollover_months', NULL);
SELECT 'duplicate payment' AS "case", pg_temp.try($$SELECT showroom.record_outlet_payment(1, 'washing_machine', '2026-11-01', 1, 'BANK-1101')$$);
SELECT 'bad category' AS "case", pg_temp.try($$SELECT showroom.record_outlet_payment(1, 'cars', '2026-11-01', 1, 'X')$$);
SELECT 'zero' AS "case", pg_temp.try($$SELECT showroom.record_outlet_payment(1, 'none', '2026-11-01', 0, 'X')$$);
SELECT 'payments' AS "case", count(*) FROM showroom.outlet_payment;

-- Which month an order belongs to: its day done, or with the setting at
-- evaluation, the day of its first return visit.
DO $$ BEGIN
  PERFORM showroom.move_order(2, 'dispatched'), showroom.move_order(2, 'accepted'),
          showroom.move_order(2, 'on_the_way'), showroom.move_order(2, 'done', 'installation.result.installed');
END $$;
UPDATE showroom.service_order SET done_at = '2026-11-30 20:00+08' WHERE id = 2;
INSERT INTO showroom.return_visit (order_id, outlet_id, kind, score, visited_at)
VALUES (2, 1, 'installation', 5, '2026-12-02 10:00+08');
SELECT 'incident' AS "case", showroom.record_incident(2, 'late', 'outlet', NULL, '2026-11-30 21:00+08');
SELECT 'completion' AS "case", due_on FROM showroom.outlet_amount WHERE service_order_id = 2 AND component = 'penalty';
SELECT showroom.set_setting('fees.period_basis', 'evaluation');
SELECT 'refresh' AS "case", showroom.refresh_order_amounts(2);
SELECT 'evaluation' AS "case", due_on FROM showroom.outlet_amount WHERE service_order_id = 2 AND component = 'penalty';
SELECT showroom.set_setting('fees.period_basis', NULL);

-- COD: Li collects 6000 yuan in cash and 100 by card; hands in 2000
-- (partly), then 4000 (above a threshold of 3000: awaiting review).
SELECT showroom.set_setting('cash.review_fen', '300000');
SELECT 'collect' AS "case", showroom.collect_cod(1, 1, 6000, 'cash', 'Li'),
       showroom.collect_cod(1, 1, 100, 'card', 'Li');
SELECT 'hand in' AS "case", showroom.hand_in_cod(1, 200000);
SELECT collection_id, person, collected, handed_in, awaiting_review, state, overdue FROM showroom.cod_handover_state;
SET showroom.person = 'Wang';
SELECT 'hand in' AS "case", showroom.hand_in_cod(1, 400000);
SELECT collection_id, handed_in, awaiting_review, state FROM showroom.cod_handover_state;
SELECT 'same person reviews' AS "case", pg_temp.try($$SELECT showroom.review_handover(2)$$);
SET showroom.person = 'Zhao';
SELECT 'review' AS "case", showroom.review_handover(2);
SELECT 'review again' AS "case", pg_temp.try($$SELECT showroom.review_handover(2)$$);
SELECT 'small needs none' AS "case", pg_temp.try($$SELECT showroom.review_handover(1)$$);
RESET showroom.person;
SELECT collection_id, handed_in, awaiting_review, state FROM showroom.cod_handover_state;
SELECT 'too much' AS "case", pg_temp.try($$SELECT showroom.hand_in_cod(1, 1)$$);
SELECT 'card' AS "case", pg_temp.try($$SELECT showroom.hand_in_cod(2, 1)$$);
SELECT 'handovers' AS "case", count(*) FROM showroom.cod_handover;

-- Overdue: Chen collected 50 yuan four days ago and handed in nothing: he
-- is blocked; Li is not.  Once he hands it in he may collect again.
SELECT 'old' AS "case", showroom.collect_cod(1, 1, 50, 'cash', 'Chen', now() - interval '4 days');
SELECT 'overdue' AS "case", person, state, overdue FROM showroom.cod_handover_state WHERE person = 'Chen';
SELECT 'Chen blocked' AS "case", pg_temp.try($$SELECT showroom.collect_cod(1, 1, 10, 'cash', 'Chen')$$);
-- The settlement room's own entry point applies the same rule.
SELECT 'Chen blocked, record' AS "case",
       pg_temp.try($$SELECT showroom.record_cod_collection(1, 1, 10, 'card', 'Chen')$$);
SELECT 'Chen''s collections' AS "case", count(*) FROM showroom.cod_collection WHERE collected_by = 'Chen';
SELECT 'Li collects' AS "case", showroom.collect_cod(1, 1, 10, 'cash', 'Li') > 0 AS ok;
SELECT 'hand in' AS "case", showroom.hand_in_cod(3, 5000) > 0 AS ok;
SELECT 'Chen collects' AS "case", showroom.collect_cod(1, 1, 10, 'cash', 'Chen') > 0 AS ok;
