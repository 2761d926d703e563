/* lp-write-text.c: the consultant's report. */
#include "lp-write.h"

#include <math.h>
#include <string.h>

#include "lp-config.h"
#include "lp-text.h"
#include "lp-units.h"

/* ---- layout: prose wrapped, tables fitted, at LP_TEXT_WIDTH columns ---- */

/* Columns of @p's first @n bytes (UTF-8 characters). */
static guint
columns (const char *p, gsize n)
{
  guint w = 0;

  for (const char *q = p; q < p + n && *q != '\0';)
    if ((guchar) *q < 0x80) { /* ASCII, one column */
      w++;
      q++;
    } else {
      w += lp_char_width (g_utf8_get_char (q));
      q = g_utf8_next_char (q);
    }
  return w;
}

/* Appends @n spaces (a printf "%*s" costs a formatted call). */
static void
spaces (GString *out, guint n)
{
  static const char blank[] = "                                ";

  for (; n > sizeof blank - 1; n -= sizeof blank - 1)
    g_string_append_len (out, blank, sizeof blank - 1);
  g_string_append_len (out, blank, n);
}

/* The byte length of the longest first part of @p (a word, or one line of
 * text) that fits @room columns, breaking after a space, else after '.',
 * '-' or '/' when @break_words, else hard. 0 only for an empty @p. */
static gsize
fit_prefix (const char *p, guint room, gboolean break_words)
{
  const char *space = NULL, *mark = NULL, *q = p;
  guint n = 0;

  /* the first character is taken even when wider than @room: a line is never empty */
  for (guint w; *q != '\0' && (n + (w = lp_char_width (g_utf8_get_char (q))) <= room || q == p);
       q = g_utf8_next_char (q), n += w) {
    if (*q == ' ')
      space = q;
    else if (strchr (".-/", *q) != NULL)
      mark = q + 1;
  }
  if (*q == '\0' || *q == ' ')
    return (gsize) (q - p);
  if (space != NULL && space > p)
    return (gsize) (space - p);
  if (!break_words) {
    const char *next = strchr (q, ' ');
    return next ? (gsize) (next - p) : strlen (p);
  }
  return mark != NULL ? (gsize) (mark - p) : (gsize) (q - p);
}

/* Splits @text into lines of at most @width columns (words longer than that
 * broken as fit_prefix() says). Returns: (transfer full): the lines. */
static GPtrArray *
wrap_lines (const char *text, guint width, gboolean break_words)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  const char *p = text;

  while (*p == ' ')
    p++;
  while (*p != '\0') {
    gsize n = fit_prefix (p, MAX (width, 1), break_words);
    g_ptr_array_add (lines, g_strndup (p, n));
    for (p += n; *p == ' '; p++)
      ;
  }
  if (lines->len == 0)
    g_ptr_array_add (lines, g_strdup (""));
  return lines;
}

/* Appends one paragraph: verbatim when it fits, else word by word. */
static void
append_paragraph (GString *out, guint lead, guint hang, const char *text, guint width)
{
  g_auto (GStrv) words = NULL;
  guint col = lead;
  gboolean fresh = TRUE;

  spaces (out, lead);
  if (lead + columns (text, strlen (text)) <= width) {
    g_string_append_printf (out, "%s\n", text);
    return;
  }
  words = g_strsplit (text, " ", -1);
  for (guint i = 0, gap = 0; words[i] != NULL; i++, gap++) {
    guint n = columns (words[i], strlen (words[i]));
    if (n == 0)
      continue; /* two spaces in a row: a gap kept within a line */
    if (!fresh && col + gap + n > width) {
      g_string_append_c (out, '\n');
      spaces (out, hang);
      col = hang;
      fresh = TRUE;
    }
    if (!fresh) {
      spaces (out, gap);
      col += gap;
    }
    g_string_append (out, words[i]);
    col += n;
    fresh = FALSE;
    gap = 0;
  }
  g_string_append_c (out, '\n');
}

void
lp_text_append_wrapped (GString *out, guint indent, guint hang, const char *text, guint width)
{
  g_auto (GStrv) paragraphs = g_strsplit (text, "\n", -1);

  for (guint k = 0; paragraphs[k] != NULL; k++) {
    if (paragraphs[k][0] == '\0')
      g_string_append_c (out, '\n'); /* a blank line, no spaces */
    else
      append_paragraph (out, k == 0 ? indent : hang, hang, paragraphs[k], width);
  }
}

/* lp_text_append_wrapped() of a printf format at LP_TEXT_WIDTH. */
static G_GNUC_PRINTF (4, 5) void wrapf (GString *out, guint indent, guint hang, const char *fmt,
                                        ...)
{
  va_list args;
  g_autofree char *text = NULL;

  va_start (args, fmt);
  text = g_strdup_vprintf (fmt, args);
  va_end (args);
  lp_text_append_wrapped (out, indent, hang, text, LP_TEXT_WIDTH);
}

/* ---- a plain table: columns padded to their widest cell, the widest
 * wrapped inside their column when a row would pass LP_TEXT_WIDTH ---- */

typedef struct {
  guint n_cols;
  const char *align; /* one 'l' or 'r' per column */
  GPtrArray *cells;  /* of char *, row by row */
  GPtrArray *notes;  /* of char * (nullable), one a row: prose printed beneath it */
} LpTable;

static LpTable *
table_new (guint n_cols, const char *align)
{
  LpTable *t = g_new0 (LpTable, 1);
  t->n_cols = n_cols;
  t->align = align;
  t->cells = g_ptr_array_new_with_free_func (g_free);
  t->notes = g_ptr_array_new_with_free_func (g_free);
  return t;
}

/* Takes ownership of @n_cols strings. */
static void
table_row (LpTable *t, ...)
{
  va_list args;

  va_start (args, t);
  for (guint i = 0; i < t->n_cols; i++)
    g_ptr_array_add (t->cells, va_arg (args, char *));
  va_end (args);
  g_ptr_array_add (t->notes, NULL);
}

/* Gives the last row a note, wrapped beneath it (a column too many for the
 * width). Takes ownership of @note. */
static void
table_row_note (LpTable *t, char *note)
{
  g_free (g_ptr_array_index (t->notes, t->notes->len - 1));
  g_ptr_array_index (t->notes, t->notes->len - 1) = note;
}

