/* lp-ruleset-groups.c: the loaders of a rule file's groups, one per kind. */
#include "lp-ruleset-load.h"

#include <math.h>
#include <string.h>

#include "lp-error.h"
#include "lp-units.h"
#include "lp-keyfile.h"

/* ---- the groups of a rule file ---- */

gboolean
lp_load_rule_set (const LpLoad *ld, GError **error)
{
  static const char *const keys[] = { "id",     "product", "version",   "templates", "extends",
                                      "remove", "support", "migration", "caveat",    NULL };
  static const char *const req[] = { "id", "product", "version", NULL };

  if (!lp_load_check_keys (ld, keys, req, error))
    return FALSE;
  if (lp_load_optional (ld, "extends") == NULL && lp_load_optional (ld, "templates") == NULL)
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, ld->group->line, ld->group->name,
                            "templates",
                            "missing key (a rule set without extends names its templates)");
  ld->rs->id = g_strdup (lp_load_optional (ld, "id"));
  ld->rs->product = g_strdup (lp_load_optional (ld, "product"));
  ld->rs->version = g_strdup (lp_load_optional (ld, "version"));
  ld->rs->extends = g_strdup (lp_load_optional (ld, "extends"));
  ld->rs->support = g_strdup (lp_load_optional (ld, "support"));
  ld->rs->migration = g_strdup (lp_load_optional (ld, "migration"));
  ld->rs->caveat = g_strdup (lp_load_optional (ld, "caveat"));
  return TRUE;
}

gboolean
lp_load_sources (const LpLoad *ld, GError **error)
{
  for (guint i = 0; i < ld->group->entries->len; i++) {
    const LpKfEntry *e = g_ptr_array_index (ld->group->entries, i);
    g_hash_table_insert (ld->rs->sources, g_strdup (e->key), g_strdup (e->value));
  }
  return TRUE;
}

/* A constant's "range = MIN..MAX", both ends written as its value is: every
 * constant but a yes/no one has one, so no --set can take it past what the
 * engine and the machine can carry. */
static gboolean
load_range (const LpLoad *ld, LpRuleVar *v, GError **error)
{
  const LpKfEntry *e = lp_kf_group_lookup (ld->group, "range");
  const char *dots = e != NULL ? strstr (e->value, "..") : NULL;
  g_autofree char *low = dots != NULL ? g_strstrip (g_strndup (e->value, (gsize) (dots - e->value)))
                                      : NULL;
  g_autofree char *high = dots != NULL ? g_strstrip (g_strdup (dots + 2)) : NULL;

  if (v->is_input || v->type == LP_VALUE_BOOL)
    return e == NULL ||
           lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, e->line, ld->group->name, "range",
                            "only a constant that is not yes/no takes a range");
  if (e == NULL)
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, ld->group->line, ld->group->name,
                            "range", "missing key: every constant that is not yes/no has one");
  if (v->type == LP_VALUE_BOOL || dots == NULL ||
      !lp_ruleset_parse_value (v->type, low, &v->min, NULL) ||
      !lp_ruleset_parse_value (v->type, high, &v->max, NULL) || v->min > v->max)
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, e->line, ld->group->name, "range",
                            "expected MIN..MAX with MIN <= MAX, both written as the value is "
                            "(such as 1..12 or 0m..7d), got '%s'",
                            e->value);
  v->has_range = TRUE;
  v->min_text = g_steal_pointer (&low);
  v->max_text = g_steal_pointer (&high);
  return TRUE;
}

/* The variable of an [input] or [constant] group: its value is parsed by
 * the caller, which knows how it is written. */
static LpRuleVar *
add_var (const LpLoad *ld, gboolean is_input, GError **error)
{
  const LpKfEntry *value = lp_kf_group_lookup (ld->group, "value");
  LpRuleVar *v;

  if (!lp_load_check_source (ld, lp_load_optional (ld, "source"), error))
    return NULL;
  if (lp_symtab_lookup (ld->rs->symtab, ld->name, NULL)) {
    lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, ld->group->line, ld->group->name, NULL,
                     "the name '%s' is taken (by the engine or an earlier group)", ld->name);
    return NULL;
  }
  v = g_new0 (LpRuleVar, 1);
  v->name = g_strdup (ld->name);
  v->is_input = is_input;
  v->type = lp_value_type_of (value->value);
  v->text = g_strdup (value->value);
  v->unit = g_strdup (lp_load_optional (ld, "unit"));
  v->source = g_strdup (lp_load_optional (ld, "source"));
  v->note = g_strdup (lp_load_optional (ld, "note"));
  v->where = lp_load_where_line (ld, ld->group->line);
  v->slot = lp_symtab_add (ld->rs->symtab, ld->name);
  g_ptr_array_add (ld->rs->vars, v);
  return v;
}

gboolean
lp_load_constant (const LpLoad *ld, GError **error)
{
  static const char *const keys[] = { "value", "range", "unit", "source", "note", NULL };
  static const char *const req[] = { "value", "source", NULL };
  LpRuleVar *v;

  if (!lp_load_check_keys (ld, keys, req, error) || (v = add_var (ld, FALSE, error)) == NULL ||
      !load_range (ld, v, error))
    return FALSE;
  if (!lp_ruleset_parse_var (v, v->text, &v->value, error))
    return lp_kf_prefix_error (error, ld->kf, ld->group, lp_kf_group_lookup (ld->group, "value"));
  return TRUE;
}

/* An input group's error at its key. */
static gboolean
input_fail (const LpLoad *ld, const char *key, const char *what, const char *text, GError **error)
{
  const LpKfEntry *e = lp_kf_group_lookup (ld->group, key);

  return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, e != NULL ? e->line : ld->group->line,
                          ld->group->name, key, "%s, got '%s'", what, text);
}

