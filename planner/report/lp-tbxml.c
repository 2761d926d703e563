/* lp-tbxml.c: the plan as a Topology Builder document; see lp-tbxml.h. */
#include "lp-tbxml.h"

#include <string.h>

#include "lp-error.h"

char *
lp_tbxml_uuid (const char *kind, const char *name)
{
  g_autofree char *text = g_strconcat ("lyncplan:", kind, ":", name, NULL);
  g_autofree char *h = g_compute_checksum_for_string (G_CHECKSUM_SHA1, text, -1);
  static const char variant[] = "89ab";

  /* the version nibble 5, the variant bits 10 (RFC 4122's name-based form) */
  h[12] = '5';
  h[16] = variant[g_ascii_xdigit_value (h[16]) & 3];
  return g_strdup_printf ("%.8s-%.4s-%.4s-%.4s-%.12s", h, h + 8, h + 12, h + 16, h + 20);
}

static void
machine_free (gpointer p)
{
  LpTbMachine *m = p;
  g_free (m->fqdn);
  g_free (m->fault);
  g_free (m->upgrade);
  g_free (m);
}

static void
cluster_free (gpointer p)
{
  LpTbCluster *c = p;
  g_free (c->id);
  g_free (c->fqdn);
  g_ptr_array_unref (c->machines);
  g_ptr_array_unref (c->instances);
  g_free (c->sql_id);
  g_free (c);
}

static void
site_free (gpointer p)
{
  LpTbSite *s = p;
  g_ptr_array_unref (s->clusters);
  g_ptr_array_unref (s->remote);
  g_free (s);
}

static void
service_free (gpointer p)
{
  LpTbService *s = p;
  g_free (s->id);
  g_free (s->external_host);
  g_ptr_array_unref (s->port_fqdn);
  g_ptr_array_unref (s->attr_names);
  g_ptr_array_unref (s->attr_values);
  g_array_unref (s->depends);
  g_free (s);
}

static void
simple_url_free (gpointer p)
{
  LpTbSimpleUrl *u = p;
  g_free (u->url);
  g_free (u->domain_owned);
  g_free (u);
}

void
lp_tbxml_free (LpTbDoc *d)
{
  if (d == NULL)
    return;
  g_ptr_array_unref (d->simple_urls);
  g_ptr_array_unref (d->sites);
  g_ptr_array_unref (d->services);
  g_ptr_array_unref (d->notes);
  g_free (d);
}

/* @text with every {KEY} replaced by @value. */
static char *
replace (const char *text, const char *key, const char *value)
{
  g_auto (GStrv) parts = g_strsplit (text, key, -1);
  return g_strjoinv (value, parts);
}

/* The host of an https://HOST/... URL is one of the model's names. */
static gboolean
url_in_model (const LpTopology *t, const char *url)
{
  const char *host = strstr (url, "://");
  g_autofree char *name = NULL;

  if (host == NULL)
    return FALSE;
  host += 3;
  name = g_strndup (host, strcspn (host, "/:"));
  return lp_topology_lookup_name (t, name) != NULL;
}

/* simple-url-1, simple-url-2, ... in number order. */
static void
make_simple_urls (LpTbDoc *d, const LpTbRules *tb, const LpTopology *t)
{
  const char *def = t->sip_domains[0];

  for (guint n = 1; n < 100; n++) {
    g_autofree char *key = g_strdup_printf ("simple-url-%u", n);
    const char *v = g_hash_table_lookup (tb->values, key);
    g_auto (GStrv) parts = NULL;
    if (v == NULL)
      break;
    parts = g_strsplit (v, " ", 3);
    for (guint k = 0; t->sip_domains[k] != NULL; k++) {
      gboolean each = strcmp (parts[1], "{domain}") == 0;
      LpTbSimpleUrl *u;
      g_autofree char *url1 = replace (parts[2], "{default-domain}", def);
      g_autofree char *url = replace (url1, "{domain}", t->sip_domains[k]);
      if (!each && k > 0)
        break;
      if (!url_in_model (t, url)) {
        g_ptr_array_add (d->notes,
                         g_strdup_printf ("The simple URL %s %s is not written: the plan has no "
                                          "such name.",
                                          parts[0], url));
        continue;
      }
      u = g_new0 (LpTbSimpleUrl, 1);
      u->component = g_intern_string (parts[0]);
      u->domain_owned = g_strdup (each ? t->sip_domains[k] : parts[1]);
      u->domain = u->domain_owned;
      u->url = g_steal_pointer (&url);
      g_ptr_array_add (d->simple_urls, u);
    }
  }
}

