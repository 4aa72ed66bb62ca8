
--
-- workflow: service orders, the states they move through, the transitions
-- allowed between them (as data an administrator can change), the audit
-- trail of every move with its hash chain, problem codes, return visits,
-- outlet satisfaction, complaints and the complaint rule, service levels.
--
-- Every state change of a service order, whoever makes it (move_order()
-- below, or another room updating service_order.state directly, as
-- dispatch does), passes two triggers: service_order_check_move() refuses
-- a move the transition table does not allow and service_order_log_move()
-- writes one row of the trail.  The row lock taken by the UPDATE makes
-- concurrent moves of one order wait for each other, so the trail of an
-- order has no gap and no fork.
--

-- Settings of this room.
INSERT INTO showroom.setting_default (name, value, value_type, description) VALUES
  ('workflow.satisfaction_days', '90', 'integer',
   'return visits of this many days count towards an outlet''s satisfaction'),
  ('workflow.complaint_days', '30', 'integer',
   'the complaint rule looks at complaints and completed jobs of this many days'),
  ('workflow.complaint_min_jobs', '20', 'integer',
   'the complaint rule judges an outlet only when it completed at least this many jobs in the window'),
  ('workflow.complaint_max_rate', '0.05', 'numeric',
   'the complaint rule suspends an outlet whose complaints exceed this share of its completed jobs');

-- States a service order can be in.  The built-in eight ship with the
-- extension; an administrator may add states (builtin = false).
CREATE TABLE showroom.service_state (
  code    text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]*$'),
  name    text NOT NULL,
  live    boolean NOT NULL,
  builtin boolean NOT NULL DEFAULT false
);

COMMENT ON TABLE showroom.service_state IS 'states a service order can be in';
COMMENT ON COLUMN showroom.service_state.code IS 'state code';
COMMENT ON COLUMN showroom.service_state.name IS 'name shown to people';
COMMENT ON COLUMN showroom.service_state.live IS 'the job is still to be done (counts for the service level)';
COMMENT ON COLUMN showroom.service_state.builtin IS 'shipped with showroom (not dumped)';

SELECT pg_catalog.pg_extension_config_dump('showroom.service_state', 'WHERE NOT builtin');

INSERT INTO showroom.service_state (code, name, live, builtin) VALUES
  ('requested', 'requested, waiting for dispatch', true, true),
  ('dispatched', 'dispatched to an outlet', true, true),
  ('accepted', 'accepted by the outlet', true, true),
  ('on_the_way', 'crew on the way', true, true),
  ('done', 'job done', false, true),
  ('return_visit', 'customer called back', false, true),
  ('closed', 'closed', false, true),
  ('cancelled', 'cancelled', false, true);

-- Problem codes: one hierarchical list for delivery, installation, repair
-- and maintenance results and problems, repair symptoms, customer feedback
-- (complaints), return-visit answers, refusals and cancellations.  A code
-- is its parent's code, a dot and one more segment, so that "under a
-- branch" is a prefix test.
CREATE TABLE showroom.problem_code (
  code    text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$'),
  parent  text REFERENCES showroom.problem_code (code),
  name    text NOT NULL CHECK (btrim(name) <> ''),
  builtin boolean NOT NULL DEFAULT false,
  CHECK (CASE WHEN parent IS NULL THEN strpos(code, '.') = 0
              ELSE left(code, length(parent) + 1) = parent || '.'
                   AND strpos(substr(code, length(parent) + 2), '.') = 0 END)
);

CREATE INDEX problem_code_parent_idx ON showroom.problem_code (parent);

COMMENT ON TABLE showroom.problem_code IS
  'hierarchical problem and result codes; a code is its parent''s code plus one dotted segment';
COMMENT ON COLUMN showroom.problem_code.code IS 'code, for example repair.symptom.no_cooling';
COMMENT ON COLUMN showroom.problem_code.parent IS 'the branch it belongs to; NULL for a root';
COMMENT ON COLUMN showroom.problem_code.name IS 'meaning, shown to people';
COMMENT ON COLUMN showroom.problem_code.builtin IS 'shipped with showroom (not dumped, cannot be deleted)';

SELECT pg_catalog.pg_extension_config_dump('showroom.problem_code', 'WHERE NOT builtin');

INSERT INTO showroom.problem_code (code, parent, name, builtin)
SELECT c.code, nullif(regexp_replace(c.code, '\.?[a-z0-9_]+$', ''), ''), c.name, true
  FROM (VALUES
  ('delivery', 'delivery'),
  ('delivery.result', 'delivery results'),
  ('delivery.result.delivered', 'delivered and inspected with the customer'),
  ('delivery.result.defect_found', 'unit found defective at the door, taken back'),
  ('delivery.result.refused', 'customer refused the unit'),
  ('delivery.problem', 'delivery problems'),
  ('delivery.problem.customer_absent', 'nobody at the address'),
  ('delivery.problem.wrong_address', 'address wrong or not found'),
  ('delivery.problem.no_access', 'unit cannot be carried in (stairs, door, lift)'),
  ('delivery.problem.damaged_in_transit', 'unit damaged in transit'),
  ('installation', 'installation'),
  ('installation.result', 'installation results'),
  ('installation.result.installed', 'installed and commissioned'),
  ('installation.result.not_installable', 'cannot be installed at this place'),
  ('installation.problem', 'installation problems'),
  ('installation.problem.no_socket', 'no suitable power socket or circuit'),
  ('installation.problem.wall_unsuitable', 'wall or bracket place unsuitable'),
  ('installation.problem.missing_parts', 'parts or accessories missing'),
  ('installation.problem.defective', 'unit defective at commissioning'),
  ('repair', 'repair'),
  ('repair.symptom', 'symptoms reported by the customer'),
  ('repair.symptom.no_power', 'does not switch on'),
  ('repair.symptom.no_cooling', 'does not cool'),
  ('repair.symptom.no_heating', 'does not heat'),
  ('repair.symptom.leak', 'leaks water or refrigerant'),
  ('repair.symptom.noise', 'abnormal noise or vibration'),
  ('repair.symptom.error_code', 'shows an error code'),
  ('repair.symptom.no_picture', 'no picture or sound'),
  ('repair.symptom.not_spinning', 'drum does not turn'),
  ('repair.symptom.other', 'other fault'),
  ('repair.result', 'repair results'),
  ('repair.result.fixed', 'fixed without parts'),
  ('repair.result.part_replaced', 'fixed by replacing parts'),
  ('repair.result.unit_replaced', 'unit replaced'),
  ('repair.result.no_fault_found', 'no fault found'),
  ('repair.result.not_repairable', 'cannot be repaired'),
  ('maintenance', 'maintenance'),
  ('maintenance.result', 'maintenance results'),
  ('maintenance.result.cleaned', 'cleaned and checked'),
  ('maintenance.result.serviced', 'serviced, consumables replaced'),
  ('feedback', 'customer feedback and complaints'),
  ('feedback.late', 'crew late or missed the window'),
  ('feedback.no_show', 'crew did not come'),
  ('feedback.rude', 'crew impolite'),
  ('feedback.home_damaged', 'crew damaged the home'),
  ('feedback.extra_charge', 'crew asked for money not due'),
  ('feedback.poor_work', 'work badly done'),
  ('feedback.fault_again', 'the same fault came back'),
  ('visit', 'return-visit answers'),
  ('visit.on_time', 'crew came on time'),
  ('visit.late', 'crew came late'),
  ('visit.tidy', 'crew left the place tidy'),
  ('visit.untidy', 'crew left a mess'),
  ('visit.explained', 'crew explained the use of the unit'),
  ('visit.extra_charge', 'crew asked for money not due'),
  ('visit.recommend', 'customer would recommend the service'),
  ('refusal', 'outlet refusals'),
  ('refusal.capacity', 'no capacity on that day'),
  ('refusal.out_of_area', 'address outside the outlet''s area'),
  ('refusal.no_skill', 'outlet cannot do this job'),
  ('refusal.no_parts', 'parts not available'),
  ('cancel', 'cancellations'),
  ('cancel.customer', 'customer cancelled'),
  ('cancel.duplicate', 'duplicate order'),
  ('cancel.sale_cancelled', 'the sale was cancelled')
  ) AS c (code, name)
 ORDER BY c.code;

-- code_under: whether a problem code lies in a branch (is the branch
-- itself or one of its descendants).
CREATE FUNCTION showroom.code_under(code text, branch text)
RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN code = branch OR left(code, length(branch) + 1) = branch || '.';

COMMENT ON FUNCTION showroom.code_under(text, text) IS
  'true when a problem code is the branch itself or lies below it';

-- check_code: raise SR403 unless the code exists, and SR412 unless it lies
-- under the branch; what names the use in the message ("symptom code").
CREATE FUNCTION showroom.check_code(code text, branch text, what text)
RETURNS void
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM showroom.problem_code p WHERE p.code = check_code.code) THEN
    RAISE EXCEPTION 'unknown %', what
      USING ERRCODE = 'SR403',
            DETAIL = format('There is no problem code %s.', coalesce(quote_literal(code), 'NULL')),
            HINT = format('The codes are listed in showroom.problem_code%s.',
                          CASE WHEN branch IS NULL THEN ''
                               ELSE format(', under %s', branch) END);
  END IF;
  IF branch IS NOT NULL AND NOT showroom.code_under(code, branch) THEN
    RAISE EXCEPTION '% % is not under %', what, code, branch
      USING ERRCODE = 'SR412',
            DETAIL = format('A %s must be a code of the branch %s; %s is not.', what, branch, code),
            HINT = format('Pick one of: %s.',
                          (SELECT string_agg(p.code, ', ' ORDER BY p.code)
                             FROM showroom.problem_code p
                            WHERE showroom.code_under(p.code, branch)
                              AND NOT EXISTS (SELECT 1 FROM showroom.problem_code c
                                               WHERE c.parent = p.code)));
  END IF;
END
$$;

COMMENT ON FUNCTION showroom.check_code(text, text, text) IS
  'raise SR403 for an unknown problem code, SR412 for one outside the required branch';

