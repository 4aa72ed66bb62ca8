/*-------------------------------------------------------------------------
 *
 * showroom.h
 *	  Declarations shared by every C file of showroom: the project's
 *	  SQLSTATE class and the small helpers that sit in showroom.c.
 *
 * Domain errors use SQLSTATE class SR so that a client (an ERP, say) can
 * branch on them.  Codes are grouped by room: SR0xx general, SR1xx stock
 * and samples, SR2xx areas and dispatch, SR3xx delivery runs, SR4xx
 * workflow and parts, SR5xx settlement and tariffs, SR6xx roles.  Every
 * code here is listed, with its meaning, in doc/errors.md; SQL code raises
 * the same codes by their five-character text.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SHOWROOM_H
#define SHOWROOM_H

#include "postgres.h"

#include "fmgr.h"
#include "utils/date.h"

#define SR_ERRCODE(a, b, c)	MAKE_SQLSTATE('S', 'R', (a), (b), (c))

/* SR0xx: general */
#define ERRCODE_SR_UNKNOWN_SETTING			SR_ERRCODE('0', '0', '1')
#define ERRCODE_SR_INVALID_SETTING			SR_ERRCODE('0', '0', '2')
#define ERRCODE_SR_NOT_ALLOWED				SR_ERRCODE('0', '0', '3')
#define ERRCODE_SR_OUT_OF_RANGE				SR_ERRCODE('0', '0', '4')

/* SR1xx: stock and samples */
#define ERRCODE_SR_INSUFFICIENT_STOCK		SR_ERRCODE('1', '0', '1')
#define ERRCODE_SR_UNKNOWN_STORE			SR_ERRCODE('1', '0', '2')
#define ERRCODE_SR_UNKNOWN_SKU				SR_ERRCODE('1', '0', '3')
#define ERRCODE_SR_UNKNOWN_ORDER			SR_ERRCODE('1', '0', '4')
#define ERRCODE_SR_UNKNOWN_DC				SR_ERRCODE('1', '0', '5')
#define ERRCODE_SR_INACTIVE_DC				SR_ERRCODE('1', '0', '6')
#define ERRCODE_SR_INVALID_QUANTITY			SR_ERRCODE('1', '0', '7')
#define ERRCODE_SR_INVALID_LOCATION			SR_ERRCODE('1', '0', '8')
#define ERRCODE_SR_ORDER_STATE				SR_ERRCODE('1', '0', '9')
#define ERRCODE_SR_UNKNOWN_SAMPLE			SR_ERRCODE('1', '1', '0')
#define ERRCODE_SR_SAMPLE_STATE				SR_ERRCODE('1', '1', '1')
#define ERRCODE_SR_DUPLICATE_REFERENCE		SR_ERRCODE('1', '1', '2')
#define ERRCODE_SR_LEDGER_APPEND_ONLY		SR_ERRCODE('1', '1', '3')
#define ERRCODE_SR_INACTIVE_STORE			SR_ERRCODE('1', '1', '4')
#define ERRCODE_SR_INACTIVE_SKU				SR_ERRCODE('1', '1', '5')
#define ERRCODE_SR_UNKNOWN_SALES_LINE		SR_ERRCODE('1', '1', '6')
#define ERRCODE_SR_SALES_RECORD_KEPT		SR_ERRCODE('1', '1', '7')
#define ERRCODE_SR_AMOUNT_OUT_OF_RANGE		SR_ERRCODE('1', '1', '8')
#define ERRCODE_SR_INVALID_LINE_ARRAY		SR_ERRCODE('1', '1', '9')
#define ERRCODE_SR_DATE_OUT_OF_RANGE		SR_ERRCODE('1', '2', '0')
#define ERRCODE_SR_INVALID_REFERENCE		SR_ERRCODE('1', '2', '1')

/* SR2xx: service areas and dispatch */
#define ERRCODE_SR_UNKNOWN_OUTLET			SR_ERRCODE('2', '0', '1')
#define ERRCODE_SR_INVALID_AREA				SR_ERRCODE('2', '0', '2')
#define ERRCODE_SR_WRONG_SRID				SR_ERRCODE('2', '0', '3')
#define ERRCODE_SR_NO_ELIGIBLE_OUTLET		SR_ERRCODE('2', '0', '4')
#define ERRCODE_SR_CAPACITY_FULL			SR_ERRCODE('2', '0', '5')
#define ERRCODE_SR_OUTLET_SUSPENDED			SR_ERRCODE('2', '0', '6')
#define ERRCODE_SR_UNKNOWN_SERVICE_KIND		SR_ERRCODE('2', '0', '7')
#define ERRCODE_SR_ORDER_NOT_PENDING		SR_ERRCODE('2', '0', '8')
#define ERRCODE_SR_OUTLET_NOT_SUSPENDED		SR_ERRCODE('2', '0', '9')

