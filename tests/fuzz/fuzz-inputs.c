/* fuzz-inputs.c: libFuzzer target for everything a user types: the bytes are
 * read as a scenario file, planned with the source tree's rules (and planned
 * again folded, as a sweep plans: the same result), and each line is also
 * compiled as a formula (and specialized: the same value); bytes after a
 * leading 'R' are loaded as a rule file beside the real templates. Nothing
 * may crash, leak or read out of bounds; errors are fine. Build and run by
 * hand (not part of meson test):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Iplanner -Ibuild/planner \
 *     $(pkg-config --cflags glib-2.0 xlsxwriter) tests/fuzz/fuzz-inputs.c planner/lp-*.c \
 *     $(pkg-config --libs glib-2.0 xlsxwriter) -lm -o build/fuzz-inputs
 *   LP_SOURCE_ROOT=$PWD build/fuzz-inputs -max_total_time=60 */
#include <glib.h>
#include <stdint.h>
#include <string.h>

#include "lp-engine.h"
#include "lp-keyfile.h"
#include <glib/gstdio.h>
#include <unistd.h>

static LpRuleset *rules;

static void
plan_scenario (const uint8_t *data, size_t size)
{
  g_autofree char *path = g_strdup ("fuzz.ini");
  g_autoptr (LpKeyfile) kf = lp_keyfile_parse (path, (const char *) data, size, LP_ERROR_INPUT, NULL);
  g_autofree char *tmp = NULL;
  g_autoptr (LpScenario) sc = NULL;
  g_autoptr (LpPlan) plan = NULL;
  int fd;

  if (kf == NULL)
    return;
  fd = g_file_open_tmp ("fuzz-XXXXXX.ini", &tmp, NULL);
  if (fd < 0)
    return;
  close (fd);
  g_file_set_contents (tmp, (const char *) data, (gssize) size, NULL);
  sc = lp_scenario_load (tmp, NULL);
  g_unlink (tmp);
  if (sc == NULL || !lp_scenario_resolve (sc, rules, NULL))
    return;
  plan = lp_engine_plan (rules, sc, TRUE, NULL);
  {
    g_autoptr (LpFold) fold = lp_engine_fold_new (rules, sc, NULL, 0);
    g_autoptr (LpPlan) folded = lp_engine_replan_folded (NULL, rules, sc, FALSE, fold, NULL);
    g_assert ((plan == NULL) == (folded == NULL));
    g_assert (plan == NULL || (plan->servers == folded->servers &&
                               plan->appliances == folded->appliances &&
                               plan->feasible == folded->feasible));
  }
}

static gboolean
same_value (double a, double b)
{
  return (a != a && b != b) || memcmp (&a, &b, sizeof a) == 0;
}

static void
compile_lines (const uint8_t *data, size_t size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_auto (GStrv) lines = g_strsplit (text, "\n", 16);
  double env[256] = { 0 };
  gboolean known[256] = { FALSE };

  /* some slots known, values of every kind: 0, whole, fractional, negative */
  for (guint i = 0; i < G_N_ELEMENTS (env); i++) {
    env[i] = (double) ((int) (i * 7 % 13) - 3) / (i % 3 + 1);
    known[i] = i % 2 == (size % 2);
  }
  for (guint i = 0; lines[i] != NULL; i++) {
    g_autoptr (LpExpr) e = lp_expr_compile (lines[i], rules->symtab, NULL);
    if (e != NULL) {
      g_autofree char *back = lp_expr_to_string (e, rules->symtab);
      g_autoptr (LpExpr) again = lp_expr_compile (back, rules->symtab, NULL);
      g_assert (again != NULL);
      if (lp_symtab_size (rules->symtab) <= G_N_ELEMENTS (env)) {
        g_autoptr (LpExpr) spec = lp_expr_specialize (e, known, env);
        g_assert (same_value (lp_expr_eval (spec, env), lp_expr_eval (e, env)));
      }
    }
  }
}

/* An input starting with 'R' is a rule file, beside the real templates. */
static void
load_rules (const uint8_t *data, size_t size)
{
  static char *dir;
  g_autofree char *path = NULL;
  g_autoptr (LpRuleset) rs = NULL;

  if (dir == NULL) {
    g_autofree char *templates = g_build_filename (g_getenv ("LP_SOURCE_ROOT"), "templates", NULL);
    g_autofree char *link = NULL;
    g_autofree char *rules = NULL;
    dir = g_dir_make_tmp ("fuzz-rules-XXXXXX", NULL);
    link = g_build_filename (dir, "templates", NULL);
    rules = g_build_filename (dir, "rules", NULL);
    g_assert (symlink (templates, link) == 0 && g_mkdir (rules, 0700) == 0);
  }
  path = g_build_filename (dir, "rules", "fuzz.rules", NULL);
  g_file_set_contents (path, (const char *) data, (gssize) size, NULL);
  rs = lp_ruleset_load (path, NULL);
}

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (rules == NULL) {
    g_autofree char *path = g_build_filename (g_getenv ("LP_SOURCE_ROOT"), "rules", "lync2013.rules", NULL);
    rules = lp_ruleset_load (path, NULL);
    g_assert (rules != NULL);
  }
  if (size > 0 && data[0] == 'R') {
    load_rules (data + 1, size - 1);
    return 0;
  }
  plan_scenario (data, size);
  compile_lines (data, size);
  return 0;
}
