/* SPDX-License-Identifier: MIT */
/*
 * What master.c and mux_select.c share: the bit accounting, the trace and
 * the device events of a transfer. Inline, so that mux_select.c never
 * calls back into master.c (see the call order in board_internal.h).
 */
#ifndef I2CEMU_CORE_MASTER_INTERNAL_H
#define I2CEMU_CORE_MASTER_INTERNAL_H

#include "core/board_internal.h"
#include "core/loop_internal.h"

#define BITS_START 1u
#define BITS_BYTE  9u /* 8 data bits and the ACK bit */
#define BITS_STOP  1u

static inline uint64_t now(const struct i2cemu_transfer *t)
{
    return i2cemu_loop_now(t->board->loop);
}

/* Bits are counted and turned into time only when a time is needed. */
static inline void spend_bits(struct i2cemu_transfer *t, unsigned bits)
{
    t->bits += bits;
}

static inline uint64_t bus_time(const struct i2cemu_transfer *t)
{
    return t->t_stretched_ns + i2cemu_bus_bit_time_ns(t->board, t->bus, t->bits);
}

/* Whatever only the trace needs is worked out here, once a sink listens:
 * a written byte that ends a clock stretch is sent from WAIT_STRETCH. */
static inline void trace(struct i2cemu_transfer *t, enum i2cemu_trace_kind kind,
                  uint16_t addr, bool tenbit, bool read, uint8_t byte,
                  enum i2cemu_result ack)
{
    const struct bus_rt *rt = &t->board->rt[t->bus];
    if (!rt->trace)
        return;
    struct i2cemu_trace_ev ev = {
        .kind = kind, .t_ns = t->t_start_ns + bus_time(t), .addr = addr,
        .tenbit = tenbit, .read = read, .byte = byte, .ack = ack,
        .repeated = kind == I2CEMU_TRACE_START && t->msg > 0,
        .stretch_ns = kind == I2CEMU_TRACE_BYTE &&
                              t->state == I2CEMU_M_WAIT_STRETCH
                          ? now(t) - t->t_stretch_ns : 0,
        .result = kind == I2CEMU_TRACE_STOP ? t->result : 0,
        .pid = kind == I2CEMU_TRACE_BYTE ? 0 : t->pid,
    };
    rt->trace(rt->trace_opaque, t->bus, &ev);
}

/* The wire carries 7 or 10 address bits, whatever else was in addr. */
static inline uint16_t wire_addr(const struct i2c_msg *m)
{
    return m->flags & I2C_M_TEN ? m->addr & 0x3FF : m->addr & 0x7F;
}

/* A fault rule acts on the transfer: tell the trace. */
static inline void fault_note(struct i2cemu_transfer *t,
                              const struct i2cemu_fault_action *a)
{
    const struct bus_rt *rt = &t->board->rt[t->bus];
    if (!rt->trace)
        return;
    struct i2cemu_trace_ev ev = {
        .kind = I2CEMU_TRACE_FAULT, .t_ns = t->t_start_ns + bus_time(t),
        .addr = t->smbus ? t->smbus->addr : wire_addr(&t->msgs[a->msg]),
        .read = t->smbus ? t->smbus->read_write == I2C_SMBUS_READ
                         : t->msgs[a->msg].flags & I2C_M_RD,
        .fault_id = a->id, .fault_kind = a->kind,
    };
    rt->trace(rt->trace_opaque, t->bus, &ev);
}

static inline void event_all(struct i2cemu_board *b, const struct i2cemu_matches *m,
                      enum i2cemu_event ev)
{
    for (unsigned i = 0; i < m->n; i++) {
        const struct i2cemu_device_type *ty = board_type(b, m->dev[i]);
        if (ty->event) {
            struct i2cemu_dev d = dev_handle(b, m->dev[i]);
            ty->event(&d, ev);
        }
    }
}

/* fastpath.c: run a transfer that qualifies the same way as run() would,
 * faster: true when it is complete (done has run, `t` may be freed);
 * false, with `t` untouched in IDLE, for run(). */
