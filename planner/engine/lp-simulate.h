/* lp-simulate.h: a discrete-event simulation of a site's components, to
 * check the closed form of lp-availability.h against.
 *
 * Every server fails and is repaired at random (exponential times with the
 * component's rate and mean repair), patch windows come on schedule, a
 * pair fails over when its active server fails; the service is down
 * whenever a component is, so concurrent failures and patch windows
 * interact as they would. None of lp-availability.c's formulas is used. */
#pragma once

#include <glib.h>

#include "lp-availability.h"

#define LP_SIMULATE_MAX_YEARS 1000000 /* years one simulation may run */
/* Events one `lyncplan simulate` may take, over all its groups and years:
 * the failures, repairs and patch windows expected, plus one a year a group
 * (a year's bookkeeping). Some 10 to 25 seconds of work (40 to 100 million
 * events a second measured); 1,000 sites at 100,000 years (8.5 billion), or
 * one pool failing 365 times a year for 1,000,000 years, are far beyond it
 * (issue 24). */
#define LP_SIMULATE_MAX_EVENTS 1000000000.0

/* Called now and then with the years simulated so far of @years. */
typedef void (*LpSimProgressFunc) (guint64 done, guint64 years, gpointer data);

/* The simulated downtime of one user class: minutes a year. */
typedef struct {
  double mean;
  double standard_error; /* of the mean: the years' standard deviation / sqrt(years) */
  double ci95_low, ci95_high;
} LpSimFigure;

/**
 * lp_simulate_site:
 * @c: (array length=n): the components of a site as the engine evaluated
 *   them (their figures; their minutes are not read)
 * @year: minutes a year
 * @planned_counted: planned downtime counts, as for the SLA
 * @years: years to simulate, 2 to LP_SIMULATE_MAX_YEARS
 * @seed: the random numbers' seed: the same seed, the same figures
 * @progress: (nullable): called every 1,024 years and at the end
 * @data: for @progress
 * @out: (out caller-allocates) (array fixed-size=2): internal, remote users
 */
void lp_simulate_site (const LpAvailComponent *c, guint n, double year, gboolean planned_counted,
                       guint64 years, guint64 seed, LpSimProgressFunc progress, gpointer data,
                       LpSimFigure out[2]);

/**
 * lp_simulate_events_per_year:
 * @c: (array length=n): the components, as for lp_simulate_site()
 *
 * Returns: the events lp_simulate_site() expects a simulated year: each
 *   server's failures and repairs and patch windows, plus one for the year;
 *   what LP_SIMULATE_MAX_EVENTS bounds.
 */
double lp_simulate_events_per_year (const LpAvailComponent *c, guint n);
