/* test-expr.c: the expression language, row by row: the text, what it
 * compiles to (printed back), its value, or the exact error. */
#include <glib.h>
#include <math.h>
#include <string.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "lp-expr.h"
#include "lp-test.h"

typedef struct {
  const char *name;
  const char *input;
  const char *printed; /* NULL when an error is expected */
  double value;
  const char *error;
} ExprRow;

/* Environment: users 5000, partner-users 1000, paired 1, a 2, b 3. */
static const ExprRow rows[] = {
  { "number", "42", "42", 42, NULL },
  { "decimal", "0.25", "0.25", 0.25, NULL },
  { "name", "users", "users", 5000, NULL },
  { "hyphenated name", "partner-users", "partner-users", 1000, NULL },
  { "minus with spaces", "users - partner-users", "users - partner-users", 4000, NULL },
  { "minus before digit", "users-1", "users - 1", 4999, NULL },
  { "precedence", "a + b * 2", "a + b * 2", 8, NULL },
  { "parentheses kept", "(a + b) * 2", "(a + b) * 2", 10, NULL },
  { "parentheses dropped", "((a)) + (b * 2)", "a + b * 2", 8, NULL },
  { "left associative", "a - b - 1", "a - b - 1", -2, NULL },
  { "right operand grouped", "a - (b - 1)", "a - (b - 1)", 0, NULL },
  { "division", "users / 5000", "users / 5000", 1, NULL },
  { "unary minus", "-a * b", "-a * b", -6, NULL },
  { "unary minus of group", "-(a + b)", "-(a + b)", -5, NULL },
  { "comparison", "users > 4000", "users > 4000", 1, NULL },
  { "equality", "a == 2", "a == 2", 1, NULL },
  { "inequality", "a != 2", "a != 2", 0, NULL },
  { "and or", "a < b and b < a or paired", "a < b and b < a or paired", 1, NULL },
  { "and binds tighter", "(a > b or paired) and a > b", "(a > b or paired) and a > b", 0, NULL },
  { "not", "not paired", "not paired", 0, NULL },
  { "true", "true", "1", 1, NULL },
  { "false and", "paired and false", "paired and 0", 0, NULL },
  { "not of comparison", "not a > b", "not a > b", 1, NULL },
  { "ceil", "ceil(users / 6660)", "ceil(users / 6660)", 1, NULL },
  { "ceil of exact", "ceil(30000 / 6000)", "ceil(30000 / 6000)", 5, NULL },
  { "floor", "floor(7 / 2)", "floor(7 / 2)", 3, NULL },
  { "min", "min(12, 3, 7)", "min(12, 3, 7)", 3, NULL },
  { "max nested", "max(3, ceil(users / 6660) + 1)", "max(3, ceil(users / 6660) + 1)", 3, NULL },
  { "if true", "if(paired, a, b)", "if(paired, a, b)", 2, NULL },
  { "if false", "if(not paired, a, b)", "if(not paired, a, b)", 3, NULL },
  { "model front ends", "min(12, max(3, ceil(30000 / 6660) + 1))",
    "min(12, max(3, ceil(30000 / 6660) + 1))", 6, NULL },
  { "empty", "", NULL, 0, "empty expression" },
  { "blank", "   ", NULL, 0, "empty expression" },
  { "unknown name", "user", NULL, 0, "column 1: unknown name 'user' (did you mean 'users'?)" },
  { "unknown name far", "zzzzzz", NULL, 0, "column 1: unknown name 'zzzzzz'" },
  { "unknown function", "cel(a)", NULL, 0,
    "column 1: unknown function 'cel' (did you mean 'ceil'?)" },
  { "too few arguments", "if(a, b)", NULL, 0, "column 1: if takes 3 arguments, got 2" },
  { "too many arguments", "ceil(a, b)", NULL, 0, "column 1: ceil takes 1 argument, got 2" },
  { "min needs two", "min(a)", NULL, 0, "column 1: min takes 2 arguments or more, got 1" },
  { "missing paren", "(a + b", NULL, 0, "column 7: expected ')', got the end of the expression" },
  { "missing operand", "a +", NULL, 0,
    "column 4: expected a number, a name, a function call or '(', got the end of the expression" },
  { "trailing input", "a b", NULL, 0,
    "column 3: expected an operator or the end of the expression, got 'b'" },
  { "bad character", "a $ b", NULL, 0,
    "column 3: expected an operator or the end of the expression, got '$'" },
  { "chained comparison", "a < b < 3", NULL, 0,
    "column 7: expected 'and' or 'or' between comparisons (they do not chain), got '<'" },
  { "number with letters", "3m", NULL, 0,
    "column 1: expected a number, a name, a function call or '(', got '3'" },
  { "bad argument list", "max(a; b)", NULL, 0, "column 6: expected ',' or ')', got ';'" },
  { "largest literals", "1e308 - 1.5e308", "1e+308 - 1.5e+308", -0.5e308, NULL },
  { "exponent", "2.5e3 / a", "2500 / a", 1250, NULL },
  { "literal past a double", "1e999", NULL, 0,
    "column 1: number too large: '1e999' (a double holds about 1.8e308)" },
  { "literal past a double in a sum", "a + 2e308", NULL, 0,
    "column 5: number too large: '2e308' (a double holds about 1.8e308)" },
  { "hexadecimal literal", "0x10 + a", NULL, 0,
    "column 1: hexadecimal number '0x10': formulas take decimal numbers" },
  { "hexadecimal float", "a * 0X1p3", NULL, 0,
    "column 5: hexadecimal number '0X1p3': formulas take decimal numbers" },
  { "division by 0", "a / 0", "a / 0", INFINITY, NULL },
  { "max keeps NaN", "max(a, 0 / 0, b)", "max(a, 0 / 0, b)", NAN, NULL },
  { "max keeps a first NaN", "max(0 / 0, a)", "max(0 / 0, a)", NAN, NULL },
  { "min keeps NaN", "min(a, b, 0 / 0)", "min(a, b, 0 / 0)", NAN, NULL },
};

