/* lp-error.c: error domain, exit statuses and did-you-mean suggestions. */
#include "lp-error.h"

#include <string.h>

G_DEFINE_QUARK (lp - error - quark, lp_error)

LpExit
lp_exit_for_error (const GError *error)
{
  if (error->domain == G_FILE_ERROR)
    return LP_EXIT_IO;
  if (error->domain == LP_ERROR && error->code == LP_ERROR_IO)
    return LP_EXIT_IO;
  if (error->domain == LP_ERROR && error->code == LP_ERROR_INVARIANT)
    return LP_EXIT_INVARIANT;
  return LP_EXIT_BAD_INPUT;
}

/* Edit distance where swapping two neighbouring letters is one edit
 * (optimal string alignment): "egde" is one typo away from "edge". */
static guint
edit_distance (const char *a, const char *b)
{
  gsize la = strlen (a), lb = strlen (b), w = lb + 1;
  g_autofree guint *d = g_new (guint, (la + 1) * w);

  for (gsize i = 0; i <= la; i++)
    d[i * w] = (guint) i;
  for (gsize j = 0; j <= lb; j++)
    d[j] = (guint) j;
  for (gsize i = 1; i <= la; i++) {
    for (gsize j = 1; j <= lb; j++) {
      guint cost = g_ascii_tolower (a[i - 1]) == g_ascii_tolower (b[j - 1]) ? 0 : 1;
      guint v = MIN (MIN (d[(i - 1) * w + j] + 1, d[i * w + j - 1] + 1),
                     d[(i - 1) * w + j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        v = MIN (v, d[(i - 2) * w + j - 2] + 1);
      d[i * w + j] = v;
    }
  }
  return d[la * w + lb];
}

/* Does @word shorten @cand: its first words ("remote" for "remote-percent")
 * or its words' first letters and its last word ("pchat" for
 * "persistent-chat")? At least three characters. */
static gboolean
abbreviates (const char *word, const char *cand)
{
  gsize n = strlen (word);
  const char *last = strrchr (cand, '-');
  gsize k = 0;

  if (n < 3 || last == NULL)
    return FALSE;
  if (strncmp (cand, word, n) == 0 && cand[n] == '-')
    return TRUE;
  for (const char *p = cand; p < last; p++)
    if (p == cand || p[-1] == '-') {
      if (k >= n || word[k] != *p)
        return FALSE;
      k++;
    }
  return strcmp (word + k, last + 1) == 0;
}

const char *
lp_suggest (const char *word, const char *const *candidates)
{
  const char *best = NULL;
  guint best_distance = G_MAXUINT;
  /* a third of the word's length, at least 1 and at most 3 edits */
  guint limit = (guint) CLAMP (strlen (word) / 3, 1, 3);

  gsize len = strlen (word);

  /* a candidate whose length differs by more than @limit is more than @limit
   * edits away: skipping it keeps the work bounded by the candidates' own
   * lengths, whatever the length of @word (a 15 MB key) */
  for (guint i = 0; candidates != NULL && candidates[i] != NULL; i++) {
    gsize clen = strlen (candidates[i]);
    if ((len > clen ? len - clen : clen - len) > limit)
      continue;
    guint d = edit_distance (word, candidates[i]);
    if (d < best_distance) {
      best_distance = d;
      best = candidates[i];
    }
  }
  if (best_distance <= limit)
    return best;
  for (guint i = 0; candidates != NULL && candidates[i] != NULL; i++)
    if (abbreviates (word, candidates[i]))
      return candidates[i];
  return NULL;
}

char *
lp_error_did_you_mean (const char *word, const char *const *candidates)
{
  const char *s = lp_suggest (word, candidates);
  return s != NULL ? g_strdup_printf (" (did you mean '%s'?)", s) : g_strdup ("");
}
