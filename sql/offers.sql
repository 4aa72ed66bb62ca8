-- offers: dispatch offers that time out: offer to the best outlet, accept,
-- decline to the next, time out to the next by the periodic sweep, no
-- candidate left, limits per kind and channel, a peak period stretching
-- them, the orders past a limit with their candidates, and peak outlets.
\i test/helpers.sql

-- Three outlets cover one square; C has priority 2, B 1, A 0, so dispatch
-- ranks C, B, A.
SELECT showroom.add_outlet('A', 'alpha', 113.30, 37.70, 0, 5),
       showroom.add_outlet('B', 'bravo', 113.50, 37.75, 1, 5),
       showroom.add_outlet('C', 'charlie', 113.10, 37.60, 2, 5);
SELECT count(showroom.add_service_area(id, code, 'SRID=4326;POLYGON((113 37.5,114 37.5,114 38,113 38,113 37.5))'))
  FROM showroom.outlet;
SELECT count(showroom.set_capability(id, 'installation', 'air_conditioner', 4)) FROM showroom.outlet;
INSERT INTO showroom.service_order (kind, category, point, service_date)
SELECT 'installation', 'air_conditioner', 'SRID=4326;POINT(113.5 37.75)', '2026-12-20'
  FROM generate_series(1, 4);

-- Limits: 15 minutes to accept an installation, 2 hours to contact, 48
-- to finish.
SELECT 'limits' AS "case", * FROM showroom.order_limits(1);

-- Offer order 1: it goes to C, open for 15 minutes.
SELECT 'offer' AS "case", showroom.offer_order(1) AS offer_id;
SELECT id, service_order_id, outlet_id, round, state, expires_at - offered_at AS time_to_accept
  FROM showroom.offer ORDER BY id;
SELECT 'order' AS "case", state, outlet_id FROM showroom.service_order WHERE id = 1;
SELECT 'offer again' AS "case", pg_temp.try($$SELECT showroom.offer_order(1)$$);

-- C declines (no capacity): the sweep moves the order to B with a new
-- offer.
SELECT 'decline' AS "case", showroom.decline_offer(1, 'refusal.capacity');
SELECT 'sweep' AS "case", * FROM showroom.expire_offers();
SELECT 'decline again' AS "case", pg_temp.try($$SELECT showroom.decline_offer(1, 'refusal.capacity')$$);
SELECT 'bad code' AS "case", pg_temp.try($$SELECT showroom.decline_offer(2, 'visit.late')$$);

-- B does not answer: at 14 minutes the sweep leaves it; at 16 it times out
-- and the order moves to A.
SELECT 'sweep at 14 min' AS "case", * FROM showroom.expire_offers(now() + interval '14 minutes');
SELECT 'sweep at 16 min' AS "case", * FROM showroom.expire_offers(now() + interval '16 minutes');
SELECT id, outlet_id, round, state, answered_by, reason FROM showroom.offer ORDER BY id;
SELECT 'order' AS "case", state, outlet_id FROM showroom.service_order WHERE id = 1;
SELECT 'moves' AS "case", action, outlet_id, previous_outlet_id, reason
  FROM showroom.dispatch_log WHERE service_order_id = 1 ORDER BY id;

-- A accepts: the order is accepted; an answer to a closed offer is refused.
SELECT 'accept' AS "case", showroom.accept_offer(3);
SELECT 'order' AS "case", state, outlet_id FROM showroom.service_order WHERE id = 1;
SELECT 'accept expired' AS "case", pg_temp.try($$SELECT showroom.accept_offer(2)$$);
SELECT 'unknown offer' AS "case", pg_temp.try($$SELECT showroom.accept_offer(99)$$);
SELECT 'null offer' AS "case", pg_temp.try($$SELECT showroom.accept_offer(NULL)$$);

-- An accept after the time is up but before the sweep is refused too.
SELECT 'offer 2' AS "case", showroom.offer_order(2) AS offer_id;
UPDATE showroom.offer SET offered_at = offered_at - interval '20 minutes',
                          expires_at = expires_at - interval '20 minutes' WHERE id = 4;
SELECT 'too late' AS "case", pg_temp.try($$SELECT showroom.accept_offer(4)$$);
SELECT 'offer 4' AS "case", state FROM showroom.offer WHERE id = 4;
-- The sweep takes it: order 2 goes from C to B.
SELECT 'sweep' AS "case", * FROM showroom.expire_offers();
SELECT 'order 2' AS "case", state, outlet_id FROM showroom.service_order WHERE id = 2;

-- No candidate left: order 3 is declined by C, B and A in turn; it stays
-- with A, dispatched, without an open offer.
SELECT 'offer 3' AS "case", showroom.offer_order(3) > 0 AS ok;
CREATE FUNCTION pg_temp.open3() RETURNS bigint LANGUAGE sql AS
  $$ SELECT id FROM showroom.offer WHERE service_order_id = 3 AND state = 'open' $$;
