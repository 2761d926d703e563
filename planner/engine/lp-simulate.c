/* lp-simulate.c: discrete-event simulation of availability; see lp-simulate.h. */
#include "lp-simulate.h"

#include <math.h>
#include <string.h>

/* A stretch of downtime of one component. */
typedef struct {
  double start, end;
  gboolean planned;
  guint users;
} LpDown;

/* One server: up or in repair until @next. */
typedef struct {
  gboolean up;
  double next;
} LpServer;

typedef struct {
  const LpAvailComponent *c;
  guint n, k; /* as simulated: a pair of one server is 1 of 1 */
  gboolean pair;
  double offset; /* where its patch windows start in each cycle, minutes */
  double cycle;  /* minutes between patch cycles; 0: no patching */
  double window; /* k of n: each server's window; a pair: the outage */
  double mean_up, mean_repair;
  LpServer *servers;
  guint failed;      /* servers in repair */
  guint active;      /* a pair: the server holding the service */
  double down_since; /* a pair: both down since; negative: not */
} LpSimComp;

typedef struct {
  GRand *rand;
  double year;
  GArray *downs; /* of LpDown: this year's, and what runs past it */
  GArray *carry; /* of LpDown: what runs into next year */
} LpSim;

static double
exponential (LpSim *sim, double mean)
{
  if (isinf (mean)) /* a server that never fails */
    return INFINITY;
  return mean > 0 ? -mean * log (1 - g_rand_double (sim->rand)) : 0;
}

static void
emit (LpSim *sim, const LpSimComp *sc, double start, double end, gboolean planned)
{
  LpDown d = { start, end, planned, sc->c->users };

  if (end > start)
    g_array_append_val (sim->downs, d);
}

/* The planned block of each cycle (every patch window when one takes the
 * service down by itself): [cycle start + offset, + length). */
static double
planned_block (const LpSimComp *sc)
{
  if (sc->cycle <= 0)
    return 0;
  if (sc->pair)
    return sc->window;
  return sc->n >= 1 && sc->n - 1 < sc->k ? sc->window * sc->n : 0;
}

/* Unplanned downtime [a, b), less the planned blocks it overlaps: a
 * stretch inside a planned block is planned whatever else is down. */
static void
emit_unplanned (LpSim *sim, const LpSimComp *sc, double a, double b)
{
  double block = planned_block (sc);

  if (block <= 0) {
    emit (sim, sc, a, b, FALSE);
    return;
  }
  for (double j = floor ((a - sc->offset) / sc->cycle); a < b; j++) {
    double bs = j * sc->cycle + sc->offset, be = bs + block;
    if (be <= a)
      continue;
    emit (sim, sc, a, MIN (b, bs), FALSE);
    a = MAX (a, MIN (b, be));
  }
}

static void
emit_planned (LpSim *sim, const LpSimComp *sc, double t0, double t1)
{
  double block = planned_block (sc);

  if (block <= 0)
    return;
  for (double j = floor ((t0 - sc->offset) / sc->cycle); j * sc->cycle + sc->offset < t1; j++) {
    double bs = j * sc->cycle + sc->offset;
    emit (sim, sc, MAX (bs, t0), MIN (bs + block, t1), TRUE);
  }
}

/* k of n: during [a, b) the failed servers stay the same. */
static void
k_of_n_segment (LpSim *sim, const LpSimComp *sc, double a, double b)
{
  guint up = sc->n - sc->failed;

  if (up < sc->k) {
    emit_unplanned (sim, sc, a, b);
    return;
  }
  /* exactly k up: the patch window of an up server takes it down */
  if (up - 1 >= sc->k || sc->cycle <= 0 || sc->window <= 0 || sc->n - 1 < sc->k)
    return;
  for (double j = floor ((a - sc->offset) / sc->cycle); j * sc->cycle + sc->offset < b; j++) {
    for (guint i = 0; i < sc->n; i++) {
      double ws = j * sc->cycle + sc->offset + i * sc->window, we = ws + sc->window;
      if (sc->servers[i].up && we > a && ws < b)
        emit (sim, sc, MAX (a, ws), MIN (b, we), FALSE);
    }
  }
}

