-- delivery and installation: trucks loaded, goods delivered, crews install
\set QUIET on
-- Load the planned runs, then pick, ship and deliver what they carry.
SELECT count(showroom.load_run(r.id)) FROM showroom.delivery_run r \gset
SELECT count(showroom.pick_order(s.order_id))
  FROM (SELECT DISTINCT order_id FROM showroom.run_stop) s \gset
SELECT count(showroom.ship_order(s.order_id))
  FROM (SELECT DISTINCT order_id FROM showroom.run_stop) s \gset
-- One unit turns out defective at the door: back to the DC as defective
-- stock, a replacement allocated, a second delivery linked to the first.
SELECT showroom.report_defect(l.id, 1, 'supplier', note => 'scratched door found at delivery')
  FROM showroom.sales_line l
  JOIN showroom.sales_order o ON o.id = l.order_id AND o.state = 'shipped'
 ORDER BY l.id LIMIT 1 \gset
SELECT count(showroom.deliver_order(o.id))
  FROM showroom.sales_order o WHERE o.state = 'shipped' \gset
\set QUIET off
SELECT state, count(*) AS orders FROM showroom.sales_order GROUP BY state ORDER BY state;
SELECT kind, state, count(*) AS service_orders
  FROM showroom.service_order GROUP BY kind, state ORDER BY kind, state;
