/* lp-write-xlsx.c: the customer deliverable, one function per sheet. Every
 * libxlsxwriter return code is checked; the first failure is reported. Site,
 * customer and role names are only ever written as strings, never formulas,
 * and never used as sheet names. */
#include "lp-write.h"

#include <math.h>
#include <string.h>
#include <xlsxwriter.h>

#include "lp-config.h"
#include "lp-error.h"
#include "lp-output.h"
#include "lp-resilience.h"
#include "lp-units.h"

#define LP_MAX_COLS 12
/* Column widths in characters: wide enough for headers, narrow enough to print. */
#define LP_MIN_WIDTH 6.0
#define LP_MAX_WIDTH 90.0
/* The Resilience sheet's wrapped columns and the height of one text line. */
#define LP_EFFECT_WIDTH 60.0
#define LP_STEPS_WIDTH 70.0
#define LP_LINE_HEIGHT 15.0

typedef struct {
  lxw_workbook *wb;
  lxw_format *bold, *title, *count, *money, *pass, *miss;
  lxw_format *count_left, *money_left; /* figures beside their labels on the Summary */
  lxw_format *decimal, *wrap, *top;
  lxw_error err;
  char *err_where;
  gboolean dry_run;    /* write nothing: count the rows each sheet needs */
  lxw_row_t rows;      /* the most a sheet of the dry run needed */
  const char *fullest; /* that sheet */
} LpBook;

/* libxlsxwriter's calls, skipped in a dry run (which has no workbook). */
#define LP_LXW(sh, call) ((sh)->b->dry_run ? LXW_NO_ERROR : (call))

typedef struct {
  LpBook *b;
  lxw_worksheet *ws;
  const char *name;
  double width[LP_MAX_COLS];
  lxw_row_t row;
  lxw_row_t header; /* the table's header row */
  guint n_cols;     /* of the table, 0 when the sheet has none */
} LpSheet;

static void
check (LpBook *b, lxw_error e, const char *where)
{
  if (e == LXW_NO_ERROR || b->err != LXW_NO_ERROR)
    return;
  b->err = e;
  b->err_where = g_strdup (where);
}

static void
widen (LpSheet *sh, lxw_col_t col, gsize chars)
{
  if (col < LP_MAX_COLS)
    sh->width[col] = MAX (sh->width[col], (double) chars + 2);
}

static void
put_text (LpSheet *sh, lxw_col_t col, const char *text, lxw_format *fmt)
{
  if (text == NULL)
    return;
  check (sh->b, LP_LXW (sh, worksheet_write_string (sh->ws, sh->row, col, text, fmt)), sh->name);
  widen (sh, col, (gsize) g_utf8_strlen (text, -1));
}

static void
put_num (LpSheet *sh, lxw_col_t col, double v, lxw_format *fmt)
{
  g_autofree char *text = lp_format_decimal (v, 2);

  check (sh->b, LP_LXW (sh, worksheet_write_number (sh->ws, sh->row, col, v, fmt)), sh->name);
  widen (sh, col, strlen (text) + strlen (text) / 3);
}

/* A formula whose cached result is the value the engine computed, so every
 * viewer shows the right figure before recalculating. */
static void
put_formula (LpSheet *sh, lxw_col_t col, const char *formula, double v, lxw_format *fmt)
{
  g_autofree char *text = lp_format_decimal (v, 2);

  check (sh->b, LP_LXW (sh, worksheet_write_formula_num (sh->ws, sh->row, col, formula, fmt, v)),
         sh->name);
  widen (sh, col, strlen (text) + strlen (text) / 3);
}

static void
sheet_open (LpBook *b, LpSheet *sh, const char *name)
{
  memset (sh, 0, sizeof *sh);
  sh->b = b;
  sh->name = name;
  if (b->dry_run) {
    static lxw_worksheet none; /* never written to: not NULL, so the sheet is "written" */
    sh->ws = &none;
    return;
  }
  sh->ws = workbook_add_worksheet (b->wb, name);
  if (sh->ws == NULL) {
    check (b, LXW_ERROR_MEMORY_MALLOC_FAILED, name);
    return;
  }
  /* printed: landscape, one page wide, page numbers */
  worksheet_set_landscape (sh->ws);
  worksheet_fit_to_pages (sh->ws, 1, 0);
  check (b, worksheet_set_footer (sh->ws, "&CPage &P of &N"), name);
}

/* Writes a bold header row and freezes the panes below it. */
static void
table_header (LpSheet *sh, const char *const *names)
{
  sh->header = sh->row;
  for (sh->n_cols = 0; names[sh->n_cols] != NULL; sh->n_cols++)
    put_text (sh, (lxw_col_t) sh->n_cols, names[sh->n_cols], sh->b->bold);
  if (!sh->b->dry_run)
    worksheet_freeze_panes (sh->ws, sh->row + 1, 0);
  check (sh->b, LP_LXW (sh, worksheet_repeat_rows (sh->ws, sh->row, sh->row)), sh->name);
  sh->row++;
}

/* The last row a sheet writes is sh->row, or the one before. */
static void
sheet_close (LpSheet *sh)
{
  if (sh->b->dry_run) {
    if (sh->row >= sh->b->rows) {
      sh->b->rows = sh->row + 1;
      sh->b->fullest = sh->name;
    }
    return;
  }
  for (lxw_col_t c = 0; c < LP_MAX_COLS; c++) {
    if (sh->width[c] > 0)
      check (sh->b,
             worksheet_set_column (sh->ws, c, c, CLAMP (sh->width[c], LP_MIN_WIDTH, LP_MAX_WIDTH),
                                   NULL),
             sh->name);
  }
  if (sh->n_cols > 0 && sh->row > sh->header + 1)
    check (sh->b,
           worksheet_autofilter (sh->ws, sh->header, 0, sh->row - 1, (lxw_col_t) (sh->n_cols - 1)),
           sh->name);
}

