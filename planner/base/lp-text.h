/* lp-text.h: the checks every text input passes, whatever its file. */
#pragma once

#include <glib.h>

/**
 * lp_text_check:
 * @text: a text value as the user wrote it: a name, an author, a company
 * @where: message prefix, e.g. "--author:"
 * @error: LP_ERROR_INPUT "@where not valid UTF-8", or naming the first
 *   control character (C0 including TAB, DEL and C1): they would reach a
 *   terminal raw and make the workbook's XML invalid
 */
gboolean lp_text_check (const char *text, const char *where, GError **error);
