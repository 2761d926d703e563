/* lp-plan.c: the plan value, the questions writers ask of it, and the plan
 * summary. */
#include "lp-plan.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "lp-csv.h"
#include "lp-units.h"

static int
lp_compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* The text of note @n with each {EXPR} replaced by its value in @values. */
static char *
note_text (const LpNote *n, const double *values)
{
  GString *out = g_string_new (NULL);
  const char *p = n->text;

  for (guint k = 0; k < n->exprs->len; k++) {
    const char *open = strchr (p, '{'), *close = strchr (open, '}');
    double v = values[n->first + k];
    g_autofree char *count = lp_format_count (v > 0 && v < 1e15 ? (guint64) ceil (v - 1e-9) : 0);
    g_string_append_len (out, p, open - p);
    g_string_append (out, count);
    p = close + 1;
  }
  g_string_append (out, p);
  return g_string_free (out, FALSE);
}

GPtrArray *
lp_site_notes (const LpCandidate *c, const LpSiteSizing *z)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  for (guint k = 0; !z->empty && k < c->tmpl->notes->len; k++) {
    if (z->notes & ((guint64) 1 << k))
      g_ptr_array_add (out, note_text (g_ptr_array_index (c->tmpl->notes, k), z->note_values));
  }
  return out;
}

GArray *
lp_plan_storage (const LpPlan *plan)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (LpStorageRow));

  for (guint i = 0; i < plan->sites->len; i++) {
    const LpCandidate *c;
    const LpSiteSizing *z = lp_plan_site_sizing (plan, i, &c);
    for (guint k = 0; !z->empty && z->storage_gb != NULL && k < plan->rs->storage->len; k++) {
      LpStorageRow row = { g_ptr_array_index (plan->rs->storage, k), i, z->storage_gb[k] };
      if (z->storage & ((guint64) 1 << k))
        g_array_append_val (out, row);
    }
  }
  return out;
}

void
lp_sizings_free (LpSiteSizing *sites, guint n)
{
  for (guint s = 0; sites != NULL && s < n; s++) {
    g_free (sites[s].roles);
    if (!sites[s].failures_shared) {
      g_free (sites[s].failures);
      g_free (sites[s].failure_slot);
    }
    g_free (sites[s].avail);
    g_free (sites[s].note_values);
    g_free (sites[s].storage_gb);
    g_free (sites[s].role_capacity);
  }
  g_free (sites);
}

void
lp_group_clear (LpGroup *g, guint n_templates)
{
  for (guint t = 0; g->candidates != NULL && t < n_templates; t++) {
    LpCandidate *c = &g->candidates[t];
    lp_sizings_free (c->sites, g->n_sites);
    if (!c->checks_shared)
      g_free (c->checks);
  }
  g_free (g->candidates);
  g_free (g->best);
  g_free (g->best_by);
}

static void
trace_step_clear (gpointer p)
{
  LpTraceStep *step = p;

  g_free (step->values);
  g_free (step->missed);
}

GArray *
lp_plan_trace_new (void)
{
  GArray *trace = g_array_new (FALSE, TRUE, sizeof (LpTraceStep));

  g_array_set_clear_func (trace, trace_step_clear);
  return trace;
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
    g_array_unref (plan->trace);
  if (plan->warm_names != NULL)
    g_hash_table_unref (plan->warm_names);
  g_free (plan->shaped);
  if (plan->shared != NULL)
    g_hash_table_unref (plan->shared);
  lp_scenario_free (plan->sc_copy);
  g_free (plan);
}

const LpCandidate *
lp_plan_group_choice (const LpPlan *plan, guint group)
{
  const LpGroup *g = &g_array_index (plan->groups, LpGroup, group);
  return &g->candidates[g->chosen];
}

/* The one design and the one edition all groups with users agree on,
 * "mixed", or "none"; a branch site's design (its appliances) is of no
 * edition and no topology. One pass for both. */
static void
consensus_both (const LpPlan *plan, const char **design, const char **edition)
{
  const char *d = NULL, *e = NULL;
  gboolean d_mixed = FALSE, e_mixed = FALSE;

  for (guint i = 0; i < plan->groups->len; i++) {
    const LpGroup *g = &g_array_index (plan->groups, LpGroup, i);
    const LpTemplate *t = g->candidates[g->chosen].tmpl;
    if (g->empty || g->branch)
      continue;
    if (d == NULL) {
      d = t->id;
      e = t->edition;
      continue;
    }
    d_mixed = d_mixed || (d != t->id && strcmp (d, t->id) != 0);
    e_mixed = e_mixed || (e != t->edition && strcmp (e, t->edition) != 0);
  }
  *design = d_mixed ? "mixed" : d != NULL ? d : "none";
  *edition = e_mixed ? "mixed" : e != NULL ? e : "none";
}

