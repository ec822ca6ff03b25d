/* SPDX-License-Identifier: MIT */
/*
 * The master state machine (seeds/002: the remote I2C master).
 *
 * run() advances a transfer as far as it can without waiting, then
 * returns; a timer (hold, back-off, stretch timeout, real-time pacing) or
 * a device's late ACK resumes it. Nothing here ever blocks the loop.
 * The bus time of every bit is accounted for (START and address, 9 bits
 * per byte with its ACK, STOP), so traces carry bus timestamps in every
 * clock mode and REALTIME transfers are paced to them.
 */
#include "core/master_internal.h"
#include "core/hot.h"

#include <errno.h>
#include <string.h>

/* Arbitration back-off: 10 bit times, doubling per attempt, capped. */
#define BACKOFF_BITS 10u
#define BACKOFF_MAX_SHIFT 8u

/* A step run() and faulty_step() both take, inlined into each: the path
 * without faults stays one function, as if it had no second caller. */
#define STEP static inline __attribute__((always_inline)) void

static uint64_t timeout_ns(const struct i2cemu_transfer *t)
{
    return (uint64_t)bus_rec(t->board, t->bus)->timeout_ms * 1000000u;
}

/* Every device on the mux tree of `root` sees FINISH (STOP is a bus-wide
 * condition). */
void master_finish_tree(struct i2cemu_board *b, unsigned root)
{
    for (unsigned i = 0; i < b->a->ndevs; i++) {
        const struct i2cemu_device_type *ty = board_type(b, i);
        if (ty->event && dev_live(b, i) &&
            bus_root(b, dev_rec(b, i)->bus) == root) {
            struct i2cemu_dev d = dev_handle(b, i);
            ty->event(&d, I2CEMU_EV_FINISH);
        }
    }
}

/* Release the bus, hand it to the next queued transfer, report. */
void master_complete(struct i2cemu_transfer *t)
{
    i2cemu_timer_stop(t->board->loop, &t->timer);
    t->state = I2CEMU_M_FINISHED;
    queue_release(t->board, bus_root(t->board, t->bus));
    t->done(t);
}

/* The transfer's bus time is spent: complete it, in REALTIME once that
 * time has elapsed (timer_cb completes it then). */
static void report(struct i2cemu_transfer *t)
{
    struct i2cemu_loop *l = t->board->loop;
    t->t_end_ns = t->t_start_ns + bus_time(t);
    t->state = I2CEMU_M_FINISHED;
    if (i2cemu_loop_mode(l) == I2CEMU_CLOCK_REALTIME && now(t) < t->t_end_ns) {
        i2cemu_timer_start(l, &t->timer, t->t_end_ns);
        return;
    }
    i2cemu_loop_bump(l, t->t_end_ns);
    master_complete(t);
}

/* Fail before any START went on the bus. */
static void fail_early(struct i2cemu_transfer *t, int err)
{
    t->result = -err;
    master_complete(t);
}

/* STOP: every device addressed during the transfer sees FINISH. The
 * result is final by now: the trace reports it. */
void master_stop(struct i2cemu_transfer *t)
{
    spend_bits(t, BITS_STOP);
    trace(t, I2CEMU_TRACE_STOP, 0, false, false, 0, I2CEMU_ACK);
    if (t->all_overflow)
        master_finish_tree(t->board, bus_root(t->board, t->bus));
    else
        event_all(t->board, &t->all, I2CEMU_EV_FINISH);
    t->all.n = 0;
    t->all_overflow = false;
    t->cur.n = 0;
}

static void next_message(struct i2cemu_transfer *t)
{
    t->msg++;
    t->state = t->msg < t->nmsgs ? I2CEMU_M_ADDR : I2CEMU_M_END;
}

/* Arbitration lost: the core's retry loop (i2c-dev-abi.md 4.6) tries
 * again after a back-off, at most retries + 1 attempts and none once the
 * timeout has passed; then the transfer fails with EAGAIN. */
static void back_off(struct i2cemu_transfer *t, uint64_t n, uint64_t deadline)
{
    if (t->attempt >= bus_rec(t->board, t->bus)->retries || n > deadline) {
        fail_early(t, EAGAIN);
        return;
    }
    unsigned shift = t->attempt < BACKOFF_MAX_SHIFT ? t->attempt
                                                    : BACKOFF_MAX_SHIFT;
    t->attempt++;
    uint64_t wait = i2cemu_bus_bit_time_ns(t->board, t->bus,
                                           BACKOFF_BITS << shift);
    i2cemu_timer_start(t->board->loop, &t->timer, n + wait);
}

