/*-------------------------------------------------------------------------
 *
 * runs.c
 *	  SQL entry point of the delivery-run heuristic: showroom.route_plan()
 *	  takes the day's deliveries and vehicles as arrays, checks them, hands
 *	  them to the pure planner in routing.c and returns its plan as rows.
 *
 * The SQL function showroom.plan_runs() gathers the arrays from the tables
 * and writes the plan back; this file reads no table and runs no query.
 * All memory of one call lives in a context made at entry and deleted once
 * the rows are in the tuplestore.
 *
 *-------------------------------------------------------------------------
 */
#include "showroom.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "routing.h"

#define SECONDS_PER_DAY		86400
#define ROUTE_PLAN_COLS		7

/* One array argument, taken apart. */
typedef struct ArrayArg
{
	Datum	   *values;
	bool	   *nulls;
	int			n;
} ArrayArg;

/*
 * get_array
 *		Take apart array argument argno (named name, of element type elem).
 *		A NULL array is an error; NULL elements are allowed only when
 *		nulls_ok, and then reported in the result's nulls.
 */
static ArrayArg
get_array(FunctionCallInfo fcinfo, int argno, const char *name, Oid elem,
		  bool nulls_ok)
{
	ArrayArg	a;
	ArrayType  *arr;
	int16		typlen;
	bool		typbyval;
	char		typalign;
	int			i;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("route_plan argument %s must not be null", name)));
	arr = PG_GETARG_ARRAYTYPE_P(argno);
	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("route_plan argument %s must be one-dimensional", name),
				 errdetail("It has %d dimensions.", ARR_NDIM(arr))));
	get_typlenbyvalalign(elem, &typlen, &typbyval, &typalign);
	deconstruct_array(arr, elem, typlen, typbyval, typalign,
					  &a.values, &a.nulls, &a.n);

	for (i = 0; i < a.n && !nulls_ok; i++)
		if (a.nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("route_plan argument %s must not hold nulls", name),
					 errdetail("Element %d is null.", i + 1)));
	return a;
}

/*
 * check_length
 *		Raise an error unless array a (named name) has n elements.
 */
static void
check_length(const ArrayArg *a, int n, const char *name, const char *first)
{
	if (a->n != n)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("route_plan arrays %s and %s differ in length", first,
						name),
				 errdetail("%s has %d elements, %s has %d.", first, n, name,
						   a->n)));
}

/*
 * check_amount
 *		Raise an error unless value (element i of array name) is finite and
 *		at least floor (or above it, when strict).
 */
static double
check_amount(double value, const char *name, int i, double floor,
			 bool strict)
{
	if (isnan(value) || isinf(value) || value < floor ||
		(strict && value == floor))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("route_plan %s out of range", name),
				 errdetail("Element %d is %g; it must be %s %g.", i + 1, value,
						   strict ? "above" : "at least", floor)));
	return value;
}

/*
 * check_time
 *		Return element i of array a as seconds since midnight, or
 *		ROUTING_NO_TIME for a null; raise an error outside [0, 86400].
 */
static int
check_time(const ArrayArg *a, int i, const char *name)
{
	int32		t;

	if (a->nulls[i])
		return ROUTING_NO_TIME;
	t = DatumGetInt32(a->values[i]);
	if (t < 0 || t > SECONDS_PER_DAY)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("route_plan %s out of range", name),
				 errdetail("Element %d is %d seconds; a time of day lies in [0, 86400].",
						   i + 1, t)));
	return t;
}

/*
 * check_window
 *		Raise an error unless from is before to (either may be open).
 */
static void
check_window(int from, int to, const char *what, int i)
{
	if (from != ROUTING_NO_TIME && to != ROUTING_NO_TIME && from >= to)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("route_plan %s window is empty", what),
				 errdetail("Element %d runs from %d to %d seconds.", i + 1,
						   from, to),
				 errhint("The start of a window must come before its end.")));
}

/*
 * read_deliveries
 *		Build the deliveries from arguments 2 to 9; return their number.
 */
