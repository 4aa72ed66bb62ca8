
--
-- samples: display samples in stores, open-box sales, display gaps.
--

-- Display samples: units on show in a store.  A sample left the DC's
-- stock when it was placed (a sample_placement movement) and is never
-- stock again: no sale path reads this table, so no order can be
-- allocated a sample.  The only way to sell one is open_box_sale().
CREATE TABLE showroom.sample (
  id         bigserial PRIMARY KEY,
  store_id   bigint NOT NULL REFERENCES showroom.store (id),
  sku_id     bigint NOT NULL REFERENCES showroom.sku (id),
  serial     text CHECK (serial <> ''),
  since      timestamptz NOT NULL DEFAULT now(),
  condition  text NOT NULL DEFAULT 'new'
               CHECK (condition IN ('new', 'good', 'worn', 'damaged')),
  state      text NOT NULL DEFAULT 'on_display'
               CHECK (state IN ('on_display', 'sold')),
  from_dc_id bigint NOT NULL REFERENCES showroom.dc (id),
  ended_at   timestamptz,
  UNIQUE (sku_id, serial),
  CHECK ((state = 'on_display') = (ended_at IS NULL))
);

CREATE INDEX sample_store_sku_idx ON showroom.sample (store_id, sku_id);

COMMENT ON TABLE showroom.sample IS 'display samples (floor models) in stores; never sellable stock';
COMMENT ON COLUMN showroom.sample.id IS 'sample id';
COMMENT ON COLUMN showroom.sample.store_id IS 'store that shows it';
COMMENT ON COLUMN showroom.sample.sku_id IS 'SKU';
COMMENT ON COLUMN showroom.sample.serial IS 'serial number of the unit';
COMMENT ON COLUMN showroom.sample.since IS 'when it was placed';
COMMENT ON COLUMN showroom.sample.condition IS 'new, good, worn or damaged';
COMMENT ON COLUMN showroom.sample.state IS 'on_display or sold (open-box)';
COMMENT ON COLUMN showroom.sample.from_dc_id IS 'DC whose stock it came from';
COMMENT ON COLUMN showroom.sample.ended_at IS 'when it left the display';

