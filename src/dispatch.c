/*-------------------------------------------------------------------------
 *
 * dispatch.c
 *	  Choosing the outlet for service orders, booking its capacity, and
 *	  the dispatcher's screen.
 *
 * The ranking (dispatch_rank) is the same for the screen, for one order and
 * for a whole date: among eligible outlets, higher priority first, then
 * higher score, then lower outlet id.  The score is
 *
 *	 w_sat * (satisfaction - 1) / 4 + w_skill * (skill - 1) / 4
 *	 - w_load * load ratio - w_km * distance in km
 *	 - w_grade * grade cut in percent
 *
 * with the weights read from showroom.settings at each call.  The grade
 * cut is that of the outlet's current grade (showroom.outlet_grade, kept
 * by the discipline room): a better grade keeps less of the fees, so it
 * loses fewer points; an outlet never graded loses none.
 *
 * Booking is one conditional upsert on the outlet's row of outlet_load
 * (and of outlet_kind_load) for the date: it adds one only while the load
 * is under the capacity, re-checked on the newest row version after any
 * wait, so two sessions can never both take the last unit.  When it fails
 * the next outlet in rank order is tried.
 *
 * Every entry point connects to SPI; what it allocates lives in the SPI
 * procedure context and is freed at SPI_finish(), at the end of the call.
 * Plans are prepared on first use and kept.
 *
 *-------------------------------------------------------------------------
 */
#include "showroom.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "commands/async.h"
#include "dispatch.h"
#include "executor/spi.h"
#include "flow.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"

/* Reasons an outlet is not eligible, from the farthest miss to the nearest. */
#define REASON_OUTSIDE		"outside area"
#define REASON_INCAPABLE	"no capability"
#define REASON_INACTIVE		"inactive"
#define REASON_SUSPENDED	"suspended"
#define REASON_FULL			"full"

static const char *const reason_order[] = {
	REASON_OUTSIDE, REASON_INCAPABLE, REASON_INACTIVE, REASON_SUSPENDED,
	REASON_FULL
};

/* Kept plans; see dispatch_plan(). */
typedef enum DispatchPlanId
{
	PLAN_WEIGHTS,
	PLAN_CHECK_POINT,
	PLAN_BOOK_TOTAL,
	PLAN_BOOK_KIND,
	PLAN_UNBOOK_TOTAL,
	PLAN_UNBOOK_ORDER,
	PLAN_RECORD,
	PLAN_PENDING,
	PLAN_OUTLET,
	PLAN_LOCK_OUTLET,
	PLAN_CAPACITY,
	PLAN_BATCH_ORDERS,
	PLAN_BATCH_FACTS,
	PLAN_BATCH_LOCK_OUTLETS,
	PLAN_BATCH_LOCK_TOTAL,
	PLAN_BATCH_LOCK_KIND,
	PLAN_BATCH_CAPACITY,
	PLAN_BATCH_WRITE,
	PLAN_BATCH_LOAD_TOTAL,
	PLAN_BATCH_LOAD_KIND,
	PLAN_BATCH_PENDING,
	PLAN_COUNT
} DispatchPlanId;

static ShowroomPlan plans[PLAN_COUNT];

static const char *const plan_sql[PLAN_COUNT] = {
	[PLAN_WEIGHTS] =
	"SELECT d.name, CASE WHEN d.value_type = 'boolean'::regtype"
	"                    THEN coalesce(s.value, d.value)::bool::int4::float8"
	"                    ELSE coalesce(s.value, d.value)::float8 END"
	"  FROM showroom.setting_default d"
	"  LEFT JOIN showroom.setting s USING (name)"
	" WHERE d.name LIKE 'dispatch.%'",
	[PLAN_CHECK_POINT] =
	"SELECT g, GeometryType(g), ST_IsEmpty(g),"
	"       EXISTS (SELECT 1 FROM showroom.service_kind WHERE code = $2),"
	"       EXISTS (SELECT 1 FROM showroom.category WHERE code = $3),"
	"       ST_AsText(g)"
	"  FROM showroom.to_lonlat($1) AS g",
	[PLAN_BOOK_TOTAL] =
	"INSERT INTO showroom.outlet_load AS l (outlet_id, day, booked)"
	" SELECT $1, $2, 1 WHERE $3 >= 1"
	" ON CONFLICT (outlet_id, day)"
	" DO UPDATE SET booked = l.booked + 1 WHERE l.booked < $3"
	" RETURNING l.booked",
	[PLAN_BOOK_KIND] =
	"INSERT INTO showroom.outlet_kind_load AS l (outlet_id, day, kind, booked)"
	" SELECT $1, $2, $4, 1 WHERE $3 >= 1"
	" ON CONFLICT (outlet_id, day, kind)"
	" DO UPDATE SET booked = l.booked + 1 WHERE l.booked < $3"
	" RETURNING l.booked",
	[PLAN_UNBOOK_TOTAL] =
	"UPDATE showroom.outlet_load SET booked = booked - 1"
	" WHERE outlet_id = $1 AND day = $2",
	[PLAN_UNBOOK_ORDER] =
	"WITH b AS (SELECT outlet_id, day, kind FROM showroom.booking"
	"            WHERE service_order_id = $1 AND NOT spent),"
	" t AS (UPDATE showroom.outlet_load l SET booked = l.booked - 1 FROM b"
	"        WHERE l.outlet_id = b.outlet_id AND l.day = b.day RETURNING 1)"
	" UPDATE showroom.outlet_kind_load k SET booked = k.booked - 1 FROM b"
	"  WHERE k.outlet_id = b.outlet_id AND k.day = b.day AND k.kind = b.kind",
	[PLAN_RECORD] =
	"WITH b AS (INSERT INTO showroom.booking"
	"             (service_order_id, outlet_id, day, kind)"
	"           VALUES ($1, $2, $3, $4)"
	"           ON CONFLICT (service_order_id) WHERE NOT spent DO UPDATE"
	"             SET outlet_id = excluded.outlet_id, day = excluded.day,"
	"                 kind = excluded.kind, booked_at = now()),"
	" u AS (UPDATE showroom.service_order"
	"          SET outlet_id = $2, state = 'dispatched' WHERE id = $1),"
	" d AS (DELETE FROM showroom.dispatch_pending"
	"        WHERE service_order_id = $1),"
	" n AS (INSERT INTO showroom.outlet_notice"
	"         (outlet_id, event, service_order_id)"
	"       SELECT v.o, v.e, $1"
	"         FROM (VALUES (1, $6, 'withdrawn'), (2, $2, 'assigned'))"
	"              AS v(k, o, e)"
	"        WHERE $12 AND v.o IS NOT NULL ORDER BY v.k)"
	" INSERT INTO showroom.dispatch_log (service_order_id, action, outlet_id,"
	"   previous_outlet_id, rank, score, eligible, reason, done_by)"
	" VALUES ($1, $5, $2, $6, $7, $8, $11, $9, $10)",
	[PLAN_PENDING] =
	"INSERT INTO showroom.dispatch_pending (service_order_id, reason)"
	" VALUES ($1, $2) ON CONFLICT (service_order_id) DO UPDATE"
	" SET reason = excluded.reason, checked_at = now()",
	[PLAN_OUTLET] =
	"SELECT code, active, suspended_reason FROM showroom.outlet"
	" WHERE id = $1 FOR SHARE",
	[PLAN_LOCK_OUTLET] =
	"SELECT active, suspended_at IS NOT NULL FROM showroom.outlet"
	" WHERE id = $1 FOR SHARE",
	/* capacity_on()'s rule written out, as in areas.c, to be planned once. */
	[PLAN_CAPACITY] =
	"SELECT coalesce(ct.jobs, o.daily_capacity), ck.jobs,"
	"       coalesce(l.booked, 0)"
	"  FROM showroom.outlet o"
	"  LEFT JOIN showroom.outlet_capacity ct"
	"    ON ct.outlet_id = o.id AND ct.kind IS NULL AND ct.day = $2"
	"  LEFT JOIN LATERAL (SELECT c2.jobs FROM showroom.outlet_capacity c2"
	"                      WHERE c2.outlet_id = o.id AND c2.kind = $3"
	"                        AND (c2.day = $2 OR c2.day IS NULL)"
	"                      ORDER BY c2.day NULLS LAST LIMIT 1) ck ON true"
	"  LEFT JOIN showroom.outlet_load l ON l.outlet_id = o.id AND l.day = $2"
	" WHERE o.id = $1",
	[PLAN_BATCH_ORDERS] =
	"SELECT id, kind, point, ST_X(point), ST_Y(point)"
	"  FROM showroom.service_order"
	" WHERE service_date = $1 AND state = 'requested' AND outlet_id IS NULL"
	" ORDER BY id"
	"   FOR UPDATE",
	[PLAN_BATCH_FACTS] =
	"SELECT t.n::int4, ol.priority, ol.active, ol.suspended_at IS NOT NULL,"
	"       cap.skill::int4, s.score::float8,"
	"       ST_Distance(ol.base::geography, so.point::geography),"
	"       coalesce(g.cut_pct, 0)::float8"
	"  FROM unnest($1::int8[], $2::int8[]) WITH ORDINALITY"
	"         AS t(order_id, outlet_id, n)"
	"  JOIN showroom.service_order so ON so.id = t.order_id"
	"  JOIN showroom.outlet ol ON ol.id = t.outlet_id"
	"  LEFT JOIN showroom.capability cap ON cap.outlet_id = t.outlet_id"
	"        AND cap.kind = so.kind AND cap.category = so.category"
	"  LEFT JOIN showroom.outlet_satisfaction s"
	"         ON s.outlet_id = t.outlet_id AND s.kind = so.kind"
	"  LEFT JOIN showroom.outlet_grade g ON g.outlet_id = t.outlet_id",
	[PLAN_BATCH_LOCK_OUTLETS] =
	"SELECT id, active, suspended_at IS NOT NULL FROM showroom.outlet"
	" WHERE id = ANY ($1) ORDER BY id FOR SHARE",
	[PLAN_BATCH_LOCK_TOTAL] =
	"INSERT INTO showroom.outlet_load AS l (outlet_id, day, booked)"
	" SELECT t, $2, 0 FROM unnest($1::int8[]) AS t ORDER BY t"
	" ON CONFLICT (outlet_id, day) DO UPDATE SET booked = l.booked"
	" RETURNING l.outlet_id, l.booked",
	[PLAN_BATCH_LOCK_KIND] =
	"INSERT INTO showroom.outlet_kind_load AS l (outlet_id, day, kind, booked)"
	" SELECT t.o, $3, t.k, 0 FROM unnest($1::int8[], $2::text[]) AS t(o, k)"
	" ORDER BY t.o, t.k"
	" ON CONFLICT (outlet_id, day, kind) DO UPDATE SET booked = l.booked"
	" RETURNING l.outlet_id, l.kind, l.booked",
	[PLAN_BATCH_CAPACITY] =
	"SELECT t.o, t.k, c.total, c.kind_limit"
	"  FROM unnest($1::int8[], $2::text[]) AS t(o, k),"
	"       LATERAL showroom.capacity_on(t.o, t.k, $3) c",
	[PLAN_BATCH_WRITE] =
	"WITH a AS (SELECT * FROM unnest($1::int8[], $2::int8[], $3::int4[],"
	"                                $4::float8[], $5::text[], $6::int4[])"
	"             AS t(order_id, outlet_id, rank, score, kind, eligible)),"
	" b AS (INSERT INTO showroom.booking"
	"         (service_order_id, outlet_id, day, kind)"
	"       SELECT order_id, outlet_id, $7, kind FROM a),"
	" n AS (INSERT INTO showroom.outlet_notice"
	"         (outlet_id, event, service_order_id)"
	"       SELECT outlet_id, 'assigned', order_id FROM a"
	"        WHERE $8 ORDER BY order_id),"
	" u AS (UPDATE showroom.service_order o"
	"          SET outlet_id = a.outlet_id, state = 'dispatched'"
	"         FROM a WHERE o.id = a.order_id),"
	" d AS (DELETE FROM showroom.dispatch_pending p USING a"
	"        WHERE p.service_order_id = a.order_id)"
	" INSERT INTO showroom.dispatch_log"
	"   (service_order_id, action, outlet_id, rank, score, eligible)"
	" SELECT order_id, 'batch', outlet_id, rank, score, eligible FROM a",
	[PLAN_BATCH_LOAD_TOTAL] =
	"UPDATE showroom.outlet_load l SET booked = l.booked + t.n"
	"  FROM unnest($1::int8[], $2::int4[]) AS t(o, n)"
	" WHERE l.outlet_id = t.o AND l.day = $3",
	[PLAN_BATCH_LOAD_KIND] =
	"UPDATE showroom.outlet_kind_load l SET booked = l.booked + t.n"
	"  FROM unnest($1::int8[], $2::text[], $3::int4[]) AS t(o, k, n)"
	" WHERE l.outlet_id = t.o AND l.kind = t.k AND l.day = $4",
	[PLAN_BATCH_PENDING] =
	"INSERT INTO showroom.dispatch_pending (service_order_id, reason)"
	" SELECT * FROM unnest($1::int8[], $2::text[])"
	" ON CONFLICT (service_order_id) DO UPDATE"
	" SET reason = excluded.reason, checked_at = now()",
};

