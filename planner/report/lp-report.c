/* lp-report.c: the report every plan writer reads; see lp-report.h. */
#include "lp-report.h"

#include "lp-error.h"
#include "lp-output.h"
#include "lp-text.h"
#include "lp-trace.h"
#include "lp-words.h"

#include <stdarg.h>
#include <math.h>
#include <string.h>

static gboolean broken (GError **error, const char *name, const char *fmt, ...)
  G_GNUC_PRINTF (3, 4);

static gboolean
broken (GError **error, const char *name, const char *fmt, ...)
{
  va_list ap;
  g_autofree char *what = NULL;

  va_start (ap, fmt);
  what = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error (error, LP_ERROR, LP_ERROR_INVARIANT, "invariant %s: %s", name, what);
  return FALSE;
}

static gboolean
ends_in_domain (const char *name, const char *domain)
{
  gsize nl = strlen (name), dl = strlen (domain);
  return nl > dl && name[nl - dl - 1] == '.' && g_ascii_strcasecmp (name + nl - dl, domain) == 0;
}

/* The SIP domain @name is under, for a message, else NULL. */
static const char *
domain_of (const LpResilience *res, const char *name)
{
  for (guint i = 0; res->sip_domains != NULL && res->sip_domains[i] != NULL; i++)
    if (ends_in_domain (name, res->sip_domains[i]))
      return res->sip_domains[i];
  return NULL;
}

static gboolean
too_long (const LpResilience *res, const char *name, const char *why, GError **error)
{
  const char *domain = domain_of (res, name);

  g_set_error (error, LP_ERROR, LP_ERROR_INPUT,
               "sip-domain '%s' is too long for the names the plan puts under it: '%s' (%zu "
               "characters) %s",
               domain != NULL ? domain : res->sip_domain, name, strlen (name), why);
  return FALSE;
}

/* Every name of the DNS plan fits DNS (LP_DNS_NAME_MAX characters, labels
 * of LP_DNS_LABEL_MAX) and every certificate's subject fits a common name
 * (LP_COMMON_NAME_MAX): the SIP domain is the input that makes them long,
 * so the error is the input's (exit 2), with the name it would make. */
static gboolean
names_fit (const LpReport *r, GError **error)
{
  const LpResilience *res = r->resilience;
  g_autofree char *dns = g_strdup_printf ("is longer than DNS allows (%d characters, %d a label)",
                                          LP_DNS_NAME_MAX, LP_DNS_LABEL_MAX);
  g_autofree char *cn = g_strdup_printf ("is a certificate's subject, and a certificate authority "
                                         "puts at most %d characters in a subject's common name",
                                         LP_COMMON_NAME_MAX);
  g_auto (LpDnsWalk) walk;

  lp_dns_walk_init (&walk, res);
  for (const LpDnsRecord *d; (d = lp_dns_walk_next (&walk)) != NULL;) {
    if (!lp_dns_name_fits (d->name))
      return too_long (res, d->name, dns, error);
    /* only an SRV record's target is a name: an address record's (A, GeoDNS)
     * is the address it holds, said in words ("reverse proxy at HQ") */
    if (d->target != NULL && strcmp (d->type, "SRV") == 0 && !lp_dns_name_fits (d->target))
      return too_long (res, d->target, dns, error);
  }
  for (guint i = 0; i < r->certificates->certificates->len; i++) {
    const LpCertificate *c = g_ptr_array_index (r->certificates->certificates, i);
    if (g_utf8_strlen (c->subject, -1) > LP_COMMON_NAME_MAX)
      return too_long (res, c->subject, cn, error);
    for (guint k = 0; k < c->names->len; k++)
      if (!lp_dns_name_fits (g_ptr_array_index (c->names, k)))
        return too_long (res, g_ptr_array_index (c->names, k), dns, error);
  }
  return TRUE;
}

/* What the checks look up, built for one check and freed after it: what
 * the flows show of the nodes the checks ask about (one pass over the
 * flows, a bit each), the certificates by the node that presents them
 * (pointer order: the checks only ask whether something exists). No copy
 * of the flows: on 10,000 sites the flows sorted by node were the peak. */
