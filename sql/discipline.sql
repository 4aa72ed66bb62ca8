-- discipline: incidents with responsibility codes and their penalties, the
-- unpaid redo, violation points per quarter and the suspension ladder,
-- appeals decided by finance (an upheld one reverses penalty and points),
-- grades with their cut, and the quality deposit withheld and released.
\i test/helpers.sql

INSERT INTO showroom.outlet (code, name, base)
SELECT 'di-o' || i, 'Outlet ' || i, ST_SetSRID(ST_MakePoint(113.58, 37.86), 4326)
  FROM generate_series(1, 2) i;
INSERT INTO showroom.sku (code, name, category, list_price_fen, capacity_hp)
VALUES ('AC-15', 'split AC 1.5P', 'air_conditioner', 300000, 1.5);

-- job(outlet, done): an installation order with the outlet, done if asked.
CREATE FUNCTION pg_temp.job(outlet bigint, done boolean) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  j bigint := showroom.request_service('installation', 113.58, 37.86, '2026-12-05',
                                       customer_phone => 'p' || outlet, sku_id => 1);
BEGIN
  UPDATE showroom.service_order SET outlet_id = outlet WHERE id = j;
  PERFORM showroom.move_order(j, 'dispatched');
  IF done THEN
    PERFORM showroom.move_order(j, 'accepted'), showroom.move_order(j, 'on_the_way'),
            showroom.move_order(j, 'done', 'installation.result.installed');
  END IF;
  RETURN j;
END
$$;

-- The shipped rules and ladder.
SELECT incident, responsibility, penalty_fen, points, unpaid FROM showroom.penalty_rule ORDER BY 1, 2;
SELECT points, suspend_days, deposit_fen FROM showroom.points_step ORDER BY 1;

-- A late visit by the outlet's fault: 20 yuan penalty, 1 point, still paid.
-- A late visit the customer caused: no penalty, no points.
SELECT pg_temp.job(1, true) AS j1 \gset
SELECT 'receipt' AS "case", showroom.issue_receipt(:j1, ARRAY[('ac_install', 1, NULL)]::showroom.fee_measure[]) > 0 AS ok;
SELECT 'late, outlet' AS "case", showroom.record_incident(:j1, 'late', 'outlet', 'two hours late', '2026-12-01 12:00+08');
SELECT 'late, customer' AS "case", showroom.record_incident(:j1, 'late', 'customer', 'customer out', '2026-12-01 12:00+08');
SELECT id, incident, responsibility, penalty_fen, points, unpaid, state FROM showroom.incident ORDER BY id;
SELECT component, amount_fen FROM showroom.outlet_amount WHERE service_order_id = :j1 ORDER BY 1;

-- A repeated visit through the outlet's own fault is not paid: the fee
-- items of that order are taken back (16000 fen), and its deposit goes.
SELECT pg_temp.job(1, true) AS j2 \gset
SELECT 'receipt' AS "case", showroom.issue_receipt(:j2, ARRAY[('ac_install', 1, NULL)]::showroom.fee_measure[]) > 0 AS ok;
SELECT 'redo, outlet' AS "case", showroom.record_incident(:j2, 'repeated', 'outlet', 'pipe leaked, second visit', '2026-12-01 12:00+08');
SELECT component, amount_fen, note FROM showroom.outlet_amount WHERE service_order_id = :j2 ORDER BY 1;
SELECT 'unpaid' AS "case", service_order_id, incident FROM showroom.unpaid_orders;

-- Points: 1 + 2 = 3 reach the first step: outlet 1 is suspended for 3
-- days.  A missed visit (3 more, 6 in all) reaches the second step.
SELECT 'points' AS "case", outlet_id, points, incidents, penalties FROM showroom.outlet_points;
SELECT 'after 3' AS "case", o.suspended_reason FROM showroom.outlet o WHERE o.id = 1;
SELECT 'missed' AS "case", showroom.record_incident(pg_temp.job(1, false), 'missed', 'outlet', NULL, '2026-12-01 12:00+08');
SELECT step_points, deposit_fen, until - since AS days, state FROM showroom.ladder_suspension ORDER BY id;
SELECT 'after 6' AS "case", o.suspended_reason FROM showroom.outlet o WHERE o.id = 1;

