/*-------------------------------------------------------------------------
 *
 * direct.c
 *	  Rows read, locked, updated and inserted without the executor, with
 *	  the checks the statements make.
 *
 * Starting the executor for a one-row statement costs more than the
 * work itself: the plan is checked, its nodes are built, the table's
 * CHECK constraints are read back from their stored text and planned, and
 * the projection is compiled, on every statement.  The commonest sale
 * makes seven such statements.  This file does their work the way the
 * executor would, with the table's defaults, coercions, CHECKs and
 * trigger conditions planned once per backend and kept until the table
 * (or any function or type) changes:
 *
 *	- a read fetches rows by primary key, or scans a (small) table, under
 *	  a snapshot taken as a statement takes its own;
 *	- a lock takes the newest version of a row, waiting for or skipping a
 *	  transaction that holds it, as UPDATE and FOR UPDATE SKIP LOCKED do in
 *	  READ COMMITTED;
 *	- an insert gives every column the caller does not supply its default
 *	  (a domain column without one gets NULL, checked against the domain)
 *	  and assigns every supplied value as an INSERT does (domain checks,
 *	  type modifiers, enum labels);
 *	- inserts and updates check NOT NULL and CHECK constraints, with the
 *	  executor's SQLSTATEs and messages (but not its "Failing row
 *	  contains" detail), and go to the table access method and to the
 *	  indexes, which check uniqueness.
 *
 * Each piece of work runs between direct_statement_begin and
 * direct_statement_end, which do what SPI does around a statement: the
 * command counter is advanced, a snapshot is taken and made active (so
 * that defaults, CHECKs and trigger conditions that read the database see
 * what the statement would), and AFTER triggers queued by the work (a
 * foreign key's check, a DBA's audit trigger) fire at the end.
 *
 * Only where that is the same as running the statement may it be done
 * here.  direct_refusal(), direct_read_refusal() and
 * direct_update_refusal() say why not otherwise, and the caller then runs
 * its statements as before:
 *
 *	- the role must hold table-wide SELECT, and INSERT on the table or
 *	  UPDATE on the columns it changes;
 *	- row-level security must not apply to the role, or every policy that
 *	  applies to it for the command or for SELECT must be unconditionally
 *	  true (a superuser, the owner, showroom_admin; not a clerk on the
 *	  sales tables, whose policies name stores);
 *	- an inserted table must have no INSERT rule, no generated or identity
 *	  column, no statement-level, BEFORE or INSTEAD OF INSERT trigger and
 *	  no transition table (AFTER row triggers, foreign keys and deferrable
 *	  unique constraints are fine);
 *	- an updated table must have no UPDATE rule, no generated column, no
 *	  statement-level, BEFORE, INSTEAD OF or column-list UPDATE trigger and
 *	  no transition table (its foreign keys are checked by their AFTER
 *	  triggers, as for an UPDATE); the transaction must be READ COMMITTED;
 *	- no executor permission hook (sepgsql, pgaudit) and no row-level
 *	  security hook may be loaded, since they would not see the work;
 *	- a write needs a read-write transaction, not in parallel mode.
 *
 * What the executor does and this file does not: pg_stat_statements and
 * EXPLAIN do not see this work as statements (the tables' own counters in
 * pg_stat_user_tables do count it); and a DirectWrite keeps its tables
 * open from first use to direct_end, where a statement closes its tables
 * when it ends, so DDL on one of them from a trigger fired in between is
 * refused ("being used by active queries in this session").
 *
 * XXX: any change to any function, type or role membership in the
 * database (CREATE FUNCTION, CREATE TEMP TABLE, GRANT of a role) makes
 * every kept shape stale, and each backend plans its tables again at its
 * next call: cheap, but not free on a server where such changes are
 * frequent.  Telling which functions a shape depends on would narrow it.
 *
 *-------------------------------------------------------------------------
 */
#include "showroom.h"

#include "access/genam.h"
#include "access/relscan.h"
#include "access/stratnum.h"
#include "access/sysattr.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_trigger.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/executor.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "optimizer/optimizer.h"
#include "parser/parse_coerce.h"
#include "parser/parse_relation.h"
#include "rewrite/prs2lock.h"
#include "rewrite/rewriteHandler.h"
#include "rewrite/rewriteManip.h"
#include "rewrite/rowsecurity.h"
#include "storage/lmgr.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/rls.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"

#include "direct.h"

/* The most tables one call may use, and the most any backend knows. */
#define DIRECT_MAX_RELS 16

/* The most nested calls whose DirectWrites are tracked one by one. */
#define DIRECT_MAX_LIVE 64

/*
 * What direct.c keeps of a table, built from its relcache entry for one
 * role (SQL functions are inlined only where the role may run them): how
 * to fill each column, its CHECKs and the WHEN conditions of its AFTER
 * INSERT row triggers, all planned.  CHECKs read the new row as the scan
 * tuple, trigger conditions as the outer tuple, as in the executor.
 */
typedef struct DirectShape
{
	MemoryContext cxt;			/* holds this struct and all below */
	Oid			relid;
	Oid			user;			/* the role it was planned for */
	bool		valid;			/* false once the table or a function changed */
	const char *unfit;			/* why rows cannot be inserted here */
	const char *upd_unfit;		/* why rows cannot be updated here */
	int			natts;
	int		   *supplied;		/* per column: index into cols[], or -1 */
	Oid		   *ptype;			/* per supplied column: the type of $1 */
	Expr	  **fill;			/* per column: default, or assignment of the
								 * supplied value as Param $1; NULL if none */
	int			ncheck;
	char	  **check_name;
	Expr	  **check_expr;
	bool		may_fire;		/* an AFTER INSERT row trigger has no WHEN
								 * that when_qual can tell false (none, or
								 * one that is not immutable or reads a
								 * system column) */
	int			nwhen;
	List	  **when_qual;		/* the WHENs, as implicit-AND lists */
	char	   *when_enabled;	/* their triggers' tgenabled */
	/* The same compiled, on first use (see direct_state). */
	ExprState **fill_state;
	ExprState **check_state;
	ExprState **when_state;
} DirectShape;

/*
 * One table opened by a DirectWrite, with the slots its rows pass
 * through: made when it is opened, so that their references to the
 * table's tuple descriptor belong to the caller's (sub)transaction, not
 * to a subtransaction that may end before dw does.
 */
