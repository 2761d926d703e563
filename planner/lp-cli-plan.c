/* lp-cli-plan.c: `lyncplan plan`. */
#include <stdio.h>
#include <string.h>

#include "lp-cli.h"
#include "lp-engine.h"
#include "lp-error.h"
#include "lp-output.h"
#include "lp-write.h"

typedef struct {
  char **sites;
  char **sets;
  char *values[7]; /* in the order of lp_scenario_value_keys */
  gboolean persistent_chat;
  char *edition;
  char *product;
  char *format;
  char *output;
  char *rules_dir;
  gboolean explain;
} LpPlanOptions;

static void
options_clear (LpPlanOptions *o)
{
  g_strfreev (o->sites);
  g_strfreev (o->sets);
  for (guint i = 0; i < G_N_ELEMENTS (o->values); i++)
    g_free (o->values[i]);
  g_free (o->edition);
  g_free (o->product);
  g_free (o->format);
  g_free (o->output);
  g_free (o->rules_dir);
}

#define VALUE_OPTION(name, i, help, arg) \
  { name, 0, 0, G_OPTION_ARG_STRING, &o->values[i], help, arg }

static GOptionEntry *
plan_entries (LpPlanOptions *o)
{
  GOptionEntry entries[] = {
    { "site", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->sites,
      "Add or change a site (repeatable)", "NAME=USERS[,remote=PCT][,dr-site=NAME]" },
    VALUE_OPTION ("rto", 0, "Longest outage after losing one server in a site (default 4h)", "DUR"),
    VALUE_OPTION ("rpo", 1, "Most data lost in that event (default 1h)", "DUR"),
    VALUE_OPTION ("dr-rto", 2, "Longest outage after losing a whole site; setting it requires DR", "DUR"),
    VALUE_OPTION ("dr-rpo", 3, "Most data lost when a site is lost; setting it requires DR", "DUR"),
    VALUE_OPTION ("sla", 4, "Yearly availability for failures inside a site (default 99.9)", "PCT"),
    VALUE_OPTION ("response-time", 5, "Time for staff to start a manual failover (default 30m)", "DUR"),
    VALUE_OPTION ("remote-percent", 6, "Share of users connecting through Edge, every site (default 30)", "PCT"),
    { "persistent-chat", 0, 0, G_OPTION_ARG_NONE, &o->persistent_chat, "Plan Persistent Chat servers", NULL },
    { "edition", 0, 0, G_OPTION_ARG_STRING, &o->edition, "auto (default), standard or enterprise", "EDITION" },
    { "product", 0, 0, G_OPTION_ARG_STRING, &o->product, "Rule set (default lync2013)", "ID" },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->sets,
      "Override a rule constant (repeatable; 'lyncplan rules' lists them)", "NAME=VALUE" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &o->format, "text (default) or json", "FORMAT" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o->output, "Write to FILE instead of standard output", "FILE" },
    { "explain", 0, 0, G_OPTION_ARG_NONE, &o->explain, "Add the trace of every rule that fired", NULL },
    { "rules-dir", 0, 0, G_OPTION_ARG_FILENAME, &o->rules_dir, "Read PRODUCT.rules from DIR", "DIR" },
    { NULL },
  };
  return g_memdup2 (entries, sizeof entries);
}

static const char plan_description[] =
  "Turns recovery requirements and per-site user counts into a Standard or Enterprise\n"
  "Edition topology and a bill of materials, and says why.\n"
  "\n"
  "SCENARIO.ini holds a [scenario] group (rto, rpo, dr-rto, dr-rpo, sla, response-time,\n"
  "remote-percent, persistent-chat, edition, product, name), one [site NAME] group per\n"
  "site (users, remote-percent, dr-site) and an optional [set] group of rule constants.\n"
  "Flags override the file. Durations take a unit: 90s, 30m, 4h, 1d, 1h30m.\n"
  "Percentages: 99.9 or 99.9%. Setting dr-rto or dr-rpo asks for disaster recovery:\n"
  "two sites back each other up, a lone site gets a warm standby site NAME-DR, and\n"
  "with three or more sites each names its dr-site.\n"
  "\n"
  "Exit status: 0 planned; 1 could not read or write; 2 bad command line, scenario or\n"
  "rules; 3 planned, but no design meets every requirement (the plan is still written).\n"
  "\n"
  "Examples:\n"
  "  lyncplan plan --site HQ=5000 --rto 30m\n"
  "  lyncplan plan examples/dr-enterprise.ini --format json -o plan.json\n"
  "  lyncplan plan examples/standard-paired.ini --set pool-failover-time=20m --explain\n";

