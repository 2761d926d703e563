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

void
lp_certificates_free (LpCertificates *c)
{
  if (c == NULL)
    return;
  g_ptr_array_unref (c->certificates);
  g_ptr_array_unref (c->firewall);
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
  cert->site = node->site >= 0 ? (guint) node->site : 0;
  cert->subject = g_strdup (g_ptr_array_index (subject, 0));
  cert->names = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; rule->san[i] != NULL; i++)
    lp_topology_expand (t, node, rule->san[i], NULL, cert->names, seen);
  g_ptr_array_add (c->certificates, cert);
}

LpCertificates *
lp_certificates_new (const LpPlan *plan, const LpTopology *topo)
{
  LpCertificates *c = g_new0 (LpCertificates, 1);
  const LpRuleset *rs = plan->rs;

  c->certificates = g_ptr_array_new_with_free_func (certificate_free);
  c->firewall = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < rs->certificates->len; i++) {
    const LpCertRule *rule = g_ptr_array_index (rs->certificates, i);
    guint e = 0;
    if (rule->endpoint == NULL || !g_ptr_array_find (rs->endpoints, rule->endpoint, &e))
      continue;
    for (guint k = 0; k < topo->by_endpoint[e]->len; k++)
      add_certificate (c, topo, g_ptr_array_index (topo->by_endpoint[e], k), rule);
  }
  for (guint i = 0; i < topo->flows->len; i++) {
    const LpTopoFlow *flow = g_ptr_array_index (topo->flows, i);
    LpFirewallRule *f = g_new0 (LpFirewallRule, 1);
    gint site = flow->from->site >= 0 ? flow->from->site : flow->to->site;
    f->rule = flow->rule;
    f->flow = flow;
    f->site = site >= 0 ? (guint) site : 0;
    f->from = flow->from_text;
    f->to = flow->to_text;
    f->crosses = flow->crosses_zone ? "perimeter" : flow->crosses_site ? "site" : "internal";
    g_ptr_array_add (c->firewall, f);
  }
  return c;
}
