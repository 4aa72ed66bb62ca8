-- decide_sites: the weighted 1-median and 2-median on cases whose optimum
-- is known, and the site analysis on a day of real deliveries.
\i test/helpers.sql

-- Four points symmetric about (113.60, 37.90): the median is the centre.
SELECT 'symmetric' AS "case", round(m.lon::numeric, 6) AS lon, round(m.lat::numeric, 6) AS lat
  FROM showroom.weighted_median('{113.59,113.61,113.60,113.60}', '{37.90,37.90,37.89,37.91}',
                                '{1,1,1,1}') m;
-- One point holds more than half the weight: it is the optimum, exactly.
SELECT 'heavy point' AS "case", m.lon = 113.61 AS on_lon, m.lat = 37.90 AS on_lat
  FROM showroom.weighted_median('{113.59,113.61,113.60,113.60}', '{37.90,37.90,37.89,37.91}',
                                '{1,3.5,1,1}') m;
-- Three points in a row: the middle one, though the start (the mean) is
-- elsewhere; the iterate lands on a data point and must stop there.
SELECT 'collinear' AS "case", m.lon = 113.50 AS on_lon, m.lat = 37.80 AS on_lat
  FROM showroom.weighted_median('{113.40,113.50,113.90}', '{37.80,37.80,37.80}', '{1,1,1}') m;
-- A zero weight counts for nothing.
SELECT 'zero weight' AS "case", round(m.lon::numeric, 6) AS lon, round(m.lat::numeric, 6) AS lat
  FROM showroom.weighted_median('{113.59,113.61,113.60,113.60,120}', '{37.90,37.90,37.89,37.91,30}',
                                '{1,1,1,1,0}') m;
-- Two far apart clusters of four, each symmetric about its centre: the
-- pair is the two centres; equal weight, so the western one first.
SELECT 'pair' AS "case", round(p.lon1::numeric, 6) AS lon1, round(p.lat1::numeric, 6) AS lat1,
       p.weight1, round(p.lon2::numeric, 6) AS lon2, round(p.lat2::numeric, 6) AS lat2, p.weight2
  FROM showroom.weighted_median_pair('{113.64,113.66,113.65,113.65,113.54,113.56,113.55,113.55}',
                                     '{37.85,37.85,37.84,37.86,37.85,37.85,37.84,37.86}',
                                     '{1,1,1,1,1,1,1,1}') p;
-- Every start finds it, the first one alone too.
SELECT 'pair, one start' AS "case", round(p.lon1::numeric, 6) AS lon1, round(p.lon2::numeric, 6) AS lon2
  FROM showroom.weighted_median_pair('{113.64,113.66,113.65,113.65,113.54,113.56,113.55,113.55}',
                                     '{37.85,37.85,37.84,37.86,37.85,37.85,37.84,37.86}',
                                     '{1,1,1,1,1,1,1,1}', 1) p;

-- Bad input.
SELECT 'lengths' AS "case", pg_temp.try($$SELECT showroom.weighted_median('{1,2}', '{1}', '{1,1}')$$);
SELECT 'empty' AS "case", pg_temp.try($$SELECT showroom.weighted_median('{}', '{}', '{}')$$);
SELECT 'null element' AS "case", pg_temp.try($$SELECT showroom.weighted_median('{1,NULL}', '{1,1}', '{1,1}')$$);
SELECT 'null array' AS "case", pg_temp.try($$SELECT showroom.weighted_median(NULL, '{1}', '{1}')$$);
SELECT 'swapped' AS "case", pg_temp.try($$SELECT showroom.weighted_median('{37.9}', '{113.6}', '{1}')$$);
SELECT 'nan lon' AS "case", pg_temp.try($$SELECT showroom.weighted_median('{NaN}', '{37.9}', '{1}')$$);
SELECT 'negative weight' AS "case", pg_temp.try($$SELECT showroom.weighted_median('{113}', '{37}', '{-1}')$$);
SELECT 'zero total' AS "case", pg_temp.try($$SELECT showroom.weighted_median('{113}', '{37}', '{0}')$$);
SELECT 'huge weights' AS "case", pg_temp.try($$SELECT showroom.weighted_median('{113,114}', '{37,37}', '{1e308,1e308}')$$);
SELECT 'two dims' AS "case", pg_temp.try($$SELECT showroom.weighted_median('{{113}}', '{{37}}', '{{1}}')$$);
SELECT 'starts 0' AS "case", pg_temp.try($$SELECT showroom.weighted_median_pair('{113}', '{37}', '{1}', 0)$$);
SELECT 'starts null' AS "case", pg_temp.try($$SELECT showroom.weighted_median_pair('{113}', '{37}', '{1}', NULL)$$);

-- A day of real deliveries: the DC stands south-west of town; eight
-- customers in the two clusters above buy one TV each for today.
INSERT INTO showroom.dc (code, name, location)
VALUES ('DC', 'Yangquan DC', 'SRID=4326;POINT(113.50 37.80)');
INSERT INTO showroom.store (code, name, location, home_dc_id)
VALUES ('S1', 'Store one', 'SRID=4326;POINT(113.6 37.85)', 1);
INSERT INTO showroom.sku (code, name, category, list_price_fen, volume_l, weight_kg)
VALUES ('TV1', 'television', 'television', 199900, 200, 25);
SELECT 'receipt' AS "case", showroom.receive_stock(1, 1, 20);
SELECT 'vehicle' AS "case", showroom.add_vehicle(1, 'T1', 1000, 200, '08:00', '18:00');
SELECT 'sell' AS "case", count(showroom.sell(1, x.lon, x.lat, '{1}', '{1}',
                                             delivery_date => showroom.business_date(now())))
  FROM unnest('{113.64,113.66,113.65,113.65,113.54,113.56,113.55,113.55}'::float8[],
              '{37.85,37.85,37.84,37.86,37.85,37.85,37.84,37.86}'::float8[]) AS x (lon, lat);
