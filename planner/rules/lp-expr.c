/* lp-expr.c: lexer, precedence-climbing compiler, stack evaluator, printer. */
#include "lp-expr.h"

#include <math.h>
#include <string.h>

#include "lp-error.h"
#include "lp-units.h"

/* Deeper expressions are refused at compile time, so evaluation can use a
 * fixed stack. Rule formulas stay far below this. */
#define LP_EXPR_MAX_STACK 64

/* The most arguments a function takes. */
#define LP_EXPR_MAX_ARGS 16

/* Deeper nesting of parentheses, calls and unary operators is refused, so
 * the parser's recursion is bounded; no value stack fits it anyway. */
#define LP_EXPR_MAX_NESTING (2 * LP_EXPR_MAX_STACK)

/* Longer programs are refused: a rule formula has a few dozen steps, and
 * this bounds what printing and specializing one may cost. */
#define LP_EXPR_MAX_OPS 1024

/* ---- symbol table ---- */

struct _LpSymtab {
  GHashTable *slots; /* name -> slot + 1 */
  GPtrArray *names;  /* slot -> name */
};

LpSymtab *
lp_symtab_new (void)
{
  LpSymtab *s = g_new0 (LpSymtab, 1);
  s->slots = g_hash_table_new (g_str_hash, g_str_equal);
  s->names = g_ptr_array_new_with_free_func (g_free);
  return s;
}

void
lp_symtab_free (LpSymtab *symtab)
{
  if (symtab == NULL)
    return;
  g_hash_table_unref (symtab->slots);
  g_ptr_array_unref (symtab->names);
  g_free (symtab);
}

guint
lp_symtab_add (LpSymtab *symtab, const char *name)
{
  guint slot;
  char *copy;

  if (lp_symtab_lookup (symtab, name, &slot))
    return slot;
  copy = g_strdup (name);
  g_ptr_array_add (symtab->names, copy);
  slot = symtab->names->len - 1;
  g_hash_table_insert (symtab->slots, copy, GUINT_TO_POINTER (slot + 1));
  return slot;
}

gboolean
lp_symtab_lookup (const LpSymtab *symtab, const char *name, guint *slot)
{
  gpointer v = g_hash_table_lookup (symtab->slots, name);
  if (v == NULL)
    return FALSE;
  if (slot != NULL)
    *slot = GPOINTER_TO_UINT (v) - 1;
  return TRUE;
}

guint
lp_symtab_size (const LpSymtab *symtab)
{
  return symtab->names->len;
}

const char *
lp_symtab_name (const LpSymtab *symtab, guint slot)
{
  return g_ptr_array_index (symtab->names, slot);
}

/* ---- operators and functions: the tables ---- */

typedef double (*LpUnaryFunc) (double a);
typedef double (*LpBinaryFunc) (double a, double b);
typedef double (*LpCallFunc) (const double *args, guint n);

enum { PREC_OR = 1, PREC_AND, PREC_NOT, PREC_CMP, PREC_ADD, PREC_MUL, PREC_UNARY, PREC_ATOM };

/* one line each reads as the table it is */
/* clang-format off */
static double op_add (double a, double b) { return a + b; }
static double op_sub (double a, double b) { return a - b; }
static double op_mul (double a, double b) { return a * b; }
static double op_div (double a, double b) { return a / b; }
static double op_lt (double a, double b) { return a < b; }
static double op_le (double a, double b) { return a <= b; }
static double op_gt (double a, double b) { return a > b; }
static double op_ge (double a, double b) { return a >= b; }
static double op_eq (double a, double b) { return a == b; }
static double op_ne (double a, double b) { return a != b; }
static double op_and (double a, double b) { return a != 0 && b != 0; }
static double op_or (double a, double b) { return a != 0 || b != 0; }
static double op_neg (double a) { return -a; }
static double op_not (double a) { return a == 0; }
/* clang-format on */

typedef struct {
  const char *text;
  guint prec;
  LpBinaryFunc func;
} LpBinaryOp;

/* Longer spellings first, so "<=" is not read as "<". */
static const LpBinaryOp binary_ops[] = {
  { "or", PREC_OR, op_or },  { "and", PREC_AND, op_and }, { "<=", PREC_CMP, op_le },
  { ">=", PREC_CMP, op_ge }, { "==", PREC_CMP, op_eq },   { "!=", PREC_CMP, op_ne },
  { "<", PREC_CMP, op_lt },  { ">", PREC_CMP, op_gt },    { "+", PREC_ADD, op_add },
  { "-", PREC_ADD, op_sub }, { "*", PREC_MUL, op_mul },   { "/", PREC_MUL, op_div },
};

static double
fn_ceil (const double *a, guint n)
{
  (void) n;
  /* a count computed as 30000 / 6660 * 6660 must not round up past itself */
  return lp_ceil (a[0] - 1e-9);
}

static double
fn_floor (const double *a, guint n)
{
  (void) n;
  return lp_floor (a[0] + 1e-9);
}

/* min() and max() of a NaN (0 / 0) are NaN, so the engine's checks see it
 * instead of the other arguments absorbing it. */
static double
fn_min (const double *a, guint n)
{
  double m = a[0];
  for (guint i = 1; i < n; i++)
    m = a[i] < m || isnan (a[i]) ? a[i] : m;
  return isnan (a[0]) ? a[0] : m;
}

static double
fn_max (const double *a, guint n)
{
  double m = a[0];
  for (guint i = 1; i < n; i++)
    m = a[i] > m || isnan (a[i]) ? a[i] : m;
  return isnan (a[0]) ? a[0] : m;
}

static double
fn_if (const double *a, guint n)
{
  (void) n;
  return a[0] != 0 ? a[1] : a[2];
}

typedef struct {
  const char *name;
  guint min_args, max_args;
  LpCallFunc func;
} LpFunction;

static const LpFunction functions[] = {
  { "ceil", 1, 1, fn_ceil },
  { "floor", 1, 1, fn_floor },
  { "min", 2, LP_EXPR_MAX_ARGS, fn_min },
  { "max", 2, LP_EXPR_MAX_ARGS, fn_max },
  { "if", 3, 3, fn_if },
};

/* ---- the compiled program ---- */

