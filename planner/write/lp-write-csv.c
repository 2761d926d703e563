/* lp-write-csv.c: the plan's tables as CSV (--table): the bill of materials,
 * one row per site and role (its category, server, appliance or
 * reverse-proxy, says which total it adds to) and a virtual site's hosts
 * (category host), the firewall plan and the
 * certificate plan,
 * in the dialect of lp-csv.h (RFC 4180, text cells neutralised as OWASP
 * recommends for CSV injection). */
#include "lp-write.h"

#include <math.h>
#include <string.h>

#include "lp-csv.h"
#include "lp-error.h"
#include "lp-units.h"

static void
csv_text (GString *out, const char *text, gboolean last)
{
  lp_csv_append_field (out, text, TRUE);
  g_string_append (out, last ? LP_CSV_EOL : ",");
}

static void
csv_number (GString *out, double v, gboolean last)
{
  lp_append_decimal (out, v, 2);
  g_string_append (out, last ? LP_CSV_EOL : ",");
}

/* The end of an item row: its @count, its @spec and, with a price list,
 * the unit prices, the extended price and the currency. */
static void
csv_priced (GString *out, const LpReport *r, guint64 count, const char *spec, double hardware,
            double licence, double extended)
{
  csv_number (out, (double) count, FALSE);
  csv_text (out, spec, r->currency == NULL);
  if (r->currency == NULL)
    return;
  csv_number (out, hardware, FALSE);
  csv_number (out, licence, FALSE);
  csv_number (out, extended, FALSE);
  csv_text (out, r->currency, TRUE);
}

static void
csv_row (GString *out, const LpReport *r, const LpBomLine *l)
{
  const LpRole *role = l->r;

  csv_text (out, g_array_index (r->plan->sites, LpPlanSite, l->site).name, FALSE);
  csv_text (out, l->tmpl->id, FALSE);
  csv_text (out, role->id, FALSE);
  csv_text (out, role->name, FALSE);
  csv_text (out,
            role->appliance       ? "appliance"
            : role->reverse_proxy ? "reverse-proxy"
                                  : "server",
            FALSE);
  csv_priced (out, r, l->count, role->hardware, l->hardware, l->licence, l->extended);
}

/* A virtual site's hosts: a row of category host after its roles', priced
 * at the price list's [host] when it has one (unpriced: 0). */
static void
csv_hosts_row (GString *out, const LpReport *r, const LpPlanSite *site, const LpCandidate *c,
               guint i)
{
  const LpBomHosts *l;

  if (r->bom_hosts_at[i] < 0)
    return;
  l = &g_array_index (r->bom_hosts, LpBomHosts, r->bom_hosts_at[i]);
  csv_text (out, site->name, FALSE);
  csv_text (out, c->tmpl->id, FALSE);
  csv_text (out, "host", FALSE);
  csv_text (out, LP_BOM_HOST_NAME, FALSE);
  csv_text (out, "host", FALSE);
  csv_priced (out, r, l->count, l->spec, l->hardware, l->licence, l->extended);
}

/* A row of the bill of materials that is no role: a store's storage (its id,
 * label and GB a year) or a note (its text in the last text column); the
 * price columns, when there are some, stay empty. */
static void
csv_extra_row (GString *out, const LpReport *r, const char *site, const char *design,
               const char *category, const char *id, const char *label, double quantity,
               const char *text)
{
  csv_text (out, site, FALSE);
  csv_text (out, design, FALSE);
  csv_text (out, id, FALSE);
  csv_text (out, label, FALSE);
  csv_text (out, category, FALSE);
  if (isnan (quantity))
    g_string_append_c (out, ',');
  else
    csv_number (out, quantity, FALSE);
  csv_text (out, text, r->currency == NULL);
  if (r->currency != NULL)
    g_string_append (out, ",,," LP_CSV_EOL);
}

/* The bill of materials: each site's roles, then its storage rows (category
 * storage, quantity GB a year) and its notes (category note, the text in
 * reference_hardware), as the text report prints them beneath its table. */
