/* test-plan.c: what a plan owns and what its summary reports: a plan keeps
 * its own copy of the scenario (sites shared until changed), a planner keeps its storage through an
 * error, and plan summaries compare (lp_plan_summary_equal) and list their
 * differences (lp_plan_summary_diff), past 64 requirement checks too. */
#include <glib.h>
#include <glib/gstdio.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "lp-engine.h"
#include "lp-test-rules.h"
#include "lp-test.h"

/* Checks appended to a copy of the rule file: more than a 64-bit set holds. */
#define EXTRA_CHECKS 70

typedef struct {
  const char *name;
  const char *const *before; /* flags: "site:NAME=USERS" or "KEY=VALUE" */
  const char *const *after;
  const char *expected; /* the diff, one "path: old -> new" a line */
} DiffRow;

static const char *const hq5000[] = { "site:HQ=5000", "rto=30m", NULL };
static const char *const hq30000[] = { "site:HQ=30000", "rto=30m", NULL };
static const char *const hq5000_dr[] = { "site:HQ=5000", "rto=30m", "dr-rto=4h", NULL };
static const char *const hq5000_4h[] = { "site:HQ=5000", NULL };
static const char *const two_sites[] = { "site:HQ=5000", "site:NYC=2000", "rto=30m", NULL };

static const DiffRow rows[] = {
  { "same scenario, no change", hq5000, hq5000, "" },
  { "more users, more Front Ends", hq5000, hq30000,
    "servers: 12 -> 15\n"
    "roles/front-end: 3 -> 6\n"
    /* 6 Front End servers keep the pool's quorum through 2 failures at once, not 1, but a
     * user's routing group (three replicas) still stops with 2 of its 3 down: the same SLA */
    "sites/HQ/roles/front-end: 3 -> 6\n" },
  { "disaster recovery adds a site and a group", hq5000, hq5000_dr,
    "design: enterprise-pool -> enterprise-paired\n"
    "servers: 12 -> 24\n"
    "appliances: 2 -> 4\n"
    "reverse-proxies: 2 -> 4\n"
    "roles/front-end: 3 -> 6\n"
    "roles/back-end-sql: 2 -> 4\n"
    "roles/sql-witness: 1 -> 2\n"
    "roles/file-server: 2 -> 4\n"
    "roles/hardware-load-balancer: 2 -> 4\n"
    "roles/edge: 2 -> 4\n"
    "roles/office-web-apps: 2 -> 4\n"
    "roles/reverse-proxy: 2 -> 4\n"
    "sites/HQ-DR: (none) -> front-end 3, back-end-sql 2, sql-witness 1, file-server 2, "
    "hardware-load-balancer 2, edge 2, office-web-apps 2, reverse-proxy 2\n"
    "groups/HQ + HQ-DR: (none) -> enterprise-paired\n"
    "groups/HQ: enterprise-pool -> (none)\n" },
  { "a looser RTO takes Standard Edition", hq5000, hq5000_4h,
    "design: enterprise-pool -> standard-paired\n"
    "edition: enterprise -> standard\n"
    "servers: 12 -> 6\n"
    "appliances: 2 -> 0\n"
    "roles/standard-edition: 0 -> 2\n"
    "roles/front-end: 3 -> 0\n"
    "roles/back-end-sql: 2 -> 0\n"
    "roles/sql-witness: 1 -> 0\n"
    "roles/file-server: 2 -> 0\n"
    "roles/hardware-load-balancer: 2 -> 0\n"
    "sites/HQ/roles/standard-edition: 0 -> 2\n"
    "sites/HQ/roles/front-end: 3 -> 0\n"
    "sites/HQ/roles/back-end-sql: 2 -> 0\n"
    "sites/HQ/roles/sql-witness: 1 -> 0\n"
    "sites/HQ/roles/file-server: 2 -> 0\n"
    "sites/HQ/roles/hardware-load-balancer: 2 -> 0\n"
    "groups/HQ/design: enterprise-pool -> standard-paired\n"
    /* a Standard Edition server's failover: response 30m, Central Management
     * Store 5m, Edge next hop 15m, pool failover 30m, Response Groups 15m */
    "groups/HQ/checks/rto: 5m -> 1h35m\n"
    "groups/HQ/checks/rpo: 5m -> 30m\n"
    /* the pair's manual failover, response 30m and pool failover 30m, once a year */
    "groups/HQ/checks/sla: 99.9977% -> 99.9885%\n" },
  { "a site removed", two_sites, hq5000,
    "servers: 24 -> 12\n"
    "appliances: 4 -> 2\n"
    "reverse-proxies: 4 -> 2\n"
    "roles/front-end: 6 -> 3\n"
    "roles/back-end-sql: 4 -> 2\n"
    "roles/sql-witness: 2 -> 1\n"
    "roles/file-server: 4 -> 2\n"
    "roles/hardware-load-balancer: 4 -> 2\n"
    "roles/edge: 4 -> 2\n"
    "roles/office-web-apps: 4 -> 2\n"
    "roles/reverse-proxy: 4 -> 2\n"
    "sites/NYC: front-end 3, back-end-sql 2, sql-witness 1, file-server 2, "
    "hardware-load-balancer 2, edge 2, office-web-apps 2, reverse-proxy 2 -> (none)\n"
    "groups/NYC: enterprise-pool -> (none)\n" },
};

