/* lp-write-xlsx.c: the customer deliverable: its formats, properties and
 * Diagram sheet, and the sheets in order (one function per sheet, in the
 * lp-write-xlsx-*.c files). Every libxlsxwriter return code is checked; the
 * first failure is reported. Site, customer and role names are only ever
 * written as strings, never formulas, and never used as sheet names. */
#include "lp-write-xlsx.h"

#include "lp-process.h"

/* ---- 11. Diagram ---- */

static void
sheet_diagram (LpBook *b)
{
  LpSheet sh;

  lp_sheet_open (b, &sh, "Diagram");
  if (sh.ws == NULL)
    return;
  lp_sheet_put_text (&sh, 0, "Topology diagram", sh.b->title);
  lp_sheet_next_row (&sh);
  lp_sheet_next_row (&sh);
  if (b->diagram != NULL) {
    lxw_image_options place = { .object_position = LXW_OBJECT_DONT_MOVE_DONT_SIZE };
    lp_book_check (b,
                   LP_LXW (&sh,
                           worksheet_insert_image_buffer_opt (sh.ws, sh.row, 0,
                                                              (const unsigned char *) b->diagram,
                                                              b->diagram_len, &place)),
                   sh.name);
  } else {
    lp_sheet_put_text (&sh, 0, b->no_diagram ? b->no_diagram : "No diagram.", NULL);
    lp_sheet_next_row (&sh);
  }
  lp_sheet_close (&sh);
  if (b->diagram != NULL && !b->dry_run)
    worksheet_fit_to_pages (sh.ws, 1, 1); /* the picture on one page */
}

/* ---- 12. Sources ---- */

/* The appendix: every document the sheets before it cite, by the id the text
 * report and the rule files use, in the order first cited. */
static void
sheet_sources (LpBook *b)
{
  static const char *const head[] = { "Source", "Document", NULL };
  static const double caps[] = { 20, 110, -1 };
  LpSheet sh;

  lp_sheet_open (b, &sh, "Sources");
  if (sh.ws == NULL)
    return;
  lp_sheet_set_caps (&sh, caps);
  sh.dashes[1] = TRUE; /* addresses */
  lp_sheet_header (&sh, head);
  for (guint i = 0; b->cited != NULL && i < b->cited->len; i++) {
    const char *id = g_ptr_array_index (b->cited, i);
    lp_sheet_put_text (&sh, 0, id, NULL);
    lp_sheet_put_text (&sh, 1, lp_report_source_text (b->r, id), NULL);
    lp_sheet_next_row (&sh);
  }
  lp_sheet_close (&sh);
}

/* ---- the workbook ---- */

static lxw_format *
new_format (LpBook *b)
{
  lxw_format *f = workbook_add_format (b->wb);
  if (f == NULL)
    lp_book_check (b, LXW_ERROR_MEMORY_MALLOC_FAILED, "formats");
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
  g_autofree char *hash = lp_plan_scenario_hash (plan);
  lxw_doc_properties props = {
    .title = b->r->heading,
    .subject = (char *) "High availability and disaster recovery design",
    .author = (char *) b->r->author,
    .company = (char *) b->r->company,
    .comments = (char *) "Planned by lyncplan from the customer's RTO, RPO, SLA and user counts",
    .created = created,
  };

  lp_book_check (b, workbook_set_properties (b->wb, &props), "document properties");
  lp_book_check (b, workbook_set_custom_property_string (b->wb, "lyncplan version", LP_VERSION),
                 "custom properties");
  lp_book_check (b, workbook_set_custom_property_string (b->wb, "Rule set", b->r->rule_set_id),
                 "custom properties");
  lp_book_check (b,
                 workbook_set_custom_property_string (b->wb, "Rule set version",
                                                      b->r->rule_set_version),
                 "custom properties");
  lp_book_check (b, workbook_set_custom_property_string (b->wb, "Scenario SHA-256", hash),
                 "custom properties");
}

static void
write_sheets (LpBook *b, const LpReport *r, gboolean trace)
{
  const LpPlan *plan = r->plan;
  const LpInventory *inv = r->inventory;
  const LpResilience *res = r->resilience;

  lp_xlsx_summary (b, r);
  lp_xlsx_bom (b, plan);
  lp_xlsx_servers (b, plan, inv);
  lp_xlsx_pools (b, r);
  lp_xlsx_hosts (b, plan, r->hosts);
  lp_xlsx_alternatives (b, plan);
  lp_xlsx_assumptions (b, r);
  if (trace)
    lp_xlsx_trace (b, r);
  lp_xlsx_resilience (b, plan, res);
  lp_xlsx_sla (b, plan, res);
  lp_xlsx_dns (b, res);
  lp_xlsx_certificates (b, plan, r->certificates);
  lp_xlsx_firewall (b, plan, r->certificates);
  lp_xlsx_publishing (b, plan, r->certificates);
  sheet_diagram (b);
  sheet_sources (b);
}

