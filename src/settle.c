/*-------------------------------------------------------------------------
 *
 * settle.c
 *	  Settlement runs: write each outlet's statement lines for a month.
 *
 * showroom.settle(period, outlet) opens the statements of the month
 * (one per outlet, or the one outlet asked for), locks the open ones
 * against closing, and then adds one line per component that is due and
 * not yet settled: the service fee of each completed order (tariff of its
 * kind and category on its completion date, by the spheroid distance from
 * the outlet's base, or the DC for deliveries, to the order's point), the
 * parts used on it, the penalties (complaints, late completion, second
 * deliveries the outlet caused), and the COD it collected and remitted.
 *
 * Every component is written by one set-based INSERT ... SELECT, and
 * the unique key (component, source_id) of statement_line makes a second
 * line for the same source impossible.  Runs take one transaction-level
 * advisory lock, so they follow one another; each also locks the open
 * statements it writes to (FOR UPDATE, in id order), so that closing waits
 * for the run.  Runs require READ COMMITTED, so that a run that waited
 * sees, with the fresh snapshot each statement takes, what the other run
 * wrote, instead of failing with a serialization error.
 *
 * The service fee, nearly all of a run's lines, skips orders that already
 * have a line with NOT EXISTS before pricing them, computes each order's
 * distance once, and inserts without ON CONFLICT (its speculative
 * insertion cost about a fifth of the plain insert); the other components
 * are few and keep ON CONFLICT DO NOTHING on the unique key.
 *
 * Work is done by the executor, so memory does not grow with the number
 * of orders; this file only sequences the statements, which are prepared
 * once per backend and kept (SPI_keepplan).  Each call's own allocations
 * live in the SPI procedure context, freed at SPI_finish.
 *
 * Sources are due up to the end of the period, not from its start: a row
 * that was missed by an earlier month (a completion recorded late) is
 * picked up by the next open one instead of being lost.
 *
 *-------------------------------------------------------------------------
 */
#include "showroom.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/guc.h"
#include "utils/tuplestore.h"

/* The statements of a run, in the order they run. */
typedef enum SettleStep
{
	STEP_CONTEXT,				/* the month, its end, zone, penalties */
	STEP_SERIALIZE,				/* one run at a time */
	STEP_OPEN_STATEMENTS,		/* insert missing statements of the month */
	STEP_LOCK_STATEMENTS,		/* FOR UPDATE on the open ones */
	STEP_START_RUN,				/* settlement_run row, returns its id */
	STEP_SERVICE_FEE,
	STEP_UNPRICED,				/* completed orders with no fee rule */
	STEP_PARTS,
	STEP_COMPLAINT,
	STEP_LATE,
	STEP_SECOND_DELIVERY,
	STEP_COD_COLLECTED,
	STEP_COD_REMITTED,
	STEP_FINISH_RUN,			/* lines_added of the run */
	STEP_RESULT,				/* one row per statement of the run */
	STEP_COUNT
} SettleStep;

/*
 * Every statement takes the same parameters, so that they share one
 * argument array: $1 period (date, first of month), $2 outlet id or NULL,
 * $3 run id, $4 end of the period (timestamptz), $5 business time zone,
 * $6 the penalty of the step (fen) or the lines added, $7 and $8 the
 * outlets and ids of the open statements the run locked.  The steps join
 * the sources to these arrays rather than to the statement table, whose
 * rows for the month were usually inserted by this very run and have no
 * statistics yet: the planner would take them for one row.
 */
#define SETTLE_NARGS 8

#define DONE_SO \
	" so.state IN ('done', 'return_visit', 'closed')" \
	" AND so.done_at < $4"

#define INSERT_LINE \
	"INSERT INTO showroom.statement_line" \
	" (statement_id, component, source_id, service_order_id, amount_fen," \
	" distance_m, note, run_id) "

