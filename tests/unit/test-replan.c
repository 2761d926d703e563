/* test-replan.c: a planner that replans only what changed, pruning by cost
 * (lp_planner_set_choice_only(), what sweeps and the shell use), against a
 * full plan made afresh, and a shell session's check with its cache against
 * the whole check: on every product, on a grid of one-site scenarios,
 * and on generated estates (pairs, hubs with backup pools, branches homed
 * elsewhere, Edge pools and Office Web Apps farms at other sites, sites
 * without DR) changed one value at a time as a shell session changes them.
 * Folded replans (a sweep's) likewise, on rule files whose formulas keep
 * the fold's shortcuts and on one whose do not (test_folded()).
 * Each replan's detailed summary (every site's role counts, every group's
 * design and requirement figures, the totals) must equal the fresh plan's. */
#include <glib.h>
#include <glib/gstdio.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "lp-engine.h"
#include "lp-session.h"
#include "lp-test.h"
#include "lp-test-rules.h"

static const char *const products[] = { "lync2013", "sfb2015", "sfb2019", "sfbse" };

typedef struct {
  GPtrArray *rulesets;
  char *rules_dir;
} Fixture;

static int
setup (void **state)
{
  Fixture *f = g_new0 (Fixture, 1);

  f->rulesets = g_ptr_array_new_with_free_func ((GDestroyNotify) lp_ruleset_free);
  f->rules_dir = g_build_filename (g_getenv ("LP_SOURCE_ROOT"), "rules", NULL);
  *state = f;
  return 0;
}

static int
teardown (void **state)
{
  Fixture *f = *state;

  g_ptr_array_unref (f->rulesets);
  g_free (f->rules_dir);
  g_free (f);
  return 0;
}

/* Fails unless @planner's replan of @sc summarises as a fresh full plan of
 * @sc does (or both fail). */
static void
assert_replan_equals_plan (LpPlanner *planner, LpScenario *sc, const char *what)
{
  g_auto (LpPlanSummary) fresh_s = { 0 };
  g_auto (LpPlanSummary) replan_s = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (LpPlan) fresh = NULL;
  const LpPlan *replan;

  assert_true (lp_scenario_resolve (sc, sc->rs, NULL));
  fresh = lp_engine_plan (sc->rs, sc, FALSE, &error);
  replan = lp_planner_replan (planner, sc, FALSE, NULL);
  if (fresh == NULL) {
    assert_null (replan);
    return;
  }
  if (replan == NULL)
    fail_msg ("%s: the replan failed where the plan did not", what);
  lp_plan_summary_init (&fresh_s, sc->rs, TRUE);
  lp_plan_summary_init (&replan_s, sc->rs, TRUE);
  lp_plan_summary_set (&fresh_s, fresh);
  lp_plan_summary_set (&replan_s, replan);
  if (!lp_plan_summary_equal (&fresh_s, &replan_s))
    fail_msg ("%s: the replan (%s, %" G_GUINT64_FORMAT " servers) differs from the plan (%s, "
              "%" G_GUINT64_FORMAT " servers)",
              what, replan_s.design, replan_s.servers, fresh_s.design, fresh_s.servers);
}

/* One site, with and without DR, across users, rto and response times:
 * consecutive replans keep their groups while values change under them. */
