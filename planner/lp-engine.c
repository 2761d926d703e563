/* lp-engine.c: pairing, sizing, checking and choosing. */
#include "lp-engine.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

#include "lp-error.h"
#include "lp-units.h"

/* Slack for comparing computed figures: formulas divide, counts are whole. */
#define LP_EPSILON 1e-9

/* The suffix of the warm standby site added for a lone site that needs DR
 * (planning model section 2). */
#define LP_WARM_SITE_SUFFIX "-DR"

struct _LpFold {
  /* per expression id: what it specialized to, or NULL when that is a
   * number, which is then in value */
  LpExpr **program;
  double *value;
  guint64 *count; /* per expression id: value as a whole count, or G_MAXUINT64 when it is none */
  guint n_exprs;
  /* the memos' keys without the slots that stay the same from plan to plan
   * (rs->let_inputs, and per template its recovery_inputs): comparing them
   * could only find them equal */
  GArray *let_inputs;
  GArray **recovery_inputs;
  guint n_templates;
};

/* The values a set of formulas read when last evaluated, so a replan
 * evaluates them again only when one of those values changed. */
typedef struct {
  double *key;    /* one per input slot of the set */
  gboolean known; /* the results kept beside it are those of key */
} LpMemo;

/* What the planner remembers of one group of its working plan. */
typedef struct {
  /* per site, paired or not (2 * site + paired): the rule set's [let]
   * values and what they were computed from, shared by the candidates */
  LpMemo lets[4];
  double *lets_values[4];
  /* per template and site of the group (2 * template + site): what the
   * failure table kept in the working plan's sizing was made from */
  LpMemo *recovery;
} LpGroupMemo;

struct _LpPlanner {
  const LpRuleset *rs;
  double *env;   /* lp_symtab_size() slots: every formula reads here */
  LpFold *fold;  /* nullable, owned */
  LpPlan *work;  /* nullable: the plan being made, whose buffers a replan reuses */
  GArray *memos; /* of LpGroupMemo, one per group of work */
};

typedef struct {
  const LpRuleset *rs;
  const LpScenario *sc;
  LpPlan *plan;
  double *env;        /* lp_symtab_size() slots */
  const LpFold *fold; /* nullable */
  LpPlanner *planner; /* nullable (folding): the memos */
  LpGroupMemo *memo;  /* the planner's memos of the group being planned */
  guint64 pools;      /* of the groups planned so far, against LP_PLAN_MAX_SERVERS */
  gboolean report;    /* also what only a report shows: notes and planned rows
                    * (lp_planner_plan()); a replan for a sweep or a summary skips them */
} LpRun;

/* Every formula the engine evaluates goes through here. */
static inline double
ev (const LpRun *run, const LpExpr *expr)
{
  if (run->fold != NULL) {
    guint id = lp_expr_id (expr);
    if (run->fold->program[id] == NULL)
      return run->fold->value[id];
    expr = run->fold->program[id];
  }
  return lp_expr_eval (expr, run->env);
}