typedef struct {
  char *dir;      /* nullable: a copy of the rules with EXTRA_CHECKS more checks */
  LpRuleset *rs;  /* the source tree's rules */
  LpRuleset *big; /* nullable: the copy's */
} Fixture;

static int
setup (void **state)
{
  Fixture *f = g_new0 (Fixture, 1);

  f->rs = lp_test_load_rules (NULL, "lync2013");
  *state = f;
  return 0;
}

static void
remove_tree (const char *path)
{
  g_autoptr (GDir) d = g_dir_open (path, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL) {
    g_autofree char *child = g_build_filename (path, name, NULL);
    if (g_file_test (child, G_FILE_TEST_IS_DIR))
      remove_tree (child);
    else
      g_unlink (child);
  }
  g_rmdir (path);
}

static int
teardown (void **state)
{
  Fixture *f = *state;

  lp_ruleset_free (f->rs);
  lp_ruleset_free (f->big);
  if (f->dir != NULL)
    remove_tree (f->dir);
  g_free (f->dir);
  g_free (f);
  return 0;
}

/* A resolved scenario of @rs from flags as in DiffRow. */
static LpScenario *
scenario (const LpRuleset *rs, const char *const *flags)
{
  LpScenario *sc = lp_scenario_new (rs);
  g_autoptr (GError) error = NULL;

  for (guint i = 0; flags[i] != NULL; i++) {
    g_auto (GStrv) kv = g_strsplit (flags[i], "=", 2);
    if (g_str_has_prefix (flags[i], "site:"))
      assert_true (lp_scenario_add_site_flag (sc, flags[i] + 5, &error));
    else
      assert_true (lp_scenario_set_value (sc, kv[0], kv[1], "test:", &error));
  }
  assert_true (lp_scenario_resolve (sc, rs, &error));
  return sc;
}

/* The detailed summary of planning @flags with @rs. */
static void
summarise (const LpRuleset *rs, const char *const *flags, LpPlanSummary *s)
{
  g_autoptr (LpScenario) sc = scenario (rs, flags);
  g_autoptr (GError) error = NULL;
  g_autoptr (LpPlan) plan = lp_engine_plan (rs, sc, FALSE, &error);

  assert_non_null (plan);
  lp_plan_summary_init (s, rs, TRUE);
  lp_plan_summary_set (s, plan);
}

static char *
diff_text (const LpPlanSummary *a, const LpPlanSummary *b)
{
  g_autoptr (GPtrArray) changes = lp_plan_summary_diff (a, b);
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < changes->len; i++) {
    const LpPlanChange *c = g_ptr_array_index (changes, i);
    g_string_append_printf (s, "%s: %s -> %s\n", c->path, c->old_text ? c->old_text : "(none)",
                            c->new_text ? c->new_text : "(none)");
  }
  return g_string_free (s, FALSE);
}

static void
test_diff_row (void **state)
{
  const DiffRow *row = *state;
  g_autoptr (LpRuleset) rs = lp_test_load_rules (NULL, "lync2013");
  g_auto (LpPlanSummary) a = { 0 };
  g_auto (LpPlanSummary) b = { 0 };
  g_autofree char *text = NULL, *back = NULL;

  summarise (rs, row->before, &a);
  summarise (rs, row->after, &b);
  text = diff_text (&a, &b);
  assert_string_equal (text, row->expected);
  assert_int_equal (lp_plan_summary_equal (&a, &b), row->expected[0] == '\0');
  /* the other way round: as many changes, none lost */
  back = diff_text (&b, &a);
  assert_int_equal (strlen (back) > 0, row->expected[0] != '\0');
}

