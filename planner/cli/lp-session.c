/* lp-session.c: see lp-session.h. */
#include "lp-session.h"

#include <string.h>

#include "lp-products.h"
#include "lp-error.h"
#include "lp-inventory.h"
#include "lp-keyfile.h"
#include "lp-text.h"
#include "lp-json.h"
#include "lp-units.h"

/* Every key `set` takes, for a suggestion: the scenario's and the constants. */
static GPtrArray *
known_keys (const LpRuleset *rs)
{
  GPtrArray *keys = g_ptr_array_new ();
  g_autofree const char **constants = lp_ruleset_constant_names (rs);

  for (guint i = 0; i < rs->inputs->len; i++)
    g_ptr_array_add (keys, ((const LpInput *) g_ptr_array_index (rs->inputs, i))->key);
  for (guint i = 0; lp_scenario_words[i] != NULL; i++)
    g_ptr_array_add (keys, (gpointer) lp_scenario_words[i]);
  g_ptr_array_add (keys, (gpointer) "users");
  for (guint i = 0; constants[i] != NULL; i++)
    g_ptr_array_add (keys, (gpointer) constants[i]);
  g_ptr_array_add (keys, NULL);
  return keys;
}

static gboolean
unknown_key (const LpRuleset *rs, const char *key, const char *where, GError **error)
{
  g_autoptr (GPtrArray) keys = known_keys (rs);
  g_autofree char *hint = lp_error_did_you_mean (key, (const char *const *) keys->pdata);

  g_set_error (error, LP_ERROR, LP_ERROR_INPUT, "%s [scenario] %s: unknown key%s", where, key,
               hint);
  return FALSE;
}

/* The site a KEY@SITE (or users of the only site) names, @sc's own to change. */
static LpSite *
site_named (LpScenario *sc, const char *name, const char *key, const char *where, GError **error)
{
  gint at;

  if (name == NULL && sc->sites->len == 1)
    return lp_scenario_site_mut (sc, 0);
  if (name == NULL) {
    g_set_error (error, LP_ERROR, LP_ERROR_INPUT,
                 "%s [scenario] %s: the scenario has %u sites: name one "
                 "(%s@SITE)",
                 where, key, sc->sites->len, key);
    return NULL;
  }
  at = lp_scenario_find_site (sc, name);
  if (at < 0) {
    g_set_error (error, LP_ERROR, LP_ERROR_INPUT, "%s [site %s]: no such site", where, name);
    return NULL;
  }
  return lp_scenario_site_mut (sc, (guint) at);
}

static gboolean
apply_site (LpScenario *sc, const char *key, const char *site_name, const char *text,
            const char *where, GError **error)
{
  LpSite *site = site_named (sc, site_name, key, where, error);
  g_autofree char *at = NULL;

  if (site == NULL)
    return FALSE;
  at = g_strdup_printf ("%s [site %s] %s:", where, site->name, key);
  return lp_scenario_set_site_key (sc, site, key, text, at, error);
}

gboolean
lp_session_apply (LpScenario *sc, const char *key, const char *text, const char *where,
                  GError **error)
{
  const char *at_sign = strchr (key, '@');
  const LpInput *in = lp_ruleset_find_input (sc->rs, key);
  const LpRuleVar *v = lp_ruleset_find_var (sc->rs, key);
  g_autofree char *name = NULL;
  g_autofree char *prefix = NULL;

  if (at_sign != NULL) {
    name = g_strndup (key, (gsize) (at_sign - key));
    return apply_site (sc, name, at_sign + 1, text, where, error);
  }
  if (strcmp (key, "users") == 0 || (in != NULL && !(in->scope & LP_SCOPE_SCENARIO)))
    return apply_site (sc, key, NULL, text, where, error);
  if (in != NULL || g_strv_contains (lp_scenario_words, key)) {
    prefix = g_strdup_printf ("%s [scenario] %s:", where, key);
    return lp_scenario_set_value (sc, key, text, prefix, error);
  }
  if (v != NULL && !v->is_input) {
    prefix = g_strdup_printf ("%s [set] %s:", where, key);
    return lp_scenario_set_constant (sc, key, text, prefix, error);
  }
  return unknown_key (sc->rs, key, where, error);
}

/* unset KEY@SITE: the site's own value goes, the scenario's or the default is back. */
static gboolean
unset_site (LpScenario *sc, const char *key, const char *site_name, const char *where,
            GError **error)
{
  LpSite *site = site_named (sc, site_name, key, where, error);

  if (site == NULL)
    return FALSE;
  if (strcmp (key, "users") == 0) {
    g_set_error (error, LP_ERROR, LP_ERROR_INPUT,
                 "%s [site %s] users: every site has users: 'site remove %s' removes the site",
                 where, site->name, site->name);
    return FALSE;
  }
  if (!lp_scenario_unset_site_key (sc, site, key)) {
    g_set_error (error, LP_ERROR, LP_ERROR_INPUT, "%s [site %s] %s: not set for the site", where,
                 site->name, key);
    return FALSE;
  }
  return TRUE;
}

