/* lp-ruleset-templates.c: the templates a rule set names, and what their formulas read. */
#include "lp-ruleset-load.h"

#include <string.h>

#include "lp-error.h"
#include "lp-units.h"
#include "lp-keyfile.h"

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
void
lp_ruleset_collect_inputs (LpRuleset *rs)
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
    for (guint i = 0; i < rs->services->len; i++)
      add_inputs (tmpl->recovery_inputs,
                  ((LpService *) g_ptr_array_index (rs->services, i))->in_scope, NULL);
    collect_availability_inputs (rs, tmpl);
  }
}

static gboolean
step_error (const LpFailure *f, const LpFailureStep *st, gboolean needs, const char *word,
            const char *why, GError **error)
{
  g_set_error (error, LP_ERROR, LP_ERROR_RULES, "%s:%u: [failure %s] step-%u-%s: '%s': %s",
               f->templates_file, needs ? st->needs_line : st->restores_line, f->id, st->number,
               needs ? "needs" : "restores", word, why);
  return FALSE;
}

/* step-N-needs (earlier step numbers, or none) and step-N-restores
 * ([service] ids) as bit sets. */
static gboolean
bind_failure_steps (const LpRuleset *rs, LpFailure *f, GError **error)
{
  for (guint i = 0; i < f->n_steps; i++) {
    LpFailureStep *st = &f->steps[i];
    g_auto (GStrv) needs = lp_load_split_list (st->needs_text);
    g_auto (GStrv) restores = lp_load_split_list (st->restores_text);

    st->has_needs = st->needs_text != NULL;
    for (guint k = 0; needs[k] != NULL; k++) {
      guint j = 0;
      if (strcmp (needs[k], "none") == 0 && needs[1] == NULL)
        break;
      while (j < i && g_strcmp0 (needs[k], "") != 0 &&
             (guint) g_ascii_strtoull (needs[k], NULL, 10) != f->steps[j].number)
        j++;
      if (j == i)
        return step_error (f, st, TRUE, needs[k], "expected the number of an earlier step, or none",
                           error);
      st->needs |= 1u << j;
    }
    for (guint k = 0; restores[k] != NULL; k++) {
      guint c = 0;
      while (c < rs->services->len &&
             strcmp (((LpService *) g_ptr_array_index (rs->services, c))->id, restores[k]) != 0)
        c++;
      if (c == rs->services->len)
        return step_error (f, st, FALSE, restores[k], "no [service] of that id", error);
      st->restores |= 1u << c;
      f->timed_services = TRUE;
    }
  }
  return TRUE;
}

/* Checks the role ids of @f's roles key; a role the rule set removed leaves
 * the list (its row covers what is still built). */
static gboolean
bind_failure_roles (const LpRuleset *rs, LpFailure *f, GError **error)
{
  guint kept = 0, index;

  for (guint k = 0; f->roles[k] != NULL; k++) {
    g_autofree char *group = g_strconcat ("role ", f->roles[k], NULL);
    if (lp_load_find_role (rs, f->roles[k], &index)) {
      f->roles[kept++] = f->roles[k];
      continue;
    }
    if (!g_hash_table_contains (rs->removed, group)) {
      g_set_error (error, LP_ERROR, LP_ERROR_RULES,
                   "%s:%u: [failure %s] roles: no role '%s' in the rule set", f->templates_file,
                   f->roles_line, f->id, f->roles[k]);
      return FALSE;
    }
    g_free (f->roles[k]);
  }
  f->roles[kept] = NULL;
  return TRUE;
}

/* Which templates each [failure] row belongs to, once the templates are
 * known: those its templates key names (else all), of its edition if given. */
gboolean
lp_ruleset_bind_failures (LpRuleset *rs, GError **error)
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
    if (!bind_failure_roles (rs, f, error) || !bind_failure_steps (rs, f, error))
      return FALSE;
  }
  return TRUE;
}

/* ---- templates ---- */

