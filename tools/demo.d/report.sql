-- the report's data, as one JSON document
--
-- Read by tools/demo.d/report.js, which draws the HTML.  Geometry comes
-- out as SVG path data from PostGIS (ST_AsSVG: x = lon, y = -lat), so
-- the page needs no map library and no network.
--
-- What a BI tool could read is read as the BI login, demo_reporting,
-- from the product's report views: the what-if of central distribution
-- (central_whatif_dc), outlet performance (outlet_performance, summed
-- over the year; satisfaction is the visit-weighted mean of the monthly
-- means, which the view rounds to 2 places) and settlement per month
-- (statement_report).  The rest (geometry, the demo's own tables, who did
-- what, suspensions) is read by the demo's superuser session.
\set QUIET on
\pset tuples_only on
\pset format unaligned
SET ROLE demo_reporting;
SELECT json_build_object(
  'whatif', (SELECT json_agg(json_build_object(
                'month', coalesce(to_char(month, 'YYYY-MM'), 'year'), 'units', units,
                'store_model', store_model, 'central', central, 'shipped', shipped,
                'second', second, 'stock_store_model', stock_store_model,
                'stock_central', stock_central, 'saved', saved) ORDER BY month NULLS LAST)
               FROM (SELECT month, sum(units_sold) AS units, sum(deliveries_store_model) AS store_model,
                            sum(deliveries_central) AS central, sum(dc_trips_shipped) AS shipped,
                            sum(second_deliveries_shipped) AS second,
                            round(avg(stock_store_model)) AS stock_store_model,
                            round(avg(stock_central)) AS stock_central,
                            round(1 - sum(stock_central)::numeric / nullif(sum(stock_store_model), 0), 3) AS saved
                       FROM showroom.central_whatif_dc GROUP BY ROLLUP (month)) w),
  'performance', (SELECT json_object_agg(code, p) FROM (
                    SELECT outlet_code AS code, json_build_object(
                             'jobs', sum(jobs_done),
                             'deliveries', sum(jobs_done) FILTER (WHERE kind = 'delivery'),
                             'installations', sum(jobs_done) FILTER (WHERE kind = 'installation'),
                             'on_time', round(sum(on_time)::numeric / nullif(sum(jobs_done), 0), 3),
                             'first_time', round(sum(first_time_fix)::numeric / nullif(sum(jobs_done), 0), 3),
                             'visits', sum(visits),
                             'satisfaction', round(sum(satisfaction * visits) / nullif(sum(visits) FILTER (WHERE satisfaction IS NOT NULL), 0), 2),
                             'complaints', sum(complaints),
                             'second', sum(second_deliveries_caused)) AS p
                      FROM showroom.outlet_performance GROUP BY outlet_code) q),
  'paid', (SELECT json_object_agg(outlet_code, paid) FROM (
             SELECT outlet_code, sum(service_fees + parts) AS paid
               FROM showroom.statement_report GROUP BY outlet_code) f),
  'months', (SELECT json_agg(m ORDER BY m.period) FROM (
               SELECT to_char(period, 'YYYY-MM') AS period, count(*) AS statements,
                      bool_and(state = 'closed') AS closed, sum(service_fees) AS fees,
                      sum(penalties) AS penalties, sum(cod_collected + cod_remitted) AS cod,
                      sum(total) AS total
                 FROM showroom.statement_report GROUP BY period) m)) AS reporting \gset
RESET ROLE;
WITH box AS (SELECT ST_Extent(geom) AS b FROM demo.district),
busy AS (SELECT run_date FROM showroom.run_stop
          GROUP BY run_date ORDER BY count(*) DESC, run_date LIMIT 1)
