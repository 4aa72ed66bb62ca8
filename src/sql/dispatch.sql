
--
-- dispatch: choosing the outlet for a service order, booking its capacity.
--
-- The choosing and booking path is C (src/dispatch.c, src/areas.c,
-- src/flow.c); this file holds its tables, settings and SQL signatures.
-- It comes after the workflow room because it refers to service_order.
--

INSERT INTO showroom.setting_default (name, value, value_type, description) VALUES
  ('dispatch.weight_satisfaction', '1.0', 'float8',
   'score points for a satisfaction of 5 rather than 1 (scaled linearly)'),
  ('dispatch.weight_skill', '0.5', 'float8',
   'score points for a skill of 5 rather than 1 (scaled linearly)'),
  ('dispatch.weight_load', '1.0', 'float8',
   'score points taken off for an outlet fully booked that day rather than empty (scaled by load / capacity)'),
  ('dispatch.weight_distance_km', '0.05', 'float8',
   'score points taken off per kilometre from the outlet''s base to the job'),
  ('dispatch.weight_grade', '0.05', 'float8',
   'score points taken off per percentage point of the grade cut of the outlet''s current grade (showroom.outlet_grade; none without a grade)'),
  ('dispatch.default_satisfaction', '3', 'float8',
   'satisfaction assumed for an outlet with no return visits for the kind (1 to 5)'),
  ('dispatch.screen_radius_m', '20000', 'float8',
   'the dispatcher''s screen also lists capable outlets based this many metres from the job, outside their areas'),
  ('dispatch.notify_relay', 'false', 'boolean',
   'true: dispatch queues its notices in outlet_notice and the relay worker NOTIFYs them after commit; false: dispatch NOTIFYs in its own transaction'),
  ('dispatch.relay_poll_ms', '10', 'integer',
   'how often, in milliseconds, the notice relay looks for new notices');

-- Ranges: a weight beyond a thousand points, or a satisfaction outside
-- the 1-5 scale, would let one term swamp the others or overflow the
-- score to infinity and NaN, which ranks nothing; the relay must wake at
-- least every second to see that it may leave.
UPDATE showroom.setting_default SET min_value = 0, max_value = 1000
 WHERE name IN ('dispatch.weight_satisfaction', 'dispatch.weight_skill',
                'dispatch.weight_load', 'dispatch.weight_distance_km',
                'dispatch.weight_grade');
UPDATE showroom.setting_default SET min_value = 1, max_value = 5
 WHERE name = 'dispatch.default_satisfaction';
UPDATE showroom.setting_default SET min_value = 0, max_value = 1000000
 WHERE name = 'dispatch.screen_radius_m';
UPDATE showroom.setting_default SET min_value = 1, max_value = 1000
 WHERE name = 'dispatch.relay_poll_ms';

-- Booked load per outlet and date (all kinds) and per outlet, date and
-- kind.  Dispatch books with one conditional upsert on each, so that two
-- sessions can never both take the last unit.
CREATE TABLE showroom.outlet_load (
  outlet_id bigint NOT NULL REFERENCES showroom.outlet (id),
  day       date NOT NULL,
  booked    integer NOT NULL CHECK (booked >= 0),
  PRIMARY KEY (outlet_id, day)
);

COMMENT ON TABLE showroom.outlet_load IS 'jobs of all kinds booked per outlet and date';
COMMENT ON COLUMN showroom.outlet_load.outlet_id IS 'outlet';
COMMENT ON COLUMN showroom.outlet_load.day IS 'service date';
COMMENT ON COLUMN showroom.outlet_load.booked IS 'jobs booked';

SELECT pg_catalog.pg_extension_config_dump('showroom.outlet_load', '');

CREATE TABLE showroom.outlet_kind_load (
  outlet_id bigint NOT NULL REFERENCES showroom.outlet (id),
  day       date NOT NULL,
  kind      text NOT NULL REFERENCES showroom.service_kind (code),
  booked    integer NOT NULL CHECK (booked >= 0),
  PRIMARY KEY (outlet_id, day, kind)
);

