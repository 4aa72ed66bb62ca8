
--
-- discipline: how the chain holds outlets to their word.
--
-- Every missed, late or repeated visit is an incident with a
-- responsibility code (the outlet, logistics, the store, the call centre,
-- the customer, force majeure).  Penalty rules map the kind of incident
-- and the responsibility to a penalty, violation points and whether the
-- visit goes unpaid (a redo through the outlet's own fault).  Points add up
-- per outlet and calendar quarter (so they reset each quarter); a ladder
-- suspends dispatch for a number of days at each step, through the areas
-- room's suspend_outlet() and lift_suspension().  An outlet may appeal an
-- incident within discipline.appeal_days; finance decides, and an upheld
-- appeal reverses the penalty and the points.  Every step is logged.
--
-- Grades (A best) follow from each outlet's volume and satisfaction and
-- carry a percentage cut of its fee items; a quality deposit is withheld
-- from each order's pay and released after discipline.deposit_months
-- months without a complaint on that order.
--
-- What an order owes or costs its outlet is kept in outlet_amount (fees
-- room), one row per order and component, recomputed by
-- refresh_order_amounts() whenever one of its sources changes.
--

INSERT INTO showroom.setting_default (name, value, value_type, description) VALUES
  ('discipline.appeal_days', '7', 'integer',
   'days after an incident is recorded during which the outlet may appeal it'),
  ('discipline.deposit_pct', '5', 'numeric',
   'percentage of an order''s fee items withheld as a quality deposit'),
  ('discipline.deposit_months', '3', 'integer',
   'months after the job without a complaint after which its quality deposit is released'),
  ('discipline.grade_days', '90', 'integer',
   'days of jobs and return visits an outlet''s grade is computed from'),
  ('fees.period_basis', 'completion', 'text',
   'which day puts an order''s amounts in a settlement month: completion (done) or evaluation (first return visit)');

-- Responsibility codes.
CREATE TABLE showroom.responsibility (
  code    text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]*$'),
  name    text NOT NULL,
  builtin boolean NOT NULL DEFAULT false
);

COMMENT ON TABLE showroom.responsibility IS 'who is responsible for a missed, late or repeated visit';
COMMENT ON COLUMN showroom.responsibility.code IS 'responsibility code';
COMMENT ON COLUMN showroom.responsibility.name IS 'meaning, shown to people';
COMMENT ON COLUMN showroom.responsibility.builtin IS 'shipped with showroom (not dumped)';

SELECT pg_catalog.pg_extension_config_dump('showroom.responsibility', 'WHERE NOT builtin');

INSERT INTO showroom.responsibility (code, name, builtin) VALUES
  ('outlet', 'the service outlet', true),
  ('logistics', 'logistics (the DC or its carrier)', true),
  ('store', 'the store', true),
  ('call_centre', 'the call centre', true),
  ('customer', 'the customer', true),
  ('force_majeure', 'force majeure', true);

-- Penalty rules.  A row an administrator adds (builtin false) for the same
-- incident and responsibility overrides the shipped one.  A pair with no
-- rule carries no penalty.
CREATE TABLE showroom.penalty_rule (
  incident       text NOT NULL CHECK (incident IN ('missed', 'late', 'repeated')),
  responsibility text NOT NULL REFERENCES showroom.responsibility (code),
  penalty_fen    bigint NOT NULL CHECK (penalty_fen >= 0),
  points         integer NOT NULL CHECK (points >= 0),
  unpaid         boolean NOT NULL,
  builtin        boolean NOT NULL DEFAULT false,
  PRIMARY KEY (incident, responsibility, builtin)
);

COMMENT ON TABLE showroom.penalty_rule IS
  'penalty, violation points and payment of a visit per kind of incident and responsibility; an own row overrides a shipped one';
COMMENT ON COLUMN showroom.penalty_rule.incident IS 'missed, late or repeated visit';
COMMENT ON COLUMN showroom.penalty_rule.responsibility IS 'responsibility code';
COMMENT ON COLUMN showroom.penalty_rule.penalty_fen IS 'penalty deducted from the outlet, fen';
COMMENT ON COLUMN showroom.penalty_rule.points IS 'violation points';
COMMENT ON COLUMN showroom.penalty_rule.unpaid IS 'the visit is not paid (a redo through the outlet''s own fault)';
COMMENT ON COLUMN showroom.penalty_rule.builtin IS 'shipped with showroom (not dumped)';

SELECT pg_catalog.pg_extension_config_dump('showroom.penalty_rule', 'WHERE NOT builtin');

INSERT INTO showroom.penalty_rule (incident, responsibility, penalty_fen, points, unpaid, builtin) VALUES
  ('missed', 'outlet', 10000, 3, true, true),
  ('late', 'outlet', 2000, 1, false, true),
  ('repeated', 'outlet', 5000, 2, true, true);

-- The points ladder: reaching a step's points in a quarter suspends
-- dispatch for its days and may ask a deposit.  If an administrator added
-- any step of their own, their steps form the ladder and the shipped ones
-- are ignored.
CREATE TABLE showroom.points_step (
  points      integer NOT NULL CHECK (points > 0),
  suspend_days integer NOT NULL CHECK (suspend_days > 0),
  deposit_fen bigint NOT NULL DEFAULT 0 CHECK (deposit_fen >= 0),
  builtin     boolean NOT NULL DEFAULT false,
  PRIMARY KEY (points, builtin)
);

