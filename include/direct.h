/*-------------------------------------------------------------------------
 *
 * direct.h
 *	  Rows read, locked, updated and inserted without the executor, with
 *	  the checks the statements make (src/direct.c).
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
 * A table of schema showroom that a hot path uses directly and, for
 * inserts, the columns it supplies, each with the type of the values it
 * passes (one that an INSERT would assign to the column).  The caller
 * declares one as a static and fills the first three fields (a type may
 * change between calls); the shape is built on first use and rebuilt
 * whenever the table, a function, a type, the role or a supplied type
 * changes.
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

/* The direct work of one call: from direct_begin to direct_end. */
typedef struct DirectWrite DirectWrite;

/* A scan of a whole table, or of a range of its primary key. */
typedef struct DirectScan
{
	struct TableScanDescData *scan;
	struct IndexScanDescData *iscan;
	struct RelationData *index;
	bool		backward;
	TupleTableSlot *slot;
} DirectScan;

extern DirectWrite *direct_begin(void);
extern void direct_end(DirectWrite *dw);
extern void direct_statement_begin(DirectWrite *dw);
extern void direct_statement_end(DirectWrite *dw);

extern const char *direct_refusal(DirectWrite *dw, DirectTable *t);
extern const char *direct_read_refusal(DirectWrite *dw, DirectTable *t);
extern const char *direct_update_refusal(DirectWrite *dw, DirectTable *t,
										 int ncols, const char *const *cols);
extern Oid	direct_column_type(DirectWrite *dw, DirectTable *t,
							   const char *name);

extern TupleTableSlot *direct_fetch(DirectWrite *dw, DirectTable *t,
									int nkeys, const Datum *keys, bool last);
extern DirectScan *direct_key_scan(DirectWrite *dw, DirectTable *t,
								   int nkeys, const Datum *keys,
								   const Datum *from, bool last);
extern DirectScan *direct_scan_begin(DirectWrite *dw, DirectTable *t);
extern TupleTableSlot *direct_scan_next(DirectScan *scan);
extern void direct_scan_end(DirectScan *scan);

extern TupleTableSlot *direct_lock(DirectWrite *dw, DirectTable *t,
								   TupleTableSlot *row, bool skip_locked);
extern void direct_update(DirectWrite *dw, DirectTable *t,
						  TupleTableSlot *locked, int ncols,
						  const char *const *cols, const Datum *values);
extern TupleTableSlot *direct_insert(DirectWrite *dw, DirectTable *t,
									 const Datum *values, const bool *nulls);

extern Datum direct_get(TupleTableSlot *slot, const char *name,
						bool *isnull);
extern Datum direct_column(TupleTableSlot *slot, const char *name);

#endif							/* SHOWROOM_DIRECT_H */
