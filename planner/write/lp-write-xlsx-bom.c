/* lp-write-xlsx-bom.c: the Bill of Materials, Servers, and Pools and
 * Pairing sheets. */
#include "lp-write-xlsx.h"

/* ---- 2. Bill of Materials ---- */

/* The categories a bill of materials counts apart, as the Kind column says them. */
static const char *const bom_kinds[] = { "server", "appliance", "reverse proxy", "host" };
static const char *const bom_kinds_plural[] = { "servers", "appliances", "reverse proxies",
                                                "hosts" };
#define KINDS 4
#define HOST_KIND 3 /* virtualisation hosts: in addition to the servers, not in Total cost */

static guint
role_kind (const LpRole *role)
{
  return role->reverse_proxy ? 2 : role->appliance ? 1 : 0;
}

/* One item row of the bill of materials: @what of @kind at @site, @count
 * of them as @spec says, and with a price list the unit prices and their
 * extended price (a formula over the row). */
static void
bom_item_row (LpSheet *sh, const char *site, const char *what, guint kind, guint64 count,
              const char *spec, gboolean priced, double hardware, double licence, double extended)
{
  g_autofree char *qty = NULL, *hw = NULL, *lic = NULL, *formula = NULL;

  lp_sheet_put_text (sh, 0, site, NULL);
  lp_sheet_put_text (sh, 1, what, NULL);
  lp_sheet_put_text (sh, 2, bom_kinds[kind], NULL);
  lp_sheet_put_num (sh, 3, (double) count, sh->b->count);
  lp_sheet_put_text (sh, 4, spec, NULL);
  if (sh->b->r->currency != NULL) {
    qty = lp_xlsx_cell (sh->row, 3);
    hw = lp_xlsx_cell (sh->row, 5);
    lic = lp_xlsx_cell (sh->row, 6);
    formula = g_strdup_printf ("=%s*(%s+%s)", qty, hw, lic);
    lp_sheet_put_num (sh, 5, hardware, sh->b->money);
    lp_sheet_put_num (sh, 6, licence, sh->b->money);
    lp_sheet_put_formula (sh, LP_BOM_EXTENDED, formula, extended, sh->b->money);
    if (!priced)
      lp_sheet_put_text (sh, 8, "not in the price list", NULL);
  }
  lp_sheet_next_row (sh);
}

/* One of the report's priced lines. */
static void
bom_role_row (LpSheet *sh, const char *site, const LpBomLine *l)
{
  bom_item_row (sh, site, l->r->name, role_kind (l->r), l->count, l->r->hardware, l->priced,
                l->hardware, l->licence, l->extended);
}

/* A virtual site's hosts, the report's line for them (priced at the price
 * list's [host]), after its roles: the servers they run keep their rows and
 * licences. */
static void
bom_hosts_row (LpSheet *sh, const char *site, const LpBomHosts *l)
{
  bom_item_row (sh, site, LP_BOM_HOST_NAME, HOST_KIND, l->count, l->spec, l->priced, l->hardware,
                l->licence, l->extended);
}

/* A subtotal of one kind over the item rows @first..@last: SUMIF on the
 * Kind column, whose subtotal rows say the plural and so are not summed. */
static void
bom_kind_row (LpSheet *sh, const char *label, lxw_row_t first, lxw_row_t last, guint kind,
              double count, double cost)
{
  g_autofree char *k0 = lp_xlsx_cell (first, 2), *k1 = lp_xlsx_cell (last, 2);
  g_autofree char *q0 = lp_xlsx_cell (first, 3), *q1 = lp_xlsx_cell (last, 3);
  g_autofree char *c0 = lp_xlsx_cell (first, LP_BOM_EXTENDED),
                  *c1 = lp_xlsx_cell (last, LP_BOM_EXTENDED);
  g_autofree char *qty = g_strdup_printf ("=SUMIF(%s:%s,\"%s\",%s:%s)", k0, k1, bom_kinds[kind], q0,
                                          q1);
  g_autofree char *money = g_strdup_printf ("=SUMIF(%s:%s,\"%s\",%s:%s)", k0, k1, bom_kinds[kind],
                                            c0, c1);

  lp_sheet_put_text (sh, 0, label, sh->b->bold);
  lp_sheet_put_text (sh, 2, bom_kinds_plural[kind], sh->b->bold);
  lp_sheet_put_formula (sh, 3, qty, count, sh->b->count);
  if (sh->b->r->currency != NULL)
    lp_sheet_put_formula (sh, LP_BOM_EXTENDED, money, cost, sh->b->money);
  lp_sheet_next_row (sh);
}

