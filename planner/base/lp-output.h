/* lp-output.h: writing an output whole or not at all, and never over what
 * must not be replaced. */
#pragma once

#include <glib.h>
#include <stdio.h>

/* 1980-01-01T00:00:00Z, the ZIP format's epoch: the creation time of a
 * workbook that has no date to carry, so its bytes never depend on the clock. */
#define LP_NO_DATE_EPOCH 315532800

/* A file being read, which no output may replace. */
typedef struct {
  const char *path; /* nullable: nothing to protect */
  const char *what; /* for the message: "the scenario file", "the price list" */
} LpInputFile;

/**
 * LpOutputKind:
 * @LP_OUTPUT_STREAM: the caller writes through lp_output_stream()
 * @LP_OUTPUT_FILE: a library writes a whole file at lp_output_path() (a
 *   workbook), which lp_output_commit() then moves or copies to the target
 */
typedef enum {
  LP_OUTPUT_STREAM,
  LP_OUTPUT_FILE,
} LpOutputKind;

typedef struct _LpOutput LpOutput;

/**
 * lp_output_new:
 * @path: the target as the user wrote it; "-" and /dev/stdout are standard output
 * @kind: how the output is written
 * @inputs: (array zero-terminated=1) (nullable): files being read, ended by
 *   an entry with a NULL @what; an output over any of them is refused
 * @error: LP_ERROR_USAGE "PATH: refusing to overwrite WHAT being read" (one
 *   of @inputs, or a file lp_output_protect() recorded);
 *   LP_ERROR_IO "cannot write PATH: reason" for a folder, a read-only file
 *   (its mode bits, also for root), or a folder where no file can be created
 *
 * Checks the target and prepares it, so that every output of a command can be
 * checked before any is written. A regular file (or one that does not exist
 * yet) is written to a temporary file beside it and renamed over it by
 * lp_output_commit(), keeping the old file's mode; a symbolic link's final
 * target is replaced that way, leaving the link a link. Devices, FIFOs and
 * standard output are written through: there is nothing to make atomic.
 * Until the output is committed or freed, SIGINT, SIGTERM and SIGHUP remove
 * its temporary file (see lp_output_catch_signals()).
 *
 * Returns: (transfer full) (nullable): the output; free with lp_output_free().
 */
LpOutput *lp_output_new (const char *path, LpOutputKind kind, const LpInputFile *inputs,
                         GError **error);

/**
 * lp_output_protect:
 * @path: a file the run has read ("-" and files that are not regular are ignored)
 * @what: (not nullable): static text for the message: "a rule or template file"
 *
 * Records @path (by device and inode) so that lp_output_new() refuses to
 * write over it for the rest of the run, whatever @inputs it is given:
 * lp_keyfile_load() records every scenario, rule, template and price file it
 * reads, so the whole rule chain is protected. Thread-safe.
 */
void lp_output_protect (const char *path, const char *what);

/**
 * lp_output_unprotect:
 * @path: a file recorded by lp_output_protect()
 *
 * Lets outputs replace @path again: the shell's scenario, read whole, is
 * what its `save` writes.
 */
void lp_output_unprotect (const char *path);

/**
 * lp_output_new_memory:
 *
 * An LP_OUTPUT_STREAM output that keeps what is written in memory, for a
 * caller that wants a writer's bytes rather than a file (tests, a session
 * comparing two plans); lp_output_contents() reads them once committed.
 *
 * Returns: (transfer full): the output; free with lp_output_free().
 */
LpOutput *lp_output_new_memory (void);

/**
 * lp_output_contents:
 * @o: an output made by lp_output_new_memory() and committed
 * @len: (out) (optional): how many bytes
 *
 * Returns: (transfer none) (nullable): the bytes written, followed by a NUL;
 *   owned by @o. NULL before the output is committed.
 */
const char *lp_output_contents (const LpOutput *o, gsize *len);

/**
 * lp_output_same:
 * Returns: whether @a and @b would write the same file (both standard output,
 *   or one device, FIFO or regular file reached by two names).
 */
