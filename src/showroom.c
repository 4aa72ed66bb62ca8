/*-------------------------------------------------------------------------
 *
 * showroom.c
 *	  Module load for showroom.
 *
 * showroom keeps its settings in the table showroom.setting rather than in
 * GUCs, so that they are transactional, dumped with the data and the same
 * for every session of a database.  This file therefore only marks the
 * module as a PostgreSQL extension and holds the small helpers every room
 * may use; the rooms live in their own files.
 *
 *-------------------------------------------------------------------------
 */
#include "showroom.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "nodes/value.h"
#include "parser/parse_func.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/resowner.h"

PG_MODULE_MAGIC;

/*
 * showroom_version
 *		Return the version of the loaded shared library, so that a DBA can
 *		tell it apart from the version of the installed SQL objects.
 */
PG_FUNCTION_INFO_V1(showroom_version);
Datum
showroom_version(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(SHOWROOM_LIBRARY_VERSION));
}

/*
 * showroom_attempt
 *		Run step(arg), a step that may be given up, in a subtransaction of
 *		its own: keep what it did if it returns true, else roll it back,
 *		locks included.  An error raised inside rolls the step back too and
 *		is raised again.  Returns what step returned, in the caller's
 *		memory context and resource owner.
 *
 * A statement can lock a row and then not change it (FOR UPDATE SKIP
 * LOCKED rechecking a row, INSERT ... ON CONFLICT DO UPDATE whose WHERE
 * fails); such a lock lasts until the subtransaction that took it ends.
 * Steps that try one row after another run each try as an attempt, so
 * that a try given up holds nothing that another session could wait on.
 * The subtransaction must end here even on an error: a caller that
 * catches the error (a PL/pgSQL EXCEPTION block) would otherwise roll
 * back this subtransaction instead of its own and go on inside it.
 */
bool
showroom_attempt(ShowroomStep step, void *arg)
{
	MemoryContext cxt = CurrentMemoryContext;
	ResourceOwner owner = CurrentResourceOwner;
	volatile bool keep = false;

	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(cxt);
	PG_TRY();
	{
		keep = step(arg);
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		FlushErrorState();
		RollbackAndReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(cxt);
		CurrentResourceOwner = owner;
		ReThrowError(edata);
	}
	PG_END_TRY();

	if (keep)
		ReleaseCurrentSubTransaction();
	else
		RollbackAndReleaseCurrentSubTransaction();
	MemoryContextSwitchTo(cxt);
	CurrentResourceOwner = owner;
	return keep;
}

/*
 * showroom_prepare_kept
 *		Prepare sql with its argument types and keep the plan, or raise an
 *		error naming the statement.  Every room's C code prepares its
 *		statements through this, once per backend.
 */
SPIPlanPtr
showroom_prepare_kept(const char *sql, int nargs, Oid *types,
					  int cursor_options)
{
	SPIPlanPtr	plan = SPI_prepare_cursor(sql, nargs, types, cursor_options);

	if (plan == NULL)
		elog(ERROR, "could not prepare \"%s\": %s", sql,
			 SPI_result_code_string(SPI_result));
	if (SPI_keepplan(plan) != 0)
		elog(ERROR, "could not keep the plan of \"%s\"", sql);
	return plan;
}

/*
 * showroom_plan
 *		The kept plan of sql in *slot for these argument types: prepared
 *		on first use, and again when the types differ from those it was
 *		prepared with (see ShowroomPlan).
 */
SPIPlanPtr
showroom_plan(ShowroomPlan *slot, const char *sql, int nargs, Oid *types,
			  int cursor_options)
{
	if (nargs > SHOWROOM_PLAN_MAX_ARGS)
		elog(ERROR, "a kept plan takes at most %d arguments",
			 SHOWROOM_PLAN_MAX_ARGS);
	if (slot->plan != NULL &&
		(slot->nargs != nargs ||
		 (nargs > 0 &&
		  memcmp(slot->types, types, nargs * sizeof(Oid)) != 0)))
	{
		SPI_freeplan(slot->plan);
		slot->plan = NULL;
	}
	if (slot->plan == NULL)
	{
		slot->plan = showroom_prepare_kept(sql, nargs, types, cursor_options);
		slot->nargs = nargs;
		if (nargs > 0)
			memcpy(slot->types, types, nargs * sizeof(Oid));
	}
	return slot->plan;
}

