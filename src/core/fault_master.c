/* SPDX-License-Identifier: MIT */
/*
 * What a fault rule does inside a transfer (docs/faults.md). master.c
 * runs a transfer a rule acts on in I2CEMU_M_FAULTY and calls these
 * around each step; each outcome is the one the master already produces
 * when the same thing happens on the bus, with its errno.
 */
#include "core/master_internal.h"

#include <errno.h>

/* The transfer ends at this step with -err (STOP follows, in END). */
static enum fault_step fail(struct i2cemu_transfer *t, int err)
{
    t->result = -err;
    t->state = I2CEMU_M_END;
    return FAULT_DONE;
}

/* The device does not answer its address. */
static enum fault_step addr_nack(struct i2cemu_transfer *t)
{
    int err = bus_rec(t->board, t->bus)->nack_errno;
    if (t->smbus) {
        spend_bits(t, BITS_START + BITS_BYTE + BITS_STOP);
        return fail(t, err);
    }
    const struct i2c_msg *m = &t->msgs[t->msg];
    spend_bits(t, BITS_START + BITS_BYTE);
    trace(t, I2CEMU_TRACE_START, wire_addr(m), m->flags & I2C_M_TEN,
          m->flags & I2C_M_RD, 0, I2CEMU_NACK);
    return fail(t, err);
}

/* The count byte of an SMBus block read comes out of range: the master
 * NACKs it and fails with EPROTO, as recv() does for a device's own. */
static enum fault_step block_count(struct i2cemu_transfer *t, uint8_t count)
{
    const struct i2c_msg *m = &t->msgs[t->msg];
    for (unsigned i = 0; i < t->cur.n; i++) {
        const struct i2cemu_device_type *ty = board_type(t->board, t->cur.dev[i]);
        struct i2cemu_dev d = dev_handle(t->board, t->cur.dev[i]);
        if (ty->recv)
            ty->recv(&d); /* the device sends its count; the master sees ours */
        if (ended(t))
            return FAULT_DONE; /* the device's callback ended the transfer */
    }
    spend_bits(t, BITS_BYTE);
    trace(t, I2CEMU_TRACE_BYTE, wire_addr(m), m->flags & I2C_M_TEN, true,
          count, I2CEMU_NACK);
    event_all(t->board, &t->cur, I2CEMU_EV_NACK);
    return ended(t) ? FAULT_DONE : fail(t, EPROTO);
}

enum fault_step fault_before(struct i2cemu_transfer *t)
{
    const struct i2cemu_fault_action *a = &t->fault;
    if (t->msg != a->msg)
        return FAULT_GO;
    switch (t->state) {
    case I2CEMU_M_ADDR:
        switch (a->kind) {
        case I2CEMU_FAULT_ADDR_NACK:
        case I2CEMU_FAULT_GONE:
            fault_note(t, a);
            return addr_nack(t);
        case I2CEMU_FAULT_ARB_LOSS:
            if (a->byte != I2CEMU_FAULT_ADDRESS)
                return FAULT_GO;
            fault_note(t, a);
            spend_bits(t, BITS_START + BITS_BYTE);
            return FAULT_ARB_LOST;
        default:
            return FAULT_GO;
        }
    case I2CEMU_M_SEND:
        if (t->pos != a->byte)
            return FAULT_GO;
        if (a->kind == I2CEMU_FAULT_DATA_NACK) {
            /* The device NACKs the byte: it does not take it. */
            const struct i2c_msg *m = &t->msgs[t->msg];
            fault_note(t, a);
            spend_bits(t, BITS_BYTE);
            trace(t, I2CEMU_TRACE_BYTE, wire_addr(m), m->flags & I2C_M_TEN,
                  false, m->buf[t->pos], I2CEMU_NACK);
            /* fault-codes.rst: a NACKed data byte is a vague EIO. */
            return fail(t, EIO);
        }
        if (a->kind == I2CEMU_FAULT_ARB_LOSS) {
            fault_note(t, a);
            spend_bits(t, BITS_BYTE);
            return FAULT_ARB_LOST;
        }
        return FAULT_GO;
    case I2CEMU_M_RECV:
        if (a->kind == I2CEMU_FAULT_BLOCK_COUNT) {
            fault_note(t, a);
            return block_count(t, a->count);
        }
        return FAULT_GO;
    default:
        return FAULT_GO;
    }
}

/* The device holds SCL low after the byte's 8th bit: past the adapter's
 * timeout the master gives up with ETIMEDOUT, as for a stretching model. */
static void stretch(struct i2cemu_transfer *t, uint64_t ns)
{
    uint64_t timeout = (uint64_t)bus_rec(t->board, t->bus)->timeout_ms * 1000000u;
    fault_note(t, &t->fault);
    if (ns < timeout) {
        t->t_stretched_ns += ns;
        return;
    }
    t->t_stretched_ns += timeout;
    t->result = -ETIMEDOUT;
    t->state = I2CEMU_M_END;
}

void fault_after(struct i2cemu_transfer *t, enum i2cemu_master_state st,
                 unsigned msg, unsigned pos)
{
    const struct i2cemu_fault_action *a = &t->fault;
    if (msg != a->msg)
        return;
    /* A stretch after a byte the device ACKed (not after a NACK). */
    if (a->kind == I2CEMU_FAULT_STRETCH && t->result >= 0 &&
        ((st == I2CEMU_M_ADDR && a->byte == I2CEMU_FAULT_ADDRESS) ||
         (st == I2CEMU_M_SEND && pos == a->byte))) {
        stretch(t, a->time_ns);
        return;
    }
    if (st != I2CEMU_M_RECV)
        return;
    struct i2c_msg *m = &t->msgs[msg];
    if (a->kind == I2CEMU_FAULT_BITFLIP && a->byte < m->len) {
        fault_note(t, a);
        m->buf[a->byte] ^= (uint8_t)(1u << a->bit);
    } else if (a->kind == I2CEMU_FAULT_BAD_PEC && m->len) {
        /* The last byte read: the PEC byte when the client asked for PEC. */
        fault_note(t, a);
        m->buf[m->len - 1] ^= 0xFF;
    }
}
