/*-------------------------------------------------------------------------
 *
 * direct.c
 *	  Rows inserted without the executor, with the checks an INSERT makes.
 *
 * Starting the executor for a one-row INSERT costs more than the write
 * itself: the plan is checked, a ModifyTable node is built, the table's
 * CHECK constraints are read back from their stored text and planned, and
 * the projection is compiled, on every statement.  The commonest sale
 * writes four such rows.  This file writes a row the way the executor
 * would, but with the table's defaults, coercions, CHECKs and trigger
 * conditions planned once per backend and kept until the table (or any
 * function) changes:
 *
 *	- every column the caller does not supply gets its default, as an
 *	  INSERT gives it (a domain column without one gets NULL, checked
 *	  against the domain);
 *	- every supplied value is assigned to its column as an INSERT assigns
 *	  it (domain checks, type modifiers, enum labels);
 *	- NOT NULL and CHECK constraints are checked, with the executor's
 *	  SQLSTATEs and messages (but not its "Failing row contains" detail);
 *	- the row goes to the table access method and to every index, which
 *	  checks uniqueness.
 *
 * Only a table whose every rule an INSERT would follow is known here may
 * be written so.  direct_refusal() says why not otherwise, and the caller
 * then writes through SQL statements as before:
 *
 *	- the role must hold INSERT and SELECT on the table (the statements
 *	  insert and return the new id); column privileges alone do not do;
 *	- row-level security must not apply to the role, or every policy that
 *	  applies to it for INSERT or SELECT must be unconditionally true (a
 *	  superuser, the owner, showroom_admin; not a clerk, whose policies
 *	  name stores);
 *	- the table must have no INSERT rule, no generated or identity column,
 *	  no statement-level, BEFORE or INSTEAD OF INSERT trigger, no
 *	  transition table, and no AFTER INSERT row trigger without a WHEN
 *	  condition (foreign keys and deferrable unique constraints are such
 *	  triggers); an AFTER INSERT row trigger with a WHEN condition is
 *	  allowed, and a row on which its condition holds is refused by
 *	  direct_form() before anything is written;
 *	- no executor permission hook (sepgsql, an auditing module) and no
 *	  row-level security hook may be loaded, since they would not see the
 *	  write;
 *	- the transaction must be read-write and not in parallel mode.
 *
 * What the executor does and this file does not: pg_stat_statements and
 * EXPLAIN do not see these writes as statements (the table's own counters
 * in pg_stat_user_tables do count them).
 *
 *-------------------------------------------------------------------------
 */
#include "showroom.h"

#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_trigger.h"
#include "catalog/pg_type.h"
#include "executor/executor.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "optimizer/optimizer.h"
#include "parser/parse_coerce.h"
#include "parser/parse_relation.h"
#include "rewrite/prs2lock.h"
#include "rewrite/rewriteHandler.h"
#include "rewrite/rewriteManip.h"
#include "rewrite/rowsecurity.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/rls.h"
#include "utils/syscache.h"

#include "direct.h"

/* The most tables one call may write, and the most any backend knows. */
#define DIRECT_MAX_RELS 8

/*
 * What direct.c keeps of a table, built from its relcache entry: how to
 * fill each column, its CHECKs and the WHEN conditions of its triggers,
 * all planned.  Expressions refer to the new row as the scan tuple
 * (CHECKs, defaults never refer to it) or, in trigger conditions, as the
 * outer tuple, as the executor has them.
 */
typedef struct DirectShape
{
	MemoryContext cxt;			/* holds this struct and all below */
	Oid			relid;
	bool		valid;			/* false once the table or a function changed */
	const char *unfit;			/* why the table cannot be written here */
	int			natts;
	int		   *supplied;		/* per column: index into cols[], or -1 */
	Oid		   *ptype;			/* per supplied column: the type of $1 */
	Expr	  **fill;			/* per column: default, or assignment of the
								 * supplied value as Param $1; NULL if none */
	int			ncheck;
	char	  **check_name;
	Expr	  **check_expr;
	int			nwhen;
	char	  **when_name;
	List	  **when_qual;		/* implicit-AND lists */
} DirectShape;