const char *
lp_plan_design (const LpPlan *plan)
{
  const char *design, *edition;

  consensus_both (plan, &design, &edition);
  return design;
}

const char *
lp_plan_edition (const LpPlan *plan)
{
  const char *design, *edition;

  consensus_both (plan, &design, &edition);
  return edition;
}

char *
lp_plan_setting_text (const LpPlan *plan, const char *name, gboolean *is_default)
{
  const LpSetting *s = lp_scenario_find_setting (plan->sc, name);
  const LpInput *in = lp_ruleset_find_input (plan->rs, name);
  const LpRuleVar *v = lp_ruleset_find_var (plan->rs, name);

  if (is_default != NULL)
    *is_default = s == NULL;
  if (in != NULL)
    return lp_input_format (in, s != NULL ? s->value : in->var->value, FALSE);
  return lp_ruleset_format_value (v->type, s != NULL ? s->value : v->value);
}

char *
lp_plan_input_text (const LpPlan *plan, const LpInput *in, gboolean *is_default)
{
  return lp_input_format (in, lp_scenario_input_value (plan->sc, in, is_default), TRUE);
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
  case LP_CHECK_PERCENT: num = lp_format_decimal (value, 4); return g_strdup_printf ("%s%%", num);
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

  for (guint i = 0; i < plan->sc->settings->len; i++) {
    const LpSetting *set = g_ptr_array_index (plan->sc->settings, i);
    const LpInput *in = set->is_input ? lp_ruleset_find_input (plan->rs, set->name) : NULL;
    if (in == NULL || (in->type != LP_VALUE_BOOL && in->type != LP_VALUE_CHOICE))
      g_ptr_array_add (names, set->name);
  }
  g_ptr_array_sort (names, (GCompareFunc) lp_compare_names);
  for (guint i = 0; i < names->len; i++) {
    g_autofree char *v = lp_plan_setting_text (plan, g_ptr_array_index (names, i), NULL);
    g_string_append_printf (s, "\n%s=%s", (char *) g_ptr_array_index (names, i), v);
  }
  /* yes/no and choice inputs always, after the others (the hash of a lync2013
   * scenario is what it was before inputs became data) */
  for (guint i = 0; i < plan->rs->inputs->len; i++) {
    const LpInput *in = g_ptr_array_index (plan->rs->inputs, i);
    double v = lp_scenario_input_value (plan->sc, in, NULL);
    if (!(in->scope & LP_SCOPE_SCENARIO))
      continue; /* a site's own, below */
    if (in->type == LP_VALUE_BOOL)
      g_string_append_printf (s, "\n%s=%d", in->key, v != 0);
    else if (in->type == LP_VALUE_CHOICE) {
      g_string_append_printf (s, "\n%s=", in->key);
      lp_input_append (s, in, v, FALSE);
    }
  }
  for (guint i = 0; i < plan->sites->len; i++) {
    const LpPlanSite *site = &g_array_index (plan->sites, LpPlanSite, i);
    g_autofree char *remote = lp_format_decimal (site->remote_percent, 6);
    g_string_append_printf (s, "\nsite %s users=%" G_GUINT64_FORMAT " remote=%s partner=%d",
                            site->name, site->users, remote, site->partner);
  }
  /* what a site sets beyond users and remote-percent, as its [site] group would say it */
  for (guint i = 0; i < plan->sc->sites->len; i++) {
    const LpSite *site = g_ptr_array_index (plan->sc->sites, i);
    for (guint k = 0; k < site->n_values; k++) {
      const LpInput *in = g_ptr_array_index (plan->rs->site_inputs, k);
      g_autofree char *v = NULL;
      if (site->texts[k] == NULL || in == plan->rs->slots.remote_input)
        continue;
      v = lp_input_format (in, site->values[k], FALSE);
      g_string_append_printf (s, "\nsite %s %s=%s", site->name, in->key, v);
    }
    if (site->branch)
      g_string_append_printf (s, "\nsite %s kind=branch", site->name);
    for (guint k = 0; k < LP_N_LINKS; k++)
      if (site->links[k].kind != LP_LINK_UNSET && k != LP_LINK_DR)
        g_string_append_printf (s, "\nsite %s %s=%s", site->name, lp_site_link_keys[k],
                                site->links[k].name);
    if (site->links[LP_LINK_DR].kind == LP_LINK_NONE)
      g_string_append_printf (s, "\nsite %s dr-site=none", site->name);
  }
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, s->str, (gssize) s->len);
}

