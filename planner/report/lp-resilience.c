/* lp-resilience.c: quorum, SLA budget and DNS plan; see lp-resilience.h. */
#include "lp-resilience.h"

#include "lp-text.h"
#include "lp-units.h"

#include <math.h>
#include <string.h>

/* Calendar facts, not product figures. */
#define LP_MINUTES_PER_WEEK (7.0 * 24 * 60)

const char *const lp_sla_periods[4] = { "year", "quarter", "month", "week" };
const char *const lp_avail_class_names[LP_AVAIL_N_CLASSES] = { "internal", "remote" };

static void
contributor_free (gpointer p)
{
  LpAvailContributor *c = p;
  g_free (c->component);
  g_free (c);
}

static void
group_availability_clear (gpointer p)
{
  LpGroupAvailability *ga = p;
  for (guint u = 0; u < LP_AVAIL_N_CLASSES; u++)
    g_clear_pointer (&ga->classes[u].contributors, g_ptr_array_unref);
}

void
lp_resilience_free (LpResilience *res)
{
  if (res == NULL)
    return;
  g_array_unref (res->quorum);
  g_ptr_array_unref (res->srv);
  if (res->domain_index != NULL)
    g_hash_table_unref (res->domain_index);
  if (res->texts != NULL)
    g_string_chunk_free (res->texts);
  g_array_unref (res->data);
  g_strfreev (res->sip_domains);
  g_array_unref (res->availability);
  lp_arena_free (res->arena);
  g_free (res);
}

gboolean
lp_failure_targets (const LpPlan *plan, guint site, const LpFailure *f, const LpFailureResult *r,
                    double *rto, double *rpo)
{
  gboolean whole = f->scope == LP_FAILURE_SITE;
  guint group = g_array_index (plan->sites, LpPlanSite, site).group;

  /* no target: a planned operation is done when the administrators choose;
   * a site planned without DR has none for its loss */
  if (f->scope == LP_FAILURE_PLANNED ||
      (whole && !g_array_index (plan->groups, LpGroup, group).dr)) {
    *rto = *rpo = INFINITY;
    return TRUE;
  }
  *rto = lp_plan_group_value (plan, group, whole ? "dr-rto" : "rto");
  *rpo = lp_plan_group_value (plan, group, whole ? "dr-rpo" : "rpo");
  return r->rto <= *rto && r->rpo <= *rpo;
}

/* The number the report gives step @i: its place among the steps that apply. */
static guint
shown_number (const LpFailureResult *r, guint i)
{
  guint n = 0;

  for (guint j = 0; j <= i; j++)
    n += (r->step_applies >> j) & 1u;
  return n;
}

/* The end of step @i, minutes after the response, as the engine times it: a
 * step that does not apply or follows after service passes its start on. */
static double
step_end (const LpFailure *f, const LpFailureResult *r, guint i)
{
  gboolean counted = (r->step_applies & (1u << i)) && !f->steps[i].after;

  return counted ? r->step_end[i] - r->response : 0;
}

/* The step before @i on the critical path: the step it needs that ends last
 * (or the step before it), or -1. */
static gint
critical_before (const LpFailure *f, const LpFailureResult *r, guint i, const double *end)
{
  gint best = -1;

  if (!f->steps[i].has_needs)
    return (gint) i - 1;
  for (guint j = 0; j < i; j++)
    if ((f->steps[i].needs & (1u << j)) && (best < 0 || end[j] > end[best]))
      best = (gint) j;
  return best;
}

/* Appends the critical path of a row whose steps restore service classes:
 * the steps whose minutes make its RTO, earliest first. */
