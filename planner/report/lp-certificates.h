/* lp-certificates.h: the certificate plan and the firewall plan of a plan,
 * built once for every writer from the rule set's [certificate] and [port]
 * tables, the inventory's pool and server names and the DNS plan's SIP
 * domains. The C code knows no name or port: the rule file writes them. */
#pragma once

#include <glib.h>

#include "lp-inventory.h"
#include "lp-plan.h"
#include "lp-resilience.h"

typedef struct {
  const LpCertRule *rule;
  guint site;       /* plan site index */
  char *subject;    /* a fully qualified name */
  GPtrArray *names; /* of char *: the subject alternative names, in order, each once */
} LpCertificate;

typedef struct {
  const LpPortRule *rule;
  guint site;
  char *from, *to; /* the names filled in */
} LpFirewallRule;

typedef struct {
  GPtrArray *certificates; /* of LpCertificate, in rule order, then site and pool order */
  GPtrArray *firewall;     /* of LpFirewallRule, likewise */
} LpCertificates;

/**
 * lp_certificates_new:
 * @plan: a plan
 * @inv: its inventory, for pool and server names
 * @res: its resilience review, for the SIP domains
 *
 * One certificate row for each [certificate] group and each pool (per =
 * pool) or site (per = site) where its roles have servers; one firewall row
 * for each [port] group likewise, left out where a name it needs has no
 * value (a pool with no partner). Fails never.
 *
 * Returns: (transfer full): the plans; free with lp_certificates_free().
 *   They point into @plan's rule set.
 */
LpCertificates *lp_certificates_new (const LpPlan *plan, const LpInventory *inv,
                                     const LpResilience *res);
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
