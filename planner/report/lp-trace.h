/* lp-trace.h: the words of a plan's trace. The engine records each rule
 * that fired as data (LpTraceStep, model/lp-plan.h); this is where it
 * becomes the English the text, JSON and workbook show and the shell's
 * 'why' searches. */
#pragma once

#include <glib.h>

#include "lp-plan.h"

/**
 * lp_trace_step_text:
 * @plan: the plan @step belongs to
 * @step: one step of @plan's trace
 *
 * Returns: (transfer full): the step in words, one line: "pairing: NYC is
 *   paired with its dr-site CHI", "enterprise-paired, site NYC: fe = ... [FILE:LINE]".
 */
char *lp_trace_step_text (const LpPlan *plan, const LpTraceStep *step);

/**
 * lp_trace_lines:
 * @plan: a plan
 *
 * Returns: (transfer full) (nullable): every step of @plan's trace in
 *   words (lp_trace_step_text()), in order, an array of char * that frees
 *   them; NULL when @plan was made without a trace.
 */
GPtrArray *lp_trace_lines (const LpPlan *plan);

/**
 * lp_trace_why:
 * @plan: a plan made with a trace
 * @id: a role, formula or design id, matched whole
 * @site: (nullable): a site or pool name: only the steps of the group that
 *   plans it
 * @show: (out caller-allocates): one flag per step of @plan's trace, all FALSE
 *
 * Marks the steps that say why @id: a design's verdict ("DESIGN: 28 servers
 * ...", "DESIGN: not considered: ...") and the groups that chose it; a
 * formula named @id in a design some group chose (with @site: the design
 * its group chose), at each site, and the formulas it read there in turn,
 * each the nearest step before it of the same design, site and name, down
 * to the inputs. Reads the steps, not their words: a site or pool whose
 * name holds @id is not a match. Linear in the steps.
 *
 * Returns: how many steps it marked (0: no step names @id, or no site or
 *   pool is named @site).
 */
guint lp_trace_why (const LpPlan *plan, const char *id, const char *site, gboolean *show);
