/* lp-write-xlsx.c: the customer deliverable, one function per sheet. Every
 * libxlsxwriter return code is checked; the first failure is reported. Site,
 * customer and role names are only ever written as strings, never formulas,
 * and never used as sheet names. */
#include "lp-write.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "lp-config.h"
#include "lp-error.h"
#include "lp-output.h"
#include "lp-resilience.h"
#include "lp-units.h"

#define LP_MAX_COLS 12
/* Column widths in characters: wide enough for headers. A text longer than
 * its column's cap is wrapped at spaces into lines of at most the cap. */
#define LP_MIN_WIDTH 6.0
#define LP_WRAP_WIDTH 50.0
#define LP_MAX_WIDTH 90.0 /* past its cap, for a word that cannot break */
/* The height of one text line, and the widest sheet (in characters) still
 * printed one page wide: about 75% on landscape A4 or Letter, legible. A
 * wider sheet prints at 100%, its columns over several pages. */
#define LP_LINE_HEIGHT 15.0
#define LP_FIT_WIDTH 190.0
/* A note merged across a table's columns: its line length. */
#define LP_MERGED_WIDTH 120
/* The Bill of Materials' column of extended prices. */
#define LP_BOM_EXTENDED 7
/* A note of the Bill of Materials, across its Role to Reference hardware columns. */
#define LP_BOM_NOTE_WIDTH 80

typedef struct {
  lxw_workbook *wb;
  lxw_format *bold, *title, *count, *money, *pass, *miss;
  lxw_format *count_left, *money_left; /* figures beside their labels on the Summary */
  lxw_format *decimal, *wrap, *top, *bold_wrap, *small;
  lxw_format *plain; /* an integer without thousands separators: a port */
  lxw_error err;
  char *err_where;
  gboolean dry_run;    /* write nothing: count the rows each sheet needs */
  lxw_row_t rows;      /* the most a sheet of the dry run needed */
  const char *fullest; /* that sheet */
  lxw_row_t bom_total; /* the Bill of Materials' row of the total cost */
  char *diagram;       /* nullable: the diagram PNG to insert, diagram_len bytes */
  gsize diagram_len;
  char *no_diagram; /* nullable: why there is none */
} LpBook;

/* libxlsxwriter's calls, skipped in a dry run (which has no workbook). */
#define LP_LXW(sh, call) ((sh)->b->dry_run ? LXW_NO_ERROR : (call))

