/* lp-hosts.c: virtualisation hosts and the placement of virtual machines;
 * see lp-hosts.h. */
#include "lp-hosts.h"

#include <math.h>
#include <string.h>

#include "lp-engine.h"
#include "lp-error.h"
#include "lp-units.h"

/* Two anti-affinity groups a server at most: its pool's (or its role's at
 * the site), and a Standard Edition pair's. */
#define GROUPS_PER_VM 2

typedef struct {
  const LpServer *server;
  double cores, memory; /* with the hypervisor's overhead */
  guint group[GROUPS_PER_VM];
  guint n_groups;
} Vm;

typedef struct {
  guint cap;  /* its servers one host may hold */
  guint size; /* its servers at the site */
} Group;

/* One virtual site's placement under way. */
typedef struct {
  GArray *vms;             /* of Vm */
  GArray *groups;          /* of Group */
  GHashTable *group_index; /* key -> index + 1 */
  double host_cores, host_memory;
} Site;

static void
host_free (gpointer p)
{
  LpHost *h = p;
  g_free (h->name);
  g_ptr_array_unref (h->servers);
  g_free (h);
}

void
lp_hosts_free (LpHosts *h)
{
  if (h == NULL)
    return;
  g_ptr_array_unref (h->hosts);
  g_ptr_array_unref (h->physical);
  g_free (h->spread);
  g_free (h->at_site);
  g_free (h->spare_at_site);
  g_free (h->first_at_site);
  g_free (h);
}

static const LpRole *
role_at (const LpPlan *plan, guint role)
{
  return g_ptr_array_index (plan->rs->roles, role);
}

/* The value of site-scope input @key at plan site @i (its scenario site's). */
static double
site_input (const LpPlan *plan, guint i, const char *key)
{
  const LpInput *in = lp_ruleset_find_input (plan->rs, key);
  const LpPlanSite *s = &g_array_index (plan->sites, LpPlanSite, i);

  if (in == NULL)
    return 0;
  if (in->site_index < 0 || s->scenario < 0)
    return lp_plan_value (plan, key);
  return lp_site_value (plan->sc, g_ptr_array_index (plan->sc->sites, s->scenario), in, NULL);
}

/* Role @role's virtual processors and memory; FALSE when the rule set gives
 * it none (it is not a virtual machine). */
static gboolean
role_figures (const LpPlan *plan, guint role, double *cores, double *memory)
{
  const LpRole *r = role_at (plan, role);
  g_autofree char *c = g_strdup_printf ("vm-cores-%s", r->id);
  g_autofree char *m = g_strdup_printf ("vm-memory-gb-%s", r->id);

  if (r->appliance || r->reverse_proxy || lp_ruleset_find_var (plan->rs, c) == NULL ||
      lp_ruleset_find_var (plan->rs, m) == NULL)
    return FALSE;
  *cores = lp_plan_value (plan, c);
  *memory = lp_plan_value (plan, m);
  return TRUE;
}

/* A pool of @n servers: how many one host may hold so that its loss leaves
 * the quorum ([quorum must-run]; "k of the first m" gives m - k). */
static guint
quorum_cap (const LpRuleset *rs, guint n)
{
  guint k, m;

  if (n <= 1 || n > LP_QUORUM_MAX || rs->quorum.must_run[n] == 0)
    return 1;
  k = rs->quorum.must_run[n];
  m = rs->quorum.must_run_of_first[n] != 0 ? rs->quorum.must_run_of_first[n] : n;
  return m > k ? m - k : 1;
}

static guint
site_group (Site *st, const char *key, guint cap)
{
  gpointer found = g_hash_table_lookup (st->group_index, key);
  Group g = { .cap = MAX (cap, 1), .size = 0 };

  if (found != NULL)
    return GPOINTER_TO_UINT (found) - 1;
  g_array_append_val (st->groups, g);
  g_hash_table_insert (st->group_index, g_strdup (key), GUINT_TO_POINTER (st->groups->len));
  return st->groups->len - 1;
}