/* Writes the sheets without a workbook, so a plan too big for one is
 * refused before libxlsxwriter holds any of it (it fails only at the
 * row past its last, after building every row before it in memory). */
gboolean
lp_write_xlsx_check (const LpReport *r, GError **error)
{
  LpBook b = { .dry_run = TRUE, .r = r };
  g_autofree char *rows = NULL, *max = NULL;

  /* the Rule trace sheet is counted whenever the plan has a trace */
  write_sheets (&b, r, r->trace != NULL);
  if (b.long_text != NULL) {
    g_autofree char *len = lp_format_count (strlen (b.long_text));
    g_autofree char *cell = lp_format_count (LP_XLSX_MAX_CELL);
    g_autofree char *start = g_utf8_substring (b.long_text, 0, 40);
    g_set_error (error, LP_ERROR, LP_ERROR_INPUT,
                 "--xlsx: a cell of the %s sheet would take %s characters ('%s...'), over "
                 "the %s a cell holds in Excel: plan fewer sites in one workbook, or use "
                 "--format json or csv",
                 b.long_sheet, len, start, cell);
    g_free (b.long_text);
    return FALSE;
  }
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

/* @text for a page header or footer: at most @max characters, '&' doubled
 * (Excel's codes start with one). An '&' before 'G' or '[' is followed by a
 * word joiner (U+2060, invisible): libxlsxwriter 1.1.5 takes "&G" and
 * "&[Picture]" anywhere in the text for image places, even after "&&", and
 * on finding no image for them frees the header it then writes (a use after
 * free the fuzz target found with a plan named "A&[Picture]"). */
static char *
header_text (const char *text, glong max)
{
  gboolean long_text = g_utf8_strlen (text, -1) > max;
  g_autofree char *head = long_text ? g_utf8_substring (text, 0, max - 3) : NULL;
  g_autofree char *cut = long_text ? g_strconcat (head, "...", NULL) : g_strdup (text);
  GString *out = g_string_sized_new (strlen (cut) + 8);

  for (const char *p = cut; *p != '\0'; p++) {
    g_string_append_c (out, *p);
    if (*p == '&') {
      g_string_append_c (out, '&');
      if (p[1] == 'G' || p[1] == '[')
        g_string_append (out, "\u2060");
    }
  }
  return g_string_free (out, FALSE);
}

/* Every printed page: the plan's title at the left and its customer at the
 * right above; its date, "Page N of M" and the sheet's name below. Each
 * text is cut to fit Excel's 255 characters. */
static void
page_texts (LpBook *b, const LpReport *r)
{
  g_autofree char *plan = g_strdup_printf ("%s plan", r->product);
  g_autofree char *title = header_text (r->title ? r->title : plan, 80);
  g_autofree char *customer = r->customer ? header_text (r->customer, 60)
                                          : header_text (r->company ? r->company : "", 60);
  g_autofree char *date = header_text (r->date ? r->date : "", 10);

  b->paper = r->paper == LP_PAPER_LETTER ? 1 : 9;
  b->header = g_strdup_printf ("&L&\"-,Bold\"%s%s%s%s", title, customer[0] ? "&R" : "",
                               r->customer ? "Prepared for " : "", customer);
  b->footer = g_strdup_printf ("&L%s&CPage &P of &N&R&A", date);
}

/* The sheets and properties, every failure kept in @b. */
static void
write_book (LpBook *b, const LpReport *r, const LpWriteOptions *o)
{
  page_texts (b, r);
  if (!add_formats (b))
    return;
  set_properties (b, r->plan, (time_t) r->created);
  write_sheets (b, r, o->with_trace && r->trace != NULL);
}

/* The diagram as PNG bytes in @b (lp_diagram_png()); without dot, @b says
 * why and standard error warns. */
static void
draw_diagram (LpBook *b, const LpReport *r)
{
  g_autoptr (GError) error = NULL;

  lp_diagram_png (r, &b->diagram, &b->diagram_len, &error);
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
  LpBook b = { .r = r };
  const char *target = lp_output_target (out);
  int saved;

  b.cited = g_ptr_array_new_with_free_func (g_free);
  draw_diagram (&b, r);
  saved = lp_stderr_mute (); /* libxlsxwriter's own lines: the error says it all */
  b.wb = workbook_new (lp_output_path (out));
  if (b.wb != NULL) {
    write_book (&b, r, o);
    lp_book_check (&b, workbook_close (b.wb), "saving the workbook");
  }
  lp_stderr_restore (saved);
  g_free (b.diagram);
  g_free (b.no_diagram);
  g_free (b.header);
  g_ptr_array_unref (b.cited);
  g_free (b.footer);
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