-- Service orders: one job for an outlet (a delivery, an installation, a
-- repair, a maintenance visit).  Change state only with move_order() or by
-- an UPDATE of state that the transition table allows; either way the
-- triggers below check the move and write the trail.
CREATE TABLE showroom.service_order (
  id             bigserial PRIMARY KEY,
  kind           text NOT NULL REFERENCES showroom.service_kind (code),
  category       text NOT NULL REFERENCES showroom.category (code),
  origin         text NOT NULL DEFAULT 'call'
                   CHECK (origin IN ('call', 'delivered_sale', 'defect_redelivery')),
  sales_order_id bigint REFERENCES showroom.sales_order (id),
  sales_line_id  bigint REFERENCES showroom.sales_line (id),
  source_movement_id bigint,
  unit_no        integer CHECK (unit_no > 0),
  sku_id         bigint REFERENCES showroom.sku (id),
  serial         text,
  symptom_code   text REFERENCES showroom.problem_code (code),
  customer_name  text,
  customer_phone text,
  address        text,
  point          geometry(Point, 4326) NOT NULL,
  service_date   date NOT NULL,
  state          text NOT NULL DEFAULT 'requested' REFERENCES showroom.service_state (code),
  state_changed_at timestamptz NOT NULL DEFAULT now(),
  result_code    text REFERENCES showroom.problem_code (code),
  outlet_id      bigint REFERENCES showroom.outlet (id),
  previous_id    bigint REFERENCES showroom.service_order (id)
                   DEFERRABLE INITIALLY DEFERRED,
  done_at        timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now(),
  created_by     name NOT NULL DEFAULT current_user,
  UNIQUE (source_movement_id, unit_no),
  CHECK ((source_movement_id IS NULL) = (unit_no IS NULL)),
  -- The functions check lon/lat with check_lonlat(); this holds a row
  -- written directly to the same rule (NaN fails BETWEEN, empty fails).
  CONSTRAINT service_order_point_lonlat
    CHECK (NOT ST_IsEmpty(point)
           AND ST_X(point) BETWEEN -180 AND 180
           AND ST_Y(point) BETWEEN -90 AND 90),
  -- The same for the day, which the functions check with check_day():
  -- an infinite day would otherwise book capacity for no real date.
  CONSTRAINT service_order_day_range
    CHECK (service_date BETWEEN DATE '2000-01-01' AND DATE '2999-12-31')
);

CREATE INDEX service_order_state_date_idx ON showroom.service_order (state, service_date);
CREATE INDEX service_order_outlet_idx ON showroom.service_order (outlet_id);
CREATE INDEX service_order_sales_order_idx ON showroom.service_order (sales_order_id);
CREATE INDEX service_order_sales_line_idx ON showroom.service_order (sales_line_id)
  WHERE sales_line_id IS NOT NULL;
CREATE INDEX service_order_outlet_done_idx ON showroom.service_order (outlet_id, done_at)
  WHERE done_at IS NOT NULL;

COMMENT ON TABLE showroom.service_order IS 'service orders: one job (delivery, installation, repair, maintenance) for an outlet';
COMMENT ON COLUMN showroom.service_order.id IS 'service order id';
COMMENT ON COLUMN showroom.service_order.kind IS 'kind of service';
COMMENT ON COLUMN showroom.service_order.category IS 'product category served';
COMMENT ON COLUMN showroom.service_order.origin IS 'call (requested by a call), delivered_sale (installation after a delivery) or defect_redelivery (second delivery after a defect)';
COMMENT ON COLUMN showroom.service_order.sales_order_id IS 'sales order it comes from, if any';
COMMENT ON COLUMN showroom.service_order.sales_line_id IS 'sales line it comes from, if any';
COMMENT ON COLUMN showroom.service_order.source_movement_id IS 'stock_movement row that created it, for automatic orders';
COMMENT ON COLUMN showroom.service_order.unit_no IS 'which unit of that movement (1..qty), for automatic orders';
COMMENT ON COLUMN showroom.service_order.sku_id IS 'product served';
COMMENT ON COLUMN showroom.service_order.serial IS 'serial number of the unit served';
COMMENT ON COLUMN showroom.service_order.symptom_code IS 'problem reported when the order was requested';
COMMENT ON COLUMN showroom.service_order.customer_name IS 'customer name';
COMMENT ON COLUMN showroom.service_order.customer_phone IS 'customer phone';
COMMENT ON COLUMN showroom.service_order.address IS 'address as written';
COMMENT ON COLUMN showroom.service_order.point IS 'where the job is (lon/lat)';
COMMENT ON COLUMN showroom.service_order.service_date IS 'date the job is wanted';
COMMENT ON COLUMN showroom.service_order.state IS 'workflow state (showroom.service_state)';
COMMENT ON COLUMN showroom.service_order.state_changed_at IS 'when the state last changed';
COMMENT ON COLUMN showroom.service_order.result_code IS 'result code of the last move that gave one';
COMMENT ON COLUMN showroom.service_order.outlet_id IS 'outlet the job is assigned to';
COMMENT ON COLUMN showroom.service_order.previous_id IS 'earlier order this one repeats (a second delivery or visit)';
COMMENT ON COLUMN showroom.service_order.done_at IS 'when the job was last moved to done (settlement reads it)';
COMMENT ON COLUMN showroom.service_order.created_at IS 'when it was created';
COMMENT ON COLUMN showroom.service_order.created_by IS 'role that created it';

