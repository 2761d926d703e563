/* fuzz-inputs.c: libFuzzer target for everything a user types. LP_FUZZ_KIND
 * picks what the bytes are:
 *   scenario  a scenario file, planned with the source tree's rules (and
 *             planned again folded, as a sweep plans: the same result), then
 *             written by every writer: text, JSON (which must parse and
 *             match schema/plan.schema.json, checked in process), CSV and
 *             the workbook (into a temporary file on tmpfs, every XML part
 *             checked well-formed), the diagram's DOT text checked without
 *             running dot; odd-sized inputs are
 *             planned with examples/prices-example.prices
 *   formula   each line compiled as a formula, printed back and compiled
 *             again, and specialized: the same value
 *   rules     a rule file, loaded beside the real templates
 *   prices    a price list for examples/dr-standard.ini, planned and written
 *   session   lines of a session over one scenario, as the shell and diff
 *             --with change it: "site SPEC" (--site), "with KEY=VALUE"
 *             (diff --with, the shell's set), "unset KEY", "undo", "vary
 *             SPEC" (a sweep's --vary, parsed); then summarised as the
 *             shell does and saved: what it accepted must load back
 *   shell     lines of the shell's command language, run by lyncplan shell
 *             -c LINE ... in process, over examples/four-sites-dr.ini (an
 *             odd-sized input) or an empty scenario; no line may name a
 *             path with '/', so save and xlsx write in the scratch folder
 *   simulate  lines of simulate's arguments, one a line, after
 *             examples/dr-standard.ini and before --years 1 (a line naming
 *             --years or a path with '/' is left out: the work stays small
 *             and the files in the scratch folder)
 * Unset, an input starting with 'R' is a rule file and any other is both a
 * scenario and formula lines. Nothing may crash, leak or read out of bounds;
 * errors are fine. tests/fuzz/run-fuzz builds it with clang and runs each
 * kind over tests/fuzz/corpus/KIND; built with -DLP_FUZZ_REPLAY it is instead
 * a plain program that feeds it every file of ROOT/KIND/ for each ROOT given
 * (meson test replays tests/fuzz/regressions and tests/fuzz/corpus so). */
#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz-check.h"
#include "lp-cli.h"
#include "lp-engine.h"
#include "lp-keyfile.h"
#include "lp-prices.h"
#include "lp-report.h"
#include "lp-session.h"
#include "lp-sweep.h"
#include "lp-write.h"

typedef enum {
  KIND_MIXED,
  KIND_SCENARIO,
  KIND_FORMULA,
  KIND_RULES,
  KIND_PRICES,
  KIND_SESSION,
  KIND_SHELL,
  KIND_SIMULATE
} FuzzKind;

static const char *const kind_names[] = { "mixed",  "scenario", "formula", "rules",
                                          "prices", "session",  "shell",   "simulate" };

static LpRuleset *rules;
static char *rules_folder;    /* the source tree's rules/: where this binary lives says nothing */
static JsonNode *plan_schema; /* schema/plan.schema.json */
static FuzzKind kind;
static char *dir; /* scratch: templates link, rules/, the inputs, the workbook */

/* The kind called @name, or -1. */
static int
kind_from_name (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++) {
    if (strcmp (name, kind_names[i]) == 0)
      return (int) i;
  }
  return -1;
}

static char *
source_path (const char *first, const char *second)
{
  return g_build_filename (g_getenv ("LP_SOURCE_ROOT"), first, second, NULL);
}

/* @name in the scratch folder, with @data written to it. */
static char *
scratch_file (const char *name, const uint8_t *data, size_t size)
{
  char *path = g_build_filename (dir, name, NULL);

  g_assert (g_file_set_contents (path, (const char *) data, (gssize) size, NULL));
  return path;
}

static void
remove_scratch (void)
{
  const char *names[] = { "templates", "rules/fuzz.rules", "rules",
                          "fuzz.ini",  "fuzz.prices",      "fuzz.xlsx" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++) {
    g_autofree char *path = g_build_filename (dir, names[i], NULL);
    g_remove (path);
  }
  g_rmdir (dir);
}

