/* lp-ruleset-tbxml.c: the groups of the Topology Builder document
 * (--format tbxml): [topology-builder] (the document's versions, urns and
 * simple URLs), [tb-cluster ENDPOINT] (how an endpoint's nodes become
 * clusters and machines) and [tb-service ID] (a service, where it is
 * installed and what it depends on). See lp-ruleset.h, LpTbRules. */
#include "lp-ruleset-load.h"

#include <stdlib.h>
#include <string.h>

#include "lp-error.h"
#include "lp-keyfile.h"

static void
tb_cluster_free (gpointer p)
{
  LpTbClusterRule *c = p;
  g_array_unref (c->single_roles);
  g_strfreev (c->interfaces);
  g_free (c->sql_instance);
  g_free (c->single_sql_instance);
  g_free (c->nat_side);
  g_free (c->source);
  g_free (c);
}

static void
tb_service_free (gpointer p)
{
  LpTbServiceRule *s = p;
  g_free (s->id);
  g_free (s->role_name);
  g_array_unref (s->on);
  g_array_unref (s->roles);
  g_strfreev (s->depends);
  g_free (s->depends_where);
  g_array_unref (s->depends_on);
  g_free (s->type);
  g_free (s->element);
  g_strfreev (s->attributes);
  g_free (s->partner_usage);
  g_free (s->partner_unverified);
  lp_expr_free (s->applies);
  g_free (s->unverified);
  g_ptr_array_unref (s->ports);
  g_strfreev (s->web_components);
  g_strfreev (s->mcus);
  g_strfreev (s->configured_fqdn);
  g_free (s->own_instance);
  g_strfreev (s->own_instance_notes);
  g_free (s->own_instance_where);
  g_free (s->source);
  g_free (s);
}

void
lp_tb_rules_free (LpTbRules *tb)
{
  if (tb == NULL)
    return;
  g_hash_table_unref (tb->values);
  g_free (tb->unverified);
  g_ptr_array_unref (tb->clusters);
  g_ptr_array_unref (tb->services);
  g_free (tb);
}

static LpTbRules *
tb_rules (LpRuleset *rs)
{
  if (rs->tb == NULL) {
    rs->tb = g_new0 (LpTbRules, 1);
    rs->tb->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    rs->tb->clusters = g_ptr_array_new_with_free_func (tb_cluster_free);
    rs->tb->services = g_ptr_array_new_with_free_func (tb_service_free);
  }
  return rs->tb;
}

/* A whole number in [lo, hi] at @key. */
static gboolean
tb_number (const LpLoad *ld, const char *key, guint lo, guint hi, guint *out, GError **error)
{
  const LpKfEntry *e = lp_kf_group_lookup (ld->group, key);
  char *end = NULL;
  guint64 v;

  if (e == NULL)
    return TRUE;
  v = g_ascii_strtoull (e->value, &end, 10);
  if (e->value[0] < '0' || e->value[0] > '9' || *end != '\0' || v < lo || v > hi)
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, e->line, ld->group->name, key,
                            "expected a whole number from %u to %u, got '%s'", lo, hi, e->value);
  *out = (guint) v;
  return TRUE;
}

static gboolean
tb_bool (const LpLoad *ld, const char *key, gboolean *out, GError **error)
{
  static const char *const names[] = { "false", "true", NULL };
  guint v = *out ? 1 : 0;

  if (!lp_load_enum (ld, key, names, &v, error))
    return FALSE;
  *out = v == 1;
  return TRUE;
}

/* "unverified = why": the reason must say something. */
static gboolean
tb_unverified (const LpLoad *ld, char **out, GError **error)
{
  const LpKfEntry *e = lp_kf_group_lookup (ld->group, "unverified");

  if (e == NULL)
    return TRUE;
  if (e->value[0] == '\0')
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, e->line, ld->group->name, "unverified",
                            "say why no public sample shows it");
  *out = g_strdup (e->value);
  return TRUE;
}

/* [topology-builder]: service-version, the urns, simple-url-N, the closing
 * note; every value kept for the report (lp-tbxml.c), which reads the keys. */
