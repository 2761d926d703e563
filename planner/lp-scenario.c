/* lp-scenario.c: scenario files and flags. */
#include "lp-scenario.h"

#include <string.h>

#include "lp-error.h"
#include "lp-keyfile.h"
#include "lp-units.h"

typedef gboolean (*LpRangeCheck) (double v);

static gboolean
open_percent (double v)
{
  return v > 0 && v < 100;
}

static gboolean
closed_percent (double v)
{
  return v >= 0 && v <= 100;
}

/* The scenario's value keys: how each is written and what range it takes. */
static const struct {
  const char *key;
  LpValueType type;
  LpRangeCheck in_range;
  const char *range;
} value_keys[] = {
  { "rto", LP_VALUE_DURATION, NULL, NULL },
  { "rpo", LP_VALUE_DURATION, NULL, NULL },
  { "dr-rto", LP_VALUE_DURATION, NULL, NULL },
  { "dr-rpo", LP_VALUE_DURATION, NULL, NULL },
  { "sla", LP_VALUE_PERCENT, open_percent, "above 0 and below 100" },
  { "response-time", LP_VALUE_DURATION, NULL, NULL },
  { "remote-percent", LP_VALUE_PERCENT, closed_percent, "from 0 to 100" },
};

const char *const lp_scenario_value_keys[] = {
  "rto", "rpo", "dr-rto", "dr-rpo", "sla", "response-time", "remote-percent", NULL,
};

static const char *const scenario_keys[] = {
  "name", "product", "rto", "rpo", "dr-rto", "dr-rpo", "sla", "response-time",
  "remote-percent", "persistent-chat", "edition", "author", "company", "date", "sip-domain", NULL,
};

static const char *const site_keys[] = { "users", "remote-percent", "dr-site", NULL };

/* Up to this many settings or sites a lookup scans them: a plan looks one
 * up, and a scan of a few is cheaper than hashing the name. */
#define LP_SCAN_MAX 8
static const char *const edition_names[] = { "auto", "standard", "enterprise", NULL };

static void
setting_free (gpointer p)
{
  LpSetting *s = p;
  g_free (s->name);
  g_free (s->text);
  g_free (s->where);
  g_free (s);
}

static void
site_free (gpointer p)
{
  LpSite *s = p;
  g_free (s->name);
  g_free (s->dr_site);
  g_free (s->where);
  g_free (s->dr_site_where);
  g_free (s);
}

LpScenario *
lp_scenario_new (void)
{
  LpScenario *sc = g_new0 (LpScenario, 1);
  sc->product = g_strdup (LP_DEFAULT_PRODUCT);
  sc->settings = g_ptr_array_new_with_free_func (setting_free);
  sc->sites = g_ptr_array_new_with_free_func (site_free);
  sc->setting_index = g_hash_table_new (g_str_hash, g_str_equal);
  sc->site_index = g_hash_table_new (g_str_hash, g_str_equal);
  return sc;
}

void
lp_scenario_free (LpScenario *sc)
{
  if (sc == NULL)
    return;
  g_free (sc->filename);
  g_free (sc->title);
  g_free (sc->product);
  g_hash_table_unref (sc->setting_index);
  g_hash_table_unref (sc->site_index);
  g_ptr_array_unref (sc->settings);
  g_ptr_array_unref (sc->sites);
  lp_prices_free (sc->prices);
  g_free (sc->author);
  g_free (sc->company);
  g_free (sc->date);
  g_free (sc->sip_domain);
  g_free (sc);
}

const char *
lp_edition_choice_to_string (LpEditionChoice e)
{
  return edition_names[e];
}

const LpSetting *
lp_scenario_find_setting (const LpScenario *sc, const char *name)
{
  if (sc->settings->len > LP_SCAN_MAX)
    return g_hash_table_lookup (sc->setting_index, name);
  for (guint i = 0; i < sc->settings->len; i++) {
    const LpSetting *s = g_ptr_array_index (sc->settings, i);
    if (strcmp (s->name, name) == 0)
      return s;
  }
  return NULL;
}

