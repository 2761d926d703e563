/* lp-keyfile.h: a GKeyFile-syntax reader that remembers line numbers.
 *
 * Scenario, rule and template files are written in GKeyFile syntax (groups in
 * brackets, key = value, '#' comments). GKeyFile itself keeps the last of two
 * duplicate keys, merges duplicate groups and reports no line numbers, so
 * lyncplan reads the files with this small reader instead: it keeps groups and
 * keys in file order, refuses duplicates, and every error it or its callers
 * raise names "file:line: [group] key:". */
#pragma once

#include <glib.h>

#include "lp-error.h"

typedef struct {
  char *key;
  char *value; /* trimmed; may be empty */
  guint line;
} LpKfEntry;

typedef struct {
  char *name; /* inside the brackets, trimmed: "site NYC" */
  guint line;
  GPtrArray *entries; /* of LpKfEntry, in file order */
  GHashTable *keys;   /* key -> LpKfEntry: lookups and duplicates in constant time */
} LpKfGroup;

typedef struct {
  char *filename;    /* as given, for messages */
  GPtrArray *groups; /* of LpKfGroup, in file order */
  GHashTable *names; /* group name -> LpKfGroup, for duplicates */
} LpKeyfile;

/**
 * lp_keyfile_load:
 * @path: the file to read
 * @code: the LpError code for syntax errors (LP_ERROR_INPUT for scenarios,
 *   LP_ERROR_RULES for rule files)
 * @error: LP_ERROR_IO when the file cannot be read, @code when it is empty,
 *   binary, not UTF-8, or has a syntax error or a duplicate group or key
 *
 * Returns: (transfer full) (nullable): the parsed file, or NULL on error.
 */
LpKeyfile *lp_keyfile_load (const char *path, LpError code, GError **error);

/**
 * lp_keyfile_parse:
 * @filename: the name used in messages
 * @data: the file's bytes
 * @len: their number
 * @code: as for lp_keyfile_load()
 * @error: as for lp_keyfile_load(), without the I/O case
 *
 * Returns: (transfer full) (nullable): the parsed file, or NULL on error.
 */
LpKeyfile *lp_keyfile_parse (const char *filename, const char *data, gsize len, LpError code,
                             GError **error);

void lp_keyfile_free (LpKeyfile *kf);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpKeyfile, lp_keyfile_free)

/**
 * lp_kf_group_lookup:
 * Returns: (transfer none) (nullable): the entry for @key in @group.
 */
const LpKfEntry *lp_kf_group_lookup (const LpKfGroup *group, const char *key);

/**
 * lp_kf_find_group:
 * Returns: (transfer none) (nullable): the group called @name ("input rto").
 */
const LpKfGroup *lp_kf_find_group (const LpKeyfile *kf, const char *name);

/**
 * lp_kf_group_check_keys:
 * @kf: the file @group belongs to
 * @group: the group to check
 * @allowed: (nullable): NULL-terminated list of the keys @group may hold, or
 *   NULL when the caller checks the names itself
 * @required: NULL-terminated list of the keys it must hold, or NULL
 * @code: the LpError code to raise
 * @error: an "unknown key" error with a did-you-mean suggestion, or a
 *   "missing key" error naming the group's line
 */
gboolean lp_kf_group_check_keys (const LpKeyfile *kf, const LpKfGroup *group,
                                 const char *const *allowed, const char *const *required,
                                 LpError code, GError **error);

/**
 * lp_kf_set_error:
 * @error: where to put the error
 * @code: the LpError code
 * @kf: the file
 * @line: the line (0 for none)
 * @group: (nullable): the group, printed as "[name]"
 * @key: (nullable): the key
 * @format: printf format of the message
 *
 * Sets "@filename:@line: [@group] @key: message" (parts that are absent are
 * left out). Always returns FALSE, so callers can `return lp_kf_set_error (...)`.
 */
gboolean lp_kf_set_error (GError **error, LpError code, const LpKeyfile *kf, guint line,
                          const char *group, const char *key, const char *format, ...)
  G_GNUC_PRINTF (7, 8);

/**
 * lp_kf_prefix_error:
 * @error: an error already set, whose message is the bare reason
 * @kf, @entry, @group: where it happened
 *
 * Prefixes the message with "file:line: [group] key: " and returns FALSE.
 */
gboolean lp_kf_prefix_error (GError **error, const LpKeyfile *kf, const LpKfGroup *group,
                             const LpKfEntry *entry);