static gboolean
load_template_roles (const LpLoad *ld, LpTemplate *t, GError **error)
{
  for (guint i = 0; i < ld->group->entries->len; i++) {
    const LpKfEntry *e = g_ptr_array_index (ld->group->entries, i);
    LpFormula *f;
    guint role;

    g_autofree char *group = g_strconcat ("role ", e->key, NULL);

    if (!lp_load_find_role (ld->rs, e->key, &role) &&
        g_hash_table_contains (ld->rs->removed, group))
      continue; /* the rule set removed the role: no template builds it */
    if (!lp_load_find_role (ld->rs, e->key, &role)) {
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
    f->where = lp_load_where (ld, e);
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

  if (!lp_load_check_keys (ld, keys, req, error))
    return FALSE;
  role = lp_kf_group_lookup (ld->group, "role");
  if (!lp_load_find_role (ld->rs, role->value, &t->pools.role) || t->roles[t->pools.role] == NULL)
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, role->line, ld->group->name, "role",
                            "expected a role of the template's [roles] group, got '%s'",
                            role->value);
  t->pools.defined = TRUE;
  return lp_load_compile (ld, "count", FALSE, &t->pools.count, error) &&
         lp_load_compile (ld, "capacity", TRUE, &t->pools.capacity, error) &&
         lp_load_compile (ld, "same-site-pairs", FALSE, &t->pools.same_site_pairs, error);
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
  static const char *const keys[] = { "id",       "name",       "edition",     "description",
                                      "applies",  "paired",     "back-end-ha", "kind",
                                      "licences", "without-dr", NULL };
  static const char *const req[] = { "id", "name", "description", NULL };
  static const char *const methods[] = { "sql-mirroring", "always-on-ag", "failover-cluster",
                                         "none", NULL };
  const LpKfEntry *edition, *ha, *kind;

  if (!lp_load_check_keys (ld, keys, req, error))
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
    return lp_load_required (ld, "edition", error) != NULL;
  if (edition != NULL && t->branch)
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, edition->line, ld->group->name,
                            "edition", "a design for branch sites (kind = branch) has no edition");
  if (edition != NULL && lp_ruleset_find_edition (ld->rs, edition->value) == NULL)
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, edition->line, ld->group->name,
                            "edition", "no [edition %s] in the rule file", edition->value);
  t->id = g_strdup (lp_load_optional (ld, "id"));
  t->name = g_strdup (lp_load_optional (ld, "name"));
  t->edition = g_strdup (edition != NULL ? edition->value : "none");
  t->description = g_strdup (lp_load_optional (ld, "description"));
  return lp_load_compile (ld, "applies", FALSE, &t->applies, error) &&
         lp_load_compile (ld, "paired", FALSE, &t->paired, error) &&
         lp_load_compile (ld, "without-dr", FALSE, &t->without_dr, error);
}

/* [exclude] of a template: when (a formula over the sized site, its lets
 * and roles included) and the reason a plan gives for leaving it out. */
static gboolean
load_template_exclude (const LpLoad *ld, LpTemplate *t, GError **error)
{
  static const char *const keys[] = { "when", "reason", NULL };

  if (!lp_load_check_keys (ld, keys, keys, error))
    return FALSE;
  t->exclude_reason = g_strdup (lp_load_optional (ld, "reason"));
  return lp_load_compile (ld, "when", TRUE, &t->exclude, error);
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

  if (!lp_load_check_keys (ld, keys, req, error))
    return FALSE;
  if (t->notes->len == LP_TEMPLATE_MAX_NOTES)
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, ld->group->line, ld->group->name, NULL,
                            "a template has at most %u notes", LP_TEMPLATE_MAX_NOTES);
  n = g_new0 (LpNote, 1);
  n->id = g_strdup (id);
  n->first = t->n_note_values;
  n->text = g_strdup (lp_load_optional (ld, "text"));
  n->exprs = g_ptr_array_new_with_free_func ((GDestroyNotify) lp_expr_free);
  g_ptr_array_add (t->notes, n);
  if (!lp_load_compile (ld, "applies", FALSE, &n->applies, error) ||
      !compile_note_text (ld, lp_kf_group_lookup (ld->group, "text"), n, error))
    return FALSE;
  t->n_note_values += n->exprs->len;
  return TRUE;
}

/* [figure ID] of a template: applies (optional) and at least one member, MEMBER = EXPR,
 * in file order. */