gboolean lp_output_same (const LpOutput *a, const LpOutput *b);

/**
 * lp_output_stream:
 * @o: an LP_OUTPUT_STREAM output
 * @error: LP_ERROR_IO "cannot write PATH: reason" when a device or FIFO cannot be opened
 *
 * Returns: (transfer none) (nullable): where to write; owned by @o. Write
 * errors are reported by lp_output_commit().
 */
FILE *lp_output_stream (LpOutput *o, GError **error);

/**
 * lp_output_put:
 * @o: an LP_OUTPUT_STREAM output
 * @data: bytes to add, @len of them
 * @error: LP_ERROR_IO "cannot write PATH: reason"
 *
 * Writes to lp_output_stream(), reporting a failure with its reason at once.
 */
gboolean lp_output_put (LpOutput *o, const char *data, gsize len, GError **error);

/**
 * lp_output_path:
 * @o: an LP_OUTPUT_FILE output
 *
 * Returns: (transfer none): the temporary file a library writes the whole
 *   output to; lp_output_commit() puts it in place.
 */
const char *lp_output_path (const LpOutput *o);

/**
 * lp_output_target:
 * Returns: (transfer none): the target as the user wrote it, for messages.
 */
const char *lp_output_target (const LpOutput *o);

/**
 * lp_output_commit:
 * @o: a completely written output
 * @error: LP_ERROR_IO "cannot write PATH: reason"
 *
 * Flushes and syncs the output and puts it in place: renames the temporary
 * file over the target, or copies it to a device, FIFO or standard output.
 * On failure the temporary file is removed and a regular target is untouched.
 */
gboolean lp_output_commit (LpOutput *o, GError **error);

/**
 * lp_output_free:
 * @o: (nullable): an output; one not committed is abandoned, its temporary file removed
 */
void lp_output_free (LpOutput *o);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpOutput, lp_output_free)

/**
 * lp_output_write:
 * @path: the target, "-" for standard output
 * @data: the bytes, @len of them
 * @inputs: as for lp_output_new()
 * @error: as for lp_output_new() and lp_output_commit()
 *
 * Writes @data to @path whole: lp_output_new(), one write, lp_output_commit().
 */
gboolean lp_output_write (const char *path, const char *data, gsize len, const LpInputFile *inputs,
                          GError **error);

/**
 * lp_output_catch_signals:
 *
 * Installs handlers for SIGINT, SIGTERM and SIGHUP that remove the temporary
 * files of every output not yet committed, leave the targets untouched, and
 * exit with 128 plus the signal's number (130, 143, 129). A signal ignored
 * when the program starts (nohup, a shell's background job) stays ignored.
 * Call once, early.
 */
void lp_output_catch_signals (void);

/**
 * lp_output_hold_temp:
 * @path: a temporary file a command writes (or a child writes for it)
 *
 * Adds @path to the files SIGINT, SIGTERM and SIGHUP remove (see
 * lp_output_catch_signals()), until lp_output_release_temp(); the caller
 * still removes it itself.
 * Returns: the slot to give lp_output_release_temp(), or -1 when @path is
 *   too long or every slot is taken (the file is then not protected).
 */
int lp_output_hold_temp (const char *path);

/**
 * lp_output_release_temp:
 * @slot: what lp_output_hold_temp() returned (-1: nothing)
 *
 * Call after removing the file (or putting it in place).
 */
void lp_output_release_temp (int slot);

/**
 * lp_output_hold_child:
 * @pid: a child process writing one of the held files (Graphviz's dot)
 *
 * Until lp_output_release_child(), SIGINT, SIGTERM and SIGHUP kill @pid
 * with SIGKILL and reap it before removing the temporary files, so no child
 * outlives lyncplan writing into a removed file. One child at a time.
 */
void lp_output_hold_child (GPid pid);

/**
 * lp_output_release_child:
 *
 * Call once the child has been reaped.
 */
void lp_output_release_child (void);