SELECT pg_catalog.pg_extension_config_dump('showroom.sample', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.sample_id_seq', '');

-- Open-box sales: a display sample sold as it is, with its grade, price
-- and the text disclosed to the buyer.
CREATE TABLE showroom.open_box_sale (
  id            bigserial PRIMARY KEY,
  sample_id     bigint NOT NULL UNIQUE REFERENCES showroom.sample (id),
  grade         text NOT NULL CHECK (grade IN ('A', 'B', 'C')),
  price_fen     bigint NOT NULL CHECK (price_fen >= 0),
  disclosure    text NOT NULL CHECK (btrim(disclosure) <> ''),
  customer_name text,
  sold_at       timestamptz NOT NULL DEFAULT now(),
  sold_by       name NOT NULL DEFAULT coalesce(
                  nullif(current_setting('showroom.person', true), ''),
                  current_user)
);

COMMENT ON TABLE showroom.open_box_sale IS 'display samples sold open-box, with what the buyer was told';
COMMENT ON COLUMN showroom.open_box_sale.id IS 'sale id';
COMMENT ON COLUMN showroom.open_box_sale.sample_id IS 'sample sold';
COMMENT ON COLUMN showroom.open_box_sale.grade IS 'condition grade: A (as new), B (marks), C (visible damage)';
COMMENT ON COLUMN showroom.open_box_sale.price_fen IS 'price paid, in fen';
COMMENT ON COLUMN showroom.open_box_sale.disclosure IS 'what the buyer was told about the unit''s condition';
COMMENT ON COLUMN showroom.open_box_sale.customer_name IS 'buyer';
COMMENT ON COLUMN showroom.open_box_sale.sold_at IS 'when it was sold';
COMMENT ON COLUMN showroom.open_box_sale.sold_by IS 'who sold it';

SELECT pg_catalog.pg_extension_config_dump('showroom.open_box_sale', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.open_box_sale_id_seq', '');

-- Requests from stores for a (replacement) sample; placing a sample of
-- the SKU in the store fulfils the oldest open request.
CREATE TABLE showroom.sample_request (
  id           bigserial PRIMARY KEY,
  store_id     bigint NOT NULL REFERENCES showroom.store (id),
  sku_id       bigint NOT NULL REFERENCES showroom.sku (id),
  dc_id        bigint NOT NULL REFERENCES showroom.dc (id),
  requested_at timestamptz NOT NULL DEFAULT now(),
  requested_by name NOT NULL DEFAULT coalesce(
                 nullif(current_setting('showroom.person', true), ''),
                 current_user),
  sample_id    bigint REFERENCES showroom.sample (id)
);

CREATE UNIQUE INDEX sample_request_open_idx ON showroom.sample_request (store_id, sku_id)
  WHERE sample_id IS NULL;

COMMENT ON TABLE showroom.sample_request IS 'requests from stores to the DC for a display sample';
COMMENT ON COLUMN showroom.sample_request.id IS 'request id';
COMMENT ON COLUMN showroom.sample_request.store_id IS 'store asking';
COMMENT ON COLUMN showroom.sample_request.sku_id IS 'SKU wanted on display';
COMMENT ON COLUMN showroom.sample_request.dc_id IS 'DC asked (the store''s home DC)';
COMMENT ON COLUMN showroom.sample_request.requested_at IS 'when it was asked';
COMMENT ON COLUMN showroom.sample_request.requested_by IS 'who asked';
COMMENT ON COLUMN showroom.sample_request.sample_id IS 'the sample that fulfilled it (NULL: still open)';

SELECT pg_catalog.pg_extension_config_dump('showroom.sample_request', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.sample_request_id_seq', '');

-- check_store: the store's home DC; SR102 if unknown, SR114 if inactive.
CREATE FUNCTION showroom.check_store(store_id bigint)
RETURNS bigint
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  st showroom.store;
BEGIN
  SELECT * INTO st FROM showroom.store s WHERE s.id = check_store.store_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown store'
      USING ERRCODE = 'SR102',
            DETAIL = format('No store has id %s.', coalesce(store_id::text, 'NULL'));
  END IF;
  IF NOT st.active THEN
    RAISE EXCEPTION 'store is not active'
      USING ERRCODE = 'SR114',
            DETAIL = format('Store %s is inactive.', store_id);
  END IF;
  RETURN st.home_dc_id;
END
$$;

COMMENT ON FUNCTION showroom.check_store(bigint) IS
  'internal: the home DC of an active store; SR102 if the store is unknown, SR114 if inactive';

-- place_sample: put a unit of a SKU on display in a store.  The unit
-- leaves the store's home DC (one available unit, the lowest slot that
-- has one) with a sample_placement movement.  Returns the sample id.
CREATE FUNCTION showroom.place_sample(store_id bigint, sku_id bigint,
                                      serial text DEFAULT NULL,
                                      condition text DEFAULT 'new')
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  dc bigint;
  s smallint;
  sid bigint;
BEGIN
  dc := showroom.check_store(store_id);
  PERFORM showroom.check_dc_sku(dc, sku_id);
  IF condition IS NULL OR condition NOT IN ('new', 'good', 'worn', 'damaged') THEN
    RAISE EXCEPTION 'invalid sample condition'
      USING ERRCODE = '22023',
            DETAIL = format('condition = %s.', coalesce(quote_literal(condition), 'NULL')),
            HINT = 'Use new, good, worn or damaged.';
  END IF;
  IF serial = '' THEN
    RAISE EXCEPTION 'serial number must not be empty'
      USING ERRCODE = '22023', HINT = 'Leave it NULL when the sample has none.';
  END IF;
  IF EXISTS (SELECT 1 FROM showroom.sample x
              WHERE x.sku_id = place_sample.sku_id AND x.serial = place_sample.serial) THEN
    RAISE EXCEPTION 'serial number already recorded'
      USING ERRCODE = 'SR111',
            DETAIL = format('SKU %s already has a sample with serial %s.', sku_id, serial);
  END IF;

  SELECT b.slot INTO s FROM showroom.stock_balance b
   WHERE b.dc_id = dc AND b.sku_id = place_sample.sku_id
     AND b.on_hand - b.allocated > 0
   ORDER BY b.slot LIMIT 1 FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'insufficient stock in distribution centre %', dc
      USING ERRCODE = 'SR101',
            DETAIL = format('SKU %s has no available unit for a sample.', sku_id),
            HINT = 'Receive stock first or request the sample with showroom.request_sample().';
  END IF;
  UPDATE showroom.stock_balance b SET on_hand = b.on_hand - 1
   WHERE b.dc_id = dc AND b.sku_id = place_sample.sku_id AND b.slot = s;

  INSERT INTO showroom.sample (store_id, sku_id, serial, condition, from_dc_id)
  VALUES (store_id, sku_id, serial, condition, dc)
  RETURNING id INTO sid;
  INSERT INTO showroom.stock_movement (dc_id, store_id, sku_id, slot, kind, qty,
                                       d_on_hand, sample_id)
  VALUES (dc, store_id, sku_id, s, 'sample_placement', 1, -1, sid);
  UPDATE showroom.sample_request r SET sample_id = sid
   WHERE r.store_id = place_sample.store_id AND r.sku_id = place_sample.sku_id
     AND r.sample_id IS NULL;
  RETURN sid;
END
$$;

COMMENT ON FUNCTION showroom.place_sample(bigint, bigint, text, text) IS
  'put a unit from the store''s home DC on display as a sample (a sample_placement movement); returns the sample id';

-- open_box_sale: sell a display sample as it is.  Needs the grade, the
-- price and the disclosure text the buyer was given.  Returns the sale id.
CREATE FUNCTION showroom.open_box_sale(sample_id bigint, grade text,
                                       price_fen bigint, disclosure text,
                                       customer_name text DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  x showroom.sample;
  sale bigint;
BEGIN
  SELECT * INTO x FROM showroom.sample s WHERE s.id = open_box_sale.sample_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown sample'
      USING ERRCODE = 'SR110',
            DETAIL = format('No sample has id %s.', coalesce(sample_id::text, 'NULL'));
  END IF;
  IF x.state <> 'on_display' THEN
    RAISE EXCEPTION 'sample is not on display'
      USING ERRCODE = 'SR111',
            DETAIL = format('Sample %s is %s.', sample_id, x.state);
  END IF;
  IF grade IS NULL OR grade NOT IN ('A', 'B', 'C') THEN
    RAISE EXCEPTION 'invalid condition grade'
      USING ERRCODE = '22023',
            DETAIL = format('grade = %s.', coalesce(quote_literal(grade), 'NULL')),
            HINT = 'Use A (as new), B (marks) or C (visible damage).';
  END IF;
  IF price_fen IS NULL OR price_fen < 0 THEN
    RAISE EXCEPTION 'invalid open-box price'
      USING ERRCODE = '22023',
            DETAIL = format('price_fen = %s.', coalesce(price_fen::text, 'NULL'));
  END IF;
  PERFORM showroom.check_range('price_fen', price_fen, 0, 99999999999999);
  IF coalesce(btrim(disclosure), '') = '' THEN
    RAISE EXCEPTION 'an open-box sale needs a disclosure'
      USING ERRCODE = '22004',
            HINT = 'Write down what the buyer was told about the unit''s condition.';
  END IF;

  UPDATE showroom.sample SET state = 'sold', ended_at = now() WHERE id = sample_id;
  INSERT INTO showroom.open_box_sale (sample_id, grade, price_fen, disclosure,
                                      customer_name)
  VALUES (sample_id, grade, price_fen, disclosure, customer_name)
  RETURNING id INTO sale;
  INSERT INTO showroom.stock_movement (dc_id, store_id, sku_id, kind, qty,
                                       sample_id, note)
  VALUES (x.from_dc_id, x.store_id, x.sku_id, 'sample_sale', 1, sample_id,
          format('open-box grade %s', grade));
  RETURN sale;
END
$$;

COMMENT ON FUNCTION showroom.open_box_sale(bigint, text, bigint, text, text) IS
  'sell a display sample open-box with its grade, price and disclosure; returns the sale id';

-- request_sample: ask the store's home DC for a (replacement) sample of
-- a SKU.  Asking again while a request is open returns that request.
CREATE FUNCTION showroom.request_sample(store_id bigint, sku_id bigint)
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  dc bigint;
  rid bigint;
BEGIN
  dc := showroom.check_store(store_id);
  PERFORM FROM showroom.sku s WHERE s.id = request_sample.sku_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown SKU'
      USING ERRCODE = 'SR103',
            DETAIL = format('No SKU has id %s.', coalesce(sku_id::text, 'NULL'));
  END IF;
  INSERT INTO showroom.sample_request (store_id, sku_id, dc_id)
  VALUES (store_id, sku_id, dc)
  ON CONFLICT (store_id, sku_id) WHERE sample_id IS NULL DO NOTHING
  RETURNING id INTO rid;
  IF rid IS NULL THEN
    SELECT r.id INTO rid FROM showroom.sample_request r
     WHERE r.store_id = request_sample.store_id AND r.sku_id = request_sample.sku_id
       AND r.sample_id IS NULL;
  END IF;
  RETURN rid;
END
$$;

COMMENT ON FUNCTION showroom.request_sample(bigint, bigint) IS
  'ask the store''s home DC for a (replacement) display sample; returns the open request id';

-- The display gaps: SKUs a store has shown and shows no longer.
CREATE VIEW showroom.display_gap AS
SELECT s.store_id, s.sku_id,
       max(s.ended_at) AS gap_since,
       (SELECT r.id FROM showroom.sample_request r
         WHERE r.store_id = s.store_id AND r.sku_id = s.sku_id
           AND r.sample_id IS NULL) AS open_request_id
  FROM showroom.sample s
 GROUP BY s.store_id, s.sku_id
HAVING bool_and(s.state <> 'on_display');

COMMENT ON VIEW showroom.display_gap IS 'SKUs a store has shown as a sample and no longer shows';
COMMENT ON COLUMN showroom.display_gap.store_id IS 'store';
COMMENT ON COLUMN showroom.display_gap.sku_id IS 'SKU missing from the display';
COMMENT ON COLUMN showroom.display_gap.gap_since IS 'when the last sample left the display';
COMMENT ON COLUMN showroom.display_gap.open_request_id IS 'open replacement request, if one was made';

-- verify_samples: every sample came from a placement movement, and every
-- sold sample has exactly one sale row and one sample_sale movement.
-- Returns one row per violation.
CREATE FUNCTION showroom.verify_samples()
RETURNS TABLE (problem text, detail text)
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT 'sample without placement movement', format('sample %s', s.id)
    FROM showroom.sample s
   WHERE (SELECT count(*) FROM showroom.stock_movement m
           WHERE m.sample_id = s.id AND m.kind = 'sample_placement'
             AND m.d_on_hand = -1 AND m.store_id = s.store_id) <> 1
  UNION ALL
  SELECT 'sold sample without one sale', format('sample %s', s.id)
    FROM showroom.sample s
   WHERE (s.state = 'sold') <>
         (EXISTS (SELECT 1 FROM showroom.open_box_sale o WHERE o.sample_id = s.id)
          AND (SELECT count(*) FROM showroom.stock_movement m
                WHERE m.sample_id = s.id AND m.kind = 'sample_sale') = 1)
  ORDER BY 1, 2;
END;

COMMENT ON FUNCTION showroom.verify_samples() IS
  'check samples against the ledger; returns one row per violation (none when all is well)';