/* The anti-affinity groups of server @s (see lp_hosts_new()). */
static void
vm_groups (Site *st, const LpPlan *plan, const LpInventory *inv, GHashTable *pools, Vm *vm)
{
  const LpServer *s = vm->server;
  const LpCandidate *c;
  const LpPool *pool = s->pool ? g_hash_table_lookup (pools, s->pool) : NULL;
  g_autofree char *key = NULL;
  guint cap = 1;

  lp_plan_site_sizing (plan, s->site, &c);
  if (pool != NULL && s->role == c->tmpl->pools.role) {
    key = g_strdup_printf ("pool %s", pool->name);
    cap = quorum_cap (plan->rs, (guint) pool->servers);
  } else if (pool != NULL)
    key = g_strdup_printf ("per-pool %s", pool->name);
  else
    key = g_strdup_printf ("role %u", s->role);
  vm->group[vm->n_groups++] = site_group (st, key, cap);
  /* a Standard Edition pair: two single-server pools backing each other up */
  if (pool != NULL && s->role == c->tmpl->pools.role && pool->servers == 1 &&
      pool->mode == LP_POOL_SAME_SITE_PAIR && pool->backup != NULL) {
    g_autofree char *pair = strcmp (pool->name, pool->backup) < 0
                              ? g_strdup_printf ("pair %s %s", pool->name, pool->backup)
                              : g_strdup_printf ("pair %s %s", pool->backup, pool->name);
    vm->group[vm->n_groups++] = site_group (st, pair, 1);
  }
  (void) inv;
}

static gint
vm_compare (gconstpointer a, gconstpointer b)
{
  const Vm *x = a, *y = b;

  if (x->cores != y->cores)
    return x->cores > y->cores ? -1 : 1;
  if (x->memory != y->memory)
    return x->memory > y->memory ? -1 : 1;
  return 0;
}

/* Places @st's virtual machines on @n hosts (assign[i] the host of vm i);
 * FALSE when some does not fit. */
static gboolean
place (const Site *st, guint n, guint *assign)
{
  g_autofree double *cores = g_new0 (double, n);
  g_autofree double *memory = g_new0 (double, n);
  /* per group, servers on each host: groups x hosts, filled as placed */
  g_autoptr (GHashTable) counts = g_hash_table_new (g_direct_hash, g_direct_equal);
  guint cursor = 0;

  for (guint i = 0; i < st->vms->len; i++) {
    const Vm *vm = &g_array_index (st->vms, Vm, i);
    gboolean placed = FALSE;
    for (guint t = 0; !placed && t < n; t++) {
      guint h = (cursor + t) % n;
      gboolean ok = cores[h] + vm->cores <= st->host_cores + 1e-9 &&
                    memory[h] + vm->memory <= st->host_memory + 1e-9;
      for (guint g = 0; ok && g < vm->n_groups; g++) {
        gpointer key = GUINT_TO_POINTER (vm->group[g] * n + h + 1);
        ok = GPOINTER_TO_UINT (g_hash_table_lookup (counts, key)) <
             g_array_index (st->groups, Group, vm->group[g]).cap;
      }
      if (!ok)
        continue;
      for (guint g = 0; g < vm->n_groups; g++) {
        gpointer key = GUINT_TO_POINTER (vm->group[g] * n + h + 1);
        g_hash_table_insert (counts, key,
                             GUINT_TO_POINTER (
                               GPOINTER_TO_UINT (g_hash_table_lookup (counts, key)) + 1));
      }
      cores[h] += vm->cores;
      memory[h] += vm->memory;
      assign[i] = h;
      cursor = h + 1;
      placed = TRUE;
    }
    if (!placed)
      return FALSE;
  }
  return TRUE;
}

