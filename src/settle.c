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
 * deliveries the outlet caused), the COD it collected and remitted, the
 * fee model's per-order amounts (showroom.outlet_amount) and ladder
 * deposits, and adjustments for those of them that changed once settled.
 *
 * The service fee, nearly all of a run's lines, is priced here in C: one
 * cursor reads the completed orders that have no fee line yet; the fee
 * rules, the outlets' bases and the DCs are read once per run into hash
 * tables and arrays; each order's distance comes from spheroid.c (no
 * PostGIS call per order) and its fee from the rule's tariff, unpacked
 * once per rule.  An order done later than its kind's due hours gets its
 * late penalty in the same pass, and an outlet with a grade its grade cut
 * of the fee (showroom.outlet_grade.cut_pct); an order left unpaid by a
 * standing incident (showroom.unpaid_orders) gets no fee.  The lines go into statement_line through
 * PostgreSQL's COPY machinery (CopyFrom, fed binary rows by a callback),
 * which inserts them in batches, with the table's indexes, constraints and
 * insert trigger, and without a per-row SPI call.  Every other component
 * is one INSERT ... SELECT ... ON CONFLICT DO NOTHING, listed in
 * settle_components[]; adding a component is adding a row there.
 *
 * The unique key (component, source_id) of statement_line makes a second
 * line for the same source impossible.  Runs take one transaction-level
 * advisory lock, so they follow one another; each also locks the open
 * statements it writes to (FOR UPDATE, in id order), so that closing waits
 * for the run.  Runs require READ COMMITTED, so that a run that waited
 * sees, with the fresh snapshot each statement takes, what the other run
 * wrote, instead of failing with a serialization error.
 *
 * Memory does not grow with the number of orders: the cursor is run
 * SETTLE_BATCH rows at a time into a receiver that prices each row as the
 * executor hands it over (no copy of the rows), the batch's lines are
 * encoded into one buffer reused for the next batch, and COPY flushes its
 * own buffers every thousand rows.  Plans are prepared once per backend
 * and kept (SPI_keepplan).  Each call's own allocations (the statements,
 * the rule and place tables, the buffer) live in the SPI procedure
 * context, freed at SPI_finish.
 *
 * Sources are due up to the end of the period, not from its start: a row
 * that was missed by an earlier month (a completion recorded late) is
 * picked up by the next open one instead of being lost.
 *
 *-------------------------------------------------------------------------
 */
#include "showroom.h"

#include "access/table.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "commands/copy.h"
#include "common/hashfn.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "optimizer/optimizer.h"
#include "parser/parse_relation.h"
#include "pgtime.h"
#include "tcop/pquery.h"
#include "port/pg_bswap.h"
#include "rewrite/rowsecurity.h"
#include "spheroid.h"
#include "tariff.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/guc.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/rls.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

/* Orders read from the cursor, and encoded, per batch. */
#define SETTLE_BATCH 2000

/*
 * Every statement takes the same parameters, so that they share one
 * argument array: $1 period (date, first of month), $2 outlet id or NULL,
 * $3 run id, $4 end of the period (timestamptz), $5 business time zone,
 * $6 the amount of the component (fen, from its setting), $7 and $8 the
 * outlets and ids of the open statements the run locked.  The steps join
 * the sources to these arrays rather than to the statement table, whose
 * rows for the month were usually inserted by this very run and have no
 * statistics yet: the planner would take them for one row.
 */
#define SETTLE_NARGS 8

/* A service order that is done and was done before the period's end. */
#define DONE_SO \
	" so.state IN ('done', 'return_visit', 'closed')" \
	" AND so.done_at < $4"

/*
 * The completed service order of a part use or complaint, looked up by its
 * key (LIMIT keeps the planner from reading every order instead: these
 * rows are few next to the orders).
 */
#define ORDER_OF(id) \
	" (SELECT so.id, so.outlet_id FROM showroom.service_order so" \
	" WHERE so.id = " id " AND" DONE_SO " LIMIT 1) "

/* The source row has no line of the component yet. */
#define UNSETTLED(component, id) \
	" NOT EXISTS (SELECT 1 FROM showroom.statement_line l" \
	" WHERE l.component = '" component "' AND l.source_id = " id ")"

/*
 * A per-order amount of the fee model (showroom.outlet_amount) of one
 * component, due (its due_on) by the end of the period.  The order is the
 * source: an order has at most one row per component.
 */
#define OUTLET_AMOUNT(component) \
	{component, NULL, \
		"SELECT a.outlet_id, a.service_order_id, a.service_order_id," \
		" a.amount_fen, a.note FROM showroom.outlet_amount a" \
		" WHERE a.component = '" component "'" \
		" AND a.due_on < ($1 + interval '1 month')::date" \
		" AND" UNSETTLED(component, "a.service_order_id")}

/*
 * A component other than the service fee: the SELECT of its due lines not
 * yet settled, as (outlet_id, source_id, service_order_id, amount_fen,
 * note), and the setting that gives $6, its fixed amount, if it has one.
 * The run joins the lines to the statements it locked, by outlet, and
 * inserts them with ON CONFLICT DO NOTHING on the unique key, which keeps
 * a source settled once whatever the SELECT.  To add a component: add its
 * row here, its name to the CHECK of statement_line.component, and a
 * sentence to doc/settlement.md.
 */
typedef struct SettleComponent
{
	const char *name;			/* statement_line.component */
	const char *setting;		/* setting read into $6, or NULL */
	const char *select;			/* the due lines, see above */
} SettleComponent;

