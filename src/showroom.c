/*-------------------------------------------------------------------------
 *
 * showroom.c
 *	  Module load for showroom.
 *
 * showroom keeps its settings in the table showroom.setting rather than in
 * GUCs, so that they are transactional, dumped with the data and the same
 * for every session of a database.  This file therefore only marks the
 * module as a PostgreSQL extension; the rooms live in their own files.
 *
 *-------------------------------------------------------------------------
 */
#include "showroom.h"

#include "fmgr.h"
#include "utils/builtins.h"

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