/* One subtotal row per kind the rows hold: servers, appliances and reverse
 * proxies are never added up into one count. */
static void
bom_kind_rows (LpSheet *sh, const char *label, lxw_row_t first, const double count[KINDS],
               const double cost[KINDS])
{
  lxw_row_t last = sh->row - 1;

  for (guint k = 0; k < KINDS; k++)
    if (count[k] > 0)
      bom_kind_row (sh, label, first, last, k, count[k], cost[k]);
}

/* The site's notes, below its subtotal: "Note, site NAME" and the text. */
static void
bom_note_rows (LpSheet *sh, const char *site, guint i)
{
  g_autofree char *label = g_strdup_printf ("Note, site %s", site);
  const GPtrArray *notes = g_ptr_array_index (sh->b->r->site_notes, i);

  for (guint k = 0; k < notes->len && !sh->b->dry_run; k++) {
    g_autofree char *words = lp_report_words (sh->b->r, g_ptr_array_index (notes, k), sh->b->cited);
    lp_sheet_put_note (sh, label, 1, 4, words, LP_BOM_NOTE_WIDTH);
  }
  for (guint k = 0; k < notes->len && sh->b->dry_run; k++)
    lp_sheet_next_row (sh); /* a dry run counts the rows only */
}

static void
bom_storage_rows (LpSheet *sh, const LpPlan *plan, const char *site, const LpSiteSizing *z)
{
  g_autofree char *label = g_strdup_printf ("Storage, site %s", site);

  for (guint k = 0; z->storage_gb != NULL && k < sh->b->r->stores->len; k++) {
    const LpStorage *st = g_ptr_array_index (sh->b->r->stores, k);
    g_autofree char *gb = NULL, *text = NULL;
    if (!(z->storage & ((guint64) 1 << k)))
      continue;
    gb = lp_format_decimal (round (z->storage_gb[k] * 10) / 10, 1);
    /* text across the columns, not a quantity the subtotals would add up */
    text = g_strdup_printf ("%s: %s GB a year", st->label, gb);
    lp_sheet_put_note (sh, label, 1, 4, text, LP_BOM_NOTE_WIDTH);
  }
}

/* A site's items and subtotals; adds its counts and costs per kind to @count, @cost. */
static void
bom_site (LpSheet *sh, const LpPlan *plan, guint i, double count[KINDS], double cost[KINDS])
{
  const LpPlanSite *site = &g_array_index (plan->sites, LpPlanSite, i);
  const LpCandidate *c;
  const LpSiteSizing *z = lp_plan_site_sizing (plan, i, &c);
  lxw_row_t first = sh->row;
  double n[KINDS] = { 0 }, money[KINDS] = { 0 };
  g_autofree char *label = NULL;

  if (z->empty)
    return;
  for (guint j = sh->b->r->bom_first[i]; j < sh->b->r->bom_first[i + 1]; j++) {
    const LpBomLine *l = &g_array_index (sh->b->r->bom, LpBomLine, j);
    guint k = role_kind (l->r);
    bom_role_row (sh, site->name, l);
    n[k] += (double) l->count;
    money[k] += l->extended;
  }
  if (sh->b->r->bom_hosts_at[i] >= 0) {
    const LpBomHosts *l = &g_array_index (sh->b->r->bom_hosts, LpBomHosts,
                                          sh->b->r->bom_hosts_at[i]);
    bom_hosts_row (sh, site->name, l);
    n[HOST_KIND] += (double) l->count;
    money[HOST_KIND] += l->extended;
  }
  label = g_strdup_printf ("Subtotal, site %s", site->name);
  bom_kind_rows (sh, label, first, n, money);
  bom_note_rows (sh, site->name, i);
  bom_storage_rows (sh, plan, site->name, z);
  for (guint k = 0; k < KINDS; k++) {
    count[k] += n[k];
    cost[k] += money[k];
  }
}

