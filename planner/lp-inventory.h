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

typedef struct {
  char *name;
  guint site;
  const char *edition; /* rule-set edition id */
  guint role;          /* the role whose servers form it */
  guint64 servers;
  double users;        /* users homed on it */
  double capacity;     /* users it may carry */
  char *backup;        /* nullable: its paired pool */
  const char *mode;    /* "same-site pair", "cross-site pair" or "not paired" */
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
 *   LP_ERROR_INPUT for one with a control character
 *
 * Returns: (transfer full) (nullable): the inventory.
 */
LpInventory *lp_inventory_new (const LpPlan *plan, const char *pattern, gboolean strict,
                               GError **error);
void lp_inventory_free (LpInventory *inv);

/**
 * lp_site_token:
 * Returns: (transfer full): @site as a name part, the same in server names
 * and DNS names: lower case, other characters as one '-' ("New York" ->
 * "new-york"), "site" if nothing is left.
 */
char *lp_site_token (const char *site);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpInventory, lp_inventory_free)