static const SettleComponent settle_components[] = {
	{"parts", NULL,
		"SELECT so.outlet_id, pu.id, so.id, pu.amount_fen,"
		" CASE WHEN pu.warranty THEN 'under warranty' END"
		" FROM showroom.part_use pu"
		" JOIN LATERAL" ORDER_OF("pu.order_id") "so ON true"
		" WHERE" UNSETTLED("parts", "pu.id")},
	{"complaint_penalty", "settlement.complaint_penalty_fen",
		"SELECT so.outlet_id, c.id, so.id, -$6::bigint, NULL"
		" FROM showroom.complaint c"
		" JOIN LATERAL" ORDER_OF("c.order_id") "so ON true"
		" WHERE c.state = 'upheld' AND c.resolved_at < $4"
		" AND" UNSETTLED("complaint_penalty", "c.id")},
	{"second_delivery_penalty", "settlement.second_delivery_penalty_fen",
		"SELECT d.outlet_id, d.id, NULL::bigint, -$6::bigint,"
		" 'defect ' || d.id"
		" FROM showroom.defect d"
		" WHERE d.responsible = 'outlet' AND d.found_at < $4"
		" AND" UNSETTLED("second_delivery_penalty", "d.id")},
	{"cod_collected", NULL,
		"SELECT c.outlet_id, c.id, NULL::bigint, -c.amount_fen, c.method"
		" FROM showroom.cod_collection c"
		" WHERE c.collected_at < $4"
		" AND" UNSETTLED("cod_collected", "c.id")},
	{"cod_remitted", NULL,
		"SELECT r.outlet_id, r.id, NULL::bigint, r.amount_fen, r.reference"
		" FROM showroom.cod_remittance r"
		" WHERE r.remitted_at < $4"
		" AND" UNSETTLED("cod_remitted", "r.id")},
	OUTLET_AMOUNT("fee_items"),
	OUTLET_AMOUNT("penalty"),
	OUTLET_AMOUNT("unpaid_redo"),
	OUTLET_AMOUNT("grade_cut"),
	OUTLET_AMOUNT("deposit_withheld"),
	OUTLET_AMOUNT("deposit_released"),
	{"ladder_deposit", NULL,
		"SELECT s.outlet_id, s.id, NULL::bigint, -s.deposit_fen, s.reason"
		" FROM showroom.ladder_suspension s"
		" WHERE s.deposit_fen > 0 AND s.state <> 'reversed'"
		" AND s.since < $4"
		" AND" UNSETTLED("ladder_deposit", "s.id")},

	/*
	 * Adjustments, last, so that they see the lines written above: each
	 * settled line of an outlet amount or a ladder deposit whose source
	 * now says another amount (the row changed, was removed, or the
	 * suspension was reversed) gets the difference.  Only the run's own
	 * adjustments (run_id set) count towards what is settled, so that a
	 * correction entered by hand with adjust_line() stands.  The source id
	 * of an adjustment is the line it adjusts.  A line of a later month
	 * than the run's is left to that month's run.
	 *
	 * XXX: a row moved to another outlet after it was settled is compared
	 * by amount only: its line stays with the first outlet, and the new
	 * outlet gets no line (the unique key holds one per order and
	 * component).  Finance corrects such a move by hand with adjust_line().
	 */
	{"adjustment", NULL,
		"SELECT st.outlet_id, l.id, l.service_order_id,"
		" d.due - l.amount_fen - coalesce(adj.fen, 0),"
		" 'source changed: ' || l.component"
		" FROM showroom.statement_line l"
		" JOIN showroom.statement st ON st.id = l.statement_id"
		" CROSS JOIN LATERAL (SELECT CASE WHEN l.component = 'ladder_deposit'"
		" THEN (SELECT CASE WHEN s.state = 'reversed' THEN 0"
		" ELSE -s.deposit_fen END"
		" FROM showroom.ladder_suspension s WHERE s.id = l.source_id)"
		" ELSE coalesce((SELECT a.amount_fen FROM showroom.outlet_amount a"
		" WHERE a.service_order_id = l.source_id"
		" AND a.component = l.component), 0) END AS due) d"
		" CROSS JOIN LATERAL (SELECT sum(x.amount_fen)::bigint AS fen"
		" FROM showroom.statement_line x"
		" WHERE x.adjusts_line_id = l.id AND x.run_id IS NOT NULL) adj"
		" WHERE l.component IN ('fee_items', 'penalty', 'unpaid_redo',"
		" 'grade_cut', 'deposit_withheld', 'deposit_released',"
		" 'ladder_deposit')"
		" AND st.period <= $1"
		" AND d.due <> l.amount_fen + coalesce(adj.fen, 0)"},
};

#define SETTLE_NCOMPONENTS lengthof(settle_components)

/* The fixed statements of a run, in the order they run. */
typedef enum SettleStep
{
	STEP_CONTEXT,				/* the month, its end, zone, outlet known */
	STEP_SERIALIZE,				/* one run at a time */
	STEP_OPEN_STATEMENTS,		/* insert missing statements of the month */
	STEP_LOCK_STATEMENTS,		/* FOR UPDATE on the open ones */
	STEP_TOTALS,				/* each one's total before the run */
	STEP_START_RUN,				/* settlement_run row, returns its id */
	STEP_RULES,					/* every fee rule, by kind and category */
	STEP_BASES,					/* the base of each statement's outlet */
	STEP_DCS,					/* every DC's location */
	STEP_ORDERS,				/* the cursor of orders to price */
	STEP_FINISH_RUN,			/* lines_added of the run */
	STEP_COUNT
} SettleStep;

static const char *const settle_sql[STEP_COUNT] = {
	[STEP_CONTEXT] =
	"SELECT m, (m + interval '1 month') AT TIME ZONE z, z,"
	" EXISTS (SELECT 1 FROM showroom.outlet WHERE id = $2)"
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

	[STEP_TOTALS] =
	"SELECT l.statement_id, sum(l.amount_fen)::bigint"
	" FROM showroom.statement_line l"
	" WHERE l.statement_id = ANY ($8::bigint[])"
	" GROUP BY l.statement_id",

	[STEP_START_RUN] =
	"INSERT INTO showroom.settlement_run (period, outlet_id)"
	" VALUES ($1, $2) RETURNING id",

	[STEP_RULES] =
	"SELECT f.kind, f.category, k.due_hours, lower(r.valid),"
	" coalesce(upper(r.valid), 'infinity'::date), r.tariff"
	" FROM showroom.fee_schedule f"
	" JOIN showroom.service_kind k ON k.code = f.kind"
	" JOIN showroom.fee_rule r ON r.schedule_id = f.id"
	" ORDER BY f.id, lower(r.valid)",

	[STEP_BASES] =
	"SELECT st.ord, o.base, (coalesce(g.cut_pct, 0) * 100)::int4"
	" FROM unnest($7::bigint[], $8::bigint[]) WITH ORDINALITY"
	" AS st(outlet_id, id, ord)"
	" JOIN showroom.outlet o ON o.id = st.outlet_id"
	" LEFT JOIN showroom.outlet_grade g ON g.outlet_id = st.outlet_id",

	[STEP_DCS] =
	"SELECT dc.id, dc.location FROM showroom.dc",

	/*
	 * Completed orders of the locked statements without a fee line, with
	 * the statement's position in $8 (1-based), what prices them (kind,
	 * category, completion time, point, and the DC of a delivery), the
	 * time it was asked for, and whether it has no late penalty line yet.
	 * An order the outlet must redo through its own fault (a standing
	 * incident that leaves it unpaid, as showroom.unpaid_orders lists
	 * them; the incident table is read directly, as a hash anti-join) is
	 * not paid, and waits here until the incident is reversed.
	 * TODO: an incident recorded after the order's fee was settled does
	 * not take that fee back; it needs an adjustment like the fee-model
	 * components get, but one that a correction by hand (adjust_line on
	 * the fee) does not confuse.  Until then finance adjusts it by hand.
	 * The fee rule, the outlet's base, the DC's location and the kind's
	 * due hours are looked up in C, from tables read once per run.
	 */
	[STEP_ORDERS] =
	"SELECT st.ord, so.id, so.kind, so.category, so.point, so.done_at,"
	" so.created_at, sa.dc_id, ll.id IS NULL"
	" FROM showroom.service_order so"
	" JOIN unnest($7::bigint[], $8::bigint[]) WITH ORDINALITY"
	" AS st(outlet_id, id, ord) ON st.outlet_id = so.outlet_id"
	" LEFT JOIN showroom.sales_order sa"
	" ON so.kind = 'delivery' AND sa.id = so.sales_order_id"
	" LEFT JOIN showroom.statement_line ll"
	" ON ll.component = 'late_penalty' AND ll.source_id = so.id"
	" WHERE" DONE_SO
	" AND ($2::bigint IS NULL OR so.outlet_id = $2)"
	" AND NOT EXISTS (SELECT 1 FROM showroom.statement_line l"
	" WHERE l.component = 'service_fee' AND l.source_id = so.id)"
	" AND NOT EXISTS (SELECT 1 FROM showroom.incident i"
	" WHERE i.service_order_id = so.id AND i.state = 'standing'"
	" AND i.unpaid)",

	[STEP_FINISH_RUN] =
	"UPDATE showroom.settlement_run SET lines_added = $6 WHERE id = $3",
};