/* One table opened by a DirectWrite. */
typedef struct DirectRel
{
	DirectTable *table;
	Relation	rel;
	ResultRelInfo *rri;
	TupleTableSlot *slot;		/* the row formed and not yet inserted */
	bool		indices_open;
} DirectRel;

struct DirectWrite
{
	EState	   *estate;
	ExprContext *econtext;		/* for our expressions; never reset */
	ParamListInfo params;		/* $1 of an assignment */
	int			nrels;
	DirectRel	rels[DIRECT_MAX_RELS];
	bool		wrote;
};

/* Every table this backend has built a shape for, for invalidation. */
static DirectTable *known[DIRECT_MAX_RELS];
static int	nknown = 0;
static bool callbacks_registered = false;

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
 * direct_plan_fill
 *		The expression that gives column att of rel its value: when the
 *		caller supplies it, the assignment of a Param $1 of type srctype
 *		(NULL when the value needs no coercion); else the column's default,
 *		else for a domain column a NULL checked against the domain.
 */
static Expr *
direct_plan_fill(Relation rel, Form_pg_attribute att, bool supplied,
				 Oid srctype)
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
			elog(ERROR, "showroom: cannot assign type %s to column \"%s\" of table \"%s\"",
				 format_type_be(srctype), NameStr(att->attname),
				 RelationGetRelationName(rel));
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
 * direct_shape_unfit
 *		Why the rules of table rel rule out writing it here, or NULL.
 */
static const char *
direct_shape_unfit(Relation rel)
{
	TriggerDesc *trig = rel->trigdesc;
	TupleDesc	desc = RelationGetDescr(rel);
	int			i;

	if (rel->rd_rel->relkind != RELKIND_RELATION || rel->rd_rel->relispartition)
		return "it is not a plain table";
	if (rel->rd_rules != NULL)
		for (i = 0; i < rel->rd_rules->numLocks; i++)
			if (rel->rd_rules->rules[i]->event == CMD_INSERT)
				return "it has an INSERT rule";
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
	for (i = 0; i < trig->numtriggers; i++)
	{
		Trigger    *t = &trig->triggers[i];

		if (!TRIGGER_FOR_INSERT(t->tgtype))
			continue;
		if (!TRIGGER_FOR_ROW(t->tgtype) || !TRIGGER_FOR_AFTER(t->tgtype))
			return "it has a statement-level, BEFORE or INSTEAD OF INSERT trigger";
		if (t->tgqual == NULL)
			return "it has an AFTER INSERT trigger without a WHEN condition";
	}
	return NULL;
}

