/* lp-write-csv.c: the bill of materials as CSV, one row per site and role
 * (its category, server, appliance or reverse-proxy, says which total it adds to),
 * in the dialect of lp-csv.h (RFC 4180, text cells neutralised as OWASP
 * recommends for CSV injection). */
#include "lp-write.h"

#include "lp-csv.h"
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

static void
csv_row (GString *out, const LpPlan *plan, const LpPlanSite *site, const LpCandidate *c, guint r,
         guint64 count)
{
  const LpRole *role = g_ptr_array_index (plan->rs->roles, r);
  const LpPrices *prices = plan->sc->prices;

  csv_text (out, site->name, FALSE);
  csv_text (out, c->tmpl->id, FALSE);
  csv_text (out, role->id, FALSE);
  csv_text (out, role->name, FALSE);
  csv_text (out,
            role->appliance       ? "appliance"
            : role->reverse_proxy ? "reverse-proxy"
                                  : "server",
            FALSE);
  csv_number (out, (double) count, FALSE);
  csv_text (out, role->hardware, prices == NULL);
  if (prices == NULL)
    return;
  csv_number (out, prices->hardware[r], FALSE);
  csv_number (out, prices->licence[r], FALSE);
  csv_number (out, (double) count * lp_prices_unit (prices, r), FALSE);
  csv_text (out, prices->currency, TRUE);
}

static void
write_bom (const LpPlan *plan, GString *out)
{
  g_string_append (out, "site,design,role_id,role,category,quantity,reference_hardware");
  g_string_append (out,
                   plan->sc->prices
                     ? ",hardware_unit_price,licence_unit_price,extended_price,currency" LP_CSV_EOL
                     : LP_CSV_EOL);
  for (guint i = 0; i < plan->sites->len; i++) {
    const LpPlanSite *site = &g_array_index (plan->sites, LpPlanSite, i);
    const LpCandidate *c;
    const LpSiteSizing *z = lp_plan_site_sizing (plan, i, &c);

    for (guint r = 0; !z->empty && r < plan->rs->roles->len; r++) {
      if (z->roles[r] > 0)
        csv_row (out, plan, site, c, r, z->roles[r]);
    }
  }
}

gboolean
lp_write_csv (const LpReport *r, const LpWriteOptions *o, LpOutput *out, GError **error)
{
  g_autoptr (GString) csv = g_string_new (NULL);

  (void) o;
  write_bom (r->plan, csv);
  return lp_output_put (out, csv->str, csv->len, error);
}
