/* lp-pools.h: the pools of a plan as a deliverable lists them: every pool of
 * the topology model (Front End pools and Standard Edition servers, and the
 * pools a [role] pool forms: Edge, Director, Mediation, Office Web Apps or
 * Office Online Server, Persistent Chat), by its own name, with what it
 * carries in normal running and with one of its servers down. Built once per
 * report; writers only format it. */
#pragma once

#include <glib.h>

#include "lp-inventory.h"
#include "lp-plan.h"
#include "lp-topology.h"

/* How a pool's figure with one of its servers down comes about. */
typedef enum {
  LP_DOWN_OTHERS,   /* its other carrying servers carry it (0 when none is left) */
  LP_DOWN_FAILOVER, /* a pool of one server: its users fail over to its backup pool, whose
                     * survivor carries one_down (both servers' users) */
  LP_DOWN_NONE,     /* a pool of one server with no backup pool: nothing carries it */
} LpPoolDown;

typedef struct {
  char *name;         /* the inventory's pool name, else its DNS name's first label */
  const char *node;   /* the topology model's id of its pool node */
  guint site;         /* plan site index */
  const char *kind;   /* the edition's name for a user pool, else the role's name */
  guint role;         /* the rule-set role whose servers form it */
  gboolean user_pool; /* an inventory pool (Front End pool, Standard Edition server) */
  guint64 servers;    /* its servers of the pool's role */
  double users;       /* users homed on it; NAN for a pool that homes none */
  double normal;      /* what it carries in normal running; NAN when its role has no capacity */
  double one_down;    /* what it carries with one of its servers down (see down) */
  LpPoolDown down;    /* how one_down comes about */
  guint64 standby;    /* its servers that stand by, carrying nothing until activated */
  const char *unit;   /* what the two count ("users", "PSTN calls"); NULL with no capacity */
  gboolean capped;    /* normal is the design's pool limit, less than servers x capacity */
  const char *backup; /* nullable: the pool that takes over its users */
  LpPoolMode mode;
  const LpTopoNode *pool; /* the model's pool node: its members are the row's servers
                           * (lp_pool_row_members()) */
} LpPoolRow;

/**
 * lp_pool_rows_new:
 * @plan: a plan made for a report (its sizings carry the roles' capacities)
 * @t: the plan's topology model
 *
 * One row for each pool node of @t that is an inventory pool or the pool of a
 * role with a [role] pool name, by site (each site's user pools first), then
 * in the model's order. A pool's carrying servers (its role's
 * capacity-servers, else all) carry that many times its role's capacity at
 * its site in normal running, one fewer's with one of them down; a pool of
 * one server with a backup pool shows its role's capacity-failover with it
 * down (the survivor of the failover), without one nothing; a user pool
 * never more than its design's pool limit. Linear in pools and servers.
 *
 * Returns: (transfer full) (element-type LpPoolRow): the rows; free with
 *   g_ptr_array_unref(). Points into @plan and @t, which must outlive it.
 */
GPtrArray *lp_pool_rows_new (const LpPlan *plan, const LpTopology *t);

/**
 * lp_pool_row_members:
 * @row: a pool row
 *
 * Returns: (transfer full): the names of its servers (its node's members of
 *   its role), comma-separated, made when asked (a view of the model);
 *   g_free() it.
 */
char *lp_pool_row_members (const LpPoolRow *row);
