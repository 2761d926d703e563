/* test-inventory.c: generated server names (issue 15): site tokens
 * transliterated the same way in every locale, shortened to fit
 * computer-name-max, kept unique, and a fallback for names with no Latin
 * form. One row per case: the sites, the flags, and what must hold. */
#include <glib.h>
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "lp-engine.h"
#include "lp-error.h"
#include "lp-inventory.h"
#include "lp-test-rules.h"
#include "lp-test.h"

typedef struct {
  const char *name;
  const char *sites; /* NAME=USERS;NAME=USERS */
  const char *set;   /* nullable: an input, KEY=VALUE, or a constant as --set takes it */
  const char *naming;
  const char *tokens;   /* every site's token, ';'-separated; NULL when an error is expected */
  const char *note;     /* nullable: a part of the last site's note */
  const char *expected; /* nullable: the error message */
} NameRow;

static const NameRow rows[] = {
  { "plain site names keep their token", "HQ=5000;New York=200", NULL, NULL, "hq;new-york", NULL,
    NULL },
  { "the warm standby of Rotterdam fits 15 characters", "Rotterdam=3000", "dr-rto=4h", NULL,
    "rotterdam;rotter-dr", "shortened from rotterdam-dr to fit computer-name-max (15 characters)",
    NULL },
  { "a diacritic is dropped, not the letter", "Zürich=300;Kraków=300;Łódź=300", NULL, NULL,
    "zurich;krakow;lodz", NULL, NULL },
  { "ligatures and letters without a decomposition", "Ærøskøbing=10;Straße=10", NULL, NULL,
    "aeroskobi;strasse", NULL, NULL },
  { "Amsterdam-North and -South stay apart", "Amsterdam-North=3000;Amsterdam-South=3000", NULL,
    NULL, "amst-nort;amst-sout", "shortened", NULL },
  { "two names with one token are numbered", "Northampton East=100;Northampton Eastfield=100", NULL,
    NULL, "nort-east;nor-east2", "numbered: another site has the same name part", NULL },
  { "same token before shortening", "New York=100;New-York=100", NULL, NULL, "new-york;new-york2",
    "numbered", NULL },
  { "a script with no Latin form is named by its number", "Zürich=100;東京=100", NULL, NULL,
    "zurich;site2", "no Latin form: named by its number, site2", NULL },
  { "a pattern with no {site} is not shortened", "HQ=100", NULL, "{role}{nn}", "hq", NULL, NULL },
  { "a smaller computer-name-max shortens more", "Rotterdam=3000", "computer-name-max=10", NULL,
    "rott", "to fit computer-name-max (10 characters)", NULL },
  { "a pattern too long by itself is refused", "HQ=100", NULL, "{role}{nn}-{site}-production", NULL,
    NULL,
    "--naming '{role}{nn}-{site}-production': the server name 'se01-hq-production' (site HQ) has "
    "18 characters; Windows computer names take at most 15 (computer-name-max): shorten the "
    "pattern" },
};

static LpPlan *
plan_of (const LpRuleset *rs, const NameRow *row)
{
  g_autoptr (LpScenario) sc = lp_scenario_new (rs);
  g_auto (GStrv) sites = g_strsplit (row->sites, ";", -1);
  g_autoptr (GError) error = NULL;
  LpPlan *plan;

  for (guint i = 0; sites[i] != NULL; i++)
    if (!lp_scenario_add_site_flag (sc, sites[i], &error))
      fail_msg ("%s: %s", sites[i], error->message);
  if (row->set != NULL) {
    g_auto (GStrv) kv = g_strsplit (row->set, "=", 2);
    gboolean constant = strcmp (kv[0], "computer-name-max") == 0;
    if (constant ? !lp_scenario_add_set_flag (sc, row->set, &error)
                 : !lp_scenario_set_value (sc, kv[0], kv[1], "test:", &error))
      fail_msg ("%s: %s", row->set, error->message);
  }
  if (!lp_scenario_resolve (sc, rs, &error) ||
      (plan = lp_engine_plan (rs, sc, FALSE, &error)) == NULL)
    fail_msg ("%s", error->message);
  return plan;
}

/* Every server and pool name fits, starts with a role or "pool" and ends
 * with its site's token; no two are the same. */
static void
assert_names_fit (const LpInventory *inv, guint max, gboolean with_site)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < inv->servers->len; i++) {
    const LpServer *s = g_ptr_array_index (inv->servers, i);
    assert_true (strlen (s->name) <= max);
    if (with_site)
      assert_true (g_str_has_suffix (s->name, g_ptr_array_index (inv->site_tokens, s->site)));
    assert_true (g_hash_table_add (seen, s->name));
  }
  for (guint i = 0; i < inv->pools->len; i++) {
    const LpPool *p = g_ptr_array_index (inv->pools, i);
    assert_true (strlen (p->name) <= max);
  }
}

