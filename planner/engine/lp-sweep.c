/* lp-sweep.c: see lp-sweep.h. */
#include "lp-sweep.h"

#include <math.h>
#include <string.h>

#include "lp-engine.h"
#include "lp-error.h"
#include "lp-units.h"

/* Values one range may produce: a typo such as 1..1000000000/1 stops here. */
#define LP_SWEEP_MAX_AXIS 100000000

/* An axis sets a scenario input or rule constant, a site's users, or a
 * site's value of a site-scope input (remote-percent@SITE). */
typedef enum { AXIS_SETTING, AXIS_USERS, AXIS_SITE_INPUT } LpAxisKind;

typedef struct {
  char *key;
  LpAxisKind kind;
  LpValueType type;
  guint site;           /* AXIS_USERS, AXIS_SITE_INPUT: index of the scenario's site */
  char *setting;        /* AXIS_SETTING: the input or constant it sets */
  const LpInput *input; /* nullable: the input it sets (AXIS_SETTING, AXIS_SITE_INPUT) */
  /* a list keeps its values and their texts; a range only its ends, so a
   * sweep's memory does not grow with it */
  gboolean range;
  gboolean whole; /* a range of whole numbers within +-2^32: each value exact as it is */
  double from, step;
  guint n;
  GArray *values;  /* of double (lists) */
  GString *texts;  /* each value as a user writes it, NUL-terminated, end to end (lists) */
  GArray *offsets; /* of guint32: where each value's text starts in texts (lists) */
} LpAxis;

struct _LpSweep {
  const LpRuleset *rs;
  LpScenario *sc;
  gboolean per_site; /* rows and runs carry each scenario site's design and servers */
  GPtrArray *axes;   /* of LpAxis, read only once built: sweeps of one run share them */
  guint64 rows;
  LpPlanner *planner;  /* plans the rows: its working storage, and the fold of the
                        * formulas no axis changes, evaluated once */
  LpSetting **targets; /* per axis: this sweep's scenario setting it changes, or NULL */
  GString **shown;     /* per axis: the text of a range value last asked for */
  guint *shown_index;  /* per axis: which value that was */
  /* breakpoints without rows (lp_sweep_next_piece()): an unfolded planner
   * that reports step points, the step points of a piece's first row, the
   * next row and the row tried as its last, and a summary for the others */
  LpPlanner *stepper;
  LpSteps steps[3];
  LpPlanSummary probe;
  gboolean probe_set;
};

static void
axis_free (gpointer p)
{
  LpAxis *a = p;
  g_free (a->key);
  g_free (a->setting);
  g_array_unref (a->values);
  g_string_free (a->texts, TRUE);
  g_array_unref (a->offsets);
  g_free (a);
}

void
lp_sweep_free (LpSweep *sweep)
{
  if (sweep == NULL)
    return;
  lp_planner_free (sweep->planner);
  lp_planner_free (sweep->stepper);
  for (guint k = 0; k < G_N_ELEMENTS (sweep->steps); k++)
    g_free (sweep->steps[k].points);
  if (sweep->probe_set)
    lp_plan_summary_clear (&sweep->probe);
  for (guint i = 0; sweep->shown != NULL && i < sweep->axes->len; i++)
    g_string_free (sweep->shown[i], TRUE);
  g_ptr_array_unref (sweep->axes);
  lp_scenario_free (sweep->sc);
  g_free (sweep->targets);
  g_free (sweep->shown);
  g_free (sweep->shown_index);
  g_free (sweep);
}

guint64
lp_sweep_rows (const LpSweep *sweep)
{
  return sweep->rows;
}
guint
lp_sweep_n_axes (const LpSweep *sweep)
{
  return sweep->axes->len;
}

static const LpAxis *
axis (const LpSweep *sweep, guint i)
{
  return g_ptr_array_index (sweep->axes, i);
}

const char *
lp_sweep_axis_key (const LpSweep *sweep, guint i)
{
  return axis (sweep, i)->key;
}

static guint
axis_size (const LpAxis *a)
{
  return a->range ? a->n : a->values->len;
}

guint
lp_sweep_axis_size (const LpSweep *sweep, guint i)
{
  return axis_size (axis (sweep, i));
}

