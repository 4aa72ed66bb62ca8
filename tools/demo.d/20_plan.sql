-- the year's demand, drawn once from the seed
--
-- Everything random in the demo is drawn here, in one session after
-- setseed(), in a fixed order: the same seed gives the same year.  The
-- daily steps only carry the plan out.  Variables: :seed (integer),
-- :scale (volume factor), :start (first trading day), :days.
\set QUIET on
SELECT setseed(((:seed % 2000000) - 1000000) / 1000000.0) \gset

-- Customers' homes: a pool of seeded random points inside each real
-- district, sized by the district's share of the chain's customers, and a
-- few in a ring just outside the city, where no DC or outlet serves.
CREATE TABLE demo.district_share (code text PRIMARY KEY, share float8 NOT NULL);
INSERT INTO demo.district_share
SELECT code, CASE name WHEN '城区' THEN 0.30 WHEN '矿区' THEN 0.15 WHEN '郊区' THEN 0.20
                       WHEN '平定县' THEN 0.20 ELSE 0.15 END
  FROM demo.district;
CREATE TABLE demo.district_cum AS
SELECT code, sum(share) OVER (ORDER BY code) - share AS lo FROM demo.district_share;
CREATE TABLE demo.home AS
SELECT x.code AS district, row_number() OVER (PARTITION BY x.code ORDER BY p.path) AS k,
       p.geom AS point
  FROM demo.district x
  JOIN demo.district_share s USING (code),
       LATERAL ST_Dump(ST_GeneratePoints(x.geom, greatest(50, (1000 * s.share * :scale)::int),
                                         :seed)) p;
INSERT INTO demo.home
SELECT 'outside', row_number() OVER (ORDER BY p.path), p.geom
  FROM (SELECT ST_Difference(ST_Buffer(ST_Union(geom), 0.04), ST_Union(geom)) AS ring
          FROM demo.district) r,
       LATERAL ST_Dump(ST_GeneratePoints(r.ring, 40, :seed)) p;
CREATE INDEX ON demo.home (district, k);

-- Demand per category and day: the source's seasons.  Air conditioners
-- run at about 0.5 a day off-season and about 10 from mid-April to July
-- (a smooth plateau); televisions peak in September-October and in the
-- weeks before the Spring Festival (17 February 2026, 6 February 2027).
CREATE TABLE demo.rate AS
SELECT d::date AS day, c.code AS category,
       :scale * CASE c.code
         WHEN 'air_conditioner' THEN
           0.5 + 9.5 / (1 + exp(-(extract(doy FROM d) - 105) / 6.0))
                  / (1 + exp((extract(doy FROM d) - 210) / 6.0))
         WHEN 'television' THEN
           0.75 + 1.75 * exp(-(((extract(doy FROM d) - 265) / 22.0) ^ 2))
             + 2.25 * exp(-(((d::date - DATE '2026-02-10') / 10.0) ^ 2))
             + 2.25 * exp(-(((d::date - DATE '2027-01-30') / 10.0) ^ 2))
         WHEN 'refrigerator' THEN 1 + 0.75 * exp(-(((extract(doy FROM d) - 200) / 40.0) ^ 2))
         WHEN 'washing_machine' THEN 0.9
         WHEN 'small_appliance' THEN 0.75
         ELSE 0.1 END AS rate
  FROM generate_series(:'start'::date, :'start'::date + (:days - 1), interval '1 day') d,
       showroom.category c
 ORDER BY 1, 2;

-- Retail orders: a rough Poisson count per day and category, each order
-- one unit (sometimes two) of a SKU of the category, at a home drawn from
-- the district pools, sold by the district's store; one in 200 lives
-- outside the city.  A quarter of large orders add a small appliance;
-- three in ten pay cash on delivery.
CREATE TABLE demo.plan_order (
  n          serial PRIMARY KEY,
  day        date NOT NULL,
  channel    text NOT NULL,
  district   text NOT NULL,
  store_id   bigint,
  point      geometry(Point, 4326),
  cod        boolean NOT NULL,
  category   text
);
CREATE TABLE demo.plan_line (n integer NOT NULL, sku_id bigint NOT NULL, qty integer NOT NULL);
CREATE TEMP TABLE draw AS
SELECT r.day, r.category, g AS i
  FROM demo.rate r,
       LATERAL generate_series(1, floor(r.rate * (0.7 + 0.6 * random()) + random())::int) g
 ORDER BY r.day, r.category, g;
INSERT INTO demo.plan_order (day, channel, district, cod, category)
SELECT day, 'retail',
       CASE WHEN u < 0.005 THEN 'outside'
            ELSE (SELECT c.code FROM demo.district_cum c
                   WHERE u >= c.lo ORDER BY c.lo DESC LIMIT 1) END,
       random() < 0.3, category
  FROM (SELECT day, category, random() AS u FROM draw ORDER BY day, category, i) x;
