/* lp-write-diagram.c: the topology diagram. We write the DOT text; Graphviz's
 * dot, run as a child process (argv, no shell, a bounded time), lays it out
 * and renders it: SVG through its core renderer (names stay <text>), PNG
 * through cairo. See docs/decisions.md, "The pipeline in detail". */
#include <errno.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lp-error.h"
#include "lp-units.h"
#include "lp-write.h"

#define DOT_SECONDS 60 /* dot lays out a few dozen nodes in milliseconds */
/* The address space dot may take: a layout of hundreds of nodes needs tens of
 * megabytes; 10,000 of them once took 6.8 GB (issue 24) */
#define DOT_MEMORY_MB 1024
#define DOT_STDERR_MAX 4096u /* bytes of dot's standard error kept for the message */

const char *
lp_diagram_renderer (const char *path, GError **error)
{
  if (g_str_has_suffix (path, ".svg"))
    return "-Tsvg";
  if (g_str_has_suffix (path, ".png"))
    return "-Tpng:cairo";
  g_set_error (error, LP_ERROR, LP_ERROR_USAGE,
               "--diagram: expected FILE.svg or FILE.png, got '%s'", path);
  return NULL;
}

/* @text as a DOT string's contents: quotes and backslashes escaped. */
static void
dot_text (GString *s, const char *text)
{
  for (const char *p = text; *p != '\0'; p++) {
    if (*p == '"' || *p == '\\')
      g_string_append_c (s, '\\');
    if (*p != '\n' && *p != '\r')
      g_string_append_c (s, *p);
  }
}

/* "failover: manual, 2h35m": the site-loss row of the resilience review. */
static char *
failover_text (const LpReport *r, guint site)
{
  const LpSiteSizing *z = lp_plan_site_sizing (r->plan, site, NULL);
  const LpFailureResult *f;
  g_autofree char *rto = NULL;

  if (z->empty || (f = lp_site_failure (z, z->site_row)) == NULL)
    return g_strdup ("failover");
  rto = lp_format_duration (f->rto);
  return g_strdup_printf ("failover: %s, %s", f->automatic ? "automatic" : "manual", rto);
}

/* ---- the detail view: the topology model's nodes and its relations ---- */

/* By host, a pool whose servers run on hosts is not drawn: its relations
 * go to the first of its servers (@n's stand-in), which is. */
typedef struct {
  GHashTable *stand_in; /* LpTopoNode (a pool) -> LpTopoNode (its first server) */
  GHashTable *on_host;  /* LpTopoNode: the servers drawn on their hosts */
} ByHost;
/* while one diagram is made by host (lp_diagram_dot()), in the thread making it */
static _Thread_local ByHost *by_host;

/* @n's DOT id: its model id, unique in the model (its stand-in's by host). */
static void
node_ref (GString *s, const LpTopoNode *n)
{
  const LpTopoNode *v = by_host != NULL ? g_hash_table_lookup (by_host->stand_in, n) : NULL;

  g_string_append_c (s, '"');
  dot_text (s, v != NULL ? v->id : n->id);
  g_string_append_c (s, '"');
}

/* A line of a node's label, unless it repeats the one before. */
static void
label_line (GString *s, const char *text, const char **last)
{
  if (text == NULL || (*last != NULL && strcmp (*last, text) == 0))
    return;
  if (*last != NULL)
    g_string_append (s, "\\n");
  dot_text (s, text);
  *last = text;
}

/* One node of the model: its label, its name and FQDN where they differ,
 * then its servers, one a line: every name the model's. */
static void
model_node (GString *s, const LpTopoNode *n, const char *indent)
{
  const char *last = NULL;

  g_string_append (s, indent);
  node_ref (s, n);
  g_string_append (s, " [label=\"");
  label_line (s, n->label, &last);
  /* a node without a name of its own is named by its id: not a name to show */
  if (n->name != NULL && strcmp (n->name, n->id) != 0 && g_strcmp0 (n->name, n->fqdn) != 0)
    label_line (s, n->name, &last);
  label_line (s, n->fqdn, &last);
  for (guint i = 0; i < n->members->len; i++) {
    const LpTopoNode *m = g_ptr_array_index (n->members, i);
    if (g_strcmp0 (m->name, n->name) != 0)
      label_line (s, m->name, &last);
  }
  g_string_append_c (s, '"');
  if (n->endpoint != NULL && n->endpoint->per == LP_PER_SERVER)
    g_string_append (s, ", shape=box3d");
  if (n->endpoint != NULL && n->endpoint->customer)
    g_string_append (s, ", style=dashed");
  g_string_append (s, "];\n");
}

static gboolean
on_host (const LpTopoNode *v)
{
  return by_host != NULL && g_hash_table_contains (by_host->on_host, v);
}

