/* lp-write-json.c: the plan as JSON, stable for scripts. */
#include "lp-write.h"

#include <math.h>
#include <string.h>

#include "lp-config.h"
#include "lp-json.h"
#include "lp-units.h"

/* A program-defined key ("dr-rto") as a member name ("dr_rto"). */
static void
snake_case (const char *key, char *out, gsize size)
{
  g_strlcpy (out, key, size);
  g_strdelimit (out, "-", '_');
}

/* "value": the text as a scenario file takes it, beside its number when it
 * has a unit: value_minutes for durations (null for none), value_percent. */
static void
write_setting_value (LpJson *j, LpValueType type, const char *text, double value)
{
  if (type == LP_VALUE_DURATION)
    lp_json_figure (j, "value", text, "minutes", value);
  else if (type == LP_VALUE_PERCENT)
    lp_json_figure (j, "value", text, "percent", value);
  else
    lp_json_string (j, "value", text);
}

static void
write_value_input (LpJson *j, const LpReport *r, const char *key)
{
  const LpPlan *plan = r->plan;
  gboolean is_default = TRUE;
  g_autofree char *text = lp_plan_setting_text (plan, key, &is_default);
  const LpRuleVar *v = lp_report_var (r, key);
  char member[64];

  snake_case (key, member, sizeof member);
  lp_json_begin_object (j, member);
  lp_json_string (j, "key", key);
  write_setting_value (j, v != NULL ? v->type : LP_VALUE_DURATION, text, lp_plan_value (plan, key));
  lp_json_bool (j, "default", is_default);
  lp_json_end_object (j);
}

/* An input whose value is a word: product, edition. */
static void write_word_input (LpJson *j, const char *member, const char *key, const char *word,
                              gboolean is_default);

/* One input of the rule set's vocabulary: a yes/no one as a JSON boolean,
 * a choice as its word, a duration or percentage with its number. */
static void
write_input (LpJson *j, const LpReport *r, const LpReportInput *ri)
{
  const LpInput *in = ri->in;
  gboolean is_default = ri->is_default;
  double v = ri->value;
  char member[64];

  if (in->type == LP_VALUE_DURATION || in->type == LP_VALUE_PERCENT) {
    write_value_input (j, r, in->key);
    return;
  }
  snake_case (in->key, member, sizeof member);
  if (in->type == LP_VALUE_CHOICE) {
    g_autoptr (GString) words = g_string_new (NULL);
    lp_input_append (words, in, v, FALSE);
    write_word_input (j, member, in->key, words->str, is_default);
    return;
  }
  lp_json_begin_object (j, member);
  lp_json_string (j, "key", in->key);
  if (in->type == LP_VALUE_BOOL)
    lp_json_bool (j, "value", v != 0);
  else
    lp_json_number (j, "value", v);
  lp_json_bool (j, "default", is_default);
  lp_json_end_object (j);
}

static void
write_word_input (LpJson *j, const char *member, const char *key, const char *word,
                  gboolean is_default)
{
  lp_json_begin_object (j, member);
  lp_json_string (j, "key", key);
  lp_json_string (j, "value", word);
  lp_json_bool (j, "default", is_default);
  lp_json_end_object (j);
}

/* The scenario's inputs, one member each (fixed names, snake_case), then the
 * rule constants it overrides, a list (their names are the rule set's ids). */
static void
write_inputs (LpJson *j, const LpReport *r)
{
  lp_json_begin_object (j, "inputs");
  write_word_input (j, "product", "product", r->scenario_product, r->product_default);
  for (guint i = 0; i < r->inputs->len; i++)
    write_input (j, r, &g_array_index (r->inputs, LpReportInput, i));
  lp_json_end_object (j);
  lp_json_begin_array (j, "overrides");
  for (guint i = 0; i < r->overrides->len; i++) {
    const LpSetting *s = g_ptr_array_index (r->overrides, i);
    const LpRuleVar *v = lp_report_var (r, s->name);
    lp_json_begin_object (j, NULL);
    lp_json_string (j, "key", s->name);
    write_setting_value (j, v != NULL ? v->type : LP_VALUE_NUMBER, s->text, s->value);
    lp_json_end_object (j);
  }
  lp_json_end_array (j);
}

static const char *
site_name (const LpPlan *plan, gint i)
{
  return i >= 0 ? g_array_index (plan->sites, LpPlanSite, i).name : NULL;
}

static void
write_pool (LpJson *j, const LpPlan *plan, guint i)
{
  const LpPlanSite *s = &g_array_index (plan->sites, LpPlanSite, i);
  const LpCandidate *c;

  lp_plan_site_sizing (plan, i, &c);
  lp_json_begin_object (j, NULL);
  lp_json_string (j, "name", s->name);
  lp_json_int (j, "users", s->users);
  lp_json_string (j, "partner", site_name (plan, s->partner));
  lp_json_string (j, "design", c->tmpl->id);
  lp_json_end_object (j);
}

/* The site model: its kind, home, where its Edge pool and Office Web Apps
 * farm are, the site holding it (a backup pool), and a site's pools: its
 * own users' and the backup pools it holds for others. */
