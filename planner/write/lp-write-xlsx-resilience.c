/* lp-write-xlsx-resilience.c: the Resilience and SLA budget sheets. */
#include "lp-write-xlsx.h"

/* ---- 8. Resilience, 9. SLA budget, 10. DNS plan ---- */

static void
failure_row (LpSheet *sh, const LpPlan *plan, guint at, const LpFailure *f,
             const LpFailureResult *r)
{
  static const char *const scopes[] = { "one component", "several at once", "the whole site",
                                        "after recovery" };
  double rto, rpo;
  const char *site = g_array_index (plan->sites, LpPlanSite, at).name;
  gboolean meets = lp_failure_targets (plan, at, f, r, &rto, &rpo);
  g_autofree char *back = lp_format_duration (r->rto), *lost = lp_format_duration (r->rpo);
  g_autofree char *trto = lp_format_duration (rto), *trpo = lp_format_duration (rpo);
  g_autofree char *target = g_strdup_printf ("%s / %s", trto, trpo);
  g_autoptr (GString) steps = g_string_new (NULL);
  g_autofree char *sum = lp_failure_sum_text (plan, f, r);
  gboolean planned = f->scope == LP_FAILURE_PLANNED;
  guint n = 0;

  g_string_append_printf (steps, "%s %s", planned ? "Takes" : "Back in", sum);
  for (guint i = 0; i < f->n_steps; i++) {
    g_autofree char *step = NULL;
    if (!(r->step_applies & (1u << i)))
      continue;
    step = lp_failure_step_text (f, r, i);
    g_string_append_printf (steps, "\n%u. %s", ++n, step);
  }
  if (planned) {
    g_free (target);
    target = g_strdup ("-");
  }
  lp_sheet_put_text (sh, 0, site, sh->b->top);
  lp_sheet_put_text (sh, 1, f->label, sh->b->top);
  lp_sheet_put_text (sh, 2, scopes[f->scope], sh->b->top);
  lp_sheet_put_text (sh, 3, r->automatic ? "automatic" : "manual", sh->b->top);
  lp_sheet_put_text (sh, 4, back, sh->b->top);
  lp_sheet_put_text (sh, 5, lost, sh->b->top);
  lp_sheet_put_text (sh, 6, target, sh->b->top);
  /* several failures at once are beyond what the targets ask: said, not failed */
  lp_sheet_put_text (sh, 7,
                     planned                           ? "-"
                     : meets                           ? "meets"
                     : f->scope == LP_FAILURE_MULTIPLE ? "beyond the targets"
                                                       : "MISSES",
                     sh->b->top);
  lp_sheet_put_words (sh, 8, f->effect, sh->b->wrap);
  lp_sheet_put_words (sh, 9, steps->str, sh->b->wrap);
  lp_sheet_next_row (sh);
}

void
lp_xlsx_resilience (LpBook *b, const LpPlan *plan, const LpResilience *res)
{
  static const char *const head[] = {
    "Site",   "Failure",           "Scope", "Recovery", "Back in", "Data lost", "Target RTO / RPO",
    "Result", "What users notice", "Steps", NULL
  };
  static const double caps[] = { 12, 20, 10, 10, 9, 9, 12, 9, 28, 40, -1 };
  LpSheet sh;

  lp_sheet_open (b, &sh, "Resilience");
  if (sh.ws == NULL)
    return;
  lp_sheet_set_caps (&sh, caps);
  lp_sheet_header (&sh, head);
  for (guint i = 0; i < plan->sites->len; i++) {
    const LpCandidate *c;
    const LpSiteSizing *z = lp_plan_site_sizing (plan, i, &c);
    for (guint k = 0; !z->empty && k < b->r->failures->len; k++) {
      const LpFailureResult *r = lp_site_failure (z, k);
      if (r != NULL)
        failure_row (&sh, plan, i, g_ptr_array_index (b->r->failures, k), r);
    }
  }
  for (guint q = 0; q < res->quorum->len; q++) {
    const LpQuorumRow *row = &g_array_index (res->quorum, LpQuorumRow, q);
    g_autofree char *of = row->of_first ? g_strdup_printf (" of the first %u", row->of_first)
                                        : g_strdup ("");
    g_autofree char *text =
      row->listed
        ? g_strdup_printf (
            "%s: %u Front End servers: any %u%s must run (any %u can fail); %u must be up to start it%s",
            row->pool->name, row->servers, row->must_run, of, row->can_lose, row->to_start,
            row->flagged ? ": FLAGGED" : "")
        : g_strdup_printf ("%s: %u servers: FLAGGED: no quorum figures for this size",
                           row->pool->name, row->servers);
    if (q == 0)
      lp_sheet_next_row (&sh);
    lp_sheet_put_note (&sh, "Quorum", 1, 9, text, LP_MERGED_WIDTH);
  }
  for (guint i = 0; i < res->data->len; i++) {
    const LpDataRow *d = &g_array_index (res->data, LpDataRow, i);
    g_autofree char *loss = lp_format_duration (d->loss);
    g_autofree char *text = d->data->checked
                              ? g_strdup_printf ("%s: counted by the RPO checks: %s",
                                                 d->data->label, d->data->note)
                              : g_strdup_printf ("%s: up to %s lost, not in the RPO checks: %s",
                                                 d->data->label, loss, d->data->note);
    if (i == 0)
      lp_sheet_next_row (&sh);
    lp_sheet_put_note (&sh, "Data", 1, 9, text, LP_MERGED_WIDTH);
  }
  lp_sheet_close (&sh);
}