/* By host: @site's virtualisation hosts, a box each (its name, the cores and
 * memory its virtual machines use), holding a node a virtual machine (its
 * name, its role, and its pool where the model has one). The last server
 * drawn goes to @anchor. */
static void
host_boxes (GString *s, const LpReport *r, guint site, const char **anchor)
{
  guint first, n;

  if (by_host == NULL || r->hosts == NULL || site >= r->hosts->n_sites)
    return;
  first = r->hosts->first_at_site[site];
  n = r->hosts->at_site[site];
  for (guint i = first; i < first + n; i++) {
    const LpHost *h = g_ptr_array_index (r->hosts->hosts, i);
    g_string_append_printf (s, "    subgraph \"cluster_host%u\" {\n      label=\"", i);
    dot_text (s, h->name);
    if (h->spare)
      g_string_append_printf (s, "\\nspare host: %.0f cores, %.0f GB", h->cores, h->memory_gb);
    else
      g_string_append_printf (s, "\\n%.0f of %.0f cores, %.0f of %.0f GB", h->cores_used, h->cores,
                              h->memory_used, h->memory_gb);
    g_string_append (s, "\";\n      style=rounded;\n");
    if (h->servers->len == 0)
      g_string_append_printf (s,
                              "      \"host%u-empty\" [label=\"none until a host fails\", "
                              "shape=plaintext];\n",
                              i);
    for (guint k = 0; k < h->servers->len; k++) {
      const LpServer *sv = g_ptr_array_index (h->servers, k);
      const LpTopoNode *v = g_hash_table_lookup (r->topology->by_id, sv->name);
      const char *last = NULL;
      if (v == NULL)
        continue;
      g_string_append (s, "      ");
      node_ref (s, v);
      g_string_append (s, " [label=\"");
      label_line (s, v->name, &last);
      label_line (s, v->label, &last);
      if (v->pool != NULL && v->pool->fqdn != NULL)
        label_line (s, v->pool->name, &last);
      g_string_append (s, "\"];\n");
      *anchor = v->id;
    }
    g_string_append (s, "    }\n");
  }
}

/* The servers of @site that belong to no node of the model, one node a
 * role: their role's name and theirs. */
static void
loose_servers (GString *s, const LpReport *r, guint site, const GPtrArray *servers,
               const char **anchor, GPtrArray *ids)
{
  for (guint i = 0; i < servers->len; i++) {
    const LpTopoNode *v = g_ptr_array_index (servers, i);
    gboolean first = TRUE;
    char *id;
    const char *last = NULL;
    if (v->pool != NULL || on_host (v))
      continue;
    for (guint k = 0; k < i && first; k++) {
      const LpTopoNode *w = g_ptr_array_index (servers, k);
      first = w->pool != NULL || on_host (w) || w->role != v->role;
    }
    if (!first)
      continue;
    id = g_strdup_printf ("site%u-role%u", site, v->role);
    g_string_append_printf (s, "    \"%s\" [label=\"", id);
    label_line (s, v->label, &last);
    for (guint k = i; k < servers->len; k++) {
      const LpTopoNode *w = g_ptr_array_index (servers, k);
      if (w->pool == NULL && !on_host (w) && w->role == v->role)
        label_line (s, w->name, &last);
    }
    g_string_append (s, "\"];\n");
    *anchor = id;
    g_ptr_array_add (ids, id);
  }
  (void) r;
}

/* Site @site's cluster: its internal nodes, its customer's parts, its
 * servers in no node, and a perimeter band (the nodes of the perimeter
 * zone). The last internal node drawn, else the first, goes to @anchors (a
 * cluster edge needs one). */