/* A line already written for the same component and source is skipped. */
#define ONCE \
	" ON CONFLICT (component, source_id) WHERE component <> 'adjustment'" \
	" DO NOTHING"

static const char *const settle_sql[STEP_COUNT] = {
	[STEP_CONTEXT] =
	"SELECT m, (m + interval '1 month') AT TIME ZONE z, z,"
	" EXISTS (SELECT 1 FROM showroom.outlet WHERE id = $2),"
	" showroom.setting_value('settlement.complaint_penalty_fen')::bigint,"
	" showroom.setting_value('settlement.late_penalty_fen')::bigint,"
	" showroom.setting_value('settlement.second_delivery_penalty_fen')"
	"::bigint"
	" FROM (SELECT date_trunc('month', $1::timestamp) AS m,"
	" showroom.setting_value('business_time_zone') AS z) AS c",

	[STEP_SERIALIZE] =
	"SELECT pg_catalog.pg_advisory_xact_lock("
	"pg_catalog.hashtext('showroom.settle')::pg_catalog.int8)",

	[STEP_OPEN_STATEMENTS] =
	"INSERT INTO showroom.statement (outlet_id, period)"
	" SELECT o.id, $1 FROM showroom.outlet o"
	" WHERE $2::bigint IS NULL OR o.id = $2"
	" ORDER BY o.id"
	" ON CONFLICT (outlet_id, period) DO NOTHING",

	[STEP_LOCK_STATEMENTS] =
	"SELECT st.outlet_id, st.id FROM showroom.statement st"
	" WHERE st.period = $1 AND st.state = 'open'"
	" AND ($2::bigint IS NULL OR st.outlet_id = $2)"
	" ORDER BY st.id FOR UPDATE",

	[STEP_START_RUN] =
	"INSERT INTO showroom.settlement_run (period, outlet_id)"
	" VALUES ($1, $2) RETURNING id",

	[STEP_SERVICE_FEE] =
	INSERT_LINE
	"SELECT p.statement_id, 'service_fee', p.id, p.id,"
	" showroom.tariff_fee(p.tariff, p.m), round(p.m)::integer, p.note, $3"
	" FROM (SELECT q.statement_id, q.id, r.tariff,"
	" q.kind || '/' || q.category AS note,"
	" ST_DistanceSpheroid(q.origin, q.point,"
	" 'SPHEROID[\"WGS 84\",6378137,298.257223563]') AS m"
	" FROM (SELECT st.id AS statement_id, so.id, so.kind, so.category,"
	" so.point, so.done_at, coalesce(dc.location, o.base) AS origin"
	" FROM showroom.service_order so"
	" JOIN unnest($7::bigint[], $8::bigint[]) AS st(outlet_id, id)"
	" ON st.outlet_id = so.outlet_id"
	" JOIN showroom.outlet o ON o.id = so.outlet_id"
	" LEFT JOIN showroom.sales_order sa"
	" ON so.kind = 'delivery' AND sa.id = so.sales_order_id"
	" LEFT JOIN showroom.dc ON dc.id = sa.dc_id"
	" WHERE" DONE_SO
	" AND ($2::bigint IS NULL OR so.outlet_id = $2)"
	" AND NOT EXISTS (SELECT 1 FROM showroom.statement_line l"
	" WHERE l.component = 'service_fee' AND l.source_id = so.id)"
	" OFFSET 0) AS q"
	" JOIN showroom.fee_schedule f"
	" ON f.kind = q.kind AND f.category = q.category"
	" JOIN showroom.fee_rule r ON r.schedule_id = f.id"
	" AND r.valid @> (q.done_at AT TIME ZONE $5)::date"
	" OFFSET 0) AS p",

	[STEP_UNPRICED] =
	"SELECT count(*), min(so.id) FROM showroom.service_order so"
	" JOIN unnest($7::bigint[], $8::bigint[]) AS st(outlet_id, id)"
	" ON st.outlet_id = so.outlet_id"
	" WHERE" DONE_SO
	" AND ($2::bigint IS NULL OR so.outlet_id = $2)"
	" AND NOT EXISTS (SELECT 1 FROM showroom.fee_schedule f"
	" JOIN showroom.fee_rule r ON r.schedule_id = f.id"
	" WHERE f.kind = so.kind AND f.category = so.category"
	" AND r.valid @> (so.done_at AT TIME ZONE $5)::date)",

	[STEP_PARTS] =
	INSERT_LINE
	"SELECT st.id, 'parts', pu.id, so.id, pu.amount_fen, NULL,"
	" CASE WHEN pu.warranty THEN 'under warranty' END, $3"
	" FROM showroom.part_use pu"
	" JOIN showroom.service_order so ON so.id = pu.order_id"
	" JOIN unnest($7::bigint[], $8::bigint[]) AS st(outlet_id, id)"
	" ON st.outlet_id = so.outlet_id"
	" WHERE" DONE_SO
	" AND ($2::bigint IS NULL OR so.outlet_id = $2)"
	ONCE,

	[STEP_COMPLAINT] =
	INSERT_LINE
	"SELECT st.id, 'complaint_penalty', c.id, so.id, -$6::bigint, NULL,"
	" NULL, $3"
	" FROM showroom.complaint c"
	" JOIN showroom.service_order so ON so.id = c.order_id"
	" JOIN unnest($7::bigint[], $8::bigint[]) AS st(outlet_id, id)"
	" ON st.outlet_id = so.outlet_id"
	" WHERE c.state = 'upheld' AND c.resolved_at < $4"
	" AND ($2::bigint IS NULL OR so.outlet_id = $2)"
	ONCE,

	[STEP_LATE] =
	INSERT_LINE
	"SELECT st.id, 'late_penalty', so.id, so.id, -$6::bigint, NULL,"
	" NULL, $3"
	" FROM showroom.service_order so"
	" JOIN showroom.service_kind k ON k.code = so.kind"
	" JOIN unnest($7::bigint[], $8::bigint[]) AS st(outlet_id, id)"
	" ON st.outlet_id = so.outlet_id"
	" WHERE" DONE_SO
	" AND so.done_at > so.created_at"
	" + make_interval(hours => k.due_hours)"
	" AND ($2::bigint IS NULL OR so.outlet_id = $2)"
	ONCE,

	[STEP_SECOND_DELIVERY] =
	INSERT_LINE
	"SELECT st.id, 'second_delivery_penalty', d.id, NULL, -$6::bigint,"
	" NULL, 'defect ' || d.id, $3"
	" FROM showroom.defect d"
	" JOIN unnest($7::bigint[], $8::bigint[]) AS st(outlet_id, id)"
	" ON st.outlet_id = d.outlet_id"
	" WHERE d.responsible = 'outlet' AND d.found_at < $4"
	" AND ($2::bigint IS NULL OR d.outlet_id = $2)"
	ONCE,

	[STEP_COD_COLLECTED] =
	INSERT_LINE
	"SELECT st.id, 'cod_collected', c.id, NULL, -c.amount_fen, NULL,"
	" c.method, $3"
	" FROM showroom.cod_collection c"
	" JOIN unnest($7::bigint[], $8::bigint[]) AS st(outlet_id, id)"
	" ON st.outlet_id = c.outlet_id"
	" WHERE c.collected_at < $4"
	" AND ($2::bigint IS NULL OR c.outlet_id = $2)"
	ONCE,

	[STEP_COD_REMITTED] =
	INSERT_LINE
	"SELECT st.id, 'cod_remitted', r.id, NULL, r.amount_fen, NULL,"
	" r.reference, $3"
	" FROM showroom.cod_remittance r"
	" JOIN unnest($7::bigint[], $8::bigint[]) AS st(outlet_id, id)"
	" ON st.outlet_id = r.outlet_id"
	" WHERE r.remitted_at < $4"
	" AND ($2::bigint IS NULL OR r.outlet_id = $2)"
	ONCE,

	[STEP_FINISH_RUN] =
	"UPDATE showroom.settlement_run SET lines_added = $6 WHERE id = $3",

	[STEP_RESULT] =
	"SELECT st.outlet_id, st.id,"
	" count(l.id) FILTER (WHERE l.run_id = $3),"
	" showroom.fen_to_yuan(coalesce(sum(l.amount_fen), 0)::bigint)"
	" FROM showroom.statement st"
	" LEFT JOIN showroom.statement_line l ON l.statement_id = st.id"
	" WHERE st.period = $1 AND st.state = 'open'"
	" AND ($2::bigint IS NULL OR st.outlet_id = $2)"
	" GROUP BY st.outlet_id, st.id ORDER BY st.outlet_id",
};