SELECT 'C declines' AS "case", showroom.decline_offer(pg_temp.open3(), 'refusal.capacity');
SELECT 'sweep' AS "case", * FROM showroom.expire_offers();
SELECT 'B declines' AS "case", showroom.decline_offer(pg_temp.open3(), 'refusal.capacity');
SELECT 'sweep' AS "case", * FROM showroom.expire_offers();
SELECT 'A declines' AS "case", showroom.decline_offer(pg_temp.open3(), 'refusal.no_skill');
SELECT 'none left' AS "case", * FROM showroom.expire_offers();
SELECT 'offers of 3' AS "case", id, outlet_id, state FROM showroom.offer WHERE service_order_id = 3 ORDER BY id;
SELECT 'order 3' AS "case", state, outlet_id FROM showroom.service_order WHERE id = 3;

-- Past a limit, seen 20 minutes from now: order 2's offer to B and order
-- 3 (nobody left), each with its candidates; 3 hours from now
-- order 1 (accepted, customer not contacted); 49 hours from now every
-- order is past its 48 hours to finish.
SELECT service_order_id, state, outlet_id, limit_name, candidates
  FROM showroom.orders_past_limit(now() + interval '20 minutes');
SELECT service_order_id, limit_name FROM showroom.orders_past_limit(now() + interval '3 hours')
 WHERE limit_name = 'contact';
SELECT 'contact' AS "case", showroom.record_contact(1);
SELECT 'contacted' AS "case", count(*) FROM showroom.orders_past_limit(now() + interval '3 hours')
 WHERE limit_name = 'contact';
SELECT service_order_id, limit_name FROM showroom.orders_past_limit(now() + interval '49 hours')
 WHERE limit_name = 'finish' ORDER BY 1;

-- A peak period over the order's date stretches every limit by 1.5; one
-- elsewhere does not.
SELECT 'peak' AS "case", showroom.declare_peak('summer', '2026-12-15', '2026-12-31', 1.5);
SELECT 'elsewhere' AS "case", showroom.declare_peak('far', '2026-12-01', '2026-12-31', 3,
  'SRID=4326;POLYGON((100 30, 101 30, 101 31, 100 31, 100 30))');
SELECT 'stretched' AS "case", * FROM showroom.order_limits(4);
SELECT showroom.offer_order(4) AS o4 \gset
SELECT 'offer 4' AS "case", expires_at - offered_at AS time_to_accept FROM showroom.offer WHERE id = :o4;
-- A key-account installation has its own contact limit (30 minutes).
INSERT INTO showroom.sales_order (store_id, dc_id, channel, delivery_point)
VALUES (1, 1, 'key_account', 'SRID=4326;POINT(113.5 37.75)');
SELECT showroom.request_service('installation', 113.5, 37.75, '2026-12-01', category => 'air_conditioner',
                                sales_order_id => 1) AS ka \gset
SELECT 'key account' AS "case", contact FROM showroom.order_limits(:ka);
SELECT 'unknown order' AS "case", pg_temp.try($$SELECT showroom.order_limits(99999)$$);

-- Bad peaks: refused, nothing written.
SELECT 'stretch 0.5' AS "case", pg_temp.try($$SELECT showroom.declare_peak('x', '2026-01-01', '2026-01-02', 0.5)$$);
SELECT 'reversed' AS "case", pg_temp.try($$SELECT showroom.declare_peak('x', '2026-01-02', '2026-01-01', 1.5)$$);
SELECT 'peaks' AS "case", count(*) FROM showroom.peak_period;

-- Peak outlets: B takes 9 jobs a day over the peak; D works only then.
SELECT 'outlet D' AS "case", showroom.add_outlet('D', 'delta', 113.5, 37.7, 0, 5);
SELECT 'B peak' AS "case", showroom.add_peak_outlet(2, '2026-12-15', '2026-12-31', 9);
SELECT 'D temporary' AS "case", showroom.add_peak_outlet(4, '2026-12-15', '2026-12-31', NULL, true);
SELECT 'bad' AS "case", pg_temp.try($$SELECT showroom.add_peak_outlet(2, '2026-12-15', '2026-12-31')$$);
SELECT 'before' AS "case", showroom.apply_peak_outlets('2026-12-10');
SELECT 'D before' AS "case", suspended_reason FROM showroom.outlet WHERE code = 'D';
SELECT 'in peak' AS "case", showroom.apply_peak_outlets('2026-12-20');
SELECT 'D in peak' AS "case", suspended_reason IS NULL AS open FROM showroom.outlet WHERE code = 'D';
SELECT 'B capacity' AS "case", (showroom.capacity_on(2, 'installation', '2026-12-20')).total;
