/*-------------------------------------------------------------------------
 *
 * routing_check.c
 *	  Randomised check of the pure planner in src/routing.c, built and run
 *	  outside the server by test/runs_routing.sh.
 *
 * Thousands of random days (up to 80 deliveries, up to 6 vehicles, mixed
 * windows, installing and non-installing crews) are planned, and each plan
 * is checked by driving its runs again independently of the planner: no
 * run over its vehicle's volume or weight, every stop started inside its
 * window and at the time the plan says, every run inside its working
 * hours and of the length the plan says, every delivery on exactly one run
 * or left out with a reason, and a second plan of the same input equal to
 * the first.  Prints each violation and exits non-zero if there is one.
 *
 *-------------------------------------------------------------------------
 */
#include "routing.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAYS		3000
#define SPEED		8.0			/* metres per second */
#define DC_LON		113.58
#define DC_LAT		37.86

static int	violations = 0;

/* Zeroed memory for the planner; the check never frees (it is short). */
static void *
check_alloc(size_t size)
{
	void	   *p = calloc(1, size ? size : 1);

	if (p == NULL)
	{
		fprintf(stderr, "routing_check: out of memory\n");
		exit(2);
	}
	return p;
}

/* A uniform number in [0, 1) from a small linear congruential generator. */
static double
uniform(unsigned *state)
{
	*state = *state * 1103515245u + 12345u;
	return ((*state >> 8) & 0xffffff) / (double) 0x1000000;
}

/* Report one violation of day seed. */
static void
violation(unsigned seed, const char *what, int which)
{
	printf("day %u: %s (%d)\n", seed, what, which);
	violations++;
}

/*
 * random_day
 *		Fill a problem for day seed: deliveries within about 20 km of the
 *		DC, some with a morning window, some with an afternoon range, some
 *		with only an end; vehicles of random size and hours.
 */
static void
random_day(unsigned seed, RoutingProblem *p)
{
	unsigned	s = seed;
	int			nd = (int) (uniform(&s) * 80);
	int			nv = (int) (uniform(&s) * 6);
	RoutingDelivery *d = check_alloc(sizeof(*d) * (nd + 1));
	RoutingVehicle *v = check_alloc(sizeof(*v) * (nv + 1));
	int			i;

	for (i = 0; i < nd; i++)
	{
		double		r;

		d[i].lon = DC_LON + (uniform(&s) - 0.5) * 0.4;
		d[i].lat = DC_LAT + (uniform(&s) - 0.5) * 0.4;
		d[i].volume = uniform(&s) * 800;
		d[i].weight = uniform(&s) * 200;
		d[i].win_from = d[i].win_to = ROUTING_NO_TIME;
		r = uniform(&s);
		if (r < 0.3)
		{
			d[i].win_from = 32400;
			d[i].win_to = 43200;
		}
		else if (r < 0.6)
		{
			d[i].win_from = 46800 + (int) (uniform(&s) * 3600);
			d[i].win_to = d[i].win_from + 1800 + (int) (uniform(&s) * 7200);
		}
		else if (r < 0.7)
			d[i].win_to = 30000 + (int) (uniform(&s) * 20000);
		d[i].service_s = (int) (uniform(&s) * 900);
		d[i].install_s = (uniform(&s) < 0.3) ? 1200 : 0;
	}
	for (i = 0; i < nv; i++)
	{
		v[i].volume = 500 + uniform(&s) * 5000;
		v[i].weight = 100 + uniform(&s) * 1000;
		v[i].work_from = 25200 + (int) (uniform(&s) * 7200);
		v[i].work_to = v[i].work_from + 14400 + (int) (uniform(&s) * 20000);
		v[i].installs = uniform(&s) < 0.5;
	}

	memset(p, 0, sizeof(*p));
	p->depot_lon = DC_LON;
	p->depot_lat = DC_LAT;
	p->ndeliveries = nd;
	p->deliveries = d;
	p->nvehicles = nv;
	p->vehicles = v;
	p->speed_mps = SPEED;
	p->alloc = check_alloc;
}