typedef struct {
  LpBook *b;
  lxw_worksheet *ws;
  const char *name;
  double width[LP_MAX_COLS];
  double cap[LP_MAX_COLS];      /* a column's widest, 0 for LP_WRAP_WIDTH */
  gboolean dashes[LP_MAX_COLS]; /* its long words are addresses: they break after a '-' */
  guint lines;                  /* the most lines a cell of the current row takes */
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

static double
col_cap (const LpSheet *sh, lxw_col_t col)
{
  return col < LP_MAX_COLS && sh->cap[col] > 0 ? sh->cap[col] : LP_WRAP_WIDTH;
}

static void
widen (LpSheet *sh, lxw_col_t col, gsize chars)
{
  if (col < LP_MAX_COLS)
    sh->width[col] = MAX (sh->width[col], MIN ((double) chars + 2, col_cap (sh, col)));
}

/* Where a line of at most @max characters of @word ends: after its last
 * '/' or space outside a <placeholder>. Else, for a word no column could
 * hold (@hard), after its last '-' or at @max characters; else NULL: the
 * word is not cut, its column grows instead. */
static const char *
word_cut (const char *word, glong max, gboolean hard)
{
  const char *end = g_utf8_offset_to_pointer (word, max), *cut = NULL, *dash = NULL;
  int open = 0;

  for (const char *q = word; q < end; q++) {
    open += *q == '<' ? 1 : *q == '>' ? -1 : 0;
    if ((*q == '/' || *q == ' ') && open <= 0)
      cut = q + 1;
    if (*q == '-' && q > word)
      dash = q + 1;
  }
  if (cut != NULL || !hard)
    return cut;
  return dash != NULL ? dash : end;
}

/* Appends @word to @out, breaking a word longer than @max where word_cut()
 * says, if anywhere; @len is set to the last line's length. */
static void
wrap_word (GString *out, const char *word, glong max, gboolean dashes, glong *len)
{
  glong n = g_utf8_strlen (word, -1);
  const char *cut;

  while (n > max && (cut = word_cut (word, max, dashes || n > (glong) LP_MAX_WIDTH - 2)) != NULL) {
    g_string_append_len (out, word, cut - word);
    g_string_append_c (out, '\n');
    n -= g_utf8_pointer_to_offset (word, cut);
    word = cut;
  }
  g_string_append (out, word);
  *len = n;
}

/* Whether the word after @word stays on its line: a cmdlet's parameter
 * keeps its value ("-PoolFqdn pool01"), a placeholder its words ("<home
 * pool FQDN>"). @open counts the placeholders not yet closed. */
static gboolean
glued (const char *word, const char *next, int *open)
{
  for (const char *p = word; *p != '\0'; p++)
    *open += *p == '<' ? 1 : *p == '>' ? -1 : 0;
  if (*open > 0)
    return TRUE;
  *open = 0;
  return word[0] == '-' && g_ascii_isalpha (word[1]) && next != NULL && next[0] != '-';
}

/* lp_xlsx_wrap_text(); with @dashes a long word may also break after a '-'
 * (a document's address, never a name or a cmdlet). */
static char *
wrap_text (const char *text, glong max, gboolean dashes, guint *lines, glong *longest)
{
  g_auto (GStrv) paras = NULL;
  GString *out;
  glong n = g_utf8_strlen (text, -1);

  *lines = 1;
  *longest = n;
  if (n <= max && strchr (text, '\n') == NULL)
    return g_strdup (text); /* most cells */
  paras = g_strsplit (text, "\n", -1);
  out = g_string_new (NULL);
  *lines = 0;
  *longest = 0;
  for (guint i = 0; paras[i] != NULL; i++) {
    g_auto (GStrv) split = g_strsplit (paras[i], " ", -1);
    g_autoptr (GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
    glong len = 0;
    gboolean first = TRUE;
    int open = 0;
    for (guint w = 0; split[w] != NULL; w++) {
      GString *unit = g_string_new (split[w]);
      while (split[w + 1] != NULL && glued (split[w], split[w + 1], &open))
        g_string_append_printf (unit, " %s", split[++w]);
      g_ptr_array_add (words, g_string_free (unit, FALSE));
    }
    g_ptr_array_add (words, NULL);
    if (i > 0)
      g_string_append_c (out, '\n');
    for (guint w = 0; g_ptr_array_index (words, w) != NULL; w++) {
      const char *word = g_ptr_array_index (words, w);
      glong len_w = g_utf8_strlen (word, -1);
      if (!first && len + 1 + len_w > max) {
        *longest = MAX (*longest, len);
        g_string_append_c (out, '\n');
        len = 0;
        first = TRUE;
      }
      if (!first) {
        g_string_append_c (out, ' ');
        len++;
      }
      if (first) {
        glong got;
        wrap_word (out, word, max, dashes, &got);
        len = got;
      } else {
        g_string_append (out, word);
        len += len_w;
      }
      first = FALSE;
    }
    *longest = MAX (*longest, len);
  }
  for (const char *p = out->str; *p != '\0'; p++)
    *lines += *p == '\n';
  (*lines)++;
  return g_string_free (out, FALSE);
}

/* @fmt, or its wrapping form for a text of several lines. */
static lxw_format *
wrapping (LpBook *b, lxw_format *fmt)
{
  if (fmt == b->bold)
    return b->bold_wrap;
  if (fmt == NULL || fmt == b->top)
    return b->wrap;
  return fmt;
}

/* See lp-write.h. */
char *
lp_xlsx_wrap_text (const char *text, glong max, guint *lines, glong *longest)
{
  return wrap_text (text, max, FALSE, lines, longest);
}

static void
put_text (LpSheet *sh, lxw_col_t col, const char *text, lxw_format *fmt)
{
  guint lines;
  glong longest;
  g_autofree char *wrapped = NULL;

  if (text == NULL || sh->b->dry_run) /* a dry run counts rows only */
    return;
  wrapped = wrap_text (text, (glong) col_cap (sh, col) - 2, col < LP_MAX_COLS && sh->dashes[col],
                       &lines, &longest);
  if (longest + 2 > col_cap (sh, col) && col < LP_MAX_COLS) /* a word that cannot break */
    sh->width[col] = MAX (sh->width[col], MIN ((double) longest + 2, LP_MAX_WIDTH));
  if (fmt == NULL)
    fmt = sh->b->top;
  if (lines > 1)
    fmt = wrapping (sh->b, fmt);
  check (sh->b, LP_LXW (sh, worksheet_write_string (sh->ws, sh->row, col, wrapped, fmt)), sh->name);
  widen (sh, col, (gsize) longest);
  sh->lines = MAX (sh->lines, lines);
}

/* @title with @key beside it in small print: "Recovery time (rto)". */
static void
put_titled (LpSheet *sh, lxw_col_t col, const char *title, const char *key, lxw_format *fmt)
{
  guint lines;
  glong longest, keylen = g_utf8_strlen (key, -1);
  g_autofree char *wrapped = NULL, *tail = NULL;
  const char *last;

  if (sh->b->dry_run)
    return;
  if (strcmp (title, key) == 0) {
    put_text (sh, col, title, fmt);
    return;
  }
  wrapped = lp_xlsx_wrap_text (title, (glong) col_cap (sh, col) - 2, &lines, &longest);
  last = strrchr (wrapped, '\n');
  last = last ? last + 1 : wrapped;
  /* the key on the title's last line when it fits; its small print is
   * counted as wide as the rest, so the column holds it in any font */
  if (g_utf8_strlen (last, -1) + 3 + keylen <= (glong) col_cap (sh, col) - 2) {
    longest = MAX (longest, g_utf8_strlen (last, -1) + 3 + keylen);
    tail = g_strdup_printf (" (%s)", key);
  } else {
    longest = MAX (longest, keylen + 2);
    tail = g_strdup_printf ("\n(%s)", key);
    lines++;
  }
  if (!sh->b->dry_run) {
    lxw_rich_string_tuple head = { .format = fmt, .string = wrapped };
    lxw_rich_string_tuple small = { .format = sh->b->small, .string = tail };
    lxw_rich_string_tuple *parts[] = { &head, &small, NULL };
    check (sh->b,
           worksheet_write_rich_string (sh->ws, sh->row, col, parts,
                                        lines > 1 ? sh->b->wrap : sh->b->top),
           sh->name);
  }
  widen (sh, col, (gsize) longest);
  sh->lines = MAX (sh->lines, lines);
}

/* The next row: the one just written is as tall as its most lines (a
 * spreadsheet does not grow a row for text it did not lay out). */
static void
next_row (LpSheet *sh)
{
  if (sh->lines > 1)
    check (sh->b,
           LP_LXW (sh, worksheet_set_row (sh->ws, sh->row, LP_LINE_HEIGHT * sh->lines, NULL)),
           sh->name);
  sh->lines = 0;
  sh->row++;
}

static void
put_num (LpSheet *sh, lxw_col_t col, double v, lxw_format *fmt)
{
  g_autofree char *text = lp_format_decimal (v, 2);

  check (sh->b,
         LP_LXW (sh, worksheet_write_number (sh->ws, sh->row, col, v, fmt ? fmt : sh->b->top)),
         sh->name);
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

/* Sets the caps of columns 0, 1, ... from @caps, ended by a negative one;
 * 0 keeps LP_WRAP_WIDTH. */
static void
set_caps (LpSheet *sh, const double *caps)
{
  for (guint c = 0; c < LP_MAX_COLS && caps[c] >= 0; c++)
    sh->cap[c] = caps[c];
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
  /* printed: landscape, page numbers; one page wide where legible (sheet_close) */
  worksheet_set_landscape (sh->ws);
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
  next_row (sh);
}

/* The last row a sheet writes is sh->row, or the one before. */
static void
sheet_close (LpSheet *sh)
{
  double total = 0;

  if (sh->b->dry_run) {
    if (sh->row >= sh->b->rows) {
      sh->b->rows = sh->row + 1;
      sh->b->fullest = sh->name;
    }
    return;
  }
  for (lxw_col_t c = 0; c < LP_MAX_COLS; c++) {
    if (sh->width[c] > 0) {
      double w = MAX (sh->width[c], LP_MIN_WIDTH);
      total += w;
      check (sh->b, worksheet_set_column (sh->ws, c, c, w, NULL), sh->name);
    }
  }
  if (total <= LP_FIT_WIDTH)
    worksheet_fit_to_pages (sh->ws, 1, 0);
  if (sh->n_cols > 0 && sh->row > sh->header + 1)
    check (sh->b,
           worksheet_autofilter (sh->ws, sh->header, 0, sh->row - 1, (lxw_col_t) (sh->n_cols - 1)),
           sh->name);
}

static void sheet_bom (LpBook *b, const LpPlan *plan);

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
  next_row (sh);
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
summary_header (LpSheet *sh, const LpPlan *plan, const char *date)
{
  g_autofree char *title = g_strdup_printf ("%s deployment plan", plan->rs->product);
  g_autofree char *rules = g_strdup_printf ("%s, version %s", plan->rs->id, plan->rs->version);
  g_autofree char *design = design_names (plan);

  put_text (sh, 0, title, sh->b->title);
  next_row (sh);
  next_row (sh);
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
count_row (LpSheet *sh, const char *label, double n)
{
  put_text (sh, 0, label, sh->b->bold);
  put_num (sh, 1, n, sh->b->count_left);
  next_row (sh);
}

/* The Bill of Materials' total cost cell, as a formula's reference. */
static char *
bom_total_ref (const LpPlan *plan)
{
  LpBook probe = { .dry_run = TRUE };
  char ref[LXW_MAX_CELL_NAME_LENGTH];

  sheet_bom (&probe, plan);
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
  if (plan->sc->prices != NULL) {
    g_autofree char *label = g_strdup_printf ("Cost (%s)", plan->sc->prices->currency);
    g_autofree char *formula = bom_total_ref (plan);
    put_text (sh, 0, label, sh->b->bold);
    put_formula (sh, 1, formula, plan->cost, sh->b->money_left);
    put_text (sh, 2, "the Bill of Materials' total: editing a price there updates it", NULL);
    next_row (sh);
    if (plan->sc->prices->note != NULL)
      pair_row (sh, "Prices", plan->sc->prices->note);
  }
  next_row (sh);
}

static void
summary_sites (LpSheet *sh, const LpPlan *plan)
{
  put_text (sh, 0, "Site", sh->b->bold);
  put_text (sh, 1, "Users", sh->b->bold);
  put_text (sh, 2, "Role", sh->b->bold);
  next_row (sh);
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
    g_autofree char *facts = lp_plan_site_facts (plan, i);
    if (facts[0] != '\0') {
      char *both = g_strconcat (role, role[0] ? ", " : "", facts, NULL);
      g_free (role);
      role = both;
    }
    put_text (sh, 0, site->name, NULL);
    put_num (sh, 1, (double) site->users, sh->b->count_left);
    put_text (sh, 2, role, NULL);
    next_row (sh);
  }
  next_row (sh);
}

static void
summary_inputs (LpSheet *sh, const LpPlan *plan)
{
  put_text (sh, 0, "Requirement", sh->b->bold);
  put_text (sh, 1, "Value", sh->b->bold);
  put_text (sh, 2, "Default?", sh->b->bold);
  next_row (sh);
  for (guint i = 0; i < plan->rs->inputs->len; i++) {
    const LpInput *in = g_ptr_array_index (plan->rs->inputs, i);
    gboolean is_default = TRUE;
    g_autofree char *text = NULL;
    if (!(in->scope & LP_SCOPE_SCENARIO))
      continue; /* a site's own: on the Sites sheet */
    text = lp_plan_input_text (plan, in, &is_default);
    put_titled (sh, 0, in->title, in->key, NULL);
    put_text (sh, 1, text, NULL);
    put_text (sh, 2, is_default ? "default" : "", NULL);
    next_row (sh);
  }
  next_row (sh);
}

static void
summary_designs (LpSheet *sh, const LpPlan *plan)
{
  put_text (sh, 0, "Sites", sh->b->bold);
  put_text (sh, 1, "Design", sh->b->bold);
  put_text (sh, 2, "What it is", sh->b->bold);
  next_row (sh);
  for (guint i = 0; i < plan->groups->len; i++) {
    g_autofree char *label = lp_plan_group_label (plan, i);
    const LpCandidate *c = lp_plan_group_choice (plan, i);
    g_autofree char *what = g_strdup_printf ("%s.", c->tmpl->description);
    put_text (sh, 0, label, NULL);
    put_titled (sh, 1, c->tmpl->name, c->tmpl->id, NULL);
    put_text (sh, 2,
              g_array_index (plan->groups, LpGroup, i).empty ? "no users: nothing built" : what,
              NULL);
    next_row (sh);
  }
  next_row (sh);
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
  next_row (sh);
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
      put_titled (sh, 1, check->title, check->id, NULL);
      put_text (sh, 2, target, NULL);
      put_text (sh, 3, achieved, NULL);
      put_text (sh, 4, result, NULL);
      next_row (sh);
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
  static const double caps[] = { 44, 46, 56, 0, 0, -1 };
  LpSheet sh;

  sheet_open (b, &sh, "Summary");
  if (sh.ws == NULL)
    return;
  set_caps (&sh, caps);
  summary_header (&sh, plan, date);
  summary_totals (&sh, plan);
  summary_sites (&sh, plan);
  summary_inputs (&sh, plan);
  summary_designs (&sh, plan);
  summary_checks (&sh, plan);
  sheet_close (&sh);
}

/* ---- 2. Bill of Materials ---- */

static void put_note (LpSheet *sh, const char *label, lxw_col_t first, lxw_col_t last,
                      const char *text, glong chars);

static char *
cell (lxw_row_t row, lxw_col_t col)
{
  char ref[LXW_MAX_CELL_NAME_LENGTH];

  lxw_rowcol_to_cell (ref, row, col);
  return g_strdup (ref);
}

/* The categories a bill of materials counts apart, as the Kind column says them. */
static const char *const bom_kinds[] = { "server", "appliance", "reverse proxy" };
static const char *const bom_kinds_plural[] = { "servers", "appliances", "reverse proxies" };

static guint
role_kind (const LpRole *role)
{
  return role->reverse_proxy ? 2 : role->appliance ? 1 : 0;
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
  put_text (sh, 2, bom_kinds[role_kind (role_at (plan, r))], NULL);
  put_num (sh, 3, (double) count, sh->b->count);
  put_text (sh, 4, role_at (plan, r)->hardware, NULL);
  if (prices != NULL) {
    unit = lp_prices_unit (prices, t, r);
    qty = cell (sh->row, 3);
    hw = cell (sh->row, 5);
    lic = cell (sh->row, 6);
    formula = g_strdup_printf ("=%s*(%s+%s)", qty, hw, lic);
    put_num (sh, 5, prices->hardware[r], sh->b->money);
    put_num (sh, 6, lp_prices_licence (prices, t, r), sh->b->money);
    put_formula (sh, LP_BOM_EXTENDED, formula, (double) count * unit, sh->b->money);
    if (!prices->priced[r])
      put_text (sh, 8, "not in the price list", NULL);
  }
  next_row (sh);
}

/* A subtotal of one kind over the item rows @first..@last: SUMIF on the
 * Kind column, whose subtotal rows say the plural and so are not summed. */
static void
bom_kind_row (LpSheet *sh, const LpPlan *plan, const char *label, lxw_row_t first, lxw_row_t last,
              guint kind, double count, double cost)
{
  g_autofree char *k0 = cell (first, 2), *k1 = cell (last, 2);
  g_autofree char *q0 = cell (first, 3), *q1 = cell (last, 3);
  g_autofree char *c0 = cell (first, LP_BOM_EXTENDED), *c1 = cell (last, LP_BOM_EXTENDED);
  g_autofree char *qty = g_strdup_printf ("=SUMIF(%s:%s,\"%s\",%s:%s)", k0, k1, bom_kinds[kind], q0,
                                          q1);
  g_autofree char *money = g_strdup_printf ("=SUMIF(%s:%s,\"%s\",%s:%s)", k0, k1, bom_kinds[kind],
                                            c0, c1);

  put_text (sh, 0, label, sh->b->bold);
  put_text (sh, 2, bom_kinds_plural[kind], sh->b->bold);
  put_formula (sh, 3, qty, count, sh->b->count);
  if (plan->sc->prices != NULL)
    put_formula (sh, LP_BOM_EXTENDED, money, cost, sh->b->money);
  next_row (sh);
}

/* One subtotal row per kind the rows hold: servers, appliances and reverse
 * proxies are never added up into one count. */
static void
bom_kind_rows (LpSheet *sh, const LpPlan *plan, const char *label, lxw_row_t first,
               const double count[3], const double cost[3])
{
  lxw_row_t last = sh->row - 1;

  for (guint k = 0; k < 3; k++)
    if (count[k] > 0)
      bom_kind_row (sh, plan, label, first, last, k, count[k], cost[k]);
}

/* The site's notes, below its subtotal: "Note, site NAME" and the text. */
static void
bom_note_rows (LpSheet *sh, const char *site, const LpCandidate *c, const LpSiteSizing *z)
{
  g_autofree char *label = g_strdup_printf ("Note, site %s", site);
  g_autoptr (GPtrArray) notes = lp_site_notes (c, z);

  for (guint k = 0; k < notes->len; k++)
    put_note (sh, label, 1, 4, g_ptr_array_index (notes, k), LP_BOM_NOTE_WIDTH);
}

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
    /* text across the columns, not a quantity the subtotals would add up */
    text = g_strdup_printf ("%s: %s GB a year", st->label, gb);
    put_note (sh, label, 1, 4, text, LP_BOM_NOTE_WIDTH);
  }
}

/* A site's items and subtotals; adds its counts and costs per kind to @count, @cost. */
static void
bom_site (LpSheet *sh, const LpPlan *plan, guint i, double count[3], double cost[3])
{
  const LpPlanSite *site = &g_array_index (plan->sites, LpPlanSite, i);
  const LpCandidate *c;
  const LpSiteSizing *z = lp_plan_site_sizing (plan, i, &c);
  lxw_row_t first = sh->row;
  double n[3] = { 0 }, money[3] = { 0 };
  g_autofree char *label = NULL;

  if (z->empty)
    return;
  for (guint r = 0; r < plan->rs->roles->len; r++) {
    guint k = role_kind (role_at (plan, r));
    if (z->roles[r] == 0)
      continue;
    bom_role_row (sh, plan, site->name, c->tmpl, r, z->roles[r]);
    n[k] += (double) z->roles[r];
    money[k] += plan->sc->prices
                  ? (double) z->roles[r] * lp_prices_unit (plan->sc->prices, c->tmpl, r)
                  : 0;
  }
  label = g_strdup_printf ("Subtotal, site %s", site->name);
  bom_kind_rows (sh, plan, label, first, n, money);
  bom_note_rows (sh, site->name, c, z);
  bom_storage_rows (sh, plan, site->name, z);
  for (guint k = 0; k < 3; k++) {
    count[k] += n[k];
    cost[k] += money[k];
  }
}

/* The site's stores, below its notes: "Storage, site NAME", the store and
 * its GB a year (text: the Quantity column's subtotals count servers). */
static void
sheet_bom (LpBook *b, const LpPlan *plan)
{
  static const char *const plain[] = { "Site", "Role", "Kind", "Quantity", "Reference hardware",
                                       NULL };
  static const double caps[] = { 30, 26, 0, 0, 40, 15, 15, 15, 24, -1 };
  const char *currency = plan->sc->prices ? plan->sc->prices->currency : "";
  g_autofree char *hw = g_strdup_printf ("Hardware unit price (%s)", currency);
  g_autofree char *lic = g_strdup_printf ("Licence unit price (%s)", currency);
  g_autofree char *ext = g_strdup_printf ("Extended price (%s)", currency);
  const char *const priced[] = { "Site", "Role", "Kind", "Quantity", "Reference hardware",
                                 hw,     lic,    ext,    NULL };
  double count[3] = { 0 }, cost[3] = { 0 };
  LpSheet sh;
  lxw_row_t first_item;

  sheet_open (b, &sh, "Bill of Materials");
  if (sh.ws == NULL)
    return;
  set_caps (&sh, caps);
  table_header (&sh, plan->sc->prices ? priced : plain);
  first_item = sh.row;
  for (guint i = 0; i < plan->sites->len; i++)
    bom_site (&sh, plan, i, count, cost);
  bom_kind_rows (&sh, plan, "Total", first_item, count, cost);
  b->bom_total = sh.row;
  if (plan->sc->prices != NULL) {
    GString *sum = g_string_new ("=");
    guint kinds = (count[0] > 0) + (count[1] > 0) + (count[2] > 0);
    for (guint k = 0; k < kinds; k++) {
      g_autofree char *ref = cell (b->bom_total - kinds + k, LP_BOM_EXTENDED);
      g_string_append_printf (sum, "%s%s", k ? "+" : "", ref);
    }
    if (kinds == 0)
      g_string_append (sum, "0");
    put_text (&sh, 0, "Total cost", sh.b->bold);
    put_formula (&sh, LP_BOM_EXTENDED, sum->str, plan->cost, sh.b->money);
    g_string_free (sum, TRUE);
    next_row (&sh);
  }
  sheet_close (&sh);
}

/* ---- 3. Servers, 4. Pools and Pairing ---- */

static void
sheet_servers (LpBook *b, const LpPlan *plan, const LpInventory *inv)
{
  static const char *const head[] = {
    "Name", "Site", "Pool", "Role", "Reference hardware", "Pairing partner", NULL
  };
  static const double caps[] = { 18, 18, 18, 26, 44, 18, -1 };
  LpSheet sh;

  sheet_open (b, &sh, "Servers");
  if (sh.ws == NULL)
    return;
  set_caps (&sh, caps);
  table_header (&sh, head);
  for (guint i = 0; i < inv->servers->len; i++) {
    const LpServer *s = g_ptr_array_index (inv->servers, i);
    put_text (&sh, 0, s->name, NULL);
    put_text (&sh, 1, g_array_index (plan->sites, LpPlanSite, s->site).name, NULL);
    put_text (&sh, 2, s->pool, NULL);
    put_text (&sh, 3, role_at (plan, s->role)->name, NULL);
    put_text (&sh, 4, role_at (plan, s->role)->hardware, NULL);
    put_text (&sh, 5, s->partner, NULL);
    next_row (&sh);
  }
  sheet_close (&sh);
}

/* The names of the servers at @site of @role (in @pool when not NULL), comma-separated. */
static char *
members (const LpInventory *inv, guint site, guint role, const char *pool, guint *n)
{
  GString *s = g_string_new (NULL);

  *n = 0;
  for (guint i = 0; i < inv->servers->len; i++) {
    const LpServer *v = g_ptr_array_index (inv->servers, i);
    if (v->site != site || v->role != role || (pool != NULL && g_strcmp0 (v->pool, pool) != 0))
      continue;
    g_string_append_printf (s, "%s%s", s->len ? ", " : "", v->name);
    (*n)++;
  }
  return g_string_free (s, FALSE);
}

/* The pools of the roles with a [role] pool name (Edge, Persistent Chat,
 * Office Web Apps), one per site with such servers. */
static void
role_pool_rows (LpSheet *sh, const LpPlan *plan, const LpInventory *inv, guint site)
{
  for (guint r = 0; r < plan->rs->roles->len; r++) {
    const LpRole *role = role_at (plan, r);
    guint n;
    g_autofree char *names = NULL;
    if (role->pool == NULL)
      continue;
    names = members (inv, site, r, NULL, &n);
    if (n == 0)
      continue;
    put_text (sh, 0, role->pool, NULL);
    put_text (sh, 1, g_array_index (plan->sites, LpPlanSite, site).name, NULL);
    put_text (sh, 2, role->name, NULL);
    put_num (sh, 3, n, sh->b->count);
    put_text (sh, 7, lp_pool_mode_to_string (LP_POOL_NOT_PAIRED), NULL);
    put_text (sh, 8, names, NULL);
    next_row (sh);
  }
}

static void
pool_row (LpSheet *sh, const LpPlan *plan, const LpInventory *inv, const LpPool *p)
{
  guint n;
  g_autofree char *names = members (inv, p->site, p->role, p->name, &n);

  put_text (sh, 0, p->name, NULL);
  put_text (sh, 1, g_array_index (plan->sites, LpPlanSite, p->site).name, NULL);
  put_text (sh, 2, lp_ruleset_find_edition (plan->rs, p->edition)->name, NULL);
  put_num (sh, 3, (double) p->servers, sh->b->count);
  put_num (sh, 4, p->users, sh->b->count);
  put_num (sh, 5, p->capacity, sh->b->count);
  put_text (sh, 6, p->backup ? p->backup : "none", NULL);
  put_text (sh, 7, lp_pool_mode_to_string (p->mode), NULL);
  put_text (sh, 8, names, NULL);
  next_row (sh);
}

static void
sheet_pools (LpBook *b, const LpPlan *plan, const LpInventory *inv)
{
  static const char *const head[] = { "Pool",        "Site",        "Edition or role",
                                      "Servers",     "Users homed", "Capacity (users)",
                                      "Backup pool", "Pairing",     "Members",
                                      NULL };
  static const double caps[] = { 30, 18, 26, 0, 0, 0, 18, 0, 44, -1 };
  LpSheet sh;
  guint k = 0;

  sheet_open (b, &sh, "Pools and Pairing");
  if (sh.ws == NULL)
    return;
  set_caps (&sh, caps);
  table_header (&sh, head);
  /* inventory pools come by site: each site's user pools, then its other pools */
  for (guint site = 0; site < plan->sites->len; site++) {
    for (; k < inv->pools->len; k++) {
      const LpPool *p = g_ptr_array_index (inv->pools, k);
      if (p->site != site)
        break;
      pool_row (&sh, plan, inv, p);
    }
    role_pool_rows (&sh, plan, inv, site);
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
  put_titled (sh, 1, c->tmpl->name, c->tmpl->id, chosen ? sh->b->bold : NULL);
  put_text (sh, 2, c->tmpl->branch ? "branch site" : lp_ruleset_find_edition (plan->rs, c->tmpl->edition)->name, NULL);
  put_text (sh, 3, chosen ? "chosen" : c->excluded ? "not considered" : "alternative", NULL);
  if (c->excluded != NULL) {
    put_text (sh, 8, c->excluded, NULL);
    next_row (sh);
    return;
  }
  missed = lp_candidate_misses_text (plan, c);
  put_num (sh, 4, (double) c->servers, sh->b->count);
  put_num (sh, 5, (double) c->appliances, sh->b->count);
  put_num (sh, 6, c->cost, plan->sc->prices ? sh->b->money : sh->b->count);
  put_text (sh, 7, c->feasible ? "yes" : "no", NULL);
  put_text (sh, 8, c->feasible ? "" : missed, NULL);
  next_row (sh);
}

static void
sheet_alternatives (LpBook *b, const LpPlan *plan)
{
  static const double caps[] = { 18, 40, 20, 16, 0, 0, 0, 14, 40, -1 };
  g_autofree char *cost = plan->sc->prices
                            ? g_strdup_printf ("Cost (%s)", plan->sc->prices->currency)
                            : g_strdup ("Cost (servers and appliances)");
  const char *const head[] = { "Sites",   "Design",     "Edition", "Status",
                               "Servers", "Appliances", cost,      "Meets every requirement",
                               "Misses",  NULL };
  LpSheet sh;

  sheet_open (b, &sh, "Alternatives");
  if (sh.ws == NULL)
    return;
  set_caps (&sh, caps);
  table_header (&sh, head);
  for (guint gi = 0; gi < plan->groups->len; gi++) {
    const LpGroup *g = &g_array_index (plan->groups, LpGroup, gi);
    g_autofree char *label = lp_plan_group_label (plan, gi);
    for (guint t = 0; t < plan->rs->templates->len; t++)
      if (!g->candidates[t].other_kind)
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
  static const double caps[] = { 28, 16, 12, 12, 14, 42, 12, 42, -1 };
  LpSheet sh;

  sheet_open (b, &sh, "Assumptions");
  if (sh.ws == NULL)
    return;
  set_caps (&sh, caps);
  sh.dashes[5] = sh.dashes[7] = TRUE; /* Source, Reference */
  table_header (&sh, head);
  for (guint i = 0; i < plan->rs->vars->len; i++) {
    const LpRuleVar *v = g_ptr_array_index (plan->rs->vars, i);
    gboolean is_default = TRUE;
    g_autofree char *used = lp_plan_setting_text (plan, v->name, &is_default);
    g_autofree char *refs = references (plan, v->source);

    put_text (&sh, 0, v->name, NULL);
    put_text (&sh, 1, v->is_input ? "input default" : "rule constant", NULL);
    put_text (&sh, 2, used, NULL);
    put_text (&sh, 3, v->text, NULL);
    put_text (&sh, 4, v->unit ? v->unit : "", NULL);
    put_text (&sh, 5, v->source, NULL);
    put_text (&sh, 6, is_default ? "" : "yes", is_default ? NULL : sh.b->bold);
    put_text (&sh, 7, refs, NULL);
    next_row (&sh);
  }
  sheet_close (&sh);
}

static void
sheet_trace (LpBook *b, const LpPlan *plan)
{
  static const char *const head[] = { "Step", "Rule fired", NULL };
  static const double caps[] = { 0, 110, -1 };
  LpSheet sh;

  sheet_open (b, &sh, "Rule trace");
  if (sh.ws == NULL)
    return;
  set_caps (&sh, caps);
  table_header (&sh, head);
  for (guint i = 0; plan->trace != NULL && i < plan->trace->len; i++) {
    put_num (&sh, 0, i + 1, sh.b->count);
    put_text (&sh, 1, g_ptr_array_index (plan->trace, i), NULL);
    next_row (&sh);
  }
  sheet_close (&sh);
}

/* ---- 8. Resilience, 9. SLA budget, 10. DNS plan ---- */

/* A note under a table: @label in column 0 (nullable), @text across
 * columns @first..@last merged, wrapped at @chars characters. */
static void
put_note (LpSheet *sh, const char *label, lxw_col_t first, lxw_col_t last, const char *text,
          glong chars)
{
  guint lines;
  glong longest;
  g_autofree char *wrapped = lp_xlsx_wrap_text (text, chars, &lines, &longest);

  if (label != NULL)
    put_text (sh, 0, label, sh->b->bold);
  check (sh->b,
         LP_LXW (sh, worksheet_merge_range (sh->ws, sh->row, first, sh->row, last, wrapped,
                                            sh->b->wrap)),
         sh->name);
  sh->lines = MAX (sh->lines, lines);
  next_row (sh);
}

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
  next_row (sh);
}

static void
sheet_resilience (LpBook *b, const LpPlan *plan, const LpResilience *res)
{
  static const char *const head[] = {
    "Site",   "Failure",           "Scope", "Recovery", "Back in", "Data lost", "Target RTO / RPO",
    "Result", "What users notice", "Steps", NULL
  };
  static const double caps[] = { 14, 22, 11, 11, 9, 9, 12, 9, 36, 52, -1 };
  LpSheet sh;

  sheet_open (b, &sh, "Resilience");
  if (sh.ws == NULL)
    return;
  set_caps (&sh, caps);
  table_header (&sh, head);
  for (guint i = 0; i < plan->sites->len; i++) {
    const LpCandidate *c;
    const LpSiteSizing *z = lp_plan_site_sizing (plan, i, &c);
    for (guint k = 0; !z->empty && k < plan->rs->failures->len; k++) {
      if (z->failures[k].applies)
        failure_row (&sh, plan, i, g_ptr_array_index (plan->rs->failures, k), &z->failures[k]);
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
      next_row (&sh);
    put_note (&sh, "Quorum", 1, 9, text, LP_MERGED_WIDTH);
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
      next_row (&sh);
    put_note (&sh, "Data", 1, 9, text, LP_MERGED_WIDTH);
  }
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
  next_row (sh);
  next_row (sh);
  /* a second table: its header bold, the panes still frozen under the first */
  for (guint c = 0; head[c] != NULL; c++)
    put_text (sh, c, head[c], sh->b->bold);
  next_row (sh);
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
      next_row (sh);
      for (guint k = 0; k < a->contributors->len; k++) {
        const LpAvailContributor *c = g_ptr_array_index (a->contributors, k);
        put_text (sh, 3, c->component, NULL);
        put_num (sh, 4, c->minutes, sh->b->decimal);
        put_text (sh, 5, c->planned ? "yes" : "no", NULL);
        put_text (sh, 6, c->counted ? "yes" : "no", NULL);
        next_row (sh);
      }
    }
  }
}

static void
sheet_sla (LpBook *b, const LpPlan *plan, const LpResilience *res)
{
  static const char *const head[] = { "Period", "Allowed downtime", "Minutes", NULL };
  static const double caps[] = { 16, 18, 14, 50, 0, 0, 0, -1 };
  const LpSlaBudget *bud = &res->sla;
  g_autofree char *sla = lp_format_decimal (bud->sla, 4);
  g_autofree char *title =
    g_strdup_printf ("SLA %s%%%s: a year of 365.25 days, a quarter of 1/4 and a month of 1/12 year",
                     sla, bud->sla_default ? " (default)" : "");
  LpSheet sh;

  sheet_open (b, &sh, "SLA budget");
  if (sh.ws == NULL)
    return;
  set_caps (&sh, caps);
  table_header (&sh, head);
  for (guint i = 0; i < G_N_ELEMENTS (lp_sla_periods); i++) {
    g_autofree char *d = lp_format_duration (bud->allowed[i]);
    put_text (&sh, 0, lp_sla_periods[i], NULL);
    put_text (&sh, 1, d, NULL);
    put_num (&sh, 2, bud->allowed[i], sh.b->decimal);
    next_row (&sh);
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
    next_row (&sh);
  }
  next_row (&sh);
  put_note (&sh, NULL, 0, 3, title, 60); /* fits A:D as the budget table leaves them */
  sla_downtime (&sh, plan, res);
  sheet_close (&sh);
}

static void
sheet_dns (LpBook *b, const LpResilience *res)
{
  static const char *const head[] = { "Name",     "Type",   "Target", "Port",
                                      "Priority", "Weight", "Note",   NULL };
  static const double caps[] = { 38, 8, 40, 0, 0, 0, 50, -1 };
  LpSheet sh;

  sheet_open (b, &sh, "DNS plan");
  if (sh.ws == NULL)
    return;
  set_caps (&sh, caps);
  table_header (&sh, head);
  for (guint i = 0; i < res->records->len; i++) {
    const LpDnsRecord *r = g_ptr_array_index (res->records, i);
    put_text (&sh, 0, r->name, NULL);
    put_text (&sh, 1, r->type, NULL);
    put_text (&sh, 2, r->target, NULL);
    if (r->port)
      put_num (&sh, 3, r->port, sh.b->plain);
    if (strcmp (r->type, "SRV") == 0) {
      put_num (&sh, 4, r->priority, sh.b->plain);
      put_num (&sh, 5, r->weight, sh.b->plain);
    }
    put_text (&sh, 6, r->note, NULL);
    next_row (&sh);
  }
  next_row (&sh);
  put_note (&sh, NULL, 0, 6,
            res->dns_needed ? res->statement
                            : "No remote access and no disaster recovery: no DNS plan needed.",
            LP_MERGED_WIDTH);
  sheet_close (&sh);
}

/* ---- Certificates, Firewall ---- */

#define LP_NAMES_WIDTH 44.0

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
    width += MAX (sh->width[c], LP_MIN_WIDTH);
  next_row (sh);
  put_text (sh, 0, "Sources", sh->b->bold);
  next_row (sh);
  for (guint i = 0; i < keys->len; i++) {
    const char *key = g_ptr_array_index (keys, i);
    const char *title = g_hash_table_lookup (plan->rs->sources, key);
    if (title != NULL)
      put_note (sh, key, 1, last, title, (glong) width - 4);
  }
}