/* The scenario's value of a rule constant: its default, or its [set]. */
static double
scenario_value (const LpPlan *plan, const LpRuleVar *var, gboolean *set)
{
  double v = plan->rs->defaults[var->slot];

  *set = FALSE;
  for (guint i = 0; i < plan->sc->settings->len; i++) {
    const LpSetting *s = g_ptr_array_index (plan->sc->settings, i);
    if (s->slot == var->slot) {
      v = s->value;
      *set = TRUE;
    }
  }
  return v;
}

/* Where a server runs: its host's name at a virtual site, else its FQDN. */
static char *
domain_of (GHashTable *host_of, const LpTopoNode *server)
{
  const char *host = g_hash_table_lookup (host_of, server->name);
  return g_strdup (host != NULL ? host : server->fqdn);
}

static LpTbMachine *
machine_new (const char *fqdn, gboolean domains, GHashTable *host_of, const LpTopoNode *server)
{
  LpTbMachine *m = g_new0 (LpTbMachine, 1);

  m->fqdn = g_strdup (fqdn);
  if (domains && server != NULL) {
    m->fault = domain_of (host_of, server);
    m->upgrade = domain_of (host_of, server);
  }
  return m;
}

static void
instance_free (gpointer p)
{
  LpTbSqlInstance *i = p;
  g_free (i->id);
  g_free (i);
}

static LpTbCluster *
cluster_new (guint rule, const LpTbClusterRule *cr, const LpTopoNode *node, const char *fqdn,
             gboolean single, gboolean nat)
{
  LpTbCluster *c = g_new0 (LpTbCluster, 1);

  if (nat)
    c->nat_side = cr->nat_side;

  c->rule = rule;
  c->node = node;
  c->fqdn = g_strdup (fqdn);
  c->id = lp_tbxml_uuid ("cluster", fqdn);
  c->single = single;
  c->replication = cr->replication;
  c->setup = cr->setup;
  c->interfaces = (const char *const *) cr->interfaces;
  c->machines = g_ptr_array_new_with_free_func (machine_free);
  c->instances = g_ptr_array_new_with_free_func (instance_free);
  if (g_str_has_prefix (cr->source, "assumption"))
    c->comment = cr->source;
  return c;
}

static void
add_sql (LpTbCluster *c, const char *name)
{
  g_autofree char *key = NULL;

  if (name == NULL)
    return;
  key = g_strconcat (c->fqdn, "\\", name, NULL);
  c->sql_id = lp_tbxml_uuid ("sql", key);
  c->sql_name = name;
}

