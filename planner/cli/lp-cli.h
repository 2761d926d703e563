/* lp-cli.h: the subcommands; main() only dispatches. Each returns an LpExit. */
#pragma once

#include <glib.h>

#include "lp-output.h"
#include "lp-products.h"
#include "lp-scenario.h"

/**
 * lp_cli_plan:
 * @argc, @argv: the arguments after "plan" (argv[0] is "plan")
 *
 * Runs `lyncplan plan`; prints errors to stderr as one line.
 * Returns: an LpExit status.
 */
int lp_cli_plan (int argc, char **argv);

/**
 * lp_cli_sweep:
 * Runs `lyncplan sweep`: plans every combination of varied inputs.
 * Returns: an LpExit status.
 */
int lp_cli_sweep (int argc, char **argv);

/**
 * lp_cli_rules:
 * Runs `lyncplan rules`: lists a rule set's inputs and constants.
 * Returns: an LpExit status.
 */
int lp_cli_rules (int argc, char **argv);

/**
 * lp_cli_diff:
 * Runs `lyncplan diff`: exits 0 when two scenarios' plans are the same, 1
 * when they differ, 2 on trouble (diff(1)'s statuses, not an LpExit).
 */
int lp_cli_diff (int argc, char **argv);

/**
 * lp_cli_simulate:
 * `lyncplan simulate [SCENARIO.ini] [--years N] [--seed S] [--format text|json]`:
 * plans the scenario and simulates the chosen design's availability.
 *
 * Returns: an LpExit.
 */
int lp_cli_simulate (int argc, char **argv);

/* lp_cli_plan_formats, lp_cli_sweep_formats, lp_cli_diff_formats,
 * lp_cli_simulate_formats: print the command's --format values, one a
 * line, from its writer table (`lyncplan COMMAND --list-formats`, for bash
 * completion). */
void lp_cli_plan_formats (void);
void lp_cli_sweep_formats (void);
void lp_cli_diff_formats (void);
void lp_cli_simulate_formats (void);

/**
 * lp_cli_shell:
 * Runs `lyncplan shell`: an interactive session over one scenario.
 * Returns: an LpExit status.
 */
int lp_cli_shell (int argc, char **argv);

/**
 * lp_cli_check_options:
 * @entries: the subcommand's options, terminated by an entry with a NULL name
 * @argc, @argv: its arguments
 * @error: LP_ERROR_USAGE "unknown option --x (did you mean --y?)"
 *
 * GOption's own message names no alternative; this runs before it does.
 */
gboolean lp_cli_check_options (const GOptionEntry *entries, int argc, char **argv, GError **error);

/* The scenario options that `plan` and `sweep` share. Their --KEY options
 * come from a rule set's inputs, so lp_cli_scenario_prepare() loads it first. */
typedef struct {
  char **sites;
  char **sets;
  char *product;
  char *rules_dir;
  char *prices;
  LpRuleset *rs;            /* owned: the rule set the options were made from */
  char **input_texts;       /* per input of @rs: --KEY's value, or NULL */
  gboolean *input_switches; /* per input of @rs: a yes/no --KEY (1), --no-KEY (0), or -1 */
  char *site_usage;         /* what --site takes */
  LpKeyfile *scenario;      /* nullable, owned: the scenario file, read once */
  LpRuleset *scenario_rs;   /* what scenarios are built with: @rs, or (owned) the rule
                            * set the scenario file's product names */
} LpScenarioOptions;

/**
 * lp_cli_scenario_prepare:
 * @o: zeroed options
 * @argc, @argv: the subcommand's arguments, before option parsing
 * @error: LP_ERROR_INPUT for an unknown product, or the rule set's errors
 *
 * Loads the rule set --product and --rules-dir name (lync2013 by default),
 * whose inputs become options. Call before lp_cli_scenario_entries().
 */
gboolean lp_cli_scenario_prepare (LpScenarioOptions *o, int argc, char **argv, GError **error);

