/* test-hosts.c: the placement of virtual machines on hosts (lp-hosts.c).
 * Every example made virtual, under every product whose vocabulary reads
 * it, and generated estates: lp_hosts_verify() (the rules themselves: the
 * loss of each host in turn) holds; every virtual machine is on exactly one
 * host; a host too small for one server is an input error naming its role. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "lp-engine.h"
#include "lp-error.h"
#include "lp-hosts.h"
#include "lp-keyfile.h"
#include "lp-products.h"
#include "lp-report.h"
#include "lp-test-rules.h"
#include "lp-test.h"

static const char *const products[] = { "lync2013", "sfb2015", "sfb2019", "sfbse" };

/* Plans @sc (made virtual) and checks its hosts; returns the hosts' count. */
static guint
check_virtual (LpScenario *sc, const LpRuleset *rs, const char *what)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LpPlan) plan = NULL;
  g_autoptr (LpReport) r = NULL;
  g_autoptr (GHashTable) seen = g_hash_table_new (g_direct_hash, g_direct_equal);
  guint vms = 0;

  if (!lp_scenario_resolve (sc, rs, &error) ||
      (plan = lp_engine_plan (rs, sc, FALSE, &error)) == NULL ||
      (r = lp_report_new (plan, NULL, &error)) == NULL)
    fail_msg ("%s: %s", what, error->message);
  if (!lp_hosts_verify (r->hosts, plan, r->inventory, &error))
    fail_msg ("%s: %s", what, error->message);
  for (guint k = 0; k < r->hosts->hosts->len; k++) {
    const LpHost *h = g_ptr_array_index (r->hosts->hosts, k);
    assert_true (h->spare == (h->servers->len == 0));
    for (guint j = 0; j < h->servers->len; j++) {
      const LpServer *s = g_ptr_array_index (h->servers, j);
      if (!g_hash_table_add (seen, (gpointer) s))
        fail_msg ("%s: %s on two hosts", what, s->name);
      assert_int_equal (s->site, h->site);
      vms++;
    }
  }
  /* every server is on a host or listed as physical */
  assert_int_equal (vms + r->hosts->physical->len, r->inventory->servers->len);
  if (plan->servers > 0 && r->hosts->hosts->len == 0)
    fail_msg ("%s: no hosts", what);
  return r->hosts->hosts->len;
}

static void
test_examples_made_virtual (void **state)
{
  g_autofree char *dir = g_build_filename (g_getenv ("LP_SOURCE_ROOT"), "examples", NULL);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint planned = 0, skipped = 0;

  (void) state;
  assert_non_null (d);
  while ((name = g_dir_read_name (d)) != NULL) {
    g_autofree char *path = NULL;
    g_autoptr (LpKeyfile) kf = NULL;
    g_autoptr (GError) error = NULL;
    if (!g_str_has_suffix (name, ".ini"))
      continue;
    path = g_build_filename (dir, name, NULL);
    kf = lp_keyfile_load (path, LP_ERROR_INPUT, &error);
    assert_non_null (kf);
    for (guint p = 0; p < G_N_ELEMENTS (products); p++) {
      g_autoptr (LpRuleset) rs = lp_test_load_rules (NULL, products[p]);
      g_autoptr (GError) e = NULL;
      g_autoptr (LpScenario) sc = lp_scenario_load (kf, rs, &e);
      g_autofree char *what = g_strdup_printf ("%s under %s", name, products[p]);
      const char *product = lp_scenario_product (kf);
      /* a scenario names its product: it speaks that vocabulary only */
      if (sc == NULL && product != NULL && strcmp (product, products[p]) != 0) {
        skipped++;
        continue;
      }
      if (sc == NULL)
        fail_msg ("%s: %s", what, e->message);
      if (!lp_scenario_set_value (sc, "virtual", "true", "test:", &e))
        fail_msg ("%s: %s", what, e->message);
      for (guint i = 0; i < sc->sites->len; i++) {
        LpSite *s = lp_scenario_site_mut (sc, i);
        const LpInput *in = lp_ruleset_find_input (rs, "virtual");
        if (s->texts[in->site_index] != NULL) /* a site's own value: made true too */
          s->values[in->site_index] = 1;
      }
      check_virtual (sc, rs, what);
      planned++;
    }
  }
  g_test_message ("%u plans, %u skipped (scenario of another product)", planned, skipped);
  assert_true (planned >= 60);
}

