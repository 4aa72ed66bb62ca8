/*-------------------------------------------------------------------------
 *
 * routing.c
 *	  The delivery-run heuristic: which vehicle carries which delivery, and
 *	  in which order it visits them.
 *
 * The plan is built in four steps.  Screening sets aside the deliveries no
 * vehicle could serve even alone (too big, or out of reach in their time
 * window).  A sweep orders the rest by bearing from the DC and fills the
 * vehicles one after the other, each growing its run by the cheapest
 * feasible insertion among the next few deliveries of the sweep.  The
 * deliveries with a window end are swept first, since they are the hard
 * ones to fit; vehicles still empty then sweep the others, and what is
 * left goes in wherever it is cheapest.  Local
 * search then shortens each run (2-opt and or-opt) and moves single stops
 * between runs where that saves distance, and deliveries still left over
 * are tried again in any run.  Every change keeps every capacity, working
 * window and customer window; nothing is ever accepted that breaks one.
 *
 * Distances are straight lines on a local plane tangent to the WGS 84
 * spheroid at the DC (radii of curvature at the DC's latitude), which is
 * within a fraction of a per cent of the geodesic over a city.  Travel time
 * is distance over one average speed.  Every loop runs in index order and
 * ties go to the lower index, so the same input always gives the same plan.
 *
 * This file is pure: no PostgreSQL header, no catalog, no query.
 *
 *-------------------------------------------------------------------------
 */
#include "routing.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DEPOT		(-1)
#define EPS_M		1e-6		/* metres: a smaller saving is no saving */
#define EPS_S		1e-6		/* seconds of slack for rounding */
#define EPS_LOAD	1e-9		/* relative slack on capacities */
#define FAR_PAST	(-1e9)
#define FAR_FUTURE	1e9
#define MAX_PASSES	50			/* local-search passes per run */
#define MAX_ROUNDS	8			/* rounds of moves between runs */

/* One vehicle's run while it is being built. */
typedef struct Route
{
	int			n;				/* number of stops */
	int		   *stop;			/* delivery indices, n of them */
	double	   *start;			/* start of service at each stop */
	double	   *latest;			/* latest start keeping the rest on time */
	double		depart;			/* leaves the DC */
	double		back;			/* back at the DC */
	double		dist;			/* metres, DC to DC */
	double		vol;			/* load carried */
	double		wt;
} Route;

/* Everything the steps share. */
typedef struct Ctx
{
	const RoutingProblem *p;
	int			nd;
	int			nv;
	double	   *x;				/* deliveries on the local plane, metres */
	double	   *y;
	Route	   *routes;			/* one per vehicle */
	int		   *route_of;		/* vehicle of each delivery, or -1 */
	RoutingReason *reason;
	int		   *scratch;		/* room for one run's stops */
	int		   *vorder;			/* vehicles, largest first */
} Ctx;

static const char *const reason_names[] = {
	"planned",
	"no_vehicle",
	"too_big",
	"window_unreachable",
	"no_room"
};

/*
 * routing_reason_name
 *		Return the stable text name of a reason, as stored by the caller.
 */
const char *
routing_reason_name(RoutingReason reason)
{
	return reason_names[reason];
}

/*
 * radii
 *		Compute the meridian radius M and the prime-vertical radius N of the
 *		WGS 84 spheroid at latitude lat (degrees), in metres.
 */
static void
radii(double lat, double *m, double *n)
{
	const double a = 6378137.0;
	const double f = 1.0 / 298.257223563;
	double		e2 = f * (2.0 - f);
	double		s = sin(lat * M_PI / 180.0);
	double		w = sqrt(1.0 - e2 * s * s);

	*m = a * (1.0 - e2) / (w * w * w);
	*n = a / w;
}

/*
 * routing_distance
 *		Return the metres between two lon/lat points on the plane tangent to
 *		the spheroid at latitude ref_lat, the measure the planner uses.
 */