-- An appeal of the missed visit, upheld by finance: penalty and points go
-- (back to 3), the second step is reversed and the first step's
-- suspension, still running, is in force again.
SELECT 'appeal' AS "case", showroom.file_appeal(4, 'customer had moved; the store gave the old address');
SELECT 'second appeal' AS "case", pg_temp.try($$SELECT showroom.file_appeal(4, 'again')$$);
SELECT 'no reason' AS "case", pg_temp.try($$SELECT showroom.file_appeal(1, ' ')$$);
SELECT 'unknown incident' AS "case", pg_temp.try($$SELECT showroom.file_appeal(99, 'x')$$);
SELECT 'appeals' AS "case", count(*) FROM showroom.appeal;
SELECT 'decide' AS "case", showroom.decide_appeal(1, true, 'store error confirmed');
SELECT 'decide again' AS "case", pg_temp.try($$SELECT showroom.decide_appeal(1, false, 'x')$$);
SELECT 'unknown appeal' AS "case", pg_temp.try($$SELECT showroom.decide_appeal(99, true, 'x')$$);
SELECT id, state FROM showroom.incident ORDER BY id;
SELECT 'points' AS "case", outlet_id, points FROM showroom.outlet_points;
SELECT step_points, state FROM showroom.ladder_suspension ORDER BY id;
SELECT 'after appeal' AS "case", o.suspended_reason FROM showroom.outlet o WHERE o.id = 1;
-- Points of another quarter do not add up: an incident of September.
SELECT 'last quarter' AS "case", showroom.record_incident(:j1, 'late', 'outlet', NULL, '2026-09-30 12:00+08');
SELECT 'points' AS "case", outlet_id, quarter, points FROM showroom.outlet_points ORDER BY quarter;
SELECT action, detail FROM showroom.discipline_log ORDER BY id;

-- Late appeals are refused: an incident recorded 8 days ago (history
-- loaded by hand) is past the 7-day window.
UPDATE showroom.incident SET recorded_at = now() - interval '8 days' WHERE id = 1;
SELECT 'late appeal' AS "case", pg_temp.try($$SELECT showroom.file_appeal(1, 'too late')$$);
-- Only finance decides.
SELECT 'appeal 2' AS "case", showroom.file_appeal(3, 'the pipe was faulty from the factory');
CREATE ROLE di_clerk IN ROLE showroom_clerk;
GRANT EXECUTE ON FUNCTION showroom.decide_appeal(bigint, boolean, text) TO di_clerk;
SET ROLE di_clerk;
SELECT 'clerk decides' AS "case", pg_temp.try($$SELECT showroom.decide_appeal(2, true, 'x')$$);
RESET ROLE;
DROP OWNED BY di_clerk;
DROP ROLE di_clerk;
SELECT 'rejected' AS "case", showroom.decide_appeal(2, false, 'installation fault confirmed by photos');
SELECT 'still unpaid' AS "case", count(*) FROM showroom.unpaid_orders;

-- Bad incidents: each refused, nothing written.
SELECT 'unknown kind' AS "case", pg_temp.try(format($$SELECT showroom.record_incident(%s, 'rude', 'outlet')$$, :j1));
SELECT 'unknown responsibility' AS "case", pg_temp.try(format($$SELECT showroom.record_incident(%s, 'late', 'weather')$$, :j1));
SELECT 'no outlet' AS "case", pg_temp.try($$SELECT showroom.record_incident(showroom.request_service('repair', 113.58, 37.86, '2026-12-05', category => 'television'), 'late', 'outlet')$$);
SELECT 'unknown order' AS "case", pg_temp.try($$SELECT showroom.record_incident(99999, 'late', 'outlet')$$);
SELECT 'future' AS "case", pg_temp.try(format($$SELECT showroom.record_incident(%s, 'late', 'outlet', NULL, now() + interval '1 hour')$$, :j1));
SELECT 'after bad incidents' AS "case", count(*) FROM showroom.incident;

