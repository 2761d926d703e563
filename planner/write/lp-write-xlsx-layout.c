/* lp-write-xlsx-layout.c: the workbook's layout: cells written, wrapped and
 * measured, columns sized, sheets opened and closed for print. */
#include "lp-write-xlsx.h"

void
lp_book_check (LpBook *b, lxw_error e, const char *where)
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

void
lp_sheet_put_text (LpSheet *sh, lxw_col_t col, const char *text, lxw_format *fmt)
{
  guint lines;
  glong longest;
  g_autofree char *wrapped = NULL;

  if (text == NULL)
    return;
  if (sh->b->dry_run) { /* a dry run counts rows, and finds a cell too long for Excel */
    if (sh->b->long_text == NULL && strlen (text) > LP_XLSX_MAX_CELL) {
      sh->b->long_sheet = sh->name;
      sh->b->long_text = g_strdup (text);
    }
    return;
  }
  wrapped = wrap_text (text, (glong) col_cap (sh, col) - 2, col < LP_MAX_COLS && sh->dashes[col],
                       &lines, &longest);
  if (longest + 2 > col_cap (sh, col) && col < LP_MAX_COLS) /* a word that cannot break */
    sh->width[col] = MAX (sh->width[col], MIN ((double) longest + 2, LP_MAX_WIDTH));
  if (fmt == NULL)
    fmt = sh->b->top;
  if (lines > 1)
    fmt = wrapping (sh->b, fmt);
  lp_book_check (sh->b, LP_LXW (sh, worksheet_write_string (sh->ws, sh->row, col, wrapped, fmt)),
                 sh->name);
  widen (sh, col, (gsize) longest);
  sh->lines = MAX (sh->lines, lines);
}

void
lp_sheet_put_words (LpSheet *sh, lxw_col_t col, const char *text, lxw_format *fmt)
{
  g_autofree char *words = NULL;

  if (sh->b->dry_run || text == NULL) {
    lp_sheet_put_text (sh, col, text, fmt); /* a dry run: its length */
    return;
  }
  words = lp_report_words (sh->b->r, text, sh->b->cited);
  lp_sheet_put_text (sh, col, words, fmt);
}

char *
lp_sheet_source_words (LpSheet *sh, const char *source)
{
  g_autofree char *head = g_strndup (source, strcspn (source, ":"));
  g_auto (GStrv) ids = g_strsplit (head, ",", -1);
  GString *out = g_string_new (NULL);

  if (sh->b->dry_run) /* a dry run counts rows only */
    return g_string_free (out, FALSE);
  if (g_str_has_prefix (source, "assumption")) {
    g_string_free (out, TRUE);
    return lp_report_words (sh->b->r, source, sh->b->cited);
  }
  for (guint i = 0; ids[i] != NULL; i++) {
    g_autofree char *title = lp_report_source_title (sh->b->r, g_strstrip (ids[i]));
    if (title == NULL)
      continue;
    if (!g_ptr_array_find_with_equal_func (sh->b->cited, ids[i], g_str_equal, NULL))
      g_ptr_array_add (sh->b->cited, g_strdup (ids[i]));
    g_string_append_printf (out, "%s%s", out->len ? "; " : "", title);
  }
  return g_string_free (out, FALSE);
}

/* The next row: the one just written is as tall as its most lines (a
 * spreadsheet does not grow a row for text it did not lay out). */
void
lp_sheet_next_row (LpSheet *sh)
{
  if (sh->lines > 1)
    lp_book_check (sh->b,
                   LP_LXW (sh,
                           worksheet_set_row (sh->ws, sh->row, LP_LINE_HEIGHT * sh->lines, NULL)),
                   sh->name);
  sh->lines = 0;
  sh->row++;
}

void
lp_sheet_put_num (LpSheet *sh, lxw_col_t col, double v, lxw_format *fmt)
{
  g_autofree char *text = lp_format_decimal (v, 2);

  lp_book_check (sh->b,
                 LP_LXW (sh,
                         worksheet_write_number (sh->ws, sh->row, col, v, fmt ? fmt : sh->b->top)),
                 sh->name);
  widen (sh, col, strlen (text) + strlen (text) / 3);
}