/* The fewest hosts the cores, the memory and the groups' caps allow. */
static guint
hosts_needed (const Site *st)
{
  double cores = 0, memory = 0;
  guint n = 1;

  for (guint i = 0; i < st->vms->len; i++) {
    cores += g_array_index (st->vms, Vm, i).cores;
    memory += g_array_index (st->vms, Vm, i).memory;
  }
  n = MAX (n, (guint) ceil (cores / st->host_cores - 1e-9));
  n = MAX (n, (guint) ceil (memory / st->host_memory - 1e-9));
  for (guint g = 0; g < st->groups->len; g++) {
    const Group *gr = &g_array_index (st->groups, Group, g);
    n = MAX (n, (gr->size + gr->cap - 1) / gr->cap);
  }
  return n;
}

static LpHost *
host_new (LpHosts *out, const LpPlan *plan, const LpInventory *inv, guint site, guint number,
          const Site *st, GError **error)
{
  const LpRuleVar *max = lp_ruleset_find_var (plan->rs, "computer-name-max");
  const LpSetting *set = lp_scenario_find_setting (plan->sc, "computer-name-max");
  guint limit = set ? (guint) set->value : max ? (guint) max->value : G_MAXUINT;
  LpHost *h = g_new0 (LpHost, 1);

  h->name = g_strdup_printf ("vmh%02u-%s", number,
                             (const char *) g_ptr_array_index (inv->site_tokens, site));
  h->site = site;
  h->cores = site_input (plan, site, "vm-host-cores");
  h->memory_gb = site_input (plan, site, "vm-host-memory-gb");
  h->servers = g_ptr_array_new ();
  g_ptr_array_add (out->hosts, h);
  if (g_utf8_strlen (h->name, -1) > (glong) limit) {
    g_set_error (error, LP_ERROR, LP_ERROR_USAGE,
                 "host name '%s' is longer than computer-name-max (%u characters): shorten "
                 "the site's name",
                 h->name, limit);
    return NULL;
  }
  (void) st;
  return h;
}

/* The first virtual machine of @st too big for an empty host, or NULL. */
static const Vm *
too_big (const Site *st)
{
  for (guint i = 0; i < st->vms->len; i++) {
    const Vm *vm = &g_array_index (st->vms, Vm, i);
    if (vm->cores > st->host_cores + 1e-9 || vm->memory > st->host_memory + 1e-9)
      return vm;
  }
  return NULL;
}

static gboolean
fail_too_big (const LpPlan *plan, guint site, const Site *st, const Vm *vm, double overhead,
              GError **error)
{
  const LpRole *r = role_at (plan, vm->server->role);
  g_autofree char *c = lp_format_decimal (vm->cores, 1);
  g_autofree char *m = lp_format_decimal (vm->memory, 1);
  g_autofree char *o = lp_format_decimal (overhead, 1);
  g_autofree char *hc = lp_format_decimal (site_input (plan, site, "vm-host-cores"), 0);
  g_autofree char *hm = lp_format_decimal (site_input (plan, site, "vm-host-memory-gb"), 0);

  const LpPlanSite *ps = &g_array_index (plan->sites, LpPlanSite, site);
  const LpSite *given = ps->scenario >= 0 ? g_ptr_array_index (plan->sc->sites, ps->scenario)
                                          : NULL;

  g_set_error (error, LP_ERROR, LP_ERROR_INPUT,
               "%s vm-host-cores: no host of site %s can run a %s (%s, role %s): it needs %s "
               "cores and %s GB with the hypervisor's %s%% overhead, a host has vm-host-cores %s "
               "and vm-host-memory-gb %s",
               given != NULL && given->where != NULL ? given->where : "scenario:", ps->name,
               r->name, vm->server->name, r->id, c, m, o, hc, hm);
  (void) st;
  return FALSE;
}

