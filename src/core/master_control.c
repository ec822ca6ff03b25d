/* SPDX-License-Identifier: MIT */
/*
 * Ending a transfer from outside its steps: an abort, a bus reset (the
 * control plane, a fault rule, or a device's own callback while the
 * transfer runs: device.h), and where a running transfer stands.
 *
 * Either may run inside a device callback that master.c or fastpath.c is
 * making for that very transfer. It then completes the transfer there
 * (state FINISHED, the bus handed on) and the path, seeing it FINISHED
 * after the call, stops and calls `done` once: run() and fastpath_run()
 * hold `done` back while they are on the stack.
 */
#include "core/master_internal.h"

#include <errno.h>

/* A running transfer is cut short with -err, where it is (a clock
 * stretch under way counts up to now). FINISHED from here on, so that a
 * device callback the ending makes (FINISH) cannot end it a second time;
 * ended_here() and master_complete() follow. */
static void cut_short(struct i2cemu_transfer *t, int err)
{
    if (t->state == I2CEMU_M_WAIT_STRETCH)
        t->t_stretched_ns += now(t) - t->t_stretch_ns;
    t->result = -err;
    i2cemu_timer_stop(t->board->loop, &t->timer);
    t->state = I2CEMU_M_FINISHED;
}

/* It ends at the bus time reached, as report() would end it there. */
static void ended_here(struct i2cemu_transfer *t)
{
    t->t_end_ns = t->t_start_ns + bus_time(t);
    i2cemu_loop_bump(t->board->loop, t->t_end_ns);
}

static bool running(const struct i2cemu_transfer *t)
{
    return t->state != I2CEMU_M_IDLE && t->state != I2CEMU_M_FINISHED;
}

void i2cemu_transfer_abort(struct i2cemu_transfer *t)
{
    if (t->state == I2CEMU_M_FINISHED && !t->timer.armed)
        return;
    unsigned root = bus_root(t->board, t->bus);
    if (t->board->rt[root].owner != t) {
        /* Still queued: unlink it. */
        if (!queue_remove(t->board, root, t))
            return;
        t->state = I2CEMU_M_FINISHED;
        t->result = -ECANCELED;
        t->done(t);
        return;
    }
    if (running(t)) {
        cut_short(t, ECANCELED);
        if (t->msgs)
            master_stop(t);
        ended_here(t);
    } else {
        /* Waiting to start, or paced to real time after its STOP. */
        t->result = -ECANCELED;
    }
    master_complete(t);
}

void i2cemu_bus_reset(struct i2cemu_board *b, unsigned bus)
{
    unsigned root = bus_root(b, bus);
    struct i2cemu_transfer *t = b->rt[root].owner;
    bool cut = t && running(t);
    if (cut) {
        cut_short(t, EIO);
        ended_here(t);
        trace(t, I2CEMU_TRACE_STOP, 0, false, false, 0, I2CEMU_ACK);
        t->all.n = t->cur.n = 0;
        t->all_overflow = false;
    }
    /* Every device on the bus and below it sees FINISH, before `done`
     * runs: a transfer it submits must find the devices idle. A stuck
     * SDA (fault injection) is free again. */
    master_finish_tree(b, root);
    fault_bus_reset(b, root);
    if (cut)
        master_complete(t);
}

/* For services.c: see board_internal.h. */
bool master_position(const struct i2cemu_board *b, unsigned dev,
                     uint64_t *bus_ns, int *addr)
{
    const struct i2cemu_transfer *t =
        b->rt[bus_root(b, dev_rec(b, dev)->bus)].owner;
    if (!t || !running(t))
        return false;
    *bus_ns = t->t_start_ns + bus_time(t);
    *addr = t->state == I2CEMU_M_ADDR && t->msgs ? wire_addr(&t->msgs[t->msg])
                                                 : -1;
    return true;
}
