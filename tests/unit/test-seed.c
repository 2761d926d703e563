/* test-seed.c: the seed examples and their own figures,
 * checked through the JSON output: design, role counts per site, totals. */
#include <glib.h>
#include <json-glib/json-glib.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "lp-engine.h"
#include "lp-report.h"
#include "lp-test-rules.h"
#include "lp-test.h"
#include "lp-write.h"

typedef struct {
  const char *name;
  const char *const *flags; /* value flags as key=value, NULL-terminated */
  const char *site;         /* NAME=USERS */
  gboolean persistent_chat;
  const char *design;
  const char *edition;
  guint64 servers, appliances, reverse_proxies; /* reverse proxies are listed beside the others */
  const char *roles; /* every site's roles: "site: role=n role=n; site: ..." */
} SeedRow;

static const char *const rto4h[] = { NULL };
static const char *const rto30m[] = { "rto=30m", NULL };
static const char *const rto30m_dr4h[] = { "rto=30m", "dr-rto=4h", NULL };
static const char *const dr4h[] = { "dr-rto=4h", NULL };
/* the seed's "3000 on ServerA in SiteA and 3000 on ServerB", above Microsoft's
 * 2,500 a server in normal running (L13-CAP): a --set away */
static const char *const dr4h_seed[] = { "dr-rto=4h", "se-users-per-server=3000", NULL };

static const SeedRow rows[] = {
  { "5000 users, rto 4h, no DR", rto4h, "HQ=5000", FALSE, "standard-paired", "standard", 6, 0, 2,
    "HQ: standard-edition=2 edge=2 office-web-apps=2 reverse-proxy=2" },
  { "5000 users, rto 30m, no DR", rto30m, "HQ=5000", FALSE, "enterprise-pool", "enterprise", 12, 2,
    2,
    "HQ: front-end=3 back-end-sql=2 sql-witness=1 file-server=2 hardware-load-balancer=2 edge=2 "
    "office-web-apps=2 reverse-proxy=2" },
  { "5000 users, rto 30m, dr-rto 4h", rto30m_dr4h, "HQ=5000", FALSE, "enterprise-paired",
    "enterprise", 24, 4, 4,
    "HQ: front-end=3 back-end-sql=2 sql-witness=1 file-server=2 hardware-load-balancer=2 edge=2 "
    "office-web-apps=2 reverse-proxy=2; HQ-DR: front-end=3 back-end-sql=2 sql-witness=1 file-server=2 "
    "hardware-load-balancer=2 edge=2 office-web-apps=2 reverse-proxy=2" },
  { "5000 users, rto 30m, dr-rto 4h, Persistent Chat", rto30m_dr4h, "HQ=5000", TRUE,
    "enterprise-paired", "enterprise", 28, 4, 4,
    "HQ: front-end=3 back-end-sql=2 sql-witness=1 file-server=2 hardware-load-balancer=2 edge=2 "
    "office-web-apps=2 persistent-chat=2 reverse-proxy=2; HQ-DR: front-end=3 back-end-sql=2 sql-witness=1 "
    "file-server=2 hardware-load-balancer=2 edge=2 office-web-apps=2 persistent-chat=2 reverse-proxy=2" },
  { "6000 users, rto 4h, dr-rto 4h: 2,500 a server", dr4h, "HQ=6000", FALSE, "standard-paired",
    "standard", 14, 0, 4,
    "HQ: standard-edition=3 edge=2 office-web-apps=2 reverse-proxy=2; HQ-DR: standard-edition=3 edge=2 "
    "office-web-apps=2 reverse-proxy=2" },
  { "6000 users, rto 4h, dr-rto 4h: the seed's 3,000 a server", dr4h_seed, "HQ=6000", FALSE,
    "standard-paired", "standard", 12, 0, 4,
    "HQ: standard-edition=2 edge=2 office-web-apps=2 reverse-proxy=2; HQ-DR: standard-edition=2 edge=2 "
    "office-web-apps=2 reverse-proxy=2" },
  { "30000 users need 6 Front Ends", rto30m, "HQ=30000", FALSE, "enterprise-pool", "enterprise", 15,
    2, 2,
    "HQ: front-end=6 back-end-sql=2 sql-witness=1 file-server=2 hardware-load-balancer=2 edge=2 "
    "office-web-apps=2 reverse-proxy=2" },
  { "80000 users fill one pool of 12", rto30m, "HQ=80000", FALSE, "enterprise-pool", "enterprise",
    21, 2, 2,
    "HQ: front-end=12 back-end-sql=2 sql-witness=1 file-server=2 hardware-load-balancer=2 edge=2 "
    "office-web-apps=2 reverse-proxy=2" },
};