/* The STEP_CONTEXT column holding each penalty step's amount, else 0. */
static const int settle_penalty[STEP_COUNT] = {
	[STEP_COMPLAINT] = 5,
	[STEP_LATE] = 6,
	[STEP_SECOND_DELIVERY] = 7,
};

/*
 * Steps planned with nested loops off.  They read every completed order
 * of the scope, and hash joins read each table once whatever the
 * statistics of the tables this run has just written say; nested loops
 * planned on such statistics were seen to repeat an index scan of the
 * orders once per outlet.  The service fee's NOT EXISTS becomes a hash
 * anti-join, which never probes the line table row by row.  JIT is off
 * too: past its cost threshold (about 700,000 orders) it added some 60 MB
 * of compiler memory to the backend and saved no time.
 */
static const bool settle_hash_only[STEP_COUNT] = {
	[STEP_SERVICE_FEE] = true,
	[STEP_UNPRICED] = true,
	[STEP_LATE] = true,
};

/* Read-only steps that may use parallel workers. */
static const bool settle_parallel[STEP_COUNT] = {
	[STEP_UNPRICED] = true,
	[STEP_RESULT] = true,
};

/* Prepared once per backend, kept across calls. */
static SPIPlanPtr settle_plans[STEP_COUNT];

/*
 * settle_prepare
 *		Prepare and keep the plans of every step, on the first call of the
 *		backend.
 */