/* Value @index of @a; a range's are rounded so that 0.1 steps stay exact. */
static inline double
axis_value_at (const LpAxis *a, guint index)
{
  if (!a->range)
    return g_array_index (a->values, double, index);
  if (a->whole) /* the rounding below would give the same number */
    return a->from + (double) index * a->step;
  return round ((a->from + (double) index * a->step) * 1e9) / 1e9;
}

/* The index of axis @i's value in row @row: the first axis changes fastest. */
static inline guint
value_index (const LpSweep *sweep, guint i, guint64 row)
{
  for (guint k = 0; k < i; k++)
    row /= axis_size (axis (sweep, k));
  return (guint) (row % axis_size (axis (sweep, i)));
}

static void append_value_text (GString *s, const LpAxis *a, double v);

const char *
lp_sweep_axis_value (LpSweep *sweep, guint i, guint64 row)
{
  const LpAxis *a = axis (sweep, i);
  guint index = value_index (sweep, i, row);

  if (!a->range)
    return a->texts->str + g_array_index (a->offsets, guint32, index);
  if (sweep->shown_index[i] != index) {
    g_string_truncate (sweep->shown[i], 0);
    append_value_text (sweep->shown[i], a, axis_value_at (a, index));
    sweep->shown_index[i] = index;
  }
  return sweep->shown[i]->str;
}

void
lp_sweep_axis_append (LpSweep *sweep, guint i, guint64 row, GString *out)
{
  const LpAxis *a = axis (sweep, i);
  const char *text;

  if (a->range && a->kind == AXIS_USERS) { /* append_value_text()'s count, without a copy */
    lp_append_count (out, (guint64) axis_value_at (a, value_index (sweep, i, row)));
    return;
  }
  text = lp_sweep_axis_value (sweep, i, row);
  lp_append_len (out, text, strlen (text));
}

double
lp_sweep_axis_number (const LpSweep *sweep, guint i, guint64 row, gboolean *is_number)
{
  const LpAxis *a = axis (sweep, i);

  *is_number = a->type != LP_VALUE_BOOL && a->type != LP_VALUE_CHOICE;
  return axis_value_at (a, value_index (sweep, i, row));
}

gboolean
lp_sweep_axis_is_duration (const LpSweep *sweep, guint i)
{
  const LpAxis *a = axis (sweep, i);
  return a->kind == AXIS_SETTING && a->type == LP_VALUE_DURATION;
}

gboolean
lp_sweep_axis_is_percent (const LpSweep *sweep, guint i)
{
  const LpAxis *a = axis (sweep, i);
  return (a->kind == AXIS_SETTING || a->kind == AXIS_SITE_INPUT) && a->type == LP_VALUE_PERCENT;
}

/* ---- one value, parsed as the same key is in a plan ---- */

static gboolean
fail_value (const char *where, GError *cause, GError **error)
{
  g_set_error (error, LP_ERROR, LP_ERROR_USAGE, "%s %s", where, cause->message);
  g_error_free (cause);
  return FALSE;
}

static gboolean
value_for (LpSweep *sw, LpAxis *a, const char *text, const char *where, double *out, GError **error)
{
  GError *cause = NULL;
  guint64 users = 0;

  switch (a->kind) {
  case AXIS_USERS:
    if (!lp_parse_count (text, &users, &cause))
      return fail_value (where, cause, error);
    *out = (double) users;
    return TRUE;
  case AXIS_SITE_INPUT:
    return lp_input_parse (a->input, text, out, &cause) || fail_value (where, cause, error);
  case AXIS_SETTING: break;
  }
  if (a->input != NULL) {
    /* the scenario's own checks: units, and ranges such as the SLA's */
    if (!lp_scenario_set_value (sw->sc, a->setting, text, where, error))
      return FALSE;
    *out = lp_scenario_find_setting (sw->sc, a->setting)->value;
    return TRUE;
  }
  if (!lp_ruleset_parse_var (lp_ruleset_find_var (sw->rs, a->setting), text, out, &cause))
    return fail_value (where, cause, error);
  return TRUE;
}

/* ---- axes ---- */

