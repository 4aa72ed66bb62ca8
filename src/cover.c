/*-------------------------------------------------------------------------
 *
 * cover.c
 *	  Which outlets' areas cover each of many points: the spatial join
 *	  behind batch dispatch.
 *
 * One point at a time, a search probes the GiST index of
 * service_area_piece; for a whole day of orders that is one index descent
 * per order, and most of the batch's reading time.  Here the join runs the
 * other way round.  The orders' points go into a grid in memory, the
 * pieces are read once in a single pass, and each piece looks only at the
 * points in the grid cells its bounding box overlaps.  A point inside the
 * box is then tested with PostGIS's own ST_Covers, the very function the
 * single-order search uses, so the two agree on every point, boundaries
 * included.  A point that no piece's box reaches costs nothing beyond its
 * place in the grid.
 *
 * The pass reads every piece of every outlet whatever the number of
 * points: what a day's batch wants, more than a handful of orders needs.
 * So when the points are few against the pieces (PROBE_RATIO), each is
 * probed through the index instead, by the same test.
 *
 * The caller is connected to SPI; what is allocated here lives in its SPI
 * procedure context.
 *
 *-------------------------------------------------------------------------
 */
#include "showroom.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "dispatch.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "parser/parse_func.h"
#include "utils/array.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/syscache.h"

/* Pieces read from the cursor at a time. */
#define COVER_FETCH		1024

/*
 * Every piece of an outlet's area with its bounding box.  The box is taken
 * from geom::box2d, which contains every vertex, so a point outside it is
 * outside the piece.
 */
static const char *pieces_sql =
"SELECT outlet_id, geom, ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b)"
"  FROM (SELECT outlet_id, geom, geom::box2d AS b"
"          FROM showroom.service_area_piece"
"         WHERE outlet_id IS NOT NULL) AS p";

/*
 * The same answer by one index probe per point: cheaper than the pass
 * when the points are few against the pieces.
 */
static const char *probe_sql =
"SELECT t.n::int4, p.outlet_id"
"  FROM unnest($1) WITH ORDINALITY AS t(pt, n)"
"  CROSS JOIN LATERAL (SELECT DISTINCT pc.outlet_id"
"                        FROM showroom.service_area_piece pc"
"                       WHERE pc.outlet_id IS NOT NULL"
"                         AND ST_Covers(pc.geom, t.pt)) AS p";

/* How many pieces there are, as the planner last counted them. */
static const char *count_sql =
"SELECT reltuples::float8 FROM pg_catalog.pg_class"
" WHERE oid = 'showroom.service_area_piece'::pg_catalog.regclass";

/* Probe when there are fewer points than one for every this many pieces. */
#define PROBE_RATIO		16

static ShowroomPlan pieces_plan;
static ShowroomPlan probe_plan;
static ShowroomPlan count_plan;

/* The points sorted by grid cell, and where each cell's run starts. */
typedef struct PointGrid
{
	double		x0,
				y0;				/* lower left corner of the points' extent */
	double		x1,
				y1;				/* upper right corner */
	double		sx,
				sy;				/* cells per degree along x and y */
	int			nx,
				ny;
	int		   *start;			/* nx * ny + 1 offsets into member */
	int		   *member;			/* point numbers, cell by cell */
} PointGrid;

/*
 * grid_cell
 *		The column (or row) of coordinate v, clamped to the grid.  The same
 *		monotonic arithmetic serves points and box edges, so a point between
 *		two edges always falls in a cell between theirs.  The test is made
 *		on the double, before any conversion: an overflow to infinity, or
 *		infinity times a zero scale (NaN), still lands on an edge cell.
 */
static inline int
grid_cell(double v, double origin, double scale, int n)
{
	double		c = floor((v - origin) * scale);

	if (!(c >= 0))
		return 0;
	if (c >= n)
		return n - 1;
	return (int) c;
}

/*
 * grid_axis
 *		Cells along one axis for the extent [lo, hi], and cells per degree
 *		into *scale: one cell when the extent is empty, or so narrow (or so
 *		wide) that its scale is not a finite positive number.
 */
static int
grid_axis(double lo, double hi, int side, double *scale)
{
	double		s = hi > lo ? side / (hi - lo) : 0;

	if (s > 0 && isfinite(s))
	{
		*scale = s;
		return side;
	}
	*scale = 0;
	return 1;
}

/*
 * grid_build
 *		Put the points (x[i], y[i]) with finite coordinates into a grid of
 *		about one point per cell, with a counting sort by cell.  A point
 *		with an infinite or NaN coordinate is left out: no area covers it.
 *		Returns false when no point is left.
 */
