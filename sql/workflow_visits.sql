-- workflow_visits: return visits and the satisfaction they feed (last 90
-- days per outlet and kind), complaints, the complaint rule suspending an
-- outlet, and lifting the suspension by hand.
\i test/helpers.sql

INSERT INTO showroom.outlet (code, name, base)
SELECT 'wf-o' || i, 'Outlet ' || i, ST_SetSRID(ST_MakePoint(113.58, 37.86), 4326)
  FROM generate_series(1, 2) i;

-- done_job(outlet, kind): a service order taken through to done by outlet.
CREATE FUNCTION pg_temp.done_job(outlet bigint, kind text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  j bigint := showroom.request_service(kind, 113.58, 37.86, '2026-12-05',
                                       category => 'washing_machine');
BEGIN
  UPDATE showroom.service_order SET outlet_id = outlet WHERE id = j;
  PERFORM showroom.move_order(j, 'dispatched'), showroom.move_order(j, 'accepted'),
          showroom.move_order(j, 'on_the_way'),
          showroom.move_order(j, 'done', kind || '.result.' ||
                              CASE kind WHEN 'repair' THEN 'fixed' ELSE 'installed' END);
  RETURN j;
END
$$;
SELECT 'jobs' AS "case", pg_temp.done_job(1, 'repair') AS r1, pg_temp.done_job(1, 'repair') AS r2,
       pg_temp.done_job(1, 'installation') AS i3, pg_temp.done_job(2, 'repair') AS r4;

-- Visits: scores 5 and 4 for outlet 1's repairs, 2 for its installation,
-- 1 for outlet 2.  Each moves its order to return_visit and recomputes.
SELECT 'visit 1' AS "case", showroom.record_return_visit(1, 5, '{visit.on_time,visit.tidy}', 'very kind');
SELECT 'visit 2' AS "case", showroom.record_return_visit(2, 4, '{visit.late}');
SELECT 'visit 3' AS "case", showroom.record_return_visit(3, 2);
SELECT 'visit 4' AS "case", showroom.record_return_visit(4, 1, '{visit.untidy,visit.extra_charge}');
SELECT outlet_id, kind, score, visits, computed_at = now() AS fresh
  FROM showroom.outlet_satisfaction ORDER BY 1, 2;
SELECT 'answers' AS "case", visit_id, code FROM showroom.return_visit_answer ORDER BY 2, 3;
SELECT 'states' AS "case", array_agg(state ORDER BY id) FROM showroom.service_order;

-- Bad visits: each refused, nothing written.
SELECT pg_temp.done_job(1, 'repair') AS r5 \gset
SELECT 'not done' AS "case", pg_temp.try($$SELECT showroom.record_return_visit(1, 3)$$);
SELECT 'score 0' AS "case", pg_temp.try(format('SELECT showroom.record_return_visit(%s, 0)', :r5));
SELECT 'score 6' AS "case", pg_temp.try(format('SELECT showroom.record_return_visit(%s, 6)', :r5));
SELECT 'null score' AS "case", pg_temp.try(format('SELECT showroom.record_return_visit(%s, NULL)', :r5));
SELECT 'answer not a visit code' AS "case", pg_temp.try(format('SELECT showroom.record_return_visit(%s, 3, %L)', :r5, '{feedback.rude}'));
SELECT 'unknown answer' AS "case", pg_temp.try(format('SELECT showroom.record_return_visit(%s, 3, %L)', :r5, '{visit.sunny}'));
-- (the job was done a moment ago; an hour before is too early)
SELECT 'future visit' AS "case", pg_temp.try(format('SELECT showroom.record_return_visit(%s, 3, %L, NULL, now() + interval %L)', :r5, '{}', '1 hour'));
SELECT 'visit before done' AS "case", pg_temp.try(format('SELECT showroom.record_return_visit(%s, 3, %L, NULL, now() - interval %L)', :r5, '{}', '1 hour'));
SELECT 'unknown order' AS "case", pg_temp.try($$SELECT showroom.record_return_visit(99999, 3)$$);
SELECT 'after bad visits' AS "case", count(*) AS visits,
       (SELECT state FROM showroom.service_order WHERE id = :r5) AS r5_state
  FROM showroom.return_visit;

-- The window: a visit of 100 days ago (history loaded by hand) does not
-- count; with the window set to 120 days it does (mean of 5, 4, 1 = 3.33).
INSERT INTO showroom.return_visit (order_id, outlet_id, kind, score, visited_at)
VALUES (1, 1, 'repair', 1, now() - interval '100 days');
SELECT '90 days' AS "case", showroom.recompute_satisfaction(1, 'repair');
SELECT showroom.set_setting('workflow.satisfaction_days', '120');
SELECT '120 days' AS "case", showroom.recompute_satisfaction(1, 'repair');
SELECT '120 days' AS "case", score, visits FROM showroom.outlet_satisfaction
 WHERE outlet_id = 1 AND kind = 'repair';
SELECT showroom.set_setting('workflow.satisfaction_days', NULL);
-- Visits ageing out: move every visit of outlet 2 back 91 days; the daily
-- recomputation drops its row.
UPDATE showroom.return_visit SET visited_at = visited_at - interval '91 days' WHERE outlet_id = 2;
SELECT 'recompute all' AS "case", showroom.recompute_all_satisfaction();
SELECT outlet_id, kind, score, visits FROM showroom.outlet_satisfaction ORDER BY 1, 2;

-- Complaints.  Outlet 1 has 20 jobs done in the window after this; one
-- complaint is 5%, which is not more than 5%: no suspension.
SELECT count(pg_temp.done_job(1, 'repair')) AS more_jobs FROM generate_series(1, 16);
SELECT 'jobs of outlet 1' AS "case", count(*) FROM showroom.service_order
 WHERE outlet_id = 1 AND done_at IS NOT NULL;
SELECT 'complaint 1' AS "case", showroom.file_complaint(1, 'feedback.late', 'two hours late');
SELECT 'still open' AS "case", suspended_at IS NULL AS open FROM showroom.outlet WHERE id = 1;
-- Bad complaints.
SELECT 'wrong branch' AS "case", pg_temp.try($$SELECT showroom.file_complaint(1, 'visit.late')$$);
SELECT 'null code' AS "case", pg_temp.try($$SELECT showroom.file_complaint(1, NULL)$$);
SELECT 'unknown order' AS "case", pg_temp.try($$SELECT showroom.file_complaint(99999, 'feedback.rude')$$);
SELECT 'complaints' AS "case", count(*) FROM showroom.complaint;
-- A second complaint makes 2 of 20 = 10%: the outlet is suspended, once,
-- with the figures kept.
SELECT 'complaint 2' AS "case", showroom.file_complaint(2, 'feedback.rude');
SELECT 'suspended' AS "case", suspended_at IS NOT NULL AS suspended, suspended_reason
  FROM showroom.outlet WHERE id = 1;
SELECT 'rule hit' AS "case", outlet_id, complaints, jobs, max_rate, window_days
  FROM showroom.complaint_rule_hit;
SELECT 'complaint 3' AS "case", showroom.file_complaint(3, 'feedback.poor_work');
SELECT 'hits' AS "case", count(*) FROM showroom.complaint_rule_hit;

-- Outlet 2 has one job and three complaints, but fewer than 20 jobs: not
-- judged.
SELECT 'small outlet' AS "case", showroom.file_complaint(4, 'feedback.no_show'),
       showroom.file_complaint(4, 'feedback.rude'), showroom.file_complaint(4, 'feedback.late');
SELECT 'outlet 2 open' AS "case", suspended_at IS NULL AS open FROM showroom.outlet WHERE id = 2;

-- Resolving: upheld or rejected, with a resolution; only once.
SELECT 'uphold' AS "case", showroom.resolve_complaint(1, true, 'crew warned; 50 yuan back to the customer');
SELECT 'reject' AS "case", showroom.resolve_complaint(2, false, 'customer confused us with another firm');
SELECT 'again' AS "case", pg_temp.try($$SELECT showroom.resolve_complaint(1, false, 'x')$$);
SELECT 'no resolution' AS "case", pg_temp.try($$SELECT showroom.resolve_complaint(3, true, ' ')$$);
SELECT 'unknown' AS "case", pg_temp.try($$SELECT showroom.resolve_complaint(99999, true, 'x')$$);
SELECT id, outlet_id, code, state, resolution IS NOT NULL AS resolved FROM showroom.complaint ORDER BY id;

-- Lifting the suspension is a manual call with a reason.  Afterwards the
-- rule looks again: with complaint 3 rejected too, 1 of 20 counts (5%), not
-- enough; the next complaint makes 2 of 20 (10%): suspended again.
SELECT 'lift without reason' AS "case", pg_temp.try($$SELECT showroom.lift_suspension(1, '  ')$$);
SELECT 'lift' AS "case", showroom.lift_suspension(1, 'talked to the manager; crew retrained');
SELECT 'lifted' AS "case", suspended_at IS NULL AS open, suspended_reason FROM showroom.outlet WHERE id = 1;
SELECT 'lift again' AS "case", pg_temp.try($$SELECT showroom.lift_suspension(1, 'again')$$);
SELECT 'reject 3' AS "case", showroom.resolve_complaint(3, false, 'the customer''s own plumber');
SELECT 'rule, not enough' AS "case", showroom.check_complaint_rule(1);
SELECT 'complaint 4' AS "case", showroom.file_complaint(5, 'feedback.home_damaged');
SELECT 'suspended again' AS "case", suspended_at IS NOT NULL AS suspended, suspended_reason
  FROM showroom.outlet WHERE id = 1;

-- The rule is configurable: a limit of 50% lifts nothing but stops new
-- suspensions.
SELECT showroom.lift_suspension(1, 'second chance');
SELECT showroom.set_setting('workflow.complaint_max_rate', '0.5');
SELECT 'lenient rule' AS "case", showroom.check_complaint_rule(1);
SELECT showroom.set_setting('workflow.complaint_max_rate', NULL);
SELECT 'strict again' AS "case", showroom.check_complaint_rule(1);
SELECT 'unknown outlet' AS "case", pg_temp.try($$SELECT showroom.check_complaint_rule(99999)$$);
