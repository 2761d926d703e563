/* lp-scenario.c: scenario files and flags. */
#include "lp-scenario.h"

#include <string.h>

#include "lp-error.h"
#include "lp-keyfile.h"
#include "lp-text.h"
#include "lp-units.h"

/* The [scenario] and [site NAME] keys that are not a rule set's inputs. */
static const char *const scenario_words_before[] = { "name", "product", NULL };
static const char *const scenario_words_after[] = { "author",     "company", "customer", "date",
                                                    "sip-domain", "paper",   NULL };

const char *const lp_scenario_words[] = { "name", "author",     "company", "customer",
                                          "date", "sip-domain", "paper",   NULL };
static const char *const site_words[] = { "users", "kind", "code", NULL };
static const char *const site_words_after[] = { "dr-site", "home", "edge", "office-web-apps",
                                                NULL };

const char *const lp_site_link_keys[LP_N_LINKS] = { "dr-site", "home", "edge", "office-web-apps" };

/* Up to this many settings or sites a lookup scans them: a plan looks one
 * up, and a scan of a few is cheaper than hashing the name. */
#define LP_SCAN_MAX 8

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
link_clear (LpSiteLink *l)
{
  g_free (l->name);
  g_free (l->where);
  memset (l, 0, sizeof *l);
}

/* lp_scenario_site_group()'s text. */
typedef struct _LpSiteGroup {
  gsize len;
  char text[];
} LpSiteGroup;

/* What is known of @s is forgotten: it is about to change. */
static void
site_changed (LpSite *s)
{
  g_free (g_atomic_pointer_get (&s->group));
  g_atomic_pointer_set (&s->group, NULL);
  s->loads_under = NULL;
}

static void
site_free (LpSite *s)
{
  g_free (s->group);
  g_free (s->name);
  g_free (s->kind_where);
  g_free (s->code);
  g_free (s->code_where);
  for (guint i = 0; i < LP_N_LINKS; i++)
    link_clear (&s->links[i]);
  g_free (s->values);
  for (guint i = 0; i < s->n_values; i++)
    g_free (s->texts[i]);
  g_free (s->texts);
  g_free (s->where);
  g_free (s);
}

/* Sites are shared between a scenario and its copies: the last holder frees. */
static void
site_unref (gpointer p)
{
  LpSite *s = p;

  if (g_atomic_int_dec_and_test (&s->ref_count))
    site_free (s);
}

/* The index of a scenario's site names, shared between copies like the
 * sites (a site's change keeps its name) and copied when a copy adds or
 * removes a site. Its names are its own, so no site's lifetime bounds it. */
typedef struct _LpSiteIndex {
  gint ref_count;
  GHashTable *names; /* owned name -> site index + 1 */
} LpSiteIndex;

static LpSiteIndex *
site_index_new (void)
{
  LpSiteIndex *x = g_new0 (LpSiteIndex, 1);

  x->ref_count = 1;
  x->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return x;
}

static void
site_index_unref (LpSiteIndex *x)
{
  if (x != NULL && g_atomic_int_dec_and_test (&x->ref_count)) {
    g_hash_table_unref (x->names);
    g_free (x);
  }
}

/* @sc's own index of site names, to change (copied when shared). */
static GHashTable *
site_index_mut (LpScenario *sc)
{
  LpSiteIndex *x = sc->site_index;

  if (g_atomic_int_get (&x->ref_count) > 1) {
    GHashTableIter it;
    gpointer name, at;
    sc->site_index = site_index_new ();
    g_hash_table_iter_init (&it, x->names);
    while (g_hash_table_iter_next (&it, &name, &at))
      g_hash_table_insert (sc->site_index->names, g_strdup (name), at);
    site_index_unref (x);
  }
  return sc->site_index->names;
}

/* A scenario with no settings or sites; @index: with an empty index of sites. */
static LpScenario *
scenario_new (const LpRuleset *rs, gboolean index)
{
  LpScenario *sc = g_new0 (LpScenario, 1);
  sc->rs = rs;
  sc->product = g_strdup (rs->id);
  sc->settings = g_ptr_array_new_with_free_func (setting_free);
  sc->sites = g_ptr_array_new_with_free_func (site_unref);
  sc->setting_index = g_hash_table_new (g_str_hash, g_str_equal);
  sc->site_index = index ? site_index_new () : NULL;
  return sc;
}

LpScenario *
lp_scenario_new (const LpRuleset *rs)
{
  return scenario_new (rs, TRUE);
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
  site_index_unref (sc->site_index);
  g_ptr_array_unref (sc->settings);
  g_ptr_array_unref (sc->sites);
  lp_prices_unref (sc->prices);
  g_free (sc->author);
  g_free (sc->company);
  g_free (sc->customer);
  g_free (sc->paper);
  g_free (sc->date);
  g_free (sc->sip_domain);
  g_free (sc->sip_domain_where);
  g_free (sc);
}

static LpSetting *
setting_copy (const LpSetting *from)
{
  LpSetting *s = g_memdup2 (from, sizeof *s);
  s->name = g_strdup (from->name);
  s->text = g_strdup (from->text);
  s->where = g_strdup (from->where);
  return s;
}

