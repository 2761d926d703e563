/* test-cli.c: runs the lyncplan binary on the cases of a .test file (see
 * tests/cli/bad-input.test for the format) and pins exit status, the exact
 * stderr line, an empty stdout, and files that must not appear. */
#include <glib.h>
#include <glib/gstdio.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "lp-test.h"

typedef struct {
  char *name;
  char *args;
  GString *scenario; /* NULL: no scenario.ini */
  gboolean binary;
  int exit_status;
  char *stderr_line;
  char *absent;
} CliCase;

static void
cli_case_free (gpointer data)
{
  CliCase *c = data;

  g_free (c->name);
  g_free (c->args);
  if (c->scenario != NULL)
    g_string_free (c->scenario, TRUE);
  g_free (c->stderr_line);
  g_free (c->absent);
  g_free (c);
}

static void
case_line (CliCase *c, const char *line)
{
  if (g_str_has_prefix (line, "args: "))
    c->args = g_strdup (line + 6);
  else if (g_str_has_prefix (line, "exit: "))
    c->exit_status = atoi (line + 6);
  else if (g_str_has_prefix (line, "stderr: "))
    c->stderr_line = g_strdup (line + 8);
  else if (g_str_has_prefix (line, "absent: "))
    c->absent = g_strdup (line + 8);
  else if (c->stderr_line == NULL && c->args != NULL) {
    if (c->scenario == NULL)
      c->scenario = g_string_new (NULL);
    if (strcmp (line, "file: binary") == 0)
      c->binary = TRUE;
    else if (strcmp (line, "file: empty") != 0)
      g_string_append_printf (c->scenario, "%s\n", line);
  }
}

static GPtrArray *
read_cases (const char *path)
{
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  GPtrArray *cases = g_ptr_array_new_with_free_func (cli_case_free);
  CliCase *c = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    g_error ("cannot read %s", path);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++) {
    if (g_str_has_prefix (lines[i], "### ")) {
      c = g_new0 (CliCase, 1);
      c->name = g_strdup (lines[i] + 4);
      g_ptr_array_add (cases, c);
    } else if (c != NULL && !(lines[i][0] == '\0' && c->stderr_line != NULL)) {
      case_line (c, lines[i]);
    }
  }
  return cases;
}

static char *
run_case (const CliCase *c, const char *dir, int *status, char **out)
{
  g_auto (GStrv) args = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  char *err = NULL;
  int wait_status = 0;

  g_assert_true (g_shell_parse_argv (c->args, NULL, &args, NULL));
  g_ptr_array_add (argv, (gpointer) g_getenv ("LYNCPLAN"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, args[i]);
  g_ptr_array_add (argv, NULL);
  if (!g_spawn_sync (dir, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, &err,
                     &wait_status, &error))
    fail_msg ("cannot run lyncplan: %s", error->message);
  *status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : 128 + WTERMSIG (wait_status);
  return err;
}

/* The one machine-dependent part of a message: the source tree's rules folder. */
static char *
normalise (const char *text)
{
  g_autofree char *rules = g_build_filename (g_getenv ("LP_SOURCE_ROOT"), "rules", NULL);
  g_auto (GStrv) parts = g_strsplit (text, rules, -1);
  char *joined = g_strjoinv ("RULES", parts);

  g_strchomp (joined);
  return joined;
}

static void
test_case (void **state)
{
  const CliCase *c = *state;
  g_autofree char *dir = g_dir_make_tmp ("lyncplan-cli-XXXXXX", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *got = NULL;
  int status = -1;

  if (c->scenario != NULL || c->binary) {
    g_autofree char *path = g_build_filename (dir, "scenario.ini", NULL);
    const char *data = c->binary ? "\001\000binary" : c->scenario->str;
    gssize len = c->binary ? 8 : (gssize) c->scenario->len;
    g_assert_true (g_file_set_contents (path, data, len, NULL));
  }
  err = run_case (c, dir, &status, &out);
  got = normalise (err);
  {
    /* {cores}: this machine's, for messages that state a per-core limit */
    g_autoptr (GString) expected = g_string_new (c->stderr_line);
    g_autofree char *cores = g_strdup_printf ("%u", g_get_num_processors ());
    g_autofree char *threads = g_strdup_printf ("%u", 4 * g_get_num_processors ());
    g_string_replace (expected, "{cores}", cores, 0);
    g_string_replace (expected, "{4 x cores}", threads, 0);
    assert_string_equal (got, expected->str);
  }
  assert_int_equal (status, c->exit_status);
  assert_string_equal (out, "");
  if (c->absent != NULL) {
    g_autofree char *path = g_build_filename (dir, c->absent, NULL);
    assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  }
  /* nothing left behind: no temporary files beside an output */
  {
    g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;
    while ((name = g_dir_read_name (d)) != NULL) {
      assert_true (strcmp (name, "scenario.ini") == 0);
      g_autofree char *p = g_build_filename (dir, name, NULL);
      g_unlink (p);
    }
  }
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_autofree char *path = g_build_filename (g_getenv ("LP_SOURCE_ROOT"), "tests", "cli",
                                            argc > 1 ? argv[1] : "bad-input.test", NULL);
  g_autoptr (GPtrArray) cases = read_cases (path);
  g_autoptr (GArray) tests = g_array_new (FALSE, TRUE, sizeof (struct CMUnitTest));

  for (guint i = 0; i < cases->len; i++) {
    CliCase *c = g_ptr_array_index (cases, i);
    struct CMUnitTest t = { .name = c->name, .test_func = test_case, .initial_state = c };
    g_array_append_val (tests, t);
  }
  return LP_TEST_RUN ("cli", tests);
}