typedef struct DirectRel
{
	DirectTable *table;
	Relation	rel;
	ResultRelInfo *rri;
	LOCKMODE	lockmode;		/* the strongest taken through dw */
	TupleTableSlot *read_slot;	/* the row last fetched or scanned */
	TupleTableSlot *lock_slot;	/* the row last locked */
	TupleTableSlot *new_slot;	/* the row last inserted or updated */
} DirectRel;

struct DirectWrite
{
	EState	   *estate;
	ExprContext *econtext;		/* for our expressions; never reset */
	ParamListInfo params;		/* $1 of an assignment */
	bool		in_statement;
	int			nrels;
	DirectRel	rels[DIRECT_MAX_RELS];
};

static void direct_check(DirectWrite *dw, DirectRel *r, TupleTableSlot *slot);

/* Every table this backend has built a shape for, for invalidation. */
static DirectTable *known[DIRECT_MAX_RELS];
static int	nknown = 0;
static bool callbacks_registered = false;

/*
 * Shapes made stale while a DirectWrite may still use them (a call that
 * runs a function that redefines a function and sells again) wait in the
 * graveyard, and are freed once no DirectWrite is live.  A DirectWrite is
 * live from direct_begin to direct_end, or until the (sub)transaction it
 * began in is rolled back (a call cut short by an error never reaches
 * direct_end); live holds the subtransaction each began in, innermost
 * last.
 */
static MemoryContext graveyard = NULL;
static SubTransactionId live[DIRECT_MAX_LIVE];
static int	nlive = 0;
static int	nlive_lost = 0;		/* begun past DIRECT_MAX_LIVE */

/*
 * direct_bury
 *		Put a stale shape's memory in the graveyard.
 */
static void
direct_bury(DirectShape *s)
{
	if (graveyard == NULL)
		graveyard = AllocSetContextCreate(CacheMemoryContext,
										  "showroom direct write graveyard",
										  ALLOCSET_SMALL_SIZES);
	MemoryContextSetParent(s->cxt, graveyard);
}

/*
 * direct_empty_graveyard
 *		Free the stale shapes, if no DirectWrite is live.
 */
static void
direct_empty_graveyard(void)
{
	if (nlive == 0 && nlive_lost == 0 && graveyard != NULL)
		MemoryContextReset(graveyard);
}

/*
 * direct_xact_callback
 *		At the end of a transaction no DirectWrite is live any more.
 */
static void
direct_xact_callback(XactEvent event, void *arg)
{
	if (event == XACT_EVENT_COMMIT || event == XACT_EVENT_ABORT ||
		event == XACT_EVENT_PREPARE ||
		event == XACT_EVENT_PARALLEL_COMMIT ||
		event == XACT_EVENT_PARALLEL_ABORT)
	{
		nlive = 0;
		nlive_lost = 0;
		direct_empty_graveyard();
	}
}

/*
 * direct_subxact_callback
 *		When a subtransaction is rolled back, the DirectWrites begun in it
 *		(or in its children, which have later ids) are dead.
 */
static void
direct_subxact_callback(SubXactEvent event, SubTransactionId mySubid,
						SubTransactionId parentSubid, void *arg)
{
	if (event != SUBXACT_EVENT_ABORT_SUB)
		return;
	while (nlive > 0 && live[nlive - 1] >= mySubid)
		nlive--;
	direct_empty_graveyard();
}

/*
 * direct_inval_rel
 *		Relcache callback: a change to table relid (InvalidOid: to any
 *		table) makes its shape stale.
 */
static void
direct_inval_rel(Datum arg, Oid relid)
{
	int			i;

	for (i = 0; i < nknown; i++)
		if (known[i]->shape != NULL &&
			(relid == InvalidOid || relid == known[i]->shape->relid))
			known[i]->shape->valid = false;
}

/*
 * direct_inval_all
 *		Syscache callback: a changed function (or type) may be one that a
 *		kept default, CHECK or trigger condition calls or inlined, so every
 *		shape is stale.
 */
static void
direct_inval_all(Datum arg, int cacheid, uint32 hashvalue)
{
	direct_inval_rel(arg, InvalidOid);
}

/*
 * direct_reads_system_column
 *		Whether expression node reads a system column other than tableoid.
 *		A trigger condition may (a CHECK may not); direct_may_fire cannot
 *		judge such a condition and leaves it to the trigger machinery.
 */
static bool
direct_reads_system_column(Node *node, void *context)
{
	if (node == NULL)
		return false;
	if (IsA(node, Var))
		return ((Var *) node)->varattno < 0 &&
			((Var *) node)->varattno != TableOidAttributeNumber;
	return expression_tree_walker(node, direct_reads_system_column, context);
}

/*
 * direct_plan_fill
 *		The expression that gives column att of rel its value: when the
 *		caller supplies it, the assignment of a Param $1 of type srctype
 *		(NULL when the value needs no coercion); else the column's default,
 *		else for a domain column a NULL checked against the domain.  Sets
 *		*unfit, and returns NULL, when an INSERT could not assign a value of
 *		srctype to the column.
 */
static Expr *
direct_plan_fill(Relation rel, Form_pg_attribute att, bool supplied,
				 Oid srctype, const char **unfit)
{
	Node	   *expr;

	if (supplied)
	{
		Param	   *p = makeNode(Param);

		p->paramkind = PARAM_EXTERN;
		p->paramid = 1;
		p->paramtype = srctype;
		p->paramtypmod = -1;
		p->paramcollid = get_typcollation(srctype);
		p->location = -1;
		expr = coerce_to_target_type(NULL, (Node *) p, srctype,
									 att->atttypid, att->atttypmod,
									 COERCION_ASSIGNMENT,
									 COERCE_IMPLICIT_CAST, -1);
		if (expr == NULL)
		{
			*unfit = psprintf("column %s cannot take a %s",
							  NameStr(att->attname), format_type_be(srctype));
			return NULL;
		}
		if (expr == (Node *) p)
			return NULL;
	}
	else
	{
		expr = build_column_default(rel, att->attnum);
		if (expr == NULL && get_typtype(att->atttypid) == TYPTYPE_DOMAIN)
		{
			Oid			base = getBaseType(att->atttypid);

			expr = coerce_to_target_type(NULL,
										 (Node *) makeNullConst(base, -1,
																get_typcollation(base)),
										 base, att->atttypid, att->atttypmod,
										 COERCION_ASSIGNMENT,
										 COERCE_IMPLICIT_CAST, -1);
		}
		if (expr == NULL)
			return NULL;
	}
	return expression_planner((Expr *) expr);
}