double
routing_distance(double lon0, double lat0, double lon1, double lat1,
				 double ref_lat)
{
	double		m;
	double		n;
	double		dx;
	double		dy;

	radii(ref_lat, &m, &n);
	dx = (lon1 - lon0) * M_PI / 180.0 * n * cos(ref_lat * M_PI / 180.0);
	dy = (lat1 - lat0) * M_PI / 180.0 * m;
	return sqrt(dx * dx + dy * dy);
}

/*
 * dist
 *		Return the metres between deliveries a and b (DEPOT for the DC).
 */
static inline double
dist(const Ctx *c, int a, int b)
{
	double		ax = (a == DEPOT) ? 0.0 : c->x[a];
	double		ay = (a == DEPOT) ? 0.0 : c->y[a];
	double		bx = (b == DEPOT) ? 0.0 : c->x[b];
	double		by = (b == DEPOT) ? 0.0 : c->y[b];

	return sqrt((ax - bx) * (ax - bx) + (ay - by) * (ay - by));
}

/* Seconds to drive from a to b. */
static inline double
travel(const Ctx *c, int a, int b)
{
	return dist(c, a, b) / c->p->speed_mps;
}

/* Seconds vehicle v spends at delivery d. */
static inline double
service(const Ctx *c, int v, int d)
{
	const RoutingDelivery *dl = &c->p->deliveries[d];

	return dl->service_s + (c->p->vehicles[v].installs ? dl->install_s : 0);
}

/* Earliest and latest start of service at d; DEPOT has no window. */
static inline double
win_from(const Ctx *c, int d)
{
	int			t;

	t = (d == DEPOT) ? ROUTING_NO_TIME : c->p->deliveries[d].win_from;
	return (t == ROUTING_NO_TIME) ? FAR_PAST : t;
}

static inline double
win_to(const Ctx *c, int d)
{
	int			t;

	t = (d == DEPOT) ? ROUTING_NO_TIME : c->p->deliveries[d].win_to;
	return (t == ROUTING_NO_TIME) ? FAR_FUTURE : t;
}

/*
 * fits
 *		Whether a load of vol and wt fits vehicle v.
 */
static bool
fits(const Ctx *c, int v, double vol, double wt)
{
	const RoutingVehicle *vh = &c->p->vehicles[v];

	return vol <= vh->volume * (1.0 + EPS_LOAD) &&
		wt <= vh->weight * (1.0 + EPS_LOAD);
}

/*
 * walk
 *		Drive vehicle v along stops[0..n-1] from its working start.  Return
 *		whether every window and the working end are kept; when so and
 *		start is not NULL, fill in the start of service at each stop.  The
 *		run's metres go to *distp.
 */
static bool
walk(const Ctx *c, int v, const int *stops, int n, double *start,
	 double *distp)
{
	double		t = c->p->vehicles[v].work_from;
	double		d = 0.0;
	int			prev = DEPOT;
	int			i;

	for (i = 0; i < n; i++)
	{
		int			s = stops[i];

		d += dist(c, prev, s);
		t += travel(c, prev, s);
		if (t < win_from(c, s))
			t = win_from(c, s);
		if (t > win_to(c, s) + EPS_S)
			return false;
		if (start)
			start[i] = t;
		t += service(c, v, s);
		prev = s;
	}
	d += dist(c, prev, DEPOT);
	t += travel(c, prev, DEPOT);
	*distp = d;
	return t <= c->p->vehicles[v].work_to + EPS_S;
}

/*
 * refresh
 *		Recompute the times, slacks and length of vehicle v's run after a
 *		change that is known to be feasible.
 */
static void
refresh(Ctx *c, int v)
{
	Route	   *r = &c->routes[v];
	double		late = c->p->vehicles[v].work_to;
	int			next = DEPOT;
	int			i;

	r->depart = c->p->vehicles[v].work_from;
	(void) walk(c, v, r->stop, r->n, r->start, &r->dist);
	r->back = (r->n == 0) ? r->depart :
		r->start[r->n - 1] + service(c, v, r->stop[r->n - 1]) +
		travel(c, r->stop[r->n - 1], DEPOT);

	/* Latest start at each stop that still lets every later one on time. */
	for (i = r->n - 1; i >= 0; i--)
	{
		int			s = r->stop[i];
		double		l = late - travel(c, s, next) - service(c, v, s);

		r->latest[i] = (l < win_to(c, s)) ? l : win_to(c, s);
		late = r->latest[i];
		next = s;
	}
}

