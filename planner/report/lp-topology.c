/* lp-topology.c: the topology model of a plan; see lp-topology.h. */
#include "lp-topology.h"

#include "lp-arena.h"
#include "lp-error.h"
#include "lp-text.h"

#include <string.h>

/* A placeholder the DNS plan marks as a default until the scenario names its
 * domain (example.com is reserved for examples, RFC 2606). */
#define LP_DEFAULT_SIP_DOMAIN "example.com"

const char *
lp_topology_kind_name (LpTopoKind kind)
{
  static const char *const names[] = { "pool", "server", "external" };
  return names[kind];
}

/* What a node owns; the node itself is the arena's. */
static void
node_clear (gpointer p)
{
  LpTopoNode *n = p;
  g_free (n->id);
  g_ptr_array_unref (n->members);
  g_ptr_array_unref (n->published_by);
  g_ptr_array_unref (n->publishes);
  g_ptr_array_unref (n->names);
  g_ptr_array_unref (n->external_names);
}

/* What a name owns; the name itself is the arena's. */
static void
name_clear (gpointer p)
{
  LpTopoName *n = p;
  g_ptr_array_unref (n->nodes[0]);
  g_ptr_array_unref (n->nodes[1]);
}

void
lp_topology_free (LpTopology *t)
{
  if (t == NULL)
    return;
  g_hash_table_unref (t->by_name);
  g_hash_table_unref (t->by_id);
  g_ptr_array_unref (t->flows);
  g_ptr_array_unref (t->names);
  g_ptr_array_unref (t->pools);
  g_ptr_array_unref (t->servers);
  g_ptr_array_unref (t->external);
  g_strfreev (t->sip_domains);
  if (t->texts != NULL)
    g_string_chunk_free (t->texts);
  if (t->empty != NULL)
    g_ptr_array_unref (t->empty);
  for (guint e = 0; t->by_endpoint != NULL && e < t->plan->rs->endpoints->len; e++)
    g_ptr_array_unref (t->by_endpoint[e]);
  g_free (t->by_endpoint);
  if (t->pool_by_name != NULL)
    g_hash_table_unref (t->pool_by_name);
  g_free (t->index);
  lp_arena_free (t->arena); /* last: the nodes, names and flows the arrays above held */
  g_free (t);
}

/* ---- names ---- */

gboolean
lp_topology_has_role (const GArray *roles, guint role)
{
  for (guint i = 0; i < roles->len; i++)
    if (g_array_index (roles, guint, i) == role)
      return TRUE;
  return FALSE;
}

/* The values of placeholder @name at @node. */
static void
values_of (const LpTopology *t, const LpTopoNode *node, const char *name, const char *domain,
           GPtrArray *v)
{
  if (strcmp (name, "domain") == 0) {
    if (domain != NULL)
      g_ptr_array_add (v, g_strdup (domain));
    else
      for (guint i = 0; t->sip_domains[i] != NULL; i++)
        g_ptr_array_add (v, g_strdup (t->sip_domains[i]));
  } else if (strcmp (name, "default-domain") == 0)
    g_ptr_array_add (v, g_strdup (t->sip_domains[0]));
  else if (strcmp (name, "pool") == 0) {
    if (node->pool_row != NULL)
      g_ptr_array_add (v, g_strdup (node->pool_row->name));
  } else if (strcmp (name, "partner-pool") == 0) {
    if (node->partner != NULL)
      g_ptr_array_add (v, g_strdup (node->partner->name));
  } else if (strcmp (name, "member") == 0) {
    for (guint i = 0; i < node->members->len; i++)
      g_ptr_array_add (v, g_strdup (((LpTopoNode *) g_ptr_array_index (node->members, i))->name));
  } else if (strcmp (name, "server") == 0) {
    if (node->kind == LP_TOPO_SERVER)
      g_ptr_array_add (v, g_strdup (node->name));
    else if (node->endpoint != NULL && node->endpoint->per == LP_PER_SERVER &&
             node->members->len > 0)
      g_ptr_array_add (v, g_strdup (((LpTopoNode *) g_ptr_array_index (node->members, 0))->name));
  } else if (strcmp (name, "site") == 0) {
    if (node->site >= 0)
      g_ptr_array_add (v, g_strdup (g_ptr_array_index (t->inv->site_tokens, node->site)));
  } else if (strcmp (name, "site-name") == 0) {
    if (node->site >= 0)
      g_ptr_array_add (v, g_strdup (g_array_index (t->plan->sites, LpPlanSite, node->site).name));
  } else if (strcmp (name, "published") == 0) {
    for (guint i = 0; i < node->publishes->len; i++)
      g_ptr_array_add (v, g_strdup (g_ptr_array_index (node->publishes, i)));
  } else if (strcmp (name, "published-urls") == 0) {
    for (guint i = 0; i < t->external->len; i++) {
      const LpTopoNode *x = g_ptr_array_index (t->external, i);
      for (guint k = 0; x->site < 0 && k < x->external_names->len; k++)
        g_ptr_array_add (v, g_strdup (g_ptr_array_index (x->external_names, k)));
    }
  } else if (strcmp (name, "web-internal") == 0) {
    if (node->web_internal != NULL)
      g_ptr_array_add (v, g_strdup (node->web_internal));
  } else if (strcmp (name, "web-external") == 0) {
    if (node->web_external != NULL)
      g_ptr_array_add (v, g_strdup (node->web_external));
  } else if (g_str_has_prefix (name, "dns:")) {
    const char *value = g_hash_table_lookup (t->plan->rs->dns, name + 4);
    if (value != NULL)
      g_ptr_array_add (v, g_strdup (value));
  }
}

