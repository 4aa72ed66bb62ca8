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
#include "fmgr.h"
#include "utils/builtins.h"
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
 * showroom_attempt_begin
 *		Start a step that may be given up: open a subtransaction, staying in
 *		the caller's memory context.
 *
 * A statement can lock a row and then not change it (FOR UPDATE SKIP
 * LOCKED rechecking a row, INSERT ... ON CONFLICT DO UPDATE whose WHERE
 * fails); such a lock lasts until the subtransaction that took it ends.
 * Steps that try one row after another run each try between
 * showroom_attempt_begin and showroom_attempt_end, so that a try given up
 * holds nothing that another session could wait on.
 */
void
showroom_attempt_begin(ShowroomAttempt *attempt)
{
	attempt->cxt = CurrentMemoryContext;
	attempt->owner = CurrentResourceOwner;
	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(attempt->cxt);
}

/*
 * showroom_attempt_end
 *		End a step begun by showroom_attempt_begin: keep what it did (keep),
 *		or roll it back, locks included.  Returns to the caller's memory
 *		context and resource owner.
 */
void
showroom_attempt_end(ShowroomAttempt *attempt, bool keep)
{
	if (keep)
		ReleaseCurrentSubTransaction();
	else
		RollbackAndReleaseCurrentSubTransaction();
	MemoryContextSwitchTo(attempt->cxt);
	CurrentResourceOwner = attempt->owner;
}