/* Editing or freeing the scenario leaves an earlier plan as it was. */
static void
test_plan_owns_scenario (void **state)
{
  Fixture *f = *state;
  LpScenario *sc = scenario (f->rs, two_sites);
  g_autoptr (LpPlan) plan = lp_engine_plan (f->rs, sc, FALSE, NULL);
  g_auto (LpPlanSummary) before = { 0 };
  g_auto (LpPlanSummary) after = { 0 };

  assert_non_null (plan);
  assert_ptr_not_equal (plan->sc, sc);
  lp_plan_summary_init (&before, f->rs, TRUE);
  lp_plan_summary_set (&before, plan);
  assert_true (lp_scenario_add_site_flag (sc, "HQ=80000", NULL));
  assert_true (lp_scenario_remove_site (sc, "NYC"));
  assert_true (lp_scenario_set_value (sc, "rto", "4h", "test:", NULL));
  lp_scenario_free (sc);
  /* the plan's copy shares the sites it was given (a reference each): they outlive @sc */
  assert_int_equal (plan->sc->sites->len, 2);
  assert_string_equal (g_array_index (plan->sites, LpPlanSite, 0).name, "HQ");
  assert_string_equal (g_array_index (plan->sites, LpPlanSite, 1).name, "NYC");
  assert_int_equal (((const LpSite *) g_ptr_array_index (plan->sc->sites, 0))->users, 5000);
  assert_non_null (lp_scenario_find_setting (plan->sc, "rto"));
  assert_string_equal (lp_scenario_find_setting (plan->sc, "rto")->text, "30m");
  lp_plan_summary_init (&after, f->rs, TRUE);
  lp_plan_summary_set (&after, plan);
  assert_true (lp_plan_summary_equal (&before, &after));
}

/* A copy shares its sites until one of them changes (lp_scenario_site_mut()):
 * a change, a site removed or added, or links bound again in one leave the
 * other as it was, with ten sites (the index of names, not a scan). */
static void
test_copy_shares_sites (void **state)
{
  Fixture *f = *state;
  LpScenario *sc = lp_scenario_new (f->rs);
  g_autoptr (LpScenario) copy = NULL;
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < 10; i++) {
    g_autofree char *spec = g_strdup_printf ("S%u=%u%s", i, 1000 + i,
                                             i == 0   ? ",dr-site=S1"
                                             : i == 5 ? ",dr-site=S9"
                                                      : "");
    assert_true (lp_scenario_add_site_flag (sc, spec, &error));
  }
  assert_true (lp_scenario_resolve (sc, f->rs, &error));
  copy = lp_scenario_copy (sc);
  for (guint i = 0; i < 10; i++)
    assert_ptr_equal (g_ptr_array_index (copy->sites, i), g_ptr_array_index (sc->sites, i));

  /* a change copies the site changed, and only it */
  assert_true (lp_scenario_set_site_key (copy, lp_scenario_site_mut (copy, 3), "users", "777",
                                         "test:", &error));
  assert_int_equal (((const LpSite *) g_ptr_array_index (copy->sites, 3))->users, 777);
  assert_int_equal (((const LpSite *) g_ptr_array_index (sc->sites, 3))->users, 1003);
  assert_ptr_not_equal (g_ptr_array_index (copy->sites, 3), g_ptr_array_index (sc->sites, 3));
  assert_ptr_equal (g_ptr_array_index (copy->sites, 4), g_ptr_array_index (sc->sites, 4));
  /* a site's own: changed in place */
  assert_ptr_equal (lp_scenario_site_mut (copy, 3), g_ptr_array_index (copy->sites, 3));

  /* removing S1 unlinks S0 and moves the indexes of the copy alone */
  assert_true (lp_scenario_remove_site (copy, "S1"));
  assert_true (lp_scenario_add_site (copy, "NEW", "test:", &error) != NULL);
  assert_true (
    lp_scenario_set_site_key (copy, lp_scenario_site_mut (copy, 9), "users", "5", "test:", &error));
  assert_true (lp_scenario_resolve (copy, f->rs, &error));
  assert_int_equal (lp_scenario_find_site (copy, "S9"), 8);
  assert_int_equal (lp_scenario_find_site (copy, "NEW"), 9);
  assert_int_equal (lp_scenario_find_site (copy, "S1"), -1);
  assert_int_equal (((const LpSite *) g_ptr_array_index (copy->sites, 0))->links[LP_LINK_DR].kind,
                    LP_LINK_UNSET);
  assert_int_equal (((const LpSite *) g_ptr_array_index (copy->sites, 4))->links[LP_LINK_DR].index,
                    8);
  assert_int_equal (lp_scenario_find_site (sc, "S9"), 9);
  assert_int_equal (lp_scenario_find_site (sc, "S1"), 1);
  assert_int_equal (lp_scenario_find_site (sc, "NEW"), -1);
  assert_int_equal (((const LpSite *) g_ptr_array_index (sc->sites, 0))->links[LP_LINK_DR].index,
                    1);
  assert_string_equal (((const LpSite *) g_ptr_array_index (sc->sites, 0))->links[LP_LINK_DR].name,
                       "S1");
  assert_int_equal (((const LpSite *) g_ptr_array_index (sc->sites, 5))->links[LP_LINK_DR].index,
                    9);
  /* sites the copy left alone are still shared; the scenario resolves again unchanged */
  assert_ptr_equal (g_ptr_array_index (copy->sites, 1), g_ptr_array_index (sc->sites, 2));
  assert_true (lp_scenario_resolve (sc, f->rs, &error));
  assert_ptr_equal (g_ptr_array_index (copy->sites, 1), g_ptr_array_index (sc->sites, 2));
  assert_int_equal (sc->sites->len, 10);

  /* the copy outlives the scenario it came from */
  lp_scenario_free (sc);
  assert_string_equal (((const LpSite *) g_ptr_array_index (copy->sites, 8))->name, "S9");
  assert_int_equal (((const LpSite *) g_ptr_array_index (copy->sites, 8))->users, 1009);
}