/*
 * showroom_check_day
 *		Raise SR004 unless day lies in the years 2000 to 2999; what names
 *		the argument in the message.  The rule of showroom.check_day, for
 *		the C functions.
 */
void
showroom_check_day(const char *what, DateADT day)
{
	DateADT		first = date2j(2000, 1, 1) - POSTGRES_EPOCH_JDATE;
	DateADT		last = date2j(2999, 12, 31) - POSTGRES_EPOCH_JDATE;

	if (DATE_NOT_FINITE(day) || day < first || day > last)
		ereport(ERROR,
				(errcode(ERRCODE_SR_OUT_OF_RANGE),
				 errmsg("%s out of range", what),
				 errdetail("%s = %s; a business day lies in the years 2000 to 2999.",
						   what,
						   DatumGetCString(DirectFunctionCall1(date_out,
															   DateADTGetDatum(day))))));
}

/*
 * showroom_gis_function
 *		Look up PostGIS function name(args) in the schema of the geometry
 *		type geometry_type, wherever PostGIS was installed, and make it
 *		callable through *flinfo, whose memory (and PostGIS's cache of the
 *		last geometry, for the functions that keep one) lives in cxt.
 *
 * PostGIS takes whatever is allocated in cxt for its cache's own, so a
 * caller makes no allocation of its own there and calls the function
 * with another context current.
 */
void
showroom_gis_function(Oid geometry_type, const char *name, int nargs,
					  const Oid *args, FmgrInfo *flinfo, MemoryContext cxt)
{
	HeapTuple	tup;
	Oid			nsp;
	Oid			fn;

	tup = SearchSysCache1(TYPEOID, ObjectIdGetDatum(geometry_type));
	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for type %u", geometry_type);
	nsp = ((Form_pg_type) GETSTRUCT(tup))->typnamespace;
	ReleaseSysCache(tup);

	fn = LookupFuncName(list_make2(makeString(get_namespace_name(nsp)),
								   makeString(pstrdup(name))),
						nargs, args, false);
	fmgr_info_cxt(fn, flinfo, cxt);
}

/*
 * showroom_array
 *		A one-dimensional SQL array of the n Datums d of type type (length
 *		len, by value or not, alignment align); the canonical empty array
 *		when n is 0.
 */
static Datum
showroom_array(Datum *d, int n, Oid type, int len, bool byval, char align)
{
	if (n == 0)
		return PointerGetDatum(construct_empty_array(type));
	return PointerGetDatum(construct_array(d, n, type, len, byval, align));
}

/*
 * showroom_int2_array / _int4_array / _int8_array / _float8_array /
 * _text_array
 *		Build a smallint[], integer[], bigint[], double precision[] or
 *		text[] of the n values v.
 */
Datum
showroom_int2_array(const int16 *v, int n)
{
	Datum	   *d = palloc(sizeof(Datum) * Max(n, 1));

	for (int i = 0; i < n; i++)
		d[i] = Int16GetDatum(v[i]);
	return showroom_array(d, n, INT2OID, sizeof(int16), true, TYPALIGN_SHORT);
}

Datum
showroom_int4_array(const int32 *v, int n)
{
	Datum	   *d = palloc(sizeof(Datum) * Max(n, 1));

	for (int i = 0; i < n; i++)
		d[i] = Int32GetDatum(v[i]);
	return showroom_array(d, n, INT4OID, sizeof(int32), true, TYPALIGN_INT);
}

Datum
showroom_int8_array(const int64 *v, int n)
{
	Datum	   *d = palloc(sizeof(Datum) * Max(n, 1));

	for (int i = 0; i < n; i++)
		d[i] = Int64GetDatum(v[i]);
	return showroom_array(d, n, INT8OID, sizeof(int64), FLOAT8PASSBYVAL,
						  TYPALIGN_DOUBLE);
}

Datum
showroom_float8_array(const double *v, int n)
{
	Datum	   *d = palloc(sizeof(Datum) * Max(n, 1));

	for (int i = 0; i < n; i++)
		d[i] = Float8GetDatum(v[i]);
	return showroom_array(d, n, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL,
						  TYPALIGN_DOUBLE);
}

Datum
showroom_text_array(char *const *v, int n)
{
	Datum	   *d = palloc(sizeof(Datum) * Max(n, 1));

	for (int i = 0; i < n; i++)
		d[i] = CStringGetTextDatum(v[i]);
	return showroom_array(d, n, TEXTOID, -1, false, TYPALIGN_INT);
}