/*
 * direct_rules_unfit
 *		Why rel is not a plain table without rules for command cmd, or NULL.
 */
static const char *
direct_rules_unfit(Relation rel, CmdType cmd)
{
	int			i;

	if (rel->rd_rel->relkind != RELKIND_RELATION || rel->rd_rel->relispartition)
		return "it is not a plain table";
	if (rel->rd_rules != NULL)
		for (i = 0; i < rel->rd_rules->numLocks; i++)
			if (rel->rd_rules->rules[i]->event == cmd)
				return "it has a rule for the command";
	return NULL;
}

/*
 * direct_shape_unfit
 *		Why the rules of table rel rule out inserting rows here, or NULL.
 */
static const char *
direct_shape_unfit(Relation rel)
{
	TriggerDesc *trig = rel->trigdesc;
	TupleDesc	desc = RelationGetDescr(rel);
	const char *why = direct_rules_unfit(rel, CMD_INSERT);
	int			i;

	if (why != NULL)
		return why;
	for (i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);

		if (att->attisdropped)
			continue;
		if (att->attgenerated || att->attidentity)
			return "it has a generated or identity column";
	}
	if (trig == NULL)
		return NULL;
	if (trig->trig_insert_new_table)
		return "an INSERT trigger has a transition table";
	if (trig->trig_insert_before_row || trig->trig_insert_instead_row ||
		trig->trig_insert_before_statement ||
		trig->trig_insert_after_statement)
		return "it has a statement-level, BEFORE or INSTEAD OF INSERT trigger";
	return NULL;
}

/*
 * direct_shape_upd_unfit
 *		Why the rules of table rel rule out updating rows here, or NULL.
 *		An UPDATE trigger limited to some columns is ruled out because
 *		direct_update does not tell the trigger machinery which columns it
 *		changed.
 */
static const char *
direct_shape_upd_unfit(Relation rel)
{
	TriggerDesc *trig = rel->trigdesc;
	TupleDesc	desc = RelationGetDescr(rel);
	const char *why = direct_rules_unfit(rel, CMD_UPDATE);
	int			i;

	if (why != NULL)
		return why;
	if (desc->constr != NULL && desc->constr->has_generated_stored)
		return "it has a generated column";
	if (trig == NULL)
		return NULL;
	if (trig->trig_update_old_table || trig->trig_update_new_table)
		return "an UPDATE trigger has a transition table";
	if (trig->trig_update_before_row || trig->trig_update_instead_row ||
		trig->trig_update_before_statement ||
		trig->trig_update_after_statement)
		return "it has a statement-level, BEFORE or INSTEAD OF UPDATE trigger";
	for (i = 0; i < trig->numtriggers; i++)
		if (TRIGGER_FOR_UPDATE(trig->triggers[i].tgtype) &&
			trig->triggers[i].tgnattr > 0)
			return "it has an UPDATE trigger on a list of columns";
	return NULL;
}

/*
 * direct_shape_build
 *		Build what direct.c keeps of DirectTable t from its open relation,
 *		for the current role.
 *
 * The memory is made under the caller's context and moved to the cache
 * only when the shape is complete, so that an error leaves nothing behind.
 */
static DirectShape *
direct_shape_build(DirectTable *t, Relation rel)
{
	MemoryContext cxt;
	MemoryContext old;
	DirectShape *s;
	TupleDesc	desc = RelationGetDescr(rel);
	TupleConstr *constr = desc->constr;
	TriggerDesc *trig = rel->trigdesc;
	int			i;

	cxt = AllocSetContextCreate(CurrentMemoryContext, "showroom direct write",
								ALLOCSET_SMALL_SIZES);
	MemoryContextCopyAndSetIdentifier(cxt, t->relname);
	old = MemoryContextSwitchTo(cxt);

	s = palloc0(sizeof(DirectShape));
	s->cxt = cxt;
	s->relid = RelationGetRelid(rel);
	s->user = GetUserId();
	s->valid = true;
	s->unfit = direct_shape_unfit(rel);
	s->upd_unfit = direct_shape_upd_unfit(rel);

	/* Updates check these too, so they are planned whatever unfit says. */
	s->ncheck = constr != NULL ? constr->num_check : 0;
	s->check_name = palloc(sizeof(char *) * (s->ncheck + 1));
	s->check_expr = palloc(sizeof(Expr *) * (s->ncheck + 1));
	for (i = 0; i < s->ncheck; i++)
	{
		s->check_name[i] = pstrdup(constr->check[i].ccname);
		s->check_expr[i] =
			expression_planner(stringToNode(constr->check[i].ccbin));
	}

	s->natts = desc->natts;
	s->supplied = palloc(sizeof(int) * desc->natts);
	s->ptype = palloc0(sizeof(Oid) * desc->natts);
	s->fill = palloc0(sizeof(Expr *) * desc->natts);
	for (i = 0; i < desc->natts; i++)
		s->supplied[i] = -1;
	for (i = 0; i < t->ncols && s->unfit == NULL; i++)
	{
		AttrNumber	attnum = attnameAttNum(rel, t->cols[i].name, false);

		if (attnum <= 0)
			s->unfit = psprintf("it has no column %s", t->cols[i].name);
		else
		{
			s->supplied[attnum - 1] = i;
			s->ptype[attnum - 1] = t->cols[i].type;
		}
	}
	for (i = 0; i < desc->natts && s->unfit == NULL; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);

		if (!att->attisdropped)
			s->fill[i] = direct_plan_fill(rel, att, s->supplied[i] >= 0,
										  s->ptype[i], &s->unfit);
	}

	s->when_qual = palloc(sizeof(List *) * (trig ? trig->numtriggers + 1 : 1));
	s->when_enabled = palloc(trig ? trig->numtriggers + 1 : 1);
	for (i = 0; trig != NULL && i < trig->numtriggers; i++)
	{
		Trigger    *tg = &trig->triggers[i];
		Node	   *qual;

		if (!TRIGGER_FOR_INSERT(tg->tgtype) || !TRIGGER_FOR_ROW(tg->tgtype) ||
			!TRIGGER_FOR_AFTER(tg->tgtype))
			continue;
		if (tg->tgqual == NULL)
		{
			s->may_fire = true;
			continue;
		}
		/* As the executor does: NEW is the outer tuple. */
		qual = stringToNode(tg->tgqual);
		if (direct_reads_system_column(qual, NULL) ||
			contain_mutable_functions(qual))
		{
			s->may_fire = true;
			continue;
		}
		ChangeVarNodes(qual, PRS2_OLD_VARNO, INNER_VAR, 0);
		ChangeVarNodes(qual, PRS2_NEW_VARNO, OUTER_VAR, 0);
		s->when_enabled[s->nwhen] = tg->tgenabled;
		s->when_qual[s->nwhen++] = (List *)
			expression_planner((Expr *) make_ands_implicit((Expr *) qual));
	}
	s->fill_state = palloc0(sizeof(ExprState *) * (s->natts + 1));
	s->check_state = palloc0(sizeof(ExprState *) * (s->ncheck + 1));
	s->when_state = palloc0(sizeof(ExprState *) * (s->nwhen + 1));
	MemoryContextSwitchTo(old);
	MemoryContextSetParent(cxt, CacheMemoryContext);
	return s;
}

