/* lp-plan.h: the result of planning one scenario. The engine fills it; the
 * writers only read it. A plan points into the rule set and scenario it was
 * made from, which must outlive it. */
#pragma once

#include <glib.h>

#include "lp-ruleset.h"
#include "lp-scenario.h"

typedef struct {
  const char *name; /* the scenario's, or the plan's own for a warm standby site */
  guint64 users;
  double remote_percent;
  gboolean remote_default; /* the rule file's or the scenario's default */
  gint partner;            /* index of the paired site, or -1 */
  gboolean warm;           /* a standby site the planner added for DR */
  guint group;
} LpPlanSite;

typedef struct {
  gboolean applies;
  gboolean met;
  double target;
  double achieved;  /* the worst over the group's sites */
  double shortfall; /* > 0 when missed: minutes, or percentage points for yes/no */
} LpCheckResult;

/* One [failure] row evaluated for a site of a candidate. */
typedef struct {
  gboolean applies;
  gboolean automatic;
  double rto;
  double rpo;
} LpFailureResult;

/* The engine's: the values a set of formulas read when last evaluated, so
 * a replan evaluates them again only when one of those values changed. */
typedef struct {
  double *key; /* one per input slot of the set */
  gboolean known; /* the results kept beside it are those of key */
} LpMemo;

typedef struct {
  /* made afresh by every plan (zeroed up to roles) */
  guint64 servers;
  guint64 appliances;
  double cost;    /* priced sum with a price list, else servers + appliances */
  gboolean empty; /* no users and nobody's partner: gets nothing */
  gboolean paired;          /* paired with the group's other site */
  guint64 pools;            /* pools of the template's pool role (0: none) */
  double pool_users;        /* users homed on each pool */
  double pool_capacity;     /* users each pool may carry */
  gboolean same_site_pairs; /* pools pair with a neighbour in the site */
  guint64 *roles; /* one count per rule-set role; a buffer kept for replans */
  /* the recovery figures, meaningless for an empty sizing: kept by a
   * replan while the values the failure rows read stay the same
   * (recovery), made again when they change */
  double server_failure_rto, server_failure_rpo, site_loss_rto, site_loss_rpo;
  LpFailureResult *failures; /* one per rule-set [failure] row */
  guint worst_component;     /* the component row with the longest RTO */
  guint site_row;            /* the site row that applies */
  LpMemo recovery;           /* the engine's: what the failure table was made from */
} LpSiteSizing;

typedef struct {
  const LpTemplate *tmpl;
  const char *excluded; /* nullable: why it was not considered */
  LpSiteSizing *sites;  /* one per site of the group */
  LpCheckResult *checks; /* one per rule-set check */
  guint n_missed;
  double shortfall; /* summed over missed checks, in minutes */
  guint64 servers;
  guint64 appliances;
  double cost;
  gboolean feasible;
} LpCandidate;

typedef struct {
  guint sites[2]; /* plan site indices */
  guint n_sites;
  gboolean empty;           /* no users in any of its sites */
  LpCandidate *candidates;  /* one per template, in rule-set order */
  guint chosen;
  gboolean feasible;
  double *best;      /* per check: the best figure any considered candidate achieves */
  guint *best_by;    /* per check: the template index that achieves it */
  /* the engine's: per site, paired or not (2 * site + paired), the rule
   * set's [let] values and what they were computed from, shared by the
   * candidates */
  LpMemo lets_memo[4];
  double *lets_values[4];
} LpGroup;

typedef struct {
  const LpRuleset *rs;
  const LpScenario *sc;
  gboolean dr;
  GArray *sites;  /* of LpPlanSite */
  GArray *groups; /* of LpGroup */
  guint64 servers;
  guint64 appliances;
  double cost;
  gboolean feasible;
  GPtrArray *trace; /* of char *, nullable: rules fired, in order */
  /* the engine's working storage, kept for lp_engine_replan() */
  double *env;
  GPtrArray *warm_names; /* of char *: names of warm standby sites */
} LpPlan;