static void
table_free (LpTable *t)
{
  g_ptr_array_unref (t->cells);
  g_ptr_array_unref (t->notes);
  g_free (t);
}

/* The longest word of @cell, in columns. */
static guint
longest_word (const char *cell)
{
  g_auto (GStrv) words = g_strsplit (cell, " ", -1);
  guint n = 0;

  for (guint i = 0; words[i] != NULL; i++)
    n = MAX (n, columns (words[i], strlen (words[i])));
  return n;
}

/* Narrows @width until a row fits @room columns: first the column with the
 * most room above its longest word, then, when every column is down to its
 * longest word, the widest (its words broken), none below 8. */
static void
fit_columns (const LpTable *t, guint *width, guint room)
{
  g_autofree guint *word = g_new0 (guint, t->n_cols);
  guint total = 2 * (t->n_cols - 1);

  for (guint i = 0; i < t->cells->len; i++)
    word[i % t->n_cols] = MAX (word[i % t->n_cols], longest_word (g_ptr_array_index (t->cells, i)));
  for (guint c = 0; c < t->n_cols; c++)
    total += width[c];
  while (total > room) {
    guint best = 0, widest = 0;
    for (guint c = 1; c < t->n_cols; c++) {
      best = width[c] - MIN (word[c], width[c]) > width[best] - MIN (word[best], width[best])
               ? c
               : best;
      widest = width[c] > width[widest] ? c : widest;
    }
    if (width[best] > word[best])
      width[best]--;
    else if (width[widest] > 8)
      width[widest]--;
    else
      return;
    total--;
  }
}

static void
print_cell_line (GString *out, const LpTable *t, guint col, const char *text, guint width)
{
  guint pad = width - MIN (width, columns (text, strlen (text)));
  gboolean last = col == t->n_cols - 1;

  if (t->align[col] == 'r') {
    spaces (out, pad);
    g_string_append (out, text);
  } else {
    g_string_append (out, text);
    spaces (out, last ? 0 : pad);
  }
  g_string_append (out, last ? "" : "  ");
}

/* Prints one row of @t from cell @first, each cell wrapped in its column. */
static void
print_row (const LpTable *t, guint first, const guint *width, GString *out, const char *indent)
{
  g_autofree GPtrArray **lines = g_new0 (GPtrArray *, t->n_cols);
  guint height = 1;

  for (guint c = 0; c < t->n_cols; c++) {
    lines[c] = wrap_lines (g_ptr_array_index (t->cells, first + c), width[c], TRUE);
    height = MAX (height, lines[c]->len);
  }
  for (guint l = 0; l < height; l++) {
    g_string_append (out, indent);
    for (guint c = 0; c < t->n_cols; c++)
      print_cell_line (out, t, c, l < lines[c]->len ? g_ptr_array_index (lines[c], l) : "",
                       width[c]);
    while (out->len > 0 && out->str[out->len - 1] == ' ')
      g_string_truncate (out, out->len - 1);
    g_string_append_c (out, '\n');
  }
  for (guint c = 0; c < t->n_cols; c++)
    g_ptr_array_unref (lines[c]);
}

/* Prints @t and frees it. */
static void
table_print (LpTable *t, GString *out, const char *indent)
{
  g_autofree guint *width = g_new0 (guint, t->n_cols);
  guint room = LP_TEXT_WIDTH - MIN (LP_TEXT_WIDTH, (guint) strlen (indent));

  for (guint i = 0; i < t->cells->len; i++) {
    const char *cell = g_ptr_array_index (t->cells, i);
    width[i % t->n_cols] = MAX (width[i % t->n_cols], (guint) lp_text_width (cell));
  }
  fit_columns (t, width, room);
  for (guint i = 0; i < t->cells->len; i += t->n_cols) {
    const char *note = g_ptr_array_index (t->notes, i / t->n_cols);
    print_row (t, i, width, out, indent);
    if (note != NULL)
      lp_text_append_wrapped (out, (guint) strlen (indent) + 4, (guint) strlen (indent) + 4, note,
                              LP_TEXT_WIDTH);
  }
  table_free (t);
}

/* ---- sections ---- */

static const LpCheck *
check (const LpReport *r, guint k)
{
  return g_ptr_array_index (r->checks, k);
}

/* "24 servers, 4 appliances, 4 reverse proxies", singular where one. */
static void
append_totals (GString *out, guint64 servers, guint64 appliances, guint64 proxies)
{
  g_string_append_printf (out,
                          "%" G_GUINT64_FORMAT " server%s, %" G_GUINT64_FORMAT " appliance%s, "
                          "%" G_GUINT64_FORMAT " reverse prox%s",
                          servers, servers == 1 ? "" : "s", appliances, appliances == 1 ? "" : "s",
                          proxies, proxies == 1 ? "y" : "ies");
}

/* "Not possible with PRODUCT": each requirement no design meets, where it is
 * asked, and what would meet it. */
static void
write_unmet (const LpReport *r, GString *out)
{
  const GPtrArray *unmet = r->unmet;

  if (unmet->len == 0)
    return;
  wrapf (out, 0, 2, "Not possible with %s", r->product);
  for (guint i = 0; i < unmet->len; i++) {
    const LpUnmet *u = g_ptr_array_index (unmet, i);
    wrapf (out, 2, 4, "%s: asked at %s; the best any design achieves is %s.", u->check->title,
           u->sites->str, u->best);
    for (guint k = 0; k < u->remedies->len; k++)
      wrapf (out, 4, 6, "%s %s", k == 0 ? "Remedy:" : "or",
             (char *) g_ptr_array_index (u->remedies, k));
  }
  g_string_append_c (out, '\n');
}

