-- settlement_orders.sql: add completed service orders numbered from
-- :first to :last, spread over 200 outlets and March 2026, 40% of them
-- deliveries from a DC; one in fifty a day late (past its kind's due
-- hours), one in fifty with parts used, one in two hundred with an upheld
-- complaint.
\set ON_ERROR_STOP 1
INSERT INTO showroom.service_order (kind, category, sales_order_id, point, service_date,
                                    state, outlet_id, created_at, done_at)
SELECT CASE WHEN i % 5 < 2 THEN 'delivery' WHEN i % 5 < 4 THEN 'installation' ELSE 'repair' END,
       (ARRAY['air_conditioner', 'refrigerator', 'washing_machine', 'television'])[1 + i % 4],
       CASE WHEN i % 5 < 2 THEN 1 + i % 10000 END,
       ST_SetSRID(ST_MakePoint(113.0 + (i * 7919 % 10000) / 10000.0,
                               37.5 + (i * 104729 % 10000) / 16000.0), 4326),
       '2026-03-01'::date + (i % 31)::integer,
       (ARRAY['done', 'return_visit', 'closed'])[1 + i % 3],
       (1 + i % 200)::bigint,
       timestamptz '2026-02-28 17:00Z' + (i % 31) * interval '1 day'
         - CASE WHEN i % 50 = 7 THEN interval '4 days' ELSE interval '0' END,
       timestamptz '2026-02-28 18:00Z' + (i % 31) * interval '1 day'
  FROM generate_series(:first::bigint, :last) i;
INSERT INTO showroom.part_use (order_id, outlet_id, part_id, qty, used_on, warranty)
SELECT so.id, so.outlet_id, 1, 1 + so.id % 4, so.service_date, so.id % 3 = 0
  FROM showroom.service_order so
 WHERE so.id BETWEEN :first AND :last AND so.id % 50 = 3;
INSERT INTO showroom.complaint (order_id, outlet_id, code, state, opened_at, resolved_at,
                                resolution)
SELECT so.id, so.outlet_id, 'feedback.late', 'upheld', so.done_at + interval '1 hour',
       so.done_at + interval '3 hours', 'crew came late'
  FROM showroom.service_order so
 WHERE so.id BETWEEN :first AND :last AND so.id % 200 = 11;
