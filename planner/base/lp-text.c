/* lp-text.c: the checks every text input passes, whatever its file. */
#include "lp-text.h"

#include "lp-error.h"
#include "lp-units.h"

#include <string.h>

/* XML 1.0's Char production forbids U+FFFE and U+FFFF (and surrogates, which
 * valid UTF-8 never holds); the other non-characters are refused with them:
 * Unicode reserves them for a program's own use, never for interchange. */
static gboolean
is_noncharacter (gunichar c)
{
  return (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE;
}

gboolean
lp_text_char_allowed (gunichar c, gboolean in_file)
{
  if (in_file && (c == '\t' || c == '\n' || c == '\r'))
    return TRUE;
  return !g_unichar_iscntrl (c) && !is_noncharacter (c);
}

gboolean
lp_text_check (const char *text, const char *where, GError **error)
{
  if (!g_utf8_validate (text, -1, NULL)) {
    g_set_error (error, LP_ERROR, LP_ERROR_INPUT, "%s not valid UTF-8", where);
    return FALSE;
  }
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p)) {
    gunichar c = g_utf8_get_char (p);
    if (g_unichar_iscntrl (c)) {
      g_set_error (error, LP_ERROR, LP_ERROR_INPUT,
                   "%s the control character U+%04X is not allowed in a text value", where, c);
      return FALSE;
    }
    if (is_noncharacter (c)) {
      g_set_error (error, LP_ERROR, LP_ERROR_INPUT,
                   "%s U+%04X is not a character (XML forbids it) and is not allowed in a "
                   "text value",
                   where, c);
      return FALSE;
    }
  }
  return TRUE;
}

gboolean
lp_name_check (const char *name, const char *where, GError **error)
{
  gsize n = 0;

  if (!lp_text_check (name, where, error))
    return FALSE;
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p), n++) {
    gunichar c = g_utf8_get_char (p);
    if (n >= LP_NAME_MAX_CHARS) {
      g_set_error (error, LP_ERROR, LP_ERROR_INPUT, "%s a name is at most %u characters", where,
                   LP_NAME_MAX_CHARS);
      return FALSE;
    }
    if (g_unichar_type (c) == G_UNICODE_FORMAT) {
      g_set_error (error, LP_ERROR, LP_ERROR_INPUT,
                   "%s the invisible format character U+%04X (zero-width or bidirectional "
                   "control) is not allowed in a name",
                   where, c);
      return FALSE;
    }
  }
  return TRUE;
}

gsize
lp_text_width (const char *text)
{
  gsize w = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    w += lp_char_width (g_utf8_get_char (p));
  return w;
}

guint
lp_char_width (gunichar c)
{
  if (c < 0x300) /* Latin and its neighbours (no mark, no wide character): the common case */
    return 1;
  if (g_unichar_iszerowidth (c))
    return 0;
  return g_unichar_iswide (c) ? 2 : 1;
}

void
lp_key_line_append (GString *out, const char *key, const char *value)
{
  g_string_append (out, key);
  g_string_append_len (out, " = ", 3);
  g_string_append (out, value);
  g_string_append_c (out, '\n');
}

guint
lp_ascii_case_hash (gconstpointer key)
{
  guint h = 5381;

  for (const char *p = key; *p != '\0'; p++)
    h = h * 33 + (guint) g_ascii_tolower (*p);
  return h;
}

gboolean
lp_ascii_case_equal (gconstpointer a, gconstpointer b)
{
  return g_ascii_strcasecmp (a, b) == 0;
}

gboolean
lp_dns_name_fits (const char *name)
{
  gsize label = 0;

  if (strlen (name) > LP_DNS_NAME_MAX)
    return FALSE;
  for (const char *p = name; *p != '\0'; p++) {
    label = *p == '.' ? 0 : label + 1;
    if (label > LP_DNS_LABEL_MAX)
      return FALSE;
  }
  return TRUE;
}

void
lp_name_list_add (GString *list, guint64 *more, const char *name, gsize cap)
{
  gsize len = strlen (name) + (list->len > 0 ? 2 : 0);

  if (*more > 0 || (list->len > 0 && list->len + len > cap)) {
    (*more)++;
    return;
  }
  g_string_append_printf (list, "%s%s", list->len > 0 ? ", " : "", name);
}

void
lp_name_list_end (GString *list, guint64 more)
{
  g_autofree char *n = NULL;

  if (more == 0)
    return;
  n = lp_format_count (more);
  g_string_append_printf (list, " and %s more", n);
}
