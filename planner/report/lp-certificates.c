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
firewall_rule_free (gpointer p)
{
  LpFirewallRule *f = p;
  g_free (f->from);
  g_free (f->to);
  g_free (f);
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

/* What a row's name templates are filled from: its site, and its pool
 * (per = pool) or every pool of the site (per = site). */
typedef struct {
  const LpPlan *plan;
  const LpInventory *inv;
  const LpResilience *res;
  const GArray *roles; /* the row's roles */
  guint site;
  const LpPool *pool; /* nullable: per = site */
} LpNaming;

static gboolean
has_role (const GArray *roles, guint role)
{
  for (guint i = 0; i < roles->len; i++)
    if (g_array_index (roles, guint, i) == role)
      return TRUE;
  return FALSE;
}

static gboolean
pool_in_scope (const LpNaming *nm, const LpPool *pool)
{
  return nm->pool != NULL ? pool == nm->pool : pool->site == nm->site;
}

/* Each server of the row's pools (@pooled) or of its roles at its site. */
static void
add_members (const LpNaming *nm, gboolean pooled, GPtrArray *out)
{
  for (guint i = 0; i < nm->inv->servers->len; i++) {
    const LpServer *s = g_ptr_array_index (nm->inv->servers, i);
    gboolean in = FALSE;

    if (s->site != nm->site)
      continue;
    if (pooled || nm->pool != NULL) {
      for (guint k = 0; !in && s->pool != NULL && k < nm->inv->pools->len; k++) {
        const LpPool *p = g_ptr_array_index (nm->inv->pools, k);
        in = pool_in_scope (nm, p) && p->role == s->role && strcmp (p->name, s->pool) == 0;
      }
    } else
      in = has_role (nm->roles, s->role);
    if (in)
      g_ptr_array_add (out, g_strdup (s->name));
  }
}

/* {servers:ROLE}: the servers of ROLE at the site, only the pool's own for
 * a per-pool row where the role's servers belong to pools. */
static void
add_role_servers (const LpNaming *nm, const char *id, GPtrArray *out)
{
  for (guint i = 0; i < nm->inv->servers->len; i++) {
    const LpServer *s = g_ptr_array_index (nm->inv->servers, i);
    const LpRole *role = g_ptr_array_index (nm->plan->rs->roles, s->role);

    if (s->site != nm->site || strcmp (role->id, id) != 0)
      continue;
    if (nm->pool != NULL && s->pool != NULL && strcmp (s->pool, nm->pool->name) != 0)
      continue;
    g_ptr_array_add (out, g_strdup (s->name));
  }
}

static void
add_pools (const LpNaming *nm, gboolean partners, GPtrArray *out)
{
  for (guint k = 0; k < nm->inv->pools->len; k++) {
    const LpPool *p = g_ptr_array_index (nm->inv->pools, k);
    if (!pool_in_scope (nm, p) || (partners && p->backup == NULL))
      continue;
    g_ptr_array_add (out, g_strdup (partners ? p->backup : p->name));
  }
}

/* The values of placeholder @name (checked by the loader). */
static GPtrArray *
values_of (const LpNaming *nm, const char *name)
{
  GPtrArray *v = g_ptr_array_new_with_free_func (g_free);
  const LpPlanSite *site = &g_array_index (nm->plan->sites, LpPlanSite, nm->site);

  if (strcmp (name, "domain") == 0)
    for (guint i = 0; nm->res->sip_domains[i] != NULL; i++)
      g_ptr_array_add (v, g_strdup (nm->res->sip_domains[i]));
  else if (strcmp (name, "default-domain") == 0)
    g_ptr_array_add (v, g_strdup (nm->res->sip_domain));
  else if (strcmp (name, "pool") == 0 || strcmp (name, "partner-pool") == 0)
    add_pools (nm, name[0] == 'p' && name[1] == 'a', v);
  else if (strcmp (name, "member") == 0 || strcmp (name, "pool-member") == 0)
    add_members (nm, name[0] == 'p', v);
  else if (strcmp (name, "site") == 0)
    g_ptr_array_add (v, g_strdup (g_ptr_array_index (nm->inv->site_tokens, nm->site)));
  else if (strcmp (name, "site-name") == 0)
    g_ptr_array_add (v, g_strdup (site->name));
  else if (g_str_has_prefix (name, "servers:"))
    add_role_servers (nm, name + 8, v);
  else if (g_str_has_prefix (name, "dns:"))
    g_ptr_array_add (v, g_strdup (g_hash_table_lookup (nm->plan->rs->dns, name + 4)));
  return v;
}

/* Every name @done followed by @rest stands for: one per combination of
 * the placeholders' values in @rest (none when one has no value), or with
 * @join one name, each list joined with ", ". A value is never read as a
 * template itself (a site named "{pool}" stays that text). */
static void
expand_from (const LpNaming *nm, const char *done, const char *rest, gboolean join, GPtrArray *out)
{
  const char *open = strchr (rest, '{');
  const char *close = open != NULL ? strchr (open, '}') : NULL;
  g_autofree char *name = NULL;
  g_autofree char *head = NULL;
  g_autoptr (GPtrArray) values = NULL;

  if (open == NULL || close == NULL) {
    g_ptr_array_add (out, g_strconcat (done, rest, NULL));
    return;
  }
  name = g_strndup (open + 1, (gsize) (close - open - 1));
  head = g_strndup (rest, (gsize) (open - rest));
  values = values_of (nm, name);
  if (join && values->len > 0) {
    g_autofree char *all = NULL;
    g_autofree char *next = NULL;
    g_ptr_array_add (values, NULL);
    all = g_strjoinv (", ", (char **) values->pdata);
    next = g_strconcat (done, head, all, NULL);
    expand_from (nm, next, close + 1, join, out);
    return;
  }
  for (guint i = 0; i < values->len; i++) {
    g_autofree char *next = g_strconcat (done, head, g_ptr_array_index (values, i), NULL);
    expand_from (nm, next, close + 1, join, out);
  }
}

static void
expand (const LpNaming *nm, const char *text, gboolean join, GPtrArray *out)
{
  expand_from (nm, "", text, join, out);
}

static gboolean
listed (const GPtrArray *names, const char *name)
{
  for (guint i = 0; i < names->len; i++)
    if (g_ascii_strcasecmp (g_ptr_array_index (names, i), name) == 0)
      return TRUE;
  return FALSE;
}

static void
add_certificate (LpCertificates *c, const LpNaming *nm, const LpCertRule *rule)
{
  g_autoptr (GPtrArray) subject = g_ptr_array_new_with_free_func (g_free);
  LpCertificate *cert;

  expand (nm, rule->subject, FALSE, subject);
  if (subject->len == 0)
    return;
  cert = g_new0 (LpCertificate, 1);
  cert->rule = rule;
  cert->site = nm->site;
  cert->subject = g_strdup (g_ptr_array_index (subject, 0));
  cert->names = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; rule->san[i] != NULL; i++) {
    g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
    expand (nm, rule->san[i], FALSE, names);
    for (guint k = 0; k < names->len; k++)
      if (!listed (cert->names, g_ptr_array_index (names, k)))
        g_ptr_array_add (cert->names, g_strdup (g_ptr_array_index (names, k)));
  }
  g_ptr_array_add (c->certificates, cert);
}

