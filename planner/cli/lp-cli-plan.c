/* lp-cli-plan.c: `lyncplan plan`. */
#include <stdio.h>
#include <string.h>

#include "lp-cli.h"
#include "lp-engine.h"
#include "lp-error.h"
#include "lp-output.h"
#include "lp-report.h"
#include "lp-write.h"

typedef struct {
  LpScenarioOptions s;
  char *format;
  char *table;
  char *output;
  gboolean explain;
  char *xlsx;
  char *diagram;
  gboolean diagram_by_host;
  char *naming;
  char *author;
  char *company;
  char *customer;
  char *paper;
  char *date;
  char *sip_domain;
  char *format_help; /* made from the writer table */
} LpPlanOptions;

static void
options_clear (LpPlanOptions *o)
{
  lp_cli_scenario_options_clear (&o->s);
  g_free (o->format);
  g_free (o->table);
  g_free (o->output);
  g_free (o->xlsx);
  g_free (o->diagram);
  g_free (o->naming);
  g_free (o->author);
  g_free (o->company);
  g_free (o->customer);
  g_free (o->paper);
  g_free (o->date);
  g_free (o->sip_domain);
  g_free (o->format_help);
}

/* The scenario's entries, then the plan's own. */
static GOptionEntry *
plan_entries (LpPlanOptions *o)
{
  GOptionEntry own[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &o->format, o->format_help, "FORMAT" },
    { "table", 0, 0, G_OPTION_ARG_STRING, &o->table,
      "With --format csv: bom (default, the bill of materials), firewall, certificates, servers, "
      "dns or flows",
      "TABLE" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o->output,
      "Write to FILE instead of standard output (- for standard output)", "FILE" },
    { "explain", 0, 0, G_OPTION_ARG_NONE, &o->explain, "Add the trace of every rule that fired",
      NULL },
    { "xlsx", 0, 0, G_OPTION_ARG_FILENAME, &o->xlsx, lp_writer_find ("xlsx")->format.help, "FILE" },
    { "diagram", 0, 0, G_OPTION_ARG_FILENAME, &o->diagram, lp_writer_find ("diagram")->format.help,
      "FILE" },
    { "diagram-by-host", 0, 0, G_OPTION_ARG_NONE, &o->diagram_by_host,
      "With --diagram: draw each virtual site's servers on their virtualisation hosts", NULL },
    { "naming", 0, 0, G_OPTION_ARG_STRING, &o->naming,
      "Server names in the workbook (default {role}{nn}-{site})", "PATTERN" },
    { "author", 0, 0, G_OPTION_ARG_STRING, &o->author, "Workbook author", "NAME" },
    { "company", 0, 0, G_OPTION_ARG_STRING, &o->company,
      "Who prepared the plan (the workbook's \"Prepared by\")", "NAME" },
    { "customer", 0, 0, G_OPTION_ARG_STRING, &o->customer,
      "Whom the plan is for (the workbook's \"Prepared for\")", "NAME" },
    { "paper", 0, 0, G_OPTION_ARG_STRING, &o->paper, "The workbook's paper: a4 (default) or letter",
      "PAPER" },
    { "date", 0, 0, G_OPTION_ARG_STRING, &o->date, "The plan's date, YYYY-MM-DD", "DATE" },
    { "sip-domain", 0, 0, G_OPTION_ARG_STRING, &o->sip_domain,
      "SIP domains, the first the default (default example.com)", "DOMAIN[,DOMAIN...]" },
    { NULL },
  };
  return lp_cli_entries_with_scenario (&o->s, own, G_N_ELEMENTS (own));
}