typedef struct {
  GHashTable *seen;       /* LpTopoNode -> its SEEN_ bits (GUINT_TO_POINTER) */
  GPtrArray *certs;       /* of LpCertificate, borrowed, by node */
  GHashTable *cert_names; /* LpTopoNode -> names on its certificates (case-insensitive,
                           * borrowed), made for a node the first time one is asked */
} LpCheckIndex;

/* What the flows show of a node. */
enum {
  SEEN_TO_EDGE = 1 << 0,    /* a flow from it to its Edge pool */
  SEEN_TO_PARTNER = 1 << 1, /* a flow from it to its partner pool */
  SEEN_TO_HOME = 1 << 2,    /* a flow from it (an appliance) to a node at its site's home */
  SEEN_FROM = 1 << 3,       /* a flow from it (a customer's part) */
  SEEN_REACHED = 1 << 4,    /* a flow to it (a customer's part) */
};

static int
cmp_ptr (gconstpointer a, gconstpointer b)
{
  return a < b ? -1 : a > b;
}

static int
cert_by_node (gconstpointer a, gconstpointer b)
{
  return cmp_ptr ((*(const LpCertificate *const *) a)->node,
                  (*(const LpCertificate *const *) b)->node);
}

/* The first of @a's elements (sorted by @node_of) whose node is @node, or
 * a->len when none is; @node_of returns an element's node. */