gboolean
lp_session_unset (LpScenario *sc, const char *key, const char *where, GError **error)
{
  const char *at_sign = strchr (key, '@');
  const LpRuleVar *v = lp_ruleset_find_var (sc->rs, key);

  if (at_sign != NULL) {
    g_autofree char *name = g_strndup (key, (gsize) (at_sign - key));
    return unset_site (sc, name, at_sign + 1, where, error);
  }
  if (v == NULL && lp_ruleset_find_input (sc->rs, key) == NULL &&
      !g_strv_contains (lp_scenario_words, key))
    return unknown_key (sc->rs, key, where, error);
  if (!lp_scenario_unset_value (sc, key)) {
    g_set_error (error, LP_ERROR, LP_ERROR_INPUT,
                 "%s [scenario] %s: not set (it is the rule "
                 "set's default)",
                 where, key);
    return FALSE;
  }
  return TRUE;
}

/* The scenario as `save` writes it must load as `plan` loads a file: one
 * validation for plan, the shell and diff --with (a site "C " beside "C"
 * would save two [site C] groups). */
static gboolean
loads_back (const LpScenario *sc, const char *text, GError **error)
{
  g_autoptr (LpKeyfile)
    kf = lp_keyfile_parse ("(the scenario as saved)", text, strlen (text), LP_ERROR_INPUT, error);
  g_autoptr (LpScenario) back = kf != NULL ? lp_scenario_load (kf, sc->rs, error) : NULL;

  return back != NULL;
}

struct _LpSessionCache {
  LpNameCheck *names; /* the naming of the last plan that passed */
};

LpSessionCache *
lp_session_cache_new (void)
{
  LpSessionCache *known = g_new0 (LpSessionCache, 1);

  known->names = lp_name_check_new ();
  return known;
}

void
lp_session_cache_free (LpSessionCache *known)
{
  if (known == NULL)
    return;
  lp_name_check_free (known->names);
  g_free (known);
}

static void append_head (GString *s, const LpScenario *sc, const char *product);
static void append_site (GString *s, const LpScenario *sc, const LpSite *site);
static void append_tail (GString *s, const LpScenario *sc);

/* loads_back() for a session: the [site] groups known to load back (each
 * site keeps it while unchanged: LpSite.loads_under) are not read again. A
 * file's groups load one by one (a site's keys are checked against the rule
 * set alone), and their names must differ (a duplicate group): so the
 * [scenario] and [set] groups and the other [site] groups are loaded
 * together, and each of those groups' names is compared with the others'
 * and with the known sites' (a known site's group is named by the site's
 * own name, and the scenario's site names differ). Any fault: the whole
 * text is loaded, for the message a file would give. */