static void
write_site_model (LpJson *j, const LpReport *report, guint i)
{
  const LpPlan *plan = report->plan;
  const LpPlanSite *s = &g_array_index (plan->sites, LpPlanSite, i);

  lp_json_string (j, "kind", s->branch ? "branch" : s->host >= 0 ? "backup-pool" : "central");
  lp_json_int (j, "own_users", s->own_users);
  lp_json_string (j, "home", site_name (plan, s->home));
  lp_json_string (j, "host", site_name (plan, s->host));
  lp_json_string (j, "edge_site", s->branch ? NULL : site_name (plan, s->edge_at));
  lp_json_string (j, "office_web_apps_site", s->branch ? NULL : site_name (plan, s->owa_at));
  lp_json_bool (j, "planned_without_dr", report->without_dr[i]);
  lp_json_begin_array (j, "pools");
  if (!s->branch && s->host < 0) {
    write_pool (j, plan, i);
    for (guint k = 0; k < plan->sites->len; k++)
      if (g_array_index (plan->sites, LpPlanSite, k).host == (gint) i)
        write_pool (j, plan, k);
  }
  lp_json_end_array (j);
}

/* The report's figures of a site: "ID": { "MEMBER": count, ... } each. */
static void
write_site_figures (LpJson *j, const GArray *figures)
{
  for (guint k = 0; k < figures->len; k++) {
    const LpSiteFigure *f = &g_array_index (figures, LpSiteFigure, k);
    char name[128];
    snake_case (f->id, name, sizeof name);
    lp_json_begin_object (j, name);
    for (guint x = 0; f->members[x] != NULL; x++) {
      snake_case (f->members[x], name, sizeof name);
      lp_json_int (j, name, f->counts[x]);
    }
    lp_json_end_object (j);
  }
}

static void
write_site (LpJson *j, const LpReport *report, guint i)
{
  const LpPlan *plan = report->plan;
  const LpPlanSite *site = &g_array_index (plan->sites, LpPlanSite, i);
  const LpCandidate *c;
  const LpSiteSizing *z = lp_plan_site_sizing (plan, i, &c);
  const GPtrArray *notes = g_ptr_array_index (report->site_notes, i);

  lp_json_begin_object (j, NULL);
  lp_json_string (j, "name", site->name);
  lp_json_int (j, "users", site->users);
  lp_json_percent (j, "remote", site->remote_percent, 2);
  lp_json_bool (j, "remote_default", site->remote_default);
  lp_json_bool (j, "warm_standby", site->warm);
  lp_json_string (j, "dr_site",
                  site->partner >= 0 ? g_array_index (plan->sites, LpPlanSite, site->partner).name
                                     : NULL);
  lp_json_string (j, "design", c->tmpl->id);
  lp_json_string (j, "edition", c->tmpl->edition);
  write_site_model (j, report, i);
  lp_json_begin_array (j, "roles");
  for (guint k = report->bom_first[i]; k < report->bom_first[i + 1]; k++) {
    const LpBomLine *l = &g_array_index (report->bom, LpBomLine, k);
    lp_json_begin_object (j, NULL);
    lp_json_string (j, "role", l->r->id);
    lp_json_int (j, "count", l->count);
    lp_json_end_object (j);
  }
  lp_json_end_array (j);
  lp_json_int (j, "servers", z->servers);
  lp_json_int (j, "appliances", z->appliances);
  lp_json_int (j, "reverse_proxies", z->reverse_proxies);
  if (report->currency != NULL)
    lp_json_number (j, "cost", z->cost);
  lp_json_begin_array (j, "notes");
  for (guint k = 0; k < notes->len; k++)
    lp_json_string (j, NULL, g_ptr_array_index (notes, k));
  lp_json_end_array (j);
  write_site_figures (j, g_ptr_array_index (report->figures, i));
  lp_json_end_object (j);
}

/* The stores' storage a year, site by site: { store, site, gb_per_year }. */
static void
write_storage (LpJson *j, const LpReport *r)
{
  const LpPlan *plan = r->plan;
  const GArray *rows = r->storage;

  lp_json_begin_array (j, "storage");
  for (guint k = 0; k < rows->len; k++) {
    const LpStorageRow *row = &g_array_index (rows, LpStorageRow, k);
    lp_json_begin_object (j, NULL);
    lp_json_string (j, "store", row->store->id);
    lp_json_string (j, "site", g_array_index (plan->sites, LpPlanSite, row->site).name);
    lp_json_number (j, "gb_per_year", round (row->gb_per_year * 10) / 10);
    lp_json_end_object (j);
  }
  lp_json_end_array (j);
}

/* Every pool of the plan with what it carries (the workbook's Pools and
 * Pairing sheet): in normal running and with one of its servers down, and
 * how the latter comes about (its other servers, a one-server pool's
 * failover to its backup pool, or nothing). */