gint
lp_scenario_find_site (const LpScenario *sc, const char *name)
{
  if (sc->sites->len > LP_SCAN_MAX)
    return GPOINTER_TO_INT (g_hash_table_lookup (sc->site_index, name)) - 1;
  for (guint i = 0; i < sc->sites->len; i++) {
    const LpSite *s = g_ptr_array_index (sc->sites, i);
    if (strcmp (s->name, name) == 0)
      return (gint) i;
  }
  return -1;
}

/* Adds or replaces the setting called @name. */
static LpSetting *
put_setting (LpScenario *sc, const char *name, const char *text, const char *where)
{
  LpSetting *s = (LpSetting *) lp_scenario_find_setting (sc, name);

  if (s == NULL) {
    s = g_new0 (LpSetting, 1);
    s->name = g_strdup (name);
    g_ptr_array_add (sc->settings, s);
    g_hash_table_insert (sc->setting_index, s->name, s);
  }
  g_free (s->text);
  g_free (s->where);
  s->text = g_strdup (text);
  s->where = g_strdup (where);
  return s;
}

static gboolean
fail_at (GError **error, const char *where, GError *cause)
{
  g_set_error (error, LP_ERROR, LP_ERROR_INPUT, "%s %s", where, cause->message);
  g_error_free (cause);
  return FALSE;
}

/* Parses a duration or percentage value key and checks its range. */
static gboolean
parse_value_key (guint k, const char *text, const char *where, double *value, GError **error)
{
  GError *cause = NULL;

  if (!lp_ruleset_parse_value (value_keys[k].type, text, value, &cause))
    return fail_at (error, where, cause);
  if (value_keys[k].in_range != NULL && !value_keys[k].in_range (*value)) {
    g_set_error (error, LP_ERROR, LP_ERROR_INPUT, "%s expected a percentage %s, got '%s'",
                 where, value_keys[k].range, text);
    return FALSE;
  }
  if (value_keys[k].in_range == open_percent && *value < 1) {
    /* 0.999 is 99.9% written as a fraction far more often than a 0.999% SLA */
    g_autofree char *meant = lp_format_decimal (*value * 100, 6);
    g_set_error (error, LP_ERROR, LP_ERROR_INPUT,
                 "%s expected a percentage %s, got '%s', which reads as a fraction (did you mean %s?)",
                 where, value_keys[k].range, text, meant);
    return FALSE;
  }
  return TRUE;
}

static gboolean
set_choice (const char *text, const char *where, LpEditionChoice *out, GError **error)
{
  for (guint i = 0; edition_names[i] != NULL; i++) {
    if (strcmp (text, edition_names[i]) == 0) {
      *out = (LpEditionChoice) i;
      return TRUE;
    }
  }
  g_set_error (error, LP_ERROR, LP_ERROR_INPUT,
               "%s expected auto, standard or enterprise, got '%s'", where, text);
  return FALSE;
}

static char **
text_field (LpScenario *sc, const char *key)
{
  if (strcmp (key, "product") == 0)
    return &sc->product;
  if (strcmp (key, "author") == 0)
    return &sc->author;
  if (strcmp (key, "company") == 0)
    return &sc->company;
  if (strcmp (key, "sip-domain") == 0)
    return &sc->sip_domain;
  return &sc->title;
}

static gboolean
set_date (LpScenario *sc, const char *text, const char *where, GError **error)
{
  g_autoptr (GDateTime) dt = NULL;
  g_autofree char *iso = g_strconcat (text, "T00:00:00Z", NULL);

  if (strlen (text) == 10)
    dt = g_date_time_new_from_iso8601 (iso, NULL);
  if (dt == NULL) {
    g_set_error (error, LP_ERROR, LP_ERROR_INPUT, "%s expected a date as YYYY-MM-DD, got '%s'",
                 where, text);
    return FALSE;
  }
  /* a workbook is a ZIP file, whose times start in 1980; libxlsxwriter
   * writes years before 1000 with fewer than four digits (invalid XML dates) */
  if (g_date_time_get_year (dt) < 1980) {
    g_set_error (error, LP_ERROR, LP_ERROR_INPUT,
                 "%s expected a date from 1980-01-01 on (a workbook's dates start there), got '%s'",
                 where, text);
    return FALSE;
  }
  g_free (sc->date);
  sc->date = g_strdup (text);
  return TRUE;
}

