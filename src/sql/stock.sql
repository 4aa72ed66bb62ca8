
--
-- stock: the catalogue, distribution centres, stores, stock balances, the
-- movement ledger, sales orders and their allocations.
--

-- Product categories.  The six built-in ones ship with the extension;
-- a chain may add its own (builtin = false), and only those are dumped.
CREATE TABLE showroom.category (
  code    text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]*$'),
  name    text NOT NULL,
  large   boolean NOT NULL,
  builtin boolean NOT NULL DEFAULT false
);

COMMENT ON TABLE showroom.category IS 'product categories';
COMMENT ON COLUMN showroom.category.code IS 'category code, lower-case';
COMMENT ON COLUMN showroom.category.name IS 'name shown to people';
COMMENT ON COLUMN showroom.category.large IS 'large items are delivered from the DC and shown in stores as samples';
COMMENT ON COLUMN showroom.category.builtin IS 'shipped with showroom (not dumped)';

SELECT pg_catalog.pg_extension_config_dump('showroom.category', 'WHERE NOT builtin');

INSERT INTO showroom.category (code, name, large, builtin) VALUES
  ('air_conditioner', 'air conditioner', true, true),
  ('refrigerator', 'refrigerator', true, true),
  ('washing_machine', 'washing machine', true, true),
  ('television', 'television', true, true),
  ('small_appliance', 'small appliance', false, true),
  ('part', 'part or consumable', false, true);

-- Stock-keeping units.  Money is kept in whole fen (0.01 yuan).
CREATE TABLE showroom.sku (
  id            bigserial PRIMARY KEY,
  code          text NOT NULL UNIQUE,
  name          text NOT NULL,
  category      text NOT NULL REFERENCES showroom.category (code),
  needs_install boolean NOT NULL DEFAULT false,
  list_price_fen bigint NOT NULL CHECK (list_price_fen >= 0),
  volume_l      numeric(10,1) CHECK (volume_l > 0),
  weight_kg     numeric(10,1) CHECK (weight_kg > 0),
  capacity_hp   numeric(4,1) CHECK (capacity_hp > 0),
  active        boolean NOT NULL DEFAULT true
);

COMMENT ON TABLE showroom.sku IS 'stock-keeping units: the products the chain sells';
COMMENT ON COLUMN showroom.sku.id IS 'SKU id';
COMMENT ON COLUMN showroom.sku.code IS 'SKU code, as the ERP knows it';
COMMENT ON COLUMN showroom.sku.name IS 'product name';
COMMENT ON COLUMN showroom.sku.category IS 'product category';
COMMENT ON COLUMN showroom.sku.needs_install IS 'a delivery of this SKU is followed by an installation';
COMMENT ON COLUMN showroom.sku.list_price_fen IS 'list price in fen';
COMMENT ON COLUMN showroom.sku.volume_l IS 'packed volume in litres';
COMMENT ON COLUMN showroom.sku.weight_kg IS 'packed weight in kilograms';
COMMENT ON COLUMN showroom.sku.capacity_hp IS 'cooling capacity in horsepower (air conditioners)';
COMMENT ON COLUMN showroom.sku.active IS 'whether it may be sold';