/*
 * Steps planned with nested loops off.  The order cursor reads every
 * completed order of the scope, and hash joins read each table once
 * whatever the statistics of the tables this run has just written say;
 * nested loops planned on such statistics were seen to repeat an index
 * scan of the orders once per outlet.  Its NOT EXISTS becomes a hash
 * anti-join, which never probes the line table row by row.
 */
static const bool settle_hash_only[STEP_COUNT] = {
	[STEP_ORDERS] = true,
};

/* Prepared once per backend, kept across calls. */
static SPIPlanPtr settle_plans[STEP_COUNT];
static SPIPlanPtr settle_component_plans[SETTLE_NCOMPONENTS];
static SPIPlanPtr settle_setting_plan;

/* The open statements of the run and what the run adds to each. */
typedef struct SettleStatements
{
	int			n;
	Datum	   *outlet;			/* outlet of each, in statement id order */
	Datum	   *id;				/* statement ids, ascending */
	int64	   *lines;			/* lines this run added */
	int64	   *total_fen;		/* sum of all its lines */
} SettleStatements;

/* A fee rule, as the pricing loop needs it. */
typedef struct SettleRule
{
	DateADT		from;			/* first business date in force */
	DateADT		to;				/* first date no longer in force */
	TariffSchedule schedule;	/* its tariff, unpacked */
} SettleRule;

/* The rules of one service kind and product category. */
typedef struct SettleSchedule
{
	uint64		key;			/* hash key: settle_schedule_key() */
	text	   *kind;
	text	   *category;
	char	   *note;			/* the lines' note, "kind/category" */
	int			note_len;
	int64		due_usecs;		/* the kind's due time */
	int			nrules;
	int			maxrules;		/* allocated length of rules */
	SettleRule *rules;			/* in order of validity */
} SettleSchedule;

/* A point the pricing loop measures from, read once per run. */
typedef struct SettlePlace
{
	int64		id;				/* hash key for DCs: dc.id */
	bool		ok;				/* a point in SRID 4326 */
	double		lon;
	double		lat;
	int32		cut_bp;			/* bases: the outlet's grade cut, in
								 * hundredths of a percent */
} SettlePlace;

/*
 * The state of the service-fee COPY, shared with its data callback (which
 * takes no argument of ours).  Set by settle_service_fees for the length
 * of one CopyFrom.
 */
typedef struct SettleCopy
{
	Portal		cursor;			/* the orders to price */
	int64		late_fen;		/* the late penalty (positive) */
	HTAB	   *schedules;		/* SettleSchedule by kind and category */
	SettlePlace *bases;			/* outlet base by statement position */
	HTAB	   *dcs;			/* SettlePlace by DC id */
	pg_tz	   *zone;			/* business time zone, or NULL */
	Datum		zone_name;		/* its name (text) */
	SettleStatements *stmts;
	int64		run_id;
	StringInfoData buf;			/* encoded rows not yet handed over */
	int			pos;			/* first byte of buf not handed over */
	bool		eof;			/* the trailer is in buf */
	int64		lines;			/* service-fee lines encoded */
	int64		unpriced;		/* orders without a fee rule */
	int64		first_unpriced; /* the smallest of them */
} SettleCopy;

static SettleCopy *settle_copy;

/* The columns the service fee COPY fills, in the order it sends them. */
static const char *const settle_copy_columns[] = {
	"statement_id", "component", "source_id", "service_order_id",
	"amount_fen", "distance_m", "note", "run_id"
};

/*
 * settle_prepare
 *		Prepare and keep the plans of every step and component, on the
 *		first call of the backend.
 */
static void
settle_prepare(void)
{
	Oid			types[SETTLE_NARGS] = {DATEOID, INT8OID, INT8OID,
	TIMESTAMPTZOID, TEXTOID, INT8OID, INT8ARRAYOID, INT8ARRAYOID};
	Oid			text_type = TEXTOID;
	int			i;

	for (i = 0; i < STEP_COUNT; i++)
	{
		if (settle_plans[i] == NULL)
			settle_plans[i] = showroom_prepare_kept(settle_sql[i],
													SETTLE_NARGS, types,
													CURSOR_OPT_NO_SCROLL);
	}

	/* Each component's insert, with the count and sum per statement. */
	for (i = 0; i < (int) SETTLE_NCOMPONENTS; i++)
	{
		const SettleComponent *c = &settle_components[i];
		char	   *sql;

		if (settle_component_plans[i] != NULL)
			continue;
		sql = psprintf("WITH ins AS (INSERT INTO showroom.statement_line"
					   " (statement_id, component, source_id,"
					   " service_order_id, amount_fen, note, run_id,"
					   " adjusts_line_id)"
					   " SELECT st.id, '%s', c.source_id,"
					   " c.service_order_id, c.amount_fen, c.note, $3, %s"
					   " FROM (%s OFFSET 0) AS c(outlet_id, source_id,"
					   " service_order_id, amount_fen, note)"
					   " JOIN unnest($7::bigint[], $8::bigint[])"
					   " AS st(outlet_id, id) ON st.outlet_id = c.outlet_id"
					   " ON CONFLICT (component, source_id)"
					   " WHERE component <> 'adjustment' DO NOTHING"
					   " RETURNING statement_id, amount_fen)"
					   " SELECT statement_id, count(*),"
					   " sum(amount_fen)::bigint"
					   " FROM ins GROUP BY statement_id",
					   c->name,
					   strcmp(c->name, "adjustment") == 0 ?
					   "c.source_id" : "NULL::bigint",
					   c->select);
		settle_component_plans[i] = showroom_prepare_kept(sql, SETTLE_NARGS,
														  types, 0);
		pfree(sql);
	}

	if (settle_setting_plan == NULL)
	{
		settle_setting_plan =
			showroom_prepare_kept("SELECT showroom.setting_value($1)::bigint",
								  1, &text_type, 0);
	}
}

