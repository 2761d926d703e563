/* lp-cli-sweep.c: `lyncplan sweep`. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lp-cli.h"
#include "lp-error.h"
#include "lp-output.h"
#include "lp-process.h"
#include "lp-units.h"
#include "lp-sweep-pool.h"
#include "lp-write-sweep-xlsx.h"
#include "lp-write-sweep.h"

/* Rows a sweep runs without --yes; more is likely a mistake in a --vary. */
#define LP_SWEEP_CONFIRM_ROWS 100000000ULL
/* Rows formatted between writes and progress updates. */
#define LP_SWEEP_CHUNK 4096
/* --threads at most this many a core: more only take turns on the cores,
 * and each holds a copy of the scenario and its buffers. */
#define LP_SWEEP_THREADS_PER_CORE 4

typedef struct {
  LpScenarioOptions s;
  char **vary;
  char *format;
  char *output;
  char *shard;
  LpBreakOn breakpoints; /* LP_BREAK_NONE: rows */
  gboolean yes;
  gboolean quiet;
  gboolean progress;
  gboolean per_site; /* each scenario site's design and servers */
  char *threads;     /* nullable: one per core */
  char *format_help; /* made from the writer tables */
} LpSweepOptions;

typedef struct {
  LpSweep *sweep;
  const LpRuleset *rs;
  const LpSweepWriter *rows;   /* --format without --breakpoints */
  const LpBreakWriter *breaks; /* --format with --breakpoints */
  gboolean priced;
  const char *currency; /* nullable: the price list's (the sweep's scenario holds it) */
  guint64 first, end;   /* the rows of this run: [first, end) */
  LpOutput *output;     /* -o, or standard output */
  LpSweepBook *book;    /* --format xlsx */
  gboolean progress;
  gboolean per_site;  /* --per-site: detailed summaries */
  GPtrArray *workers; /* of LpSweep: one per thread that plans rows */
} LpSweepRun;

static void
options_clear (LpSweepOptions *o)
{
  lp_cli_scenario_options_clear (&o->s);
  g_strfreev (o->vary);
  g_free (o->format);
  g_free (o->output);
  g_free (o->shard);
  g_free (o->threads);
  g_free (o->format_help);
}

/* --breakpoints[=ON]: the bare option is --breakpoints=servers. */
static gboolean
breakpoints_cb (const char *name, const char *value, gpointer data, GError **error)
{
  LpSweepOptions *o = data;

  (void) name;
  return lp_break_on_parse (value, &o->breakpoints, error);
}

/* --format's help, from the writer tables: "csv (default), jsonl or xlsx
 * (with a chart); for --breakpoints: text (default), csv or jsonl". */
static char *
format_help (void)
{
  g_autofree char *rows = lp_formats_join (LP_FORMATS (lp_sweep_writers), TRUE, " or ");
  g_autofree char *breaks = lp_formats_join (LP_FORMATS (lp_break_writers), TRUE, " or ");

  return g_strdup_printf ("%s; for --breakpoints: %s", rows, breaks);
}

void
lp_cli_sweep_formats (void)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (const LpSweepWriter *w = lp_sweep_writers; w->format.name != NULL; w++) {
    if (g_hash_table_add (seen, (gpointer) w->format.name))
      printf ("%s\n", w->format.name);
  }
  for (const LpBreakWriter *w = lp_break_writers; w->format.name != NULL; w++) {
    if (g_hash_table_add (seen, (gpointer) w->format.name))
      printf ("%s\n", w->format.name);
  }
}

