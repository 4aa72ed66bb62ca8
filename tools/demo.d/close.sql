-- closing the books after the last trading day
--
-- Included by tools/demo with :day set to the day after the last one.
-- On the simulated clock, finance settles and closes every month not yet
-- closed (the last one may be partial).  On a real clock every event was
-- stamped today, so only the current month can be settled, and it cannot
-- be closed before it ends.
\if :{?clock_mode}
\else
\set clock_mode simulated
\endif
SELECT :'clock_mode' = 'simulated' AS simulated \gset
SELECT demo.set_clock((:'day'::date + 1)::text, '08:00') \gset
SET ROLE demo_finance;
SET showroom.person = :'person_finance';
\if :simulated
SELECT count(*) AS settled
  FROM generate_series(date_trunc('month', :'day'::date - 1), date_trunc('month', :'day'::date - 1),
                       interval '1 month') m,
       LATERAL showroom.settle(m::date) \gset
SELECT count(*) AS closed
  FROM (SELECT DISTINCT period FROM showroom.statement
         WHERE state = 'open' AND period + interval '1 month' <= :'day'::date + 1
         ORDER BY period) p,
       LATERAL showroom.close_period(p.period) \gset
\else
SELECT count(*) AS settled FROM showroom.settle(current_date) \gset
\endif
RESET ROLE;
RESET showroom.person;
