/* lp-cli.c: what the subcommands share. */
#include "lp-cli.h"

#include <stdio.h>
#include <string.h>

#include "lp-error.h"
#include "lp-output.h"

char *
lp_cli_printable (const char *text, gboolean keep_newlines)
{
  GString *s = g_string_new (NULL);

  for (const char *p = text; *p != '\0';) {
    gunichar c = g_utf8_get_char_validated (p, -1);
    if (c == (gunichar) -1 || c == (gunichar) -2) {
      g_string_append_printf (s, "\\x%02X", (guchar) *p++);
      continue;
    }
    if (c == '\n' && keep_newlines)
      g_string_append_c (s, '\n');
    else if (c < 0x80 && g_ascii_iscntrl ((char) c))
      g_string_append_printf (s, "\\x%02X", c);
    else if (g_unichar_iscntrl (c))
      g_string_append_printf (s, "\\u%04X", c);
    else
      g_string_append_len (s, p, g_utf8_next_char (p) - p);
    p = g_utf8_next_char (p);
  }
  return g_string_free (s, FALSE);
}

int
lp_cli_fail (GError *error)
{
  int status = lp_exit_for_error (error);
  g_autofree char *message = lp_cli_printable (error->message, FALSE);

  fprintf (stderr, "lyncplan: %s\n", message);
  g_error_free (error);
  return status;
}

gboolean
lp_cli_check_options (const GOptionEntry *entries, int argc, char **argv, GError **error)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; entries[i].long_name != NULL; i++)
    g_ptr_array_add (names, g_strdup_printf ("--%s", entries[i].long_name));
  g_ptr_array_add (names, g_strdup ("--help"));
  g_ptr_array_add (names, NULL);
  for (int i = 1; i < argc; i++) {
    g_autofree char *name = g_strndup (argv[i], strcspn (argv[i], "="));
    g_autofree char *hint = NULL;

    if (strcmp (argv[i], "--") == 0)
      break;
    if (!g_str_has_prefix (name, "--") ||
        g_strv_contains ((const char *const *) names->pdata, name))
      continue;
    hint = lp_error_did_you_mean (name, (const char *const *) names->pdata);
    g_set_error (error, LP_ERROR, LP_ERROR_USAGE, "unknown option %s%s; see 'lyncplan %s --help'",
                 name, hint, argv[0]);
    return FALSE;
  }
  return TRUE;
}