/* Every name @done followed by @rest stands for. A value is never read as
 * a template itself (a site named "{pool}" stays that text). */
static void
expand_from (const LpTopology *t, const LpTopoNode *node, const char *done, const char *rest,
             const char *domain, GPtrArray *out, GHashTable *seen)
{
  const char *open = strchr (rest, '{');
  const char *close = open != NULL ? strchr (open, '}') : NULL;
  g_autofree char *name = NULL;
  g_autofree char *head = NULL;
  g_autoptr (GPtrArray) values = NULL;

  if (open == NULL || close == NULL) {
    char *full = g_strconcat (done, rest, NULL);
    if (seen != NULL) {
      char *key = g_ascii_strdown (full, -1);
      if (g_hash_table_contains (seen, key)) {
        g_free (key);
        g_free (full);
        return;
      }
      g_hash_table_add (seen, key);
    }
    g_ptr_array_add (out, full);
    return;
  }
  name = g_strndup (open + 1, (gsize) (close - open - 1));
  head = g_strndup (rest, (gsize) (open - rest));
  values = g_ptr_array_new_with_free_func (g_free);
  values_of (t, node, name, domain, values);
  for (guint i = 0; i < values->len; i++) {
    g_autofree char *next = g_strconcat (done, head, g_ptr_array_index (values, i), NULL);
    expand_from (t, node, next, close + 1, domain, out, seen);
  }
}

void
lp_topology_expand (const LpTopology *t, const LpTopoNode *node, const char *text,
                    const char *domain, GPtrArray *out, GHashTable *seen)
{
  expand_from (t, node, "", text, domain, out, seen);
}

/* The first name @text stands for at @node, or NULL. */
static char *
first_name (const LpTopology *t, const LpTopoNode *node, const char *text)
{
  g_autoptr (GPtrArray) v = g_ptr_array_new_with_free_func (g_free);

  if (text == NULL)
    return NULL;
  lp_topology_expand (t, node, text, NULL, v, NULL);
  return v->len > 0 ? g_strdup (g_ptr_array_index (v, 0)) : NULL;
}

/* first_name(), kept in the model's texts (a node's own names). */
static const char *
expand_one (const LpTopology *t, const LpTopoNode *node, const char *text)
{
  g_autofree char *name = first_name (t, node, text);
  return name != NULL ? g_string_chunk_insert (t->texts, name) : NULL;
}

/* Adds the names @texts stand for at @node to @out, each once, kept in
 * the model's texts (many nodes share one: sip.<domain>). */
static void
expand_all (LpTopology *t, const LpTopoNode *node, GStrv texts, GPtrArray *out)
{
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; texts != NULL && texts[i] != NULL; i++)
    lp_topology_expand (t, node, texts[i], NULL, names, seen);
  for (guint i = 0; i < names->len; i++)
    g_ptr_array_add (out, (gpointer) g_string_chunk_insert_const (t->texts,
                                                                  g_ptr_array_index (names, i)));
}

/* Makes @list (the model's empty array until now) an array of its own
 * that frees its elements with @free_func, to add to. */
