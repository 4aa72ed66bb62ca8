-- dispatch_release: an order that leaves its outlet unserved gives the
-- unit of capacity back.  Refused back to the queue or cancelled, its
-- booking goes and the outlet's loads drop by one; a done order's unit
-- is spent and stays, also when the order is reopened and then refused,
-- assigned, moved or cancelled; the batch then dispatches a refused order
-- again; an outlet's login cannot refuse by a move (the refuse move is the
-- dispatcher's), nor call the releasing trigger function.
\i test/helpers.sql

-- Two outlets of one job a day each over one square; A has priority.
SELECT showroom.add_outlet('A', 'alpha', 113.60, 37.85, 1, 1),
       showroom.add_outlet('B', 'bravo', 113.70, 37.90, 0, 1);
SELECT count(showroom.add_service_area(id, code, ST_MakeEnvelope(113.4, 37.7, 113.8, 38.0, 4326)))
  FROM showroom.outlet;
SELECT count(showroom.set_capability(id, 'installation', 'air_conditioner', 3)) FROM showroom.outlet;
-- A limit for A's installations; every outlet's load per kind is
-- counted either way.
SELECT showroom.set_capacity(1, 1, kind => 'installation');
SELECT count(showroom.request_service('installation', 113.6, 37.85, '2026-06-01',
                                      category => 'air_conditioner'))
  FROM generate_series(1, 4);

-- loads(): each outlet's load (all kinds, installations) and bookings.
CREATE FUNCTION pg_temp.loads() RETURNS TABLE (code text, booked int, kind_booked int, bookings bigint)
LANGUAGE sql AS $$
  SELECT o.code, coalesce(l.booked, 0), coalesce(k.booked, 0),
         (SELECT count(*) FROM showroom.booking b WHERE b.outlet_id = o.id)
    FROM showroom.outlet o
    LEFT JOIN showroom.outlet_load l ON l.outlet_id = o.id AND l.day = '2026-06-01'
    LEFT JOIN showroom.outlet_kind_load k
      ON k.outlet_id = o.id AND k.day = '2026-06-01' AND k.kind = 'installation'
   ORDER BY o.code
$$;

-- Order 1 to A, order 2 to B: both full.
SELECT 'dispatch 1' AS "case", showroom.dispatch(1);
SELECT 'dispatch 2' AS "case", showroom.dispatch(2);
SELECT 'full' AS "case", * FROM pg_temp.loads();

-- A refuses order 1 (through the dispatcher): the order is back in the
-- queue, its booking gone, A's loads down to 0.
SELECT 'refuse 1' AS "case", t.from_state, t.to_state, t.outlet_id, t.result_code
  FROM showroom.move_order(1, 'requested', 'refusal.capacity') t;
SELECT 'after refuse' AS "case", * FROM pg_temp.loads();
SELECT 'order 1' AS "case", state, outlet_id FROM showroom.service_order WHERE id = 1;

-- The batch dispatches the refused order again (to A, which has room
-- again) and leaves the other two waiting: no outlet has room.
SELECT 'batch' AS "case", * FROM showroom.dispatch_date('2026-06-01');
SELECT 'after batch' AS "case", * FROM pg_temp.loads();
SELECT 'order 1 again' AS "case", state, outlet_id FROM showroom.service_order WHERE id = 1;

-- Cancelling order 2 frees B's unit; order 3 can then go to B.
SELECT 'cancel 2' AS "case", t.from_state, t.to_state
  FROM showroom.move_order(2, 'cancelled', 'cancel.customer') t;
SELECT 'after cancel' AS "case", * FROM pg_temp.loads();
SELECT 'dispatch 3' AS "case", o.code FROM showroom.outlet o WHERE o.id = (SELECT showroom.dispatch(3));

-- A done order keeps its unit: order 1 is accepted, on the way, done.
SELECT 'order 1 done' AS "case",
       (showroom.move_order(1, 'accepted')).to_state,
       (showroom.move_order(1, 'on_the_way')).to_state,
       (showroom.move_order(1, 'done', 'installation.result.installed')).to_state;
SELECT 'after done' AS "case", * FROM pg_temp.loads();

-- Its unit is spent now.  Order 1 is reopened for a second visit (which
-- holds no unit) and refused: A keeps the spent unit, and the batch takes
-- the order up again without a clash (no outlet has room: it waits).
SELECT 'reopen and refuse 1' AS "case",
       (showroom.move_order(1, 'return_visit')).to_state,
       (showroom.move_order(1, 'dispatched', NULL, 'second visit')).to_state,
       (showroom.move_order(1, 'requested', 'refusal.capacity')).to_state;