gboolean
lp_load_topology_builder (const LpLoad *ld, GError **error)
{
  static const char *const req[] = { "service-version", "urn-builder",
                                     "urn-writable",    "urn-topology",
                                     "urn-simple-url",  "urn-service-roles",
                                     "source",          NULL };
  LpTbRules *tb = tb_rules (ld->rs);

  if (!lp_load_check_keys (ld, NULL, req, error) ||
      !lp_load_check_source (ld, lp_load_optional (ld, "source"), error) ||
      !tb_unverified (ld, &tb->unverified, error))
    return FALSE;
  tb->service_version = lp_ruleset_find_var (ld->rs, lp_load_optional (ld, "service-version"));
  if (tb->service_version == NULL || tb->service_version->is_input)
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf,
                            lp_kf_group_lookup (ld->group, "service-version")->line,
                            ld->group->name, "service-version", "no [constant %s] in the rule file",
                            lp_load_optional (ld, "service-version"));
  for (guint i = 0; i < ld->group->entries->len; i++) {
    const LpKfEntry *e = g_ptr_array_index (ld->group->entries, i);
    gboolean known = g_str_has_prefix (e->key, "simple-url-") ||
                     g_str_has_prefix (e->key, "note-") || g_str_has_prefix (e->key, "urn-");
    for (guint k = 0; !known && req[k] != NULL; k++)
      known = strcmp (e->key, req[k]) == 0;
    if (!known && strcmp (e->key, "unverified") != 0 && strcmp (e->key, "mcu-vendor") != 0 &&
        strcmp (e->key, "branch-site") != 0)
      return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, e->line, ld->group->name, e->key,
                              "unknown key: expected service-version, urn-*, simple-url-N, "
                              "note-N, mcu-vendor, branch-site, unverified or source");
    if (g_str_has_prefix (e->key, "simple-url-")) {
      g_auto (GStrv) parts = g_strsplit (e->value, " ", -1);
      if (g_strv_length (parts) != 3)
        return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, e->line, ld->group->name, e->key,
                                "expected 'COMPONENT DOMAIN URL' (DOMAIN '*' or {domain})");
    }
    g_hash_table_insert (tb->values, g_strdup (e->key), g_strdup (e->value));
  }
  return TRUE;
}

static gboolean
find_endpoint (const LpRuleset *rs, const char *id, guint *out)
{
  for (guint i = 0; i < rs->endpoints->len; i++) {
    const LpEndpointRule *e = g_ptr_array_index (rs->endpoints, i);
    if (strcmp (e->id, id) == 0) {
      *out = i;
      return TRUE;
    }
  }
  return FALSE;
}

/* nat = CONSTANT and nat-side = SIDE go together: SIDE one of the
 * interfaces, CONSTANT a [constant] of the rule file (0: no NAT). */
static gboolean
tb_nat (const LpLoad *ld, LpTbClusterRule *c, GError **error)
{
  const LpKfEntry *nat = lp_kf_group_lookup (ld->group, "nat");
  const LpKfEntry *side = lp_kf_group_lookup (ld->group, "nat-side");

  if (nat == NULL && side == NULL)
    return TRUE;
  if (nat == NULL || side == NULL)
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, (nat != NULL ? nat : side)->line,
                            ld->group->name, nat != NULL ? "nat-side" : "nat",
                            "nat and nat-side go together");
  c->nat = lp_ruleset_find_var (ld->rs, nat->value);
  if (c->nat == NULL || c->nat->is_input)
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, nat->line, ld->group->name, "nat",
                            "no [constant %s] in the rule file", nat->value);
  if (!g_strv_contains ((const char *const *) c->interfaces, side->value))
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, side->line, ld->group->name, "nat-side",
                            "'%s' is not one of its interfaces", side->value);
  c->nat_side = g_strdup (side->value);
  return TRUE;
}

/* [tb-cluster ENDPOINT]: the clusters of an endpoint's nodes. An endpoint the
 * rule set removed makes none (its endpoint is G_MAXUINT). */