double
lp_plan_group_value (const LpPlan *plan, guint group, const char *name)
{
  const LpInput *in = lp_ruleset_find_input (plan->rs, name);
  const LpGroup *g = &g_array_index (plan->groups, LpGroup, group);
  double v = 0;

  if (in == NULL || in->site_index < 0)
    return lp_plan_value (plan, name);
  for (guint i = 0; i < g->n_sites; i++) {
    const LpPlanSite *s = &g_array_index (plan->sites, LpPlanSite, g->sites[i]);
    double w = lp_site_value (plan->sc, g_ptr_array_index (plan->sc->sites, s->scenario), in, NULL);
    v = i == 0 ? w : lp_input_group_combine (in->group, v, w);
  }
  return v;
}

gboolean
lp_plan_site_without_dr (const LpPlan *plan, guint site)
{
  const LpCandidate *c;
  const LpSiteSizing *z = lp_plan_site_sizing (plan, site, &c);

  return g_array_index (plan->sites, LpPlanSite, site).dr_none || (!z->empty && z->without_dr);
}

char *
lp_plan_site_facts (const LpPlan *plan, guint i, gboolean keys)
{
  const LpPlanSite *s = &g_array_index (plan->sites, LpPlanSite, i);
  const LpSite *given = s->host < 0 && !s->warm ? g_ptr_array_index (plan->sc->sites, s->scenario)
                                                : NULL;
  GString *out = g_string_new (NULL);
#define SITE_NAME(k) (g_array_index (plan->sites, LpPlanSite, (k)).name)
#define PART(...)                                                                                  \
  (g_string_append (out, out->len ? ", " : ""), g_string_append_printf (out, __VA_ARGS__))

  if (s->branch) {
    PART ("a branch of %s", SITE_NAME (s->home));
  } else if (s->users > s->own_users) {
    g_autofree char *own = lp_format_count (s->own_users);
    g_autofree char *branches = lp_format_count (s->users - s->own_users);
    PART ("%s own and %s from branches", own, branches);
  }
  if (s->host >= 0)
    PART ("a backup pool at %s for %s", SITE_NAME (s->host), SITE_NAME (s->partner));
  if (!s->branch && s->host < 0 && !s->edge_here)
    PART (s->edge_at >= 0 ? "its Edge pool at %s" : "no Edge pool%s",
          s->edge_at >= 0 ? SITE_NAME (s->edge_at) : "");
  if (!s->branch && s->host < 0 && !s->owa_here && s->owa_at >= 0) {
    g_autofree char *farm = lp_ruleset_say (plan->rs, "Office Web Apps");
    PART ("%s at %s", farm, SITE_NAME (s->owa_at));
  }
  if (lp_plan_site_without_dr (plan, i))
    PART ("planned without disaster recovery%s", keys && s->dr_none ? " (dr-site = none)" : "");
  for (guint k = 0; given != NULL && k < given->n_values; k++) {
    const LpInput *in = g_ptr_array_index (plan->rs->site_inputs, k);
    g_autofree char *v = NULL;
    if (given->texts[k] == NULL || in == plan->rs->slots.remote_input)
      continue;
    v = lp_input_format (in, given->values[k], TRUE);
    PART (keys ? "%s %s" : "%s: %s", keys ? in->key : in->title, v);
  }
#undef PART
#undef SITE_NAME
  return g_string_free (out, FALSE);
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

const LpFailureResult *
lp_site_failure (const LpSiteSizing *z, guint k)
{
  const LpFailureResult *r;

  if (z->failures == NULL)
    return NULL;
  if (z->failure_slot != NULL)
    return z->failure_slot[k] == LP_FAILURE_NO_SLOT ? NULL : &z->failures[z->failure_slot[k]];
  r = &z->failures[k];
  return r->applies ? r : NULL;
}

gconstpointer
lp_plan_share (LpPlan *plan, gpointer data, gsize size)
{
  GBytes *b = g_bytes_new_take (data, size);
  GBytes *kept = NULL;

  if (plan->shared == NULL)
    plan->shared = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                          (GDestroyNotify) g_bytes_unref, NULL);
  if (g_hash_table_lookup_extended (plan->shared, b, (gpointer *) &kept, NULL))
    g_bytes_unref (b);
  else
    g_hash_table_add (plan->shared, kept = b);
  return g_bytes_get_data (kept, NULL);
}

