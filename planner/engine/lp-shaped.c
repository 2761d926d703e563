/* lp-shaped.c: the constants that shaped a design at a site; see lp-shaped.h. */
#include "lp-shaped.h"

#include <string.h>

struct _LpShaper {
  const LpRuleset *rs;
  guint n_slots;
  const LpFormula **let_of; /* per slot: the rule-set [let] that sets it, or NULL */
  gint *var_of;             /* per slot: its index in rs->vars, or -1 */
  guint8 *seen;             /* per slot: its let walked for this sizing */
  GPtrArray *todo;          /* of LpExpr, borrowed: lets still to walk */
  const double *env;
  guint8 *bits; /* the plan's shaped bits */
  const LpTemplate *t;
  guint ti;
  gsize n_bytes;   /* of a set of constants, a bit per rule-set var */
  guint8 *closure; /* per template and expression: the constants it may read,
                    * through the lets it reads, whatever the branches */
  guint8 *known;   /* per template and expression: its closure is made */
};

LpShaper *
lp_shaper_new (const LpRuleset *rs)
{
  LpShaper *sh = g_new0 (LpShaper, 1);

  sh->rs = rs;
  sh->n_slots = lp_symtab_size (rs->symtab);
  sh->let_of = g_new0 (const LpFormula *, sh->n_slots);
  sh->var_of = g_new (gint, sh->n_slots);
  sh->seen = g_new0 (guint8, sh->n_slots);
  sh->todo = g_ptr_array_new ();
  sh->n_bytes = (rs->vars->len + 7) / 8;
  sh->closure = g_new0 (guint8, MAX (1, (gsize) rs->templates->len * rs->n_exprs * sh->n_bytes));
  sh->known = g_new0 (guint8, MAX (1, (gsize) rs->templates->len * rs->n_exprs));
  for (guint s = 0; s < sh->n_slots; s++)
    sh->var_of[s] = -1;
  for (guint i = 0; i < rs->vars->len; i++)
    sh->var_of[((const LpRuleVar *) g_ptr_array_index (rs->vars, i))->slot] = (gint) i;
  for (guint i = 0; i < rs->lets->len; i++) {
    const LpFormula *f = g_ptr_array_index (rs->lets, i);
    sh->let_of[f->slot] = f;
  }
  return sh;
}

void
lp_shaper_free (LpShaper *sh)
{
  if (sh == NULL)
    return;
  g_free (sh->let_of);
  g_free (sh->var_of);
  g_free (sh->seen);
  g_ptr_array_unref (sh->todo);
  g_free (sh->closure);
  g_free (sh->known);
  g_free (sh);
}

static gboolean
is_constant (const LpShaper *sh, guint slot)
{
  return sh->var_of[slot] >= 0 &&
         !((const LpRuleVar *) g_ptr_array_index (sh->rs->vars, (guint) sh->var_of[slot]))
            ->is_input;
}

/* A template's own let of @slot, else the rule set's. */
static const LpFormula *
let_at (const LpShaper *sh, guint slot)
{
  for (guint i = 0; i < sh->t->lets->len; i++) {
    const LpFormula *f = g_ptr_array_index (sh->t->lets, i);
    if (f->slot == slot)
      return f;
  }
  return sh->let_of[slot];
}

static void
read_cb (guint slot, gpointer data)
{
  LpShaper *sh = data;
  const LpFormula *f;

  if (slot >= sh->n_slots || sh->seen[slot])
    return;
  sh->seen[slot] = 1;
  if (sh->var_of[slot] >= 0 &&
      !((const LpRuleVar *) g_ptr_array_index (sh->rs->vars, (guint) sh->var_of[slot]))->is_input)
    sh->bits[sh->var_of[slot] / 8] |= (guint8) (1u << (sh->var_of[slot] % 8));
  f = let_at (sh, slot);
  if (f != NULL && f->expr != NULL)
    g_ptr_array_add (sh->todo, f->expr);
}

/* The constants @e may read under the current template, through its lets
 * (a let never reads itself, so the recursion ends; lets nest a few deep). */
static const guint8 *
closure (LpShaper *sh, const LpExpr *e)
{
  gsize at = (gsize) sh->ti * sh->rs->n_exprs + lp_expr_id (e);
  guint8 *bits = sh->closure + at * sh->n_bytes;
  guint n = 0;
  const guint *slots;

  if (sh->known[at])
    return bits;
  sh->known[at] = 1;
  slots = lp_expr_names (e, &n);
  for (guint i = 0; i < n; i++) {
    const LpFormula *f = let_at (sh, slots[i]);
    if (is_constant (sh, slots[i]))
      bits[sh->var_of[slots[i]] / 8] |= (guint8) (1u << (sh->var_of[slots[i]] % 8));
    if (f != NULL && f->expr != NULL && f->expr != e) {
      const guint8 *more = closure (sh, f->expr);
      for (gsize b = 0; b < sh->n_bytes; b++)
        bits[b] |= more[b];
    }
  }
  return bits;
}