/* Generated estates: up to six sites of random users, random host sizes
 * big enough for the largest server, DR or not, every product. */
static void
test_generated_estates (void **state)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (26);

  (void) state;
  for (guint n = 0; n < 120; n++) {
    const char *product = products[n % G_N_ELEMENTS (products)];
    g_autoptr (LpRuleset) rs = lp_test_load_rules (NULL, product);
    g_autoptr (LpScenario) sc = lp_scenario_new (rs);
    g_autoptr (GError) error = NULL;
    guint sites = (guint) g_rand_int_range (rand, 1, 7);
    g_autofree char *cores = g_strdup_printf ("%d", g_rand_int_range (rand, 14, 97));
    g_autofree char *memory = g_strdup_printf ("%d", g_rand_int_range (rand, 80, 1025));
    g_autofree char *what = g_strdup_printf ("estate %u (%s, %u sites, %s cores, %s GB)", n,
                                             product, sites, cores, memory);

    if (!lp_scenario_set_value (sc, "virtual", "true", "test:", &error) ||
        !lp_scenario_set_value (sc, "vm-host-cores", cores, "test:", &error) ||
        !lp_scenario_set_value (sc, "vm-host-memory-gb", memory, "test:", &error) ||
        (sites == 2 && !lp_scenario_set_value (sc, "dr-rto", "4h", "test:", &error)) ||
        (n % 3 == 0 && !lp_scenario_set_value (sc, "rto", "30m", "test:", &error)))
      fail_msg ("%s: %s", what, error->message);
    for (guint i = 0; i < sites; i++) {
      g_autofree char *spec = g_strdup_printf ("S%u=%d", i,
                                               g_rand_int_range (rand, 0, 150001) /
                                                 (n % 2 ? 1 : 20));
      if (!lp_scenario_add_site_flag (sc, spec, &error))
        fail_msg ("%s: %s", what, error->message);
    }
    check_virtual (sc, rs, what);
  }
}

/* Hosts too small for a Front End server: exit 2 naming the role. */
static void
test_host_too_small (void **state)
{
  g_autoptr (LpRuleset) rs = lp_test_load_rules (NULL, "lync2013");
  g_autoptr (LpScenario) sc = lp_scenario_new (rs);
  g_autoptr (GError) error = NULL;
  g_autoptr (LpPlan) plan = NULL;
  g_autoptr (LpReport) r = NULL;

  (void) state;
  assert_true (lp_scenario_set_value (sc, "virtual", "true", "test:", &error));
  assert_true (lp_scenario_set_value (sc, "vm-host-cores", "8", "test:", &error));
  assert_true (lp_scenario_add_site_flag (sc, "HQ=20000", &error));
  assert_true (lp_scenario_resolve (sc, rs, &error));
  plan = lp_engine_plan (rs, sc, FALSE, &error);
  assert_non_null (plan);
  r = lp_report_new (plan, NULL, &error);
  assert_null (r);
  assert_true (g_error_matches (error, LP_ERROR, LP_ERROR_INPUT));
  assert_non_null (strstr (error->message, "role front-end"));
}

int
main (void)
{
  g_autoptr (GArray) tests = g_array_new (FALSE, TRUE, sizeof (struct CMUnitTest));

  LP_TEST_ADD (tests, test_examples_made_virtual);
  LP_TEST_ADD (tests, test_generated_estates);
  LP_TEST_ADD (tests, test_host_too_small);
  return LP_TEST_RUN ("hosts", tests);
}
