/* test-breakpoints.c: breakpoints without rows (lp_sweep_next_piece())
 * against the row-by-row sweep (lp_sweep_plan_row(), every row planned):
 * on every product, one site and one site with DR (and a site with remote
 * users and Persistent Chat), the runs along users must be the same rows
 * with the same results, for --breakpoints=servers (every change of the
 * summary) and edition (with each run's least and most servers and cost).
 *
 * As a test it sweeps users 1..50,000 (LP_TEST_ROWS), or 1..N with
 * "--rows N" (the plain build's test: 200,000, as issue 22 asks); with an
 * argument N alone (the "breakpoints" benchmark) 1..N, and it then also
 * times --breakpoints=edition over 1..10,000,000 users. */
#include <glib.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "lp-engine.h"
#include "lp-products.h"
#include "lp-sweep.h"
#include "lp-test.h"

#define LP_TEST_ROWS 50000

static const char *const products[] = { "lync2013", "sfb2015", "sfb2019", "sfbse" };

static guint64 rows = LP_TEST_ROWS;

/* The source tree's rules. */
static const char *
rules_dir (void)
{
  static char *dir;
  if (dir == NULL)
    dir = g_build_filename (g_getenv ("LP_SOURCE_ROOT"), "rules", NULL);
  return dir;
}

typedef struct {
  const char *name;
  const char *const sites[2];
  const char *const values[4]; /* KEY, VALUE, ... */
} Case;

static const Case cases[] = {
  { "one site", { "HQ=5000" }, { NULL } },
  { "one site with DR", { "HQ=5000" }, { "dr-rto", "4h" } },
  { "remote users and chat", { "HQ=5000" }, { "remote-percent", "45", "persistent-chat", "true" } },
};

/* A run: rows first..last with one result (servers), or one edition and
 * verdict with the least and most servers and cost of its rows. */
typedef struct {
  guint64 first, last;
  LpPlanSummary result;
  guint64 servers[2];
  double cost[2];
} Run;

static void
run_free (gpointer p)
{
  Run *r = p;
  lp_plan_summary_clear (&r->result);
  g_free (r);
}

/* Adds rows @first..@last with result @s to @runs, merging as --breakpoints=@on does. */
static void
add_rows (GPtrArray *runs, LpBreakOn on, guint64 first, guint64 last, const LpPlanSummary *s)
{
  Run *r = runs->len ? g_ptr_array_index (runs, runs->len - 1) : NULL;

  if (r == NULL || !lp_break_same_run (on, &r->result, s)) {
    r = g_new0 (Run, 1);
    lp_plan_summary_init (&r->result, s->rs, FALSE);
    lp_plan_summary_copy (&r->result, s);
    r->first = first;
    r->servers[0] = r->servers[1] = s->servers;
    r->cost[0] = r->cost[1] = s->cost;
    g_ptr_array_add (runs, r);
  }
  r->last = last;
  r->servers[0] = MIN (r->servers[0], s->servers);
  r->servers[1] = MAX (r->servers[1], s->servers);
  r->cost[0] = MIN (r->cost[0], s->cost);
  r->cost[1] = MAX (r->cost[1], s->cost);
}

static LpSweep *
make_sweep (const LpRuleset *rs, const Case *c, guint64 n)
{
  g_autoptr (LpScenario) sc = lp_scenario_new (rs);
  g_autofree char *vary = g_strdup_printf ("users=1..%" G_GUINT64_FORMAT "/1", n);
  const char *specs[] = { vary, NULL };
  g_autoptr (GError) error = NULL;
  LpSweep *sweep;

  for (guint i = 0; i < G_N_ELEMENTS (c->sites) && c->sites[i] != NULL; i++)
    assert_true (lp_scenario_add_site_flag (sc, c->sites[i], NULL));
  for (guint i = 0; i + 1 < G_N_ELEMENTS (c->values) && c->values[i] != NULL; i += 2)
    assert_true (lp_scenario_set_value (sc, c->values[i], c->values[i + 1], "test:", NULL));
  assert_true (lp_scenario_resolve (sc, rs, NULL));
  sweep = lp_sweep_new (rs, g_steal_pointer (&sc), specs, &error);
  if (sweep == NULL)
    fail_msg ("%s", error->message);
  return sweep;
}

#define N_ON (LP_BREAK_EDITION + 1)

/* The runs of each --breakpoints=ON (runs[ON]) over every row, planned one by one. */
static void
runs_by_rows (LpSweep *sweep, const LpRuleset *rs, GPtrArray **runs)
{
  g_auto (LpPlanSummary) s = { 0 };

  for (guint on = LP_BREAK_SERVERS; on < N_ON; on++)
    runs[on] = g_ptr_array_new_with_free_func (run_free);
  lp_plan_summary_init (&s, rs, FALSE);
  for (guint64 row = 0; row < lp_sweep_rows (sweep); row++) {
    assert_true (lp_sweep_plan_row (sweep, row, &s, NULL));
    for (guint on = LP_BREAK_SERVERS; on < N_ON; on++)
      add_rows (runs[on], (LpBreakOn) on, row, row, &s);
  }
}

