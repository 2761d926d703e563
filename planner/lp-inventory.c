/* lp-inventory.c: named servers and pools; see lp-inventory.h. */
#include "lp-inventory.h"

#include <string.h>

#include "lp-error.h"

static void
server_free (gpointer p)
{
  LpServer *s = p;
  g_free (s->name);
  g_free (s->pool);
  g_free (s->partner);
  g_free (s);
}

static void
pool_free (gpointer p)
{
  LpPool *pool = p;
  g_free (pool->name);
  g_free (pool->backup);
  g_free (pool);
}

void
lp_inventory_free (LpInventory *inv)
{
  if (inv == NULL)
    return;
  g_ptr_array_unref (inv->servers);
  g_ptr_array_unref (inv->pools);
  g_free (inv);
}

const char *
lp_pool_mode_to_string (LpPoolMode mode)
{
  static const char *const names[] = { "not paired", "same-site pair", "cross-site pair" };

  g_return_val_if_fail ((guint) mode < G_N_ELEMENTS (names), NULL);
  return names[mode];
}

char *
lp_site_token (const char *site)
{
  GString *s = g_string_new (NULL);

  for (const char *p = site; *p != '\0'; p++) {
    if (g_ascii_isalnum (*p))
      g_string_append_c (s, g_ascii_tolower (*p));
    else if (s->len > 0 && s->str[s->len - 1] != '-')
      g_string_append_c (s, '-');
  }
  while (s->len > 0 && s->str[s->len - 1] == '-')
    g_string_truncate (s, s->len - 1);
  if (s->len == 0)
    g_string_append (s, "site");
  return g_string_free (s, FALSE);
}

typedef struct {
  const LpPlan *plan;
  const char *pattern;
  guint max_length;
  GHashTable *taken;      /* name -> site name */
  GPtrArray **pool_names; /* per plan site: names of its pools */
  LpInventory *inv;
  GError *too_long; /* nullable: the first name past max_length */
} LpNaming;

static gboolean
expand (const LpNaming *nm, const char *role, guint n, const char *site, GString *out,
        GError **error)
{
  g_autofree char *token = lp_site_token (site);

  g_string_truncate (out, 0);
  for (const char *p = nm->pattern; *p != '\0'; p++) {
    const char *close = *p == '{' ? strchr (p, '}') : NULL;
    g_autofree char *key = close ? g_strndup (p + 1, (gsize) (close - p - 1)) : NULL;

    if (*p != '{') {
      g_string_append_c (out, *p);
      continue;
    }
    if (key != NULL && strcmp (key, "role") == 0)
      g_string_append (out, role);
    else if (key != NULL && strcmp (key, "nn") == 0)
      g_string_append_printf (out, "%02u", n);
    else if (key != NULL && strcmp (key, "n") == 0)
      g_string_append_printf (out, "%u", n);
    else if (key != NULL && strcmp (key, "site") == 0)
      g_string_append (out, token);
    else {
      g_set_error (error, LP_ERROR, LP_ERROR_USAGE,
                   "--naming '%s': unknown placeholder '%s': use {role}, {nn}, {n} and {site}",
                   nm->pattern, close ? key : p);
      return FALSE;
    }
    p = close;
  }
  return TRUE;
}

static char *
make_name (LpNaming *nm, const char *role, guint n, const char *site, GError **error)
{
  g_autoptr (GString) name = g_string_new (NULL);

  if (!expand (nm, role, n, site, name, error))
    return NULL;
  if (name->len == 0) {
    g_set_error (error, LP_ERROR, LP_ERROR_USAGE,
                 "--naming '%s' gives an empty server name: use {role}, {nn}, {n} and {site}, "
                 "as in the default %s",
                 nm->pattern, LP_DEFAULT_NAMING);
    return NULL;
  }
  /* reported once every name is made: any other error comes first */
  if (name->len > nm->max_length && nm->too_long == NULL) {
    g_set_error (&nm->too_long, LP_ERROR, LP_ERROR_USAGE,
                 "--naming '%s': the server name '%s' (site %s) has %u characters; Windows "
                 "computer names take at most %u (computer-name-max): shorten the site name or the "
                 "pattern",
                 nm->pattern, name->str, site, (guint) name->len, nm->max_length);
  }
  if (g_hash_table_contains (nm->taken, name->str)) {
    g_set_error (error, LP_ERROR, LP_ERROR_USAGE,
                 "--naming '%s' gives two servers the name '%s': include {nn} and {site}",
                 nm->pattern, name->str);
    return NULL;
  }
  g_hash_table_add (nm->taken, g_strdup (name->str));
  return g_string_free (g_steal_pointer (&name), FALSE);
}

static const LpRole *
role_at (const LpPlan *plan, guint r)
{
  return g_ptr_array_index (plan->rs->roles, r);
}

/* Names every server of site @i, in role order, and its pools. */
static gboolean
name_site (LpNaming *nm, guint i, GError **error)
{
  const LpPlanSite *site = &g_array_index (nm->plan->sites, LpPlanSite, i);
  const LpCandidate *c;
  const LpSiteSizing *z = lp_plan_site_sizing (nm->plan, i, &c);
  const LpPoolRule *pr = &c->tmpl->pools;

  nm->pool_names[i] = g_ptr_array_new_with_free_func (g_free);
  for (guint r = 0; !z->empty && r < nm->plan->rs->roles->len; r++) {
    for (guint j = 0; j < z->roles[r]; j++) {
      LpServer *s = g_new0 (LpServer, 1);
      s->site = i;
      s->role = r;
      g_ptr_array_add (nm->inv->servers, s);
      s->name = make_name (nm, role_at (nm->plan, r)->short_name, j + 1, site->name, error);
      if (s->name == NULL)
        return FALSE;
      if (r == pr->role && pr->count == NULL)
        g_ptr_array_add (nm->pool_names[i], g_strdup (s->name));
    }
  }
  for (guint k = 0; pr->count != NULL && k < z->pools; k++) {
    char *name = make_name (nm, "pool", k + 1, site->name, error);
    if (name == NULL)
      return FALSE;
    g_ptr_array_add (nm->pool_names[i], name);
  }
  return TRUE;
}