static void
write_header (const LpReport *r, GString *out)
{
  const LpPlan *plan = r->plan;
  const GPtrArray *unmet = r->unmet;
  const char *design = lp_plan_design (plan);
  const LpEdition *e = r->edition;
  g_autofree char *servers = lp_format_count (plan->servers);
  g_autofree char *appliances = lp_format_count (plan->appliances);
  g_autofree char *proxies = lp_format_count (plan->reverse_proxies);

  const char *title = r->heading;
  g_autofree char *tool = g_strdup_printf ("(lyncplan %s, rule set %s version %s)", LP_VERSION,
                                           r->rule_set_id, r->rule_set_version);

  /* too long for one line: the tool's part on a line of its own, not cut */
  if (lp_text_width (title) + 1 + lp_text_width (tool) <= LP_TEXT_WIDTH)
    wrapf (out, 0, 2, "%s %s", title, tool);
  else
    wrapf (out, 0, 2, "%s\n%s", title, tool);
  g_string_append_c (out, '\n');
  wrapf (out, 0, 9, "Design:  %s%s%s%s", design, e ? " (" : "", e ? e->name : "", e ? ")" : "");
  g_string_append_printf (out, "Totals:  %s server%s, %s appliance%s, %s reverse prox%s\n", servers,
                          plan->servers == 1 ? "" : "s", appliances,
                          plan->appliances == 1 ? "" : "s", proxies,
                          plan->reverse_proxies == 1 ? "y" : "ies");
  if (r->currency != NULL) {
    g_autofree char *cost = lp_format_money (plan->cost, r->currency);
    g_autofree char *with_hosts = NULL;
    if (r->hosts != NULL && r->hosts->priced && r->hosts->hosts->len > 0) {
      g_autofree char *all = lp_format_money (plan->cost + r->hosts->cost, r->currency);
      with_hosts = g_strdup_printf ("; %s with the %u virtualisation hosts", all,
                                    r->hosts->hosts->len);
    }
    wrapf (out, 0, 9, "Cost:    %s%s%s%s%s", cost, with_hosts != NULL ? with_hosts : "",
           r->price_note ? " (" : "", r->price_note ? r->price_note : "", r->price_note ? ")" : "");
  }
  if (lp_unmet_plan_only (plan, unmet))
    wrapf (out, 0, 9, "Verdict: meets every requirement the product can meet; %u it cannot (below)",
           unmet->len);
  else
    wrapf (out, 0, 9, "Verdict: %s",
           plan->feasible ? "meets every requirement"
                          : "NO DESIGN MEETS EVERY REQUIREMENT; the closest is shown");
  g_string_append_c (out, '\n');
}

static void
write_inputs (const LpReport *r, GString *out)
{
  LpTable *t = table_new (3, "lll");

  g_string_append (out, "Inputs (* = default)\n");
  for (guint i = 0; i < r->inputs->len; i++) {
    const LpInput *in = g_array_index (r->inputs, LpReportInput, i).in;
    gboolean is_default = TRUE;
    char *text = lp_plan_input_text (r->plan, in, &is_default);
    table_row (t, g_strdup (in->key), text, g_strdup (is_default ? "*" : ""));
  }
  table_print (t, out, "  ");
  g_string_append_c (out, '\n');
}

static void
write_overrides (const LpReport *r, GString *out)
{
  LpTable *t = table_new (3, "lll");

  for (guint i = 0; i < r->overrides->len; i++) {
    const LpSetting *s = g_ptr_array_index (r->overrides, i);
    const LpRuleVar *v = lp_report_var (r, s->name);
    table_row (t, g_strdup (s->name), lp_ruleset_format_value (v->type, s->value),
               g_strdup_printf ("(rule file: %s)", v->text));
  }
  if (r->overrides->len == 0) {
    table_free (t);
    return;
  }
  g_string_append (out, "Rule constants overridden for this scenario\n");
  table_print (t, out, "  ");
  g_string_append_c (out, '\n');
}

static void
write_sites (const LpPlan *plan, const LpInventory *inv, GString *out)
{
  LpTable *t = table_new (3, "lrl");

  g_string_append (out, "Sites\n");
  for (guint i = 0; i < plan->sites->len; i++) {
    const LpPlanSite *s = &g_array_index (plan->sites, LpPlanSite, i);
    g_autofree char *users = lp_format_count (s->users);
    g_autofree char *remote = lp_format_decimal (s->remote_percent, 2);
    GString *note = g_string_new (NULL);

    g_string_append_printf (note, "%s%% remote%s", remote, s->remote_default ? " (default)" : "");
    if (s->partner >= 0)
      g_string_append_printf (note, ", paired with %s",
                              g_array_index (plan->sites, LpPlanSite, s->partner).name);
    if (s->warm)
      g_string_append (note, ", warm standby site added for disaster recovery");
    {
      g_autofree char *facts = lp_plan_site_facts (plan, i, TRUE);
      if (facts[0] != '\0')
        g_string_append_printf (note, ", %s", facts);
    }
    if (g_ptr_array_index (inv->site_notes, i) != NULL)
      g_string_append_printf (note, ", names use '%s': %s",
                              (char *) g_ptr_array_index (inv->site_tokens, i),
                              (char *) g_ptr_array_index (inv->site_notes, i));
    table_row (t, g_strdup (s->name), g_strdup_printf ("%s users", users),
               g_string_free (note, FALSE));
  }
  table_print (t, out, "  ");
  g_string_append_c (out, '\n');
}

static void
write_requirements (const LpReport *report, const LpGroup *g, const LpCandidate *c, GString *out)
{
  LpTable *t = table_new (5, "lllll");

  table_row (t, g_strdup ("Requirement"), g_strdup ("Target"), g_strdup ("Achieved"),
             g_strdup ("Result"), g_strdup (""));
  for (guint k = 0; k < report->checks->len; k++) {
    const LpCheckResult *r = &c->checks[k];
    g_autofree char *b = NULL;

    if (!r->applies)
      continue;
    b = lp_check_format_value (check (report, k), g->best[k]);
    table_row (t, g_strdup (check (report, k)->label),
               lp_check_format_value (check (report, k), r->target),
               lp_check_format_value (check (report, k), r->achieved),
               lp_check_result_text (check (report, k), r),
               r->met ? g_strdup ("")
                      : g_strdup_printf ("best any design achieves: %s (%s)", b,
                                         g->candidates[g->best_by[k]].tmpl->id));
  }
  table_print (t, out, "    ");
}

static void
write_recovery (const LpReport *r, const char *what, guint row, gboolean automatic, double rto,
                double rpo, GString *out)
{
  const LpFailure *f = g_ptr_array_index (r->failures, row);
  g_autofree char *t = lp_format_duration (rto);
  g_autofree char *p = lp_format_duration (rpo);

  wrapf (out, 4, 6, "%s: back in %s, losing up to %s (worst case: %s, %s).", what, t, p, f->label,
         automatic ? "automatic" : "manual");
}