/* The same value, NaN included. */
static gboolean
same_value (double got, double expected)
{
  if (isnan (expected) || isinf (expected))
    return isnan (expected) ? isnan (got) : got == expected;
  return fabs (got - expected) < 1e-9;
}

/* Specializing with paired, a and b known (users and partner-users not):
 * the text, what it becomes (printed), and its value. */
typedef struct {
  const char *input;
  const char *specialized;
  double value;
} SpecRow;

static const SpecRow spec_rows[] = {
  { "a + b * 2", "8", 8 },
  { "users / a", "users / 2", 2500 },
  { "users - a - b", "users - 2 - 3", 4995 },
  { "a - b - users", "-1 - users", -5001 },
  { "if(paired, users, partner-users)", "users", 5000 },
  { "if(not paired, users, 0) * a", "0", 0 },
  { "if(users > 1, a, b)", "if(users > 1, 2, 3)", 2 },
  { "max(a, ceil(users / 6660) + b)", "max(2, ceil(users / 6660) + 3)", 4 },
  { "min(12, max(3, ceil(30000 / 6660) + 1))", "6", 6 },
  { "-a * users", "-2 * users", -10000 },
};

static LpSymtab *
make_symtab (double *env)
{
  static const struct {
    const char *name;
    double value;
  } names[] = {
    { "users", 5000 }, { "partner-users", 1000 }, { "paired", 1 }, { "a", 2 }, { "b", 3 },
  };
  LpSymtab *s = lp_symtab_new ();

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    env[lp_symtab_add (s, names[i].name)] = names[i].value;
  return s;
}

static void
test_row (void **state)
{
  const ExprRow *row = *state;
  double env[8] = { 0 };
  g_autoptr (LpSymtab) symtab = make_symtab (env);
  g_autoptr (GError) error = NULL;
  g_autoptr (LpExpr) expr = lp_expr_compile (row->input, symtab, &error);
  g_autofree char *printed = NULL;
  g_autoptr (LpExpr) again = NULL;

  if (row->error != NULL) {
    assert_null (expr);
    assert_non_null (error);
    assert_string_equal (error->message, row->error);
    return;
  }
  assert_null (error);
  printed = lp_expr_to_string (expr, symtab);
  assert_string_equal (printed, row->printed);
  assert_true (same_value (lp_expr_eval (expr, env), row->value));
  /* the printed form compiles to an expression with the same value */
  again = lp_expr_compile (printed, symtab, NULL);
  assert_non_null (again);
  assert_true (same_value (lp_expr_eval (again, env), row->value));
}

static void
known_slots (const LpSymtab *symtab, gboolean *known)
{
  static const char *const names[] = { "paired", "a", "b" };
  guint slot;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++) {
    assert_true (lp_symtab_lookup (symtab, names[i], &slot));
    known[slot] = TRUE;
  }
}

