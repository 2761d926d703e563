/* lp-engine.c: pairing, sizing, checking and choosing. */
#include "lp-engine.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

#include "lp-error.h"
#include "lp-shaped.h"
#include "lp-units.h"

/* Slack for comparing computed figures: formulas divide, counts are whole. */
#define LP_EPSILON 1e-9

/* The suffix of the warm standby site added for a lone site that needs DR. */
#define LP_WARM_SITE_SUFFIX "-DR"

/* One of a template's [let]s as a folded replan evaluates it (LpFold.lets):
 * what ev_shared() would look up for it, in one place. */
typedef struct {
  const LpExpr *program; /* NULL when the let folded to value */
  double value;
  gint share; /* its class (share_formulas()), or -1 */
  guint slot;
  guint index; /* in the template's lets: its rule, for an error */
} LpFoldLet;

/* One of a template's live roles (LpFold.live_roles) as a folded replan
 * sizes it (size_fold_roles()): what eval_count() and size_roles() would
 * look up for it, in one place. */
typedef struct {
  const LpFormula *formula;
  const LpExpr *program; /* NULL when the count folded to count */
  guint64 count;         /* G_MAXUINT64: the folded value is no count (an error) */
  gint share;            /* its class (share_formulas()), or -1 */
  guint role;
  guint kind; /* ROLE_SERVER, ROLE_APPLIANCE, ROLE_REVERSE_PROXY */
  /* in LpFold.var_roles: the units of the folded counts before it in
   * LpFold.roles, and whether any role comes before it there */
  guint64 units_before;
  gboolean after_one;
} LpFoldRole;

/* A formula as a folded replan reads it: a slot's value, its program's,
 * or a number (operand()). */
typedef struct {
  gint slot;             /* >= 0: the program reads this slot and does nothing else */
  const LpExpr *program; /* NULL: value */
  double value;
} LpOperand;

/* One of the rule set's checks as a folded replan evaluates it
 * (eval_checks()): those whose applies folds to 0 are left out. */
typedef struct {
  const LpCheck *check;
  guint index;      /* in rs->checks */
  gboolean applies; /* applies is a formula to evaluate (else it holds) */
  LpOperand when, target, achieved;
} LpFoldCheck;

/* A template's live roles whose count folds to a count, summed once
 * (size_fold_roles() without prices). */
typedef struct {
  guint64 *counts; /* per rule-set role: its folded count, 0 for the others */
  guint64 servers, appliances, reverse_proxies;
} LpFoldConst;

/* A template's [pools] as a folded replan reads it (size_pools()): its
 * formulas as operands, each unused where the formula is absent. */
typedef struct {
  LpOperand count, capacity, same_site_pairs;
} LpFoldPools;

enum { ROLE_SERVER, ROLE_APPLIANCE, ROLE_REVERSE_PROXY };

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
  GArray **availability_inputs; /* per template, likewise */
  guint n_templates;
  /* per template: the roles a plan sizes, in rule-set order (guint): those
   * whose count does not fold to 0, which a plan could only find 0 again */
  GArray **live_roles;
  /* per template: the cost at one site of the roles whose count folds to a
   * number, a lower bound of what the template costs a site with users */
  double *min_cost;
  /* per expression id: its class among the templates' lets and role counts
   * (share_formulas()), or -1: the formulas of one class give one value at a
   * site, so a plan evaluates each class once a site of a group */
  gint *share;
  guint n_classes;
  /* per template: its [let]s in order (LpFoldLet), for eval_flat_lets(); and
   * the rule set's */
  GArray **lets;
  GArray *rule_lets;
  /* the same lets as one sequence each (lp_seq_run()), its items in the
   * order of the arrays above */
  LpSeq **let_seqs;
  LpSeq *rule_let_seq;
  GArray **roles;        /* per template: live_roles as LpFoldRole */
  GArray **var_roles;    /* per template: those of roles whose count does not fold */
  double *defaults;      /* the rule set's, and the values of the [let]s known_rule_lets() found */
  GArray *checks;        /* of LpFoldCheck, in rule-set order */
  GArray *rule_let_vary; /* of guint: the rule set's [let]s (index) not known_rule_lets()' */
  GArray *count_roles;   /* of guint: the roles whose count eval_recovery() writes: those
                          * some template sizes, and any whose slot starts other than 0 */
  /* let_inputs reads only what write_site_slots() writes and what nothing
   * writes after init_env(): at a site of a group, pairing given, the rule
   * set's [let]s give the same values all the while the group is planned */
  gboolean lets_fixed;
  /* per template: those of count_roles that a formula a folded replan
   * evaluates may read (count_reads()), which eval_recovery() writes
   * without trace or report; the others no formula reads */
  GArray **count_roles_of;
  /* checks reads only the recovery and downtime figures (eval_checks()) */
  gboolean checks_from_memos;
  LpFoldConst *consts; /* per template: those that do */
  /* per template: its applies and paired fold to numbers, so whether it is
   * left out and whether it pairs read no site's values (size_candidate()) */
  gboolean *fixed_choice;
  LpFoldPools *pools; /* per template */
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
  /* the planner's gen when lets[m] was last found current: with
   * LpFold.lets_fixed, it stays so while the group is planned */
  guint64 lets_gen[4];
  /* per template and site of the group (2 * template + site): what the
   * failure table kept in the working plan's sizing was made from */
  LpMemo *recovery;
  /* likewise what the availability figures were made from */
  LpMemo *availability;
  guint last_chosen; /* 1 + the template the last replan chose, 0 for none */
  /* what the group's sites read (group_inputs_same()) when a replan last
   * planned it whole: while these and the scenario-wide values stay the
   * same, its candidates and choice stay as they are (replan what changed) */
  LpMemo inputs;
  /* with LpFold.checks_from_memos, per template and site of the group
   * (2 * template + site): what each of LpFold.checks found there when
   * last evaluated (applies FALSE: it did not apply), and whether that is
   * known; while the recovery and availability memos hold, it is again */
  LpCheckResult *checks;
  gboolean *checks_known;
} LpGroupMemo;

typedef struct {
  guint slot;
  double value;
} LpGlobal;

/* The site inputs (rs->site_inputs) some site of the plan sets, which
 * set_site_slots() writes site by site, and their scenario's values. Kept
 * by the planner from plan to plan, so that a plan zeroes only the values
 * the last one wrote: every other entry of defaults is 0, which
 * set_partner_inputs() reads for an input no site sets. */
typedef struct {
  guint n;
  guint k[LP_MAX_SITE_INPUTS];
  double defaults[LP_MAX_SITE_INPUTS]; /* by input index: the scenario's value, else 0 */
} LpActive;

struct _LpPlanner {
  const LpRuleset *rs;
  double *env; /* lp_symtab_size() slots: every formula reads here */
  /* the scenario's settings (slot, value) of the last replan, its price
   * list, and whether that replan planned every group: while they stay the
   * same (and so does what init_env() makes of them), a group whose sites
   * read the same values is not planned again */
  GArray *globals; /* of LpGlobal */
  gconstpointer globals_prices;
  gboolean globals_known;
  GArray *site_slots;     /* of guint: the slots set_site_slots() writes at every site
                          * (those of the site inputs some site sets aside: LpActive) */
  GArray *partner_inputs; /* of guint: the site inputs (index) that declare partner = true */
  guint *let_slots;       /* the slot of each of the rule set's [let]s */
  LpActive *active;       /* owned: the last plan's (LpRun.active) */
  /* the rule set's [let]s read nothing the engine sets candidate by
   * candidate (role counts, recovery and downtime figures): at one site of
   * a group they give the same values for every candidate of a plan */
  gboolean lets_site_only;
  /* per class of the fold's shared formulas and site of a group (4 * class
   * + 2 * site + paired): the value and count last evaluated, and the
   * generation (one per group planned) they belong to */
  double *shared_value;
  guint64 *shared_gen;
  guint64 gen;
  gboolean choice_only; /* lp_planner_set_choice_only() */
  gboolean one_shot;    /* lp_engine_plan(): no replan will reuse what a group's
                         * designs not chosen computed, so their failure tables go */
  LpFold *fold;         /* nullable, owned */
  LpPlan *work;         /* nullable: the plan being made, whose buffers a replan reuses */
  GArray *memos;        /* of LpGroupMemo, one per group of work */
  LpSteps *steps;       /* nullable, not owned: lp_planner_set_steps() */
};

typedef struct {
  const LpRuleset *rs;
  const LpScenario *sc;
  LpPlan *plan;
  double *env;           /* lp_symtab_size() slots */
  const LpFold *fold;    /* nullable */
  LpPlanner *planner;    /* nullable (folding): the memos */
  LpGroupMemo *memo;     /* the planner's memos of the group being planned */
  guint64 pools;         /* of the groups planned so far, against LP_PLAN_MAX_SERVERS */
  gboolean same_globals; /* init_env() made what it made for the planner's last replan */
  guint combo;           /* 2 * site + paired of the site being sized: where shared values go */
  gboolean report;       /* also what only a report shows: notes and planned rows
                    * (lp_planner_plan()); a replan for a sweep or a summary skips them */
  LpShaper *shaper;      /* with report: marks the constants that shaped the plan */
  gboolean shaping;      /* sizing the chosen design again for the shaper */
  LpActive *active;      /* the planner's: the site inputs some site sets (copy_sites()) */
  gboolean same_active;  /* they are those of the planner's last replan */
  /* plain_sites(): dr, edge-here, office-web-apps-here and edge-guest-users
   * keep the values init_env() gave them at every site */
  gboolean plain;
  /* pruning by cost (a replan without trace): a candidate stops being sized
   * once its cost passes bound, the cost of the best candidate so far that
   * meets every requirement (INFINITY while there is none) */
  gboolean prune;
  double bound;
  double spent;   /* the cost of the candidate's sites sized before this one */
  gboolean over;  /* the candidate being sized passed bound */
  gboolean fresh; /* the site being sized made its failure table or availability afresh */
  LpSteps *steps; /* nullable: lp_planner_set_steps() */
  /* a group whose values did not change keeps its choice (replan what
   * changed): with prune, and for steps */
  gboolean keep;
  /* set_site_slots()'s last arguments this plan: the slots hold what it
   * wrote for them (nothing else writes those slots) */
  const LpGroup *slots_group;
  guint slots_site;
  gboolean slots_paired;
  /* nullable: the memo of the rule set's [let]s whose values the
   * environment holds, current for this plan (lets_site_only, no trace) */
  const LpMemo *lets_env;
} LpRun;

static void
step_add (LpStepKind kind, double x, gpointer data)
{
  LpSteps *steps = data;

  if (G_UNLIKELY (steps->len == steps->size)) {
    steps->size = MAX (2 * steps->size, 1024);
    steps->points = g_renew (LpStepPoint, steps->points, steps->size);
  }
  steps->points[steps->len++] = (LpStepPoint){ kind, x };
}

/* lp_planner_set_steps(): the formula's step points, then its value. */
static G_GNUC_NO_INLINE double
ev_steps (const LpRun *run, const LpExpr *expr)
{
  double v = lp_expr_eval_steps (expr, run->env, step_add, run->steps);

  step_add (LP_STEP_LINEAR, v, run->steps);
  return v;
}

/* A step point the engine's own code turns on (nothing without steps). */
static inline void
step_point (const LpRun *run, LpStepKind kind, double x)
{
  if (G_UNLIKELY (run->steps != NULL))
    step_add (kind, x, run->steps);
}

/* Every formula the engine evaluates goes through here. */
static inline double
ev (const LpRun *run, const LpExpr *expr)
{
  if (run->fold != NULL) {
    guint id = lp_expr_id (expr);
    if (run->fold->program[id] == NULL)
      return run->fold->value[id];
    expr = run->fold->program[id];
  } else if (G_UNLIKELY (run->steps != NULL)) {
    return ev_steps (run, expr);
  }
  return lp_expr_eval (expr, run->env);
}

/* @o's value in the environment: what ev() gives for its formula. */
static inline double
operand (const LpRun *run, const LpOperand *o)
{
  if (o->slot >= 0)
    return run->env[o->slot];
  return o->program != NULL ? lp_expr_eval (o->program, run->env) : o->value;
}

/* A template's let or role count: as ev(), but a formula of a class
 * another candidate of the group evaluated at this site takes its value. */
static inline double
ev_shared (const LpRun *run, const LpExpr *expr)
{
  if (run->fold != NULL) {
    guint id = lp_expr_id (expr);
    gint c = run->fold->share[id];
    if (run->fold->program[id] == NULL)
      return run->fold->value[id];
    if (c >= 0) {
      guint k = 4 * (guint) c + run->combo;
      LpPlanner *p = run->planner;
      if (p->shared_gen[k] != p->gen) {
        p->shared_value[k] = lp_expr_eval (run->fold->program[id], run->env);
        p->shared_gen[k] = p->gen;
      }
      return p->shared_value[k];
    }
    expr = run->fold->program[id];
  } else if (G_UNLIKELY (run->steps != NULL)) {
    return ev_steps (run, expr);
  }
  return lp_expr_eval (expr, run->env);
}

/* Records @step in a traced plan's trace (the report words it). What the
 * step owns passes to the trace. */
static G_GNUC_NO_INLINE void
trace_add (LpRun *run, const LpTraceStep *step)
{
  g_array_append_vals (run->plan->trace, step, 1);
}

/* trace_add (@run, STEP) in a traced plan; an untraced plan does nothing,
 * not even make the step. */
#define TRACE(run, ...)                                                                            \
  do {                                                                                             \
    if ((run)->plan->trace != NULL)                                                                \
      trace_add ((run), __VA_ARGS__);                                                              \
  } while (0)

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

  memcpy (env, run->fold != NULL ? run->fold->defaults : run->rs->defaults,
          lp_symtab_size (run->rs->symtab) * sizeof (double));
  for (guint i = 0; i < run->sc->settings->len; i++) {
    const LpSetting *set = g_ptr_array_index (run->sc->settings, i);
    env[set->slot] = set->value;
  }
  env[s->dr] = isfinite (env[s->dr_rto]) || isfinite (env[s->dr_rpo]);
  env[s->edge_here] = env[s->owa_here] = 1;
  env[s->edge_guest_users] = env[s->edge_elsewhere] = env[s->owa_elsewhere] = env[s->branch] = 0;
}

/* Scenario site @site's value of the active site input @k (copy_sites()):
 * its own, else the scenario's. */
static inline double
site_value (const LpRun *run, gint site, guint k)
{
  const LpSite *s = g_ptr_array_index (run->sc->sites, site);
  return s->texts[k] != NULL ? s->values[k] : run->active->defaults[k];
}

/* Site @site's value of input @in before any site is sized (the environment
 * holds the scenario's values): its own when @in has site scope and the
 * site sets it, else the scenario's. */
static double
site_input (const LpRun *run, gint site, const LpInput *in)
{
  const LpSite *s = g_ptr_array_index (run->sc->sites, site);

  if (in->site_index >= 0 && s->texts[in->site_index] != NULL)
    return s->values[in->site_index];
  return run->env[in->var->slot];
}

/* Does the scenario (or the site's own dr-rto or dr-rpo) ask for DR there? */
static gboolean
dr_asked (const LpRun *run, gint site)
{
  const LpEngineSlots *s = &run->rs->slots;
  return isfinite (site_input (run, site, s->dr_rto_input)) ||
         isfinite (site_input (run, site, s->dr_rpo_input));
}

static guint
add_plan_site (LpRun *run, const LpPlanSite *from)
{
  LpPlanSite ps = *from;

  ps.partner = -1;
  g_array_append_val (run->plan->sites, ps);
  return run->plan->sites->len - 1;
}

static void
unit_name_free (gpointer p)
{
  LpUnitName *u = p;

  g_free (u->name);
  g_free (u);
}