/* The clusters of @node, a node of [tb-cluster] @rule's endpoint. */
static void
make_clusters (LpTbSite *site, guint rule, const LpTbClusterRule *cr, const LpTopoNode *node,
               GHashTable *host_of, GHashTable *owner_of, gboolean nat, GPtrArray *notes)
{
  const GPtrArray *m = node->members;

  if (m->len == 0)
    return;
  if (cr->shape == LP_TB_SERVER) {
    for (guint i = 0; i < m->len; i++) {
      const LpTopoNode *s = g_ptr_array_index (m, i);
      LpTbCluster *c = cluster_new (rule, cr, node, s->fqdn, TRUE, nat);
      c->owner = g_hash_table_lookup (owner_of, s->name);
      g_ptr_array_add (c->machines, machine_new (NULL, cr->fault_domains, host_of, s));
      add_sql (c, cr->sql_instance);
      g_ptr_array_add (site->clusters, c);
    }
    return;
  }
  if (node->fqdn == NULL) {
    g_ptr_array_add (notes, g_strdup_printf ("The %s %s has no FQDN in the plan: not written.",
                                             node->label, node->name));
    return;
  }
  if (cr->shape == LP_TB_FARM) {
    LpTbCluster *c = cluster_new (rule, cr, node, node->fqdn, TRUE, nat);
    g_ptr_array_add (c->machines, machine_new (NULL, FALSE, host_of, NULL));
    add_sql (c, cr->sql_instance);
    g_ptr_array_add (site->clusters, c);
    return;
  }
  {
    const LpTopoNode *first = g_ptr_array_index (m, 0);
    gboolean single = m->len == 1 && lp_topology_has_role (cr->single_roles, first->role);
    LpTbCluster *c = cluster_new (rule, cr, node, single ? first->fqdn : node->fqdn, single, nat);
    for (guint i = 0; i < m->len; i++) {
      const LpTopoNode *s = g_ptr_array_index (m, i);
      g_ptr_array_add (c->machines,
                       machine_new (single ? NULL : s->fqdn, cr->fault_domains, host_of, s));
    }
    add_sql (c, single ? cr->single_sql_instance : cr->sql_instance);
    g_ptr_array_add (site->clusters, c);
  }
}

/* The clusters of [tb-cluster] @rule at @site, in order. */
static void
clusters_of_rule (const LpTbSite *site, guint rule, GPtrArray *out)
{
  for (guint i = 0; i < site->clusters->len; i++) {
    LpTbCluster *c = g_ptr_array_index (site->clusters, i);
    if (c->rule == rule)
      g_ptr_array_add (out, c);
  }
}

static gboolean
node_has_role (const LpTopoNode *node, const GArray *roles)
{
  if (roles->len == 0)
    return TRUE;
  for (guint i = 0; i < node->members->len; i++)
    if (lp_topology_has_role (roles, ((LpTopoNode *) g_ptr_array_index (node->members, i))->role))
      return TRUE;
  return FALSE;
}

/* The ConfiguredFqdn of each port of @s: for an External port of a
 * component that [tb-service] configured-fqdn names, that template's name at
 * the cluster's pool in the default SIP domain, when the pool has it among
 * its external names (the model's: never a name it lacks). */
static void
port_fqdns (LpTbService *s, const LpTbServiceRule *sr, const LpTopology *t)
{
  const LpTopoNode *node = s->cluster->node;

  s->port_fqdn = g_ptr_array_new_full (s->ports->len, g_free);
  for (guint i = 0; i < s->ports->len; i++) {
    const char *const *p = g_ptr_array_index (s->ports, i);
    char *fqdn = NULL;
    for (guint k = 0; fqdn == NULL && sr->configured_fqdn[k] != NULL; k++) {
      g_auto (GStrv) words = g_strsplit (sr->configured_fqdn[k], " ", 2);
      g_autofree char *owner = g_strconcat ("Owner=urn:component:", words[0], NULL);
      g_autoptr (GPtrArray) names = NULL;
      if (!g_strv_contains (p, owner) || !g_strv_contains (p, "InterfaceSide=External"))
        continue;
      names = g_ptr_array_new_with_free_func (g_free);
      lp_topology_expand (t, node, words[1], t->sip_domains[0], names, NULL);
      for (guint n = 0; fqdn == NULL && names->len > 0 && n < node->external_names->len; n++)
        if (g_ascii_strcasecmp (g_ptr_array_index (node->external_names, n),
                                g_ptr_array_index (names, 0)) == 0)
          fqdn = g_strdup (g_ptr_array_index (names, 0));
    }
    g_ptr_array_add (s->port_fqdn, fqdn);
  }
}