void
lp_site_failures_settle (LpSiteSizing *z, guint n_rows, LpPlan *plan)
{
  guint n = 0;
  guint16 *slot;
  LpFailureResult *kept;

  if (z->failures == NULL || z->failure_slot != NULL || n_rows >= LP_FAILURE_NO_SLOT)
    return;
  slot = g_new (guint16, MAX (n_rows, 1));
  for (guint k = 0; k < n_rows; k++)
    slot[k] = z->failures[k].applies ? (guint16) n++ : LP_FAILURE_NO_SLOT;
  /* copied whole, padding in: equal rows are equal bytes */
  kept = g_new0 (LpFailureResult, MAX (n, 1));
  for (guint k = 0; k < n_rows; k++)
    if (slot[k] != LP_FAILURE_NO_SLOT)
      memcpy (&kept[slot[k]], &z->failures[k], sizeof *kept);
  g_free (z->failures);
  z->failure_slot = (guint16 *) lp_plan_share (plan, slot, MAX (n_rows, 1) * sizeof *slot);
  z->failures = (LpFailureResult *) lp_plan_share (plan, kept, MAX (n, 1) * sizeof *kept);
  z->failures_shared = TRUE;
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

/* The checks @c misses: "rto by 5m, sla" (@words FALSE: ids, for the trace
 * and --explain) or "Recovery time: 5m over the target" (@words TRUE). */
static char *
candidate_misses (const LpPlan *plan, const LpCandidate *c, gboolean words)
{
  GString *s = g_string_new (NULL);

  for (guint k = 0; k < plan->rs->checks->len; k++) {
    const LpCheck *check = g_ptr_array_index (plan->rs->checks, k);
    g_autofree char *by = NULL;
    if (!c->checks[k].applies || c->checks[k].met)
      continue;
    by = lp_check_format_shortfall (check, &c->checks[k]);
    if (!words)
      g_string_append_printf (s, "%s%s%s%s", s->len ? ", " : "", check->id, by[0] ? " by " : "",
                              by);
    else if (check->unit == LP_CHECK_YES_NO)
      g_string_append_printf (s, "%s%s: not provided", s->len ? "; " : "", check->title);
    else
      g_string_append_printf (s, "%s%s: %s %s the target", s->len ? "; " : "", check->title, by,
                              check->unit == LP_CHECK_DURATION ? "over"
                              : check->at_least                ? "below"
                                                               : "above");
  }
  return g_string_free (s, FALSE);
}

char *
lp_candidate_misses_text (const LpPlan *plan, const LpCandidate *c)
{
  return candidate_misses (plan, c, FALSE);
}

char *
lp_candidate_misses_words (const LpPlan *plan, const LpCandidate *c)
{
  return candidate_misses (plan, c, TRUE);
}

/* ---- the plan summary ---- */

/* TRUE when every text a CSV row takes from @rs (a design, an edition, a
 * check id: "mixed" is plain) is written as it is, so rows need no scan. */
static gboolean
ids_plain (const LpRuleset *rs)
{
  for (guint t = 0; t < rs->templates->len; t++) {
    const LpTemplate *tmpl = g_ptr_array_index (rs->templates, t);
    if (!lp_csv_is_plain (tmpl->id, TRUE) || !lp_csv_is_plain (tmpl->edition, TRUE))
      return FALSE;
  }
  for (guint k = 0; k < rs->checks->len; k++) {
    const LpCheck *check = g_ptr_array_index (rs->checks, k);
    if (!lp_csv_is_plain (check->id, TRUE) || strchr (check->id, ';') != NULL)
      return FALSE;
  }
  return TRUE;
}

static guint
missed_words (const LpRuleset *rs)
{
  return MAX (1, (rs->checks->len + 63) / 64);
}

static void
site_summary_clear (gpointer p)
{
  LpSiteSummary *site = p;

  g_free (site->name);
  g_free (site->roles);
}

static void
group_summary_clear (gpointer p)
{
  LpGroupSummary *group = p;

  g_free (group->label);
  g_free (group->key);
  g_free (group->checks);
}

void
lp_plan_summary_init (LpPlanSummary *s, const LpRuleset *rs, gboolean detailed)
{
  *s = (LpPlanSummary){ .rs = rs, .design = "none", .edition = "none", .feasible = TRUE };
  s->roles = g_new0 (guint64, MAX (1, rs->roles->len));
  s->missed = g_new0 (guint64, missed_words (rs));
  s->ids_plain = ids_plain (rs);
  if (!detailed)
    return;
  s->sites = g_array_new (FALSE, TRUE, sizeof (LpSiteSummary));
  g_array_set_clear_func (s->sites, site_summary_clear);
  s->groups = g_array_new (FALSE, TRUE, sizeof (LpGroupSummary));
  g_array_set_clear_func (s->groups, group_summary_clear);
}

void
lp_plan_summary_clear (LpPlanSummary *s)
{
  g_clear_pointer (&s->roles, g_free);
  g_clear_pointer (&s->missed, g_free);
  g_clear_pointer (&s->sites, g_array_unref);
  g_clear_pointer (&s->groups, g_array_unref);
  g_clear_pointer (&s->inputs, g_free);
}

/* Keeps @name in *@slot, replacing what is there only when it differs. */
static void
keep_name (char **slot, const char *name)
{
  if (*slot != NULL && strcmp (*slot, name) == 0)
    return;
  g_free (*slot);
  *slot = g_strdup (name);
}

static void
set_sites (LpPlanSummary *s, const LpPlan *plan)
{
  guint n_roles = plan->rs->roles->len;

  g_array_set_size (s->sites, plan->sites->len);
  for (guint i = 0; i < plan->sites->len; i++) {
    LpSiteSummary *site = &g_array_index (s->sites, LpSiteSummary, i);
    const LpCandidate *c;
    const LpSiteSizing *z = lp_plan_site_sizing (plan, i, &c);
    keep_name (&site->name, g_array_index (plan->sites, LpPlanSite, i).name);
    site->design = c->tmpl->id;
    if (site->roles == NULL)
      site->roles = g_new0 (guint64, MAX (1, n_roles));
    for (guint k = 0; k < n_roles; k++)
      site->roles[k] = z->empty ? 0 : z->roles[k];
  }
}

/* Is @key the identity of group @g of @plan: its sites' names joined by a
 * newline? */
static gboolean
is_group_key (const char *key, const LpPlan *plan, const LpGroup *g)
{
  const char *a = g_array_index (plan->sites, LpPlanSite, g->sites[0]).name;
  gsize len = strlen (a);

  if (key == NULL || strncmp (key, a, len) != 0)
    return FALSE;
  if (g->n_sites == 1)
    return key[len] == '\0';
  return key[len] == '\n' &&
         strcmp (key + len + 1, g_array_index (plan->sites, LpPlanSite, g->sites[1]).name) == 0;
}

static void
set_groups (LpPlanSummary *s, const LpPlan *plan)
{
  guint n_checks = plan->rs->checks->len;

  g_array_set_size (s->groups, plan->groups->len);
  for (guint i = 0; i < plan->groups->len; i++) {
    LpGroupSummary *group = &g_array_index (s->groups, LpGroupSummary, i);
    const LpCandidate *c = lp_plan_group_choice (plan, i);
    const LpGroup *g = &g_array_index (plan->groups, LpGroup, i);
    if (!is_group_key (group->key, plan, g)) {
      const LpPlanSite *a = &g_array_index (plan->sites, LpPlanSite, g->sites[0]);
      g_free (group->label);
      g_free (group->key);
      group->label = lp_plan_group_label (plan, i);
      group->key = g->n_sites == 1
                     ? g_strdup (a->name)
                     : g_strconcat (a->name, "\n",
                                    g_array_index (plan->sites, LpPlanSite, g->sites[1]).name,
                                    NULL);
    }
    group->design = c->tmpl->id;
    if (group->checks == NULL)
      group->checks = g_new0 (LpCheckResult, MAX (1, n_checks));
    memcpy (group->checks, c->checks, n_checks * sizeof (LpCheckResult));
  }
}

void
lp_plan_summary_set (LpPlanSummary *s, const LpPlan *plan)
{
  guint n_roles = plan->rs->roles->len, n_checks = plan->rs->checks->len;
  gboolean any = FALSE;

  g_return_if_fail (plan->rs->roles->len == s->rs->roles->len &&
                    plan->rs->checks->len == s->rs->checks->len);
  consensus_both (plan, &s->design, &s->edition);
  s->feasible = plan->feasible;
  s->servers = plan->servers;
  s->appliances = plan->appliances;
  s->reverse_proxies = plan->reverse_proxies;
  s->cost = plan->cost;
  s->priced = plan->sc->prices != NULL;
  s->missed[0] = 0; /* most rule sets have 64 checks at most: no call to memset() */
  for (guint w = 1; w < missed_words (plan->rs); w++)
    s->missed[w] = 0;
  /* the first site with users copied, the others added */
  for (guint i = 0; i < plan->sites->len; i++) {
    const LpPlanSite *site = &g_array_index (plan->sites, LpPlanSite, i);
    const LpGroup *g = &g_array_index (plan->groups, LpGroup, site->group);
    const LpSiteSizing *z = &g->candidates[g->chosen].sites[g->sites[0] == i ? 0 : 1];
    const guint64 *roles = z->roles;
    if (z->empty)
      continue;
    if (!any) {
      memcpy (s->roles, roles, n_roles * sizeof (guint64));
      any = TRUE;
      continue;
    }
    for (guint k = 0; k < n_roles; k++)
      s->roles[k] += roles[k];
  }
  if (!any)
    memset (s->roles, 0, n_roles * sizeof (guint64));
  for (guint g = 0; g < plan->groups->len; g++) {
    const LpCheckResult *checks = lp_plan_group_choice (plan, g)->checks;
    for (guint k = 0; k < n_checks; k++) {
      if (checks[k].applies && !checks[k].met)
        s->missed[k / 64] |= (guint64) 1 << (k % 64);
    }
  }
  if (s->sites != NULL)
    set_sites (s, plan);
  if (s->groups != NULL)
    set_groups (s, plan);
}

static void
copy_sites (GArray *to, const GArray *from, guint n_roles)
{
  g_array_set_size (to, from->len);
  for (guint i = 0; i < from->len; i++) {
    LpSiteSummary *t = &g_array_index (to, LpSiteSummary, i);
    const LpSiteSummary *f = &g_array_index (from, LpSiteSummary, i);
    keep_name (&t->name, f->name);
    t->design = f->design;
    if (t->roles == NULL)
      t->roles = g_new0 (guint64, MAX (1, n_roles));
    memcpy (t->roles, f->roles, n_roles * sizeof (guint64));
  }
}

static void
copy_groups (GArray *to, const GArray *from, guint n_checks)
{
  g_array_set_size (to, from->len);
  for (guint i = 0; i < from->len; i++) {
    LpGroupSummary *t = &g_array_index (to, LpGroupSummary, i);
    const LpGroupSummary *f = &g_array_index (from, LpGroupSummary, i);
    keep_name (&t->label, f->label);
    keep_name (&t->key, f->key);
    t->design = f->design;
    if (t->checks == NULL)
      t->checks = g_new0 (LpCheckResult, MAX (1, n_checks));
    memcpy (t->checks, f->checks, n_checks * sizeof (LpCheckResult));
  }
}

void
lp_plan_summary_copy (LpPlanSummary *to, const LpPlanSummary *from)
{
  guint64 *roles = to->roles, *missed = to->missed;
  GArray *sites = to->sites, *groups = to->groups;
  char *inputs = to->inputs;

  g_return_if_fail (to->rs->roles->len == from->rs->roles->len &&
                    to->rs->checks->len == from->rs->checks->len);
  *to = *from;
  to->roles = roles;
  to->missed = missed;
  to->sites = sites;
  to->groups = groups;
  g_free (inputs);
  to->inputs = g_strdup (from->inputs);
  memcpy (roles, from->roles, from->rs->roles->len * sizeof (guint64));
  memcpy (missed, from->missed, missed_words (from->rs) * sizeof (guint64));
  if (sites != NULL && from->sites != NULL)
    copy_sites (sites, from->sites, from->rs->roles->len);
  if (groups != NULL && from->groups != NULL)
    copy_groups (groups, from->groups, from->rs->checks->len);
}

static gboolean
sites_equal (const GArray *a, const GArray *b, guint n_roles)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++) {
    const LpSiteSummary *x = &g_array_index (a, LpSiteSummary, i);
    const LpSiteSummary *y = &g_array_index (b, LpSiteSummary, i);
    if (strcmp (x->name, y->name) != 0 ||
        memcmp (x->roles, y->roles, n_roles * sizeof (guint64)) != 0)
      return FALSE;
  }
  return TRUE;
}

