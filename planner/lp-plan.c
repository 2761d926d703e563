/* lp-plan.c: the plan value and the questions writers ask of it. */
#include "lp-plan.h"

#include <math.h>
#include <string.h>

#include "lp-units.h"

static int
lp_compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

void
lp_group_clear (LpGroup *g, guint n_templates)
{
  for (guint t = 0; g->candidates != NULL && t < n_templates; t++) {
    LpCandidate *c = &g->candidates[t];
    for (guint s = 0; c->sites != NULL && s < g->n_sites; s++) {
      g_free (c->sites[s].roles);
      g_free (c->sites[s].failures);
      g_free (c->sites[s].recovery.key);
    }
    g_free (c->sites);
    g_free (c->checks);
  }
  g_free (g->candidates);
  for (guint s = 0; s < G_N_ELEMENTS (g->lets_memo); s++) {
    g_free (g->lets_memo[s].key);
    g_free (g->lets_values[s]);
  }
  g_free (g->best);
  g_free (g->best_by);
}

void
lp_plan_free (LpPlan *plan)
{
  if (plan == NULL)
    return;
  for (guint i = 0; plan->groups != NULL && i < plan->groups->len; i++)
    lp_group_clear (&g_array_index (plan->groups, LpGroup, i), plan->rs->templates->len);
  if (plan->sites != NULL)
    g_array_unref (plan->sites);
  if (plan->groups != NULL)
    g_array_unref (plan->groups);
  if (plan->trace != NULL)
    g_ptr_array_unref (plan->trace);
  if (plan->warm_names != NULL)
    g_ptr_array_unref (plan->warm_names);
  g_free (plan->env);
  g_free (plan);
}

const LpCandidate *
lp_plan_group_choice (const LpPlan *plan, guint group)
{
  const LpGroup *g = &g_array_index (plan->groups, LpGroup, group);
  return &g->candidates[g->chosen];
}

/* The one value all groups with users agree on, "mixed", or "none". */
static const char *
consensus (const LpPlan *plan, gboolean edition)
{
  const char *seen = NULL;

  for (guint i = 0; i < plan->groups->len; i++) {
    const LpCandidate *c = lp_plan_group_choice (plan, i);
    const char *v = edition ? c->tmpl->edition : c->tmpl->id;
    if (g_array_index (plan->groups, LpGroup, i).empty)
      continue;
    if (seen != NULL && strcmp (seen, v) != 0)
      return "mixed";
    seen = v;
  }
  return seen != NULL ? seen : "none";
}

const char *
lp_plan_design (const LpPlan *plan)
{
  return consensus (plan, FALSE);
}

const char *
lp_plan_edition (const LpPlan *plan)
{
  return consensus (plan, TRUE);
}

char *
lp_plan_setting_text (const LpPlan *plan, const char *name, gboolean *is_default)
{
  const LpSetting *s = lp_scenario_find_setting (plan->sc, name);
  const LpRuleVar *v = lp_ruleset_find_var (plan->rs, name);

  if (is_default != NULL)
    *is_default = s == NULL;
  if (s != NULL)
    return lp_ruleset_format_value (v != NULL ? v->type : LP_VALUE_DURATION, s->value);
  if (v != NULL)
    return lp_ruleset_format_value (v->type, v->value);
  return g_strdup ("none"); /* dr-rto, dr-rpo: unset means no DR */
}

char *
lp_plan_group_label (const LpPlan *plan, guint group)
{
  const LpGroup *g = &g_array_index (plan->groups, LpGroup, group);
  const LpPlanSite *a = &g_array_index (plan->sites, LpPlanSite, g->sites[0]);

  if (g->n_sites == 1)
    return g_strdup (a->name);
  return g_strdup_printf ("%s + %s", a->name,
                          g_array_index (plan->sites, LpPlanSite, g->sites[1]).name);
}

char *
lp_check_format_value (const LpCheck *check, double value)
{
  g_autofree char *num = NULL;

  switch (check->unit) {
  case LP_CHECK_DURATION: return lp_format_duration (value);
  case LP_CHECK_YES_NO: return g_strdup (value != 0 ? "yes" : "no");
  case LP_CHECK_PERCENT:
    num = lp_format_decimal (value, 4);
    return g_strdup_printf ("%s%%", num);
  }
  g_assert_not_reached ();
}

