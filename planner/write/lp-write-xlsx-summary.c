/* lp-write-xlsx-summary.c: the Summary sheet. */
#include "lp-write-xlsx.h"
#include "lp-text.h"

/* ---- 1. Summary ---- */

static void
pair_row (LpSheet *sh, const char *label, const char *value)
{
  lp_sheet_put_text (sh, 0, label, sh->b->bold);
  lp_sheet_put_text (sh, 1, value, NULL);
  lp_sheet_next_row (sh);
}

/* The chosen designs by name, each once: "Enterprise Edition pools, paired across sites". */
static char *
design_names (const LpPlan *plan)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new ();

  for (guint i = 0; i < plan->groups->len; i++) {
    const LpCandidate *c = lp_plan_group_choice (plan, i);
    if (!g_ptr_array_find_with_equal_func (names, c->tmpl->name, g_str_equal, NULL))
      g_ptr_array_add (names, c->tmpl->name);
  }
  g_ptr_array_add (names, NULL);
  return g_strjoinv ("; ", (char **) names->pdata);
}

static void
summary_header (LpSheet *sh, const LpReport *r)
{
  const LpPlan *plan = r->plan;
  const LpResilience *res = r->resilience;
  g_autoptr (GString) domains = g_string_new (NULL);
  guint64 more = 0;
  g_autofree char *placeholder = g_strdup_printf (
    "%s: a placeholder. Every DNS name and certificate of this plan uses it; they change when "
    "the customer's SIP domain is given.",
    res->sip_domain);
  g_autofree char *title = g_strdup_printf ("%s deployment plan", r->product);
  g_autofree char *rules = g_strdup_printf ("%s, version %s", r->rule_set_id, r->rule_set_version);
  g_autofree char *design = design_names (plan);

  lp_sheet_put_text (sh, 0, title, sh->b->title);
  lp_sheet_next_row (sh);
  lp_sheet_next_row (sh);
  pair_row (sh, "Engagement", r->title ? r->title : "(not named)");
  if (r->customer != NULL)
    pair_row (sh, "Prepared for", r->customer);
  if (r->company != NULL)
    pair_row (sh, "Prepared by", r->company);
  if (r->author != NULL)
    pair_row (sh, "Author", r->author);
  pair_row (sh, "Date", r->date ? r->date : "(not given)");
  for (guint i = 0; res->sip_domains[i] != NULL; i++)
    lp_name_list_add (domains, &more, res->sip_domains[i], LP_NAME_LIST_MAX);
  lp_name_list_end (domains, more);
  pair_row (sh, res->sip_domains[1] ? "SIP domains" : "SIP domain",
            res->sip_domain_default ? placeholder : domains->str);
  pair_row (sh, "Product", r->product);
  pair_row (sh, "Rule set", rules);
  pair_row (sh, "Planned with", "lyncplan " LP_VERSION);
  pair_row (sh, "Design", design);
  pair_row (sh, "Verdict",
            plan->feasible ? "meets every requirement"
            : lp_unmet_plan_only (plan, r->unmet)
              ? "meets every requirement the product can meet; below, what it "
                "cannot and what would"
              : "no design meets every requirement; the closest is shown");
  for (guint i = 0; i < r->unmet->len; i++) {
    const LpUnmet *u = g_ptr_array_index (r->unmet, i);
    g_autoptr (GString) text = g_string_new (NULL);
    g_string_append_printf (text,
                            "%s, asked at %s: the best any design achieves is %s. To meet it: ",
                            u->check->title, u->sites->str, u->best);
    for (guint k = 0; k < u->remedies->len; k++)
      g_string_append_printf (text, "%s%s", k ? "; or " : "",
                              (char *) g_ptr_array_index (u->remedies, k));
    g_string_append_c (text, '.');
    lp_sheet_put_text (sh, 0, "Not possible with this product", sh->b->bold);
    lp_sheet_put_words (sh, 1, text->str, NULL);
    lp_sheet_next_row (sh);
  }
}

static void
count_row (LpSheet *sh, const char *label, double n)
{
  lp_sheet_put_text (sh, 0, label, sh->b->bold);
  lp_sheet_put_num (sh, 1, n, sh->b->count_left);
  lp_sheet_next_row (sh);
}

/* The Bill of Materials' total cost cell, as a formula's reference. */
static char *
bom_total_ref (const LpReport *r)
{
  LpBook probe = { .dry_run = TRUE, .r = r };
  char ref[LXW_MAX_CELL_NAME_LENGTH];

  lp_xlsx_bom (&probe, r->plan);
  lxw_rowcol_to_cell_abs (ref, probe.bom_total, LP_BOM_EXTENDED, TRUE, TRUE);
  return g_strdup_printf ("='Bill of Materials'!%s", ref);
}

