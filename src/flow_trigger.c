/*-------------------------------------------------------------------------
 *
 * flow_trigger.c
 *	  The two triggers on showroom.service_order that guard and record
 *	  every state change of a service order, in C.
 *
 * service_order_check_move (BEFORE UPDATE, for each row) refuses a move
 * that the transition table in force does not allow, or that the current
 * role may not make, or that lacks what the transition requires; then it
 * stamps the order.  service_order_log_move (AFTER UPDATE, for each
 * statement) appends each moved order's next row to the hash-chained
 * trail showroom.service_trail, all of a statement's rows in one INSERT:
 * a batch that moves thousands of orders starts one statement, not one
 * per order.
 *
 * They were PL/pgSQL calling SQL functions (transitions_in_force,
 * may_act_as, trail_hash); those carry SET search_path, so they are never
 * inlined and each call re-read and re-planned them.  Here every query is
 * an SPI plan prepared once per backend and kept, and the role check uses
 * the server's own membership cache (is_member_of_role, which is flushed
 * whenever pg_auth_members or pg_authid change).
 *
 * Both functions are declared with SET search_path = pg_catalog, pg_temp,
 * so the plans are made, and every later call finds, that one path: no
 * schema of the caller's can lend them an operator or a function, and the
 * plan cache, which re-plans a statement whenever the search path differs
 * from the one it was planned under, keeps them.  Every query runs as the current role, like the PL/pgSQL did: the
 * caller's privileges and row-level security apply to service_transition
 * and service_trail.
 *
 * The transition is looked up once per statement and pair of states (see
 * transition_lookup), so a change of the table committed by an
 * administrator is seen by the next statement that moves an order.
 *
 *-------------------------------------------------------------------------
 */
#include "showroom.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/pg_collation.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "storage/proc.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/guc.h"
#include "utils/timestamp.h"

/*
 * The transition in force for one move: the query of the view
 * service_transitions (and of transitions_in_force()), narrowed to one
 * pair.  Keep the three alike.
 */
static const char *const transition_sql =
"SELECT t.label, t.roles, t.requires, t.result_under"
"  FROM showroom.service_transition t"
" WHERE t.from_state = $1 AND t.to_state = $2 AND t.enabled"
"   AND (NOT t.builtin"
"        OR NOT EXISTS (SELECT 1 FROM showroom.service_transition o"
"                        WHERE NOT o.builtin AND o.from_state = t.from_state"
"                          AND o.to_state = t.to_state))";

/* The hint of a refused move: the moves in force from the order's state. */
static const char *const allowed_sql =
"SELECT showroom.allowed_moves($1)";

/* A result code given with a move must exist and lie in the branch. */
static const char *const check_code_sql =
"SELECT showroom.check_code($1, replace($2, ':kind', $3), 'result code')";

/*
 * The next trail row of every order whose state the statement changed,
 * chained to the order's last one.  moved_old and moved_new are the
 * statement's transition tables.  The hash is the expression of
 * showroom.trail_hash() written out, so that it is planned once with this
 * statement instead of once per row; keep the two alike (verify_trail()
 * recomputes every hash with trail_hash(), and the workflow_trail test
 * runs it after moves made by these triggers).  One statement moves an
 * order at most once, so the orders' last rows are all read before any
 * new one is written.
 */
static const char *const log_sql =
"WITH m AS ("
"  SELECT n.id AS order_id, o.state::text AS from_state,"
"         n.state::text AS to_state,"
"         coalesce(n.outlet_id, o.outlet_id) AS outlet_id"
"    FROM moved_new n JOIN moved_old o ON o.id = n.id"
"   WHERE o.state IS DISTINCT FROM n.state),"
" r AS ("
"  SELECT nextval('showroom.service_trail_id_seq'::regclass) AS id,"
"         m.order_id, coalesce(l.seq, 0) + 1 AS seq,"
"         m.from_state, m.to_state, m.outlet_id, current_user AS db_role,"
"         $1::text AS person, now() AS at, $2::text AS result_code,"
"         $3::text AS note, l.hash AS prev_hash"
"    FROM m LEFT JOIN LATERAL ("
"      SELECT t.seq, t.hash FROM showroom.service_trail t"
"       WHERE t.order_id = m.order_id ORDER BY t.seq DESC LIMIT 1) l ON true)"
" INSERT INTO showroom.service_trail"
"   (id, order_id, seq, from_state, to_state, outlet_id, db_role, person,"
"    at, result_code, note, prev_hash, hash)"
" SELECT r.id, r.order_id, r.seq, r.from_state, r.to_state, r.outlet_id,"
"        r.db_role, r.person, r.at, r.result_code, r.note, r.prev_hash,"
"        sha256(convert_to(jsonb_build_array("
"          r.id, r.order_id, r.seq, r.from_state, r.to_state, r.outlet_id,"
"          r.db_role, r.person, extract(epoch FROM r.at)::text,"
"          r.result_code, r.note, encode(r.prev_hash, 'hex'))::text,"
"          'UTF8'))"
"   FROM r";

