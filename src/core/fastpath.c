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
#include <limits.h>
#include <string.h>

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

/* The one device a transfer addresses (or nobody), its callbacks looked
 * up once, and the bus time so far in a local: the transfer itself gets
 * only what a callback may ask the master while it runs (master_position,
 * bus_mid_transfer: the state, the message, the bits so far), written
 * just before each call. */
struct target {
    const struct i2cemu_device_type *ty; /* NULL: nobody answers */
    struct i2cemu_dev d;
    const struct bus_rt *rt;
    unsigned releases; /* rt->releases when the transfer began */
};

/* What a step returns when a callback ended the transfer (a bus reset or
 * an abort from inside it): `done` has run and `t` may be freed, so
 * nothing touches it any more. */
#define GONE INT_MIN

static inline bool gone(const struct target *g)
{
    return g->rt->releases != g->releases;
}

/* What the callback about to run may see. */
static inline void show(struct i2cemu_transfer *t,
                        enum i2cemu_master_state st, uint32_t bits)
{
    t->state = st;
    t->bits = bits;
}

/* master.c's address(): a START (or repeated START) and the address.
 * 1 when the device ACKs it, 0 when not, or GONE. */
static inline int address(struct i2cemu_transfer *t, const struct target *g,
                          struct i2cemu_dev *d, bool rd, uint32_t bits)
{
    if (!g->ty)
        return 0;
    if (!g->ty->event)
        return 1;
    show(t, I2CEMU_M_ADDR, bits);
    enum i2cemu_result ack =
        g->ty->event(d, rd ? I2CEMU_EV_START_RECV : I2CEMU_EV_START_SEND);
    return gone(g) ? GONE : ack == I2CEMU_ACK;
}

/* The bytes of a write; 0, -EIO when one is NACKed (fault-codes.rst), or
 * GONE. */
static inline int send(struct i2cemu_transfer *t, const struct i2c_msg *m,
                       const struct target *g, struct i2cemu_dev *d,
                       uint32_t *bits)
{
    enum i2cemu_result (*fn)(struct i2cemu_dev *, uint8_t) = g->ty->send;
    for (unsigned pos = 0, len = m->len; pos < len; pos++) {
        enum i2cemu_result ack = I2CEMU_ACK;
        if (fn) {
            show(t, I2CEMU_M_SEND, *bits);
            ack = fn(d, m->buf[pos]);
            if (gone(g))
                return GONE;
        }
        *bits += BITS_BYTE;
        if (ack != I2CEMU_ACK)
            return -EIO;
    }
    return 0;
}

/* The master NACKs the last byte it reads: 0 or GONE. A type that
 * ignores the event is not called for it (device.h, events_ignored). */
static inline int nack(struct i2cemu_transfer *t, const struct target *g,
                       struct i2cemu_dev *d, uint32_t bits)
{
    if (!g->ty->event ||
        (g->ty->events_ignored & I2CEMU_EV_BIT(I2CEMU_EV_NACK)))
        return 0;
    show(t, I2CEMU_M_RECV, bits);
    g->ty->event(d, I2CEMU_EV_NACK);
    return gone(g) ? GONE : 0;
}

/* The bytes of a read, the bus's idle level when the device drives none;
 * 0, -EPROTO for an SMBus block count out of range, or GONE. */
static inline int recv(struct i2cemu_transfer *t, struct i2c_msg *m,
                       const struct target *g, struct i2cemu_dev *d,
                       uint32_t *bits)
{
    uint8_t (*fn)(struct i2cemu_dev *) = g->ty->recv;
    if (m->flags & I2C_M_RECV_LEN) {
        /* Byte by byte, the count first: bus time moves per byte, as in
         * master.c's recv(). */
        for (unsigned pos = 0; pos < m->len; pos++) {
            show(t, I2CEMU_M_RECV, *bits);
            uint8_t byte = fn ? fn(d) : 0xFF;
            if (fn && gone(g))
                return GONE;
            m->buf[pos] = byte;
            *bits += BITS_BYTE;
            if (pos == 0) {
                if (byte == 0 || byte > I2C_SMBUS_BLOCK_MAX) {
                    int r = nack(t, g, d, *bits);
                    return r ? r : -EPROTO;
                }
                m->len += byte;
            }
        }
    } else {
        /* Bus time moves once for the message, as in master.c's recv(). */
        uint8_t *buf = m->buf;
        unsigned len = m->len;
        show(t, I2CEMU_M_RECV, *bits);
        if (fn) {
            for (unsigned pos = 0; pos < len; pos++) {
                buf[pos] = fn(d);
                if (gone(g))
                    return GONE;
            }
        } else {
            memset(buf, 0xFF, len);
        }
        *bits += BITS_BYTE * len;
    }
    return m->len ? nack(t, g, d, *bits) : 0;
}

