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
 * ratios are reported. A row's width is the rule set's: as many role columns
 * as the sweep's own header has.
 * Run with: meson test -C build --benchmark sweep --verbose */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
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
  for (guint k = 0; k < roles; k++)
    fprintf (f, ",role%u", k);
  fprintf (f, ",missed\r\n"); /* RFC 4180 line ends, as the sweep writes */
  for (guint r = 1; r <= rows; r++) {
    fprintf (f, "%u,enterprise-pool,enterprise,true,%u,%u", r, 12 + r % 7, 2u);
    for (guint k = 0; k < roles; k++)
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
    for (guint k = 0; k < roles; k++)
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
  double rss_csv, rss_xlsx, rss_small, rss;
  double t_floor_csv, t_csv, t_csv_n, t_floor_xlsx, t_xlsx, t_xlsx_n;

  roles = count_roles (bin);
  t_floor_csv = bare_csv (floor_csv, 1000000);
  t_csv = run_sweep (csv_args, &rss_csv);
  csv_args[9] = NULL;
  t_csv_n = run_sweep (csv_args, &rss);
  t_floor_xlsx = bare_xlsx (floor_xlsx, 1048575);
  t_xlsx = run_sweep (xlsx_args, &rss_xlsx);
  xlsx_args[11] = NULL;
  t_xlsx_n = run_sweep (xlsx_args, &rss);
  run_sweep (small_args, &rss_small);
  printf ("rows of %u role columns (the rule set's), floors on one thread\n", roles);
  printf ("CSV,  1,000,000 rows: sweep %.2f s on one thread, %.2f s on %u; bare stdio %.2f s: "
          "%.2fx and %.2fx (target <= 1.2x on one thread)\n",
          t_csv, t_csv_n, g_get_num_processors (), t_floor_csv, t_csv / t_floor_csv,
          t_csv_n / t_floor_csv);
  printf ("XLSX, 1,048,575 rows: sweep %.2f s on one thread, %.2f s on %u; bare libxlsxwriter "
          "%.2f s: %.2fx and %.2fx (target <= 1.2x on one thread)\n",
          t_xlsx, t_xlsx_n, g_get_num_processors (), t_floor_xlsx, t_xlsx / t_floor_xlsx,
          t_xlsx_n / t_floor_xlsx);
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