static void
summary_totals (LpSheet *sh, const LpPlan *plan)
{
  guint64 users = 0;

  for (guint i = 0; i < plan->sites->len; i++)
    users += g_array_index (plan->sites, LpPlanSite, i).own_users; /* a branch's once */
  count_row (sh, "Users", (double) users);
  count_row (sh, "Servers", (double) plan->servers);
  count_row (sh, "Appliances", (double) plan->appliances);
  count_row (sh, "Reverse proxies", (double) plan->reverse_proxies);
  if (sh->b->r->currency != NULL) {
    g_autofree char *label = g_strdup_printf ("Cost (%s)", sh->b->r->currency);
    g_autofree char *formula = bom_total_ref (sh->b->r);
    lp_sheet_put_text (sh, 0, label, sh->b->bold);
    lp_sheet_put_formula (sh, 1, formula, plan->cost, sh->b->money_left);
    lp_sheet_put_text (sh, 2, "the Bill of Materials' total: editing a price there updates it",
                       NULL);
    lp_sheet_next_row (sh);
    if (sh->b->r->price_note != NULL)
      pair_row (sh, "Prices", sh->b->r->price_note);
  }
  lp_sheet_next_row (sh);
}

static void
summary_sites (LpSheet *sh, const LpPlan *plan)
{
  lp_sheet_put_text (sh, 0, "Site", sh->b->bold);
  lp_sheet_put_text (sh, 1, "Users", sh->b->bold);
  lp_sheet_put_text (sh, 2, "Role", sh->b->bold);
  lp_sheet_put_text (sh, 3, "Working remotely", sh->b->bold);
  lp_sheet_next_row (sh);
  for (guint i = 0; i < plan->sites->len; i++) {
    const LpPlanSite *site = &g_array_index (plan->sites, LpPlanSite, i);
    const char *partner = site->partner >= 0
                            ? g_array_index (plan->sites, LpPlanSite, site->partner).name
                            : NULL;
    g_autofree char *role = site->warm
                              ? g_strdup_printf ("warm standby for %s, added for disaster recovery",
                                                 partner)
                            : partner ? g_strdup_printf ("paired with %s", partner)
                                      : g_strdup ("");
    g_autofree char *facts = lp_plan_site_facts (plan, i, FALSE);
    g_autofree char *remote = lp_format_decimal (site->remote_percent, 2);
    g_autofree char *share = g_strdup_printf ("%s%%", remote);
    if (facts[0] != '\0') {
      char *both = g_strconcat (role, role[0] ? ", " : "", facts, NULL);
      g_free (role);
      role = both;
    }
    lp_sheet_put_text (sh, 0, site->name, NULL);
    lp_sheet_put_num (sh, 1, (double) site->users, sh->b->count_left);
    lp_sheet_put_words (sh, 2, role, NULL);
    lp_sheet_put_text (sh, 3, share, NULL);
    lp_sheet_next_row (sh);
  }
  lp_sheet_next_row (sh);
}

static void
summary_inputs (LpSheet *sh, const LpReport *r)
{
  lp_sheet_put_text (sh, 0, "Requirement", sh->b->bold);
  lp_sheet_put_text (sh, 1, "Value", sh->b->bold);
  lp_sheet_put_text (sh, 2, "Default?", sh->b->bold);
  lp_sheet_next_row (sh);
  for (guint i = 0; i < r->inputs->len; i++) {
    const LpReportInput *ri = &g_array_index (r->inputs, LpReportInput, i);
    const LpInput *in = ri->in;
    gboolean is_default = TRUE;
    g_autofree char *text = NULL;
    if (ri->per_site)
      continue; /* said per site: in the sites table */
    text = lp_plan_input_text (r->plan, in, &is_default);
    lp_sheet_put_text (sh, 0, in->title, NULL);
    lp_sheet_put_text (sh, 1, text, NULL);
    lp_sheet_put_text (sh, 2, is_default ? "default" : "", NULL);
    lp_sheet_next_row (sh);
  }
  lp_sheet_next_row (sh);
}

static void
summary_designs (LpSheet *sh, const LpPlan *plan)
{
  lp_sheet_put_text (sh, 0, "Sites", sh->b->bold);
  lp_sheet_put_text (sh, 1, "Design", sh->b->bold);
  lp_sheet_put_text (sh, 2, "What it is", sh->b->bold);
  lp_sheet_next_row (sh);
  for (guint i = 0; i < plan->groups->len; i++) {
    g_autofree char *label = lp_plan_group_label (plan, i);
    const LpCandidate *c = lp_plan_group_choice (plan, i);
    g_autofree char *what = g_strdup_printf ("%s.", c->tmpl->description);
    lp_sheet_put_text (sh, 0, label, NULL);
    lp_sheet_put_text (sh, 1, c->tmpl->name, NULL);
    lp_sheet_put_text (sh, 2,
                       g_array_index (plan->groups, LpGroup, i).empty ? "no users: nothing built"
                                                                      : what,
                       NULL);
    lp_sheet_next_row (sh);
  }
  lp_sheet_next_row (sh);
}

