/* lp-output.c: atomic output files and the data folder. */
#include "lp-output.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lp-config.h"
#include "lp-error.h"

static gboolean
same_file (const char *a, const char *b)
{
  GStatBuf sa, sb;

  return b != NULL && g_stat (a, &sa) == 0 && g_stat (b, &sb) == 0 && sa.st_dev == sb.st_dev &&
         sa.st_ino == sb.st_ino;
}

static gboolean
write_stdout (const char *data, gsize len, GError **error)
{
  if (fwrite (data, 1, len, stdout) != len || fflush (stdout) != 0) {
    g_set_error (error, LP_ERROR, LP_ERROR_IO, "cannot write to standard output: %s",
                 g_strerror (errno));
    return FALSE;
  }
  return TRUE;
}

gboolean
lp_output_write (const char *path, const char *data, gsize len, const char *protect,
                 GError **error)
{
  g_autoptr (GError) local = NULL;

  if (strcmp (path, "-") == 0)
    return write_stdout (data, len, error);
  if (same_file (path, protect)) {
    g_set_error (error, LP_ERROR, LP_ERROR_USAGE,
                 "-o %s: refusing to overwrite the scenario file being read", path);
    return FALSE;
  }
  /* g_file_set_contents_full writes a temporary file beside @path, syncs it
   * and renames it into place; it removes the temporary file on failure. */
  if (!g_file_set_contents_full (path, data, (gssize) len, G_FILE_SET_CONTENTS_CONSISTENT, 0644,
                                 &local)) {
    g_set_error (error, LP_ERROR, LP_ERROR_IO, "cannot write %s: %s", path, local->message);
    return FALSE;
  }
  return TRUE;
}

char *
lp_datadir (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = exe != NULL ? g_path_get_dirname (exe) : NULL;

  if (dir != NULL && strcmp (dir, LP_BUILD_BINDIR) == 0)
    return g_strdup (LP_SOURCE_DATADIR);
  return g_strdup (LP_INSTALL_DATADIR);
}