static gboolean
axis_site (LpSweep *sw, LpAxis *a, const char *site, const char *where, GError **error)
{
  gint i = site != NULL ? lp_scenario_find_site (sw->sc, site) : (sw->sc->sites->len == 1 ? 0 : -1);

  if (i >= 0) {
    a->site = (guint) i;
    return TRUE;
  }
  if (site != NULL)
    g_set_error (error, LP_ERROR, LP_ERROR_USAGE, "%s no site named '%s'", where, site);
  else
    g_set_error (error, LP_ERROR, LP_ERROR_USAGE,
                 "%s the scenario has %u sites: name one, as in users@SITE", where,
                 sw->sc->sites->len);
  return FALSE;
}

/* Makes sure the scenario holds a setting for @name, so rows can change it. */
static gboolean
ensure_setting (LpSweep *sw, const char *name, GError **error)
{
  const LpRuleVar *v = lp_ruleset_find_var (sw->rs, name);
  g_autofree char *spec = NULL;

  if (lp_scenario_find_setting (sw->sc, name) != NULL)
    return TRUE;
  if (v->is_input)
    return lp_scenario_set_value (sw->sc, name, v->text, "--vary:", error);
  spec = g_strdup_printf ("%s=%s", name, v->text);
  return lp_scenario_add_set_flag (sw->sc, spec, error);
}

GPtrArray *
lp_sweep_input_axes (const LpRuleset *rs)
{
  GPtrArray *axes = g_ptr_array_new ();

  for (guint pass = 0; pass < 2; pass++) { /* site-scope inputs first */
    for (guint i = 0; i < rs->inputs->len; i++) {
      LpInput *in = g_ptr_array_index (rs->inputs, i);
      if (in->sweepable && ((in->scope & LP_SCOPE_SITE) != 0) == (pass == 0))
        g_ptr_array_add (axes, in);
    }
  }
  return axes;
}

/* "vary users[@SITE], remote-percent[@SITE], rto, ... or a rule constant" */
static gboolean
unknown_key (LpSweep *sw, const char *name, const char *where, GError **error)
{
  g_autofree const char **constants = lp_ruleset_constant_names (sw->rs);
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();
  g_autoptr (GString) keys = g_string_new ("users[@SITE]");
  g_auto (GStrv) names = NULL;
  g_autofree char *hint = NULL;

  g_autoptr (GPtrArray) inputs = lp_sweep_input_axes (sw->rs);

  g_strv_builder_add (b, "users");
  for (guint i = 0; i < inputs->len; i++) {
    const LpInput *in = g_ptr_array_index (inputs, i);
    g_strv_builder_add (b, in->key);
    g_string_append_printf (keys, ", %s%s", in->key, in->scope & LP_SCOPE_SITE ? "[@SITE]" : "");
  }
  g_strv_builder_addv (b, constants);
  names = g_strv_builder_end (b);
  hint = lp_error_did_you_mean (name, (const char *const *) names);
  g_set_error (error, LP_ERROR, LP_ERROR_USAGE,
               "%s unknown key '%s'%s: vary %s or a rule constant ('lyncplan rules' lists them)",
               where, name, hint, keys->str);
  return FALSE;
}

static gboolean
axis_setting (LpSweep *sw, LpAxis *a, const char *name, const char *where, GError **error)
{
  const LpRuleVar *v = lp_ruleset_find_var (sw->rs, name);

  a->kind = AXIS_SETTING;
  a->setting = g_strdup (name);
  a->input = lp_ruleset_find_input (sw->rs, name);
  if (v == NULL || (a->input != NULL && !a->input->sweepable))
    return unknown_key (sw, name, where, error);
  a->type = v->type;
  return ensure_setting (sw, name, error);
}

static gboolean
axis_key (LpSweep *sw, LpAxis *a, const char *where, GError **error)
{
  g_auto (GStrv) parts = g_strsplit (a->key, "@", 2);
  const char *name = parts[0], *site = parts[1];
  const LpInput *in = lp_ruleset_find_input (sw->rs, name);

  if (strcmp (name, "users") == 0) {
    a->kind = AXIS_USERS;
    a->type = LP_VALUE_NUMBER;
    return axis_site (sw, a, site, where, error);
  }
  if (in != NULL && (in->scope & LP_SCOPE_SITE) && site != NULL) {
    a->kind = AXIS_SITE_INPUT;
    a->input = in;
    a->type = in->type;
    return axis_site (sw, a, site, where, error);
  }
  if (site != NULL) {
    g_set_error (error, LP_ERROR, LP_ERROR_USAGE,
                 "%s only users and the inputs of a site (such as remote-percent) take @SITE",
                 where);
    return FALSE;
  }
  return axis_setting (sw, a, name, where, error);
}