COMMENT ON TABLE showroom.outlet_kind_load IS 'jobs booked per outlet, date and service kind';
COMMENT ON COLUMN showroom.outlet_kind_load.outlet_id IS 'outlet';
COMMENT ON COLUMN showroom.outlet_kind_load.day IS 'service date';
COMMENT ON COLUMN showroom.outlet_kind_load.kind IS 'service kind';
COMMENT ON COLUMN showroom.outlet_kind_load.booked IS 'jobs of that kind booked';

SELECT pg_catalog.pg_extension_config_dump('showroom.outlet_kind_load', '');

-- The units of outlet capacity that service orders hold or have used:
-- one row per unit, so that each load of outlet_load equals its rows
-- here.  An order holds at most one unit at a time (spent false), which
-- reassigning moves and which it gives back when it leaves its outlet
-- unserved (release_booking, below).  When its job is done the unit is
-- spent: it stays, counted on the day the work was done, whatever later
-- happens to the order (a second visit after a return call holds no
-- unit of its own until it is assigned anew).
CREATE TABLE showroom.booking (
  id               bigserial PRIMARY KEY,
  service_order_id bigint NOT NULL REFERENCES showroom.service_order (id),
  outlet_id        bigint NOT NULL REFERENCES showroom.outlet (id),
  day              date NOT NULL,
  kind             text NOT NULL REFERENCES showroom.service_kind (code),
  booked_at        timestamptz NOT NULL DEFAULT now(),
  spent            boolean NOT NULL DEFAULT false
);

CREATE UNIQUE INDEX booking_held_idx ON showroom.booking (service_order_id)
  WHERE NOT spent;
CREATE INDEX booking_order_idx ON showroom.booking (service_order_id);
CREATE INDEX booking_outlet_day_idx ON showroom.booking (outlet_id, day);

COMMENT ON TABLE showroom.booking IS 'the units of outlet capacity that service orders hold (spent false) or used (spent true)';
COMMENT ON COLUMN showroom.booking.id IS 'booking id';
COMMENT ON COLUMN showroom.booking.service_order_id IS 'service order';
COMMENT ON COLUMN showroom.booking.outlet_id IS 'outlet whose capacity it uses';
COMMENT ON COLUMN showroom.booking.day IS 'date booked';
COMMENT ON COLUMN showroom.booking.kind IS 'service kind booked';
COMMENT ON COLUMN showroom.booking.booked_at IS 'when it was booked';
COMMENT ON COLUMN showroom.booking.spent IS 'the job was done: the unit stays used, whatever later happens to the order';

