-- dispatch_grade: the outlet's current grade feeds the ranking.  Two
-- outlets alike in every other respect tie on score; the lower id wins the
-- tie until grades exist, then the better grade (the smaller cut) wins,
-- by dispatch.weight_grade points per percentage point of cut.
\i test/helpers.sql

-- Twins: same base, same area, same skill, no return visits.
SELECT showroom.add_outlet('G1', 'first twin', 113.50, 37.75, 0, 5),
       showroom.add_outlet('G2', 'second twin', 113.50, 37.75, 0, 5);
SELECT count(showroom.add_service_area(id, code, 'SRID=4326;POLYGON((113 37.5,114 37.5,114 38,113 38,113 37.5))'))
  FROM showroom.outlet;
SELECT count(showroom.set_capability(id, 'installation', 'air_conditioner', 4)) FROM showroom.outlet;
INSERT INTO showroom.service_order (kind, category, point, service_date)
SELECT 'installation', 'air_conditioner', 'SRID=4326;POINT(113.5 37.75)', '2026-06-01'
  FROM generate_series(1, 3);

-- No grades: a tie, G1 first by its lower id.
SELECT 'no grades' AS "case", outlet_code, round(score::numeric, 4) AS score, rank
  FROM showroom.candidates(1);

-- G2 grade A (cut 2 %), G1 grade C (cut 8 %): G2 loses 0.05 * 2 = 0.1,
-- G1 loses 0.05 * 8 = 0.4; G2 now ranks first and is dispatched.
INSERT INTO showroom.outlet_grade (outlet_id, grade, jobs, satisfaction, cut_pct) VALUES
  (1, 'C', 5, 3.00, 8), (2, 'A', 60, 4.80, 2);
SELECT 'graded' AS "case", outlet_code, round(score::numeric, 4) AS score, rank
  FROM showroom.candidates(1);
SELECT 'score difference' AS "case",
       round((SELECT score FROM showroom.candidates(1) WHERE outlet_code = 'G2')::numeric
             - (SELECT score FROM showroom.candidates(1) WHERE outlet_code = 'G1')::numeric, 4) AS diff;
-- Weight 0: the grade no longer counts, and the tie is back.
SELECT showroom.set_setting('dispatch.weight_grade', '0');
SELECT 'weight 0' AS "case", outlet_code, round(score::numeric, 4) AS score, rank
  FROM showroom.candidates(1);
SELECT showroom.set_setting('dispatch.weight_grade', NULL);

-- Dispatch takes G2, and so does the batch for orders 2 and 3.
SELECT 'dispatch 1' AS "case", o.code FROM showroom.outlet o WHERE o.id = (SELECT showroom.dispatch(1));
SELECT 'batch' AS "case", * FROM showroom.dispatch_date('2026-06-01');
SELECT 'batch orders' AS "case", so.id, o.code
  FROM showroom.service_order so JOIN showroom.outlet o ON o.id = so.outlet_id ORDER BY so.id;
