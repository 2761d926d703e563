/* lp-certificates.c: the certificate and firewall plans; see lp-certificates.h. */
#include "lp-certificates.h"

#include <string.h>

static void
certificate_free (gpointer p)
{
  LpCertificate *c = p;
  g_free (c->subject);
  g_ptr_array_unref (c->names);
  g_free (c);
}

static void
publish_free (gpointer p)
{
  LpPublishRule *r = p;
  g_ptr_array_unref (r->listener);
  g_ptr_array_unref (r->forward);
  g_free (r);
}

void
lp_certificates_free (LpCertificates *c)
{
  if (c == NULL)
    return;
  g_ptr_array_unref (c->certificates);
  g_ptr_array_unref (c->publishing);
  if (c->texts != NULL)
    g_string_chunk_free (c->texts);
  g_free (c);
}

const char *
lp_certificate_issuer (const LpCertRule *rule)
{
  return rule->public_ca ? "public CA" : "internal CA";
}

static void
add_certificate (LpCertificates *c, const LpTopology *t, const LpTopoNode *node,
                 const LpCertRule *rule)
{
  g_autoptr (GPtrArray) subject = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  LpCertificate *cert;

  lp_topology_expand (t, node, rule->subject, NULL, subject, NULL);
  if (subject->len == 0)
    return;
  cert = g_new0 (LpCertificate, 1);
  cert->rule = rule;
  cert->node = node;
  /* the organization's certificate is assigned once, where the Central
   * Management store is: the model's first pool's site */
  if (node->site >= 0)
    cert->site = (guint) node->site;
  else if (t->pools->len > 0 && ((LpTopoNode *) g_ptr_array_index (t->pools, 0))->site >= 0)
    cert->site = (guint) ((LpTopoNode *) g_ptr_array_index (t->pools, 0))->site;
  cert->subject = g_strdup (g_ptr_array_index (subject, 0));
  cert->names = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; rule->san[i] != NULL; i++)
    lp_topology_expand (t, node, rule->san[i], NULL, cert->names, seen);
  g_ptr_array_add (c->certificates, cert);
}

/* Appends @port to the list @h holds for @key, once. */
static void
add_port (GHashTable *h, gconstpointer key, const char *port)
{
  GPtrArray *ports = g_hash_table_lookup (h, key);

  if (ports == NULL) {
    ports = g_ptr_array_new ();
    g_hash_table_insert (h, (gpointer) key, ports);
  }
  for (guint i = 0; i < ports->len; i++)
    if (strcmp (g_ptr_array_index (ports, i), port) == 0)
      return;
  g_ptr_array_add (ports, (gpointer) port);
}

/* The ports @h holds for @key (a reference: the rows of one proxy, or of
 * one proxy and node, share one list), and them as text into @text, kept
 * once in @c's texts. */
static GPtrArray *
ports_of (LpCertificates *c, GHashTable *h, gconstpointer key, const char **text)
{
  GPtrArray *ports = g_hash_table_lookup (h, key);
  g_autoptr (GString) s = g_string_new (NULL);

  for (guint i = 0; ports != NULL && i < ports->len; i++)
    g_string_append_printf (s, "%s%s", i ? ", " : "", (char *) g_ptr_array_index (ports, i));
  *text = g_string_chunk_insert_const (c->texts, s->str);
  return ports != NULL ? g_ptr_array_ref (ports) : g_ptr_array_new ();
}

/* The key of a flow from @proxy to @target in the ports table. */
static char *
pair_key (const LpTopoNode *proxy, const LpTopoNode *target)
{
  return g_strconcat (proxy->id, "\n", target->id, NULL);
}

static void
add_publish_row (LpCertificates *c, GHashTable *certs_of, GHashTable *listen, GHashTable *forward,
                 const LpTopoNode *proxy, const LpTopoNode *target, const char *name,
                 gboolean shared)
{
  LpPublishRule *r = g_new0 (LpPublishRule, 1);
  GHashTable *names = g_hash_table_lookup (certs_of, proxy);
  g_autofree char *lower = g_ascii_strdown (name, -1);
  g_autofree char *key = pair_key (proxy, target);

  r->proxy = proxy;
  r->target = target;
  r->name = name;
  r->shared = shared;
  r->site = proxy->site >= 0 ? (guint) proxy->site : 0;
  r->certificate = names != NULL ? g_hash_table_lookup (names, lower) : NULL;
  r->listener = ports_of (c, listen, proxy, &r->listener_ports);
  r->forward = ports_of (c, forward, key, &r->target_ports);
  g_ptr_array_add (c->publishing, r);
}

/* The publishing plan: each reverse proxy's external web names, in the
 * order its certificate lists them. One pass over the pools, the flows and
 * the certificates; each proxy's rows from its own lists. */