static void
setup (void)
{
  g_autofree char *path = source_path ("rules", "lync2013.rules");
  g_autofree char *templates = source_path ("templates", NULL);
  g_autofree char *link = NULL;
  g_autofree char *rules_dir = NULL;
  const char *name = g_getenv ("LP_FUZZ_KIND");

  if (name != NULL && kind_from_name (name) < 0)
    g_error ("LP_FUZZ_KIND=%s: expected scenario, formula, rules, prices, session, shell or "
             "simulate",
             name);
  if (name != NULL)
    kind = (FuzzKind) kind_from_name (name);
  rules = lp_ruleset_load (path, NULL);
  g_assert (rules != NULL);
  rules_folder = source_path ("rules", NULL);
  {
    g_autofree char *schema_path = source_path ("schema", "plan.schema.json");
    g_autoptr (JsonParser) parser = json_parser_new ();
    g_assert (json_parser_load_from_file (parser, schema_path, NULL));
    plan_schema = json_node_copy (json_parser_get_root (parser));
  }
  /* the diagram's DOT text is checked here, never given to dot: a fork and
   * exec from a sanitized process per input cost most of the time */
  lp_diagram_set_offline (TRUE);
  /* the workbook in memory: on tmpfs where there is one */
  if (g_getenv ("TMPDIR") == NULL && g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR) &&
      access ("/dev/shm", W_OK) == 0)
    g_setenv ("TMPDIR", "/dev/shm", TRUE);
  dir = g_dir_make_tmp ("lyncplan-fuzz-XXXXXX", NULL);
  g_assert (dir != NULL);
  link = g_build_filename (dir, "templates", NULL);
  rules_dir = g_build_filename (dir, "rules", NULL);
  g_assert (symlink (templates, link) == 0 && g_mkdir (rules_dir, 0700) == 0);
  atexit (remove_scratch);
}

/* What the stream writer @w writes for @r (it cannot fail in memory);
 * @table is the CSV table, NULL for the default. */
static char *
write_stream (const LpReport *r, const LpWriter *w, gboolean with_trace, const char *table)
{
  const LpWriteOptions wo = { .with_trace = with_trace, .table = table };
  g_autoptr (LpOutput) out = lp_output_new_memory ();

  g_assert (w->write (r, &wo, out, NULL) && lp_output_commit (out, NULL));
  return g_strdup (lp_output_contents (out, NULL));
}

/* The JSON writer's document must be JSON, and match schema/plan.schema.json. */
static void
check_json (const char *doc)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) root = json_from_string (doc, &error);

  if (root == NULL)
    g_error ("lp_write_json wrote no JSON: %s\n%s", error->message, doc);
  fuzz_check_schema (plan_schema, root, "the JSON plan");
}

/* The deliverable, as plan --xlsx builds it: failures are fine, crashes are not. */
static void
write_workbook (LpReport *r, gboolean traced)
{
  const LpWriter *w = lp_writer_find ("xlsx");
  g_autofree char *path = g_build_filename (dir, "fuzz.xlsx", NULL);
  const LpWriteOptions wo = { .with_trace = traced };
  g_autoptr (LpOutput) out = NULL;

  if (!w->check (r, NULL) || !lp_report_read_date (r, NULL))
    return;
  out = lp_output_new (path, w->kind, NULL, NULL);
  g_assert (out != NULL);
  if (w->write (r, &wo, out, NULL)) {
    g_assert (lp_output_commit (out, NULL));
    g_assert (fuzz_check_xlsx (path) > 10);
  }
  g_remove (path);
}

/* Every writer, as plan --format text|json|csv and --xlsx call them; the
 * stream writers with the rule trace (--explain) or without, as @traced says
 * (one of the two an input: the traced text holds the plain one's sections,
 * and writing both cost a fifth of an input); the workbook when @book (under
 * ASan a workbook and its check cost four times the rest of an input: one
 * scenario input in eight writes one, so the target runs about 2.5 times
 * the inputs a second and still writes several workbooks a second). */