static void
append_value_text (GString *s, const LpAxis *a, double v)
{
  if (a->kind == AXIS_USERS)
    lp_append_count (s, (guint64) v);
  else if (a->input != NULL)
    lp_input_append (s, a->input, v, FALSE);
  else
    lp_ruleset_append_value (s, a->type, v);
}

static gboolean
add_value (LpSweep *sw, LpAxis *a, const char *text, const char *where, GError **error)
{
  guint32 offset = (guint32) a->texts->len;
  double v = 0;

  if (!value_for (sw, a, text, where, &v, error))
    return FALSE;
  if (a->texts->len > G_MAXUINT32 - 64) {
    g_set_error (error, LP_ERROR, LP_ERROR_USAGE, "%s too many values", where);
    return FALSE;
  }
  g_array_append_val (a->values, v);
  g_array_append_val (a->offsets, offset);
  append_value_text (a->texts, a, v);
  g_string_append_c (a->texts, '\0');
  return TRUE;
}

/* "A..B/STEP": every value from A to B, STEP apart. */
static gboolean
add_range (LpSweep *sw, LpAxis *a, const char *spec, const char *where, GError **error)
{
  const char *dots = strstr (spec, "..");
  g_autofree char *from_text = g_strndup (spec, (gsize) (dots - spec));
  const char *slash = strchr (dots + 2, '/'); /* the step's: a '/' before ".." is A's */
  g_autofree char *to_text = slash ? g_strndup (dots + 2, (gsize) (slash - dots - 2)) : NULL;
  double from = 0, to = 0, step = 0, n;
  GError *cause = NULL;

  gboolean words = a->type == LP_VALUE_BOOL || a->type == LP_VALUE_CHOICE;

  if (words || slash == NULL) {
    g_set_error (error, LP_ERROR, LP_ERROR_USAGE, "%s expected a list A,B,C or a range A..B/STEP%s",
                 where, slash == NULL && !words ? " (the range has no /STEP)" : "");
    return FALSE;
  }
  if (!value_for (sw, a, from_text, where, &from, error) ||
      !value_for (sw, a, to_text, where, &to, error))
    return FALSE;
  if (!(a->kind == AXIS_USERS ? lp_parse_number (slash + 1, &step, &cause)
                              : lp_ruleset_parse_value (a->type, slash + 1, &step, &cause)))
    return fail_value (where, cause, error);
  n = step > 0 ? floor ((to - from) / step + 1e-9) + 1 : 0;
  if (step <= 0 || to < from || n > LP_SWEEP_MAX_AXIS) {
    g_set_error (error, LP_ERROR, LP_ERROR_USAGE,
                 "%s expected A..B/STEP with A <= B, STEP above 0 "
                 "and at most %u values",
                 where, LP_SWEEP_MAX_AXIS);
    return FALSE;
  }
  if (a->kind == AXIS_USERS && step != floor (step)) {
    g_set_error (error, LP_ERROR, LP_ERROR_USAGE, "%s users step by whole numbers", where);
    return FALSE;
  }
  /* every value lies between the two checked ends, so each is valid too */
  a->range = TRUE;
  a->from = from;
  a->step = step;
  a->n = (guint) n;
  /* x * 1e9 is exact for a whole x below 2^53 / 5^9 (about 4.6e9): then
   * round (x * 1e9) / 1e9 is x */
  a->whole = from == floor (from) && step == floor (step) && fabs (from) <= 4294967296.0 &&
             fabs (from + (n - 1) * step) <= 4294967296.0;
  return TRUE;
}

