/* lp-hosts.h: the virtualisation hosts of a plan whose sites are virtual
 * (the site input "virtual"), and which virtual machine runs on which host.
 *
 * Every figure comes from the rule set: a role runs as a virtual machine
 * when the rule set gives it vm-cores-ROLE and vm-memory-gb-ROLE; a host
 * has the site's vm-host-cores and vm-host-memory-gb, less the
 * hypervisor-overhead percentage; vm-spare-hosts empty hosts are added at
 * each virtual site. The placement (see lp_hosts_new()) keeps apart what
 * one host's loss must not take together. */
#pragma once

#include <glib.h>

#include "lp-inventory.h"
#include "lp-plan.h"

typedef struct {
  char *name;         /* "vmh01-nyc": the site's token, as its servers' names */
  guint site;         /* plan site index */
  double cores;       /* physical cores (hyper-threading off) */
  double memory_gb;   /* its memory */
  double cores_used;  /* its virtual machines' virtual processors */
  double memory_used; /* their memory, GB */
  gboolean spare;     /* an empty host for the servers of a failed one */
  GPtrArray *servers; /* of const LpServer *, borrowed from the inventory */
} LpHost;

typedef struct {
  GPtrArray *hosts;    /* of LpHost, site by site */
  GPtrArray *physical; /* of const LpServer *: servers at virtual sites whose role
                        * has no virtual machine figures (they stay physical) */
  double overhead;     /* hypervisor-overhead, percent */
  char *spread;        /* owned: what the loss of one host leaves, in the rule set's words */
  /* the availability model with and without host failures (when hosts exist
   * and the rule set models availability and host-failures-per-year) */
  gboolean compared;
  double year;             /* minutes a year of the availability model */
  double downtime;         /* counted minutes a year, users inside, the worst group */
  double downtime_no_host; /* the same planned with host-failures-per-year = 0 */
  double one_host_minutes; /* what one host's failures would cost a pool with more of
                            * its servers on it than its quorum allows: rate x repair */
  /* per plan site: its hosts, spares included, its spare hosts, and the
   * index in hosts of its first (meaningless where at_site is 0) */
  guint n_sites;
  guint *at_site;
  guint *spare_at_site;
  guint *first_at_site;
  /* the price list's [host]: the bill of materials lists the hosts in addition
   * to the servers, whose licences they still count */
  gboolean priced;   /* the price list prices a host */
  double hardware;   /* one host's hardware price (0 when not priced) */
  double licence;    /* one host's licence price, the hypervisor's (0 when not priced) */
  double unit_price; /* one host: its hardware and licence prices */
  double cost;       /* every host: at_site x unit_price summed */
} LpHosts;

/**
 * lp_hosts_new:
 * @plan: a plan
 * @inv: its inventory (lp_inventory_new())
 * @error: LP_ERROR_INPUT naming the site, the role and both figures when a
 *   host is too small for one of its virtual machines (with the overhead);
 *   LP_ERROR_USAGE when a host's name is longer than computer-name-max
 *
 * Places every virtual machine of each virtual site on hosts of that site.
 * The heuristic: each server belongs to anti-affinity groups, each with a
 * cap of its servers on one host: a pool of the design's pool role n - k
 * (k from [quorum must-run], "k of the first m" giving m - k), the per-pool
 * servers of a pool (Back End SQL servers and their witness) 1, two
 * single-server pools paired in one site (a Standard Edition pair) 1, and
 * any other role's servers at the site (Edge, Director, Office Web Apps,
 * Mediation, ...) 1. Virtual machines, largest first, go round the hosts
 * from where the last one went (next fit), each on the first host with
 * room whose groups allow it; the host count starts at the largest of the
 * cores, the memory and every group's size over its cap, and grows by one
 * until all fit; then vm-spare-hosts empty hosts are added.
 *
 * When there are hosts, the scenario is planned once more with
 * host-failures-per-year = 0, so the report can say what host failures cost
 * the availability (compared, downtime, downtime_no_host).
 *
 * Returns: (transfer full) (nullable): the hosts, none when no site is
 *   virtual; free with lp_hosts_free(). It borrows from @inv, which must
 *   outlive it.
 */
LpHosts *lp_hosts_new (const LpPlan *plan, const LpInventory *inv, GError **error);
void lp_hosts_free (LpHosts *h);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpHosts, lp_hosts_free)

/**
 * lp_hosts_verify:
 * @error: LP_ERROR_INPUT saying which host's loss breaks which rule
 *
 * Checks the placement against the rules themselves, not the caps that
 * made it: for the loss of each host in turn, every pool of the design's
 * pool role keeps its quorum ([quorum must-run], counting "of the first m"
 * as the first m servers of the pool by name), the per-pool servers of a
 * pool keep all but one (a Back End primary, mirror and witness: three
 * hosts), each Standard Edition pair of one site keeps a server, and every
 * other role's servers at a site keep all but one; and no host holds more
 * virtual processors or memory than it has after the overhead.
 *
 * Returns: TRUE when every rule holds.
 */
gboolean lp_hosts_verify (const LpHosts *h, const LpPlan *plan, const LpInventory *inv,
                          GError **error);