COMMENT ON TABLE showroom.points_step IS
  'the violation-points ladder: points in a quarter, days of suspension, deposit asked; own steps replace the shipped ladder';
COMMENT ON COLUMN showroom.points_step.points IS 'points in the quarter that reach the step';
COMMENT ON COLUMN showroom.points_step.suspend_days IS 'days dispatch is suspended';
COMMENT ON COLUMN showroom.points_step.deposit_fen IS 'deposit the outlet must lodge, fen (0: none)';
COMMENT ON COLUMN showroom.points_step.builtin IS 'shipped with showroom (not dumped)';

SELECT pg_catalog.pg_extension_config_dump('showroom.points_step', 'WHERE NOT builtin');

INSERT INTO showroom.points_step (points, suspend_days, deposit_fen, builtin) VALUES
  (3, 3, 0, true), (6, 7, 0, true), (12, 21, 200000, true);

-- Incidents.
CREATE TABLE showroom.incident (
  id               bigserial PRIMARY KEY,
  service_order_id bigint NOT NULL REFERENCES showroom.service_order (id),
  outlet_id        bigint NOT NULL REFERENCES showroom.outlet (id),
  incident         text NOT NULL CHECK (incident IN ('missed', 'late', 'repeated')),
  responsibility   text NOT NULL REFERENCES showroom.responsibility (code),
  penalty_fen      bigint NOT NULL CHECK (penalty_fen >= 0),
  points           integer NOT NULL CHECK (points >= 0),
  unpaid           boolean NOT NULL,
  quarter          date NOT NULL CHECK (quarter = date_trunc('quarter', quarter)::date),
  state            text NOT NULL DEFAULT 'standing' CHECK (state IN ('standing', 'reversed')),
  note             text,
  recorded_at      timestamptz NOT NULL DEFAULT now(),
  recorded_by      text NOT NULL
);

CREATE INDEX incident_order_idx ON showroom.incident (service_order_id);
CREATE INDEX incident_outlet_quarter_idx ON showroom.incident (outlet_id, quarter);

COMMENT ON TABLE showroom.incident IS 'missed, late and repeated visits with their responsibility, penalty and points';
COMMENT ON COLUMN showroom.incident.id IS 'incident id';
COMMENT ON COLUMN showroom.incident.service_order_id IS 'service order concerned';
COMMENT ON COLUMN showroom.incident.outlet_id IS 'outlet of the order';
COMMENT ON COLUMN showroom.incident.incident IS 'missed, late or repeated';
COMMENT ON COLUMN showroom.incident.responsibility IS 'who was responsible';
COMMENT ON COLUMN showroom.incident.penalty_fen IS 'penalty, fen, from the rule in force when recorded';
COMMENT ON COLUMN showroom.incident.points IS 'violation points';
COMMENT ON COLUMN showroom.incident.unpaid IS 'the order is not paid';
COMMENT ON COLUMN showroom.incident.quarter IS 'first day of the quarter whose points it counts in';
COMMENT ON COLUMN showroom.incident.state IS 'standing, or reversed by an upheld appeal';
COMMENT ON COLUMN showroom.incident.note IS 'what happened';
COMMENT ON COLUMN showroom.incident.recorded_at IS 'when it was recorded (the appeal window starts here)';
COMMENT ON COLUMN showroom.incident.recorded_by IS 'person (showroom.person) or else role that recorded it';

SELECT pg_catalog.pg_extension_config_dump('showroom.incident', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.incident_id_seq', '');

-- Appeals.
CREATE TABLE showroom.appeal (
  id          bigserial PRIMARY KEY,
  incident_id bigint NOT NULL UNIQUE REFERENCES showroom.incident (id),
  reason      text NOT NULL CHECK (btrim(reason) <> ''),
  state       text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'upheld', 'rejected')),
  decision    text,
  filed_at    timestamptz NOT NULL DEFAULT now(),
  filed_by    text NOT NULL,
  decided_at  timestamptz,
  decided_by  text,
  CHECK ((state = 'open') = (decided_at IS NULL)),
  CHECK (state = 'open' OR decision IS NOT NULL)
);

COMMENT ON TABLE showroom.appeal IS 'an outlet''s appeal against an incident, decided by finance';
COMMENT ON COLUMN showroom.appeal.id IS 'appeal id';
COMMENT ON COLUMN showroom.appeal.incident_id IS 'incident appealed (one appeal each)';
COMMENT ON COLUMN showroom.appeal.reason IS 'the outlet''s reason';
COMMENT ON COLUMN showroom.appeal.state IS 'open, upheld (the incident is reversed) or rejected';
COMMENT ON COLUMN showroom.appeal.decision IS 'finance''s reasons';
COMMENT ON COLUMN showroom.appeal.filed_at IS 'when filed';
COMMENT ON COLUMN showroom.appeal.filed_by IS 'who filed it';
COMMENT ON COLUMN showroom.appeal.decided_at IS 'when decided';
COMMENT ON COLUMN showroom.appeal.decided_by IS 'who decided';

SELECT pg_catalog.pg_extension_config_dump('showroom.appeal', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.appeal_id_seq', '');

-- Suspensions the ladder made.
CREATE TABLE showroom.ladder_suspension (
  id          bigserial PRIMARY KEY,
  outlet_id   bigint NOT NULL REFERENCES showroom.outlet (id),
  quarter     date NOT NULL,
  step_points integer NOT NULL,
  deposit_fen bigint NOT NULL,
  reason      text NOT NULL,
  since       timestamptz NOT NULL,
  until       timestamptz NOT NULL,
  state       text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'ended', 'reversed')),
  ended_at    timestamptz,
  UNIQUE (outlet_id, quarter, step_points)
);

