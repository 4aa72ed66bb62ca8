/*-------------------------------------------------------------------------
 *
 * money.h
 *	  Whole-fen arithmetic and half-up rounding for settlement.
 *
 * Money is an int64 count of fen (0.01 yuan).  Every amount showroom
 * stores or shows fits numeric(14,2), so its magnitude is at most
 * MONEY_MAX_FEN; the helpers refuse (return false) rather than overflow.
 * Rates are basis points: hundredths of a percent, 10000 = 100%.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SHOWROOM_MONEY_H
#define SHOWROOM_MONEY_H

#include <stdbool.h>
#include <stdint.h>

/* The largest magnitude numeric(14,2) holds, in fen. */
#define MONEY_MAX_FEN		INT64_C(99999999999999)

/* 100% in basis points. */
#define MONEY_FULL_BP		10000

/* The three amounts of a priced line, each rounded once. */
typedef struct MoneyLine
{
	int64_t		net_fen;		/* quantity x price, less discount */
	int64_t		tax_fen;		/* tax on the rounded net */
	int64_t		gross_fen;		/* net plus tax */
} MoneyLine;

extern bool money_div_round(int64_t num, int64_t den, int64_t *result);
extern bool money_add(int64_t a, int64_t b, int64_t *result);
extern bool money_line(int64_t qty, int64_t unit_fen, int32_t discount_bp,
					   int32_t tax_bp, MoneyLine *out);

#endif							/* SHOWROOM_MONEY_H */
