/* lp-cli-shell-terminal.c: the shell on a terminal: libedit's line editing,
 * history and completion, and Ctrl-C and Ctrl-D. Built only with libedit;
 * on a pipe or with -c the shell needs none of it (lp-cli-shell.c). */
#include "lp-cli-shell.h"

#ifdef LP_HAVE_LIBEDIT

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include <editline/readline.h>

#include "lp-process.h"

/* readline()'s callbacks take no user data: the session being completed. */
static LpShell *completing;
static GPtrArray *candidates; /* of char *, the words that may come next */
static volatile sig_atomic_t interrupted;

static void
cancel_cb (int sig)
{
  lp_shell_cancel_asked = sig;
}

static void
interrupt_cb (int sig)
{
  interrupted = sig;
}

static void
add_word (const char *word)
{
  g_ptr_array_add (candidates, g_strdup (word));
}

static void
add_keys (const LpRuleset *rs, const LpScenario *sc)
{
  g_autofree const char **constants = lp_ruleset_constant_names (rs);

  for (guint i = 0; i < rs->inputs->len; i++) {
    const LpInput *in = g_ptr_array_index (rs->inputs, i);
    if (in->scope & LP_SCOPE_SCENARIO)
      add_word (in->key);
    for (guint k = 0; (in->scope & LP_SCOPE_SITE) && k < sc->sites->len; k++)
      g_ptr_array_add (candidates,
                       g_strdup_printf ("%s@%s", in->key,
                                        ((LpSite *) g_ptr_array_index (sc->sites, k))->name));
  }
  for (guint k = 0; k < sc->sites->len; k++) {
    const char *site = ((LpSite *) g_ptr_array_index (sc->sites, k))->name;
    g_ptr_array_add (candidates, g_strdup_printf ("users@%s", site));
    g_ptr_array_add (candidates, g_strdup_printf ("dr-site@%s", site));
  }
  for (guint i = 0; lp_scenario_words[i] != NULL; i++)
    add_word (lp_scenario_words[i]);
  for (guint i = 0; constants[i] != NULL; i++)
    add_word (constants[i]);
}

static void
add_sites (const LpScenario *sc)
{
  for (guint k = 0; k < sc->sites->len; k++)
    add_word (((LpSite *) g_ptr_array_index (sc->sites, k))->name);
}

static void
add_ids (const LpRuleset *rs)
{
  for (guint i = 0; i < rs->roles->len; i++)
    add_word (((const LpRole *) g_ptr_array_index (rs->roles, i))->id);
  for (guint i = 0; i < rs->templates->len; i++)
    add_word (((const LpTemplate *) g_ptr_array_index (rs->templates, i))->id);
}

static void
add_products (const LpShell *sh)
{
  g_autofree char *datadir = lp_datadir ();
  g_autofree char *dir = sh->rules_dir != NULL ? g_strdup (sh->rules_dir)
                                               : g_build_filename (datadir, "rules", NULL);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL) {
    if (g_str_has_suffix (name, ".rules"))
      g_ptr_array_add (candidates, g_strndup (name, strlen (name) - strlen (".rules")));
  }
}

/* why ID@SITE: once the word being typed (@text) has its '@', each site
 * after the id typed. */
static void
add_id_sites (const LpScenario *sc, const char *text)
{
  const char *bare = text[0] == '\'' || text[0] == '"' ? text + 1 : text;
  const char *at = strchr (bare, '@');

  for (guint k = 0; at != NULL && k < sc->sites->len; k++)
    g_ptr_array_add (candidates,
                     g_strdup_printf ("%.*s@%s", (int) (at - bare), bare,
                                      ((LpSite *) g_ptr_array_index (sc->sites, k))->name));
}

/* The words that may stand as word @n (0 the command) after @words, @text
 * the start of it typed so far. */
static gboolean
fill_candidates (const LpShell *sh, char **words, guint n, const char *text)
{
  static const char *const sections[] = { "inputs",      "sites",    "group",    "bill",
                                          "resilience",  "sla",      "downtime", "dns",
                                          "certificate", "firewall", "caveats",  "rule",
                                          NULL };
  const char *cmd = n > 0 ? words[0] : "";

  if (n == 0 || (n == 1 && strcmp (cmd, "help") == 0)) {
    g_autofree const char **names = lp_shell_command_names ();
    for (guint i = 0; names[i] != NULL; i++)
      add_word (names[i]);
  } else if (n == 1 && (strcmp (cmd, "set") == 0 || strcmp (cmd, "unset") == 0)) {
    add_keys (sh->sc->rs, sh->sc);
  } else if (n == 1 && strcmp (cmd, "site") == 0) {
    add_word ("add"), add_word ("set"), add_word ("remove");
  } else if (n == 2 && strcmp (cmd, "site") == 0 && strcmp (words[1], "add") != 0) {
    add_sites (sh->sc);
  } else if (n >= 3 && strcmp (cmd, "site") == 0) {
    add_word ("users="), add_word ("remote-percent="), add_word ("dr-site=");
  } else if (n == 1 && strcmp (cmd, "show") == 0) {
    for (guint i = 0; sections[i] != NULL; i++)
      add_word (sections[i]);
  } else if (n == 1 && strcmp (cmd, "why") == 0) {
    add_ids (sh->sc->rs);
    add_id_sites (sh->sc, text);
  } else if (n == 1 && strcmp (cmd, "product") == 0) {
    add_products (sh);
  } else if (n == 1 && strcmp (cmd, "diff") == 0) {
    GHashTableIter it;
    gpointer key;
    g_hash_table_iter_init (&it, sh->snapshots);
    while (g_hash_table_iter_next (&it, &key, NULL))
      add_word (key);
  } else {
    return FALSE; /* save, xlsx: file names, libedit's own completion */
  }
  return TRUE;
}