static GPtrArray *
own_list (LpTopology *t, GPtrArray **list, GDestroyNotify free_func)
{
  if (*list == t->empty) {
    g_ptr_array_unref (*list);
    *list = g_ptr_array_new_with_free_func (free_func);
  }
  return *list;
}

/* Registers @name as answered by @node in internal or external DNS. */
static void
add_name (LpTopology *t, const char *name, LpTopoNode *node, gboolean external)
{
  LpTopoName *n = g_hash_table_lookup (t->by_name, name);

  if (n == NULL) {
    n = lp_arena_new0 (t->arena, LpTopoName);
    n->name = g_string_chunk_insert (t->texts, name);
    n->nodes[0] = g_ptr_array_ref (t->empty);
    n->nodes[1] = g_ptr_array_ref (t->empty);
    g_ptr_array_add (t->names, n);
    g_hash_table_insert (t->by_name, (gpointer) n->name, n);
  }
  own_list (t, &n->nodes[external], NULL);
  if (external)
    n->external = TRUE;
  else
    n->internal = TRUE;
  /* a node adds its names one after the other: only the last can be it */
  if (n->nodes[external]->len == 0 ||
      g_ptr_array_index (n->nodes[external], n->nodes[external]->len - 1) != node)
    g_ptr_array_add (n->nodes[external], node);
}

const LpTopoName *
lp_topology_lookup_name (const LpTopology *t, const char *name)
{
  return g_hash_table_lookup (t->by_name, name);
}

/* ---- nodes ---- */

static LpTopoNode *
node_new (LpTopology *t, LpTopoKind kind, const LpEndpointRule *e, gint site, char *id)
{
  LpTopoNode *n = lp_arena_new0 (t->arena, LpTopoNode);

  n->kind = kind;
  n->endpoint = e;
  n->site = site;
  n->role = G_MAXUINT;
  n->id = id;
  n->label = e != NULL ? e->label : "";
  n->members = g_ptr_array_ref (t->empty);
  n->published_by = g_ptr_array_ref (t->empty);
  n->publishes = g_ptr_array_ref (t->empty);
  n->names = g_ptr_array_ref (t->empty);
  n->external_names = g_ptr_array_ref (t->empty);
  /* an id two nodes would share is numbered: ids stay unique */
  if (g_hash_table_contains (t->by_id, n->id)) {
    for (guint k = 2;; k++) {
      char *other = g_strdup_printf ("%s-%u", id, k);
      if (!g_hash_table_contains (t->by_id, other)) {
        g_free (n->id);
        n->id = other;
        break;
      }
      g_free (other);
    }
  }
  g_hash_table_insert (t->by_id, n->id, n);
  return n;
}

/* The instances of endpoint @e at @site (-1: organization-wide ones). */
static GPtrArray *
at (const LpTopology *t, guint e, gint site)
{
  return t->index[e * (t->n_sites + 1) + (guint) (site + 1)];
}

static void
index_node (LpTopology *t, guint e, LpTopoNode *n)
{
  GPtrArray **slot = &t->index[e * (t->n_sites + 1) + (guint) (n->site + 1)];

  if (*slot == NULL)
    *slot = g_ptr_array_new ();
  g_ptr_array_add (*slot, n);
  g_ptr_array_add (t->by_endpoint[e], n);
}

static gboolean
role_at_site (const LpPlan *plan, guint site, guint role)
{
  const LpSiteSizing *z = lp_plan_site_sizing (plan, site, NULL);
  return !z->empty && z->roles[role] > 0;
}

static gboolean
any_role_at_site (const LpPlan *plan, guint site, const GArray *roles)
{
  for (guint r = 0; r < roles->len; r++)
    if (role_at_site (plan, site, g_array_index (roles, guint, r)))
      return TRUE;
  return FALSE;
}

/* The scenario's values: the rule set's defaults, the scenario's settings,
 * dr; what an endpoint's or a flow's applies formula reads. */
double *
lp_topology_scenario_env (const LpPlan *plan)
{
  const LpRuleset *rs = plan->rs;
  double *env = g_memdup2 (rs->defaults, lp_symtab_size (rs->symtab) * sizeof (double));

  for (guint i = 0; i < plan->sc->settings->len; i++) {
    const LpSetting *set = g_ptr_array_index (plan->sc->settings, i);
    env[set->slot] = set->value;
  }
  env[rs->slots.dr] = plan->dr;
  return env;
}

