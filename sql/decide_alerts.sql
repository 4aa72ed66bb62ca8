-- decide_alerts: early-warning rules replayed over a known history, the
-- trigger on live complaints, acknowledging and closing, and bad input.
\i test/helpers.sql

INSERT INTO showroom.outlet (code, name, base) VALUES
  ('O1', 'outlet one', 'SRID=4326;POINT(113.55 37.85)'),
  ('O2', 'outlet two', 'SRID=4326;POINT(113.65 37.85)'),
  ('O3', 'outlet three', 'SRID=4326;POINT(113.65 37.86)');
INSERT INTO showroom.sku (code, name, category, list_price_fen) VALUES
  ('AC1', 'split AC', 'air_conditioner', 299900),
  ('AC2', 'window AC', 'air_conditioner', 199900);
-- Two districts side by side: west (113.5-113.6) and east (113.6-113.7).
SELECT 'districts' AS "case",
       showroom.add_district('D1', 'west', 'SRID=4326;POLYGON((113.5 37.8,113.6 37.8,113.6 37.9,113.5 37.9,113.5 37.8))'),
       showroom.add_district('D2', 'east', 'SRID=4326;POLYGON((113.6 37.8,113.7 37.8,113.7 37.9,113.6 37.9,113.6 37.8))');
-- One job per outlet, of SKU 1: outlet one's in the west, the others' in
-- the east.
INSERT INTO showroom.service_order (kind, category, sku_id, point, service_date, state, outlet_id)
VALUES ('repair', 'air_conditioner', 1, 'SRID=4326;POINT(113.55 37.85)', '2026-01-01', 'done', 1),
       ('repair', 'air_conditioner', 1, 'SRID=4326;POINT(113.65 37.85)', '2026-01-01', 'done', 2),
       ('repair', 'air_conditioner', 1, 'SRID=4326;POINT(113.66 37.85)', '2026-01-01', 'done', 3);
-- A delivered sale of SKU 2 in the west, for defects.
INSERT INTO showroom.dc (code, name, location) VALUES ('DC', 'the DC', 'SRID=4326;POINT(113.58 37.86)');
INSERT INTO showroom.store (code, name, location, home_dc_id) VALUES ('S1', 'store', 'SRID=4326;POINT(113.6 37.85)', 1);
INSERT INTO showroom.sales_order (store_id, dc_id, delivery_point, state)
VALUES (1, 1, 'SRID=4326;POINT(113.52 37.82)', 'delivered');
INSERT INTO showroom.sales_line (order_id, line_no, sku_id, qty, unit_price_fen) VALUES (1, 1, 2, 1, 199900);
INSERT INTO showroom.delivery (sales_order_id, attempt, previous_id) VALUES (1, 1, NULL), (1, 2, 1);

-- The rules.  Outlet: a week against the four weeks before it, three
-- times the rate and at least 3 complaints.  SKU: defects only, twice the
-- rate, at least 2.  District: both kinds, three times, at least 2.
SELECT 'rules' AS "case",
       showroom.add_alert_rule('outlet spike', 'outlet', 7, 28, 3, 3, '{complaint}'),
       showroom.add_alert_rule('sku defects', 'sku', 7, 28, 2, 2, '{defect}'),
       showroom.add_alert_rule('district spike', 'district', 7, 28, 3, 2);

-- History, typed in afterwards (day d is 1 January 10:00 plus d days).
-- Outlet one: one complaint a week (days 1, 8, 15, 22), then days 30 to
-- 34 and 41.  Outlet two: days 20, 20.5, 21.  Defects of SKU 2 in the
-- west: days 10, 33.5, 34.
CREATE FUNCTION pg_temp.day(d numeric) RETURNS timestamptz LANGUAGE sql
RETURN '2026-01-01 10:00+08'::timestamptz + make_interval(secs => d * 86400);
INSERT INTO showroom.complaint (order_id, outlet_id, code, opened_at)
SELECT x.o, x.o, 'feedback.poor_work', pg_temp.day(x.d)
  FROM (VALUES (1, 1), (1, 8), (1, 15), (1, 22), (2, 20), (2, 20.5), (2, 21),
               (1, 30), (1, 31), (1, 32), (1, 33), (1, 34), (1, 41)) AS x (o, d)
 ORDER BY x.d;
INSERT INTO showroom.defect (sales_order_id, sales_line_id, sku_id, dc_id, qty, responsible,
                             delivery_id, redelivery_id, found_at)
SELECT 1, 1, 2, 1, 1, 'supplier', 1, 2, pg_temp.day(d) FROM unnest('{10,33.5,34}'::numeric[]) d;
-- History typed in later raises nothing by itself.
SELECT 'history alerts' AS "case", count(*) FROM showroom.alert;

