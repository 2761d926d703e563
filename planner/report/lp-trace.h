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