-- The first customer of each month lives outside the city too, so that
-- even a short demo has one.
UPDATE demo.plan_order SET district = 'outside'
 WHERE n IN (SELECT min(n) FROM demo.plan_order GROUP BY date_trunc('month', day));
-- Key accounts: every Wednesday a builder, a hotel or a school buys in
-- bulk: 5 to 20 air conditioners in season, else televisions and
-- refrigerators; delivered two days later, all or nothing.
INSERT INTO demo.plan_order (day, channel, district, cod, category)
SELECT d::date, 'key_account',
       (SELECT code FROM demo.district_share ORDER BY code OFFSET floor(random() * 5) LIMIT 1),
       false, NULL
  FROM generate_series(:'start'::date, :'start'::date + (:days - 1), interval '1 day') d
 WHERE extract(isodow FROM d) = 3
 ORDER BY d;
UPDATE demo.plan_order p
   SET point = h.point,
       store_id = (SELECT st.id FROM showroom.store st
                    WHERE st.code = 'S-' || CASE WHEN p.district = 'outside'
                                                 THEN (SELECT min(code) FROM demo.district)
                                                 ELSE p.district END)
  FROM (SELECT p2.n, (SELECT h.point FROM demo.home h
                       WHERE h.district = p2.district
                       ORDER BY h.k
                      OFFSET floor(random() * (SELECT count(*) FROM demo.home h2
                                                WHERE h2.district = p2.district))
                       LIMIT 1) AS point
          FROM demo.plan_order p2 ORDER BY p2.n) h
 WHERE h.n = p.n;
INSERT INTO demo.plan_line (n, sku_id, qty)
SELECT n, (SELECT s.id FROM showroom.sku s WHERE s.category = o.category
            ORDER BY s.id OFFSET floor(random() * (SELECT count(*) FROM showroom.sku s2
                                                   WHERE s2.category = o.category)) LIMIT 1),
       1 + (random() < 0.05)::int
  FROM demo.plan_order o WHERE o.channel = 'retail' ORDER BY n;
INSERT INTO demo.plan_line (n, sku_id, qty)
SELECT n, (SELECT s.id FROM showroom.sku s WHERE s.category = 'small_appliance'
            ORDER BY s.id OFFSET floor(random() * 2) LIMIT 1), 1
  FROM demo.plan_order o
  JOIN showroom.category c ON c.code = o.category AND c.large
 WHERE o.channel = 'retail' AND random() < 0.25 ORDER BY n;
INSERT INTO demo.plan_line (n, sku_id, qty)
SELECT o.n, s.id, greatest(2, ((5 + floor(random() * 16)) * least(:scale, 4))::int)
  FROM demo.plan_order o
  JOIN demo.rate r ON r.day = o.day AND r.category = 'air_conditioner'
  JOIN showroom.sku s ON s.code = CASE WHEN r.rate > 2.5 * :scale THEN 'AC-15'
                                       WHEN o.n % 2 = 0 THEN 'TV-55' ELSE 'RF-300' END
 WHERE o.channel = 'key_account' ORDER BY o.n;
-- The plan as arrays, ready for sell(); lines of an order merged by SKU.
CREATE TABLE demo.plan AS
SELECT o.n, o.day, o.channel, o.district, o.store_id, ST_X(o.point) AS lon, ST_Y(o.point) AS lat,
       array_agg(l.sku_id ORDER BY l.sku_id) AS skus, array_agg(l.qty ORDER BY l.sku_id) AS qtys,
       CASE WHEN o.cod THEN sum(l.qty * s.list_price_fen)::bigint ELSE 0 END AS cod_fen
  FROM demo.plan_order o
  JOIN (SELECT n, sku_id, sum(qty)::int AS qty FROM demo.plan_line GROUP BY n, sku_id) l USING (n)
  JOIN showroom.sku s ON s.id = l.sku_id
 GROUP BY o.n;
CREATE INDEX ON demo.plan (day);
-- Random draws for the days' events, one row per day, so that the daily
-- steps need no random() of their own.
CREATE TABLE demo.day_draw AS
SELECT d::date AS day, random() AS open_box, random() AS defect_pick
  FROM generate_series(:'start'::date, :'start'::date + (:days - 1), interval '1 day') d
 ORDER BY d;
GRANT SELECT ON demo.plan, demo.day_draw, demo.rate TO demo_clerk, demo_dc, demo_dispatcher,
  demo_outlet, demo_finance;
\set QUIET off
SELECT count(*) AS planned_orders, sum(array_length(skus, 1)) AS lines,
       count(*) FILTER (WHERE channel = 'key_account') AS key_account,
       count(*) FILTER (WHERE district = 'outside') AS outside_the_city
  FROM demo.plan;