/*
 * settle_hash_guc
 *		For a step of settle_hash_only, turn nested loops off until
 *		settle_hash_guc_end (or the abort); returns the GUC nest level to
 *		pass there, or 0 for other steps.
 */
static int
settle_hash_guc(SettleStep step)
{
	int			nestlevel;

	if (!settle_hash_only[step])
		return 0;
	nestlevel = NewGUCNestLevel();
	(void) set_config_option("enable_nestloop", "off", PGC_USERSET,
							 PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
	return nestlevel;
}

/*
 * settle_hash_guc_end
 *		Restore what settle_hash_guc changed, given its result.
 */
static void
settle_hash_guc_end(int nestlevel)
{
	if (nestlevel != 0)
		AtEOXact_GUC(true, nestlevel);
}

/*
 * settle_run_step
 *		Execute one prepared step with the shared arguments; returns the
 *		number of rows it processed.
 */
static uint64
settle_run_step(SettleStep step, Datum *values, const char *nulls,
				int expected)
{
	int			rc;
	int			nestlevel = settle_hash_guc(step);

	rc = SPI_execute_plan(settle_plans[step], values, nulls, false, 0);
	if (rc != expected)
		elog(ERROR, "settlement step %d failed: %s", (int) step,
			 SPI_result_code_string(rc));
	settle_hash_guc_end(nestlevel);
	return SPI_processed;
}

/*
 * settle_setting
 *		The value in force of a bigint setting (an amount in fen).
 */
static int64
settle_setting(const char *name)
{
	Datum		arg = CStringGetTextDatum(name);
	bool		isnull;
	Datum		value;

	if (SPI_execute_plan(settle_setting_plan, &arg, NULL, true, 1) !=
		SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "could not read setting %s", name);
	value = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1,
						  &isnull);
	if (isnull)
		elog(ERROR, "setting %s has no value", name);
	return DatumGetInt64(value);
}

/*
 * settle_statement_index
 *		The position in stmts of the statement with this id (ids are in
 *		ascending order), by binary search.
 */
static int
settle_statement_index(const SettleStatements *stmts, int64 id)
{
	int			lo = 0;
	int			hi = stmts->n - 1;

	while (lo <= hi)
	{
		int			mid = lo + (hi - lo) / 2;
		int64		here = DatumGetInt64(stmts->id[mid]);

		if (here == id)
			return mid;
		if (here < id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	elog(ERROR, "statement %lld is not one of the run's",
		 (long long) id);
	return -1;					/* keep the compiler quiet */
}

/*
 * settle_add_counts
 *		Add the (statement_id, lines, sum) rows of SPI_tuptable to stmts,
 *		then free the table; returns the lines added.
 */
static int64
settle_add_counts(SettleStatements *stmts)
{
	int64		added = 0;
	uint64		i;
	bool		isnull;

	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		int			k;
		int64		lines;

		k = settle_statement_index(stmts,
								   DatumGetInt64(SPI_getbinval(tup, desc, 1,
															   &isnull)));
		lines = DatumGetInt64(SPI_getbinval(tup, desc, 2, &isnull));
		stmts->lines[k] += lines;
		stmts->total_fen[k] += DatumGetInt64(SPI_getbinval(tup, desc, 3,
														   &isnull));
		added += lines;
	}
	SPI_freetuptable(SPI_tuptable);
	return added;
}

/*
 * settle_lock_statements
 *		Lock the open statements of the run's scope, put their outlets and
 *		ids into $7 and $8 (two bigint arrays in the SPI procedure context),
 *		and read each one's total so far; returns them.
 */
static SettleStatements *
settle_lock_statements(Datum *values, char *nulls)
{
	SettleStatements *stmts = palloc0(sizeof(SettleStatements));
	uint64		n;
	uint64		i;
	bool		isnull;

	n = settle_run_step(STEP_LOCK_STATEMENTS, values, nulls, SPI_OK_SELECT);
	stmts->n = (int) n;
	stmts->outlet = palloc(sizeof(Datum) * (n + 1));
	stmts->id = palloc(sizeof(Datum) * (n + 1));
	stmts->lines = palloc0(sizeof(int64) * (n + 1));
	stmts->total_fen = palloc0(sizeof(int64) * (n + 1));
	for (i = 0; i < n; i++)
	{
		stmts->outlet[i] = SPI_getbinval(SPI_tuptable->vals[i],
										 SPI_tuptable->tupdesc, 1, &isnull);
		stmts->id[i] = SPI_getbinval(SPI_tuptable->vals[i],
									 SPI_tuptable->tupdesc, 2, &isnull);
	}

	values[6] = PointerGetDatum(construct_array(stmts->outlet, (int) n,
												INT8OID, sizeof(int64), true,
												TYPALIGN_DOUBLE));
	values[7] = PointerGetDatum(construct_array(stmts->id, (int) n, INT8OID,
												sizeof(int64), true,
												TYPALIGN_DOUBLE));
	nulls[6] = nulls[7] = ' ';

	/* The totals so far: the lines of earlier runs and adjustments. */
	settle_run_step(STEP_TOTALS, values, nulls, SPI_OK_SELECT);
	for (i = 0; i < SPI_processed; i++)
	{
		int64		id = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[i],
													 SPI_tuptable->tupdesc,
													 1, &isnull));

		stmts->total_fen[settle_statement_index(stmts, id)] =
			DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[i],
										SPI_tuptable->tupdesc, 2, &isnull));
	}
	SPI_freetuptable(SPI_tuptable);
	return stmts;
}

/*
 * settle_point
 *		The lon/lat of a geometry(Point, 4326) value, read from PostGIS's
 *		serialized form (version 2, as PostGIS 3 writes it, or version 1)
 *		without calling PostGIS.  False if the value is not one non-empty
 *		point in SRID 4326.
 */