/*
 * dispatch_plan
 *		The kept plan for id, prepared on first use with argument types
 *		types (nargs of them).
 *
 * The plans of single-order calls are generic from the first call, so that
 * a busy dispatcher never pays for planning; the batch's plans stay custom,
 * planned for each date's real numbers once per call.
 */
static SPIPlanPtr
dispatch_plan(DispatchPlanId id, int nargs, Oid *types)
{
	int			options = id < PLAN_BATCH_ORDERS ? CURSOR_OPT_GENERIC_PLAN : 0;

	return showroom_plan(&plans[id], plan_sql[id], nargs, types, options);
}

/*
 * dispatch_exec
 *		Run kept plan id with values (no NULLs unless nulls is given) and
 *		check that it returned expect; returns SPI_processed.
 */
static uint64
dispatch_exec(DispatchPlanId id, int nargs, Oid *types, Datum *values,
			  const char *nulls, int expect)
{
	SPIPlanPtr	plan = dispatch_plan(id, nargs, types);
	int			rc = SPI_execute_plan(plan, values, nulls, false, 0);

	if (rc != expect)
		elog(ERROR, "dispatch query %d failed: %s", (int) id,
			 SPI_result_code_string(rc));
	return SPI_processed;
}

/*
 * dispatch_read_weights
 *		Read the ranking's weights, the screen radius and the way notices
 *		go out from the settings.
 */
void
dispatch_read_weights(DispatchWeights *w)
{
	static const char *const names[8] = {
		"dispatch.weight_satisfaction", "dispatch.weight_skill",
		"dispatch.weight_load", "dispatch.weight_distance_km",
		"dispatch.default_satisfaction", "dispatch.screen_radius_m",
		"dispatch.notify_relay", "dispatch.weight_grade"
	};
	double		relay = 0;
	double	   *fields[8] = {&w->satisfaction, &w->skill, &w->load,
		&w->distance_km, &w->default_satisfaction, &w->screen_radius_m,
	&relay, &w->grade};
	uint64		n;

	/* One plain query for all of them: cheaper than six setting_value(). */
	memset(w, 0, sizeof(*w));
	n = dispatch_exec(PLAN_WEIGHTS, 0, NULL, NULL, NULL, SPI_OK_SELECT);
	for (uint64 r = 0; r < n; r++)
	{
		char	   *name = SPI_getvalue(SPI_tuptable->vals[r],
										SPI_tuptable->tupdesc, 1);
		bool		null;
		Datum		d = SPI_getbinval(SPI_tuptable->vals[r],
									  SPI_tuptable->tupdesc, 2, &null);

		for (int i = 0; i < (int) lengthof(names); i++)
			if (strcmp(name, names[i]) == 0)
				*fields[i] = null ? 0 : DatumGetFloat8(d);
	}
	w->notify_relay = relay != 0;
}

/*
 * candidate_cmp
 *		qsort order of ranked candidates: eligible ones first, by priority
 *		(higher first), score (higher first) and outlet id; then the others
 *		by outlet id.
 */
static int
candidate_cmp(const void *a, const void *b)
{
	const Candidate *x = a;
	const Candidate *y = b;

	if ((x->reason == NULL) != (y->reason == NULL))
		return x->reason == NULL ? -1 : 1;
	if (x->reason == NULL)
	{
		if (x->priority != y->priority)
			return x->priority > y->priority ? -1 : 1;
		if (x->score != y->score)
			return x->score > y->score ? -1 : 1;
	}
	if (x->outlet_id != y->outlet_id)
		return x->outlet_id < y->outlet_id ? -1 : 1;
	return 0;
}

/*
 * dispatch_rank
 *		Decide for each of the n candidates whether it is eligible (else set
 *		its reason), compute its score, sort them (see candidate_cmp) and
 *		number the eligible ones from rank 1.
 */