static void
site_cluster (GString *s, const LpReport *r, guint site, const GPtrArray *nodes,
              const GPtrArray *servers, GPtrArray *anchors, GPtrArray *ids)
{
  const LpPlanSite *ps = &g_array_index (r->plan->sites, LpPlanSite, site);
  g_autofree char *users = lp_format_count (ps->users);
  const char *anchor = NULL;
  gboolean perimeter = FALSE;

  g_string_append_printf (s, "  subgraph \"cluster_site%u\" {\n    label=\"", site);
  dot_text (s, ps->name);
  g_string_append_printf (s, "\\n%s users%s%s", users, ps->warm ? ", warm standby" : "",
                          ps->branch      ? ", branch"
                          : ps->host >= 0 ? ", backup pool at "
                                          : "");
  if (ps->host >= 0)
    dot_text (s, g_array_index (r->plan->sites, LpPlanSite, ps->host).name);
  g_string_append (s, "\";\n    style=bold;\n");
  host_boxes (s, r, site, &anchor);
  for (guint i = 0; i < nodes->len; i++) {
    const LpTopoNode *n = g_ptr_array_index (nodes, i);
    if (by_host != NULL && g_hash_table_contains (by_host->stand_in, n))
      continue; /* drawn as its servers, on their hosts */
    if (n->endpoint->zone == LP_ZONE_PERIMETER && !n->endpoint->customer) {
      perimeter = TRUE;
      continue;
    }
    model_node (s, n, "    ");
    /* the last node: the site's disaster recovery arrow does not cover the
     * pools' pairing drawn from the first */
    anchor = n->id;
  }
  loose_servers (s, r, site, servers, &anchor, ids);
  if (perimeter) {
    g_string_append_printf (s,
                            "    subgraph \"cluster_site%u_perimeter\" {\n"
                            "      label=\"perimeter network\";\n      style=dashed;\n",
                            site);
    for (guint i = 0; i < nodes->len; i++) {
      const LpTopoNode *n = g_ptr_array_index (nodes, i);
      if (n->endpoint->zone != LP_ZONE_PERIMETER || n->endpoint->customer ||
          (by_host != NULL && g_hash_table_contains (by_host->stand_in, n)))
        continue;
      model_node (s, n, "      ");
      if (anchor == NULL)
        anchor = n->id;
    }
    g_string_append (s, "    }\n");
  }
  if (anchor == NULL) {
    /* Graphviz drops an empty cluster: the site stays, saying why it is empty */
    char *id = g_strdup_printf ("site%u-empty", site);
    g_string_append_printf (s, "    \"%s\" [label=\"no servers\", shape=plaintext];\n", id);
    g_ptr_array_add (ids, id);
    anchor = id;
  }
  g_string_append (s, "  }\n");
  g_ptr_array_add (anchors, (gpointer) anchor);
}

static void
arrow (GString *s, const LpTopoNode *from, const LpTopoNode *to, const char *attrs)
{
  g_string_append (s, "  ");
  node_ref (s, from);
  g_string_append (s, " -> ");
  node_ref (s, to);
  g_string_append_printf (s, " [%s];\n", attrs);
}

/* The model's relations: paired pools (once a pair), each Edge pool's next
 * hop (the relations between sites do not rank the layout: dot cannot rank
 * clusters joined both ways), pools whose remote users use another site's Edge pool, a reverse
 * proxy publishing another site's web services, the Internet's flows to
 * the perimeter (once a pair of nodes); then the plan's site relations:
 * disaster recovery, a branch homed on its site, a backup pool held at one. */
static void
relations (GString *s, const LpReport *r, const GPtrArray *anchors)
{
  const LpTopology *t = r->topology;
  g_autoptr (GHashTable) drawn = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < t->pools->len; i++) {
    const LpTopoNode *n = g_ptr_array_index (t->pools, i);
    const LpTopoNode *p = n->partner;
    g_autofree char *label = NULL, *attrs = NULL;
    if (p == NULL || n->pool_row == NULL || (p->partner == n && strcmp (p->id, n->id) < 0))
      continue;
    label = n->pool_row->mode == LP_POOL_CROSS_SITE_PAIR ? failover_text (r, (guint) n->site)
                                                         : g_strdup ("in the same site");
    attrs = g_strdup_printf ("label=\"paired pools\\n%s\", dir=both, constraint=false", label);
    arrow (s, n, p, attrs);
  }
  for (guint i = 0; i < t->pools->len; i++) {
    const LpTopoNode *n = g_ptr_array_index (t->pools, i);
    if (n->next_hop != NULL)
      arrow (s, n, n->next_hop, "label=\"next hop\"");
    if (n->pool_row != NULL && n->edge != NULL && n->edge->site != n->site)
      arrow (s, n, n->edge, "label=\"remote users\", style=dotted, constraint=false");
    for (guint k = 0; k < n->published_by->len; k++) {
      const LpTopoNode *rp = g_ptr_array_index (n->published_by, k);
      if (rp->site != n->site)
        arrow (s, rp, n, "label=\"publishes\", style=dotted, constraint=false");
    }
  }
  for (guint i = 0; i < t->flows->len; i++) {
    const LpTopoFlow *f = g_ptr_array_index (t->flows, i);
    char *key;
    if (f->from->endpoint == NULL || f->to->endpoint == NULL ||
        f->from->endpoint->zone != LP_ZONE_INTERNET || !f->crosses_zone)
      continue;
    key = g_strconcat (f->from->id, "\n", f->to->id, NULL);
    if (g_hash_table_contains (drawn, key)) {
      g_free (key);
      continue;
    }
    g_hash_table_add (drawn, key);
    arrow (s, f->from, f->to, "color=gray40");
  }
  for (guint site = 0; site < r->plan->sites->len; site++) {
    const LpPlanSite *ps = &g_array_index (r->plan->sites, LpPlanSite, site);
    const char *from = g_ptr_array_index (anchors, site);
    gint other = ps->branch ? ps->home : ps->host;
    if (ps->partner >= 0 && (guint) ps->partner > site) {
      g_string_append (s, "  \"");
      dot_text (s, from);
      g_string_append (s, "\" -> \"");
      dot_text (s, g_ptr_array_index (anchors, ps->partner));
      g_string_append_printf (s,
                              "\" [label=\"disaster recovery\", style=dashed, dir=both, "
                              "penwidth=2, ltail=\"cluster_site%u\", lhead=\"cluster_site%d\"];\n",
                              site, ps->partner);
    }
    if (other >= 0) {
      g_string_append (s, "  \"");
      dot_text (s, from);
      g_string_append (s, "\" -> \"");
      dot_text (s, g_ptr_array_index (anchors, other));
      g_string_append_printf (s,
                              "\" [label=\"%s\", style=dotted, ltail=\"cluster_site%u\", "
                              "lhead=\"cluster_site%d\"];\n",
                              ps->branch ? "homed on" : "held at", site, other);
    }
  }
}