static void
make_nodes (LpTopology *t, guint e, const double *env)
{
  const LpEndpointRule *ep = g_ptr_array_index (t->plan->rs->endpoints, e);
  const LpPlan *plan = t->plan;
  LpTopoKind kind = ep->customer || ep->per == LP_PER_ORGANIZATION ? LP_TOPO_EXTERNAL
                                                                   : LP_TOPO_POOL;
  GPtrArray *into = kind == LP_TOPO_EXTERNAL ? t->external : t->pools;

  if (ep->applies != NULL && lp_expr_eval (ep->applies, env) == 0)
    return;
  switch (ep->per) {
  case LP_PER_POOL:
    for (guint k = 0; k < t->inv->pools->len; k++) {
      const LpPool *p = g_ptr_array_index (t->inv->pools, k);
      LpTopoNode *n;
      if (!lp_topology_has_role (ep->roles, p->role))
        continue;
      n = node_new (t, kind, ep, (gint) p->site, g_strconcat (ep->id, ":", p->name, NULL));
      n->pool_row = p;
      n->name = g_string_chunk_insert (t->texts, p->name);
      g_ptr_array_add (into, n);
      g_hash_table_insert (t->pool_by_name, p->name, n);
      index_node (t, e, n);
    }
    break;
  case LP_PER_SITE:
    for (guint i = 0; i < plan->sites->len; i++) {
      const char *token = g_ptr_array_index (t->inv->site_tokens, i);
      LpTopoNode *n;
      if (!any_role_at_site (plan, i, ep->roles))
        continue;
      n = node_new (t, kind, ep, (gint) i, g_strconcat (ep->id, ":", token, NULL));
      g_ptr_array_add (into, n);
      index_node (t, e, n);
    }
    break;
  case LP_PER_SERVER:
    for (guint i = 0; i < t->inv->servers->len; i++) {
      const LpServer *s = g_ptr_array_index (t->inv->servers, i);
      LpTopoNode *n;
      if (!lp_topology_has_role (ep->roles, s->role))
        continue;
      n = node_new (t, kind, ep, (gint) s->site, g_strconcat (ep->id, ":", s->name, NULL));
      n->name = g_string_chunk_insert (t->texts, s->name);
      g_ptr_array_add (into, n);
      g_hash_table_insert (t->appliance_of, (gpointer) s, n);
      index_node (t, e, n);
    }
    break;
  case LP_PER_ORGANIZATION: {
    gboolean present = ep->roles->len == 0;
    for (guint i = 0; !present && i < plan->sites->len; i++)
      present = any_role_at_site (plan, i, ep->roles);
    if (present) {
      LpTopoNode *n = node_new (t, kind, ep, -1, g_strdup (ep->id));
      g_ptr_array_add (into, n);
      index_node (t, e, n);
    }
    break;
  }
  }
}

/* The first per = site endpoint of each role, for the servers that are not
 * in a pool. */
static void
make_servers (LpTopology *t)
{
  const LpRuleset *rs = t->plan->rs;
  g_autofree gint *site_endpoint = g_new (gint, rs->roles->len);

  for (guint r = 0; r < rs->roles->len; r++) {
    site_endpoint[r] = -1;
    for (guint e = 0; site_endpoint[r] < 0 && e < rs->endpoints->len; e++) {
      const LpEndpointRule *ep = g_ptr_array_index (rs->endpoints, e);
      if (ep->per == LP_PER_SITE && !ep->customer && lp_topology_has_role (ep->roles, r))
        site_endpoint[r] = (gint) e;
    }
  }
  for (guint i = 0; i < t->inv->servers->len; i++) {
    const LpServer *s = g_ptr_array_index (t->inv->servers, i);
    LpTopoNode *n = node_new (t, LP_TOPO_SERVER, NULL, (gint) s->site, g_strdup (s->name));
    LpTopoNode *pool = NULL;
    const LpRole *role = g_ptr_array_index (rs->roles, s->role);

    n->role = s->role;
    n->name = g_string_chunk_insert (t->texts, s->name);
    n->label = role->name;
    n->fqdn = expand_one (t, n, g_hash_table_lookup (rs->dns, "server-fqdn"));
    if (s->pool != NULL) {
      pool = g_hash_table_lookup (t->pool_by_name, s->pool);
      if (pool != NULL && !lp_topology_has_role (pool->endpoint->roles, s->role))
        pool = NULL;
    }
    if (pool == NULL)
      pool = g_hash_table_lookup (t->appliance_of, s);
    if (pool == NULL && site_endpoint[s->role] >= 0) {
      GPtrArray *here = at (t, (guint) site_endpoint[s->role], (gint) s->site);
      pool = here != NULL && here->len > 0 ? g_ptr_array_index (here, 0) : NULL;
    }
    n->pool = pool;
    if (pool != NULL)
      g_ptr_array_add (own_list (t, &pool->members, NULL), n);
    g_ptr_array_add (t->servers, n);
  }
}