static void trace (LpRun *run, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
trace (LpRun *run, const char *format, ...)
{
  va_list args;

  if (run->plan->trace == NULL)
    return;
  va_start (args, format);
  g_ptr_array_add (run->plan->trace, g_strdup_vprintf (format, args));
  va_end (args);
}

static LpPlanSite *
plan_site (LpRun *run, guint i)
{
  return &g_array_index (run->plan->sites, LpPlanSite, i);
}

/* ---- inputs ---- */

static void
init_env (LpRun *run)
{
  const LpEngineSlots *s = &run->rs->slots;
  double *env = run->env;

  memcpy (env, run->rs->defaults, lp_symtab_size (run->rs->symtab) * sizeof (double));
  for (guint i = 0; i < run->sc->settings->len; i++) {
    const LpSetting *set = g_ptr_array_index (run->sc->settings, i);
    env[set->slot] = set->value;
  }
  run->plan->dr = isfinite (env[s->dr_rto]) || isfinite (env[s->dr_rpo]);
  env[s->dr] = run->plan->dr;
}

static void
add_plan_site (LpRun *run, const char *name, guint64 users, double remote, gboolean remote_default,
               gboolean warm)
{
  LpPlanSite ps = { .name = name,
                    .users = users,
                    .remote_percent = remote,
                    .remote_default = remote_default,
                    .partner = -1,
                    .warm = warm };
  g_array_append_val (run->plan->sites, ps);
}

/* "<site>-DR", kept by the plan; reused when a replan names the same site. */
static const char *
warm_name (LpRun *run, const char *site)
{
  GPtrArray *names = run->plan->warm_names;
  gsize len = strlen (site);

  for (guint i = 0; i < names->len; i++) {
    const char *n = g_ptr_array_index (names, i);
    if (strncmp (n, site, len) == 0 && strcmp (n + len, LP_WARM_SITE_SUFFIX) == 0)
      return n;
  }
  g_ptr_array_add (names, g_strconcat (site, LP_WARM_SITE_SUFFIX, NULL));
  return g_ptr_array_index (names, names->len - 1);
}

static void
copy_sites (LpRun *run)
{
  double remote = run->env[run->rs->slots.remote_percent];
  gboolean remote_default = lp_scenario_find_setting (run->sc, "remote-percent") == NULL;

  for (guint i = 0; i < run->sc->sites->len; i++) {
    const LpSite *s = g_ptr_array_index (run->sc->sites, i);
    add_plan_site (run, s->name, s->users, s->remote_set ? s->remote_percent : remote,
                   !s->remote_set && remote_default, FALSE);
  }
}

/* ---- pairing groups (planning model section 2) ---- */

static gboolean
pair (LpRun *run, guint a, guint b, GError **error)
{
  LpPlanSite *sa = plan_site (run, a), *sb = plan_site (run, b);
  const LpSite *site = g_ptr_array_index (run->sc->sites, a);
  const char *where = site->dr_site_where != NULL ? site->dr_site_where : site->where;

  if (sa->partner >= 0 && (guint) sa->partner != b) {
    g_set_error (error, LP_ERROR, LP_ERROR_INPUT,
                 "%s site '%s' would be in two pairs (with '%s' and '%s'); pairs are 1:1", where,
                 sa->name, plan_site (run, sa->partner)->name, sb->name);
    return FALSE;
  }
  if (sb->partner >= 0 && (guint) sb->partner != a) {
    g_set_error (error, LP_ERROR, LP_ERROR_INPUT,
                 "%s site '%s' is already the DR site of '%s'; pairs are 1:1", where, sb->name,
                 plan_site (run, sb->partner)->name);
    return FALSE;
  }
  sa->partner = (gint) b;
  sb->partner = (gint) a;
  return TRUE;
}

static gboolean
pair_named (LpRun *run, GError **error)
{
  for (guint i = 0; i < run->sc->sites->len; i++) {
    const LpSite *s = g_ptr_array_index (run->sc->sites, i);
    if (s->dr_site == NULL)
      continue;
    if (!pair (run, i, (guint) s->dr_index, error))
      return FALSE;
    trace (run, "pairing: %s is paired with its dr-site %s", s->name, s->dr_site);
  }
  return TRUE;
}

/* Pairs what the scenario left unpaired: a lone site gets a warm standby, two
 * sites back each other up, more need their dr-site named. */
static gboolean
pair_unnamed (LpRun *run, GError **error)
{
  guint n = run->plan->sites->len;

  for (guint i = 0; i < n; i++) {
    LpPlanSite *s = plan_site (run, i);
    const LpSite *given = g_ptr_array_index (run->sc->sites, i);
    const char *warm;

    if (s->users == 0 || s->partner >= 0)
      continue;
    if (n == 1) {
      warm = warm_name (run, s->name);
      add_plan_site (run, warm, 0, s->remote_percent, s->remote_default, TRUE);
      trace (run, "pairing: %s is the only site; added the warm standby site %s with 0 users",
             plan_site (run, 0)->name, warm);
      return pair (run, 0, 1, error);
    }
    if (n == 2 && plan_site (run, 1 - i)->partner < 0) {
      trace (run, "pairing: the two sites %s and %s back each other up", s->name,
             plan_site (run, 1 - i)->name);
      return pair (run, i, 1 - i, error);
    }
    g_set_error (error, LP_ERROR, LP_ERROR_INPUT,
                 "%s site '%s' has no dr-site: disaster recovery is required (dr-rto or dr-rpo "
                 "is set) and with %u sites each site with users must name its DR site",
                 given->where, s->name, n);
    return FALSE;
  }
  return TRUE;
}

/* Forgets what the planner remembers of a group, keeping nothing. */
static void
group_memo_clear (LpGroupMemo *m, guint n_templates)
{
  for (guint i = 0; i < G_N_ELEMENTS (m->lets); i++) {
    g_free (m->lets[i].key);
    g_free (m->lets_values[i]);
  }
  for (guint i = 0; m->recovery != NULL && i < 2 * n_templates; i++)
    g_free (m->recovery[i].key);
  g_free (m->recovery);
  memset (m, 0, sizeof *m);
}

/* Drops the working plan's groups from @n on, and the planner's memos of them. */
static void
truncate_groups (LpRun *run, guint n)
{
  GArray *groups = run->plan->groups, *memos = run->planner->memos;
  guint n_templates = run->rs->templates->len;

  while (groups->len > n) {
    lp_group_clear (&g_array_index (groups, LpGroup, groups->len - 1), n_templates);
    g_array_set_size (groups, groups->len - 1);
  }
  for (guint i = n; i < memos->len; i++)
    group_memo_clear (&g_array_index (memos, LpGroupMemo, i), n_templates);
  if (memos->len > n)
    g_array_set_size (memos, n);
}

/* Group @index of the plan: the one a previous plan left there when it has
 * the same sites (its buffers, and the planner's memos of it, are reused),
 * else a new one. */
static void
add_group (LpRun *run, guint index, guint a, gint b)
{
  GArray *groups = run->plan->groups;
  LpGroup fresh = { .sites = { a, b >= 0 ? (guint) b : 0 }, .n_sites = b >= 0 ? 2 : 1 };
  LpGroup *g;

  if (index < groups->len) {
    g = &g_array_index (groups, LpGroup, index);
    if (g->n_sites != fresh.n_sites || g->sites[0] != fresh.sites[0] ||
        g->sites[1] != fresh.sites[1]) {
      lp_group_clear (g, run->rs->templates->len);
      *g = fresh;
      group_memo_clear (&g_array_index (run->planner->memos, LpGroupMemo, index),
                        run->rs->templates->len);
    }
  } else {
    g_array_append_val (groups, fresh);
    g = &g_array_index (groups, LpGroup, index);
    g_array_set_size (run->planner->memos, groups->len);
  }
  g->empty = TRUE;
  for (guint i = 0; i < g->n_sites; i++) {
    plan_site (run, g->sites[i])->group = index;
    g->empty &= plan_site (run, g->sites[i])->users == 0;
  }
  if (g->candidates == NULL)
    g->candidates = g_new0 (LpCandidate, run->rs->templates->len);
}

static gboolean
make_groups (LpRun *run, GError **error)
{
  guint n = 0;

  if (!run->plan->dr) {
    trace (run, "pairing: no disaster recovery required (dr-rto and dr-rpo unset): each site "
                "is planned on its own");
  } else if (!pair_named (run, error) || !pair_unnamed (run, error)) {
    return FALSE;
  }
  for (guint i = 0; i < run->plan->sites->len; i++) {
    gint partner = plan_site (run, i)->partner;
    if (partner < 0 || (guint) partner > i)
      add_group (run, n++, i, partner);
  }
  truncate_groups (run, n);
  return TRUE;
}

/* ---- sizing one site for one candidate (planning model section 4) ---- */

static char *
names_with_values (LpRun *run, const LpExpr *expr)
{
  guint n = 0;
  const guint *slots = lp_expr_names (expr, &n);
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < n; i++) {
    g_autofree char *v = lp_format_decimal (run->env[slots[i]], 4);
    g_string_append_printf (s, "%s%s %s", i > 0 ? ", " : "",
                            lp_symtab_name (run->rs->symtab, slots[i]), v);
  }
  return g_string_free (s, FALSE);
}

