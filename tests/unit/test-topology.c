/* test-topology.c: the invariants of the topology model (lp_report_check())
 * over generated estates: random valid scenarios of every product (central
 * sites, pairs, sites planned without DR, a site using another's Edge pool
 * or Office Web Apps farm, branches with appliances, several SIP domains,
 * voice, Directors, Persistent Chat), each planned and reported. The seed
 * is fixed, so a failure names an estate that fails again. lp_report_new()
 * checks the invariants itself: a broken one is its error. */
#include <glib.h>
#include <glib/gstdio.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "lp-engine.h"
#include "lp-error.h"
#include "lp-report.h"
#include "lp-test-rules.h"
#include "lp-test.h"

#define N_ESTATES 2400
#define SEED 21

static const char *const products[] = { "lync2013", "sfb2015", "sfb2019", "sfbse" };

/* One random estate as flags: "key=value" for the scenario, "site:SPEC" for a site. */
static GPtrArray *
estate (GRand *r, const char *product)
{
  GPtrArray *flags = g_ptr_array_new_with_free_func (g_free);
  guint n_central = (guint) g_rand_int_range (r, 1, 5);
  guint n_branch = (guint) g_rand_int_range (r, 0, 4);
  gboolean dr = g_rand_boolean (r);
  gboolean pchat = strcmp (product, "lync2013") == 0 || strcmp (product, "sfb2015") == 0;
  static const char *const domains[] = { "contoso.com", "contoso.com,fabrikam.com",
                                         "contoso.com,fabrikam.com,wingtip.net" };

  if (dr)
    g_ptr_array_add (flags, g_strdup ("dr-rto=4h"));
  if (g_rand_int_range (r, 0, 3) == 0)
    g_ptr_array_add (flags, g_strdup ("rto=30m"));
  if (g_rand_boolean (r))
    g_ptr_array_add (flags, g_strdup ("voice=yes"));
  if (g_rand_int_range (r, 0, 3) == 0)
    g_ptr_array_add (flags, g_strdup ("deploy-directors=true"));
  if (pchat && g_rand_int_range (r, 0, 3) == 0)
    g_ptr_array_add (flags, g_strdup ("persistent-chat=yes"));
  g_ptr_array_add (flags, g_strdup_printf ("sip-domain=%s", domains[g_rand_int_range (r, 0, 3)]));
  g_ptr_array_add (flags, g_strdup_printf ("remote-percent=%d", g_rand_int_range (r, 0, 101)));
  for (guint i = 0; i < n_central; i++) {
    GString *s = g_string_new (NULL);
    g_string_append_printf (s, "site:C%u=%d", i,
                            g_rand_int_range (r, 0, 4) == 0 ? g_rand_int_range (r, 50, 1000)
                                                            : g_rand_int_range (r, 1000, 40000));
    /* a later site may use an earlier one's Edge pool or farm, or go without DR */
    if (i > 0 && g_rand_int_range (r, 0, 3) == 0)
      g_string_append_printf (s, ",edge=C%d", g_rand_int_range (r, 0, (gint) i));
    if (i > 0 && g_rand_int_range (r, 0, 4) == 0)
      g_string_append_printf (s, ",office-web-apps=C%d", g_rand_int_range (r, 0, (gint) i));
    if (dr && g_rand_int_range (r, 0, 4) == 0)
      g_string_append (s, ",dr-site=none");
    if (g_rand_int_range (r, 0, 3) == 0)
      g_string_append_printf (s, ",pstn-calls=%d", g_rand_int_range (r, 0, 3000));
    g_ptr_array_add (flags, g_string_free (s, FALSE));
  }
  for (guint i = 0; i < n_branch; i++) {
    static const char *const survivable[] = { "", ",survivable=sba", ",survivable=sbs" };
    g_ptr_array_add (flags, g_strdup_printf ("site:B%u=%d,kind=branch,home=C%d%s", i,
                                             g_rand_int_range (r, 20, 3000),
                                             g_rand_int_range (r, 0, (gint) n_central),
                                             survivable[g_rand_int_range (r, 0, 3)]));
  }
  return flags;
}

static char *
joined (const GPtrArray *flags)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < flags->len; i++)
    g_string_append_printf (s, "%s%s", i ? " " : "", (char *) g_ptr_array_index (flags, i));
  return g_string_free (s, FALSE);
}

/* Builds the scenario of @flags; NULL (and no failure) when the estate is
 * not a valid one after all (a link the scenario refuses). */
static LpScenario *
scenario (const LpRuleset *rs, const GPtrArray *flags)
{
  g_autoptr (LpScenario) sc = lp_scenario_new (rs);
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < flags->len; i++) {
    const char *f = g_ptr_array_index (flags, i);
    g_auto (GStrv) kv = g_strsplit (f, "=", 2);
    gboolean ok = g_str_has_prefix (f, "site:")
                    ? lp_scenario_add_site_flag (sc, f + 5, &error)
                    : lp_scenario_set_value (sc, kv[0], kv[1], "test:", &error) ||
                        (g_clear_error (&error),
                         lp_scenario_set_constant (sc, kv[0], kv[1], "test:", &error));
    if (!ok)
      return NULL;
  }
  if (!lp_scenario_resolve (sc, rs, &error))
    return NULL;
  return g_steal_pointer (&sc);
}