void
dispatch_rank(Candidate *cands, int n, const DispatchWeights *w)
{
	for (int i = 0; i < n; i++)
	{
		Candidate  *c = &cands[i];
		double		sat = c->has_satisfaction ? c->satisfaction :
			w->default_satisfaction;
		double		ratio;

		/* The first rule an outlet fails is its reason. */
		c->reason = NULL;
		if (!c->covers)
			c->reason = REASON_OUTSIDE;
		else if (!c->capable)
			c->reason = REASON_INCAPABLE;
		else if (!c->active)
			c->reason = REASON_INACTIVE;
		else if (c->suspended)
			c->reason = REASON_SUSPENDED;
		else if (c->load >= c->capacity ||
				 (c->has_kind_limit && c->kind_load >= c->kind_limit))
			c->reason = REASON_FULL;

		/* A score is meaningful only for an outlet that can do the job. */
		if (!c->capable)
		{
			c->score = NAN;
			continue;
		}
		ratio = c->capacity > 0 ? (double) c->load / c->capacity : 1.0;
		if (c->has_kind_limit)
			ratio = Max(ratio, c->kind_limit > 0 ?
						(double) c->kind_load / c->kind_limit : 1.0);
		ratio = Min(ratio, 1.0);
		c->score = w->satisfaction * (sat - 1.0) / 4.0
			+ w->skill * (c->skill - 1) / 4.0
			- w->load * ratio
			- w->distance_km * c->distance_m / 1000.0
			- w->grade * c->grade_cut;
	}

	qsort(cands, n, sizeof(Candidate), candidate_cmp);
	for (int i = 0; i < n; i++)
		cands[i].rank = cands[i].reason == NULL ? i + 1 : 0;
}

/*
 * nearest_miss
 *		The reason an order with these ranked candidates stays unassigned:
 *		the nearest miss among them ("full" before "suspended" before ...
 *		before "outside area"); "outside area" when there is none.
 */
static const char *
nearest_miss(const Candidate *cands, int n)
{
	int			best = 0;

	for (int i = 0; i < n; i++)
		for (int r = lengthof(reason_order) - 1; r > best; r--)
			if (cands[i].reason != NULL &&
				strcmp(cands[i].reason, reason_order[r]) == 0)
				best = r;
	return reason_order[best];
}

/*
 * acting_person
 *		Who is acting, for audit rows: the setting showroom.person if an
 *		application set it, else the current role (the same rule as the SQL
 *		function showroom.acting_person, without its per-call overhead).
 */
static Datum
acting_person(void)
{
	const char *person = GetConfigOption("showroom.person", true, false);

	if (person != NULL && person[0] != '\0')
		return CStringGetTextDatum(person);
	return CStringGetTextDatum(GetUserNameFromId(GetUserId(), false));
}

/*
 * dispatch_notify
 *		Queue a notification on the outlet's channel showroom_outlet_<id>
 *		with payload "<event> <order id>"; PostgreSQL delivers it only if
 *		the transaction commits.  Used by dispatch itself when
 *		dispatch.notify_relay is off, and by the relay (relay.c).
 */
void
dispatch_notify(int64 outlet_id, const char *event, int64 order_id)
{
	char		channel[64];
	char		payload[64];

	snprintf(channel, sizeof(channel), "showroom_outlet_" INT64_FORMAT,
			 outlet_id);
	snprintf(payload, sizeof(payload), "%s " INT64_FORMAT, event, order_id);
	Async_Notify(channel, payload);
}

/*
 * book_unit
 *		Take one unit of the outlet's capacity on day for kind, given the
 *		capacity (all kinds) and the kind's limit (or -1 for none).  Returns
 *		false, booking nothing, when either is used up.
 */
static bool
book_unit(int64 outlet_id, DateADT day, const char *kind, int32 capacity,
		  int32 kind_limit)
{
	Oid			types[4] = {INT8OID, DATEOID, INT4OID, TEXTOID};
	Datum		values[4];

	values[0] = Int64GetDatum(outlet_id);
	values[1] = DateADTGetDatum(day);
	values[2] = Int32GetDatum(capacity);
	values[3] = CStringGetTextDatum(kind);
	if (dispatch_exec(PLAN_BOOK_TOTAL, 3, types, values, NULL,
					  SPI_OK_INSERT_RETURNING) == 0)
		return false;

	/* The kind's own counter; with no limit it only counts. */
	values[2] = Int32GetDatum(kind_limit >= 0 ? kind_limit : PG_INT32_MAX);
	if (dispatch_exec(PLAN_BOOK_KIND, 4, types, values, NULL,
					  SPI_OK_INSERT_RETURNING) == 0)
	{
		/* We hold the total's row lock, so giving the unit back is safe. */
		dispatch_exec(PLAN_UNBOOK_TOTAL, 2, types, values, NULL,
					  SPI_OK_UPDATE);
		return false;
	}
	return true;
}

/* The arguments of book_unit, for book_attempt. */
typedef struct BookArgs
{
	int64		outlet_id;
	DateADT		day;
	const char *kind;
	int32		capacity;
	int32		kind_limit;
} BookArgs;

/* book_unit as a step of showroom_attempt. */
static bool
book_attempt(void *arg)
{
	BookArgs   *a = (BookArgs *) arg;

	return book_unit(a->outlet_id, a->day, a->kind, a->capacity,
					 a->kind_limit);
}

/*
 * try_book_unit
 *		book_unit for automatic dispatch: take one unit of a candidate's
 *		capacity, or leave no trace, not even a lock.
 *
 * A booking that finds no room has still locked the load row it looked
 * at (INSERT ... ON CONFLICT DO UPDATE locks the row before testing its
 * WHERE).  Dispatch then goes on to its next candidate, and two
 * dispatches whose choices cross could each hold the row the other waits
 * for.  So each attempt runs in a subtransaction, rolled back when it
 * fails, which releases the lock; specs/dispatch_crossed.spec shows it.
 */
static bool
try_book_unit(int64 outlet_id, DateADT day, const char *kind,
			  int32 capacity, int32 kind_limit)
{
	BookArgs	a = {outlet_id, day, kind, capacity, kind_limit};

	return showroom_attempt(book_attempt, &a);
}

/*
 * record_assignment
 *		Write an assignment: the booking, the order's outlet and state, the
 *		dispatch_log row, and its notices (queued in outlet_notice for the
 *		relay, or NOTIFYed now); clear the order's pending reason.  previous
 *		is the outlet a reassignment takes the order from, else 0; rank 0,
 *		a NaN score, eligible -1 and a NULL reason are written as NULL.
 */
static void
record_assignment(const OrderFacts *order, int64 outlet_id,
				  const char *action, int64 previous, int32 rank,
				  double score, int32 eligible, const char *reason,
				  bool relay)
{
	Oid			types[12] = {INT8OID, INT8OID, DATEOID, TEXTOID, TEXTOID,
		INT8OID, INT4OID, FLOAT8OID, TEXTOID, TEXTOID, INT4OID, BOOLOID};
	Datum		values[12];
	char		nulls[12] = "            ";

	values[0] = Int64GetDatum(order->id);
	values[1] = Int64GetDatum(outlet_id);
	values[2] = DateADTGetDatum(order->day);
	values[3] = CStringGetTextDatum(order->kind);
	values[4] = CStringGetTextDatum(action);
	values[5] = Int64GetDatum(previous);
	values[6] = Int32GetDatum(rank);
	values[7] = Float8GetDatum(score);
	values[8] = reason ? CStringGetTextDatum(reason) : (Datum) 0;
	values[9] = (Datum) 0;
	values[10] = Int32GetDatum(eligible);
	values[11] = BoolGetDatum(relay);
	if (previous == 0)
		nulls[5] = 'n';
	if (rank == 0)
		nulls[6] = 'n';
	if (isnan(score))
		nulls[7] = 'n';
	if (reason == NULL)
		nulls[8] = 'n';

	/* Who did it is on the workflow's trail row, except for a move. */
	if (previous != 0)
		values[9] = acting_person();
	else
		nulls[9] = 'n';
	if (eligible < 0)
		nulls[10] = 'n';
	dispatch_exec(PLAN_RECORD, 12, types, values, nulls, SPI_OK_INSERT);

	if (relay)
		relay_ensure();
	else
	{
		if (previous != 0)
			dispatch_notify(previous, "withdrawn", order->id);
		dispatch_notify(outlet_id, "assigned", order->id);
	}
}

/*
 * read_capacity
 *		The capacity of outlet outlet_id on the order's day: all kinds
 *		(*total), the order's kind (*kind_limit, -1 without a limit of its
 *		own), and the jobs booked (*load), read by a statement of its own,
 *		so that it sees what committed while an earlier one of this call
 *		waited for a lock.
 */
