/* lp-write-xlsx-network.c: the DNS plan, Certificates, Firewall and Publishing sheets. */
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
  g_auto (LpDnsWalk) walk;
  lp_dns_walk_init (&walk, res);
  for (const LpDnsRecord *r; (r = lp_dns_walk_next (&walk)) != NULL;) {
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

void
lp_xlsx_certificates (LpBook *b, const LpPlan *plan, const LpCertificates *c)
{
  static const char *const head[] = { "Site",         "Certificate",
                                      "Subject name", "Subject alternative names",
                                      "Issuer",       "Note",
                                      "Source",       NULL };
  static const double caps[] = { 12, 20, 34, LP_NAMES_WIDTH, 12, 26, 22, -1 };
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
    g_autofree char *source = lp_sheet_source_words (&sh, cert->rule->source);
    g_autoptr (GString) names = g_string_new (NULL);
    for (guint k = 0; k < cert->names->len; k++)
      g_string_append_printf (names, "%s%s", k ? "\n" : "",
                              (char *) g_ptr_array_index (cert->names, k));
    lp_sheet_put_text (&sh, 0, g_array_index (plan->sites, LpPlanSite, cert->site).name, b->top);
    lp_sheet_put_text (&sh, 1, cert->rule->label, b->top);
    lp_sheet_put_text (&sh, 2, cert->subject, b->top);
    lp_sheet_put_text (&sh, 3, names->len > 0 ? names->str : "none", b->top);
    lp_sheet_put_text (&sh, 4, lp_certificate_issuer (cert->rule), b->top);
    lp_sheet_put_words (&sh, 5, note, b->top);
    lp_sheet_put_text (&sh, 6, source, b->top);
    lp_sheet_next_row (&sh);
  }
  lp_sheet_close (&sh);
}

void
lp_xlsx_firewall (LpBook *b, const LpPlan *plan, const LpCertificates *c)
{
  static const char *const head[] = { "Site",     "From",    "To",     "Port",
                                      "Protocol", "Purpose", "Source", NULL };
  static const double caps[] = { 14, 30, 30, 14, 10, 44, 28, -1 };
  LpSheet sh;

  lp_sheet_open (b, &sh, "Firewall");
  if (sh.ws == NULL)
    return;
  lp_sheet_set_caps (&sh, caps);
  sh.dashes[6] = TRUE; /* Source */
  lp_sheet_header (&sh, head);
  for (guint i = 0; i < c->firewall->len; i++) {
    const LpTopoFlow *f = g_ptr_array_index (c->firewall, i);
    g_autofree char *source = lp_sheet_source_words (&sh, f->rule->source);
    g_autofree char *from = lp_topology_flow_end (c->topo, f, FALSE);
    g_autofree char *to = lp_topology_flow_end (c->topo, f, TRUE);
    lp_sheet_put_text (&sh, 0, g_array_index (plan->sites, LpPlanSite, f->site).name, b->top);
    lp_sheet_put_text (&sh, 1, from, b->top);
    lp_sheet_put_text (&sh, 2, to, b->top);
    lp_sheet_put_text (&sh, 3, f->rule->port,
                       b->top); /* text: 50000-59999 is a range, 443 no number */
    lp_sheet_put_text (&sh, 4, f->rule->protocol, b->top);
    lp_sheet_put_words (&sh, 5, f->rule->purpose, b->top);
    lp_sheet_put_text (&sh, 6, source, b->top);
    lp_sheet_next_row (&sh);
  }
  lp_sheet_close (&sh);
}

/* The reverse proxies' publishing plan: a row per external web name. */
void
lp_xlsx_publishing (LpBook *b, const LpPlan *plan, const LpCertificates *c)
{
  static const char *const head[] = { "Site",         "Certificate", "Listener", "External name",
                                      "Forwarded to", "Ports",       "Source",   NULL };
  static const double caps[] = { 14, LP_NAMES_WIDTH, 10, LP_NAMES_WIDTH, 40, 12, 28, -1 };
  LpSheet sh;

  if (c->publishing->len == 0)
    return;
  lp_sheet_open (b, &sh, "Publishing");
  if (sh.ws == NULL)
    return;
  lp_sheet_set_caps (&sh, caps);
  sh.dashes[6] = TRUE; /* Source */
  lp_sheet_header (&sh, head);
  for (guint i = 0; i < c->publishing->len; i++) {
    const LpPublishRule *p = g_ptr_array_index (c->publishing, i);
    g_autofree char *source = lp_sheet_source_words (&sh, p->proxy->endpoint->source);
    lp_sheet_put_text (&sh, 0, g_array_index (plan->sites, LpPlanSite, p->site).name, b->top);
    lp_sheet_put_text (&sh, 1, p->certificate->subject, b->top);
    lp_sheet_put_text (&sh, 2, p->listener_ports, b->top);
    lp_sheet_put_text (&sh, 3, p->name, b->top);
    lp_sheet_put_text (&sh, 4, p->target->fqdn != NULL ? p->target->fqdn : p->target->name, b->top);
    lp_sheet_put_text (&sh, 5, p->target_ports, b->top);
    lp_sheet_put_text (&sh, 6, source, b->top);
    lp_sheet_next_row (&sh);
  }
  lp_sheet_next_row (&sh);
  lp_sheet_put_note (&sh, NULL, 0, 6,
                     "Each reverse proxy's listener publishes these names with the certificate "
                     "named, forwarding each to the internal name and ports shown; a name of the "
                     "whole organization goes to the first pool the proxy publishes.",
                     LP_MERGED_WIDTH);
  lp_sheet_close (&sh);
}
