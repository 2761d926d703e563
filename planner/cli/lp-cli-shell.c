/* lp-cli-shell.c: `lyncplan shell`: an interactive session over one
 * scenario. Every change replans and prints what changed in the plan
 * (lp-session.h); on a pipe the commands come from standard input, so a
 * session is a script. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "lp-config.h"

#include "lp-cli-shell.h"
#include "lp-cli.h"
#include "lp-engine.h"
#include "lp-error.h"
#include "lp-output.h"
#include "lp-process.h"
#include "lp-report.h"
#include "lp-session.h"
#include "lp-trace.h"
#include "lp-write.h"

typedef gboolean (*LpShellFunc) (LpShell *sh, char **args, guint n, GError **error);

typedef struct {
  const char *name;
  LpShellFunc run;
  guint min_args, max_args;
  const char *usage;
  const char *help;
} LpShellCommand;

static const LpShellCommand *find_command (const char *name);

/* The changes a session keeps to undo: the oldest go first (README's limits). */
#define LP_SHELL_UNDO_MAX 100
/* The longest command line, in bytes: a longer one is refused whole. */
#define LP_SHELL_LINE_MAX 65536

/* Everything the shell prints goes through here: a name, a snapshot or a
 * command word the user typed may hold escape sequences, which a terminal
 * must not run (lp_cli_printable()). */
static void G_GNUC_PRINTF (1, 2) say (const char *format, ...)
{
  g_autofree char *text = NULL;
  g_autofree char *shown = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  shown = lp_cli_printable (text, TRUE);
  fputs (shown, stdout);
}

/* A message on standard error, after what was printed so far. */
static void
complain (const char *message)
{
  g_autofree char *shown = lp_cli_printable (message, FALSE);

  fflush (stdout);
  fprintf (stderr, "%s\n", shown);
}

static void
summary_free (LpPlanSummary *s)
{
  if (s == NULL)
    return;
  lp_plan_summary_clear (s);
  g_free (s);
}

static LpPlanSummary *
summary_new (const LpRuleset *rs)
{
  LpPlanSummary *s = g_new0 (LpPlanSummary, 1);
  lp_plan_summary_init (s, rs, TRUE);
  return s;
}

static LpPlanSummary *
summary_dup (const LpPlanSummary *from)
{
  LpPlanSummary *s = summary_new (from->rs);
  lp_plan_summary_copy (s, from);
  return s;
}

static void
shell_clear (LpShell *sh)
{
  lp_scenario_free (sh->sc);
  lp_planner_free (sh->planner);
  lp_session_cache_free (sh->known);
  summary_free (sh->now);
  summary_free (sh->prev);
  g_ptr_array_unref (sh->undo);
  g_ptr_array_unref (sh->redo);
  g_hash_table_unref (sh->snapshots);
  g_ptr_array_unref (sh->rulesets); /* last: the rest borrow from it */
  g_free (sh->rules_dir);
  g_free (sh->prices);
  g_free (sh->saved);
  g_free (sh->where);
  g_strfreev (sh->commands);
}

static LpPlanner *
planner_for (LpShell *sh, const LpRuleset *rs)
{
  if (sh->planner_rs != rs) {
    lp_planner_free (sh->planner);
    sh->planner = lp_planner_new (rs);
    sh->planner_rs = rs;
  }
  return sh->planner;
}

/* Plans @sc: a summary, or NULL when it has no site yet (nothing to plan). */
static gboolean
plan_summary (LpShell *sh, LpScenario *sc, LpPlanSummary **out, GError **error)
{
  LpPlanSummary *s;

  *out = NULL;
  if (sc->sites->len == 0)
    return lp_scenario_resolve (sc, sc->rs, NULL) || TRUE;
  s = summary_new (sc->rs);
  if (sh->known == NULL)
    sh->known = lp_session_cache_new ();
  if (!lp_session_summarise (planner_for (sh, sc->rs), sc, sh->known, s, error)) {
    summary_free (s);
    if (error != NULL && *error != NULL && !g_str_has_prefix ((*error)->message, sh->where))
      g_prefix_error (error, "%s ", sh->where);
    return FALSE;
  }
  *out = s;
  return TRUE;
}

