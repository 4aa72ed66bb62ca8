/*-------------------------------------------------------------------------
 *
 * tariff.h
 *	  The tariff type's C side, for other server files (settle.c).
 *
 *-------------------------------------------------------------------------
 */
#ifndef SHOWROOM_TARIFF_H
#define SHOWROOM_TARIFF_H

#include "postgres.h"

#include "tariff_parse.h"

extern void tariff_datum_schedule(Datum d, TariffSchedule *s);

#endif							/* SHOWROOM_TARIFF_H */
