/* lp-ruleset.c: loads a rule file and its templates into compiled form. */
#include "lp-ruleset.h"

#include <math.h>
#include <string.h>

#include "lp-error.h"
#include "lp-keyfile.h"
#include "lp-units.h"

/* ---- freeing ---- */

static void
var_free (gpointer p)
{
  LpRuleVar *v = p;
  g_free (v->name);
  g_free (v->text);
  g_free (v->unit);
  g_free (v->source);
  g_free (v->note);
  g_free (v->min_text);
  g_free (v->max_text);
  g_free (v->where);
  g_free (v);
}

static void
formula_free (gpointer p)
{
  LpFormula *f = p;
  if (f == NULL)
    return;
  g_free (f->name);
  g_free (f->where);
  lp_expr_free (f->expr);
  g_free (f);
}

static void
role_free (gpointer p)
{
  LpRole *r = p;
  g_free (r->id);
  g_free (r->short_name);
  g_free (r->name);
  g_free (r->hardware);
  g_free (r->source);
  g_free (r->where);
  g_free (r->pool);
  g_free (r);
}

static void
check_free (gpointer p)
{
  LpCheck *c = p;
  g_free (c->id);
  g_free (c->label);
  g_free (c->title);
  lp_expr_free (c->applies);
  lp_expr_free (c->target);
  lp_expr_free (c->achieved);
  lp_expr_free (c->shortfall);
  g_free (c);
}

typedef struct {
  LpTemplate t;
  guint n_roles;
} LpTemplateAlloc;

static void
template_free (gpointer p)
{
  LpTemplateAlloc *a = p;
  LpTemplate *t = &a->t;
  g_free (t->id);
  g_free (t->name);
  g_free (t->edition);
  g_free (t->description);
  g_free (t->back_end_ha);
  g_free (t->file);
  g_free (t->display);
  lp_expr_free (t->applies);
  lp_expr_free (t->paired);
  if (t->lets != NULL)
    g_ptr_array_unref (t->lets);
  for (guint i = 0; t->roles != NULL && i < a->n_roles; i++)
    formula_free (t->roles[i]);
  g_free (t->roles);
  g_free (t->licences);
  lp_expr_free (t->pools.count);
  lp_expr_free (t->pools.capacity);
  lp_expr_free (t->pools.same_site_pairs);
  lp_expr_free (t->exclude);
  g_free (t->exclude_reason);
  if (t->notes != NULL)
    g_ptr_array_unref (t->notes);
  if (t->recovery_inputs != NULL)
    g_array_unref (t->recovery_inputs);
  if (t->planned_rows != NULL)
    g_array_unref (t->planned_rows);
  if (t->availability != NULL)
    g_ptr_array_unref (t->availability);
  if (t->availability_inputs != NULL)
    g_array_unref (t->availability_inputs);
  g_free (a);
}

static void
avail_rule_free (gpointer p)
{
  LpAvailRule *r = p;

  g_free (r->id);
  g_free (r->label);
  lp_expr_free (r->applies);
  lp_expr_free (r->servers);
  lp_expr_free (r->needed);
  lp_expr_free (r->failure_rate);
  lp_expr_free (r->repair_time);
  lp_expr_free (r->failover);
  lp_expr_free (r->automatic);
  lp_expr_free (r->patch_cycles);
  lp_expr_free (r->patch_minutes);
  for (guint i = 0; i < G_N_ELEMENTS (r->cut); i++)
    g_free (r->cut[i]);
  g_free (r->cut_manual);
  g_free (r->where);
  g_free (r);
}

static void
note_free (gpointer p)
{
  LpNote *n = p;
  g_free (n->id);
  lp_expr_free (n->applies);
  g_free (n->text);
  if (n->exprs != NULL)
    g_ptr_array_unref (n->exprs);
  g_free (n);
}

static void
licence_free (gpointer p)
{
  LpLicence *l = p;
  g_free (l->id);
  g_free (l->name);
  g_free (l->source);
  g_free (l->where);
  g_free (l);
}

static void
edition_free (gpointer p)
{
  LpEdition *e = p;
  g_free (e->id);
  g_free (e->name);
  g_strfreev (e->caveats);
  g_free (e->source);
  g_free (e->where);
  g_free (e);
}

static void
input_free (gpointer p)
{
  LpInput *in = p;
  g_free (in->key);
  g_strfreev (in->choices);
  g_free (in->min_text);
  g_free (in->max_text);
  g_free (in->help);
  g_free (in->title);
  g_free (in->placeholder);
  g_free (in->alias);
  g_free (in);
}

static void
failure_free (gpointer p)
{
  LpFailure *f = p;
  g_free (f->id);
  g_free (f->label);
  g_free (f->templates);
  g_free (f->templates_file);
  g_free (f->edition);
  g_free (f->for_template);
  lp_expr_free (f->applies);
  lp_expr_free (f->automatic);
  lp_expr_free (f->response);
  lp_expr_free (f->rpo);
  g_free (f->effect);
  for (guint i = 0; i < f->n_steps; i++) {
    g_free (f->steps[i].text);
    lp_expr_free (f->steps[i].minutes);
    lp_expr_free (f->steps[i].when);
  }
  g_free (f->steps);
  g_free (f->source);
  g_free (f->where);
  g_free (f);
}

static void
data_class_free (gpointer p)
{
  LpDataClass *d = p;
  g_free (d->id);
  g_free (d->label);
  lp_expr_free (d->applies);
  lp_expr_free (d->loss);
  g_free (d->note);
  g_free (d->source);
  g_free (d);
}

static void
storage_free (gpointer p)
{
  LpStorage *st = p;
  g_free (st->id);
  g_free (st->label);
  lp_expr_free (st->applies);
  lp_expr_free (st->gb_per_year);
  g_free (st->note);
  g_free (st->source);
  g_free (st->where);
  g_free (st);
}

void
lp_ruleset_free (LpRuleset *rs)
{
  if (rs == NULL)
    return;
  g_free (rs->id);
  g_free (rs->product);
  g_free (rs->version);
  g_free (rs->path);
  g_free (rs->templates_where);
  g_free (rs->extends);
  g_free (rs->support);
  g_free (rs->migration);
  if (rs->removed != NULL)
    g_hash_table_unref (rs->removed);
  lp_symtab_free (rs->symtab);
  g_free (rs->defaults);
  g_ptr_array_unref (rs->vars);
  g_ptr_array_unref (rs->site_inputs);
  g_ptr_array_unref (rs->inputs);
  g_free (rs->edition_by_choice);
  g_ptr_array_unref (rs->lets);
  if (rs->let_inputs != NULL)
    g_array_unref (rs->let_inputs);
  g_ptr_array_unref (rs->checks);
  g_ptr_array_unref (rs->roles);
  g_ptr_array_unref (rs->templates);
  g_ptr_array_unref (rs->editions);
  g_ptr_array_unref (rs->licences);
  g_ptr_array_unref (rs->failures);
  if (rs->data_classes != NULL)
    g_ptr_array_unref (rs->data_classes);
  if (rs->certificates != NULL)
    g_ptr_array_unref (rs->certificates);
  if (rs->ports != NULL)
    g_ptr_array_unref (rs->ports);
  if (rs->storage != NULL)
    g_ptr_array_unref (rs->storage);
  g_hash_table_unref (rs->dns);
  g_free (rs->quorum.source);
  g_free (rs->slots.role_counts);
  lp_expr_free (rs->avail_year);
  lp_expr_free (rs->avail_planned_counted);
  g_hash_table_unref (rs->sources);
  g_free (rs);
}

/* ---- values ---- */

static LpValueType
value_type_of (const char *text)
{
  gboolean b;
  gsize len = strlen (text);

  if (lp_parse_bool (text, &b, NULL) && !g_ascii_isdigit (text[0]))
    return LP_VALUE_BOOL;
  if (len > 0 && text[len - 1] == '%')
    return LP_VALUE_PERCENT;
  if (len > 0 && g_ascii_isalpha (text[len - 1]))
    return LP_VALUE_DURATION;
  return LP_VALUE_NUMBER;
}

gboolean
lp_ruleset_parse_value (LpValueType type, const char *text, double *value, GError **error)
{
  gboolean b = FALSE;

  switch (type) {
  case LP_VALUE_DURATION: return lp_parse_duration (text, value, error);
  case LP_VALUE_PERCENT: return lp_parse_percent (text, value, error);
  case LP_VALUE_NUMBER: return lp_parse_number (text, value, error);
  case LP_VALUE_BOOL:
    if (!lp_parse_bool (text, &b, error))
      return FALSE;
    *value = b ? 1 : 0;
    return TRUE;
  case LP_VALUE_CHOICE: /* an input's: lp_input_parse() knows its words */
    return lp_parse_number (text, value, error);
  }
  g_assert_not_reached ();
}

gboolean
lp_ruleset_parse_var (const LpRuleVar *v, const char *text, double *value, GError **error)
{
  if (!lp_ruleset_parse_value (v->type, text, value, error))
    return FALSE;
  if (!v->has_range || (*value >= v->min && *value <= v->max))
    return TRUE;
  g_set_error (error, LP_ERROR, LP_ERROR_INPUT,
               "expected a value from %s to %s (its range in the rule set), got '%s'", v->min_text,
               v->max_text, text);
  return FALSE;
}

void
lp_ruleset_append_value (GString *s, LpValueType type, double value)
{
  switch (type) {
  case LP_VALUE_DURATION: lp_append_duration (s, value); return;
  case LP_VALUE_BOOL: g_string_append (s, value != 0 ? "true" : "false"); return;
  case LP_VALUE_PERCENT:
    lp_append_decimal (s, value, 6);
    g_string_append_c (s, '%');
    return;
  case LP_VALUE_NUMBER:
  case LP_VALUE_CHOICE: lp_append_decimal (s, value, 6); return;
  }
  g_assert_not_reached ();
}

char *
lp_ruleset_format_value (LpValueType type, double value)
{
  GString *s = g_string_new (NULL);
  lp_ruleset_append_value (s, type, value);
  return g_string_free (s, FALSE);
}

const LpRuleVar *
lp_ruleset_find_var (const LpRuleset *rs, const char *name)
{
  for (guint i = 0; i < rs->vars->len; i++) {
    const LpRuleVar *v = g_ptr_array_index (rs->vars, i);
    if (strcmp (v->name, name) == 0)
      return v;
  }
  return NULL;
}

const LpInput *
lp_ruleset_find_input (const LpRuleset *rs, const char *key)
{
  for (guint i = 0; i < rs->inputs->len; i++) {
    const LpInput *in = g_ptr_array_index (rs->inputs, i);
    if (strcmp (in->key, key) == 0)
      return in;
  }
  return NULL;
}

/* "auto, standard or enterprise" */
static char *
choice_list (const LpInput *in)
{
  GString *s = g_string_new (NULL);
  guint n = g_strv_length (in->choices);

  for (guint i = 0; i < n; i++)
    g_string_append_printf (s, "%s%s", i == 0 ? "" : i + 1 == n ? " or " : ", ", in->choices[i]);
  return g_string_free (s, FALSE);
}

