/* lp-write.h: the plan writers, one table of them. Each formats a report
 * (lp-report.h); none decides anything or builds any part of the report.
 * Adding a writer is one row of lp_writers (lp-write.c) and its function:
 * a --format value needs nothing else (its check, message, help and
 * completion come from the table, lp-formats.h); an output with an option
 * of its own, as --xlsx FILE, is a row of lp_file_writers and that option
 * in lp-cli-plan.c. */
#pragma once

#include <glib.h>

#include "lp-formats.h"
#include "lp-output.h"
#include "lp-report.h"

typedef struct {
  gboolean with_trace;      /* --explain: add the plan's rule trace (it must have one) */
  const char *table;        /* nullable: the CSV table, one of lp_csv_tables; NULL for the first */
  gboolean diagram_by_host; /* --diagram-by-host: the diagram groups servers by their host */
} LpWriteOptions;

/* The tables --format csv writes (--table), ended by NULL; the first is
 * the default: "bom", "firewall", "certificates", "servers", "dns", "flows". */
extern const char *const lp_csv_tables[];

/**
 * lp_csv_table_check:
 * @table: (nullable): the value of --table
 * @format: (nullable): the value of --format
 * @error: LP_ERROR_USAGE "--table: expected bom, firewall, certificates,
 *   servers, dns or flows, got 'TABLE'", or "--table TABLE: only with --format csv"
 *
 * Returns: TRUE when @table is NULL, or one of lp_csv_tables with csv.
 */
gboolean lp_csv_table_check (const char *table, const char *format, GError **error);

/**
 * LpWriteFunc:
 * @r: the report
 * @o: how to write it
 * @out: where: write through lp_output_put() for an LP_OUTPUT_STREAM writer,
 *   or create the whole file at lp_output_path() for LP_OUTPUT_FILE; the
 *   caller commits @out
 * @error: LP_ERROR_IO naming lp_output_target() and the reason
 *
 * Returns: FALSE with @error set when @out could not be written.
 */
typedef gboolean (*LpWriteFunc) (const LpReport *r, const LpWriteOptions *o, LpOutput *out,
                                 GError **error);

/**
 * LpWriteCheckFunc:
 * @r: the report
 * @error: LP_ERROR_INPUT for a report the writer cannot write
 *
 * Finds bad input before any output is written.
 */
typedef gboolean (*LpWriteCheckFunc) (const LpReport *r, GError **error);

typedef struct {
  LpFormat format;        /* the --format value, or the option's name ("xlsx") and its help */
  LpOutputKind kind;      /* written as a stream, or as a whole file */
  gboolean dated;         /* carries the date: lp_report_read_date() before writing */
  LpWriteCheckFunc check; /* nullable: called before any output is written */
  LpWriteFunc write;
} LpWriter;

/* The --format values of plan, ended by a row with a NULL name, in the
 * order help and messages list them; the first is the default. A table of
 * lp-formats.h: LP_FORMATS (lp_writers). */
extern const LpWriter lp_writers[];

/* The outputs with an option of their own (--xlsx FILE, --diagram FILE),
 * written beside the report; ended by a row with a NULL name. */
extern const LpWriter lp_file_writers[];

/**
 * lp_writer_find:
 * @name: a writer's name: a --format value or an option's ("xlsx")
 *
 * Returns: (transfer none) (nullable): the writer called @name, or NULL.
 */
const LpWriter *lp_writer_find (const char *name);

/* The text report's width: prose wraps and tables fit within it. */
#define LP_TEXT_WIDTH 100