static gboolean
loads_back_known (const LpScenario *sc, const char *text, GError **error)
{
  g_autoptr (GString) fresh = g_string_sized_new (1024);
  g_autoptr (GPtrArray) fresh_sites = g_ptr_array_new ();
  g_autoptr (GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (LpKeyfile) kf = NULL;
  g_autoptr (LpScenario) back = NULL;

  append_head (fresh, sc, NULL);
  for (guint i = 0; i < sc->sites->len; i++) {
    const LpSite *site = g_ptr_array_index (sc->sites, i);
    if (site->loads_under == sc->rs)
      continue;
    append_site (fresh, sc, site);
    g_ptr_array_add (fresh_sites, (gpointer) site);
  }
  append_tail (fresh, sc);
  kf = lp_keyfile_parse ("(the scenario as saved)", fresh->str, fresh->len, LP_ERROR_INPUT, NULL);
  back = kf != NULL ? lp_scenario_load (kf, sc->rs, NULL) : NULL;
  if (back == NULL)
    return loads_back (sc, text, error);
  for (guint i = 0; i < kf->groups->len; i++) {
    const LpKfGroup *g = g_ptr_array_index (kf->groups, i);
    gint at;
    if (!g_str_has_prefix (g->name, "site "))
      continue;
    at = lp_scenario_find_site (sc, g->name + 5);
    if (!g_hash_table_add (names, g->name) ||
        (at >= 0 && ((const LpSite *) g_ptr_array_index (sc->sites, at))->loads_under == sc->rs))
      return loads_back (sc, text, error); /* a duplicate group */
  }
  /* a site is known when its group, one group, is named by its own name */
  for (guint i = 0, k = 0; i < kf->groups->len && back->sites->len == fresh_sites->len; i++) {
    const LpKfGroup *g = g_ptr_array_index (kf->groups, i);
    LpSite *site;
    if (!g_str_has_prefix (g->name, "site "))
      continue;
    site = g_ptr_array_index (fresh_sites, k++);
    if (strcmp (g->name + 5, site->name) == 0)
      site->loads_under = sc->rs; /* a cache: the same for every copy sharing the site */
  }
  return TRUE;
}

gboolean
lp_session_summarise (LpPlanner *planner, LpScenario *sc, LpSessionCache *known, LpPlanSummary *s,
                      GError **error)
{
  const LpPlan *plan;
  g_autofree char *text = lp_session_scenario_text (sc, NULL);

  if (!(known != NULL ? loads_back_known (sc, text, error) : loads_back (sc, text, error)) ||
      !lp_scenario_resolve (sc, sc->rs, error))
    return FALSE;
  lp_planner_set_choice_only (planner, TRUE); /* only the summary is read */
  plan = lp_planner_replan (planner, sc, FALSE, error);
  if (plan == NULL)
    return FALSE;
  /* the names every output gives the servers: plan refuses a plan it cannot name
   * (computer-name-max), so the shell and diff do too */
  if (!(known != NULL ? lp_name_check_plan (known->names, plan, error)
                      : lp_inventory_check (plan, NULL, error)))
    return FALSE;
  lp_plan_summary_set (s, plan);
  g_free (s->inputs);
  s->inputs = g_steal_pointer (&text);
  return TRUE;
}

/* ---- differences ---- */

static void
add_change (GPtrArray *changes, const char *path, char *old_text, char *new_text)
{
  LpPlanChange *c;

  if (g_strcmp0 (old_text, new_text) == 0) {
    g_free (old_text);
    g_free (new_text);
    return;
  }
  c = g_new0 (LpPlanChange, 1);
  c->path = g_strdup (path);
  c->old_text = old_text;
  c->new_text = new_text;
  g_ptr_array_add (changes, c);
}

static gint
index_of_role (const LpRuleset *rs, const char *id)
{
  for (guint k = 0; k < rs->roles->len; k++) {
    if (strcmp (((const LpRole *) g_ptr_array_index (rs->roles, k))->id, id) == 0)
      return (gint) k;
  }
  return -1;
}

static gint
index_of_check (const LpRuleset *rs, const char *id)
{
  for (guint k = 0; k < rs->checks->len; k++) {
    if (strcmp (((const LpCheck *) g_ptr_array_index (rs->checks, k))->id, id) == 0)
      return (gint) k;
  }
  return -1;
}

/* @from's role counts in @rs's order, by role id (0 for a role @from's
 * rule set does not have). */
static void
map_roles (guint64 *to, const LpRuleset *rs, const guint64 *from, const LpRuleset *from_rs)
{
  for (guint k = 0; k < rs->roles->len; k++) {
    gint at = index_of_role (from_rs, ((const LpRole *) g_ptr_array_index (rs->roles, k))->id);
    to[k] = at >= 0 ? from[at] : 0;
  }
}

static void
map_groups (LpPlanSummary *out, const LpPlanSummary *from)
{
  const LpRuleset *rs = out->rs;

  g_array_set_size (out->groups, from->groups->len);
  for (guint i = 0; i < from->groups->len; i++) {
    const LpGroupSummary *g = &g_array_index (from->groups, LpGroupSummary, i);
    LpGroupSummary *t = &g_array_index (out->groups, LpGroupSummary, i);
    t->label = g_strdup (g->label);
    t->key = g_strdup (g->key);
    t->design = g->design;
    t->checks = g_new0 (LpCheckResult, MAX (1, rs->checks->len));
    for (guint k = 0; k < rs->checks->len; k++) {
      gint at = index_of_check (from->rs,
                                ((const LpCheck *) g_ptr_array_index (rs->checks, k))->id);
      if (at >= 0)
        t->checks[k] = g->checks[at];
    }
  }
}

/* @out (uninitialised) becomes @from spoken in @rs's ids: roles and checks
 * matched by id, so plans of two rule sets compare site by site (a rule set
 * that extends another shares its ids); a role or check only @from's rule
 * set has is left out, one only @rs has is 0 or "does not apply". */
static void
translate (LpPlanSummary *out, const LpRuleset *rs, const LpPlanSummary *from)
{
  lp_plan_summary_init (out, rs, TRUE);
  out->design = from->design;
  out->edition = from->edition;
  out->feasible = from->feasible;
  out->servers = from->servers;
  out->appliances = from->appliances;
  out->reverse_proxies = from->reverse_proxies;
  out->cost = from->cost;
  out->priced = from->priced;
  map_roles (out->roles, rs, from->roles, from->rs);
  for (guint k = 0; k < rs->checks->len; k++) {
    gint at = index_of_check (from->rs, ((const LpCheck *) g_ptr_array_index (rs->checks, k))->id);
    if (at >= 0 && lp_plan_summary_missed (from, (guint) at))
      out->missed[k / 64] |= G_GUINT64_CONSTANT (1) << (k % 64);
  }
  g_array_set_size (out->sites, from->sites != NULL ? from->sites->len : 0);
  for (guint i = 0; i < out->sites->len; i++) {
    const LpSiteSummary *site = &g_array_index (from->sites, LpSiteSummary, i);
    LpSiteSummary *t = &g_array_index (out->sites, LpSiteSummary, i);
    t->name = g_strdup (site->name);
    t->roles = g_new0 (guint64, MAX (1, rs->roles->len));
    map_roles (t->roles, rs, site->roles, from->rs);
  }
  if (from->groups != NULL)
    map_groups (out, from);
}

/* The roles only @from's rule set has (Persistent Chat under sfb2019): the
 * translation leaves them out, so their servers are listed here as gone,
 * site by site, or the difference would drop them silently. */
static void
removed_roles (GPtrArray *out, const LpPlanSummary *from, const LpPlanSummary *to)
{
  for (guint k = 0; k < from->rs->roles->len; k++) {
    const char *id = ((const LpRole *) g_ptr_array_index (from->rs->roles, k))->id;
    if (index_of_role (to->rs, id) >= 0)
      continue;
    for (guint i = 0; from->sites != NULL && i < from->sites->len; i++) {
      const LpSiteSummary *site = &g_array_index (from->sites, LpSiteSummary, i);
      g_autofree char *path = NULL;
      if (site->roles[k] == 0)
        continue;
      path = g_strdup_printf ("sites/%s/roles/%s", site->name, id);
      add_change (out, path, lp_format_count (site->roles[k]), g_strdup ("0"));
    }
  }
}

static GPtrArray *session_diff (const LpPlanSummary *from, const LpPlanSummary *to);

/* A scenario's text as an ordered map: "KEY" for [scenario], "KEY@SITE" for
 * [site SITE], "set KEY" for [set]; the name and product left out (the
 * product is a change of its own). */
static void
read_inputs (const char *text, GPtrArray *keys, GHashTable *values)
{
  g_auto (GStrv) lines = g_strsplit (text != NULL ? text : "", "\n", -1);
  g_autofree char *site = NULL;
  gboolean set = FALSE;

  for (guint i = 0; lines[i] != NULL; i++) {
    const char *line = lines[i];
    const char *eq = strstr (line, " = ");
    char *key;
    if (line[0] == '[') {
      g_clear_pointer (&site, g_free);
      set = strcmp (line, "[set]") == 0;
      if (g_str_has_prefix (line, "[site "))
        site = g_strndup (line + 6, strlen (line) - 7);
      continue;
    }
    if (eq == NULL)
      continue;
    key = site != NULL ? g_strdup_printf ("%.*s@%s", (int) (eq - line), line, site)
          : set        ? g_strdup_printf ("set %.*s", (int) (eq - line), line)
                       : g_strndup (line, (gsize) (eq - line));
    if (site == NULL && !set && (strcmp (key, "name") == 0 || strcmp (key, "product") == 0)) {
      g_free (key);
      continue;
    }
    g_ptr_array_add (keys, key);
    g_hash_table_insert (values, key, g_strdup (eq + 3));
  }
}

static const char *
line_end (const char *s)
{
  const char *nl = strchr (s, '\n');
  return nl != NULL ? nl : s + strlen (s);
}

/* The length of @line's "KEY = " part (0 for a line without one). */
static gsize
key_length (const char *line, gsize len)
{
  const char *eq = g_strstr_len (line, (gssize) len, " = ");
  return eq != NULL && line[0] != '[' ? (gsize) (eq - line) + 3 : 0;
}

/* How many bytes @a and @b (@n each at most) start with alike: a block at
 * a time, so 30 KB of a scenario's text that did not change is a few
 * hundred compares. */
static gsize
same_prefix (const char *a, const char *b, gsize n)
{
  gsize at = 0;

  while (at + 256 <= n && memcmp (a + at, b + at, 256) == 0)
    at += 256;
  while (at + 16 <= n && memcmp (a + at, b + at, 16) == 0)
    at += 16;
  while (at < n && a[at] == b[at])
    at++;
  return at;
}

/* The section a line at @at of @text is in, as read_inputs() reads one:
 * sets @site and @set from the last "[...]" line starting in [@from, @at);
 * leaves them when there is none (the section read before @from goes on). */
static void
section_before (const char *text, gsize from, gsize at, char **site, gboolean *set)
{
  for (gsize p = at; p-- > from;) {
    if (text[p] == '[' && (p == 0 || text[p - 1] == '\n')) {
      const char *line = text + p;
      gsize len = (gsize) (line_end (line) - line);
      g_clear_pointer (site, g_free);
      *set = len == 5 && memcmp (line, "[set]", 5) == 0;
      if (len >= 7 && memcmp (line, "[site ", 6) == 0)
        *site = g_strndup (line + 6, len - 7);
      return;
    }
  }
}

/* input_changes() where @from and @to are the same lines but for values
 * (a shell change: one value changed among 1,000 sites' lines): the
 * changed values, read where they differ, without an index of every key;
 * the text alike between them is skipped a block at a time, and each
 * changed line's section read back from it.
 * Returns: FALSE, adding nothing, when the lines are not so. */
static gboolean
same_inputs_lines (GPtrArray *out, const char *from, const char *to)
{
  g_autoptr (GPtrArray)
    found = g_ptr_array_new_with_free_func ((GDestroyNotify) lp_plan_change_free);
  g_autofree char *site = NULL;
  gboolean set = FALSE;
  gsize from_len = strlen (from), to_len = strlen (to);
  gsize f = 0, t = 0, read = 0; /* where @from and @to are; @from's section read up to @read */

  for (;;) {
    gsize same = same_prefix (from + f, to + t, MIN (from_len - f, to_len - t));
    const char *fl_start, *tl_start, *fe, *te;
    gsize fl, tl, k;

    if (f + same == from_len && t + same == to_len)
      break;
    /* back to the start of the line the texts differ in (the same in both) */
    while (same > 0 && from[f + same - 1] != '\n')
      same--;
    f += same;
    t += same;
    fl_start = from + f;
    tl_start = to + t;
    fe = line_end (fl_start);
    te = line_end (tl_start);
    fl = (gsize) (fe - fl_start);
    tl = (gsize) (te - tl_start);
    section_before (from, read, f, &site, &set);
    read = f;
    if (fl == tl && memcmp (fl_start, tl_start, fl) == 0) {
      /* the same line (one text goes on after it): a section read as it is met */
      if (fl_start[0] == '[') {
        section_before (from, f, f + 1, &site, &set);
        read = f + 1;
      }
    } else if ((k = key_length (fl_start, fl)) == 0 || k != key_length (tl_start, tl) ||
               memcmp (fl_start, tl_start, k) != 0) {
      return FALSE; /* another key or section: the general way */
    } else {
      g_autofree char *key = g_strndup (fl_start, k - 3);
      char *path = site != NULL ? g_strdup_printf ("%s@%s", key, site)
                   : set        ? g_strdup_printf ("set %s", key)
                                : g_strdup (key);
      if (site != NULL || set || (strcmp (path, "name") != 0 && strcmp (path, "product") != 0))
        add_change (found, path, g_strndup (fl_start + k, fl - k),
                    g_strndup (tl_start + k, tl - k));
      g_free (path);
    }
    f = (gsize) (fe - from) + (*fe != '\0');
    t = (gsize) (te - to) + (*te != '\0');
    if (read > f)
      read = f;
  }
  for (guint i = 0; i < found->len; i++)
    g_ptr_array_add (out, g_steal_pointer (&found->pdata[i]));
  return TRUE;
}

static void
input_changes (GPtrArray *out, const char *from, const char *to)
{
  g_autoptr (GPtrArray) keys_a = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) keys_b = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GHashTable) a = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr (GHashTable) b = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  if (from == NULL || to == NULL)
    return;
  if (!same_inputs_lines (out, from, to)) {
    read_inputs (from, keys_a, a);
    read_inputs (to, keys_b, b);
    for (guint i = 0; i < keys_a->len; i++) {
      const char *k = keys_a->pdata[i];
      const char *va = g_hash_table_lookup (a, k), *vb = g_hash_table_lookup (b, k);
      if (g_strcmp0 (va, vb) != 0)
        add_change (out, k, g_strdup (va), g_strdup (vb));
    }
    for (guint i = 0; i < keys_b->len; i++) {
      const char *k = keys_b->pdata[i];
      if (!g_hash_table_contains (a, k))
        add_change (out, k, NULL, g_strdup (g_hash_table_lookup (b, k)));
    }
  }
  for (guint i = 0; i < out->len; i++) {
    LpPlanChange *c = g_ptr_array_index (out, i);
    if (!g_str_has_prefix (c->path, "inputs/")) {
      char *path = g_strconcat ("inputs/", c->path, NULL);
      g_free (c->path);
      c->path = path;
    }
  }
}