SELECT pg_catalog.pg_extension_config_dump('showroom.sku', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.sku_id_seq', '');

-- Distribution centres: the only places that hold sellable stock.
CREATE TABLE showroom.dc (
  id       bigserial PRIMARY KEY,
  code     text NOT NULL UNIQUE,
  name     text NOT NULL,
  location geometry(Point, 4326) NOT NULL,
  region   geometry(MultiPolygon, 4326),
  active   boolean NOT NULL DEFAULT true
);

CREATE INDEX dc_region_idx ON showroom.dc USING gist (region);

COMMENT ON TABLE showroom.dc IS 'distribution centres, each holding the stock of its region';
COMMENT ON COLUMN showroom.dc.id IS 'DC id';
COMMENT ON COLUMN showroom.dc.code IS 'DC code';
COMMENT ON COLUMN showroom.dc.name IS 'DC name';
COMMENT ON COLUMN showroom.dc.location IS 'where the DC stands (lon/lat)';
COMMENT ON COLUMN showroom.dc.region IS 'the region it delivers to';
COMMENT ON COLUMN showroom.dc.active IS 'whether it may allocate and ship';

SELECT pg_catalog.pg_extension_config_dump('showroom.dc', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.dc_id_seq', '');

-- Stores: showrooms that hold display samples, not stock.
CREATE TABLE showroom.store (
  id         bigserial PRIMARY KEY,
  code       text NOT NULL UNIQUE,
  name       text NOT NULL,
  location   geometry(Point, 4326) NOT NULL,
  home_dc_id bigint NOT NULL REFERENCES showroom.dc (id),
  active     boolean NOT NULL DEFAULT true
);

CREATE INDEX store_home_dc_idx ON showroom.store (home_dc_id);

COMMENT ON TABLE showroom.store IS 'stores: showrooms with display samples and no sellable stock';
COMMENT ON COLUMN showroom.store.id IS 'store id';
COMMENT ON COLUMN showroom.store.code IS 'store code';
COMMENT ON COLUMN showroom.store.name IS 'store name';
COMMENT ON COLUMN showroom.store.location IS 'where the store stands (lon/lat)';
COMMENT ON COLUMN showroom.store.home_dc_id IS 'DC that serves the store when no DC region covers the customer';
COMMENT ON COLUMN showroom.store.active IS 'whether it may sell';

SELECT pg_catalog.pg_extension_config_dump('showroom.store', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.store_id_seq', '');

-- Sales orders: what a store (or the key-account department) sold, to be
-- delivered from a DC to the customer's address.
--
-- The sale path (showroom.sell) writes an order, its lines, allocations
-- and ledger rows in every call, so these tables carry only the indexes
-- something reads and no foreign keys to the shared rows every sale
-- names: a foreign key takes a key-share lock on the referenced row, and
-- when every concurrent sale names the same store, DC or hot SKU, those
-- locks pile up into multixacts on that one row.  What the keys checked
-- is kept instead by sell() itself (it reads the store, DC and SKUs it
-- writes), by the refusal triggers below (orders and lines are never
-- deleted; a store, DC or SKU that orders name is never deleted or
-- renumbered) and by verify_stock(), which reports any order, line or
-- allocation naming an unknown object.
--
-- For the same reason the columns that are written once, when the row is
-- inserted, and only by code that checks them first carry no CHECK
-- constraint: the executor rebuilds every CHECK expression of a table
-- from its stored text in each statement that writes the table, and on
-- this path that was a quarter of a sale's CPU time.  These are the
-- channel and cod_fen of an order (sell() checks them), the line_no, qty
-- and unit_price_fen of a line (sell() is the only writer), and the qty
-- of an allocation (sell() and take_stock() write only positive ones).
-- verify_stock() reports any value out of range, and an UPDATE trigger
-- (sales_refuse_rewrite) refuses any later change of these columns and of
-- the ids a row names; it costs the sale path nothing, which only
-- inserts.  An order's store_id is left to the row-level policies, which
-- keep a clerk's orders in the clerk's stores.  Columns that later
-- statements update (state, the lifecycle quantities, open_qty) keep
-- their constraints.
-- Domains for the single-column rules of the tables the sale path
-- writes.  A table's CHECK constraint is rebuilt from its stored text in
-- every statement that writes the table; a domain's constraint is built
-- once per session and kept (in the type cache), so on the sale path a
-- rule costs far less as a domain than as a CHECK.
CREATE DOMAIN showroom.order_state AS text
  CHECK (VALUE IN ('open', 'backordered', 'allocated', 'picked', 'shipped',
                   'partly_delivered', 'delivered', 'cancelled'));
COMMENT ON DOMAIN showroom.order_state IS
  'state of a sales order: open, backordered, allocated, picked, shipped, partly_delivered, delivered or cancelled';

CREATE DOMAIN showroom.movement_kind AS text
  CHECK (VALUE IN ('receipt', 'allocation', 'release', 'shipment', 'delivery',
                   'return', 'defective', 'sample_placement', 'sample_sale',
                   'transfer', 'adjustment'));
COMMENT ON DOMAIN showroom.movement_kind IS
  'kind of a stock movement (see showroom.stock_movement)';

CREATE DOMAIN showroom.units AS integer CHECK (VALUE >= 0);
COMMENT ON DOMAIN showroom.units IS 'a number of units, zero or more';

CREATE TABLE showroom.sales_order (
  id             bigserial PRIMARY KEY,
  external_ref   text,
  store_id       bigint NOT NULL,
  dc_id          bigint NOT NULL,
  channel        text NOT NULL DEFAULT 'retail',
  customer_name  text,
  customer_phone text,
  address        text,
  delivery_point geometry(Point, 4326) NOT NULL,
  delivery_date  date,
  window_from    time,
  window_to      time,
  cod_fen        bigint NOT NULL DEFAULT 0,
  state          showroom.order_state NOT NULL DEFAULT 'open',
  created_at     timestamptz NOT NULL DEFAULT now(),
  created_by     name NOT NULL DEFAULT current_user,
  CHECK (window_from IS NULL OR window_to IS NULL OR window_from < window_to)
);

-- Partial, so that a sale without a reference adds no entry to it.
CREATE UNIQUE INDEX sales_order_external_ref_key
  ON showroom.sales_order (external_ref) WHERE external_ref IS NOT NULL;
CREATE INDEX sales_order_dc_date_idx ON showroom.sales_order (dc_id, delivery_date);

COMMENT ON TABLE showroom.sales_order IS 'sales orders, delivered from a DC to the customer';
COMMENT ON COLUMN showroom.sales_order.id IS 'order id';
COMMENT ON COLUMN showroom.sales_order.external_ref IS 'the ERP''s order number; a replay with the same reference returns this order';
COMMENT ON COLUMN showroom.sales_order.store_id IS 'store that sold';
COMMENT ON COLUMN showroom.sales_order.dc_id IS 'DC that allocates and delivers';
COMMENT ON COLUMN showroom.sales_order.channel IS 'retail (walk-in) or key_account (bulk)';
COMMENT ON COLUMN showroom.sales_order.customer_name IS 'customer name';
COMMENT ON COLUMN showroom.sales_order.customer_phone IS 'customer phone';
COMMENT ON COLUMN showroom.sales_order.address IS 'delivery address as written';
COMMENT ON COLUMN showroom.sales_order.delivery_point IS 'delivery address as a lon/lat point';
COMMENT ON COLUMN showroom.sales_order.delivery_date IS 'agreed delivery date';
COMMENT ON COLUMN showroom.sales_order.window_from IS 'start of the customer''s delivery window';
COMMENT ON COLUMN showroom.sales_order.window_to IS 'end of the customer''s delivery window';
COMMENT ON COLUMN showroom.sales_order.cod_fen IS 'cash to collect on delivery, in fen';
COMMENT ON COLUMN showroom.sales_order.state IS 'order state';
COMMENT ON COLUMN showroom.sales_order.created_at IS 'when it was recorded';
COMMENT ON COLUMN showroom.sales_order.created_by IS 'role that recorded it';

SELECT pg_catalog.pg_extension_config_dump('showroom.sales_order', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.sales_order_id_seq', '');

CREATE TABLE showroom.sales_line (
  id            bigserial PRIMARY KEY,
  order_id      bigint NOT NULL,
  line_no       integer NOT NULL,
  sku_id        bigint NOT NULL,
  qty           integer NOT NULL,
  unit_price_fen bigint NOT NULL,
  UNIQUE (order_id, line_no)
);

COMMENT ON TABLE showroom.sales_line IS 'lines of sales orders';
COMMENT ON COLUMN showroom.sales_line.id IS 'line id';
COMMENT ON COLUMN showroom.sales_line.order_id IS 'order';
COMMENT ON COLUMN showroom.sales_line.line_no IS 'line number within the order, from 1';
COMMENT ON COLUMN showroom.sales_line.sku_id IS 'SKU sold';
COMMENT ON COLUMN showroom.sales_line.qty IS 'quantity sold';
COMMENT ON COLUMN showroom.sales_line.unit_price_fen IS 'unit price in fen';

SELECT pg_catalog.pg_extension_config_dump('showroom.sales_line', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.sales_line_id_seq', '');

-- The lifecycle of a sales line, kept on the line itself.  The rest of a
-- line's quantity is either allocated (open allocations) or waiting (an
-- open backorder); verify_stock() checks that the five parts add up.
ALTER TABLE showroom.sales_line
  ADD COLUMN delivered_qty integer NOT NULL DEFAULT 0,
  ADD COLUMN cancelled_qty integer NOT NULL DEFAULT 0,
  ADD COLUMN returned_qty  integer NOT NULL DEFAULT 0,
  -- One constraint for the five rules, as for stock_balance.
  ADD CHECK (delivered_qty >= 0 AND cancelled_qty >= 0 AND returned_qty >= 0
             AND delivered_qty + cancelled_qty <= qty
             AND returned_qty <= delivered_qty);

COMMENT ON COLUMN showroom.sales_line.delivered_qty IS 'units handed over to the customer in good order';
COMMENT ON COLUMN showroom.sales_line.cancelled_qty IS 'units cancelled before delivery';
COMMENT ON COLUMN showroom.sales_line.returned_qty IS 'delivered units the customer sent back';


-- Stock balances.  A DC's stock of one SKU is kept in one or more slots;
-- a hot SKU is split over several slots so that concurrent sales lock
-- different rows (see set_stock_slots()).  Every change to a balance is
-- also one row of stock_movement, written in the same transaction.
CREATE TABLE showroom.stock_balance (
  dc_id     bigint NOT NULL REFERENCES showroom.dc (id),
  sku_id    bigint NOT NULL REFERENCES showroom.sku (id),
  slot      smallint NOT NULL,
  on_hand   integer NOT NULL DEFAULT 0,
  allocated integer NOT NULL DEFAULT 0,
  defective integer NOT NULL DEFAULT 0,
  PRIMARY KEY (dc_id, sku_id, slot),
  -- One constraint, not five: each CHECK costs every writing statement
  -- its own rebuild and setup, and every sale updates a balance.
  CHECK (slot BETWEEN 0 AND 255 AND on_hand >= 0 AND allocated >= 0
         AND defective >= 0 AND allocated <= on_hand)
) WITH (fillfactor = 50);

COMMENT ON TABLE showroom.stock_balance IS
  'stock of a SKU in a DC, per slot (a hot SKU is split over several slots); change it only through the stock functions';
COMMENT ON COLUMN showroom.stock_balance.dc_id IS 'distribution centre';
COMMENT ON COLUMN showroom.stock_balance.sku_id IS 'SKU';
COMMENT ON COLUMN showroom.stock_balance.slot IS 'slot number, from 0; a SKU that is not split has only slot 0';
COMMENT ON COLUMN showroom.stock_balance.on_hand IS 'sellable units in the DC, allocated or not';
COMMENT ON COLUMN showroom.stock_balance.allocated IS 'units of on_hand reserved for sales lines';
COMMENT ON COLUMN showroom.stock_balance.defective IS 'defective units in the DC (not sellable, not in on_hand)';

SELECT pg_catalog.pg_extension_config_dump('showroom.stock_balance', '');

-- The stock ledger: one row per stock change, never updated or deleted.
-- Deltas apply to the balance row (dc_id, sku_id, slot).  A movement that
-- concerns a sales order names the order and the line, so that other
-- rooms can act on it (the workflow starts installations on deliveries).
-- The ledger carries no foreign keys, to keep the sale path free of
-- key-share locks on hot SKU rows; verify_stock() checks its references.
CREATE TABLE showroom.stock_movement (
  id             bigserial PRIMARY KEY,
  at             timestamptz NOT NULL DEFAULT now(),
  dc_id          bigint NOT NULL,
  store_id       bigint,
  sku_id         bigint NOT NULL,
  slot           smallint NOT NULL DEFAULT 0,
  kind           showroom.movement_kind NOT NULL,
  qty            showroom.units NOT NULL,
  d_on_hand      integer NOT NULL DEFAULT 0,
  d_allocated    integer NOT NULL DEFAULT 0,
  d_defective    integer NOT NULL DEFAULT 0,
  sales_order_id bigint,
  sales_line_id  bigint,
  allocation_id  bigint,
  delivery_id    bigint,
  sample_id      bigint,
  note           text,
  done_by        name NOT NULL DEFAULT coalesce(
                   nullif(current_setting('showroom.person', true), ''),
                   current_user)
);

-- Only one index besides the key: every index entry costs the sale path,
-- and verify_stock() reads the whole ledger anyway.
CREATE INDEX stock_movement_order_idx ON showroom.stock_movement (sales_order_id)
  WHERE sales_order_id IS NOT NULL;

COMMENT ON TABLE showroom.stock_movement IS
  'the stock ledger: one row per stock change, append-only; balances equal the sums of its deltas';
COMMENT ON COLUMN showroom.stock_movement.id IS 'movement id, in the order written';
COMMENT ON COLUMN showroom.stock_movement.at IS 'when it happened (transaction start)';
COMMENT ON COLUMN showroom.stock_movement.dc_id IS 'DC whose balance changed (for a sample: the DC it came from)';
COMMENT ON COLUMN showroom.stock_movement.store_id IS 'store, for sample placements and sample sales';
COMMENT ON COLUMN showroom.stock_movement.sku_id IS 'SKU';
COMMENT ON COLUMN showroom.stock_movement.slot IS 'balance slot the deltas apply to';
COMMENT ON COLUMN showroom.stock_movement.kind IS 'receipt, allocation, release, shipment, delivery, return, defective, sample_placement, sample_sale, transfer or adjustment';
COMMENT ON COLUMN showroom.stock_movement.qty IS 'units concerned';
COMMENT ON COLUMN showroom.stock_movement.d_on_hand IS 'change of on_hand';
COMMENT ON COLUMN showroom.stock_movement.d_allocated IS 'change of allocated';
COMMENT ON COLUMN showroom.stock_movement.d_defective IS 'change of defective';
COMMENT ON COLUMN showroom.stock_movement.sales_order_id IS 'sales order concerned, if any';
COMMENT ON COLUMN showroom.stock_movement.sales_line_id IS 'sales line concerned, if any';
COMMENT ON COLUMN showroom.stock_movement.allocation_id IS 'allocation concerned, if any';
COMMENT ON COLUMN showroom.stock_movement.delivery_id IS 'delivery concerned (shipment, delivery, defective)';
COMMENT ON COLUMN showroom.stock_movement.sample_id IS 'display sample concerned, if any';
COMMENT ON COLUMN showroom.stock_movement.note IS 'free text: why';
COMMENT ON COLUMN showroom.stock_movement.done_by IS 'who: showroom.person if the application set it, else the database role';

SELECT pg_catalog.pg_extension_config_dump('showroom.stock_movement', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.stock_movement_id_seq', '');

-- stock_movement_refuse_change: trigger function that keeps the ledger
-- append-only; a correction is a new movement, never an edit.
CREATE FUNCTION showroom.stock_movement_refuse_change()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RAISE EXCEPTION 'the stock ledger is append-only'
    USING ERRCODE = 'SR113',
          DETAIL = format('%s on showroom.stock_movement was refused.', TG_OP),
          HINT = 'Record a correction as a new movement, for example with showroom.adjust_stock().';
END
$$;

COMMENT ON FUNCTION showroom.stock_movement_refuse_change() IS
  'trigger: refuse UPDATE, DELETE and TRUNCATE on the stock ledger';

CREATE TRIGGER stock_movement_no_update_delete
  BEFORE UPDATE OR DELETE ON showroom.stock_movement
  FOR EACH ROW EXECUTE FUNCTION showroom.stock_movement_refuse_change();
CREATE TRIGGER stock_movement_no_truncate
  BEFORE TRUNCATE ON showroom.stock_movement
  FOR EACH STATEMENT EXECUTE FUNCTION showroom.stock_movement_refuse_change();

-- sales_refuse_delete: trigger function that stands in for the foreign
-- keys the sale path does without (see showroom.sales_order).  On
-- sales_order, sales_line and allocation it refuses every DELETE (an
-- order is cancelled, never deleted); on store, dc and sku it refuses a
-- DELETE, or a change of id, of a row that some order or line names.
-- These are rare, administrative statements, so the checks may scan.
CREATE FUNCTION showroom.sales_refuse_delete()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  named boolean;
BEGIN
  IF TG_TABLE_NAME IN ('sales_order', 'sales_line', 'allocation') THEN
    RAISE EXCEPTION 'sales records are never deleted'
      USING ERRCODE = 'SR117',
            DETAIL = format('DELETE of %s %s was refused.', TG_TABLE_NAME, OLD.id),
            HINT = 'Cancel the order with showroom.cancel_order() instead.';
  END IF;
  IF TG_OP = 'UPDATE' AND NEW.id = OLD.id THEN
    RETURN NEW;
  END IF;
  named := CASE TG_TABLE_NAME
    WHEN 'store' THEN EXISTS (SELECT 1 FROM showroom.sales_order o
                               WHERE o.store_id = OLD.id)
    WHEN 'dc' THEN EXISTS (SELECT 1 FROM showroom.sales_order o
                            WHERE o.dc_id = OLD.id)
    ELSE EXISTS (SELECT 1 FROM showroom.sales_line l WHERE l.sku_id = OLD.id)
  END;
  IF named THEN
    RAISE EXCEPTION '% % is named by sales orders', TG_TABLE_NAME, OLD.id
      USING ERRCODE = 'SR117',
            DETAIL = format('%s of %s %s was refused.', TG_OP, TG_TABLE_NAME, OLD.id),
            HINT = 'Mark it inactive instead.';
  END IF;
  RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END
$$;

COMMENT ON FUNCTION showroom.sales_refuse_delete() IS
  'trigger: refuse deleting sales records, and deleting or renumbering a store, DC or SKU that orders name';

CREATE TRIGGER sales_order_no_delete BEFORE DELETE ON showroom.sales_order
  FOR EACH ROW EXECUTE FUNCTION showroom.sales_refuse_delete();
CREATE TRIGGER sales_line_no_delete BEFORE DELETE ON showroom.sales_line
  FOR EACH ROW EXECUTE FUNCTION showroom.sales_refuse_delete();

-- sales_refuse_rewrite: trigger function that keeps the columns written
-- once, when a sales record is inserted, as they were.  They are what the
-- dropped CHECK constraints and foreign keys guarded (see
-- showroom.sales_order); sell() checks them on the way in, and this keeps
-- a direct UPDATE from changing them afterwards.  The trigger's arguments
-- name the guarded columns.  It fires on UPDATE only, so the sale path,
-- which only inserts these rows, never runs it.
CREATE FUNCTION showroom.sales_refuse_rewrite()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  changed text;
BEGIN
  SELECT string_agg(format('%s %s to %s', o.key, o.value, n.value), ', '
                    ORDER BY o.key)
    INTO changed
    FROM jsonb_each(to_jsonb(OLD)) o
    JOIN jsonb_each(to_jsonb(NEW)) n ON n.key = o.key
   WHERE o.key = ANY (TG_ARGV) AND o.value IS DISTINCT FROM n.value;
  RAISE EXCEPTION 'sales records keep the values they were recorded with'
    USING ERRCODE = 'SR117',
          DETAIL = format('UPDATE of %s %s (%s) was refused.', TG_TABLE_NAME,
                          OLD.id, changed),
          HINT = 'Cancel the order with showroom.cancel_order() and record a new one.';
END
$$;

COMMENT ON FUNCTION showroom.sales_refuse_rewrite() IS
  'trigger: refuse changing the columns of a sales order, line or allocation that are written once (named by the trigger''s arguments)';

CREATE TRIGGER sales_order_written_once
  BEFORE UPDATE OF dc_id, channel, cod_fen ON showroom.sales_order FOR EACH ROW
  WHEN (OLD.dc_id IS DISTINCT FROM NEW.dc_id
        OR OLD.channel IS DISTINCT FROM NEW.channel
        OR OLD.cod_fen IS DISTINCT FROM NEW.cod_fen)
  EXECUTE FUNCTION showroom.sales_refuse_rewrite('dc_id', 'channel', 'cod_fen');
CREATE TRIGGER sales_line_written_once
  BEFORE UPDATE OF order_id, line_no, sku_id, qty, unit_price_fen
  ON showroom.sales_line FOR EACH ROW
  WHEN (OLD.order_id IS DISTINCT FROM NEW.order_id
        OR OLD.line_no IS DISTINCT FROM NEW.line_no
        OR OLD.sku_id IS DISTINCT FROM NEW.sku_id
        OR OLD.qty IS DISTINCT FROM NEW.qty
        OR OLD.unit_price_fen IS DISTINCT FROM NEW.unit_price_fen)
  EXECUTE FUNCTION showroom.sales_refuse_rewrite('order_id', 'line_no', 'sku_id',
                                                 'qty', 'unit_price_fen');
CREATE TRIGGER store_keep_sold BEFORE DELETE OR UPDATE OF id ON showroom.store
  FOR EACH ROW EXECUTE FUNCTION showroom.sales_refuse_delete();
CREATE TRIGGER dc_keep_sold BEFORE DELETE OR UPDATE OF id ON showroom.dc
  FOR EACH ROW EXECUTE FUNCTION showroom.sales_refuse_delete();
CREATE TRIGGER sku_keep_sold BEFORE DELETE OR UPDATE OF id ON showroom.sku
  FOR EACH ROW EXECUTE FUNCTION showroom.sales_refuse_delete();

-- Allocations: units of a DC's balance slot reserved for a sales line.
-- open_qty falls as units are delivered, found defective or released.
CREATE TABLE showroom.allocation (
  id             bigserial PRIMARY KEY,
  sales_line_id  bigint NOT NULL,
  sales_order_id bigint NOT NULL,
  dc_id          bigint NOT NULL,
  sku_id         bigint NOT NULL,
  slot           smallint NOT NULL,
  qty            integer NOT NULL,
  open_qty       integer NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  CHECK (open_qty >= 0 AND open_qty <= qty)
);

-- One index besides the key: the sale path writes an allocation with
-- every line, and an order has few of them, so a line's allocations are
-- found through the order (queries name both ids).
CREATE INDEX allocation_order_idx ON showroom.allocation (sales_order_id);
CREATE TRIGGER allocation_no_delete BEFORE DELETE ON showroom.allocation
  FOR EACH ROW EXECUTE FUNCTION showroom.sales_refuse_delete();
CREATE TRIGGER allocation_written_once
  BEFORE UPDATE OF sales_line_id, sales_order_id, dc_id, sku_id, slot, qty
  ON showroom.allocation FOR EACH ROW
  WHEN (OLD.sales_line_id IS DISTINCT FROM NEW.sales_line_id
        OR OLD.sales_order_id IS DISTINCT FROM NEW.sales_order_id
        OR OLD.dc_id IS DISTINCT FROM NEW.dc_id
        OR OLD.sku_id IS DISTINCT FROM NEW.sku_id
        OR OLD.slot IS DISTINCT FROM NEW.slot
        OR OLD.qty IS DISTINCT FROM NEW.qty)
  EXECUTE FUNCTION showroom.sales_refuse_rewrite('sales_line_id', 'sales_order_id',
                                                 'dc_id', 'sku_id', 'slot', 'qty');

COMMENT ON TABLE showroom.allocation IS 'units of DC stock reserved for a sales line';
COMMENT ON COLUMN showroom.allocation.id IS 'allocation id';
COMMENT ON COLUMN showroom.allocation.sales_line_id IS 'sales line served';
COMMENT ON COLUMN showroom.allocation.sales_order_id IS 'its order';
COMMENT ON COLUMN showroom.allocation.dc_id IS 'DC';
COMMENT ON COLUMN showroom.allocation.sku_id IS 'SKU';
COMMENT ON COLUMN showroom.allocation.slot IS 'balance slot the units were reserved in';
COMMENT ON COLUMN showroom.allocation.qty IS 'units reserved';
COMMENT ON COLUMN showroom.allocation.open_qty IS 'units still reserved (not yet delivered, found defective or released)';
COMMENT ON COLUMN showroom.allocation.created_at IS 'when they were reserved';

SELECT pg_catalog.pg_extension_config_dump('showroom.allocation', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.allocation_id_seq', '');

-- Backorders: the part of a sales line that waits for stock.  Receipts,
-- releases and good returns serve waiting backorders first come, first
-- served (by id) in their own transaction.
CREATE TABLE showroom.backorder (
  id             bigserial PRIMARY KEY,
  sales_line_id  bigint NOT NULL REFERENCES showroom.sales_line (id),
  sales_order_id bigint NOT NULL,
  dc_id          bigint NOT NULL,
  sku_id         bigint NOT NULL,
  qty            integer NOT NULL CHECK (qty > 0),
  waiting_qty    integer NOT NULL CHECK (waiting_qty >= 0),
  created_at     timestamptz NOT NULL DEFAULT now(),
  CHECK (waiting_qty <= qty)
);

CREATE INDEX backorder_waiting_idx ON showroom.backorder (dc_id, sku_id, id)
  WHERE waiting_qty > 0;
CREATE INDEX backorder_line_idx ON showroom.backorder (sales_line_id);

COMMENT ON TABLE showroom.backorder IS 'parts of sales lines waiting for stock, served first come first served';
COMMENT ON COLUMN showroom.backorder.id IS 'backorder id; lower ids are served first';
COMMENT ON COLUMN showroom.backorder.sales_line_id IS 'sales line waiting';
COMMENT ON COLUMN showroom.backorder.sales_order_id IS 'its order';
COMMENT ON COLUMN showroom.backorder.dc_id IS 'DC that will serve it';
COMMENT ON COLUMN showroom.backorder.sku_id IS 'SKU awaited';
COMMENT ON COLUMN showroom.backorder.qty IS 'units that were short';
COMMENT ON COLUMN showroom.backorder.waiting_qty IS 'units still waiting (0 once served or cancelled)';
COMMENT ON COLUMN showroom.backorder.created_at IS 'when the line started waiting';

SELECT pg_catalog.pg_extension_config_dump('showroom.backorder', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.backorder_id_seq', '');

-- Deliveries: each trip of an order to the customer.  A defect found at
-- the door creates the next delivery, linked to the one that failed.
CREATE TABLE showroom.delivery (
  id             bigserial PRIMARY KEY,
  sales_order_id bigint NOT NULL REFERENCES showroom.sales_order (id),
  attempt        integer NOT NULL CHECK (attempt > 0),
  previous_id    bigint REFERENCES showroom.delivery (id),
  reason         text NOT NULL DEFAULT 'sale',
  created_at     timestamptz NOT NULL DEFAULT now(),
  shipped_at     timestamptz,
  UNIQUE (sales_order_id, attempt),
  CHECK ((attempt = 1) = (previous_id IS NULL))
);

COMMENT ON TABLE showroom.delivery IS 'trips of an order to the customer; a second delivery links to the first';
COMMENT ON COLUMN showroom.delivery.id IS 'delivery id';
COMMENT ON COLUMN showroom.delivery.sales_order_id IS 'order delivered';
COMMENT ON COLUMN showroom.delivery.attempt IS '1 for the first delivery, 2 for the second, ...';
COMMENT ON COLUMN showroom.delivery.previous_id IS 'delivery this one repeats';
COMMENT ON COLUMN showroom.delivery.reason IS 'why it exists: sale, or the defect that caused it';
COMMENT ON COLUMN showroom.delivery.created_at IS 'when it was created';
COMMENT ON COLUMN showroom.delivery.shipped_at IS 'when the truck left the DC (NULL: not yet)';

SELECT pg_catalog.pg_extension_config_dump('showroom.delivery', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.delivery_id_seq', '');

-- Defects found at delivery, with the party that pays for them.
CREATE TABLE showroom.defect (
  id             bigserial PRIMARY KEY,
  sales_order_id bigint NOT NULL REFERENCES showroom.sales_order (id),
  sales_line_id  bigint NOT NULL REFERENCES showroom.sales_line (id),
  sku_id         bigint NOT NULL REFERENCES showroom.sku (id),
  dc_id          bigint NOT NULL REFERENCES showroom.dc (id),
  qty            integer NOT NULL CHECK (qty > 0),
  responsible    text NOT NULL CHECK (responsible IN ('supplier', 'dc', 'outlet')),
  outlet_id      bigint,
  delivery_id    bigint NOT NULL REFERENCES showroom.delivery (id),
  redelivery_id  bigint NOT NULL REFERENCES showroom.delivery (id),
  note           text,
  found_at       timestamptz NOT NULL DEFAULT now(),
  found_by       name NOT NULL DEFAULT coalesce(
                   nullif(current_setting('showroom.person', true), ''),
                   current_user),
  CHECK ((responsible = 'outlet') = (outlet_id IS NOT NULL))
);

CREATE INDEX defect_order_idx ON showroom.defect (sales_order_id);

COMMENT ON TABLE showroom.defect IS 'units found defective at delivery, with the party responsible (read by settlement)';
COMMENT ON COLUMN showroom.defect.id IS 'defect id';
COMMENT ON COLUMN showroom.defect.sales_order_id IS 'order';
COMMENT ON COLUMN showroom.defect.sales_line_id IS 'line';
COMMENT ON COLUMN showroom.defect.sku_id IS 'SKU';
COMMENT ON COLUMN showroom.defect.dc_id IS 'DC the unit went back to';
COMMENT ON COLUMN showroom.defect.qty IS 'defective units';
COMMENT ON COLUMN showroom.defect.responsible IS 'who pays: supplier, dc or outlet';
COMMENT ON COLUMN showroom.defect.outlet_id IS 'the delivery outlet, when responsible = outlet (showroom.outlet)';
COMMENT ON COLUMN showroom.defect.delivery_id IS 'delivery at which the defect was found';
COMMENT ON COLUMN showroom.defect.redelivery_id IS 'the second delivery created for the replacement';
COMMENT ON COLUMN showroom.defect.note IS 'what was wrong';
COMMENT ON COLUMN showroom.defect.found_at IS 'when it was recorded';
COMMENT ON COLUMN showroom.defect.found_by IS 'who recorded it';

SELECT pg_catalog.pg_extension_config_dump('showroom.defect', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.defect_id_seq', '');

-- The stock of each DC and SKU, slots added up.
CREATE VIEW showroom.stock AS
SELECT b.dc_id, b.sku_id,
       sum(b.on_hand)::integer AS on_hand,
       sum(b.allocated)::integer AS allocated,
       sum(b.on_hand - b.allocated)::integer AS available,
       sum(b.defective)::integer AS defective,
       count(*)::integer AS slots
  FROM showroom.stock_balance b
 GROUP BY b.dc_id, b.sku_id;

COMMENT ON VIEW showroom.stock IS 'stock of each SKU in each DC, slots added up';
COMMENT ON COLUMN showroom.stock.dc_id IS 'DC';
COMMENT ON COLUMN showroom.stock.sku_id IS 'SKU';
COMMENT ON COLUMN showroom.stock.on_hand IS 'sellable units in the DC';
COMMENT ON COLUMN showroom.stock.allocated IS 'units reserved for sales lines';
COMMENT ON COLUMN showroom.stock.available IS 'units that can still be sold (on_hand - allocated)';
COMMENT ON COLUMN showroom.stock.defective IS 'defective units held in the DC';
COMMENT ON COLUMN showroom.stock.slots IS 'how many slots the stock is split over';

--
-- Internal helpers of the stock room.  They take locks in the order every
-- stock path follows (sales order rows first, then balance rows by SKU and
-- slot ascending), so that two paths never wait on each other in a cycle.
--

-- check_qty: raise SR107 unless qty is a positive integer.
CREATE FUNCTION showroom.check_qty(qty integer, what text)
RETURNS void
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF qty IS NULL OR qty <= 0 THEN
    RAISE EXCEPTION 'quantity must be a positive whole number'
      USING ERRCODE = 'SR107',
            DETAIL = format('%s = %s.', what, coalesce(qty::text, 'NULL'));
  END IF;
END
$$;

COMMENT ON FUNCTION showroom.check_qty(integer, text) IS
  'raise SR107 unless the quantity (named what in the message) is positive';

-- lock_order: the sales order, locked for update; SR104 if unknown.
CREATE FUNCTION showroom.lock_order(order_id bigint)
RETURNS showroom.sales_order
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  o showroom.sales_order;
BEGIN
  SELECT * INTO o FROM showroom.sales_order WHERE id = order_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown sales order'
      USING ERRCODE = 'SR104',
            DETAIL = format('No sales order has id %s.', coalesce(order_id::text, 'NULL'));
  END IF;
  RETURN o;
END
$$;

COMMENT ON FUNCTION showroom.lock_order(bigint) IS
  'internal: lock a sales order for update, raising SR104 if it does not exist';

-- lock_line: the sales line and its order, the order locked for update;
-- SR116 if the line is unknown.
CREATE FUNCTION showroom.lock_line(line_id bigint, OUT line showroom.sales_line,
                                   OUT ord showroom.sales_order)
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  oid_ bigint;
BEGIN
  SELECT order_id INTO oid_ FROM showroom.sales_line WHERE id = line_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown sales line'
      USING ERRCODE = 'SR116',
            DETAIL = format('No sales line has id %s.', coalesce(line_id::text, 'NULL'));
  END IF;
  ord := showroom.lock_order(oid_);
  SELECT * INTO line FROM showroom.sales_line WHERE id = line_id;
END
$$;

COMMENT ON FUNCTION showroom.lock_line(bigint) IS
  'internal: a sales line and its order, the order locked for update; SR116 if the line does not exist';

-- check_dc_sku: raise SR105/SR106 for an unknown or inactive DC and
-- SR103 for an unknown SKU.
CREATE FUNCTION showroom.check_dc_sku(dc_id bigint, sku_id bigint)
RETURNS void
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  act boolean;
BEGIN
  SELECT d.active INTO act FROM showroom.dc d WHERE d.id = check_dc_sku.dc_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown distribution centre'
      USING ERRCODE = 'SR105',
            DETAIL = format('No DC has id %s.', coalesce(dc_id::text, 'NULL'));
  END IF;
  IF NOT act THEN
    RAISE EXCEPTION 'distribution centre is not active'
      USING ERRCODE = 'SR106',
            DETAIL = format('DC %s is inactive.', dc_id),
            HINT = 'Reactivate the DC or use another one.';
  END IF;
  PERFORM FROM showroom.sku s WHERE s.id = check_dc_sku.sku_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown SKU'
      USING ERRCODE = 'SR103',
            DETAIL = format('No SKU has id %s.', coalesce(sku_id::text, 'NULL'));
  END IF;
END
$$;

COMMENT ON FUNCTION showroom.check_dc_sku(bigint, bigint) IS
  'internal: raise SR105, SR106 or SR103 unless the DC exists and is active and the SKU exists';

-- take_stock: reserve up to want units of a SKU in a DC for a sales line,
-- slot by slot in ascending order, writing the allocations and their
-- movements.  Returns how many units it reserved.
CREATE FUNCTION showroom.take_stock(dc_id bigint, sku_id bigint, want integer,
                                    order_id bigint, line_id bigint)
RETURNS integer
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  b record;
  t integer;
  aid bigint;
  left_ integer := want;
BEGIN
  FOR b IN
    SELECT s.slot, s.on_hand - s.allocated AS avail
      FROM showroom.stock_balance s
     WHERE s.dc_id = take_stock.dc_id AND s.sku_id = take_stock.sku_id
     ORDER BY s.slot FOR UPDATE
  LOOP
    EXIT WHEN left_ = 0;
    CONTINUE WHEN b.avail = 0;
    t := least(left_, b.avail);
    UPDATE showroom.stock_balance s SET allocated = s.allocated + t
     WHERE s.dc_id = take_stock.dc_id AND s.sku_id = take_stock.sku_id
       AND s.slot = b.slot;
    INSERT INTO showroom.allocation (sales_line_id, sales_order_id, dc_id,
                                     sku_id, slot, qty, open_qty)
    VALUES (line_id, order_id, dc_id, sku_id, b.slot, t, t)
    RETURNING id INTO aid;
    INSERT INTO showroom.stock_movement (dc_id, sku_id, slot, kind, qty,
                                         d_allocated, sales_order_id,
                                         sales_line_id, allocation_id)
    VALUES (dc_id, sku_id, b.slot, 'allocation', t, t, order_id, line_id, aid);
    left_ := left_ - t;
  END LOOP;
  RETURN want - left_;
END
$$;

COMMENT ON FUNCTION showroom.take_stock(bigint, bigint, integer, bigint, bigint) IS
  'internal: reserve up to want units for a sales line across the slots, returning the units reserved';

-- serve_backorders: give available units of a SKU in a DC to waiting
-- backorders, oldest first.  An order another transaction holds locked
-- (being cancelled, say) is skipped rather than waited for, so that this
-- never waits on an order while holding balance rows.  Returns the units
-- allocated.
CREATE FUNCTION showroom.serve_backorders(dc_id bigint, sku_id bigint)
RETURNS integer
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  w record;
  t integer;
  total integer := 0;
BEGIN
  -- XXX: a skipped order keeps waiting although units may be free; the
  -- next receipt, release or return of the SKU serves it.  Waiting for it
  -- instead could deadlock with the transaction that holds it.
  FOR w IN
    SELECT b.id, b.waiting_qty, b.sales_line_id, b.sales_order_id
      FROM showroom.backorder b
      JOIN showroom.sales_order o ON o.id = b.sales_order_id
     WHERE b.dc_id = serve_backorders.dc_id AND b.sku_id = serve_backorders.sku_id
       AND b.waiting_qty > 0
     ORDER BY b.id
       FOR UPDATE OF b, o SKIP LOCKED
  LOOP
    t := showroom.take_stock(dc_id, sku_id, w.waiting_qty, w.sales_order_id,
                             w.sales_line_id);
    EXIT WHEN t = 0;
    UPDATE showroom.backorder SET waiting_qty = waiting_qty - t WHERE id = w.id;
    total := total + t;
    IF NOT EXISTS (SELECT 1 FROM showroom.backorder
                    WHERE sales_order_id = w.sales_order_id AND waiting_qty > 0) THEN
      UPDATE showroom.sales_order SET state = 'allocated'
       WHERE id = w.sales_order_id AND state = 'backordered';
    END IF;
    EXIT WHEN t < w.waiting_qty;
  END LOOP;
  RETURN total;
END
$$;

COMMENT ON FUNCTION showroom.serve_backorders(bigint, bigint) IS
  'internal: allocate free units of a SKU to waiting backorders, first come first served; returns units allocated';

-- ensure_slot0: create the balance row of slot 0 if the SKU has none yet.
CREATE FUNCTION showroom.ensure_slot0(dc_id bigint, sku_id bigint)
RETURNS void
LANGUAGE sql VOLATILE STRICT PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  INSERT INTO showroom.stock_balance (dc_id, sku_id, slot)
  VALUES (ensure_slot0.dc_id, ensure_slot0.sku_id, 0)
  ON CONFLICT DO NOTHING;
END;

COMMENT ON FUNCTION showroom.ensure_slot0(bigint, bigint) IS
  'internal: create the slot-0 balance row of a SKU in a DC if missing';

--
-- The stock API.
--

-- receive_stock: units arrive at a DC.  They are spread evenly over the
-- SKU's slots, then waiting backorders are served, oldest first, in this
-- same transaction.  Returns the units that went to waiting orders.
CREATE FUNCTION showroom.receive_stock(dc_id bigint, sku_id bigint, qty integer,
                                       note text DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  n integer;
  i integer := 0;
  share integer;
  s smallint;
  have integer;
BEGIN
  PERFORM showroom.check_dc_sku(dc_id, sku_id);
  PERFORM showroom.check_qty(qty, 'qty');
  -- No DC receives a million appliances at once: a larger figure is a
  -- typing error (an extra zero, a barcode in the quantity field).
  IF qty > 1000000 THEN
    RAISE EXCEPTION 'quantity out of range'
      USING ERRCODE = 'SR107',
            DETAIL = format('qty = %s; one receipt holds at most 1000000 units.', qty),
            HINT = 'Record a larger delivery as several receipts.';
  END IF;
  PERFORM showroom.ensure_slot0(dc_id, sku_id);

  SELECT count(*) INTO n FROM showroom.stock_balance b
   WHERE b.dc_id = receive_stock.dc_id AND b.sku_id = receive_stock.sku_id;
  FOR s, have IN
    SELECT b.slot, b.on_hand FROM showroom.stock_balance b
     WHERE b.dc_id = receive_stock.dc_id AND b.sku_id = receive_stock.sku_id
     ORDER BY b.slot FOR UPDATE
  LOOP
    share := qty / n + CASE WHEN i < qty % n THEN 1 ELSE 0 END;
    i := i + 1;
    CONTINUE WHEN share = 0;
    IF have::bigint + share > 2147483647 THEN
      RAISE EXCEPTION 'balance out of range'
        USING ERRCODE = 'SR107',
              DETAIL = format('DC %s SKU %s slot %s holds %s units; adding %s passes 2147483647.',
                              dc_id, sku_id, s, have, share),
              HINT = 'Split the SKU over more slots with showroom.set_stock_slots().';
    END IF;
    UPDATE showroom.stock_balance b SET on_hand = b.on_hand + share
     WHERE b.dc_id = receive_stock.dc_id AND b.sku_id = receive_stock.sku_id
       AND b.slot = s;
    INSERT INTO showroom.stock_movement (dc_id, sku_id, slot, kind, qty,
                                         d_on_hand, note)
    VALUES (dc_id, sku_id, s, 'receipt', share, share, note);
  END LOOP;

  RETURN showroom.serve_backorders(dc_id, sku_id);
END
$$;

COMMENT ON FUNCTION showroom.receive_stock(bigint, bigint, integer, text) IS
  'record units arriving at a DC; waiting backorders are served first come first served; returns the units they took';

-- adjust_stock: correct a DC's count (stocktaking, defective units sent
-- back to the supplier).  Applies to slot 0; a note is required.
CREATE FUNCTION showroom.adjust_stock(dc_id bigint, sku_id bigint,
                                      d_on_hand integer, d_defective integer,
                                      note text)
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  b showroom.stock_balance;
  mid bigint;
BEGIN
  PERFORM showroom.check_dc_sku(dc_id, sku_id);
  IF d_on_hand IS NULL OR d_defective IS NULL OR (d_on_hand = 0 AND d_defective = 0) THEN
    RAISE EXCEPTION 'adjustment must change something'
      USING ERRCODE = 'SR107',
            DETAIL = format('d_on_hand = %s, d_defective = %s.',
                            coalesce(d_on_hand::text, 'NULL'),
                            coalesce(d_defective::text, 'NULL'));
  END IF;
  -- As for receipts: no count moves by a million units at once.
  IF abs(d_on_hand::bigint) > 1000000 OR abs(d_defective::bigint) > 1000000 THEN
    RAISE EXCEPTION 'adjustment out of range'
      USING ERRCODE = 'SR107',
            DETAIL = format('d_on_hand = %s, d_defective = %s; one adjustment moves at most 1000000 units either way.',
                            d_on_hand, d_defective),
            HINT = 'Check the figures; record a larger correction as several adjustments.';
  END IF;
  IF coalesce(btrim(note), '') = '' THEN
    RAISE EXCEPTION 'adjustment needs a note'
      USING ERRCODE = '22004', HINT = 'Say why the count changes.';
  END IF;
  PERFORM showroom.ensure_slot0(dc_id, sku_id);
  SELECT * INTO b FROM showroom.stock_balance s
   WHERE s.dc_id = adjust_stock.dc_id AND s.sku_id = adjust_stock.sku_id AND s.slot = 0
     FOR UPDATE;
  IF b.on_hand::bigint + d_on_hand > 2147483647
     OR b.defective::bigint + d_defective > 2147483647 THEN
    RAISE EXCEPTION 'balance out of range'
      USING ERRCODE = 'SR107',
            DETAIL = format('DC %s SKU %s slot 0 holds %s units and %s defective; adding %s and %s passes 2147483647.',
                            dc_id, sku_id, b.on_hand, b.defective, d_on_hand, d_defective);
  END IF;
  IF b.on_hand - b.allocated + d_on_hand < 0 OR b.defective + d_defective < 0 THEN
    RAISE EXCEPTION 'adjustment would leave negative stock'
      USING ERRCODE = 'SR101',
            DETAIL = format('Slot 0 has %s available and %s defective; asked %s and %s.',
                            b.on_hand - b.allocated, b.defective, d_on_hand, d_defective);
  END IF;
  UPDATE showroom.stock_balance s
     SET on_hand = s.on_hand + adjust_stock.d_on_hand,
         defective = s.defective + adjust_stock.d_defective
   WHERE s.dc_id = adjust_stock.dc_id AND s.sku_id = adjust_stock.sku_id AND s.slot = 0;
  INSERT INTO showroom.stock_movement (dc_id, sku_id, slot, kind, qty,
                                       d_on_hand, d_defective, note)
  VALUES (dc_id, sku_id, 0, 'adjustment', abs(d_on_hand) + abs(d_defective),
          d_on_hand, d_defective, note)
  RETURNING id INTO mid;
  IF d_on_hand > 0 THEN
    PERFORM showroom.serve_backorders(dc_id, sku_id);
  END IF;
  RETURN mid;
END
$$;

COMMENT ON FUNCTION showroom.adjust_stock(bigint, bigint, integer, integer, text) IS
  'correct the on-hand and defective counts of a SKU in a DC (slot 0), with a note; returns the movement id';

-- set_stock_slots: split a SKU's stock in a DC over n slots and spread
-- the available units evenly over them with transfer movements.  Sales
-- then lock different rows, so a hot SKU sells concurrently.
CREATE FUNCTION showroom.set_stock_slots(dc_id bigint, sku_id bigint, slots integer)
RETURNS integer
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  have integer;
  total integer;
  i integer := 0;
  b record;
  target integer;
BEGIN
  PERFORM showroom.check_dc_sku(dc_id, sku_id);
  PERFORM showroom.ensure_slot0(dc_id, sku_id);
  SELECT count(*) INTO have FROM showroom.stock_balance s
   WHERE s.dc_id = set_stock_slots.dc_id AND s.sku_id = set_stock_slots.sku_id;
  -- TODO: shrinking would have to move open allocations between slots;
  -- until that exists the number of slots only grows.
  IF slots IS NULL OR slots < have OR slots > 256 THEN
    RAISE EXCEPTION 'invalid number of slots'
      USING ERRCODE = '22023',
            DETAIL = format('slots = %s; this SKU has %s and the most is 256.',
                            coalesce(slots::text, 'NULL'), have),
            HINT = 'The number of slots can only grow.';
  END IF;
  INSERT INTO showroom.stock_balance (dc_id, sku_id, slot)
  SELECT set_stock_slots.dc_id, set_stock_slots.sku_id, g
    FROM generate_series(have, slots - 1) g;

  SELECT sum(s.on_hand - s.allocated) INTO total FROM showroom.stock_balance s
   WHERE s.dc_id = set_stock_slots.dc_id AND s.sku_id = set_stock_slots.sku_id;
  FOR b IN
    SELECT s.slot, s.on_hand - s.allocated AS avail FROM showroom.stock_balance s
     WHERE s.dc_id = set_stock_slots.dc_id AND s.sku_id = set_stock_slots.sku_id
     ORDER BY s.slot FOR UPDATE
  LOOP
    target := total / slots + CASE WHEN i < total % slots THEN 1 ELSE 0 END;
    i := i + 1;
    CONTINUE WHEN target = b.avail;
    UPDATE showroom.stock_balance s SET on_hand = s.on_hand + (target - b.avail)
     WHERE s.dc_id = set_stock_slots.dc_id AND s.sku_id = set_stock_slots.sku_id
       AND s.slot = b.slot;
    INSERT INTO showroom.stock_movement (dc_id, sku_id, slot, kind, qty,
                                         d_on_hand, note)
    VALUES (dc_id, sku_id, b.slot, 'transfer', abs(target - b.avail),
            target - b.avail, format('spread over %s slots', slots));
  END LOOP;
  RETURN slots;
END
$$;

COMMENT ON FUNCTION showroom.set_stock_slots(bigint, bigint, integer) IS
  'split a SKU''s stock in a DC over n slots (it only grows) and spread the available units evenly; returns n';

-- order_state_error: raise SR109 for an order in the wrong state.
CREATE FUNCTION showroom.order_state_error(o showroom.sales_order, doing text,
                                           allowed text)
RETURNS void
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RAISE EXCEPTION 'cannot % a sales order that is %', doing, o.state
    USING ERRCODE = 'SR109',
          DETAIL = format('Sales order %s is %s; %s needs %s.', o.id, o.state,
                          doing, allowed);
END
$$;

COMMENT ON FUNCTION showroom.order_state_error(showroom.sales_order, text, text) IS
  'internal: raise SR109 saying which state the order is in and which the step needs';

-- pick_order: the DC has taken the goods of an allocated order off the
-- shelf.  Returns the new state.
CREATE FUNCTION showroom.pick_order(order_id bigint)
RETURNS text
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  o showroom.sales_order;
BEGIN
  o := showroom.lock_order(order_id);
  IF o.state <> 'allocated' THEN
    PERFORM showroom.order_state_error(o, 'pick', 'allocated');
  END IF;
  UPDATE showroom.sales_order SET state = 'picked' WHERE id = order_id;
  RETURN 'picked';
END
$$;

COMMENT ON FUNCTION showroom.pick_order(bigint) IS
  'mark an allocated order as picked in the DC; returns the new state';

-- ship_order: the truck leaves the DC with an allocated or picked order.
-- Starts the order's pending delivery (the first, or the one a defect
-- created) and writes one shipment movement per open allocation.
-- Returns the delivery id.
CREATE FUNCTION showroom.ship_order(order_id bigint)
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  o showroom.sales_order;
  did bigint;
BEGIN
  o := showroom.lock_order(order_id);
  IF o.state NOT IN ('allocated', 'picked') THEN
    PERFORM showroom.order_state_error(o, 'ship', 'allocated or picked');
  END IF;
  SELECT id INTO did FROM showroom.delivery
   WHERE sales_order_id = order_id AND shipped_at IS NULL;
  IF did IS NULL THEN
    INSERT INTO showroom.delivery (sales_order_id, attempt, shipped_at)
    VALUES (order_id, 1, now()) RETURNING id INTO did;
  ELSE
    UPDATE showroom.delivery SET shipped_at = now() WHERE id = did;
  END IF;
  INSERT INTO showroom.stock_movement (dc_id, sku_id, slot, kind, qty,
                                       sales_order_id, sales_line_id,
                                       allocation_id, delivery_id)
  SELECT a.dc_id, a.sku_id, a.slot, 'shipment', a.open_qty, a.sales_order_id,
         a.sales_line_id, a.id, did
    FROM showroom.allocation a
   WHERE a.sales_order_id = order_id AND a.open_qty > 0
   ORDER BY a.id;
  UPDATE showroom.sales_order SET state = 'shipped' WHERE id = order_id;
  RETURN did;
END
$$;

COMMENT ON FUNCTION showroom.ship_order(bigint) IS
  'ship an allocated or picked order: starts its delivery and records the shipment; returns the delivery id';

-- consume: take qty units off a line's open allocations, oldest first,
-- as a delivery (units leave on_hand) or a defect (units move from
-- on_hand to defective), writing one movement per allocation touched.
CREATE FUNCTION showroom.consume(line showroom.sales_line, qty integer, kind text,
                                 delivery_id bigint, note text)
RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  a record;
  t integer;
  left_ integer := qty;
  dd integer := CASE WHEN kind = 'defective' THEN 1 ELSE 0 END;
BEGIN
  FOR a IN
    SELECT al.id, al.dc_id, al.sku_id, al.slot, al.open_qty
      FROM showroom.allocation al
     WHERE al.sales_order_id = line.order_id AND al.sales_line_id = line.id
       AND al.open_qty > 0
     ORDER BY al.sku_id, al.slot, al.id
  LOOP
    EXIT WHEN left_ = 0;
    t := least(left_, a.open_qty);
    UPDATE showroom.stock_balance b
       SET on_hand = b.on_hand - t, allocated = b.allocated - t,
           defective = b.defective + dd * t
     WHERE b.dc_id = a.dc_id AND b.sku_id = a.sku_id AND b.slot = a.slot;
    UPDATE showroom.allocation SET open_qty = open_qty - t WHERE id = a.id;
    INSERT INTO showroom.stock_movement (dc_id, sku_id, slot, kind, qty,
                                         d_on_hand, d_allocated, d_defective,
                                         sales_order_id, sales_line_id,
                                         allocation_id, delivery_id, note)
    VALUES (a.dc_id, a.sku_id, a.slot, kind, t, -t, -t, dd * t,
            line.order_id, line.id, a.id, consume.delivery_id, consume.note);
    left_ := left_ - t;
  END LOOP;
END
$$;

COMMENT ON FUNCTION showroom.consume(showroom.sales_line, integer, text, bigint, text) IS
  'internal: take units off a line''s open allocations as a delivery or a defect, with their movements';

-- open_qty: units of a line still allocated.
CREATE FUNCTION showroom.line_open_qty(line_id bigint)
RETURNS integer
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN (SELECT coalesce(sum(al.open_qty), 0)::integer
          FROM showroom.sales_line l
          JOIN showroom.allocation al
            ON al.sales_order_id = l.order_id AND al.sales_line_id = l.id
         WHERE l.id = line_id);

COMMENT ON FUNCTION showroom.line_open_qty(bigint) IS
  'units of a sales line still allocated (not yet delivered, found defective or released)';

-- deliver: qty units of a line reached the customer in good order (NULL:
-- all that is open).  The order becomes partly_delivered, or delivered
-- once every line is delivered or cancelled.  Returns the new state.
CREATE FUNCTION showroom.deliver(line_id bigint, qty integer DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  r record;
  l showroom.sales_line;
  o showroom.sales_order;
  open_ integer;
  did bigint;
  st text;
BEGIN
  SELECT * INTO r FROM showroom.lock_line(line_id);
  l := r.line;
  o := r.ord;
  IF o.state NOT IN ('shipped', 'partly_delivered') THEN
    PERFORM showroom.order_state_error(o, 'deliver', 'shipped or partly_delivered');
  END IF;
  open_ := showroom.line_open_qty(line_id);
  qty := coalesce(qty, open_);
  PERFORM showroom.check_qty(qty, 'qty');
  IF qty > open_ THEN
    RAISE EXCEPTION 'cannot deliver more than is allocated'
      USING ERRCODE = 'SR107',
            DETAIL = format('Line %s has %s units open; qty = %s.', line_id, open_, qty);
  END IF;
  SELECT max(id) INTO did FROM showroom.delivery
   WHERE sales_order_id = o.id AND shipped_at IS NOT NULL;
  PERFORM showroom.consume(l, qty, 'delivery', did, NULL);
  UPDATE showroom.sales_line SET delivered_qty = delivered_qty + deliver.qty
   WHERE id = line_id;
  st := CASE WHEN EXISTS (SELECT 1 FROM showroom.sales_line
                           WHERE order_id = o.id
                             AND delivered_qty + cancelled_qty < sales_line.qty)
             THEN 'partly_delivered' ELSE 'delivered' END;
  UPDATE showroom.sales_order SET state = st WHERE id = o.id;
  RETURN st;
END
$$;

COMMENT ON FUNCTION showroom.deliver(bigint, integer) IS
  'record units of a line handed over to the customer (NULL qty: all open); returns the order''s new state';

-- deliver_order: every open unit of a shipped order reached the customer.
CREATE FUNCTION showroom.deliver_order(order_id bigint)
RETURNS text
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  o showroom.sales_order;
  lid bigint;
  st text := NULL;
BEGIN
  o := showroom.lock_order(order_id);
  IF o.state NOT IN ('shipped', 'partly_delivered') THEN
    PERFORM showroom.order_state_error(o, 'deliver', 'shipped or partly_delivered');
  END IF;
  FOR lid IN
    SELECT l.id FROM showroom.sales_line l
     WHERE l.order_id = deliver_order.order_id
       AND showroom.line_open_qty(l.id) > 0
     ORDER BY l.sku_id, l.line_no
  LOOP
    st := showroom.deliver(lid, NULL);
  END LOOP;
  RETURN coalesce(st, o.state);
END
$$;

COMMENT ON FUNCTION showroom.deliver_order(bigint) IS
  'record every open unit of a shipped order as delivered; returns the order''s new state';

-- cancel_order: cancel what is left of an order.  Open allocations are
-- released (once: a second cancel finds none and changes nothing),
-- waiting backorders stop waiting, delivered units stay delivered.  The
-- freed units go to other waiting orders.  Returns the state, cancelled.
CREATE FUNCTION showroom.cancel_order(order_id bigint, note text DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  o showroom.sales_order;
  a record;
  k record;
BEGIN
  o := showroom.lock_order(order_id);
  IF o.state = 'cancelled' THEN
    RETURN o.state;
  END IF;
  IF o.state = 'delivered' THEN
    RAISE EXCEPTION 'cannot cancel a delivered sales order'
      USING ERRCODE = 'SR109',
            DETAIL = format('Sales order %s was delivered in full.', order_id),
            HINT = 'Record a return with showroom.return_goods() instead.';
  END IF;

  -- Lock every balance slot of the order's SKUs first, in the order every
  -- stock path locks them (SKU, then slot): releasing a slot and then
  -- serving backorders from slot 0 up would hold a later slot while
  -- waiting for an earlier one, and deadlock with a sale that locks all
  -- the slots of the SKU.
  PERFORM 1 FROM showroom.stock_balance b
   WHERE (b.dc_id, b.sku_id) IN (SELECT al.dc_id, al.sku_id
                                   FROM showroom.allocation al
                                  WHERE al.sales_order_id = cancel_order.order_id)
   ORDER BY b.dc_id, b.sku_id, b.slot
     FOR UPDATE OF b;

  FOR a IN
    SELECT al.id, al.dc_id, al.sku_id, al.slot, al.open_qty, al.sales_line_id
      FROM showroom.allocation al
     WHERE al.sales_order_id = cancel_order.order_id AND al.open_qty > 0
     ORDER BY al.sku_id, al.slot, al.id
  LOOP
    UPDATE showroom.stock_balance b SET allocated = b.allocated - a.open_qty
     WHERE b.dc_id = a.dc_id AND b.sku_id = a.sku_id AND b.slot = a.slot;
    UPDATE showroom.allocation SET open_qty = 0 WHERE id = a.id;
    INSERT INTO showroom.stock_movement (dc_id, sku_id, slot, kind, qty,
                                         d_allocated, sales_order_id,
                                         sales_line_id, allocation_id, note)
    VALUES (a.dc_id, a.sku_id, a.slot, 'release', a.open_qty, -a.open_qty,
            order_id, a.sales_line_id, a.id, note);
  END LOOP;

  UPDATE showroom.backorder SET waiting_qty = 0
   WHERE sales_order_id = order_id AND waiting_qty > 0;
  UPDATE showroom.sales_line SET cancelled_qty = qty - delivered_qty
   WHERE sales_line.order_id = cancel_order.order_id;
  UPDATE showroom.sales_order SET state = 'cancelled' WHERE id = order_id;

  FOR k IN
    SELECT DISTINCT al.dc_id, al.sku_id FROM showroom.allocation al
     WHERE al.sales_order_id = cancel_order.order_id ORDER BY 1, 2
  LOOP
    PERFORM showroom.serve_backorders(k.dc_id, k.sku_id);
  END LOOP;
  RETURN 'cancelled';
END
$$;

COMMENT ON FUNCTION showroom.cancel_order(bigint, text) IS
  'cancel what is left of an order, releasing its allocations exactly once; SR109 after full delivery; returns cancelled';

-- report_defect: qty units of a line were found defective at the door.
-- They go back to the DC as defective stock, a replacement is allocated
-- (or waits as a backorder), a second delivery linked to the failed one
-- is created, and the party that pays is recorded.  Returns the defect id.
CREATE FUNCTION showroom.report_defect(line_id bigint, qty integer,
                                       responsible text,
                                       outlet_id bigint DEFAULT NULL,
                                       note text DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  r record;
  l showroom.sales_line;
  o showroom.sales_order;
  open_ integer;
  cur showroom.delivery;
  next_id bigint;
  got integer;
  defect_id bigint;
BEGIN
  SELECT * INTO r FROM showroom.lock_line(line_id);
  l := r.line;
  o := r.ord;
  IF o.state NOT IN ('shipped', 'partly_delivered') THEN
    PERFORM showroom.order_state_error(o, 'report a defect on', 'shipped or partly_delivered');
  END IF;
  PERFORM showroom.check_qty(qty, 'qty');
  open_ := showroom.line_open_qty(line_id);
  IF qty > open_ THEN
    RAISE EXCEPTION 'cannot find more units defective than are on the truck'
      USING ERRCODE = 'SR107',
            DETAIL = format('Line %s has %s units open; qty = %s.', line_id, open_, qty);
  END IF;
  IF responsible IS NULL OR responsible NOT IN ('supplier', 'dc', 'outlet') THEN
    RAISE EXCEPTION 'invalid responsible party'
      USING ERRCODE = '22023',
            DETAIL = format('responsible = %s.', coalesce(quote_literal(responsible), 'NULL')),
            HINT = 'Use supplier, dc or outlet.';
  END IF;
  IF (responsible = 'outlet') <> (outlet_id IS NOT NULL) THEN
    RAISE EXCEPTION 'an outlet is named exactly when the outlet is responsible'
      USING ERRCODE = '22023',
            DETAIL = format('responsible = %s, outlet_id = %s.', responsible,
                            coalesce(outlet_id::text, 'NULL'));
  END IF;

  SELECT * INTO cur FROM showroom.delivery
   WHERE sales_order_id = o.id AND shipped_at IS NOT NULL
   ORDER BY attempt DESC LIMIT 1;
  PERFORM showroom.consume(l, qty, 'defective', cur.id, note);
  INSERT INTO showroom.delivery (sales_order_id, attempt, previous_id, reason)
  VALUES (o.id, cur.attempt + 1, cur.id, 'replacement of a defective unit')
  RETURNING id INTO next_id;
  INSERT INTO showroom.defect (sales_order_id, sales_line_id, sku_id, dc_id, qty,
                               responsible, outlet_id, delivery_id,
                               redelivery_id, note)
  VALUES (o.id, l.id, l.sku_id, o.dc_id, qty, responsible, outlet_id, cur.id,
          next_id, note)
  RETURNING id INTO defect_id;

  got := showroom.take_stock(o.dc_id, l.sku_id, qty, o.id, l.id);
  IF got < qty THEN
    INSERT INTO showroom.backorder (sales_line_id, sales_order_id, dc_id,
                                    sku_id, qty, waiting_qty)
    VALUES (l.id, o.id, o.dc_id, l.sku_id, qty - got, qty - got);
  END IF;
  UPDATE showroom.sales_order
     SET state = CASE WHEN got < qty OR EXISTS
                        (SELECT 1 FROM showroom.backorder
                          WHERE sales_order_id = o.id AND waiting_qty > 0)
                      THEN 'backordered' ELSE 'allocated' END
   WHERE id = o.id;
  RETURN defect_id;
END
$$;

COMMENT ON FUNCTION showroom.report_defect(bigint, integer, text, bigint, text) IS
  'record units found defective at delivery: back to the DC as defective, replacement allocated, second delivery created; returns the defect id';

-- return_goods: the customer sends back delivered units, good (back into
-- sellable stock, serving waiting orders) or defective.  Returns the
-- movement id.
CREATE FUNCTION showroom.return_goods(line_id bigint, qty integer,
                                      defective boolean DEFAULT false,
                                      note text DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  r record;
  l showroom.sales_line;
  o showroom.sales_order;
  mid bigint;
  d integer := CASE WHEN defective THEN 1 ELSE 0 END;
BEGIN
  SELECT * INTO r FROM showroom.lock_line(line_id);
  l := r.line;
  o := r.ord;
  PERFORM showroom.check_qty(qty, 'qty');
  IF defective IS NULL THEN
    RAISE EXCEPTION 'defective must not be null'
      USING ERRCODE = '22004';
  END IF;
  IF qty > l.delivered_qty - l.returned_qty THEN
    RAISE EXCEPTION 'cannot return more than was delivered'
      USING ERRCODE = 'SR107',
            DETAIL = format('Line %s has %s delivered units not yet returned; qty = %s.',
                            line_id, l.delivered_qty - l.returned_qty, qty);
  END IF;
  PERFORM showroom.ensure_slot0(o.dc_id, l.sku_id);
  UPDATE showroom.stock_balance b
     SET on_hand = b.on_hand + (1 - d) * qty, defective = b.defective + d * qty
   WHERE b.dc_id = o.dc_id AND b.sku_id = l.sku_id AND b.slot = 0;
  INSERT INTO showroom.stock_movement (dc_id, sku_id, slot, kind, qty,
                                       d_on_hand, d_defective, sales_order_id,
                                       sales_line_id, note)
  VALUES (o.dc_id, l.sku_id, 0, 'return', qty, (1 - d) * qty, d * qty, o.id,
          l.id, note)
  RETURNING id INTO mid;
  UPDATE showroom.sales_line SET returned_qty = returned_qty + return_goods.qty
   WHERE id = line_id;
  IF NOT defective THEN
    PERFORM showroom.serve_backorders(o.dc_id, l.sku_id);
  END IF;
  RETURN mid;
END
$$;

COMMENT ON FUNCTION showroom.return_goods(bigint, integer, boolean, text) IS
  'record delivered units sent back by the customer, as sellable or defective stock; returns the movement id';

-- verify_stock: check the stock against its ledger.  Returns one row per
-- violation; an empty result means every balance equals the sum of its
-- movements, allocated equals the open allocations, nothing is negative
-- or oversold, every line's quantity adds up, every order, line and
-- allocation holds values in range and every order, line, allocation and
-- movement names existing objects (for orders, lines and allocations in
-- place of foreign keys and CHECK constraints, see showroom.sales_order).
CREATE FUNCTION showroom.verify_stock()
RETURNS TABLE (problem text, detail text)
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  WITH led AS (
    SELECT m.dc_id, m.sku_id, m.slot, sum(m.d_on_hand) AS on_hand,
           sum(m.d_allocated) AS allocated, sum(m.d_defective) AS defective
      FROM showroom.stock_movement m
     GROUP BY m.dc_id, m.sku_id, m.slot
  )
  SELECT 'balance differs from ledger',
         format('dc %s sku %s slot %s: balance %s/%s/%s, ledger %s/%s/%s (on hand/allocated/defective)',
                coalesce(b.dc_id, l.dc_id), coalesce(b.sku_id, l.sku_id),
                coalesce(b.slot, l.slot), coalesce(b.on_hand, 0),
                coalesce(b.allocated, 0), coalesce(b.defective, 0),
                coalesce(l.on_hand, 0), coalesce(l.allocated, 0),
                coalesce(l.defective, 0))
    FROM showroom.stock_balance b
    FULL JOIN led l ON l.dc_id = b.dc_id AND l.sku_id = b.sku_id AND l.slot = b.slot
   WHERE coalesce(b.on_hand, 0) <> coalesce(l.on_hand, 0)
      OR coalesce(b.allocated, 0) <> coalesce(l.allocated, 0)
      OR coalesce(b.defective, 0) <> coalesce(l.defective, 0)
  UNION ALL
  SELECT 'allocated differs from open allocations',
         format('dc %s sku %s slot %s: allocated %s, open allocations %s',
                b.dc_id, b.sku_id, b.slot, b.allocated, coalesce(a.open, 0))
    FROM showroom.stock_balance b
    LEFT JOIN (SELECT al.dc_id, al.sku_id, al.slot, sum(al.open_qty) AS open
                 FROM showroom.allocation al
                GROUP BY al.dc_id, al.sku_id, al.slot) a
      ON a.dc_id = b.dc_id AND a.sku_id = b.sku_id AND a.slot = b.slot
   WHERE b.allocated <> coalesce(a.open, 0)
  UNION ALL
  SELECT 'open allocation without balance',
         format('allocation %s: dc %s sku %s slot %s', al.id, al.dc_id, al.sku_id, al.slot)
    FROM showroom.allocation al
   WHERE al.open_qty > 0
     AND NOT EXISTS (SELECT 1 FROM showroom.stock_balance b
                      WHERE b.dc_id = al.dc_id AND b.sku_id = al.sku_id
                        AND b.slot = al.slot)
  UNION ALL
  SELECT 'negative or oversold balance',
         format('dc %s sku %s slot %s: on hand %s, allocated %s, defective %s',
                b.dc_id, b.sku_id, b.slot, b.on_hand, b.allocated, b.defective)
    FROM showroom.stock_balance b
   WHERE b.on_hand < 0 OR b.allocated < 0 OR b.defective < 0
      OR b.allocated > b.on_hand
  UNION ALL
  SELECT 'line quantities do not add up',
         format('line %s: qty %s, allocated %s, waiting %s, delivered %s, cancelled %s',
                l.id, l.qty, coalesce(a.open, 0), coalesce(w.waiting, 0),
                l.delivered_qty, l.cancelled_qty)
    FROM showroom.sales_line l
    LEFT JOIN (SELECT al.sales_line_id, sum(al.open_qty) AS open
                 FROM showroom.allocation al GROUP BY al.sales_line_id) a
      ON a.sales_line_id = l.id
    LEFT JOIN (SELECT bo.sales_line_id, sum(bo.waiting_qty) AS waiting
                 FROM showroom.backorder bo GROUP BY bo.sales_line_id) w
      ON w.sales_line_id = l.id
   WHERE coalesce(a.open, 0) + coalesce(w.waiting, 0) + l.delivered_qty
         + l.cancelled_qty <> l.qty
  UNION ALL
  SELECT 'sales record out of range',
         format('order %s: channel %s, cod_fen %s', o.id, o.channel, o.cod_fen)
    FROM showroom.sales_order o
   WHERE o.channel NOT IN ('retail', 'key_account') OR o.cod_fen < 0
  UNION ALL
  SELECT 'sales record out of range',
         format('line %s: line_no %s, qty %s, unit_price_fen %s',
                l.id, l.line_no, l.qty, l.unit_price_fen)
    FROM showroom.sales_line l
   WHERE l.line_no <= 0 OR l.qty <= 0 OR l.unit_price_fen < 0
  UNION ALL
  SELECT 'sales record out of range',
         format('allocation %s: qty %s', al.id, al.qty)
    FROM showroom.allocation al
   WHERE al.qty <= 0
  UNION ALL
  SELECT 'sales record names an unknown object',
         format('order %s: store %s, dc %s', o.id, o.store_id, o.dc_id)
    FROM showroom.sales_order o
   WHERE NOT EXISTS (SELECT 1 FROM showroom.store st WHERE st.id = o.store_id)
      OR NOT EXISTS (SELECT 1 FROM showroom.dc d WHERE d.id = o.dc_id)
  UNION ALL
  SELECT 'sales record names an unknown object',
         format('line %s: order %s, sku %s', l.id, l.order_id, l.sku_id)
    FROM showroom.sales_line l
   WHERE NOT EXISTS (SELECT 1 FROM showroom.sales_order o WHERE o.id = l.order_id)
      OR NOT EXISTS (SELECT 1 FROM showroom.sku s WHERE s.id = l.sku_id)
  UNION ALL
  SELECT 'sales record names an unknown object',
         format('allocation %s: line %s of order %s, sku %s',
                al.id, al.sales_line_id, al.sales_order_id, al.sku_id)
    FROM showroom.allocation al
   WHERE NOT EXISTS (SELECT 1 FROM showroom.sales_line l
                      WHERE l.id = al.sales_line_id
                        AND l.order_id = al.sales_order_id
                        AND l.sku_id = al.sku_id)
  UNION ALL
  SELECT 'movement names an unknown object',
         format('movement %s (%s)', m.id, m.kind)
    FROM showroom.stock_movement m
   WHERE NOT EXISTS (SELECT 1 FROM showroom.dc d WHERE d.id = m.dc_id)
      OR NOT EXISTS (SELECT 1 FROM showroom.sku s WHERE s.id = m.sku_id)
      OR (m.store_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM showroom.store st WHERE st.id = m.store_id))
      OR (m.sales_order_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM showroom.sales_order o
                           WHERE o.id = m.sales_order_id))
      OR (m.sales_line_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM showroom.sales_line sl
                           WHERE sl.id = m.sales_line_id
                             AND sl.order_id = m.sales_order_id
                             AND sl.sku_id = m.sku_id))
  ORDER BY 1, 2;
END;

COMMENT ON FUNCTION showroom.verify_stock() IS
  'check balances against the ledger and the allocations; returns one row per violation (none when all is well)';

-- sell: record a whole sales order and allocate every line, or fail and
-- leave nothing behind.  Written in C (src/stock.c); see doc/stock.md.
CREATE FUNCTION showroom.sell(store_id bigint, lon double precision,
                              lat double precision, sku_ids bigint[],
                              qtys integer[],
                              unit_prices_fen bigint[] DEFAULT NULL,
                              external_ref text DEFAULT NULL,
                              backorder boolean DEFAULT false,
                              customer_name text DEFAULT NULL,
                              customer_phone text DEFAULT NULL,
                              address text DEFAULT NULL,
                              delivery_date date DEFAULT NULL,
                              cod_fen bigint DEFAULT 0,
                              channel text DEFAULT 'retail')
RETURNS bigint
LANGUAGE c VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, public, pg_temp
AS 'MODULE_PATHNAME', 'showroom_sell';

COMMENT ON FUNCTION showroom.sell(bigint, double precision, double precision, bigint[], integer[], bigint[], text, boolean, text, text, text, date, bigint, text) IS
  'record a sales order and allocate all its lines from the DC covering the address (else the store''s home DC), all or nothing; SR101 lists the shortfall; returns the order id';
