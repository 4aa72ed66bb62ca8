-- dispatch: every delivery becomes a service order, dispatched in one batch
\set QUIET on
SELECT count(showroom.request_service(
         'delivery', ST_X(o.delivery_point), ST_Y(o.delivery_point), o.delivery_date,
         customer_name => o.customer_name,
         sku_id => (SELECT l.sku_id FROM showroom.sales_line l
                     WHERE l.order_id = o.id ORDER BY l.line_no LIMIT 1),
         sales_order_id => o.id))
  FROM showroom.sales_order o WHERE o.state = 'allocated' \gset
\set QUIET off
-- The dispatcher's screen for one order: every outlet, eligible or not.
SELECT outlet_code AS outlet, covers, skill, capacity, load,
       round(satisfaction::numeric, 2) AS satisfaction, priority,
       round(distance_m) AS metres, round(score::numeric, 3) AS score, rank,
       coalesce(reason, '') AS not_eligible_because
  FROM showroom.candidates((SELECT min(id) FROM showroom.service_order))
 ORDER BY rank NULLS LAST, outlet_code;
-- One call assigns the whole day: most orders served, then the best ranks.
SELECT * FROM showroom.dispatch_date(DATE '2026-07-15');
SELECT o.code AS outlet, count(s.id) AS jobs, showroom.capacity_on(o.id, 'delivery', DATE '2026-07-15') AS capacity
  FROM showroom.outlet o
  LEFT JOIN showroom.service_order s ON s.outlet_id = o.id AND s.service_date = DATE '2026-07-15'
 GROUP BY o.id, o.code ORDER BY o.code;
SELECT reason, count(*) AS orders FROM showroom.unassigned_orders GROUP BY reason ORDER BY reason;
