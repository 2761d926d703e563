/* lp-cli.h: the subcommands; main() only dispatches. Each returns an LpExit. */
#pragma once

#include <glib.h>

#include "lp-ruleset.h"

/**
 * lp_cli_plan:
 * @argc, @argv: the arguments after "plan" (argv[0] is "plan")
 *
 * Runs `lyncplan plan`; prints errors to stderr as one line.
 * Returns: an LpExit status.
 */
int lp_cli_plan (int argc, char **argv);

/**
 * lp_cli_rules:
 * Runs `lyncplan rules`: lists a rule set's inputs and constants.
 * Returns: an LpExit status.
 */
int lp_cli_rules (int argc, char **argv);

/**
 * lp_cli_check_options:
 * @entries: the subcommand's options, terminated by an entry with a NULL name
 * @argc, @argv: its arguments
 * @error: LP_ERROR_USAGE "unknown option --x (did you mean --y?)"
 *
 * GOption's own message names no alternative; this runs before it does.
 */
gboolean lp_cli_check_options (const GOptionEntry *entries, int argc, char **argv,
                               GError **error);

/**
 * lp_cli_load_ruleset:
 * @rules_dir: (nullable): folder of PRODUCT.rules files, or NULL for the
 *   default (the source tree's rules/ from a build tree, else the installed)
 * @product: a rule set id such as "lync2013"
 * @error: LP_ERROR_INPUT naming the rule sets there are, or a rules error
 *
 * Returns: (transfer full) (nullable): the loaded rule set.
 */
LpRuleset *lp_cli_load_ruleset (const char *rules_dir, const char *product, GError **error);

/**
 * lp_cli_fail:
 * @error: (transfer full): the error to report
 *
 * Prints "lyncplan: message" to stderr and frees @error.
 * Returns: the LpExit status for @error.
 */
int lp_cli_fail (GError *error);
