-- setting up the chain on Yangquan's five real districts
--
-- Runs as the demo's superuser session.  The logins are created first;
-- master data is then entered by the administrator's login (SET ROLE
-- demo_admin) and the opening stock and display samples by the DC's,
-- each naming its person in showroom.person.
-- Variables: :scale (volume factor), :person_admin, :person_dc.
\set QUIET on

-- One login per role, each a member of its group role.  Roles belong to
-- the server, so a second demo on the same server reuses them.
DO $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT * FROM (VALUES
      ('demo_admin', 'showroom_admin'), ('demo_clerk', 'showroom_clerk'),
      ('demo_dc', 'showroom_dc'), ('demo_dispatcher', 'showroom_dispatcher'),
      ('demo_outlet', 'showroom_outlet'), ('demo_finance', 'showroom_finance'),
      ('demo_reporting', 'showroom_reporting')) v(login, grp)
  LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r.login) THEN
      EXECUTE format('CREATE ROLE %I LOGIN', r.login);
    END IF;
    EXECUTE format('GRANT %I TO %I', r.grp, r.login);
  END LOOP;
END
$$;
-- The demo's own tables (districts, the year's plan) are read by the
-- logins while they work; they are the demo's, not the product's.
GRANT USAGE ON SCHEMA demo TO demo_admin, demo_clerk, demo_dc, demo_dispatcher,
  demo_outlet, demo_finance;
GRANT SELECT ON demo.district TO demo_admin;

SET ROLE demo_admin;
SET showroom.person = :'person_admin';
-- The DC stands in Chengqu and delivers to the whole city.
INSERT INTO showroom.dc (code, name, location)
SELECT 'YQ-DC', 'Yangquan distribution centre', ST_PointOnSurface(geom)
  FROM demo.district WHERE name = '城区';
-- A showroom in each district, at a point inside it.
INSERT INTO showroom.store (code, name, location, home_dc_id)
SELECT 'S-' || x.code, x.name || ' showroom', ST_PointOnSurface(x.geom), d.id
  FROM demo.district x, showroom.dc d WHERE d.code = 'YQ-DC' ORDER BY x.code;
-- An outlet per district; its daily capacity grows with the scale.
SELECT count(showroom.add_outlet('O-' || x.code, x.name || ' service', ST_X(c), ST_Y(c),
                                 10, greatest(8, (25 * :scale)::int)))
  FROM (SELECT *, ST_PointOnSurface(geom) AS c FROM demo.district ORDER BY code) x \gset
-- Three outlets with hand-drawn areas that overlap the districts: a city
-- express crew within 8 km of the DC (delivery only, ranked first, and
-- the one whose customers will complain), a crew across the Pingding-Yu
-- county border, and a crew on a rough pentagon east of Chengqu.
SELECT showroom.add_outlet('O-EXPRESS', 'city express', ST_X(location), ST_Y(location),
                           20, greatest(8, (12 * :scale)::int))
  FROM showroom.dc WHERE code = 'YQ-DC' \gset
SELECT showroom.add_outlet('O-BORDER', 'Pingding-Yu border crew', 113.50, 38.02,
                           12, greatest(4, (4 * :scale)::int)) \gset
SELECT showroom.add_outlet('O-MINES', 'mining area crew', 113.62, 37.88,
                           12, greatest(4, (4 * :scale)::int)) \gset
-- The areas: the DC's delivery region, the districts, and the crews'
-- hand-drawn areas.
SELECT showroom.add_dc_area(d.id, 'Yangquan city', ST_Multi(ST_Union(x.geom)))
  FROM showroom.dc d, demo.district x WHERE d.code = 'YQ-DC' GROUP BY d.id \gset
SELECT count(showroom.add_service_area(o.id, x.name, x.geom))
  FROM demo.district x JOIN showroom.outlet o ON o.code = 'O-' || x.code \gset
SELECT showroom.add_service_area(o.id, 'within 8 km of the DC',
                                 ST_Buffer(d.location::geography, 8000)::geometry)
  FROM showroom.dc d, showroom.outlet o WHERE d.code = 'YQ-DC' AND o.code = 'O-EXPRESS' \gset
SELECT showroom.add_service_area(id, 'hand-drawn: both sides of the county border',
         'SRID=4326;POLYGON((113.30 37.93, 113.72 37.93, 113.72 38.10, 113.30 38.10, 113.30 37.93))'::geometry)
  FROM showroom.outlet WHERE code = 'O-BORDER' \gset
SELECT showroom.add_service_area(id, 'hand-drawn: east of Chengqu',
         'SRID=4326;POLYGON((113.57 37.83, 113.68 37.84, 113.70 37.92, 113.62 37.95, 113.56 37.90, 113.57 37.83))'::geometry)
  FROM showroom.outlet WHERE code = 'O-MINES' \gset