/* A binary operator whose right operand is a number or a name takes it
 * from the op itself (OP_BINARY_CONST, OP_BINARY_LOAD): most operators in
 * rule files have one, and the evaluator then does one step instead of two. */
typedef enum {
  OP_CONST,
  OP_LOAD,
  OP_UNARY,
  OP_BINARY,
  OP_BINARY_CONST,
  OP_BINARY_LOAD,
  OP_CALL
} LpOpKind;

/* What lp_expr_eval() does for an op, one case each (set_codes()): the
 * operators and functions inline, where a call through the op's function
 * pointer cost about as much as the arithmetic around it. A binary
 * operator's codes are CODE_BINARY (both operands on the stack),
 * CODE_BINARY_CONST and CODE_BINARY_LOAD, each plus its binary_ops index. */
enum {
  CODE_CONST,
  CODE_LOAD,
  CODE_NEG,
  CODE_NOT,
  CODE_CEIL,
  CODE_FLOOR,
  CODE_MIN,
  CODE_MAX,
  CODE_IF,
  CODE_BINARY,
  CODE_BINARY_CONST = CODE_BINARY + G_N_ELEMENTS (binary_ops),
  CODE_BINARY_LOAD = CODE_BINARY_CONST + G_N_ELEMENTS (binary_ops)
};

typedef struct {
  LpOpKind kind;
  guint arg;    /* slot, argument count, or index into binary_ops/functions */
  guint slot;   /* OP_BINARY_LOAD: the right operand's slot */
  guint code;   /* lp_expr_eval()'s case (set_codes()) */
  double value; /* OP_CONST, OP_BINARY_CONST: the number */
  union {
    LpUnaryFunc unary;
    LpBinaryFunc binary;
    LpCallFunc call;
  } f;
} LpOp;

struct _LpExpr {
  LpExprHead head; /* first, for lp_expr_id() */
  GArray *ops;     /* of LpOp, in evaluation order */
  GArray *names;   /* of guint: distinct slots read */
};

void
lp_expr_set_id (LpExpr *expr, guint id)
{
  expr->head.id = id;
}

void
lp_expr_free (LpExpr *expr)
{
  if (expr == NULL)
    return;
  g_array_unref (expr->ops);
  g_array_unref (expr->names);
  g_free (expr);
}

static inline double binary_inline (guint i, double a, double b);

/* Each op's lp_expr_eval() case, from its kind and function. */
static void
set_codes (GArray *ops)
{
  static gsize checked = 0;

  if (g_once_init_enter (&checked)) { /* binary_inline() follows binary_ops' order */
    static const double x[] = { -2, 0, 1, 3 };
    for (guint i = 0; i < G_N_ELEMENTS (binary_ops); i++)
      for (guint a = 0; a < G_N_ELEMENTS (x); a++)
        for (guint b = 0; b < G_N_ELEMENTS (x); b++)
          g_assert (binary_inline (i, x[a], x[b]) == binary_ops[i].func (x[a], x[b]) ||
                    (isnan (binary_inline (i, x[a], x[b])) &&
                     isnan (binary_ops[i].func (x[a], x[b])))); /* 0 / 0 */
    g_once_init_leave (&checked, 1);
  }
  for (guint i = 0; i < ops->len; i++) {
    LpOp *op = &g_array_index (ops, LpOp, i);
    switch (op->kind) {
    case OP_CONST: op->code = CODE_CONST; break;
    case OP_LOAD: op->code = CODE_LOAD; break;
    case OP_UNARY: op->code = op->f.unary == op_not ? CODE_NOT : CODE_NEG; break;
    case OP_BINARY: op->code = CODE_BINARY + op->arg; break;
    case OP_BINARY_CONST: op->code = CODE_BINARY_CONST + op->arg; break;
    case OP_BINARY_LOAD: op->code = CODE_BINARY_LOAD + op->arg; break;
    case OP_CALL:
    default:
      op->code = op->f.call == fn_ceil    ? CODE_CEIL
                 : op->f.call == fn_floor ? CODE_FLOOR
                 : op->f.call == fn_min   ? CODE_MIN
                 : op->f.call == fn_max   ? CODE_MAX
                                          : CODE_IF;
      break;
    }
    /* binary_ops' order, which the codes follow */
    g_assert (
      (op->kind != OP_BINARY && op->kind != OP_BINARY_CONST && op->kind != OP_BINARY_LOAD) ||
      (op->arg < G_N_ELEMENTS (binary_ops) && binary_ops[op->arg].func == op->f.binary));
  }
}

/* binary_ops[@i]'s function, inline: the same arithmetic, so the same bits. */
static inline double
binary_inline (guint i, double a, double b)
{
  switch (i) {
  case 0: return op_or (a, b);
  case 1: return op_and (a, b);
  case 2: return op_le (a, b);
  case 3: return op_ge (a, b);
  case 4: return op_eq (a, b);
  case 5: return op_ne (a, b);
  case 6: return op_lt (a, b);
  case 7: return op_gt (a, b);
  case 8: return op_add (a, b);
  case 9: return op_sub (a, b);
  case 10: return op_mul (a, b);
  case 11:
  default: return op_div (a, b);
  }
}

G_STATIC_ASSERT (G_N_ELEMENTS (binary_ops) == 12);

/* One binary operator's three ops, each a label of its case (the
 * evaluators dispatch through a table of labels: see EVAL_LABELS). */
#define BINARY_LABELS(i)                                                                           \
  l_binary_##i : sp[-2] = binary_inline ((i), sp[-2], sp[-1]);                                     \
  sp--;                                                                                            \
  NEXT;                                                                                            \
  l_binary_const_##i : sp[-1] = binary_inline ((i), sp[-1], op->value);                            \
  NEXT;                                                                                            \
  l_binary_load_##i : sp[-1] = binary_inline ((i), sp[-1], slots[op->slot]);                       \
  NEXT

#define BINARY_TABLE(p)                                                                            \
  &&l_##p##0, &&l_##p##1, &&l_##p##2, &&l_##p##3, &&l_##p##4, &&l_##p##5, &&l_##p##6, &&l_##p##7,  \
    &&l_##p##8, &&l_##p##9, &&l_##p##10, &&l_##p##11

