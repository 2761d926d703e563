/* lp-sweep.h: planning every combination of varied inputs ("what if").
 *
 * An axis is one --vary KEY=SPEC: KEY is a scenario input (users of the only
 * site or users@SITE, remote-percent[@SITE], rto, rpo, dr-rto, dr-rpo, sla,
 * response-time, edition, persistent-chat) or a rule constant; SPEC is a list
 * (15m,1h,4h) or a range with a step (1000..100000/1000). The sweep is the
 * cartesian product of the axes, the first axis changing fastest, and row i
 * of it is the same whichever process computes it, so shards can split it. */
#pragma once

#include <glib.h>

#include "lp-plan.h"
#include "lp-ruleset.h"
#include "lp-scenario.h"

typedef struct _LpSweep LpSweep;

/**
 * lp_sweep_new:
 * @rs: the rule set
 * @sc: (transfer full): the base scenario, already resolved against @rs; the
 *   sweep owns it and changes it row by row
 * @specs: NULL-terminated --vary arguments, "KEY=SPEC"
 * @error: LP_ERROR_USAGE naming the --vary at fault and what was expected
 *
 * Returns: (transfer full) (nullable): the sweep.
 */
LpSweep *lp_sweep_new (const LpRuleset *rs, LpScenario *sc, const char *const *specs,
                       GError **error);

/**
 * lp_sweep_new_like:
 * @model: a sweep
 * @sc: (transfer full): another copy of @model's scenario, resolved
 * @error: as for lp_scenario_resolve()
 *
 * Returns: (transfer full) (nullable): a sweep of the same rows sharing
 * @model's axes (read only), planning with its own scenario and plan, so
 * threads can plan rows side by side.
 */
LpSweep *lp_sweep_new_like (const LpSweep *model, LpScenario *sc, GError **error);
void lp_sweep_free (LpSweep *sweep);

/**
 * lp_sweep_input_axes:
 * Returns: (transfer container): the inputs of @rs a --vary may name, in the
 *   order the messages and --help list them: site-scope ones (KEY@SITE) first.
 */
GPtrArray *lp_sweep_input_axes (const LpRuleset *rs);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpSweep, lp_sweep_free)

/**
 * LpBreakOn:
 * @LP_BREAK_NONE: rows, no breakpoints
 * @LP_BREAK_SERVERS: a run ends where any count changes (servers,
 *   appliances, a role), or the design, edition, verdict, cost or missed
 *   requirements: what the bare --breakpoints gives
 * @LP_BREAK_DESIGN: a run ends where the design or the verdict changes
 * @LP_BREAK_EDITION: a run ends where the edition or the verdict changes
 *
 * What --breakpoints=ON follows along the first axis.
 */
typedef enum {
  LP_BREAK_NONE,
  LP_BREAK_SERVERS,
  LP_BREAK_DESIGN,
  LP_BREAK_EDITION,
} LpBreakOn;

/**
 * lp_break_on_parse:
 * @text: (nullable): "servers", "design" or "edition"; NULL (the bare
 *   option) is "servers"
 * @error: LP_ERROR_USAGE "--breakpoints: expected design, edition or
 *   servers, got '...'"
 */
gboolean lp_break_on_parse (const char *text, LpBreakOn *on, GError **error);

/* Returns: (transfer none): "servers", "design" or "edition" ("none"). */
const char *lp_break_on_to_string (LpBreakOn on);

/**
 * lp_break_same_run:
 * @on: what the runs follow, not LP_BREAK_NONE
 * @a, @b: summaries of one rule set
 *
 * Returns: TRUE when @b goes on the run @a started.
 * With detailed summaries (--per-site), a run also ends where a site's
 * design changes, or for servers where a site's role counts change.
 */
gboolean lp_break_same_run (LpBreakOn on, const LpPlanSummary *a, const LpPlanSummary *b);

/**
 * lp_sweep_set_per_site:
 * With @per_site (--per-site), lp_sweep_n_sites() is the scenario's site
 * count: the writers add each site's design and servers (the scenario's
 * sites are the plan's first sites, in order), and the rows' summaries must
 * be detailed (lp_plan_summary_init() with detail).
 */