gboolean
lp_scenario_check_text (const char *text, const char *where, GError **error)
{
  if (!g_utf8_validate (text, -1, NULL)) {
    g_set_error (error, LP_ERROR, LP_ERROR_INPUT, "%s not valid UTF-8", where);
    return FALSE;
  }
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p)) {
    gunichar c = g_utf8_get_char (p);
    if (g_unichar_iscntrl (c)) {
      g_set_error (error, LP_ERROR, LP_ERROR_INPUT,
                   "%s the control character U+%04X is not allowed in a text value", where, c);
      return FALSE;
    }
  }
  return TRUE;
}

static gboolean
valid_label (const char *label)
{
  gsize len = strlen (label);

  if (len == 0 || len > 63 || label[0] == '-' || label[len - 1] == '-')
    return FALSE;
  for (const char *p = label; *p != '\0'; p++) {
    if (!g_ascii_isalnum (*p) && *p != '-')
      return FALSE;
  }
  return TRUE;
}

gboolean
lp_scenario_check_domain (const char *text, const char *where, GError **error)
{
  g_auto (GStrv) labels = g_strsplit (text, ".", -1);
  gboolean ok = strlen (text) <= 253 && g_strv_length (labels) >= 2;

  for (guint i = 0; ok && labels[i] != NULL; i++)
    ok = valid_label (labels[i]);
  if (ok)
    return TRUE;
  g_set_error (error, LP_ERROR, LP_ERROR_INPUT,
               "%s expected a DNS domain such as contoso.com: two or more labels joined by '.', "
               "each 1 to 63 letters, digits or '-' (not first or last), at most 253 characters "
               "in all; got '%s'", where, text);
  return FALSE;
}

static gboolean
set_word (LpScenario *sc, const char *key, const char *text, const char *where, GError **error)
{
  GError *cause = NULL;

  if (strcmp (key, "persistent-chat") == 0) {
    sc->persistent_chat_set = TRUE;
    return lp_parse_bool (text, &sc->persistent_chat, &cause) || fail_at (error, where, cause);
  }
  if (strcmp (key, "edition") == 0) {
    sc->edition_set = TRUE;
    return set_choice (text, where, &sc->edition, error);
  }
  if (text[0] == '\0') {
    g_set_error (error, LP_ERROR, LP_ERROR_INPUT, "%s empty value", where);
    return FALSE;
  }
  if (!lp_scenario_check_text (text, where, error))
    return FALSE;
  if (strcmp (key, "date") == 0)
    return set_date (sc, text, where, error);
  if (strcmp (key, "sip-domain") == 0 && !lp_scenario_check_domain (text, where, error))
    return FALSE;
  if (strcmp (key, "product") == 0)
    sc->product_set = TRUE;
  g_free (*text_field (sc, key));
  *text_field (sc, key) = g_strdup (text);
  return TRUE;
}

gboolean
lp_scenario_set_value (LpScenario *sc, const char *key, const char *text, const char *where,
                       GError **error)
{
  for (guint k = 0; k < G_N_ELEMENTS (value_keys); k++) {
    double value;
    LpSetting *s;

    if (strcmp (key, value_keys[k].key) != 0)
      continue;
    if (!parse_value_key (k, text, where, &value, error))
      return FALSE;
    s = put_setting (sc, key, text, where);
    s->value = value;
    s->is_input = TRUE;
    return TRUE;
  }
  return set_word (sc, key, text, where, error);
}

/* ---- sites ---- */

static LpSite *
get_site (LpScenario *sc, const char *name, const char *where)
{
  gint i = lp_scenario_find_site (sc, name);
  LpSite *s;

  if (i >= 0)
    return g_ptr_array_index (sc->sites, i);
  s = g_new0 (LpSite, 1);
  s->name = g_strdup (name);
  s->where = g_strdup (where);
  s->dr_index = -1;
  g_ptr_array_add (sc->sites, s);
  g_hash_table_insert (sc->site_index, s->name, GUINT_TO_POINTER (sc->sites->len));
  return s;
}