gboolean
lp_load_tb_cluster (const LpLoad *ld, GError **error)
{
  static const char *const keys[] = {
    "shape",        "single-roles",        "replication", "setup",    "fault-domains", "interfaces",
    "sql-instance", "single-sql-instance", "nat",         "nat-side", "source",        NULL
  };
  static const char *const req[] = { "shape", "source", NULL };
  static const char *const shapes[] = { "pool", "farm", "server", NULL };
  LpTbRules *tb = tb_rules (ld->rs);
  LpTbClusterRule *c = g_new0 (LpTbClusterRule, 1);
  g_autofree char *group = g_strconcat ("endpoint ", ld->name, NULL);
  guint shape = 0;

  c->single_roles = g_array_new (FALSE, FALSE, sizeof (guint));
  c->endpoint = G_MAXUINT;
  g_ptr_array_add (tb->clusters, c);
  if (tb->clusters->len > LP_MAX_TB_GROUPS)
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, ld->group->line, ld->group->name, NULL,
                            "more than %u [tb-cluster] groups", LP_MAX_TB_GROUPS);
  if (!lp_load_check_keys (ld, keys, req, error) ||
      !lp_load_check_source (ld, lp_load_optional (ld, "source"), error) ||
      !lp_load_enum (ld, "shape", shapes, &shape, error) ||
      !lp_load_roles_of (ld, "single-roles", c->single_roles, error) ||
      !tb_bool (ld, "replication", &c->replication, error) ||
      !tb_bool (ld, "setup", &c->setup, error) ||
      !tb_bool (ld, "fault-domains", &c->fault_domains, error))
    return FALSE;
  if (!find_endpoint (ld->rs, ld->name, &c->endpoint) &&
      !g_hash_table_contains (ld->rs->removed, group))
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, ld->group->line, ld->group->name, NULL,
                            "no [endpoint %s] in the rule file", ld->name);
  c->shape = (LpTbShape) shape;
  c->interfaces = lp_load_split_list (lp_load_optional (ld, "interfaces"));
  c->sql_instance = g_strdup (lp_load_optional (ld, "sql-instance"));
  c->single_sql_instance = g_strdup (lp_load_optional (ld, "single-sql-instance"));
  c->source = g_strdup (lp_load_optional (ld, "source"));
  return tb_nat (ld, c, error);
}

static gint
find_cluster (const LpRuleset *rs, const char *endpoint)
{
  for (guint i = 0; rs->tb != NULL && i < rs->tb->clusters->len; i++) {
    const LpTbClusterRule *c = g_ptr_array_index (rs->tb->clusters, i);
    if (c->endpoint != G_MAXUINT &&
        strcmp (((LpEndpointRule *) g_ptr_array_index (rs->endpoints, c->endpoint))->id,
                endpoint) == 0)
      return (gint) i;
  }
  return -1;
}

/* KEY = endpoint, endpoint: each with a [tb-cluster] (one of a removed
 * endpoint is left out). */
static gboolean
tb_clusters (const LpLoad *ld, const char *key, GArray *out, GError **error)
{
  const LpKfEntry *e = lp_kf_group_lookup (ld->group, key);
  g_auto (GStrv) ids = NULL;

  if (e == NULL)
    return TRUE;
  ids = lp_load_split_list (e->value);
  for (guint i = 0; ids[i] != NULL; i++) {
    g_autofree char *group = g_strconcat ("endpoint ", ids[i], NULL);
    gint c = find_cluster (ld->rs, ids[i]);
    if (c < 0 && g_hash_table_contains (ld->rs->removed, group))
      continue;
    if (c < 0)
      return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, e->line, ld->group->name, key,
                              "no [tb-cluster %s] in the rule file", ids[i]);
    g_array_append_val (out, c);
  }
  return TRUE;
}

/* port-N = OWNER USAGE SIDE PORT PROTOCOL URLPATH AUTHORIZES [NAME=VALUE ...]:
 * one Port of the service, its attributes in the public documents' order
 * (InterfaceNumber 1). */
