/* lp-words.c: see lp-words.h. */
#include "lp-words.h"

#include <string.h>

#include "lp-scenario.h"

gboolean
lp_words_is_key (const LpRuleset *rs, const char *word)
{
  g_autofree const char **scenario = NULL, **site = NULL;

  if (lp_ruleset_find_input (rs, word) != NULL)
    return TRUE;
  scenario = lp_scenario_keys (rs, LP_SCOPE_SCENARIO);
  site = lp_scenario_keys (rs, LP_SCOPE_SITE);
  return g_strv_contains ((const char *const *) scenario, word) ||
         g_strv_contains ((const char *const *) site, word);
}

/* Whether @item (trimmed) is the planner's word: a citation id (added to
 * @cited), a key, or KEY = VALUE. */
static gboolean
planner_word (const LpRuleset *rs, const char *item, GPtrArray *cited)
{
  gpointer id = NULL;
  g_autofree char *key = g_strndup (item, strcspn (item, " ="));
  const char *rest = item + strlen (key);

  if (g_hash_table_lookup_extended (rs->sources, item, &id, NULL)) {
    if (cited != NULL && !g_ptr_array_find_with_equal_func (cited, id, g_str_equal, NULL))
      g_ptr_array_add (cited, g_strdup (id));
    return TRUE;
  }
  if (!lp_words_is_key (rs, key))
    return FALSE;
  return rest[0] == '\0' || g_str_has_prefix (rest, " = ");
}

/* The parenthesis @inner without its planner's words, NULL when none is left. */
/* A web address as the rule files write one: "learn.microsoft.com: path",
 * or a URL. The Sources appendix has the documents; a customer's cell does
 * not need the address. */
static gboolean
is_address (const char *item)
{
  gsize host = strcspn (item, ": ");

  if (g_str_has_prefix (item, "http://") || g_str_has_prefix (item, "https://"))
    return TRUE;
  return host > 0 && item[host] == ':' && item[host + 1] == ' ' && memchr (item, '.', host) != NULL;
}

static char *
paren_customer (const LpRuleset *rs, const char *inner, GPtrArray *cited)
{
  g_auto (GStrv) parts = g_strsplit_set (inner, ",;", -1);
  GString *out = g_string_new (NULL);
  const char *seps = inner;

  for (guint i = 0; parts[i] != NULL; i++) {
    char sep = i > 0 ? seps[-1] : '\0';
    g_autofree char *item = g_strstrip (g_strdup (parts[i]));
    seps += strlen (parts[i]) + 1;
    if (planner_word (rs, item, cited) || is_address (item))
      continue;
    if (out->len > 0)
      g_string_append_printf (out, "%c ", sep);
    g_string_append (out, item);
  }
  if (out->len == 0) {
    g_string_free (out, TRUE);
    return NULL;
  }
  return g_string_free (out, FALSE);
}

/* Whether the clause @clause (after "; ") starts with a key and a space. */
static gboolean
key_clause (const LpRuleset *rs, const char *clause)
{
  g_autofree char *word = g_strndup (clause, strcspn (clause, " "));
  return clause[strlen (word)] == ' ' && lp_words_is_key (rs, word);
}

/* @text with each citation id in its prose ("L13-CAP's example", "SFB-MED
 * recommends") said as its author: Microsoft for Microsoft's documents,
 * else "a published source"; the ids added to @cited. */
static char *
ids_as_authors (const LpRuleset *rs, const char *text, GPtrArray *cited)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0';) {
    gsize n = strspn (p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-");
    g_autofree char *word = g_strndup (p, n);
    const char *doc = n > 0 ? g_hash_table_lookup (rs->sources, word) : NULL;
    if (doc == NULL) {
      g_string_append_len (out, p, (gssize) MAX (n, 1));
      p += MAX (n, 1);
      continue;
    }
    g_autofree char *lower = g_ascii_strdown (doc, -1);
    g_string_append (out, strstr (lower, "microsoft") ? "Microsoft" : "a published source");
    if (cited != NULL && !g_ptr_array_find_with_equal_func (cited, word, g_str_equal, NULL))
      g_ptr_array_add (cited, g_strdup (word));
    p += n;
  }
  return g_string_free (out, FALSE);
}

char *
lp_words_customer (const LpRuleset *rs, const char *text, GPtrArray *cited)
{
  GString *out;
  const char *p;

  if (text == NULL)
    return NULL;
  out = g_string_new (NULL);
  for (p = text; *p != '\0';) {
    const char *close = *p == '(' ? strchr (p, ')') : NULL;
    if (close != NULL && memchr (p + 1, '(', (gsize) (close - p - 1)) == NULL) {
      g_autofree char *inner = g_strndup (p + 1, (gsize) (close - p - 1));
      g_autofree char *kept = paren_customer (rs, inner, cited);
      if (kept != NULL)
        g_string_append_printf (out, "(%s)", kept);
      else if (out->len > 0 && out->str[out->len - 1] == ' ')
        g_string_truncate (out, out->len - 1);
      p = close + 1;
    } else if (g_str_has_prefix (p, "; ") && key_clause (rs, p + 2)) {
      p += strcspn (p + 2, ";.\n") + 2; /* the clause, up to the next one */
    } else {
      g_string_append_c (out, *p++);
    }
  }
  g_autofree char *plain = g_string_free (out, FALSE);
  return ids_as_authors (rs, plain, cited);
}

char *
lp_words_source_title (const LpRuleset *rs, const char *id)
{
  static const char *const ends[] = { " (", ": ", ", " };
  const char *text = g_hash_table_lookup (rs->sources, id);
  gsize len;

  if (text == NULL)
    return NULL;
  len = strlen (text);
  for (guint i = 0; i < G_N_ELEMENTS (ends); i++) {
    const char *end = strstr (text, ends[i]);
    if (end != NULL)
      len = MIN (len, (gsize) (end - text));
  }
  return g_strndup (text, len);
}
