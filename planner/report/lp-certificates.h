/* lp-certificates.h: the certificate plan and the firewall plan of a plan,
 * views of its topology model (lp-topology.h): one certificate for each
 * [certificate ID] and each node of its endpoint, its names filled in at
 * that node; one firewall row for each flow of the model. The C code knows
 * no name or port: the rule file writes them. */
#pragma once

#include <glib.h>

#include "lp-inventory.h"
#include "lp-plan.h"
#include "lp-topology.h"

typedef struct {
  const LpCertRule *rule;
  const LpTopoNode *node; /* the endpoint that presents it */
  guint site;       /* plan site index; for an organization-wide node's, the site of the model's
                     * first pool (where the Central Management store is, and such a
                     * certificate is assigned once), else 0 */
  char *subject;    /* a fully qualified name */
  GPtrArray *names; /* of char *: the subject alternative names, in order, each once */
} LpCertificate;

/* One publishing rule of a reverse proxy: an external web name, the node
 * behind it and the ports, all the model's. */
typedef struct {
  const LpTopoNode *proxy;          /* the reverse proxy that publishes it */
  const LpTopoNode *target;         /* the node it forwards to (a pool's web services, a farm) */
  const char *name;                 /* the external web name (borrowed from the model) */
  const LpCertificate *certificate; /* the proxy's certificate that carries @name */
  guint site;                       /* the proxy's site (plan site index) */
  GPtrArray *listener;              /* of const char *: the ports of the flows into the proxy (one
                                     * reference: a proxy's rows share it) */
  GPtrArray *forward;               /* of const char *: those of its flows to @target (shared) */
  const char *listener_ports;       /* @listener as text: "443, 80" (the plans' texts) */
  const char *target_ports;         /* @forward as text: "4443, 8080" (the plans' texts) */
  gboolean shared;                  /* an organization-wide name (simple URLs, lyncdiscover),
                                     * forwarded to the proxy's first published node */
} LpPublishRule;

typedef struct {
  GPtrArray *certificates;   /* of LpCertificate, in rule order, then node order */
  const GPtrArray *firewall; /* of LpTopoFlow, borrowed: the model's flows, a row each */
  const LpTopology *topo;    /* borrowed: the model; a firewall row's end texts are its views
                              * (lp_topology_flow_end()) */
  GPtrArray *publishing;     /* of LpPublishRule: per reverse proxy (model order), the
                              * external web names of its own site's Edge pool first,
                              * then its partners', then the organization's */
  GStringChunk *texts;       /* the publishing rows' port texts, each once */
} LpCertificates;

/**
 * lp_certificates_new:
 * @plan: a plan
 * @topo: its topology model
 *
 * The certificate plan (a certificate whose subject has no value at a
 * node is left out there), the firewall plan (every flow) and the
 * reverse proxies' publishing plan (each external web name a proxy
 * publishes: the node behind it, the proxy's certificate that carries it,
 * the ports of the model's flows into the proxy and from it to that node).
 * Linear in the model's nodes, flows and names. Fails never.
 *
 * Returns: (transfer full): the plans; free with lp_certificates_free().
 *   They point into @plan's rule set and into @topo.
 */
LpCertificates *lp_certificates_new (const LpPlan *plan, const LpTopology *topo);
/**
 * lp_certificates_free:
 * @c: (nullable): plans of lp_certificates_new(), freed with every row
 */
void lp_certificates_free (LpCertificates *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpCertificates, lp_certificates_free)

/**
 * lp_certificate_issuer:
 * Returns: (transfer none): "public CA" or "internal CA", as the reports
 *   print @rule's issuer.
 */
const char *lp_certificate_issuer (const LpCertRule *rule);