static const char plan_description[] =
  "Turns recovery requirements and per-site user counts into a Standard or Enterprise\n"
  "Edition topology and a bill of materials, and says why.\n"
  "\n"
  "%s"
  "Flags override the file; what neither sets takes the rule set's default ('lyncplan\n"
  "rules' lists them). Durations take a unit: 90s, 30m, 4h, 1d, 1h30m.\n"
  "Percentages: 99.9 or 99.9%%. Setting dr-rto or dr-rpo asks for disaster recovery:\n"
  "two sites back each other up, a lone site gets a warm standby site NAME-DR, and\n"
  "with three or more sites each names its dr-site (or none: planned without DR); a\n"
  "site named by several holds a backup pool for each. A branch (kind = branch) is\n"
  "homed on a central site (home); edge and office-web-apps name the site whose Edge\n"
  "pool or Office Web Apps farm a site uses.\n"
  "\n"
  "The availability checked against --sla is the expected downtime a year of a user\n"
  "inside the site, from each role's failure rate and repair time, the pool's quorum,\n"
  "the Back End's or a Standard Edition pair's failover time and the patch cycles\n"
  "(rule constants: 'lyncplan rules' lists them, --set overrides them); the downtime\n"
  "budget lists every contributor, remote users' figure beside it. Planned maintenance\n"
  "is shown, not counted, unless --sla-includes-maintenance; site disasters are left\n"
  "to dr-rto. 'lyncplan simulate' checks the figure by simulation.\n"
  "\n"
  "The workbook (--xlsx) holds Summary, Bill of Materials, Servers, Pools and Pairing,\n"
  "Alternatives, Assumptions, Rule trace (with --explain), Resilience, SLA budget, DNS\n"
  "plan, Certificates, Firewall and Diagram sheets. Its date is --date or the scenario's\n"
  "date, else SOURCE_DATE_EPOCH, else today: either of the first three gives the same\n"
  "bytes for the same inputs. Every switch has a --no- form.\n"
  "\n"
  "Outputs: a regular file is replaced atomically, keeping its mode; a link's target is\n"
  "replaced; devices, FIFOs and - are written through. No output may replace an input.\n"
  "\n"
  "Exit status: 0 planned; 1 could not read or write; 2 bad command line, scenario or\n"
  "rules; 3 planned, but no design meets every requirement (the plan is still written);\n"
  "4 a bug: the plan breaks an invariant of its topology model (named; nothing written);\n"
  "129, 130, 143 stopped by SIGHUP, SIGINT or SIGTERM (nothing written).\n"
  "\n"
  "Examples:\n"
  "  lyncplan plan --site HQ=5000 --rto 30m\n"
  "  lyncplan plan examples/dr-enterprise.ini --format json -o plan.json\n"
  "  lyncplan plan examples/standard-paired.ini --set pool-failover-time=20m --explain\n"
  "  lyncplan plan examples/dr-enterprise.ini --prices examples/prices-example.prices --xlsx plan.xlsx\n";

/* The deliverable's own scenario values. */
static gboolean
apply_plan_flags (const LpPlanOptions *o, LpScenario *sc, GError **error)
{
  static const struct {
    const char *key, *where;
    gsize offset;
  } flags[] = {
    { "author", "--author:", G_STRUCT_OFFSET (LpPlanOptions, author) },
    { "company", "--company:", G_STRUCT_OFFSET (LpPlanOptions, company) },
    { "customer", "--customer:", G_STRUCT_OFFSET (LpPlanOptions, customer) },
    { "paper", "--paper:", G_STRUCT_OFFSET (LpPlanOptions, paper) },
    { "date", "--date:", G_STRUCT_OFFSET (LpPlanOptions, date) },
    { "sip-domain", "--sip-domain:", G_STRUCT_OFFSET (LpPlanOptions, sip_domain) },
  };

  for (guint i = 0; i < G_N_ELEMENTS (flags); i++) {
    const char *value = G_STRUCT_MEMBER (const char *, o, flags[i].offset);
    if (value != NULL && !lp_scenario_set_value (sc, flags[i].key, value, flags[i].where, error))
      return FALSE;
  }
  return TRUE;
}

/* --diagram-by-host draws the diagram: it needs one. */
static gboolean
diagram_by_host_check (const LpPlanOptions *o, GError **error)
{
  if (o->diagram_by_host && o->diagram == NULL) {
    g_set_error (error, LP_ERROR, LP_ERROR_USAGE,
                 "--diagram-by-host: only with --diagram FILE.svg or FILE.png");
    return FALSE;
  }
  return TRUE;
}

void
lp_cli_plan_formats (void)
{
  lp_formats_print_names (LP_FORMATS (lp_writers));
}

static gboolean
parse_options (LpPlanOptions *o, int *argc, char ***argv, gboolean *help, GError **error)
{
  g_autofree GOptionEntry *entries = NULL;
  g_autoptr (GOptionContext) ctx = g_option_context_new ("[SCENARIO.ini] - plan a Lync deployment");
  g_autofree char *keys = NULL;
  g_autofree char *description = NULL;

  if (!lp_cli_scenario_prepare (&o->s, *argc, *argv, error))
    return FALSE;
  o->format_help = lp_formats_join (LP_FORMATS (lp_writers), TRUE, ", or ");
  entries = plan_entries (o);
  g_set_prgname ("lyncplan plan");
  g_option_context_add_main_entries (ctx, entries, NULL);
  keys = lp_cli_scenario_help (o->s.rs);
  description = g_strdup_printf (plan_description, keys);
  g_option_context_set_description (ctx, description);
  return lp_cli_parse (ctx, entries, argc, argv, help, error) &&
         (*help || (lp_formats_choose (LP_FORMATS (lp_writers), o->format, NULL, error) != NULL &&
                    lp_csv_table_check (o->table, o->format, error) &&
                    (o->diagram == NULL || lp_diagram_renderer (o->diagram, error) != NULL) &&
                    diagram_by_host_check (o, error)));
}