static void
write_bom (const LpReport *report, GString *out)
{
  const LpPlan *plan = report->plan;
  guint k = 0;

  g_string_append (out, "site,design,role_id,role,category,quantity,reference_hardware");
  g_string_append (out,
                   report->currency
                     ? ",hardware_unit_price,licence_unit_price,extended_price,currency" LP_CSV_EOL
                     : LP_CSV_EOL);
  for (guint i = 0; i < plan->sites->len; i++) {
    const LpPlanSite *site = &g_array_index (plan->sites, LpPlanSite, i);
    const LpCandidate *c;
    const GPtrArray *notes = g_ptr_array_index (report->site_notes, i);

    lp_plan_site_sizing (plan, i, &c);
    for (guint j = report->bom_first[i]; j < report->bom_first[i + 1]; j++)
      csv_row (out, report, &g_array_index (report->bom, LpBomLine, j));
    csv_hosts_row (out, report, site, c, i);
    for (; k < report->storage->len && g_array_index (report->storage, LpStorageRow, k).site == i;
         k++) {
      const LpStorageRow *row = &g_array_index (report->storage, LpStorageRow, k);
      csv_extra_row (out, report, site->name, c->tmpl->id, "storage", row->store->id,
                     row->store->label, round (row->gb_per_year * 10) / 10, "GB a year");
    }
    for (guint n = 0; n < notes->len; n++)
      csv_extra_row (out, report, site->name, c->tmpl->id, "note", "", "", NAN,
                     g_ptr_array_index (notes, n));
  }
}

static const char *
site_name (const LpPlan *plan, guint i)
{
  return g_array_index (plan->sites, LpPlanSite, i).name;
}

static void
write_firewall (const LpPlan *plan, const LpCertificates *c, GString *out)
{
  g_string_append (
    out, "site,rule_id,from,to,port,protocol,purpose,source,from_id,to_id,crosses" LP_CSV_EOL);
  for (guint i = 0; i < c->firewall->len; i++) {
    const LpTopoFlow *f = g_ptr_array_index (c->firewall, i);
    g_autofree char *from = lp_topology_flow_end (c->topo, f, FALSE);
    g_autofree char *to = lp_topology_flow_end (c->topo, f, TRUE);
    csv_text (out, site_name (plan, f->site), FALSE);
    csv_text (out, f->rule->id, FALSE);
    csv_text (out, from, FALSE);
    csv_text (out, to, FALSE);
    csv_text (out, f->rule->port, FALSE);
    csv_text (out, f->rule->protocol, FALSE);
    csv_text (out, f->rule->purpose, FALSE);
    csv_text (out, f->rule->source, FALSE);
    csv_text (out, f->from->id, FALSE);
    csv_text (out, f->to->id, FALSE);
    csv_text (out, lp_topology_flow_crosses (f), TRUE);
  }
}

static const char *
node_site (const LpPlan *plan, const LpTopoNode *n)
{
  return n->site >= 0 ? site_name (plan, (guint) n->site) : "";
}

/* --table servers: every server of the topology model with its FQDN and pool. */
static void
write_servers (const LpReport *r, GString *out)
{
  const LpPlan *plan = r->plan;
  const LpTopology *t = r->topology;

  g_string_append (out, "site,id,name,fqdn,role,pool" LP_CSV_EOL);
  for (guint i = 0; i < t->servers->len; i++) {
    const LpTopoNode *n = g_ptr_array_index (t->servers, i);
    csv_text (out, node_site (plan, n), FALSE);
    csv_text (out, n->id, FALSE);
    csv_text (out, n->name, FALSE);
    csv_text (out, n->fqdn != NULL ? n->fqdn : "", FALSE);
    csv_text (out, ((const LpRole *) g_ptr_array_index (r->roles, n->role))->id, FALSE);
    csv_text (out, n->pool != NULL ? n->pool->id : "", TRUE);
  }
}

/* --table dns: the DNS plan, one record a row. */
static void
write_dns (const LpResilience *res, GString *out)
{
  g_string_append (out,
                   "domain,zone,name,type,target,target_id,port,priority,weight,note" LP_CSV_EOL);
  g_auto (LpDnsWalk) walk;
  lp_dns_walk_init (&walk, res);
  for (const LpDnsRecord *r; (r = lp_dns_walk_next (&walk)) != NULL;) {
    gboolean srv = strcmp (r->type, "SRV") == 0;
    g_autofree char *port = r->port ? g_strdup_printf ("%u", r->port) : g_strdup ("");
    g_autofree char *priority = srv ? g_strdup_printf ("%u", r->priority) : g_strdup ("");
    g_autofree char *weight = srv ? g_strdup_printf ("%u", r->weight) : g_strdup ("");
    csv_text (out, r->domain, FALSE);
    csv_text (out, r->zone, FALSE);
    csv_text (out, r->name, FALSE);
    csv_text (out, r->type, FALSE);
    csv_text (out, r->target, FALSE);
    csv_text (out, r->target_id, FALSE);
    csv_text (out, port, FALSE);
    csv_text (out, priority, FALSE);
    csv_text (out, weight, FALSE);
    csv_text (out, r->note != NULL ? r->note : "", TRUE);
  }
}