static void
write_all (const LpPlan *plan, gboolean traced, gboolean book)
{
  g_autoptr (LpReport) r = lp_report_new (plan, NULL, NULL);
  g_autofree char *dot = NULL;

  if (r == NULL)
    return;
  dot = lp_diagram_dot (r, FALSE);
  fuzz_check_dot (dot);
  g_free (dot);
  dot = lp_diagram_dot (r, TRUE);
  fuzz_check_dot (dot);
  for (const LpWriter *w = lp_writers; w->format.name != NULL; w++) {
    if (w->kind == LP_OUTPUT_STREAM) {
      g_autofree char *doc = write_stream (r, w, traced, NULL);
      if (w->write == lp_write_json)
        check_json (doc);
      for (guint t = 0; w->write == lp_write_csv && lp_csv_tables[t] != NULL; t++)
        g_free (write_stream (r, w, FALSE, lp_csv_tables[t]));
    }
  }
  if (book)
    write_workbook (r, traced);
}

/* Plans @sc (resolved) plain and folded, the same result, and writes it. */
static void
plan_and_write (LpScenario *sc, gboolean traced, gboolean book)
{
  g_autoptr (LpPlan) plan = lp_engine_plan (rules, sc, TRUE, NULL);
  g_autoptr (LpPlanner) planner = lp_planner_new (rules);
  const LpPlan *folded = NULL;

  lp_planner_set_fold (planner, lp_engine_fold_new (rules, sc, NULL, 0));
  folded = lp_planner_replan (planner, sc, FALSE, NULL);

  g_assert ((plan == NULL) == (folded == NULL));
  g_assert (plan == NULL ||
            (plan->servers == folded->servers && plan->appliances == folded->appliances &&
             plan->feasible == folded->feasible));
  if (plan != NULL)
    write_all (plan, traced, book);
}

static LpPrices *
load_prices (const char *path)
{
  return lp_prices_load (path, rules, NULL);
}

static void
plan_scenario (const uint8_t *data, size_t size)
{
  g_autoptr (LpKeyfile)
    kf = lp_keyfile_parse ("fuzz.ini", (const char *) data, size, LP_ERROR_INPUT, NULL);
  g_autoptr (LpScenario) sc = NULL;

  if (kf == NULL)
    return;
  sc = lp_scenario_load (kf, rules, NULL);
  if (sc == NULL || !lp_scenario_resolve (sc, rules, NULL))
    return;
  if (size % 2 == 1) {
    g_autofree char *prices = source_path ("examples", "prices-example.prices");
    sc->prices = load_prices (prices);
    g_assert (sc->prices != NULL);
  }
  /* the size's bits choose: prices, the trace, the workbook (one in eight) */
  plan_and_write (sc, (size & 2) != 0, (size & 0x1c) == 0x1c);
}

/* The bytes as a price list for a scenario that plans. */
static void
plan_prices (const uint8_t *data, size_t size)
{
  g_autofree char *path = scratch_file ("fuzz.prices", data, size);
  g_autofree char *scenario = source_path ("examples", "dr-standard.ini");
  g_autoptr (LpPrices) prices = load_prices (path);
  g_autoptr (LpKeyfile) kf = lp_keyfile_load (scenario, LP_ERROR_INPUT, NULL);
  g_autoptr (LpScenario) sc = NULL;

  if (prices == NULL)
    return;
  sc = lp_scenario_load (kf, rules, NULL);
  g_assert (sc != NULL && lp_scenario_resolve (sc, rules, NULL));
  sc->prices = g_steal_pointer (&prices);
  plan_and_write (sc, (size & 2) != 0, (size & 4) != 0);
}

static gboolean
same_value (double a, double b)
{
  return (a != a && b != b) || memcmp (&a, &b, sizeof a) == 0;
}