static void
append_critical_path (GString *s, const LpFailure *f, const LpFailureResult *r)
{
  double end[LP_FAILURE_MAX_STEPS];
  gint last = -1;
  guint path[LP_FAILURE_MAX_STEPS], n = 0;

  for (guint i = 0; i < f->n_steps; i++) {
    gint before = critical_before (f, r, i, end);
    end[i] = MAX (before >= 0 ? end[before] : 0, step_end (f, r, i));
    if ((r->step_applies & (1u << i)) && !f->steps[i].after &&
        (f->steps[i].restores & r->services_scoped) && fabs (r->step_end[i] - r->rto) < 1e-9)
      last = (gint) i;
  }
  for (gint i = last; i >= 0; i = critical_before (f, r, (guint) i, end))
    if ((r->step_applies & (1u << i)) && !f->steps[i].after && r->step_minutes[i] > 0)
      path[n++] = (guint) i;
  while (n-- > 0) {
    g_autofree char *m = lp_format_duration (r->step_minutes[path[n]]);
    g_string_append_printf (s, " + %s (step %u)", m, shown_number (r, path[n]));
  }
}

/* "sign-in, voice back at 55m (dr-scope); Response Groups at 1h10m" */
static void
append_services (GString *s, const LpPlan *plan, const LpFailureResult *r)
{
  for (guint pass = 0; pass < 2; pass++) {
    const char *sep = pass == 0 ? "; back: " : "; outside dr-scope: ";
    for (guint k = 0; k < plan->rs->services->len; k++) {
      const LpService *sv = g_ptr_array_index (plan->rs->services, k);
      g_autofree char *at = NULL;
      if (!(r->services_back & (1u << k)) || ((r->services_scoped >> k) & 1u) != (pass == 0))
        continue;
      at = lp_format_duration (r->service_back[k]);
      g_string_append_printf (s, "%s%s %s", sep, sv->label, at);
      sep = ", ";
    }
  }
}

char *
lp_failure_sum_text (const LpPlan *plan, const LpFailure *f, const LpFailureResult *r)
{
  GString *s = g_string_new (NULL);
  const char *sep = " = ";
  g_autofree char *total = lp_format_duration (r->rto);

  g_string_append (s, total);
  if (!r->automatic && f->scope != LP_FAILURE_PLANNED) {
    g_autofree char *response = lp_format_duration (r->response);
    g_string_append_printf (s, " = response %s", response);
    sep = " + ";
  }
  if (r->services_scoped != 0) {
    append_critical_path (s, f, r);
    g_string_append (s, ", the steps of the critical path; the others run alongside");
    append_services (s, plan, r);
    return g_string_free (s, FALSE);
  }
  for (guint i = 0; i < f->n_steps; i++) {
    g_autofree char *m = NULL;
    if (!(r->step_applies & (1u << i)) || f->steps[i].after)
      continue;
    m = lp_format_duration (r->step_minutes[i]);
    g_string_append_printf (s, "%s%s", sep, m);
    sep = " + ";
  }
  if (strcmp (sep, " = ") == 0)
    g_string_append (s, ": no step needed");
  if (r->services_back != 0)
    append_services (s, plan, r);
  return g_string_free (s, FALSE);
}

guint
lp_failure_services (const LpPlan *plan, const LpFailureResult *r, LpServiceBack *out)
{
  guint n = 0;

  for (guint k = 0; k < plan->rs->services->len; k++) {
    const LpService *sv = g_ptr_array_index (plan->rs->services, k);
    if (!(r->services_back & (1u << k)))
      continue;
    out[n].id = sv->id;
    out[n].label = sv->label;
    out[n].minutes = r->service_back[k];
    out[n++].in_scope = (r->services_scoped >> k) & 1u;
  }
  return n;
}

char *
lp_failure_step_text (const LpFailure *f, const LpFailureResult *r, guint i)
{
  g_autofree char *m = lp_format_duration (r->step_minutes[i]);
  g_autofree char *at = NULL;

  if (f->timed_services && !f->steps[i].after) {
    at = lp_format_duration (r->step_end[i]);
    return g_strdup_printf ("(%s, done at %s) %s", m, at, f->steps[i].text);
  }
  return g_strdup_printf ("(%s%s) %s", f->steps[i].after ? "after service is back, " : "", m,
                          f->steps[i].text);
}

/* ---- data classes ---- */

/* The [data] classes that apply, their losses over the scenario's values
 * (the rule set's defaults, the scenario's settings, dr). */