static gboolean
check_results_equal (const LpCheckResult *a, const LpCheckResult *b)
{
  return a->applies == b->applies && a->met == b->met && a->target == b->target &&
         a->achieved == b->achieved && a->shortfall == b->shortfall;
}

static gboolean
groups_equal (const GArray *a, const GArray *b, guint n_checks)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++) {
    const LpGroupSummary *x = &g_array_index (a, LpGroupSummary, i);
    const LpGroupSummary *y = &g_array_index (b, LpGroupSummary, i);
    if (strcmp (x->key, y->key) != 0 || strcmp (x->design, y->design) != 0)
      return FALSE;
    for (guint k = 0; k < n_checks; k++) {
      if (!check_results_equal (&x->checks[k], &y->checks[k]))
        return FALSE;
    }
  }
  return TRUE;
}

gboolean
lp_plan_summary_equal (const LpPlanSummary *a, const LpPlanSummary *b)
{
  guint n_roles = a->rs->roles->len;

  g_return_val_if_fail (n_roles == b->rs->roles->len && a->rs->checks->len == b->rs->checks->len,
                        FALSE);
  if (strcmp (a->design, b->design) != 0 || strcmp (a->edition, b->edition) != 0 ||
      a->feasible != b->feasible || a->servers != b->servers || a->appliances != b->appliances ||
      a->reverse_proxies != b->reverse_proxies || a->cost != b->cost ||
      memcmp (a->roles, b->roles, n_roles * sizeof (guint64)) != 0 ||
      memcmp (a->missed, b->missed, missed_words (a->rs) * sizeof (guint64)) != 0)
    return FALSE;
  if (a->sites != NULL && b->sites != NULL && !sites_equal (a->sites, b->sites, n_roles))
    return FALSE;
  return a->groups == NULL || b->groups == NULL ||
         groups_equal (a->groups, b->groups, a->rs->checks->len);
}