static bool
settle_point(Datum geom, double *lon, double *lat)
{
	struct varlena *v = pg_detoast_datum_packed((struct varlena *)
												DatumGetPointer(geom));
	const uint8 *p = (const uint8 *) VARDATA_ANY(v);
	Size		size = VARSIZE_ANY_EXHDR(v);
	uint8		flags;
	int32		srid;
	Size		off = 4;
	uint32		type;
	uint32		npoints;
	int			ndims;

	if (size < 8)
		return false;
	srid = (p[0] << 16) | (p[1] << 8) | p[2];
	flags = p[3];
	ndims = 2 + (flags & 0x01) + ((flags & 0x02) >> 1);

	/* Version 2 may carry 8 bytes of extended flags; then a bounding box. */
	if ((flags & 0x40) && (flags & 0x10))
		off += 8;
	if (flags & 0x04)
		off += ((flags & 0x08) ? 3 : ndims) * 2 * sizeof(float);
	if (srid != 4326 || size < off + 8 + ndims * sizeof(double))
		return false;
	memcpy(&type, p + off, sizeof(uint32));
	memcpy(&npoints, p + off + 4, sizeof(uint32));
	if (type != 1 || npoints != 1)
		return false;
	memcpy(lon, p + off + 8, sizeof(double));
	memcpy(lat, p + off + 8 + sizeof(double), sizeof(double));
	return true;
}

/*
 * settle_schedule_key
 *		The hash key of a kind and category: two 32-bit hashes side by side.
 *		A schedule found by key is still compared by its strings.
 */
static uint64
settle_schedule_key(const text *kind, const text *category)
{
	return ((uint64) hash_bytes((const unsigned char *) VARDATA_ANY(kind),
								VARSIZE_ANY_EXHDR(kind)) << 32) |
		hash_bytes((const unsigned char *) VARDATA_ANY(category),
				   VARSIZE_ANY_EXHDR(category));
}

/* Whether two text values are byte for byte equal. */
static bool
settle_text_eq(const text *a, const text *b)
{
	return VARSIZE_ANY_EXHDR(a) == VARSIZE_ANY_EXHDR(b) &&
		memcmp(VARDATA_ANY(a), VARDATA_ANY(b), VARSIZE_ANY_EXHDR(a)) == 0;
}

/*
 * settle_load_rules
 *		Every fee rule, grouped by kind and category with the kind's due
 *		hours, its tariff unpacked, in a hash table allocated in the current
 *		(SPI procedure) context.
 */
static HTAB *
settle_load_rules(Datum *values, const char *nulls)
{
	HASHCTL		ctl;
	HTAB	   *schedules;
	uint64		i;
	bool		isnull;

	ctl.keysize = sizeof(uint64);
	ctl.entrysize = sizeof(SettleSchedule);
	ctl.hcxt = CurrentMemoryContext;
	schedules = hash_create("settlement fee schedules", 64, &ctl,
							HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);

	settle_run_step(STEP_RULES, values, nulls, SPI_OK_SELECT);
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		text	   *kind = DatumGetTextPP(SPI_getbinval(tup, desc, 1, &isnull));
		text	   *category = DatumGetTextPP(SPI_getbinval(tup, desc, 2,
															&isnull));
		uint64		key = settle_schedule_key(kind, category);
		bool		found;
		SettleSchedule *sch = hash_search(schedules, &key, HASH_ENTER,
										  &found);
		SettleRule *rule;

		if (!found)
		{
			sch->kind = kind;
			sch->category = category;
			sch->note = psprintf("%s/%s", text_to_cstring(kind),
								 text_to_cstring(category));
			sch->note_len = (int) strlen(sch->note);
			sch->due_usecs = DatumGetInt32(SPI_getbinval(tup, desc, 3,
														 &isnull)) *
				USECS_PER_HOUR;
			sch->nrules = 0;
			sch->maxrules = 4;
			sch->rules = palloc(sizeof(SettleRule) * sch->maxrules);
		}
		else if (!settle_text_eq(sch->kind, kind) ||
				 !settle_text_eq(sch->category, category))
			elog(ERROR, "fee schedules %s and %s/%s share a hash key",
				 sch->note, text_to_cstring(kind), text_to_cstring(category));
		if (sch->nrules == sch->maxrules)
		{
			sch->maxrules *= 2;
			sch->rules = repalloc(sch->rules,
								  sizeof(SettleRule) * sch->maxrules);
		}
		rule = &sch->rules[sch->nrules++];
		rule->from = DatumGetDateADT(SPI_getbinval(tup, desc, 4, &isnull));
		rule->to = DatumGetDateADT(SPI_getbinval(tup, desc, 5, &isnull));
		tariff_datum_schedule(SPI_getbinval(tup, desc, 6, &isnull),
							  &rule->schedule);
	}
	return schedules;
}

/*
 * settle_load_places
 *		The base of each statement's outlet, by position, into c->bases,
 *		and every DC's location into c->dcs.
 */
static void
settle_load_places(SettleCopy *c, Datum *values, const char *nulls)
{
	HASHCTL		ctl;
	uint64		i;
	bool		isnull;

	c->bases = palloc0(sizeof(SettlePlace) * (c->stmts->n + 1));
	settle_run_step(STEP_BASES, values, nulls, SPI_OK_SELECT);
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		int64		ord = DatumGetInt64(SPI_getbinval(tup, desc, 1, &isnull));
		SettlePlace *p = &c->bases[ord - 1];

		p->ok = settle_point(SPI_getbinval(tup, desc, 2, &isnull),
							 &p->lon, &p->lat);
		p->cut_bp = DatumGetInt32(SPI_getbinval(tup, desc, 3, &isnull));
	}

	ctl.keysize = sizeof(int64);
	ctl.entrysize = sizeof(SettlePlace);
	ctl.hcxt = CurrentMemoryContext;
	c->dcs = hash_create("settlement DCs", 16, &ctl,
						 HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	settle_run_step(STEP_DCS, values, nulls, SPI_OK_SELECT);
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		int64		id = DatumGetInt64(SPI_getbinval(tup, SPI_tuptable->tupdesc,
													 1, &isnull));
		SettlePlace *p = hash_search(c->dcs, &id, HASH_ENTER, NULL);

		p->ok = settle_point(SPI_getbinval(tup, SPI_tuptable->tupdesc, 2,
										   &isnull), &p->lon, &p->lat);
	}
}

/*
 * settle_business_date
 *		The date of a time in the business time zone, as
 *		(t AT TIME ZONE zone)::date computes it.
 */
