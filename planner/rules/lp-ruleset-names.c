/* lp-ruleset-names.c: the topology model's tables: the rule file's [endpoint],
 * [certificate] and [flow] groups and their name templates. */
#include "lp-ruleset-load.h"

#include <string.h>

#include "lp-error.h"
#include "lp-keyfile.h"

/* "KEY = front-end, standard-edition": role ids of the rule file (none when
 * the key is absent). */
gboolean
lp_load_roles_of (const LpLoad *ld, const char *key, GArray *roles, GError **error)
{
  const LpKfEntry *e = lp_kf_group_lookup (ld->group, key);
  g_auto (GStrv) ids = NULL;

  if (e == NULL)
    return TRUE;
  ids = g_strsplit (e->value, ",", -1);
  for (guint i = 0; ids[i] != NULL; i++) {
    guint role;
    g_autofree char *group = NULL;
    g_strstrip (ids[i]);
    group = g_strconcat ("role ", ids[i], NULL);
    if (g_hash_table_contains (ld->rs->removed, group))
      continue; /* a removed role has no servers: the row never applies */
    if (!lp_load_find_role (ld->rs, ids[i], &role))
      return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, e->line, ld->group->name, key,
                              "no [role %s] in the rule file", ids[i]);
    g_array_append_val (roles, role);
  }
  return TRUE;
}

/* A name template's placeholders must be known ones, {dns:KEY} a [dns] key. */
static gboolean
check_name_template (const LpLoad *ld, const char *key, const char *text, GError **error)
{
  static const char *const names[] = {
    "domain",       "default-domain", "pool",      "partner-pool", "member",
    "server",       "site",           "site-name", "published",    "published-urls",
    "web-internal", "web-external",   NULL
  };
  const LpKfEntry *e = lp_kf_group_lookup (ld->group, key);

  for (const char *p = strchr (text, '{'); p != NULL; p = strchr (p + 1, '{')) {
    const char *close = strchr (p, '}');
    g_autofree char *name = close ? g_strndup (p + 1, (gsize) (close - p - 1)) : g_strdup (p);
    gboolean ok = close != NULL && g_strv_contains (names, name);

    if (!ok && close != NULL && g_str_has_prefix (name, "dns:"))
      ok = g_hash_table_contains (ld->rs->dns, name + 4);
    if (!ok)
      return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, e->line, ld->group->name, key,
                              "unknown placeholder '{%s%s': expected {domain}, "
                              "{default-domain}, {pool}, {partner-pool}, {member}, {server}, "
                              "{site}, {site-name}, {published}, {published-urls}, {web-internal}, "
                              "{web-external} or {dns:KEY}",
                              name, close ? "}" : "");
  }
  return TRUE;
}

/* KEY = name, name, ...: templates, each checked; empty for none. */
static gboolean
name_list (const LpLoad *ld, const char *key, GStrv *out, GError **error)
{
  const char *text = lp_load_optional (ld, key);

  *out = g_strsplit (text != NULL ? text : "", ",", -1);
  for (guint i = 0; (*out)[i] != NULL; i++) {
    g_strstrip ((*out)[i]);
    if ((*out)[i][0] == '\0')
      return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf,
                              lp_kf_group_lookup (ld->group, key)->line, ld->group->name, key,
                              "an empty name: expected names separated by commas");
    if (!check_name_template (ld, key, (*out)[i], error))
      return FALSE;
  }
  return TRUE;
}

static gboolean
check_optional_template (const LpLoad *ld, const char *key, GError **error)
{
  const char *v = lp_load_optional (ld, key);
  return v == NULL || check_name_template (ld, key, v, error);
}

