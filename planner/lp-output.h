/* lp-output.h: writing a finished output, whole or not at all. */
#pragma once

#include <glib.h>

/* 1980-01-01T00:00:00Z, the ZIP format's epoch: the creation time of a
 * workbook that has no date to carry, so its bytes never depend on the clock. */
#define LP_NO_DATE_EPOCH 315532800

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
 * lp_output_check_target:
 * @path: a file about to be written
 * @protect: (nullable): the scenario file being read
 * @error: LP_ERROR_USAGE "PATH: refusing to overwrite the scenario file
 *   being read" when @path is @protect (same device and inode)
 */
gboolean lp_output_check_target (const char *path, const char *protect, GError **error);

/**
 * lp_output_temp_path:
 * @path: the file that will be written
 * @error: LP_ERROR_IO "cannot write @path: reason"
 *
 * Creates an empty temporary file beside @path (same folder, so a rename
 * replaces @path atomically) for writers that need a file name.
 * Returns: (transfer full) (nullable): its path.
 */
char *lp_output_temp_path (const char *path, GError **error);

/**
 * lp_output_commit:
 * @tmp: a file from lp_output_temp_path(), completely written
 * @path: the target
 * @error: LP_ERROR_IO; @tmp is removed on failure
 *
 * Renames @tmp over @path.
 */
gboolean lp_output_commit (const char *tmp, const char *path, GError **error);

/**
 * lp_datadir:
 * Returns: (transfer full): the folder holding rules/ and templates/: the
 * source tree for a binary run from its build tree, else the installed copy.
 */
char *lp_datadir (void);