/* One row of the requirements table: a check's result, the same at @sites. */
typedef struct {
  const LpCheck *check;
  char *target, *achieved, *result;
  GString *sites; /* the groups' labels, joined by ", " (lp_name_list_add()) */
  guint64 more;   /* the groups left out of @sites */
} LpCheckRow;

static void
check_row_free (gpointer p)
{
  LpCheckRow *row = p;
  g_free (row->target);
  g_free (row->achieved);
  g_free (row->result);
  if (row->sites != NULL) /* a row merged into an earlier one has none */
    g_string_free (row->sites, TRUE);
  g_free (row);
}

/* The requirements table, each result said once: the groups whose check
 * reads the same (target, achieved, result) share a row, in the order the
 * groups first give it. Linear in groups times checks (a hash of rows). */
static GPtrArray *
check_rows (const LpReport *report)
{
  const LpPlan *plan = report->plan;
  GPtrArray *rows = g_ptr_array_new_with_free_func (check_row_free);
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint gi = 0; gi < plan->groups->len; gi++) {
    const LpCandidate *c = lp_plan_group_choice (plan, gi);
    g_autofree char *label = lp_plan_group_label (plan, gi);
    for (guint k = 0; k < report->checks->len; k++) {
      const LpCheck *check = g_ptr_array_index (report->checks, k);
      const LpCheckResult *r = &c->checks[k];
      LpCheckRow *row;
      char *key;
      if (!r->applies)
        continue;
      row = g_new0 (LpCheckRow, 1);
      row->check = check;
      row->target = lp_check_format_value (check, r->target);
      row->achieved = lp_check_format_value (check, r->achieved);
      row->result = lp_check_result_text (check, r);
      key = g_strdup_printf ("%u\n%s\n%s\n%s", k, row->target, row->achieved, row->result);
      LpCheckRow *same = g_hash_table_lookup (seen, key);
      if (same != NULL) {
        lp_name_list_add (same->sites, &same->more, label, LP_NAME_LIST_MAX);
        check_row_free (row);
        g_free (key);
        continue;
      }
      row->sites = g_string_new (label);
      g_hash_table_insert (seen, key, row);
      g_ptr_array_add (rows, row);
    }
  }
  return rows;
}

static void
summary_checks (LpSheet *sh, const LpPlan *plan)
{
  lxw_row_t first = sh->row + 1;
  lxw_conditional_format miss = { .type = LXW_CONDITIONAL_TYPE_TEXT,
                                  .criteria = LXW_CONDITIONAL_CRITERIA_TEXT_CONTAINING,
                                  .value_string = "MISS",
                                  .format = sh->b->miss };
  lxw_conditional_format pass = { .type = LXW_CONDITIONAL_TYPE_TEXT,
                                  .criteria = LXW_CONDITIONAL_CRITERIA_TEXT_CONTAINING,
                                  .value_string = "pass",
                                  .format = sh->b->pass };
  static const char *const head[] = { "Sites", "Requirement", "Target", "Achieved", "Result" };

  for (guint i = 0; i < G_N_ELEMENTS (head); i++)
    lp_sheet_put_text (sh, (lxw_col_t) i, head[i], sh->b->bold);
  lp_sheet_next_row (sh);
  g_autoptr (GPtrArray) rows = check_rows (sh->b->r);
  for (guint i = 0; i < rows->len; i++) {
    LpCheckRow *row = g_ptr_array_index (rows, i);
    lp_name_list_end (row->sites, row->more);
    lp_sheet_put_text (sh, 0, row->sites->str, NULL);
    lp_sheet_put_text (sh, 1, row->check->title, NULL);
    lp_sheet_put_text (sh, 2, row->target, NULL);
    lp_sheet_put_text (sh, 3, row->achieved, NULL);
    lp_sheet_put_text (sh, 4, row->result, NULL);
    lp_sheet_next_row (sh);
  }
  if (sh->row > first && !sh->b->dry_run) {
    lp_book_check (sh->b,
                   worksheet_conditional_format_range (sh->ws, first, 4, sh->row - 1, 4, &miss),
                   sh->name);
    lp_book_check (sh->b,
                   worksheet_conditional_format_range (sh->ws, first, 4, sh->row - 1, 4, &pass),
                   sh->name);
  }
}

void
lp_xlsx_summary (LpBook *b, const LpReport *r)
{
  const LpPlan *plan = r->plan;
  static const double caps[] = { 44, 46, 56, 0, 0, -1 };
  LpSheet sh;

  lp_sheet_open (b, &sh, "Summary");
  if (sh.ws == NULL)
    return;
  lp_sheet_set_caps (&sh, caps);
  summary_header (&sh, r);
  summary_totals (&sh, plan);
  summary_sites (&sh, plan);
  summary_inputs (&sh, r);
  summary_designs (&sh, plan);
  summary_checks (&sh, plan);
  lp_sheet_close (&sh);
}
