
--
-- offers: dispatch offers that time out.
--
-- offer_order() lets the dispatch room choose the best outlet
-- (showroom.dispatch, which books its capacity and moves the order to
-- dispatched) and records an offer to it that expires after the accept
-- limit of the order's service kind and sales channel.  The outlet accepts
-- (the order moves to accepted) or declines.  The sweep expire_offers(),
-- which a scheduler calls every minute, expires offers not accepted in
-- time and gives each order declined or timed out to the next eligible
-- candidate that has not had it yet (showroom.reassign moves the order and
-- its booking).  When no candidate is left the order stays with the last outlet,
-- without an open offer, and orders_past_limit() lists it for escalation.
--
-- Limits: accept (minutes from the offer), contact the customer (minutes
-- from the acceptance), finish (hours from the request), per service kind
-- and channel.  A declared peak period stretches them for the orders of
-- its area and days.  Temporary outlets and capacities for a peak are
-- applied day by day by apply_peak_outlets().
--

-- Time limits.  channel 'any' applies to every sale (and to orders without
-- one) unless a row for the order's own channel exists; an administrator's
-- row (builtin false) overrides a shipped one.
CREATE TABLE showroom.offer_limit (
  kind            text NOT NULL REFERENCES showroom.service_kind (code),
  channel         text NOT NULL CHECK (channel IN ('any', 'retail', 'key_account')),
  accept_minutes  integer NOT NULL CHECK (accept_minutes > 0),
  contact_minutes integer NOT NULL CHECK (contact_minutes > 0),
  finish_hours    integer NOT NULL CHECK (finish_hours > 0),
  builtin         boolean NOT NULL DEFAULT false,
  PRIMARY KEY (kind, channel, builtin)
);

COMMENT ON TABLE showroom.offer_limit IS
  'time limits per service kind and sales channel: accept an offer, contact the customer, finish the job';
COMMENT ON COLUMN showroom.offer_limit.kind IS 'service kind';
COMMENT ON COLUMN showroom.offer_limit.channel IS 'sales channel (retail, key_account) or any';
COMMENT ON COLUMN showroom.offer_limit.accept_minutes IS 'minutes an outlet has to accept an offer';
COMMENT ON COLUMN showroom.offer_limit.contact_minutes IS 'minutes from acceptance to contacting the customer';
COMMENT ON COLUMN showroom.offer_limit.finish_hours IS 'hours from the request to the job done';
COMMENT ON COLUMN showroom.offer_limit.builtin IS 'shipped with showroom (not dumped); an own row for the same kind and channel overrides it';

SELECT pg_catalog.pg_extension_config_dump('showroom.offer_limit', 'WHERE NOT builtin');

INSERT INTO showroom.offer_limit (kind, channel, accept_minutes, contact_minutes, finish_hours, builtin) VALUES
  ('delivery', 'any', 15, 120, 48, true),
  ('installation', 'any', 15, 120, 48, true),
  ('installation', 'key_account', 15, 30, 48, true),
  ('repair', 'any', 15, 120, 72, true),
  ('maintenance', 'any', 30, 240, 168, true);

-- Declared peak periods: limits of orders in the area (everywhere when no
-- area) with a service date in the days are multiplied by stretch.
CREATE TABLE showroom.peak_period (
  id      bigserial PRIMARY KEY,
  name    text NOT NULL CHECK (btrim(name) <> ''),
  days    daterange NOT NULL CHECK (NOT isempty(days) AND NOT lower_inf(days) AND NOT upper_inf(days)),
  area    geometry(MultiPolygon, 4326),
  stretch numeric(4,2) NOT NULL CHECK (stretch >= 1 AND stretch <= 10)
);

COMMENT ON TABLE showroom.peak_period IS 'declared peak periods that stretch the time limits of an area';
COMMENT ON COLUMN showroom.peak_period.id IS 'peak period id';
COMMENT ON COLUMN showroom.peak_period.name IS 'name, for example summer air conditioners';
COMMENT ON COLUMN showroom.peak_period.days IS 'service dates it covers';
COMMENT ON COLUMN showroom.peak_period.area IS 'where it applies (lon/lat); NULL for everywhere';
COMMENT ON COLUMN showroom.peak_period.stretch IS 'factor on the time limits (1.5: half as long again); overlapping periods: the largest';

