/* lp-cli-plan.c: `lyncplan plan`. */
#include <stdio.h>
#include <string.h>

#include "lp-cli.h"
#include "lp-engine.h"
#include "lp-error.h"
#include "lp-output.h"
#include "lp-write-xlsx.h"
#include "lp-write.h"
#include <glib/gstdio.h>

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
  char *xlsx;
  char *prices;
  char *naming;
  char *author;
  char *company;
  char *date;
  char *sip_domain;
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
  g_free (o->xlsx);
  g_free (o->prices);
  g_free (o->naming);
  g_free (o->author);
  g_free (o->company);
  g_free (o->date);
  g_free (o->sip_domain);
}

#define VALUE_OPTION(name, i, help, arg) \
  { name, 0, 0, G_OPTION_ARG_STRING, &o->values[i], help, arg }

static GOptionEntry *
plan_entries (LpPlanOptions *o)
{
  GOptionEntry entries[] = {
    { "site", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->sites,
      "Add or change a site (repeatable)", "NAME=USERS[,remote=PCT][,dr-site=NAME]" },
    VALUE_OPTION ("rto", 0, "Longest outage after losing one server in a site", "DUR"),
    VALUE_OPTION ("rpo", 1, "Most data lost in that event", "DUR"),
    VALUE_OPTION ("dr-rto", 2, "Longest outage after losing a whole site; setting it requires DR", "DUR"),
    VALUE_OPTION ("dr-rpo", 3, "Most data lost when a site is lost; setting it requires DR", "DUR"),
    VALUE_OPTION ("sla", 4, "Yearly availability for failures inside a site", "PCT"),
    VALUE_OPTION ("response-time", 5, "Time for staff to start a manual failover", "DUR"),
    VALUE_OPTION ("remote-percent", 6, "Share of users connecting through Edge, every site", "PCT"),
    { "persistent-chat", 0, 0, G_OPTION_ARG_NONE, &o->persistent_chat, "Plan Persistent Chat servers", NULL },
    { "edition", 0, 0, G_OPTION_ARG_STRING, &o->edition, "auto (default), standard or enterprise", "EDITION" },
    { "product", 0, 0, G_OPTION_ARG_STRING, &o->product, "Rule set (default lync2013)", "ID" },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->sets,
      "Override a rule constant (repeatable; 'lyncplan rules' lists them)", "NAME=VALUE" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &o->format, "text (default), json, or csv (the bill of materials)", "FORMAT" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o->output, "Write to FILE instead of standard output (- for standard output)", "FILE" },
    { "xlsx", 0, 0, G_OPTION_ARG_FILENAME, &o->xlsx, "Also write the customer workbook to FILE", "FILE" },
    { "prices", 0, 0, G_OPTION_ARG_FILENAME, &o->prices, "Price list: costs become money (see examples/)", "FILE" },
    { "naming", 0, 0, G_OPTION_ARG_STRING, &o->naming, "Server names in the workbook (default {role}{nn}-{site})", "PATTERN" },
    { "author", 0, 0, G_OPTION_ARG_STRING, &o->author, "Workbook author", "NAME" },
    { "company", 0, 0, G_OPTION_ARG_STRING, &o->company, "Workbook company", "NAME" },
    { "date", 0, 0, G_OPTION_ARG_STRING, &o->date, "The plan's date, YYYY-MM-DD", "DATE" },
    { "sip-domain", 0, 0, G_OPTION_ARG_STRING, &o->sip_domain, "SIP domain of the DNS plan (default example.com)", "DOMAIN" },
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
  "remote-percent, persistent-chat, edition, product, name, sip-domain, date, author,\n"
  "company), one [site NAME] group per\n"
  "site (users, remote-percent, dr-site) and an optional [set] group of rule constants.\n"
  "Flags override the file; what neither sets takes the rule set's default ('lyncplan\n"
  "rules' lists them). Durations take a unit: 90s, 30m, 4h, 1d, 1h30m.\n"
  "Percentages: 99.9 or 99.9%. Setting dr-rto or dr-rpo asks for disaster recovery:\n"
  "two sites back each other up, a lone site gets a warm standby site NAME-DR, and\n"
  "with three or more sites each names its dr-site.\n"
  "\n"
  "The workbook (--xlsx) holds Summary, Bill of Materials, Servers, Pools and Pairing,\n"
  "Alternatives, Assumptions and Rule trace sheets. The same inputs give the same bytes:\n"
  "its date is --date or the scenario's date, else SOURCE_DATE_EPOCH, else none.\n"
  "\n"
  "Exit status: 0 planned; 1 could not read or write; 2 bad command line, scenario or\n"
  "rules; 3 planned, but no design meets every requirement (the plan is still written).\n"
  "\n"
  "Examples:\n"
  "  lyncplan plan --site HQ=5000 --rto 30m\n"
  "  lyncplan plan examples/dr-enterprise.ini --format json -o plan.json\n"
  "  lyncplan plan examples/standard-paired.ini --set pool-failover-time=20m --explain\n"
  "  lyncplan plan examples/dr-enterprise.ini --prices examples/prices-example.prices --xlsx plan.xlsx\n";

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
  if (o->author != NULL && !lp_scenario_set_value (sc, "author", o->author, "--author:", error))
    return FALSE;
  if (o->company != NULL && !lp_scenario_set_value (sc, "company", o->company, "--company:", error))
    return FALSE;
  if (o->date != NULL && !lp_scenario_set_value (sc, "date", o->date, "--date:", error))
    return FALSE;
  if (o->sip_domain != NULL &&
      !lp_scenario_set_value (sc, "sip-domain", o->sip_domain, "--sip-domain:", error))
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
  if (format == NULL || strcmp (format, "text") == 0 || strcmp (format, "json") == 0 ||
      strcmp (format, "csv") == 0)
    return TRUE;
  g_set_error (error, LP_ERROR, LP_ERROR_USAGE, "--format: expected text, json or csv, got '%s'",
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

/* Reports name pools and servers too, leniently: a long site name is the
 * workbook's problem, not the report's. */
static gboolean
format_plan (const LpPlanOptions *o, const LpPlan *plan, GString *out, GError **error)
{
  g_autoptr (LpInventory) inv = lp_inventory_new (plan, o->naming, FALSE, error);
  g_autoptr (LpResilience) res = NULL;

  if (inv == NULL)
    return FALSE;
  res = lp_resilience_new (plan, inv);
  if (o->format != NULL && strcmp (o->format, "json") == 0)
    lp_write_json (plan, res, o->explain, out);
  else if (o->format != NULL && strcmp (o->format, "csv") == 0)
    lp_write_csv (plan, out);
  else
    lp_write_text (plan, res, o->explain, out);
  return TRUE;
}

/* The workbook goes to a temporary file beside its target and is renamed
 * into place only when complete. */
static gboolean
write_workbook (const LpPlanOptions *o, const LpPlan *plan, GError **error)
{
  g_autoptr (LpInventory) inv = lp_inventory_new (plan, o->naming, TRUE, error);
  g_autofree char *tmp = NULL;

  if (inv == NULL || !lp_output_check_target (o->xlsx, plan->sc->filename, error))
    return FALSE;
  tmp = lp_output_temp_path (o->xlsx, error);
  if (tmp == NULL)
    return FALSE;
  if (!lp_write_xlsx (plan, inv, tmp, o->xlsx, error)) {
    g_unlink (tmp);
    return FALSE;
  }
  return lp_output_commit (tmp, o->xlsx, error);
}

static gboolean
load_inputs (const LpPlanOptions *o, LpScenario *sc, LpRuleset **rs, GError **error)
{
  *rs = lp_cli_load_ruleset (o->rules_dir, sc->product, error);
  if (*rs == NULL || !lp_scenario_resolve (sc, *rs, error))
    return FALSE;
  if (o->prices != NULL && (sc->prices = lp_prices_load (o->prices, *rs, error)) == NULL)
    return FALSE;
  return TRUE;
}

static gboolean
run_plan (const LpPlanOptions *o, int argc, char **argv, gboolean *feasible, GError **error)
{
  g_autoptr (LpScenario) sc = build_scenario (o, argc, argv, error);
  g_autoptr (LpRuleset) rs = NULL;
  g_autoptr (LpPlan) plan = NULL;
  g_autoptr (GString) out = g_string_new (NULL);

  if (sc == NULL || !load_inputs (o, sc, &rs, error))
    return FALSE;
  plan = lp_engine_plan (rs, sc, o->explain || o->xlsx != NULL, error);
  if (plan == NULL)
    return FALSE;
  if (!format_plan (o, plan, out, error))
    return FALSE;
  *feasible = plan->feasible;
  if (o->xlsx != NULL && !write_workbook (o, plan, error))
    return FALSE;
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