static void
read_capacity(const OrderFacts *order, int64 outlet_id, int32 *total,
			  int32 *kind_limit, int32 *load)
{
	Oid			types[3] = {INT8OID, DATEOID, TEXTOID};
	Datum		values[3];
	bool		null;

	values[0] = Int64GetDatum(outlet_id);
	values[1] = DateADTGetDatum(order->day);
	values[2] = CStringGetTextDatum(order->kind);
	if (dispatch_exec(PLAN_CAPACITY, 3, types, values, NULL,
					  SPI_OK_SELECT) != 1)
		elog(ERROR, "outlet " INT64_FORMAT " vanished", outlet_id);
	*total = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[0],
										 SPI_tuptable->tupdesc, 1, &null));
	*kind_limit = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[0],
											  SPI_tuptable->tupdesc, 2,
											  &null));
	if (null)
		*kind_limit = -1;
	*load = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[0],
										SPI_tuptable->tupdesc, 3, &null));
}

/*
 * lock_outlet_open
 *		Lock the outlet's row against a concurrent suspension or
 *		deactivation (FOR SHARE: they UPDATE it) and say, from its newest
 *		version, why it may no longer take work: NULL when it may.
 */
static const char *
lock_outlet_open(int64 outlet_id)
{
	Oid			types[1] = {INT8OID};
	Datum		values[1];
	bool		null;

	values[0] = Int64GetDatum(outlet_id);
	if (dispatch_exec(PLAN_LOCK_OUTLET, 1, types, values, NULL,
					  SPI_OK_SELECT) == 0)
		elog(ERROR, "outlet " INT64_FORMAT " vanished", outlet_id);
	if (!DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0],
									SPI_tuptable->tupdesc, 1, &null)))
		return REASON_INACTIVE;
	if (DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0],
								   SPI_tuptable->tupdesc, 2, &null)))
		return REASON_SUSPENDED;
	return NULL;
}

/*
 * read_order_or_error
 *		Read (and with lock, lock) service order order_id; raise SR401 when
 *		it does not exist.
 */
static void
read_order_or_error(int64 order_id, bool lock, OrderFacts *order)
{
	if (!areas_read_order(order_id, lock, order))
		ereport(ERROR,
				(errcode(ERRCODE_SR_UNKNOWN_SERVICE_ORDER),
				 errmsg("unknown service order " INT64_FORMAT, order_id),
				 errdetail("No service order has id " INT64_FORMAT ".",
						   order_id)));
}

/*
 * require_pending
 *		Raise SR208 unless the order is requested and has no outlet.
 */
static void
require_pending(const OrderFacts *order)
{
	if (strcmp(order->state, "requested") != 0 || order->assigned)
		ereport(ERROR,
				(errcode(ERRCODE_SR_ORDER_NOT_PENDING),
				 errmsg("service order " INT64_FORMAT " is not waiting for dispatch",
						order->id),
				 errdetail("Its state is %s and its outlet is %s.",
						   order->state,
						   order->assigned ?
						   psprintf(INT64_FORMAT, order->outlet_id) : "none"),
				 errhint("Use showroom.reassign() to move a dispatched order.")));
}

/*
 * require_arg
 *		Raise 22004 when argument argno of the call is NULL.
 */
static void
require_arg(FunctionCallInfo fcinfo, int argno, const char *name)
{
	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s must not be null", name)));
}

/*
 * require_reason
 *		Raise 22023 unless a manual step's reason is given and not blank.
 */
static char *
require_reason(FunctionCallInfo fcinfo, int argno)
{
	char	   *reason;

	require_arg(fcinfo, argno, "reason");
	reason = text_to_cstring(PG_GETARG_TEXT_PP(argno));
	if (strspn(reason, " \t\r\n") == strlen(reason))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a manual assignment needs a reason"),
				 errdetail("The reason given is blank.")));
	return reason;
}

/*
 * emit_candidates
 *		Put ranked candidates into the set-returning call's tuplestore.
 */
static void
emit_candidates(ReturnSetInfo *rsinfo, const Candidate *cands, int n)
{
	for (int i = 0; i < n; i++)
	{
		const Candidate *c = &cands[i];
		Datum		values[14];
		bool		nulls[14] = {0};

		values[0] = Int64GetDatum(c->outlet_id);
		values[1] = CStringGetTextDatum(c->outlet_code);
		values[2] = BoolGetDatum(c->covers);
		values[3] = Int32GetDatum(c->skill);
		nulls[3] = !c->capable;
		values[4] = Int32GetDatum(c->capacity);
		values[5] = Int32GetDatum(c->load);
		values[6] = Int32GetDatum(c->kind_limit);
		nulls[6] = !c->has_kind_limit;
		values[7] = Int32GetDatum(c->kind_load);
		values[8] = Float8GetDatum(c->satisfaction);
		nulls[8] = !c->has_satisfaction;
		values[9] = Int32GetDatum(c->priority);
		values[10] = Float8GetDatum(c->distance_m);
		values[11] = Float8GetDatum(c->score);
		nulls[11] = isnan(c->score);
		values[12] = Int32GetDatum(c->rank);
		nulls[12] = c->rank == 0;
		values[13] = c->reason ? CStringGetTextDatum(c->reason) : (Datum) 0;
		nulls[13] = c->reason == NULL;
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values,
							 nulls);
	}
}

/*
 * showroom_candidates_for_order
 *		candidates(service_order_id): the screen for an existing order.
 */
PG_FUNCTION_INFO_V1(showroom_candidates_for_order);
Datum
showroom_candidates_for_order(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	OrderFacts	order;
	DispatchWeights w;
	Candidate  *cands;
	int			n;

	require_arg(fcinfo, 0, "service order id");
	InitMaterializedSRF(fcinfo, 0);

	SPI_connect();
	read_order_or_error(PG_GETARG_INT64(0), false, &order);
	dispatch_read_weights(&w);
	n = areas_find_candidates(order.point, order.point_type, order.kind,
							  order.category, order.day, true,
							  w.screen_radius_m, &cands);
	dispatch_rank(cands, n, &w);
	emit_candidates(rsinfo, cands, n);
	SPI_finish();

	return (Datum) 0;
}

/*
 * showroom_candidates_at
 *		candidates(point, kind, category, day): the screen for a job not yet
 *		recorded.  The point goes through to_lonlat (SRID checks).
 */
PG_FUNCTION_INFO_V1(showroom_candidates_at);
Datum
showroom_candidates_at(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Oid			types[3];
	Datum		values[3];
	char	   *kind;
	char	   *category;
	char	   *gtype;
	bool		null;
	Datum		point;
	DispatchWeights w;
	Candidate  *cands;
	int			n;

	require_arg(fcinfo, 0, "point");
	require_arg(fcinfo, 1, "service kind");
	require_arg(fcinfo, 2, "category");
	require_arg(fcinfo, 3, "date");
	showroom_check_day("day", PG_GETARG_DATEADT(3));
	kind = text_to_cstring(PG_GETARG_TEXT_PP(1));
	category = text_to_cstring(PG_GETARG_TEXT_PP(2));
	InitMaterializedSRF(fcinfo, 0);

	SPI_connect();

	/* Check the point (SRID, type) and the codes in one query. */
	types[0] = get_fn_expr_argtype(fcinfo->flinfo, 0);
	types[1] = TEXTOID;
	types[2] = TEXTOID;
	values[0] = PG_GETARG_DATUM(0);
	values[1] = PG_GETARG_DATUM(1);
	values[2] = PG_GETARG_DATUM(2);
	dispatch_exec(PLAN_CHECK_POINT, 3, types, values, NULL, SPI_OK_SELECT);
	gtype = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
	if (strcmp(gtype, "POINT") != 0 ||
		DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0],
								   SPI_tuptable->tupdesc, 3, &null)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the place of a job must be one point"),
				 errdetail("Got %s.",
						   SPI_getvalue(SPI_tuptable->vals[0],
										SPI_tuptable->tupdesc, 6))));
	if (!DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0],
									SPI_tuptable->tupdesc, 4, &null)))
		ereport(ERROR,
				(errcode(ERRCODE_SR_UNKNOWN_SERVICE_KIND),
				 errmsg("unknown service kind %s", kind),
				 errdetail("No service kind has code \"%s\".", kind),
				 errhint("The kinds are listed in showroom.service_kind.")));
	if (!DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0],
									SPI_tuptable->tupdesc, 5, &null)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown category %s", category),
				 errdetail("No category has code \"%s\".", category),
				 errhint("The categories are listed in showroom.category.")));
	point = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1,
						  &null);

	dispatch_read_weights(&w);
	n = areas_find_candidates(point, types[0], kind, category,
							  PG_GETARG_DATEADT(3), true, w.screen_radius_m,
							  &cands);
	dispatch_rank(cands, n, &w);
	emit_candidates(rsinfo, cands, n);
	SPI_finish();

	return (Datum) 0;
}