static int
read_deliveries(FunctionCallInfo fcinfo, RoutingDelivery **out)
{
	ArrayArg	lon = get_array(fcinfo, 2, "lon", FLOAT8OID, false);
	ArrayArg	lat = get_array(fcinfo, 3, "lat", FLOAT8OID, false);
	ArrayArg	vol = get_array(fcinfo, 4, "volume", FLOAT8OID, false);
	ArrayArg	wt = get_array(fcinfo, 5, "weight", FLOAT8OID, false);
	ArrayArg	from = get_array(fcinfo, 6, "win_from", INT4OID, true);
	ArrayArg	to = get_array(fcinfo, 7, "win_to", INT4OID, true);
	ArrayArg	svc = get_array(fcinfo, 8, "service_s", INT4OID, false);
	ArrayArg	ins = get_array(fcinfo, 9, "install_s", INT4OID, false);
	RoutingDelivery *d;
	int			i;

	check_length(&lat, lon.n, "lat", "lon");
	check_length(&vol, lon.n, "volume", "lon");
	check_length(&wt, lon.n, "weight", "lon");
	check_length(&from, lon.n, "win_from", "lon");
	check_length(&to, lon.n, "win_to", "lon");
	check_length(&svc, lon.n, "service_s", "lon");
	check_length(&ins, lon.n, "install_s", "lon");

	d = palloc0(sizeof(RoutingDelivery) * (lon.n + 1));
	for (i = 0; i < lon.n; i++)
	{
		d[i].lon = check_amount(DatumGetFloat8(lon.values[i]), "lon", i,
								-180.0, false);
		d[i].lat = check_amount(DatumGetFloat8(lat.values[i]), "lat", i,
								-90.0, false);
		if (d[i].lon > 180.0 || d[i].lat > 90.0)
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("route_plan delivery point out of range"),
					 errdetail("Element %d is (%g, %g).", i + 1, d[i].lon,
							   d[i].lat),
					 errhint("Pass longitude first, then latitude.")));
		d[i].volume = check_amount(DatumGetFloat8(vol.values[i]), "volume",
								   i, 0.0, false);
		d[i].weight = check_amount(DatumGetFloat8(wt.values[i]), "weight",
								   i, 0.0, false);
		d[i].win_from = check_time(&from, i, "win_from");
		d[i].win_to = check_time(&to, i, "win_to");
		check_window(d[i].win_from, d[i].win_to, "delivery", i);
		d[i].service_s = (int) check_amount(DatumGetInt32(svc.values[i]),
											"service_s", i, 0.0, false);
		d[i].install_s = (int) check_amount(DatumGetInt32(ins.values[i]),
											"install_s", i, 0.0, false);
	}
	*out = d;
	return lon.n;
}

/*
 * read_vehicles
 *		Build the vehicles from arguments 10 to 14; return their number.
 */
static int
read_vehicles(FunctionCallInfo fcinfo, RoutingVehicle **out)
{
	ArrayArg	vol = get_array(fcinfo, 10, "v_volume", FLOAT8OID, false);
	ArrayArg	wt = get_array(fcinfo, 11, "v_weight", FLOAT8OID, false);
	ArrayArg	from = get_array(fcinfo, 12, "v_from", INT4OID, false);
	ArrayArg	to = get_array(fcinfo, 13, "v_to", INT4OID, false);
	ArrayArg	inst = get_array(fcinfo, 14, "v_installs", BOOLOID, false);
	RoutingVehicle *v;
	int			i;

	check_length(&wt, vol.n, "v_weight", "v_volume");
	check_length(&from, vol.n, "v_from", "v_volume");
	check_length(&to, vol.n, "v_to", "v_volume");
	check_length(&inst, vol.n, "v_installs", "v_volume");

	v = palloc0(sizeof(RoutingVehicle) * (vol.n + 1));
	for (i = 0; i < vol.n; i++)
	{
		v[i].volume = check_amount(DatumGetFloat8(vol.values[i]),
								   "v_volume", i, 0.0, true);
		v[i].weight = check_amount(DatumGetFloat8(wt.values[i]),
								   "v_weight", i, 0.0, true);
		v[i].work_from = check_time(&from, i, "v_from");
		v[i].work_to = check_time(&to, i, "v_to");
		check_window(v[i].work_from, v[i].work_to, "working", i);
		v[i].installs = DatumGetBool(inst.values[i]);
	}
	*out = v;
	return vol.n;
}

/* Allocator handed to the pure planner. */
static void *
route_alloc(size_t size)
{
	return palloc0(size);
}

/*
 * emit
 *		Append one row of the plan to the tuplestore.  Indices are 0-based
 *		here and 1-based in SQL; a negative delivery or vehicle is NULL.
 */
