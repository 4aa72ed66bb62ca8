
--
-- fees: the catalogue of fee items the trade charges and pays, and the
-- quotes and receipts computed from it.
--
-- A fee item (installation, extra copper pipe, a bracket, high-altitude
-- work, a remote fee, ...) is charged to a payer (the customer, the
-- retailer or the manufacturer) and paid, separately, to the outlet that
-- did the work; the chain keeps or loses the difference.  Prices live in
-- fee_price rows, each for one item over a range of days, optionally only
-- for a product category, a band of air-conditioner horsepower, a sales
-- channel or a band of floors; the rows of one item never overlap.
--
-- A quote (before the work) and a receipt (after it) are fee documents,
-- computed here from the catalogue and the service order, never typed:
-- metres and kilometres are rounded up to whole units, only the highest
-- fee of a visit group (travel) counts, caps per visit and per household
-- hold, a region multiplier raises regional items.  A receipt writes the
-- outlet's share to outlet_amount, the table the settlement reads for
-- every per-order amount of this room and the next ones.
--

-- Fee items: what may appear on a quote or receipt.
CREATE TABLE showroom.fee_item (
  code        text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]*$'),
  name        text NOT NULL CHECK (btrim(name) <> ''),
  unit        text NOT NULL CHECK (unit IN ('each', 'metre', 'km', 'floor', 'hole')),
  payer       text NOT NULL CHECK (payer IN ('customer', 'retailer', 'manufacturer')),
  visit_group text CHECK (visit_group ~ '^[a-z][a-z0-9_]*$'),
  regional    boolean NOT NULL DEFAULT false,
  builtin     boolean NOT NULL DEFAULT false
);

COMMENT ON TABLE showroom.fee_item IS 'fee items: what a quote or receipt may charge, to whom, in which unit';
COMMENT ON COLUMN showroom.fee_item.code IS 'item code, for example copper_pipe';
COMMENT ON COLUMN showroom.fee_item.name IS 'name shown to people';
COMMENT ON COLUMN showroom.fee_item.unit IS 'each, metre, km, floor (priced by the floor band, charged per unit) or hole';
COMMENT ON COLUMN showroom.fee_item.payer IS 'who pays the price: customer, retailer or manufacturer';
COMMENT ON COLUMN showroom.fee_item.visit_group IS 'items of one group count once per visit: only the highest (travel fees)';
COMMENT ON COLUMN showroom.fee_item.regional IS 'amounts are multiplied by the region multiplier of the job''s place';
COMMENT ON COLUMN showroom.fee_item.builtin IS 'shipped with showroom as an example (not dumped)';

SELECT pg_catalog.pg_extension_config_dump('showroom.fee_item', 'WHERE NOT builtin');

-- Prices of fee items.  A NULL category, channel, horsepower band or floor
-- band means "any"; a row naming one is preferred to a row that does not.
CREATE TABLE showroom.fee_price (
  id         bigserial PRIMARY KEY,
  item       text NOT NULL REFERENCES showroom.fee_item (code),
  category   text REFERENCES showroom.category (code),
  hp         numrange CHECK (NOT isempty(hp)),
  channel    text CHECK (channel IN ('retail', 'key_account')),
  floors     int4range CHECK (NOT isempty(floors) AND lower(floors) >= 1),
  valid      daterange NOT NULL CHECK (NOT isempty(valid) AND NOT lower_inf(valid)),
  price_fen  bigint NOT NULL CHECK (price_fen >= 0),
  outlet_fen bigint NOT NULL CHECK (outlet_fen >= 0),
  free_qty   numeric(10,2) NOT NULL DEFAULT 0 CHECK (free_qty >= 0),
  min_fen    bigint CHECK (min_fen >= 0),
  max_fen    bigint CHECK (max_fen >= 0),
  cap_fen    bigint CHECK (cap_fen >= 0),
  cap_scope  text CHECK (cap_scope IN ('visit', 'household')),
  builtin    boolean NOT NULL DEFAULT false,
  CHECK (min_fen IS NULL OR max_fen IS NULL OR min_fen <= max_fen),
  CHECK ((cap_fen IS NULL) = (cap_scope IS NULL))
);

CREATE INDEX fee_price_item_idx ON showroom.fee_price (item);

COMMENT ON TABLE showroom.fee_price IS
  'prices of fee items over days, by category, horsepower band, channel and floor band; the rows of an item never overlap';
COMMENT ON COLUMN showroom.fee_price.id IS 'price id';
COMMENT ON COLUMN showroom.fee_price.item IS 'fee item priced';
COMMENT ON COLUMN showroom.fee_price.category IS 'product category it applies to, NULL for any';
COMMENT ON COLUMN showroom.fee_price.hp IS 'band of the SKU''s capacity_hp it applies to, NULL for any';
COMMENT ON COLUMN showroom.fee_price.channel IS 'sales channel it applies to (retail, key_account), NULL for any';
COMMENT ON COLUMN showroom.fee_price.floors IS 'band of floors it applies to (floor items), NULL for any';
COMMENT ON COLUMN showroom.fee_price.valid IS 'days it is in force';
COMMENT ON COLUMN showroom.fee_price.price_fen IS 'price to the payer per charged unit, fen';
COMMENT ON COLUMN showroom.fee_price.outlet_fen IS 'amount paid to the outlet per charged unit, fen';
COMMENT ON COLUMN showroom.fee_price.free_qty IS 'quantity included free (free pipe length, free radius in km, free holes)';
COMMENT ON COLUMN showroom.fee_price.min_fen IS 'least a charged line costs the payer, fen';
COMMENT ON COLUMN showroom.fee_price.max_fen IS 'most one line costs the payer, fen';
COMMENT ON COLUMN showroom.fee_price.cap_fen IS 'most the item costs per visit or per household, fen';
COMMENT ON COLUMN showroom.fee_price.cap_scope IS 'visit (one fee document) or household (every receipt of the household)';
COMMENT ON COLUMN showroom.fee_price.builtin IS 'shipped with showroom as an example (not dumped)';