/* Every row of the language table keeps its value when specialized. */
static void
test_specialize_keeps_values (void **state)
{
  double env[8] = { 0 };
  gboolean known[8] = { FALSE };
  g_autoptr (LpSymtab) symtab = make_symtab (env);

  known_slots (symtab, known);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++) {
    g_autoptr (LpExpr) expr = rows[i].error ? NULL : lp_expr_compile (rows[i].input, symtab, NULL);
    g_autoptr (LpExpr) spec = NULL;
    if (expr == NULL)
      continue;
    lp_expr_set_id (expr, i);
    spec = lp_expr_specialize (expr, known, env);
    if (!same_value (lp_expr_eval (spec, env), lp_expr_eval (expr, env)) || lp_expr_id (spec) != i)
      fail_msg ("%s: specialized to a different value or id", rows[i].input);
  }
}

static void
test_specialize (void **state)
{
  double env[8] = { 0 };
  gboolean known[8] = { FALSE };
  g_autoptr (LpSymtab) symtab = make_symtab (env);

  known_slots (symtab, known);
  for (guint i = 0; i < G_N_ELEMENTS (spec_rows); i++) {
    const SpecRow *row = &spec_rows[i];
    g_autoptr (LpExpr) expr = lp_expr_compile (row->input, symtab, NULL);
    g_autoptr (LpExpr) spec = lp_expr_specialize (expr, known, env);
    g_autofree char *printed = lp_expr_to_string (spec, symtab);
    double number = 0;
    guint n = 0;

    if (strcmp (printed, row->specialized) != 0)
      fail_msg ("%s: specialized to '%s', expected '%s'", row->input, printed, row->specialized);
    assert_true (fabs (lp_expr_eval (spec, env) - row->value) < 1e-9);
    /* a number reads nothing and says so; anything else reads users */
    lp_expr_names (spec, &n);
    assert_int_equal (lp_expr_is_number (spec, &number), n == 0);
    if (n == 0)
      assert_true (number == row->value);
  }
}

/* The names an evaluation depends on, in the environment above (paired 1):
 * an if() or and/or reads the branch it takes only. */
typedef struct {
  const char *input;
  const char *live; /* the names read, in reading order, space-separated */
} LiveRow;

static const LiveRow live_rows[] = {
  { "a + b * users", "a b users" },
  { "if(paired, a, b)", "paired a" },
  { "if(not paired, a, users / b)", "paired users b" },
  { "a > b and users > 1", "a b" },
  { "a < b and users > 1", "a b users" },
  { "paired or users", "paired" },
  { "a > b or users", "a b users" },
  { "max(if(a > b, users, 0), partner-users)", "a b partner-users" },
  { "7", "" },
};

static void
live_cb (guint slot, gpointer data)
{
  GPtrArray *out = data;
  g_ptr_array_add (out, GUINT_TO_POINTER (slot));
}

static void
test_live_slots (void **state)
{
  double env[8] = { 0 };
  g_autoptr (LpSymtab) symtab = make_symtab (env);

  for (guint i = 0; i < G_N_ELEMENTS (live_rows); i++) {
    g_autoptr (LpExpr) expr = lp_expr_compile (live_rows[i].input, symtab, NULL);
    g_autoptr (GPtrArray) read = g_ptr_array_new ();
    g_autoptr (GString) names = g_string_new (NULL);
    assert_non_null (expr);
    lp_expr_live_slots (expr, env, live_cb, read);
    for (guint k = 0; k < read->len; k++)
      g_string_append_printf (names, "%s%s", k ? " " : "",
                              lp_symtab_name (symtab, GPOINTER_TO_UINT (read->pdata[k])));
    if (strcmp (names->str, live_rows[i].live) != 0)
      fail_msg ("%s: reads '%s', expected '%s'", live_rows[i].input, names->str, live_rows[i].live);
  }
}

static void
steps_cb (LpStepKind kind, double x, gpointer data)
{
  g_string_append_printf (data, "%s%s %g", ((GString *) data)->len ? ", " : "",
                          kind == LP_STEP_CEIL    ? "ceil"
                          : kind == LP_STEP_FLOOR ? "floor"
                          : kind == LP_STEP_SIGN  ? "sign"
                                                  : "linear",
                          x);
}

/* lp_expr_eval_steps(): the value lp_expr_eval() gives, and the step points
 * in evaluation order, the branch not taken too (users = 5000, a = 2, b = 3). */
