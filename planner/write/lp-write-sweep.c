/* lp-write-sweep.c: sweep rows and breakpoints. */
#include "lp-write-sweep.h"

#include <string.h>

#include "lp-csv.h"
#include "lp-json.h"
#include "lp-units.h"

/* Does @r miss any check? */
static inline gboolean
missed_any (const LpRuleset *rs, const LpPlanSummary *r)
{
  for (guint w = 0; w < (rs->checks->len + 63) / 64; w++)
    if (r->missed[w] != 0)
      return TRUE;
  return FALSE;
}

static void
missed_text (const LpRuleset *rs, const LpPlanSummary *r, const char *sep, GString *out)
{
  gboolean first = TRUE;

  for (guint k = 0; k < rs->checks->len; k++) {
    if (!lp_plan_summary_missed (r, k))
      continue;
    if (!first)
      g_string_append (out, sep);
    g_string_append (out, ((LpCheck *) g_ptr_array_index (rs->checks, k))->id);
    first = FALSE;
  }
}

/* A varied key as a column name: "input:KEY" where KEY is also the name of a
 * result column (edition, or persistent-chat, a role), so no two columns share
 * a name. */
char *
lp_sweep_input_column (const LpRuleset *rs, const char *key)
{
  static const char *const results[] = { "design",         "edition",  "feasible", "servers",
                                         "appliances",     "cost",     "missed",   "servers_max",
                                         "appliances_max", "cost_max", NULL };
  gboolean clash = g_strv_contains (results, key);

  for (guint k = 0; !clash && k < rs->roles->len; k++)
    clash = strcmp (((LpRole *) g_ptr_array_index (rs->roles, k))->id, key) == 0;
  return g_strdup_printf ("%s%s", clash ? "input:" : "", key);
}

/* Site @i's servers in @r: its roles that are neither appliances nor
 * reverse proxies. */
static guint64
site_servers (const LpRuleset *rs, const LpSiteSummary *site)
{
  guint64 n = 0;

  for (guint k = 0; k < rs->roles->len; k++) {
    const LpRole *role = g_ptr_array_index (rs->roles, k);
    if (!role->appliance && !role->reverse_proxy)
      n += site->roles[k];
  }
  return n;
}

static const LpSiteSummary *
site_at (const LpPlanSummary *r, guint i)
{
  return r->sites != NULL && i < r->sites->len ? &g_array_index (r->sites, LpSiteSummary, i) : NULL;
}

/* ",design@SITE,servers@SITE" for each scenario site (--per-site). */
static void
csv_site_header (LpSweep *sw, GString *out)
{
  for (guint i = 0; i < lp_sweep_n_sites (sw); i++) {
    g_autofree char *design = g_strdup_printf ("design@%s", lp_sweep_site_name (sw, i));
    g_autofree char *servers = g_strdup_printf ("servers@%s", lp_sweep_site_name (sw, i));
    g_string_append_c (out, ',');
    lp_csv_append_field (out, design, TRUE);
    g_string_append_c (out, ',');
    lp_csv_append_field (out, servers, TRUE);
  }
}

static void
csv_sites (LpSweep *sw, const LpRuleset *rs, const LpPlanSummary *r, GString *out)
{
  for (guint i = 0; i < lp_sweep_n_sites (sw); i++) {
    const LpSiteSummary *site = site_at (r, i);
    g_string_append_c (out, ',');
    lp_csv_append_field (out, site != NULL ? site->design : "", TRUE);
    g_string_append_c (out, ',');
    lp_append_count (out, site != NULL ? site_servers (rs, site) : 0);
  }
}

/* "sites": [{"site": NAME, "design": ..., "servers": N}] (--per-site). */
static void
json_sites (LpJson *j, LpSweep *sw, const LpRuleset *rs, const LpPlanSummary *r)
{
  if (lp_sweep_n_sites (sw) == 0)
    return;
  lp_json_begin_array (j, "sites");
  for (guint i = 0; i < lp_sweep_n_sites (sw); i++) {
    const LpSiteSummary *site = site_at (r, i);
    lp_json_begin_object (j, NULL);
    lp_json_string (j, "site", lp_sweep_site_name (sw, i));
    lp_json_string (j, "design", site != NULL ? site->design : NULL);
    lp_json_int (j, "servers", site != NULL ? site_servers (rs, site) : 0);
    lp_json_end_object (j);
  }
  lp_json_end_array (j);
}