static guint
next_server (const LpSimComp *sc)
{
  guint m = 0;

  for (guint i = 1; i < sc->n; i++)
    if (sc->servers[i].next < sc->servers[m].next)
      m = i;
  return m;
}

static void
toggle (LpSim *sim, LpSimComp *sc, guint i)
{
  LpServer *s = &sc->servers[i];

  s->up = !s->up;
  if (s->up)
    sc->failed--;
  else
    sc->failed++;
  s->next += exponential (sim, s->up ? sc->mean_up : sc->mean_repair);
}

static void
k_of_n_advance (LpSim *sim, LpSimComp *sc, double t0, double t1)
{
  double a = t0;

  for (guint i = next_server (sc); sc->servers[i].next < t1; i = next_server (sc)) {
    double t = sc->servers[i].next;
    k_of_n_segment (sim, sc, a, t);
    toggle (sim, sc, i);
    a = t;
  }
  k_of_n_segment (sim, sc, a, t1);
  emit_planned (sim, sc, t0, t1);
}

/* A pair: the active server's failure costs a failover while its partner
 * is up; with both down the first repaired takes the service back. */
static void
pair_event (LpSim *sim, LpSimComp *sc, guint i, double t)
{
  guint other = 1 - i;

  toggle (sim, sc, i);
  if (!sc->servers[i].up) {
    if (i != sc->active)
      return;
    if (sc->servers[other].up) {
      emit_unplanned (sim, sc, t, t + sc->c->failover);
      sc->active = other;
    } else {
      sc->down_since = t;
    }
  } else if (sc->down_since >= 0) {
    emit_unplanned (sim, sc, sc->down_since, t);
    sc->down_since = -1;
    sc->active = i;
  }
}

static void
pair_advance (LpSim *sim, LpSimComp *sc, double t0, double t1)
{
  for (guint i = next_server (sc); sc->servers[i].next < t1; i = next_server (sc))
    pair_event (sim, sc, i, sc->servers[i].next);
  if (sc->down_since >= 0) {
    emit_unplanned (sim, sc, sc->down_since, t1);
    sc->down_since = t1;
  }
  emit_planned (sim, sc, t0, t1);
}

static void
comp_init (LpSim *sim, LpSimComp *sc, const LpAvailComponent *c, double *offset)
{
  memset (sc, 0, sizeof *sc);
  sc->c = c;
  sc->pair = c->kind == LP_AVAIL_PAIR && c->n == 2;
  sc->n = c->n;
  sc->k = sc->pair ? 1 : c->k;
  sc->cycle = c->cycles > 0 ? sim->year / c->cycles : 0;
  sc->window = c->patch;
  sc->offset = *offset;
  sc->mean_up = c->rate > 0 ? sim->year / c->rate : INFINITY;
  sc->mean_repair = c->repair;
  sc->down_since = -1;
  sc->servers = g_new0 (LpServer, MAX (sc->n, 1));
  /* each server starts as it would be at any moment: down with the share of time it is */
  for (guint i = 0; i < sc->n; i++) {
    double q = c->rate * c->repair / (sim->year + c->rate * c->repair);
    sc->servers[i].up = !(c->rate > 0 && g_rand_double (sim->rand) < q);
    sc->servers[i].next = exponential (sim, sc->servers[i].up ? sc->mean_up : sc->mean_repair);
    sc->failed += !sc->servers[i].up;
  }
  if (sc->pair && sc->failed == 2)
    sc->down_since = 0;
  else if (sc->pair && !sc->servers[0].up)
    sc->active = 1;
  /* the next component's windows follow this one's in each cycle */
  if (sc->cycle > 0)
    *offset = fmod (*offset + (sc->pair ? sc->window : sc->window * sc->n), sim->year);
}

static gint
by_start (gconstpointer a, gconstpointer b)
{
  double x = ((const LpDown *) a)->start, y = ((const LpDown *) b)->start;
  return x < y ? -1 : x > y;
}

/* Minutes of [t0, t1) that @user_class is down, counting planned stretches
 * when @planned_counted (the downs are sorted by start). */