/* The labels of EVAL_LABELS in code order: entry c is the case of code c. */
#define EVAL_TABLE                                                                                 \
  &&l_const, &&l_load, &&l_neg, &&l_not, &&l_ceil, &&l_floor, &&l_min, &&l_max, &&l_if,            \
    BINARY_TABLE (binary_), BINARY_TABLE (binary_const_), BINARY_TABLE (binary_load_)

/* The case of every op a program holds (lp_expr_eval() and lp_seq_run()
 * run the same ones), each a label ending in NEXT, which goes to the next
 * op's label through the function's table (GCC's labels as values: a jump
 * an op instead of a loop, a bounds check and a switch): @op, @sp and
 * @slots in scope. */
#define EVAL_LABELS                                                                                \
  l_const:                                                                                         \
  *sp++ = op->value;                                                                               \
  NEXT;                                                                                            \
  l_load:                                                                                          \
  *sp++ = slots[op->arg];                                                                          \
  NEXT;                                                                                            \
  l_neg:                                                                                           \
  sp[-1] = op_neg (sp[-1]);                                                                        \
  NEXT;                                                                                            \
  l_not:                                                                                           \
  sp[-1] = op_not (sp[-1]);                                                                        \
  NEXT;                                                                                            \
  l_ceil:                                                                                          \
  sp[-1] = fn_ceil (sp - 1, 1);                                                                    \
  NEXT;                                                                                            \
  l_floor:                                                                                         \
  sp[-1] = fn_floor (sp - 1, 1);                                                                   \
  NEXT;                                                                                            \
  l_min:                                                                                           \
  sp -= op->arg;                                                                                   \
  sp[0] = fn_min (sp, op->arg);                                                                    \
  sp++;                                                                                            \
  NEXT;                                                                                            \
  l_max:                                                                                           \
  sp -= op->arg;                                                                                   \
  sp[0] = fn_max (sp, op->arg);                                                                    \
  sp++;                                                                                            \
  NEXT;                                                                                            \
  l_if:                                                                                            \
  sp -= 2;                                                                                         \
  sp[-1] = sp[-1] != 0 ? sp[0] : sp[1];                                                            \
  NEXT;                                                                                            \
  BINARY_LABELS (0);                                                                               \
  BINARY_LABELS (1);                                                                               \
  BINARY_LABELS (2);                                                                               \
  BINARY_LABELS (3);                                                                               \
  BINARY_LABELS (4);                                                                               \
  BINARY_LABELS (5);                                                                               \
  BINARY_LABELS (6);                                                                               \
  BINARY_LABELS (7);                                                                               \
  BINARY_LABELS (8);                                                                               \
  BINARY_LABELS (9);                                                                               \
  BINARY_LABELS (10);                                                                              \
  BINARY_LABELS (11)

double
lp_expr_eval (const LpExpr *expr, const double *slots)
{
  static const void *const labels[] = { EVAL_TABLE };
  double stack[LP_EXPR_MAX_STACK];
  double *sp = stack;
  const LpOp *op = (const LpOp *) (gpointer) expr->ops->data;
  const LpOp *end = op + expr->ops->len;

  G_STATIC_ASSERT (G_N_ELEMENTS (labels) == CODE_BINARY_LOAD + G_N_ELEMENTS (binary_ops));
#define NEXT                                                                                       \
  do {                                                                                             \
    if (G_LIKELY (++op < end))                                                                     \
      goto *labels[op->code];                                                                      \
    goto done;                                                                                     \
  } while (0)
  if (op < end)
    goto *labels[op->code];
  goto done;
  EVAL_LABELS;
#undef NEXT
done:
  return stack[0];
}

/* ---- sequences: several programs run in one loop ---- */

/* lp_seq_run()'s own codes, after the programs' (set_codes() never gives
 * them): STORE stores the value computed into slot arg (checked finite:
 * slot is the item's index), STORE_CONST the number value likewise; CACHED
 * pushes cache entry arg's value when it is current and skips slot ops
 * (the item's program and its CACHE_PUT), CACHE_PUT keeps the value
 * computed as entry arg; END ends the sequence (so an op needs no bounds
 * test). */
enum {
  CODE_STORE = CODE_BINARY_LOAD + G_N_ELEMENTS (binary_ops),
  CODE_STORE_CONST,
  CODE_CACHED,
  CODE_CACHE_PUT,
  CODE_END /* the last op of every sequence: lp_seq_run() returns */
};

struct _LpSeq {
  GArray *ops; /* of LpOp */
  guint n_items;
};

LpSeq *
lp_seq_new (void)
{
  LpSeq *seq = g_new0 (LpSeq, 1);

  seq->ops = g_array_new (FALSE, FALSE, sizeof (LpOp));
  g_array_append_val (seq->ops, ((LpOp){ .code = CODE_END }));
  return seq;
}

void
lp_seq_free (LpSeq *seq)
{
  if (seq == NULL)
    return;
  g_array_unref (seq->ops);
  g_free (seq);
}

void
lp_seq_add (LpSeq *seq, const LpExpr *program, double value, guint slot, gint cache)
{
  LpOp store = { .code = CODE_STORE, .arg = slot, .slot = seq->n_items++ };
  LpOp last = { .code = CODE_END };

  g_array_set_size (seq->ops, seq->ops->len - 1); /* the END op, appended again below */
  if (program == NULL) {
    store.code = CODE_STORE_CONST;
    store.value = value;
    g_array_append_val (seq->ops, store);
    g_array_append_val (seq->ops, last);
    return;
  }
  if (cache >= 0) {
    LpOp cached = { .code = CODE_CACHED, .arg = (guint) cache, .slot = program->ops->len + 1 };
    g_array_append_val (seq->ops, cached);
  }
  g_array_append_vals (seq->ops, program->ops->data, program->ops->len);
  if (cache >= 0) {
    LpOp put = { .code = CODE_CACHE_PUT, .arg = (guint) cache };
    g_array_append_val (seq->ops, put);
  }
  g_array_append_val (seq->ops, store);
  g_array_append_val (seq->ops, last);
}

