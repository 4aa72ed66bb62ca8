
--
-- cash: outlet accounts per product category, with small balances rolled
-- over, and cash on delivery handed in person by person.
--
-- An outlet's account for a month, per category: the opening balance
-- (last month's closing), what became payable in the month (the
-- settlement's statement lines, which carry the per-order outlet amounts
-- of the fee and discipline rooms once a run settled them, by the
-- category of their service order), what was paid, and the closing
-- balance.  A balance above zero but under
-- statements.rollover_fen is not paid out but rolled over to the next
-- month, for at most statements.rollover_months months in a row.
--
-- COD: each collection (settlement room, cod_collection) is handed in by
-- the person who collected it, in one or more handovers; a handover of
-- cash.review_fen or more counts only once a second person reviewed it.
-- A collection not fully handed in after cash.overdue_days days is
-- overdue and blocks its collector from collecting more.
--

INSERT INTO showroom.setting_default (name, value, value_type, description) VALUES
  ('statements.rollover_fen', '5000', 'bigint',
   'an outlet''s balance of a category under this many fen is rolled over instead of paid'),
  ('statements.rollover_months', '3', 'integer',
   'months in a row a small balance may be rolled over before it is paid anyway'),
  ('cash.review_fen', '500000', 'bigint',
   'a COD handover of this many fen or more needs a second person''s review'),
  ('cash.overdue_days', '3', 'integer',
   'days after collection by which COD must be fully handed in; later it blocks the collector');

-- Payments to outlets, per category and month.
CREATE TABLE showroom.outlet_payment (
  id         bigserial PRIMARY KEY,
  outlet_id  bigint NOT NULL REFERENCES showroom.outlet (id),
  category   text NOT NULL,
  period     date NOT NULL CHECK (period = date_trunc('month', period)::date),
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  reference  text NOT NULL CHECK (btrim(reference) <> ''),
  paid_at    timestamptz NOT NULL DEFAULT now(),
  paid_by    text NOT NULL,
  UNIQUE (outlet_id, reference)
);

COMMENT ON TABLE showroom.outlet_payment IS 'payments made to an outlet, per product category and month';
COMMENT ON COLUMN showroom.outlet_payment.id IS 'payment id';
COMMENT ON COLUMN showroom.outlet_payment.outlet_id IS 'outlet paid';
COMMENT ON COLUMN showroom.outlet_payment.category IS 'product category paid for (none for amounts without a service order)';
COMMENT ON COLUMN showroom.outlet_payment.period IS 'first day of the month the payment belongs to';
COMMENT ON COLUMN showroom.outlet_payment.amount_fen IS 'amount paid, fen';
COMMENT ON COLUMN showroom.outlet_payment.reference IS 'bank reference, unique per outlet';
COMMENT ON COLUMN showroom.outlet_payment.paid_at IS 'when recorded';
COMMENT ON COLUMN showroom.outlet_payment.paid_by IS 'person (showroom.person) or role';