static guint
first_of (const GPtrArray *a, gconstpointer node, gconstpointer (*node_of) (gconstpointer))
{
  guint lo = 0, hi = a->len;

  while (lo < hi) {
    guint mid = lo + (hi - lo) / 2;
    if ((guintptr) node_of (g_ptr_array_index (a, mid)) < (guintptr) node)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < a->len && node_of (g_ptr_array_index (a, lo)) == node ? lo : a->len;
}

static gconstpointer
cert_node (gconstpointer c)
{
  return ((const LpCertificate *) c)->node;
}

static void
see (GHashTable *seen, const LpTopoNode *n, guint bits)
{
  guint had = GPOINTER_TO_UINT (g_hash_table_lookup (seen, n));

  if ((had | bits) != had)
    g_hash_table_insert (seen, (gpointer) n, GUINT_TO_POINTER (had | bits));
}

/* Each flow's bits for its from and to nodes. */
static void
see_flows (const LpPlan *plan, const GPtrArray *flows, GHashTable *seen)
{
  for (guint i = 0; i < flows->len; i++) {
    const LpTopoFlow *f = g_ptr_array_index (flows, i);
    const LpTopoNode *from = f->from;
    guint bits = 0;
    if (from->edge != NULL && f->to == from->edge)
      bits |= SEEN_TO_EDGE;
    if (from->partner != NULL && f->to == from->partner)
      bits |= SEEN_TO_PARTNER;
    if (from->endpoint != NULL && from->endpoint->per == LP_PER_SERVER && from->site >= 0 &&
        f->to->site >= 0 && g_array_index (plan->sites, LpPlanSite, from->site).home == f->to->site)
      bits |= SEEN_TO_HOME;
    if (from->endpoint != NULL && from->endpoint->customer)
      bits |= SEEN_FROM;
    if (bits != 0)
      see (seen, from, bits);
    if (f->to->endpoint != NULL && f->to->endpoint->customer)
      see (seen, f->to, SEEN_REACHED);
  }
}

/* Have the flows shown every bit of @bits of @n? */
static gboolean
seen (const LpCheckIndex *ix, const LpTopoNode *n, guint bits)
{
  return (GPOINTER_TO_UINT (g_hash_table_lookup (ix->seen, n)) & bits) == bits;
}

static gboolean
on_certificate (const LpCheckIndex *ix, const LpTopoNode *node, const char *name)
{
  GHashTable *names = g_hash_table_lookup (ix->cert_names, node);

  if (names == NULL) {
    names = g_hash_table_new (lp_ascii_case_hash, lp_ascii_case_equal);
    for (guint i = first_of (ix->certs, node, cert_node);
         i < ix->certs->len && cert_node (g_ptr_array_index (ix->certs, i)) == node; i++) {
      const LpCertificate *c = g_ptr_array_index (ix->certs, i);
      g_hash_table_add (names, c->subject);
      for (guint k = 0; k < c->names->len; k++)
        g_hash_table_add (names, g_ptr_array_index (c->names, k));
    }
    g_hash_table_insert (ix->cert_names, (gpointer) node, names);
  }
  return g_hash_table_contains (names, name);
}

static gboolean
check_model (const LpReport *r, const LpCheckIndex *ix, GError **error)
{
  const LpTopology *t = r->topology;
  const LpPlan *plan = r->plan;

  for (guint i = 0; i < t->flows->len; i++) {
    const LpTopoFlow *f = g_ptr_array_index (t->flows, i);
    if (f->rule->source == NULL || f->rule->source[0] == '\0')
      return broken (error, "flow-source", "[flow %s] names no source", f->rule->id);
  }
  for (guint i = 0; i < t->pools->len; i++) {
    const LpTopoNode *p = g_ptr_array_index (t->pools, i);
    const LpEndpointRule *ep = p->endpoint;
    if (p->web_external != NULL) {
      if (p->published_by->len == 0)
        return broken (error, "web-name-published", "%s is published by no reverse proxy",
                       p->web_external);
      for (guint k = 0; k < p->published_by->len; k++)
        if (!on_certificate (ix, g_ptr_array_index (p->published_by, k), p->web_external))
          return broken (error, "web-name-published",
                         "%s is published by %s, whose certificate does not carry it",
                         p->web_external,
                         ((LpTopoNode *) g_ptr_array_index (p->published_by, k))->id);
    } else if (ep->web_external != NULL && p->edge != NULL && t->publish_endpoint >= 0 &&
               t->by_endpoint[t->publish_endpoint]->len > 0)
      return broken (error, "web-name-published",
                     "%s uses the Edge pool %s but no reverse proxy publishes its web services",
                     p->id, p->edge->id);
    if (p->pool_row != NULL && p->edge != NULL && p->edge->site != p->site &&
        !seen (ix, p, SEEN_TO_EDGE))
      return broken (error, "remote-edge-flows", "%s has no flow to its Edge pool %s", p->id,
                     p->edge->id);
    if (t->edge_endpoint >= 0 && ep == g_ptr_array_index (plan->rs->endpoints, t->edge_endpoint) &&
        (p->next_hop == NULL || p->next_hop->pool_row == NULL || p->next_hop->site != p->site))
      return broken (error, "edge-next-hop",
                     "the Edge pool %s has no next hop among its own site's pools (a Director "
                     "is never one)",
                     p->id);
    if (p->pool_row != NULL && p->partner != NULL && !seen (ix, p, SEEN_TO_PARTNER))
      return broken (error, "pairing-flows", "%s has no flow to its partner pool %s", p->id,
                     p->partner->id);
    if (ep->per == LP_PER_SERVER) {
      const LpPlanSite *s = &g_array_index (plan->sites, LpPlanSite, p->site);
      if (first_of (ix->certs, p, cert_node) == ix->certs->len)
        return broken (error, "appliance-flows", "the appliance %s has no certificate", p->id);
      if (s->home >= 0 && !seen (ix, p, SEEN_TO_HOME))
        return broken (error, "appliance-flows", "the appliance %s has no flow to its home site",
                       p->id);
      if (p->edge != NULL && !seen (ix, p, SEEN_TO_EDGE))
        return broken (error, "appliance-flows", "the appliance %s has no flow to its Edge pool %s",
                       p->id, p->edge->id);
    }
  }
  for (guint i = 0; i < t->external->len; i++) {
    const LpTopoNode *x = g_ptr_array_index (t->external, i);
    if (x->endpoint->customer && x->site >= 0 && !seen (ix, x, SEEN_FROM | SEEN_REACHED))
      return broken (error, "gateway-flows", "%s has no flows both ways with its site's Mediation",
                     x->id);
  }
  return TRUE;
}

static gboolean
check_views (const LpReport *r, const LpCheckIndex *ix, GError **error)
{
  g_autoptr (GHashTable) dns = g_hash_table_new (lp_ascii_case_hash, lp_ascii_case_equal);
  const GPtrArray *certs = r->certificates->certificates;
  g_auto (LpDnsWalk) walk;

  lp_dns_walk_init (&walk, r->resilience);
  for (const LpDnsRecord *d; (d = lp_dns_walk_next (&walk)) != NULL;) {
    if (strcmp (d->type, "SRV") == 0 && !ends_in_domain (d->target, d->domain))
      return broken (error, "srv-target-in-domain", "%s points to %s, outside %s", d->name,
                     d->target, d->domain);
    g_hash_table_add (dns, (gpointer) d->name);
  }
  for (guint i = 0; i < certs->len; i++) {
    const LpCertificate *c = g_ptr_array_index (certs, i);
    if (c->rule->no_dns)
      continue;
    if (!g_hash_table_contains (dns, c->subject))
      return broken (error, "cert-name-has-dns",
                     "%s, the subject of [certificate %s] at %s, has no DNS record", c->subject,
                     c->rule->id, c->node->id);
    for (guint k = 0; k < c->names->len; k++) {
      if (!g_hash_table_contains (dns, g_ptr_array_index (c->names, k)))
        return broken (error, "cert-name-has-dns",
                       "%s, on [certificate %s] at %s, has no DNS record",
                       (char *) g_ptr_array_index (c->names, k), c->rule->id, c->node->id);
    }
  }
  for (guint i = 0; i < r->certificates->publishing->len; i++) {
    const LpPublishRule *p = g_ptr_array_index (r->certificates->publishing, i);
    if (p->certificate == NULL)
      return broken (error, "web-name-published",
                     "%s is published by %s, whose certificate does not carry it", p->name,
                     p->proxy->id);
    if (p->target_ports[0] == '\0')
      return broken (error, "web-name-published", "%s is published by %s, which has no flow to %s",
                     p->name, p->proxy->id, p->target->id);
  }
  (void) ix;
  return TRUE;
}

gboolean
lp_report_check (const LpReport *r, GError **error)
{
  const GPtrArray *certs = r->certificates->certificates;
  LpCheckIndex ix;
  gboolean ok;

  ix.seen = g_hash_table_new (g_direct_hash, g_direct_equal);
  see_flows (r->plan, r->topology->flows, ix.seen);
  ix.certs = g_ptr_array_sized_new (certs->len);
  for (guint i = 0; i < certs->len; i++)
    g_ptr_array_add (ix.certs, g_ptr_array_index (certs, i));
  g_ptr_array_sort (ix.certs, cert_by_node);
  ix.cert_names = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                         (GDestroyNotify) g_hash_table_unref);
  ok = check_model (r, &ix, error) && check_views (r, &ix, error);
  g_hash_table_unref (ix.seen);
  g_ptr_array_unref (ix.certs);
  g_hash_table_unref (ix.cert_names);
  return ok;
}