static gboolean
tb_port (const LpLoad *ld, const LpKfEntry *e, GPtrArray *ports, GError **error)
{
  static const char *const names[] = { "Owner",    "Usage",   "InterfaceSide",     "Port",
                                       "Protocol", "UrlPath", "AuthorizesRequests" };
  g_auto (GStrv) all = g_strsplit_set (e->value, " \t", -1);
  g_autoptr (GPtrArray) words = g_ptr_array_new ();
  GPtrArray *attrs;
  gboolean ok;
  char *end = NULL;
  guint64 port = 0;

  for (guint i = 0; all[i] != NULL; i++)
    if (all[i][0] != '\0')
      g_ptr_array_add (words, all[i]);
  ok = words->len >= G_N_ELEMENTS (names);
  if (ok) {
    const char *p = g_ptr_array_index (words, 3), *auth = g_ptr_array_index (words, 6);
    port = g_ascii_strtoull (p, &end, 10);
    ok = p[0] >= '0' && p[0] <= '9' && *end == '\0' && port >= 1 && port <= 65535 &&
         (strcmp (auth, "true") == 0 || strcmp (auth, "false") == 0);
  }
  for (guint i = G_N_ELEMENTS (names); ok && i < words->len; i++) {
    const char *w = g_ptr_array_index (words, i);
    ok = strchr (w, '=') != NULL && w[0] != '=';
  }
  if (!ok)
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, e->line, ld->group->name, e->key,
                            "expected 'OWNER USAGE SIDE PORT PROTOCOL URLPATH true|false "
                            "[NAME=VALUE ...]' (PORT from 1 to 65535), got '%s'",
                            e->value);
  attrs = g_ptr_array_new ();
  for (guint i = 0; i < words->len; i++) {
    const char *w = g_ptr_array_index (words, i);
    g_ptr_array_add (attrs, i < G_N_ELEMENTS (names) ? g_strconcat (names[i], "=", w, NULL)
                                                     : g_strdup (w));
    if (i == 2)
      g_ptr_array_add (attrs, g_strdup ("InterfaceNumber=1"));
  }
  g_ptr_array_add (attrs, NULL);
  g_ptr_array_add (ports, g_ptr_array_free (attrs, FALSE));
  return TRUE;
}

/* configured-fqdn = COMPONENT TEMPLATE, ...: TEMPLATE one of the
 * external-names of an endpoint the service is on, so the name is the
 * model's. */
static gboolean
tb_configured_fqdn (const LpLoad *ld, LpTbServiceRule *s, GError **error)
{
  const LpKfEntry *e = lp_kf_group_lookup (ld->group, "configured-fqdn");

  s->configured_fqdn = lp_load_split_list (e != NULL ? e->value : NULL);
  for (guint i = 0; s->configured_fqdn[i] != NULL; i++) {
    g_auto (GStrv) words = g_strsplit (s->configured_fqdn[i], " ", -1);
    gboolean found = FALSE;
    if (g_strv_length (words) != 2 || words[0][0] == '\0' || words[1][0] == '\0')
      return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, e->line, ld->group->name,
                              "configured-fqdn", "expected 'COMPONENT TEMPLATE', got '%s'",
                              s->configured_fqdn[i]);
    for (guint k = 0; !found && k < s->on->len; k++) {
      const LpTbClusterRule *c = g_ptr_array_index (ld->rs->tb->clusters,
                                                    g_array_index (s->on, guint, k));
      const LpEndpointRule *ep = g_ptr_array_index (ld->rs->endpoints, c->endpoint);
      found = g_strv_contains ((const char *const *) ep->external_names, words[1]);
    }
    if (!found)
      return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, e->line, ld->group->name,
                              "configured-fqdn",
                              "'%s' is not an external name of an endpoint the service is on",
                              words[1]);
  }
  return TRUE;
}

/* own-instance = NAME and own-instance-notes = NOTE, ... go together, on a
 * service installed on a SqlInstance (sql = true). */
static gboolean
tb_own_instance (const LpLoad *ld, LpTbServiceRule *s, GError **error)
{
  const LpKfEntry *name = lp_kf_group_lookup (ld->group, "own-instance");
  const LpKfEntry *notes = lp_kf_group_lookup (ld->group, "own-instance-notes");

  s->own_instance_notes = lp_load_split_list (notes != NULL ? notes->value : NULL);
  if (name == NULL && notes == NULL)
    return TRUE;
  if (name == NULL || notes == NULL || name->value[0] == '\0' || s->own_instance_notes[0] == NULL)
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, (name != NULL ? name : notes)->line,
                            ld->group->name, name == NULL ? "own-instance" : "own-instance-notes",
                            "own-instance (a SqlInstance's name) and own-instance-notes (the "
                            "template notes that give the store one) go together");
  if (!s->sql)
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, name->line, ld->group->name,
                            "own-instance", "only a service on a SqlInstance (sql = true) has one");
  s->own_instance = g_strdup (name->value);
  s->own_instance_where = lp_load_where (ld, notes);
  return TRUE;
}

