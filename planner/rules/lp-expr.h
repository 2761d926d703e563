/* lp-expr.h: the rule files' expression language.
 *
 *   numbers      6660, 0.5, and true (1) and false (0)
 *   names        users, pool-failover-time   (a '-' between letters joins a
 *                name, so subtraction next to a name needs spaces: a - b)
 *   arithmetic   + - * /  and unary -
 *   comparisons  < <= > >= == !=     (1 for true, 0 for false)
 *   logic        and or not          (0 is false, anything else true)
 *   functions    ceil(x) floor(x) min(a, b, ...) max(a, b, ...) if(cond, then, else)
 *
 * An expression is compiled once against a symbol table that maps names to
 * slots, into a small stack program; evaluating it reads the slots and never
 * parses again. Operators and functions are registered in tables. */
#pragma once

#include <glib.h>
#include <math.h>

#include "lp-units.h"

typedef struct _LpSymtab LpSymtab;
typedef struct _LpExpr LpExpr;

/**
 * lp_symtab_new:
 * Returns: (transfer full): an empty table; free with lp_symtab_free().
 */
LpSymtab *lp_symtab_new (void);
void lp_symtab_free (LpSymtab *symtab);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpSymtab, lp_symtab_free)

/**
 * lp_symtab_add:
 * @name: a name (copied)
 *
 * Returns: the slot of @name, added at the end if it was not there yet.
 */
guint lp_symtab_add (LpSymtab *symtab, const char *name);

/**
 * lp_symtab_lookup:
 * @slot: (out) (optional): the slot of @name
 *
 * Returns: TRUE if @name is in the table.
 */
gboolean lp_symtab_lookup (const LpSymtab *symtab, const char *name, guint *slot);

/* Returns: the number of slots; an environment is an array of this many doubles. */
guint lp_symtab_size (const LpSymtab *symtab);

/* Returns: (transfer none): the name of @slot. */
const char *lp_symtab_name (const LpSymtab *symtab, guint slot);

/**
 * lp_expr_compile:
 * @text: the expression
 * @symtab: the names it may use; each must already be in the table
 * @error: LP_ERROR_RULES, "column N: what was expected", with a did-you-mean
 *   suggestion for an unknown name or function; "expression nested too
 *   deeply" or "expression too long" past the limits that keep evaluating,
 *   printing and specializing bounded (no rule formula comes near them)
 *
 * Returns: (transfer full) (nullable): the compiled expression, or NULL.
 */
LpExpr *lp_expr_compile (const char *text, const LpSymtab *symtab, GError **error);
void lp_expr_free (LpExpr *expr);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpExpr, lp_expr_free)

/**
 * lp_expr_eval:
 * @slots: the environment, lp_symtab_size() values
 *
 * Returns: the value. Division by zero gives an infinity or NaN, which the
 * caller checks for; evaluation itself never fails and never allocates.
 */
double lp_expr_eval (const LpExpr *expr, const double *slots);

/**
 * LpSeq:
 *
 * Several programs evaluated in one loop, each value stored in a slot of
 * the environment: a folded replan's [let]s, without a call and its glue
 * for each. The programs' ops are copied, so a sequence outlives them.
 */
typedef struct _LpSeq LpSeq;

/* Returns: (transfer full): an empty sequence; free with lp_seq_free(). */
LpSeq *lp_seq_new (void);
void lp_seq_free (LpSeq *seq);

/**
 * LpSeqCache:
 * @value, @gen: per entry: its value, and the generation it belongs to
 * @now: the current generation: an entry of another is not current
 * @stride, @offset: an item of cache class c is entry stride * c + offset
 *
 * Values a sequence's items of one class share (lp_seq_add()'s @cache).
 */
typedef struct {
  double *value;
  guint64 *gen;
  guint64 now;
  guint stride, offset;
} LpSeqCache;

/**
 * lp_seq_add:
 * @program: (nullable): the item's program, or NULL for the number @value
 * @slot: where its value goes
 * @cache: its class in an LpSeqCache, or -1: an item of a class whose entry
 *   is current takes the entry's value instead of evaluating @program, and
 *   one that evaluates makes the entry current with its value
 *
 * Appends an item (the next index, from 0).
 */
void lp_seq_add (LpSeq *seq, const LpExpr *program, double value, guint slot, gint cache);

/**
 * lp_seq_run:
 * @cache: (nullable when no item has a class)
 * @bad: (out): the value of the item returned
 *
 * Evaluates the items in order, each value as lp_expr_eval() gives it
 * stored in its slot before the next, and stops at the first item whose
 * value is not finite (stored nowhere, though its cache entry keeps it).
 *
 * Returns: G_MAXUINT, or the index of that item.
 */
guint lp_seq_run (const LpSeq *seq, double *slots, const LpSeqCache *cache, double *bad);

/**
 * LpStepKind:
 * @LP_STEP_LINEAR: a value that changes nothing by itself (a formula's
 *   result, a sum): only checked to move in a straight line
 * @LP_STEP_SIGN: what a comparison, a condition, and/or/not or the choice of
 *   min()/max() turns on: its class is its sign (below 0, 0, above 0)
 * @LP_STEP_CEIL: ceil()'s argument: its class is ceil()'s value
 * @LP_STEP_FLOOR: floor()'s argument: its class is floor()'s value
 *
 * The kinds of step points lp_expr_eval_steps() reports: where, along one
 * varied input, a formula's value may jump or bend.
 */