static gboolean
add_axis (LpSweep *sw, const char *arg, GError **error)
{
  g_autofree char *where = g_strdup_printf ("--vary '%s':", arg);
  const char *eq = strchr (arg, '=');
  LpAxis *a;
  g_auto (GStrv) items = NULL;

  if (eq == NULL || eq == arg || eq[1] == '\0') {
    g_set_error (error, LP_ERROR, LP_ERROR_USAGE, "%s expected KEY=LIST or KEY=FROM..TO/STEP",
                 where);
    return FALSE;
  }
  a = g_new0 (LpAxis, 1);
  a->key = g_strndup (arg, (gsize) (eq - arg));
  a->values = g_array_new (FALSE, FALSE, sizeof (double));
  a->texts = g_string_new (NULL);
  a->offsets = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_ptr_array_add (sw->axes, a);
  for (guint i = 0; i + 1 < sw->axes->len; i++) {
    if (strcmp (axis (sw, i)->key, a->key) == 0) {
      g_set_error (error, LP_ERROR, LP_ERROR_USAGE, "%s %s is varied twice", where, a->key);
      return FALSE;
    }
  }
  if (!axis_key (sw, a, where, error))
    return FALSE;
  if (strstr (eq + 1, "..") != NULL)
    return add_range (sw, a, eq + 1, where, error);
  items = g_strsplit (eq + 1, ",", -1);
  for (guint i = 0; items[i] != NULL; i++) {
    if (!add_value (sw, a, g_strstrip (items[i]), where, error))
      return FALSE;
  }
  return TRUE;
}

/* What the axes change, as slots; everything else folds. */
static void
make_fold (LpSweep *sw)
{
  g_autoptr (GArray) varying = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < sw->axes->len; i++) {
    const LpAxis *a = axis (sw, i);
    if (a->kind == AXIS_SETTING)
      g_array_append_val (varying, sw->targets[i]->slot);
    else if (a->kind == AXIS_SITE_INPUT) /* set site by site from the first row on */
      g_array_append_val (varying, a->input->var->slot);
  }
  sw->planner = lp_planner_new (sw->rs);
  lp_planner_set_choice_only (sw->planner, TRUE); /* a row is its plan's summary */
  lp_planner_set_fold (sw->planner,
                       lp_engine_fold_new (sw->rs, sw->sc, (const guint *) (gpointer) varying->data,
                                           varying->len));
}

/* Points each axis at what it changes in this sweep's own scenario. */
static gboolean
bind (LpSweep *sw, GError **error)
{
  if (!lp_scenario_resolve (sw->sc, sw->rs, error))
    return FALSE;
  sw->targets = g_new0 (LpSetting *, sw->axes->len);
  sw->shown = g_new0 (GString *, sw->axes->len);
  sw->shown_index = g_new0 (guint, sw->axes->len);
  for (guint i = 0; i < sw->axes->len; i++) {
    const LpAxis *a = axis (sw, i);
    sw->shown[i] = g_string_new (NULL);
    sw->shown_index[i] = G_MAXUINT;
    if (a->kind == AXIS_SETTING)
      sw->targets[i] = (LpSetting *) lp_scenario_find_setting (sw->sc, a->setting);
  }
  make_fold (sw);
  return TRUE;
}

LpSweep *
lp_sweep_new (const LpRuleset *rs, LpScenario *sc, const char *const *specs, GError **error)
{
  g_autoptr (LpSweep) sw = g_new0 (LpSweep, 1);

  sw->rs = rs;
  sw->sc = sc;
  sw->axes = g_ptr_array_new_with_free_func (axis_free);
  sw->rows = 1;
  for (guint i = 0; specs != NULL && specs[i] != NULL; i++) {
    guint size;
    if (!add_axis (sw, specs[i], error))
      return NULL;
    size = axis_size (axis (sw, i));
    if ((double) sw->rows * size > LP_MAX_EXACT) {
      g_set_error (error, LP_ERROR, LP_ERROR_USAGE,
                   "--vary '%s': the sweep would have more than "
                   "%.0f rows",
                   specs[i], LP_MAX_EXACT);
      return NULL;
    }
    sw->rows *= size;
  }
  if (sw->axes->len == 0) {
    g_set_error (error, LP_ERROR, LP_ERROR_USAGE,
                 "nothing to sweep: give at least one --vary KEY=SPEC");
    return NULL;
  }
  /* bind the settings the axes created to their slots */
  if (!bind (sw, error))
    return NULL;
  return g_steal_pointer (&sw);
}