static gboolean
parse_choice (const LpInput *in, const char *text, double *value, GError **error)
{
  g_autofree char *words = NULL;

  for (guint i = 0; in->choices[i] != NULL; i++) {
    if (strcmp (text, in->choices[i]) == 0) {
      *value = i;
      return TRUE;
    }
  }
  words = choice_list (in);
  g_set_error (error, LP_ERROR, LP_ERROR_INPUT, "expected %s, got '%s'", words, text);
  return FALSE;
}

/* A percentage's or a number's bounds, and the hint for an SLA written as a fraction: 0.999
 * is 99.9% far more often than it is a 0.999% requirement. */
static gboolean
check_percent (const LpInput *in, const char *text, double v, GError **error)
{
  gboolean inside = in->open ? v > in->min && v < in->max : v >= in->min && v <= in->max;
  g_autofree char *bounds = in->open
                              ? g_strdup_printf ("above %s and below %s", in->min_text,
                                                 in->max_text)
                              : g_strdup_printf ("from %s to %s", in->min_text, in->max_text);
  g_autofree char *meant = NULL;

  if (!inside) {
    g_set_error (error, LP_ERROR, LP_ERROR_INPUT, "expected a %s %s, got '%s'",
                 in->type == LP_VALUE_PERCENT ? "percentage" : "number", bounds, text);
    return FALSE;
  }
  if (in->type != LP_VALUE_PERCENT || !in->open || in->min != 0 || v >= 1)
    return TRUE;
  meant = lp_format_decimal (v * 100, 6);
  g_set_error (error, LP_ERROR, LP_ERROR_INPUT,
               "expected a percentage %s, got '%s', which reads as a fraction (did you mean %s?)",
               bounds, text, meant);
  return FALSE;
}

gboolean
lp_input_parse (const LpInput *in, const char *text, double *value, GError **error)
{
  double v;

  if (in->none && strcmp (text, "none") == 0) {
    *value = INFINITY;
    return TRUE;
  }
  if (in->type == LP_VALUE_CHOICE)
    return parse_choice (in, text, value, error);
  if (!lp_ruleset_parse_value (in->type, text, &v, error))
    return FALSE;
  if (in->has_range && !check_percent (in, text, v, error))
    return FALSE;
  *value = v;
  return TRUE;
}

void
lp_input_append (GString *s, const LpInput *in, double value, gboolean shown)
{
  if (in->none && isinf (value))
    g_string_append (s, "none");
  else if (in->type == LP_VALUE_CHOICE)
    g_string_append (s, in->choices[(guint) value]);
  else if (in->type == LP_VALUE_BOOL && shown)
    g_string_append (s, value != 0 ? "yes" : "no");
  else
    lp_ruleset_append_value (s, in->type, value);
}

const char *
lp_input_placeholder (const LpInput *in)
{
  return in->placeholder;
}

/* "DUR", "PCT", "NUM", none for a switch, "EDITION" for a choice. */
static char *
placeholder_for (const LpInput *in)
{
  switch (in->type) {
  case LP_VALUE_DURATION: return g_strdup ("DUR");
  case LP_VALUE_PERCENT: return g_strdup ("PCT");
  case LP_VALUE_NUMBER: return g_strdup ("NUM");
  case LP_VALUE_BOOL: return NULL;
  case LP_VALUE_CHOICE: return g_ascii_strup (in->key, -1);
  }
  g_assert_not_reached ();
}

char *
lp_input_format (const LpInput *in, double value, gboolean shown)
{
  GString *s = g_string_new (NULL);
  lp_input_append (s, in, value, shown);
  return g_string_free (s, FALSE);
}

const LpEdition *
lp_ruleset_find_edition (const LpRuleset *rs, const char *id)
{
  for (guint i = 0; i < rs->editions->len; i++) {
    const LpEdition *e = g_ptr_array_index (rs->editions, i);
    if (strcmp (e->id, id) == 0)
      return e;
  }
  return NULL;
}

const char **
lp_ruleset_constant_names (const LpRuleset *rs)
{
  GPtrArray *names = g_ptr_array_new ();

  for (guint i = 0; i < rs->vars->len; i++) {
    const LpRuleVar *v = g_ptr_array_index (rs->vars, i);
    if (!v->is_input)
      g_ptr_array_add (names, v->name);
  }
  g_ptr_array_add (names, NULL);
  return (const char **) g_ptr_array_free (names, FALSE);
}

/* ---- loading helpers ---- */

/* "rules/lync2013.rules" for ".../rules/../templates/x.tmpl" style paths: the
 * trace names data files the same way on every machine. */
static char *
display_name (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *parent = g_path_get_basename (dir);

  return g_build_filename (parent, base, NULL);
}

typedef struct {
  LpRuleset *rs;
  const LpKeyfile *kf;
  const LpKfGroup *group;
  const char *name; /* the part of the group name after its kind */
} LpLoad;

static const char *
required (const LpLoad *ld, const char *key, GError **error)
{
  const LpKfEntry *e = lp_kf_group_lookup (ld->group, key);

  if (e != NULL && e->value[0] != '\0')
    return e->value;
  if (e == NULL)
    lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, ld->group->line, ld->group->name, key,
                     "missing key");
  else
    lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, e->line, ld->group->name, key, "empty value");
  return NULL;
}

static char *
where_of (const LpLoad *ld, const LpKfEntry *e)
{
  g_autofree char *name = display_name (ld->kf->filename);
  return g_strdup_printf ("%s:%u", name, e->line);
}

static char *
where_line (const LpLoad *ld, guint line)
{
  g_autofree char *name = display_name (ld->kf->filename);
  return g_strdup_printf ("%s:%u", name, line);
}

static const char *
optional (const LpLoad *ld, const char *key)
{
  const LpKfEntry *e = lp_kf_group_lookup (ld->group, key);
  return e != NULL ? e->value : NULL;
}

static gboolean
check_keys (const LpLoad *ld, const char *const *allowed, const char *const *req, GError **error)
{
  return lp_kf_group_check_keys (ld->kf, ld->group, allowed, req, LP_ERROR_RULES, error);
}

/* A source is "assumption: why", or [sources] keys separated by commas,
 * optionally followed by ": remark". */
static gboolean
check_source (const LpLoad *ld, const char *text, GError **error)
{
  const LpKfEntry *e = lp_kf_group_lookup (ld->group, "source");
  g_autofree char *head = g_strndup (text, strcspn (text, ":"));
  g_auto (GStrv) keys = g_strsplit (head, ",", -1);

  if (g_str_has_prefix (text, "assumption"))
    return TRUE;
  for (guint i = 0; keys[i] != NULL; i++) {
    g_strstrip (keys[i]);
    if (!g_hash_table_contains (ld->rs->sources, keys[i])) {
      g_autofree const char **known = (const char **)
        g_hash_table_get_keys_as_array (ld->rs->sources, NULL);
      g_autofree char *hint = lp_error_did_you_mean (keys[i], known);
      return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, e->line, ld->group->name, "source",
                              "unknown source '%s'%s: expected a key of [sources] or "
                              "'assumption: why'",
                              keys[i], hint);
    }
  }
  return TRUE;
}

/* Compiles @key of the group into @out; an absent optional key leaves @out
 * NULL and succeeds. */
static gboolean
compile_into (const LpLoad *ld, const char *key, gboolean is_required, LpExpr **out, GError **error)
{
  const LpKfEntry *e = lp_kf_group_lookup (ld->group, key);

  *out = NULL;
  if (e == NULL || e->value[0] == '\0')
    return !is_required || required (ld, key, error) != NULL;
  *out = lp_expr_compile (e->value, ld->rs->symtab, error);
  if (*out == NULL)
    return lp_kf_prefix_error (error, ld->kf, ld->group, e);
  return TRUE;
}

/* Names in the order the engine documents them in the rule file's header. */
static guint
engine_slot (LpRuleset *rs, const char *name)
{
  return lp_symtab_add (rs->symtab, name);
}

static void
register_engine_slots (LpRuleset *rs)
{
  LpEngineSlots *s = &rs->slots;

  s->users = engine_slot (rs, "users");
  s->partner_users = engine_slot (rs, "partner-users");
  s->partner_remote_percent = engine_slot (rs, "partner-remote-percent");
  s->paired = engine_slot (rs, "paired");
  s->dr = engine_slot (rs, "dr");
  s->first_site = engine_slot (rs, "first-site");
  s->edge_here = engine_slot (rs, "edge-here");
  s->owa_here = engine_slot (rs, "office-web-apps-here");
  s->edge_guest_users = engine_slot (rs, "edge-guest-users");
  s->edge_elsewhere = engine_slot (rs, "edge-at-other-site");
  s->owa_elsewhere = engine_slot (rs, "office-web-apps-at-other-site");
  s->branch = engine_slot (rs, "branch");
  s->server_failure_rto = engine_slot (rs, "server-failure-rto");
  s->server_failure_rpo = engine_slot (rs, "server-failure-rpo");
  s->site_loss_rto = engine_slot (rs, "site-loss-rto");
  s->site_loss_rpo = engine_slot (rs, "site-loss-rpo");
  s->downtime[0] = engine_slot (rs, "downtime-internal");
  s->downtime[1] = engine_slot (rs, "downtime-remote");
}

static gboolean find_role (const LpRuleset *rs, const char *id, guint *index);

/* ---- the groups of a rule file ---- */

static gboolean
load_rule_set (const LpLoad *ld, GError **error)
{
  static const char *const keys[] = { "id",     "product", "version",   "templates", "extends",
                                      "remove", "support", "migration", NULL };
  static const char *const req[] = { "id", "product", "version", NULL };

  if (!check_keys (ld, keys, req, error))
    return FALSE;
  if (optional (ld, "extends") == NULL && optional (ld, "templates") == NULL)
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, ld->group->line, ld->group->name,
                            "templates",
                            "missing key (a rule set without extends names its templates)");
  ld->rs->id = g_strdup (optional (ld, "id"));
  ld->rs->product = g_strdup (optional (ld, "product"));
  ld->rs->version = g_strdup (optional (ld, "version"));
  ld->rs->extends = g_strdup (optional (ld, "extends"));
  ld->rs->support = g_strdup (optional (ld, "support"));
  ld->rs->migration = g_strdup (optional (ld, "migration"));
  return TRUE;
}

static gboolean
load_sources (const LpLoad *ld, GError **error)
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

  if (!check_source (ld, optional (ld, "source"), error))
    return NULL;
  if (lp_symtab_lookup (ld->rs->symtab, ld->name, NULL)) {
    lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, ld->group->line, ld->group->name, NULL,
                     "the name '%s' is taken (by the engine or an earlier group)", ld->name);
    return NULL;
  }
  v = g_new0 (LpRuleVar, 1);
  v->name = g_strdup (ld->name);
  v->is_input = is_input;
  v->type = value_type_of (value->value);
  v->text = g_strdup (value->value);
  v->unit = g_strdup (optional (ld, "unit"));
  v->source = g_strdup (optional (ld, "source"));
  v->note = g_strdup (optional (ld, "note"));
  v->where = where_line (ld, ld->group->line);
  v->slot = lp_symtab_add (ld->rs->symtab, ld->name);
  g_ptr_array_add (ld->rs->vars, v);
  return v;
}