GPtrArray *
lp_session_diff (const LpPlanSummary *from, const LpPlanSummary *to)
{
  GPtrArray *all = g_ptr_array_new_with_free_func ((GDestroyNotify) lp_plan_change_free);
  g_autoptr (GPtrArray) plans = session_diff (from, to);

  input_changes (all, from->inputs, to->inputs);
  for (guint i = 0; i < plans->len; i++)
    g_ptr_array_add (all, g_steal_pointer (&plans->pdata[i]));
  g_ptr_array_set_free_func (plans, NULL);
  return all;
}

gboolean
lp_session_plans_differ (const GPtrArray *changes)
{
  for (guint i = 0; i < changes->len; i++)
    if (!g_str_has_prefix (((const LpPlanChange *) g_ptr_array_index (changes, i))->path,
                           "inputs/"))
      return TRUE;
  return FALSE;
}

static GPtrArray *
session_diff (const LpPlanSummary *from, const LpPlanSummary *to)
{
  g_auto (LpPlanSummary) same_ids = { 0 };
  g_autoptr (GPtrArray) rest = NULL;
  GPtrArray *out;

  if (from->rs == to->rs)
    return lp_plan_summary_diff (from, to);
  translate (&same_ids, to->rs, from);
  rest = lp_plan_summary_diff (&same_ids, to);
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) lp_plan_change_free);
  add_change (out, "product", g_strdup (from->rs->id), g_strdup (to->rs->id));
  for (guint i = 0; i < rest->len; i++)
    g_ptr_array_add (out, g_steal_pointer (&rest->pdata[i]));
  g_ptr_array_set_free_func (rest, NULL);
  removed_roles (out, from, to);
  return out;
}