/* SR3xx: delivery runs */
#define ERRCODE_SR_UNKNOWN_VEHICLE			SR_ERRCODE('3', '0', '1')
#define ERRCODE_SR_RUN_LOADED				SR_ERRCODE('3', '0', '2')
#define ERRCODE_SR_UNKNOWN_RUN				SR_ERRCODE('3', '0', '3')
#define ERRCODE_SR_INVALID_VEHICLE			SR_ERRCODE('3', '0', '4')
#define ERRCODE_SR_DUPLICATE_VEHICLE		SR_ERRCODE('3', '0', '5')

/* SR4xx: service workflow and parts */
#define ERRCODE_SR_UNKNOWN_SERVICE_ORDER	SR_ERRCODE('4', '0', '1')
#define ERRCODE_SR_TRANSITION_NOT_ALLOWED	SR_ERRCODE('4', '0', '2')
#define ERRCODE_SR_UNKNOWN_PROBLEM_CODE		SR_ERRCODE('4', '0', '3')
#define ERRCODE_SR_UNKNOWN_PART				SR_ERRCODE('4', '0', '4')
#define ERRCODE_SR_NO_PRICE					SR_ERRCODE('4', '0', '5')
#define ERRCODE_SR_REQUIRED_FIELD			SR_ERRCODE('4', '0', '6')
#define ERRCODE_SR_PRICE_CONFLICT			SR_ERRCODE('4', '0', '7')
#define ERRCODE_SR_CODE_IN_USE				SR_ERRCODE('4', '0', '8')
#define ERRCODE_SR_INSUFFICIENT_PARTS		SR_ERRCODE('4', '0', '9')
#define ERRCODE_SR_UNKNOWN_COMPLAINT		SR_ERRCODE('4', '1', '0')
#define ERRCODE_SR_COMPLAINT_RESOLVED		SR_ERRCODE('4', '1', '1')
#define ERRCODE_SR_CODE_OUTSIDE_BRANCH		SR_ERRCODE('4', '1', '2')
#define ERRCODE_SR_SERVICE_ORDER_STATE		SR_ERRCODE('4', '1', '3')
#define ERRCODE_SR_INVALID_TRANSITION		SR_ERRCODE('4', '1', '4')
#define ERRCODE_SR_APPEND_ONLY				SR_ERRCODE('4', '1', '5')

/* SR5xx: settlement and tariffs */
#define ERRCODE_SR_INVALID_TARIFF			SR_ERRCODE('5', '0', '1')
#define ERRCODE_SR_PERIOD_CLOSED			SR_ERRCODE('5', '0', '2')
#define ERRCODE_SR_STATEMENT_CLOSED			SR_ERRCODE('5', '0', '3')
#define ERRCODE_SR_NO_FEE_RULE				SR_ERRCODE('5', '0', '4')
#define ERRCODE_SR_MONEY_OUT_OF_RANGE		SR_ERRCODE('5', '0', '5')
#define ERRCODE_SR_NO_DISTANCE				SR_ERRCODE('5', '0', '6')

/* SR6xx: roles */
#define ERRCODE_SR_NOT_MAPPED				SR_ERRCODE('6', '0', '1')
#define ERRCODE_SR_UNKNOWN_LOGIN			SR_ERRCODE('6', '0', '2')
#define ERRCODE_SR_ROLE_BYPASSES_RLS		SR_ERRCODE('6', '0', '3')

