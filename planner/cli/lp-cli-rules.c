/* lp-cli-rules.c: `lyncplan rules`: what a rule set holds, for --set. */
#include <stdio.h>
#include <string.h>

#include "lp-cli.h"
#include "lp-error.h"
#include "lp-output.h"
#include "lp-scenario.h"

/* " (inherited: rules/lync2013.rules:151)" when @where is in another rule
 * file than the rule set's own, else "". */
static char *
inherited_mark (const LpRuleset *rs, const char *where)
{
  g_autofree char *own = g_path_get_basename (rs->path);
  const char *slash = strrchr (where, '/');
  const char *file = slash != NULL ? slash + 1 : where;

  if (!g_str_has_suffix (rs->path, ".rules") || !g_str_has_suffix (own, ".rules") ||
      (strncmp (file, own, strlen (own)) == 0 && file[strlen (own)] == ':') ||
      strstr (where, ".rules:") == NULL)
    return g_strdup ("");
  return g_strdup_printf (" (inherited: %s)", where);
}

static void
print_vars (const LpRuleset *rs, gboolean inputs)
{
  for (guint i = 0; i < rs->vars->len; i++) {
    const LpRuleVar *v = g_ptr_array_index (rs->vars, i);
    g_autofree char *mark = NULL;
    g_autofree char *range = NULL;
    if (v->is_input != inputs)
      continue;
    mark = inherited_mark (rs, v->where);
    range = v->has_range ? g_strdup_printf ("%s..%s", v->min_text, v->max_text) : g_strdup ("");
    printf ("  %-26s %-8s %-12s %-14s %s%s\n", v->name, v->text, range, v->unit ? v->unit : "",
            v->source, mark);
  }
}

static int
compare_strings (gconstpointer a, gconstpointer b, gpointer unused)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

static void
print_sources (const LpRuleset *rs)
{
  guint n = 0;
  g_autofree const char **keys = (const char **) g_hash_table_get_keys_as_array (rs->sources, &n);

  g_qsort_with_data (keys, (gint) n, sizeof (char *), compare_strings, NULL);
  printf ("\nSources:\n");
  for (guint i = 0; i < n; i++)
    printf ("  %-9s %s\n", keys[i], (const char *) g_hash_table_lookup (rs->sources, keys[i]));
}

/* Each rule-set [let] as its formula prints back, and where it is written. */
static void
print_lets (const LpRuleset *rs)
{
  for (guint i = 0; i < rs->lets->len; i++) {
    const LpFormula *f = g_ptr_array_index (rs->lets, i);
    g_autofree char *text = lp_expr_to_string (f->expr, rs->symtab);
    g_autofree char *mark = inherited_mark (rs, f->where);
    printf ("  %-26s = %s (%s)%s\n", f->name, text, f->where, *mark ? " (inherited)" : "");
  }
}

/* Each role in bill-of-materials order: id, category, name and source. */
static void
print_roles (const LpRuleset *rs)
{
  for (guint i = 0; i < rs->roles->len; i++) {
    const LpRole *r = g_ptr_array_index (rs->roles, i);
    g_autofree char *mark = inherited_mark (rs, r->where);
    printf ("  %-22s %-13s %s; %s%s\n", r->id,
            r->appliance       ? "appliance"
            : r->reverse_proxy ? "reverse-proxy"
                               : "server",
            r->name, r->source, mark);
  }
}

/* Each edition with the number of its caveats and its source. */
static void
print_editions (const LpRuleset *rs)
{
  for (guint i = 0; i < rs->editions->len; i++) {
    const LpEdition *e = g_ptr_array_index (rs->editions, i);
    g_autofree char *mark = inherited_mark (rs, e->where);
    printf ("  %-22s %s, %u caveats; %s%s\n", e->id, e->name, g_strv_length (e->caveats), e->source,
            mark);
  }
}

/* Each [licence]: the role it licenses, its name and source, and the designs
 * that need it. */