guint
lp_seq_run (const LpSeq *seq, double *slots, const LpSeqCache *cache, double *bad)
{
  static const void *const labels[] = { EVAL_TABLE, &&l_store,     &&l_store_const,
                                        &&l_cached, &&l_cache_put, &&l_end };
  double stack[LP_EXPR_MAX_STACK];
  double *sp = stack;
  const LpOp *op = (const LpOp *) (gpointer) seq->ops->data;
  guint k;

  G_STATIC_ASSERT (G_N_ELEMENTS (labels) == CODE_END + 1);
#define NEXT goto *labels[(++op)->code]
  goto *labels[op->code];
  EVAL_LABELS;
l_store:
  sp = stack;
  if (G_UNLIKELY (!isfinite (stack[0]))) {
    *bad = stack[0];
    return op->slot;
  }
  slots[op->arg] = stack[0];
  NEXT;
l_store_const:
  if (G_UNLIKELY (!isfinite (op->value))) {
    *bad = op->value;
    return op->slot;
  }
  slots[op->arg] = op->value;
  NEXT;
l_cached:
  k = cache->stride * op->arg + cache->offset;
  if (cache->gen[k] == cache->now) {
    *sp++ = cache->value[k];
    op += op->slot;
  }
  NEXT;
l_cache_put:
  k = cache->stride * op->arg + cache->offset;
  cache->value[k] = sp[-1];
  cache->gen[k] = cache->now;
  NEXT;
#undef NEXT
l_end:
  return G_MAXUINT;
}

/* The step points of one operation on @args (its operands): see
 * lp_expr_eval_steps(). */
static void
op_steps (const LpOp *op, const double *args, guint n, LpStepFunc fn, gpointer data)
{
  if (op->kind == OP_CALL) {
    LpCallFunc f = op->f.call;
    if (f == fn_ceil || f == fn_floor) {
      fn (f == fn_ceil ? LP_STEP_CEIL : LP_STEP_FLOOR, args[0], data);
    } else if (f == fn_if) {
      fn (LP_STEP_SIGN, args[0], data);
    } else { /* min, max: which argument wins */
      for (guint i = 0; i < n; i++)
        for (guint j = i + 1; j < n; j++)
          fn (LP_STEP_SIGN, args[i] - args[j], data);
    }
    return;
  }
  if (op->kind == OP_UNARY) {
    if (op->f.unary == op_not)
      fn (LP_STEP_SIGN, args[0], data);
    return;
  }
  /* binary: comparisons turn on the difference, and/or on each operand */
  if (op->f.binary == op_and || op->f.binary == op_or) {
    fn (LP_STEP_SIGN, args[0], data);
    fn (LP_STEP_SIGN, args[1], data);
  } else if (op->f.binary != op_add && op->f.binary != op_sub && op->f.binary != op_mul &&
             op->f.binary != op_div) {
    fn (LP_STEP_SIGN, args[0] - args[1], data);
  }
}

double
lp_expr_eval_steps (const LpExpr *expr, const double *slots, LpStepFunc fn, gpointer data)
{
  double stack[LP_EXPR_MAX_STACK];
  double *sp = stack;
  const LpOp *op = (const LpOp *) (gpointer) expr->ops->data;
  const LpOp *end = op + expr->ops->len;
  double pair[2];

  for (; op < end; op++) {
    switch (op->kind) {
    case OP_CONST: *sp++ = op->value; break;
    case OP_LOAD: *sp++ = slots[op->arg]; break;
    case OP_UNARY:
      op_steps (op, sp - 1, 1, fn, data);
      sp[-1] = op->f.unary (sp[-1]);
      break;
    case OP_BINARY:
      op_steps (op, sp - 2, 2, fn, data);
      sp[-2] = op->f.binary (sp[-2], sp[-1]);
      sp--;
      break;
    case OP_BINARY_CONST:
    case OP_BINARY_LOAD:
      pair[0] = sp[-1];
      pair[1] = op->kind == OP_BINARY_CONST ? op->value : slots[op->slot];
      op_steps (op, pair, 2, fn, data);
      sp[-1] = op->f.binary (pair[0], pair[1]);
      break;
    case OP_CALL:
      sp -= op->arg;
      op_steps (op, sp, op->arg, fn, data);
      sp[0] = op->f.call (sp, op->arg);
      sp++;
      break;
    }
  }
  return stack[0];
}

const guint *
lp_expr_names (const LpExpr *expr, guint *n_names)
{
  *n_names = expr->names->len;
  return (const guint *) (gpointer) expr->names->data;
}

/* ---- lexer ---- */

typedef enum {
  T_END,
  T_NUM,
  T_HEX,
  T_NAME,
  T_BINARY,
  T_NOT,
  T_LPAREN,
  T_RPAREN,
  T_COMMA,
  T_BAD
} LpTokKind;

typedef struct {
  LpTokKind kind;
  const char *start;
  gsize len;
  guint index; /* binary_ops index for T_BINARY */
  double value;
} LpToken;

typedef struct {
  const char *text;
  const char *p; /* after the current token */
  LpToken tok;   /* the current, not yet consumed token */
  const LpSymtab *symtab;
  LpExpr *expr;
  gint depth, max_depth;
  guint nesting; /* parse_unary calls under way: parentheses, calls, not and - */
} LpParser;

static gsize
name_length (const char *s)
{
  gsize n = 0;

  while (g_ascii_isalnum (s[n]) || s[n] == '_' ||
         (s[n] == '-' && n > 0 && g_ascii_isalpha (s[n + 1])))
    n++;
  return n;
}

static void
lex_word (LpToken *t)
{
  t->len = name_length (t->start);
  t->kind = T_NAME;
  if ((t->len == 4 && strncmp (t->start, "true", 4) == 0) ||
      (t->len == 5 && strncmp (t->start, "false", 5) == 0)) {
    t->kind = T_NUM;
    t->value = t->len == 4;
    return;
  }
  if (t->len == 3 && strncmp (t->start, "not", 3) == 0) {
    t->kind = T_NOT;
    return;
  }
  for (guint i = 0; i < G_N_ELEMENTS (binary_ops); i++) {
    if (g_ascii_isalpha (binary_ops[i].text[0]) && strlen (binary_ops[i].text) == t->len &&
        strncmp (t->start, binary_ops[i].text, t->len) == 0) {
      t->kind = T_BINARY;
      t->index = i;
    }
  }
}

