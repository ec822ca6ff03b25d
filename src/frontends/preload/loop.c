// SPDX-License-Identifier: MIT
/*
 * The event loop of a preload client's own board (share_client.c), in
 * place of loop.c inside the shim: no libuv, no fds, FAST time only. A
 * transfer the client runs completes synchronously, so this loop only
 * keeps the board time and the lists of whatever deferred call or timer
 * the core arms and stops on the way. Nothing waits on it: a synchronous
 * wrapper that runs it (smbus.c's, for fast.c's I2C_SMBUS) has a transfer
 * that did not complete at once, a bug of eligibility; it runs nothing,
 * so the wrapper cancels the transfer, and the stall is noted for fast.c.
 */
#include "core/loop_internal.h"

#include <stdlib.h>
#include <string.h>

struct i2cemu_loop {
    uint64_t virt_ns;
    struct i2cemu_timer *timers; /* sorted by deadline */
    struct i2cemu_timer *defer_head, *defer_tail;
    bool stalled; /* run_once was called: preload_loop_stalled() */
};

struct i2cemu_loop *i2cemu_loop_new(enum i2cemu_clock_mode mode)
{
    return mode == I2CEMU_CLOCK_FAST ? calloc(1, sizeof(struct i2cemu_loop))
                                     : NULL;
}

void i2cemu_loop_free(struct i2cemu_loop *l)
{
    free(l);
}

enum i2cemu_clock_mode i2cemu_loop_mode(const struct i2cemu_loop *l)
{
    (void)l;
    return I2CEMU_CLOCK_FAST;
}

uint64_t i2cemu_loop_now(const struct i2cemu_loop *l)
{
    return l->virt_ns;
}

void i2cemu_loop_bump(struct i2cemu_loop *l, uint64_t t_ns)
{
    if (t_ns > l->virt_ns)
        l->virt_ns = t_ns;
}

void i2cemu_timer_init(struct i2cemu_timer *t,
                       void (*cb)(struct i2cemu_timer *t), void *opaque)
{
    memset(t, 0, sizeof(*t));
    t->cb = cb;
    t->opaque = opaque;
}

void i2cemu_timer_stop(struct i2cemu_loop *l, struct i2cemu_timer *t)
{
    struct i2cemu_timer **pp = t->deferred ? &l->defer_head : &l->timers;
    struct i2cemu_timer *prev = NULL;

    if (!t->armed)
        return;
    for (; *pp; prev = *pp, pp = &(*pp)->next)
        if (*pp == t) {
            *pp = t->next;
            if (t->deferred && l->defer_tail == t)
                l->defer_tail = prev;
            break;
        }
    t->next = NULL;
    t->armed = t->deferred = false;
}

void i2cemu_timer_start(struct i2cemu_loop *l, struct i2cemu_timer *t,
                        uint64_t deadline_ns)
{
    struct i2cemu_timer **pp = &l->timers;

    i2cemu_timer_stop(l, t);
    t->deadline_ns = deadline_ns;
    while (*pp && (*pp)->deadline_ns <= deadline_ns)
        pp = &(*pp)->next;
    t->next = *pp;
    *pp = t;
    t->armed = true;
}

void i2cemu_loop_defer(struct i2cemu_loop *l, struct i2cemu_timer *t)
{
    i2cemu_timer_stop(l, t);
    t->deferred = t->armed = true;
    if (l->defer_tail)
        l->defer_tail->next = t;
    else
        l->defer_head = t;
    l->defer_tail = t;
}

void i2cemu_loop_advance(struct i2cemu_loop *l, uint64_t ns)
{
    uint64_t end = l->virt_ns + ns;

    while (l->timers && l->timers->deadline_ns <= end) {
        struct i2cemu_timer *t = l->timers;

        i2cemu_loop_bump(l, t->deadline_ns);
        i2cemu_timer_stop(l, t);
        t->cb(t);
    }
    l->virt_ns = end;
}

bool i2cemu_loop_run_once(struct i2cemu_loop *l, bool block)
{
    (void)block;
    l->stalled = true;
    return false;
}

bool preload_loop_stalled(struct i2cemu_loop *l)
{
    bool stalled = l->stalled;

    l->stalled = false;
    return stalled;
}