static void
print_licences (const LpRuleset *rs)
{
  for (guint k = 0; k < rs->licences->len; k++) {
    const LpLicence *l = g_ptr_array_index (rs->licences, k);
    const LpRole *role = g_ptr_array_index (rs->roles, l->role);
    g_autofree char *mark = inherited_mark (rs, l->where);
    g_autoptr (GString) designs = g_string_new (NULL);
    for (guint i = 0; i < rs->templates->len; i++) {
      const LpTemplate *t = g_ptr_array_index (rs->templates, i);
      if (t->licences[l->role] == (gint) k)
        g_string_append_printf (designs, "%s%s", designs->len ? ", " : "", t->id);
    }
    printf ("  %-22s %s: %s; needed by %s; %s%s\n", l->id, role->id, l->name,
            designs->len ? designs->str : "no design", l->source, mark);
  }
}

static void
print_removed (const LpRuleset *rs)
{
  guint n = 0;
  g_autofree const char **names = (const char **) g_hash_table_get_keys_as_array (rs->removed, &n);

  g_qsort_with_data (names, (gint) n, sizeof (char *), compare_strings, NULL);
  printf ("Removed from what it inherits:");
  for (guint i = 0; i < n; i++)
    printf (" [%s]", names[i]);
  printf ("\n");
}

/* `lyncplan rules --list`: every rule set of the folder, with its product
 * and support status. */
static int
list_rule_sets (const char *rules_dir)
{
  g_autofree char *dir = lp_rules_folder (rules_dir);
  g_autoptr (GPtrArray) ids = lp_ruleset_ids (rules_dir);

  for (guint i = 0; i < ids->len; i++) {
    GError *error = NULL;
    g_autoptr (LpRuleset)
      rs = lp_ruleset_load_product (rules_dir, g_ptr_array_index (ids, i), &error);
    if (rs == NULL)
      return lp_cli_fail (error);
    printf ("%-9s %s%s%s\n          support: %s\n", rs->id, rs->product,
            rs->extends != NULL ? ", extends " : "", rs->extends != NULL ? rs->extends : "",
            rs->support != NULL ? rs->support : "not stated");
  }
  if (ids->len == 0) {
    GError *error = g_error_new (LP_ERROR, LP_ERROR_INPUT, "no rule set in %s", dir);
    return lp_cli_fail (error);
  }
  return LP_EXIT_OK;
}

/* The topology model's tables: endpoints, certificates and flows, one line a
 * group, with its file and line. */
static void
print_plans (const LpRuleset *rs)
{
  static const char *const pers[] = { "pool", "site", "server", "organization" };

  printf ("\nEndpoints of the topology model ([endpoint ID]):\n");
  for (guint i = 0; i < rs->endpoints->len; i++) {
    const LpEndpointRule *e = g_ptr_array_index (rs->endpoints, i);
    g_autofree char *mark = inherited_mark (rs, e->where);
    printf ("  %-22s %s, per %s, %s (%s)%s\n", e->id, e->label, pers[e->per],
            lp_zone_word (e->zone), e->where, *mark ? " (inherited)" : "");
  }
  printf ("\nCertificates of the certificate plan ([certificate ID]):\n");
  for (guint i = 0; i < rs->certificates->len; i++) {
    const LpCertRule *c = g_ptr_array_index (rs->certificates, i);
    g_autofree char *mark = inherited_mark (rs, c->where);
    printf ("  %-18s %s, per %s, %s CA (%s)%s\n", c->id, c->label, pers[c->per],
            c->public_ca ? "public" : "internal", c->where, *mark ? " (inherited)" : "");
  }
  printf ("\nFlows of the topology model and the firewall plan ([flow ID]):\n");
  for (guint i = 0; i < rs->ports->len; i++) {
    const LpPortRule *r = g_ptr_array_index (rs->ports, i);
    g_autofree char *mark = inherited_mark (rs, r->where);
    printf ("  %-26s %11s/%s  %s (%s)%s\n", r->id, r->port, r->protocol, r->purpose, r->where,
            *mark ? " (inherited)" : "");
  }
}