/* The site's stores, below its notes: "Storage, site NAME", the store and
 * its GB a year (text: the Quantity column's subtotals count servers). */
void
lp_xlsx_bom (LpBook *b, const LpPlan *plan)
{
  static const char *const plain[] = { "Site", "Role", "Kind", "Quantity", "Reference hardware",
                                       NULL };
  static const double caps[] = { 30, 26, 0, 0, 40, 15, 15, 15, 24, -1 };
  const char *currency = b->r->currency ? b->r->currency : "";
  g_autofree char *hw = g_strdup_printf ("Hardware unit price (%s)", currency);
  g_autofree char *lic = g_strdup_printf ("Licence unit price (%s)", currency);
  g_autofree char *ext = g_strdup_printf ("Extended price (%s)", currency);
  const char *const priced[] = { "Site", "Role", "Kind", "Quantity", "Reference hardware",
                                 hw,     lic,    ext,    NULL };
  double count[KINDS] = { 0 }, cost[KINDS] = { 0 };
  LpSheet sh;
  lxw_row_t first_item;

  lp_sheet_open (b, &sh, "Bill of Materials");
  if (sh.ws == NULL)
    return;
  lp_sheet_set_caps (&sh, caps);
  lp_sheet_header (&sh, b->r->currency ? priced : plain);
  first_item = sh.row;
  for (guint i = 0; i < plan->sites->len; i++)
    bom_site (&sh, plan, i, count, cost);
  bom_kind_rows (&sh, "Total", first_item, count, cost);
  b->bom_total = sh.row;
  if (b->r->currency != NULL) {
    /* the Total rows, one a kind with items, the hosts' last: Total cost
     * adds the servers' kinds (the plan's cost), the hosts come after it */
    GString *sum = g_string_new ("=");
    gboolean hosts = count[HOST_KIND] > 0;
    guint kinds = (count[0] > 0) + (count[1] > 0) + (count[2] > 0);
    lxw_row_t totals = b->bom_total - kinds - hosts;
    for (guint k = 0; k < kinds; k++) {
      g_autofree char *ref = lp_xlsx_cell (totals + k, LP_BOM_EXTENDED);
      g_string_append_printf (sum, "%s%s", k ? "+" : "", ref);
    }
    if (kinds == 0)
      g_string_append (sum, "0");
    lp_sheet_put_text (&sh, 0, "Total cost", sh.b->bold);
    lp_sheet_put_formula (&sh, LP_BOM_EXTENDED, sum->str, plan->cost, sh.b->money);
    g_string_free (sum, TRUE);
    lp_sheet_next_row (&sh);
    if (hosts) {
      g_autofree char *servers = lp_xlsx_cell (b->bom_total, LP_BOM_EXTENDED);
      g_autofree char *host_total = lp_xlsx_cell (b->bom_total - 1, LP_BOM_EXTENDED);
      g_autofree char *with = g_strdup_printf ("=%s+%s", servers, host_total);
      lp_sheet_put_text (&sh, 0, "Total cost with the hosts", sh.b->bold);
      lp_sheet_put_formula (&sh, LP_BOM_EXTENDED, with, plan->cost + cost[HOST_KIND], sh.b->money);
      lp_sheet_next_row (&sh);
    }
  }
  lp_sheet_close (&sh);
}

/* ---- 3. Servers, 4. Pools and Pairing ---- */

void
lp_xlsx_servers (LpBook *b, const LpPlan *plan, const LpInventory *inv)
{
  static const char *const head[] = {
    "Name", "Site", "Pool", "Role", "Reference hardware", "Pairing partner", NULL
  };
  static const double caps[] = { 18, 18, 18, 26, 44, 18, -1 };
  LpSheet sh;

  lp_sheet_open (b, &sh, "Servers");
  if (sh.ws == NULL)
    return;
  lp_sheet_set_caps (&sh, caps);
  lp_sheet_header (&sh, head);
  for (guint i = 0; i < inv->servers->len; i++) {
    const LpServer *s = g_ptr_array_index (inv->servers, i);
    const LpRole *role = g_ptr_array_index (b->r->roles, s->role);
    lp_sheet_put_text (&sh, 0, s->name, NULL);
    lp_sheet_put_text (&sh, 1, g_array_index (plan->sites, LpPlanSite, s->site).name, NULL);
    lp_sheet_put_text (&sh, 2, s->pool, NULL);
    lp_sheet_put_text (&sh, 3, role->name, NULL);
    lp_sheet_put_text (&sh, 4, role->hardware, NULL);
    lp_sheet_put_text (&sh, 5, s->partner, NULL);
    lp_sheet_next_row (&sh);
  }
  lp_sheet_close (&sh);
}

