/* lp-unmet.c: see lp-unmet.h. */
#include "lp-unmet.h"

#include <math.h>

#include "lp-products.h"
#include "lp-text.h"

#define LP_UNMET_EPSILON 1e-9

static void
unmet_free (gpointer p)
{
  LpUnmet *u = p;
  g_string_free (u->sites, TRUE);
  g_free (u->best);
  g_ptr_array_unref (u->remedies);
  g_free (u);
}

/* Whether @value meets @target for @check. */
static gboolean
meets (const LpCheck *check, double value, double target)
{
  return check->at_least ? value >= target - LP_UNMET_EPSILON : value <= target + LP_UNMET_EPSILON;
}

/* The rule constants @check's achieved value reads: its removed-feature
 * data, when it is a yes-no check of a constant. */
static GPtrArray *
gating_constants (const LpRuleset *rs, const LpCheck *check)
{
  GPtrArray *names = g_ptr_array_new ();
  guint n = 0;
  const guint *slots = lp_expr_names (check->achieved, &n);

  for (guint i = 0; check->unit == LP_CHECK_YES_NO && i < n; i++) {
    const char *name = lp_symtab_name (rs->symtab, slots[i]);
    const LpRuleVar *v = lp_ruleset_find_var (rs, name);
    if (v != NULL && !v->is_input)
      g_ptr_array_add (names, (gpointer) v->name);
  }
  return names;
}

/* "sfb2015 supports it: Skype for Business Server 2015, out of support: ..."
 * for each other rule set of @rs's folder whose @names are all true. */
static void
add_product_remedies (const LpRuleset *rs, const GPtrArray *names, GPtrArray *remedies)
{
  g_autofree char *dir = g_path_get_dirname (rs->path);
  g_autoptr (GPtrArray) ids = NULL;

  if (names->len == 0)
    return;
  ids = lp_ruleset_ids (dir);
  for (guint i = 0; i < ids->len; i++) {
    const char *id = g_ptr_array_index (ids, i);
    g_autoptr (LpRuleset) other = NULL;
    gboolean all = TRUE;
    if (g_strcmp0 (id, rs->id) == 0 || (other = lp_ruleset_load_product (dir, id, NULL)) == NULL)
      continue;
    for (guint k = 0; k < names->len && all; k++) {
      const LpRuleVar *v = lp_ruleset_find_var (other, g_ptr_array_index (names, k));
      all = v != NULL && v->value != 0;
    }
    if (all)
      g_ptr_array_add (remedies,
                       g_strdup_printf ("plan with %s (%s), whose rule set supports it: %s", id,
                                        other->product,
                                        other->support ? other->support
                                                       : "support status not given"));
  }
}

static LpUnmet *
unmet_for (const LpPlan *plan, guint k, double best)
{
  const LpCheck *check = g_ptr_array_index (plan->rs->checks, k);
  g_autoptr (GPtrArray) names = gating_constants (plan->rs, check);
  LpUnmet *u = g_new0 (LpUnmet, 1);

  u->check = check;
  u->sites = g_string_new (NULL);
  u->best = lp_check_format_value (check, best);
  u->remedies = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (u->remedies,
                   check->unit == LP_CHECK_YES_NO
                     ? g_strdup ("drop the requirement")
                     : g_strdup_printf ("relax it to %s, the best a design achieves", u->best));
  add_product_remedies (plan->rs, names, u->remedies);
  return u;
}

GPtrArray *
lp_unmet_new (const LpPlan *plan)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (unmet_free);
  g_autofree LpUnmet **by_check = g_new0 (LpUnmet *, MAX (plan->rs->checks->len, 1));

  for (guint gi = 0; gi < plan->groups->len; gi++) {
    const LpGroup *g = &g_array_index (plan->groups, LpGroup, gi);
    const LpCandidate *c = lp_plan_group_choice (plan, gi);
    g_autofree char *label = NULL;
    if (g->empty || g->feasible)
      continue;
    label = lp_plan_group_label (plan, gi);
    for (guint k = 0; k < plan->rs->checks->len; k++) {
      const LpCheckResult *r = &c->checks[k];
      if (!r->applies || r->met ||
          meets (g_ptr_array_index (plan->rs->checks, k), g->best[k], r->target))
        continue;
      if (by_check[k] == NULL) {
        by_check[k] = unmet_for (plan, k, g->best[k]);
        g_ptr_array_add (out, by_check[k]);
      }
      lp_name_list_add (by_check[k]->sites, &by_check[k]->more_sites, label, LP_NAME_LIST_MAX);
    }
  }
  for (guint i = 0; i < out->len; i++) {
    LpUnmet *u = g_ptr_array_index (out, i);
    lp_name_list_end (u->sites, u->more_sites);
  }
  return out;
}

gboolean
lp_unmet_only (const LpPlan *plan, const LpCandidate *c, const GPtrArray *unmet)
{
  for (guint k = 0; k < plan->rs->checks->len; k++) {
    gboolean listed = FALSE;
    if (!c->checks[k].applies || c->checks[k].met)
      continue;
    for (guint i = 0; i < unmet->len && !listed; i++)
      listed = ((const LpUnmet *) g_ptr_array_index (unmet, i))->check ==
               g_ptr_array_index (plan->rs->checks, k);
    if (!listed)
      return FALSE;
  }
  return TRUE;
}

gboolean
lp_unmet_plan_only (const LpPlan *plan, const GPtrArray *unmet)
{
  if (plan->feasible || unmet->len == 0)
    return FALSE;
  for (guint gi = 0; gi < plan->groups->len; gi++)
    if (!lp_unmet_only (plan, lp_plan_group_choice (plan, gi), unmet))
      return FALSE;
  return TRUE;
}
