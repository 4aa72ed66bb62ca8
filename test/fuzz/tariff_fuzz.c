/*-------------------------------------------------------------------------
 *
 * tariff_fuzz.c
 *	  libFuzzer harness for the tariff parser in src/tariff_parse.c.
 *
 * Each input is parsed as tariff text.  An accepted tariff must also pass
 * tariff_check, print to a canonical text that parses back to the same
 * bands and prints identically, and give a fee for a few distances; a
 * refused one must carry a position inside the text.  Any broken promise
 * aborts, which libFuzzer reports as a crash with the input.
 *
 *-------------------------------------------------------------------------
 */
#include <stdlib.h>
#include <string.h>

#include "tariff_parse.h"

/*
 * LLVMFuzzerTestOneInput
 *		libFuzzer's entry point: data and size are one input; returns 0.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	TariffSchedule t;
	TariffSchedule again;
	TariffError err;
	char		text[TARIFF_TEXT_MAX];
	char		text2[TARIFF_TEXT_MAX];
	size_t		n;
	int64_t		fee;

	if (!tariff_parse((const char *) data, size, &t, &err))
	{
		/* A refusal points at a character of the text or just past it. */
		if (err.position < 1 || (size_t) err.position > size + 1 ||
			memchr(err.message, '\0', sizeof(err.message)) == NULL)
			abort();
		return 0;
	}

	/* Accepted: checked, printable, and stable through a round trip. */
	if (!tariff_check(&t, &err))
		abort();
	n = tariff_format(&t, text, sizeof(text));
	if (n == 0 || n + 1 >= sizeof(text))
		abort();
	if (!tariff_parse(text, n, &again, &err))
		abort();
	if (again.nbands != t.nbands ||
		memcmp(again.bands, t.bands, t.nbands * sizeof(TariffBand)) != 0)
		abort();
	if (tariff_format(&again, text2, sizeof(text2)) != n ||
		memcmp(text, text2, n) != 0)
		abort();

	/* Every distance in range has a fee, never negative. */
	if (!tariff_fee(&t, 0, &fee) || fee < 0 ||
		!tariff_fee(&t, 5000, &fee) || fee < 0 ||
		!tariff_fee(&t, TARIFF_MAX_DISTANCE, &fee) || fee < 0)
		abort();
	if (tariff_fee(&t, -1, &fee) || tariff_fee(&t, TARIFF_MAX_DISTANCE + 1, &fee))
		abort();
	return 0;
}