/*
 * check_run
 *		Drive vehicle k's run of plan again and report what it breaks;
 *		count each delivery it carries in seen.
 */
static void
check_run(unsigned seed, const RoutingProblem *p, const RoutingPlan *plan,
		  int k, int *seen)
{
	const RoutingRun *r = &plan->runs[k];
	const RoutingVehicle *v = &p->vehicles[k];
	double		t = r->depart_s;
	double		len = 0.0;
	double		vol = 0.0;
	double		wt = 0.0;
	double		lon = DC_LON;
	double		lat = DC_LAT;
	int			i;

	if (r->nstops == 0)
		return;
	if (r->depart_s < v->work_from)
		violation(seed, "leaves before work_from", k);

	for (i = 0; i < r->nstops; i++)
	{
		const RoutingDelivery *d = &p->deliveries[r->stops[i]];
		double		leg = routing_distance(lon, lat, d->lon, d->lat, DC_LAT);

		seen[r->stops[i]]++;
		vol += d->volume;
		wt += d->weight;
		len += leg;
		t += leg / SPEED;
		if (d->win_from != ROUTING_NO_TIME && t < d->win_from)
			t = d->win_from;
		if (d->win_to != ROUTING_NO_TIME && t > d->win_to + 0.5)
			violation(seed, "stop starts after its window", r->stops[i]);
		if (fabs(t - plan->assignments[r->stops[i]].start_s) > 1.0)
			violation(seed, "start differs from the plan", r->stops[i]);
		t += d->service_s + (v->installs ? d->install_s : 0);
		lon = d->lon;
		lat = d->lat;
	}

	len += routing_distance(lon, lat, DC_LON, DC_LAT, DC_LAT);
	t += routing_distance(lon, lat, DC_LON, DC_LAT, DC_LAT) / SPEED;
	if (t > v->work_to + 0.5)
		violation(seed, "back after work_to", k);
	if (fabs(len - r->distance_m) > 0.01)
		violation(seed, "length differs from the plan", k);
	if (vol > v->volume * (1 + 1e-9) || wt > v->weight * (1 + 1e-9))
		violation(seed, "over capacity", k);
}

/*
 * same_plan
 *		Whether two plans of one problem put every delivery at the same
 *		place and time.
 */
static int
same_plan(const RoutingProblem *p, const RoutingPlan *a, const RoutingPlan *b)
{
	int			i;

	for (i = 0; i < p->ndeliveries; i++)
	{
		const RoutingAssignment *x = &a->assignments[i];
		const RoutingAssignment *y = &b->assignments[i];

		if (x->vehicle != y->vehicle || x->seq != y->seq ||
			x->start_s != y->start_s || x->reason != y->reason)
			return 0;
	}
	return 1;
}

int
main(void)
{
	unsigned	seed;

	for (seed = 1; seed <= DAYS; seed++)
	{
		RoutingProblem p;
		RoutingPlan plan;
		RoutingPlan again;
		int		   *seen;
		int			i;

		random_day(seed, &p);
		routing_plan(&p, &plan);
		routing_plan(&p, &again);
		seen = check_alloc(sizeof(int) * (p.ndeliveries + 1));

		for (i = 0; i < p.nvehicles; i++)
			check_run(seed, &p, &plan, i, seen);
		for (i = 0; i < p.ndeliveries; i++)
		{
			int			out = plan.assignments[i].vehicle < 0;

			if (seen[i] > 1 || (seen[i] == 0) != out)
				violation(seed, "delivery not on exactly one run", i);
			if (out && plan.assignments[i].reason == ROUTING_PLANNED)
				violation(seed, "delivery left out without a reason", i);
		}
		if (!same_plan(&p, &plan, &again))
			violation(seed, "same input, different plan", 0);
	}
	printf("routing_check: %d days, %d violations\n", DAYS, violations);
	return violations != 0;
}