static void
print_difference (const LpPlanSummary *from, const LpPlanSummary *to)
{
  g_autoptr (GPtrArray) changes = NULL;
  g_autofree char *text = NULL;

  if (to == NULL) {
    say ("No site: nothing to plan (site add NAME USERS).\n");
    return;
  }
  if (from == NULL) {
    guint missed = 0;
    for (guint k = 0; k < to->rs->checks->len; k++)
      missed += lp_plan_summary_missed (to, k) ? 1 : 0;
    say ("Design: %s, %" G_GUINT64_FORMAT " servers, %" G_GUINT64_FORMAT " appliances", to->design,
         to->servers, to->appliances);
    if (!to->feasible && missed > 0)
      say (", misses %u requirement%s", missed, missed == 1 ? "" : "s");
    else if (!to->feasible)
      say (", no design meets every requirement");
    say ("\n");
    return;
  }
  changes = lp_session_diff (from, to);
  text = lp_changes_writers[0].write (to->rs, changes);
  say ("%s", text);
}

volatile sig_atomic_t lp_shell_cancel_asked;

/* @next replaces the session's scenario when it plans; else it goes and
 * the session is as it was. @history: where the old scenario goes (undo),
 * and which stack is emptied (redo) for a new change. */
static gboolean
commit_scenario (LpShell *sh, LpScenario *next, GPtrArray *history, gboolean fresh, GError **error)
{
  LpPlanSummary *s = NULL;

  if (!plan_summary (sh, next, &s, error)) {
    lp_scenario_free (next);
    return FALSE;
  }
  if (lp_shell_cancel_asked) {
    summary_free (s);
    lp_scenario_free (next);
    say ("\n");
    g_set_error (error, LP_ERROR, LP_ERROR_USAGE, "%s interrupted: nothing changed", sh->where);
    return FALSE;
  }
  g_ptr_array_add (history, sh->sc);
  if (history->len > LP_SHELL_UNDO_MAX)
    g_ptr_array_remove_index (history, 0); /* the oldest change can no longer be undone */
  sh->sc = next;
  if (fresh)
    g_ptr_array_set_size (sh->redo, 0);
  print_difference (sh->now, s);
  summary_free (sh->prev);
  sh->prev = sh->now;
  sh->now = s;
  sh->warned = FALSE;
  return TRUE;
}

/* Whether the scenario differs from the one loaded or last saved (an undo
 * back to it leaves nothing to save). */
gboolean
lp_shell_unsaved (const LpShell *sh)
{
  g_autofree char *text = lp_session_scenario_text (sh->sc, NULL);
  return strcmp (text, sh->saved) != 0;
}

/* ---- commands that change the scenario ---- */

static gboolean cmd_product (LpShell *sh, char **args, guint n, GError **error);

static gboolean
cmd_set (LpShell *sh, char **args, guint n, GError **error)
{
  LpScenario *next;
  g_autofree char *value = g_strjoinv (" ", args + 2);

  if (strcmp (args[1], "product") == 0 && n == 3) /* set product ID is product ID */
    return cmd_product (sh, args + 1, 2, error);
  next = lp_scenario_copy (sh->sc);

  if (!lp_session_apply (next, args[1], value, sh->where, error)) {
    lp_scenario_free (next);
    return FALSE;
  }
  return commit_scenario (sh, next, sh->undo, TRUE, error);
}

static gboolean
cmd_unset (LpShell *sh, char **args, guint n, GError **error)
{
  LpScenario *next = lp_scenario_copy (sh->sc);

  if (!lp_session_unset (next, args[1], sh->where, error)) {
    lp_scenario_free (next);
    return FALSE;
  }
  return commit_scenario (sh, next, sh->undo, TRUE, error);
}

/* KEY=VALUE ... of `site add` and `site set`, as KEY@SITE. */
static gboolean
site_options (LpScenario *sc, const char *site, char **opts, const char *where, GError **error)
{
  for (guint i = 0; opts[i] != NULL; i++) {
    const char *eq = strchr (opts[i], '=');
    g_autofree char *key = NULL;
    if (eq == NULL || eq == opts[i]) {
      g_set_error (error, LP_ERROR, LP_ERROR_USAGE, "%s [site %s]: expected KEY=VALUE, got '%s'",
                   where, site, opts[i]);
      return FALSE;
    }
    key = g_strdup_printf ("%.*s@%s", (int) (eq - opts[i]), opts[i], site);
    if (!lp_session_apply (sc, key, eq + 1, where, error))
      return FALSE;
  }
  return TRUE;
}