void
lp_plan_change_free (LpPlanChange *change)
{
  if (change == NULL)
    return;
  g_free (change->path);
  g_free (change->old_text);
  g_free (change->new_text);
  g_free (change);
}

static void add_change (GPtrArray *changes, char *old_text, char *new_text, const char *format, ...)
  G_GNUC_PRINTF (4, 5);

/* Adds the change at the path @format gives, taking @old_text and
 * @new_text (either nullable), unless the two read the same. */
static void
add_change (GPtrArray *changes, char *old_text, char *new_text, const char *format, ...)
{
  LpPlanChange *change;
  va_list args;

  if (g_strcmp0 (old_text, new_text) == 0) {
    g_free (old_text);
    g_free (new_text);
    return;
  }
  change = g_new0 (LpPlanChange, 1);
  va_start (args, format);
  change->path = g_strdup_vprintf (format, args);
  va_end (args);
  change->old_text = old_text;
  change->new_text = new_text;
  g_ptr_array_add (changes, change);
}

static char *
yes_no (gboolean v)
{
  return g_strdup (v ? "yes" : "no");
}

static void
diff_totals (GPtrArray *out, const LpPlanSummary *a, const LpPlanSummary *b)
{
  const LpRuleset *rs = b->rs;

  add_change (out, g_strdup (a->design), g_strdup (b->design), "design");
  add_change (out, g_strdup (a->edition), g_strdup (b->edition), "edition");
  add_change (out, yes_no (a->feasible), yes_no (b->feasible), "feasible");
  add_change (out, lp_format_count (a->servers), lp_format_count (b->servers), "servers");
  add_change (out, lp_format_count (a->appliances), lp_format_count (b->appliances), "appliances");
  add_change (out, lp_format_count (a->reverse_proxies), lp_format_count (b->reverse_proxies),
              "reverse-proxies");
  if (a->cost != b->cost && (a->priced || b->priced))
    add_change (out, lp_format_decimal (a->cost, 2), lp_format_decimal (b->cost, 2), "cost");
  for (guint k = 0; k < rs->roles->len; k++) {
    if (a->roles[k] != b->roles[k])
      add_change (out, lp_format_count (a->roles[k]), lp_format_count (b->roles[k]), "roles/%s",
                  ((const LpRole *) g_ptr_array_index (rs->roles, k))->id);
  }
  for (guint k = 0; k < rs->checks->len; k++) {
    gboolean was = lp_plan_summary_missed (a, k), is = lp_plan_summary_missed (b, k);
    if (was != is)
      add_change (out, yes_no (was), yes_no (is), "missed/%s",
                  ((const LpCheck *) g_ptr_array_index (rs->checks, k))->id);
  }
}