/*
 * best_insertion
 *		Find the cheapest place to add delivery d to vehicle v's run keeping
 *		capacity and every window.  Return whether there is one; *posp gets
 *		the position and *costp the metres it adds.
 */
static bool
best_insertion(const Ctx *c, int v, int d, int *posp, double *costp)
{
	const Route *r = &c->routes[v];
	const RoutingDelivery *dl = &c->p->deliveries[d];
	double		best = 0.0;
	int			bestpos = -1;
	int			p;

	if (!fits(c, v, r->vol + dl->volume, r->wt + dl->weight))
		return false;

	for (p = 0; p <= r->n; p++)
	{
		int			a = (p > 0) ? r->stop[p - 1] : DEPOT;
		int			b = (p < r->n) ? r->stop[p] : DEPOT;
		double		cost = dist(c, a, d) + dist(c, d, b) - dist(c, a, b);
		double		t;

		if (bestpos >= 0 && cost >= best)
			continue;

		/* Start of service at d, then the arrival at b. */
		t = (p > 0) ? r->start[p - 1] + service(c, v, a) : r->depart;
		t += travel(c, a, d);
		if (t < win_from(c, d))
			t = win_from(c, d);
		if (t > win_to(c, d) + EPS_S)
			continue;
		t += service(c, v, d) + travel(c, d, b);

		/* b must still start in time for the rest of the run. */
		if (b == DEPOT)
		{
			if (t > c->p->vehicles[v].work_to + EPS_S)
				continue;
		}
		else
		{
			if (t < win_from(c, b))
				t = win_from(c, b);
			if (t > r->latest[p] + EPS_S)
				continue;
		}
		best = cost;
		bestpos = p;
	}
	*posp = bestpos;
	*costp = best;
	return bestpos >= 0;
}

/*
 * insert_at
 *		Put delivery d at position pos of vehicle v's run.
 */
static void
insert_at(Ctx *c, int v, int d, int pos)
{
	Route	   *r = &c->routes[v];

	memmove(&r->stop[pos + 1], &r->stop[pos], (r->n - pos) * sizeof(int));
	r->stop[pos] = d;
	r->n++;
	r->vol += c->p->deliveries[d].volume;
	r->wt += c->p->deliveries[d].weight;
	c->route_of[d] = v;
	refresh(c, v);
}

/*
 * remove_at
 *		Take the stop at position pos off vehicle v's run.  The run stays
 *		feasible: distances keep the triangle inequality, so every later stop
 *		is reached no later than before.
 */
static void
remove_at(Ctx *c, int v, int pos)
{
	Route	   *r = &c->routes[v];
	int			d = r->stop[pos];

	memmove(&r->stop[pos], &r->stop[pos + 1], (r->n - pos - 1) * sizeof(int));
	r->n--;
	r->vol -= c->p->deliveries[d].volume;
	r->wt -= c->p->deliveries[d].weight;
	c->route_of[d] = -1;
	refresh(c, v);
}

/*
 * screen
 *		Mark each delivery that no vehicle could serve even on a run of its
 *		own, with the reason; the others stay ROUTING_PLANNED for now.
 */
static void
screen(Ctx *c)
{
	int			d;
	int			v;

	for (d = 0; d < c->nd; d++)
	{
		const RoutingDelivery *dl = &c->p->deliveries[d];
		bool		any_fit = false;
		bool		any_time = false;
		double		len;

		for (v = 0; v < c->nv; v++)
		{
			if (!fits(c, v, dl->volume, dl->weight))
				continue;
			any_fit = true;
			if (walk(c, v, &d, 1, NULL, &len))
			{
				any_time = true;
				break;
			}
		}
		if (c->nv == 0)
			c->reason[d] = ROUTING_NO_VEHICLE;
		else if (!any_fit)
			c->reason[d] = ROUTING_TOO_BIG;
		else if (!any_time)
			c->reason[d] = ROUTING_WINDOW_UNREACHABLE;
	}
}

