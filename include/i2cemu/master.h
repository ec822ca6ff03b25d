/* SPDX-License-Identifier: MIT */
/*
 * The bus master: one non-blocking state machine per transfer.
 *
 *   IDLE -> ADDR -> SEND/RECV -> WAIT_STRETCH -> END -> FINISHED
 *
 * A transfer is the message list of one I2C_RDWR call or one SMBus
 * operation; it owns the bus from its first START to its STOP. Other
 * transfers wait in a queue, in order. Completion is a callback, which may
 * run before submit returns when nothing has to wait (FAST/VIRTUAL modes).
 *
 * The done callback may free the transfer.
 *
 * Outcomes (Documentation/i2c/fault-codes.rst): nmsgs on success;
 * address NACK -> the bus's nack errno (ENXIO); data NACK -> EIO;
 * lost arbitration -> EAGAIN once I2C_RETRIES are spent; clock stretched
 * past I2C_TIMEOUT -> ETIMEDOUT; bus held busy too long -> EBUSY;
 * RECV_LEN count of 0 or > 32 -> EPROTO; abort -> ECANCELED.
 */
#ifndef I2CEMU_MASTER_H
#define I2CEMU_MASTER_H

#include <i2cemu/board.h>
#include <i2cemu/fault.h>
#include <i2cemu/loop.h>
#include <i2cemu/types.h>

#ifdef __cplusplus
extern "C" {
#endif

enum i2cemu_master_state {
    I2CEMU_M_IDLE,
    I2CEMU_M_ADDR,
    I2CEMU_M_SEND,
    I2CEMU_M_RECV,
    I2CEMU_M_WAIT_STRETCH,
    I2CEMU_M_END,
    I2CEMU_M_FINISHED,
    I2CEMU_M_FAULTY, /* a fault rule acts: fault_state is the real state */
};

/* A native SMBus transaction, for `stub`-profile buses. */
struct i2cemu_smbus_op {
    uint16_t addr;
    uint16_t flags; /* I2C_M_TEN, I2C_CLIENT_PEC */
    char read_write;
    uint8_t command;
    int size;
    union i2c_smbus_data *data;
};

struct i2cemu_transfer {
    /* Set by the submitter. Exactly one of msgs / smbus. A RECV_LEN read
     * starts with len = bytes before the data (1, or 2 with PEC) and a
     * buffer of at least len + 32 bytes; the master adds the count byte it
     * reads to len, as Linux adapters do. */
    struct i2c_msg *msgs;
    unsigned nmsgs;
    struct i2cemu_smbus_op *smbus;
    void (*done)(struct i2cemu_transfer *t);
    void *opaque;
    int pid; /* the client process, shown by traces; 0: unknown */

    /* Outcome: nmsgs (or 0 for smbus) on success, else -errno. */
    int result;
    uint64_t t_start_ns, t_end_ns; /* bus time of START and STOP */

    /* Private to the master. */
    struct i2cemu_board *board;
    unsigned bus;
    enum i2cemu_master_state state;
    unsigned msg, pos;       /* current message and byte */
    unsigned attempt;
    uint64_t t_submit_ns;
    uint32_t bits;           /* bit periods on the bus so far */
    uint64_t t_stretched_ns; /* plus time SCL was held low */
    uint64_t t_stretch_ns;   /* when the current clock stretch began */
    struct i2cemu_timer timer;
    struct i2cemu_transfer *next; /* bus queue */
    struct i2cemu_matches cur;    /* devices answering the current message */
    struct i2cemu_matches all;    /* every device addressed: FINISH at STOP */
    bool all_overflow; /* more than `all` holds: FINISH the whole bus */
    enum i2cemu_result stretch_ack; /* ACK if any device ACKed the byte */
    uint32_t stretch_wait; /* bit i: cur.dev[i] still stretches the clock */
    bool stretch_acked; /* every stretching device has answered */
    bool in_send_async;
    bool faulty; /* a fault rule acts on this transfer (fault.h) */
    enum i2cemu_master_state fault_state;
    struct i2cemu_fault_action fault;
};

/* Queue a transfer on bus (a bus index). `done` is always called once. */
void i2cemu_transfer_submit(struct i2cemu_board *b, unsigned bus,
                            struct i2cemu_transfer *t);
/* The synchronous short cut for the shapes nearly every SMBus request
 * has: `t` is one message, or a write then a read, to one 7-bit address
 * (no I2C_M_TEN), without I2C_M_RECV_LEN; msgs, nmsgs and pid are set.
 * When the bus is free and the master's straight-line path applies, run
 * it now as i2cemu_transfer_submit() would and return true with
 * t->result set; `done` is not called (t->done is overwritten). Else
 * return false, `t` untouched: submit it. */
bool i2cemu_transfer_run_short(struct i2cemu_board *b, unsigned bus,
                               struct i2cemu_transfer *t);
/* Cancel a queued or running transfer: its devices see FINISH, the bus is
 * freed, and done runs with -ECANCELED. No-op once finished. */
void i2cemu_transfer_abort(struct i2cemu_transfer *t);
/* Bring the bus back to idle: the running transfer ends with -EIO and
 * every device on it sees FINISH. */
void i2cemu_bus_reset(struct i2cemu_board *b, unsigned bus);

/* Fault injection (tests, control plane). */
/* The next n attempts on this bus lose arbitration. */
void i2cemu_bus_inject_arbitration_loss(struct i2cemu_board *b, unsigned bus,
                                        unsigned n);
/* Another master holds the bus for `ns` from now: transfers wait, and fail
 * with EBUSY when it is not free within the adapter timeout. */
void i2cemu_bus_inject_hold(struct i2cemu_board *b, unsigned bus, uint64_t ns);

/* Bus time of `bits` bit periods at the bus speed, in ns. */
uint64_t i2cemu_bus_bit_time_ns(const struct i2cemu_board *b, unsigned bus,
                                unsigned bits);

#ifdef __cplusplus
}
#endif
#endif