/* The detail view: a cluster a site, every node and server of the model
 * in it, the Internet's parts outside them, and the relations. */
static void
detail_view (GString *s, const LpReport *r)
{
  const LpTopology *t = r->topology;
  guint n = r->plan->sites->len;
  g_autofree GPtrArray **nodes = g_new0 (GPtrArray *, MAX (n, 1));
  g_autofree GPtrArray **servers = g_new0 (GPtrArray *, MAX (n, 1));
  g_autoptr (GPtrArray) anchors = g_ptr_array_new ();
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < n; i++) {
    nodes[i] = g_ptr_array_new ();
    servers[i] = g_ptr_array_new ();
  }
  for (guint list = 0; list < 2; list++) {
    const GPtrArray *all = list == 0 ? t->pools : t->external;
    for (guint i = 0; i < all->len; i++) {
      LpTopoNode *x = g_ptr_array_index (all, i);
      if (x->site >= 0 && (guint) x->site < n)
        g_ptr_array_add (nodes[x->site], x);
    }
  }
  for (guint i = 0; i < t->servers->len; i++) {
    LpTopoNode *v = g_ptr_array_index (t->servers, i);
    if (v->site >= 0 && (guint) v->site < n)
      g_ptr_array_add (servers[v->site], v);
  }
  for (guint i = 0; i < t->external->len; i++) {
    const LpTopoNode *x = g_ptr_array_index (t->external, i);
    if (x->site < 0 && x->endpoint->zone == LP_ZONE_INTERNET)
      model_node (s, x, "  ");
  }
  for (guint site = 0; site < n; site++)
    site_cluster (s, r, site, nodes[site], servers[site], anchors, ids);
  relations (s, r, anchors);
  for (guint i = 0; i < n; i++) {
    g_ptr_array_unref (nodes[i]);
    g_ptr_array_unref (servers[i]);
  }
}

/* ---- large estates: sites with counts, or the estate's totals ---- */

/* The site a plan site is drawn in: a backup pool in the site that holds
 * it, a branch in its home site's box of branches (-(home + 2)). */
static gint
drawn_as (const LpPlanSite *ps, guint site)
{
  if (ps->host >= 0)
    return ps->host;
  if (ps->branch && ps->home >= 0)
    return -(ps->home + 2);
  return (gint) site;
}

static gboolean
is_detail (const LpReport *r)
{
  return r->plan->sites->len <= LP_DIAGRAM_DETAIL_SITES &&
         r->inventory->servers->len <= LP_DIAGRAM_DETAIL_SERVERS;
}

/* Boxes the sites view draws: central sites, and one box of branches per
 * home site that has any. */
static guint
sites_view_boxes (const LpReport *r)
{
  g_autofree gboolean *homes = g_new0 (gboolean, MAX (r->plan->sites->len, 1));
  guint n = 0;

  for (guint i = 0; i < r->plan->sites->len; i++) {
    const LpPlanSite *ps = &g_array_index (r->plan->sites, LpPlanSite, i);
    gint at = drawn_as (ps, i);
    if (at == (gint) i)
      n++;
    else if (at < -1 && !homes[-at - 2]) {
      homes[-at - 2] = TRUE;
      n++;
    }
  }
  return n;
}

/* "\nFront End pool: 3\nEdge pool: 2": the counts of one box. */
static void
count_lines (GString *s, const LpReport *r, const guint64 *counts, guint n_roles)
{
  for (guint role = 0; role < n_roles; role++) {
    g_autofree char *n = counts[role] > 0 ? lp_format_count (counts[role]) : NULL;
    if (n == NULL)
      continue;
    g_string_append (s, "\\n");
    dot_text (s, lp_report_role_title (r, role));
    g_string_append_printf (s, ": %s", n);
  }
}

/* Each box's users, sites folded in and role counts: backup pools added to
 * their host's box, branches to their home's box of branches. */
typedef struct {
  guint64 *counts; /* box x role */
  guint64 *users;
  guint *folded; /* backup pools (a site's box) or branches (a box of branches) */
} Boxes;