/* Sort key of the sweep. */
typedef struct SweepKey
{
	double		angle;
	double		radius;
	int			d;
} SweepKey;

static int
cmp_sweep(const void *a, const void *b)
{
	const SweepKey *x = a;
	const SweepKey *y = b;

	if (x->angle != y->angle)
		return (x->angle < y->angle) ? -1 : 1;
	if (x->radius != y->radius)
		return (x->radius < y->radius) ? -1 : 1;
	return (x->d > y->d) - (x->d < y->d);
}

/*
 * order_vehicles
 *		Fill c->vorder with the vehicles largest first (volume, then weight,
 *		then index), by insertion sort: a day has tens of vehicles, and this
 *		needs no comparator state outside the context.
 */
static void
order_vehicles(Ctx *c)
{
	const RoutingVehicle *vh = c->p->vehicles;
	int			i;

	for (i = 0; i < c->nv; i++)
	{
		int			j = i;

		while (j > 0)
		{
			const RoutingVehicle *x = &vh[c->vorder[j - 1]];
			const RoutingVehicle *y = &vh[i];

			if (x->volume > y->volume ||
				(x->volume == y->volume && x->weight >= y->weight))
				break;
			c->vorder[j] = c->vorder[j - 1];
			j--;
		}
		c->vorder[j] = i;
	}
}

/*
 * sweep_order
 *		Return the plannable deliveries ordered by bearing from the DC,
 *		starting just after the widest empty sector so that no run straddles
 *		it; *np gets their number.
 */
static int *
sweep_order(Ctx *c, int *np)
{
	SweepKey   *k = c->p->alloc(sizeof(SweepKey) * (c->nd + 1));
	int		   *order = c->p->alloc(sizeof(int) * (c->nd + 1));
	int			n = 0;
	int			first = 0;
	double		widest = -1.0;
	int			i;

	for (i = 0; i < c->nd; i++)
	{
		if (c->reason[i] != ROUTING_PLANNED)
			continue;
		k[n].angle = atan2(c->y[i], c->x[i]);
		k[n].radius = hypot(c->x[i], c->y[i]);
		k[n].d = i;
		n++;
	}
	qsort(k, n, sizeof(SweepKey), cmp_sweep);

	/* The gap before k[i] is from k[i-1] (wrapping round for i = 0). */
	for (i = 0; i < n; i++)
	{
		double		prev;
		double		gap;

		prev = (i > 0) ? k[i - 1].angle : k[n - 1].angle - 2 * M_PI;
		gap = k[i].angle - prev;

		if (gap > widest)
		{
			widest = gap;
			first = i;
		}
	}
	for (i = 0; i < n; i++)
		order[i] = k[(first + i) % n].d;
	*np = n;
	return order;
}

/*
 * has_deadline
 *		Whether delivery d must be served by a time of day.
 */
static inline bool
has_deadline(const Ctx *c, int d)
{
	return c->p->deliveries[d].win_to != ROUTING_NO_TIME;
}

/*
 * open_for
 *		Whether delivery d is still to be planned in this pass of construct.
 */
static inline bool
open_for(const Ctx *c, int d, bool deadline_only)
{
	return c->route_of[d] < 0 && (!deadline_only || has_deadline(c, d));
}

/*
 * construct
 *		Fill the vehicles, largest first, along the sweep.  Each run starts
 *		at the first open delivery of the sweep and grows by the cheapest
 *		feasible insertion among the next few open ones, until none of them
 *		fits.  With deadline_only, only deliveries with a window end are
 *		open; with empty_only, vehicles that already have stops are
 *		passed over.
 */