/* The constants a chosen design read at one of its sites, or the scenario set. */
static GPtrArray *
shaped_constants (const LpPlan *plan)
{
  const GPtrArray *vars = plan->rs->vars;
  GPtrArray *out = g_ptr_array_new ();

  for (guint v = 0; v < vars->len; v++) {
    const LpRuleVar *var = g_ptr_array_index (vars, v);
    gboolean is_default = TRUE;
    g_autofree char *used = NULL;
    if (var->is_input)
      continue;
    used = lp_plan_setting_text (plan, var->name, &is_default);
    if ((plan->shaped != NULL && (plan->shaped[v / 8] & (1u << (v % 8)))) || !is_default)
      g_ptr_array_add (out, (gpointer) var);
  }
  return out;
}

static void
site_figure_clear (gpointer p)
{
  g_free (((LpSiteFigure *) p)->counts);
}

/* Per plan site, the figures of its design that apply there, each value a
 * count as a note prints it (rounded up, 0 for none). */
static GPtrArray *
site_figures (const LpPlan *plan)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);

  for (guint i = 0; i < plan->sites->len; i++) {
    const LpCandidate *c;
    const LpSiteSizing *z = lp_plan_site_sizing (plan, i, &c);
    GArray *row = g_array_new (FALSE, FALSE, sizeof (LpSiteFigure));
    g_array_set_clear_func (row, site_figure_clear);
    for (guint k = 0; !z->empty && k < c->tmpl->figures->len; k++) {
      const LpNote *f = g_ptr_array_index (c->tmpl->figures, k);
      LpSiteFigure fig = { f->id, (const char *const *) f->members, NULL };
      if (!(z->figures & ((guint64) 1 << k)))
        continue;
      fig.counts = g_new (guint64, f->exprs->len);
      for (guint x = 0; x < f->exprs->len; x++) {
        double v = z->note_values[f->first + x];
        fig.counts[x] = v > 0 && v < 1e15 ? (guint64) ceil (v - 1e-9) : 0;
      }
      g_array_append_val (row, fig);
    }
    g_ptr_array_add (out, row);
  }
  return out;
}