static gboolean
yes_no_key (const LpLoad *ld, const char *key, gboolean fallback, gboolean *out, GError **error)
{
  const char *text = lp_load_optional (ld, key);

  *out = fallback;
  return text == NULL || lp_parse_bool (text, out, NULL) ||
         input_fail (ld, key, "expected true or false", text, error);
}

static gboolean
input_type (const LpLoad *ld, LpInput *in, GError **error)
{
  static const struct {
    const char *word;
    LpValueType type;
  } types[] = {
    { "duration", LP_VALUE_DURATION }, { "percent", LP_VALUE_PERCENT },
    { "number", LP_VALUE_NUMBER },     { "yes/no", LP_VALUE_BOOL },
    { "choice", LP_VALUE_CHOICE },
  };
  const char *text = lp_load_optional (ld, "type");
  const char *choices = lp_load_optional (ld, "choices");

  in->type = choices != NULL ? LP_VALUE_CHOICE : lp_value_type_of (lp_load_optional (ld, "value"));
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (types); i++) {
    if (strcmp (text, types[i].word) == 0) {
      in->type = types[i].type;
      text = NULL;
    }
  }
  if (text != NULL)
    return input_fail (ld, "type", "expected duration, percent, number, yes/no or choice", text,
                       error);
  if ((in->type == LP_VALUE_CHOICE) != (choices != NULL))
    return input_fail (ld, "choices", "a choice input lists its choices, and only a choice input",
                       choices != NULL ? choices : "", error);
  if (choices != NULL)
    in->choices = g_strsplit_set (choices, ", ", -1);
  return TRUE;
}

/* scope = scenario (default), site, or scenario, site */
static gboolean
input_scope (const LpLoad *ld, LpInput *in, GError **error)
{
  const char *text = lp_load_optional (ld, "scope");
  g_auto (GStrv) words = text != NULL ? g_strsplit_set (text, ", ", -1) : NULL;

  in->scope = text == NULL ? LP_SCOPE_SCENARIO : 0;
  for (guint i = 0; words != NULL && words[i] != NULL; i++) {
    if (strcmp (words[i], "scenario") == 0)
      in->scope |= LP_SCOPE_SCENARIO;
    else if (strcmp (words[i], "site") == 0)
      in->scope |= LP_SCOPE_SITE;
    else if (words[i][0] != '\0')
      in->scope = 0;
  }
  return in->scope != 0 ||
         input_fail (ld, "scope", "expected scenario, site, or scenario, site", text, error);
}

/* A percentage input's "range = MIN..MAX", with "open = true" when the
 * bounds themselves are excluded. */
static gboolean
input_range (const LpLoad *ld, LpInput *in, GError **error)
{
  const char *text = lp_load_optional (ld, "range");
  const char *dots = text != NULL ? strstr (text, "..") : NULL;

  if (!yes_no_key (ld, "open", FALSE, &in->open, error))
    return FALSE;
  if (text == NULL)
    return TRUE;
  in->min_text = g_strstrip (g_strndup (text, dots != NULL ? (gsize) (dots - text) : 0));
  in->max_text = g_strstrip (g_strdup (dots != NULL ? dots + 2 : ""));
  if ((in->type != LP_VALUE_PERCENT && in->type != LP_VALUE_NUMBER) || dots == NULL ||
      !lp_parse_number (in->min_text, &in->min, NULL) ||
      !lp_parse_number (in->max_text, &in->max, NULL) || in->min > in->max)
    return input_fail (ld, "range",
                       "expected MIN..MAX (percentages and numbers only), such as 0..100", text,
                       error);
  in->has_range = TRUE;
  return TRUE;
}

/* group = min or max: a site-scope input whose value a pairing group takes
 * from the strictest of its sites; same: both sites must have one value;
 * the default, each site its own. */
static gboolean
input_group (const LpLoad *ld, LpInput *in, GError **error)
{
  const char *text = lp_load_optional (ld, "group");

  if (text == NULL || strcmp (text, "own") == 0)
    in->group = LP_INPUT_GROUP_OWN;
  else if (strcmp (text, "min") == 0)
    in->group = LP_INPUT_GROUP_MIN;
  else if (strcmp (text, "max") == 0)
    in->group = LP_INPUT_GROUP_MAX;
  else if (strcmp (text, "same") == 0)
    in->group = LP_INPUT_GROUP_SAME;
  else
    return input_fail (ld, "group", "expected own, min, max or same", text, error);
  if (text != NULL && !(in->scope & LP_SCOPE_SITE))
    return input_fail (ld, "group", "only an input of site scope has a group rule", text, error);
  return TRUE;
}

/* A choice input KEY with the words A, B, ... gives formulas the names
 * KEY-A, KEY-B, ...: 1 where the input has that word, else 0 (a choice's
 * value is the index of its word). They are [let]s of the rule set, so they
 * are evaluated site by site and fold as any other. The edition input's
 * words name the rule set's editions and give none. */