static void
boxes_fill (Boxes *b, const LpReport *r, guint n_roles)
{
  guint n = r->plan->sites->len;
  g_autofree guint64 *counts = lp_report_role_counts (r, &n_roles);

  /* boxes 0..n-1 are sites, n..2n-1 boxes of branches by home */
  b->counts = g_new0 (guint64, (gsize) 2 * MAX (n, 1) * MAX (n_roles, 1));
  b->users = g_new0 (guint64, 2 * MAX (n, 1));
  b->folded = g_new0 (guint, 2 * MAX (n, 1));
  for (guint i = 0; i < n; i++) {
    const LpPlanSite *ps = &g_array_index (r->plan->sites, LpPlanSite, i);
    gint at = drawn_as (ps, i);
    guint box = at >= 0 ? (guint) at : n + (guint) (-at - 2);
    for (guint role = 0; role < n_roles; role++)
      b->counts[(gsize) box * n_roles + role] += counts[(gsize) i * n_roles + role];
    b->users[box] += ps->branch ? ps->own_users : at == (gint) i ? ps->own_users : 0;
    b->folded[box] += at != (gint) i;
  }
}

static void
boxes_clear (Boxes *b)
{
  g_free (b->counts);
  g_free (b->users);
  g_free (b->folded);
}

static void
site_box (GString *s, const LpReport *r, const Boxes *b, guint box, guint n_roles)
{
  guint n = r->plan->sites->len;
  const LpPlanSite *ps = &g_array_index (r->plan->sites, LpPlanSite, box % n);
  g_autofree char *users = lp_format_count (b->users[box]);

  g_string_append_printf (s, "  \"box%u\" [label=\"", box);
  if (box >= n)
    g_string_append_printf (s, "%u branch site%s of ", b->folded[box],
                            b->folded[box] == 1 ? "" : "s");
  dot_text (s, ps->name);
  g_string_append_printf (s, "\\n%s users%s", users, box < n && ps->warm ? ", warm standby" : "");
  if (box < n && b->folded[box] > 0)
    g_string_append_printf (s, "\\nbackup pools of %u site%s", b->folded[box],
                            b->folded[box] == 1 ? "" : "s");
  count_lines (s, r, b->counts + (gsize) box * n_roles, n_roles);
  g_string_append (s, "\"];\n");
}

/* The sites view: one box a site, its servers counted by role; disaster
 * recovery between sites (a backup pool's site standing for it) and
 * branches homed on their site. */
static void
sites_view (GString *s, const LpReport *r)
{
  guint n = r->plan->sites->len, n_roles = r->roles->len;
  Boxes b = { 0 };

  boxes_fill (&b, r, n_roles);
  for (guint box = 0; box < 2 * n; box++) {
    const LpPlanSite *ps = &g_array_index (r->plan->sites, LpPlanSite, box % n);
    if ((box < n && drawn_as (ps, box) == (gint) box) || (box >= n && b.folded[box] > 0))
      site_box (s, r, &b, box, n_roles);
  }
  for (guint i = 0; i < n; i++) {
    const LpPlanSite *ps = &g_array_index (r->plan->sites, LpPlanSite, i);
    const LpPlanSite *pp;
    gint to;
    /* each pair once: from a site, never from a backup pool held for it */
    if (ps->partner < 0 || ps->host >= 0 || ps->branch)
      continue;
    pp = &g_array_index (r->plan->sites, LpPlanSite, ps->partner);
    if (pp->host < 0 && (guint) ps->partner < i)
      continue;
    to = drawn_as (pp, (guint) ps->partner);
    if (to >= 0 && to != (gint) i)
      g_string_append_printf (s, "  \"box%u\" -> \"box%d\" [style=dashed, dir=both, penwidth=2];\n",
                              i, to);
  }
  for (guint home = 0; home < n; home++)
    if (b.folded[n + home] > 0)
      g_string_append_printf (s, "  \"box%u\" -> \"box%u\" [style=dotted];\n", n + home, home);
  boxes_clear (&b);
}

/* The estate in totals: sites, backup pools and branches counted, the
 * servers by role. */
static void
totals_view (GString *s, const LpReport *r)
{
  guint n = r->plan->sites->len, n_roles = r->roles->len;
  g_autofree guint64 *counts = lp_report_role_counts (r, &n_roles);
  g_autofree guint64 *total = g_new0 (guint64, MAX (n_roles, 1));
  guint central = 0, backup = 0, branch = 0;
  guint64 users = 0;

  for (guint i = 0; i < n; i++) {
    const LpPlanSite *ps = &g_array_index (r->plan->sites, LpPlanSite, i);
    central += ps->host < 0 && !ps->branch;
    backup += ps->host >= 0;
    branch += ps->branch;
    users += ps->own_users;
    for (guint role = 0; role < n_roles; role++)
      total[role] += counts[(gsize) i * n_roles + role];
  }
  g_string_append_printf (s,
                          "  \"estate\" [label=\"%u central sites, %u backup pools, %u branch "
                          "sites\\n%" G_GUINT64_FORMAT " users",
                          central, backup, branch, users);
  count_lines (s, r, total, n_roles);
  g_string_append (s, "\"];\n");
}