static void
test_grid (void **state)
{
  static const char *const users[] = { "0", "2000", "5000", "6000", "30000", "100000" };
  static const char *const rtos[] = { "0m", "30m", "4h" };
  static const char *const drs[] = { NULL, "4h", NULL, "10m" };
  Fixture *f = *state;

  for (guint p = 0; p < G_N_ELEMENTS (products); p++) {
    const LpRuleset *rs = lp_session_ruleset (f->rulesets, f->rules_dir, products[p], NULL);
    g_autoptr (LpPlanner) planner = lp_planner_new (rs);

    assert_non_null (rs);
    lp_planner_set_choice_only (planner, TRUE);
    for (guint d = 0; d < G_N_ELEMENTS (drs); d++)
      for (guint u = 0; u < G_N_ELEMENTS (users); u++)
        for (guint r = 0; r < G_N_ELEMENTS (rtos); r++) {
          g_autoptr (LpScenario) sc = lp_scenario_new (rs);
          g_autofree char *site = g_strdup_printf ("HQ=%s", users[u]);
          g_autofree char *what = g_strdup_printf ("%s %s rto %s dr-rto %s", products[p], site,
                                                   rtos[r], drs[d] ? drs[d] : "none");
          assert_true (lp_scenario_add_site_flag (sc, site, NULL));
          assert_true (lp_scenario_add_site_flag (sc, "Branch=300", NULL));
          assert_true (lp_scenario_set_value (sc, "rto", rtos[r], "test:", NULL));
          if (drs[d] != NULL)
            assert_true (lp_scenario_set_value (sc, "dr-rto", drs[d], "test:", NULL));
          if ((u + r) % 3 == 0)
            assert_true (lp_scenario_set_value (sc, "response-time", "1h", "test:", NULL));
          assert_replan_equals_plan (planner, sc, what);
        }
  }
}

/* The site inputs some site sets change under a planner while the values
 * a group's key holds stay the same: a site sets persistent-chat, then
 * voice instead, then director, then monitoring (each 1, the one before
 * unset), alone and beside a DR pair. The key holds only the inputs sites
 * set, so a replan keeps a group only when they are the last replan's
 * (group_inputs_same()); each replan must plan as a fresh plan does. */
static void
test_site_inputs_switch (void **state)
{
  static const char *const keys[] = { "persistent-chat", "voice", "director", "monitoring" };
  Fixture *f = *state;

  for (guint p = 0; p < G_N_ELEMENTS (products); p++) {
    const LpRuleset *rs = lp_session_ruleset (f->rulesets, f->rules_dir, products[p], NULL);
    assert_non_null (rs);
    for (guint pair = 0; pair < 2; pair++) {
      g_autoptr (LpPlanner) planner = lp_planner_new (rs);
      lp_planner_set_choice_only (planner, TRUE);
      for (guint round = 0; round < 2; round++)
        for (guint k = 0; k < G_N_ELEMENTS (keys); k++) {
          g_autoptr (LpScenario) sc = lp_scenario_new (rs);
          g_autoptr (GError) error = NULL;
          g_autofree char *key = g_strdup_printf ("%s@HQ", keys[k]);
          g_autofree char *what = g_strdup_printf ("%s %s%s, round %u", products[p], key,
                                                   pair ? " beside a pair" : "", round);
          assert_true (lp_scenario_add_site_flag (sc, "HQ=5000", NULL));
          if (pair) {
            assert_true (lp_scenario_add_site_flag (sc, "NYC=3000,dr-site=LON", NULL));
            assert_true (lp_scenario_add_site_flag (sc, "LON=2000", NULL));
            assert_true (lp_scenario_set_value (sc, "dr-rto", "4h", "test:", NULL));
          }
          if (!lp_session_apply (sc, key, "true", "test:", &error))
            fail_msg ("%s: %s", what, error->message);
          assert_replan_equals_plan (planner, sc, what);
        }
    }
  }
}

/* An estate of about @n central sites from @rand: pairs naming each other
 * or one side only, hubs named by two or three spokes (each a backup pool at
 * the hub; a hub with no users hands its Edge pool to its first), sites
 * without DR, branches homed on a central site, and sites whose Edge pool
 * or Office Web Apps farm is at another site. Returns the file's text. */
