-- summary of the year
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
