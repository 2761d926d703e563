/* lp-output.c: atomic output files and the data folder. */
#include "lp-output.h"

#include <errno.h>
#include <fcntl.h>
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

static gboolean
io_fail (GError **error, const char *path, int err)
{
  g_set_error (error, LP_ERROR, LP_ERROR_IO, "cannot write %s: %s", path, g_strerror (err));
  return FALSE;
}

/* Writes @data to the open @fd and syncs it; on failure sets errno. */
static gboolean
write_all (int fd, const char *data, gsize len)
{
  while (len > 0) {
    ssize_t n = write (fd, data, len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return FALSE;
    data += n;
    len -= (gsize) n;
  }
  return fsync (fd) == 0;
}

char *
lp_output_temp_path (const char *path, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  char *tmp = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  int fd = g_mkstemp_full (tmp, O_WRONLY, 0644);

  if (fd < 0) {
    io_fail (error, path, errno);
    g_free (tmp);
    return NULL;
  }
  close (fd);
  return tmp;
}

gboolean
lp_output_commit (const char *tmp, const char *path, GError **error)
{
  if (rename (tmp, path) != 0) {
    int err = errno;
    g_unlink (tmp);
    return io_fail (error, path, err);
  }
  return TRUE;
}

gboolean
lp_output_check_target (const char *path, const char *protect, GError **error)
{
  if (!same_file (path, protect))
    return TRUE;
  g_set_error (error, LP_ERROR, LP_ERROR_USAGE,
               "%s: refusing to overwrite the scenario file being read", path);
  return FALSE;
}

gboolean
lp_output_write (const char *path, const char *data, gsize len, const char *protect,
                 GError **error)
{
  g_autofree char *tmp = NULL;
  int fd, err;

  if (strcmp (path, "-") == 0)
    return write_stdout (data, len, error);
  if (!lp_output_check_target (path, protect, error))
    return FALSE;
  tmp = lp_output_temp_path (path, error);
  if (tmp == NULL)
    return FALSE;
  fd = g_open (tmp, O_WRONLY | O_TRUNC, 0);
  if (fd >= 0 && write_all (fd, data, len) && close (fd) == 0)
    return lp_output_commit (tmp, path, error);
  err = errno;
  if (fd >= 0)
    close (fd);
  g_unlink (tmp);
  return io_fail (error, path, err);
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