static gboolean
choice_lets (const LpLoad *ld, const LpInput *in, GError **error)
{
  g_autofree char *where = lp_load_where_line (ld, ld->group->line);
  g_auto (GStrv)
    written = g_strsplit (lp_load_optional (ld, "choices") ? lp_load_optional (ld, "choices") : "",
                          ",", -1);

  for (guint i = 0; written[i] != NULL; i++)
    if (strcmp (g_strstrip (written[i]), "editions") == 0)
      return TRUE;
  /* "a, b" splits into "a", "", "b": the value is the index among the words
   * (expand_choices() drops the empty ones later) */
  for (guint i = 0, word = 0; in->choices != NULL && in->choices[i] != NULL; i++) {
    g_autofree char *name = NULL, *text = NULL;
    LpFormula *f;
    guint slot;

    if (in->choices[i][0] == '\0')
      continue;
    name = g_strdup_printf ("%s-%s", in->key, in->choices[i]);
    /* a list's word is its bit: floor(v / 2^w) - 2 floor(v / 2^(w+1)) */
    text = in->list ? g_strdup_printf ("floor(%s / %u) - 2 * floor(%s / %u)", in->key, 1u << word,
                                       in->key, 2u << word)
                    : g_strdup_printf ("%s == %u", in->key, word);
    word++;

    if (lp_symtab_lookup (ld->rs->symtab, name, &slot))
      return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, ld->group->line, ld->group->name,
                              "choices", "the name %s (1 where %s is %s) is taken", name, in->key,
                              in->choices[i]);
    f = g_new0 (LpFormula, 1);
    f->name = g_strdup (name);
    f->where = g_strdup (where);
    f->expr = lp_expr_compile (text, ld->rs->symtab, error);
    g_ptr_array_add (ld->rs->lets, f);
    if (f->expr == NULL)
      return FALSE;
    f->slot = lp_symtab_add (ld->rs->symtab, name);
  }
  return TRUE;
}

gboolean
lp_load_input (const LpLoad *ld, GError **error)
{
  static const char *const keys[] = { "value",   "type",           "choices",         "none",
                                      "range",   "open",           "scope",           "group",
                                      "help",    "alias",          "sweep",           "unit",
                                      "source",  "note",           "title",           "list",
                                      "partner", "ignored-unless", "ignored-because", NULL };
  static const char *const req[] = { "value", "source", "help", NULL };
  LpRuleVar *v;
  LpInput *in;

  if (!lp_load_check_keys (ld, keys, req, error) || (v = add_var (ld, TRUE, error)) == NULL)
    return FALSE;
  in = g_new0 (LpInput, 1);
  in->key = g_strdup (ld->name);
  in->var = v;
  in->index = ld->rs->inputs->len;
  in->help = g_strdup (lp_load_optional (ld, "help"));
  in->title = g_strdup (lp_load_optional (ld, "title") ? lp_load_optional (ld, "title") : ld->name);
  in->alias = g_strdup (lp_load_optional (ld, "alias"));
  g_ptr_array_add (ld->rs->inputs, in);
  if (!input_type (ld, in, error) || !input_scope (ld, in, error) || !input_range (ld, in, error) ||
      !yes_no_key (ld, "none", FALSE, &in->none, error) ||
      !yes_no_key (ld, "list", FALSE, &in->list, error) ||
      !yes_no_key (ld, "partner", FALSE, &in->partner, error) ||
      !yes_no_key (ld, "sweep", TRUE, &in->sweepable, error))
    return FALSE;
  in->placeholder = lp_input_new_placeholder (in);
  in->site_index = -1;
  if (in->partner && !(in->scope & LP_SCOPE_SITE))
    return input_fail (ld, "partner", "only an input of site scope has a partner's value", "true",
                       error);
  if (in->partner) {
    g_autofree char *name = g_strconcat ("partner-", in->key, NULL);
    in->partner_slot = lp_symtab_add (ld->rs->symtab, name);
  }
  if (!input_group (ld, in, error))
    return FALSE;
  if ((in->scope & LP_SCOPE_SITE) && ld->rs->site_inputs->len == LP_MAX_SITE_INPUTS)
    return input_fail (ld, "scope",
                       "too many inputs of site scope (at most " G_STRINGIFY (
                         LP_MAX_SITE_INPUTS) ")",
                       lp_load_optional (ld, "scope"), error);
  if (in->scope & LP_SCOPE_SITE) {
    in->site_index = (gint) ld->rs->site_inputs->len;
    g_ptr_array_add (ld->rs->site_inputs, in);
  }
  return in->type != LP_VALUE_CHOICE || choice_lets (ld, in, error);
}

/* ignored-unless (where a value other than the default takes effect, a
 * formula over the site) and ignored-because (why it does not elsewhere):
 * both or neither. Pass 2, when every name it may read is known. */
gboolean
lp_load_input_ignored (const LpLoad *ld, GError **error)
{
  const LpKfEntry *because = lp_kf_group_lookup (ld->group, "ignored-because");
  const LpKfEntry *unless = lp_kf_group_lookup (ld->group, "ignored-unless");
  LpInput *in = NULL;

  if (because != NULL && unless == NULL)
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, because->line, ld->group->name,
                            because->key, "an ignored-because without an ignored-unless");
  if (unless == NULL)
    return TRUE;
  if (lp_load_required (ld, "ignored-because", error) == NULL)
    return FALSE;
  for (guint i = 0; i < ld->rs->inputs->len && in == NULL; i++) {
    LpInput *x = g_ptr_array_index (ld->rs->inputs, i);
    in = strcmp (x->key, ld->name) == 0 ? x : NULL;
  }
  if (in == NULL)
    return TRUE;
  if (in->index >= LP_IGNORED_INPUTS_MAX)
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, unless->line, ld->group->name,
                            unless->key, "only the first %d inputs may have one",
                            LP_IGNORED_INPUTS_MAX);
  g_free (in->ignored_because);
  in->ignored_because = g_strdup (because->value);
  lp_expr_free (in->ignored_unless);
  return lp_load_compile (ld, "ignored-unless", FALSE, &in->ignored_unless, error);
}

/* category = server (the default), appliance or reverse-proxy: the total a
 * role's count adds to. */