/* The same from pieces; @n_pieces: how many lp_sweep_next_piece() found. */
static void
runs_by_pieces (LpSweep *sweep, const LpRuleset *rs, GPtrArray **runs, guint64 *n_pieces)
{
  g_auto (LpPlanSummary) s = { 0 };
  guint64 row = 0, last = 0;

  for (guint on = LP_BREAK_SERVERS; on < N_ON; on++)
    runs[on] = g_ptr_array_new_with_free_func (run_free);
  *n_pieces = 0;
  lp_plan_summary_init (&s, rs, FALSE);
  assert_true (lp_sweep_finds_pieces (sweep));
  while (row < lp_sweep_rows (sweep)) {
    assert_true (lp_sweep_next_piece (sweep, row, lp_sweep_rows (sweep), &last, &s, NULL));
    assert_true (last >= row);
    for (guint on = LP_BREAK_SERVERS; on < N_ON; on++)
      add_rows (runs[on], (LpBreakOn) on, row, last, &s);
    (*n_pieces)++;
    row = last + 1;
  }
}

static void
assert_same_runs (const GPtrArray *want, const GPtrArray *got, const char *what)
{
  for (guint i = 0; i < MIN (want->len, got->len); i++) {
    const Run *a = g_ptr_array_index (want, i), *b = g_ptr_array_index (got, i);
    if (a->first != b->first || a->last != b->last ||
        !lp_plan_summary_equal (&a->result, &b->result) || a->servers[0] != b->servers[0] ||
        a->servers[1] != b->servers[1] || a->cost[0] != b->cost[0] || a->cost[1] != b->cost[1])
      fail_msg ("%s: run %u: rows %" G_GUINT64_FORMAT "..%" G_GUINT64_FORMAT
                " (%s, %" G_GUINT64_FORMAT " servers) planned row by row, %" G_GUINT64_FORMAT
                "..%" G_GUINT64_FORMAT " (%s, %" G_GUINT64_FORMAT " servers) from pieces",
                what, i, a->first + 1, a->last + 1, a->result.design, a->result.servers,
                b->first + 1, b->last + 1, b->result.design, b->result.servers);
  }
  if (want->len != got->len)
    fail_msg ("%s: %u runs row by row, %u from pieces", what, want->len, got->len);
}

static void
test_case (void **state)
{
  const Case *c = *state;

  for (guint p = 0; p < G_N_ELEMENTS (products); p++) {
    g_autoptr (GError) error = NULL;
    g_autoptr (LpRuleset) rs = lp_ruleset_load_product (rules_dir (), products[p], &error);
    g_autoptr (LpSweep) sweep = NULL;
    guint64 n_pieces = 0;
    if (rs == NULL)
      fail_msg ("%s", error->message);
    GPtrArray *want[N_ON] = { NULL }, *got[N_ON] = { NULL };
    sweep = make_sweep (rs, c, rows);
    runs_by_rows (sweep, rs, want);
    runs_by_pieces (sweep, rs, got, &n_pieces);
    for (guint on = LP_BREAK_SERVERS; on < N_ON; on++) {
      g_autofree char *what = g_strdup_printf ("%s, %s, --breakpoints=%s", products[p], c->name,
                                               lp_break_on_to_string ((LpBreakOn) on));
      assert_same_runs (want[on], got[on], what);
      if (on == LP_BREAK_SERVERS)
        printf ("# %s: %u runs, %" G_GUINT64_FORMAT " pieces over %" G_GUINT64_FORMAT " rows\n",
                what, want[on]->len, n_pieces, rows);
      g_ptr_array_unref (want[on]);
      g_ptr_array_unref (got[on]);
    }
    /* not a row at a time: the search skips */
    if (n_pieces * 10 > rows)
      fail_msg ("%s, %s: %" G_GUINT64_FORMAT " pieces for %" G_GUINT64_FORMAT " rows", products[p],
                c->name, n_pieces, rows);
  }
}

/* The benchmark's figure: --breakpoints=edition over 1..10,000,000 users. */
static void
time_ten_million (void)
{
  for (guint c = 0; c < 2; c++) {
    g_autoptr (LpRuleset) rs = lp_ruleset_load_product (rules_dir (), "lync2013", NULL);
    g_autoptr (LpSweep) sweep = make_sweep (rs, &cases[c], 10000000);
    gint64 start = g_get_monotonic_time ();
    guint64 n_pieces = 0;
    GPtrArray *runs[N_ON] = { NULL };
    double secs;
    runs_by_pieces (sweep, rs, runs, &n_pieces);
    secs = (double) (g_get_monotonic_time () - start) / 1e6;
    printf ("# lync2013 %s, --breakpoints=edition over users 1..10,000,000: %u runs (%u for "
            "servers), %" G_GUINT64_FORMAT " pieces, %.3f s\n",
            cases[c].name, runs[LP_BREAK_EDITION]->len, runs[LP_BREAK_SERVERS]->len, n_pieces,
            secs);
    for (guint on = LP_BREAK_SERVERS; on < N_ON; on++)
      g_ptr_array_unref (runs[on]);
  }
}

int
main (int argc, char **argv)
{
  gboolean bench = argc == 2;

  if (argc == 3 && strcmp (argv[1], "--rows") == 0)
    rows = g_ascii_strtoull (argv[2], NULL, 10);
  else if (bench)
    rows = g_ascii_strtoull (argv[1], NULL, 10);
  {
    LP_TEST_TABLE (tests, cases, test_case);
    int status = LP_TEST_RUN ("breakpoints", tests);
    if (status == 0 && bench)
      time_ten_million ();
    return status;
  }
}
