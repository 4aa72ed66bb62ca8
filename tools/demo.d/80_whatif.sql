-- the central-distribution what-if: deliveries and stock with and without the DC
--
-- Kept in one file so that a report view can replace it: the reports
-- room is writing a what-if view in src/sql/reports.sql; until it lands
-- the demo computes its own estimate here, into demo.whatif.
--
-- With the DC (what the year did): trips = supplier drops at the DC,
-- delivery runs and extra trips (second deliveries, orders no run took);
-- stock = the safety stock the DC needs for the pooled demand.  Without
-- it (each store holds and delivers its own stock): the supplier drops
-- at every store that sells the SKU, each store sends its own van each
-- day it has deliveries, and a store short of a unit fetches it from
-- another store (a transfer: units above its own 95% daily level);
-- stock = the sum of each store's safety stock for its own demand.
-- Safety stock: 7 days of mean demand plus 1.65 standard deviations
-- over 7 days (the same rule for both).
\set QUIET on
CREATE TABLE demo.whatif (measure text, with_dc numeric, without_dc numeric, note text);
CREATE TEMP VIEW daily AS
SELECT o.store_id, l.sku_id, o.delivery_date AS day, sum(l.qty) AS qty
  FROM showroom.sales_order o JOIN showroom.sales_line l ON l.order_id = o.id
 WHERE o.state = 'delivered'
 GROUP BY 1, 2, 3;
CREATE TEMP TABLE grid AS
SELECT st.id AS store_id, s.id AS sku_id, d::date AS day, coalesce(x.qty, 0) AS qty
  FROM showroom.store st CROSS JOIN showroom.sku s
 CROSS JOIN generate_series((SELECT min(day) FROM daily), (SELECT max(day) FROM daily), interval '1 day') d
  LEFT JOIN daily x ON x.store_id = st.id AND x.sku_id = s.id AND x.day = d::date;
INSERT INTO demo.whatif
SELECT 'safety stock, units',
       (SELECT round(sum(7 * m + 1.65 * sd * sqrt(7))) FROM
          (SELECT sku_id, avg(q) AS m, coalesce(stddev_pop(q), 0) AS sd
             FROM (SELECT sku_id, day, sum(qty) AS q FROM grid GROUP BY 1, 2) p GROUP BY sku_id) a),
       (SELECT round(sum(7 * m + 1.65 * sd * sqrt(7))) FROM
          (SELECT store_id, sku_id, avg(qty) AS m, coalesce(stddev_pop(qty), 0) AS sd
             FROM grid GROUP BY 1, 2) b),
       'pooled demand in one DC against five separate stocks';
INSERT INTO demo.whatif
SELECT 'supplier drops',
       (SELECT count(*) FROM showroom.stock_movement WHERE kind = 'receipt'),
       (SELECT count(*) FROM showroom.stock_movement WHERE kind = 'receipt')
         * (SELECT count(DISTINCT store_id) FROM grid WHERE qty > 0),
       'each receipt at the DC becomes one at every store';
INSERT INTO demo.whatif
SELECT 'delivery trips',
       (SELECT count(*) FROM showroom.delivery_run WHERE state <> 'planned')
         + (SELECT count(DISTINCT (sales_order_id, shipped_at::date)) FROM showroom.delivery d
             WHERE NOT EXISTS (SELECT 1 FROM showroom.run_stop r WHERE r.order_id = d.sales_order_id)),
       (SELECT count(*) FROM (SELECT DISTINCT store_id, day FROM grid WHERE qty > 0) t),
       'runs planned across the city against a van per store and day';
INSERT INTO demo.whatif
SELECT 'transfers between stores', 0,
       (SELECT sum(greatest(0, g.qty - ceil(a.m + 1.65 * a.sd)))
          FROM grid g JOIN (SELECT store_id, sku_id, avg(qty) AS m, coalesce(stddev_pop(qty), 0) AS sd
                              FROM grid GROUP BY 1, 2) a USING (store_id, sku_id)),
       'units a store must fetch from another store on a busy day';
GRANT SELECT ON demo.whatif TO demo_reporting;
\set QUIET off
SELECT measure, with_dc, without_dc,
       CASE WHEN without_dc > 0 THEN round(100 * (1 - with_dc / without_dc)) || '%' END AS saved
  FROM demo.whatif;
