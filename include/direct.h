/*-------------------------------------------------------------------------
 *
 * direct.h
 *	  Rows inserted without the executor, with the checks an INSERT makes
 *	  (src/direct.c).
 *
 *-------------------------------------------------------------------------
 */
#ifndef SHOWROOM_DIRECT_H
#define SHOWROOM_DIRECT_H

#include "postgres.h"

#include "executor/tuptable.h"

/* The most columns a caller may supply for one table. */
#define DIRECT_MAX_COLS 16

/*
 * A table of schema showroom that a hot path writes directly, and the
 * columns it supplies, each with the type of the values it passes: one
 * that an INSERT would assign to the column, or InvalidOid for the
 * column's own type (its type modifier is then still applied).  The
 * caller declares one as a static and fills the first three fields; the
 * shape is built on first use and rebuilt whenever the table changes.
 */
typedef struct DirectTable
{
	const char *relname;
	int			ncols;
	struct
	{
		const char *name;
		Oid			type;
	}			cols[DIRECT_MAX_COLS];
	struct DirectShape *shape;	/* built by direct.c; NULL until then */
} DirectTable;

/* The writes of one call: opened by direct_begin, ended by direct_end. */
typedef struct DirectWrite DirectWrite;

extern DirectWrite *direct_begin(void);
extern const char *direct_refusal(DirectWrite *dw, DirectTable *t);
extern TupleTableSlot *direct_form(DirectWrite *dw, DirectTable *t,
								   const Datum *values, const bool *nulls,
								   const char **refusal);
extern Datum direct_column(TupleTableSlot *slot, const char *name);
extern void direct_insert(DirectWrite *dw, TupleTableSlot *slot);
extern void direct_end(DirectWrite *dw);

#endif							/* SHOWROOM_DIRECT_H */