/* The plan as plan --format json writes it. */
static char *
json_of (const LpPlan *plan)
{
  g_autoptr (LpReport) r = lp_report_new (plan, NULL, NULL);
  g_autoptr (LpOutput) out = lp_output_new_memory ();
  const LpWriteOptions wo = { .with_trace = FALSE };

  assert_non_null (r);
  assert_true (lp_write_json (r, &wo, out, NULL) && lp_output_commit (out, NULL));
  return g_strdup (lp_output_contents (out, NULL));
}

static JsonNode *
plan_json (const LpRuleset *rs, const SeedRow *row)
{
  g_autoptr (LpScenario) sc = lp_scenario_new (rs);
  g_autoptr (GError) error = NULL;
  g_autoptr (LpPlan) plan = NULL;
  g_autofree char *json = NULL;

  for (guint i = 0; row->flags[i] != NULL; i++) {
    g_auto (GStrv) kv = g_strsplit (row->flags[i], "=", 2);
    if (lp_ruleset_find_input (rs, kv[0]) != NULL)
      assert_true (lp_scenario_set_value (sc, kv[0], kv[1], "test:", &error));
    else /* a rule constant, as --set sets it */
      assert_true (lp_scenario_add_set_flag (sc, row->flags[i], &error));
  }
  assert_true (lp_scenario_add_site_flag (sc, row->site, &error));
  assert_true (lp_scenario_set_value (sc, "persistent-chat",
                                      row->persistent_chat ? "true" : "false", "test:", &error));
  assert_true (lp_scenario_resolve (sc, rs, &error));
  plan = lp_engine_plan (rs, sc, FALSE, &error);
  assert_non_null (plan);
  json = json_of (plan);
  return json_from_string (json, &error);
}

/* "HQ: front-end=3 ...; HQ-DR: ..." from the JSON's sites[] */
static char *
roles_text (JsonArray *sites)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (sites); i++) {
    JsonObject *site = json_array_get_object_element (sites, i);
    JsonArray *roles = json_object_get_array_member (site, "roles");

    g_string_append_printf (s, "%s%s:", i > 0 ? "; " : "",
                            json_object_get_string_member (site, "name"));
    for (guint k = 0; k < json_array_get_length (roles); k++) {
      JsonObject *role = json_array_get_object_element (roles, k);
      g_string_append_printf (s, " %s=%" G_GINT64_FORMAT,
                              json_object_get_string_member (role, "role"),
                              json_object_get_int_member (role, "count"));
    }
  }
  return g_string_free (s, FALSE);
}

static void
test_row (void **state)
{
  const SeedRow *row = *state;
  g_autoptr (LpRuleset) rs = lp_test_load_rules (NULL, "lync2013");
  g_autoptr (JsonNode) root = plan_json (rs, row);
  JsonObject *o = json_node_get_object (root);
  JsonObject *totals = json_object_get_object_member (o, "totals");
  g_autofree char *roles = roles_text (json_object_get_array_member (o, "sites"));

  assert_string_equal (json_object_get_string_member (o, "design"), row->design);
  assert_string_equal (json_object_get_string_member (o, "edition"), row->edition);
  assert_true (json_object_get_boolean_member (o, "feasible"));
  assert_int_equal (json_object_get_int_member (totals, "servers"), row->servers);
  assert_int_equal (json_object_get_int_member (totals, "appliances"), row->appliances);
  assert_int_equal (json_object_get_int_member (totals, "reverse_proxies"), row->reverse_proxies);
  assert_string_equal (roles, row->roles);
}

/* @json without what only a report shows (a replan leaves it out): the
 * sites' notes, the pools' capacity and the planned rows (failback) of the
 * resilience review. */