static void
construct(Ctx *c, const int *order, int n, bool deadline_only,
		  bool empty_only)
{
	int			window;
	int			head = 0;
	int			k;

	window = 3 * ((n + c->nv - 1) / (c->nv > 0 ? c->nv : 1));
	if (window < 20)
		window = 20;

	for (k = 0; k < c->nv; k++)
	{
		int			v = c->vorder[k];

		if (empty_only && c->routes[v].n > 0)
			continue;
		while (head < n && !open_for(c, order[head], deadline_only))
			head++;
		if (head == n)
			break;

		for (;;)
		{
			int			bestd = -1;
			int			bestpos = 0;
			double		bestcost = 0.0;
			int			seen = 0;
			int			i;

			/* The cheapest of the next `window' open deliveries. */
			for (i = head; i < n && seen < window; i++)
			{
				int			d = order[i];
				int			pos;
				double		cost;

				if (!open_for(c, d, deadline_only))
					continue;
				seen++;
				if (!best_insertion(c, v, d, &pos, &cost))
					continue;

				/* An empty run takes the first that fits, not the nearest. */
				if (c->routes[v].n == 0)
				{
					bestd = d;
					bestpos = pos;
					break;
				}
				if (bestd < 0 || cost < bestcost)
				{
					bestd = d;
					bestpos = pos;
					bestcost = cost;
				}
			}
			if (bestd < 0)
				break;
			insert_at(c, v, bestd, bestpos);
		}
	}
}

/*
 * place_leftovers
 *		Try each unplanned but plannable delivery, in index order, in every
 *		run at its cheapest feasible place.  Return how many were placed.
 */
static int
place_leftovers(Ctx *c)
{
	int			placed = 0;
	int			d;
	int			v;

	for (d = 0; d < c->nd; d++)
	{
		int			bestv = -1;
		int			bestpos = 0;
		double		bestcost = 0.0;

		if (c->reason[d] != ROUTING_PLANNED || c->route_of[d] >= 0)
			continue;
		for (v = 0; v < c->nv; v++)
		{
			int			pos;
			double		cost;

			if (best_insertion(c, v, d, &pos, &cost) &&
				(bestv < 0 || cost < bestcost))
			{
				bestv = v;
				bestpos = pos;
				bestcost = cost;
			}
		}
		if (bestv >= 0)
		{
			insert_at(c, bestv, d, bestpos);
			placed++;
		}
	}
	return placed;
}

/*
 * try_apply
 *		Replace vehicle v's stop list by cand (same stops, same count) if the
 *		result keeps every window and is shorter by more than EPS_M.  Return
 *		whether it was applied.
 */
static bool
try_apply(Ctx *c, int v, const int *cand)
{
	Route	   *r = &c->routes[v];
	double		len;

	if (!walk(c, v, cand, r->n, NULL, &len) || len > r->dist - EPS_M)
		return false;
	memcpy(r->stop, cand, r->n * sizeof(int));
	refresh(c, v);
	return true;
}

/*
 * two_opt
 *		One pass of 2-opt over vehicle v's run: reverse the first segment
 *		whose reversal shortens the run and keeps the windows.  Return
 *		whether the run changed.
 */
static bool
two_opt(Ctx *c, int v)
{
	Route	   *r = &c->routes[v];
	int			i;
	int			j;

	for (i = 0; i < r->n - 1; i++)
	{
		for (j = i + 1; j < r->n; j++)
		{
			int			a = (i > 0) ? r->stop[i - 1] : DEPOT;
			int			b = (j < r->n - 1) ? r->stop[j + 1] : DEPOT;
			double		delta;
			int			k;

			delta = dist(c, a, r->stop[j]) + dist(c, r->stop[i], b) -
				dist(c, a, r->stop[i]) - dist(c, r->stop[j], b);
			if (delta >= -EPS_M)
				continue;

			memcpy(c->scratch, r->stop, r->n * sizeof(int));
			for (k = i; k <= j; k++)
				c->scratch[k] = r->stop[i + j - k];
			if (try_apply(c, v, c->scratch))
				return true;
		}
	}
	return false;
}

/*
 * or_opt
 *		One pass of or-opt over vehicle v's run: move the first segment of
 *		one to three stops whose move elsewhere in the run shortens it and
 *		keeps the windows.  Return whether the run changed.
 */
