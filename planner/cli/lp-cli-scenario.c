/* lp-cli-scenario.c: the scenario options `plan` and `sweep` share. */
#include <stdio.h>
#include <string.h>

#include "lp-cli.h"
#include "lp-error.h"
#include "lp-sweep.h"
#include "lp-units.h"

void
lp_cli_scenario_options_clear (LpScenarioOptions *o)
{
  g_strfreev (o->sites);
  g_strfreev (o->sets);
  for (guint i = 0; o->rs != NULL && i < o->rs->inputs->len; i++)
    g_free (o->input_texts[i]);
  g_free (o->input_texts);
  g_free (o->input_switches);
  g_free (o->site_usage);
  g_free (o->product);
  g_free (o->rules_dir);
  g_free (o->prices);
  if (o->scenario_rs != o->rs)
    lp_ruleset_free (o->scenario_rs);
  lp_ruleset_free (o->rs);
  lp_keyfile_free (o->scenario);
}

/* The value of "--NAME VALUE" or "--NAME=VALUE" in @argv, before any "--". */
static const char *
find_option (int argc, char **argv, const char *name)
{
  gsize len = strlen (name);
  const char *found = NULL;

  for (int i = 1; i < argc && strcmp (argv[i], "--") != 0; i++) {
    if (strncmp (argv[i], name, len) != 0)
      continue;
    if (argv[i][len] == '=')
      found = argv[i] + len + 1;
    else if (argv[i][len] == '\0' && i + 1 < argc)
      found = argv[++i];
  }
  return found;
}

gboolean
lp_cli_scenario_prepare (LpScenarioOptions *o, int argc, char **argv, GError **error)
{
  const char *product = find_option (argc, argv, "--product");

  o->rs = lp_ruleset_load_product (find_option (argc, argv, "--rules-dir"),
                                   product != NULL ? product : LP_DEFAULT_PRODUCT, error);
  if (o->rs == NULL)
    return FALSE;
  o->scenario_rs = o->rs;
  o->input_texts = g_new0 (char *, o->rs->inputs->len);
  o->input_switches = g_new0 (gboolean, o->rs->inputs->len);
  for (guint i = 0; i < o->rs->inputs->len; i++)
    o->input_switches[i] = -1; /* neither --KEY nor --no-KEY: the scenario decides */
  o->site_usage = lp_scenario_site_usage (o->rs);
  return TRUE;
}

/* Appends @text to @out wrapped at @width columns; @text's own newlines stay. */
static void
append_wrapped (GString *out, const char *text, guint width)
{
  g_auto (GStrv) words = g_strsplit (text, " ", -1);
  gsize line = 0;

  for (guint i = 0; words[i] != NULL; i++) {
    gsize len = strlen (words[i]);
    if (line > 0 && line + 1 + len > width) {
      g_string_append_c (out, '\n');
      line = 0;
    } else if (line > 0) {
      g_string_append_c (out, ' ');
      line++;
    }
    g_string_append (out, words[i]);
    line = strchr (words[i], '\n') != NULL ? strlen (strrchr (words[i], '\n') + 1) : line + len;
  }
}

/* "a, b, c" */
static void
append_list (GString *s, const char *const *words)
{
  for (guint i = 0; words[i] != NULL; i++)
    g_string_append_printf (s, "%s%s", i == 0 ? "" : ", ", words[i]);
}

char *
lp_cli_scenario_help (const LpRuleset *rs)
{
  g_autoptr (GPtrArray) keys = g_ptr_array_new ();
  g_autofree const char **site = lp_scenario_keys (rs, LP_SCOPE_SITE);
  g_autoptr (GString) text = g_string_new ("SCENARIO.ini holds a [scenario] group (");
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < rs->inputs->len; i++) {
    const LpInput *in = g_ptr_array_index (rs->inputs, i);
    if (in->scope & LP_SCOPE_SCENARIO)
      g_ptr_array_add (keys, in->key);
  }
  g_ptr_array_add (keys, (gpointer) "product");
  for (guint i = 0; lp_scenario_words[i] != NULL; i++)
    g_ptr_array_add (keys, (gpointer) lp_scenario_words[i]);
  g_ptr_array_add (keys, NULL);
  append_list (text, (const char *const *) keys->pdata);
  g_string_append (text, "), one [site NAME] group per site (");
  append_list (text, site);
  g_string_append (
    text, ") and an optional [set] group of rule constants; '-' reads it from standard input.");
  append_wrapped (out, text->str, 86);
  g_string_append_c (out, '\n');
  return g_string_free (out, FALSE);
}