/* What a large estate's drawing says it left out: its sites (backup pools
 * not counted), and how it is drawn. */
static void
view_note (GString *s, const LpReport *r, gboolean totals)
{
  guint sites = 0;

  for (guint i = 0; i < r->plan->sites->len; i++)
    sites += g_array_index (r->plan->sites, LpPlanSite, i).host < 0;
  if (totals)
    g_string_append_printf (s, "\\n%u sites, more than %u boxes: the estate drawn in totals", sites,
                            LP_DIAGRAM_SITES_MAX);
  else
    g_string_append_printf (s,
                            "\\n%u sites: one box a site, its servers counted, pools collapsed "
                            "(every server is drawn up to %u sites and %u servers)\\ndashed: "
                            "disaster recovery; dotted: branches homed on their site",
                            sites, LP_DIAGRAM_DETAIL_SITES, LP_DIAGRAM_DETAIL_SERVERS);
}

/* By host: the servers on hosts, and each pool all of whose servers are
 * there (drawn as its servers; its relations from its first). */
static void
by_host_init (ByHost *b, const LpReport *r)
{
  const LpTopology *t = r->topology;

  b->stand_in = g_hash_table_new (g_direct_hash, g_direct_equal);
  b->on_host = g_hash_table_new (g_direct_hash, g_direct_equal);
  for (guint i = 0; i < r->hosts->hosts->len; i++) {
    const LpHost *h = g_ptr_array_index (r->hosts->hosts, i);
    for (guint k = 0; k < h->servers->len; k++) {
      const LpServer *sv = g_ptr_array_index (h->servers, k);
      LpTopoNode *v = g_hash_table_lookup (t->by_id, sv->name);
      if (v != NULL)
        g_hash_table_add (b->on_host, v);
    }
  }
  for (guint i = 0; i < t->pools->len; i++) {
    LpTopoNode *n = g_ptr_array_index (t->pools, i);
    gboolean all = n->members->len > 0;
    for (guint k = 0; all && k < n->members->len; k++)
      all = g_hash_table_contains (b->on_host, g_ptr_array_index (n->members, k));
    if (all)
      g_hash_table_insert (b->stand_in, n, g_ptr_array_index (n->members, 0));
  }
}

char *
lp_diagram_dot (const LpReport *r, gboolean hosts)
{
  GString *s = g_string_new ("digraph topology {\n");
  ByHost b = { NULL, NULL };

  g_string_append (s, "  graph [compound=true, newrank=true, rankdir=LR, fontname=\"DejaVu Sans\", "
                      "label=\"");
  dot_text (s, r->title != NULL ? r->title : "topology");
  gboolean detail = is_detail (r);
  gboolean totals = !detail && sites_view_boxes (r) > LP_DIAGRAM_SITES_MAX;
  if (!detail)
    view_note (s, r, totals);
  if (hosts && (r->hosts == NULL || r->hosts->hosts->len == 0))
    g_string_append (s, "\\nby host: no site is virtual, so no server runs on a host");
  else if (hosts && !detail)
    g_string_append (s, "\\nby host: servers are drawn on their hosts only where every server "
                        "is drawn");
  else if (hosts)
    g_string_append (s, "\\nby host: a box a virtualisation host, its virtual machines in it; "
                        "a pool is drawn as its servers, its relations from the first");
  g_string_append (s, "\", labelloc=t];\n"
                      "  node [shape=box, fontname=\"DejaVu Sans\", fontsize=10];\n"
                      "  edge [fontname=\"DejaVu Sans\", fontsize=9];\n");
  if (totals) {
    totals_view (s, r);
  } else if (!detail) {
    sites_view (s, r);
  } else if (hosts && r->hosts != NULL && r->hosts->hosts->len > 0) {
    by_host_init (&b, r);
    by_host = &b;
    detail_view (s, r);
    by_host = NULL;
    g_hash_table_unref (b.stand_in);
    g_hash_table_unref (b.on_host);
  } else {
    detail_view (s, r);
  }
  g_string_append (s, "}\n");
  return g_string_free (s, FALSE);
}

/* Graphviz's dot, run as a child: what it is given and what it said. */
typedef struct {
  GPid pid;
  int in;          /* its standard input, or -1 once closed */
  int err;         /* its standard error, or -1 once closed */
  gboolean sent;   /* the whole DOT text was written */
  GString *said;   /* the first DOT_STDERR_MAX bytes of its standard error */
  gint64 deadline; /* monotonic microseconds */
} DotChild;

