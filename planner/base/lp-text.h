/* lp-text.h: the checks every text input passes, whatever its file. */
#pragma once

#include <glib.h>

/* The longest name, in characters: a name reaches workbook cells beside
 * other text (Excel's cell holds at most 32,767) and computer names, DNS
 * records and diagram labels. */
#define LP_NAME_MAX_CHARS 256

/* DNS's limits on a name as written (RFC 1035, section 2.3.4: a label of at
 * most 63 octets, a name of at most 255 on the wire, so 253 characters with
 * the dots) and the common name of a certificate's subject (RFC 5280,
 * ub-common-name: 64 characters). Not product figures: every DNS server and
 * certificate authority holds to them. */
#define LP_DNS_NAME_MAX 253
#define LP_DNS_LABEL_MAX 63
#define LP_COMMON_NAME_MAX 64

/**
 * lp_key_line_append:
 * @out: where the line goes
 * @key: a key
 * @value: its value, as written
 *
 * Appends "@key = @value\n", a key file's line, without formatting: a
 * shell change writes one for each input of each site.
 */
void lp_key_line_append (GString *out, const char *key, const char *value);

/**
 * lp_ascii_case_hash:
 * @key: a nul-terminated string
 *
 * A hash of @key ignoring ASCII case, for a GHashTable whose keys are names
 * compared with lp_ascii_case_equal() (DNS names: no lower-case copy kept).
 */
guint lp_ascii_case_hash (gconstpointer key);

/**
 * lp_ascii_case_equal:
 * Returns: whether strings @a and @b are equal ignoring ASCII case.
 */
gboolean lp_ascii_case_equal (gconstpointer a, gconstpointer b);

/**
 * lp_dns_name_fits:
 * @name: a fully qualified name
 *
 * Returns: whether @name has at most LP_DNS_NAME_MAX characters and each of
 *   its labels at most LP_DNS_LABEL_MAX.
 */
gboolean lp_dns_name_fits (const char *name);

/**
 * lp_text_char_allowed:
 * @c: a character of valid UTF-8
 * @in_file: whether @c is in a file's bytes, where TAB, CR and LF separate
 *   values and lines; in a value they are refused like other controls
 *
 * Returns: whether @c may stand in a text input: not a control character
 *   (C0, DEL, C1) and a character XML 1.0 allows (no U+FFFE, U+FFFF or other
 *   Unicode non-character), so that no value makes a workbook, a diagram or a
 *   terminal misbehave.
 */
gboolean lp_text_char_allowed (gunichar c, gboolean in_file);

/**
 * lp_text_check:
 * @text: a text value as the user wrote it: a name, an author, a company
 * @where: message prefix, e.g. "--author:"
 * @error: LP_ERROR_INPUT "@where not valid UTF-8", naming the first control
 *   character (C0 including TAB, DEL and C1) or non-character (U+FFFE,
 *   U+FFFF, U+FDD0..U+FDEF, the last two of every plane): they would reach a
 *   terminal raw and make the workbook's and the diagram's XML invalid
 */
gboolean lp_text_check (const char *text, const char *where, GError **error);

/**
 * lp_name_check:
 * @name: a name the outputs show and match by: a site's, the scenario's
 * @where, @error: as for lp_text_check(), which it runs first
 *
 * Also refuses names over LP_NAME_MAX_CHARS characters, and format
 * characters (zero-width spaces and joiners, bidirectional controls, the
 * soft hyphen): "A\u200bB" would look like "AB" yet be another name, and a
 * bidirectional override reorders what a reader sees.
 */
gboolean lp_name_check (const char *name, const char *where, GError **error);

/**
 * lp_text_width:
 * @text: valid UTF-8
 *
 * Returns: the columns @text takes on a terminal: two for a wide (East Asian)
 *   character, none for a combining mark or a format character, one for the rest.
 */
gsize lp_text_width (const char *text);

/**
 * lp_char_width:
 *
 * Returns: the columns @c takes on a terminal, as lp_text_width() counts them.
 */
guint lp_char_width (gunichar c);
/* The most bytes a list of names in one sentence or cell takes before the
 * rest is counted ("and 2,380 more"): a reader takes in a few hundred names
 * at most, and a workbook cell holds 32,767 characters. */
#define LP_NAME_LIST_MAX 1000

/**
 * lp_name_list_add:
 * @list: the names so far, joined by ", "
 * @more: (inout): the names left out so far
 * @name: the next name
 * @cap: the most bytes @list may reach
 *
 * Appends @name to @list unless that takes @list past @cap bytes (a name
 * longer than @cap is still taken when @list is empty); a name left out is
 * counted in @more, and so is every name after it, so the list keeps the
 * first names in order. lp_name_list_end() says how many were left out. A
 * list of sites on a 5,000-site estate stays a readable cell this way.
 */
void lp_name_list_add (GString *list, guint64 *more, const char *name, gsize cap);

/**
 * lp_name_list_end:
 *
 * Appends " and N more" to @list when @more is not 0.
 */
void lp_name_list_end (GString *list, guint64 more);
