
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
CREATE TABLE showroom.sales_order (
  id             bigserial PRIMARY KEY,
  external_ref   text UNIQUE,
  store_id       bigint NOT NULL REFERENCES showroom.store (id),
  dc_id          bigint NOT NULL REFERENCES showroom.dc (id),
  channel        text NOT NULL DEFAULT 'retail'
                   CHECK (channel IN ('retail', 'key_account')),
  customer_name  text,
  customer_phone text,
  address        text,
  delivery_point geometry(Point, 4326) NOT NULL,
  delivery_date  date,
  window_from    time,
  window_to      time,
  cod_fen        bigint NOT NULL DEFAULT 0 CHECK (cod_fen >= 0),
  state          text NOT NULL DEFAULT 'open',
  created_at     timestamptz NOT NULL DEFAULT now(),
  created_by     name NOT NULL DEFAULT current_user,
  CHECK (window_from IS NULL OR window_to IS NULL OR window_from < window_to)
);

CREATE INDEX sales_order_store_idx ON showroom.sales_order (store_id);
CREATE INDEX sales_order_dc_date_idx ON showroom.sales_order (dc_id, delivery_date);
CREATE INDEX sales_order_point_idx ON showroom.sales_order USING gist (delivery_point);

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
  order_id      bigint NOT NULL REFERENCES showroom.sales_order (id),
  line_no       integer NOT NULL CHECK (line_no > 0),
  sku_id        bigint NOT NULL REFERENCES showroom.sku (id),
  qty           integer NOT NULL CHECK (qty > 0),
  unit_price_fen bigint NOT NULL CHECK (unit_price_fen >= 0),
  UNIQUE (order_id, line_no)
);

CREATE INDEX sales_line_sku_idx ON showroom.sales_line (sku_id);

COMMENT ON TABLE showroom.sales_line IS 'lines of sales orders';
COMMENT ON COLUMN showroom.sales_line.id IS 'line id';
COMMENT ON COLUMN showroom.sales_line.order_id IS 'order';
COMMENT ON COLUMN showroom.sales_line.line_no IS 'line number within the order, from 1';
COMMENT ON COLUMN showroom.sales_line.sku_id IS 'SKU sold';
COMMENT ON COLUMN showroom.sales_line.qty IS 'quantity sold';
COMMENT ON COLUMN showroom.sales_line.unit_price_fen IS 'unit price in fen';

SELECT pg_catalog.pg_extension_config_dump('showroom.sales_line', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.sales_line_id_seq', '');
