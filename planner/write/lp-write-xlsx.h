/* lp-write-xlsx.h: the workbook writer's own header, shared by its files
 * (lp-write-xlsx*.c) and no one else: the book and sheet being written, the
 * layout helpers (lp-write-xlsx-layout.c) and one function per sheet. */
#pragma once

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "lp-config.h"
#include "lp-error.h"
#include "lp-hosts.h"
#include "lp-output.h"
#include "lp-resilience.h"
#include "lp-units.h"
#include "lp-write.h"

#define LP_MAX_COLS 12
/* Column widths in characters: wide enough for headers. A text longer than
 * its column's cap is wrapped at spaces into lines of at most the cap. */
#define LP_MIN_WIDTH 6.0
#define LP_WRAP_WIDTH 50.0
#define LP_MAX_WIDTH 90.0 /* past its cap, for a word that cannot break */
/* The height of one text line. */
#define LP_LINE_HEIGHT 15.0
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
  gboolean dry_run;       /* write nothing: count the rows each sheet needs */
  lxw_row_t rows;         /* the most a sheet of the dry run needed */
  const char *fullest;    /* that sheet */
  const char *long_sheet; /* the sheet of the dry run's first cell over LP_XLSX_MAX_CELL */
  char *long_text;        /* owned: that cell's text */
  lxw_row_t bom_total;    /* the Bill of Materials' row of the total cost */
  char *diagram;          /* nullable: the diagram PNG to insert, diagram_len bytes */
  gsize diagram_len;
  char *no_diagram;  /* nullable: why there is none */
  uint8_t paper;     /* libxlsxwriter's paper code: 9 for A4, 1 for Letter */
  char *header;      /* every printed page's header and footer, in Excel's codes */
  const LpReport *r; /* the report written */
  GPtrArray *cited;  /* owned: the [sources] ids the sheets cite, for the Sources sheet */
  char *footer;
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

/* ---- layout (lp-write-xlsx-layout.c) ---- */

/* Keeps the first libxlsxwriter failure @e in @b, with @where (copied). */
void lp_book_check (LpBook *b, lxw_error e, const char *where);
/* Writes @text (nullable: nothing) at column @col of the current row, wrapped
 * at the column's cap; @fmt NULL for the plain top-aligned format. */
void lp_sheet_put_text (LpSheet *sh, lxw_col_t col, const char *text, lxw_format *fmt);
/* lp_sheet_put_text() of @text in the customer's words (lp_report_words()),
 * the sources it cited added to the book's. */
void lp_sheet_put_words (LpSheet *sh, lxw_col_t col, const char *text, lxw_format *fmt);
/* A source ("L13-CAP, SFB-CAP: ...", or "assumption: why") as a customer
 * reads it: the titles of the documents it cites joined by "; ", or the why
 * in the customer's words; the ids cited added to the book's. Owned by the
 * caller. */
char *lp_sheet_source_words (LpSheet *sh, const char *source);
/* Moves to the next row, making the one written as tall as its most lines. */
void lp_sheet_next_row (LpSheet *sh);
/* Writes the number @v at column @col; @fmt NULL for the plain format. */
void lp_sheet_put_num (LpSheet *sh, lxw_col_t col, double v, lxw_format *fmt);
/* Writes @formula with @v as its cached result. */
void lp_sheet_put_formula (LpSheet *sh, lxw_col_t col, const char *formula, double v,
                           lxw_format *fmt);
/* Sets the width caps of columns 0, 1, ... from @caps, ended by a negative one. */
void lp_sheet_set_caps (LpSheet *sh, const double *caps);
/* Opens the sheet @name (not copied: a literal) in @b into @sh; sh->ws is
 * NULL when libxlsxwriter failed (kept in @b). */
void lp_sheet_open (LpBook *b, LpSheet *sh, const char *name);
/* Writes the bold header row @names (NULL-ended), repeated on every printed page. */
void lp_sheet_header (LpSheet *sh, const char *const *names);
/* Sizes the columns, sets the print fit and the autofilter; in a dry run
 * counts the sheet's rows in its book. */
void lp_sheet_close (LpSheet *sh);
/* A note under a table: @label in column 0 (nullable), @text across columns
 * @first..@last merged, wrapped at @chars characters. */
void lp_sheet_put_note (LpSheet *sh, const char *label, lxw_col_t first, lxw_col_t last,
                        const char *text, glong chars);
/* The A1 name of a cell, owned by the caller. */
char *lp_xlsx_cell (lxw_row_t row, lxw_col_t col);

/* ---- the sheets, in workbook order; each writes nothing in a failed book ---- */

void lp_xlsx_summary (LpBook *b, const LpReport *r);
void lp_xlsx_bom (LpBook *b, const LpPlan *plan);
void lp_xlsx_servers (LpBook *b, const LpPlan *plan, const LpInventory *inv);
void lp_xlsx_pools (LpBook *b, const LpReport *r);
/* Only when some site is virtual (lp-write-xlsx-hosts.c). */
void lp_xlsx_hosts (LpBook *b, const LpPlan *plan, const LpHosts *hosts);
void lp_xlsx_alternatives (LpBook *b, const LpPlan *plan);
/* The rule constants that shaped the plan (LpReport.assumptions); the full
 * list is lyncplan rules'. */
void lp_xlsx_assumptions (LpBook *b, const LpReport *r);
/* The plan's trace in words (LpReport.trace). */
void lp_xlsx_trace (LpBook *b, const LpReport *r);
void lp_xlsx_resilience (LpBook *b, const LpPlan *plan, const LpResilience *res);
void lp_xlsx_sla (LpBook *b, const LpPlan *plan, const LpResilience *res);
void lp_xlsx_dns (LpBook *b, const LpResilience *res);
void lp_xlsx_certificates (LpBook *b, const LpPlan *plan, const LpCertificates *c);
void lp_xlsx_firewall (LpBook *b, const LpPlan *plan, const LpCertificates *c);
/* Only when some reverse proxy publishes a name. */
void lp_xlsx_publishing (LpBook *b, const LpPlan *plan, const LpCertificates *c);