LpSweep *
lp_sweep_new_like (const LpSweep *model, LpScenario *sc, GError **error)
{
  g_autoptr (LpSweep) sw = g_new0 (LpSweep, 1);

  sw->rs = model->rs;
  sw->sc = sc;
  sw->axes = g_ptr_array_ref (model->axes);
  sw->rows = model->rows;
  for (guint i = 0; i < sw->axes->len; i++) {
    const LpAxis *a = axis (sw, i);
    if (a->kind == AXIS_SETTING && !ensure_setting (sw, a->setting, error))
      return NULL;
  }
  if (!bind (sw, error))
    return NULL;
  return g_steal_pointer (&sw);
}

static void
apply (LpSweep *sw, guint i, double v)
{
  const LpAxis *a = axis (sw, i);

  switch (a->kind) {
  /* the site is the sweep's own: a plan made (lp_planner_plan()) may share it */
  case AXIS_USERS: lp_scenario_site_mut (sw->sc, a->site)->users = (guint64) v; break;
  case AXIS_SITE_INPUT: {
    LpSite *site = lp_scenario_site_mut (sw->sc, a->site);
    guint k = (guint) a->input->site_index;
    site->values[k] = v;
    if (site->texts[k] == NULL) { /* set from now on: allocates once a sweep */
      site->texts[k] = g_strdup ("");
      site->n_set++;
    }
    break;
  }
  case AXIS_SETTING: sw->targets[i]->value = v; break;
  }
}

/* Passes on the engine's error @local for row @row, prefixed with the row's inputs. */
static gboolean
row_error (LpSweep *sweep, guint64 row, GError *local, GError **error)
{
  g_autoptr (GString) inputs = g_string_new (NULL);

  for (guint i = 0; i < sweep->axes->len; i++)
    g_string_append_printf (inputs, "%s%s=%s", i ? ", " : "", lp_sweep_axis_key (sweep, i),
                            lp_sweep_axis_value (sweep, i, row));
  g_propagate_prefixed_error (error, local, "row %" G_GUINT64_FORMAT " (%s): ", row + 1,
                              inputs->str);
  return FALSE;
}

/* Row @row planned with @planner into @summary. */
static gboolean
plan_row_with (LpSweep *sweep, LpPlanner *planner, guint64 row, LpPlanSummary *summary,
               GError **error)
{
  GError *local = NULL;
  const LpPlan *plan;

  for (guint i = 0; i < sweep->axes->len; i++)
    apply (sweep, i, axis_value_at (axis (sweep, i), value_index (sweep, i, row)));
  plan = lp_planner_replan (planner, sweep->sc, FALSE, &local);
  if (plan == NULL)
    return row_error (sweep, row, local, error);
  lp_plan_summary_set (summary, plan);
  return TRUE;
}

gboolean
lp_sweep_plan_row (LpSweep *sweep, guint64 row, LpPlanSummary *summary, GError **error)
{
  return plan_row_with (sweep, sweep->planner, row, summary, error);
}

/* ---- breakpoints without rows ---- */

gboolean
lp_sweep_finds_pieces (const LpSweep *sweep)
{
  const LpAxis *a = axis (sweep, 0);

  return a->kind == AXIS_USERS && a->range;
}

/* Row @row planned by the stepper, its step points into steps[@k]. */
static gboolean
step_row (LpSweep *sweep, guint64 row, guint k, LpPlanSummary *summary, GError **error)
{
  sweep->steps[k].len = 0;
  lp_planner_set_steps (sweep->stepper, &sweep->steps[k]);
  return plan_row_with (sweep, sweep->stepper, row, summary, error);
}

/* Do @a and @b take the same paths: the same step points, of the same kinds? */
static gboolean
same_paths (const LpSteps *a, const LpSteps *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    if (a->points[i].kind != b->points[i].kind)
      return FALSE;
  return TRUE;
}

/* How many rows after the first a step point that is @x there and moves by
 * @d a row, in a straight line, first changes class: G_MAXUINT64 for never. */
