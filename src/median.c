/*-------------------------------------------------------------------------
 *
 * median.c
 *	  Weighted 1-median by Weiszfeld's iteration, and a 2-median heuristic
 *	  built on it: where one DC, or two, should stand to be nearest, in
 *	  total, to the doors it delivers to.
 *
 * The points are projected onto the plane tangent to the WGS 84 spheroid
 * at their weighted mean, with the spheroid's radii of curvature there;
 * over a city this is within a fraction of a per cent of the geodesic.
 *
 * Weiszfeld's step moves the site to the mean of the points weighted by
 * weight over distance.  The plain step is undefined when the site lands
 * on a point; we use the modification of Vardi and Zhang (2000): the
 * points under the site pull with their weight, the others with their
 * resultant, and when the resultant is no stronger than the weight under
 * the site, that point is the optimum.  After the iteration the point
 * nearest to the result is tested the same way, since the iteration only
 * creeps towards an optimum that lies on a point.
 *
 * The 2-median alternates: assign each point to the nearer of two sites,
 * move each site to the 1-median of its points, until no point changes
 * side.  This finds a local optimum; several deterministic starts are
 * tried and the cheapest kept.  Every loop runs in index order, so the
 * same input always gives the same answer.
 *
 * This file is pure: no PostgreSQL header, no catalog, no query.
 *
 *-------------------------------------------------------------------------
 */
#include "median.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

#define LAND_M		1e-6		/* closer than this, the site is on a point */
#define STEP_M		1e-4		/* a smaller step ends the iteration */
#define MAX_STEPS	5000		/* Weiszfeld steps per median */
#define MAX_ROUNDS	100			/* assignment rounds per 2-median start */

/* The points on the local plane, shared by every step. */
typedef struct Plane
{
	int			n;
	double	   *x;				/* metres east of the reference */
	double	   *y;				/* metres north of the reference */
	const double *w;
	double		lon0;			/* the reference point */
	double		lat0;
	double		kx;				/* metres per degree of longitude */
	double		ky;				/* metres per degree of latitude */
} Plane;

/*
 * make_plane
 *		Project the problem's points onto the plane tangent at their
 *		weighted mean.  Returns the total weight.
 */
static double
make_plane(const MedianProblem *p, Plane *pl)
{
	const double a = 6378137.0;
	const double f = 1.0 / 298.257223563;
	double		e2 = f * (2.0 - f);
	double		total = 0.0;
	double		slon = 0.0;
	double		slat = 0.0;
	double		s;
	double		w;
	int			i;

	for (i = 0; i < p->n; i++)
	{
		total += p->weight[i];
		slon += p->weight[i] * p->lon[i];
		slat += p->weight[i] * p->lat[i];
	}
	pl->n = p->n;
	pl->w = p->weight;
	pl->lon0 = slon / total;
	pl->lat0 = slat / total;

	/* Meridian radius M and prime-vertical radius N at the reference. */
	s = sin(pl->lat0 * M_PI / 180.0);
	w = sqrt(1.0 - e2 * s * s);
	pl->ky = a * (1.0 - e2) / (w * w * w) * M_PI / 180.0;
	pl->kx = a / w * cos(pl->lat0 * M_PI / 180.0) * M_PI / 180.0;

	pl->x = p->alloc(sizeof(double) * p->n);
	pl->y = p->alloc(sizeof(double) * p->n);
	for (i = 0; i < p->n; i++)
	{
		pl->x[i] = (p->lon[i] - pl->lon0) * pl->kx;
		pl->y[i] = (p->lat[i] - pl->lat0) * pl->ky;
	}
	return total;
}

/*
 * to_site
 *		Turn a plane position back into lon/lat and fill in site.
 */
static void
to_site(const Plane *pl, double x, double y, double weight, double cost,
		MedianSite *site)
{
	site->lon = pl->lon0 + x / pl->kx;
	site->lat = pl->lat0 + y / pl->ky;
	site->weight = weight;
	site->cost_m = cost;
}

/*
 * pull
 *		Sum the pull of the points of idx (m of them) on the site (x, y).
 *		Points within LAND_M of the site do not pull; their weight is
 *		returned in *under.  Sets *sx, *sy to the sums of w*p/d, *sw to the
 *		sum of w/d, and *rx, *ry to the resultant sum of w*(p - site)/d.
 */
static void
pull(const Plane *pl, const int *idx, int m, double x, double y,
	 double *under, double *sx, double *sy, double *sw, double *rx,
	 double *ry)
{
	int			j;

	*under = *sx = *sy = *sw = *rx = *ry = 0.0;
	for (j = 0; j < m; j++)
	{
		int			i = idx[j];
		double		dx = pl->x[i] - x;
		double		dy = pl->y[i] - y;
		double		d = sqrt(dx * dx + dy * dy);

		if (pl->w[i] <= 0.0)
			continue;
		if (d < LAND_M)
		{
			*under += pl->w[i];
			continue;
		}
		*sx += pl->w[i] * pl->x[i] / d;
		*sy += pl->w[i] * pl->y[i] / d;
		*sw += pl->w[i] / d;
		*rx += pl->w[i] * dx / d;
		*ry += pl->w[i] * dy / d;
	}
}