/* One line of the compact difference and where it goes. */
typedef struct {
  guint pass; /* 0 designs, 1 totals, 2 sites, 3 requirements, 4 cost; 5 left out */
  char *line;
} LpChangeLine;

static const char *
role_name (const LpRuleset *rs, const char *id)
{
  for (guint k = 0; k < rs->roles->len; k++) {
    const LpRole *r = g_ptr_array_index (rs->roles, k);
    if (strcmp (r->id, id) == 0)
      return r->name;
  }
  return id;
}

static const char *
check_label (const LpRuleset *rs, const char *id)
{
  for (guint k = 0; k < rs->checks->len; k++) {
    const LpCheck *c = g_ptr_array_index (rs->checks, k);
    if (strcmp (c->id, id) == 0)
      return c->label;
  }
  return id;
}

static const char *
or_none (const char *text)
{
  return text != NULL ? text : "none";
}

/* A site's roles as the summary lists them ("front-end 3, edge 2") with
 * each role by its name, as the other lines name them. */
static char *
roles_by_name (const LpRuleset *rs, const char *text)
{
  g_auto (GStrv) parts = g_strsplit (text, ", ", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; parts[i] != NULL; i++) {
    const char *space = strrchr (parts[i], ' ');
    g_autofree char *id = space != NULL ? g_strndup (parts[i], (gsize) (space - parts[i])) : NULL;
    g_string_append_printf (out, "%s%s%s", i ? ", " : "",
                            id != NULL ? role_name (rs, id) : parts[i], space != NULL ? space : "");
  }
  return g_string_free (out, FALSE);
}

