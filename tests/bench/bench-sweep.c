/* bench-sweep.c: a sweep against the floor of its output device, measured in
 * one run (as ratios, so a noisy machine moves both sides alike):
 *   - 1,000,000-row CSV sweep vs. a bare stdio loop writing rows of the same
 *     width (target: at most 2x);
 *   - 1,048,575-row XLSX sweep vs. libxlsxwriter writing the same cells in
 *     constant-memory mode with nothing else (target: at most 1.2x);
 *   - the peak RSS of each sweep (target: under 50 MB, flat in rows).
 * The sweeps run as the real command, lyncplan sweep, in a child process.
 * Run with: meson test -C build --benchmark sweep --verbose */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define ROLES 10 /* the lync2013 rule set's roles: the width of a row */

/* Runs lyncplan; returns wall seconds, and the child's peak RSS in MB. */
static double
run_sweep (const char *const *args, double *rss_mb)
{
  gint64 t0 = g_get_monotonic_time ();
  struct rusage use;
  int status = 0;
  pid_t pid = fork ();

  if (pid == 0) {
    execv (args[0], (char **) args);
    _exit (127);
  }
  wait4 (pid, &status, 0, &use);
  g_assert (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  *rss_mb = use.ru_maxrss / 1024.0;
  return (double) (g_get_monotonic_time () - t0) / 1e6;
}

/* The same number of rows and columns as the sweep, with stdio. */
static double
bare_csv (const char *path, guint rows)
{
  gint64 t0 = g_get_monotonic_time ();
  FILE *f = fopen (path, "w");

  fprintf (f, "users,design,edition,feasible,servers,appliances");
  for (guint k = 0; k < ROLES; k++)
    fprintf (f, ",role%u", k);
  fprintf (f, ",missed\r\n"); /* RFC 4180 line ends, as the sweep writes */
  for (guint r = 1; r <= rows; r++) {
    fprintf (f, "%u,enterprise-pool,enterprise,true,%u,%u", r, 12 + r % 7, 2u);
    for (guint k = 0; k < ROLES; k++)
      fprintf (f, ",%u", (r + k) % 5);
    fprintf (f, ",\r\n");
  }
  fclose (f);
  return (double) (g_get_monotonic_time () - t0) / 1e6;
}

/* The same cells as the sweep workbook, nothing else. */
static double
bare_xlsx (const char *path, guint rows)
{
  gint64 t0 = g_get_monotonic_time ();
  lxw_workbook_options options = { .constant_memory = LXW_TRUE };
  lxw_workbook *wb = workbook_new_opt (path, &options);
  lxw_worksheet *ws = workbook_add_worksheet (wb, "Sweep");

  for (guint r = 1; r <= rows; r++) {
    lxw_col_t c = 0;
    worksheet_write_number (ws, r, c++, r, NULL);
    worksheet_write_string (ws, r, c++, "enterprise-pool", NULL);
    worksheet_write_string (ws, r, c++, "enterprise", NULL);
    worksheet_write_boolean (ws, r, c++, 1, NULL);
    worksheet_write_number (ws, r, c++, 12 + r % 7, NULL);
    worksheet_write_number (ws, r, c++, 2, NULL);
    for (guint k = 0; k < ROLES; k++)
      worksheet_write_number (ws, r, c++, (r + k) % 5, NULL);
  }
  g_assert (workbook_close (wb) == LXW_NO_ERROR);
  return (double) (g_get_monotonic_time () - t0) / 1e6;
}

int
main (void)
{
  g_autofree char *dir = g_dir_make_tmp ("lyncplan-bench-XXXXXX", NULL);
  g_autofree char *csv = g_build_filename (dir, "sweep.csv", NULL);
  g_autofree char *floor_csv = g_build_filename (dir, "floor.csv", NULL);
  g_autofree char *xlsx = g_build_filename (dir, "sweep.xlsx", NULL);
  g_autofree char *floor_xlsx = g_build_filename (dir, "floor.xlsx", NULL);
  const char *bin = g_getenv ("LYNCPLAN");
  const char *csv_args[] = {
    bin, "sweep", "--site", "HQ=5000", "--vary", "users=1..1000000/1", "--quiet", "-o", csv, NULL
  };
  const char *xlsx_args[] = { bin,       "sweep",    "--site",
                              "HQ=5000", "--vary",   "users=1..1048575/1",
                              "--quiet", "--format", "xlsx",
                              "-o",      xlsx,       NULL };
  const char *small_args[] = {
    bin, "sweep", "--site", "HQ=5000", "--vary", "users=1..100000/1", "--quiet", "-o", csv, NULL
  };
  double rss_csv, rss_xlsx, rss_small;
  double t_floor_csv = bare_csv (floor_csv, 1000000);
  double t_csv = run_sweep (csv_args, &rss_csv);
  double t_floor_xlsx = bare_xlsx (floor_xlsx, 1048575);
  double t_xlsx = run_sweep (xlsx_args, &rss_xlsx);

  run_sweep (small_args, &rss_small);
  printf ("CSV,  1,000,000 rows: sweep %.2f s, bare stdio %.2f s: %.2fx (target <= 2x)\n", t_csv,
          t_floor_csv, t_csv / t_floor_csv);
  printf ("XLSX, 1,048,575 rows: sweep %.2f s, bare libxlsxwriter %.2f s: %.2fx (target <= 1.2x)\n",
          t_xlsx, t_floor_xlsx, t_xlsx / t_floor_xlsx);
  printf (
    "peak RSS: %.1f MB at 100,000 rows, %.1f MB at 1,000,000 (CSV), %.1f MB (XLSX) (target < 50)\n",
    rss_small, rss_csv, rss_xlsx);
  printf ("%u cores\n", g_get_num_processors ());
  for (const char *const *p = (const char *const[]){ csv, floor_csv, xlsx, floor_xlsx, NULL }; *p;
       p++)
    g_unlink (*p);
  g_rmdir (dir);
  return 0;
}