COMMENT ON TABLE showroom.ladder_suspension IS 'suspensions of dispatch made by the points ladder';
COMMENT ON COLUMN showroom.ladder_suspension.id IS 'row id';
COMMENT ON COLUMN showroom.ladder_suspension.outlet_id IS 'outlet suspended';
COMMENT ON COLUMN showroom.ladder_suspension.quarter IS 'quarter of the points';
COMMENT ON COLUMN showroom.ladder_suspension.step_points IS 'step reached';
COMMENT ON COLUMN showroom.ladder_suspension.deposit_fen IS 'deposit the step asks, fen';
COMMENT ON COLUMN showroom.ladder_suspension.reason IS 'reason passed to suspend_outlet()';
COMMENT ON COLUMN showroom.ladder_suspension.since IS 'start';
COMMENT ON COLUMN showroom.ladder_suspension.until IS 'planned end';
COMMENT ON COLUMN showroom.ladder_suspension.state IS 'active, ended (time served) or reversed (an appeal took the points away)';
COMMENT ON COLUMN showroom.ladder_suspension.ended_at IS 'when it ended';

SELECT pg_catalog.pg_extension_config_dump('showroom.ladder_suspension', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.ladder_suspension_id_seq', '');

-- The audit log of discipline: every incident, appeal, decision and
-- ladder step.
CREATE TABLE showroom.discipline_log (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  outlet_id   bigint NOT NULL REFERENCES showroom.outlet (id),
  incident_id bigint REFERENCES showroom.incident (id),
  action      text NOT NULL CHECK (action IN ('incident', 'appeal', 'upheld', 'rejected',
                                              'suspend', 'lift', 'reverse_suspension')),
  detail      text NOT NULL,
  done_by     text NOT NULL
);

CREATE INDEX discipline_log_outlet_idx ON showroom.discipline_log (outlet_id, at);

COMMENT ON TABLE showroom.discipline_log IS 'audit trail of outlet discipline: incidents, appeals, decisions, ladder suspensions';
COMMENT ON COLUMN showroom.discipline_log.id IS 'entry id';
COMMENT ON COLUMN showroom.discipline_log.at IS 'when';
COMMENT ON COLUMN showroom.discipline_log.outlet_id IS 'outlet';
COMMENT ON COLUMN showroom.discipline_log.incident_id IS 'incident concerned, if any';
COMMENT ON COLUMN showroom.discipline_log.action IS 'incident, appeal, upheld, rejected, suspend, lift or reverse_suspension';
COMMENT ON COLUMN showroom.discipline_log.detail IS 'what happened, with the figures';
COMMENT ON COLUMN showroom.discipline_log.done_by IS 'person (showroom.person) or else role';

SELECT pg_catalog.pg_extension_config_dump('showroom.discipline_log', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.discipline_log_id_seq', '');

-- Grades: the first rule (in grade order) whose minimums an outlet meets.
CREATE TABLE showroom.grade_rule (
  grade            text NOT NULL CHECK (grade ~ '^[A-Z]$'),
  min_jobs         integer NOT NULL CHECK (min_jobs >= 0),
  min_satisfaction numeric(3,2) NOT NULL CHECK (min_satisfaction BETWEEN 0 AND 5),
  cut_pct          numeric(5,2) NOT NULL CHECK (cut_pct BETWEEN 0 AND 100),
  builtin          boolean NOT NULL DEFAULT false,
  PRIMARY KEY (grade, builtin)
);

COMMENT ON TABLE showroom.grade_rule IS
  'outlet grades: minimum jobs and satisfaction, and the percentage of fee items the chain keeps; own rules replace the shipped ones';
COMMENT ON COLUMN showroom.grade_rule.grade IS 'grade letter, A best';
COMMENT ON COLUMN showroom.grade_rule.min_jobs IS 'jobs done in the window at least';
COMMENT ON COLUMN showroom.grade_rule.min_satisfaction IS 'mean return-visit score at least';
COMMENT ON COLUMN showroom.grade_rule.cut_pct IS 'percentage of the outlet''s fee items the chain keeps';
COMMENT ON COLUMN showroom.grade_rule.builtin IS 'shipped with showroom (not dumped)';

SELECT pg_catalog.pg_extension_config_dump('showroom.grade_rule', 'WHERE NOT builtin');

INSERT INTO showroom.grade_rule (grade, min_jobs, min_satisfaction, cut_pct, builtin) VALUES
  ('A', 50, 4.50, 2, true), ('B', 20, 4.00, 5, true), ('C', 0, 3.00, 8, true),
  ('D', 0, 0, 12, true);

CREATE TABLE showroom.outlet_grade (
  outlet_id    bigint PRIMARY KEY REFERENCES showroom.outlet (id),
  grade        text NOT NULL,
  jobs         integer NOT NULL,
  satisfaction numeric(3,2) NOT NULL,
  cut_pct      numeric(5,2) NOT NULL,
  computed_at  timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE showroom.outlet_grade IS 'each outlet''s grade as last computed by compute_grades()';
COMMENT ON COLUMN showroom.outlet_grade.outlet_id IS 'outlet';
COMMENT ON COLUMN showroom.outlet_grade.grade IS 'grade letter';
COMMENT ON COLUMN showroom.outlet_grade.jobs IS 'jobs done in the window';
COMMENT ON COLUMN showroom.outlet_grade.satisfaction IS 'mean return-visit score in the window (the dispatch default when none)';
COMMENT ON COLUMN showroom.outlet_grade.cut_pct IS 'percentage of fee items the chain keeps';
COMMENT ON COLUMN showroom.outlet_grade.computed_at IS 'when computed';

SELECT pg_catalog.pg_extension_config_dump('showroom.outlet_grade', '');

-- Quality deposits, one per order with fee items.
CREATE TABLE showroom.quality_deposit (
  service_order_id bigint PRIMARY KEY REFERENCES showroom.service_order (id),
  outlet_id        bigint NOT NULL REFERENCES showroom.outlet (id),
  amount_fen       bigint NOT NULL CHECK (amount_fen >= 0),
  release_due      date NOT NULL,
  state            text NOT NULL DEFAULT 'held' CHECK (state IN ('held', 'released', 'forfeited')),
  settled_on       date,
  CHECK ((state = 'held') = (settled_on IS NULL))
);

COMMENT ON TABLE showroom.quality_deposit IS 'quality deposits withheld per order, released after a quiet period or forfeited on an upheld complaint';
COMMENT ON COLUMN showroom.quality_deposit.service_order_id IS 'service order';
COMMENT ON COLUMN showroom.quality_deposit.outlet_id IS 'outlet';
COMMENT ON COLUMN showroom.quality_deposit.amount_fen IS 'amount withheld, fen';
COMMENT ON COLUMN showroom.quality_deposit.release_due IS 'first day it may be released';
COMMENT ON COLUMN showroom.quality_deposit.state IS 'held, released or forfeited';
COMMENT ON COLUMN showroom.quality_deposit.settled_on IS 'day it was released or forfeited';

SELECT pg_catalog.pg_extension_config_dump('showroom.quality_deposit', '');

-- Orders not paid because of a standing incident (for the settlement,
-- which must then add no service fee for them).
CREATE VIEW showroom.unpaid_orders AS
SELECT DISTINCT ON (i.service_order_id) i.service_order_id, i.outlet_id, i.id AS incident_id,
       i.incident, i.responsibility
  FROM showroom.incident i
 WHERE i.state = 'standing' AND i.unpaid
 ORDER BY i.service_order_id, i.id;

COMMENT ON VIEW showroom.unpaid_orders IS 'service orders not paid because of a standing incident the outlet caused';
COMMENT ON COLUMN showroom.unpaid_orders.service_order_id IS 'service order';
COMMENT ON COLUMN showroom.unpaid_orders.outlet_id IS 'outlet';
COMMENT ON COLUMN showroom.unpaid_orders.incident_id IS 'first such incident';
COMMENT ON COLUMN showroom.unpaid_orders.incident IS 'missed, late or repeated';
COMMENT ON COLUMN showroom.unpaid_orders.responsibility IS 'responsibility code';

-- Points per outlet and quarter, from standing incidents.
CREATE VIEW showroom.outlet_points AS
SELECT i.outlet_id, i.quarter, sum(i.points)::integer AS points,
       count(*)::integer AS incidents,
       (sum(i.penalty_fen) / 100.0)::numeric(14,2) AS penalties
  FROM showroom.incident i
 WHERE i.state = 'standing'
 GROUP BY i.outlet_id, i.quarter;

COMMENT ON VIEW showroom.outlet_points IS 'violation points, incidents and penalties per outlet and quarter (standing incidents)';
COMMENT ON COLUMN showroom.outlet_points.outlet_id IS 'outlet';
COMMENT ON COLUMN showroom.outlet_points.quarter IS 'first day of the quarter';
COMMENT ON COLUMN showroom.outlet_points.points IS 'violation points';
COMMENT ON COLUMN showroom.outlet_points.incidents IS 'incidents';
COMMENT ON COLUMN showroom.outlet_points.penalties IS 'penalties, yuan';

-- log_discipline: append one row to the discipline log.
CREATE FUNCTION showroom.log_discipline(outlet_id bigint, incident_id bigint, action text, detail text)
RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF action IS NULL OR detail IS NULL THEN
    RAISE EXCEPTION 'a discipline log row needs an action and a detail'
      USING ERRCODE = '22004',
            DETAIL = format('action = %s, detail = %s.', coalesce(quote_literal(action), 'NULL'),
                            coalesce(quote_literal(left(detail, 40)), 'NULL'));
  END IF;
  IF action NOT IN ('incident', 'appeal', 'upheld', 'rejected', 'suspend', 'lift',
                    'reverse_suspension') THEN
    RAISE EXCEPTION 'unknown discipline action %', quote_literal(left(action, 40))
      USING ERRCODE = '22023', DETAIL = format('action = %s.', quote_literal(left(action, 40))),
            HINT = 'Use incident, appeal, upheld, rejected, suspend, lift or reverse_suspension.';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM showroom.outlet x WHERE x.id = outlet_id) THEN
    RAISE EXCEPTION 'unknown outlet %', coalesce(outlet_id::text, 'NULL')
      USING ERRCODE = 'SR201', DETAIL = format('No outlet has id %s.', coalesce(outlet_id::text, 'NULL'));
  END IF;
  IF incident_id IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM showroom.incident i WHERE i.id = incident_id) THEN
    RAISE EXCEPTION 'unknown incident %', incident_id
      USING ERRCODE = 'SR706', DETAIL = format('No incident has id %s.', incident_id);
  END IF;
  INSERT INTO showroom.discipline_log (outlet_id, incident_id, action, detail, done_by)
  VALUES (outlet_id, incident_id, action, detail, showroom.acting_person());
END
$$;

COMMENT ON FUNCTION showroom.log_discipline(bigint, bigint, text, text) IS
  'append a row to the discipline log';

-- refresh_order_amounts: recompute the per-order outlet amounts of one
-- order from their sources: the receipt's fee items (fees room), the
-- standing incidents' penalties, the unpaid redo (the fee items taken
-- back), the grade cut and the quality deposit.  The day they fall due is
-- the day done, or with fees.period_basis = evaluation the day of the
-- first return visit (the day done until there is one).
CREATE FUNCTION showroom.refresh_order_amounts(order_id bigint)
RETURNS void
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  o showroom.service_order;
  fee bigint;
  penalty bigint;
  unpaid boolean;
  cut numeric;
  cut_fen bigint := 0;
  dep_fen bigint := 0;
  due date;
  dep showroom.quality_deposit;