/* Walks @e and every let it reaches, unless every constant it may read is
 * marked already (then nothing it could mark is new). */
static void
walk (LpShaper *sh, const LpExpr *e)
{
  const guint8 *may;
  gboolean news = FALSE;

  if (e == NULL)
    return;
  may = closure (sh, e);
  for (gsize b = 0; b < sh->n_bytes && !news; b++)
    news = (may[b] & ~sh->bits[b]) != 0;
  if (!news)
    return;
  lp_expr_live_slots (e, sh->env, read_cb, sh);
  while (sh->todo->len > 0) {
    const LpExpr *next = g_ptr_array_steal_index_fast (sh->todo, sh->todo->len - 1);
    lp_expr_live_slots (next, sh->env, read_cb, sh);
  }
}

/* Walks @applies, and TRUE when it holds (or is absent). */
static gboolean
walk_applies (LpShaper *sh, const LpExpr *applies)
{
  walk (sh, applies);
  return applies == NULL || lp_expr_eval (applies, sh->env) != 0;
}

static void
mark_failures (LpShaper *sh, guint ti)
{
  for (guint k = 0; k < sh->rs->failures->len; k++) {
    const LpFailure *f = g_ptr_array_index (sh->rs->failures, k);
    if (!f->for_template[ti] || !walk_applies (sh, f->applies))
      continue;
    walk (sh, f->automatic);
    walk (sh, f->response);
    walk (sh, f->rpo);
    for (guint i = 0; i < f->n_steps; i++)
      if (walk_applies (sh, f->steps[i].when))
        walk (sh, f->steps[i].minutes);
  }
}

static void
mark_availability (LpShaper *sh, const LpTemplate *t)
{
  if (t->availability->len > 0) {
    walk (sh, sh->rs->avail_year);
    walk (sh, sh->rs->avail_planned_counted);
  }
  for (guint k = 0; k < t->availability->len; k++) {
    const LpAvailRule *r = g_ptr_array_index (t->availability, k);
    const LpExpr *exprs[] = { r->servers,  r->needed,    r->failure_rate, r->repair_time,
                              r->failover, r->automatic, r->patch_cycles, r->patch_minutes };
    if (!walk_applies (sh, r->applies))
      continue;
    for (guint x = 0; x < G_N_ELEMENTS (exprs); x++)
      walk (sh, exprs[x]);
  }
}

static void
mark_design (LpShaper *sh, const LpTemplate *t, const LpSiteSizing *z)
{
  walk (sh, t->applies);
  walk (sh, t->paired);
  walk (sh, t->exclude);
  walk (sh, t->pools.count);
  walk (sh, t->pools.capacity);
  walk (sh, t->pools.same_site_pairs);
  for (guint r = 0; r < sh->rs->roles->len; r++) {
    const LpRole *role = g_ptr_array_index (sh->rs->roles, r);
    if (t->roles[r] != NULL)
      walk (sh, t->roles[r]->expr);
    if (z->roles[r] > 0)
      walk (sh, role->capacity);
  }
  for (guint k = 0; k < t->notes->len; k++) {
    const LpNote *n = g_ptr_array_index (t->notes, k);
    if (!(z->notes & ((guint64) 1 << k)))
      continue;
    walk (sh, n->applies);
    for (guint x = 0; x < n->exprs->len; x++)
      walk (sh, g_ptr_array_index (n->exprs, x));
  }
  for (guint k = 0; k < sh->rs->storage->len; k++) {
    const LpStorage *st = g_ptr_array_index (sh->rs->storage, k);
    if (z->storage & ((guint64) 1 << k))
      walk (sh, st->gb_per_year);
  }
}

void
lp_shaper_mark (LpShaper *sh, const LpTemplate *t, guint ti, const double *env,
                const LpSiteSizing *z, guint8 *bits)
{
  memset (sh->seen, 0, sh->n_slots);
  sh->env = env;
  sh->bits = bits;
  sh->t = t;
  sh->ti = ti;
  mark_design (sh, t, z);
  for (guint k = 0; k < sh->rs->checks->len; k++) {
    const LpCheck *c = g_ptr_array_index (sh->rs->checks, k);
    if (!walk_applies (sh, c->applies))
      continue;
    walk (sh, c->target);
    walk (sh, c->achieved);
  }
  mark_failures (sh, ti);
  mark_availability (sh, t);
}