static gboolean
lex_symbol (LpToken *t)
{
  static const struct {
    char c;
    LpTokKind kind;
  } punct[] = {
    { '(', T_LPAREN },
    { ')', T_RPAREN },
    { ',', T_COMMA },
  };

  for (guint i = 0; i < G_N_ELEMENTS (punct); i++) {
    if (*t->start == punct[i].c) {
      t->kind = punct[i].kind;
      t->len = 1;
      return TRUE;
    }
  }
  for (guint i = 0; i < G_N_ELEMENTS (binary_ops); i++) {
    gsize len = strlen (binary_ops[i].text);
    if (!g_ascii_isalpha (binary_ops[i].text[0]) &&
        strncmp (t->start, binary_ops[i].text, len) == 0) {
      t->kind = T_BINARY;
      t->index = i;
      t->len = len;
      return TRUE;
    }
  }
  return FALSE;
}

static void
lex_next (LpParser *ps)
{
  LpToken *t = &ps->tok;
  char *end = NULL;

  while (g_ascii_isspace (*ps->p))
    ps->p++;
  memset (t, 0, sizeof *t);
  t->start = ps->p;
  if (*ps->p == '\0') {
    t->kind = T_END;
  } else if (ps->p[0] == '0' && (ps->p[1] == 'x' || ps->p[1] == 'X')) {
    /* strtod reads hexadecimal; a rule's figures are decimal */
    t->kind = T_HEX;
    t->len = 2 + name_length (ps->p + 2);
  } else if (g_ascii_isdigit (*ps->p) || *ps->p == '.') {
    t->value = g_ascii_strtod (ps->p, &end);
    t->kind = end == ps->p || g_ascii_isalpha (*end) ? T_BAD : T_NUM;
    t->len = end == ps->p ? 1 : (gsize) (end - ps->p);
  } else if (g_ascii_isalpha (*ps->p)) {
    lex_word (t);
  } else if (!lex_symbol (t)) {
    t->kind = T_BAD;
    t->len = 1;
  }
  if (t->kind == T_BAD && t->len == 1 && (guchar) *ps->p >= 0x80)
    t->len = (gsize) (g_utf8_next_char (ps->p) - ps->p);
  ps->p += t->len;
}

static gboolean
parse_fail (LpParser *ps, GError **error, const char *what)
{
  g_autofree char *got = NULL;

  if (ps->tok.kind == T_END)
    got = g_strdup ("the end of the expression");
  else
    got = g_strdup_printf ("'%.*s'", (int) ps->tok.len, ps->tok.start);
  g_set_error (error, LP_ERROR, LP_ERROR_RULES, "column %d: expected %s, got %s",
               (int) (ps->tok.start - ps->text) + 1, what, got);
  return FALSE;
}

/* ---- compiler ---- */

/* Lists @slot among the names an expression reads, once. */
static void
add_name (GArray *names, guint slot)
{
  for (guint i = 0; i < names->len; i++) {
    if (g_array_index (names, guint, i) == slot)
      return;
  }
  g_array_append_val (names, slot);
}

static gboolean
emit (LpParser *ps, LpOp op, gint stack_change, GError **error)
{
  g_array_append_val (ps->expr->ops, op);
  ps->depth += stack_change;
  ps->max_depth = MAX (ps->max_depth, ps->depth);
  if (ps->max_depth > LP_EXPR_MAX_STACK) {
    g_set_error (error, LP_ERROR, LP_ERROR_RULES, "expression nested too deeply");
    return FALSE;
  }
  if (ps->expr->ops->len > LP_EXPR_MAX_OPS) {
    g_set_error (error, LP_ERROR, LP_ERROR_RULES, "expression too long (more than %u steps)",
                 LP_EXPR_MAX_OPS);
    return FALSE;
  }
  return TRUE;
}

static gboolean parse_binary (LpParser *ps, guint min_prec, GError **error);

static gboolean
parse_call (LpParser *ps, const char *name, const char *at, GError **error)
{
  const LpFunction *fn = NULL;
  const char *names[G_N_ELEMENTS (functions) + 1] = { NULL };
  guint n = 0;
  LpOp op = { .kind = OP_CALL };

  for (guint i = 0; i < G_N_ELEMENTS (functions); i++) {
    names[i] = functions[i].name;
    if (strcmp (functions[i].name, name) == 0)
      fn = &functions[i];
  }
  if (fn == NULL) {
    g_autofree char *hint = lp_error_did_you_mean (name, names);
    g_set_error (error, LP_ERROR, LP_ERROR_RULES, "column %d: unknown function '%s'%s",
                 (int) (at - ps->text) + 1, name, hint);
    return FALSE;
  }
  lex_next (ps); /* the '(' */
  do {
    if (n > 0)
      lex_next (ps); /* the ',' */
    if (!parse_binary (ps, PREC_OR, error))
      return FALSE;
    n++;
  } while (ps->tok.kind == T_COMMA);
  if (ps->tok.kind != T_RPAREN)
    return parse_fail (ps, error, "',' or ')'");
  lex_next (ps);
  if (n < fn->min_args || n > fn->max_args) {
    g_set_error (error, LP_ERROR, LP_ERROR_RULES, "column %d: %s takes %u argument%s%s, got %u",
                 (int) (at - ps->text) + 1, fn->name, fn->min_args, fn->min_args == 1 ? "" : "s",
                 fn->max_args > fn->min_args ? " or more" : "", n);
    return FALSE;
  }
  op.arg = n;
  op.value = (double) (fn - functions);
  op.f.call = fn->func;
  return emit (ps, op, 1 - (gint) n, error);
}