static const LpRole *
role_at (const LpPlan *plan, guint r)
{
  return g_ptr_array_index (plan->rs->roles, r);
}

/* ---- 1. Summary ---- */

static void
pair_row (LpSheet *sh, const char *label, const char *value)
{
  put_text (sh, 0, label, sh->b->bold);
  put_text (sh, 1, value, NULL);
  sh->row++;
}

static void
summary_header (LpSheet *sh, const LpPlan *plan, const char *date)
{
  const LpEdition *e = lp_ruleset_find_edition (plan->rs, lp_plan_edition (plan));
  g_autofree char *title = g_strdup_printf ("%s deployment plan", plan->rs->product);
  g_autofree char *rules = g_strdup_printf ("%s, version %s", plan->rs->id, plan->rs->version);
  g_autofree char *design = g_strdup_printf ("%s%s%s%s", lp_plan_design (plan), e ? " (" : "",
                                             e ? e->name : "", e ? ")" : "");

  put_text (sh, 0, title, sh->b->title);
  sh->row += 2;
  pair_row (sh, "Engagement",
            plan->sc->title ? plan->sc->title : "(not named: set name in [scenario])");
  if (plan->sc->company != NULL)
    pair_row (sh, "Prepared by", plan->sc->company);
  if (plan->sc->author != NULL)
    pair_row (sh, "Author", plan->sc->author);
  pair_row (sh, "Date", date ? date : "(not given: set date in [scenario] or SOURCE_DATE_EPOCH)");
  pair_row (sh, "Product", plan->rs->product);
  pair_row (sh, "Rule set", rules);
  pair_row (sh, "Planned with", "lyncplan " LP_VERSION);
  pair_row (sh, "Design", design);
  pair_row (sh, "Verdict",
            plan->feasible ? "meets every requirement"
                           : "no design meets every requirement; the closest is shown");
}

static void
summary_totals (LpSheet *sh, const LpPlan *plan)
{
  put_text (sh, 0, "Servers", sh->b->bold);
  put_num (sh, 1, (double) plan->servers, sh->b->count_left);
  sh->row++;
  put_text (sh, 0, "Appliances", sh->b->bold);
  put_num (sh, 1, (double) plan->appliances, sh->b->count_left);
  sh->row++;
  put_text (sh, 0, "Reverse proxies", sh->b->bold);
  put_num (sh, 1, (double) plan->reverse_proxies, sh->b->count_left);
  sh->row++;
  if (plan->sc->prices != NULL) {
    g_autofree char *label = g_strdup_printf ("Cost (%s)", plan->sc->prices->currency);
    put_text (sh, 0, label, sh->b->bold);
    put_num (sh, 1, plan->cost, sh->b->money_left);
    sh->row++;
    if (plan->sc->prices->note != NULL)
      pair_row (sh, "Prices", plan->sc->prices->note);
  }
  sh->row++;
}

static void
summary_inputs (LpSheet *sh, const LpPlan *plan)
{
  put_text (sh, 0, "Requirement", sh->b->bold);
  put_text (sh, 1, "Value", sh->b->bold);
  put_text (sh, 2, "Default?", sh->b->bold);
  sh->row++;
  for (guint i = 0; i < plan->rs->inputs->len; i++) {
    const LpInput *in = g_ptr_array_index (plan->rs->inputs, i);
    gboolean is_default = TRUE;
    g_autofree char *text = lp_plan_input_text (plan, in, &is_default);
    put_text (sh, 0, in->key, NULL);
    put_text (sh, 1, text, NULL);
    put_text (sh, 2, is_default ? "default" : "", NULL);
    sh->row++;
  }
  sh->row++;
}

static void
summary_designs (LpSheet *sh, const LpPlan *plan)
{
  put_text (sh, 0, "Sites", sh->b->bold);
  put_text (sh, 1, "Design", sh->b->bold);
  put_text (sh, 2, "What it is", sh->b->bold);
  sh->row++;
  for (guint i = 0; i < plan->groups->len; i++) {
    g_autofree char *label = lp_plan_group_label (plan, i);
    const LpCandidate *c = lp_plan_group_choice (plan, i);
    g_autofree char *what = g_strdup_printf ("%s.", c->tmpl->description);
    put_text (sh, 0, label, NULL);
    put_text (sh, 1, c->tmpl->id, NULL);
    put_text (sh, 2,
              g_array_index (plan->groups, LpGroup, i).empty ? "no users: nothing built" : what,
              NULL);
    sh->row++;
  }
  sh->row++;
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
    put_text (sh, (lxw_col_t) i, head[i], sh->b->bold);
  sh->row++;
  for (guint gi = 0; gi < plan->groups->len; gi++) {
    const LpCandidate *c = lp_plan_group_choice (plan, gi);
    g_autofree char *label = lp_plan_group_label (plan, gi);
    for (guint k = 0; k < plan->rs->checks->len; k++) {
      const LpCheck *check = g_ptr_array_index (plan->rs->checks, k);
      const LpCheckResult *r = &c->checks[k];
      g_autofree char *target = NULL, *achieved = NULL, *result = NULL;
      if (!r->applies)
        continue;
      target = lp_check_format_value (check, r->target);
      achieved = lp_check_format_value (check, r->achieved);
      result = lp_check_result_text (check, r);
      put_text (sh, 0, label, NULL);
      put_text (sh, 1, check->label, NULL);
      put_text (sh, 2, target, NULL);
      put_text (sh, 3, achieved, NULL);
      put_text (sh, 4, result, NULL);
      sh->row++;
    }
  }
  if (sh->row > first && !sh->b->dry_run) {
    check (sh->b, worksheet_conditional_format_range (sh->ws, first, 4, sh->row - 1, 4, &miss),
           sh->name);
    check (sh->b, worksheet_conditional_format_range (sh->ws, first, 4, sh->row - 1, 4, &pass),
           sh->name);
  }
}