/* Places site @i's virtual machines; adds its hosts to @out. */
static gboolean
place_site (LpHosts *out, const LpPlan *plan, const LpInventory *inv, GHashTable *pools, guint i,
            GError **error)
{
  Site st = { 0 };
  g_autofree guint *assign = NULL;
  guint n, first = out->hosts->len;
  double factor = 1 + out->overhead / 100;
  gboolean ok = TRUE;
  const Vm *big;

  st.vms = g_array_new (FALSE, TRUE, sizeof (Vm));
  st.groups = g_array_new (FALSE, TRUE, sizeof (Group));
  st.group_index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  st.host_cores = site_input (plan, i, "vm-host-cores");
  st.host_memory = site_input (plan, i, "vm-host-memory-gb");
  for (guint k = 0; k < inv->servers->len; k++) {
    const LpServer *s = g_ptr_array_index (inv->servers, k);
    Vm vm = { .server = s };
    if (s->site != i)
      continue;
    if (!role_figures (plan, s->role, &vm.cores, &vm.memory)) {
      g_ptr_array_add (out->physical, (gpointer) s);
      continue;
    }
    vm.cores *= factor;
    vm.memory *= factor;
    vm_groups (&st, plan, inv, pools, &vm);
    for (guint g = 0; g < vm.n_groups; g++)
      g_array_index (st.groups, Group, vm.group[g]).size++;
    g_array_append_val (st.vms, vm);
  }
  g_array_sort (st.vms, vm_compare); /* stable in practice: glib's is a merge sort */
  big = too_big (&st);
  if (big != NULL)
    ok = fail_too_big (plan, i, &st, big, out->overhead, error);
  if (ok && st.vms->len > 0) {
    assign = g_new0 (guint, st.vms->len);
    /* each virtual machine alone on a host always fits: at most that many */
    guint tries = 0;
    /* a few hosts more at most, then one each: bounded work on any input */
    for (n = hosts_needed (&st); n < st.vms->len && tries < 16 && !place (&st, n, assign); n++)
      tries++;
    if (tries == 16)
      n = st.vms->len;
    if (n >= st.vms->len) {
      n = st.vms->len;
      for (guint k = 0; k < n; k++)
        assign[k] = k;
    }
    for (guint h = 0; ok && h < n; h++)
      ok = host_new (out, plan, inv, i, h + 1, &st, error) != NULL;
    for (guint k = 0; ok && k < st.vms->len; k++) {
      const Vm *vm = &g_array_index (st.vms, Vm, k);
      LpHost *h = g_ptr_array_index (out->hosts, first + assign[k]);
      g_ptr_array_add (h->servers, (gpointer) vm->server);
      h->cores_used += vm->cores / factor;
      h->memory_used += vm->memory / factor;
    }
    for (guint s = 0; ok && s < (guint) lp_plan_value (plan, "vm-spare-hosts"); s++) {
      LpHost *h = host_new (out, plan, inv, i, n + s + 1, &st, error);
      ok = h != NULL;
      if (ok)
        h->spare = TRUE;
    }
  }
  g_array_unref (st.vms);
  g_array_unref (st.groups);
  g_hash_table_unref (st.group_index);
  return ok;
}

/* The counted downtime of users inside, minutes a year: the worst site of
 * any group's chosen design. */
static double
worst_internal (const LpPlan *plan)
{
  double worst = 0;

  for (guint g = 0; g < plan->groups->len; g++) {
    const LpGroup *group = &g_array_index (plan->groups, LpGroup, g);
    const LpCandidate *c = lp_plan_group_choice (plan, g);
    for (guint i = 0; i < group->n_sites; i++)
      if (!c->sites[i].empty && c->sites[i].avail != NULL)
        worst = MAX (worst, c->sites[i].downtime[0]); /* users inside */
  }
  return worst;
}

