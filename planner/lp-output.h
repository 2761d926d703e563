/* lp-output.h: writing a finished output, whole or not at all. */
#pragma once

#include <glib.h>

/**
 * lp_output_write:
 * @path: the target file, or "-" for standard output
 * @data: the bytes to write
 * @len: their number
 * @protect: (nullable): a file that must not be overwritten (the scenario
 *   being read), compared by device and inode
 * @error: LP_ERROR_IO naming @path; LP_ERROR_USAGE when @path is @protect
 *
 * Writes to a temporary file in @path's folder and renames it over @path, so
 * a reader sees the old file or the new one, never a part; on failure the
 * temporary file is removed and @path is untouched.
 */
gboolean lp_output_write (const char *path, const char *data, gsize len, const char *protect,
                          GError **error);

/**
 * lp_datadir:
 * Returns: (transfer full): the folder holding rules/ and templates/: the
 * source tree for a binary run from its build tree, else the installed copy.
 */
char *lp_datadir (void);