static DateADT
settle_business_date(SettleCopy *c, TimestampTz t)
{
	struct pg_tm tm;
	fsec_t		fsec;
	int			tzoff;
	Datum		local;

	/* A zone pg_tzset does not know (an abbreviation): as SQL does it. */
	if (c->zone == NULL)
	{
		local = DirectFunctionCall2(timestamptz_zone, c->zone_name,
									TimestampTzGetDatum(t));
		return DatumGetDateADT(DirectFunctionCall1(timestamp_date, local));
	}
	if (timestamp2tm(t, &tzoff, &tm, &fsec, NULL, c->zone) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	return date2j(tm.tm_year, tm.tm_mon, tm.tm_mday) - POSTGRES_EPOCH_JDATE;
}

/*
 * settle_find_rule
 *		The rule in force for a kind and category on a business date, and
 *		its schedule in *sch; NULL if there is none.
 */
static SettleRule *
settle_find_rule(SettleCopy *c, const text *kind, const text *category,
				 DateADT day, SettleSchedule **sch)
{
	uint64		key = settle_schedule_key(kind, category);
	int			i;

	*sch = hash_search(c->schedules, &key, HASH_FIND, NULL);
	if (*sch == NULL || !settle_text_eq((*sch)->kind, kind) ||
		!settle_text_eq((*sch)->category, category))
		return NULL;
	for (i = 0; i < (*sch)->nrules; i++)
	{
		SettleRule *r = &(*sch)->rules[i];

		if (r->from <= day && day < r->to)
			return r;
	}
	return NULL;
}

/*
 * settle_put_int8, settle_put_int4, settle_put_text
 *		Append one field of a COPY binary row to buf: its length, then its
 *		value, both in network byte order.
 */
static void
settle_put_int8(StringInfo buf, int64 value)
{
	uint32		len = pg_hton32(8);
	uint64		v = pg_hton64((uint64) value);

	appendBinaryStringInfoNT(buf, (char *) &len, 4);
	appendBinaryStringInfoNT(buf, (char *) &v, 8);
}

static void
settle_put_int4(StringInfo buf, int32 value)
{
	uint32		len = pg_hton32(4);
	uint32		v = pg_hton32((uint32) value);

	appendBinaryStringInfoNT(buf, (char *) &len, 4);
	appendBinaryStringInfoNT(buf, (char *) &v, 4);
}

static void
settle_put_text(StringInfo buf, const char *text, int len)
{
	uint32		n = pg_hton32((uint32) len);

	appendBinaryStringInfoNT(buf, (char *) &n, 4);
	appendBinaryStringInfoNT(buf, text, len);
}

/*
 * settle_put_line
 *		Append one COPY binary row, in the order of settle_copy_columns, and
 *		count it for statement number ord (1-based).
 */
static void
settle_put_line(SettleCopy *c, int64 ord, const char *component,
				int64 order_id, int64 amount_fen, int32 metres,
				const char *note, int note_len)
{
	int16		nfields = (int16) pg_hton16(lengthof(settle_copy_columns));
	int32		null_field = (int32) pg_hton32(-1);

	appendBinaryStringInfoNT(&c->buf, (char *) &nfields, 2);
	settle_put_int8(&c->buf, DatumGetInt64(c->stmts->id[ord - 1]));
	settle_put_text(&c->buf, component, (int) strlen(component));
	settle_put_int8(&c->buf, order_id);
	settle_put_int8(&c->buf, order_id);
	settle_put_int8(&c->buf, amount_fen);
	if (metres >= 0)
		settle_put_int4(&c->buf, metres);
	else
		appendBinaryStringInfoNT(&c->buf, (char *) &null_field, 4);
	if (note != NULL)
		settle_put_text(&c->buf, note, note_len);
	else
		appendBinaryStringInfoNT(&c->buf, (char *) &null_field, 4);
	settle_put_int8(&c->buf, c->run_id);

	c->stmts->lines[ord - 1]++;
	c->stmts->total_fen[ord - 1] += amount_fen;
	c->lines++;
}

/*
 * settle_price_order
 *		Price one row of the order cursor (values and nulls as its columns)
 *		and append its fee line, its grade cut line when its outlet has a
 *		cut, and its late penalty line when it was late, to the COPY buffer; or count the order as unpriced when no rule is
 *		in force.  An order's late penalty is settled with its fee, so an
 *		unpriced order is neither paid nor penalised until a rule exists.
 */
static void
settle_price_order(SettleCopy *c, const Datum *v, const bool *n)
{
	int64		ord = DatumGetInt64(v[0]);
	int64		order_id = DatumGetInt64(v[1]);
	TimestampTz done_at = DatumGetTimestampTz(v[5]);
	SettleSchedule *sch;
	SettleRule *rule;
	SettlePlace *from;
	double		lon,
				lat,
				metres;
	int64		fee;

	rule = settle_find_rule(c, DatumGetTextPP(v[2]), DatumGetTextPP(v[3]),
							settle_business_date(c, done_at), &sch);
	if (rule == NULL)
	{
		if (c->unpriced == 0 || order_id < c->first_unpriced)
			c->first_unpriced = order_id;
		c->unpriced++;
		return;
	}

	/* From the DC for a delivery of a sales order, else the base. */
	if (!n[7])
	{
		int64		dc_id = DatumGetInt64(v[7]);

		from = hash_search(c->dcs, &dc_id, HASH_FIND, NULL);
		if (from == NULL)
			elog(ERROR, "DC %lld vanished during the run", (long long) dc_id);
	}
	else
		from = &c->bases[ord - 1];

	/* The distance, on the spheroid, rounded to the metre once. */
	if (!from->ok || !settle_point(v[4], &lon, &lat) ||
		!spheroid_distance_m(from->lon, from->lat, lon, lat, &metres))
		ereport(ERROR,
				(errcode(ERRCODE_SR_NO_DISTANCE),
				 errmsg("no distance for service order %lld",
						(long long) order_id),
				 errdetail("Its point or its outlet's base (or DC) is empty, not in SRID 4326, or on the far side of the globe."),
				 errhint("Correct the point of the order or of the outlet's base.")));
	metres = floor(metres + 0.5);
	if (!tariff_fee(&rule->schedule, (int64_t) metres, &fee))
		elog(ERROR, "checked tariff has no band for %g metres", metres);

	settle_put_line(c, ord, "service_fee", order_id, fee, (int32) metres,
					sch->note, sch->note_len);

	/*
	 * The outlet's grade cut of the fee, rounded half up once; the base
	 * holds the cut of the statement's outlet.
	 */
	if (c->bases[ord - 1].cut_bp > 0 && fee > 0)
	{
		int32		bp = c->bases[ord - 1].cut_bp;
		int64		cut = (fee * bp + 5000) / 10000;
		char		note[48];
		int			len;

		len = snprintf(note, sizeof(note), "grade cut %d.%02d%%",
					   bp / 100, bp % 100);
		if (cut > 0)
			settle_put_line(c, ord, "service_grade_cut", order_id, -cut, -1,
							note, len);
	}
	if (!n[8] && DatumGetBool(v[8]) &&
		done_at > DatumGetTimestampTz(v[6]) + sch->due_usecs)
		settle_put_line(c, ord, "late_penalty", order_id, -c->late_fen, -1,
						NULL, 0);
}

/* The order cursor's receiver: each row is priced as it arrives. */
typedef struct SettleReceiver
{
	DestReceiver pub;
	SettleCopy *copy;
} SettleReceiver;

/*
 * settle_receive
 *		The receiver's per-row callback: price the row in the slot.
 */
static bool
settle_receive(TupleTableSlot *slot, DestReceiver *self)
{
	slot_getallattrs(slot);
	settle_price_order(((SettleReceiver *) self)->copy, slot->tts_values,
					   slot->tts_isnull);
	return true;
}

/* The receiver needs no set-up or clean-up of its own. */
static void
settle_receive_startup(DestReceiver *self, int operation, TupleDesc desc)
{
}

static void
settle_receive_nothing(DestReceiver *self)
{
}

/*
 * settle_copy_read
 *		CopyFrom's data source: copy up to maxread bytes of encoded lines
 *		into outbuf, running the order cursor for the next batch, priced
 *		row by row as the executor hands them over (no copy of the rows),
 *		when the buffer runs dry; returns the bytes copied, 0 once all are
 *		sent.
 */
static int
settle_copy_read(void *outbuf, int minread, int maxread)
{
	SettleCopy *c = settle_copy;
	int			done = 0;

	while (done < maxread)
	{
		int			have = c->buf.len - c->pos;

		if (have == 0)
		{
			SettleReceiver dest;

			if (c->eof)
				break;
			resetStringInfo(&c->buf);
			c->pos = 0;
			memset(&dest, 0, sizeof(dest));
			dest.pub.receiveSlot = settle_receive;
			dest.pub.rStartup = settle_receive_startup;
			dest.pub.rShutdown = settle_receive_nothing;
			dest.pub.rDestroy = settle_receive_nothing;
			dest.pub.mydest = DestNone;
			dest.copy = c;
			if (PortalRunFetch(c->cursor, FETCH_FORWARD, SETTLE_BATCH,
							   &dest.pub) == 0)
			{
				int16		trailer = (int16) pg_hton16(-1);

				appendBinaryStringInfoNT(&c->buf, (char *) &trailer, 2);
				c->eof = true;
			}
			continue;
		}
		if (have > maxread - done)
			have = maxread - done;
		memcpy((char *) outbuf + done, c->buf.data + c->pos, have);
		c->pos += have;
		done += have;
		if (done >= minread && c->pos == c->buf.len)
			break;
	}
	return done;
}

/*
 * settle_check_rls
 *		COPY applies no row-level security, so check here what an INSERT
 *		would: when policies apply to the caller, their checks on a new
 *		line must be true for every line (as showroom's own are), else
 *		refuse the run rather than write lines they might not admit.
 */
static void
settle_check_rls(Relation rel, List *rtable, RangeTblEntry *rte)
{
	Query	   *query;
	List	   *quals = NIL;
	List	   *checks = NIL;
	bool		has_rls;
	bool		has_sublinks;
	ListCell   *lc;

	if (check_enable_rls(RelationGetRelid(rel), InvalidOid, false) !=
		RLS_ENABLED)
		return;
	query = makeNode(Query);
	query->commandType = CMD_INSERT;
	query->resultRelation = 1;
	query->rtable = rtable;
	get_row_security_policies(query, rte, 1, &quals, &checks, &has_rls,
							  &has_sublinks);
	foreach(lc, checks)
	{
		WithCheckOption *wco = lfirst_node(WithCheckOption, lc);
		Node	   *qual = eval_const_expressions(NULL, wco->qual);

		if (IsA(qual, Const) && !((Const *) qual)->constisnull &&
			DatumGetBool(((Const *) qual)->constvalue))
			continue;
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("row-level security on statement_line does not admit every line for role %s",
						GetUserNameFromId(GetUserId(), false)),
				 errdetail("Policy check on statement_line: %s.",
						   wco->polname ? wco->polname :
						   "no policy grants INSERT"),
				 errhint("Settlement runs need a policy admitting every new line, such as WITH CHECK (true).")));
	}
}