/* "sites/NYC" or "groups/NYC + CHI": what one side has and the other not. */
static LpChangeLine
whole_line (const LpRuleset *rs, const LpPlanChange *c, const char *what, guint pass)
{
  const char *name = strchr (c->path, '/') + 1;
  gboolean site = strcmp (what, "site") == 0;
  g_autofree char *text = NULL;

  if (c->old_text == NULL) {
    text = site ? roles_by_name (rs, c->new_text) : g_strdup (c->new_text);
    return (LpChangeLine){ pass, g_strdup_printf ("%s: new %s, %s", name, what, text) };
  }
  text = site ? roles_by_name (rs, c->old_text) : g_strdup (c->old_text);
  return (LpChangeLine){ pass, g_strdup_printf ("%s: %s gone (was %s)", name, what, text) };
}

/* "NYC + CHI: RTO, site loss 1h35m -> 2h05m, misses by 5m"; when only the
 * verdict changed, "RTO, site loss 2h35m, now misses by 2h20m" or "2h35m,
 * now met". */
static char *
check_line (const char *name, const char *label, const LpPlanChange *c)
{
  gsize len = strlen (c->old_text);

  if (strncmp (c->new_text, c->old_text, len) == 0 && strncmp (c->new_text + len, ", ", 2) == 0)
    return g_strdup_printf ("%s: %s %s, now %s", name, label, c->old_text, c->new_text + len + 2);
  len = strlen (c->new_text);
  if (strncmp (c->old_text, c->new_text, len) == 0 && strncmp (c->old_text + len, ", ", 2) == 0)
    return g_strdup_printf ("%s: %s %s, now met", name, label, c->new_text);
  return g_strdup_printf ("%s: %s %s -> %s", name, label, c->old_text, c->new_text);
}

/* "sites/NAME/roles/ID", "groups/LABEL/design" or "groups/LABEL/checks/ID";
 * the parts are found from the end, so a name may hold a '/'. */