static void
data_classes (LpResilience *res, const LpPlan *plan)
{
  const LpRuleset *rs = plan->rs;
  g_autofree double *env = g_memdup2 (rs->defaults, lp_symtab_size (rs->symtab) * sizeof (double));

  for (guint i = 0; i < plan->sc->settings->len; i++) {
    const LpSetting *set = g_ptr_array_index (plan->sc->settings, i);
    env[set->slot] = set->value;
  }
  env[rs->slots.dr] = plan->dr;
  for (guint k = 0; k < rs->data_classes->len; k++) {
    LpDataRow row = { .data = g_ptr_array_index (rs->data_classes, k) };
    if (row.data->applies != NULL && lp_expr_eval (row.data->applies, env) == 0)
      continue;
    row.loss = row.data->loss != NULL ? lp_expr_eval (row.data->loss, env) : 0;
    g_array_append_val (res->data, row);
  }
}

/* ---- quorum ---- */

static void
add_quorum (LpResilience *res, const LpPlan *plan, const LpPool *pool)
{
  const LpQuorum *q = &plan->rs->quorum;
  LpQuorumRow row = { .pool = pool, .servers = (guint) pool->servers };

  row.listed = row.servers <= LP_QUORUM_MAX && q->must_run[row.servers] > 0;
  if (row.listed) {
    guint span = q->must_run_of_first[row.servers] ? q->must_run_of_first[row.servers]
                                                   : row.servers;
    row.must_run = q->must_run[row.servers];
    row.of_first = q->must_run_of_first[row.servers];
    row.to_start = q->to_start[row.servers];
    row.can_lose = span - row.must_run;
  }
  row.flagged = !row.listed || row.can_lose < 1;
  g_array_append_val (res->quorum, row);
}

/* ---- SLA budget ---- */

static void
sla_budget (LpResilience *res, const LpPlan *plan)
{
  LpSlaBudget *b = &res->sla;
  double year = lp_plan_value (plan, "minutes-per-year");
  double share;

  b->sla = lp_plan_value (plan, "sla");
  b->sla_default = lp_scenario_find_setting (plan->sc, "sla") == NULL;
  share = (100 - b->sla) / 100;
  b->allowed[0] = share * year;
  b->allowed[1] = share * year / 4;
  b->allowed[2] = share * year / 12;
  b->allowed[3] = share * LP_MINUTES_PER_WEEK;
  /* the modeled figure is the sla check's own result, so they agree */
  b->supported_sla = 100;
  for (guint k = 0; k < plan->rs->checks->len; k++) {
    const LpCheck *check = g_ptr_array_index (plan->rs->checks, k);
    if (strcmp (check->id, "sla") != 0)
      continue;
    for (guint g = 0; g < plan->groups->len; g++) {
      const LpCheckResult *r = &lp_plan_group_choice (plan, g)->checks[k];
      if (r->applies) {
        b->modeled = TRUE;
        b->supported_sla = MIN (b->supported_sla, r->achieved);
      }
    }
  }
  b->modeled_year = (100 - b->supported_sla) / 100 * year;
  b->meets = b->supported_sla >= b->sla - 1e-9;
}

/* ---- availability: the downtime budget of each group ---- */

static gint
by_minutes (gconstpointer a, gconstpointer b)
{
  const LpAvailContributor *x = *(LpAvailContributor *const *) a;
  const LpAvailContributor *y = *(LpAvailContributor *const *) b;

  return x->minutes > y->minutes ? -1 : x->minutes < y->minutes; /* g_ptr_array_sort is stable */
}

/* The contributors of @z for @user_class, largest first. */
static void
avail_class (LpAvailClass *out, const LpCandidate *c, const LpSiteSizing *z, guint site,
             guint user_class, double year)
{
  const GPtrArray *rules = c->tmpl->availability;

  out->site = site;
  out->downtime = z->downtime[user_class == LP_AVAIL_INTERNAL ? 0 : 1];
  out->percent = MAX (0, 100 * (1 - out->downtime / year));
  out->never = out->downtime >= year;
  out->contributors = g_ptr_array_new_with_free_func (contributor_free);
  for (guint k = 0; k < rules->len; k++) {
    const LpAvailComponent *comp = &z->avail[k];
    if (!comp->applies || (comp->users & user_class) == 0)
      continue;
    for (guint part = 0; part < LP_AVAIL_N_PARTS; part++) {
      LpAvailContributor *a;
      if (comp->minutes[part] <= 0)
        continue;
      a = g_new0 (LpAvailContributor, 1);
      a->component = lp_availability_part_label (g_ptr_array_index (rules, k), comp, part);
      a->minutes = comp->minutes[part];
      a->planned = part == LP_AVAIL_PLANNED;
      a->counted = !a->planned || z->planned_counted;
      a->cut = lp_availability_part_cut (g_ptr_array_index (rules, k), comp, part);
      g_ptr_array_add (out->contributors, a);
    }
  }
  g_ptr_array_sort (out->contributors, by_minutes);
}