/* IDLE: wait for a held bus, lose arbitration if told to, then START. */
static bool start(struct i2cemu_transfer *t)
{
    unsigned root = bus_root(t->board, t->bus);
    struct i2cemu_bus_rec *r = bus_rec(t->board, root);
    uint64_t n = now(t), deadline = t->t_submit_ns + timeout_ns(t);
    if (r->hold_until_ns > n) {
        if (n >= deadline) {
            fail_early(t, EBUSY);
        } else {
            uint64_t when = r->hold_until_ns < deadline ? r->hold_until_ns
                                                         : deadline;
            i2cemu_timer_start(t->board->loop, &t->timer, when);
        }
        return false;
    }
    if (r->arb_loss) {
        r->arb_loss--;
        back_off(t, n, deadline);
        return false;
    }
    t->t_start_ns = n;
    int err = t->msgs ? mux_select_path(t, t->bus) : 0;
    if (ended(t))
        return false; /* aborted by a mux's callback */
    t->state = I2CEMU_M_ADDR;
    if (!err && t->board->rt[root].faults)
        err = fault_begin(t);
    if (err) {
        /* The mux's select failed: the transfer fails with its error
         * (i2c_mux_master_xfer), its messages never sent. Or SDA is
         * stuck low (fault_begin). */
        t->result = err;
        report(t);
        return false;
    }
    return true;
}

/* A data byte of the current message in the trace, under the address its
 * START carried. */
static void trace_byte(struct i2cemu_transfer *t, bool read, uint8_t byte,
                       enum i2cemu_result ack)
{
    const struct i2c_msg *m = &t->msgs[t->msg];
    trace(t, I2CEMU_TRACE_BYTE, wire_addr(m), m->flags & I2C_M_TEN, read,
          byte, ack);
}

/* ADDR: (repeated) START and the address byte(s). */
STEP address(struct i2cemu_transfer *t)
{
    const struct i2c_msg *m = &t->msgs[t->msg];
    bool rd = m->flags & I2C_M_RD, ten = m->flags & I2C_M_TEN;
    uint16_t addr = wire_addr(m);

    struct i2cemu_matches *cur = &t->cur;
    cur->n = 0;
    i2cemu_bus_match(t->board, mux_wire_of(t->board, t->bus), addr, ten,
                     !ten && !rd && addr == 0, cur);
    /* Every device sees a repeated START. One addressed earlier in this
     * transfer and not now learns that it no longer is (an EEPROM then
     * abandons its page write); the others get START_* below. */
    for (unsigned j = 0; j < t->all.n; j++) {
        uint16_t dev = t->all.dev[j];
        const struct i2cemu_device_type *ty = board_type(t->board, dev);
        unsigned i = 0;
        while (i < cur->n && cur->dev[i] != dev)
            i++;
        if (i == cur->n && ty->event) {
            struct i2cemu_dev d = dev_handle(t->board, dev);
            ty->event(&d, I2CEMU_EV_DESELECT);
            if (ended(t))
                return;
        }
    }
    /* Keep the devices that ACK their address; remember each for STOP. */
    unsigned acked = 0;
    for (unsigned i = 0; i < cur->n; i++) {
        uint16_t dev = cur->dev[i];
        const struct i2cemu_device_type *ty = board_type(t->board, dev);
        struct i2cemu_dev d = dev_handle(t->board, dev);
        if (ty->event) {
            enum i2cemu_result ack =
                ty->event(&d, rd ? I2CEMU_EV_START_RECV : I2CEMU_EV_START_SEND);
            if (ended(t))
                return;
            if (ack != I2CEMU_ACK)
                continue;
        }
        cur->dev[acked++] = dev;
        unsigned j = 0;
        while (j < t->all.n && t->all.dev[j] != dev)
            j++;
        /* An I2C_RDWR may address 42 devices, more than `all` holds. */
        if (j == t->all.n && t->all.n < I2CEMU_MAX_MATCHES)
            t->all.dev[t->all.n++] = dev;
        else if (j == t->all.n)
            t->all_overflow = true;
    }
    cur->n = acked;

    /* A 10-bit address is two bytes; to read, the master then sends a
     * repeated START and the first byte again with R/W set (UM10204
     * 3.1.11, i2c-algo-bit's bit_doAddress). */
    if (!ten)
        spend_bits(t, BITS_START + BITS_BYTE);
    else if (!rd)
        spend_bits(t, BITS_START + 2 * BITS_BYTE);
    else
        spend_bits(t, 2 * BITS_START + 3 * BITS_BYTE);
    trace(t, I2CEMU_TRACE_START, addr, ten, rd, 0, acked ? I2CEMU_ACK : I2CEMU_NACK);
    if (!acked) {
        t->result = -bus_rec(t->board, t->bus)->nack_errno;
        t->state = I2CEMU_M_END;
        return;
    }
    t->pos = 0;
    t->state = rd ? I2CEMU_M_RECV : I2CEMU_M_SEND;
}