/* The UniqueId of @c's SqlInstance @name, added once: a store's own. */
static const char *
own_instance (LpTbCluster *c, const char *name)
{
  LpTbSqlInstance *i;
  g_autofree char *key = NULL;

  for (guint k = 0; k < c->instances->len; k++) {
    i = g_ptr_array_index (c->instances, k);
    if (strcmp (i->name, name) == 0)
      return i->id;
  }
  key = g_strconcat (c->fqdn, "\\", name, NULL);
  i = g_new0 (LpTbSqlInstance, 1);
  i->id = lp_tbxml_uuid ("sql", key);
  i->name = name;
  g_ptr_array_add (c->instances, i);
  return i->id;
}

/* The site's design gives the store a SQL instance of its own: one of
 * @sr's own-instance-notes is among the notes it carries (@notes_here), the
 * text plan's words for it. */
static gboolean
wants_own_instance (const LpTbServiceRule *sr, GHashTable *notes_here)
{
  for (guint k = 0; sr->own_instance != NULL && sr->own_instance_notes[k] != NULL; k++)
    if (g_hash_table_contains (notes_here, sr->own_instance_notes[k]))
      return TRUE;
  return FALSE;
}

static LpTbService *
service_new (guint rule, const LpTbServiceRule *sr, LpTbCluster *c, const LpTopology *t,
             GHashTable *notes_here)
{
  LpTbService *s = g_new0 (LpTbService, 1);
  g_autofree char *key = g_strconcat (sr->id, "@", c->fqdn, NULL);

  s->rule = rule;
  s->cluster = c;
  s->id = lp_tbxml_uuid ("service", key);
  s->role_name = sr->role_name;
  s->role_version = sr->role_version;
  s->installed_on = !sr->sql                              ? c->id
                    : wants_own_instance (sr, notes_here) ? own_instance (c, sr->own_instance)
                                                          : c->sql_id;
  s->type = sr->type;
  s->element = sr->element;
  s->attr_names = g_ptr_array_new_with_free_func (g_free);
  s->attr_values = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; sr->attributes[i] != NULL; i++) {
    const char *eq = strchr (sr->attributes[i], '=');
    g_ptr_array_add (s->attr_names, g_strndup (sr->attributes[i], eq - sr->attributes[i]));
    g_ptr_array_add (s->attr_values, replace (eq + 1, "{fqdn}", c->fqdn));
  }
  s->depends = g_array_new (FALSE, FALSE, sizeof (LpTbDependency));
  s->unverified = sr->unverified;
  s->ports = sr->ports;
  s->web_components = (const char *const *) sr->web_components;
  s->mcus = (const char *const *) sr->mcus;
  if (sr->external_settings)
    s->external_host = g_strdup (c->node->web_external != NULL ? c->node->web_external : c->fqdn);
  port_fqdns (s, sr, t);
  return s;
}

/* The services of [tb-service] @rule at @site; @env the site's values. */
static void
make_services (LpTbDoc *d, const LpTbRules *tb, const LpTopology *t, guint rule,
               const LpTbSite *site, const double *env, GHashTable *notes_here)
{
  const LpTbServiceRule *sr = g_ptr_array_index (tb->services, rule);
  g_autoptr (GPtrArray) cs = g_ptr_array_new ();
  g_autoptr (GHashTable) pools = g_hash_table_new (g_direct_hash, g_direct_equal);

  if (sr->applies != NULL && lp_expr_eval (sr->applies, env) == 0)
    return;
  if (sr->unless_at_site >= 0) {
    clusters_of_rule (site, (guint) sr->unless_at_site, cs);
    if (cs->len > 0)
      return;
  }
  for (guint k = 0; k < sr->on->len; k++) {
    guint cr = g_array_index (sr->on, guint, k);
    const LpTbClusterRule *crule = g_ptr_array_index (tb->clusters, cr);
    gboolean any = FALSE;
    g_ptr_array_set_size (cs, 0);
    clusters_of_rule (site, cr, cs);
    for (guint i = 0; i < cs->len; i++) {
      LpTbCluster *c = g_ptr_array_index (cs, i);
      gconstpointer pool = c->owner != NULL ? c->owner : c->node;
      if ((sr->sql && c->sql_id == NULL) || !node_has_role (c->node, sr->roles))
        continue;
      /* a per-server endpoint: a store on the first server of each pool its
       * servers serve (per-pool), else on the first server unless "each" */
      if (crule->shape == LP_TB_SERVER && sr->per_pool && g_hash_table_contains (pools, pool))
        continue;
      g_ptr_array_add (d->services, service_new (rule, sr, c, t, notes_here));
      g_hash_table_add (pools, (gpointer) pool);
      any = TRUE;
      if (crule->shape == LP_TB_SERVER && !sr->each && !sr->per_pool)
        break;
    }
    if (any)
      return;
  }
}

