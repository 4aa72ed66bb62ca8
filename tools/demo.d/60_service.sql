-- the service workflow: crews finish their jobs, customers are called back
\set QUIET on
-- Every delivery crew reports its jobs done, step by step; each step is
-- one audit row, hash-chained to the one before.
SELECT count(showroom.move_order(id, 'accepted')),
       count(showroom.move_order(id, 'on_the_way')),
       count(showroom.move_order(id, 'done', 'delivery.result.delivered'))
  FROM (SELECT id FROM showroom.service_order
         WHERE kind = 'delivery' AND state = 'dispatched' ORDER BY id) d \gset
-- The installations are dispatched for the day they are due and done.
SELECT count(*) FROM (SELECT showroom.dispatch_date(d)
                        FROM (SELECT DISTINCT service_date AS d FROM showroom.service_order
                               WHERE kind = 'installation') x) y \gset
SELECT count(showroom.move_order(id, 'accepted')),
       count(showroom.move_order(id, 'on_the_way')),
       count(showroom.move_order(id, 'done', 'installation.result.installed'))
  FROM (SELECT id FROM showroom.service_order
         WHERE kind = 'installation' AND state = 'dispatched' ORDER BY id) i \gset
-- Return visits: the call centre rings every customer; the city express
-- outlet's customers are less happy.
SELECT count(showroom.record_return_visit(
         s.id, (CASE WHEN o.code = 'O-EXPRESS' THEN 2 + s.id % 2 ELSE 4 + (s.id % 3 > 0)::int END)::int,
         ARRAY[CASE WHEN o.code = 'O-EXPRESS' THEN 'visit.late' ELSE 'visit.on_time' END]))
  FROM showroom.service_order s JOIN showroom.outlet o ON o.id = s.outlet_id
 WHERE s.state = 'done' \gset
-- Complaints against the express outlet pass the suspension rule.
SELECT count(showroom.file_complaint(s.id, 'feedback.late', 'customer waited all afternoon'))
  FROM showroom.service_order s JOIN showroom.outlet o ON o.id = s.outlet_id
 WHERE o.code = 'O-EXPRESS' AND s.id % 5 = 0 \gset
SELECT showroom.check_complaint_rule(id) FROM showroom.outlet WHERE code = 'O-EXPRESS' \gset
\set QUIET off
SELECT o.code AS outlet, s.kind, s.score AS satisfaction, s.visits,
       coalesce(o.suspended_reason, '') AS suspended
  FROM showroom.outlet_satisfaction s JOIN showroom.outlet o ON o.id = s.outlet_id
 ORDER BY o.code, s.kind;
SELECT kind, state, count(*) AS service_orders
  FROM showroom.service_order GROUP BY kind, state ORDER BY kind, state;