static void
trace_formula (LpRun *run, const char *prefix, const LpFormula *f, double value)
{
  /* checked before any g_autofree local exists: untraced plans free nothing here */
  if (run->plan->trace == NULL)
    return;
  g_autofree char *text = lp_expr_to_string (f->expr, run->rs->symtab);
  g_autofree char *names = names_with_values (run, f->expr);
  g_autofree char *v = lp_format_decimal (value, 4);
  trace (run, "%s%s = %s = %s%s%s%s [%s]", prefix, f->name, text, v, names[0] ? " (" : "", names,
         names[0] ? ")" : "", f->where);
}

static inline gboolean
same_bits (double a, double b)
{
  guint64 x, y;

  memcpy (&x, &a, sizeof x);
  memcpy (&y, &b, sizeof y);
  return x == y;
}

/* Are the results kept with @memo those of the values the environment has
 * now at @inputs? Formulas read nothing but their slots, so results made
 * from the same values, bit for bit, are the same results. Records the
 * values when they differ; the caller sets known once it has the results. */
static gboolean
memo_current (LpMemo *memo, const GArray *inputs, const double *env)
{
  const guint *slots = (const guint *) (gpointer) inputs->data;
  guint n = inputs->len, i = 0;

  if (memo->key == NULL)
    memo->key = g_new (double, MAX (n, 1));
  if (memo->known) {
    while (i < n && same_bits (env[slots[i]], memo->key[i]))
      i++;
    if (i == n)
      return TRUE;
  }
  for (; i < n; i++)
    memo->key[i] = env[slots[i]];
  memo->known = FALSE;
  return FALSE;
}

static G_GNUC_NO_INLINE gboolean
let_error (const LpFormula *f, const char *site, double v, GError **error)
{
  g_set_error (error, LP_ERROR, LP_ERROR_RULES,
               "%s: [let] %s: gives %s for site %s: a [let] value must be a finite number",
               f->where, f->name, isnan (v) ? "no number (0 / 0?)" : "infinity (a division by 0?)",
               site);
  return FALSE;
}

/* A [let] that gives NaN or infinity is an error here, where its rule is
 * known, rather than a value later formulas would absorb or pass on. */
static gboolean
eval_lets (LpRun *run, const GPtrArray *lets, const char *prefix, const char *site, GError **error)
{
  for (guint i = 0; i < lets->len; i++) {
    const LpFormula *f = g_ptr_array_index (lets, i);
    double v = ev (run, f->expr);
    if (G_UNLIKELY (!isfinite (v)))
      return let_error (f, site, v, error);
    run->env[f->slot] = v;
    trace_formula (run, prefix, f, v);
  }
  return TRUE;
}

/* The rule set's [let] formulas for one site: they read the site's slots,
 * not the template's, so the candidates after the first (and the next plan
 * while nothing they read changes) take the values kept in @memo. */
static gboolean
eval_rule_lets (LpRun *run, LpMemo *memo, double **values, const char *prefix, const char *site,
                GError **error)
{
  const GPtrArray *lets = run->rs->lets;

  if (!memo_current (memo, run->fold != NULL ? run->fold->let_inputs : run->rs->let_inputs,
                     run->env)) {
    if (!eval_lets (run, lets, prefix, site, error))
      return FALSE;
    if (*values == NULL)
      *values = g_new (double, MAX (lets->len, 1));
    for (guint i = 0; i < lets->len; i++)
      (*values)[i] = run->env[((const LpFormula *) g_ptr_array_index (lets, i))->slot];
    memo->known = TRUE;
    return TRUE;
  }
  for (guint i = 0; i < lets->len; i++) {
    const LpFormula *f = g_ptr_array_index (lets, i);
    run->env[f->slot] = (*values)[i];
    trace_formula (run, prefix, f, run->env[f->slot]);
  }
  return TRUE;
}

static G_GNUC_NO_INLINE gboolean
count_error (const LpFormula *f, const char *group, const char *site, double v, GError **error)
{
  g_autofree char *text = lp_format_decimal (v, 6);

  g_set_error (error, LP_ERROR, LP_ERROR_RULES,
               "%s: [%s] %s: gives %s for site %s: a server count must be a whole number, "
               "0 or more",
               f->where, group, f->name, isfinite (v) ? text : "no number (a division by 0?)",
               site);
  return FALSE;
}

static gboolean
eval_count (LpRun *run, const LpFormula *f, const char *group, const char *site, guint64 *out,
            GError **error)
{
  double v, r;

  if (run->fold != NULL) { /* a folded count was checked when the fold was made */
    guint id = lp_expr_id (f->expr);
    if (run->fold->program[id] == NULL && run->fold->count[id] != G_MAXUINT64) {
      *out = run->fold->count[id];
      return TRUE;
    }
  }
  v = ev (run, f->expr);
  r = lp_round (v);

  if (!isfinite (v) || v < -LP_EPSILON || fabs (v - r) > 1e-6 || r > LP_MAX_EXACT)
    return count_error (f, group, site, v, error);
  *out = (guint64) r;
  return TRUE;
}

static gboolean
eval_duration (LpRun *run, const LpFailure *f, const char *what, LpExpr *expr, double *out,
               GError **error)
{
  double v = ev (run, expr);

  if (isnan (v) || v < 0 || isinf (v)) {
    g_set_error (error, LP_ERROR, LP_ERROR_RULES,
                 "%s: [failure %s] %s: gives %s: a recovery time must be 0 or more", f->where,
                 f->id, what, isnan (v) || isinf (v) ? "no number" : "a negative time");
    return FALSE;
  }
  *out = v;
  return TRUE;
}

/* The steps of @f that apply, their minutes, and the RTO: the response time
 * of a manual row plus the steps that restore service. */
static gboolean
eval_steps (LpRun *run, const LpFailure *f, LpFailureResult *r, GError **error)
{
  r->rto = r->response;
  for (guint i = 0; i < f->n_steps; i++) {
    const LpFailureStep *step = &f->steps[i];
    char what[32];
    if (step->when != NULL && ev (run, step->when) == 0)
      continue;
    r->step_minutes[i] = ev (run, step->minutes);
    if (!(r->step_minutes[i] >= 0 && isfinite (r->step_minutes[i]))) {
      g_snprintf (what, sizeof what, "step-%u-minutes", step->number);
      return eval_duration (run, f, what, step->minutes, &r->step_minutes[i], error);
    }
    r->step_applies |= 1u << i;
    if (!step->after)
      r->rto += r->step_minutes[i];
  }
  return TRUE;
}

