/* lp-write.c: the tables of plan writers; see lp-write.h. */
#include "lp-write.h"

#include <string.h>

#include "lp-error.h"

const LpWriter lp_writers[] = {
  { .format = { "text", "text (default)" }, .kind = LP_OUTPUT_STREAM, .write = lp_write_text },
  { .format = { "json", "json" }, .kind = LP_OUTPUT_STREAM, .write = lp_write_json },
  { .format = { "csv", "csv (the bill of materials)" },
    .kind = LP_OUTPUT_STREAM,
    .write = lp_write_csv },
  { .format = { "tbxml", "tbxml (a Topology Builder document)" },
    .kind = LP_OUTPUT_STREAM,
    .check = lp_write_tbxml_precheck,
    .write = lp_write_tbxml },
  { { NULL } },
};

const LpWriter lp_file_writers[] = {
  /* the deliverable: --xlsx FILE, beside the report */
  { .format = { "xlsx", "Also write the customer workbook to FILE" },
    .kind = LP_OUTPUT_FILE,
    .dated = TRUE,
    .check = lp_write_xlsx_precheck,
    .write = lp_write_xlsx },
  /* --diagram FILE.svg or FILE.png, beside the report */
  { .format = { "diagram",
                "Also draw the topology diagram to FILE.svg or FILE.png (Graphviz's dot)" },
    .kind = LP_OUTPUT_FILE,
    .write = lp_write_diagram },
  { { NULL } },
};

const LpWriter *
lp_writer_find (const char *name)
{
  for (const LpWriter *w = lp_file_writers; w->format.name != NULL; w++) {
    if (strcmp (w->format.name, name) == 0)
      return w;
  }
  return (const LpWriter *) lp_formats_choose (LP_FORMATS (lp_writers), name, NULL, NULL);
}