static void
compile_lines (const uint8_t *data, size_t size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_auto (GStrv) lines = g_strsplit (text, "\n", 16);
  double env[256] = { 0 };
  gboolean known[256] = { FALSE };

  /* some slots known, values of every kind: 0, whole, fractional, negative */
  for (guint i = 0; i < G_N_ELEMENTS (env); i++) {
    env[i] = (double) ((int) (i * 7 % 13) - 3) / (i % 3 + 1);
    known[i] = i % 2 == (size % 2);
  }
  for (guint i = 0; lines[i] != NULL; i++) {
    g_autoptr (LpExpr) e = lp_expr_compile (lines[i], rules->symtab, NULL);
    if (e != NULL) {
      g_autofree char *back = lp_expr_to_string (e, rules->symtab);
      g_autoptr (LpExpr) again = lp_expr_compile (back, rules->symtab, NULL);
      g_assert (again != NULL);
      if (lp_symtab_size (rules->symtab) <= G_N_ELEMENTS (env)) {
        g_autoptr (LpExpr) spec = lp_expr_specialize (e, known, env);
        g_assert (same_value (lp_expr_eval (spec, env), lp_expr_eval (e, env)));
      }
    }
  }
}

/* A rule file in rules/ beside the real templates. */
static void
load_rules (const uint8_t *data, size_t size)
{
  g_autofree char *path = scratch_file ("rules/fuzz.rules", data, size);
  g_autoptr (LpRuleset) rs = lp_ruleset_load (path, NULL);
}

/* One line of a session: a change to @sc, kept only when it succeeds. */
static void
session_line (LpScenario **sc, GPtrArray *undo, const char *line)
{
  g_autoptr (LpScenario) next = lp_scenario_copy (*sc);
  gboolean ok = FALSE;

  if (g_str_has_prefix (line, "site ")) {
    ok = lp_scenario_add_site_flag (next, line + 5, NULL);
  } else if (g_str_has_prefix (line, "with ")) {
    const char *eq = strchr (line + 5, '=');
    g_autofree char *key = eq != NULL ? g_strndup (line + 5, (gsize) (eq - line - 5)) : NULL;
    ok = key != NULL && lp_session_apply (next, key, eq + 1, "fuzz:", NULL);
  } else if (g_str_has_prefix (line, "unset ")) {
    ok = lp_session_unset (next, line + 6, "fuzz:", NULL);
  } else if (strcmp (line, "undo") == 0 && undo->len > 0) {
    lp_scenario_free (*sc);
    *sc = g_ptr_array_steal_index (undo, undo->len - 1);
    return;
  } else if (g_str_has_prefix (line, "vary ")) {
    const char *specs[] = { line + 5, NULL };
    LpScenario *copy = lp_scenario_copy (*sc);
    if (lp_scenario_resolve (copy, rules, NULL)) {
      LpSweep *sweep = lp_sweep_new (rules, copy, specs, NULL);
      lp_sweep_free (sweep);
    } else {
      lp_scenario_free (copy);
    }
    return;
  }
  if (ok && lp_scenario_resolve (next, rules, NULL)) {
    g_ptr_array_add (undo, *sc);
    *sc = g_steal_pointer (&next);
  }
}

/* A session's lines over an empty scenario, each summarised with the
 * groups that loaded before and without them (the same answer), then saved:
 * a scenario the session planned must load back from what save writes. */
