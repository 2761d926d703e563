/* lp-cli-diff.c: `lyncplan diff`: the difference between two scenarios' plans. */
#include <stdio.h>
#include <string.h>

#include "lp-cli.h"
#include "lp-engine.h"
#include "lp-error.h"
#include "lp-session.h"

/* Exit statuses as diff(1)'s. */
enum { LP_DIFF_SAME = 0, LP_DIFF_DIFFER = 1, LP_DIFF_TROUBLE = 2 };

typedef struct {
  char *format;
  char *format_help; /* made from lp_changes_writers */
  char **with;
  char *rules_dir;
  char *prices;
} LpDiffOptions;

static const char diff_description[] =
  "Plans scenario A and scenario B and lists what differs between the plans: the design\n"
  "per site group, the servers and appliances, each site's roles, the requirement figures\n"
  "and their verdicts, and the cost. B is B.ini, or A with the --with changes (KEY as\n"
  "sweep --vary names it: users@SITE, rto, remote-percent@SITE, product, a rule constant);\n"
  "with both, the changes apply to B.ini.\n"
  "\n"
  "--format json lists each change with its path, old and new value (null for what one\n"
  "side does not have).\n"
  "\n"
  "Exit status: 0 the plans are the same; 1 they differ (a B that no design can meet is\n"
  "a difference); 2 trouble (bad command line, scenario or rules, an unreadable file).\n"
  "\n"
  "Examples:\n"
  "  lyncplan diff examples/dr-standard.ini examples/dr-enterprise.ini\n"
  "  lyncplan diff examples/four-sites-dr.ini --with users@NYC=40000 --with dr-rto=8h\n";

void
lp_cli_diff_formats (void)
{
  lp_formats_print_names (LP_FORMATS (lp_changes_writers));
}

static gboolean
parse_options (LpDiffOptions *o, int *argc, char ***argv, gboolean *help, GError **error)
{
  GOptionEntry entries[] = {
    { "with", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->with,
      "B is A with KEY set to VALUE (repeatable)", "KEY=VALUE" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &o->format, o->format_help, "FORMAT" },
    { "rules-dir", 0, 0, G_OPTION_ARG_FILENAME, &o->rules_dir, "Read PRODUCT.rules from DIR",
      "DIR" },
    { "prices", 0, 0, G_OPTION_ARG_FILENAME, &o->prices,
      "Price list of both plans: costs become money", "FILE" },
    { NULL },
  };
  g_autoptr (GOptionContext)
    ctx = g_option_context_new ("A.ini [B.ini] - compare two scenarios' plans");

  g_set_prgname ("lyncplan diff");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_set_description (ctx, diff_description);
  if (!lp_cli_parse (ctx, entries, argc, argv, help, error))
    return FALSE;
  if (*help)
    return TRUE;
  if (lp_formats_choose (LP_FORMATS (lp_changes_writers), o->format, NULL, error) == NULL)
    return FALSE;
  if (*argc < 2 || *argc > 3 || (*argc == 2 && o->with == NULL)) {
    g_set_error (error, LP_ERROR, LP_ERROR_USAGE,
                 "expected A.ini and B.ini, or A.ini and --with "
                 "KEY=VALUE; see 'lyncplan diff --help'");
    return FALSE;
  }
  return TRUE;
}

/* B's --with changes, a product first: it rebuilds the scenario. */
static LpScenario *
apply_with (LpScenario *b, const LpDiffOptions *o, GPtrArray *rulesets, GError **error)
{
  g_autoptr (LpScenario) sc = b;

  for (guint i = 0; o->with[i] != NULL; i++) {
    const char *eq = strchr (o->with[i], '=');
    g_autofree char *key = NULL;
    g_autofree char *where = g_strdup_printf ("--with %s:", o->with[i]);
    if (eq == NULL || eq == o->with[i]) {
      g_set_error (error, LP_ERROR, LP_ERROR_USAGE, "--with '%s': expected KEY=VALUE", o->with[i]);
      return NULL;
    }
    key = g_strndup (o->with[i], (gsize) (eq - o->with[i]));
    if (strcmp (key, "product") == 0) {
      LpScenario *other = lp_session_rebuild (sc, rulesets, o->rules_dir, eq + 1, error);
      if (other == NULL)
        return NULL;
      lp_scenario_free (sc);
      sc = other;
    } else if (!lp_session_apply (sc, key, eq + 1, where, error)) {
      return NULL;
    }
  }
  return g_steal_pointer (&sc);
}

static gboolean
summarise (LpScenario *sc, LpPlanSummary *s, GError **error)
{
  g_autoptr (LpPlanner) planner = lp_planner_new (sc->rs);

  lp_plan_summary_init (s, sc->rs, TRUE);
  return lp_session_summarise (planner, sc, NULL, s, error);
}

static gboolean
run_diff (const LpDiffOptions *o, int argc, char **argv, gboolean *differ, GError **error)
{
  g_autoptr (GPtrArray)
    rulesets = g_ptr_array_new_with_free_func ((GDestroyNotify) lp_ruleset_free);
  g_autoptr (LpScenario) a = lp_session_load (argv[1], rulesets, o->rules_dir, error);
  g_autoptr (LpScenario) b = NULL;
  g_auto (LpPlanSummary) sa = { 0 }, sb = { 0 };
  g_autoptr (GPtrArray) changes = NULL;
  g_autofree char *text = NULL;

  if (a == NULL)
    return FALSE;
  b = argc == 3 ? lp_session_load (argv[2], rulesets, o->rules_dir, error) : lp_scenario_copy (a);
  if (b == NULL ||
      (o->with != NULL && (b = apply_with (g_steal_pointer (&b), o, rulesets, error)) == NULL))
    return FALSE;
  if (!lp_session_load_prices (a, o->prices, error) ||
      !lp_session_load_prices (b, o->prices, error) || !summarise (a, &sa, error) ||
      !summarise (b, &sb, error))
    return FALSE;
  changes = lp_session_diff (&sa, &sb);
  *differ = lp_session_plans_differ (changes);
  text = ((const LpChangesWriter *) lp_formats_choose (LP_FORMATS (lp_changes_writers), o->format,
                                                       NULL, NULL))
           ->write (sb.rs, changes);
  /* a failure is trouble (2), not main()'s 1, which for diff means the plans differ */
  return lp_output_write ("-", text, strlen (text), NULL, error);
}

int
lp_cli_diff (int argc, char **argv)
{
  LpDiffOptions o = { .format_help = lp_formats_join (LP_FORMATS (lp_changes_writers), TRUE,
                                                      " or ") };
  GError *error = NULL;
  gboolean help = FALSE, differ = FALSE;
  int status;

  if (!parse_options (&o, &argc, &argv, &help, &error) ||
      (!help && !run_diff (&o, argc, argv, &differ, &error))) {
    lp_cli_fail (error);
    status = LP_DIFF_TROUBLE;
  } else {
    status = differ ? LP_DIFF_DIFFER : LP_DIFF_SAME;
  }
  g_free (o.format);
  g_free (o.format_help);
  g_strfreev (o.with);
  g_free (o.rules_dir);
  g_free (o.prices);
  return status;
}
