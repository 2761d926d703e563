/* lp-sweep-pool.c: see lp-sweep-pool.h. Workers take chunk slots from a
 * queue; the consumer waits for the slot of the next chunk in order, so the
 * output is the same whatever the number of threads. */
#include "lp-sweep-pool.h"

/* Rows a worker plans at a time; slots in flight per worker. */
#define LP_POOL_CHUNK 2048
#define LP_POOL_SLOTS_PER_WORKER 3
#define LP_POOL_STOP G_MAXUINT

typedef enum { SLOT_FREE, SLOT_QUEUED, SLOT_DONE } LpSlotState;

typedef struct {
  guint64 first;
  guint n;
  LpPlanSummary *results; /* LP_POOL_CHUNK of them */
  LpSlotState state;
  GError *error;
} LpSlot;

typedef struct {
  LpSweepPool *pool;
  LpSweep *sweep;
} LpWorker;

struct _LpSweepPool {
  GPtrArray *sweeps;
  const LpRuleset *rs;
  guint64 end, next_issue, next_take;
  LpSlot *slots;
  guint n_slots;
  gint taken; /* slot the consumer holds, -1 if none */
  LpWorker *workers;
  GThread **threads;
  guint n_threads;
  GAsyncQueue *work; /* of slot index + 1, or LP_POOL_STOP (the queue takes no NULL) */
  GMutex lock;
  GCond done;
};

static void
plan_chunk (LpSweep *sweep, LpSlot *slot)
{
  for (guint i = 0; i < slot->n; i++) {
    if (!lp_sweep_plan_row (sweep, slot->first + i, &slot->results[i], &slot->error)) {
      slot->n = i;
      return;
    }
  }
}

static gpointer
worker_main (gpointer data)
{
  LpWorker *w = data;
  LpSweepPool *pool = w->pool;

  for (;;) {
    guint index = GPOINTER_TO_UINT (g_async_queue_pop (pool->work));
    LpSlot *slot;
    if (index == LP_POOL_STOP)
      return NULL;
    slot = &pool->slots[index - 1];
    plan_chunk (w->sweep, slot);
    g_mutex_lock (&pool->lock);
    slot->state = SLOT_DONE;
    g_cond_broadcast (&pool->done);
    g_mutex_unlock (&pool->lock);
  }
}

LpSweepPool *
lp_sweep_pool_new (GPtrArray *sweeps, const LpRuleset *rs, guint64 first, guint64 end,
                   gboolean detail)
{
  LpSweepPool *pool = g_new0 (LpSweepPool, 1);

  pool->sweeps = sweeps;
  pool->rs = rs;
  pool->end = end;
  pool->next_issue = pool->next_take = first;
  pool->taken = -1;
  pool->n_threads = sweeps->len > 1 ? sweeps->len : 0;
  pool->n_slots = MAX (1, pool->n_threads * LP_POOL_SLOTS_PER_WORKER);
  pool->slots = g_new0 (LpSlot, pool->n_slots);
  for (guint s = 0; s < pool->n_slots; s++) {
    pool->slots[s].results = g_new0 (LpPlanSummary, LP_POOL_CHUNK);
    for (guint i = 0; i < LP_POOL_CHUNK; i++)
      lp_plan_summary_init (&pool->slots[s].results[i], rs, detail);
  }
  g_mutex_init (&pool->lock);
  g_cond_init (&pool->done);
  pool->work = g_async_queue_new ();
  pool->workers = g_new0 (LpWorker, pool->n_threads);
  pool->threads = g_new0 (GThread *, pool->n_threads);
  for (guint t = 0; t < pool->n_threads; t++) {
    pool->workers[t] = (LpWorker){ .pool = pool, .sweep = g_ptr_array_index (sweeps, t) };
    pool->threads[t] = g_thread_new ("lyncplan-sweep", worker_main, &pool->workers[t]);
  }
  return pool;
}

/* Queues chunks into free slots, in row order, as far as slots allow. */
static void
issue (LpSweepPool *pool)
{
  while (pool->next_issue < pool->end) {
    guint64 chunk = (pool->next_issue - pool->next_take) / LP_POOL_CHUNK;
    guint s = (guint) ((pool->next_issue / LP_POOL_CHUNK) % pool->n_slots);
    LpSlot *slot = &pool->slots[s];

    if (chunk >= pool->n_slots || slot->state != SLOT_FREE)
      return;
    slot->first = pool->next_issue;
    slot->n = (guint) MIN ((guint64) LP_POOL_CHUNK, pool->end - pool->next_issue);
    slot->state = SLOT_QUEUED;
    pool->next_issue += slot->n;
    g_async_queue_push (pool->work, GUINT_TO_POINTER (s + 1));
  }
}

const LpPlanSummary *
lp_sweep_pool_next (LpSweepPool *pool, guint64 *first, guint *n, GError **error)
{
  LpSlot *slot;

  if (pool->taken >= 0) {
    pool->slots[pool->taken].state = SLOT_FREE;
    pool->taken = -1;
  }
  if (pool->next_take >= pool->end)
    return NULL;
  if (pool->n_threads == 0) {
    slot = &pool->slots[0];
    slot->first = pool->next_take;
    slot->n = (guint) MIN ((guint64) LP_POOL_CHUNK, pool->end - pool->next_take);
    plan_chunk (g_ptr_array_index (pool->sweeps, 0), slot);
    pool->taken = 0;
  } else {
    guint s = (guint) ((pool->next_take / LP_POOL_CHUNK) % pool->n_slots);
    g_mutex_lock (&pool->lock);
    issue (pool);
    slot = &pool->slots[s];
    while (slot->state != SLOT_DONE)
      g_cond_wait (&pool->done, &pool->lock);
    g_mutex_unlock (&pool->lock);
    pool->taken = (gint) s;
  }
  if (slot->error != NULL) {
    g_propagate_error (error, g_steal_pointer (&slot->error));
    pool->next_take = pool->end;
    return NULL;
  }
  *first = slot->first;
  *n = slot->n;
  pool->next_take += slot->n;
  return slot->results;
}

void
lp_sweep_pool_free (LpSweepPool *pool)
{
  if (pool == NULL)
    return;
  for (guint t = 0; t < pool->n_threads; t++)
    g_async_queue_push_front (pool->work, GUINT_TO_POINTER (LP_POOL_STOP));
  for (guint t = 0; t < pool->n_threads; t++)
    g_thread_join (pool->threads[t]);
  for (guint s = 0; s < pool->n_slots; s++) {
    for (guint i = 0; i < LP_POOL_CHUNK; i++)
      lp_plan_summary_clear (&pool->slots[s].results[i]);
    g_free (pool->slots[s].results);
    g_clear_error (&pool->slots[s].error);
  }
  g_free (pool->slots);
  g_free (pool->workers);
  g_free (pool->threads);
  g_async_queue_unref (pool->work);
  g_mutex_clear (&pool->lock);
  g_cond_clear (&pool->done);
  g_ptr_array_unref (pool->sweeps);
  g_free (pool);
}
