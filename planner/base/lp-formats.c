/* lp-formats.c: choosing a --format from a command's table; see lp-formats.h. */
#include "lp-formats.h"

#include <stdio.h>
#include <string.h>

#include "lp-error.h"

/* The row after @f in a table of rows of @row_size bytes. */
static const LpFormat *
next_row (const LpFormat *f, gsize row_size)
{
  return (const LpFormat *) (const void *) ((const char *) f + row_size);
}

const LpFormat *
lp_formats_choose (const LpFormat *first, gsize row_size, const char *format, const char *context,
                   GError **error)
{
  g_autofree char *names = NULL;

  for (const LpFormat *f = first; f->name != NULL; f = next_row (f, row_size)) {
    if (format == NULL || strcmp (f->name, format) == 0)
      return f;
  }
  names = lp_formats_join (first, row_size, FALSE, " or ");
  g_set_error (error, LP_ERROR, LP_ERROR_USAGE, "--format: expected %s%s, got '%s'", names,
               context != NULL ? context : "", format);
  return NULL;
}

char *
lp_formats_join (const LpFormat *first, gsize row_size, gboolean help, const char *last)
{
  GString *s = g_string_new (NULL);

  for (const LpFormat *f = first; f->name != NULL; f = next_row (f, row_size)) {
    if (f != first)
      g_string_append (s, next_row (f, row_size)->name == NULL ? last : ", ");
    g_string_append (s, help ? f->help : f->name);
  }
  return g_string_free (s, FALSE);
}

void
lp_formats_print_names (const LpFormat *first, gsize row_size)
{
  for (const LpFormat *f = first; f->name != NULL; f = next_row (f, row_size))
    printf ("%s\n", f->name);
}
