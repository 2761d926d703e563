/* lp-write-sweep.h: sweep rows and breakpoints as CSV, JSON Lines or text. */
#pragma once

#include <glib.h>

#include "lp-formats.h"
#include "lp-output.h"
#include "lp-sweep.h"

/* A row's result is an LpPlanSummary (lp-plan.h), without detail. */

/**
 * lp_sweep_input_column:
 * @key: a varied key
 *
 * Returns: (transfer full): @key's column name in CSV and the workbook:
 *   "input:KEY" where KEY is also a result column's name (edition, a role
 *   id), else KEY, so no two columns share a name.
 */
char *lp_sweep_input_column (const LpRuleset *rs, const char *key);

/**
 * LpSweepHeaderFunc:
 * @priced: a price list is in use (a cost column)
 *
 * Appends the CSV header line: the varied keys (as input:KEY where KEY is
 * also a result column's name, as edition is), design, edition, feasible,
 * servers, appliances, one column per role id, cost when priced, and missed
 * (check ids separated by ';'). CSV is the dialect of lp-csv.h (RFC 4180,
 * CRLF), as the plan's; JSON Lines rows are described by
 * schema/sweep-row.schema.json.
 */
typedef void (*LpSweepHeaderFunc) (LpSweep *sw, const LpRuleset *rs, gboolean priced, GString *out);

/* Appends one row: the inputs of row @row and @r; as JSON, an object with
 * schema_version, inputs (a list of {key, value}), the results and roles (a
 * list of {role, count}). */
typedef void (*LpSweepRowFunc) (LpSweep *sw, const LpRuleset *rs, guint64 row,
                                const LpPlanSummary *r, gboolean priced, GString *out);

/* A --format of sweep's rows. */
typedef struct {
  LpFormat format;
  LpOutputKind kind;        /* LP_OUTPUT_FILE: the workbook (-o FILE only) */
  LpSweepHeaderFunc header; /* nullable: no header line */
  LpSweepRowFunc row;       /* NULL for the workbook: lp-write-sweep-xlsx.h writes it */
} LpSweepWriter;

/* sweep's --format values for rows: csv (the default), jsonl, xlsx; a
 * table of lp-formats.h, ended by a row with a NULL name. */
extern const LpSweepWriter lp_sweep_writers[];

/* A run of rows along the first axis over which what @on follows stays the
 * same: its ends, its first row's result, and the least and most servers,
 * appliances and cost of its rows (the same with LP_BREAK_SERVERS). */
typedef struct {
  LpBreakOn on;
  guint64 first, last;
  LpPlanSummary result; /* set up by the caller (lp_plan_summary_init()) */
  guint64 servers[2], appliances[2];
  double cost[2];
} LpBreakRun;

/* Starts @run at row @row, whose result is @r (copied). */
void lp_break_run_start (LpBreakRun *run, guint64 row, const LpPlanSummary *r);
/* Adds row @row, whose result @r goes on the run, to @run. */
void lp_break_run_add (LpBreakRun *run, guint64 row, const LpPlanSummary *r);

/**
 * LpBreakFunc:
 * @run: a run along the first axis
 * @currency: (nullable): the price list's currency: the cost is shown
 *
 * Appends one breakpoint, e.g. in text
 * "users 1000..5000 [rto=30m]: standard-paired (standard), 6 servers, 0 appliances, meets every requirement";
 * with --breakpoints=design or edition, the servers and appliances of the
 * run from least to most ("3..6 servers"); with a currency, the cost
 * ("USD 54,600.00" or "USD 20,000.00..54,600.00"). CSV adds servers_max and
 * appliances_max for design and edition runs, and cost (and cost_max)
 * when priced; JSON the same members.
 */
typedef void (*LpBreakFunc) (LpSweep *sw, const LpRuleset *rs, const LpBreakRun *run,
                             const char *currency, GString *out);

/* Appends the CSV header of breakpoints. */
typedef void (*LpBreakHeaderFunc) (LpSweep *sw, const LpRuleset *rs, LpBreakOn on, gboolean priced,
                                   GString *out);

/* A --format of sweep --breakpoints. */
typedef struct {
  LpFormat format;
  LpBreakHeaderFunc header; /* nullable: no header line */
  LpBreakFunc write;
} LpBreakWriter;

/* sweep --breakpoints' --format values: text (the default), csv, jsonl; a
 * table of lp-formats.h, ended by a row with a NULL name. */
extern const LpBreakWriter lp_break_writers[];
