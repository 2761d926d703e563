/* test-golden.c: the README's session is run and compared, and every
 * scenario in examples/ is also a golden test: its text
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

  if (!g_spawn_sync (g_getenv ("LP_SOURCE_ROOT"), (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                     &out, &err, &wait_status, &error))
    fail_msg ("cannot run lyncplan: %s", error->message);
  assert_string_equal (err, "");
  *status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : 128 + WTERMSIG (wait_status);
  return out;
}

static void
compare (const char *name, const char *file, const char *got)
{
  g_autofree char *dir = g_build_filename (g_getenv ("LP_SOURCE_ROOT"), "tests", "golden", name,
                                           NULL);
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
    fail_msg ("%s differs from the output; diff it against 'lyncplan plan examples/%s.ini'", path,
              name);
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

/* ---- the README's session: each "$ lyncplan ..." line is run in the source
 * tree and must print exactly the lines that follow it ---- */

static char *
run_command (const char *command)
{
  g_auto (GStrv) args = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  assert_true (g_shell_parse_argv (command, NULL, &args, NULL));
  assert_string_equal (args[0], "lyncplan");
  g_free (args[0]);
  args[0] = g_strdup (g_getenv ("LYNCPLAN"));
  if (!g_spawn_sync (g_getenv ("LP_SOURCE_ROOT"), args, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                     &err, NULL, &error))
    fail_msg ("cannot run %s: %s", command, error->message);
  /* a Markdown page holds no carriage returns: CSV's CRLF line ends are
   * compared as the terminal shows them, one line each */
  g_autofree char *both = g_strconcat (out, err, NULL);
  g_auto (GStrv) crlf = g_strsplit (both, "\r\n", -1);
  return g_strjoinv ("\n", crlf);
}

static void
test_readme_session (void **state)
{
  g_autofree char *path = g_build_filename (g_getenv ("LP_SOURCE_ROOT"), "README.md", NULL);
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GString) expected = g_string_new (NULL);
  g_autofree char *command = NULL;
  gboolean inside = FALSE;
  guint n_commands = 0;

  assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++) {
    gboolean end = strcmp (lines[i], "<!-- /session -->") == 0;
    if (strcmp (lines[i], "<!-- session -->") == 0) {
      inside = TRUE;
      continue;
    }
    if (!inside || g_str_has_prefix (lines[i], "```"))
      continue;
    if ((end || g_str_has_prefix (lines[i], "$ ")) && command != NULL) {
      g_autofree char *got = run_command (command);
      if (strcmp (got, expected->str) != 0)
        fail_msg ("README.md: the output of '%s' has changed: paste today's output", command);
      n_commands++;
      g_clear_pointer (&command, g_free);
    }
    if (end)
      break;
    if (g_str_has_prefix (lines[i], "$ ")) {
      command = g_strdup (lines[i] + 2);
      g_string_truncate (expected, 0);
    } else if (command != NULL) {
      g_string_append_printf (expected, "%s\n", lines[i]);
    }
  }
  assert_true (n_commands > 0);
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
    struct CMUnitTest t = { .name = g_ptr_array_index (names, i),
                            .test_func = test_example,
                            .initial_state = g_ptr_array_index (names, i) };
    g_array_append_val (tests, t);
  }
  LP_TEST_ADD (tests, test_readme_session);
  return LP_TEST_RUN ("golden", tests);
}