static void
sheet_certificates (LpBook *b, const LpPlan *plan, const LpCertificates *c)
{
  static const char *const head[] = { "Site",         "Certificate",
                                      "Subject name", "Subject alternative names",
                                      "Issuer",       "Note",
                                      "Source",       NULL };
  static const double caps[] = { 14, 22, LP_NAMES_WIDTH, LP_NAMES_WIDTH, 16, 36, 28, -1 };
  g_autoptr (GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  LpSheet sh;

  sheet_open (b, &sh, "Certificates");
  if (sh.ws == NULL)
    return;
  set_caps (&sh, caps);
  sh.dashes[6] = TRUE; /* Source */
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
    put_text (&sh, 3, names->len > 0 ? names->str : "none", b->top);
    put_text (&sh, 4, lp_certificate_issuer (cert->rule), b->top);
    put_text (&sh, 5, note, b->top);
    put_text (&sh, 6, cert->rule->source, b->top);
    add_source_keys (keys, cert->rule->source);
    next_row (&sh);
  }
  source_legend (&sh, plan, keys);
  sheet_close (&sh);
}

static void
sheet_firewall (LpBook *b, const LpPlan *plan, const LpCertificates *c)
{
  static const char *const head[] = { "Site",     "From",    "To",     "Port",
                                      "Protocol", "Purpose", "Source", NULL };
  static const double caps[] = { 14, 30, 30, 14, 10, 44, 28, -1 };
  g_autoptr (GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  LpSheet sh;

  sheet_open (b, &sh, "Firewall");
  if (sh.ws == NULL)
    return;
  set_caps (&sh, caps);
  sh.dashes[6] = TRUE; /* Source */
  table_header (&sh, head);
  for (guint i = 0; i < c->firewall->len; i++) {
    const LpFirewallRule *f = g_ptr_array_index (c->firewall, i);
    put_text (&sh, 0, g_array_index (plan->sites, LpPlanSite, f->site).name, b->top);
    put_text (&sh, 1, f->from, b->top);
    put_text (&sh, 2, f->to, b->top);
    put_text (&sh, 3, f->rule->port, b->top); /* text: 50000-59999 is a range, 443 no number */
    put_text (&sh, 4, f->rule->protocol, b->top);
    put_text (&sh, 5, f->rule->purpose, b->top);
    put_text (&sh, 6, f->rule->source, b->top);
    add_source_keys (keys, f->rule->source);
    next_row (&sh);
  }
  source_legend (&sh, plan, keys);
  sheet_close (&sh);
}

/* ---- 11. Diagram ---- */

static void
sheet_diagram (LpBook *b)
{
  LpSheet sh;

  sheet_open (b, &sh, "Diagram");
  if (sh.ws == NULL)
    return;
  put_text (&sh, 0, "Topology diagram", sh.b->title);
  next_row (&sh);
  next_row (&sh);
  if (b->diagram != NULL) {
    lxw_image_options place = { .object_position = LXW_OBJECT_DONT_MOVE_DONT_SIZE };
    check (b,
           LP_LXW (&sh, worksheet_insert_image_buffer_opt (sh.ws, sh.row, 0,
                                                           (const unsigned char *) b->diagram,
                                                           b->diagram_len, &place)),
           sh.name);
  } else {
    put_text (&sh, 0, b->no_diagram ? b->no_diagram : "No diagram.", NULL);
    next_row (&sh);
  }
  sheet_close (&sh);
  if (b->diagram != NULL && !b->dry_run)
    worksheet_fit_to_pages (sh.ws, 1, 1); /* the picture on one page */
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
      (b->top = new_format (b)) == NULL || (b->bold_wrap = new_format (b)) == NULL ||
      (b->small = new_format (b)) == NULL || (b->plain = new_format (b)) == NULL)
    return FALSE;
  /* a row of several lines reads from its top */
  lxw_format *const every[] = { b->bold,       b->title,      b->count,   b->money,
                                b->count_left, b->money_left, b->decimal, b->wrap,
                                b->top,        b->bold_wrap,  b->plain,   NULL };
  for (guint i = 0; every[i] != NULL; i++)
    format_set_align (every[i], LXW_ALIGN_VERTICAL_TOP);
  format_set_text_wrap (b->bold_wrap);
  format_set_num_format (b->plain, "0_)");
  format_set_bold (b->bold_wrap);
  format_set_font_size (b->small, 8);
  format_set_font_color (b->small, 0x595959);
  format_set_num_format (b->decimal, "#,##0.00_)");
  format_set_text_wrap (b->wrap);
  format_set_align (b->wrap, LXW_ALIGN_VERTICAL_TOP);
  format_set_bold (b->bold);
  format_set_bold (b->title);
  format_set_font_size (b->title, 14);
  format_set_num_format (b->count, "#,##0_)"); /* _): a space before the next column */
  format_set_num_format (b->money, "#,##0.00_)");
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
write_sheets (LpBook *b, const LpReport *r, const char *date, gboolean trace)
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
  if (trace)
    sheet_trace (b, plan);
  sheet_resilience (b, plan, res);
  sheet_sla (b, plan, res);
  sheet_dns (b, res);
  sheet_certificates (b, plan, r->certificates);
  sheet_firewall (b, plan, r->certificates);
  sheet_diagram (b);
}

