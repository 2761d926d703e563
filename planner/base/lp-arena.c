/* lp-arena.c: objects out of large blocks, freed together. */
#include "lp-arena.h"

#include <stddef.h>
#include <string.h>

#define ALIGN (G_ALIGNOF (max_align_t))

struct _LpArena {
  GPtrArray *blocks; /* of g_malloc'd blocks, freed with the arena */
  gsize block_size;
  guint8 *next; /* the free part of the last block */
  gsize left;   /* its bytes */
};

LpArena *
lp_arena_new (gsize block_size)
{
  LpArena *a = g_new0 (LpArena, 1);

  a->blocks = g_ptr_array_new_with_free_func (g_free);
  a->block_size = MAX (block_size, 1024);
  return a;
}

gpointer
lp_arena_alloc0 (LpArena *a, gsize size)
{
  gsize need = (MAX (size, 1) + ALIGN - 1) / ALIGN * ALIGN;
  guint8 *p;

  if (need > a->block_size / 4) { /* a large object: a block of its own */
    p = g_malloc0 (need);
    g_ptr_array_add (a->blocks, p);
    return p;
  }
  if (need > a->left) {
    a->next = g_malloc (a->block_size);
    a->left = a->block_size;
    g_ptr_array_add (a->blocks, a->next);
  }
  p = a->next;
  a->next += need;
  a->left -= need;
  memset (p, 0, size);
  return p;
}

void
lp_arena_free (LpArena *a)
{
  if (a == NULL)
    return;
  g_ptr_array_unref (a->blocks);
  g_free (a);
}
