/* lp-write-xlsx-design.c: the Alternatives, Assumptions and Rule trace sheets. */
#include "lp-write-xlsx.h"

/* ---- 5. Alternatives, 6. Assumptions, 7. Rule trace ---- */

static void
alternative_row (LpSheet *sh, const LpPlan *plan, const char *label, const LpCandidate *c,
                 gboolean chosen)
{
  g_autofree char *missed = NULL;

  lp_sheet_put_text (sh, 0, label, NULL);
  lp_sheet_put_text (sh, 1, c->tmpl->name, chosen ? sh->b->bold : NULL);
  lp_sheet_put_text (sh, 2,
                     c->tmpl->branch ? "branch site"
                                     : lp_report_edition (sh->b->r, c->tmpl->edition)->name,
                     NULL);
  lp_sheet_put_text (sh, 3,
                     chosen        ? "chosen"
                     : c->excluded ? "not considered"
                                   : "alternative",
                     NULL);
  if (c->excluded != NULL) {
    lp_sheet_put_words (sh, 8, c->excluded, NULL);
    lp_sheet_next_row (sh);
    return;
  }
  missed = lp_candidate_misses_words (plan, c);
  lp_sheet_put_num (sh, 4, (double) c->servers, sh->b->count);
  lp_sheet_put_num (sh, 5, (double) c->appliances, sh->b->count);
  lp_sheet_put_num (sh, 6, c->cost, sh->b->r->currency ? sh->b->money : sh->b->count);
  lp_sheet_put_text (sh, 7, c->feasible ? "yes" : "no", NULL);
  lp_sheet_put_text (sh, 8, c->feasible ? "" : missed, NULL);
  lp_sheet_next_row (sh);
}

void
lp_xlsx_alternatives (LpBook *b, const LpPlan *plan)
{
  static const double caps[] = { 12, 30, 18, 14, 0, 0, 16, 12, 34, -1 };
  g_autofree char *cost = b->r->currency
                            ? g_strdup_printf ("Cost (%s)", b->r->currency)
                            : g_strdup ("Cost (machines: servers, appliances, reverse proxies)");
  const char *const head[] = { "Sites",   "Design",     "Edition", "Status",
                               "Servers", "Appliances", cost,      "Meets every requirement",
                               "Misses",  NULL };
  LpSheet sh;

  lp_sheet_open (b, &sh, "Alternatives");
  if (sh.ws == NULL)
    return;
  lp_sheet_set_caps (&sh, caps);
  lp_sheet_header (&sh, head);
  for (guint gi = 0; gi < plan->groups->len; gi++) {
    const LpGroup *g = &g_array_index (plan->groups, LpGroup, gi);
    g_autofree char *label = lp_plan_group_label (plan, gi);
    for (guint t = 0; t < b->r->n_templates; t++)
      if (!g->candidates[t].other_kind)
        alternative_row (&sh, plan, label, &g->candidates[t], t == g->chosen);
  }
  lp_sheet_close (&sh);
}

void
lp_xlsx_assumptions (LpBook *b, const LpReport *r)
{
  static const char *const head[] = { "Name", "Value used", "Rule file value",
                                      "Unit", "Source",     "Overridden",
                                      NULL };
  static const double caps[] = { 28, 12, 12, 14, 60, 12, -1 };
  LpSheet sh;

  lp_sheet_open (b, &sh, "Assumptions");
  if (sh.ws == NULL)
    return;
  lp_sheet_set_caps (&sh, caps);
  sh.dashes[4] = TRUE; /* Source */
  lp_sheet_header (&sh, head);
  for (guint i = 0; i < r->assumptions->len; i++) {
    const LpRuleVar *v = g_ptr_array_index (r->assumptions, i);
    gboolean is_default = TRUE;
    g_autofree char *used = lp_plan_setting_text (r->plan, v->name, &is_default);
    g_autofree char *source = NULL;

    source = lp_sheet_source_words (&sh, v->source);
    lp_sheet_put_text (&sh, 0, v->name, NULL);
    lp_sheet_put_text (&sh, 1, used, NULL);
    lp_sheet_put_text (&sh, 2, v->text, NULL);
    lp_sheet_put_text (&sh, 3, v->unit ? v->unit : "", NULL);
    lp_sheet_put_text (&sh, 4, source, NULL);
    lp_sheet_put_text (&sh, 5, is_default ? "" : "yes", is_default ? NULL : sh.b->bold);
    lp_sheet_next_row (&sh);
  }
  lp_sheet_next_row (&sh);
  lp_sheet_put_note (&sh, NULL, 0, 5,
                     "The figures this plan's designs used at its sites, and any the scenario "
                     "set; 'lyncplan rules' lists every figure of the rule set.",
                     LP_MERGED_WIDTH);
  lp_sheet_close (&sh);
}

void
lp_xlsx_trace (LpBook *b, const LpReport *r)
{
  static const char *const head[] = { "Step", "Rule fired", NULL };
  static const double caps[] = { 0, 110, -1 };
  LpSheet sh;

  lp_sheet_open (b, &sh, "Rule trace");
  if (sh.ws == NULL)
    return;
  lp_sheet_set_caps (&sh, caps);
  lp_sheet_header (&sh, head);
  for (guint i = 0; r->trace != NULL && i < r->trace->len; i++) {
    lp_sheet_put_num (&sh, 0, i + 1, sh.b->count);
    lp_sheet_put_text (&sh, 1, g_ptr_array_index (r->trace, i), NULL);
    lp_sheet_next_row (&sh);
  }
  lp_sheet_close (&sh);
}
