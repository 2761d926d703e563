/* lp-process.c: the data folder and a muted standard error; see lp-process.h. */
#include "lp-process.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lp-config.h"

int
lp_stderr_mute (void)
{
  int saved, null;

  fflush (stderr);
  saved = dup (STDERR_FILENO);
  null = g_open ("/dev/null", O_WRONLY | O_CLOEXEC, 0);
  if (saved < 0 || null < 0 || dup2 (null, STDERR_FILENO) < 0) {
    if (saved >= 0)
      close (saved);
    saved = -1;
  }
  if (null >= 0)
    close (null);
  return saved;
}

void
lp_stderr_restore (int saved)
{
  if (saved < 0)
    return;
  fflush (stderr);
  dup2 (saved, STDERR_FILENO);
  close (saved);
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