static void
input_column (const LpRuleset *rs, const char *key, GString *out)
{
  g_autofree char *name = lp_sweep_input_column (rs, key);

  lp_csv_append_field (out, name, TRUE);
  g_string_append_c (out, ',');
}

static void
csv_header (LpSweep *sw, const LpRuleset *rs, gboolean priced, GString *out)
{
  for (guint i = 0; i < lp_sweep_n_axes (sw); i++)
    input_column (rs, lp_sweep_axis_key (sw, i), out);
  g_string_append (out, "design,edition,feasible,servers,appliances");
  for (guint k = 0; k < rs->roles->len; k++) {
    g_string_append_c (out, ',');
    lp_csv_append_field (out, ((LpRole *) g_ptr_array_index (rs->roles, k))->id, TRUE);
  }
  g_string_append (out, priced ? ",cost,missed" : ",missed");
  csv_site_header (sw, out);
  g_string_append (out, LP_CSV_EOL);
}

/* The CSV fields of @r from design up to the role counts, each after a
 * comma but the first: the hot path of a CSV sweep, written into room made
 * once, nothing allocated; the ids are quoted only for a rule set whose ids
 * need it. */
static void
csv_counts (const LpRuleset *rs, const LpPlanSummary *r, gboolean roles, GString *out)
{
  guint n_roles = roles ? rs->roles->len : 0;
  gsize design = strlen (r->design), edition = strlen (r->edition);
  char *p;

  if (!r->ids_plain) {
    lp_csv_append_field (out, r->design, TRUE);
    g_string_append_c (out, ',');
    lp_csv_append_field (out, r->edition, TRUE);
    design = edition = 0;
  }
  /* the ids, ",false", and a comma and a count for servers, appliances and
   * each role */
  p = lp_string_room (out, design + edition + 7 + (2 + n_roles) * (1 + LP_COUNT_MAX_DIGITS));
  if (r->ids_plain) {
    memcpy (p, r->design, design);
    p += design;
    *p++ = ',';
    memcpy (p, r->edition, edition);
    p += edition;
  }
  if (r->feasible) {
    memcpy (p, ",true,", 6);
    p += 6;
  } else {
    memcpy (p, ",false,", 7);
    p += 7;
  }
  p = lp_put_count (p, r->servers);
  *p++ = ',';
  p = lp_put_count (p, r->appliances);
  for (guint k = 0; k < n_roles; k++) {
    *p++ = ',';
    p = lp_put_count (p, r->roles[k]);
  }
  lp_string_commit (out, p);
}

static void
csv_result (LpSweep *sw, const LpRuleset *rs, const LpPlanSummary *r, gboolean priced,
            gboolean roles, GString *out)
{
  gsize start;

  csv_counts (rs, r, roles, out);
  if (priced) {
    g_string_append_c (out, ',');
    lp_append_decimal (out, r->cost, 2);
  }
  g_string_append_c (out, ',');
  if (missed_any (rs, r)) {
    start = out->len;
    missed_text (rs, r, ";", out);
    if (!r->ids_plain)
      lp_csv_finish_field (out, start, TRUE);
  }
  if (r->sites != NULL) /* --per-site */
    csv_sites (sw, rs, r, out);
  /* LP_CSV_EOL, as two inlined appends */
  g_string_append_c (out, '\r');
  g_string_append_c (out, '\n');
}

/* Axis @i's value in row @row as @key, its text as a user writes it, beside
 * its number when it has a unit: @key_minutes (null for none), @key_percent. */
