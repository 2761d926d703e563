/* lp-topology.h: the topology model of a plan, built once per report: its
 * pools, servers and appliances, the customer's parts it depends on, and the
 * flows between them. Every network plan is a view of it: the DNS plan
 * (lp_topology_dns()), the certificate and firewall plans
 * (lp-certificates.h), the reverse proxies' publishing, the diagram's names.
 *
 * The shape is Topology Builder's (sites, clusters, machines, services and
 * their dependencies): a node is a pool (a cluster of servers, or one
 * appliance), a server (a machine) or an external part; a flow is a
 * dependency with its port. Which nodes exist, their names and the flows
 * come from the rule set's [endpoint ID], [certificate ID] and [flow ID]
 * groups; the C code knows no name, port or role of the product.
 *
 * Ownership: the model owns its nodes and flows; every pointer between
 * nodes is borrowed from the same model. It points into the plan, the
 * inventory and the rule set, which must outlive it. */
#pragma once

#include <glib.h>

#include "lp-arena.h"
#include "lp-inventory.h"
#include "lp-plan.h"

typedef enum {
  LP_TOPO_POOL,     /* an instance of an [endpoint] with roles: pool, site or appliance */
  LP_TOPO_SERVER,   /* a server of the inventory */
  LP_TOPO_EXTERNAL, /* an [endpoint] without roles, or the customer's: Internet, gateways */
} LpTopoKind;

typedef struct LpTopoNode LpTopoNode;

/* One name of the model and where DNS answers it. */
typedef struct {
  const char *name;    /* a fully qualified name, as written (the model's texts) */
  gboolean internal;   /* in internal DNS */
  gboolean external;   /* in external DNS */
  GPtrArray *nodes[2]; /* of LpTopoNode, borrowed: the nodes that answer it in internal
                        * ([0]) and external ([1]) DNS, first first (an empty list may be
                        * the model's one empty array) */
} LpTopoName;

struct LpTopoNode {
  char *id; /* unique in the model: "front-end-pool:pool01-hq", "edge:hq",
             * "internet", or a server's name "fe01-hq" */
  LpTopoKind kind;
  const LpEndpointRule *endpoint; /* nullable: a server has none */
  gint site;                      /* plan site index; -1 for an organization-wide node */
  guint role;                     /* a server's rule-set role; G_MAXUINT for the others */
  const char *name;       /* the short name: "pool01-hq", "fe01-hq"; the label for an external
                           * (this and the names below: the model's texts) */
  const char *fqdn;       /* nullable: an endpoint without one of ours (reverse proxy, Internet) */
  const char *label;      /* the endpoint's label ("Edge pool"), or the role's name
                           * (borrowed from the rule set) */
  const LpPool *pool_row; /* nullable: the inventory pool of a per = pool endpoint */
  /* pools (a list a node never fills is the model's one empty array, shared) */
  GPtrArray *members;        /* of LpTopoNode (servers), borrowed; empty for others */
  LpTopoNode *partner;       /* nullable: the pool that takes over its users */
  LpTopoNode *edge;          /* nullable: the Edge pool its remote users use */
  LpTopoNode *next_hop;      /* nullable: an Edge pool's internal next hop, the first pool
                              * (per = pool) of its site; never a Director (the invariant
                              * edge-next-hop) */
  const char *web_internal;  /* nullable */
  const char *web_external;  /* nullable: only where a reverse proxy publishes it */
  GPtrArray *published_by;   /* of LpTopoNode (reverse proxies), borrowed */
  GPtrArray *publishes;      /* of char *: a reverse proxy's published web names */
  GPtrArray *names;          /* of char *: its other internal names */
  GPtrArray *external_names; /* of char *: its external names (these three: the model's
                              * texts, each text once however many nodes list it) */
  /* servers */
  LpTopoNode *pool; /* nullable: the node its server belongs to */
};

/* One flow: @from talks to @to on a [flow]'s port. What a firewall row
 * prints of its ends and what it crosses are views of it, made when written
 * (lp_topology_flow_end(), lp_topology_flow_crosses()): a model of 10,000
 * sites holds hundreds of thousands of flows. */
typedef struct {
  const LpPortRule *rule;
  LpTopoNode *from, *to;
  guint site;             /* where a firewall row lists it: from's site, else to's (0
                              * when neither has one) */
  guint crosses_zone : 1; /* between the internal network, perimeter and Internet */
  guint crosses_site : 1; /* between two sites */
} LpTopoFlow;