static char *
cost_difference (const char *currency, double diff)
{
  g_autofree char *num = currency != NULL ? lp_format_money (fabs (diff), currency)
                                          : lp_format_decimal (fabs (diff), 2);

  if (diff == 0)
    return g_strdup ("meets every requirement at the same cost, more appliances or later in order");
  return g_strdup_printf ("meets every requirement, costs %s %s", num, diff > 0 ? "more" : "less");
}

static void
write_alternatives (const LpReport *r, const LpGroup *g, GString *out)
{
  const LpCandidate *chosen = &g->candidates[g->chosen];
  LpTable *t = table_new (3, "lll");

  for (guint i = 0; i < r->n_templates; i++) {
    const LpCandidate *c = &g->candidates[i];
    char *size, *verdict;

    if (i == g->chosen || c->other_kind)
      continue;
    if (c->excluded != NULL) {
      table_row (t, g_strdup (c->tmpl->id), g_strdup ("-"),
                 g_strdup_printf ("not considered: %s", c->excluded));
      continue;
    }
    size = g_strdup_printf ("%" G_GUINT64_FORMAT " servers, %" G_GUINT64_FORMAT " appliances",
                            c->servers, c->appliances);
    if (!c->feasible) {
      g_autofree char *missed = lp_candidate_misses_text (r->plan, c);
      verdict = g_strconcat ("misses ", missed, NULL);
    } else {
      verdict = cost_difference (r->currency, c->cost - chosen->cost);
    }
    table_row (t, g_strdup (c->tmpl->id), size, verdict);
  }
  if (t->cells->len == 0) { /* a branch site: one design for it */
    table_free (t);
    return;
  }
  g_string_append (out, "    Alternatives considered:\n");
  table_print (t, out, "      ");
}

static void
write_group (const LpReport *r, guint gi, GString *out)
{
  const LpPlan *plan = r->plan;
  const GPtrArray *unmet = r->unmet;
  const LpGroup *g = &g_array_index (plan->groups, LpGroup, gi);
  const LpCandidate *c = lp_plan_group_choice (plan, gi);
  const LpSiteSizing *z = lp_candidate_first_sized (c, g);
  g_autofree char *label = lp_plan_group_label (plan, gi);

  wrapf (out, 0, 4, "Group %s: %s (%s)", label, c->tmpl->id, c->tmpl->name);
  if (g->empty) {
    g_string_append (out, "    No users: nothing is built.\n\n");
    return;
  }
  wrapf (out, 4, 4, "%s.", c->tmpl->description);
  if (g->feasible)
    g_string_append (out, "    Why: the cheapest design that meets every requirement.\n\n");
  else if (c->excluded != NULL)
    wrapf (out, 4, 4, "Why: every design is left out; this one only %s.\n", c->excluded);
  else if (lp_unmet_only (plan, c, unmet))
    wrapf (out, 4, 4,
           "Why: it meets every requirement the product can meet, and misses what it cannot by "
           "the least (see Not possible with %s).\n",
           r->product);
  else
    wrapf (out, 4, 4,
           "Why: no design meets every requirement; this one misses the fewest, by the least.\n");
  write_requirements (r, g, c, out);
  g_string_append_c (out, '\n');
  write_recovery (r, "Server failure", z->worst_component, z->worst_component_automatic,
                  z->server_failure_rto, z->server_failure_rpo, out);
  write_recovery (r, "Site loss", z->site_row, z->site_row_automatic, z->site_loss_rto,
                  z->site_loss_rpo, out);
  g_string_append_c (out, '\n');
  write_alternatives (r, g, out);
  g_string_append_c (out, '\n');
}

/* The site's or the plan's total, with its cost when priced. */
static void
append_priced_totals (const LpReport *r, GString *out, guint64 servers, guint64 appliances,
                      guint64 proxies, double cost)
{
  append_totals (out, servers, appliances, proxies);
  if (r->currency != NULL) {
    g_autofree char *money = lp_format_money (cost, r->currency);
    g_string_append_printf (out, ": %s", money);
  }
  g_string_append_c (out, '\n');
}

/* The bill of materials' table of site @site (the report's priced lines):
 * with unit and extended prices (a licence the design needs included),
 * headed with the currency, when priced. */
static LpTable *
bom_table (const LpReport *r, guint site)
{
  const char *currency = r->currency;
  LpTable *t = table_new (currency ? 5 : 3, currency ? "rllrr" : "rll");

  if (currency == NULL)
    table_row (t, g_strdup ("Qty"), g_strdup ("Role"), g_strdup ("Reference hardware"));
  else
    table_row (t, g_strdup ("Qty"), g_strdup ("Role"), g_strdup ("Reference hardware"),
               g_strdup_printf ("Unit (%s)", currency), g_strdup_printf ("Price (%s)", currency));
  for (guint k = r->bom_first[site]; k < r->bom_first[site + 1]; k++) {
    const LpBomLine *l = &g_array_index (r->bom, LpBomLine, k);
    if (currency == NULL)
      table_row (t, lp_format_count (l->count), g_strdup (l->r->name), g_strdup (l->r->hardware));
    else
      table_row (t, lp_format_count (l->count), g_strdup (l->r->name), g_strdup (l->r->hardware),
                 l->priced ? lp_format_money (l->unit, NULL) : g_strdup ("not priced"),
                 lp_format_money (l->extended, NULL));
  }
  return t;
}

/* The bill of materials' line for site @i's hosts, when it has some: with
 * their price when the price list prices a host. */
static void
write_site_hosts (const LpReport *r, guint i, GString *out)
{
  const LpBomHosts *l;
  g_autofree char *price = NULL;

  if (r->bom_hosts_at[i] < 0)
    return;
  l = &g_array_index (r->bom_hosts, LpBomHosts, r->bom_hosts_at[i]);
  if (l->priced) {
    g_autofree char *unit = lp_format_money (l->unit, r->currency);
    g_autofree char *all = lp_format_money (l->extended, r->currency);
    price = g_strdup_printf ("; at %s a host, %s in addition to the servers above", unit, all);
  }
  wrapf (out, 4, 11,
         "Hosts: %u virtualisation hosts of %.0f cores and %.0f GB (%u of them spare) run the "
         "servers above as virtual machines; the licences still count the servers%s",
         l->count, l->cores, l->memory_gb, l->spare, price != NULL ? price : "");
}