static bool
or_opt(Ctx *c, int v)
{
	Route	   *r = &c->routes[v];
	int			len;
	int			i;
	int			j;

	for (len = 1; len <= 3; len++)
	{
		for (i = 0; i + len <= r->n; i++)
		{
			int			a = (i > 0) ? r->stop[i - 1] : DEPOT;
			int			b = (i + len < r->n) ? r->stop[i + len] : DEPOT;
			int			first = r->stop[i];
			int			last = r->stop[i + len - 1];
			double		gain = dist(c, a, first) + dist(c, last, b) -
				dist(c, a, b);

			/* j: the gap of the run without the segment to put it in. */
			for (j = 0; j <= r->n - len; j++)
			{
				int			p;
				int			q;
				int			k;
				int			m = 0;

				if (j == i)
					continue;
				p = (j == 0) ? DEPOT :
					r->stop[(j - 1 < i) ? j - 1 : j - 1 + len];
				q = (j == r->n - len) ? DEPOT :
					r->stop[(j < i) ? j : j + len];
				if (dist(c, p, first) + dist(c, last, q) - dist(c, p, q) >=
					gain - EPS_M)
					continue;

				for (k = 0; k <= r->n - len; k++)
				{
					int			t;

					if (k == j)
						for (t = 0; t < len; t++)
							c->scratch[m++] = r->stop[i + t];
					if (k < r->n - len)
						c->scratch[m++] = r->stop[(k < i) ? k : k + len];
				}
				if (try_apply(c, v, c->scratch))
					return true;
			}
		}
	}
	return false;
}

/*
 * improve_run
 *		Apply 2-opt and or-opt to vehicle v's run until neither helps or the
 *		pass limit is reached.
 */
static void
improve_run(Ctx *c, int v)
{
	int			pass;

	for (pass = 0; pass < MAX_PASSES; pass++)
	{
		if (!two_opt(c, v) && !or_opt(c, v))
			break;
	}
}

/*
 * relocate
 *		Move single stops to another vehicle's run where the distance saved
 *		by taking one out exceeds the distance added by putting it in.
 *		Return how many stops moved.
 */
static int
relocate(Ctx *c)
{
	int			moved = 0;
	int			k;

	for (k = 0; k < c->nv; k++)
	{
		int			v = c->vorder[k];
		Route	   *r = &c->routes[v];
		int			i = 0;

		while (i < r->n)
		{
			int			d = r->stop[i];
			int			a = (i > 0) ? r->stop[i - 1] : DEPOT;
			int			b = (i < r->n - 1) ? r->stop[i + 1] : DEPOT;
			double		gain = dist(c, a, d) + dist(c, d, b) - dist(c, a, b);
			int			bestw = -1;
			int			bestpos = 0;
			double		bestcost = gain - EPS_M;
			int			w;

			for (w = 0; w < c->nv; w++)
			{
				int			pos;
				double		cost;

				if (w == v)
					continue;
				if (best_insertion(c, w, d, &pos, &cost) && cost < bestcost)
				{
					bestw = w;
					bestpos = pos;
					bestcost = cost;
				}
			}
			if (bestw < 0)
			{
				i++;
				continue;
			}
			remove_at(c, v, i);
			insert_at(c, bestw, d, bestpos);
			moved++;
		}
	}
	return moved;
}

/*
 * settle
 *		Fix the departure of each run: leave as late as the first stop's
 *		window allows, which moves no later start of service, and write the
 *		assignments and runs of the plan.
 */