static gboolean
site_change (LpScenario *next, char **args, guint n, const char *where, GError **error)
{
  const char *what = args[1], *name = args[2];
  gboolean known = lp_scenario_find_site (next, name) >= 0;
  g_autofree char *at = g_strdup_printf ("%s [site %s]", where, name);

  if (strcmp (what, "add") == 0) {
    g_autofree char *users = g_strdup_printf ("users@%s", name);
    if (known || n < 4) {
      g_set_error (error, LP_ERROR, LP_ERROR_USAGE,
                   known ? "%s: already there (site set changes it)"
                         : "%s: site add NAME USERS [KEY=VALUE ...]",
                   at);
      return FALSE;
    }
    return lp_scenario_add_site (next, name, at, error) != NULL &&
           lp_session_apply (next, users, args[3], where, error) &&
           site_options (next, name, args + 4, where, error);
  }
  if (!known) {
    g_set_error (error, LP_ERROR, LP_ERROR_INPUT, "%s: no such site", at);
    return FALSE;
  }
  if (strcmp (what, "remove") == 0)
    return lp_scenario_remove_site (next, name);
  if (strcmp (what, "set") == 0)
    return site_options (next, name, args + 3, where, error);
  g_set_error (error, LP_ERROR, LP_ERROR_USAGE, "%s site: expected add, set or remove, got '%s'",
               where, what);
  return FALSE;
}

static gboolean
cmd_site (LpShell *sh, char **args, guint n, GError **error)
{
  LpScenario *next = lp_scenario_copy (sh->sc);

  if (!site_change (next, args, n, sh->where, error)) {
    lp_scenario_free (next);
    return FALSE;
  }
  return commit_scenario (sh, next, sh->undo, TRUE, error);
}

static gboolean
cmd_product (LpShell *sh, char **args, guint n, GError **error)
{
  LpScenario *next = lp_session_rebuild (sh->sc, sh->rulesets, sh->rules_dir, args[1], error);

  if (next != NULL && !lp_session_load_prices (next, sh->prices, error))
    g_clear_pointer (&next, lp_scenario_free);
  if (next == NULL) {
    g_prefix_error (error, "%s ", sh->where);
    return FALSE;
  }
  return commit_scenario (sh, next, sh->undo, TRUE, error);
}

static gboolean
step (LpShell *sh, GPtrArray *from, GPtrArray *to, const char *what, GError **error)
{
  LpScenario *next;

  if (from->len == 0) {
    g_set_error (error, LP_ERROR, LP_ERROR_USAGE, "%s nothing to %s", sh->where, what);
    return FALSE;
  }
  next = g_ptr_array_steal_index (from, from->len - 1);
  if (!commit_scenario (sh, next, to, FALSE, error))
    return FALSE;
  return TRUE;
}

static gboolean
cmd_undo (LpShell *sh, char **args, guint n, GError **error)
{
  return step (sh, sh->undo, sh->redo, "undo", error);
}

static gboolean
cmd_redo (LpShell *sh, char **args, guint n, GError **error)
{
  return step (sh, sh->redo, sh->undo, "redo", error);
}

/* ---- commands that read the plan ---- */

static gboolean
need_plan (LpShell *sh, GError **error)
{
  if (sh->now != NULL)
    return TRUE;
  g_set_error (error, LP_ERROR, LP_ERROR_USAGE, "%s no site yet: site add NAME USERS", sh->where);
  return FALSE;
}

/* The text report of the scenario as it stands. */
static char *
report_text (LpShell *sh, gboolean trace, GError **error)
{
  g_autoptr (LpPlan) plan = NULL;
  g_autoptr (LpReport) report = NULL;
  g_autoptr (LpOutput) out = lp_output_new_memory ();
  const LpWriteOptions wo = { .with_trace = trace };

  if (!need_plan (sh, error))
    return NULL;
  plan = lp_planner_plan (planner_for (sh, sh->sc->rs), sh->sc, trace, error);
  if (plan == NULL || (report = lp_report_new (plan, NULL, error)) == NULL ||
      !lp_write_text (report, &wo, out, error) || !lp_output_commit (out, error))
    return NULL;
  return g_strdup (lp_output_contents (out, NULL));
}

static gboolean
cmd_plan (LpShell *sh, char **args, guint n, GError **error)
{
  g_autofree char *text = report_text (sh, FALSE, error);
  char *end;

  if (text == NULL)
    return FALSE;
  end = strstr (text, "\n\n"); /* the title, then the design, totals and verdict */
  end = end != NULL ? strstr (end + 2, "\n\n") : NULL;
  if (end != NULL)
    end[1] = '\0';
  say ("%s", text);
  return TRUE;
}

