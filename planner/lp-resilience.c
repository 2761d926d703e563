/* lp-resilience.c: quorum, SLA budget and DNS plan; see lp-resilience.h. */
#include "lp-resilience.h"

#include <math.h>
#include <string.h>

/* A placeholder the DNS plan marks as a default until the scenario names its
 * domain (example.com is reserved for examples, RFC 2606). */
#define LP_DEFAULT_SIP_DOMAIN "example.com"
/* Calendar facts, not product figures. */
#define LP_MINUTES_PER_WEEK (7.0 * 24 * 60)

const char *const lp_sla_periods[4] = { "year", "quarter", "month", "week" };

static void
record_free (gpointer p)
{
  LpDnsRecord *r = p;
  g_free (r->name);
  g_free (r->target);
  g_free (r->note);
  g_free (r);
}

void
lp_resilience_free (LpResilience *res)
{
  if (res == NULL)
    return;
  g_array_unref (res->quorum);
  g_ptr_array_unref (res->records);
  g_free (res);
}

gboolean
lp_failure_targets (const LpPlan *plan, const LpFailure *f, const LpFailureResult *r, double *rto,
                    double *rpo)
{
  gboolean site = f->scope == LP_FAILURE_SITE;

  *rto = lp_plan_value (plan, site ? "dr-rto" : "rto");
  *rpo = lp_plan_value (plan, site ? "dr-rpo" : "rpo");
  return r->rto <= *rto && r->rpo <= *rpo;
}

/* ---- quorum ---- */

