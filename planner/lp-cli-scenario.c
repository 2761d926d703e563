/* lp-cli-scenario.c: the scenario options `plan` and `sweep` share. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lp-cli.h"
#include "lp-error.h"
#include "lp-units.h"

void
lp_cli_scenario_options_clear (LpScenarioOptions *o)
{
  g_strfreev (o->sites);
  g_strfreev (o->sets);
  for (guint i = 0; i < G_N_ELEMENTS (o->values); i++)
    g_free (o->values[i]);
  g_free (o->edition);
  g_free (o->product);
  g_free (o->rules_dir);
  g_free (o->prices);
}

#define VALUE_OPTION(name, i, help, arg) \
  { name, 0, 0, G_OPTION_ARG_STRING, &o->values[i], help, arg }

/* Entries to add to a subcommand's own, up to a NULL-named entry. */
GOptionEntry *
lp_cli_scenario_entries (LpScenarioOptions *o, guint *n)
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
    { "persistent-chat", 0, 0, G_OPTION_ARG_NONE, &o->persistent_chat,
      "Plan Persistent Chat servers (--no-persistent-chat: none, whatever the file says)", NULL },
    { "edition", 0, 0, G_OPTION_ARG_STRING, &o->edition, "auto (default), standard or enterprise", "EDITION" },
    { "product", 0, 0, G_OPTION_ARG_STRING, &o->product, "Rule set (default lync2013)", "ID" },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->sets,
      "Override a rule constant (repeatable; 'lyncplan rules' lists them)", "NAME=VALUE" },
    { "prices", 0, 0, G_OPTION_ARG_FILENAME, &o->prices, "Price list: costs become money (see examples/)", "FILE" },
    { "rules-dir", 0, 0, G_OPTION_ARG_FILENAME, &o->rules_dir, "Read PRODUCT.rules from DIR", "DIR" },
    { NULL },
  };
  o->persistent_chat = -1; /* neither flag given: the scenario decides */
  *n = G_N_ELEMENTS (entries) - 1;
  return g_memdup2 (entries, sizeof entries);
}

/* Option names live as long as the process: GOption keeps pointers to them. */
static const char *
intern_concat (const char *a, const char *b)
{
  g_autofree char *s = g_strconcat (a, b, NULL);
  return g_intern_string (s);
}

static gboolean
is_switch (const GOptionEntry *e)
{
  return e->arg == G_OPTION_ARG_NONE && !(e->flags & G_OPTION_FLAG_REVERSE);
}

/* --no-NAME for every switch --NAME: it stores FALSE where --NAME stores TRUE
 * (hidden from --help, which says so where it matters). */
static GOptionEntry
negated (const GOptionEntry *e)
{
  GOptionEntry no = *e;

  no.long_name = intern_concat ("no-", e->long_name);
  no.short_name = 0;
  no.flags |= G_OPTION_FLAG_REVERSE | G_OPTION_FLAG_HIDDEN;
  no.description = NULL;
  return no;
}

GOptionEntry *
lp_cli_entries_with_scenario (LpScenarioOptions *o, const GOptionEntry *own, gsize n_own)
{
  guint n = 0, n_all, n_switches = 0;
  g_autofree GOptionEntry *shared = lp_cli_scenario_entries (o, &n);
  GOptionEntry *all;

  n_all = n + (guint) n_own - 1; /* without own's final NULL entry */
  for (guint i = 0; i < n; i++)
    n_switches += is_switch (&shared[i]);
  for (gsize i = 0; i + 1 < n_own; i++)
    n_switches += is_switch (&own[i]);
  all = g_new0 (GOptionEntry, n_all + n_switches + 1);
  memcpy (all, shared, n * sizeof (GOptionEntry));
  memcpy (all + n, own, (n_own - 1) * sizeof (GOptionEntry));
  for (guint i = 0, k = n_all; i < n_all; i++) {
    if (is_switch (&all[i]))
      all[k++] = negated (&all[i]);
  }
  return all;
}