/* The report's sections: each starts at a line that is not indented. */
static gboolean
print_sections (const char *text, const char *name)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  gboolean in = FALSE, any = FALSE;
  gsize len = strlen (name);

  for (guint i = 0; lines[i] != NULL; i++) {
    if (lines[i][0] != ' ' && lines[i][0] != '\0')
      in = g_ascii_strncasecmp (lines[i], name, len) == 0;
    if (in)
      say ("%s\n", lines[i]);
    any |= in;
  }
  return any;
}

static gboolean
cmd_show (LpShell *sh, char **args, guint n, GError **error)
{
  g_autofree char *name = n > 1 ? g_strjoinv (" ", args + 1) : NULL;
  gboolean trace = name != NULL && g_ascii_strncasecmp (name, "rule", 4) == 0;
  g_autofree char *text = report_text (sh, trace, error);

  if (text == NULL)
    return FALSE;
  if (name == NULL) {
    say ("%s", text);
    return TRUE;
  }
  if (print_sections (text, name))
    return TRUE;
  g_set_error (
    error, LP_ERROR, LP_ERROR_USAGE,
    "%s show: no section '%s' (inputs, sites, group, "
    "bill of materials, resilience, sla budget, downtime budget, dns plan, certificate plan, "
    "firewall plan, caveats, rule trace)",
    sh->where, name);
  return FALSE;
}