static char *
estate (GRand *rand, guint n, GPtrArray *names)
{
  GString *s = g_string_new ("[scenario]\nname = generated\nrto = 30m\ndr-rto = 4h\n");
  GPtrArray *central = g_ptr_array_new_with_free_func (g_free);
  guint i = 0;

  while (i < n) {
    guint kind = (guint) g_rand_int_range (rand, 0, 4);
    g_autofree char *a = g_strdup_printf ("S%u", i);
    g_autofree char *b = g_strdup_printf ("S%u", i + 1);
    if (kind == 0) { /* a pair */
      g_string_append_printf (s, "[site %s]\nusers = %d\ndr-site = %s\n", a,
                              g_rand_int_range (rand, 0, 40000), b);
      g_string_append_printf (s, "[site %s]\nusers = %d\n", b, g_rand_int_range (rand, 0, 40000));
      g_ptr_array_add (names, g_strdup (a));
      g_ptr_array_add (names, g_strdup (b));
      i += 2;
    } else if (kind == 1) { /* a hub and its spokes */
      guint spokes = (guint) g_rand_int_range (rand, 2, 4);
      g_string_append_printf (s, "[site %s]\nusers = %d\ndr-site = none\n", a,
                              g_rand_boolean (rand) ? 0 : g_rand_int_range (rand, 1, 40000));
      g_ptr_array_add (names, g_strdup (a));
      for (guint k = 1; k <= spokes; k++) {
        g_autofree char *spoke = g_strdup_printf ("S%u", i + k);
        g_string_append_printf (s, "[site %s]\nusers = %d\ndr-site = %s\nremote-percent = %d\n",
                                spoke, g_rand_int_range (rand, 1, 20000), a,
                                g_rand_int_range (rand, 0, 60));
        g_ptr_array_add (names, g_strdup (spoke));
      }
      i += spokes + 1;
    } else if (kind == 2) { /* no DR */
      g_string_append_printf (s, "[site %s]\nusers = %d\ndr-site = none\n", a,
                              g_rand_int_range (rand, 0, 30000));
      g_ptr_array_add (names, g_strdup (a));
      i++;
    } else { /* a pair whose second site takes the first's Edge pool and farm */
      g_string_append_printf (s, "[site %s]\nusers = %d\ndr-site = %s\n", a,
                              g_rand_int_range (rand, 1, 40000), b);
      g_string_append_printf (s,
                              "[site %s]\nusers = %d\nedge = %s\noffice-web-apps = %s\n"
                              "remote-percent = %d\n",
                              b, g_rand_int_range (rand, 1, 10000), a, a,
                              g_rand_int_range (rand, 0, 60));
      g_ptr_array_add (names, g_strdup (a));
      g_ptr_array_add (names, g_strdup (b));
      i += 2;
    }
    g_ptr_array_add (central, g_strdup_printf ("S%u", i - 1));
  }
  /* Edge pools elsewhere across blocks, and branches */
  for (guint k = 0; k < n / 4; k++) {
    const char *home = g_ptr_array_index (central, g_rand_int_range (rand, 0, (gint) central->len));
    g_autofree char *name = g_strdup_printf ("B%u", k);
    g_string_append_printf (s, "[site %s]\nkind = branch\nhome = %s\nusers = %d\n", name, home,
                            g_rand_int_range (rand, 1, 3000));
    g_ptr_array_add (names, g_steal_pointer (&name));
  }
  g_ptr_array_free (central, TRUE);
  return g_string_free (s, FALSE);
}

/* Generated estates on every product, each changed 60 times, one value at
 * a time (a site's users, remote share, rto or pstn-calls; now and then
 * the scenario's rto, which every group reads), each change replanned in
 * the same planner and compared with a fresh plan. */