/*
 * direct_policy_applies
 *		Whether a policy for roles applies to role user, as row-level
 *		security decides it.
 */
static bool
direct_policy_applies(ArrayType *roles, Oid user)
{
	Datum	   *r;
	int			n;
	int			i;

	deconstruct_array(roles, OIDOID, sizeof(Oid), true, TYPALIGN_INT,
					  &r, NULL, &n);
	if (n > 0 && DatumGetObjectId(r[0]) == ACL_ID_PUBLIC)
		return true;
	for (i = 0; i < n; i++)
		if (has_privs_of_role(user, DatumGetObjectId(r[i])))
			return true;
	return false;
}

/* Whether a policy expression lets every row through. */
static bool
direct_always_true(Expr *e)
{
	return e == NULL ||
		(IsA(e, Const) && !((Const *) e)->constisnull &&
		 DatumGetBool(((Const *) e)->constvalue));
}

/*
 * direct_rls_refusal
 *		Why row-level security on rel rules out doing cmd (ACL_SELECT_CHR,
 *		ACL_INSERT_CHR or ACL_UPDATE_CHR) directly as role user, or NULL:
 *		it does not apply, or each of the role's policies for cmd and for
 *		SELECT (which every command here also makes) lets every row through
 *		and some permissive one allows each.
 */
static const char *
direct_rls_refusal(Relation rel, Oid user, char cmd)
{
	ListCell   *lc;
	bool		may_cmd = false;
	bool		may_select = false;

	if (check_enable_rls(RelationGetRelid(rel), InvalidOid, true) != RLS_ENABLED)
		return NULL;
	/* A statement would fail then; let it. */
	if (!row_security)
		return "row_security is off";
	if (row_security_policy_hook_permissive != NULL ||
		row_security_policy_hook_restrictive != NULL)
		return "a row-level security hook is loaded";
	if (rel->rd_rsdesc == NULL)
		return "row-level security refuses every row to the role";
	foreach(lc, rel->rd_rsdesc->policies)
	{
		RowSecurityPolicy *p = (RowSecurityPolicy *) lfirst(lc);

		if (p->polcmd != '*' && p->polcmd != ACL_SELECT_CHR &&
			p->polcmd != cmd)
			continue;
		if (!direct_policy_applies(p->roles, user))
			continue;
		if (!direct_always_true(p->qual) ||
			!direct_always_true(p->with_check_qual))
			return "a row-level security policy of the role has a condition";
		if (p->permissive)
		{
			may_cmd |= p->polcmd == '*' || p->polcmd == cmd;
			may_select |= p->polcmd == '*' || p->polcmd == ACL_SELECT_CHR;
		}
	}
	if (!may_cmd || !may_select)
		return "row-level security refuses every row to the role";
	return NULL;
}

/*
 * direct_begin
 *		Start the direct work of one call, in the current memory context.
 */
DirectWrite *
direct_begin(void)
{
	DirectWrite *dw = palloc0(sizeof(DirectWrite));

	if (!callbacks_registered)
	{
		CacheRegisterRelcacheCallback(direct_inval_rel, (Datum) 0);
		CacheRegisterSyscacheCallback(PROCOID, direct_inval_all, (Datum) 0);
		CacheRegisterSyscacheCallback(TYPEOID, direct_inval_all, (Datum) 0);
		/* EXECUTE on a function is checked when a shape is compiled. */
		CacheRegisterSyscacheCallback(AUTHMEMROLEMEM, direct_inval_all,
									  (Datum) 0);
		CacheRegisterSyscacheCallback(AUTHOID, direct_inval_all, (Datum) 0);
		RegisterXactCallback(direct_xact_callback, NULL);
		RegisterSubXactCallback(direct_subxact_callback, NULL);
		callbacks_registered = true;
	}
	if (nlive < DIRECT_MAX_LIVE)
		live[nlive++] = GetCurrentSubTransactionId();
	else
		nlive_lost++;			/* freed only at the end of the transaction */
	dw->estate = CreateExecutorState();
	dw->econtext = CreateExprContext(dw->estate);
	dw->params = MemoryContextAllocZero(dw->estate->es_query_cxt,
										offsetof(ParamListInfoData, params) +
										sizeof(ParamExternData));
	dw->params->numParams = 1;
	dw->econtext->ecxt_param_list_info = dw->params;
	return dw;
}

/*
 * direct_shape_current
 *		Whether shape s still describes table relid as t declares it, for
 *		the current role.
 */
static bool
direct_shape_current(DirectShape *s, DirectTable *t, Oid relid)
{
	int			i;

	if (!s->valid || s->relid != relid || s->user != GetUserId())
		return false;
	for (i = 0; i < s->natts; i++)
		if (s->supplied[i] >= 0 && s->ptype[i] != t->cols[s->supplied[i]].type)
			return false;
	return true;
}

/*
 * direct_open_writes
 *		Open what writing to the table of r needs: the slots of the rows it
 *		locks and writes, its indexes, and the slots its triggers read rows
 *		from.
 */
static void
direct_open_writes(DirectWrite *dw, DirectRel *r)
{
	r->lock_slot = table_slot_create(r->rel, &dw->estate->es_tupleTable);
	r->new_slot = table_slot_create(r->rel, &dw->estate->es_tupleTable);
	ExecOpenIndices(r->rri, false);
	if (r->rri->ri_TrigDesc != NULL)
	{
		ExecGetTriggerOldSlot(dw->estate, r->rri);
		ExecGetTriggerNewSlot(dw->estate, r->rri);
	}
}

/*
 * direct_open
 *		The entry of table t in dw, opening the table with lockmode (and
 *		rebuilding its shape if it is stale) on first use, or taking the
 *		stronger lockmode if it was opened with a weaker one.  The tables
 *		of dw are opened outside any subtransaction that is to end before
 *		dw does (the refusal functions open them).
 */