/* What one writer writes, and where. */
typedef struct {
  const LpWriter *writer;
  const char *path; /* the target as the user wrote it */
  LpOutput *out;
} LpPlanOutput;

/* The report, to -o (standard output by default) in its --format, and
 * with --xlsx FILE the workbook; the report comes last. */
static guint
plan_outputs (const LpPlanOptions *o, LpPlanOutput *outs)
{
  guint n = 0;

  if (o->xlsx != NULL)
    outs[n++] = (LpPlanOutput){ lp_writer_find ("xlsx"), o->xlsx, NULL };
  if (o->diagram != NULL)
    outs[n++] = (LpPlanOutput){ lp_writer_find ("diagram"), o->diagram, NULL };
  outs[n++] = (LpPlanOutput){ (const LpWriter *) lp_formats_choose (LP_FORMATS (lp_writers),
                                                                    o->format, NULL, NULL),
                              o->output != NULL ? o->output : "-", NULL };
  return n;
}

/* Every output is checked, and its temporary file made, before anything is
 * planned or written: a bad -o leaves the workbook's old file alone too. */
static gboolean
open_outputs (const LpPlanOptions *o, const LpInputFile *inputs, LpPlanOutput *outs, guint n,
              GError **error)
{
  for (guint i = n; i-- > 0;) {
    outs[i].out = lp_output_new (outs[i].path, outs[i].writer->kind, inputs, error);
    if (outs[i].out == NULL)
      return FALSE;
  }
  for (guint i = 0; i < n; i++) {
    for (guint j = i + 1; j < n; j++) {
      if (lp_output_same (outs[i].out, outs[j].out)) {
        gboolean report = j + 1 == n; /* the report comes last */
        g_set_error (error, LP_ERROR, LP_ERROR_USAGE,
                     "--%s and %s%s both write %s: give each its own file",
                     outs[i].writer->format.name, report ? "-o" : "--",
                     report ? "" : outs[j].writer->format.name,
                     !report             ? outs[j].path
                     : o->output != NULL ? o->output
                                         : "standard output");
        return FALSE;
      }
    }
  }
  return TRUE;
}

/* The report every writer reads, built once: names, each writer's checks, then the date if one
 * carries it, all before anything is written. */
static LpReport *
build_report (const LpPlanOptions *o, const LpPlan *plan, const LpPlanOutput *outs, guint n,
              GError **error)
{
  gboolean dated = FALSE;
  g_autoptr (LpReport) r = NULL;

  for (guint i = 0; i < n; i++) {
    dated |= outs[i].writer->dated;
  }
  r = lp_report_new (plan, o->naming, error);
  if (r == NULL)
    return NULL;
  for (guint i = 0; i < n; i++) {
    if (outs[i].writer->check != NULL && !outs[i].writer->check (r, error))
      return NULL;
  }
  if (dated && !lp_report_read_date (r, error))
    return NULL;
  return g_steal_pointer (&r);
}

static gboolean
write_outputs (const LpPlanOptions *o, const LpReport *r, const LpPlanOutput *outs, guint n,
               GError **error)
{
  const LpWriteOptions wo = { .with_trace = o->explain,
                              .table = o->table,
                              .diagram_by_host = o->diagram_by_host };

  for (guint i = 0; i < n; i++) {
    if (!outs[i].writer->write (r, &wo, outs[i].out, error) ||
        !lp_output_commit (outs[i].out, error))
      return FALSE;
  }
  return TRUE;
}

static void
close_outputs (LpPlanOutput *outs, guint n)
{
  for (guint i = 0; i < n; i++)
    g_clear_pointer (&outs[i].out, lp_output_free);
}

/* A plan written to files, not read on a terminal, says on standard error
 * that it misses a requirement (exit status 3 alone is easy to miss). */