static void
write_site_bom (const LpReport *r, guint i, GString *out)
{
  const LpPlan *plan = r->plan;
  const LpPlanSite *s = &g_array_index (plan->sites, LpPlanSite, i);
  const LpCandidate *c;
  const LpSiteSizing *z = lp_plan_site_sizing (plan, i, &c);
  g_autofree char *users = lp_format_count (s->users);
  g_autoptr (GPtrArray) notes = NULL;

  if (s->host >= 0)
    wrapf (out, 2, 4, "Site %s (a backup pool at %s for %s): %s", s->name,
           g_array_index (plan->sites, LpPlanSite, s->host).name,
           g_array_index (plan->sites, LpPlanSite, s->partner).name, c->tmpl->id);
  else
    wrapf (out, 2, 4, "Site %s (%s users): %s", s->name, users, c->tmpl->id);
  if (z->empty) {
    g_string_append (out, "    nothing: no users and no partner\n\n");
    return;
  }
  table_print (bom_table (r, i), out, "    ");
  g_string_append (out, "    = ");
  append_priced_totals (r, out, z->servers, z->appliances, z->reverse_proxies, z->cost);
  write_site_hosts (r, i, out);
  notes = lp_site_notes (c, z);
  for (guint k = 0; k < notes->len; k++)
    wrapf (out, 4, 10, "Note: %s", (char *) g_ptr_array_index (notes, k));
  for (guint k = 0; z->storage_gb != NULL && k < r->stores->len; k++) {
    const LpStorage *st = g_ptr_array_index (r->stores, k);
    g_autofree char *gb = NULL;
    if (!(z->storage & ((guint64) 1 << k)))
      continue;
    gb = lp_format_decimal (round (z->storage_gb[k] * 10) / 10, 1);
    wrapf (out, 4, 13, "Storage: %s GB a year, %s", gb, st->label);
  }
  g_string_append_c (out, '\n');
}

static void
write_caveats (const LpReport *r, GString *out)
{
  for (guint i = 0; i < r->caveats->len; i++) {
    const LpEdition *e = g_ptr_array_index (r->caveats, i);
    g_string_append_printf (out, "Caveats of %s\n", e->name);
    for (guint k = 0; e->caveats[k] != NULL; k++)
      wrapf (out, 2, 4, "- %s", e->caveats[k]);
    g_string_append_c (out, '\n');
  }
}

/* ---- resilience ---- */

static void
write_failure_table (const LpReport *report, guint site, const LpSiteSizing *z, GString *out)
{
  const LpPlan *plan = report->plan;
  LpTable *t = table_new (6, "llllll");
  gboolean any_multiple = FALSE, any_planned = FALSE;

  table_row (t, g_strdup ("Failure"), g_strdup ("Recovery"), g_strdup ("Back in"),
             g_strdup ("Data lost"), g_strdup ("Target RTO / RPO"), g_strdup ("Result"));
  for (guint k = 0; k < report->failures->len; k++) {
    const LpFailure *f = g_ptr_array_index (report->failures, k);
    const LpFailureResult *r = lp_site_failure (z, k);
    double rto, rpo;
    gboolean meets;
    g_autofree char *trto = NULL, *trpo = NULL;

    if (r == NULL)
      continue;
    meets = lp_failure_targets (plan, site, f, r, &rto, &rpo);
    trto = lp_format_duration (rto);
    trpo = lp_format_duration (rpo);
    any_multiple |= f->scope == LP_FAILURE_MULTIPLE;
    any_planned |= f->scope == LP_FAILURE_PLANNED;
    table_row (t,
               g_strdup_printf ("%s%s", f->label,
                                f->scope == LP_FAILURE_MULTIPLE  ? " *"
                                : f->scope == LP_FAILURE_PLANNED ? " +"
                                                                 : ""),
               g_strdup (r->automatic ? "automatic" : "manual"), lp_format_duration (r->rto),
               lp_format_duration (r->rpo),
               f->scope == LP_FAILURE_PLANNED ? g_strdup ("-")
                                              : g_strdup_printf ("%s / %s", trto, trpo),
               g_strdup (f->scope == LP_FAILURE_PLANNED ? "-"
                         : meets                        ? "meets"
                                                        : "MISSES"));
  }
  table_print (t, out, "    ");
  if (any_multiple)
    wrapf (
      out, 4, 6,
      "* several failures at once: shown against rto and rpo, not part of the requirement check");
  if (any_planned)
    wrapf (out, 4, 6,
           "+ after recovery, when the administrators choose: not part of the recovery time or the "
           "requirement check");
}

static void
write_failure_steps (const LpReport *report, const LpSiteSizing *z, GString *out)
{
  const LpPlan *plan = report->plan;

  for (guint k = 0; k < report->failures->len; k++) {
    const LpFailure *f = g_ptr_array_index (report->failures, k);
    const LpFailureResult *r = lp_site_failure (z, k);
    g_autofree char *sum = NULL;
    guint n = 0;
    if (r == NULL)
      continue;
    sum = lp_failure_sum_text (plan, f, r);
    g_string_append_c (out, '\n');
    wrapf (out, 4, 6, "%s: %s.", f->label, f->effect);
    wrapf (out, 6, 8, "%s %s", f->scope == LP_FAILURE_PLANNED ? "Takes" : "Back in", sum);
    for (guint i = 0; i < f->n_steps; i++) {
      g_autofree char *step = NULL;
      if (!(r->step_applies & (1u << i)))
        continue;
      step = lp_failure_step_text (f, r, i);
      n++;
      wrapf (out, 6, n < 10 ? 9 : 10, "%u. %s", n, step);
    }
  }
}

static void
write_data_classes (const LpResilience *res, GString *out)
{
  if (res->data->len == 0)
    return;
  g_string_append (out, "  Data: what a loss may take\n");
  for (guint i = 0; i < res->data->len; i++) {
    const LpDataRow *d = &g_array_index (res->data, LpDataRow, i);
    g_autofree char *loss = lp_format_duration (d->loss);
    if (d->data->checked)
      wrapf (out, 4, 6, "%s: counted by the RPO checks above: %s.", d->data->label, d->data->note);
    else
      wrapf (out, 4, 6, "%s: up to %s lost, not in the RPO checks: %s.", d->data->label, loss,
             d->data->note);
  }
  g_string_append_c (out, '\n');
}

