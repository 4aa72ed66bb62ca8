-- the report's data, as one JSON document
--
-- Read by tools/demo.d/report.js, which draws the HTML.  Geometry comes
-- out as SVG path data from PostGIS (ST_AsSVG: x = lon, y = -lat), so
-- the page needs no map library and no network.
\set QUIET on
\pset tuples_only on
\pset format unaligned
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
  'outlets', (SELECT json_agg(json_build_object('code', o.code, 'name', o.name,
                 'jobs', (SELECT count(*) FROM showroom.service_order s WHERE s.outlet_id = o.id AND s.done_at IS NOT NULL),
                 'deliveries', (SELECT count(*) FROM showroom.service_order s WHERE s.outlet_id = o.id AND s.kind = 'delivery' AND s.done_at IS NOT NULL),
                 'installations', (SELECT count(*) FROM showroom.service_order s WHERE s.outlet_id = o.id AND s.kind = 'installation' AND s.done_at IS NOT NULL),
                 'satisfaction', (SELECT round(avg(v.score), 2) FROM showroom.return_visit v WHERE v.outlet_id = o.id),
                 'complaints', (SELECT count(*) FROM showroom.complaint c WHERE c.outlet_id = o.id),
                 'defects', (SELECT count(*) FROM showroom.defect d WHERE d.outlet_id = o.id),
                 'paid', (SELECT showroom.fen_to_yuan(sum(l.amount_fen)::bigint) FROM showroom.statement_line l
                           JOIN showroom.statement st ON st.id = l.statement_id WHERE st.outlet_id = o.id
                            AND l.component IN ('service_fee', 'parts')),
                 'suspended', o.suspended_reason, 'since', o.suspended_at::date) ORDER BY o.code)
              FROM showroom.outlet o),
  'months', (SELECT json_agg(m ORDER BY m.period) FROM (
               SELECT to_char(st.period, 'YYYY-MM') AS period, count(DISTINCT st.id) AS statements,
                      bool_and(st.state = 'closed') AS closed,
                      showroom.fen_to_yuan(coalesce(sum(l.amount_fen) FILTER (WHERE l.component = 'service_fee'), 0)::bigint) AS fees,
                      showroom.fen_to_yuan(coalesce(sum(l.amount_fen) FILTER (WHERE l.component LIKE '%penalty'), 0)::bigint) AS penalties,
                      showroom.fen_to_yuan(coalesce(sum(l.amount_fen) FILTER (WHERE l.component LIKE 'cod%'), 0)::bigint) AS cod,
                      showroom.fen_to_yuan(coalesce(sum(l.amount_fen), 0)::bigint) AS total
                 FROM showroom.statement st LEFT JOIN showroom.statement_line l ON l.statement_id = st.id
                GROUP BY st.period) m),
  'whatif', (SELECT json_agg(w) FROM demo.whatif w),
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