static void
add_quorum (LpResilience *res, const LpPlan *plan, const LpPool *pool)
{
  const LpQuorum *q = &plan->rs->quorum;
  LpQuorumRow row = { .pool = pool, .servers = (guint) pool->servers };

  row.listed = row.servers <= LP_QUORUM_MAX && q->must_run[row.servers] > 0;
  if (row.listed) {
    guint span = q->must_run_of_first[row.servers] ? q->must_run_of_first[row.servers] : row.servers;
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

static LpDnsRecord *
add_record (LpResilience *res, const char *type, char *name, char *target, char *note)
{
  LpDnsRecord *r = g_new0 (LpDnsRecord, 1);

  r->type = type;
  r->name = name;
  r->target = target;
  r->note = note;
  g_ptr_array_add (res->records, r);
  return r;
}

/* SRV weights: each record's share of the users behind its priority. */
static void
weigh (const LpPlan *plan, GPtrArray *records, guint first, const double *users)
{
  const LpDnsNumbers *numbers = &plan->rs->dns_numbers;
  const guint priorities[] = { numbers->srv_priority_active, numbers->srv_priority_standby };
  const double share = numbers->srv_weight_total;

  for (guint k = 0; k < G_N_ELEMENTS (priorities); k++) {
    guint p = priorities[k];
    double total = 0;
    guint n = 0;
    for (guint i = first; i < records->len; i++) {
      LpDnsRecord *r = g_ptr_array_index (records, i);
      if (r->priority == p) {
        total += users[i - first];
        n++;
      }
    }
    for (guint i = first; i < records->len; i++) {
      LpDnsRecord *r = g_ptr_array_index (records, i);
      if (r->priority == p)
        r->weight = total > 0 ? MAX (1, (guint) lround (share * users[i - first] / total))
                              : numbers->srv_weight_total / MAX (n, 1);
    }
  }
}

static void
external_srv (LpResilience *res, const LpPlan *plan)
{
  g_autoptr (GArray) users = g_array_new (FALSE, TRUE, sizeof (double));
  guint first = res->records->len;

  for (guint i = 0; i < plan->sites->len; i++) {
    const LpPlanSite *s = &g_array_index (plan->sites, LpPlanSite, i);
    const LpSiteSizing *z = lp_plan_site_sizing (plan, i, NULL);
    LpDnsRecord *r;
    g_autofree char *token = NULL;
    double u = (double) s->users;

    if (z->empty || z->roles[plan->rs->edge_role] == 0)
      continue;
    token = lp_site_token (s->name);
    r = add_record (res, "SRV", g_strdup_printf ("%s.%s", dns_name (plan, "sip-external-srv"), res->sip_domain),
                    g_strdup_printf ("sip-%s.%s", token, res->sip_domain),
                    g_strdup_printf ("the Access Edge of site %s", s->name));
    r->port = plan->rs->dns_numbers.sip_external_port;
    r->priority = srv_priority (plan, s);
    g_array_append_val (users, u);
  }
  weigh (plan, res->records, first, (double *) (gpointer) users->data);
}

static void
internal_srv (LpResilience *res, const LpPlan *plan, const LpInventory *inv)
{
  g_autoptr (GArray) users = g_array_new (FALSE, TRUE, sizeof (double));
  guint first = res->records->len;

  for (guint i = 0; i < inv->pools->len; i++) {
    const LpPool *pool = g_ptr_array_index (inv->pools, i);
    const LpPlanSite *s = &g_array_index (plan->sites, LpPlanSite, pool->site);
    LpDnsRecord *r = add_record (res, "SRV",
                                 g_strdup_printf ("%s.%s", dns_name (plan, "sip-internal-srv"), res->sip_domain),
                                 g_strdup_printf ("%s.%s", pool->name, res->sip_domain),
                                 g_strdup_printf ("registrar pool at site %s", s->name));
    r->port = plan->rs->dns_numbers.sip_internal_port;
    r->priority = srv_priority (plan, s);
    g_array_append_val (users, pool->users);
  }
  weigh (plan, res->records, first, (double *) (gpointer) users->data);
}

static void
discovery (LpResilience *res, const LpPlan *plan)
{
  const char *geo = plan->dr ? "; answered by GeoDNS with the paired sites' addresses" : "";

  add_record (res, "A", g_strdup_printf ("%s.%s", dns_name (plan, "discover-external"), res->sip_domain),
              g_strdup ("the reverse proxy publishing the external web services"),
              g_strdup_printf ("external DNS: clients outside the network%s", geo));
  add_record (res, "A", g_strdup_printf ("%s.%s", dns_name (plan, "discover-internal"), res->sip_domain),
              g_strdup ("the internal web services of the users' pools"),
              g_strdup ("internal DNS: clients inside the network try it first"));
}

/* GeoDNS for the web names of paired pools: round robin when both sites have
 * users, else the primary with failover to its partner. */
static void
geodns (LpResilience *res, const LpPlan *plan, const LpInventory *inv)
{
  g_auto (GStrv) names = g_strsplit (dns_name (plan, "web-names"), ",", -1);
  const char *sub = dns_name (plan, "web-subdomain");

  for (guint i = 0; i < inv->pools->len; i++) {
    const LpPool *pool = g_ptr_array_index (inv->pools, i);
    const LpPlanSite *s = &g_array_index (plan->sites, LpPlanSite, pool->site);
    const LpPlanSite *other = s->partner >= 0 ? &g_array_index (plan->sites, LpPlanSite, s->partner) : NULL;
    gboolean both = other != NULL && s->users > 0 && other->users > 0;

    if (pool->backup == NULL || pool->mode != LP_POOL_CROSS_SITE_PAIR || (gint) pool->site > s->partner)
      continue;
    add_record (res, "GeoDNS", g_strdup_printf ("%s.%s.%s", pool->name, sub, res->sip_domain),
                g_strdup_printf ("%s or %s (external web services)", pool->name, pool->backup),
                g_strdup_printf ("%s; the %s sub-domain is delegated to GeoDNS",
                                 both ? "round robin between the pools" : "primary, with failover to the backup pool", sub));
  }
  for (guint g = 0; plan->dr && g < plan->groups->len; g++) {
    const LpGroup *grp = &g_array_index (plan->groups, LpGroup, g);
    g_autofree char *label = lp_plan_group_label (plan, g);
    const LpPlanSite *b = grp->n_sites == 2 ? &g_array_index (plan->sites, LpPlanSite, grp->sites[1]) : NULL;
    gboolean both = b != NULL && b->users > 0;

    if (grp->n_sites < 2 || grp->empty)
      continue;
    for (guint k = 0; names[k] != NULL; k++)
      add_record (res, "GeoDNS", g_strdup_printf ("%s.%s", g_strstrip (names[k]), res->sip_domain),
                  g_strdup_printf ("the external web services of %s", label),
                  g_strdup (both ? "round robin between the sites" : "primary site, with failover to the DR site"));
  }
}

LpResilience *
lp_resilience_new (const LpPlan *plan, const LpInventory *inv)
{
  LpResilience *res = g_new0 (LpResilience, 1);

  res->quorum = g_array_new (FALSE, TRUE, sizeof (LpQuorumRow));
  res->records = g_ptr_array_new_with_free_func (record_free);
  for (guint i = 0; i < inv->pools->len; i++) {
    const LpPool *pool = g_ptr_array_index (inv->pools, i);
    const LpCandidate *c = lp_plan_group_choice (plan, g_array_index (plan->sites, LpPlanSite, pool->site).group);
    if (c->tmpl->pools.count != NULL) /* pools of several servers: Enterprise Edition */
      add_quorum (res, plan, pool);
  }
  sla_budget (res, plan);
  res->sip_domain = plan->sc->sip_domain ? plan->sc->sip_domain : LP_DEFAULT_SIP_DOMAIN;
  res->sip_domain_default = plan->sc->sip_domain == NULL;
  res->statement = dns_name (plan, "statement");
  for (guint i = 0; i < plan->sites->len; i++) {
    const LpSiteSizing *z = lp_plan_site_sizing (plan, i, NULL);
    res->dns_needed |= !z->empty && z->roles[plan->rs->edge_role] > 0;
  }
  res->dns_needed |= plan->dr;
  if (!res->dns_needed)
    return res;
  discovery (res, plan);
  external_srv (res, plan);
  internal_srv (res, plan, inv);
  geodns (res, plan, inv);
  return res;
}