/* The bill of materials' lines, priced with the plan's price list when it
 * has one; @first gets each site's first line. */
static GArray *
bom_lines (const LpPlan *plan, guint *first)
{
  const LpPrices *prices = plan->sc->prices;
  GArray *lines = g_array_new (FALSE, FALSE, sizeof (LpBomLine));

  for (guint i = 0; i < plan->sites->len; i++) {
    const LpCandidate *c;
    const LpSiteSizing *z = lp_plan_site_sizing (plan, i, &c);

    first[i] = lines->len;
    for (guint r = 0; !z->empty && r < plan->rs->roles->len; r++) {
      LpBomLine l = { .site = i,
                      .role = r,
                      .r = g_ptr_array_index (plan->rs->roles, r),
                      .tmpl = c->tmpl,
                      .count = z->roles[r] };
      if (l.count == 0)
        continue;
      if (prices != NULL) {
        l.priced = prices->priced[r];
        l.hardware = l.priced ? prices->hardware[r] : 0;
        l.licence = lp_prices_licence (prices, c->tmpl, r);
        l.unit = lp_prices_unit (prices, c->tmpl, r);
        l.extended = l.unit * (double) l.count;
      }
      g_array_append_val (lines, l);
    }
  }
  first[plan->sites->len] = lines->len;
  return lines;
}

static void
bom_hosts_clear (gpointer p)
{
  g_free (((LpBomHosts *) p)->spec);
}

/* Each virtual site's hosts as a line of the bill of materials, priced
 * with the price list's [host] when there is a price list; @at gets each
 * site's line (-1 for none). */
static GArray *
bom_hosts (const LpPlan *plan, const LpHosts *h, gint *at)
{
  GArray *lines = g_array_new (FALSE, FALSE, sizeof (LpBomHosts));

  g_array_set_clear_func (lines, bom_hosts_clear);
  for (guint i = 0; i < plan->sites->len; i++) {
    const LpHost *first;
    LpBomHosts l = { .site = i };
    at[i] = -1;
    if (h == NULL || i >= h->n_sites || h->at_site[i] == 0)
      continue;
    first = g_ptr_array_index (h->hosts, h->first_at_site[i]);
    l.count = h->at_site[i];
    l.spare = h->spare_at_site[i];
    l.cores = first->cores;
    l.memory_gb = first->memory_gb;
    l.spec = g_strdup_printf ("%.0f cores (hyper-threading off), %.0f GB; %u of them spare",
                              l.cores, l.memory_gb, l.spare);
    if (plan->sc->prices != NULL) {
      l.priced = h->priced;
      l.hardware = h->hardware;
      l.licence = h->licence;
      l.unit = h->unit_price;
      l.extended = (double) l.count * h->unit_price;
    }
    at[i] = (gint) lines->len;
    g_array_append_val (lines, l);
  }
  return lines;
}

/* The scenario's value of each scenario-scope input. */
static GArray *
report_inputs (const LpPlan *plan)
{
  GArray *inputs = g_array_new (FALSE, FALSE, sizeof (LpReportInput));

  for (guint i = 0; i < plan->rs->inputs->len; i++) {
    LpReportInput ri = { .in = g_ptr_array_index (plan->rs->inputs, i), .is_default = TRUE };
    if (!(ri.in->scope & LP_SCOPE_SCENARIO))
      continue; /* a site's own */
    ri.value = lp_scenario_input_value (plan->sc, ri.in, &ri.is_default);
    ri.per_site = ri.in == plan->rs->slots.remote_input;
    g_array_append_val (inputs, ri);
  }
  return inputs;
}

/* The scenario's settings of rule constants (not of inputs). */
static GPtrArray *
report_overrides (const LpPlan *plan)
{
  GPtrArray *overrides = g_ptr_array_new ();

  for (guint i = 0; i < plan->sc->settings->len; i++) {
    const LpSetting *s = g_ptr_array_index (plan->sc->settings, i);
    if (!s->is_input)
      g_ptr_array_add (overrides, (gpointer) s);
  }
  return overrides;
}