static LpSite *
site_copy (const LpSite *from)
{
  LpSite *s = g_memdup2 (from, sizeof *s);
  s->name = g_strdup (from->name);
  s->kind_where = g_strdup (from->kind_where);
  s->code = g_strdup (from->code);
  s->code_where = g_strdup (from->code_where);
  for (guint i = 0; i < LP_N_LINKS; i++) {
    s->links[i].name = g_strdup (from->links[i].name);
    s->links[i].where = g_strdup (from->links[i].where);
  }
  s->values = g_memdup2 (from->values, from->n_values * sizeof (double));
  s->texts = g_new0 (char *, from->n_values);
  for (guint i = 0; i < from->n_values; i++)
    s->texts[i] = g_strdup (from->texts[i]);
  s->where = g_strdup (from->where);
  s->ref_count = 1;
  s->group = NULL;
  s->loads_under = NULL;
  return s;
}

LpSite *
lp_scenario_site_mut (LpScenario *sc, guint i)
{
  LpSite *s;

  g_return_val_if_fail (i < sc->sites->len, NULL);
  s = g_ptr_array_index (sc->sites, i);
  if (g_atomic_int_get (&s->ref_count) == 1) {
    site_changed (s);
    return s;
  }
  sc->sites->pdata[i] = site_copy (s);
  site_unref (s);
  return sc->sites->pdata[i];
}

LpScenario *
lp_scenario_copy (const LpScenario *sc)
{
  LpScenario *c = scenario_new (sc->rs, FALSE);

  g_free (c->product);
  c->product = g_strdup (sc->product);
  c->product_set = sc->product_set;
  c->filename = g_strdup (sc->filename);
  c->title = g_strdup (sc->title);
  c->author = g_strdup (sc->author);
  c->company = g_strdup (sc->company);
  c->customer = g_strdup (sc->customer);
  c->paper = g_strdup (sc->paper);
  c->date = g_strdup (sc->date);
  c->sip_domain = g_strdup (sc->sip_domain);
  c->sip_domain_where = g_strdup (sc->sip_domain_where);
  c->prices = sc->prices != NULL ? lp_prices_ref (sc->prices) : NULL;
  for (guint i = 0; i < sc->settings->len; i++) {
    LpSetting *s = setting_copy (g_ptr_array_index (sc->settings, i));
    g_ptr_array_add (c->settings, s);
    g_hash_table_insert (c->setting_index, s->name, s);
  }
  /* the sites and their index are shared: a change copies (lp_scenario_site_mut()) */
  g_ptr_array_set_size (c->sites, (gint) sc->sites->len);
  for (guint i = 0; i < sc->sites->len; i++) {
    LpSite *s = g_ptr_array_index (sc->sites, i);
    g_atomic_int_inc (&s->ref_count);
    c->sites->pdata[i] = s;
  }
  g_atomic_int_inc (&sc->site_index->ref_count);
  c->site_index = sc->site_index;
  return c;
}

