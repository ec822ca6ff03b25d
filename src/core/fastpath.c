/* SPDX-License-Identifier: MIT */
/*
 * The master's straight-line path for the common shapes: every message
 * of the transfer addressed to one 7-bit address that one device (or
 * nobody) answers, or a native SMBus transaction, on a bus where nothing
 * special applies. It runs the transfer from IDLE to its completion with
 * the calls, in the order, and the state master.c's machine would make
 * (the same device events and bytes, the same bus time at each of them,
 * the same result, STOP and report). What it leaves out is the machine's
 * generality: the state switch, matching by scan, stretching,
 * arbitration, holds, mux channels, the trace, real-time pacing.
 *
 * Whether a transfer qualifies is decided before anything happens, so an
 * ineligible one is left untouched in IDLE for the generic machine.
 */
#include "core/master_internal.h"

#include <errno.h>

/* Nothing special applies on the bus (one cheap predicate): no trace sink
 * (a traced bus shows every event through the generic path), no mux
 * channel to select, no arbitration loss or hold injected, no fault rule
 * (faults counts them on the root, and a plain bus is a root),
 * the FAST clock (no pacing to real time). */
static bool bus_plain(const struct i2cemu_transfer *t, uint64_t n)
{
    const struct i2cemu_board *b = t->board;
    const struct i2cemu_bus_rec *r = bus_rec(b, t->bus);
    return b->fastpath && !b->rt[t->bus].trace &&
           r->parent_dev == I2CEMU_NONE && !r->arb_loss &&
           r->hold_until_ns <= n && !b->rt[t->bus].faults &&
           i2cemu_loop_mode(b->loop) == I2CEMU_CLOCK_FAST;
}

/* The device that answers every message of the transfer, ADDR_NOBODY
 * for none, or ADDR_SCAN when the generic path must decide: messages to
 * different addresses, a 10-bit address, address 0 (a write there is the
 * general call), an address the table cannot answer, a device that may
 * stretch the clock. */
static uint16_t answering(struct i2cemu_transfer *t)
{
    const struct i2c_msg *m = t->msgs;
    uint16_t addr = m[0].addr & 0x7F;
    if (addr == 0)
        return ADDR_SCAN;
    for (unsigned i = 0; i < t->nmsgs; i++)
        if ((m[i].flags & I2C_M_TEN) || (m[i].addr & 0x7F) != addr)
            return ADDR_SCAN;
    uint16_t dev = addr_table_of(t->board, t->bus)->dev[addr];
    if (dev < ADDR_SCAN && board_type(t->board, dev)->send_async)
        return ADDR_SCAN;
    return dev;
}

/* master.c's address(): a START (or repeated START) and the address. */
static bool address(struct i2cemu_transfer *t, uint16_t dev,
                    struct i2cemu_dev *d, const struct i2cemu_device_type *ty,
                    bool rd)
{
    bool acked = false;
    t->cur.n = 0;
    if (dev != ADDR_NOBODY) {
        acked = !ty->event || ty->event(d, rd ? I2CEMU_EV_START_RECV
                                              : I2CEMU_EV_START_SEND) ==
                                  I2CEMU_ACK;
        if (acked) {
            t->cur.dev[0] = dev;
            t->cur.n = 1;
            if (!t->all.n)
                t->all.dev[t->all.n++] = dev;
        }
    }
    spend_bits(t, BITS_START + BITS_BYTE);
    if (!acked) {
        t->result = -bus_rec(t->board, t->bus)->nack_errno;
        t->state = I2CEMU_M_END;
        return false;
    }
    t->pos = 0;
    t->state = rd ? I2CEMU_M_RECV : I2CEMU_M_SEND;
    return true;
}

static bool send(struct i2cemu_transfer *t, const struct i2c_msg *m,
                 struct i2cemu_dev *d, const struct i2cemu_device_type *ty)
{
    for (; t->pos < m->len; t->pos++) {
        enum i2cemu_result ack =
            !ty->send || ty->send(d, m->buf[t->pos]) == I2CEMU_ACK
                ? I2CEMU_ACK
                : I2CEMU_NACK;
        spend_bits(t, BITS_BYTE);
        if (ack == I2CEMU_NACK) {
            t->result = -EIO; /* fault-codes.rst: a NACKed data byte */
            t->state = I2CEMU_M_END;
            return false;
        }
    }
    return true;
}

/* One byte of a read, the bus's idle level when the device drives none. */
static uint8_t recv_byte(struct i2cemu_dev *d,
                         const struct i2cemu_device_type *ty)
{
    return ty->recv ? ty->recv(d) : 0xFF;
}