SELECT pg_catalog.pg_extension_config_dump('showroom.peak_period', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.peak_period_id_seq', '');

-- Temporary outlets and capacities for a peak.
CREATE TABLE showroom.peak_outlet (
  id        bigserial PRIMARY KEY,
  outlet_id bigint NOT NULL REFERENCES showroom.outlet (id),
  days      daterange NOT NULL CHECK (NOT isempty(days) AND NOT lower_inf(days) AND NOT upper_inf(days)),
  jobs      integer CHECK (jobs >= 0),
  temporary boolean NOT NULL
);

CREATE INDEX peak_outlet_outlet_idx ON showroom.peak_outlet (outlet_id);

COMMENT ON TABLE showroom.peak_outlet IS
  'peak arrangements: an outlet''s capacity over days, and outlets that work only over those days (temporary)';
COMMENT ON COLUMN showroom.peak_outlet.id IS 'row id';
COMMENT ON COLUMN showroom.peak_outlet.outlet_id IS 'outlet';
COMMENT ON COLUMN showroom.peak_outlet.days IS 'days it applies';
COMMENT ON COLUMN showroom.peak_outlet.jobs IS 'jobs a day over those days (NULL: its usual capacity)';
COMMENT ON COLUMN showroom.peak_outlet.temporary IS 'the outlet works only over such days; on other days it is suspended';

SELECT pg_catalog.pg_extension_config_dump('showroom.peak_outlet', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.peak_outlet_id_seq', '');

-- Offers.
CREATE TABLE showroom.offer (
  id               bigserial PRIMARY KEY,
  service_order_id bigint NOT NULL REFERENCES showroom.service_order (id),
  outlet_id        bigint NOT NULL REFERENCES showroom.outlet (id),
  round            integer NOT NULL CHECK (round > 0),
  state            text NOT NULL DEFAULT 'open'
                     CHECK (state IN ('open', 'accepted', 'declined', 'expired')),
  offered_at       timestamptz NOT NULL DEFAULT now(),
  expires_at       timestamptz NOT NULL,
  answered_at      timestamptz,
  answered_by      text,
  reason           text,
  CHECK ((state = 'open') = (answered_at IS NULL)),
  CHECK (expires_at > offered_at)
);

CREATE UNIQUE INDEX offer_one_open_idx ON showroom.offer (service_order_id) WHERE state = 'open';
CREATE INDEX offer_order_idx ON showroom.offer (service_order_id);
CREATE INDEX offer_open_expiry_idx ON showroom.offer (expires_at) WHERE state = 'open';

COMMENT ON TABLE showroom.offer IS 'offers of service orders to outlets, answered or timed out';
COMMENT ON COLUMN showroom.offer.id IS 'offer id';
COMMENT ON COLUMN showroom.offer.service_order_id IS 'service order offered';
COMMENT ON COLUMN showroom.offer.outlet_id IS 'outlet it was offered to';
COMMENT ON COLUMN showroom.offer.round IS '1 for the first offer of the order, 2 for the next, ...';
COMMENT ON COLUMN showroom.offer.state IS 'open, accepted, declined or expired (at most one open per order)';
COMMENT ON COLUMN showroom.offer.offered_at IS 'when offered';
COMMENT ON COLUMN showroom.offer.expires_at IS 'when it times out unless accepted before';
COMMENT ON COLUMN showroom.offer.answered_at IS 'when accepted, declined or expired';
COMMENT ON COLUMN showroom.offer.answered_by IS 'person (showroom.person) or role that answered; the sweep for expiry';
COMMENT ON COLUMN showroom.offer.reason IS 'refusal code of a decline';

SELECT pg_catalog.pg_extension_config_dump('showroom.offer', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.offer_id_seq', '');

-- When the outlet first contacted the customer.
CREATE TABLE showroom.customer_contact (
  service_order_id bigint PRIMARY KEY REFERENCES showroom.service_order (id),
  contacted_at     timestamptz NOT NULL,
  recorded_by      text NOT NULL
);

COMMENT ON TABLE showroom.customer_contact IS 'when the outlet first contacted the customer of an order';
COMMENT ON COLUMN showroom.customer_contact.service_order_id IS 'service order';
COMMENT ON COLUMN showroom.customer_contact.contacted_at IS 'when';
COMMENT ON COLUMN showroom.customer_contact.recorded_by IS 'person (showroom.person) or role';

SELECT pg_catalog.pg_extension_config_dump('showroom.customer_contact', '');

-- peak_stretch: the largest stretch of the peak periods covering a point
-- on a day, or 1.  Kept apart so that order_limits runs without PostGIS's
-- schema in its search_path.
CREATE FUNCTION showroom.peak_stretch(point geometry, day date)
RETURNS numeric
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, public, pg_temp
AS $$
  SELECT coalesce(max(p.stretch), 1) FROM showroom.peak_period p
   WHERE p.days OPERATOR(pg_catalog.@>) day
     AND (p.area IS NULL OR ST_Covers(p.area, point))
$$;

COMMENT ON FUNCTION showroom.peak_stretch(geometry, date) IS
  'largest stretch of the peak periods covering a point on a day, 1 when none';

-- order_limits: the time limits of a service order, stretched by the
-- largest peak period covering its place and service date.
CREATE FUNCTION showroom.order_limits(order_id bigint,
                                      OUT accept interval, OUT contact interval,
                                      OUT finish interval, OUT stretch numeric)
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  o showroom.service_order;
  chan text;
  l showroom.offer_limit;
BEGIN
  SELECT * INTO o FROM showroom.service_order x WHERE x.id = order_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown service order %', order_id
      USING ERRCODE = 'SR401', DETAIL = format('There is no service order with id %s.', order_id);
  END IF;
  SELECT so.channel INTO chan FROM showroom.sales_order so WHERE so.id = o.sales_order_id;
  SELECT * INTO l FROM showroom.offer_limit x
   WHERE x.kind = o.kind AND x.channel IN ('any', chan)
   ORDER BY x.channel = 'any', x.builtin LIMIT 1;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no time limits for service kind %', o.kind
      USING ERRCODE = 'SR207', DETAIL = format('showroom.offer_limit has no row for kind %s.', o.kind),
            HINT = 'Add a row for the kind with channel any.';
  END IF;
  stretch := showroom.peak_stretch(o.point, o.service_date);
  accept := make_interval(mins => l.accept_minutes) * stretch;
  contact := make_interval(mins => l.contact_minutes) * stretch;
  finish := make_interval(hours => l.finish_hours) * stretch;
END
$$;

COMMENT ON FUNCTION showroom.order_limits(bigint) IS
  'time limits of a service order (accept, contact, finish), stretched by any peak period covering it';

-- make_offer: record an open offer of a dispatched order to its outlet.
CREATE FUNCTION showroom.make_offer(order_id bigint, outlet_id bigint)
RETURNS bigint
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  new_id bigint;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM showroom.outlet x WHERE x.id = outlet_id) THEN
    RAISE EXCEPTION 'unknown outlet %', coalesce(outlet_id::text, 'NULL')
      USING ERRCODE = 'SR201', DETAIL = format('No outlet has id %s.', coalesce(outlet_id::text, 'NULL'));
  END IF;
  INSERT INTO showroom.offer (service_order_id, outlet_id, round, expires_at)
  VALUES (order_id, outlet_id,
          (SELECT count(*) + 1 FROM showroom.offer f WHERE f.service_order_id = order_id),
          now() + (showroom.order_limits(order_id)).accept)
  RETURNING id INTO new_id;
  RETURN new_id;
END
$$;

COMMENT ON FUNCTION showroom.make_offer(bigint, bigint) IS
  'record an open offer of a dispatched order to an outlet, expiring after the order''s accept limit';

-- offer_order: dispatch a requested order (the dispatch room chooses the
-- outlet and books it) and offer it to that outlet; an order already
-- dispatched without an open offer is offered to its outlet.  Returns the
-- offer id, or NULL when no outlet is eligible (the reason is in
-- showroom.unassigned_orders).
CREATE FUNCTION showroom.offer_order(order_id bigint)
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  o showroom.service_order := showroom.service_order_row(order_id);
  outlet bigint;
BEGIN
  IF EXISTS (SELECT 1 FROM showroom.offer f WHERE f.service_order_id = order_id AND f.state = 'open') THEN
    RAISE EXCEPTION 'service order % already has an open offer', order_id
      USING ERRCODE = 'SR710', DETAIL = format('Order %s is offered to outlet %s.', order_id, o.outlet_id),
            HINT = 'Wait for the answer or for expire_offers() to pass it on.';
  END IF;
  IF o.state = 'requested' THEN
    outlet := showroom.dispatch(order_id);
  ELSIF o.state = 'dispatched' THEN
    outlet := o.outlet_id;
  ELSE
    RAISE EXCEPTION 'service order % cannot be offered', order_id
      USING ERRCODE = 'SR413', DETAIL = format('Order %s is %s; an offer is for a requested or dispatched order.',
                                               order_id, o.state);
  END IF;
  IF outlet IS NULL THEN
    RETURN NULL;
  END IF;
  RETURN showroom.make_offer(order_id, outlet);
END
$$;

COMMENT ON FUNCTION showroom.offer_order(bigint) IS
  'dispatch a service order and offer it to the chosen outlet, with a time limit; returns the offer id (NULL: no eligible outlet)';

-- open_offer_row: lock an offer and check that it is open; SR709 or SR710.
CREATE FUNCTION showroom.open_offer_row(offer_id bigint)
RETURNS showroom.offer
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  f showroom.offer;
BEGIN
  SELECT * INTO f FROM showroom.offer x WHERE x.id = offer_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown offer %', coalesce(offer_id::text, 'NULL')
      USING ERRCODE = 'SR709', DETAIL = format('No offer has id %s.', coalesce(offer_id::text, 'NULL'));
  END IF;
  IF f.state <> 'open' THEN
    RAISE EXCEPTION 'offer % is not open', offer_id
      USING ERRCODE = 'SR710', DETAIL = format('Offer %s to outlet %s was %s.', offer_id, f.outlet_id, f.state);
  END IF;
  IF now() >= f.expires_at THEN
    RAISE EXCEPTION 'offer % has timed out', offer_id
      USING ERRCODE = 'SR710', DETAIL = format('The time of offer %s to outlet %s to be accepted has passed.', offer_id, f.outlet_id),
            HINT = 'The order goes to the next candidate.';
  END IF;
  PERFORM showroom.require_outlet(f.outlet_id);
  RETURN f;
END
$$;

COMMENT ON FUNCTION showroom.open_offer_row(bigint) IS
  'lock an offer that is open and within its time, for its outlet; SR709 or SR710 otherwise';

-- accept_offer: the outlet accepts an open offer within its time; the
-- order moves to accepted.
CREATE FUNCTION showroom.accept_offer(offer_id bigint)
RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  f showroom.offer := showroom.open_offer_row(offer_id);
BEGIN
  -- The order first: offer_answer_guard() accepts an offer only for an
  -- order already accepted, and stamps the answer.
  PERFORM showroom.move_order(f.service_order_id, 'accepted', NULL, format('offer %s accepted', offer_id));
  UPDATE showroom.offer x SET state = 'accepted' WHERE x.id = offer_id;
END
$$;

COMMENT ON FUNCTION showroom.accept_offer(bigint) IS
  'accept an open offer within its time; the service order moves to accepted';

-- pass_on: give an order whose offer was declined or timed out to the best
-- eligible candidate that has not had an offer of it, and offer it there.
-- Returns the new offer id, or NULL when no candidate is left (the order
-- stays with its outlet and orders_past_limit() shows it).
CREATE FUNCTION showroom.pass_on(order_id bigint, why text)
RETURNS bigint
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  next_outlet bigint;
BEGIN
  SELECT c.outlet_id INTO next_outlet FROM showroom.candidates(order_id) c
   WHERE c.rank IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM showroom.offer f
                      WHERE f.service_order_id = order_id AND f.outlet_id = c.outlet_id)
   ORDER BY c.rank LIMIT 1;
  IF next_outlet IS NULL THEN
    RETURN NULL;
  END IF;
  PERFORM showroom.reassign(order_id, next_outlet, why);
  RETURN showroom.make_offer(order_id, next_outlet);
END
$$;

COMMENT ON FUNCTION showroom.pass_on(bigint, text) IS
  'move a service order to the next eligible candidate not yet offered it and offer it there; returns the offer id or NULL';

-- decline_offer: the outlet declines an open offer with a refusal code.
-- The next sweep (expire_offers) passes the order on; an outlet's role
-- has no right to move bookings itself.
CREATE FUNCTION showroom.decline_offer(offer_id bigint, reason text)
RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  -- offer_answer_guard() checks the code and stamps the answer.
  PERFORM showroom.open_offer_row(offer_id);
  UPDATE showroom.offer x SET state = 'declined', reason = decline_offer.reason
   WHERE x.id = offer_id;
END
$$;

COMMENT ON FUNCTION showroom.decline_offer(bigint, text) IS
  'decline an open offer with a refusal code; the next sweep passes the order on';

-- offer_answer_guard: an outlet may write the answer columns of its own
-- offers (accept_offer and decline_offer run as the caller), so every
-- answer is checked here, whoever writes it: only a dispatcher or an
-- administrator (the sweep) lets an open offer expire; any other answer
-- follows open_offer_row()'s rules (open, in time, by its outlet), an
-- acceptance needs the order already accepted, a refusal a code under
-- refusal; the answer is stamped with the moment and the acting person,
-- whatever the UPDATE said.
CREATE FUNCTION showroom.offer_answer_guard()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  order_state text;
BEGIN
  IF NEW.state IS NOT DISTINCT FROM OLD.state
     AND NEW.answered_at IS NOT DISTINCT FROM OLD.answered_at
     AND NEW.answered_by IS NOT DISTINCT FROM OLD.answered_by
     AND NEW.reason IS NOT DISTINCT FROM OLD.reason THEN
    RETURN NEW;
  END IF;
  IF OLD.state = 'open' AND NEW.state = 'expired' THEN
    IF NOT showroom.may_act_as('{showroom_dispatcher,showroom_admin}') THEN
      RAISE EXCEPTION 'role % may not expire offer %', current_user, OLD.id
        USING ERRCODE = 'SR003',
              DETAIL = 'Offers expire by the sweep expire_offers(), run by a dispatcher or an administrator.';
    END IF;
    RETURN NEW;
  END IF;
  -- The row as it stands before this UPDATE: open, in time, its outlet's.
  PERFORM showroom.open_offer_row(OLD.id);
  IF NEW.state NOT IN ('accepted', 'declined') THEN
    RAISE EXCEPTION 'offer % is answered with accepted or declined', OLD.id
      USING ERRCODE = 'SR710',
            DETAIL = format('The UPDATE set state %s.', coalesce(NEW.state, 'NULL'));
  END IF;
  IF NEW.state = 'accepted' THEN
    SELECT o.state INTO order_state FROM showroom.service_order o
     WHERE o.id = OLD.service_order_id;
    IF order_state IS DISTINCT FROM 'accepted' THEN
      RAISE EXCEPTION 'offer % is accepted only with its order', OLD.id
        USING ERRCODE = 'SR710',
              DETAIL = format('Service order %s is %s, not accepted.', OLD.service_order_id,
                              coalesce(order_state, 'not visible')),
              HINT = 'Use showroom.accept_offer(), which moves the order too.';
    END IF;
    NEW.reason := NULL;
  ELSE
    PERFORM showroom.check_code(NEW.reason, 'refusal', 'refusal code');
  END IF;
  NEW.answered_at := now();
  NEW.answered_by := showroom.acting_person();
  RETURN NEW;
END
$$;

COMMENT ON FUNCTION showroom.offer_answer_guard() IS
  'trigger: hold every answer to an offer to what accept_offer and decline_offer do';

CREATE TRIGGER offer_answer_guard
  BEFORE UPDATE ON showroom.offer
  FOR EACH ROW EXECUTE FUNCTION showroom.offer_answer_guard();

-- expire_offers: the periodic step, for a scheduler to call every minute.
-- First every open offer whose time is up at as_of expires; offers an
-- outlet is answering at this moment are locked and skipped (the answer
-- decides; if it comes too late it is refused and the next sweep takes the
-- offer).  Then every dispatched order whose latest offer was declined or
-- expired, and which is still with that outlet, goes to the next candidate
-- (an order with no candidate left is tried again at each sweep, and
-- orders_past_limit() shows it meanwhile).
CREATE FUNCTION showroom.expire_offers(as_of timestamptz DEFAULT now(),
                                       OUT expired integer, OUT passed_on integer)
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  f showroom.offer;
  o record;
BEGIN
  IF as_of IS NULL THEN
    RAISE EXCEPTION 'as_of must not be null' USING ERRCODE = '22004';
  END IF;
  expired := 0;
  passed_on := 0;
  FOR f IN SELECT * FROM showroom.offer x
            WHERE x.state = 'open' AND x.expires_at <= as_of
            ORDER BY x.expires_at, x.id
            FOR UPDATE SKIP LOCKED
  LOOP
    UPDATE showroom.offer x SET state = 'expired', answered_at = as_of, answered_by = 'expire_offers'
     WHERE x.id = f.id;
    expired := expired + 1;
  END LOOP;

  FOR o IN SELECT so.id, l.id AS offer_id, l.state, l.reason
             FROM showroom.service_order so
             JOIN LATERAL (SELECT x.id, x.state, x.outlet_id, x.reason FROM showroom.offer x
                            WHERE x.service_order_id = so.id
                            ORDER BY x.round DESC LIMIT 1) l ON true
            WHERE so.state = 'dispatched' AND l.state IN ('declined', 'expired')
              AND l.outlet_id = so.outlet_id
            ORDER BY so.id
            FOR UPDATE OF so SKIP LOCKED
  LOOP
    IF showroom.pass_on(o.id, format('offer %s %s%s', o.offer_id, o.state,
                                     coalesce(': ' || o.reason, ''))) IS NOT NULL THEN
      passed_on := passed_on + 1;
    END IF;
  END LOOP;
END
$$;

COMMENT ON FUNCTION showroom.expire_offers(timestamptz) IS
  'expire open offers whose time is up and pass declined or expired orders to the next candidate (call every minute)';

-- record_contact: the outlet contacted the customer of an order (first
-- contact only; a later call changes nothing).
CREATE FUNCTION showroom.record_contact(order_id bigint, contacted_at timestamptz DEFAULT now())
RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  o showroom.service_order := showroom.service_order_row(order_id);
BEGIN
  IF contacted_at IS NULL OR contacted_at > now() OR contacted_at < o.created_at THEN
    RAISE EXCEPTION 'invalid contact time'
      USING ERRCODE = '22023',
            DETAIL = CASE WHEN contacted_at IS NULL THEN 'contacted_at is NULL.'
                          WHEN contacted_at > now() THEN 'contacted_at lies in the future.'
                          ELSE format('contacted_at lies before order %s was requested.', order_id) END;
  END IF;
  IF o.outlet_id IS NULL THEN
    RAISE EXCEPTION 'service order % has no outlet', order_id
      USING ERRCODE = 'SR413', DETAIL = format('Order %s is %s.', order_id, o.state);
  END IF;
  PERFORM showroom.require_outlet(o.outlet_id);
  INSERT INTO showroom.customer_contact (service_order_id, contacted_at, recorded_by)
  VALUES (order_id, contacted_at, showroom.acting_person())
  ON CONFLICT (service_order_id) DO NOTHING;
END
$$;

COMMENT ON FUNCTION showroom.record_contact(bigint, timestamptz) IS
  'record when the outlet first contacted the customer of an order';

-- orders_past_limit: live orders past one of their limits at as_of: an
-- offer not accepted in time (or no candidate left), the customer not
-- contacted in time after acceptance, the job not done in time.  Each
-- with the eligible candidates in rank order, for escalation.
CREATE FUNCTION showroom.orders_past_limit(as_of timestamptz DEFAULT now())
RETURNS TABLE (service_order_id bigint, kind text, state text, outlet_id bigint,
               limit_name text, due_at timestamptz, overdue_by interval,
               candidates bigint[])
LANGUAGE plpgsql STABLE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  PERFORM showroom.check_time('as_of', as_of);
  RETURN QUERY
  WITH live AS (
    SELECT o.id, o.kind, o.state, o.outlet_id, o.created_at, lim.accept, lim.contact, lim.finish,
           (SELECT max(f.expires_at) FROM showroom.offer f WHERE f.service_order_id = o.id
             AND f.state IN ('open', 'expired', 'declined')) AS offer_due,
           (SELECT f.answered_at FROM showroom.offer f WHERE f.service_order_id = o.id
             AND f.state = 'accepted') AS accepted_at,
           EXISTS (SELECT 1 FROM showroom.offer f WHERE f.service_order_id = o.id
                    AND f.state = 'open' AND f.expires_at > as_of) AS offer_running
      FROM showroom.service_order o
      CROSS JOIN LATERAL showroom.order_limits(o.id) lim
     WHERE o.state IN ('requested', 'dispatched', 'accepted', 'on_the_way')),
  past AS (
    SELECT l.id, l.kind, l.state, l.outlet_id, 'accept'::text AS limit_name, l.offer_due AS due
      FROM live l
     WHERE l.state = 'dispatched' AND l.offer_due IS NOT NULL AND l.offer_due <= as_of
       AND NOT l.offer_running
    UNION ALL
    SELECT l.id, l.kind, l.state, l.outlet_id, 'contact', l.accepted_at + l.contact
      FROM live l
     WHERE l.accepted_at IS NOT NULL AND l.accepted_at + l.contact <= as_of
       AND NOT EXISTS (SELECT 1 FROM showroom.customer_contact c WHERE c.service_order_id = l.id)
    UNION ALL
    SELECT l.id, l.kind, l.state, l.outlet_id, 'finish', l.created_at + l.finish
      FROM live l
     WHERE l.created_at + l.finish <= as_of)
  SELECT p.id, p.kind, p.state, p.outlet_id, p.limit_name, p.due, as_of - p.due,
         ARRAY(SELECT c.outlet_id FROM showroom.candidates(p.id) c
                WHERE c.rank IS NOT NULL ORDER BY c.rank)
    FROM past p
   ORDER BY p.due, p.id, p.limit_name;
END
$$;

COMMENT ON FUNCTION showroom.orders_past_limit(timestamptz) IS
  'live service orders past a time limit (accept, contact, finish) with their eligible candidates, for escalation';

-- declare_peak: declare a peak period over days (inclusive), in an area
-- or everywhere, stretching limits by a factor.  Returns its id.
CREATE FUNCTION showroom.declare_peak(name text, first_day date, last_day date, stretch numeric,
                                      area geometry DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  new_id bigint;
BEGIN
  IF nullif(btrim(name), '') IS NULL OR first_day IS NULL OR last_day IS NULL
     OR last_day < first_day THEN
    RAISE EXCEPTION 'invalid peak period'
      USING ERRCODE = '22023',
            DETAIL = format('name = %s, days %s to %s.', coalesce(quote_literal(name), 'NULL'),
                            coalesce(first_day::text, 'NULL'), coalesce(last_day::text, 'NULL')),
            HINT = 'A peak has a name and a first day no later than its last.';
  END IF;
  PERFORM showroom.check_day('first_day', first_day);
  PERFORM showroom.check_day('last_day', last_day);
  IF stretch IS NULL OR stretch < 1 OR stretch > 10 THEN
    RAISE EXCEPTION 'peak stretch out of range'
      USING ERRCODE = '22003', DETAIL = format('stretch = %s.', coalesce(stretch::text, 'NULL')),
            HINT = 'A stretch lies between 1 and 10 (1.5 for half as long again).';
  END IF;
  INSERT INTO showroom.peak_period (name, days, area, stretch)
  VALUES (btrim(name), daterange(first_day, last_day, '[]'),
          CASE WHEN area IS NOT NULL THEN showroom.area_geometry(area) END, round(stretch, 2))
  RETURNING id INTO new_id;
  RETURN new_id;
END
$$;

COMMENT ON FUNCTION showroom.declare_peak(text, date, date, numeric, geometry) IS
  'declare a peak period stretching time limits over days, in an area or everywhere; returns its id';

-- add_peak_outlet: give an outlet a capacity over days, or make it a
-- temporary outlet that works only over such days.  Returns the row id.
CREATE FUNCTION showroom.add_peak_outlet(outlet_id bigint, first_day date, last_day date,
                                         jobs integer DEFAULT NULL, temporary boolean DEFAULT false)
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  new_id bigint;
BEGIN
  PERFORM showroom.outlet_row(outlet_id);
  IF first_day IS NULL OR last_day IS NULL OR last_day < first_day OR jobs < 0
     OR temporary IS NULL OR (jobs IS NULL AND NOT temporary) THEN
    RAISE EXCEPTION 'invalid peak arrangement for outlet %', outlet_id
      USING ERRCODE = '22023',
            DETAIL = format('days %s to %s, jobs %s, temporary %s.', coalesce(first_day::text, 'NULL'),
                            coalesce(last_day::text, 'NULL'), coalesce(jobs::text, 'NULL'),
                            coalesce(temporary::text, 'NULL')),
            HINT = 'Give days in order and a capacity of 0 or more, or mark the outlet temporary.';
  END IF;
  PERFORM showroom.check_day('first_day', first_day);
  PERFORM showroom.check_day('last_day', last_day);
  PERFORM showroom.check_range('jobs', jobs, 0, 10000);
  INSERT INTO showroom.peak_outlet (outlet_id, days, jobs, temporary)
  VALUES (outlet_id, daterange(first_day, last_day, '[]'), jobs, temporary)
  RETURNING id INTO new_id;
  RETURN new_id;
END
$$;

COMMENT ON FUNCTION showroom.add_peak_outlet(bigint, date, date, integer, boolean) IS
  'give an outlet a capacity over days, or make it temporary (working only over such days); returns the row id';

-- apply_peak_outlets: make the peak arrangements true for one day (call
-- daily, for today and the days dispatch books ahead): each capacity of
-- the day becomes that day's capacity override (areas room,
-- set_capacity); a temporary outlet with no arrangement covering the day
-- is suspended, and one with an arrangement is reinstated if this
-- function suspended it.  Returns the number of changes made.
CREATE FUNCTION showroom.apply_peak_outlets(day date)
RETURNS integer
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  r record;
  n integer := 0;
  off_season constant text := 'temporary outlet: outside its peak days';
BEGIN
  FOR r IN SELECT p.outlet_id, p.jobs FROM showroom.peak_outlet p
            WHERE p.days @> day AND p.jobs IS NOT NULL ORDER BY p.outlet_id, p.id
  LOOP
    PERFORM showroom.set_capacity(r.outlet_id, r.jobs, day);
    n := n + 1;
  END LOOP;
  FOR r IN SELECT o.id, o.suspended_reason,
                  bool_or(p.days @> day) AS in_season
             FROM showroom.peak_outlet p JOIN showroom.outlet o ON o.id = p.outlet_id
            WHERE p.temporary
            GROUP BY o.id, o.suspended_reason ORDER BY o.id
  LOOP
    IF NOT r.in_season AND r.suspended_reason IS NULL THEN
      PERFORM showroom.suspend_outlet(r.id, off_season);
      n := n + 1;
    ELSIF r.in_season AND r.suspended_reason = off_season THEN
      PERFORM showroom.lift_suspension(r.id, 'temporary outlet: in its peak days');
      n := n + 1;
    END IF;
  END LOOP;
  RETURN n;
END
$$;

COMMENT ON FUNCTION showroom.apply_peak_outlets(date) IS
  'apply the peak capacities of a day and suspend or reinstate temporary outlets; returns the number of changes';