static gboolean
load_constant (const LpLoad *ld, GError **error)
{
  static const char *const keys[] = { "value", "range", "unit", "source", "note", NULL };
  static const char *const req[] = { "value", "source", NULL };
  LpRuleVar *v;

  if (!check_keys (ld, keys, req, error) || (v = add_var (ld, FALSE, error)) == NULL ||
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
  const char *text = optional (ld, key);

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
  const char *text = optional (ld, "type");
  const char *choices = optional (ld, "choices");

  in->type = choices != NULL ? LP_VALUE_CHOICE : value_type_of (optional (ld, "value"));
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
  const char *text = optional (ld, "scope");
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
  const char *text = optional (ld, "range");
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
  const char *text = optional (ld, "group");

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
  g_autofree char *where = where_line (ld, ld->group->line);
  g_auto (GStrv)
    written = g_strsplit (optional (ld, "choices") ? optional (ld, "choices") : "", ",", -1);

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
    text = g_strdup_printf ("%s == %u", in->key, word++);

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

static gboolean
load_input (const LpLoad *ld, GError **error)
{
  static const char *const keys[] = { "value",  "type",  "choices", "none",  "range", "open",
                                      "scope",  "group", "help",    "alias", "sweep", "unit",
                                      "source", "note",  "title",   NULL };
  static const char *const req[] = { "value", "source", "help", NULL };
  LpRuleVar *v;
  LpInput *in;

  if (!check_keys (ld, keys, req, error) || (v = add_var (ld, TRUE, error)) == NULL)
    return FALSE;
  in = g_new0 (LpInput, 1);
  in->key = g_strdup (ld->name);
  in->var = v;
  in->index = ld->rs->inputs->len;
  in->help = g_strdup (optional (ld, "help"));
  in->title = g_strdup (optional (ld, "title") ? optional (ld, "title") : ld->name);
  in->alias = g_strdup (optional (ld, "alias"));
  g_ptr_array_add (ld->rs->inputs, in);
  if (!input_type (ld, in, error) || !input_scope (ld, in, error) || !input_range (ld, in, error) ||
      !yes_no_key (ld, "none", FALSE, &in->none, error) ||
      !yes_no_key (ld, "sweep", TRUE, &in->sweepable, error))
    return FALSE;
  in->placeholder = placeholder_for (in);
  in->site_index = -1;
  if (!input_group (ld, in, error))
    return FALSE;
  if ((in->scope & LP_SCOPE_SITE) && ld->rs->site_inputs->len == LP_MAX_SITE_INPUTS)
    return input_fail (ld, "scope",
                       "too many inputs of site scope (at most " G_STRINGIFY (
                         LP_MAX_SITE_INPUTS) ")",
                       optional (ld, "scope"), error);
  if (in->scope & LP_SCOPE_SITE) {
    in->site_index = (gint) ld->rs->site_inputs->len;
    g_ptr_array_add (ld->rs->site_inputs, in);
  }
  return in->type != LP_VALUE_CHOICE || choice_lets (ld, in, error);
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

static gboolean
load_role (const LpLoad *ld, GError **error)
{
  static const char *const keys[] = { "short",    "name",     "hardware", "source", "appliance",
                                      "category", "per-pool", "pool",     NULL };
  static const char *const req[] = { "short", "name", "hardware", "source", NULL };
  const LpKfEntry *appliance = lp_kf_group_lookup (ld->group, "appliance");
  const LpKfEntry *per_pool = lp_kf_group_lookup (ld->group, "per-pool");
  LpRole *r;

  if (!check_keys (ld, keys, req, error) || !check_source (ld, optional (ld, "source"), error))
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
  r->short_name = g_strdup (optional (ld, "short"));
  r->name = g_strdup (optional (ld, "name"));
  r->hardware = g_strdup (optional (ld, "hardware"));
  r->source = g_strdup (optional (ld, "source"));
  r->where = where_line (ld, ld->group->line);
  r->pool = g_strdup (optional (ld, "pool"));
  g_ptr_array_add (ld->rs->roles, r);
  if (appliance != NULL && !lp_parse_bool (appliance->value, &r->appliance, error))
    return lp_kf_prefix_error (error, ld->kf, ld->group, appliance);
  if (per_pool != NULL && !lp_parse_bool (per_pool->value, &r->per_pool, error))
    return lp_kf_prefix_error (error, ld->kf, ld->group, per_pool);
  return role_category (ld, r, error);
}

static gboolean
load_edition (const LpLoad *ld, GError **error)
{
  g_autoptr (GStrvBuilder) caveats = g_strv_builder_new ();
  LpEdition *e;

  if (required (ld, "name", error) == NULL || required (ld, "source", error) == NULL ||
      !check_source (ld, optional (ld, "source"), error))
    return FALSE;
  for (guint i = 0; i < ld->group->entries->len; i++) {
    const LpKfEntry *k = g_ptr_array_index (ld->group->entries, i);
    if (g_str_has_prefix (k->key, "caveat-"))
      g_strv_builder_add (caveats, k->value);
    else if (strcmp (k->key, "name") != 0 && strcmp (k->key, "source") != 0)
      return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, k->line, ld->group->name, k->key,
                              "unknown key: expected name, source or caveat-N");
  }
  e = g_new0 (LpEdition, 1);
  e->id = g_strdup (ld->name);
  e->name = g_strdup (optional (ld, "name"));
  e->source = g_strdup (optional (ld, "source"));
  e->caveats = g_strv_builder_end (caveats);
  e->where = where_line (ld, ld->group->line);
  g_ptr_array_add (ld->rs->editions, e);
  return TRUE;
}

/* [licence ID]: name, role and source. Loaded once every role is (pass 2). */
static gboolean
load_licence (const LpLoad *ld, GError **error)
{
  static const char *const keys[] = { "name", "role", "source", NULL };
  const LpKfEntry *role;
  LpLicence *l;
  guint index;

  if (!check_keys (ld, keys, keys, error) || !check_source (ld, optional (ld, "source"), error))
    return FALSE;
  role = lp_kf_group_lookup (ld->group, "role");
  if (!find_role (ld->rs, role->value, &index))
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, role->line, ld->group->name, "role",
                            "no [role %s] in the rule file", role->value);
  l = g_new0 (LpLicence, 1);
  l->id = g_strdup (ld->name);
  l->name = g_strdup (optional (ld, "name"));
  l->role = index;
  l->source = g_strdup (optional (ld, "source"));
  l->where = where_line (ld, ld->group->line);
  g_ptr_array_add (ld->rs->licences, l);
  return TRUE;
}

/* [let] groups: each entry names a value computed from the names before it.
 * Names below @first_free_slot belong to the rule set and may not be reused. */
static gboolean
load_lets (const LpLoad *ld, GPtrArray *into, guint first_free_slot, GError **error)
{
  for (guint i = 0; i < ld->group->entries->len; i++) {
    const LpKfEntry *e = g_ptr_array_index (ld->group->entries, i);
    LpFormula *f;
    guint slot;

    if (lp_symtab_lookup (ld->rs->symtab, e->key, &slot) && slot < first_free_slot)
      return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, e->line, ld->group->name, e->key,
                              "the name is taken by the rule set");
    f = g_new0 (LpFormula, 1);
    f->name = g_strdup (e->key);
    f->where = where_of (ld, e);
    f->expr = lp_expr_compile (e->value, ld->rs->symtab, error);
    g_ptr_array_add (into, f);
    if (f->expr == NULL)
      return lp_kf_prefix_error (error, ld->kf, ld->group, e);
    f->slot = lp_symtab_add (ld->rs->symtab, e->key);
  }
  return TRUE;
}

static gboolean
load_rule_lets (const LpLoad *ld, GError **error)
{
  return load_lets (ld, ld->rs->lets, lp_symtab_size (ld->rs->symtab), error);
}

static gboolean
parse_check_enum (const LpLoad *ld, const char *key, const char *const *names, guint *out,
                  GError **error)
{
  const LpKfEntry *e = lp_kf_group_lookup (ld->group, key);

  if (e == NULL)
    return TRUE; /* keeps the default, index 0 */
  for (guint i = 0; names[i] != NULL; i++) {
    if (strcmp (e->value, names[i]) == 0) {
      *out = i;
      return TRUE;
    }
  }
  {
    guint n = g_strv_length ((char **) names);
    g_autofree char *head = g_strjoinv (", ", (char **) names);
    char *last = g_strrstr (head, ", ");
    g_autofree char *list = NULL;
    if (last != NULL)
      *last = '\0';
    list = n > 1 ? g_strdup_printf ("%s or %s", head, names[n - 1]) : g_strdup (head);
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, e->line, ld->group->name, key,
                            "expected %s, got '%s'", list, e->value);
  }
}

static gboolean
load_check (const LpLoad *ld, GError **error)
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
  if (!check_keys (ld, keys, req, error) || !parse_check_enum (ld, "unit", units, &unit, error) ||
      !parse_check_enum (ld, "compare", compares, &compare, error))
    return FALSE;
  c->label = g_strdup (optional (ld, "label"));
  c->title = g_strdup (optional (ld, "title") ? optional (ld, "title") : c->label);
  c->unit = (LpCheckUnit) unit;
  c->at_least = compare == 1;
  return compile_into (ld, "applies", FALSE, &c->applies, error) &&
         compile_into (ld, "target", TRUE, &c->target, error) &&
         compile_into (ld, "achieved", TRUE, &c->achieved, error) &&
         compile_into (ld, "shortfall", FALSE, &c->shortfall, error);
}

/* The parts of a step key: step-N, step-N-minutes, step-N-when, step-N-after. */
typedef enum { LP_STEP_TEXT, LP_STEP_MINUTES, LP_STEP_WHEN, LP_STEP_AFTER } LpStepPart;

/* Parses @key as a step key: its number and part. */
static gboolean
step_key (const char *key, guint64 *n, LpStepPart *part)
{
  static const char *const parts[] = { "", "-minutes", "-when", "-after" };
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
                                      "effect",  "source",    NULL };
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
      return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, e->line, ld->group->name, e->key,
                              "unknown key%s: expected one of label, scope, templates, edition, "
                              "applies, automatic, response, rpo, effect, step-N (N from 1 to %u), "
                              "step-N-minutes, step-N-when, step-N-after, source",
                              hint, LP_FAILURE_MAX_STEPS);
    }
  }
  return check_keys (ld, NULL, req, error);
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