/*
 * cost_of
 *		Return the weighted distance from the points of idx to (x, y).
 */
static double
cost_of(const Plane *pl, const int *idx, int m, double x, double y)
{
	double		c = 0.0;
	int			j;

	for (j = 0; j < m; j++)
		c += pl->w[idx[j]] * hypot(pl->x[idx[j]] - x, pl->y[idx[j]] - y);
	return c;
}

/*
 * optimal_at
 *		Whether data point i is the 1-median of the points of idx: the
 *		resultant pull of the others is no stronger than the weight there.
 */
static bool
optimal_at(const Plane *pl, const int *idx, int m, int i)
{
	double		under,
				sx,
				sy,
				sw,
				rx,
				ry;

	pull(pl, idx, m, pl->x[i], pl->y[i], &under, &sx, &sy, &sw, &rx, &ry);
	return hypot(rx, ry) <= under;
}

/*
 * weiszfeld
 *		Move the site (*x, *y) to the weighted 1-median of the points of idx
 *		(m of them, some of positive weight).  Returns the number of steps.
 */
static int
weiszfeld(const Plane *pl, const int *idx, int m, double *x, double *y)
{
	int			steps = 0;
	int			near = -1;
	double		best = INFINITY;
	int			j;

	while (steps < MAX_STEPS)
	{
		double		under,
					sx,
					sy,
					sw,
					rx,
					ry,
					r,
					nx,
					ny;

		steps++;
		pull(pl, idx, m, *x, *y, &under, &sx, &sy, &sw, &rx, &ry);
		if (sw == 0.0)
			break;				/* every point lies under the site */

		/* Vardi-Zhang: the weight under the site holds it back. */
		r = hypot(rx, ry);
		if (under > 0.0 && r <= under)
			break;
		nx = sx / sw;
		ny = sy / sw;
		if (under > 0.0)
		{
			nx = (1.0 - under / r) * nx + under / r * *x;
			ny = (1.0 - under / r) * ny + under / r * *y;
		}
		r = hypot(nx - *x, ny - *y);
		*x = nx;
		*y = ny;
		if (r < STEP_M)
			break;
	}

	/* An optimum on a data point is reached only in the limit: test it. */
	for (j = 0; j < m; j++)
	{
		double		d = hypot(pl->x[idx[j]] - *x, pl->y[idx[j]] - *y);

		if (pl->w[idx[j]] > 0.0 && d < best)
		{
			best = d;
			near = idx[j];
		}
	}
	if (near >= 0 && optimal_at(pl, idx, m, near))
	{
		*x = pl->x[near];
		*y = pl->y[near];
	}
	return steps;
}

/*
 * median_one
 *		Find the weighted 1-median of the problem's points, starting from
 *		their weighted mean.  Fills in site; returns the Weiszfeld steps.
 */
int
median_one(const MedianProblem *problem, MedianSite *site)
{
	Plane		pl;
	double		total = make_plane(problem, &pl);
	int		   *idx = problem->alloc(sizeof(int) * problem->n);
	double		x = 0.0;
	double		y = 0.0;
	int			steps;
	int			i;

	for (i = 0; i < problem->n; i++)
		idx[i] = i;
	steps = weiszfeld(&pl, idx, problem->n, &x, &y);
	to_site(&pl, x, y, total, cost_of(&pl, idx, problem->n, x, y), site);
	return steps;
}

/*
 * farthest
 *		Return the point of positive weight farthest (by weight times
 *		distance) from (x, y); ties go to the lower index.
 */
static int
farthest(const Plane *pl, double x, double y)
{
	int			best = 0;
	double		far = -1.0;
	int			i;

	for (i = 0; i < pl->n; i++)
	{
		double		d = pl->w[i] * hypot(pl->x[i] - x, pl->y[i] - y);

		if (pl->w[i] > 0.0 && d > far)
		{
			far = d;
			best = i;
		}
	}
	return best;
}

/*
 * alternate
 *		Improve the pair of sites cx[0..1], cy[0..1] by alternating
 *		assignment and 1-medians until no point changes side.  side[] gets
 *		each point's site; scratch has room for n indices.  Returns the
 *		total cost.
 */
