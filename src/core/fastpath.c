/* SPDX-License-Identifier: MIT */
/*
 * The master's straight-line path for the common shapes: every message
 * of the transfer addressed to one 7-bit address that one device (or
 * nobody) answers, or a native SMBus transaction, on a bus where nothing
 * special applies. It runs the transfer from IDLE to its completion with
 * the calls, in the order, and the state master.c's machine would make
 * (the same device events and bytes, the same bus time at each of them,
 * the same result, STOP and report), less the events a type says it
 * ignores (device.h, events_ignored). What it leaves out is the machine's
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
static inline bool bus_plain(const struct i2cemu_board *b, unsigned bus,
                             uint64_t n)
{
    const struct i2cemu_bus_rec *r = bus_rec(b, bus);
    return b->fastpath && !b->rt[bus].trace &&
           r->parent_dev == I2CEMU_NONE && !r->arb_loss &&
           r->hold_until_ns <= n && !b->rt[bus].faults &&
           i2cemu_loop_mode(b->loop) == I2CEMU_CLOCK_FAST;
}

/* The device that answers a START to a 7-bit address, ADDR_NOBODY for
 * none, or ADDR_SCAN when the generic path must decide: address 0 (a
 * write there is the general call), an address the table cannot answer,
 * a device that may stretch the clock. */
static inline uint16_t answering_addr(struct i2cemu_board *b, unsigned bus,
                                      uint16_t addr)
{
    if (addr == 0)
        return ADDR_SCAN;
    uint16_t dev = addr_table_of(b, bus)->dev[addr];
    if (dev < ADDR_SCAN && board_type(b, dev)->send_async)
        return ADDR_SCAN;
    return dev;
}

/* The device that answers every message of the transfer (as
 * answering_addr()), ADDR_SCAN also for messages to different addresses
 * or a 10-bit address. */
static uint16_t answering(struct i2cemu_transfer *t)
{
    const struct i2c_msg *m = t->msgs;
    uint16_t addr = m[0].addr & 0x7F;
    for (unsigned i = 0; i < t->nmsgs; i++)
        if ((m[i].flags & I2C_M_TEN) || (m[i].addr & 0x7F) != addr)
            return ADDR_SCAN;
    return answering_addr(t->board, t->bus, addr);
}

/* The shapes nearly every request has: one message, or a write then a
 * read, to one 7-bit address, no SMBus block count (the SMBus layer's
 * byte, byte data and word data; an EEPROM's random read). */
static inline bool is_short(const struct i2cemu_transfer *t)
{
    const struct i2c_msg *m = t->msgs;
    const uint16_t kind = I2C_M_RD | I2C_M_TEN | I2C_M_RECV_LEN;
    if (t->nmsgs == 1)
        return !(m[0].flags & (I2C_M_TEN | I2C_M_RECV_LEN));
    return t->nmsgs == 2 && !(m[0].flags & kind) &&
           (m[1].flags & kind) == I2C_M_RD &&
           !((m[0].addr ^ m[1].addr) & 0x7F);
}

/* The one device a transfer addresses (or nobody), its callbacks looked
 * up once, and the bus time so far in a local: the transfer itself gets
 * only what a callback may ask the master while it runs (master_position,
 * bus_mid_transfer: the state, the message, the bits so far), written
 * just before each call. */
struct target {
    const struct i2cemu_device_type *ty; /* NULL: nobody answers */
    struct i2cemu_dev d;
};

/* What a step returns when a callback ended the transfer (a bus reset or
 * an abort from inside it): master_complete() has run, but the
 * transfer's `done` is master_done_held meanwhile (fastpath_run), so
 * the path stops there and calls the real one, once. */
#define GONE INT_MIN

static inline bool gone(const struct i2cemu_transfer *t)
{
    return t->state == I2CEMU_M_FINISHED;
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
    return gone(t) ? GONE : ack == I2CEMU_ACK;
}

/* The bytes of a write; 0, -EIO when one is NACKed (fault-codes.rst), or
 * GONE. */