static gboolean
set_site_users (LpSite *site, const char *text, const char *where, GError **error)
{
  GError *cause = NULL;
  return lp_parse_count (text, &site->users, &cause) || fail_at (error, where, cause);
}

static gboolean
set_site_remote (LpSite *site, const char *text, const char *where, GError **error)
{
  guint k = G_N_ELEMENTS (value_keys) - 1; /* remote-percent */

  site->remote_set = TRUE;
  return parse_value_key (k, text, where, &site->remote_percent, error);
}

static gboolean
set_site_dr (LpSite *site, const char *text, const char *where, GError **error)
{
  if (text[0] == '\0') {
    g_set_error (error, LP_ERROR, LP_ERROR_INPUT, "%s empty value", where);
    return FALSE;
  }
  if (!lp_scenario_check_text (text, where, error))
    return FALSE;
  g_free (site->dr_site);
  g_free (site->dr_site_where);
  site->dr_site = g_strdup (text);
  site->dr_site_where = g_strdup (where);
  return TRUE;
}

/* Not empty, valid UTF-8, no control characters (lp_scenario_check_text). */
static gboolean
valid_site_name (const char *name)
{
  return name[0] != '\0' && lp_scenario_check_text (name, "", NULL);
}

static gboolean
add_site_option (LpSite *site, const char *spec, const char *option, GError **error)
{
  static const char *const options[] = { "remote", "remote-percent", "dr-site", NULL };
  const char *eq = strchr (option, '=');
  g_autofree char *key = g_strndup (option, eq != NULL ? (gsize) (eq - option) : strlen (option));
  g_autofree char *where = g_strdup_printf ("--site '%s': %s:", spec, key);
  g_autofree char *hint = NULL;

  if (eq != NULL && strcmp (key, "dr-site") == 0)
    return set_site_dr (site, eq + 1, where, error);
  if (eq != NULL && (strcmp (key, "remote") == 0 || strcmp (key, "remote-percent") == 0))
    return set_site_remote (site, eq + 1, where, error);
  hint = lp_error_did_you_mean (key, options);
  g_set_error (error, LP_ERROR, LP_ERROR_INPUT,
               "--site '%s': unknown option '%s'%s: expected NAME=USERS[,remote=PCT][,dr-site=NAME]",
               spec, option, hint);
  return FALSE;
}

gboolean
lp_scenario_add_site_flag (LpScenario *sc, const char *spec, GError **error)
{
  g_auto (GStrv) parts = NULL;
  const char *eq = strchr (spec, '=');
  g_autofree char *name = NULL;
  g_autofree char *where = NULL;
  g_autofree char *users_where = NULL;
  LpSite *site;

  if (eq == NULL || eq == spec) {
    g_set_error (error, LP_ERROR, LP_ERROR_INPUT,
                 "--site '%s': expected NAME=USERS[,remote=PCT][,dr-site=NAME]", spec);
    return FALSE;
  }
  name = g_strstrip (g_strndup (spec, (gsize) (eq - spec)));
  if (!valid_site_name (name)) {
    g_set_error (error, LP_ERROR, LP_ERROR_INPUT, "--site '%s': invalid site name", spec);
    return FALSE;
  }
  where = g_strdup_printf ("--site '%s':", spec);
  users_where = g_strdup_printf ("--site '%s': users:", spec);
  site = get_site (sc, name, where);
  parts = g_strsplit (eq + 1, ",", -1);
  if (!set_site_users (site, parts[0], users_where, error))
    return FALSE;
  for (guint i = 1; parts[i] != NULL; i++) {
    if (!add_site_option (site, spec, parts[i], error))
      return FALSE;
  }
  return TRUE;
}

/* ---- [set] and --set ---- */