static void
write_quorum (const LpResilience *res, GString *out)
{
  if (res->quorum->len == 0)
    return;
  g_string_append (out, "  Pool quorum (Front End servers that must run, with the Back End up)\n");
  for (guint i = 0; i < res->quorum->len; i++) {
    const LpQuorumRow *q = &g_array_index (res->quorum, LpQuorumRow, i);
    g_autofree char *of = q->of_first ? g_strdup_printf (" of the first %u", q->of_first)
                                      : g_strdup ("");
    if (!q->listed)
      wrapf (out, 4, 6, "%s: %u servers: FLAGGED: the rule set lists no quorum for this size",
             q->pool->name, q->servers);
    else
      wrapf (out, 4, 6,
             "%s: %u servers: any %u%s must run (any %u can fail); %u must be up to start it%s",
             q->pool->name, q->servers, q->must_run, of, q->can_lose, q->to_start,
             q->flagged ? ": FLAGGED: it cannot lose one server" : "");
  }
  g_string_append_c (out, '\n');
}

static void
write_sla_budget (const LpPlan *plan, const LpResilience *res, GString *out)
{
  const LpSlaBudget *b = &res->sla;
  g_autofree char *sla = lp_format_decimal (b->sla, 4);
  g_autofree char *supported = lp_format_decimal (b->supported_sla, 4);
  g_autofree char *modeled = lp_format_duration (b->modeled_year);
  g_autofree char *mmin = lp_format_decimal (b->modeled_year, 2);
  g_autofree char *response = lp_plan_setting_text (plan, "response-time", NULL);

  wrapf (out, 0, 2,
         "SLA budget (%s%%%s; a year of 365.25 days, a quarter of 1/4 and a month of 1/12 year)",
         sla, b->sla_default ? ", the default" : "");
  for (guint i = 0; i < G_N_ELEMENTS (lp_sla_periods); i++) {
    g_autofree char *d = lp_format_duration (b->allowed[i]);
    g_autofree char *m = lp_format_decimal (b->allowed[i], 2);
    g_string_append_printf (out, "  allowed downtime a %-8s %s (%s minutes)\n", lp_sla_periods[i],
                            d, m);
  }
  if (b->modeled)
    wrapf (out, 2, 4,
           "modeled downtime a year  %s (%s minutes): the design supports an SLA of %s%%, %s",
           modeled, mmin, supported, b->meets ? "which meets the target" : "BELOW the target");
  wrapf (out, 2, 4,
         "assumptions: the downtime budget below (failure rates, repair times and patch cycles "
         "per role, failover times, a response time of %s for manual steps), for a user inside "
         "the site; site disasters excluded; planned maintenance %s\n",
         response,
         res->planned_counted ? "counted (sla-includes-maintenance)"
                              : "shown, not counted (sla-includes-maintenance)");
}

static void
write_avail_class (const LpPlan *plan, const LpAvailClass *a, const char *who, GString *out)
{
  g_autofree char *d = lp_format_duration (a->downtime);
  g_autofree char *m = lp_format_decimal (a->downtime, 2);
  g_autofree char *pct = lp_format_decimal (a->percent, 4);
  const LpAvailContributor *largest = NULL;

  wrapf (out, 4, 6, "%s users at %s: %s (%s minutes) a year, availability %s%%", who,
         g_array_index (plan->sites, LpPlanSite, a->site).name, d, m, pct);
  if (a->never)
    wrapf (out, 6, 6,
           "never available: the failure rates, repair and failover times in force (rule "
           "constants) add up to the whole year of downtime");
  for (guint i = 0; i < a->contributors->len; i++) {
    const LpAvailContributor *c = g_ptr_array_index (a->contributors, i);
    g_autofree char *cm = lp_format_decimal (c->minutes, 2);
    /* the minutes right-aligned in 10 columns, a wrapped label under its first word */
    wrapf (out, 6 + 10 - MIN (10, (guint) strlen (cm)), 18, "%s  %s%s", cm, c->component,
           c->planned ? (c->counted ? " (planned, counted)" : " (planned, not counted)") : "");
    if (largest == NULL && c->counted)
      largest = c;
  }
  if (largest != NULL && largest->cut != NULL)
    wrapf (out, 6, 8, "to cut the largest: %s", largest->cut);
}

static void
write_downtime_budget (const LpPlan *plan, const LpResilience *res, GString *out)
{
  if (res->availability->len == 0)
    return;
  wrapf (out, 0, 2,
         "Downtime budget (expected minutes a year, each contributor apart, largest first; the "
         "total is the sum of the counted ones)");
  for (guint i = 0; i < res->availability->len; i++) {
    const LpGroupAvailability *ga = &g_array_index (res->availability, LpGroupAvailability, i);
    g_autofree char *label = lp_plan_group_label (plan, ga->group);
    wrapf (out, 2, 4, "%s, %s:", label, lp_plan_group_choice (plan, ga->group)->tmpl->id);
    for (guint u = 0; u < LP_AVAIL_N_CLASSES; u++)
      write_avail_class (plan, &ga->classes[u], lp_avail_class_names[u], out);
  }
  g_string_append_c (out, '\n');
}

static void
write_dns (const LpResilience *res, GString *out)
{
  LpTable *t = table_new (6, "llllrr");

  if (!res->dns_needed) {
    table_free (t);
    return;
  }
  {
    g_autoptr (GString) title = g_string_new (NULL);
    g_string_append_printf (title, "DNS plan (SIP domain%s %s%s", res->sip_domains[1] ? "s" : "",
                            res->sip_domain,
                            res->sip_domain_default
                              ? ", a placeholder: set sip-domain in [scenario] or --sip-domain"
                            : res->sip_domains[1] ? " (default)"
                                                  : "");
    for (guint i = 1; res->sip_domains[i] != NULL; i++)
      g_string_append_printf (title, ", %s", res->sip_domains[i]);
    wrapf (out, 0, 2, "%s)", title->str);
  }
  table_row (t, g_strdup ("Name"), g_strdup ("Type"), g_strdup ("Target"), g_strdup ("Port"),
             g_strdup ("Priority"), g_strdup ("Weight"));
  g_auto (LpDnsWalk) walk;
  lp_dns_walk_init (&walk, res);
  for (const LpDnsRecord *r; (r = lp_dns_walk_next (&walk)) != NULL;) {
    gboolean srv = strcmp (r->type, "SRV") == 0;
    table_row (t, g_strdup (r->name), g_strdup (r->type), g_strdup (r->target),
               r->port ? g_strdup_printf ("%u", r->port) : g_strdup (""),
               srv ? g_strdup_printf ("%u", r->priority) : g_strdup (""),
               srv ? g_strdup_printf ("%u", r->weight) : g_strdup (""));
    table_row_note (t, g_strdup (r->note));
  }
  table_print (t, out, "  ");
  wrapf (out, 2, 2, "%s\n", res->statement);
}

