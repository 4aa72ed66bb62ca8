/*-------------------------------------------------------------------------
 *
 * tariff_parse.c
 *	  Parse, check, print and evaluate tariffs, with no PostgreSQL headers.
 *
 * This file is pure C99 plus <stdint.h>: the server's tariff type
 * (tariff.c) wraps it, and the fuzzer under test/fuzz/ links it alone.
 * Nothing here allocates memory; every function works on caller-provided
 * structures and reports a refusal through a TariffError whose position is
 * the 1-based character where the text went wrong.  The grammar and its
 * rules are described in doc/tariff.md.
 *
 *-------------------------------------------------------------------------
 */
#include "tariff_parse.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* The scanner's state: the text, its length and the current byte. */
typedef struct TariffScan
{
	const char *text;
	size_t		len;
	size_t		pos;
	TariffError *err;
} TariffScan;

#if defined(__GNUC__) || defined(__clang__)
static bool fail(TariffScan *s, size_t pos, const char *fmt,...)
			__attribute__((format(printf, 3, 4)));
#endif

/*
 * char_position
 *		The 1-based character number of byte offset pos of text, counting
 *		a UTF-8 sequence as one character, as PostgreSQL's messages do.
 */
static int
char_position(const char *text, size_t pos)
{
	int			n = 1;
	size_t		i;

	for (i = 0; i < pos; i++)
		if (((unsigned char) text[i] & 0xC0) != 0x80)
			n++;
	return n;
}

/*
 * fail
 *		Record a refusal at byte offset pos of the scanned text, with a
 *		printf-style message; always returns false so callers can return it.
 */
static bool
fail(TariffScan *s, size_t pos, const char *fmt,...)
{
	va_list		ap;

	s->err->position = char_position(s->text, pos);
	va_start(ap, fmt);
	vsnprintf(s->err->message, sizeof(s->err->message), fmt, ap);
	va_end(ap);
	return false;
}

/*
 * skip_space
 *		Step over blanks, tabs and line breaks.
 */
static void
skip_space(TariffScan *s)
{
	while (s->pos < s->len &&
		   (s->text[s->pos] == ' ' || s->text[s->pos] == '\t' ||
			s->text[s->pos] == '\n' || s->text[s->pos] == '\r'))
		s->pos++;
}

/*
 * peek
 *		The current byte, or '\0' at the end of the text (an embedded NUL
 *		is refused elsewhere as an unexpected character).
 */
static char
peek(TariffScan *s)
{
	return s->pos < s->len ? s->text[s->pos] : '\0';
}

/*
 * describe_here
 *		Write a short quotation of the text at the current position into
 *		buf, or "the end of the text" there.
 */
static void
describe_here(TariffScan *s, char *buf, size_t buflen)
{
	size_t		n;
	size_t		i;

	if (s->pos >= s->len)
	{
		snprintf(buf, buflen, "the end of the text");
		return;
	}

	/* Quote at most 8 bytes, replacing anything unprintable by '?'. */
	n = s->len - s->pos;
	if (n > 8)
		n = 8;
	buf[0] = '"';
	for (i = 0; i < n && i + 3 < buflen; i++)
	{
		unsigned char c = (unsigned char) s->text[s->pos + i];

		buf[i + 1] = (c >= 0x20 && c < 0x7F) ? (char) c : '?';
	}
	buf[i + 1] = '"';
	buf[i + 2] = '\0';
}

/*
 * expect_word
 *		Consume the literal word (after optional blanks) or refuse, saying
 *		what was expected and what was found.
 */
static bool
expect_word(TariffScan *s, const char *word, const char *meaning)
{
	size_t		n = strlen(word);
	char		found[32];

	skip_space(s);
	if (s->len - s->pos >= n && memcmp(s->text + s->pos, word, n) == 0)
	{
		s->pos += n;
		return true;
	}
	describe_here(s, found, sizeof(found));
	return fail(s, s->pos, "Expected %s but found %s.", meaning, found);
}