/* Writes the sheets without a workbook, so a plan too big for one is
 * refused before libxlsxwriter holds any of it (it fails only at the
 * row past its last, after building every row before it in memory). */
gboolean
lp_write_xlsx_check (const LpReport *r, GError **error)
{
  LpBook b = { .dry_run = TRUE };
  g_autofree char *rows = NULL, *max = NULL;

  /* the Rule trace sheet is counted whenever the plan has a trace */
  write_sheets (&b, r, NULL, r->plan->trace != NULL);
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
write_book (LpBook *b, const LpReport *r, const LpWriteOptions *o)
{
  if (!add_formats (b))
    return;
  set_properties (b, r->plan, (time_t) r->created);
  write_sheets (b, r, r->date, o->with_trace && r->plan->trace != NULL);
}

/* The diagram as PNG bytes in @b, drawn by dot into a temporary file that
 * is removed at once; without dot, @b says why and standard error warns. */
static void
draw_diagram (LpBook *b, const LpReport *r)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  int fd = g_file_open_tmp ("lyncplan-diagram-XXXXXX.png", &path, &error);

  if (fd >= 0) {
    close (fd);
    if (lp_diagram_render (r, "-Tpng:cairo", path, "the workbook's diagram", &error))
      g_file_get_contents (path, &b->diagram, &b->diagram_len, &error);
    g_unlink (path);
  }
  if (b->diagram != NULL && b->diagram_len > 0)
    return;
  g_clear_pointer (&b->diagram, g_free);
  b->no_diagram = g_strdup_printf (
    "No diagram: %s. Install Graphviz (Debian: graphviz) and write the workbook again, or draw it "
    "with --diagram FILE.svg.",
    error ? error->message : "Graphviz's dot wrote nothing");
  g_printerr ("lyncplan: warning: the workbook has no diagram: %s\n",
              error ? error->message : "Graphviz's dot wrote nothing");
}

gboolean
lp_write_xlsx (const LpReport *r, const LpWriteOptions *o, LpOutput *out, GError **error)
{
  LpBook b = { 0 };
  const char *target = lp_output_target (out);
  int saved;

  draw_diagram (&b, r);
  saved = lp_stderr_mute (); /* libxlsxwriter's own lines: the error says it all */
  b.wb = workbook_new (lp_output_path (out));
  if (b.wb != NULL) {
    write_book (&b, r, o);
    check (&b, workbook_close (b.wb), "saving the workbook");
  }
  lp_stderr_restore (saved);
  g_free (b.diagram);
  g_free (b.no_diagram);
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