static gboolean
add_set (LpScenario *sc, const char *name, const char *text, const char *where, GError **error)
{
  LpSetting *s;

  if (g_strv_contains (lp_scenario_value_keys, name)) {
    g_set_error (error, LP_ERROR, LP_ERROR_INPUT,
                 "%s '%s' is a scenario input: set it in [scenario] or with --%s", where, name,
                 name);
    return FALSE;
  }
  s = put_setting (sc, name, text, where);
  s->is_input = FALSE;
  return TRUE;
}

gboolean
lp_scenario_add_set_flag (LpScenario *sc, const char *spec, GError **error)
{
  const char *eq = strchr (spec, '=');
  g_autofree char *name = NULL;
  g_autofree char *where = NULL;

  if (eq == NULL || eq == spec) {
    g_set_error (error, LP_ERROR, LP_ERROR_INPUT, "--set '%s': expected NAME=VALUE", spec);
    return FALSE;
  }
  name = g_strndup (spec, (gsize) (eq - spec));
  where = g_strdup_printf ("--set %s:", name);
  return add_set (sc, name, eq + 1, where, error);
}

/* ---- scenario files ---- */

static char *
entry_where (const LpKeyfile *kf, const LpKfGroup *g, const LpKfEntry *e)
{
  return g_strdup_printf ("%s:%u: [%s] %s:", kf->filename, e->line, g->name, e->key);
}

static gboolean
load_scenario_group (LpScenario *sc, const LpKeyfile *kf, const LpKfGroup *g, GError **error)
{
  if (!lp_kf_group_check_keys (kf, g, scenario_keys, NULL, LP_ERROR_INPUT, error))
    return FALSE;
  for (guint i = 0; i < g->entries->len; i++) {
    const LpKfEntry *e = g_ptr_array_index (g->entries, i);
    g_autofree char *where = entry_where (kf, g, e);
    if (!lp_scenario_set_value (sc, e->key, e->value, where, error))
      return FALSE;
  }
  return TRUE;
}

static gboolean
load_site_group (LpScenario *sc, const LpKeyfile *kf, const LpKfGroup *g, const char *name,
                 GError **error)
{
  static const char *const required[] = { "users", NULL };
  g_autofree char *where = g_strdup_printf ("%s:%u: [%s]", kf->filename, g->line, g->name);
  LpSite *site;

  if (!valid_site_name (name))
    return lp_kf_set_error (error, LP_ERROR_INPUT, kf, g->line, g->name, NULL,
                            "invalid site name");
  if (!lp_kf_group_check_keys (kf, g, site_keys, required, LP_ERROR_INPUT, error))
    return FALSE;
  site = get_site (sc, name, where);
  for (guint i = 0; i < g->entries->len; i++) {
    const LpKfEntry *e = g_ptr_array_index (g->entries, i);
    g_autofree char *ew = entry_where (kf, g, e);
    gboolean ok;

    if (strcmp (e->key, "users") == 0)
      ok = set_site_users (site, e->value, ew, error);
    else if (strcmp (e->key, "remote-percent") == 0)
      ok = set_site_remote (site, e->value, ew, error);
    else
      ok = set_site_dr (site, e->value, ew, error);
    if (!ok)
      return FALSE;
  }
  return TRUE;
}

static gboolean
load_set_group (LpScenario *sc, const LpKeyfile *kf, const LpKfGroup *g, GError **error)
{
  for (guint i = 0; i < g->entries->len; i++) {
    const LpKfEntry *e = g_ptr_array_index (g->entries, i);
    g_autofree char *where = entry_where (kf, g, e);
    if (!add_set (sc, e->key, e->value, where, error))
      return FALSE;
  }
  return TRUE;
}

static gboolean
load_group (LpScenario *sc, const LpKeyfile *kf, const LpKfGroup *g, GError **error)
{
  static const char *const kinds[] = { "scenario", "site", "set", NULL };
  g_autofree char *hint = NULL;

  if (strcmp (g->name, "scenario") == 0)
    return load_scenario_group (sc, kf, g, error);
  if (strcmp (g->name, "set") == 0)
    return load_set_group (sc, kf, g, error);
  if (g_str_has_prefix (g->name, "site "))
    return load_site_group (sc, kf, g, g->name + 5, error);
  hint = lp_error_did_you_mean (g->name, kinds);
  return lp_kf_set_error (error, LP_ERROR_INPUT, kf, g->line, g->name, NULL,
                          "unknown group%s: expected [scenario], [site NAME] or [set]", hint);
}

