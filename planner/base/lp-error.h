/* lp-error.h: the one error domain of lyncplan and the exit statuses it maps to. */
#pragma once

#include <glib.h>

#define LP_ERROR (lp_error_quark ())

/**
 * LpError:
 * @LP_ERROR_IO: a file could not be read or written (exit 1)
 * @LP_ERROR_USAGE: the command line is wrong (exit 2)
 * @LP_ERROR_INPUT: a scenario file or scenario flag is wrong (exit 2)
 * @LP_ERROR_RULES: a rule or template file is wrong, or a rule evaluated to
 *   something that is not a count or a duration (exit 2)
 * @LP_ERROR_INVARIANT: a plan breaks an invariant of its topology model, a
 *   bug of the planner or its rule set (exit 4; the message names it)
 */
typedef enum {
  LP_ERROR_IO,
  LP_ERROR_USAGE,
  LP_ERROR_INPUT,
  LP_ERROR_RULES,
  LP_ERROR_INVARIANT,
} LpError;

/* Exit statuses of the lyncplan command, documented in --help and the README. */
typedef enum {
  LP_EXIT_OK = 0,         /* planned */
  LP_EXIT_IO = 1,         /* could not read or write */
  LP_EXIT_BAD_INPUT = 2,  /* bad command line, scenario or rules */
  LP_EXIT_INFEASIBLE = 3, /* planned, but no design meets every requirement */
  LP_EXIT_INVARIANT = 4,  /* a bug: the plan breaks an invariant of its topology model */
} LpExit;

GQuark lp_error_quark (void);

/**
 * lp_exit_for_error:
 * @error: an error of any domain
 *
 * Returns: the exit status for @error: LP_EXIT_IO for I/O errors (LP_ERROR_IO
 * and G_FILE_ERROR), LP_EXIT_INVARIANT for LP_ERROR_INVARIANT, LP_EXIT_BAD_INPUT
 * for everything else.
 */
LpExit lp_exit_for_error (const GError *error);

/**
 * lp_suggest:
 * @word: an unknown word the user wrote
 * @candidates: NULL-terminated list of the words that would have been valid
 *
 * Returns: (transfer none) (nullable): the candidate closest to @word by edit
 * distance when it is close enough to be a plausible typo (at most a third of
 * its length, 1 to 3 edits), else NULL. Candidates whose length differs from
 * @word's by more than that are skipped unread, so a huge @word costs no more
 * than a short one. Failing that, the first candidate @word shortens: its
 * first words ("remote" for "remote-percent") or the first letters of its
 * words and its last word whole ("pchat" for "persistent-chat").
 */
const char *lp_suggest (const char *word, const char *const *candidates);

/**
 * lp_error_did_you_mean:
 * @word: the unknown word
 * @candidates: NULL-terminated list of valid words
 *
 * Returns: (transfer full): " (did you mean 'x'?)" when lp_suggest() finds a
 * candidate, else an empty string. Free with g_free().
 */
char *lp_error_did_you_mean (const char *word, const char *const *candidates);
