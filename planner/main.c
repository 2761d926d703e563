/* main.c: lyncplan's entry point; dispatches to a subcommand. */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "lp-cli.h"
#include "lp-config.h"
#include "lp-error.h"

static const struct {
  const char *name;
  int (*run) (int argc, char **argv);
  const char *summary;
} commands[] = {
  { "plan", lp_cli_plan, "plan a deployment from requirements and sites" },
  { "sweep", lp_cli_sweep, "plan every combination of varied inputs (what-if)" },
  { "rules", lp_cli_rules, "list a rule set's inputs, constants, designs and failure rows" },
};

static int
usage (FILE *to, int status)
{
  fprintf (to, "Usage: lyncplan COMMAND [OPTION...]\n\n"
               "Plans Lync Server 2013 deployments for high availability and disaster\n"
               "recovery from RTO, RPO, SLA and per-site user counts.\n\nCommands:\n");
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (to, "  %-8s %s\n", commands[i].name, commands[i].summary);
  fprintf (to, "\n'lyncplan COMMAND --help' tells more. 'lyncplan --version' prints the version.\n");
  return status;
}

static int
finish (int status)
{
  /* output that never reached its file is an error, as in jq */
  if (fflush (stdout) != 0 || ferror (stdout) || fclose (stdout) != 0) {
    fprintf (stderr, "lyncplan: error writing standard output\n");
    return LP_EXIT_IO;
  }
  return status;
}

int
main (int argc, char **argv)
{
  /* messages in the user's language and charset; numbers always with '.' */
  setlocale (LC_ALL, "");
  setlocale (LC_NUMERIC, "C");
  if (argc < 2)
    return usage (stderr, LP_EXIT_BAD_INPUT);
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 || strcmp (argv[1], "help") == 0)
    return finish (usage (stdout, LP_EXIT_OK));
  if (strcmp (argv[1], "--version") == 0) {
    printf ("lyncplan %s\n", LP_VERSION);
    return finish (LP_EXIT_OK);
  }
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++) {
    if (strcmp (argv[1], commands[i].name) == 0)
      return finish (commands[i].run (argc - 1, argv + 1));
  }
  fprintf (stderr, "lyncplan: unknown command '%s'; commands: plan, sweep, rules (see 'lyncplan --help')\n",
           argv[1]);
  return LP_EXIT_BAD_INPUT;
}