static void
availability (LpResilience *res, const LpPlan *plan)
{
  double year = lp_plan_value (plan, "minutes-per-year");

  res->availability = g_array_new (FALSE, TRUE, sizeof (LpGroupAvailability));
  g_array_set_clear_func (res->availability, group_availability_clear);
  if (plan->rs->avail_year == NULL)
    return;
  for (guint g = 0; g < plan->groups->len; g++) {
    const LpGroup *group = &g_array_index (plan->groups, LpGroup, g);
    const LpCandidate *c = lp_plan_group_choice (plan, g);
    LpGroupAvailability ga = { .group = g };
    gint worst[LP_AVAIL_N_CLASSES] = { -1, -1 };
    for (guint i = 0; i < group->n_sites; i++) {
      const LpSiteSizing *z = &c->sites[i];
      for (guint u = 0; u < LP_AVAIL_N_CLASSES && !z->empty && z->avail != NULL; u++)
        if (worst[u] < 0 || z->downtime[u] > c->sites[worst[u]].downtime[u])
          worst[u] = (gint) i;
    }
    if (worst[0] < 0)
      continue;
    res->planned_counted = c->sites[worst[0]].planned_counted;
    for (guint u = 0; u < LP_AVAIL_N_CLASSES; u++)
      avail_class (&ga.classes[u], c, &c->sites[worst[u]], group->sites[worst[u]],
                   u == 0 ? LP_AVAIL_INTERNAL : LP_AVAIL_REMOTE, year);
    g_array_append_val (res->availability, ga);
  }
}

/* ---- DNS plan ---- */

static const char *
dns_name (const LpPlan *plan, const char *key)
{
  const char *v = g_hash_table_lookup (plan->rs->dns, key);
  return v != NULL ? v : "";
}

/* The SRV priority of a site's records: sites with users first, warm
 * standby sites after. */
static guint
srv_priority (const LpPlan *plan, const LpPlanSite *s)
{
  const LpDnsNumbers *n = &plan->rs->dns_numbers;
  return s->users > 0 ? n->srv_priority_active : n->srv_priority_standby;
}

/* @text (nullable, taken) kept once in the texts. */
static const char *
keep (LpResilience *res, char *text)
{
  const char *kept = text != NULL ? g_string_chunk_insert_const (res->texts, text) : NULL;
  g_free (text);
  return kept;
}

/* A record of @name and @target (each nullable, the model's or kept) and
 * @note (nullable, taken and kept). */
static LpDnsRecord *
new_record (LpResilience *res, const char *type, const char *name, const char *target, char *note)
{
  LpDnsRecord *r = lp_arena_new0 (res->arena, LpDnsRecord);

  r->type = type;
  r->name = name;
  r->target = target;
  r->note = keep (res, note);
  g_ptr_array_add (res->srv, r);
  return r;
}

/* A record of @name, @target and @note (each nullable, taken and kept in
 * the texts). */
static LpDnsRecord *
add_record (LpResilience *res, const char *type, char *name, char *target, char *note)
{
  return new_record (res, type, keep (res, name), keep (res, target), note);
}

/* The weights of the records of priority @p: shares of the weight total in
 * proportion to @users (equal shares when no record has users), rounded so
 * that they add up to the total exactly: each gets the whole part of its
 * share, the largest remainders one more each (the earlier record on a tie). */