/* The certificate plan: each certificate's subject and names, its issuer,
 * and its rule's note once, with the rule's first certificate. */
static void
write_certificates (const LpPlan *plan, const LpCertificates *c, GString *out)
{
  const LpCertRule *noted = NULL;

  if (c->certificates->len == 0)
    return;
  g_string_append (out, "Certificate plan\n");
  for (guint i = 0; i < c->certificates->len; i++) {
    const LpCertificate *cert = g_ptr_array_index (c->certificates, i);
    wrapf (out, 2, 4, "%s, %s %s: %s", cert->rule->label,
           cert->node->site < 0 ? "the organization's, assigned at site" : "site",
           g_array_index (plan->sites, LpPlanSite, cert->site).name,
           lp_certificate_issuer (cert->rule));
    g_string_append_printf (out, "    subject  %s\n", cert->subject);
    for (guint k = 0; k < cert->names->len; k++)
      g_string_append_printf (out, "    %s  %s\n", k == 0 ? "SAN    " : "       ",
                              (char *) g_ptr_array_index (cert->names, k));
    if (cert->names->len == 0)
      g_string_append (out, "    SAN      none\n");
    if (cert->rule->note != NULL && cert->rule != noted)
      wrapf (out, 4, 10, "note: %s", cert->rule->note);
    noted = cert->rule;
  }
  g_string_append_c (out, '\n');
}

/* The firewall plan: one row per rule, with what it crosses. */
static void
write_firewall (const LpCertificates *c, GString *out)
{
  LpTable *t = table_new (5, "llrll");

  if (c->firewall->len == 0) {
    table_free (t);
    return;
  }
  g_string_append (out, "Firewall plan\n");
  table_row (t, g_strdup ("From"), g_strdup ("To"), g_strdup ("Port"), g_strdup ("Crosses"),
             g_strdup ("Purpose"));
  for (guint i = 0; i < c->firewall->len; i++) {
    const LpTopoFlow *f = g_ptr_array_index (c->firewall, i);
    table_row (t, lp_topology_flow_end (c->topo, f, FALSE), lp_topology_flow_end (c->topo, f, TRUE),
               g_strdup_printf ("%s/%s", f->rule->port, f->rule->protocol),
               g_strdup (lp_topology_flow_crosses (f)), g_strdup (f->rule->purpose));
  }
  table_print (t, out, "  ");
  wrapf (out, 2, 2,
         "Crosses: perimeter (between the internal network, the perimeter network and the "
         "Internet), site (between two sites' networks) or internal (a firewall between tiers "
         "of one site, where there is one).");
  g_string_append_c (out, '\n');
}

/* The reverse proxies' publishing plan: per proxy, its certificate and
 * listener, then each external web name it publishes and where it
 * forwards it. */
static void
write_publishing (const LpPlan *plan, const LpCertificates *c, GString *out)
{
  LpTable *t = NULL;
  const LpTopoNode *proxy = NULL;

  if (c->publishing->len == 0)
    return;
  g_string_append (out, "Reverse-proxy publishing plan\n");
  for (guint i = 0; i <= c->publishing->len; i++) {
    const LpPublishRule *p = i < c->publishing->len ? g_ptr_array_index (c->publishing, i) : NULL;
    if (p == NULL || p->proxy != proxy) {
      if (t != NULL)
        table_print (t, out, "    ");
      if (p == NULL)
        break;
      proxy = p->proxy;
      wrapf (out, 2, 4, "%s, site %s: listens on %s; certificate %s", p->certificate->rule->label,
             g_array_index (plan->sites, LpPlanSite, p->site).name, p->listener_ports,
             p->certificate->subject);
      t = table_new (3, "lll");
      table_row (t, g_strdup ("External name"), g_strdup ("Forwarded to"), g_strdup ("Ports"));
    }
    table_row (t, g_strdup (p->name),
               g_strdup (p->target->fqdn != NULL ? p->target->fqdn : p->target->name),
               g_strdup (p->target_ports));
  }
  wrapf (out, 2, 2,
         "A name of the whole organization goes to the first pool each proxy publishes; "
         "GeoDNS answers a paired pool's name at either site's proxy.");
  g_string_append_c (out, '\n');
}

/* Whether @y and @z have the same failure rows, with the same results. */
static gboolean
same_rows (const LpReport *r, const LpSiteSizing *y, const LpSiteSizing *z)
{
  for (guint k = 0; k < r->failures->len; k++) {
    const LpFailureResult *a = lp_site_failure (y, k), *b = lp_site_failure (z, k);
    if ((a == NULL) != (b == NULL) || (a != NULL && memcmp (a, b, sizeof *a) != 0))
      return FALSE;
  }
  return TRUE;
}

/* An earlier site whose failure rows are the same, so its effects and steps
 * need not be printed twice; -1 if none. */
static gint
same_failures_as (const LpReport *r, guint i)
{
  const LpPlan *plan = r->plan;
  const LpCandidate *c, *d;
  const LpSiteSizing *z = lp_plan_site_sizing (plan, i, &c);

  if (z->empty)
    return -1;
  for (guint j = 0; j < i; j++) {
    const LpSiteSizing *y = lp_plan_site_sizing (plan, j, &d);
    if (!y->empty && c->tmpl == d->tmpl && same_rows (r, y, z))
      return (gint) j;
  }
  return -1;
}