/* The Edge pool the remote users of @site use: its site's edge_at, followed
 * while that site has no Edge pool of its own (a branch: its home's). */
static LpTopoNode *
edge_of_site (const LpTopology *t, gint site)
{
  for (guint step = 0; site >= 0 && t->edge_endpoint >= 0 && step < 4; step++) {
    const LpPlanSite *s = &g_array_index (t->plan->sites, LpPlanSite, site);
    GPtrArray *here = at (t, (guint) t->edge_endpoint, site);
    if (here != NULL && here->len > 0)
      return g_ptr_array_index (here, 0);
    if (s->edge_at == site)
      return NULL;
    site = s->edge_at;
  }
  return NULL;
}

static void
add_publisher (LpTopology *t, LpTopoNode *n, gint site)
{
  GPtrArray *rps = site >= 0 && t->publish_endpoint >= 0 ? at (t, (guint) t->publish_endpoint, site)
                                                         : NULL;

  for (guint i = 0; rps != NULL && i < rps->len; i++) {
    LpTopoNode *rp = g_ptr_array_index (rps, i);
    if (!g_ptr_array_find (n->published_by, rp, NULL))
      g_ptr_array_add (own_list (t, &n->published_by, NULL), rp);
  }
}

/* Partners, Edge pools, next hops, publishing reverse proxies and names. */
static void
relate (LpTopology *t)
{
  const LpRuleset *rs = t->plan->rs;

  for (guint i = 0; i < t->pools->len; i++) {
    LpTopoNode *n = g_ptr_array_index (t->pools, i);
    if (n->pool_row != NULL && n->pool_row->backup != NULL)
      n->partner = g_hash_table_lookup (t->pool_by_name, n->pool_row->backup);
    n->edge = edge_of_site (t, n->site);
    if (n->edge == n)
      n->edge = NULL;
  }
  /* an Edge pool's next hop: the first pool of its site */
  for (guint i = 0; t->edge_endpoint >= 0 && i < t->pools->len; i++) {
    LpTopoNode *n = g_ptr_array_index (t->pools, i);
    if (n->endpoint == g_ptr_array_index (rs->endpoints, t->edge_endpoint))
      for (guint k = 0; n->next_hop == NULL && k < rs->endpoints->len; k++) {
        GPtrArray *here = at (t, k, n->site);
        const LpEndpointRule *ep = g_ptr_array_index (rs->endpoints, k);
        if (ep->per == LP_PER_POOL && here != NULL && here->len > 0)
          n->next_hop = g_ptr_array_index (here, 0);
      }
  }
  /* the reverse proxies of the Edge pool's site publish a node's external
   * web services, and those of its partner's Edge pool's site (GeoDNS
   * answers the name at either) */
  for (guint i = 0; i < t->pools->len; i++) {
    LpTopoNode *n = g_ptr_array_index (t->pools, i);
    LpTopoNode *edge = n->edge != NULL ? n->edge : edge_of_site (t, n->site);
    if (n->endpoint->web_external == NULL)
      continue;
    add_publisher (t, n, edge != NULL ? edge->site : -1);
    if (n->partner != NULL) {
      LpTopoNode *pe = edge_of_site (t, n->partner->site);
      add_publisher (t, n, pe != NULL ? pe->site : -1);
    }
  }
}