static guint64
rows_to_step (LpStepKind kind, double x, double d, guint64 within)
{
  double c = lp_step_class (kind, x), t;
  guint64 n0;

  if (kind == LP_STEP_LINEAR || d == 0 || !isfinite (x) || !isfinite (d))
    return G_MAXUINT64; /* classes that changed at the next row are caught before */
  switch (kind) {
  case LP_STEP_SIGN: t = -x / d; break;
  case LP_STEP_CEIL: t = ((d > 0 ? c : c - 1) + 1e-9 - x) / d; break;
  case LP_STEP_FLOOR: t = ((d > 0 ? c + 1 : c) - 1e-9 - x) / d; break;
  case LP_STEP_LINEAR:
  default: return G_MAXUINT64;
  }
  if (!(t >= 0) || t > (double) within + 2)
    return G_MAXUINT64;
  /* the formula above finds the crossing; the class function says on which
   * row of the straight line it shows */
  n0 = (guint64) t;
  for (guint64 n = n0 > 1 ? n0 - 1 : 1; n <= n0 + 2; n++)
    if (lp_step_class (kind, x + d * (double) n) != c)
      return n;
  return n0 + 2;
}

/* A ceil() or floor() whose argument moves by 1/LP_FAST_STEP a row or more
 * (remote users rounded up, a staircase of small steps) steps too often to
 * end a piece at each of its steps: its class may change inside a piece, as
 * the formulas that read its value are step points of their own. */
#define LP_FAST_STEP 16

static gboolean
fast_step (LpStepKind kind, double moved, guint64 rows)
{
  return (kind == LP_STEP_CEIL || kind == LP_STEP_FLOOR) &&
         fabs (moved) * LP_FAST_STEP >= (double) rows;
}

/* Is step point @z, @n rows after @a (and @b one row after @a), where a
 * value moving one way only between them would be, and of @a's class (for
 * a fast step, whatever its class)? */
static gboolean
same_way (const LpStepPoint *a, const LpStepPoint *b, const LpStepPoint *z, guint64 n)
{
  double d = b->x - a->x, moved = z->x - a->x;

  if (!isfinite (a->x) || !isfinite (z->x) || !isfinite (b->x))
    return memcmp (&a->x, &z->x, sizeof (double)) == 0 || (isnan (a->x) && isnan (z->x));
  if ((d > 0 && moved < d) || (d < 0 && moved > d))
    return FALSE; /* turned back */
  return fast_step (a->kind, d, 1) || fast_step (a->kind, moved, n) ||
         lp_step_class (a->kind, a->x) == lp_step_class (z->kind, z->x);
}

/* The rows after the first (@n rows on, @z) where the step points that
 * failed same_way() would cross, had they moved in a straight line from @a
 * to @z: the next length to try, below @n. */
static guint64
next_try (const LpSteps *a, const LpSteps *b, const LpSteps *z, guint64 n)
{
  guint64 best = n / 2;

  for (guint i = 0; i < a->len && best > 1; i++) {
    const LpStepPoint *p = &a->points[i];
    const LpStepPoint *q = &z->points[i];
    guint64 m;
    if (same_way (p, &b->points[i], q, n) || p->kind == LP_STEP_LINEAR)
      continue;
    m = rows_to_step (p->kind, p->x, (q->x - p->x) / (double) n, n);
    if (m != G_MAXUINT64 && m >= 1 && m - 1 < n)
      best = MAX (MIN (best, m - 1), 1);
  }
  return best;
}

gboolean
lp_sweep_next_piece (LpSweep *sweep, guint64 row, guint64 end, guint64 *last,
                     LpPlanSummary *summary, GError **error)
{
  guint64 size = axis_size (axis (sweep, 0));
  guint64 block_end = MIN (end, (row / size + 1) * size), n = G_MAXUINT64, try;
  const LpSteps *a, *b, *z;

  g_return_val_if_fail (lp_sweep_finds_pieces (sweep) && row < end, FALSE);
  if (sweep->stepper == NULL) {
    sweep->stepper = lp_planner_new (sweep->rs);
    lp_plan_summary_init (&sweep->probe, sweep->rs, sweep->per_site);
    sweep->probe_set = TRUE;
  }
  *last = row;
  if (!step_row (sweep, row, 0, summary, error))
    return FALSE;
  /* the next row, for how each step point moves; its error, if any, is
   * its own row's */
  if (row + 1 >= block_end || !step_row (sweep, row + 1, 1, &sweep->probe, NULL) ||
      !lp_plan_summary_equal (summary, &sweep->probe))
    return TRUE;
  *last = row + 1;
  a = &sweep->steps[0];
  b = &sweep->steps[1];
  z = &sweep->steps[2];
  if (!same_paths (a, b))
    return TRUE;
  /* a guess: the first row where a step point that is not fast, moving on
   * in a straight line, would change class */
  for (guint i = 0; i < a->len && n > 1; i++) {
    const LpStepPoint *p = &a->points[i];
    const LpStepPoint *q = &b->points[i];
    if (fast_step (p->kind, q->x - p->x, 1))
      continue;
    if (lp_step_class (p->kind, p->x) != lp_step_class (q->kind, q->x))
      n = 1;
    else
      n = MIN (n, rows_to_step (p->kind, p->x, q->x - p->x, block_end - row));
  }
  /* the check: the row @try rows on takes the same paths to the same
   * result, and every step point moved one way only and kept its class;
   * every row between then has that result. Else a shorter piece. */
  try = MIN (n, block_end - row) - 1;
  while (try > 1) {
    gboolean ok = step_row (sweep, row + try, 2, &sweep->probe, NULL) && same_paths (a, z) &&
                  lp_plan_summary_equal (summary, &sweep->probe);
    for (guint i = 0; ok && i < a->len; i++)
      ok = same_way (&a->points[i], &b->points[i], &z->points[i], try);
    if (ok) {
      *last = row + try;
      return TRUE;
    }
    try = same_paths (a, z) ? next_try (a, b, z, try) : try / 2;
  }
  return TRUE;
}