SELECT pg_catalog.pg_extension_config_dump('showroom.service_order', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.service_order_id_seq', '');

-- The workflow as data: which moves are allowed, to which group roles, and
-- what each needs.  A built-in row ships with the extension; an
-- administrator's row for the same pair (builtin = false) overrides it, and
-- one with enabled = false withdraws it.  Only the administrator's rows are
-- dumped, so a restore never clashes with the shipped ones.  Read the moves
-- in force from the view service_transitions.
CREATE TABLE showroom.service_transition (
  from_state   text NOT NULL REFERENCES showroom.service_state (code),
  to_state     text NOT NULL REFERENCES showroom.service_state (code),
  builtin      boolean NOT NULL DEFAULT false,
  label        text NOT NULL,
  roles        name[] NOT NULL DEFAULT '{}',
  requires     text[] NOT NULL DEFAULT '{}'
                 CHECK (requires <@ ARRAY['result_code', 'note', 'outlet_id']),
  result_under text CHECK (result_under ~ '^(:kind|[a-z][a-z0-9_]*)(\.[a-z0-9_]+)*$'),
  enabled      boolean NOT NULL DEFAULT true,
  changed_by   name DEFAULT current_user,
  changed_at   timestamptz DEFAULT now(),
  PRIMARY KEY (from_state, to_state, builtin),
  CHECK (from_state <> to_state),
  CHECK (builtin OR (changed_by IS NOT NULL AND changed_at IS NOT NULL))
);

COMMENT ON TABLE showroom.service_transition IS
  'allowed moves of service orders: shipped rows (builtin) and an administrator''s overrides';
COMMENT ON COLUMN showroom.service_transition.from_state IS 'state the order is in';
COMMENT ON COLUMN showroom.service_transition.to_state IS 'state it may move to';
COMMENT ON COLUMN showroom.service_transition.builtin IS 'shipped with showroom (not dumped); a non-builtin row for the same pair overrides it';
COMMENT ON COLUMN showroom.service_transition.label IS 'name of the move, shown to people (dispatch, accept, refuse, ...)';
COMMENT ON COLUMN showroom.service_transition.roles IS 'group roles whose members may make the move (superusers always may)';
COMMENT ON COLUMN showroom.service_transition.requires IS 'what the move needs: result_code, note, outlet_id';
COMMENT ON COLUMN showroom.service_transition.result_under IS 'branch of problem codes the result code must lie in; :kind stands for the order''s service kind';
COMMENT ON COLUMN showroom.service_transition.enabled IS 'false withdraws the move (an administrator''s row overriding a shipped one)';
COMMENT ON COLUMN showroom.service_transition.changed_by IS 'role that last changed the row (NULL for a shipped row)';
COMMENT ON COLUMN showroom.service_transition.changed_at IS 'when the row last changed (NULL for a shipped row)';

SELECT pg_catalog.pg_extension_config_dump('showroom.service_transition', 'WHERE NOT builtin');

INSERT INTO showroom.service_transition
  (from_state, to_state, builtin, label, roles, requires, result_under,
   changed_by, changed_at)
SELECT t.from_state, t.to_state, t.builtin, t.label, t.roles::name[], t.requires::text[],
       t.result_under, NULL::name, NULL::timestamptz
  FROM (VALUES
  ('requested', 'dispatched', true, 'dispatch', '{showroom_dispatcher}', '{outlet_id}', NULL),
  ('dispatched', 'accepted', true, 'accept', '{showroom_outlet}', '{}', NULL),
  ('dispatched', 'requested', true, 'refuse', '{showroom_dispatcher}',
   '{result_code}', 'refusal'),
  ('accepted', 'on_the_way', true, 'leave', '{showroom_outlet}', '{}', NULL),
  ('on_the_way', 'done', true, 'finish', '{showroom_outlet}', '{result_code}', ':kind.result'),
  ('done', 'return_visit', true, 'call back', '{showroom_clerk,showroom_dispatcher}', '{}', NULL),
  ('return_visit', 'closed', true, 'close', '{showroom_clerk,showroom_dispatcher}', '{}', NULL),
  ('return_visit', 'dispatched', true, 'reopen', '{showroom_dispatcher}', '{note,outlet_id}', NULL),
  ('closed', 'dispatched', true, 'reopen', '{showroom_dispatcher}', '{note,outlet_id}', NULL),
  ('requested', 'cancelled', true, 'cancel', '{showroom_clerk,showroom_dispatcher}',
   '{result_code}', 'cancel'),
  ('dispatched', 'cancelled', true, 'cancel', '{showroom_clerk,showroom_dispatcher}',
   '{result_code}', 'cancel'),
  ('accepted', 'cancelled', true, 'cancel', '{showroom_clerk,showroom_dispatcher}',
   '{result_code}', 'cancel'),
  ('on_the_way', 'cancelled', true, 'cancel', '{showroom_clerk,showroom_dispatcher}',
   '{result_code}', 'cancel')) AS t (from_state, to_state, builtin, label, roles, requires,
                                    result_under);

CREATE VIEW showroom.service_transitions AS
SELECT t.from_state, t.to_state, t.label, t.roles, t.requires, t.result_under,
       t.builtin
  FROM showroom.service_transition t
 WHERE t.enabled
   AND (NOT t.builtin
        OR NOT EXISTS (SELECT 1 FROM showroom.service_transition o
                        WHERE NOT o.builtin AND o.from_state = t.from_state
                          AND o.to_state = t.to_state));

COMMENT ON VIEW showroom.service_transitions IS 'the moves of service orders in force';
COMMENT ON COLUMN showroom.service_transitions.from_state IS 'state the order is in';
COMMENT ON COLUMN showroom.service_transitions.to_state IS 'state it may move to';
COMMENT ON COLUMN showroom.service_transitions.label IS 'name of the move';
COMMENT ON COLUMN showroom.service_transitions.roles IS 'group roles whose members may make it';
COMMENT ON COLUMN showroom.service_transitions.requires IS 'what it needs: result_code, note, outlet_id';
COMMENT ON COLUMN showroom.service_transitions.result_under IS 'branch the result code must lie in (:kind = the order''s kind)';
COMMENT ON COLUMN showroom.service_transitions.builtin IS 'the shipped definition is in force (no override)';

-- transitions_in_force: the rows of the view service_transitions, read as
-- the caller.  The view runs with its owner's rights, for reporting, which
-- may read views only; the workflow's own functions run as the caller and
-- read the table through this function instead, so that a role needs
-- SELECT on service_transition (roles.sql), not on the view.  Keep the two
-- queries alike.
CREATE FUNCTION showroom.transitions_in_force()
RETURNS SETOF showroom.service_transitions
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT t.from_state, t.to_state, t.label, t.roles, t.requires, t.result_under,
         t.builtin
    FROM showroom.service_transition t
   WHERE t.enabled
     AND (NOT t.builtin
          OR NOT EXISTS (SELECT 1 FROM showroom.service_transition o
                          WHERE NOT o.builtin AND o.from_state = t.from_state
                            AND o.to_state = t.to_state));
END;

COMMENT ON FUNCTION showroom.transitions_in_force() IS
  'the moves of service orders in force, as the view service_transitions shows them, read as the caller';

-- The audit trail: one row per state change of a service order, never
-- updated or deleted.  Each row's hash covers its own fields and the hash
-- of the order's previous row, so that an edit or a removal anywhere in an
-- order's trail shows in verify_trail().
CREATE TABLE showroom.service_trail (
  id          bigserial PRIMARY KEY,
  order_id    bigint NOT NULL REFERENCES showroom.service_order (id),
  seq         integer NOT NULL CHECK (seq > 0),
  from_state  text NOT NULL,
  to_state    text NOT NULL,
  outlet_id   bigint,
  db_role     name NOT NULL,
  person      text,
  at          timestamptz NOT NULL,
  result_code text REFERENCES showroom.problem_code (code),
  note        text,
  prev_hash   bytea,
  hash        bytea NOT NULL,
  UNIQUE (order_id, seq)
);

COMMENT ON TABLE showroom.service_trail IS
  'audit trail: one row per state change of a service order, hash-chained per order, append-only';
COMMENT ON COLUMN showroom.service_trail.id IS 'trail row id';
COMMENT ON COLUMN showroom.service_trail.order_id IS 'service order';
COMMENT ON COLUMN showroom.service_trail.seq IS 'position in the order''s trail, from 1 without gaps';
COMMENT ON COLUMN showroom.service_trail.from_state IS 'state before the move';
COMMENT ON COLUMN showroom.service_trail.to_state IS 'state after the move';
COMMENT ON COLUMN showroom.service_trail.outlet_id IS 'outlet of the order at the move (for a refusal, the outlet that refused)';
COMMENT ON COLUMN showroom.service_trail.db_role IS 'database role that made the move';
COMMENT ON COLUMN showroom.service_trail.person IS 'person named by the application (setting showroom.person), if any';
COMMENT ON COLUMN showroom.service_trail.at IS 'when the move was made';
COMMENT ON COLUMN showroom.service_trail.result_code IS 'result code given with the move';
COMMENT ON COLUMN showroom.service_trail.note IS 'note given with the move';
COMMENT ON COLUMN showroom.service_trail.prev_hash IS 'hash of the order''s previous trail row; NULL for the first';
COMMENT ON COLUMN showroom.service_trail.hash IS 'SHA-256 over this row''s fields and prev_hash (see trail_hash)';

SELECT pg_catalog.pg_extension_config_dump('showroom.service_trail', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.service_trail_id_seq', '');

-- trail_hash: the hash a trail row must carry.  The fields are laid out as
-- a JSON array, whose text form is canonical and keeps NULL apart from an
-- empty string; the time as seconds since the epoch, whatever the
-- session's TimeZone and DateStyle.
CREATE FUNCTION showroom.trail_hash(t showroom.service_trail)
RETURNS bytea
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN sha256(convert_to(jsonb_build_array(
         t.id, t.order_id, t.seq, t.from_state, t.to_state, t.outlet_id,
         t.db_role, t.person, extract(epoch FROM t.at)::text, t.result_code,
         t.note, encode(t.prev_hash, 'hex'))::text, 'UTF8'));

COMMENT ON FUNCTION showroom.trail_hash(showroom.service_trail) IS
  'SHA-256 a trail row must carry: over its fields and the previous row''s hash';

-- trail_refuse_change: the trail is append-only; refuse UPDATE, DELETE
-- and TRUNCATE for every role, owner included.
CREATE FUNCTION showroom.trail_refuse_change()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME
    USING ERRCODE = 'SR415',
          DETAIL = format('%s on %s refused.', TG_OP, TG_TABLE_NAME),
          HINT = 'Rows are written by the functions of showroom; a correction is a new row.';
END
$$;

COMMENT ON FUNCTION showroom.trail_refuse_change() IS
  'trigger: refuse UPDATE, DELETE and TRUNCATE on an append-only table';

CREATE TRIGGER service_trail_no_change
  BEFORE UPDATE OR DELETE ON showroom.service_trail
  FOR EACH ROW EXECUTE FUNCTION showroom.trail_refuse_change();
CREATE TRIGGER service_trail_no_truncate
  BEFORE TRUNCATE ON showroom.service_trail
  FOR EACH STATEMENT EXECUTE FUNCTION showroom.trail_refuse_change();

-- allowed_moves: the moves in force from a state, as text for a hint, for
-- example "accept (showroom_outlet), cancel (showroom_clerk, ...)".
CREATE FUNCTION showroom.allowed_moves(from_state text)
RETURNS text
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT coalesce(string_agg(format('%s -> %s (%s%s)', t.from_state, t.to_state,
                                    CASE WHEN t.roles = '{}' THEN 'anyone'
                                         ELSE array_to_string(t.roles, ', ') END,
                                    CASE WHEN t.requires = '{}' THEN ''
                                         ELSE '; needs ' || array_to_string(t.requires, ', ') END),
                             '; ' ORDER BY t.to_state),
                  'none')
    FROM showroom.transitions_in_force() t
   WHERE t.from_state = allowed_moves.from_state;
END;

COMMENT ON FUNCTION showroom.allowed_moves(text) IS
  'the moves in force from a state, with their roles and needs, as one line of text';

-- may_act_as: whether the current role may act for one of the group roles
-- (superusers may act for all).  Names of roles that do not exist are
-- skipped, so that a transition may name roles created later.
CREATE FUNCTION showroom.may_act_as(roles name[])
RETURNS boolean
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_roles r
                  WHERE r.rolname = current_user AND r.rolsuper)
      OR EXISTS (SELECT 1 FROM unnest(roles) g (name)
                   JOIN pg_catalog.pg_roles r ON r.rolname = g.name
                  WHERE pg_catalog.pg_has_role(current_user, r.oid, 'MEMBER'));
END;

COMMENT ON FUNCTION showroom.may_act_as(name[]) IS
  'true when the current role is a superuser or a member of one of the named group roles';

-- service_order_check_move: before a state change of a service order,
-- refuse it unless the transition table in force (as transitions_in_force()
-- reads it) allows it to the current role (as may_act_as() judges it) and
-- what it requires is there; then stamp the order.  The result code and
-- note come from move_order() through the transaction-local settings
-- showroom.move_result and showroom.move_note (empty when the move was a
-- plain UPDATE, such as dispatch's).  In C (src/flow_trigger.c), with its
-- queries prepared once per session; its errors are those of the SR402,
-- SR003 and SR406 cases below, and check_code()'s.
CREATE FUNCTION showroom.service_order_check_move()
RETURNS trigger
LANGUAGE C VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'showroom_service_order_check_move';

COMMENT ON FUNCTION showroom.service_order_check_move() IS
  'trigger: refuse a state change the transition table does not allow; stamp done_at';

-- service_order_log_move: after each UPDATE of service_order, append the
-- next trail row of every order whose state it changed, chained to the
-- order's previous row, its hash as trail_hash() computes it, all in one
-- INSERT that reads the statement's transition tables.  The UPDATE holds
-- the orders' row locks until commit, so no other move of an order can
-- slip between reading its last row and writing the next.  In C
-- (src/flow_trigger.c), with its query prepared once per session.
-- The query's plan is kept for the session, and it is first made when the
-- trail may still be empty (a new database, a restore): the planner would
-- then pick a sequential scan of service_trail to find an order's last
-- row and keep it while the trail grows, one scan of the whole trail per
-- move.  enable_seqscan = off makes it take the index on (order_id, seq)
-- whatever the statistics say; enable_nestloop = off keeps the join of the
-- two transition tables, whose sizes a kept plan cannot know, from being
-- a nested loop.  Those two settings price the plans they refuse so high
-- that every plan would pass jit_above_cost and be compiled on each call
-- (0.3 s for one order), hence jit = off.
CREATE FUNCTION showroom.service_order_log_move()
RETURNS trigger
LANGUAGE C VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
SET enable_seqscan = off
SET enable_nestloop = off
SET jit = off
AS 'MODULE_PATHNAME', 'showroom_service_order_log_move';

COMMENT ON FUNCTION showroom.service_order_log_move() IS
  'trigger: write the hash-chained trail rows of the state changes an UPDATE made';

CREATE TRIGGER service_order_check_move
  BEFORE UPDATE OF state ON showroom.service_order
  FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state)
  EXECUTE FUNCTION showroom.service_order_check_move();
-- A trigger with transition tables may not name columns, so this one fires
-- after every UPDATE of service_order; its INSERT finds no moved order
-- when no state changed.
CREATE TRIGGER service_order_log_move
  AFTER UPDATE ON showroom.service_order
  REFERENCING OLD TABLE AS moved_old NEW TABLE AS moved_new
  FOR EACH STATEMENT
  EXECUTE FUNCTION showroom.service_order_log_move();

-- Satisfaction of each outlet per kind of service, recomputed from return
-- visits by the workflow room and read by dispatch.
CREATE TABLE showroom.outlet_satisfaction (
  outlet_id   bigint NOT NULL REFERENCES showroom.outlet (id),
  kind        text NOT NULL REFERENCES showroom.service_kind (code),
  score       numeric(3,2) NOT NULL CHECK (score BETWEEN 1 AND 5),
  visits      integer NOT NULL CHECK (visits >= 0),
  computed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (outlet_id, kind)
);

COMMENT ON TABLE showroom.outlet_satisfaction IS
  'satisfaction of each outlet per kind of service, from the return visits of the last 90 days';
COMMENT ON COLUMN showroom.outlet_satisfaction.outlet_id IS 'outlet';
COMMENT ON COLUMN showroom.outlet_satisfaction.kind IS 'kind of service';
COMMENT ON COLUMN showroom.outlet_satisfaction.score IS 'mean return-visit score, 1 to 5';
COMMENT ON COLUMN showroom.outlet_satisfaction.visits IS 'return visits the score is computed from';
COMMENT ON COLUMN showroom.outlet_satisfaction.computed_at IS 'when it was last recomputed';

SELECT pg_catalog.pg_extension_config_dump('showroom.outlet_satisfaction', '');

-- service_order_row: a service order by id, locked for update; raises SR401 for an
-- unknown id.  Callers that move or change an order start here.
CREATE FUNCTION showroom.service_order_row(order_id bigint)
RETURNS showroom.service_order
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  r showroom.service_order;
BEGIN
  IF order_id IS NULL THEN
    RAISE EXCEPTION 'service order id must not be null'
      USING ERRCODE = 'null_value_not_allowed';
  END IF;
  SELECT * INTO r FROM showroom.service_order o WHERE o.id = order_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown service order %', order_id
      USING ERRCODE = 'SR401',
            DETAIL = format('There is no service order with id %s.', order_id);
  END IF;
  RETURN r;
END
$$;

COMMENT ON FUNCTION showroom.service_order_row(bigint) IS
  'a service order by id, locked for update; SR401 when unknown';

-- move_order: move a service order to another state, with an optional
-- result code and note, as the current role (and the person named in the
-- setting showroom.person).  Returns the trail row written.
CREATE FUNCTION showroom.move_order(order_id bigint, to_state text,
                                    result_code text DEFAULT NULL,
                                    note text DEFAULT NULL)
RETURNS showroom.service_trail
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  o showroom.service_order;
  t showroom.service_trail;
BEGIN
  o := showroom.service_order_row(order_id);
  IF to_state IS NULL THEN
    RAISE EXCEPTION 'target state must not be null'
      USING ERRCODE = 'null_value_not_allowed',
            HINT = 'Allowed: ' || showroom.allowed_moves(o.state) || '.';
  END IF;
  IF to_state = o.state THEN
    RAISE EXCEPTION 'service order % is already %', order_id, to_state
      USING ERRCODE = 'SR402',
            DETAIL = format('Order %s is in state %s.', order_id, o.state),
            HINT = 'Allowed: ' || showroom.allowed_moves(o.state) || '.';
  END IF;

  PERFORM set_config('showroom.move_result', coalesce(result_code, ''), true),
          set_config('showroom.move_note', coalesce(note, ''), true);
  UPDATE showroom.service_order s SET state = to_state WHERE s.id = order_id;
  PERFORM set_config('showroom.move_result', '', true),
          set_config('showroom.move_note', '', true);

  SELECT * INTO STRICT t FROM showroom.service_trail tr
   WHERE tr.order_id = move_order.order_id ORDER BY tr.seq DESC LIMIT 1;
  RETURN t;
END
$$;

COMMENT ON FUNCTION showroom.move_order(bigint, text, text, text) IS
  'move a service order to another state (checked against service_transitions); returns the trail row';

-- verify_trail: recompute the hash chain of one order's trail.  Returns one
-- row: ok, the number of rows, and for a broken chain the first bad
-- position, its trail row id (NULL when the row is missing) and what is
-- wrong with it.
CREATE FUNCTION showroom.verify_trail(order_id bigint,
                                      OUT ok boolean, OUT rows_checked integer,
                                      OUT broken_seq integer, OUT broken_id bigint,
                                      OUT problem text)
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  t showroom.service_trail;
  expect_seq integer := 1;
  prev bytea;
BEGIN
  ok := true;
  rows_checked := 0;
  FOR t IN SELECT * FROM showroom.service_trail tr
            WHERE tr.order_id = verify_trail.order_id ORDER BY tr.seq
  LOOP
    rows_checked := rows_checked + 1;
    IF t.seq <> expect_seq THEN
      ok := false; broken_seq := expect_seq; broken_id := NULL;
      problem := format('row %s is missing (the next row is %s)', expect_seq, t.seq);
      RETURN;
    END IF;
    IF t.prev_hash IS DISTINCT FROM prev THEN
      ok := false; broken_seq := t.seq; broken_id := t.id;
      problem := 'prev_hash does not match the hash of the previous row';
      RETURN;
    END IF;
    IF t.hash IS DISTINCT FROM showroom.trail_hash(t) THEN
      ok := false; broken_seq := t.seq; broken_id := t.id;
      problem := 'hash does not match the row''s fields';
      RETURN;
    END IF;
    prev := t.hash;
    expect_seq := expect_seq + 1;
  END LOOP;
END
$$;

COMMENT ON FUNCTION showroom.verify_trail(bigint) IS
  'check the hash chain of one order''s trail; reports the first broken link';

-- broken_trails: every order whose trail fails verify_trail().
CREATE FUNCTION showroom.broken_trails()
RETURNS TABLE (order_id bigint, broken_seq integer, broken_id bigint, problem text)
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT o.id, v.broken_seq, v.broken_id, v.problem
    FROM showroom.service_order o
   CROSS JOIN LATERAL showroom.verify_trail(o.id) v
   WHERE NOT v.ok
   ORDER BY o.id;
END;

COMMENT ON FUNCTION showroom.broken_trails() IS
  'orders whose audit trail fails verification, with the first broken link of each';

-- new_service_order: insert a service order after checking what every creation
-- path shares (kind, category, point, date); returns its id.
CREATE FUNCTION showroom.new_service_order(o showroom.service_order)
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  new_id bigint;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM showroom.service_kind k WHERE k.code = o.kind) THEN
    RAISE EXCEPTION 'unknown service kind %', coalesce(quote_literal(o.kind), 'NULL')
      USING ERRCODE = 'SR207',
            DETAIL = format('There is no service kind %s.', coalesce(quote_literal(o.kind), 'NULL')),
            HINT = 'The kinds are listed in showroom.service_kind.';
  END IF;
  IF o.service_date IS NULL THEN
    RAISE EXCEPTION 'service date must not be null'
      USING ERRCODE = 'null_value_not_allowed';
  END IF;
  IF o.symptom_code IS NOT NULL THEN
    PERFORM showroom.check_code(o.symptom_code, o.kind, 'symptom code');
  END IF;
  INSERT INTO showroom.service_order
    (kind, category, origin, sales_order_id, sales_line_id, source_movement_id,
     unit_no, sku_id, serial, symptom_code, customer_name, customer_phone,
     address, point, service_date, previous_id)
  VALUES
    (o.kind, o.category, o.origin, o.sales_order_id, o.sales_line_id,
     o.source_movement_id, o.unit_no, o.sku_id, o.serial, o.symptom_code,
     o.customer_name, o.customer_phone, o.address, o.point, o.service_date,
     o.previous_id)
  RETURNING id INTO new_id;
  RETURN new_id;