/* The editions of the chosen designs of the groups that are not empty, each once. */
static GPtrArray *
caveat_editions (const LpPlan *plan)
{
  GPtrArray *seen = g_ptr_array_new ();

  for (guint i = 0; i < plan->groups->len; i++) {
    const LpEdition *e = lp_ruleset_find_edition (plan->rs,
                                                  lp_plan_group_choice (plan, i)->tmpl->edition);
    if (e == NULL || g_array_index (plan->groups, LpGroup, i).empty ||
        g_ptr_array_find (seen, e, NULL))
      continue;
    g_ptr_array_add (seen, (gpointer) e);
  }
  return seen;
}

LpReport *
lp_report_new (const LpPlan *plan, const char *naming, GError **error)
{
  g_autoptr (LpInventory) inv = lp_inventory_new (plan, naming, error);
  g_autoptr (LpHosts) hosts = NULL;
  LpReport *r;

  if (inv == NULL)
    return NULL;
  hosts = lp_hosts_new (plan, inv, error);
  if (hosts == NULL)
    return NULL;
  r = g_new0 (LpReport, 1);
  r->plan = plan;
  r->inventory = g_steal_pointer (&inv);
  r->hosts = g_steal_pointer (&hosts);
  r->topology = lp_topology_new (plan, r->inventory);
  r->resilience = lp_resilience_new (plan, r->inventory, r->topology);
  r->certificates = lp_certificates_new (plan, r->topology);
  r->created = LP_NO_DATE_EPOCH;
  r->title = plan->sc->title;
  r->product = plan->rs->product;
  r->company = plan->sc->company;
  r->customer = plan->sc->customer;
  r->paper = (LpPaper) MAX (lp_paper_from_string (plan->sc->paper), 0);
  r->unmet = lp_unmet_new (plan);
  r->pools = lp_pool_rows_new (plan, r->topology);
  r->assumptions = shaped_constants (plan);
  r->figures = site_figures (plan);
  r->without_dr = g_new0 (gboolean, MAX (1, plan->sites->len));
  r->site_notes = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  for (guint i = 0; i < plan->sites->len; i++) {
    const LpCandidate *c;
    const LpSiteSizing *z = lp_plan_site_sizing (plan, i, &c);
    r->without_dr[i] = lp_plan_site_without_dr (plan, i);
    g_ptr_array_add (r->site_notes, lp_site_notes (c, z));
  }
  r->storage = lp_plan_storage (plan);
  r->bom_first = g_new0 (guint, plan->sites->len + 1);
  r->bom = bom_lines (plan, r->bom_first);
  r->bom_hosts_at = g_new (gint, MAX (1, plan->sites->len));
  r->bom_hosts = bom_hosts (plan, r->hosts, r->bom_hosts_at);
  r->currency = plan->sc->prices != NULL ? plan->sc->prices->currency : NULL;
  r->price_note = plan->sc->prices != NULL ? plan->sc->prices->note : NULL;
  r->caveats = caveat_editions (plan);
  r->trace = lp_trace_lines (plan);
  r->roles = plan->rs->roles;
  r->checks = plan->rs->checks;
  r->failures = plan->rs->failures;
  r->stores = plan->rs->storage;
  r->n_templates = plan->rs->templates->len;
  r->edition = lp_ruleset_find_edition (plan->rs, lp_plan_edition (plan));
  r->heading = g_strdup_printf ("%s plan%s%s", plan->rs->product, plan->sc->title ? ": " : "",
                                plan->sc->title ? plan->sc->title : "");
  r->author = plan->sc->author;
  r->rule_set_id = plan->rs->id;
  r->rule_set_version = plan->rs->version;
  r->scenario_product = plan->sc->product;
  r->product_default = !plan->sc->product_set;
  r->inputs = report_inputs (plan);
  r->overrides = report_overrides (plan);
  if (!names_fit (r, error) || !lp_report_check (r, error)) {
    lp_report_free (r);
    return NULL;
  }
  return r;
}

/* The date in force: the scenario's, else SOURCE_DATE_EPOCH's, else today's
 * (the local calendar day, at midnight UTC like a --date). */