/* The outcome of one written byte, sync or after a stretch. */
static void byte_sent(struct i2cemu_transfer *t, enum i2cemu_result ack)
{
    const struct i2c_msg *m = &t->msgs[t->msg];
    spend_bits(t, BITS_BYTE);
    trace_byte(t, false, m->buf[t->pos], ack);
    if (ack == I2CEMU_NACK) {
        /* fault-codes.rst: a NACKed data byte is a vague EIO. */
        t->result = -EIO;
        t->state = I2CEMU_M_END;
        return;
    }
    t->pos++;
    t->state = I2CEMU_M_SEND;
}

STEP send(struct i2cemu_transfer *t)
{
    const struct i2c_msg *m = &t->msgs[t->msg];
    if (t->pos == m->len) {
        next_message(t);
        return;
    }
    uint8_t byte = m->buf[t->pos];
    /* Every device addressed takes the byte (several: a general call), and
     * the bus ACKs if any of them does. Any of them may stretch the clock
     * (send_async): the byte ends when the last one lets SCL go. */
    enum i2cemu_result ack = I2CEMU_NACK;
    uint32_t wait = 0;
    for (unsigned i = 0; i < t->cur.n; i++) {
        const struct i2cemu_device_type *dt = board_type(t->board, t->cur.dev[i]);
        if (dt->send_async) {
            wait |= 1u << i;
        } else {
            struct i2cemu_dev d = dev_handle(t->board, t->cur.dev[i]);
            if (!dt->send || dt->send(&d, byte) == I2CEMU_ACK)
                ack = I2CEMU_ACK;
            if (ended(t))
                return;
        }
    }
    if (!wait) {
        byte_sent(t, ack);
        return;
    }
    t->state = I2CEMU_M_WAIT_STRETCH;
    t->stretch_wait = wait;
    t->stretch_ack = ack;
    t->stretch_acked = false;
    t->t_stretch_ns = now(t);
    i2cemu_timer_start(t->board->loop, &t->timer,
                       t->t_stretch_ns + timeout_ns(t));
    t->in_send_async = true;
    for (unsigned i = 0; i < t->cur.n; i++) {
        if (wait & (1u << i)) {
            struct i2cemu_dev d = dev_handle(t->board, t->cur.dev[i]);
            board_type(t->board, t->cur.dev[i])->send_async(&d, byte);
            if (ended(t))
                break;
        }
    }
    t->in_send_async = false;
}

/* RECV: a whole read message at once, since no device can make the
 * master wait while it reads. */
STEP recv(struct i2cemu_transfer *t)
{
    struct i2c_msg *m = &t->msgs[t->msg];
    unsigned n = t->cur.n;
    struct i2cemu_dev d[I2CEMU_MAX_MATCHES];
    uint8_t (*rd[I2CEMU_MAX_MATCHES])(struct i2cemu_dev *d);
    for (unsigned i = 0; i < n; i++) {
        d[i] = dev_handle(t->board, t->cur.dev[i]);
        rd[i] = board_type(t->board, t->cur.dev[i])->recv;
    }
    if (n == 1 && rd[0] && !t->board->rt[t->bus].trace &&
        !(m->flags & I2C_M_RECV_LEN)) {
        /* The common case, with locals the device call cannot alias. */
        const struct i2cemu_device_type *ty = board_type(t->board, t->cur.dev[0]);
        uint8_t *buf = m->buf;
        if (ty->recv_buf && m->len > t->pos) {
            ty->recv_buf(&d[0], buf + t->pos, m->len - t->pos);
            if (ended(t))
                return;
        } else {
            for (unsigned pos = t->pos, len = m->len; pos < len; pos++) {
                buf[pos] = rd[0](&d[0]);
                if (ended(t))
                    return;
            }
        }
        spend_bits(t, BITS_BYTE * (m->len - t->pos));
        t->pos = m->len;
    }
    while (t->pos < m->len) {
        /* SDA is wired-AND: devices answering together AND their bits. */
        uint8_t byte = 0xFF;
        for (unsigned i = 0; i < n; i++) {
            if (rd[i])
                byte &= rd[i](&d[i]);
            if (ended(t))
                return;
        }
        m->buf[t->pos] = byte;
        spend_bits(t, BITS_BYTE);
        if (t->pos == 0 && (m->flags & I2C_M_RECV_LEN)) {
            /* The count byte of an SMBus block read (i2c-algo-bit): out
             * of range is NACKed and fails with EPROTO. */
            if (byte == 0 || byte > I2C_SMBUS_BLOCK_MAX) {
                trace_byte(t, true, byte, I2CEMU_NACK);
                event_all(t->board, &t->cur, I2CEMU_EV_NACK);
                if (ended(t))
                    return;
                t->result = -EPROTO;
                t->state = I2CEMU_M_END;
                return;
            }
            m->len += byte;
        }
        t->pos++;
        trace_byte(t, true, byte, t->pos < m->len ? I2CEMU_ACK : I2CEMU_NACK);
    }
    /* The master NACKs the last byte it reads. */
    if (m->len)
        event_all(t->board, &t->cur, I2CEMU_EV_NACK);
    if (!ended(t))
        next_message(t);
}

