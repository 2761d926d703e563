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
 * @out: (out caller-allocates) (array fixed-size=2): internal, remote users
 */
void lp_simulate_site (const LpAvailComponent *c, guint n, double year, gboolean planned_counted,
                       guint64 years, guint64 seed, LpSimFigure out[2]);
