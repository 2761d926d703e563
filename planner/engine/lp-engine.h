/* lp-engine.h: plans a scenario with a rule set: pairing groups, candidates,
 * sizing and requirement checks, the choice. The planner (LpPlanner) owns the
 * engine's working storage; the plans it hands out own their results
 * (lp-plan.h). */
#pragma once

#include <glib.h>

#include "lp-plan.h"
#include "lp-ruleset.h"
#include "lp-scenario.h"

/* The most servers, appliances and reverse proxies (and, apart, pools) a plan may have: the
 * inventory and the workbook list each one, so a plan past it is refused
 * before anything is listed. An assumption, far above any deployment (a
 * million users take 226 servers, 452 with disaster recovery), far below
 * what exhausts a machine (each listed server costs a few hundred bytes). */
#define LP_PLAN_MAX_SERVERS 100000

/* The planner: what plans scenarios with one rule set, and where the
 * engine's working storage lives. It owns the formula environment, the memos
 * that let a replan skip formulas whose inputs did not change, an optional
 * fold (below), and a working plan whose buffers a replan reuses. A plan it
 * hands out (lp_planner_plan()) owns what it reports and none of that. One
 * planner serves one thread; a rule set serves any number of planners. */
typedef struct _LpPlanner LpPlanner;

/**
 * lp_planner_new:
 * @rs: a loaded rule set; read only, so one rule set serves any number of
 *   planners and threads; it must outlive the planner and its plans
 *
 * Returns: (transfer full): a planner with no working storage yet (the first
 * plan makes it); free with lp_planner_free().
 */
LpPlanner *lp_planner_new (const LpRuleset *rs);

/* Frees @planner, its working storage and its fold; plans it handed out stay
 * valid. NULL is ignored. */
void lp_planner_free (LpPlanner *planner);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpPlanner, lp_planner_free)

/**
 * lp_planner_plan:
 * @sc: a scenario of the planner's rule set, resolved with
 *   lp_scenario_resolve(); copied, so it may change or go once this returns
 * @want_trace: record every rule that fired, with its reason, in plan->trace
 * @error: LP_ERROR_INPUT when the sites cannot be paired (the message names
 *   the site and where it was given) or the plan would have more than
 *   LP_PLAN_MAX_SERVERS servers, appliances and reverse proxies, or pools; LP_ERROR_RULES when a
 *   formula gives something that is not a whole count or a duration (naming
 *   file:line)
 *
 * Pairs the sites into groups, sizes every candidate template for every
 * group, checks each against the requirements and chooses per group the
 * cheapest that meets them all, or the closest when none does.
 *
 * Returns: (transfer full) (nullable): the plan, holding its own copy of @sc
 * (plan->sc) and borrowing only the rule set; NULL on error, and the planner
 * keeps its storage either way. A plan whose feasible member is FALSE is
 * still a plan.
 */
LpPlan *lp_planner_plan (LpPlanner *planner, const LpScenario *sc, gboolean want_trace,
                         GError **error);

/**
 * lp_planner_replan:
 * @sc, @want_trace, @error: as for lp_planner_plan(), but @sc is not copied
 *
 * Plans @sc in the planner's working plan: when the sites pair into the same
 * groups as last time, and without a trace, planning allocates nothing and
 * copies nothing, so a sweep over many scenarios plans at the engine's speed
 * (it keeps an LpPlanSummary of each, not the plan).
 *
 * What only a report shows is left out: the templates' notes (no site has
 * one) and the planned rows of the failure tables (failback); summaries,
 * totals, checks and every other figure are those lp_planner_plan() gives.
 *
 * Returns: (transfer none) (nullable): the working plan, which reads @sc:
 * valid until the next call on @planner while @sc stays as it was; NULL on
 * error (the planner keeps its storage).
 */
const LpPlan *lp_planner_replan (LpPlanner *planner, const LpScenario *sc, gboolean want_trace,
                                 GError **error);

/**
 * LpStepPoint:
 * @kind: what @x decides (lp_step_class())
 * @x: its value
 *
 * One step point of a plan (lp_planner_set_steps()).
 */
