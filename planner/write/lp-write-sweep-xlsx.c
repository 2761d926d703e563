/* lp-write-sweep-xlsx.c: see lp-write-sweep-xlsx.h. */
#include "lp-write-sweep-xlsx.h"

#include <string.h>
#include <xlsxwriter.h>

#include "lp-error.h"
#include "lp-output.h"

/* Series one chart may hold (Excel's limit). */
#define LP_CHART_MAX_SERIES 255

struct _LpSweepBook {
  lxw_workbook *wb;
  lxw_worksheet *ws;
  lxw_format *bold;
  lxw_format *money;
  LpSweep *sw;
  const LpRuleset *rs;
  gboolean priced;
  char *currency; /* nullable */
  guint64 first, end;
  guint servers_col, cost_col;
  lxw_error err;
  char *target;
  GString *scratch; /* reused for each row's missed list */
};

static void
check (LpSweepBook *b, lxw_error e)
{
  if (b->err == LXW_NO_ERROR)
    b->err = e;
}

/* Axis @i's name in a header or on a chart axis: its column's name, with
 * "(minutes)" for a duration. */
static char *
axis_title (const LpSweepBook *b, guint i)
{
  g_autofree char *name = lp_sweep_input_column (b->rs, lp_sweep_axis_key (b->sw, i));

  return lp_sweep_axis_is_duration (b->sw, i) ? g_strdup_printf ("%s (minutes)", name)
                                              : g_steal_pointer (&name);
}

/* A header cell, its column as wide as its text (and a little more, for
 * the bold face and the filter-less header), at least @min characters. */
static void
head (LpSweepBook *b, lxw_col_t col, const char *text, double min)
{
  double width = MAX (min, (double) g_utf8_strlen (text, -1) + 2);

  check (b, worksheet_set_column (b->ws, col, col, width, NULL));
  check (b, worksheet_write_string (b->ws, 0, col, text, b->bold));
}

static void
header (LpSweepBook *b)
{
  lxw_col_t col = 0;

  for (guint i = 0; i < lp_sweep_n_axes (b->sw); i++) {
    g_autofree char *name = axis_title (b, i);
    head (b, col++, name, 10);
  }
  for (const char *const *h =
         (const char *const[]){ "design", "edition", "feasible", "servers", "appliances", NULL };
       *h; h++) {
    if (strcmp (*h, "servers") == 0)
      b->servers_col = col;
    head (b, col++, *h, strcmp (*h, "design") == 0 ? 22 : 10);
  }
  for (guint k = 0; k < b->rs->roles->len; k++)
    head (b, col++, ((LpRole *) g_ptr_array_index (b->rs->roles, k))->id, 8);
  if (b->priced) {
    g_autofree char *cost = g_strdup_printf ("cost (%s)", b->currency);
    b->cost_col = col;
    head (b, col++, cost, 16);
  }
  head (b, col, "missed", 16);
}

LpSweepBook *
lp_sweep_book_new (const char *path, const char *target, LpSweep *sw, const LpRuleset *rs,
                   const char *currency, guint64 first, guint64 end, GError **error)
{
  lxw_workbook_options options = { .constant_memory = LXW_TRUE };
  lxw_doc_properties props = { .title = (char *) "lyncplan sweep", .created = LP_NO_DATE_EPOCH };
  LpSweepBook *b;

  b = g_new0 (LpSweepBook, 1);
  b->sw = sw;
  b->rs = rs;
  b->priced = currency != NULL;
  b->currency = g_strdup (currency);
  b->first = first;
  b->end = end;
  b->target = g_strdup (target);
  b->scratch = g_string_new (NULL);
  b->wb = workbook_new_opt (path, &options);
  if (b->wb == NULL || (b->ws = workbook_add_worksheet (b->wb, "Sweep")) == NULL ||
      (b->bold = workbook_add_format (b->wb)) == NULL ||
      (b->money = workbook_add_format (b->wb)) == NULL) {
    g_set_error (error, LP_ERROR, LP_ERROR_IO, "cannot write %s: libxlsxwriter could not create it",
                 target);
    if (b->wb != NULL)
      workbook_close (b->wb);
    g_string_free (b->scratch, TRUE);
    g_free (b->currency);
    g_free (b->target);
    g_free (b);
    return NULL;
  }
  format_set_bold (b->bold);
  format_set_num_format (b->money, "#,##0.00");
  check (b, workbook_set_properties (b->wb, &props));
  worksheet_freeze_panes (b->ws, 1, 0);
  header (b);
  return b;
}