static DirectRel *
direct_open(DirectWrite *dw, DirectTable *t, LOCKMODE lockmode)
{
	DirectRel  *r;
	Oid			relid;
	MemoryContext old;
	int			i;

	for (i = 0; i < dw->nrels; i++)
		if (dw->rels[i].table == t)
		{
			r = &dw->rels[i];
			if (lockmode > r->lockmode)
			{
				LockRelationOid(RelationGetRelid(r->rel), lockmode);
				r->lockmode = lockmode;
				direct_open_writes(dw, r);
			}
			return r;
		}
	if (dw->nrels == DIRECT_MAX_RELS)
		elog(ERROR, "showroom: too many tables in one direct write");

	r = &dw->rels[dw->nrels];
	r->table = t;
	r->rel = NULL;

	/*
	 * The table the shape was built for, if it is still there; else the
	 * one of that name.  Taking the lock reads pending invalidations, so
	 * it comes before the shape is checked.
	 */
	if (t->shape != NULL && t->shape->valid)
	{
		r->rel = try_table_open(t->shape->relid, lockmode);
		/* Changed meanwhile: the OID may even name another table now. */
		if (r->rel != NULL && !t->shape->valid)
		{
			table_close(r->rel, lockmode);
			r->rel = NULL;
		}
	}
	if (r->rel == NULL)
	{
		relid = get_relname_relid(t->relname,
								  get_namespace_oid("showroom", false));
		if (!OidIsValid(relid))
			elog(ERROR, "showroom: no table showroom.%s", t->relname);
		r->rel = table_open(relid, lockmode);
	}
	relid = RelationGetRelid(r->rel);
	r->lockmode = lockmode;
	dw->nrels++;

	if (t->shape != NULL && !direct_shape_current(t->shape, t, relid))
	{
		direct_bury(t->shape);
		t->shape = NULL;
	}
	if (t->shape == NULL)
	{
		for (i = 0; i < nknown && known[i] != t; i++)
			;
		if (i == nknown)
		{
			if (nknown == DIRECT_MAX_RELS)
				elog(ERROR, "showroom: too many tables used directly");
			known[nknown++] = t;
		}
		t->shape = direct_shape_build(t, r->rel);
	}

	/* Its AFTER triggers find it among the query's result relations. */
	old = MemoryContextSwitchTo(dw->estate->es_query_cxt);
	r->rri = makeNode(ResultRelInfo);
	InitResultRelInfo(r->rri, r->rel, 0, NULL, 0);
	dw->estate->es_opened_result_relations =
		lappend(dw->estate->es_opened_result_relations, r->rri);
	MemoryContextSwitchTo(old);
	r->read_slot = table_slot_create(r->rel, &dw->estate->es_tupleTable);
	if (lockmode == RowExclusiveLock)
		direct_open_writes(dw, r);
	return r;
}

/*
 * direct_statement_begin
 *		Start a statement's worth of direct work, as SPI starts a statement:
 *		advance the command counter, take a snapshot and make it active,
 *		and open a level of AFTER trigger events.
 */
void
direct_statement_begin(DirectWrite *dw)
{
	Assert(!dw->in_statement);
	CommandCounterIncrement();
	PushActiveSnapshot(GetTransactionSnapshot());
	AfterTriggerBeginQuery();
	dw->in_statement = true;
}

/*
 * direct_statement_end
 *		End it: fire the AFTER triggers the work queued, drop the snapshot
 *		and the buffer pins of the rows read (which belong to the current
 *		(sub)transaction; those rows may not be used after), and advance the
 *		command counter so that what follows sees the work.
 */
void
direct_statement_end(DirectWrite *dw)
{
	ListCell   *lc;

	Assert(dw->in_statement);
	AfterTriggerEndQuery(dw->estate);
	foreach(lc, dw->estate->es_tupleTable)
		ExecClearTuple((TupleTableSlot *) lfirst(lc));
	PopActiveSnapshot();
	CommandCounterIncrement();
	dw->in_statement = false;
}

/* The snapshot of the current statement. */
static Snapshot
direct_snapshot(DirectWrite *dw)
{
	if (!dw->in_statement)
		elog(ERROR, "showroom: direct work outside a statement");
	return GetActiveSnapshot();
}

/*
 * direct_refusal
 *		Open table t for inserting and say why the current role may not
 *		insert rows into it directly now, or NULL when it may.
 */
const char *
direct_refusal(DirectWrite *dw, DirectTable *t)
{
	DirectRel  *r;
	Oid			user = GetUserId();
	AclMode		need = ACL_INSERT | ACL_SELECT;

	if (XactReadOnly || IsInParallelMode())
		return "the transaction is read-only or parallel";
	if (ExecutorCheckPerms_hook != NULL)
		return "an executor permission hook is loaded";
	r = direct_open(dw, t, RowExclusiveLock);
	if (t->shape->unfit != NULL)
		return t->shape->unfit;
	if (pg_class_aclmask(RelationGetRelid(r->rel), user, need,
						 ACLMASK_ALL) != need)
		return "the role lacks INSERT or SELECT on it";
	return direct_rls_refusal(r->rel, user, ACL_INSERT_CHR);
}

/*
 * direct_read_refusal
 *		Open table t for reading and say why the current role may not read
 *		it directly now, or NULL when it may: it needs table-wide SELECT,
 *		and row-level security must not hide a row a statement would see.
 */
const char *
direct_read_refusal(DirectWrite *dw, DirectTable *t)
{
	DirectRel  *r;
	Oid			user = GetUserId();

	if (ExecutorCheckPerms_hook != NULL)
		return "an executor permission hook is loaded";
	r = direct_open(dw, t, AccessShareLock);
	if (pg_class_aclcheck(RelationGetRelid(r->rel), user, ACL_SELECT) !=
		ACLCHECK_OK)
		return "the role lacks SELECT on it";
	return direct_rls_refusal(r->rel, user, ACL_SELECT_CHR);
}

/*
 * direct_update_refusal
 *		Open table t for updating the ncols columns cols and say why the
 *		current role may not update them directly now, or NULL when it may.
 *		It needs table-wide SELECT (the statement reads the row) and UPDATE
 *		on the columns (or the table).  The transaction must be READ
 *		COMMITTED, where an UPDATE that finds its row changed under it goes
 *		on with the newest version (direct_lock does the same; other levels
 *		raise a serialization failure, which is left to the statement).
 */
