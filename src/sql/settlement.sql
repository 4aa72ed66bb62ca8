
--
-- settlement: the tariff type, money helpers, fee rules, statements and
-- their lines, closing, cash on delivery.
--

--
-- The tariff type: a fee schedule by distance band, written the way a
-- finance clerk reads it, "0-5km: 30.00; 5-20km: 45.00; 20km+: 45.00 +
-- 1.50/km".  Its C side is tariff.c and tariff_parse.c; doc/tariff.md
-- has the grammar.
--
CREATE TYPE showroom.tariff;

CREATE FUNCTION showroom.tariff_in(cstring)
RETURNS showroom.tariff
LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'tariff_in';

CREATE FUNCTION showroom.tariff_out(showroom.tariff)
RETURNS cstring
LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'tariff_out';

CREATE FUNCTION showroom.tariff_recv(internal)
RETURNS showroom.tariff
LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'tariff_recv';

CREATE FUNCTION showroom.tariff_send(showroom.tariff)
RETURNS bytea
LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'tariff_send';

CREATE TYPE showroom.tariff (
  INPUT = showroom.tariff_in,
  OUTPUT = showroom.tariff_out,
  RECEIVE = showroom.tariff_recv,
  SEND = showroom.tariff_send,
  INTERNALLENGTH = VARIABLE,
  ALIGNMENT = double,
  STORAGE = main
);

COMMENT ON TYPE showroom.tariff IS
  'fee schedule by distance band, e.g. ''0-5km: 30.00; 5-20km: 45.00; 20km+: 45.00 + 1.50/km''';
COMMENT ON FUNCTION showroom.tariff_in(cstring) IS 'text input of tariff (raises SR501 with the position of the fault)';
COMMENT ON FUNCTION showroom.tariff_out(showroom.tariff) IS 'canonical text output of tariff';
COMMENT ON FUNCTION showroom.tariff_recv(internal) IS 'binary input of tariff, checked like text input';
COMMENT ON FUNCTION showroom.tariff_send(showroom.tariff) IS 'binary output of tariff';

CREATE FUNCTION showroom.tariff_eq(showroom.tariff, showroom.tariff)
RETURNS boolean
LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'tariff_eq';

CREATE FUNCTION showroom.tariff_ne(showroom.tariff, showroom.tariff)
RETURNS boolean
LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'tariff_ne';

COMMENT ON FUNCTION showroom.tariff_eq(showroom.tariff, showroom.tariff) IS 'whether two tariffs have the same bands';
COMMENT ON FUNCTION showroom.tariff_ne(showroom.tariff, showroom.tariff) IS 'whether two tariffs differ in some band';

CREATE OPERATOR showroom.= (
  LEFTARG = showroom.tariff, RIGHTARG = showroom.tariff,
  FUNCTION = showroom.tariff_eq,
  COMMUTATOR = OPERATOR(showroom.=), NEGATOR = OPERATOR(showroom.<>),
  RESTRICT = eqsel, JOIN = eqjoinsel
);

CREATE OPERATOR showroom.<> (
  LEFTARG = showroom.tariff, RIGHTARG = showroom.tariff,
  FUNCTION = showroom.tariff_ne,
  COMMUTATOR = OPERATOR(showroom.<>), NEGATOR = OPERATOR(showroom.=),
  RESTRICT = neqsel, JOIN = neqjoinsel
);

COMMENT ON OPERATOR showroom.= (showroom.tariff, showroom.tariff) IS 'tariffs are equal';
COMMENT ON OPERATOR showroom.<> (showroom.tariff, showroom.tariff) IS 'tariffs differ';

-- tariff_fee: the fee in fen for a job the given metres away.
CREATE FUNCTION showroom.tariff_fee(t showroom.tariff, metres double precision)
RETURNS bigint
LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'tariff_fee_fen';

COMMENT ON FUNCTION showroom.tariff_fee(showroom.tariff, double precision) IS
  'fee in fen for a job this many metres away: the band''s fixed fee plus its rate per km beyond the band''s start, rounded half up once';

--
-- Money.  Whole fen in bigint; numeric(14,2) yuan only at the edges.
--

-- fen_to_yuan: fen shown as yuan with two decimals.
CREATE FUNCTION showroom.fen_to_yuan(fen bigint)
RETURNS numeric(14,2)
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN (fen::numeric / 100)::numeric(14,2);

COMMENT ON FUNCTION showroom.fen_to_yuan(bigint) IS
  'an amount in fen as numeric(14,2) yuan';

-- yuan_to_fen: yuan with at most two decimals, as whole fen.
CREATE FUNCTION showroom.yuan_to_fen(yuan numeric)
RETURNS bigint
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF yuan <> round(yuan, 2) THEN
    RAISE EXCEPTION 'amount has more than two decimals'
      USING ERRCODE = '22023',
            DETAIL = format('Amount is %s yuan; the smallest unit is 0.01.', yuan);
  END IF;
  IF abs(yuan) > 999999999999.99 THEN
    RAISE EXCEPTION 'amount out of range'
      USING ERRCODE = 'SR505',
            DETAIL = format('Amount is %s yuan; numeric(14,2) holds at most 999999999999.99.', yuan);
  END IF;
  RETURN (yuan * 100)::bigint;
END
$$;

COMMENT ON FUNCTION showroom.yuan_to_fen(numeric) IS
  'yuan (at most two decimals) as whole fen; raises 22023 or SR505 otherwise';

-- money_line: price a line in fen; rates in basis points (1/100 of 1%).
CREATE FUNCTION showroom.money_line(qty integer, unit_fen bigint,
                                    discount_bp integer, tax_bp integer,
                                    OUT net_fen bigint, OUT tax_fen bigint,
                                    OUT gross_fen bigint)
RETURNS record
LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'money_line_fen';

COMMENT ON FUNCTION showroom.money_line(integer, bigint, integer, integer) IS
  'net (after discount, rounded half up), tax on the rounded net (rounded half up) and gross of qty units, in fen; rates in basis points';

-- line_amounts: the same in yuan and percent, as a clerk writes them.
CREATE FUNCTION showroom.line_amounts(qty integer, unit_price numeric,
                                      discount_pct numeric, tax_pct numeric,
                                      OUT net numeric(14,2), OUT tax numeric(14,2),
                                      OUT gross numeric(14,2))