static gboolean
parse_name (LpParser *ps, GError **error)
{
  g_autofree char *name = g_strndup (ps->tok.start, ps->tok.len);
  const char *at = ps->tok.start;
  LpOp op = { .kind = OP_LOAD };

  lex_next (ps);
  if (ps->tok.kind == T_LPAREN)
    return parse_call (ps, name, at, error);
  if (!lp_symtab_lookup (ps->symtab, name, &op.arg)) {
    g_autoptr (GPtrArray) all = g_ptr_array_new ();
    g_autofree char *hint = NULL;

    for (guint i = 0; i < ps->symtab->names->len; i++)
      g_ptr_array_add (all, g_ptr_array_index (ps->symtab->names, i));
    g_ptr_array_add (all, NULL);
    hint = lp_error_did_you_mean (name, (const char *const *) all->pdata);
    g_set_error (error, LP_ERROR, LP_ERROR_RULES, "column %d: unknown name '%s'%s",
                 (int) (at - ps->text) + 1, name, hint);
    return FALSE;
  }
  add_name (ps->expr->names, op.arg);
  return emit (ps, op, 1, error);
}

static gboolean
parse_primary (LpParser *ps, GError **error)
{
  LpOp op = { .kind = OP_CONST };

  switch (ps->tok.kind) {
  case T_HEX:
    g_set_error (error, LP_ERROR, LP_ERROR_RULES,
                 "column %d: hexadecimal number '%.*s': formulas take decimal numbers",
                 (int) (ps->tok.start - ps->text) + 1, (int) ps->tok.len, ps->tok.start);
    return FALSE;
  case T_NUM:
    if (!isfinite (ps->tok.value)) {
      g_set_error (error, LP_ERROR, LP_ERROR_RULES,
                   "column %d: number too large: '%.*s' (a double holds about 1.8e308)",
                   (int) (ps->tok.start - ps->text) + 1, (int) ps->tok.len, ps->tok.start);
      return FALSE;
    }
    op.value = ps->tok.value;
    lex_next (ps);
    return emit (ps, op, 1, error);
  case T_NAME: return parse_name (ps, error);
  case T_LPAREN:
    lex_next (ps);
    if (!parse_binary (ps, PREC_OR, error))
      return FALSE;
    if (ps->tok.kind != T_RPAREN)
      return parse_fail (ps, error, "')'");
    lex_next (ps);
    return TRUE;
  default: return parse_fail (ps, error, "a number, a name, a function call or '('");
  }
}

static gboolean parse_unary_nested (LpParser *ps, GError **error);

/* Every way into a nested operand passes here, so counting the calls under
 * way bounds the parser's recursion (a rule file may nest 100,000 deep). */
static gboolean
parse_unary (LpParser *ps, GError **error)
{
  gboolean ok;

  if (ps->nesting >= LP_EXPR_MAX_NESTING) {
    g_set_error (error, LP_ERROR, LP_ERROR_RULES, "expression nested too deeply");
    return FALSE;
  }
  ps->nesting++;
  ok = parse_unary_nested (ps, error);
  ps->nesting--;
  return ok;
}

static gboolean
parse_unary_nested (LpParser *ps, GError **error)
{
  LpOp op = { .kind = OP_UNARY };

  if (ps->tok.kind == T_NOT) {
    lex_next (ps);
    if (!parse_binary (ps, PREC_CMP, error))
      return FALSE;
    op.f.unary = op_not;
    op.arg = PREC_NOT;
    return emit (ps, op, 0, error);
  }
  if (ps->tok.kind == T_BINARY && binary_ops[ps->tok.index].func == op_sub) {
    lex_next (ps);
    if (!parse_unary (ps, error))
      return FALSE;
    op.f.unary = op_neg;
    op.arg = PREC_UNARY;
    return emit (ps, op, 0, error);
  }
  return parse_primary (ps, error);
}

/* When the right operand just compiled is a lone number or name (the last
 * op, which then is the whole operand), folds it into @op in its place. */
static gboolean
fuse_right_operand (GArray *ops, const LpOp *op)
{
  LpOp *last = &g_array_index (ops, LpOp, ops->len - 1);

  if (last->kind == OP_CONST) {
    *last = (LpOp){ .kind = OP_BINARY_CONST, .arg = op->arg, .value = last->value, .f = op->f };
    return TRUE;
  }
  if (last->kind == OP_LOAD) {
    *last = (LpOp){ .kind = OP_BINARY_LOAD, .arg = op->arg, .slot = last->arg, .f = op->f };
    return TRUE;
  }
  return FALSE;
}

static gboolean
parse_binary (LpParser *ps, guint min_prec, GError **error)
{
  if (!parse_unary (ps, error))
    return FALSE;
  while (ps->tok.kind == T_BINARY && binary_ops[ps->tok.index].prec >= min_prec) {
    guint index = ps->tok.index;
    guint prec = binary_ops[index].prec;
    LpOp op = { .kind = OP_BINARY, .arg = index, .f.binary = binary_ops[index].func };

    lex_next (ps);
    if (!parse_binary (ps, prec + 1, error))
      return FALSE;
    if (fuse_right_operand (ps->expr->ops, &op))
      ps->depth--;
    else if (!emit (ps, op, -1, error))
      return FALSE;
    if (prec == PREC_CMP && ps->tok.kind == T_BINARY && binary_ops[ps->tok.index].prec == PREC_CMP)
      return parse_fail (ps, error, "'and' or 'or' between comparisons (they do not chain)");
  }
  return TRUE;
}

LpExpr *
lp_expr_compile (const char *text, const LpSymtab *symtab, GError **error)
{
  g_autoptr (LpExpr) expr = g_new0 (LpExpr, 1);
  LpParser ps = { .text = text, .p = text, .symtab = symtab };

  expr->ops = g_array_new (FALSE, FALSE, sizeof (LpOp));
  expr->names = g_array_new (FALSE, FALSE, sizeof (guint));
  ps.expr = expr;
  lex_next (&ps);
  if (ps.tok.kind == T_END) {
    g_set_error (error, LP_ERROR, LP_ERROR_RULES, "empty expression");
    return NULL;
  }
  if (!parse_binary (&ps, PREC_OR, error))
    return NULL;
  if (ps.tok.kind != T_END) {
    parse_fail (&ps, error, "an operator or the end of the expression");
    return NULL;
  }
  set_codes (expr->ops);
  return g_steal_pointer (&expr);
}

/* ---- specializing: what is known beforehand is computed once ---- */

/* The program as a tree, fused operands taken apart. */
typedef struct {
  LpOp op; /* OP_CONST, OP_LOAD, OP_UNARY, OP_BINARY or OP_CALL */
  guint n_kids;
  guint kids[LP_EXPR_MAX_ARGS];
} LpNode;

