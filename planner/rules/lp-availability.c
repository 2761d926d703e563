/* lp-availability.c: closed-form availability; see lp-availability.h. */
#include "lp-availability.h"

#include <math.h>

#include "lp-units.h"

/* C(n, j) as a double: n is a pool's size, a few dozen at most. */
static double
choose (guint n, guint j)
{
  double c = 1;

  for (guint i = 1; i <= j; i++)
    c = c * (double) (n - j + i) / (double) i;
  return c;
}

double
lp_availability_down_probability (guint n, guint k, double q)
{
  double sum = 0, p = 1 - q;

  if (k > n)
    return 1;
  /* fewer than k up: j = 0 .. k-1 up; summed directly, exact for a small q */
  for (guint j = 0; j < k; j++)
    sum += choose (n, j) * pow (p, j) * pow (q, n - j);
  return MIN (sum, 1);
}

double
lp_availability_server_down (double rate, double repair, double year)
{
  double down = rate * repair;

  return down > 0 ? down / (year + down) : 0;
}

static void
compute_k_of_n (LpAvailComponent *c, double year)
{
  double q = lp_availability_server_down (c->rate, c->repair, year);
  double f = c->n > 0 ? MIN (c->cycles * c->patch / year, 1.0 / c->n) : 0;
  double in_patch = c->n * f; /* one server at a time */

  c->minutes[LP_AVAIL_DOWN] = (1 - in_patch) * lp_availability_down_probability (c->n, c->k, q) *
                              year;
  if (c->n >= 1 && c->n - 1 >= c->k)
    c->minutes[LP_AVAIL_JOINT] = in_patch * lp_availability_down_probability (c->n - 1, c->k, q) *
                                 year;
  else
    c->minutes[LP_AVAIL_PLANNED] = in_patch * year;
}

static void
compute_pair (LpAvailComponent *c, double year)
{
  double q = lp_availability_server_down (c->rate, c->repair, year);
  double planned = MIN (c->cycles * c->patch / year, 1);

  c->minutes[LP_AVAIL_DOWN] = (1 - planned) * q * q * year;
  /* the active server fails while both are up: a failover each time */
  c->minutes[LP_AVAIL_JOINT] = (1 - planned) * c->rate * (1 - q) * (1 - q) * c->failover;
  c->minutes[LP_AVAIL_PLANNED] = planned * year;
}

void
lp_availability_compute (LpAvailComponent *c, double year)
{
  for (guint i = 0; i < LP_AVAIL_N_PARTS; i++)
    c->minutes[i] = 0;
  if (!c->applies || year <= 0)
    return;
  if (c->kind == LP_AVAIL_PAIR && c->n == 2)
    compute_pair (c, year);
  else
    compute_k_of_n (c, year);
  /* expected minutes, each part apart: failures at 365 a year with a failover
   * of hours each sum past the year; a component is down at most all of it */
  double sum = 0;
  for (guint i = 0; i < LP_AVAIL_N_PARTS; i++)
    sum += c->minutes[i];
  if (sum > year) {
    for (guint i = 0; i < LP_AVAIL_N_PARTS; i++)
      c->minutes[i] *= year / sum;
  }
}

double
lp_availability_total (const LpAvailComponent *c, guint n, guint user_class,
                       gboolean planned_counted)
{
  double sum = 0;

  for (guint i = 0; i < n; i++) {
    if (!c[i].applies || (c[i].users & user_class) == 0)
      continue;
    sum += c[i].minutes[LP_AVAIL_DOWN] + c[i].minutes[LP_AVAIL_JOINT];
    if (planned_counted)
      sum += c[i].minutes[LP_AVAIL_PLANNED];
  }
  return sum;
}

guint
lp_availability_quorum (const LpQuorum *q, guint *n)
{
  if (*n == 0 || *n > LP_QUORUM_MAX || q->must_run[*n] == 0)
    return *n;
  if (q->must_run_of_first[*n] > 0) {
    guint k = q->must_run[*n];
    *n = q->must_run_of_first[*n];
    return k;
  }
  return q->must_run[*n];
}

static char *
k_of_n_label (const LpAvailRule *rule, const LpAvailComponent *c, LpAvailPart part)
{
  guint lost = c->n - c->k + 1;

  if (part == LP_AVAIL_PLANNED)
    return g_strdup_printf ("%s: patch windows, one server at a time", rule->label);
  if (part == LP_AVAIL_JOINT)
    return g_strdup_printf ("%s: %u down while another is patched", rule->label, lost - 1);
  if (c->n == 1)
    return g_strdup_printf ("%s: the server fails", rule->label);
  if (rule->needed == NULL)
    return g_strdup_printf ("%s: quorum lost, %u of %u servers down at once", rule->label, lost,
                            c->n);
  if (lost == c->n)
    return g_strdup_printf ("%s: all %u down at once", rule->label, c->n);
  return g_strdup_printf ("%s: %u of %u down at once", rule->label, lost, c->n);
}

char *
lp_availability_part_label (const LpAvailRule *rule, const LpAvailComponent *c, LpAvailPart part)
{
  g_autofree char *each = NULL;

  if (c->kind != LP_AVAIL_PAIR || c->n != 2)
    return k_of_n_label (rule, c, part);
  if (part == LP_AVAIL_DOWN)
    return g_strdup_printf ("%s: both down at once", rule->label);
  if (part == LP_AVAIL_PLANNED)
    return g_strdup_printf ("%s: patching, an outage each cycle", rule->label);
  each = lp_format_duration (c->failover);
  return g_strdup_printf ("%s: %s failover, %s each", rule->label,
                          c->automatic ? "automatic" : "manual", each);
}

const char *
lp_availability_part_cut (const LpAvailRule *rule, const LpAvailComponent *c, LpAvailPart part)
{
  if (part == LP_AVAIL_JOINT && c->kind == LP_AVAIL_PAIR && !c->automatic &&
      rule->cut_manual != NULL)
    return rule->cut_manual;
  return rule->cut[part];
}