static void
test_steps (void **state)
{
  static const struct {
    const char *input, *steps;
  } step_rows[] = {
    { "ceil(users / 2000) + 1", "ceil 2.5" },
    { "floor(users / 2000)", "floor 2.5" },
    { "if(users > 6000, ceil(users / 1000), 0)", "sign -1000, ceil 5, sign 0" },
    { "max(a, b, users / 1000)", "sign -1, sign -3, sign -2" },
    { "a < b and not paired", "sign -1, sign 1, sign 1, sign 0" },
    { "users * 2 - a", "" },
  };
  double env[8] = { 0 };
  g_autoptr (LpSymtab) symtab = make_symtab (env);

  (void) state;
  for (guint i = 0; i < G_N_ELEMENTS (step_rows); i++) {
    g_autoptr (LpExpr) expr = lp_expr_compile (step_rows[i].input, symtab, NULL);
    g_autoptr (GString) seen = g_string_new (NULL);
    double v;
    assert_non_null (expr);
    v = lp_expr_eval_steps (expr, env, steps_cb, seen);
    assert_true (v == lp_expr_eval (expr, env));
    if (strcmp (seen->str, step_rows[i].steps) != 0)
      fail_msg ("%s: steps '%s', expected '%s'", step_rows[i].input, seen->str, step_rows[i].steps);
  }
  assert_true (lp_step_class (LP_STEP_CEIL, 2.0000000001) == 2);
  assert_true (lp_step_class (LP_STEP_CEIL, 2.01) == 3);
  assert_true (lp_step_class (LP_STEP_FLOOR, 2.9999999999) == 3);
  assert_true (lp_step_class (LP_STEP_SIGN, -0.5) == -1 && lp_step_class (LP_STEP_SIGN, 0) == 0);
}

static void
test_names_listed_once (void **state)
{
  double env[8] = { 0 };
  g_autoptr (LpSymtab) symtab = make_symtab (env);
  g_autoptr (LpExpr) expr = lp_expr_compile ("a + b * a + max(b, users)", symtab, NULL);
  guint n = 0;
  const guint *slots = lp_expr_names (expr, &n);

  assert_int_equal (n, 3);
  assert_string_equal (lp_symtab_name (symtab, slots[0]), "a");
  assert_string_equal (lp_symtab_name (symtab, slots[1]), "b");
  assert_string_equal (lp_symtab_name (symtab, slots[2]), "users");
}

/* A long flat sum needs a stack of two and specializes to its value; more
 * than 1024 steps are refused. Nesting counts towards its own limit (64
 * values), refused at compile time, as are 100,000 parentheses around one
 * name (one value, but the parser would recurse 100,000 deep). */
static void
test_depth (void **state)
{
  double env[8] = { 0 };
  gboolean known[8] = { FALSE };
  g_autoptr (LpSymtab) symtab = make_symtab (env);
  g_autoptr (GString) flat = g_string_new ("a");
  g_autoptr (GString) nested = g_string_new (NULL);
  g_autoptr (GString) parens = g_string_new (NULL);
  g_autoptr (LpExpr) sum = NULL;
  g_autoptr (LpExpr) spec = NULL;
  g_autoptr (LpExpr) deep = NULL;
  g_autoptr (LpExpr) longer = NULL;
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < 1000; i++)
    g_string_append (flat, i % 2 ? " + b" : " + 1");
  sum = lp_expr_compile (flat->str, symtab, NULL);
  assert_non_null (sum);
  assert_true (fabs (lp_expr_eval (sum, env) - (2 + 500 * 1 + 500 * 3)) < 1e-9);
  spec = lp_expr_specialize (sum, known, env);
  assert_true (lp_expr_eval (spec, env) == lp_expr_eval (sum, env));
  g_string_append (flat, " + users * b");
  for (guint i = 0; i < 100; i++)
    g_string_append (flat, " + users * b");
  longer = lp_expr_compile (flat->str, symtab, &error);
  assert_null (longer);
  assert_string_equal (error->message, "expression too long (more than 1024 steps)");
  g_clear_error (&error);
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (parens, '(');
  g_string_append (parens, "a");
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (parens, ')');
  deep = lp_expr_compile (parens->str, symtab, &error);
  assert_null (deep);
  assert_string_equal (error->message, "expression nested too deeply");
  g_clear_error (&error);
  for (guint i = 0; i < 70; i++)
    g_string_append (nested, "a + (");
  g_string_append (nested, "b");
  for (guint i = 0; i < 70; i++)
    g_string_append_c (nested, ')');
  deep = lp_expr_compile (nested->str, symtab, &error);
  assert_null (deep);
  assert_string_equal (error->message, "expression nested too deeply");
}