char *
lp_check_format_shortfall (const LpCheck *check, const LpCheckResult *r)
{
  g_autofree char *num = NULL;

  switch (check->unit) {
  case LP_CHECK_DURATION: return lp_format_duration (r->achieved - r->target);
  case LP_CHECK_YES_NO: return g_strdup ("");
  case LP_CHECK_PERCENT:
    num = lp_format_decimal (fabs (r->target - r->achieved), 4);
    return g_strdup_printf ("%s points", num);
  }
  g_assert_not_reached ();
}

const LpSiteSizing *
lp_candidate_first_sized (const LpCandidate *c, const LpGroup *group)
{
  for (guint i = 0; c->sites != NULL && i < group->n_sites; i++) {
    if (!c->sites[i].empty)
      return &c->sites[i];
  }
  return NULL;
}

char *
lp_plan_scenario_hash (const LpPlan *plan)
{
  g_autoptr (GString) s = g_string_new (plan->rs->id);
  g_autoptr (GPtrArray) names = g_ptr_array_new ();

  for (guint i = 0; i < plan->sc->settings->len; i++)
    g_ptr_array_add (names, ((LpSetting *) g_ptr_array_index (plan->sc->settings, i))->name);
  g_ptr_array_sort (names, (GCompareFunc) lp_compare_names);
  for (guint i = 0; i < names->len; i++) {
    g_autofree char *v = lp_plan_setting_text (plan, g_ptr_array_index (names, i), NULL);
    g_string_append_printf (s, "\n%s=%s", (char *) g_ptr_array_index (names, i), v);
  }
  g_string_append_printf (s, "\npersistent-chat=%d\nedition=%s", plan->sc->persistent_chat,
                          lp_edition_choice_to_string (plan->sc->edition));
  for (guint i = 0; i < plan->sites->len; i++) {
    const LpPlanSite *site = &g_array_index (plan->sites, LpPlanSite, i);
    g_autofree char *remote = lp_format_decimal (site->remote_percent, 6);
    g_string_append_printf (s, "\nsite %s users=%" G_GUINT64_FORMAT " remote=%s partner=%d",
                            site->name, site->users, remote, site->partner);
  }
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, s->str, (gssize) s->len);
}

double
lp_plan_value (const LpPlan *plan, const char *name)
{
  const LpSetting *s = lp_scenario_find_setting (plan->sc, name);
  const LpRuleVar *v = lp_ruleset_find_var (plan->rs, name);

  if (s != NULL)
    return s->value;
  return v != NULL ? v->value : INFINITY;
}

const LpSiteSizing *
lp_plan_site_sizing (const LpPlan *plan, guint site, const LpCandidate **c)
{
  const LpPlanSite *s = &g_array_index (plan->sites, LpPlanSite, site);
  const LpGroup *g = &g_array_index (plan->groups, LpGroup, s->group);
  const LpCandidate *chosen = lp_plan_group_choice (plan, s->group);

  if (c != NULL)
    *c = chosen;
  return &chosen->sites[g->sites[0] == site ? 0 : 1];
}

char *
lp_check_result_text (const LpCheck *check, const LpCheckResult *r)
{
  g_autofree char *by = NULL;

  if (r->met)
    return g_strdup ("pass");
  by = lp_check_format_shortfall (check, r);
  return g_strdup_printf ("MISS%s%s", by[0] ? " by " : "", by);
}

char *
lp_candidate_misses_text (const LpPlan *plan, const LpCandidate *c)
{
  GString *s = g_string_new (NULL);

  for (guint k = 0; k < plan->rs->checks->len; k++) {
    const LpCheck *check = g_ptr_array_index (plan->rs->checks, k);
    g_autofree char *by = NULL;
    if (!c->checks[k].applies || c->checks[k].met)
      continue;
    by = lp_check_format_shortfall (check, &c->checks[k]);
    g_string_append_printf (s, "%s%s%s%s", s->len ? ", " : "", check->id, by[0] ? " by " : "", by);
  }
  return g_string_free (s, FALSE);
}