static guint
add_node (GArray *nodes, const LpNode *n)
{
  g_array_append_val (nodes, *n);
  return nodes->len - 1;
}

/* Returns: the root's index in @nodes. */
static guint
build_tree (const LpExpr *expr, GArray *nodes)
{
  guint stack[LP_EXPR_MAX_STACK], sp = 0;

  for (guint i = 0; i < expr->ops->len; i++) {
    const LpOp *op = &g_array_index (expr->ops, LpOp, i);
    LpNode n = { .op = *op };
    LpNode right = { 0 };

    switch (op->kind) {
    case OP_CONST:
    case OP_LOAD: break;
    case OP_UNARY:
      n.n_kids = 1;
      n.kids[0] = stack[--sp];
      break;
    case OP_BINARY:
      n.n_kids = 2;
      n.kids[1] = stack[--sp];
      n.kids[0] = stack[--sp];
      break;
    case OP_BINARY_CONST:
    case OP_BINARY_LOAD:
      right.op = op->kind == OP_BINARY_CONST ? (LpOp){ .kind = OP_CONST, .value = op->value }
                                             : (LpOp){ .kind = OP_LOAD, .arg = op->slot };
      n.op.kind = OP_BINARY;
      n.n_kids = 2;
      n.kids[0] = stack[--sp];
      n.kids[1] = add_node (nodes, &right);
      break;
    case OP_CALL:
      n.n_kids = op->arg;
      sp -= op->arg;
      memcpy (n.kids, &stack[sp], op->arg * sizeof (guint));
      break;
    }
    stack[sp++] = add_node (nodes, &n);
  }
  return stack[0];
}

static gboolean
is_number (const GArray *nodes, guint i)
{
  return g_array_index (nodes, LpNode, i).op.kind == OP_CONST;
}

/* Folds node @n, whose children are folded: a known name becomes its
 * value, an operation on numbers alone its result (computed by the same
 * function as at run time), an if() with a number for condition the branch
 * it takes. */
static void
fold_node (GArray *nodes, LpNode *n, const gboolean *known, const double *values)
{
  double args[LP_EXPR_MAX_ARGS];

  if (n->op.kind == OP_LOAD && known[n->op.arg])
    n->op = (LpOp){ .kind = OP_CONST, .value = values[n->op.arg] };
  if (n->op.kind == OP_CONST || n->op.kind == OP_LOAD)
    return;
  if (n->op.kind == OP_CALL && n->op.f.call == fn_if && is_number (nodes, n->kids[0])) {
    guint taken = g_array_index (nodes, LpNode, n->kids[0]).op.value != 0 ? n->kids[1] : n->kids[2];
    *n = g_array_index (nodes, LpNode, taken);
    return;
  }
  for (guint k = 0; k < n->n_kids; k++) {
    if (!is_number (nodes, n->kids[k]))
      return;
    args[k] = g_array_index (nodes, LpNode, n->kids[k]).op.value;
  }
  switch (n->op.kind) {
  case OP_UNARY: n->op.value = n->op.f.unary (args[0]); break;
  case OP_BINARY: n->op.value = n->op.f.binary (args[0], args[1]); break;
  default: n->op.value = n->op.f.call (args, n->n_kids); break;
  }
  n->op.kind = OP_CONST;
  n->n_kids = 0;
}

static void
emit_op (LpExpr *out, LpOp op)
{
  if (op.kind == OP_LOAD)
    add_name (out->names, op.arg);
  if (op.kind != OP_BINARY || !fuse_right_operand (out->ops, &op))
    g_array_append_val (out->ops, op);
}

/* Writes the program of the tree under @i, children first (a tree is at
 * most LP_EXPR_MAX_OPS deep). */
static void
emit_tree (const GArray *nodes, guint i, LpExpr *out)
{
  const LpNode *n = &g_array_index (nodes, LpNode, i);

  for (guint k = 0; k < n->n_kids; k++)
    emit_tree (nodes, n->kids[k], out);
  emit_op (out, n->op);
}

LpExpr *
lp_expr_specialize (const LpExpr *expr, const gboolean *known, const double *values)
{
  g_autoptr (GArray) nodes = g_array_new (FALSE, TRUE, sizeof (LpNode));
  LpExpr *out = g_new0 (LpExpr, 1);
  guint root = build_tree (expr, nodes);

  /* children come before their parent in @nodes: one pass folds them all
   * (branches an if() drops are folded too, for nothing) */
  for (guint i = 0; i < nodes->len; i++)
    fold_node (nodes, &g_array_index (nodes, LpNode, i), known, values);
  out->head = expr->head;
  out->ops = g_array_new (FALSE, FALSE, sizeof (LpOp));
  out->names = g_array_new (FALSE, FALSE, sizeof (guint));
  emit_tree (nodes, root, out);
  set_codes (out->ops);
  return out;
}

/* Reports the names under node @i on the branches taken (values[] holds
 * every node's value); a tree is at most LP_EXPR_MAX_OPS deep. */
static void
live_walk (const GArray *nodes, const double *values, guint i, LpSlotFunc fn, gpointer data)
{
  const LpNode *n = &g_array_index (nodes, LpNode, i);

  if (n->op.kind == OP_LOAD) {
    fn (n->op.arg, data);
    return;
  }
  if (n->op.kind == OP_CALL && n->op.f.call == fn_if) {
    live_walk (nodes, values, n->kids[0], fn, data);
    live_walk (nodes, values, values[n->kids[0]] != 0 ? n->kids[1] : n->kids[2], fn, data);
    return;
  }
  /* "a and b" is decided by a when a is 0, "a or b" when a is not */
  if (n->op.kind == OP_BINARY && (n->op.f.binary == op_and || n->op.f.binary == op_or) &&
      (values[n->kids[0]] != 0) == (n->op.f.binary == op_or)) {
    live_walk (nodes, values, n->kids[0], fn, data);
    return;
  }
  for (guint k = 0; k < n->n_kids; k++)
    live_walk (nodes, values, n->kids[k], fn, data);
}