static double
alternate(const Plane *pl, double *cx, double *cy, int *side, int *scratch)
{
	int			round;
	int			i;
	int			k;

	for (i = 0; i < pl->n; i++)
		side[i] = -1;
	for (round = 0; round < MAX_ROUNDS; round++)
	{
		bool		changed = false;

		/* Each point goes to the nearer site; ties to the first. */
		for (i = 0; i < pl->n; i++)
		{
			int			s = hypot(pl->x[i] - cx[1], pl->y[i] - cy[1]) <
				hypot(pl->x[i] - cx[0], pl->y[i] - cy[0]) ? 1 : 0;

			changed |= (s != side[i]);
			side[i] = s;
		}
		if (!changed)
			break;

		/* Each site moves to the 1-median of its points. */
		for (k = 0; k < 2; k++)
		{
			int			m = 0;
			bool		weighed = false;

			for (i = 0; i < pl->n; i++)
				if (side[i] == k)
				{
					scratch[m++] = i;
					weighed |= (pl->w[i] > 0.0);
				}
			if (weighed)
				weiszfeld(pl, scratch, m, &cx[k], &cy[k]);
		}
	}

	/* The cost of the final assignment. */
	{
		double		c = 0.0;

		for (i = 0; i < pl->n; i++)
			c += pl->w[i] * fmin(hypot(pl->x[i] - cx[0], pl->y[i] - cy[0]),
								 hypot(pl->x[i] - cx[1], pl->y[i] - cy[1]));
		return c;
	}
}

/*
 * start_pair
 *		Fill in the first sites of start number s: 0 is the 1-median and
 *		the point pulling hardest away from it; 1 is the point farthest
 *		from the mean and the point farthest from that; a later start s
 *		takes the point of positive weight at rank (s - 2) * n / 8 in index
 *		order (so that eight starts spread over the points) and the point
 *		farthest from it.
 */
static void
start_pair(const Plane *pl, int s, double mx, double my, double *cx,
		   double *cy)
{
	int			a;
	int			b;
	int			i;
	int			seen = -1;

	if (s == 0)
	{
		cx[0] = mx;
		cy[0] = my;
		b = farthest(pl, mx, my);
		cx[1] = pl->x[b];
		cy[1] = pl->y[b];
		return;
	}
	if (s == 1)
		a = farthest(pl, 0.0, 0.0);
	else
	{
		/* Spread the remaining starts evenly over the points. */
		int			want = (int) ((long) (s - 2) * pl->n / 8) % pl->n;

		a = 0;
		for (i = 0; i < pl->n; i++)
			if (pl->w[i] > 0.0)
			{
				a = i;
				if (++seen >= want)
					break;
			}
	}
	b = farthest(pl, pl->x[a], pl->y[a]);
	cx[0] = pl->x[a];
	cy[0] = pl->y[a];
	cx[1] = pl->x[b];
	cy[1] = pl->y[b];
}

/*
 * median_two
 *		Find a good pair of sites for the problem's points (a 2-median
 *		heuristic), trying starts (at least 1) deterministic starting
 *		pairs.  Fills in sites[0] and sites[1], the one serving more weight
 *		first (ties: the western one); returns the starts tried.
 */
int
median_two(const MedianProblem *problem, int starts, MedianSite *sites)
{
	Plane		pl;
	int			n = problem->n;
	int		   *idx = problem->alloc(sizeof(int) * n);
	int		   *scratch = problem->alloc(sizeof(int) * n);
	int		   *side = problem->alloc(sizeof(int) * n);
	int		   *best_side = problem->alloc(sizeof(int) * n);
	double		mx = 0.0;
	double		my = 0.0;
	double		best = INFINITY;
	double		bx[2] = {0.0, 0.0};
	double		by[2] = {0.0, 0.0};
	double		w[2] = {0.0, 0.0};
	double		c[2] = {0.0, 0.0};
	int			s;
	int			i;
	int			first;

	make_plane(problem, &pl);
	for (i = 0; i < n; i++)
		idx[i] = i;
	weiszfeld(&pl, idx, n, &mx, &my);

	for (s = 0; s < starts; s++)
	{
		double		cx[2];
		double		cy[2];
		double		cost;

		start_pair(&pl, s, mx, my, cx, cy);
		cost = alternate(&pl, cx, cy, side, scratch);
		if (cost < best)
		{
			best = cost;
			memcpy(bx, cx, sizeof(bx));
			memcpy(by, cy, sizeof(by));
			memcpy(best_side, side, sizeof(int) * n);
		}
	}

	/* Weigh each site's share, then put the busier one first. */
	for (i = 0; i < n; i++)
	{
		int			k = best_side[i];

		w[k] += problem->weight[i];
		c[k] += problem->weight[i] * hypot(pl.x[i] - bx[k], pl.y[i] - by[k]);
	}
	first = (w[1] > w[0] || (w[1] == w[0] && bx[1] < bx[0])) ? 1 : 0;
	to_site(&pl, bx[first], by[first], w[first], c[first], &sites[0]);
	to_site(&pl, bx[1 - first], by[1 - first], w[1 - first], c[1 - first],
			&sites[1]);
	return starts;
}
