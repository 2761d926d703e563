/* lp-ruleset-names.c: name templates: the rule file's [certificate] and [port] tables. */
#include "lp-ruleset-load.h"

#include <string.h>

#include "lp-error.h"
#include "lp-keyfile.h"

/* ---- certificates and ports ---- */

/* "roles = front-end, standard-edition": role ids of the rule file. */
static gboolean
name_roles (const LpLoad *ld, GArray *roles, GError **error)
{
  const LpKfEntry *e = lp_kf_group_lookup (ld->group, "roles");
  g_auto (GStrv) ids = g_strsplit (e->value, ",", -1);

  for (guint i = 0; ids[i] != NULL; i++) {
    guint role;
    g_autofree char *group = NULL;
    g_strstrip (ids[i]);
    group = g_strconcat ("role ", ids[i], NULL);
    if (g_hash_table_contains (ld->rs->removed, group))
      continue; /* a removed role has no servers: the row never applies */
    if (!lp_load_find_role (ld->rs, ids[i], &role))
      return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, e->line, ld->group->name, "roles",
                              "no [role %s] in the rule file", ids[i]);
    g_array_append_val (roles, role);
  }
  return TRUE;
}

/* A name template's placeholders must be known ones, {dns:KEY} a [dns] key
 * and {servers:ROLE} a role id. */
static gboolean
check_name_template (const LpLoad *ld, const char *key, const char *text, GError **error)
{
  static const char *const names[] = { "domain",       "default-domain", "pool",
                                       "partner-pool", "member",         "pool-member",
                                       "site",         "site-name",      NULL };
  const LpKfEntry *e = lp_kf_group_lookup (ld->group, key);

  for (const char *p = strchr (text, '{'); p != NULL; p = strchr (p + 1, '{')) {
    const char *close = strchr (p, '}');
    g_autofree char *name = close ? g_strndup (p + 1, (gsize) (close - p - 1)) : g_strdup (p);
    guint role;
    gboolean ok = close != NULL && g_strv_contains (names, name);

    if (!ok && close != NULL && g_str_has_prefix (name, "dns:"))
      ok = g_hash_table_contains (ld->rs->dns, name + 4);
    if (!ok && close != NULL && g_str_has_prefix (name, "servers:")) {
      g_autofree char *group = g_strconcat ("role ", name + 8, NULL);
      ok = lp_load_find_role (ld->rs, name + 8, &role) ||
           g_hash_table_contains (ld->rs->removed, group);
    }
    if (!ok)
      return lp_kf_set_error (
        error, LP_ERROR_RULES, ld->kf, e->line, ld->group->name, key,
        "unknown placeholder '{%s%s': expected {domain}, "
        "{default-domain}, {pool}, {partner-pool}, {member}, {pool-member}, {site}, "
        "{site-name}, {servers:ROLE} or {dns:KEY}",
        name, close ? "}" : "");
  }
  return TRUE;
}

static gboolean
load_name_scope (const LpLoad *ld, LpNameScope *per, GError **error)
{
  static const char *const pers[] = { "pool", "site", NULL };
  guint v = 0;

  if (!lp_load_enum (ld, "per", pers, &v, error))
    return FALSE;
  *per = (LpNameScope) v;
  return TRUE;
}

/* [certificate ID]: the certificate the roles carry, its names and issuer. */
gboolean
lp_load_certificate (const LpLoad *ld, GError **error)
{
  static const char *const keys[] = { "label",  "roles", "per",    "subject", "san",
                                      "issuer", "note",  "source", NULL };
  static const char *const req[] = { "label", "roles", "subject", "issuer", "source", NULL };
  static const char *const issuers[] = { "internal", "public", NULL };
  LpCertRule *c = g_new0 (LpCertRule, 1);
  const char *san;
  guint issuer = 0;

  c->id = g_strdup (ld->name);
  c->where = lp_load_where_line (ld, ld->group->line);
  c->roles = g_array_new (FALSE, FALSE, sizeof (guint));
  g_ptr_array_add (ld->rs->certificates, c);
  if (!lp_load_check_keys (ld, keys, req, error) ||
      !lp_load_check_source (ld, lp_load_optional (ld, "source"), error) ||
      !name_roles (ld, c->roles, error) || !load_name_scope (ld, &c->per, error) ||
      !lp_load_enum (ld, "issuer", issuers, &issuer, error) ||
      !check_name_template (ld, "subject", lp_load_optional (ld, "subject"), error))
    return FALSE;
  c->public_ca = issuer == 1;
  c->label = g_strdup (lp_load_optional (ld, "label"));
  c->subject = g_strdup (lp_load_optional (ld, "subject"));
  c->note = g_strdup (lp_load_optional (ld, "note"));
  c->source = g_strdup (lp_load_optional (ld, "source"));
  san = lp_load_optional (ld, "san");
  c->san = g_strsplit (san != NULL ? san : "", ",", -1);
  for (guint i = 0; c->san[i] != NULL; i++) {
    g_strstrip (c->san[i]);
    if (c->san[i][0] == '\0')
      return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf,
                              lp_kf_group_lookup (ld->group, "san")->line, ld->group->name, "san",
                              "an empty name: expected names separated by commas");
    if (!check_name_template (ld, "san", c->san[i], error))
      return FALSE;
  }
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

/* [port ID]: one firewall rule: from, to, port or range, protocol, purpose. */
gboolean
lp_load_port (const LpLoad *ld, GError **error)
{
  static const char *const keys[] = { "roles",    "per",     "from",   "to", "port",
                                      "protocol", "purpose", "source", NULL };
  static const char *const req[] = { "roles",    "from",    "to",     "port",
                                     "protocol", "purpose", "source", NULL };
  static const char *const protocols[] = { "TCP", "UDP", NULL };
  LpPortRule *r = g_new0 (LpPortRule, 1);
  guint protocol = 0;

  r->id = g_strdup (ld->name);
  r->where = lp_load_where_line (ld, ld->group->line);
  r->roles = g_array_new (FALSE, FALSE, sizeof (guint));
  g_ptr_array_add (ld->rs->ports, r);
  if (!lp_load_check_keys (ld, keys, req, error) ||
      !lp_load_check_source (ld, lp_load_optional (ld, "source"), error) ||
      !name_roles (ld, r->roles, error) || !load_name_scope (ld, &r->per, error) ||
      !lp_load_enum (ld, "protocol", protocols, &protocol, error) ||
      !check_port (ld, lp_load_optional (ld, "port"), error) ||
      !check_name_template (ld, "from", lp_load_optional (ld, "from"), error) ||
      !check_name_template (ld, "to", lp_load_optional (ld, "to"), error))
    return FALSE;
  r->from = g_strdup (lp_load_optional (ld, "from"));
  r->to = g_strdup (lp_load_optional (ld, "to"));
  r->port = g_strdup (lp_load_optional (ld, "port"));
  r->protocol = g_strdup (protocols[protocol]);
  r->purpose = g_strdup (lp_load_optional (ld, "purpose"));
  r->source = g_strdup (lp_load_optional (ld, "source"));
  return TRUE;
}