static void
emit(ReturnSetInfo *rsinfo, int delivery, int vehicle, int seq, int arrival,
	 int start, double leg_m, const char *reason)
{
	Datum		values[ROUTE_PLAN_COLS];
	bool		nulls[ROUTE_PLAN_COLS];
	bool		planned = (vehicle >= 0);

	memset(nulls, 0, sizeof(nulls));
	values[0] = Int32GetDatum(delivery + 1);
	nulls[0] = (delivery < 0);
	values[1] = Int32GetDatum(vehicle + 1);
	nulls[1] = !planned;
	values[2] = Int32GetDatum(seq);
	nulls[2] = !planned;
	values[3] = Int32GetDatum(arrival);
	nulls[3] = !planned;
	values[4] = Int32GetDatum(start);
	nulls[4] = !planned;
	values[5] = Float8GetDatum(leg_m);
	nulls[5] = !planned;
	values[6] = PointerGetDatum(cstring_to_text(reason));
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
}

/*
 * route_plan
 *		SQL: showroom.route_plan(depot_lon, depot_lat, lon[], lat[],
 *		volume[], weight[], win_from[], win_to[], service_s[], install_s[],
 *		v_volume[], v_weight[], v_from[], v_to[], v_installs[], speed_kmh).
 *		Plan the deliveries onto the vehicles and return one row per stop
 *		of each run (the DC's departure as seq 0 and the return as the last
 *		seq, with a null delivery), then one row per delivery left out.
 */
PG_FUNCTION_INFO_V1(route_plan);
Datum
route_plan(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	MemoryContext plan_cxt;
	MemoryContext old_cxt;
	RoutingProblem problem;
	RoutingDelivery *deliveries;
	RoutingVehicle *vehicles;
	RoutingPlan plan;
	int			v;
	int			d;

	InitMaterializedSRF(fcinfo, 0);

	/* All the planner's memory goes in one context, deleted below. */
	plan_cxt = AllocSetContextCreate(CurrentMemoryContext, "route_plan",
									 ALLOCSET_DEFAULT_SIZES);
	old_cxt = MemoryContextSwitchTo(plan_cxt);

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(15))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("route_plan depot and speed must not be null")));
	memset(&problem, 0, sizeof(problem));
	problem.depot_lon = PG_GETARG_FLOAT8(0);
	problem.depot_lat = PG_GETARG_FLOAT8(1);
	if (fabs(problem.depot_lon) > 180.0 || fabs(problem.depot_lat) > 90.0 ||
		isnan(problem.depot_lon) || isnan(problem.depot_lat))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("route_plan depot out of range"),
				 errdetail("The depot is (%g, %g).", problem.depot_lon,
						   problem.depot_lat),
				 errhint("Pass longitude first, then latitude.")));
	problem.speed_mps = PG_GETARG_FLOAT8(15) / 3.6;
	if (!(problem.speed_mps > 0.0) || isinf(problem.speed_mps))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("route_plan speed out of range"),
				 errdetail("speed_kmh is %g; it must be above 0 and finite.",
						   PG_GETARG_FLOAT8(15))));
	problem.ndeliveries = read_deliveries(fcinfo, &deliveries);
	problem.deliveries = deliveries;
	problem.nvehicles = read_vehicles(fcinfo, &vehicles);
	problem.vehicles = vehicles;
	problem.alloc = route_alloc;

	routing_plan(&problem, &plan);

	/* The rows are copied into the tuplestore, which outlives plan_cxt. */
	for (v = 0; v < problem.nvehicles; v++)
	{
		RoutingRun *run = &plan.runs[v];
		int			i;

		if (run->nstops == 0)
			continue;
		emit(rsinfo, -1, v, 0, run->depart_s, run->depart_s, 0.0, "depart");
		for (i = 0; i < run->nstops; i++)
		{
			RoutingAssignment *as = &plan.assignments[run->stops[i]];

			emit(rsinfo, run->stops[i], v, as->seq, as->arrival_s,
				 as->start_s, as->leg_m, "planned");
		}
		emit(rsinfo, -1, v, run->nstops + 1, run->return_s, run->return_s,
			 run->return_leg_m, "return");
	}
	for (d = 0; d < problem.ndeliveries; d++)
		if (plan.assignments[d].vehicle < 0)
			emit(rsinfo, d, -1, 0, 0, 0, 0.0,
				 routing_reason_name(plan.assignments[d].reason));

	MemoryContextSwitchTo(old_cxt);
	MemoryContextDelete(plan_cxt);
	return (Datum) 0;
}
