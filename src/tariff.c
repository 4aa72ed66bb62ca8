/*-------------------------------------------------------------------------
 *
 * tariff.c
 *	  The tariff type: text and binary input and output, equality, and the
 *	  fee for a distance.
 *
 * The parsing, checking, printing and fee rules live in tariff_parse.c,
 * which knows nothing of PostgreSQL; this file converts between its
 * TariffSchedule and the on-disk varlena, and turns its refusals into
 * errors with SQLSTATE SR501 and the position in errdetail.  A stored
 * tariff is always canonical (the parser's normal form), so equality is a
 * byte comparison and text -> tariff -> text is stable.
 *
 *-------------------------------------------------------------------------
 */
#include "showroom.h"

#include <math.h>

#include "fmgr.h"
#include "libpq/pqformat.h"
#include "tariff.h"
#include "tariff_parse.h"
#include "utils/builtins.h"

/* The on-disk form: a varlena header, the band count, the bands. */
typedef struct Tariff
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	int32		nbands;
	TariffBand	bands[FLEXIBLE_ARRAY_MEMBER];
} Tariff;

#define DatumGetTariffP(X)	((Tariff *) PG_DETOAST_DATUM(X))
#define PG_GETARG_TARIFF_P(n) DatumGetTariffP(PG_GETARG_DATUM(n))

/*
 * tariff_from_schedule
 *		Copy a checked schedule into a new palloc'd varlena.
 */
static Tariff *
tariff_from_schedule(const TariffSchedule *s)
{
	Size		size = offsetof(Tariff, bands) + s->nbands * sizeof(TariffBand);
	Tariff	   *t = (Tariff *) palloc0(size);

	SET_VARSIZE(t, size);
	t->nbands = s->nbands;
	memcpy(t->bands, s->bands, s->nbands * sizeof(TariffBand));
	return t;
}

/*
 * tariff_to_schedule
 *		Copy a stored tariff into *s, checking that its size agrees with its
 *		band count (a corrupt datum is a can't-happen state).
 */
static void
tariff_to_schedule(const Tariff *t, TariffSchedule *s)
{
	if (t->nbands < 1 || t->nbands > TARIFF_MAX_BANDS ||
		VARSIZE(t) != offsetof(Tariff, bands) + t->nbands * sizeof(TariffBand))
		elog(ERROR, "corrupt tariff datum with %d bands", t->nbands);
	s->nbands = t->nbands;
	memcpy(s->bands, t->bands, t->nbands * sizeof(TariffBand));
}

/*
 * tariff_in
 *		Text input: parse the clerk's form, e.g.
 *		"0-5km: 30.00; 5-20km: 45.00; 20km+: 45.00 + 1.50/km".
 */
/*
 * tariff_datum_schedule
 *		Unpack a tariff datum (detoasting it if need be) into *s, for C
 *		callers that price many distances with one tariff.
 */
void
tariff_datum_schedule(Datum d, TariffSchedule *s)
{
	tariff_to_schedule(DatumGetTariffP(d), s);
}

PG_FUNCTION_INFO_V1(tariff_in);
Datum
tariff_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	TariffSchedule s;
	TariffError err;

	if (!tariff_parse(str, strlen(str), &s, &err))
		ereport(ERROR,
				(errcode(ERRCODE_SR_INVALID_TARIFF),
				 errmsg("invalid input syntax for type tariff: \"%s\"", str),
				 errdetail("At character %d: %s", err.position, err.message),
				 errhint("Write consecutive bands from 0 km, the last one open, for example \"0-5km: 30.00; 5-20km: 45.00; 20km+: 45.00 + 1.50/km\".")));
	PG_RETURN_POINTER(tariff_from_schedule(&s));
}

/*
 * tariff_out
 *		Text output: the canonical form, which tariff_in reads back to an
 *		equal value.
 */
PG_FUNCTION_INFO_V1(tariff_out);
Datum
tariff_out(PG_FUNCTION_ARGS)
{
	Tariff	   *t = PG_GETARG_TARIFF_P(0);
	TariffSchedule s;
	char	   *buf = palloc(TARIFF_TEXT_MAX);

	tariff_to_schedule(t, &s);
	tariff_format(&s, buf, TARIFF_TEXT_MAX);
	PG_RETURN_CSTRING(buf);
}