static gboolean
eval_failure (LpRun *run, const LpFailure *f, LpFailureResult *r, GError **error)
{
  r->applies = f->applies == NULL || ev (run, f->applies) != 0;
  if (!r->applies)
    return TRUE;
  r->automatic = ev (run, f->automatic) != 0;
  if (!r->automatic && !eval_duration (run, f, "response", f->response, &r->response, error))
    return FALSE;
  return eval_steps (run, f, r, error) && eval_duration (run, f, "rpo", f->rpo, &r->rpo, error);
}

/* Keeps the row @k as the worst of its scope when it is. */
static void
take_worst (LpSiteSizing *z, const LpFailure *f, guint k, gboolean *have_component,
            gboolean *have_site)
{
  const LpFailureResult *r = &z->failures[k];

  if (f->scope == LP_FAILURE_COMPONENT) {
    if (!*have_component || r->rto > z->server_failure_rto)
      z->worst_component = k;
    z->server_failure_rto = MAX (*have_component ? z->server_failure_rto : 0, r->rto);
    z->server_failure_rpo = MAX (*have_component ? z->server_failure_rpo : 0, r->rpo);
    *have_component = TRUE;
  } else if (f->scope == LP_FAILURE_SITE) {
    if (!*have_site || r->rto > z->site_loss_rto)
      z->site_row = k;
    z->site_loss_rto = MAX (*have_site ? z->site_loss_rto : 0, r->rto);
    z->site_loss_rpo = MAX (*have_site ? z->site_loss_rpo : 0, r->rpo);
    *have_site = TRUE;
  }
}

/* Evaluates the failure rows of template @t into @z's table and takes the
 * server-failure and site-loss figures from it. */
static gboolean
eval_failure_table (LpRun *run, guint t, LpSiteSizing *z, const char *site, GError **error)
{
  gboolean have_component = FALSE, have_site = FALSE;

  if (z->failures == NULL)
    z->failures = g_new0 (LpFailureResult, run->rs->failures->len);
  else
    memset (z->failures, 0, run->rs->failures->len * sizeof (LpFailureResult));
  for (guint k = 0; k < run->rs->failures->len; k++) {
    const LpFailure *f = g_ptr_array_index (run->rs->failures, k);
    if (!f->for_template[t] || f->scope == LP_FAILURE_PLANNED)
      continue;
    if (!eval_failure (run, f, &z->failures[k], error))
      return FALSE;
    if (z->failures[k].applies)
      take_worst (z, f, k, &have_component, &have_site);
  }
  if (!have_component || !have_site) {
    const LpTemplate *tmpl = g_ptr_array_index (run->rs->templates, t);
    g_set_error (error, LP_ERROR, LP_ERROR_RULES,
                 "%s: no [failure] row of scope %s applies to %s at site %s", run->rs->path,
                 have_component ? "site" : "component", tmpl->id, site);
    return FALSE;
  }
  return TRUE;
}

/* The failure table of site @i of the group for template @t: the
 * server-failure figures are the worst single-component row, the site-loss
 * figures the site row, so the table and the requirement checks are the same
 * numbers. @z keeps the table while what its rows read stays the same. */
static gboolean
eval_recovery (LpRun *run, guint t, guint i, LpSiteSizing *z, const char *site, GError **error)
{
  const LpEngineSlots *s = &run->rs->slots;
  const LpTemplate *tmpl = g_ptr_array_index (run->rs->templates, t);
  LpMemo *memo;

  if (run->memo->recovery == NULL)
    run->memo->recovery = g_new0 (LpMemo, 2 * run->rs->templates->len);
  memo = &run->memo->recovery[2 * t + i];
  for (guint r = 0; r < run->rs->roles->len; r++)
    run->env[s->role_counts[r]] = (double) z->roles[r];
  if (!memo_current (memo,
                     run->fold != NULL ? run->fold->recovery_inputs[t] : tmpl->recovery_inputs,
                     run->env)) {
    if (!eval_failure_table (run, t, z, site, error))
      return FALSE;
    memo->known = TRUE;
  }
  for (guint k = 0; run->report && k < tmpl->planned_rows->len; k++) {
    guint row = g_array_index (tmpl->planned_rows, guint, k);
    memset (&z->failures[row], 0, sizeof z->failures[row]);
    if (!eval_failure (run, g_ptr_array_index (run->rs->failures, row), &z->failures[row], error))
      return FALSE;
  }
  run->env[s->server_failure_rto] = z->server_failure_rto;
  run->env[s->server_failure_rpo] = z->server_failure_rpo;
  run->env[s->site_loss_rto] = z->site_loss_rto;
  run->env[s->site_loss_rpo] = z->site_loss_rpo;
  return TRUE;
}

static gboolean
size_pools (LpRun *run, const LpTemplate *t, LpSiteSizing *z, const char *site, GError **error)
{
  const LpPoolRule *p = &t->pools;
  LpFormula count = { .name = "count", .where = t->display, .expr = p->count };

  if (!p->defined)
    return TRUE;
  if (p->count == NULL)
    z->pools = z->roles[p->role];
  else if (!eval_count (run, &count, "pools", site, &z->pools, error))
    return FALSE;
  z->pool_users = z->pools > 0 ? run->env[run->rs->slots.users] / (double) z->pools : 0;
  z->pool_capacity = ev (run, p->capacity);
  z->same_site_pairs = p->same_site_pairs != NULL && ev (run, p->same_site_pairs) != 0;
  return TRUE;
}