/* [tb-service ID]: a service of the document. */
gboolean
lp_load_tb_service (const LpLoad *ld, GError **error)
{
  static const char *const keys[] = { "role-name",
                                      "role-version",
                                      "on",
                                      "roles",
                                      "sql",
                                      "each",
                                      "per-pool",
                                      "depends",
                                      "type",
                                      "element",
                                      "attributes",
                                      "partner-usage",
                                      "partner-unverified",
                                      "unless-at-site",
                                      "applies",
                                      "unverified",
                                      "source",
                                      "external-settings",
                                      "web-components",
                                      "mcus",
                                      "configured-fqdn",
                                      "own-instance",
                                      "own-instance-notes",
                                      NULL };
  static const char *const req[] = { "role-name", "role-version", "on", "source", NULL };
  LpTbRules *tb = tb_rules (ld->rs);
  LpTbServiceRule *s = g_new0 (LpTbServiceRule, 1);
  g_autoptr (GArray) unless = g_array_new (FALSE, FALSE, sizeof (guint));

  s->id = g_strdup (ld->name);
  s->on = g_array_new (FALSE, FALSE, sizeof (guint));
  s->roles = g_array_new (FALSE, FALSE, sizeof (guint));
  s->depends_on = g_array_new (FALSE, FALSE, sizeof (guint));
  s->ports = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  s->unless_at_site = -1;
  g_ptr_array_add (tb->services, s);
  if (tb->services->len > LP_MAX_TB_GROUPS)
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, ld->group->line, ld->group->name, NULL,
                            "more than %u [tb-service] groups", LP_MAX_TB_GROUPS);
  for (guint i = 0; i < ld->group->entries->len; i++) {
    const LpKfEntry *e = g_ptr_array_index (ld->group->entries, i);
    gboolean known = FALSE;
    for (guint k = 0; !known && keys[k] != NULL; k++)
      known = strcmp (e->key, keys[k]) == 0;
    if (known)
      continue;
    if (!g_str_has_prefix (e->key, "port-"))
      return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, e->line, ld->group->name, e->key,
                              "unknown key");
    if (s->ports->len >= LP_MAX_TB_GROUPS)
      return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, e->line, ld->group->name, e->key,
                              "more than %u ports", LP_MAX_TB_GROUPS);
    if (!tb_port (ld, e, s->ports, error))
      return FALSE;
  }
  if (!lp_load_check_keys (ld, NULL, req, error) ||
      !lp_load_check_source (ld, lp_load_optional (ld, "source"), error) ||
      !tb_number (ld, "role-version", 1, 99, &s->role_version, error) ||
      !tb_bool (ld, "external-settings", &s->external_settings, error) ||
      !tb_clusters (ld, "on", s->on, error) || !lp_load_roles_of (ld, "roles", s->roles, error) ||
      !tb_bool (ld, "sql", &s->sql, error) || !tb_bool (ld, "each", &s->each, error) ||
      !tb_bool (ld, "per-pool", &s->per_pool, error) ||
      !tb_clusters (ld, "unless-at-site", unless, error) ||
      !tb_unverified (ld, &s->unverified, error) ||
      !lp_load_compile (ld, "applies", FALSE, &s->applies, error))
    return FALSE;
  if (s->each && s->per_pool)
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf,
                            lp_kf_group_lookup (ld->group, "per-pool")->line, ld->group->name,
                            "per-pool", "each and per-pool: one service a cluster or one a pool");
  if (unless->len > 1)
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf,
                            lp_kf_group_lookup (ld->group, "unless-at-site")->line, ld->group->name,
                            "unless-at-site", "expected one endpoint");
  if (unless->len == 1)
    s->unless_at_site = (gint) g_array_index (unless, guint, 0);
  if (lp_kf_group_lookup (ld->group, "attributes") != NULL &&
      lp_kf_group_lookup (ld->group, "element") == NULL)
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf,
                            lp_kf_group_lookup (ld->group, "attributes")->line, ld->group->name,
                            "attributes", "attributes belong to an element: add element");
  s->attributes = lp_load_split_list (lp_load_optional (ld, "attributes"));
  for (guint i = 0; s->attributes[i] != NULL; i++) {
    const char *eq = strchr (s->attributes[i], '=');
    if (eq == NULL || eq == s->attributes[i])
      return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf,
                              lp_kf_group_lookup (ld->group, "attributes")->line, ld->group->name,
                              "attributes", "expected NAME=VALUE, got '%s'", s->attributes[i]);
  }
  s->role_name = g_strdup (lp_load_optional (ld, "role-name"));
  s->depends = lp_load_split_list (lp_load_optional (ld, "depends"));
  if (lp_kf_group_lookup (ld->group, "depends") != NULL)
    s->depends_where = lp_load_where (ld, lp_kf_group_lookup (ld->group, "depends"));
  s->type = g_strdup (lp_load_optional (ld, "type"));
  s->element = g_strdup (lp_load_optional (ld, "element"));
  s->partner_usage = g_strdup (lp_load_optional (ld, "partner-usage"));
  s->partner_unverified = g_strdup (lp_load_optional (ld, "partner-unverified"));
  if ((s->partner_usage != NULL) != (s->partner_unverified != NULL))
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, ld->group->line, ld->group->name,
                            "partner-usage",
                            "partner-usage and partner-unverified go together: no public sample "
                            "shows pool pairing, so say so");
  s->web_components = lp_load_split_list (lp_load_optional (ld, "web-components"));
  s->mcus = lp_load_split_list (lp_load_optional (ld, "mcus"));
  for (guint i = 0; s->mcus[i] != NULL; i++) {
    g_auto (GStrv) words = g_strsplit (s->mcus[i], " ", -1);
    for (guint k = 1; words[k] != NULL; k++)
      if (strchr (words[k], '=') == NULL || words[k][0] == '=')
        return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf,
                                lp_kf_group_lookup (ld->group, "mcus")->line, ld->group->name,
                                "mcus", "expected 'NAME [NAME=VALUE ...]', got '%s'", s->mcus[i]);
  }
  if ((s->external_settings || s->web_components[0] != NULL || s->mcus[0] != NULL) &&
      s->element == NULL)
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, ld->group->line, ld->group->name, NULL,
                            "external-settings, web-components and mcus are inside an element: "
                            "add element");
  s->source = g_strdup (lp_load_optional (ld, "source"));
  return tb_configured_fqdn (ld, s, error) && tb_own_instance (ld, s, error);
}