static gboolean
apply_flags (const LpScenarioOptions *o, LpScenario *sc, GError **error)
{
  for (guint i = 0; lp_scenario_value_keys[i] != NULL; i++) {
    g_autofree char *where = g_strdup_printf ("--%s:", lp_scenario_value_keys[i]);
    if (o->values[i] != NULL &&
        !lp_scenario_set_value (sc, lp_scenario_value_keys[i], o->values[i], where, error))
      return FALSE;
  }
  if (o->persistent_chat != -1 &&
      !lp_scenario_set_value (sc, "persistent-chat", o->persistent_chat ? "true" : "false",
                              o->persistent_chat ? "--persistent-chat:" : "--no-persistent-chat:", error))
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

LpScenario *
lp_cli_build_scenario (const LpScenarioOptions *o, int argc, char **argv, GError **error)
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

gboolean
lp_cli_load_inputs (const LpScenarioOptions *o, LpScenario *sc, LpRuleset **rs, GError **error)
{
  *rs = lp_cli_load_ruleset (o->rules_dir, sc->product, error);
  if (*rs == NULL || !lp_scenario_resolve (sc, *rs, error))
    return FALSE;
  if (o->prices != NULL && (sc->prices = lp_prices_load (o->prices, *rs, error)) == NULL)
    return FALSE;
  return TRUE;
}

void
lp_cli_input_files (const LpScenario *sc, const LpRuleset *rs, LpInputFile *inputs)
{
  inputs[0] = (LpInputFile) { sc->filename, "the scenario file" };
  inputs[1] = (LpInputFile) { sc->prices != NULL ? sc->prices->filename : NULL, "the price list" };
  inputs[2] = (LpInputFile) { rs->path, "the rule file" };
  inputs[3] = (LpInputFile) { NULL, NULL };
}

/* --help, -h or -? before any "--". */
static gboolean
asks_help (int argc, char **argv)
{
  for (int i = 1; i < argc && strcmp (argv[i], "--") != 0; i++) {
    if (strcmp (argv[i], "--help") == 0 || strcmp (argv[i], "-h") == 0 || strcmp (argv[i], "-?") == 0)
      return TRUE;
  }
  return FALSE;
}

/* GOption ignores a value given to a switch: --persistent-chat=false turned
 * Persistent Chat on. --NAME=VALUE becomes --NAME or --no-NAME here. */
static gboolean
switch_values (const GOptionEntry *entries, int argc, char **argv, GError **error)
{
  for (int i = 1; i < argc && strcmp (argv[i], "--") != 0; i++) {
    const char *eq = strchr (argv[i], '=');
    gboolean on;

    if (!g_str_has_prefix (argv[i], "--") || eq == NULL)
      continue;
    for (guint k = 0; entries[k].long_name != NULL; k++) {
      gsize len = strlen (entries[k].long_name);
      if (!is_switch (&entries[k]) || (gsize) (eq - argv[i] - 2) != len ||
          strncmp (argv[i] + 2, entries[k].long_name, len) != 0)
        continue;
      if (!lp_parse_bool (eq + 1, &on, NULL)) {
        g_set_error (error, LP_ERROR, LP_ERROR_USAGE, "%s: expected true or false (or --no-%s)",
                     argv[i], entries[k].long_name);
        return FALSE;
      }
      argv[i] = (char *) intern_concat (on ? "--" : "--no-", entries[k].long_name);
      break;
    }
  }
  return TRUE;
}

gboolean
lp_cli_parse (GOptionContext *ctx, const GOptionEntry *entries, int *argc, char ***argv,
              gboolean *help, GError **error)
{
  g_autoptr (GError) local = NULL;

  /* the help is printed here, not by GOption, which exits 0 even when it
   * could not be written */
  *help = asks_help (*argc, *argv);
  if (*help) {
    g_autofree char *text = g_option_context_get_help (ctx, TRUE, NULL);
    errno = 0;
    if (fputs (text, stdout) == EOF || fflush (stdout) != 0) {
      g_set_error (error, LP_ERROR, LP_ERROR_IO, "cannot write to standard output: %s",
                   g_strerror (errno ? errno : EIO));
      return FALSE;
    }
    return TRUE;
  }
  if (!lp_cli_check_options (entries, *argc, *argv, error) ||
      !switch_values (entries, *argc, *argv, error))
    return FALSE;
  if (!g_option_context_parse (ctx, argc, argv, &local)) {
    g_set_error (error, LP_ERROR, LP_ERROR_USAGE, "%s; see 'lyncplan %s --help'", local->message,
                 g_get_prgname () + strlen ("lyncplan "));
    return FALSE;
  }
  return TRUE;
}
