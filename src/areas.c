/*-------------------------------------------------------------------------
 *
 * areas.c
 *	  Finding the outlets that could take a job at a point: the candidate
 *	  search behind the dispatcher's screen and every dispatch.
 *
 * An outlet is a candidate when one of its service areas covers the point
 * (boundary included: ST_Covers, not ST_Contains).  The search probes
 * service_area_piece, the areas cut into small polygons, through its GiST
 * index; with the index disabled the same query scans the pieces and gives
 * the same rows.  For the screen, outlets able to do the job whose base
 * lies within a radius of the point are listed too, marked as outside
 * their area, so that a dispatcher sees the near misses.
 *
 * Callers are connected to SPI; rows returned live in the caller's SPI
 * procedure context and vanish at its SPI_finish().  Plans are prepared on
 * first use and kept for the life of the backend.
 *
 *-------------------------------------------------------------------------
 */
#include "showroom.h"

#include "dispatch.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"

/*
 * Columns every candidate query returns, in this order.  The capacity
 * columns follow the rule of showroom.capacity_on(), written out here
 * because a SQL function with a pinned search_path is never inlined and
 * would be planned anew for every candidate.
 */
#define CANDIDATE_COLUMNS \
	"SELECT o.id, o.code, o.priority, o.active, " \
	"       o.suspended_at IS NOT NULL, pool.covers, c.skill::int4, " \
	"       coalesce(ct.jobs, o.daily_capacity), ck.jobs, " \
	"       coalesce(l.booked, 0), " \
	"       coalesce(kl.booked, 0), s.score::float8, " \
	"       ST_Distance(o.base::geography, $1::geography), " \
	"       coalesce(g.cut_pct, 0)::float8 " \
	"  FROM pool " \
	"  JOIN showroom.outlet o ON o.id = pool.outlet_id " \
	"  LEFT JOIN showroom.capability c " \
	"    ON c.outlet_id = o.id AND c.kind = $2 AND c.category = $3 " \
	"  LEFT JOIN showroom.outlet_capacity ct " \
	"    ON ct.outlet_id = o.id AND ct.kind IS NULL AND ct.day = $4 " \
	"  LEFT JOIN LATERAL (SELECT c2.jobs FROM showroom.outlet_capacity c2 " \
	"                      WHERE c2.outlet_id = o.id AND c2.kind = $2 " \
	"                        AND (c2.day = $4 OR c2.day IS NULL) " \
	"                      ORDER BY c2.day NULLS LAST LIMIT 1) ck ON true " \
	"  LEFT JOIN showroom.outlet_load l " \
	"    ON l.outlet_id = o.id AND l.day = $4 " \
	"  LEFT JOIN showroom.outlet_kind_load kl " \
	"    ON kl.outlet_id = o.id AND kl.day = $4 AND kl.kind = $2 " \
	"  LEFT JOIN showroom.outlet_satisfaction s " \
	"    ON s.outlet_id = o.id AND s.kind = $2 " \
	"  LEFT JOIN showroom.outlet_grade g ON g.outlet_id = o.id "

/* Outlets whose areas cover the point. */
static const char *covering_sql =
"WITH pool AS ("
"  SELECT DISTINCT p.outlet_id, true AS covers"
"    FROM showroom.service_area_piece p"
"   WHERE p.outlet_id IS NOT NULL AND ST_Covers(p.geom, $1)) "
CANDIDATE_COLUMNS;

/* The same, plus capable outlets based within $5 metres of the point. */
static const char *screen_sql =
"WITH near AS MATERIALIZED ("
"  SELECT DISTINCT p.outlet_id"
"    FROM showroom.service_area_piece p"
"   WHERE p.outlet_id IS NOT NULL AND ST_Covers(p.geom, $1)), "
"pool AS ("
"  SELECT outlet_id, true AS covers FROM near"
"  UNION ALL"
"  SELECT c.outlet_id, false"
"    FROM showroom.capability c"
"    JOIN showroom.outlet o ON o.id = c.outlet_id"
"   WHERE c.kind = $2 AND c.category = $3"
"     AND c.outlet_id NOT IN (SELECT outlet_id FROM near)"
"     AND ST_DWithin(o.base::geography, $1::geography, $5)) "
CANDIDATE_COLUMNS;

static const char *order_sql =
"SELECT state, outlet_id, point, kind, category, service_date"
"  FROM showroom.service_order WHERE id = $1";

static const char *order_lock_sql =
"SELECT state, outlet_id, point, kind, category, service_date"
"  FROM showroom.service_order WHERE id = $1 FOR UPDATE";

static ShowroomPlan covering_plan;
static ShowroomPlan screen_plan;
static ShowroomPlan order_plan;
static ShowroomPlan order_lock_plan;

/*
 * areas_plan
 *		The kept plan of sql in *slot for these argument types (prepared
 *		again when they change; see ShowroomPlan).
 *
 * The plan is generic from the first call: the candidate query joins
 * seven tables, and planning it afresh for every point (which PostgreSQL
 * would otherwise keep doing, as the geometry's estimate makes the generic
 * plan look dearer) costs more than running it.
 */