/**
 * lp_text_append_wrapped:
 * @out: the text to append to
 * @indent: spaces before the first line
 * @hang: spaces before every later line (the first line of a later
 *   paragraph of @text, after a '\n', included)
 * @text: prose, a paragraph or several separated by newlines (an empty one,
 *   as after a final newline, is a blank line)
 * @width: the columns a line may take, indent included (LP_TEXT_WIDTH)
 *
 * Appends @text, each paragraph ending with a newline: as it is when it fits
 * @width columns (UTF-8 characters), else its words wrapped at spaces. A
 * word longer than a line stays whole, past @width, rather than be broken.
 * Every prose line of the text report goes through it (the certificate and
 * firewall sections too); its tables wrap a long cell inside its column.
 * Cannot fail.
 */
void lp_text_append_wrapped (GString *out, guint indent, guint hang, const char *text, guint width);

/**
 * lp_write_text:
 *
 * The consultant's report: inputs (defaults marked), the design per group
 * and why, a bill of materials per site, totals, the requirement table, the
 * alternatives, the resilience review (failure table with steps, quorum, SLA
 * budget, DNS plan), the caveats, and with @o->with_trace the rule trace.
 * An LpWriteFunc.
 */
gboolean lp_write_text (const LpReport *r, const LpWriteOptions *o, LpOutput *out, GError **error);

/**
 * lp_write_json:
 *
 * The plan for scripts, one JSON document with a final newline. Members:
 * schema_version (LP_JSON_SCHEMA_VERSION), lyncplan, rule_set, scenario,
 * design, edition, feasible, dr_required, inputs, overrides, totals, sites,
 * groups, resilience, sla_budget, dns, caveats and, with @o->with_trace,
 * trace; schema/plan.schema.json describes every one. Member names are
 * snake_case and ids are values ("roles": [{"role": "front-end", "count":
 * 3}], role counts of 0 left out); a duration is written as NAME, its text,
 * and NAME_minutes (null for none), a percentage as NAME and NAME_percent.
 * With a price list, totals, sites and alternatives carry cost and totals
 * currency. An LpWriteFunc.
 */
gboolean lp_write_json (const LpReport *r, const LpWriteOptions *o, LpOutput *out, GError **error);

/**
 * lp_write_csv:
 *
 * One table of the plan, @o->table: by default the bill of materials (a
 * header, then one row per site and role with a count above 0: site,
 * design, role_id, role, category, quantity, reference_hardware, and with a
 * price list the unit prices, extended price and currency); "firewall" (site,
 * rule_id, from, to, port, protocol, purpose, source) or "certificates"
 * (site, certificate_id, certificate, subject, subject_alternative_names
 * joined with "; ", issuer, note).
 * In the dialect of lp-csv.h: RFC 4180 (CRLF line ends, quoting where
 * needed); text cells that a spreadsheet would take for a formula (=, +, -,
 * @, tab, CR first) are prefixed with ' (OWASP). An LpWriteFunc.
 */
gboolean lp_write_csv (const LpReport *r, const LpWriteOptions *o, LpOutput *out, GError **error);

/**
 * lp_write_tbxml:
 *
 * The plan as a Topology Builder document (lp-tbxml.h computes it): the
 * root TopologyBuilder, NewTopology and PartialTopology, internal domains,
 * simple URLs, central sites with their clusters, machines and SQL
 * instances, and the services with their dependencies, each element in the
 * namespace the rule set's urns give; XML comments mark what no public
 * document shows (unverified) and close with what is not written. Written
 * with libxml2, UTF-8, indented. An LpWriteFunc.
 */
gboolean lp_write_tbxml (const LpReport *r, const LpWriteOptions *o, LpOutput *out, GError **error);

/**
 * lp_write_tbxml_precheck:
 * @error: LP_ERROR_INPUT when the product's rule set has no [topology-builder]
 *
 * An LpWriteCheckFunc: finds a rule set that cannot write the document
 * before any output is written.
 */
gboolean lp_write_tbxml_precheck (const LpReport *r, GError **error);