/*
 * direct_shape_build
 *		Build what direct.c keeps of DirectTable t from its open relation.
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

	cxt = AllocSetContextCreate(CacheMemoryContext, "showroom direct write",
								ALLOCSET_SMALL_SIZES);
	MemoryContextCopyAndSetIdentifier(cxt, t->relname);
	old = MemoryContextSwitchTo(cxt);

	s = palloc0(sizeof(DirectShape));
	s->cxt = cxt;
	s->relid = RelationGetRelid(rel);
	s->valid = true;
	s->unfit = direct_shape_unfit(rel);
	s->natts = desc->natts;
	s->supplied = palloc(sizeof(int) * desc->natts);
	s->ptype = palloc0(sizeof(Oid) * desc->natts);
	s->fill = palloc0(sizeof(Expr *) * desc->natts);
	for (i = 0; i < desc->natts; i++)
		s->supplied[i] = -1;
	for (i = 0; i < t->ncols; i++)
	{
		AttrNumber	attnum = attnameAttNum(rel, t->cols[i].name, false);

		if (attnum <= 0)
			elog(ERROR, "showroom: table \"%s\" has no column \"%s\"",
				 t->relname, t->cols[i].name);
		s->supplied[attnum - 1] = i;
		/* No type given: the column's own, with its type modifier. */
		s->ptype[attnum - 1] = OidIsValid(t->cols[i].type) ? t->cols[i].type :
			TupleDescAttr(desc, attnum - 1)->atttypid;
	}
	if (s->unfit == NULL)
	{
		for (i = 0; i < desc->natts; i++)
		{
			Form_pg_attribute att = TupleDescAttr(desc, i);

			if (att->attisdropped)
				continue;
			s->fill[i] = direct_plan_fill(rel, att, s->supplied[i] >= 0,
										  s->ptype[i]);
		}

		s->ncheck = constr != NULL ? constr->num_check : 0;
		s->check_name = palloc(sizeof(char *) * (s->ncheck + 1));
		s->check_expr = palloc(sizeof(Expr *) * (s->ncheck + 1));
		for (i = 0; i < s->ncheck; i++)
		{
			s->check_name[i] = pstrdup(constr->check[i].ccname);
			s->check_expr[i] =
				expression_planner(stringToNode(constr->check[i].ccbin));
		}

		s->when_name = palloc(sizeof(char *) * (trig ? trig->numtriggers + 1 : 1));
		s->when_qual = palloc(sizeof(List *) * (trig ? trig->numtriggers + 1 : 1));
		for (i = 0; trig != NULL && i < trig->numtriggers; i++)
		{
			Trigger    *tg = &trig->triggers[i];
			Node	   *qual;

			if (!TRIGGER_FOR_INSERT(tg->tgtype))
				continue;
			/* As the executor does: NEW is the outer tuple. */
			qual = stringToNode(tg->tgqual);
			ChangeVarNodes(qual, PRS2_OLD_VARNO, INNER_VAR, 0);
			ChangeVarNodes(qual, PRS2_NEW_VARNO, OUTER_VAR, 0);
			s->when_name[s->nwhen] = pstrdup(tg->tgname);
			s->when_qual[s->nwhen] = (List *)
				expression_planner((Expr *) make_ands_implicit((Expr *) qual));
			s->nwhen++;
		}
	}
	MemoryContextSwitchTo(old);
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
 *		Why row-level security on rel rules out a direct write by role user,
 *		or NULL: it does not apply, or each of the role's policies for
 *		INSERT and SELECT lets every row through and some permissive one
 *		allows each command.
 */
static const char *
direct_rls_refusal(Relation rel, Oid user)
{
	ListCell   *lc;
	bool		may_insert = false;
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

		if (p->polcmd != '*' && p->polcmd != ACL_INSERT_CHR &&
			p->polcmd != ACL_SELECT_CHR)
			continue;
		if (!direct_policy_applies(p->roles, user))
			continue;
		if (!direct_always_true(p->qual) ||
			!direct_always_true(p->with_check_qual))
			return "a row-level security policy of the role has a condition";
		if (p->permissive)
		{
			may_insert |= p->polcmd != ACL_SELECT_CHR;
			may_select |= p->polcmd != ACL_INSERT_CHR;
		}
	}
	if (!may_insert || !may_select)
		return "row-level security refuses every row to the role";
	return NULL;
}

/*
 * direct_begin
 *		Start the direct writes of one call, in the current memory context.
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
		callbacks_registered = true;
	}
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
 * direct_open
 *		The entry of table t in dw, opening the table (and rebuilding its
 *		shape if it is stale) on first use.
 */
