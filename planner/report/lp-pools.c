/* lp-pools.c: the pools a deliverable lists; see lp-pools.h. */
#include "lp-pools.h"

#include <math.h>
#include <string.h>

static void
row_free (gpointer p)
{
  LpPoolRow *row = p;
  g_free (row->name);
  g_free (row);
}

static const LpRole *
role_of (const LpPlan *plan, guint r)
{
  return g_ptr_array_index (plan->rs->roles, r);
}

/* The role a pool node lists: its inventory pool's, else the first of its
 * servers' when that role names its pool; G_MAXUINT for another node. */
static guint
pool_role (const LpPlan *plan, const LpTopoNode *n)
{
  const LpTopoNode *first;

  if (n->kind != LP_TOPO_POOL || n->members->len == 0)
    return G_MAXUINT;
  if (n->pool_row != NULL)
    return n->pool_row->role;
  first = g_ptr_array_index (n->members, 0);
  return n->endpoint->per == LP_PER_SITE && role_of (plan, first->role)->pool != NULL ? first->role
                                                                                      : G_MAXUINT;
}

/* What its servers carry: its carrying servers x capacity, one fewer with
 * one of them down (a one-server pool's backup survivor, or nothing), at
 * most @limit, in whole units. */
static void
set_capacity (LpPoolRow *row, const LpPlan *plan, guint role, double limit)
{
  const LpCandidate *c;
  const LpSiteSizing *z = lp_plan_site_sizing (plan, row->site, &c);
  const LpRoleCapacity *cap = z->role_capacity != NULL ? &z->role_capacity[role] : NULL;
  double carrying;

  row->normal = row->one_down = NAN;
  row->down = LP_DOWN_OTHERS;
  if (cap == NULL || isnan (cap->each))
    return;
  row->unit = role_of (plan, role)->capacity_unit;
  carrying = isnan (cap->servers) ? (double) row->servers
                                  : MIN ((double) row->servers, floor (cap->servers));
  row->standby = row->servers - (guint64) carrying;
  /* whole users or calls: a server's share of a pool figure may be a fraction */
  row->normal = floor (MIN (carrying * cap->each, limit));
  row->capped = carrying * cap->each > limit;
  if (row->servers == 1 && row->backup != NULL && !isnan (cap->failover)) {
    row->down = LP_DOWN_FAILOVER;
    row->one_down = floor (cap->failover);
  } else if (row->servers <= 1) {
    row->down = LP_DOWN_NONE;
    row->one_down = 0;
  } else {
    /* the worst case loses a carrying server; a standby one is activated by hand */
    row->one_down = floor (MIN (MAX (carrying - 1, 0) * cap->each, limit));
  }
}

static LpPoolRow *
row_new (const LpPlan *plan, const LpTopoNode *n, guint role)
{
  LpPoolRow *row = g_new0 (LpPoolRow, 1);
  const LpRole *r = role_of (plan, role);

  row->site = (guint) n->site;
  row->node = n->id;
  row->pool = n;
  row->role = role;
  row->user_pool = n->pool_row != NULL;
  for (guint k = 0; k < n->members->len; k++)
    row->servers += ((const LpTopoNode *) g_ptr_array_index (n->members, k))->role == role;
  if (n->pool_row != NULL) {
    const LpPool *p = n->pool_row;
    row->name = g_strdup (p->name);
    row->kind = lp_ruleset_find_edition (plan->rs, p->edition)->name;
    row->users = p->users;
    row->backup = p->backup;
    row->mode = p->mode;
    set_capacity (row, plan, role, p->capacity);
    return row;
  }
  row->name = n->fqdn != NULL ? g_strndup (n->fqdn, strcspn (n->fqdn, ".")) : g_strdup (r->pool);
  row->kind = r->name;
  row->users = NAN;
  row->mode = LP_POOL_NOT_PAIRED;
  set_capacity (row, plan, role, INFINITY);
  return row;
}

GPtrArray *
lp_pool_rows_new (const LpPlan *plan, const LpTopology *t)
{
  guint n_sites = plan->sites->len;
  g_autofree GPtrArray **by_site = g_new0 (GPtrArray *, 2 * n_sites);
  GPtrArray *rows = g_ptr_array_new_with_free_func (row_free);

  /* two lists a site: its user pools, then the others, each in model order */
  for (guint i = 0; i < t->pools->len; i++) {
    const LpTopoNode *n = g_ptr_array_index (t->pools, i);
    guint role = pool_role (plan, n);
    guint list;
    if (role == G_MAXUINT || n->site < 0)
      continue;
    list = 2 * (guint) n->site + (n->pool_row != NULL ? 0 : 1);
    if (by_site[list] == NULL)
      by_site[list] = g_ptr_array_new ();
    g_ptr_array_add (by_site[list], row_new (plan, n, role));
  }
  for (guint k = 0; k < 2 * n_sites; k++) {
    for (guint i = 0; by_site[k] != NULL && i < by_site[k]->len; i++)
      g_ptr_array_add (rows, g_ptr_array_index (by_site[k], i));
    if (by_site[k] != NULL)
      g_ptr_array_unref (by_site[k]);
  }
  return rows;
}

char *
lp_pool_row_members (const LpPoolRow *row)
{
  GString *members = g_string_new (NULL);

  for (guint k = 0; k < row->pool->members->len; k++) {
    const LpTopoNode *s = g_ptr_array_index (row->pool->members, k);
    if (s->role != row->role)
      continue;
    if (members->len > 0)
      g_string_append (members, ", ");
    g_string_append (members, s->name);
  }
  return g_string_free (members, FALSE);
}
