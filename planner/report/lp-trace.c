/* lp-trace.c: a plan's trace in words (lp-trace.h). */
#include "lp-trace.h"

#include <string.h>

#include "lp-expr.h"
#include "lp-units.h"

/* "fe = users / 5000 = 2 (users 10000) [lync2013.rules:12]" */
static void
formula_text (GString *out, const LpPlan *plan, const LpTraceStep *step)
{
  const LpFormula *f = step->formula;
  guint n = 0;
  const guint *slots = lp_expr_names (f->expr, &n);
  g_autofree char *text = lp_expr_to_string (f->expr, plan->rs->symtab);

  g_string_append_printf (out, "%s, site %s: %s = %s = ", step->tmpl->id, step->site, f->name,
                          text);
  lp_append_decimal (out, step->value, 4);
  for (guint i = 0; i < n; i++) {
    g_string_append_printf (out, "%s%s ", i > 0 ? ", " : " (",
                            lp_symtab_name (plan->rs->symtab, slots[i]));
    lp_append_decimal (out, step->values[i], 4);
  }
  g_string_append_printf (out, "%s [%s]", n > 0 ? ")" : "", f->where);
}

static void
recovery_text (GString *out, const LpPlan *plan, const LpTraceStep *step)
{
  const LpFailure *worst = g_ptr_array_index (plan->rs->failures, step->worst);
  const LpFailure *lost = g_ptr_array_index (plan->rs->failures, step->lost);

  g_string_append_printf (out, "%s, site %s: server failure recovers in ", step->tmpl->id,
                          step->site);
  lp_append_duration (out, step->recovery[0]);
  g_string_append (out, " losing up to ");
  lp_append_duration (out, step->recovery[1]);
  g_string_append_printf (out, " (worst: %s) [%s]; site loss in ", worst->label, worst->where);
  lp_append_duration (out, step->recovery[2]);
  g_string_append (out, " losing up to ");
  lp_append_duration (out, step->recovery[3]);
  g_string_append_printf (out, " [%s]", lost->where);
}

static void
candidate_text (GString *out, const LpPlan *plan, const LpTraceStep *step)
{
  g_string_append_printf (out,
                          "%s: %" G_GUINT64_FORMAT " servers, %" G_GUINT64_FORMAT " appliances; %s",
                          step->tmpl->id, step->servers, step->appliances,
                          step->feasible ? "meets every requirement" : "misses ");
  for (guint k = 0; k < step->n_missed; k++) {
    const LpCheck *check = g_ptr_array_index (plan->rs->checks, step->missed[k]);
    g_string_append_printf (out, "%s%s", k > 0 ? ", " : "", check->id);
  }
}

static void
chosen_text (GString *out, const LpPlan *plan, const LpTraceStep *step)
{
  g_autofree char *label = lp_plan_group_label (plan, step->group);

  g_string_append_printf (
    out, "group %s: chose %s (%" G_GUINT64_FORMAT " servers, %" G_GUINT64_FORMAT " appliances): %s",
    label, step->tmpl->id, step->servers, step->appliances,
    step->feasible ? "the cheapest design that meets every requirement"
                   : "no design meets every requirement; this one misses the fewest, by the least");
}

char *
lp_trace_step_text (const LpPlan *plan, const LpTraceStep *step)
{
  GString *out = g_string_new (NULL);

  switch (step->kind) {
  case LP_TRACE_NO_DR:
    g_string_append (out, "pairing: no disaster recovery required (dr-rto and dr-rpo unset): "
                          "each site is planned on its own");
    break;
  case LP_TRACE_PAIRED:
    g_string_append_printf (out, "pairing: %s is paired with its dr-site %s", step->site,
                            step->other);
    break;
  case LP_TRACE_BACKUP_POOL:
    g_string_append_printf (out, "pairing: %s's dr-site %s holds a backup pool for it, %s",
                            step->site, step->other, step->unit);
    break;
  case LP_TRACE_WARM_STANDBY:
    g_string_append_printf (
      out, "pairing: %s is the only central site; added the warm standby site %s with 0 users",
      step->site, step->unit);
    break;
  case LP_TRACE_MUTUAL:
    g_string_append_printf (out, "pairing: the two sites %s and %s back each other up", step->site,
                            step->other);
    break;
  case LP_TRACE_WITHOUT_DR:
    g_string_append_printf (out,
                            "pairing: %s is planned without disaster recovery (dr-site = none)",
                            step->site);
    break;
  case LP_TRACE_FORMULA: formula_text (out, plan, step); break;
  case LP_TRACE_RECOVERY: recovery_text (out, plan, step); break;
  case LP_TRACE_EMPTY_SITE:
    g_string_append_printf (out, "%s, site %s: no users and nobody's partner: gets nothing",
                            step->tmpl->id, step->site);
    break;
  case LP_TRACE_NOT_CONSIDERED:
    g_string_append_printf (out, "%s: not considered: %s", step->tmpl->id, step->reason);
    break;
  case LP_TRACE_CANDIDATE: candidate_text (out, plan, step); break;
  case LP_TRACE_CHOSEN: chosen_text (out, plan, step); break;
  }
  return g_string_free (out, FALSE);
}

GPtrArray *
lp_trace_lines (const LpPlan *plan)
{
  GPtrArray *lines;

  if (plan->trace == NULL)
    return NULL;
  lines = g_ptr_array_new_full (plan->trace->len, g_free);
  for (guint i = 0; i < plan->trace->len; i++)
    g_ptr_array_add (lines,
                     lp_trace_step_text (plan, &g_array_index (plan->trace, LpTraceStep, i)));
  return lines;
}