static void
weigh_priority (GPtrArray *records, guint first, const double *users, guint p, guint total_weight)
{
  g_autofree double *rest = g_new0 (double, records->len - first + 1);
  double total = 0;
  guint n = 0, given = 0;

  for (guint i = first; i < records->len; i++) {
    if (((LpDnsRecord *) g_ptr_array_index (records, i))->priority == p) {
      total += users[i - first];
      n++;
    }
  }
  if (n == 0)
    return;
  for (guint i = first; i < records->len; i++) {
    LpDnsRecord *r = g_ptr_array_index (records, i);
    double share = total > 0 ? total_weight * users[i - first] / total
                             : (double) total_weight / MAX (n, 1);
    rest[i - first] = -1;
    if (r->priority != p)
      continue;
    r->weight = (guint) floor (share + 1e-9);
    rest[i - first] = share - r->weight;
    given += r->weight;
  }
  for (; given < total_weight; given++) {
    guint pick = 0;
    for (guint i = 1; i < records->len - first; i++)
      pick = rest[i] > rest[pick] ? i : pick;
    if (rest[pick] < 0)
      break;
    rest[pick] = -1;
    ((LpDnsRecord *) g_ptr_array_index (records, first + pick))->weight++;
  }
}

/* SRV weights: each record's share of the users behind its priority. */
static void
weigh (const LpPlan *plan, GPtrArray *records, guint first, const double *users)
{
  const LpDnsNumbers *numbers = &plan->rs->dns_numbers;

  weigh_priority (records, first, users, numbers->srv_priority_active, numbers->srv_weight_total);
  weigh_priority (records, first, users, numbers->srv_priority_standby, numbers->srv_weight_total);
}

/* The place + 1 in sip_domains of the first SIP domain @name is in (a
 * name under it), or 0. One look-up per label of @name, not a comparison
 * per domain: 10,000 domains made the DNS plan quadratic. */
static guint
domain_place (const LpResilience *res, const char *name)
{
  guint best = 0;

  for (const char *dot = strchr (name, '.'); dot != NULL; dot = strchr (dot + 1, '.')) {
    guint place = GPOINTER_TO_UINT (g_hash_table_lookup (res->domain_index, dot + 1));
    if (place != 0 && (best == 0 || place < best))
      best = place;
  }
  return best;
}

/* Notes @name as the first of @first's in each SIP domain it is under,
 * where no name came before it. */
static void
note_name (GHashTable *first, const LpResilience *res, const char *name)
{
  for (const char *dot = strchr (name, '.'); dot != NULL; dot = strchr (dot + 1, '.')) {
    gpointer place = g_hash_table_lookup (res->domain_index, dot + 1);
    if (place != NULL && !g_hash_table_contains (first, place))
      g_hash_table_insert (first, place, (gpointer) name);
  }
}

/* @node's first name in @domain's zone: an external one (@external) or
 * an internal one (its FQDN first), or NULL. Each node's names are sorted
 * by domain once, on its first question. */
static const char *
name_in_domain (LpResilience *res, const LpTopoNode *node, const char *domain, gboolean external)
{
  GHashTable *first = g_hash_table_lookup (res->names_in[external], node);
  const GPtrArray *names = external ? node->external_names : node->names;

  if (first == NULL) {
    first = g_hash_table_new (g_direct_hash, g_direct_equal);
    if (!external && node->fqdn != NULL)
      note_name (first, res, node->fqdn);
    for (guint i = 0; i < names->len; i++)
      note_name (first, res, g_ptr_array_index (names, i));
    g_hash_table_insert (res->names_in[external], (gpointer) node, first);
  }
  return g_hash_table_lookup (first, g_hash_table_lookup (res->domain_index, domain));
}

static const char *
domain_of (const LpResilience *res, const char *name)
{
  guint place = domain_place (res, name);
  return res->sip_domains[place > 0 ? place - 1 : 0];
}

static GPtrArray *
edge_nodes (const LpTopology *t)
{
  return t->edge_endpoint >= 0 ? t->by_endpoint[t->edge_endpoint] : NULL;
}

/* _sip._tls: one record for each Edge pool, at its Access Edge's name in
 * the SRV's own domain. */