static void
json_axis_value (LpJson *j, LpSweep *sw, guint i, guint64 row, const char *key)
{
  gboolean is_number;
  double v = lp_sweep_axis_number (sw, i, row, &is_number);
  const char *text = lp_sweep_axis_value (sw, i, row);

  if (lp_sweep_axis_is_duration (sw, i))
    lp_json_figure (j, key, text, "minutes", v);
  else if (lp_sweep_axis_is_percent (sw, i))
    lp_json_figure (j, key, text, "percent", v);
  else
    lp_json_string (j, key, text);
}

/* "inputs": the varied keys from axis @from on, in row @row, a list of
 * {key, value} (the keys are ids: users@SITE, rule constants). */
static void
json_inputs (LpJson *j, LpSweep *sw, guint from, guint64 row)
{
  lp_json_begin_array (j, "inputs");
  for (guint i = from; i < lp_sweep_n_axes (sw); i++) {
    lp_json_begin_object (j, NULL);
    lp_json_string (j, "key", lp_sweep_axis_key (sw, i));
    json_axis_value (j, sw, i, row, "value");
    lp_json_end_object (j);
  }
  lp_json_end_array (j);
}

static void
json_result (LpJson *j, const LpRuleset *rs, const LpPlanSummary *r, gboolean priced,
             gboolean roles)
{
  lp_json_string (j, "design", r->design);
  lp_json_string (j, "edition", r->edition);
  lp_json_bool (j, "feasible", r->feasible);
  lp_json_int (j, "servers", r->servers);
  lp_json_int (j, "appliances", r->appliances);
  if (roles) {
    lp_json_begin_array (j, "roles");
    for (guint k = 0; k < rs->roles->len; k++) {
      if (r->roles[k] == 0)
        continue;
      lp_json_begin_object (j, NULL);
      lp_json_string (j, "role", ((LpRole *) g_ptr_array_index (rs->roles, k))->id);
      lp_json_int (j, "count", r->roles[k]);
      lp_json_end_object (j);
    }
    lp_json_end_array (j);
  }
  if (priced)
    lp_json_number (j, "cost", r->cost);
  lp_json_begin_array (j, "missed");
  for (guint k = 0; k < rs->checks->len; k++)
    if (lp_plan_summary_missed (r, k))
      lp_json_string (j, NULL, ((LpCheck *) g_ptr_array_index (rs->checks, k))->id);
  lp_json_end_array (j);
}

static void
csv_row (LpSweep *sw, const LpRuleset *rs, guint64 row, const LpPlanSummary *r, gboolean priced,
         GString *out)
{
  /* the sweep formats every value itself (counts, durations, decimals,
   * percentages, words): never a comma, a quote or a line break */
  for (guint i = 0; i < lp_sweep_n_axes (sw); i++) {
    lp_sweep_axis_append (sw, i, row, out);
    g_string_append_c (out, ',');
  }
  csv_result (sw, rs, r, priced, TRUE, out);
}

static void
json_row (LpSweep *sw, const LpRuleset *rs, guint64 row, const LpPlanSummary *r, gboolean priced,
          GString *out)
{
  LpJson j = { .out = out };

  lp_json_begin_object (&j, NULL);
  lp_json_int (&j, "schema_version", LP_JSON_SCHEMA_VERSION);
  json_inputs (&j, sw, 0, row);
  json_result (&j, rs, r, priced, TRUE);
  json_sites (&j, sw, rs, r);
  lp_json_end_object (&j);
  g_string_append_c (out, '\n');
}

void
lp_break_run_start (LpBreakRun *run, guint64 row, const LpPlanSummary *r)
{
  run->first = run->last = row;
  lp_plan_summary_copy (&run->result, r);
  run->servers[0] = run->servers[1] = r->servers;
  run->appliances[0] = run->appliances[1] = r->appliances;
  run->cost[0] = run->cost[1] = r->cost;
}

void
lp_break_run_add (LpBreakRun *run, guint64 row, const LpPlanSummary *r)
{
  run->last = row;
  run->servers[0] = MIN (run->servers[0], r->servers);
  run->servers[1] = MAX (run->servers[1], r->servers);
  run->appliances[0] = MIN (run->appliances[0], r->appliances);
  run->appliances[1] = MAX (run->appliances[1], r->appliances);
  run->cost[0] = MIN (run->cost[0], r->cost);
  run->cost[1] = MAX (run->cost[1], r->cost);
}