static char *
without_report_only (const char *json)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  JsonObject *root;
  JsonArray *sites, *resilience, *pools;

  assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  root = json_node_get_object (json_parser_get_root (parser));
  sites = json_object_get_array_member (root, "sites");
  for (guint i = 0; i < json_array_get_length (sites); i++)
    json_object_remove_member (json_array_get_object_element (sites, i), "notes");
  /* a pool's capacity is evaluated as notes are, for a full report only */
  pools = json_object_get_array_member (root, "pools");
  for (guint i = 0; i < json_array_get_length (pools); i++)
    json_object_remove_member (json_array_get_object_element (pools, i), "capacity");
  resilience = json_object_get_array_member (root, "resilience");
  for (guint i = 0; i < json_array_get_length (resilience); i++) {
    JsonObject *site = json_array_get_object_element (resilience, i);
    JsonArray *failures = json_object_get_array_member (site, "failures");
    for (guint k = json_array_get_length (failures); k-- > 0;) {
      JsonObject *row = json_array_get_object_element (failures, k);
      if (g_strcmp0 (json_object_get_string_member (row, "scope"), "planned") == 0)
        json_array_remove_element (failures, k);
    }
  }
  json_generator_set_root (gen, json_parser_get_root (parser));
  return json_generator_to_data (gen, NULL);
}

/* A plan made in a planner's reused storage is the same plan, whatever came before it,
 * including when disaster recovery toggles and the sites regroup, and when
 * what the failure rows read changes under a kept failure table. */
static void
test_replan_equals_plan (void **state)
{
  static const char *const users[] = { "0", "2000", "5000", "6000", "30000", "100000" };
  static const char *const rtos[] = { "0m", "30m", "4h" };
  static const char *const drs[] = { NULL, "4h", NULL, "10m" };
  g_autoptr (LpRuleset) rs = lp_test_load_rules (NULL, "lync2013");
  g_autoptr (LpPlanner) planner = lp_planner_new (rs);
  guint n = 0;

  /* DR outermost: consecutive plans mostly share a grouping, so storage is
   * reused while users, rto, response-time and Persistent Chat change under it */
  for (guint d = 0; d < G_N_ELEMENTS (drs); d++)
    for (guint u = 0; u < G_N_ELEMENTS (users); u++)
      for (guint r = 0; r < G_N_ELEMENTS (rtos); r++) {
        g_autoptr (LpScenario) sc = lp_scenario_new (rs);
        g_autofree char *site = g_strdup_printf ("HQ=%s", users[u]);
        g_autofree char *fresh_json = NULL, *reused_json = NULL;
        g_autofree char *fresh_full = NULL, *reused_full = NULL;
        g_autoptr (LpPlan) fresh = NULL;
        const LpPlan *reused = NULL;

        assert_true (lp_scenario_add_site_flag (sc, site, NULL));
        assert_true (lp_scenario_add_site_flag (sc, "Branch=300", NULL));
        assert_true (lp_scenario_set_value (sc, "rto", rtos[r], "test:", NULL));
        if (drs[d] != NULL)
          assert_true (lp_scenario_set_value (sc, "dr-rto", drs[d], "test:", NULL));
        /* response-time is read by failure rows: a replan must not keep
         * a failure table made for another value */
        if ((u + r) % 3 == 0)
          assert_true (lp_scenario_set_value (sc, "response-time", "1h", "test:", NULL));
        assert_true (lp_scenario_set_value (sc, "persistent-chat", (u + r) % 2 ? "true" : "false",
                                            "test:", NULL));
        assert_true (lp_scenario_resolve (sc, rs, NULL));
        fresh = lp_engine_plan (rs, sc, FALSE, NULL);
        reused = lp_planner_replan (planner, sc, FALSE, NULL);
        assert_non_null (fresh);
        assert_non_null (reused);
        /* a replan (a sweep's) leaves out notes and planned rows: all else is the same */
        fresh_full = json_of (fresh);
        reused_full = json_of (reused);
        fresh_json = without_report_only (fresh_full);
        reused_json = without_report_only (reused_full);
        /* the next round replans in the same storage after this scenario is gone */
        assert_string_equal (reused_json, fresh_json);
        n++;
      }
  assert_int_equal (n, 72);
}

int
main (void)
{
  LP_TEST_TABLE (tests, rows, test_row);
  LP_TEST_ADD (tests, test_replan_equals_plan);
  return LP_TEST_RUN ("seed", tests);
}