gboolean
lp_tb_rules_check_notes (const LpRuleset *rs, GError **error)
{
  g_autoptr (GHashTable) ids = NULL;

  if (rs->tb == NULL)
    return TRUE;
  ids = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint t = 0; t < rs->templates->len; t++) {
    const LpTemplate *tmpl = g_ptr_array_index (rs->templates, t);
    for (guint k = 0; k < tmpl->notes->len; k++)
      g_hash_table_add (ids, ((LpNote *) g_ptr_array_index (tmpl->notes, k))->id);
  }
  for (guint i = 0; i < rs->tb->services->len; i++) {
    const LpTbServiceRule *s = g_ptr_array_index (rs->tb->services, i);
    for (guint k = 0; s->own_instance_notes[k] != NULL; k++)
      if (!g_hash_table_contains (ids, s->own_instance_notes[k])) {
        g_set_error (error, LP_ERROR, LP_ERROR_RULES,
                     "%s: [tb-service %s] own-instance-notes: no [note %s] in the templates",
                     s->own_instance_where, s->id, s->own_instance_notes[k]);
        return FALSE;
      }
  }
  return TRUE;
}

gboolean
lp_tb_rules_resolve (LpRuleset *rs, const LpKeyfile *kf, GError **error)
{
  g_autoptr (GHashTable) by_id = NULL;

  if (rs->tb == NULL)
    return TRUE;
  if (!g_hash_table_contains (rs->tb->values, "service-version"))
    return lp_kf_set_error (error, LP_ERROR_RULES, kf, 0, NULL, NULL,
                            "[tb-cluster] and [tb-service] groups need a [topology-builder] group");
  by_id = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < rs->tb->services->len; i++) {
    LpTbServiceRule *s = g_ptr_array_index (rs->tb->services, i);
    g_hash_table_insert (by_id, s->id, GUINT_TO_POINTER (i + 1));
  }
  for (guint i = 0; i < rs->tb->services->len; i++) {
    LpTbServiceRule *s = g_ptr_array_index (rs->tb->services, i);
    for (guint k = 0; s->depends[k] != NULL; k++) {
      g_autofree char *group = g_strconcat ("tb-service ", s->depends[k], NULL);
      guint d = GPOINTER_TO_UINT (g_hash_table_lookup (by_id, s->depends[k]));
      if (d == 0 && g_hash_table_contains (rs->removed, group))
        continue;
      if (d == 0) {
        g_set_error (error, LP_ERROR, LP_ERROR_RULES,
                     "%s: [tb-service %s] depends: no [tb-service %s] in the rule file",
                     s->depends_where, s->id, s->depends[k]);
        return FALSE;
      }
      d--;
      g_array_append_val (s->depends_on, d);
    }
  }
  return TRUE;
}