static void
print_ruleset (const LpRuleset *rs)
{
  printf ("%s: %s, rule set version %s (%s)\n", rs->id, rs->product, rs->version, rs->path);
  if (rs->extends != NULL)
    printf ("Extends %s: what this file does not state is inherited, marked so below\n",
            rs->extends);
  if (rs->removed != NULL && g_hash_table_size (rs->removed) > 0)
    print_removed (rs);
  if (rs->support != NULL)
    printf ("Support: %s\n", rs->support);
  printf ("\n");
  printf ("Scenario input defaults (set them in [scenario] or with --NAME):\n");
  print_vars (rs, TRUE);
  printf (
    "\nRule constants (override with --set NAME=VALUE or a [set] group, within the range shown):\n");
  print_vars (rs, FALSE);
  printf ("\nDerived values ([let], evaluated for each site):\n");
  print_lets (rs);
  printf ("\nRoles, in bill-of-materials order:\n");
  print_roles (rs);
  printf ("\nEditions:\n");
  print_editions (rs);
  if (rs->licences->len > 0) {
    printf ("\nLicences some designs need (a price list's [licence ID] prices them):\n");
    print_licences (rs);
  }
  printf ("\nCandidate designs, in tie-break order:\n");
  {
    /* the list is the nearest rule set's of the chain that names one */
    g_autofree char *mark = rs->templates_where != NULL ? inherited_mark (rs, rs->templates_where)
                                                        : g_strdup ("");
    for (guint i = 0; i < rs->templates->len; i++) {
      const LpTemplate *t = g_ptr_array_index (rs->templates, i);
      printf ("  %-22s %s (%s)%s\n", t->id, t->name, t->file, mark);
    }
  }
  printf ("\nFailure rows of the resilience review:\n");
  for (guint i = 0; i < rs->failures->len; i++) {
    const LpFailure *f = g_ptr_array_index (rs->failures, i);
    g_autofree char *mark = inherited_mark (rs, f->where);
    printf ("  %-18s %-10s %s (%s)%s\n", f->id, lp_failure_scope_name (f->scope), f->label,
            f->where, *mark ? " (inherited)" : "");
  }
  printf ("\nStorage a year ([storage], at each site of the chosen design):\n");
  for (guint i = 0; i < rs->storage->len; i++) {
    const LpStorage *st = g_ptr_array_index (rs->storage, i);
    g_autofree char *mark = inherited_mark (rs, st->where);
    printf ("  %-22s %s; %s%s\n", st->id, st->label, st->source, mark);
  }
  print_plans (rs);
  print_sources (rs);
}

int
lp_cli_rules (int argc, char **argv)
{
  g_autofree char *rules_dir = NULL;
  g_autofree char *product = NULL;
  gboolean list = FALSE;
  GOptionEntry entries[] = {
    { "list", 0, 0, G_OPTION_ARG_NONE, &list,
      "List the rule sets (products) and their support status", NULL },
    { "product", 0, 0, G_OPTION_ARG_STRING, &product, "Rule set (default lync2013)", "ID" },
    { "rules-dir", 0, 0, G_OPTION_ARG_FILENAME, &rules_dir, "Read PRODUCT.rules from DIR", "DIR" },
    { NULL },
  };
  g_autoptr (GOptionContext)
    ctx = g_option_context_new ("- list a rule set's inputs, constants and designs");
  g_autoptr (LpRuleset) rs = NULL;
  GError *error = NULL;
  gboolean help = FALSE;

  g_set_prgname ("lyncplan rules");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!lp_cli_parse (ctx, entries, &argc, &argv, &help, &error))
    return lp_cli_fail (error);
  if (help)
    return LP_EXIT_OK;
  if (list)
    return list_rule_sets (rules_dir);
  rs = lp_ruleset_load_product (rules_dir, product != NULL ? product : LP_DEFAULT_PRODUCT, &error);
  if (rs == NULL)
    return lp_cli_fail (error);
  print_ruleset (rs);
  return LP_EXIT_OK;
}