/* --table flows: every flow of the topology model. */
static void
write_flows (const LpTopology *t, GString *out)
{
  g_string_append (
    out, "flow_id,from_id,to_id,port,protocol,purpose,crosses_zone,crosses_site,source" LP_CSV_EOL);
  for (guint i = 0; i < t->flows->len; i++) {
    const LpTopoFlow *f = g_ptr_array_index (t->flows, i);
    csv_text (out, f->rule->id, FALSE);
    csv_text (out, f->from->id, FALSE);
    csv_text (out, f->to->id, FALSE);
    csv_text (out, f->rule->port, FALSE);
    csv_text (out, f->rule->protocol, FALSE);
    csv_text (out, f->rule->purpose, FALSE);
    csv_text (out, f->crosses_zone ? "yes" : "no", FALSE);
    csv_text (out, f->crosses_site ? "yes" : "no", FALSE);
    csv_text (out, f->rule->source, TRUE);
  }
}

static void
write_certificates (const LpPlan *plan, const LpCertificates *c, GString *out)
{
  g_string_append (out, "site,certificate_id,certificate,subject,subject_alternative_names,"
                        "issuer,note" LP_CSV_EOL);
  for (guint i = 0; i < c->certificates->len; i++) {
    const LpCertificate *cert = g_ptr_array_index (c->certificates, i);
    g_autoptr (GString) names = g_string_new (NULL);
    for (guint k = 0; k < cert->names->len; k++)
      g_string_append_printf (names, "%s%s", k ? "; " : "",
                              (char *) g_ptr_array_index (cert->names, k));
    csv_text (out, site_name (plan, cert->site), FALSE);
    csv_text (out, cert->rule->id, FALSE);
    csv_text (out, cert->rule->label, FALSE);
    csv_text (out, cert->subject, FALSE);
    csv_text (out, names->str, FALSE);
    csv_text (out, cert->rule->public_ca ? "public" : "internal", FALSE);
    csv_text (out, cert->rule->note != NULL ? cert->rule->note : "", TRUE);
  }
}

const char *const lp_csv_tables[] = { "bom",   "firewall", "certificates", "servers", "dns",
                                      "flows", NULL };

gboolean
lp_csv_table_check (const char *table, const char *format, GError **error)
{
  if (table == NULL)
    return TRUE;
  if (!g_strv_contains (lp_csv_tables, table)) {
    g_set_error (error, LP_ERROR, LP_ERROR_USAGE,
                 "--table: expected bom, firewall, certificates, servers, dns or flows, got '%s'",
                 table);
    return FALSE;
  }
  if (format == NULL || strcmp (format, "csv") != 0) {
    g_set_error (error, LP_ERROR, LP_ERROR_USAGE,
                 "--table %s: only with --format csv (the tables of the other formats are "
                 "always written)",
                 table);
    return FALSE;
  }
  return TRUE;
}

gboolean
lp_write_csv (const LpReport *r, const LpWriteOptions *o, LpOutput *out, GError **error)
{
  g_autoptr (GString) csv = g_string_new (NULL);
  const char *table = o->table != NULL ? o->table : lp_csv_tables[0];

  if (strcmp (table, "firewall") == 0)
    write_firewall (r->plan, r->certificates, csv);
  else if (strcmp (table, "certificates") == 0)
    write_certificates (r->plan, r->certificates, csv);
  else if (strcmp (table, "servers") == 0)
    write_servers (r, csv);
  else if (strcmp (table, "dns") == 0)
    write_dns (r->resilience, csv);
  else if (strcmp (table, "flows") == 0)
    write_flows (r->topology, csv);
  else
    write_bom (r, csv);
  return lp_output_put (out, csv->str, csv->len, error);
}
