/* test-trace.c: a plan's trace is data the engine records (LpTraceStep)
 * and the report words (lp-trace.h): an untraced plan records nothing, a
 * traced one a step a line, and the words of each kind of step are the ones
 * the --explain output has always shown, with the values a formula read. */
#include <glib.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "lp-engine.h"
#include "lp-expr.h"
#include "lp-test-rules.h"
#include "lp-test.h"
#include "lp-trace.h"

typedef struct {
  const char *name;
  const char *sites;        /* NAME=USERS;NAME=USERS */
  const char *set;          /* nullable: KEY=VALUE;KEY=VALUE inputs */
  const char *const *lines; /* each the start of a line of the trace, in order */
} TraceRow;

static const char *const one_site[] = {
  "pairing: no disaster recovery required (dr-rto and dr-rpo unset): each site is planned on its "
  "own",
  "standard-single, site HQ: ",
  "enterprise-pool, site HQ: pool-users = ",
  "enterprise-pool, site HQ: server failure recovers in ",
  "enterprise-pool: 12 servers, 2 appliances; meets every requirement",
  "group HQ: chose enterprise-pool (12 servers, 2 appliances): the cheapest design that meets "
  "every requirement",
  NULL
};
static const char *const warm[] = {
  "pairing: HQ is the only central site; added the warm standby site HQ-DR with 0 users",
  "group HQ + HQ-DR: chose enterprise-paired (24 servers, 4 appliances)", NULL
};
static const char *const two[] = {
  "pairing: the two sites NYC and CHI back each other up",
  "standard-single, site CHI: server failure recovers in ",
  "standard-single: 7 servers, 0 appliances; misses rto, rpo, dr-rto, sla",
  "enterprise-paired: 24 servers, 4 appliances; meets every requirement",
  "group NYC + CHI: chose enterprise-paired (24 servers, 4 appliances)",
  NULL
};
static const char *const edition[] = {
  "standard-paired: 6 servers, 0 appliances; meets every requirement",
  "enterprise-pool: not considered: not the edition the scenario asks for",
  "group HQ: chose standard-paired (6 servers, 0 appliances)", NULL
};
static const char *const unmet[] = { "enterprise-pool: 12 servers, 2 appliances; misses ",
                                     "group HQ: chose ", NULL };

static const TraceRow rows[] = {
  { "one site: no DR, each design, the choice", "HQ=5000", "rto=30m", one_site },
  { "a lone site gets a warm standby", "HQ=5000", "rto=30m;dr-rto=4h", warm },
  { "two sites back each other up", "NYC=5000;CHI=2000", "rto=30m;dr-rto=4h", two },
  { "a design of another edition is not considered", "HQ=5000", "edition=standard", edition },
  { "a requirement no design meets is named", "HQ=5000", "rto=1m", unmet },
};

static LpPlan *
plan_of (const LpRuleset *rs, const TraceRow *row, gboolean want_trace)
{
  g_autoptr (LpScenario) sc = lp_scenario_new (rs);
  g_auto (GStrv) sites = g_strsplit (row->sites, ";", -1);
  g_auto (GStrv) set = g_strsplit (row->set != NULL ? row->set : "", ";", -1);
  g_autoptr (GError) error = NULL;
  LpPlan *plan;

  for (guint i = 0; sites[i] != NULL; i++)
    if (!lp_scenario_add_site_flag (sc, sites[i], &error))
      fail_msg ("%s: %s", sites[i], error->message);
  for (guint i = 0; set[i] != NULL && set[i][0] != '\0'; i++) {
    g_auto (GStrv) kv = g_strsplit (set[i], "=", 2);
    if (!lp_scenario_set_value (sc, kv[0], kv[1], "test:", &error))
      fail_msg ("%s: %s", set[i], error->message);
  }
  if (!lp_scenario_resolve (sc, rs, &error) ||
      (plan = lp_engine_plan (rs, sc, want_trace, &error)) == NULL)
    fail_msg ("%s", error->message);
  return plan;
}

/* A formula's line shows each name it read with the value the step kept,
 * and ends with the rule file's line. */
static void
check_formula (const LpPlan *plan, const LpTraceStep *step, const char *line)
{
  guint n = 0;
  const guint *slots = lp_expr_names (step->formula->expr, &n);
  g_autofree char *where = g_strdup_printf (" [%s]", step->formula->where);

  assert_true (g_str_has_suffix (line, where));
  for (guint i = 0; i < n; i++) {
    g_autofree char *v = lp_format_decimal (step->values[i], 4);
    g_autofree char *pair = g_strdup_printf ("%s %s", lp_symtab_name (plan->rs->symtab, slots[i]),
                                             v);
    if (strstr (line, pair) == NULL)
      fail_msg ("'%s' lacks '%s'", line, pair);
  }
}

static void
test_row (void **state)
{
  const TraceRow *row = *state;
  g_autoptr (LpRuleset) rs = lp_test_load_rules (NULL, "lync2013");
  g_autoptr (LpPlan) quiet = plan_of (rs, row, FALSE);
  g_autoptr (LpPlan) plan = plan_of (rs, row, TRUE);
  g_autoptr (GPtrArray) lines = lp_trace_lines (plan);
  guint at = 0;

  assert_null (quiet->trace);
  assert_null (lp_trace_lines (quiet));
  assert_non_null (lines);
  assert_int_equal (lines->len, plan->trace->len);
  for (guint i = 0; i < lines->len; i++) {
    const LpTraceStep *step = &g_array_index (plan->trace, LpTraceStep, i);
    const char *line = g_ptr_array_index (lines, i);
    assert_non_null (strchr (line, ':'));
    assert_null (strchr (line, '\n'));
    if (step->kind == LP_TRACE_FORMULA)
      check_formula (plan, step, line);
    if (row->lines[at] != NULL && g_str_has_prefix (line, row->lines[at]))
      at++;
  }
  if (row->lines[at] != NULL)
    fail_msg ("no line '%s...' in order in the trace", row->lines[at]);
}

