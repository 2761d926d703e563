/* lp-process.h: the process's surroundings: the folder its data is read
 * from, and its standard error muted while a library talks. */
#pragma once

#include <glib.h>

/**
 * lp_stderr_mute:
 *
 * Sends standard error to /dev/null until lp_stderr_restore(): libxlsxwriter
 * prints its own "[ERROR]" and "[WARNING]" lines there, while lyncplan
 * reports every failure itself, on one line.
 * Returns: the saved descriptor to give lp_stderr_restore(), or -1.
 */
int lp_stderr_mute (void);

/**
 * lp_stderr_restore:
 * @saved: what lp_stderr_mute() returned
 */
void lp_stderr_restore (int saved);

/**
 * lp_datadir:
 * Returns: (transfer full): the folder holding rules/ and templates/: the
 * source tree for a binary run from its build tree, else the installed copy.
 */
char *lp_datadir (void);
