/* lp-write-cells.c: the workbook's cells checked against Excel's limit
 * before anything is written; see lp_write_xlsx_precheck() in lp-write.h. */
#include <string.h>

#include "lp-error.h"
#include "lp-units.h"
#include "lp-write.h"

/* Fails for @text longer than a cell holds: @sheet, @what and @of name it. */
static gboolean
fits (gsize len, const char *sheet, const char *what, const char *of, GError **error)
{
  g_autofree char *n = NULL, *max = NULL;

  if (len <= LP_XLSX_MAX_CELL)
    return TRUE;
  n = lp_format_count (len);
  max = lp_format_count (LP_XLSX_MAX_CELL);
  g_set_error (error, LP_ERROR, LP_ERROR_INPUT,
               "--xlsx: the %s sheet's %s of %s would take %s characters, over the %s a cell "
               "holds in Excel: plan fewer sites in one workbook, or write the plan as JSON or CSV",
               sheet, what, of, n, max);
  return FALSE;
}

static gboolean
check_dns (const LpResilience *res, GError **error)
{
  g_auto (LpDnsWalk) walk;
  lp_dns_walk_init (&walk, res);
  for (const LpDnsRecord *d; (d = lp_dns_walk_next (&walk)) != NULL;) {
    if (!fits (strlen (d->name), "DNS plan", "name", d->type, error) ||
        !fits (strlen (d->target), "DNS plan", "target", d->name, error) ||
        (d->note != NULL && !fits (strlen (d->note), "DNS plan", "note", d->name, error)))
      return FALSE;
  }
  return TRUE;
}

/* The subject alternative names one a line, as the Certificates sheet writes them. */
static gboolean
check_certificates (const LpCertificates *c, GError **error)
{
  for (guint i = 0; i < c->certificates->len; i++) {
    const LpCertificate *cert = g_ptr_array_index (c->certificates, i);
    gsize len = 0;
    for (guint k = 0; k < cert->names->len; k++)
      len += (k > 0) + strlen (g_ptr_array_index (cert->names, k));
    if (!fits (len, "Certificates", "subject alternative names", cert->subject, error))
      return FALSE;
  }
  for (guint i = 0; i < c->firewall->len; i++) {
    const LpTopoFlow *f = g_ptr_array_index (c->firewall, i);
    g_autofree char *from = lp_topology_flow_end (c->topo, f, FALSE);
    g_autofree char *to = lp_topology_flow_end (c->topo, f, TRUE);
    if (!fits (strlen (from), "Firewall", "from", f->rule->id, error) ||
        !fits (strlen (to), "Firewall", "to", f->rule->id, error))
      return FALSE;
  }
  return TRUE;
}

gboolean
lp_write_xlsx_precheck (const LpReport *r, GError **error)
{
  /* the named cells first: their messages say which record or certificate */
  return check_dns (r->resilience, error) && check_certificates (r->certificates, error) &&
         lp_write_xlsx_check (r, error);
}