static void
test_names (void **state)
{
  const NameRow *row = *state;
  g_autoptr (LpRuleset) rs = lp_test_load_rules (NULL, "lync2013");
  g_autoptr (LpPlan) plan = plan_of (rs, row);
  g_autoptr (GError) error = NULL;
  g_autoptr (LpInventory) inv = lp_inventory_new (plan, row->naming, &error);
  g_autoptr (GError) check_error = NULL;
  gboolean checked = lp_inventory_check (plan, row->naming, &check_error);
  g_autoptr (GString) tokens = g_string_new (NULL);
  const char *note;

  /* the check alone refuses what the inventory refuses, in the same words */
  assert_int_equal (checked, inv != NULL);
  if (row->expected != NULL) {
    assert_null (inv);
    assert_string_equal (error->message, row->expected);
    assert_string_equal (check_error->message, row->expected);
    return;
  }
  if (inv == NULL)
    fail_msg ("%s", error->message);
  for (guint i = 0; i < inv->site_tokens->len; i++)
    g_string_append_printf (tokens, "%s%s", i ? ";" : "",
                            (char *) g_ptr_array_index (inv->site_tokens, i));
  assert_string_equal (tokens->str, row->tokens);
  note = g_ptr_array_index (inv->site_notes, inv->site_notes->len - 1);
  if (row->note == NULL)
    assert_null (note);
  else if (note == NULL || strstr (note, row->note) == NULL)
    fail_msg ("note '%s' does not hold '%s'", note ? note : "(none)", row->note);
  assert_names_fit (inv, row->set && g_str_has_prefix (row->set, "computer-name-max") ? 10 : 15,
                    row->naming == NULL);
}

/* The same token whatever the locale: the table is the code's, not libc's. */
static void
test_locale_independent (void **state)
{
  static const char *const locales[] = { "C.UTF-8", "de_DE.UTF-8", "tr_TR.UTF-8", "en_US.UTF-8" };

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (locales); i++) {
    g_autofree char *a = NULL, *b = NULL;
    setlocale (LC_ALL, locales[i]);
    a = lp_site_token ("Zürich Süd");
    b = lp_site_token ("İstanbul");
    assert_string_equal (a, "zurich-sud");
    assert_string_equal (b, "istanbul");
  }
  setlocale (LC_ALL, "C");
  assert_null (lp_site_token ("Москва"));
}

/* A session's check (lp_name_check_plan()) answers as the whole check does,
 * in the same words, over plans one after another: counts that change alone
 * (named again site by site), a budget that changes, names that stop
 * fitting and fit again, sites added and removed. */
static void
test_session_check (void **state)
{
  static const NameRow steps[] = {
    { "start", "HQ=20000;Rotterdam=3000", NULL, NULL, NULL, NULL, NULL },
    { "more Front Ends", "HQ=40000;Rotterdam=3000", NULL, NULL, NULL, NULL, NULL },
    { "both change", "HQ=60000;Rotterdam=9000", NULL, NULL, NULL, NULL, NULL },
    { "back", "HQ=20000;Rotterdam=3000", NULL, NULL, NULL, NULL, NULL },
    { "a site more", "HQ=20000;Rotterdam=3000;Oslo=100", NULL, NULL, NULL, NULL, NULL },
    { "fits in 6", "HQ=5000", "computer-name-max=6", NULL, NULL, NULL, NULL },
    { "pools do not fit in 6", "HQ=60000", "computer-name-max=6", NULL, NULL, NULL, NULL },
    { "fits again", "HQ=5000", "computer-name-max=6", NULL, NULL, NULL, NULL },
    { "other users, same servers", "HQ=4000", "computer-name-max=6", NULL, NULL, NULL, NULL },
    { "default again", "HQ=20000;Rotterdam=3000", NULL, NULL, NULL, NULL, NULL },
  };
  g_autoptr (LpRuleset) rs = lp_test_load_rules (NULL, "lync2013");
  LpNameCheck *nc = lp_name_check_new ();
  guint passed = 0, refused = 0;

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++) {
    g_autoptr (LpPlan) plan = plan_of (rs, &steps[i]);
    g_autoptr (GError) whole_error = NULL, error = NULL;
    gboolean whole = lp_inventory_check (plan, NULL, &whole_error);
    gboolean ok = lp_name_check_plan (nc, plan, &error);

    if (ok != whole)
      fail_msg ("%s: the session's check says %d, the whole check %d", steps[i].name, ok, whole);
    if (!ok)
      assert_string_equal (error->message, whole_error->message);
    passed += ok;
    refused += !ok;
  }
  assert_true (passed > 0 && refused > 0);
  lp_name_check_free (nc);
}

int
main (void)
{
  LP_TEST_TABLE (tests, rows, test_names);
  LP_TEST_ADD (tests, test_locale_independent);
  LP_TEST_ADD (tests, test_session_check);
  return LP_TEST_RUN ("inventory", tests);
}
