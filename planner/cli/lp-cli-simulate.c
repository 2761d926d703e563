/* lp-cli-simulate.c: `lyncplan simulate`. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lp-cli.h"
#include "lp-engine.h"
#include "lp-error.h"
#include "lp-json.h"
#include "lp-output.h"
#include "lp-resilience.h"
#include "lp-simulate.h"
#include "lp-units.h"
#include "lp-write.h"

#define LP_SIMULATE_DEFAULT_YEARS 100000
#define LP_SIMULATE_DEFAULT_SEED 1

typedef struct {
  LpScenarioOptions s;
  char *years;
  char *seed;
  char *format;
  char *output;
  char *format_help; /* made from sim_writers */
} LpSimOptions;

static void write_text (GString *out, const LpPlan *plan, const GArray *groups, guint64 years,
                        guint64 seed);
static void write_json (GString *out, const LpPlan *plan, const GArray *groups, guint64 years,
                        guint64 seed);

/* A --format of simulate: writes the groups' figures (LpSimGroup) to @out. */
typedef struct {
  LpFormat format;
  void (*write) (GString *out, const LpPlan *plan, const GArray *groups, guint64 years,
                 guint64 seed);
} LpSimWriter;

/* simulate's --format values, a table of lp-formats.h. */
static const LpSimWriter sim_writers[] = {
  { { "text", "text (the default)" }, write_text },
  { { "json", "json" }, write_json },
  { { NULL } },
};

void
lp_cli_simulate_formats (void)
{
  lp_formats_print_names (LP_FORMATS (sim_writers));
}

static void
options_clear (LpSimOptions *o)
{
  g_free (o->format_help);
  lp_cli_scenario_options_clear (&o->s);
  g_free (o->years);
  g_free (o->seed);
  g_free (o->format);
  g_free (o->output);
}

static GOptionEntry *
simulate_entries (LpSimOptions *o)
{
  GOptionEntry own[] = {
    { "years", 0, 0, G_OPTION_ARG_STRING, &o->years,
      "Years to simulate (default 100000, at most 1000000)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &o->seed,
      "Seed of the random numbers (default 1): the same seed, the same figures", "S" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &o->format, o->format_help, "FORMAT" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o->output,
      "Write to FILE instead of standard output (- for standard output)", "FILE" },
    { NULL },
  };
  return lp_cli_entries_with_scenario (&o->s, own, G_N_ELEMENTS (own));
}

static const char simulate_description[] =
  "Plans the scenario as 'lyncplan plan' does, then runs one discrete-event simulation of\n"
  "every component of the chosen design at the site that decides each group's SLA:\n"
  "servers fail and are repaired at random (exponential times from the rule set's\n"
  "failure rates and repair times), patch windows come on schedule (one server at a\n"
  "time; a pair's outage each cycle), a pair fails over when its active server fails,\n"
  "a pool is down while fewer than its quorum are up. It does not use the closed form\n"
  "the plan's downtime budget comes from: it checks it. For each user class (internal,\n"
  "remote) it reports the simulated downtime a year, its mean and 95%% confidence\n"
  "interval, beside the plan's figure and how many standard errors apart they are.\n"
  "Planned maintenance counts only with sla-includes-maintenance = true, as in the plan.\n"
  "\n"
  "%s"
  "Exit status: 0 simulated; 1 could not read or write; 2 bad command line, scenario or\n"
  "rules.\n"
  "\n"
  "Examples:\n"
  "  lyncplan simulate examples/enterprise-pool.ini\n"
  "  lyncplan simulate examples/standard-paired.ini --years 20000 --seed 7 --format json\n"
  "  lyncplan simulate --site HQ=5000 --set front-end-failures-per-year=4\n";

static gboolean
parse_count (const char *text, const char *option, guint64 min, guint64 max, guint64 *out,
             GError **error)
{
  g_autoptr (GError) cause = NULL;

  if (text == NULL)
    return TRUE;
  if (!g_ascii_string_to_unsigned (text, 10, min, max, out, &cause)) {
    g_set_error (error, LP_ERROR, LP_ERROR_USAGE,
                 "%s: expected a whole number from %" G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT
                 ", got '%s'",
                 option, min, max, text);
    return FALSE;
  }
  return TRUE;
}