/*
 * settle_service_fees
 *		Price every completed order of the run's statements that has no fee
 *		line yet and write the lines through COPY; returns the lines
 *		written.  Orders without a fee rule in force are left for a later
 *		run and reported in a NOTICE.
 */
static int64
settle_service_fees(Datum *values, const char *nulls,
					SettleStatements *stmts)
{
	SettleCopy	c;
	Relation	rel;
	ParseState *pstate;
	ParseNamespaceItem *nsitem;
	List	   *columns = NIL;
	CopyFromState cstate;
	MemoryContext caller = CurrentMemoryContext;
	int			nestlevel;
	int			i;

	memset(&c, 0, sizeof(c));
	c.stmts = stmts;
	c.schedules = settle_load_rules(values, nulls);
	settle_load_places(&c, values, nulls);
	c.zone_name = values[4];
	c.zone = pg_tzset(TextDatumGetCString(values[4]));
	c.run_id = DatumGetInt64(values[2]);
	c.late_fen = settle_setting("settlement.late_penalty_fen");
	initStringInfo(&c.buf);

	/* The header of COPY's binary format: signature, flags, extension. */
	appendBinaryStringInfo(&c.buf, "PGCOPY\n\377\r\n\0", 11);
	appendBinaryStringInfo(&c.buf, "\0\0\0\0\0\0\0\0", 8);

	/* The orders, planned with hash joins only. */
	nestlevel = settle_hash_guc(STEP_ORDERS);
	c.cursor = SPI_cursor_open(NULL, settle_plans[STEP_ORDERS], values,
							   nulls, false);
	settle_hash_guc_end(nestlevel);
	MemoryContextSwitchTo(caller);

	/* The target as COPY sees it, with the caller's rights checked. */
	rel = table_open(get_relname_relid("statement_line",
									   get_namespace_oid("showroom", false)),
					 RowExclusiveLock);
	pstate = make_parsestate(NULL);
	nsitem = addRangeTableEntryForRelation(pstate, rel, RowExclusiveLock,
										   NULL, false, false);
	nsitem->p_rte->requiredPerms = ACL_INSERT;
	for (i = 0; i < (int) lengthof(settle_copy_columns); i++)
	{
		AttrNumber	attno = attnameAttNum(rel, settle_copy_columns[i], false);

		columns = lappend(columns, makeString(pstrdup(settle_copy_columns[i])));
		nsitem->p_rte->insertedCols =
			bms_add_member(nsitem->p_rte->insertedCols,
						   attno - FirstLowInvalidHeapAttributeNumber);
	}
	ExecCheckRTPerms(pstate->p_rtable, true);
	settle_check_rls(rel, pstate->p_rtable, nsitem->p_rte);

	/* Run it with a snapshot that sees the run's earlier steps. */
	CommandCounterIncrement();
	PushActiveSnapshot(GetTransactionSnapshot());
	settle_copy = &c;
	cstate = BeginCopyFrom(pstate, rel, NULL, NULL, false, settle_copy_read,
						   columns,
						   list_make1(makeDefElem("format",
												  (Node *) makeString("binary"),
												  -1)));
	(void) CopyFrom(cstate);
	EndCopyFrom(cstate);
	settle_copy = NULL;
	PopActiveSnapshot();
	CommandCounterIncrement();
	table_close(rel, NoLock);
	SPI_cursor_close(c.cursor);
	MemoryContextSwitchTo(caller);

	if (c.unpriced > 0)
		ereport(NOTICE,
				(errcode(ERRCODE_SR_NO_FEE_RULE),
				 errmsg("%lld completed service orders have no fee rule in force and are not settled",
						(long long) c.unpriced),
				 errdetail("The first is service order %lld.",
						   (long long) c.first_unpriced),
				 errhint("Add a fee rule with showroom.add_fee_rule(); the next run settles them.")));
	return c.lines;
}