static DirectRel *
direct_open(DirectWrite *dw, DirectTable *t)
{
	DirectRel  *r;
	Oid			relid;
	int			i;

	for (i = 0; i < dw->nrels; i++)
		if (dw->rels[i].table == t)
			return &dw->rels[i];
	if (dw->nrels == DIRECT_MAX_RELS)
		elog(ERROR, "showroom: too many tables in one direct write");

	relid = get_relname_relid(t->relname,
							  get_namespace_oid("showroom", false));
	if (!OidIsValid(relid))
		elog(ERROR, "showroom: no table showroom.%s", t->relname);
	r = &dw->rels[dw->nrels++];
	r->table = t;
	/* Taking the lock reads pending invalidations, so it comes first. */
	r->rel = table_open(relid, RowExclusiveLock);

	if (t->shape != NULL && (!t->shape->valid || t->shape->relid != relid))
	{
		MemoryContextDelete(t->shape->cxt);
		t->shape = NULL;
	}
	if (t->shape == NULL)
	{
		for (i = 0; i < nknown && known[i] != t; i++)
			;
		if (i == nknown)
		{
			if (nknown == DIRECT_MAX_RELS)
				elog(ERROR, "showroom: too many tables written directly");
			known[nknown++] = t;
		}
		t->shape = direct_shape_build(t, r->rel);
	}

	r->rri = makeNode(ResultRelInfo);
	InitResultRelInfo(r->rri, r->rel, 1, NULL, 0);
	r->slot = NULL;
	r->indices_open = false;
	return r;
}

/*
 * direct_refusal
 *		Open table t for a direct write and say why it may not be written
 *		so by the current role now, or NULL when it may.
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
	r = direct_open(dw, t);
	if (t->shape->unfit != NULL)
		return t->shape->unfit;
	if (pg_class_aclmask(RelationGetRelid(r->rel), user, need,
						 ACLMASK_ALL) != need)
		return "the role lacks INSERT or SELECT on it";
	return direct_rls_refusal(r->rel, user);
}

/*
 * direct_state
 *		Compile a kept expression (an implicit-AND list when qual) for this
 *		call, in dw's memory.
 */
static ExprState *
direct_state(DirectWrite *dw, void *expr, bool qual)
{
	MemoryContext old = MemoryContextSwitchTo(dw->estate->es_query_cxt);
	ExprState  *state;

	state = qual ? ExecInitQual((List *) expr, NULL) :
		ExecInitExpr((Expr *) expr, NULL);
	MemoryContextSwitchTo(old);
	return state;
}

/*
 * direct_eval
 *		Evaluate a kept expression in dw's expression context, with the
 *		value of $1 (if any) given.
 */
static Datum
direct_eval(DirectWrite *dw, Expr *expr, Oid ptype, Datum value, bool null,
			bool *isnull)
{
	ExprState  *state = direct_state(dw, expr, false);
	dw->params->params[0].value = value;
	dw->params->params[0].isnull = null;
	dw->params->params[0].pflags = PARAM_FLAG_CONST;
	dw->params->params[0].ptype = ptype;
	return ExecEvalExpr(state, dw->econtext, isnull);
}

/*
 * direct_form
 *		Form the row of table t from the supplied values (in the order of
 *		t->cols), filling and checking it as an INSERT would.
 *
 * Raises the executor's errors for a NULL in a NOT NULL column
 * (23502) and a failed CHECK (23514); returns NULL, with the reason in
 * *refusal, when an INSERT trigger of the table would fire on the row.
 * direct_refusal(dw, t) must have returned NULL first.  The slot stays
 * valid until direct_end.
 */