/* A formula whose cached result is the value the engine computed, so every
 * viewer shows the right figure before recalculating. */
void
lp_sheet_put_formula (LpSheet *sh, lxw_col_t col, const char *formula, double v, lxw_format *fmt)
{
  g_autofree char *text = lp_format_decimal (v, 2);

  lp_book_check (sh->b,
                 LP_LXW (sh, worksheet_write_formula_num (sh->ws, sh->row, col, formula, fmt, v)),
                 sh->name);
  widen (sh, col, strlen (text) + strlen (text) / 3);
}

/* Sets the caps of columns 0, 1, ... from @caps, ended by a negative one;
 * 0 keeps LP_WRAP_WIDTH. */
void
lp_sheet_set_caps (LpSheet *sh, const double *caps)
{
  for (guint c = 0; c < LP_MAX_COLS && caps[c] >= 0; c++)
    sh->cap[c] = caps[c];
}

void
lp_sheet_open (LpBook *b, LpSheet *sh, const char *name)
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
    lp_book_check (b, LXW_ERROR_MEMORY_MALLOC_FAILED, name);
    return;
  }
  /* printed: landscape on the plan's paper, one page wide (lp_sheet_close),
   * the plan's title and customer above, its date and page numbers below */
  worksheet_set_landscape (sh->ws);
  worksheet_set_paper (sh->ws, b->paper);
  lp_book_check (b, worksheet_set_header (sh->ws, b->header), name);
  lp_book_check (b, worksheet_set_footer (sh->ws, b->footer), name);
}

/* Writes a bold header row and freezes the panes below it. */
void
lp_sheet_header (LpSheet *sh, const char *const *names)
{
  sh->header = sh->row;
  for (sh->n_cols = 0; names[sh->n_cols] != NULL; sh->n_cols++)
    lp_sheet_put_text (sh, (lxw_col_t) sh->n_cols, names[sh->n_cols], sh->b->bold);
  if (!sh->b->dry_run)
    worksheet_freeze_panes (sh->ws, sh->row + 1, 0);
  lp_book_check (sh->b, LP_LXW (sh, worksheet_repeat_rows (sh->ws, sh->row, sh->row)), sh->name);
  lp_sheet_next_row (sh);
}

/* The last row a sheet writes is sh->row, or the one before. */
void
lp_sheet_close (LpSheet *sh)
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
      lp_book_check (sh->b, worksheet_set_column (sh->ws, c, c, w, NULL), sh->name);
    }
  }
  worksheet_fit_to_pages (sh->ws, 1, 0); /* a row's columns on one page */
  if (sh->n_cols > 0 && sh->row > sh->header + 1)
    lp_book_check (sh->b,
                   worksheet_autofilter (sh->ws, sh->header, 0, sh->row - 1,
                                         (lxw_col_t) (sh->n_cols - 1)),
                   sh->name);
}

char *
lp_xlsx_cell (lxw_row_t row, lxw_col_t col)
{
  char ref[LXW_MAX_CELL_NAME_LENGTH];

  lxw_rowcol_to_cell (ref, row, col);
  return g_strdup (ref);
}

/* A note under a table: @label in column 0 (nullable), @text across
 * columns @first..@last merged, wrapped at @chars characters. */
void
lp_sheet_put_note (LpSheet *sh, const char *label, lxw_col_t first, lxw_col_t last,
                   const char *text, glong chars)
{
  guint lines;
  glong longest;
  g_autofree char *wrapped = lp_xlsx_wrap_text (text, chars, &lines, &longest);

  if (label != NULL)
    lp_sheet_put_text (sh, 0, label, sh->b->bold);
  lp_book_check (sh->b,
                 LP_LXW (sh, worksheet_merge_range (sh->ws, sh->row, first, sh->row, last, wrapped,
                                                    sh->b->wrap)),
                 sh->name);
  sh->lines = MAX (sh->lines, lines);
  lp_sheet_next_row (sh);
}