/* The values a [tb-service]'s applies formula reads at plan site @i: the
 * scenario's, with the site's own site-scope inputs and its users. */
static double *
site_env (const LpPlan *plan, const double *scenario, guint i)
{
  const LpRuleset *rs = plan->rs;
  const LpPlanSite *ps = &g_array_index (plan->sites, LpPlanSite, i);
  double *env = g_memdup2 (scenario, lp_symtab_size (rs->symtab) * sizeof (double));

  for (guint k = 0; ps->scenario >= 0 && k < rs->site_inputs->len; k++) {
    const LpInput *in = g_ptr_array_index (rs->site_inputs, k);
    env[in->var->slot] = lp_site_value (plan->sc, g_ptr_array_index (plan->sc->sites, ps->scenario),
                                        in, NULL);
  }
  env[rs->slots.users] = (double) ps->users;
  return env;
}

/* The ids of the template notes the design of plan site @i carries: the
 * report's notes of that site (lp_site_notes()) by id. */
static GHashTable *
site_note_ids (const LpPlan *plan, guint i)
{
  const LpCandidate *c = NULL;
  const LpSiteSizing *z = lp_plan_site_sizing (plan, i, &c);
  GHashTable *ids = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint k = 0; c != NULL && !z->empty && k < c->tmpl->notes->len; k++)
    if (z->notes & ((guint64) 1 << k))
      g_hash_table_add (ids, ((LpNote *) g_ptr_array_index (c->tmpl->notes, k))->id);
  return ids;
}

/* The instances of one [tb-service], in document order, with the first
 * instance on each node and at each site: a dependency is looked up, not
 * searched for, so resolving them is linear in services. */
typedef struct {
  GPtrArray *list;     /* of LpTbService, borrowed */
  GHashTable *by_node; /* LpTopoNode -> its first instance there */
  GHashTable *by_site; /* plan site index + 2 -> its first instance there */
} RuleIndex;

static void
rule_index_free (gpointer p)
{
  RuleIndex *x = p;
  g_ptr_array_unref (x->list);
  g_hash_table_unref (x->by_node);
  g_hash_table_unref (x->by_site);
  g_free (x);
}

static void
rule_index_add (RuleIndex *x, LpTbService *s)
{
  const LpTopoNode *n = s->cluster->node;
  const LpTopoNode *pool = s->cluster->owner != NULL ? s->cluster->owner : n;
  gpointer site = GINT_TO_POINTER (n->site + 2);

  g_ptr_array_add (x->list, s);
  if (!g_hash_table_contains (x->by_node, pool))
    g_hash_table_insert (x->by_node, (gpointer) pool, s);
  if (!g_hash_table_contains (x->by_site, site))
    g_hash_table_insert (x->by_site, site, s);
}

/* The instance of a [tb-service] (@x) that @s depends on: on the pool's Edge
 * pool, on an Edge pool's next hop, on the same pool, at the same site, else
 * the first; NULL for none. */
