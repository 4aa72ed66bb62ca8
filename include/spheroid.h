/*-------------------------------------------------------------------------
 *
 * spheroid.h
 *	  Distances on the WGS 84 spheroid, without PostGIS, for settlement.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SHOWROOM_SPHEROID_H
#define SHOWROOM_SPHEROID_H

#include <stdbool.h>

extern bool spheroid_distance_m(double lon1, double lat1, double lon2,
								double lat2, double *metres);

#endif							/* SHOWROOM_SPHEROID_H */
