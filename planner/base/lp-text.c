/* lp-text.c: the checks every text input passes, whatever its file. */
#include "lp-text.h"

#include "lp-error.h"

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
  }
  return TRUE;
}