static GOptionEntry *
sweep_entries (LpSweepOptions *o)
{
  GOptionEntry own[] = {
    { "vary", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->vary,
      "Vary an input: a list (15m,1h,4h) or a range (1000..100000/1000); repeatable", "KEY=SPEC" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &o->format, o->format_help, "FORMAT" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o->output,
      "Write to FILE (atomically) instead of standard output", "FILE" },
    { "breakpoints", 0, G_OPTION_FLAG_OPTIONAL_ARG, G_OPTION_ARG_CALLBACK,
      (gpointer) breakpoints_cb,
      "Instead of rows, the ranges of the first --vary over which ON stays the same: design, "
      "edition or servers (the default: every count)",
      "ON" },
    { "per-site", 0, 0, G_OPTION_ARG_NONE, &o->per_site,
      "Each site's design and servers too (columns design@SITE, servers@SITE); breakpoints "
      "also where a site's design (or count) changes",
      NULL },
    { "shard", 0, 0, G_OPTION_ARG_STRING, &o->shard,
      "Run only the K-th of N equal slices of the rows (1 <= K <= N)", "K/N" },
    { "yes", 0, 0, G_OPTION_ARG_NONE, &o->yes, "Run a sweep of more than 100 million rows", NULL },
    { "progress", 0, 0, G_OPTION_ARG_NONE, &o->progress,
      "Show progress on standard error (the default on a terminal)", NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &o->quiet, "No progress", NULL },
    { "threads", 0, 0, G_OPTION_ARG_STRING, &o->threads,
      "Threads that plan rows (default: one per core)", "N" },
    { NULL },
  };
  return lp_cli_entries_with_scenario (&o->s, own, G_N_ELEMENTS (own));
}

static const char sweep_description[] =
  "Plans every combination of the varied inputs and writes one row each: the varied\n"
  "inputs (a CSV column input:KEY where KEY also names a result column), then design,\n"
  "edition, feasible, servers, appliances, one column per role, cost (with --prices)\n"
  "and the requirements missed.\n"
  "%s\n"
  "SPEC is a list (15m,1h,4h) or a range with a step (1000..100000/1000, 99.9..99.99/0.01).\n"
  "\n"
  "--breakpoints=ON writes, instead of rows, each run of the first --vary over which\n"
  "ON stays the same, the other axes fixed: design (a run ends where the design or\n"
  "the verdict changes; its servers, appliances and cost from least to most),\n"
  "edition (likewise), or servers (any count, the verdict or the cost; the bare\n"
  "--breakpoints). Text, with the cost when priced, csv or jsonl. Write it with '=':\n"
  "--breakpoints design would read design as the scenario file.\n"
  "\n"
  "--per-site adds each site's design and servers (CSV columns design@SITE and\n"
  "servers@SITE, JSON sites); with --breakpoints a run also ends where a site's design\n"
  "changes (design) or its counts (servers), so a total that stays the same while one\n"
  "site gains a server shows.\n"
  "\n"
  "Rows come in a fixed order: the cartesian product with the first --vary changing\n"
  "fastest. --shard K/N runs rows (K-1)*R/N up to K*R/N of the R rows, so the N\n"
  "shards' outputs, concatenated in order (CSV: without the later shards' header\n"
  "lines), are the full sweep: run them with any batch runner, e.g.\n"
  "  seq 1 4 | parallel lyncplan sweep s.ini --vary ... --shard {}/4 -o part{}.csv\n"
  "\n"
  "Exit status: 0 swept; 1 could not read or write; 2 bad command line, scenario,\n"
  "rules or --vary; 129, 130, 143 stopped by SIGHUP, SIGINT or SIGTERM (the temporary\n"
  "file is removed, an old output left as it was).\n"
  "\n"
  "Examples:\n"
  "  lyncplan sweep --site HQ=5000 --vary users=1000..100000/1000 --breakpoints\n"
  "  lyncplan sweep --site HQ=5000 --vary users=1000..100000/1000 --breakpoints=design\n"
  "  lyncplan sweep examples/dr-enterprise.ini --vary rto=15m,30m,1h,4h --vary dr-rto=none,4h\n";