SELECT pg_catalog.pg_extension_config_dump('showroom.fee_price', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('showroom.fee_price_id_seq', '');

-- fee_price_no_overlap: refuse a price row that overlaps another row of the
-- same item, category and channel in days, horsepower and floors (a NULL
-- band covers everything).  The item row is locked first, so two sessions
-- adding prices for one item take turns.
CREATE FUNCTION showroom.fee_price_no_overlap()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  clash showroom.fee_price;
BEGIN
  PERFORM 1 FROM showroom.fee_item i WHERE i.code = NEW.item FOR UPDATE;
  SELECT * INTO clash FROM showroom.fee_price p
   WHERE p.item = NEW.item AND p.id <> NEW.id
     AND p.category IS NOT DISTINCT FROM NEW.category
     AND p.channel IS NOT DISTINCT FROM NEW.channel
     AND p.valid && NEW.valid
     AND coalesce(p.hp, '(,)'::numrange) && coalesce(NEW.hp, '(,)'::numrange)
     AND coalesce(p.floors, '(,)'::int4range) && coalesce(NEW.floors, '(,)'::int4range)
   ORDER BY p.id LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'price of fee item % overlaps price %', NEW.item, clash.id
      USING ERRCODE = 'SR703',
            DETAIL = format('New days %s, hp %s, floors %s overlap price %s (days %s, hp %s, floors %s).',
                            NEW.valid, coalesce(NEW.hp::text, 'any'), coalesce(NEW.floors::text, 'any'),
                            clash.id, clash.valid, coalesce(clash.hp::text, 'any'),
                            coalesce(clash.floors::text, 'any')),
            HINT = 'End the old price with end_fee_price() the day before, or choose bands that do not overlap.';
  END IF;
  RETURN NEW;
END
$$;

COMMENT ON FUNCTION showroom.fee_price_no_overlap() IS
  'trigger: refuse a fee price overlapping another of the same item, category and channel';

CREATE TRIGGER fee_price_no_overlap
  BEFORE INSERT OR UPDATE ON showroom.fee_price
  FOR EACH ROW EXECUTE FUNCTION showroom.fee_price_no_overlap();

-- Regions whose regional items cost more (or less): the largest cities.
CREATE TABLE showroom.fee_region (
  id         bigserial PRIMARY KEY,
  code       text NOT NULL UNIQUE CHECK (code ~ '^[a-z][a-z0-9_]*$'),
  name       text NOT NULL,
  area       geometry(MultiPolygon, 4326) NOT NULL,
  multiplier numeric(4,2) NOT NULL CHECK (multiplier > 0 AND multiplier <= 10)
);

CREATE INDEX fee_region_area_idx ON showroom.fee_region USING gist (area);

COMMENT ON TABLE showroom.fee_region IS 'regions with a multiplier for regional fee items (materials cost more in the largest cities)';
COMMENT ON COLUMN showroom.fee_region.id IS 'region id';
COMMENT ON COLUMN showroom.fee_region.code IS 'region code';
COMMENT ON COLUMN showroom.fee_region.name IS 'region name';
COMMENT ON COLUMN showroom.fee_region.area IS 'where it applies (lon/lat)';
COMMENT ON COLUMN showroom.fee_region.multiplier IS 'factor on the amounts of regional items; where regions overlap the highest applies';

SELECT pg_catalog.pg_extension_config_dump('showroom.fee_region', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.fee_region_id_seq', '');

-- What a caller measured for one fee item: the quantity (units, metres,
-- km, holes; for a floor item the number of units) and, for floor items,
-- the floor.  A NULL quantity of a km item means "compute the distance
-- from the outlet's base to the job".
CREATE TYPE showroom.fee_measure AS (
  item  text,
  qty   numeric,
  floor integer
);

COMMENT ON TYPE showroom.fee_measure IS
  'one measured fee item of a quote or receipt: item code, quantity, floor (floor items only)';

-- Quotes and receipts.
CREATE TABLE showroom.fee_doc (
  id               bigserial PRIMARY KEY,
  service_order_id bigint NOT NULL REFERENCES showroom.service_order (id),
  doc_kind         text NOT NULL CHECK (doc_kind IN ('quote', 'receipt')),
  outlet_id        bigint REFERENCES showroom.outlet (id),
  fee_date         date NOT NULL,
  household        text NOT NULL,
  channel          text,
  region_id        bigint REFERENCES showroom.fee_region (id),
  multiplier       numeric(4,2) NOT NULL,
  customer_fen     bigint NOT NULL,
  charged_fen      bigint CHECK (charged_fen >= 0),
  issued_at        timestamptz NOT NULL DEFAULT now(),
  issued_by        text NOT NULL,
  CHECK (doc_kind = 'receipt' OR charged_fen IS NULL)
);

CREATE UNIQUE INDEX fee_doc_one_receipt_idx ON showroom.fee_doc (service_order_id)
  WHERE doc_kind = 'receipt';
CREATE INDEX fee_doc_order_idx ON showroom.fee_doc (service_order_id);
CREATE INDEX fee_doc_household_idx ON showroom.fee_doc (household) WHERE doc_kind = 'receipt';

COMMENT ON TABLE showroom.fee_doc IS 'quotes (before the work) and receipts (after it), computed from the fee catalogue';
COMMENT ON COLUMN showroom.fee_doc.id IS 'document id';
COMMENT ON COLUMN showroom.fee_doc.service_order_id IS 'service order quoted or charged';
COMMENT ON COLUMN showroom.fee_doc.doc_kind IS 'quote or receipt (one receipt per order)';
COMMENT ON COLUMN showroom.fee_doc.outlet_id IS 'outlet of the order when issued';
COMMENT ON COLUMN showroom.fee_doc.fee_date IS 'day whose prices apply (the service date for a quote, the day done for a receipt)';
COMMENT ON COLUMN showroom.fee_doc.household IS 'household key for caps: the customer''s phone, else the address, else the order';
COMMENT ON COLUMN showroom.fee_doc.channel IS 'sales channel of the order''s sale (NULL when there is no sale)';
COMMENT ON COLUMN showroom.fee_doc.region_id IS 'fee region of the job''s place, if any';
COMMENT ON COLUMN showroom.fee_doc.multiplier IS 'region multiplier applied to regional items';
COMMENT ON COLUMN showroom.fee_doc.customer_fen IS 'total the customer pays, fen';
COMMENT ON COLUMN showroom.fee_doc.charged_fen IS 'what the outlet says it charged the customer (receipts), never above customer_fen';
COMMENT ON COLUMN showroom.fee_doc.issued_at IS 'when it was computed';
COMMENT ON COLUMN showroom.fee_doc.issued_by IS 'person (showroom.person) or else role that issued it';

SELECT pg_catalog.pg_extension_config_dump('showroom.fee_doc', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.fee_doc_id_seq', '');

CREATE TABLE showroom.fee_doc_line (
  doc_id      bigint NOT NULL REFERENCES showroom.fee_doc (id),
  line_no     integer NOT NULL CHECK (line_no > 0),
  item        text NOT NULL REFERENCES showroom.fee_item (code),
  price_id    bigint NOT NULL REFERENCES showroom.fee_price (id),
  payer       text NOT NULL,
  measured    numeric NOT NULL,
  floor       integer,
  charged_qty numeric NOT NULL,
  amount_fen  bigint NOT NULL CHECK (amount_fen >= 0),
  outlet_fen  bigint NOT NULL CHECK (outlet_fen >= 0),
  note        text,
  PRIMARY KEY (doc_id, line_no)
);

COMMENT ON TABLE showroom.fee_doc_line IS 'lines of quotes and receipts: one measured fee item each';
COMMENT ON COLUMN showroom.fee_doc_line.doc_id IS 'quote or receipt';
COMMENT ON COLUMN showroom.fee_doc_line.line_no IS 'line number, in the order measured';
COMMENT ON COLUMN showroom.fee_doc_line.item IS 'fee item';
COMMENT ON COLUMN showroom.fee_doc_line.price_id IS 'price row applied';
COMMENT ON COLUMN showroom.fee_doc_line.payer IS 'who pays the line';
COMMENT ON COLUMN showroom.fee_doc_line.measured IS 'quantity measured (metres, km, units, holes)';
COMMENT ON COLUMN showroom.fee_doc_line.floor IS 'floor (floor items)';
COMMENT ON COLUMN showroom.fee_doc_line.charged_qty IS 'quantity charged: beyond the free quantity, metres and km rounded up';
COMMENT ON COLUMN showroom.fee_doc_line.amount_fen IS 'amount the payer pays, fen, after minimum, maximum, caps and visit group';
COMMENT ON COLUMN showroom.fee_doc_line.outlet_fen IS 'amount paid to the outlet, fen';
COMMENT ON COLUMN showroom.fee_doc_line.note IS 'why the amount differs from quantity times price (cap, minimum, not counted)';

SELECT pg_catalog.pg_extension_config_dump('showroom.fee_doc_line', '');

-- Per-order amounts for the outlet, one row per order and component, for
-- the settlement to pick up.  Components: fee_items (the outlet's share of
-- a receipt), and those the discipline room adds (penalty, unpaid_redo,
-- grade_cut, deposit_withheld, deposit_released).  Positive is owed to the
-- outlet, negative deducted.  A row may change until it is settled; the
-- settlement turns a later change into an adjustment.
CREATE TABLE showroom.outlet_amount (
  service_order_id bigint NOT NULL REFERENCES showroom.service_order (id),
  component        text NOT NULL CHECK (component IN
                     ('fee_items', 'penalty', 'unpaid_redo', 'grade_cut',
                      'deposit_withheld', 'deposit_released')),
  outlet_id        bigint NOT NULL REFERENCES showroom.outlet (id),
  amount_fen       bigint NOT NULL,
  due_on           date NOT NULL,
  note             text,
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (service_order_id, component)
);

CREATE INDEX outlet_amount_outlet_due_idx ON showroom.outlet_amount (outlet_id, due_on);

COMMENT ON TABLE showroom.outlet_amount IS
  'per-order amounts owed to or deducted from an outlet, one row per order and component, for the settlement';
COMMENT ON COLUMN showroom.outlet_amount.service_order_id IS 'service order';
COMMENT ON COLUMN showroom.outlet_amount.component IS 'fee_items, penalty, unpaid_redo, grade_cut, deposit_withheld or deposit_released';
COMMENT ON COLUMN showroom.outlet_amount.outlet_id IS 'outlet paid or charged';
COMMENT ON COLUMN showroom.outlet_amount.amount_fen IS 'fen; positive owed to the outlet, negative deducted';
COMMENT ON COLUMN showroom.outlet_amount.due_on IS 'business day it falls due (its settlement month)';
COMMENT ON COLUMN showroom.outlet_amount.note IS 'what it is';
COMMENT ON COLUMN showroom.outlet_amount.updated_at IS 'when it last changed';

SELECT pg_catalog.pg_extension_config_dump('showroom.outlet_amount', '');

-- set_outlet_amount: write (or replace) one component of an order; a zero
-- amount removes it.  Used by this room and the discipline room.
CREATE FUNCTION showroom.set_outlet_amount(order_id bigint, component text, outlet_id bigint,
                                           amount_fen bigint, due_on date, note text)
RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF order_id IS NULL OR component IS NULL OR outlet_id IS NULL OR amount_fen IS NULL
     OR due_on IS NULL THEN
    RAISE EXCEPTION 'an outlet amount needs an order, a component, an outlet, an amount and a due day'
      USING ERRCODE = '22004',
            DETAIL = format('order_id = %s, component = %s, outlet_id = %s, amount_fen = %s, due_on = %s.',
                            coalesce(order_id::text, 'NULL'), coalesce(quote_literal(component), 'NULL'),
                            coalesce(outlet_id::text, 'NULL'), coalesce(amount_fen::text, 'NULL'),
                            coalesce(due_on::text, 'NULL'));
  END IF;
  PERFORM showroom.check_range('amount_fen', amount_fen, -99999999999999, 99999999999999);
  PERFORM showroom.check_day('due_on', due_on);
  IF component NOT IN ('fee_items', 'penalty', 'unpaid_redo', 'grade_cut',
                       'deposit_withheld', 'deposit_released') THEN
    RAISE EXCEPTION 'unknown outlet amount component %', quote_literal(left(component, 40))
      USING ERRCODE = '22023',
            DETAIL = format('component = %s.', quote_literal(left(component, 40))),
            HINT = 'Use fee_items, penalty, unpaid_redo, grade_cut, deposit_withheld or deposit_released.';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM showroom.service_order so WHERE so.id = order_id) THEN
    RAISE EXCEPTION 'unknown service order %', order_id
      USING ERRCODE = 'SR401', DETAIL = format('There is no service order with id %s.', order_id);
  END IF;
  IF NOT EXISTS (SELECT 1 FROM showroom.outlet x WHERE x.id = outlet_id) THEN
    RAISE EXCEPTION 'unknown outlet %', outlet_id
      USING ERRCODE = 'SR201', DETAIL = format('No outlet has id %s.', outlet_id);
  END IF;
  IF amount_fen = 0 THEN
    DELETE FROM showroom.outlet_amount a
     WHERE a.service_order_id = order_id AND a.component = set_outlet_amount.component;
    RETURN;
  END IF;
  INSERT INTO showroom.outlet_amount AS a (service_order_id, component, outlet_id,
                                           amount_fen, due_on, note)
  VALUES (order_id, component, outlet_id, amount_fen, due_on, note)
  ON CONFLICT ON CONSTRAINT outlet_amount_pkey DO UPDATE
    SET outlet_id = excluded.outlet_id, amount_fen = excluded.amount_fen,
        due_on = excluded.due_on, note = excluded.note, updated_at = now();
END
$$;

COMMENT ON FUNCTION showroom.set_outlet_amount(bigint, text, bigint, bigint, date, text) IS
  'write or replace one per-order outlet amount (zero removes it)';

--
-- Catalogue API.
--

-- add_fee_item: add an item to the catalogue.  Returns its code.
CREATE FUNCTION showroom.add_fee_item(code text, name text, unit text, payer text,
                                      visit_group text DEFAULT NULL,
                                      regional boolean DEFAULT false)
RETURNS text
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF code IS NULL OR code !~ '^[a-z][a-z0-9_]*$' OR nullif(btrim(name), '') IS NULL THEN
    RAISE EXCEPTION 'invalid fee item code or name'
      USING ERRCODE = '22023',
            DETAIL = format('code = %s, name = %s.', coalesce(quote_literal(code), 'NULL'),
                            coalesce(quote_literal(name), 'NULL')),
            HINT = 'A code is lower-case letters, digits and underscores, starting with a letter.';
  END IF;
  IF visit_group !~ '^[a-z][a-z0-9_]*$' THEN
    RAISE EXCEPTION 'invalid visit group %', quote_literal(visit_group)
      USING ERRCODE = '22023', HINT = 'A visit group is lower-case letters, digits and underscores, like travel.';
  END IF;
  IF unit IS NULL OR unit NOT IN ('each', 'metre', 'km', 'floor', 'hole') THEN
    RAISE EXCEPTION 'unknown fee unit %', coalesce(quote_literal(unit), 'NULL')
      USING ERRCODE = '22023', HINT = 'Use each, metre, km, floor or hole.';
  END IF;
  IF payer IS NULL OR payer NOT IN ('customer', 'retailer', 'manufacturer') THEN
    RAISE EXCEPTION 'unknown payer %', coalesce(quote_literal(payer), 'NULL')
      USING ERRCODE = '22023', HINT = 'Use customer, retailer or manufacturer.';
  END IF;
  IF EXISTS (SELECT 1 FROM showroom.fee_item i WHERE i.code = add_fee_item.code) THEN
    RAISE EXCEPTION 'fee item % already exists', code
      USING ERRCODE = 'SR112', DETAIL = format('Code "%s" is taken.', code);
  END IF;
  INSERT INTO showroom.fee_item (code, name, unit, payer, visit_group, regional)
  VALUES (code, btrim(name), unit, payer, visit_group, coalesce(regional, false));
  RETURN code;
END
$$;

COMMENT ON FUNCTION showroom.add_fee_item(text, text, text, text, text, boolean) IS
  'add a fee item (code, name, unit, payer, visit group, regional); returns its code';

-- fee_item_row: return a fee item, or raise SR701.
CREATE FUNCTION showroom.fee_item_row(item text)
RETURNS showroom.fee_item
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  r showroom.fee_item;
BEGIN
  SELECT * INTO r FROM showroom.fee_item i WHERE i.code = item;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown fee item %', coalesce(quote_literal(item), 'NULL')
      USING ERRCODE = 'SR701', DETAIL = format('No fee item has code %s.', coalesce(quote_literal(item), 'NULL')),
            HINT = 'The items are listed in showroom.fee_catalogue.';
  END IF;
  RETURN r;
END
$$;

COMMENT ON FUNCTION showroom.fee_item_row(text) IS 'return a fee item; SR701 if there is none with that code';

-- set_fee_price: price an item from valid_from (to valid_to, inclusive, or
-- open-ended), in fen, optionally for a category, horsepower band
-- [hp_from, hp_to], channel or floor band [floor_from, floor_to].
-- Returns the price id.
CREATE FUNCTION showroom.set_fee_price(item text, price_fen bigint, outlet_fen bigint,
                                       valid_from date, valid_to date DEFAULT NULL,
                                       category text DEFAULT NULL,
                                       hp_from numeric DEFAULT NULL, hp_to numeric DEFAULT NULL,
                                       channel text DEFAULT NULL,
                                       floor_from integer DEFAULT NULL,
                                       floor_to integer DEFAULT NULL,
                                       free_qty numeric DEFAULT 0,
                                       min_fen bigint DEFAULT NULL, max_fen bigint DEFAULT NULL,
                                       cap_fen bigint DEFAULT NULL, cap_scope text DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  it showroom.fee_item := showroom.fee_item_row(item);
  new_id bigint;
BEGIN
  IF price_fen IS NULL OR outlet_fen IS NULL OR price_fen < 0 OR outlet_fen < 0
     OR coalesce(free_qty, 0) < 0 OR min_fen < 0 OR max_fen < 0 OR cap_fen < 0
     OR min_fen > max_fen THEN
    RAISE EXCEPTION 'invalid amounts for fee item %', item
      USING ERRCODE = '22023',
            DETAIL = format('price_fen = %s, outlet_fen = %s, free_qty = %s, min_fen = %s, max_fen = %s, cap_fen = %s.',
                            coalesce(price_fen::text, 'NULL'), coalesce(outlet_fen::text, 'NULL'),
                            coalesce(free_qty::text, 'NULL'), coalesce(min_fen::text, 'NULL'),
                            coalesce(max_fen::text, 'NULL'), coalesce(cap_fen::text, 'NULL')),
            HINT = 'Amounts are whole fen, zero or more; the minimum must not exceed the maximum.';
  END IF;
  IF valid_from IS NULL OR valid_to < valid_from THEN
    RAISE EXCEPTION 'invalid days for fee item %', item
      USING ERRCODE = '22023',
            DETAIL = format('valid_from = %s, valid_to = %s.', coalesce(valid_from::text, 'NULL'),
                            coalesce(valid_to::text, 'open')),
            HINT = 'A price starts on a day and ends on the same day or later, or never.';
  END IF;
  IF (hp_from IS NULL AND hp_to IS NOT NULL) OR hp_from < 0 OR hp_to < hp_from
     OR (floor_from IS NULL AND floor_to IS NOT NULL) OR floor_from < 1 OR floor_to < floor_from THEN
    RAISE EXCEPTION 'invalid band for fee item %', item
      USING ERRCODE = '22023',
            DETAIL = format('hp %s to %s, floors %s to %s.', coalesce(hp_from::text, 'NULL'),
                            coalesce(hp_to::text, 'NULL'), coalesce(floor_from::text, 'NULL'),
                            coalesce(floor_to::text, 'NULL')),
            HINT = 'A band has a lower end (the upper end may be NULL for "and above"); floors start at 1.';
  END IF;
  PERFORM showroom.check_range('price_fen', price_fen, 0, 99999999999999);
  PERFORM showroom.check_range('outlet_fen', outlet_fen, 0, 99999999999999);
  PERFORM showroom.check_range('min_fen', min_fen, 0, 99999999999999);
  PERFORM showroom.check_range('max_fen', max_fen, 0, 99999999999999);
  PERFORM showroom.check_range('cap_fen', cap_fen, 0, 99999999999999);
  PERFORM showroom.check_range('free_qty', free_qty, 0, 1000000);
  PERFORM showroom.check_range('hp_from', hp_from, 0, 1000);
  PERFORM showroom.check_range('hp_to', hp_to, 0, 1000);
  PERFORM showroom.check_range('floor_from', floor_from, 1, 1000);
  PERFORM showroom.check_range('floor_to', floor_to, 1, 1000);
  PERFORM showroom.check_day('valid_from', valid_from);
  PERFORM showroom.check_day('valid_to', valid_to);
  IF (floor_from IS NOT NULL) <> (it.unit = 'floor') THEN
    RAISE EXCEPTION 'floor band does not fit fee item %', item
      USING ERRCODE = '22023',
            DETAIL = format('Item %s has unit %s; floor_from = %s.', item, it.unit,
                            coalesce(floor_from::text, 'NULL')),
            HINT = 'Floor items need a floor band; other items take none.';
  END IF;
  IF channel NOT IN ('retail', 'key_account') THEN
    RAISE EXCEPTION 'unknown sales channel %', quote_literal(channel)
      USING ERRCODE = '22023', HINT = 'Use retail or key_account, or NULL for any.';
  END IF;
  IF category IS NOT NULL AND NOT EXISTS (SELECT 1 FROM showroom.category c WHERE c.code = category) THEN
    RAISE EXCEPTION 'unknown category %', quote_literal(category)
      USING ERRCODE = '22023', HINT = 'The categories are listed in showroom.category.';
  END IF;
  IF (cap_fen IS NULL) <> (cap_scope IS NULL) OR cap_scope NOT IN ('visit', 'household') THEN
    RAISE EXCEPTION 'invalid cap for fee item %', item
      USING ERRCODE = '22023',
            DETAIL = format('cap_fen = %s, cap_scope = %s.', coalesce(cap_fen::text, 'NULL'),
                            coalesce(quote_literal(cap_scope), 'NULL')),
            HINT = 'A cap needs both an amount and a scope (visit or household).';
  END IF;
  INSERT INTO showroom.fee_price (item, category, hp, channel, floors, valid, price_fen,
                                  outlet_fen, free_qty, min_fen, max_fen, cap_fen, cap_scope)
  VALUES (item, category,
          CASE WHEN hp_from IS NOT NULL THEN numrange(hp_from, hp_to, '[]') END,
          channel,
          CASE WHEN floor_from IS NOT NULL THEN int4range(floor_from, floor_to, '[]') END,
          daterange(valid_from, valid_to, '[]'), price_fen, outlet_fen,
          coalesce(free_qty, 0), min_fen, max_fen, cap_fen, cap_scope)
  RETURNING id INTO new_id;
  RETURN new_id;
END
$$;

COMMENT ON FUNCTION showroom.set_fee_price(text, bigint, bigint, date, date, text, numeric, numeric, text, integer, integer, numeric, bigint, bigint, bigint, text) IS
  'price a fee item over days (fen to the payer and to the outlet), optionally by category, hp band, channel, floor band; returns the price id';

-- end_fee_price: end an open or later-ending price on a day, so that a new
-- price may start the day after.  A price already used by a document keeps
-- the days it was used on.
CREATE FUNCTION showroom.end_fee_price(price_id bigint, valid_to date)
RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  p showroom.fee_price;
  last_used date;
BEGIN
  SELECT * INTO p FROM showroom.fee_price x WHERE x.id = price_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown fee price %', coalesce(price_id::text, 'NULL')
      USING ERRCODE = 'SR702', DETAIL = format('No fee price has id %s.', coalesce(price_id::text, 'NULL'));
  END IF;
  PERFORM showroom.check_day('valid_to', valid_to);
  IF valid_to IS NULL OR valid_to < lower(p.valid) THEN
    RAISE EXCEPTION 'invalid end day for fee price %', price_id
      USING ERRCODE = '22023',
            DETAIL = format('Price %s starts on %s; valid_to = %s.', price_id, lower(p.valid),
                            coalesce(valid_to::text, 'NULL'));
  END IF;
  SELECT max(d.fee_date) INTO last_used
    FROM showroom.fee_doc_line l JOIN showroom.fee_doc d ON d.id = l.doc_id
   WHERE l.price_id = end_fee_price.price_id;
  IF last_used > valid_to THEN
    RAISE EXCEPTION 'fee price % was used after %', price_id, valid_to
      USING ERRCODE = 'SR703',
            DETAIL = format('A document of %s used price %s.', last_used, price_id),
            HINT = 'End it on or after the last day it was used.';
  END IF;
  UPDATE showroom.fee_price x SET valid = daterange(lower(x.valid), valid_to, '[]')
   WHERE x.id = price_id;
END
$$;

COMMENT ON FUNCTION showroom.end_fee_price(bigint, date) IS
  'end a fee price on a day (not before a day a document used it)';

-- add_fee_region: a region whose regional items are multiplied.
CREATE FUNCTION showroom.add_fee_region(code text, name text, area geometry, multiplier numeric)
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  new_id bigint;
BEGIN
  IF code IS NULL OR code !~ '^[a-z][a-z0-9_]*$' OR nullif(btrim(name), '') IS NULL THEN
    RAISE EXCEPTION 'invalid fee region code or name'
      USING ERRCODE = '22023',
            DETAIL = format('code = %s, name = %s.', coalesce(quote_literal(code), 'NULL'),
                            coalesce(quote_literal(name), 'NULL'));
  END IF;
  IF multiplier IS NULL OR multiplier <= 0 OR multiplier > 10 THEN
    RAISE EXCEPTION 'region multiplier out of range'
      USING ERRCODE = '22003', DETAIL = format('multiplier = %s.', coalesce(multiplier::text, 'NULL')),
            HINT = 'A multiplier lies above 0 and at most 10 (1.20 for 20% more).';
  END IF;
  IF EXISTS (SELECT 1 FROM showroom.fee_region r WHERE r.code = add_fee_region.code) THEN
    RAISE EXCEPTION 'fee region % already exists', code
      USING ERRCODE = 'SR112', DETAIL = format('Code "%s" is taken.', code);
  END IF;
  INSERT INTO showroom.fee_region (code, name, area, multiplier)
  VALUES (code, btrim(name), showroom.area_geometry(area), round(multiplier, 2))
  RETURNING id INTO new_id;
  RETURN new_id;
END
$$;

COMMENT ON FUNCTION showroom.add_fee_region(text, text, geometry, numeric) IS
  'add a fee region (checked polygon, lon/lat) with its multiplier; returns its id';

--
-- Quotes and receipts.
--

-- fee_price_for: the price row of an item for a category, horsepower,
-- channel, floor and day: the most specific row that covers them, or
-- SR702.
CREATE FUNCTION showroom.fee_price_for(item text, category text, hp numeric, channel text,
                                       floor integer, day date)
RETURNS showroom.fee_price
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  r showroom.fee_price;
BEGIN
  SELECT * INTO r FROM showroom.fee_price p
   WHERE p.item = fee_price_for.item
     AND (p.category IS NULL OR p.category = fee_price_for.category)
     AND (p.channel IS NULL OR p.channel = fee_price_for.channel)
     AND (p.hp IS NULL OR fee_price_for.hp <@ p.hp)
     AND (p.floors IS NULL OR fee_price_for.floor <@ p.floors)
     AND p.valid @> day
   ORDER BY p.category IS NULL, p.channel IS NULL, p.hp IS NULL, p.floors IS NULL
   LIMIT 1;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no price for fee item %', item
      USING ERRCODE = 'SR702',
            DETAIL = format('Nothing covers category %s, hp %s, channel %s, floor %s on %s.',
                            coalesce(category, 'NULL'), coalesce(hp::text, 'unknown'),
                            coalesce(channel, 'none'), coalesce(floor::text, 'none'), day),
            HINT = 'The prices are listed in showroom.fee_catalogue.';
  END IF;
  RETURN r;
END
$$;

COMMENT ON FUNCTION showroom.fee_price_for(text, text, numeric, text, integer, date) IS
  'the most specific price of a fee item for a category, hp, channel, floor and day; SR702 if none';

-- fee_region_at: the fee region of a point (the highest multiplier where
-- regions overlap), or NULL; SR203 for a point without SRID.  Kept apart
-- so that fee_compute's arithmetic runs without PostGIS's schema in its
-- search_path.
CREATE FUNCTION showroom.fee_region_at(point geometry)
RETURNS showroom.fee_region
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, public, pg_temp
AS $$
  SELECT r.* FROM showroom.fee_region r
   WHERE ST_Covers(r.area, showroom.to_lonlat(point))
   ORDER BY r.multiplier DESC, r.id LIMIT 1
$$;

COMMENT ON FUNCTION showroom.fee_region_at(geometry) IS
  'the fee region covering a point (highest multiplier first), or NULL';

-- outlet_distance_m: metres on the spheroid from an outlet's base to a
-- point, or NULL for an unknown outlet.
CREATE FUNCTION showroom.outlet_distance_m(outlet_id bigint, point geometry)
RETURNS double precision
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, public, pg_temp
AS $$
  SELECT ST_Distance(o.base::geography, point::geography)
    FROM showroom.outlet o WHERE o.id = outlet_id
$$;

COMMENT ON FUNCTION showroom.outlet_distance_m(bigint, geometry) IS
  'metres on the spheroid from an outlet''s base to a point';

-- fee_compute: compute a quote or receipt of a service order from measured
-- items, write the document and its lines, and return its id.  The steps,
-- per line: price row; quantity charged (beyond the free quantity, metres
-- and km rounded up to whole units); times the unit amounts and, for
-- regional items, the region multiplier; the line's minimum and maximum;
-- the cap per visit (earlier lines of the document) or per household
-- (also earlier receipts of the household).  Then in each visit group only
-- the highest line counts.  The outlet's amount follows the payer's in
-- proportion whenever a minimum, maximum or cap changed it.
CREATE FUNCTION showroom.fee_compute(order_id bigint, doc_kind text,
                                     measures showroom.fee_measure[], charged_fen bigint)
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  o showroom.service_order := showroom.service_order_row(order_id);
  m showroom.fee_measure;
  it showroom.fee_item;
  p showroom.fee_price;
  hp numeric;
  chan text;
  hh text;
  day date;
  reg showroom.fee_region;
  mult numeric;
  doc bigint;
  n integer := 0;
  q numeric;
  charged numeric;
  f numeric;
  raw bigint;
  raw_outlet bigint;
  amt bigint;
  used bigint;
  why text;
BEGIN
  IF doc_kind IS NULL OR doc_kind NOT IN ('quote', 'receipt') THEN
    RAISE EXCEPTION 'unknown fee document kind %', coalesce(quote_literal(left(doc_kind, 40)), 'NULL')
      USING ERRCODE = '22023',
            DETAIL = format('Order %s, doc_kind = %s.', order_id,
                            coalesce(quote_literal(left(doc_kind, 40)), 'NULL')),
            HINT = 'Use quote or receipt.';
  END IF;
  IF charged_fen IS NOT NULL AND doc_kind = 'quote' THEN
    RAISE EXCEPTION 'a quote has no charged amount'
      USING ERRCODE = '22023', DETAIL = format('Order %s, charged_fen = %s.', order_id, charged_fen),
            HINT = 'Pass NULL for a quote; the charged amount belongs to a receipt.';
  END IF;
  PERFORM showroom.check_range('charged_fen', charged_fen, 0, 99999999999999);
  IF measures IS NULL OR cardinality(measures) = 0 THEN
    RAISE EXCEPTION 'a % needs at least one measured item', doc_kind
      USING ERRCODE = '22023', DETAIL = format('Order %s, measures %s.', order_id,
                                                coalesce(measures::text, 'NULL'));
  END IF;
  SELECT s.capacity_hp INTO hp FROM showroom.sku s WHERE s.id = o.sku_id;
  SELECT so.channel INTO chan FROM showroom.sales_order so WHERE so.id = o.sales_order_id;
  hh := coalesce(nullif(btrim(o.customer_phone), ''), nullif(btrim(o.address), ''),
                 'order ' || o.id);
  day := CASE WHEN doc_kind = 'receipt' THEN showroom.business_date(coalesce(o.done_at, now()))
              ELSE o.service_date END;
  reg := showroom.fee_region_at(o.point);
  mult := coalesce(reg.multiplier, 1.00);

  INSERT INTO showroom.fee_doc (service_order_id, doc_kind, outlet_id, fee_date, household,
                                channel, region_id, multiplier, customer_fen, charged_fen,
                                issued_by)
  VALUES (order_id, doc_kind, o.outlet_id, day, hh, chan, reg.id, mult, 0, charged_fen,
          showroom.acting_person())
  RETURNING id INTO doc;

  FOREACH m IN ARRAY measures LOOP
    n := n + 1;
    it := showroom.fee_item_row(m.item);
    IF (m.floor IS NOT NULL) <> (it.unit = 'floor') OR m.floor < 1 THEN
      RAISE EXCEPTION 'floor does not fit fee item %', it.code
        USING ERRCODE = '22023',
              DETAIL = format('Line %s: item %s has unit %s, floor = %s.', n, it.code, it.unit,
                              coalesce(m.floor::text, 'NULL')),
              HINT = 'Give a floor (1 or more) for floor items and for no other.';
    END IF;
    q := m.qty;
    IF q IS NULL AND it.unit = 'km' THEN
      IF o.outlet_id IS NULL THEN
        RAISE EXCEPTION 'no outlet to measure the distance from'
          USING ERRCODE = '22023',
                DETAIL = format('Line %s: order %s has no outlet and item %s has no distance.',
                                n, order_id, it.code),
                HINT = 'Dispatch the order first, or give the kilometres.';
      END IF;
      q := round((showroom.outlet_distance_m(o.outlet_id, o.point) / 1000.0)::numeric, 3);
    END IF;
    IF q IS NULL OR q < 0 OR q > 100000 OR q = 'NaN'
       OR (it.unit IN ('each', 'hole', 'floor') AND q <> trunc(q)) THEN
      RAISE EXCEPTION 'invalid quantity for fee item %', it.code
        USING ERRCODE = '22023',
              DETAIL = format('Line %s: qty = %s (unit %s).', n, coalesce(q::text, 'NULL'), it.unit),
              HINT = 'Quantities are 0 or more; units, holes and floor items count whole units.';
    END IF;
    p := showroom.fee_price_for(it.code, o.category, hp, chan, m.floor, day);

    -- Quantity charged, and the amounts it gives before any limit.
    charged := greatest(q - CASE WHEN it.unit = 'floor' THEN 0 ELSE p.free_qty END, 0);
    IF it.unit IN ('metre', 'km') THEN
      charged := ceil(charged);
    END IF;
    f := CASE WHEN it.regional THEN mult ELSE 1 END;
    raw := round(charged * p.price_fen * f);
    raw_outlet := round(charged * p.outlet_fen * f);
    amt := raw;
    why := NULL;
    IF charged > 0 AND amt < p.min_fen THEN
      amt := p.min_fen; why := 'minimum';
    END IF;
    IF amt > p.max_fen THEN
      amt := p.max_fen; why := 'maximum';
    END IF;
    IF p.cap_fen IS NOT NULL THEN
      -- Two index probes rather than one OR: this document's lines by
      -- its key, the household's receipts by fee_doc_household_idx.
      SELECT coalesce(sum(l.amount_fen), 0) INTO used
        FROM showroom.fee_doc_line l
       WHERE l.doc_id = doc AND l.item = it.code;
      IF p.cap_scope = 'household' THEN
        used := used + (SELECT coalesce(sum(l.amount_fen), 0)
                          FROM showroom.fee_doc d
                          JOIN showroom.fee_doc_line l ON l.doc_id = d.id
                         WHERE d.doc_kind = 'receipt' AND d.household = hh
                           AND d.service_order_id <> order_id AND l.item = it.code);
      END IF;
      IF amt > greatest(p.cap_fen - used, 0) THEN
        amt := greatest(p.cap_fen - used, 0);
        why := format('%s cap %s fen, %s fen already charged', p.cap_scope, p.cap_fen, used);
      END IF;
    END IF;
    INSERT INTO showroom.fee_doc_line (doc_id, line_no, item, price_id, payer, measured, floor,
                                       charged_qty, amount_fen, outlet_fen, note)
    VALUES (doc, n, it.code, p.id, it.payer, q, m.floor, charged, amt,
            CASE WHEN raw = amt THEN raw_outlet
                 WHEN raw = 0 THEN least(raw_outlet, amt)
                 ELSE round(raw_outlet::numeric * amt / raw) END,
            why);
  END LOOP;

  -- In each visit group only the highest line counts (the first of equals).
  UPDATE showroom.fee_doc_line l
     SET amount_fen = 0, outlet_fen = 0,
         note = format('not counted: only the highest %s fee of a visit counts', i.visit_group)
    FROM showroom.fee_item i
   WHERE l.doc_id = doc AND i.code = l.item AND i.visit_group IS NOT NULL
     AND EXISTS (SELECT 1 FROM showroom.fee_doc_line k JOIN showroom.fee_item j ON j.code = k.item
                  WHERE k.doc_id = doc AND j.visit_group = i.visit_group
                    AND (k.amount_fen > l.amount_fen
                         OR (k.amount_fen = l.amount_fen AND k.line_no < l.line_no)));

  UPDATE showroom.fee_doc d
     SET customer_fen = (SELECT coalesce(sum(l.amount_fen), 0) FROM showroom.fee_doc_line l
                          WHERE l.doc_id = doc AND l.payer = 'customer')
   WHERE d.id = doc;
  RETURN doc;
END
$$;

COMMENT ON FUNCTION showroom.fee_compute(bigint, text, showroom.fee_measure[], bigint) IS
  'compute and write a quote or receipt of a service order from measured fee items; returns the document id';

-- quote: the customer's quote before the work.  The order must not be
-- done yet; quoting again gives a new quote.  Returns the quote's id.
CREATE FUNCTION showroom.quote(order_id bigint, measures showroom.fee_measure[])
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  o showroom.service_order := showroom.service_order_row(order_id);
BEGIN
  IF o.state NOT IN ('requested', 'dispatched', 'accepted', 'on_the_way') THEN
    RAISE EXCEPTION 'service order % cannot be quoted', order_id
      USING ERRCODE = 'SR704',
            DETAIL = format('Order %s is %s; a quote comes before the work.', order_id, o.state),
            HINT = 'Issue a receipt for work that is done.';
  END IF;
  RETURN showroom.fee_compute(order_id, 'quote', measures, NULL);
END
$$;

COMMENT ON FUNCTION showroom.quote(bigint, showroom.fee_measure[]) IS
  'compute the customer''s quote of a service order before the work; returns the quote id';

-- issue_receipt: the receipt after the work, computed like a quote.  The
-- order must be done (or past it) and have an outlet; one receipt per
-- order.  charged_fen is what the outlet says it charged the customer: it
-- may not exceed the computed customer total (SR705).  Writes the outlet's
-- share as the order's fee_items amount.  Returns the receipt's id.
CREATE FUNCTION showroom.issue_receipt(order_id bigint, measures showroom.fee_measure[],
                                       charged_fen bigint DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  o showroom.service_order := showroom.service_order_row(order_id);
  doc bigint;
  d showroom.fee_doc;
  share bigint;
BEGIN
  IF o.state NOT IN ('done', 'return_visit', 'closed') OR o.outlet_id IS NULL THEN
    RAISE EXCEPTION 'service order % cannot have a receipt yet', order_id
      USING ERRCODE = 'SR704',
            DETAIL = format('Order %s is %s, outlet %s; a receipt follows done work.', order_id,
                            o.state, coalesce(o.outlet_id::text, 'none')),
            HINT = 'Quote it instead, or issue the receipt once the job is done.';
  END IF;
  IF EXISTS (SELECT 1 FROM showroom.fee_doc x
              WHERE x.service_order_id = order_id AND x.doc_kind = 'receipt') THEN
    RAISE EXCEPTION 'service order % already has a receipt', order_id
      USING ERRCODE = 'SR704', DETAIL = format('Order %s was charged once already.', order_id),
            HINT = 'A receipt is issued once; a correction is an adjustment of the settlement.';
  END IF;
  IF charged_fen < 0 THEN
    RAISE EXCEPTION 'charged amount must not be negative'
      USING ERRCODE = '22023', DETAIL = format('charged_fen = %s.', charged_fen);
  END IF;
  doc := showroom.fee_compute(order_id, 'receipt', measures, charged_fen);
  SELECT * INTO d FROM showroom.fee_doc x WHERE x.id = doc;
  IF charged_fen > d.customer_fen THEN
    RAISE EXCEPTION 'outlet charged more than the catalogue allows'
      USING ERRCODE = 'SR705',
            DETAIL = format('Order %s: charged %s fen, the catalogue gives %s fen.', order_id,
                            charged_fen, d.customer_fen),
            HINT = 'The customer pays what the receipt computes, never more.';
  END IF;
  SELECT sum(l.outlet_fen) INTO share FROM showroom.fee_doc_line l WHERE l.doc_id = doc;
  PERFORM showroom.set_outlet_amount(order_id, 'fee_items', o.outlet_id, share, d.fee_date,
                                     format('receipt %s', doc));
  -- The grade cut and the quality deposit follow the fee items; the
  -- discipline room (later in the script, bound when this runs) keeps them.
  PERFORM showroom.refresh_order_amounts(order_id);
  RETURN doc;
END
$$;

COMMENT ON FUNCTION showroom.issue_receipt(bigint, showroom.fee_measure[], bigint) IS
  'compute the receipt of a done service order (once), refusing a charge above it; records the outlet''s share; returns the receipt id';

--
-- The return visit's question "were you charged more than the receipt?",
-- asked through the workflow's answer codes.
--
INSERT INTO showroom.problem_code (code, parent, name, builtin) VALUES
  ('visit.charged_as_receipt', 'visit', 'customer paid what the receipt says', true),
  ('visit.overcharged', 'visit', 'customer says the crew charged more than the receipt', true);

--
-- Views.
--

CREATE VIEW showroom.fee_catalogue AS
SELECT p.id AS price_id, i.code AS item, i.name, i.unit, i.payer, p.category,
       p.hp, p.channel, p.floors, p.valid,
       (p.price_fen / 100.0)::numeric(14,2) AS price,
       (p.outlet_fen / 100.0)::numeric(14,2) AS to_outlet,
       p.free_qty,
       (p.min_fen / 100.0)::numeric(14,2) AS minimum,
       (p.max_fen / 100.0)::numeric(14,2) AS maximum,
       (p.cap_fen / 100.0)::numeric(14,2) AS cap, p.cap_scope,
       i.visit_group, i.regional
  FROM showroom.fee_item i
  JOIN showroom.fee_price p ON p.item = i.code;

COMMENT ON VIEW showroom.fee_catalogue IS 'every fee price with its item, in yuan';
COMMENT ON COLUMN showroom.fee_catalogue.price_id IS 'price id';
COMMENT ON COLUMN showroom.fee_catalogue.item IS 'fee item code';
COMMENT ON COLUMN showroom.fee_catalogue.name IS 'item name';
COMMENT ON COLUMN showroom.fee_catalogue.unit IS 'unit charged';
COMMENT ON COLUMN showroom.fee_catalogue.payer IS 'who pays';
COMMENT ON COLUMN showroom.fee_catalogue.category IS 'category, NULL for any';
COMMENT ON COLUMN showroom.fee_catalogue.hp IS 'horsepower band, NULL for any';
COMMENT ON COLUMN showroom.fee_catalogue.channel IS 'sales channel, NULL for any';
COMMENT ON COLUMN showroom.fee_catalogue.floors IS 'floor band, NULL for any';
COMMENT ON COLUMN showroom.fee_catalogue.valid IS 'days in force';
COMMENT ON COLUMN showroom.fee_catalogue.price IS 'price to the payer per unit, yuan';
COMMENT ON COLUMN showroom.fee_catalogue.to_outlet IS 'paid to the outlet per unit, yuan';
COMMENT ON COLUMN showroom.fee_catalogue.free_qty IS 'quantity included free';
COMMENT ON COLUMN showroom.fee_catalogue.minimum IS 'least per line, yuan';
COMMENT ON COLUMN showroom.fee_catalogue.maximum IS 'most per line, yuan';
COMMENT ON COLUMN showroom.fee_catalogue.cap IS 'most per visit or household, yuan';
COMMENT ON COLUMN showroom.fee_catalogue.cap_scope IS 'visit or household';
COMMENT ON COLUMN showroom.fee_catalogue.visit_group IS 'group counted once per visit (highest only)';
COMMENT ON COLUMN showroom.fee_catalogue.regional IS 'multiplied by the region multiplier';

CREATE VIEW showroom.fee_margin AS
SELECT d.id AS doc_id, d.doc_kind, d.service_order_id, d.outlet_id, d.fee_date,
       l.line_no, l.item, l.payer, l.charged_qty,
       (l.amount_fen / 100.0)::numeric(14,2) AS charged,
       (l.outlet_fen / 100.0)::numeric(14,2) AS to_outlet,
       ((l.amount_fen - l.outlet_fen) / 100.0)::numeric(14,2) AS margin
  FROM showroom.fee_doc d
  JOIN showroom.fee_doc_line l ON l.doc_id = d.id;

COMMENT ON VIEW showroom.fee_margin IS 'per line of each quote and receipt: what the payer pays, what the outlet gets and the chain''s margin';
COMMENT ON COLUMN showroom.fee_margin.doc_id IS 'quote or receipt id';
COMMENT ON COLUMN showroom.fee_margin.doc_kind IS 'quote or receipt';
COMMENT ON COLUMN showroom.fee_margin.service_order_id IS 'service order';
COMMENT ON COLUMN showroom.fee_margin.outlet_id IS 'outlet';
COMMENT ON COLUMN showroom.fee_margin.fee_date IS 'day priced';
COMMENT ON COLUMN showroom.fee_margin.line_no IS 'line number';
COMMENT ON COLUMN showroom.fee_margin.item IS 'fee item';
COMMENT ON COLUMN showroom.fee_margin.payer IS 'who pays';
COMMENT ON COLUMN showroom.fee_margin.charged_qty IS 'quantity charged';
COMMENT ON COLUMN showroom.fee_margin.charged IS 'paid by the payer, yuan';
COMMENT ON COLUMN showroom.fee_margin.to_outlet IS 'paid to the outlet, yuan';
COMMENT ON COLUMN showroom.fee_margin.margin IS 'the chain''s margin (negative: a loss), yuan';

CREATE VIEW showroom.overcharge_reports AS
SELECT v.id AS visit_id, v.order_id, v.outlet_id, v.visited_at, a.code AS answer,
       d.id AS receipt_id,
       (d.customer_fen / 100.0)::numeric(14,2) AS receipt_total,
       (d.charged_fen / 100.0)::numeric(14,2) AS outlet_says_charged
  FROM showroom.return_visit v
  JOIN showroom.return_visit_answer a ON a.visit_id = v.id
  LEFT JOIN showroom.fee_doc d ON d.service_order_id = v.order_id AND d.doc_kind = 'receipt'
 WHERE a.code IN ('visit.overcharged', 'visit.extra_charge');

COMMENT ON VIEW showroom.overcharge_reports IS 'return visits where the customer said the crew charged more than the receipt';
COMMENT ON COLUMN showroom.overcharge_reports.visit_id IS 'return visit';
COMMENT ON COLUMN showroom.overcharge_reports.order_id IS 'service order';
COMMENT ON COLUMN showroom.overcharge_reports.outlet_id IS 'outlet that did the job';
COMMENT ON COLUMN showroom.overcharge_reports.visited_at IS 'when the customer was called';
COMMENT ON COLUMN showroom.overcharge_reports.answer IS 'visit.overcharged or visit.extra_charge';
COMMENT ON COLUMN showroom.overcharge_reports.receipt_id IS 'the order''s receipt, if any';
COMMENT ON COLUMN showroom.overcharge_reports.receipt_total IS 'what the receipt says the customer pays, yuan';
COMMENT ON COLUMN showroom.overcharge_reports.outlet_says_charged IS 'what the outlet said it charged, yuan';

--
-- The example catalogue, in force from 1 January 2026 (builtin rows: a
-- chain replaces them by ending them and adding its own).  Prices in fen.
--
INSERT INTO showroom.fee_item (code, name, unit, payer, visit_group, regional, builtin) VALUES
  ('ac_install', 'air-conditioner installation', 'each', 'retailer', NULL, false, true),
  ('wm_install', 'washing-machine installation', 'each', 'retailer', NULL, false, true),
  ('tv_wall_mount', 'television wall mounting', 'each', 'retailer', NULL, false, true),
  ('remote_km', 'remote fee per km one way beyond the free radius', 'km', 'customer', 'travel', false, true),
  ('remote_flat', 'remote village flat fee', 'each', 'customer', 'travel', false, true),
  ('copper_pipe', 'extra copper pipe per metre beyond the free length', 'metre', 'customer', NULL, true, true),
  ('ac_bracket', 'outdoor-unit bracket', 'each', 'customer', NULL, true, true),
  ('high_altitude', 'high-altitude work per unit, by floor', 'floor', 'customer', NULL, false, true),
  ('wall_hole', 'wall drilling per hole beyond the first', 'hole', 'customer', NULL, false, true),
  ('old_unit_removal', 'removal of the old unit', 'each', 'customer', NULL, false, true),
  ('no_fault_visit', 'visit that finds no fault', 'each', 'customer', NULL, false, true),
  ('urgent_reward', 'reward for an urgent job', 'each', 'retailer', NULL, false, true),
  ('timeliness_reward', 'reward for a job finished in time', 'each', 'retailer', NULL, false, true),
  ('good_review_fee', 'fee for a good customer review', 'each', 'retailer', NULL, false, true),
  ('peak_subsidy', 'air-conditioner peak-season subsidy', 'each', 'manufacturer', NULL, false, true);

INSERT INTO showroom.fee_price (item, category, hp, floors, valid, price_fen, outlet_fen,
                                free_qty, cap_fen, cap_scope, builtin)
SELECT s.item, s.category, s.hp::numrange, s.floors::int4range, s.valid::daterange,
       s.price_fen, s.outlet_fen, s.free_qty, s.cap_fen, s.cap_scope, true
  FROM (VALUES
  ('ac_install', 'air_conditioner', '(0,1]', NULL, '[2026-01-01,)', 15000, 12000, 0, NULL, NULL),
  ('ac_install', 'air_conditioner', '(1,2]', NULL, '[2026-01-01,)', 20000, 16000, 0, NULL, NULL),
  ('ac_install', 'air_conditioner', '(2,3]', NULL, '[2026-01-01,)', 30000, 25000, 0, NULL, NULL),
  ('ac_install', 'air_conditioner', '(3,)', NULL, '[2026-01-01,)', 40000, 33000, 0, NULL, NULL),
  ('wm_install', 'washing_machine', NULL, NULL, '[2026-01-01,)', 5000, 4000, 0, NULL, NULL),
  ('tv_wall_mount', 'television', NULL, NULL, '[2026-01-01,)', 8000, 6000, 0, NULL, NULL),
  ('remote_km', NULL, NULL, NULL, '[2026-01-01,)', 150, 150, 20, NULL, NULL),
  ('remote_flat', NULL, NULL, NULL, '[2026-01-01,)', 3000, 3000, 0, NULL, NULL),
  ('copper_pipe', 'air_conditioner', '(0,1]', NULL, '[2026-01-01,)', 8000, 6000, 3, NULL, NULL),
  ('copper_pipe', 'air_conditioner', '(1,2]', NULL, '[2026-01-01,)', 12000, 9000, 3, NULL, NULL),
  ('copper_pipe', 'air_conditioner', '(2,3]', NULL, '[2026-01-01,)', 16000, 12000, 3, NULL, NULL),
  ('copper_pipe', 'air_conditioner', '(3,)', NULL, '[2026-01-01,)', 24000, 18000, 3, NULL, NULL),
  ('ac_bracket', 'air_conditioner', NULL, NULL, '[2026-01-01,)', 10000, 7000, 0, NULL, NULL),
  ('high_altitude', NULL, NULL, '[4,10]', '[2026-01-01,)', 10000, 8000, 0, 20000, 'household'),
  ('high_altitude', NULL, NULL, '[11,)', '[2026-01-01,)', 20000, 16000, 0, 20000, 'household'),
  ('wall_hole', NULL, NULL, NULL, '[2026-01-01,)', 5000, 4000, 1, NULL, NULL),
  ('old_unit_removal', NULL, NULL, NULL, '[2026-01-01,)', 5000, 4000, 0, NULL, NULL),
  ('no_fault_visit', NULL, NULL, NULL, '[2026-01-01,)', 5000, 4000, 0, NULL, NULL),
  ('urgent_reward', NULL, NULL, NULL, '[2026-01-01,)', 3000, 3000, 0, NULL, NULL),
  ('timeliness_reward', NULL, NULL, NULL, '[2026-01-01,)', 1000, 1000, 0, NULL, NULL),
  ('good_review_fee', NULL, NULL, NULL, '[2026-01-01,)', 500, 500, 0, NULL, NULL),
  ('peak_subsidy', 'air_conditioner', NULL, NULL, '[2026-04-01,2026-07-31]', 2000, 2000, 0, NULL, NULL)
  ) AS s (item, category, hp, floors, valid, price_fen, outlet_fen, free_qty, cap_fen, cap_scope);