RETURNS record
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  m record;
BEGIN
  IF discount_pct <> round(discount_pct, 2) OR tax_pct <> round(tax_pct, 2) THEN
    RAISE EXCEPTION 'rate has more than two decimals'
      USING ERRCODE = '22023',
            DETAIL = format('Discount is %s%%, tax %s%%.', discount_pct, tax_pct);
  END IF;
  IF discount_pct NOT BETWEEN 0 AND 100 OR tax_pct NOT BETWEEN 0 AND 100 THEN
    RAISE EXCEPTION 'discount and tax rates must lie between 0%% and 100%%'
      USING ERRCODE = '22023',
            DETAIL = format('Discount is %s%%, tax %s%%.', discount_pct, tax_pct);
  END IF;
  m := showroom.money_line(qty, showroom.yuan_to_fen(unit_price),
                           (discount_pct * 100)::integer, (tax_pct * 100)::integer);
  net := showroom.fen_to_yuan(m.net_fen);
  tax := showroom.fen_to_yuan(m.tax_fen);
  gross := showroom.fen_to_yuan(m.gross_fen);
END
$$;

COMMENT ON FUNCTION showroom.line_amounts(integer, numeric, numeric, numeric) IS
  'net, tax and gross in yuan of qty units at unit_price less discount_pct%, plus tax_pct% on the rounded net';

--
-- Fee rules.  A fee schedule names a pair (service kind, product category);
-- its rules give the tariff in force over date ranges that never overlap.
-- The exclusion constraint uses only core PostgreSQL (no btree_gist): each
-- rule's key folds the schedule id and the validity range into one int8
-- range, schedule_id * 2^20 + days since 2000-01-01, so two keys overlap
-- exactly when the schedule is the same and the ranges overlap.  Validity
-- is therefore limited to 2000-01-01 .. 2999-12-31 (365,242 days < 2^20).
--

CREATE TABLE showroom.fee_schedule (
  id       bigserial PRIMARY KEY,
  kind     text NOT NULL REFERENCES showroom.service_kind (code),
  category text NOT NULL REFERENCES showroom.category (code),
  UNIQUE (kind, category)
);

COMMENT ON TABLE showroom.fee_schedule IS 'pairs of service kind and product category that have fee rules';
COMMENT ON COLUMN showroom.fee_schedule.id IS 'schedule id';
COMMENT ON COLUMN showroom.fee_schedule.kind IS 'service kind';
COMMENT ON COLUMN showroom.fee_schedule.category IS 'product category';