static double
measure (const GArray *downs, guint user_class, gboolean planned_counted, double t0, double t1)
{
  double total = 0, cs = 0, ce = -1;

  for (guint i = 0; i < downs->len; i++) {
    const LpDown *d = &g_array_index (downs, LpDown, i);
    double s = MAX (d->start, t0), e = MIN (d->end, t1);
    if ((d->users & user_class) == 0 || (d->planned && !planned_counted) || e <= s)
      continue;
    if (s > ce) {
      total += MAX (ce - cs, 0);
      cs = s;
      ce = e;
    } else {
      ce = MAX (ce, e);
    }
  }
  return total + MAX (ce - cs, 0);
}

/* This year's downs: what ran past it is kept for the next. */
static void
roll_over (LpSim *sim, double t1)
{
  g_array_set_size (sim->carry, 0);
  for (guint i = 0; i < sim->downs->len; i++) {
    LpDown d = g_array_index (sim->downs, LpDown, i);
    if (d.end > t1) {
      d.start = MAX (d.start, t1);
      g_array_append_val (sim->carry, d);
    }
  }
  g_array_set_size (sim->downs, 0);
  g_array_append_vals (sim->downs, sim->carry->data, sim->carry->len);
}

static void
figure (LpSimFigure *f, double sum, double sumsq, guint64 years)
{
  double n = (double) years;
  double var = (sumsq - sum * sum / n) / (n - 1);

  f->mean = sum / n;
  f->standard_error = sqrt (MAX (var, 0) / n);
  /* downtime is 0 at the least: an interval of a small mean stops there */
  f->ci95_low = MAX (0, f->mean - 1.96 * f->standard_error);
  f->ci95_high = f->mean + 1.96 * f->standard_error;
}

double
lp_simulate_events_per_year (const LpAvailComponent *c, guint n)
{
  double events = 1;

  for (guint i = 0; i < n; i++)
    if (c[i].applies && c[i].n > 0)
      events += c[i].n * (2 * MAX (c[i].rate, 0) + MAX (c[i].cycles, 0));
  return events;
}

void
lp_simulate_site (const LpAvailComponent *c, guint n, double year, gboolean planned_counted,
                  guint64 years, guint64 seed, LpSimProgressFunc progress, gpointer data,
                  LpSimFigure out[2])
{
  guint32 words[2] = { (guint32) seed, (guint32) (seed >> 32) };
  LpSim sim = { .rand = g_rand_new_with_seed_array (words, 2), .year = year };
  g_autofree LpSimComp *comps = g_new0 (LpSimComp, MAX (n, 1));
  double sum[2] = { 0, 0 }, sumsq[2] = { 0, 0 }, offset = 0;
  guint m = 0;

  g_return_if_fail (years >= 2 && years <= LP_SIMULATE_MAX_YEARS && year > 0);
  sim.downs = g_array_new (FALSE, FALSE, sizeof (LpDown));
  sim.carry = g_array_new (FALSE, FALSE, sizeof (LpDown));
  for (guint i = 0; i < n; i++)
    if (c[i].applies && c[i].n > 0)
      comp_init (&sim, &comps[m++], &c[i], &offset);
  for (guint64 y = 0; y < years; y++) {
    double t0 = (double) y * year, t1 = t0 + year;
    for (guint i = 0; i < m; i++)
      (comps[i].pair ? pair_advance : k_of_n_advance) (&sim, &comps[i], t0, t1);
    g_array_sort (sim.downs, by_start);
    for (guint u = 0; u < 2; u++) {
      double x = measure (sim.downs, u == 0 ? LP_AVAIL_INTERNAL : LP_AVAIL_REMOTE, planned_counted,
                          t0, t1);
      sum[u] += x;
      sumsq[u] += x * x;
    }
    roll_over (&sim, t1);
    if (progress != NULL && ((y + 1) % 1024 == 0 || y + 1 == years))
      progress (y + 1, years, data);
  }
  figure (&out[0], sum[0], sumsq[0], years);
  figure (&out[1], sum[1], sumsq[1], years);
  for (guint i = 0; i < m; i++)
    g_free (comps[i].servers);
  g_array_unref (sim.downs);
  g_array_unref (sim.carry);
  g_rand_free (sim.rand);
}