/**
 * lp_write_xlsx:
 *
 * The customer's workbook, created whole at lp_output_path() (an
 * LP_OUTPUT_FILE output). Its date and creation time are the report's, so
 * the same report always gives the same bytes. Sheets: Summary, Bill of
 * Materials, Servers, Pools and Pairing, Alternatives, Assumptions, Rule
 * trace (with @o->with_trace, from a plan made with a trace), Resilience,
 * SLA budget, DNS plan, Certificates, Firewall, Publishing (only when a
 * reverse proxy publishes a name), Diagram (the PNG of
 * lp_diagram_render(); when dot cannot draw it the sheet says why, one
 * warning goes to standard error and the workbook is still written).
 * libxlsxwriter's own lines on standard error are muted: @error says it all
 * (LP_ERROR_IO naming the target and libxlsxwriter's message). An
 * LpWriteFunc.
 */
gboolean lp_write_xlsx (const LpReport *r, const LpWriteOptions *o, LpOutput *out, GError **error);

/**
 * lp_xlsx_wrap_text:
 * @text: a cell's text; the lines already in it are kept
 * @max: the most characters a line may hold, at least 1
 * @lines: (out): how many lines the result has
 * @longest: (out): the length of its longest line, in characters
 *
 * Wraps @text at spaces, never inside a word (a word longer than a line
 * breaks only after a '/', else stays whole: @longest then exceeds @max),
 * so that a spreadsheet shows each line as the workbook writes it: a cmdlet
 * keeps its parameters, a <placeholder> its words.
 *
 * Returns: (transfer full): the wrapped text; free with g_free().
 */
char *lp_xlsx_wrap_text (const char *text, glong max, guint *lines, glong *longest);

/**
 * lp_write_xlsx_check:
 *
 * LP_ERROR_INPUT for a report with more rows for a sheet than a worksheet
 * holds, found without building the workbook. An LpWriteCheckFunc.
 */
gboolean lp_write_xlsx_check (const LpReport *r, GError **error);

/* The most characters a cell of a workbook holds (Excel's limit; libxlsxwriter
 * refuses a longer string, counted in bytes, so the check counts bytes). */
#define LP_XLSX_MAX_CELL 32767

/**
 * lp_write_xlsx_precheck:
 *
 * lp_write_xlsx_check(), then every long text of the report a workbook cell
 * would hold (DNS record names, targets and notes, a certificate's subject
 * alternative names one a line, firewall sources and destinations) against
 * LP_XLSX_MAX_CELL: LP_ERROR_INPUT "--xlsx: the DNS plan sheet's target of
 * NAME would take N characters, over the 32,767 a cell holds in Excel: ...",
 * so that a workbook too large for Excel is refused before planning output
 * is written (exit 2), not after minutes of writing. An LpWriteCheckFunc.
 */
gboolean lp_write_xlsx_precheck (const LpReport *r, GError **error);

/**
 * lp_write_diagram:
 *
 * The topology diagram, an SVG or PNG file by lp_output_target()'s
 * extension (see lp_diagram_renderer()), created whole at lp_output_path()
 * (an LP_OUTPUT_FILE output) by Graphviz's dot run as a child process over
 * the text of lp_diagram_dot(). @error: LP_ERROR_IO naming the target when
 * dot cannot be run, fails, or takes over a minute (it is killed). An
 * LpWriteFunc.
 */
gboolean lp_write_diagram (const LpReport *r, const LpWriteOptions *o, LpOutput *out,
                           GError **error);

/**
 * lp_diagram_render:
 * @r: the report
 * @renderer: dot's -T option, as lp_diagram_renderer() gives it
 * @path: the file dot creates (or replaces)
 * @target: the name a message gives the file
 * @hosts: draw the servers by host (lp_diagram_dot())
 * @error: LP_ERROR_IO naming @target and the cause: dot cannot be run, exits
 *   with a status (its first line on standard error quoted), is ended by a
 *   signal, stops reading, or takes over a minute (it is killed)
 *
 * Runs Graphviz's dot as a child process over the text of lp_diagram_dot(),
 * its address space bounded (1 GB) and its standard error read: what
 * lp_write_diagram() does, and the workbook's Diagram sheet reuses. A signal
 * that ends lyncplan kills dot first (lp_output_hold_child()).
 */