/* Whether @plan sizes a site or pool named @name. */
static gboolean
plan_has_site (const LpPlan *plan, const char *name)
{
  for (guint k = 0; k < plan->sites->len; k++)
    if (strcmp (g_array_index (plan->sites, LpPlanSite, k).name, name) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
cmd_why (LpShell *sh, char **args, guint n, GError **error)
{
  g_autoptr (LpPlan) plan = NULL;
  g_autofree gboolean *show = NULL;
  g_autofree char *id = g_strdup (args[1]);
  char *site = strchr (id, '@'); /* ID@SITE: that site's group only */

  if (site != NULL)
    *site++ = '\0';
  if (!need_plan (sh, error) ||
      (plan = lp_planner_plan (planner_for (sh, sh->sc->rs), sh->sc, TRUE, error)) == NULL)
    return FALSE;
  if (site != NULL && !plan_has_site (plan, site)) {
    g_set_error (error, LP_ERROR, LP_ERROR_USAGE,
                 "%s why: no site or pool '%s' in the plan ('show sites' lists them)", sh->where,
                 site);
    return FALSE;
  }
  show = g_new0 (gboolean, MAX (plan->trace->len, 1));
  if (lp_trace_why (plan, id, site, show) > 0) {
    for (guint i = 0; i < plan->trace->len; i++) {
      if (!show[i])
        continue;
      g_autofree char *line = lp_trace_step_text (plan,
                                                  &g_array_index (plan->trace, LpTraceStep, i));
      say ("  %3u. %s\n", i + 1, line);
    }
    return TRUE;
  }
  g_set_error (error, LP_ERROR, LP_ERROR_USAGE,
               "%s why: no rule of the plan names '%s'%s%s (a role "
               "or design id: 'lyncplan rules' lists them)",
               sh->where, id, site != NULL ? " in the group of " : "", site != NULL ? site : "");
  return FALSE;
}

static gboolean
cmd_diff (LpShell *sh, char **args, guint n, GError **error)
{
  const LpPlanSummary *from = n > 1 ? g_hash_table_lookup (sh->snapshots, args[1]) : sh->prev;
  g_autoptr (GPtrArray) changes = NULL;
  g_autofree char *text = NULL;

  if (!need_plan (sh, error))
    return FALSE;
  if (from == NULL) {
    g_set_error (error, LP_ERROR, LP_ERROR_USAGE,
                 n > 1 ? "%s diff: no snapshot '%s'" : "%s diff: no previous plan yet%s", sh->where,
                 n > 1 ? args[1] : "");
    return FALSE;
  }
  changes = lp_session_diff (from, sh->now);
  text = lp_changes_writers[0].write (sh->now->rs, changes);
  say ("%s", changes->len > 0 ? text : "The plans are the same.\n");
  return TRUE;
}

static gboolean
cmd_snapshot (LpShell *sh, char **args, guint n, GError **error)
{
  if (!need_plan (sh, error))
    return FALSE;
  g_hash_table_replace (sh->snapshots, g_strdup (args[1]), summary_dup (sh->now));
  return TRUE;
}

/* ---- files ---- */

static gboolean
cmd_save (LpShell *sh, char **args, guint n, GError **error)
{
  g_autofree char *text = lp_session_scenario_text (sh->sc, NULL);
  /* the scenario file was read whole: saving over it is allowed; every rule,
   * template and price file the session read is not (lp_output_protect()) */
  const LpInputFile inputs[] = { { sh->sc->rs->path, "the rule file" }, { NULL, NULL } };

  if (!lp_output_write (args[1], text, strlen (text), inputs, error)) {
    g_prefix_error (error, "%s ", sh->where);
    return FALSE;
  }
  g_free (sh->saved);
  sh->saved = g_steal_pointer (&text);
  return TRUE;
}

static gboolean
write_xlsx (LpShell *sh, const char *path, GError **error)
{
  LpInputFile inputs[LP_CLI_MAX_INPUTS];
  g_autoptr (LpOutput) out = NULL;
  g_autoptr (LpPlan) plan = NULL;
  g_autoptr (LpReport) report = NULL;
  const LpWriter *w = lp_writer_find ("xlsx");
  const LpWriteOptions wo = { .with_trace = FALSE };

  lp_cli_input_files (sh->sc, sh->sc->rs, inputs);
  if ((out = lp_output_new (path, w->kind, inputs, error)) == NULL)
    return FALSE;
  plan = lp_planner_plan (planner_for (sh, sh->sc->rs), sh->sc, FALSE, error);
  if (plan == NULL || (report = lp_report_new (plan, NULL, error)) == NULL)
    return FALSE;
  if ((w->check != NULL && !w->check (report, error)) || !lp_report_read_date (report, error))
    return FALSE;
  return w->write (report, &wo, out, error) && lp_output_commit (out, error);
}

static gboolean
cmd_xlsx (LpShell *sh, char **args, guint n, GError **error)
{
  if (!need_plan (sh, error))
    return FALSE;
  if (!write_xlsx (sh, args[1], error)) {
    g_prefix_error (error, "%s ", sh->where);
    return FALSE;
  }
  return TRUE;
}

/* ---- help, quit ---- */

static gboolean
cmd_quit (LpShell *sh, char **args, guint n, GError **error)
{
  return TRUE; /* the loop ends the session (run_line()) */
}

static gboolean cmd_help (LpShell *sh, char **args, guint n, GError **error);

static const LpShellCommand commands[] = {
  { "set", cmd_set, 3, G_MAXUINT, "set KEY VALUE",
    "Sets a scenario input (rto, dr-rto, sla, edition, ...), a rule constant, users@SITE or\n"
    "KEY@SITE (remote-percent@SYD, dr-site@NYC), and prints what changed in the plan." },
  { "unset", cmd_unset, 2, 2, "unset KEY | unset KEY@SITE",
    "The rule set's default for an input or constant again; name, author, company, date or\n"
    "sip-domain no longer set; KEY@SITE: the site's own value goes (the scenario's applies)." },
  { "site", cmd_site, 3, G_MAXUINT,
    "site add NAME USERS [KEY=VALUE ...] | site set NAME KEY=VALUE ... | site remove NAME",
    "Adds, changes or removes a site (keys: users, remote-percent, dr-site)." },
  { "product", cmd_product, 2, 2, "product ID",
    "Plans the scenario with another rule set (rules/ID.rules), rebuilt from its saved keys." },
  { "plan", cmd_plan, 1, 1, "plan", "The plan's short summary: design, totals, verdict." },
  { "show", cmd_show, 1, G_MAXUINT, "show [SECTION]",
    "The text report, or its sections whose heading starts with SECTION (inputs, sites,\n"
    "group, bill of materials, resilience, sla budget, downtime budget, dns plan,\n"
    "certificate plan, firewall plan, caveats, rule trace)." },
  { "why", cmd_why, 2, 2, "why ROLE|DESIGN[@SITE]",
    "The rules of the plan's trace that name a role or design id; @SITE: only those of\n"
    "the group that plans SITE (why front-end@NYC)." },
  { "diff", cmd_diff, 1, 2, "diff [NAME]",
    "What differs from the plan before the last change, or from snapshot NAME." },
  { "snapshot", cmd_snapshot, 2, 2, "snapshot NAME",
    "Keeps the plan as it stands for 'diff NAME'." },
  { "undo", cmd_undo, 1, 1, "undo", "Takes the last change back (the last 100 are kept)." },
  { "redo", cmd_redo, 1, 1, "redo", "Makes the last change undone again." },
  { "save", cmd_save, 2, 2, "save FILE.ini",
    "Writes the scenario (atomically) as a normalised scenario file: the values as typed,\n"
    "no comments (a loaded file's are not kept); planning it gives the session's plan." },
  { "xlsx", cmd_xlsx, 2, 2, "xlsx FILE", "Writes the customer's workbook, as plan --xlsx does." },
  { "help", cmd_help, 1, 2, "help [COMMAND]", "Lists the commands, or tells more of one." },
  { "quit", cmd_quit, 1, 1, "quit",
    "Ends the session (warning once about unsaved changes); so does Ctrl-D." },
};

static const LpShellCommand *
find_command (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++) {
    if (strcmp (commands[i].name, name) == 0)
      return &commands[i];
  }
  return NULL;
}

static gboolean
cmd_help (LpShell *sh, char **args, guint n, GError **error)
{
  const LpShellCommand *c = n > 1 ? find_command (args[1]) : NULL;

  if (n > 1 && c == NULL) {
    g_set_error (error, LP_ERROR, LP_ERROR_USAGE, "%s help: no command '%s'", sh->where, args[1]);
    return FALSE;
  }
  if (c != NULL) {
    say ("%s\n%s\n", c->usage, c->help);
    return TRUE;
  }
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    say ("  %s\n", commands[i].usage);
  return TRUE;
}

/* ---- the loop ---- */

const char **
lp_shell_command_names (void)
{
  const char **names = g_new0 (const char *, G_N_ELEMENTS (commands) + 1);
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    names[i] = commands[i].name;
  return names;
}

/* The commands that only read the session: on a terminal each runs in a
 * child process, so that Ctrl-C ends the command (and removes any file it
 * was writing) while the session, its unsaved changes and its history stay. */
static const char *const cancellable[] = { "plan", "show", "why", "diff", "xlsx", NULL };

static gboolean
run_cancellable (LpShell *sh, const LpShellCommand *c, char **args, guint n, GError **error)
{
  struct sigaction ignore = { 0 }, old;
  int status = 0;
  pid_t pid;

  fflush (stdout);
  fflush (stderr);
  pid = fork ();
  if (pid == 0) {
    g_autoptr (GError) failure = NULL;
    signal (SIGINT, SIG_DFL);
    lp_output_catch_signals (); /* Ctrl-C removes a half-written file and ends the child */
    if (!c->run (sh, args, n, &failure))
      complain (failure->message);
    fflush (stdout);
    _exit (failure != NULL ? LP_EXIT_BAD_INPUT : LP_EXIT_OK);
  }
  if (pid < 0) /* no process to spare: run it here, not cancellable */
    return c->run (sh, args, n, error);
  ignore.sa_handler = SIG_IGN;
  sigemptyset (&ignore.sa_mask);
  sigaction (SIGINT, &ignore, &old);
  while (waitpid (pid, &status, 0) < 0 && errno == EINTR)
    ;
  sigaction (SIGINT, &old, NULL);
  if (WIFSIGNALED (status) || (WIFEXITED (status) && WEXITSTATUS (status) > 128)) {
    say ("\n");
    g_set_error (error, LP_ERROR, LP_ERROR_USAGE,
                 "%s %s: interrupted (the session and its changes are kept)", sh->where, c->name);
    return FALSE;
  }
  sh->failed |= !WIFEXITED (status) || WEXITSTATUS (status) != LP_EXIT_OK;
  return TRUE;
}

static gboolean
run_args (LpShell *sh, char **args, guint n, GError **error)
{
  const LpShellCommand *c = find_command (args[0]);

  if (c == NULL) {
    g_autofree const char **names = lp_shell_command_names ();
    g_autofree char *hint = lp_error_did_you_mean (args[0], names);
    g_set_error (error, LP_ERROR, LP_ERROR_USAGE, "%s unknown command '%s'%s; 'help' lists them",
                 sh->where, args[0], hint);
    return FALSE;
  }
  if (n < c->min_args || n > c->max_args) {
    g_set_error (error, LP_ERROR, LP_ERROR_USAGE, "%s usage: %s", sh->where, c->usage);
    return FALSE;
  }
  if (sh->terminal && g_strv_contains (cancellable, c->name))
    return run_cancellable (sh, c, args, n, error);
  if (!c->run (sh, args, n, error))
    return FALSE;
  return TRUE;
}

/* Runs one line; returns FALSE when the session ends (quit). */
gboolean
lp_shell_run_line (LpShell *sh, const char *line, guint number)
{
  g_auto (GStrv) args = NULL;
  g_autoptr (GError) error = NULL;
  gint n = 0;
  /* a script written on Windows ends its lines in CR LF, as its scenario files may */
  g_autofree char *chomped = g_strchomp (g_strdup (line));
  const char *p = chomped;

  while (*p == ' ' || *p == '\t')
    p++;
  if (*p == '\0' || *p == '#' || *p == '\n')
    return TRUE;
  g_free (sh->where);
  sh->where = g_strdup_printf ("shell:%u:", number);
  if (strlen (p) > LP_SHELL_LINE_MAX) {
    g_autofree char *msg = g_strdup_printf ("%s the line is longer than %u bytes", sh->where,
                                            LP_SHELL_LINE_MAX);
    complain (msg);
    sh->failed = TRUE;
    return TRUE;
  }
  if (sh->echo)
    say ("> %s\n", p);
  if (!g_shell_parse_argv (p, &n, &args, NULL))
    g_set_error (&error, LP_ERROR, LP_ERROR_USAGE, "%s a quote is not closed", sh->where);
  else if (strcmp (args[0], "quit") == 0 && n == 1 && (!lp_shell_unsaved (sh) || sh->warned))
    return FALSE;
  else if (strcmp (args[0], "quit") == 0 && n == 1) {
    fflush (stdout);
    fprintf (stderr, "%s unsaved changes: 'save FILE.ini' keeps them; quit again to leave them\n",
             sh->where);
    sh->warned = TRUE;
    return TRUE;
  } else
    run_args (sh, args, (guint) n, &error);
  if (error != NULL) {
    complain (error->message);
    sh->failed = TRUE;
  }
  fflush (stdout);
  return TRUE;
}

/* One line of @in without its line feed, into @line; a line over
 * LP_SHELL_LINE_MAX bytes keeps only its first bytes and one past them (so
 * that run_line() refuses it): memory stays bounded whatever comes in.
 * Returns FALSE at the end of the input. */
static gboolean
read_bounded_line (FILE *in, GString *line)
{
  char buf[4096];
  gboolean any = FALSE;

  g_string_truncate (line, 0);
  while (fgets (buf, sizeof buf, in) != NULL) {
    gsize len = strlen (buf);
    gboolean end = len > 0 && buf[len - 1] == '\n';
    any = TRUE;
    if (line->len <= LP_SHELL_LINE_MAX)
      g_string_append_len (line, buf, (gssize) MIN (len - end, LP_SHELL_LINE_MAX + 1 - line->len));
    if (end)
      break;
  }
  return any;
}

static void
run_pipe (LpShell *sh, FILE *in)
{
  g_autoptr (GString) line = g_string_new (NULL);
  guint number = 0;

  while (read_bounded_line (in, line)) {
    /* a NUL byte ends the line's text: what follows it is not shown or run */
    if (!lp_shell_run_line (sh, line->str, ++number))
      break;
  }
}

static void
run_commands (LpShell *sh)
{
  for (guint i = 0; sh->commands[i] != NULL; i++) {
    if (!lp_shell_run_line (sh, sh->commands[i], i + 1))
      break;
  }
}

/* ---- starting ---- */

static const char shell_description[] =
  "Plans SCENARIO.ini (or nothing yet) and reads commands: after every change it prints\n"
  "what changed in the plan (the design per site group, servers and appliances, each\n"
  "site's roles, requirement figures and their verdicts, cost). 'help' lists the\n"
  "commands. From a pipe it reads them from standard input without prompts, so a\n"
  "session is a script; a mistake is one line 'shell:N: ...' on standard error and the\n"
  "session goes on.\n"
  "\n"
  "Exit status: 0 done; 2 the scenario or rules could not be read, or (from a pipe or\n"
  "-c) a command failed.\n"
  "\n"
  "Examples:\n"
  "  printf 'set dr-rto 8h\\nsite set NYC users=40000\\n' | lyncplan shell examples/four-sites-dr.ini\n"
  "  lyncplan shell examples/four-sites-dr.ini --echo -c 'set dr-rto 15m' -c 'save what-if.ini'\n";

static gboolean
shell_start (LpShell *sh, int argc, char **argv, GError **error)
{
  g_autofree char *product = NULL;
  GOptionEntry entries[] = {
    { "product", 0, 0, G_OPTION_ARG_STRING, &product,
      "Rule set of a new scenario (default lync2013)", "ID" },
    { "rules-dir", 0, 0, G_OPTION_ARG_FILENAME, &sh->rules_dir, "Read PRODUCT.rules from DIR",
      "DIR" },
    { "prices", 0, 0, G_OPTION_ARG_FILENAME, &sh->prices, "Price list: costs become money",
      "FILE" },
    { "echo", 0, 0, G_OPTION_ARG_NONE, &sh->echo,
      "Print each command, after '> ', before its output", NULL },
    { "command", 'c', 0, G_OPTION_ARG_STRING_ARRAY, &sh->commands,
      "Run COMMAND (repeatable) instead of reading standard input", "COMMAND" },
    { NULL },
  };
  g_autoptr (GOptionContext)
    ctx = g_option_context_new ("[SCENARIO.ini] - what-ifs over one scenario");
  gboolean help = FALSE;
  const LpRuleset *rs;

  g_set_prgname ("lyncplan shell");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_set_description (ctx, shell_description);
  if (!lp_cli_parse (ctx, entries, &argc, &argv, &help, error) || help)
    return FALSE;
  if (argc > 2) {
    g_set_error (error, LP_ERROR, LP_ERROR_USAGE,
                 "expected at most one scenario file, got '%s' and '%s'", argv[1], argv[2]);
    return FALSE;
  }
  if (argc == 2) {
    sh->sc = lp_session_load (argv[1], sh->rulesets, sh->rules_dir, error);
    lp_output_unprotect (argv[1]); /* read whole: `save` may write it back */
  } else if ((rs = lp_session_ruleset (sh->rulesets, sh->rules_dir,
                                       product != NULL ? product : LP_DEFAULT_PRODUCT, error)) !=
             NULL)
    sh->sc = lp_scenario_new (rs);
  if (sh->sc == NULL)
    return FALSE;
  if (argc == 2 && product != NULL && strcmp (product, sh->sc->rs->id) != 0) {
    LpScenario *other = lp_session_rebuild (sh->sc, sh->rulesets, sh->rules_dir, product, error);
    if (other == NULL)
      return FALSE;
    lp_scenario_free (sh->sc);
    sh->sc = other;
  }
  if (!lp_session_load_prices (sh->sc, sh->prices, error))
    return FALSE;
  sh->where = g_strdup (argc == 2 ? argv[1] : "shell:");
  sh->saved = lp_session_scenario_text (sh->sc, NULL);
  return plan_summary (sh, sh->sc, &sh->now, error);
}

int
lp_cli_shell (int argc, char **argv)
{
  LpShell sh = { 0 };
  GError *error = NULL;
  int status = LP_EXIT_OK;

  sh.rulesets = g_ptr_array_new_with_free_func ((GDestroyNotify) lp_ruleset_free);
  sh.undo = g_ptr_array_new_with_free_func ((GDestroyNotify) lp_scenario_free);
  sh.redo = g_ptr_array_new_with_free_func ((GDestroyNotify) lp_scenario_free);
  sh.snapshots = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) summary_free);
  if (!shell_start (&sh, argc, argv, &error)) {
    status = error != NULL ? lp_cli_fail (error) : LP_EXIT_OK;
  } else {
    print_difference (NULL, sh.now);
    fflush (stdout);
#ifdef LP_HAVE_LIBEDIT
    if (sh.commands == NULL && isatty (STDIN_FILENO) && isatty (STDOUT_FILENO)) {
      sh.terminal = TRUE;
      lp_shell_run_terminal (&sh);
      shell_clear (&sh);
      return LP_EXIT_OK;
    }
#endif
    if (sh.commands != NULL)
      run_commands (&sh);
    else
      run_pipe (&sh, stdin);
    if (lp_shell_unsaved (&sh) && !sh.warned) {
      fprintf (stderr, "shell: the session ended with changes not saved\n");
    }
    status = sh.failed ? LP_EXIT_BAD_INPUT : LP_EXIT_OK;
  }
  shell_clear (&sh);
  return status;
}
