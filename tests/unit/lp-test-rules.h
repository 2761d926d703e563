/* lp-test-rules.h: loading a rule file in a cmocka test (include it after
 * cmocka.h; the test needs the rules stage's headers). */
#pragma once

#include <glib.h>

#include "lp-ruleset.h"

/* The rule file of @product ("lync2013": rules/lync2013.rules) under @root
 * (NULL: the source tree, LP_SOURCE_ROOT), loaded; the test fails with the
 * loader's message when it does not load.
 * Returns: (transfer full): the rule set. */
static inline LpRuleset *
lp_test_load_rules (const char *root, const char *product)
{
  g_autofree char *file = g_strconcat (product, ".rules", NULL);
  g_autofree char *path = g_build_filename (root != NULL ? root : g_getenv ("LP_SOURCE_ROOT"),
                                            "rules", file, NULL);
  g_autoptr (GError) error = NULL;
  LpRuleset *rs = lp_ruleset_load (path, &error);

  if (rs == NULL)
    fail_msg ("%s", error->message);
  return rs;
}