/* A sequence gives each item the value lp_expr_eval() gives it, stored in
 * its slot before the next item reads it; an item of a cache class takes
 * the entry's value while it is current (and evaluates again once the
 * generation moves on); the first item that is not finite stops it, its
 * slot untouched. */
static void
test_seq (void **state)
{
  double env[128] = { 0 }, want[G_N_ELEMENTS (rows)], bad = 0, cache_value[8] = { 0 };
  guint slot[G_N_ELEMENTS (rows)] = { 0 };
  guint64 cache_gen[8] = { 0 };
  g_autoptr (LpSymtab) symtab = make_symtab (env);
  guint x = lp_symtab_add (symtab, "x"), y = lp_symtab_add (symtab, "y");
  g_autoptr (LpExpr) every = NULL;
  LpSeqCache cache = { .value = cache_value, .gen = cache_gen, .now = 1, .stride = 2, .offset = 1 };
  LpSeq *seq = lp_seq_new ();

  /* every row of the language table whose value is finite, each into a
   * slot of its own: the value lp_expr_eval() gives, bit for bit */
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++) {
    g_autoptr (LpExpr) expr = rows[i].error ? NULL : lp_expr_compile (rows[i].input, symtab, NULL);
    g_autofree char *name = g_strdup_printf ("row%u", i);
    if (expr != NULL && isfinite (rows[i].value)) {
      slot[i] = lp_symtab_add (symtab, name);
      assert_true (slot[i] < G_N_ELEMENTS (env));
      want[i] = lp_expr_eval (expr, env);
      lp_seq_add (seq, expr, 0, slot[i], -1);
    }
  }
  assert_int_equal (lp_seq_run (seq, env, NULL, &bad), G_MAXUINT);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    if (slot[i] != 0 && memcmp (&env[slot[i]], &want[i], sizeof (double)) != 0)
      fail_msg ("%s: %g in a sequence, %g alone", rows[i].input, env[slot[i]], want[i]);
  lp_seq_free (seq);

  /* a number, then items that read the slots written before them */
  seq = lp_seq_new ();
  lp_seq_add (seq, NULL, 7, x, -1);
  every = lp_expr_compile ("x * a + users", symtab, NULL);
  lp_seq_add (seq, every, 0, y, 1);
  g_clear_pointer (&every, lp_expr_free);
  every = lp_expr_compile ("y / (x - 7)", symtab, NULL);
  lp_seq_add (seq, every, 0, x, -1);
  assert_int_equal (lp_seq_run (seq, env, &cache, &bad), 2);
  assert_true (env[x] == 7 && env[y] == 7 * 2 + 5000 && isinf (bad));
  assert_true (cache_value[2 * 1 + 1] == 5014 && cache_gen[3] == 1);
  /* the entry is current: y takes it whatever users is now */
  env[lp_symtab_add (symtab, "users")] = 1;
  assert_int_equal (lp_seq_run (seq, env, &cache, &bad), 2);
  assert_true (env[y] == 5014);
  cache.now = 2;
  assert_int_equal (lp_seq_run (seq, env, &cache, &bad), 2);
  assert_true (env[y] == 15 && cache_value[3] == 15);
  lp_seq_free (seq);

  /* a number that is not finite is refused as a program's value is */
  seq = lp_seq_new ();
  lp_seq_add (seq, NULL, NAN, x, -1);
  env[x] = 1;
  assert_int_equal (lp_seq_run (seq, env, NULL, &bad), 0);
  assert_true (env[x] == 1 && isnan (bad));
  lp_seq_free (seq);
}

int
main (void)
{
  LP_TEST_TABLE (tests, rows, test_row);
  LP_TEST_ADD (tests, test_names_listed_once);
  LP_TEST_ADD (tests, test_live_slots);
  LP_TEST_ADD (tests, test_steps);
  LP_TEST_ADD (tests, test_depth);
  LP_TEST_ADD (tests, test_specialize);
  LP_TEST_ADD (tests, test_specialize_keeps_values);
  LP_TEST_ADD (tests, test_seq);
  return LP_TEST_RUN ("expr", tests);
}