static gboolean
role_category (const LpLoad *ld, LpRole *r, GError **error)
{
  const LpKfEntry *e = lp_kf_group_lookup (ld->group, "category");

  if (e == NULL || strcmp (e->value, "server") == 0)
    return TRUE;
  if (strcmp (e->value, "appliance") == 0)
    r->appliance = TRUE;
  else if (strcmp (e->value, "reverse-proxy") == 0)
    r->reverse_proxy = TRUE;
  else
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, e->line, ld->group->name, e->key,
                            "expected server, appliance or reverse-proxy, got '%s'", e->value);
  return TRUE;
}

/* capacity (what one server carries, a formula over the sized site) and
 * capacity-unit (what it counts): both or neither; capacity-servers (how
 * many of its servers carry) and capacity-failover (what the survivor of a
 * pair of one-server pools carries) only with them. Pass 2, when the [let]s
 * they may read are known. */
gboolean
lp_load_role_capacity (const LpLoad *ld, GError **error)
{
  static const char *const with_capacity[] = { "capacity-unit", "capacity-servers",
                                               "capacity-failover", NULL };
  guint index = 0;
  LpRole *r;

  const LpKfEntry *unit = lp_kf_group_lookup (ld->group, "capacity-unit");
  gboolean has_capacity = lp_kf_group_lookup (ld->group, "capacity") != NULL;

  for (guint k = 0; !has_capacity && with_capacity[k] != NULL; k++) {
    const LpKfEntry *e = lp_kf_group_lookup (ld->group, with_capacity[k]);
    if (e != NULL)
      return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, e->line, ld->group->name, e->key,
                              "a %s without a capacity", e->key);
  }
  if (has_capacity && lp_load_required (ld, "capacity-unit", error) == NULL)
    return FALSE;
  if (!lp_load_find_role (ld->rs, ld->name, &index))
    return TRUE;
  r = g_ptr_array_index (ld->rs->roles, index);
  r->capacity_unit = g_strdup (unit != NULL ? unit->value : NULL);
  return lp_load_compile (ld, "capacity", FALSE, &r->capacity, error) &&
         lp_load_compile (ld, "capacity-servers", FALSE, &r->capacity_servers, error) &&
         lp_load_compile (ld, "capacity-failover", FALSE, &r->capacity_failover, error);
}

gboolean
lp_load_role (const LpLoad *ld, GError **error)
{
  static const char *const keys[] = {
    "short",    "name", "hardware", "source",        "appliance",        "category",
    "per-pool", "pool", "capacity", "capacity-unit", "capacity-servers", "capacity-failover",
    NULL
  };
  static const char *const req[] = { "short", "name", "hardware", "source", NULL };
  const LpKfEntry *appliance = lp_kf_group_lookup (ld->group, "appliance");
  const LpKfEntry *per_pool = lp_kf_group_lookup (ld->group, "per-pool");
  LpRole *r;

  if (!lp_load_check_keys (ld, keys, req, error) ||
      !lp_load_check_source (ld, lp_load_optional (ld, "source"), error))
    return FALSE;
  r = g_new0 (LpRole, 1);
  r->id = g_strdup (ld->name);
  /* n-ROLE: the count at the site being sized, for [failure] rows */
  {
    g_autofree char *slot = g_strconcat ("n-", ld->name, NULL);
    guint index = ld->rs->roles->len;
    ld->rs->slots.role_counts = g_renew (guint, ld->rs->slots.role_counts, index + 1);
    ld->rs->slots.role_counts[index] = lp_symtab_add (ld->rs->symtab, slot);
  }
  r->short_name = g_strdup (lp_load_optional (ld, "short"));
  r->name = g_strdup (lp_load_optional (ld, "name"));
  r->hardware = g_strdup (lp_load_optional (ld, "hardware"));
  r->source = g_strdup (lp_load_optional (ld, "source"));
  r->where = lp_load_where_line (ld, ld->group->line);
  r->pool = g_strdup (lp_load_optional (ld, "pool"));
  g_ptr_array_add (ld->rs->roles, r);
  if (appliance != NULL && !lp_parse_bool (appliance->value, &r->appliance, error))
    return lp_kf_prefix_error (error, ld->kf, ld->group, appliance);
  if (per_pool != NULL && !lp_parse_bool (per_pool->value, &r->per_pool, error))
    return lp_kf_prefix_error (error, ld->kf, ld->group, per_pool);
  return role_category (ld, r, error);
}

gboolean
lp_load_edition (const LpLoad *ld, GError **error)
{
  g_autoptr (GStrvBuilder) caveats = g_strv_builder_new ();
  LpEdition *e;

  if (lp_load_required (ld, "name", error) == NULL ||
      lp_load_required (ld, "source", error) == NULL ||
      !lp_load_check_source (ld, lp_load_optional (ld, "source"), error))
    return FALSE;
  for (guint i = 0; i < ld->group->entries->len; i++) {
    const LpKfEntry *k = g_ptr_array_index (ld->group->entries, i);
    if (g_str_has_prefix (k->key, "caveat-"))
      g_strv_builder_add (caveats, k->value);
    else if (strcmp (k->key, "name") != 0 && strcmp (k->key, "source") != 0)
      return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, k->line, ld->group->name, k->key,
                              "unknown key: expected name, source or caveat-N");
  }
  /* the product's own caveat ([rule-set] caveat, loaded first) comes last, so an
   * edition's caveats are inherited whole and only the product's is its own */
  if (ld->rs->caveat != NULL)
    g_strv_builder_add (caveats, ld->rs->caveat);
  e = g_new0 (LpEdition, 1);
  e->id = g_strdup (ld->name);
  e->name = g_strdup (lp_load_optional (ld, "name"));
  e->source = g_strdup (lp_load_optional (ld, "source"));
  e->caveats = g_strv_builder_end (caveats);
  e->where = lp_load_where_line (ld, ld->group->line);
  g_ptr_array_add (ld->rs->editions, e);
  return TRUE;
}