static SPIPlanPtr
areas_plan(ShowroomPlan *slot, const char *sql, int nargs, Oid *types)
{
	return showroom_plan(slot, sql, nargs, types, CURSOR_OPT_GENERIC_PLAN);
}

/*
 * areas_get_text / areas_get_int
 *		Read column col of row row of the last SPI result; NULL gives NULL
 *		or the default.
 */
static char *
areas_get_text(int row, int col)
{
	return SPI_getvalue(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, col);
}

static int64
areas_get_int(int row, int col, int64 dflt, bool *isnull)
{
	bool		null;
	Datum		d = SPI_getbinval(SPI_tuptable->vals[row],
								  SPI_tuptable->tupdesc, col, &null);
	Oid			t = SPI_gettypeid(SPI_tuptable->tupdesc, col);

	if (isnull)
		*isnull = null;
	if (null)
		return dflt;
	if (t == INT8OID)
		return DatumGetInt64(d);
	if (t == INT2OID)
		return DatumGetInt16(d);
	return DatumGetInt32(d);
}

/*
 * areas_read_order
 *		Read service order order_id into *order, locking its row when lock
 *		is true.  Returns false when there is no such order.
 */
bool
areas_read_order(int64 order_id, bool lock, OrderFacts *order)
{
	Oid			types[1] = {INT8OID};
	Datum		values[1];
	SPIPlanPtr	plan;
	bool		null;
	int			rc;

	if (lock)
		plan = areas_plan(&order_lock_plan, order_lock_sql, 1, types);
	else
		plan = areas_plan(&order_plan, order_sql, 1, types);
	values[0] = Int64GetDatum(order_id);
	rc = SPI_execute_plan(plan, values, NULL, false, 1);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "reading service order failed: %s",
			 SPI_result_code_string(rc));
	if (SPI_processed == 0)
		return false;

	order->id = order_id;
	order->state = areas_get_text(0, 1);
	order->outlet_id = areas_get_int(0, 2, 0, &null);
	order->assigned = !null;
	order->point = SPI_getbinval(SPI_tuptable->vals[0],
								 SPI_tuptable->tupdesc, 3, &null);
	order->point_type = SPI_gettypeid(SPI_tuptable->tupdesc, 3);
	order->kind = areas_get_text(0, 4);
	order->category = areas_get_text(0, 5);
	order->day = DatumGetDateADT(SPI_getbinval(SPI_tuptable->vals[0],
											   SPI_tuptable->tupdesc, 6,
											   &null));
	return true;
}

/*
 * areas_find_candidates
 *		Find the outlets that could take a job of kind for category at point
 *		(a lon/lat geometry of type point_type) on day.  With screen, also
 *		the capable outlets based within radius_m metres.
 *
 * Returns the number of candidates and sets *result to a palloc'd array of
 * them, unranked; dispatch_rank() fills score, reason and rank.
 */
int
areas_find_candidates(Datum point, Oid point_type, const char *kind,
					  const char *category, DateADT day, bool screen,
					  double radius_m, Candidate **result)
{
	Oid			types[5] = {point_type, TEXTOID, TEXTOID, DATEOID, FLOAT8OID};
	Datum		values[5];
	SPIPlanPtr	plan;
	Candidate  *cands;
	int			rc;
	int			n;

	if (screen)
		plan = areas_plan(&screen_plan, screen_sql, 5, types);
	else
		plan = areas_plan(&covering_plan, covering_sql, 4, types);

	values[0] = point;
	values[1] = CStringGetTextDatum(kind);
	values[2] = CStringGetTextDatum(category);
	values[3] = DateADTGetDatum(day);
	values[4] = Float8GetDatum(radius_m);
	rc = SPI_execute_plan(plan, values, NULL, true, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "candidate search failed: %s",
			 SPI_result_code_string(rc));

	n = (int) SPI_processed;
	cands = palloc0(sizeof(Candidate) * Max(n, 1));
	for (int i = 0; i < n; i++)
	{
		Candidate  *c = &cands[i];
		bool		null;
		Datum		d;

		c->outlet_id = areas_get_int(i, 1, 0, NULL);
		c->outlet_code = areas_get_text(i, 2);
		c->priority = (int32) areas_get_int(i, 3, 0, NULL);
		c->active = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[i],
											   SPI_tuptable->tupdesc, 4,
											   &null));
		c->suspended = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[i],
												  SPI_tuptable->tupdesc, 5,
												  &null));
		c->covers = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[i],
											   SPI_tuptable->tupdesc, 6,
											   &null));
		c->skill = (int32) areas_get_int(i, 7, 0, &null);
		c->capable = !null;
		c->capacity = (int32) areas_get_int(i, 8, 0, NULL);
		c->kind_limit = (int32) areas_get_int(i, 9, 0, &null);
		c->has_kind_limit = !null;
		c->load = (int32) areas_get_int(i, 10, 0, NULL);
		c->kind_load = (int32) areas_get_int(i, 11, 0, NULL);
		d = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 12,
						  &null);
		c->has_satisfaction = !null;
		c->satisfaction = null ? 0 : DatumGetFloat8(d);
		d = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 13,
						  &null);
		c->distance_m = DatumGetFloat8(d);
		d = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 14,
						  &null);
		c->grade_cut = DatumGetFloat8(d);
	}

	*result = cands;
	return n;
}