static void
sheet_summary (LpBook *b, const LpPlan *plan, const char *date)
{
  LpSheet sh;

  sheet_open (b, &sh, "Summary");
  if (sh.ws == NULL)
    return;
  summary_header (&sh, plan, date);
  summary_totals (&sh, plan);
  summary_inputs (&sh, plan);
  summary_designs (&sh, plan);
  summary_checks (&sh, plan);
  sh.width[1] = MIN (sh.width[1], 45);
  sh.width[2] = MIN (sh.width[2], 70);
  sheet_close (&sh);
}

/* ---- 2. Bill of Materials ---- */

static char *
cell (lxw_row_t row, lxw_col_t col)
{
  char ref[LXW_MAX_CELL_NAME_LENGTH];

  lxw_rowcol_to_cell (ref, row, col);
  return g_strdup (ref);
}

static void
bom_role_row (LpSheet *sh, const LpPlan *plan, const char *site, const LpTemplate *t, guint r,
              guint64 count)
{
  const LpPrices *prices = plan->sc->prices;
  double unit;
  g_autofree char *qty = NULL, *hw = NULL, *lic = NULL, *formula = NULL;

  put_text (sh, 0, site, NULL);
  put_text (sh, 1, role_at (plan, r)->name, NULL);
  put_num (sh, 2, (double) count, sh->b->count);
  put_text (sh, 3, role_at (plan, r)->hardware, NULL);
  if (prices != NULL) {
    unit = lp_prices_unit (prices, t, r);
    qty = cell (sh->row, 2);
    hw = cell (sh->row, 4);
    lic = cell (sh->row, 5);
    formula = g_strdup_printf ("=%s*(%s+%s)", qty, hw, lic);
    put_num (sh, 4, prices->hardware[r], sh->b->money);
    put_num (sh, 5, lp_prices_licence (prices, t, r), sh->b->money);
    put_formula (sh, 6, formula, (double) count * unit, sh->b->money);
    if (!prices->priced[r])
      put_text (sh, 7, "not in the price list", NULL);
  }
  sh->row++;
}

/* SUBTOTAL(9, ...) sums a range while skipping other SUBTOTALs in it, so site
 * subtotals and the grand total can share a column. */
static void
bom_total_row (LpSheet *sh, const LpPlan *plan, const char *label, lxw_row_t first, double count,
               double cost)
{
  g_autofree char *a = cell (first, 2), *b = cell (sh->row - 1, 2);
  g_autofree char *c = cell (first, 6), *d = cell (sh->row - 1, 6);
  g_autofree char *qty = g_strdup_printf ("=SUBTOTAL(9,%s:%s)", a, b);
  g_autofree char *money = g_strdup_printf ("=SUBTOTAL(9,%s:%s)", c, d);

  put_text (sh, 0, label, sh->b->bold);
  put_formula (sh, 2, qty, count, sh->b->count);
  if (plan->sc->prices != NULL)
    put_formula (sh, 6, money, cost, sh->b->money);
  sh->row++;
}

/* The site's notes, below its subtotal: "Note, site NAME" and the text. */
static void
bom_note_rows (LpSheet *sh, const char *site, const LpCandidate *c, const LpSiteSizing *z)
{
  g_autofree char *label = g_strdup_printf ("Note, site %s", site);
  g_autoptr (GPtrArray) notes = lp_site_notes (c, z);

  for (guint k = 0; k < notes->len; k++) {
    put_text (sh, 0, label, NULL);
    put_text (sh, 3, g_ptr_array_index (notes, k), NULL);
    sh->row++;
  }
}

/* The site's stores, below its notes: "Storage, site NAME", the store and
 * its GB a year (text: the Quantity column's subtotals count servers). */
static void
bom_storage_rows (LpSheet *sh, const LpPlan *plan, const char *site, const LpSiteSizing *z)
{
  g_autofree char *label = g_strdup_printf ("Storage, site %s", site);

  for (guint k = 0; z->storage_gb != NULL && k < plan->rs->storage->len; k++) {
    const LpStorage *st = g_ptr_array_index (plan->rs->storage, k);
    g_autofree char *gb = NULL, *text = NULL;
    if (!(z->storage & ((guint64) 1 << k)))
      continue;
    gb = lp_format_decimal (round (z->storage_gb[k] * 10) / 10, 1);
    text = g_strdup_printf ("%s GB a year", gb);
    put_text (sh, 0, label, NULL);
    put_text (sh, 1, st->label, NULL);
    put_text (sh, 3, text, NULL);
    sh->row++;
  }
}