/* Chooses run->rows, or with --breakpoints run->breaks, from --format. */
static gboolean
check_options (LpSweepOptions *o, LpSweepRun *run, GError **error)
{
  gboolean breakpoints = o->breakpoints != LP_BREAK_NONE;
  gboolean workbook;

  if (breakpoints)
    run->breaks = (const LpBreakWriter *) lp_formats_choose (LP_FORMATS (lp_break_writers),
                                                             o->format, " for --breakpoints",
                                                             error);
  else
    run->rows = (const LpSweepWriter *) lp_formats_choose (LP_FORMATS (lp_sweep_writers), o->format,
                                                           NULL, error);
  if (run->breaks == NULL && run->rows == NULL)
    return FALSE;
  workbook = run->rows != NULL && run->rows->kind == LP_OUTPUT_FILE;
  if (workbook && (o->output == NULL || strcmp (o->output, "-") == 0)) {
    g_set_error (error, LP_ERROR, LP_ERROR_USAGE, "--format %s needs -o FILE",
                 run->rows->format.name);
    return FALSE;
  }
  if (o->per_site && workbook) {
    g_set_error (
      error, LP_ERROR, LP_ERROR_USAGE,
      "--per-site: expected --format csv or jsonl (or text for --breakpoints), not xlsx");
    return FALSE;
  }
  if (breakpoints && o->shard != NULL) {
    g_set_error (error, LP_ERROR, LP_ERROR_USAGE,
                 "--breakpoints and --shard do not mix: a shard may cut a range in two");
    return FALSE;
  }
  return TRUE;
}

/* "K/N" -> rows [(K-1)*R/N, K*R/N) */
static gboolean
shard_rows (const char *shard, guint64 rows, guint64 *first, guint64 *end, GError **error)
{
  guint64 k = 0, n = 0;
  g_auto (GStrv) parts = shard ? g_strsplit (shard, "/", 2) : NULL;

  *first = 0;
  *end = rows;
  if (shard == NULL)
    return TRUE;
  if (parts[1] == NULL || !g_ascii_string_to_unsigned (parts[1], 10, 1, G_MAXUINT32, &n, NULL) ||
      !g_ascii_string_to_unsigned (parts[0], 10, 1, n, &k, NULL)) {
    g_set_error (error, LP_ERROR, LP_ERROR_USAGE,
                 "--shard '%s': expected K/N with 1 <= K <= N, such as 2/8", shard);
    return FALSE;
  }
  *first = (guint64) ((double) rows * (double) (k - 1) / (double) n);
  *end = k == n ? rows : (guint64) ((double) rows * (double) k / (double) n);
  return TRUE;
}

static void
show_progress (const LpSweepRun *run, guint64 done, gint64 started, gboolean last)
{
  double secs = (double) (g_get_monotonic_time () - started) / 1e6;
  guint64 total = run->end - run->first;
  double rate = secs > 0 ? (double) done / secs : 0;
  g_autofree char *eta = lp_format_duration (rate > 0 ? (double) (total - done) / rate / 60 : 0);
  g_autofree char *count = lp_format_count (done);

  fprintf (stderr, "\r%5.1f%%  %s rows  %.0f rows/s  ETA %s   %s",
           total ? 100.0 * (double) done / (double) total : 100.0, count, rate, eta,
           last ? "\n" : "");
}

static gboolean
flush (LpSweepRun *run, GString *buf, GError **error)
{
  if (run->book == NULL && !lp_output_put (run->output, buf->str, buf->len, error))
    return FALSE;
  g_string_truncate (buf, 0);
  return TRUE;
}

/* The end of a run that is still @ok: the last run of breakpoints (@held,
 * NULL for rows) if any row was planned, the buffer flushed, the progress
 * line completed. Returns FALSE with @error set if the output failed, and
 * FALSE at once if @ok already was. */
static gboolean
finish_run (LpSweepRun *run, const LpBreakRun *held, GString *buf, gint64 started, gboolean ok,
            GError **error)
{
  if (!ok)
    return FALSE;
  if (held != NULL && run->end > run->first)
    run->breaks->write (run->sweep, run->rs, held, run->currency, buf);
  if (!flush (run, buf, error))
    return FALSE;
  if (run->progress)
    show_progress (run, run->end - run->first, started, TRUE);
  return TRUE;
}

/* Breakpoints without rows (lp_sweep_next_piece()): pieces of rows with
 * one result each, merged into runs as sweep_rows() merges rows. */
