/* main.c: lyncplan's entry point; dispatches to a subcommand. */
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "lp-cli.h"
#include "lp-config.h"
#include "lp-error.h"
#include "lp-output.h"

static const struct {
  const char *name;
  int (*run) (int argc, char **argv);
  const char *summary;
  void (*list_formats) (void); /* nullable: no --format */
} commands[] = {
  { "plan", lp_cli_plan, "plan a deployment from requirements and sites", lp_cli_plan_formats },
  { "sweep", lp_cli_sweep, "plan every combination of varied inputs (what-if)",
    lp_cli_sweep_formats },
  { "rules", lp_cli_rules, "list a rule set's inputs, constants, designs and failure rows", NULL },
  { "diff", lp_cli_diff, "what differs between two scenarios' plans", lp_cli_diff_formats },
  { "shell", lp_cli_shell, "an interactive session over one scenario (what-ifs)", NULL },
  { "simulate", lp_cli_simulate, "check a plan's availability by simulating its components",
    lp_cli_simulate_formats },
};

static int
usage (FILE *to, int status)
{
  fprintf (to, "Usage: lyncplan COMMAND [OPTION...]\n\n"
               "Plans Lync Server 2013 and Skype for Business Server deployments for high\n"
               "availability and disaster recovery from RTO, RPO, SLA and per-site user\n"
               "counts (the products are in lyncplan-rules(1)).\n\nCommands:\n");
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (to, "  %-8s %s\n", commands[i].name, commands[i].summary);
  fprintf (to, "\n'lyncplan help COMMAND' or 'lyncplan COMMAND --help' tells more;\n"
               "'lyncplan --version' (-V) prints the version.\n");
  return status;
}

/* Output that never reached its file is an error, as in jq; reported once:
 * a command that failed has said why already. */
static int
finish (int status)
{
  gboolean lost;
  int err;

  errno = 0;
  lost = fflush (stdout) != 0 || ferror (stdout);
  err = errno;
  if (fclose (stdout) != 0 && !lost) {
    lost = TRUE;
    err = errno;
  }
  if (lost && status == LP_EXIT_OK) {
    fprintf (stderr, "lyncplan: cannot write to standard output: %s\n",
             g_strerror (err ? err : EIO));
    return LP_EXIT_IO;
  }
  return status;
}

static int
run_command (const char *name, int argc, char **argv)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++) {
    if (strcmp (name, commands[i].name) != 0)
      continue;
    /* `lyncplan COMMAND --list-formats`, hidden: what bash completion
     * offers after --format, from the command's writer table */
    if (argc == 2 && strcmp (argv[1], "--list-formats") == 0) {
      if (commands[i].list_formats != NULL)
        commands[i].list_formats ();
      return finish (LP_EXIT_OK);
    }
    return finish (commands[i].run (argc, argv));
  }
  fprintf (stderr, "lyncplan: unknown command '%s'; commands:", name);
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++) /* the table's, so the list stays true */
    fprintf (stderr, "%s %s", i == 0 ? "" : ",", commands[i].name);
  fprintf (stderr, " (see 'lyncplan --help')\n");
  return LP_EXIT_BAD_INPUT;
}

/* `lyncplan help COMMAND` is `lyncplan COMMAND --help`. */
static int
help (int argc, char **argv)
{
  char *args[] = { argc > 2 ? argv[2] : NULL, (char *) "--help", NULL };

  if (argc < 3)
    return finish (usage (stdout, LP_EXIT_OK));
  if (argc > 3) {
    fprintf (stderr, "lyncplan: help takes one command, got '%s' and '%s'\n", argv[2], argv[3]);
    return LP_EXIT_BAD_INPUT;
  }
  return run_command (argv[2], 2, args);
}

int
main (int argc, char **argv)
{
  /* the terminal's character set only: there are no translations, so messages
   * are English (system error texts too), and numbers always use '.' */
  setlocale (LC_CTYPE, "");
  lp_output_catch_signals ();
  if (argc < 2)
    return usage (stderr, LP_EXIT_BAD_INPUT);
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)
    return finish (usage (stdout, LP_EXIT_OK));
  if (strcmp (argv[1], "help") == 0)
    return help (argc, argv);
  if (strcmp (argv[1], "--version") == 0 || strcmp (argv[1], "-V") == 0) {
    printf ("lyncplan %s\n", LP_VERSION);
    return finish (LP_EXIT_OK);
  }
  return run_command (argv[1], argc - 1, argv + 1);
}
