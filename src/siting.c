/*-------------------------------------------------------------------------
 *
 * siting.c
 *	  SQL entry points of the DC site analysis: showroom.weighted_median()
 *	  and showroom.weighted_median_pair() take weighted points as arrays,
 *	  check them, hand them to the pure solver in median.c and return the
 *	  site or the pair of sites as one row.
 *
 * The SQL functions showroom.best_sites() and showroom.score_sites() gather
 * the period's deliveries from the tables; this file reads no table and
 * runs no query.  All memory of one call lives in a context made at entry
 * and deleted once the result row is built.
 *
 *-------------------------------------------------------------------------
 */
#include "showroom.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/memutils.h"

#include "median.h"

/* Starts tried by the 2-median when the caller does not say. */
#define MAX_STARTS		64

/*
 * get_floats
 *		Take apart float8 array argument argno (named name, of function fn)
 *		into *out and return its length.  NULL arrays, NULL elements and
 *		more than one dimension are errors.
 */
static int
get_floats(FunctionCallInfo fcinfo, int argno, const char *fn,
		   const char *name, double **out)
{
	ArrayType  *arr;
	Datum	   *values;
	bool	   *nulls;
	int			n;
	int			i;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s argument %s must not be null", fn, name)));
	arr = PG_GETARG_ARRAYTYPE_P(argno);
	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s argument %s must be one-dimensional", fn, name),
				 errdetail("It has %d dimensions.", ARR_NDIM(arr))));
	deconstruct_array(arr, FLOAT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
					  &values, &nulls, &n);

	*out = palloc(sizeof(double) * Max(n, 1));
	for (i = 0; i < n; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s argument %s must not hold nulls", fn, name),
					 errdetail("Element %d is null.", i + 1)));
		(*out)[i] = DatumGetFloat8(values[i]);
	}
	return n;
}

/*
 * read_points
 *		Read and check the lon, lat and weight arrays (arguments 0 to 2) of
 *		function fn into problem.  Every point must be a valid lon/lat and
 *		every weight finite and not negative, with a positive total.
 */
static void
read_points(FunctionCallInfo fcinfo, const char *fn, MedianProblem *problem)
{
	double	   *lon;
	double	   *lat;
	double	   *weight;
	int			n = get_floats(fcinfo, 0, fn, "lon", &lon);
	int			nlat = get_floats(fcinfo, 1, fn, "lat", &lat);
	int			nweight = get_floats(fcinfo, 2, fn, "weight", &weight);
	double		total = 0.0;
	int			i;

	if (nlat != n || nweight != n)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s arrays lon, lat and weight differ in length", fn),
				 errdetail("lon has %d elements, lat %d, weight %d.", n, nlat,
						   nweight)));
	if (n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s needs at least one point", fn),
				 errdetail("The arrays are empty.")));

	for (i = 0; i < n; i++)
	{
		if (!(lon[i] >= -180.0 && lon[i] <= 180.0 &&
			  lat[i] >= -90.0 && lat[i] <= 90.0))
			ereport(ERROR,
					(errcode(ERRCODE_SR_INVALID_LOCATION),
					 errmsg("%s point out of range", fn),
					 errdetail("Point %d is lon = %g, lat = %g; lon must lie in "
							   "[-180, 180] and lat in [-90, 90].",
							   i + 1, lon[i], lat[i]),
					 errhint("Pass longitude first, then latitude.")));
		if (!(weight[i] >= 0.0) || isinf(weight[i]))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("%s weight out of range", fn),
					 errdetail("Weight %d is %g; a weight is finite and at "
							   "least 0.", i + 1, weight[i])));
		total += weight[i];
	}
	if (!(total > 0.0) || isinf(total))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s weights must add up to a positive finite total",
						fn),
				 errdetail("They add up to %g.", total)));

	problem->n = n;
	problem->lon = lon;
	problem->lat = lat;
	problem->weight = weight;
	problem->alloc = palloc0;
}

/*
 * weighted_median
 *		SQL: weighted_median(lon float8[], lat float8[], weight float8[],
 *		OUT lon, OUT lat, OUT cost_m, OUT steps).  The point that minimises
 *		the total weighted distance to the given points, the weighted
 *		distance from them to it on the planner's plane, and the Weiszfeld
 *		steps taken.
 */
PG_FUNCTION_INFO_V1(weighted_median);
Datum
weighted_median(PG_FUNCTION_ARGS)
{
	MemoryContext work = AllocSetContextCreate(CurrentMemoryContext,
												 "weighted_median",
												 ALLOCSET_DEFAULT_SIZES);
	MemoryContext old = MemoryContextSwitchTo(work);
	MedianProblem problem;
	MedianSite	site;
	int			steps;
	TupleDesc	desc;
	Datum		values[4];
	bool		nulls[4] = {false, false, false, false};
	HeapTuple	tuple;

	read_points(fcinfo, "weighted_median", &problem);
	steps = median_one(&problem, &site);
	MemoryContextSwitchTo(old);

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "weighted_median must return a composite type");
	values[0] = Float8GetDatum(site.lon);
	values[1] = Float8GetDatum(site.lat);
	values[2] = Float8GetDatum(site.cost_m);
	values[3] = Int32GetDatum(steps);
	tuple = heap_form_tuple(BlessTupleDesc(desc), values, nulls);
	MemoryContextDelete(work);
	PG_RETURN_DATUM(HeapTupleGetDatum(tuple));
}

/*
 * weighted_median_pair
 *		SQL: weighted_median_pair(lon float8[], lat float8[], weight
 *		float8[], starts integer, OUT lon1, OUT lat1, OUT weight1,
 *		OUT cost1_m, OUT lon2, OUT lat2, OUT weight2, OUT cost2_m).  A good
 *		pair of sites for the points (2-median heuristic from starts
 *		starting pairs), the one serving more weight first, each with the
 *		weight it serves and its weighted distance.
 */
PG_FUNCTION_INFO_V1(weighted_median_pair);
Datum
weighted_median_pair(PG_FUNCTION_ARGS)
{
	MemoryContext work;
	MemoryContext old;
	MedianProblem problem;
	MedianSite	sites[2];
	int			starts;
	TupleDesc	desc;
	Datum		values[8];
	bool		nulls[8] = {false, false, false, false,
	false, false, false, false};
	HeapTuple	tuple;
	int			k;

	if (PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("weighted_median_pair argument starts must not be "
						"null")));
	starts = PG_GETARG_INT32(3);
	if (starts < 1 || starts > MAX_STARTS)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("weighted_median_pair starts out of range"),
				 errdetail("starts = %d; it must lie in [1, %d].", starts,
						   MAX_STARTS)));

	work = AllocSetContextCreate(CurrentMemoryContext, "weighted_median_pair",
								 ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(work);
	read_points(fcinfo, "weighted_median_pair", &problem);
	median_two(&problem, starts, sites);
	MemoryContextSwitchTo(old);

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "weighted_median_pair must return a composite type");
	for (k = 0; k < 2; k++)
	{
		values[4 * k] = Float8GetDatum(sites[k].lon);
		values[4 * k + 1] = Float8GetDatum(sites[k].lat);
		values[4 * k + 2] = Float8GetDatum(sites[k].weight);
		values[4 * k + 3] = Float8GetDatum(sites[k].cost_m);
	}
	tuple = heap_form_tuple(BlessTupleDesc(desc), values, nulls);
	MemoryContextDelete(work);
	PG_RETURN_DATUM(HeapTupleGetDatum(tuple));
}