bool fastpath_run(struct i2cemu_transfer *t);

/* master_queue.c: the bus queue, on the root of the transfer's tree. */
/* True when `t` owns the bus now; false when it waits in the queue. */
bool queue_take(struct i2cemu_board *b, unsigned root,
                struct i2cemu_transfer *t);
/* The owner is done: free the bus, or hand it to the next transfer,
 * which then runs from the loop (reserved now, so that a submit from the
 * ending transfer's `done` queues behind it). */
static inline void queue_release(struct i2cemu_board *b, unsigned root)
{
    struct bus_rt *rt = &b->rt[root];
    rt->owner = NULL;
    changes_bus_idle(b, root);
    if (rt->qhead) {
        struct i2cemu_transfer *n = rt->qhead;
        rt->qhead = n->next;
        if (!rt->qhead)
            rt->qtail = NULL;
        n->next = NULL;
        rt->owner = n;
        i2cemu_loop_defer(b->loop, &n->timer);
    }
}
/* Take a waiting transfer out of the queue: false if it is not there. */
bool queue_remove(struct i2cemu_board *b, unsigned root,
                  struct i2cemu_transfer *t);

/* mux_select.c: mux channels, as Linux's i2c-mux core drives them. */
/* The bus whose wire carries a transfer on `bus`. */
unsigned mux_wire_of(const struct i2cemu_board *b, unsigned bus);
/* Select the channels leading to `bus`, outermost mux first. 0 or -errno. */
int mux_select_path(struct i2cemu_transfer *t, unsigned bus);

/* fault_master.c: a fault rule's action inside a transfer, around each
 * step master.c runs in I2CEMU_M_FAULTY. */
enum fault_step {
    FAULT_GO,       /* run the step */
    FAULT_DONE,     /* the fault did the step instead */
    FAULT_ARB_LOST, /* arbitration is lost: master.c backs off */
};
/* Before the step of state t->state. */
enum fault_step fault_before(struct i2cemu_transfer *t);
/* After it: `st`, `msg` and `pos` are the state and place it began at. */
void fault_after(struct i2cemu_transfer *t, enum i2cemu_master_state st,
                 unsigned msg, unsigned pos);

/* master.c: how a transfer ends (master_control.c ends one early). */
/* Release the bus, hand it to the next queued transfer, call `done`
 * (held back while run() or fastpath_run() is on the stack). */
void master_complete(struct i2cemu_transfer *t);
/* STOP: every device addressed during the transfer sees FINISH. */
void master_stop(struct i2cemu_transfer *t);
/* Every device on the mux tree of `root` sees FINISH. */
void master_finish_tree(struct i2cemu_board *b, unsigned root);

/* A transfer's `done` while run() or fastpath.c runs it: a device
 * callback that resets the bus or aborts the transfer completes it, and
 * the path, seeing it FINISHED (ended()), stops there; the real `done`
 * is called once, by the path's caller. */
void master_done_held(struct i2cemu_transfer *t);

/* What either path and a device's callback (master_position, a bus
 * reset, a fault rule's removal, an abort's STOP) may read, set as a
 * transfer is taken on by i2cemu_transfer_submit() or
 * i2cemu_transfer_run_short() at `now`; each then sets its timer. */
static inline void master_take_on(struct i2cemu_transfer *t,
                                  struct i2cemu_board *b, unsigned bus,
                                  uint64_t now)
{
    t->board = b;
    t->bus = bus;
    t->state = I2CEMU_M_IDLE;
    t->t_submit_ns = now;
    t->t_stretched_ns = 0;
    t->cur.n = t->all.n = 0;
    t->all_overflow = false;
    t->faulty = false;
}

/* A device callback the master made may have ended the transfer (a bus
 * reset or an abort from inside it, device.h): the step stops there. */
static inline bool ended(const struct i2cemu_transfer *t)
{
    return t->state == I2CEMU_M_FINISHED;
}

#endif
