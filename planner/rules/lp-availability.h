/* lp-availability.h: the steady-state availability of a user's service,
 * in closed form, from the components a template's [availability] groups
 * name (binomial k of n, a pair with failover, patch windows).
 *
 * The figures are minutes a year, each part of each component apart, so a
 * report shows where the downtime comes from; the total of a user class is
 * the sum of the parts it counts. Nothing here knows a product figure: the
 * engine evaluates the rule set's formulas into LpAvailComponent. */
#pragma once

#include <glib.h>

#include "lp-ruleset.h"

/* The parts of a component's downtime. */
typedef enum {
  LP_AVAIL_DOWN,    /* k of n: too few up from failures alone; a pair: both down */
  LP_AVAIL_JOINT,   /* k of n: a failure while another server is patched; a pair: failovers */
  LP_AVAIL_PLANNED, /* patch windows that take the service down by themselves */
  LP_AVAIL_N_PARTS
} LpAvailPart;

/* One component as evaluated at a site: its figures and, once computed, the
 * minutes a year of each part. Plain values. */
typedef struct {
  gboolean applies;
  LpAvailKind kind; /* a pair of one server is computed as 1 of 1 */
  guint users;      /* LP_AVAIL_INTERNAL and/or LP_AVAIL_REMOTE */
  guint n, k;       /* servers, and how many must be up (k of n) */
  double rate;      /* failures a server-year */
  double repair;    /* minutes */
  double failover;  /* a pair: minutes each failover of the active server takes */
  gboolean automatic;
  double cycles; /* patch cycles a year */
  double patch;  /* k of n: each server's patch window; a pair: the outage a cycle (minutes) */
  double minutes[LP_AVAIL_N_PARTS];
} LpAvailComponent;

/**
 * lp_availability_down_probability:
 * @n: servers
 * @k: servers that must be up
 * @q: the probability that one server is down, each independently
 *
 * Returns: the probability that fewer than @k of @n are up (1 when @k > @n,
 * 0 when @k is 0).
 */
double lp_availability_down_probability (guint n, guint k, double q);

/**
 * lp_availability_server_down:
 * @rate: failures a server-year
 * @repair: minutes a repair takes
 * @year: minutes a year
 *
 * Returns: the share of time one server is down: the mean repair over the
 * mean time between failures plus the mean repair.
 */
double lp_availability_server_down (double rate, double repair, double year);

/**
 * lp_availability_compute:
 * @c: a component whose figures are set; its minutes are filled, together
 *   at most @year (scaled down when the figures sum past it) (all 0 when
 *   it does not apply)
 * @year: minutes a year
 *
 * Each part is exact for independent servers with exponential failure and
 * repair times and patch windows one server at a time (a pair: one outage a
 * cycle), the shares of a year it takes; a part inside a patch window that
 * takes the service down anyway counts as planned.
 */
void lp_availability_compute (LpAvailComponent *c, double year);

/**
 * lp_availability_total:
 * @c: (array length=n): computed components
 * @user_class: LP_AVAIL_INTERNAL or LP_AVAIL_REMOTE
 * @planned_counted: planned parts count toward the total
 *
 * Returns: the minutes a year a user of @user_class loses: the sum of the
 * parts it counts of the components it depends on.
 */
double lp_availability_total (const LpAvailComponent *c, guint n, guint user_class,
                              gboolean planned_counted);

/**
 * lp_availability_part_label:
 * @rule: the component's rule
 * @c: the component as evaluated
 * @part: one of its parts
 *
 * Returns: (transfer full): what the part is, as every report names it:
 *   "Front End pool: quorum lost, 2 of 3 servers down at once".
 */
char *lp_availability_part_label (const LpAvailRule *rule, const LpAvailComponent *c,
                                  LpAvailPart part);

/**
 * lp_availability_part_cut:
 * Returns: (transfer none) (nullable): what the rule says would cut @part.
 */
const char *lp_availability_part_cut (const LpAvailRule *rule, const LpAvailComponent *c,
                                      LpAvailPart part);

/**
 * lp_availability_quorum:
 * @q: the rule set's quorum table
 * @n: (inout): the pool's servers; becomes the servers the quorum counts
 *   (its first M for "N of the first M")
 *
 * Returns: the servers that must run: the must-run table's, or all of
 * them for a size the table does not list.
 */
guint lp_availability_quorum (const LpQuorum *q, guint *n);