/* [licence ID]: name, role and source. Loaded once every role is (pass 2). */
gboolean
lp_load_licence (const LpLoad *ld, GError **error)
{
  static const char *const keys[] = { "name", "role", "source", NULL };
  const LpKfEntry *role;
  LpLicence *l;
  guint index;

  if (!lp_load_check_keys (ld, keys, keys, error) ||
      !lp_load_check_source (ld, lp_load_optional (ld, "source"), error))
    return FALSE;
  role = lp_kf_group_lookup (ld->group, "role");
  if (!lp_load_find_role (ld->rs, role->value, &index))
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, role->line, ld->group->name, "role",
                            "no [role %s] in the rule file", role->value);
  l = g_new0 (LpLicence, 1);
  l->id = g_strdup (ld->name);
  l->name = g_strdup (lp_load_optional (ld, "name"));
  l->role = index;
  l->source = g_strdup (lp_load_optional (ld, "source"));
  l->where = lp_load_where_line (ld, ld->group->line);
  g_ptr_array_add (ld->rs->licences, l);
  return TRUE;
}

gboolean
lp_load_rule_lets (const LpLoad *ld, GError **error)
{
  return lp_load_lets (ld, ld->rs->lets, lp_symtab_size (ld->rs->symtab), error);
}

gboolean
lp_load_check (const LpLoad *ld, GError **error)
{
  static const char *const keys[] = { "label",    "unit",      "compare", "applies", "target",
                                      "achieved", "shortfall", "title",   NULL };
  static const char *const req[] = { "label", "unit", "target", "achieved", NULL };
  static const char *const units[] = { "duration", "percent", "yes-no", NULL };
  static const char *const compares[] = { "at-most", "at-least", NULL };
  LpCheck *c = g_new0 (LpCheck, 1);
  guint unit = 0, compare = 0;

  c->id = g_strdup (ld->name);
  g_ptr_array_add (ld->rs->checks, c);
  if (!lp_load_check_keys (ld, keys, req, error) ||
      !lp_load_enum (ld, "unit", units, &unit, error) ||
      !lp_load_enum (ld, "compare", compares, &compare, error))
    return FALSE;
  c->label = g_strdup (lp_load_optional (ld, "label"));
  c->title = g_strdup (lp_load_optional (ld, "title") ? lp_load_optional (ld, "title") : c->label);
  c->unit = (LpCheckUnit) unit;
  c->at_least = compare == 1;
  return lp_load_compile (ld, "applies", FALSE, &c->applies, error) &&
         lp_load_compile (ld, "target", TRUE, &c->target, error) &&
         lp_load_compile (ld, "achieved", TRUE, &c->achieved, error) &&
         lp_load_compile (ld, "shortfall", FALSE, &c->shortfall, error);
}

/* The parts of a step key: step-N, step-N-minutes, step-N-when, step-N-after. */
typedef enum {
  LP_STEP_TEXT,
  LP_STEP_MINUTES,
  LP_STEP_WHEN,
  LP_STEP_AFTER,
  LP_STEP_NEEDS,
  LP_STEP_RESTORES
} LpStepPart;

/* Parses @key as a step key: its number and part. */
static gboolean
step_key (const char *key, guint64 *n, LpStepPart *part)
{
  static const char *const parts[] = { "", "-minutes", "-when", "-after", "-needs", "-restores" };
  const char *p = key + strlen ("step-");
  char *end = NULL;

  if (!g_str_has_prefix (key, "step-") || !g_ascii_isdigit (*p))
    return FALSE;
  *n = g_ascii_strtoull (p, &end, 10);
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++) {
    if (*n >= 1 && *n <= LP_FAILURE_MAX_STEPS && strcmp (end, parts[i]) == 0) {
      *part = (LpStepPart) i;
      return TRUE;
    }
  }
  return FALSE;
}

static gboolean
check_failure_keys (const LpLoad *ld, GError **error)
{
  static const char *const keys[] = { "label",   "scope",     "templates", "edition",
                                      "applies", "automatic", "response",  "rpo",
                                      "effect",  "roles",     "source",    NULL };
  static const char *const req[] = {
    "label", "scope", "automatic", "rpo", "effect", "source", NULL
  };

  for (guint i = 0; i < ld->group->entries->len; i++) {
    const LpKfEntry *e = g_ptr_array_index (ld->group->entries, i);
    guint64 n;
    LpStepPart part;
    if (strcmp (e->key, "rto") == 0)
      return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, e->line, ld->group->name, e->key,
                              "a row's recovery time is its response time (manual rows) plus its "
                              "steps: give response and step-N-minutes instead");
    if (!step_key (e->key, &n, &part) && !g_strv_contains (keys, e->key)) {
      g_autofree char *hint = lp_error_did_you_mean (e->key, keys);
      return lp_kf_set_error (
        error, LP_ERROR_RULES, ld->kf, e->line, ld->group->name, e->key,
        "unknown key%s: expected one of label, scope, templates, edition, "
        "applies, automatic, response, rpo, effect, roles, step-N (N from 1 to %u), "
        "step-N-minutes, step-N-when, step-N-after, step-N-needs, step-N-restores, "
        "source",
        hint, LP_FAILURE_MAX_STEPS);
    }
  }
  return lp_load_check_keys (ld, NULL, req, error);
}