void
lp_expr_live_slots (const LpExpr *expr, const double *slots, LpSlotFunc fn, gpointer data)
{
  g_autoptr (GArray) nodes = g_array_new (FALSE, TRUE, sizeof (LpNode));
  g_autofree double *values = NULL;
  guint root = build_tree (expr, nodes);

  /* children come before their parent: one pass values every node */
  values = g_new (double, nodes->len);
  for (guint i = 0; i < nodes->len; i++) {
    const LpNode *n = &g_array_index (nodes, LpNode, i);
    double args[LP_EXPR_MAX_ARGS];
    for (guint k = 0; k < n->n_kids; k++)
      args[k] = values[n->kids[k]];
    switch (n->op.kind) {
    case OP_CONST: values[i] = n->op.value; break;
    case OP_LOAD: values[i] = slots[n->op.arg]; break;
    case OP_UNARY: values[i] = n->op.f.unary (args[0]); break;
    case OP_BINARY: values[i] = n->op.f.binary (args[0], args[1]); break;
    default: values[i] = n->op.f.call (args, n->n_kids); break;
    }
  }
  live_walk (nodes, values, root, fn, data);
}

/* @expr's one op when it has one of @kind, else NULL. */
static const LpOp *
lone_op (const LpExpr *expr, LpOpKind kind)
{
  const LpOp *op = &g_array_index (expr->ops, LpOp, 0);

  return expr->ops->len == 1 && op->kind == kind ? op : NULL;
}

gboolean
lp_expr_is_load (const LpExpr *expr, guint *slot)
{
  const LpOp *op = lone_op (expr, OP_LOAD);

  if (op != NULL)
    *slot = op->arg;
  return op != NULL;
}

gboolean
lp_expr_is_number (const LpExpr *expr, double *value)
{
  const LpOp *op = lone_op (expr, OP_CONST);

  if (op != NULL)
    *value = op->value;
  return op != NULL;
}

/* ---- printer: rebuilds infix text from the program ---- */

typedef struct {
  char *text;
  guint prec;
} LpPrinted;

static char *
wrap (const LpPrinted *p, gboolean parens)
{
  return parens ? g_strdup_printf ("(%s)", p->text) : g_strdup (p->text);
}

static LpPrinted
print_unary (const LpOp *op, LpPrinted a)
{
  gboolean is_not = op->arg == PREC_NOT;
  g_autofree char *inner = wrap (&a, a.prec < (is_not ? PREC_CMP : PREC_UNARY));
  LpPrinted r = { g_strdup_printf ("%s%s", is_not ? "not " : "-", inner), op->arg };

  g_free (a.text);
  return r;
}

static LpPrinted
print_binary (const LpOp *op, LpPrinted a, LpPrinted b)
{
  const LpBinaryOp *bop = &binary_ops[op->arg];
  g_autofree char *l = wrap (&a,
                             a.prec < bop->prec || (bop->prec == PREC_CMP && a.prec == PREC_CMP));
  g_autofree char *r = wrap (&b, b.prec <= bop->prec);
  LpPrinted out = { g_strdup_printf ("%s %s %s", l, bop->text, r), bop->prec };

  g_free (a.text);
  g_free (b.text);
  return out;
}

static LpPrinted
print_call (const LpOp *op, LpPrinted *args)
{
  GString *s = g_string_new (functions[(guint) op->value].name);

  g_string_append_c (s, '(');
  for (guint i = 0; i < op->arg; i++) {
    g_string_append_printf (s, "%s%s", i > 0 ? ", " : "", args[i].text);
    g_free (args[i].text);
  }
  g_string_append_c (s, ')');
  return (LpPrinted){ g_string_free (s, FALSE), PREC_ATOM };
}

char *
lp_expr_to_string (const LpExpr *expr, const LpSymtab *symtab)
{
  LpPrinted stack[LP_EXPR_MAX_STACK], right;
  guint sp = 0;
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  for (guint i = 0; i < expr->ops->len; i++) {
    const LpOp *op = &g_array_index (expr->ops, LpOp, i);
    switch (op->kind) {
    case OP_CONST:
      stack[sp++] = (LpPrinted){ g_strdup (g_ascii_dtostr (buf, sizeof buf, op->value)),
                                 PREC_ATOM };
      break;
    case OP_LOAD:
      stack[sp++] = (LpPrinted){ g_strdup (lp_symtab_name (symtab, op->arg)), PREC_ATOM };
      break;
    case OP_UNARY: stack[sp - 1] = print_unary (op, stack[sp - 1]); break;
    case OP_BINARY:
      stack[sp - 2] = print_binary (op, stack[sp - 2], stack[sp - 1]);
      sp--;
      break;
    case OP_BINARY_CONST:
      right = (LpPrinted){ g_strdup (g_ascii_dtostr (buf, sizeof buf, op->value)), PREC_ATOM };
      stack[sp - 1] = print_binary (op, stack[sp - 1], right);
      break;
    case OP_BINARY_LOAD:
      right = (LpPrinted){ g_strdup (lp_symtab_name (symtab, op->slot)), PREC_ATOM };
      stack[sp - 1] = print_binary (op, stack[sp - 1], right);
      break;
    case OP_CALL:
      sp -= op->arg;
      stack[sp] = print_call (op, &stack[sp]);
      sp++;
      break;
    }
  }
  return stack[0].text;
}

gboolean
lp_expr_equal (const LpExpr *a, const LpExpr *b)
{
  if (a->ops->len != b->ops->len)
    return FALSE;
  for (guint i = 0; i < a->ops->len; i++) {
    const LpOp *x = &g_array_index (a->ops, LpOp, i), *y = &g_array_index (b->ops, LpOp, i);
    /* what each kind reads: a folded op may keep stale members */
    gboolean same = x->kind == y->kind;
    if (same && (x->kind == OP_CONST || x->kind == OP_BINARY_CONST))
      same = memcmp (&x->value, &y->value, sizeof x->value) == 0;
    if (same && x->kind != OP_CONST)
      same = x->arg == y->arg;
    if (same && x->kind == OP_BINARY_LOAD)
      same = x->slot == y->slot;
    if (same && x->kind != OP_CONST && x->kind != OP_LOAD)
      same = x->f.call == y->f.call; /* the union's members are all function pointers */
    if (!same)
      return FALSE;
  }
  return TRUE;
}
