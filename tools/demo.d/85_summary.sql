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