/* A formula step's key for lp_trace_why(): its design, site and name. */
static char *
formula_key (const char *design, const char *site, const char *name)
{
  return g_strconcat (design, "\n", site, "\n", name, NULL);
}

/* Marks what formula step @j read: for each name it read, the nearest step
 * before it of the same design and site that set that name (@steps: each
 * key's steps, in order), and what that one read in turn. */
static guint
mark_read (const LpPlan *plan, GHashTable *steps, guint j, gboolean *show, guint depth)
{
  const LpTraceStep *step = &g_array_index (plan->trace, LpTraceStep, j);
  guint n = 0, marked = 0;
  const guint *slots = lp_expr_names (step->formula->expr, &n);

  if (depth > 32)
    return 0;
  for (guint i = 0; i < n; i++) {
    g_autofree char *key = formula_key (step->tmpl->id, step->site,
                                        lp_symtab_name (plan->rs->symtab, slots[i]));
    GArray *at = g_hash_table_lookup (steps, key);
    guint lo = 0, hi = at != NULL ? at->len : 0, k;
    while (lo < hi) { /* the first of its steps at or after j */
      guint mid = (lo + hi) / 2;
      if (g_array_index (at, guint, mid) < j)
        lo = mid + 1;
      else
        hi = mid;
    }
    if (lo == 0)
      continue;
    k = g_array_index (at, guint, lo - 1);
    if (!show[k]) {
      show[k] = TRUE;
      marked += 1 + mark_read (plan, steps, k, show, depth + 1);
    }
  }
  return marked;
}

/* The designs some group of @plan chose (only group @g's when @g >= 0): a
 * set of LpTemplate pointers. */
static GHashTable *
chosen_designs (const LpPlan *plan, gint g)
{
  GHashTable *set = g_hash_table_new (g_direct_hash, g_direct_equal);

  for (guint k = g >= 0 ? (guint) g : 0; k < (g >= 0 ? (guint) g + 1 : plan->groups->len); k++)
    g_hash_table_add (set, (gpointer) lp_plan_group_choice (plan, k)->tmpl);
  return set;
}

/* The group that plans the site or pool named @site, and its steps
 * [*from, *to): the engine traces a group's steps together, ending with
 * its choice. FALSE when no site has that name. */
static gboolean
group_steps (const LpPlan *plan, const char *site, gint *g, guint *from, guint *to)
{
  guint start = 0;

  *g = -1;
  for (guint k = 0; k < plan->sites->len && *g < 0; k++) {
    const LpPlanSite *s = &g_array_index (plan->sites, LpPlanSite, k);
    if (strcmp (s->name, site) == 0)
      *g = (gint) s->group;
  }
  for (guint i = 0; *g >= 0 && i < plan->trace->len; i++) {
    const LpTraceStep *step = &g_array_index (plan->trace, LpTraceStep, i);
    if (step->kind != LP_TRACE_CHOSEN)
      continue;
    if (step->group == (guint) *g) {
      *from = start, *to = i + 1;
      return TRUE;
    }
    start = i + 1;
  }
  return FALSE;
}

guint
lp_trace_why (const LpPlan *plan, const char *id, const char *site, gboolean *show)
{
  g_autoptr (GHashTable)
    steps = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_array_unref);
  g_autoptr (GHashTable) chosen = NULL;
  guint marked = 0, from = 0, to;
  gint g = -1;

  if (plan->trace == NULL)
    return 0;
  to = plan->trace->len;
  if (site != NULL && !group_steps (plan, site, &g, &from, &to))
    return 0;
  /* each formula key's steps, in trace order */
  for (guint i = from; i < to; i++) {
    const LpTraceStep *step = &g_array_index (plan->trace, LpTraceStep, i);
    char *key;
    GArray *at;
    if (step->kind != LP_TRACE_FORMULA)
      continue;
    key = formula_key (step->tmpl->id, step->site, step->formula->name);
    at = g_hash_table_lookup (steps, key);
    if (at == NULL) {
      at = g_array_new (FALSE, FALSE, sizeof (guint));
      g_hash_table_insert (steps, key, at);
    } else
      g_free (key);
    g_array_append_val (at, i);
  }
  for (guint i = from; i < to; i++) {
    const LpTraceStep *step = &g_array_index (plan->trace, LpTraceStep, i);
    gboolean names = step->tmpl != NULL && strcmp (step->tmpl->id, id) == 0;
    gboolean why;
    switch (step->kind) {
    case LP_TRACE_CANDIDATE:
    case LP_TRACE_NOT_CONSIDERED:
    case LP_TRACE_CHOSEN: why = names; break;
    case LP_TRACE_FORMULA:
      if (strcmp (step->formula->name, id) != 0)
        why = FALSE;
      else {
        if (chosen == NULL)
          chosen = chosen_designs (plan, g);
        why = g_hash_table_contains (chosen, step->tmpl);
      }
      break;
    default: why = FALSE; break;
    }
    if (!why)
      continue;
    if (!show[i]) {
      show[i] = TRUE;
      marked++;
    }
    if (step->kind == LP_TRACE_FORMULA)
      marked += mark_read (plan, steps, i, show, 0);
  }
  return marked;
}