static gboolean
sweep_pieces (LpSweepRun *run, LpBreakOn on, GError **error)
{
  g_autoptr (GString) buf = g_string_sized_new (1 << 17);
  LpBreakRun held = { .on = on };
  LpPlanSummary piece;
  guint64 first_size = lp_sweep_axis_size (run->sweep, 0), row = run->first, last = 0;
  gint64 started = g_get_monotonic_time (), shown = started;
  gboolean ok = TRUE;

  lp_plan_summary_init (&held.result, run->rs, run->per_site);
  lp_plan_summary_init (&piece, run->rs, run->per_site);
  if (run->breaks->header != NULL)
    run->breaks->header (run->sweep, run->rs, on, run->priced, buf);
  while (ok && row < run->end) {
    ok = lp_sweep_next_piece (run->sweep, row, run->end, &last, &piece, error);
    if (!ok)
      break;
    if (row == run->first || row % first_size == 0 ||
        !lp_break_same_run (on, &held.result, &piece)) {
      if (row > run->first)
        run->breaks->write (run->sweep, run->rs, &held, run->currency, buf);
      lp_break_run_start (&held, row, &piece);
    }
    lp_break_run_add (&held, last, &piece);
    row = last + 1;
    if (buf->len > (1 << 16))
      ok = flush (run, buf, error);
    if (run->progress && g_get_monotonic_time () - shown > G_USEC_PER_SEC / 2) {
      show_progress (run, row - run->first, started, FALSE);
      shown = g_get_monotonic_time ();
    }
  }
  ok = finish_run (run, &held, buf, started, ok, error);
  lp_plan_summary_clear (&held.result);
  lp_plan_summary_clear (&piece);
  return ok;
}

/* Rows, or with @on the runs along the first axis over which what it
 * follows stays the same: a run ends where that changes or where the other
 * axes move on (every size-of-first-axis rows). */
static gboolean
sweep_rows (LpSweepRun *run, LpBreakOn on, GError **error)
{
  gboolean breakpoints = on != LP_BREAK_NONE;
  g_autoptr (GString) buf = g_string_sized_new (1 << 17);
  g_autoptr (LpSweepPool) pool = lp_sweep_pool_new (g_steal_pointer (&run->workers), run->rs,
                                                    run->first, run->end, run->per_site);
  LpBreakRun held = { .on = on };
  const LpPlanSummary *chunk;
  guint64 first_size = lp_sweep_axis_size (run->sweep, 0), at = 0, done = 0;
  gint64 started = g_get_monotonic_time (), shown = started;
  guint n = 0;
  gboolean ok = TRUE;
  GError *planning = NULL;

  lp_plan_summary_init (&held.result, run->rs, run->per_site);
  if (breakpoints && run->breaks->header != NULL)
    run->breaks->header (run->sweep, run->rs, on, run->priced, buf);
  else if (!breakpoints && run->rows->header != NULL)
    run->rows->header (run->sweep, run->rs, run->priced, buf);
  while (ok && (chunk = lp_sweep_pool_next (pool, &at, &n, &planning)) != NULL) {
    done += n;
    for (guint i = 0; i < n; i++) {
      guint64 row = at + i;
      const LpPlanSummary *now = &chunk[i];
      if (run->book != NULL) {
        lp_sweep_book_row (run->book, row, now);
      } else if (!breakpoints) {
        run->rows->row (run->sweep, run->rs, row, now, run->priced, buf);
      } else if (row == run->first ||
                 (row % first_size == 0 || !lp_break_same_run (on, &held.result, now))) {
        if (row > run->first)
          run->breaks->write (run->sweep, run->rs, &held, run->currency, buf);
        lp_break_run_start (&held, row, now);
      } else {
        lp_break_run_add (&held, row, now);
      }
    }
    if (buf->len > (1 << 16))
      ok = flush (run, buf, error);
    if (run->progress && g_get_monotonic_time () - shown > G_USEC_PER_SEC / 2) {
      show_progress (run, done, started, FALSE);
      shown = g_get_monotonic_time ();
    }
  }
  if (planning != NULL) {
    g_propagate_error (error, planning);
    ok = FALSE;
  }
  ok = ok && done == run->end - run->first;
  ok = finish_run (run, breakpoints ? &held : NULL, buf, started, ok, error);
  lp_plan_summary_clear (&held.result);
  return ok;
}

