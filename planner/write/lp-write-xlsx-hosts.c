/* lp-write-xlsx-hosts.c: the Hosts sheet, written only when some site is
 * virtual: each virtualisation host with the virtual machines it runs. */
#include "lp-write-xlsx.h"

/* The virtual machines of @h by name, ", " between them. */
static char *
host_servers (const LpHost *h)
{
  GString *s = g_string_new (NULL);

  for (guint j = 0; j < h->servers->len; j++)
    g_string_append_printf (s, "%s%s", j ? ", " : "",
                            ((const LpServer *) g_ptr_array_index (h->servers, j))->name);
  if (h->spare)
    g_string_append (s, "spare: none until a host fails");
  return g_string_free (s, FALSE);
}

void
lp_xlsx_hosts (LpBook *b, const LpPlan *plan, const LpHosts *hosts)
{
  static const char *const head[] = {
    "Host", "Site", "Cores", "Cores used", "Memory (GB)", "Memory used", "Virtual machines", NULL
  };
  static const double caps[] = { 0, 0, 0, 0, 0, 0, 70, -1 };
  LpSheet sh;

  if (hosts->hosts->len == 0)
    return;
  lp_sheet_open (b, &sh, "Hosts");
  if (sh.ws == NULL)
    return;
  lp_sheet_set_caps (&sh, caps);
  lp_sheet_header (&sh, head);
  for (guint i = 0; i < hosts->hosts->len; i++) {
    const LpHost *h = g_ptr_array_index (hosts->hosts, i);
    g_autofree char *vms = host_servers (h);
    lp_sheet_put_text (&sh, 0, h->name, NULL);
    lp_sheet_put_text (&sh, 1, g_array_index (plan->sites, LpPlanSite, h->site).name, NULL);
    lp_sheet_put_num (&sh, 2, h->cores, sh.b->count);
    lp_sheet_put_num (&sh, 3, h->cores_used, sh.b->count);
    lp_sheet_put_num (&sh, 4, h->memory_gb, sh.b->count);
    lp_sheet_put_num (&sh, 5, h->memory_used, sh.b->count);
    lp_sheet_put_text (&sh, 6, vms, NULL);
    lp_sheet_next_row (&sh);
  }
  lp_sheet_next_row (&sh);
  lp_sheet_put_note (&sh, NULL, 0, 6,
                     "A virtual processor a physical core (hyper-threading off), no dynamic "
                     "memory, no live migration; the used figures are the virtual machines' own, "
                     "the hypervisor's overhead kept apart. The loss of any one host leaves every "
                     "pool its quorum and every Back End its failover; a spare host takes a "
                     "failed host's servers, rebuilt.",
                     LP_MERGED_WIDTH);
  lp_sheet_close (&sh);
}