SELECT pg_catalog.pg_extension_config_dump('showroom.outlet_payment', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.outlet_payment_id_seq', '');

-- What became payable to outlets, line by line, with its month and
-- category: the settlement's statement lines.  The per-order outlet
-- amounts are among them once a settlement run picked them up (in the
-- statement's month, which is their due month or, if settled late, the
-- next open one); before that they are not payable yet.
CREATE VIEW showroom.outlet_payable AS
SELECT s.outlet_id, s.period, coalesce(o.category, 'none') AS category,
       l.component, l.service_order_id, l.amount_fen
  FROM showroom.statement_line l
  JOIN showroom.statement s ON s.id = l.statement_id
  LEFT JOIN showroom.service_order o ON o.id = l.service_order_id;

COMMENT ON VIEW showroom.outlet_payable IS 'every amount payable to (or deducted from) an outlet, with its month and category';
COMMENT ON COLUMN showroom.outlet_payable.outlet_id IS 'outlet';
COMMENT ON COLUMN showroom.outlet_payable.period IS 'first day of the month it falls in';
COMMENT ON COLUMN showroom.outlet_payable.category IS 'product category of its service order (none without one)';
COMMENT ON COLUMN showroom.outlet_payable.component IS 'statement line component';
COMMENT ON COLUMN showroom.outlet_payable.service_order_id IS 'service order, if any';
COMMENT ON COLUMN showroom.outlet_payable.amount_fen IS 'fen; positive owed to the outlet';

-- record_outlet_payment: record a payment to an outlet for a category and
-- month.  Returns its id.
CREATE FUNCTION showroom.record_outlet_payment(outlet_id bigint, category text, period date,
                                               amount_fen bigint, reference text)
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  new_id bigint;
BEGIN
  PERFORM showroom.outlet_row(outlet_id);
  IF category IS NULL OR (category <> 'none'
                          AND NOT EXISTS (SELECT 1 FROM showroom.category c WHERE c.code = category)) THEN
    RAISE EXCEPTION 'unknown category %', coalesce(quote_literal(category), 'NULL')
      USING ERRCODE = '22023', HINT = 'Use a code of showroom.category, or none.';
  END IF;
  IF period IS NULL OR amount_fen IS NULL OR amount_fen <= 0 OR nullif(btrim(reference), '') IS NULL THEN
    RAISE EXCEPTION 'invalid payment'
      USING ERRCODE = '22023',
            DETAIL = format('period %s, amount_fen %s, reference %s.', coalesce(period::text, 'NULL'),
                            coalesce(amount_fen::text, 'NULL'), coalesce(quote_literal(reference), 'NULL')),
            HINT = 'A payment has a month, a positive amount and a reference.';
  END IF;
  PERFORM showroom.check_day('period', period);
  PERFORM showroom.check_range('amount_fen', amount_fen, 1, 99999999999999);
  IF EXISTS (SELECT 1 FROM showroom.outlet_payment p
              WHERE p.outlet_id = record_outlet_payment.outlet_id
                AND p.reference = btrim(record_outlet_payment.reference)) THEN
    RAISE EXCEPTION 'payment "%" to outlet % is already recorded', btrim(reference), outlet_id
      USING ERRCODE = 'unique_violation', HINT = 'Each reference is recorded once per outlet.';
  END IF;
  INSERT INTO showroom.outlet_payment (outlet_id, category, period, amount_fen, reference, paid_by)
  VALUES (outlet_id, category, date_trunc('month', period)::date, amount_fen, btrim(reference),
          showroom.acting_person())
  RETURNING id INTO new_id;
  RETURN new_id;
END
$$;

COMMENT ON FUNCTION showroom.record_outlet_payment(bigint, text, date, bigint, text) IS
  'record a payment to an outlet for a category and month; returns its id';

-- outlet_account: the account of an outlet for a month, per category:
-- opening, payable, paid, closing, what is to be paid out, and how many
-- months in a row a small balance has been rolled over.  Months are
-- walked from the outlet's first month with a payable or a payment.  It
-- reads the statement lines behind showroom.outlet_payable itself, so that finance
-- needs no right on the view.
CREATE FUNCTION showroom.outlet_account(outlet_id bigint, period date)
RETURNS TABLE (category text, opening numeric(14,2), payable numeric(14,2),
               paid numeric(14,2), closing numeric(14,2), to_pay numeric(14,2),
               rolled_months integer)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  threshold bigint := showroom.setting_value('statements.rollover_fen')::bigint;
  max_rolls integer := showroom.setting_value('statements.rollover_months')::integer;
  last_month date := date_trunc('month', period)::date;
BEGIN
  IF outlet_id IS NULL OR period IS NULL THEN
    RAISE EXCEPTION 'outlet and month must not be null' USING ERRCODE = '22004';
  END IF;
  PERFORM showroom.check_day('period', period);
  RETURN QUERY
  WITH RECURSIVE flows AS (
    SELECT f.category, f.period, sum(f.payable)::bigint AS payable, sum(f.paid)::bigint AS paid
      FROM (SELECT coalesce(o.category, 'none') AS category, st.period, l.amount_fen AS payable,
                   0 AS paid
              FROM showroom.statement_line l
              JOIN showroom.statement st ON st.id = l.statement_id
              LEFT JOIN showroom.service_order o ON o.id = l.service_order_id
             WHERE st.outlet_id = outlet_account.outlet_id
            UNION ALL
            SELECT y.category, y.period, 0, y.amount_fen
              FROM showroom.outlet_payment y WHERE y.outlet_id = outlet_account.outlet_id) f
     WHERE f.period <= last_month
     GROUP BY f.category, f.period),
  firsts AS (
    SELECT f.category, min(f.period) AS first FROM flows f GROUP BY f.category),
  walk (category, period, opening, payable, paid, to_pay, rolls) AS (
    SELECT x.category, x.first, 0::bigint,
           coalesce(f.payable, 0), coalesce(f.paid, 0),
           CASE WHEN coalesce(f.payable, 0) > 0 AND coalesce(f.payable, 0) < threshold
                     AND max_rolls > 0 THEN 0
                ELSE greatest(coalesce(f.payable, 0), 0) END,
           CASE WHEN coalesce(f.payable, 0) > 0 AND coalesce(f.payable, 0) < threshold
                     AND max_rolls > 0 THEN 1 ELSE 0 END
      FROM firsts x LEFT JOIN flows f ON f.category = x.category AND f.period = x.first
    UNION ALL
    SELECT w.category, (w.period + interval '1 month')::date,
           w.opening + w.payable - w.paid,
           coalesce(f.payable, 0), coalesce(f.paid, 0),
           CASE WHEN w.opening + w.payable - w.paid + coalesce(f.payable, 0) > 0
                     AND w.opening + w.payable - w.paid + coalesce(f.payable, 0) < threshold
                     AND w.rolls < max_rolls THEN 0
                ELSE greatest(w.opening + w.payable - w.paid + coalesce(f.payable, 0), 0) END,
           CASE WHEN w.opening + w.payable - w.paid + coalesce(f.payable, 0) > 0
                     AND w.opening + w.payable - w.paid + coalesce(f.payable, 0) < threshold
                     AND w.rolls < max_rolls THEN w.rolls + 1 ELSE 0 END
      FROM walk w
      LEFT JOIN flows f ON f.category = w.category
                       AND f.period = (w.period + interval '1 month')::date
     WHERE w.period < last_month)
  SELECT w.category, (w.opening / 100.0)::numeric(14,2), (w.payable / 100.0)::numeric(14,2),
         (w.paid / 100.0)::numeric(14,2),
         ((w.opening + w.payable - w.paid) / 100.0)::numeric(14,2),
         (w.to_pay / 100.0)::numeric(14,2), w.rolls
    FROM walk w
   WHERE w.period = last_month
   ORDER BY w.category;
END
$$;

COMMENT ON FUNCTION showroom.outlet_account(bigint, date) IS
  'an outlet''s account for a month per category: opening, payable, paid, closing, to pay (small balances rolled over)';

-- COD handovers.
CREATE TABLE showroom.cod_handover (
  id            bigserial PRIMARY KEY,
  collection_id bigint NOT NULL REFERENCES showroom.cod_collection (id),
  person        text NOT NULL,
  amount_fen    bigint NOT NULL CHECK (amount_fen > 0),
  handed_at     timestamptz NOT NULL DEFAULT now(),
  received_by   text NOT NULL,
  needs_review  boolean NOT NULL,
  reviewed_by   text,
  reviewed_at   timestamptz,
  CHECK ((reviewed_by IS NULL) = (reviewed_at IS NULL)),
  CHECK (reviewed_by IS NULL OR needs_review)
);

CREATE INDEX cod_handover_collection_idx ON showroom.cod_handover (collection_id);

COMMENT ON TABLE showroom.cod_handover IS 'COD cash handed in by the person who collected it, with a second person''s review above a threshold';
COMMENT ON COLUMN showroom.cod_handover.id IS 'handover id';
COMMENT ON COLUMN showroom.cod_handover.collection_id IS 'COD collection handed in';
COMMENT ON COLUMN showroom.cod_handover.person IS 'person who collected and hands in';
COMMENT ON COLUMN showroom.cod_handover.amount_fen IS 'amount handed in, fen';
COMMENT ON COLUMN showroom.cod_handover.handed_at IS 'when';
COMMENT ON COLUMN showroom.cod_handover.received_by IS 'person (showroom.person) or role who received it';
COMMENT ON COLUMN showroom.cod_handover.needs_review IS 'at or above cash.review_fen: counts only once reviewed';
COMMENT ON COLUMN showroom.cod_handover.reviewed_by IS 'second person who reviewed it';
COMMENT ON COLUMN showroom.cod_handover.reviewed_at IS 'when reviewed';

SELECT pg_catalog.pg_extension_config_dump('showroom.cod_handover', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.cod_handover_id_seq', '');

-- Each COD collection with what was handed in and its state.
CREATE VIEW showroom.cod_handover_state AS
SELECT c.id AS collection_id, c.outlet_id, c.collected_by AS person, c.collected_at,
       (c.amount_fen / 100.0)::numeric(14,2) AS collected,
       (h.counted / 100.0)::numeric(14,2) AS handed_in,
       (h.pending / 100.0)::numeric(14,2) AS awaiting_review,
       CASE WHEN h.counted = 0 THEN 'not' WHEN h.counted < c.amount_fen THEN 'partly'
            ELSE 'fully' END AS state,
       h.counted < c.amount_fen
         AND c.collected_at < now() - make_interval(days => coalesce(
               (SELECT s.value::integer FROM showroom.settings s WHERE s.name = 'cash.overdue_days'), 3))
         AS overdue
  FROM showroom.cod_collection c
  CROSS JOIN LATERAL (
    SELECT coalesce(sum(x.amount_fen) FILTER (WHERE NOT x.needs_review OR x.reviewed_by IS NOT NULL), 0) AS counted,
           coalesce(sum(x.amount_fen) FILTER (WHERE x.needs_review AND x.reviewed_by IS NULL), 0) AS pending
      FROM showroom.cod_handover x WHERE x.collection_id = c.id) h
 WHERE c.method = 'cash';

COMMENT ON VIEW showroom.cod_handover_state IS 'each cash collection: handed in, awaiting review, not/partly/fully handed in, overdue';
COMMENT ON COLUMN showroom.cod_handover_state.collection_id IS 'COD collection';
COMMENT ON COLUMN showroom.cod_handover_state.outlet_id IS 'outlet of the crew';
COMMENT ON COLUMN showroom.cod_handover_state.person IS 'person who collected';
COMMENT ON COLUMN showroom.cod_handover_state.collected_at IS 'when collected';
COMMENT ON COLUMN showroom.cod_handover_state.collected IS 'amount collected, yuan';
COMMENT ON COLUMN showroom.cod_handover_state.handed_in IS 'handed in and counted (reviewed where needed), yuan';
COMMENT ON COLUMN showroom.cod_handover_state.awaiting_review IS 'handed in, waiting for a second person, yuan';
COMMENT ON COLUMN showroom.cod_handover_state.state IS 'not, partly or fully handed in';
COMMENT ON COLUMN showroom.cod_handover_state.overdue IS 'not fully handed in within cash.overdue_days days';

-- hand_in_cod: the collector hands in (part of) a cash collection.
-- Returns the handover id.
CREATE FUNCTION showroom.hand_in_cod(collection_id bigint, amount_fen bigint)
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  c showroom.cod_collection;
  already bigint;
  new_id bigint;
BEGIN
  -- Handovers of one collection take turns (finance may not lock the
  -- settlement room's collection row, so a transaction-level advisory lock
  -- keyed by the collection id serialises them).
  PERFORM pg_advisory_xact_lock(collection_id);
  SELECT * INTO c FROM showroom.cod_collection x WHERE x.id = collection_id;
  IF NOT FOUND OR c.method <> 'cash' THEN
    RAISE EXCEPTION 'unknown cash collection %', coalesce(collection_id::text, 'NULL')
      USING ERRCODE = '22023',
            DETAIL = format('No cash COD collection has id %s.', coalesce(collection_id::text, 'NULL'));
  END IF;
  PERFORM showroom.check_range('amount_fen', amount_fen, -99999999999999, 99999999999999);
  SELECT coalesce(sum(h.amount_fen), 0) INTO already FROM showroom.cod_handover h
   WHERE h.collection_id = hand_in_cod.collection_id;
  IF amount_fen IS NULL OR amount_fen <= 0 OR already + amount_fen > c.amount_fen THEN
    RAISE EXCEPTION 'invalid handover amount'
      USING ERRCODE = '22023',
            DETAIL = format('amount_fen = %s; collection %s of %s fen has %s fen handed in.',
                            coalesce(amount_fen::text, 'NULL'), collection_id, c.amount_fen, already),
            HINT = 'Hand in a positive amount, no more than is still out.';
  END IF;
  INSERT INTO showroom.cod_handover (collection_id, person, amount_fen, received_by, needs_review)
  VALUES (collection_id, c.collected_by, amount_fen, showroom.acting_person(),
          amount_fen >= showroom.setting_value('cash.review_fen')::bigint)
  RETURNING id INTO new_id;
  RETURN new_id;
END
$$;

COMMENT ON FUNCTION showroom.hand_in_cod(bigint, bigint) IS
  'record cash of a COD collection handed in by its collector (reviewed above cash.review_fen); returns the id';

-- review_handover: a second person confirms a handover that needs review;
-- neither the collector nor whoever received it may.
CREATE FUNCTION showroom.review_handover(handover_id bigint)
RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  h showroom.cod_handover;
  me text := showroom.acting_person();
BEGIN
  SELECT * INTO h FROM showroom.cod_handover x WHERE x.id = handover_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown handover %', coalesce(handover_id::text, 'NULL')
      USING ERRCODE = 'SR712', DETAIL = format('No handover has id %s.', coalesce(handover_id::text, 'NULL'));
  END IF;
  IF NOT h.needs_review OR h.reviewed_by IS NOT NULL THEN
    RAISE EXCEPTION 'handover % needs no review', handover_id
      USING ERRCODE = 'SR712',
            DETAIL = CASE WHEN h.reviewed_by IS NOT NULL THEN format('%s reviewed it already.', h.reviewed_by)
                          ELSE 'It is under the review threshold.' END;
  END IF;
  IF me IN (h.person, h.received_by) THEN
    RAISE EXCEPTION 'a handover is reviewed by a second person'
      USING ERRCODE = 'SR712',
            DETAIL = format('%s collected or received handover %s.', me, handover_id),
            HINT = 'Another person reviews; set showroom.person to who is acting.';
  END IF;
  UPDATE showroom.cod_handover x SET reviewed_by = me, reviewed_at = now() WHERE x.id = handover_id;
END
$$;

COMMENT ON FUNCTION showroom.review_handover(bigint) IS
  'a second person reviews a COD handover above the threshold';

-- check_collector: raise SR711 when a person has cash overdue (as
-- showroom.cod_handover_state counts it), so that they collect no more
-- until it is handed in.
CREATE FUNCTION showroom.check_collector(person text)
RETURNS void
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  n integer;
  owed numeric;
BEGIN
  SELECT count(*), (sum(c.amount_fen - h.counted) / 100.0)::numeric(14,2) INTO n, owed
    FROM showroom.cod_collection c
    CROSS JOIN LATERAL (
      SELECT coalesce(sum(x.amount_fen) FILTER (WHERE NOT x.needs_review OR x.reviewed_by IS NOT NULL), 0)
             AS counted
        FROM showroom.cod_handover x WHERE x.collection_id = c.id) h
   WHERE c.collected_by = check_collector.person AND c.method = 'cash'
     AND h.counted < c.amount_fen
     AND c.collected_at < now() - make_interval(days => showroom.setting_value('cash.overdue_days')::integer);
  IF n > 0 THEN
    RAISE EXCEPTION '% has COD cash overdue', person
      USING ERRCODE = 'SR711',
            DETAIL = format('%s collection(s), %s yuan not handed in after %s days.', n, owed,
                            showroom.setting_value('cash.overdue_days')),
            HINT = 'Hand the cash in (hand_in_cod) before collecting more.';
  END IF;
END
$$;

COMMENT ON FUNCTION showroom.check_collector(text) IS
  'raise SR711 if a person has COD cash overdue';

-- collect_cod: record a COD collection; the settlement room's
-- record_cod_collection, which itself refuses a collector blocked by
-- overdue cash (check_collector).  Kept so that callers of either name
-- get the same rule.  Returns the collection id.
CREATE FUNCTION showroom.collect_cod(sales_order_id bigint, outlet_id bigint, amount numeric,
                                     method text, collected_by text,
                                     collected_at timestamptz DEFAULT now())
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RETURN showroom.record_cod_collection(sales_order_id, outlet_id, amount, method, collected_by,
                                        collected_at);
END
$$;

COMMENT ON FUNCTION showroom.collect_cod(bigint, bigint, numeric, text, text, timestamptz) IS
  'record a COD collection unless the collector has cash overdue (SR711); returns its id';