/* The downtime budget below the SLA table: per group and user class the
 * total, then each contributor, largest first (the text's table). */
static void
sla_downtime (LpSheet *sh, const LpPlan *plan, const LpResilience *res)
{
  static const char *const head[] = { "Group",          "Users",   "Site",    "Contributor",
                                      "Minutes a year", "Planned", "Counted", NULL };

  if (res->availability->len == 0)
    return;
  lp_sheet_next_row (sh);
  lp_sheet_next_row (sh);
  /* a second table: its header bold, the panes still frozen under the first */
  for (guint c = 0; head[c] != NULL; c++)
    lp_sheet_put_text (sh, c, head[c], sh->b->bold);
  lp_sheet_next_row (sh);
  for (guint i = 0; i < res->availability->len; i++) {
    const LpGroupAvailability *ga = &g_array_index (res->availability, LpGroupAvailability, i);
    g_autofree char *label = lp_plan_group_label (plan, ga->group);
    for (guint u = 0; u < LP_AVAIL_N_CLASSES; u++) {
      const LpAvailClass *a = &ga->classes[u];
      g_autofree char *pct = lp_format_decimal (a->percent, 4);
      g_autofree char *total = g_strdup_printf ("total: availability %s%%", pct);
      lp_sheet_put_text (sh, 0, label, sh->b->bold);
      lp_sheet_put_text (sh, 1, lp_avail_class_names[u], sh->b->bold);
      lp_sheet_put_text (sh, 2, g_array_index (plan->sites, LpPlanSite, a->site).name, NULL);
      lp_sheet_put_text (sh, 3, total, sh->b->bold);
      lp_sheet_put_num (sh, 4, a->downtime, sh->b->decimal);
      lp_sheet_next_row (sh);
      for (guint k = 0; k < a->contributors->len; k++) {
        const LpAvailContributor *c = g_ptr_array_index (a->contributors, k);
        lp_sheet_put_text (sh, 3, c->component, NULL);
        lp_sheet_put_num (sh, 4, c->minutes, sh->b->decimal);
        lp_sheet_put_text (sh, 5, c->planned ? "yes" : "no", NULL);
        lp_sheet_put_text (sh, 6, c->counted ? "yes" : "no", NULL);
        lp_sheet_next_row (sh);
      }
    }
  }
}

void
lp_xlsx_sla (LpBook *b, const LpPlan *plan, const LpResilience *res)
{
  static const char *const head[] = { "Period", "Allowed downtime", "Minutes", NULL };
  static const double caps[] = { 16, 18, 14, 50, 0, 0, 0, -1 };
  const LpSlaBudget *bud = &res->sla;
  g_autofree char *sla = lp_format_decimal (bud->sla, 4);
  g_autofree char *title =
    g_strdup_printf ("SLA %s%%%s: a year of 365.25 days, a quarter of 1/4 and a month of 1/12 year",
                     sla, bud->sla_default ? " (default)" : "");
  LpSheet sh;

  lp_sheet_open (b, &sh, "SLA budget");
  if (sh.ws == NULL)
    return;
  lp_sheet_set_caps (&sh, caps);
  lp_sheet_header (&sh, head);
  for (guint i = 0; i < G_N_ELEMENTS (lp_sla_periods); i++) {
    g_autofree char *d = lp_format_duration (bud->allowed[i]);
    lp_sheet_put_text (&sh, 0, lp_sla_periods[i], NULL);
    lp_sheet_put_text (&sh, 1, d, NULL);
    lp_sheet_put_num (&sh, 2, bud->allowed[i], sh.b->decimal);
    lp_sheet_next_row (&sh);
  }
  if (bud->modeled) {
    g_autofree char *d = lp_format_duration (bud->modeled_year);
    g_autofree char *sup = lp_format_decimal (bud->supported_sla, 4);
    g_autofree char *verdict = g_strdup_printf ("the design supports %s%%: %s", sup,
                                                bud->meets ? "meets the target"
                                                           : "BELOW the target");
    lp_sheet_put_text (&sh, 0, "modeled a year", sh.b->bold);
    lp_sheet_put_text (&sh, 1, d, NULL);
    lp_sheet_put_num (&sh, 2, bud->modeled_year, sh.b->decimal);
    lp_sheet_put_text (&sh, 3, verdict, NULL);
    lp_sheet_next_row (&sh);
  }
  lp_sheet_next_row (&sh);
  lp_sheet_put_note (&sh, NULL, 0, 3, title, 60); /* fits A:D as the budget table leaves them */
  sla_downtime (&sh, plan, res);
  lp_sheet_close (&sh);
}
