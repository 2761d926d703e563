/* lp-write.h: the plan writers. Each formats a plan; none decides anything. */
#pragma once

#include <glib.h>

#include "lp-plan.h"
#include "lp-resilience.h"

/**
 * lp_write_json:
 * @plan: a plan
 * @out: where the JSON document (with a final newline) is appended
 *
 * @res: the plan's review (lp_resilience_new())
 * @with_trace: add the plan's trace (it must have one)
 *
 * Members: schema_version (LP_JSON_SCHEMA_VERSION), lyncplan, rule_set,
 * scenario, design, edition, feasible, dr_required, inputs, overrides,
 * totals, sites, groups, resilience, sla_budget, dns, caveats and, with
 * @with_trace, trace; schema/plan.schema.json describes every one. Member
 * names are snake_case and ids are values ("roles": [{"role": "front-end",
 * "count": 3}], role counts of 0 left out); a duration is written as NAME,
 * its text, and NAME_minutes (null for none), a percentage as NAME and
 * NAME_percent. With a price list, totals, sites and alternatives carry cost
 * and totals currency.
 */
void lp_write_json (const LpPlan *plan, const LpResilience *res, gboolean with_trace,
                    GString *out);

/**
 * lp_write_text:
 * @plan: a plan
 * @out: where the report is appended
 *
 * @res: the plan's review (lp_resilience_new())
 *
 * The consultant's report: inputs (defaults marked), the design per group
 * and why, a bill of materials per site, totals, the requirement table, the
 * alternatives, the resilience review (failure table with steps, quorum, SLA
 * budget, DNS plan), the caveats, and with @with_trace the rule trace.
 */
void lp_write_text (const LpPlan *plan, const LpResilience *res, gboolean with_trace,
                    GString *out);

/**
 * lp_write_csv:
 * @plan: a plan
 * @out: where the CSV is appended
 *
 * The bill of materials: a header, then one row per site and role with a
 * count above 0 (site, design, role_id, role, quantity, reference_hardware,
 * and with a price list the unit prices, extended price and currency).
 * In the dialect of lp-csv.h: RFC 4180 (CRLF line ends, quoting where
 * needed); text cells that a spreadsheet would take for a formula (=, +, -,
 * @, tab, CR first) are prefixed with ' (OWASP).
 */
void lp_write_csv (const LpPlan *plan, GString *out);