static void
settle_prepare(void)
{
	Oid			types[SETTLE_NARGS] = {DATEOID, INT8OID, INT8OID,
	TIMESTAMPTZOID, TEXTOID, INT8OID, INT8ARRAYOID, INT8ARRAYOID};
	int			i;

	for (i = 0; i < STEP_COUNT; i++)
	{
		SPIPlanPtr	plan;

		if (settle_plans[i] != NULL)
			continue;
		plan = SPI_prepare_cursor(settle_sql[i], SETTLE_NARGS, types,
								  settle_parallel[i] ?
								  CURSOR_OPT_PARALLEL_OK : 0);
		if (plan == NULL)
			elog(ERROR, "could not prepare settlement step %d: %s", i,
				 SPI_result_code_string(SPI_result));
		SPI_keepplan(plan);
		settle_plans[i] = plan;
	}
}

/*
 * settle_run_step
 *		Execute one prepared step with the shared arguments; returns the
 *		number of rows it processed.  A step of settle_hash_only runs with
 *		enable_nestloop and jit off, restored when the step ends (or by the
 *		abort).
 */
static uint64
settle_run_step(SettleStep step, Datum *values, const char *nulls,
				int expected)
{
	int			rc;
	int			nestlevel = 0;

	if (settle_hash_only[step])
	{
		nestlevel = NewGUCNestLevel();
		(void) set_config_option("enable_nestloop", "off", PGC_USERSET,
								 PGC_S_SESSION, GUC_ACTION_SAVE, true, 0,
								 false);
		(void) set_config_option("jit", "off", PGC_USERSET,
								 PGC_S_SESSION, GUC_ACTION_SAVE, true, 0,
								 false);
	}

	rc = SPI_execute_plan(settle_plans[step], values, nulls, false, 0);
	if (rc != expected)
		elog(ERROR, "settlement step %d failed: %s", (int) step,
			 SPI_result_code_string(rc));

	if (settle_hash_only[step])
		AtEOXact_GUC(true, nestlevel);
	return SPI_processed;
}