/*
 * parse_decimal
 *		Read an unsigned decimal with at most max_decimals digits after the
 *		point, scaled by 10^max_decimals into *value, refusing anything above
 *		max_value.  what names the quantity in messages ("distance").
 */
static bool
parse_decimal(TariffScan *s, int max_decimals, int64_t max_value,
			  const char *what, int64_t *value)
{
	size_t		start;
	int64_t		v = 0;
	int			decimals = 0;
	char		found[32];

	skip_space(s);
	start = s->pos;

	/* A sign is never valid: amounts and distances are not negative. */
	if (peek(s) == '-')
		return fail(s, start, "Negative %s: %ss must not be below zero.",
					what, what);
	if (peek(s) < '0' || peek(s) > '9')
	{
		describe_here(s, found, sizeof(found));
		return fail(s, start, "Expected a %s but found %s.", what, found);
	}

	/* The whole part, refusing it as soon as it passes the limit. */
	while (peek(s) >= '0' && peek(s) <= '9')
	{
		v = v * 10 + (peek(s) - '0');
		if (v > max_value)
			return fail(s, start, "Too large a %s.", what);
		s->pos++;
	}

	/* The fraction, at most max_decimals digits. */
	if (peek(s) == '.')
	{
		s->pos++;
		if (peek(s) < '0' || peek(s) > '9')
			return fail(s, s->pos, "Expected a digit after the decimal point.");
		while (peek(s) >= '0' && peek(s) <= '9')
		{
			if (++decimals > max_decimals)
				return fail(s, start, "More than %d decimals in a %s.",
							max_decimals, what);
			v = v * 10 + (peek(s) - '0');
			s->pos++;
		}
	}

	/*
	 * Scale to the unit (metres or fen) and check the limit once more; the
	 * whole part is at most max_value, so this cannot overflow.
	 */
	for (; decimals < max_decimals; decimals++)
		v *= 10;
	if (v > max_value)
		return fail(s, start, "Too large a %s.", what);
	*value = v;
	return true;
}

/*
 * parse_band
 *		Read one band ("5-20km: 45.00" or "20km+: 45.00 + 1.50/km") into b.
 */
static bool
parse_band(TariffScan *s, TariffBand *b)
{
	/* The start, then either "-end km" or "km+". */
	if (!parse_decimal(s, 3, TARIFF_MAX_METRES, "distance", &b->from_m))
		return false;
	skip_space(s);
	if (peek(s) == '-')
	{
		s->pos++;
		if (!parse_decimal(s, 3, TARIFF_MAX_METRES, "distance", &b->to_m))
			return false;
		if (!expect_word(s, "km", "\"km\""))
			return false;
	}
	else
	{
		if (!expect_word(s, "km", "\"-\" or \"km+\""))
			return false;
		if (!expect_word(s, "+", "\"+\" after an open band's start"))
			return false;
		b->to_m = TARIFF_OPEN_END;
	}
	if (!expect_word(s, ":", "\":\""))
		return false;

	/* The fixed fee, then optionally "+ rate/km". */
	if (!parse_decimal(s, 2, TARIFF_MAX_FEE_FEN, "fee", &b->fee_fen))
		return false;
	b->rate_fen = 0;
	skip_space(s);
	if (peek(s) == '+')
	{
		s->pos++;
		if (!parse_decimal(s, 2, TARIFF_MAX_RATE_FEN, "rate",
						   &b->rate_fen))
			return false;
		if (!expect_word(s, "/", "\"/km\" after a rate"))
			return false;
		if (!expect_word(s, "km", "\"km\" after \"/\""))
			return false;
	}
	return true;
}

/*
 * check_band
 *		Apply the rules between band i and its predecessor; n is the number
 *		of bands.  Writes the reason into err (position left to the caller).
 */