/* [endpoint ID]: a kind of node of the topology model. */
gboolean
lp_load_endpoint (const LpLoad *ld, GError **error)
{
  static const char *const keys[] = {
    "label",        "roles",        "per",       "zone",     "fqdn",    "names",  "external-names",
    "web-internal", "web-external", "publishes", "customer", "applies", "source", NULL
  };
  static const char *const req[] = { "label", "per", "zone", "source", NULL };
  static const char *const pers[] = { "pool", "site", "server", "organization", NULL };
  static const char *const zones[] = { "internal", "perimeter", "internet", NULL };
  static const char *const yes_no[] = { "no", "yes", NULL };
  LpEndpointRule *e = g_new0 (LpEndpointRule, 1);
  guint per = 0, zone = 0, publishes = 0, customer = 0;

  e->id = g_strdup (ld->name);
  e->where = lp_load_where_line (ld, ld->group->line);
  e->roles = g_array_new (FALSE, FALSE, sizeof (guint));
  g_ptr_array_add (ld->rs->endpoints, e);
  if (!lp_load_check_keys (ld, keys, req, error) ||
      !lp_load_check_source (ld, lp_load_optional (ld, "source"), error) ||
      !lp_load_roles_of (ld, "roles", e->roles, error) ||
      !lp_load_enum (ld, "per", pers, &per, error) ||
      !lp_load_enum (ld, "zone", zones, &zone, error) ||
      (lp_load_optional (ld, "publishes") != NULL &&
       !lp_load_enum (ld, "publishes", yes_no, &publishes, error)) ||
      (lp_load_optional (ld, "customer") != NULL &&
       !lp_load_enum (ld, "customer", yes_no, &customer, error)) ||
      !check_optional_template (ld, "fqdn", error) ||
      !check_optional_template (ld, "web-internal", error) ||
      !check_optional_template (ld, "web-external", error) ||
      !name_list (ld, "names", &e->names, error) ||
      !name_list (ld, "external-names", &e->external_names, error) ||
      !lp_load_compile (ld, "applies", FALSE, &e->applies, error))
    return FALSE;
  if (per == LP_PER_POOL || per == LP_PER_SERVER || per == LP_PER_SITE) {
    if (lp_kf_group_lookup (ld->group, "roles") == NULL)
      return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, ld->group->line, ld->group->name,
                              "roles", "an endpoint per %s names the roles whose servers make it",
                              pers[per]);
  }
  e->per = (LpNameScope) per;
  e->zone = (LpZone) zone;
  e->publishes = publishes == 1;
  e->customer = customer == 1;
  e->label = g_strdup (lp_load_optional (ld, "label"));
  e->fqdn = g_strdup (lp_load_optional (ld, "fqdn"));
  e->web_internal = g_strdup (lp_load_optional (ld, "web-internal"));
  e->web_external = g_strdup (lp_load_optional (ld, "web-external"));
  e->source = g_strdup (lp_load_optional (ld, "source"));
  return TRUE;
}

static const LpEndpointRule *
find_endpoint (const LpRuleset *rs, const char *id)
{
  for (guint i = 0; i < rs->endpoints->len; i++) {
    const LpEndpointRule *e = g_ptr_array_index (rs->endpoints, i);
    if (strcmp (e->id, id) == 0)
      return e;
  }
  return NULL;
}

/* KEY = ENDPOINT: an [endpoint ID] of the rule file. */
static gboolean
endpoint_of (const LpLoad *ld, const char *key, const LpEndpointRule **out, GError **error)
{
  const LpKfEntry *e = lp_kf_group_lookup (ld->group, key);

  *out = find_endpoint (ld->rs, e->value);
  if (*out == NULL) {
    g_autofree char *group = g_strconcat ("endpoint ", e->value, NULL);
    if (g_hash_table_contains (ld->rs->removed, group))
      return TRUE; /* a removed endpoint: the row never applies */
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, e->line, ld->group->name, key,
                            "no [endpoint %s] in the rule file", e->value);
  }
  return TRUE;
}

/* [certificate ID]: the certificate an endpoint presents, its names and issuer. */
gboolean
lp_load_certificate (const LpLoad *ld, GError **error)
{
  static const char *const keys[] = { "label", "endpoint", "subject", "san", "issuer",
                                      "dns",   "note",     "source",  NULL };
  static const char *const req[] = { "label", "endpoint", "subject", "issuer", "source", NULL };
  static const char *const issuers[] = { "internal", "public", NULL };
  static const char *const yes_no[] = { "no", "yes", NULL };
  LpCertRule *c = g_new0 (LpCertRule, 1);
  guint issuer = 0, dns = 1;

  c->id = g_strdup (ld->name);
  c->where = lp_load_where_line (ld, ld->group->line);
  g_ptr_array_add (ld->rs->certificates, c);
  if (!lp_load_check_keys (ld, keys, req, error) ||
      !lp_load_check_source (ld, lp_load_optional (ld, "source"), error) ||
      !endpoint_of (ld, "endpoint", &c->endpoint, error) ||
      !lp_load_enum (ld, "issuer", issuers, &issuer, error) ||
      (lp_load_optional (ld, "dns") != NULL && !lp_load_enum (ld, "dns", yes_no, &dns, error)) ||
      !check_name_template (ld, "subject", lp_load_optional (ld, "subject"), error) ||
      !name_list (ld, "san", &c->san, error))
    return FALSE;
  c->roles = g_array_new (FALSE, FALSE, sizeof (guint));
  if (c->endpoint != NULL) {
    g_array_append_vals (c->roles, c->endpoint->roles->data, c->endpoint->roles->len);
    c->per = c->endpoint->per;
  }
  c->public_ca = issuer == 1;
  c->no_dns = dns == 0;
  c->label = g_strdup (lp_load_optional (ld, "label"));
  c->subject = g_strdup (lp_load_optional (ld, "subject"));
  c->note = g_strdup (lp_load_optional (ld, "note"));
  c->source = g_strdup (lp_load_optional (ld, "source"));
  return TRUE;
}