static void
run_session (const uint8_t *data, size_t size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_auto (GStrv) lines = g_strsplit (text, "\n", 64);
  g_autoptr (GPtrArray) undo = g_ptr_array_new_with_free_func ((GDestroyNotify) lp_scenario_free);
  g_autoptr (LpScenario) sc = lp_scenario_new (rules);
  g_autoptr (LpPlanner) planner = lp_planner_new (rules);
  g_autoptr (LpSessionCache) known = lp_session_cache_new ();
  g_auto (LpPlanSummary) s = { 0 };
  gboolean ok = FALSE;

  lp_plan_summary_init (&s, rules, TRUE);
  for (guint i = 0; lines[i] != NULL; i++) {
    session_line (&sc, undo, g_strchomp (lines[i]));
    if (sc->sites->len == 0)
      continue;
    ok = lp_session_summarise (planner, sc, known, &s, NULL);
    if (ok != lp_session_summarise (planner, sc, NULL, &s, NULL))
      g_error ("the session's check with known groups said %s, without %s", ok ? "yes" : "no",
               ok ? "no" : "yes");
  }
  if (ok && sc->sites->len > 0) {
    g_autofree char *saved = lp_session_scenario_text (sc, NULL);
    g_autoptr (GError) error = NULL;
    g_autoptr (LpKeyfile)
      kf = lp_keyfile_parse ("saved.ini", saved, strlen (saved), LP_ERROR_INPUT, &error);
    g_autoptr (LpScenario) back = kf != NULL ? lp_scenario_load (kf, rules, &error) : NULL;
    if (back == NULL || !lp_scenario_resolve (back, rules, &error))
      g_error ("a session's scenario did not load back: %s\n%s", error->message, saved);
  }
}

/* Removes the files a command wrote into the scratch folder (its own
 * templates link and rules folder stay). */
static void
clear_scratch (void)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL) {
    g_autofree char *path = g_build_filename (dir, name, NULL);
    if (!g_file_test (path, G_FILE_TEST_IS_SYMLINK) && !g_file_test (path, G_FILE_TEST_IS_DIR))
      g_remove (path);
  }
}

/* Runs @command (lp_cli_shell or lp_cli_simulate) with @argv in the scratch
 * folder, its standard output and error muted: errors are fine, crashes,
 * leaks and hangs are not. */
static void
run_command (int (*command) (int, char **), GPtrArray *argv)
{
  g_autofree char *cwd = g_get_current_dir ();
  int out = dup (STDOUT_FILENO), err = dup (STDERR_FILENO);
  int null = open ("/dev/null", O_WRONLY);

  g_assert (out >= 0 && err >= 0 && null >= 0 && chdir (dir) == 0);
  fflush (stdout);
  dup2 (null, STDOUT_FILENO);
  dup2 (null, STDERR_FILENO);
  g_ptr_array_add (argv, NULL);
  command ((int) argv->len - 1, (char **) argv->pdata);
  fflush (stdout);
  dup2 (out, STDOUT_FILENO);
  dup2 (err, STDERR_FILENO);
  close (out);
  close (err);
  close (null);
  g_assert (chdir (cwd) == 0);
  clear_scratch ();
}

/* The input's lines, at most @max, without those naming a path ('/'). */
static GPtrArray *
safe_lines (const uint8_t *data, size_t size, guint max, const char *refused)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_auto (GStrv) lines = g_strsplit (text, "\n", (gint) max);
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; lines[i] != NULL; i++) {
    if (strchr (lines[i], '/') == NULL && (refused == NULL || strstr (lines[i], refused) == NULL))
      g_ptr_array_add (out, g_strdup (g_strchomp (lines[i])));
  }
  return out;
}

/* The shell's command language: each line a -c COMMAND. */
static void
run_shell (const uint8_t *data, size_t size)
{
  g_autoptr (GPtrArray) lines = safe_lines (data, size, 32, NULL);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *example = source_path ("examples", "four-sites-dr.ini");

  g_ptr_array_add (argv, "shell");
  g_ptr_array_add (argv, "--rules-dir");
  g_ptr_array_add (argv, rules_folder);
  if (size % 2 == 1)
    g_ptr_array_add (argv, example);
  for (guint i = 0; i < lines->len; i++) {
    g_ptr_array_add (argv, "-c");
    g_ptr_array_add (argv, lines->pdata[i]);
  }
  if (lines->len == 0)
    g_ptr_array_add (argv, "-cplan");
  run_command (lp_cli_shell, argv);
}