SELECT pg_catalog.pg_extension_config_dump('showroom.booking', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.booking_id_seq', '');

-- release_booking: keep the unit an order holds in step with the order.
-- When its job is done, the unit is spent.  When the order leaves its
-- outlet unserved, refused back to the queue (its outlet cleared) or
-- cancelled, the outlet gets the unit back: the held booking is deleted
-- and one taken off the outlet's load, all kinds and the order's kind,
-- for the booked date.  A spent unit is never given back.
--
-- SECURITY DEFINER: an outlet's login finishes and refuses jobs and a
-- clerk cancels, and neither may write bookings or loads.  PostgreSQL
-- runs a trigger function only as a trigger, and it touches only the
-- updated order's own booking.
CREATE FUNCTION showroom.release_booking()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF NEW.state = 'done' THEN
    UPDATE showroom.booking SET spent = true
     WHERE service_order_id = NEW.id AND NOT spent;
    RETURN NULL;
  END IF;
  WITH b AS (DELETE FROM showroom.booking
              WHERE service_order_id = NEW.id AND NOT spent
          RETURNING outlet_id, day, kind),
       t AS (UPDATE showroom.outlet_load l SET booked = l.booked - 1
               FROM b
              WHERE l.outlet_id = b.outlet_id AND l.day = b.day)
  UPDATE showroom.outlet_kind_load k SET booked = k.booked - 1
    FROM b
   WHERE k.outlet_id = b.outlet_id AND k.day = b.day AND k.kind = b.kind;
  RETURN NULL;
END
$$;

COMMENT ON FUNCTION showroom.release_booking() IS
  'trigger: mark a done order''s unit spent; give back the unit of an order refused back to the queue or cancelled';

REVOKE ALL ON FUNCTION showroom.release_booking() FROM PUBLIC;

CREATE TRIGGER service_order_release_booking
  AFTER UPDATE OF state, outlet_id ON showroom.service_order
  FOR EACH ROW
  WHEN (OLD.outlet_id IS NOT NULL
        AND (NEW.outlet_id IS NULL
             OR (NEW.state = 'cancelled' AND OLD.state <> 'cancelled')
             OR (NEW.state = 'done' AND OLD.state <> 'done')))
  EXECUTE FUNCTION showroom.release_booking();

-- Why each assignment went where it went: the dispatcher's own record,
-- beside the workflow's trail.  The trail (service_trail) has who moved an
-- order from requested to dispatched, when and to which outlet; this row
-- adds what only dispatch knows: how (dispatch, batch, assign, reassign),
-- the rank and score of the outlet chosen among how many eligible ones,
-- and a manual step's reason.  It joins its trail row on (order, at), both
-- stamped with the transaction's now().  A reassignment changes no state,
-- so it leaves no trail row; its row here carries who did it.
CREATE TABLE showroom.dispatch_log (
  id                 bigserial PRIMARY KEY,
  at                 timestamptz NOT NULL DEFAULT now(),
  service_order_id   bigint NOT NULL REFERENCES showroom.service_order (id),
  action             text NOT NULL CHECK (action IN ('dispatch', 'batch', 'assign', 'reassign')),
  outlet_id          bigint NOT NULL REFERENCES showroom.outlet (id),
  previous_outlet_id bigint REFERENCES showroom.outlet (id),
  rank               integer,
  score              double precision,
  eligible           integer,
  reason             text,
  done_by            text,
  CHECK ((action = 'reassign') = (done_by IS NOT NULL)),
  CHECK ((action = 'reassign') = (previous_outlet_id IS NOT NULL))
);

CREATE INDEX dispatch_log_order_idx ON showroom.dispatch_log (service_order_id);

COMMENT ON TABLE showroom.dispatch_log IS 'why each assignment went where it went: how, rank, score, eligible outlets, reason (who and when of a state change are in service_trail)';
COMMENT ON COLUMN showroom.dispatch_log.id IS 'entry id';
COMMENT ON COLUMN showroom.dispatch_log.at IS 'when (the transaction''s now(), as on the matching service_trail row)';
COMMENT ON COLUMN showroom.dispatch_log.service_order_id IS 'service order';
COMMENT ON COLUMN showroom.dispatch_log.action IS 'dispatch (automatic, one order), batch (dispatch_date), assign or reassign (manual)';
COMMENT ON COLUMN showroom.dispatch_log.outlet_id IS 'outlet it went to';
COMMENT ON COLUMN showroom.dispatch_log.previous_outlet_id IS 'outlet it left (reassign only)';
COMMENT ON COLUMN showroom.dispatch_log.rank IS 'rank of the outlet among the eligible ones (NULL when chosen by hand)';
COMMENT ON COLUMN showroom.dispatch_log.score IS 'score of the outlet at that moment (NULL when chosen by hand)';
COMMENT ON COLUMN showroom.dispatch_log.eligible IS 'how many outlets were eligible (NULL when chosen by hand)';
COMMENT ON COLUMN showroom.dispatch_log.reason IS 'reason given for a manual assignment or reassignment';
COMMENT ON COLUMN showroom.dispatch_log.done_by IS 'for a reassignment, the person (showroom.person) or else role that did it; NULL otherwise, as service_trail has it';

SELECT pg_catalog.pg_extension_config_dump('showroom.dispatch_log', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.dispatch_log_id_seq', '');

-- Notices waiting for the relay (dispatch.notify_relay on): one row per
-- NOTIFY to send, written in the dispatching transaction, so a rolled-back
-- dispatch leaves none.  The relay worker (src/relay.c) sends them in id
-- order after commit and deletes them.
CREATE TABLE showroom.outlet_notice (
  id               bigserial PRIMARY KEY,
  outlet_id        bigint NOT NULL,
  event            text NOT NULL CHECK (event IN ('assigned', 'withdrawn')),
  service_order_id bigint NOT NULL
);

COMMENT ON TABLE showroom.outlet_notice IS 'notices to outlets not yet sent by the relay (dispatch.notify_relay)';
COMMENT ON COLUMN showroom.outlet_notice.id IS 'notice id, the order they are sent in';
COMMENT ON COLUMN showroom.outlet_notice.outlet_id IS 'outlet to notify on channel showroom_outlet_<id>';
COMMENT ON COLUMN showroom.outlet_notice.event IS 'assigned or withdrawn';
COMMENT ON COLUMN showroom.outlet_notice.service_order_id IS 'service order concerned';

SELECT pg_catalog.pg_extension_config_dump('showroom.outlet_notice', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.outlet_notice_id_seq', '');

-- Why dispatch last failed to place an order that is still waiting.
CREATE TABLE showroom.dispatch_pending (
  service_order_id bigint PRIMARY KEY REFERENCES showroom.service_order (id),
  reason           text NOT NULL CHECK (reason IN ('outside area', 'no capability', 'inactive', 'suspended', 'full')),
  checked_at       timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE showroom.dispatch_pending IS 'why the last dispatch attempt left a service order unassigned';
COMMENT ON COLUMN showroom.dispatch_pending.service_order_id IS 'service order';
COMMENT ON COLUMN showroom.dispatch_pending.reason IS 'outside area, no capability, inactive, suspended or full (the nearest miss)';
COMMENT ON COLUMN showroom.dispatch_pending.checked_at IS 'when dispatch last tried';

SELECT pg_catalog.pg_extension_config_dump('showroom.dispatch_pending', '');

-- Orders waiting for an outlet, with the reason dispatch gave.
CREATE VIEW showroom.unassigned_orders AS
SELECT o.id AS service_order_id, o.kind, o.category, o.service_date, o.point,
       coalesce(p.reason, 'not tried') AS reason, p.checked_at
  FROM showroom.service_order o
  LEFT JOIN showroom.dispatch_pending p ON p.service_order_id = o.id
 WHERE o.state = 'requested' AND o.outlet_id IS NULL;

COMMENT ON VIEW showroom.unassigned_orders IS 'service orders still waiting for an outlet, with the reason dispatch left them';
COMMENT ON COLUMN showroom.unassigned_orders.service_order_id IS 'service order';
COMMENT ON COLUMN showroom.unassigned_orders.kind IS 'service kind';
COMMENT ON COLUMN showroom.unassigned_orders.category IS 'product category';
COMMENT ON COLUMN showroom.unassigned_orders.service_date IS 'date wanted';
COMMENT ON COLUMN showroom.unassigned_orders.point IS 'where the job is';
COMMENT ON COLUMN showroom.unassigned_orders.reason IS 'outside area, no capability, inactive, suspended, full, or not tried';
COMMENT ON COLUMN showroom.unassigned_orders.checked_at IS 'when dispatch last tried (NULL if never)';

-- candidates: the dispatcher's screen for an order, or for a point, kind,
-- category and date.  Every outlet whose area covers the point, and every
-- capable outlet based within dispatch.screen_radius_m, with the facts
-- and the verdict; eligible outlets are ranked (rank 1 is what dispatch
-- would choose), the others carry a reason.
--
-- These functions and dispatch, assign and reassign below run with
-- sequential scans, hash joins and merge joins off.  Every statement of
-- theirs reads a few rows by key, and each backend plans it once, at its
-- first call, then keeps the plan.  On a new date or a new database the
-- load tables are empty at that moment, and the planner would otherwise
-- keep a plan that scans and hashes whole tables (outlets, loads,
-- capabilities) on every later call.  Measured on one sandbox: sessions
-- that had planned on empty load tables dispatched 538 orders a second
-- at 16 clients, new sessions on the same data 1,700.  jit is off with
-- them: a plan that could only be made with a disabled step would be
-- priced far above jit_above_cost and compiled on every call.
CREATE FUNCTION showroom.candidates(service_order_id bigint)
RETURNS TABLE (outlet_id bigint, outlet_code text, covers boolean, skill integer,
               capacity integer, load integer, kind_limit integer, kind_load integer,
               satisfaction double precision, priority integer,
               distance_m double precision, score double precision,
               rank integer, reason text)
LANGUAGE c STABLE PARALLEL UNSAFE
SET search_path = pg_catalog, public, pg_temp
SET enable_seqscan = off
SET enable_hashjoin = off
SET enable_mergejoin = off
SET jit = off
AS 'MODULE_PATHNAME', 'showroom_candidates_for_order';

COMMENT ON FUNCTION showroom.candidates(bigint) IS
  'the dispatcher''s screen for a service order: every outlet considered, ranked, with the reason for those not eligible';

CREATE FUNCTION showroom.candidates(point geometry, kind text, category text, day date)
RETURNS TABLE (outlet_id bigint, outlet_code text, covers boolean, skill integer,
               capacity integer, load integer, kind_limit integer, kind_load integer,
               satisfaction double precision, priority integer,
               distance_m double precision, score double precision,
               rank integer, reason text)
LANGUAGE c STABLE PARALLEL UNSAFE
SET search_path = pg_catalog, public, pg_temp
SET enable_seqscan = off
SET enable_hashjoin = off
SET enable_mergejoin = off
SET jit = off
AS 'MODULE_PATHNAME', 'showroom_candidates_at';

COMMENT ON FUNCTION showroom.candidates(geometry, text, text, date) IS
  'the dispatcher''s screen for a job of a kind and category at a point on a date';

-- dispatch: give a requested order to its best eligible outlet.
CREATE FUNCTION showroom.dispatch(service_order_id bigint)
RETURNS bigint
LANGUAGE c VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, public, pg_temp
SET enable_seqscan = off
SET enable_hashjoin = off
SET enable_mergejoin = off
SET jit = off
AS 'MODULE_PATHNAME', 'showroom_dispatch';

COMMENT ON FUNCTION showroom.dispatch(bigint) IS
  'assign a requested service order to the best eligible outlet, booking its capacity; returns the outlet id, or NULL (reason in unassigned_orders)';

CREATE FUNCTION showroom.assign(service_order_id bigint, outlet_id bigint, reason text)
RETURNS void
LANGUAGE c VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, public, pg_temp
SET enable_seqscan = off
SET enable_hashjoin = off
SET enable_mergejoin = off
SET jit = off
AS 'MODULE_PATHNAME', 'showroom_assign';

COMMENT ON FUNCTION showroom.assign(bigint, bigint, text) IS
  'assign a requested service order to an outlet chosen by hand, with a reason, booking its capacity';

CREATE FUNCTION showroom.reassign(service_order_id bigint, outlet_id bigint, reason text)
RETURNS void
LANGUAGE c VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, public, pg_temp
SET enable_seqscan = off
SET enable_hashjoin = off
SET enable_mergejoin = off
SET jit = off
AS 'MODULE_PATHNAME', 'showroom_reassign';

COMMENT ON FUNCTION showroom.reassign(bigint, bigint, text) IS
  'move a dispatched service order to another outlet, with a reason; its booked capacity moves with it';

-- jit is off inside: the batch's statements are index probes and row
-- writes, which compiled expressions do not speed up, and the planner's
-- cost of its covering join (ST_Covers is priced high) would otherwise
-- have every call spend about half a second compiling.
CREATE FUNCTION showroom.dispatch_date(day date, OUT assigned integer, OUT unassigned integer)
LANGUAGE c VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, public, pg_temp
SET jit = off
AS 'MODULE_PATHNAME', 'showroom_dispatch_date';

COMMENT ON FUNCTION showroom.dispatch_date(date) IS
  'dispatch every requested order of a date at once: most orders served, then best ranks (see doc/dispatch.md)';

CREATE FUNCTION showroom.start_relay()
RETURNS integer
LANGUAGE c VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'showroom_start_relay';

COMMENT ON FUNCTION showroom.start_relay() IS
  'start the notice relay of this database unless one runs; returns its process id';