/* "<site><suffix>" (a warm standby "HQ-DR", a backup pool "HUB-S1"), or with
 * "-2", "-3"... when a site of the scenario or another unit of this run has
 * that name ("HQ-DR-2" beside a site HQ-DR): every site of a plan has a name
 * of its own, and the same scenario gives the same names however it was
 * reached. The plan keeps every name it gave (the sites point at them), so a
 * replan reuses them. Constant time a name. */
static const char *
unit_name (LpRun *run, const char *site, const char *suffix)
{
  GHashTable *names = run->plan->warm_names;
  char stack[128]; /* most names: no allocation a replan */
  g_autofree char *heap = NULL;
  gsize a = strlen (site), b = strlen (suffix), len = a + b + 16; /* room for "-4294967295" */
  char *want = len <= sizeof stack ? stack : (heap = g_malloc (len));

  memcpy (want, site, a);
  memcpy (want + a, suffix, b + 1);
  for (guint n = 2;; n++) {
    LpUnitName *u = g_hash_table_lookup (names, want);
    if (lp_scenario_find_site (run->sc, want) < 0 &&
        (u == NULL || u->serial != run->plan->warm_serial)) {
      if (u == NULL) {
        u = g_new0 (LpUnitName, 1);
        u->name = g_strdup (want);
        g_hash_table_insert (names, u->name, u);
      }
      u->serial = run->plan->warm_serial;
      return u->name;
    }
    g_snprintf (want, len, "%s%s-%u", site, suffix, n);
  }
}

/* Is every site of @sc planned as the scenario's values alone say: no
 * branch, no Edge or Office Web Apps elsewhere, no site of its own DR
 * requirement or opting out, no site holding backup pools? Then the engine's
 * dr, edge-here, office-web-apps-here and edge-guest-users are the same at
 * every site and a fold may take them as numbers. */
static gboolean
plain_sites (const LpRuleset *rs, const LpScenario *sc)
{
  const LpEngineSlots *slots = &rs->slots;
  guint n = sc->sites->len;
  guint8 stack[64];
  g_autofree guint8 *heap = n > G_N_ELEMENTS (stack) ? g_new0 (guint8, n) : NULL;
  guint8 *named = heap != NULL ? heap : memset (stack, 0, sizeof stack);

  for (guint i = 0; i < n; i++) {
    const LpSite *s = g_ptr_array_index (sc->sites, i);
    const LpSiteLink *dr = &s->links[LP_LINK_DR];
    const LpSiteLink *back;
    if (s->branch || s->links[LP_LINK_EDGE].kind != LP_LINK_UNSET ||
        s->links[LP_LINK_OWA].kind != LP_LINK_UNSET || dr->kind == LP_LINK_NONE)
      return FALSE;
    if ((slots->dr_rto_input->site_index >= 0 && s->texts[slots->dr_rto_input->site_index]) ||
        (slots->dr_rpo_input->site_index >= 0 && s->texts[slots->dr_rpo_input->site_index]))
      return FALSE;
    if (dr->kind != LP_LINK_SITE)
      continue;
    /* a site named by two, or named while it names another: a hub */
    if (named[dr->index]++ > 0)
      return FALSE;
    back = &((const LpSite *) g_ptr_array_index (sc->sites, dr->index))->links[LP_LINK_DR];
    if (back->kind == LP_LINK_SITE && back->index != (gint) i)
      return FALSE;
  }
  return TRUE;
}

/* One plan site per scenario site, in order: a branch's users counted at
 * its home site too (Microsoft sizes the home pool's Front End, Edge and
 * Director servers for them), the home's remote share their mix. */
static void
copy_sites (LpRun *run)
{
  const LpInput *remote_in = run->rs->slots.remote_input;
  gboolean remote_default = lp_scenario_find_setting (run->sc, "remote-percent") == NULL;
  guint n = run->sc->sites->len;
  LpActive *act = run->active;
  guint last[LP_MAX_SITE_INPUTS], last_n;

  for (guint i = 0; i < n; i++) {
    const LpSite *s = g_ptr_array_index (run->sc->sites, i);
    gboolean site_default;
    LpPlanSite *ps = plan_site (run, i);
    site_default = s->texts[remote_in->site_index] == NULL;
    *ps = (LpPlanSite){ .name = s->name,
                        .users = s->users,
                        .own_users = s->users,
                        .host = -1,
                        .partner = -1,
                        .scenario = (gint) i,
                        .branch = s->branch,
                        .home = s->branch ? s->links[LP_LINK_HOME].index : -1,
                        .edge_here = TRUE,
                        .owa_here = TRUE,
                        .edge_at = (gint) i,
                        .owa_at = (gint) i,
                        .remote_percent = site_input (run, (gint) i, remote_in),
                        .remote_default = site_default && remote_default };
  }
  run->plain = plain_sites (run->rs, run->sc);
  /* the site inputs some site sets (remote-percent aside: plan sites carry
   * it); the other values stay 0, so only the last plan's are zeroed */
  last_n = act->n;
  for (guint a = 0; a < act->n; a++) {
    act->defaults[act->k[a]] = 0;
    last[a] = act->k[a];
  }
  act->n = 0;
  for (guint i = 0; i < n; i++) {
    const LpSite *s = g_ptr_array_index (run->sc->sites, i);
    for (guint k = 0; s->n_set > 0 && k < s->n_values; k++) {
      gboolean known = k == (guint) remote_in->site_index;
      for (guint a = 0; !known && a < act->n; a++)
        known = act->k[a] == k;
      if (known || s->texts[k] == NULL)
        continue;
      act->k[act->n++] = k;
      act->defaults[k] =
        run->env[((const LpInput *) g_ptr_array_index (run->rs->site_inputs, k))->var->slot];
    }
  }
  run->same_active = act->n == last_n && memcmp (act->k, last, last_n * sizeof *last) == 0;
  for (guint i = 0; i < n; i++) {
    LpPlanSite *b = plan_site (run, i), *home;
    if (!b->branch || b->users == 0)
      continue;
    home = plan_site (run, (guint) b->home);
    home->remote_percent = (home->remote_percent * (double) home->users +
                            b->remote_percent * (double) b->users) /
                           (double) (home->users + b->users);
    home->users += b->users;
    home->remote_default &= b->remote_default;
  }
}

/* ---- pairing groups ---- */

static gboolean
pair (LpRun *run, guint a, guint b, GError **error)
{
  LpPlanSite *sa = plan_site (run, a), *sb = plan_site (run, b);
  const LpSite *site = g_ptr_array_index (run->sc->sites, sa->scenario);
  const char *where = site->links[LP_LINK_DR].where != NULL ? site->links[LP_LINK_DR].where
                                                            : site->where;

  if (sa->partner >= 0 && (guint) sa->partner != b) {
    g_set_error (error, LP_ERROR, LP_ERROR_INPUT,
                 "%s site '%s' would be in two pairs (with '%s' and '%s'); pairs are 1:1", where,
                 sa->name, plan_site (run, sa->partner)->name, sb->name);
    return FALSE;
  }
  sa->partner = (gint) b;
  sb->partner = (gint) a;
  return TRUE;
}

/* Does the site @i need a DR partner: DR asked there, not opted out, not a branch? */
static gboolean
needs_partner (LpRun *run, guint i)
{
  LpPlanSite *ps = plan_site (run, i);
  const LpSite *s = g_ptr_array_index (run->sc->sites, i);

  if (ps->branch || !dr_asked (run, (gint) i))
    return FALSE;
  if (s->links[LP_LINK_DR].kind == LP_LINK_NONE) {
    ps->dr_none = TRUE;
    return FALSE;
  }
  return TRUE;
}

/* A site named as the DR site by one site only, that names no other DR site
 * for itself (or names that one), pairs with it as two sites do; a site
 * named by several (a hub), or by one while its own users have another DR
 * site or none, holds one backup pool for each: Microsoft pairs pools 1:1. */
static gboolean
pair_named (LpRun *run, const gboolean *needs, GError **error)
{
  guint n = run->sc->sites->len;
  g_autofree guint *named_by = g_new0 (guint, n);

  for (guint i = 0; i < n; i++) {
    const LpSite *s = g_ptr_array_index (run->sc->sites, i);
    if (needs[i] && s->links[LP_LINK_DR].kind == LP_LINK_SITE)
      named_by[s->links[LP_LINK_DR].index]++;
  }
  for (guint i = 0; i < n; i++) {
    const LpSite *s = g_ptr_array_index (run->sc->sites, i);
    const LpSiteLink *dr = &s->links[LP_LINK_DR];
    const LpSite *hub;
    guint h;
    gboolean mutual;

    if (!needs[i] || dr->kind != LP_LINK_SITE || plan_site (run, i)->partner >= 0)
      continue;
    h = (guint) dr->index;
    hub = g_ptr_array_index (run->sc->sites, h);
    mutual = hub->links[LP_LINK_DR].kind == LP_LINK_SITE &&
             hub->links[LP_LINK_DR].index == (gint) i;
    if (mutual || (named_by[h] == 1 && hub->links[LP_LINK_DR].kind == LP_LINK_UNSET &&
                   plan_site (run, h)->partner < 0)) {
      if (!pair (run, i, h, error))
        return FALSE;
      TRACE (run, &(LpTraceStep){ .kind = LP_TRACE_PAIRED, .site = s->name, .other = hub->name });
    } else {
      g_autofree char *suffix = g_strconcat ("-", s->name, NULL);
      LpPlanSite backup = *plan_site (run, h);
      guint b;
      backup.name = unit_name (run, hub->name, suffix);
      backup.users = backup.own_users = 0;
      backup.host = (gint) h;
      backup.warm = backup.dr_none = FALSE;
      b = add_plan_site (run, &backup);
      if (!pair (run, i, b, error))
        return FALSE;
      TRACE (run, &(LpTraceStep){ .kind = LP_TRACE_BACKUP_POOL,
                                  .site = s->name,
                                  .other = hub->name,
                                  .unit = backup.name });
    }
  }
  return TRUE;
}

/* Pairs what the scenario left unpaired: a lone site gets a warm standby,
 * two sites back each other up, more need their dr-site named (or none). */
static gboolean
pair_unnamed (LpRun *run, const gboolean *needs, GError **error)
{
  guint n = run->sc->sites->len, central = 0, open = 0;
  gint first = -1, second = -1;

  for (guint i = 0; i < n; i++) {
    const LpSite *s = g_ptr_array_index (run->sc->sites, i);
    if (plan_site (run, i)->branch)
      continue;
    central++;
    /* a site that needs a partner or could be one: not paired, not opted out */
    if (plan_site (run, i)->partner < 0 && s->links[LP_LINK_DR].kind == LP_LINK_UNSET &&
        (needs[i] || !plan_site (run, i)->dr_none)) {
      open++;
      if (first < 0)
        first = (gint) i;
      else if (second < 0)
        second = (gint) i;
    }
  }
  for (guint i = 0; i < n; i++) {
    LpPlanSite *s = plan_site (run, i);
    const LpSite *given = g_ptr_array_index (run->sc->sites, i);

    if (!needs[i] || s->users == 0 || s->partner >= 0)
      continue;
    if (central == 1) {
      LpPlanSite warm = *s;
      warm.name = unit_name (run, s->name, LP_WARM_SITE_SUFFIX);
      warm.users = warm.own_users = 0;
      warm.warm = TRUE;
      TRACE (run,
             &(LpTraceStep){ .kind = LP_TRACE_WARM_STANDBY, .site = s->name, .unit = warm.name });
      return pair (run, i, add_plan_site (run, &warm), error);
    }
    if (open == 2 && second >= 0) {
      TRACE (run, &(LpTraceStep){ .kind = LP_TRACE_MUTUAL,
                                  .site = plan_site (run, (guint) first)->name,
                                  .other = plan_site (run, (guint) second)->name });
      return pair (run, (guint) first, (guint) second, error);
    }
    g_set_error (error, LP_ERROR, LP_ERROR_INPUT,
                 "%s site '%s' has no dr-site: disaster recovery is required (dr-rto or dr-rpo "
                 "is set) and with %u central sites each site with users names its DR site, or "
                 "dr-site = none to plan it without DR",
                 given->where, s->name, central);
    return FALSE;
  }
  return TRUE;
}

/* Forgets what the planner remembers of a group, keeping nothing. */ static void
group_memo_clear (LpGroupMemo *m, guint n_templates)
{
  for (guint i = 0; i < G_N_ELEMENTS (m->lets); i++) {
    g_free (m->lets[i].key);
    g_free (m->lets_values[i]);
  }
  for (guint i = 0; m->recovery != NULL && i < 2 * n_templates; i++)
    g_free (m->recovery[i].key);
  g_free (m->recovery);
  for (guint i = 0; m->availability != NULL && i < 2 * n_templates; i++)
    g_free (m->availability[i].key);
  g_free (m->availability);
  g_free (m->inputs.key);
  g_free (m->checks);
  g_free (m->checks_known);
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
  g->branch = plan_site (run, a)->branch;
  for (guint i = 0; i < g->n_sites; i++) {
    plan_site (run, g->sites[i])->group = index;
    g->empty &= plan_site (run, g->sites[i])->users == 0;
  }
  if (g->candidates == NULL)
    g->candidates = g_new0 (LpCandidate, run->rs->templates->len);
}

/* Where each site's Edge pool and Office Web Apps farm are, and the remote
 * users each Edge pool carries besides its site's own and its partner's:
 * those of the sites whose edge names its site, and, at a site holding
 * backup pools, the most of their partners' (one site lost at a time: an
 * assumption the plan states). Backup pools and branches carry none of their
 * own; their site's first pool does. */
/* A site's remote users at once (the rule set rounds up: remote-users). */
static double
remote_users (const LpPlanSite *u)
{
  return (double) u->users * u->remote_percent / 100;
}

/* The plan site carrying site @i's Edge pool: itself, or a backup pool it holds. */
static guint
edge_carrier (LpRun *run, guint i)
{
  if (plan_site (run, i)->edge_here)
    return i;
  for (guint k = run->sc->sites->len; k < run->plan->sites->len; k++)
    if (plan_site (run, k)->host == (gint) i && plan_site (run, k)->edge_here)
      return k;
  return i;
}

static void
place_edges (LpRun *run)
{
  guint n = run->plan->sites->len, n_given = run->sc->sites->len;

  for (guint i = 0; i < n; i++) {
    LpPlanSite *u = plan_site (run, i);
    const LpSite *s = i < n_given ? g_ptr_array_index (run->sc->sites, i) : NULL;
    LpLinkKind edge = s != NULL ? s->links[LP_LINK_EDGE].kind : LP_LINK_UNSET;
    LpLinkKind owa = s != NULL ? s->links[LP_LINK_OWA].kind : LP_LINK_UNSET;

    u->edge_guests = 0;
    if (u->branch || u->host >= 0) {
      u->edge_here = u->owa_here = FALSE;
      u->edge_at = u->branch ? u->home : u->host;
      u->owa_at = u->edge_at;
      continue;
    }
    u->edge_here = edge == LP_LINK_UNSET || edge == LP_LINK_HERE;
    u->owa_here = owa != LP_LINK_SITE;
    u->edge_at = u->edge_here ? (gint) i : edge == LP_LINK_SITE ? s->links[LP_LINK_EDGE].index : -1;
    u->owa_at = u->owa_here ? (gint) i : s->links[LP_LINK_OWA].index;
  }
  /* a site with no users of its own and no partner hands its Edge pool and
   * farm to the first backup pool it holds */
  for (guint i = 0; i < n_given; i++) {
    LpPlanSite *u = plan_site (run, i);
    if (u->branch || u->users > 0 || u->partner >= 0)
      continue;
    for (guint k = n_given; k < n; k++) {
      LpPlanSite *b = plan_site (run, k);
      if (b->host == (gint) i) {
        b->edge_here = u->edge_here;
        b->owa_here = u->owa_here;
        u->edge_here = u->owa_here = FALSE;
        break;
      }
    }
  }
  for (guint i = 0; i < n_given; i++) {
    const LpPlanSite *u = plan_site (run, i);
    LpPlanSite *at;
    if (u->branch || u->users == 0 || u->edge_here || u->edge_at < 0)
      continue;
    at = plan_site (run, edge_carrier (run, (guint) u->edge_at));
    /* a partner's remote users are counted as its partner-remote-users */
    if (at->partner != (gint) i)
      at->edge_guests += remote_users (u);
  }
  /* a site holding backup pools: its Edge pool carries the largest of their
   * partners' remote users, its own partner's counted already */
  for (guint i = 0; i < n_given; i++) {
    double most = 0, counted;
    LpPlanSite *at;
    for (guint k = n_given; k < n; k++)
      if (plan_site (run, k)->host == (gint) i)
        most = MAX (most, remote_users (plan_site (run, (guint) plan_site (run, k)->partner)));
    if (most == 0)
      continue;
    at = plan_site (run, edge_carrier (run, i));
    if (!at->edge_here)
      continue;
    counted = at->partner >= 0 ? remote_users (plan_site (run, (guint) at->partner)) : 0;
    at->edge_guests += MAX (0, most - counted);
  }
}