/* Fixed words, then the rule set's inputs of @scope, then more fixed words. */
const char **
lp_scenario_keys (const LpRuleset *rs, guint scope)
{
  const char *const *before = scope == LP_SCOPE_SITE ? site_words : scenario_words_before;
  const char *const *after = scope == LP_SCOPE_SITE ? site_words_after : scenario_words_after;
  GPtrArray *keys = g_ptr_array_new ();

  for (guint i = 0; before[i] != NULL; i++)
    g_ptr_array_add (keys, (gpointer) before[i]);
  for (guint i = 0; i < rs->inputs->len; i++) {
    const LpInput *in = g_ptr_array_index (rs->inputs, i);
    if (in->scope & scope)
      g_ptr_array_add (keys, in->key);
  }
  for (guint i = 0; after[i] != NULL; i++)
    g_ptr_array_add (keys, (gpointer) after[i]);
  g_ptr_array_add (keys, NULL);
  return (const char **) g_ptr_array_free (keys, FALSE);
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
    return GPOINTER_TO_INT (g_hash_table_lookup (sc->site_index->names, name)) - 1;
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

/* Parses @text for @in, prefixing an error with @where. */
static gboolean
parse_input (const LpInput *in, const char *text, const char *where, double *value, GError **error)
{
  GError *cause = NULL;
  return lp_input_parse (in, text, value, &cause) || fail_at (error, where, cause);
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
  if (strcmp (key, "customer") == 0)
    return &sc->customer;
  if (strcmp (key, "paper") == 0)
    return &sc->paper;
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

static gboolean
valid_label (const char *label)
{
  gsize len = strlen (label);

  if (len == 0 || len > LP_DNS_LABEL_MAX || label[0] == '-' || label[len - 1] == '-')
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
  gboolean ok = strlen (text) <= LP_DNS_NAME_MAX && g_strv_length (labels) >= 2;

  for (guint i = 0; ok && labels[i] != NULL; i++)
    ok = valid_label (labels[i]);
  /* a top-level domain is never all digits: 1.2.3.4 is an IP address */
  if (ok && labels[0] != NULL &&
      strspn (labels[g_strv_length (labels) - 1], "0123456789") ==
        strlen (labels[g_strv_length (labels) - 1])) {
    g_set_error (error, LP_ERROR, LP_ERROR_INPUT,
                 "%s expected a DNS domain such as contoso.com, got the IP address '%s' (a SIP "
                 "domain's last label is not a number)",
                 where, text);
    return FALSE;
  }
  if (ok)
    return TRUE;
  g_set_error (error, LP_ERROR, LP_ERROR_INPUT,
               "%s expected a DNS domain such as contoso.com: two or more labels joined by '.', "
               "each 1 to 63 letters, digits or '-' (not first or last), at most 253 characters "
               "in all; got '%s'",
               where, text);
  return FALSE;
}

/* "contoso.com, fabrikam.com": each a domain, none twice (a set of the
 * domains in lower case: 20,000 of them stay linear). */
static gboolean
check_domains (const char *text, const char *where, GError **error)
{
  g_auto (GStrv) domains = g_strsplit (text, ",", -1);
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; domains[i] != NULL; i++) {
    char *folded;
    g_strstrip (domains[i]);
    if (!lp_scenario_check_domain (domains[i], where, error))
      return FALSE;
    folded = g_ascii_strdown (domains[i], -1);
    if (!g_hash_table_add (seen, folded)) {
      g_set_error (error, LP_ERROR, LP_ERROR_INPUT, "%s the SIP domain '%s' is listed twice", where,
                   domains[i]);
      return FALSE;
    }
  }
  return TRUE;
}

gint
lp_paper_from_string (const char *text)
{
  if (text == NULL || strcmp (text, "a4") == 0)
    return LP_PAPER_A4;
  if (strcmp (text, "letter") == 0)
    return LP_PAPER_LETTER;
  return -1;
}

GStrv
lp_scenario_sip_domains (const LpScenario *sc)
{
  GStrv domains;

  if (sc->sip_domain == NULL)
    return NULL;
  domains = g_strsplit (sc->sip_domain, ",", -1);
  for (guint i = 0; domains[i] != NULL; i++)
    g_strstrip (domains[i]);
  return domains;
}

static gboolean
set_word (LpScenario *sc, const char *key, const char *text, const char *where, GError **error)
{
  if (text[0] == '\0') {
    g_set_error (error, LP_ERROR, LP_ERROR_INPUT, "%s empty value", where);
    return FALSE;
  }
  if (!lp_text_check (text, where, error))
    return FALSE;
  /* the scenario's name, author and company are shown as names are */
  if ((strcmp (key, "name") == 0 || strcmp (key, "author") == 0 || strcmp (key, "company") == 0) &&
      !lp_name_check (text, where, error))
    return FALSE;
  if (strcmp (key, "date") == 0)
    return set_date (sc, text, where, error);
  if (strcmp (key, "sip-domain") == 0) {
    if (!check_domains (text, where, error))
      return FALSE;
    g_free (sc->sip_domain_where);
    sc->sip_domain_where = g_strdup (where);
  }
  if (strcmp (key, "paper") == 0 && lp_paper_from_string (text) < 0) {
    g_set_error (error, LP_ERROR, LP_ERROR_INPUT, "%s expected a4 or letter, got '%s'", where,
                 text);
    return FALSE;
  }
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
  const LpInput *in = lp_ruleset_find_input (sc->rs, key);
  double value;
  LpSetting *s;

  if (in == NULL || !(in->scope & LP_SCOPE_SCENARIO))
    return set_word (sc, key, text, where, error);
  if (!parse_input (in, text, where, &value, error))
    return FALSE;
  s = put_setting (sc, key, text, where);
  s->value = value;
  s->is_input = TRUE;
  s->slot = in->var->slot;
  return TRUE;
}

gboolean
lp_scenario_unset_value (LpScenario *sc, const char *key)
{
  LpSetting *s = (LpSetting *) lp_scenario_find_setting (sc, key);
  if (g_strv_contains (lp_scenario_words, key) && strcmp (key, "date") != 0) {
    char **field = text_field (sc, key);
    gboolean was = *field != NULL;
    g_clear_pointer (field, g_free);
    return was;
  }
  if (strcmp (key, "date") == 0) {
    gboolean was = sc->date != NULL;
    g_clear_pointer (&sc->date, g_free);
    return was;
  }

  if (s == NULL)
    return FALSE;
  g_hash_table_remove (sc->setting_index, s->name);
  g_ptr_array_remove (sc->settings, s);
  return TRUE;
}

double
lp_scenario_input_value (const LpScenario *sc, const LpInput *in, gboolean *is_default)
{
  const LpSetting *s = lp_scenario_find_setting (sc, in->key);

  if (is_default != NULL)
    *is_default = s == NULL;
  return s != NULL ? s->value : in->var->value;
}

/* ---- sites ---- */

static LpSite *
get_site (LpScenario *sc, const char *name, const char *where)
{
  gint i = lp_scenario_find_site (sc, name);
  LpSite *s;

  if (i >= 0)
    return lp_scenario_site_mut (sc, (guint) i);
  s = g_new0 (LpSite, 1);
  s->ref_count = 1;
  s->name = g_strdup (name);
  s->where = g_strdup (where);
  s->n_values = sc->rs->site_inputs->len;
  s->values = g_new0 (double, MAX (s->n_values, 1));
  s->texts = g_new0 (char *, MAX (s->n_values, 1));
  for (guint k = 0; k < LP_N_LINKS; k++)
    s->links[k].index = -1;
  g_ptr_array_add (sc->sites, s);
  g_hash_table_insert (site_index_mut (sc), g_strdup (s->name), GUINT_TO_POINTER (sc->sites->len));
  return s;
}

double
lp_site_value (const LpScenario *sc, const LpSite *site, const LpInput *in, gboolean *is_default)
{
  gint k = in->site_index;

  if (k >= 0 && (guint) k < site->n_values && site->texts[k] != NULL) {
    if (is_default != NULL)
      *is_default = FALSE;
    return site->values[k];
  }
  return lp_scenario_input_value (sc, in, is_default);
}

static gboolean
set_site_users (LpSite *site, const char *text, const char *where, GError **error)
{
  GError *cause = NULL;
  return lp_parse_count (text, &site->users, &cause) || fail_at (error, where, cause);
}

/* The site-scope input @key names, by its key or its alias. */
static const LpInput *
site_input (const LpRuleset *rs, const char *key)
{
  for (guint i = 0; i < rs->site_inputs->len; i++) {
    const LpInput *in = g_ptr_array_index (rs->site_inputs, i);
    if (strcmp (in->key, key) == 0 || (in->alias != NULL && strcmp (in->alias, key) == 0))
      return in;
  }
  return NULL;
}

static gboolean
set_site_input (LpSite *site, const LpInput *in, const char *text, const char *where,
                GError **error)
{
  double value;

  if (!parse_input (in, text, where, &value, error))
    return FALSE;
  site->values[in->site_index] = value;
  site->n_set += site->texts[in->site_index] == NULL;
  g_free (site->texts[in->site_index]);
  site->texts[in->site_index] = g_strdup (text);
  return TRUE;
}

static gboolean
set_site_kind (LpSite *site, const char *text, const char *where, GError **error)
{
  if (!lp_text_check (text, where, error))
    return FALSE;
  if (strcmp (text, "central") != 0 && strcmp (text, "branch") != 0) {
    g_set_error (error, LP_ERROR, LP_ERROR_INPUT, "%s expected central or branch, got '%s'", where,
                 text);
    return FALSE;
  }
  site->branch = strcmp (text, "branch") == 0;
  g_free (site->kind_where);
  site->kind_where = g_strdup (where);
  return TRUE;
}

/* code: one DNS label of letters, digits and '-' (not first or last), kept
 * in lower case; how long it may be is the naming's (lp_inventory_new()). */
static gboolean
set_site_code (LpSite *site, const char *text, const char *where, GError **error)
{
  gsize n = strlen (text);
  gboolean ok = n > 0 && n <= 63 && text[0] != '-' && text[n - 1] != '-';

  for (gsize i = 0; ok && i < n; i++)
    ok = g_ascii_isalnum (text[i]) || text[i] == '-';
  if (!ok) {
    g_autofree char *shown = g_strescape (text, NULL);
    g_set_error (error, LP_ERROR, LP_ERROR_INPUT,
                 "%s expected letters, digits and '-' (not first or last), at most 63, got '%s'",
                 where, shown);
    return FALSE;
  }
  g_free (site->code);
  site->code = g_ascii_strdown (text, -1);
  g_free (site->code_where);
  site->code_where = g_strdup (where);
  return TRUE;
}

/* The words a link key takes besides a site's name. */
static gboolean
link_takes (LpLinkKey key, LpLinkKind kind)
{
  switch (key) {
  case LP_LINK_DR: return kind == LP_LINK_NONE;
  case LP_LINK_EDGE: return kind == LP_LINK_HERE || kind == LP_LINK_NONE;
  case LP_LINK_OWA: return kind == LP_LINK_HERE;
  case LP_LINK_HOME:
  default: return FALSE;
  }
}

static const char *const link_expected[LP_N_LINKS] = { "a site's name or none",
                                                       "a central site's name",
                                                       "here, none or a site's name",
                                                       "here or a site's name" };

static gboolean
set_site_link (LpSite *site, LpLinkKey key, const char *text, const char *where, GError **error)
{
  LpSiteLink *l = &site->links[key];
  LpLinkKind kind = strcmp (text, "here") == 0   ? LP_LINK_HERE
                    : strcmp (text, "none") == 0 ? LP_LINK_NONE
                                                 : LP_LINK_SITE;

  if (text[0] == '\0') {
    g_set_error (error, LP_ERROR, LP_ERROR_INPUT, "%s empty value: expected %s", where,
                 link_expected[key]);
    return FALSE;
  }
  if (kind != LP_LINK_SITE && !link_takes (key, kind)) {
    g_set_error (error, LP_ERROR, LP_ERROR_INPUT, "%s expected %s, got '%s'", where,
                 link_expected[key], text);
    return FALSE;
  }
  if (!lp_text_check (text, where, error))
    return FALSE;
  link_clear (l);
  l->kind = kind;
  l->name = g_strdup (text);
  l->where = g_strdup (where);
  l->index = -1;
  return TRUE;
}

static gint
link_key (const char *key)
{
  for (guint k = 0; k < LP_N_LINKS; k++)
    if (strcmp (key, lp_site_link_keys[k]) == 0)
      return (gint) k;
  return -1;
}

gboolean
lp_scenario_set_site_key (LpScenario *sc, LpSite *site, const char *key, const char *text,
                          const char *where, GError **error)
{
  const LpInput *in;
  gint link = link_key (key);

  g_return_val_if_fail (g_atomic_int_get (&site->ref_count) == 1, FALSE); /* not shared */
  site_changed (site);
  if (strcmp (key, "users") == 0)
    return set_site_users (site, text, where, error);
  if (strcmp (key, "kind") == 0)
    return set_site_kind (site, text, where, error);
  if (strcmp (key, "code") == 0)
    return set_site_code (site, text, where, error);
  if (link >= 0)
    return set_site_link (site, (LpLinkKey) link, text, where, error);
  in = site_input (sc->rs, key);
  if (in == NULL) {
    g_set_error (error, LP_ERROR, LP_ERROR_INPUT, "%s not a key of a site", where);
    return FALSE;
  }
  return set_site_input (site, in, text, where, error);
}

gboolean
lp_scenario_unset_site_key (LpScenario *sc, LpSite *site, const char *key)
{
  const LpInput *in;
  gint link = link_key (key);
  gboolean was;

  g_return_val_if_fail (g_atomic_int_get (&site->ref_count) == 1, FALSE); /* not shared */
  site_changed (site);
  if (strcmp (key, "kind") == 0) {
    was = site->kind_where != NULL;
    site->branch = FALSE;
    g_clear_pointer (&site->kind_where, g_free);
    return was;
  }
  if (strcmp (key, "code") == 0) {
    was = site->code != NULL;
    g_clear_pointer (&site->code, g_free);
    g_clear_pointer (&site->code_where, g_free);
    return was;
  }
  if (link >= 0) {
    was = site->links[link].kind != LP_LINK_UNSET;
    link_clear (&site->links[link]);
    site->links[link].index = -1;
    return was;
  }
  in = site_input (sc->rs, key);
  if (in == NULL || in->site_index < 0 || (guint) in->site_index >= site->n_values ||
      site->texts[in->site_index] == NULL)
    return FALSE;
  g_clear_pointer (&site->texts[in->site_index], g_free);
  site->values[in->site_index] = 0;
  site->n_set--;
  return TRUE;
}

void
lp_scenario_site_text_append (GString *out, const LpScenario *sc, const LpSite *site)
{
  g_string_append_len (out, "users = ", 8);
  lp_append_count (out, site->users);
  g_string_append_c (out, '\n');
  if (site->kind_where != NULL)
    lp_key_line_append (out, "kind", site->branch ? "branch" : "central");
  if (site->code != NULL)
    lp_key_line_append (out, "code", site->code);
  for (guint i = 0; i < sc->rs->site_inputs->len && i < site->n_values; i++) {
    const LpInput *in = g_ptr_array_index (sc->rs->site_inputs, i);
    if (site->texts[i] != NULL)
      lp_key_line_append (out, in->key, site->texts[i]);
  }
  for (guint k = 0; k < LP_N_LINKS; k++)
    if (site->links[k].kind != LP_LINK_UNSET)
      lp_key_line_append (out, lp_site_link_keys[k], site->links[k].name);
}

const char *
lp_scenario_site_group (const LpScenario *sc, const LpSite *site, gsize *len)
{
  LpSite *cache = (LpSite *) site; /* its group is a cache, not a change */
  LpSiteGroup *g = g_atomic_pointer_get (&cache->group);
  GString *s;

  if (g == NULL) {
    s = g_string_sized_new (64);
    g_string_append_len (s, "[site ", 6);
    g_string_append (s, site->name);
    g_string_append_len (s, "]\n", 2);
    lp_scenario_site_text_append (s, sc, site);
    g = g_malloc (sizeof *g + s->len + 1);
    g->len = s->len;
    memcpy (g->text, s->str, s->len + 1);
    g_string_free (s, TRUE);
    /* a cache: another thread may have written it first (the same text) */
    if (!g_atomic_pointer_compare_and_exchange (&cache->group, NULL, g)) {
      g_free (g);
      g = g_atomic_pointer_get (&cache->group);
    }
  }
  *len = g->len;
  return g->text;
}

char *
lp_scenario_site_text (const LpScenario *sc, const LpSite *site)
{
  GString *s = g_string_new (NULL);

  lp_scenario_site_text_append (s, sc, site);
  return g_string_free (s, FALSE);
}

gboolean
lp_scenario_remove_site (LpScenario *sc, const char *name)
{
  gint at = lp_scenario_find_site (sc, name);
  GHashTable *names;

  if (at < 0)
    return FALSE;
  g_ptr_array_remove_index (sc->sites, (guint) at);
  names = site_index_mut (sc);
  g_hash_table_remove_all (names);
  for (guint i = 0; i < sc->sites->len; i++) {
    const LpSite *s = g_ptr_array_index (sc->sites, i);
    g_hash_table_insert (names, g_strdup (s->name), GUINT_TO_POINTER (i + 1));
    for (guint k = 0; k < LP_N_LINKS; k++) {
      if (s->links[k].kind == LP_LINK_SITE && strcmp (s->links[k].name, name) == 0) {
        LpSiteLink *l = &lp_scenario_site_mut (sc, i)->links[k];
        s = g_ptr_array_index (sc->sites, i);
        link_clear (l);
        l->index = -1;
      }
    }
  }
  return TRUE;
}

/* Not empty, and a name (lp_name_check()); @error says why not, after @where. */
static gboolean
valid_site_name (const char *name, const char *where, GError **error)
{
  g_autofree char *at = g_strdup_printf ("%s invalid site name:", where);

  if (name[0] == '\0') {
    g_set_error (error, LP_ERROR, LP_ERROR_INPUT, "%s invalid site name", where);
    return FALSE;
  }
  /* a file's [site C ] is site C: a name with spaces around it would not load back */
  if (g_ascii_isspace (name[0]) || g_ascii_isspace (name[strlen (name) - 1])) {
    g_set_error (error, LP_ERROR, LP_ERROR_INPUT,
                 "%s a site name does not start or end with a space", at);
    return FALSE;
  }
  return lp_name_check (name, at, error);
}

/* The argument --site takes; its keys are those of a [site NAME] group. */
char *
lp_scenario_site_usage (const LpRuleset *rs)
{
  (void) rs;
  return g_strdup ("NAME=USERS[,KEY=VALUE...]");
}

/* "kind, rto, ..., remote (remote-percent), ..., office-web-apps". */
static char *
site_keys_text (const LpRuleset *rs)
{
  GString *s = g_string_new ("kind, code");

  for (guint i = 0; i < rs->site_inputs->len; i++) {
    const LpInput *in = g_ptr_array_index (rs->site_inputs, i);
    if (in->alias != NULL)
      g_string_append_printf (s, ", %s (%s)", in->alias, in->key);
    else
      g_string_append_printf (s, ", %s", in->key);
  }
  for (guint k = 0; k < LP_N_LINKS; k++)
    g_string_append_printf (s, ", %s", lp_site_link_keys[k]);
  return g_string_free (s, FALSE);
}

/* The words a --site option may start with, for a suggestion. */
static const char **
site_option_names (const LpRuleset *rs)
{
  GPtrArray *names = g_ptr_array_new ();

  g_ptr_array_add (names, (gpointer) "kind");
  g_ptr_array_add (names, (gpointer) "code");
  for (guint i = 0; i < rs->site_inputs->len; i++) {
    const LpInput *in = g_ptr_array_index (rs->site_inputs, i);
    if (in->alias != NULL)
      g_ptr_array_add (names, in->alias);
    g_ptr_array_add (names, in->key);
  }
  for (guint k = 0; k < LP_N_LINKS; k++)
    g_ptr_array_add (names, (gpointer) lp_site_link_keys[k]);
  g_ptr_array_add (names, NULL);
  return (const char **) g_ptr_array_free (names, FALSE);
}

static gboolean
add_site_option (LpScenario *sc, LpSite *site, const char *spec, const char *option, GError **error)
{
  const char *eq = strchr (option, '=');
  g_autofree char *key = g_strndup (option, eq != NULL ? (gsize) (eq - option) : strlen (option));
  g_autofree char *where = g_strdup_printf ("--site '%s': %s:", spec, key);
  g_autofree const char **options = NULL;
  g_autofree char *hint = NULL;
  g_autofree char *usage = NULL;

  if (eq != NULL && strcmp (key, "users") != 0 &&
      (strcmp (key, "kind") == 0 || strcmp (key, "code") == 0 || link_key (key) >= 0 ||
       site_input (sc->rs, key) != NULL))
    return lp_scenario_set_site_key (sc, site, key, eq + 1, where, error);
  options = site_option_names (sc->rs);
  hint = lp_error_did_you_mean (key, options);
  usage = site_keys_text (sc->rs);
  g_set_error (error, LP_ERROR, LP_ERROR_INPUT,
               "--site '%s': unknown option '%s'%s: expected KEY=VALUE with KEY one of %s", spec,
               option, hint, usage);
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
    g_autofree char *usage = lp_scenario_site_usage (sc->rs);
    g_set_error (error, LP_ERROR, LP_ERROR_INPUT, "--site '%s': expected %s", spec, usage);
    return FALSE;
  }
  name = g_strstrip (g_strndup (spec, (gsize) (eq - spec)));
  where = g_strdup_printf ("--site '%s':", spec);
  if (!valid_site_name (name, where, error))
    return FALSE;
  users_where = g_strdup_printf ("--site '%s': users:", spec);
  site = get_site (sc, name, where);
  parts = g_strsplit (eq + 1, ",", -1); /* "" splits into no parts at all */
  if (!set_site_users (site, parts[0] != NULL ? parts[0] : "", users_where, error))
    return FALSE;
  for (guint i = 1; parts[i] != NULL; i++) {
    if (!add_site_option (sc, site, spec, parts[i], error))
      return FALSE;
  }
  return TRUE;
}

