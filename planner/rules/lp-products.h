/* lp-products.h: the rule sets of a folder, one PRODUCT.rules file each. */
#pragma once

#include "lp-ruleset.h"

/**
 * lp_rules_folder:
 * @rules_dir: (nullable): a folder of PRODUCT.rules files, or NULL for the
 *   default (the source tree's rules/ from a build tree, else the installed)
 *
 * Returns: (transfer full): the folder the rule sets are read from.
 */
char *lp_rules_folder (const char *rules_dir);

/**
 * lp_ruleset_ids:
 * @rules_dir: (nullable): as for lp_rules_folder()
 *
 * Returns: (transfer full): the ids of the folder's rule sets (each
 *   PRODUCT.rules file's PRODUCT), sorted; empty when there are none or the
 *   folder cannot be read.
 */
GPtrArray *lp_ruleset_ids (const char *rules_dir);

/**
 * lp_ruleset_load_product:
 * @rules_dir: (nullable): as for lp_rules_folder()
 * @product: a rule set id such as "lync2013"
 * @error: LP_ERROR_INPUT naming the rule sets there are, or a rules error
 *
 * Returns: (transfer full) (nullable): the loaded rule set.
 */
LpRuleset *lp_ruleset_load_product (const char *rules_dir, const char *product, GError **error);