BEGIN
  SELECT * INTO o FROM showroom.service_order x WHERE x.id = order_id;
  IF o.outlet_id IS NULL THEN
    RETURN;
  END IF;
  SELECT sum(l.outlet_fen) INTO fee
    FROM showroom.fee_doc d JOIN showroom.fee_doc_line l ON l.doc_id = d.id
   WHERE d.service_order_id = order_id AND d.doc_kind = 'receipt';
  SELECT coalesce(sum(i.penalty_fen), 0), coalesce(bool_or(i.unpaid), false)
    INTO penalty, unpaid
    FROM showroom.incident i WHERE i.service_order_id = order_id AND i.state = 'standing';
  due := showroom.business_date(coalesce(o.done_at, now()));
  IF showroom.setting_value('fees.period_basis') = 'evaluation' THEN
    SELECT coalesce(showroom.business_date(min(v.visited_at)), due) INTO due
      FROM showroom.return_visit v WHERE v.order_id = refresh_order_amounts.order_id;
  END IF;

  PERFORM showroom.set_outlet_amount(order_id, 'penalty', o.outlet_id, -penalty, due,
                                     'penalties of standing incidents');
  PERFORM showroom.set_outlet_amount(order_id, 'unpaid_redo', o.outlet_id,
                                     CASE WHEN unpaid THEN -coalesce(fee, 0) ELSE 0 END, due,
                                     'visit not paid: outlet''s own fault');
  IF fee IS NOT NULL AND NOT unpaid THEN
    SELECT g.cut_pct INTO cut FROM showroom.outlet_grade g WHERE g.outlet_id = o.outlet_id;
    cut_fen := round(fee * coalesce(cut, 0) / 100);
    dep_fen := round((fee - cut_fen) * showroom.setting_value('discipline.deposit_pct')::numeric / 100);
  END IF;
  PERFORM showroom.set_outlet_amount(order_id, 'grade_cut', o.outlet_id, -cut_fen, due,
                                     format('grade cut %s%%', coalesce(cut, 0)));

  -- The deposit is withheld once; a released or forfeited one stays so.
  SELECT * INTO dep FROM showroom.quality_deposit q WHERE q.service_order_id = order_id FOR UPDATE;
  IF NOT FOUND OR dep.state = 'held' THEN
    IF dep_fen > 0 THEN
      INSERT INTO showroom.quality_deposit AS q (service_order_id, outlet_id, amount_fen, release_due)
      VALUES (order_id, o.outlet_id, dep_fen,
              (showroom.business_date(coalesce(o.done_at, now()))
               + make_interval(months => showroom.setting_value('discipline.deposit_months')::integer))::date)
      ON CONFLICT (service_order_id) DO UPDATE SET amount_fen = excluded.amount_fen;
    ELSE
      DELETE FROM showroom.quality_deposit q WHERE q.service_order_id = order_id;
    END IF;
    PERFORM showroom.set_outlet_amount(order_id, 'deposit_withheld', o.outlet_id, -dep_fen, due,
                                       'quality deposit withheld');
  END IF;