static void
set_site_slots (LpRun *run, const LpGroup *g, guint i, gboolean paired)
{
  const LpEngineSlots *s = &run->rs->slots;
  const LpPlanSite *site = plan_site (run, g->sites[i]);
  const LpPlanSite *partner = paired ? plan_site (run, g->sites[1 - i]) : NULL;

  run->env[s->users] = (double) site->users;
  run->env[s->remote_percent] = site->remote_percent;
  run->env[s->partner_users] = partner != NULL ? (double) partner->users : 0;
  run->env[s->partner_remote_percent] = partner != NULL ? partner->remote_percent : 0;
  run->env[s->paired] = paired;
  run->env[s->first_site] = i == 0;
}

static gboolean
size_roles (LpRun *run, guint i, const LpTemplate *t, LpSiteSizing *z, const char *site,
            GError **error)
{
  g_autofree char *prefix = run->plan->trace ? g_strdup_printf ("%s, site %s: ", t->id, site)
                                             : NULL;
  guint m = 2 * i + (z->paired ? 1 : 0); /* the slots the site's lets read differ with pairing */

  if (!eval_rule_lets (run, &run->memo->lets[m], &run->memo->lets_values[m], prefix, site, error) ||
      !eval_lets (run, t->lets, prefix, site, error))
    return FALSE;
  for (guint r = 0; r < run->rs->roles->len; r++) {
    const LpRole *role = g_ptr_array_index (run->rs->roles, r);
    if (t->roles[r] == NULL)
      continue;
    if (!eval_count (run, t->roles[r], "roles", site, &z->roles[r], error))
      return FALSE;
    trace_formula (run, prefix, t->roles[r], (double) z->roles[r]);
    if (role->appliance)
      z->appliances += z->roles[r];
    else if (role->reverse_proxy)
      z->reverse_proxies += z->roles[r];
    else
      z->servers += z->roles[r];
    if (run->sc->prices != NULL)
      z->cost += (double) z->roles[r] * lp_prices_unit (run->sc->prices, r);
  }
  if (run->sc->prices == NULL)
    z->cost = (double) (z->servers + z->appliances + z->reverse_proxies);
  return TRUE;
}

/* ---- requirement checks (planning model section 5) ---- */

static void
check_site (LpRun *run, const LpCheck *k, LpCheckResult *out)
{
  double target = ev (run, k->target);
  double achieved = ev (run, k->achieved);
  gboolean met = k->at_least ? achieved >= target - LP_EPSILON : achieved <= target + LP_EPSILON;
  double shortfall = 0;

  if (!met)
    shortfall = k->shortfall != NULL ? ev (run, k->shortfall)
                                     : (k->at_least ? target - achieved : achieved - target);
  /* keep the worst site: a miss over a pass, a larger miss, a closer pass */
  if (out->applies && !out->met && (met || shortfall <= out->shortfall))
    return;
  if (out->applies && out->met && met &&
      (k->at_least ? achieved >= out->achieved : achieved <= out->achieved))
    return;
  *out = (LpCheckResult){
    .applies = TRUE, .met = met, .target = target, .achieved = achieved, .shortfall = shortfall
  };
}

static void
eval_checks (LpRun *run, LpCandidate *c)
{
  for (guint k = 0; k < run->rs->checks->len; k++) {
    const LpCheck *check = g_ptr_array_index (run->rs->checks, k);
    if (check->applies != NULL && ev (run, check->applies) == 0)
      continue;
    check_site (run, check, &c->checks[k]);
  }
}

static void
trace_recovery (LpRun *run, const LpTemplate *t, const LpSiteSizing *z, const char *site)
{
  const LpFailure *worst, *lost;
  g_autofree char *sf_rto = NULL, *sf_rpo = NULL, *sl_rto = NULL, *sl_rpo = NULL;

  if (run->plan->trace == NULL)
    return;
  worst = g_ptr_array_index (run->rs->failures, z->worst_component);
  lost = g_ptr_array_index (run->rs->failures, z->site_row);
  sf_rto = lp_format_duration (z->server_failure_rto);
  sf_rpo = lp_format_duration (z->server_failure_rpo);
  sl_rto = lp_format_duration (z->site_loss_rto);
  sl_rpo = lp_format_duration (z->site_loss_rpo);
  trace (run,
         "%s, site %s: server failure recovers in %s losing up to %s (worst: %s) [%s]; "
         "site loss in %s losing up to %s [%s]",
         t->id, site, sf_rto, sf_rpo, worst->label, worst->where, sl_rto, sl_rpo, lost->where);
}

static void
tally_checks (LpRun *run, LpCandidate *c)
{
  for (guint k = 0; k < run->rs->checks->len; k++) {
    if (!c->checks[k].applies || c->checks[k].met)
      continue;
    c->n_missed++;
    c->shortfall += c->checks[k].shortfall;
  }
  c->feasible = c->n_missed == 0;
}

/* ---- candidates (planning model section 3) ---- */

static const char *
excluded_reason (LpRun *run, const LpTemplate *t)
{
  const char *edition = run->rs->edition_by_choice[(guint) run->env[run->rs->slots.edition]];

  if (edition != NULL && strcmp (t->edition, edition) != 0)
    return "not the edition the scenario asks for";
  if (t->applies != NULL && ev (run, t->applies) == 0)
    return run->plan->dr ? "does not apply to this scenario"
                         : "applies only with disaster recovery";
  return NULL;
}

/* Zeroes what every plan makes afresh, keeping (or making) the role
 * buffer. The recovery figures and failure table stay: eval_recovery makes
 * them again when what the table read changed. */
static void
reset_sizing (LpRun *run, LpSiteSizing *z)
{
  z->servers = z->appliances = z->reverse_proxies = 0;
  z->cost = 0;
  z->notes = 0;
  z->empty = z->paired = FALSE;
  z->pools = 0;
  z->pool_users = z->pool_capacity = 0;
  z->same_site_pairs = FALSE;
  if (z->roles == NULL)
    z->roles = g_new0 (guint64, run->rs->roles->len);
  else
    memset (z->roles, 0, run->rs->roles->len * sizeof (guint64));
}

/* Zeroes a candidate, keeping (or making) its buffers. */
static void
reset_candidate (LpRun *run, LpCandidate *c, guint n_sites)
{
  LpCheckResult *checks = c->checks;
  LpSiteSizing *sites = c->sites;

  memset (c, 0, sizeof *c);
  c->checks = checks != NULL ? checks : g_new0 (LpCheckResult, run->rs->checks->len);
  c->sites = sites != NULL ? sites : g_new0 (LpSiteSizing, n_sites);
  if (checks != NULL)
    memset (checks, 0, run->rs->checks->len * sizeof (LpCheckResult));
  for (guint i = 0; i < n_sites; i++)
    reset_sizing (run, &c->sites[i]);
}

