/* test-resilience.c: the design review of issue 5 for the seed scenarios,
 * through the JSON output: who acts, how long, in what order; the SLA
 * budget's figures; and, for every example, that the failure table and the
 * requirement check are the same numbers. */
#include <glib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "lp-test.h"

static JsonNode *
plan (const char *args)
{
  g_autofree char *cmd = g_strdup_printf ("'%s' plan --format json %s", g_getenv ("LYNCPLAN"),
                                          args);
  g_autofree char *out = NULL;
  g_autoptr (GError) error = NULL;
  int wait_status = 0;
  JsonNode *root;

  if (!g_spawn_command_line_sync (cmd, &out, NULL, &wait_status, &error))
    fail_msg ("%s: %s", cmd, error->message);
  /* killed (a sanitizer's abort) or failed: 0 and 3 (infeasible) are plans */
  if (!WIFEXITED (wait_status) ||
      (WEXITSTATUS (wait_status) != 0 && WEXITSTATUS (wait_status) != 3))
    fail_msg ("%s: wait status %d", cmd, wait_status);
  root = json_from_string (out, &error);
  if (root == NULL)
    fail_msg ("%s: %s", cmd, error ? error->message : "no output");
  return root;
}

/* The failure row called @label at the first site of the plan. */
static JsonObject *
failure (JsonNode *root, const char *label)
{
  JsonArray *sites = json_object_get_array_member (json_node_get_object (root), "resilience");
  JsonArray *rows = json_object_get_array_member (json_array_get_object_element (sites, 0),
                                                  "failures");

  for (guint i = 0; i < json_array_get_length (rows); i++) {
    JsonObject *row = json_array_get_object_element (rows, i);
    if (strcmp (json_object_get_string_member (row, "label"), label) == 0)
      return row;
  }
  fail_msg ("no failure row '%s'", label);
  return NULL;
}

static void
assert_row (JsonNode *root, const char *label, gboolean automatic, double rto, gboolean meets)
{
  JsonObject *row = failure (root, label);

  assert_int_equal (json_object_get_boolean_member (row, "automatic"), automatic);
  assert_true (fabs (json_object_get_double_member (row, "rto_minutes") - rto) < 1e-9);
  assert_int_equal (json_object_get_boolean_member (row, "meets"), meets);
}

static gint
step_index (JsonObject *row, const char *word)
{
  JsonArray *steps = json_object_get_array_member (row, "steps");

  for (guint i = 0; i < json_array_get_length (steps); i++) {
    JsonObject *step = json_array_get_object_element (steps, i);
    if (strstr (json_object_get_string_member (step, "text"), word) != NULL)
      return (gint) i;
  }
  return -1;
}

static void
test_enterprise_with_dr (void **state)
{
  g_autoptr (JsonNode) root = plan ("--site HQ=5000 --rto 30m --dr-rto 4h");
  JsonObject *site = failure (root, "the whole site");

  assert_row (root, "one Front End server", TRUE, 0, TRUE);
  assert_row (root, "the primary Back End SQL server", TRUE, 5, TRUE);
  /* a critical path (issue 23): response 30 + the Edge next hop 15 (the Central
   * Management Store's 5 alongside it; the pool failover waits for both) + pool
   * failover 30 (L13-RTO): sign-in, IM and presence, voice and conferencing are
   * back; the federation route, the imports and GeoDNS run alongside */
  assert_row (root, "the whole site", FALSE, 75, TRUE);
  /* the Central Management Store fails over before the pools */
  assert_true (step_index (site, "Invoke-CsManagementServerFailover") >= 0);
  assert_true (step_index (site, "Invoke-CsManagementServerFailover") <
               step_index (site, "Invoke-CsPoolFailover"));
}

static void
test_standard_edition (void **state)
{
  g_autoptr (JsonNode) root = plan ("--site HQ=5000 --rto 4h");
  JsonObject *se = failure (root, "one Standard Edition server");
  const char *effect = json_object_get_string_member (se, "effect");

  /* response 30 + Central Management Store 5 + Edge next hop 15 + pool failover
   * 30 + Response Group import 15 */
  assert_row (root, "one Standard Edition server", FALSE, 95, TRUE);
  /* the seed's drawbacks of Standard Edition */
  assert_non_null (strstr (effect, "resiliency mode"));
  assert_non_null (strstr (effect, "Response Group and Call Park"));
  assert_non_null (strstr (effect, "PSTN conferencing"));
  assert_non_null (strstr (effect, "Exchange"));
  assert_non_null (strstr (effect, "Edge next hop"));
}

static void
assert_budget (const char *sla, double minutes, const char *text)
{
  g_autofree char *args = g_strdup_printf ("--site HQ=5000 --sla %s", sla);
  g_autoptr (JsonNode) root = plan (args);
  JsonObject *b = json_object_get_object_member (json_node_get_object (root), "sla_budget");
  JsonObject *allowed = json_object_get_object_member (b, "allowed_downtime");
  g_autofree char *cmd = g_strdup_printf ("'%s' plan %s", g_getenv ("LYNCPLAN"), args);
  g_autofree char *out = NULL;

  assert_true (fabs (json_object_get_double_member (allowed, "year_minutes") - minutes) < 1e-6);
  assert_true (g_spawn_command_line_sync (cmd, &out, NULL, NULL, NULL));
  assert_non_null (strstr (out, text));
}

