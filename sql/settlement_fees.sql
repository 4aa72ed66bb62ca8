-- settlement_fees: the settlement carries the fee model.  The per-order
-- outlet amounts (fee items, penalty, unpaid redo, grade cut, deposit
-- withheld and released) become lines in the month of their due day,
-- once; ladder deposits are deducted; an order left unpaid by a standing
-- incident gets no service fee; the outlet's grade cut applies to the
-- service fee too; an amount changed after it was settled becomes an
-- adjustment in the next run, and a correction by hand stands.
\i test/helpers.sql

-- A flat fee, so that each line is easy to check: 100.00 a job.
SELECT 'rule' AS "case", showroom.add_fee_rule('installation', 'air_conditioner', '2026-01-01',
                                               NULL, '0km+: 100.00') > 0 AS ok;
INSERT INTO showroom.outlet (id, code, name, base) VALUES
  (1, 'FS1', 'Graded B', 'SRID=4326;POINT(113.58 37.86)'),
  (2, 'FS2', 'Ungraded', 'SRID=4326;POINT(113.58 37.86)');
-- Outlet 1 has grade B: the chain keeps 5 % (fee items and service fee).
INSERT INTO showroom.outlet_grade (outlet_id, grade, jobs, satisfaction, cut_pct)
VALUES (1, 'B', 25, 4.20, 5);
-- Three jobs done in March 2026 (Shanghai time): 1 by outlet 1, 2 and 3
-- by outlet 2.
INSERT INTO showroom.service_order (id, kind, category, point, service_date, state,
                                    outlet_id, created_at, done_at) VALUES
  (1, 'installation', 'air_conditioner', 'SRID=4326;POINT(113.58 37.86)', '2026-03-10', 'done', 1,
   '2026-03-09 10:00+08', '2026-03-10 10:00+08'),
  (2, 'installation', 'air_conditioner', 'SRID=4326;POINT(113.58 37.86)', '2026-03-10', 'done', 2,
   '2026-03-09 10:00+08', '2026-03-10 10:00+08'),
  (3, 'installation', 'air_conditioner', 'SRID=4326;POINT(113.58 37.86)', '2026-03-10', 'done', 2,
   '2026-03-09 10:00+08', '2026-03-10 10:00+08');
-- Order 1's amounts as the fee and discipline rooms write them: fee items
-- 80.00, grade cut -4.00, deposit -7.60 (due in March); order 3 has a
-- penalty of -20.00 due in April.
SELECT showroom.set_outlet_amount(1, 'fee_items', 1, 8000, '2026-03-10', 'receipt'),
       showroom.set_outlet_amount(1, 'grade_cut', 1, -400, '2026-03-10', 'grade cut 5%'),
       showroom.set_outlet_amount(1, 'deposit_withheld', 1, -760, '2026-03-10', 'deposit'),
       showroom.set_outlet_amount(3, 'penalty', 2, -2000, '2026-04-02', 'late');
-- Order 2 was a redo through outlet 2's own fault: unpaid, penalty 50.00
-- (due the day it was done).
SELECT 'incident' AS "case",
       showroom.record_incident(2, 'repeated', 'outlet', 'came back twice', '2026-03-10 12:00+08') > 0 AS ok;
SELECT 'unpaid' AS "case", service_order_id, outlet_id FROM showroom.unpaid_orders;
-- Ladder suspensions of outlet 2: one with a 500.00 deposit, one without
-- (no line), one reversed before the run (no line).
INSERT INTO showroom.ladder_suspension (id, outlet_id, quarter, step_points, deposit_fen, reason,
                                        since, until, state) VALUES
  (1, 2, '2026-01-01', 12, 50000, 'twelve points', '2026-03-20 09:00+08', '2026-04-10 09:00+08', 'active'),
  (2, 2, '2026-01-01', 3, 0, 'three points', '2026-03-05 09:00+08', '2026-03-08 09:00+08', 'ended'),
  (3, 2, '2026-01-01', 6, 10000, 'six points', '2026-03-06 09:00+08', '2026-03-13 09:00+08', 'reversed');

-- March: outlet 1 gets the fee 100.00, its grade cut -5.00, and its three
-- amounts (80.00 - 4.00 - 7.60): 163.40 in 5 lines.  Outlet 2 gets the
-- fee of order 3 only (100.00), order 2's penalty (-50.00) and the ladder
-- deposit (-500.00): -450.00 in 3 lines.  Order 3's April penalty waits.
SELECT 'march' AS "case", outlet_id, lines_added, total FROM showroom.settle('2026-03-01') ORDER BY outlet_id;
SELECT 'march lines' AS "case", s.outlet_id, l.component, l.source_id, l.service_order_id,
       l.amount_fen, l.note
  FROM showroom.statement_line l JOIN showroom.statement s ON s.id = l.statement_id
 ORDER BY s.outlet_id, l.component, l.source_id;
