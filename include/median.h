/*-------------------------------------------------------------------------
 *
 * median.h
 *	  Weighted 1-median and 2-median of points on a city-sized patch of the
 *	  Earth: the site (or pair of sites) that minimises the total weighted
 *	  straight-line distance to the points.
 *
 * This interface is pure: it needs no PostgreSQL header, reads no catalog
 * and runs no query, so that median.c can be tested on its own.  The
 * caller hands in an allocator (palloc0 inside the server); median.c never
 * frees, so the caller's memory context owns everything it makes.
 *
 * Points are WGS 84 longitude and latitude in degrees; distances are
 * metres on the plane tangent to the spheroid at the points' weighted mean
 * (the same measure as the delivery-run planner's, see routing.h).
 *
 *-------------------------------------------------------------------------
 */
#ifndef MEDIAN_H
#define MEDIAN_H

#include <stddef.h>

/* The problem: n weighted points and an allocator. */
typedef struct MedianProblem
{
	int			n;
	const double *lon;
	const double *lat;
	const double *weight;		/* each at least 0, some above 0 */
	void	   *(*alloc) (size_t size);	/* zeroed memory, never NULL */
} MedianProblem;

/* One site found, with what it costs. */
typedef struct MedianSite
{
	double		lon;
	double		lat;
	double		weight;			/* weight of the points it serves */
	double		cost_m;			/* their weighted distance to it, metres */
} MedianSite;

extern int	median_one(const MedianProblem *problem, MedianSite *site);
extern int	median_two(const MedianProblem *problem, int starts,
					   MedianSite *sites);

#endif							/* MEDIAN_H */