/* Names, in node order: fqdn, names, web names, external names. */
static void
name_nodes (LpTopology *t)
{
  gboolean any_publisher = FALSE;

  for (guint i = 0; i < t->pools->len; i++) {
    const LpTopoNode *n = g_ptr_array_index (t->pools, i);
    any_publisher |= n->endpoint->publishes;
  }
  for (guint list = 0; list < 2; list++) {
    GPtrArray *nodes = list == 0 ? t->pools : t->external;
    for (guint i = 0; i < nodes->len; i++) {
      LpTopoNode *n = g_ptr_array_index (nodes, i);
      const LpEndpointRule *ep = n->endpoint;
      n->fqdn = expand_one (t, n, ep->fqdn);
      if (n->name == NULL)
        n->name = n->fqdn != NULL ? n->fqdn : g_string_chunk_insert (t->texts, n->id);
      n->web_internal = expand_one (t, n, ep->web_internal);
      if (n->published_by->len > 0)
        n->web_external = expand_one (t, n, ep->web_external);
      if (ep->names != NULL)
        expand_all (t, n, ep->names, own_list (t, &n->names, NULL));
      /* an internal endpoint's external names are the reverse proxies' to
       * answer: none without one */
      if (ep->external_names != NULL && (ep->zone != LP_ZONE_INTERNAL || any_publisher))
        expand_all (t, n, ep->external_names, own_list (t, &n->external_names, NULL));
    }
  }
  /* a reverse proxy lists the names of its own Edge pool's sites first,
   * then its partners' (published_by's first is the node's own) */
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < t->pools->len; i++) {
      LpTopoNode *n = g_ptr_array_index (t->pools, i);
      for (guint k = pass == 0 ? 0 : 1;
           n->web_external != NULL &&
           k < (pass == 0 ? MIN (1, n->published_by->len) : n->published_by->len);
           k++) {
        LpTopoNode *rp = g_ptr_array_index (n->published_by, k);
        g_ptr_array_add (own_list (t, &rp->publishes, NULL), (gpointer) n->web_external);
      }
    }
  for (guint i = 0; i < t->pools->len; i++) {
    LpTopoNode *n = g_ptr_array_index (t->pools, i);
    if (n->fqdn != NULL)
      add_name (t, n->fqdn, n, FALSE);
    for (guint k = 0; k < n->members->len; k++) {
      LpTopoNode *s = g_ptr_array_index (n->members, k);
      /* an appliance's server is the appliance: its name once */
      if (s->fqdn != NULL && (n->fqdn == NULL || g_ascii_strcasecmp (s->fqdn, n->fqdn) != 0))
        add_name (t, s->fqdn, s, FALSE);
    }
    for (guint k = 0; k < n->names->len; k++)
      add_name (t, g_ptr_array_index (n->names, k), n, FALSE);
    if (n->web_internal != NULL)
      add_name (t, n->web_internal, n, FALSE);
    if (n->web_external != NULL)
      add_name (t, n->web_external, n, TRUE);
    for (guint k = 0; k < n->external_names->len; k++)
      add_name (t, g_ptr_array_index (n->external_names, k), n, TRUE);
  }
  for (guint i = 0; i < t->external->len; i++) {
    LpTopoNode *n = g_ptr_array_index (t->external, i);
    if (n->fqdn != NULL)
      add_name (t, n->fqdn, n, FALSE);
    for (guint k = 0; k < n->names->len; k++)
      add_name (t, g_ptr_array_index (n->names, k), n, FALSE);
    for (guint k = 0; k < n->external_names->len; k++)
      add_name (t, g_ptr_array_index (n->external_names, k), n, TRUE);
  }
}

/* ---- flows ---- */

/* What a flow's end prints: its label (@label, else the endpoint's) and
 * name, or its servers. */
static char *
end_text (const LpTopology *t, const LpTopoNode *n, const char *label, const char *name_template,
          gboolean members)
{
  g_autofree char *name = NULL;
  GString *s;

  if (!members && name_template != NULL)
    name = first_name (t, n, name_template);
  if (!members && name == NULL && n->fqdn != NULL)
    name = g_strdup (n->fqdn);
  if (label == NULL)
    label = n->label;
  if (n->kind == LP_TOPO_EXTERNAL && name == NULL)
    return g_strdup (label);
  s = g_string_new (label);
  if (name != NULL) {
    g_string_append_c (s, ' ');
    g_string_append (s, name);
  }
  for (guint i = 0; name == NULL && i < n->members->len; i++) {
    g_string_append (s, i ? ", " : " ");
    g_string_append (s, ((LpTopoNode *) g_ptr_array_index (n->members, i))->name);
  }
  return g_string_free (s, FALSE);
}

char *
lp_topology_flow_end (const LpTopology *t, const LpTopoFlow *f, gboolean to)
{
  const LpPortRule *r = f->rule;

  return to ? end_text (t, f->to, r->to_label, r->to_name, FALSE)
            : end_text (t, f->from, r->from_label, r->from_name, r->from_members);
}