static gboolean
load_failure (const LpLoad *ld, GError **error)
{
  LpFailure *f = g_new0 (LpFailure, 1);
  guint scope = 0;

  f->id = g_strdup (ld->name);
  {
    g_autofree char *name = display_name (ld->kf->filename);
    f->where = g_strdup_printf ("%s:%u", name, ld->group->line);
  }
  g_ptr_array_add (ld->rs->failures, f);
  if (!check_failure_keys (ld, error) ||
      !parse_check_enum (ld, "scope", failure_scopes, &scope, error) ||
      !check_source (ld, optional (ld, "source"), error))
    return FALSE;
  f->scope = (LpFailureScope) scope;
  f->label = g_strdup (optional (ld, "label"));
  f->templates = g_strdup (optional (ld, "templates"));
  f->templates_line = f->templates ? lp_kf_group_lookup (ld->group, "templates")->line : 0;
  f->templates_file = g_strdup (ld->kf->filename);
  f->edition = g_strdup (optional (ld, "edition"));
  f->effect = g_strdup (optional (ld, "effect"));
  f->source = g_strdup (optional (ld, "source"));
  return load_steps (ld, f, error) && check_response (ld, error) &&
         compile_into (ld, "applies", FALSE, &f->applies, error) &&
         compile_into (ld, "automatic", TRUE, &f->automatic, error) &&
         compile_into (ld, "response", FALSE, &f->response, error) &&
         compile_into (ld, "rpo", TRUE, &f->rpo, error);
}

/* [data ID]: a class of data; checked = true when the rpo checks count it,
 * else its own loss figure. */
static gboolean
load_data_class (const LpLoad *ld, GError **error)
{
  static const char *const keys[] = {
    "label", "checked", "applies", "loss", "note", "source", NULL
  };
  static const char *const req[] = { "label", "note", "source", NULL };
  LpDataClass *d = g_new0 (LpDataClass, 1);
  const LpKfEntry *checked = lp_kf_group_lookup (ld->group, "checked");

  d->id = g_strdup (ld->name);
  g_ptr_array_add (ld->rs->data_classes, d);
  if (!check_keys (ld, keys, req, error) || !check_source (ld, optional (ld, "source"), error))
    return FALSE;
  if (checked != NULL && !lp_parse_bool (checked->value, &d->checked, error))
    return lp_kf_prefix_error (error, ld->kf, ld->group, checked);
  d->label = g_strdup (optional (ld, "label"));
  d->note = g_strdup (optional (ld, "note"));
  d->source = g_strdup (optional (ld, "source"));
  if (d->checked && lp_kf_group_lookup (ld->group, "loss") != NULL)
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf,
                            lp_kf_group_lookup (ld->group, "loss")->line, ld->group->name, "loss",
                            "a class the rpo checks count has no loss of its own");
  return compile_into (ld, "applies", FALSE, &d->applies, error) &&
         compile_into (ld, "loss", !d->checked, &d->loss, error);
}

/* [storage ID]: a data store and its storage a year at each site where it
 * applies (gb-per-year, a formula over the sized site). */
static gboolean
load_storage (const LpLoad *ld, GError **error)
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
    g_autofree char *name = display_name (ld->kf->filename);
    st->where = g_strdup_printf ("%s:%u", name, ld->group->line);
  }
  g_ptr_array_add (ld->rs->storage, st);
  if (!check_keys (ld, keys, req, error) || !check_source (ld, optional (ld, "source"), error))
    return FALSE;
  st->label = g_strdup (optional (ld, "label"));
  st->note = g_strdup (optional (ld, "note"));
  st->source = g_strdup (optional (ld, "source"));
  return compile_into (ld, "applies", FALSE, &st->applies, error) &&
         compile_into (ld, "gb-per-year", TRUE, &st->gb_per_year, error);
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

static gboolean
load_quorum (const LpLoad *ld, GError **error)
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
static gboolean
load_availability (const LpLoad *ld, GError **error)
{
  static const char *const keys[] = { "year", "planned-counted", NULL };
  static const char *const req[] = { "year", NULL };

  if (!check_keys (ld, keys, req, error))
    return FALSE;
  lp_expr_free (ld->rs->avail_year);
  lp_expr_free (ld->rs->avail_planned_counted);
  return compile_into (ld, "year", TRUE, &ld->rs->avail_year, error) &&
         compile_into (ld, "planned-counted", FALSE, &ld->rs->avail_planned_counted, error);
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

static gboolean
load_dns (const LpLoad *ld, GError **error)
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
                                      "web-names-per-domain",
                                      NULL };
  LpDnsNumbers *n = &ld->rs->dns_numbers;
  const LpKfEntry *edge;
  guint role;

  /* every key is required but web-names-per-domain, the last */
  g_autofree const char **req = g_memdup2 (keys, sizeof keys);

  req[G_N_ELEMENTS (keys) - 2] = NULL;
  if (!check_keys (ld, keys, req, error) || !check_source (ld, optional (ld, "source"), error) ||
      !dns_number (ld, "sip-external-port", 1, 65535, &n->sip_external_port, error) ||
      !dns_number (ld, "sip-internal-port", 1, 65535, &n->sip_internal_port, error) ||
      !dns_number (ld, "sip-federation-port", 1, 65535, &n->sip_federation_port, error) ||
      !dns_number (ld, "srv-priority-active", 0, 65534, &n->srv_priority_active, error) ||
      !dns_number (ld, "srv-priority-standby", n->srv_priority_active + 1, 65535,
                   &n->srv_priority_standby, error) ||
      !dns_number (ld, "srv-weight-total", 1, 65535, &n->srv_weight_total, error))
    return FALSE;
  edge = lp_kf_group_lookup (ld->group, "edge-role");
  if (!find_role (ld->rs, edge->value, &role))
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, edge->line, ld->group->name, "edge-role",
                            "no [role %s] in the rule file", edge->value);
  ld->rs->edge_role = role;
  for (guint i = 0; i < ld->group->entries->len; i++) {
    const LpKfEntry *e = g_ptr_array_index (ld->group->entries, i);
    g_hash_table_insert (ld->rs->dns, g_strdup (e->key), g_strdup (e->value));
  }
  return TRUE;
}

static gint
find_template (const LpRuleset *rs, const char *id)
{
  for (guint t = 0; t < rs->templates->len; t++) {
    if (strcmp (((LpTemplate *) g_ptr_array_index (rs->templates, t))->id, id) == 0)
      return (gint) t;
  }
  return -1;
}

static gboolean
has_slot (const GArray *slots, guint slot)
{
  for (guint k = 0; k < slots->len; k++) {
    if (g_array_index (slots, guint, k) == slot)
      return TRUE;
  }
  return FALSE;
}

/* Adds the slots @expr reads to @inputs, except those in @set (nullable). */
static void
add_inputs (GArray *inputs, const LpExpr *expr, const GArray *set)
{
  guint n = 0;
  const guint *slots = expr != NULL ? lp_expr_names (expr, &n) : NULL;

  for (guint i = 0; i < n; i++) {
    if (!has_slot (inputs, slots[i]) && (set == NULL || !has_slot (set, slots[i])))
      g_array_append_val (inputs, slots[i]);
  }
}

/* What a template's [availability] components and the rule file's
 * [availability] read: the engine computes them again only when one changed. */
static void
collect_availability_inputs (const LpRuleset *rs, LpTemplate *tmpl)
{
  GArray *in = g_array_new (FALSE, FALSE, sizeof (guint));

  tmpl->availability_inputs = in;
  add_inputs (in, rs->avail_year, NULL);
  add_inputs (in, rs->avail_planned_counted, NULL);
  for (guint i = 0; i < tmpl->availability->len; i++) {
    const LpAvailRule *r = g_ptr_array_index (tmpl->availability, i);
    const LpExpr *exprs[] = { r->applies,      r->servers,      r->needed,
                              r->failure_rate, r->repair_time,  r->failover,
                              r->automatic,    r->patch_cycles, r->patch_minutes };
    for (guint k = 0; k < G_N_ELEMENTS (exprs); k++)
      add_inputs (in, exprs[k], NULL);
  }
}

/* What groups of formulas read, for the engine, which evaluates a group
 * again only when one of those values changed: the [let] formulas (less
 * what an earlier let sets) and each template's [failure] rows. */
static void
collect_inputs (LpRuleset *rs)
{
  g_autoptr (GArray) set = g_array_new (FALSE, FALSE, sizeof (guint));

  rs->let_inputs = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < rs->lets->len; i++) {
    const LpFormula *f = g_ptr_array_index (rs->lets, i);
    add_inputs (rs->let_inputs, f->expr, set);
    g_array_append_val (set, f->slot);
  }
  for (guint t = 0; t < rs->templates->len; t++) {
    LpTemplate *tmpl = g_ptr_array_index (rs->templates, t);
    tmpl->recovery_inputs = g_array_new (FALSE, FALSE, sizeof (guint));
    tmpl->planned_rows = g_array_new (FALSE, FALSE, sizeof (guint));
    for (guint i = 0; i < rs->failures->len; i++) {
      const LpFailure *f = g_ptr_array_index (rs->failures, i);
      if (!f->for_template[t])
        continue;
      /* planned rows (failback) read what changes plan by plan, such as users,
       * and are not checked: they stay out of the failure table's memo */
      if (f->scope == LP_FAILURE_PLANNED) {
        g_array_append_val (tmpl->planned_rows, i);
        continue;
      }
      add_inputs (tmpl->recovery_inputs, f->applies, NULL);
      add_inputs (tmpl->recovery_inputs, f->automatic, NULL);
      add_inputs (tmpl->recovery_inputs, f->response, NULL);
      add_inputs (tmpl->recovery_inputs, f->rpo, NULL);
      for (guint k = 0; k < f->n_steps; k++) {
        add_inputs (tmpl->recovery_inputs, f->steps[k].minutes, NULL);
        add_inputs (tmpl->recovery_inputs, f->steps[k].when, NULL);
      }
    }
    collect_availability_inputs (rs, tmpl);
  }
}

/* Which templates each [failure] row belongs to, once the templates are
 * known: those its templates key names (else all), of its edition if given. */
static gboolean
bind_failures (LpRuleset *rs, GError **error)
{
  for (guint i = 0; i < rs->failures->len; i++) {
    LpFailure *f = g_ptr_array_index (rs->failures, i);
    g_auto (GStrv) ids = f->templates ? g_strsplit (f->templates, ",", -1) : NULL;

    f->for_template = g_new0 (gboolean, rs->templates->len);
    for (guint t = 0; t < rs->templates->len; t++)
      f->for_template[t] = ids == NULL;
    for (guint k = 0; ids != NULL && ids[k] != NULL; k++) {
      gint t = find_template (rs, g_strstrip (ids[k]));
      if (t < 0) {
        g_set_error (error, LP_ERROR, LP_ERROR_RULES,
                     "%s:%u: [failure %s] templates: no template '%s' in the rule set",
                     f->templates_file, f->templates_line, f->id, ids[k]);
        return FALSE;
      }
      f->for_template[t] = TRUE;
    }
    for (guint t = 0; f->edition != NULL && t < rs->templates->len; t++) {
      const LpTemplate *tmpl = g_ptr_array_index (rs->templates, t);
      f->for_template[t] &= strcmp (f->edition, tmpl->edition) == 0;
    }
  }
  return TRUE;
}

/* ---- templates ---- */

static gboolean
find_role (const LpRuleset *rs, const char *id, guint *index)
{
  for (guint i = 0; i < rs->roles->len; i++) {
    const LpRole *r = g_ptr_array_index (rs->roles, i);
    if (strcmp (r->id, id) == 0) {
      *index = i;
      return TRUE;
    }
  }
  return FALSE;
}