typedef enum { LP_STEP_LINEAR, LP_STEP_SIGN, LP_STEP_CEIL, LP_STEP_FLOOR } LpStepKind;

typedef void (*LpStepFunc) (LpStepKind kind, double x, gpointer data);

/**
 * lp_expr_eval_steps:
 * @fn: called, in evaluation order, for each quantity the result turns on
 *   (an LP_STEP_SIGN, CEIL or FLOOR, with the value whose class decides)
 *
 * Evaluates as lp_expr_eval() does (the same value), reporting the step
 * points of the evaluation: ceil()'s and floor()'s arguments, each
 * comparison's left operand minus its right, the operands of and/or/not,
 * if()'s condition, and the differences of min()'s and max()'s arguments.
 * Every branch of an if() is evaluated and reported, so two evaluations of
 * one formula report the same sequence of kinds. Slower than
 * lp_expr_eval(): for finding breakpoints, not for planning.
 */
double lp_expr_eval_steps (const LpExpr *expr, const double *slots, LpStepFunc fn, gpointer data);

/**
 * lp_step_class:
 * Returns: the class of @x for @kind: its sign (2 for NaN) for
 *   LP_STEP_SIGN, ceil()'s or floor()'s value (with the evaluator's slack)
 *   for LP_STEP_CEIL and LP_STEP_FLOOR, 0 for LP_STEP_LINEAR. Where the
 *   classes of every step point stay the same, so do the formulas' jumps.
 */
static inline double
lp_step_class (LpStepKind kind, double x)
{
  switch (kind) {
  case LP_STEP_SIGN: return isnan (x) ? 2 : x < 0 ? -1 : x > 0 ? 1 : 0;
  case LP_STEP_CEIL: return lp_ceil (x - 1e-9);   /* as ceil() evaluates */
  case LP_STEP_FLOOR: return lp_floor (x + 1e-9); /* as floor() evaluates */
  case LP_STEP_LINEAR:
  default: return 0;
  }
}

typedef void (*LpSlotFunc) (guint slot, gpointer data);

/**
 * lp_expr_live_slots:
 * @slots: the environment @expr was (or would be) evaluated in
 * @fn: called for each name the evaluation depends on, once per place it
 *   is read (a name read twice is reported twice)
 *
 * The names @expr reads on the branches its evaluation in @slots takes: an
 * if() reads its condition and the branch taken only, so
 * "if(persistent-chat, ceil(users / users-per-pchat-server), 0)" reads
 * persistent-chat alone where it is 0; "a and b" reads a alone where a is 0,
 * "a or b" where a is not. Allocates a tree of the program; for
 * reports, not for the engine's inner loop.
 */
void lp_expr_live_slots (const LpExpr *expr, const double *slots, LpSlotFunc fn, gpointer data);

/**
 * lp_expr_to_string:
 * Returns: (transfer full): the compiled program printed back as an infix
 * expression with only the parentheses it needs, e.g. "ceil(users / 5000) + 1".
 */
char *lp_expr_to_string (const LpExpr *expr, const LpSymtab *symtab);

/**
 * lp_expr_names:
 * @n_names: (out): how many slots the expression reads
 *
 * Returns: (transfer none): the distinct slots it reads, in order of first use.
 */
const guint *lp_expr_names (const LpExpr *expr, guint *n_names);

/**
 * lp_expr_specialize:
 * @known: per slot: whether its value is fixed
 * @values: per slot: the fixed values (read where @known)
 *
 * Partial evaluation: the expression with each known name replaced by its
 * value, each operation on numbers alone by its result (computed as
 * evaluation would), and each if() whose condition is then a number by the
 * branch it takes. It gives the value @expr gives in any environment that
 * holds @values in the known slots. Keeps @expr's id.
 *
 * Returns: (transfer full): the new expression; lp_expr_names() lists what
 * it still reads.
 */
LpExpr *lp_expr_specialize (const LpExpr *expr, const gboolean *known, const double *values);

/**
 * lp_expr_is_number:
 * @value: (out): its value, when it is a number
 *
 * Returns: TRUE when @expr is a lone number (as a specialized one may be).
 */
gboolean lp_expr_is_number (const LpExpr *expr, double *value);

/**
 * lp_expr_is_load:
 * @slot: (out): the slot it reads, when it reads one and does nothing else
 *
 * Returns: TRUE when @expr is a lone name: its value is @slot's, as
 *   lp_expr_eval() gives it.
 */
gboolean lp_expr_is_load (const LpExpr *expr, guint *slot);

/**
 * lp_expr_equal:
 * Returns: TRUE when @a and @b are the same program: the same operations on
 *   the same slots and numbers (bit for bit), so they give the same value in
 *   any one environment. Ids are not compared.
 */
gboolean lp_expr_equal (const LpExpr *a, const LpExpr *b);

/* A number its owner gives it (a rule set numbers its expressions 0..n-1),
 * so per-expression tables can be plain arrays. */
void lp_expr_set_id (LpExpr *expr, guint id);

/* The first member of every LpExpr: lp_expr_id() is read on every
 * evaluation of a folded sweep, so it is inline. Not for other use. */
typedef struct {
  guint id;
} LpExprHead;

static inline guint
lp_expr_id (const LpExpr *expr)
{
  return ((const LpExprHead *) (gconstpointer) expr)->id;
}