/* The messages, each a START, the address and its bytes; then STOP.
 * The result: nmsgs, -errno, or GONE. */
static int messages(struct i2cemu_transfer *t, const struct target *g,
                    uint32_t *bits)
{
    struct i2cemu_dev d = g->d;
    bool addressed = false; /* FINISH at STOP: the device ACKed a START */
    int r = (int)t->nmsgs;
    for (unsigned i = 0; i < t->nmsgs; i++) {
        struct i2c_msg *m = &t->msgs[i];
        bool rd = m->flags & I2C_M_RD;
        t->msg = i;
        int acked = address(t, g, &d, rd, *bits);
        if (acked == GONE)
            return GONE;
        *bits += BITS_START + BITS_BYTE;
        if (!acked) {
            r = -bus_rec(t->board, t->bus)->nack_errno;
            break;
        }
        if (!addressed) {
            /* What an abort's STOP finishes (master.c's stop()). */
            t->all.dev[0] = (uint16_t)d.index;
            t->all.n = 1;
            addressed = true;
        }
        int err = rd ? recv(t, m, g, &d, bits) : send(t, m, g, &d, bits);
        if (err) {
            if (err == GONE)
                return GONE;
            r = err;
            break;
        }
    }
    /* STOP: the device addressed sees FINISH. */
    *bits += BITS_STOP;
    if (addressed && g->ty->event) {
        show(t, I2CEMU_M_END, *bits);
        g->ty->event(&d, I2CEMU_EV_FINISH);
        if (gone(g))
            return GONE;
    }
    return r;
}

/* A native SMBus transaction (master.c's smbus()): 0, -errno or GONE. */
static int smbus(struct i2cemu_transfer *t, const struct target *g,
                 uint32_t *bits)
{
    const struct i2cemu_smbus_op *op = t->smbus;
    int r = -bus_rec(t->board, t->bus)->nack_errno;
    if (g->ty) {
        struct i2cemu_dev d = g->d;
        show(t, I2CEMU_M_ADDR, 0);
        r = g->ty->smbus_xfer(&d, op->flags, op->read_write, op->command,
                              op->size, op->data);
        if (gone(g))
            return GONE;
    }
    *bits = BITS_START + BITS_BYTE * smbus_wire_bytes(op) + BITS_STOP;
    return r < 0 ? r : 0;
}

/* master.c's report() and complete(), for what this path allows: the
 * FAST clock (no pacing), the timer never armed. */
static void finish(struct i2cemu_transfer *t, int result, uint32_t bits)
{
    struct i2cemu_board *b = t->board;
    t->result = result;
    t->bits = bits;
    t->t_end_ns = t->t_start_ns + i2cemu_bus_bit_time_ns(b, t->bus, bits);
    t->state = I2CEMU_M_FINISHED;
    i2cemu_loop_bump(b->loop, t->t_end_ns);
    queue_release(b, t->bus); /* a plain bus is its own root */
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
    } else if (!t->nmsgs || (dev = answering(t)) == ADDR_SCAN) {
        return false;
    }
    struct bus_rt *rt = &t->board->rt[t->bus];
    struct target g = {.rt = rt, .releases = rt->releases};
    if (dev != ADDR_NOBODY) {
        g.ty = board_type(t->board, dev);
        g.d = dev_handle(t->board, dev);
    }
    uint32_t bits = 0;
    t->t_start_ns = n;
    t->board->fastpath_runs++;
    int r = t->smbus ? smbus(t, &g, &bits) : messages(t, &g, &bits);
    if (r != GONE)
        finish(t, r, bits);
    return true;
}
