/* bench-sweep.c: a sweep against the floor of its output device, measured in
 * one run (as ratios, so a noisy machine moves both sides alike):
 *   - 1,000,000-row CSV sweep vs. a bare stdio loop writing rows of the same
 *     width (target: at most 1.2x on one thread);
 *   - 1,048,575-row XLSX sweep vs. libxlsxwriter writing the same cells in
 *     constant-memory mode with nothing else (target: at most 1.2x on one
 *     thread);
 *   - the peak RSS of each sweep (target: under 50 MB, flat in rows).
 * The sweeps run as the real command, lyncplan sweep, in a child process,
 * once on one thread (the floor's one) and once on the default threads; both
 * ratios are reported, of wall time and of CPU time (user and system, each
 * side in a child process of its own). A row's width is the rule set's: as
 * many role columns as the sweep's own header has.
 * Run with: meson test -C build --benchmark sweep --verbose
 *
 * bench-sweep floor csv|xlsx ROWS STEP FILE writes only a floor: ROWS rows
 * with users 1, 1+STEP, 1+2*STEP, ... (tests/bench/callgrind-sweep counts
 * its instructions against the sweep's over the same users). */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xlsxwriter.h>

/* The rule set's roles: the width of a row, read from the sweep's header. */
static guint roles;

/* The number of role columns lyncplan's sweep header has (its columns
 * less users, design, edition, feasible, servers, appliances and missed). */
static guint
count_roles (const char *bin)
{
  const char *argv[] = { bin, "sweep", "--site", "HQ=5000", "--vary", "users=1..1/1", NULL };
  g_autofree char *out = NULL;
  g_auto (GStrv) fields = NULL;
  char *eol;

  g_assert (
    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, NULL, NULL));
  eol = strpbrk (out, "\r\n");
  g_assert (eol != NULL);
  *eol = '\0';
  fields = g_strsplit (out, ",", -1);
  g_assert (g_strv_length (fields) > 7);
  return g_strv_length (fields) - 7;
}

/* A side's time: wall seconds, and CPU seconds (user and system, every
 * thread), and its peak RSS in MB. */
typedef struct {
  double wall, cpu, rss_mb;
} Took;

typedef void (*Floor) (const char *path, guint rows, guint step);

