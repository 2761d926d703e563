/* lp-words.h: a deliverable in the customer's words: the planner's own
 * words (rule citation ids, the keys of the input vocabulary and their
 * `KEY = VALUE` settings) taken out of a text, the sources it cited kept
 * for a Sources appendix. The text report keeps them. */
#pragma once

#include <glib.h>

#include "lp-ruleset.h"

/**
 * lp_words_customer:
 * @rs: the rule set: its [sources] ids and input keys are the planner's words
 * @text: (nullable): a text of the plan: a note, a fact, a source
 * @cited: (nullable): each [sources] id a dropped part cited is appended to
 *   it once, a copy (@cited frees its strings)
 *
 * Drops from @text each item of a parenthesis that is a citation id, an input
 * or site key, a web address ("learn.microsoft.com: path", a URL), or `KEY = VALUE` (the parenthesis goes when nothing is left),
 * and each "; KEY ..." clause that starts with a key ("; separate-stores puts
 * it on a server of its own"): both say how the plan was configured or where
 * a figure comes from, which the Sources appendix and the text report say.
 * A citation id left in the prose ("L13-CAP's example") is said as its
 * author: "Microsoft's example".
 *
 * Returns: (transfer full) (nullable): the text, NULL for NULL.
 */
char *lp_words_customer (const LpRuleset *rs, const char *text, GPtrArray *cited);

/**
 * lp_words_is_key:
 * Returns: TRUE when @word is a key of @rs's input vocabulary: an input, or a
 *   fixed [scenario] or [site NAME] key.
 */
gboolean lp_words_is_key (const LpRuleset *rs, const char *word);

/**
 * lp_words_source_title:
 * @rs: the rule set
 * @id: a [sources] id
 * Returns: (transfer full) (nullable): the document's title: its [sources]
 *   text up to the first " (", ": " or ", " (where its address, quote or
 *   gloss starts), NULL for an id
 *   @rs does not have.
 */
char *lp_words_source_title (const LpRuleset *rs, const char *id);