/**
 * lp_cli_scenario_help:
 * Returns: (transfer full): the paragraph of --help that lists the keys of
 *   [scenario] and [site NAME] in @rs's vocabulary, wrapped, ending in a newline.
 */
char *lp_cli_scenario_help (const LpRuleset *rs);

/**
 * lp_cli_sweep_keys_help:
 * Returns: (transfer full): "KEY is users ... or a rule constant ...", wrapped,
 *   without a final newline.
 */
char *lp_cli_sweep_keys_help (const LpRuleset *rs);

/**
 * lp_cli_scenario_entries:
 * @o: where the options land, prepared
 * @n: (out): the number of entries, not counting the final NULL one
 *
 * Returns: (transfer full): the entries, NULL-terminated; g_free() them.
 */
GOptionEntry *lp_cli_scenario_entries (LpScenarioOptions *o, guint *n);

/* Frees what @o owns (texts, rule sets, the scenario file); @o itself is the
 * caller's. */
void lp_cli_scenario_options_clear (LpScenarioOptions *o);

/**
 * lp_cli_entries_with_scenario:
 * @own: a subcommand's own entries, @n_own of them counting the final NULL one
 *
 * Returns: (transfer full): the scenario entries followed by @own; g_free() it.
 */
GOptionEntry *lp_cli_entries_with_scenario (LpScenarioOptions *o, const GOptionEntry *own,
                                            gsize n_own);

/**
 * lp_cli_build_scenario:
 * @argc, @argv: the subcommand's arguments left after option parsing: at most
 *   one scenario file ("-": standard input), read once and kept in @o
 * @error: LP_ERROR_USAGE, or the scenario's errors
 *
 * Returns: (transfer full) (nullable): the scenario file, flags applied,
 *   speaking @o->scenario_rs.
 */
LpScenario *lp_cli_build_scenario (LpScenarioOptions *o, int argc, char **argv, GError **error);

/**
 * lp_cli_load_inputs:
 * @rs: (out) (transfer none): the rule set the scenario speaks, owned by @o
 *
 * Binds @sc to its rule set and loads the price list if given.
 */
gboolean lp_cli_load_inputs (const LpScenarioOptions *o, LpScenario *sc, const LpRuleset **rs,
                             GError **error);

/* Scenario, price list, rule file, and the entry that ends the list. */
#define LP_CLI_MAX_INPUTS 4

/**
 * lp_cli_input_files:
 * @sc: the scenario, with its price list loaded
 * @rs: its rule set
 * @inputs: (out caller-allocates): LP_CLI_MAX_INPUTS entries to fill: the
 *   files being read, which no output may replace; they borrow from @sc and @rs
 */
void lp_cli_input_files (const LpScenario *sc, const LpRuleset *rs, LpInputFile *inputs);

/**
 * lp_cli_parse:
 * @entries: all the subcommand's entries, for did-you-mean suggestions
 * @help: (out): set when --help was asked for and printed: the command is done
 *
 * Parses options; errors become one LP_ERROR_USAGE line.
 */
gboolean lp_cli_parse (GOptionContext *ctx, const GOptionEntry *entries, int *argc, char ***argv,
                       gboolean *help, GError **error);

/**
 * lp_cli_printable:
 * @text: a message or an output that may quote what the user typed
 * @keep_newlines: whether a line feed stays one (an output of many lines)
 *
 * Returns: (transfer full): @text with control characters and bytes that
 *   are not UTF-8 written as \xHH or \uHHHH, so that a terminal never runs
 *   an escape sequence a name or a command carried.
 */
char *lp_cli_printable (const char *text, gboolean keep_newlines);

/**
 * lp_cli_fail:
 * @error: (transfer full): the error to report
 *
 * Prints "lyncplan: message" to stderr and frees @error.
 * Returns: the LpExit status for @error.
 */
int lp_cli_fail (GError *error);