/* Plans the scenario again with hosts that never fail, for the comparison. */
static void
compare_availability (LpHosts *out, const LpPlan *plan)
{
  g_autoptr (LpScenario) sc = NULL;
  g_autoptr (LpPlan) other = NULL;
  g_autoptr (GError) error = NULL;

  if (out->hosts->len == 0 || plan->rs->avail_year == NULL ||
      lp_ruleset_find_var (plan->rs, "host-failures-per-year") == NULL)
    return;
  sc = lp_scenario_copy (plan->sc);
  if (!lp_scenario_add_set_flag (sc, "host-failures-per-year=0", &error) ||
      !lp_scenario_resolve (sc, plan->rs, &error) ||
      (other = lp_engine_plan (plan->rs, sc, FALSE, &error)) == NULL)
    return; /* the plan itself planned: nothing here can fail but a bug */
  out->compared = TRUE;
  out->year = lp_plan_value (plan, "minutes-per-year");
  out->downtime = worst_internal (plan);
  out->downtime_no_host = worst_internal (other);
  out->one_host_minutes = lp_plan_value (plan, "host-failures-per-year") *
                          lp_plan_value (plan, "host-repair-time");
}

LpHosts *
lp_hosts_new (const LpPlan *plan, const LpInventory *inv, GError **error)
{
  g_autoptr (LpHosts) out = g_new0 (LpHosts, 1);
  g_autoptr (GHashTable) pools = g_hash_table_new (g_str_hash, g_str_equal);

  out->hosts = g_ptr_array_new_with_free_func (host_free);
  out->physical = g_ptr_array_new ();
  out->spread = lp_ruleset_say (
    plan->rs, "every pool its quorum, a Back End its primary, mirror or witness, a Standard "
              "Edition pair a server, and an Edge, Director, Office Web Apps or Mediation pool "
              "all but one server");
  out->overhead = lp_ruleset_find_var (plan->rs, "hypervisor-overhead") != NULL
                    ? lp_plan_value (plan, "hypervisor-overhead")
                    : 0;
  for (guint k = 0; k < inv->pools->len; k++) {
    const LpPool *p = g_ptr_array_index (inv->pools, k);
    g_hash_table_insert (pools, p->name, (gpointer) p);
  }
  for (guint i = 0; i < plan->sites->len; i++) {
    if (site_input (plan, i, "virtual") == 0)
      continue;
    if (!place_site (out, plan, inv, pools, i, error))
      return NULL;
  }
  compare_availability (out, plan);
  out->n_sites = plan->sites->len;
  out->at_site = g_new0 (guint, MAX (out->n_sites, 1));
  out->spare_at_site = g_new0 (guint, MAX (out->n_sites, 1));
  out->first_at_site = g_new0 (guint, MAX (out->n_sites, 1));
  for (guint k = 0; k < out->hosts->len; k++) {
    const LpHost *h = g_ptr_array_index (out->hosts, k);
    if (out->at_site[h->site]++ == 0)
      out->first_at_site[h->site] = k;
    out->spare_at_site[h->site] += h->spare;
  }
  if (plan->sc->prices != NULL && plan->sc->prices->host_priced) {
    out->priced = TRUE;
    out->hardware = plan->sc->prices->host_hardware;
    out->licence = plan->sc->prices->host_licence;
    out->unit_price = out->hardware + out->licence;
    out->cost = out->unit_price * (double) out->hosts->len;
  }
  return g_steal_pointer (&out);
}

/* Adds one to @key's count in @t. */
static guint
count_up (GHashTable *t, const char *key)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (t, key)) + 1;
  g_hash_table_insert (t, g_strdup (key), GUINT_TO_POINTER (n));
  return n;
}

static char *
rule_key (const LpPlan *plan, const LpServer *s, GHashTable *pools)
{
  const LpCandidate *c;
  const LpPool *pool = s->pool ? g_hash_table_lookup (pools, s->pool) : NULL;

  lp_plan_site_sizing (plan, s->site, &c);
  if (pool != NULL && s->role == c->tmpl->pools.role)
    return g_strdup_printf ("pool %s", pool->name);
  if (pool != NULL)
    return g_strdup_printf ("per-pool %s", pool->name);
  return g_strdup_printf ("role %u site %u", s->role, s->site);
}

