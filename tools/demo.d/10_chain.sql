-- setting up the chain: one DC, a store, products and an outlet in Yangquan
INSERT INTO showroom.dc (code, name, location)
VALUES ('YQ-DC', 'Yangquan distribution centre', 'SRID=4326;POINT(113.565 37.857)');
INSERT INTO showroom.store (code, name, location, home_dc_id)
SELECT 'YQ-CQ', 'Chengqu showroom', 'SRID=4326;POINT(113.601 37.851)', id
  FROM showroom.dc WHERE code = 'YQ-DC';
INSERT INTO showroom.sku (code, name, category, needs_install, list_price_fen, volume_l, weight_kg)
VALUES ('AC-15', 'split air conditioner 1.5P', 'air_conditioner', true, 329900, 180, 45),
       ('TV-55', 'television 55 inch', 'television', false, 399900, 150, 20);
INSERT INTO showroom.outlet (code, name, base, priority)
VALUES ('OUT-CQ', 'Chengqu installation crew', 'SRID=4326;POINT(113.59 37.87)', 10);
\echo
SELECT s.code AS store, d.code AS dc,
       round(ST_Distance(s.location::geography, d.location::geography)) AS metres_to_dc
  FROM showroom.store s JOIN showroom.dc d ON d.id = s.home_dc_id;