/*
 * showroom_dispatch
 *		dispatch(service_order_id): give a requested order to the best
 *		eligible outlet that still has room, in rank order.  Returns the
 *		outlet id; NULL when none could take it, after recording why in
 *		dispatch_pending (shown by the view unassigned_orders).
 */
PG_FUNCTION_INFO_V1(showroom_dispatch);
Datum
showroom_dispatch(PG_FUNCTION_ARGS)
{
	OrderFacts	order;
	DispatchWeights w;
	Candidate  *cands;
	int			n;
	int			eligible = 0;
	int64		chosen = 0;

	require_arg(fcinfo, 0, "service order id");
	SPI_connect();

	/* Lock the order, so that it is dispatched once. */
	read_order_or_error(PG_GETARG_INT64(0), true, &order);
	require_pending(&order);

	dispatch_read_weights(&w);
	n = areas_find_candidates(order.point, order.point_type, order.kind,
							  order.category, order.day, false, 0, &cands);
	dispatch_rank(cands, n, &w);
	while (eligible < n && cands[eligible].reason == NULL)
		eligible++;

	/*
	 * Book the best that is still open and has room.  Another session may
	 * have suspended it since the candidates were read (the share lock
	 * waits for it and reads its newest row), changed its capacity (which
	 * also locks the outlet's row; the capacity is read again after the
	 * lock), or taken its last unit.
	 */
	for (int i = 0; i < eligible; i++)
	{
		Candidate  *c = &cands[i];
		int32		kind_limit;
		int32		load;

		c->reason = lock_outlet_open(c->outlet_id);
		if (c->reason != NULL)
			continue;
		read_capacity(&order, c->outlet_id, &c->capacity, &kind_limit,
					  &load);
		if (!try_book_unit(c->outlet_id, order.day, order.kind, c->capacity,
						   kind_limit))
		{
			c->reason = REASON_FULL;
			continue;
		}
		record_assignment(&order, c->outlet_id, "dispatch", 0, c->rank,
						  c->score, eligible, NULL, w.notify_relay);
		chosen = c->outlet_id;
		break;
	}

	if (chosen == 0)
	{
		Oid			types[2] = {INT8OID, TEXTOID};
		Datum		values[2];

		values[0] = Int64GetDatum(order.id);
		values[1] = CStringGetTextDatum(nearest_miss(cands, n));
		dispatch_exec(PLAN_PENDING, 2, types, values, NULL, SPI_OK_INSERT);
	}
	SPI_finish();

	if (chosen == 0)
		PG_RETURN_NULL();
	PG_RETURN_INT64(chosen);
}

/*
 * check_outlet_by_hand
 *		For assign and reassign: check that the outlet exists and may take
 *		work, or raise SR201 or SR206; lock its row FOR SHARE, so that it
 *		cannot be suspended before this transaction ends.  Returns its code.
 */
static char *
check_outlet_by_hand(int64 outlet_id)
{
	Oid			types[1] = {INT8OID};
	Datum		values[1];
	bool		null;
	char	   *code;

	values[0] = Int64GetDatum(outlet_id);
	if (dispatch_exec(PLAN_OUTLET, 1, types, values, NULL,
					  SPI_OK_SELECT) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_SR_UNKNOWN_OUTLET),
				 errmsg("unknown outlet " INT64_FORMAT, outlet_id),
				 errdetail("No outlet has id " INT64_FORMAT ".", outlet_id)));
	code = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	if (!DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0],
									SPI_tuptable->tupdesc, 2, &null)))
		ereport(ERROR,
				(errcode(ERRCODE_SR_OUTLET_SUSPENDED),
				 errmsg("outlet %s is not active", code),
				 errdetail("Outlet " INT64_FORMAT " (%s) no longer works with the chain.",
						   outlet_id, code)));
	SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3, &null);
	if (!null)
		ereport(ERROR,
				(errcode(ERRCODE_SR_OUTLET_SUSPENDED),
				 errmsg("outlet %s is suspended", code),
				 errdetail("Outlet " INT64_FORMAT " (%s) is suspended: %s.",
						   outlet_id, code,
						   SPI_getvalue(SPI_tuptable->vals[0],
										SPI_tuptable->tupdesc, 3)),
				 errhint("Lift the suspension with showroom.lift_suspension() first.")));
	return code;
}

/*
 * book_by_hand
 *		For assign and reassign: book one unit of the capacity of outlet
 *		outlet_id (code code, checked by check_outlet_by_hand) for the
 *		order, or raise SR205.
 */
static void
book_by_hand(const OrderFacts *order, int64 outlet_id, const char *code)
{
	int32		total;
	int32		kind_limit;
	int32		load;

	read_capacity(order, outlet_id, &total, &kind_limit, &load);
	if (!book_unit(outlet_id, order->day, order->kind, total, kind_limit))
		ereport(ERROR,
				(errcode(ERRCODE_SR_CAPACITY_FULL),
				 errmsg("outlet %s is full on %s", code,
						DatumGetCString(DirectFunctionCall1(date_out,
															DateADTGetDatum(order->day)))),
				 errdetail("It has %d of %d jobs booked%s.", load, total,
						   kind_limit >= 0 ?
						   psprintf(" and allows %d of kind %s", kind_limit,
									order->kind) : ""),
				 errhint("Raise its capacity with showroom.set_capacity() or choose another outlet.")));
}

/*
 * lock_load_rows
 *		Lock the rows of outlet_load and outlet_kind_load of outlets a and b
 *		for the order's day and kind, creating missing ones at zero: first
 *		the totals, then the kinds, each in outlet id order, the order every
 *		booking path follows.
 */
static void
lock_load_rows(const OrderFacts *order, int64 a, int64 b)
{
	int64		ids[2] = {Min(a, b), Max(a, b)};
	char	   *kinds[2] = {order->kind, order->kind};
	Oid			types[3] = {INT8ARRAYOID, DATEOID, DATEOID};
	Datum		values[3];

	values[0] = showroom_int8_array(ids, 2);
	values[1] = DateADTGetDatum(order->day);
	dispatch_exec(PLAN_BATCH_LOCK_TOTAL, 2, types, values, NULL,
				  SPI_OK_INSERT_RETURNING);
	types[1] = TEXTARRAYOID;
	values[1] = showroom_text_array(kinds, 2);
	values[2] = DateADTGetDatum(order->day);
	dispatch_exec(PLAN_BATCH_LOCK_KIND, 3, types, values, NULL,
				  SPI_OK_INSERT_RETURNING);
}

/*
 * showroom_assign
 *		assign(service_order_id, outlet_id, reason): a dispatcher's choice
 *		for a requested order, outside the ranking (an outlet need not cover
 *		the point), still within the outlet's capacity.
 */
PG_FUNCTION_INFO_V1(showroom_assign);
Datum
showroom_assign(PG_FUNCTION_ARGS)
{
	OrderFacts	order;
	DispatchWeights w;
	int64		outlet_id;
	char	   *reason;
	char	   *code;

	require_arg(fcinfo, 0, "service order id");
	require_arg(fcinfo, 1, "outlet id");
	reason = require_reason(fcinfo, 2);
	outlet_id = PG_GETARG_INT64(1);

	SPI_connect();
	read_order_or_error(PG_GETARG_INT64(0), true, &order);
	require_pending(&order);
	dispatch_read_weights(&w);
	code = check_outlet_by_hand(outlet_id);
	book_by_hand(&order, outlet_id, code);
	record_assignment(&order, outlet_id, "assign", 0, 0, NAN, -1, reason,
					  w.notify_relay);
	SPI_finish();

	PG_RETURN_VOID();
}

/*
 * showroom_reassign
 *		reassign(service_order_id, outlet_id, reason): move a dispatched
 *		order to another outlet; its booked unit moves too, all or nothing.
 */
PG_FUNCTION_INFO_V1(showroom_reassign);
Datum
showroom_reassign(PG_FUNCTION_ARGS)
{
	OrderFacts	order;
	DispatchWeights w;
	int64		outlet_id;
	char	   *reason;
	char	   *code;
	Oid			types[1] = {INT8OID};
	Datum		values[1];

	require_arg(fcinfo, 0, "service order id");
	require_arg(fcinfo, 1, "outlet id");
	reason = require_reason(fcinfo, 2);
	outlet_id = PG_GETARG_INT64(1);

	SPI_connect();
	read_order_or_error(PG_GETARG_INT64(0), true, &order);
	if (strcmp(order.state, "dispatched") != 0 || !order.assigned)
		ereport(ERROR,
				(errcode(ERRCODE_SR_ORDER_NOT_PENDING),
				 errmsg("service order " INT64_FORMAT " cannot be reassigned",
						order.id),
				 errdetail("Its state is %s; only a dispatched order can move.",
						   order.state),
				 errhint("Use showroom.assign() or showroom.dispatch() for a requested order.")));
	if (order.outlet_id == outlet_id)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("service order " INT64_FORMAT " is already with outlet " INT64_FORMAT,
						order.id, outlet_id)));

	dispatch_read_weights(&w);
	code = check_outlet_by_hand(outlet_id);

	/*
	 * Lock the load rows of both outlets for the day, lower outlet id
	 * first, so that a move A -> B racing a move B -> A waits instead of
	 * deadlocking.  Then give back the old unit and take the new one (or
	 * fail whole).
	 */
	lock_load_rows(&order, order.outlet_id, outlet_id);
	values[0] = Int64GetDatum(order.id);
	dispatch_exec(PLAN_UNBOOK_ORDER, 1, types, values, NULL, SPI_OK_UPDATE);
	book_by_hand(&order, outlet_id, code);
	record_assignment(&order, outlet_id, "reassign", order.outlet_id, 0, NAN,
					  -1, reason, w.notify_relay);
	SPI_finish();

	PG_RETURN_VOID();
}