/*
 * settle_components_run
 *		Write the lines of every component but the service fee, adding what
 *		each writes to stmts; returns the lines written.
 */
static int64
settle_components_run(Datum *values, char *nulls, SettleStatements *stmts)
{
	int64		added = 0;
	int			i;

	for (i = 0; i < (int) SETTLE_NCOMPONENTS; i++)
	{
		const SettleComponent *c = &settle_components[i];
		int			rc;

		/* $6: the component's amount from its setting, if it has one. */
		values[5] = (Datum) 0;
		nulls[5] = 'n';
		if (c->setting != NULL)
		{
			values[5] = Int64GetDatum(settle_setting(c->setting));
			nulls[5] = ' ';
		}

		rc = SPI_execute_plan(settle_component_plans[i], values, nulls,
							  false, 0);
		if (rc != SPI_OK_SELECT)
			elog(ERROR, "settlement component %s failed: %s", c->name,
				 SPI_result_code_string(rc));
		added += settle_add_counts(stmts);
	}
	return added;
}

/*
 * settle_yuan
 *		An amount in fen as numeric(14,2) yuan.
 */
static Datum
settle_yuan(int64 fen)
{
	uint64		mag = fen < 0 ? -(uint64) fen : (uint64) fen;
	char		buf[32];

	snprintf(buf, sizeof(buf), "%s%llu.%02llu", fen < 0 ? "-" : "",
			 (unsigned long long) (mag / 100),
			 (unsigned long long) (mag % 100));
	return DirectFunctionCall3(numeric_in, CStringGetDatum(buf),
							   ObjectIdGetDatum(InvalidOid),
							   Int32GetDatum(((14 << 16) | 2) + VARHDRSZ));
}

/* qsort comparator: statement positions by their outlet ids. */
static const SettleStatements *settle_sort_stmts;

static int
settle_by_outlet(const void *a, const void *b)
{
	int64		x = DatumGetInt64(settle_sort_stmts->outlet[*(const int *) a]);
	int64		y = DatumGetInt64(settle_sort_stmts->outlet[*(const int *) b]);

	return (x > y) - (x < y);
}

/*
 * settle_result
 *		One result row per statement of the run, by outlet: outlet,
 *		statement, the lines the run added, and its total in yuan.
 */
static void
settle_result(ReturnSetInfo *rsinfo, SettleStatements *stmts)
{
	int		   *order = palloc(sizeof(int) * (stmts->n + 1));
	int			i;

	for (i = 0; i < stmts->n; i++)
		order[i] = i;
	settle_sort_stmts = stmts;
	qsort(order, stmts->n, sizeof(int), settle_by_outlet);
	for (i = 0; i < stmts->n; i++)
	{
		int			k = order[i];
		Datum		row[4];
		bool		rnulls[4] = {false, false, false, false};

		row[0] = stmts->outlet[k];
		row[1] = stmts->id[k];
		row[2] = Int64GetDatum(stmts->lines[k]);
		row[3] = settle_yuan(stmts->total_fen[k]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, row, rnulls);
	}
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
	Datum		context[4];
	SettleStatements *stmts;
	bool		isnull;
	int64		added;
	uint64		i;
	int			jit_level;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("settlement period must not be null")));
	showroom_check_day("period", PG_GETARG_DATEADT(0));
	if (IsolationUsesXactSnapshot())
		ereport(ERROR,
				(errcode(ERRCODE_ACTIVE_SQL_TRANSACTION),
				 errmsg("settlement runs must be in a READ COMMITTED transaction"),
				 errdetail("A run waits for concurrent runs of the same statements and must then see their lines."),
				 errhint("Run showroom.settle() outside REPEATABLE READ and SERIALIZABLE transactions.")));
	InitMaterializedSRF(fcinfo, 0);

	/*
	 * No JIT for the whole run: its statements are planned at costs past
	 * the JIT thresholds, where compiling took longer than running (the
	 * insert trigger's query took 0.2 s to compile for a few thousand
	 * lines) and added some 60 MB of compiler memory to the backend.
	 */
	jit_level = NewGUCNestLevel();
	(void) set_config_option("jit", "off", PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	settle_prepare();

	/*
	 * The month and its end (midnight in the business time zone), the zone,
	 * and whether the outlet asked for exists.  SPI keeps each result until
	 * SPI_finish, so these Datums stay valid.
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
	stmts = settle_lock_statements(values, nulls);
	if (stmts->n == 0 && !PG_ARGISNULL(1))
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
	added = 0;
	if (stmts->n > 0)
	{
		added += settle_service_fees(values, nulls, stmts);
		added += settle_components_run(values, nulls, stmts);
	}

	/* Record the count, then report each statement of the run. */
	values[5] = Int64GetDatum(added);
	nulls[5] = ' ';
	settle_run_step(STEP_FINISH_RUN, values, nulls, SPI_OK_UPDATE);
	settle_result(rsinfo, stmts);

	SPI_finish();
	AtEOXact_GUC(true, jit_level);
	return (Datum) 0;
}
