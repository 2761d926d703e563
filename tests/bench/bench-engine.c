/* bench-engine.c: how fast the engine plans with a rule set loaded once.
 * Plans N scenarios (users varied, with and without DR), reports plans per
 * second and per-plan time, and the cost of loading the rules for contrast.
 * Run with: meson test -C build --benchmark engine --verbose */
#include <glib.h>
#include <stdio.h>

#include "lp-engine.h"

static LpScenario *
scenario (const LpRuleset *rs, guint64 users, gboolean dr)
{
  g_autofree char *site = g_strdup_printf ("HQ=%" G_GUINT64_FORMAT, users);
  LpScenario *sc = lp_scenario_new ();

  g_assert_true (lp_scenario_add_site_flag (sc, site, NULL));
  g_assert_true (lp_scenario_set_value (sc, "rto", "30m", "bench:", NULL));
  if (dr)
    g_assert_true (lp_scenario_set_value (sc, "dr-rto", "4h", "bench:", NULL));
  g_assert_true (lp_scenario_resolve (sc, rs, NULL));
  return sc;
}

int
main (int argc, char **argv)
{
  guint n = argc > 1 ? (guint) atoi (argv[1]) : 20000;
  g_autofree char *path = g_build_filename (g_getenv ("LP_SOURCE_ROOT"), "rules", "lync2013.rules", NULL);
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr (GError) error = NULL;
  g_autoptr (LpRuleset) rs = lp_ruleset_load (path, &error);
  gint64 t1 = g_get_monotonic_time ();
  guint64 servers = 0;
  double secs;

  g_assert_no_error (error);
  for (guint i = 0; i < n; i++) {
    g_autoptr (LpScenario) sc = scenario (rs, 100 + (i * 37) % 200000, i % 2);
    g_autoptr (LpPlan) plan = lp_engine_plan (rs, sc, FALSE, NULL);
    servers += plan->servers;
  }
  secs = (double) (g_get_monotonic_time () - t1) / 1e6;
  printf ("rules loaded and compiled once: %.3f ms\n", (double) (t1 - t0) / 1e3);
  printf ("%u plans in %.3f s: %.0f plans/s, %.1f us per plan (scenario build included)\n", n,
          secs, n / secs, secs / n * 1e6);
  printf ("checksum: %" G_GUINT64_FORMAT " servers\n", servers);
  return 0;
}