static void
sheet_bom (LpBook *b, const LpPlan *plan)
{
  static const char *const plain[] = { "Site", "Role", "Quantity", "Reference hardware", NULL };
  static const char *const priced[] = { "Site",
                                        "Role",
                                        "Quantity",
                                        "Reference hardware",
                                        "Hardware unit price",
                                        "Licence unit price",
                                        "Extended price",
                                        NULL };
  LpSheet sh;
  lxw_row_t first_item;

  sheet_open (b, &sh, "Bill of Materials");
  if (sh.ws == NULL)
    return;
  table_header (&sh, plan->sc->prices ? priced : plain);
  first_item = sh.row;
  for (guint i = 0; i < plan->sites->len; i++) {
    const LpPlanSite *site = &g_array_index (plan->sites, LpPlanSite, i);
    const LpCandidate *c;
    const LpSiteSizing *z = lp_plan_site_sizing (plan, i, &c);
    lxw_row_t first = sh.row;
    g_autofree char *label = NULL;

    if (z->empty)
      continue;
    for (guint r = 0; r < plan->rs->roles->len; r++)
      if (z->roles[r] > 0)
        bom_role_row (&sh, plan, site->name, c->tmpl, r, z->roles[r]);
    label = g_strdup_printf ("Subtotal, site %s", site->name);
    bom_total_row (&sh, plan, label, first,
                   (double) (z->servers + z->appliances + z->reverse_proxies), z->cost);
    bom_note_rows (&sh, site->name, c, z);
    bom_storage_rows (&sh, plan, site->name, z);
  }
  bom_total_row (&sh, plan, "Total", first_item,
                 (double) (plan->servers + plan->appliances + plan->reverse_proxies), plan->cost);
  sheet_close (&sh);
}

/* ---- 3. Servers, 4. Pools and Pairing ---- */

static void
sheet_servers (LpBook *b, const LpPlan *plan, const LpInventory *inv)
{
  static const char *const head[] = {
    "Name", "Site", "Pool", "Role", "Reference hardware", "Pairing partner", NULL
  };
  LpSheet sh;

  sheet_open (b, &sh, "Servers");
  if (sh.ws == NULL)
    return;
  table_header (&sh, head);
  for (guint i = 0; i < inv->servers->len; i++) {
    const LpServer *s = g_ptr_array_index (inv->servers, i);
    put_text (&sh, 0, s->name, NULL);
    put_text (&sh, 1, g_array_index (plan->sites, LpPlanSite, s->site).name, NULL);
    put_text (&sh, 2, s->pool, NULL);
    put_text (&sh, 3, role_at (plan, s->role)->name, NULL);
    put_text (&sh, 4, role_at (plan, s->role)->hardware, NULL);
    put_text (&sh, 5, s->partner, NULL);
    sh.row++;
  }
  sheet_close (&sh);
}

static void
sheet_pools (LpBook *b, const LpPlan *plan, const LpInventory *inv)
{
  static const char *const head[] = { "Pool",        "Site",        "Edition",
                                      "Servers",     "Users homed", "Capacity (users)",
                                      "Backup pool", "Pairing",     NULL };
  LpSheet sh;

  sheet_open (b, &sh, "Pools and Pairing");
  if (sh.ws == NULL)
    return;
  table_header (&sh, head);
  for (guint i = 0; i < inv->pools->len; i++) {
    const LpPool *p = g_ptr_array_index (inv->pools, i);
    put_text (&sh, 0, p->name, NULL);
    put_text (&sh, 1, g_array_index (plan->sites, LpPlanSite, p->site).name, NULL);
    put_text (&sh, 2, lp_ruleset_find_edition (plan->rs, p->edition)->name, NULL);
    put_num (&sh, 3, (double) p->servers, sh.b->count);
    put_num (&sh, 4, p->users, sh.b->count);
    put_num (&sh, 5, p->capacity, sh.b->count);
    put_text (&sh, 6, p->backup ? p->backup : "none", NULL);
    put_text (&sh, 7, lp_pool_mode_to_string (p->mode), NULL);
    sh.row++;
  }
  sheet_close (&sh);
}

/* ---- 5. Alternatives, 6. Assumptions, 7. Rule trace ---- */

static void
alternative_row (LpSheet *sh, const LpPlan *plan, const char *label, const LpCandidate *c,
                 gboolean chosen)
{
  g_autofree char *missed = NULL;

  put_text (sh, 0, label, NULL);
  put_text (sh, 1, c->tmpl->id, chosen ? sh->b->bold : NULL);
  put_text (sh, 2, lp_ruleset_find_edition (plan->rs, c->tmpl->edition)->name, NULL);
  put_text (sh, 3, chosen ? "chosen" : c->excluded ? "not considered" : "alternative", NULL);
  if (c->excluded != NULL) {
    put_text (sh, 8, c->excluded, NULL);
    sh->row++;
    return;
  }
  missed = lp_candidate_misses_text (plan, c);
  put_num (sh, 4, (double) c->servers, sh->b->count);
  put_num (sh, 5, (double) c->appliances, sh->b->count);
  put_num (sh, 6, c->cost, plan->sc->prices ? sh->b->money : sh->b->count);
  put_text (sh, 7, c->feasible ? "yes" : "no", NULL);
  put_text (sh, 8, c->feasible ? "" : missed, NULL);
  sh->row++;
}

static void
sheet_alternatives (LpBook *b, const LpPlan *plan)
{
  static const char *const head[] = { "Sites",   "Design",     "Edition", "Status",
                                      "Servers", "Appliances", "Cost",    "Meets every requirement",
                                      "Misses",  NULL };
  LpSheet sh;

  sheet_open (b, &sh, "Alternatives");
  if (sh.ws == NULL)
    return;
  table_header (&sh, head);
  for (guint gi = 0; gi < plan->groups->len; gi++) {
    const LpGroup *g = &g_array_index (plan->groups, LpGroup, gi);
    g_autofree char *label = lp_plan_group_label (plan, gi);
    for (guint t = 0; t < plan->rs->templates->len; t++)
      alternative_row (&sh, plan, label, &g->candidates[t], t == g->chosen);
  }
  sheet_close (&sh);
}

/* The [sources] descriptions of the keys a source names: "L13-CAP, L13-FE: ..." */
static char *
references (const LpPlan *plan, const char *source)
{
  g_autofree char *head = g_strndup (source, strcspn (source, ":"));
  g_auto (GStrv) keys = g_strsplit (head, ",", -1);
  GString *s = g_string_new (NULL);

  for (guint i = 0; keys[i] != NULL; i++) {
    const char *where = g_hash_table_lookup (plan->rs->sources, g_strstrip (keys[i]));
    if (where != NULL)
      g_string_append_printf (s, "%s%s: %s", s->len ? "; " : "", keys[i], where);
  }
  return g_string_free (s, FALSE);
}