END
$$;

COMMENT ON FUNCTION showroom.refresh_order_amounts(bigint) IS
  'recompute an order''s outlet amounts (penalty, unpaid redo, grade cut, quality deposit) from their sources';

-- apply_ladder: after an outlet's points of a quarter changed, suspend it
-- for each step newly reached (once per step and quarter), and lift the
-- ladder's own active suspensions whose step it no longer reaches.
CREATE FUNCTION showroom.apply_ladder(outlet_id bigint, quarter date)
RETURNS void
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  pts integer;
  own boolean := EXISTS (SELECT 1 FROM showroom.points_step s WHERE NOT s.builtin);
  st record;
  s showroom.ladder_suspension;
  why text;
  ol showroom.outlet := showroom.outlet_row(outlet_id);
BEGIN
  SELECT coalesce(sum(i.points), 0) INTO pts FROM showroom.incident i
   WHERE i.outlet_id = apply_ladder.outlet_id AND i.quarter = apply_ladder.quarter
     AND i.state = 'standing';

  -- Steps reached: the highest one not yet applied this quarter suspends.
  SELECT * INTO st FROM showroom.points_step p
   WHERE p.builtin = NOT own AND p.points <= pts
     AND NOT EXISTS (SELECT 1 FROM showroom.ladder_suspension l
                      WHERE l.outlet_id = apply_ladder.outlet_id
                        AND l.quarter = apply_ladder.quarter AND l.step_points >= p.points)
   ORDER BY p.points DESC LIMIT 1;
  IF FOUND THEN
    why := format('violation points: %s in the quarter of %s (step %s: %s days%s)', pts, quarter,
                  st.points, st.suspend_days,
                  CASE WHEN st.deposit_fen > 0 THEN format(', deposit %s yuan', st.deposit_fen / 100.0)
                       ELSE '' END);
    PERFORM showroom.suspend_outlet(outlet_id, why);
    INSERT INTO showroom.ladder_suspension (outlet_id, quarter, step_points, deposit_fen, reason,
                                            since, until)
    VALUES (outlet_id, quarter, st.points, st.deposit_fen, why, now(),
            now() + make_interval(days => st.suspend_days));
    PERFORM showroom.log_discipline(outlet_id, NULL, 'suspend', why);
  END IF;

  -- Steps no longer reached (an appeal took points away): reverse them.
  FOR s IN SELECT * FROM showroom.ladder_suspension l
            WHERE l.outlet_id = apply_ladder.outlet_id AND l.quarter = apply_ladder.quarter
              AND l.step_points > pts AND l.state = 'active'
            ORDER BY l.step_points DESC
  LOOP
    UPDATE showroom.ladder_suspension l SET state = 'reversed', ended_at = now() WHERE l.id = s.id;
    SELECT * INTO ol FROM showroom.outlet x WHERE x.id = outlet_id;
    IF ol.suspended_reason = s.reason THEN
      -- A lower step still running takes over; else dispatch is open again.
      SELECT l.reason INTO why FROM showroom.ladder_suspension l
       WHERE l.outlet_id = apply_ladder.outlet_id AND l.state = 'active' AND l.until > now()
       ORDER BY l.step_points DESC LIMIT 1;
      IF why IS NOT NULL THEN
        PERFORM showroom.suspend_outlet(outlet_id, why);
      ELSE
        PERFORM showroom.lift_suspension(outlet_id,
          format('violation points down to %s: step %s no longer reached', pts, s.step_points));
      END IF;
    END IF;
    PERFORM showroom.log_discipline(outlet_id, NULL, 'reverse_suspension',
      format('step %s of the quarter of %s reversed: %s points now', s.step_points, quarter, pts));
  END LOOP;