gboolean lp_diagram_render (const LpReport *r, const char *renderer, const char *path,
                            const char *target, gboolean hosts, GError **error);

/**
 * lp_diagram_set_offline:
 * @offline: TRUE: lp_diagram_render() builds the DOT text but runs no dot,
 *   failing with LP_ERROR_IO "cannot write TARGET: Graphviz's dot is not run here"
 *
 * For the fuzz target, which checks the DOT text itself (a fork and exec of
 * dot from a sanitized process per input made it run at 5 inputs a second).
 */
void lp_diagram_set_offline (gboolean offline);

/**
 * lp_diagram_png:
 * @r: the report
 * @data: (out) (transfer full): the PNG's bytes; free with g_free()
 * @len: (out): how many
 * @error: as for lp_diagram_render(), or LP_ERROR_IO from the temporary file
 *
 * The diagram as PNG bytes (the workbook's Diagram sheet), drawn by dot into
 * a temporary file that a signal removes too (lp_output_hold_temp()) and
 * that is removed at once.
 * Returns: FALSE with @error set, and @data NULL, when it could not be drawn.
 */
gboolean lp_diagram_png (const LpReport *r, char **data, gsize *len, GError **error);

/**
 * lp_diagram_renderer:
 * @path: the --diagram target
 * @error: LP_ERROR_USAGE "--diagram: expected FILE.svg or FILE.png, got 'PATH'"
 *
 * Returns: (transfer none) (nullable): dot's -T option for @path: "-Tsvg"
 *   (the core renderer: names stay text) or "-Tpng:cairo".
 */
const char *lp_diagram_renderer (const char *path, GError **error);

/* The diagram draws every server of an estate of at most this many sites
 * and servers; a larger one is drawn one box a site (pools collapsed into
 * counts), and one of more boxes than LP_DIAGRAM_SITES_MAX in totals, so
 * that dot lays it out in seconds (a documented limit, not a product figure). */
#define LP_DIAGRAM_DETAIL_SITES 40
#define LP_DIAGRAM_DETAIL_SERVERS 400
#define LP_DIAGRAM_SITES_MAX 1200

/**
 * lp_diagram_dot:
 * @r: the report
 * @hosts: by host (--diagram-by-host): in the detail view, each virtual
 *   site's virtualisation hosts drawn as boxes holding their virtual
 *   machines (the report's placement, r->hosts), a pool all of whose servers
 *   run on hosts drawn as its servers (its relations from its first); the
 *   title says so, and says why nothing is grouped when no site is virtual or
 *   the estate is drawn by site or in totals
 *
 * Returns: (transfer full): the diagram as DOT text. Up to
 *   LP_DIAGRAM_DETAIL_SITES sites and LP_DIAGRAM_DETAIL_SERVERS servers, a
 *   view of the topology model (every name on it is the model's): a
 *   cluster per site holding its nodes (each with its label, name, FQDN
 *   and servers), the customer's parts there, its servers in no node, and
 *   a perimeter band (the nodes of the perimeter zone); the Internet's
 *   nodes outside; edges for pool pairing (with the site's failover and
 *   its time), each Edge pool's next hop, remote users through another
 *   site's Edge pool, a reverse proxy publishing another site's web
 *   services, the Internet's flows into the perimeter, and the sites'
 *   disaster recovery, branches and backup pools. Only the report's
 *   values: the same report, the same text. Above that, one
 *   box a site with its servers counted by role (backup pools in their
 *   host's box, branches in one box per home), dashed lines for disaster
 *   recovery; above LP_DIAGRAM_SITES_MAX boxes, one box of totals. The
 *   title says which.
 */
char *lp_diagram_dot (const LpReport *r, gboolean hosts);
