/* lp-products.c: the rule sets of a folder; see lp-products.h. */
#include "lp-products.h"

#include <string.h>

#include "lp-error.h"
#include "lp-process.h"

char *
lp_rules_folder (const char *rules_dir)
{
  g_autofree char *datadir = NULL;

  if (rules_dir != NULL)
    return g_strdup (rules_dir);
  datadir = lp_datadir ();
  return g_build_filename (datadir, "rules", NULL);
}

static gint
compare_ids (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

GPtrArray *
lp_ruleset_ids (const char *rules_dir)
{
  g_autofree char *dir = lp_rules_folder (rules_dir);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL) {
    if (g_str_has_suffix (name, ".rules"))
      g_ptr_array_add (ids, g_strndup (name, strlen (name) - strlen (".rules")));
  }
  g_ptr_array_sort (ids, compare_ids);
  return ids;
}

LpRuleset *
lp_ruleset_load_product (const char *rules_dir, const char *product, GError **error)
{
  g_autofree char *dir = lp_rules_folder (rules_dir);
  g_autofree char *file = g_strconcat (product, ".rules", NULL);
  g_autofree char *path = g_build_filename (dir, file, NULL);

  if (strchr (product, '/') != NULL || !g_file_test (path, G_FILE_TEST_IS_REGULAR)) {
    g_autoptr (GPtrArray) ids = lp_ruleset_ids (rules_dir);
    g_autofree char *known = NULL;
    g_ptr_array_add (ids, NULL);
    known = ids->len > 1 ? g_strjoinv (", ", (char **) ids->pdata) : g_strdup ("none");
    g_set_error (error, LP_ERROR, LP_ERROR_INPUT, "no rule set '%s' in %s (there are: %s)", product,
                 dir, known);
    return NULL;
  }
  return lp_ruleset_load (path, error);
}
