/* lp-tbxml.h: the plan as a Topology Builder document (--format tbxml),
 * computed from the report: a view of the topology model (its pools,
 * servers, FQDNs, Edge association, pairing) and the host placement, shaped
 * by the rule set's [topology-builder], [tb-cluster] and [tb-service]
 * groups. The writer (write/lp-write-tbxml.c) only formats it.
 *
 * Ids (UniqueId) are derived from names, so the same plan gives the same
 * document. Ownership: the document owns its strings and arrays; the urns
 * and the rule set's texts are borrowed from the rule set, which must
 * outlive it. */
#pragma once

#include <glib.h>

#include "lp-report.h"

typedef struct {
  char *fqdn;    /* nullable: a single-machine cluster's machine has none */
  char *fault;   /* nullable: FaultDomain */
  char *upgrade; /* nullable: UpgradeDomain */
} LpTbMachine;

/* A named SqlInstance of a store's own, beside the cluster's default. */
typedef struct {
  char *id;         /* UniqueId */
  const char *name; /* Name, borrowed from the rule set */
} LpTbSqlInstance;

typedef struct {
  char *id;   /* UniqueId */
  char *fqdn; /* Fqdn */
  gboolean single, replication, setup;
  GPtrArray *machines;           /* of LpTbMachine */
  const char *const *interfaces; /* each machine's NetInterface sides */
  const char *nat_side;          /* nullable: the side whose NetInterface carries
                                  * ConfiguredIPAddress (its address translated by NAT) */
  char *sql_id;                  /* nullable: its SqlInstance's UniqueId */
  const char *sql_name;          /* with sql_id: the instance's Name ("" the default) */
  GPtrArray *instances;          /* of LpTbSqlInstance: the stores' own instances, after it */
  const char *comment;           /* nullable: why its shape is not from a public sample */
  /* while building */
  guint rule;              /* its [tb-cluster] */
  const LpTopoNode *node;  /* the pool its servers belong to */
  const LpTopoNode *owner; /* nullable: the pool a per-pool server serves (its Back End) */
} LpTbCluster;

typedef struct {
  guint id;            /* SiteId */
  const char *name;    /* the site's name */
  GPtrArray *clusters; /* of LpTbCluster */
  GPtrArray *remote;   /* of char *: comments in RemoteSites, one a branch site homed here
                        * (no public document shows a branch site) */
} LpTbSite;

typedef struct {
  const char *service_id;
  const char *usage;   /* "Default", or a [tb-service] partner-usage */
  const char *comment; /* nullable: why it is not from a public sample */
} LpTbDependency;

typedef struct {
  char *id;                          /* UniqueId */
  const char *role_name;             /* RoleName */
  guint role_version;                /* RoleVersion */
  const char *installed_on;          /* a cluster's or a SqlInstance's UniqueId */
  const char *type;                  /* nullable: Type */
  const char *element;               /* nullable: the element after Ports */
  GPtrArray *attr_names;             /* of char *: that element's attributes */
  GPtrArray *attr_values;            /* of char * */
  GArray *depends;                   /* of LpTbDependency */
  const char *unverified;            /* nullable: why no public sample shows it */
  const GPtrArray *ports;            /* of GStrv (borrowed from the rule set): each Port's
                             * attributes, NAME=VALUE */
  GPtrArray *port_fqdn;              /* of char *, one a port, NULL for none: its
                                      * ConfiguredFqdn (an external name of the pool) */
  char *external_host;               /* nullable: the element's ExternalSettings Host (the pool's
                             * external web name, else its FQDN), with OverrideUrls */
  const char *const *web_components; /* borrowed: the element's WebComponents, may be empty */
  const char *const *mcus; /* borrowed: the element's MCUs ("NAME NAME=VALUE ..."), may be empty */
  /* while building */
  guint rule;
  const LpTbCluster *cluster;
} LpTbService;

typedef struct {
  const char *component, *domain; /* Component, Domain */
  char *url;                      /* ActiveUrl and its one SimpleUrlEntry */
  char *domain_owned;             /* nullable: domain when it was expanded */
} LpTbSimpleUrl;

typedef struct {
  const char *urn_builder, *urn_writable, *urn_topology, *urn_simple_url, *urn_service_roles;
  const char *urn_web_services, *urn_base_types; /* nullable: WebComponents', UpaSeparator's */
  const char *mcu_vendor;                        /* nullable: each MCU's Vendor */
  const char *const *domains; /* the SIP domains, the default first (the topology's) */
  guint service_version;      /* ServiceVersion of every service */
  GPtrArray *simple_urls;     /* of LpTbSimpleUrl */
  GPtrArray *sites;           /* of LpTbSite: the central sites */
  GPtrArray *services;        /* of LpTbService */
  GPtrArray *notes;           /* of char *: the closing note, line by line */
} LpTbDoc;

/**
 * lp_tbxml_new:
 * @r: a report
 * @error: LP_ERROR_INPUT when the product's rule set has no
 *   [topology-builder] group
 *
 * Builds the document: the central sites (a branch site is a comment in its
 * home site's RemoteSites: no public document shows one), a cluster for each node of an endpoint with a
 * [tb-cluster] (machines named by the servers' FQDNs; FaultDomain and
 * UpgradeDomain the server's virtualisation host where the site is virtual,
 * else the server's own FQDN), a service for each [tb-service] that applies
 * at each site, its dependencies resolved through the model (the pool's
 * Edge pool, an Edge pool's next hop, the same pool, the same site, else
 * the first), and a dependency on the paired pool's service where the rule
 * set gives a partner-usage; an Edge port's ConfiguredFqdn is the pool's
 * external name of its service, an interface's NAT address is written where
 * the [tb-cluster]'s nat constant is not 0. Linear in sites, servers and services.
 *
 * Returns: (transfer full) (nullable): the document; free with lp_tbxml_free().
 */
LpTbDoc *lp_tbxml_new (const LpReport *r, GError **error);
void lp_tbxml_free (LpTbDoc *d);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpTbDoc, lp_tbxml_free)

/**
 * lp_tbxml_uuid:
 * @kind: what is named ("cluster", "service", "sql")
 * @name: its name
 *
 * Returns: (transfer full): a UUID (version 5 form) from the SHA-1 of
 *   @kind and @name: the same names, the same id.
 */
char *lp_tbxml_uuid (const char *kind, const char *name);
