-- decide_people: how each person works, from a trail whose times are
-- known, so that every figure can be worked out by hand.
\i test/helpers.sql

INSERT INTO showroom.outlet (code, name, base) VALUES
  ('O1', 'outlet one', 'SRID=4326;POINT(113.59 37.87)'),
  ('O2', 'outlet two', 'SRID=4326;POINT(113.62 37.84)');
-- Three installations requested at 08:00 on 2 March (due 48 hours later),
-- and a fourth that repeats the third.
INSERT INTO showroom.service_order (kind, category, point, service_date, state, outlet_id,
                                    created_at, previous_id)
SELECT 'installation', 'air_conditioner', 'SRID=4326;POINT(113.6 37.85)', '2026-03-02',
       x.state, x.outlet, '2026-03-02 08:00+08', x.prev
  FROM (VALUES ('closed', 1, NULL), ('done', 1, NULL), ('done', 2, NULL),
               ('requested', NULL, 3)) AS x (state, outlet, prev);

-- step(order, seq, from, to, person, outlet, hours after 08:00 on 2 March,
-- role, or hours after base): one trail row as the workflow would have
-- written it (the hash is not checked here).
CREATE FUNCTION pg_temp.step(o bigint, s integer, f text, t text, who text, outlet bigint,
                             h numeric, r name DEFAULT 'sr_staff',
                             base timestamptz DEFAULT '2026-03-02 08:00+08')
RETURNS void LANGUAGE sql AS $$
  INSERT INTO showroom.service_trail (order_id, seq, from_state, to_state, outlet_id,
                                      db_role, person, at, hash)
  VALUES (o, s, f, t, outlet, r, who, base + make_interval(secs => h * 3600), '\x00')
$$;
-- Order 1: Wang dispatches at 09:00, Li accepts at 10:00, leaves at 11:00,
-- finishes at 13:00; called back and closed the next day.
SELECT pg_temp.step(1, 1, 'requested', 'dispatched', 'Wang', 1, 1),
       pg_temp.step(1, 2, 'dispatched', 'accepted', 'Li', 1, 2),
       pg_temp.step(1, 3, 'accepted', 'on_the_way', 'Li', 1, 3),
       pg_temp.step(1, 4, 'on_the_way', 'done', 'Li', 1, 5),
       pg_temp.step(1, 5, 'done', 'return_visit', 'Wang', 1, 24),
       pg_temp.step(1, 6, 'return_visit', 'closed', 'Wang', 1, 25);
-- Order 2: accepted 3 hours after dispatch, done at 17:00; a complaint at
-- 04:00 the next day; reopened on 5 March (past due) and done again.
SELECT pg_temp.step(2, 1, 'requested', 'dispatched', 'Wang', 1, 1),
       pg_temp.step(2, 2, 'dispatched', 'accepted', 'Li', 1, 4),
       pg_temp.step(2, 3, 'accepted', 'on_the_way', 'Li', 1, 5),
       pg_temp.step(2, 4, 'on_the_way', 'done', 'Li', 1, 9),
       pg_temp.step(2, 5, 'done', 'return_visit', 'Wang', 1, 24),
       pg_temp.step(2, 6, 'return_visit', 'dispatched', 'Wang', 1, 72),
       pg_temp.step(2, 7, 'dispatched', 'accepted', 'Li', 1, 73),
       pg_temp.step(2, 8, 'accepted', 'on_the_way', 'Li', 1, 74),
       pg_temp.step(2, 9, 'on_the_way', 'done', 'Li', 1, 76);
-- Order 3: dispatched by a login that named no person, done by Zhao of
-- outlet two in one hour; order 4 repeats it.
SELECT pg_temp.step(3, 1, 'requested', 'dispatched', NULL, 2, 2, 'sr_disp2'),
       pg_temp.step(3, 2, 'dispatched', 'accepted', 'Zhao', 2, 2.5),
       pg_temp.step(3, 3, 'accepted', 'on_the_way', 'Zhao', 2, 3),
       pg_temp.step(3, 4, 'on_the_way', 'done', 'Zhao', 2, 3.5);
INSERT INTO showroom.return_visit (order_id, outlet_id, kind, score, visited_at) VALUES
  (1, 1, 'installation', 5, '2026-03-03 08:00+08'),
  (2, 1, 'installation', 3, '2026-03-03 08:00+08');
INSERT INTO showroom.complaint (order_id, outlet_id, code, opened_at)
VALUES (2, 1, 'feedback.poor_work', '2026-03-03 04:00+08');

-- Li: 9 moves on 2 jobs; dispatch to accept 1h, 3h, 1h (p50 1h, p90
-- 1h + 0.8 x 2h); accept to done 3h, 5h, 3h; the first finish of order 2
-- was reopened (2 of 3 fixed first time); visits 5 and 3; the complaint
-- came after Li's finish; 3 of 9 moves past due.  Wang: 6 moves, 3
-- dispatches (one a reopen, past due).  Zhao: order 3 is repeated.
SELECT 'people' AS "case", w.* FROM showroom.person_work('2026-03-01', '2026-03-31') w;
SELECT 'technicians' AS "case", w.* FROM showroom.technician_work('2026-03-01', '2026-03-31') w;
-- From 4 March on only the reopen and its second round remain.
SELECT 'later period' AS "case", w.who, w.moves, w.jobs, w.dispatch_to_accept_p50,
       w.accept_to_done_p50, w.first_time_fix_share, w.overdue_share
  FROM showroom.person_work('2026-03-04', '2026-03-31') w;
SELECT 'empty period' AS "case", count(*) FROM showroom.person_work('2026-04-01', '2026-04-30');

-- The 30-day views equal the functions over the last 30 days.
SELECT pg_temp.step(4, 1, 'requested', 'dispatched', 'Wang', 2, 0, base => now() - interval '2 days'),
       pg_temp.step(4, 2, 'dispatched', 'accepted', 'Zhao', 2, 0.25, base => now() - interval '2 days');
SELECT 'view rows' AS "case", (SELECT count(*) FROM showroom.person_work_30d) AS people,
       (SELECT count(*) FROM showroom.technician_work_30d) AS technicians;
SELECT 'person view = function' AS "case", count(*) AS differences
  FROM ((SELECT * FROM showroom.person_work_30d
         EXCEPT SELECT * FROM showroom.person_work(now() - interval '30 days', now() + interval '1 day'))
        UNION ALL
        (SELECT * FROM showroom.person_work(now() - interval '30 days', now() + interval '1 day')
         EXCEPT SELECT * FROM showroom.person_work_30d)) d;
SELECT 'technician view = function' AS "case", count(*) AS differences
  FROM ((SELECT * FROM showroom.technician_work_30d
         EXCEPT SELECT * FROM showroom.technician_work(now() - interval '30 days', now() + interval '1 day'))
        UNION ALL
        (SELECT * FROM showroom.technician_work(now() - interval '30 days', now() + interval '1 day')
         EXCEPT SELECT * FROM showroom.technician_work_30d)) d;

SELECT 'null period' AS "case", pg_temp.try($$SELECT showroom.person_work(NULL, '2026-03-01')$$);
SELECT 'backwards' AS "case", pg_temp.try($$SELECT showroom.technician_work('2026-03-31', '2026-03-01')$$);
SELECT 'empty window' AS "case", pg_temp.try($$SELECT showroom.person_work('2026-03-01', '2026-03-01')$$);