static const LpTbService *
pick_dependency (const LpTbService *s, const RuleIndex *x)
{
  const LpTopoNode *n = s->cluster->node;
  const LpTopoNode *prefer[] = { n->edge, n->next_hop, n };
  const LpTbService *c;

  if (x->list->len == 0)
    return NULL;
  for (guint p = 0; p < G_N_ELEMENTS (prefer); p++)
    if (prefer[p] != NULL && (c = g_hash_table_lookup (x->by_node, prefer[p])) != NULL)
      return c;
  c = g_hash_table_lookup (x->by_site, GINT_TO_POINTER (n->site + 2));
  return c != NULL ? c : g_ptr_array_index (x->list, 0);
}

static void
resolve_dependencies (LpTbDoc *d, const LpTbRules *tb)
{
  g_autoptr (GPtrArray) by_rule = g_ptr_array_new_with_free_func (rule_index_free);

  for (guint i = 0; i < tb->services->len; i++) {
    RuleIndex *x = g_new0 (RuleIndex, 1);
    x->list = g_ptr_array_new ();
    x->by_node = g_hash_table_new (g_direct_hash, g_direct_equal);
    x->by_site = g_hash_table_new (g_direct_hash, g_direct_equal);
    g_ptr_array_add (by_rule, x);
  }
  for (guint i = 0; i < d->services->len; i++) {
    LpTbService *s = g_ptr_array_index (d->services, i);
    rule_index_add (g_ptr_array_index (by_rule, s->rule), s);
  }
  for (guint i = 0; i < d->services->len; i++) {
    LpTbService *s = g_ptr_array_index (d->services, i);
    const LpTbServiceRule *sr = g_ptr_array_index (tb->services, s->rule);
    const LpTopoNode *partner = s->cluster->node->partner;
    for (guint k = 0; k < sr->depends_on->len; k++) {
      const RuleIndex *x = g_ptr_array_index (by_rule, g_array_index (sr->depends_on, guint, k));
      const LpTbService *pick = pick_dependency (s, x);
      LpTbDependency dep = { NULL, "Default", NULL };
      if (pick == NULL)
        continue;
      dep.service_id = pick->id;
      g_array_append_val (s->depends, dep);
    }
    if (sr->partner_usage != NULL && partner != NULL) {
      const RuleIndex *x = g_ptr_array_index (by_rule, s->rule);
      const LpTbService *o = g_hash_table_lookup (x->by_node, partner);
      if (o != NULL) {
        LpTbDependency dep = { o->id, sr->partner_usage, sr->partner_unverified };
        g_array_append_val (s->depends, dep);
      }
    }
  }
}

/* Server name -> the pool node it serves, for the servers of per-pool roles
 * (a Back End SQL server's Front End pool): the inventory's assignment. */
static GHashTable *
owners (const LpReport *r)
{
  const LpTopology *t = r->topology;
  GHashTable *owner_of = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) pool_node = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < t->pools->len; i++) {
    const LpTopoNode *n = g_ptr_array_index (t->pools, i);
    if (n->pool_row != NULL)
      g_hash_table_insert (pool_node, n->pool_row->name, (gpointer) n);
  }
  for (guint i = 0; i < r->inventory->servers->len; i++) {
    const LpServer *s = g_ptr_array_index (r->inventory->servers, i);
    const LpTopoNode *n = s->pool != NULL ? g_hash_table_lookup (pool_node, s->pool) : NULL;
    if (n != NULL)
      g_hash_table_insert (owner_of, s->name, (gpointer) n);
  }
  return owner_of;
}

/* Each branch site as a comment in its home site's RemoteSites, the text
 * [topology-builder] branch-site ({site}, {home}, {servers}: the branch's
 * server FQDNs): no public document shows one. One pass over the servers. */