static SPIPlanPtr transition_plan = NULL;
static SPIPlanPtr allowed_plan = NULL;
static SPIPlanPtr check_code_plan = NULL;
static SPIPlanPtr log_plan = NULL;

/*
 * prepare_kept
 *		Prepare a statement and keep the plan for the life of the backend.
 *		The caller is connected to SPI and runs under the pinned search path.
 */
static SPIPlanPtr
prepare_kept(const char *sql, int nargs, Oid *types)
{
	return showroom_prepare_kept(sql, nargs, types, 0);
}

/*
 * prepare_plans
 *		Prepare the three plans of the BEFORE trigger, once per backend.
 *		(The AFTER trigger's plan names its transition tables, so it is
 *		prepared where they are registered; see log_moves.)
 */
static void
prepare_plans(void)
{
	Oid			pair[2] = {TEXTOID, TEXTOID};
	Oid			one[1] = {TEXTOID};
	Oid			code[3] = {TEXTOID, TEXTOID, TEXTOID};

	if (check_code_plan != NULL)
		return;
	transition_plan = prepare_kept(transition_sql, 2, pair);
	allowed_plan = prepare_kept(allowed_sql, 1, one);
	check_code_plan = prepare_kept(check_code_sql, 3, code);
}

/*
 * The transitions one statement has looked up.  Every row an UPDATE moves
 * runs this trigger, and a batch moves thousands of orders along the same
 * transition; so the rows found are kept for as long as the statement sees
 * the same data.  That is what the key says: the same local transaction,
 * role, command id and snapshot bounds (an administrator's change to the
 * transition table, committed or made earlier in this transaction, changes
 * one of them).  The cache lives in its own context, emptied when the key
 * changes.
 */
typedef struct Transition
{
	char	   *from;
	char	   *to;
	bool		found;			/* false: no transition is in force */
	char	   *label;
	Datum		roles;			/* name[] */
	Datum		requires;		/* text[] */
	char	   *result_under;	/* NULL if none */
} Transition;

#define TRANSITION_CACHE_SIZE 8

static MemoryContext transition_cxt = NULL;
static LocalTransactionId cache_lxid = InvalidLocalTransactionId;
static Oid	cache_role = InvalidOid;
static CommandId cache_cid = InvalidCommandId;
static TransactionId cache_xmin = InvalidTransactionId;
static TransactionId cache_xmax = InvalidTransactionId;
static Transition cache[TRANSITION_CACHE_SIZE];
static int	cache_n = 0;

/*
 * transition_lookup
 *		The transition in force from from to to, or NULL when there is none;
 *		from the statement's cache when it has been looked up already.
 *		The caller is connected to SPI.
 */
