/* lp-ruleset-extends.c: inheritance: the files of a rule set and those it extends, as one. */
#include "lp-ruleset-load.h"

#include <string.h>

#include "lp-error.h"
#include "lp-keyfile.h"

void
lp_rule_files_clear (LpRuleFiles *rf)
{
  g_clear_pointer (&rf->view, lp_keyfile_free);
  g_clear_pointer (&rf->origin, g_hash_table_unref);
  g_clear_pointer (&rf->files, g_ptr_array_unref);
  g_clear_pointer (&rf->removed, g_hash_table_unref);
}

const LpKeyfile *
lp_rule_files_origin (const LpRuleFiles *rf, const LpKfGroup *g)
{
  return g_hash_table_lookup (rf->origin, g);
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

gboolean
lp_rule_files_load (LpRuleFiles *rf, const char *path, GError **error)
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