static void
pool_row (LpSheet *sh, const LpPlan *plan, const LpPoolRow *p)
{
  g_autofree char *members = lp_pool_row_members (p);

  lp_sheet_put_text (sh, 0, p->name, NULL);
  lp_sheet_put_text (sh, 1, g_array_index (plan->sites, LpPlanSite, p->site).name, NULL);
  lp_sheet_put_text (sh, 2, p->kind, NULL);
  lp_sheet_put_num (sh, 3, (double) p->servers, sh->b->count);
  if (!isnan (p->users))
    lp_sheet_put_num (sh, 4, p->users, sh->b->count);
  if (!isnan (p->normal)) {
    /* a pool whose servers all stand by, and one server with no backup pool,
     * say why they carry nothing rather than a bare 0 */
    if (p->servers > 0 && p->standby == p->servers)
      lp_sheet_put_text (sh, 5, "0: on standby", NULL);
    else
      lp_sheet_put_num (sh, 5, p->normal, sh->b->count);
    if (p->down == LP_DOWN_NONE)
      lp_sheet_put_text (sh, 6, p->user_pool ? "0: no backup pool" : "0: no other server", NULL);
    else if (p->servers > 0 && p->standby == p->servers)
      lp_sheet_put_text (sh, 6, "0: on standby", NULL);
    else
      lp_sheet_put_num (sh, 6, p->one_down, sh->b->count);
    lp_sheet_put_text (sh, 7, p->unit, NULL);
  }
  lp_sheet_put_text (sh, 8, p->backup, NULL);
  lp_sheet_put_text (sh, 9, lp_pool_mode_to_string (p->mode), NULL);
  lp_sheet_put_text (sh, 10, members, NULL);
  lp_sheet_next_row (sh);
}

void
lp_xlsx_pools (LpBook *b, const LpReport *r)
{
  static const char *const head[] = { "Pool",
                                      "Site",
                                      "Edition or role",
                                      "Servers",
                                      "Users homed",
                                      "Carries in normal running",
                                      "Carries with one server down",
                                      "Counted in",
                                      "Backup pool",
                                      "Pairing",
                                      "Members",
                                      NULL };
  static const double caps[] = { 20, 12, 18, 0, 0, 11, 11, 8, 16, 16, 24, -1 };
  gboolean capped = FALSE;
  LpSheet sh;

  lp_sheet_open (b, &sh, "Pools and Pairing");
  if (sh.ws == NULL)
    return;
  lp_sheet_set_caps (&sh, caps);
  lp_sheet_header (&sh, head);
  for (guint k = 0; k < r->pools->len; k++) {
    const LpPoolRow *p = g_ptr_array_index (r->pools, k);
    pool_row (&sh, r->plan, p);
    capped |= p->capped;
  }
  lp_sheet_next_row (&sh);
  lp_sheet_put_note (&sh, "Capacity", 1, 10,
                     "what a pool's servers carry at its site: in normal running, and with one "
                     "of them down for a failure or a patch. A pool of one server with a backup "
                     "pool shows, with it down, what the survivor carries after the failover "
                     "(both servers' users); without a backup pool nothing carries its users. "
                     "Servers on standby carry nothing until an administrator activates them. "
                     "A pool without figures has no per-server capacity in this plan.",
                     LP_MERGED_WIDTH);
  if (capped) {
    lp_sheet_next_row (&sh);
    lp_sheet_put_note (&sh, NULL, 1, 10,
                       "A pool whose servers could carry more than its design's most users a "
                       "pool homes shows that most.",
                       LP_MERGED_WIDTH);
  }
  lp_sheet_close (&sh);
}