static const Transition *
transition_lookup(const char *from, const char *to)
{
	Snapshot	snap = GetActiveSnapshot();
	Datum		args[2];
	char		nulls[2] = {' ', ' '};
	bool		isnull;
	Transition *t;
	MemoryContext old;
	Datum		d;

	if (transition_cxt == NULL)
		transition_cxt = AllocSetContextCreate(TopMemoryContext,
											   "showroom transitions",
											   ALLOCSET_SMALL_SIZES);
	if (cache_lxid != MyProc->lxid || cache_role != GetUserId() ||
		cache_cid != snap->curcid || cache_xmin != snap->xmin ||
		cache_xmax != snap->xmax)
	{
		MemoryContextReset(transition_cxt);
		cache_n = 0;
		cache_lxid = MyProc->lxid;
		cache_role = GetUserId();
		cache_cid = snap->curcid;
		cache_xmin = snap->xmin;
		cache_xmax = snap->xmax;
	}
	for (int i = 0; i < cache_n; i++)
		if (strcmp(cache[i].from, from) == 0 && strcmp(cache[i].to, to) == 0)
			return cache[i].found ? &cache[i] : NULL;

	args[0] = CStringGetTextDatum(from);
	args[1] = CStringGetTextDatum(to);
	if (SPI_execute_plan(transition_plan, args, nulls, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "transition lookup failed");

	/* A full cache starts over; a statement rarely moves along more. */
	if (cache_n == TRANSITION_CACHE_SIZE)
	{
		MemoryContextReset(transition_cxt);
		cache_n = 0;
	}
	old = MemoryContextSwitchTo(transition_cxt);
	t = &cache[cache_n];
	memset(t, 0, sizeof(*t));
	t->from = pstrdup(from);
	t->to = pstrdup(to);
	t->found = SPI_processed > 0;
	if (t->found)
	{
		HeapTuple	row = SPI_tuptable->vals[0];
		TupleDesc	desc = SPI_tuptable->tupdesc;

		t->label = SPI_getvalue(row, desc, 1);
		d = SPI_getbinval(row, desc, 2, &isnull);
		t->roles = datumCopy(d, false, -1);
		d = SPI_getbinval(row, desc, 3, &isnull);
		t->requires = datumCopy(d, false, -1);
		t->result_under = SPI_getvalue(row, desc, 4);
	}
	MemoryContextSwitchTo(old);
	cache_n++;
	return t->found ? t : NULL;
}

/*
 * move_setting
 *		The value of a transaction-local setting that move_order() passes
 *		to the triggers (showroom.move_result, showroom.move_note), or NULL
 *		when it is unset or empty, as for a plain UPDATE.
 */
static const char *
move_setting(const char *name)
{
	const char *value = GetConfigOption(name, true, false);

	if (value == NULL || value[0] == '\0')
		return NULL;
	return value;
}

/*
 * column
 *		The attribute number of a column of the trigger's table; an error if
 *		it is missing (the table is ours, so that cannot happen).
 */
static int
column(TupleDesc desc, const char *name)
{
	int			attnum = SPI_fnumber(desc, name);

	if (attnum <= 0)
		elog(ERROR, "service_order has no column \"%s\"", name);
	return attnum;
}

/*
 * text_array_has
 *		Whether a text[] datum holds the given string.
 */
static bool
text_array_has(Datum array, const char *what)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	bool		found = false;

	deconstruct_array(DatumGetArrayTypeP(array), TEXTOID, -1, false,
					  TYPALIGN_INT, &elems, &nulls, &n);
	for (int i = 0; i < n && !found; i++)
		found = !nulls[i] && strcmp(TextDatumGetCString(elems[i]), what) == 0;
	return found;
}

/*
 * may_act_as
 *		Whether the current role is a superuser or a member (directly or
 *		through other roles) of one of the roles in a name[] datum; names
 *		of roles that do not exist are skipped.  Also sets *list to the
 *		roles joined by ", " (or "no role"), for a message.
 */
static bool
may_act_as(Datum array, char **list)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	bool		ok = superuser();
	StringInfoData buf;

	deconstruct_array(DatumGetArrayTypeP(array), NAMEOID, NAMEDATALEN, false,
					  TYPALIGN_CHAR, &elems, &nulls, &n);
	initStringInfo(&buf);
	for (int i = 0; i < n; i++)
	{
		const char *name;
		Oid			roleid;

		if (nulls[i])
			continue;
		name = NameStr(*DatumGetName(elems[i]));
		appendStringInfo(&buf, "%s%s", buf.len > 0 ? ", " : "", name);
		if (ok)
			continue;
		roleid = get_role_oid(name, true);
		ok = OidIsValid(roleid) && is_member_of_role(GetUserId(), roleid);
	}
	*list = buf.len > 0 ? buf.data : "no role";
	return ok;
}

/*
 * check_move
 *		The BEFORE trigger's work for one row: refuse the move old -> new
 *		unless it is allowed, and return the row to store (new, stamped).
 */