/* Which of the template's notes apply at the site just sized, and the
 * values of their {EXPR}s (formatted only when a writer asks: a sweep
 * allocates nothing for them). */
static void
eval_notes (LpRun *run, const LpTemplate *t, LpSiteSizing *z)
{
  if (z->note_values == NULL)
    z->note_values = g_new0 (double, MAX (1, t->n_note_values));
  for (guint k = 0; k < t->notes->len; k++) {
    const LpNote *n = g_ptr_array_index (t->notes, k);
    if (n->applies != NULL && ev (run, n->applies) == 0)
      continue;
    z->notes |= (guint64) 1 << k;
    for (guint x = 0; x < n->exprs->len; x++)
      z->note_values[n->first + x] = ev (run, g_ptr_array_index (n->exprs, x));
  }
}

static gboolean
size_site (LpRun *run, LpCandidate *c, LpGroup *g, guint i, gboolean paired, guint t,
           GError **error)
{
  LpSiteSizing *z = &c->sites[i];
  const LpPlanSite *site = plan_site (run, g->sites[i]);

  reset_sizing (run, z);
  z->paired = paired;
  set_site_slots (run, g, i, paired);
  if (site->users == 0 && !paired) {
    z->empty = TRUE;
    trace (run, "%s, site %s: no users and nobody's partner: gets nothing", c->tmpl->id,
           site->name);
    return TRUE;
  }
  if (!size_roles (run, i, c->tmpl, z, site->name, error) ||
      !size_pools (run, c->tmpl, z, site->name, error) ||
      !eval_recovery (run, t, i, z, site->name, error))
    return FALSE;
  trace_recovery (run, c->tmpl, z, site->name);
  eval_checks (run, c);
  if (run->report)
    eval_notes (run, c->tmpl, z);
  c->servers += z->servers;
  c->appliances += z->appliances;
  c->reverse_proxies += z->reverse_proxies;
  c->cost += z->cost;
  return TRUE;
}

static gboolean
size_candidate (LpRun *run, LpGroup *g, guint t, GError **error)
{
  LpCandidate *c = &g->candidates[t];
  gboolean paired;

  reset_candidate (run, c, g->n_sites);
  c->tmpl = g_ptr_array_index (run->rs->templates, t);
  set_site_slots (run, g, 0, g->n_sites == 2);
  c->excluded = excluded_reason (run, c->tmpl);
  if (c->excluded != NULL) {
    trace (run, "%s: not considered: %s", c->tmpl->id, c->excluded);
    return TRUE;
  }
  paired = g->n_sites == 2 && c->tmpl->paired != NULL && ev (run, c->tmpl->paired) != 0;
  for (guint i = 0; i < g->n_sites; i++) {
    if (!size_site (run, c, g, i, paired, t, error))
      return FALSE;
    if (c->excluded == NULL && !c->sites[i].empty && c->tmpl->exclude != NULL &&
        ev (run, c->tmpl->exclude) != 0) {
      c->excluded = c->tmpl->exclude_reason;
      c->over_limit = TRUE;
      trace (run, "%s: not considered: %s", c->tmpl->id, c->excluded);
    }
  }
  tally_checks (run, c);
  return TRUE;
}

/* Is @a a better choice than @b? Cost, then fewer appliances; when neither
 * meets every requirement, fewer misses and a smaller shortfall come first.
 * Equal candidates keep the rule set's order. */
static gboolean
better (const LpCandidate *a, const LpCandidate *b)
{
  if (a->feasible != b->feasible)
    return a->feasible;
  if (!a->feasible && a->n_missed != b->n_missed)
    return a->n_missed < b->n_missed;
  if (!a->feasible && fabs (a->shortfall - b->shortfall) > LP_EPSILON)
    return a->shortfall < b->shortfall;
  if (fabs (a->cost - b->cost) > LP_EPSILON)
    return a->cost < b->cost;
  return a->appliances < b->appliances;
}

/* Returns: (transfer full): why each template of @g was left out (every one
 * was): "standard-single: REASON; ...". */
static char *
exclusions_text (LpRun *run, const LpGroup *g)
{
  GString *out = g_string_new (NULL);

  for (guint t = 0; t < run->rs->templates->len; t++)
    g_string_append_printf (out, "%s%s: %s", t > 0 ? "; " : "", g->candidates[t].tmpl->id,
                            g->candidates[t].excluded);
  return g_string_free (out, FALSE);
}

static gboolean
choose (LpRun *run, LpGroup *g, const char *label, GError **error)
{
  gint best = -1;
  gboolean considered;

  for (guint t = 0; t < run->rs->templates->len; t++) {
    const LpCandidate *c = &g->candidates[t];
    if (c->excluded == NULL && (best < 0 || better (c, &g->candidates[best])))
      best = (gint) t;
  }
  considered = best >= 0;
  /* every design left out: the best of those past a limit of their own */
  for (guint t = 0; !considered && t < run->rs->templates->len; t++) {
    const LpCandidate *c = &g->candidates[t];
    if (c->over_limit && (best < 0 || better (c, &g->candidates[best])))
      best = (gint) t;
  }
  if (best < 0) {
    g_autofree char *why = exclusions_text (run, g);
    g_autofree char *sites =
      lp_plan_group_label (run->plan, (guint) (g - (LpGroup *) (gpointer) run->plan->groups->data));
    g_set_error (error, LP_ERROR, LP_ERROR_INPUT, "no design in %s can be considered for %s: %s",
                 run->rs->path, sites, why);
    return FALSE;
  }
  g->chosen = (guint) best;
  /* a design past its limit is shown when every other is left out, meeting nothing */
  g->feasible = g->candidates[best].feasible && g->candidates[best].excluded == NULL;
  trace (run,
         "group %s: chose %s (%" G_GUINT64_FORMAT " servers, %" G_GUINT64_FORMAT " appliances): %s",
         label, g->candidates[best].tmpl->id, g->candidates[best].servers,
         g->candidates[best].appliances,
         g->feasible
           ? "the cheapest design that meets every requirement"
           : "no design meets every requirement; this one misses the fewest, by the least");
  return TRUE;
}