static gboolean
find_date (const LpScenario *sc, GDateTime **dt, GError **error)
{
  const char *env = g_getenv ("SOURCE_DATE_EPOCH");
  guint64 secs = 0;

  *dt = NULL;
  if (sc->date != NULL) {
    g_autofree char *iso = g_strconcat (sc->date, "T00:00:00Z", NULL);
    *dt = g_date_time_new_from_iso8601 (iso, NULL);
  } else if (env != NULL) {
    if (!g_ascii_string_to_unsigned (env, 10, 0, G_MAXINT64, &secs, NULL)) {
      g_set_error (error, LP_ERROR, LP_ERROR_INPUT,
                   "SOURCE_DATE_EPOCH: expected seconds since 1970, got '%s'", env);
      return FALSE;
    }
    *dt = g_date_time_new_from_unix_utc ((gint64) secs);
  } else {
    g_autoptr (GDateTime) now = g_date_time_new_now_local ();
    *dt = g_date_time_new_utc (g_date_time_get_year (now), g_date_time_get_month (now),
                               g_date_time_get_day_of_month (now), 0, 0, 0);
  }
  return TRUE;
}

gboolean
lp_report_read_date (LpReport *r, GError **error)
{
  g_autoptr (GDateTime) dt = NULL;

  g_clear_pointer (&r->date, g_free);
  r->created = LP_NO_DATE_EPOCH;
  if (!find_date (r->plan->sc, &dt, error))
    return FALSE;
  if (dt == NULL)
    return TRUE;
  r->created = g_date_time_to_unix (dt);
  /* %Y would print year 1 as "1" */
  r->date = g_strdup_printf ("%04d-%02d-%02d", g_date_time_get_year (dt),
                             g_date_time_get_month (dt), g_date_time_get_day_of_month (dt));
  return TRUE;
}

guint64 *
lp_report_role_counts (const LpReport *r, guint *n_roles)
{
  guint roles = r->plan->rs->roles->len;
  guint64 *counts = g_new0 (guint64, (gsize) MAX (r->plan->sites->len, 1) * MAX (roles, 1));

  for (guint i = 0; i < r->inventory->servers->len; i++) {
    const LpServer *v = g_ptr_array_index (r->inventory->servers, i);
    counts[(gsize) v->site * roles + v->role]++;
  }
  *n_roles = roles;
  return counts;
}

const char *
lp_report_role_title (const LpReport *r, guint role)
{
  const LpRole *ro = g_ptr_array_index (r->plan->rs->roles, role);

  return ro->pool != NULL ? ro->pool : ro->name;
}

char *
lp_report_words (const LpReport *r, const char *text, GPtrArray *cited)
{
  return lp_words_customer (r->plan->rs, text, cited);
}

char *
lp_report_source_title (const LpReport *r, const char *id)
{
  return lp_words_source_title (r->plan->rs, id);
}

const LpRuleVar *
lp_report_var (const LpReport *r, const char *name)
{
  return lp_ruleset_find_var (r->plan->rs, name);
}

const LpEdition *
lp_report_edition (const LpReport *r, const char *id)
{
  return lp_ruleset_find_edition (r->plan->rs, id);
}

const char *
lp_report_source_text (const LpReport *r, const char *id)
{
  return g_hash_table_lookup (r->plan->rs->sources, id);
}

void
lp_report_free (LpReport *r)
{
  if (r == NULL)
    return;
  lp_certificates_free (r->certificates);
  lp_resilience_free (r->resilience);
  lp_hosts_free (r->hosts);
  lp_topology_free (r->topology);
  lp_inventory_free (r->inventory);
  g_free (r->date);
  g_ptr_array_unref (r->unmet);
  if (r->pools != NULL)
    g_ptr_array_unref (r->pools);
  if (r->assumptions != NULL)
    g_ptr_array_unref (r->assumptions);
  g_ptr_array_unref (r->figures);
  g_free (r->without_dr);
  if (r->site_notes != NULL)
    g_ptr_array_unref (r->site_notes);
  if (r->storage != NULL)
    g_array_unref (r->storage);
  if (r->bom != NULL)
    g_array_unref (r->bom);
  g_free (r->bom_first);
  if (r->bom_hosts != NULL)
    g_array_unref (r->bom_hosts);
  g_free (r->bom_hosts_at);
  if (r->caveats != NULL)
    g_ptr_array_unref (r->caveats);
  if (r->trace != NULL)
    g_ptr_array_unref (r->trace);
  g_free (r->heading);
  if (r->inputs != NULL)
    g_array_unref (r->inputs);
  if (r->overrides != NULL)
    g_ptr_array_unref (r->overrides);
  g_free (r);
}
