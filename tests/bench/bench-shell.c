/* bench-shell.c: what a shell session does for one change of the four-site
 * example, timed: copy the scenario (the undo step), apply the change as
 * `set` does, resolve, replan in the session's planner, summarise the plan,
 * diff it against the last one and format the compact difference. The
 * change alternates users@NYC between 20000 and 40000 and dr-rto between 4h
 * and 15m, so every step changes the plan. Fails (exit 1) when a change and
 * its difference take 5 ms or more on average: the bound.
 * Run with: meson test -C build --benchmark shell --verbose */
#include <glib.h>
#include <stdio.h>

#include "lp-cli.h"
#include "lp-session.h"

#define ROUNDS 2000
#define LIMIT_MS 5.0

/* One change: @sc replaced by its changed copy, @now and @prev swapped. */
static gsize
change (LpPlanner *planner, LpScenario **sc, LpPlanSummary **now, LpPlanSummary **prev, guint i)
{
  static const char *const keys[] = { "users@NYC", "dr-rto" };
  static const char *const values[][2] = { { "40000", "20000" }, { "15m", "4h" } };
  LpScenario *next = lp_scenario_copy (*sc);
  LpPlanSummary *tmp;
  g_autoptr (GPtrArray) changes = NULL;
  g_autofree char *text = NULL;

  if (!lp_session_apply (next, keys[i % 2], values[i % 2][(i / 2) % 2], "bench:", NULL) ||
      !lp_session_summarise (planner, next, *prev, NULL))
    g_error ("change %u failed", i);
  lp_scenario_free (*sc);
  *sc = next;
  tmp = *now;
  *now = *prev;
  *prev = tmp;
  changes = lp_session_diff (*prev, *now);
  text = lp_session_changes_text ((*now)->rs, changes);
  return strlen (text);
}

int
main (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("LP_SOURCE_ROOT"), "examples",
                                            "four-sites-dr.ini", NULL);
  g_autoptr (GPtrArray)
    rulesets = g_ptr_array_new_with_free_func ((GDestroyNotify) lp_ruleset_free);
  g_autofree char *rules = g_build_filename (g_getenv ("LP_SOURCE_ROOT"), "rules", NULL);
  LpScenario *sc = lp_session_load (path, rulesets, rules, NULL);
  LpPlanSummary a, b, *now = &a, *prev = &b;
  LpPlanner *planner;
  gsize chars = 0;
  gint64 t0;
  double ms;

  if (sc == NULL)
    g_error ("cannot load %s", path);
  planner = lp_planner_new (sc->rs);
  lp_plan_summary_init (&a, sc->rs, TRUE);
  lp_plan_summary_init (&b, sc->rs, TRUE);
  if (!lp_session_summarise (planner, sc, now, NULL))
    g_error ("cannot plan %s", path);
  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < ROUNDS; i++)
    chars += change (planner, &sc, &now, &prev, i);
  ms = (double) (g_get_monotonic_time () - t0) / 1e3 / ROUNDS;
  printf ("a change and its difference (four-sites-dr): %.3f ms on average over %u changes "
          "(%" G_GSIZE_FORMAT " characters of difference; limit %.0f ms)\n",
          ms, ROUNDS, chars, LIMIT_MS);
  lp_plan_summary_clear (&a);
  lp_plan_summary_clear (&b);
  lp_planner_free (planner);
  lp_scenario_free (sc);
  return ms < LIMIT_MS ? 0 : 1;
}