static LpChangeLine
part_line (const LpRuleset *rs, const LpPlanChange *c, gboolean site)
{
  const char *start = strchr (c->path, '/') + 1;
  const char *last = strrchr (c->path, '/');
  gboolean design = !site && strcmp (last, "/design") == 0;
  const char *tail = design ? last : g_strrstr (c->path, site ? "/roles/" : "/checks/");
  g_autofree char *name = g_strndup (start, (gsize) (tail - start));

  if (design)
    return (LpChangeLine){ 0, g_strdup_printf ("%s: design %s -> %s", name, or_none (c->old_text),
                                               or_none (c->new_text)) };
  if (site)
    return (LpChangeLine){ 2, g_strdup_printf ("%s: %s %s -> %s", name, role_name (rs, last + 1),
                                               c->old_text, c->new_text) };
  return (LpChangeLine){ 3, check_line (name, check_label (rs, last + 1), c) };
}

static LpChangeLine
change_line (const LpRuleset *rs, const LpPlanChange *c, gboolean detailed)
{
  static const struct {
    const char *path, *label;
    guint pass;
  } totals[] = {
    { "product", "Product", 0 },
    { "edition", "Edition", 0 },
    { "feasible", "Meets every requirement", 0 },
    { "servers", "Servers", 1 },
    { "appliances", "Appliances", 1 },
    { "reverse-proxies", "Reverse proxies", 1 },
    { "cost", "Cost", 4 },
  };
  gboolean sites = g_str_has_prefix (c->path, "sites/");

  if (g_str_has_prefix (c->path, "inputs/"))
    return (LpChangeLine){ 0, g_strdup_printf ("Input %s: %s -> %s", c->path + 7,
                                               c->old_text ? c->old_text : "default",
                                               c->new_text ? c->new_text : "default") };
  for (guint i = 0; i < G_N_ELEMENTS (totals); i++) {
    if (strcmp (c->path, totals[i].path) == 0)
      return (LpChangeLine){ totals[i].pass, g_strdup_printf ("%s: %s -> %s", totals[i].label,
                                                              c->old_text, c->new_text) };
  }
  if (strcmp (c->path, "design") == 0) /* per group when there is detail */
    return (LpChangeLine){ detailed ? 5 : 0,
                           g_strdup_printf ("Design: %s -> %s", c->old_text, c->new_text) };
  if (sites || g_str_has_prefix (c->path, "groups/")) {
    if (c->old_text == NULL || c->new_text == NULL)
      return whole_line (rs, c, sites ? "site" : "group", sites ? 2 : 0);
    return part_line (rs, c, sites);
  }
  return (LpChangeLine){ 5, NULL }; /* roles/ and missed/: the sites and groups say it */
}

char *
lp_session_changes_text (const LpRuleset *rs, const GPtrArray *changes)
{
  GString *out = g_string_new (NULL);
  g_autoptr (GArray) lines = g_array_new (FALSE, FALSE, sizeof (LpChangeLine));
  gboolean detailed = FALSE;

  for (guint i = 0; i < changes->len; i++)
    detailed |= g_str_has_prefix (((LpPlanChange *) g_ptr_array_index (changes, i))->path,
                                  "groups/");
  for (guint i = 0; i < changes->len; i++) {
    LpChangeLine l = change_line (rs, g_ptr_array_index (changes, i), detailed);
    g_array_append_val (lines, l);
  }
  for (guint pass = 0; pass < 5; pass++) {
    for (guint i = 0; i < lines->len; i++) {
      const LpChangeLine *l = &g_array_index (lines, LpChangeLine, i);
      if (l->pass == pass)
        g_string_append_printf (out, "%s\n", l->line);
    }
  }
  if (changes->len > 0 && !lp_session_plans_differ (changes))
    g_string_append (out, "The plans are the same.\n");
  for (guint i = 0; i < lines->len; i++)
    g_free (g_array_index (lines, LpChangeLine, i).line);
  return g_string_free (out, FALSE);
}

char *
lp_session_changes_json (const LpRuleset *rs, const GPtrArray *changes)
{
  (void) rs;
  LpJson j = { g_string_new (NULL), TRUE, 0, FALSE };

  lp_json_begin_object (&j, NULL);
  lp_json_bool (&j, "same", !lp_session_plans_differ (changes));
  lp_json_begin_array (&j, "changes");
  for (guint i = 0; i < changes->len; i++) {
    const LpPlanChange *c = g_ptr_array_index (changes, i);
    lp_json_begin_object (&j, NULL);
    lp_json_string (&j, "path", c->path);
    lp_json_string (&j, "old", c->old_text);
    lp_json_string (&j, "new", c->new_text);
    lp_json_end_object (&j);
  }
  lp_json_end_array (&j);
  lp_json_end_object (&j);
  g_string_append_c (j.out, '\n');
  return g_string_free (j.out, FALSE);
}

/* ---- a scenario written back ---- */

