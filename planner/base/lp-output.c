/* lp-output.c: outputs written whole or not at all, devices written through,
 * temporary files removed on a signal; and the data folder. */
#include "lp-output.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lp-error.h"

/* Symbolic links followed to the file they name, as the kernel allows. */
#define LP_OUTPUT_MAX_LINKS 40
/* Outputs a command may have under way at once (plan: the report and the workbook). */
#define LP_OUTPUT_MAX_PENDING 8

struct _LpOutput {
  char *target; /* as the user wrote it */
  char *real;   /* the file replaced: @target with its symbolic links followed */
  char *tmp;    /* nullable: the temporary file */
  LpOutputKind kind;
  gboolean through; /* a device, FIFO or standard output: no rename */
  gboolean is_stdout;
  gboolean existed; /* @real is a regular file whose mode and owner the new one keeps */
  struct stat old;
  mode_t mode;  /* of the new file */
  int tmp_fd;   /* the temporary file, open until committed; or -1 */
  FILE *stream; /* nullable */
  int slot;     /* in pending[], or -1 */
  char *memory; /* nullable: lp_output_new_memory()'s bytes (malloc'd by the C library) */
  size_t memory_len;
  gboolean in_memory;
  gboolean committed;
};

/* Temporary files the signal handler removes: written before @used is set,
 * so the handler never reads a half-written path. */
static struct {
  volatile sig_atomic_t used;
  char path[PATH_MAX];
} pending[LP_OUTPUT_MAX_PENDING];

/* A child process (Graphviz's dot) the signal handler kills and reaps
 * before removing the files it may be writing; 0 when there is none. */
static volatile sig_atomic_t pending_child;

/* Async-signal-safe: kill(), waitpid(), unlink() and _exit() only. */
static void
on_signal_cb (int sig)
{
  pid_t child = (pid_t) pending_child;

  if (child > 0) {
    kill (child, SIGKILL);
    waitpid (child, NULL, 0);
  }
  for (guint i = 0; i < G_N_ELEMENTS (pending); i++) {
    if (pending[i].used)
      unlink (pending[i].path);
  }
  _exit (128 + sig);
}

