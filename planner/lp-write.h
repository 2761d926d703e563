/* lp-write.h: the plan writers. Each formats a plan; none decides anything. */
#pragma once

#include <glib.h>

#include "lp-plan.h"

/**
 * lp_write_json:
 * @plan: a plan
 * @out: where the JSON document (with a final newline) is appended
 *
 * Members: lyncplan, rule_set, scenario, design, edition, feasible,
 * dr_required, inputs, overrides, totals, sites, groups, caveats and, when
 * the plan has one, trace. Role counts of 0 are left out of sites[].roles.
 */
void lp_write_json (const LpPlan *plan, GString *out);

/**
 * lp_write_text:
 * @plan: a plan
 * @out: where the report is appended
 *
 * The consultant's report: inputs (defaults marked), the design per group
 * and why, a bill of materials per site, totals, the requirement table, the
 * alternatives, the caveats, and the rule trace when the plan has one.
 */
void lp_write_text (const LpPlan *plan, GString *out);