static bool recv(struct i2cemu_transfer *t, struct i2c_msg *m,
                 struct i2cemu_dev *d, const struct i2cemu_device_type *ty)
{
    if (m->flags & I2C_M_RECV_LEN) {
        /* Byte by byte, the count first: bus time moves per byte, as in
         * master.c's recv(). */
        for (; t->pos < m->len; t->pos++) {
            uint8_t byte = recv_byte(d, ty);
            m->buf[t->pos] = byte;
            spend_bits(t, BITS_BYTE);
            if (t->pos == 0) {
                if (byte == 0 || byte > I2C_SMBUS_BLOCK_MAX) {
                    if (ty->event)
                        ty->event(d, I2CEMU_EV_NACK);
                    t->result = -EPROTO;
                    t->state = I2CEMU_M_END;
                    return false;
                }
                m->len += byte;
            }
        }
    } else {
        uint8_t *buf = m->buf;
        for (unsigned pos = 0, len = m->len; pos < len; pos++)
            buf[pos] = recv_byte(d, ty);
        spend_bits(t, BITS_BYTE * m->len);
        t->pos = m->len;
    }
    /* The master NACKs the last byte it reads. */
    if (m->len && ty->event)
        ty->event(d, I2CEMU_EV_NACK);
    return true;
}

static void messages(struct i2cemu_transfer *t, uint16_t dev)
{
    struct i2cemu_board *b = t->board;
    const struct i2cemu_device_type *ty = dev != ADDR_NOBODY
                                              ? board_type(b, dev)
                                              : NULL;
    struct i2cemu_dev d = {0};
    if (ty)
        d = dev_handle(b, dev);
    for (t->msg = 0; t->msg < t->nmsgs; t->msg++) {
        struct i2c_msg *m = &t->msgs[t->msg];
        bool rd = m->flags & I2C_M_RD;
        t->state = I2CEMU_M_ADDR;
        if (!address(t, dev, &d, ty, rd) ||
            !(rd ? recv(t, m, &d, ty) : send(t, m, &d, ty)))
            return;
    }
    t->state = I2CEMU_M_END;
}

/* A native SMBus transaction (master.c's smbus()). */
static void smbus(struct i2cemu_transfer *t, uint16_t dev)
{
    const struct i2cemu_smbus_op *op = t->smbus;
    t->state = I2CEMU_M_ADDR;
    t->result = -bus_rec(t->board, t->bus)->nack_errno;
    if (dev != ADDR_NOBODY) {
        struct i2cemu_dev d = dev_handle(t->board, dev);
        t->result = board_type(t->board, dev)->smbus_xfer(
            &d, op->flags, op->read_write, op->command, op->size, op->data);
    }
    spend_bits(t, BITS_START + BITS_BYTE * smbus_wire_bytes(op) + BITS_STOP);
    t->state = I2CEMU_M_END;
}

/* master.c's end(), stop(), report() and complete(), for what this path
 * allows: the devices to FINISH are the one device at most, no trace, the
 * FAST clock (no pacing), the timer never armed. */
static void finish(struct i2cemu_transfer *t)
{
    struct i2cemu_board *b = t->board;
    struct bus_rt *rt = &b->rt[t->bus];
    if (t->result >= 0)
        t->result = t->msgs ? (int)t->nmsgs : 0;
    if (t->msgs) {
        spend_bits(t, BITS_STOP);
        if (t->all.n) {
            const struct i2cemu_device_type *ty = board_type(b, t->all.dev[0]);
            if (ty->event) {
                struct i2cemu_dev d = dev_handle(b, t->all.dev[0]);
                ty->event(&d, I2CEMU_EV_FINISH);
            }
        }
        t->all.n = t->cur.n = 0;
    }
    t->t_end_ns = t->t_start_ns + bus_time(t);
    t->state = I2CEMU_M_FINISHED;
    i2cemu_loop_bump(b->loop, t->t_end_ns);
    rt->owner = NULL;
    changes_bus_idle(b, t->bus);
    if (rt->qhead) {
        /* A device's callback submitted a transfer: it is next. */
        struct i2cemu_transfer *n = rt->qhead;
        rt->qhead = n->next;
        if (!rt->qhead)
            rt->qtail = NULL;
        n->next = NULL;
        rt->owner = n;
        i2cemu_loop_defer(b->loop, &n->timer);
    }
    b->fastpath_runs++;
    t->done(t);
}

bool fastpath_run(struct i2cemu_transfer *t)
{
    uint64_t n = t->t_submit_ns; /* now: the submit has just read it */
    if (!bus_plain(t, n))
        return false;
    uint16_t dev;
    if (t->smbus) {
        if (t->smbus->addr >= 128)
            return false;
        dev = addr_table_of(t->board, t->bus)->smbus[t->smbus->addr];
        t->t_start_ns = n;
        smbus(t, dev);
    } else {
        if (!t->nmsgs || (dev = answering(t)) == ADDR_SCAN)
            return false;
        t->t_start_ns = n;
        messages(t, dev);
    }
    finish(t);
    return true;
}