/*
 * Batch dispatch.  One service order of the date, its candidates being the
 * slice cands[first .. first + ncand - 1].
 */
typedef struct BatchOrder
{
	int64		id;
	int			kind_no;		/* index into BatchState.kinds */
	int			first;
	int			ncand;
	int			hub_arc;		/* arc hub -> order in the flow network */
	int			chosen;			/* index into cands, or -1 */
} BatchOrder;

/* Hash key of a capacity pool: an outlet, or an outlet and a kind. */
typedef struct PoolKey
{
	int64		outlet_id;
	int32		kind_no;		/* -1 for the outlet's total */
	int32		pad;
} PoolKey;

typedef struct BatchPool
{
	PoolKey		key;
	int			node;
	bool		limited;
	int32		capacity;		/* total, or the kind's limit if limited */
	int32		load;
	int32		taken;			/* units this batch assigns */
} BatchPool;

typedef struct BatchState
{
	DateADT		day;
	DispatchWeights w;
	BatchOrder *orders;
	int			norders;
	Candidate  *cands;
	int			ncands;
	int		   *cand_arc;		/* arc order -> pool of each candidate */
	char	  **kinds;
	int			nkinds;
	HTAB	   *pools;
	int			npools;
} BatchState;

/*
 * row_value / row_text
 *		Column col of row r of the last SPI result, as a Datum (setting
 *		*isnull when isnull is given) or as text.
 */
static Datum
row_value(uint64 r, int col, bool *isnull)
{
	bool		null;
	Datum		d = SPI_getbinval(SPI_tuptable->vals[r], SPI_tuptable->tupdesc,
								  col, &null);

	if (isnull)
		*isnull = null;
	return d;
}

static char *
row_text(uint64 r, int col)
{
	return SPI_getvalue(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, col);
}

/*
 * batch_kind_no
 *		The number of service kind kind in st->kinds, adding it if new.
 */
static int
batch_kind_no(BatchState *st, const char *kind)
{
	for (int i = 0; i < st->nkinds; i++)
		if (strcmp(st->kinds[i], kind) == 0)
			return i;
	st->kinds = st->nkinds == 0 ? palloc(sizeof(char *) * 8) :
		repalloc(st->kinds, sizeof(char *) * (st->nkinds + 8));
	st->kinds[st->nkinds] = pstrdup(kind);
	return st->nkinds++;
}

/*
 * batch_pool
 *		The pool of an outlet (kind_no -1) or of an outlet and kind, created
 *		empty on first use.
 */
static BatchPool *
batch_pool(BatchState *st, int64 outlet_id, int kind_no)
{
	PoolKey		key;
	bool		found;
	BatchPool  *p;

	memset(&key, 0, sizeof(key));
	key.outlet_id = outlet_id;
	key.kind_no = kind_no;
	p = hash_search(st->pools, &key, HASH_ENTER, &found);
	if (!found)
	{
		p->node = -1;
		p->limited = false;
		p->capacity = 0;
		p->load = 0;
		p->taken = 0;
		st->npools++;
	}
	return p;
}

/*
 * batch_read_edges
 *		Lock the date's requested, unassigned orders and read each with the
 *		outlets whose areas cover it (found by cover_points()) and those
 *		outlets' facts.
 */
