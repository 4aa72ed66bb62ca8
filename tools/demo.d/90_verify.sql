-- proof: the ledger reconciles, every audit chain verifies, every statement adds up
--
-- Any failure raises an error, and tools/demo exits non-zero.
\set QUIET on
SET ROLE demo_admin;
SELECT count(*) AS stock_problems FROM showroom.verify_stock() \gset
SELECT count(*) AS sample_problems FROM showroom.verify_samples() \gset
SELECT count(*) AS parts_problems FROM showroom.verify_parts_stock() \gset
SELECT count(*) AS broken_chains FROM showroom.broken_trails() \gset
SELECT count(*) AS trails_checked FROM showroom.service_order \gset
-- A closed statement's total is fixed at closing; it must equal the sum
-- of its lines.  An open one has no total yet: it is shown as the sum.
SELECT count(*) AS statements,
       count(*) FILTER (WHERE s.state = 'closed') AS closed_statements,
       count(*) FILTER (WHERE s.state = 'closed'
                          AND s.total_fen IS DISTINCT FROM coalesce(l.sum_fen, 0)) AS bad_statements
  FROM showroom.statement s
  LEFT JOIN (SELECT statement_id, sum(amount_fen) AS sum_fen
               FROM showroom.statement_line GROUP BY statement_id) l ON l.statement_id = s.id \gset
RESET ROLE;
\echo 'stock ledger:        ' :stock_problems 'violations (verify_stock)'
\echo 'display samples:     ' :sample_problems 'violations (verify_samples)'
\echo 'parts ledger:        ' :parts_problems 'violations (verify_parts_stock)'
\echo 'audit chains:        ' :broken_chains 'broken of' :trails_checked 'service orders (broken_trails)'
\echo 'statements:          ' :bad_statements 'of' :closed_statements 'closed statements differ from their lines (' :statements 'in all)'
SELECT (:stock_problems + :sample_problems + :parts_problems + :broken_chains + :bad_statements) = 0 AS proof_ok \gset
\if :proof_ok
\echo 'proof: all checks passed'
\else
SELECT * FROM showroom.verify_stock() LIMIT 20;
SELECT * FROM showroom.broken_trails() LIMIT 20;
\echo 'proof: FAILED'
-- An error ends psql (ON_ERROR_STOP) with a non-zero status.
DO $$ BEGIN RAISE EXCEPTION 'proof failed: see the rows above'; END $$;
\endif