static void
write_pools (LpJson *j, const LpReport *r)
{
  static const char *const down[] = {
    [LP_DOWN_OTHERS] = "other-servers", [LP_DOWN_FAILOVER] = "failover", [LP_DOWN_NONE] = "none"
  };
  const LpPlan *plan = r->plan;

  lp_json_begin_array (j, "pools");
  for (guint k = 0; k < r->pools->len; k++) {
    const LpPoolRow *p = g_ptr_array_index (r->pools, k);
    const LpRole *role = g_ptr_array_index (r->roles, p->role);
    lp_json_begin_object (j, NULL);
    lp_json_string (j, "name", p->name);
    lp_json_string (j, "node", p->node);
    lp_json_string (j, "site", g_array_index (plan->sites, LpPlanSite, p->site).name);
    lp_json_string (j, "role", role->id);
    lp_json_string (j, "kind", p->kind);
    lp_json_int (j, "servers", p->servers);
    if (isnan (p->users))
      lp_json_string (j, "users", NULL);
    else
      lp_json_number (j, "users", p->users);
    lp_json_string (j, "backup", p->backup);
    lp_json_string (j, "pairing", lp_pool_mode_to_string (p->mode));
    if (isnan (p->normal)) {
      lp_json_string (j, "capacity", NULL);
    } else {
      lp_json_begin_object (j, "capacity");
      lp_json_string (j, "unit", p->unit);
      lp_json_number (j, "normal", p->normal);
      lp_json_number (j, "one_server_down", p->one_down);
      lp_json_string (j, "one_server_down_by", down[p->down]);
      lp_json_int (j, "standby_servers", p->standby);
      lp_json_bool (j, "capped", p->capped);
      lp_json_end_object (j);
    }
    lp_json_end_object (j);
  }
  lp_json_end_array (j);
}

/* One figure of a requirement: its text as the report prints it, and the
 * number in the check's unit (none for yes/no checks). */
static void
write_check_figure (LpJson *j, const LpCheck *check, const char *key, double value)
{
  g_autofree char *text = lp_check_format_value (check, value);

  if (check->unit == LP_CHECK_DURATION)
    lp_json_figure (j, key, text, "minutes", value);
  else if (check->unit == LP_CHECK_PERCENT)
    lp_json_figure (j, key, text, "percent", value);
  else
    lp_json_string (j, key, text);
}

/* How far a check is missed (0 when met): minutes, or percentage points of
 * availability; null for yes/no checks. */
static void
write_shortfall (LpJson *j, const LpCheck *check, const LpCheckResult *r)
{
  g_autofree char *points = NULL;
  g_autofree char *text = NULL;
  double value;

  if (check->unit == LP_CHECK_YES_NO) {
    lp_json_string (j, "shortfall", NULL);
    return;
  }
  if (check->unit == LP_CHECK_DURATION) {
    lp_json_duration (j, "shortfall", r->met ? 0 : r->shortfall);
    return;
  }
  value = r->met ? 0 : fabs (r->target - r->achieved);
  points = lp_format_decimal (value, 4);
  text = g_strdup_printf ("%s points", points);
  lp_json_figure (j, "shortfall", text, "percent", value);
}

static void
write_requirements (LpJson *j, const LpReport *report, const LpGroup *g, const LpCandidate *c)
{
  static const char *const units[] = { "minutes", "percent", "yes-no" };

  lp_json_begin_array (j, "requirements");
  for (guint k = 0; k < report->checks->len; k++) {
    const LpCheck *check = g_ptr_array_index (report->checks, k);
    const LpCheckResult *r = &c->checks[k];
    if (!r->applies)
      continue;
    lp_json_begin_object (j, NULL);
    lp_json_string (j, "id", check->id);
    lp_json_string (j, "label", check->label);
    lp_json_string (j, "unit", units[check->unit]);
    write_check_figure (j, check, "target", r->target);
    write_check_figure (j, check, "achieved", r->achieved);
    lp_json_bool (j, "met", r->met);
    write_shortfall (j, check, r);
    write_check_figure (j, check, "best_achievable", g->best[k]);
    lp_json_string (j, "best_achievable_by",
                    ((LpCandidate *) &g->candidates[g->best_by[k]])->tmpl->id);
    lp_json_end_object (j);
  }
  lp_json_end_array (j);
}

static void
write_recovery (LpJson *j, const LpReport *r, const char *key, guint row, gboolean automatic,
                double rto, double rpo)
{
  const LpFailure *f = g_ptr_array_index (r->failures, row);

  lp_json_begin_object (j, key);
  lp_json_duration (j, "rto", rto);
  lp_json_duration (j, "rpo", rpo);
  lp_json_bool (j, "automatic", automatic);
  lp_json_string (j, "worst", f->label);
  lp_json_end_object (j);
}

static void
write_alternative (LpJson *j, const LpReport *r, const LpCandidate *c)
{
  lp_json_begin_object (j, NULL);
  lp_json_string (j, "design", c->tmpl->id);
  lp_json_string (j, "edition", c->tmpl->edition);
  lp_json_bool (j, "considered", c->excluded == NULL);
  if (c->excluded != NULL) {
    lp_json_string (j, "excluded", c->excluded);
    lp_json_end_object (j);
    return;
  }
  lp_json_int (j, "servers", c->servers);
  lp_json_int (j, "appliances", c->appliances);
  lp_json_int (j, "reverse_proxies", c->reverse_proxies);
  lp_json_number (j, "cost", c->cost);
  lp_json_bool (j, "feasible", c->feasible);
  lp_json_begin_array (j, "misses");
  for (guint k = 0; k < r->checks->len; k++) {
    if (c->checks[k].applies && !c->checks[k].met)
      lp_json_string (j, NULL, ((LpCheck *) g_ptr_array_index (r->checks, k))->id);
  }
  lp_json_end_array (j);
  lp_json_end_object (j);
}

