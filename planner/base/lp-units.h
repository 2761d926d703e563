/* lp-units.h: the value syntaxes users type (durations, percentages, counts,
 * yes/no) and how lyncplan prints them back. Locale-independent. */
#pragma once

#include <glib.h>
#include <math.h>
#include <string.h>

/* Largest count or minute figure lyncplan accepts: the largest integer a
 * double holds exactly (2^53 - 1). An arithmetic limit, not a product figure. */
#define LP_MAX_EXACT 9007199254740991.0

/* Doubles of this size or more (2^52) are whole numbers already. */
#define LP_WHOLE_ABOVE 4503599627370496.0

/* floor(), ceil() and round() (half away from zero) without a call into
 * libm, for the engine's hot path: the same values, except that a zero
 * result is always +0. NaN and infinities pass through. */
static inline double
lp_floor (double x)
{
  double t;

  if (!(fabs (x) < LP_WHOLE_ABOVE))
    return x;
  t = (double) (gint64) x; /* toward zero */
  return t > x ? t - 1 : t;
}

static inline double
lp_ceil (double x)
{
  double t;

  if (!(fabs (x) < LP_WHOLE_ABOVE))
    return x;
  t = (double) (gint64) x;
  return t < x ? t + 1 : t;
}

static inline double
lp_round (double x)
{
  double t;

  if (!(fabs (x) < LP_WHOLE_ABOVE))
    return x;
  t = (double) (gint64) x;
  if (x - t >= 0.5)
    return t + 1;
  if (t - x >= 0.5)
    return t - 1;
  return t;
}

/**
 * lp_parse_duration:
 * @text: e.g. "90s", "30m", "4h", "1d", "1h30m"; a bare number is refused
 * @minutes: (out): the duration in minutes
 * @error: LP_ERROR_INPUT with a message saying what was expected
 *
 * Returns: TRUE on success; on failure @minutes is untouched.
 */
gboolean lp_parse_duration (const char *text, double *minutes, GError **error);

/**
 * lp_parse_percent:
 * @text: e.g. "99.9" or "99.9%"
 * @percent: (out): the number before the optional '%'
 * @error: LP_ERROR_INPUT when @text is not a finite decimal number
 *
 * Range checks are the caller's: an SLA and a remote share differ.
 */
gboolean lp_parse_percent (const char *text, double *percent, GError **error);

/**
 * lp_parse_count:
 * @text: a whole number, 0 or more, digits only (no sign, no separators)
 * @count: (out): the value, at most LP_MAX_EXACT
 * @error: LP_ERROR_INPUT for a sign, a fraction, junk or a too-large number
 */
gboolean lp_parse_count (const char *text, guint64 *count, GError **error);

/**
 * lp_parse_number:
 * @text: a decimal number such as "6660", "0.5" or "-1"
 * @value: (out): the value
 * @error: LP_ERROR_INPUT when @text is not a finite number
 */
gboolean lp_parse_number (const char *text, double *value, GError **error);

/**
 * lp_parse_bool:
 * @text: true/false, yes/no, on/off or 1/0 (any case)
 * @value: (out): the value
 * @error: LP_ERROR_INPUT otherwise
 */
gboolean lp_parse_bool (const char *text, gboolean *value, GError **error);

/**
 * lp_format_duration:
 * @minutes: a duration; infinity prints as "none"
 *
 * Returns: (transfer full): "0m", "30m", "1h5m", "72h", "1m30s".
 */
char *lp_format_duration (double minutes);

/**
 * lp_format_decimal:
 * @value: a finite number
 * @max_decimals: digits after the point at most (trailing zeros dropped)
 *
 * Returns: (transfer full): "99.9", "5000", "0.25"; always a '.' point.
 */
char *lp_format_decimal (double value, guint max_decimals);

/* lp_format_duration() and lp_format_decimal(), appended to @s: no
 * allocation once @s has room, for loops that format many values. */
void lp_append_duration (GString *s, double minutes);
/* @n in decimal digits, appended without formatting machinery. */
void lp_append_count (GString *s, guint64 n);

/* lp_put_count() for @n of 100 or more. */
char *lp_put_count_long (char *p, guint64 n);

/* @n in decimal digits (at most LP_COUNT_MAX_DIGITS of them) written at @p,
 * no NUL: returns the end. For a writer that has made room for a row
 * (lp_string_room()); a count below 100 is one or two stores. */
#define LP_COUNT_MAX_DIGITS 20
static inline char *
lp_put_count (char *p, guint64 n)
{
  if (G_LIKELY (n < 10)) {
    *p = (char) ('0' + n);
    return p + 1;
  }
  if (n < 100) {
    p[0] = (char) ('0' + n / 10);
    p[1] = (char) ('0' + n % 10);
    return p + 2;
  }
  return lp_put_count_long (p, n);
}

/* Makes room for @n more bytes after @s's text (and its NUL) and returns
 * where they go: write at most @n bytes there, then lp_string_commit() with
 * the end. Nothing is allocated while @s has room. */
static inline char *
lp_string_room (GString *s, gsize n)
{
  if (G_UNLIKELY (s->len + n >= s->allocated_len)) {
    gsize len = s->len;
    g_string_set_size (s, len + n);
    g_string_truncate (s, len);
  }
  return s->str + s->len;
}

/* Ends text written from lp_string_room() at @end (within the room). */
static inline void
lp_string_commit (GString *s, char *end)
{
  s->len = (gsize) (end - s->str);
  *end = '\0';
}

/* @len bytes of @text appended to @s, as g_string_append_len() does, but
 * without a call into GString while @s has room: for a writer's hot path
 * (a sweep row's words). */
static inline void
lp_append_len (GString *s, const char *text, gsize len)
{
  if (G_LIKELY (s->len + len < s->allocated_len)) {
    memcpy (s->str + s->len, text, len);
    s->len += len;
    s->str[s->len] = '\0';
    return;
  }
  g_string_append_len (s, text, (gssize) len);
}
void lp_append_decimal (GString *s, double value, guint max_decimals);

/**
 * lp_format_count:
 * @count: a whole number
 *
 * Returns: (transfer full): the number with ',' between thousands: "80,000".
 */
char *lp_format_count (guint64 count);

/**
 * lp_format_money:
 * @amount: a sum of money, finite
 * @currency: (nullable): the price list's currency, as written ("USD",
 *   "EUR"); NULL for the amount alone (a column headed with the currency)
 *
 * Returns: (transfer full): the currency, a space and the amount rounded to
 *   cents, with ',' between thousands and '.' before the cents, whatever the
 *   locale: "USD 1,234,567.50", "-EUR 12.00", "12.00".
 */
char *lp_format_money (double amount, const char *currency);
