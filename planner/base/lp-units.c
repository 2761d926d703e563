/* lp-units.c: parsing and printing of durations, percentages and counts. */
#include "lp-units.h"

#include <math.h>
#include <string.h>

#include "lp-error.h"

/* Minutes per duration unit. Units of time, not product figures. */
static const struct {
  char unit;
  double minutes;
} duration_units[] = {
  { 'd', 1440.0 },
  { 'h', 60.0 },
  { 'm', 1.0 },
  { 's', 1.0 / 60.0 },
};

static gboolean
unit_minutes (char unit, double *minutes)
{
  for (guint i = 0; i < G_N_ELEMENTS (duration_units); i++) {
    if (duration_units[i].unit == unit) {
      *minutes = duration_units[i].minutes;
      return TRUE;
    }
  }
  return FALSE;
}

static gboolean
duration_fail (const char *text, const char *why, GError **error)
{
  g_set_error (error, LP_ERROR, LP_ERROR_INPUT,
               "expected a duration with a unit such as 30m, 4h, 1d or 1h30m, got '%s' (%s)", text,
               why);
  return FALSE;
}

/* Reads the unit at @p: one of duration_units, smaller than @below (the
 * one before it, so that "1h30m" reads and "1h1h" or "30m1h" do not). */
static gboolean
read_unit (const char *text, const char **p, double below, double *per_unit, GError **error)
{
  const char *start = *p;
  g_autofree char *word = NULL;

  while (g_ascii_isalpha (**p))
    (*p)++;
  if (*p - start == 1 && unit_minutes (*start, per_unit)) {
    if (*per_unit >= below)
      return duration_fail (text, "each unit once, largest first, as in 1d2h30m", error);
    return TRUE;
  }
  if (*p == start)
    return duration_fail (text,
                          **p == '\0' ? "a bare number has no unit"
                          : **p == '.' || **p == ','
                            ? "whole numbers only: 30m, not 0.5h; 1h30m, not 1.5h"
                            : "a unit must follow the number",
                          error);
  word = g_strndup (start, (gsize) (*p - start));
  g_set_error (error, LP_ERROR, LP_ERROR_INPUT,
               "expected a duration with a unit such as 30m, 4h, 1d or 1h30m, got '%s' ('%s' is "
               "not a unit: use d, h, m or s)",
               text, word);
  return FALSE;
}

gboolean
lp_parse_duration (const char *text, double *minutes, GError **error)
{
  const char *p = text;
  double total = 0, last_unit = INFINITY;

  if (*p == '\0')
    return duration_fail (text, "empty", error);
  while (*p != '\0') {
    guint64 n = 0;
    double per_unit;
    const char *digits = p;

    for (; g_ascii_isdigit (*p); p++) {
      if (n > 1000000000000ULL)
        return duration_fail (text, "number too large", error);
      n = n * 10 + (guint64) (*p - '0');
    }
    if (p == digits)
      return duration_fail (text, *p == '-' ? "negative" : "a number must come first", error);
    if (!read_unit (text, &p, last_unit, &per_unit, error))
      return FALSE;
    last_unit = per_unit;
    total += (double) n * per_unit;
  }
  if (total > LP_MAX_EXACT)
    return duration_fail (text, "too long", error);
  *minutes = total;
  return TRUE;
}

/* Plain decimal notation: an optional sign, digits with at most one point,
 * an optional exponent. No hexadecimal, no "inf" or "nan", no spaces. */
static gboolean
is_decimal (const char *p)
{
  gboolean digits = FALSE;

  if (*p == '-' || *p == '+')
    p++;
  for (; g_ascii_isdigit (*p); p++)
    digits = TRUE;
  if (*p == '.')
    for (p++; g_ascii_isdigit (*p); p++)
      digits = TRUE;
  if (!digits)
    return FALSE;
  if (*p == 'e' || *p == 'E') {
    p++;
    if (*p == '-' || *p == '+')
      p++;
    if (!g_ascii_isdigit (*p))
      return FALSE;
    while (g_ascii_isdigit (*p))
      p++;
  }
  return *p == '\0';
}

gboolean
lp_parse_number (const char *text, double *value, GError **error)
{
  char *end = NULL;
  double v;

  if (!is_decimal (text)) {
    g_set_error (error, LP_ERROR, LP_ERROR_INPUT, "expected a number, got '%s'", text);
    return FALSE;
  }
  v = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !isfinite (v) || fabs (v) > LP_MAX_EXACT) {
    g_set_error (error, LP_ERROR, LP_ERROR_INPUT, "expected a number, got '%s'", text);
    return FALSE;
  }
  *value = v;
  return TRUE;
}

gboolean
lp_parse_percent (const char *text, double *percent, GError **error)
{
  g_autofree char *copy = g_strdup (text);
  gsize len = strlen (copy);

  if (len > 0 && copy[len - 1] == '%')
    copy[len - 1] = '\0';
  if (!lp_parse_number (copy, percent, NULL)) {
    g_set_error (error, LP_ERROR, LP_ERROR_INPUT,
                 "expected a percentage such as 99.9 or 99.9%%, got '%s'", text);
    return FALSE;
  }
  return TRUE;
}

