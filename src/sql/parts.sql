
--
-- parts: the catalogue of parts and consumables, their list prices over
-- time, the parts stock at the DCs and the outlets with its ledger, and the
-- parts used on service orders, priced from the list, never typed.
--

-- Parts and consumables.
CREATE TABLE showroom.part (
  id         bigserial PRIMARY KEY,
  code       text NOT NULL UNIQUE CHECK (btrim(code) <> ''),
  name       text NOT NULL CHECK (btrim(name) <> ''),
  unit       text NOT NULL DEFAULT 'piece',
  consumable boolean NOT NULL DEFAULT false,
  active     boolean NOT NULL DEFAULT true
);

COMMENT ON TABLE showroom.part IS 'parts and consumables used on service orders';
COMMENT ON COLUMN showroom.part.id IS 'part id';
COMMENT ON COLUMN showroom.part.code IS 'part code';
COMMENT ON COLUMN showroom.part.name IS 'part name';
COMMENT ON COLUMN showroom.part.unit IS 'unit of quantity (piece, metre, ...)';
COMMENT ON COLUMN showroom.part.consumable IS 'a consumable (pipe, refrigerant, filter) rather than a part';
COMMENT ON COLUMN showroom.part.active IS 'whether it may be used on new jobs';

SELECT pg_catalog.pg_extension_config_dump('showroom.part', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.part_id_seq', '');

-- List prices over time.  A price is valid over a range of days; the
-- ranges of one part never overlap (the exclusion constraint compares the
-- part as a one-value range, so no btree_gist is needed).
CREATE TABLE showroom.part_price (
  id         bigserial PRIMARY KEY,
  part_id    bigint NOT NULL REFERENCES showroom.part (id),
  valid      daterange NOT NULL CHECK (NOT isempty(valid) AND NOT lower_inf(valid)),
  price_fen  bigint NOT NULL CHECK (price_fen >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by name NOT NULL DEFAULT current_user,
  EXCLUDE USING gist (int8range(part_id, part_id, '[]') WITH &&, valid WITH &&)
);

COMMENT ON TABLE showroom.part_price IS 'list prices of parts, each valid over a range of days without overlaps';
COMMENT ON COLUMN showroom.part_price.id IS 'price id';
COMMENT ON COLUMN showroom.part_price.part_id IS 'part';
COMMENT ON COLUMN showroom.part_price.valid IS 'days the price is valid, [first day, day after the last) or open-ended';
COMMENT ON COLUMN showroom.part_price.price_fen IS 'list price per unit in fen';
COMMENT ON COLUMN showroom.part_price.created_at IS 'when it was entered';
COMMENT ON COLUMN showroom.part_price.created_by IS 'role that entered it';

SELECT pg_catalog.pg_extension_config_dump('showroom.part_price', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.part_price_id_seq', '');

-- Parts used on service orders.  price_id, unit_price_fen and amount_fen
-- are set by the trigger part_use_price from the price valid on used_on,
-- whatever the writer passes.  The outlet is reimbursed amount_fen; the
-- customer pays customer_fen, which is zero for a warranty part.
CREATE TABLE showroom.part_use (
  id             bigserial PRIMARY KEY,
  order_id       bigint NOT NULL REFERENCES showroom.service_order (id),
  outlet_id      bigint NOT NULL REFERENCES showroom.outlet (id),
  part_id        bigint NOT NULL REFERENCES showroom.part (id),
  qty            integer NOT NULL CHECK (qty > 0),
  used_on        date NOT NULL,
  warranty       boolean NOT NULL DEFAULT false,
  price_id       bigint NOT NULL REFERENCES showroom.part_price (id),
  unit_price_fen bigint NOT NULL CHECK (unit_price_fen >= 0),
  amount_fen     bigint NOT NULL CHECK (amount_fen >= 0),
  customer_fen   bigint GENERATED ALWAYS AS (CASE WHEN warranty THEN 0 ELSE amount_fen END) STORED,
  recorded_at    timestamptz NOT NULL DEFAULT now(),
  recorded_by    name NOT NULL DEFAULT current_user
);

CREATE INDEX part_use_order_idx ON showroom.part_use (order_id);
CREATE INDEX part_use_price_idx ON showroom.part_use (price_id);

COMMENT ON TABLE showroom.part_use IS 'parts used on service orders, priced from the list on the day of use';
COMMENT ON COLUMN showroom.part_use.id IS 'row id';
COMMENT ON COLUMN showroom.part_use.order_id IS 'service order';
COMMENT ON COLUMN showroom.part_use.outlet_id IS 'outlet whose stock the part came from, and who is reimbursed';
COMMENT ON COLUMN showroom.part_use.part_id IS 'part used';
COMMENT ON COLUMN showroom.part_use.qty IS 'quantity used, in the part''s unit';
COMMENT ON COLUMN showroom.part_use.used_on IS 'day of use, which chooses the price';
COMMENT ON COLUMN showroom.part_use.warranty IS 'used under warranty: free for the customer, still reimbursed to the outlet';
COMMENT ON COLUMN showroom.part_use.price_id IS 'list price applied (computed)';
COMMENT ON COLUMN showroom.part_use.unit_price_fen IS 'unit list price in fen (computed)';
COMMENT ON COLUMN showroom.part_use.amount_fen IS 'qty times unit price in fen, reimbursed to the outlet (computed)';
COMMENT ON COLUMN showroom.part_use.customer_fen IS 'what the customer pays in fen: 0 under warranty, else amount_fen (computed)';
COMMENT ON COLUMN showroom.part_use.recorded_at IS 'when it was recorded';
COMMENT ON COLUMN showroom.part_use.recorded_by IS 'role that recorded it';

SELECT pg_catalog.pg_extension_config_dump('showroom.part_use', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.part_use_id_seq', '');

-- Parts stock: one balance per part and place (a DC or an outlet), changed
-- only together with a row of part_movement, in the same transaction.
CREATE TABLE showroom.part_stock (
  part_id   bigint NOT NULL REFERENCES showroom.part (id),
  dc_id     bigint REFERENCES showroom.dc (id),
  outlet_id bigint REFERENCES showroom.outlet (id),
  on_hand   integer NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
  UNIQUE NULLS NOT DISTINCT (part_id, dc_id, outlet_id),
  CHECK (num_nonnulls(dc_id, outlet_id) = 1)
);

COMMENT ON TABLE showroom.part_stock IS
  'parts on hand per DC or outlet; change it only through the parts functions';
COMMENT ON COLUMN showroom.part_stock.part_id IS 'part';
COMMENT ON COLUMN showroom.part_stock.dc_id IS 'DC holding it (or NULL)';
COMMENT ON COLUMN showroom.part_stock.outlet_id IS 'outlet holding it (or NULL)';
COMMENT ON COLUMN showroom.part_stock.on_hand IS 'quantity on hand';

SELECT pg_catalog.pg_extension_config_dump('showroom.part_stock', '');

-- The parts ledger: one row per change of part_stock, never updated or
-- deleted; the sum of d_on_hand per place equals its balance.
CREATE TABLE showroom.part_movement (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  part_id     bigint NOT NULL REFERENCES showroom.part (id),
  dc_id       bigint REFERENCES showroom.dc (id),
  outlet_id   bigint REFERENCES showroom.outlet (id),
  kind        text NOT NULL CHECK (kind IN ('receipt', 'issue', 'return', 'use', 'adjustment')),
  d_on_hand   integer NOT NULL CHECK (d_on_hand <> 0),
  part_use_id bigint REFERENCES showroom.part_use (id),
  note        text,
  done_by     name NOT NULL DEFAULT coalesce(nullif(current_setting('showroom.person', true), ''),
                                             current_user),
  CHECK (num_nonnulls(dc_id, outlet_id) = 1),
  CHECK ((kind = 'use') = (part_use_id IS NOT NULL))
);

CREATE INDEX part_movement_place_idx ON showroom.part_movement (part_id, dc_id, outlet_id);

COMMENT ON TABLE showroom.part_movement IS 'parts ledger: one row per change of parts stock, append-only';
COMMENT ON COLUMN showroom.part_movement.id IS 'movement id';
COMMENT ON COLUMN showroom.part_movement.at IS 'when';
COMMENT ON COLUMN showroom.part_movement.part_id IS 'part';
COMMENT ON COLUMN showroom.part_movement.dc_id IS 'DC whose stock changed (or NULL)';
COMMENT ON COLUMN showroom.part_movement.outlet_id IS 'outlet whose stock changed (or NULL)';
COMMENT ON COLUMN showroom.part_movement.kind IS 'receipt (at a DC), issue (DC to outlet), return (outlet to DC), use (on an order), adjustment';
COMMENT ON COLUMN showroom.part_movement.d_on_hand IS 'change of on_hand at the place';
COMMENT ON COLUMN showroom.part_movement.part_use_id IS 'use on a service order, for kind use';
COMMENT ON COLUMN showroom.part_movement.note IS 'free text';
COMMENT ON COLUMN showroom.part_movement.done_by IS 'person named by the application, else the database role';

SELECT pg_catalog.pg_extension_config_dump('showroom.part_movement', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.part_movement_id_seq', '');

CREATE TRIGGER part_movement_no_change
  BEFORE UPDATE OR DELETE ON showroom.part_movement
  FOR EACH ROW EXECUTE FUNCTION showroom.trail_refuse_change();
CREATE TRIGGER part_movement_no_truncate
  BEFORE TRUNCATE ON showroom.part_movement
  FOR EACH STATEMENT EXECUTE FUNCTION showroom.trail_refuse_change();

-- part_row: a part by id; raises SR404 for an unknown id.
CREATE FUNCTION showroom.part_row(part_id bigint)
RETURNS showroom.part
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  r showroom.part;
BEGIN
  SELECT * INTO r FROM showroom.part p WHERE p.id = part_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown part %', coalesce(part_id::text, 'NULL')
      USING ERRCODE = 'SR404',
            DETAIL = format('There is no part with id %s.', coalesce(part_id::text, 'NULL')),
            HINT = 'The parts are listed in showroom.part.';
  END IF;
  RETURN r;
END
$$;

COMMENT ON FUNCTION showroom.part_row(bigint) IS 'a part by id; SR404 when unknown';

-- add_part: add a part or consumable to the catalogue; returns its id.
CREATE FUNCTION showroom.add_part(code text, name text, unit text DEFAULT 'piece',
                                  consumable boolean DEFAULT false)
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  new_id bigint;
BEGIN
  IF nullif(btrim(code), '') IS NULL OR nullif(btrim(name), '') IS NULL
     OR nullif(btrim(unit), '') IS NULL OR consumable IS NULL THEN
    RAISE EXCEPTION 'a part needs a code, a name, a unit and the consumable flag'
      USING ERRCODE = 'null_value_not_allowed',
            DETAIL = format('code = %s, name = %s, unit = %s.', coalesce(quote_literal(code), 'NULL'),
                            coalesce(quote_literal(name), 'NULL'), coalesce(quote_literal(unit), 'NULL'));
  END IF;
  IF EXISTS (SELECT 1 FROM showroom.part p WHERE p.code = btrim(add_part.code)) THEN
    RAISE EXCEPTION 'part % already exists', btrim(code)
      USING ERRCODE = 'unique_violation', DETAIL = format('code %s.', quote_literal(btrim(code)));
  END IF;
  INSERT INTO showroom.part (code, name, unit, consumable)
  VALUES (btrim(code), btrim(name), btrim(unit), consumable)
  RETURNING id INTO new_id;
  RETURN new_id;
END
$$;

COMMENT ON FUNCTION showroom.add_part(text, text, text, boolean) IS
  'add a part or consumable to the catalogue; returns its id';

-- set_part_price: give a part a list price from valid_from to valid_to
-- (both days included; NULL valid_to means until further notice).  An
-- open-ended price that began earlier is closed the day before valid_from;
-- any other overlap is refused (SR407), and so is closing a price that
-- already priced a use on or after valid_from.  Returns the price id.
CREATE FUNCTION showroom.set_part_price(part_id bigint, price_fen bigint,
                                        valid_from date, valid_to date DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  days daterange;
  open_price showroom.part_price;
  clash showroom.part_price;
  new_id bigint;
BEGIN
  PERFORM showroom.part_row(part_id);
  IF price_fen IS NULL OR valid_from IS NULL THEN
    RAISE EXCEPTION 'price and first day must not be null'
      USING ERRCODE = 'null_value_not_allowed',
            DETAIL = format('price_fen = %s, valid_from = %s.', coalesce(price_fen::text, 'NULL'),
                            coalesce(valid_from::text, 'NULL'));
  END IF;
  IF price_fen < 0 THEN
    RAISE EXCEPTION 'price must not be negative'
      USING ERRCODE = 'numeric_value_out_of_range', DETAIL = format('price_fen = %s.', price_fen);
  END IF;
  PERFORM showroom.check_range('price_fen', price_fen, 0, 99999999999999);
  PERFORM showroom.check_day('valid_from', valid_from);
  PERFORM showroom.check_day('valid_to', valid_to);
  IF valid_to < valid_from OR valid_from = '-infinity' OR valid_to = 'infinity' THEN
    RAISE EXCEPTION 'invalid validity'
      USING ERRCODE = '22023',
            DETAIL = format('valid_from = %s, valid_to = %s.', valid_from, valid_to),
            HINT = 'Give real days, the first not after the last; leave valid_to NULL for an open end.';
  END IF;
  days := daterange(valid_from, valid_to, '[]');

  -- Serialise price changes of one part.
  PERFORM 1 FROM showroom.part p WHERE p.id = part_id FOR UPDATE;

  SELECT * INTO open_price FROM showroom.part_price pp
   WHERE pp.part_id = set_part_price.part_id AND upper_inf(pp.valid)
     AND lower(pp.valid) < valid_from;
  IF FOUND THEN
    IF EXISTS (SELECT 1 FROM showroom.part_use u
                WHERE u.price_id = open_price.id AND u.used_on >= valid_from) THEN
      RAISE EXCEPTION 'price % of part % already priced uses from %', open_price.id, part_id, valid_from
        USING ERRCODE = 'SR407',
              DETAIL = format('Price %s (%s fen, %s) applies to parts used on or after %s.',
                              open_price.id, open_price.price_fen, open_price.valid, valid_from),
              HINT = 'A new price may start only after the last day a part was used at the old one.';
    END IF;
    UPDATE showroom.part_price pp SET valid = daterange(lower(pp.valid), valid_from)
     WHERE pp.id = open_price.id;
  END IF;

  SELECT * INTO clash FROM showroom.part_price pp
   WHERE pp.part_id = set_part_price.part_id AND pp.valid && days
   ORDER BY lower(pp.valid) LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'price of part % overlaps an existing one', part_id
      USING ERRCODE = 'SR407',
            DETAIL = format('New %s overlaps price %s (%s fen, %s).', days, clash.id,
                            clash.price_fen, clash.valid),
            HINT = 'Prices of a part must not overlap; choose days no price covers.';
  END IF;

  INSERT INTO showroom.part_price (part_id, valid, price_fen)
  VALUES (part_id, days, price_fen)
  RETURNING id INTO new_id;
  RETURN new_id;
END
$$;

COMMENT ON FUNCTION showroom.set_part_price(bigint, bigint, date, date) IS
  'set a part''s list price over days (inclusive; open end when valid_to is NULL); returns the price id';

-- price_on: the list price of a part valid on a day; SR405 when none is.
CREATE FUNCTION showroom.price_on(part_id bigint, day date)
RETURNS showroom.part_price
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  r showroom.part_price;
BEGIN
  SELECT * INTO r FROM showroom.part_price pp
   WHERE pp.part_id = price_on.part_id AND pp.valid @> day;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no price for part % on %', coalesce(part_id::text, 'NULL'),
                    coalesce(day::text, 'NULL')
      USING ERRCODE = 'SR405',
            DETAIL = format('Prices of part %s: %s.', coalesce(part_id::text, 'NULL'),
                            coalesce((SELECT string_agg(format('%s fen %s', pp.price_fen, pp.valid),
                                                        ', ' ORDER BY lower(pp.valid))
                                        FROM showroom.part_price pp
                                       WHERE pp.part_id = price_on.part_id), 'none')),
            HINT = 'Set a price covering that day with set_part_price().';
  END IF;
  RETURN r;
END
$$;

COMMENT ON FUNCTION showroom.price_on(bigint, date) IS
  'the list price of a part valid on a day; SR405 when there is none';

-- part_use_price: before a part use is written, price it from the list on
-- its day of use, overwriting whatever the writer passed.
CREATE FUNCTION showroom.part_use_price()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  p showroom.part_price;
BEGIN
  p := showroom.price_on(NEW.part_id, NEW.used_on);
  NEW.price_id := p.id;
  NEW.unit_price_fen := p.price_fen;
  NEW.amount_fen := p.price_fen * NEW.qty;
  RETURN NEW;
END
$$;

COMMENT ON FUNCTION showroom.part_use_price() IS
  'trigger: price a part use from the list price valid on its day (never typed)';

CREATE TRIGGER part_use_price
  BEFORE INSERT ON showroom.part_use
  FOR EACH ROW EXECUTE FUNCTION showroom.part_use_price();

-- A recorded use is final: its stock movement is written with it.
CREATE TRIGGER part_use_no_change
  BEFORE UPDATE OR DELETE ON showroom.part_use
  FOR EACH ROW EXECUTE FUNCTION showroom.trail_refuse_change();

-- part_price_guard: a price that priced a use keeps its amount and its
-- first day, and its last day may not move before a use it priced.
CREATE FUNCTION showroom.part_price_guard()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  u showroom.part_use;
BEGIN
  SELECT * INTO u FROM showroom.part_use x
   WHERE x.price_id = OLD.id
     AND (NEW.price_fen <> OLD.price_fen OR NEW.part_id <> OLD.part_id
          OR lower(NEW.valid) <> lower(OLD.valid) OR NOT NEW.valid @> x.used_on)
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'price % is in use', OLD.id
      USING ERRCODE = 'SR407',
            DETAIL = format('It priced part use %s on %s; the change %s fen %s -> %s fen %s would reprice it.',
                            u.id, u.used_on, OLD.price_fen, OLD.valid, NEW.price_fen, NEW.valid),
            HINT = 'Set a new price from a later day instead.';
  END IF;
  RETURN NEW;
END
$$;

COMMENT ON FUNCTION showroom.part_price_guard() IS
  'trigger: refuse a price change that would reprice a recorded part use';

CREATE TRIGGER part_price_guard
  BEFORE UPDATE ON showroom.part_price
  FOR EACH ROW EXECUTE FUNCTION showroom.part_price_guard();

-- move_parts: change the parts stock of one place (a DC or an outlet) by
-- delta and write the ledger row; refuses (SR409) to go below zero.
-- Returns the new balance.
CREATE FUNCTION showroom.move_parts(part_id bigint, dc_id bigint, outlet_id bigint,
                                    kind text, delta integer,
                                    part_use_id bigint DEFAULT NULL,
                                    note text DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  have integer;
BEGIN
  INSERT INTO showroom.part_stock (part_id, dc_id, outlet_id)
  VALUES (part_id, dc_id, outlet_id)
  ON CONFLICT DO NOTHING;
  SELECT s.on_hand INTO STRICT have FROM showroom.part_stock s
   WHERE s.part_id = move_parts.part_id
     AND s.dc_id IS NOT DISTINCT FROM move_parts.dc_id
     AND s.outlet_id IS NOT DISTINCT FROM move_parts.outlet_id
     FOR UPDATE;
  IF have + delta < 0 THEN
    RAISE EXCEPTION 'not enough of part % at %', part_id,
                    CASE WHEN dc_id IS NOT NULL THEN 'DC ' || dc_id ELSE 'outlet ' || outlet_id END
      USING ERRCODE = 'SR409',
            DETAIL = format('%s on hand, %s asked.', have, -delta),
            HINT = 'Issue parts to the outlet from a DC first (issue_parts).';
  END IF;
  UPDATE showroom.part_stock s SET on_hand = have + delta
   WHERE s.part_id = move_parts.part_id
     AND s.dc_id IS NOT DISTINCT FROM move_parts.dc_id
     AND s.outlet_id IS NOT DISTINCT FROM move_parts.outlet_id;
  INSERT INTO showroom.part_movement (part_id, dc_id, outlet_id, kind, d_on_hand, part_use_id, note)
  VALUES (part_id, dc_id, outlet_id, kind, delta, part_use_id, note);
  RETURN have + delta;
END
$$;

COMMENT ON FUNCTION showroom.move_parts(bigint, bigint, bigint, text, integer, bigint, text) IS
  'internal: change the parts stock of a DC or an outlet and write the ledger row; returns the new balance';

-- check_parts_args: the shared checks of the parts stock calls: known part,
-- DC and outlet, and a positive quantity.
CREATE FUNCTION showroom.check_parts_args(part_id bigint, dc_id bigint,
                                          outlet_id bigint, qty integer)
RETURNS void
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  PERFORM showroom.part_row(part_id);
  IF qty IS NULL OR qty <= 0 THEN
    RAISE EXCEPTION 'quantity must be positive'
      USING ERRCODE = 'SR107', DETAIL = format('qty = %s.', coalesce(qty::text, 'NULL'));
  END IF;
  IF qty > 1000000 THEN
    RAISE EXCEPTION 'quantity too large'
      USING ERRCODE = 'SR107',
            DETAIL = format('qty = %s; one move is at most 1,000,000 units.', qty);
  END IF;
  IF dc_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM showroom.dc d WHERE d.id = dc_id) THEN
    RAISE EXCEPTION 'unknown DC %', dc_id
      USING ERRCODE = 'SR105', DETAIL = format('There is no DC with id %s.', dc_id);
  END IF;
  IF outlet_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM showroom.outlet o WHERE o.id = outlet_id) THEN
    RAISE EXCEPTION 'unknown outlet %', outlet_id
      USING ERRCODE = 'SR201', DETAIL = format('There is no outlet with id %s.', outlet_id);
  END IF;
END
$$;

COMMENT ON FUNCTION showroom.check_parts_args(bigint, bigint, bigint, integer) IS
  'internal: refuse an unknown part, DC or outlet and a quantity that is not positive or above 1,000,000';

-- receive_parts: parts arriving at a DC.  Returns the DC's new balance.
CREATE FUNCTION showroom.receive_parts(part_id bigint, dc_id bigint, qty integer,
                                       note text DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF dc_id IS NULL THEN
    RAISE EXCEPTION 'DC must not be null' USING ERRCODE = 'null_value_not_allowed';
  END IF;
  PERFORM showroom.check_parts_args(part_id, dc_id, NULL, qty);
  PERFORM showroom.require_dc(dc_id);
  RETURN showroom.move_parts(part_id, dc_id, NULL, 'receipt', qty, NULL, note);
END
$$;

COMMENT ON FUNCTION showroom.receive_parts(bigint, bigint, integer, text) IS
  'receive parts at a DC; returns its new balance';

-- issue_parts: parts handed from a DC to an outlet (two ledger rows).
-- Returns the outlet's new balance.
CREATE FUNCTION showroom.issue_parts(part_id bigint, dc_id bigint, outlet_id bigint,
                                     qty integer, note text DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF dc_id IS NULL OR outlet_id IS NULL THEN
    RAISE EXCEPTION 'DC and outlet must not be null' USING ERRCODE = 'null_value_not_allowed';
  END IF;
  PERFORM showroom.check_parts_args(part_id, dc_id, outlet_id, qty);
  PERFORM showroom.require_dc(dc_id);
  PERFORM showroom.move_parts(part_id, dc_id, NULL, 'issue', -qty, NULL, note);
  RETURN showroom.move_parts(part_id, NULL, outlet_id, 'issue', qty, NULL, note);
END
$$;

COMMENT ON FUNCTION showroom.issue_parts(bigint, bigint, bigint, integer, text) IS
  'hand parts from a DC to an outlet; returns the outlet''s new balance';

-- return_parts: parts an outlet gives back to a DC (two ledger rows).
-- Returns the DC's new balance.
CREATE FUNCTION showroom.return_parts(part_id bigint, outlet_id bigint, dc_id bigint,
                                      qty integer, note text DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF dc_id IS NULL OR outlet_id IS NULL THEN
    RAISE EXCEPTION 'DC and outlet must not be null' USING ERRCODE = 'null_value_not_allowed';
  END IF;
  PERFORM showroom.check_parts_args(part_id, dc_id, outlet_id, qty);
  PERFORM showroom.require_dc(dc_id);
  PERFORM showroom.move_parts(part_id, NULL, outlet_id, 'return', -qty, NULL, note);
  RETURN showroom.move_parts(part_id, dc_id, NULL, 'return', qty, NULL, note);
END
$$;

COMMENT ON FUNCTION showroom.return_parts(bigint, bigint, bigint, integer, text) IS
  'give parts back from an outlet to a DC; returns the DC''s new balance';

-- adjust_parts: correct the count of a DC or an outlet (stocktaking, loss)
-- by delta; a note saying why is required.  Returns the new balance.
CREATE FUNCTION showroom.adjust_parts(part_id bigint, dc_id bigint, outlet_id bigint,
                                      delta integer, note text)
RETURNS integer
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF num_nonnulls(dc_id, outlet_id) <> 1 THEN
    RAISE EXCEPTION 'name either a DC or an outlet'
      USING ERRCODE = '22023',
            DETAIL = format('dc_id = %s, outlet_id = %s.', coalesce(dc_id::text, 'NULL'),
                            coalesce(outlet_id::text, 'NULL'));
  END IF;
  IF nullif(btrim(note), '') IS NULL THEN
    RAISE EXCEPTION 'an adjustment needs a note'
      USING ERRCODE = 'null_value_not_allowed', HINT = 'Say why the count changes.';
  END IF;
  IF delta IS NULL OR delta = 0 THEN
    RAISE EXCEPTION 'adjustment must not be zero'
      USING ERRCODE = 'SR107', DETAIL = format('delta = %s.', coalesce(delta::text, 'NULL'));
  END IF;
  IF delta NOT BETWEEN -1000000 AND 1000000 THEN
    RAISE EXCEPTION 'adjustment too large'
      USING ERRCODE = 'SR107',
            DETAIL = format('delta = %s; one adjustment is at most 1,000,000 units either way.', delta);
  END IF;
  PERFORM showroom.check_parts_args(part_id, dc_id, outlet_id, abs(delta));
  RETURN showroom.move_parts(part_id, dc_id, outlet_id, 'adjustment', delta, NULL, note);
END
$$;

COMMENT ON FUNCTION showroom.adjust_parts(bigint, bigint, bigint, integer, text) IS
  'correct the parts count of a DC or an outlet by delta, with a note; returns the new balance';

-- record_part_use: record parts used on a service order by its outlet,
-- taken from the outlet's parts stock and priced from the list on used_on.
-- The order must have an outlet and be accepted, on the way or done; the
-- day of use may not lie in the future nor before the order was created.
-- Returns the part_use id.
CREATE FUNCTION showroom.record_part_use(order_id bigint, part_id bigint, qty integer,
                                         warranty boolean DEFAULT false,
                                         used_on date DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  o showroom.service_order;
  day date := coalesce(used_on, showroom.business_date(now()));
  new_id bigint;
BEGIN
  o := showroom.service_order_row(order_id);
  PERFORM showroom.check_parts_args(part_id, NULL, NULL, qty);
  IF warranty IS NULL THEN
    RAISE EXCEPTION 'warranty must not be null' USING ERRCODE = 'null_value_not_allowed';
  END IF;
  IF o.outlet_id IS NULL OR o.state NOT IN ('accepted', 'on_the_way', 'done') THEN
    RAISE EXCEPTION 'service order % cannot take parts in state %', order_id, o.state
      USING ERRCODE = 'SR413',
            DETAIL = format('Order %s is %s with outlet %s.', order_id, o.state,
                            coalesce(o.outlet_id::text, 'NULL')),
            HINT = 'Parts are recorded on accepted, on_the_way or done orders that have an outlet.';
  END IF;
  IF day > showroom.business_date(now()) OR day < showroom.business_date(o.created_at) THEN
    RAISE EXCEPTION 'invalid day of use %', day
      USING ERRCODE = '22023',
            DETAIL = CASE WHEN day > showroom.business_date(now())
                          THEN format('used_on = %s lies in the future.', day)
                          ELSE format('used_on = %s; order %s was created on %s.', day,
                                      order_id, showroom.business_date(o.created_at)) END,
            HINT = 'A part is used between the order''s creation and today.';
  END IF;
  IF NOT (showroom.part_row(part_id)).active THEN
    RAISE EXCEPTION 'part % is not active', part_id
      USING ERRCODE = 'SR404', DETAIL = format('Part %s is withdrawn from use.', part_id);
  END IF;

  INSERT INTO showroom.part_use (order_id, outlet_id, part_id, qty, used_on, warranty,
                                 price_id, unit_price_fen, amount_fen)
  VALUES (order_id, o.outlet_id, part_id, qty, day, warranty, 0, 0, 0)
  RETURNING id INTO new_id;
  PERFORM showroom.move_parts(part_id, NULL, o.outlet_id, 'use', -qty, new_id,
                              format('service order %s', order_id));
  RETURN new_id;
END
$$;

COMMENT ON FUNCTION showroom.record_part_use(bigint, bigint, integer, boolean, date) IS
  'record parts used on a service order from its outlet''s stock, priced from the list; returns the row id';

-- verify_parts_stock: places whose balance differs from the sum of their
-- ledger rows (none when all is well).
CREATE FUNCTION showroom.verify_parts_stock()
RETURNS TABLE (part_id bigint, dc_id bigint, outlet_id bigint, on_hand integer,
               ledger_sum bigint)
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT coalesce(s.part_id, m.part_id), coalesce(s.dc_id, m.dc_id),
         coalesce(s.outlet_id, m.outlet_id), coalesce(s.on_hand, 0),
         coalesce(m.total, 0)
    FROM showroom.part_stock s
    FULL JOIN (SELECT x.part_id, x.dc_id, x.outlet_id, sum(x.d_on_hand) AS total
                 FROM showroom.part_movement x
                GROUP BY x.part_id, x.dc_id, x.outlet_id) m
      ON m.part_id = s.part_id AND m.dc_id IS NOT DISTINCT FROM s.dc_id
     AND m.outlet_id IS NOT DISTINCT FROM s.outlet_id
   WHERE coalesce(s.on_hand, 0) <> coalesce(m.total, 0)
   ORDER BY 1, 2, 3;
END;

COMMENT ON FUNCTION showroom.verify_parts_stock() IS
  'places whose parts balance differs from the sum of their ledger rows';

-- The parts cost of each service order, in yuan.
CREATE VIEW showroom.service_order_parts AS
SELECT u.order_id,
       count(*)::integer AS lines,
       (sum(u.amount_fen) / 100.0)::numeric(14,2) AS list_amount,
       (sum(u.customer_fen) / 100.0)::numeric(14,2) AS customer_amount,
       (sum(u.amount_fen) FILTER (WHERE u.warranty) / 100.0)::numeric(14,2) AS warranty_amount
  FROM showroom.part_use u
 GROUP BY u.order_id;

COMMENT ON VIEW showroom.service_order_parts IS
  'parts cost per service order in yuan: at list price (reimbursed to the outlet), paid by the customer, under warranty';
COMMENT ON COLUMN showroom.service_order_parts.order_id IS 'service order';
COMMENT ON COLUMN showroom.service_order_parts.lines IS 'part-use rows';
COMMENT ON COLUMN showroom.service_order_parts.list_amount IS 'parts at list price, yuan (reimbursed to the outlet)';
COMMENT ON COLUMN showroom.service_order_parts.customer_amount IS 'what the customer pays for parts, yuan';
COMMENT ON COLUMN showroom.service_order_parts.warranty_amount IS 'parts under warranty at list price, yuan (NULL when none)';