static HeapTuple
check_move(Relation rel, HeapTuple oldtup, HeapTuple newtup)
{
	TupleDesc	desc = RelationGetDescr(rel);
	int			c_id = column(desc, "id");
	int			c_state = column(desc, "state");
	int			c_kind = column(desc, "kind");
	int			c_outlet = column(desc, "outlet_id");
	int			c_result = column(desc, "result_code");
	int			c_done = column(desc, "done_at");
	int			c_changed = column(desc, "state_changed_at");
	char	   *id = SPI_getvalue(oldtup, desc, c_id);
	char	   *from = SPI_getvalue(oldtup, desc, c_state);
	char	   *to = SPI_getvalue(newtup, desc, c_state);
	char	   *kind = SPI_getvalue(oldtup, desc, c_kind);
	const char *result = move_setting("showroom.move_result");
	const char *note = move_setting("showroom.move_note");
	Datum		args[3];
	char		nulls[3] = {' ', ' ', ' '};
	bool		isnull;
	const Transition *t;
	char	   *label;
	Datum		roles;
	Datum		requires;
	char	   *result_under;
	char	   *role_list;
	int			cols[4];
	Datum		values[4];
	bool		replnulls[4];
	int			ncols = 0;
	TimestampTz now = GetCurrentTransactionStartTimestamp();

	/* Find the transition in force. */
	t = transition_lookup(from, to);
	if (t == NULL)
	{
		char	   *allowed;

		args[0] = CStringGetTextDatum(from);
		args[1] = CStringGetTextDatum(to);
		if (SPI_execute_plan(allowed_plan, args, nulls, false, 1) != SPI_OK_SELECT)
			elog(ERROR, "allowed_moves failed");
		allowed = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
		ereport(ERROR,
				(errcode(ERRCODE_SR_TRANSITION_NOT_ALLOWED),
				 errmsg("service order %s cannot move from %s to %s",
						id, from, to),
				 errdetail("No transition %s -> %s is in force.", from, to),
				 errhint("Allowed: %s.", allowed)));
	}
	label = t->label;
	roles = t->roles;
	requires = t->requires;
	result_under = t->result_under;

	/* The current role must act for one of the transition's roles. */
	if (!may_act_as(roles, &role_list))
		ereport(ERROR,
				(errcode(ERRCODE_SR_NOT_ALLOWED),
				 errmsg("role %s may not %s service order %s",
						GetUserNameFromId(GetUserId(), false), label, id),
				 errdetail("The move %s -> %s is for members of %s.",
						   from, to, role_list),
				 errhint("Ask a member of one of those roles, or an administrator to change the transition.")));

	/* What the transition requires must be there. */
	if (text_array_has(requires, "outlet_id"))
	{
		(void) SPI_getbinval(newtup, desc, c_outlet, &isnull);
		if (isnull)
			ereport(ERROR,
					(errcode(ERRCODE_SR_REQUIRED_FIELD),
					 errmsg("the move %s of service order %s needs an outlet",
							label, id),
					 errdetail("%s -> %s with outlet_id NULL.", from, to),
					 errhint("Assign an outlet first (dispatch does).")));
	}
	if (text_array_has(requires, "result_code") && result == NULL)
	{
		char	   *branch;

		if (result_under == NULL)
			branch = "any branch";
		else
		{
			Datum		d;

			d = DirectFunctionCall3Coll(replace_text, DEFAULT_COLLATION_OID,
										CStringGetTextDatum(result_under),
										CStringGetTextDatum(":kind"),
										CStringGetTextDatum(kind));
			branch = TextDatumGetCString(d);
		}
		ereport(ERROR,
				(errcode(ERRCODE_SR_REQUIRED_FIELD),
				 errmsg("the move %s of service order %s needs a result code",
						label, id),
				 errdetail("%s -> %s without a result code.", from, to),
				 errhint("Pass one under %s.", branch)));
	}
	if (text_array_has(requires, "note") && note == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_SR_REQUIRED_FIELD),
				 errmsg("the move %s of service order %s needs a note",
						label, id),
				 errdetail("%s -> %s without a note.", from, to),
				 errhint("Say why in the note.")));

	/* A result code must exist and lie in the transition's branch. */
	if (result != NULL)
	{
		char		code_nulls[3] = {' ', result_under ? ' ' : 'n', ' '};

		args[0] = CStringGetTextDatum(result);
		args[1] = result_under ? CStringGetTextDatum(result_under) : (Datum) 0;
		args[2] = CStringGetTextDatum(kind);
		if (SPI_execute_plan(check_code_plan, args, code_nulls, false, 1)
			!= SPI_OK_SELECT)
			elog(ERROR, "check_code failed");
		cols[ncols] = c_result;
		values[ncols] = CStringGetTextDatum(result);
		replnulls[ncols++] = false;
	}

	/*
	 * Stamp the order.  An order back in the queue has no outlet; the trail
	 * keeps who refused.
	 */
	if (strcmp(to, "requested") == 0)
	{
		cols[ncols] = c_outlet;
		values[ncols] = (Datum) 0;
		replnulls[ncols++] = true;
	}
	if (strcmp(to, "done") == 0)
	{
		cols[ncols] = c_done;
		values[ncols] = TimestampTzGetDatum(now);
		replnulls[ncols++] = false;
	}
	cols[ncols] = c_changed;
	values[ncols] = TimestampTzGetDatum(now);
	replnulls[ncols++] = false;

	return heap_modify_tuple_by_cols(newtup, desc, ncols, cols, values,
									 replnulls);
}