/* Another sweep of the same scenario, for a worker thread: a copy of @base,
 * which shares its price list. */
static LpSweep *
worker_sweep (const LpScenario *base, const LpSweepRun *run, GError **error)
{
  return lp_sweep_new_like (run->sweep, lp_scenario_copy (base), error);
}

/* --threads N: 1 up to LP_SWEEP_THREADS_PER_CORE a core; 0 when not given. */
static gboolean
thread_count (const char *text, guint *n, GError **error)
{
  guint cap = LP_SWEEP_THREADS_PER_CORE * (guint) g_get_num_processors ();
  guint64 v = 0;

  *n = 0;
  if (text == NULL)
    return TRUE;
  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT64, &v, NULL)) {
    g_set_error (error, LP_ERROR, LP_ERROR_USAGE,
                 "--threads '%s': expected a whole number of threads, 1 or more", text);
    return FALSE;
  }
  if (v > cap) {
    g_set_error (error, LP_ERROR, LP_ERROR_USAGE,
                 "--threads '%s': at most %u threads (%u a core on %u cores)", text, cap,
                 LP_SWEEP_THREADS_PER_CORE, cap / LP_SWEEP_THREADS_PER_CORE);
    return FALSE;
  }
  *n = (guint) v;
  return TRUE;
}

static gboolean
make_workers (LpSweepOptions *o, const LpScenario *base, LpSweepRun *run, GError **error)
{
  guint64 rows = run->end - run->first;
  guint asked = 0, n;

  if (!thread_count (o->threads, &asked, error))
    return FALSE;
  n = asked > 0 ? asked : (guint) g_get_num_processors ();
  /* threads pay only with enough rows to share */
  if (asked == 0 && rows < (guint64) 4 * LP_SWEEP_CHUNK)
    n = 1;
  run->workers = g_ptr_array_new_with_free_func ((GDestroyNotify) lp_sweep_free);
  for (guint t = 0; t < n; t++) {
    LpSweep *sw = worker_sweep (base, run, error);
    if (sw == NULL)
      return FALSE;
    g_ptr_array_add (run->workers, sw);
  }
  return TRUE;
}

static gboolean
prepare (LpSweepOptions *o, int argc, char **argv, LpSweepRun *run, const LpRuleset **rs,
         GError **error)
{
  g_autoptr (LpScenario) sc = lp_cli_build_scenario (&o->s, argc, argv, error);
  g_autoptr (LpScenario) base = NULL; /* the workers' scenario, as the sweep found it */
  LpInputFile inputs[LP_CLI_MAX_INPUTS];
  guint64 rows;

  if (sc == NULL || !lp_cli_load_inputs (&o->s, sc, rs, error))
    return FALSE;
  base = lp_scenario_copy (sc);
  run->rs = *rs;
  run->priced = sc->prices != NULL;
  run->currency = sc->prices != NULL ? sc->prices->currency : NULL;
  lp_cli_input_files (sc, *rs, inputs); /* they borrow from sc, which the sweep keeps */
  run->sweep = lp_sweep_new (*rs, g_steal_pointer (&sc), (const char *const *) o->vary, error);
  if (run->sweep == NULL)
    return FALSE;
  run->per_site = o->per_site;
  lp_sweep_set_per_site (run->sweep, o->per_site);
  rows = lp_sweep_rows (run->sweep);
  if (!shard_rows (o->shard, rows, &run->first, &run->end, error))
    return FALSE;
  if (run->rows != NULL && run->rows->kind == LP_OUTPUT_FILE &&
      run->end - run->first > LP_XLSX_MAX_ROWS) {
    g_autofree char *n = lp_format_count (run->end - run->first);
    g_set_error (error, LP_ERROR, LP_ERROR_USAGE,
                 "the sweep has %s rows and an XLSX sheet holds %u: use --format csv, or "
                 "split it with --shard K/N",
                 n, LP_XLSX_MAX_ROWS);
    return FALSE;
  }
  if (run->end - run->first > LP_SWEEP_CONFIRM_ROWS && !o->yes) {
    g_autofree char *n = lp_format_count (run->end - run->first);
    g_set_error (error, LP_ERROR, LP_ERROR_USAGE,
                 "the sweep has %s rows: add --yes to run it, or split it with --shard K/N", n);
    return FALSE;
  }
  run->progress = !o->quiet && (o->progress || isatty (STDERR_FILENO));
  if (!make_workers (o, base, run, error))
    return FALSE;
  run->output = lp_output_new (o->output != NULL ? o->output : "-",
                               run->rows != NULL ? run->rows->kind : LP_OUTPUT_STREAM, inputs,
                               error);
  return run->output != NULL;
}