END
$$;

COMMENT ON FUNCTION showroom.apply_ladder(bigint, date) IS
  'suspend an outlet for a newly reached points step of a quarter, and reverse steps no longer reached';

-- record_incident: record a missed, late or repeated visit of a service
-- order with its responsibility and when it happened (which puts its
-- points in a quarter); the penalty rule in force gives the
-- penalty, points and whether the visit goes unpaid.  Updates the order's
-- outlet amounts and applies the ladder.  Returns the incident id.
CREATE FUNCTION showroom.record_incident(order_id bigint, incident text, responsibility text,
                                         note text DEFAULT NULL,
                                         occurred_at timestamptz DEFAULT now())
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  o showroom.service_order := showroom.service_order_row(order_id);
  r record;
  q date;
  new_id bigint;
BEGIN
  PERFORM showroom.check_time('occurred_at', occurred_at);
  IF occurred_at IS NULL OR occurred_at > now() THEN
    RAISE EXCEPTION 'invalid incident time'
      USING ERRCODE = '22023',
            DETAIL = CASE WHEN occurred_at IS NULL THEN 'occurred_at is NULL.'
                          ELSE 'occurred_at lies in the future.' END,
            HINT = 'An incident is recorded after it happened.';
  END IF;
  q := date_trunc('quarter', showroom.business_date(occurred_at))::date;
  IF incident IS NULL OR incident NOT IN ('missed', 'late', 'repeated') THEN
    RAISE EXCEPTION 'unknown incident kind %', coalesce(quote_literal(incident), 'NULL')
      USING ERRCODE = '22023', HINT = 'Use missed, late or repeated.';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM showroom.responsibility x WHERE x.code = responsibility) THEN
    RAISE EXCEPTION 'unknown responsibility %', coalesce(quote_literal(responsibility), 'NULL')
      USING ERRCODE = '22023', HINT = 'The codes are listed in showroom.responsibility.';
  END IF;
  IF o.outlet_id IS NULL THEN
    RAISE EXCEPTION 'service order % has no outlet', order_id
      USING ERRCODE = 'SR706',
            DETAIL = format('Order %s is %s and was never dispatched.', order_id, o.state),
            HINT = 'An incident is recorded against the outlet of a dispatched order.';
  END IF;
  SELECT p.penalty_fen, p.points, p.unpaid INTO r FROM showroom.penalty_rule p
   WHERE p.incident = record_incident.incident AND p.responsibility = record_incident.responsibility
   ORDER BY p.builtin LIMIT 1;
  INSERT INTO showroom.incident (service_order_id, outlet_id, incident, responsibility,
                                 penalty_fen, points, unpaid, quarter, note, recorded_by)
  VALUES (order_id, o.outlet_id, incident, responsibility, coalesce(r.penalty_fen, 0),
          coalesce(r.points, 0), coalesce(r.unpaid, false), q, note, showroom.acting_person())
  RETURNING id INTO new_id;
  PERFORM showroom.log_discipline(o.outlet_id, new_id, 'incident',
    format('%s visit of order %s, responsibility %s: penalty %s fen, %s points%s', incident,
           order_id, responsibility, coalesce(r.penalty_fen, 0), coalesce(r.points, 0),
           CASE WHEN r.unpaid THEN ', unpaid' ELSE '' END));
  PERFORM showroom.refresh_order_amounts(order_id);
  PERFORM showroom.apply_ladder(o.outlet_id, q);
  RETURN new_id;
