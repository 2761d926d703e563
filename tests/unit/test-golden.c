/* test-golden.c: every scenario in examples/ is also a golden test: its text
 * and JSON plans must equal tests/golden/NAME/expected.{txt,json}, and the
 * exit status must be 3 exactly when the JSON says the plan is infeasible.
 * LP_UPDATE_GOLDEN=1 rewrites the expected files; review the diff as code. */
#include <glib.h>
#include <json-glib/json-glib.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "lp-test.h"

static char *
run (const char *example, const char *format, int *status)
{
  g_autofree char *scenario = g_build_filename ("examples", example, NULL);
  const char *argv[] = { g_getenv ("LYNCPLAN"), "plan", scenario, "--format", format, NULL };
  g_autoptr (GError) error = NULL;
  char *out = NULL;
  g_autofree char *err = NULL;
  int wait_status = 0;

  if (!g_spawn_sync (g_getenv ("LP_SOURCE_ROOT"), (char **) argv, NULL, G_SPAWN_DEFAULT, NULL,
                     NULL, &out, &err, &wait_status, &error))
    fail_msg ("cannot run lyncplan: %s", error->message);
  assert_string_equal (err, "");
  *status = WEXITSTATUS (wait_status);
  return out;
}

static void
compare (const char *name, const char *file, const char *got)
{
  g_autofree char *dir = g_build_filename (g_getenv ("LP_SOURCE_ROOT"), "tests", "golden", name, NULL);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autofree char *expected = NULL;

  if (g_strcmp0 (g_getenv ("LP_UPDATE_GOLDEN"), "1") == 0) {
    g_mkdir_with_parents (dir, 0755);
    assert_true (g_file_set_contents (path, got, -1, NULL));
    return;
  }
  if (!g_file_get_contents (path, &expected, NULL, NULL))
    fail_msg ("%s is missing: run with LP_UPDATE_GOLDEN=1 to create it", path);
  if (strcmp (expected, got) != 0)
    fail_msg ("%s differs from the output; diff it against 'lyncplan plan examples/%s.ini'", path, name);
}

static void
test_example (void **state)
{
  const char *example = *state;
  g_autofree char *name = g_strndup (example, strlen (example) - strlen (".ini"));
  int text_status = -1, json_status = -1;
  g_autofree char *text = run (example, "text", &text_status);
  g_autofree char *json = run (example, "json", &json_status);
  g_autoptr (JsonNode) root = json_from_string (json, NULL);
  gboolean feasible;

  assert_non_null (root);
  feasible = json_object_get_boolean_member (json_node_get_object (root), "feasible");
  assert_int_equal (text_status, feasible ? 0 : 3);
  assert_int_equal (json_status, text_status);
  compare (name, "expected.txt", text);
  compare (name, "expected.json", json);
}

int
main (void)
{
  g_autofree char *dir = g_build_filename (g_getenv ("LP_SOURCE_ROOT"), "examples", NULL);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GArray) tests = g_array_new (FALSE, TRUE, sizeof (struct CMUnitTest));
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL) {
    if (g_str_has_suffix (name, ".ini"))
      g_ptr_array_add (names, g_strdup (name));
  }
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  for (guint i = 0; i < names->len; i++) {
    struct CMUnitTest t = { .name = g_ptr_array_index (names, i), .test_func = test_example,
                            .initial_state = g_ptr_array_index (names, i) };
    g_array_append_val (tests, t);
  }
  return LP_TEST_RUN ("golden", tests);
}
