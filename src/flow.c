/*-------------------------------------------------------------------------
 *
 * flow.c
 *	  Min-cost flow by cancelling, one at a time, the cheapest negative
 *	  cycle through each arc leaving a hub node.
 *
 * Batch dispatch is a bipartite assignment with capacities: every order is
 * an arc hub -> order (capacity 1, cost 0), every eligible outlet of an
 * order an arc order -> pool (capacity 1, cost rank - 1 - BIG), and every
 * capacity pool an arc pool -> hub or pool -> parent pool.  The flow is a
 * circulation through the hub.  Arcs leaving the hub are offered in turn;
 * for each we look for the cheapest path from its head back to the hub in
 * the residual network and push one unit around the cycle if it is
 * negative.  Before the offer the residual network has no negative cycle
 * (the flow is optimal for the arcs offered so far); only a cycle through
 * the new arc can be negative, and pushing along the cheapest one keeps the
 * flow optimal.  So after the last offer the flow is a min-cost circulation:
 * with BIG larger than any possible change of total rank, it serves the
 * most orders and, among such assignments, has the least sum of ranks.
 *
 * Paths are found with a queue-based Bellman-Ford (SPFA), since residual
 * arcs have negative costs.  It visits only what is reachable from the new
 * order without passing through the hub: the order's outlets, the orders
 * already on them, their other outlets, and so on.  When areas overlap
 * little this is small; in the worst case one offer walks the whole graph.
 *
 * This file is pure: no SPI, no catalog access; only palloc.
 *
 *-------------------------------------------------------------------------
 */
#include "flow.h"

#define FLOW_INF	PG_INT64_MAX

/* One arc of the residual network; arcs come in pairs (a, a ^ 1). */
typedef struct FlowArc
{
	int			to;
	int64		cap;			/* residual capacity */
	int64		cost;
} FlowArc;

struct FlowGraph
{
	int			nnodes;
	int			narcs;
	int			maxarcs;
	FlowArc    *arcs;
	int		   *arc_from;		/* tail of each arc, until flow_prepare */
	int		   *first;			/* CSR: arcs of node v are adj[first[v] ..
								 * first[v + 1] - 1] */
	int		   *adj;
	int64	   *dist;			/* SPFA scratch, kept between offers */
	int		   *pred;
	bool	   *queued;
	int		   *queue;
	int		   *touched;
	int64	   *cap0;			/* capacity each forward arc was built with */
};

/*
 * flow_create
 *		Make an empty network of nnodes nodes, numbered from 0.
 */
FlowGraph *
flow_create(int nnodes)
{
	FlowGraph  *g = palloc0(sizeof(FlowGraph));

	g->nnodes = nnodes;
	g->maxarcs = 1024;
	g->arcs = palloc(sizeof(FlowArc) * g->maxarcs);
	g->arc_from = palloc(sizeof(int) * g->maxarcs);
	return g;
}

/*
 * flow_add_arc
 *		Add an arc from -> to with capacity cap and cost per unit cost, and
 *		its residual twin.  Returns the arc's number, for flow_on_arc() and
 *		flow_push_through().  Must be called before flow_prepare().
 */
int
flow_add_arc(FlowGraph *g, int from, int to, int64 cap, int64 cost)
{
	int			a = g->narcs;

	if (from < 0 || from >= g->nnodes || to < 0 || to >= g->nnodes)
		elog(ERROR, "flow arc %d -> %d outside the network of %d nodes",
			 from, to, g->nnodes);

	if (g->narcs + 2 > g->maxarcs)
	{
		g->maxarcs *= 2;
		g->arcs = repalloc_huge(g->arcs, sizeof(FlowArc) * g->maxarcs);
		g->arc_from = repalloc_huge(g->arc_from, sizeof(int) * g->maxarcs);
	}

	g->arcs[a].to = to;
	g->arcs[a].cap = cap;
	g->arcs[a].cost = cost;
	g->arc_from[a] = from;
	g->arcs[a + 1].to = from;
	g->arcs[a + 1].cap = 0;
	g->arcs[a + 1].cost = -cost;
	g->arc_from[a + 1] = to;
	g->narcs += 2;
	return a;
}

