/* lp-write-sweep-xlsx.h: a sweep as a workbook, written in libxlsxwriter's
 * constant-memory mode (row by row, flat memory), separate from the
 * formatted deliverable, with a chart sheet. */
#pragma once

#include <glib.h>

#include "lp-write-sweep.h"

/* Rows one sheet takes below its header row. */
#define LP_XLSX_MAX_ROWS 1048575

typedef struct _LpSweepBook LpSweepBook;

/**
 * lp_sweep_book_new:
 * @path: the file to create (a temporary file the caller renames)
 * @target: the name for messages
 * @currency: (nullable): the price list's currency: a cost column, headed
 *   "cost (CURRENCY)", and a chart of it
 * @first, @end: the rows this workbook holds
 *
 * The header row names each varied key as lp_sweep_input_column() does
 * (input:edition beside the result's edition), a duration axis with
 * "(minutes)"; every column is as wide as its header.
 * @error: LP_ERROR_IO naming @target
 *
 * Returns: (transfer full) (nullable): the workbook, header row written.
 */
LpSweepBook *lp_sweep_book_new (const char *path, const char *target, LpSweep *sw,
                                const LpRuleset *rs, const char *currency, guint64 first,
                                guint64 end, GError **error);

/* Appends row @row; errors are reported by lp_sweep_book_close(). */
void lp_sweep_book_row (LpSweepBook *b, guint64 row, const LpPlanSummary *r);

/**
 * lp_sweep_book_close:
 * @error: LP_ERROR_IO with libxlsxwriter's message for the first failure
 *
 * Adds the chart sheet "Chart" (servers against the first axis, one series
 * per value of the second, at most 255) and, when priced, "Cost chart" (the
 * cost likewise), both with named axes, saves, and frees @b.
 */
gboolean lp_sweep_book_close (LpSweepBook *b, GError **error);