static void
make_publishing (LpCertificates *c, const LpTopology *t)
{
  g_autoptr (GHashTable) certs_of = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                                           (GDestroyNotify) g_hash_table_unref);
  g_autoptr (GHashTable) listen = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                                         (GDestroyNotify) g_ptr_array_unref);
  g_autoptr (GHashTable) forward = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          (GDestroyNotify) g_ptr_array_unref);
  /* per proxy: the nodes it publishes as their own site's proxy ([0]) and
   * as their partner's ([1]) */
  g_autoptr (GHashTable) own = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                                      (GDestroyNotify) g_ptr_array_unref);
  g_autoptr (GHashTable) partners = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                                           (GDestroyNotify) g_ptr_array_unref);
  g_autoptr (GPtrArray) shared = g_ptr_array_new ();

  for (guint i = 0; i < c->certificates->len; i++) {
    const LpCertificate *cert = g_ptr_array_index (c->certificates, i);
    GHashTable *names;
    if (!cert->node->endpoint->publishes)
      continue;
    names = g_hash_table_lookup (certs_of, cert->node);
    if (names == NULL) {
      names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_insert (certs_of, (gpointer) cert->node, names);
    }
    for (guint k = 0; k <= cert->names->len; k++) {
      char *lower = g_ascii_strdown (k == 0 ? cert->subject
                                            : g_ptr_array_index (cert->names, k - 1),
                                     -1);
      if (g_hash_table_contains (names, lower))
        g_free (lower);
      else
        g_hash_table_insert (names, lower, (gpointer) cert);
    }
  }
  for (guint i = 0; i < t->flows->len; i++) {
    const LpTopoFlow *f = g_ptr_array_index (t->flows, i);
    if (f->to->endpoint != NULL && f->to->endpoint->publishes)
      add_port (listen, f->to, f->rule->port);
    if (f->from->endpoint != NULL && f->from->endpoint->publishes) {
      char *key = pair_key (f->from, f->to);
      if (!g_hash_table_contains (forward, key))
        g_hash_table_insert (forward, g_strdup (key), g_ptr_array_new ());
      add_port (forward, key, f->rule->port);
      g_free (key);
    }
  }
  for (guint i = 0; i < t->pools->len; i++) {
    LpTopoNode *n = g_ptr_array_index (t->pools, i);
    for (guint k = 0; n->web_external != NULL && k < n->published_by->len; k++) {
      GHashTable *h = k == 0 ? own : partners;
      gpointer rp = g_ptr_array_index (n->published_by, k);
      GPtrArray *nodes = g_hash_table_lookup (h, rp);
      if (nodes == NULL) {
        nodes = g_ptr_array_new ();
        g_hash_table_insert (h, rp, nodes);
      }
      g_ptr_array_add (nodes, n);
    }
  }
  for (guint i = 0; i < t->external->len; i++) {
    const LpTopoNode *x = g_ptr_array_index (t->external, i);
    for (guint k = 0; x->site < 0 && k < x->external_names->len; k++)
      g_ptr_array_add (shared, g_ptr_array_index (x->external_names, k));
  }
  for (guint i = 0; i < t->pools->len; i++) {
    const LpTopoNode *rp = g_ptr_array_index (t->pools, i);
    const LpTopoNode *first = NULL;
    if (!rp->endpoint->publishes)
      continue;
    for (guint pass = 0; pass < 2; pass++) {
      GPtrArray *nodes = g_hash_table_lookup (pass == 0 ? own : partners, rp);
      for (guint k = 0; nodes != NULL && k < nodes->len; k++) {
        const LpTopoNode *n = g_ptr_array_index (nodes, k);
        if (first == NULL)
          first = n;
        add_publish_row (c, certs_of, listen, forward, rp, n, n->web_external, FALSE);
      }
    }
    for (guint k = 0; first != NULL && k < shared->len; k++)
      add_publish_row (c, certs_of, listen, forward, rp, first, g_ptr_array_index (shared, k),
                       TRUE);
  }
}

LpCertificates *
lp_certificates_new (const LpPlan *plan, const LpTopology *topo)
{
  LpCertificates *c = g_new0 (LpCertificates, 1);
  const LpRuleset *rs = plan->rs;

  c->certificates = g_ptr_array_new_with_free_func (certificate_free);
  c->firewall = topo->flows;
  c->topo = topo;
  for (guint i = 0; i < rs->certificates->len; i++) {
    const LpCertRule *rule = g_ptr_array_index (rs->certificates, i);
    guint e = 0;
    if (rule->endpoint == NULL || !g_ptr_array_find (rs->endpoints, rule->endpoint, &e))
      continue;
    for (guint k = 0; k < topo->by_endpoint[e]->len; k++)
      add_certificate (c, topo, g_ptr_array_index (topo->by_endpoint[e], k), rule);
  }
  c->publishing = g_ptr_array_new_with_free_func (publish_free);
  c->texts = g_string_chunk_new (1024);
  make_publishing (c, topo);
  return c;
}
