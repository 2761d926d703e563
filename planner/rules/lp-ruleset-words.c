/* lp-ruleset-words.c: a rule set's own words. A [word ID] group (from, to)
 * of a rule file replaces a phrase in every text the rule set reads, its
 * parents' and its templates' included ("Office Web Apps" -> "Office Online
 * Server", "L13-CAP" -> "SFB19-CAP"), so a product says what a shared text
 * says in its own words; with `in = GROUP, GROUP` only in those groups (a
 * label of an inherited group, which the child then need not copy). A
 * child's [word ID] replaces the parent's of the same id, as any group. */
#include "lp-ruleset-load.h"

#include <string.h>

#include "lp-error.h"
#include "lp-keyfile.h"

void
lp_word_free (gpointer p)
{
  LpWord *w = p;
  g_free (w->id);
  g_free (w->from);
  g_free (w->to);
  g_strfreev (w->in);
  g_free (w);
}

/* Longest phrase first, so "Office Web Apps server" goes before "Office Web Apps". */
static gint
longer_first (gconstpointer a, gconstpointer b)
{
  const LpWord *x = *(LpWord *const *) a, *y = *(LpWord *const *) b;
  gsize lx = strlen (x->from), ly = strlen (y->from);
  return lx != ly ? (lx > ly ? -1 : 1) : strcmp (x->from, y->from);
}

static gboolean
word_char (char c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '_';
}

/* Appends @to to @out, once in a list: where "@to, " ends @out, or ", @to"
 * follows at *@p (two citations that became the same page: "L13-FE,
 * L13-FE-REMOVE" as "SFB-FE-HA"), it stands there once. */
static void
append_once (GString *out, const char *to, const char **p)
{
  gsize n = strlen (to);

  if (n > 0 && out->len >= n + 2 && strncmp (out->str + out->len - n - 2, to, n) == 0 &&
      strcmp (out->str + out->len - 2, ", ") == 0 &&
      (out->len == n + 2 || !word_char (out->str[out->len - n - 3]))) {
    g_string_truncate (out, out->len - 2);
    return;
  }
  g_string_append (out, to);
  if (n > 0 && strncmp (*p, ", ", 2) == 0 && strncmp (*p + 2, to, n) == 0 &&
      !word_char ((*p)[2 + n]))
    *p += 2 + n;
}

/* Whether @w's phrase stands alone at @p of @text: an end of the phrase that
 * is a letter, digit, '-' or '_' has no such character beside it ("L13-PC"
 * is not in "L13-PC-RES"; "<instance> (...)" needs nothing of its neighbours). */
static gboolean
stands_alone (const LpWord *w, const char *text, const char *p, gsize n)
{
  if (word_char (w->from[0]) && p > text && word_char (p[-1]))
    return FALSE;
  return !(word_char (w->from[n - 1]) && word_char (p[n]));
}

/* Whether @w applies in the group called @group (NULL: a text of no group). */
static gboolean
applies_in (const LpWord *w, const char *group)
{
  return w->in == NULL || (group != NULL && g_strv_contains ((const char *const *) w->in, group));
}

/* @text of the group @group with each occurrence of a word's phrase that
 * stands alone replaced (the longest phrase first), or NULL when none occurs. */
static char *
replace_words (const GPtrArray *words, const char *group, const char *text)
{
  GString *out = NULL;
  const char *p = text;

  while (*p != '\0') {
    const LpWord *hit = NULL;
    for (guint i = 0; i < words->len; i++) {
      const LpWord *w = g_ptr_array_index (words, i);
      gsize n;
      if (*p != w->from[0])
        continue;
      n = strlen (w->from);
      if (strncmp (p, w->from, n) == 0 && stands_alone (w, text, p, n) && applies_in (w, group)) {
        hit = w;
        break;
      }
    }
    if (hit == NULL) {
      if (out != NULL)
        g_string_append_c (out, *p);
      p++;
      continue;
    }
    if (out == NULL)
      out = g_string_new_len (text, p - text);
    p += strlen (hit->from);
    append_once (out, hit->to, &p);
  }
  return out != NULL ? g_string_free (out, FALSE) : NULL;
}

/* `in = GROUP, GROUP`: each a group of the rule set (inherited or its own). */
static gboolean
word_groups (const LpLoad *ld, const LpRuleFiles *rf, LpWord *w, GError **error)
{
  const LpKfEntry *in = lp_kf_group_lookup (ld->group, "in");

  if (in == NULL)
    return TRUE;
  w->in = g_strsplit (in->value, ",", -1);
  for (guint i = 0; w->in[i] != NULL; i++) {
    g_strstrip (w->in[i]);
    if (!g_hash_table_contains (rf->view->names, w->in[i]) || g_str_has_prefix (w->in[i], "word "))
      return lp_kf_set_error (error, LP_ERROR_RULES, ld->kf, in->line, ld->group->name, "in",
                              "'%s' names no group of the rule set", w->in[i]);
  }
  return TRUE;
}

static gboolean
is_word_group (const LpKfGroup *g)
{
  return g_str_has_prefix (g->name, "word ");
}

gboolean
lp_load_words (LpRuleset *rs, const LpRuleFiles *rf, GError **error)
{
  static const char *const keys[] = { "from", "to", "in", NULL };
  static const char *const required[] = { "from", "to", NULL };

  for (guint i = 0; i < rf->view->groups->len; i++) {
    LpLoad ld = { .rs = rs, .group = g_ptr_array_index (rf->view->groups, i) };
    LpWord *w;
    if (!is_word_group (ld.group))
      continue;
    ld.kf = lp_rule_files_origin (rf, ld.group);
    if (!lp_load_check_keys (&ld, keys, required, error))
      return FALSE;
    if (lp_load_optional (&ld, "from")[0] == '\0')
      return lp_kf_set_error (error, LP_ERROR_RULES, ld.kf, ld.group->line, ld.group->name, "from",
                              "expected the phrase to replace");
    w = g_new0 (LpWord, 1);
    w->id = g_strdup (ld.group->name + 5);
    w->from = g_strdup (lp_load_optional (&ld, "from"));
    w->to = g_strdup (lp_load_optional (&ld, "to"));
    g_ptr_array_add (rs->words, w);
    if (!word_groups (&ld, rf, w, error))
      return FALSE;
  }
  g_ptr_array_sort (rs->words, longer_first);
  for (guint i = 0; i < rf->view->groups->len; i++) {
    const LpKfGroup *g = g_ptr_array_index (rf->view->groups, i);
    if (!is_word_group (g) && strcmp (g->name, "sources") != 0)
      lp_words_apply_group (rs, g);
  }
  return TRUE;
}

void
lp_words_apply_group (const LpRuleset *rs, const LpKfGroup *g)
{
  for (guint k = 0; rs->words->len > 0 && k < g->entries->len; k++) {
    LpKfEntry *e = g_ptr_array_index (g->entries, k);
    char *text = replace_words (rs->words, g->name, e->value);
    if (text != NULL) {
      g_free (e->value);
      e->value = text;
    }
  }
}

void
lp_words_apply (const LpRuleset *rs, const LpKeyfile *kf)
{
  for (guint i = 0; i < kf->groups->len; i++)
    lp_words_apply_group (rs, g_ptr_array_index (kf->groups, i));
}

char *
lp_ruleset_say (const LpRuleset *rs, const char *text)
{
  char *said = replace_words (rs->words, NULL, text);
  return said != NULL ? said : g_strdup (text);
}
