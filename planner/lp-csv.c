/* lp-csv.c: see lp-csv.h. */
#include "lp-csv.h"

#include <string.h>

void
lp_csv_finish_field (GString *out, gsize start, gboolean neutralise)
{
  const char *field = out->str + start;
  gboolean formula = neutralise && field[0] != '\0' && strchr ("=+-@\t\r", field[0]) != NULL;
  g_autofree char *copy = NULL;

  if (!formula && field[strcspn (field, ",\"\r\n")] == '\0')
    return;
  copy = g_strdup (field);
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

void
lp_csv_append_field (GString *out, const char *text, gboolean neutralise)
{
  gsize start = out->len;

  g_string_append (out, text);
  lp_csv_finish_field (out, start, neutralise);
}