/* In the child, before exec: signals unblocked (the parent blocks them
 * around the spawn) and the address space bounded, so a layout that
 * explodes fails inside dot instead of taking the machine's memory.
 * Async-signal-safe calls only. */
static void
dot_child_setup_cb (gpointer data)
{
  struct rlimit lim = { .rlim_cur = DOT_MEMORY_MB * 1024UL * 1024UL,
                        .rlim_max = DOT_MEMORY_MB * 1024UL * 1024UL };
  sigset_t none;

  (void) data;
  sigemptyset (&none);
  sigprocmask (SIG_SETMASK, &none, NULL);
  setrlimit (RLIMIT_AS, &lim);
}

/* Starts dot with its standard input and error piped; between the fork and
 * lp_output_hold_child() the signals that clean up are blocked, so no
 * signal can leave dot running unseen. */
static gboolean
dot_spawn (DotChild *c, const char *renderer, const char *output, GError **error)
{
  const char *argv[] = { "dot", renderer, output, NULL };
  sigset_t block, saved;
  gboolean ok;

  sigemptyset (&block);
  sigaddset (&block, SIGINT);
  sigaddset (&block, SIGTERM);
  sigaddset (&block, SIGHUP);
  sigprocmask (SIG_BLOCK, &block, &saved);
  ok = g_spawn_async_with_pipes (NULL, (char **) argv, NULL,
                                 G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD |
                                   G_SPAWN_STDOUT_TO_DEV_NULL,
                                 dot_child_setup_cb, NULL, &c->pid, &c->in, NULL, &c->err, error);
  if (ok)
    lp_output_hold_child (c->pid);
  sigprocmask (SIG_SETMASK, &saved, NULL);
  return ok;
}

static void
close_fd (int *fd)
{
  if (*fd >= 0)
    close (*fd);
  *fd = -1;
}

/* Writes what it can of @data to dot; FALSE once dot stopped reading. */
static gboolean
feed (DotChild *c, const char **data, gsize *len)
{
  ssize_t n = write (c->in, *data, MIN (*len, (gsize) 65536));

  if (n < 0 && (errno == EINTR || errno == EAGAIN))
    return TRUE;
  if (n <= 0) {
    close_fd (&c->in);
    return FALSE;
  }
  *data += n;
  *len -= (gsize) n;
  if (*len == 0) {
    c->sent = TRUE;
    close_fd (&c->in);
  }
  return TRUE;
}

/* Reads dot's standard error, keeping its first DOT_STDERR_MAX bytes. */
static void
drain (DotChild *c)
{
  char buf[4096];
  ssize_t n = read (c->err, buf, sizeof buf);

  if (n < 0 && (errno == EINTR || errno == EAGAIN))
    return;
  if (n <= 0) {
    close_fd (&c->err);
    return;
  }
  g_string_append_len (c->said, buf,
                       MIN ((gsize) n, DOT_STDERR_MAX - MIN (c->said->len, DOT_STDERR_MAX)));
}

/* Gives dot the DOT text and reads its standard error at once (a dot
 * blocked writing warnings would otherwise never finish reading), until
 * both pipes close or the deadline passes. A dot that stops reading is a
 * failed write, not a SIGPIPE. Returns FALSE at the deadline. */
static gboolean
exchange (DotChild *c, const char *data, gsize len)
{
  struct sigaction ignore = { .sa_handler = SIG_IGN }, saved;
  gboolean in_time = TRUE;

  sigemptyset (&ignore.sa_mask);
  sigaction (SIGPIPE, &ignore, &saved);
  g_unix_set_fd_nonblocking (c->in, TRUE, NULL);
  while (c->in >= 0 || c->err >= 0) {
    struct pollfd fds[2] = { { .fd = c->in, .events = POLLOUT },
                             { .fd = c->err, .events = POLLIN } };
    gint64 left = c->deadline - g_get_monotonic_time ();
    int n;
    if (left <= 0) {
      in_time = FALSE;
      break;
    }
    n = poll (fds, 2, (int) MIN (left / 1000 + 1, 1000));
    if (n < 0 && errno != EINTR)
      break;
    if (c->in >= 0 && (fds[0].revents & (POLLOUT | POLLERR | POLLHUP)))
      feed (c, &data, &len);
    if (c->err >= 0 && (fds[1].revents & (POLLIN | POLLERR | POLLHUP)))
      drain (c);
  }
  close_fd (&c->in);
  close_fd (&c->err);
  sigaction (SIGPIPE, &saved, NULL);
  return in_time;
}

/* Waits for dot until the deadline, killing it past that; its wait status,
 * or -1 when it was killed for taking too long. */