void lp_plan_free (LpPlan *plan);

/**
 * lp_group_clear:
 * @g: a group of a plan
 * @n_templates: the rule set's number of templates
 *
 * Frees what @g owns (its candidates and their buffers); @g itself is not freed.
 */
void lp_group_clear (LpGroup *g, guint n_templates);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpPlan, lp_plan_free)

/**
 * lp_plan_group_choice:
 * Returns: (transfer none): the candidate chosen for @group.
 */
const LpCandidate *lp_plan_group_choice (const LpPlan *plan, guint group);

/**
 * lp_plan_design:
 * Returns: (transfer none): the template id all groups with users chose, or
 * "mixed" when they differ ("none" when no site has users).
 */
const char *lp_plan_design (const LpPlan *plan);

/**
 * lp_plan_edition:
 * Returns: (transfer none): "standard", "enterprise" (edition ids of the
 * rule set), "mixed", or "none", as for lp_plan_design().
 */
const char *lp_plan_edition (const LpPlan *plan);

/**
 * lp_plan_setting_text:
 * @name: a scenario input or rule constant
 * @is_default: (out) (optional): TRUE when the scenario did not set it
 *
 * Returns: (transfer full): the value in force, as a user would write it.
 */
char *lp_plan_setting_text (const LpPlan *plan, const char *name, gboolean *is_default);

/**
 * lp_plan_group_label:
 * Returns: (transfer full): "NYC" or "NYC + NYC-DR".
 */
char *lp_plan_group_label (const LpPlan *plan, guint group);

/**
 * lp_check_format_value:
 * @check: the check @value belongs to
 * @value: a target or achieved figure
 *
 * Returns: (transfer full): "30m", "none", "99.9%", "yes" or "no".
 */
char *lp_check_format_value (const LpCheck *check, double value);

/**
 * lp_check_format_shortfall:
 * Returns: (transfer full): how far a missed check is off: "30m", "0.05%"
 * (percentage points of availability), or "" for yes/no checks.
 */
char *lp_check_format_shortfall (const LpCheck *check, const LpCheckResult *r);

/**
 * lp_candidate_first_sized:
 * Returns: (transfer none) (nullable): the first site sizing of @c in @group
 * that is not empty (the recovery figures of the design), or NULL.
 */
const LpSiteSizing *lp_candidate_first_sized (const LpCandidate *c, const LpGroup *group);

/**
 * lp_plan_scenario_hash:
 * Returns: (transfer full): the SHA-256, in hex, of the scenario as planned
 * (product, requirements in force, sites, overrides): equal scenarios, equal
 * hashes, whatever file or flags they came from.
 */
char *lp_plan_scenario_hash (const LpPlan *plan);

/**
 * lp_plan_value:
 * @name: a scenario input or rule constant
 *
 * Returns: its value in force for @plan (minutes for durations); infinity
 * for an unset dr-rto or dr-rpo.
 */
double lp_plan_value (const LpPlan *plan, const char *name);

/**
 * lp_plan_site_sizing:
 * @site: a plan site index
 * @c: (out) (optional): the candidate chosen for the site's group
 *
 * Returns: (transfer none): what the chosen design builds at @site.
 */
const LpSiteSizing *lp_plan_site_sizing (const LpPlan *plan, guint site, const LpCandidate **c);

/**
 * lp_check_result_text:
 * Returns: (transfer full): "pass", or "MISS by 30m" ("MISS" for yes/no).
 */
char *lp_check_result_text (const LpCheck *check, const LpCheckResult *r);

/**
 * lp_candidate_misses_text:
 * Returns: (transfer full): "rto by 30m, dr-rto by 68h", or "" when @c
 * meets every requirement.
 */
char *lp_candidate_misses_text (const LpPlan *plan, const LpCandidate *c);
