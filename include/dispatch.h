/*-------------------------------------------------------------------------
 *
 * dispatch.h
 *	  What areas.c (finding candidate outlets) and dispatch.c (ranking,
 *	  booking, batch assignment) share.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SHOWROOM_DISPATCH_H
#define SHOWROOM_DISPATCH_H

#include "postgres.h"

#include "utils/date.h"

/*
 * One outlet considered for one order, with the facts the dispatcher's
 * screen shows and the verdict of dispatch_rank().
 */
typedef struct Candidate
{
	int64		outlet_id;
	char	   *outlet_code;
	int32		priority;
	bool		active;
	bool		suspended;
	bool		covers;			/* one of its areas covers the point */
	bool		capable;		/* it does this kind for this category */
	int32		skill;			/* 1..5, 0 when not capable */
	int32		capacity;		/* jobs of all kinds allowed that day */
	int32		load;			/* jobs of all kinds booked that day */
	bool		has_kind_limit;
	int32		kind_limit;		/* jobs of this kind allowed, if limited */
	int32		kind_load;		/* jobs of this kind booked */
	bool		has_satisfaction;
	double		satisfaction;	/* 1..5 */
	double		grade_cut;		/* percent its current grade cuts, 0
								 * without a grade */
	double		distance_m;		/* base to point, on the spheroid */
	double		score;
	const char *reason;			/* NULL when eligible */
	int32		rank;			/* 1 = best; 0 when not eligible */
} Candidate;

/* The ranking's weights and the screen's radius, from showroom.settings. */
typedef struct DispatchWeights
{
	double		satisfaction;
	double		skill;
	double		load;
	double		distance_km;
	double		grade;			/* per percentage point of grade cut */
	double		default_satisfaction;
	double		screen_radius_m;
	bool		notify_relay;	/* notices go through outlet_notice */
} DispatchWeights;

/* One service order as dispatch reads it. */
typedef struct OrderFacts
{
	int64		id;
	char	   *state;
	bool		assigned;
	int64		outlet_id;
	Datum		point;
	Oid			point_type;
	char	   *kind;
	char	   *category;
	DateADT		day;
} OrderFacts;

/* areas.c */
extern int	areas_find_candidates(Datum point, Oid point_type,
								  const char *kind, const char *category,
								  DateADT day, bool screen, double radius_m,
								  Candidate **result);
extern bool areas_read_order(int64 order_id, bool lock, OrderFacts *order);

/* cover.c */
typedef struct CoverPair
{
	int32		point;			/* index into the caller's points */
	int64		outlet_id;		/* an outlet one of whose areas covers it */
} CoverPair;

extern int	cover_points(int n, const double *x, const double *y,
						 const Datum *points, Oid geometry_type,
						 CoverPair **pairs);

/* dispatch.c */
extern void dispatch_read_weights(DispatchWeights *w);
extern void dispatch_rank(Candidate *cands, int n, const DispatchWeights *w);
extern void dispatch_notify(int64 outlet_id, const char *event,
							int64 order_id);

/* relay.c */
extern void relay_ensure(void);

#endif							/* SHOWROOM_DISPATCH_H */