static void
branch_comments (const LpTbRules *tb, const LpTopology *t, LpTbSite **site_of)
{
  const LpPlan *plan = t->plan;
  const char *text = g_hash_table_lookup (tb->values, "branch-site");
  g_autoptr (GPtrArray) servers = NULL;

  if (text == NULL)
    return;
  servers = g_ptr_array_new_full (plan->sites->len, (GDestroyNotify) g_ptr_array_unref);
  for (guint i = 0; i < plan->sites->len; i++)
    g_ptr_array_add (servers, g_ptr_array_new ());
  for (guint i = 0; i < t->servers->len; i++) {
    const LpTopoNode *n = g_ptr_array_index (t->servers, i);
    if (n->site >= 0 && (guint) n->site < plan->sites->len)
      g_ptr_array_add (g_ptr_array_index (servers, n->site),
                       (gpointer) (n->fqdn != NULL ? n->fqdn : n->name));
  }
  for (guint i = 0; i < plan->sites->len; i++) {
    const LpPlanSite *ps = &g_array_index (plan->sites, LpPlanSite, i);
    GPtrArray *names = g_ptr_array_index (servers, i);
    LpTbSite *home;
    g_autofree char *list = NULL, *a = NULL, *b = NULL;
    if (!ps->branch || ps->home < 0 || (guint) ps->home >= plan->sites->len ||
        (home = site_of[ps->home]) == NULL)
      continue;
    g_ptr_array_add (names, NULL);
    list = names->len > 1 ? g_strjoinv (", ", (char **) names->pdata) : g_strdup ("none");
    a = replace (text, "{site}", ps->name);
    b = replace (a, "{home}", home->name);
    g_ptr_array_add (home->remote, replace (b, "{servers}", list));
  }
}

/* A node of a [tb-cluster]'s endpoint at a site. */
typedef struct {
  guint rule; /* the [tb-cluster] */
  const LpTopoNode *node;
} SiteNode;

/* Per plan site, its nodes of every [tb-cluster]'s endpoint (GArray of
 * SiteNode), in [tb-cluster] order then the model's order: one pass over
 * the nodes, not one per site. */
static GPtrArray *
nodes_by_site (const LpTbRules *tb, const LpTopology *t, guint n_sites)
{
  GPtrArray *at = g_ptr_array_new_full (n_sites, (GDestroyNotify) g_array_unref);

  for (guint i = 0; i < n_sites; i++)
    g_ptr_array_add (at, g_array_new (FALSE, FALSE, sizeof (SiteNode)));
  for (guint c = 0; c < tb->clusters->len; c++) {
    const LpTbClusterRule *cr = g_ptr_array_index (tb->clusters, c);
    const GPtrArray *nodes = cr->endpoint == G_MAXUINT ? NULL : t->by_endpoint[cr->endpoint];
    for (guint k = 0; nodes != NULL && k < nodes->len; k++) {
      const LpTopoNode *node = g_ptr_array_index (nodes, k);
      SiteNode sn = { c, node };
      if (node->site >= 0 && (guint) node->site < n_sites)
        g_array_append_val (g_ptr_array_index (at, node->site), sn);
    }
  }
  return at;
}