-- The replay.  District west at day 10 (the complaint of day 8 and the
-- defect of day 10 against the complaint of day 1: 2 x 28 > 3 x 1 x 7).
-- District east at day 20.5 (2 events, no baseline); outlet
-- two at day 21 (3, no baseline; 3 is the minimum).  At day 32 outlet one
-- has 3 in the window against 4 in the baseline: 3 x 28 = 3 x 4 x 7, not
-- more, so no alert; at day 33 it has 4 and fires, and district west with
-- it (4 against 5: 112 > 105; at day 31 and 32 it had 2 and 3 against 5).
-- Day 34 falls within a week of those.
-- SKU 2 fires at day 34 (2 against 1).  Day 41 is alone in its week.
SELECT 'replay' AS "case", r.rule_name, r.subject, r.subject_id,
       extract(epoch FROM r.fired_at - pg_temp.day(0)) / 86400 AS day,
       r.source, r.source_id, r.window_count, r.baseline_count
  FROM showroom.replay_alert_rules('2026-01-01', '2026-03-01') r;
-- One rule alone; a period that starts late still counts what came before.
SELECT 'replay one rule' AS "case", r.subject_id, extract(epoch FROM r.fired_at - pg_temp.day(0)) / 86400 AS day
  FROM showroom.replay_alert_rules('2026-01-01', '2026-03-01', 1) r;
SELECT 'replay late start' AS "case", r.rule_name, extract(epoch FROM r.fired_at - pg_temp.day(0)) / 86400 AS day,
       r.window_count, r.baseline_count
  FROM showroom.replay_alert_rules(pg_temp.day(33), '2026-03-01') r;
-- A rule switched off drops out of the replay of all rules.
SELECT 'switch off' AS "case", showroom.set_alert_rule_active(2, false);
SELECT 'replay without rule 2' AS "case", count(*) FROM showroom.replay_alert_rules('2026-01-01', '2026-03-01');
SELECT 'switch on' AS "case", showroom.set_alert_rule_active(2, true);

-- Live: three complaints about outlet three (in the east), each in its
-- own transaction.  The second breaches the district rule, the third the
-- outlet rule; the fourth is within a week of both.
SELECT 'live 1' AS "case", showroom.file_complaint(3, 'feedback.late') > 0;
SELECT 'live 2' AS "case", showroom.file_complaint(3, 'feedback.late') > 0;
SELECT 'live 3' AS "case", showroom.file_complaint(3, 'feedback.rude') > 0;
SELECT 'live 4' AS "case", showroom.file_complaint(3, 'feedback.rude') > 0;
SELECT 'alerts' AS "case", a.id, a.rule_name, a.subject, a.subject_id, a.source,
       a.source_id - 13 AS live_complaint, a.window_count, a.baseline_count, a.state
  FROM showroom.alerts a ORDER BY a.id;
-- The replay of the same hours gives exactly the alerts the trigger wrote.
SELECT 'replay = live' AS "case", count(*) AS differences
  FROM ((SELECT a.rule_id, a.subject, a.subject_id, a.fired_at, a.source, a.source_id,
                a.window_count, a.baseline_count FROM showroom.alert a
         EXCEPT
         SELECT r.rule_id, r.subject, r.subject_id, r.fired_at, r.source, r.source_id,
                r.window_count, r.baseline_count
           FROM showroom.replay_alert_rules(now() - interval '1 day', now() + interval '1 day') r)
        UNION ALL
        (SELECT r.rule_id, r.subject, r.subject_id, r.fired_at, r.source, r.source_id,
                r.window_count, r.baseline_count
           FROM showroom.replay_alert_rules(now() - interval '1 day', now() + interval '1 day') r
         EXCEPT
         SELECT a.rule_id, a.subject, a.subject_id, a.fired_at, a.source, a.source_id,
                a.window_count, a.baseline_count FROM showroom.alert a)) d;
-- A rolled-back complaint leaves no alert (and so sends no NOTIFY): with
-- the old alerts gone and a one-day window, a complaint about outlet two
-- (in the east) raises two, which the rollback takes away.
BEGIN;
UPDATE showroom.alert_rule SET window_days = 1, min_count = 1 WHERE id = 1;
DELETE FROM showroom.alert;
SELECT 'in transaction' AS "case", showroom.file_complaint(2, 'feedback.late') > 0;
SELECT 'raised' AS "case", a.rule_name, a.subject, a.subject_id, a.window_count, a.baseline_count
  FROM showroom.alerts a ORDER BY a.id;
ROLLBACK;
SELECT 'after rollback' AS "case", count(*) AS alerts FROM showroom.alert;