/* "front-end 3, edge 2": what a site builds, or "nothing". */
static char *
roles_text (const LpRuleset *rs, const guint64 *roles)
{
  GString *s = g_string_new (NULL);

  for (guint k = 0; k < rs->roles->len; k++) {
    if (roles[k] == 0)
      continue;
    g_string_append_printf (s, "%s%s %" G_GUINT64_FORMAT, s->len ? ", " : "",
                            ((const LpRole *) g_ptr_array_index (rs->roles, k))->id, roles[k]);
  }
  if (s->len == 0)
    g_string_append (s, "nothing");
  return g_string_free (s, FALSE);
}

/* Do @a and @b name the same sites (or groups, by key) in the same order?
 * Then a difference pairs them by index, without an index of names (a shell
 * change on 1,000 sites built two each time). */
static gboolean
same_names (const GArray *a, const GArray *b, gboolean groups)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++) {
    const char *x = groups ? g_array_index (a, LpGroupSummary, i).key
                           : g_array_index (a, LpSiteSummary, i).name;
    const char *y = groups ? g_array_index (b, LpGroupSummary, i).key
                           : g_array_index (b, LpSiteSummary, i).name;
    if (strcmp (x, y) != 0)
      return FALSE;
  }
  return TRUE;
}

/* Where each site's name (or with @groups, each group's key) of @array
 * is, as index + 1. */
static GHashTable *
index_names (const GArray *array, gboolean groups)
{
  GHashTable *index = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < array->len; i++) {
    char *name = groups ? g_array_index (array, LpGroupSummary, i).key
                        : g_array_index (array, LpSiteSummary, i).name;
    g_hash_table_insert (index, name, GUINT_TO_POINTER (i + 1));
  }
  return index;
}

