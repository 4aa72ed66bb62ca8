-- the trucks: the day's deliveries planned into runs
SELECT outcome, count(*) AS deliveries
  FROM showroom.plan_runs((SELECT id FROM showroom.dc WHERE code = 'YQ-DC'), DATE '2026-07-15')
 GROUP BY outcome ORDER BY outcome;
SELECT run_id, vehicle_code, stops, km, volume_share, weight_share,
       depart_at::time AS departs, return_at::time AS returns
  FROM showroom.delivery_runs ORDER BY run_id;
SELECT reason, count(*) AS deliveries FROM showroom.run_pending GROUP BY reason ORDER BY reason;
