/* lp-ruleset-load.c: helpers every loader of a rule file or template group uses. */
#include "lp-ruleset-load.h"

#include <string.h>

#include "lp-error.h"
#include "lp-keyfile.h"

/* ---- loading helpers ---- */

/* "rules/lync2013.rules" for ".../rules/../templates/x.tmpl" style paths: the
 * trace names data files the same way on every machine. */
char *
lp_load_display_name (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *parent = g_path_get_basename (dir);

  return g_build_filename (parent, base, NULL);
}

const char *
lp_load_required (const LpLoad *ld, const char *key, GError **error)
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

char *
lp_load_where (const LpLoad *ld, const LpKfEntry *e)
{
  g_autofree char *name = lp_load_display_name (ld->kf->filename);
  return g_strdup_printf ("%s:%u", name, e->line);
}

char *
lp_load_where_line (const LpLoad *ld, guint line)
{
  g_autofree char *name = lp_load_display_name (ld->kf->filename);
  return g_strdup_printf ("%s:%u", name, line);
}

const char *
lp_load_optional (const LpLoad *ld, const char *key)
{
  const LpKfEntry *e = lp_kf_group_lookup (ld->group, key);
  return e != NULL ? e->value : NULL;
}

gboolean
lp_load_check_keys (const LpLoad *ld, const char *const *allowed, const char *const *req,
                    GError **error)
{
  return lp_kf_group_check_keys (ld->kf, ld->group, allowed, req, LP_ERROR_RULES, error);
}

/* A source is "assumption: why", or [sources] keys separated by commas,
 * optionally followed by ": remark". */
gboolean
lp_load_check_source (const LpLoad *ld, const char *text, GError **error)
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
gboolean
lp_load_compile (const LpLoad *ld, const char *key, gboolean is_required, LpExpr **out,
                 GError **error)
{
  const LpKfEntry *e = lp_kf_group_lookup (ld->group, key);

  *out = NULL;
  if (e == NULL || e->value[0] == '\0')
    return !is_required || lp_load_required (ld, key, error) != NULL;
  *out = lp_expr_compile (e->value, ld->rs->symtab, error);
  if (*out == NULL)
    return lp_kf_prefix_error (error, ld->kf, ld->group, e);
  return TRUE;
}

gboolean
lp_load_find_role (const LpRuleset *rs, const char *id, guint *index)
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

/* [let] groups: each entry names a value computed from the names before it.
 * Names below @first_free_slot belong to the rule set and may not be reused. */
gboolean
lp_load_lets (const LpLoad *ld, GPtrArray *into, guint first_free_slot, GError **error)
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
    f->where = lp_load_where (ld, e);
    f->expr = lp_expr_compile (e->value, ld->rs->symtab, error);
    g_ptr_array_add (into, f);
    if (f->expr == NULL)
      return lp_kf_prefix_error (error, ld->kf, ld->group, e);
    f->slot = lp_symtab_add (ld->rs->symtab, e->key);
  }
  return TRUE;
}

gboolean
lp_load_enum (const LpLoad *ld, const char *key, const char *const *names, guint *out,
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