/* The pool that takes over pool @k of site @i, or NULL. */
static const char *
backup_of (const LpNaming *nm, guint i, guint k, LpPoolMode *mode)
{
  const LpPlanSite *site = &g_array_index (nm->plan->sites, LpPlanSite, i);
  const LpCandidate *c;
  const LpSiteSizing *z = lp_plan_site_sizing (nm->plan, i, &c);
  const GPtrArray *own = nm->pool_names[i];

  *mode = LP_POOL_NOT_PAIRED;
  if (z->same_site_pairs) {
    guint other = k % 2 == 0 ? k + 1 : k - 1;
    *mode = LP_POOL_SAME_SITE_PAIR;
    return other < own->len ? g_ptr_array_index (own, other) : NULL;
  }
  if (z->paired && site->partner >= 0) {
    const GPtrArray *theirs = nm->pool_names[site->partner];
    *mode = LP_POOL_CROSS_SITE_PAIR;
    return k < theirs->len ? g_ptr_array_index (theirs, k) : NULL;
  }
  return NULL;
}

static void
add_pools (LpNaming *nm, guint i)
{
  const LpCandidate *c;
  const LpSiteSizing *z = lp_plan_site_sizing (nm->plan, i, &c);

  for (guint k = 0; k < nm->pool_names[i]->len; k++) {
    LpPool *p = g_new0 (LpPool, 1);
    const char *backup = backup_of (nm, i, k, &p->mode);
    p->name = g_strdup (g_ptr_array_index (nm->pool_names[i], k));
    p->site = i;
    p->edition = c->tmpl->edition;
    p->role = c->tmpl->pools.role;
    p->servers = z->roles[p->role] / MAX (z->pools, 1);
    p->users = z->pool_users;
    p->capacity = z->pool_capacity;
    p->backup = g_strdup (backup);
    g_ptr_array_add (nm->inv->pools, p);
  }
}

/* Puts servers of the pool role and of per-pool roles into pools, evenly,
 * and names the pool or server that takes over their users. */
static void
assign_pools (LpNaming *nm)
{
  guint n_roles = nm->plan->rs->roles->len;
  g_autofree guint *seen = g_new0 (guint, n_roles); /* servers of each role met at this site */
  guint site = G_MAXUINT;

  for (guint i = 0; i < nm->inv->servers->len; i++) {
    LpServer *s = g_ptr_array_index (nm->inv->servers, i);
    const LpCandidate *c;
    const LpSiteSizing *z = lp_plan_site_sizing (nm->plan, s->site, &c);
    const GPtrArray *pools = nm->pool_names[s->site];
    gboolean pooled = s->role == c->tmpl->pools.role || role_at (nm->plan, s->role)->per_pool;
    guint k;
    LpPoolMode mode;

    if (s->site != site) {
      memset (seen, 0, n_roles * sizeof (guint));
      site = s->site;
    }
    k = (guint) ((guint64) seen[s->role]++ * pools->len / MAX (z->roles[s->role], 1));
    if (!pooled || pools->len == 0)
      continue;
    s->pool = g_strdup (g_ptr_array_index (pools, k));
    if (s->role == c->tmpl->pools.role)
      s->partner = g_strdup (backup_of (nm, s->site, k, &mode));
  }
}

LpInventory *
lp_inventory_new (const LpPlan *plan, const char *pattern, gboolean strict, GError **error)
{
  const LpRuleVar *max = lp_ruleset_find_var (plan->rs, "computer-name-max");
  const LpSetting *set = lp_scenario_find_setting (plan->sc, "computer-name-max");
  guint n = plan->sites->len;
  LpNaming nm = { .plan = plan, .pattern = pattern ? pattern : LP_DEFAULT_NAMING };
  LpInventory *inv = g_new0 (LpInventory, 1);
  gboolean ok = TRUE;

  if (!lp_scenario_check_text (nm.pattern, "--naming:", error)) {
    g_free (inv);
    return NULL;
  }
  inv->servers = g_ptr_array_new_with_free_func (server_free);
  inv->pools = g_ptr_array_new_with_free_func (pool_free);
  nm.inv = inv;
  nm.max_length = !strict ? G_MAXUINT
                  : set   ? (guint) set->value
                  : max   ? (guint) max->value
                          : G_MAXUINT;
  nm.taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  nm.pool_names = g_new0 (GPtrArray *, n);
  for (guint i = 0; ok && i < n; i++)
    ok = name_site (&nm, i, error);
  for (guint i = 0; ok && i < n; i++)
    add_pools (&nm, i);
  if (ok)
    assign_pools (&nm);
  if (ok && nm.too_long != NULL) {
    g_propagate_error (error, g_steal_pointer (&nm.too_long));
    ok = FALSE;
  }
  g_clear_error (&nm.too_long);
  for (guint i = 0; i < n; i++)
    if (nm.pool_names[i] != NULL)
      g_ptr_array_unref (nm.pool_names[i]);
  g_free (nm.pool_names);
  g_hash_table_unref (nm.taken);
  if (!ok)
    g_clear_pointer (&inv, lp_inventory_free);
  return inv;
}