SELECT 'after reopen' AS "case", * FROM pg_temp.loads();
SELECT 'batch again' AS "case", * FROM showroom.dispatch_date('2026-06-01');
-- More room for A: assigned by hand, then moved to B (which gets the room
-- it needs), then cancelled: A keeps the spent unit throughout, and the
-- held unit comes and goes.
SELECT showroom.set_capacity(1, 2), showroom.set_capacity(1, 2, kind => 'installation'),
       showroom.set_capacity(2, 2);
SELECT 'assign 1' AS "case", showroom.assign(1, 1, 'second visit by the same crew');
SELECT 'after assign' AS "case", * FROM pg_temp.loads();
SELECT 'reassign 1' AS "case", showroom.reassign(1, 2, 'their crew is closer');
SELECT 'after reassign' AS "case", * FROM pg_temp.loads();
SELECT 'cancel 1' AS "case", (showroom.move_order(1, 'cancelled', 'cancel.customer')).to_state;
SELECT 'after cancel 1' AS "case", * FROM pg_temp.loads();
SELECT 'bookings of 1' AS "case", o.code, b.spent FROM showroom.booking b
  JOIN showroom.outlet o ON o.id = b.outlet_id WHERE b.service_order_id = 1 ORDER BY b.id;
SELECT showroom.set_capacity(1, 1), showroom.set_capacity(1, 1, kind => 'installation'),
       showroom.set_capacity(2, 1);

-- Order 3 is cancelled after acceptance: B's unit comes back.
SELECT 'cancel 3 accepted' AS "case",
       (showroom.move_order(3, 'accepted')).to_state,
       (showroom.move_order(3, 'cancelled', 'cancel.customer')).to_state;
SELECT 'after cancel 3' AS "case", * FROM pg_temp.loads();

-- A second cancel changes nothing (the move is refused).
SELECT 'cancel 3 again' AS "case", pg_temp.try($$SELECT showroom.move_order(3, 'cancelled', 'cancel.customer')$$);
SELECT 'still' AS "case", * FROM pg_temp.loads();

-- An outlet's login: it may not refuse its order by a move (SR003), nor
-- call the trigger function, nor write the loads.
SELECT 'dispatch 4' AS "case", o.code FROM showroom.outlet o WHERE o.id = (SELECT showroom.dispatch(4));
SET client_min_messages = warning;
DROP ROLE IF EXISTS release_crew;
RESET client_min_messages;
CREATE ROLE release_crew LOGIN IN ROLE showroom_outlet;
SELECT showroom.map_login('release_crew', outlet_id => 2);
SET ROLE release_crew;
SELECT 'crew sees its orders' AS "case", id, state FROM showroom.service_order;
SELECT 'crew refuses' AS "case", pg_temp.try($$SELECT showroom.move_order(4, 'requested', 'refusal.capacity')$$);
SELECT 'crew calls the trigger' AS "case", pg_temp.try($$SELECT showroom.release_booking()$$);
SELECT 'crew writes loads' AS "case", pg_temp.try($$UPDATE showroom.outlet_load SET booked = 0$$);
RESET ROLE;
SELECT 'after crew' AS "case", * FROM pg_temp.loads();
SELECT showroom.unmap_login('release_crew');
DROP ROLE release_crew;

-- Every held unit is held by an order of that outlet that is neither
-- cancelled nor back in the queue, every spent unit is a done order's,
-- and every load equals its bookings.
SELECT 'held units match orders' AS "case",
       bool_and(so.outlet_id = b.outlet_id AND so.state NOT IN ('cancelled', 'requested'))
  FROM showroom.booking b JOIN showroom.service_order so ON so.id = b.service_order_id
 WHERE NOT b.spent;
SELECT 'spent units are done' AS "case", bool_and(so.done_at IS NOT NULL)
  FROM showroom.booking b JOIN showroom.service_order so ON so.id = b.service_order_id
 WHERE b.spent;
SELECT 'loads match bookings' AS "case",
       bool_and(l.booked = (SELECT count(*) FROM showroom.booking b
                             WHERE b.outlet_id = l.outlet_id AND b.day = l.day))
  FROM showroom.outlet_load l;
