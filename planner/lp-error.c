/* lp-error.c: error domain, exit statuses and did-you-mean suggestions. */
#include "lp-error.h"

#include <string.h>

G_DEFINE_QUARK (lp-error-quark, lp_error)

LpExit
lp_exit_for_error (const GError *error)
{
  if (error->domain == G_FILE_ERROR)
    return LP_EXIT_IO;
  if (error->domain == LP_ERROR && error->code == LP_ERROR_IO)
    return LP_EXIT_IO;
  return LP_EXIT_BAD_INPUT;
}

/* Levenshtein distance, two rows; words here are short option and key names. */
static guint
edit_distance (const char *a, const char *b)
{
  gsize la = strlen (a), lb = strlen (b);
  g_autofree guint *prev = g_new (guint, lb + 1);
  g_autofree guint *cur = g_new (guint, lb + 1);

  for (gsize j = 0; j <= lb; j++)
    prev[j] = (guint) j;
  for (gsize i = 1; i <= la; i++) {
    cur[0] = (guint) i;
    for (gsize j = 1; j <= lb; j++) {
      guint cost = g_ascii_tolower (a[i - 1]) == g_ascii_tolower (b[j - 1]) ? 0 : 1;
      cur[j] = MIN (MIN (prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + cost);
    }
    memcpy (prev, cur, (lb + 1) * sizeof (guint));
  }
  return prev[lb];
}

const char *
lp_suggest (const char *word, const char *const *candidates)
{
  const char *best = NULL;
  guint best_distance = G_MAXUINT;
  /* a third of the word's length, at least 1 and at most 3 edits */
  guint limit = CLAMP ((guint) strlen (word) / 3, 1, 3);

  for (guint i = 0; candidates != NULL && candidates[i] != NULL; i++) {
    guint d = edit_distance (word, candidates[i]);
    if (d < best_distance) {
      best_distance = d;
      best = candidates[i];
    }
  }
  return best_distance <= limit ? best : NULL;
}

char *
lp_error_did_you_mean (const char *word, const char *const *candidates)
{
  const char *s = lp_suggest (word, candidates);
  return s != NULL ? g_strdup_printf (" (did you mean '%s'?)", s) : g_strdup ("");
}
