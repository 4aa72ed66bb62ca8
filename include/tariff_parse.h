/*-------------------------------------------------------------------------
 *
 * tariff_parse.h
 *	  The tariff text parser, printer, checker and fee evaluator, free of
 *	  PostgreSQL headers so that a fuzzer can link tariff_parse.c alone.
 *
 * A tariff is a fee schedule by distance: consecutive bands of kilometres,
 * each with a fixed fee and an optional rate per kilometre beyond the
 * band's start, the last band open-ended.  Its text form, as a finance
 * clerk writes it:
 *
 *		0-5km: 30.00; 5-20km: 45.00; 20km+: 45.00 + 1.50/km
 *
 * Distances are held in whole metres, money in whole fen (0.01 yuan).
 *
 *-------------------------------------------------------------------------
 */
#ifndef TARIFF_PARSE_H
#define TARIFF_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* At most this many bands in one tariff. */
#define TARIFF_MAX_BANDS		32

/* to_m of the last, open-ended band. */
#define TARIFF_OPEN_END			INT64_C(-1)

/* Largest band boundary: 100,000 km, in metres. */
#define TARIFF_MAX_METRES		INT64_C(100000000)

/* Largest fixed fee: 99,999,999.99 yuan, in fen. */
#define TARIFF_MAX_FEE_FEN		INT64_C(9999999999)

/* Largest rate: 999,999.99 yuan per km, in fen. */
#define TARIFF_MAX_RATE_FEN		INT64_C(99999999)

/* Largest distance a fee is computed for: 1,000,000 km, in metres. */
#define TARIFF_MAX_DISTANCE		INT64_C(1000000000)

/* Longest text the printer can produce, terminator included. */
#define TARIFF_TEXT_MAX			(TARIFF_MAX_BANDS * 64 + 1)

/* One distance band: (from_m, to_m] metres, the first band from 0 on. */
typedef struct TariffBand
{
	int64_t		from_m;			/* start of the band, metres */
	int64_t		to_m;			/* end of the band, or TARIFF_OPEN_END */
	int64_t		fee_fen;		/* fixed fee of the band */
	int64_t		rate_fen;		/* fee per km beyond from_m, 0 if none */
} TariffBand;

/* A whole schedule, as the parser builds it and the checker accepts it. */
typedef struct TariffSchedule
{
	int			nbands;
	TariffBand	bands[TARIFF_MAX_BANDS];
} TariffSchedule;

/* Why a text or a schedule was refused, and where. */
typedef struct TariffError
{
	int			position;		/* 1-based character, or band number */
	char		message[160];	/* a sentence for errdetail */
} TariffError;

extern bool tariff_parse(const char *text, size_t len,
						 TariffSchedule *out, TariffError *err);
extern bool tariff_check(const TariffSchedule *t, TariffError *err);
extern size_t tariff_format(const TariffSchedule *t, char *buf,
							size_t buflen);
extern bool tariff_fee(const TariffSchedule *t, int64_t metres,
					   int64_t *fee_fen);

#endif							/* TARIFF_PARSE_H */