static void
trace_candidate (LpRun *run, const LpCandidate *c)
{
  GString *missed;

  if (run->plan->trace == NULL || c->excluded != NULL)
    return;
  missed = g_string_new (NULL);
  for (guint k = 0; k < run->rs->checks->len; k++) {
    const LpCheck *check = g_ptr_array_index (run->rs->checks, k);
    if (c->checks[k].applies && !c->checks[k].met)
      g_string_append_printf (missed, "%s%s", missed->len ? ", " : "", check->id);
  }
  trace (run, "%s: %" G_GUINT64_FORMAT " servers, %" G_GUINT64_FORMAT " appliances; %s%s",
         c->tmpl->id, c->servers, c->appliances,
         c->feasible ? "meets every requirement" : "misses ", missed->str);
  g_string_free (missed, TRUE);
}

/* The best figure any considered candidate reaches for each check: what the
 * plan can promise when no design meets a requirement. */
static void
find_best (LpRun *run, LpGroup *g)
{
  guint n = run->rs->checks->len;
  gboolean fallback = g->candidates[g->chosen].excluded != NULL; /* every design left out */

  if (g->best == NULL) {
    g->best = g_new0 (double, n);
    g->best_by = g_new0 (guint, n);
  }
  for (guint k = 0; k < n; k++) {
    const LpCheck *check = g_ptr_array_index (run->rs->checks, k);
    gboolean found = FALSE;
    for (guint t = 0; t < run->rs->templates->len; t++) {
      const LpCandidate *c = &g->candidates[t];
      double v = c->checks[k].achieved;
      if ((c->excluded != NULL && !(fallback && c->over_limit)) || !c->checks[k].applies)
        continue;
      if (!found || (check->at_least ? v > g->best[k] : v < g->best[k])) {
        g->best[k] = v;
        g->best_by[k] = t;
        found = TRUE;
      }
    }
  }
}

/* Refuses a plan past LP_PLAN_MAX_SERVERS once group @g is added, naming
 * where its first site was given: nothing lists its servers yet. */
static gboolean
check_size (LpRun *run, const LpGroup *g, GError **error)
{
  const LpCandidate *c = &g->candidates[g->chosen];
  const LpSite *site = g_ptr_array_index (run->sc->sites, g->sites[0]);
  guint64 listed = run->plan->servers + run->plan->appliances + run->plan->reverse_proxies;
  g_autofree char *n = NULL, *max = NULL;

  for (guint i = 0; i < g->n_sites; i++)
    run->pools += c->sites[i].pools;
  if (listed <= LP_PLAN_MAX_SERVERS && run->pools <= LP_PLAN_MAX_SERVERS)
    return TRUE;
  n = lp_format_count (listed > LP_PLAN_MAX_SERVERS ? listed : run->pools);
  max = lp_format_count (LP_PLAN_MAX_SERVERS);
  g_set_error (error, LP_ERROR, LP_ERROR_INPUT,
               "%s the plan would have at least %s %s; lyncplan plans at most %s", site->where, n,
               listed > LP_PLAN_MAX_SERVERS ? "servers, appliances and reverse proxies" : "pools",
               max);
  return FALSE;
}

static gboolean
plan_group (LpRun *run, guint gi, GError **error)
{
  LpGroup *g = &g_array_index (run->plan->groups, LpGroup, gi);
  g_autofree char *label = run->plan->trace ? lp_plan_group_label (run->plan, gi) : NULL;

  run->memo = &g_array_index (run->planner->memos, LpGroupMemo, gi);
  for (guint t = 0; t < run->rs->templates->len; t++) {
    if (!size_candidate (run, g, t, error))
      return FALSE;
    trace_candidate (run, &g->candidates[t]);
  }
  if (!choose (run, g, label, error))
    return FALSE;
  find_best (run, g);
  run->plan->servers += g->candidates[g->chosen].servers;
  run->plan->appliances += g->candidates[g->chosen].appliances;
  run->plan->reverse_proxies += g->candidates[g->chosen].reverse_proxies;
  run->plan->cost += g->candidates[g->chosen].cost;
  run->plan->feasible &= g->feasible;
  return check_size (run, g, error);
}

static void
reset_plan (LpPlan *plan, const LpRuleset *rs, const LpScenario *sc, gboolean want_trace)
{
  plan->rs = rs;
  plan->sc = sc;
  plan->feasible = TRUE;
  plan->dr = FALSE;
  plan->servers = plan->appliances = plan->reverse_proxies = 0;
  plan->cost = 0;
  if (plan->sites == NULL) {
    plan->sites = g_array_new (FALSE, TRUE, sizeof (LpPlanSite));
    plan->groups = g_array_new (FALSE, TRUE, sizeof (LpGroup));
    plan->warm_names = g_ptr_array_new_with_free_func (g_free);
  }
  g_array_set_size (plan->sites, 0);
  if (want_trace && plan->trace == NULL)
    plan->trace = g_ptr_array_new_with_free_func (g_free);
  else if (!want_trace)
    g_clear_pointer (&plan->trace, g_ptr_array_unref);
  if (plan->trace != NULL)
    g_ptr_array_set_size (plan->trace, 0);
}

/* ---- folding what a sweep does not vary ---- */

typedef struct {
  LpFold *fold;
  const gboolean *invariant;
  const double *env;
} LpFolding;

static void
fold_expr (LpExpr *expr, gpointer data)
{
  LpFolding *f = data;
  guint id = lp_expr_id (expr);
  LpExpr *program = lp_expr_specialize (expr, f->invariant, f->env);

  double v, r;

  f->fold->count[id] = G_MAXUINT64;
  if (!lp_expr_is_number (program, &f->fold->value[id])) {
    f->fold->program[id] = program;
    return;
  }
  lp_expr_free (program);
  /* a role count that folds to a whole number is checked once, here */
  v = f->fold->value[id];
  r = lp_round (v);
  if (isfinite (v) && v >= -LP_EPSILON && fabs (v - r) <= 1e-6 && r <= LP_MAX_EXACT)
    f->fold->count[id] = (guint64) r;
}