static void
write_avail_class (LpJson *j, const LpPlan *plan, const char *key, const LpAvailClass *a)
{
  const LpAvailContributor *largest = NULL;

  lp_json_begin_object (j, key);
  lp_json_number (j, "downtime_minutes_per_year", a->downtime);
  lp_json_number (j, "availability_percent", a->percent);
  if (a->never)
    lp_json_bool (j, "never_available", TRUE);
  lp_json_string (j, "site", g_array_index (plan->sites, LpPlanSite, a->site).name);
  lp_json_begin_array (j, "contributors");
  for (guint i = 0; i < a->contributors->len; i++) {
    const LpAvailContributor *c = g_ptr_array_index (a->contributors, i);
    lp_json_begin_object (j, NULL);
    lp_json_string (j, "component", c->component);
    lp_json_number (j, "minutes_per_year", c->minutes);
    lp_json_bool (j, "planned", c->planned);
    lp_json_bool (j, "counted", c->counted);
    lp_json_end_object (j);
    if (largest == NULL && c->counted)
      largest = c;
  }
  lp_json_end_array (j);
  lp_json_string (j, "cut_largest", largest != NULL ? largest->cut : NULL);
  lp_json_end_object (j);
}

static void
write_availability (LpJson *j, const LpPlan *plan, const LpResilience *res, guint gi)
{
  for (guint i = 0; i < res->availability->len; i++) {
    const LpGroupAvailability *ga = &g_array_index (res->availability, LpGroupAvailability, i);
    if (ga->group != gi)
      continue;
    lp_json_begin_object (j, "availability");
    for (guint u = 0; u < LP_AVAIL_N_CLASSES; u++)
      write_avail_class (j, plan, lp_avail_class_names[u], &ga->classes[u]);
    lp_json_end_object (j);
  }
}

static void
write_group (LpJson *j, const LpReport *r, guint gi)
{
  const LpPlan *plan = r->plan;
  const LpGroup *g = &g_array_index (plan->groups, LpGroup, gi);
  const LpCandidate *c = lp_plan_group_choice (plan, gi);
  const LpSiteSizing *z = lp_candidate_first_sized (c, g);

  lp_json_begin_object (j, NULL);
  lp_json_begin_array (j, "sites");
  for (guint i = 0; i < g->n_sites; i++)
    lp_json_string (j, NULL, g_array_index (plan->sites, LpPlanSite, g->sites[i]).name);
  lp_json_end_array (j);
  lp_json_string (j, "design", c->tmpl->id);
  lp_json_string (j, "edition", c->tmpl->edition);
  lp_json_string (j, "back_end_ha", c->tmpl->back_end_ha);
  lp_json_bool (j, "feasible", g->feasible);
  lp_json_bool (j, "paired", z != NULL && z->paired);
  write_requirements (j, r, g, c);
  if (z != NULL) {
    write_recovery (j, r, "server_failure", z->worst_component, z->worst_component_automatic,
                    z->server_failure_rto, z->server_failure_rpo);
    write_recovery (j, r, "site_loss", z->site_row, z->site_row_automatic, z->site_loss_rto,
                    z->site_loss_rpo);
  }
  write_availability (j, plan, r->resilience, gi);
  lp_json_begin_array (j, "alternatives");
  for (guint t = 0; t < r->n_templates; t++) {
    if (t != g->chosen && !g->candidates[t].other_kind)
      write_alternative (j, r, &g->candidates[t]);
  }
  lp_json_end_array (j);
  lp_json_end_object (j);
}

/* The editions of the chosen designs, each once. */
static void
write_caveats (LpJson *j, const LpReport *r)
{
  lp_json_begin_array (j, "caveats");
  for (guint i = 0; i < r->caveats->len; i++) {
    const LpEdition *e = g_ptr_array_index (r->caveats, i);
    lp_json_begin_object (j, NULL);
    lp_json_string (j, "edition", e->id);
    lp_json_begin_array (j, "items");
    for (guint k = 0; e->caveats[k] != NULL; k++)
      lp_json_string (j, NULL, e->caveats[k]);
    lp_json_end_array (j);
    lp_json_end_object (j);
  }
  lp_json_end_array (j);
}

/* "services": when each class of service is back, for a row timed as a
 * critical path. */
static void
write_services (LpJson *j, const LpPlan *plan, const LpFailureResult *r)
{
  LpServiceBack back[LP_MAX_SERVICES];
  guint n = lp_failure_services (plan, r, back);

  if (n == 0)
    return;
  lp_json_begin_array (j, "services");
  for (guint k = 0; k < n; k++) {
    lp_json_begin_object (j, NULL);
    lp_json_string (j, "id", back[k].id);
    lp_json_string (j, "label", back[k].label);
    lp_json_duration (j, "back", back[k].minutes);
    lp_json_bool (j, "in_dr_scope", back[k].in_scope);
    lp_json_end_object (j);
  }
  lp_json_end_array (j);
}

