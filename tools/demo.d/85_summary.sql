-- summary of the year
--
-- Also keeps demo.who_did_what for the report: per person, the ledger
-- rows written and the service-order moves made (decision support's
-- person_work over the whole run, read as the dispatcher, who may run it).
\set QUIET on
\pset footer off
\echo
SELECT (SELECT count(*) FROM showroom.sales_order) AS orders,
       (SELECT count(*) FROM showroom.sales_order WHERE channel = 'key_account') AS key_account,
       (SELECT count(*) FROM demo.lost_sale) AS lost_sales,
       (SELECT count(*) FROM showroom.sales_order WHERE state = 'delivered') AS delivered,
       (SELECT count(*) FROM showroom.open_box_sale) AS open_box,
       (SELECT count(*) FROM showroom.defect) AS defects,
       (SELECT count(*) FROM showroom.delivery_run) AS runs,
       (SELECT count(*) FROM showroom.service_order WHERE kind = 'installation') AS installations,
       (SELECT count(*) FROM showroom.return_visit) AS return_visits,
       (SELECT count(*) FROM showroom.complaint) AS complaints;
SELECT code AS suspended_outlet, suspended_reason AS why, suspended_at::date AS since
  FROM showroom.outlet WHERE suspended_at IS NOT NULL;
SELECT to_char(period, 'YYYY-MM') AS month, count(*) AS statements,
       count(*) FILTER (WHERE state = 'closed') AS closed,
       showroom.fen_to_yuan(sum(total_fen)::bigint) AS closed_total_yuan
  FROM showroom.statement GROUP BY period ORDER BY period;
SELECT s.kind, coalesce(u.reason, 'not tried') AS why_unassigned, count(*) AS service_orders
  FROM showroom.service_order s
  LEFT JOIN showroom.unassigned_orders u ON u.service_order_id = s.id
 WHERE s.state = 'requested'
 GROUP BY 1, 2 ORDER BY 1, 2;
-- The season of air conditioners: units delivered on the busiest day
-- against an average day of the off-season months (November to February).
SELECT max(units) AS ac_peak_day_units,
       round(avg(units) FILTER (WHERE extract(month FROM day) IN (11, 12, 1, 2)), 2) AS ac_off_season_day_units,
       round(max(units) / nullif(avg(units) FILTER (WHERE extract(month FROM day) IN (11, 12, 1, 2)), 0), 1) AS ratio
  FROM (SELECT d::date AS day, coalesce(sum(l.delivered_qty), 0) AS units
          FROM generate_series((SELECT min(delivery_date) FROM showroom.sales_order),
                               (SELECT max(delivery_date) FROM showroom.sales_order), interval '1 day') d
          LEFT JOIN showroom.sales_order o ON o.delivery_date = d::date
          LEFT JOIN showroom.sales_line l ON l.order_id = o.id
                AND l.sku_id IN (SELECT id FROM showroom.sku WHERE category = 'air_conditioner')
         GROUP BY 1) x;

-- The what-if of central distribution, as the product computes it
-- (showroom.central_whatif_dc), read by the BI login: the same sales
-- with each store holding and restocking its own stock against one DC
-- delivering to the customers.  The last row sums the trips and takes
-- the mean of the monthly stock figures.
SET ROLE demo_reporting;
SELECT coalesce(to_char(month, 'YYYY-MM'), 'year') AS month, sum(units_sold) AS units_sold,
       sum(deliveries_store_model) AS trips_store_model, sum(deliveries_central) AS trips_central,
       sum(dc_trips_shipped) AS dc_trips_shipped,
       round(avg(stock_store_model)) AS stock_store_model, round(avg(stock_central)) AS stock_central,
       round(1 - sum(stock_central)::numeric / nullif(sum(stock_store_model), 0), 3) AS stock_saved
  FROM showroom.central_whatif_dc
 GROUP BY ROLLUP (month)
 ORDER BY month NULLS LAST;
RESET ROLE;

-- Who did what.
SET ROLE demo_dispatcher;
CREATE TEMP TABLE person_year AS
SELECT * FROM showroom.person_work(timestamptz '2025-12-01', now() + interval '1 day');
RESET ROLE;
CREATE TABLE demo.who_did_what AS
SELECT who, coalesce(m.ledger_rows, 0) AS ledger_rows, coalesce(w.moves, 0) AS service_moves,
       coalesce(w.dispatches, 0) AS dispatches, coalesce(w.finishes, 0) AS finishes,
       coalesce(v.visits, 0) AS return_visits, coalesce(c.closed, 0) AS statements_closed,
       w.dispatch_to_accept_p50, w.accept_to_done_p50, w.first_time_fix_share, w.visit_score
  FROM (SELECT done_by::text AS who, count(*) AS ledger_rows
          FROM showroom.stock_movement GROUP BY 1) m
  FULL JOIN person_year w USING (who)
  FULL JOIN (SELECT coalesce(person, done_by::text) AS who, count(*) AS visits
               FROM showroom.return_visit GROUP BY 1) v USING (who)
  FULL JOIN (SELECT closed_by::text AS who, count(*) AS closed
               FROM showroom.statement WHERE closed_by IS NOT NULL GROUP BY 1) c USING (who)
 ORDER BY who;
SELECT * FROM demo.who_did_what ORDER BY who;