static gboolean
apply_flags (const LpPlanOptions *o, LpScenario *sc, GError **error)
{
  for (guint i = 0; lp_scenario_value_keys[i] != NULL; i++) {
    g_autofree char *where = g_strdup_printf ("--%s:", lp_scenario_value_keys[i]);
    if (o->values[i] != NULL &&
        !lp_scenario_set_value (sc, lp_scenario_value_keys[i], o->values[i], where, error))
      return FALSE;
  }
  if (o->persistent_chat && !lp_scenario_set_value (sc, "persistent-chat", "true", "--persistent-chat:", error))
    return FALSE;
  if (o->edition != NULL && !lp_scenario_set_value (sc, "edition", o->edition, "--edition:", error))
    return FALSE;
  if (o->product != NULL && !lp_scenario_set_value (sc, "product", o->product, "--product:", error))
    return FALSE;
  for (guint i = 0; o->sites != NULL && o->sites[i] != NULL; i++) {
    if (!lp_scenario_add_site_flag (sc, o->sites[i], error))
      return FALSE;
  }
  for (guint i = 0; o->sets != NULL && o->sets[i] != NULL; i++) {
    if (!lp_scenario_add_set_flag (sc, o->sets[i], error))
      return FALSE;
  }
  return TRUE;
}

static LpScenario *
build_scenario (const LpPlanOptions *o, int argc, char **argv, GError **error)
{
  g_autoptr (LpScenario) sc = NULL;

  if (argc > 2) {
    g_set_error (error, LP_ERROR, LP_ERROR_USAGE,
                 "expected at most one scenario file, got '%s' and '%s'", argv[1], argv[2]);
    return NULL;
  }
  sc = argc == 2 ? lp_scenario_load (argv[1], error) : lp_scenario_new ();
  if (sc == NULL || !apply_flags (o, sc, error))
    return NULL;
  return g_steal_pointer (&sc);
}

static gboolean
check_format (const char *format, GError **error)
{
  if (format == NULL || strcmp (format, "text") == 0 || strcmp (format, "json") == 0)
    return TRUE;
  g_set_error (error, LP_ERROR, LP_ERROR_USAGE, "--format: expected text or json, got '%s'",
               format);
  return FALSE;
}

static gboolean
parse_options (LpPlanOptions *o, int *argc, char ***argv, GError **error)
{
  g_autofree GOptionEntry *entries = plan_entries (o);
  g_autoptr (GOptionContext) ctx = g_option_context_new ("[SCENARIO.ini] - plan a Lync deployment");
  g_autoptr (GError) local = NULL;

  g_set_prgname ("lyncplan plan");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_set_description (ctx, plan_description);
  if (!lp_cli_check_options (entries, *argc, *argv, error))
    return FALSE;
  if (!g_option_context_parse (ctx, argc, argv, &local)) {
    g_set_error (error, LP_ERROR, LP_ERROR_USAGE, "%s; see 'lyncplan plan --help'", local->message);
    return FALSE;
  }
  return check_format (o->format, error);
}

static gboolean
run_plan (const LpPlanOptions *o, int argc, char **argv, gboolean *feasible, GError **error)
{
  g_autoptr (LpScenario) sc = build_scenario (o, argc, argv, error);
  g_autoptr (LpRuleset) rs = NULL;
  g_autoptr (LpPlan) plan = NULL;
  g_autoptr (GString) out = g_string_new (NULL);

  if (sc == NULL)
    return FALSE;
  rs = lp_cli_load_ruleset (o->rules_dir, sc->product, error);
  if (rs == NULL || !lp_scenario_resolve (sc, rs, error))
    return FALSE;
  plan = lp_engine_plan (rs, sc, o->explain, error);
  if (plan == NULL)
    return FALSE;
  if (o->format != NULL && strcmp (o->format, "json") == 0)
    lp_write_json (plan, out);
  else
    lp_write_text (plan, out);
  *feasible = plan->feasible;
  return lp_output_write (o->output != NULL ? o->output : "-", out->str, out->len, sc->filename,
                          error);
}

int
lp_cli_plan (int argc, char **argv)
{
  LpPlanOptions o = { 0 };
  GError *error = NULL;
  gboolean feasible = TRUE;
  int status = LP_EXIT_OK;

  if (!parse_options (&o, &argc, &argv, &error) || !run_plan (&o, argc, argv, &feasible, &error))
    status = lp_cli_fail (error);
  else if (!feasible)
    status = LP_EXIT_INFEASIBLE;
  options_clear (&o);
  return status;
}