const char *
direct_update_refusal(DirectWrite *dw, DirectTable *t, int ncols,
					  const char *const *cols)
{
	DirectRel  *r;
	Oid			user = GetUserId();
	int			i;

	if (XactReadOnly || IsInParallelMode())
		return "the transaction is read-only or parallel";
	if (XactIsoLevel != XACT_READ_COMMITTED)
		return "the transaction is not READ COMMITTED";
	if (ExecutorCheckPerms_hook != NULL)
		return "an executor permission hook is loaded";
	r = direct_open(dw, t, RowExclusiveLock);
	if (t->shape->upd_unfit != NULL)
		return t->shape->upd_unfit;
	if (pg_class_aclcheck(RelationGetRelid(r->rel), user, ACL_SELECT) !=
		ACLCHECK_OK)
		return "the role lacks SELECT on it";
	for (i = 0; i < ncols; i++)
	{
		AttrNumber	attnum = attnameAttNum(r->rel, cols[i], false);

		if (attnum <= 0)
			return psprintf("it has no column %s", cols[i]);
		/* The column's own grant counts only without the table's. */
		if (pg_class_aclcheck(RelationGetRelid(r->rel), user, ACL_UPDATE) !=
			ACLCHECK_OK &&
			pg_attribute_aclcheck(RelationGetRelid(r->rel), attnum, user,
								  ACL_UPDATE) != ACLCHECK_OK)
			return "the role may not update the column";
	}
	return direct_rls_refusal(r->rel, user, ACL_UPDATE_CHR);
}

/*
 * direct_column_type
 *		The type of column name of table t, opened by dw, or InvalidOid if
 *		it has none.
 */
Oid
direct_column_type(DirectWrite *dw, DirectTable *t, const char *name)
{
	DirectRel  *r = direct_open(dw, t, AccessShareLock);
	AttrNumber	attnum = attnameAttNum(r->rel, name, false);

	if (attnum <= 0)
		return InvalidOid;
	return TupleDescAttr(RelationGetDescr(r->rel), attnum - 1)->atttypid;
}

/*
 * direct_key_scan
 *		Open an index scan of table t's primary key, in the current
 *		statement, for the rows whose key starts with the nkeys values keys
 *		(of the key columns' own types) and, if from is not NULL, whose next
 *		key column is at least *from; in key order (backwards when last).
 *		Read with direct_scan_next, end with direct_scan_end.
 */
DirectScan *
direct_key_scan(DirectWrite *dw, DirectTable *t, int nkeys,
				const Datum *keys, const Datum *from, bool last)
{
	DirectRel  *r = direct_open(dw, t, AccessShareLock);
	Oid			pk = RelationGetPrimaryKeyIndex(r->rel);
	DirectScan *scan = palloc0(sizeof(DirectScan));
	ScanKeyData sk[INDEX_MAX_KEYS];
	int			nsk = nkeys + (from != NULL);
	int			i;

	if (!OidIsValid(pk))
		elog(ERROR, "showroom: table \"%s\" has no primary key", t->relname);
	scan->index = index_open(pk, AccessShareLock);
	if (nsk > IndexRelationGetNumberOfKeyAttributes(scan->index))
		elog(ERROR, "showroom: too many key values for \"%s\"", t->relname);
	for (i = 0; i < nsk; i++)
	{
		Oid			type = scan->index->rd_opcintype[i];
		StrategyNumber strategy = i < nkeys ? BTEqualStrategyNumber :
			BTGreaterEqualStrategyNumber;
		Oid			op = get_opfamily_member(scan->index->rd_opfamily[i],
											 type, type, strategy);

		if (!OidIsValid(op))
			elog(ERROR, "showroom: no operator for key column %d of \"%s\"",
				 i + 1, t->relname);
		ScanKeyInit(&sk[i], i + 1, strategy, get_opcode(op),
					i < nkeys ? keys[i] : *from);
	}
	scan->backward = last;
	scan->slot = r->read_slot;
	scan->iscan = index_beginscan(r->rel, scan->index, direct_snapshot(dw),
								  nsk, 0);
	index_rescan(scan->iscan, sk, nsk, NULL, 0);
	return scan;
}

/*
 * direct_fetch
 *		The row of table t whose primary key starts with the nkeys values
 *		keys: the first such row in key order, or the last when last is
 *		true, or NULL if none is visible to the current statement.  The row
 *		is valid until the statement ends.
 */
TupleTableSlot *
direct_fetch(DirectWrite *dw, DirectTable *t, int nkeys, const Datum *keys,
			 bool last)
{
	DirectScan *scan = direct_key_scan(dw, t, nkeys, keys, NULL, last);
	TupleTableSlot *slot = scan->slot;
	bool		found = index_getnext_slot(scan->iscan,
										   last ? BackwardScanDirection :
										   ForwardScanDirection, slot);

	index_endscan(scan->iscan);
	index_close(scan->index, NoLock);
	pfree(scan);
	return found ? slot : NULL;
}

/*
 * direct_scan_begin, direct_scan_next, direct_scan_end
 *		Read every row of table t visible to the current statement, in no
 *		particular order; a row is valid until the next call.
 */
DirectScan *
direct_scan_begin(DirectWrite *dw, DirectTable *t)
{
	DirectRel  *r = direct_open(dw, t, AccessShareLock);
	DirectScan *scan = palloc0(sizeof(DirectScan));

	scan->scan = table_beginscan(r->rel, direct_snapshot(dw), 0, NULL);
	scan->slot = r->read_slot;
	return scan;
}

TupleTableSlot *
direct_scan_next(DirectScan *scan)
{
	bool		found;

	if (scan->iscan != NULL)
		found = index_getnext_slot(scan->iscan, scan->backward ?
								   BackwardScanDirection :
								   ForwardScanDirection, scan->slot);
	else
		found = table_scan_getnextslot(scan->scan, ForwardScanDirection,
									   scan->slot);
	if (found)
		return scan->slot;
	ExecClearTuple(scan->slot);
	return NULL;
}

void
direct_scan_end(DirectScan *scan)
{
	ExecClearTuple(scan->slot);
	if (scan->iscan != NULL)
	{
		index_endscan(scan->iscan);
		index_close(scan->index, NoLock);
	}
	else
		table_endscan(scan->scan);
	pfree(scan);
}