char *
lp_cli_sweep_keys_help (const LpRuleset *rs)
{
  g_autoptr (GString) text = g_string_new ("KEY is users (of the only site) or users@SITE");
  g_autoptr (GPtrArray) none = g_ptr_array_new ();
  GString *out = g_string_new (NULL);

  g_autoptr (GPtrArray) inputs = lp_sweep_input_axes (rs);

  for (guint i = 0; i < inputs->len; i++) {
    const LpInput *in = g_ptr_array_index (inputs, i);
    g_string_append_printf (text, ", %s%s", in->key, in->scope & LP_SCOPE_SITE ? "[@SITE]" : "");
    if (in->none)
      g_ptr_array_add (none, in->key);
  }
  g_string_append (text, ", or a rule constant");
  for (guint i = 0; i < none->len; i++)
    g_string_append_printf (text, "%s%s",
                            i == 0               ? " ("
                            : i + 1 == none->len ? " and "
                                                 : ", ",
                            (char *) g_ptr_array_index (none, i));
  if (none->len > 0)
    g_string_append (text, none->len == 1 ? " also takes none)" : " also take none)");
  g_string_append_c (text, '.');
  append_wrapped (out, text->str, 86);
  return g_string_free (out, FALSE);
}

/* --KEY for an input of scenario scope: a switch for a yes/no one. */
static GOptionEntry
input_entry (LpScenarioOptions *o, guint i)
{
  const LpInput *in = g_ptr_array_index (o->rs->inputs, i);
  GOptionEntry e = { in->key,        0, 0, G_OPTION_ARG_STRING, &o->input_texts[i], in->help,
                     in->placeholder };

  if (in->type == LP_VALUE_BOOL) {
    e.arg = G_OPTION_ARG_NONE;
    e.arg_data = &o->input_switches[i];
  }
  return e;
}

/* Entries to add to a subcommand's own, up to a NULL-named entry: --site,
 * one per input of the rule set lp_cli_scenario_prepare() loaded, then the
 * fixed ones. */
GOptionEntry *
lp_cli_scenario_entries (LpScenarioOptions *o, guint *n)
{
  GOptionEntry fixed[] = {
    { "product", 0, 0, G_OPTION_ARG_STRING, &o->product, "Rule set (default lync2013)", "ID" },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->sets,
      "Override a rule constant (repeatable; 'lyncplan rules' lists them)", "NAME=VALUE" },
    { "prices", 0, 0, G_OPTION_ARG_FILENAME, &o->prices,
      "Price list: costs become money (see examples/)", "FILE" },
    { "rules-dir", 0, 0, G_OPTION_ARG_FILENAME, &o->rules_dir, "Read PRODUCT.rules from DIR",
      "DIR" },
  };
  GArray *entries = g_array_new (TRUE, TRUE, sizeof (GOptionEntry));
  GOptionEntry site = {
    "site",       0, 0, G_OPTION_ARG_STRING_ARRAY, &o->sites, "Add or change a site (repeatable)",
    o->site_usage
  };

  g_array_append_val (entries, site);
  for (guint i = 0; i < o->rs->inputs->len; i++) {
    const LpInput *in = g_ptr_array_index (o->rs->inputs, i);
    if (in->scope & LP_SCOPE_SCENARIO) {
      GOptionEntry e = input_entry (o, i);
      g_array_append_val (entries, e);
    }
  }
  g_array_append_vals (entries, fixed, G_N_ELEMENTS (fixed));
  *n = entries->len;
  return (GOptionEntry *) g_array_free (entries, FALSE);
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
apply_input_flags (const LpScenarioOptions *o, LpScenario *sc, GError **error)
{
  for (guint i = 0; i < o->rs->inputs->len; i++) {
    const LpInput *in = g_ptr_array_index (o->rs->inputs, i);
    gboolean on = o->input_switches[i] == TRUE;
    const char *text = in->type == LP_VALUE_BOOL ? (o->input_switches[i] == -1 ? NULL
                                                    : on                       ? "true"
                                                                               : "false")
                                                 : o->input_texts[i];
    g_autofree char *where =
      g_strdup_printf ("--%s%s:", in->type == LP_VALUE_BOOL && !on ? "no-" : "", in->key);

    if (text != NULL && !lp_scenario_set_value (sc, in->key, text, where, error))
      return FALSE;
  }
  return TRUE;
}