/* A native SMBus transaction: the chip answers it whole. */
STEP smbus(struct i2cemu_transfer *t)
{
    const struct i2cemu_smbus_op *op = t->smbus;
    t->result = -bus_rec(t->board, t->bus)->nack_errno;
    for (unsigned i = 0; i < t->board->a->ndevs; i++) {
        const struct i2cemu_dev_rec *r = dev_rec(t->board, i);
        const struct i2cemu_device_type *ty = board_type(t->board, i);
        /* i2c-stub compares the raw address and ignores the flags. */
        if (r->bus == t->bus && r->addr == op->addr && ty->smbus_xfer &&
            dev_live(t->board, i)) {
            struct i2cemu_dev d = dev_handle(t->board, i);
            int r = ty->smbus_xfer(&d, op->flags, op->read_write,
                                   op->command, op->size, op->data);
            if (ended(t))
                return;
            t->result = r;
            break;
        }
    }
    spend_bits(t, BITS_START + BITS_BYTE * smbus_wire_bytes(op) + BITS_STOP);
    t->state = I2CEMU_M_END;
}

/* END: STOP, then report (in REALTIME once the bus time has elapsed). */
static void end(struct i2cemu_transfer *t)
{
    if (t->result >= 0)
        t->result = t->msgs ? (int)t->nmsgs : 0;
    if (t->msgs)
        master_stop(t);
    if (!ended(t))
        report(t);
}

/* A fault rule lost arbitration mid-transfer: the other master goes on
 * and its STOP ends the transfer for every device addressed so far; the
 * master backs off and starts again from the first message. */
static void arbitration_lost(struct i2cemu_transfer *t)
{
    if (t->all_overflow)
        master_finish_tree(t->board, bus_root(t->board, t->bus));
    else
        event_all(t->board, &t->all, I2CEMU_EV_FINISH);
    if (ended(t))
        return;
    t->all.n = t->cur.n = 0;
    t->all_overflow = false;
    uint64_t n = t->t_start_ns + bus_time(t);
    i2cemu_loop_bump(t->board->loop, n);
    t->bits = 0;
    t->t_stretched_ns = 0;
    t->msg = t->pos = 0;
    t->state = I2CEMU_M_IDLE;
    back_off(t, now(t), t->t_submit_ns + timeout_ns(t));
}

/* Back under the fault engine after a step, unless the transfer ends. */
static void fault_rewrap(struct i2cemu_transfer *t)
{
    if (t->state == I2CEMU_M_ADDR || t->state == I2CEMU_M_SEND ||
        t->state == I2CEMU_M_RECV) {
        t->fault_state = t->state;
        t->state = I2CEMU_M_FAULTY;
    }
}

/* FAULTY: one step of a transfer a fault rule acts on (fault_master.c
 * around it). False when the transfer waits for a timer. */
static bool faulty_step(struct i2cemu_transfer *t)
{
    enum i2cemu_master_state st = t->fault_state;
    unsigned msg = t->msg, pos = t->pos;
    t->state = st;
    switch (fault_before(t)) {
    case FAULT_GO:
        break;
    case FAULT_DONE:
        fault_rewrap(t);
        return true;
    case FAULT_ARB_LOST:
        arbitration_lost(t);
        return false;
    }
    if (st == I2CEMU_M_ADDR && t->smbus)
        smbus(t);
    else if (st == I2CEMU_M_ADDR)
        address(t);
    else if (st == I2CEMU_M_SEND)
        send(t);
    else
        recv(t);
    if (ended(t))
        return true;
    fault_after(t, st, msg, pos);
    fault_rewrap(t);
    return true;
}