/* The step numbered @n of @f (made when its step-N key came), or NULL. */
static LpFailureStep *
find_step (LpFailure *f, guint64 n, const guint *numbers)
{
  for (guint i = 0; i < f->n_steps; i++) {
    if (numbers[i] == n)
      return &f->steps[i];
  }
  return NULL;
}

static gboolean
load_step_part (const LpLoad *ld, const LpKfEntry *e, LpFailureStep *step, LpStepPart part,
                GError **error)
{
  LpExpr **expr = part == LP_STEP_MINUTES ? &step->minutes : &step->when;

  if (part == LP_STEP_AFTER)
    return lp_parse_bool (e->value, &step->after, error) ||
           lp_kf_prefix_error (error, ld->kf, ld->group, e);
  if (part == LP_STEP_NEEDS || part == LP_STEP_RESTORES) {
    char **text = part == LP_STEP_NEEDS ? &step->needs_text : &step->restores_text;
    if (*text != NULL)
      return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, e->line, ld->group->name, e->key,
                              "given twice");
    *text = g_strdup (e->value);
    *(part == LP_STEP_NEEDS ? &step->needs_line : &step->restores_line) = e->line;
    return TRUE;
  }
  if (*expr != NULL)
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, e->line, ld->group->name, e->key,
                            "given twice");
  *expr = lp_expr_compile (e->value, ld->rs->symtab, error);
  return *expr != NULL || lp_kf_prefix_error (error, ld->kf, ld->group, e);
}

/* step-N keys, in file order, then their -minutes, -when and -after keys;
 * every step says how long it takes. */
static gboolean
load_steps (const LpLoad *ld, LpFailure *f, GError **error)
{
  guint numbers[LP_FAILURE_MAX_STEPS], lines[LP_FAILURE_MAX_STEPS];

  f->steps = g_new0 (LpFailureStep, LP_FAILURE_MAX_STEPS);
  for (guint pass = 0; pass < 2; pass++) {
    for (guint i = 0; i < ld->group->entries->len; i++) {
      const LpKfEntry *e = g_ptr_array_index (ld->group->entries, i);
      guint64 n = 0;
      LpStepPart part = LP_STEP_TEXT;
      LpFailureStep *step;
      if (!step_key (e->key, &n, &part) || (pass == 0) != (part == LP_STEP_TEXT))
        continue;
      step = find_step (f, n, numbers);
      if (pass == 0 && step == NULL) {
        numbers[f->n_steps] = (guint) n;
        lines[f->n_steps] = e->line;
        f->steps[f->n_steps].number = (guint) n;
        f->steps[f->n_steps++].text = g_strdup (e->value);
      } else if (step == NULL)
        return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, e->line, ld->group->name, e->key,
                                "no step-%" G_GUINT64_FORMAT " in the group", n);
      else if (!load_step_part (ld, e, step, part, error))
        return FALSE;
    }
  }
  for (guint i = 0; i < f->n_steps; i++) {
    if (f->steps[i].minutes == NULL) {
      g_autofree char *key = g_strdup_printf ("step-%u-minutes", numbers[i]);
      return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, lines[i], ld->group->name, key,
                              "missing: every step says how long it takes");
    }
  }
  return TRUE;
}

/* A row that may be manual needs its response time; one that is always
 * automatic has none. */
static gboolean
check_response (const LpLoad *ld, GError **error)
{
  const LpKfEntry *automatic = lp_kf_group_lookup (ld->group, "automatic");
  const LpKfEntry *response = lp_kf_group_lookup (ld->group, "response");
  gboolean always = strcmp (automatic->value, "true") == 0;

  if (always && response != NULL)
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, response->line, ld->group->name,
                            "response", "a row that is always automatic has no response time");
  if (!always && response == NULL)
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, automatic->line, ld->group->name,
                            "response",
                            "missing: a row that may be manual gives its response time");
  return TRUE;
}

/* The [failure] scope keywords, in LpFailureScope order. */
static const char *const failure_scopes[] = { "component", "multiple", "site", "planned", NULL };

const char *
lp_failure_scope_name (LpFailureScope scope)
{
  return failure_scopes[scope];
}

/* "a, b" as a NULL-terminated list of stripped words; NULL or "" gives an
 * empty list. (transfer full) */
GStrv
lp_load_split_list (const char *text)
{
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();
  g_auto (GStrv) parts = g_strsplit (text != NULL ? text : "", ",", -1);

  for (guint i = 0; parts[i] != NULL; i++) {
    if (*g_strstrip (parts[i]) != '\0')
      g_strv_builder_add (b, parts[i]);
  }
  return g_strv_builder_end (b);
}

/* TRUE when @ld's roles key names roles only, and the rule set removed each:
 * the row is about servers no design builds, and is left out. */
static gboolean
failure_of_removed_roles (const LpLoad *ld)
{
  g_auto (GStrv) ids = lp_load_split_list (lp_load_optional (ld, "roles"));
  guint k = 0;

  for (; ids[k] != NULL; k++) {
    g_autofree char *group = g_strconcat ("role ", ids[k], NULL);
    if (!g_hash_table_contains (ld->rs->removed, group))
      return FALSE;
  }
  return k > 0;
}

