/* SPDX-License-Identifier: MIT */
/*
 * The bus queue: a transfer owns the root of its mux tree from its first
 * START to its STOP; the others wait in a FIFO queue. When it finishes,
 * the next one is handed the bus before the completion callback runs, so
 * a callback that submits again queues behind it (queue_release, inline
 * in master_internal.h: every transfer's end takes it).
 */
#include "core/master_internal.h"

bool queue_take(struct i2cemu_board *b, unsigned root,
                struct i2cemu_transfer *t)
{
    struct bus_rt *rt = &b->rt[root];
    if (!rt->owner) {
        rt->owner = t;
        return true;
    }
    t->next = NULL;
    if (rt->qtail)
        rt->qtail->next = t;
    else
        rt->qhead = t;
    rt->qtail = t;
    return false;
}

bool queue_remove(struct i2cemu_board *b, unsigned root,
                  struct i2cemu_transfer *t)
{
    struct bus_rt *rt = &b->rt[root];
    struct i2cemu_transfer **pp = &rt->qhead, *prev = NULL;
    while (*pp && *pp != t)
        prev = *pp, pp = &(*pp)->next;
    if (!*pp)
        return false;
    *pp = t->next;
    if (rt->qtail == t)
        rt->qtail = prev;
    return true;
}

void master_shutdown(struct i2cemu_board *b)
{
    for (unsigned bus = 0; bus < b->a->nbuses; bus++) {
        struct bus_rt *rt = &b->rt[bus];
        while (rt->qhead)
            i2cemu_transfer_abort(rt->qhead);
        if (rt->owner)
            i2cemu_transfer_abort(rt->owner);
    }
}