static void
write_resilience (const LpReport *r, GString *out)
{
  const LpPlan *plan = r->plan;
  const LpResilience *res = r->resilience;

  g_string_append (out, "Resilience\n");
  for (guint i = 0; i < plan->sites->len; i++) {
    const LpCandidate *c;
    const LpSiteSizing *z = lp_plan_site_sizing (plan, i, &c);
    gint same;

    if (z->empty)
      continue;
    same = same_failures_as (r, i);
    g_string_append_printf (out, "  Site %s (%s)\n",
                            g_array_index (plan->sites, LpPlanSite, i).name, c->tmpl->id);
    write_failure_table (r, i, z, out);
    if (same >= 0)
      wrapf (out, 4, 6, "What users notice and the steps: as for site %s.",
             g_array_index (plan->sites, LpPlanSite, same).name);
    else
      write_failure_steps (r, z, out);
    g_string_append_c (out, '\n');
  }
  write_quorum (res, out);
  write_data_classes (res, out);
  write_sla_budget (plan, res, out);
  write_downtime_budget (plan, res, out);
  write_dns (res, out);
}

/* The virtualisation hosts of each virtual site: host -> virtual machines,
 * the virtual processors and memory they use of the host's. */
static void
write_hosts (const LpPlan *plan, const LpHosts *h, GString *out)
{
  g_autofree char *overhead = lp_format_decimal (h->overhead, 1);
  guint site = G_MAXUINT;
  LpTable *t = NULL;

  if (h->hosts->len == 0)
    return;
  g_string_append (out, "Hosts\n");
  wrapf (out, 2, 2,
         "Virtual machines on hosts: a virtual processor a physical core (hyper-threading off), "
         "no dynamic memory, no live migration, %s%% of each host kept for the hypervisor; the "
         "loss of any one host leaves %s; the spare host takes a failed host's servers, "
         "rebuilt.",
         overhead, h->spread);
  for (guint k = 0; k <= h->hosts->len; k++) {
    const LpHost *host = k < h->hosts->len ? g_ptr_array_index (h->hosts, k) : NULL;
    GString *vms;
    if (host == NULL || host->site != site) {
      if (t != NULL)
        table_print (t, out, "    ");
      if (host == NULL)
        break;
      site = host->site;
      {
        g_autofree char *cores = lp_format_decimal (host->cores, 0);
        g_autofree char *mem = lp_format_decimal (host->memory_gb, 0);
        wrapf (out, 2, 4, "Site %s: hosts of %s cores and %s GB",
               g_array_index (plan->sites, LpPlanSite, site).name, cores, mem);
      }
      t = table_new (4, "lrrl");
      table_row (t, g_strdup ("Host"), g_strdup ("Cores used"), g_strdup ("Memory used"),
                 g_strdup ("Virtual machines"));
    }
    vms = g_string_new (NULL);
    for (guint j = 0; j < host->servers->len; j++)
      g_string_append_printf (vms, "%s%s", j ? ", " : "",
                              ((const LpServer *) g_ptr_array_index (host->servers, j))->name);
    if (host->spare)
      g_string_append (vms, "spare: none until a host fails");
    table_row (t, g_strdup (host->name), g_strdup_printf ("%.0f", host->cores_used),
               g_strdup_printf ("%.0f GB", host->memory_used), g_string_free (vms, FALSE));
  }
  if (h->physical->len > 0) {
    GString *names = g_string_new (NULL);
    for (guint j = 0; j < h->physical->len; j++)
      g_string_append_printf (names, "%s%s", j ? ", " : "",
                              ((const LpServer *) g_ptr_array_index (h->physical, j))->name);
    wrapf (out, 2, 4, "Not on hosts (the rule set gives their role no virtual machine figures): %s",
           names->str);
    g_string_free (names, TRUE);
  }
  if (h->compared) {
    g_autofree char *with = lp_format_decimal (100 * (1 - h->downtime / h->year), 4);
    g_autofree char *without = lp_format_decimal (100 * (1 - h->downtime_no_host / h->year), 4);
    g_autofree char *cost = lp_format_duration (h->downtime - h->downtime_no_host);
    g_autofree char *one = lp_format_duration (h->one_host_minutes);
    g_autofree char *unplaced =
      lp_format_decimal (100 * (1 - (h->downtime + h->one_host_minutes) / h->year), 4);
    wrapf (out, 2, 4,
           "Availability with host failures: %s%% for users inside (the worst group), against "
           "%s%% were no host to fail: the hosts cost %s a year (a virtual machine is down "
           "while its host is: host-failures-per-year, host-repair-time). The anti-affinity "
           "rule protects it: with more of a pool's servers on one host than its quorum "
           "allows (two of a three-server Front End pool), each failure of that host would "
           "stop the pool, %s a year more (%s%%).",
           with, without, cost, one, unplaced);
  }
  g_string_append_c (out, '\n');
}

static void
write_report (const LpReport *r, gboolean with_trace, GString *out)
{
  const LpPlan *plan = r->plan;

  write_header (r, out);
  write_unmet (r, out);
  write_inputs (r, out);
  write_overrides (r, out);
  write_sites (plan, r->inventory, out);
  for (guint i = 0; i < plan->groups->len; i++)
    write_group (r, i, out);
  g_string_append (out, "Bill of materials\n");
  for (guint i = 0; i < plan->sites->len; i++)
    write_site_bom (r, i, out);
  g_string_append (out, "  Total: ");
  append_priced_totals (r, out, plan->servers, plan->appliances, plan->reverse_proxies, plan->cost);
  if (r->hosts != NULL && r->hosts->priced && r->hosts->hosts->len > 0) {
    g_autofree char *hosts = lp_format_money (r->hosts->cost, r->currency);
    g_autofree char *all = lp_format_money (plan->cost + r->hosts->cost, r->currency);
    wrapf (out, 2, 4, "With the %u virtualisation hosts (%s): %s", r->hosts->hosts->len, hosts,
           all);
  }
  g_string_append_c (out, '\n');
  write_hosts (plan, r->hosts, out);
  write_resilience (r, out);
  write_certificates (plan, r->certificates, out);
  write_firewall (r->certificates, out);
  write_publishing (plan, r->certificates, out);
  write_caveats (r, out);
  if (!with_trace || r->trace == NULL)
    return;
  g_string_append (out, "Rule trace\n");
  for (guint i = 0; i < r->trace->len; i++)
    wrapf (out, 2, 7, "%3u. %s", i + 1, (char *) g_ptr_array_index (r->trace, i));
}

gboolean
lp_write_text (const LpReport *r, const LpWriteOptions *o, LpOutput *out, GError **error)
{
  g_autoptr (GString) text = g_string_new (NULL);

  write_report (r, o->with_trace, text);
  return lp_output_put (out, text->str, text->len, error);
}
