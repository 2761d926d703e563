/* test-availability.c: the closed form of lp-availability.c against hand
 * values, and the simulation of lp-simulate.c against the closed form. */
#include <glib.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "lp-availability.h"
#include "lp-simulate.h"
#include "lp-test.h"

#define YEAR 525960.0

/* One server down 480 minutes in a year of failures once a year. */
#define Q (480.0 / (YEAR + 480.0))
#define P (1 - Q)

typedef struct {
  const char *name;
  guint n, k;
  double q;
  double expected;
} DownRow;

static const DownRow down_rows[] = {
  { "1 of 1", 1, 1, 0.1, 0.1 },
  { "1 of 2: both down", 2, 1, 0.1, 0.01 },
  { "2 of 3: two or three down", 3, 2, 0.1, 3 * 0.01 * 0.9 + 0.001 },
  { "3 of 5", 5, 3, 0.1, 1e-5 + 5 * 0.9 * 1e-4 + 10 * 0.81 * 1e-3 },
  { "4 of 7 (the first 7 of 8)", 7, 4, 0.2,
    /* 0, 1, 2 or 3 of 7 up */
    0.2 * 0.2 * 0.2 * 0.2 * 0.2 * 0.2 * 0.2 + 7 * 0.8 * pow (0.2, 6) + 21 * 0.64 * pow (0.2, 5) +
      35 * 0.512 * pow (0.2, 4) },
  { "more needed than there are", 2, 3, 0.1, 1 },
  { "none needed", 4, 0, 0.5, 0 },
  { "no server is ever down", 3, 2, 0, 0 },
};

static void
test_down (void **state)
{
  const DownRow *row = *state;

  assert_float_equal (lp_availability_down_probability (row->n, row->k, row->q), row->expected,
                      1e-15);
}

typedef struct {
  const char *name;
  LpAvailComponent c;
  double minutes[LP_AVAIL_N_PARTS]; /* down, joint, planned */
} PartRow;

static const PartRow part_rows[] = {
  { "one server",
    { .applies = TRUE, .n = 1, .k = 1, .rate = 1, .repair = 480 },
    { Q * YEAR, 0, 0 } },
  { "one server patched monthly for an hour",
    { .applies = TRUE, .n = 1, .k = 1, .rate = 1, .repair = 480, .cycles = 12, .patch = 60 },
    { (1 - 720 / YEAR) * Q * YEAR, 0, 720 } },
  { "3 Front End servers, quorum 2: two down at once",
    { .applies = TRUE, .n = 3, .k = 2, .rate = 1, .repair = 480 },
    { (3 * Q * Q * P + Q * Q * Q) * YEAR, 0, 0 } },
  { "3 Front End servers patched one at a time",
    { .applies = TRUE, .n = 3, .k = 2, .rate = 1, .repair = 480, .cycles = 12, .patch = 60 },
    /* 2,160 minutes a year one is patched: then the other two must both be up */
    { (1 - 2160 / YEAR) * (3 * Q * Q * P + Q * Q * Q) * YEAR, 2160 * (1 - P * P), 0 } },
  { "two Edge servers, one needed",
    { .applies = TRUE, .n = 2, .k = 1, .rate = 1, .repair = 480 },
    { Q * Q * YEAR, 0, 0 } },
  { "pair with a 5m automatic failover",
    { .applies = TRUE,
      .kind = LP_AVAIL_PAIR,
      .n = 2,
      .k = 1,
      .rate = 1,
      .repair = 480,
      .failover = 5,
      .automatic = TRUE },
    { Q * Q * YEAR, P *P * 5, 0 } },
  { "pair with a 5m outage each monthly cycle",
    { .applies = TRUE,
      .kind = LP_AVAIL_PAIR,
      .n = 2,
      .k = 1,
      .rate = 1,
      .repair = 480,
      .failover = 60,
      .cycles = 12,
      .patch = 5 },
    { (1 - 60 / YEAR) * Q * Q * YEAR, (1 - 60 / YEAR) * P *P * 60, 60 } },
  { "a component that does not apply",
    { .applies = FALSE, .n = 1, .k = 1, .rate = 1, .repair = 480, .cycles = 12, .patch = 60 },
    { 0, 0, 0 } },
};

static void
test_parts (void **state)
{
  const PartRow *row = *state;
  LpAvailComponent c = row->c;

  lp_availability_compute (&c, YEAR);
  for (guint i = 0; i < LP_AVAIL_N_PARTS; i++)
    assert_float_equal (c.minutes[i], row->minutes[i], 1e-9 * MAX (1, row->minutes[i]));
}

