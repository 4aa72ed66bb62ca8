/*-------------------------------------------------------------------------
 *
 * median_check.c
 *	  Randomised check of the pure medians in src/median.c, built and run
 *	  outside the server by test/decide_median.sh.
 *
 * Thousands of random instances (1 to 40 points in a city-sized box,
 * random weights with zeros, repeated points, now and then one point
 * holding most of the weight) are solved, and each answer is checked
 * independently of the solver: the 1-median costs no more than any data
 * point and no step of 1 m, 10 m or 100 m in 16 directions lowers its
 * cost (the cost is convex, so a local optimum is the optimum); a point
 * holding more than half of the weight (then the one optimum) is returned
 * exactly; the pair costs
 * no more than the 1-median, each of its sites is the 1-median of the
 * points nearer to it, and its reported weights add up.  A second run on
 * the same input must give the same answer.  Prints each violation and
 * exits non-zero if there is one.
 *
 *-------------------------------------------------------------------------
 */
#include "median.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CASES		3000
#define MAXN		40
#define REL_EPS		1e-7		/* relative slack on costs */

static int	violations = 0;

/* Zeroed memory for the solver; the check never frees (it is short). */
static void *
check_alloc(size_t size)
{
	void	   *p = calloc(1, size ? size : 1);

	if (p == NULL)
	{
		fprintf(stderr, "median_check: out of memory\n");
		exit(2);
	}
	return p;
}

/* One instance, with the plane the solver uses. */
typedef struct Case
{
	int			n;
	double		lon[MAXN];
	double		lat[MAXN];
	double		w[MAXN];
	double		lat0;			/* weighted mean latitude */
	double		kx;				/* metres per degree east */
	double		ky;				/* metres per degree north */
} Case;

/*
 * set_plane
 *		Compute the scale of the plane tangent at the weighted mean, as
 *		median.c does, so that costs here are the solver's costs.
 */
static void
set_plane(Case *c)
{
	const double a = 6378137.0;
	const double f = 1.0 / 298.257223563;
	double		e2 = f * (2.0 - f);
	double		tw = 0.0;
	double		sl = 0.0;
	double		s;
	double		q;
	int			i;

	for (i = 0; i < c->n; i++)
	{
		tw += c->w[i];
		sl += c->w[i] * c->lat[i];
	}
	c->lat0 = sl / tw;
	s = sin(c->lat0 * M_PI / 180.0);
	q = sqrt(1.0 - e2 * s * s);
	c->ky = a * (1.0 - e2) / (q * q * q) * M_PI / 180.0;
	c->kx = a / q * cos(c->lat0 * M_PI / 180.0) * M_PI / 180.0;
}

/*
 * cost
 *		Weighted distance from the points of side k (every point when k is
 *		-1; side may be NULL then) to (lon, lat), in metres.
 */
static double
cost(const Case *c, const int *side, int k, double lon, double lat)
{
	double		sum = 0.0;
	int			i;

	for (i = 0; i < c->n; i++)
		if (k < 0 || side[i] == k)
			sum += c->w[i] * hypot((c->lon[i] - lon) * c->kx,
								   (c->lat[i] - lat) * c->ky);
	return sum;
}

/*
 * check_optimal
 *		Report a violation unless (lon, lat) is the 1-median of the points
 *		of side k: no data point and no small step does better.
 */
static void
check_optimal(const Case *c, const int *side, int k, double lon, double lat,
			  int no, const char *what)
{
	double		best = cost(c, side, k, lon, lat);
	double		slack = REL_EPS * (best + 1.0);
	const double steps[] = {1.0, 10.0, 100.0};
	int			i;
	int			d;

	for (i = 0; i < c->n; i++)
		if ((k < 0 || side[i] == k) &&
			cost(c, side, k, c->lon[i], c->lat[i]) < best - slack)
		{
			printf("case %d: %s costs %.6f, point %d only %.6f\n", no, what,
				   best, i, cost(c, side, k, c->lon[i], c->lat[i]));
			violations++;
			return;
		}
	for (i = 0; i < 3; i++)
		for (d = 0; d < 16; d++)
		{
			double		ang = d * M_PI / 8.0;
			double		x = lon + steps[i] * cos(ang) / c->kx;
			double		y = lat + steps[i] * sin(ang) / c->ky;

			if (cost(c, side, k, x, y) < best - slack)
			{
				printf("case %d: %s costs %.6f, a %g m step %.6f\n", no, what,
					   best, steps[i], cost(c, side, k, x, y));
				violations++;
				return;
			}
		}
}