static gboolean
parse_options (LpSimOptions *o, int *argc, char ***argv, gboolean *help, GError **error)
{
  g_autofree GOptionEntry *entries = NULL;
  g_autoptr (GOptionContext)
    ctx = g_option_context_new ("[SCENARIO.ini] - simulate a plan's availability");
  g_autofree char *keys = NULL;
  g_autofree char *description = NULL;

  if (!lp_cli_scenario_prepare (&o->s, *argc, *argv, error))
    return FALSE;
  o->format_help = lp_formats_join (LP_FORMATS (sim_writers), TRUE, " or ");
  entries = simulate_entries (o);
  g_set_prgname ("lyncplan simulate");
  g_option_context_add_main_entries (ctx, entries, NULL);
  keys = lp_cli_scenario_help (o->s.rs);
  description = g_strdup_printf (simulate_description, keys);
  g_option_context_set_description (ctx, description);
  if (!lp_cli_parse (ctx, entries, argc, argv, help, error))
    return FALSE;
  return *help || lp_formats_choose (LP_FORMATS (sim_writers), o->format, NULL, error) != NULL;
}

/* One group's simulation: the site that decides its SLA. */
typedef struct {
  guint group;
  guint site;
  const LpCandidate *c;
  const LpSiteSizing *z;
  double events; /* a simulated year's, lp_simulate_events_per_year() */
  LpSimFigure sim[LP_AVAIL_N_CLASSES];
} LpSimGroup;

/* The groups to simulate, each at the site that decides its SLA, with the
 * events a year its components give. */
static void
choose_groups (const LpPlan *plan, GArray *out)
{
  for (guint g = 0; g < plan->groups->len; g++) {
    const LpGroup *group = &g_array_index (plan->groups, LpGroup, g);
    LpSimGroup sg = { .group = g, .c = lp_plan_group_choice (plan, g) };
    for (guint i = 0; i < group->n_sites; i++) {
      const LpSiteSizing *z = &sg.c->sites[i];
      if (!z->empty && z->avail != NULL && (sg.z == NULL || z->downtime[0] > sg.z->downtime[0])) {
        sg.z = z;
        sg.site = group->sites[i];
      }
    }
    if (sg.z == NULL)
      continue;
    sg.events = lp_simulate_events_per_year (sg.z->avail, sg.c->tmpl->availability->len);
    g_array_append_val (out, sg);
  }
}

/* The events a year of every group together. */
static double
events_per_year (const GArray *groups)
{
  double events = 0;

  for (guint i = 0; i < groups->len; i++)
    events += g_array_index (groups, LpSimGroup, i).events;
  return events;
}

/* Years within LP_SIMULATE_MAX_EVENTS: --years past it is refused; the
 * default is lowered to fit, with a note on standard error. */
static gboolean
bound_years (const GArray *groups, gboolean asked, guint64 *years, GError **error)
{
  double per_year = events_per_year (groups);
  double fit = floor (LP_SIMULATE_MAX_EVENTS / MAX (per_year, 1));
  g_autofree char *events = lp_format_count ((guint64) MIN (per_year * (double) *years, 1e18));
  g_autofree char *max = lp_format_count ((guint64) LP_SIMULATE_MAX_EVENTS);
  g_autofree char *per = lp_format_count ((guint64) ceil (per_year));
  g_autofree char *asked_years = lp_format_count (*years);
  g_autofree char *fit_years = lp_format_count ((guint64) MAX (fit, 0));
  const char *give = groups->len == 1 ? "group gives" : "groups give";

  if (per_year * (double) *years <= LP_SIMULATE_MAX_EVENTS)
    return TRUE;
  if (fit < 2) {
    g_set_error (error, LP_ERROR, LP_ERROR_USAGE,
                 "%u %s about %s events a simulated year; a simulation takes at most %s events, "
                 "not even 2 years",
                 groups->len, give, per, max);
    return FALSE;
  }
  if (asked) {
    g_set_error (error, LP_ERROR, LP_ERROR_USAGE,
                 "--years %s: %u %s about %s events a year, %s in all; a simulation takes at "
                 "most %s: at most %s years",
                 asked_years, groups->len, give, per, events, max, fit_years);
    return FALSE;
  }
  g_printerr ("lyncplan: simulating %s years, not %s: %u %s about %s events a year and a "
              "simulation takes at most %s\n",
              fit_years, asked_years, groups->len, give, per, max);
  *years = (guint64) fit;
  return TRUE;
}

/* Progress on a terminal: the share of all events simulated, at most four
 * times a second, for a run long enough to wait for. */
