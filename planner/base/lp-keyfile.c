/* lp-keyfile.c: see lp-keyfile.h. */
#include "lp-keyfile.h"

#include "lp-output.h"
#include "lp-text.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Larger files are refused before parsing: no scenario or rule file is near. */
#define LP_KEYFILE_MAX_BYTES (16u * 1024u * 1024u)

static void
entry_free (gpointer p)
{
  LpKfEntry *e = p;
  g_free (e->key);
  g_free (e->value);
  g_free (e);
}

static void
group_free (gpointer p)
{
  LpKfGroup *g = p;
  g_free (g->name);
  g_hash_table_unref (g->keys);
  g_ptr_array_unref (g->entries);
  g_free (g);
}

void
lp_keyfile_free (LpKeyfile *kf)
{
  if (kf == NULL)
    return;
  g_free (kf->filename);
  g_hash_table_unref (kf->names);
  g_ptr_array_unref (kf->groups);
  g_free (kf);
}

gboolean
lp_kf_set_error (GError **error, LpError code, const LpKeyfile *kf, guint line, const char *group,
                 const char *key, const char *format, ...)
{
  g_autofree char *msg = NULL;
  GString *where = g_string_new (kf->filename);
  va_list args;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  if (line > 0)
    g_string_append_printf (where, ":%u", line);
  g_string_append (where, ":");
  if (group != NULL)
    g_string_append_printf (where, " [%s]", group);
  if (key != NULL)
    g_string_append_printf (where, " %s:", key);
  g_set_error (error, LP_ERROR, code, "%s %s", where->str, msg);
  g_string_free (where, TRUE);
  return FALSE;
}

gboolean
lp_kf_prefix_error (GError **error, const LpKeyfile *kf, const LpKfGroup *group,
                    const LpKfEntry *entry)
{
  guint line = entry != NULL ? entry->line : group->line;

  g_prefix_error (error, "%s:%u: [%s]%s%s%s ", kf->filename, line, group->name,
                  entry != NULL ? " " : "", entry != NULL ? entry->key : "",
                  entry != NULL ? ":" : "");
  return FALSE;
}

static gboolean
valid_key (const char *key)
{
  if (*key == '\0')
    return FALSE;
  for (const char *p = key; *p != '\0'; p++) {
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
      return FALSE;
  }
  return TRUE;
}

/* Every value and group name of every file (scenario, rule, template, price
 * list) passes lp_text_check(): no control character or non-character
 * reaches a terminal, the workbook's XML or the diagram. */
static gboolean
check_value (const LpKeyfile *kf, guint lineno, const char *group, const char *key,
             const char *value, LpError code, GError **error)
{
  g_autoptr (GError) why = NULL;

  if (lp_text_check (value, "", &why))
    return TRUE;
  return lp_kf_set_error (error, code, kf, lineno, group, key, "%s", why->message + 1);
}

static gboolean
parse_group_line (LpKeyfile *kf, char *line, guint lineno, LpError code, GError **error)
{
  gsize len = strlen (line);
  LpKfGroup *g, *old;

  if (line[len - 1] != ']')
    return lp_kf_set_error (error, code, kf, lineno, NULL, NULL,
                            "expected ']' at the end of the group header");
  line[len - 1] = '\0';
  g_strstrip (line + 1);
  if (line[1] == '\0')
    return lp_kf_set_error (error, code, kf, lineno, NULL, NULL, "empty group name '[]'");
  if (!check_value (kf, lineno, line + 1, NULL, line + 1, code, error))
    return FALSE;
  old = g_hash_table_lookup (kf->names, line + 1);
  if (old != NULL)
    return lp_kf_set_error (error, code, kf, lineno, old->name, NULL,
                            "duplicate group (first at line %u)", old->line);
  g = g_new0 (LpKfGroup, 1);
  g->name = g_strdup (line + 1);
  g->line = lineno;
  g->entries = g_ptr_array_new_with_free_func (entry_free);
  g->keys = g_hash_table_new (g_str_hash, g_str_equal);
  g_ptr_array_add (kf->groups, g);
  g_hash_table_insert (kf->names, g->name, g);
  return TRUE;
}

static gboolean
parse_key_line (LpKeyfile *kf, char *line, guint lineno, LpError code, GError **error)
{
  LpKfGroup *g = kf->groups->len > 0 ? g_ptr_array_index (kf->groups, kf->groups->len - 1) : NULL;
  char *eq = strchr (line, '=');
  const LpKfEntry *old;
  LpKfEntry *e;

  if (eq == NULL)
    return lp_kf_set_error (error, code, kf, lineno, g ? g->name : NULL, NULL,
                            "expected 'key = value', '[group]' or a '#' comment, got '%s'", line);
  *eq = '\0';
  g_strstrip (line);
  if (g == NULL)
    return lp_kf_set_error (error, code, kf, lineno, NULL, line,
                            "key outside any group: a file starts with a [group] header");
  if (!valid_key (line))
    return lp_kf_set_error (error, code, kf, lineno, g->name, NULL,
                            "invalid key name '%s' (letters, digits, '-', '_' and '.')", line);
  old = lp_kf_group_lookup (g, line);
  if (old != NULL)
    return lp_kf_set_error (error, code, kf, lineno, g->name, line,
                            "duplicate key (first at line %u)", old->line);
  g_strstrip (eq + 1);
  if (!check_value (kf, lineno, g->name, line, eq + 1, code, error))
    return FALSE;
  e = g_new0 (LpKfEntry, 1);
  e->key = g_strdup (line);
  e->value = g_strstrip (g_strdup (eq + 1));
  e->line = lineno;
  g_ptr_array_add (g->entries, e);
  g_hash_table_insert (g->keys, e->key, e);
  return TRUE;
}