static inline int send(struct i2cemu_transfer *t, const struct i2c_msg *m,
                       const struct target *g, struct i2cemu_dev *d,
                       uint32_t *bits)
{
    enum i2cemu_result (*fn)(struct i2cemu_dev *, uint8_t) = g->ty->send;
    if (!fn) { /* every byte ACKed */
        *bits += BITS_BYTE * m->len;
        return 0;
    }
    if (m->len == 1) { /* a register or word address: no loop to set up */
        show(t, I2CEMU_M_SEND, *bits);
        enum i2cemu_result ack = fn(d, m->buf[0]);
        if (gone(t))
            return GONE;
        *bits += BITS_BYTE;
        return ack == I2CEMU_ACK ? 0 : -EIO;
    }
    for (const uint8_t *p = m->buf, *end = p + m->len; p != end; p++) {
        show(t, I2CEMU_M_SEND, *bits);
        enum i2cemu_result ack = fn(d, *p);
        if (gone(t))
            return GONE;
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
    return gone(t) ? GONE : 0;
}

/* The bytes of a read without a block count, the bus's idle level when
 * the device drives none; bus time moves once for the message, as in
 * master.c's recv(). 0 or GONE. */
static inline int recv_plain(struct i2cemu_transfer *t, struct i2c_msg *m,
                             const struct target *g, struct i2cemu_dev *d,
                             uint32_t *bits)
{
    uint8_t (*fn)(struct i2cemu_dev *) = g->ty->recv;
    uint8_t *buf = m->buf;
    unsigned len = m->len;
    show(t, I2CEMU_M_RECV, *bits);
    if (fn && len == 1) { /* a register's byte: no loop to set up */
        *buf = fn(d);
        if (gone(t))
            return GONE;
    } else if (g->ty->recv_buf && len) {
        g->ty->recv_buf(d, buf, len);
        if (gone(t))
            return GONE;
    } else if (fn) {
        for (uint8_t *p = buf, *end = buf + len; p != end; p++) {
            *p = fn(d);
            if (gone(t))
                return GONE;
        }
    } else {
        memset(buf, 0xFF, len);
    }
    *bits += BITS_BYTE * len;
    return len ? nack(t, g, d, *bits) : 0;
}

/* The bytes of a read, the bus's idle level when the device drives none;
 * 0, -EPROTO for an SMBus block count out of range, or GONE. */
static inline int recv(struct i2cemu_transfer *t, struct i2c_msg *m,
                       const struct target *g, struct i2cemu_dev *d,
                       uint32_t *bits)
{
    if (m->flags & I2C_M_RECV_LEN) {
        uint8_t (*fn)(struct i2cemu_dev *) = g->ty->recv;
        /* Byte by byte, the count first: bus time moves per byte, as in
         * master.c's recv(). */
        for (unsigned pos = 0; pos < m->len; pos++) {
            show(t, I2CEMU_M_RECV, *bits);
            uint8_t byte = fn ? fn(d) : 0xFF;
            if (fn && gone(t))
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
        return m->len ? nack(t, g, d, *bits) : 0;
    }
    return recv_plain(t, m, g, d, bits);
}

/* The device ACKed its first START: what an abort's STOP finishes
 * (master.c's stop()). */
static inline void addressed_first(struct i2cemu_transfer *t,
                                   const struct i2cemu_dev *d)
{
    t->all.dev[0] = (uint16_t)d->index;
    t->all.n = 1;
}

/* STOP, the device addressed seeing FINISH: `r`, or GONE. */
static inline int stop(struct i2cemu_transfer *t, const struct target *g,
                       struct i2cemu_dev *d, uint32_t *bits, int r)
{
    *bits += BITS_STOP;
    if (g->ty->event) {
        show(t, I2CEMU_M_END, *bits);
        g->ty->event(d, I2CEMU_EV_FINISH);
        if (gone(t))
            return GONE;
    }
    return r;
}

static inline int nacked(const struct i2cemu_transfer *t)
{
    return -bus_rec(t->board, t->bus)->nack_errno;
}

/* The messages, each a START, the address and its bytes; then STOP.
 * The result: nmsgs, -errno, or GONE. */
static int messages(struct i2cemu_transfer *t, const struct target *g,
                    uint32_t *bits)
{
    struct i2cemu_dev dh = g->d, *d = &dh;
    bool addressed = false; /* FINISH at STOP: the device ACKed a START */
    int r = (int)t->nmsgs;
    for (unsigned i = 0; i < t->nmsgs; i++) {
        struct i2c_msg *m = &t->msgs[i];
        bool rd = m->flags & I2C_M_RD;
        t->msg = i;
        int acked = address(t, g, d, rd, *bits);
        if (acked == GONE)
            return GONE;
        *bits += BITS_START + BITS_BYTE;
        if (!acked) {
            r = nacked(t);
            break;
        }
        if (!addressed) {
            addressed_first(t, d);
            addressed = true;
        }
        int err = rd ? recv(t, m, g, d, bits) : send(t, m, g, d, bits);
        if (err) {
            if (err == GONE)
                return GONE;
            r = err;
            break;
        }
    }
    if (!addressed) {
        *bits += BITS_STOP;
        return r;
    }
    return stop(t, g, d, bits, r);
}

/* messages() for a short transfer (is_short), unrolled: the write if
 * there is one, then the read if there is one. Inlined into both entries,
 * as run_on(). */
static inline __attribute__((always_inline)) int
short_messages(struct i2cemu_transfer *t, const struct target *g,
               uint32_t *bits)
{
    struct i2cemu_dev dh = g->d, *d = &dh;
    struct i2c_msg *m = t->msgs;
    int r = (int)t->nmsgs, acked, err;
    t->msg = 0;
    if (!(m->flags & I2C_M_RD)) {
        acked = address(t, g, d, false, 0);
        if (acked == GONE)
            return GONE;
        *bits = BITS_START + BITS_BYTE;
        if (!acked) {
            *bits += BITS_STOP;
            return nacked(t);
        }
        addressed_first(t, d);
        err = send(t, m, g, d, bits);
        if (err || r == 1)
            goto out;
        m++;
        t->msg = 1;
    }
    acked = address(t, g, d, true, *bits);
    if (acked == GONE)
        return GONE;
    *bits += BITS_START + BITS_BYTE;
    if (!acked) {
        err = nacked(t);
        if (r == 2) /* after the write: its device sees FINISH */
            goto out;
        *bits += BITS_STOP;
        return err;
    }
    if (r == 1)
        addressed_first(t, d);
    err = recv_plain(t, m, g, d, bits);
out:
    if (err == GONE)
        return GONE;
    return stop(t, g, d, bits, err ? err : r);
}

/* A native SMBus transaction (master.c's smbus()): 0, -errno or GONE. */
static int smbus(struct i2cemu_transfer *t, const struct target *g,
                 uint32_t *bits)
{
    const struct i2cemu_smbus_op *op = t->smbus;
    int r = -bus_rec(t->board, t->bus)->nack_errno;
    if (g->ty) {
        struct i2cemu_dev dh = g->d, *d = &dh;
        show(t, I2CEMU_M_ADDR, 0);
        r = g->ty->smbus_xfer(d, op->flags, op->read_write, op->command,
                              op->size, op->data);
        if (gone(t))
            return GONE;
    }
    *bits = BITS_START + BITS_BYTE * smbus_wire_bytes(op) + BITS_STOP;
    return r < 0 ? r : 0;
}

/* master.c's report() and master_complete(), for what this path allows: the
 * FAST clock (no pacing), the timer never armed; `done` is the caller's. */
static inline void finish(struct i2cemu_transfer *t, int result,
                          uint32_t bits)
{
    struct i2cemu_board *b = t->board;
    t->result = result;
    t->bits = bits;
    t->t_end_ns = t->t_start_ns + i2cemu_bus_bit_time_ns(b, t->bus, bits);
    t->state = I2CEMU_M_FINISHED;
    i2cemu_loop_bump(b->loop, t->t_end_ns);
    queue_release(b, t->bus); /* a plain bus is its own root */
}

enum shape { SHAPE_SMBUS, SHAPE_SHORT, SHAPE_ANY };

/* Run `t`, which owns the bus, on device `dev` (ADDR_NOBODY: nobody
 * answers) from its START at `n` to its completion, `done` aside.
 * Inlined into each entry: out of line, GCC's register allocation costs
 * more than it saves. */
static inline __attribute__((always_inline)) void
run_on(struct i2cemu_transfer *t, uint16_t dev, enum shape shape, uint64_t n)
{
    struct target g = {0};
    if (dev != ADDR_NOBODY) {
        g.ty = board_type(t->board, dev);
        g.d = dev_handle(t->board, dev);
    }
    uint32_t bits = 0;
    t->t_start_ns = n;
    t->board->fastpath_runs++;
    int r = shape == SHAPE_SMBUS   ? smbus(t, &g, &bits)
            : shape == SHAPE_SHORT ? short_messages(t, &g, &bits)
                                   : messages(t, &g, &bits);
    if (r != GONE)
        finish(t, r, bits);
}

bool fastpath_run(struct i2cemu_transfer *t)
{
    uint64_t n = t->t_submit_ns; /* now: the submit has just read it */
    if (!bus_plain(t->board, t->bus, n))
        return false;
    uint16_t dev;
    enum shape shape = SHAPE_ANY;
    if (t->smbus) {
        if (t->smbus->addr >= 128)
            return false;
        dev = addr_table_of(t->board, t->bus)->smbus[t->smbus->addr];
        shape = SHAPE_SMBUS;
    } else if (is_short(t)) {
        dev = answering_addr(t->board, t->bus, t->msgs[0].addr & 0x7F);
        if (dev == ADDR_SCAN)
            return false;
        shape = SHAPE_SHORT;
    } else if (!t->nmsgs || (dev = answering(t)) == ADDR_SCAN) {
        return false;
    }
    void (*done)(struct i2cemu_transfer *) = t->done;
    t->done = master_done_held;
    run_on(t, dev, shape, n);
    t->done = done;
    done(t);
    return true;
}

bool i2cemu_transfer_run_short(struct i2cemu_board *b, unsigned bus,
                               struct i2cemu_transfer *t)
{
    /* The clock first: now() is then the loop's time without a test. */
    if (i2cemu_loop_mode(b->loop) != I2CEMU_CLOCK_FAST)
        return false;
    uint64_t n = i2cemu_loop_now(b->loop);
    /* A plain bus is its own root: the queue to take is its own. */
    if (!bus_plain(b, bus, n) || b->rt[bus].owner)
        return false;
    uint16_t dev = answering_addr(b, bus, t->msgs[0].addr & 0x7F);
    if (dev == ADDR_SCAN)
        return false;
    b->rt[bus].owner = t;
    master_take_on(t, b, bus, n);
    i2cemu_timer_init(&t->timer, NULL, NULL); /* never armed here */
    t->done = master_done_held;
    run_on(t, dev, SHAPE_SHORT, n);
    return true;
}
