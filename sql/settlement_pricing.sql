-- settlement_pricing: service fees priced in C (distance on the spheroid
-- without PostGIS, rule by business date) agree with PostGIS and the
-- tariff far from home too; the late penalty goes with the fee; a point
-- that cannot be measured stops the run; a run as a finance login, and
-- refused when a policy on statement_line would not admit every line.
\i test/helpers.sql

-- One rule priced per km, so that every metre shows in the fee.
SELECT 'rule' AS "case", showroom.add_fee_rule('repair', 'television', '2026-01-01', NULL,
                                               '0km+: 10.00 + 1.00/km') AS id;
-- Outlets far apart, each with a job far from its base: across China,
-- across the date line, near the pole, across the equator, next door.
INSERT INTO showroom.outlet (id, code, name, base) VALUES
  (1, 'URU', 'Urumqi', 'SRID=4326;POINT(87.62 43.83)'),
  (2, 'DL', 'Date line', 'SRID=4326;POINT(179.90 -16.00)'),
  (3, 'POLE', 'Near the pole', 'SRID=4326;POINT(10.00 89.90)'),
  (4, 'EQ', 'Equator', 'SRID=4326;POINT(-78.50 -0.20)'),
  (5, 'YQ', 'Yangquan', 'SRID=4326;POINT(113.58 37.86)');
INSERT INTO showroom.service_order (id, kind, category, point, service_date, state,
                                    outlet_id, created_at, done_at) VALUES
  (1, 'repair', 'television', 'SRID=4326;POINT(126.63 45.75)', '2026-03-02', 'done', 1,
   '2026-03-01 02:00Z', '2026-03-02 02:00Z'),
  (2, 'repair', 'television', 'SRID=4326;POINT(-179.80 -16.30)', '2026-03-02', 'done', 2,
   '2026-03-01 02:00Z', '2026-03-02 02:00Z'),
  (3, 'repair', 'television', 'SRID=4326;POINT(-170.00 89.70)', '2026-03-02', 'done', 3,
   '2026-03-01 02:00Z', '2026-03-02 02:00Z'),
  (4, 'repair', 'television', 'SRID=4326;POINT(-78.40 0.30)', '2026-03-02', 'done', 4,
   '2026-03-01 02:00Z', '2026-03-02 02:00Z'),
  (5, 'repair', 'television', 'SRID=4326;POINT(113.58 37.86)', '2026-03-02', 'done', 5,
   '2026-03-01 02:00Z', '2026-03-02 02:00Z'),
  -- done four days after it was asked for (repairs are due in 72 h): late
  (6, 'repair', 'television', 'SRID=4326;POINT(113.59 37.87)', '2026-03-05', 'done', 5,
   '2026-03-01 02:00Z', '2026-03-05 02:00Z'),
  -- late too, but a washing machine: no rule yet, so neither fee nor penalty
  (7, 'repair', 'washing_machine', 'SRID=4326;POINT(113.59 37.87)', '2026-03-05', 'done', 5,
   '2026-03-01 02:00Z', '2026-03-05 02:00Z');

-- As a finance login (row-level security applies to it).
CREATE ROLE sr_settle_fin LOGIN IN ROLE showroom_finance;
SET ROLE sr_settle_fin;
SELECT 'settle as finance' AS "case", outlet_id, lines_added, total
  FROM showroom.settle('2026-03-01') ORDER BY outlet_id;
RESET ROLE;

-- Each fee and distance against PostGIS and the tariff, recomputed here.
SELECT 'against PostGIS' AS "case", l.source_id, l.distance_m,
       l.distance_m = round(d.m) AS same_distance,
       l.amount_fen = showroom.tariff_fee('0km+: 10.00 + 1.00/km', d.m) AS same_fee
  FROM showroom.statement_line l
  JOIN showroom.service_order so ON so.id = l.source_id
  JOIN showroom.outlet o ON o.id = so.outlet_id
 CROSS JOIN LATERAL (SELECT ST_DistanceSpheroid(o.base, so.point,
                      'SPHEROID["WGS 84",6378137,298.257223563]') AS m) d
 WHERE l.component = 'service_fee' ORDER BY l.source_id;
SELECT 'lines' AS "case", component, source_id, showroom.fen_to_yuan(amount_fen) AS amount, note
  FROM showroom.statement_line WHERE source_id >= 5 ORDER BY component, source_id;

-- A rule for washing machines from March: order 7 gets its fee and its
-- late penalty in the next run, once.
SELECT 'washing machine rule' AS "case",
       showroom.add_fee_rule('repair', 'washing_machine', '2026-03-01', NULL, '0km+: 20.00') AS id;
SELECT 'second run' AS "case", sum(lines_added) AS added FROM showroom.settle('2026-03-01');
SELECT 'third run' AS "case", sum(lines_added) AS added FROM showroom.settle('2026-03-01');
SELECT 'order 7' AS "case", component, showroom.fen_to_yuan(amount_fen) AS amount
  FROM showroom.statement_line WHERE source_id = 7 ORDER BY component;

-- A job whose distance cannot be measured stops the run, and nothing of
-- it is written.  An order's own point cannot be empty (the table refuses
-- it); the base of an outlet written directly can.
SELECT 'empty order point' AS "case", split_part(pg_temp.try($$
  INSERT INTO showroom.service_order (kind, category, point, service_date)
  VALUES ('repair', 'television', 'SRID=4326;POINT EMPTY', '2026-03-06')$$),
  ' | detail', 1) AS try;  -- the failing row's detail holds timestamps
INSERT INTO showroom.outlet (id, code, name, base)
VALUES (99, 'NOBASE', 'no base', 'SRID=4326;POINT EMPTY');
INSERT INTO showroom.service_order (id, kind, category, point, service_date, state,
                                    outlet_id, created_at, done_at) VALUES
  (8, 'repair', 'television', 'SRID=4326;POINT(113.60 37.88)', '2026-03-06', 'done', 99,
   '2026-03-06 01:00Z', '2026-03-06 02:00Z');
SELECT 'empty point' AS "case", pg_temp.try($$SELECT * FROM showroom.settle('2026-03-01')$$);
SELECT 'runs and lines' AS "case", (SELECT count(*) FROM showroom.settlement_run) AS runs,
       (SELECT count(*) FROM showroom.statement_line) AS lines;
DELETE FROM showroom.service_order WHERE id = 8;
DELETE FROM showroom.outlet WHERE id = 99;

-- A policy that admits only some lines: the run refuses instead of
-- writing lines through COPY that the policy would not admit.
CREATE POLICY small_lines ON showroom.statement_line AS RESTRICTIVE FOR INSERT
  TO showroom_finance WITH CHECK (amount_fen < 100000);
INSERT INTO showroom.service_order (id, kind, category, point, service_date, state,
                                    outlet_id, created_at, done_at) VALUES
  (9, 'repair', 'television', 'SRID=4326;POINT(113.60 37.88)', '2026-03-07', 'done', 5,
   '2026-03-07 01:00Z', '2026-03-07 02:00Z');
SET ROLE sr_settle_fin;
SELECT 'restrictive policy' AS "case", pg_temp.try($$SELECT * FROM showroom.settle('2026-03-01')$$);
RESET ROLE;
SELECT 'order 9 unsettled' AS "case", count(*) FROM showroom.statement_line WHERE source_id = 9;
DROP POLICY small_lines ON showroom.statement_line;
DROP ROLE sr_settle_fin;