/*
 * log_moves
 *		The AFTER trigger's work for one statement: append the next trail
 *		row of every order it moved.  The UPDATE holds the orders' row
 *		locks until commit, so no other move of an order can slip between
 *		reading its last trail row and writing the next one.
 */
static void
log_moves(TriggerData *td)
{
	const char *person = move_setting("showroom.person");
	const char *result = move_setting("showroom.move_result");
	const char *note = move_setting("showroom.move_note");
	Oid			types[3] = {TEXTOID, TEXTOID, TEXTOID};
	Datum		args[3];
	char		nulls[3];

	if (SPI_register_trigger_data(td) != SPI_OK_TD_REGISTER)
		elog(ERROR, "could not register the transition tables");
	if (log_plan == NULL)
		log_plan = prepare_kept(log_sql, 3, types);

	args[0] = person ? CStringGetTextDatum(person) : (Datum) 0;
	nulls[0] = person ? ' ' : 'n';
	args[1] = result ? CStringGetTextDatum(result) : (Datum) 0;
	nulls[1] = result ? ' ' : 'n';
	args[2] = note ? CStringGetTextDatum(note) : (Datum) 0;
	nulls[2] = note ? ' ' : 'n';

	if (SPI_execute_plan(log_plan, args, nulls, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "trail rows not written");
}

/*
 * trigger_data
 *		Check that a trigger function was called as the UPDATE trigger it
 *		is written for: BEFORE, for each row (check_move), or AFTER, for
 *		each statement, with both transition tables (log_move); returns
 *		the trigger data.
 */
static TriggerData *
trigger_data(FunctionCallInfo fcinfo, bool check_move)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	bool		ok;

	ok = CALLED_AS_TRIGGER(fcinfo) && TRIGGER_FIRED_BY_UPDATE(td->tg_event);
	if (ok && check_move)
		ok = TRIGGER_FIRED_FOR_ROW(td->tg_event) &&
			TRIGGER_FIRED_BEFORE(td->tg_event);
	else if (ok)
		ok = TRIGGER_FIRED_FOR_STATEMENT(td->tg_event) &&
			TRIGGER_FIRED_AFTER(td->tg_event) &&
			td->tg_oldtable != NULL && td->tg_newtable != NULL;
	if (!ok)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 check_move ?
				 errmsg("service_order_check_move must be fired BEFORE UPDATE for each row") :
				 errmsg("service_order_log_move must be fired AFTER UPDATE for each statement, with old and new transition tables")));
	return td;
}

/*
 * showroom_service_order_check_move
 *		BEFORE UPDATE row trigger on service_order: check the move and
 *		return the stamped row.  All scratch memory is in the SPI procedure
 *		context, freed by SPI_finish except the returned row, which
 *		SPI_copytuple puts in the trigger's context.
 */
PG_FUNCTION_INFO_V1(showroom_service_order_check_move);
Datum
showroom_service_order_check_move(PG_FUNCTION_ARGS)
{
	TriggerData *td = trigger_data(fcinfo, true);
	HeapTuple	row;

	SPI_connect();
	prepare_plans();
	row = check_move(td->tg_relation, td->tg_trigtuple, td->tg_newtuple);
	row = SPI_copytuple(row);
	SPI_finish();
	return PointerGetDatum(row);
}

/*
 * showroom_service_order_log_move
 *		AFTER UPDATE statement trigger on service_order, with transition
 *		tables moved_old and moved_new: write the trail rows of the
 *		statement's moves, in one statement.  Scratch memory is freed by
 *		SPI_finish.
 */
PG_FUNCTION_INFO_V1(showroom_service_order_log_move);
Datum
showroom_service_order_log_move(PG_FUNCTION_ARGS)
{
	TriggerData *td = trigger_data(fcinfo, false);

	SPI_connect();
	log_moves(td);
	SPI_finish();
	return PointerGetDatum(NULL);
}