static void
test_server_down (void **state)
{
  (void) state;
  assert_float_equal (lp_availability_server_down (1, 480, YEAR), Q, 1e-15);
  assert_float_equal (lp_availability_server_down (0, 480, YEAR), 0, 0);
  assert_float_equal (lp_availability_server_down (2, 30, YEAR), 60 / (YEAR + 60), 1e-15);
}

static void
test_quorum (void **state)
{
  LpQuorum q = { 0 };
  guint n;

  (void) state;
  q.must_run[3] = 2;
  q.must_run[8] = 4;
  q.must_run_of_first[8] = 7;
  n = 3;
  assert_int_equal (lp_availability_quorum (&q, &n), 2);
  assert_int_equal (n, 3);
  n = 8; /* 4 of the first 7 */
  assert_int_equal (lp_availability_quorum (&q, &n), 4);
  assert_int_equal (n, 7);
  n = 13; /* not listed: every server */
  assert_int_equal (lp_availability_quorum (&q, &n), 13);
}

/* The total is the sum of the parts a class counts. */
static void
test_total (void **state)
{
  LpAvailComponent c[2] = {
    { .applies = TRUE, .users = LP_AVAIL_INTERNAL | LP_AVAIL_REMOTE, .minutes = { 1, 2, 30 } },
    { .applies = TRUE, .users = LP_AVAIL_REMOTE, .minutes = { 4, 8, 60 } },
  };

  (void) state;
  assert_float_equal (lp_availability_total (c, 2, LP_AVAIL_INTERNAL, FALSE), 3, 0);
  assert_float_equal (lp_availability_total (c, 2, LP_AVAIL_REMOTE, FALSE), 15, 0);
  assert_float_equal (lp_availability_total (c, 2, LP_AVAIL_INTERNAL, TRUE), 33, 0);
  assert_float_equal (lp_availability_total (c, 2, LP_AVAIL_REMOTE, TRUE), 105, 0);
}

/* A site of every kind of component: the simulation, with its own rules,
 * lands within four standard errors of the closed form, for both classes,
 * planned maintenance counted or not; the same seed gives the same figures. */
static void
test_simulation (void **state)
{
  LpAvailComponent c[4] = {
    { .applies = TRUE,
      .users = 3,
      .n = 3,
      .k = 2,
      .rate = 2,
      .repair = 480,
      .cycles = 12,
      .patch = 60 },
    { .applies = TRUE,
      .users = 3,
      .kind = LP_AVAIL_PAIR,
      .n = 2,
      .k = 1,
      .rate = 1,
      .repair = 480,
      .failover = 60,
      .cycles = 12,
      .patch = 30 },
    { .applies = TRUE,
      .users = LP_AVAIL_REMOTE,
      .n = 1,
      .k = 1,
      .rate = 1,
      .repair = 600,
      .cycles = 12,
      .patch = 60 },
    { .applies = TRUE, .users = LP_AVAIL_REMOTE, .n = 2, .k = 1, .rate = 4, .repair = 480 },
  };
  LpSimFigure sim[2], again[2];

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (c); i++)
    lp_availability_compute (&c[i], YEAR);
  for (guint counted = 0; counted < 2; counted++) {
    lp_simulate_site (c, G_N_ELEMENTS (c), YEAR, counted, 20000, 42, NULL, NULL, sim);
    for (guint u = 0; u < 2; u++) {
      double analytic = lp_availability_total (c, G_N_ELEMENTS (c), u == 0 ? 1 : 2, counted);
      assert_true (sim[u].standard_error > 0);
      assert_true (fabs (analytic - sim[u].mean) <= 4 * sim[u].standard_error);
      assert_true (sim[u].ci95_low < sim[u].mean && sim[u].mean < sim[u].ci95_high);
    }
  }
  lp_simulate_site (c, G_N_ELEMENTS (c), YEAR, FALSE, 2000, 7, NULL, NULL, sim);
  lp_simulate_site (c, G_N_ELEMENTS (c), YEAR, FALSE, 2000, 7, NULL, NULL, again);
  assert_memory_equal (sim, again, sizeof sim);
  lp_simulate_site (c, G_N_ELEMENTS (c), YEAR, FALSE, 2000, 8, NULL, NULL, again);
  assert_true (sim[0].mean != again[0].mean);
}

int
main (void)
{
  LP_TEST_TABLE (tests, down_rows, test_down);
  for (guint i = 0; i < G_N_ELEMENTS (part_rows); i++) {
    struct CMUnitTest t = { .name = part_rows[i].name,
                            .test_func = test_parts,
                            .initial_state = (void *) &part_rows[i] };
    g_array_append_val (tests, t);
  }
  LP_TEST_ADD (tests, test_server_down);
  LP_TEST_ADD (tests, test_quorum);
  LP_TEST_ADD (tests, test_total);
  LP_TEST_ADD (tests, test_simulation);
  return LP_TEST_RUN ("availability", tests);
}