static void
append_fixed (GString *s, const char *key, const char *value)
{
  if (value != NULL)
    lp_key_line_append (s, key, value);
}

/* A [site] group after a blank line: written once while the site is
 * unchanged (lp_scenario_site_group()). */
static void
append_site (GString *s, const LpScenario *sc, const LpSite *site)
{
  gsize len;
  const char *group = lp_scenario_site_group (sc, site, &len);

  g_string_append_c (s, '\n');
  g_string_append_len (s, group, (gssize) len);
}

/* The [scenario] group of lp_session_scenario_text(). */
static void
append_head (GString *s, const LpScenario *sc, const char *product)
{
  g_string_append (s, "[scenario]\n");

  append_fixed (s, "name", sc->title);
  append_fixed (s, "product", product != NULL ? product : sc->product);
  append_fixed (s, "author", sc->author);
  append_fixed (s, "company", sc->company);
  append_fixed (s, "customer", sc->customer);
  append_fixed (s, "date", sc->date);
  append_fixed (s, "sip-domain", sc->sip_domain);
  append_fixed (s, "paper", sc->paper);
  for (guint i = 0; i < sc->settings->len; i++) {
    const LpSetting *set = g_ptr_array_index (sc->settings, i);
    if (set->is_input)
      lp_key_line_append (s, set->name, set->text);
  }
}

/* The [set] group of lp_session_scenario_text(), when it sets a constant. */
static void
append_tail (GString *s, const LpScenario *sc)
{
  gboolean constants = FALSE;

  for (guint i = 0; i < sc->settings->len; i++) {
    const LpSetting *set = g_ptr_array_index (sc->settings, i);
    if (set->is_input)
      continue;
    if (!constants)
      g_string_append (s, "\n[set]\n");
    constants = TRUE;
    lp_key_line_append (s, set->name, set->text);
  }
}

char *
lp_session_scenario_text (const LpScenario *sc, const char *product)
{
  GString *s = g_string_sized_new (4096);

  append_head (s, sc, product);
  for (guint i = 0; i < sc->sites->len; i++)
    append_site (s, sc, g_ptr_array_index (sc->sites, i));
  append_tail (s, sc);
  return g_string_free (s, FALSE);
}

/* ---- rule sets ---- */

const LpRuleset *
lp_session_ruleset (GPtrArray *rulesets, const char *rules_dir, const char *product, GError **error)
{
  LpRuleset *rs;

  for (guint i = 0; i < rulesets->len; i++) {
    rs = g_ptr_array_index (rulesets, i);
    if (strcmp (rs->id, product) == 0)
      return rs;
  }
  rs = lp_ruleset_load_product (rules_dir, product, error);
  if (rs != NULL)
    g_ptr_array_add (rulesets, rs);
  return rs;
}

static LpScenario *
load_keyfile (const LpKeyfile *kf, GPtrArray *rulesets, const char *rules_dir, const char *product,
              GError **error)
{
  const LpRuleset *rs;

  if (product == NULL)
    product = lp_scenario_product (kf);
  rs = lp_session_ruleset (rulesets, rules_dir, product != NULL ? product : LP_DEFAULT_PRODUCT,
                           error);
  return rs != NULL ? lp_scenario_load (kf, rs, error) : NULL;
}

LpScenario *
lp_session_load (const char *path, GPtrArray *rulesets, const char *rules_dir, GError **error)
{
  g_autoptr (LpKeyfile) kf = lp_keyfile_load (path, LP_ERROR_INPUT, error);

  return kf != NULL ? load_keyfile (kf, rulesets, rules_dir, NULL, error) : NULL;
}

LpScenario *
lp_session_rebuild (const LpScenario *sc, GPtrArray *rulesets, const char *rules_dir,
                    const char *product, GError **error)
{
  g_autofree char *text = lp_session_scenario_text (sc, product);
  g_autoptr (LpKeyfile)
    kf = lp_keyfile_parse ("(the session's scenario)", text, strlen (text), LP_ERROR_INPUT, error);
  LpScenario *out;

  if (kf == NULL)
    return NULL;
  out = load_keyfile (kf, rulesets, rules_dir, product, error);
  if (out != NULL) {
    g_free (out->filename);
    out->filename = g_strdup (sc->filename);
  }
  return out;
}

gboolean
lp_session_load_prices (LpScenario *sc, const char *path, GError **error)
{
  LpPrices *prices;

  if (path == NULL)
    return TRUE;
  prices = lp_prices_load (path, sc->rs, error);
  if (prices == NULL)
    return FALSE;
  lp_prices_unref (sc->prices);
  sc->prices = prices;
  return TRUE;
}

const LpChangesWriter lp_changes_writers[] = {
  { { "text", "text (default)" }, lp_session_changes_text },
  { { "json", "json" }, lp_session_changes_json },
  { { NULL } },
};
