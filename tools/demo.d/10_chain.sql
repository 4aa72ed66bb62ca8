-- setting up the chain on Yangquan's five real districts
\set QUIET on
-- The DC stands in Chengqu and delivers to the whole city.
INSERT INTO showroom.dc (code, name, location)
SELECT 'YQ-DC', 'Yangquan distribution centre', ST_PointOnSurface(geom)
  FROM demo.district WHERE name = '城区';
SELECT showroom.add_dc_area(d.id, 'Yangquan city', ST_Multi(ST_Union(x.geom)))
  FROM showroom.dc d, demo.district x WHERE d.code = 'YQ-DC' GROUP BY d.id \gset
-- A showroom in each district, at a point inside it.
INSERT INTO showroom.store (code, name, location, home_dc_id)
SELECT 'S-' || x.code, x.name || ' showroom', ST_PointOnSurface(x.geom), d.id
  FROM demo.district x, showroom.dc d WHERE d.code = 'YQ-DC' ORDER BY x.code;
-- An outlet per district, serving the district; and a city express outlet
-- whose hand-drawn area (8 km round the DC) overlaps three districts.
SELECT count(showroom.add_service_area(
         showroom.add_outlet('O-' || x.code, x.name || ' service', ST_X(c), ST_Y(c),
                             10, 60),
         x.name, x.geom))
  FROM (SELECT *, ST_PointOnSurface(geom) AS c FROM demo.district ORDER BY code) x \gset
SELECT showroom.add_service_area(
         showroom.add_outlet('O-EXPRESS', 'city express', ST_X(location), ST_Y(location), 20, 40),
         'within 8 km of the DC', ST_Buffer(location::geography, 8000)::geometry)
  FROM showroom.dc WHERE code = 'YQ-DC' \gset
SELECT count(showroom.set_capability(o.id, k.kind, c.code, CASE WHEN o.code = 'O-EXPRESS' THEN 2 ELSE 3 END))
  FROM showroom.outlet o,
       (VALUES ('delivery'), ('installation'), ('repair')) k(kind),
       showroom.category c
 WHERE (c.large OR k.kind = 'delivery') AND c.code <> 'part'
   AND (o.code <> 'O-EXPRESS' OR k.kind = 'delivery') \gset
-- What the chain sells.
INSERT INTO showroom.sku (code, name, category, needs_install, list_price_fen, volume_l, weight_kg, capacity_hp)
VALUES ('AC-10', 'split air conditioner 1P', 'air_conditioner', true, 249900, 150, 38, 1),
       ('AC-15', 'split air conditioner 1.5P', 'air_conditioner', true, 329900, 180, 45, 1.5),
       ('AC-30', 'cabinet air conditioner 3P', 'air_conditioner', true, 699900, 420, 95, 3),
       ('RF-300', 'refrigerator 300 l', 'refrigerator', false, 259900, 650, 70, NULL),
       ('WM-8', 'washing machine 8 kg', 'washing_machine', true, 199900, 300, 65, NULL),
       ('TV-55', 'television 55 inch', 'television', false, 399900, 160, 22, NULL),
       ('TV-75', 'television 75 inch', 'television', true, 899900, 320, 40, NULL),
       ('KT-1', 'electric kettle', 'small_appliance', false, 12900, 4, 1.2, NULL);
-- The DC's trucks and its first stock.
SELECT count(showroom.add_vehicle(d.id, 'JIN-C-' || lpad(i::text, 4, '0'),
                                  12000, 2500, '07:00', '20:00', i % 2 = 0))
  FROM showroom.dc d, generate_series(1, 12) i WHERE d.code = 'YQ-DC' \gset
SELECT sum(showroom.receive_stock(d.id, s.id, 400, 'opening stock'))
  FROM showroom.dc d, showroom.sku s WHERE d.code = 'YQ-DC' \gset
\set QUIET off
SELECT (SELECT count(*) FROM showroom.store) AS stores,
       (SELECT count(*) FROM showroom.outlet) AS outlets,
       (SELECT count(*) FROM showroom.service_area) AS service_areas,
       (SELECT count(*) FROM showroom.vehicle) AS trucks,
       (SELECT sum(on_hand) FROM showroom.stock) AS units_in_dc;
