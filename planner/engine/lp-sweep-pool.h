/* lp-sweep-pool.h: plans a sweep's rows on worker threads, chunk by chunk,
 * and hands the results back strictly in row order. */
#pragma once

#include <glib.h>

#include "lp-plan.h"
#include "lp-sweep.h"

typedef struct _LpSweepPool LpSweepPool;

/**
 * lp_sweep_pool_new:
 * @sweeps: (transfer full): one sweep of the same scenario and axes per
 *   worker; with one, rows are planned in the calling thread
 * @rs: their rule set
 * @first, @end: the rows to plan, [first, end)
 *
 * Returns: (transfer full): the pool; its threads start at once.
 */
LpSweepPool *lp_sweep_pool_new (GPtrArray *sweeps, const LpRuleset *rs, guint64 first, guint64 end,
                                gboolean detail);

/**
 * lp_sweep_pool_next:
 * @first: (out): the row of the chunk's first result
 * @n: (out): how many results the chunk has
 * @error: the engine's error for a row, prefixed with the row's inputs
 *
 * Returns: (transfer none) (nullable): the next chunk's results (summaries
 * without detail), valid until the next call; NULL at the end (no error) or
 * on error.
 */
const LpPlanSummary *lp_sweep_pool_next (LpSweepPool *pool, guint64 *first, guint *n,
                                         GError **error);

/* Stops the workers, joins them and frees everything. */
void lp_sweep_pool_free (LpSweepPool *pool);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpSweepPool, lp_sweep_pool_free)