/* An input of group = same (virtual) must have one value at both sites of a
 * pair: paired pools are alike (L13-PAIR). Only inputs some site sets can
 * differ. */
static gboolean
check_same_inputs (LpRun *run, guint n_groups, GError **error)
{
  for (guint a = 0; a < run->active->n; a++) {
    const LpInput *in = g_ptr_array_index (run->rs->site_inputs, run->active->k[a]);
    for (guint g = 0; in->group == LP_INPUT_GROUP_SAME && g < n_groups; g++) {
      const LpGroup *gr = &g_array_index (run->plan->groups, LpGroup, g);
      gint s0, s1;
      const LpSite *named;
      if (gr->n_sites < 2)
        continue;
      s0 = plan_site (run, gr->sites[0])->scenario;
      s1 = plan_site (run, gr->sites[1])->scenario;
      if (site_value (run, s0, run->active->k[a]) == site_value (run, s1, run->active->k[a]))
        continue;
      named = g_ptr_array_index (run->sc->sites, s1);
      if (named->texts[run->active->k[a]] == NULL)
        named = g_ptr_array_index (run->sc->sites, s0);
      g_set_error (error, LP_ERROR, LP_ERROR_INPUT,
                   "%s %s: %s and %s are a pair, so their %s must be the same (paired pools "
                   "alike: physical with physical, virtual with virtual)",
                   named->where, in->key, plan_site (run, gr->sites[0])->name,
                   plan_site (run, gr->sites[1])->name, in->key);
      return FALSE;
    }
  }
  return TRUE;
}

static gboolean
make_groups (LpRun *run, GError **error)
{
  guint n = run->sc->sites->len, ng = 0;
  gboolean stack[64], any = FALSE, named = FALSE;
  g_autofree gboolean *heap = n > G_N_ELEMENTS (stack) ? g_new (gboolean, n) : NULL;
  gboolean *needs = heap != NULL ? heap : stack;

  for (guint i = 0; i < n; i++) {
    const LpSite *s = g_ptr_array_index (run->sc->sites, i);
    needs[i] = needs_partner (run, i);
    any |= needs[i];
    named |= s->links[LP_LINK_DR].kind == LP_LINK_SITE;
  }
  if (!any)
    TRACE (run, &(LpTraceStep){ .kind = LP_TRACE_NO_DR });
  else if ((named && !pair_named (run, needs, error)) || !pair_unnamed (run, needs, error))
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (plan_site (run, i)->dr_none)
      TRACE (run, &(LpTraceStep){ .kind = LP_TRACE_WITHOUT_DR, .site = plan_site (run, i)->name });
  if (!run->plain)
    place_edges (run);
  for (guint i = 0; i < run->plan->sites->len; i++) {
    gint partner = plan_site (run, i)->partner;
    if (partner >= 0 && (guint) partner < i)
      continue;
    add_group (run, ng, i, partner);
    /* a site with no users that is nobody's partner is still planned as DR asks */
    g_array_index (run->plan->groups, LpGroup, ng).dr = partner >= 0 || (i < n && needs[i]);
    run->plan->dr |= g_array_index (run->plan->groups, LpGroup, ng++).dr;
  }
  truncate_groups (run, ng);
  return check_same_inputs (run, ng, error);
}

/* ---- sizing one site for one candidate ---- */

/* Records that formula @f of template @t gave @value at @site, with the
 * values of the names it read as the environment holds them now. */
