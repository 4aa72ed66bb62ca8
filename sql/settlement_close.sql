-- settlement_close: closing a month, immutability of closed statements
-- (even for the table owner), adjustments in the next open month, and
-- the month boundary in the business time zone.
\i test/helpers.sql

-- Stand-ins for the workflow and parts rooms' columns and tables (see
-- sql/settlement.sql); rows are inserted directly, as superuser.

SELECT 'rule' AS "case", showroom.add_fee_rule('repair', 'television', '2026-01-01', NULL, '0km+: 50.00');
INSERT INTO showroom.outlet (id, code, name, base)
VALUES (1, 'A', 'Outlet A', ST_SetSRID(ST_MakePoint(113.50, 37.80), 4326));
-- Two repairs at the base (0 m, 50.00 each): one at 23:59 Shanghai on
-- 31 January, one a minute later, on 1 February.
INSERT INTO showroom.service_order (id, kind, category, point, service_date, state,
                                    outlet_id, created_at, done_at) VALUES
  (1, 'repair', 'television', ST_SetSRID(ST_MakePoint(113.50, 37.80), 4326), '2026-01-31',
   'done', 1, '2026-01-31 10:00Z', '2026-01-31 15:59Z'),
  (2, 'repair', 'television', ST_SetSRID(ST_MakePoint(113.50, 37.80), 4326), '2026-02-01',
   'done', 1, '2026-01-31 10:00Z', '2026-01-31 16:00Z');

-- In a UTC session both completions are on 31 January, yet January takes
-- only the first: months are Shanghai's.
SET TimeZone = 'UTC';
SELECT 'January' AS "case", * FROM showroom.settle('2026-01-01', 1);
SELECT 'February' AS "case", * FROM showroom.settle('2026-02-01');
SELECT l.statement_id, st.period, l.source_id, showroom.fen_to_yuan(l.amount_fen) AS amount
  FROM showroom.statement_line l JOIN showroom.statement st ON st.id = l.statement_id
 ORDER BY l.id;

-- A month is closed only once it has ended.
SELECT 'close the future' AS "case", pg_temp.try($$SELECT * FROM showroom.close_period('2999-01-01')$$);
SELECT 'close January' AS "case", * FROM showroom.close_period('2026-01-01');
SELECT 'close again' AS "case", pg_temp.try($$SELECT showroom.close_statement(1)$$);

-- The closed statement and its lines cannot change, even for the owner
-- (this session is a superuser and owns the tables).
SELECT 'update statement' AS "case", pg_temp.try($$UPDATE showroom.statement SET total_fen = 0 WHERE id = 1$$);
SELECT 'reopen statement' AS "case", pg_temp.try($$UPDATE showroom.statement SET state = 'open', closed_at = NULL, total_fen = NULL WHERE id = 1$$);
SELECT 'delete statement' AS "case", pg_temp.try($$DELETE FROM showroom.statement WHERE id = 1$$);
SELECT 'update line' AS "case", pg_temp.try($$UPDATE showroom.statement_line SET amount_fen = 1 WHERE statement_id = 1$$);
SELECT 'delete line' AS "case", pg_temp.try($$DELETE FROM showroom.statement_line WHERE statement_id = 1$$);
SELECT 'insert line' AS "case", pg_temp.try($$INSERT INTO showroom.statement_line
  (statement_id, component, source_id, amount_fen) VALUES (1, 'service_fee', 99, 100)$$);
SELECT 'truncate lines' AS "case", pg_temp.try($$TRUNCATE showroom.statement_line$$);
SELECT 'truncate statements' AS "case", pg_temp.try($$TRUNCATE showroom.statement CASCADE$$);
SELECT 'settle closed month' AS "case", pg_temp.try($$SELECT * FROM showroom.settle('2026-01-01', 1)$$);
SELECT 'settle closed month, all' AS "case", count(*) AS statements
  FROM showroom.settle('2026-01-31');
SELECT 'January unchanged' AS "case", state, showroom.fen_to_yuan(total_fen) AS total,
       (SELECT count(*) FROM showroom.statement_line WHERE statement_id = 1) AS lines
  FROM showroom.statement WHERE id = 1;

-- Lines must name an existing statement and adjusted line (checked once
-- per INSERT by trigger, in place of foreign keys); statements with lines
-- are not deleted; runs need READ COMMITTED.
SELECT 'line of no statement' AS "case", pg_temp.try($$INSERT INTO showroom.statement_line
  (statement_id, component, source_id, amount_fen) VALUES (999, 'service_fee', 98, 100)$$);
SELECT 'adjusting no line' AS "case", pg_temp.try($$INSERT INTO showroom.statement_line
  (statement_id, component, source_id, amount_fen, adjusts_line_id) VALUES (2, 'adjustment', 999, 100, 999)$$);
SELECT 'delete open statement with lines' AS "case", pg_temp.try($$DELETE FROM showroom.statement WHERE id = 2$$);
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT 'repeatable read' AS "case", pg_temp.try($$SELECT * FROM showroom.settle('2026-02-01')$$);
COMMIT;
SELECT 'lines now' AS "case", count(*) FROM showroom.statement_line;

-- Lines of an open statement are never updated either.
SELECT 'update open line' AS "case", pg_temp.try($$UPDATE showroom.statement_line SET amount_fen = 1 WHERE statement_id = 2$$);

-- A correction of January's line goes to February (open), linked to it;
-- once February is closed too, the next goes to March.
SELECT 'adjust' AS "case", showroom.adjust_line(1, -10.00, 'customer paid part of the repair');
SELECT 'close February' AS "case", * FROM showroom.close_period('2026-02-01');
SELECT 'adjust again' AS "case", showroom.adjust_line(1, 2.50, 'partial refund reversed');
SELECT 'adjust zero' AS "case", pg_temp.try($$SELECT showroom.adjust_line(1, 0, 'nothing')$$);
SELECT 'adjust without reason' AS "case", pg_temp.try($$SELECT showroom.adjust_line(1, 1, ' ')$$);
SELECT 'adjust unknown line' AS "case", pg_temp.try($$SELECT showroom.adjust_line(999, 1, 'x')$$);
SELECT 'adjust three decimals' AS "case", pg_temp.try($$SELECT showroom.adjust_line(1, 1.005, 'x')$$);
SELECT line_id, period, statement_state, component, amount, adjusts_line_id, note
  FROM showroom.finance_export ORDER BY line_id;
SELECT statement_id, period, state, lines, total FROM showroom.statement_totals ORDER BY statement_id;
-- Closed totals are the sums of their lines.
SELECT 'closed totals' AS "case", bool_and(st.total_fen = (SELECT sum(amount_fen)
         FROM showroom.statement_line l WHERE l.statement_id = st.id)) AS equal
  FROM showroom.statement st WHERE st.state = 'closed';
RESET TimeZone;