-- Acknowledge and close, as a named person.
SET showroom.person = 'Manager Sun';
SELECT 'ack' AS "case", (a).state, (a).acknowledged_by, (a).ack_note
  FROM (SELECT showroom.acknowledge_alert(1, 'calling the outlet') AS a) x;
SELECT 'ack again' AS "case", pg_temp.try($$SELECT showroom.acknowledge_alert(1)$$) ~ '^SR808: alert 1 is acknowledged' AS refused;
SELECT 'close, no note' AS "case", pg_temp.try($$SELECT showroom.close_alert(1, '  ')$$);
SELECT 'close' AS "case", (a).state, (a).closed_by, (a).close_note
  FROM (SELECT showroom.close_alert(1, 'crew retrained') AS a) x;
SELECT 'close again' AS "case", pg_temp.try($$SELECT showroom.close_alert(1, 'again')$$) ~ '^SR808: alert 1 is closed' AS refused;
SELECT 'close open' AS "case", (showroom.close_alert(2, 'known cause: a bad batch')).state;
SELECT 'ack closed' AS "case", pg_temp.try($$SELECT showroom.acknowledge_alert(2)$$) ~ '^SR808: alert 2 is closed' AS refused;
SELECT 'ack unknown' AS "case", pg_temp.try($$SELECT showroom.acknowledge_alert(99)$$);
SELECT 'ack null' AS "case", pg_temp.try($$SELECT showroom.acknowledge_alert(NULL)$$);
RESET showroom.person;
SELECT 'states' AS "case", id, state, acknowledged_by, closed_by FROM showroom.alert ORDER BY id;

-- Bad rules and calls.
SELECT 'bad subject' AS "case", pg_temp.try($$SELECT showroom.add_alert_rule('x', 'store', 7, 28, 3, 3)$$);
SELECT 'no events' AS "case", pg_temp.try($$SELECT showroom.add_alert_rule('x', 'sku', 7, 28, 3, 3, '{}')$$);
SELECT 'bad event' AS "case", pg_temp.try($$SELECT showroom.add_alert_rule('x', 'sku', 7, 28, 3, 3, '{complaint,refund}')$$);
SELECT 'null event' AS "case", pg_temp.try($$SELECT showroom.add_alert_rule('x', 'sku', 7, 28, 3, 3, '{complaint,NULL}')$$);
SELECT 'window 0' AS "case", pg_temp.try($$SELECT showroom.add_alert_rule('x', 'sku', 0, 28, 3, 3)$$);
SELECT 'baseline -1' AS "case", pg_temp.try($$SELECT showroom.add_alert_rule('x', 'sku', 7, -1, 3, 3)$$);
SELECT 'multiplier 0' AS "case", pg_temp.try($$SELECT showroom.add_alert_rule('x', 'sku', 7, 28, 0, 3)$$);
SELECT 'multiplier NaN' AS "case", pg_temp.try($$SELECT showroom.add_alert_rule('x', 'sku', 7, 28, 'NaN', 3)$$);
SELECT 'min 0' AS "case", pg_temp.try($$SELECT showroom.add_alert_rule('x', 'sku', 7, 28, 3, 0)$$);
SELECT 'null name' AS "case", pg_temp.try($$SELECT showroom.add_alert_rule(NULL, 'sku', 7, 28, 3, 3)$$);
SELECT 'duplicate' AS "case", pg_temp.try($$SELECT showroom.add_alert_rule(' outlet spike ', 'sku', 7, 28, 3, 3)$$);
SELECT 'unknown rule' AS "case", pg_temp.try($$SELECT showroom.set_alert_rule_active(99, false)$$);
SELECT 'replay unknown rule' AS "case", pg_temp.try($$SELECT showroom.replay_alert_rules('2026-01-01', '2026-02-01', 99)$$);
SELECT 'replay backwards' AS "case", pg_temp.try($$SELECT showroom.replay_alert_rules('2026-02-01', '2026-01-01')$$);
SELECT 'duplicate district' AS "case", pg_temp.try($$SELECT showroom.add_district('D1', 'again', 'SRID=4326;POLYGON((0 0,1 0,1 1,0 0))')$$);
SELECT 'district not polygon' AS "case", pg_temp.try($$SELECT showroom.add_district('D3', 'point', 'SRID=4326;POINT(0 0)')$$);
SELECT 'district bow-tie' AS "case", pg_temp.try($$SELECT showroom.add_district('D3', 'bow', 'SRID=4326;POLYGON((0 0,1 1,1 0,0 1,0 0))')$$);
SELECT 'nothing written' AS "case", (SELECT count(*) FROM showroom.alert_rule) AS rules,
       (SELECT count(*) FROM showroom.district) AS districts;