static gboolean
load_template_figure (const LpLoad *ld, LpTemplate *t, const char *id, GError **error)
{
  g_autoptr (GStrvBuilder) members = g_strv_builder_new ();
  LpNote *n;

  if (t->figures->len == LP_TEMPLATE_MAX_NOTES)
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, ld->group->line, ld->group->name, NULL,
                            "a template has at most %u figures", LP_TEMPLATE_MAX_NOTES);
  n = g_new0 (LpNote, 1);
  n->id = g_strdup (id);
  n->first = t->n_note_values;
  n->exprs = g_ptr_array_new_with_free_func ((GDestroyNotify) lp_expr_free);
  g_ptr_array_add (t->figures, n);
  if (!lp_load_compile (ld, "applies", FALSE, &n->applies, error))
    return FALSE;
  for (guint k = 0; k < ld->group->entries->len; k++) {
    const LpKfEntry *e = g_ptr_array_index (ld->group->entries, k);
    LpExpr *x;
    if (strcmp (e->key, "applies") == 0)
      continue;
    x = lp_expr_compile (e->value, ld->rs->symtab, error);
    if (x == NULL)
      return lp_kf_prefix_error (error, ld->kf, ld->group, e);
    g_ptr_array_add (n->exprs, x);
    g_strv_builder_add (members, e->key);
  }
  n->members = g_strv_builder_end (members);
  if (n->exprs->len == 0)
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, ld->group->line, ld->group->name, NULL,
                            "a figure needs at least one member (MEMBER = EXPR)");
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

  if (!lp_load_check_keys (ld, keys, req, error))
    return FALSE;
  r = g_new0 (LpAvailRule, 1);
  g_ptr_array_add (t->availability, r);
  r->id = g_strdup (id);
  r->label = g_strdup (lp_load_optional (ld, "label"));
  r->where = lp_load_where_line (ld, ld->group->line);
  r->cut[0] = g_strdup (lp_load_optional (ld, "cut"));
  r->cut[1] = g_strdup (lp_load_optional (ld, "cut-joint"));
  r->cut[2] = g_strdup (lp_load_optional (ld, "cut-planned"));
  r->cut_manual = g_strdup (lp_load_optional (ld, "cut-manual"));
  if (!avail_kind (ld, r, error) || !avail_users (ld, r, error))
    return FALSE;
  if (needed != NULL && strcmp (needed->value, "quorum") != 0 &&
      !lp_load_compile (ld, "needed", TRUE, &r->needed, error))
    return FALSE;
  return lp_load_compile (ld, "applies", FALSE, &r->applies, error) &&
         lp_load_compile (ld, "servers", TRUE, &r->servers, error) &&
         lp_load_compile (ld, "failure-rate", TRUE, &r->failure_rate, error) &&
         lp_load_compile (ld, "repair-time", TRUE, &r->repair_time, error) &&
         lp_load_compile (ld, "failover", FALSE, &r->failover, error) &&
         lp_load_compile (ld, "automatic", FALSE, &r->automatic, error) &&
         lp_load_compile (ld, "patch-cycles", FALSE, &r->patch_cycles, error) &&
         lp_load_compile (ld, "patch-minutes", FALSE, &r->patch_minutes, error);
}

static gboolean
load_template_group (LpLoad *ld, LpTemplate *t, guint first_free_slot, GError **error)
{
  const char *name = ld->group->name;

  if (strcmp (name, "template") == 0)
    return load_template_header (ld, t, error);
  if (strcmp (name, "let") == 0)
    return lp_load_lets (ld, t->lets, first_free_slot, error);
  if (strcmp (name, "roles") == 0)
    return load_template_roles (ld, t, error);
  if (strcmp (name, "pools") == 0)
    return load_template_pools (ld, t, error);
  if (strcmp (name, "exclude") == 0)
    return load_template_exclude (ld, t, error);
  if (g_str_has_prefix (name, "note ") && name[5] != '\0')
    return load_template_note (ld, t, name + 5, error);
  if (g_str_has_prefix (name, "figure ") && name[7] != '\0')
    return load_template_figure (ld, t, name + 7, error);
  if (g_str_has_prefix (name, "availability ") && name[13] != '\0')
    return load_template_availability (ld, t, name + 13, error);
  return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, ld->group->line, name, NULL,
                          "unknown group: expected [template], [let], [roles], [pools], "
                          "[exclude], [note ID], [figure ID], [availability ID] or "
                          "[include FILE.inc]");
}

/* An included file includes others at most this deep: deeper is a cycle. */
#define LP_INCLUDE_MAX_DEPTH 4