static void
sheet_assumptions (LpBook *b, const LpPlan *plan)
{
  static const char *const head[] = { "Name", "Kind",   "Value used", "Rule file value",
                                      "Unit", "Source", "Overridden", "Reference",
                                      NULL };
  LpSheet sh;

  sheet_open (b, &sh, "Assumptions");
  if (sh.ws == NULL)
    return;
  table_header (&sh, head);
  for (guint i = 0; i < plan->rs->vars->len; i++) {
    const LpRuleVar *v = g_ptr_array_index (plan->rs->vars, i);
    gboolean is_default = TRUE;
    g_autofree char *used = lp_plan_setting_text (plan, v->name, &is_default);
    g_autofree char *refs = references (plan, v->source);

    put_text (&sh, 0, v->name, NULL);
    put_text (&sh, 1, v->is_input ? "scenario input default" : "rule constant", NULL);
    put_text (&sh, 2, used, NULL);
    put_text (&sh, 3, v->text, NULL);
    put_text (&sh, 4, v->unit ? v->unit : "", NULL);
    put_text (&sh, 5, v->source, NULL);
    put_text (&sh, 6, is_default ? "" : "yes", is_default ? NULL : sh.b->bold);
    put_text (&sh, 7, refs, NULL);
    sh.row++;
  }
  sh.width[5] = MIN (sh.width[5], 70);
  sheet_close (&sh);
}

static void
sheet_trace (LpBook *b, const LpPlan *plan)
{
  static const char *const head[] = { "Step", "Rule fired", NULL };
  LpSheet sh;

  sheet_open (b, &sh, "Rule trace");
  if (sh.ws == NULL)
    return;
  table_header (&sh, head);
  for (guint i = 0; plan->trace != NULL && i < plan->trace->len; i++) {
    put_num (&sh, 0, i + 1, sh.b->count);
    put_text (&sh, 1, g_ptr_array_index (plan->trace, i), NULL);
    sh.row++;
  }
  sheet_close (&sh);
}

/* ---- 8. Resilience, 9. SLA budget, 10. DNS plan ---- */

/* Lines @text takes in a wrapped column @width characters wide. */
static guint
wrapped_lines (const char *text, double width)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    n += MAX (1, (guint) ceil ((double) g_utf8_strlen (lines[i], -1) / MAX (width - 2, 1)));
  return n;
}

static void
failure_row (LpSheet *sh, const LpPlan *plan, const char *site, const LpFailure *f,
             const LpFailureResult *r)
{
  static const char *const scopes[] = { "one component", "several at once", "the whole site",
                                        "after recovery" };
  double rto, rpo;
  gboolean meets = lp_failure_targets (plan, f, r, &rto, &rpo);
  g_autofree char *back = lp_format_duration (r->rto), *lost = lp_format_duration (r->rpo);
  g_autofree char *trto = lp_format_duration (rto), *trpo = lp_format_duration (rpo);
  g_autofree char *target = g_strdup_printf ("%s / %s", trto, trpo);
  g_autoptr (GString) steps = g_string_new (NULL);
  g_autofree char *sum = lp_failure_sum_text (f, r);
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
  put_text (sh, 0, site, sh->b->top);
  put_text (sh, 1, f->label, sh->b->top);
  put_text (sh, 2, scopes[f->scope], sh->b->top);
  put_text (sh, 3, r->automatic ? "automatic" : "manual", sh->b->top);
  put_text (sh, 4, back, sh->b->top);
  put_text (sh, 5, lost, sh->b->top);
  put_text (sh, 6, target, sh->b->top);
  put_text (sh, 7, planned ? "-" : meets ? "meets" : "MISSES", sh->b->top);
  put_text (sh, 8, f->effect, sh->b->wrap);
  put_text (sh, 9, steps->str, sh->b->wrap);
  /* spreadsheets do not grow rows for wrapped text they did not lay out */
  check (sh->b,
         LP_LXW (sh, worksheet_set_row (sh->ws, sh->row,
                                        LP_LINE_HEIGHT *
                                          MAX (wrapped_lines (f->effect, LP_EFFECT_WIDTH),
                                               wrapped_lines (steps->str, LP_STEPS_WIDTH)),
                                        NULL)),
         sh->name);
  sh->row++;
}