static void
write_failure (LpJson *j, const LpPlan *plan, guint site, const LpFailure *f,
               const LpFailureResult *r)
{
  double rto, rpo;
  gboolean meets = lp_failure_targets (plan, site, f, r, &rto, &rpo);

  lp_json_begin_object (j, NULL);
  lp_json_string (j, "id", f->id);
  lp_json_string (j, "label", f->label);
  lp_json_string (j, "scope", lp_failure_scope_name (f->scope));
  lp_json_begin_array (j, "roles");
  for (guint k = 0; f->roles[k] != NULL; k++)
    lp_json_string (j, NULL, f->roles[k]);
  lp_json_end_array (j);
  lp_json_bool (j, "automatic", r->automatic);
  if (!r->automatic)
    lp_json_duration (j, "response", r->response);
  lp_json_duration (j, "rto", r->rto);
  lp_json_duration (j, "rpo", r->rpo);
  lp_json_duration (j, "target_rto", rto);
  lp_json_duration (j, "target_rpo", rpo);
  lp_json_bool (j, "meets", meets);
  lp_json_string (j, "effect", f->effect);
  lp_json_begin_array (j, "steps");
  for (guint i = 0; i < f->n_steps; i++) {
    if (!(r->step_applies & (1u << i)))
      continue;
    lp_json_begin_object (j, NULL);
    lp_json_string (j, "text", f->steps[i].text);
    lp_json_number (j, "minutes", r->step_minutes[i]);
    lp_json_bool (j, "restores_service", !f->steps[i].after);
    lp_json_end_object (j);
  }
  lp_json_end_array (j);
  write_services (j, plan, r);
  lp_json_string (j, "source", f->source);
  lp_json_end_object (j);
}

static void
write_resilience (LpJson *j, const LpReport *report)
{
  const LpPlan *plan = report->plan;
  const LpResilience *res = report->resilience;

  lp_json_begin_array (j, "resilience");
  for (guint i = 0; i < plan->sites->len; i++) {
    const LpPlanSite *s = &g_array_index (plan->sites, LpPlanSite, i);
    const LpCandidate *c;
    const LpSiteSizing *z = lp_plan_site_sizing (plan, i, &c);

    if (z->empty)
      continue;
    lp_json_begin_object (j, NULL);
    lp_json_string (j, "site", s->name);
    lp_json_string (j, "design", c->tmpl->id);
    lp_json_begin_array (j, "failures");
    for (guint k = 0; k < report->failures->len; k++) {
      const LpFailureResult *r = lp_site_failure (z, k);
      if (r != NULL)
        write_failure (j, plan, i, g_ptr_array_index (report->failures, k), r);
    }
    lp_json_end_array (j);
    lp_json_begin_array (j, "quorum");
    for (guint q = 0; q < res->quorum->len; q++) {
      const LpQuorumRow *row = &g_array_index (res->quorum, LpQuorumRow, q);
      if (row->pool->site != i)
        continue;
      lp_json_begin_object (j, NULL);
      lp_json_string (j, "pool", row->pool->name);
      lp_json_int (j, "servers", row->servers);
      lp_json_bool (j, "listed", row->listed);
      lp_json_int (j, "must_run", row->must_run);
      lp_json_int (j, "must_run_of_first", row->of_first);
      lp_json_int (j, "can_lose", row->can_lose);
      lp_json_int (j, "to_start", row->to_start);
      lp_json_bool (j, "flagged", row->flagged);
      lp_json_end_object (j);
    }
    lp_json_end_array (j);
    lp_json_end_object (j);
  }
  lp_json_end_array (j);
}

static void
write_data_classes (LpJson *j, const LpResilience *res)
{
  lp_json_begin_array (j, "data_classes");
  for (guint i = 0; i < res->data->len; i++) {
    const LpDataRow *d = &g_array_index (res->data, LpDataRow, i);
    lp_json_begin_object (j, NULL);
    lp_json_string (j, "id", d->data->id);
    lp_json_string (j, "label", d->data->label);
    lp_json_bool (j, "in_rpo_checks", d->data->checked);
    if (!d->data->checked)
      lp_json_duration (j, "loss", d->loss);
    lp_json_string (j, "note", d->data->note);
    lp_json_string (j, "source", d->data->source);
    lp_json_end_object (j);
  }
  lp_json_end_array (j);
}

static void
write_sla_budget (LpJson *j, const LpResilience *res)
{
  const LpSlaBudget *b = &res->sla;

  lp_json_begin_object (j, "sla_budget");
  lp_json_percent (j, "sla", b->sla, 4);
  lp_json_bool (j, "default", b->sla_default);
  lp_json_string (
    j, "convention",
    "a year of 365.25 days; a quarter of 1/4 and a month of 1/12 year; a week of 7 days");
  lp_json_begin_object (j, "allowed_downtime");
  for (guint i = 0; i < G_N_ELEMENTS (lp_sla_periods); i++)
    lp_json_duration (j, lp_sla_periods[i], b->allowed[i]);
  lp_json_end_object (j);
  if (b->modeled) {
    lp_json_duration (j, "modeled_downtime_per_year", b->modeled_year);
    lp_json_percent (j, "supported_sla", b->supported_sla, 4);
    lp_json_bool (j, "meets", b->meets);
  }
  lp_json_end_object (j);
}

