/* lp-cli-shell.h: what the shell's loop (lp-cli-shell.c) and its terminal
 * (lp-cli-shell-terminal.c) share; private to cli/. */
#pragma once

#include <glib.h>
#include <signal.h>

#include "lp-config.h"
#include "lp-engine.h"
#include "lp-plan.h"
#include "lp-scenario.h"
#include "lp-session.h"

/* One session over one scenario. */
typedef struct {
  GPtrArray *rulesets; /* of LpRuleset, owned: every one the session loaded */
  char *rules_dir;
  char *prices; /* nullable: the price list's file, loaded for each rule set */
  LpScenario *sc;
  LpPlanner *planner; /* of planner_rs */
  const LpRuleset *planner_rs;
  LpSessionCache *known;  /* the saved groups that loaded back */
  LpPlanSummary *now;     /* nullable (no site yet): the plan as it stands */
  LpPlanSummary *prev;    /* nullable: the plan before the last change */
  GPtrArray *undo, *redo; /* of LpScenario */
  GHashTable *snapshots;  /* name -> LpPlanSummary */
  char *saved;            /* the scenario's text when loaded or last saved */
  gboolean warned, failed;
  gboolean echo;     /* print each command before its output (transcripts) */
  char **commands;   /* nullable: -c COMMAND ..., run instead of reading standard input */
  char *where;       /* "shell:N:" for the line being run */
  gboolean terminal; /* typed on a terminal: Ctrl-C cancels a command, not the session */
} LpShell;

/* Set by Ctrl-C while a command that changes the scenario runs on a
 * terminal (lp-cli-shell-terminal.c): its new plan is computed, then dropped. */
extern volatile sig_atomic_t lp_shell_cancel_asked;

/* Runs @line, line @number of the session, printing its output or its error;
 * returns FALSE when the session ends (quit). */
gboolean lp_shell_run_line (LpShell *sh, const char *line, guint number);
/* Whether the scenario changed since it was loaded or last saved. */
gboolean lp_shell_unsaved (const LpShell *sh);
/* Returns: (transfer container): the commands' names, NULL-ended. */
const char **lp_shell_command_names (void);

#ifdef LP_HAVE_LIBEDIT
/* Reads lines on a terminal with libedit (completion, history in the
 * user's state folder) until quit or Ctrl-D, running each. */
void lp_shell_run_terminal (LpShell *sh);
#endif