static void
warn_unmet (const LpPlanOptions *o, const LpReport *r)
{
  GString *what;

  if (r->plan->feasible || (o->output == NULL && o->xlsx == NULL) ||
      g_strcmp0 (o->output, "-") == 0)
    return;
  what = g_string_new (NULL);
  for (guint i = 0; i < r->unmet->len; i++) {
    const LpUnmet *u = g_ptr_array_index (r->unmet, i);
    g_string_append_printf (what, "%s%s (at %s)", i ? "; " : "", u->check->title, u->sites->str);
  }
  if (what->len > 0)
    g_printerr ("lyncplan: warning: the plan misses what %s cannot provide: %s; its report says "
                "what would meet it\n",
                r->plan->rs->product, what->str);
  else
    g_printerr ("lyncplan: warning: no design meets every requirement; the plan written is the "
                "closest\n");
  g_string_free (what, TRUE);
}

/* An input set where it takes no effect ([input] ignored-unless): once per
 * site that sets it; a scenario-wide one once, when it takes effect at none
 * of the scenario's sites (a site may switch off what it needs there). */
static void
warn_ignored (const LpPlan *plan)
{
  const GPtrArray *inputs = plan->rs->inputs;

  for (guint k = 0; k < inputs->len && k < LP_IGNORED_INPUTS_MAX; k++) {
    const LpInput *in = g_ptr_array_index (inputs, k);
    guint flagged = 0, sites = 0;
    for (guint i = 0; in->ignored_unless != NULL && i < plan->sites->len; i++) {
      const LpPlanSite *s = &g_array_index (plan->sites, LpPlanSite, i);
      gboolean ignored = (s->ignored & ((guint64) 1 << k)) != 0;
      if (s->warm || s->host >= 0)
        continue;
      sites++;
      flagged += ignored;
      if (ignored && (in->scope & LP_SCOPE_SITE))
        g_printerr ("lyncplan: warning: site %s: %s is ignored: %s\n", s->name, in->key,
                    in->ignored_because);
    }
    if (!(in->scope & LP_SCOPE_SITE) && sites > 0 && flagged == sites)
      g_printerr ("lyncplan: warning: %s is ignored: %s\n", in->key, in->ignored_because);
  }
}

/* Plans @sc (taken: freed once the plan holds its own copy, so that a large
 * estate's scenario is not held twice while the report is built) and
 * writes the outputs. */
static gboolean
run_outputs (const LpPlanOptions *o, LpScenario *sc, const LpRuleset *rs, LpPlanOutput *outs,
             guint n, gboolean *feasible, GError **error)
{
  LpInputFile inputs[LP_CLI_MAX_INPUTS];
  g_autoptr (LpScenario) taken = sc;
  g_autoptr (LpPlan) plan = NULL;
  g_autoptr (LpReport) report = NULL;

  lp_cli_input_files (sc, rs, inputs);
  if (!open_outputs (o, inputs, outs, n, error))
    return FALSE;
  plan = lp_engine_plan (rs, sc, o->explain, error);
  g_clear_pointer (&taken, lp_scenario_free); /* the outputs are open: @inputs is done with */
  if (plan == NULL || (report = build_report (o, plan, outs, n, error)) == NULL)
    return FALSE;
  *feasible = plan->feasible;
  warn_ignored (plan);
  if (!write_outputs (o, report, outs, n, error))
    return FALSE;
  warn_unmet (o, report);
  return TRUE;
}

static gboolean
run_plan (LpPlanOptions *o, int argc, char **argv, gboolean *feasible, GError **error)
{
  g_autoptr (LpScenario) sc = lp_cli_build_scenario (&o->s, argc, argv, error);
  const LpRuleset *rs = NULL;
  LpPlanOutput outs[3];
  guint n = plan_outputs (o, outs);
  gboolean ok;

  if (sc == NULL || !apply_plan_flags (o, sc, error) || !lp_cli_load_inputs (&o->s, sc, &rs, error))
    return FALSE;
  ok = run_outputs (o, g_steal_pointer (&sc), rs, outs, n, feasible, error);
  close_outputs (outs, n);
  return ok;
}

int
lp_cli_plan (int argc, char **argv)
{
  LpPlanOptions o = { 0 };
  GError *error = NULL;
  gboolean feasible = TRUE, help = FALSE;
  int status = LP_EXIT_OK;

  if (!parse_options (&o, &argc, &argv, &help, &error) ||
      (!help && !run_plan (&o, argc, argv, &feasible, &error)))
    status = lp_cli_fail (error);
  else if (!feasible)
    status = LP_EXIT_INFEASIBLE;
  options_clear (&o);
  return status;
}