static gboolean
load_template_roles (const LpLoad *ld, LpTemplate *t, GError **error)
{
  for (guint i = 0; i < ld->group->entries->len; i++) {
    const LpKfEntry *e = g_ptr_array_index (ld->group->entries, i);
    LpFormula *f;
    guint role;

    g_autofree char *group = g_strconcat ("role ", e->key, NULL);

    if (!find_role (ld->rs, e->key, &role) && g_hash_table_contains (ld->rs->removed, group))
      continue; /* the rule set removed the role: no template builds it */
    if (!find_role (ld->rs, e->key, &role)) {
      g_autofree const char **ids = g_new0 (const char *, ld->rs->roles->len + 1);
      g_autofree char *hint = NULL;
      for (guint j = 0; j < ld->rs->roles->len; j++)
        ids[j] = ((LpRole *) g_ptr_array_index (ld->rs->roles, j))->id;
      hint = lp_error_did_you_mean (e->key, ids);
      return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, e->line, ld->group->name, e->key,
                              "unknown role%s: the rule file's [role ...] groups name them", hint);
    }
    f = g_new0 (LpFormula, 1);
    f->name = g_strdup (e->key);
    f->where = where_of (ld, e);
    t->roles[role] = f;
    f->expr = lp_expr_compile (e->value, ld->rs->symtab, error);
    if (f->expr == NULL)
      return lp_kf_prefix_error (error, ld->kf, ld->group, e);
  }
  return TRUE;
}

static gboolean
load_template_pools (const LpLoad *ld, LpTemplate *t, GError **error)
{
  static const char *const keys[] = { "role", "count", "capacity", "same-site-pairs", NULL };
  static const char *const req[] = { "role", "capacity", NULL };
  const LpKfEntry *role;

  if (!check_keys (ld, keys, req, error))
    return FALSE;
  role = lp_kf_group_lookup (ld->group, "role");
  if (!find_role (ld->rs, role->value, &t->pools.role) || t->roles[t->pools.role] == NULL)
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, role->line, ld->group->name, "role",
                            "expected a role of the template's [roles] group, got '%s'",
                            role->value);
  t->pools.defined = TRUE;
  return compile_into (ld, "count", FALSE, &t->pools.count, error) &&
         compile_into (ld, "capacity", TRUE, &t->pools.capacity, error) &&
         compile_into (ld, "same-site-pairs", FALSE, &t->pools.same_site_pairs, error);
}

/* "licences = ID, ID": the [licence] groups whose licence this design's
 * servers of their role need, one a role. */
static gboolean
template_licences (const LpLoad *ld, LpTemplate *t, GError **error)
{
  const LpKfEntry *e = lp_kf_group_lookup (ld->group, "licences");
  g_auto (GStrv) ids = e != NULL ? g_strsplit (e->value, ",", -1) : NULL;

  for (guint i = 0; ids != NULL && ids[i] != NULL; i++) {
    const char *id = g_strstrip (ids[i]);
    const LpLicence *l = NULL;
    guint k;
    for (k = 0; k < ld->rs->licences->len; k++) {
      l = g_ptr_array_index (ld->rs->licences, k);
      if (strcmp (l->id, id) == 0)
        break;
    }
    if (k == ld->rs->licences->len)
      return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, e->line, ld->group->name, "licences",
                              "no [licence %s] in the rule file", id);
    if (t->licences[l->role] >= 0)
      return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, e->line, ld->group->name, "licences",
                              "two licences for the role %s",
                              ((LpRole *) g_ptr_array_index (ld->rs->roles, l->role))->id);
    t->licences[l->role] = (gint) k;
  }
  return TRUE;
}

static gboolean
load_template_header (const LpLoad *ld, LpTemplate *t, GError **error)
{
  static const char *const keys[] = { "id",     "name",        "edition", "description", "applies",
                                      "paired", "back-end-ha", "kind",    "licences",    NULL };
  static const char *const req[] = { "id", "name", "description", NULL };
  static const char *const methods[] = { "sql-mirroring", "always-on-ag", "failover-cluster",
                                         "none", NULL };
  const LpKfEntry *edition, *ha, *kind;

  if (!check_keys (ld, keys, req, error))
    return FALSE;
  kind = lp_kf_group_lookup (ld->group, "kind");
  if (kind != NULL && strcmp (kind->value, "central") != 0 && strcmp (kind->value, "branch") != 0)
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, kind->line, ld->group->name, "kind",
                            "expected central or branch, got '%s'", kind->value);
  t->branch = kind != NULL && strcmp (kind->value, "branch") == 0;
  ha = lp_kf_group_lookup (ld->group, "back-end-ha");
  if (ha != NULL && !g_strv_contains (methods, ha->value))
    return lp_kf_set_error (
      error, LP_ERROR_RULES, ld->kf, ha->line, ld->group->name, "back-end-ha",
      "expected sql-mirroring, always-on-ag, failover-cluster or none, got '%s'", ha->value);
  t->back_end_ha = g_strdup (ha != NULL ? ha->value : "none");
  if (!template_licences (ld, t, error))
    return FALSE;
  /* a branch site's design (appliances) is of no edition */
  edition = lp_kf_group_lookup (ld->group, "edition");
  if (edition == NULL && !t->branch)
    return required (ld, "edition", error) != NULL;
  if (edition != NULL && t->branch)
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, edition->line, ld->group->name,
                            "edition", "a design for branch sites (kind = branch) has no edition");
  if (edition != NULL && lp_ruleset_find_edition (ld->rs, edition->value) == NULL)
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, edition->line, ld->group->name,
                            "edition", "no [edition %s] in the rule file", edition->value);
  t->id = g_strdup (optional (ld, "id"));
  t->name = g_strdup (optional (ld, "name"));
  t->edition = g_strdup (edition != NULL ? edition->value : "none");
  t->description = g_strdup (optional (ld, "description"));
  return compile_into (ld, "applies", FALSE, &t->applies, error) &&
         compile_into (ld, "paired", FALSE, &t->paired, error);
}

/* [exclude] of a template: when (a formula over the sized site, its lets
 * and roles included) and the reason a plan gives for leaving it out. */
static gboolean
load_template_exclude (const LpLoad *ld, LpTemplate *t, GError **error)
{
  static const char *const keys[] = { "when", "reason", NULL };

  if (!check_keys (ld, keys, keys, error))
    return FALSE;
  t->exclude_reason = g_strdup (optional (ld, "reason"));
  return compile_into (ld, "when", TRUE, &t->exclude, error);
}

/* Compiles every {EXPR} of a note's text, in order. */
static gboolean
compile_note_text (const LpLoad *ld, const LpKfEntry *e, LpNote *n, GError **error)
{
  const char *p = e->value;

  while ((p = strchr (p, '{')) != NULL) {
    const char *end = strchr (p, '}');
    g_autofree char *inner = NULL;
    LpExpr *x;
    if (end == NULL)
      return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, e->line, ld->group->name, e->key,
                              "a '{' without its '}'");
    inner = g_strndup (p + 1, (gsize) (end - p - 1));
    x = lp_expr_compile (inner, ld->rs->symtab, error);
    if (x == NULL)
      return lp_kf_prefix_error (error, ld->kf, ld->group, e);
    g_ptr_array_add (n->exprs, x);
    p = end + 1;
  }
  return TRUE;
}

/* [note ID] of a template: applies (optional) and text. */
static gboolean
load_template_note (const LpLoad *ld, LpTemplate *t, const char *id, GError **error)
{
  static const char *const keys[] = { "applies", "text", NULL };
  static const char *const req[] = { "text", NULL };
  LpNote *n;

  if (!check_keys (ld, keys, req, error))
    return FALSE;
  if (t->notes->len == LP_TEMPLATE_MAX_NOTES)
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, ld->group->line, ld->group->name, NULL,
                            "a template has at most %u notes", LP_TEMPLATE_MAX_NOTES);
  n = g_new0 (LpNote, 1);
  n->id = g_strdup (id);
  n->first = t->n_note_values;
  n->text = g_strdup (optional (ld, "text"));
  n->exprs = g_ptr_array_new_with_free_func ((GDestroyNotify) lp_expr_free);
  g_ptr_array_add (t->notes, n);
  if (!compile_into (ld, "applies", FALSE, &n->applies, error) ||
      !compile_note_text (ld, lp_kf_group_lookup (ld->group, "text"), n, error))
    return FALSE;
  t->n_note_values += n->exprs->len;
  return TRUE;
}

/* "users = internal, remote": the classes an [availability] component serves. */
static gboolean
avail_users (const LpLoad *ld, LpAvailRule *r, GError **error)
{
  const LpKfEntry *e = lp_kf_group_lookup (ld->group, "users");
  g_auto (GStrv) words = g_strsplit (e->value, ",", -1);

  for (guint i = 0; words[i] != NULL; i++) {
    g_strstrip (words[i]);
    if (strcmp (words[i], "internal") == 0)
      r->users |= LP_AVAIL_INTERNAL;
    else if (strcmp (words[i], "remote") == 0)
      r->users |= LP_AVAIL_REMOTE;
    else
      return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, e->line, ld->group->name, "users",
                              "expected internal, remote or both, got '%s'", words[i]);
  }
  return TRUE;
}

static gboolean
avail_kind (const LpLoad *ld, LpAvailRule *r, GError **error)
{
  const LpKfEntry *e = lp_kf_group_lookup (ld->group, "kind");

  if (strcmp (e->value, "k-of-n") == 0)
    r->kind = LP_AVAIL_K_OF_N;
  else if (strcmp (e->value, "pair") == 0)
    r->kind = LP_AVAIL_PAIR;
  else
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, e->line, ld->group->name, "kind",
                            "expected k-of-n or pair, got '%s'", e->value);
  if (r->kind == LP_AVAIL_PAIR && lp_kf_group_lookup (ld->group, "failover") == NULL)
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, ld->group->line, ld->group->name,
                            "failover", "missing key: a pair's failover takes time");
  return TRUE;
}

/* [availability ID] of a template: one component of a user's service. */
static gboolean
load_template_availability (const LpLoad *ld, LpTemplate *t, const char *id, GError **error)
{
  static const char *const keys[] = { "label",    "kind",      "users",        "applies",
                                      "servers",  "needed",    "failure-rate", "repair-time",
                                      "failover", "automatic", "patch-cycles", "patch-minutes",
                                      "cut",      "cut-joint", "cut-manual",   "cut-planned",
                                      NULL };
  static const char *const req[] = { "label",        "kind",        "users", "servers",
                                     "failure-rate", "repair-time", NULL };
  const LpKfEntry *needed = lp_kf_group_lookup (ld->group, "needed");
  LpAvailRule *r;

  if (!check_keys (ld, keys, req, error))
    return FALSE;
  r = g_new0 (LpAvailRule, 1);
  g_ptr_array_add (t->availability, r);
  r->id = g_strdup (id);
  r->label = g_strdup (optional (ld, "label"));
  r->where = where_line (ld, ld->group->line);
  r->cut[0] = g_strdup (optional (ld, "cut"));
  r->cut[1] = g_strdup (optional (ld, "cut-joint"));
  r->cut[2] = g_strdup (optional (ld, "cut-planned"));
  r->cut_manual = g_strdup (optional (ld, "cut-manual"));
  if (!avail_kind (ld, r, error) || !avail_users (ld, r, error))
    return FALSE;
  if (needed != NULL && strcmp (needed->value, "quorum") != 0 &&
      !compile_into (ld, "needed", TRUE, &r->needed, error))
    return FALSE;
  return compile_into (ld, "applies", FALSE, &r->applies, error) &&
         compile_into (ld, "servers", TRUE, &r->servers, error) &&
         compile_into (ld, "failure-rate", TRUE, &r->failure_rate, error) &&
         compile_into (ld, "repair-time", TRUE, &r->repair_time, error) &&
         compile_into (ld, "failover", FALSE, &r->failover, error) &&
         compile_into (ld, "automatic", FALSE, &r->automatic, error) &&
         compile_into (ld, "patch-cycles", FALSE, &r->patch_cycles, error) &&
         compile_into (ld, "patch-minutes", FALSE, &r->patch_minutes, error);
}