LpScenario *
lp_scenario_load (const char *path, GError **error)
{
  g_autoptr (LpKeyfile) kf = lp_keyfile_load (path, LP_ERROR_INPUT, error);
  g_autoptr (LpScenario) sc = NULL;

  if (kf == NULL)
    return NULL;
  sc = lp_scenario_new ();
  sc->filename = g_strdup (path);
  for (guint i = 0; i < kf->groups->len; i++) {
    if (!load_group (sc, kf, g_ptr_array_index (kf->groups, i), error))
      return NULL;
  }
  return g_steal_pointer (&sc);
}

/* ---- binding to a rule set ---- */

static gboolean
resolve_constant (LpSetting *s, const LpRuleset *rs, GError **error)
{
  const LpRuleVar *v = lp_ruleset_find_var (rs, s->name);
  GError *cause = NULL;

  if (v == NULL || v->is_input) {
    g_autofree const char **names = lp_ruleset_constant_names (rs);
    g_autofree char *hint = lp_error_did_you_mean (s->name, names);
    g_set_error (error, LP_ERROR, LP_ERROR_INPUT, "%s unknown rule constant%s "
                 "('lyncplan rules' lists them)", s->where, hint);
    return FALSE;
  }
  s->slot = v->slot;
  if (!lp_ruleset_parse_var (v, s->text, &s->value, &cause))
    return fail_at (error, s->where, cause);
  return TRUE;
}

static gboolean
resolve_setting (LpSetting *s, const LpRuleset *rs, GError **error)
{
  if (!s->is_input)
    return resolve_constant (s, rs, error);
  if (!lp_symtab_lookup (rs->symtab, s->name, &s->slot)) {
    g_set_error (error, LP_ERROR, LP_ERROR_RULES, "%s: no [input %s] group: the rule set "
                 "cannot take the scenario's %s", rs->path, s->name, s->name);
    return FALSE;
  }
  return TRUE;
}

static gboolean
check_dr_site (const LpScenario *sc, LpSite *site, GError **error)
{
  g_autofree const char **names = NULL;
  g_autofree char *hint = NULL;

  site->dr_index = site->dr_site != NULL ? lp_scenario_find_site (sc, site->dr_site) : -1;
  if (site->dr_site == NULL || site->dr_index >= 0) {
    if (site->dr_site == NULL || strcmp (site->dr_site, site->name) != 0)
      return TRUE;
    g_set_error (error, LP_ERROR, LP_ERROR_INPUT, "%s a site cannot be its own DR site",
                 site->dr_site_where);
    return FALSE;
  }
  names = g_new0 (const char *, sc->sites->len + 1);
  for (guint i = 0; i < sc->sites->len; i++)
    names[i] = ((LpSite *) g_ptr_array_index (sc->sites, i))->name;
  hint = lp_error_did_you_mean (site->dr_site, names);
  g_set_error (error, LP_ERROR, LP_ERROR_INPUT, "%s no site named '%s'%s", site->dr_site_where,
               site->dr_site, hint);
  return FALSE;
}

gboolean
lp_scenario_resolve (LpScenario *sc, const LpRuleset *rs, GError **error)
{
  for (guint i = 0; i < sc->settings->len; i++) {
    if (!resolve_setting (g_ptr_array_index (sc->settings, i), rs, error))
      return FALSE;
  }
  if (sc->sites->len == 0) {
    g_set_error (error, LP_ERROR, LP_ERROR_INPUT, "%s%sno site: add a [site NAME] group with "
                 "users, or --site NAME=USERS", sc->filename ? sc->filename : "",
                 sc->filename ? ": " : "");
    return FALSE;
  }
  for (guint i = 0; i < sc->sites->len; i++) {
    if (!check_dr_site (sc, g_ptr_array_index (sc->sites, i), error))
      return FALSE;
  }
  return TRUE;
}