const char *
lp_topology_flow_crosses (const LpTopoFlow *f)
{
  return f->crosses_zone ? "perimeter" : f->crosses_site ? "site" : "internal";
}

/* The key of a flow's from end that its to end must share. */
static gconstpointer
from_key (const LpTopology *t, const LpPortRule *r, const LpTopoNode *f, guint index)
{
  const LpPlanSite *s;

  switch (r->between) {
  case LP_BETWEEN_ANY: return GINT_TO_POINTER (1);
  case LP_BETWEEN_FIRST: return index == 0 ? GINT_TO_POINTER (1) : NULL;
  case LP_BETWEEN_SAME_SITE: return GINT_TO_POINTER (f->site + 2);
  case LP_BETWEEN_USES_EDGE:
  case LP_BETWEEN_HOME_EDGE: return f->edge != NULL ? f->edge : NULL;
  case LP_BETWEEN_EDGE_FOR:
  case LP_BETWEEN_PUBLISHES: return f;
  case LP_BETWEEN_PARTNER:
    if (f->partner == NULL)
      return NULL;
    return r->to->per == LP_PER_POOL ? (gconstpointer) f->partner
                                     : GINT_TO_POINTER (f->partner->site + 2);
  case LP_BETWEEN_HOME:
    if (f->site < 0)
      return NULL;
    s = &g_array_index (t->plan->sites, LpPlanSite, f->site);
    return s->home >= 0 ? GINT_TO_POINTER (s->home + 2) : NULL;
  }
  return NULL;
}

/* Adds @n to the buckets of the keys a from end would look it up by. */
static void
bucket_to (GHashTable *buckets, const LpPortRule *r, LpTopoNode *n)
{
  gconstpointer keys[8];
  guint n_keys = 0;

  switch (r->between) {
  case LP_BETWEEN_ANY:
  case LP_BETWEEN_FIRST: keys[n_keys++] = GINT_TO_POINTER (1); break;
  case LP_BETWEEN_SAME_SITE:
  case LP_BETWEEN_HOME: keys[n_keys++] = GINT_TO_POINTER (n->site + 2); break;
  case LP_BETWEEN_USES_EDGE:
  case LP_BETWEEN_HOME_EDGE: keys[n_keys++] = n; break;
  case LP_BETWEEN_EDGE_FOR:
    if (n->edge != NULL)
      keys[n_keys++] = n->edge;
    break;
  case LP_BETWEEN_PARTNER:
    keys[n_keys++] = r->to->per == LP_PER_POOL ? (gconstpointer) n : GINT_TO_POINTER (n->site + 2);
    break;
  case LP_BETWEEN_PUBLISHES:
    for (guint i = 0; i < n->published_by->len; i++) {
      GPtrArray *b;
      gconstpointer key = g_ptr_array_index (n->published_by, i);
      b = g_hash_table_lookup (buckets, key);
      if (b == NULL) {
        b = g_ptr_array_new ();
        g_hash_table_insert (buckets, (gpointer) key, b);
      }
      g_ptr_array_add (b, n);
    }
    return;
  }
  for (guint i = 0; i < n_keys; i++) {
    GPtrArray *b = g_hash_table_lookup (buckets, keys[i]);
    if (b == NULL) {
      b = g_ptr_array_new ();
      g_hash_table_insert (buckets, (gpointer) keys[i], b);
    }
    g_ptr_array_add (b, n);
  }
}

static gboolean
crosses (const LpTopoNode *a, const LpTopoNode *b)
{
  LpZone za = a->endpoint != NULL ? a->endpoint->zone : LP_ZONE_INTERNAL;
  LpZone zb = b->endpoint != NULL ? b->endpoint->zone : LP_ZONE_INTERNAL;
  return za != zb;
}