static int
dot_wait (DotChild *c, gboolean in_time)
{
  int status = 0;

  while (in_time && g_get_monotonic_time () < c->deadline) {
    pid_t done = waitpid (c->pid, &status, WNOHANG);
    if (done == c->pid) {
      lp_output_release_child ();
      return status;
    }
    if (done < 0 && errno != EINTR)
      break;
    g_usleep (10000);
  }
  kill (c->pid, SIGKILL);
  waitpid (c->pid, &status, 0);
  lp_output_release_child ();
  return -1;
}

/* dot's first line on standard error, control characters shown as '?'. */
static char *
first_line (const GString *said)
{
  g_auto (GStrv) lines = g_strsplit (said->str, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++) {
    g_strstrip (lines[i]);
    if (lines[i][0] == '\0')
      continue;
    for (char *p = lines[i]; *p != '\0'; p++)
      if ((guchar) *p < 0x20 || (guchar) *p == 0x7f)
        *p = '?';
    if (g_utf8_strlen (lines[i], -1) > 200)
      *g_utf8_offset_to_pointer (lines[i], 200) = '\0';
    return g_strdup_printf (": %s", lines[i]);
  }
  return g_strdup ("");
}

/* What went wrong with dot, from its wait status and standard error. */
static char *
dot_failure (const DotChild *c, int status)
{
  g_autofree char *said = first_line (c->said);

  if (status < 0)
    return g_strdup_printf ("Graphviz's dot took over %d seconds and was stopped", DOT_SECONDS);
  if (WIFSIGNALED (status))
    return g_strdup_printf ("Graphviz's dot was ended by signal %d (%s)%s; it may use at most "
                            "%d MB of memory",
                            WTERMSIG (status), g_strsignal (WTERMSIG (status)), said,
                            DOT_MEMORY_MB);
  if (WIFEXITED (status) && WEXITSTATUS (status) != 0)
    return g_strdup_printf ("Graphviz's dot failed with exit status %d%s", WEXITSTATUS (status),
                            said);
  if (!c->sent)
    return g_strdup_printf ("Graphviz's dot stopped reading the diagram%s", said);
  return NULL;
}

static gboolean dot_offline; /* lp_diagram_set_offline() */

void
lp_diagram_set_offline (gboolean offline)
{
  dot_offline = offline;
}

gboolean
lp_diagram_render (const LpReport *r, const char *renderer, const char *path, const char *target,
                   gboolean hosts, GError **error)
{
  g_autofree char *dot = lp_diagram_dot (r, hosts);
  g_autofree char *output = g_strdup_printf ("-o%s", path);
  g_autoptr (GString) said = g_string_new (NULL);
  DotChild c = { .in = -1, .err = -1, .said = said };
  g_autofree char *failure = NULL;
  GError *spawn_error = NULL;
  gboolean in_time;
  GStatBuf st;

  if (dot_offline) {
    g_set_error (error, LP_ERROR, LP_ERROR_IO, "cannot write %s: Graphviz's dot is not run here",
                 target);
    return FALSE;
  }
  if (!dot_spawn (&c, renderer, output, &spawn_error)) {
    g_set_error (error, LP_ERROR, LP_ERROR_IO,
                 "cannot write %s: cannot run Graphviz's dot: %s (is Graphviz installed? Debian: "
                 "graphviz)",
                 target, spawn_error->message);
    g_error_free (spawn_error);
    return FALSE;
  }
  c.deadline = g_get_monotonic_time () + DOT_SECONDS * G_USEC_PER_SEC;
  in_time = exchange (&c, dot, strlen (dot));
  failure = dot_failure (&c, dot_wait (&c, in_time));
  g_spawn_close_pid (c.pid);
  if (failure == NULL && (g_stat (path, &st) != 0 || st.st_size == 0))
    failure = g_strdup ("Graphviz's dot wrote nothing");
  if (failure != NULL) {
    g_set_error (error, LP_ERROR, LP_ERROR_IO, "cannot write %s: %s", target, failure);
    return FALSE;
  }
  return TRUE;
}

gboolean
lp_diagram_png (const LpReport *r, char **data, gsize *len, GError **error)
{
  g_autofree char *path = NULL;
  int fd = g_file_open_tmp ("lyncplan-diagram-XXXXXX.png", &path, error);
  int slot;
  gboolean ok;

  *data = NULL;
  *len = 0;
  if (fd < 0)
    return FALSE;
  close (fd);
  slot = lp_output_hold_temp (path);
  ok = lp_diagram_render (r, "-Tpng:cairo", path, "the workbook's diagram", FALSE, error) &&
       g_file_get_contents (path, data, len, error);
  g_unlink (path);
  lp_output_release_temp (slot);
  return ok;
}

gboolean
lp_write_diagram (const LpReport *r, const LpWriteOptions *o, LpOutput *out, GError **error)
{
  const char *renderer = lp_diagram_renderer (lp_output_target (out), error);

  return renderer != NULL && lp_diagram_render (r, renderer, lp_output_path (out),
                                                lp_output_target (out), o->diagram_by_host, error);
}