/* A word as the line must hold it: quoted when it has a space or a quote
 * ("set 'users@New York' 5000"), as the session's parser reads it. */
static char *
as_typed (const char *word)
{
  if (strpbrk (word, " \t'\"\\") == NULL)
    return strdup (word);
  {
    g_autofree char *quoted = g_shell_quote (word);
    return strdup (quoted);
  }
}

static char *
candidate_cb (const char *text, int state)
{
  static guint next;
  /* a word begun with a quote is matched without it */
  const char *bare = text[0] == '\'' || text[0] == '"' ? text + 1 : text;
  gsize len = strlen (bare);

  if (state == 0)
    next = 0;
  while (next < candidates->len) {
    const char *word = g_ptr_array_index (candidates, next++);
    if (strncmp (word, bare, len) == 0)
      return as_typed (word); /* libedit frees it with free() */
  }
  return NULL;
}

/* The words of @line as the session's parser splits them, a quoted one
 * (spaces inside) one word; a quote still open ends the last. */
static GStrv
split_words (const char *line)
{
  GStrvBuilder *b = g_strv_builder_new ();
  GString *w = g_string_new (NULL);
  char quote = 0;
  gboolean in_word = FALSE;

  for (const char *p = line; *p != '\0'; p++) {
    if (quote != 0 && *p == quote)
      quote = 0;
    else if (quote == 0 && (*p == '\'' || *p == '"'))
      quote = *p, in_word = TRUE;
    else if (quote == 0 && (*p == ' ' || *p == '\t')) {
      if (in_word)
        g_strv_builder_add (b, w->str);
      g_string_truncate (w, 0);
      in_word = FALSE;
    } else {
      g_string_append_c (w, *p);
      in_word = TRUE;
    }
  }
  if (in_word)
    g_strv_builder_add (b, w->str);
  g_string_free (w, TRUE);
  {
    GStrv out = g_strv_builder_end (b);
    g_strv_builder_unref (b);
    return out;
  }
}

static char **
complete_cb (const char *text, int start, int end)
{
  g_autofree char *before = g_strndup (rl_line_buffer, (gsize) start);
  g_auto (GStrv) words = split_words (before);
  guint n = g_strv_length (words);

  g_ptr_array_set_size (candidates, 0);
  if (!fill_candidates (completing, words, n, text))
    return NULL;
  rl_attempted_completion_over = 1;
  return rl_completion_matches (text, candidate_cb);
}

static char *
history_path (void)
{
  return g_build_filename (g_get_user_state_dir (), "lyncplan", "history", NULL);
}

/* One line; NULL at the end (Ctrl-D). Ctrl-C drops the line: SIGINT is the
 * session's while a line is read, the output module's again (remove the
 * temporary file, exit) while a command writes one. */
static char *
read_line (gboolean *dropped)
{
  struct sigaction mine = { 0 }, theirs;
  char *line;

  mine.sa_handler = interrupt_cb; /* no SA_RESTART: the read returns */
  sigemptyset (&mine.sa_mask);
  interrupted = 0;
  sigaction (SIGINT, &mine, &theirs);
  line = readline ("lyncplan> ");
  sigaction (SIGINT, &theirs, NULL);
  *dropped = interrupted != 0;
  if (*dropped) {
    free (line);
    printf ("\n");
    return NULL;
  }
  return line;
}

static gboolean
end_of_input (LpShell *sh)
{
  printf ("\n");
  if (!lp_shell_unsaved (sh) || sh->warned)
    return TRUE;
  fprintf (stderr,
           "shell: unsaved changes: 'save FILE.ini' keeps them; Ctrl-D again to leave them\n");
  sh->warned = TRUE;
  return FALSE;
}

void
lp_shell_run_terminal (LpShell *sh)
{
  g_autofree char *history = history_path ();
  g_autofree char *folder = g_path_get_dirname (history);
  guint number = 0;
  gboolean dropped;

  completing = sh;
  candidates = g_ptr_array_new_with_free_func (g_free);
  rl_attempted_completion_function = complete_cb;
  rl_basic_word_break_characters = " \t";
  rl_completer_word_break_characters = (char *) " \t";
  read_history (history);
  for (;;) {
    char *line = read_line (&dropped);
    if (line == NULL && dropped)
      continue;
    if (line == NULL && end_of_input (sh))
      break;
    if (line == NULL)
      continue;
    if (line[strspn (line, " \t")] != '\0')
      add_history (line);
    /* Ctrl-C while the command runs: a change is dropped once planned
     * (lp_shell_cancel_asked), a read-only command's child ends */
    struct sigaction cancel = { 0 }, theirs;
    cancel.sa_handler = cancel_cb;
    cancel.sa_flags = SA_RESTART;
    sigemptyset (&cancel.sa_mask);
    lp_shell_cancel_asked = 0;
    sigaction (SIGINT, &cancel, &theirs);
    gboolean go_on = lp_shell_run_line (sh, line, ++number);
    sigaction (SIGINT, &theirs, NULL);
    lp_shell_cancel_asked = 0;
    free (line);
    if (!go_on)
      break;
  }
  if (g_mkdir_with_parents (folder, 0700) == 0)
    write_history (history);
  g_ptr_array_unref (candidates);
  completing = NULL;
}
#endif /* LP_HAVE_LIBEDIT */
