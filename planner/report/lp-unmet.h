/* lp-unmet.h: the requirements no design of the product can meet, per
 * site, and what would meet them: drop (or relax) the requirement, or plan
 * with a product whose rule set supports it. */
#pragma once

#include <glib.h>

#include "lp-plan.h"

typedef struct {
  const LpCheck *check; /* the requirement */
  GString *sites;       /* the labels of the groups that ask it, joined by ", ", the
                         * first LP_NAME_LIST_MAX bytes of them and "and N more" */
  guint64 more_sites;   /* the groups left out of @sites */
  char *best;           /* the best any design achieves, formatted */
  GPtrArray *remedies;  /* of char *: what would meet it, a customer's sentence each */
} LpUnmet;

/**
 * lp_unmet_new:
 * @plan: a plan
 *
 * The requirements (checks) that some group asks and that no design of the
 * plan's rule set meets there (the best any design achieves misses the
 * target too), each once with the groups that ask it. The remedies: for a
 * yes-no requirement, dropping it; for a figure, relaxing it to the best a
 * design achieves; and, where the requirement's achieved value is a rule
 * constant (a removed feature, persistent-chat-supported), every other rule
 * set in the rule set's folder that sets it true, with its product name and
 * support status from its [rule-set] group. Loads those rule sets (a
 * handful of files) only when a requirement is unmet.
 *
 * Returns: (transfer full): a GPtrArray of LpUnmet, empty when the plan
 *   meets every requirement it can; never NULL. A rule set that fails to
 *   load is left out of the remedies.
 */
GPtrArray *lp_unmet_new (const LpPlan *plan);

/**
 * lp_unmet_only:
 * Returns: TRUE when every requirement @c misses is one of @unmet's (so the
 *   design is as good as the product allows).
 */
gboolean lp_unmet_only (const LpPlan *plan, const LpCandidate *c, const GPtrArray *unmet);

/**
 * lp_unmet_plan_only:
 * Returns: TRUE when @plan misses requirements and every one is of @unmet:
 *   the plan is as good as its product allows.
 */
gboolean lp_unmet_plan_only (const LpPlan *plan, const GPtrArray *unmet);