/*
 * direct_lock
 *		Lock the newest version of row (a row of table t read in the current
 *		statement), as an UPDATE or SELECT ... FOR UPDATE locks it, and
 *		return that version; or return NULL when the row has been deleted
 *		or, with skip_locked, when another transaction holds a lock on it
 *		(FOR UPDATE SKIP LOCKED).  Without skip_locked it waits for such a
 *		transaction.  The lock lasts until the (sub)transaction ends.
 */
TupleTableSlot *
direct_lock(DirectWrite *dw, DirectTable *t, TupleTableSlot *row,
			bool skip_locked)
{
	DirectRel  *r = direct_open(dw, t, RowExclusiveLock);
	TupleTableSlot *locked;
	TM_FailureData tmfd;
	TM_Result	res;

	locked = r->lock_slot;
	res = table_tuple_lock(r->rel, &row->tts_tid, direct_snapshot(dw),
						   locked, GetCurrentCommandId(true),
						   LockTupleNoKeyExclusive,
						   skip_locked ? LockWaitSkip : LockWaitBlock,
						   TUPLE_LOCK_FLAG_FIND_LAST_VERSION, &tmfd);
	switch (res)
	{
		case TM_Ok:
			return locked;
		case TM_WouldBlock:
		case TM_Deleted:
		case TM_SelfModified:
			/* Skipped, gone, or changed by this very statement: no row. */
			ExecClearTuple(locked);
			return NULL;
		default:
			elog(ERROR, "showroom: unexpected result %d locking a row of \"%s\"",
				 (int) res, t->relname);
	}
	return NULL;				/* keep the compiler quiet */
}

/*
 * direct_state
 *		The compiled form of the kept expression expr of shape s (an
 *		implicit-AND list when qual), compiled into *state on first use.
 *
 * Compiling is what a statement does on every run; here it is done once
 * per shape.  That is safe because a shape is for one role (EXECUTE on a
 * function is checked when it is compiled) and is dropped when a table,
 * function or type it depends on changes; a domain's constraints are
 * looked up again by the compiled form itself when they change.
 */
static ExprState *
direct_state(DirectShape *s, ExprState **state, void *expr, bool qual)
{
	if (*state == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(s->cxt);

		*state = qual ? ExecInitQual((List *) expr, NULL) :
			ExecInitExpr((Expr *) expr, NULL);
		MemoryContextSwitchTo(old);
	}
	return *state;
}

/*
 * direct_check
 *		Raise the executor's error if the new row in slot, of the table of
 *		r, breaks a NOT NULL (23502) or CHECK (23514) constraint.
 */
static void
direct_check(DirectWrite *dw, DirectRel *r, TupleTableSlot *slot)
{
	DirectShape *s = r->table->shape;
	TupleDesc	desc = RelationGetDescr(r->rel);
	int			i;

	for (i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);

		if (att->attnotnull && slot->tts_isnull[i])
			ereport(ERROR,
					(errcode(ERRCODE_NOT_NULL_VIOLATION),
					 errmsg("null value in column \"%s\" of relation \"%s\" violates not-null constraint",
							NameStr(att->attname),
							RelationGetRelationName(r->rel)),
					 errtablecol(r->rel, i + 1)));
	}

	dw->econtext->ecxt_scantuple = slot;
	for (i = 0; i < s->ncheck; i++)
	{
		if (!ExecCheck(direct_state(s, &s->check_state[i], s->check_expr[i],
									false), dw->econtext))
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("new row for relation \"%s\" violates check constraint \"%s\"",
							RelationGetRelationName(r->rel),
							s->check_name[i]),
					 errtableconstraint(r->rel, s->check_name[i])));
	}
}

/*
 * direct_index
 *		Put the row in slot, just written to the table of r, in its indexes
 *		and return what the AFTER triggers need to recheck (deferred unique
 *		constraints).
 */
static List *
direct_index(DirectWrite *dw, DirectRel *r, TupleTableSlot *slot,
			 bool update)
{
	return ExecInsertIndexTuples(r->rri, slot, dw->estate, update, false,
								 NULL, NIL);
}

/*
 * direct_update
 *		Replace locked, the newest version of a row of table t as
 *		direct_lock returned it, by a copy with the ncols columns cols set
 *		to values (of the columns' own types), as an UPDATE does: NOT NULL
 *		and CHECK constraints, the indexes if the new version cannot be a
 *		heap-only tuple, the AFTER UPDATE row triggers (a foreign key's
 *		check, which does nothing when the keys do not change and the row
 *		is not the transaction's own).  direct_update_refusal(dw, t, ncols,
 *		cols) must have returned NULL.
 */
void
direct_update(DirectWrite *dw, DirectTable *t, TupleTableSlot *locked,
			  int ncols, const char *const *cols, const Datum *values)
{
	DirectRel  *r = direct_open(dw, t, RowExclusiveLock);
	TupleDesc	desc = RelationGetDescr(r->rel);
	TupleTableSlot *slot;
	TM_FailureData tmfd;
	LockTupleMode lockmode;
	bool		update_indexes;
	List	   *recheck = NIL;
	ItemPointerData otid = locked->tts_tid;
	TM_Result	res;
	int			i;

	slot = r->new_slot;
	ExecClearTuple(slot);
	slot_getallattrs(locked);
	memcpy(slot->tts_values, locked->tts_values, sizeof(Datum) * desc->natts);
	memcpy(slot->tts_isnull, locked->tts_isnull, sizeof(bool) * desc->natts);
	for (i = 0; i < ncols; i++)
	{
		AttrNumber	attnum = attnameAttNum(r->rel, cols[i], false);

		slot->tts_values[attnum - 1] = values[i];
		slot->tts_isnull[attnum - 1] = false;
	}
	ExecStoreVirtualTuple(slot);
	ExecMaterializeSlot(slot);
	slot->tts_tableOid = RelationGetRelid(r->rel);
	/* A publication may forbid updates (no replica identity, filters). */
	CheckCmdReplicaIdentity(r->rel, CMD_UPDATE);
	direct_check(dw, r, slot);

	res = table_tuple_update(r->rel, &otid, slot, GetCurrentCommandId(true),
							 direct_snapshot(dw), InvalidSnapshot, true,
							 &tmfd, &lockmode, &update_indexes);
	if (res != TM_Ok)
		elog(ERROR, "showroom: a locked row of \"%s\" changed (result %d)",
			 t->relname, (int) res);
	if (update_indexes)
		recheck = direct_index(dw, r, slot, true);
	if (r->rri->ri_TrigDesc != NULL &&
		r->rri->ri_TrigDesc->trig_update_after_row)
		ExecARUpdateTriggers(dw->estate, r->rri, NULL, NULL, &otid, NULL,
							 slot, recheck, NULL, false);
}

