/* bench-engine.c: how fast the engine plans with a rule set loaded once.
 * The scenario is built once; each plan changes its users and plans again,
 * first into a new plan every time (lp_engine_plan: a planner of its own and
 * a copy of the scenario), then in a planner's reused storage
 * (lp_planner_replan), then also with the formulas that do not depend on
 * users folded (lp_planner_set_fold), which is what a sweep does.
 * Users step by 37 from plan to plan, as in a sweep, so a replan mostly
 * keeps its failure tables; the last line draws users at random instead,
 * so role counts (and the tables) change far more often. One thread.
 * Run with: meson test -C build --benchmark engine --verbose */
#include <glib.h>
#include <stdio.h>

#include "lp-engine.h"

/* Plans @sc once, with @planner or without; returns the plan's servers. */
typedef guint64 (*PlanFunc) (LpPlanner *planner, const LpRuleset *rs, const LpScenario *sc);

static guint64
fresh (LpPlanner *planner, const LpRuleset *rs, const LpScenario *sc)
{
  g_autoptr (LpPlan) plan = lp_engine_plan (rs, sc, FALSE, NULL);

  (void) planner;
  return plan->servers;
}

static guint64
reused (LpPlanner *planner, const LpRuleset *rs, const LpScenario *sc)
{
  (void) rs;
  return lp_planner_replan (planner, sc, FALSE, NULL)->servers;
}

/* Plans @n scenarios with users 100..200,000, in the order of @users
 * (nullable: stepping by 37), with a planner folding what does not depend
 * on users when @fold; returns plans per second. */
static double
run (const char *name, PlanFunc plan_with, gboolean fold, const LpRuleset *rs, LpScenario *sc,
     guint n, const guint64 *users)
{
  LpSite *site;
  g_autoptr (LpPlanner) planner = lp_planner_new (rs);
  guint64 servers = 0;
  gint64 t0;
  double secs, rate;

  if (fold) { /* as a sweep plans */
    lp_planner_set_choice_only (planner, TRUE);
    lp_planner_set_fold (planner, lp_engine_fold_new (rs, sc, NULL, 0));
  }
  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++) {
    site = lp_scenario_site_mut (sc, 0); /* a plan made may share the last */
    site->users = users != NULL ? users[i] : 100 + (i * 37) % 200000;
    servers += plan_with (planner, rs, sc);
  }
  secs = (double) (g_get_monotonic_time () - t0) / 1e6;
  rate = n / secs;
  printf ("%-26s %u plans in %.3f s: %9.0f plans/s, %.2f us a plan (checksum %" G_GUINT64_FORMAT
          ")\n",
          name, n, secs, rate, 1e6 / rate, servers);
  return rate;
}

static LpScenario *
scenario (const LpRuleset *rs, gboolean dr)
{
  LpScenario *sc = lp_scenario_new (rs);

  g_assert_true (lp_scenario_add_site_flag (sc, "HQ=5000", NULL));
  g_assert_true (lp_scenario_set_value (sc, "rto", "30m", "bench:", NULL));
  if (dr)
    g_assert_true (lp_scenario_set_value (sc, "dr-rto", "4h", "bench:", NULL));
  g_assert_true (lp_scenario_resolve (sc, rs, NULL));
  return sc;
}

int
main (int argc, char **argv)
{
  guint n = argc > 1 ? (guint) atoi (argv[1]) : 200000;
  g_autofree char *path = g_build_filename (g_getenv ("LP_SOURCE_ROOT"), "rules", "lync2013.rules",
                                            NULL);
  g_autoptr (GError) error = NULL;
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr (LpRuleset) rs = lp_ruleset_load (path, &error);
  gint64 t1 = g_get_monotonic_time ();

  g_autofree guint64 *shuffled = g_new (guint64, n);
  GRand *rand = g_rand_new_with_seed (37);

  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    shuffled[i] = (guint64) g_rand_int_range (rand, 100, 200100);
  g_rand_free (rand);
  printf ("rules loaded and compiled once: %.3f ms\n", (double) (t1 - t0) / 1e3);
  for (guint dr = 0; dr < 2; dr++) {
    g_autoptr (LpScenario) sc = scenario (rs, dr);
    double a, b, c;
    printf ("%s:\n", dr ? "one site with DR (two sites planned)" : "one site, no DR");
    a = run ("  new plan each time", fresh, FALSE, rs, sc, n, NULL);
    b = run ("  reused storage", reused, FALSE, rs, sc, n, NULL);
    c = run ("  reused storage, folded", reused, TRUE, rs, sc, n, NULL);
    printf ("  reuse is %.2fx as fast, reuse and fold %.2fx\n", b / a, c / a);
    run ("  folded, users at random", reused, TRUE, rs, sc, n, shuffled);
  }
  printf ("target: at least 1,000,000 plans/s on one core (one site, reused, folded)\n");
  return 0;
}