/* Runs lyncplan (@args) or, with @args NULL, @floor in a child process. */
static Took
run_child (const char *const *args, Floor floor, const char *path, guint rows)
{
  gint64 t0 = g_get_monotonic_time ();
  struct rusage use;
  int status = 0;
  pid_t pid = fork ();

  g_assert (pid >= 0);
  if (pid == 0) {
    if (args == NULL) {
      floor (path, rows, 1);
      _exit (0);
    }
    execv (args[0], (char **) args);
    _exit (127);
  }
  g_assert (wait4 (pid, &status, 0, &use) == pid);
  g_assert (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  return (Took){
    .wall = (double) (g_get_monotonic_time () - t0) / 1e6,
    .cpu = (double) (use.ru_utime.tv_sec + use.ru_stime.tv_sec) +
           (double) (use.ru_utime.tv_usec + use.ru_stime.tv_usec) / 1e6,
    .rss_mb = use.ru_maxrss / 1024.0,
  };
}

/* The same number of rows and columns as the sweep, with stdio; users 1,
 * 1 + @step, ... */
static void
bare_csv (const char *path, guint rows, guint step)
{
  FILE *f = fopen (path, "w");

  fprintf (f, "users,design,edition,feasible,servers,appliances");
  for (guint k = 0; k < roles; k++)
    fprintf (f, ",role%u", k);
  fprintf (f, ",missed\r\n"); /* RFC 4180 line ends, as the sweep writes */
  for (guint r = 1; r <= rows; r++) {
    fprintf (f, "%u,enterprise-pool,enterprise,true,%u,%u", 1 + (r - 1) * step, 12 + r % 7, 2u);
    for (guint k = 0; k < roles; k++)
      fprintf (f, ",%u", (r + k) % 5);
    fprintf (f, ",\r\n");
  }
  g_assert (fclose (f) == 0);
}

/* The same cells as the sweep workbook, in the same mode: a bold header
 * row, its columns as wide, the pane frozen below it; the rows. (The sweep
 * adds only document properties and a chart sheet, whose cost is fixed.) */
static void
bare_xlsx (const char *path, guint rows, guint step)
{
  lxw_workbook_options options = { .constant_memory = LXW_TRUE };
  lxw_workbook *wb = workbook_new_opt (path, &options);
  lxw_worksheet *ws = workbook_add_worksheet (wb, "Sweep");
  lxw_format *bold = workbook_add_format (wb);
  lxw_col_t col = 0;

  format_set_bold (bold);
  worksheet_freeze_panes (ws, 1, 0);
  for (const char *const *h = (const char *const[]){ "users", "design", "edition", "feasible",
                                                     "servers", "appliances", NULL };
       *h; h++) {
    worksheet_set_column (ws, col, col, 12, NULL);
    worksheet_write_string (ws, 0, col++, *h, bold);
  }
  for (guint k = 0; k < roles; k++) {
    g_autofree char *name = g_strdup_printf ("role%u", k);
    worksheet_set_column (ws, col, col, 12, NULL);
    worksheet_write_string (ws, 0, col++, name, bold);
  }
  worksheet_set_column (ws, col, col, 16, NULL);
  worksheet_write_string (ws, 0, col, "missed", bold);
  for (guint r = 1; r <= rows; r++) {
    lxw_col_t c = 0;
    worksheet_write_number (ws, r, c++, 1 + (r - 1) * step, NULL);
    worksheet_write_string (ws, r, c++, "enterprise-pool", NULL);
    worksheet_write_string (ws, r, c++, "enterprise", NULL);
    worksheet_write_boolean (ws, r, c++, 1, NULL);
    worksheet_write_number (ws, r, c++, 12 + r % 7, NULL);
    worksheet_write_number (ws, r, c++, 2, NULL);
    for (guint k = 0; k < roles; k++)
      worksheet_write_number (ws, r, c++, (r + k) % 5, NULL);
  }
  g_assert (workbook_close (wb) == LXW_NO_ERROR);
}

/* "sweep 1.00 s on one thread (CPU 0.90 s), 0.70 s on 2 (CPU 1.10 s); floor
 * 0.80 s (CPU 0.75 s): wall 1.25x and 0.88x, CPU 1.20x and 1.47x" */
static void
report (const char *what, const char *floor, Took one, Took n, Took bare)
{
  printf ("%s: sweep %.2f s on one thread (CPU %.2f s), %.2f s on %u (CPU %.2f s); %s %.2f s "
          "(CPU %.2f s): wall %.2fx and %.2fx, CPU %.2fx and %.2fx (target <= 1.2x on one "
          "thread)\n",
          what, one.wall, one.cpu, n.wall, g_get_num_processors (), n.cpu, floor, bare.wall,
          bare.cpu, one.wall / bare.wall, n.wall / bare.wall, one.cpu / bare.cpu, n.cpu / bare.cpu);
}

/* bench-sweep floor csv|xlsx ROWS STEP FILE */
static int
floor_only (char **argv)
{
  guint64 rows = 0, step = 0;

  if (!g_ascii_string_to_unsigned (argv[3], 10, 1, 1048575, &rows, NULL) ||
      !g_ascii_string_to_unsigned (argv[4], 10, 1, G_MAXUINT32 / rows, &step, NULL)) {
    fprintf (stderr, "bench-sweep floor: expected ROWS (1 to 1048575) and STEP\n");
    return 2;
  }
  if (strcmp (argv[2], "csv") == 0)
    bare_csv (argv[5], (guint) rows, (guint) step);
  else if (strcmp (argv[2], "xlsx") == 0)
    bare_xlsx (argv[5], (guint) rows, (guint) step);
  else {
    fprintf (stderr, "bench-sweep floor: expected csv or xlsx, not %s\n", argv[2]);
    return 2;
  }
  return 0;
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = g_dir_make_tmp ("lyncplan-bench-XXXXXX", NULL);
  g_autofree char *csv = g_build_filename (dir, "sweep.csv", NULL);
  g_autofree char *floor_csv = g_build_filename (dir, "floor.csv", NULL);
  g_autofree char *xlsx = g_build_filename (dir, "sweep.xlsx", NULL);
  g_autofree char *floor_xlsx = g_build_filename (dir, "floor.xlsx", NULL);
  const char *bin = g_getenv ("LYNCPLAN");
  /* the last two: --threads 1, or nothing (the default: one per core) */
  const char *csv_args[] = { bin,         "sweep",  "--site",
                             "HQ=5000",   "--vary", "users=1..1000000/1",
                             "--quiet",   "-o",     csv,
                             "--threads", "1",      NULL };
  const char *xlsx_args[] = { bin,       "sweep",    "--site",
                              "HQ=5000", "--vary",   "users=1..1048575/1",
                              "--quiet", "--format", "xlsx",
                              "-o",      xlsx,       "--threads",
                              "1",       NULL };
  const char *small_args[] = {
    bin, "sweep", "--site", "HQ=5000", "--vary", "users=1..100000/1", "--quiet", "-o", csv, NULL
  };
  Took floor_c, csv_1, csv_n, floor_x, xlsx_1, xlsx_n, small;
  double load[3] = { 0 };

  if (bin == NULL) {
    fprintf (stderr, "bench-sweep: set LYNCPLAN to the lyncplan binary\n");
    return 2;
  }
  roles = count_roles (bin);
  if (argc == 6 && strcmp (argv[1], "floor") == 0)
    return floor_only (argv);
  if (argc != 1) {
    fprintf (stderr, "usage: bench-sweep [floor csv|xlsx ROWS STEP FILE]\n");
    return 2;
  }
  floor_c = run_child (NULL, bare_csv, floor_csv, 1000000);
  csv_1 = run_child (csv_args, NULL, NULL, 0);
  csv_args[9] = NULL;
  csv_n = run_child (csv_args, NULL, NULL, 0);
  floor_x = run_child (NULL, bare_xlsx, floor_xlsx, 1048575);
  xlsx_1 = run_child (xlsx_args, NULL, NULL, 0);
  xlsx_args[11] = NULL;
  xlsx_n = run_child (xlsx_args, NULL, NULL, 0);
  small = run_child (small_args, NULL, NULL, 0);
  g_assert (getloadavg (load, 3) == 3);
  printf ("rows of %u role columns (the rule set's), floors on one thread; %u cores, load "
          "average %.1f %.1f %.1f\n",
          roles, g_get_num_processors (), load[0], load[1], load[2]);
  report ("CSV,  1,000,000 rows", "bare stdio", csv_1, csv_n, floor_c);
  report ("XLSX, 1,048,575 rows", "bare libxlsxwriter", xlsx_1, xlsx_n, floor_x);
  printf (
    "peak RSS: %.1f MB at 100,000 rows, %.1f MB at 1,000,000 (CSV), %.1f MB (XLSX) (target < 50)\n",
    small.rss_mb, csv_1.rss_mb, xlsx_1.rss_mb);
  for (const char *const *p = (const char *const[]){ csv, floor_csv, xlsx, floor_xlsx, NULL }; *p;
       p++)
    g_unlink (*p);
  g_rmdir (dir);
  return 0;
}