/*
 * make_case
 *		Fill in a random instance.
 */
static void
make_case(Case *c)
{
	int			i;

	c->n = 1 + rand() % MAXN;
	for (i = 0; i < c->n; i++)
	{
		if (i > 0 && rand() % 6 == 0)
		{
			/* a repeated door */
			int			j = rand() % i;

			c->lon[i] = c->lon[j];
			c->lat[i] = c->lat[j];
		}
		else
		{
			c->lon[i] = 113.3 + 0.5 * rand() / (double) RAND_MAX;
			c->lat[i] = 37.6 + 0.5 * rand() / (double) RAND_MAX;
		}
		c->w[i] = (rand() % 5 == 0) ? 0.0 : 1 + rand() % 9;
	}
	if (rand() % 4 == 0)
		c->w[rand() % c->n] = 1000.0;
	c->w[rand() % c->n] += 1.0;		/* some weight above zero */
	set_plane(c);
}

int
main(void)
{
	int			no;

	srand(20261204);
	for (no = 0; no < CASES; no++)
	{
		Case		c;
		MedianProblem p;
		MedianSite	one;
		MedianSite	again;
		MedianSite	two[2];
		MedianSite	two_again[2];
		int			side[MAXN];
		double		total = 0.0;
		double		pair;
		int			i;

		make_case(&c);
		p.n = c.n;
		p.lon = c.lon;
		p.lat = c.lat;
		p.weight = c.w;
		p.alloc = check_alloc;
		for (i = 0; i < c.n; i++)
			total += c.w[i];

		/* The 1-median. */
		median_one(&p, &one);
		median_one(&p, &again);
		if (memcmp(&one, &again, sizeof(one)) != 0)
		{
			printf("case %d: 1-median differs on the same input\n", no);
			violations++;
		}
		check_optimal(&c, NULL, -1, one.lon, one.lat, no, "1-median");
		for (i = 0; i < c.n; i++)
			if (c.w[i] > total / 2.0 &&
				(one.lon != c.lon[i] || one.lat != c.lat[i]))
			{
				printf("case %d: point %d holds half the weight, 1-median is off it\n",
					   no, i);
				violations++;
			}

		/* The pair. */
		median_two(&p, 8, two);
		median_two(&p, 8, two_again);
		if (memcmp(two, two_again, sizeof(two)) != 0)
		{
			printf("case %d: 2-median differs on the same input\n", no);
			violations++;
		}
		pair = 0.0;
		for (i = 0; i < c.n; i++)
		{
			double		d0 = hypot((c.lon[i] - two[0].lon) * c.kx,
								   (c.lat[i] - two[0].lat) * c.ky);
			double		d1 = hypot((c.lon[i] - two[1].lon) * c.kx,
								   (c.lat[i] - two[1].lat) * c.ky);

			side[i] = d1 < d0 ? 1 : 0;
			pair += c.w[i] * fmin(d0, d1);
		}
		if (pair > one.cost_m + REL_EPS * (one.cost_m + 1.0))
		{
			printf("case %d: pair costs %.6f, more than one site's %.6f\n", no,
				   pair, one.cost_m);
			violations++;
		}
		if (fabs(two[0].weight + two[1].weight - total) > 1e-9 * total)
		{
			printf("case %d: pair weights %g + %g, total %g\n", no,
				   two[0].weight, two[1].weight, total);
			violations++;
		}
		for (i = 0; i < 2; i++)
		{
			double		wk = 0.0;
			int			j;

			for (j = 0; j < c.n; j++)
				if (side[j] == i)
					wk += c.w[j];
			if (wk > 0.0)
				check_optimal(&c, side, i, two[i].lon, two[i].lat, no,
							  i == 0 ? "pair site 1" : "pair site 2");
		}
	}
	printf("median_check: %d cases, %d violations\n", CASES, violations);
	return violations > 0;
}