static void
test_estates (void **state)
{
  Fixture *f = *state;
  g_autoptr (GRand) rand = g_rand_new_with_seed (22);
  g_autofree char *dir = g_dir_make_tmp ("lp-replan-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "estate.ini", NULL);
  guint planned = 0;

  for (guint e = 0; e < 8; e++) {
    const char *product = products[e % G_N_ELEMENTS (products)];
    g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
    g_autofree char *text = estate (rand, 12 + 4 * e, names);
    g_autofree char *file = g_strdup_printf ("[scenario]\nproduct = %s\n%s", product,
                                             text + strlen ("[scenario]\n"));
    g_autoptr (LpScenario) sc = NULL;
    g_autoptr (LpPlanner) planner = NULL;
    g_autoptr (GError) error = NULL;

    assert_true (g_file_set_contents (path, file, -1, NULL));
    sc = lp_session_load (path, f->rulesets, f->rules_dir, &error);
    if (sc == NULL)
      fail_msg ("estate %u: %s", e, error->message);
    planner = lp_planner_new (sc->rs);
    lp_planner_set_choice_only (planner, TRUE);
    assert_replan_equals_plan (planner, sc, "estate as generated");
    for (guint c = 0; c < 60; c++) {
      const char *site = g_ptr_array_index (names, g_rand_int_range (rand, 0, (gint) names->len));
      guint kind = (guint) g_rand_int_range (rand, 0, 10);
      g_autofree char *key = NULL, *value = NULL, *what = NULL;
      if (kind < 5) {
        key = g_strdup_printf ("users@%s", site);
        value = g_strdup_printf ("%d", g_rand_int_range (rand, 0, 40000));
      } else if (kind < 7) {
        key = g_strdup_printf ("remote-percent@%s", site);
        value = g_strdup_printf ("%d", g_rand_int_range (rand, 0, 100));
      } else if (kind < 8) {
        key = g_strdup_printf ("rto@%s", site);
        value = g_strdup (g_rand_boolean (rand) ? "5m" : "4h");
      } else if (kind < 9) {
        key = g_strdup_printf ("pstn-calls@%s", site);
        value = g_strdup_printf ("%d", g_rand_int_range (rand, 0, 3000));
      } else {
        key = g_strdup ("rto");
        value = g_strdup (g_rand_boolean (rand) ? "30m" : "2h");
      }
      what = g_strdup_printf ("estate %u (%s), change %u: %s=%s", e, product, c, key, value);
      if (!lp_session_apply (sc, key, value, "test:", &error))
        fail_msg ("%s: %s", what, error->message);
      assert_replan_equals_plan (planner, sc, what);
      planned++;
    }
  }
  assert_int_equal (planned, 8 * 60);
  g_unlink (path);
  g_rmdir (dir);
}

/* Summarises @sc with the session's cache @known and without it: the same
 * answer, message and summary (the scenario's text too). Returns: the answer. */
static gboolean
summarise_both (LpPlanner *planner, LpScenario *sc, LpSessionCache *known, const char *what)
{
  g_auto (LpPlanSummary) a = { 0 };
  g_auto (LpPlanSummary) b = { 0 };
  g_autoptr (GError) error_a = NULL, error_b = NULL;
  gboolean ok_a, ok_b;

  lp_plan_summary_init (&a, sc->rs, TRUE);
  lp_plan_summary_init (&b, sc->rs, TRUE);
  ok_a = lp_session_summarise (planner, sc, known, &a, &error_a);
  ok_b = lp_session_summarise (planner, sc, NULL, &b, &error_b);
  if (ok_a != ok_b)
    fail_msg ("%s: with the cache %d, without %d", what, ok_a, ok_b);
  if (!ok_a) {
    assert_string_equal (error_a->message, error_b->message);
    return FALSE;
  }
  if (!lp_plan_summary_equal (&a, &b))
    fail_msg ("%s: the summaries differ", what);
  assert_string_equal (a.inputs, b.inputs);
  return TRUE;
}

/* A shell session's steps on a generated estate, as the shell makes them:
 * each change on a copy of the scenario (sharing the sites it does not
 * change), a site's value set or unset, a site added or removed, now and
 * then an undo back to the scenario before; each summarised with the
 * session's cache and without (summarise_both()). Every scenario kept for
 * undo still writes the text it wrote when it was made. */
static void
test_session_steps (void **state)
{
  Fixture *f = *state;
  g_autoptr (GRand) rand = g_rand_new_with_seed (5);
  g_autofree char *dir = g_dir_make_tmp ("lp-replan-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "estate.ini", NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *text = estate (rand, 24, names);
  g_autoptr (GPtrArray) undo = g_ptr_array_new_with_free_func ((GDestroyNotify) lp_scenario_free);
  g_autoptr (GPtrArray) undo_texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (LpSessionCache) known = lp_session_cache_new ();
  g_autoptr (LpPlanner) planner = NULL;
  g_autoptr (GError) error = NULL;
  LpScenario *sc;
  guint kept = 0, refused = 0, undone = 0;

  assert_true (g_file_set_contents (path, text, -1, NULL));
  sc = lp_session_load (path, f->rulesets, f->rules_dir, &error);
  if (sc == NULL)
    fail_msg ("%s", error->message);
  planner = lp_planner_new (sc->rs);
  assert_true (summarise_both (planner, sc, known, "the estate"));
  for (guint c = 0; c < 120; c++) {
    LpScenario *next = lp_scenario_copy (sc);
    guint kind = (guint) g_rand_int_range (rand, 0, 12);
    const LpSite *site = g_ptr_array_index (sc->sites,
                                            g_rand_int_range (rand, 0, (gint) sc->sites->len));
    g_autofree char *what = g_strdup_printf ("change %u (kind %u, site %s)", c, kind, site->name);
    g_autofree char *key = NULL, *value = NULL;
    gboolean ok;

    if (kind == 11 && undo->len > 0) {
      g_autofree char *back = NULL;
      lp_scenario_free (next);
      lp_scenario_free (sc);
      sc = g_ptr_array_steal_index (undo, undo->len - 1);
      back = lp_session_scenario_text (sc, NULL);
      assert_string_equal (back, g_ptr_array_index (undo_texts, undo_texts->len - 1));
      g_ptr_array_remove_index (undo_texts, undo_texts->len - 1);
      assert_true (summarise_both (planner, sc, known, what));
      undone++;
      continue;
    }
    if (kind < 5) {
      key = g_strdup_printf ("users@%s", site->name);
      value = g_strdup_printf ("%d", g_rand_int_range (rand, 0, 40000));
      ok = lp_session_apply (next, key, value, "test:", NULL);
    } else if (kind < 7) {
      key = g_strdup_printf ("remote-percent@%s", site->name);
      value = g_strdup_printf ("%d", g_rand_int_range (rand, 0, 100));
      ok = lp_session_apply (next, key, value, "test:", NULL);
    } else if (kind < 8) {
      key = g_strdup_printf ("remote-percent@%s", site->name);
      ok = lp_session_unset (next, key, "test:", NULL);
    } else if (kind < 9) {
      ok = lp_scenario_remove_site (next, site->name);
    } else if (kind < 10) {
      key = g_strdup_printf ("N%u", c);
      ok = lp_scenario_add_site (next, key, "test:", NULL) != NULL;
      g_free (key);
      key = g_strdup_printf ("users@N%u", c);
      ok = ok && lp_session_apply (next, key, "2500", "test:", NULL);
    } else {
      ok = lp_session_apply (next, "rto", g_rand_boolean (rand) ? "30m" : "2h", "test:", NULL);
    }
    if (!ok || !summarise_both (planner, next, known, what)) {
      lp_scenario_free (next); /* the shell keeps the scenario before */
      refused++;
      continue;
    }
    g_ptr_array_add (undo_texts, lp_session_scenario_text (sc, NULL));
    g_ptr_array_add (undo, sc);
    sc = next;
    kept++;
  }
  for (guint i = 0; i < undo->len; i++) {
    g_autofree char *now = lp_session_scenario_text (g_ptr_array_index (undo, i), NULL);
    assert_string_equal (now, g_ptr_array_index (undo_texts, i));
  }
  g_test_message ("%u changes kept, %u refused, %u undone", kept, refused, undone);
  assert_true (kept > 40 && refused > 0 && undone > 5);
  lp_scenario_free (sc);
  g_unlink (path);
  g_rmdir (dir);
}

/* 1, 998, ... by 997 users, one by one from 11,990 to 12,010, then by 997. */
static guint
next_users (guint u)
{
  if (u >= 11990 && u < 12010)
    return u + 1;
  return u < 11990 && u + 997 > 11990 ? 11990 : u + 997;
}

/* Folded replans over @rs as a sweep of the users makes them (a fold of
 * the first row, nothing varied but the users; choice only) against fresh
 * plans: one site, one site with DR, and a pair with users at both sites,
 * the users rising by an odd step and then by one (where a figure steps
 * while the memos hold). */
static void
fold_rows (const LpRuleset *rs, const char *what)
{
  static const char *const shapes[][3] = { { "HQ=", "", NULL },
                                           { "HQ=", "", "4h" },
                                           { "A=", ",dr-site=B", "4h" } };

  for (guint s = 0; s < G_N_ELEMENTS (shapes); s++) {
    g_autoptr (LpPlanner) planner = lp_planner_new (rs);
    lp_planner_set_choice_only (planner, TRUE);
    for (guint u = 1, row = 0; u <= 45000; u = next_users (u), row++) {
      g_autoptr (LpScenario) sc = lp_scenario_new (rs);
      g_autofree char *site = g_strdup_printf ("%s%u%s", shapes[s][0], u, shapes[s][1]);
      g_autofree char *label = g_strdup_printf ("%s, folded, %s dr-rto %s", what, site,
                                                shapes[s][2] != NULL ? shapes[s][2] : "none");
      assert_true (lp_scenario_add_site_flag (sc, site, NULL));
      if (s == 2)
        assert_true (lp_scenario_add_site_flag (sc, "B=7000", NULL));
      if (shapes[s][2] != NULL)
        assert_true (lp_scenario_set_value (sc, "dr-rto", shapes[s][2], "test:", NULL));
      if (row == 0) {
        assert_true (lp_scenario_resolve (sc, rs, NULL));
        lp_planner_set_fold (planner, lp_engine_fold_new (rs, sc, NULL, 0));
      }
      assert_replan_equals_plan (planner, sc, label);
    }
  }
}

/* fold_rows() on every product, and on lync2013 with a rule-set [let] that
 * reads a role count and a check that reads the users and a role count
 * (so the fold's shortcuts that need the [let]s to read only site values
 * and the checks only recovery and downtime figures must stand aside, and
 * the role count the check reads must be written). */
static void
test_folded (void **state)
{
  Fixture *f = *state;
  g_autofree char *dir = g_dir_make_tmp ("lp-replan-XXXXXX", NULL);
  g_autofree char *rules = g_build_filename (dir, "rules", NULL);
  g_autofree char *templates = g_build_filename (dir, "templates", NULL);
  g_autofree char *path = g_build_filename (rules, "lync2013.rules", NULL);
  g_autofree char *source = g_build_filename (f->rules_dir, "lync2013.rules", NULL);
  g_autofree char *source_templates = g_build_filename (g_getenv ("LP_SOURCE_ROOT"), "templates",
                                                        NULL);
  g_autofree char *text = NULL;
  g_autoptr (GString) changed = NULL;
  g_autoptr (LpRuleset) rs = NULL;
  const char *let;

  for (guint p = 0; p < G_N_ELEMENTS (products); p++) {
    const LpRuleset *shipped = lp_session_ruleset (f->rulesets, f->rules_dir, products[p], NULL);
    assert_non_null (shipped);
    fold_rows (shipped, products[p]);
  }
  assert_true (g_file_get_contents (source, &text, NULL, NULL));
  let = strstr (text, "\n[let]\n");
  assert_non_null (let);
  changed = g_string_new_len (text, let - text + strlen ("\n[let]\n"));
  g_string_append (changed, "edges-seen = n-edge + 0 * users\n");
  g_string_append (changed, let + strlen ("\n[let]\n"));
  g_string_append (changed,
                   "\n[check se-users]\nlabel = SE users\ntitle = Standard Edition "
                   "users\nunit = yes-no\ncompare = at-least\napplies = dr\n"
                   "target = 1\nachieved = if(users > 12000 and n-front-end == 0, 0, 1)\n");
  assert_int_equal (g_mkdir (rules, 0700), 0);
  assert_int_equal (symlink (source_templates, templates), 0);
  assert_true (g_file_set_contents (path, changed->str, -1, NULL));
  rs = lp_test_load_rules (dir, "lync2013");
  fold_rows (rs, "lync2013 with a [let] and a check reading role counts");
  g_unlink (path);
  g_unlink (templates);
  g_rmdir (rules);
  g_rmdir (dir);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_grid, setup, teardown),
    cmocka_unit_test_setup_teardown (test_site_inputs_switch, setup, teardown),
    cmocka_unit_test_setup_teardown (test_estates, setup, teardown),
    cmocka_unit_test_setup_teardown (test_session_steps, setup, teardown),
    cmocka_unit_test_setup_teardown (test_folded, setup, teardown),
  };

  return cmocka_run_group_tests_name ("replan", tests, NULL, NULL);
}