LpTbDoc *
lp_tbxml_new (const LpReport *r, GError **error)
{
  const LpPlan *plan = r->plan;
  const LpTbRules *tb = plan->rs->tb;
  const LpTopology *t = r->topology;
  g_autoptr (LpTbDoc) d = NULL;
  g_autoptr (GHashTable) host_of = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree double *env = NULL;
  g_autoptr (GPtrArray) at_site = NULL;
  g_autoptr (GHashTable) owner_of = NULL;
  g_autofree gboolean *nat = NULL;
  g_autofree LpTbSite **site_of = NULL;
  gboolean set = FALSE;

  if (tb == NULL) {
    g_set_error (error, LP_ERROR, LP_ERROR_INPUT,
                 "--format tbxml: the rule set %s has no [topology-builder] group", plan->rs->id);
    return NULL;
  }
  d = g_new0 (LpTbDoc, 1);
  d->urn_builder = g_hash_table_lookup (tb->values, "urn-builder");
  d->urn_writable = g_hash_table_lookup (tb->values, "urn-writable");
  d->urn_topology = g_hash_table_lookup (tb->values, "urn-topology");
  d->urn_simple_url = g_hash_table_lookup (tb->values, "urn-simple-url");
  d->urn_service_roles = g_hash_table_lookup (tb->values, "urn-service-roles");
  d->urn_web_services = g_hash_table_lookup (tb->values, "urn-web-services");
  d->urn_base_types = g_hash_table_lookup (tb->values, "urn-base-types");
  d->mcu_vendor = g_hash_table_lookup (tb->values, "mcu-vendor");
  d->domains = (const char *const *) t->sip_domains;
  d->simple_urls = g_ptr_array_new_with_free_func (simple_url_free);
  d->sites = g_ptr_array_new_with_free_func (site_free);
  d->services = g_ptr_array_new_with_free_func (service_free);
  d->notes = g_ptr_array_new_with_free_func (g_free);
  d->service_version = (guint) scenario_value (plan, tb->service_version, &set);
  if (set)
    g_ptr_array_add (d->notes, g_strdup_printf ("ServiceVersion %u is the scenario's %s.",
                                                d->service_version, tb->service_version->name));
  else if (g_str_has_prefix (tb->service_version->source, "assumption"))
    g_ptr_array_add (d->notes, g_strdup_printf ("Unverified: ServiceVersion %u (%s).",
                                                d->service_version, tb->service_version->source));
  for (guint n = 1; n < 100; n++) {
    g_autofree char *key = g_strdup_printf ("note-%u", n);
    const char *v = g_hash_table_lookup (tb->values, key);
    if (v == NULL)
      break;
    g_ptr_array_add (d->notes, g_strdup (v));
  }
  make_simple_urls (d, tb, t);
  for (guint i = 0; r->hosts != NULL && i < r->hosts->hosts->len; i++) {
    const LpHost *h = g_ptr_array_index (r->hosts->hosts, i);
    for (guint k = 0; k < h->servers->len; k++)
      g_hash_table_insert (host_of, ((const LpServer *) g_ptr_array_index (h->servers, k))->name,
                           h->name);
  }
  owner_of = owners (r);
  env = lp_topology_scenario_env (plan);
  at_site = nodes_by_site (tb, t, plan->sites->len);
  nat = g_new0 (gboolean, tb->clusters->len);
  for (guint c = 0; c < tb->clusters->len; c++) {
    const LpTbClusterRule *cr = g_ptr_array_index (tb->clusters, c);
    gboolean nat_set;
    nat[c] = cr->nat != NULL && scenario_value (plan, cr->nat, &nat_set) != 0;
  }
  site_of = g_new0 (LpTbSite *, plan->sites->len);
  for (guint i = 0; i < plan->sites->len; i++) {
    const LpPlanSite *ps = &g_array_index (plan->sites, LpPlanSite, i);
    const GArray *here = g_ptr_array_index (at_site, i);
    double *senv;
    GHashTable *notes_here;
    LpTbSite *site;
    if (ps->branch)
      continue; /* a comment in its home site's RemoteSites says why it is not written */
    site = g_new0 (LpTbSite, 1);
    site->id = d->sites->len + 1;
    site->name = ps->name;
    site->clusters = g_ptr_array_new_with_free_func (cluster_free);
    site->remote = g_ptr_array_new_with_free_func (g_free);
    g_ptr_array_add (d->sites, site);
    site_of[i] = site;
    for (guint k = 0; k < here->len; k++) {
      const SiteNode *sn = &g_array_index (here, SiteNode, k);
      make_clusters (site, sn->rule, g_ptr_array_index (tb->clusters, sn->rule), sn->node, host_of,
                     owner_of, nat[sn->rule], d->notes);
    }
    senv = site_env (plan, env, i);
    notes_here = site_note_ids (plan, i);
    for (guint s = 0; s < tb->services->len; s++)
      make_services (d, tb, t, s, site, senv, notes_here);
    g_clear_pointer (&senv, g_free);
    g_clear_pointer (&notes_here, g_hash_table_unref);
  }
  branch_comments (tb, t, site_of);
  resolve_dependencies (d, tb);
  return g_steal_pointer (&d);
}
