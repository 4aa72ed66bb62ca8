/*-------------------------------------------------------------------------
 *
 * flow.h
 *	  A small min-cost flow solver for batch dispatch (src/flow.c).
 *
 * The solver is pure: it knows nothing of orders, outlets or SQL.  The
 * caller builds a network with one "hub" node, adds every arc, calls
 * flow_prepare(), and then offers the arcs leaving the hub one at a time
 * to flow_push_through(), which sends one unit around the cheapest cycle
 * through that arc when the cycle's cost is negative.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SHOWROOM_FLOW_H
#define SHOWROOM_FLOW_H

#include "postgres.h"

typedef struct FlowGraph FlowGraph;

extern FlowGraph *flow_create(int nnodes);
extern int	flow_add_arc(FlowGraph *g, int from, int to, int64 cap,
						 int64 cost);
extern void flow_prepare(FlowGraph *g);
extern bool flow_push_through(FlowGraph *g, int hub, int arc);
extern int64 flow_on_arc(const FlowGraph *g, int arc);

#endif							/* SHOWROOM_FLOW_H */