static void
csv_breakpoint_header (LpSweep *sw, const LpRuleset *rs, LpBreakOn on, gboolean priced,
                       GString *out)
{
  const char *first = lp_sweep_axis_key (sw, 0);

  for (guint i = 1; i < lp_sweep_n_axes (sw); i++)
    input_column (rs, lp_sweep_axis_key (sw, i), out);
  for (guint k = 0; k < 2; k++) {
    gsize start = out->len;
    g_string_append_printf (out, "%s%s", first, k == 0 ? "_from" : "_to");
    lp_csv_finish_field (out, start, TRUE);
    g_string_append_c (out, ',');
  }
  g_string_append (out, "design,edition,feasible,servers,appliances,");
  if (on != LP_BREAK_SERVERS)
    g_string_append (out, "servers_max,appliances_max,");
  if (priced)
    g_string_append (out, on != LP_BREAK_SERVERS ? "cost,cost_max," : "cost,");
  g_string_append (out, "missed");
  csv_site_header (sw, out);
  g_string_append (out, LP_CSV_EOL);
}

/* "6" or "3..6", and the word */
static void
append_range (GString *out, const guint64 *v, const char *one, const char *many)
{
  lp_append_count (out, v[0]);
  if (v[1] != v[0]) {
    g_string_append (out, "..");
    lp_append_count (out, v[1]);
  }
  g_string_append_printf (out, " %s", v[1] == 1 ? one : many);
}

static void
text_breakpoint (LpSweep *sw, const LpRuleset *rs, const LpBreakRun *run, const char *currency,
                 GString *out)
{
  const LpPlanSummary *r = &run->result;

  /* a range's value texts share one buffer: append each before the next */
  g_string_append_printf (out, "%s %s", lp_sweep_axis_key (sw, 0),
                          lp_sweep_axis_value (sw, 0, run->first));
  if (run->first != run->last)
    g_string_append_printf (out, "..%s", lp_sweep_axis_value (sw, 0, run->last));
  for (guint i = 1; i < lp_sweep_n_axes (sw); i++)
    g_string_append_printf (out, "%s%s=%s", i == 1 ? " [" : ", ", lp_sweep_axis_key (sw, i),
                            lp_sweep_axis_value (sw, i, run->first));
  g_string_append_printf (out, "%s: %s (%s), ", lp_sweep_n_axes (sw) > 1 ? "]" : "", r->design,
                          r->edition);
  append_range (out, run->servers, "server", "servers");
  g_string_append (out, ", ");
  append_range (out, run->appliances, "appliance", "appliances");
  g_string_append (out, ", ");
  if (currency != NULL) {
    g_autofree char *low = lp_format_money (run->cost[0], currency);
    g_autofree char *high = lp_format_money (run->cost[1], NULL);
    g_string_append_printf (out, "%s%s%s, ", low, run->cost[1] != run->cost[0] ? ".." : "",
                            run->cost[1] != run->cost[0] ? high : "");
  }
  if (r->feasible)
    g_string_append (out, "meets every requirement");
  else {
    g_string_append (out, "misses ");
    missed_text (rs, r, ", ", out);
  }
  for (guint i = 0; i < lp_sweep_n_sites (sw); i++) {
    const LpSiteSummary *site = site_at (r, i);
    g_string_append_printf (out, "%s%s %s %" G_GUINT64_FORMAT, i == 0 ? "; " : ", ",
                            lp_sweep_site_name (sw, i), site != NULL ? site->design : "none",
                            site != NULL ? site_servers (rs, site) : 0);
  }
  g_string_append_c (out, '\n');
}