/* ---- [set] and --set ---- */

static gboolean
add_set (LpScenario *sc, const char *name, const char *text, const char *where, GError **error)
{
  LpSetting *s;

  if (lp_ruleset_find_input (sc->rs, name) != NULL) {
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

/* The setters a session uses: the same checks as a file's or a flag's. */
gboolean
lp_scenario_set_constant (LpScenario *sc, const char *name, const char *text, const char *where,
                          GError **error)
{
  return add_set (sc, name, text, where, error);
}

LpSite *
lp_scenario_add_site (LpScenario *sc, const char *name, const char *where, GError **error)
{
  if (!valid_site_name (name, where, error))
    return NULL;
  return get_site (sc, name, where);
}

/* ---- scenario files ---- */

static char *
entry_where (const LpKeyfile *kf, const LpKfGroup *g, const LpKfEntry *e)
{
  return g_strdup_printf ("%s:%u: [%s] %s:", kf->filename, e->line, g->name, e->key);
}

/* A key of the other kind of group ([site] for [scenario], or the other
 * way round) says so: "customer" in a [site] is a [scenario] key. */
/* The keys of each kind of group, listed once for a file's groups. */
typedef struct {
  const char **scenario;
  const char **site;
} LpGroupKeys;

static gboolean
other_group_keys (const LpKeyfile *kf, const LpKfGroup *g, guint scope, const LpGroupKeys *all,
                  GError **error)
{
  guint other = scope == LP_SCOPE_SITE ? LP_SCOPE_SCENARIO : LP_SCOPE_SITE;
  const char *const *keys = scope == LP_SCOPE_SITE ? all->site : all->scenario;
  const char *const *theirs = other == LP_SCOPE_SITE ? all->site : all->scenario;

  for (guint i = 0; i < g->entries->len; i++) {
    const LpKfEntry *e = g_ptr_array_index (g->entries, i);
    if (!g_strv_contains (keys, e->key) && g_strv_contains (theirs, e->key))
      return lp_kf_set_error (error, LP_ERROR_INPUT, kf, e->line, g->name, e->key,
                              "unknown key here: a key of the %s group",
                              other == LP_SCOPE_SITE ? "[site NAME]" : "[scenario]");
  }
  return TRUE;
}

static gboolean
load_scenario_group (LpScenario *sc, const LpKeyfile *kf, const LpKfGroup *g,
                     const LpGroupKeys *keys, GError **error)
{
  if (!other_group_keys (kf, g, LP_SCOPE_SCENARIO, keys, error))
    return FALSE;
  if (!lp_kf_group_check_keys (kf, g, keys->scenario, NULL, LP_ERROR_INPUT, error))
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
                 const LpGroupKeys *keys, GError **error)
{
  static const char *const required[] = { "users", NULL };
  g_autofree char *where = g_strdup_printf ("%s:%u: [%s]", kf->filename, g->line, g->name);
  LpSite *site;

  if (!valid_site_name (name, where, error))
    return FALSE;
  if (!other_group_keys (kf, g, LP_SCOPE_SITE, keys, error) ||
      !lp_kf_group_check_keys (kf, g, keys->site, required, LP_ERROR_INPUT, error))
    return FALSE;
  site = get_site (sc, name, where);
  for (guint i = 0; i < g->entries->len; i++) {
    const LpKfEntry *e = g_ptr_array_index (g->entries, i);
    g_autofree char *ew = entry_where (kf, g, e);

    if (!lp_scenario_set_site_key (sc, site, e->key, e->value, ew, error))
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
load_group (LpScenario *sc, const LpKeyfile *kf, const LpKfGroup *g, const LpGroupKeys *keys,
            GError **error)
{
  static const char *const kinds[] = { "scenario", "site", "set", NULL };
  g_autofree char *hint = NULL;

  if (strcmp (g->name, "scenario") == 0)
    return load_scenario_group (sc, kf, g, keys, error);
  if (strcmp (g->name, "set") == 0)
    return load_set_group (sc, kf, g, error);
  if (g_str_has_prefix (g->name, "site "))
    return load_site_group (sc, kf, g, g->name + 5, keys, error);
  hint = lp_error_did_you_mean (g->name, kinds);
  return lp_kf_set_error (error, LP_ERROR_INPUT, kf, g->line, g->name, NULL,
                          "unknown group%s: expected [scenario], [site NAME] or [set]", hint);
}

const char *
lp_scenario_product (const LpKeyfile *kf)
{
  const LpKfGroup *g = lp_kf_find_group (kf, "scenario");
  const LpKfEntry *e = g != NULL ? lp_kf_group_lookup (g, "product") : NULL;

  return e != NULL ? e->value : NULL;
}

LpScenario *
lp_scenario_load (const LpKeyfile *kf, const LpRuleset *rs, GError **error)
{
  g_autoptr (LpScenario) sc = lp_scenario_new (rs);
  g_autofree const char **scenario_keys = lp_scenario_keys (rs, LP_SCOPE_SCENARIO);
  g_autofree const char **site_keys = lp_scenario_keys (rs, LP_SCOPE_SITE);
  const LpGroupKeys keys = { scenario_keys, site_keys };

  sc->filename = g_strdup (kf->filename);
  for (guint i = 0; i < kf->groups->len; i++) {
    if (!load_group (sc, kf, g_ptr_array_index (kf->groups, i), &keys, error))
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
    g_set_error (error, LP_ERROR, LP_ERROR_INPUT,
                 "%s unknown rule constant%s "
                 "('lyncplan rules' lists them)",
                 s->where, hint);
    return FALSE;
  }
  s->slot = v->slot;
  if (!lp_ruleset_parse_var (v, s->text, &s->value, &cause))
    return fail_at (error, s->where, cause);
  return TRUE;
}

static gboolean
resolve_setting (LpSetting *s, const LpRuleset *rs, const LpRuleset *sc_rs, GError **error)
{
  if (!s->is_input)
    return resolve_constant (s, rs, error);
  if (rs != sc_rs) {
    g_set_error (error, LP_ERROR, LP_ERROR_RULES, "%s: the scenario was read for another rule set",
                 rs->path);
    return FALSE;
  }
  return TRUE;
}

static gboolean link_error (GError **error, const LpSiteLink *l, const char *format, ...)
  G_GNUC_PRINTF (3, 4);

static gboolean
link_error (GError **error, const LpSiteLink *l, const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, LP_ERROR, LP_ERROR_INPUT, "%s %s", l->where, message);
  return FALSE;
}

/* Binds a link of site @i that names a site to that site's index (the
 * site is copied only when its index changes: lp_scenario_site_mut()). */
static gboolean
bind_link (LpScenario *sc, guint i, LpLinkKey key, GError **error)
{
  static const char *const itself[LP_N_LINKS] = {
    "a site cannot be its own DR site", "a site cannot be its own home",
    "a site names itself: write edge = here", "a site names itself: write office-web-apps = here"
  };
  const LpSite *site = g_ptr_array_index (sc->sites, i);
  const LpSiteLink *l = &site->links[key];
  g_autofree const char **names = NULL;
  g_autofree char *hint = NULL;
  gint at;

  if (l->kind != LP_LINK_SITE)
    return TRUE;
  at = lp_scenario_find_site (sc, l->name);
  if (at != l->index) {
    LpSite *own = lp_scenario_site_mut (sc, i);
    own->links[key].index = at;
    site = own;
    l = &own->links[key];
  }
  if (at >= 0)
    return strcmp (l->name, site->name) != 0 || link_error (error, l, "%s", itself[key]);
  names = g_new0 (const char *, sc->sites->len + 1);
  for (guint k = 0; k < sc->sites->len; k++)
    names[k] = ((LpSite *) g_ptr_array_index (sc->sites, k))->name;
  hint = lp_error_did_you_mean (l->name, names);
  return link_error (error, l, "no site named '%s'%s", l->name, hint);
}

/* Binds the links of site @i (bind_link()) and checks what they may name: a branch is homed on a central site
 * and has no DR site, Edge or Office Web Apps of its own; a site named as
 * another's Edge or Office Web Apps site has its own. */
static gboolean
check_links (LpScenario *sc, guint i, GError **error)
{
  const LpSite *site;
  const LpSiteLink *home;

  for (guint k = 0; k < LP_N_LINKS; k++)
    if (!bind_link (sc, i, (LpLinkKey) k, error))
      return FALSE;
  site = g_ptr_array_index (sc->sites, i);
  home = &site->links[LP_LINK_HOME];
  if (!site->branch && home->kind != LP_LINK_UNSET)
    return link_error (error, home, "only a branch site (kind = branch) has a home site");
  if (site->branch) {
    if (home->kind == LP_LINK_UNSET) {
      g_set_error (error, LP_ERROR, LP_ERROR_INPUT,
                   "%s a branch site needs home, the central site its users are homed on",
                   site->kind_where != NULL ? site->kind_where : site->where);
      return FALSE;
    }
    if (((const LpSite *) g_ptr_array_index (sc->sites, home->index))->branch)
      return link_error (error, home, "'%s' is a branch site: a branch is homed on a central site",
                         home->name);
    for (guint k = 0; k < LP_N_LINKS; k++)
      if (k != LP_LINK_HOME && site->links[k].kind != LP_LINK_UNSET)
        return link_error (error, &site->links[k],
                           "a branch site has no %s of its own: its users are homed on %s, "
                           "whose plan covers them",
                           lp_site_link_keys[k], home->name);
  }
  for (guint k = LP_LINK_EDGE; k <= LP_LINK_OWA; k++) {
    const LpSiteLink *l = &site->links[k];
    const LpSite *to;
    if (l->kind != LP_LINK_SITE)
      continue;
    to = g_ptr_array_index (sc->sites, l->index);
    if (to->branch || to->links[k].kind == LP_LINK_SITE || to->links[k].kind == LP_LINK_NONE)
      return link_error (error, l, "'%s' has no %s of its own to share%s", l->name,
                         k == LP_LINK_EDGE ? "Edge pool" : "Office Web Apps farm",
                         to->branch ? " (a branch site)" : "");
  }
  if (site->links[LP_LINK_DR].kind == LP_LINK_SITE &&
      ((const LpSite *) g_ptr_array_index (sc->sites, site->links[LP_LINK_DR].index))->branch)
    return link_error (error, &site->links[LP_LINK_DR],
                       "'%s' is a branch site: a DR site is a central site",
                       site->links[LP_LINK_DR].name);
  return TRUE;
}

/* The most names one SIP domain puts on a certificate: the SAN templates of
 * the [certificate] rule with the most that name {domain} or {published-urls}
 * (the organization's external names: lyncdiscover once a domain, the
 * others already counted) (@label: its label). */
static guint
names_per_domain (const LpRuleset *rs, const char **label)
{
  guint most = 0;

  for (guint i = 0; i < rs->certificates->len; i++) {
    const LpCertRule *rule = g_ptr_array_index (rs->certificates, i);
    guint n = 0;
    for (guint k = 0; rule->san != NULL && rule->san[k] != NULL; k++)
      n += strstr (rule->san[k], "{domain}") != NULL ||
           strstr (rule->san[k], "{published-urls}") != NULL; /* lyncdiscover */
    if (n > most) {
      most = n;
      *label = rule->label;
    }
  }
  return most;
}

/* Each SIP domain adds names to certificates: more than a certificate may
 * carry (certificate-names-max) are refused before anything is planned. */
static gboolean
check_domain_count (const LpScenario *sc, const LpRuleset *rs, GError **error)
{
  const LpSetting *set = lp_scenario_find_setting (sc, "certificate-names-max");
  const LpRuleVar *var = lp_ruleset_find_var (rs, "certificate-names-max");
  const char *label = NULL;
  g_auto (GStrv) domains = lp_scenario_sip_domains (sc);
  guint per = names_per_domain (rs, &label);
  double max = set != NULL ? set->value : var != NULL ? var->value : G_MAXDOUBLE;
  guint n = domains != NULL ? g_strv_length (domains) : 0;

  if (per == 0 || (double) n * per <= max)
    return TRUE;
  g_set_error (error, LP_ERROR, LP_ERROR_INPUT,
               "%s %u SIP domains put %" G_GUINT64_FORMAT
               " names on the %s certificate (%u a domain); a "
               "certificate carries at most %.0f (certificate-names-max): at most %u SIP domain%s",
               sc->sip_domain_where != NULL ? sc->sip_domain_where : "sip-domain:", n,
               (guint64) n * per, label, per, max, (guint) (max / per),
               (guint) (max / per) == 1 ? "" : "s");
  return FALSE;
}

gboolean
lp_scenario_resolve (LpScenario *sc, const LpRuleset *rs, GError **error)
{
  for (guint i = 0; i < sc->settings->len; i++) {
    if (!resolve_setting (g_ptr_array_index (sc->settings, i), rs, sc->rs, error))
      return FALSE;
  }
  if (sc->sites->len == 0) {
    g_set_error (error, LP_ERROR, LP_ERROR_INPUT,
                 "%s%sno site: add a [site NAME] group with "
                 "users, or --site NAME=USERS",
                 sc->filename ? sc->filename : "", sc->filename ? ": " : "");
    return FALSE;
  }
  if (!check_domain_count (sc, rs, error))
    return FALSE;
  for (guint i = 0; i < sc->sites->len; i++) {
    if (!check_links (sc, i, error))
      return FALSE;
  }
  return TRUE;
}