static void
write_dns (LpJson *j, const LpResilience *res)
{
  lp_json_begin_object (j, "dns");
  lp_json_bool (j, "needed", res->dns_needed);
  lp_json_string (j, "sip_domain", res->sip_domain);
  lp_json_bool (j, "sip_domain_default", res->sip_domain_default);
  lp_json_begin_array (j, "sip_domains");
  for (guint i = 0; res->sip_domains[i] != NULL; i++)
    lp_json_string (j, NULL, res->sip_domains[i]);
  lp_json_end_array (j);
  lp_json_begin_array (j, "records");
  g_auto (LpDnsWalk) walk;
  lp_dns_walk_init (&walk, res);
  for (const LpDnsRecord *r; (r = lp_dns_walk_next (&walk)) != NULL;) {
    lp_json_begin_object (j, NULL);
    lp_json_string (j, "name", r->name);
    lp_json_string (j, "type", r->type);
    lp_json_string (j, "target", r->target);
    lp_json_string (j, "target_id", r->target_id);
    lp_json_string (j, "zone", r->zone);
    lp_json_string (j, "domain", r->domain);
    if (r->port)
      lp_json_int (j, "port", r->port);
    if (strcmp (r->type, "SRV") == 0) {
      lp_json_int (j, "priority", r->priority);
      lp_json_int (j, "weight", r->weight);
    }
    lp_json_string (j, "note", r->note);
    lp_json_end_object (j);
  }
  lp_json_end_array (j);
  lp_json_string (j, "statement", res->statement);
  lp_json_end_object (j);
}

/* certificates: one object per certificate, with its rule's id, label,
 * site, subject, names, issuer and note. */
static void
write_certificates (LpJson *j, const LpPlan *plan, const LpCertificates *c)
{
  lp_json_begin_array (j, "certificates");
  for (guint i = 0; i < c->certificates->len; i++) {
    const LpCertificate *cert = g_ptr_array_index (c->certificates, i);
    lp_json_begin_object (j, NULL);
    lp_json_string (j, "id", cert->rule->id);
    lp_json_string (j, "label", cert->rule->label);
    lp_json_string (j, "site", g_array_index (plan->sites, LpPlanSite, cert->site).name);
    lp_json_string (j, "node_id", cert->node->id);
    lp_json_string (j, "subject", cert->subject);
    lp_json_begin_array (j, "subject_alternative_names");
    for (guint k = 0; k < cert->names->len; k++)
      lp_json_string (j, NULL, g_ptr_array_index (cert->names, k));
    lp_json_end_array (j);
    lp_json_string (j, "issuer", cert->rule->public_ca ? "public" : "internal");
    if (cert->rule->note != NULL)
      lp_json_string (j, "note", cert->rule->note);
    lp_json_string (j, "source", cert->rule->source);
    lp_json_end_object (j);
  }
  lp_json_end_array (j);
}

/* firewall: one object per rule. */
static void
write_firewall (LpJson *j, const LpPlan *plan, const LpCertificates *c)
{
  lp_json_begin_array (j, "firewall");
  for (guint i = 0; i < c->firewall->len; i++) {
    const LpTopoFlow *f = g_ptr_array_index (c->firewall, i);
    g_autofree char *from = lp_topology_flow_end (c->topo, f, FALSE);
    g_autofree char *to = lp_topology_flow_end (c->topo, f, TRUE);
    lp_json_begin_object (j, NULL);
    lp_json_string (j, "id", f->rule->id);
    lp_json_string (j, "site", g_array_index (plan->sites, LpPlanSite, f->site).name);
    lp_json_string (j, "from", from);
    lp_json_string (j, "to", to);
    lp_json_string (j, "from_id", f->from->id);
    lp_json_string (j, "to_id", f->to->id);
    lp_json_string (j, "crosses", lp_topology_flow_crosses (f));
    lp_json_string (j, "port", f->rule->port);
    lp_json_string (j, "protocol", f->rule->protocol);
    lp_json_string (j, "purpose", f->rule->purpose);
    lp_json_string (j, "source", f->rule->source);
    lp_json_end_object (j);
  }
  lp_json_end_array (j);
}

/* vm_host_availability: the availability with host failures against the
 * same plan were no host to fail, and what one host holding more of a pool
 * than its quorum allows would add (the report's figures, lp-hosts.h). */
static void
write_vm_host_availability (LpJson *j, const LpHosts *h)
{
  lp_json_begin_object (j, "vm_host_availability");
  lp_json_percent (j, "with_host_failures", 100 * (1 - h->downtime / h->year), 4);
  lp_json_percent (j, "without_host_failures", 100 * (1 - h->downtime_no_host / h->year), 4);
  lp_json_duration (j, "host_failures_cost", h->downtime - h->downtime_no_host);
  lp_json_duration (j, "one_host_over_quorum_cost", h->one_host_minutes);
  lp_json_percent (j, "with_one_host_over_quorum",
                   100 * (1 - (h->downtime + h->one_host_minutes) / h->year), 4);
  lp_json_end_object (j);
}

/* vm_hosts: the virtualisation hosts, each with its servers by name, and
 * vm_host_availability (only when some site is virtual). */