static void
make_flows (LpTopology *t, const double *env)
{
  const LpRuleset *rs = t->plan->rs;

  for (guint k = 0; k < rs->ports->len; k++) {
    const LpPortRule *r = g_ptr_array_index (rs->ports, k);
    g_autoptr (GHashTable) buckets = NULL;
    guint from_e = 0, to_e = 0;
    GPtrArray *froms, *tos;

    if (r->from == NULL || r->to == NULL ||
        (r->applies != NULL && lp_expr_eval (r->applies, env) == 0))
      continue;
    g_ptr_array_find (rs->endpoints, r->from, &from_e);
    g_ptr_array_find (rs->endpoints, r->to, &to_e);
    froms = t->by_endpoint[from_e];
    tos = t->by_endpoint[to_e];
    buckets = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                     (GDestroyNotify) g_ptr_array_unref);
    for (guint i = 0; i < tos->len; i++) {
      LpTopoNode *n = g_ptr_array_index (tos, i);
      gboolean absent = FALSE;
      for (guint a = 0; !absent && n->site >= 0 && a < r->absent->len; a++)
        absent = role_at_site (t->plan, (guint) n->site, g_array_index (r->absent, guint, a));
      if (!absent)
        bucket_to (buckets, r, n);
    }
    for (guint i = 0; i < froms->len; i++) {
      LpTopoNode *f = g_ptr_array_index (froms, i);
      gconstpointer key = from_key (t, r, f, i);
      GPtrArray *b = key != NULL ? g_hash_table_lookup (buckets, key) : NULL;
      for (guint j = 0; b != NULL && j < b->len; j++) {
        LpTopoNode *to = g_ptr_array_index (b, j);
        LpTopoFlow *flow;
        if (to == f)
          continue;
        flow = lp_arena_new0 (t->arena, LpTopoFlow);
        flow->rule = r;
        flow->from = f;
        flow->to = to;
        flow->crosses_zone = crosses (f, to);
        flow->crosses_site = f->site >= 0 && to->site >= 0 && f->site != to->site;
        flow->site = (guint) MAX (f->site >= 0 ? f->site : to->site, 0);
        g_ptr_array_add (t->flows, flow);
      }
    }
  }
}

LpTopology *
lp_topology_new (const LpPlan *plan, const LpInventory *inv)
{
  const LpRuleset *rs = plan->rs;
  LpTopology *t = g_new0 (LpTopology, 1);
  g_autofree double *env = lp_topology_scenario_env (plan);
  guint n_ep = rs->endpoints->len;

  t->plan = plan;
  t->inv = inv;
  t->sip_domains = lp_scenario_sip_domains (plan->sc);
  if (t->sip_domains == NULL)
    t->sip_domains = g_strsplit (LP_DEFAULT_SIP_DOMAIN, ",", -1);
  t->n_sites = plan->sites->len;
  t->arena = lp_arena_new (64 * 1024);
  t->pools = g_ptr_array_new_with_free_func (node_clear);
  t->servers = g_ptr_array_new_with_free_func (node_clear);
  t->external = g_ptr_array_new_with_free_func (node_clear);
  t->flows = g_ptr_array_new ();
  t->names = g_ptr_array_new_with_free_func (name_clear);
  t->by_name = g_hash_table_new (lp_ascii_case_hash, lp_ascii_case_equal);
  t->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  t->texts = g_string_chunk_new (4096);
  t->empty = g_ptr_array_new ();
  t->pool_by_name = g_hash_table_new (g_str_hash, g_str_equal);
  t->appliance_of = g_hash_table_new (g_direct_hash, g_direct_equal);
  t->index = g_new0 (GPtrArray *, (gsize) n_ep * (t->n_sites + 1));
  t->by_endpoint = g_new0 (GPtrArray *, MAX (n_ep, 1));
  t->edge_endpoint = t->publish_endpoint = -1;
  for (guint e = 0; e < n_ep; e++) {
    const LpEndpointRule *ep = g_ptr_array_index (rs->endpoints, e);
    t->by_endpoint[e] = g_ptr_array_new ();
    if (t->edge_endpoint < 0 && ep->per == LP_PER_SITE &&
        lp_topology_has_role (ep->roles, rs->edge_role))
      t->edge_endpoint = (gint) e;
    if (t->publish_endpoint < 0 && ep->publishes)
      t->publish_endpoint = (gint) e;
    make_nodes (t, e, env);
  }
  make_servers (t);
  relate (t);
  name_nodes (t);
  make_flows (t, env);
  /* the lookups only building needs */
  for (guint i = 0; i < (gsize) n_ep * (t->n_sites + 1); i++)
    if (t->index[i] != NULL)
      g_ptr_array_unref (t->index[i]);
  g_clear_pointer (&t->index, g_free);
  g_hash_table_unref (t->appliance_of);
  t->appliance_of = NULL;
  return t;
}