TupleTableSlot *
direct_form(DirectWrite *dw, DirectTable *t, const Datum *values,
			const bool *nulls, const char **refusal)
{
	DirectRel  *r = direct_open(dw, t);
	DirectShape *s = t->shape;
	TupleDesc	desc = RelationGetDescr(r->rel);
	TupleTableSlot *slot;
	ExprContext *econtext = dw->econtext;
	MemoryContext old;
	int			i;

	Assert(s->unfit == NULL);
	old = MemoryContextSwitchTo(dw->estate->es_query_cxt);
	slot = ExecInitExtraTupleSlot(dw->estate, desc, &TTSOpsVirtual);
	MemoryContextSwitchTo(old);
	ExecClearTuple(slot);
	for (i = 0; i < s->natts; i++)
	{
		int			c = s->supplied[i];

		slot->tts_values[i] = (Datum) 0;
		slot->tts_isnull[i] = true;
		if (TupleDescAttr(desc, i)->attisdropped)
			continue;
		if (s->fill[i] != NULL)
			slot->tts_values[i] =
				direct_eval(dw, s->fill[i],
							s->ptype[i],
							c >= 0 ? values[c] : (Datum) 0,
							c >= 0 ? nulls[c] : true,
							&slot->tts_isnull[i]);
		else if (c >= 0)
		{
			slot->tts_values[i] = values[c];
			slot->tts_isnull[i] = nulls[c];
		}
	}
	ExecStoreVirtualTuple(slot);

	for (i = 0; i < s->natts; i++)
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

	econtext->ecxt_scantuple = slot;
	for (i = 0; i < s->ncheck; i++)
	{
		if (!ExecCheck(direct_state(dw, s->check_expr[i], false), econtext))
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("new row for relation \"%s\" violates check constraint \"%s\"",
							RelationGetRelationName(r->rel),
							s->check_name[i]),
					 errtableconstraint(r->rel, s->check_name[i])));
	}

	econtext->ecxt_outertuple = slot;
	econtext->ecxt_innertuple = NULL;
	for (i = 0; i < s->nwhen; i++)
	{
		if (ExecQual(direct_state(dw, s->when_qual[i], true), econtext))
		{
			*refusal = psprintf("trigger %s fires on the row",
								s->when_name[i]);
			return NULL;
		}
	}
	r->slot = slot;
	return slot;
}

/*
 * direct_column
 *		The value of column name in a row that direct_form returned.
 */
Datum
direct_column(TupleTableSlot *slot, const char *name)
{
	TupleDesc	desc = slot->tts_tupleDescriptor;
	bool		isnull;
	int			i;

	for (i = 0; i < desc->natts; i++)
		if (!TupleDescAttr(desc, i)->attisdropped &&
			strcmp(NameStr(TupleDescAttr(desc, i)->attname), name) == 0)
		{
			Datum		d = slot_getattr(slot, i + 1, &isnull);

			if (isnull)
				elog(ERROR, "showroom: column \"%s\" of a new row is NULL", name);
			return d;
		}
	elog(ERROR, "showroom: a new row has no column \"%s\"", name);
	return (Datum) 0;			/* keep the compiler quiet */
}

/*
 * direct_insert
 *		Insert the row that direct_form returned as slot into its table and
 *		its indexes.
 */
void
direct_insert(DirectWrite *dw, TupleTableSlot *slot)
{
	DirectRel  *r = NULL;
	List	   *recheck;
	int			i;

	for (i = 0; i < dw->nrels; i++)
		if (dw->rels[i].slot == slot)
			r = &dw->rels[i];
	if (r == NULL)
		elog(ERROR, "showroom: direct insert of a row not formed");

	if (!r->indices_open)
	{
		ExecOpenIndices(r->rri, false);
		r->indices_open = true;
	}
	table_tuple_insert(r->rel, slot, GetCurrentCommandId(true), 0, NULL);
	recheck = ExecInsertIndexTuples(r->rri, slot, dw->estate, false, false,
									NULL, NIL);
	/* A deferred uniqueness check is a trigger, which rules a table out. */
	if (recheck != NIL)
		elog(ERROR, "showroom: direct insert into a table with a deferred unique index");
	r->slot = NULL;
	dw->wrote = true;
}

/*
 * direct_end
 *		Close what dw opened (keeping the locks to the end of the
 *		transaction) and make its rows visible to the next command.
 */
void
direct_end(DirectWrite *dw)
{
	int			i;

	for (i = 0; i < dw->nrels; i++)
	{
		if (dw->rels[i].indices_open)
			ExecCloseIndices(dw->rels[i].rri);
		table_close(dw->rels[i].rel, NoLock);
	}
	ExecResetTupleTable(dw->estate->es_tupleTable, false);
	FreeExecutorState(dw->estate);
	if (dw->wrote)
		CommandCounterIncrement();
	pfree(dw);
}