static gboolean
write_workbook (LpSweepRun *run, GError **error)
{
  gboolean ok;
  const char *target = lp_output_target (run->output);

  int saved = lp_stderr_mute (); /* libxlsxwriter's own lines: the error says it all */

  run->book = lp_sweep_book_new (lp_output_path (run->output), target, run->sweep, run->rs,
                                 run->currency, run->first, run->end, error);
  lp_stderr_restore (saved);
  ok = run->book != NULL && sweep_rows (run, LP_BREAK_NONE, error);
  saved = lp_stderr_mute ();
  if (run->book != NULL && !lp_sweep_book_close (run->book, ok ? error : NULL))
    ok = FALSE;
  lp_stderr_restore (saved);
  run->book = NULL;
  return ok;
}

/* Rows to the output prepared before planning; it replaces its target only
 * when complete. */
static gboolean
write_sweep (LpSweepOptions *o, LpSweepRun *run, GError **error)
{
  gboolean ok;

  if (run->rows != NULL && run->rows->kind == LP_OUTPUT_FILE) {
    ok = write_workbook (run, error);
  } else if (o->breakpoints != LP_BREAK_NONE && lp_sweep_finds_pieces (run->sweep)) {
    ok = sweep_pieces (run, o->breakpoints, error);
  } else {
    ok = sweep_rows (run, o->breakpoints, error);
  }
  return ok && lp_output_commit (run->output, error);
}

int
lp_cli_sweep (int argc, char **argv)
{
  LpSweepOptions o = { 0 };
  LpSweepRun run = { 0 };
  const LpRuleset *rs = NULL;
  g_autofree GOptionEntry *entries = NULL;
  g_autoptr (GOptionContext)
    ctx = g_option_context_new ("[SCENARIO.ini] --vary KEY=SPEC... - plan every combination");
  g_autofree char *keys = NULL;
  g_autofree char *description = NULL;
  GError *error = NULL;
  gboolean help = FALSE;
  int status = LP_EXIT_OK;
  GOptionGroup *main_group;

  g_set_prgname ("lyncplan sweep");
  if (!lp_cli_scenario_prepare (&o.s, argc, argv, &error)) {
    options_clear (&o);
    return lp_cli_fail (error);
  }
  o.format_help = format_help ();
  entries = sweep_entries (&o);
  keys = lp_cli_sweep_keys_help (o.s.rs);
  description = g_strdup_printf (sweep_description, keys);
  /* a group of its own, so that --breakpoints' callback gets the options */
  main_group = g_option_group_new (NULL, NULL, NULL, &o, NULL);
  g_option_group_add_entries (main_group, entries);
  g_option_context_set_main_group (ctx, main_group);
  g_option_context_set_description (ctx, description);
  if (!lp_cli_parse (ctx, entries, &argc, &argv, &help, &error) ||
      (!help && (!check_options (&o, &run, &error) ||
                 !prepare (&o, argc, argv, &run, &rs, &error) || !write_sweep (&o, &run, &error))))
    status = lp_cli_fail (error);
  lp_output_free (run.output);
  lp_sweep_free (run.sweep);
  if (run.workers != NULL)
    g_ptr_array_unref (run.workers);
  options_clear (&o);
  return status;
}