gboolean
lp_break_on_parse (const char *text, LpBreakOn *on, GError **error)
{
  static const struct {
    const char *name;
    LpBreakOn on;
  } kinds[] = { { "design", LP_BREAK_DESIGN },
                { "edition", LP_BREAK_EDITION },
                { "servers", LP_BREAK_SERVERS } };

  if (text == NULL) {
    *on = LP_BREAK_SERVERS;
    return TRUE;
  }
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++) {
    if (strcmp (text, kinds[i].name) == 0) {
      *on = kinds[i].on;
      return TRUE;
    }
  }
  g_set_error (error, LP_ERROR, LP_ERROR_USAGE,
               "--breakpoints: expected design, edition or servers, got '%s'", text);
  return FALSE;
}

const char *
lp_break_on_to_string (LpBreakOn on)
{
  static const char *const names[] = { "none", "servers", "design", "edition" };

  g_return_val_if_fail ((guint) on < G_N_ELEMENTS (names), NULL);
  return names[on];
}

/* With detail (--per-site), each site's design, or its role counts, too. */
static gboolean
same_sites (LpBreakOn on, const LpPlanSummary *a, const LpPlanSummary *b)
{
  guint n_roles = a->rs->roles->len;

  if (a->sites == NULL || b->sites == NULL || on == LP_BREAK_EDITION)
    return TRUE;
  if (a->sites->len != b->sites->len)
    return FALSE;
  for (guint i = 0; i < a->sites->len; i++) {
    const LpSiteSummary *x = &g_array_index (a->sites, LpSiteSummary, i);
    const LpSiteSummary *y = &g_array_index (b->sites, LpSiteSummary, i);
    if (g_strcmp0 (x->design, y->design) != 0)
      return FALSE;
    if (on != LP_BREAK_DESIGN && memcmp (x->roles, y->roles, n_roles * sizeof (guint64)) != 0)
      return FALSE;
  }
  return TRUE;
}

gboolean
lp_break_same_run (LpBreakOn on, const LpPlanSummary *a, const LpPlanSummary *b)
{
  if (!same_sites (on, a, b))
    return FALSE;
  switch (on) {
  case LP_BREAK_DESIGN: return a->feasible == b->feasible && strcmp (a->design, b->design) == 0;
  case LP_BREAK_EDITION: return a->feasible == b->feasible && strcmp (a->edition, b->edition) == 0;
  case LP_BREAK_SERVERS:
  case LP_BREAK_NONE:
  default: return lp_plan_summary_equal (a, b);
  }
}

void
lp_sweep_set_per_site (LpSweep *sweep, gboolean per_site)
{
  sweep->per_site = per_site;
}

guint
lp_sweep_n_sites (const LpSweep *sweep)
{
  return sweep->per_site ? sweep->sc->sites->len : 0;
}

const char *
lp_sweep_site_name (const LpSweep *sweep, guint i)
{
  return ((const LpSite *) g_ptr_array_index (sweep->sc->sites, i))->name;
}