static bool
grid_build(PointGrid *g, int n, const double *x, const double *y)
{
	int		   *cell = palloc_extended(sizeof(int) * n, MCXT_ALLOC_HUGE);
	int			nfinite = 0;
	int			side;
	int			ncell;

	memset(g, 0, sizeof(*g));
	for (int i = 0; i < n; i++)
	{
		if (!isfinite(x[i]) || !isfinite(y[i]))
			continue;
		if (nfinite++ == 0)
		{
			g->x0 = g->x1 = x[i];
			g->y0 = g->y1 = y[i];
		}
		g->x0 = Min(g->x0, x[i]);
		g->x1 = Max(g->x1, x[i]);
		g->y0 = Min(g->y0, y[i]);
		g->y1 = Max(g->y1, y[i]);
	}
	if (nfinite == 0)
	{
		pfree(cell);
		return false;
	}
	side = (int) ceil(sqrt((double) nfinite));
	g->nx = grid_axis(g->x0, g->x1, side, &g->sx);
	g->ny = grid_axis(g->y0, g->y1, side, &g->sy);

	ncell = g->nx * g->ny;
	g->start = palloc_extended(sizeof(int) * (ncell + 1),
							   MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	g->member = palloc_extended(sizeof(int) * nfinite, MCXT_ALLOC_HUGE);
	for (int i = 0; i < n; i++)
	{
		if (!isfinite(x[i]) || !isfinite(y[i]))
		{
			cell[i] = -1;
			continue;
		}
		cell[i] = grid_cell(y[i], g->y0, g->sy, g->ny) * g->nx +
			grid_cell(x[i], g->x0, g->sx, g->nx);
		g->start[cell[i] + 1]++;
	}
	for (int c = 0; c < ncell; c++)
		g->start[c + 1] += g->start[c];
	/* Fill each cell from its start, then shift the starts back. */
	for (int i = 0; i < n; i++)
		if (cell[i] >= 0)
			g->member[g->start[cell[i]]++] = i;
	for (int c = ncell; c > 0; c--)
		g->start[c] = g->start[c - 1];
	g->start[0] = 0;
	pfree(cell);
	return true;
}

/*
 * PairList: the (point, outlet) pairs found so far.
 */
typedef struct PairList
{
	CoverPair  *pairs;
	int			n;
	int			cap;
} PairList;

static void
pair_add(PairList *l, int point, int64 outlet_id)
{
	if (l->n == l->cap)
	{
		l->cap *= 2;
		l->pairs = repalloc_huge(l->pairs, sizeof(CoverPair) * l->cap);
	}
	l->pairs[l->n].point = point;
	l->pairs[l->n++].outlet_id = outlet_id;
}

/*
 * cover_pair_cmp
 *		Order pairs by point, then outlet.
 */
static int
cover_pair_cmp(const void *a, const void *b)
{
	const CoverPair *pa = a;
	const CoverPair *pb = b;

	if (pa->point != pb->point)
		return pa->point < pb->point ? -1 : 1;
	if (pa->outlet_id != pb->outlet_id)
		return pa->outlet_id < pb->outlet_id ? -1 : 1;
	return 0;
}

/*
 * cover_by_pass
 *		Find the pairs with the grid and one read of every piece.
 */
static void
cover_by_pass(int n, const double *x, const double *y, const Datum *points,
			  Oid geometry_type, PairList *out)
{
	PointGrid	g;
	FmgrInfo	covers;
	MemoryContext cache_cxt;
	MemoryContext call_cxt;
	Portal		portal;

	if (!grid_build(&g, n, x, y))
		return;

	/*
	 * ST_Covers keeps its cache of the last polygon in the FmgrInfo's
	 * context, and takes anything allocated in that context for its own.
	 * So the calls run in a context of their own, emptied after each piece,
	 * and the cache lives apart from both.
	 */
	cache_cxt = AllocSetContextCreate(CurrentMemoryContext,
									  "showroom cover cache",
									  ALLOCSET_DEFAULT_SIZES);
	call_cxt = AllocSetContextCreate(CurrentMemoryContext,
									 "showroom cover calls",
									 ALLOCSET_DEFAULT_SIZES);
	{
		Oid			args[2] = {geometry_type, geometry_type};

		showroom_gis_function(geometry_type, "st_covers", 2, args, &covers,
							  cache_cxt);
	}

	portal = SPI_cursor_open(NULL,
							 showroom_plan(&pieces_plan, pieces_sql, 0, NULL,
										   0),
							 NULL, NULL, true);
	for (;;)
	{
		SPITupleTable *tt;

		SPI_cursor_fetch(portal, true, COVER_FETCH);
		if (SPI_processed == 0)
			break;
		tt = SPI_tuptable;

		for (uint64 r = 0; r < SPI_processed; r++)
		{
			HeapTuple	tup = tt->vals[r];
			TupleDesc	td = tt->tupdesc;
			bool		null;
			double		bx0 = DatumGetFloat8(SPI_getbinval(tup, td, 3, &null));
			double		by0 = DatumGetFloat8(SPI_getbinval(tup, td, 4, &null));
			double		bx1 = DatumGetFloat8(SPI_getbinval(tup, td, 5, &null));
			double		by1 = DatumGetFloat8(SPI_getbinval(tup, td, 6, &null));
			Datum		stored = SPI_getbinval(tup, td, 2, &null);
			Datum		piece = (Datum) 0;
			int64		outlet_id;
			MemoryContext outer;

			CHECK_FOR_INTERRUPTS();
			if (bx1 < g.x0 || bx0 > g.x1 || by1 < g.y0 || by0 > g.y1)
				continue;
			outlet_id = DatumGetInt64(SPI_getbinval(tup, td, 1, &null));
			outer = MemoryContextSwitchTo(call_cxt);

			for (int cy = grid_cell(by0, g.y0, g.sy, g.ny),
				 cy1 = grid_cell(by1, g.y0, g.sy, g.ny); cy <= cy1; cy++)
				for (int cx = grid_cell(bx0, g.x0, g.sx, g.nx),
					 cx1 = grid_cell(bx1, g.x0, g.sx, g.nx); cx <= cx1; cx++)
				{
					int			c = cy * g.nx + cx;

					for (int k = g.start[c]; k < g.start[c + 1]; k++)
					{
						int			i = g.member[k];

						if (x[i] < bx0 || x[i] > bx1 ||
							y[i] < by0 || y[i] > by1)
							continue;
						/* Decompress the piece once, for its first point. */
						if (piece == (Datum) 0)
							piece = PointerGetDatum(PG_DETOAST_DATUM(stored));
						if (DatumGetBool(FunctionCall2(&covers, piece,
													   points[i])))
							pair_add(out, i, outlet_id);
					}
				}
			MemoryContextSwitchTo(outer);
			MemoryContextReset(call_cxt);
		}
		SPI_freetuptable(tt);
	}
	SPI_cursor_close(portal);
	MemoryContextDelete(call_cxt);
	MemoryContextDelete(cache_cxt);
}

/*
 * cover_by_probe
 *		Find the pairs with one probe of the pieces' index per point.
 */
static void
cover_by_probe(int n, const Datum *points, Oid geometry_type, PairList *out)
{
	Oid			array_type = get_array_type(geometry_type);
	int16		typlen;
	bool		typbyval;
	char		typalign;
	Datum		values[1];
	int			rc;

	if (!OidIsValid(array_type))
		elog(ERROR, "type %u has no array type", geometry_type);
	get_typlenbyvalalign(geometry_type, &typlen, &typbyval, &typalign);
	values[0] = PointerGetDatum(construct_array((Datum *) points, n,
												geometry_type, typlen,
												typbyval, typalign));
	rc = SPI_execute_plan(showroom_plan(&probe_plan, probe_sql, 1,
										&array_type, 0),
						  values, NULL, true, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "cover probe failed: %s", SPI_result_code_string(rc));
	for (uint64 r = 0; r < SPI_processed; r++)
	{
		HeapTuple	tup = SPI_tuptable->vals[r];
		TupleDesc	td = SPI_tuptable->tupdesc;
		bool		null;
		int32		k = DatumGetInt32(SPI_getbinval(tup, td, 1, &null));

		pair_add(out, k - 1,
				 DatumGetInt64(SPI_getbinval(tup, td, 2, &null)));
	}
	SPI_freetuptable(SPI_tuptable);
}

/*
 * cover_points
 *		For n points, at (x[i], y[i]) and given as geometry Datums
 *		points[i] of type geometry_type, find every outlet one of whose
 *		areas covers the point.  Sets *pairs to the (point, outlet) pairs,
 *		sorted by point and then outlet, each pair once, and returns their
 *		number.
 *
 * Few points against many pieces are probed one by one through the index;
 * otherwise one pass over the pieces serves them all.
 */
int
cover_points(int n, const double *x, const double *y, const Datum *points,
			 Oid geometry_type, CoverPair **pairs)
{
	PairList	out;
	double		npieces;
	bool		null;
	int			kept;

	*pairs = NULL;
	if (n == 0)
		return 0;

	out.cap = 1024;
	out.n = 0;
	out.pairs = palloc(sizeof(CoverPair) * out.cap);

	if (SPI_execute_plan(showroom_plan(&count_plan, count_sql, 0, NULL, 0),
						 NULL, NULL, true, 1) != SPI_OK_SELECT ||
		SPI_processed != 1)
		elog(ERROR, "could not count the area pieces");
	npieces = DatumGetFloat8(SPI_getbinval(SPI_tuptable->vals[0],
										   SPI_tuptable->tupdesc, 1, &null));
	SPI_freetuptable(SPI_tuptable);

	/* reltuples is -1 for a table never vacuumed or analysed. */
	if ((double) n * PROBE_RATIO < npieces)
	{
		elog(DEBUG1, "covering points by index probes (points %d, pieces %.0f)",
			 n, npieces);
		cover_by_probe(n, points, geometry_type, &out);
	}
	else
	{
		elog(DEBUG1, "covering points in one pass (points %d, pieces %.0f)",
			 n, npieces);
		cover_by_pass(n, x, y, points, geometry_type, &out);
	}

	/* An outlet whose several pieces cover a point counts once. */
	qsort(out.pairs, out.n, sizeof(CoverPair), cover_pair_cmp);
	kept = 0;
	for (int k = 0; k < out.n; k++)
		if (kept == 0 || cover_pair_cmp(&out.pairs[kept - 1],
										&out.pairs[k]) != 0)
			out.pairs[kept++] = out.pairs[k];
	*pairs = out.pairs;
	return kept;
}