/* The slots of @inputs that are not @invariant. */
static GArray *
varying_slots (const GArray *inputs, const gboolean *invariant)
{
  GArray *kept = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < inputs->len; i++) {
    guint slot = g_array_index (inputs, guint, i);
    if (!invariant[slot])
      g_array_append_val (kept, slot);
  }
  return kept;
}

LpFold *
lp_engine_fold_new (const LpRuleset *rs, const LpScenario *sc, const guint *varying,
                    guint n_varying)
{
  const LpEngineSlots *s = &rs->slots;
  guint n_slots = lp_symtab_size (rs->symtab);
  g_autofree gboolean *invariant = g_new0 (gboolean, n_slots);
  g_autofree double *env = g_new0 (double, n_slots);
  LpFold *fold = g_new0 (LpFold, 1);
  LpPlan scratch = { 0 };
  LpRun run = { .rs = rs, .sc = sc, .plan = &scratch, .env = env };
  LpFolding folding = { .fold = fold, .invariant = invariant, .env = env };

  init_env (&run);
  /* the scenario's and the rule set's values, and the engine's that follow
   * from them alone; never what the engine sets site by site */
  for (guint i = 0; i < rs->vars->len; i++)
    invariant[((LpRuleVar *) g_ptr_array_index (rs->vars, i))->slot] = TRUE;
  invariant[s->remote_percent] = FALSE;
  invariant[s->dr_rto] = invariant[s->dr_rpo] = invariant[s->dr] = TRUE;
  for (guint i = 0; i < n_varying; i++) {
    invariant[varying[i]] = FALSE;
    if (varying[i] == s->dr_rto || varying[i] == s->dr_rpo)
      invariant[s->dr] = FALSE;
  }
  fold->value = g_new0 (double, rs->n_exprs);
  fold->program = g_new0 (LpExpr *, rs->n_exprs);
  fold->count = g_new0 (guint64, rs->n_exprs);
  fold->n_exprs = rs->n_exprs;
  lp_ruleset_foreach_expr ((LpRuleset *) rs, fold_expr, &folding);
  fold->let_inputs = varying_slots (rs->let_inputs, invariant);
  fold->n_templates = rs->templates->len;
  fold->recovery_inputs = g_new0 (GArray *, fold->n_templates);
  for (guint t = 0; t < fold->n_templates; t++)
    fold->recovery_inputs[t] =
      varying_slots (((LpTemplate *) g_ptr_array_index (rs->templates, t))->recovery_inputs,
                     invariant);
  return fold;
}

void
lp_engine_fold_free (LpFold *fold)
{
  if (fold == NULL)
    return;
  for (guint i = 0; i < fold->n_exprs; i++)
    lp_expr_free (fold->program[i]);
  g_free (fold->program);
  g_free (fold->value);
  g_free (fold->count);
  g_array_unref (fold->let_inputs);
  for (guint t = 0; t < fold->n_templates; t++)
    g_array_unref (fold->recovery_inputs[t]);
  g_free (fold->recovery_inputs);
  g_free (fold);
}

LpPlanner *
lp_planner_new (const LpRuleset *rs)
{
  LpPlanner *planner = g_new0 (LpPlanner, 1);

  planner->rs = rs;
  planner->env = g_new0 (double, lp_symtab_size (rs->symtab));
  planner->memos = g_array_new (FALSE, TRUE, sizeof (LpGroupMemo));
  return planner;
}

/* Forgets every memo: they describe the working plan's buffers. */
static void
forget (LpPlanner *planner)
{
  for (guint i = 0; i < planner->memos->len; i++)
    group_memo_clear (&g_array_index (planner->memos, LpGroupMemo, i), planner->rs->templates->len);
  g_array_set_size (planner->memos, 0);
}

void
lp_planner_free (LpPlanner *planner)
{
  if (planner == NULL)
    return;
  forget (planner);
  g_array_unref (planner->memos);
  lp_plan_free (planner->work);
  lp_engine_fold_free (planner->fold);
  g_free (planner->env);
  g_free (planner);
}

void
lp_planner_set_fold (LpPlanner *planner, LpFold *fold)
{
  lp_engine_fold_free (planner->fold);
  planner->fold = fold;
  forget (planner); /* the memos' keys are of other slots now */
}

static const LpPlan *
plan_work (LpPlanner *planner, const LpScenario *sc, gboolean want_trace, gboolean report,
           GError **error)
{
  LpRun run = { .rs = planner->rs,
                .sc = sc,
                .env = planner->env,
                .fold = planner->fold,
                .planner = planner,
                .report = report };

  if (planner->work == NULL)
    planner->work = g_new0 (LpPlan, 1);
  run.plan = planner->work;
  reset_plan (run.plan, run.rs, sc, want_trace);
  init_env (&run);
  copy_sites (&run);
  if (!make_groups (&run, error))
    return NULL;
  for (guint i = 0; i < run.plan->groups->len; i++) {
    if (!plan_group (&run, i, error))
      return NULL;
  }
  return run.plan;
}

const LpPlan *
lp_planner_replan (LpPlanner *planner, const LpScenario *sc, gboolean want_trace, GError **error)
{
  return plan_work (planner, sc, want_trace, FALSE, error);
}

LpPlan *
lp_planner_plan (LpPlanner *planner, const LpScenario *sc, gboolean want_trace, GError **error)
{
  g_autoptr (LpScenario) copy = lp_scenario_copy (sc);
  LpPlan *plan;

  if (plan_work (planner, copy, want_trace, TRUE, error) == NULL)
    return NULL;
  plan = g_steal_pointer (&planner->work);
  plan->sc_copy = g_steal_pointer (&copy);
  forget (planner);
  return plan;
}

LpPlan *
lp_engine_plan (const LpRuleset *rs, const LpScenario *sc, gboolean want_trace, GError **error)
{
  g_autoptr (LpPlanner) planner = lp_planner_new (rs);

  return lp_planner_plan (planner, sc, want_trace, error);
}