static void
external_srv (LpResilience *res, const LpPlan *plan, const LpTopology *t, const char *zone)
{
  g_autoptr (GArray) users = g_array_new (FALSE, TRUE, sizeof (double));
  guint first = res->srv->len;
  GPtrArray *edges = edge_nodes (t);

  for (guint i = 0; edges != NULL && i < edges->len; i++) {
    const LpTopoNode *n = g_ptr_array_index (edges, i);
    const LpPlanSite *s = &g_array_index (plan->sites, LpPlanSite, n->site);
    const char *target = name_in_domain (res, n, zone, TRUE);
    LpDnsRecord *r;
    double u = (double) s->users;

    if (target == NULL)
      continue;
    r = add_record (res, "SRV",
                    g_strdup_printf ("%s.%s", dns_name (plan, "sip-external-srv"), zone),
                    g_strdup (target), g_strdup_printf ("the Access Edge of site %s", s->name));
    r->target_id = n->id;
    r->zone = "external";
    r->domain = zone;
    r->port = plan->rs->dns_numbers.sip_external_port;
    r->priority = srv_priority (plan, s);
    g_array_append_val (users, u);
  }
  weigh (plan, res->srv, first, (double *) (gpointer) users->data);
}

/* Federation: one SRV record, for the Edge pool of the federation route (the
 * first site with Edge servers and users; Microsoft allows one route). */
static void
federation_srv (LpResilience *res, const LpPlan *plan, const LpTopology *t, const char *zone)
{
  const LpTopoNode *route = NULL;
  GPtrArray *edges = edge_nodes (t);

  for (guint i = 0; edges != NULL && i < edges->len; i++) {
    const LpTopoNode *n = g_ptr_array_index (edges, i);
    if (route == NULL || (g_array_index (plan->sites, LpPlanSite, n->site).users > 0 &&
                          g_array_index (plan->sites, LpPlanSite, route->site).users == 0))
      route = n;
  }
  if (route != NULL && name_in_domain (res, route, zone, TRUE) != NULL) {
    const LpPlanSite *s = &g_array_index (plan->sites, LpPlanSite, route->site);
    LpDnsRecord *r = add_record (
      res, "SRV", g_strdup_printf ("%s.%s", dns_name (plan, "sip-federation-srv"), zone),
      g_strdup (name_in_domain (res, route, zone, TRUE)),
      g_strdup_printf (
        "federation: the Access Edge of site %s, the federation route (one for the organization; moved by hand if that site is lost)",
        s->name));
    r->target_id = route->id;
    r->zone = "external";
    r->domain = zone;
    r->port = plan->rs->dns_numbers.sip_federation_port;
    r->priority = plan->rs->dns_numbers.srv_priority_active;
    r->weight = plan->rs->dns_numbers.srv_weight_total;
  }
}

/* _sipinternaltls: one record for each registrar pool, at its name in the
 * SRV's own domain (the pool's name, or its sip.<domain> in another
 * domain: a target named twice is one record, its users added up). */
static void
internal_srv (LpResilience *res, const LpPlan *plan, const LpTopology *t, const char *zone)
{
  g_autoptr (GArray) users = g_array_new (FALSE, TRUE, sizeof (double));
  g_autoptr (GHashTable) by_target = g_hash_table_new (g_str_hash, g_str_equal);
  guint first = res->srv->len;

  for (guint i = 0; i < t->pools->len; i++) {
    const LpTopoNode *n = g_ptr_array_index (t->pools, i);
    const LpPlanSite *s;
    const char *target;
    gpointer at;
    LpDnsRecord *r;

    if (n->pool_row == NULL || (target = name_in_domain (res, n, zone, FALSE)) == NULL)
      continue;
    s = &g_array_index (plan->sites, LpPlanSite, n->site);
    if (g_hash_table_lookup_extended (by_target, target, NULL, &at)) {
      g_array_index (users, double, GPOINTER_TO_UINT (at)) += n->pool_row->users;
      continue;
    }
    g_hash_table_insert (by_target, (gpointer) target, GUINT_TO_POINTER (users->len));
    r = add_record (res, "SRV",
                    g_strdup_printf ("%s.%s", dns_name (plan, "sip-internal-srv"), zone),
                    g_strdup (target),
                    g_strdup_printf (strcmp (target, n->fqdn ? n->fqdn : "") == 0
                                       ? "registrar pool at site %s"
                                       : "the registrar pools (first at site %s)",
                                     s->name));
    r->target_id = n->id;
    r->zone = "internal";
    r->domain = zone;
    r->port = plan->rs->dns_numbers.sip_internal_port;
    r->priority = srv_priority (plan, s);
    g_array_append_val (users, n->pool_row->users);
  }
  weigh (plan, res->srv, first, (double *) (gpointer) users->data);
}

