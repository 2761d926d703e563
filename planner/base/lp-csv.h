/* lp-csv.h: the one CSV dialect lyncplan writes, for the plan's bill of
 * materials and for sweeps: RFC 4180 (CRLF line ends; a field holding a
 * comma, a double quote, CR or LF is quoted, its double quotes doubled),
 * UTF-8, and text cells a spreadsheet would run as a formula neutralised as
 * OWASP recommends against CSV injection. */
#pragma once

#include <glib.h>

/* The end of every CSV line, the header's included. */
#define LP_CSV_EOL "\r\n"

/**
 * lp_csv_append_field:
 * @out: where the field is appended (no separator before or after it)
 * @text: the field's content, UTF-8
 * @neutralise: @text is a text cell: when it starts with = + - @ TAB or CR
 *   (a formula to a spreadsheet) it gets a ' first, and is quoted
 *
 * Appends @text as one field, quoted only when it must be.
 */
void lp_csv_append_field (GString *out, const char *text, gboolean neutralise);

/**
 * lp_csv_is_plain:
 * Returns: TRUE when lp_csv_append_field() would write @text as it is.
 */
gboolean lp_csv_is_plain (const char *text, gboolean neutralise);

/**
 * lp_csv_finish_field:
 * @start: where in @out a field appended as plain bytes begins
 *
 * Turns @out's bytes from @start to its end into one field, as
 * lp_csv_append_field() would have written them: for fields built in place.
 * Allocates nothing when the field needs no quoting, the usual case.
 */
void lp_csv_finish_field (GString *out, gsize start, gboolean neutralise);