/* A planner that fails keeps its storage: the next plan is right, and the
 * same as a fresh planner's; a full plan leaves the planner working. */
static void
test_planner_survives_error (void **state)
{
  static const char *const three[] = { "site:A=100", "site:B=100", "site:C=100", "dr-rto=4h",
                                       NULL };
  Fixture *f = *state;
  g_autoptr (LpPlanner) planner = lp_planner_new (f->rs);
  g_autoptr (LpScenario) good = scenario (f->rs, hq5000_dr);
  g_autoptr (LpScenario) bad = scenario (f->rs, three);
  g_autoptr (LpScenario) other = scenario (f->rs, two_sites);
  g_autoptr (LpPlan) handed = NULL;
  g_autoptr (LpPlan) fresh = lp_engine_plan (f->rs, good, FALSE, NULL);
  g_auto (LpPlanSummary) want = { 0 };
  g_auto (LpPlanSummary) got = { 0 };
  GError *error = NULL;

  lp_plan_summary_init (&want, f->rs, TRUE);
  lp_plan_summary_init (&got, f->rs, TRUE);
  lp_plan_summary_set (&want, fresh);
  assert_non_null (lp_planner_replan (planner, good, FALSE, NULL));
  assert_null (lp_planner_replan (planner, bad, FALSE, &error));
  assert_non_null (error);
  g_clear_error (&error);
  lp_plan_summary_set (&got, lp_planner_replan (planner, good, FALSE, NULL));
  assert_true (lp_plan_summary_equal (&got, &want));
  handed = lp_planner_plan (planner, good, TRUE, NULL);
  assert_non_null (handed);
  assert_non_null (handed->trace);
  lp_plan_summary_set (&got, lp_planner_replan (planner, good, FALSE, NULL));
  assert_true (lp_plan_summary_equal (&got, &want));
  lp_plan_summary_set (&got, handed);
  assert_true (lp_plan_summary_equal (&got, &want));
  /* a summary set again from other groups, and back, keeps no old label */
  lp_plan_summary_set (&got, lp_planner_replan (planner, other, FALSE, NULL));
  assert_false (lp_plan_summary_equal (&got, &want));
  assert_string_equal (g_array_index (got.groups, LpGroupSummary, 1).label, "NYC");
  lp_plan_summary_set (&got, lp_planner_replan (planner, good, FALSE, NULL));
  assert_true (lp_plan_summary_equal (&got, &want));
}

/* A copy of the rule file with EXTRA_CHECKS checks more: extra-1 to
 * extra-64 always met, the others met up to 1000 * (N - 4) users, so a site
 * of 65,500 users misses extra-65 to extra-69, all past the 64th check. */
