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
  GPtrArray *servers;     /* of LpServer, by site, then role order */
  GPtrArray *pools;       /* of LpPool, by site */
  GPtrArray *site_tokens; /* of char *, per plan site: its {site} in names and DNS names */
  GPtrArray *site_notes;  /* of char * (nullable), per plan site: how its token was made
                           * when it is not lp_site_token()'s: shortened, numbered, no Latin
                           * form */
} LpInventory;

/**
 * lp_inventory_new:
 * @plan: a plan
 * @pattern: (nullable): the naming pattern, LP_DEFAULT_NAMING when NULL
 * @error: LP_ERROR_USAGE for a pattern with an unknown placeholder, one that
 *   gives two servers the same name, or a name longer than the rule set's
 *   computer-name-max even with its site's token shortened (the pattern's
 *   own text too long); LP_ERROR_INPUT for one with a control character, and
 *   for a site's code ([site] code) that another site has or that makes its
 *   names longer than computer-name-max (its file, line and key named). A
 *   name too long is reported only when the pattern has no other fault.
 *
 * Each site's token (lp_site_token()) is shortened so that its longest name
 * fits computer-name-max: characters come off the end of its longest word
 * first ("rotterdam-dr" -> "rotterd-dr"); a token an earlier site has gets a
 * number ("amst-north", "amst-nort2"); a site name with a letter of no Latin
 * form is "site" and its number in the plan ("site3"). A site with a code
 * uses it as it is (never shortened or numbered; the sites without one are
 * numbered around it), and a site the planner adds for it its code too
 * ("nyc-dr"). Every output names
 * servers, pools and DNS records with these tokens.
 *
 * Returns: (transfer full) (nullable): the inventory; free with
 *   lp_inventory_free(). It points into @plan, which must outlive it.
 */
LpInventory *lp_inventory_new (const LpPlan *plan, const char *pattern, GError **error);

/**
 * lp_inventory_check:
 * @plan: a plan
 * @pattern: (nullable): the naming pattern, LP_DEFAULT_NAMING when NULL
 * @error: as lp_inventory_new()'s
 *
 * Names every server of @plan as lp_inventory_new() does and refuses what it
 * refuses, keeping no server or pool: the shell's and diff's check that a
 * plan can be named, at a fraction of the cost.
 *
 * Returns: TRUE when lp_inventory_new() would return an inventory.
 */
gboolean lp_inventory_check (const LpPlan *plan, const char *pattern, GError **error);

/* lp_inventory_check() for a session's plans one after another, with the
 * default pattern: a plan that differs from the last one that passed only
 * in some sites' server counts names only those sites again. */
typedef struct _LpNameCheck LpNameCheck;

/** lp_name_check_new: Returns: (transfer full): free with lp_name_check_free() */
LpNameCheck *lp_name_check_new (void);

/** lp_name_check_free: @nc: (nullable) */
void lp_name_check_free (LpNameCheck *nc);

/**
 * lp_name_check_plan:
 * @nc: the check of the session's earlier plans
 * @plan: the plan to check
 * @error: as lp_inventory_check()'s with the default pattern
 *
 * The same answer and message as lp_inventory_check (@plan, NULL, @error).
 * When the sites' names, codes and token budgets are those of the last plan
 * that passed, the names of the sites whose counts changed are made again
 * and checked against every name taken (length, and no other site's);
 * otherwise, or on any fault, the whole plan is named. Work and memory stay
 * within a few times one naming of the plan.
 *
 * Returns: TRUE when @plan's servers can be named.
 */
gboolean lp_name_check_plan (LpNameCheck *nc, const LpPlan *plan, GError **error);
void lp_inventory_free (LpInventory *inv);

/**
 * lp_pool_mode_to_string:
 * Returns: (transfer none): "not paired", "same-site pair" or "cross-site pair".
 */
const char *lp_pool_mode_to_string (LpPoolMode mode);

/**
 * lp_site_token:
 * Returns: (transfer full) (nullable): @site as a name part before any
 * shortening: lower case ASCII, other characters as one '-' ("New York" ->
 * "new-york"), "site" if nothing is left. A Latin letter with a diacritic
 * is its base letter ("Zürich" -> "zurich", "Kraków" -> "krakow"), and
 * ß, æ, ø, œ, þ, ð, ł, đ, ħ, ı, ŋ, ŧ are spelled out ("ss", "ae", "o", ...),
 * the same in every locale; NULL when a letter or digit has no Latin form
 * (another script: see lp_inventory_new()).
 */
char *lp_site_token (const char *site);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpInventory, lp_inventory_free)