/*
 * direct_eval
 *		Evaluate the fill of column i of shape s in dw's expression context,
 *		with the value of $1 (if the column is supplied) given.
 */
static Datum
direct_eval(DirectWrite *dw, DirectShape *s, int i, Datum value, bool null,
			bool *isnull)
{
	ExprState  *state = direct_state(s, &s->fill_state[i], s->fill[i], false);

	dw->params->params[0].value = value;
	dw->params->params[0].isnull = null;
	dw->params->params[0].pflags = PARAM_FLAG_CONST;
	dw->params->params[0].ptype = s->ptype[i];
	return ExecEvalExpr(state, dw->econtext, isnull);
}

/*
 * direct_may_fire
 *		Whether an AFTER INSERT row trigger of the table of r may fire on
 *		the row in slot, just written.  When the kept WHEN conditions of
 *		the triggers enabled in this session all say no, the trigger
 *		machinery need not be asked (it would compile them again for every
 *		row).  Only immutable conditions are kept, so that evaluating one
 *		twice (here, then by the machinery) changes nothing.
 */
static bool
direct_may_fire(DirectWrite *dw, DirectRel *r, TupleTableSlot *slot)
{
	DirectShape *s = r->table->shape;
	int			i;

	if (r->rri->ri_TrigDesc == NULL ||
		!r->rri->ri_TrigDesc->trig_insert_after_row)
		return false;
	if (s->may_fire)
		return true;
	dw->econtext->ecxt_outertuple = slot;
	dw->econtext->ecxt_innertuple = NULL;
	for (i = 0; i < s->nwhen; i++)
	{
		char		e = s->when_enabled[i];

		/* A trigger disabled for this session cannot fire (TriggerEnabled). */
		if (e == TRIGGER_DISABLED ||
			e == (SessionReplicationRole == SESSION_REPLICATION_ROLE_REPLICA ?
				  TRIGGER_FIRES_ON_ORIGIN : TRIGGER_FIRES_ON_REPLICA))
			continue;
		if (ExecQual(direct_state(s, &s->when_state[i], s->when_qual[i],
								  true), dw->econtext))
			return true;
	}
	return false;
}

/*
 * direct_insert
 *		Insert a row into table t, in the current statement, as an INSERT
 *		of the supplied values (in the order of t->cols) would: defaults,
 *		assignment, NOT NULL and CHECK constraints (23502, 23514), the
 *		indexes (23505 and the like), the AFTER INSERT row triggers.
 *		direct_refusal(dw, t) must have returned NULL.  Returns the row as
 *		written, valid until the statement ends.
 */
TupleTableSlot *
direct_insert(DirectWrite *dw, DirectTable *t, const Datum *values,
			  const bool *nulls)
{
	DirectRel  *r = direct_open(dw, t, RowExclusiveLock);
	DirectShape *s = t->shape;
	TupleTableSlot *slot;
	List	   *recheck;
	int			i;

	Assert(s->unfit == NULL);
	slot = r->new_slot;
	ExecClearTuple(slot);
	for (i = 0; i < s->natts; i++)
	{
		int			c = s->supplied[i];

		slot->tts_values[i] = (Datum) 0;
		slot->tts_isnull[i] = true;
		if (TupleDescAttr(RelationGetDescr(r->rel), i)->attisdropped)
			continue;
		if (s->fill[i] != NULL)
			slot->tts_values[i] =
				direct_eval(dw, s, i, c >= 0 ? values[c] : (Datum) 0,
							c >= 0 ? nulls[c] : true, &slot->tts_isnull[i]);
		else if (c >= 0)
		{
			slot->tts_values[i] = values[c];
			slot->tts_isnull[i] = nulls[c];
		}
	}
	ExecStoreVirtualTuple(slot);
	slot->tts_tableOid = RelationGetRelid(r->rel);
	direct_check(dw, r, slot);

	table_tuple_insert(r->rel, slot, GetCurrentCommandId(true), 0, NULL);
	recheck = direct_index(dw, r, slot, false);
	if (recheck != NIL || direct_may_fire(dw, r, slot))
		ExecARInsertTriggers(dw->estate, r->rri, slot, recheck, NULL);
	return slot;
}

/*
 * direct_get
 *		The value of column name in a row that direct.c returned, and in
 *		*isnull whether it is NULL.
 */
Datum
direct_get(TupleTableSlot *slot, const char *name, bool *isnull)
{
	TupleDesc	desc = slot->tts_tupleDescriptor;
	int			i;

	for (i = 0; i < desc->natts; i++)
		if (!TupleDescAttr(desc, i)->attisdropped &&
			strcmp(NameStr(TupleDescAttr(desc, i)->attname), name) == 0)
			return slot_getattr(slot, i + 1, isnull);
	ereport(ERROR,
			(errcode(ERRCODE_UNDEFINED_COLUMN),
			 errmsg("column \"%s\" does not exist", name)));
	return (Datum) 0;			/* keep the compiler quiet */
}

/*
 * direct_column
 *		The value of column name, which must not be NULL, in a row.
 */
Datum
direct_column(TupleTableSlot *slot, const char *name)
{
	bool		isnull;
	Datum		d = direct_get(slot, name, &isnull);

	if (isnull)
		elog(ERROR, "showroom: column \"%s\" of a row is NULL", name);
	return d;
}

/*
 * direct_end
 *		Close what dw opened (keeping the locks to the end of the
 *		transaction).
 */
void
direct_end(DirectWrite *dw)
{
	ListCell   *lc;
	int			i;

	Assert(!dw->in_statement);
	for (i = 0; i < dw->nrels; i++)
	{
		if (dw->rels[i].lockmode == RowExclusiveLock)
			ExecCloseIndices(dw->rels[i].rri);
		table_close(dw->rels[i].rel, NoLock);
	}
	/* Tables the AFTER triggers opened for themselves. */
	foreach(lc, dw->estate->es_trig_target_relations)
		table_close(((ResultRelInfo *) lfirst(lc))->ri_RelationDesc, NoLock);
	ExecResetTupleTable(dw->estate->es_tupleTable, false);
	FreeExecutorState(dw->estate);
	pfree(dw);
	if (nlive_lost > 0)
		nlive_lost--;
	else if (nlive > 0)
		nlive--;
	direct_empty_graveyard();
}