static bool
check_band(const TariffSchedule *t, int i, TariffError *err)
{
	const TariffBand *b = &t->bands[i];
	const TariffBand *p = i > 0 ? &t->bands[i - 1] : NULL;
	char	   *m = err->message;
	size_t		sz = sizeof(err->message);

	if (b->from_m < 0 || b->from_m > TARIFF_MAX_METRES ||
		(b->to_m != TARIFF_OPEN_END &&
		 (b->to_m < 0 || b->to_m > TARIFF_MAX_METRES)))
		snprintf(m, sz, "Band %d has a distance out of range.", i + 1);
	else if (b->fee_fen < 0 || b->rate_fen < 0)
		snprintf(m, sz, "Band %d has a negative amount.", i + 1);
	else if (b->fee_fen > TARIFF_MAX_FEE_FEN ||
			 b->rate_fen > TARIFF_MAX_RATE_FEN)
		snprintf(m, sz, "Band %d has too large an amount.", i + 1);
	else if (p == NULL && b->from_m != 0)
		snprintf(m, sz,
				 "The first band starts above 0 km: a gap from 0 km.");
	else if (p != NULL && p->to_m == TARIFF_OPEN_END)
		snprintf(m, sz,
				 "Band %d follows an open-ended band: only the last band may be open-ended.",
				 i + 1);
	else if (p != NULL && b->from_m < p->from_m)
		snprintf(m, sz,
				 "Band %d starts before band %d: bands must be in increasing order.",
				 i + 1, i);
	else if (p != NULL && b->from_m < p->to_m)
		snprintf(m, sz,
				 "Band %d starts before band %d ends: bands overlap.",
				 i + 1, i);
	else if (p != NULL && b->from_m > p->to_m)
		snprintf(m, sz,
				 "Band %d starts after band %d ends: a gap between them.",
				 i + 1, i);
	else if (b->to_m != TARIFF_OPEN_END && b->to_m <= b->from_m)
		snprintf(m, sz,
				 "Band %d ends where or before it starts.", i + 1);
	else
		return true;
	return false;
}

/*
 * check_last
 *		The schedule must have a band and end with an open-ended one, so that
 *		every distance has a fee.
 */
static bool
check_last(const TariffSchedule *t, TariffError *err)
{
	if (t->nbands < 1 || t->nbands > TARIFF_MAX_BANDS)
		snprintf(err->message, sizeof(err->message),
				 "A tariff needs between 1 and %d bands.", TARIFF_MAX_BANDS);
	else if (t->bands[t->nbands - 1].to_m != TARIFF_OPEN_END)
		snprintf(err->message, sizeof(err->message),
				 "The last band must be open-ended, for example \"20km+: 45.00\".");
	else
		return true;
	return false;
}

/*
 * tariff_parse
 *		Parse len bytes of text into *out.  On refusal returns false with
 *		err->position the 1-based character at fault.
 */
bool
tariff_parse(const char *text, size_t len, TariffSchedule *out,
			 TariffError *err)
{
	TariffScan	s = {text, len, 0, err};
	char		found[32];

	out->nbands = 0;
	skip_space(&s);
	if (s.pos >= len)
		return fail(&s, s.pos, "The tariff is empty; write at least one band, for example \"0km+: 30.00\".");

	for (;;)
	{
		size_t		band_start;

		skip_space(&s);
		band_start = s.pos;
		if (out->nbands == TARIFF_MAX_BANDS)
			return fail(&s, band_start, "More than %d bands.",
						TARIFF_MAX_BANDS);
		if (!parse_band(&s, &out->bands[out->nbands]))
			return false;
		if (!check_band(out, out->nbands, err))
		{
			err->position = char_position(text, band_start);
			return false;
		}
		out->nbands++;

		/* A semicolon starts another band; the end closes the schedule. */
		skip_space(&s);
		if (peek(&s) == ';' && s.pos < len)
		{
			s.pos++;
			continue;
		}
		if (s.pos >= len)
			break;
		describe_here(&s, found, sizeof(found));
		return fail(&s, s.pos, "Expected \";\" or the end of the text but found %s.",
					found);
	}

	if (!check_last(out, err))
	{
		err->position = char_position(text, len);
		return false;
	}
	return true;
}