static void
write_vm_hosts (LpJson *j, const LpPlan *plan, const LpHosts *h)
{
  if (h == NULL || h->hosts->len == 0)
    return;
  lp_json_begin_array (j, "vm_hosts");
  for (guint i = 0; i < h->hosts->len; i++) {
    const LpHost *host = g_ptr_array_index (h->hosts, i);
    lp_json_begin_object (j, NULL);
    lp_json_string (j, "name", host->name);
    lp_json_string (j, "site", g_array_index (plan->sites, LpPlanSite, host->site).name);
    lp_json_number (j, "cores", host->cores);
    lp_json_number (j, "memory_gb", host->memory_gb);
    lp_json_number (j, "cores_used", host->cores_used);
    lp_json_number (j, "memory_gb_used", host->memory_used);
    lp_json_bool (j, "spare", host->spare);
    if (h->priced)
      lp_json_number (j, "price", h->unit_price);
    lp_json_begin_array (j, "servers");
    for (guint k = 0; k < host->servers->len; k++)
      lp_json_string (j, NULL, ((const LpServer *) g_ptr_array_index (host->servers, k))->name);
    lp_json_end_array (j);
    lp_json_end_object (j);
  }
  lp_json_end_array (j);
  if (h->compared)
    write_vm_host_availability (j, h);
}

static void
string_list (LpJson *j, const char *key, const GPtrArray *names)
{
  lp_json_begin_array (j, key);
  for (guint i = 0; i < names->len; i++)
    lp_json_string (j, NULL, g_ptr_array_index (names, i));
  lp_json_end_array (j);
}

static void
node_list (LpJson *j, const char *key, const GPtrArray *nodes)
{
  lp_json_begin_array (j, key);
  for (guint i = 0; i < nodes->len; i++)
    lp_json_string (j, NULL, ((const LpTopoNode *) g_ptr_array_index (nodes, i))->id);
  lp_json_end_array (j);
}

static const char *
node_site (const LpPlan *plan, const LpTopoNode *n)
{
  return n->site >= 0 ? g_array_index (plan->sites, LpPlanSite, n->site).name : NULL;
}

/* topology: the model every network plan is a view of (lp-topology.h). */
static void
write_topology (LpJson *j, const LpReport *r)
{
  const LpPlan *plan = r->plan;
  const LpTopology *t = r->topology;
  const LpCertificates *c = r->certificates;

  lp_json_begin_object (j, "topology");
  lp_json_begin_array (j, "sip_domains");
  for (guint i = 0; t->sip_domains[i] != NULL; i++)
    lp_json_string (j, NULL, t->sip_domains[i]);
  lp_json_end_array (j);
  lp_json_begin_array (j, "pools");
  for (guint i = 0; i < t->pools->len; i++) {
    const LpTopoNode *n = g_ptr_array_index (t->pools, i);
    lp_json_begin_object (j, NULL);
    lp_json_string (j, "id", n->id);
    lp_json_string (j, "endpoint", n->endpoint->id);
    lp_json_string (j, "label", n->label);
    lp_json_string (j, "name", n->name);
    lp_json_string (j, "fqdn", n->fqdn);
    lp_json_string (j, "site", node_site (plan, n));
    lp_json_string (j, "zone", lp_zone_word (n->endpoint->zone));
    node_list (j, "members", n->members);
    lp_json_string (j, "partner", n->partner != NULL ? n->partner->id : NULL);
    lp_json_string (j, "edge", n->edge != NULL ? n->edge->id : NULL);
    lp_json_string (j, "next_hop", n->next_hop != NULL ? n->next_hop->id : NULL);
    lp_json_string (j, "web_internal", n->web_internal);
    lp_json_string (j, "web_external", n->web_external);
    node_list (j, "published_by", n->published_by);
    string_list (j, "publishes", n->publishes);
    string_list (j, "names", n->names);
    string_list (j, "external_names", n->external_names);
    lp_json_end_object (j);
  }
  lp_json_end_array (j);
  lp_json_begin_array (j, "servers");
  for (guint i = 0; i < t->servers->len; i++) {
    const LpTopoNode *n = g_ptr_array_index (t->servers, i);
    lp_json_begin_object (j, NULL);
    lp_json_string (j, "id", n->id);
    lp_json_string (j, "name", n->name);
    lp_json_string (j, "fqdn", n->fqdn);
    lp_json_string (j, "role", ((const LpRole *) g_ptr_array_index (r->roles, n->role))->id);
    lp_json_string (j, "site", node_site (plan, n));
    lp_json_string (j, "pool", n->pool != NULL ? n->pool->id : NULL);
    lp_json_end_object (j);
  }
  lp_json_end_array (j);
  lp_json_begin_array (j, "external");
  for (guint i = 0; i < t->external->len; i++) {
    const LpTopoNode *n = g_ptr_array_index (t->external, i);
    lp_json_begin_object (j, NULL);
    lp_json_string (j, "id", n->id);
    lp_json_string (j, "endpoint", n->endpoint->id);
    lp_json_string (j, "label", n->label);
    lp_json_string (j, "site", node_site (plan, n));
    lp_json_string (j, "zone", lp_zone_word (n->endpoint->zone));
    lp_json_bool (j, "customer", n->endpoint->customer);
    string_list (j, "names", n->names);
    string_list (j, "external_names", n->external_names);
    lp_json_end_object (j);
  }
  lp_json_end_array (j);
  lp_json_begin_array (j, "flows");
  for (guint i = 0; i < t->flows->len; i++) {
    const LpTopoFlow *f = g_ptr_array_index (t->flows, i);
    lp_json_begin_object (j, NULL);
    lp_json_string (j, "id", f->rule->id);
    lp_json_string (j, "from_id", f->from->id);
    lp_json_string (j, "to_id", f->to->id);
    lp_json_string (j, "port", f->rule->port);
    lp_json_string (j, "protocol", f->rule->protocol);
    lp_json_string (j, "purpose", f->rule->purpose);
    lp_json_string (j, "source", f->rule->source);
    lp_json_bool (j, "crosses_zone", f->crosses_zone);
    lp_json_bool (j, "crosses_site", f->crosses_site);
    lp_json_end_object (j);
  }
  lp_json_end_array (j);
  lp_json_begin_array (j, "publishing");
  for (guint i = 0; i < c->publishing->len; i++) {
    const LpPublishRule *p = g_ptr_array_index (c->publishing, i);
    lp_json_begin_object (j, NULL);
    lp_json_string (j, "name", p->name);
    lp_json_string (j, "proxy_id", p->proxy->id);
    lp_json_string (j, "target_id", p->target->id);
    lp_json_string (j, "certificate", p->certificate->subject);
    string_list (j, "listener_ports", p->listener);
    string_list (j, "target_ports", p->forward);
    lp_json_bool (j, "organization", p->shared);
    lp_json_end_object (j);
  }
  lp_json_end_array (j);
  lp_json_end_object (j);
}