SELECT json_build_object(
  'clock', :'clock_mode',
  'box', (SELECT json_build_array(ST_XMin(b), -ST_YMax(b), ST_XMax(b) - ST_XMin(b), ST_YMax(b) - ST_YMin(b)) FROM box),
  'districts', (SELECT json_agg(json_build_object('name', name, 'code', code,
                  'en', CASE code WHEN '140302' THEN 'Chengqu' WHEN '140303' THEN 'Kuangqu'
                                  WHEN '140311' THEN 'Jiaoqu' WHEN '140321' THEN 'Pingding'
                                  WHEN '140322' THEN 'Yuxian' ELSE code END,
                  'path', ST_AsSVG(geom, 0, 4), 'x', ST_X(ST_PointOnSurface(geom)),
                  'y', -ST_Y(ST_PointOnSurface(geom))) ORDER BY code) FROM demo.district),
  'dc', (SELECT json_build_object('name', name, 'x', ST_X(location), 'y', -ST_Y(location)) FROM showroom.dc LIMIT 1),
  'stores', (SELECT json_agg(json_build_object('name', name, 'x', ST_X(location), 'y', -ST_Y(location)) ORDER BY id) FROM showroom.store),
  'areas', (SELECT json_agg(json_build_object('outlet', o.code, 'name', a.name, 'path', ST_AsSVG(a.geom, 0, 4)) ORDER BY a.id)
              FROM showroom.service_area a JOIN showroom.outlet o ON o.id = a.outlet_id),
  'points', (SELECT json_agg(json_build_object('x', round(ST_X(p)::numeric, 4), 'y', round(-ST_Y(p)::numeric, 4), 'outlet', outlet))
               FROM (SELECT o.delivery_point AS p, coalesce(so.code, 'none') AS outlet
                       FROM showroom.sales_order o
                       LEFT JOIN LATERAL (SELECT x.code FROM showroom.service_order s JOIN showroom.outlet x ON x.id = s.outlet_id
                                           WHERE s.sales_order_id = o.id AND s.kind = 'delivery' ORDER BY s.id LIMIT 1) so ON true
                      WHERE o.state = 'delivered'
                      ORDER BY abs(hashint8(o.id)) LIMIT 800) q),
  'run_day', (SELECT run_date FROM busy),
  'runs', (SELECT json_agg(json_build_object('vehicle', vehicle_code, 'stops', stops, 'km', km,
                    'path', ST_AsSVG(route, 0, 4)) ORDER BY run_id)
             FROM showroom.delivery_runs WHERE run_date = (SELECT run_date FROM busy) AND route IS NOT NULL),
  'stops', (SELECT json_agg(json_build_object('x', ST_X(point), 'y', -ST_Y(point)))
              FROM showroom.delivery_stops WHERE run_date = (SELECT run_date FROM busy)),
  'daily', (SELECT json_agg(json_build_object('day', day, 'category', category, 'units', units) ORDER BY day, category)
              FROM (SELECT o.delivery_date AS day, s.category, sum(l.delivered_qty) AS units
                      FROM showroom.sales_order o JOIN showroom.sales_line l ON l.order_id = o.id
                      JOIN showroom.sku s ON s.id = l.sku_id
                     WHERE l.delivered_qty > 0 GROUP BY 1, 2) d),
  'outlets', (SELECT json_agg(jsonb_build_object('code', o.code, 'name', o.name)
                 || coalesce((:'reporting'::jsonb -> 'performance' -> o.code), '{}')
                 || jsonb_build_object('paid', :'reporting'::jsonb -> 'paid' -> o.code,
                                       'suspended', o.suspended_reason, 'since', o.suspended_at::date)
                 ORDER BY o.code)
              FROM showroom.outlet o),
  'months', :'reporting'::json -> 'months',
  'whatif', :'reporting'::json -> 'whatif',
  'who', (SELECT json_agg(w ORDER BY w.who) FROM demo.who_did_what w),
  'totals', json_build_object(
     'orders', (SELECT count(*) FROM showroom.sales_order),
     'key_account', (SELECT count(*) FROM showroom.sales_order WHERE channel = 'key_account'),
     'delivered', (SELECT count(*) FROM showroom.sales_order WHERE state = 'delivered'),
     'lost', (SELECT count(*) FROM demo.lost_sale),
     'open_box', (SELECT count(*) FROM showroom.open_box_sale),
     'defects', (SELECT count(*) FROM showroom.defect),
     'runs', (SELECT count(*) FROM showroom.delivery_run),
     'service_orders', (SELECT count(*) FROM showroom.service_order),
     'unassigned', (SELECT count(*) FROM showroom.service_order WHERE state = 'requested'),
     'complaints', (SELECT count(*) FROM showroom.complaint),
     'cod_collected', (SELECT showroom.fen_to_yuan(sum(amount_fen)::bigint) FROM showroom.cod_collection),
     'cod_remitted', (SELECT showroom.fen_to_yuan(sum(amount_fen)::bigint) FROM showroom.cod_remittance)));
