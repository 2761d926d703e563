/* lp-inventory.h: the named servers and pools of a plan's chosen designs,
 * for deliverables. Names come from a pattern: {role} (the role's short
 * name), {nn} (two-digit number), {n} (number) and {site} (the site name in
 * lower case, other characters as '-'). */
#pragma once

#include <glib.h>

#include "lp-plan.h"

/* The seed's [object]-[location] habit: fe01-nyc. */
#define LP_DEFAULT_NAMING "{role}{nn}-{site}"

typedef struct {
  char *name;
  guint site;    /* plan site index */
  guint role;    /* rule-set role index */
  char *pool;    /* nullable: the pool it belongs to */
  char *partner; /* nullable: the server or pool that takes over its users */
} LpServer;

/**
 * LpPoolMode:
 * @LP_POOL_NOT_PAIRED: no pool takes over its users
 * @LP_POOL_SAME_SITE_PAIR: paired with a neighbouring pool of its own site
 * @LP_POOL_CROSS_SITE_PAIR: paired with a pool of its group's other site
 */
typedef enum {
  LP_POOL_NOT_PAIRED,
  LP_POOL_SAME_SITE_PAIR,
  LP_POOL_CROSS_SITE_PAIR,
} LpPoolMode;

typedef struct {
  char *name;
  guint site;
  const char *edition; /* rule-set edition id */
  guint role;          /* the role whose servers form it */
  guint64 servers;
  double users;    /* users homed on it */
  double capacity; /* users it may carry */
  char *backup;    /* nullable: its paired pool */
  LpPoolMode mode;
} LpPool;

typedef struct {
  GPtrArray *servers; /* of LpServer, by site, then role order */
  GPtrArray *pools;   /* of LpPool, by site */
} LpInventory;

/**
 * lp_inventory_new:
 * @plan: a plan
 * @pattern: (nullable): the naming pattern, LP_DEFAULT_NAMING when NULL
 * @strict: refuse names longer than the rule set's computer-name-max (for
 *   deliverables); reports only name things and skip that check
 * @error: LP_ERROR_USAGE for a pattern with an unknown placeholder, one that
 *   gives two servers the same name, or (with @strict) a name too long;
 *   LP_ERROR_INPUT for one with a control character. A name too long is
 *   reported only when the pattern has no other fault, so the message is
 *   the one a lenient inventory would give, else the first name too long.
 *
 * Returns: (transfer full) (nullable): the inventory; free with
 *   lp_inventory_free(). It points into @plan, which must outlive it.
 */
LpInventory *lp_inventory_new (const LpPlan *plan, const char *pattern, gboolean strict,
                               GError **error);
void lp_inventory_free (LpInventory *inv);

/**
 * lp_pool_mode_to_string:
 * Returns: (transfer none): "not paired", "same-site pair" or "cross-site pair".
 */
const char *lp_pool_mode_to_string (LpPoolMode mode);

/**
 * lp_site_token:
 * Returns: (transfer full): @site as a name part, the same in server names
 * and DNS names: lower case, other characters as one '-' ("New York" ->
 * "new-york"), "site" if nothing is left.
 */
char *lp_site_token (const char *site);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpInventory, lp_inventory_free)