/* The document, into @out and through it to @sink as it is built. */
static gboolean
write_document (const LpReport *r, gboolean with_trace, GString *out, LpOutput *sink,
                GError **error)
{
  const LpPlan *plan = r->plan;
  const LpResilience *res = r->resilience;
  LpJson j = { .out = out, .pretty = TRUE, .sink = sink };

  lp_json_begin_object (&j, NULL);
  lp_json_int (&j, "schema_version", LP_JSON_SCHEMA_VERSION);
  lp_json_string (&j, "lyncplan", LP_VERSION);
  lp_json_begin_object (&j, "rule_set");
  lp_json_string (&j, "id", r->rule_set_id);
  lp_json_string (&j, "product", r->product);
  lp_json_string (&j, "version", r->rule_set_version);
  lp_json_end_object (&j);
  lp_json_string (&j, "scenario", r->title);
  lp_json_string (&j, "design", lp_plan_design (plan));
  lp_json_string (&j, "edition", lp_plan_edition (plan));
  lp_json_bool (&j, "feasible", plan->feasible);
  lp_json_bool (&j, "dr_required", plan->dr);
  write_inputs (&j, r);
  lp_json_begin_object (&j, "totals");
  lp_json_int (&j, "servers", plan->servers);
  lp_json_int (&j, "appliances", plan->appliances);
  lp_json_int (&j, "reverse_proxies", plan->reverse_proxies);
  if (r->currency != NULL) {
    lp_json_number (&j, "cost", plan->cost);
    lp_json_string (&j, "currency", r->currency);
  }
  if (r->hosts != NULL && r->hosts->priced && r->hosts->hosts->len > 0) {
    lp_json_int (&j, "hosts", r->hosts->hosts->len);
    lp_json_number (&j, "hosts_cost", r->hosts->cost);
    lp_json_number (&j, "cost_with_hosts", plan->cost + r->hosts->cost);
  }
  lp_json_end_object (&j);
  lp_json_begin_array (&j, "sites");
  for (guint i = 0; i < plan->sites->len; i++)
    write_site (&j, r, i);
  lp_json_end_array (&j);
  write_storage (&j, r);
  write_pools (&j, r);
  write_vm_hosts (&j, plan, r->hosts);
  lp_json_begin_array (&j, "groups");
  for (guint i = 0; i < plan->groups->len; i++)
    write_group (&j, r, i);
  lp_json_end_array (&j);
  write_resilience (&j, r);
  write_data_classes (&j, res);
  write_sla_budget (&j, res);
  write_topology (&j, r);
  write_dns (&j, res);
  write_certificates (&j, plan, r->certificates);
  write_firewall (&j, plan, r->certificates);
  write_caveats (&j, r);
  if (with_trace && r->trace != NULL) {
    lp_json_begin_array (&j, "trace");
    for (guint i = 0; i < r->trace->len; i++)
      lp_json_string (&j, NULL, g_ptr_array_index (r->trace, i));
    lp_json_end_array (&j);
  }
  lp_json_end_object (&j);
  g_string_append_c (out, '\n');
  return lp_json_finish (&j, error);
}

/* Written as it is built: a plan of 10,000 sites never holds its whole
 * JSON (hundreds of megabytes) in memory, at most LP_JSON_CHUNK bytes. */
gboolean
lp_write_json (const LpReport *r, const LpWriteOptions *o, LpOutput *out, GError **error)
{
  g_autoptr (GString) doc = g_string_sized_new (LP_JSON_CHUNK + 4096);

  return write_document (r, o->with_trace, doc, out, error);
}