static gboolean
load_template_group (LpLoad *ld, LpTemplate *t, guint first_free_slot, GError **error)
{
  const char *name = ld->group->name;

  if (strcmp (name, "template") == 0)
    return load_template_header (ld, t, error);
  if (strcmp (name, "let") == 0)
    return load_lets (ld, t->lets, first_free_slot, error);
  if (strcmp (name, "roles") == 0)
    return load_template_roles (ld, t, error);
  if (strcmp (name, "pools") == 0)
    return load_template_pools (ld, t, error);
  if (strcmp (name, "exclude") == 0)
    return load_template_exclude (ld, t, error);
  if (g_str_has_prefix (name, "note ") && name[5] != '\0')
    return load_template_note (ld, t, name + 5, error);
  if (g_str_has_prefix (name, "availability ") && name[13] != '\0')
    return load_template_availability (ld, t, name + 13, error);
  return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, ld->group->line, name, NULL,
                          "unknown group: expected [template], [let], [roles], [pools], "
                          "[exclude], [note ID] or [availability ID]");
}

static gboolean
load_template (LpRuleset *rs, const char *path, guint first_free_slot, GError **error)
{
  static const char *const required_groups[] = { "template", "roles", NULL };
  g_autoptr (LpKeyfile) kf = lp_keyfile_load (path, LP_ERROR_RULES, error);
  LpTemplateAlloc *a;
  LpLoad ld = { .rs = rs, .kf = kf };

  if (kf == NULL)
    return FALSE;
  a = g_new0 (LpTemplateAlloc, 1);
  a->n_roles = rs->roles->len;
  a->t.file = g_strdup (path);
  a->t.display = display_name (path);
  a->t.lets = g_ptr_array_new_with_free_func (formula_free);
  a->t.roles = g_new0 (LpFormula *, rs->roles->len);
  a->t.licences = g_new (gint, rs->roles->len);
  for (guint r = 0; r < rs->roles->len; r++)
    a->t.licences[r] = -1;
  a->t.notes = g_ptr_array_new_with_free_func (note_free);
  a->t.availability = g_ptr_array_new_with_free_func (avail_rule_free);
  g_ptr_array_add (rs->templates, a);
  for (guint i = 0; required_groups[i] != NULL; i++) {
    gboolean found = FALSE;
    for (guint j = 0; j < kf->groups->len; j++)
      found |= strcmp (((LpKfGroup *) g_ptr_array_index (kf->groups, j))->name,
                       required_groups[i]) == 0;
    if (!found)
      return lp_kf_set_error (error, LP_ERROR_RULES, kf, 0, required_groups[i], NULL,
                              "missing group");
  }
  for (guint i = 0; i < kf->groups->len; i++) {
    ld.group = g_ptr_array_index (kf->groups, i);
    if (!load_template_group (&ld, &a->t, first_free_slot, error))
      return FALSE;
  }
  return TRUE;
}

/* The templates of the nearest rule set of the chain that names them, read
 * relative to its file. */
static gboolean
load_templates (LpRuleset *rs, const GPtrArray *files, GError **error)
{
  const LpKeyfile *kf = NULL;
  const LpKfGroup *g = NULL;
  const LpKfEntry *e = NULL;

  for (guint i = 0; i < files->len && e == NULL; i++) {
    kf = g_ptr_array_index (files, i);
    g = g_ptr_array_index (kf->groups, 0);
    e = lp_kf_group_lookup (g, "templates");
  }
  g_return_val_if_fail (e != NULL, FALSE); /* load_rule_set checked */
  {
    g_autofree char *name = display_name (kf->filename);
    rs->templates_where = g_strdup_printf ("%s:%u", name, e->line);
  }
  g_autofree char *parent = g_path_get_dirname (kf->filename);
  /* g_canonicalize_filename() takes only an absolute base: --rules-dir may be relative */
  g_autofree char *dir = g_canonicalize_filename (parent, NULL);
  g_auto (GStrv) paths = g_strsplit (e->value, ",", -1);
  guint first_free_slot = lp_symtab_size (rs->symtab);

  for (guint i = 0; paths[i] != NULL; i++) {
    g_autofree char *path = g_canonicalize_filename (g_strstrip (paths[i]), dir);
    g_autoptr (GError) local = NULL;
    if (paths[i][0] == '\0')
      continue;
    if (!load_template (rs, path, first_free_slot, &local)) {
      if (g_error_matches (local, LP_ERROR, LP_ERROR_IO))
        g_prefix_error (&local, "%s:%u: [%s] templates: ", kf->filename, e->line, g->name);
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  }
  if (rs->templates->len == 0)
    return lp_kf_set_error (error, LP_ERROR_RULES, kf, e->line, g->name, "templates",
                            "names no template");
  return TRUE;
}

/* ---- certificates and ports ---- */

static void
cert_rule_free (gpointer p)
{
  LpCertRule *c = p;
  g_free (c->id);
  g_free (c->label);
  g_array_unref (c->roles);
  g_free (c->subject);
  g_strfreev (c->san);
  g_free (c->note);
  g_free (c->source);
  g_free (c->where);
  g_free (c);
}

static void
port_rule_free (gpointer p)
{
  LpPortRule *r = p;
  g_free (r->id);
  g_array_unref (r->roles);
  g_free (r->from);
  g_free (r->to);
  g_free (r->port);
  g_free (r->protocol);
  g_free (r->purpose);
  g_free (r->source);
  g_free (r->where);
  g_free (r);
}

/* "roles = front-end, standard-edition": role ids of the rule file. */
static gboolean
name_roles (const LpLoad *ld, GArray *roles, GError **error)
{
  const LpKfEntry *e = lp_kf_group_lookup (ld->group, "roles");
  g_auto (GStrv) ids = g_strsplit (e->value, ",", -1);

  for (guint i = 0; ids[i] != NULL; i++) {
    guint role;
    g_autofree char *group = NULL;
    g_strstrip (ids[i]);
    group = g_strconcat ("role ", ids[i], NULL);
    if (g_hash_table_contains (ld->rs->removed, group))
      continue; /* a removed role has no servers: the row never applies */
    if (!find_role (ld->rs, ids[i], &role))
      return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, e->line, ld->group->name, "roles",
                              "no [role %s] in the rule file", ids[i]);
    g_array_append_val (roles, role);
  }
  return TRUE;
}

/* A name template's placeholders must be known ones, {dns:KEY} a [dns] key
 * and {servers:ROLE} a role id. */
static gboolean
check_name_template (const LpLoad *ld, const char *key, const char *text, GError **error)
{
  static const char *const names[] = { "domain",       "default-domain", "pool",
                                       "partner-pool", "member",         "pool-member",
                                       "site",         "site-name",      NULL };
  const LpKfEntry *e = lp_kf_group_lookup (ld->group, key);

  for (const char *p = strchr (text, '{'); p != NULL; p = strchr (p + 1, '{')) {
    const char *close = strchr (p, '}');
    g_autofree char *name = close ? g_strndup (p + 1, (gsize) (close - p - 1)) : g_strdup (p);
    guint role;
    gboolean ok = close != NULL && g_strv_contains (names, name);

    if (!ok && close != NULL && g_str_has_prefix (name, "dns:"))
      ok = g_hash_table_contains (ld->rs->dns, name + 4);
    if (!ok && close != NULL && g_str_has_prefix (name, "servers:")) {
      g_autofree char *group = g_strconcat ("role ", name + 8, NULL);
      ok = find_role (ld->rs, name + 8, &role) || g_hash_table_contains (ld->rs->removed, group);
    }
    if (!ok)
      return lp_kf_set_error (
        error, LP_ERROR_RULES, ld->kf, e->line, ld->group->name, key,
        "unknown placeholder '{%s%s': expected {domain}, "
        "{default-domain}, {pool}, {partner-pool}, {member}, {pool-member}, {site}, "
        "{site-name}, {servers:ROLE} or {dns:KEY}",
        name, close ? "}" : "");
  }
  return TRUE;
}

static gboolean
load_name_scope (const LpLoad *ld, LpNameScope *per, GError **error)
{
  static const char *const pers[] = { "pool", "site", NULL };
  guint v = 0;

  if (!parse_check_enum (ld, "per", pers, &v, error))
    return FALSE;
  *per = (LpNameScope) v;
  return TRUE;
}

/* [certificate ID]: the certificate the roles carry, its names and issuer. */
static gboolean
load_certificate (const LpLoad *ld, GError **error)
{
  static const char *const keys[] = { "label",  "roles", "per",    "subject", "san",
                                      "issuer", "note",  "source", NULL };
  static const char *const req[] = { "label", "roles", "subject", "issuer", "source", NULL };
  static const char *const issuers[] = { "internal", "public", NULL };
  LpCertRule *c = g_new0 (LpCertRule, 1);
  const char *san;
  guint issuer = 0;

  c->id = g_strdup (ld->name);
  c->where = where_line (ld, ld->group->line);
  c->roles = g_array_new (FALSE, FALSE, sizeof (guint));
  g_ptr_array_add (ld->rs->certificates, c);
  if (!check_keys (ld, keys, req, error) || !check_source (ld, optional (ld, "source"), error) ||
      !name_roles (ld, c->roles, error) || !load_name_scope (ld, &c->per, error) ||
      !parse_check_enum (ld, "issuer", issuers, &issuer, error) ||
      !check_name_template (ld, "subject", optional (ld, "subject"), error))
    return FALSE;
  c->public_ca = issuer == 1;
  c->label = g_strdup (optional (ld, "label"));
  c->subject = g_strdup (optional (ld, "subject"));
  c->note = g_strdup (optional (ld, "note"));
  c->source = g_strdup (optional (ld, "source"));
  san = optional (ld, "san");
  c->san = g_strsplit (san != NULL ? san : "", ",", -1);
  for (guint i = 0; c->san[i] != NULL; i++) {
    g_strstrip (c->san[i]);
    if (c->san[i][0] == '\0')
      return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf,
                              lp_kf_group_lookup (ld->group, "san")->line, ld->group->name, "san",
                              "an empty name: expected names separated by commas");
    if (!check_name_template (ld, "san", c->san[i], error))
      return FALSE;
  }
  return TRUE;
}

