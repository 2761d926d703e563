/* lp-test.h: helpers shared by the cmocka tests. */
#pragma once

#include <glib.h>

/* Builds a GArray of struct CMUnitTest named @tests with one entry per row
 * of the static array @rows, named by the row's name member, each running
 * @fn with the row as its state. Table rows fail by name. */
#define LP_TEST_TABLE(tests, rows, fn)                                          \
  g_autoptr (GArray) tests = g_array_new (FALSE, TRUE, sizeof (struct CMUnitTest)); \
  for (guint i_ = 0; i_ < G_N_ELEMENTS (rows); i_++) {                          \
    struct CMUnitTest t_ = { .name = rows[i_].name, .test_func = fn,            \
                             .initial_state = (void *) &rows[i_] };             \
    g_array_append_val (tests, t_);                                             \
  }

/* Runs the tests of a GArray built by LP_TEST_TABLE as one cmocka group (one
 * group per binary: cmocka 1.1.5's TAP output confuses meson otherwise). */
#define LP_TEST_RUN(group, tests)                                                      \
  (_cmocka_run_group_tests (group, (const struct CMUnitTest *) (gpointer) (tests)->data, \
                            (tests)->len, NULL, NULL) == 0 ? 0 : 1)

/* Appends one plain cmocka test to such an array. */
#define LP_TEST_ADD(tests, fn)                                       \
  do {                                                               \
    struct CMUnitTest t_ = cmocka_unit_test (fn);                    \
    g_array_append_val (tests, t_);                                  \
  } while (0)