/* @text (taken) held by the walk until its next name. */
static const char *
walk_text (LpDnsWalk *w, char *text)
{
  g_ptr_array_add (w->texts, text);
  return text;
}

/* An address record of @name (the model's, in SIP domain @domain) for
 * @target, shown as @target_text, with @note (both the model's, constant or
 * the walk's). */
static void
a_record (LpDnsWalk *w, const char *type, const char *name, const char *domain, const char *zone,
          const LpTopoNode *target, const char *target_text, const char *note)
{
  LpDnsRecord r = { .type = type, .name = name, .target = target_text, .note = note };

  r.target_id = target->id;
  r.zone = zone;
  r.domain = domain;
  g_array_append_val (w->batch, r);
}

/* The A records of @n's name in internal or external DNS. */
static void
a_records (LpDnsWalk *w, const LpTopoName *n, gboolean external)
{
  const LpResilience *res = w->res;
  const LpPlan *plan = res->plan;
  const char *zone = external ? "external" : "internal";
  const char *domain = domain_of (res, n->name);

  for (guint k = 0; k < n->nodes[external]->len; k++) {
    const LpTopoNode *node = g_ptr_array_index (n->nodes[external], k);
    gboolean web_ext = node->web_external != NULL &&
                       g_ascii_strcasecmp (node->web_external, n->name) == 0;
    gboolean ext_name = external && !web_ext;
    const LpEndpointRule *ep = node->endpoint;

    if (node->kind == LP_TOPO_SERVER) {
      if (!external)
        a_record (w, "A", n->name, domain, zone, node, node->name, "the server's address");
      continue;
    }
    if (external && (web_ext || (ep != NULL && ep->zone == LP_ZONE_INTERNAL))) {
      /* published by reverse proxies: theirs, GeoDNS when several answer;
       * an organization's name (meet, lyncdiscover) by every one */
      const GPtrArray *rps = web_ext ? node->published_by
                             : res->topo->publish_endpoint >= 0
                               ? res->topo->by_endpoint[res->topo->publish_endpoint]
                               : NULL;
      const char *note = rps != NULL && rps->len > 1
                           ? walk_text (w, g_strdup_printf ("published by the reverse proxies of "
                                                            "%u sites: GeoDNS answers the nearest "
                                                            "that is up",
                                                            rps->len))
                           : "published by the reverse proxy";
      for (guint i = 0; rps != NULL && i < rps->len; i++) {
        const LpTopoNode *rp = g_ptr_array_index (rps, i);
        const char *site = g_array_index (plan->sites, LpPlanSite, rp->site).name;
        a_record (w, rps->len > 1 ? "GeoDNS" : "A", n->name, domain, zone, rp,
                  walk_text (w, g_strdup_printf ("%s at %s", rp->label, site)), note);
      }
      continue;
    }
    if (!external && node->web_internal != NULL &&
        g_ascii_strcasecmp (node->web_internal, n->name) == 0) {
      a_record (w, "A", n->name, domain, zone, node,
                walk_text (w,
                           g_strdup_printf ("the web services' load balancer of %s", node->name)),
                "internal web services: the hardware load balancer's virtual address");
      continue;
    }
    if (node->members->len > 0) {
      const char *note =
        walk_text (w, g_strconcat (ext_name ? "the external interface of " : "", node->label,
                                   node->members->len > 1
                                     ? ": one record for each server (DNS load balancing)"
                                     : "",
                                   NULL));
      for (guint i = 0; i < node->members->len; i++) {
        const LpTopoNode *s = g_ptr_array_index (node->members, i);
        a_record (w, "A", n->name, domain, zone, s, s->name, note);
      }
      continue;
    }
    a_record (w, "A", n->name, domain, zone, node, node->label, "");
  }
}

