/* lp-test.h: helpers shared by the cmocka tests. */
#pragma once

#include <glib.h>

/* Builds a GArray of struct CMUnitTest named @tests with one entry per row
 * of the static array @rows, named by the row's name member, each running
 * @fn with the row as its state. Table rows fail by name. */
#define LP_TEST_TABLE(tests, rows, fn)                                                             \
  g_autoptr (GArray) tests = g_array_new (FALSE, TRUE, sizeof (struct CMUnitTest));                \
  for (guint i_ = 0; i_ < G_N_ELEMENTS (rows); i_++) {                                             \
    struct CMUnitTest t_ = { .name = rows[i_].name,                                                \
                             .test_func = fn,                                                      \
                             .initial_state = (void *) &rows[i_] };                                \
    g_array_append_val (tests, t_);                                                                \
  }

/* Runs the tests of a GArray built by LP_TEST_TABLE as one cmocka group (one
 * group per binary: cmocka 1.1.5's TAP output confuses meson otherwise). */
#define LP_TEST_RUN(group, tests)                                                                  \
  (_cmocka_run_group_tests (group, (const struct CMUnitTest *) (gpointer) (tests)->data,           \
                            (tests)->len, NULL, NULL) == 0                                         \
     ? 0                                                                                           \
     : 1)

/* Appends one plain cmocka test to such an array. */
#define LP_TEST_ADD(tests, fn)                                                                     \
  do {                                                                                             \
    struct CMUnitTest t_ = cmocka_unit_test (fn);                                                  \
    g_array_append_val (tests, t_);                                                                \
  } while (0)

/* Copies the files of folder @sub of @from into @to/@sub (made), for a test
 * that changes a copy of the rule files. */
static inline void
lp_test_copy_tree (const char *from, const char *to, const char *sub)
{
  g_autofree char *src = g_build_filename (from, sub, NULL);
  g_autofree char *dst = g_build_filename (to, sub, NULL);
  g_autoptr (GDir) d = g_dir_open (src, 0, NULL);
  const char *name;

  g_mkdir_with_parents (dst, 0755);
  while ((name = g_dir_read_name (d)) != NULL) {
    g_autofree char *a = g_build_filename (src, name, NULL);
    g_autofree char *b = g_build_filename (dst, name, NULL);
    g_autofree char *data = NULL;
    gsize len = 0;
    g_assert_true (g_file_get_contents (a, &data, &len, NULL));
    g_assert_true (g_file_set_contents (b, data, (gssize) len, NULL));
  }
}
