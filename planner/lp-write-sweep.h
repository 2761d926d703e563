/* lp-write-sweep.h: sweep rows and breakpoints as CSV, JSON Lines or text. */
#pragma once

#include <glib.h>

#include "lp-sweep.h"

typedef enum { LP_SWEEP_CSV, LP_SWEEP_JSONL, LP_SWEEP_TEXT, LP_SWEEP_XLSX } LpSweepFormat;

/* A row's result is an LpPlanSummary (lp-plan.h), without detail. */

/**
 * lp_write_sweep_header:
 * @priced: a price list is in use (a cost column)
 *
 * Appends the CSV header line (nothing for JSON Lines): the varied keys
 * (as input:KEY where KEY is also a result column's name, as edition is),
 * design, edition, feasible, servers, appliances, one column per role id,
 * cost when priced, and missed (check ids separated by ';'). CSV is the
 * dialect of lp-csv.h (RFC 4180, CRLF), as the plan's; JSON Lines rows are
 * described by schema/sweep-row.schema.json.
 */
void lp_write_sweep_header (LpSweep *sw, const LpRuleset *rs, gboolean priced, LpSweepFormat format,
                            GString *out);

/* Appends one row: the inputs of row @row and @r; as JSON, an object with
 * schema_version, inputs (a list of {key, value}), the results and roles (a
 * list of {role, count}). */
void lp_write_sweep_row (LpSweep *sw, const LpRuleset *rs, guint64 row, const LpPlanSummary *r,
                         gboolean priced, LpSweepFormat format, GString *out);

/**
 * lp_write_breakpoint:
 * @first, @last: the rows at the ends of a run along the first axis over
 *   which the result @r stays the same
 *
 * Appends one breakpoint, e.g. in text
 * "users 1000..5000 [rto=30m]: standard-paired (standard), 6 servers, 0 appliances, meets every requirement".
 */
void lp_write_breakpoint (LpSweep *sw, const LpRuleset *rs, guint64 first, guint64 last,
                          const LpPlanSummary *r, LpSweepFormat format, GString *out);

/* Appends the CSV header of breakpoints (nothing for other formats). */
void lp_write_breakpoint_header (LpSweep *sw, const LpRuleset *rs, LpSweepFormat format,
                                 GString *out);
