/* lp-engine.h: plans a scenario with a rule set (planning model sections 2-5). */
#pragma once

#include <glib.h>

#include "lp-plan.h"
#include "lp-ruleset.h"
#include "lp-scenario.h"

/* The most servers and appliances (and, apart, pools) a plan may have: the
 * inventory and the workbook list each one, so a plan past it is refused
 * before anything is listed. An assumption, far above any deployment (a
 * million users take 226 servers, 452 with disaster recovery), far below
 * what exhausts a machine (each listed server costs a few hundred bytes). */
#define LP_PLAN_MAX_SERVERS 100000

/**
 * lp_engine_plan:
 * @rs: a loaded rule set; read only, so one rule set serves any number of
 *   scenarios and threads
 * @sc: a scenario already bound to @rs with lp_scenario_resolve()
 * @want_trace: record every rule that fired, with its reason, in plan->trace
 * @error: LP_ERROR_INPUT when the sites cannot be paired (the message names
 *   the site and where it was given) or the plan would have more than
 *   LP_PLAN_MAX_SERVERS servers and appliances, or pools; LP_ERROR_RULES when a formula gives
 *   something that is not a whole count or a duration (naming file:line)
 *
 * Pairs the sites into groups, sizes every candidate template for every
 * group, checks each against the requirements and chooses per group the
 * cheapest that meets them all, or the closest when none does.
 *
 * Returns: (transfer full) (nullable): the plan, which points into @rs and
 * @sc (keep both alive while it lives), or NULL on error. A plan whose
 * feasible member is FALSE is still a plan.
 */
LpPlan *lp_engine_plan (const LpRuleset *rs, const LpScenario *sc, gboolean want_trace,
                        GError **error);

/**
 * lp_engine_replan:
 * @reuse: (transfer full) (nullable): a plan made with the same @rs, whose
 *   storage is reused, or NULL for a new plan
 * @rs, @sc, @want_trace, @error: as for lp_engine_plan()
 *
 * Plans @sc into @reuse's storage: when the sites pair into the same groups
 * as last time, and without a trace, planning allocates nothing, so a sweep
 * over many scenarios plans at the engine's speed.
 *
 * Returns: (transfer full) (nullable): the plan (@reuse itself when given),
 * or NULL on error, in which case @reuse has been freed.
 */
LpPlan *lp_engine_replan (LpPlan *reuse, const LpRuleset *rs, const LpScenario *sc,
                          gboolean want_trace, GError **error);

typedef struct _LpFold LpFold;

/**
 * lp_engine_fold_new:
 * @sc: the scenario as it stands
 * @varying: the slots a sweep changes from one plan to the next (inputs and
 *   constants it varies, persistent-chat when it varies that)
 *
 * Specializes every formula to what stays the same (lp_expr_specialize):
 * one that then is a number is evaluated once, and lp_engine_replan_folded()
 * takes its value; the others it evaluates in their shorter, specialized
 * form. Site-by-site values (users, remote shares, role counts) never fold.
 * Returns: (transfer full): the fold; free with lp_engine_fold_free().
 */
LpFold *lp_engine_fold_new (const LpRuleset *rs, const LpScenario *sc, const guint *varying,
                            guint n_varying);
void lp_engine_fold_free (LpFold *fold);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpFold, lp_engine_fold_free)

/**
 * lp_engine_replan_folded:
 * @fold: (nullable): from lp_engine_fold_new() for the same rule set, and a
 *   scenario that differs from the fold's only in the slots it called varying
 *
 * As lp_engine_replan(), taking folded formulas' values from @fold.
 */
LpPlan *lp_engine_replan_folded (LpPlan *reuse, const LpRuleset *rs, const LpScenario *sc,
                                 gboolean want_trace, const LpFold *fold, GError **error);