/* simulate's options: each line an argument. */
static void
run_simulate (const uint8_t *data, size_t size)
{
  g_autoptr (GPtrArray) lines = safe_lines (data, size, 16, "years");
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *example = source_path ("examples", "dr-standard.ini");

  g_ptr_array_add (argv, "simulate");
  g_ptr_array_add (argv, "--rules-dir");
  g_ptr_array_add (argv, rules_folder);
  g_ptr_array_add (argv, example);
  for (guint i = 0; i < lines->len; i++)
    g_ptr_array_add (argv, lines->pdata[i]);
  g_ptr_array_add (argv, "--years");
  g_ptr_array_add (argv, "1");
  run_command (lp_cli_simulate, argv);
}

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (rules == NULL)
    setup ();
  switch (kind) {
  case KIND_SCENARIO: plan_scenario (data, size); break;
  case KIND_FORMULA: compile_lines (data, size); break;
  case KIND_RULES: load_rules (data, size); break;
  case KIND_PRICES: plan_prices (data, size); break;
  case KIND_SESSION: run_session (data, size); break;
  case KIND_SHELL: run_shell (data, size); break;
  case KIND_SIMULATE: run_simulate (data, size); break;
  case KIND_MIXED:
    if (size > 0 && data[0] == 'R') {
      load_rules (data + 1, size - 1);
    } else {
      plan_scenario (data, size);
      compile_lines (data, size);
    }
    break;
  }
  return 0;
}

#ifdef LP_FUZZ_REPLAY
static int
compare_paths (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

/* The files of @root/@name/ (a kind's folder), sorted, added to @files. */
static void
add_kind_files (const char *root, const char *name, GPtrArray *files)
{
  g_autofree char *sub = g_build_filename (root, name, NULL);
  g_autoptr (GDir) d = g_dir_open (sub, 0, NULL);
  g_autoptr (GPtrArray) found = g_ptr_array_new ();
  const char *file;

  if (kind_from_name (name) <= KIND_MIXED)
    g_error ("%s: not a kind of input (scenario, formula, rules, prices, session, shell or "
             "simulate)",
             sub);
  while (d != NULL && (file = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (found, g_build_filename (sub, file, NULL));
  g_ptr_array_sort (found, compare_paths);
  for (guint i = 0; i < found->len; i++)
    g_ptr_array_add (files, found->pdata[i]);
}

/* Replays ROOT/KIND/FILE for each ROOT, as TAP: one test per file. */
int
main (int argc, char **argv)
{
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_free);

  for (int a = 1; a < argc; a++) {
    g_autoptr (GDir) d = g_dir_open (argv[a], 0, NULL);
    g_autoptr (GPtrArray) kinds = g_ptr_array_new_with_free_func (g_free);
    const char *name;
    if (d == NULL)
      g_error ("cannot read the folder %s", argv[a]);
    while ((name = g_dir_read_name (d)) != NULL)
      g_ptr_array_add (kinds, g_strdup (name));
    g_ptr_array_sort (kinds, compare_paths);
    for (guint i = 0; i < kinds->len; i++)
      add_kind_files (argv[a], kinds->pdata[i], files);
  }
  printf ("1..%u\n", files->len);
  for (guint i = 0; i < files->len; i++) {
    const char *path = files->pdata[i];
    g_autofree char *kind_dir = g_path_get_dirname (path);
    g_autofree char *kind_name = g_path_get_basename (kind_dir);
    g_autofree char *data = NULL;
    gsize size = 0;
    g_assert (g_file_get_contents (path, &data, &size, NULL));
    if (rules == NULL)
      setup ();
    kind = (FuzzKind) kind_from_name (kind_name);
    LLVMFuzzerTestOneInput ((const uint8_t *) data, size);
    printf ("ok %u - %s/%s\n", i + 1, kind_name, strrchr (path, G_DIR_SEPARATOR) + 1);
    fflush (stdout);
  }
  return files->len > 0 ? 0 : 1;
}
#endif