-- A ladder of the chain's own replaces the shipped one: 2 points suspend
-- for 1 day.  Outlet 2 gets 2 points; the suspension is served and lifted
-- by the periodic function.
INSERT INTO showroom.points_step (points, suspend_days) VALUES (2, 1);
SELECT 'outlet 2' AS "case", showroom.record_incident(pg_temp.job(2, false), 'repeated', 'outlet', NULL, '2026-11-05 12:00+08');
SELECT 'suspended' AS "case", suspended_reason FROM showroom.outlet WHERE id = 2;
SELECT 'not yet' AS "case", showroom.lift_served_suspensions();
SELECT 'served' AS "case", showroom.lift_served_suspensions(now() + interval '1 day');
SELECT 'open again' AS "case", suspended_reason IS NULL AS open FROM showroom.outlet WHERE id = 2;

-- Grades: outlet 1 has 2 jobs done and no return visit (counts as the
-- default satisfaction 3): grade C, cut 8%.  A return visit of 5 for it:
-- still C (A and B need more jobs).  With the chain's own rule "B from one
-- job and 4.5" it is B.  Its next receipt carries the 5% cut.
SELECT 'grades' AS "case", showroom.compute_grades();
SELECT outlet_id, grade, jobs, satisfaction, cut_pct FROM showroom.outlet_grade ORDER BY 1;
SELECT 'visit' AS "case", showroom.record_return_visit(:j1, 5) > 0 AS ok;
INSERT INTO showroom.grade_rule (grade, min_jobs, min_satisfaction, cut_pct) VALUES
  ('B', 1, 4.5, 5), ('C', 0, 0, 10);
SELECT 'own rules' AS "case", showroom.compute_grades();
SELECT outlet_id, grade, jobs, satisfaction, cut_pct FROM showroom.outlet_grade ORDER BY 1;
SELECT pg_temp.job(1, true) AS j5 \gset
SELECT 'receipt' AS "case", showroom.issue_receipt(:j5, ARRAY[('ac_install', 1, NULL)]::showroom.fee_measure[]) > 0 AS ok;
-- 16000 fee items, 5% cut = 800, deposit 5% of 15200 = 760.
SELECT component, amount_fen FROM showroom.outlet_amount WHERE service_order_id = :j5 ORDER BY 1;

-- Quality deposits: released after 3 months without a complaint; an open
-- complaint holds one back; an upheld complaint forfeits it.
SELECT service_order_id, amount_fen, release_due - showroom.business_date(now()) > 80 AS months_away, state
  FROM showroom.quality_deposit ORDER BY 1;
SELECT 'too early' AS "case", showroom.release_deposits();
SELECT 'complaint' AS "case", showroom.file_complaint(:j5, 'feedback.poor_work') AS c \gset
SELECT 'due' AS "case", showroom.release_deposits((now() + interval '4 months')::date);
SELECT service_order_id, state FROM showroom.quality_deposit ORDER BY 1;
SELECT 'released' AS "case", service_order_id, amount_fen FROM showroom.outlet_amount
 WHERE component = 'deposit_released' ORDER BY 1;
SELECT 'upheld' AS "case", showroom.resolve_complaint(:c, true, 'work redone');
SELECT 'due' AS "case", showroom.release_deposits((now() + interval '4 months')::date);
SELECT service_order_id, state FROM showroom.quality_deposit ORDER BY 1;

-- A chain that does not pay late visits: its own rule for (late, outlet)
-- overrides the shipped one; outlet 2's late job loses its fee items
-- (16000 fen), and the grade cut and deposit go with them.
INSERT INTO showroom.penalty_rule (incident, responsibility, penalty_fen, points, unpaid)
VALUES ('late', 'outlet', 1000, 0, true);
SELECT pg_temp.job(2, true) AS j7 \gset
SELECT 'receipt' AS "case", showroom.issue_receipt(:j7, ARRAY[('ac_install', 1, NULL)]::showroom.fee_measure[]) > 0 AS ok;
SELECT component, amount_fen FROM showroom.outlet_amount WHERE service_order_id = :j7 ORDER BY 1;
SELECT 'late, unpaid' AS "case", showroom.record_incident(:j7, 'late', 'outlet', NULL, '2026-12-01 12:00+08') > 0 AS ok;
SELECT component, amount_fen FROM showroom.outlet_amount WHERE service_order_id = :j7 ORDER BY 1;
SELECT 'deposit' AS "case", count(*) FROM showroom.quality_deposit WHERE service_order_id = :j7;