/* Checks that losing host @h keeps every rule; @size counts each key's
 * virtual machines, @rank each pool-role server's place in its pool. */
static gboolean
verify_host (const LpHost *h, const LpPlan *plan, GHashTable *pools, GHashTable *size,
             GHashTable *rank, double factor, GError **error)
{
  g_autoptr (GHashTable) lost = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) lost_first = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const LpQuorum *q = &plan->rs->quorum;

  if (h->cores_used * factor > h->cores + 1e-6 || h->memory_used * factor > h->memory_gb + 1e-6) {
    g_set_error (error, LP_ERROR, LP_ERROR_INPUT, "host %s: more than it has", h->name);
    return FALSE;
  }
  for (guint k = 0; k < h->servers->len; k++) {
    const LpServer *s = g_ptr_array_index (h->servers, k);
    g_autofree char *key = rule_key (plan, s, pools);
    guint n = GPOINTER_TO_UINT (g_hash_table_lookup (size, key));
    guint gone = count_up (lost, key);
    const LpPool *pool = s->pool ? g_hash_table_lookup (pools, s->pool) : NULL;
    gboolean ok = n < 2 || gone < 2;
    if (g_str_has_prefix (key, "pool ")) {
      guint must = n <= LP_QUORUM_MAX ? q->must_run[n] : 0;
      guint m = n <= LP_QUORUM_MAX && q->must_run_of_first[n] ? q->must_run_of_first[n] : n;
      guint place = GPOINTER_TO_UINT (g_hash_table_lookup (rank, s->name));
      guint gone_first = place <= m ? count_up (lost_first, key) : 0;
      ok = must == 0 ? n < 2 || gone < n : m - MIN (m, gone_first) >= must && n - gone >= must;
      /* a single-server pool paired in its site: its partner must not be here */
      for (guint j = 0; ok && n == 1 && pool != NULL && pool->mode == LP_POOL_SAME_SITE_PAIR &&
                        pool->backup != NULL && j < h->servers->len;
           j++) {
        const LpServer *o = g_ptr_array_index (h->servers, j);
        ok = o->pool == NULL || strcmp (o->pool, pool->backup) != 0;
      }
    }
    if (!ok) {
      g_set_error (error, LP_ERROR, LP_ERROR_INPUT, "losing host %s breaks %s (%s)", h->name, key,
                   s->name);
      return FALSE;
    }
  }
  return TRUE;
}

gboolean
lp_hosts_verify (const LpHosts *h, const LpPlan *plan, const LpInventory *inv, GError **error)
{
  g_autoptr (GHashTable) pools = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) size = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) rank = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) placed = g_hash_table_new (g_direct_hash, g_direct_equal);
  double factor = 1 + h->overhead / 100;

  for (guint k = 0; k < inv->pools->len; k++) {
    const LpPool *p = g_ptr_array_index (inv->pools, k);
    g_hash_table_insert (pools, p->name, (gpointer) p);
  }
  for (guint k = 0; k < h->hosts->len; k++) {
    const LpHost *host = g_ptr_array_index (h->hosts, k);
    for (guint j = 0; j < host->servers->len; j++)
      g_hash_table_add (placed, g_ptr_array_index (host->servers, j));
  }
  /* each key's servers, and each pool-role server's place in its pool (inventory order) */
  for (guint k = 0; k < inv->servers->len; k++) {
    const LpServer *s = g_ptr_array_index (inv->servers, k);
    g_autofree char *key = NULL;
    guint n;
    if (!g_hash_table_contains (placed, s))
      continue;
    key = rule_key (plan, s, pools);
    n = count_up (size, key);
    g_hash_table_insert (rank, s->name, GUINT_TO_POINTER (n));
  }
  for (guint k = 0; k < h->hosts->len; k++)
    if (!verify_host (g_ptr_array_index (h->hosts, k), plan, pools, size, rank, factor, error))
      return FALSE;
  return TRUE;
}