SELECT count(showroom.set_capability(o.id, k.kind, c.code,
                                     CASE WHEN o.code = 'O-EXPRESS' THEN 2 ELSE 3 END))
  FROM showroom.outlet o,
       (VALUES ('delivery'), ('installation'), ('repair')) k(kind),
       showroom.category c
 WHERE (c.large OR k.kind = 'delivery')
   AND (o.code <> 'O-EXPRESS' OR k.kind = 'delivery') \gset
-- What the chain sells: the four large categories, small appliances and
-- a spare part sold over the counter.
INSERT INTO showroom.sku (code, name, category, needs_install, list_price_fen, volume_l, weight_kg, capacity_hp)
VALUES ('AC-10', 'split air conditioner 1P', 'air_conditioner', true, 249900, 150, 38, 1),
       ('AC-15', 'split air conditioner 1.5P', 'air_conditioner', true, 329900, 180, 45, 1.5),
       ('AC-30', 'cabinet air conditioner 3P', 'air_conditioner', true, 699900, 420, 95, 3),
       ('RF-300', 'refrigerator 300 l', 'refrigerator', false, 259900, 650, 70, NULL),
       ('RF-500', 'refrigerator 500 l, two doors', 'refrigerator', false, 549900, 950, 105, NULL),
       ('WM-8', 'washing machine 8 kg', 'washing_machine', true, 199900, 300, 65, NULL),
       ('WM-10', 'washer-dryer 10 kg', 'washing_machine', true, 399900, 340, 78, NULL),
       ('TV-55', 'television 55 inch', 'television', false, 399900, 160, 22, NULL),
       ('TV-75', 'television 75 inch', 'television', true, 899900, 320, 40, NULL),
       ('KT-1', 'electric kettle', 'small_appliance', false, 12900, 4, 1.2, NULL),
       ('MW-20', 'microwave oven 20 l', 'small_appliance', false, 59900, 45, 12, NULL),
       ('PT-RC', 'air conditioner remote control', 'part', false, 8900, 1, 0.2, NULL);
-- The DC's trucks.
SELECT count(showroom.add_vehicle(d.id, 'JIN-C-' || lpad(i::text, 4, '0'),
                                  12000, 2500, '07:00', '20:00', i % 2 = 0))
  FROM showroom.dc d, generate_series(1, greatest(4, (4 * :scale)::int)) i
 WHERE d.code = 'YQ-DC' \gset
-- Fees, by distance band from the DC (deliveries) or the outlet's base.
SELECT count(showroom.add_fee_rule(k.kind, c.code, '2025-01-01', NULL, k.tariff::showroom.tariff))
  FROM (VALUES ('delivery', '0-5km: 30.00; 5-20km: 45.00; 20km+: 45.00 + 1.50/km'),
               ('installation', '0-10km: 80.00; 10km+: 80.00 + 2.00/km'),
               ('repair', '0-10km: 60.00; 10km+: 60.00 + 2.00/km')) k(kind, tariff),
       showroom.category c
 WHERE c.large OR k.kind = 'delivery' \gset
-- Problem codes of this chain, under the standard lists.
SELECT showroom.add_problem_code('delivery.problem', 'lift_out_of_order', 'lift out of order, carried by stairs') \gset
SELECT showroom.add_problem_code('feedback', 'wrong_time', 'came outside the agreed window') \gset
-- Which login acts where: the clerk for every store (a chain sales desk),
-- DC staff for the DC, the outlet login for every outlet (the network's
-- coordinator reports for the crews).
SELECT count(showroom.map_login('demo_clerk', store_id => id)) FROM showroom.store \gset
SELECT count(showroom.map_login('demo_dc', dc_id => id)) FROM showroom.dc \gset
SELECT count(showroom.map_login('demo_outlet', outlet_id => id)) FROM showroom.outlet \gset
RESET ROLE;
RESET showroom.person;

-- Opening stock and a display sample of every large SKU in every store,
-- by DC staff.
SET ROLE demo_dc;
SET showroom.person = :'person_dc';
SELECT sum(showroom.receive_stock(d.id, s.id,
                                  greatest(20, (CASE WHEN s.category = 'air_conditioner' THEN 15
                                                     ELSE 10 END * :scale)::int),
                                  'opening stock'))
  FROM showroom.dc d, showroom.sku s WHERE d.code = 'YQ-DC' \gset
SELECT count(showroom.place_sample(st.id, s.id, 'SN-' || st.code || '-' || s.code))
  FROM showroom.store st, showroom.sku s, showroom.category c
 WHERE c.code = s.category AND c.large \gset
RESET ROLE;
RESET showroom.person;
\set QUIET off
SELECT (SELECT count(*) FROM showroom.store) AS stores,
       (SELECT count(*) FROM showroom.outlet) AS outlets,
       (SELECT count(*) FROM showroom.service_area) AS service_areas,
       (SELECT count(*) FROM showroom.sku) AS skus,
       (SELECT count(*) FROM showroom.vehicle) AS trucks,
       (SELECT count(*) FROM showroom.sample) AS samples,
       (SELECT sum(on_hand) FROM showroom.stock) AS units_in_dc;