void
lp_sweep_book_row (LpSweepBook *b, guint64 row, const LpPlanSummary *r)
{
  lxw_row_t at = (lxw_row_t) (row - b->first + 1);
  lxw_col_t col = 0;
  GString *missed = b->scratch;

  g_string_truncate (missed, 0);
  for (guint i = 0; i < lp_sweep_n_axes (b->sw); i++, col++) {
    gboolean number;
    double v = lp_sweep_axis_number (b->sw, i, row, &number);
    check (b, number ? worksheet_write_number (b->ws, at, col, v, NULL)
                     : worksheet_write_string (b->ws, at, col, lp_sweep_axis_value (b->sw, i, row),
                                               NULL));
  }
  check (b, worksheet_write_string (b->ws, at, col++, r->design, NULL));
  check (b, worksheet_write_string (b->ws, at, col++, r->edition, NULL));
  check (b, worksheet_write_boolean (b->ws, at, col++, r->feasible, NULL));
  check (b, worksheet_write_number (b->ws, at, col++, (double) r->servers, NULL));
  check (b, worksheet_write_number (b->ws, at, col++, (double) r->appliances, NULL));
  for (guint k = 0; k < b->rs->roles->len; k++)
    check (b, worksheet_write_number (b->ws, at, col++, (double) r->roles[k], NULL));
  if (b->priced)
    check (b, worksheet_write_number (b->ws, at, col++, r->cost, b->money));
  for (guint k = 0; k < b->rs->checks->len; k++)
    if (lp_plan_summary_missed (r, k))
      g_string_append_printf (missed, "%s%s", missed->len ? ";" : "",
                              ((LpCheck *) g_ptr_array_index (b->rs->checks, k))->id);
  if (missed->len > 0)
    check (b, worksheet_write_string (b->ws, at, col, missed->str, NULL));
}

/* Does the run hold the whole of series @j (rows j*size0 to (j+1)*size0-1)? */
static gboolean
holds_series (const LpSweepBook *b, guint j, guint size0)
{
  guint64 start = (guint64) j * size0, last = start + size0 - 1;
  return start >= b->first && last < b->end;
}

/* Column @value_col against the first axis on chart sheet @sheet: one
 * series per value of the second axis, the other axes at their first value.
 * A shard that holds no whole series (an empty one, or one that cuts every
 * series) gets no chart sheet: a chart needs a series, and the Sweep sheet
 * is the shard's whole part. */
static void
add_chart (LpSweepBook *b, const char *sheet, const char *title, lxw_col_t value_col,
           const char *y_name)
{
  g_autofree char *x_name = axis_title (b, 0);
  guint n_axes = lp_sweep_n_axes (b->sw);
  guint size0 = lp_sweep_axis_size (b->sw, 0);
  guint n_series = n_axes > 1 ? MIN (lp_sweep_axis_size (b->sw, 1), LP_CHART_MAX_SERIES) : 1;
  gboolean numeric, any = FALSE;
  lxw_chart *chart;
  lxw_chartsheet *cs;

  for (guint j = 0; j < n_series && !any; j++)
    any = holds_series (b, j, size0);
  if (!any)
    return;
  lp_sweep_axis_number (b->sw, 0, 0, &numeric);
  chart = workbook_add_chart (b->wb, numeric ? LXW_CHART_SCATTER_STRAIGHT : LXW_CHART_LINE);
  cs = workbook_add_chartsheet (b->wb, sheet);
  if (chart == NULL || cs == NULL) {
    check (b, LXW_ERROR_MEMORY_MALLOC_FAILED);
    return;
  }
  for (guint j = 0; j < n_series; j++) {
    guint64 start = (guint64) j * size0, last = start + size0 - 1;
    lxw_chart_series *series;
    g_autofree char *name = NULL;

    if (!holds_series (b, j, size0))
      continue; /* a shard holds only part of this series */
    series = chart_add_series (chart, NULL, NULL);
    chart_series_set_categories (series, "Sweep", (lxw_row_t) (start - b->first + 1), 0,
                                 (lxw_row_t) (last - b->first + 1), 0);
    chart_series_set_values (series, "Sweep", (lxw_row_t) (start - b->first + 1), value_col,
                             (lxw_row_t) (last - b->first + 1), value_col);
    name = n_axes > 1 ? g_strdup_printf ("%s=%s", lp_sweep_axis_key (b->sw, 1),
                                         lp_sweep_axis_value (b->sw, 1, start))
                      : g_strdup (y_name);
    chart_series_set_name (series, name);
  }
  chart_title_set_name (chart, title);
  chart_axis_set_name (chart->x_axis, x_name);
  chart_axis_set_name (chart->y_axis, y_name);
  check (b, chartsheet_set_chart (cs, chart));
}

gboolean
lp_sweep_book_close (LpSweepBook *b, GError **error)
{
  gboolean ok;

  add_chart (b, "Chart", "Servers", (lxw_col_t) b->servers_col, "servers");
  if (b->priced) {
    g_autofree char *y = g_strdup_printf ("cost (%s)", b->currency);
    add_chart (b, "Cost chart", "Cost", (lxw_col_t) b->cost_col, y);
  }
  check (b, workbook_close (b->wb));
  ok = b->err == LXW_NO_ERROR;
  if (!ok)
    g_set_error (error, LP_ERROR, LP_ERROR_IO, "cannot write %s: libxlsxwriter: %s", b->target,
                 lxw_strerror (b->err));
  g_string_free (b->scratch, TRUE);
  g_free (b->currency);
  g_free (b->target);
  g_free (b);
  return ok;
}