/*
 * settle_unpriced
 *		Tell the user about completed orders in the run's scope that have no
 *		fee rule in force for their kind, category and completion date: the
 *		run leaves them unsettled, and a later run settles them once a rule
 *		exists.
 */
static void
settle_unpriced(Datum *values, const char *nulls)
{
	bool		isnull;
	int64		n;
	int64		first;

	settle_run_step(STEP_UNPRICED, values, nulls, SPI_OK_SELECT);
	n = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0],
									SPI_tuptable->tupdesc, 1, &isnull));
	first = n > 0 ? DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0],
												SPI_tuptable->tupdesc, 2,
												&isnull)) : 0;
	if (n > 0)
		ereport(NOTICE,
				(errcode(ERRCODE_SR_NO_FEE_RULE),
				 errmsg("%lld completed service orders have no fee rule in force and are not settled",
						(long long) n),
				 errdetail("The first is service order %lld.", (long long) first),
				 errhint("Add a fee rule with showroom.add_fee_rule(); the next run settles them.")));
	SPI_freetuptable(SPI_tuptable);
}

/*
 * settle_lock_statements
 *		Lock the open statements of the run's scope and put their outlets
 *		and ids into $7 and $8, as two bigint arrays allocated in the SPI
 *		procedure context; returns how many there are.
 */
static uint64
settle_lock_statements(Datum *values, char *nulls)
{
	uint64		n;
	Datum	   *outlets;
	Datum	   *ids;
	uint64		i;
	bool		isnull;

	n = settle_run_step(STEP_LOCK_STATEMENTS, values, nulls, SPI_OK_SELECT);
	outlets = palloc(sizeof(Datum) * (n + 1));
	ids = palloc(sizeof(Datum) * (n + 1));
	for (i = 0; i < n; i++)
	{
		outlets[i] = SPI_getbinval(SPI_tuptable->vals[i],
								   SPI_tuptable->tupdesc, 1, &isnull);
		ids[i] = SPI_getbinval(SPI_tuptable->vals[i],
							   SPI_tuptable->tupdesc, 2, &isnull);
	}

	values[6] = PointerGetDatum(construct_array(outlets, (int) n, INT8OID,
												sizeof(int64), true,
												TYPALIGN_DOUBLE));
	values[7] = PointerGetDatum(construct_array(ids, (int) n, INT8OID,
												sizeof(int64), true,
												TYPALIGN_DOUBLE));
	nulls[6] = nulls[7] = ' ';
	return n;
}

/*
 * settle
 *		SQL: showroom.settle(period date, outlet_id bigint DEFAULT NULL)
 *		returns (outlet_id, statement_id, lines_added, total) for each open
 *		statement of the month settled.  period may be any day of the month.
 */