typedef struct {
  double before; /* events of the groups already simulated */
  double total;
  double group_events; /* a year of the group under way */
  gint64 shown;        /* monotonic time of the last line */
} LpSimProgress;

#define LP_SIMULATE_PROGRESS_EVENTS 20000000.0 /* about a second: shorter runs show none */

static void
progress_cb (guint64 done, guint64 years, gpointer data)
{
  LpSimProgress *p = data;
  gint64 now = g_get_monotonic_time ();
  double share = (p->before + p->group_events * (double) done) / p->total;

  (void) years;
  if (now - p->shown < G_USEC_PER_SEC / 4)
    return;
  p->shown = now;
  fprintf (stderr, "\rsimulating: %3.0f%%", 100 * MIN (share, 1));
  fflush (stderr);
}

static void
simulate_groups (const LpPlan *plan, guint64 years, guint64 seed, GArray *groups)
{
  double year = lp_plan_value (plan, "minutes-per-year");
  LpSimProgress p = { .total = events_per_year (groups) * (double) years };
  gboolean show = isatty (STDERR_FILENO) && p.total >= LP_SIMULATE_PROGRESS_EVENTS;

  for (guint i = 0; i < groups->len; i++) {
    LpSimGroup *sg = &g_array_index (groups, LpSimGroup, i);
    p.group_events = sg->events;
    lp_simulate_site (sg->z->avail, sg->c->tmpl->availability->len, year, sg->z->planned_counted,
                      years, seed + sg->group, show ? progress_cb : NULL, &p, sg->sim);
    p.before += sg->events * (double) years;
  }
  if (show)
    fprintf (stderr, "\r%20s\r", "");
}

/* How far the analytic figure is from the simulated mean, in standard
 * errors; with none (every simulated year the same) the minutes apart. */
static char *
distance (double analytic, const LpSimFigure *f)
{
  g_autofree char *d = NULL;

  if (f->standard_error > 0) {
    d = lp_format_decimal (fabs (analytic - f->mean) / f->standard_error, 2);
    return g_strdup_printf ("%s standard errors apart", d);
  }
  if (fabs (analytic - f->mean) < 1e-9)
    return g_strdup ("the same");
  d = lp_format_decimal (fabs (analytic - f->mean), 2);
  return g_strdup_printf ("%s minutes apart (every simulated year the same: no standard error)", d);
}

static void
text_class (GString *out, const char *who, double analytic, const LpSimFigure *f)
{
  g_autofree char *a = lp_format_decimal (analytic, 2);
  g_autofree char *m = lp_format_decimal (f->mean, 2);
  g_autofree char *lo = lp_format_decimal (f->ci95_low, 2);
  g_autofree char *hi = lp_format_decimal (f->ci95_high, 2);
  g_autofree char *se = lp_format_decimal (f->standard_error, 2);
  g_autofree char *d = distance (analytic, f);
  g_autofree char *line =
    g_strdup_printf ("%s users: simulated %s minutes a year (95%% CI %s to %s, standard error "
                     "%s); the plan's %s, %s",
                     who, m, lo, hi, se, a, d);

  lp_text_append_wrapped (out, 4, 6, line, LP_TEXT_WIDTH);
}

static void
write_text (GString *out, const LpPlan *plan, const GArray *groups, guint64 years, guint64 seed)
{
  g_autofree char *head =
    g_strdup_printf ("Simulated availability (%" G_GUINT64_FORMAT " years, seed %" G_GUINT64_FORMAT
                     "; planned maintenance %s)",
                     years, seed,
                     groups->len > 0 && g_array_index (groups, LpSimGroup, 0).z->planned_counted
                       ? "counted"
                       : "not counted");

  lp_text_append_wrapped (out, 0, 2, head, LP_TEXT_WIDTH);
  for (guint i = 0; i < groups->len; i++) {
    const LpSimGroup *sg = &g_array_index (groups, LpSimGroup, i);
    g_autofree char *label = lp_plan_group_label (plan, sg->group);
    g_autofree char *line =
      g_strdup_printf ("%s, %s, at %s:", label, sg->c->tmpl->id,
                       g_array_index (plan->sites, LpPlanSite, sg->site).name);
    lp_text_append_wrapped (out, 2, 4, line, LP_TEXT_WIDTH);
    for (guint u = 0; u < LP_AVAIL_N_CLASSES; u++)
      text_class (out, lp_avail_class_names[u], sg->z->downtime[u], &sg->sim[u]);
  }
}

