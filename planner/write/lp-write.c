/* lp-write.c: the table of plan writers, and what is made from it: the
 * --format check, its message and its help; see lp-write.h. */
#include "lp-write.h"

#include <string.h>

#include "lp-error.h"

const LpWriter lp_writers[] = {
  { .name = "text",
    .help = "text (default)",
    .is_format = TRUE,
    .kind = LP_OUTPUT_STREAM,
    .write = lp_write_text },
  { .name = "json",
    .help = "json",
    .is_format = TRUE,
    .kind = LP_OUTPUT_STREAM,
    .write = lp_write_json },
  { .name = "csv",
    .help = "csv (the bill of materials)",
    .is_format = TRUE,
    .kind = LP_OUTPUT_STREAM,
    .write = lp_write_csv },
  { .name = "tbxml",
    .help = "tbxml (a Topology Builder document)",
    .is_format = TRUE,
    .kind = LP_OUTPUT_STREAM,
    .check = lp_write_tbxml_precheck,
    .write = lp_write_tbxml },
  /* the deliverable: --xlsx FILE, beside the report */
  { .name = "xlsx",
    .help = "Also write the customer workbook to FILE",
    .kind = LP_OUTPUT_FILE,
    .dated = TRUE,
    .check = lp_write_xlsx_precheck,
    .write = lp_write_xlsx },
  /* --diagram FILE.svg or FILE.png, beside the report */
  { .name = "diagram",
    .help = "Also draw the topology diagram to FILE.svg or FILE.png (Graphviz's dot)",
    .kind = LP_OUTPUT_FILE,
    .write = lp_write_diagram },
  { NULL },
};

const LpWriter *
lp_writer_find (const char *name)
{
  for (const LpWriter *w = lp_writers; w->name != NULL; w++) {
    if (strcmp (w->name, name) == 0)
      return w;
  }
  return NULL;
}

/* The --format values' names (or @help's), joined: "a, b@last c". */
static char *
join_formats (gboolean help, const char *last)
{
  g_autoptr (GPtrArray) parts = g_ptr_array_new ();
  GString *s = g_string_new (NULL);

  for (const LpWriter *w = lp_writers; w->name != NULL; w++) {
    if (w->is_format)
      g_ptr_array_add (parts, (gpointer) (help ? w->help : w->name));
  }
  for (guint i = 0; i < parts->len; i++) {
    if (i > 0)
      g_string_append (s, i + 1 == parts->len ? last : ", ");
    g_string_append (s, g_ptr_array_index (parts, i));
  }
  return g_string_free (s, FALSE);
}

const LpWriter *
lp_writer_for_format (const char *format, GError **error)
{
  g_autofree char *names = NULL;

  for (const LpWriter *w = lp_writers; w->name != NULL; w++) {
    if (w->is_format && (format == NULL || strcmp (w->name, format) == 0))
      return w;
  }
  names = join_formats (FALSE, " or ");
  g_set_error (error, LP_ERROR, LP_ERROR_USAGE, "--format: expected %s, got '%s'", names, format);
  return NULL;
}

char *
lp_writer_formats_help (void)
{
  return join_formats (TRUE, ", or ");
}