gboolean
lp_load_failure (const LpLoad *ld, GError **error)
{
  LpFailure *f;
  guint scope = 0;

  if (failure_of_removed_roles (ld))
    return TRUE;
  f = g_new0 (LpFailure, 1);

  f->id = g_strdup (ld->name);
  {
    g_autofree char *name = lp_load_display_name (ld->kf->filename);
    f->where = g_strdup_printf ("%s:%u", name, ld->group->line);
  }
  g_ptr_array_add (ld->rs->failures, f);
  if (!check_failure_keys (ld, error) ||
      !lp_load_enum (ld, "scope", failure_scopes, &scope, error) ||
      !lp_load_check_source (ld, lp_load_optional (ld, "source"), error))
    return FALSE;
  f->scope = (LpFailureScope) scope;
  f->label = g_strdup (lp_load_optional (ld, "label"));
  f->templates = g_strdup (lp_load_optional (ld, "templates"));
  f->templates_line = f->templates ? lp_kf_group_lookup (ld->group, "templates")->line : 0;
  f->templates_file = g_strdup (ld->kf->filename);
  f->edition = g_strdup (lp_load_optional (ld, "edition"));
  f->effect = g_strdup (lp_load_optional (ld, "effect"));
  f->roles = lp_load_split_list (lp_load_optional (ld, "roles"));
  f->roles_line = f->roles[0] != NULL ? lp_kf_group_lookup (ld->group, "roles")->line : 0;
  f->source = g_strdup (lp_load_optional (ld, "source"));
  return load_steps (ld, f, error) && check_response (ld, error) &&
         lp_load_compile (ld, "applies", FALSE, &f->applies, error) &&
         lp_load_compile (ld, "automatic", TRUE, &f->automatic, error) &&
         lp_load_compile (ld, "response", FALSE, &f->response, error) &&
         lp_load_compile (ld, "rpo", TRUE, &f->rpo, error);
}

/* [service ID]: a class of service a site-loss runbook times; in-scope is 1
 * where the scenario's dr-scope holds it to dr-rto. */
gboolean
lp_load_service (const LpLoad *ld, GError **error)
{
  static const char *const keys[] = { "label", "in-scope", "source", NULL };
  LpService *sv = g_new0 (LpService, 1);

  sv->id = g_strdup (ld->name);
  g_ptr_array_add (ld->rs->services, sv);
  if (ld->rs->services->len > LP_MAX_SERVICES)
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, ld->group->line, ld->group->name, NULL,
                            "more than %u [service] groups", LP_MAX_SERVICES);
  if (!lp_load_check_keys (ld, keys, keys, error) ||
      !lp_load_check_source (ld, lp_load_optional (ld, "source"), error))
    return FALSE;
  sv->label = g_strdup (lp_load_optional (ld, "label"));
  sv->source = g_strdup (lp_load_optional (ld, "source"));
  return lp_load_compile (ld, "in-scope", TRUE, &sv->in_scope, error);
}

/* [data ID]: a class of data; checked = true when the rpo checks count it,
 * else its own loss figure. */
gboolean
lp_load_data_class (const LpLoad *ld, GError **error)
{
  static const char *const keys[] = {
    "label", "checked", "applies", "loss", "note", "source", NULL
  };
  static const char *const req[] = { "label", "note", "source", NULL };
  LpDataClass *d = g_new0 (LpDataClass, 1);
  const LpKfEntry *checked = lp_kf_group_lookup (ld->group, "checked");

  d->id = g_strdup (ld->name);
  g_ptr_array_add (ld->rs->data_classes, d);
  if (!lp_load_check_keys (ld, keys, req, error) ||
      !lp_load_check_source (ld, lp_load_optional (ld, "source"), error))
    return FALSE;
  if (checked != NULL && !lp_parse_bool (checked->value, &d->checked, error))
    return lp_kf_prefix_error (error, ld->kf, ld->group, checked);
  d->label = g_strdup (lp_load_optional (ld, "label"));
  d->note = g_strdup (lp_load_optional (ld, "note"));
  d->source = g_strdup (lp_load_optional (ld, "source"));
  if (d->checked && lp_kf_group_lookup (ld->group, "loss") != NULL)
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf,
                            lp_kf_group_lookup (ld->group, "loss")->line, ld->group->name, "loss",
                            "a class the rpo checks count has no loss of its own");
  return lp_load_compile (ld, "applies", FALSE, &d->applies, error) &&
         lp_load_compile (ld, "loss", !d->checked, &d->loss, error);
}

/* [storage ID]: a data store and its storage a year at each site where it
 * applies (gb-per-year, a formula over the sized site). */
gboolean
lp_load_storage (const LpLoad *ld, GError **error)
{
  static const char *const keys[] = { "label", "applies", "gb-per-year", "note", "source", NULL };
  static const char *const req[] = { "label", "gb-per-year", "source", NULL };
  LpStorage *st;

  if (ld->rs->storage->len >= LP_STORAGE_MAX)
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, ld->group->line, ld->group->name, NULL,
                            "more than %d [storage] groups", LP_STORAGE_MAX);
  st = g_new0 (LpStorage, 1);
  st->id = g_strdup (ld->name);
  {
    g_autofree char *name = lp_load_display_name (ld->kf->filename);
    st->where = g_strdup_printf ("%s:%u", name, ld->group->line);
  }
  g_ptr_array_add (ld->rs->storage, st);
  if (!lp_load_check_keys (ld, keys, req, error) ||
      !lp_load_check_source (ld, lp_load_optional (ld, "source"), error))
    return FALSE;
  st->label = g_strdup (lp_load_optional (ld, "label"));
  st->note = g_strdup (lp_load_optional (ld, "note"));
  st->source = g_strdup (lp_load_optional (ld, "source"));
  return lp_load_compile (ld, "applies", FALSE, &st->applies, error) &&
         lp_load_compile (ld, "gb-per-year", TRUE, &st->gb_per_year, error);
}

