/* lp-cli-rules.c: `lyncplan rules`: what a rule set holds, for --set. */
#include <stdio.h>

#include "lp-cli.h"
#include "lp-error.h"
#include "lp-scenario.h"

static void
print_vars (const LpRuleset *rs, gboolean inputs)
{
  for (guint i = 0; i < rs->vars->len; i++) {
    const LpRuleVar *v = g_ptr_array_index (rs->vars, i);
    if (v->is_input != inputs)
      continue;
    printf ("  %-26s %-8s %-14s %s\n", v->name, v->text, v->unit ? v->unit : "", v->source);
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
    printf ("  %-26s = %s (%s)\n", f->name, text, f->where);
  }
}

static void
print_ruleset (const LpRuleset *rs)
{
  printf ("%s: %s, rule set version %s (%s)\n\n", rs->id, rs->product, rs->version, rs->path);
  printf ("Scenario input defaults (set them in [scenario] or with --NAME):\n");
  print_vars (rs, TRUE);
  printf ("\nRule constants (override with --set NAME=VALUE or a [set] group):\n");
  print_vars (rs, FALSE);
  printf ("\nDerived values ([let], evaluated for each site):\n");
  print_lets (rs);
  printf ("\nCandidate designs, in tie-break order:\n");
  for (guint i = 0; i < rs->templates->len; i++) {
    const LpTemplate *t = g_ptr_array_index (rs->templates, i);
    printf ("  %-18s %s (%s)\n", t->id, t->name, t->file);
  }
  printf ("\nFailure rows of the resilience review:\n");
  for (guint i = 0; i < rs->failures->len; i++) {
    const LpFailure *f = g_ptr_array_index (rs->failures, i);
    printf ("  %-18s %-10s %s (%s)\n", f->id, lp_failure_scope_name (f->scope), f->label, f->where);
  }
  print_sources (rs);
}

int
lp_cli_rules (int argc, char **argv)
{
  g_autofree char *rules_dir = NULL;
  g_autofree char *product = NULL;
  GOptionEntry entries[] = {
    { "product", 0, 0, G_OPTION_ARG_STRING, &product, "Rule set (default lync2013)", "ID" },
    { "rules-dir", 0, 0, G_OPTION_ARG_FILENAME, &rules_dir, "Read PRODUCT.rules from DIR", "DIR" },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("- list a rule set's inputs, constants and designs");
  g_autoptr (LpRuleset) rs = NULL;
  GError *error = NULL;
  gboolean help = FALSE;

  g_set_prgname ("lyncplan rules");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!lp_cli_parse (ctx, entries, &argc, &argv, &help, &error))
    return lp_cli_fail (error);
  if (help)
    return LP_EXIT_OK;
  rs = lp_cli_load_ruleset (rules_dir, product != NULL ? product : LP_DEFAULT_PRODUCT, &error);
  if (rs == NULL)
    return lp_cli_fail (error);
  print_ruleset (rs);
  return LP_EXIT_OK;
}