typedef struct {
  LpStepKind kind;
  double x;
} LpStepPoint;

/* Step points as a replan appends them: @len of @size allocated (g_free()). */
typedef struct {
  LpStepPoint *points;
  guint len, size;
} LpSteps;

/**
 * lp_planner_set_steps:
 * @steps: (nullable) (transfer none): where the points go (the caller sets
 *   len to 0 before a replan, and keeps and frees @steps); NULL to stop
 *
 * From now on each replan appends to @steps, in the order it meets them,
 * the step points of what it computes: those of every formula it evaluates
 * (lp_expr_eval_steps()) and its result (LP_STEP_LINEAR), each check's
 * margin (LP_STEP_SIGN: met or not), each failure row's recovery time and
 * data loss and each candidate's cost and shortfall (LP_STEP_LINEAR). A
 * group it plans has every formula evaluated again (no formula's memo is
 * kept); a group whose values read and the scenario's settings are those
 * of the last replan is kept as it is (replan what changed) and reports one
 * LP_STEP_SIGN point of -1 instead (a group planned starts with one of +1).
 * So two replans that take the same paths report the same sequence of
 * kinds and signs: the breakpoint search (lp_sweep_next_piece()) compares
 * them. The planner must have no fold and plan whole (not
 * lp_planner_set_choice_only()).
 */
void lp_planner_set_steps (LpPlanner *planner, LpSteps *steps);

/**
 * lp_planner_set_choice_only:
 * @choice_only: what lp_planner_replan() makes from now on: TRUE for only
 *   what lp_plan_summary_set() reads (the sweep's and the session's need)
 *
 * With @choice_only, a replan (without trace) makes each group's choice and
 * the plan's totals as before, and nothing more: it sizes the design the
 * group chose last time first and stops sizing another once its cost passes
 * that of the cheapest design so far that meets every requirement, or once it
 * misses a check while such a design is known (such a candidate is marked
 * pruned); it leaves the best figures (LpGroup.best) as
 * they were; and a group whose sites read the same values as when it was
 * last planned, with the scenario's settings and price list the same, is not
 * planned again (docs/performance.md, "Replanning what changed"). The plan's
 * alternatives are then not a report's: write a plan from lp_planner_plan().
 * lp_planner_plan() is never affected.
 */
void lp_planner_set_choice_only (LpPlanner *planner, gboolean choice_only);

/**
 * lp_engine_plan:
 * @rs, @sc, @want_trace, @error: as for lp_planner_new() and lp_planner_plan()
 *
 * Plans once with a planner of its own.
 * Returns: (transfer full) (nullable): as lp_planner_plan().
 */
LpPlan *lp_engine_plan (const LpRuleset *rs, const LpScenario *sc, gboolean want_trace,
                        GError **error);

typedef struct _LpFold LpFold;

/**
 * lp_engine_fold_new:
 * @sc: the scenario as it stands
 * @varying: the slots a sweep changes from one plan to the next (inputs and
 *   constants it varies, persistent-chat when it varies that)
 *
 * Specializes every formula to what stays the same (lp_expr_specialize):
 * one that then is a number is evaluated once, and a planner given the fold
 * (lp_planner_set_fold()) takes its value; the others it evaluates in their
 * shorter, specialized form. Site-by-site values (users, remote shares, role
 * counts) never fold.
 * Returns: (transfer full): the fold; free with lp_engine_fold_free().
 */
LpFold *lp_engine_fold_new (const LpRuleset *rs, const LpScenario *sc, const guint *varying,
                            guint n_varying);
void lp_engine_fold_free (LpFold *fold);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpFold, lp_engine_fold_free)

/**
 * lp_planner_set_fold:
 * @fold: (transfer full) (nullable): from lp_engine_fold_new() for the
 *   planner's rule set and a scenario that differs from the ones the planner
 *   plans next only in the slots it called varying; NULL for none
 *
 * From now on the planner takes folded formulas' values from @fold.
 */
void lp_planner_set_fold (LpPlanner *planner, LpFold *fold);