typedef struct {
  const LpPlan *plan;
  const LpInventory *inv;
  GStrv sip_domains;       /* owned: every SIP domain, the default first */
  GPtrArray *pools;        /* of LpTopoNode, owned: per = pool, site and server endpoints */
  GPtrArray *servers;      /* of LpTopoNode, owned: every server of the inventory */
  GPtrArray *external;     /* of LpTopoNode, owned: organization-wide and customer's nodes */
  GPtrArray *flows;        /* of LpTopoFlow, owned, in [flow] order then from's order */
  GPtrArray *names;        /* of LpTopoName, owned: every name of the model, first use order */
  GHashTable *by_name;     /* name (any case) -> LpTopoName */
  GHashTable *by_id;       /* id -> LpTopoNode */
  GStringChunk *texts;     /* the names' texts, and the nodes' */
  LpArena *arena;          /* owned: the nodes, names and flows, freed with the model */
  GPtrArray *empty;        /* the empty array a node's or name's list is until it has an
                            * element: one reference each */
  GPtrArray **by_endpoint; /* per rule-set endpoint: its nodes (LpTopoNode, borrowed), in order */
  gint edge_endpoint;      /* the endpoint of [dns] edge-role's servers per site, or -1 */
  gint publish_endpoint;   /* the first endpoint that publishes (reverse proxies), or -1 */
  /* while building only */
  guint n_sites;
  GPtrArray **index;        /* per endpoint and site + 1: its nodes there */
  GHashTable *pool_by_name; /* inventory pool name -> node */
  GHashTable *appliance_of; /* LpServer -> its per = server node */
} LpTopology;

/**
 * lp_topology_new:
 * @plan: a plan
 * @inv: its inventory
 *
 * Builds the model: a node for each instance of each [endpoint] (per pool,
 * site, server or organization where its roles have servers and its
 * applies formula holds), each inventory server attached to the node of its
 * role at its site, each pool's partner, Edge pool and publishing reverse
 * proxies, and a flow for each [flow] between the instances its between
 * relation pairs. Linear in sites, servers and SIP domains (hash tables and
 * per-site indexes, no scan of every server for every site). Fails never.
 *
 * Returns: (transfer full): the model; free with lp_topology_free().
 */
LpTopology *lp_topology_new (const LpPlan *plan, const LpInventory *inv);
void lp_topology_free (LpTopology *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpTopology, lp_topology_free)

/**
 * lp_topology_expand:
 * @t: the model
 * @node: the node whose names fill the placeholders
 * @text: a name template of the rule set
 * @domain: (nullable): fill {domain} with this SIP domain only; NULL: each
 * @out: (element-type utf8): where the names go, each once (case-insensitive)
 * @seen: (nullable): lower-case names already in @out, for that check
 *
 * Adds the names @text stands for at @node: one per combination of its
 * list placeholders' values (none when a list is empty).
 */
void lp_topology_expand (const LpTopology *t, const LpTopoNode *node, const char *text,
                         const char *domain, GPtrArray *out, GHashTable *seen);

/**
 * lp_topology_flow_end:
 * @t: the model
 * @f: one of its flows
 * @to: TRUE for the end @f goes to, FALSE for the end it comes from
 *
 * What a firewall row prints of that end: the [flow]'s label for it (else
 * the node's) and the name its template gives (else the node's FQDN), or
 * the node's servers (the from end of a flow with from-members, or a node
 * without a name); an external part without a name is its label alone.
 *
 * Returns: (transfer full): the text; g_free() it.
 */
char *lp_topology_flow_end (const LpTopology *t, const LpTopoFlow *f, gboolean to);

/**
 * lp_topology_flow_crosses:
 * Returns: (transfer none): what a firewall row says @f crosses: "perimeter"
 *   (two zones), "site" (two sites) or "internal".
 */
const char *lp_topology_flow_crosses (const LpTopoFlow *f);

/**
 * lp_topology_lookup_name:
 * Returns: (transfer none) (nullable): the model's name @name (any case), or NULL.
 */
const LpTopoName *lp_topology_lookup_name (const LpTopology *t, const char *name);

/**
 * lp_topology_scenario_env:
 * @plan: a plan
 *
 * Returns: (transfer full): the values an endpoint's applies formula reads
 *   (the rule set's defaults, the scenario's settings, dr), one a symbol
 *   slot; g_free() it.
 */
double *lp_topology_scenario_env (const LpPlan *plan);

/**
 * lp_topology_has_role:
 * Returns: TRUE when @roles (of guint) holds @role.
 */
gboolean lp_topology_has_role (const GArray *roles, guint role);

/**
 * lp_topology_kind_name:
 * Returns: (transfer none): "pool", "server" or "external".
 */
const char *lp_topology_kind_name (LpTopoKind kind);