static gboolean
apply_flags (const LpScenarioOptions *o, LpScenario *sc, GError **error)
{
  if (!apply_input_flags (o, sc, error))
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

/* The rule set a scenario file speaks: --product, else its own product, else
 * the default; read once, for every scenario built from the file. */
static gboolean
scenario_rule_set (LpScenarioOptions *o, GError **error)
{
  const char *product = o->product;

  if (product == NULL && o->scenario != NULL)
    product = lp_scenario_product (o->scenario);
  if (product == NULL || strcmp (product, o->scenario_rs->id) == 0)
    return TRUE;
  if (o->scenario_rs != o->rs)
    lp_ruleset_free (o->scenario_rs);
  o->scenario_rs = lp_ruleset_load_product (o->rules_dir, product, error);
  if (o->scenario_rs == NULL) {
    o->scenario_rs = o->rs;
    return FALSE;
  }
  return TRUE;
}

LpScenario *
lp_cli_build_scenario (LpScenarioOptions *o, int argc, char **argv, GError **error)
{
  g_autoptr (LpScenario) sc = NULL;

  if (argc > 2) {
    g_set_error (error, LP_ERROR, LP_ERROR_USAGE,
                 "expected at most one scenario file, got '%s' and '%s'", argv[1], argv[2]);
    return NULL;
  }
  if (argc == 2 && o->scenario == NULL &&
      (o->scenario = lp_keyfile_load (argv[1], LP_ERROR_INPUT, error)) == NULL)
    return NULL;
  if (!scenario_rule_set (o, error))
    return NULL;
  sc = o->scenario != NULL ? lp_scenario_load (o->scenario, o->scenario_rs, error)
                           : lp_scenario_new (o->scenario_rs);
  if (sc == NULL || !apply_flags (o, sc, error))
    return NULL;
  return g_steal_pointer (&sc);
}

gboolean
lp_cli_load_inputs (const LpScenarioOptions *o, LpScenario *sc, const LpRuleset **rs,
                    GError **error)
{
  *rs = sc->rs;
  if (!lp_scenario_resolve (sc, *rs, error))
    return FALSE;
  if (o->prices != NULL && (sc->prices = lp_prices_load (o->prices, *rs, error)) == NULL)
    return FALSE;
  return TRUE;
}

void
lp_cli_input_files (const LpScenario *sc, const LpRuleset *rs, LpInputFile *inputs)
{
  inputs[0] = (LpInputFile){ sc->filename, "the scenario file" };
  inputs[1] = (LpInputFile){ sc->prices != NULL ? sc->prices->filename : NULL, "the price list" };
  inputs[2] = (LpInputFile){ rs->path, "the rule file" };
  inputs[3] = (LpInputFile){ NULL, NULL };
}

/* --help, -h or -? before any "--". */
static gboolean
asks_help (int argc, char **argv)
{
  for (int i = 1; i < argc && strcmp (argv[i], "--") != 0; i++) {
    if (strcmp (argv[i], "--help") == 0 || strcmp (argv[i], "-h") == 0 ||
        strcmp (argv[i], "-?") == 0)
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
    return lp_output_write ("-", text, strlen (text), NULL, error);
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