END
$$;

COMMENT ON FUNCTION showroom.record_incident(bigint, text, text, text, timestamptz) IS
  'record a missed, late or repeated visit with its responsibility: penalty, points, unpaid redo, ladder; returns the id';

-- lift_served_suspensions: lift each active ladder suspension whose time is
-- served (as_of past its end), if the outlet is still suspended for it.
-- For a scheduler; returns how many it ended.
CREATE FUNCTION showroom.lift_served_suspensions(as_of timestamptz DEFAULT now())
RETURNS integer
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  s showroom.ladder_suspension;
  n integer := 0;
BEGIN
  PERFORM showroom.check_time('as_of', as_of);
  FOR s IN SELECT * FROM showroom.ladder_suspension l
            WHERE l.state = 'active' AND l.until <= as_of ORDER BY l.id FOR UPDATE
  LOOP
    UPDATE showroom.ladder_suspension l SET state = 'ended', ended_at = as_of WHERE l.id = s.id;
    IF (SELECT o.suspended_reason FROM showroom.outlet o WHERE o.id = s.outlet_id) = s.reason THEN
      PERFORM showroom.lift_suspension(s.outlet_id, format('ladder suspension of step %s served', s.step_points));
    END IF;
    PERFORM showroom.log_discipline(s.outlet_id, NULL, 'lift',
      format('step %s of the quarter of %s served until %s', s.step_points, s.quarter, s.until));
    n := n + 1;
  END LOOP;
  RETURN n;
END
$$;

COMMENT ON FUNCTION showroom.lift_served_suspensions(timestamptz) IS
  'end the ladder suspensions whose days are served, lifting the outlet''s suspension; returns how many';

-- file_appeal: the outlet appeals an incident, within
-- discipline.appeal_days days of its recording; one appeal per incident.
CREATE FUNCTION showroom.file_appeal(incident_id bigint, reason text)
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  i showroom.incident;
  days integer := showroom.setting_value('discipline.appeal_days')::integer;
  new_id bigint;
BEGIN
  -- No row lock: an outlet may not update incidents; appeal's unique
  -- incident_id refuses a second appeal filed at the same moment.
  SELECT * INTO i FROM showroom.incident x WHERE x.id = incident_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown incident %', coalesce(incident_id::text, 'NULL')
      USING ERRCODE = 'SR706', DETAIL = format('No incident has id %s.', coalesce(incident_id::text, 'NULL'));
  END IF;
  IF nullif(btrim(reason), '') IS NULL THEN
    RAISE EXCEPTION 'an appeal needs a reason'
      USING ERRCODE = '22023', DETAIL = format('incident %s, reason %s.', incident_id,
                                               coalesce(quote_literal(reason), 'NULL'));
  END IF;
  IF EXISTS (SELECT 1 FROM showroom.appeal a WHERE a.incident_id = file_appeal.incident_id) THEN
    RAISE EXCEPTION 'incident % is already appealed', incident_id
      USING ERRCODE = 'SR707', DETAIL = format('Incident %s has an appeal.', incident_id),
            HINT = 'An incident is appealed once.';
  END IF;
  IF now() > i.recorded_at + make_interval(days => days) THEN
    RAISE EXCEPTION 'appeal window of incident % has closed', incident_id
      USING ERRCODE = 'SR707',
            DETAIL = format('Incident %s was recorded %s days ago; appeals are taken for %s days.',
                            incident_id, extract(day FROM now() - i.recorded_at), days);
  END IF;
  INSERT INTO showroom.appeal (incident_id, reason, filed_by)
  VALUES (incident_id, btrim(reason), showroom.acting_person())
  RETURNING id INTO new_id;
  PERFORM showroom.log_discipline(i.outlet_id, incident_id, 'appeal', btrim(reason));
  RETURN new_id;
END
$$;

COMMENT ON FUNCTION showroom.file_appeal(bigint, text) IS
  'appeal an incident within the appeal window (once); returns the appeal id';

-- decide_appeal: finance decides an open appeal.  Upheld reverses the
-- incident: its penalty and points go, the order's amounts are recomputed
-- and ladder steps no longer reached are reversed.  Only members of
-- showroom_finance or showroom_admin (or a superuser) may decide.
CREATE FUNCTION showroom.decide_appeal(appeal_id bigint, upheld boolean, decision text)
RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  a showroom.appeal;
  i showroom.incident;
