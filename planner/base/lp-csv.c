/* lp-csv.c: see lp-csv.h. */
#include "lp-csv.h"

#include <string.h>

/* The slow path: @out from @start on, quoted, quotes doubled, with a ' first
 * for a @formula. */
static void
quote_field (GString *out, gsize start, gboolean formula)
{
  g_autofree char *copy = g_strdup (out->str + start);

  g_string_truncate (out, start);
  g_string_append_c (out, '"');
  if (formula)
    g_string_append_c (out, '\'');
  for (const char *p = copy; *p != '\0'; p++) {
    if (*p == '"')
      g_string_append_c (out, '"');
    g_string_append_c (out, *p);
  }
  g_string_append_c (out, '"');
}

/* OWASP: a text cell starting with = + - @ tab or CR is a formula */
static gboolean
is_formula (const char *text)
{
  char c = text[0];
  return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

gboolean
lp_csv_is_plain (const char *text, gboolean neutralise)
{
  return !(neutralise && is_formula (text)) && text[strcspn (text, ",\"\r\n")] == '\0';
}

void
lp_csv_finish_field (GString *out, gsize start, gboolean neutralise)
{
  const char *field = out->str + start;

  if (G_LIKELY (lp_csv_is_plain (field, neutralise)))
    return;
  quote_field (out, start, neutralise && is_formula (field));
}

void
lp_csv_append_field (GString *out, const char *text, gboolean neutralise)
{
  gsize start = out->len;

  g_string_append (out, text);
  lp_csv_finish_field (out, start, neutralise);
}