PG_FUNCTION_INFO_V1(settle);
Datum
settle(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Datum		values[SETTLE_NARGS];
	char		nulls[SETTLE_NARGS + 1] = "        ";
	Datum		context[7];
	bool		isnull;
	uint64		added = 0;
	uint64		i;
	int			step;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("settlement period must not be null")));
	if (IsolationUsesXactSnapshot())
		ereport(ERROR,
				(errcode(ERRCODE_ACTIVE_SQL_TRANSACTION),
				 errmsg("settlement runs must be in a READ COMMITTED transaction"),
				 errdetail("A run waits for concurrent runs of the same statements and must then see their lines."),
				 errhint("Run showroom.settle() outside REPEATABLE READ and SERIALIZABLE transactions.")));
	InitMaterializedSRF(fcinfo, 0);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	settle_prepare();

	/*
	 * The month and its end (midnight in the business time zone), the zone,
	 * whether the outlet asked for exists, and the penalties.  SPI keeps
	 * each result until SPI_finish, so these Datums stay valid.
	 */
	values[0] = PG_GETARG_DATUM(0);
	values[1] = PG_ARGISNULL(1) ? (Datum) 0 : PG_GETARG_DATUM(1);
	nulls[1] = PG_ARGISNULL(1) ? 'n' : ' ';
	for (i = 2; i < SETTLE_NARGS; i++)
	{
		values[i] = (Datum) 0;
		nulls[i] = 'n';
	}
	settle_run_step(STEP_CONTEXT, values, nulls, SPI_OK_SELECT);
	for (i = 0; i < lengthof(context); i++)
		context[i] = SPI_getbinval(SPI_tuptable->vals[0],
								   SPI_tuptable->tupdesc, (int) i + 1,
								   &isnull);
	values[0] = DirectFunctionCall1(timestamp_date, context[0]);
	values[3] = context[1];
	values[4] = context[2];
	nulls[3] = nulls[4] = ' ';

	/* One outlet asked for: it must exist, and its month must be open. */
	if (!PG_ARGISNULL(1) && !DatumGetBool(context[3]))
		ereport(ERROR,
				(errcode(ERRCODE_SR_UNKNOWN_OUTLET),
				 errmsg("unknown outlet %lld",
						(long long) DatumGetInt64(values[1]))));

	/*
	 * One run at a time, whatever its month and outlet: two runs of
	 * different months may both find an order completed late, and the
	 * second must see the first's line to skip it.
	 */
	settle_run_step(STEP_SERIALIZE, values, nulls, SPI_OK_SELECT);

	/* Open the month's statements and keep them from being closed. */
	settle_run_step(STEP_OPEN_STATEMENTS, values, nulls, SPI_OK_INSERT);
	if (settle_lock_statements(values, nulls) == 0 && !PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_SR_PERIOD_CLOSED),
				 errmsg("settlement period is closed for outlet %lld",
						(long long) DatumGetInt64(values[1])),
				 errdetail("The statement of the month beginning %s is closed.",
						   DatumGetCString(DirectFunctionCall1(date_out,
															   values[0]))),
				 errhint("Settle the next open month; corrections go there with showroom.adjust_line().")));

	/* The run's own row, whose id marks the lines it writes. */
	settle_run_step(STEP_START_RUN, values, nulls, SPI_OK_INSERT_RETURNING);
	values[2] = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc,
							  1, &isnull);
	nulls[2] = ' ';

	/* Each component, exactly once per source row. */
	for (step = STEP_SERVICE_FEE; step <= STEP_COD_REMITTED; step++)
	{
		if (step == STEP_UNPRICED)
		{
			settle_unpriced(values, nulls);
			continue;
		}
		if (settle_penalty[step] != 0)
		{
			values[5] = context[settle_penalty[step] - 1];
			nulls[5] = ' ';
		}
		added += settle_run_step(step, values, nulls, SPI_OK_INSERT);
	}

	/* Record the count, then report each statement of the run. */
	values[5] = Int64GetDatum((int64) added);
	nulls[5] = ' ';
	settle_run_step(STEP_FINISH_RUN, values, nulls, SPI_OK_UPDATE);
	settle_run_step(STEP_RESULT, values, nulls, SPI_OK_SELECT);
	for (i = 0; i < SPI_processed; i++)
	{
		Datum		row[4];
		bool		rnulls[4];
		int			c;

		for (c = 0; c < 4; c++)
			row[c] = SPI_getbinval(SPI_tuptable->vals[i],
								   SPI_tuptable->tupdesc, c + 1, &rnulls[c]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, row, rnulls);
	}

	SPI_finish();
	return (Datum) 0;
}
