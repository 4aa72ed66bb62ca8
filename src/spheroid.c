/*-------------------------------------------------------------------------
 *
 * spheroid.c
 *	  The distance between two lon/lat points on the WGS 84 spheroid.
 *
 * Settlement prices a million jobs a run by the distance from the outlet's
 * base (or the DC) to the customer.  Calling PostGIS for each costs more
 * than the arithmetic: ST_DistanceSpheroid deserializes both points into
 * its own structures first.  This file computes the same geodesic length
 * with Vincenty's inverse formula, which agrees with PostGIS (Karney's
 * algorithm, exact to nanometres) to well under a millimetre for any two
 * points that are not nearly antipodal.  It is pure: no PostgreSQL
 * headers, no catalog.
 *
 *-------------------------------------------------------------------------
 */
#include <math.h>

#include "spheroid.h"

/* WGS 84: semi-major axis (metres) and flattening. */
#define WGS84_A			6378137.0
#define WGS84_F			(1.0 / 298.257223563)
#define WGS84_B			(WGS84_A * (1.0 - WGS84_F))

/* Iterations of lambda before giving up (nearly antipodal points). */
#define VINCENTY_MAX_ITER	200

#define DEG2RAD(d)		((d) * (M_PI / 180.0))

/*
 * spheroid_distance_m
 *		Geodesic distance in metres between (lon1, lat1) and (lon2, lat2),
 *		in degrees, on WGS 84, into *metres.  Returns false when the
 *		iteration does not converge, which happens only for points nearly
 *		opposite each other on the globe.
 */
bool
spheroid_distance_m(double lon1, double lat1, double lon2, double lat2,
					double *metres)
{
	double		u1 = atan((1.0 - WGS84_F) * tan(DEG2RAD(lat1)));
	double		u2 = atan((1.0 - WGS84_F) * tan(DEG2RAD(lat2)));
	double		sin_u1 = sin(u1),
				cos_u1 = cos(u1);
	double		sin_u2 = sin(u2),
				cos_u2 = cos(u2);
	double		l = DEG2RAD(lon2 - lon1);
	double		lambda = l;
	double		sin_sigma = 0,
				cos_sigma = 0,
				sigma = 0,
				cos2_alpha = 0,
				cos_2sm = 0;
	double		u_sq,
				a,
				b,
				delta_sigma;
	int			i;

	/* Iterate on the longitude difference on the auxiliary sphere. */
	for (i = 0; i < VINCENTY_MAX_ITER; i++)
	{
		double		sin_lambda = sin(lambda),
					cos_lambda = cos(lambda);
		double		sin_alpha,
					c,
					previous;

		sin_sigma = sqrt((cos_u2 * sin_lambda) * (cos_u2 * sin_lambda) +
						 (cos_u1 * sin_u2 - sin_u1 * cos_u2 * cos_lambda) *
						 (cos_u1 * sin_u2 - sin_u1 * cos_u2 * cos_lambda));
		if (sin_sigma == 0)
		{
			*metres = 0;		/* the same point */
			return true;
		}
		cos_sigma = sin_u1 * sin_u2 + cos_u1 * cos_u2 * cos_lambda;
		sigma = atan2(sin_sigma, cos_sigma);
		sin_alpha = cos_u1 * cos_u2 * sin_lambda / sin_sigma;
		cos2_alpha = 1.0 - sin_alpha * sin_alpha;

		/* On the equator cos2_alpha is 0 and the term vanishes. */
		cos_2sm = cos2_alpha != 0 ?
			cos_sigma - 2.0 * sin_u1 * sin_u2 / cos2_alpha : 0;
		c = WGS84_F / 16.0 * cos2_alpha *
			(4.0 + WGS84_F * (4.0 - 3.0 * cos2_alpha));
		previous = lambda;
		lambda = l + (1.0 - c) * WGS84_F * sin_alpha *
			(sigma + c * sin_sigma *
			 (cos_2sm + c * cos_sigma * (-1.0 + 2.0 * cos_2sm * cos_2sm)));
		if (fabs(lambda - previous) < 1e-12)
			break;
	}
	if (i == VINCENTY_MAX_ITER)
		return false;

	/* The length of the geodesic from the converged sigma. */
	u_sq = cos2_alpha * (WGS84_A * WGS84_A - WGS84_B * WGS84_B) /
		(WGS84_B * WGS84_B);
	a = 1.0 + u_sq / 16384.0 *
		(4096.0 + u_sq * (-768.0 + u_sq * (320.0 - 175.0 * u_sq)));
	b = u_sq / 1024.0 * (256.0 + u_sq * (-128.0 + u_sq * (74.0 - 47.0 * u_sq)));
	delta_sigma = b * sin_sigma *
		(cos_2sm + b / 4.0 *
		 (cos_sigma * (-1.0 + 2.0 * cos_2sm * cos_2sm) -
		  b / 6.0 * cos_2sm * (-3.0 + 4.0 * sin_sigma * sin_sigma) *
		  (-3.0 + 4.0 * cos_2sm * cos_2sm)));
	*metres = WGS84_B * a * (sigma - delta_sigma);
	return true;
}