/*
 * flow_prepare
 *		Index the arcs by tail node and allocate the search's scratch
 *		arrays.  Call once, after the last flow_add_arc().
 */
void
flow_prepare(FlowGraph *g)
{
	int			n = g->nnodes;
	int		   *fill;

	g->first = palloc0(sizeof(int) * (n + 1));
	g->adj = palloc_extended(sizeof(int) * Max(g->narcs, 1), MCXT_ALLOC_HUGE);

	/* Count arcs per tail, then place them (a counting sort). */
	for (int a = 0; a < g->narcs; a++)
		g->first[g->arc_from[a] + 1]++;
	for (int v = 0; v < n; v++)
		g->first[v + 1] += g->first[v];
	fill = palloc(sizeof(int) * (n + 1));
	memcpy(fill, g->first, sizeof(int) * (n + 1));
	for (int a = 0; a < g->narcs; a++)
		g->adj[fill[g->arc_from[a]]++] = a;
	pfree(fill);

	/* Remember built capacities so that flows can be read back. */
	g->cap0 = palloc_extended(sizeof(int64) * Max(g->narcs, 1),
							  MCXT_ALLOC_HUGE);
	for (int a = 0; a < g->narcs; a++)
		g->cap0[a] = g->arcs[a].cap;

	g->dist = palloc(sizeof(int64) * n);
	g->pred = palloc(sizeof(int) * n);
	g->queued = palloc0(sizeof(bool) * n);
	g->queue = palloc(sizeof(int) * (n + 1));
	g->touched = palloc(sizeof(int) * n);
	for (int v = 0; v < n; v++)
		g->dist[v] = FLOW_INF;
}

/*
 * flow_push_through
 *		Offer arc hub -> v: find the cheapest path from v back to hub in the
 *		residual network, never passing through hub on the way, and if the
 *		cycle (arc plus path) costs less than zero, push one unit around it.
 *		Returns whether a unit was pushed.
 */
bool
flow_push_through(FlowGraph *g, int hub, int arc)
{
	int			start = g->arcs[arc].to;
	int			ntouched = 0;
	int			head = 0;
	int			tail = 0;
	int			qsize = g->nnodes + 1;
	bool		pushed = false;

	if (g->arc_from[arc] != hub || g->arcs[arc].cap <= 0)
		return false;

	/* Bellman-Ford with a queue, from the arc's head. */
	g->dist[start] = g->arcs[arc].cost;
	g->pred[start] = arc;
	g->touched[ntouched++] = start;
	g->queue[tail++] = start;
	g->queued[start] = true;

	while (head != tail)
	{
		int			x = g->queue[head];

		head = (head + 1) % qsize;
		g->queued[x] = false;
		if (x == hub)
			continue;			/* the cycle ends here; never walk past it */

		for (int i = g->first[x]; i < g->first[x + 1]; i++)
		{
			int			a = g->adj[i];
			FlowArc    *e = &g->arcs[a];
			int64		nd;

			if (e->cap <= 0)
				continue;
			nd = g->dist[x] + e->cost;
			if (nd >= g->dist[e->to])
				continue;
			if (g->dist[e->to] == FLOW_INF)
				g->touched[ntouched++] = e->to;
			g->dist[e->to] = nd;
			g->pred[e->to] = a;
			if (!g->queued[e->to])
			{
				g->queued[e->to] = true;
				g->queue[tail] = e->to;
				tail = (tail + 1) % qsize;
			}
		}
	}

	/* Push one unit around the cycle if it pays. */
	if (g->dist[hub] != FLOW_INF && g->dist[hub] < 0)
	{
		int			v = hub;

		do
		{
			int			a = g->pred[v];

			g->arcs[a].cap -= 1;
			g->arcs[a ^ 1].cap += 1;
			v = g->arc_from[a];
		} while (v != hub);
		pushed = true;
	}

	/* Leave the scratch arrays clean for the next offer. */
	for (int i = 0; i < ntouched; i++)
		g->dist[g->touched[i]] = FLOW_INF;
	return pushed;
}

/*
 * flow_on_arc
 *		The flow on a forward arc (as numbered by flow_add_arc).
 */
int64
flow_on_arc(const FlowGraph *g, int arc)
{
	return g->cap0[arc] - g->arcs[arc].cap;
}