void
lp_dns_walk_init (LpDnsWalk *w, const LpResilience *res)
{
  *w = (LpDnsWalk){ .res = res };
  w->batch = g_array_new (FALSE, FALSE, sizeof (LpDnsRecord));
  w->texts = g_ptr_array_new_with_free_func (g_free);
}

const LpDnsRecord *
lp_dns_walk_next (LpDnsWalk *w)
{
  const LpTopology *t = w->res->topo;

  if (w->srv < w->res->srv->len)
    return g_ptr_array_index (w->res->srv, w->srv++);
  while (w->next >= w->batch->len) {
    const LpTopoName *n;
    if (w->name >= t->names->len) {
      if (w->zone == 1)
        return NULL;
      w->zone = 1;
      w->name = 0;
      continue;
    }
    n = g_ptr_array_index (t->names, w->name++);
    g_array_set_size (w->batch, 0);
    w->next = 0;
    g_ptr_array_set_size (w->texts, 0);
    if (w->zone == 0 ? n->internal : n->external)
      a_records (w, n, w->zone == 1);
  }
  return &g_array_index (w->batch, LpDnsRecord, w->next++);
}

void
lp_dns_walk_clear (LpDnsWalk *w)
{
  g_clear_pointer (&w->batch, g_array_unref);
  g_clear_pointer (&w->texts, g_ptr_array_unref);
}

LpResilience *
lp_resilience_new (const LpPlan *plan, const LpInventory *inv, const LpTopology *topo)
{
  LpResilience *res = g_new0 (LpResilience, 1);

  res->topo = topo;
  res->quorum = g_array_new (FALSE, TRUE, sizeof (LpQuorumRow));
  res->plan = plan;
  res->srv = g_ptr_array_new ();
  res->arena = lp_arena_new (64 * 1024);
  res->texts = g_string_chunk_new (4096);
  res->data = g_array_new (FALSE, TRUE, sizeof (LpDataRow));
  data_classes (res, plan);
  for (guint i = 0; i < inv->pools->len; i++) {
    const LpPool *pool = g_ptr_array_index (inv->pools, i);
    const LpCandidate *c =
      lp_plan_group_choice (plan, g_array_index (plan->sites, LpPlanSite, pool->site).group);
    if (c->tmpl->pools.count != NULL) /* pools of several servers: Enterprise Edition */
      add_quorum (res, plan, pool);
  }
  sla_budget (res, plan);
  res->sip_domains = g_strdupv (topo->sip_domains);
  res->sip_domain = res->sip_domains[0];
  res->domain_index = g_hash_table_new (lp_ascii_case_hash, lp_ascii_case_equal);
  for (guint i = 0; res->sip_domains[i] != NULL; i++)
    if (!g_hash_table_contains (res->domain_index, res->sip_domains[i]))
      g_hash_table_insert (res->domain_index, res->sip_domains[i], GUINT_TO_POINTER (i + 1));
  for (guint k = 0; k < 2; k++)
    res->names_in[k] = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                              (GDestroyNotify) g_hash_table_unref);
  availability (res, plan);
  res->sip_domain_default = plan->sc->sip_domain == NULL;
  res->statement = dns_name (plan, "statement");
  for (guint i = 0; res->sip_domains[i] != NULL; i++)
    external_srv (res, plan, topo, res->sip_domains[i]);
  for (guint i = 0; res->sip_domains[i] != NULL; i++)
    federation_srv (res, plan, topo, res->sip_domains[i]);
  for (guint i = 0; res->sip_domains[i] != NULL; i++)
    internal_srv (res, plan, topo, res->sip_domains[i]);
  {
    g_auto (LpDnsWalk) w;
    lp_dns_walk_init (&w, res);
    res->dns_needed = lp_dns_walk_next (&w) != NULL;
  }
  for (guint k = 0; k < 2; k++)
    g_clear_pointer (&res->names_in[k], g_hash_table_unref);
  return res;
}
