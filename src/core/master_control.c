/* SPDX-License-Identifier: MIT */
/*
 * Ending a transfer from outside its steps (an abort, a bus reset), and
 * where a running transfer stands.
 */
#include "core/master_internal.h"

#include <errno.h>

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
    t->result = -ECANCELED;
    if (t->state != I2CEMU_M_IDLE && t->state != I2CEMU_M_FINISHED && t->msgs)
        master_stop(t);
    master_complete(t);
}

void i2cemu_bus_reset(struct i2cemu_board *b, unsigned bus)
{
    unsigned root = bus_root(b, bus);
    struct i2cemu_transfer *t = b->rt[root].owner;
    bool running = t && t->state != I2CEMU_M_IDLE &&
                   t->state != I2CEMU_M_FINISHED;
    if (running) {
        t->result = -EIO;
        trace(t, I2CEMU_TRACE_STOP, 0, false, false, 0, I2CEMU_ACK);
    }
    /* Every device on the bus and below it sees FINISH, before `done`
     * runs: a transfer it submits must find the devices idle. A stuck
     * SDA (fault injection) is free again. */
    master_finish_tree(b, root);
    fault_bus_reset(b, root);
    if (running) {
        t->all.n = t->cur.n = 0;
        t->all_overflow = false;
        master_complete(t);
    }
}

/* For services.c: see board_internal.h. */
bool master_position(const struct i2cemu_board *b, unsigned dev,
                     uint64_t *bus_ns, int *addr)
{
    const struct i2cemu_transfer *t =
        b->rt[bus_root(b, dev_rec(b, dev)->bus)].owner;
    if (!t || t->state == I2CEMU_M_IDLE || t->state == I2CEMU_M_FINISHED)
        return false;
    *bus_ns = t->t_start_ns + bus_time(t);
    *addr = t->state == I2CEMU_M_ADDR && t->msgs ? wire_addr(&t->msgs[t->msg])
                                                 : -1;
    return true;
}