static gboolean
check_text (const char *filename, const char *data, gsize len, LpError code, GError **error)
{
  if (memchr (data, '\0', len) != NULL || !g_utf8_validate (data, (gssize) len, NULL)) {
    g_set_error (error, LP_ERROR, code, "%s: not a text file (binary data or not UTF-8)", filename);
    return FALSE;
  }
  return TRUE;
}

LpKeyfile *
lp_keyfile_parse (const char *filename, const char *data, gsize len, LpError code, GError **error)
{
  g_autoptr (LpKeyfile) kf = g_new0 (LpKeyfile, 1);
  g_autofree char *copy = NULL;
  g_auto (GStrv) lines = NULL;

  kf->filename = g_strdup (filename);
  kf->groups = g_ptr_array_new_with_free_func (group_free);
  kf->names = g_hash_table_new (g_str_hash, g_str_equal);
  if (len >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0) { /* a UTF-8 byte-order mark */
    data += 3;
    len -= 3;
  }
  if (!check_text (filename, data, len, code, error))
    return NULL;
  copy = g_strndup (data, len);
  lines = g_strsplit (copy, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++) {
    char *line = g_strstrip (lines[i]); /* also drops a CR before the LF */
    gboolean ok = TRUE;

    if (line[0] == '\0' || line[0] == '#')
      continue;
    if (line[0] == '[')
      ok = parse_group_line (kf, line, i + 1, code, error);
    else
      ok = parse_key_line (kf, line, i + 1, code, error);
    if (!ok)
      return NULL;
  }
  if (kf->groups->len == 0) {
    g_set_error (error, LP_ERROR, code, "%s: empty file: no [group] in it", filename);
    return NULL;
  }
  return g_steal_pointer (&kf);
}

/* Reads @fd to its end, or to just past the size limit; errno on failure. */
static gboolean
read_fd (int fd, GString *into)
{
  char buf[65536];
  ssize_t n;

  while (into->len <= LP_KEYFILE_MAX_BYTES && (n = read (fd, buf, sizeof buf)) != 0) {
    if (n < 0 && errno != EINTR)
      return FALSE;
    if (n > 0)
      g_string_append_len (into, buf, (gsize) n);
  }
  return TRUE;
}

/* Reads @path ("-": standard input) whole, refusing folders and files over
 * the size limit; pipes and FIFOs are read to their end. */
static gboolean
read_file (const char *path, LpError code, GString *into, GError **error)
{
  gboolean is_stdin = strcmp (path, "-") == 0;
  int fd = is_stdin ? STDIN_FILENO : g_open (path, O_RDONLY, 0);
  struct stat st;
  gboolean ok;
  int err;

  if (fd < 0 || fstat (fd, &st) != 0 || S_ISDIR (st.st_mode)) {
    err = fd < 0 ? errno : S_ISDIR (st.st_mode) ? EISDIR : errno;
    if (fd >= 0 && !is_stdin)
      close (fd);
    g_set_error (error, LP_ERROR, LP_ERROR_IO, "cannot read %s: %s", path, g_strerror (err));
    return FALSE;
  }
  ok = read_fd (fd, into);
  err = errno;
  if (!is_stdin)
    close (fd);
  if (!ok) {
    g_set_error (error, LP_ERROR, LP_ERROR_IO, "cannot read %s: %s",
                 is_stdin ? "standard input" : path, g_strerror (err));
    return FALSE;
  }
  if (into->len > LP_KEYFILE_MAX_BYTES) {
    g_set_error (error, LP_ERROR, code, "%s: file too large (over %u bytes)",
                 is_stdin ? "stdin" : path, LP_KEYFILE_MAX_BYTES);
    return FALSE;
  }
  return TRUE;
}

LpKeyfile *
lp_keyfile_load (const char *path, LpError code, GError **error)
{
  g_autoptr (GString) data = g_string_new (NULL);
  const char *name = strcmp (path, "-") == 0 ? "stdin" : path;

  if (!read_file (path, code, data, error))
    return NULL;
  lp_output_protect (path, code == LP_ERROR_RULES ? "a rule or template file"
                                                  : "a scenario or price list");
  return lp_keyfile_parse (name, data->str, data->len, code, error);
}

const LpKfGroup *
lp_kf_find_group (const LpKeyfile *kf, const char *name)
{
  return g_hash_table_lookup (kf->names, name);
}

const LpKfEntry *
lp_kf_group_lookup (const LpKfGroup *group, const char *key)
{
  return g_hash_table_lookup (group->keys, key);
}

gboolean
lp_kf_group_check_keys (const LpKeyfile *kf, const LpKfGroup *group, const char *const *allowed,
                        const char *const *required, LpError code, GError **error)
{
  for (guint i = 0; allowed != NULL && i < group->entries->len; i++) {
    const LpKfEntry *e = g_ptr_array_index (group->entries, i);
    if (!g_strv_contains (allowed, e->key)) {
      g_autofree char *hint = lp_error_did_you_mean (e->key, allowed);
      return lp_kf_set_error (error, code, kf, e->line, group->name, e->key, "unknown key%s", hint);
    }
  }
  for (guint i = 0; required != NULL && required[i] != NULL; i++) {
    if (lp_kf_group_lookup (group, required[i]) == NULL)
      return lp_kf_set_error (error, code, kf, group->line, group->name, required[i],
                              "missing key");
  }
  return TRUE;
}