END
$$;

COMMENT ON FUNCTION showroom.new_service_order(showroom.service_order) IS
  'insert a service order from a filled row after the shared checks; returns its id';

-- request_service: a service order requested by a call.  The category comes
-- from the SKU when one is given; a symptom code must lie under the kind's
-- branch (repair.symptom... for a repair).
CREATE FUNCTION showroom.request_service(kind text, lon double precision,
                                         lat double precision, service_date date,
                                         customer_name text DEFAULT NULL,
                                         customer_phone text DEFAULT NULL,
                                         address text DEFAULT NULL,
                                         sku_id bigint DEFAULT NULL,
                                         category text DEFAULT NULL,
                                         serial text DEFAULT NULL,
                                         symptom_code text DEFAULT NULL,
                                         sales_order_id bigint DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
  o showroom.service_order;
  sku_category text;
BEGIN
  PERFORM showroom.check_lonlat(lon, lat);
  PERFORM showroom.check_day('service_date', service_date);
  IF sku_id IS NOT NULL THEN
    SELECT s.category INTO sku_category FROM showroom.sku s WHERE s.id = sku_id;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'unknown SKU %', sku_id
        USING ERRCODE = 'SR103', DETAIL = format('There is no SKU with id %s.', sku_id);
    END IF;
    IF category IS NOT NULL AND category <> sku_category THEN
      RAISE EXCEPTION 'category % does not match SKU %', category, sku_id
        USING ERRCODE = '22023',
              DETAIL = format('SKU %s is in category %s.', sku_id, sku_category),
              HINT = 'Leave the category out when a SKU is given.';
    END IF;
  END IF;
  o.category := coalesce(category, sku_category);
  IF o.category IS NULL THEN
    RAISE EXCEPTION 'a service order needs a SKU or a category'
      USING ERRCODE = 'null_value_not_allowed',
            DETAIL = 'sku_id and category are both NULL.';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM showroom.category c WHERE c.code = o.category) THEN
    RAISE EXCEPTION 'unknown category %', o.category
      USING ERRCODE = '22023', DETAIL = format('There is no category %s.', quote_literal(o.category)),
            HINT = 'The categories are listed in showroom.category.';
  END IF;
  IF sales_order_id IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM showroom.sales_order s WHERE s.id = sales_order_id) THEN
    RAISE EXCEPTION 'unknown sales order %', sales_order_id
      USING ERRCODE = 'SR104', DETAIL = format('There is no sales order with id %s.', sales_order_id);
  END IF;
  o.kind := kind;
  o.origin := 'call';
  o.sku_id := sku_id;
  o.serial := nullif(btrim(serial), '');
  o.symptom_code := symptom_code;
  o.customer_name := customer_name;
  o.customer_phone := customer_phone;
  o.address := address;
  o.point := ST_SetSRID(ST_MakePoint(lon, lat), 4326);
  o.service_date := service_date;
  o.sales_order_id := sales_order_id;
  RETURN showroom.new_service_order(o);