/* "443" or "50000-59999", ports 1 to 65535, the range rising. */
static gboolean
check_port (const LpLoad *ld, const char *text, GError **error)
{
  g_auto (GStrv) ends = g_strsplit (text, "-", 3);
  guint64 lo = 0, hi = 0;
  gboolean ok = g_ascii_string_to_unsigned (ends[0], 10, 1, 65535, &lo, NULL);

  if (ok && ends[1] != NULL)
    ok = ends[2] == NULL && g_ascii_string_to_unsigned (ends[1], 10, lo + 1, 65535, &hi, NULL);
  if (!ok)
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf,
                            lp_kf_group_lookup (ld->group, "port")->line, ld->group->name, "port",
                            "expected a port from 1 to 65535 or a range LOW-HIGH, got '%s'", text);
  return TRUE;
}

/* [flow ID]: traffic between two endpoints: port or range, protocol, purpose. */
gboolean
lp_load_flow (const LpLoad *ld, GError **error)
{
  static const char *const keys[] = { "from",    "to",         "between",  "from-name",
                                      "to-name", "from-label", "to-label", "from-members",
                                      "absent",  "applies",    "port",     "protocol",
                                      "purpose", "source",     NULL };
  static const char *const req[] = { "from",     "to",      "between", "port",
                                     "protocol", "purpose", "source",  NULL };
  static const char *const protocols[] = { "TCP", "UDP", NULL };
  static const char *const betweens[] = { "any",  "same-site", "uses-edge", "edge-for",  "partner",
                                          "home", "home-edge", "first",     "publishes", NULL };
  static const char *const yes_no[] = { "no", "yes", NULL };
  LpPortRule *r = g_new0 (LpPortRule, 1);
  guint protocol = 0, between = 0, members = 0;

  r->id = g_strdup (ld->name);
  r->where = lp_load_where_line (ld, ld->group->line);
  r->absent = g_array_new (FALSE, FALSE, sizeof (guint));
  g_ptr_array_add (ld->rs->ports, r);
  if (!lp_load_check_keys (ld, keys, req, error) ||
      !lp_load_check_source (ld, lp_load_optional (ld, "source"), error) ||
      !endpoint_of (ld, "from", &r->from, error) || !endpoint_of (ld, "to", &r->to, error) ||
      !lp_load_enum (ld, "between", betweens, &between, error) ||
      (lp_load_optional (ld, "from-members") != NULL &&
       !lp_load_enum (ld, "from-members", yes_no, &members, error)) ||
      !lp_load_roles_of (ld, "absent", r->absent, error) ||
      !lp_load_enum (ld, "protocol", protocols, &protocol, error) ||
      !check_port (ld, lp_load_optional (ld, "port"), error) ||
      !check_optional_template (ld, "from-name", error) ||
      !check_optional_template (ld, "to-name", error) ||
      !lp_load_compile (ld, "applies", FALSE, &r->applies, error))
    return FALSE;
  r->between = (LpFlowBetween) between;
  if (r->between == LP_BETWEEN_ANY && r->from != NULL && r->to != NULL &&
      r->from->per != LP_PER_ORGANIZATION && r->to->per != LP_PER_ORGANIZATION)
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf,
                            lp_kf_group_lookup (ld->group, "between")->line, ld->group->name,
                            "between",
                            "'any' pairs every instance of two endpoints: one of them must be "
                            "per = organization");
  r->from_members = members == 1;
  r->from_name = g_strdup (lp_load_optional (ld, "from-name"));
  r->to_name = g_strdup (lp_load_optional (ld, "to-name"));
  r->from_label = g_strdup (lp_load_optional (ld, "from-label"));
  r->to_label = g_strdup (lp_load_optional (ld, "to-label"));
  r->port = g_strdup (lp_load_optional (ld, "port"));
  r->protocol = g_strdup (protocols[protocol]);
  r->purpose = g_strdup (lp_load_optional (ld, "purpose"));
  r->source = g_strdup (lp_load_optional (ld, "source"));
  return TRUE;
}