/* Advance until the transfer has to wait or is complete. A step stops
 * as soon as a device callback ends the transfer (ended()). */
static void steps(struct i2cemu_transfer *t)
{
    for (;;) {
        switch (t->state) {
        case I2CEMU_M_IDLE:
            if (!start(t))
                return;
            break;
        case I2CEMU_M_ADDR:
            if (t->smbus)
                smbus(t);
            else
                address(t);
            break;
        case I2CEMU_M_SEND:
            send(t);
            break;
        case I2CEMU_M_RECV:
            recv(t);
            break;
        case I2CEMU_M_WAIT_STRETCH:
            if (!t->stretch_acked)
                return;
            i2cemu_timer_stop(t->board->loop, &t->timer);
            t->t_stretched_ns += now(t) - t->t_stretch_ns;
            byte_sent(t, t->stretch_ack);
            if (t->faulty)
                fault_rewrap(t);
            break;
        case I2CEMU_M_FAULTY:
            if (!faulty_step(t))
                return;
            break;
        case I2CEMU_M_END:
            end(t);
            return;
        case I2CEMU_M_FINISHED:
            return;
        }
    }
}

void master_done_held(struct i2cemu_transfer *t)
{
    (void)t;
}

/* steps(), with `done` held back: a transfer that completes (at its end,
 * or inside a device callback that resets the bus or aborts it) is
 * reported once the machine is off it, and last, since `done` may free
 * `t`. */
static void run(struct i2cemu_transfer *t)
{
    void (*done)(struct i2cemu_transfer *) = t->done;
    t->done = master_done_held;
    steps(t);
    t->done = done;
    if (ended(t) && !t->timer.armed) /* not paced to real time */
        done(t);
}

static void timer_cb(struct i2cemu_timer *tm)
{
    struct i2cemu_transfer *t = tm->opaque;
    switch (t->state) {
    case I2CEMU_M_WAIT_STRETCH:
        /* The device held SCL low past the adapter timeout. */
        t->t_stretched_ns += now(t) - t->t_stretch_ns;
        t->result = -ETIMEDOUT;
        t->state = I2CEMU_M_END;
        run(t);
        break;
    case I2CEMU_M_FINISHED:
        master_complete(t); /* REALTIME pacing is over */
        break;
    default:
        run(t); /* IDLE: the bus was held, backed off, or is now ours */
        break;
    }
}

/* The generic machine's own fields (fastpath.c needs none of them). */
static void generic_init(struct i2cemu_transfer *t)
{
    t->result = 0;
    t->msg = t->pos = t->attempt = 0;
    t->t_start_ns = t->t_end_ns = 0;
    t->bits = 0;
    t->in_send_async = false;
}

I2CEMU_HOT
void i2cemu_transfer_submit(struct i2cemu_board *b, unsigned bus,
                            struct i2cemu_transfer *t)
{
    master_take_on(t, b, bus, i2cemu_loop_now(b->loop));
    i2cemu_timer_init(&t->timer, timer_cb, t);

    bool owner = queue_take(b, bus_root(b, bus), t);
    if (owner && fastpath_run(t))
        return;
    generic_init(t);
    if (owner)
        run(t); /* else timer_cb runs it once the bus is handed over */
}

void master_stretch_done(struct i2cemu_board *b, unsigned dev,
                         enum i2cemu_result r)
{
    for (unsigned bus = 0; bus < b->a->nbuses; bus++) {
        struct i2cemu_transfer *t = b->rt[bus].owner;
        if (!t || t->state != I2CEMU_M_WAIT_STRETCH || t->stretch_acked)
            continue;
        for (unsigned i = 0; i < t->cur.n; i++) {
            if (t->cur.dev[i] != dev || !(t->stretch_wait & (1u << i)))
                continue;
            t->stretch_wait &= ~(1u << i);
            if (r == I2CEMU_ACK)
                t->stretch_ack = I2CEMU_ACK;
            if (t->stretch_wait)
                return; /* another device still holds SCL */
            t->stretch_acked = true;
            /* Answered from inside send_async: run() is still on the
             * stack and picks the answer up when send_async returns. */
            if (!t->in_send_async)
                run(t);
            return;
        }
    }
}