/*
 * tariff_recv
 *		Binary input: an int32 band count, then per band four int64s (start
 *		and end in metres, end -1 when open; fee and rate in fen), checked
 *		by the same rules as text input.
 */
PG_FUNCTION_INFO_V1(tariff_recv);
Datum
tariff_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	TariffSchedule s;
	TariffError err;
	int32		n;
	int			i;

	n = pq_getmsgint(buf, 4);
	if (n < 1 || n > TARIFF_MAX_BANDS)
		ereport(ERROR,
				(errcode(ERRCODE_SR_INVALID_TARIFF),
				 errmsg("invalid external tariff"),
				 errdetail("Band count %d is not between 1 and %d.",
						   n, TARIFF_MAX_BANDS)));
	s.nbands = n;
	for (i = 0; i < n; i++)
	{
		s.bands[i].from_m = pq_getmsgint64(buf);
		s.bands[i].to_m = pq_getmsgint64(buf);
		s.bands[i].fee_fen = pq_getmsgint64(buf);
		s.bands[i].rate_fen = pq_getmsgint64(buf);
	}
	if (!tariff_check(&s, &err))
		ereport(ERROR,
				(errcode(ERRCODE_SR_INVALID_TARIFF),
				 errmsg("invalid external tariff"),
				 errdetail("%s", err.message)));
	PG_RETURN_POINTER(tariff_from_schedule(&s));
}

/*
 * tariff_send
 *		Binary output, the layout tariff_recv reads.
 */
PG_FUNCTION_INFO_V1(tariff_send);
Datum
tariff_send(PG_FUNCTION_ARGS)
{
	Tariff	   *t = PG_GETARG_TARIFF_P(0);
	StringInfoData buf;
	int			i;

	pq_begintypsend(&buf);
	pq_sendint32(&buf, t->nbands);
	for (i = 0; i < t->nbands; i++)
	{
		pq_sendint64(&buf, t->bands[i].from_m);
		pq_sendint64(&buf, t->bands[i].to_m);
		pq_sendint64(&buf, t->bands[i].fee_fen);
		pq_sendint64(&buf, t->bands[i].rate_fen);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/*
 * tariff_equal
 *		Whether two stored tariffs are the same schedule.  Stored tariffs are
 *		canonical and TariffBand has no padding, so bytes decide.
 */
static bool
tariff_equal(Tariff *a, Tariff *b)
{
	return VARSIZE(a) == VARSIZE(b) &&
		memcmp(VARDATA(a), VARDATA(b), VARSIZE(a) - VARHDRSZ) == 0;
}

/*
 * tariff_eq
 *		SQL operator =: true if both tariffs charge the same for every
 *		distance because they have the same bands.
 */
PG_FUNCTION_INFO_V1(tariff_eq);
Datum
tariff_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(tariff_equal(PG_GETARG_TARIFF_P(0), PG_GETARG_TARIFF_P(1)));
}

/*
 * tariff_ne
 *		SQL operator <>, the negation of =.
 */
PG_FUNCTION_INFO_V1(tariff_ne);
Datum
tariff_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(!tariff_equal(PG_GETARG_TARIFF_P(0),
								 PG_GETARG_TARIFF_P(1)));
}

/*
 * tariff_fee_fen
 *		SQL: showroom.tariff_fee(tariff, metres double precision) returns
 *		the fee in fen.  The distance is rounded to the nearest metre (half
 *		up) before its band is chosen.
 */
PG_FUNCTION_INFO_V1(tariff_fee_fen);
Datum
tariff_fee_fen(PG_FUNCTION_ARGS)
{
	Tariff	   *t = PG_GETARG_TARIFF_P(0);
	float8		metres = PG_GETARG_FLOAT8(1);
	TariffSchedule s;
	int64_t		fee;

	if (isnan(metres) || metres < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("distance must be a non-negative number of metres"),
				 errdetail("Distance is %g.", metres)));
	if (metres > (float8) TARIFF_MAX_DISTANCE)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("distance out of range"),
				 errdetail("Distance is %g metres; the largest is %lld.",
						   metres, (long long) TARIFF_MAX_DISTANCE)));

	tariff_to_schedule(t, &s);
	if (!tariff_fee(&s, (int64_t) floor(metres + 0.5), &fee))
		elog(ERROR, "checked tariff has no band for %g metres", metres);
	PG_RETURN_INT64(fee);
}