static void
settle(Ctx *c, RoutingPlan *plan)
{
	int			v;
	int			d;

	for (d = 0; d < c->nd; d++)
	{
		plan->assignments[d].vehicle = -1;
		plan->assignments[d].reason = c->reason[d];
		if (c->reason[d] == ROUTING_PLANNED && c->route_of[d] < 0)
			plan->assignments[d].reason = ROUTING_NO_ROOM;
	}

	for (v = 0; v < c->nv; v++)
	{
		Route	   *r = &c->routes[v];
		RoutingRun *run = &plan->runs[v];
		double		depart = r->depart;
		int			prev = DEPOT;
		int			i;

		if (r->n > 0)
			depart = r->start[0] - travel(c, DEPOT, r->stop[0]);
		run->nstops = r->n;
		run->stops = c->p->alloc(sizeof(int) * (r->n + 1));
		memcpy(run->stops, r->stop, r->n * sizeof(int));
		run->depart_s = (int) lround(depart);
		run->return_s = (int) lround(r->back);
		run->distance_m = r->dist;
		run->return_leg_m = dist(c, (r->n > 0) ? r->stop[r->n - 1] : DEPOT,
								 DEPOT);
		run->volume = r->vol;
		run->weight = r->wt;

		for (i = 0; i < r->n; i++)
		{
			RoutingAssignment *as = &plan->assignments[r->stop[i]];
			double		arrive = (i > 0) ?
				r->start[i - 1] + service(c, v, prev) : depart;

			arrive += travel(c, prev, r->stop[i]);
			as->vehicle = v;
			as->seq = i + 1;
			as->arrival_s = (int) lround(arrive);
			as->start_s = (int) lround(r->start[i]);
			as->leg_m = dist(c, prev, r->stop[i]);
			as->reason = ROUTING_PLANNED;
			prev = r->stop[i];
		}
	}
}

/*
 * routing_plan
 *		Plan the problem's deliveries onto its vehicles.  plan->assignments
 *		gets one entry per delivery and plan->runs one per vehicle; both are
 *		allocated here with problem->alloc.
 */
void
routing_plan(const RoutingProblem *problem, RoutingPlan *plan)
{
	Ctx			c;
	double		m;
	double		n;
	double		coslat = cos(problem->depot_lat * M_PI / 180.0);
	int		   *order;
	int			norder;
	int			round;
	int			i;

	memset(&c, 0, sizeof(c));
	c.p = problem;
	c.nd = problem->ndeliveries;
	c.nv = problem->nvehicles;
	c.x = problem->alloc(sizeof(double) * (c.nd + 1));
	c.y = problem->alloc(sizeof(double) * (c.nd + 1));
	c.route_of = problem->alloc(sizeof(int) * (c.nd + 1));
	c.reason = problem->alloc(sizeof(RoutingReason) * (c.nd + 1));
	c.scratch = problem->alloc(sizeof(int) * (c.nd + 1));
	c.routes = problem->alloc(sizeof(Route) * (c.nv + 1));
	c.vorder = problem->alloc(sizeof(int) * (c.nv + 1));
	plan->assignments = problem->alloc(sizeof(RoutingAssignment) * (c.nd + 1));
	plan->runs = problem->alloc(sizeof(RoutingRun) * (c.nv + 1));

	/* Project the doors onto the plane tangent at the DC. */
	radii(problem->depot_lat, &m, &n);
	for (i = 0; i < c.nd; i++)
	{
		const RoutingDelivery *dl = &problem->deliveries[i];

		c.x[i] = (dl->lon - problem->depot_lon) * M_PI / 180.0 * n * coslat;
		c.y[i] = (dl->lat - problem->depot_lat) * M_PI / 180.0 * m;
		c.route_of[i] = -1;
	}

	/* Empty runs, and the vehicles largest first. */
	for (i = 0; i < c.nv; i++)
	{
		c.routes[i].stop = problem->alloc(sizeof(int) * (c.nd + 1));
		c.routes[i].start = problem->alloc(sizeof(double) * (c.nd + 1));
		c.routes[i].latest = problem->alloc(sizeof(double) * (c.nd + 1));
		refresh(&c, i);
	}
	order_vehicles(&c);

	/* Set aside the impossible, then sweep, then search. */
	screen(&c);
	order = sweep_order(&c, &norder);
	construct(&c, order, norder, true, false);
	construct(&c, order, norder, false, true);
	(void) place_leftovers(&c);

	for (round = 0; round < MAX_ROUNDS; round++)
	{
		int			changes;

		for (i = 0; i < c.nv; i++)
			improve_run(&c, i);
		changes = relocate(&c);
		changes += place_leftovers(&c);
		if (changes == 0)
			break;
	}
	for (i = 0; i < c.nv; i++)
		improve_run(&c, i);

	settle(&c, plan);
}