/* lp_trace_why(): a role's count in the chosen design at each site, with
 * the formulas it read there; a design's verdict and choice; nothing for a
 * site's name, a part of an id, or a word that is no id. */
static void
test_why (void **state)
{
  g_autoptr (LpRuleset) rs = lp_test_load_rules (NULL, "lync2013");
  g_autoptr (LpPlan) plan = plan_of (rs, &rows[2], TRUE); /* NYC + CHI, enterprise-paired */
  guint len = plan->trace->len, marked, roles = 0, read = 0, verdicts = 0;
  g_autofree gboolean *show = g_new0 (gboolean, len);
  const char *none[] = { "NYC", "front", "pairing", "no-such-id" };

  (void) state;
  marked = lp_trace_why (plan, "front-end", NULL, show);
  for (guint i = 0; i < len; i++) {
    const LpTraceStep *step = &g_array_index (plan->trace, LpTraceStep, i);
    if (!show[i])
      continue;
    assert_int_equal (step->kind, LP_TRACE_FORMULA);
    assert_string_equal (step->tmpl->id, "enterprise-paired");
    if (strcmp (step->formula->name, "front-end") == 0)
      roles++;
    else
      read++;
  }
  assert_int_equal (roles + read, marked);
  assert_int_equal (roles, 2); /* one a site */
  assert_true (read > 0);

  memset (show, 0, len * sizeof *show);
  marked = lp_trace_why (plan, "enterprise-paired", NULL, show);
  for (guint i = 0; i < len; i++) {
    const LpTraceStep *step = &g_array_index (plan->trace, LpTraceStep, i);
    if (!show[i])
      continue;
    assert_true (step->kind == LP_TRACE_CANDIDATE || step->kind == LP_TRACE_CHOSEN);
    assert_string_equal (step->tmpl->id, "enterprise-paired");
    verdicts++;
  }
  assert_int_equal (verdicts, marked);
  assert_int_equal (verdicts, 2); /* its verdict and the group's choice */

  for (guint k = 0; k < G_N_ELEMENTS (none); k++) {
    memset (show, 0, len * sizeof *show);
    if (lp_trace_why (plan, none[k], NULL, show) != 0)
      fail_msg ("why %s marked a step", none[k]);
  }
}

/* lp_trace_why() with a site: only the steps of the group that plans it,
 * in the design that group chose; the groups' answers make the whole one. */
static void
test_why_site (void **state)
{
  static const TraceRow two_groups = { "two sites without DR", "HQ=5000;BR=300", "rto=30m", NULL };
  g_autoptr (LpRuleset) rs = lp_test_load_rules (NULL, "lync2013");
  g_autoptr (LpPlan) plan = plan_of (rs, &two_groups, TRUE);
  guint len = plan->trace->len, sum = 0, all;
  g_autofree gboolean *show = g_new0 (gboolean, len);
  g_autofree gboolean *any = g_new0 (gboolean, len);
  const char *sites[] = { "HQ", "BR" };

  (void) state;
  assert_int_equal (plan->groups->len, 2);
  all = lp_trace_why (plan, "front-end", NULL, any);
  for (guint k = 0; k < G_N_ELEMENTS (sites); k++) {
    guint g = G_MAXUINT, marked, roles = 0, verdicts = 0;
    for (guint s = 0; s < plan->sites->len; s++)
      if (strcmp (g_array_index (plan->sites, LpPlanSite, s).name, sites[k]) == 0)
        g = g_array_index (plan->sites, LpPlanSite, s).group;
    assert_int_not_equal (g, G_MAXUINT);
    memset (show, 0, len * sizeof *show);
    marked = lp_trace_why (plan, "front-end", sites[k], show);
    for (guint i = 0; i < len; i++) {
      const LpTraceStep *step = &g_array_index (plan->trace, LpTraceStep, i);
      if (!show[i])
        continue;
      assert_true (any[i]);
      assert_int_equal (step->kind, LP_TRACE_FORMULA);
      assert_string_equal (step->site, sites[k]);
      assert_ptr_equal (step->tmpl, lp_plan_group_choice (plan, g)->tmpl);
      roles += strcmp (step->formula->name, "front-end") == 0;
    }
    assert_int_equal (roles, 1);
    sum += marked;

    memset (show, 0, len * sizeof *show);
    marked = lp_trace_why (plan, lp_plan_group_choice (plan, g)->tmpl->id, sites[k], show);
    for (guint i = 0; i < len; i++) {
      const LpTraceStep *step = &g_array_index (plan->trace, LpTraceStep, i);
      if (!show[i])
        continue;
      assert_true (step->kind == LP_TRACE_CANDIDATE || step->kind == LP_TRACE_CHOSEN);
      if (step->kind == LP_TRACE_CHOSEN)
        assert_int_equal (step->group, g);
      verdicts++;
    }
    assert_int_equal (verdicts, marked);
    assert_int_equal (verdicts, 2); /* this group's verdict and choice only */
  }
  assert_int_equal (sum, all);
  memset (show, 0, len * sizeof *show);
  assert_int_equal (lp_trace_why (plan, "front-end", "NOWHERE", show), 0);
}

int
main (void)
{
  LP_TEST_TABLE (tests, rows, test_row);
  LP_TEST_ADD (tests, test_why);
  LP_TEST_ADD (tests, test_why_site);
  return LP_TEST_RUN ("trace", tests);
}
