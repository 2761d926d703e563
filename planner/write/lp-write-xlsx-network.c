/* lp-write-xlsx-network.c: the DNS plan, Certificates and Firewall sheets. */
#include "lp-write-xlsx.h"

void
lp_xlsx_dns (LpBook *b, const LpResilience *res)
{
  static const char *const head[] = { "Name",     "Type",   "Target", "Port",
                                      "Priority", "Weight", "Note",   NULL };
  static const double caps[] = { 38, 8, 40, 0, 0, 0, 50, -1 };
  LpSheet sh;

  lp_sheet_open (b, &sh, "DNS plan");
  if (sh.ws == NULL)
    return;
  lp_sheet_set_caps (&sh, caps);
  lp_sheet_header (&sh, head);
  for (guint i = 0; i < res->records->len; i++) {
    const LpDnsRecord *r = g_ptr_array_index (res->records, i);
    lp_sheet_put_text (&sh, 0, r->name, NULL);
    lp_sheet_put_text (&sh, 1, r->type, NULL);
    lp_sheet_put_text (&sh, 2, r->target, NULL);
    if (r->port)
      lp_sheet_put_num (&sh, 3, r->port, sh.b->plain);
    if (strcmp (r->type, "SRV") == 0) {
      lp_sheet_put_num (&sh, 4, r->priority, sh.b->plain);
      lp_sheet_put_num (&sh, 5, r->weight, sh.b->plain);
    }
    lp_sheet_put_text (&sh, 6, r->note, NULL);
    lp_sheet_next_row (&sh);
  }
  lp_sheet_next_row (&sh);
  lp_sheet_put_note (&sh, NULL, 0, 6,
                     res->dns_needed
                       ? res->statement
                       : "No remote access and no disaster recovery: no DNS plan needed.",
                     LP_MERGED_WIDTH);
  lp_sheet_close (&sh);
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
  lp_sheet_next_row (sh);
  lp_sheet_put_text (sh, 0, "Sources", sh->b->bold);
  lp_sheet_next_row (sh);
  for (guint i = 0; i < keys->len; i++) {
    const char *key = g_ptr_array_index (keys, i);
    const char *title = g_hash_table_lookup (plan->rs->sources, key);
    if (title != NULL)
      lp_sheet_put_note (sh, key, 1, last, title, (glong) width - 4);
  }
}

void
lp_xlsx_certificates (LpBook *b, const LpPlan *plan, const LpCertificates *c)
{
  static const char *const head[] = { "Site",         "Certificate",
                                      "Subject name", "Subject alternative names",
                                      "Issuer",       "Note",
                                      "Source",       NULL };
  static const double caps[] = { 14, 22, LP_NAMES_WIDTH, LP_NAMES_WIDTH, 16, 36, 28, -1 };
  g_autoptr (GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  LpSheet sh;

  lp_sheet_open (b, &sh, "Certificates");
  if (sh.ws == NULL)
    return;
  lp_sheet_set_caps (&sh, caps);
  sh.dashes[6] = TRUE; /* Source */
  lp_sheet_header (&sh, head);
  for (guint i = 0; i < c->certificates->len; i++) {
    const LpCertificate *cert = g_ptr_array_index (c->certificates, i);
    const char *note = cert->rule->note != NULL ? cert->rule->note : "";
    g_autoptr (GString) names = g_string_new (NULL);
    for (guint k = 0; k < cert->names->len; k++)
      g_string_append_printf (names, "%s%s", k ? "\n" : "",
                              (char *) g_ptr_array_index (cert->names, k));
    lp_sheet_put_text (&sh, 0, g_array_index (plan->sites, LpPlanSite, cert->site).name, b->top);
    lp_sheet_put_text (&sh, 1, cert->rule->label, b->top);
    lp_sheet_put_text (&sh, 2, cert->subject, b->top);
    lp_sheet_put_text (&sh, 3, names->len > 0 ? names->str : "none", b->top);
    lp_sheet_put_text (&sh, 4, lp_certificate_issuer (cert->rule), b->top);
    lp_sheet_put_text (&sh, 5, note, b->top);
    lp_sheet_put_text (&sh, 6, cert->rule->source, b->top);
    add_source_keys (keys, cert->rule->source);
    lp_sheet_next_row (&sh);
  }
  source_legend (&sh, plan, keys);
  lp_sheet_close (&sh);
}

void
lp_xlsx_firewall (LpBook *b, const LpPlan *plan, const LpCertificates *c)
{
  static const char *const head[] = { "Site",     "From",    "To",     "Port",
                                      "Protocol", "Purpose", "Source", NULL };
  static const double caps[] = { 14, 30, 30, 14, 10, 44, 28, -1 };
  g_autoptr (GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  LpSheet sh;

  lp_sheet_open (b, &sh, "Firewall");
  if (sh.ws == NULL)
    return;
  lp_sheet_set_caps (&sh, caps);
  sh.dashes[6] = TRUE; /* Source */
  lp_sheet_header (&sh, head);
  for (guint i = 0; i < c->firewall->len; i++) {
    const LpFirewallRule *f = g_ptr_array_index (c->firewall, i);
    lp_sheet_put_text (&sh, 0, g_array_index (plan->sites, LpPlanSite, f->site).name, b->top);
    lp_sheet_put_text (&sh, 1, f->from, b->top);
    lp_sheet_put_text (&sh, 2, f->to, b->top);
    lp_sheet_put_text (&sh, 3, f->rule->port,
                       b->top); /* text: 50000-59999 is a range, 443 no number */
    lp_sheet_put_text (&sh, 4, f->rule->protocol, b->top);
    lp_sheet_put_text (&sh, 5, f->rule->purpose, b->top);
    lp_sheet_put_text (&sh, 6, f->rule->source, b->top);
    add_source_keys (keys, f->rule->source);
    lp_sheet_next_row (&sh);
  }
  source_legend (&sh, plan, keys);
  lp_sheet_close (&sh);
}
