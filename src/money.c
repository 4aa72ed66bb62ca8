/*-------------------------------------------------------------------------
 *
 * money.c
 *	  Fen arithmetic with half-up rounding, and its SQL entry points.
 *
 * The helpers at the top are pure (no catalog, no SPI): they work on int64
 * fen and report overflow of the numeric(14,2) range by returning false.
 * "Half up" here means half away from zero, the commercial rule: 0.5 fen
 * becomes 1 fen and -0.5 fen becomes -1 fen.  A priced line is rounded
 * once per amount: the net after discount, then the tax on that rounded
 * net; the gross is their sum, so net + tax = gross holds in every view.
 *
 *-------------------------------------------------------------------------
 */
#include "showroom.h"

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"
#include "money.h"

/*
 * money_div_round
 *		num / den rounded half away from zero into *result; den must be
 *		positive.  False if the result leaves the numeric(14,2) range.
 */
bool
money_div_round(int64_t num, int64_t den, int64_t *result)
{
	int64_t		q = num / den;
	int64_t		r = num % den;

	/* Compare twice the remainder with the divisor, without overflow. */
	if (r >= 0 && r >= den - r)
		q++;
	else if (r < 0 && -r >= den + r)
		q--;
	if (q > MONEY_MAX_FEN || q < -MONEY_MAX_FEN)
		return false;
	*result = q;
	return true;
}

/*
 * money_add
 *		a + b into *result; false if it leaves the numeric(14,2) range.
 *		Both inputs must already be in range, so the sum cannot overflow.
 */
bool
money_add(int64_t a, int64_t b, int64_t *result)
{
	int64_t		s = a + b;

	if (s > MONEY_MAX_FEN || s < -MONEY_MAX_FEN)
		return false;
	*result = s;
	return true;
}

/*
 * money_line
 *		Price a line: qty units at unit_fen, less discount_bp, plus tax_bp
 *		on the rounded net.  Rates must lie in [0, MONEY_FULL_BP].  False if
 *		an input or a result is out of range.
 */
bool
money_line(int64_t qty, int64_t unit_fen, int32_t discount_bp,
		   int32_t tax_bp, MoneyLine *out)
{
	int64_t		list;

	if (discount_bp < 0 || discount_bp > MONEY_FULL_BP ||
		tax_bp < 0 || tax_bp > MONEY_FULL_BP)
		return false;
	if (unit_fen > MONEY_MAX_FEN || unit_fen < -MONEY_MAX_FEN)
		return false;

	/* The list amount must itself fit before rates scale it. */
	if (__builtin_mul_overflow(qty, unit_fen, &list) ||
		list > MONEY_MAX_FEN || list < -MONEY_MAX_FEN)
		return false;

	/* |list| < 1e14 and rates <= 1e4: the products fit in int64. */
	if (!money_div_round(list * (MONEY_FULL_BP - discount_bp), MONEY_FULL_BP,
						 &out->net_fen))
		return false;
	if (!money_div_round(out->net_fen * tax_bp, MONEY_FULL_BP,
						 &out->tax_fen))
		return false;
	return money_add(out->net_fen, out->tax_fen, &out->gross_fen);
}

/*
 * money_line_fen
 *		SQL: showroom.money_line(qty, unit_fen, discount_bp, tax_bp) returns
 *		(net_fen, tax_fen, gross_fen), raising SR505 when out of range.
 */
PG_FUNCTION_INFO_V1(money_line_fen);
Datum
money_line_fen(PG_FUNCTION_ARGS)
{
	int32		qty = PG_GETARG_INT32(0);
	int64		unit_fen = PG_GETARG_INT64(1);
	int32		discount_bp = PG_GETARG_INT32(2);
	int32		tax_bp = PG_GETARG_INT32(3);
	MoneyLine	line;
	TupleDesc	tupdesc;
	Datum		values[3];
	bool		nulls[3] = {false, false, false};

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "money_line must return a composite type");

	/* Rates first, so that their message is the precise one. */
	if (discount_bp < 0 || discount_bp > MONEY_FULL_BP ||
		tax_bp < 0 || tax_bp > MONEY_FULL_BP)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("discount and tax rates must lie between 0%% and 100%%"),
				 errdetail("Discount is %d and tax %d basis points.",
						   discount_bp, tax_bp)));
	if (!money_line(qty, unit_fen, discount_bp, tax_bp, &line))
		ereport(ERROR,
				(errcode(ERRCODE_SR_MONEY_OUT_OF_RANGE),
				 errmsg("line amount out of range"),
				 errdetail("%d x %lld fen does not fit numeric(14,2).",
						   qty, (long long) unit_fen)));

	values[0] = Int64GetDatum(line.net_fen);
	values[1] = Int64GetDatum(line.tax_fen);
	values[2] = Int64GetDatum(line.gross_fen);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc),
													  values, nulls)));
}