-- The planner's runs of the day, before the goods leave: the one truck
-- drives one run a day and holds five 200-litre TVs; three wait.
SELECT 'planned' AS "case", outcome, count(*)
  FROM showroom.plan_runs(1, showroom.business_date(now())) GROUP BY outcome ORDER BY outcome;
CREATE TEMP TABLE planned_km AS
SELECT round((sum(distance_m) / 1000)::numeric, 3) AS km, count(*) AS runs
  FROM showroom.delivery_run;
SELECT 'deliver' AS "case", count(*)
  FROM (SELECT showroom.pick_order(o.id), showroom.ship_order(o.id), showroom.deliver_order(o.id)
          FROM showroom.sales_order o ORDER BY o.id) x;

-- Site 0 is the DC: its truck-km are exactly the planner's own for the
-- day.  Site 1, the middle of town, has every door within 20 km; site 2,
-- the western cluster's centre, has its four doors within 1.5 km.
SELECT 'score' AS "case", s.site, ST_AsText(s.point) AS point, s.visits, s.total_km, s.avg_km,
       s.within_share, s.truck_km, s.runs, s.unplanned
  FROM showroom.score_sites(1, showroom.business_date(now()), showroom.business_date(now()),
                            ARRAY['SRID=4326;POINT(113.60 37.85)'::geometry,
                                  'SRID=4326;POINT(113.55 37.85)'::geometry],
                            '{1500,20000}') s;
SELECT 'DC truck-km = plan_runs' AS "case", s.truck_km = p.km AS same_km, s.runs = p.runs AS same_runs
  FROM showroom.score_sites(1, showroom.business_date(now()), showroom.business_date(now()),
                            ARRAY['SRID=4326;POINT(113.60 37.85)'::geometry]) s, planned_km p
 WHERE s.site = 0;
-- The distances are the spheroid's: recompute site 0's total by hand.
SELECT 'DC km by hand' AS "case",
       round((sum(ST_Distance(d.location::geography, o.delivery_point::geography)) / 1000)::numeric, 3) AS km
  FROM showroom.sales_order o, showroom.dc d;

-- Best single site: the middle of the two clusters; best pair: their
-- centres.  Savings against the DC, and each plan's km recomputed.
SELECT 'best' AS "case", b.plan, b.site, round(ST_X(b.point)::numeric, 6) AS lon,
       round(ST_Y(b.point)::numeric, 6) AS lat,
       b.visits, b.km, b.avg_km, b.plan_km, b.saving_km, b.saving_share
  FROM showroom.best_sites(1, showroom.business_date(now()), showroom.business_date(now())) b;
SELECT 'pair km by hand' AS "case",
       round((sum(least(ST_Distance('SRID=4326;POINT(113.55 37.85)'::geography, o.delivery_point::geography),
                         ST_Distance('SRID=4326;POINT(113.65 37.85)'::geography, o.delivery_point::geography)))
              / 1000)::numeric, 3) AS km
  FROM showroom.sales_order o;

-- Bad calls.
SELECT 'null dc' AS "case", pg_temp.try($$SELECT showroom.best_sites(NULL, '2026-01-01', '2026-01-02')$$);
SELECT 'unknown dc' AS "case", pg_temp.try($$SELECT showroom.best_sites(9, '2026-01-01', '2026-01-02')$$);
SELECT 'backwards' AS "case", pg_temp.try($$SELECT showroom.best_sites(1, '2026-01-02', '2026-01-01')$$);
SELECT 'no deliveries' AS "case", pg_temp.try($$SELECT showroom.best_sites(1, '2020-01-01', '2020-01-31')$$);
SELECT 'no deliveries, score' AS "case", pg_temp.try($$SELECT showroom.score_sites(1, '2020-01-01', '2020-01-31', ARRAY['SRID=4326;POINT(113 37)'::geometry])$$);
SELECT 'no sites' AS "case", pg_temp.try($$SELECT showroom.score_sites(1, '2026-01-01', '2026-01-02', '{}')$$);
SELECT 'null site' AS "case", pg_temp.try($$SELECT showroom.score_sites(1, '2026-01-01', '2026-01-02', ARRAY[NULL::geometry])$$);
SELECT 'line site' AS "case", pg_temp.try($$SELECT showroom.score_sites(1, '2026-01-01', '2026-01-02', ARRAY['SRID=4326;LINESTRING(113 37,114 38)'::geometry])$$);
SELECT 'srid 3857' AS "case", pg_temp.try($$SELECT showroom.score_sites(1, '2026-01-01', '2026-01-02', ARRAY['SRID=3857;POINT(12644000 4560000)'::geometry])$$);
SELECT 'swapped site' AS "case", pg_temp.try($$SELECT showroom.score_sites(1, '2026-01-01', '2026-01-02', ARRAY['SRID=4326;POINT(37.85 113.6)'::geometry])$$);
SELECT 'bad radius' AS "case", pg_temp.try($$SELECT showroom.score_sites(1, '2026-01-01', '2026-01-02', ARRAY['SRID=4326;POINT(113 37)'::geometry], '{1000,-5}')$$);
-- Nothing written by the analysis: still the runs of the plan above.
SELECT 'nothing written' AS "case", count(*) AS runs FROM showroom.delivery_run;