/* SR7xx: the fee model and outlet discipline */
#define ERRCODE_SR_UNKNOWN_FEE_ITEM			SR_ERRCODE('7', '0', '1')
#define ERRCODE_SR_NO_FEE_PRICE				SR_ERRCODE('7', '0', '2')
#define ERRCODE_SR_FEE_PRICE_CONFLICT		SR_ERRCODE('7', '0', '3')
#define ERRCODE_SR_FEE_DOCUMENT_STATE		SR_ERRCODE('7', '0', '4')
#define ERRCODE_SR_CHARGE_ABOVE_CATALOGUE	SR_ERRCODE('7', '0', '5')
#define ERRCODE_SR_INCIDENT					SR_ERRCODE('7', '0', '6')
#define ERRCODE_SR_APPEAL_REFUSED			SR_ERRCODE('7', '0', '7')
#define ERRCODE_SR_APPEAL_STATE				SR_ERRCODE('7', '0', '8')
#define ERRCODE_SR_UNKNOWN_OFFER			SR_ERRCODE('7', '0', '9')
#define ERRCODE_SR_OFFER_NOT_OPEN			SR_ERRCODE('7', '1', '0')
#define ERRCODE_SR_COLLECTOR_BLOCKED		SR_ERRCODE('7', '1', '1')
#define ERRCODE_SR_HANDOVER_REVIEW			SR_ERRCODE('7', '1', '2')

/* SR8xx: decision support */
#define ERRCODE_SR_INVALID_PERIOD			SR_ERRCODE('8', '0', '1')
#define ERRCODE_SR_NO_DELIVERIES			SR_ERRCODE('8', '0', '2')
#define ERRCODE_SR_INVALID_SITE				SR_ERRCODE('8', '0', '3')
#define ERRCODE_SR_UNKNOWN_ALERT_RULE		SR_ERRCODE('8', '0', '4')
#define ERRCODE_SR_INVALID_ALERT_RULE		SR_ERRCODE('8', '0', '5')
#define ERRCODE_SR_DUPLICATE_ALERT_RULE		SR_ERRCODE('8', '0', '6')
#define ERRCODE_SR_UNKNOWN_ALERT			SR_ERRCODE('8', '0', '7')
#define ERRCODE_SR_ALERT_STATE				SR_ERRCODE('8', '0', '8')
#define ERRCODE_SR_DUPLICATE_DISTRICT		SR_ERRCODE('8', '0', '9')

/*
 * A step that may fail softly, run in a subtransaction of its own so that
 * giving it up leaves nothing behind, not even a row lock (showroom.c).
 */
typedef bool (*ShowroomStep) (void *arg);

extern bool showroom_attempt(ShowroomStep step, void *arg);

/*
 * A statement prepared once and kept for the life of the backend
 * (showroom.c); cursor_options as for SPI_prepare_cursor, 0 for none.
 * The caller is connected to SPI.
 */
struct _SPI_plan;
extern struct _SPI_plan *showroom_prepare_kept(const char *sql, int nargs,
											   Oid *types,
											   int cursor_options);

/*
 * A kept plan that remembers its argument types, for statements whose
 * arguments include a PostGIS type: showroom_plan() prepares it on first
 * use and again whenever the types differ, as after PostGIS was dropped
 * and created again in the session, which gives its types new OIDs.
 * Zeroed (static) storage is an empty slot.
 */
#define SHOWROOM_PLAN_MAX_ARGS 16

typedef struct ShowroomPlan
{
	struct _SPI_plan *plan;
	int			nargs;
	Oid			types[SHOWROOM_PLAN_MAX_ARGS];
} ShowroomPlan;

extern struct _SPI_plan *showroom_plan(ShowroomPlan *slot, const char *sql,
									   int nargs, Oid *types,
									   int cursor_options);

/*
 * Refuse a business day outside the years 2000 to 2999 (an infinite or
 * mistyped date) with SR004 naming the argument what, as the SQL
 * function showroom.check_day does (showroom.c).
 */
extern void showroom_check_day(const char *what, DateADT day);

/* A PostGIS function, found through the geometry type (showroom.c). */
extern void showroom_gis_function(Oid geometry_type, const char *name,
								  int nargs, const Oid *args,
								  FmgrInfo *flinfo, MemoryContext cxt);

/*
 * SQL arrays built from C arrays of n values, for the statements that
 * write many rows at once (showroom.c).  n may be 0.
 */
extern Datum showroom_int2_array(const int16 *v, int n);
extern Datum showroom_int4_array(const int32 *v, int n);
extern Datum showroom_int8_array(const int64 *v, int n);
extern Datum showroom_float8_array(const double *v, int n);
extern Datum showroom_text_array(char *const *v, int n);

#endif							/* SHOWROOM_H */