SELECT pg_catalog.pg_extension_config_dump('showroom.fee_schedule', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.fee_schedule_id_seq', '');

-- fee_rule_key: the exclusion key of a rule (see above).
CREATE FUNCTION showroom.fee_rule_key(schedule_id bigint, valid daterange)
RETURNS int8range
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN pg_catalog.int8range(
  schedule_id * 1048576 + (pg_catalog.lower(valid) - date '2000-01-01'),
  schedule_id * 1048576 + coalesce(pg_catalog.upper(valid) - date '2000-01-01', 1048575));

COMMENT ON FUNCTION showroom.fee_rule_key(bigint, daterange) IS
  'exclusion key of a fee rule: schedule id and validity folded into one int8range';

CREATE TABLE showroom.fee_rule (
  id          bigserial PRIMARY KEY,
  schedule_id bigint NOT NULL REFERENCES showroom.fee_schedule (id),
  valid       daterange NOT NULL
                CHECK (NOT isempty(valid) AND NOT lower_inf(valid)
                       AND lower(valid) >= date '2000-01-01'
                       AND (upper_inf(valid) OR upper(valid) <= date '3000-01-01')),
  tariff      showroom.tariff NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  created_by  name NOT NULL DEFAULT current_user,
  CONSTRAINT fee_rule_no_overlap
    EXCLUDE USING gist (showroom.fee_rule_key(schedule_id, valid) WITH &&)
);

CREATE INDEX fee_rule_schedule_idx ON showroom.fee_rule (schedule_id);

COMMENT ON TABLE showroom.fee_rule IS 'tariff of a service kind and category over a validity range; versions of one pair never overlap';
COMMENT ON COLUMN showroom.fee_rule.id IS 'rule id';
COMMENT ON COLUMN showroom.fee_rule.schedule_id IS 'kind and category the rule prices';
COMMENT ON COLUMN showroom.fee_rule.valid IS 'business dates the rule is in force, [from, to)';
COMMENT ON COLUMN showroom.fee_rule.tariff IS 'fee schedule by distance';
COMMENT ON COLUMN showroom.fee_rule.created_at IS 'when the rule was recorded';
COMMENT ON COLUMN showroom.fee_rule.created_by IS 'role that recorded it';

SELECT pg_catalog.pg_extension_config_dump('showroom.fee_rule', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.fee_rule_id_seq', '');

-- add_fee_rule: record the tariff of a kind and category from valid_from
-- until valid_to (exclusive; NULL for open-ended).
CREATE FUNCTION showroom.add_fee_rule(kind text, category text, valid_from date,
                                      valid_to date, tariff showroom.tariff)
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  sid bigint;
  rid bigint;
  clash record;
BEGIN
  IF kind IS NULL OR category IS NULL OR valid_from IS NULL OR tariff IS NULL THEN
    RAISE EXCEPTION 'kind, category, valid_from and tariff must not be null'
      USING ERRCODE = 'null_value_not_allowed';
  END IF;
  PERFORM showroom.check_day('valid_from', valid_from);
  IF NOT EXISTS (SELECT 1 FROM showroom.service_kind k WHERE k.code = add_fee_rule.kind) THEN
    RAISE EXCEPTION 'unknown service kind "%"', kind USING ERRCODE = 'SR207';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM showroom.category c WHERE c.code = add_fee_rule.category) THEN
    RAISE EXCEPTION 'unknown product category "%"', category USING ERRCODE = '22023';
  END IF;
  IF valid_to IS NOT NULL AND valid_to <= valid_from
     OR valid_from < date '2000-01-01' OR valid_to > date '3000-01-01' THEN
    RAISE EXCEPTION 'invalid validity range for a fee rule'
      USING ERRCODE = '22023',
            DETAIL = format('From %s to %s; the range must be non-empty and within 2000-01-01 .. 3000-01-01.',
                            valid_from, coalesce(valid_to::text, 'open end'));
  END IF;

  INSERT INTO showroom.fee_schedule AS f (kind, category)
  VALUES (add_fee_rule.kind, add_fee_rule.category)
  ON CONFLICT ON CONSTRAINT fee_schedule_kind_category_key DO NOTHING;
  SELECT f.id INTO STRICT sid FROM showroom.fee_schedule f
   WHERE f.kind = add_fee_rule.kind AND f.category = add_fee_rule.category;

  BEGIN
    INSERT INTO showroom.fee_rule (schedule_id, valid, tariff)
    VALUES (sid, daterange(valid_from, valid_to), add_fee_rule.tariff)
    RETURNING id INTO rid;
  EXCEPTION WHEN exclusion_violation THEN
    SELECT r.id, r.valid INTO clash FROM showroom.fee_rule r
     WHERE r.schedule_id = sid AND r.valid && daterange(valid_from, valid_to)
     ORDER BY lower(r.valid) LIMIT 1;
    RAISE EXCEPTION 'fee rule overlaps an existing one'
      USING ERRCODE = 'SR504',
            DETAIL = format('%s/%s from %s to %s overlaps rule %s valid %s.',
                            kind, category, valid_from,
                            coalesce(valid_to::text, 'open end'), clash.id, clash.valid),
            HINT = 'End the existing rule first with end_fee_rule().';
  END;
  RETURN rid;
END
$$;

COMMENT ON FUNCTION showroom.add_fee_rule(text, text, date, date, showroom.tariff) IS
  'record a tariff for a service kind and category over [valid_from, valid_to); raises SR504 on overlap';

-- end_fee_rule: end an open or later-ending rule on a date (exclusive).
CREATE FUNCTION showroom.end_fee_rule(rule_id bigint, valid_to date)
RETURNS daterange
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  r record;
BEGIN
  SELECT * INTO r FROM showroom.fee_rule WHERE id = rule_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown fee rule %', rule_id USING ERRCODE = 'SR504';
  END IF;
  IF valid_to <= lower(r.valid) OR (NOT upper_inf(r.valid) AND valid_to > upper(r.valid)) THEN
    RAISE EXCEPTION 'invalid end for fee rule %', rule_id
      USING ERRCODE = '22023',
            DETAIL = format('Rule is valid %s; %s does not shorten it.', r.valid, valid_to);
  END IF;
  UPDATE showroom.fee_rule SET valid = daterange(lower(r.valid), valid_to)
   WHERE id = rule_id;
  RETURN daterange(lower(r.valid), valid_to);
END
$$;

COMMENT ON FUNCTION showroom.end_fee_rule(bigint, date) IS
  'shorten a fee rule so that it ends before valid_to';

-- fee_tariff: the tariff in force for a kind and category on a date.
CREATE FUNCTION showroom.fee_tariff(kind text, category text, on_date date)
RETURNS showroom.tariff
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT r.tariff FROM showroom.fee_rule r
    JOIN showroom.fee_schedule f ON f.id = r.schedule_id
   WHERE f.kind = fee_tariff.kind AND f.category = fee_tariff.category
     AND r.valid @> on_date;
END;

COMMENT ON FUNCTION showroom.fee_tariff(text, text, date) IS
  'tariff in force for a service kind and category on a date, or NULL';

CREATE VIEW showroom.fee_rules AS
SELECT r.id, f.kind, f.category, lower(r.valid) AS valid_from,
       upper(r.valid) AS valid_to, r.tariff::text AS tariff
  FROM showroom.fee_rule r JOIN showroom.fee_schedule f ON f.id = r.schedule_id;

COMMENT ON VIEW showroom.fee_rules IS 'fee rules with their kind, category and validity, readable';
COMMENT ON COLUMN showroom.fee_rules.id IS 'rule id';
COMMENT ON COLUMN showroom.fee_rules.kind IS 'service kind';
COMMENT ON COLUMN showroom.fee_rules.category IS 'product category';
COMMENT ON COLUMN showroom.fee_rules.valid_from IS 'first business date in force';
COMMENT ON COLUMN showroom.fee_rules.valid_to IS 'first business date no longer in force, NULL if open';
COMMENT ON COLUMN showroom.fee_rules.tariff IS 'the tariff in canonical text';

--
-- Settings of settlement: the penalty amounts, in fen.
--
INSERT INTO showroom.setting_default (name, value, value_type, description) VALUES
  ('settlement.complaint_penalty_fen', '5000', 'bigint',
   'fen deducted from an outlet per complaint against one of its orders'),
  ('settlement.late_penalty_fen', '2000', 'bigint',
   'fen deducted per order completed later than its kind''s due hours'),
  ('settlement.second_delivery_penalty_fen', '3000', 'bigint',
   'fen deducted from the outlet whose fault caused a second delivery');

--
-- Statements: one per outlet and period (a calendar month in the business
-- time zone, named by its first day).  Lines are the components; the total
-- is always the sum of the lines, each rounded once when written.
--

CREATE TABLE showroom.statement (
  id         bigserial PRIMARY KEY,
  outlet_id  bigint NOT NULL REFERENCES showroom.outlet (id),
  period     date NOT NULL CHECK (period = date_trunc('month', period)::date),
  state      text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed')),
  total_fen  bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  closed_at  timestamptz,
  closed_by  name,
  UNIQUE (outlet_id, period),
  CHECK ((state = 'closed') = (closed_at IS NOT NULL AND total_fen IS NOT NULL))
);

COMMENT ON TABLE showroom.statement IS 'settlement statement of one outlet for one month; immutable once closed';
COMMENT ON COLUMN showroom.statement.id IS 'statement id';
COMMENT ON COLUMN showroom.statement.outlet_id IS 'outlet settled';
COMMENT ON COLUMN showroom.statement.period IS 'first day of the month settled (business time zone)';
COMMENT ON COLUMN showroom.statement.state IS 'open (lines may be added) or closed (immutable)';
COMMENT ON COLUMN showroom.statement.total_fen IS 'sum of the lines, fixed at closing; NULL while open';
COMMENT ON COLUMN showroom.statement.created_at IS 'when the statement was opened';
COMMENT ON COLUMN showroom.statement.closed_at IS 'when it was closed';
COMMENT ON COLUMN showroom.statement.closed_by IS 'who closed it';

SELECT pg_catalog.pg_extension_config_dump('showroom.statement', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.statement_id_seq', '');

-- One row per call of settle(), for the audit trail and the lines it added.
CREATE TABLE showroom.settlement_run (
  id          bigserial PRIMARY KEY,
  period      date NOT NULL,
  outlet_id   bigint,
  started_at  timestamptz NOT NULL DEFAULT now(),
  run_by      name NOT NULL DEFAULT current_user,
  person      text DEFAULT current_setting('showroom.person', true),
  lines_added bigint
);

COMMENT ON TABLE showroom.settlement_run IS 'each settlement run: period, scope, who ran it and how many lines it added';
COMMENT ON COLUMN showroom.settlement_run.id IS 'run id';
COMMENT ON COLUMN showroom.settlement_run.period IS 'month settled';
COMMENT ON COLUMN showroom.settlement_run.outlet_id IS 'outlet settled, NULL for all';
COMMENT ON COLUMN showroom.settlement_run.started_at IS 'when the run started';
COMMENT ON COLUMN showroom.settlement_run.run_by IS 'database role that ran it';
COMMENT ON COLUMN showroom.settlement_run.person IS 'acting person passed by the application, if any';
COMMENT ON COLUMN showroom.settlement_run.lines_added IS 'lines the run wrote';

SELECT pg_catalog.pg_extension_config_dump('showroom.settlement_run', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.settlement_run_id_seq', '');

-- Lines carry no foreign keys: a per-row referential check costs more than
-- the insert itself on a run of a million orders.  The statement-level
-- insert trigger below checks, once per INSERT, that every line's
-- statement exists and is open and that every adjusted line exists, and
-- statement_guard refuses to delete a statement that has lines.
CREATE TABLE showroom.statement_line (
  id             bigserial PRIMARY KEY,
  statement_id   bigint NOT NULL,
  component      text NOT NULL CHECK (component IN
                   ('service_fee', 'parts', 'complaint_penalty', 'late_penalty',
                    'second_delivery_penalty', 'cod_collected', 'cod_remitted',
                    'service_grade_cut', 'fee_items', 'penalty', 'unpaid_redo',
                    'grade_cut', 'deposit_withheld', 'deposit_released',
                    'ladder_deposit', 'adjustment')),
  source_id      bigint NOT NULL,
  service_order_id bigint,
  amount_fen     bigint NOT NULL,
  distance_m     integer,
  note           text,
  adjusts_line_id bigint,
  run_id         bigint,
  created_at     timestamptz NOT NULL DEFAULT now(),
  CHECK ((component = 'adjustment') = (adjusts_line_id IS NOT NULL))
);

-- The exactly-once guard: one line per component of each source row.
-- Adjustments are the exception (a line may be corrected more than once).
CREATE UNIQUE INDEX statement_line_once_idx
  ON showroom.statement_line (component, source_id)
  WHERE component <> 'adjustment';
CREATE INDEX statement_line_statement_idx ON showroom.statement_line (statement_id);
-- The adjustments of a line (few: most lines have none).
CREATE INDEX statement_line_adjusts_idx ON showroom.statement_line (adjusts_line_id)
  WHERE adjusts_line_id IS NOT NULL;

COMMENT ON TABLE showroom.statement_line IS 'one component of a statement: a fee, parts, a penalty, COD or an adjustment; append-only';
COMMENT ON COLUMN showroom.statement_line.id IS 'line id';
COMMENT ON COLUMN showroom.statement_line.statement_id IS 'statement it belongs to';
COMMENT ON COLUMN showroom.statement_line.component IS 'what the line pays or deducts';
COMMENT ON COLUMN showroom.statement_line.source_id IS 'row it settles: service order (also for the outlet-amount components), part use, complaint, defect, COD collection or remittance, ladder suspension; for an adjustment, the line adjusted';
COMMENT ON COLUMN showroom.statement_line.service_order_id IS 'service order concerned, if any';
COMMENT ON COLUMN showroom.statement_line.amount_fen IS 'amount in fen, rounded once: positive is owed to the outlet, negative deducted';
COMMENT ON COLUMN showroom.statement_line.distance_m IS 'distance priced, metres on the spheroid (service fees only)';
COMMENT ON COLUMN showroom.statement_line.note IS 'reason of an adjustment, or a short description';
COMMENT ON COLUMN showroom.statement_line.adjusts_line_id IS 'line this adjustment corrects (usually of an earlier, closed statement)';
COMMENT ON COLUMN showroom.statement_line.run_id IS 'settlement run that wrote it';
COMMENT ON COLUMN showroom.statement_line.created_at IS 'when it was written';

SELECT pg_catalog.pg_extension_config_dump('showroom.statement_line', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.statement_line_id_seq', '');

--
-- Immutability.  Triggers, so that they hold for every role that reaches
-- the tables, the owner included: a closed statement cannot change or go,
-- a line is never updated, a closed statement's lines cannot be deleted
-- and no line may be added to a closed statement.
--

CREATE FUNCTION showroom.statement_guard()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    IF EXISTS (SELECT 1 FROM showroom.statement WHERE state = 'closed') THEN
      RAISE EXCEPTION 'closed statements cannot be truncated' USING ERRCODE = 'SR503';
    END IF;
    IF EXISTS (SELECT 1 FROM showroom.statement_line) THEN
      RAISE EXCEPTION 'statements with lines cannot be truncated'
        USING ERRCODE = 'foreign_key_violation',
              HINT = 'Truncate showroom.statement_line first.';
    END IF;
    RETURN NULL;
  END IF;
  IF OLD.state = 'closed' THEN
    RAISE EXCEPTION 'statement % is closed', OLD.id
      USING ERRCODE = 'SR503',
            DETAIL = format('Statement of outlet %s for %s was closed by %s.',
                            OLD.outlet_id, to_char(OLD.period, 'YYYY-MM'), OLD.closed_by),
            HINT = 'Record a correction with showroom.adjust_line(); it goes to the next open period.';
  END IF;
  IF TG_OP = 'DELETE' THEN
    IF EXISTS (SELECT 1 FROM showroom.statement_line l WHERE l.statement_id = OLD.id) THEN
      RAISE EXCEPTION 'statement % has lines', OLD.id
        USING ERRCODE = 'foreign_key_violation',
              DETAIL = 'A statement with lines is never deleted.';
    END IF;
    RETURN OLD;
  END IF;
  IF NEW.id <> OLD.id OR NEW.outlet_id <> OLD.outlet_id OR NEW.period <> OLD.period THEN
    RAISE EXCEPTION 'a statement''s outlet and period cannot change' USING ERRCODE = 'SR503';
  END IF;
  RETURN NEW;
END
$$;

COMMENT ON FUNCTION showroom.statement_guard() IS
  'trigger: refuse changing, deleting or truncating closed statements, and deleting statements with lines';

CREATE TRIGGER statement_guard BEFORE UPDATE OR DELETE ON showroom.statement
  FOR EACH ROW EXECUTE FUNCTION showroom.statement_guard();
CREATE TRIGGER statement_guard_truncate BEFORE TRUNCATE ON showroom.statement
  FOR EACH STATEMENT EXECUTE FUNCTION showroom.statement_guard();

-- jit is off: after a settlement run's million lines, the planner's cost
-- of the check passes the JIT thresholds, and compiling took longer than
-- the check (0.2 s even for a few thousand lines).
CREATE FUNCTION showroom.statement_line_guard()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
SET jit = off
AS $$
DECLARE
  closed_id bigint;
  missing bigint;
  adjusts boolean;
BEGIN
  IF TG_OP = 'INSERT' THEN
    -- Statement level, over the inserted rows: the referential checks the
    -- table does not declare and the state of each statement, in one pass
    -- grouped by statement (a run adds up to millions of lines); adjusted
    -- lines are looked up only when there are any.
    -- A closed statement gains no line, with one exception: pg_restore
    -- loads a closed statement before its lines and then all its lines in
    -- one COPY.  An insert that brings every line of a closed statement,
    -- adding up to the total fixed at closing, is that reload.
    SELECT min(g.statement_id) FILTER (WHERE s.id IS NULL),
           min(s.id) FILTER (WHERE s.state = 'closed'
                              AND NOT (g.sum_fen = s.total_fen
                                       AND g.n = (SELECT count(*) FROM showroom.statement_line l
                                                   WHERE l.statement_id = s.id))),
           coalesce(bool_or(g.adjusts), false)
      INTO missing, closed_id, adjusts
      FROM (SELECT n.statement_id, bool_or(n.adjusts_line_id IS NOT NULL) AS adjusts,
                   count(*) AS n, sum(n.amount_fen) AS sum_fen
              FROM new_lines n GROUP BY n.statement_id) g
      LEFT JOIN showroom.statement s ON s.id = g.statement_id;
    IF missing IS NULL AND adjusts THEN
      SELECT n.adjusts_line_id INTO missing
        FROM new_lines n
       WHERE n.adjusts_line_id IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM showroom.statement_line l WHERE l.id = n.adjusts_line_id)
       LIMIT 1;
    END IF;
    IF missing IS NOT NULL THEN
      RAISE EXCEPTION 'statement line refers to a missing statement or line'
        USING ERRCODE = 'foreign_key_violation',
              DETAIL = format('No statement or line %s.', missing);
    END IF;
  ELSIF TG_OP = 'TRUNCATE' THEN
    SELECT s.id INTO closed_id FROM showroom.statement s WHERE s.state = 'closed' LIMIT 1;
  ELSIF TG_OP = 'UPDATE' THEN
    RAISE EXCEPTION 'statement lines cannot be changed'
      USING ERRCODE = 'SR503',
            DETAIL = format('Line %s of statement %s.', OLD.id, OLD.statement_id),
            HINT = 'Record a correction with showroom.adjust_line().';
  ELSE
    SELECT s.id INTO closed_id FROM showroom.statement s
     WHERE s.id = OLD.statement_id AND s.state = 'closed';
  END IF;
  IF closed_id IS NOT NULL THEN
    RAISE EXCEPTION 'statement % is closed', closed_id
      USING ERRCODE = 'SR503',
            DETAIL = format('%s of lines of closed statement %s refused.', initcap(TG_OP), closed_id),
            HINT = 'Record a correction with showroom.adjust_line(); it goes to the next open period.';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NULL END;
END
$$;

COMMENT ON FUNCTION showroom.statement_line_guard() IS
  'trigger: lines refer to existing statements and lines, are never updated, and closed statements gain or lose no line';

CREATE TRIGGER statement_line_guard_row BEFORE UPDATE OR DELETE ON showroom.statement_line
  FOR EACH ROW EXECUTE FUNCTION showroom.statement_line_guard();
CREATE TRIGGER statement_line_guard_insert AFTER INSERT ON showroom.statement_line
  REFERENCING NEW TABLE AS new_lines
  FOR EACH STATEMENT EXECUTE FUNCTION showroom.statement_line_guard();
CREATE TRIGGER statement_line_guard_truncate BEFORE TRUNCATE ON showroom.statement_line
  FOR EACH STATEMENT EXECUTE FUNCTION showroom.statement_line_guard();

--
-- Cash on delivery: what crews collect at the door and what outlets remit.
--

CREATE TABLE showroom.cod_collection (
  id             bigserial PRIMARY KEY,
  sales_order_id bigint NOT NULL REFERENCES showroom.sales_order (id),
  outlet_id      bigint NOT NULL REFERENCES showroom.outlet (id),
  amount_fen     bigint NOT NULL CHECK (amount_fen > 0),
  method         text NOT NULL CHECK (method IN ('cash', 'card', 'mobile')),
  collected_by   text NOT NULL CHECK (collected_by <> ''),
  collected_at   timestamptz NOT NULL DEFAULT now(),
  recorded_by    name NOT NULL DEFAULT current_user
);

CREATE INDEX cod_collection_outlet_idx ON showroom.cod_collection (outlet_id, collected_at);
CREATE INDEX cod_collection_order_idx ON showroom.cod_collection (sales_order_id);

COMMENT ON TABLE showroom.cod_collection IS 'cash on delivery collected by an outlet''s crew at the door';
COMMENT ON COLUMN showroom.cod_collection.id IS 'collection id';
COMMENT ON COLUMN showroom.cod_collection.sales_order_id IS 'sales order paid';
COMMENT ON COLUMN showroom.cod_collection.outlet_id IS 'outlet whose crew collected';
COMMENT ON COLUMN showroom.cod_collection.amount_fen IS 'amount collected, fen';
COMMENT ON COLUMN showroom.cod_collection.method IS 'cash, card or mobile';
COMMENT ON COLUMN showroom.cod_collection.collected_by IS 'crew member who collected';
COMMENT ON COLUMN showroom.cod_collection.collected_at IS 'when it was collected';
COMMENT ON COLUMN showroom.cod_collection.recorded_by IS 'role that recorded it';

SELECT pg_catalog.pg_extension_config_dump('showroom.cod_collection', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.cod_collection_id_seq', '');

CREATE TABLE showroom.cod_remittance (
  id          bigserial PRIMARY KEY,
  outlet_id   bigint NOT NULL REFERENCES showroom.outlet (id),
  amount_fen  bigint NOT NULL CHECK (amount_fen > 0),
  reference   text NOT NULL CHECK (reference <> ''),
  remitted_at timestamptz NOT NULL DEFAULT now(),
  recorded_by name NOT NULL DEFAULT current_user,
  UNIQUE (outlet_id, reference)
);

COMMENT ON TABLE showroom.cod_remittance IS 'COD cash an outlet paid over to the chain';
COMMENT ON COLUMN showroom.cod_remittance.id IS 'remittance id';
COMMENT ON COLUMN showroom.cod_remittance.outlet_id IS 'outlet that remitted';
COMMENT ON COLUMN showroom.cod_remittance.amount_fen IS 'amount remitted, fen';
COMMENT ON COLUMN showroom.cod_remittance.reference IS 'bank or receipt reference, unique per outlet';
COMMENT ON COLUMN showroom.cod_remittance.remitted_at IS 'when it was remitted';
COMMENT ON COLUMN showroom.cod_remittance.recorded_by IS 'role that recorded it';

SELECT pg_catalog.pg_extension_config_dump('showroom.cod_remittance', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.cod_remittance_id_seq', '');

-- record_cod_collection: a crew collected cash (or card, mobile) at delivery.
CREATE FUNCTION showroom.record_cod_collection(sales_order_id bigint, outlet_id bigint,
                                               amount numeric, method text,
                                               collected_by text,
                                               collected_at timestamptz DEFAULT now())
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  fen bigint;
  cid bigint;
BEGIN
  IF sales_order_id IS NULL OR outlet_id IS NULL OR amount IS NULL OR method IS NULL
     OR collected_by IS NULL OR collected_at IS NULL THEN
    RAISE EXCEPTION 'no argument of record_cod_collection may be null'
      USING ERRCODE = 'null_value_not_allowed';
  END IF;
  IF btrim(collected_by) = '' THEN
    RAISE EXCEPTION 'collector must not be empty'
      USING ERRCODE = '22023', DETAIL = format('collected_by = %s.', quote_literal(collected_by)),
            HINT = 'Name the crew member who took the money.';
  END IF;
  PERFORM showroom.check_time('collected_at', collected_at);
  IF NOT EXISTS (SELECT 1 FROM showroom.sales_order o WHERE o.id = record_cod_collection.sales_order_id) THEN
    RAISE EXCEPTION 'unknown sales order %', sales_order_id USING ERRCODE = 'SR104';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM showroom.outlet o WHERE o.id = record_cod_collection.outlet_id) THEN
    RAISE EXCEPTION 'unknown outlet %', outlet_id USING ERRCODE = 'SR201';
  END IF;
  fen := showroom.yuan_to_fen(amount);
  IF fen <= 0 THEN
    RAISE EXCEPTION 'collected amount must be positive'
      USING ERRCODE = '22023', DETAIL = format('Amount is %s.', amount);
  END IF;
  IF method NOT IN ('cash', 'card', 'mobile') THEN
    RAISE EXCEPTION 'unknown payment method "%"', method
      USING ERRCODE = '22023', HINT = 'Use cash, card or mobile.';
  END IF;
  -- A collector with cash overdue collects no more (SR711; check_collector
  -- is defined with the cash room, later in the script, and resolved when
  -- this runs).
  PERFORM showroom.check_collector(record_cod_collection.collected_by);
  INSERT INTO showroom.cod_collection AS c (sales_order_id, outlet_id, amount_fen, method,
                                            collected_by, collected_at)
  VALUES (record_cod_collection.sales_order_id, record_cod_collection.outlet_id, fen,
          record_cod_collection.method, record_cod_collection.collected_by,
          record_cod_collection.collected_at)
  RETURNING c.id INTO cid;
  RETURN cid;
END
$$;

COMMENT ON FUNCTION showroom.record_cod_collection(bigint, bigint, numeric, text, text, timestamptz) IS
  'record cash on delivery collected for a sales order by an outlet''s crew; returns its id';

-- record_cod_remittance: an outlet paid COD cash over to the chain.
CREATE FUNCTION showroom.record_cod_remittance(outlet_id bigint, amount numeric,
                                               reference text,
                                               remitted_at timestamptz DEFAULT now())
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  fen bigint;
  rid bigint;
BEGIN
  IF outlet_id IS NULL OR amount IS NULL OR reference IS NULL OR remitted_at IS NULL THEN
    RAISE EXCEPTION 'no argument of record_cod_remittance may be null'
      USING ERRCODE = 'null_value_not_allowed';
  END IF;
  IF btrim(reference) = '' THEN
    RAISE EXCEPTION 'remittance reference must not be empty'
      USING ERRCODE = '22023', DETAIL = format('reference = %s.', quote_literal(reference)),
            HINT = 'Give the bank or receipt reference of the remittance.';
  END IF;
  PERFORM showroom.check_time('remitted_at', remitted_at);
  IF NOT EXISTS (SELECT 1 FROM showroom.outlet o WHERE o.id = record_cod_remittance.outlet_id) THEN
    RAISE EXCEPTION 'unknown outlet %', outlet_id USING ERRCODE = 'SR201';
  END IF;
  fen := showroom.yuan_to_fen(amount);
  IF fen <= 0 THEN
    RAISE EXCEPTION 'remitted amount must be positive'
      USING ERRCODE = '22023', DETAIL = format('Amount is %s.', amount);
  END IF;
  INSERT INTO showroom.cod_remittance AS r (outlet_id, amount_fen, reference, remitted_at)
  VALUES (record_cod_remittance.outlet_id, fen, record_cod_remittance.reference,
          record_cod_remittance.remitted_at)
  ON CONFLICT ON CONSTRAINT cod_remittance_outlet_id_reference_key DO NOTHING
  RETURNING r.id INTO rid;
  IF rid IS NULL THEN
    RAISE EXCEPTION 'remittance "%" of outlet % is already recorded', reference, outlet_id
      USING ERRCODE = 'unique_violation',
            HINT = 'Each remittance reference is recorded once per outlet.';
  END IF;
  RETURN rid;
END
$$;

COMMENT ON FUNCTION showroom.record_cod_remittance(bigint, numeric, text, timestamptz) IS
  'record COD cash remitted by an outlet (reference unique per outlet); returns its id';

--
-- Settlement runs, closing and adjustments.
--

CREATE FUNCTION showroom.settle(period date, outlet bigint DEFAULT NULL)
RETURNS TABLE (outlet_id bigint, statement_id bigint, lines_added bigint,
               total numeric(14,2))
LANGUAGE c VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'settle';

COMMENT ON FUNCTION showroom.settle(date, bigint) IS
  'settle the month of period for one outlet (or all when NULL): add each due component once; returns each open statement with the lines added and its running total';

-- close_statement: fix a statement's total and make it immutable.
CREATE FUNCTION showroom.close_statement(statement_id bigint)
RETURNS numeric(14,2)
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  s record;
  sum_fen bigint;
BEGIN
  SELECT * INTO s FROM showroom.statement WHERE id = statement_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown statement %', statement_id USING ERRCODE = 'SR503';
  END IF;
  IF s.state = 'closed' THEN
    RAISE EXCEPTION 'statement % is already closed', statement_id
      USING ERRCODE = 'SR503',
            DETAIL = format('Statement of outlet %s for %s was closed by %s.',
                            s.outlet_id, to_char(s.period, 'YYYY-MM'), s.closed_by);
  END IF;
  SELECT coalesce(sum(amount_fen), 0) INTO sum_fen
    FROM showroom.statement_line l WHERE l.statement_id = s.id;
  UPDATE showroom.statement
     SET state = 'closed', total_fen = sum_fen, closed_at = now(),
         closed_by = coalesce(nullif(current_setting('showroom.person', true), ''),
                              current_user)
   WHERE id = s.id;
  RETURN showroom.fen_to_yuan(sum_fen);
END
$$;

COMMENT ON FUNCTION showroom.close_statement(bigint) IS
  'close a statement: its total becomes the sum of its lines and nothing of it may change again';

-- close_period: close every open statement of a month that has ended.
CREATE FUNCTION showroom.close_period(period date, outlet bigint DEFAULT NULL)
RETURNS TABLE (outlet_id bigint, statement_id bigint, total numeric(14,2))
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  month date;
  s record;
BEGIN
  IF period IS NULL THEN
    RAISE EXCEPTION 'period must not be null' USING ERRCODE = 'null_value_not_allowed';
  END IF;
  PERFORM showroom.check_day('period', period);
  month := date_trunc('month', period)::date;
  IF month + interval '1 month' > showroom.business_date(now()) THEN
    RAISE EXCEPTION 'month % has not ended yet', to_char(month, 'YYYY-MM')
      USING ERRCODE = '22023',
            DETAIL = format('It ends on %s in the business time zone.',
                            to_char(month + interval '1 month', 'YYYY-MM-DD')),
            HINT = 'Close a month once it is over.';
  END IF;
  FOR s IN
    SELECT st.id, st.outlet_id FROM showroom.statement st
     WHERE st.period = month AND st.state = 'open'
       AND (outlet IS NULL OR st.outlet_id = outlet)
     ORDER BY st.id
  LOOP
    close_period.outlet_id := s.outlet_id;
    statement_id := s.id;
    total := showroom.close_statement(s.id);
    RETURN NEXT;
  END LOOP;
END
$$;

COMMENT ON FUNCTION showroom.close_period(date, bigint) IS
  'close the open statements of an ended month, for one outlet or all; returns each with its total';

-- adjust_line: correct a line by an amount in yuan.  The adjustment goes to
-- the first statement of the same outlet after the line's month that is
-- not closed, and is linked to the line it corrects.
CREATE FUNCTION showroom.adjust_line(line_id bigint, amount numeric, reason text)
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  orig record;
  target date;
  sid bigint;
  fen bigint;
  new_id bigint;
BEGIN
  IF line_id IS NULL OR amount IS NULL OR reason IS NULL OR btrim(reason) = '' THEN
    RAISE EXCEPTION 'line, amount and reason are required'
      USING ERRCODE = 'null_value_not_allowed';
  END IF;
  SELECT l.id, l.service_order_id, st.outlet_id, st.period INTO orig
    FROM showroom.statement_line l JOIN showroom.statement st ON st.id = l.statement_id
   WHERE l.id = line_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown statement line %', line_id USING ERRCODE = 'SR503';
  END IF;
  fen := showroom.yuan_to_fen(amount);
  IF fen = 0 THEN
    RAISE EXCEPTION 'an adjustment of zero changes nothing'
      USING ERRCODE = '22023', DETAIL = format('Line %s.', line_id);
  END IF;

  -- The first month after the line's whose statement is not closed; lock
  -- it so that it cannot close before this line is in.
  target := orig.period;
  LOOP
    target := (target + interval '1 month')::date;
    INSERT INTO showroom.statement (outlet_id, period) VALUES (orig.outlet_id, target)
    ON CONFLICT (outlet_id, period) DO NOTHING;
    SELECT st.id INTO sid FROM showroom.statement st
     WHERE st.outlet_id = orig.outlet_id AND st.period = target AND st.state = 'open'
       FOR SHARE;
    EXIT WHEN sid IS NOT NULL;
  END LOOP;

  INSERT INTO showroom.statement_line AS l
    (statement_id, component, source_id, service_order_id, amount_fen, note, adjusts_line_id)
  VALUES (sid, 'adjustment', line_id, orig.service_order_id, fen, reason, line_id)
  RETURNING l.id INTO new_id;
  RETURN new_id;
END
$$;

COMMENT ON FUNCTION showroom.adjust_line(bigint, numeric, text) IS
  'correct a statement line by an amount in yuan: an adjustment line in the outlet''s next open month, linked to it';

--
-- Views.  Every figure is the sum of rounded fen lines, shown as yuan.
--

CREATE VIEW showroom.statement_totals AS
SELECT st.id AS statement_id, st.outlet_id, o.code AS outlet_code, st.period,
       st.state, count(l.id) AS lines,
       ((coalesce(sum(l.amount_fen) FILTER (WHERE l.amount_fen > 0), 0)::bigint)::numeric / 100)::numeric(14,2) AS payable,
       ((coalesce(sum(l.amount_fen) FILTER (WHERE l.amount_fen < 0), 0)::bigint)::numeric / 100)::numeric(14,2) AS deducted,
       ((coalesce(sum(l.amount_fen), 0)::bigint)::numeric / 100)::numeric(14,2) AS total,
       st.closed_at
  FROM showroom.statement st
  JOIN showroom.outlet o ON o.id = st.outlet_id
  LEFT JOIN showroom.statement_line l ON l.statement_id = st.id
 GROUP BY st.id, o.code;

COMMENT ON VIEW showroom.statement_totals IS 'each statement with its line count and totals; a negative total is owed by the outlet';
COMMENT ON COLUMN showroom.statement_totals.statement_id IS 'statement id';
COMMENT ON COLUMN showroom.statement_totals.outlet_id IS 'outlet';
COMMENT ON COLUMN showroom.statement_totals.outlet_code IS 'outlet code';
COMMENT ON COLUMN showroom.statement_totals.period IS 'first day of the month';
COMMENT ON COLUMN showroom.statement_totals.state IS 'open or closed';
COMMENT ON COLUMN showroom.statement_totals.lines IS 'number of lines';
COMMENT ON COLUMN showroom.statement_totals.payable IS 'sum of positive lines, yuan';
COMMENT ON COLUMN showroom.statement_totals.deducted IS 'sum of negative lines, yuan';
COMMENT ON COLUMN showroom.statement_totals.total IS 'sum of all lines, yuan (equals the closed total once closed)';
COMMENT ON COLUMN showroom.statement_totals.closed_at IS 'when it was closed';

CREATE VIEW showroom.finance_export AS
SELECT l.id AS line_id, st.id AS statement_id, o.code AS outlet_code,
       o.name AS outlet_name, to_char(st.period, 'YYYY-MM') AS period,
       st.state AS statement_state, l.component, l.service_order_id,
       l.source_id, ((l.amount_fen)::numeric / 100)::numeric(14,2) AS amount,
       CASE WHEN l.amount_fen >= 0 THEN 'payable' ELSE 'deduction' END AS direction,
       l.distance_m, l.adjusts_line_id, l.note, l.created_at, st.closed_at
  FROM showroom.statement_line l
  JOIN showroom.statement st ON st.id = l.statement_id
  JOIN showroom.outlet o ON o.id = st.outlet_id;

COMMENT ON VIEW showroom.finance_export IS 'one row per statement line, in the columns the finance system imports';
COMMENT ON COLUMN showroom.finance_export.line_id IS 'line id, unique';
COMMENT ON COLUMN showroom.finance_export.statement_id IS 'statement id';
COMMENT ON COLUMN showroom.finance_export.outlet_code IS 'outlet code';
COMMENT ON COLUMN showroom.finance_export.outlet_name IS 'outlet name';
COMMENT ON COLUMN showroom.finance_export.period IS 'month settled, YYYY-MM';
COMMENT ON COLUMN showroom.finance_export.statement_state IS 'open or closed; import closed ones';
COMMENT ON COLUMN showroom.finance_export.component IS 'service_fee, parts, complaint_penalty, late_penalty, second_delivery_penalty, cod_collected, cod_remitted or adjustment';
COMMENT ON COLUMN showroom.finance_export.service_order_id IS 'service order concerned, if any';
COMMENT ON COLUMN showroom.finance_export.source_id IS 'row settled (see statement_line.source_id)';
COMMENT ON COLUMN showroom.finance_export.amount IS 'amount in yuan, numeric(14,2); negative is deducted';
COMMENT ON COLUMN showroom.finance_export.direction IS 'payable (to the outlet) or deduction';
COMMENT ON COLUMN showroom.finance_export.distance_m IS 'metres priced, for service fees';
COMMENT ON COLUMN showroom.finance_export.adjusts_line_id IS 'line corrected, for adjustments';
COMMENT ON COLUMN showroom.finance_export.note IS 'reason or description';
COMMENT ON COLUMN showroom.finance_export.created_at IS 'when the line was written';
COMMENT ON COLUMN showroom.finance_export.closed_at IS 'when the statement was closed';

-- The views below call no function of ours: the reporting role reads
-- views and may run none, and a function in a view runs as the reader.
--
-- COD reconciliation per outlet and business day.  Expected is the COD of
-- the sales orders whose delivery the outlet completed that day (by the
-- service date); variance is collected minus expected; outstanding is what
-- the outlet has collected and not yet remitted, up to that day.
CREATE VIEW showroom.cod_reconciliation AS
WITH zone AS (
  SELECT value FROM showroom.settings WHERE name = 'business_time_zone'
), flows AS (
  SELECT so.outlet_id, so.service_date AS day, sa.cod_fen AS expected_fen,
         0::bigint AS collected_fen, 0::bigint AS remitted_fen
    FROM showroom.service_order so
    JOIN showroom.sales_order sa ON sa.id = so.sales_order_id
   WHERE so.kind = 'delivery' AND so.state IN ('done', 'return_visit', 'closed')
     AND sa.cod_fen > 0
  UNION ALL
  SELECT c.outlet_id, (c.collected_at AT TIME ZONE z.value)::date, 0, c.amount_fen, 0
    FROM showroom.cod_collection c, zone z
  UNION ALL
  SELECT r.outlet_id, (r.remitted_at AT TIME ZONE z.value)::date, 0, 0, r.amount_fen
    FROM showroom.cod_remittance r, zone z
), days AS (
  SELECT outlet_id, day, sum(expected_fen) AS expected_fen,
         sum(collected_fen) AS collected_fen, sum(remitted_fen) AS remitted_fen
    FROM flows GROUP BY outlet_id, day
)
SELECT outlet_id, day,
       ((expected_fen::bigint)::numeric / 100)::numeric(14,2) AS expected,
       ((collected_fen::bigint)::numeric / 100)::numeric(14,2) AS collected,
       ((remitted_fen::bigint)::numeric / 100)::numeric(14,2) AS remitted,
       (((collected_fen - expected_fen)::bigint)::numeric / 100)::numeric(14,2) AS variance,
       (((sum(collected_fen - remitted_fen)
         OVER (PARTITION BY outlet_id ORDER BY day))::bigint)::numeric / 100)::numeric(14,2) AS outstanding
  FROM days;

COMMENT ON VIEW showroom.cod_reconciliation IS 'cash on delivery per outlet and business day: expected, collected, remitted, variance and outstanding';
COMMENT ON COLUMN showroom.cod_reconciliation.outlet_id IS 'outlet';
COMMENT ON COLUMN showroom.cod_reconciliation.day IS 'business date';
COMMENT ON COLUMN showroom.cod_reconciliation.expected IS 'COD of the orders the outlet delivered that day, yuan';
COMMENT ON COLUMN showroom.cod_reconciliation.collected IS 'COD collected that day, yuan';
COMMENT ON COLUMN showroom.cod_reconciliation.remitted IS 'COD remitted that day, yuan';
COMMENT ON COLUMN showroom.cod_reconciliation.variance IS 'collected minus expected, yuan; negative means cash missing';
COMMENT ON COLUMN showroom.cod_reconciliation.outstanding IS 'collected and not yet remitted up to and including that day, yuan';
