
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