static void
diff_sites (GPtrArray *out, const LpPlanSummary *a, const LpPlanSummary *b)
{
  const LpRuleset *rs = b->rs;
  gboolean same_order = same_names (a->sites, b->sites, FALSE);
  g_autoptr (GHashTable) before = same_order ? NULL : index_names (a->sites, FALSE);
  g_autoptr (GHashTable) after = same_order ? NULL : index_names (b->sites, FALSE);

  for (guint i = 0; i < b->sites->len; i++) {
    const LpSiteSummary *now = &g_array_index (b->sites, LpSiteSummary, i);
    guint was_at = same_order ? i + 1 : GPOINTER_TO_UINT (g_hash_table_lookup (before, now->name));
    const LpSiteSummary *was = was_at ? &g_array_index (a->sites, LpSiteSummary, was_at - 1) : NULL;
    if (was == NULL) {
      add_change (out, NULL, roles_text (rs, now->roles), "sites/%s", now->name);
      continue;
    }
    for (guint k = 0; k < rs->roles->len; k++) {
      if (was->roles[k] != now->roles[k])
        add_change (out, lp_format_count (was->roles[k]), lp_format_count (now->roles[k]),
                    "sites/%s/roles/%s", now->name,
                    ((const LpRole *) g_ptr_array_index (rs->roles, k))->id);
    }
  }
  for (guint i = 0; !same_order && i < a->sites->len; i++) {
    const LpSiteSummary *was = &g_array_index (a->sites, LpSiteSummary, i);
    if (!g_hash_table_contains (after, was->name))
      add_change (out, roles_text (rs, was->roles), NULL, "sites/%s", was->name);
  }
}

/* "2h05m", "2h05m, misses by 5m", or "does not apply". */
static char *
check_text (const LpCheck *check, const LpCheckResult *r)
{
  g_autofree char *figure = NULL, *by = NULL;

  if (!r->applies)
    return g_strdup ("does not apply");
  figure = lp_check_format_value (check, r->achieved);
  if (r->met)
    return g_steal_pointer (&figure);
  by = lp_check_format_shortfall (check, r);
  return g_strdup_printf ("%s, misses%s%s", figure, by[0] ? " by " : "", by);
}

static void
diff_group (GPtrArray *out, const LpRuleset *rs, const LpGroupSummary *was,
            const LpGroupSummary *now)
{
  add_change (out, g_strdup (was->design), g_strdup (now->design), "groups/%s/design", now->label);
  for (guint k = 0; k < rs->checks->len; k++) {
    const LpCheck *check = g_ptr_array_index (rs->checks, k);
    if (!check_results_equal (&was->checks[k], &now->checks[k]))
      add_change (out, check_text (check, &was->checks[k]), check_text (check, &now->checks[k]),
                  "groups/%s/checks/%s", now->label, check->id);
  }
}

static void
diff_groups (GPtrArray *out, const LpPlanSummary *a, const LpPlanSummary *b)
{
  gboolean same_order = same_names (a->groups, b->groups, TRUE);
  g_autoptr (GHashTable) before = same_order ? NULL : index_names (a->groups, TRUE);
  g_autoptr (GHashTable) after = same_order ? NULL : index_names (b->groups, TRUE);

  for (guint i = 0; i < b->groups->len; i++) {
    const LpGroupSummary *now = &g_array_index (b->groups, LpGroupSummary, i);
    guint was_at = same_order ? i + 1 : GPOINTER_TO_UINT (g_hash_table_lookup (before, now->key));
    if (was_at == 0)
      add_change (out, NULL, g_strdup (now->design), "groups/%s", now->label);
    else
      diff_group (out, b->rs, &g_array_index (a->groups, LpGroupSummary, was_at - 1), now);
  }
  for (guint i = 0; !same_order && i < a->groups->len; i++) {
    const LpGroupSummary *was = &g_array_index (a->groups, LpGroupSummary, i);
    if (!g_hash_table_contains (after, was->key))
      add_change (out, g_strdup (was->design), NULL, "groups/%s", was->label);
  }
}

GPtrArray *
lp_plan_summary_diff (const LpPlanSummary *from, const LpPlanSummary *to)
{
  GPtrArray *changes = g_ptr_array_new_with_free_func ((GDestroyNotify) lp_plan_change_free);

  g_return_val_if_fail (from->rs->roles->len == to->rs->roles->len &&
                          from->rs->checks->len == to->rs->checks->len,
                        changes);
  diff_totals (changes, from, to);
  if (from->sites != NULL && to->sites != NULL)
    diff_sites (changes, from, to);
  if (from->groups != NULL && to->groups != NULL)
    diff_groups (changes, from, to);
  return changes;
}