static void
json_class (LpJson *j, const char *key, double analytic, const LpSimFigure *f)
{
  lp_json_begin_object (j, key);
  lp_json_begin_object (j, "downtime_minutes_per_year");
  lp_json_number (j, "mean", f->mean);
  lp_json_number (j, "ci95_low", f->ci95_low);
  lp_json_number (j, "ci95_high", f->ci95_high);
  lp_json_end_object (j);
  lp_json_number (j, "standard_error", f->standard_error);
  lp_json_number (j, "analytic_minutes_per_year", analytic);
  lp_json_end_object (j);
}

static void
write_json (GString *out, const LpPlan *plan, const GArray *groups, guint64 years, guint64 seed)
{
  LpJson j = { .out = out, .pretty = TRUE };

  lp_json_begin_object (&j, NULL);
  lp_json_string (&j, "rule_set", plan->rs->id);
  lp_json_string (&j, "scenario", plan->sc->title);
  lp_json_int (&j, "years", years);
  lp_json_int (&j, "seed", seed);
  lp_json_begin_array (&j, "groups");
  for (guint i = 0; i < groups->len; i++) {
    const LpSimGroup *sg = &g_array_index (groups, LpSimGroup, i);
    lp_json_begin_object (&j, NULL);
    lp_json_begin_array (&j, "sites");
    for (guint s = 0; s < g_array_index (plan->groups, LpGroup, sg->group).n_sites; s++)
      lp_json_string (&j, NULL,
                      g_array_index (plan->sites, LpPlanSite,
                                     g_array_index (plan->groups, LpGroup, sg->group).sites[s])
                        .name);
    lp_json_end_array (&j);
    lp_json_string (&j, "design", sg->c->tmpl->id);
    lp_json_string (&j, "site", g_array_index (plan->sites, LpPlanSite, sg->site).name);
    lp_json_bool (&j, "planned_counted", sg->z->planned_counted);
    for (guint u = 0; u < LP_AVAIL_N_CLASSES; u++)
      json_class (&j, lp_avail_class_names[u], sg->z->downtime[u], &sg->sim[u]);
    lp_json_end_object (&j);
  }
  lp_json_end_array (&j);
  lp_json_end_object (&j);
  g_string_append_c (out, '\n');
}

static gboolean
run_simulate (LpSimOptions *o, int argc, char **argv, GError **error)
{
  g_autoptr (LpScenario) sc = lp_cli_build_scenario (&o->s, argc, argv, error);
  const LpRuleset *rs = NULL;
  guint64 years = LP_SIMULATE_DEFAULT_YEARS, seed = LP_SIMULATE_DEFAULT_SEED;
  LpInputFile inputs[LP_CLI_MAX_INPUTS];
  g_autoptr (LpPlan) plan = NULL;
  g_autoptr (GArray) groups = g_array_new (FALSE, FALSE, sizeof (LpSimGroup));
  g_autoptr (GString) out = g_string_new (NULL);

  if (!parse_count (o->years, "--years", 2, LP_SIMULATE_MAX_YEARS, &years, error) ||
      !parse_count (o->seed, "--seed", 0, G_MAXUINT64, &seed, error))
    return FALSE;
  if (sc == NULL || !lp_cli_load_inputs (&o->s, sc, &rs, error))
    return FALSE;
  lp_cli_input_files (sc, rs, inputs);
  plan = lp_engine_plan (rs, sc, FALSE, error);
  if (plan == NULL)
    return FALSE;
  choose_groups (plan, groups);
  if (!bound_years (groups, o->years != NULL, &years, error))
    return FALSE;
  simulate_groups (plan, years, seed, groups);
  ((const LpSimWriter *) lp_formats_choose (LP_FORMATS (sim_writers), o->format, NULL, NULL))
    ->write (out, plan, groups, years, seed);
  return lp_output_write (o->output != NULL ? o->output : "-", out->str, out->len, inputs, error);
}

int
lp_cli_simulate (int argc, char **argv)
{
  LpSimOptions o = { 0 };
  GError *error = NULL;
  gboolean help = FALSE;
  int status = LP_EXIT_OK;

  if (!parse_options (&o, &argc, &argv, &help, &error) ||
      (!help && !run_simulate (&o, argc, argv, &error)))
    status = lp_cli_fail (error);
  options_clear (&o);
  return status;
}
