/* lp-trace.c: a plan's trace in words (lp-trace.h). */
#include "lp-trace.h"

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