/* "4" or "4 of the first 7" */
static gboolean
parse_quorum_value (const char *text, guint *n, guint *of_first)
{
  guint64 a = 0, b = 0;
  g_auto (GStrv) words = g_strsplit (text, " ", -1);

  if (!g_ascii_string_to_unsigned (words[0], 10, 1, LP_QUORUM_MAX, &a, NULL))
    return FALSE;
  if (words[1] != NULL && (g_strv_length (words) != 5 || strcmp (words[1], "of") != 0 ||
                           strcmp (words[2], "the") != 0 || strcmp (words[3], "first") != 0 ||
                           !g_ascii_string_to_unsigned (words[4], 10, 1, LP_QUORUM_MAX, &b, NULL)))
    return FALSE;
  *n = (guint) a;
  *of_first = (guint) b;
  return TRUE;
}

gboolean
lp_load_quorum (const LpLoad *ld, GError **error)
{
  gboolean start = strcmp (ld->name, "to-start") == 0;
  LpQuorum *q = &ld->rs->quorum;

  if (!start && strcmp (ld->name, "must-run") != 0)
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, ld->group->line, ld->group->name, NULL,
                            "expected [quorum must-run] or [quorum to-start]");
  for (guint i = 0; i < ld->group->entries->len; i++) {
    const LpKfEntry *e = g_ptr_array_index (ld->group->entries, i);
    guint64 size = 0;
    guint n = 0, of_first = 0;

    if (strcmp (e->key, "source") == 0) {
      g_free (q->source);
      q->source = g_strdup (e->value);
      continue;
    }
    if (!g_ascii_string_to_unsigned (e->key, 10, 1, LP_QUORUM_MAX, &size, NULL) ||
        !parse_quorum_value (e->value, &n, &of_first) || n > size || (start && of_first))
      return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, e->line, ld->group->name, e->key,
                              "expected POOL-SIZE = SERVERS%s (sizes 1 to %u), got '%s'",
                              start ? "" : " or SERVERS of the first N", LP_QUORUM_MAX, e->value);
    if (start)
      q->to_start[size] = n;
    else {
      q->must_run[size] = n;
      q->must_run_of_first[size] = of_first;
    }
  }
  return TRUE;
}

/* [availability]: the length of the year the component figures are
 * averaged over, and whether planned maintenance counts toward the SLA. */
gboolean
lp_load_availability (const LpLoad *ld, GError **error)
{
  static const char *const keys[] = { "year", "planned-counted", NULL };
  static const char *const req[] = { "year", NULL };

  if (!lp_load_check_keys (ld, keys, req, error))
    return FALSE;
  lp_expr_free (ld->rs->avail_year);
  lp_expr_free (ld->rs->avail_planned_counted);
  return lp_load_compile (ld, "year", TRUE, &ld->rs->avail_year, error) &&
         lp_load_compile (ld, "planned-counted", FALSE, &ld->rs->avail_planned_counted, error);
}

/* A whole number from @min to @max under @key of the group (present). */
static gboolean
dns_number (const LpLoad *ld, const char *key, guint min, guint max, guint *out, GError **error)
{
  const LpKfEntry *e = lp_kf_group_lookup (ld->group, key);
  guint64 v = 0;

  if (!g_ascii_string_to_unsigned (e->value, 10, min, max, &v, NULL))
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, e->line, ld->group->name, key,
                            "expected a whole number from %u to %u, got '%s'", min, max, e->value);
  *out = (guint) v;
  return TRUE;
}

gboolean
lp_load_dns (const LpLoad *ld, GError **error)
{
  static const char *const keys[] = { "edge-role",
                                      "discover-external",
                                      "discover-internal",
                                      "sip-external-srv",
                                      "sip-external-port",
                                      "sip-internal-srv",
                                      "sip-internal-port",
                                      "sip-federation-srv",
                                      "sip-federation-port",
                                      "web-subdomain",
                                      "web-names",
                                      "srv-priority-active",
                                      "srv-priority-standby",
                                      "srv-weight-total",
                                      "source",
                                      "statement",
                                      "server-fqdn",
                                      "web-names-per-domain",
                                      NULL };
  LpDnsNumbers *n = &ld->rs->dns_numbers;
  const LpKfEntry *edge;
  guint role;

  /* every key is required but web-names-per-domain, the last */
  g_autofree const char **req = g_memdup2 (keys, sizeof keys);

  req[G_N_ELEMENTS (keys) - 2] = NULL;
  if (!lp_load_check_keys (ld, keys, req, error) ||
      !lp_load_check_source (ld, lp_load_optional (ld, "source"), error) ||
      !dns_number (ld, "sip-external-port", 1, 65535, &n->sip_external_port, error) ||
      !dns_number (ld, "sip-internal-port", 1, 65535, &n->sip_internal_port, error) ||
      !dns_number (ld, "sip-federation-port", 1, 65535, &n->sip_federation_port, error) ||
      !dns_number (ld, "srv-priority-active", 0, 65534, &n->srv_priority_active, error) ||
      !dns_number (ld, "srv-priority-standby", n->srv_priority_active + 1, 65535,
                   &n->srv_priority_standby, error) ||
      !dns_number (ld, "srv-weight-total", 1, 65535, &n->srv_weight_total, error))
    return FALSE;
  edge = lp_kf_group_lookup (ld->group, "edge-role");
  if (!lp_load_find_role (ld->rs, edge->value, &role))
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, edge->line, ld->group->name, "edge-role",
                            "no [role %s] in the rule file", edge->value);
  ld->rs->edge_role = role;
  for (guint i = 0; i < ld->group->entries->len; i++) {
    const LpKfEntry *e = g_ptr_array_index (ld->group->entries, i);
    g_hash_table_insert (ld->rs->dns, g_strdup (e->key), g_strdup (e->value));
  }
  return TRUE;
}