static void
batch_read_edges(BatchState *st)
{
	Oid			types[2] = {DATEOID, InvalidOid};
	Datum		values[2];
	uint64		nrows;
	SPITupleTable *tt;
	double	   *x;
	double	   *y;
	Datum	   *points;
	Oid			geometry_type;
	CoverPair  *pairs;
	int			npairs;
	int64	   *pair_order;
	int64	   *pair_outlet;
	bool		null;

	values[0] = DateADTGetDatum(st->day);
	nrows = dispatch_exec(PLAN_BATCH_ORDERS, 1, types, values, NULL,
						  SPI_OK_SELECT);
	tt = SPI_tuptable;
	geometry_type = SPI_gettypeid(tt->tupdesc, 3);
	st->orders = palloc_extended(sizeof(BatchOrder) * Max(nrows, 1),
								 MCXT_ALLOC_HUGE);
	x = palloc_extended(sizeof(double) * Max(nrows, 1), MCXT_ALLOC_HUGE);
	y = palloc_extended(sizeof(double) * Max(nrows, 1), MCXT_ALLOC_HUGE);
	points = palloc_extended(sizeof(Datum) * Max(nrows, 1), MCXT_ALLOC_HUGE);
	for (uint64 r = 0; r < nrows; r++)
	{
		HeapTuple	tup = tt->vals[r];
		BatchOrder *o = &st->orders[r];

		o->id = DatumGetInt64(SPI_getbinval(tup, tt->tupdesc, 1, &null));
		o->kind_no = batch_kind_no(st, SPI_getvalue(tup, tt->tupdesc, 2));
		o->first = 0;
		o->ncand = 0;
		o->chosen = -1;
		points[r] = SPI_getbinval(tup, tt->tupdesc, 3, &null);
		x[r] = DatumGetFloat8(SPI_getbinval(tup, tt->tupdesc, 4, &null));
		y[r] = DatumGetFloat8(SPI_getbinval(tup, tt->tupdesc, 5, &null));
	}
	st->norders = (int) nrows;

	/* The order tuples stay until SPI_finish: points[] points into them. */
	npairs = cover_points(st->norders, x, y, points, geometry_type, &pairs);
	st->cands = palloc_extended(sizeof(Candidate) * Max(npairs, 1),
								MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	st->ncands = npairs;
	pair_order = palloc_extended(sizeof(int64) * Max(npairs, 1),
								 MCXT_ALLOC_HUGE);
	pair_outlet = palloc_extended(sizeof(int64) * Max(npairs, 1),
								  MCXT_ALLOC_HUGE);
	/* Pairs come by order, then outlet: each order's slice is contiguous. */
	for (int k = 0; k < npairs; k++)
	{
		BatchOrder *o = &st->orders[pairs[k].point];

		if (o->ncand == 0)
			o->first = k;
		o->ncand++;
		st->cands[k].outlet_id = pairs[k].outlet_id;
		st->cands[k].covers = true;
		pair_order[k] = o->id;
		pair_outlet[k] = pairs[k].outlet_id;
	}
	if (npairs == 0)
		return;

	types[0] = INT8ARRAYOID;
	types[1] = INT8ARRAYOID;
	values[0] = showroom_int8_array(pair_order, npairs);
	values[1] = showroom_int8_array(pair_outlet, npairs);
	nrows = dispatch_exec(PLAN_BATCH_FACTS, 2, types, values, NULL,
						  SPI_OK_SELECT);
	if (nrows != (uint64) npairs)
		elog(ERROR, "batch dispatch read facts of " UINT64_FORMAT
			 " outlets for %d candidates", nrows, npairs);
	tt = SPI_tuptable;
	for (uint64 r = 0; r < nrows; r++)
	{
		HeapTuple	tup = tt->vals[r];
		int32		n = DatumGetInt32(SPI_getbinval(tup, tt->tupdesc, 1,
													&null));
		Candidate  *c;
		Datum		d;

		if (n < 1 || n > npairs)
			elog(ERROR, "batch dispatch read candidate %d of %d", n, npairs);
		c = &st->cands[n - 1];
		c->priority = DatumGetInt32(SPI_getbinval(tup, tt->tupdesc, 2, &null));
		c->active = DatumGetBool(SPI_getbinval(tup, tt->tupdesc, 3, &null));
		c->suspended = DatumGetBool(SPI_getbinval(tup, tt->tupdesc, 4, &null));
		d = SPI_getbinval(tup, tt->tupdesc, 5, &null);
		c->capable = !null;
		c->skill = null ? 0 : DatumGetInt32(d);
		d = SPI_getbinval(tup, tt->tupdesc, 6, &null);
		c->has_satisfaction = !null;
		c->satisfaction = null ? 0 : DatumGetFloat8(d);
		c->distance_m = DatumGetFloat8(SPI_getbinval(tup, tt->tupdesc, 7,
													 &null));
		c->grade_cut = DatumGetFloat8(SPI_getbinval(tup, tt->tupdesc, 8,
													&null));
	}
	SPI_freetuptable(tt);
}

/*
 * pool_key_cmp
 *		qsort order of pools: by outlet, the total before its kinds.
 */
static int
pool_key_cmp(const void *a, const void *b)
{
	const BatchPool *x = *(BatchPool *const *) a;
	const BatchPool *y = *(BatchPool *const *) b;

	if (x->key.outlet_id != y->key.outlet_id)
		return x->key.outlet_id < y->key.outlet_id ? -1 : 1;
	return x->key.kind_no - y->key.kind_no;
}

/*
 * int64_cmp
 *		qsort and bsearch order of int64 values.
 */
static int
int64_cmp(const void *a, const void *b)
{
	int64		x = *(const int64 *) a;
	int64		y = *(const int64 *) b;

	return x < y ? -1 : x > y ? 1 : 0;
}

/*
 * batch_lock_outlets
 *		Lock the rows of the n outlets ids (sorted) FOR SHARE, so that none
 *		can be suspended or deactivated until the batch commits, and mark
 *		the candidates of those that were since the orders were read.
 */
static void
batch_lock_outlets(BatchState *st, const int64 *ids, int n)
{
	Oid			types[1] = {INT8ARRAYOID};
	Datum		values[1];
	uint64		nrows;
	int64	   *closed = palloc(sizeof(int64) * Max(n, 1));
	int			nclosed = 0;

	values[0] = showroom_int8_array(ids, n);
	nrows = dispatch_exec(PLAN_BATCH_LOCK_OUTLETS, 1, types, values, NULL,
						  SPI_OK_SELECT);
	for (uint64 r = 0; r < nrows; r++)
		if (!DatumGetBool(row_value(r, 2, NULL)) ||
			DatumGetBool(row_value(r, 3, NULL)))
			closed[nclosed++] = DatumGetInt64(row_value(r, 1, NULL));
	if (nclosed == 0)
		return;

	/* Rows came in id order; mark every candidate of a closed outlet. */
	for (int i = 0; i < st->ncands; i++)
	{
		Candidate  *c = &st->cands[i];

		if (bsearch(&c->outlet_id, closed, nclosed, sizeof(int64),
					int64_cmp) == NULL)
			continue;
		for (uint64 r = 0; r < nrows; r++)
			if (DatumGetInt64(row_value(r, 1, NULL)) == c->outlet_id)
			{
				c->active = DatumGetBool(row_value(r, 2, NULL));
				c->suspended = DatumGetBool(row_value(r, 3, NULL));
				break;
			}
	}
}

/*
 * batch_read_capacity
 *		Make a pool for every outlet (and outlet and kind) that may take an
 *		order, lock its load rows in outlet order, and read the loads and
 *		capacities into the pools and the candidates.
 */
static void
batch_read_capacity(BatchState *st)
{
	BatchPool **list;
	HASH_SEQ_STATUS seq;
	BatchPool  *p;
	int			n = 0;
	int			nout = 0;
	int			nkind = 0;
	int64	   *out_ids;
	int64	   *kind_outlets;
	char	  **kind_codes;
	Oid			types[3] = {INT8ARRAYOID, DATEOID, DATEOID};
	Datum		values[3];
	uint64		nrows;

	/* Pools of the outlets that pass every rule but capacity. */
	for (int i = 0; i < st->norders; i++)
	{
		BatchOrder *o = &st->orders[i];

		for (int j = o->first; j < o->first + o->ncand; j++)
		{
			Candidate  *c = &st->cands[j];

			if (c->capable && c->active && !c->suspended)
			{
				batch_pool(st, c->outlet_id, -1);
				batch_pool(st, c->outlet_id, o->kind_no);
			}
		}
	}

	/* Sorted lists of outlets and of (outlet, kind) pairs. */
	list = palloc(sizeof(BatchPool *) * Max(st->npools, 1));
	hash_seq_init(&seq, st->pools);
	while ((p = hash_seq_search(&seq)) != NULL)
		list[n++] = p;
	qsort(list, n, sizeof(BatchPool *), pool_key_cmp);
	out_ids = palloc(sizeof(int64) * Max(n, 1));
	kind_outlets = palloc(sizeof(int64) * Max(n, 1));
	kind_codes = palloc(sizeof(char *) * Max(n, 1));
	for (int i = 0; i < n; i++)
	{
		if (list[i]->key.kind_no < 0)
			out_ids[nout++] = list[i]->key.outlet_id;
		else
		{
			kind_outlets[nkind] = list[i]->key.outlet_id;
			kind_codes[nkind++] = st->kinds[list[i]->key.kind_no];
		}
	}
	if (nout == 0)
		return;

	batch_lock_outlets(st, out_ids, nout);

	/* Lock the totals, then the kinds, in outlet order; read the loads. */
	values[0] = showroom_int8_array(out_ids, nout);
	values[1] = DateADTGetDatum(st->day);
	nrows = dispatch_exec(PLAN_BATCH_LOCK_TOTAL, 2, types, values, NULL,
						  SPI_OK_INSERT_RETURNING);
	for (uint64 r = 0; r < nrows; r++)
	{
		p = batch_pool(st, DatumGetInt64(row_value(r, 1, NULL)), -1);
		p->load = DatumGetInt32(row_value(r, 2, NULL));
	}

	types[1] = TEXTARRAYOID;
	values[0] = showroom_int8_array(kind_outlets, nkind);
	values[1] = showroom_text_array(kind_codes, nkind);
	values[2] = DateADTGetDatum(st->day);
	nrows = dispatch_exec(PLAN_BATCH_LOCK_KIND, 3, types, values, NULL,
						  SPI_OK_INSERT_RETURNING);
	for (uint64 r = 0; r < nrows; r++)
	{
		p = batch_pool(st, DatumGetInt64(row_value(r, 1, NULL)),
					   batch_kind_no(st, row_text(r, 2)));
		p->load = DatumGetInt32(row_value(r, 3, NULL));
	}

	/* Capacities: the total of each outlet and the limit of each kind. */
	nrows = dispatch_exec(PLAN_BATCH_CAPACITY, 3, types, values, NULL,
						  SPI_OK_SELECT);
	for (uint64 r = 0; r < nrows; r++)
	{
		int64		outlet = DatumGetInt64(row_value(r, 1, NULL));
		bool		null;
		Datum		d;

		p = batch_pool(st, outlet, -1);
		p->capacity = DatumGetInt32(row_value(r, 3, NULL));
		p = batch_pool(st, outlet, batch_kind_no(st, row_text(r, 2)));
		d = row_value(r, 4, &null);
		p->limited = !null;
		p->capacity = null ? 0 : DatumGetInt32(d);
	}
}

/*
 * batch_rank
 *		Copy loads and capacities into every candidate and rank each order's
 *		candidates as single dispatch would.
 */
static void
batch_rank(BatchState *st)
{
	for (int i = 0; i < st->norders; i++)
	{
		BatchOrder *o = &st->orders[i];

		for (int j = o->first; j < o->first + o->ncand; j++)
		{
			Candidate  *c = &st->cands[j];
			BatchPool  *total;
			BatchPool  *kind;

			if (!(c->capable && c->active && !c->suspended))
				continue;
			total = batch_pool(st, c->outlet_id, -1);
			kind = batch_pool(st, c->outlet_id, o->kind_no);
			c->capacity = total->capacity;
			c->load = total->load;
			c->has_kind_limit = kind->limited;
			c->kind_limit = kind->capacity;
			c->kind_load = kind->load;
		}
		dispatch_rank(&st->cands[o->first], o->ncand, &st->w);
	}
}

/*
 * batch_solve
 *		Build the flow network (hub, orders, kind pools, outlet pools) and
 *		solve it; see flow.c for what the answer guarantees.  Sets each
 *		order's chosen candidate.
 */
static void
batch_solve(BatchState *st)
{
	FlowGraph  *g;
	HASH_SEQ_STATUS seq;
	BatchPool  *p;
	int			next = 1 + st->norders;
	int			maxrank = 1;
	int64		big;

	/* Number the pool nodes after the orders. */
	hash_seq_init(&seq, st->pools);
	while ((p = hash_seq_search(&seq)) != NULL)
		p->node = next++;
	for (int i = 0; i < st->norders; i++)
		maxrank = Max(maxrank, st->orders[i].ncand);
	big = (int64) (maxrank + 1) * (st->norders + 1);

	/* Arcs: hub -> order, order -> kind pool, kind -> outlet, outlet -> hub. */
	g = flow_create(next);
	st->cand_arc = palloc_extended(sizeof(int) * Max(st->ncands, 1),
								   MCXT_ALLOC_HUGE);
	for (int i = 0; i < st->norders; i++)
	{
		BatchOrder *o = &st->orders[i];

		o->hub_arc = flow_add_arc(g, 0, 1 + i, 1, 0);
		for (int j = o->first; j < o->first + o->ncand; j++)
		{
			Candidate  *c = &st->cands[j];

			st->cand_arc[j] = -1;
			if (c->reason != NULL)
				continue;
			p = batch_pool(st, c->outlet_id, o->kind_no);
			st->cand_arc[j] = flow_add_arc(g, 1 + i, p->node, 1,
										   (int64) (c->rank - 1) - big);
		}
	}
	hash_seq_init(&seq, st->pools);
	while ((p = hash_seq_search(&seq)) != NULL)
	{
		if (p->key.kind_no < 0)
			flow_add_arc(g, p->node, 0, Max(p->capacity - p->load, 0), 0);
		else
			flow_add_arc(g, p->node,
						 batch_pool(st, p->key.outlet_id, -1)->node,
						 p->limited ? Max(p->capacity - p->load, 0) :
						 st->norders, 0);
	}

	/* Offer the orders in id order. */
	flow_prepare(g);
	for (int i = 0; i < st->norders; i++)
		flow_push_through(g, 0, st->orders[i].hub_arc);

	for (int i = 0; i < st->norders; i++)
	{
		BatchOrder *o = &st->orders[i];

		for (int j = o->first; j < o->first + o->ncand; j++)
			if (st->cand_arc[j] >= 0 && flow_on_arc(g, st->cand_arc[j]) > 0)
				o->chosen = j;
	}
}

/*
 * batch_write
 *		Write the assignments, the new loads and the pending reasons, and
 *		queue the notifications.  Returns the number assigned.
 */
static int
batch_write(BatchState *st)
{
	int			na = 0;
	int			nu = 0;
	int64	   *a_order = palloc(sizeof(int64) * Max(st->norders, 1));
	int64	   *a_outlet = palloc(sizeof(int64) * Max(st->norders, 1));
	int32	   *a_rank = palloc(sizeof(int32) * Max(st->norders, 1));
	double	   *a_score = palloc(sizeof(double) * Max(st->norders, 1));
	char	  **a_kind = palloc(sizeof(char *) * Max(st->norders, 1));
	int32	   *a_eligible = palloc(sizeof(int32) * Max(st->norders, 1));
	int64	   *u_order = palloc(sizeof(int64) * Max(st->norders, 1));
	char	  **u_reason = palloc(sizeof(char *) * Max(st->norders, 1));

	for (int i = 0; i < st->norders; i++)
	{
		BatchOrder *o = &st->orders[i];
		Candidate  *slice = &st->cands[o->first];

		if (o->chosen >= 0)
		{
			Candidate  *c = &st->cands[o->chosen];

			a_order[na] = o->id;
			a_outlet[na] = c->outlet_id;
			a_rank[na] = c->rank;
			a_score[na] = c->score;
			a_kind[na] = st->kinds[o->kind_no];
			a_eligible[na] = 0;
			for (int j = 0; j < o->ncand; j++)
				if (slice[j].reason == NULL)
					a_eligible[na]++;
			na++;
			batch_pool(st, c->outlet_id, -1)->taken++;
			batch_pool(st, c->outlet_id, o->kind_no)->taken++;
			continue;
		}
		u_order[nu] = o->id;
		u_reason[nu++] = (char *) ((o->ncand > 0 && slice[0].reason == NULL) ?
								   REASON_FULL : nearest_miss(slice, o->ncand));
	}

	if (na > 0)
	{
		Oid			types[8] = {INT8ARRAYOID, INT8ARRAYOID, INT4ARRAYOID,
		FLOAT8ARRAYOID, TEXTARRAYOID, INT4ARRAYOID, DATEOID, BOOLOID};
		Datum		values[8];
		HASH_SEQ_STATUS seq;
		BatchPool  *p;
		int			nt = 0;
		int			nk = 0;
		int64	   *t_outlet = palloc(sizeof(int64) * st->npools);
		int32	   *t_n = palloc(sizeof(int32) * st->npools);
		int64	   *k_outlet = palloc(sizeof(int64) * st->npools);
		char	  **k_kind = palloc(sizeof(char *) * st->npools);
		int32	   *k_n = palloc(sizeof(int32) * st->npools);

		values[0] = showroom_int8_array(a_order, na);
		values[1] = showroom_int8_array(a_outlet, na);
		values[2] = showroom_int4_array(a_rank, na);
		values[3] = showroom_float8_array(a_score, na);
		values[4] = showroom_text_array(a_kind, na);
		values[5] = showroom_int4_array(a_eligible, na);
		values[6] = DateADTGetDatum(st->day);
		values[7] = BoolGetDatum(st->w.notify_relay);
		dispatch_exec(PLAN_BATCH_WRITE, 8, types, values, NULL,
					  SPI_OK_INSERT);

		/* Add what each pool took to its load row (locked earlier). */
		hash_seq_init(&seq, st->pools);
		while ((p = hash_seq_search(&seq)) != NULL)
		{
			if (p->taken == 0)
				continue;
			if (p->key.kind_no < 0)
			{
				t_outlet[nt] = p->key.outlet_id;
				t_n[nt++] = p->taken;
			}
			else
			{
				k_outlet[nk] = p->key.outlet_id;
				k_kind[nk] = st->kinds[p->key.kind_no];
				k_n[nk++] = p->taken;
			}
		}
		types[1] = INT4ARRAYOID;
		types[2] = DATEOID;
		values[0] = showroom_int8_array(t_outlet, nt);
		values[1] = showroom_int4_array(t_n, nt);
		values[2] = DateADTGetDatum(st->day);
		dispatch_exec(PLAN_BATCH_LOAD_TOTAL, 3, types, values, NULL,
					  SPI_OK_UPDATE);
		types[1] = TEXTARRAYOID;
		types[2] = INT4ARRAYOID;
		types[3] = DATEOID;
		values[1] = showroom_text_array(k_kind, nk);
		values[0] = showroom_int8_array(k_outlet, nk);
		values[2] = showroom_int4_array(k_n, nk);
		values[3] = DateADTGetDatum(st->day);
		dispatch_exec(PLAN_BATCH_LOAD_KIND, 4, types, values, NULL,
					  SPI_OK_UPDATE);

		if (st->w.notify_relay)
			relay_ensure();
		else
			for (int i = 0; i < na; i++)
				dispatch_notify(a_outlet[i], "assigned", a_order[i]);
	}

	if (nu > 0)
	{
		Oid			types[2] = {INT8ARRAYOID, TEXTARRAYOID};
		Datum		values[2];

		values[0] = showroom_int8_array(u_order, nu);
		values[1] = showroom_text_array(u_reason, nu);
		dispatch_exec(PLAN_BATCH_PENDING, 2, types, values, NULL,
					  SPI_OK_INSERT);
	}
	return na;
}

/*
 * showroom_dispatch_date
 *		dispatch_date(day): dispatch every requested, unassigned order of a
 *		date at once.  Returns (assigned, unassigned).
 *
 * The orders and the load rows of every outlet that could take them are
 * locked first (in id order), so the loads read are the loads written
 * over; a single dispatch of the same date waits for the batch to commit.
 */
PG_FUNCTION_INFO_V1(showroom_dispatch_date);
Datum
showroom_dispatch_date(PG_FUNCTION_ARGS)
{
	BatchState	st;
	HASHCTL		ctl;
	TupleDesc	tupdesc;
	Datum		result[2];
	bool		nulls[2] = {false, false};
	int			assigned;

	require_arg(fcinfo, 0, "date");
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "dispatch_date must return a record");

	memset(&st, 0, sizeof(st));
	st.day = PG_GETARG_DATEADT(0);
	showroom_check_day("day", st.day);

	SPI_connect();
	dispatch_read_weights(&st.w);

	ctl.keysize = sizeof(PoolKey);
	ctl.entrysize = sizeof(BatchPool);
	ctl.hcxt = CurrentMemoryContext;
	st.pools = hash_create("showroom batch pools", 1024, &ctl,
						   HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);

	batch_read_edges(&st);
	batch_read_capacity(&st);
	batch_rank(&st);
	batch_solve(&st);
	assigned = batch_write(&st);
	SPI_finish();

	result[0] = Int32GetDatum(assigned);
	result[1] = Int32GetDatum(st.norders - assigned);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc),
													  result, nulls)));
}