static void
add_firewall_rule (LpCertificates *c, const LpNaming *nm, const LpPortRule *rule)
{
  g_autoptr (GPtrArray) from = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) to = g_ptr_array_new_with_free_func (g_free);
  LpFirewallRule *f;

  expand (nm, rule->from, TRUE, from);
  expand (nm, rule->to, TRUE, to);
  if (from->len == 0 || to->len == 0)
    return;
  f = g_new0 (LpFirewallRule, 1);
  f->rule = rule;
  f->site = nm->site;
  f->from = g_strdup (g_ptr_array_index (from, 0));
  f->to = g_strdup (g_ptr_array_index (to, 0));
  g_ptr_array_add (c->firewall, f);
}

typedef void (*LpRowFunc) (LpCertificates *c, const LpNaming *nm, gconstpointer rule);

static void
certificate_cb (LpCertificates *c, const LpNaming *nm, gconstpointer rule)
{
  add_certificate (c, nm, rule);
}

static void
firewall_cb (LpCertificates *c, const LpNaming *nm, gconstpointer rule)
{
  add_firewall_rule (c, nm, rule);
}

/* Calls @fn for each pool (per = pool) or each site (per = site) of the
 * row's roles. */
static void
each_scope (LpCertificates *c, LpNaming *nm, LpNameScope per, LpRowFunc fn, gconstpointer rule)
{
  if (per == LP_PER_POOL) {
    for (guint k = 0; k < nm->inv->pools->len; k++) {
      nm->pool = g_ptr_array_index (nm->inv->pools, k);
      nm->site = nm->pool->site;
      if (has_role (nm->roles, nm->pool->role))
        fn (c, nm, rule);
    }
    nm->pool = NULL;
    return;
  }
  for (guint i = 0; i < nm->plan->sites->len; i++) {
    const LpSiteSizing *z = lp_plan_site_sizing (nm->plan, i, NULL);
    gboolean present = FALSE;
    for (guint r = 0; !z->empty && r < nm->roles->len; r++)
      present |= z->roles[g_array_index (nm->roles, guint, r)] > 0;
    nm->site = i;
    if (present)
      fn (c, nm, rule);
  }
}

LpCertificates *
lp_certificates_new (const LpPlan *plan, const LpInventory *inv, const LpResilience *res)
{
  LpCertificates *c = g_new0 (LpCertificates, 1);
  LpNaming nm = { .plan = plan, .inv = inv, .res = res };

  c->certificates = g_ptr_array_new_with_free_func (certificate_free);
  c->firewall = g_ptr_array_new_with_free_func (firewall_rule_free);
  for (guint i = 0; i < plan->rs->certificates->len; i++) {
    const LpCertRule *rule = g_ptr_array_index (plan->rs->certificates, i);
    nm.roles = rule->roles;
    each_scope (c, &nm, rule->per, certificate_cb, rule);
  }
  for (guint i = 0; i < plan->rs->ports->len; i++) {
    const LpPortRule *rule = g_ptr_array_index (plan->rs->ports, i);
    nm.roles = rule->roles;
    each_scope (c, &nm, rule->per, firewall_cb, rule);
  }
  return c;
}