static LpRuleset *
big_rules (Fixture *f)
{
  const char *root = g_getenv ("LP_SOURCE_ROOT");
  g_autofree char *src = g_build_filename (root, "rules", "lync2013.rules", NULL);
  g_autofree char *rules_dir = NULL, *templates = NULL, *path = NULL, *data = NULL;
  g_autoptr (GString) text = NULL;
  g_autofree char *from_dir = g_build_filename (root, "templates", NULL);
  g_autoptr (GDir) dir = g_dir_open (from_dir, 0, NULL);
  const char *name;

  f->dir = g_dir_make_tmp ("lyncplan-plan-XXXXXX", NULL);
  rules_dir = g_build_filename (f->dir, "rules", NULL);
  templates = g_build_filename (f->dir, "templates", NULL);
  g_mkdir (rules_dir, 0755);
  g_mkdir (templates, 0755);
  assert_non_null (dir);
  while ((name = g_dir_read_name (dir)) != NULL) { /* the templates and the files they include */
    g_autofree char *from = g_build_filename (from_dir, name, NULL);
    g_autofree char *to = g_build_filename (templates, name, NULL);
    g_autofree char *body = NULL;
    gsize len = 0;
    assert_true (g_file_get_contents (from, &body, &len, NULL));
    assert_true (g_file_set_contents (to, body, (gssize) len, NULL));
  }
  assert_true (g_file_get_contents (src, &data, NULL, NULL));
  text = g_string_new (data);
  for (guint n = 1; n <= EXTRA_CHECKS; n++) {
    g_autofree char *achieved = n <= 64 ? g_strdup ("1")
                                        : g_strdup_printf ("users <= %u", 1000 * (n - 4));
    g_string_append_printf (text,
                            "\n[check extra-%u]\nlabel = Extra check %u\nunit = yes-no\n"
                            "compare = at-least\ntarget = 1\nachieved = %s\n",
                            n, n, achieved);
  }
  path = g_build_filename (rules_dir, "lync2013.rules", NULL);
  assert_true (g_file_set_contents (path, text->str, (gssize) text->len, NULL));
  f->big = lp_test_load_rules (f->dir, "lync2013");
  return f->big;
}

/* Checks past the 64th count as missed, compare and show in the diff. */
static void
test_missed_past_64 (void **state)
{
  static const char *const small[] = { "site:HQ=5000", "rto=30m", NULL };
  static const char *const large[] = { "site:HQ=65500", "rto=30m", NULL };
  Fixture *f = *state;
  const LpRuleset *rs = big_rules (f);
  guint first_extra = rs->checks->len - EXTRA_CHECKS;
  g_auto (LpPlanSummary) a = { 0 };
  g_auto (LpPlanSummary) b = { 0 };
  g_auto (LpPlanSummary) copy = { 0 };
  g_autofree char *text = NULL;

  assert_true (rs->checks->len > 64 + 5);
  summarise (rs, small, &a);
  summarise (rs, large, &b);
  assert_true (a.feasible);
  assert_false (b.feasible);
  for (guint n = 1; n <= EXTRA_CHECKS; n++) {
    assert_false (lp_plan_summary_missed (&a, first_extra + n - 1));
    assert_int_equal (lp_plan_summary_missed (&b, first_extra + n - 1), n >= 65 && n <= 69);
  }
  assert_false (lp_plan_summary_missed (&b, rs->checks->len)); /* no such check */
  assert_false (lp_plan_summary_equal (&a, &b));
  lp_plan_summary_init (&copy, rs, FALSE);
  lp_plan_summary_copy (&copy, &b);
  assert_true (lp_plan_summary_equal (&copy, &b));
  assert_true (lp_plan_summary_missed (&copy, rs->checks->len - 2)); /* extra-69 */
  text = diff_text (&a, &b);
  assert_non_null (strstr (text, "feasible: yes -> no\n"));
  assert_non_null (strstr (text, "\nmissed/extra-65: no -> yes\n"));
  assert_non_null (strstr (text, "\nmissed/extra-69: no -> yes\n"));
  assert_null (strstr (text, "missed/extra-64:"));
  assert_null (strstr (text, "missed/extra-70:"));
  assert_non_null (strstr (text, "\ngroups/HQ/checks/extra-69: yes -> no, misses\n"));
  assert_null (strstr (text, "/checks/extra-70:"));
}

int
main (void)
{
  const struct CMUnitTest fixtured[] = {
    cmocka_unit_test_setup_teardown (test_plan_owns_scenario, setup, teardown),
    cmocka_unit_test_setup_teardown (test_copy_shares_sites, setup, teardown),
    cmocka_unit_test_setup_teardown (test_planner_survives_error, setup, teardown),
    cmocka_unit_test_setup_teardown (test_missed_past_64, setup, teardown),
  };
  LP_TEST_TABLE (tests, rows, test_diff_row);

  g_array_append_vals (tests, fixtured, G_N_ELEMENTS (fixtured));
  return LP_TEST_RUN ("plan", tests);
}