static void
csv_breakpoint (LpSweep *sw, const LpRuleset *rs, const LpBreakRun *run, const char *currency,
                GString *out)
{
  gboolean priced = currency != NULL;
  const LpPlanSummary *r = &run->result;
  gsize start;

  for (guint i = 1; i < lp_sweep_n_axes (sw); i++) {
    lp_csv_append_field (out, lp_sweep_axis_value (sw, i, run->first), FALSE);
    g_string_append_c (out, ',');
  }
  lp_csv_append_field (out, lp_sweep_axis_value (sw, 0, run->first), FALSE);
  g_string_append_c (out, ',');
  lp_csv_append_field (out, lp_sweep_axis_value (sw, 0, run->last), FALSE);
  g_string_append_c (out, ',');
  lp_csv_append_field (out, r->design, TRUE);
  g_string_append_c (out, ',');
  lp_csv_append_field (out, r->edition, TRUE);
  g_string_append_printf (out, ",%s,%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ",",
                          r->feasible ? "true" : "false", run->servers[0], run->appliances[0]);
  if (run->on != LP_BREAK_SERVERS)
    g_string_append_printf (out, "%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT ",", run->servers[1],
                            run->appliances[1]);
  for (guint k = 0; priced && k < (run->on != LP_BREAK_SERVERS ? 2u : 1u); k++) {
    lp_append_decimal (out, run->cost[k], 2);
    g_string_append_c (out, ',');
  }
  start = out->len;
  missed_text (rs, r, ";", out);
  lp_csv_finish_field (out, start, TRUE);
  csv_sites (sw, rs, r, out);
  g_string_append (out, LP_CSV_EOL);
}

static void
json_breakpoint (LpSweep *sw, const LpRuleset *rs, const LpBreakRun *run, const char *currency,
                 GString *out)
{
  LpJson j = { .out = out };
  const LpPlanSummary *r = &run->result;

  lp_json_begin_object (&j, NULL);
  lp_json_int (&j, "schema_version", LP_JSON_SCHEMA_VERSION);
  json_inputs (&j, sw, 1, run->first);
  lp_json_string (&j, "axis", lp_sweep_axis_key (sw, 0));
  json_axis_value (&j, sw, 0, run->first, "from");
  json_axis_value (&j, sw, 0, run->last, "to");
  lp_json_string (&j, "design", r->design);
  lp_json_string (&j, "edition", r->edition);
  lp_json_bool (&j, "feasible", r->feasible);
  lp_json_int (&j, "servers", run->servers[0]);
  lp_json_int (&j, "appliances", run->appliances[0]);
  if (run->on != LP_BREAK_SERVERS) {
    lp_json_int (&j, "servers_max", run->servers[1]);
    lp_json_int (&j, "appliances_max", run->appliances[1]);
  }
  if (currency != NULL) {
    lp_json_number (&j, "cost", run->cost[0]);
    if (run->on != LP_BREAK_SERVERS)
      lp_json_number (&j, "cost_max", run->cost[1]);
  }
  lp_json_begin_array (&j, "missed");
  for (guint k = 0; k < rs->checks->len; k++)
    if (lp_plan_summary_missed (r, k))
      lp_json_string (&j, NULL, ((LpCheck *) g_ptr_array_index (rs->checks, k))->id);
  lp_json_end_array (&j);
  json_sites (&j, sw, rs, r);
  lp_json_end_object (&j);
  g_string_append_c (out, '\n');
}

const LpSweepWriter lp_sweep_writers[] = {
  { { "csv", "csv (default)" }, LP_OUTPUT_STREAM, csv_header, csv_row },
  { { "jsonl", "jsonl" }, LP_OUTPUT_STREAM, NULL, json_row },
  /* the workbook: lp-write-sweep-xlsx.h writes its rows */
  { { "xlsx", "xlsx (with a chart)" }, LP_OUTPUT_FILE, NULL, NULL },
  { { NULL } },
};

const LpBreakWriter lp_break_writers[] = {
  { { "text", "text (default)" }, NULL, text_breakpoint },
  { { "csv", "csv" }, csv_breakpoint_header, csv_breakpoint },
  { { "jsonl", "jsonl" }, NULL, json_breakpoint },
  { { NULL } },
};