-- Exactly once: a second run adds nothing.
SELECT 'march again' AS "case", outlet_id, lines_added, total FROM showroom.settle('2026-03-01') ORDER BY outlet_id;
SELECT 'close march' AS "case", count(*) FROM showroom.close_period('2026-03-01');

-- After March closed: order 1's fee items become 90.00, its deposit is
-- dropped, order 2's incident is reversed (its penalty row goes, and its
-- fee is paid now), and the 500.00 deposit's suspension is reversed.
SELECT showroom.set_outlet_amount(1, 'fee_items', 1, 9000, '2026-03-10', 'receipt corrected'),
       showroom.set_outlet_amount(1, 'deposit_withheld', 1, 0, '2026-03-10', NULL);
UPDATE showroom.incident SET state = 'reversed' WHERE service_order_id = 2;
SELECT showroom.refresh_order_amounts(2);
UPDATE showroom.ladder_suspension SET state = 'reversed' WHERE id = 1;

-- April: outlet 1 gets +10.00 (fee items) and +7.60 (deposit), both
-- adjustments of its March lines: 17.60.  Outlet 2 gets order 2's fee
-- 100.00, +50.00 (penalty gone), +500.00 (deposit reversed), and order
-- 3's penalty -20.00: 630.00 in 4 lines.
SELECT 'april' AS "case", outlet_id, lines_added, total FROM showroom.settle('2026-04-01') ORDER BY outlet_id;
SELECT 'april lines' AS "case", s.outlet_id, l.component, l.source_id, a.component AS adjusts,
       l.amount_fen, l.note
  FROM showroom.statement_line l JOIN showroom.statement s ON s.id = l.statement_id
  LEFT JOIN showroom.statement_line a ON a.id = l.adjusts_line_id
 WHERE s.period = '2026-04-01'
 ORDER BY s.outlet_id, l.component, l.source_id;
SELECT 'april again' AS "case", outlet_id, lines_added FROM showroom.settle('2026-04-01') ORDER BY outlet_id;

-- Changed again while April is open: fee items 85.00, so -5.00 more (the
-- net of the line and the run's adjustments is 90.00).  A correction by
-- hand of +1.00 on the same line stands: the run does not undo it.
SELECT showroom.set_outlet_amount(1, 'fee_items', 1, 8500, '2026-03-10', 'receipt corrected again');
SELECT 'by hand' AS "case", showroom.adjust_line(l.id, 1.00, 'goodwill') > 0 AS ok
  FROM showroom.statement_line l WHERE l.component = 'fee_items' AND l.source_id = 1;
SELECT 'april, third run' AS "case", outlet_id, lines_added, total
  FROM showroom.settle('2026-04-01') WHERE outlet_id = 1;
SELECT 'fee items of order 1' AS "case", sum(l.amount_fen) AS net_fen,
       sum(l.amount_fen) FILTER (WHERE l.run_id IS NOT NULL) AS settled_by_runs_fen
  FROM showroom.statement_line l
  LEFT JOIN showroom.statement_line a ON a.id = l.adjusts_line_id
 WHERE (l.component = 'fee_items' AND l.source_id = 1) OR a.component = 'fee_items';

-- A month before the line's own does not adjust it: February's run adds
-- no adjustment for the lines of March.
SELECT showroom.set_outlet_amount(1, 'fee_items', 1, 7000, '2026-03-10', 'lower');
SELECT 'february' AS "case", outlet_id, lines_added FROM showroom.settle('2026-02-01') ORDER BY outlet_id;

-- The grade cut of the service fee follows the outlet's grade at the
-- run: with 2.5 %, a 100.00 fee is cut by 2.50.  May's run also brings
-- the -15.00 of the change above (85.00 to 70.00): 82.50 in 3 lines.
UPDATE showroom.outlet_grade SET cut_pct = 2.5 WHERE outlet_id = 1;
INSERT INTO showroom.service_order (id, kind, category, point, service_date, state,
                                    outlet_id, created_at, done_at) VALUES
  (4, 'installation', 'air_conditioner', 'SRID=4326;POINT(113.58 37.86)', '2026-05-10', 'done', 1,
   '2026-05-09 10:00+08', '2026-05-10 10:00+08');
SELECT 'may' AS "case", outlet_id, lines_added, total FROM showroom.settle('2026-05-01', 1);
SELECT 'may lines' AS "case", l.component, l.source_id, l.amount_fen, l.note
  FROM showroom.statement_line l JOIN showroom.statement s ON s.id = l.statement_id
 WHERE s.period = '2026-05-01' ORDER BY l.component, l.source_id;

-- Nothing counts twice: every statement line appears once in the
-- outlets' accounts (outlet_payable), and outlet_amount adds nothing.
SELECT 'payable equals lines' AS "case",
       (SELECT sum(amount_fen) FROM showroom.outlet_payable WHERE outlet_id = 1)
     = (SELECT sum(l.amount_fen) FROM showroom.statement_line l
          JOIN showroom.statement s ON s.id = l.statement_id WHERE s.outlet_id = 1) AS ok;