static void
sheet_resilience (LpBook *b, const LpPlan *plan, const LpResilience *res)
{
  static const char *const head[] = {
    "Site",   "Failure",           "Scope", "Recovery", "Back in", "Data lost", "Target RTO / RPO",
    "Result", "What users notice", "Steps", NULL
  };
  LpSheet sh;

  sheet_open (b, &sh, "Resilience");
  if (sh.ws == NULL)
    return;
  table_header (&sh, head);
  for (guint i = 0; i < plan->sites->len; i++) {
    const LpCandidate *c;
    const LpSiteSizing *z = lp_plan_site_sizing (plan, i, &c);
    for (guint k = 0; !z->empty && k < plan->rs->failures->len; k++) {
      if (z->failures[k].applies)
        failure_row (&sh, plan, g_array_index (plan->sites, LpPlanSite, i).name,
                     g_ptr_array_index (plan->rs->failures, k), &z->failures[k]);
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
      sh.row++;
    put_text (&sh, 0, "Quorum", sh.b->bold);
    put_text (&sh, 1, text, NULL);
    sh.row++;
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
      sh.row++;
    put_text (&sh, 0, "Data", sh.b->bold);
    put_text (&sh, 1, text, NULL);
    sh.row++;
  }
  sh.width[1] = MIN (sh.width[1], 40);
  sh.width[8] = MIN (sh.width[8], LP_EFFECT_WIDTH);
  sh.width[9] = MIN (sh.width[9], LP_STEPS_WIDTH);
  sheet_close (&sh);
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
  sh->row += 2;
  /* a second table: its header bold, the panes still frozen under the first */
  for (guint c = 0; head[c] != NULL; c++)
    put_text (sh, c, head[c], sh->b->bold);
  sh->row++;
  for (guint i = 0; i < res->availability->len; i++) {
    const LpGroupAvailability *ga = &g_array_index (res->availability, LpGroupAvailability, i);
    g_autofree char *label = lp_plan_group_label (plan, ga->group);
    for (guint u = 0; u < LP_AVAIL_N_CLASSES; u++) {
      const LpAvailClass *a = &ga->classes[u];
      g_autofree char *pct = lp_format_decimal (a->percent, 4);
      g_autofree char *total = g_strdup_printf ("total: availability %s%%", pct);
      put_text (sh, 0, label, sh->b->bold);
      put_text (sh, 1, lp_avail_class_names[u], sh->b->bold);
      put_text (sh, 2, g_array_index (plan->sites, LpPlanSite, a->site).name, NULL);
      put_text (sh, 3, total, sh->b->bold);
      put_num (sh, 4, a->downtime, sh->b->decimal);
      sh->row++;
      for (guint k = 0; k < a->contributors->len; k++) {
        const LpAvailContributor *c = g_ptr_array_index (a->contributors, k);
        put_text (sh, 3, c->component, NULL);
        put_num (sh, 4, c->minutes, sh->b->decimal);
        put_text (sh, 5, c->planned ? "yes" : "no", NULL);
        put_text (sh, 6, c->counted ? "yes" : "no", NULL);
        sh->row++;
      }
    }
  }
}

static void
sheet_sla (LpBook *b, const LpPlan *plan, const LpResilience *res)
{
  static const char *const head[] = { "Period", "Allowed downtime", "Minutes", NULL };
  const LpSlaBudget *bud = &res->sla;
  g_autofree char *sla = lp_format_decimal (bud->sla, 4);
  g_autofree char *title =
    g_strdup_printf ("SLA %s%%%s: a year of 365.25 days, a quarter of 1/4 and a month of 1/12 year",
                     sla, bud->sla_default ? " (default)" : "");
  LpSheet sh;

  sheet_open (b, &sh, "SLA budget");
  if (sh.ws == NULL)
    return;
  table_header (&sh, head);
  for (guint i = 0; i < G_N_ELEMENTS (lp_sla_periods); i++) {
    g_autofree char *d = lp_format_duration (bud->allowed[i]);
    put_text (&sh, 0, lp_sla_periods[i], NULL);
    put_text (&sh, 1, d, NULL);
    put_num (&sh, 2, bud->allowed[i], sh.b->decimal);
    sh.row++;
  }
  if (bud->modeled) {
    g_autofree char *d = lp_format_duration (bud->modeled_year);
    g_autofree char *sup = lp_format_decimal (bud->supported_sla, 4);
    g_autofree char *verdict = g_strdup_printf ("the design supports %s%%: %s", sup,
                                                bud->meets ? "meets the target"
                                                           : "BELOW the target");
    put_text (&sh, 0, "modeled a year", sh.b->bold);
    put_text (&sh, 1, d, NULL);
    put_num (&sh, 2, bud->modeled_year, sh.b->decimal);
    put_text (&sh, 3, verdict, NULL);
    sh.row++;
  }
  sh.row++;
  put_text (&sh, 0, title, NULL);
  sla_downtime (&sh, plan, res);
  sh.width[0] = MIN (sh.width[0], 16);
  sh.width[3] = MIN (sh.width[3], 60);
  sheet_close (&sh);
}

static void
sheet_dns (LpBook *b, const LpResilience *res)
{
  static const char *const head[] = { "Name",     "Type",   "Target", "Port",
                                      "Priority", "Weight", "Note",   NULL };
  LpSheet sh;

  sheet_open (b, &sh, "DNS plan");
  if (sh.ws == NULL)
    return;
  table_header (&sh, head);
  for (guint i = 0; i < res->records->len; i++) {
    const LpDnsRecord *r = g_ptr_array_index (res->records, i);
    put_text (&sh, 0, r->name, NULL);
    put_text (&sh, 1, r->type, NULL);
    put_text (&sh, 2, r->target, NULL);
    if (r->port)
      put_num (&sh, 3, r->port, NULL);
    if (strcmp (r->type, "SRV") == 0) {
      put_num (&sh, 4, r->priority, NULL);
      put_num (&sh, 5, r->weight, NULL);
    }
    put_text (&sh, 6, r->note, NULL);
    sh.row++;
  }
  sh.row++;
  put_text (&sh, 0,
            res->dns_needed ? res->statement
                            : "No remote access and no disaster recovery: no DNS plan needed.",
            NULL);
  sh.width[0] = MIN (sh.width[0], 40);
  sheet_close (&sh);
}

/* ---- Certificates, Firewall ---- */

#define LP_NAMES_WIDTH 44.0
#define LP_NOTE_WIDTH 60.0
#define LP_SOURCE_WIDTH 36.0

/* A cell of a column @width characters wide whose text wraps. */
static void
put_wrapped (LpSheet *sh, lxw_col_t col, const char *text, double width)
{
  check (sh->b, LP_LXW (sh, worksheet_write_string (sh->ws, sh->row, col, text, sh->b->wrap)),
         sh->name);
  if (col < LP_MAX_COLS)
    sh->width[col] = width;
}

/* The row's height for its wrapped cells: spreadsheets do not grow rows for
 * wrapped text they did not lay out. */
static void
fit_row (LpSheet *sh, guint lines)
{
  check (sh->b, LP_LXW (sh, worksheet_set_row (sh->ws, sh->row, LP_LINE_HEIGHT * lines, NULL)),
         sh->name);
}

/* Adds the [sources] keys @source names to @keys, each once, in order. */
static void
add_source_keys (GPtrArray *keys, const char *source)
{
  g_autofree char *head = g_strndup (source, strcspn (source, ":"));
  g_auto (GStrv) parts = g_strsplit (head, ",", -1);

  if (g_str_has_prefix (source, "assumption"))
    return;
  for (guint i = 0; parts[i] != NULL; i++) {
    g_strstrip (parts[i]);
    if (!g_ptr_array_find_with_equal_func (keys, parts[i], g_str_equal, NULL))
      g_ptr_array_add (keys, g_strdup (parts[i]));
  }
}

/* Below a table: each source its rows name, by key, with the document's
 * title and address across the table's other columns, wrapped. */
static void
source_legend (LpSheet *sh, const LpPlan *plan, const GPtrArray *keys)
{
  lxw_col_t last = (lxw_col_t) MAX (sh->n_cols, 2) - 1;
  double width = 0;

  for (lxw_col_t c = 1; c <= last && c < LP_MAX_COLS; c++)
    width += CLAMP (sh->width[c], LP_MIN_WIDTH, LP_MAX_WIDTH);

  sh->row++;
  put_text (sh, 0, "Sources", sh->b->bold);
  sh->row++;
  for (guint i = 0; i < keys->len; i++) {
    const char *key = g_ptr_array_index (keys, i);
    const char *title = g_hash_table_lookup (plan->rs->sources, key);
    if (title == NULL)
      continue;
    put_text (sh, 0, key, sh->b->top);
    check (sh->b,
           LP_LXW (sh,
                   worksheet_merge_range (sh->ws, sh->row, 1, sh->row, last, title, sh->b->wrap)),
           sh->name);
    fit_row (sh, wrapped_lines (title, width));
    sh->row++;
  }
}

static void
sheet_certificates (LpBook *b, const LpPlan *plan, const LpCertificates *c)
{
  static const char *const head[] = { "Site",         "Certificate",
                                      "Subject name", "Subject alternative names",
                                      "Issuer",       "Note",
                                      "Source",       NULL };
  g_autoptr (GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  LpSheet sh;

  sheet_open (b, &sh, "Certificates");
  if (sh.ws == NULL)
    return;
  table_header (&sh, head);
  for (guint i = 0; i < c->certificates->len; i++) {
    const LpCertificate *cert = g_ptr_array_index (c->certificates, i);
    const char *note = cert->rule->note != NULL ? cert->rule->note : "";
    g_autoptr (GString) names = g_string_new (NULL);
    for (guint k = 0; k < cert->names->len; k++)
      g_string_append_printf (names, "%s%s", k ? "\n" : "",
                              (char *) g_ptr_array_index (cert->names, k));
    put_text (&sh, 0, g_array_index (plan->sites, LpPlanSite, cert->site).name, b->top);
    put_text (&sh, 1, cert->rule->label, b->top);
    put_text (&sh, 2, cert->subject, b->top);
    put_wrapped (&sh, 3, names->len > 0 ? names->str : "none", LP_NAMES_WIDTH);
    put_text (&sh, 4, lp_certificate_issuer (cert->rule), b->top);
    put_wrapped (&sh, 5, note, LP_NOTE_WIDTH);
    put_wrapped (&sh, 6, cert->rule->source, LP_SOURCE_WIDTH);
    add_source_keys (keys, cert->rule->source);
    fit_row (&sh, MAX (MAX (cert->names->len, 1),
                       MAX (wrapped_lines (note, LP_NOTE_WIDTH),
                            wrapped_lines (cert->rule->source, LP_SOURCE_WIDTH))));
    sh.row++;
  }
  source_legend (&sh, plan, keys);
  sheet_close (&sh);
}

static void
sheet_firewall (LpBook *b, const LpPlan *plan, const LpCertificates *c)
{
  static const char *const head[] = { "Site",     "From",    "To",     "Port",
                                      "Protocol", "Purpose", "Source", NULL };
  g_autoptr (GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  LpSheet sh;

  sheet_open (b, &sh, "Firewall");
  if (sh.ws == NULL)
    return;
  table_header (&sh, head);
  for (guint i = 0; i < c->firewall->len; i++) {
    const LpFirewallRule *f = g_ptr_array_index (c->firewall, i);
    put_text (&sh, 0, g_array_index (plan->sites, LpPlanSite, f->site).name, b->top);
    put_text (&sh, 1, f->from, b->top);
    put_text (&sh, 2, f->to, b->top);
    put_text (&sh, 3, f->rule->port, b->top); /* text: 50000-59999 is a range, 443 no number */
    put_text (&sh, 4, f->rule->protocol, b->top);
    put_wrapped (&sh, 5, f->rule->purpose, LP_NOTE_WIDTH);
    put_text (&sh, 6, f->rule->source, b->top);
    add_source_keys (keys, f->rule->source);
    fit_row (&sh, wrapped_lines (f->rule->purpose, LP_NOTE_WIDTH));
    sh.row++;
  }
  source_legend (&sh, plan, keys);
  sheet_close (&sh);
}

/* ---- the workbook ---- */

static lxw_format *
new_format (LpBook *b)
{
  lxw_format *f = workbook_add_format (b->wb);
  if (f == NULL)
    check (b, LXW_ERROR_MEMORY_MALLOC_FAILED, "formats");
  return f;
}

static gboolean
add_formats (LpBook *b)
{
  if ((b->bold = new_format (b)) == NULL || (b->title = new_format (b)) == NULL ||
      (b->count = new_format (b)) == NULL || (b->money = new_format (b)) == NULL ||
      (b->pass = new_format (b)) == NULL || (b->miss = new_format (b)) == NULL ||
      (b->count_left = new_format (b)) == NULL || (b->money_left = new_format (b)) == NULL ||
      (b->decimal = new_format (b)) == NULL || (b->wrap = new_format (b)) == NULL ||
      (b->top = new_format (b)) == NULL)
    return FALSE;
  format_set_align (b->top, LXW_ALIGN_VERTICAL_TOP);
  format_set_num_format (b->decimal, "#,##0.00");
  format_set_text_wrap (b->wrap);
  format_set_align (b->wrap, LXW_ALIGN_VERTICAL_TOP);
  format_set_bold (b->bold);
  format_set_bold (b->title);
  format_set_font_size (b->title, 14);
  format_set_num_format (b->count, "#,##0");
  format_set_num_format (b->money, "#,##0.00");
  format_set_num_format (b->count_left, "#,##0");
  format_set_align (b->count_left, LXW_ALIGN_LEFT);
  format_set_num_format (b->money_left, "#,##0.00");
  format_set_align (b->money_left, LXW_ALIGN_LEFT);
  format_set_bg_color (b->pass, 0xC6EFCE);
  format_set_font_color (b->pass, 0x006100);
  format_set_bg_color (b->miss, 0xFFC7CE);
  format_set_font_color (b->miss, 0x9C0006);
  return TRUE;
}

static void
set_properties (LpBook *b, const LpPlan *plan, time_t created)
{
  g_autofree char *title = g_strdup_printf ("%s plan%s%s", plan->rs->product,
                                            plan->sc->title ? ": " : "",
                                            plan->sc->title ? plan->sc->title : "");
  g_autofree char *hash = lp_plan_scenario_hash (plan);
  lxw_doc_properties props = {
    .title = title,
    .subject = (char *) "High availability and disaster recovery design",
    .author = plan->sc->author,
    .company = plan->sc->company,
    .comments = (char *) "Planned by lyncplan from the customer's RTO, RPO, SLA and user counts",
    .created = created,
  };

  check (b, workbook_set_properties (b->wb, &props), "document properties");
  check (b, workbook_set_custom_property_string (b->wb, "lyncplan version", LP_VERSION),
         "custom properties");
  check (b, workbook_set_custom_property_string (b->wb, "Rule set", plan->rs->id),
         "custom properties");
  check (b, workbook_set_custom_property_string (b->wb, "Rule set version", plan->rs->version),
         "custom properties");
  check (b, workbook_set_custom_property_string (b->wb, "Scenario SHA-256", hash),
         "custom properties");
}

static void
write_sheets (LpBook *b, const LpReport *r, const char *date)
{
  const LpPlan *plan = r->plan;
  const LpInventory *inv = r->inventory;
  const LpResilience *res = r->resilience;

  sheet_summary (b, plan, date);
  sheet_bom (b, plan);
  sheet_servers (b, plan, inv);
  sheet_pools (b, plan, inv);
  sheet_alternatives (b, plan);
  sheet_assumptions (b, plan);
  sheet_trace (b, plan);
  sheet_resilience (b, plan, res);
  sheet_sla (b, plan, res);
  sheet_dns (b, res);
  sheet_certificates (b, plan, r->certificates);
  sheet_firewall (b, plan, r->certificates);
}

/* Writes the sheets without a workbook, so a plan too big for one is
 * refused before libxlsxwriter holds any of it (it fails only at the
 * row past its last, after building every row before it in memory). */
gboolean
lp_write_xlsx_check (const LpReport *r, GError **error)
{
  LpBook b = { .dry_run = TRUE };
  g_autofree char *rows = NULL, *max = NULL;

  write_sheets (&b, r, NULL);
  if (b.rows <= LXW_ROW_MAX)
    return TRUE;
  rows = lp_format_count (b.rows);
  max = lp_format_count (LXW_ROW_MAX);
  g_set_error (error, LP_ERROR, LP_ERROR_INPUT,
               "--xlsx: the %s sheet would need %s rows and a worksheet holds %s: plan fewer "
               "sites, or use --format json or csv",
               b.fullest, rows, max);
  return FALSE;
}

/* The sheets and properties, every failure kept in @b. */
static void
write_book (LpBook *b, const LpReport *r)
{
  if (!add_formats (b))
    return;
  set_properties (b, r->plan, (time_t) r->created);
  write_sheets (b, r, r->date);
}

gboolean
lp_write_xlsx (const LpReport *r, const LpWriteOptions *o, LpOutput *out, GError **error)
{
  LpBook b = { 0 };
  const char *target = lp_output_target (out);
  int saved = lp_stderr_mute (); /* libxlsxwriter's own lines: the error says it all */

  (void) o;
  b.wb = workbook_new (lp_output_path (out));
  if (b.wb != NULL) {
    write_book (&b, r);
    check (&b, workbook_close (b.wb), "saving the workbook");
  }
  lp_stderr_restore (saved);
  if (b.wb == NULL) {
    g_set_error (error, LP_ERROR, LP_ERROR_IO, "cannot write %s: libxlsxwriter could not create it",
                 target);
    return FALSE;
  }
  if (b.err != LXW_NO_ERROR) {
    g_set_error (error, LP_ERROR, LP_ERROR_IO, "cannot write %s: libxlsxwriter: %s (%s)", target,
                 lxw_strerror (b.err), b.err_where);
    g_free (b.err_where);
    return FALSE;
  }
  return TRUE;
}
