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
  guint site;             /* plan site index (0 for an organization-wide node) */
  char *subject;          /* a fully qualified name */
  GPtrArray *names;       /* of char *: the subject alternative names, in order, each once */
} LpCertificate;

typedef struct {
  const LpPortRule *rule;
  const LpTopoFlow *flow; /* the flow of the model it opens */
  guint site;             /* from's site, else to's (0 when neither has one) */
  const char *from, *to;  /* the flow's texts */
  const char *crosses;    /* "perimeter" (two zones), "site" (two sites) or "internal" */
} LpFirewallRule;

typedef struct {
  GPtrArray *certificates; /* of LpCertificate, in rule order, then node order */
  GPtrArray *firewall;     /* of LpFirewallRule, in the model's flow order */
} LpCertificates;

/**
 * lp_certificates_new:
 * @plan: a plan
 * @topo: its topology model
 *
 * The certificate plan (a certificate whose subject has no value at a
 * node is left out there) and the firewall plan (every flow). Linear in
 * the model's nodes and flows. Fails never.
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