void
lp_output_catch_signals (void)
{
  static const int signals[] = { SIGINT, SIGTERM, SIGHUP };
  struct sigaction sa = { 0 };

  sa.sa_handler = on_signal_cb;
  sigemptyset (&sa.sa_mask);
  for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
    sigaddset (&sa.sa_mask, signals[i]);
  for (guint i = 0; i < G_N_ELEMENTS (signals); i++) {
    struct sigaction old;
    /* a signal ignored on entry stays ignored: nohup, and background jobs of a shell */
    if (sigaction (signals[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
      continue;
    sigaction (signals[i], &sa, NULL);
  }
}

static int
pending_add (const char *path)
{
  if (strlen (path) >= PATH_MAX)
    return -1;
  for (guint i = 0; i < G_N_ELEMENTS (pending); i++) {
    if (!pending[i].used) {
      strcpy (pending[i].path, path);
      pending[i].used = 1;
      return (int) i;
    }
  }
  return -1;
}

int
lp_output_hold_temp (const char *path)
{
  return pending_add (path);
}

void
lp_output_release_temp (int slot)
{
  if (slot >= 0 && slot < (int) G_N_ELEMENTS (pending))
    pending[slot].used = 0;
}

void
lp_output_hold_child (GPid pid)
{
  pending_child = (sig_atomic_t) pid;
}

void
lp_output_release_child (void)
{
  pending_child = 0;
}

static gboolean
io_fail (GError **error, const char *path, int err)
{
  if (strcmp (path, "-") == 0)
    g_set_error (error, LP_ERROR, LP_ERROR_IO, "cannot write to standard output: %s",
                 g_strerror (err));
  else
    g_set_error (error, LP_ERROR, LP_ERROR_IO, "cannot write %s: %s", path, g_strerror (err));
  return FALSE;
}

static gboolean
names_stdout (const char *path)
{
  return strcmp (path, "-") == 0 || strcmp (path, "/dev/stdout") == 0 ||
         strcmp (path, "/dev/fd/1") == 0 || strcmp (path, "/proc/self/fd/1") == 0;
}

/* /dev/fd/N and the like name open files, not paths to follow. */
static gboolean
names_open_file (const char *path)
{
  return g_str_has_prefix (path, "/dev/fd/") || g_str_has_prefix (path, "/proc/self/fd/") ||
         strcmp (path, "/dev/stderr") == 0;
}

/* @path with its symbolic links followed: the file a rename must replace. */
static char *
follow_links (const char *path, GError **error)
{
  g_autofree char *p = g_strdup (path);

  for (guint hops = 0; hops < LP_OUTPUT_MAX_LINKS; hops++) {
    g_autofree char *link = NULL;
    g_autofree char *dir = NULL;
    GStatBuf st;

    if (g_lstat (p, &st) != 0 || !S_ISLNK (st.st_mode) ||
        (link = g_file_read_link (p, NULL)) == NULL)
      return g_steal_pointer (&p);
    if (g_path_is_absolute (link)) {
      g_free (p);
      p = g_steal_pointer (&link);
      continue;
    }
    dir = g_path_get_dirname (p);
    g_free (p);
    p = g_build_filename (dir, link, NULL);
  }
  io_fail (error, path, ELOOP);
  return NULL;
}

/* Every file the run has read (lp_output_protect()): no output may replace
 * one. Sweep workers read their scenario from threads: a lock. */
typedef struct {
  dev_t dev;
  ino_t ino;
  const char *what; /* static */
} LpReadFile;

static GMutex read_lock;
static GArray *read_files; /* of LpReadFile */

void
lp_output_protect (const char *path, const char *what)
{
  GStatBuf st;
  LpReadFile f;

  if (strcmp (path, "-") == 0 || g_stat (path, &st) != 0 || !S_ISREG (st.st_mode))
    return;
  f = (LpReadFile){ st.st_dev, st.st_ino, what };
  g_mutex_lock (&read_lock);
  if (read_files == NULL)
    read_files = g_array_new (FALSE, FALSE, sizeof (LpReadFile));
  for (guint i = 0; i < read_files->len; i++) {
    const LpReadFile *r = &g_array_index (read_files, LpReadFile, i);
    if (r->dev == f.dev && r->ino == f.ino) {
      g_mutex_unlock (&read_lock);
      return;
    }
  }
  g_array_append_val (read_files, f);
  g_mutex_unlock (&read_lock);
}

void
lp_output_unprotect (const char *path)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    return;
  g_mutex_lock (&read_lock);
  for (guint i = 0; read_files != NULL && i < read_files->len; i++) {
    const LpReadFile *r = &g_array_index (read_files, LpReadFile, i);
    if (r->dev == st.st_dev && r->ino == st.st_ino) {
      g_array_remove_index (read_files, i);
      break;
    }
  }
  g_mutex_unlock (&read_lock);
}

/* The protected file @st is, or NULL. */
static const char *
read_by_run (const struct stat *st)
{
  const char *what = NULL;

  g_mutex_lock (&read_lock);
  for (guint i = 0; read_files != NULL && i < read_files->len && what == NULL; i++) {
    const LpReadFile *r = &g_array_index (read_files, LpReadFile, i);
    if (r->dev == st->st_dev && r->ino == st->st_ino)
      what = r->what;
  }
  g_mutex_unlock (&read_lock);
  return what;
}

static gboolean
is_input (const struct stat *st, const LpInputFile *inputs, const char *path, GError **error)
{
  const char *what;

  for (guint i = 0; inputs != NULL && inputs[i].what != NULL; i++) {
    GStatBuf in;
    if (inputs[i].path != NULL && g_stat (inputs[i].path, &in) == 0 && in.st_dev == st->st_dev &&
        in.st_ino == st->st_ino) {
      g_set_error (error, LP_ERROR, LP_ERROR_USAGE, "%s: refusing to overwrite %s being read", path,
                   inputs[i].what);
      return TRUE;
    }
  }
  if ((what = read_by_run (st)) != NULL) {
    g_set_error (error, LP_ERROR, LP_ERROR_USAGE, "%s: refusing to overwrite %s being read", path,
                 what);
    return TRUE;
  }
  return FALSE;
}

/* A file without write permission is not replaced, whoever runs the tool:
 * root passes access(), so its mode bits are read too. */
static gboolean
check_writable (LpOutput *o, GError **error)
{
  if ((o->old.st_mode & 0222) == 0) {
    g_set_error (error, LP_ERROR, LP_ERROR_IO, "cannot write %s: the file is read-only (mode %04o)",
                 o->target, (unsigned) (o->old.st_mode & 07777));
    return FALSE;
  }
  if (access (o->real, W_OK) != 0)
    return io_fail (error, o->target, errno);
  return TRUE;
}

/* Looks at what @o->real is now: a folder (refused), a regular file, another
 * kind of file (written through), or nothing yet. */
static gboolean
inspect_target (LpOutput *o, const LpInputFile *inputs, GError **error)
{
  struct stat st;

  if (stat (o->real, &st) != 0)
    return errno == ENOENT ? TRUE : io_fail (error, o->target, errno);
  if (is_input (&st, inputs, o->target, error))
    return FALSE;
  if (S_ISDIR (st.st_mode))
    return io_fail (error, o->target, EISDIR);
  o->old = st;
  if (!S_ISREG (st.st_mode)) {
    o->through = TRUE;
    return access (o->real, W_OK) == 0 ? TRUE : io_fail (error, o->target, errno);
  }
  o->existed = TRUE;
  o->mode = st.st_mode & 07777;
  return check_writable (o, error);
}

/* The temporary file: beside the target, so that a rename replaces it
 * atomically; in the temporary folder for a whole file bound for a device. */
static gboolean
make_temp (LpOutput *o, GError **error)
{
  if (o->through) {
    GError *local = NULL;
    o->tmp_fd = g_file_open_tmp ("lyncplan-XXXXXX", &o->tmp, &local);
    if (o->tmp_fd < 0) {
      g_set_error (error, LP_ERROR, LP_ERROR_IO, "cannot write %s: %s", o->target, local->message);
      g_error_free (local);
      return FALSE;
    }
  } else {
    g_autofree char *dir = g_path_get_dirname (o->real);
    g_autofree char *base = g_path_get_basename (o->real);
    o->tmp = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
    o->tmp_fd = g_mkstemp_full (o->tmp, O_RDWR | O_CLOEXEC, 0600);
    if (o->tmp_fd < 0) {
      int err = errno;
      g_clear_pointer (&o->tmp, g_free);
      return io_fail (error, o->target, err);
    }
  }
  o->slot = pending_add (o->tmp);
  return TRUE;
}

LpOutput *
lp_output_new (const char *path, LpOutputKind kind, const LpInputFile *inputs, GError **error)
{
  g_autoptr (LpOutput) o = g_new0 (LpOutput, 1);
  mode_t mask = umask (0);

  umask (mask);
  o->target = g_strdup (path);
  o->kind = kind;
  o->tmp_fd = -1;
  o->slot = -1;
  o->mode = 0666 & ~mask;
  o->is_stdout = names_stdout (path);
  o->through = o->is_stdout || names_open_file (path);
  o->real = o->through ? g_strdup (path) : follow_links (path, error);
  if (o->real == NULL || (!o->is_stdout && !inspect_target (o, inputs, error)))
    return NULL;
  if ((!o->through || kind == LP_OUTPUT_FILE) && !make_temp (o, error))
    return NULL;
  return g_steal_pointer (&o);
}

LpOutput *
lp_output_new_memory (void)
{
  LpOutput *o = g_new0 (LpOutput, 1);

  o->target = g_strdup ("memory");
  o->real = g_strdup (o->target);
  o->kind = LP_OUTPUT_STREAM;
  o->through = TRUE;
  o->in_memory = TRUE;
  o->tmp_fd = -1;
  o->slot = -1;
  o->stream = open_memstream (&o->memory, &o->memory_len);
  if (o->stream == NULL)
    g_error ("open_memstream: %s", g_strerror (errno));
  return o;
}

const char *
lp_output_contents (const LpOutput *o, gsize *len)
{
  if (len != NULL)
    *len = o->committed ? o->memory_len : 0;
  return o->committed ? o->memory : NULL;
}

gboolean
lp_output_same (const LpOutput *a, const LpOutput *b)
{
  GStatBuf sa, sb;

  if (a->in_memory || b->in_memory)
    return a == b;
  if (a->is_stdout || b->is_stdout)
    return a->is_stdout && b->is_stdout;
  if (strcmp (a->real, b->real) == 0)
    return TRUE;
  return g_stat (a->real, &sa) == 0 && g_stat (b->real, &sb) == 0 && sa.st_dev == sb.st_dev &&
         sa.st_ino == sb.st_ino;
}

/* Opens the device or FIFO itself; never creates a file there. */
static FILE *
open_through (const LpOutput *o, GError **error)
{
  int fd;
  FILE *f;

  if (o->is_stdout)
    return stdout;
  fd = g_open (o->real, O_WRONLY | O_NOCTTY | O_CLOEXEC, 0);
  if (fd < 0 || (f = fdopen (fd, "w")) == NULL) {
    int err = errno;
    if (fd >= 0)
      close (fd);
    io_fail (error, o->target, err);
    return NULL;
  }
  return f;
}

FILE *
lp_output_stream (LpOutput *o, GError **error)
{
  g_return_val_if_fail (o->kind == LP_OUTPUT_STREAM, NULL);
  if (o->stream != NULL)
    return o->stream;
  if (o->through)
    o->stream = open_through (o, error);
  else if ((o->stream = fdopen (o->tmp_fd, "w")) == NULL)
    io_fail (error, o->target, errno);
  else
    o->tmp_fd = -1; /* the stream owns it now */
  return o->stream;
}

gboolean
lp_output_put (LpOutput *o, const char *data, gsize len, GError **error)
{
  FILE *f = lp_output_stream (o, error);

  if (f == NULL)
    return FALSE;
  errno = 0;
  if (len > 0 && fwrite (data, 1, len, f) != len)
    return io_fail (error, o->is_stdout ? "-" : o->target, errno != 0 ? errno : EIO);
  return TRUE;
}

const char *
lp_output_path (const LpOutput *o)
{
  return o->tmp;
}

const char *
lp_output_target (const LpOutput *o)
{
  return o->target;
}

/* Copies the temporary file to @to (a device, FIFO or standard output). */
static gboolean
copy_through (LpOutput *o, FILE *to)
{
  char buf[65536];
  ssize_t n;

  if (lseek (o->tmp_fd, 0, SEEK_SET) != 0)
    return FALSE;
  while ((n = read (o->tmp_fd, buf, sizeof buf)) > 0) {
    if (fwrite (buf, 1, (gsize) n, to) != (gsize) n)
      return FALSE;
  }
  return n == 0 && fflush (to) == 0;
}

/* Closes a stream, reporting what never reached its file; stdout stays open
 * for main() to close. */
static gboolean
close_stream (FILE *f, gboolean is_stdout)
{
  gboolean ok;
  int err;

  errno = 0;
  ok = fflush (f) == 0 && !ferror (f);
  err = errno;

  if (!is_stdout && fclose (f) != 0 && ok) {
    ok = FALSE;
    err = errno;
  }
  errno = ok ? 0 : err != 0 ? err : EIO;
  return ok;
}

static gboolean
commit_through (LpOutput *o, GError **error)
{
  FILE *f = o->stream;
  gboolean ok;

  if (o->kind == LP_OUTPUT_FILE && (f = open_through (o, error)) == NULL)
    return FALSE;
  if (f == NULL) /* a stream never opened: nothing was written */
    return TRUE;
  ok = o->kind == LP_OUTPUT_STREAM || copy_through (o, f);
  int err = errno;
  if (!close_stream (f, o->is_stdout) && ok) {
    ok = FALSE;
    err = errno;
  }
  o->stream = NULL;
  return ok ? TRUE : io_fail (error, o->is_stdout ? "-" : o->target, err != 0 ? err : EIO);
}

/* The new file gets the old one's mode (and, for root, its owner), else the
 * mode a new file would have, and reaches the disk before the rename. */
static gboolean
finish_temp (LpOutput *o)
{
  int fd = o->stream != NULL ? fileno (o->stream) : o->tmp_fd;
  gboolean ok;

  if (o->stream != NULL && (fflush (o->stream) != 0 || ferror (o->stream))) {
    if (errno == 0)
      errno = EIO;
    return FALSE;
  }
  ok = !(o->existed && geteuid () == 0 && fchown (fd, o->old.st_uid, o->old.st_gid) != 0) &&
       fchmod (fd, o->mode) == 0 && fsync (fd) == 0;
  if (o->stream != NULL) {
    ok = fclose (o->stream) == 0 && ok;
    o->stream = NULL;
  } else {
    ok = close (fd) == 0 && ok;
  }
  o->tmp_fd = -1;
  return ok;
}

gboolean
lp_output_commit (LpOutput *o, GError **error)
{
  gboolean ok;

  if (o->through) {
    ok = commit_through (o, error);
  } else {
    ok = finish_temp (o) && rename (o->tmp, o->real) == 0;
    if (!ok)
      io_fail (error, o->target, errno);
    else
      g_clear_pointer (&o->tmp, g_free); /* in place: nothing to remove */
  }
  o->committed = ok;
  return ok;
}

void
lp_output_free (LpOutput *o)
{
  if (o == NULL)
    return;
  if (o->stream != NULL && o->stream != stdout)
    fclose (o->stream);
  if (o->tmp_fd >= 0)
    close (o->tmp_fd);
  if (o->tmp != NULL)
    g_unlink (o->tmp);
  if (o->slot >= 0) /* after the unlink: a signal in between finds nothing to remove */
    pending[o->slot].used = 0;
  free (o->memory);
  g_free (o->tmp);
  g_free (o->real);
  g_free (o->target);
  g_free (o);
}

gboolean
lp_output_write (const char *path, const char *data, gsize len, const LpInputFile *inputs,
                 GError **error)
{
  g_autoptr (LpOutput) o = lp_output_new (path, LP_OUTPUT_STREAM, inputs, error);

  return o != NULL && lp_output_put (o, data, len, error) && lp_output_commit (o, error);
}