BEGIN
  IF NOT (pg_has_role(current_user, 'showroom_finance', 'MEMBER')
          OR pg_has_role(current_user, 'showroom_admin', 'MEMBER')
          OR (SELECT r.rolsuper FROM pg_roles r WHERE r.rolname = current_user)) THEN
    RAISE EXCEPTION 'only finance decides appeals'
      USING ERRCODE = 'SR003', DETAIL = format('Role %s is not a member of showroom_finance.', current_user);
  END IF;
  IF upheld IS NULL OR nullif(btrim(decision), '') IS NULL THEN
    RAISE EXCEPTION 'deciding an appeal needs upheld and a decision'
      USING ERRCODE = '22023',
            DETAIL = format('appeal %s, upheld = %s, decision = %s.', coalesce(appeal_id::text, 'NULL'),
                            coalesce(upheld::text, 'NULL'), coalesce(quote_literal(decision), 'NULL'));
  END IF;
  SELECT * INTO a FROM showroom.appeal x WHERE x.id = appeal_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown appeal %', coalesce(appeal_id::text, 'NULL')
      USING ERRCODE = 'SR708', DETAIL = format('No appeal has id %s.', coalesce(appeal_id::text, 'NULL'));
  END IF;
  IF a.state <> 'open' THEN
    RAISE EXCEPTION 'appeal % is already decided', appeal_id
      USING ERRCODE = 'SR708', DETAIL = format('Appeal %s was %s: %s', appeal_id, a.state, a.decision);
  END IF;
  UPDATE showroom.appeal x
     SET state = CASE WHEN upheld THEN 'upheld' ELSE 'rejected' END, decision = btrim(decide_appeal.decision),
         decided_at = now(), decided_by = showroom.acting_person()
   WHERE x.id = appeal_id;
  SELECT * INTO i FROM showroom.incident x WHERE x.id = a.incident_id FOR UPDATE;
  PERFORM showroom.log_discipline(i.outlet_id, i.id, CASE WHEN upheld THEN 'upheld' ELSE 'rejected' END,
    format('appeal %s: %s', appeal_id, btrim(decision)));
  IF upheld THEN
    UPDATE showroom.incident x SET state = 'reversed' WHERE x.id = i.id;
    PERFORM showroom.refresh_order_amounts(i.service_order_id);
    PERFORM showroom.apply_ladder(i.outlet_id, i.quarter);
  END IF;
END
$$;

COMMENT ON FUNCTION showroom.decide_appeal(bigint, boolean, text) IS
  'finance decides an open appeal; upheld reverses the incident''s penalty and points';

-- compute_grades: grade every active outlet from its jobs done and its mean
-- return-visit score in the last discipline.grade_days days (an outlet
-- with no visit counts at dispatch.default_satisfaction).  Returns how many
-- outlets were graded.
CREATE FUNCTION showroom.compute_grades()
RETURNS integer
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  days integer := showroom.setting_value('discipline.grade_days')::integer;
  dflt numeric := showroom.setting_value('dispatch.default_satisfaction')::numeric;
  own boolean := EXISTS (SELECT 1 FROM showroom.grade_rule g WHERE NOT g.builtin);
  n integer;
BEGIN
  WITH figures AS (
    SELECT o.id,
           (SELECT count(*) FROM showroom.service_order so
             WHERE so.outlet_id = o.id AND so.done_at > now() - make_interval(days => days))::integer AS jobs,
           coalesce((SELECT round(avg(v.score), 2) FROM showroom.return_visit v
                      WHERE v.outlet_id = o.id AND v.visited_at > now() - make_interval(days => days)),
                    dflt) AS sat
      FROM showroom.outlet o WHERE o.active),
  graded AS (
    SELECT f.id, f.jobs, f.sat, g.grade, g.cut_pct
      FROM figures f
      CROSS JOIN LATERAL (SELECT r.grade, r.cut_pct FROM showroom.grade_rule r
                           WHERE r.builtin = NOT own AND f.jobs >= r.min_jobs
                             AND f.sat >= r.min_satisfaction
                           ORDER BY r.grade LIMIT 1) g)
  INSERT INTO showroom.outlet_grade AS x (outlet_id, grade, jobs, satisfaction, cut_pct, computed_at)
  SELECT id, grade, jobs, sat, cut_pct, now() FROM graded
  ON CONFLICT (outlet_id) DO UPDATE
    SET grade = excluded.grade, jobs = excluded.jobs, satisfaction = excluded.satisfaction,
        cut_pct = excluded.cut_pct, computed_at = excluded.computed_at;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END
$$;

COMMENT ON FUNCTION showroom.compute_grades() IS
  'grade every active outlet from its volume and satisfaction in the window; returns how many';

-- release_deposits: on a day, release each held quality deposit that is
-- due and whose order has no complaint other than rejected ones; forfeit
-- those with an upheld complaint; leave those with an open complaint.  A
-- release is written as the order's deposit_released amount, due that
-- day.  Returns how many were released.
CREATE FUNCTION showroom.release_deposits(as_of date DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  day date := coalesce(as_of, showroom.business_date(now()));
  d showroom.quality_deposit;
  n integer := 0;
BEGIN
  PERFORM showroom.check_day('as_of', as_of);
  FOR d IN SELECT * FROM showroom.quality_deposit q
            WHERE q.state = 'held' AND q.release_due <= day
            ORDER BY q.service_order_id FOR UPDATE
  LOOP
    IF EXISTS (SELECT 1 FROM showroom.complaint c
                WHERE c.order_id = d.service_order_id AND c.state = 'upheld') THEN
      UPDATE showroom.quality_deposit q SET state = 'forfeited', settled_on = day
       WHERE q.service_order_id = d.service_order_id;
    ELSIF NOT EXISTS (SELECT 1 FROM showroom.complaint c
                       WHERE c.order_id = d.service_order_id AND c.state = 'open') THEN
      UPDATE showroom.quality_deposit q SET state = 'released', settled_on = day
       WHERE q.service_order_id = d.service_order_id;
      PERFORM showroom.set_outlet_amount(d.service_order_id, 'deposit_released', d.outlet_id,
                                         d.amount_fen, day, 'quality deposit released');
      n := n + 1;
    END IF;
  END LOOP;
  RETURN n;
END
$$;

COMMENT ON FUNCTION showroom.release_deposits(date) IS
  'release due quality deposits of orders without complaint (forfeit on an upheld one); returns how many were released';
