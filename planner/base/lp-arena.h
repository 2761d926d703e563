/* lp-arena.h: many small objects of one lifetime, freed at once.
 *
 * A model of 10,000 sites holds hundreds of thousands of nodes, flows and
 * records that live exactly as long as the model; allocated one by one,
 * each cost a malloc header and its rounding besides. An arena hands them
 * out of large blocks and frees the blocks together. Objects are zeroed and
 * aligned for any type; nothing is freed alone. */
#pragma once

#include <glib.h>

typedef struct _LpArena LpArena;

/**
 * lp_arena_new:
 * @block_size: the bytes of one block (objects larger get a block of their own)
 *
 * Returns: (transfer full): an empty arena; free with lp_arena_free().
 */
LpArena *lp_arena_new (gsize block_size);

/**
 * lp_arena_alloc0:
 * @a: an arena
 * @size: bytes, at least 1
 *
 * Returns: (transfer none): @size zeroed bytes, aligned for any type, owned
 *   by @a until lp_arena_free(). Aborts when memory is out, as g_malloc() does.
 */
gpointer lp_arena_alloc0 (LpArena *a, gsize size);

/* lp_arena_new0: one zeroed @T of @a */
#define lp_arena_new0(a, T) ((T *) lp_arena_alloc0 ((a), sizeof (T)))

/**
 * lp_arena_free:
 * @a: (nullable): an arena; every object it handed out is freed with it
 */
void lp_arena_free (LpArena *a);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpArena, lp_arena_free)
