/* bench-shell.c: what a shell session does for one change, timed, for the
 * four-site example and for an estate of 1,000 paired sites: copy the scenario (the undo step), apply the change as
 * `set` does, resolve, replan in the session's planner, summarise the plan,
 * diff it against the last one and format the compact difference. The
 * change alternates users@NYC between 20000 and 40000 and dr-rto between 4h
 * and 15m, so every step changes the plan. Fails (exit 1) when a change and
 * its difference take 5 ms or more on average: the bound.
 * Run with: meson test -C build --benchmark shell --verbose */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "lp-cli.h"
#include "lp-session.h"

#define ROUNDS 2000
#define LIMIT_MS 5.0

/* One change: @sc replaced by its changed copy, @now and @prev swapped.
 * Change @i sets keys[i % n_keys] to its first or second value in turn.
 * Not inlined, so callgrind can count the changes alone (docs/performance.md). */
G_GNUC_NO_INLINE static gsize
change (LpPlanner *planner, LpSessionCache *known, LpScenario **sc, LpPlanSummary **now,
        LpPlanSummary **prev, const char *const *keys, const char *const (*values)[2], guint n_keys,
        guint i)
{
  LpScenario *next = lp_scenario_copy (*sc);
  LpPlanSummary *tmp;
  g_autoptr (GPtrArray) changes = NULL;
  g_autofree char *text = NULL;

  if (!lp_session_apply (next, keys[i % n_keys], values[i % n_keys][(i / n_keys) % 2],
                         "bench:", NULL) ||
      !lp_session_summarise (planner, next, known, *prev, NULL))
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

/* Loads @path, makes @rounds changes of @keys and prints the average time of
 * one, named @label. Returns: that time, in ms. */
static double
measure (const char *path, const char *label, const char *const *keys,
         const char *const (*values)[2], guint n_keys, guint rounds)
{
  g_autoptr (GPtrArray)
    rulesets = g_ptr_array_new_with_free_func ((GDestroyNotify) lp_ruleset_free);
  g_autofree char *rules = g_build_filename (g_getenv ("LP_SOURCE_ROOT"), "rules", NULL);
  LpScenario *sc = lp_session_load (path, rulesets, rules, NULL);
  LpPlanSummary a, b, *now = &a, *prev = &b;
  LpPlanner *planner;
  g_autoptr (LpSessionCache) known = lp_session_cache_new ();
  gsize chars = 0;
  gint64 t0;
  double ms;

  if (sc == NULL)
    g_error ("cannot load %s", path);
  planner = lp_planner_new (sc->rs);
  lp_plan_summary_init (&a, sc->rs, TRUE);
  lp_plan_summary_init (&b, sc->rs, TRUE);
  if (!lp_session_summarise (planner, sc, known, now, NULL))
    g_error ("cannot plan %s", path);
  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < rounds; i++)
    chars += change (planner, known, &sc, &now, &prev, keys, values, n_keys, i);
  ms = (double) (g_get_monotonic_time () - t0) / 1e3 / rounds;
  printf ("a change and its difference (%s): %.3f ms on average over %u changes "
          "(%" G_GSIZE_FORMAT " characters of difference; limit %.0f ms)\n",
          label, ms, rounds, chars, LIMIT_MS);
  lp_plan_summary_clear (&a);
  lp_plan_summary_clear (&b);
  lp_planner_free (planner);
  lp_scenario_free (sc);
  return ms;
}

/* Writes an estate of @pairs pairs of sites with DR (S0 backs up S1, ...)
 * to @path. */
static void
write_pairs (const char *path, guint pairs)
{
  GString *s = g_string_new ("[scenario]\nname = paired estate\nrto = 30m\ndr-rto = 4h\n");

  for (guint i = 0; i < pairs; i++)
    g_string_append_printf (s, "[site S%u]\nusers = %u\ndr-site = S%u\n[site S%u]\nusers = %u\n",
                            2 * i, 2000 + 37 * i, 2 * i + 1, 2 * i + 1, 1000 + 23 * i);
  g_assert (g_file_set_contents (path, s->str, -1, NULL));
  g_string_free (s, TRUE);
}

int
main (void)
{
  static const char *const keys[] = { "users@NYC", "dr-rto" };
  static const char *const values[][2] = { { "40000", "20000" }, { "15m", "4h" } };
  static const char *const site_keys[] = { "users@S0", "users@S777" };
  static const char *const site_values[][2] = { { "40000", "20000" }, { "9000", "3000" } };
  g_autofree char *path = g_build_filename (g_getenv ("LP_SOURCE_ROOT"), "examples",
                                            "four-sites-dr.ini", NULL);
  g_autofree char *dir = g_dir_make_tmp ("lyncplan-bench-XXXXXX", NULL);
  g_autofree char *estate = g_build_filename (dir, "pairs.ini", NULL);
  double four, paired;

  four = measure (path, "four-sites-dr", keys, values, 2, ROUNDS);
  write_pairs (estate, 500);
  paired = measure (estate, "1,000 paired sites, one site's users", site_keys, site_values, 2,
                    ROUNDS / 10);
  g_unlink (estate);
  g_rmdir (dir);
  return four < LIMIT_MS && paired < LIMIT_MS ? 0 : 1;
}
