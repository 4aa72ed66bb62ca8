/*-------------------------------------------------------------------------
 *
 * routing.h
 *	  The delivery-run heuristic of showroom: deliveries and vehicles in,
 *	  runs and the order of their stops out.
 *
 * This interface is pure: it needs no PostgreSQL header, reads no catalog
 * and runs no query, so that routing.c can be tested and fuzzed on its own.
 * The caller hands in an allocator (palloc0 inside the server); routing.c
 * never frees, so the caller's memory context owns everything it makes.
 *
 * Times are seconds since midnight of the planning day; distances are
 * metres; volumes and weights are in whatever unit the caller uses for
 * both the deliveries and the vehicles (litres and kilograms in showroom).
 *
 *-------------------------------------------------------------------------
 */
#ifndef ROUTING_H
#define ROUTING_H

#include <stdbool.h>
#include <stddef.h>

/* A time that means "no limit" in a window. */
#define ROUTING_NO_TIME		(-1)

/* One delivery to plan: a customer's door and what goes there. */
typedef struct RoutingDelivery
{
	double		lon;			/* WGS 84 longitude of the door */
	double		lat;			/* WGS 84 latitude of the door */
	double		volume;			/* load it takes in a truck */
	double		weight;
	int			win_from;		/* earliest start of service, or NO_TIME */
	int			win_to;			/* latest start of service, or NO_TIME */
	int			service_s;		/* seconds at the door to hand over */
	int			install_s;		/* extra seconds when the crew installs */
} RoutingDelivery;

/* One vehicle available for the day, with its crew. */
typedef struct RoutingVehicle
{
	double		volume;			/* capacity in the deliveries' units */
	double		weight;
	int			work_from;		/* leaves the DC no earlier than this */
	int			work_to;		/* back at the DC no later than this */
	bool		installs;		/* crew installs on the same visit */
} RoutingVehicle;

/* Why a delivery was left out of the plan. */
typedef enum RoutingReason
{
	ROUTING_PLANNED = 0,		/* it is on a run */
	ROUTING_NO_VEHICLE,			/* there is no vehicle at all */
	ROUTING_TOO_BIG,			/* larger or heavier than every vehicle */
	ROUTING_WINDOW_UNREACHABLE, /* no vehicle it fits reaches it in time */
	ROUTING_NO_ROOM				/* every vehicle is full for the day */
} RoutingReason;

/* The problem: a depot, the day's deliveries and vehicles, a speed. */
typedef struct RoutingProblem
{
	double		depot_lon;
	double		depot_lat;
	int			ndeliveries;
	const RoutingDelivery *deliveries;
	int			nvehicles;
	const RoutingVehicle *vehicles;
	double		speed_mps;		/* mean speed over straight-line metres */
	void	   *(*alloc) (size_t size);	/* zeroed memory, never NULL */
} RoutingProblem;

/* Where one delivery ended up. */
typedef struct RoutingAssignment
{
	int			vehicle;		/* index into vehicles, or -1 */
	int			seq;			/* 1-based position on the run, or 0 */
	int			arrival_s;		/* arrival at the door */
	int			start_s;		/* start of service (after any wait) */
	double		leg_m;			/* metres from the previous stop */
	RoutingReason reason;
} RoutingAssignment;

/* The run of one vehicle; nstops is 0 for a vehicle left at the DC. */
typedef struct RoutingRun
{
	int			nstops;
	int		   *stops;			/* delivery indices in visiting order */
	int			depart_s;		/* leaves the DC */
	int			return_s;		/* back at the DC */
	double		return_leg_m;	/* metres from the last stop to the DC */
	double		distance_m;		/* whole run, DC to DC */
	double		volume;			/* load carried */
	double		weight;
} RoutingRun;

/* The plan: one assignment per delivery, one run per vehicle. */
typedef struct RoutingPlan
{
	RoutingAssignment *assignments;
	RoutingRun *runs;
} RoutingPlan;

extern void routing_plan(const RoutingProblem *problem, RoutingPlan *plan);
extern const char *routing_reason_name(RoutingReason reason);
extern double routing_distance(double lon0, double lat0,
							   double lon1, double lat1,
							   double ref_lat);

#endif							/* ROUTING_H */
