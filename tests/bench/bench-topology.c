/* bench-topology.c: the report stage (the topology model, its DNS,
 * certificate and firewall plans, the invariants) is linear in sites: a
 * report of 10,000 plain sites must cost at most 15 times one of 1,000
 * (issue 21, from issue 24's finding 4). The plans are made first; only
 * lp_report_new() is timed, the best of three. Exit 1 when the ratio is
 * above 15. Run with: meson test -C build --benchmark topology --verbose */
#include <glib.h>
#include <stdio.h>

#include "lp-engine.h"
#include "lp-report.h"

static LpPlan *
plain_sites (const LpRuleset *rs, guint n)
{
  g_autoptr (LpScenario) sc = lp_scenario_new (rs);
  g_autoptr (GError) error = NULL;
  LpPlan *plan;

  for (guint i = 0; i < n; i++) {
    g_autofree char *spec = g_strdup_printf ("S%05u=%u", i, 1000 + (i * 37) % 9000);
    if (!lp_scenario_add_site_flag (sc, spec, &error))
      g_error ("%s", error->message);
  }
  if (!lp_scenario_resolve (sc, rs, &error) ||
      (plan = lp_engine_plan (rs, sc, FALSE, &error)) == NULL)
    g_error ("%s", error->message);
  return plan;
}

/* Seconds to build @plan's report, the best of three. */
static double
report_seconds (const LpPlan *plan, guint *records)
{
  double best = G_MAXDOUBLE;

  for (guint k = 0; k < 3; k++) {
    g_autoptr (GError) error = NULL;
    gint64 t0 = g_get_monotonic_time ();
    g_autoptr (LpReport) r = lp_report_new (plan, NULL, &error);
    double s = (double) (g_get_monotonic_time () - t0) / 1e6;
    if (r == NULL)
      g_error ("%s", error->message);
    g_auto (LpDnsWalk) walk;
    lp_dns_walk_init (&walk, r->resilience);
    *records = r->certificates->firewall->len + r->certificates->certificates->len;
    while (lp_dns_walk_next (&walk) != NULL)
      ++*records;
    best = MIN (best, s);
  }
  return best;
}

int
main (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("LP_SOURCE_ROOT"), "rules", "lync2013.rules",
                                            NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (LpRuleset) rs = lp_ruleset_load (path, &error);
  g_autoptr (LpPlan) small = NULL;
  g_autoptr (LpPlan) big = NULL;
  guint rows_small = 0, rows_big = 0;
  double t_small, t_big, ratio;

  if (rs == NULL)
    g_error ("%s", error->message);
  small = plain_sites (rs, 1000);
  big = plain_sites (rs, 10000);
  t_small = report_seconds (small, &rows_small);
  t_big = report_seconds (big, &rows_big);
  ratio = t_big / t_small;
  printf ("report of 1,000 plain sites:  %.3f s (%u DNS records, certificates and firewall rows)\n",
          t_small, rows_small);
  printf ("report of 10,000 plain sites: %.3f s (%u)\n", t_big, rows_big);
  printf ("10x the sites cost %.1fx the time (at most 15x)\n", ratio);
  return ratio <= 15 ? 0 : 1;
}
