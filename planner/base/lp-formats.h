/* lp-formats.h: the one way every command chooses what --format writes: a
 * table of rows, one a format, each starting with an LpFormat (its name and
 * its part of --format's help) and going on with the command's writer
 * functions. The option's check, its error message, its help and the names
 * bash completion offers are all made from the table, so a format is added
 * by adding a row. */
#pragma once

#include <glib.h>

typedef struct {
  const char *name; /* the --format value: "text", "json" */
  const char *help; /* its part of --format's help: "text (default)" */
} LpFormat;

/* The first two arguments of the functions below for a table whose rows
 * start with a member `format` (an LpFormat), ended by a row with a NULL
 * name: LP_FORMATS (lp_diff_writers). */
#define LP_FORMATS(table) (&(table)[0].format), (sizeof (table)[0])

/**
 * lp_formats_choose:
 * @first: the table's first row's LpFormat
 * @row_size: the size of a row
 * @format: (nullable): the value of --format; NULL for the table's first row
 *   (the default)
 * @context: (nullable): what the message adds after the names: " for --breakpoints"
 * @error: LP_ERROR_USAGE "--format: expected text, json or csv, got 'FORMAT'"
 *   (the table's names in its order)
 *
 * Returns: (transfer none) (nullable): the row (its LpFormat, the first
 *   member: cast it to the row's type) of @format, or NULL with @error set.
 */
const LpFormat *lp_formats_choose (const LpFormat *first, gsize row_size, const char *format,
                                   const char *context, GError **error);

/**
 * lp_formats_join:
 * @first: the table's first row's LpFormat
 * @row_size: the size of a row
 * @help: join the rows' help texts; FALSE: their names
 * @last: what goes before the last: " or ", ", or "
 *
 * Returns: (transfer full): "text, json or csv", or with @help "text
 *   (default), json, or csv (the bill of materials)": --format's help.
 */
char *lp_formats_join (const LpFormat *first, gsize row_size, gboolean help, const char *last);

/**
 * lp_formats_print_names:
 * @first: the table's first row's LpFormat
 * @row_size: the size of a row
 *
 * Prints the table's names to standard output, one a line: what bash
 * completion offers after --format (`lyncplan COMMAND --list-formats`).
 */
void lp_formats_print_names (const LpFormat *first, gsize row_size);