static void
test_sla_budget (void **state)
{
  assert_budget ("99.9", 525.96, "allowed downtime a year     8h45m58s (525.96 minutes)");
  assert_budget ("99.99", 52.596, "allowed downtime a year     52m36s (52.6 minutes)");
}

/* A row timed as a critical path: its time is the latest return of a class
 * of service in the dr-scope, no more than the sum of its steps. */
static void
assert_critical_path (JsonObject *row)
{
  JsonArray *services = json_object_get_array_member (row, "services");
  double latest = -1;

  for (guint i = 0; i < json_array_get_length (services); i++) {
    JsonObject *sv = json_array_get_object_element (services, i);
    if (json_object_get_boolean_member (sv, "in_dr_scope"))
      latest = MAX (latest, json_object_get_double_member (sv, "back_minutes"));
  }
  assert_true (fabs (json_object_get_double_member (row, "rto_minutes") - latest) < 1e-9);
}

/* A row's time is its response time (manual rows) plus the minutes of its
 * steps that restore service. */
static void
assert_steps_add_up (JsonObject *row)
{
  JsonArray *steps = json_object_get_array_member (row, "steps");
  gboolean automatic = json_object_get_boolean_member (row, "automatic");
  double sum = automatic ? 0 : json_object_get_double_member (row, "response_minutes");

  assert_true (json_object_has_member (row, "response_minutes") == !automatic);
  if (json_object_has_member (row, "services")) {
    assert_critical_path (row);
    return;
  }
  for (guint i = 0; i < json_array_get_length (steps); i++) {
    JsonObject *step = json_array_get_object_element (steps, i);
    if (json_object_get_boolean_member (step, "restores_service"))
      sum += json_object_get_double_member (step, "minutes");
  }
  assert_true (fabs (json_object_get_double_member (row, "rto_minutes") - sum) < 1e-9);
}

/* For each group: the worst component row equals the rto/rpo requirement's
 * achieved figure, and the site row the dr-rto/dr-rpo one. */
static void
assert_agreement (JsonNode *root)
{
  JsonObject *o = json_node_get_object (root);
  JsonArray *groups = json_object_get_array_member (o, "groups");
  JsonArray *res = json_object_get_array_member (o, "resilience");

  for (guint g = 0; g < json_array_get_length (groups); g++) {
    JsonObject *group = json_array_get_object_element (groups, g);
    JsonArray *names = json_object_get_array_member (group, "sites");
    JsonArray *reqs = json_object_get_array_member (group, "requirements");
    double worst[4] = { 0, 0, 0, 0 }; /* rto rpo dr-rto dr-rpo */
    static const char *const ids[] = { "rto", "rpo", "dr-rto", "dr-rpo" };

    for (guint s = 0; s < json_array_get_length (res); s++) {
      JsonObject *site = json_array_get_object_element (res, s);
      JsonArray *rows = json_object_get_array_member (site, "failures");
      gboolean member = FALSE;
      for (guint n = 0; n < json_array_get_length (names); n++)
        member |= strcmp (json_array_get_string_element (names, n),
                          json_object_get_string_member (site, "site")) == 0;
      for (guint i = 0; member && i < json_array_get_length (rows); i++) {
        JsonObject *row = json_array_get_object_element (rows, i);
        const char *scope = json_object_get_string_member (row, "scope");
        guint at = strcmp (scope, "site") == 0 ? 2 : 0;
        assert_steps_add_up (row);
        if (strcmp (scope, "multiple") == 0 || strcmp (scope, "planned") == 0)
          continue;
        worst[at] = MAX (worst[at], json_object_get_double_member (row, "rto_minutes"));
        worst[at + 1] = MAX (worst[at + 1], json_object_get_double_member (row, "rpo_minutes"));
      }
    }
    for (guint r = 0; r < json_array_get_length (reqs); r++) {
      JsonObject *req = json_array_get_object_element (reqs, r);
      for (guint k = 0; k < G_N_ELEMENTS (ids); k++) {
        if (strcmp (json_object_get_string_member (req, "id"), ids[k]) == 0)
          assert_true (fabs (json_object_get_double_member (req, "achieved_minutes") - worst[k]) <
                       1e-9);
      }
    }
  }
}

static void
test_table_agrees_with_checks (void **state)
{
  g_autofree char *dir = g_build_filename (g_getenv ("LP_SOURCE_ROOT"), "examples", NULL);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while ((name = g_dir_read_name (d)) != NULL) {
    g_autofree char *path = g_build_filename (dir, name, NULL);
    g_autoptr (JsonNode) root = NULL;
    if (!g_str_has_suffix (name, ".ini"))
      continue;
    root = plan (path);
    assert_agreement (root);
    n++;
  }
  assert_true (n >= 7);
}

int
main (void)
{
  g_autoptr (GArray) tests = g_array_new (FALSE, TRUE, sizeof (struct CMUnitTest));

  LP_TEST_ADD (tests, test_enterprise_with_dr);
  LP_TEST_ADD (tests, test_standard_edition);
  LP_TEST_ADD (tests, test_sla_budget);
  LP_TEST_ADD (tests, test_table_agrees_with_checks);
  return LP_TEST_RUN ("resilience", tests);
}