/* "443" or "50000-59999", ports 1 to 65535, the range rising. */
static gboolean
check_port (const LpLoad *ld, const char *text, GError **error)
{
  g_auto (GStrv) ends = g_strsplit (text, "-", 3);
  guint64 lo = 0, hi = 0;
  gboolean ok = g_ascii_string_to_unsigned (ends[0], 10, 1, 65535, &lo, NULL);

  if (ok && ends[1] != NULL)
    ok = ends[2] == NULL && g_ascii_string_to_unsigned (ends[1], 10, lo + 1, 65535, &hi, NULL);
  if (!ok)
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf,
                            lp_kf_group_lookup (ld->group, "port")->line, ld->group->name, "port",
                            "expected a port from 1 to 65535 or a range LOW-HIGH, got '%s'", text);
  return TRUE;
}

/* [port ID]: one firewall rule: from, to, port or range, protocol, purpose. */
static gboolean
load_port (const LpLoad *ld, GError **error)
{
  static const char *const keys[] = { "roles",    "per",     "from",   "to", "port",
                                      "protocol", "purpose", "source", NULL };
  static const char *const req[] = { "roles",    "from",    "to",     "port",
                                     "protocol", "purpose", "source", NULL };
  static const char *const protocols[] = { "TCP", "UDP", NULL };
  LpPortRule *r = g_new0 (LpPortRule, 1);
  guint protocol = 0;

  r->id = g_strdup (ld->name);
  r->where = where_line (ld, ld->group->line);
  r->roles = g_array_new (FALSE, FALSE, sizeof (guint));
  g_ptr_array_add (ld->rs->ports, r);
  if (!check_keys (ld, keys, req, error) || !check_source (ld, optional (ld, "source"), error) ||
      !name_roles (ld, r->roles, error) || !load_name_scope (ld, &r->per, error) ||
      !parse_check_enum (ld, "protocol", protocols, &protocol, error) ||
      !check_port (ld, optional (ld, "port"), error) ||
      !check_name_template (ld, "from", optional (ld, "from"), error) ||
      !check_name_template (ld, "to", optional (ld, "to"), error))
    return FALSE;
  r->from = g_strdup (optional (ld, "from"));
  r->to = g_strdup (optional (ld, "to"));
  r->port = g_strdup (optional (ld, "port"));
  r->protocol = g_strdup (protocols[protocol]);
  r->purpose = g_strdup (optional (ld, "purpose"));
  r->source = g_strdup (optional (ld, "source"));
  return TRUE;
}

/* ---- the rule file ---- */

typedef gboolean (*LpGroupLoader) (const LpLoad *ld, GError **error);

/* Group kinds, by the word their name starts with. Pass 0 reads [sources], so
 * every later group's source can be checked; pass 1 loads the values and tables
 * every formula may refer to; pass 2 compiles the rule file's formulas; pass 3
 * reads the certificate and port tables, which name roles and [dns] keys. */
static const struct {
  const char *kind;
  gboolean named; /* "[kind NAME]" rather than "[kind]" */
  guint pass;
  LpGroupLoader load;
} group_kinds[] = {
  { "rule-set", FALSE, 1, load_rule_set }, { "sources", FALSE, 0, load_sources },
  { "input", TRUE, 1, load_input },        { "constant", TRUE, 1, load_constant },
  { "role", TRUE, 1, load_role },          { "edition", TRUE, 1, load_edition },
  { "let", FALSE, 2, load_rule_lets },     { "check", TRUE, 2, load_check },
  { "failure", TRUE, 2, load_failure },    { "quorum", TRUE, 1, load_quorum },
  { "dns", FALSE, 2, load_dns },           { "data", TRUE, 2, load_data_class },
  { "storage", TRUE, 2, load_storage },    { "certificate", TRUE, 3, load_certificate },
  { "port", TRUE, 3, load_port },          { "licence", TRUE, 2, load_licence },
  { "availability", FALSE, 2, load_availability },
};

static gboolean
group_kind (const LpKeyfile *kf, const LpKfGroup *g, guint *kind, const char **name, GError **error)
{
  const char *space = strchr (g->name, ' ');
  gsize len = space != NULL ? (gsize) (space - g->name) : strlen (g->name);

  for (guint i = 0; i < G_N_ELEMENTS (group_kinds); i++) {
    if (strlen (group_kinds[i].kind) != len || strncmp (g->name, group_kinds[i].kind, len) != 0)
      continue;
    if (group_kinds[i].named != (space != NULL))
      return lp_kf_set_error (error, LP_ERROR_RULES, kf, g->line, g->name, NULL,
                              group_kinds[i].named ? "expected a name after '%s'"
                                                   : "'%s' takes no name",
                              group_kinds[i].kind);
    *kind = i;
    *name = space != NULL ? space + 1 : g->name;
    return TRUE;
  }
  return lp_kf_set_error (error, LP_ERROR_RULES, kf, g->line, g->name, NULL,
                          "unknown group: expected rule-set, sources, input, constant, role, "
                          "edition, let, check, failure, data, storage, quorum, dns, "
                          "certificate, port or availability");
}

/* The files of a rule set and the rule sets it extends, and the one rule
 * file they make together. */
typedef struct {
  GPtrArray *files;    /* of LpKeyfile, owned: the rule set's own first, then each parent */
  GHashTable *origin;  /* LpKfGroup -> the LpKeyfile it was read from */
  LpKeyfile *view;     /* its groups borrowed, in the order one file would hold them */
  GHashTable *removed; /* the group names a rule set of the chain removed */
} LpRuleFiles;