gboolean
lp_parse_count (const char *text, guint64 *count, GError **error)
{
  guint64 n = 0;
  const char *p = text;

  if (*p == '\0')
    goto fail;
  for (; *p != '\0'; p++) {
    if (!g_ascii_isdigit (*p))
      goto fail;
    n = n * 10 + (guint64) (*p - '0');
    if ((double) n > LP_MAX_EXACT) {
      g_set_error (error, LP_ERROR, LP_ERROR_INPUT, "number too large: '%s' (at most %.0f)", text,
                   LP_MAX_EXACT);
      return FALSE;
    }
  }
  *count = n;
  return TRUE;
fail:
  g_set_error (error, LP_ERROR, LP_ERROR_INPUT, "expected a whole number, 0 or more, got '%s'",
               text);
  return FALSE;
}

gboolean
lp_parse_bool (const char *text, gboolean *value, GError **error)
{
  static const char *const yes[] = { "true", "yes", "on", "1", NULL };
  static const char *const no[] = { "false", "no", "off", "0", NULL };

  for (guint i = 0; yes[i] != NULL; i++) {
    if (g_ascii_strcasecmp (text, yes[i]) == 0) {
      *value = TRUE;
      return TRUE;
    }
    if (g_ascii_strcasecmp (text, no[i]) == 0) {
      *value = FALSE;
      return TRUE;
    }
  }
  g_set_error (error, LP_ERROR, LP_ERROR_INPUT, "expected true or false, got '%s'", text);
  return FALSE;
}

/* "00" to "99", two characters a pair */
static const char lp_digit_pairs[201] = "00010203040506070809101112131415161718192021222324"
                                        "25262728293031323334353637383940414243444546474849"
                                        "50515253545556575859606162636465666768697071727374"
                                        "75767778798081828384858687888990919293949596979899";

char *
lp_put_count_long (char *p, guint64 n)
{
  static const guint64 tens[] = { 1000ULL,
                                  10000ULL,
                                  100000ULL,
                                  1000000ULL,
                                  10000000ULL,
                                  100000000ULL,
                                  1000000000ULL,
                                  10000000000ULL,
                                  100000000000ULL,
                                  1000000000000ULL,
                                  10000000000000ULL,
                                  100000000000000ULL,
                                  1000000000000000ULL,
                                  10000000000000000ULL,
                                  100000000000000000ULL,
                                  1000000000000000000ULL,
                                  10000000000000000000ULL };
  guint len = 3;
  char *q;

  while (len < LP_COUNT_MAX_DIGITS && n >= tens[len - 3])
    len++;
  q = p + len;
  while (n >= 100) {
    guint64 high = n / 100;
    q -= 2;
    memcpy (q, lp_digit_pairs + (n - high * 100) * 2, 2);
    n = high;
  }
  if (n >= 10) {
    q -= 2;
    memcpy (q, lp_digit_pairs + n * 2, 2);
  } else {
    *--q = (char) ('0' + n);
  }
  return p + len;
}

void
lp_append_count (GString *s, guint64 n)
{
  lp_string_commit (s, lp_put_count (lp_string_room (s, LP_COUNT_MAX_DIGITS), n));
}

void
lp_append_duration (GString *s, double minutes)
{
  guint64 secs, h, m, sec;

  if (isinf (minutes)) {
    g_string_append (s, "none");
    return;
  }
  secs = (guint64) llround (minutes * 60.0);
  h = secs / 3600;
  m = (secs / 60) % 60;
  sec = secs % 60;
  if (h > 0) {
    lp_append_count (s, h);
    g_string_append_c (s, 'h');
  }
  if (m > 0 || (h == 0 && sec == 0)) {
    lp_append_count (s, m);
    g_string_append_c (s, 'm');
  }
  if (sec > 0) {
    lp_append_count (s, sec);
    g_string_append_c (s, 's');
  }
}

char *
lp_format_duration (double minutes)
{
  GString *s = g_string_new (NULL);
  lp_append_duration (s, minutes);
  return g_string_free (s, FALSE);
}

void
lp_append_decimal (GString *s, double value, guint max_decimals)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  char fmt[16];
  char *dot, *end;

  g_snprintf (fmt, sizeof fmt, "%%.%uf", max_decimals);
  g_ascii_formatd (buf, sizeof buf, fmt, value);
  dot = strchr (buf, '.');
  if (dot != NULL) {
    end = buf + strlen (buf) - 1;
    while (end > dot && *end == '0')
      *end-- = '\0';
    if (end == dot)
      *end = '\0';
  }
  g_string_append (s, strcmp (buf, "-0") == 0 ? "0" : buf);
}

char *
lp_format_decimal (double value, guint max_decimals)
{
  GString *s = g_string_new (NULL);
  lp_append_decimal (s, value, max_decimals);
  return g_string_free (s, FALSE);
}

char *
lp_format_money (double amount, const char *currency)
{
  double cents = lp_round (fabs (amount) * 100);
  g_autofree char *whole = NULL;

  /* no total reaches this (prices are bounded, LP_PRICE_MAX): a figure past
   * what a guint64 of whole units holds is not converted, it is said */
  if (!(cents / 100 < 1e18))
    return g_strdup_printf ("%s%sover 10^18", currency ? currency : "", currency ? " " : "");
  whole = lp_format_count ((guint64) (cents / 100));

  return g_strdup_printf ("%s%s%s%s.%02u", amount < 0 && cents > 0 ? "-" : "",
                          currency ? currency : "", currency ? " " : "", whole,
                          (guint) fmod (cents, 100));
}

char *
lp_format_count (guint64 count)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GUINT64_FORMAT, count);
  gsize len = strlen (digits);
  GString *s = g_string_sized_new (len + len / 3);

  for (gsize i = 0; i < len; i++) {
    if (i > 0 && (len - i) % 3 == 0)
      g_string_append_c (s, ',');
    g_string_append_c (s, digits[i]);
  }
  return g_string_free (s, FALSE);
}