static void
trace_formula (LpRun *run, const LpTemplate *t, const char *site, const LpFormula *f, double value)
{
  guint n = 0;
  const guint *slots;
  double *values;

  if (run->plan->trace == NULL)
    return;
  slots = lp_expr_names (f->expr, &n);
  values = g_new (double, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    values[i] = run->env[slots[i]];
  TRACE (run, &(LpTraceStep){ .kind = LP_TRACE_FORMULA,
                              .tmpl = t,
                              .site = site,
                              .formula = f,
                              .value = value,
                              .values = values });
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
static inline G_ALWAYS_INLINE gboolean
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
eval_lets (LpRun *run, const GPtrArray *lets, const LpTemplate *traced, const char *site,
           GError **error)
{
  for (guint i = 0; i < lets->len; i++) {
    const LpFormula *f = g_ptr_array_index (lets, i);
    double v = ev_shared (run, f->expr);
    if (G_UNLIKELY (!isfinite (v)))
      return let_error (f, site, v, error);
    run->env[f->slot] = v;
    trace_formula (run, traced, site, f, v);
  }
  return TRUE;
}

/* @formulas ([let]s) at the site being sized: as eval_lets(), but a
 * folded replan without trace runs them as one sequence (@seq, its items
 * those of @flat, of LpFoldLet: lp_seq_run()) instead of through each
 * formula and the fold's tables; a let of a shared class takes the value
 * another candidate's evaluated at this site of the group. */
static gboolean
eval_flat_lets (LpRun *run, const GArray *flat, const LpSeq *seq, const GPtrArray *formulas,
                const LpTemplate *traced, const char *site, GError **error)
{
  LpPlanner *p = run->planner;
  LpSeqCache cache;
  double v;
  guint bad;

  if (run->fold == NULL || run->plan->trace != NULL)
    return eval_lets (run, formulas, traced, site, error);
  cache = (LpSeqCache){
    .value = p->shared_value, .gen = p->shared_gen, .now = p->gen, .stride = 4, .offset = run->combo
  };
  bad = lp_seq_run (seq, run->env, &cache, &v);
  if (G_UNLIKELY (bad != G_MAXUINT))
    return let_error (g_ptr_array_index (formulas, g_array_index (flat, LpFoldLet, bad).index),
                      site, v, error);
  return TRUE;
}

/* The rule set's [let] formulas for one site: they read the site's slots,
 * not the template's, so the candidates after the first (and the next plan
 * while nothing they read changes) take the values kept in @memo. */
static gboolean
eval_rule_lets (LpRun *run, LpMemo *memo, double **values, guint64 *gen, const LpTemplate *traced,
                const char *site, GError **error)
{
  const GPtrArray *lets = run->rs->lets;
  const guint *slots = run->planner->let_slots;

  if (run->lets_env == memo) /* another candidate at this site: the values are there */
    return TRUE;
  run->lets_env = run->planner->lets_site_only && run->plan->trace == NULL ? memo : NULL;
  if (run->fold != NULL && run->fold->lets_fixed && run->plan->trace == NULL) {
    if (*gen == run->planner->gen) /* found current while this group is planned */
      goto restore;
    *gen = run->planner->gen;
  }
  if (!memo_current (memo, run->fold != NULL ? run->fold->let_inputs : run->rs->let_inputs,
                     run->env)) {
    if (!eval_flat_lets (run, run->fold != NULL ? run->fold->rule_lets : NULL,
                         run->fold != NULL ? run->fold->rule_let_seq : NULL, lets, traced, site,
                         error))
      return FALSE;
    if (*values != NULL && run->fold != NULL && run->plan->trace == NULL) {
      /* a folded replan's known [let]s keep their values: those kept are theirs */
      const GArray *vary = run->fold->rule_let_vary;
      for (guint k = 0; k < vary->len; k++) {
        guint i = g_array_index (vary, guint, k);
        (*values)[i] = run->env[slots[i]];
      }
    } else {
      if (*values == NULL)
        *values = g_new (double, MAX (lets->len, 1));
      for (guint i = 0; i < lets->len; i++)
        (*values)[i] = run->env[slots[i]];
    }
    memo->known = TRUE;
    return TRUE;
  }
restore:
  if (run->plan->trace == NULL && run->fold != NULL) { /* the known [let]s hold their values */
    const GArray *vary = run->fold->rule_let_vary;
    for (guint k = 0; k < vary->len; k++) {
      guint i = g_array_index (vary, guint, k);
      run->env[slots[i]] = (*values)[i];
    }
    return TRUE;
  }
  if (run->plan->trace == NULL) { /* the values kept, as fast as they copy */
    for (guint i = 0; i < lets->len; i++)
      run->env[slots[i]] = (*values)[i];
    return TRUE;
  }
  for (guint i = 0; i < lets->len; i++) {
    const LpFormula *f = g_ptr_array_index (lets, i);
    run->env[f->slot] = (*values)[i];
    trace_formula (run, traced, site, f, run->env[f->slot]);
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

static G_GNUC_NO_INLINE gboolean
eval_count_slow (LpRun *run, const LpFormula *f, const char *group, const char *site, guint64 *out,
                 GError **error)
{
  double v, r;

  v = ev_shared (run, f->expr);
  r = lp_round (v);

  if (!isfinite (v) || v < -LP_EPSILON || fabs (v - r) > 1e-6 || r > LP_MAX_EXACT)
    return count_error (f, group, site, v, error);
  *out = (guint64) r;
  return TRUE;
}

/* A server count: a whole number, 0 or more. */
static inline gboolean
eval_count (LpRun *run, const LpFormula *f, const char *group, const char *site, guint64 *out,
            GError **error)
{
  if (run->fold != NULL) { /* a folded count was checked when the fold was made */
    guint id = lp_expr_id (f->expr);
    if (run->fold->program[id] == NULL && run->fold->count[id] != G_MAXUINT64) {
      *out = run->fold->count[id];
      return TRUE;
    }
  }
  return eval_count_slow (run, f, group, site, out, error);
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

/* When step @i of @f starts, in minutes after the response: when the steps
 * it needs end (step-N-needs), else when the step before it ends. */
static double
step_start (const LpFailure *f, const double *end, guint i)
{
  double start = 0;

  if (!f->steps[i].has_needs)
    return i > 0 ? end[i - 1] : 0;
  for (guint j = 0; j < i; j++)
    if (f->steps[i].needs & (1u << j))
      start = MAX (start, end[j]);
  return start;
}

/* The row's RTO: the response time plus, where its steps restore service
 * classes, the latest in-scope class's return (the critical path), else the
 * latest step's end (all steps in order: their sum). */
static void
row_rto (LpRun *run, const LpFailure *f, LpFailureResult *r, double last)
{
  double scoped = -1;

  for (guint k = 0; k < run->rs->services->len && f->timed_services; k++) {
    const LpService *sv = g_ptr_array_index (run->rs->services, k);
    if (!(r->services_back & (1u << k)))
      continue;
    if (ev (run, sv->in_scope) != 0) {
      r->services_scoped |= 1u << k;
      scoped = MAX (scoped, r->service_back[k]);
    }
  }
  r->rto = scoped >= 0 ? scoped : r->response + last;
}

/* The steps of @f that apply, their minutes and ends, the classes of service
 * they bring back and the RTO. A step that does not apply, or follows after
 * service is back, passes its start on. */
static gboolean
eval_steps (LpRun *run, const LpFailure *f, LpFailureResult *r, GError **error)
{
  double end[LP_FAILURE_MAX_STEPS], last = 0;

  for (guint i = 0; i < f->n_steps; i++) {
    const LpFailureStep *step = &f->steps[i];
    char what[32];
    end[i] = step_start (f, end, i);
    if (step->when != NULL && ev (run, step->when) == 0)
      continue;
    r->step_minutes[i] = ev (run, step->minutes);
    if (!(r->step_minutes[i] >= 0 && isfinite (r->step_minutes[i]))) {
      g_snprintf (what, sizeof what, "step-%u-minutes", step->number);
      return eval_duration (run, f, what, step->minutes, &r->step_minutes[i], error);
    }
    r->step_applies |= 1u << i;
    if (step->after)
      continue;
    end[i] += r->step_minutes[i];
    last = MAX (last, end[i]);
    r->step_end[i] = r->response + end[i];
    for (guint k = 0; k < LP_MAX_SERVICES; k++) {
      if (!(step->restores & (1u << k)))
        continue;
      r->service_back[k] = MAX (r->service_back[k], r->step_end[i]);
      r->services_back |= 1u << k;
    }
  }
  row_rto (run, f, r, last);
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
  if (!eval_steps (run, f, r, error) || !eval_duration (run, f, "rpo", f->rpo, &r->rpo, error))
    return FALSE;
  step_point (run, LP_STEP_LINEAR, r->rto);
  step_point (run, LP_STEP_LINEAR, r->rpo);
  return TRUE;
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
  if (have_component)
    z->worst_component_automatic = z->failures[z->worst_component].automatic;
  if (have_site)
    z->site_row_automatic = z->failures[z->site_row].automatic;
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
  if (run->fold != NULL) { /* the others are 0 in z and in the environment */
    const GArray *roles = run->plan->trace == NULL && !run->report ? run->fold->count_roles_of[t]
                                                                   : run->fold->count_roles;
    for (guint k = 0; k < roles->len; k++) {
      guint r = g_array_index (roles, guint, k);
      run->env[s->role_counts[r]] = (double) (gint64) z->roles[r];
    }
  } else {
    for (guint r = 0; r < run->rs->roles->len; r++)
      run->env[s->role_counts[r]] = (double) (gint64) z->roles[r]; /* below 2^53: exact */
  }
  if (!memo_current (memo,
                     run->fold != NULL ? run->fold->recovery_inputs[t] : tmpl->recovery_inputs,
                     run->env)) {
    if (!eval_failure_table (run, t, z, site, error))
      return FALSE;
    memo->known = TRUE;
    run->fresh = TRUE;
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

static G_GNUC_NO_INLINE gboolean
avail_error (const LpAvailRule *r, const char *what, double v, const char *site, GError **error)
{
  g_autofree char *text = lp_format_decimal (v, 6);

  g_set_error (error, LP_ERROR, LP_ERROR_RULES,
               "%s: [availability %s] %s: gives %s for site %s: expected %s", r->where, r->id, what,
               isfinite (v) ? text : "no number", site,
               strcmp (what, "servers") == 0 || strcmp (what, "needed") == 0
                 ? "a whole number, 0 or more"
                 : "a finite number, 0 or more");
  return FALSE;
}

/* A figure of an [availability] component: finite and 0 or more. */
static gboolean
avail_figure (LpRun *run, const LpAvailRule *r, const char *what, const LpExpr *expr, double *out,
              const char *site, GError **error)
{
  double v = expr != NULL ? ev (run, expr) : 0;

  if (!(isfinite (v) && v >= 0))
    return avail_error (r, what, v, site, error);
  *out = v;
  return TRUE;
}

static gboolean
avail_count (LpRun *run, const LpAvailRule *r, const char *what, const LpExpr *expr, guint *out,
             const char *site, GError **error)
{
  double v = ev (run, expr);

  if (!(isfinite (v) && v >= 0 && v <= LP_MAX_EXACT && fabs (v - lp_round (v)) < 1e-6))
    return avail_error (r, what, v, site, error);
  /* a plan past its limit is refused once its group is chosen (check_size) */
  *out = (guint) MIN (lp_round (v), (double) LP_PLAN_MAX_SERVERS);
  return TRUE;
}

/* Component @r's figures at the site just sized, and its parts. */
static gboolean
eval_component (LpRun *run, const LpAvailRule *r, LpAvailComponent *c, double year,
                const char *site, GError **error)
{
  memset (c, 0, sizeof *c);
  c->kind = r->kind;
  c->users = r->users;
  c->applies = r->applies == NULL || ev (run, r->applies) != 0;
  if (!c->applies)
    return TRUE;
  if (!avail_count (run, r, "servers", r->servers, &c->n, site, error))
    return FALSE;
  if (r->kind == LP_AVAIL_PAIR && c->n == 2)
    c->k = 1;
  else if (r->needed == NULL)
    c->k = lp_availability_quorum (&run->rs->quorum, &c->n);
  else if (!avail_count (run, r, "needed", r->needed, &c->k, site, error))
    return FALSE;
  c->k = MIN (c->k, c->n + 1); /* more than n: never up */
  c->automatic = r->automatic != NULL && ev (run, r->automatic) != 0;
  if (!avail_figure (run, r, "failure-rate", r->failure_rate, &c->rate, site, error) ||
      !avail_figure (run, r, "repair-time", r->repair_time, &c->repair, site, error) ||
      !avail_figure (run, r, "failover", r->failover, &c->failover, site, error) ||
      !avail_figure (run, r, "patch-cycles", r->patch_cycles, &c->cycles, site, error) ||
      !avail_figure (run, r, "patch-minutes", r->patch_minutes, &c->patch, site, error))
    return FALSE;
  lp_availability_compute (c, year);
  return TRUE;
}

static gboolean
eval_components (LpRun *run, const LpTemplate *tmpl, LpSiteSizing *z, const char *site,
                 GError **error)
{
  const LpRuleset *rs = run->rs;
  double year = ev (run, rs->avail_year);
  guint n = tmpl->availability->len;

  if (!(isfinite (year) && year > 0)) {
    g_set_error (error, LP_ERROR, LP_ERROR_RULES,
                 "%s: [availability] year: gives no positive number of minutes", rs->path);
    return FALSE;
  }
  z->planned_counted = rs->avail_planned_counted != NULL &&
                       ev (run, rs->avail_planned_counted) != 0;
  if (z->avail == NULL)
    z->avail = g_new0 (LpAvailComponent, MAX (n, 1));
  for (guint k = 0; k < n; k++) {
    if (!eval_component (run, g_ptr_array_index (tmpl->availability, k), &z->avail[k], year, site,
                         error))
      return FALSE;
  }
  /* downtime is at most the period: a service is never less than 0% available */
  z->downtime[0] = MIN (year,
                        lp_availability_total (z->avail, n, LP_AVAIL_INTERNAL, z->planned_counted));
  z->downtime[1] = MIN (year,
                        lp_availability_total (z->avail, n, LP_AVAIL_REMOTE, z->planned_counted));
  return TRUE;
}

/* The availability of site @i of the group for template @t, after its
 * recovery figures (the role counts are in the environment): made again
 * only when what its components read changed. */
static gboolean
eval_availability (LpRun *run, guint t, guint i, LpSiteSizing *z, const char *site, GError **error)
{
  const LpEngineSlots *s = &run->rs->slots;
  const LpTemplate *tmpl = g_ptr_array_index (run->rs->templates, t);
  LpMemo *memo;

  if (run->rs->avail_year == NULL)
    return TRUE;
  if (tmpl->availability->len == 0) { /* no budget: a branch's users are their home pool's */
    run->env[s->downtime[0]] = run->env[s->downtime[1]] = 0;
    return TRUE;
  }
  if (run->memo->availability == NULL)
    run->memo->availability = g_new0 (LpMemo, 2 * run->rs->templates->len);
  memo = &run->memo->availability[2 * t + i];
  if (!memo_current (memo,
                     run->fold != NULL ? run->fold->availability_inputs[t]
                                       : tmpl->availability_inputs,
                     run->env)) {
    if (!eval_components (run, tmpl, z, site, error))
      return FALSE;
    memo->known = TRUE;
    run->fresh = TRUE;
  }
  run->env[s->downtime[0]] = z->downtime[0];
  run->env[s->downtime[1]] = z->downtime[1];
  return TRUE;
}

/* Template @ti's pools at the site just sized: how many, the users each
 * carries, its capacity and whether they pair within the site. A folded
 * replan reads the formulas as operands (LpFold.pools); a count that is not
 * a whole number from 0 to LP_MAX_EXACT goes the way of eval_count(). */
static gboolean
size_pools (LpRun *run, guint ti, const LpTemplate *t, LpSiteSizing *z, const char *site,
            GError **error)
{
  const LpPoolRule *p = &t->pools;
  LpFormula count = { .name = "count", .where = t->display, .expr = p->count };

  if (!p->defined)
    return TRUE;
  if (run->fold != NULL) {
    const LpFoldPools *fp = &run->fold->pools[ti];
    double v = p->count != NULL ? operand (run, &fp->count) : 0;
    if (p->count == NULL)
      z->pools = z->roles[p->role];
    else if (G_LIKELY (v >= 0 && v <= LP_MAX_EXACT && (double) (gint64) v == v))
      z->pools = (guint64) v;
    else if (!eval_count (run, &count, "pools", site, &z->pools, error))
      return FALSE;
    z->pool_users = z->pools > 0 ? run->env[run->rs->slots.users] / (double) z->pools : 0;
    z->pool_capacity = operand (run, &fp->capacity);
    z->same_site_pairs = p->same_site_pairs != NULL && operand (run, &fp->same_site_pairs) != 0;
    return TRUE;
  }
  if (p->count == NULL)
    z->pools = z->roles[p->role];
  else if (!eval_count (run, &count, "pools", site, &z->pools, error))
    return FALSE;
  z->pool_users = z->pools > 0 ? run->env[run->rs->slots.users] / (double) z->pools : 0;
  z->pool_capacity = ev (run, p->capacity);
  z->same_site_pairs = p->same_site_pairs != NULL && ev (run, p->same_site_pairs) != 0;
  return TRUE;
}

/* partner-KEY of each site input that declares partner = true: the DR
 * partner's value (0 without one, and for a warm standby partner, which has
 * no users of its own and so no calls or load of its own). */
static void
set_partner_inputs (LpRun *run, const LpPlanSite *partner)
{
  const GArray *partner_inputs = run->planner->partner_inputs;

  for (guint a = 0; a < partner_inputs->len; a++) {
    guint k = g_array_index (partner_inputs, guint, a);
    const LpInput *in = g_ptr_array_index (run->rs->site_inputs, k);
    run->env[in->partner_slot] = partner == NULL || partner->users == 0 ? 0
                                 : partner->scenario < 0                ? run->active->defaults[k]
                                                         : site_value (run, partner->scenario, k);
  }
}

static G_GNUC_NO_INLINE void
write_site_slots (LpRun *run, const LpGroup *g, guint i, gboolean paired)
{
  const LpEngineSlots *s = &run->rs->slots;
  const LpPlanSite *site = plan_site (run, g->sites[i]);
  const LpPlanSite *partner = paired ? plan_site (run, g->sites[1 - i]) : NULL;

  run->slots_group = g;
  run->slots_site = i;
  run->slots_paired = paired;
  run->env[s->users] = (double) site->users;
  run->env[s->remote_percent] = site->remote_percent;
  run->env[s->partner_users] = partner != NULL ? (double) partner->users : 0;
  run->env[s->partner_remote_percent] = partner != NULL ? partner->remote_percent : 0;
  run->env[s->paired] = paired;
  run->env[s->first_site] = i == 0;
  if (!run->plain) {
    run->env[s->dr] = g->dr;
    run->env[s->edge_here] = site->edge_here;
    run->env[s->owa_here] = site->owa_here;
    run->env[s->edge_guest_users] = site->edge_guests;
    run->env[s->edge_elsewhere] = !site->edge_here && site->edge_at >= 0 && site->host < 0 &&
                                  !site->branch && site->edge_at != (gint) g->sites[i];
    run->env[s->owa_elsewhere] = !site->owa_here && site->host < 0 && !site->branch;
    run->env[s->branch] = site->branch;
  }
  /* the site inputs a site sets: its own value, or the group's strictest */
  for (guint a = 0; a < run->active->n; a++) {
    guint k = run->active->k[a];
    const LpInput *in = g_ptr_array_index (run->rs->site_inputs, k);
    double v = site_value (run, site->scenario, k);
    for (guint j = 0; in->group != LP_INPUT_GROUP_OWN && j < g->n_sites; j++)
      v = lp_input_group_combine (in->group, v,
                                  site_value (run, plan_site (run, g->sites[j])->scenario, k));
    run->env[in->var->slot] = v;
  }
  set_partner_inputs (run, partner);
}

/* The environment's values of site @i of @g (paired with the other or not):
 * written unless the last call wrote them (nothing else writes those slots). */
static inline void
set_site_slots (LpRun *run, const LpGroup *g, guint i, gboolean paired)
{
  if (run->slots_group != g || run->slots_site != i || run->slots_paired != paired)
    write_site_slots (run, g, i, paired);
}

/* A live role's count in a folded replan: its program evaluated (once a
 * site of the group for a shared class, as ev_shared()); a whole number
 * from 0 to LP_MAX_EXACT is the count as it is, anything else goes the
 * way of eval_count() (rounding within its slack, or the error). */
static inline gboolean
fold_count (LpRun *run, const LpFoldRole *fr, const char *site, guint64 *out, GError **error)
{
  double v;

  if (fr->program == NULL)
    return eval_count_slow (run, fr->formula, "roles", site, out, error);
  if (fr->share >= 0) {
    guint k = 4 * (guint) fr->share + run->combo;
    LpPlanner *p = run->planner;
    if (p->shared_gen[k] != p->gen) {
      p->shared_value[k] = lp_expr_eval (fr->program, run->env);
      p->shared_gen[k] = p->gen;
    }
    v = p->shared_value[k];
  } else {
    v = lp_expr_eval (fr->program, run->env);
  }
  if (G_LIKELY (v >= 0 && v <= LP_MAX_EXACT && (double) (gint64) v == v)) {
    *out = (guint64) v;
    return TRUE;
  }
  return eval_count_slow (run, fr->formula, "roles", site, out, error);
}

/* @fr's count @n into @z: the role's, and its kind's sum. */
static inline void
add_count (LpSiteSizing *z, const LpFoldRole *fr, guint64 n)
{
  z->roles[fr->role] = n;
  if (fr->kind == ROLE_APPLIANCE)
    z->appliances += n;
  else if (fr->kind == ROLE_REVERSE_PROXY)
    z->reverse_proxies += n;
  else
    z->servers += n;
}

/* size_fold_roles() without prices: the counts that fold are copied and
 * their sums added at once; only the others are evaluated, in the same
 * order. A count is evaluated when the roles before it (folded counts
 * among them) cost no more than the bound, and the candidate is over when
 * all of them do: the tests the loop over every role makes, as every count
 * adds 0 or more, so the same counts are evaluated (and the same errors
 * met) and the same candidates pruned. */
static gboolean
size_fold_counts (LpRun *run, guint ti, LpSiteSizing *z, const char *site, GError **error)
{
  const GArray *roles = run->fold->var_roles[ti];
  const LpFoldConst *fc = &run->fold->consts[ti];
  const double limit = run->bound + LP_EPSILON;
  guint64 units = 0; /* of the counts evaluated so far */

  memcpy (z->roles, fc->counts, run->rs->roles->len * sizeof (guint64));
  for (guint k = 0; k < roles->len; k++) {
    const LpFoldRole *fr = &g_array_index (roles, LpFoldRole, k);
    guint64 n;
    if (run->prune && fr->after_one &&
        run->spent + (double) (gint64) (units + fr->units_before) > limit) {
      run->over = TRUE;
      return TRUE;
    }
    if (!fold_count (run, fr, site, &n, error))
      return FALSE;
    add_count (z, fr, n);
    units += n;
  }
  z->servers += fc->servers;
  z->appliances += fc->appliances;
  z->reverse_proxies += fc->reverse_proxies;
  z->cost = (double) (z->servers + z->appliances + z->reverse_proxies);
  if (run->prune && run->fold->roles[ti]->len > 0 && run->spent + z->cost > limit) {
    run->over = TRUE;
    z->cost = 0;
  }
  return TRUE;
}

/* size_roles() for a folded replan without trace: the template's live
 * roles from one array (LpFold.roles), in the same order, with the same
 * sums and the same pruning test. */
static gboolean
size_fold_roles (LpRun *run, guint ti, const LpTemplate *t, LpSiteSizing *z, const char *site,
                 GError **error)
{
  const GArray *roles = run->fold->roles[ti];
  const LpPrices *prices = run->sc->prices;
  const double limit = run->bound + LP_EPSILON;
  guint64 units = 0; /* z->servers + z->appliances + z->reverse_proxies */

  if (prices == NULL)
    return size_fold_counts (run, ti, z, site, error);

  for (guint k = 0; k < roles->len; k++) {
    const LpFoldRole *fr = &g_array_index (roles, LpFoldRole, k);
    guint64 n;
    if (fr->program == NULL && fr->count != G_MAXUINT64)
      n = fr->count; /* a folded count was checked when the fold was made */
    else if (!fold_count (run, fr, site, &n, error))
      return FALSE;
    add_count (z, fr, n);
    units += n;
    if (prices != NULL)
      z->cost += (double) n * lp_prices_unit (prices, t, fr->role);
    if (run->prune && run->spent + (prices != NULL ? z->cost : (double) (gint64) units) > limit) {
      run->over = TRUE;
      return TRUE;
    }
  }
  if (prices == NULL)
    z->cost = (double) (z->servers + z->appliances + z->reverse_proxies);
  return TRUE;
}

/* Template @ti's roles at site @i of the group. With a fold (and no trace),
 * only the roles whose count does not fold to 0 (size_fold_roles()): the
 * others are 0 (reset_sizing() zeroed them, or without prices
 * size_fold_counts() copies them as 0), and a role of none adds no server
 * and no cost. */
static gboolean
size_roles (LpRun *run, guint i, guint ti, const LpTemplate *t, LpSiteSizing *z, const char *site,
            GError **error)
{
  const LpTemplate *traced = run->plan->trace != NULL ? t : NULL;
  guint m = 2 * i + (z->paired ? 1 : 0); /* the slots the site's lets read differ with pairing */
  guint n = run->rs->roles->len;

  if (!eval_rule_lets (run, &run->memo->lets[m], &run->memo->lets_values[m],
                       &run->memo->lets_gen[m], traced, site, error) ||
      !eval_flat_lets (run, run->fold != NULL ? run->fold->lets[ti] : NULL,
                       run->fold != NULL ? run->fold->let_seqs[ti] : NULL, t->lets, traced, site,
                       error))
    return FALSE;
  if (run->fold != NULL && traced == NULL)
    return size_fold_roles (run, ti, t, z, site, error);
  for (guint r = 0; r < n; r++) {
    const LpRole *role = g_ptr_array_index (run->rs->roles, r);
    if (t->roles[r] == NULL)
      continue;
    if (!eval_count (run, t->roles[r], "roles", site, &z->roles[r], error))
      return FALSE;
    trace_formula (run, traced, site, t->roles[r], (double) z->roles[r]);
    if (role->appliance)
      z->appliances += z->roles[r];
    else if (role->reverse_proxy)
      z->reverse_proxies += z->roles[r];
    else
      z->servers += z->roles[r];
    if (run->sc->prices != NULL)
      z->cost += (double) z->roles[r] * lp_prices_unit (run->sc->prices, t, r);
    if (run->prune && run->spent + (run->sc->prices != NULL ? z->cost
                                                            : (double) (z->servers + z->appliances +
                                                                        z->reverse_proxies)) >
                        run->bound + LP_EPSILON) {
      run->over = TRUE;
      return TRUE;
    }
  }
  if (run->sc->prices == NULL)
    z->cost = (double) (z->servers + z->appliances + z->reverse_proxies);
  return TRUE;
}

/* ---- requirement checks ---- */

/* Check @k at the site just sized, of @target and @achieved. */
static inline G_ALWAYS_INLINE LpCheckResult
check_result (LpRun *run, const LpCheck *k, double target, double achieved)
{
  gboolean met = k->at_least ? achieved >= target - LP_EPSILON : achieved <= target + LP_EPSILON;
  double shortfall = 0;

  /* met where the margin is 0 or more */
  step_point (run, LP_STEP_SIGN,
              k->at_least ? achieved - (target - LP_EPSILON) : target + LP_EPSILON - achieved);

  if (!met)
    shortfall = k->shortfall != NULL ? ev (run, k->shortfall)
                                     : (k->at_least ? target - achieved : achieved - target);
  return (LpCheckResult){
    .applies = TRUE, .met = met, .target = target, .achieved = achieved, .shortfall = shortfall
  };
}

/* @r (check @k at a site) into @out when it is the group's worst so far:
 * a miss over a pass, a larger miss, a closer pass. */
static inline G_ALWAYS_INLINE void
merge_check (const LpCheck *k, const LpCheckResult *r, LpCheckResult *out)
{
  if (out->applies && !out->met && (r->met || r->shortfall <= out->shortfall))
    return;
  if (out->applies && out->met && r->met &&
      (k->at_least ? r->achieved >= out->achieved : r->achieved <= out->achieved))
    return;
  *out = *r;
}

static inline G_ALWAYS_INLINE void
check_values (LpRun *run, const LpCheck *k, double target, double achieved, LpCheckResult *out)
{
  LpCheckResult r = check_result (run, k, target, achieved);

  merge_check (k, &r, out);
}

/* Check @k at the site just sized, kept in @out when it is the group's worst. */
static void
check_site (LpRun *run, const LpCheck *k, LpCheckResult *out)
{
  double target = ev (run, k->target);
  double achieved = ev (run, k->achieved);

  check_values (run, k, target, achieved, out);
}

/* The checks at site @i of the group, sized for template @t, into @c's. A
 * folded replan whose checks read only the recovery and downtime figures
 * (LpFold.checks_from_memos) keeps what each found at the site, and takes
 * that again while the recovery and availability memos held (run->fresh
 * is FALSE): the same figures give the same results. */
static void
eval_checks (LpRun *run, LpCandidate *c, guint t, guint i)
{
  if (run->fold != NULL && run->steps == NULL) {
    const GArray *checks = run->fold->checks;
    LpCheckResult *kept = NULL;
    if (run->fold->checks_from_memos && checks->len > 0) {
      LpGroupMemo *m = run->memo;
      guint at = 2 * t + i;
      if (m->checks == NULL) {
        m->checks = g_new0 (LpCheckResult, 2 * run->rs->templates->len * checks->len);
        m->checks_known = g_new0 (gboolean, 2 * run->rs->templates->len);
      }
      kept = &m->checks[at * checks->len];
      if (!run->fresh && m->checks_known[at]) {
        for (guint k = 0; k < checks->len; k++) {
          const LpFoldCheck *fc = &g_array_index (checks, LpFoldCheck, k);
          if (kept[k].applies)
            merge_check (fc->check, &kept[k], &c->checks[fc->index]);
        }
        return;
      }
      m->checks_known[at] = TRUE;
    }
    for (guint k = 0; k < checks->len; k++) {
      const LpFoldCheck *fc = &g_array_index (checks, LpFoldCheck, k);
      LpCheckResult r;
      if (fc->applies && operand (run, &fc->when) == 0) {
        if (kept != NULL)
          kept[k].applies = FALSE;
        continue;
      }
      r = check_result (run, fc->check, operand (run, &fc->target), operand (run, &fc->achieved));
      if (kept != NULL)
        kept[k] = r;
      merge_check (fc->check, &r, &c->checks[fc->index]);
    }
    return;
  }
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
  if (run->plan->trace == NULL)
    return;
  TRACE (run, &(LpTraceStep){ .kind = LP_TRACE_RECOVERY,
                              .tmpl = t,
                              .site = site,
                              .worst = z->worst_component,
                              .lost = z->site_row,
                              .recovery = { z->server_failure_rto, z->server_failure_rpo,
                                            z->site_loss_rto, z->site_loss_rpo } });
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
  step_point (run, LP_STEP_LINEAR, c->cost);
  step_point (run, LP_STEP_LINEAR, c->shortfall);
}

/* ---- candidates ---- */

static const char *
excluded_reason (LpRun *run, const LpTemplate *t)
{
  const char *edition = run->rs->edition_by_choice[(guint) run->env[run->rs->slots.edition]];

  if (t->branch != (run->env[run->rs->slots.branch] != 0))
    return t->branch ? "a design for branch sites" : "a branch site has no pools of its own";
  if (edition != NULL && !t->branch && strcmp (t->edition, edition) != 0)
    return "not the edition the scenario asks for";
  if (t->applies != NULL && ev (run, t->applies) == 0)
    return run->env[run->rs->slots.dr] != 0 ? "does not apply to this scenario"
                                            : "applies only with disaster recovery";
  return NULL;
}

/* Does every site sized get its whole role array from size_fold_counts()
 * (a folded replan without trace, prices or report)? Then only an empty
 * site's is zeroed (size_site()); a site left unsized belongs to a design
 * pruned, which nothing reads. */
static inline gboolean
roles_copied (const LpRun *run)
{
  return run->fold != NULL && run->plan->trace == NULL && run->sc->prices == NULL && !run->report;
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
  z->figures = 0;
  z->without_dr = FALSE;
  z->storage = 0;
  z->empty = z->paired = FALSE;
  z->pools = 0;
  z->pool_users = z->pool_capacity = 0;
  z->same_site_pairs = FALSE;
  if (z->roles == NULL)
    z->roles = g_new0 (guint64, run->rs->roles->len);
  else if (!roles_copied (run))
    memset (z->roles, 0, run->rs->roles->len * sizeof (guint64));
}

/* Zeroes a candidate, keeping (or making) its buffers; their contents
 * stay as they were (reset_results()). */
static void
reset_candidate (LpRun *run, LpCandidate *c, guint n_sites)
{
  LpCheckResult *checks = c->checks;
  LpSiteSizing *sites = c->sites;

  /* stores made inline, not a call to memset() */
  *c = (LpCandidate){ .checks = checks != NULL ? checks
                                               : g_new0 (LpCheckResult, run->rs->checks->len),
                      .sites = sites != NULL ? sites : g_new0 (LpSiteSizing, n_sites) };
}

/* Zeroes what a candidate's sizing and checks hold from the last plan. */
static void
reset_results (LpRun *run, LpCandidate *c, guint n_sites)
{
  memset (c->checks, 0, run->rs->checks->len * sizeof (LpCheckResult));
  for (guint i = 0; i < n_sites; i++)
    reset_sizing (run, &c->sites[i]);
}

/* Which of @list's notes (or figures) apply at the site just sized, as the
 * bits of the result, and the values of their {EXPR}s (or members) into @values. */
static guint64
eval_note_list (LpRun *run, const GPtrArray *list, double *values)
{
  guint64 bits = 0;

  for (guint k = 0; k < list->len; k++) {
    const LpNote *n = g_ptr_array_index (list, k);
    if (n->applies != NULL && ev (run, n->applies) == 0)
      continue;
    bits |= (guint64) 1 << k;
    for (guint x = 0; x < n->exprs->len; x++)
      values[n->first + x] = ev (run, g_ptr_array_index (n->exprs, x));
  }
  return bits;
}

/* Which of the template's notes and figures apply at the site just sized,
 * and their values (formatted only when a writer asks: a sweep allocates
 * nothing for them). */
static void
eval_notes (LpRun *run, const LpTemplate *t, LpSiteSizing *z)
{
  if (z->note_values == NULL)
    z->note_values = g_new0 (double, MAX (1, t->n_note_values));
  z->notes = eval_note_list (run, t->notes, z->note_values);
  z->figures = eval_note_list (run, t->figures, z->note_values);
  z->without_dr = t->without_dr != NULL && ev (run, t->without_dr) != 0;
}

/* The rule set's [storage] rows at the site just sized: which apply and
 * their GB a year (a full report only, as notes). */
static gboolean
eval_storage (LpRun *run, LpSiteSizing *z, const char *site, GError **error)
{
  const GPtrArray *storage = run->rs->storage;

  if (storage->len == 0)
    return TRUE;
  if (z->storage_gb == NULL)
    z->storage_gb = g_new0 (double, storage->len);
  for (guint k = 0; k < storage->len; k++) {
    const LpStorage *st = g_ptr_array_index (storage, k);
    double gb;
    if (st->applies != NULL && ev (run, st->applies) == 0)
      continue;
    gb = ev (run, st->gb_per_year);
    if (!isfinite (gb) || gb < 0) {
      g_set_error (error, LP_ERROR, LP_ERROR_RULES,
                   "%s: [storage %s] gb-per-year: gives %s at site %s: expected 0 or more",
                   st->where, st->id, isfinite (gb) ? "a negative figure" : "no number", site);
      return FALSE;
    }
    z->storage |= (guint64) 1 << k;
    z->storage_gb[k] = gb;
  }
  return TRUE;
}

/* One [role] capacity figure at the site: NAN without its formula, an error
 * for a figure that is no number or negative. */
static gboolean
eval_capacity_figure (LpRun *run, const LpRole *role, const LpExpr *e, const char *key,
                      const char *site, double *out, GError **error)
{
  double v = e != NULL ? ev (run, e) : NAN;

  if (e != NULL && (!isfinite (v) || v < 0)) {
    g_set_error (error, LP_ERROR, LP_ERROR_RULES,
                 "%s: [role %s] %s: gives %s at site %s: expected 0 or more", role->where, role->id,
                 key, isfinite (v) ? "a negative figure" : "no number", site);
    return FALSE;
  }
  *out = v;
  return TRUE;
}

/* What one server of each role with a [role] capacity carries at the site
 * just sized, how many of them carry and what a failover's survivor
 * carries (a full report only, as notes): the report's pool capacities. */
static gboolean
eval_role_capacity (LpRun *run, LpSiteSizing *z, const char *site, GError **error)
{
  const GPtrArray *roles = run->rs->roles;

  if (z->role_capacity == NULL)
    z->role_capacity = g_new (LpRoleCapacity, roles->len);
  for (guint r = 0; r < roles->len; r++) {
    const LpRole *role = g_ptr_array_index (roles, r);
    LpRoleCapacity *cap = &z->role_capacity[r];
    if (!eval_capacity_figure (run, role, role->capacity, "capacity", site, &cap->each, error) ||
        !eval_capacity_figure (run, role, role->capacity_servers, "capacity-servers", site,
                               &cap->servers, error) ||
        !eval_capacity_figure (run, role, role->capacity_failover, "capacity-failover", site,
                               &cap->failover, error))
      return FALSE;
  }
  return TRUE;
}

/* The inputs the site sets to other than their default where their
 * ignored-unless does not hold (a full plan only). */
static void
mark_ignored (LpRun *run, LpPlanSite *site)
{
  for (guint k = 0; k < run->rs->inputs->len && k < LP_IGNORED_INPUTS_MAX; k++) {
    const LpInput *in = g_ptr_array_index (run->rs->inputs, k);
    guint slot = in->var->slot;
    if (in->ignored_unless != NULL && run->env[slot] != run->rs->defaults[slot] &&
        ev (run, in->ignored_unless) == 0)
      site->ignored |= (guint64) 1 << k;
  }
}

static gboolean
size_site (LpRun *run, LpCandidate *c, LpGroup *g, guint i, gboolean paired, guint t,
           GError **error)
{
  LpSiteSizing *z = &c->sites[i];
  const LpPlanSite *site = plan_site (run, g->sites[i]);

  /* reset_results() reset z */
  z->paired = paired;
  run->combo = 2 * i + (paired ? 1 : 0);
  /* an empty site's values are read only by a report's mark_ignored() */
  if (site->users > 0 || paired || run->report)
    set_site_slots (run, g, i, paired);
  if (run->report)
    mark_ignored (run, plan_site (run, g->sites[i]));
  if (site->users == 0 && !paired) {
    if (roles_copied (run))
      memset (z->roles, 0, run->rs->roles->len * sizeof (guint64));
    z->empty = TRUE;
    TRACE (run, &(LpTraceStep){ .kind = LP_TRACE_EMPTY_SITE, .tmpl = c->tmpl, .site = site->name });
    return TRUE;
  }
  run->spent = c->cost;
  if (!size_roles (run, i, t, c->tmpl, z, site->name, error))
    return FALSE;
  if (run->over)
    return TRUE;
  run->fresh = FALSE;
  if (!size_pools (run, t, c->tmpl, z, site->name, error) ||
      !eval_recovery (run, t, i, z, site->name, error) ||
      !eval_availability (run, t, i, z, site->name, error))
    return FALSE;
  trace_recovery (run, c->tmpl, z, site->name);
  eval_checks (run, c, t, i);
  if (run->report) {
    eval_notes (run, c->tmpl, z);
    if (!eval_storage (run, z, site->name, error) ||
        !eval_role_capacity (run, z, site->name, error))
      return FALSE;
  }
  if (run->shaping)
    lp_shaper_mark (run->shaper, c->tmpl, t, run->env, z, run->plan->shaped);
  c->servers += z->servers;
  c->appliances += z->appliances;
  c->reverse_proxies += z->reverse_proxies;
  c->cost += z->cost;
  return TRUE;
}

/* Has candidate @c missed a check at the sites sized so far? */
static gboolean
missed_one (const LpRun *run, const LpCandidate *c)
{
  for (guint k = 0; k < run->rs->checks->len; k++)
    if (c->checks[k].applies && !c->checks[k].met)
      return TRUE;
  return FALSE;
}

/* Does template @t cost more than the bound at the sites of @g with users,
 * counting only its roles whose count folds to a number? Then it cannot be
 * chosen. The bound's margin covers summing in another order. */
static gboolean
below_bound (const LpRun *run, const LpGroup *g, guint t)
{
  double least = 0;

  if (run->fold == NULL)
    return FALSE;
  for (guint i = 0; i < g->n_sites; i++)
    if (plan_site ((LpRun *) run, g->sites[i])->users > 0)
      least += run->fold->min_cost[t];
  return least * (1 - 1e-12) > run->bound + LP_EPSILON;
}

/* Do the environment's site values give excluded_reason() and template
 * @t's paired what they read at site 0 of @g (paired when it has two)?
 * They read the edition, branch and dr slots and their formulas: with the
 * formulas folded to numbers, any pairing of site 0 will do, and with
 * every site plain (branch and dr the group's), any site of the group. */
static inline gboolean
choice_slots_ready (const LpRun *run, const LpGroup *g, guint t)
{
  if (run->slots_group != g)
    return FALSE;
  if (run->slots_site == 0 && run->slots_paired == (g->n_sites == 2))
    return TRUE;
  return run->fold != NULL && run->fold->fixed_choice[t] && (run->plain || run->slots_site == 0);
}

static gboolean
size_candidate (LpRun *run, LpGroup *g, guint t, GError **error)
{
  LpCandidate *c = &g->candidates[t];
  gboolean paired;

  reset_candidate (run, c, g->n_sites);
  c->tmpl = g_ptr_array_index (run->rs->templates, t);
  if (!choice_slots_ready (run, g, t))
    write_site_slots (run, g, 0, g->n_sites == 2);
  c->excluded = excluded_reason (run, c->tmpl);
  c->other_kind = c->tmpl->branch != g->branch;
  if (c->excluded != NULL) {
    if (!c->other_kind)
      TRACE (run, &(LpTraceStep){
                    .kind = LP_TRACE_NOT_CONSIDERED, .tmpl = c->tmpl, .reason = c->excluded });
    /* a replan's design left out keeps last plan's sizing and checks:
     * nothing reads them (choose(), find_best() and trace_candidate() pass
     * over it; it is never the fallback, as it is not over_limit); a
     * report's writers list them */
    if (run->report)
      reset_results (run, c, g->n_sites);
    return TRUE;
  }
  /* so does a design pruned (choose() passes over it; a pruning replan
   * has no report, trace or best figures) */
  if (run->prune && isfinite (run->bound) && below_bound (run, g, t)) {
    c->pruned = TRUE;
    return TRUE;
  }
  reset_results (run, c, g->n_sites);
  paired = g->n_sites == 2 && c->tmpl->paired != NULL && ev (run, c->tmpl->paired) != 0;
  for (guint i = 0; i < g->n_sites; i++) {
    if (!size_site (run, c, g, i, paired, t, error))
      return FALSE;
    /* pruned too once it misses a check while a design that meets every
     * requirement is known (a finite bound): a miss stays a miss at the
     * sites after (check_values()), and better() puts any design that
     * meets them all first, so it cannot be chosen */
    if (run->over ||
        (i + 1 < g->n_sites && run->prune && isfinite (run->bound) && missed_one (run, c))) {
      run->over = FALSE;
      c->pruned = TRUE;
      return TRUE;
    }
    if (c->excluded == NULL && !c->sites[i].empty && c->tmpl->exclude != NULL &&
        ev (run, c->tmpl->exclude) != 0) {
      c->excluded = c->tmpl->exclude_reason;
      c->over_limit = TRUE;
      TRACE (run, &(LpTraceStep){
                    .kind = LP_TRACE_NOT_CONSIDERED, .tmpl = c->tmpl, .reason = c->excluded });
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

static guint
group_index (const LpRun *run, const LpGroup *g)
{
  return (guint) (g - (const LpGroup *) (gconstpointer) run->plan->groups->data);
}

static gboolean
choose (LpRun *run, LpGroup *g, GError **error)
{
  gint best = -1;
  gboolean considered;

  for (guint t = 0; t < run->rs->templates->len; t++) {
    const LpCandidate *c = &g->candidates[t];
    if (c->excluded == NULL && !c->pruned && (best < 0 || better (c, &g->candidates[best])))
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
    g_autofree char *sites = lp_plan_group_label (run->plan, group_index (run, g));
    g_set_error (error, LP_ERROR, LP_ERROR_INPUT, "no design in %s can be considered for %s: %s",
                 run->rs->path, sites, why);
    return FALSE;
  }
  g->chosen = (guint) best;
  /* a design past its limit is shown when every other is left out, meeting nothing */
  g->feasible = g->candidates[best].feasible && g->candidates[best].excluded == NULL;
  TRACE (run, &(LpTraceStep){ .kind = LP_TRACE_CHOSEN,
                              .tmpl = g->candidates[best].tmpl,
                              .group = group_index (run, g),
                              .servers = g->candidates[best].servers,
                              .appliances = g->candidates[best].appliances,
                              .feasible = g->feasible });
  return TRUE;
}

static void
trace_candidate (LpRun *run, const LpCandidate *c)
{
  guint *missed, n = 0;

  if (run->plan->trace == NULL || c->excluded != NULL)
    return;
  missed = g_new (guint, MAX (run->rs->checks->len, 1));
  for (guint k = 0; k < run->rs->checks->len; k++)
    if (c->checks[k].applies && !c->checks[k].met)
      missed[n++] = k;
  TRACE (run, &(LpTraceStep){ .kind = LP_TRACE_CANDIDATE,
                              .tmpl = c->tmpl,
                              .servers = c->servers,
                              .appliances = c->appliances,
                              .feasible = c->feasible,
                              .missed = missed,
                              .n_missed = n });
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

/* Are the values group @g's sites read the same as when the group was last
 * planned whole? Sets each site's slots (set_site_slots()) and compares
 * those it writes, bit for bit, with @memo's key, recording them when they
 * differ: the planner's site_slots and the slots of the site inputs some
 * site sets (LpActive). With the scenario-wide values the same
 * (run->same_globals) and the same site inputs set (run->same_active),
 * these are all a group's plan reads: another site input holds the
 * scenario's value (init_env(); no [let] takes an input's name), and where
 * another site's change reaches a group (its users on an Edge pool here, a
 * branch's users at its home, a partner's, a backup pool's at its hub), it
 * does through these slots. */
static gboolean
group_inputs_same (LpRun *run, const LpGroup *g, LpMemo *memo)
{
  const GArray *slots = run->planner->site_slots;
  const LpActive *act = run->active;
  guint n = slots->len + act->n;
  double key[2 * (2 * LP_MAX_SITE_INPUTS + 16)];
  gboolean same;

  g_assert (n <= G_N_ELEMENTS (key) / 2);
  for (guint i = 0; i < g->n_sites; i++) {
    double *to = key + i * n;
    set_site_slots (run, g, i, g->n_sites == 2);
    for (guint k = 0; k < slots->len; k++)
      *to++ = run->env[g_array_index (slots, guint, k)];
    for (guint a = 0; a < act->n; a++)
      *to++ =
        run
          ->env[((const LpInput *) g_ptr_array_index (run->rs->site_inputs, act->k[a]))->var->slot];
  }
  n *= g->n_sites;
  if (memo->key == NULL)
    memo->key = g_new (double, G_N_ELEMENTS (key));
  same = memo->known && memcmp (key, memo->key, n * sizeof (double)) == 0;
  if (!same)
    memcpy (memo->key, key, n * sizeof (double));
  memo->known = FALSE; /* until the group is planned whole */
  return same;
}

/* Adds group @g's choice to the plan's totals. */
static gboolean
add_choice (LpRun *run, LpGroup *g, GError **error)
{
  run->plan->servers += g->candidates[g->chosen].servers;
  run->plan->appliances += g->candidates[g->chosen].appliances;
  run->plan->reverse_proxies += g->candidates[g->chosen].reverse_proxies;
  run->plan->cost += g->candidates[g->chosen].cost;
  run->plan->feasible &= g->feasible;
  return check_size (run, g, error);
}

/* A full plan sizes the chosen design once more, its trace silent, for
 * the shaper to read what its formulas read at each site (the values of
 * the candidates sized after it are in the slots now). */
static gboolean
shape_choice (LpRun *run, LpGroup *g, GError **error)
{
  GArray *trace = run->plan->trace;
  gboolean ok;

  if (run->shaper == NULL)
    return TRUE;
  run->plan->trace = NULL;
  run->shaping = TRUE;
  ok = size_candidate (run, g, g->chosen, error);
  run->shaping = FALSE;
  run->plan->trace = trace;
  return ok;
}

/* A one-shot plan's group once chosen: the designs not chosen lose their
 * sizing per site (a report reads only their totals and checks, and the
 * group's best achievable figures, made before), and the chosen one keeps
 * only its failure rows that apply (lp_site_failures_settle()): on 10,000
 * sites these were most of the heap. Check results the same as another
 * design's (anywhere in the plan) are kept once. Their memos forget them. */
static void
settle_group (LpRun *run, LpGroup *g)
{
  for (guint t = 0; t < run->rs->templates->len; t++) {
    LpCandidate *c = &g->candidates[t];
    if (c->sites == NULL)
      continue;
    for (guint i = 0; i < g->n_sites; i++) {
      if (t == g->chosen)
        lp_site_failures_settle (&c->sites[i], run->rs->failures->len, run->plan);
      if (run->memo->recovery != NULL)
        run->memo->recovery[2 * t + i].known = FALSE;
      if (run->memo->availability != NULL)
        run->memo->availability[2 * t + i].known = FALSE;
    }
    if (t != g->chosen) {
      lp_sizings_free (c->sites, g->n_sites);
      c->sites = NULL;
    }
    if (c->checks != NULL && run->rs->checks->len > 0) {
      c->checks = (LpCheckResult *) lp_plan_share (run->plan, c->checks,
                                                   run->rs->checks->len * sizeof *c->checks);
      c->checks_shared = TRUE;
    }
  }
}

static gboolean
plan_group (LpRun *run, guint gi, GError **error)
{
  LpGroup *g = &g_array_index (run->plan->groups, LpGroup, gi);
  guint n = run->rs->templates->len;
  guint first;

  run->memo = &g_array_index (run->planner->memos, LpGroupMemo, gi);
  /* replan what changed: the same values read, the same choice */
  if (run->keep && group_inputs_same (run, g, &run->memo->inputs) && run->same_globals &&
      run->same_active) {
    run->memo->inputs.known = TRUE;
    /* with steps: a group kept reports this point alone, so a replan that
     * keeps it and one that plans it differ in the point's class even when
     * their other points happen to be of the same kinds */
    step_point (run, LP_STEP_SIGN, -1);
    return add_choice (run, g, error);
  }
  step_point (run, LP_STEP_SIGN, 1);
  run->bound = INFINITY;
  run->over = FALSE;
  run->planner->gen++; /* shared values of the last group are not this one's */
  /* pruning: last time's choice first, as it likely is again */
  first = run->prune && run->memo->last_chosen > 0 ? run->memo->last_chosen - 1 : 0;
  for (guint k = 0; k < n; k++) {
    guint t = k == 0 ? first : k <= first ? k - 1 : k;
    const LpCandidate *c = &g->candidates[t];
    if (!size_candidate (run, g, t, error))
      return FALSE;
    trace_candidate (run, c);
    if (run->prune && c->feasible && c->excluded == NULL && !c->pruned)
      run->bound = MIN (run->bound, c->cost);
  }
  if (!choose (run, g, error) || !shape_choice (run, g, error))
    return FALSE;
  run->memo->last_chosen = g->chosen + 1;
  /* what a report shows: a choice-only replan's alternatives may be pruned */
  if (!run->prune)
    find_best (run, g);
  if (!add_choice (run, g, error))
    return FALSE;
  run->memo->inputs.known = run->keep;
  if (run->planner->one_shot)
    settle_group (run, g);
  return TRUE;
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
    plan->warm_names = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, unit_name_free);
  }
  /* one per scenario site, which copy_sites() writes whole (a replan's
   * have the same number as its last plan's, so nothing moves) */
  g_array_set_size (plan->sites, sc->sites->len);
  plan->warm_serial++;
  if (want_trace && plan->trace == NULL)
    plan->trace = lp_plan_trace_new ();
  else if (!want_trace)
    g_clear_pointer (&plan->trace, g_array_unref);
  if (plan->trace != NULL)
    g_array_set_size (plan->trace, 0);
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

/* A formula's class while classes are made: its program, and per slot it
 * reads that a template's [let] sets, the class of that let (the slots
 * every template sees alike need nothing). */
typedef struct {
  const LpExpr *program; /* NULL: a let that folds to number */
  double number;
  GArray *deps; /* of gint, one per slot of lp_expr_names (program): a class, or -1 */
  guint members;
} LpClass;

/* The class of @program read by a template whose lets so far have the
 * classes @let_class (per slot, -1: not set by it yet), among @classes; a
 * new one when none is the same. Returns -1 when it cannot be shared: it
 * reads what the engine sets candidate by candidate (role counts, recovery
 * and downtime figures) or a template's let this template does not set
 * before it. */
static gint
class_of (GArray *classes, const LpExpr *program, const gint *let_class,
          const gboolean *template_slot, const gboolean *candidate_slot)
{
  guint n = 0;
  const guint *slots = lp_expr_names (program, &n);
  g_autoptr (GArray) deps = g_array_new (FALSE, FALSE, sizeof (gint));
  LpClass fresh;

  for (guint i = 0; i < n; i++) {
    gint dep = -1;
    if (candidate_slot[slots[i]])
      return -1;
    if (template_slot[slots[i]] && (dep = let_class[slots[i]]) < 0)
      return -1;
    g_array_append_val (deps, dep);
  }
  for (guint c = 0; c < classes->len; c++) {
    LpClass *k = &g_array_index (classes, LpClass, c);
    if (k->program != NULL && lp_expr_equal (k->program, program) &&
        memcmp (k->deps->data, deps->data, n * sizeof (gint)) == 0) {
      k->members++;
      return (gint) c;
    }
  }
  fresh = (LpClass){ .program = program, .deps = g_steal_pointer (&deps), .members = 1 };
  g_array_append_val (classes, fresh);
  return (gint) classes->len - 1;
}

/* Marks in @slots what the engine sets candidate by candidate: the role
 * counts, the recovery figures and the downtime. */
static void
mark_candidate_slots (const LpRuleset *rs, gboolean *slots)
{
  const LpEngineSlots *s = &rs->slots;

  for (guint r = 0; r < rs->roles->len; r++)
    slots[s->role_counts[r]] = TRUE;
  slots[s->server_failure_rto] = slots[s->server_failure_rpo] = TRUE;
  slots[s->site_loss_rto] = slots[s->site_loss_rpo] = TRUE;
  for (guint k = 0; k < LP_AVAIL_N_CLASSES; k++)
    slots[s->downtime[k]] = TRUE;
}

/* Classes of the templates' lets and role counts that give one value at a
 * site (the same program over the same values: the formulas a Back End
 * method's designs have in common), so a group's candidates evaluate each
 * once a site (ev_shared()). An expression in two templates with other
 * classes there, or a class of one, is not shared. */
static void
share_formulas (const LpRuleset *rs, LpFold *fold)
{
  guint n_slots = lp_symtab_size (rs->symtab);
  g_autofree gboolean *template_slot = g_new0 (gboolean, n_slots);
  g_autofree gboolean *candidate_slot = g_new0 (gboolean, n_slots);
  g_autofree gint *let_class = g_new (gint, n_slots);
  g_autofree gint *class = g_new (gint, rs->n_exprs);
  g_autoptr (GArray) classes = g_array_new (FALSE, FALSE, sizeof (LpClass));
  g_autofree gint *renumber = NULL;

  mark_candidate_slots (rs, candidate_slot);
  for (guint t = 0; t < rs->templates->len; t++) {
    const LpTemplate *tmpl = g_ptr_array_index (rs->templates, t);
    for (guint i = 0; i < tmpl->lets->len; i++)
      template_slot[((const LpFormula *) g_ptr_array_index (tmpl->lets, i))->slot] = TRUE;
  }
  for (guint i = 0; i < rs->n_exprs; i++)
    class[i] = -2; /* not a template's */
  for (guint t = 0; t < rs->templates->len; t++) {
    const LpTemplate *tmpl = g_ptr_array_index (rs->templates, t);
    for (guint i = 0; i < n_slots; i++)
      let_class[i] = -1;
    for (guint i = 0; i < tmpl->lets->len + rs->roles->len; i++) {
      gboolean is_let = i < tmpl->lets->len;
      const LpFormula *f = is_let ? g_ptr_array_index (tmpl->lets, i)
                                  : tmpl->roles[i - tmpl->lets->len];
      guint id;
      gint c;
      if (f == NULL)
        continue;
      id = lp_expr_id (f->expr);
      if (fold->program[id] == NULL) { /* a number: the same wherever it is */
        c = -1;
        for (guint k = 0; k < classes->len && c < 0; k++) {
          const LpClass *x = &g_array_index (classes, LpClass, k);
          if (x->program == NULL && memcmp (&x->number, &fold->value[id], sizeof x->number) == 0)
            c = (gint) k;
        }
        if (c < 0) {
          LpClass number = { .number = fold->value[id],
                             .deps = g_array_new (FALSE, FALSE, sizeof (gint)) };
          g_array_append_val (classes, number);
          c = (gint) classes->len - 1;
        }
      } else
        c = class_of (classes, fold->program[id], let_class, template_slot, candidate_slot);
      if (is_let)
        let_class[f->slot] = c;
      if (fold->program[id] == NULL)
        continue; /* nothing to evaluate */
      class[id] = class[id] == -2 || class[id] == c ? c : -1;
    }
  }
  /* classes of one member save nothing: numbered apart from shared ones */
  renumber = g_new (gint, MAX (classes->len, 1));
  fold->n_classes = 0;
  for (guint c = 0; c < classes->len; c++) {
    LpClass *k = &g_array_index (classes, LpClass, c);
    renumber[c] = k->members > 1 ? (gint) fold->n_classes++ : -1;
    g_array_unref (k->deps);
  }
  fold->share = g_new (gint, MAX (rs->n_exprs, 1));
  for (guint i = 0; i < rs->n_exprs; i++)
    fold->share[i] = class[i] >= 0 ? renumber[class[i]] : -1;
}

/* @flat's lets as one sequence, in order (eval_flat_lets()). */
static LpSeq *
let_seq (const GArray *flat)
{
  LpSeq *seq = lp_seq_new ();

  for (guint i = 0; i < flat->len; i++) {
    const LpFoldLet *l = &g_array_index (flat, LpFoldLet, i);
    lp_seq_add (seq, l->program, l->value, l->slot, l->program != NULL ? l->share : -1);
  }
  return seq;
}

/* @formulas ([let]s) as eval_flat_lets() reads them, but for those whose
 * slot is @known (nullable): the environment starts with their values. */
static GArray *
flat_lets (const LpFold *fold, const GPtrArray *formulas, const gboolean *known)
{
  GArray *flat = g_array_sized_new (FALSE, FALSE, sizeof (LpFoldLet), formulas->len);

  for (guint i = 0; i < formulas->len; i++) {
    const LpFormula *f = g_ptr_array_index (formulas, i);
    guint id = lp_expr_id (f->expr);
    if (known != NULL && known[f->slot])
      continue;
    LpFoldLet l = { .program = fold->program[id],
                    .value = fold->value[id],
                    .share = fold->share[id],
                    .slot = f->slot,
                    .index = i };
    g_array_append_val (flat, l);
  }
  return flat;
}

/* Marks in @invariant, with their values in @env, the rule set's [let]s
 * that fold to a finite number, in order, so the formulas folded after them
 * (the [let]s that follow, the templates' [let]s, role counts, checks and
 * failure rows) fold further (1 + host-failure-rate, where that is 0). Only
 * a [let] whose slot holds its value whenever a folded replan reads it: one
 * no template [let] and no other rule-set [let] sets, and that neither a
 * template's applies nor its paired (evaluated before the [let]s) nor a
 * [let] before it or itself reads, nor a scenario sets. Those are @known:
 * a folded replan's environment starts with them (LpFold.defaults), and
 * its sequence of the rule set's [let]s leaves them out. */
static void
known_rule_lets (const LpRuleset *rs, const LpScenario *sc, const guint *varying, guint n_varying,
                 gboolean *invariant, double *env, gboolean *known)
{
  guint n_slots = lp_symtab_size (rs->symtab);
  g_autofree gboolean *unsafe = g_new0 (gboolean, n_slots);
  g_autofree gboolean *set = g_new0 (gboolean, n_slots);
  const guint *names;
  guint n;

  /* what a scenario sets is its own (init_env()) */
  for (guint i = 0; i < sc->settings->len; i++)
    unsafe[((const LpSetting *) g_ptr_array_index (sc->settings, i))->slot] = TRUE;
  for (guint i = 0; i < n_varying; i++)
    unsafe[varying[i]] = TRUE;

  for (guint t = 0; t < rs->templates->len; t++) {
    const LpTemplate *tmpl = g_ptr_array_index (rs->templates, t);
    for (guint k = 0; k < tmpl->lets->len; k++)
      unsafe[((const LpFormula *) g_ptr_array_index (tmpl->lets, k))->slot] = TRUE;
    for (guint e = 0; e < 2; e++) {
      const LpExpr *expr = e == 0 ? tmpl->applies : tmpl->paired;
      if (expr == NULL)
        continue;
      names = lp_expr_names (expr, &n);
      for (guint k = 0; k < n; k++)
        unsafe[names[k]] = TRUE;
    }
  }
  for (guint i = 0; i < rs->lets->len; i++) {
    const LpFormula *f = g_ptr_array_index (rs->lets, i);
    if (set[f->slot])
      unsafe[f->slot] = TRUE;
    set[f->slot] = TRUE;
  }
  /* a [let] that reads its own slot or a later [let]'s reads what was there before */
  for (guint i = 0; i < rs->lets->len; i++) {
    const LpFormula *f = g_ptr_array_index (rs->lets, i);
    names = lp_expr_names (f->expr, &n);
    for (guint j = i; j < rs->lets->len; j++) {
      guint slot = ((const LpFormula *) g_ptr_array_index (rs->lets, j))->slot;
      for (guint k = 0; k < n; k++)
        if (names[k] == slot)
          unsafe[slot] = TRUE;
    }
  }
  for (guint i = 0; i < rs->lets->len; i++) {
    const LpFormula *f = g_ptr_array_index (rs->lets, i);
    g_autoptr (LpExpr) program = NULL;
    double v;
    if (unsafe[f->slot] || invariant[f->slot])
      continue;
    program = lp_expr_specialize (f->expr, invariant, env);
    if (lp_expr_is_number (program, &v) && isfinite (v)) {
      invariant[f->slot] = known[f->slot] = TRUE;
      env[f->slot] = v;
    }
  }
}

/* @expr as a folded replan reads it (operand()). */
static LpOperand
fold_operand (const LpFold *fold, const LpExpr *expr)
{
  guint id = lp_expr_id (expr), slot;
  LpOperand o = { .slot = -1, .program = fold->program[id], .value = fold->value[id] };

  if (o.program != NULL && lp_expr_is_load (o.program, &slot))
    o.slot = (gint) slot;
  return o;
}

/* @same: @invariant, and the slots that hold the same value whenever a
 * folded replan consults template @tmpl's recovery and availability memos:
 * a role count that folds to a count or that the template lacks (0:
 * eval_recovery() writes every count), a [let] of the template that folds
 * to a number, and one of the rule set's that does where no template sets
 * that slot (the [let]s run before the roles). Comparing them could only
 * find them equal. */
static void
template_invariant (const LpRuleset *rs, const LpFold *fold, const LpTemplate *tmpl,
                    const gboolean *invariant, gboolean *same)
{
  guint n_slots = lp_symtab_size (rs->symtab);

  memcpy (same, invariant, n_slots * sizeof *same);
  for (guint i = 0; i < rs->lets->len; i++) {
    const LpFormula *f = g_ptr_array_index (rs->lets, i);
    gboolean by_template = FALSE;
    for (guint t = 0; t < rs->templates->len && !by_template; t++) {
      const LpTemplate *other = g_ptr_array_index (rs->templates, t);
      for (guint k = 0; k < other->lets->len && !by_template; k++)
        by_template = ((const LpFormula *) g_ptr_array_index (other->lets, k))->slot == f->slot;
    }
    if (!by_template && fold->program[lp_expr_id (f->expr)] == NULL)
      same[f->slot] = TRUE;
  }
  for (guint k = 0; k < tmpl->lets->len; k++) {
    const LpFormula *f = g_ptr_array_index (tmpl->lets, k);
    same[f->slot] = fold->program[lp_expr_id (f->expr)] == NULL; /* the last of a slot wins */
  }
  for (guint r = 0; r < rs->roles->len; r++) {
    guint id = tmpl->roles[r] != NULL ? lp_expr_id (tmpl->roles[r]->expr) : 0;
    same[rs->slots.role_counts[r]] = tmpl->roles[r] == NULL ||
                                     (fold->program[id] == NULL && fold->count[id] != G_MAXUINT64);
  }
}

/* Does @fold's let_inputs read only slots that a plan writes only in
 * init_env() and write_site_slots()? Not a [let]'s of the rule set or a
 * template, nor a role count, recovery or downtime figure. */
static gboolean
lets_fixed (const LpRuleset *rs, const LpFold *fold)
{
  guint n_slots = lp_symtab_size (rs->symtab);
  g_autofree gboolean *written = g_new0 (gboolean, n_slots);

  for (guint i = 0; i < rs->lets->len; i++)
    written[((const LpFormula *) g_ptr_array_index (rs->lets, i))->slot] = TRUE;
  for (guint t = 0; t < rs->templates->len; t++) {
    const LpTemplate *tmpl = g_ptr_array_index (rs->templates, t);
    for (guint i = 0; i < tmpl->lets->len; i++)
      written[((const LpFormula *) g_ptr_array_index (tmpl->lets, i))->slot] = TRUE;
  }
  mark_candidate_slots (rs, written);
  for (guint i = 0; i < fold->let_inputs->len; i++)
    if (written[g_array_index (fold->let_inputs, guint, i)])
      return FALSE;
  return TRUE;
}

/* Marks in @read the slots @expr's program in @fold reads (nothing when it
 * folded to a number). @expr: nullable. */
static void
mark_reads (const LpFold *fold, const LpExpr *expr, gboolean *read)
{
  const LpExpr *program = expr != NULL ? fold->program[lp_expr_id (expr)] : NULL;
  const guint *names;
  guint n = 0;

  if (program == NULL)
    return;
  names = lp_expr_names (program, &n);
  for (guint i = 0; i < n; i++)
    read[names[i]] = TRUE;
}

/* Per template, the roles of @fold's count_roles whose slot a folded
 * replan without trace or report may read once eval_recovery() has written
 * the counts: what its failure table and availability read (the
 * template's recovery_inputs and availability_inputs), every check, its
 * exclude; and, as they read what the
 * last candidate sized left there, what any candidate reads before its
 * counts are written: every template's applies, paired, [let]s, role
 * counts and [pools], and the rule set's [let]s. A slot no formula of
 * these reads need not be written. */
static void
count_reads (const LpRuleset *rs, LpFold *fold)
{
  guint n_slots = lp_symtab_size (rs->symtab);
  g_autofree gboolean *before = g_new0 (gboolean, n_slots);
  g_autofree gboolean *read = g_new0 (gboolean, n_slots);

  for (guint i = 0; i < rs->lets->len; i++)
    mark_reads (fold, ((const LpFormula *) g_ptr_array_index (rs->lets, i))->expr, before);
  for (guint t = 0; t < rs->templates->len; t++) {
    const LpTemplate *tmpl = g_ptr_array_index (rs->templates, t);
    mark_reads (fold, tmpl->applies, before);
    mark_reads (fold, tmpl->paired, before);
    for (guint i = 0; i < tmpl->lets->len; i++)
      mark_reads (fold, ((const LpFormula *) g_ptr_array_index (tmpl->lets, i))->expr, before);
    for (guint r = 0; r < rs->roles->len; r++)
      if (tmpl->roles[r] != NULL)
        mark_reads (fold, tmpl->roles[r]->expr, before);
    if (tmpl->pools.defined) {
      mark_reads (fold, tmpl->pools.count, before);
      mark_reads (fold, tmpl->pools.capacity, before);
      mark_reads (fold, tmpl->pools.same_site_pairs, before);
    }
  }
  fold->count_roles_of = g_new0 (GArray *, fold->n_templates);
  for (guint t = 0; t < rs->templates->len; t++) {
    const LpTemplate *tmpl = g_ptr_array_index (rs->templates, t);
    const GArray *inputs[] = { tmpl->recovery_inputs, tmpl->availability_inputs };
    memcpy (read, before, n_slots * sizeof *read);
    for (guint a = 0; a < G_N_ELEMENTS (inputs); a++)
      for (guint k = 0; k < inputs[a]->len; k++)
        read[g_array_index (inputs[a], guint, k)] = TRUE;
    for (guint k = 0; k < rs->checks->len; k++) {
      const LpCheck *check = g_ptr_array_index (rs->checks, k);
      mark_reads (fold, check->applies, read);
      mark_reads (fold, check->target, read);
      mark_reads (fold, check->achieved, read);
      mark_reads (fold, check->shortfall, read);
    }
    mark_reads (fold, tmpl->exclude, read);
    fold->count_roles_of[t] = g_array_new (FALSE, FALSE, sizeof (guint));
    for (guint k = 0; k < fold->count_roles->len; k++) {
      guint r = g_array_index (fold->count_roles, guint, k);
      if (read[rs->slots.role_counts[r]])
        g_array_append_val (fold->count_roles_of[t], r);
    }
  }
}

/* Do @fold's checks read nothing but the recovery and downtime figures
 * (the slots eval_recovery() and eval_availability() set from what their
 * memos keep)? Their applies, target, achieved and shortfall. */
static gboolean
checks_from_memos (const LpRuleset *rs, const LpFold *fold)
{
  const LpEngineSlots *s = &rs->slots;
  guint n_slots = lp_symtab_size (rs->symtab);
  g_autofree gboolean *read = g_new0 (gboolean, n_slots);

  for (guint k = 0; k < fold->checks->len; k++) {
    const LpFoldCheck *fc = &g_array_index (fold->checks, LpFoldCheck, k);
    if (fc->applies)
      mark_reads (fold, fc->check->applies, read);
    mark_reads (fold, fc->check->target, read);
    mark_reads (fold, fc->check->achieved, read);
    mark_reads (fold, fc->check->shortfall, read);
  }
  read[s->server_failure_rto] = read[s->server_failure_rpo] = FALSE;
  read[s->site_loss_rto] = read[s->site_loss_rpo] = FALSE;
  for (guint k = 0; k < LP_AVAIL_N_CLASSES; k++)
    read[s->downtime[k]] = FALSE;
  for (guint i = 0; i < n_slots; i++)
    if (read[i])
      return FALSE;
  return TRUE;
}

LpFold *
lp_engine_fold_new (const LpRuleset *rs, const LpScenario *sc, const guint *varying,
                    guint n_varying)
{
  const LpEngineSlots *s = &rs->slots;
  guint n_slots = lp_symtab_size (rs->symtab);
  g_autofree gboolean *invariant = g_new0 (gboolean, n_slots);
  g_autofree gboolean *same = g_new0 (gboolean, n_slots);
  g_autofree gboolean *known = g_new0 (gboolean, n_slots);
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
  invariant[s->dr_rto] = invariant[s->dr_rpo] = TRUE;
  invariant[s->dr] = invariant[s->edge_here] = invariant[s->owa_here] =
    invariant[s->edge_guest_users] = invariant[s->edge_elsewhere] = invariant[s->owa_elsewhere] =
      invariant[s->branch] = plain_sites (rs, sc);
  /* a site input some site sets differs from site to site */
  for (guint k = 0; k < rs->site_inputs->len; k++) {
    const LpInput *in = g_ptr_array_index (rs->site_inputs, k);
    for (guint i = 0; i < sc->sites->len; i++)
      if (((const LpSite *) g_ptr_array_index (sc->sites, i))->texts[k] != NULL)
        invariant[in->var->slot] = FALSE;
  }
  for (guint i = 0; i < n_varying; i++) {
    invariant[varying[i]] = FALSE;
    if (varying[i] == s->dr_rto || varying[i] == s->dr_rpo)
      invariant[s->dr] = FALSE;
  }
  known_rule_lets (rs, sc, varying, n_varying, invariant, env, known);
  fold->defaults = g_memdup2 (rs->defaults, n_slots * sizeof (double));
  for (guint i = 0; i < rs->lets->len; i++) {
    guint slot = ((const LpFormula *) g_ptr_array_index (rs->lets, i))->slot;
    if (known[slot])
      fold->defaults[slot] = env[slot];
  }
  fold->value = g_new0 (double, rs->n_exprs);
  fold->program = g_new0 (LpExpr *, rs->n_exprs);
  fold->count = g_new0 (guint64, rs->n_exprs);
  fold->n_exprs = rs->n_exprs;
  lp_ruleset_foreach_expr ((LpRuleset *) rs, fold_expr, &folding);
  fold->let_inputs = varying_slots (rs->let_inputs, invariant);
  fold->n_templates = rs->templates->len;
  fold->recovery_inputs = g_new0 (GArray *, fold->n_templates);
  fold->live_roles = g_new0 (GArray *, fold->n_templates);
  fold->min_cost = g_new0 (double, fold->n_templates);
  for (guint t = 0; t < fold->n_templates; t++) {
    const LpTemplate *tmpl = g_ptr_array_index (rs->templates, t);
    fold->live_roles[t] = g_array_new (FALSE, FALSE, sizeof (guint));
    for (guint r = 0; r < rs->roles->len; r++) {
      guint id;
      if (tmpl->roles[r] == NULL)
        continue;
      id = lp_expr_id (tmpl->roles[r]->expr);
      if (fold->program[id] == NULL && fold->count[id] == 0)
        continue;
      g_array_append_val (fold->live_roles[t], r);
      if (fold->program[id] == NULL && fold->count[id] != G_MAXUINT64)
        fold->min_cost[t] += (double) fold->count[id] *
                             (sc->prices != NULL ? lp_prices_unit (sc->prices, tmpl, r) : 1);
    }
  }
  share_formulas (rs, fold);
  fold->lets = g_new0 (GArray *, fold->n_templates);
  for (guint t = 0; t < fold->n_templates; t++)
    fold->lets[t] = flat_lets (fold,
                               ((const LpTemplate *) g_ptr_array_index (rs->templates, t))->lets,
                               NULL);
  fold->rule_lets = flat_lets (fold, rs->lets, known);
  fold->let_seqs = g_new0 (LpSeq *, fold->n_templates);
  for (guint t = 0; t < fold->n_templates; t++)
    fold->let_seqs[t] = let_seq (fold->lets[t]);
  fold->rule_let_seq = let_seq (fold->rule_lets);
  fold->roles = g_new0 (GArray *, fold->n_templates);
  for (guint t = 0; t < fold->n_templates; t++) {
    const LpTemplate *tmpl = g_ptr_array_index (rs->templates, t);
    fold->roles[t] = g_array_new (FALSE, FALSE, sizeof (LpFoldRole));
    for (guint k = 0; k < fold->live_roles[t]->len; k++) {
      guint r = g_array_index (fold->live_roles[t], guint, k);
      const LpRole *role = g_ptr_array_index (rs->roles, r);
      guint id = lp_expr_id (tmpl->roles[r]->expr);
      LpFoldRole fr = { .formula = tmpl->roles[r],
                        .program = fold->program[id],
                        .count = fold->count[id],
                        .share = fold->share[id],
                        .role = r,
                        .kind = role->appliance       ? ROLE_APPLIANCE
                                : role->reverse_proxy ? ROLE_REVERSE_PROXY
                                                      : ROLE_SERVER };
      g_array_append_val (fold->roles[t], fr);
    }
  }
  fold->var_roles = g_new0 (GArray *, fold->n_templates);
  fold->consts = g_new0 (LpFoldConst, fold->n_templates);
  for (guint t = 0; t < fold->n_templates; t++) {
    LpFoldConst *fc = &fold->consts[t];
    guint64 units = 0;
    fold->var_roles[t] = g_array_new (FALSE, FALSE, sizeof (LpFoldRole));
    fc->counts = g_new0 (guint64, MAX (rs->roles->len, 1));
    for (guint k = 0; k < fold->roles[t]->len; k++) {
      LpFoldRole fr = g_array_index (fold->roles[t], LpFoldRole, k);
      if (fr.program != NULL || fr.count == G_MAXUINT64) {
        fr.units_before = units;
        fr.after_one = k > 0;
        g_array_append_val (fold->var_roles[t], fr);
        continue;
      }
      fc->counts[fr.role] = fr.count;
      units += fr.count;
      if (fr.kind == ROLE_APPLIANCE)
        fc->appliances += fr.count;
      else if (fr.kind == ROLE_REVERSE_PROXY)
        fc->reverse_proxies += fr.count;
      else
        fc->servers += fr.count;
    }
  }
  fold->fixed_choice = g_new0 (gboolean, fold->n_templates);
  for (guint t = 0; t < fold->n_templates; t++) {
    const LpTemplate *tmpl = g_ptr_array_index (rs->templates, t);
    fold->fixed_choice[t] = (tmpl->applies == NULL ||
                             fold->program[lp_expr_id (tmpl->applies)] == NULL) &&
                            (tmpl->paired == NULL ||
                             fold->program[lp_expr_id (tmpl->paired)] == NULL);
  }
  fold->pools = g_new0 (LpFoldPools, fold->n_templates);
  for (guint t = 0; t < fold->n_templates; t++) {
    const LpPoolRule *p = &((const LpTemplate *) g_ptr_array_index (rs->templates, t))->pools;
    if (!p->defined)
      continue;
    if (p->count != NULL)
      fold->pools[t].count = fold_operand (fold, p->count);
    fold->pools[t].capacity = fold_operand (fold, p->capacity);
    if (p->same_site_pairs != NULL)
      fold->pools[t].same_site_pairs = fold_operand (fold, p->same_site_pairs);
  }
  fold->rule_let_vary = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < rs->lets->len; i++)
    if (!known[((const LpFormula *) g_ptr_array_index (rs->lets, i))->slot])
      g_array_append_val (fold->rule_let_vary, i);
  fold->count_roles = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint r = 0; r < rs->roles->len; r++) {
    gboolean sized = !same_bits (fold->defaults[s->role_counts[r]], 0);
    for (guint t = 0; t < fold->n_templates && !sized; t++)
      for (guint k = 0; k < fold->live_roles[t]->len && !sized; k++)
        sized = g_array_index (fold->live_roles[t], guint, k) == r;
    if (sized)
      g_array_append_val (fold->count_roles, r);
  }
  fold->lets_fixed = lets_fixed (rs, fold);
  count_reads (rs, fold);
  fold->checks = g_array_new (FALSE, FALSE, sizeof (LpFoldCheck));
  for (guint k = 0; k < rs->checks->len; k++) {
    const LpCheck *check = g_ptr_array_index (rs->checks, k);
    LpFoldCheck fc = { .check = check, .index = k, .applies = check->applies != NULL };
    if (fc.applies) {
      fc.when = fold_operand (fold, check->applies);
      if (fc.when.slot < 0 && fc.when.program == NULL) {
        if (fc.when.value == 0)
          continue; /* never applies */
        fc.applies = FALSE;
      }
    }
    fc.target = fold_operand (fold, check->target);
    fc.achieved = fold_operand (fold, check->achieved);
    g_array_append_val (fold->checks, fc);
  }
  fold->checks_from_memos = checks_from_memos (rs, fold);
  fold->availability_inputs = g_new0 (GArray *, fold->n_templates);
  for (guint t = 0; t < fold->n_templates; t++) {
    const LpTemplate *tmpl = g_ptr_array_index (rs->templates, t);
    template_invariant (rs, fold, tmpl, invariant, same);
    fold->recovery_inputs[t] = varying_slots (tmpl->recovery_inputs, same);
    fold->availability_inputs[t] = varying_slots (tmpl->availability_inputs, same);
  }
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
  for (guint t = 0; t < fold->n_templates; t++) {
    g_array_unref (fold->recovery_inputs[t]);
    g_array_unref (fold->live_roles[t]);
    g_array_unref (fold->availability_inputs[t]);
    g_array_unref (fold->lets[t]);
    lp_seq_free (fold->let_seqs[t]);
    g_array_unref (fold->roles[t]);
    g_array_unref (fold->var_roles[t]);
    g_free (fold->consts[t].counts);
    g_array_unref (fold->count_roles_of[t]);
  }
  g_free (fold->count_roles_of);
  g_free (fold->var_roles);
  g_free (fold->defaults);
  g_array_unref (fold->checks);
  g_array_unref (fold->rule_let_vary);
  g_array_unref (fold->count_roles);
  g_free (fold->consts);
  g_free (fold->fixed_choice);
  g_free (fold->pools);
  g_free (fold->let_seqs);
  lp_seq_free (fold->rule_let_seq);
  g_free (fold->roles);
  g_free (fold->lets);
  g_array_unref (fold->rule_lets);
  g_free (fold->recovery_inputs);
  g_free (fold->live_roles);
  g_free (fold->min_cost);
  g_free (fold->share);
  g_free (fold->availability_inputs);
  g_free (fold);
}

LpPlanner *
lp_planner_new (const LpRuleset *rs)
{
  LpPlanner *planner = g_new0 (LpPlanner, 1);

  const LpEngineSlots *s = &rs->slots;
  const guint fixed[] = { s->users,
                          s->remote_percent,
                          s->partner_users,
                          s->partner_remote_percent,
                          s->paired,
                          s->first_site,
                          s->dr,
                          s->edge_here,
                          s->owa_here,
                          s->edge_guest_users,
                          s->edge_elsewhere,
                          s->owa_elsewhere,
                          s->branch };

  planner->rs = rs;
  planner->env = g_new0 (double, lp_symtab_size (rs->symtab));
  planner->globals = g_array_new (FALSE, FALSE, sizeof (LpGlobal));
  planner->memos = g_array_new (FALSE, TRUE, sizeof (LpGroupMemo));
  planner->site_slots = g_array_new (FALSE, FALSE, sizeof (guint));
  g_array_append_vals (planner->site_slots, fixed, G_N_ELEMENTS (fixed));
  planner->partner_inputs = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint k = 0; k < rs->site_inputs->len; k++) {
    const LpInput *in = g_ptr_array_index (rs->site_inputs, k);
    if (in->partner) { /* set_partner_inputs() */
      g_array_append_val (planner->site_slots, in->partner_slot);
      g_array_append_val (planner->partner_inputs, k);
    }
  }
  planner->active = g_new0 (LpActive, 1);
  planner->let_slots = g_new (guint, MAX (rs->lets->len, 1));
  for (guint i = 0; i < rs->lets->len; i++)
    planner->let_slots[i] = ((const LpFormula *) g_ptr_array_index (rs->lets, i))->slot;
  planner->lets_site_only = TRUE;
  for (guint i = 0; i < rs->let_inputs->len; i++) {
    guint slot = g_array_index (rs->let_inputs, guint, i);
    gboolean per_candidate = slot == s->server_failure_rto || slot == s->server_failure_rpo ||
                             slot == s->site_loss_rto || slot == s->site_loss_rpo;
    for (guint k = 0; k < LP_AVAIL_N_CLASSES; k++)
      per_candidate |= slot == s->downtime[k];
    for (guint r = 0; r < rs->roles->len; r++)
      per_candidate |= slot == s->role_counts[r];
    if (per_candidate)
      planner->lets_site_only = FALSE;
  }
  return planner;
}

/* Forgets every memo: they describe the working plan's buffers. */
static void
forget (LpPlanner *planner)
{
  for (guint i = 0; i < planner->memos->len; i++)
    group_memo_clear (&g_array_index (planner->memos, LpGroupMemo, i), planner->rs->templates->len);
  g_array_set_size (planner->memos, 0);
  /* one empty memo per group of the working plan, which a replan reuses */
  if (planner->work != NULL && planner->work->groups != NULL)
    g_array_set_size (planner->memos, planner->work->groups->len);
  planner->globals_known = FALSE;
}

/* Forgets the formulas' memos (lets, failure tables, availability) but not
 * what each group read and chose: lp_planner_set_steps() wants every formula
 * of a group it plans evaluated, the same way each time. */
static void
forget_formulas (LpPlanner *planner)
{
  guint n = planner->rs->templates->len;

  for (guint i = 0; i < planner->memos->len; i++) {
    LpGroupMemo *m = &g_array_index (planner->memos, LpGroupMemo, i);
    for (guint k = 0; k < G_N_ELEMENTS (m->lets); k++)
      m->lets[k].known = FALSE;
    for (guint k = 0; m->recovery != NULL && k < 2 * n; k++)
      m->recovery[k].known = FALSE;
    for (guint k = 0; m->availability != NULL && k < 2 * n; k++)
      m->availability[k].known = FALSE;
  }
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
  g_free (planner->shared_value);
  g_free (planner->shared_gen);
  g_array_unref (planner->globals);
  g_array_unref (planner->site_slots);
  g_array_unref (planner->partner_inputs);
  g_free (planner->let_slots);
  g_free (planner->active);
  g_free (planner);
}

void
lp_planner_set_choice_only (LpPlanner *planner, gboolean choice_only)
{
  if (planner->choice_only == choice_only)
    return;
  planner->choice_only = choice_only;
  forget (planner); /* a plan made the other way is no start for this one */
}

void
lp_planner_set_fold (LpPlanner *planner, LpFold *fold)
{
  lp_engine_fold_free (planner->fold);
  planner->fold = fold;
  g_free (planner->shared_value);
  g_free (planner->shared_gen);
  planner->shared_value = fold != NULL ? g_new0 (double, 4 * MAX (fold->n_classes, 1)) : NULL;
  planner->shared_gen = fold != NULL ? g_new0 (guint64, 4 * MAX (fold->n_classes, 1)) : NULL;
  forget (planner); /* the memos' keys are of other slots now */
}

void
lp_planner_set_steps (LpPlanner *planner, LpSteps *steps)
{
  g_return_if_fail (steps == NULL || (planner->fold == NULL && !planner->choice_only));
  if ((planner->steps == NULL) != (steps == NULL))
    forget (planner); /* the memos of a plan made the other way */
  planner->steps = steps;
}

/* Are @sc's settings and price list those of the planner's last replan,
 * which planned every group? Records them for the next. */
static gboolean
same_globals (LpPlanner *planner, const LpScenario *sc)
{
  GArray *kept = planner->globals;
  guint n = sc->settings->len;
  gboolean same = planner->globals_known && planner->globals_prices == sc->prices && kept->len == n;

  if (!same)
    g_array_set_size (kept, n);
  for (guint i = 0; i < n; i++) {
    const LpSetting *set = g_ptr_array_index (sc->settings, i);
    LpGlobal *g = &g_array_index (kept, LpGlobal, i);
    if (same && g->slot == set->slot && same_bits (g->value, set->value))
      continue;
    same = FALSE;
    g->slot = set->slot;
    g->value = set->value;
  }
  planner->globals_prices = sc->prices;
  return same;
}

static const LpPlan *
plan_work (LpPlanner *planner, const LpScenario *sc, gboolean want_trace, gboolean report,
           GError **error)
{
  g_autoptr (LpShaper) shaper = report ? lp_shaper_new (planner->rs) : NULL;
  gsize n_shaped = (planner->rs->vars->len + 7) / 8;
  LpRun run = { .rs = planner->rs,
                .sc = sc,
                .env = planner->env,
                .fold = planner->fold,
                .planner = planner,
                .active = planner->active,
                .report = report,
                .shaper = shaper,
                .prune = planner->choice_only && !report && !want_trace,
                .steps = planner->steps };

  if (planner->steps != NULL) /* every formula of a group planned evaluated again */
    forget_formulas (planner);
  if (planner->work == NULL)
    planner->work = g_new0 (LpPlan, 1);
  run.plan = planner->work;
  reset_plan (run.plan, run.rs, sc, want_trace);
  g_clear_pointer (&run.plan->shaped, g_free);
  if (report)
    run.plan->shaped = g_new0 (guint8, MAX (n_shaped, 1));
  init_env (&run);
  run.keep = run.prune || (run.steps != NULL && !report && !want_trace);
  if (run.keep)
    run.same_globals = same_globals (planner, sc);
  /* known again once every group is planned */
  planner->globals_known = FALSE;
  copy_sites (&run);
  if (!make_groups (&run, error))
    return NULL;
  for (guint i = 0; i < run.plan->groups->len; i++) {
    if (!plan_group (&run, i, error))
      return NULL;
  }
  planner->globals_known = run.keep;
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

  planner->one_shot = TRUE;
  return lp_planner_plan (planner, sc, want_trace, error);
}