END
$$;

COMMENT ON FUNCTION showroom.request_service(text, double precision, double precision, date, text, text, text, bigint, text, text, text, bigint) IS
  'create a service order requested by a call (any kind); returns its id';

-- request_repair: a repair requested by a call; the customer, address, SKU,
-- serial number and a symptom code under repair.symptom are all required.
CREATE FUNCTION showroom.request_repair(customer_name text, customer_phone text,
                                        address text, lon double precision,
                                        lat double precision, sku_id bigint,
                                        serial text, symptom_code text,
                                        service_date date DEFAULT NULL,
                                        sales_order_id bigint DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  missing text[];
BEGIN
  missing := array_remove(ARRAY[
    CASE WHEN nullif(btrim(customer_name), '') IS NULL THEN 'customer_name' END,
    CASE WHEN nullif(btrim(customer_phone), '') IS NULL THEN 'customer_phone' END,
    CASE WHEN nullif(btrim(address), '') IS NULL THEN 'address' END,
    CASE WHEN sku_id IS NULL THEN 'sku_id' END,
    CASE WHEN nullif(btrim(serial), '') IS NULL THEN 'serial' END,
    CASE WHEN symptom_code IS NULL THEN 'symptom_code' END], NULL);
  IF missing <> '{}' THEN
    RAISE EXCEPTION 'a repair request needs %', array_to_string(missing, ', ')
      USING ERRCODE = 'null_value_not_allowed',
            DETAIL = format('Missing or empty: %s.', array_to_string(missing, ', '));
  END IF;
  PERFORM showroom.check_code(symptom_code, 'repair.symptom', 'symptom code');
  RETURN showroom.request_service('repair', lon, lat,
                                  coalesce(service_date, showroom.business_date(now())),
                                  customer_name, customer_phone, address, sku_id,
                                  NULL, serial, symptom_code, sales_order_id);
END
$$;

COMMENT ON FUNCTION showroom.request_repair(text, text, text, double precision, double precision, bigint, text, text, date, bigint) IS
  'create a repair order from a call: customer, address, SKU, serial and symptom code; returns its id';

-- create_installation_orders: one installation order per unit of a sales
-- line delivered by a stock movement, when the SKU needs installation.
-- movement_id and units come from the stock ledger row; a replay of the same
-- movement creates nothing new, and a line never gets more installation
-- orders than units sold.  Returns the ids created.
CREATE FUNCTION showroom.create_installation_orders(sales_line_id bigint,
                                                    units integer,
                                                    movement_id bigint,
                                                    delivered_at timestamptz DEFAULT now())
RETURNS SETOF bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  l record;
  o showroom.service_order;
  have integer;
  new_id bigint;
BEGIN
  IF sales_line_id IS NULL OR units IS NULL OR movement_id IS NULL THEN
    RAISE EXCEPTION 'sales line, units and movement must not be null'
      USING ERRCODE = 'null_value_not_allowed',
            DETAIL = format('sales_line_id = %s, units = %s, movement_id = %s.',
                            coalesce(sales_line_id::text, 'NULL'), coalesce(units::text, 'NULL'),
                            coalesce(movement_id::text, 'NULL'));
  END IF;
  IF units <= 0 THEN
    RAISE EXCEPTION 'units must be positive'
      USING ERRCODE = 'SR107', DETAIL = format('units = %s.', units);
  END IF;
  PERFORM showroom.check_time('delivered_at', delivered_at);
  SELECT sl.id, sl.qty, sl.sku_id, so.id AS so_id, so.customer_name,
         so.customer_phone, so.address, so.delivery_point, s.category,
         s.needs_install
    INTO l
    FROM showroom.sales_line sl
    JOIN showroom.sales_order so ON so.id = sl.order_id
    JOIN showroom.sku s ON s.id = sl.sku_id
   WHERE sl.id = sales_line_id
     FOR UPDATE OF sl;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown sales line %', sales_line_id
      USING ERRCODE = 'SR104', DETAIL = format('There is no sales line with id %s.', sales_line_id);
  END IF;
  IF units > l.qty THEN
    RAISE EXCEPTION 'more units than the sales line holds'
      USING ERRCODE = 'SR107',
            DETAIL = format('units = %s; sales line %s has %s.', units, sales_line_id, l.qty);
  END IF;
  IF NOT l.needs_install THEN
    RETURN;
  END IF;

  -- Units already covered: by this movement (a replay) or by the line.
  SELECT count(*) INTO have FROM showroom.service_order so
   WHERE so.sales_line_id = l.id AND so.origin = 'delivered_sale'
     AND so.state <> 'cancelled';
  o.kind := 'installation';
  o.origin := 'delivered_sale';
  o.category := l.category;
  o.sales_order_id := l.so_id;
  o.sales_line_id := l.id;
  o.sku_id := l.sku_id;
  o.customer_name := l.customer_name;
  o.customer_phone := l.customer_phone;
  o.address := l.address;
  o.point := l.delivery_point;
  o.service_date := showroom.business_date(delivered_at);
  o.source_movement_id := movement_id;
  FOR u IN 1 .. units LOOP
    EXIT WHEN have >= l.qty;
    CONTINUE WHEN EXISTS (SELECT 1 FROM showroom.service_order so
                           WHERE so.source_movement_id = movement_id AND so.unit_no = u);
    o.unit_no := u;
    new_id := showroom.new_service_order(o);
    have := have + 1;
    RETURN NEXT new_id;
  END LOOP;
END
$$;

COMMENT ON FUNCTION showroom.create_installation_orders(bigint, integer, bigint, timestamptz) IS
  'create one installation order per delivered unit of a sales line whose SKU needs installation; returns their ids';

-- create_second_delivery: one delivery order per unit of a sales line found
-- defective at delivery, linked by previous_id to the line's latest
-- delivery order if there is one.  A replay of the same movement creates
-- nothing new.  Returns the ids created.
CREATE FUNCTION showroom.create_second_delivery(sales_line_id bigint,
                                                units integer,
                                                movement_id bigint,
                                                found_at timestamptz DEFAULT now())
RETURNS SETOF bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  l record;
  o showroom.service_order;
  new_id bigint;
BEGIN
  IF sales_line_id IS NULL OR units IS NULL OR movement_id IS NULL THEN
    RAISE EXCEPTION 'sales line, units and movement must not be null'
      USING ERRCODE = 'null_value_not_allowed',
            DETAIL = format('sales_line_id = %s, units = %s, movement_id = %s.',
                            coalesce(sales_line_id::text, 'NULL'), coalesce(units::text, 'NULL'),
                            coalesce(movement_id::text, 'NULL'));
  END IF;
  IF units <= 0 THEN
    RAISE EXCEPTION 'units must be positive'
      USING ERRCODE = 'SR107', DETAIL = format('units = %s.', units);
  END IF;
  PERFORM showroom.check_time('found_at', found_at);
  SELECT sl.id, sl.qty, sl.sku_id, so.id AS so_id, so.customer_name, so.customer_phone,
         so.address, so.delivery_point, s.category
    INTO l
    FROM showroom.sales_line sl
    JOIN showroom.sales_order so ON so.id = sl.order_id
    JOIN showroom.sku s ON s.id = sl.sku_id
   WHERE sl.id = sales_line_id
     FOR UPDATE OF sl;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown sales line %', sales_line_id
      USING ERRCODE = 'SR104', DETAIL = format('There is no sales line with id %s.', sales_line_id);
  END IF;
  -- One order per unit: never more units than the line sold.
  IF units > l.qty THEN
    RAISE EXCEPTION 'more units than the sales line holds'
      USING ERRCODE = 'SR107', DETAIL = format('units = %s, line %s has %s.', units, l.id, l.qty);
  END IF;

  o.kind := 'delivery';
  o.origin := 'defect_redelivery';
  o.category := l.category;
  o.sales_order_id := l.so_id;
  o.sales_line_id := l.id;
  o.sku_id := l.sku_id;
  o.customer_name := l.customer_name;
  o.customer_phone := l.customer_phone;
  o.address := l.address;
  o.point := l.delivery_point;
  o.service_date := showroom.business_date(found_at);
  o.source_movement_id := movement_id;
  SELECT so.id INTO o.previous_id FROM showroom.service_order so
   WHERE so.sales_line_id = l.id AND so.kind = 'delivery'
   ORDER BY so.id DESC LIMIT 1;
  FOR u IN 1 .. units LOOP
    CONTINUE WHEN EXISTS (SELECT 1 FROM showroom.service_order so
                           WHERE so.source_movement_id = movement_id AND so.unit_no = u);
    o.unit_no := u;
    new_id := showroom.new_service_order(o);
    RETURN NEXT new_id;
  END LOOP;
END
$$;

COMMENT ON FUNCTION showroom.create_second_delivery(bigint, integer, bigint, timestamptz) IS
  'create the second-delivery orders of a sales line found defective at delivery; returns their ids';

-- orders_from_stock_movement: trigger on the stock ledger.  A delivery of a
-- sales line starts its installations; a sales line found defective starts
-- its second delivery.  Other rows pass untouched.
CREATE FUNCTION showroom.orders_from_stock_movement()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF NEW.sales_line_id IS NULL OR NEW.qty = 0 THEN
    RETURN NULL;
  END IF;
  IF NEW.kind = 'delivery' THEN
    PERFORM showroom.create_installation_orders(NEW.sales_line_id, abs(NEW.qty),
                                                NEW.id, NEW.at);
  ELSIF NEW.kind = 'defective' THEN
    PERFORM showroom.create_second_delivery(NEW.sales_line_id, abs(NEW.qty),
                                            NEW.id, NEW.at);
  END IF;
  RETURN NULL;
END
$$;

COMMENT ON FUNCTION showroom.orders_from_stock_movement() IS
  'trigger on stock_movement: installation orders on deliveries, second deliveries on defects';

-- Attach it to the stock ledger (the stock room comes earlier in the
-- install script).
--
-- XXX: a restore also fires this trigger as it loads stock_movement.  It
-- creates nothing when service_order was loaded first (each unit's order is
-- found by source_movement_id and unit_no), which pg_dump's name order
-- gives today; if stock_movement were ever loaded first, the orders made
-- here would collide with the restored ones by id.  A restore-proof guard
-- needs a marker that pg_restore sets, which PostgreSQL does not offer.
CREATE TRIGGER stock_movement_service_orders
  AFTER INSERT ON showroom.stock_movement
  FOR EACH ROW WHEN (NEW.kind IN ('delivery', 'defective')
                     AND NEW.sales_line_id IS NOT NULL)
  EXECUTE FUNCTION showroom.orders_from_stock_movement();

-- require_workflow_admin: raise SR003 unless the current role is a
-- superuser or a member of showroom_admin; what names the action refused.
CREATE FUNCTION showroom.require_workflow_admin(what text)
RETURNS void
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF NOT showroom.may_act_as('{showroom_admin}') THEN
    RAISE EXCEPTION 'role % may not %', current_user, what
      USING ERRCODE = 'SR003',
            DETAIL = format('%s is for members of showroom_admin; %s is not one.', what, current_user),
            HINT = 'Ask an administrator.';
  END IF;
END
$$;

COMMENT ON FUNCTION showroom.require_workflow_admin(text) IS
  'raise SR003 unless the current role is a superuser or a member of showroom_admin';

-- set_transition: allow a move (or change how it is allowed), as an
-- administrator's row that overrides a shipped one for the same pair.
CREATE FUNCTION showroom.set_transition(from_state text, to_state text,
                                        label text, roles name[],
                                        requires text[] DEFAULT '{}',
                                        result_under text DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  bad text;
BEGIN
  PERFORM showroom.require_workflow_admin('change the workflow');
  IF from_state IS NULL OR to_state IS NULL OR label IS NULL OR roles IS NULL
     OR requires IS NULL THEN
    RAISE EXCEPTION 'from_state, to_state, label, roles and requires must not be null'
      USING ERRCODE = 'null_value_not_allowed';
  END IF;
  SELECT s INTO bad FROM unnest(ARRAY[from_state, to_state]) s
   WHERE NOT EXISTS (SELECT 1 FROM showroom.service_state st WHERE st.code = s) LIMIT 1;
  IF bad IS NOT NULL OR from_state = to_state THEN
    RAISE EXCEPTION 'invalid transition % -> %', from_state, to_state
      USING ERRCODE = 'SR414',
            DETAIL = CASE WHEN bad IS NOT NULL THEN format('There is no state %s.', quote_literal(bad))
                          ELSE 'A move must change the state.' END,
            HINT = 'The states are listed in showroom.service_state.';
  END IF;
  SELECT r INTO bad FROM unnest(requires) r
   WHERE r IS NULL OR r NOT IN ('result_code', 'note', 'outlet_id') LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'invalid requirement %', coalesce(quote_literal(bad), 'NULL')
      USING ERRCODE = 'SR414',
            DETAIL = format('requires = %s.', requires),
            HINT = 'A move may require result_code, note and outlet_id.';
  END IF;
  IF result_under IS NOT NULL AND result_under NOT LIKE ':kind%'
     AND NOT EXISTS (SELECT 1 FROM showroom.problem_code p WHERE p.code = result_under) THEN
    RAISE EXCEPTION 'invalid result branch %', quote_literal(result_under)
      USING ERRCODE = 'SR414',
            DETAIL = format('There is no problem code %s.', quote_literal(result_under)),
            HINT = 'Name a branch of showroom.problem_code, or :kind.result for the order''s kind.';
  END IF;
  INSERT INTO showroom.service_transition AS t
    (from_state, to_state, builtin, label, roles, requires, result_under, enabled)
  VALUES (from_state, to_state, false, label, roles, requires, result_under, true)
  ON CONFLICT ON CONSTRAINT service_transition_pkey DO UPDATE
    SET label = excluded.label, roles = excluded.roles, requires = excluded.requires,
        result_under = excluded.result_under, enabled = true,
        changed_by = current_user, changed_at = now();
END
$$;

COMMENT ON FUNCTION showroom.set_transition(text, text, text, name[], text[], text) IS
  'administrator: allow a move of service orders, or change who may make it and what it needs';

-- drop_transition: withdraw a move.  A shipped move is withdrawn by an
-- administrator's row with enabled = false; an administrator's own move is
-- deleted.
CREATE FUNCTION showroom.drop_transition(from_state text, to_state text)
RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  shipped showroom.service_transition;
BEGIN
  PERFORM showroom.require_workflow_admin('change the workflow');
  IF NOT EXISTS (SELECT 1 FROM showroom.transitions_in_force() t
                  WHERE t.from_state = drop_transition.from_state
                    AND t.to_state = drop_transition.to_state) THEN
    RAISE EXCEPTION 'no transition % -> % is in force', from_state, to_state
      USING ERRCODE = 'SR414',
            DETAIL = format('from_state = %s, to_state = %s.', coalesce(from_state, 'NULL'),
                            coalesce(to_state, 'NULL')),
            HINT = 'Allowed: ' || coalesce(showroom.allowed_moves(from_state), 'none') || '.';
  END IF;
  SELECT * INTO shipped FROM showroom.service_transition t
   WHERE t.from_state = drop_transition.from_state
     AND t.to_state = drop_transition.to_state AND t.builtin;
  IF FOUND THEN
    INSERT INTO showroom.service_transition AS t
      (from_state, to_state, builtin, label, roles, requires, result_under, enabled)
    VALUES (from_state, to_state, false, shipped.label, shipped.roles,
            shipped.requires, shipped.result_under, false)
    ON CONFLICT ON CONSTRAINT service_transition_pkey DO UPDATE
      SET enabled = false, changed_by = current_user, changed_at = now();
  ELSE
    DELETE FROM showroom.service_transition t
     WHERE t.from_state = drop_transition.from_state
       AND t.to_state = drop_transition.to_state AND NOT t.builtin;
  END IF;
END
$$;

COMMENT ON FUNCTION showroom.drop_transition(text, text) IS
  'administrator: withdraw a move of service orders';

-- reset_transition: drop an administrator's row for a pair, so that the
-- shipped move (if any) is in force again.  Returns whether a row went.
CREATE FUNCTION showroom.reset_transition(from_state text, to_state text)
RETURNS boolean
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  PERFORM showroom.require_workflow_admin('change the workflow');
  DELETE FROM showroom.service_transition t
   WHERE t.from_state = reset_transition.from_state
     AND t.to_state = reset_transition.to_state AND NOT t.builtin;
  RETURN FOUND;
END
$$;

COMMENT ON FUNCTION showroom.reset_transition(text, text) IS
  'administrator: remove the override of a move, putting the shipped definition back in force';

-- add_problem_code: extend the code list under an existing branch (or as a
-- new root when parent is NULL); the code is parent.segment.
CREATE FUNCTION showroom.add_problem_code(parent text, segment text, name text)
RETURNS text
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  new_code text := CASE WHEN parent IS NULL THEN segment ELSE parent || '.' || segment END;
BEGIN
  PERFORM showroom.require_workflow_admin('change the problem codes');
  IF segment IS NULL OR segment !~ '^[a-z][a-z0-9_]*$' THEN
    RAISE EXCEPTION 'invalid code segment %', coalesce(quote_literal(segment), 'NULL')
      USING ERRCODE = '22023',
            HINT = 'A segment is lower-case letters, digits and underscores, starting with a letter.';
  END IF;
  IF nullif(btrim(name), '') IS NULL THEN
    RAISE EXCEPTION 'a problem code needs a name'
      USING ERRCODE = 'null_value_not_allowed', DETAIL = format('code %s.', new_code);
  END IF;
  IF parent IS NOT NULL THEN
    PERFORM showroom.check_code(parent, NULL, 'parent code');
  END IF;
  IF EXISTS (SELECT 1 FROM showroom.problem_code p WHERE p.code = new_code) THEN
    RAISE EXCEPTION 'problem code % already exists', new_code
      USING ERRCODE = 'unique_violation', DETAIL = format('code %s.', new_code);
  END IF;
  INSERT INTO showroom.problem_code (code, parent, name) VALUES (new_code, parent, btrim(name));
  RETURN new_code;
END
$$;

COMMENT ON FUNCTION showroom.add_problem_code(text, text, text) IS
  'administrator: add a problem code under a branch; returns the new code';

-- problem_code_guard: refuse deleting a shipped code, a code with children
-- or a code in use, with a message that says where it is used.  The
-- foreign keys would refuse too; this says why in our words.
CREATE FUNCTION showroom.problem_code_guard()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  used_in text;
BEGIN
  IF OLD.builtin THEN
    RAISE EXCEPTION 'problem code % ships with showroom', OLD.code
      USING ERRCODE = 'SR408', DETAIL = format('%s is a built-in code.', OLD.code),
            HINT = 'Built-in codes cannot be deleted.';
  END IF;
  SELECT string_agg(u.what, ', ') INTO used_in
    FROM (SELECT 'child codes' AS what
           WHERE EXISTS (SELECT 1 FROM showroom.problem_code p WHERE p.parent = OLD.code)
          UNION ALL
          SELECT 'service orders'
           WHERE EXISTS (SELECT 1 FROM showroom.service_order o
                          WHERE OLD.code IN (o.symptom_code, o.result_code))
          UNION ALL
          SELECT 'the audit trail'
           WHERE EXISTS (SELECT 1 FROM showroom.service_trail t WHERE t.result_code = OLD.code)
          UNION ALL
          SELECT 'return visits'
           WHERE EXISTS (SELECT 1 FROM showroom.return_visit_answer a WHERE a.code = OLD.code)
          UNION ALL
          SELECT 'complaints'
           WHERE EXISTS (SELECT 1 FROM showroom.complaint c WHERE c.code = OLD.code)
          UNION ALL
          SELECT 'transitions'
           WHERE EXISTS (SELECT 1 FROM showroom.service_transition t
                          WHERE t.result_under = OLD.code)) u;
  IF used_in IS NOT NULL THEN
    RAISE EXCEPTION 'problem code % is in use', OLD.code
      USING ERRCODE = 'SR408', DETAIL = format('%s is used by %s.', OLD.code, used_in),
            HINT = 'A code in use stays; add a new code instead of reusing this one.';
  END IF;
  RETURN OLD;
END
$$;

COMMENT ON FUNCTION showroom.problem_code_guard() IS
  'trigger: refuse deleting a built-in code, a code with children or a code in use';

-- drop_problem_code: delete an unused code an administrator added.
CREATE FUNCTION showroom.drop_problem_code(code text)
RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  PERFORM showroom.require_workflow_admin('change the problem codes');
  PERFORM showroom.check_code(code, NULL, 'problem code');
  DELETE FROM showroom.problem_code p WHERE p.code = drop_problem_code.code;
END
$$;

COMMENT ON FUNCTION showroom.drop_problem_code(text) IS
  'administrator: delete a problem code nobody uses';

CREATE TRIGGER problem_code_guard
  BEFORE DELETE ON showroom.problem_code
  FOR EACH ROW EXECUTE FUNCTION showroom.problem_code_guard();

-- Return visits: the call to the customer after a job, with a score of 1
-- to 5 and coded answers.  The outlet and kind are copied from the order
-- at the time of the visit, so that a later change of the order does not
-- move the score to another outlet.
CREATE TABLE showroom.return_visit (
  id         bigserial PRIMARY KEY,
  order_id   bigint NOT NULL REFERENCES showroom.service_order (id),
  outlet_id  bigint NOT NULL REFERENCES showroom.outlet (id),
  kind       text NOT NULL REFERENCES showroom.service_kind (code),
  score      smallint NOT NULL CHECK (score BETWEEN 1 AND 5),
  note       text,
  visited_at timestamptz NOT NULL DEFAULT now(),
  done_by    name NOT NULL DEFAULT current_user,
  person     text DEFAULT nullif(current_setting('showroom.person', true), '')
);

CREATE INDEX return_visit_outlet_idx ON showroom.return_visit (outlet_id, kind, visited_at);
CREATE INDEX return_visit_order_idx ON showroom.return_visit (order_id);

COMMENT ON TABLE showroom.return_visit IS 'return visits: calls to customers after a job, with a score';
COMMENT ON COLUMN showroom.return_visit.id IS 'visit id';
COMMENT ON COLUMN showroom.return_visit.order_id IS 'service order called about';
COMMENT ON COLUMN showroom.return_visit.outlet_id IS 'outlet that did the job';
COMMENT ON COLUMN showroom.return_visit.kind IS 'kind of service of the job';
COMMENT ON COLUMN showroom.return_visit.score IS 'customer satisfaction, 1 (bad) to 5 (very good)';
COMMENT ON COLUMN showroom.return_visit.note IS 'what the customer said, in words';
COMMENT ON COLUMN showroom.return_visit.visited_at IS 'when the call was made';
COMMENT ON COLUMN showroom.return_visit.done_by IS 'role that recorded it';
COMMENT ON COLUMN showroom.return_visit.person IS 'person named by the application, if any';

SELECT pg_catalog.pg_extension_config_dump('showroom.return_visit', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.return_visit_id_seq', '');

CREATE TABLE showroom.return_visit_answer (
  visit_id bigint NOT NULL REFERENCES showroom.return_visit (id),
  code     text NOT NULL REFERENCES showroom.problem_code (code),
  PRIMARY KEY (visit_id, code)
);

CREATE INDEX return_visit_answer_code_idx ON showroom.return_visit_answer (code);

COMMENT ON TABLE showroom.return_visit_answer IS 'coded answers of return visits (codes under visit)';
COMMENT ON COLUMN showroom.return_visit_answer.visit_id IS 'return visit';
COMMENT ON COLUMN showroom.return_visit_answer.code IS 'answer code';

SELECT pg_catalog.pg_extension_config_dump('showroom.return_visit_answer', '');

-- recompute_satisfaction: recompute one outlet's satisfaction for one kind
-- of service from its return visits of the last workflow.satisfaction_days
-- days (mean score, two decimals); an outlet with no such visit loses its
-- row.  Returns the score, or NULL when there is none.
CREATE FUNCTION showroom.recompute_satisfaction(outlet_id bigint, kind text)
RETURNS numeric
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  days integer := showroom.setting_value('workflow.satisfaction_days')::integer;
  mean numeric;
  n integer;
BEGIN
  SELECT round(avg(v.score), 2), count(*) INTO mean, n
    FROM showroom.return_visit v
   WHERE v.outlet_id = recompute_satisfaction.outlet_id
     AND v.kind = recompute_satisfaction.kind
     AND v.visited_at > now() - make_interval(days => days);
  IF n = 0 THEN
    DELETE FROM showroom.outlet_satisfaction s
     WHERE s.outlet_id = recompute_satisfaction.outlet_id
       AND s.kind = recompute_satisfaction.kind;
    RETURN NULL;
  END IF;
  INSERT INTO showroom.outlet_satisfaction AS s (outlet_id, kind, score, visits, computed_at)
  VALUES (outlet_id, kind, mean, n, now())
  ON CONFLICT ON CONSTRAINT outlet_satisfaction_pkey DO UPDATE
    SET score = excluded.score, visits = excluded.visits, computed_at = excluded.computed_at;
  RETURN mean;
END
$$;

COMMENT ON FUNCTION showroom.recompute_satisfaction(bigint, text) IS
  'recompute an outlet''s satisfaction for a kind from the return visits of the window; returns the score';

-- recompute_all_satisfaction: recompute every outlet and kind that has a
-- row or a visit in the window (run daily, so that old visits age out).
-- Returns the number of pairs recomputed.
CREATE FUNCTION showroom.recompute_all_satisfaction()
RETURNS integer
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  days integer := showroom.setting_value('workflow.satisfaction_days')::integer;
  n integer := 0;
  p record;
BEGIN
  FOR p IN SELECT s.outlet_id, s.kind FROM showroom.outlet_satisfaction s
           UNION
           SELECT v.outlet_id, v.kind FROM showroom.return_visit v
            WHERE v.visited_at > now() - make_interval(days => days)
           ORDER BY 1, 2
  LOOP
    PERFORM showroom.recompute_satisfaction(p.outlet_id, p.kind);
    n := n + 1;
  END LOOP;
  RETURN n;
END
$$;

COMMENT ON FUNCTION showroom.recompute_all_satisfaction() IS
  'recompute the satisfaction of every outlet and kind; returns how many pairs';

-- record_return_visit: record the call after a job: the order must be done;
-- the score is 1 to 5 and the answers are codes under visit.  Moves the
-- order to return_visit and recomputes the outlet's satisfaction for the
-- order's kind.  visited_at may be earlier than now (a call typed in later),
-- never later.  Returns the visit id.
CREATE FUNCTION showroom.record_return_visit(order_id bigint, score integer,
                                             answers text[] DEFAULT '{}',
                                             note text DEFAULT NULL,
                                             visited_at timestamptz DEFAULT now())
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  o showroom.service_order;
  a text;
  visit bigint;
BEGIN
  o := showroom.service_order_row(order_id);
  IF o.state <> 'done' THEN
    RAISE EXCEPTION 'service order % is not done', order_id
      USING ERRCODE = 'SR413',
            DETAIL = format('Order %s is in state %s; a return visit follows a done job.',
                            order_id, o.state);
  END IF;
  IF score IS NULL OR score NOT BETWEEN 1 AND 5 THEN
    RAISE EXCEPTION 'score out of range'
      USING ERRCODE = 'numeric_value_out_of_range',
            DETAIL = format('score = %s.', coalesce(score::text, 'NULL')),
            HINT = 'A score is 1 (bad) to 5 (very good).';
  END IF;
  IF visited_at IS NULL OR visited_at > now() OR visited_at < o.done_at THEN
    RAISE EXCEPTION 'invalid visit time'
      USING ERRCODE = '22023',
            DETAIL = CASE WHEN visited_at IS NULL THEN 'visited_at is NULL.'
                          WHEN visited_at > now() THEN 'visited_at lies in the future.'
                          ELSE format('visited_at lies before order %s was done.', order_id) END,
            HINT = 'A visit happens after the job and not in the future.';
  END IF;
  FOREACH a IN ARRAY coalesce(answers, '{}') LOOP
    PERFORM showroom.check_code(a, 'visit', 'answer code');
  END LOOP;

  INSERT INTO showroom.return_visit (order_id, outlet_id, kind, score, note, visited_at)
  VALUES (order_id, o.outlet_id, o.kind, score, note, visited_at)
  RETURNING id INTO visit;
  INSERT INTO showroom.return_visit_answer (visit_id, code)
  SELECT DISTINCT visit, x FROM unnest(answers) x;
  PERFORM showroom.move_order(order_id, 'return_visit', NULL,
                              format('return visit %s: score %s', visit, score));
  PERFORM showroom.recompute_satisfaction(o.outlet_id, o.kind);
  RETURN visit;
END
$$;

COMMENT ON FUNCTION showroom.record_return_visit(bigint, integer, text[], text, timestamptz) IS
  'record the return visit of a done order (score 1-5, answer codes); moves it to return_visit and recomputes satisfaction';

-- Complaints: a customer's complaint about an order and its outlet.
CREATE TABLE showroom.complaint (
  id          bigserial PRIMARY KEY,
  order_id    bigint NOT NULL REFERENCES showroom.service_order (id),
  outlet_id   bigint REFERENCES showroom.outlet (id),
  code        text NOT NULL REFERENCES showroom.problem_code (code),
  state       text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'upheld', 'rejected')),
  note        text,
  resolution  text,
  opened_at   timestamptz NOT NULL DEFAULT now(),
  opened_by   name NOT NULL DEFAULT current_user,
  resolved_at timestamptz,
  resolved_by name,
  CHECK ((state = 'open') = (resolved_at IS NULL)),
  CHECK (state = 'open' OR resolution IS NOT NULL)
);

CREATE INDEX complaint_outlet_idx ON showroom.complaint (outlet_id, opened_at);
CREATE INDEX complaint_order_idx ON showroom.complaint (order_id);

COMMENT ON TABLE showroom.complaint IS 'customer complaints about service orders, per outlet';
COMMENT ON COLUMN showroom.complaint.id IS 'complaint id';
COMMENT ON COLUMN showroom.complaint.order_id IS 'service order complained about';
COMMENT ON COLUMN showroom.complaint.outlet_id IS 'outlet of the order when the complaint came in (NULL when it had none)';
COMMENT ON COLUMN showroom.complaint.code IS 'what the complaint is about (a code under feedback)';
COMMENT ON COLUMN showroom.complaint.state IS 'open, upheld (the outlet was at fault) or rejected (it was not)';
COMMENT ON COLUMN showroom.complaint.note IS 'what the customer said';
COMMENT ON COLUMN showroom.complaint.resolution IS 'how it was resolved';
COMMENT ON COLUMN showroom.complaint.opened_at IS 'when it came in';
COMMENT ON COLUMN showroom.complaint.opened_by IS 'role that recorded it';
COMMENT ON COLUMN showroom.complaint.resolved_at IS 'when it was resolved';
COMMENT ON COLUMN showroom.complaint.resolved_by IS 'role that resolved it';

SELECT pg_catalog.pg_extension_config_dump('showroom.complaint', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.complaint_id_seq', '');

-- The complaint rule's decisions: one row each time it suspended an outlet,
-- with the figures it saw.
CREATE TABLE showroom.complaint_rule_hit (
  id         bigserial PRIMARY KEY,
  outlet_id  bigint NOT NULL REFERENCES showroom.outlet (id),
  at         timestamptz NOT NULL DEFAULT now(),
  complaints integer NOT NULL,
  jobs       integer NOT NULL,
  max_rate   numeric NOT NULL,
  window_days integer NOT NULL,
  reason     text NOT NULL
);

COMMENT ON TABLE showroom.complaint_rule_hit IS 'suspensions made by the complaint rule, with the figures it saw';
COMMENT ON COLUMN showroom.complaint_rule_hit.id IS 'row id';
COMMENT ON COLUMN showroom.complaint_rule_hit.outlet_id IS 'outlet suspended';
COMMENT ON COLUMN showroom.complaint_rule_hit.at IS 'when';
COMMENT ON COLUMN showroom.complaint_rule_hit.complaints IS 'complaints (not rejected) in the window';
COMMENT ON COLUMN showroom.complaint_rule_hit.jobs IS 'jobs the outlet completed in the window';
COMMENT ON COLUMN showroom.complaint_rule_hit.max_rate IS 'the rule''s limit on complaints per job';
COMMENT ON COLUMN showroom.complaint_rule_hit.window_days IS 'the rule''s window in days';
COMMENT ON COLUMN showroom.complaint_rule_hit.reason IS 'reason passed to suspend_outlet()';

SELECT pg_catalog.pg_extension_config_dump('showroom.complaint_rule_hit', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.complaint_rule_hit_id_seq', '');

-- check_complaint_rule: apply the complaint rule to one outlet: when it
-- completed at least workflow.complaint_min_jobs jobs in the last
-- workflow.complaint_days days and its complaints of that window (not
-- rejected) exceed workflow.complaint_max_rate of them, suspend it.  An
-- outlet already suspended is left as it is.  Returns whether it suspended.
CREATE FUNCTION showroom.check_complaint_rule(outlet_id bigint)
RETURNS boolean
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  days integer := showroom.setting_value('workflow.complaint_days')::integer;
  min_jobs integer := showroom.setting_value('workflow.complaint_min_jobs')::integer;
  max_rate numeric := showroom.setting_value('workflow.complaint_max_rate')::numeric;
  suspended timestamptz;
  n_jobs integer;
  n_complaints integer;
  why text;
BEGIN
  SELECT o.suspended_at INTO suspended FROM showroom.outlet o
   WHERE o.id = outlet_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown outlet %', outlet_id
      USING ERRCODE = 'SR201', DETAIL = format('There is no outlet with id %s.', outlet_id);
  END IF;
  IF suspended IS NOT NULL THEN
    RETURN false;
  END IF;

  SELECT count(*) INTO n_jobs FROM showroom.service_order so
   WHERE so.outlet_id = check_complaint_rule.outlet_id
     AND so.done_at > now() - make_interval(days => days);
  SELECT count(*) INTO n_complaints FROM showroom.complaint c
   WHERE c.outlet_id = check_complaint_rule.outlet_id AND c.state <> 'rejected'
     AND c.opened_at > now() - make_interval(days => days);
  IF n_jobs < min_jobs OR n_complaints <= max_rate * n_jobs THEN
    RETURN false;
  END IF;

  why := format('complaint rule: %s complaints on %s jobs in %s days (limit %s%%)',
                n_complaints, n_jobs, days, round(max_rate * 100, 2));
  PERFORM showroom.suspend_outlet(outlet_id, why);
  INSERT INTO showroom.complaint_rule_hit (outlet_id, complaints, jobs, max_rate, window_days, reason)
  VALUES (outlet_id, n_complaints, n_jobs, max_rate, days, why);
  RETURN true;
END
$$;

COMMENT ON FUNCTION showroom.check_complaint_rule(bigint) IS
  'suspend an outlet whose complaint rate in the window exceeds the limit; returns whether it did';

-- file_complaint: record a complaint about a service order (code under
-- feedback) against the order's outlet, then apply the complaint rule to
-- that outlet.  Returns the complaint id.
CREATE FUNCTION showroom.file_complaint(order_id bigint, code text, note text DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  o showroom.service_order;
  new_id bigint;
BEGIN
  o := showroom.service_order_row(order_id);
  PERFORM showroom.check_code(code, 'feedback', 'complaint code');
  INSERT INTO showroom.complaint (order_id, outlet_id, code, note)
  VALUES (order_id, o.outlet_id, code, note)
  RETURNING id INTO new_id;
  IF o.outlet_id IS NOT NULL THEN
    PERFORM showroom.check_complaint_rule(o.outlet_id);
  END IF;
  RETURN new_id;
END
$$;

COMMENT ON FUNCTION showroom.file_complaint(bigint, text, text) IS
  'record a complaint about a service order and apply the complaint rule to its outlet; returns the id';

-- resolve_complaint: close an open complaint as upheld (the outlet was at
-- fault) or rejected (it was not; it no longer counts for the rule), with
-- the resolution in words.
CREATE FUNCTION showroom.resolve_complaint(complaint_id bigint, upheld boolean,
                                           resolution text)
RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  c showroom.complaint;
BEGIN
  IF upheld IS NULL OR nullif(btrim(resolution), '') IS NULL THEN
    RAISE EXCEPTION 'resolving a complaint needs upheld and a resolution'
      USING ERRCODE = 'null_value_not_allowed',
            DETAIL = format('complaint %s, upheld = %s, resolution = %s.',
                            coalesce(complaint_id::text, 'NULL'), coalesce(upheld::text, 'NULL'),
                            coalesce(quote_literal(resolution), 'NULL'));
  END IF;
  SELECT * INTO c FROM showroom.complaint x WHERE x.id = complaint_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown complaint %', coalesce(complaint_id::text, 'NULL')
      USING ERRCODE = 'SR410',
            DETAIL = format('There is no complaint with id %s.', coalesce(complaint_id::text, 'NULL'));
  END IF;
  IF c.state <> 'open' THEN
    RAISE EXCEPTION 'complaint % is already resolved', complaint_id
      USING ERRCODE = 'SR411',
            DETAIL = format('Complaint %s is %s: %s', complaint_id, c.state, c.resolution);
  END IF;
  UPDATE showroom.complaint x
     SET state = CASE WHEN upheld THEN 'upheld' ELSE 'rejected' END,
         resolution = btrim(resolve_complaint.resolution),
         resolved_at = now(), resolved_by = current_user
   WHERE x.id = complaint_id;
END
$$;

COMMENT ON FUNCTION showroom.resolve_complaint(bigint, boolean, text) IS
  'resolve an open complaint as upheld or rejected, with the resolution';

-- Service level: live orders past their kind's due time.
CREATE VIEW showroom.overdue_service_orders AS
SELECT o.id, o.kind, o.category, o.state, o.outlet_id, o.service_date,
       o.created_at,
       o.created_at + make_interval(hours => k.due_hours) AS due_at,
       now() - (o.created_at + make_interval(hours => k.due_hours)) AS overdue_by
  FROM showroom.service_order o
  JOIN showroom.service_kind k ON k.code = o.kind
  JOIN showroom.service_state s ON s.code = o.state
 WHERE s.live
   AND o.created_at + make_interval(hours => k.due_hours) < now();

COMMENT ON VIEW showroom.overdue_service_orders IS
  'live service orders past their service level (created_at plus the kind''s due_hours)';
COMMENT ON COLUMN showroom.overdue_service_orders.id IS 'service order id';
COMMENT ON COLUMN showroom.overdue_service_orders.kind IS 'kind of service';
COMMENT ON COLUMN showroom.overdue_service_orders.category IS 'product category';
COMMENT ON COLUMN showroom.overdue_service_orders.state IS 'workflow state';
COMMENT ON COLUMN showroom.overdue_service_orders.outlet_id IS 'outlet assigned, if any';
COMMENT ON COLUMN showroom.overdue_service_orders.service_date IS 'date the job was wanted';
COMMENT ON COLUMN showroom.overdue_service_orders.created_at IS 'when it was requested';
COMMENT ON COLUMN showroom.overdue_service_orders.due_at IS 'when it was due';
COMMENT ON COLUMN showroom.overdue_service_orders.overdue_by IS 'how long past due';

-- Service level of every order: due time, completion and lateness (read
-- by settlement for late-job penalties).
CREATE VIEW showroom.service_levels AS
SELECT o.id, o.kind, o.outlet_id, o.created_at,
       o.created_at + make_interval(hours => k.due_hours) AS due_at,
       o.done_at,
       o.done_at > o.created_at + make_interval(hours => k.due_hours) AS late
  FROM showroom.service_order o
  JOIN showroom.service_kind k ON k.code = o.kind;

COMMENT ON VIEW showroom.service_levels IS 'every service order with its due time, completion time and lateness';
COMMENT ON COLUMN showroom.service_levels.id IS 'service order id';
COMMENT ON COLUMN showroom.service_levels.kind IS 'kind of service';
COMMENT ON COLUMN showroom.service_levels.outlet_id IS 'outlet assigned, if any';
COMMENT ON COLUMN showroom.service_levels.created_at IS 'when it was requested';
COMMENT ON COLUMN showroom.service_levels.due_at IS 'when it is due';
COMMENT ON COLUMN showroom.service_levels.done_at IS 'when it was last done (NULL if never)';
COMMENT ON COLUMN showroom.service_levels.late IS 'done after the due time (NULL if not done)';