static void
test_generated_estates (void **state)
{
  g_autoptr (GRand) r = g_rand_new_with_seed (SEED);
  LpRuleset *rs[G_N_ELEMENTS (products)];
  guint checked = 0, with_shared_edge = 0, with_appliance = 0, with_domains = 0;

  (void) state;
  for (guint p = 0; p < G_N_ELEMENTS (products); p++)
    rs[p] = lp_test_load_rules (NULL, products[p]);
  for (guint i = 0; i < N_ESTATES; i++) {
    guint p = (guint) g_rand_int_range (r, 0, G_N_ELEMENTS (products));
    g_autoptr (GPtrArray) flags = estate (r, products[p]);
    g_autoptr (LpScenario) sc = scenario (rs[p], flags);
    g_autoptr (GError) error = NULL;
    g_autoptr (LpPlan) plan = NULL;
    g_autoptr (LpReport) report = NULL;

    if (sc == NULL)
      continue;
    plan = lp_engine_plan (rs[p], sc, FALSE, &error);
    if (plan == NULL)
      continue;
    report = lp_report_new (plan, NULL, &error);
    if (report == NULL) {
      g_autofree char *text = joined (flags);
      fail_msg ("estate %u (%s: %s): %s", i, products[p], text, error->message);
    }
    checked++;
    for (guint k = 0; k < report->topology->pools->len; k++) {
      const LpTopoNode *n = g_ptr_array_index (report->topology->pools, k);
      with_shared_edge += n->pool_row != NULL && n->edge != NULL && n->edge->site != n->site;
      with_appliance += n->endpoint->per == LP_PER_SERVER;
    }
    with_domains += g_strv_length (report->topology->sip_domains) > 1;
  }
  for (guint p = 0; p < G_N_ELEMENTS (products); p++)
    lp_ruleset_free (rs[p]);
  /* the generator reaches what the invariants are about */
  assert_true (checked > N_ESTATES * 3 / 4);
  assert_true (with_shared_edge > 100);
  assert_true (with_appliance > 100);
  assert_true (with_domains > 100);
  print_message ("# %u estates checked (%u pools on another site's Edge pool, %u appliances, %u "
                 "with several SIP domains)\n",
                 checked, with_shared_edge, with_appliance, with_domains);
}

/* A copy of the rules and templates folders with @find replaced by
 * @replace in rules/lync2013.rules; returns the folder. */
static char *
mutated_rules (const char *find, const char *replace)
{
  g_autofree char *dir = g_dir_make_tmp ("lyncplan-topology-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "rules", "lync2013.rules", NULL);
  g_autofree char *data = NULL;
  g_autoptr (GString) s = NULL;

  lp_test_copy_tree (g_getenv ("LP_SOURCE_ROOT"), dir, "rules");
  lp_test_copy_tree (g_getenv ("LP_SOURCE_ROOT"), dir, "templates");
  assert_true (g_file_get_contents (path, &data, NULL, NULL));
  s = g_string_new (data);
  assert_int_equal (g_string_replace (s, find, replace, 1), 1);
  assert_true (g_file_set_contents (path, s->str, (gssize) s->len, NULL));
  return g_steal_pointer (&dir);
}

static void
remove_tree (const char *dir)
{
  static const char *const subs[] = { "rules", "templates" };

  for (guint k = 0; k < G_N_ELEMENTS (subs); k++) {
    g_autofree char *sub = g_build_filename (dir, subs[k], NULL);
    g_autoptr (GDir) d = g_dir_open (sub, 0, NULL);
    const char *name;
    while (d != NULL && (name = g_dir_read_name (d)) != NULL) {
      g_autofree char *f = g_build_filename (sub, name, NULL);
      g_remove (f);
    }
    g_rmdir (sub);
  }
  g_rmdir (dir);
}

/* The invariants can fail: the OAuth certificate's subject, the SIP domain,
 * has no DNS record, so only its dns = no keeps cert-name-has-dns. */
static void
test_invariant_breaks (void **state)
{
  g_autofree char *dir = mutated_rules ("dns = no\n", "dns = yes\n");
  g_autofree char *path = g_build_filename (dir, "rules", "lync2013.rules", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (LpRuleset) rs = lp_ruleset_load (path, &error);
  g_autoptr (LpScenario) sc = NULL;
  g_autoptr (LpPlan) plan = NULL;
  g_autoptr (LpReport) report = NULL;

  (void) state;
  assert_non_null (rs);
  sc = lp_scenario_new (rs);
  assert_true (lp_scenario_add_site_flag (sc, "HQ=5000", NULL));
  assert_true (lp_scenario_resolve (sc, rs, NULL));
  plan = lp_engine_plan (rs, sc, FALSE, &error);
  assert_non_null (plan);
  report = lp_report_new (plan, NULL, &error);
  assert_null (report);
  assert_true (g_error_matches (error, LP_ERROR, LP_ERROR_INVARIANT));
  assert_string_equal (error->message,
                       "invariant cert-name-has-dns: example.com, the subject of [certificate "
                       "oauth-token-issuer] at server-to-server-auth, has no DNS record");
  remove_tree (dir);
}

int
main (void)
{
  g_autoptr (GArray) tests = g_array_new (FALSE, TRUE, sizeof (struct CMUnitTest));

  LP_TEST_ADD (tests, test_generated_estates);
  LP_TEST_ADD (tests, test_invariant_breaks);
  return LP_TEST_RUN ("topology", tests);
}