static gboolean load_template_groups (LpLoad *ld, LpTemplate *t, guint first_free_slot, guint depth,
                                      GError **error);

/* [include FILE.inc]: the groups of FILE.inc, a file beside the template, are
 * loaded in its place, so a group several templates share is written once. */
static gboolean
load_include (const LpLoad *ld, LpTemplate *t, guint first_free_slot, guint depth, GError **error)
{
  static const char *const none[] = { NULL };
  const char *name = ld->group->name + strlen ("include ");
  g_autofree char *dir = g_path_get_dirname (ld->kf->filename);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (LpKeyfile) kf = NULL;
  g_autoptr (GError) local = NULL;
  LpLoad inner = { .rs = ld->rs };

  if (!lp_load_check_keys (ld, none, none, error))
    return FALSE;
  if (strchr (name, '/') != NULL || !g_str_has_suffix (name, ".inc"))
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, ld->group->line, ld->group->name, NULL,
                            "expected the name of a .inc file beside the template");
  if (depth >= LP_INCLUDE_MAX_DEPTH)
    return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, ld->group->line, ld->group->name, NULL,
                            "files include one another more than %u deep (a cycle?)",
                            LP_INCLUDE_MAX_DEPTH);
  kf = lp_keyfile_load (path, LP_ERROR_RULES, &local);
  if (kf == NULL) {
    if (g_error_matches (local, LP_ERROR, LP_ERROR_IO))
      g_prefix_error (&local, "%s:%u: [%s]: ", ld->kf->filename, ld->group->line, ld->group->name);
    g_propagate_error (error, g_steal_pointer (&local));
    return FALSE;
  }
  if (lp_kf_find_group (kf, "template") != NULL)
    return lp_kf_set_error (error, LP_ERROR_RULES, kf, lp_kf_find_group (kf, "template")->line,
                            "template", NULL, "an included file holds no [template]");
  lp_words_apply (ld->rs, kf);
  inner.kf = kf;
  return load_template_groups (&inner, t, first_free_slot, depth + 1, error);
}

/* Loads the groups of @ld->kf in file order, an [include] in its place. */
static gboolean
load_template_groups (LpLoad *ld, LpTemplate *t, guint first_free_slot, guint depth, GError **error)
{
  for (guint i = 0; i < ld->kf->groups->len; i++) {
    ld->group = g_ptr_array_index (ld->kf->groups, i);
    if (g_str_has_prefix (ld->group->name, "include ")) {
      if (!load_include (ld, t, first_free_slot, depth, error))
        return FALSE;
    } else if (!load_template_group (ld, t, first_free_slot, error)) {
      return FALSE;
    }
  }
  return TRUE;
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
  lp_words_apply (rs, kf);
  a = g_new0 (LpTemplateAlloc, 1);
  a->n_roles = rs->roles->len;
  a->t.file = g_strdup (path);
  a->t.display = lp_load_display_name (path);
  a->t.lets = g_ptr_array_new_with_free_func (lp_formula_free);
  a->t.roles = g_new0 (LpFormula *, rs->roles->len);
  a->t.licences = g_new (gint, rs->roles->len);
  for (guint r = 0; r < rs->roles->len; r++)
    a->t.licences[r] = -1;
  a->t.notes = g_ptr_array_new_with_free_func (lp_note_free);
  a->t.figures = g_ptr_array_new_with_free_func (lp_note_free);
  a->t.availability = g_ptr_array_new_with_free_func (lp_avail_rule_free);
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
  return load_template_groups (&ld, &a->t, first_free_slot, 0, error);
}

/* The templates of the nearest rule set of the chain that names them, read
 * relative to its file. */
gboolean
lp_load_templates (LpRuleset *rs, const GPtrArray *files, GError **error)
{
  const LpKeyfile *kf = NULL;
  const LpKfGroup *g = NULL;
  const LpKfEntry *e = NULL;

  for (guint i = 0; i < files->len && e == NULL; i++) {
    kf = g_ptr_array_index (files, i);
    g = g_ptr_array_index (kf->groups, 0);
    e = lp_kf_group_lookup (g, "templates");
  }
  g_return_val_if_fail (e != NULL, FALSE); /* lp_load_rule_set checked */
  {
    g_autofree char *name = lp_load_display_name (kf->filename);
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