static void
rule_files_clear (LpRuleFiles *rf)
{
  g_clear_pointer (&rf->view, lp_keyfile_free);
  g_clear_pointer (&rf->origin, g_hash_table_unref);
  g_clear_pointer (&rf->files, g_ptr_array_unref);
  g_clear_pointer (&rf->removed, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LpRuleFiles, rule_files_clear)

static const LpKeyfile *
group_file (const LpRuleFiles *rf, const LpKfGroup *g)
{
  return g_hash_table_lookup (rf->origin, g);
}

static gboolean
load_pass (LpRuleset *rs, const LpRuleFiles *rf, guint pass, GError **error)
{
  for (guint i = 0; i < rf->view->groups->len; i++) {
    LpLoad ld = { .rs = rs, .group = g_ptr_array_index (rf->view->groups, i) };
    guint kind = 0;

    ld.kf = group_file (rf, ld.group);
    if (!group_kind (ld.kf, ld.group, &kind, &ld.name, error))
      return FALSE;
    if (group_kinds[kind].pass == pass && !group_kinds[kind].load (&ld, error))
      return FALSE;
  }
  return TRUE;
}

/* "choices = auto, editions": the word editions stands for the ids of the
 * rule set's [edition] groups, in file order. */
static void
expand_choices (LpRuleset *rs, LpInput *in)
{
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();

  for (guint i = 0; in->choices[i] != NULL; i++) {
    if (in->choices[i][0] == '\0')
      continue;
    if (strcmp (in->choices[i], "editions") != 0) {
      g_strv_builder_add (b, in->choices[i]);
      continue;
    }
    for (guint e = 0; e < rs->editions->len; e++)
      g_strv_builder_add (b, ((LpEdition *) g_ptr_array_index (rs->editions, e))->id);
  }
  g_strfreev (in->choices);
  in->choices = g_strv_builder_end (b);
}

/* Parses each input's default the way a scenario's value is parsed. */
static gboolean
resolve_inputs (LpRuleset *rs, const LpKeyfile *kf, GError **error)
{
  for (guint i = 0; i < rs->inputs->len; i++) {
    LpInput *in = g_ptr_array_index (rs->inputs, i);
    GError *local = NULL;

    if (in->choices != NULL)
      expand_choices (rs, in);
    in->var->type = in->type;
    if (!lp_input_parse (in, in->var->text, &in->var->value, &local)) {
      g_autofree char *group = g_strconcat ("input ", in->key, NULL);
      const LpKfGroup *g = lp_kf_find_group (kf, group);
      lp_kf_set_error (error, LP_ERROR_RULES, kf,
                       g != NULL ? lp_kf_group_lookup (g, "value")->line : 0, group, "value", "%s",
                       local->message);
      g_error_free (local);
      return FALSE;
    }
  }
  return TRUE;
}

/* An input the engine itself reads: it must be there, of this type and scope. */
static gboolean
engine_input (LpRuleset *rs, const LpKeyfile *kf, const char *key, LpValueType type, guint scope,
              guint *slot, const LpInput **input, GError **error)
{
  const LpInput *in = lp_ruleset_find_input (rs, key);
  g_autofree char *group = g_strconcat ("input ", key, NULL);

  if (in == NULL)
    return lp_kf_set_error (error, LP_ERROR_RULES, kf, 0, group, NULL,
                            "missing group: the engine reads the scenario's %s", key);
  if (in->type != type || (in->scope & scope) == 0) {
    const LpKfGroup *g = lp_kf_find_group (kf, group);
    return lp_kf_set_error (error, LP_ERROR_RULES, kf, g != NULL ? g->line : 0, group, NULL,
                            "the engine reads %s as a %s input of %s scope", key,
                            type == LP_VALUE_CHOICE    ? "choice"
                            : type == LP_VALUE_PERCENT ? "percent"
                                                       : "duration",
                            scope == LP_SCOPE_SITE ? "site" : "scenario");
  }
  *slot = in->var->slot;
  if (input != NULL)
    *input = in;
  return TRUE;
}

/* Which edition each word of the edition input asks for ("auto": none). */
static gboolean
map_edition_choices (LpRuleset *rs)
{
  const LpInput *in = lp_ruleset_find_input (rs, "edition");
  guint n = g_strv_length (in->choices);

  rs->edition_by_choice = g_new0 (const char *, n + 1);
  for (guint i = 0; i < n; i++) {
    const LpEdition *e = lp_ruleset_find_edition (rs, in->choices[i]);
    rs->edition_by_choice[i] = e != NULL ? e->id : NULL;
  }
  return TRUE;
}

static gboolean
check_rule_file (LpRuleset *rs, const LpKeyfile *kf, GError **error)
{
  const LpKfGroup *first = g_ptr_array_index (kf->groups, 0);

  if (strcmp (first->name, "rule-set") != 0)
    return lp_kf_set_error (error, LP_ERROR_RULES, kf, first->line, first->name, NULL,
                            "a rule file starts with a [rule-set] group");
  return resolve_inputs (rs, kf, error) &&
         engine_input (rs, kf, "remote-percent", LP_VALUE_PERCENT, LP_SCOPE_SITE,
                       &rs->slots.remote_percent, &rs->slots.remote_input, error) &&
         engine_input (rs, kf, "dr-rto", LP_VALUE_DURATION, LP_SCOPE_SCENARIO, &rs->slots.dr_rto,
                       &rs->slots.dr_rto_input, error) &&
         engine_input (rs, kf, "dr-rpo", LP_VALUE_DURATION, LP_SCOPE_SCENARIO, &rs->slots.dr_rpo,
                       &rs->slots.dr_rpo_input, error) &&
         engine_input (rs, kf, "edition", LP_VALUE_CHOICE, LP_SCOPE_SCENARIO, &rs->slots.edition,
                       NULL, error) &&
         map_edition_choices (rs);
}

static void
fill_defaults (LpRuleset *rs)
{
  rs->defaults = g_new0 (double, lp_symtab_size (rs->symtab));
  for (guint i = 0; i < rs->vars->len; i++) {
    const LpRuleVar *v = g_ptr_array_index (rs->vars, i);
    rs->defaults[v->slot] = v->value;
  }
}

static void
visit (LpExpr *e, LpExprFunc fn, gpointer data)
{
  if (e != NULL)
    fn (e, data);
}

static void
visit_formulas (GPtrArray *formulas, LpExprFunc fn, gpointer data)
{
  for (guint i = 0; i < formulas->len; i++)
    visit (((LpFormula *) g_ptr_array_index (formulas, i))->expr, fn, data);
}

void
lp_ruleset_foreach_expr (LpRuleset *rs, LpExprFunc fn, gpointer data)
{
  visit_formulas (rs->lets, fn, data);
  for (guint i = 0; i < rs->checks->len; i++) {
    LpCheck *c = g_ptr_array_index (rs->checks, i);
    visit (c->applies, fn, data);
    visit (c->target, fn, data);
    visit (c->achieved, fn, data);
    visit (c->shortfall, fn, data);
  }
  for (guint i = 0; i < rs->failures->len; i++) {
    LpFailure *f = g_ptr_array_index (rs->failures, i);
    visit (f->applies, fn, data);
    visit (f->automatic, fn, data);
    visit (f->response, fn, data);
    visit (f->rpo, fn, data);
    for (guint k = 0; k < f->n_steps; k++) {
      visit (f->steps[k].minutes, fn, data);
      visit (f->steps[k].when, fn, data);
    }
  }
  for (guint i = 0; i < rs->data_classes->len; i++) {
    LpDataClass *d = g_ptr_array_index (rs->data_classes, i);
    visit (d->applies, fn, data);
    visit (d->loss, fn, data);
  }
  for (guint i = 0; i < rs->storage->len; i++) {
    LpStorage *st = g_ptr_array_index (rs->storage, i);
    visit (st->applies, fn, data);
    visit (st->gb_per_year, fn, data);
  }
  for (guint i = 0; i < rs->templates->len; i++) {
    LpTemplate *t = g_ptr_array_index (rs->templates, i);
    visit (t->applies, fn, data);
    visit (t->paired, fn, data);
    visit_formulas (t->lets, fn, data);
    for (guint r = 0; r < rs->roles->len; r++)
      visit (t->roles[r] ? t->roles[r]->expr : NULL, fn, data);
    visit (t->pools.count, fn, data);
    visit (t->pools.capacity, fn, data);
    visit (t->pools.same_site_pairs, fn, data);
    visit (t->exclude, fn, data);
    for (guint k = 0; k < t->notes->len; k++) {
      LpNote *n = g_ptr_array_index (t->notes, k);
      visit (n->applies, fn, data);
      for (guint x = 0; x < n->exprs->len; x++)
        visit (g_ptr_array_index (n->exprs, x), fn, data);
    }
    for (guint k = 0; k < t->availability->len; k++) {
      LpAvailRule *r = g_ptr_array_index (t->availability, k);
      LpExpr *exprs[] = { r->applies,      r->servers,      r->needed,
                          r->failure_rate, r->repair_time,  r->failover,
                          r->automatic,    r->patch_cycles, r->patch_minutes };
      for (guint x = 0; x < G_N_ELEMENTS (exprs); x++)
        visit (exprs[x], fn, data);
    }
  }
  visit (rs->avail_year, fn, data);
  visit (rs->avail_planned_counted, fn, data);
}

static void
number_expr (LpExpr *e, gpointer data)
{
  guint *n = data;
  lp_expr_set_id (e, (*n)++);
}

/* ---- inheritance: [rule-set] extends and remove ---- */

/* Rule sets extend one another at most this deep: deeper is a cycle. */
#define LP_RULESET_MAX_DEPTH 8

static gint
view_find (const LpKeyfile *view, const char *name)
{
  for (guint i = 0; i < view->groups->len; i++)
    if (strcmp (((LpKfGroup *) g_ptr_array_index (view->groups, i))->name, name) == 0)
      return (gint) i;
  return -1;
}

static void
view_put (LpRuleFiles *rf, LpKfGroup *g, const LpKeyfile *kf)
{
  gint at = view_find (rf->view, g->name);
  gboolean adds = strcmp (g->name, "sources") == 0 || strcmp (g->name, "let") == 0;

  g_hash_table_insert (rf->origin, g, (gpointer) kf);
  if (at >= 0 && !adds)
    g_ptr_array_index (rf->view->groups, at) = g;
  else
    g_ptr_array_add (rf->view->groups, g);
}

/* "remove = role persistent-chat, role pchat-sql": groups inherited and left out. */
static gboolean
apply_removals (LpRuleFiles *rf, const LpKeyfile *kf, const LpKfEntry *e, GError **error)
{
  g_auto (GStrv) names = g_strsplit (e->value, ",", -1);

  for (guint i = 0; names[i] != NULL; i++) {
    gint at = view_find (rf->view, g_strstrip (names[i]));
    if (names[i][0] == '\0')
      continue;
    if (at < 0 || strcmp (names[i], "rule-set") == 0)
      return lp_kf_set_error (error, LP_ERROR_RULES, kf, e->line, "rule-set", "remove",
                              "'%s' names no group the rule set inherits", names[i]);
    g_ptr_array_remove_index (rf->view->groups, (guint) at);
    g_hash_table_add (rf->removed, g_strdup (names[i]));
  }
  return TRUE;
}

static gboolean rule_files_add (LpRuleFiles *rf, const char *path, guint depth, GError **error);

static gboolean
load_parent (LpRuleFiles *rf, const LpKeyfile *kf, const LpKfEntry *e, guint depth, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (kf->filename);
  g_autofree char *file = g_strconcat (e->value, ".rules", NULL);
  g_autofree char *path = g_build_filename (dir, file, NULL);

  if (depth >= LP_RULESET_MAX_DEPTH)
    return lp_kf_set_error (error, LP_ERROR_RULES, kf, e->line, "rule-set", "extends",
                            "rule sets extend one another more than %u deep (a cycle?)",
                            LP_RULESET_MAX_DEPTH);
  if (strchr (e->value, '/') != NULL || !g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return lp_kf_set_error (error, LP_ERROR_RULES, kf, e->line, "rule-set", "extends",
                            "no rule set '%s' beside this file (%s)", e->value, path);
  return rule_files_add (rf, path, depth + 1, error);
}

/* Reads @path and, first, the rule sets it extends: each group of a child
 * replaces the parent's of the same name in its place ([sources] and [let]
 * add to the parent's), a new one comes last, and remove drops inherited ones. */
static gboolean
rule_files_add (LpRuleFiles *rf, const char *path, guint depth, GError **error)
{
  LpKeyfile *kf = lp_keyfile_load (path, LP_ERROR_RULES, error);
  const LpKfGroup *first;
  const LpKfEntry *extends = NULL, *remove = NULL;

  if (kf == NULL)
    return FALSE;
  g_ptr_array_add (rf->files, kf);
  first = g_ptr_array_index (kf->groups, 0);
  if (strcmp (first->name, "rule-set") == 0) {
    extends = lp_kf_group_lookup (first, "extends");
    remove = lp_kf_group_lookup (first, "remove");
  }
  if (remove != NULL && extends == NULL)
    return lp_kf_set_error (error, LP_ERROR_RULES, kf, remove->line, "rule-set", "remove",
                            "only a rule set that extends another removes groups");
  if (extends != NULL && !load_parent (rf, kf, extends, depth, error))
    return FALSE;
  if (remove != NULL && !apply_removals (rf, kf, remove, error))
    return FALSE;
  for (guint i = 0; i < kf->groups->len; i++)
    view_put (rf, g_ptr_array_index (kf->groups, i), kf);
  return TRUE;
}

static gboolean
rule_files_load (LpRuleFiles *rf, const char *path, GError **error)
{
  rf->files = g_ptr_array_new_with_free_func ((GDestroyNotify) lp_keyfile_free);
  rf->origin = g_hash_table_new (g_direct_hash, g_direct_equal);
  rf->removed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  rf->view = g_new0 (LpKeyfile, 1);
  rf->view->filename = g_strdup (path);
  rf->view->groups = g_ptr_array_new ();
  rf->view->names = g_hash_table_new (g_str_hash, g_str_equal);
  if (!rule_files_add (rf, path, 0, error))
    return FALSE;
  for (guint i = 0; i < rf->view->groups->len; i++) {
    LpKfGroup *g = g_ptr_array_index (rf->view->groups, i);
    if (!g_hash_table_contains (rf->view->names, g->name))
      g_hash_table_insert (rf->view->names, g->name, g);
  }
  return TRUE;
}

LpRuleset *
lp_ruleset_load (const char *path, GError **error)
{
  g_auto (LpRuleFiles) rf = { NULL };
  g_autoptr (LpRuleset) rs = NULL;
  const LpKeyfile *kf;

  if (!rule_files_load (&rf, path, error))
    return NULL;
  kf = rf.view;
  rs = g_new0 (LpRuleset, 1);
  rs->path = g_strdup (path);
  rs->symtab = lp_symtab_new ();
  rs->vars = g_ptr_array_new_with_free_func (var_free);
  rs->inputs = g_ptr_array_new_with_free_func (input_free);
  rs->site_inputs = g_ptr_array_new ();
  rs->lets = g_ptr_array_new_with_free_func (formula_free);
  rs->checks = g_ptr_array_new_with_free_func (check_free);
  rs->roles = g_ptr_array_new_with_free_func (role_free);
  rs->templates = g_ptr_array_new_with_free_func (template_free);
  rs->editions = g_ptr_array_new_with_free_func (edition_free);
  rs->licences = g_ptr_array_new_with_free_func (licence_free);
  rs->failures = g_ptr_array_new_with_free_func (failure_free);
  rs->data_classes = g_ptr_array_new_with_free_func (data_class_free);
  rs->certificates = g_ptr_array_new_with_free_func (cert_rule_free);
  rs->ports = g_ptr_array_new_with_free_func (port_rule_free);
  rs->storage = g_ptr_array_new_with_free_func (storage_free);
  rs->dns = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  rs->sources = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  register_engine_slots (rs);
  rs->removed = g_hash_table_ref (rf.removed);
  if (!load_pass (rs, &rf, 0, error) || !load_pass (rs, &rf, 1, error) ||
      !check_rule_file (rs, kf, error) || !load_pass (rs, &rf, 2, error) ||
      !load_pass (rs, &rf, 3, error) || !load_templates (rs, rf.files, error) ||
      !bind_failures (rs, error))
    return NULL;
  fill_defaults (rs);
  collect_inputs (rs);
  lp_ruleset_foreach_expr (rs, number_expr, &rs->n_exprs);
  return g_steal_pointer (&rs);
}