/*
 * tariff_check
 *		Check a schedule built elsewhere (the binary receive function) by
 *		the same rules as the parser; err->position is the band number.
 */
bool
tariff_check(const TariffSchedule *t, TariffError *err)
{
	int			i;

	if (!check_last(t, err))
	{
		err->position = 0;
		return false;
	}
	for (i = 0; i < t->nbands; i++)
	{
		if (!check_band(t, i, err))
		{
			err->position = i + 1;
			return false;
		}
	}
	return true;
}

/*
 * format_km
 *		Print metres as kilometres without trailing zeros ("5", "2.5").
 */
static int
format_km(char *buf, size_t buflen, int64_t m)
{
	int64_t		frac = m % 1000;

	if (frac == 0)
		return snprintf(buf, buflen, "%lld", (long long) (m / 1000));
	if (frac % 100 == 0)
		return snprintf(buf, buflen, "%lld.%lld", (long long) (m / 1000),
						(long long) (frac / 100));
	if (frac % 10 == 0)
		return snprintf(buf, buflen, "%lld.%02lld", (long long) (m / 1000),
						(long long) (frac / 10));
	return snprintf(buf, buflen, "%lld.%03lld", (long long) (m / 1000),
					(long long) frac);
}

/*
 * tariff_format
 *		Print the canonical text of a checked schedule into buf (at most
 *		buflen bytes, NUL-terminated).  Returns the length of the text;
 *		TARIFF_TEXT_MAX is always enough.
 */
size_t
tariff_format(const TariffSchedule *t, char *buf, size_t buflen)
{
	size_t		n = 0;
	int			i;

	buf[0] = '\0';
	for (i = 0; i < t->nbands && n < buflen; i++)
	{
		const TariffBand *b = &t->bands[i];

		if (i > 0)
			n += snprintf(buf + n, buflen - n, "; ");
		if (n >= buflen)
			break;
		n += format_km(buf + n, buflen - n, b->from_m);
		if (n >= buflen)
			break;
		if (b->to_m == TARIFF_OPEN_END)
			n += snprintf(buf + n, buflen - n, "km+");
		else
		{
			n += snprintf(buf + n, buflen - n, "-");
			if (n >= buflen)
				break;
			n += format_km(buf + n, buflen - n, b->to_m);
			if (n >= buflen)
				break;
			n += snprintf(buf + n, buflen - n, "km");
		}
		if (n >= buflen)
			break;
		n += snprintf(buf + n, buflen - n, ": %lld.%02lld",
					  (long long) (b->fee_fen / 100),
					  (long long) (b->fee_fen % 100));
		if (n >= buflen)
			break;
		if (b->rate_fen != 0)
			n += snprintf(buf + n, buflen - n, " + %lld.%02lld/km",
						  (long long) (b->rate_fen / 100),
						  (long long) (b->rate_fen % 100));
	}
	return n < buflen ? n : buflen - 1;
}

/*
 * tariff_fee
 *		The fee in fen for a job metres away: the band holding the distance
 *		(a band includes its upper end; the first includes 0) gives its fixed
 *		fee plus its rate for each km beyond its start, pro rata to the
 *		metre and rounded half up to the fen once.  Returns false if metres
 *		is negative or above TARIFF_MAX_DISTANCE.
 */
bool
tariff_fee(const TariffSchedule *t, int64_t metres, int64_t *fee_fen)
{
	int			i;

	if (metres < 0 || metres > TARIFF_MAX_DISTANCE)
		return false;
	for (i = 0; i < t->nbands; i++)
	{
		const TariffBand *b = &t->bands[i];

		if (b->to_m == TARIFF_OPEN_END || metres <= b->to_m)
		{
			/* At most 1e8 fen/km times 1e9 m: well inside int64. */
			int64_t		extra = b->rate_fen * (metres - b->from_m);

			*fee_fen = b->fee_fen + (extra + 500) / 1000;
			return true;
		}
	}
	return false;
}