void lp_sweep_set_per_site (LpSweep *sweep, gboolean per_site);
/* Returns: the scenario sites the writers show one by one: 0 without --per-site. */
guint lp_sweep_n_sites (const LpSweep *sweep);
/* Returns: (transfer none): scenario site @i's name. */
const char *lp_sweep_site_name (const LpSweep *sweep, guint i);

/* Returns: the number of rows, the product of the axes' sizes. */
guint64 lp_sweep_rows (const LpSweep *sweep);

/* Returns: the number of axes, and the key of axis @i as written. */
guint lp_sweep_n_axes (const LpSweep *sweep);
const char *lp_sweep_axis_key (const LpSweep *sweep, guint i);
guint lp_sweep_axis_size (const LpSweep *sweep, guint i);

/**
 * lp_sweep_axis_number:
 * @is_number: (out): FALSE for axes of words (edition, persistent-chat)
 *
 * Returns: axis @i's value in row @row as a number (minutes for durations).
 */
double lp_sweep_axis_number (const LpSweep *sweep, guint i, guint64 row, gboolean *is_number);

/* Returns: TRUE when axis @i's values are durations, in minutes. */
gboolean lp_sweep_axis_is_duration (const LpSweep *sweep, guint i);

/* Returns: TRUE when axis @i's values are percentages (sla, remote-percent). */
gboolean lp_sweep_axis_is_percent (const LpSweep *sweep, guint i);

/**
 * lp_sweep_plan_row:
 * @row: 0 to lp_sweep_rows() - 1
 * @summary: set up for the sweep's rule set (lp_plan_summary_init()); filled
 * @error: the engine's error for this row's inputs, prefixed with them
 *
 * Sets the sweep's scenario to row @row's inputs, plans it with the sweep's
 * planner (in its working storage: nothing is copied or allocated from row
 * to row) and summarises the plan into @summary.
 * Returns: FALSE on error, @summary then left as it was.
 */
gboolean lp_sweep_plan_row (LpSweep *sweep, guint64 row, LpPlanSummary *summary, GError **error);

/**
 * lp_sweep_finds_pieces:
 * Returns: TRUE when lp_sweep_next_piece() can find the runs of the first
 * axis without planning every row: it varies users (of the only site, or
 * users@SITE) over a range. Other axes (lists, rto, remote-percent, rule
 * constants, ...) are planned row by row (docs/performance.md).
 */
gboolean lp_sweep_finds_pieces (const LpSweep *sweep);

/**
 * lp_sweep_next_piece:
 * @row: the piece's first row
 * @end: the rows end before this one
 * @last: (out): the piece's last row: rows @row to @last (one block of the
 *   first axis, before @end) all have the result @summary
 * @summary: set up for the sweep's rule set, as for lp_sweep_plan_row(); filled
 * @error: as for lp_sweep_plan_row(), for row @row
 *
 * Breakpoints without rows: plans row @row and the next with the formulas'
 * step points (lp_planner_set_steps()), guesses from how each moves the
 * first row where one could change class (a ceil() or floor() a whole
 * number, a comparison its sign), and checks the row before it: the same
 * paths, the same result, and each step point moved one way only and kept
 * its class (a ceil() or floor() whose argument moves 1/16 a row or more, a
 * staircase such as remote users rounded up, may change class: what reads
 * it is checked). While that fails the piece is shortened, down to the two
 * rows planned. Where each step point moves one way only between the rows
 * checked (the search's one assumption: formulas of users, not of
 * oscillating quantities), every row between has the same result, even
 * where a result changes and changes back, which bisection on the result
 * alone would miss. Needs lp_sweep_finds_pieces().
 * Returns: FALSE on error (row @row's).
 */
gboolean lp_sweep_next_piece (LpSweep *sweep, guint64 row, guint64 end, guint64 *last,
                              LpPlanSummary *summary, GError **error);

/**
 * lp_sweep_axis_value:
 * Returns: (transfer none): axis @i's value in row @row, as a user writes it;
 * valid until the next call for the same axis (a range's texts are made on
 * demand into a buffer of @sweep, which is why it is not const).
 */
const char *lp_sweep_axis_value (LpSweep *sweep, guint i, guint64 row);

/* Appends lp_sweep_axis_value() to @out, a count without making its text
 * first: for a writer's hot path. */
void lp_sweep_axis_append (LpSweep *sweep, guint i, guint64 row, GString *out);
