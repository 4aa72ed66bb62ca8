-- workflow_codes: the hierarchical problem-code list (shipped branches,
-- extending it, deleting only unused codes) and the service level (due
-- times per kind, the overdue view, lateness of done jobs).
\i test/helpers.sql

-- The shipped roots and how many codes each branch holds.
SELECT split_part(code, '.', 1) AS root, count(*) AS codes,
       count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM showroom.problem_code c
                                           WHERE c.parent = p.code)) AS leaves
  FROM showroom.problem_code p GROUP BY 1 ORDER BY 1;
SELECT 'all builtin' AS "case", bool_and(builtin) FROM showroom.problem_code;
SELECT 'parent is the prefix' AS "case", code, parent FROM showroom.problem_code
 WHERE code IN ('repair', 'repair.symptom', 'repair.symptom.leak') ORDER BY code;

-- Extending: a new symptom, a new branch with a child.
SELECT 'add' AS "case", showroom.add_problem_code('repair.symptom', 'smell', 'smells burnt');
SELECT 'add root' AS "case", showroom.add_problem_code(NULL, 'survey', 'yearly survey answers');
SELECT 'add child' AS "case", showroom.add_problem_code('survey', 'happy', 'happy overall');
SELECT 'usable' AS "case", showroom.code_under('repair.symptom.smell', 'repair.symptom'),
       showroom.code_under('repair.symptomatic', 'repair.symptom') AS not_a_prefix_match;

-- Bad additions: each refused, nothing written.
SELECT 'duplicate' AS "case", pg_temp.try($$SELECT showroom.add_problem_code('repair.symptom', 'leak', 'x')$$);
SELECT 'unknown parent' AS "case", pg_temp.try($$SELECT showroom.add_problem_code('repair.nothing', 'x', 'x')$$);
SELECT 'bad segment' AS "case", pg_temp.try($$SELECT showroom.add_problem_code('repair', 'Has Space', 'x')$$);
SELECT 'dotted segment' AS "case", pg_temp.try($$SELECT showroom.add_problem_code('repair', 'a.b', 'x')$$);
SELECT 'null segment' AS "case", pg_temp.try($$SELECT showroom.add_problem_code('repair', NULL, 'x')$$);
SELECT 'empty name' AS "case", pg_temp.try($$SELECT showroom.add_problem_code('repair', 'y', '  ')$$);
SELECT 'raw insert off the tree' AS "case", pg_temp.try($$INSERT INTO showroom.problem_code (code, parent, name) VALUES ('delivery.x', 'repair', 'x')$$);
SELECT 'after bad additions' AS "case", count(*) FILTER (WHERE NOT builtin) AS added FROM showroom.problem_code;

-- A code in use stays: the new symptom on a repair, a shipped code, a
-- code with children.  An unused added code goes.
INSERT INTO showroom.sku (code, name, category, list_price_fen)
VALUES ('wf-wm', 'washing machine 8 kg', 'washing_machine', 259900);
SELECT 'repair' AS "case", showroom.request_repair('Sun', '1', 'Jiaoqu 3', 113.5, 37.9, 1, 'SN9',
                                                   'repair.symptom.smell');
SELECT 'in use' AS "case", pg_temp.try($$SELECT showroom.drop_problem_code('repair.symptom.smell')$$);
SELECT 'raw delete in use' AS "case", pg_temp.try($$DELETE FROM showroom.problem_code WHERE code = 'repair.symptom.smell'$$);
SELECT 'shipped' AS "case", pg_temp.try($$SELECT showroom.drop_problem_code('feedback.rude')$$);
SELECT 'has children' AS "case", pg_temp.try($$SELECT showroom.drop_problem_code('survey')$$);
SELECT 'unknown' AS "case", pg_temp.try($$SELECT showroom.drop_problem_code('survey.sad')$$);
SELECT 'drop unused' AS "case", showroom.drop_problem_code('survey.happy'),
       showroom.drop_problem_code('survey');
SELECT 'left' AS "case", array_agg(code) FROM showroom.problem_code WHERE NOT builtin;

-- Service level: a repair is due 72 hours after it was requested.  Three
-- repairs requested 73, 71 and 80 hours ago; the last is cancelled.
SELECT 'due hours' AS "case", code, due_hours FROM showroom.service_kind ORDER BY code;
SELECT showroom.request_service('repair', 113.5, 37.9, '2026-12-01', category => 'television') AS late \gset
SELECT showroom.request_service('repair', 113.5, 37.9, '2026-12-01', category => 'television') AS early \gset
SELECT showroom.request_service('repair', 113.5, 37.9, '2026-12-01', category => 'television') AS gone \gset
UPDATE showroom.service_order SET created_at = now() - interval '73 hours' WHERE id = :late;
UPDATE showroom.service_order SET created_at = now() - interval '71 hours' WHERE id = :early;
UPDATE showroom.service_order SET created_at = now() - interval '80 hours' WHERE id = :gone;
SELECT (showroom.move_order(:gone, 'cancelled', 'cancel.duplicate')).to_state;
SELECT 'overdue' AS "case", id = :late AS is_late_one, kind, state,
       due_at = created_at + interval '72 hours' AS due_ok,
       overdue_by BETWEEN interval '59 minutes' AND interval '61 minutes' AS about_an_hour
  FROM showroom.overdue_service_orders;
-- Tightening repairs to 70 hours makes the 71-hour one overdue too.
UPDATE showroom.service_kind SET due_hours = 70 WHERE code = 'repair';
SELECT 'tighter' AS "case", array_agg(id ORDER BY id) = ARRAY[:late, :early]::bigint[] AS both
  FROM showroom.overdue_service_orders;
UPDATE showroom.service_kind SET due_hours = 72 WHERE code = 'repair';

-- Lateness of done jobs: the late one finished now is late; a fresh one
-- finished now is not; one not done is NULL.
INSERT INTO showroom.outlet (code, name, base)
VALUES ('wf-o1', 'Outlet one', ST_SetSRID(ST_MakePoint(113.58, 37.86), 4326));
UPDATE showroom.service_order SET outlet_id = 1 WHERE id IN (:late, 1);
SELECT (showroom.move_order(id, 'dispatched')).seq, (showroom.move_order(id, 'accepted')).seq,
       (showroom.move_order(id, 'on_the_way')).seq,
       (showroom.move_order(id, 'done', 'repair.result.fixed')).seq
  FROM showroom.service_order WHERE id IN (:late, 1) ORDER BY id;
SELECT 'levels' AS "case", id, done_at IS NOT NULL AS done, late
  FROM showroom.service_levels WHERE id IN (1, :late, :early) ORDER BY id;
SELECT 'not overdue once done' AS "case", count(*) FROM showroom.overdue_service_orders;
