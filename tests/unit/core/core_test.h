/* SPDX-License-Identifier: MIT */
/* Helpers and test-only device models for the core's unit tests. */
#ifndef CORE_TEST_H
#define CORE_TEST_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <limits.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <i2cemu/i2cemu.h>

/* ---- running transfers ------------------------------------------------ */

struct xfer {
    struct i2cemu_transfer t;
    bool done;
    unsigned order; /* completion order, for queue tests */
};

static unsigned xfer_seq __attribute__((unused));

static inline void xfer_done(struct i2cemu_transfer *t)
{
    struct xfer *x = t->opaque;
    x->done = true;
    x->order = ++xfer_seq;
}

static inline void xfer_submit(struct i2cemu_board *b, unsigned bus,
                               struct xfer *x, struct i2c_msg *msgs, unsigned n)
{
    memset(x, 0, sizeof(*x));
    x->t.msgs = msgs;
    x->t.nmsgs = n;
    x->t.done = xfer_done;
    x->t.opaque = x;
    i2cemu_transfer_submit(b, bus, &x->t);
}

/* Submit and run the loop until done (or nothing can progress). */
static inline int xfer_run(struct i2cemu_board *b, unsigned bus,
                           struct i2c_msg *msgs, unsigned n)
{
    struct xfer x;
    xfer_submit(b, bus, &x, msgs, n);
    struct i2cemu_loop *l = i2cemu_board_loop(b);
    while (!x.done && i2cemu_loop_run_once(l, false))
        ;
    return x.done ? x.t.result : INT_MIN;
}

/* ---- a bus trace as text: "W 0x50: 10 55 | R 0x50: ab P" ------------- */

struct trace_text {
    char s[1024];
};

static inline void trace_text_fn(void *opaque, unsigned bus,
                          const struct i2cemu_trace_ev *ev)
{
    struct trace_text *tt = opaque;
    size_t n = strlen(tt->s);
    (void)bus;
    switch (ev->kind) {
    case I2CEMU_TRACE_START:
        snprintf(tt->s + n, sizeof(tt->s) - n, "%s%c 0x%02x%s:",
                 n && tt->s[n - 1] != '\n' ? " | " : "", ev->read ? 'R' : 'W',
                 ev->addr, ev->ack == I2CEMU_NACK ? " NACK" : "");
        break;
    case I2CEMU_TRACE_BYTE:
        snprintf(tt->s + n, sizeof(tt->s) - n, " %02x%s", ev->byte,
                 ev->ack == I2CEMU_NACK && !ev->read ? "!" : "");
        break;
    case I2CEMU_TRACE_STOP:
        snprintf(tt->s + n, sizeof(tt->s) - n, " P\n");
        break;
    }
}

/* ---- test-only device models ------------------------------------------ */

/* A 256-byte register file: first written byte sets the pointer. */
struct reg_state {
    uint8_t ptr;
    bool have_ptr;
    uint32_t nack_after; /* NACK written data bytes past this many; 0: never */
    uint32_t written;
    uint32_t finishes, nacks, starts, restarts;
    uint8_t reg[256];
};

static inline enum i2cemu_result reg_event(struct i2cemu_dev *d, enum i2cemu_event ev)
{
    struct reg_state *s = d->state;
    switch (ev) {
    case I2CEMU_EV_START_SEND:
        s->have_ptr = false;
        s->written = 0;
        s->starts++;
        break;
    case I2CEMU_EV_START_RECV:
        s->starts++;
        break;
    case I2CEMU_EV_FINISH:
        s->finishes++;
        break;
    case I2CEMU_EV_NACK:
        s->nacks++;
        break;
    case I2CEMU_EV_DESELECT:
        s->restarts++;
        break;
    }
    return I2CEMU_ACK;
}

static inline enum i2cemu_result reg_send(struct i2cemu_dev *d, uint8_t byte)
{
    struct reg_state *s = d->state;
    if (!s->have_ptr) {
        s->ptr = byte;
        s->have_ptr = true;
        return I2CEMU_ACK;
    }
    if (s->nack_after && ++s->written > s->nack_after)
        return I2CEMU_NACK;
    s->reg[s->ptr++] = byte;
    return I2CEMU_ACK;
}

static inline uint8_t reg_recv(struct i2cemu_dev *d)
{
    struct reg_state *s = d->state;
    return s->reg[s->ptr++];
}

static const struct i2cemu_prop reg_props[] = {
    I2CEMU_PROP_UINT_("nack-after", struct reg_state, nack_after, 0, 0, 255, 0,
                      "NACK data bytes after this many"),
    I2CEMU_PROP_END,
};

static const struct i2cemu_device_type test_reg = {
    .name = "test-reg",
    .help = "256-byte register file",
    .props = reg_props,
    .state_size = sizeof(struct reg_state),
    .flags = I2CEMU_TYPE_TENBIT,
    .event = reg_event,
    .send = reg_send,
    .recv = reg_recv,
};

/* Answers the general call and records what it was sent. */
struct gc_state {
    uint8_t got[8];
    uint32_t n;
};

static inline enum i2cemu_result gc_send(struct i2cemu_dev *d, uint8_t byte)
{
    struct gc_state *s = d->state;
    if (s->n < sizeof(s->got))
        s->got[s->n++] = byte;
    return I2CEMU_ACK;
}

static const struct i2cemu_device_type test_gc = {
    .name = "test-gc",
    .help = "general-call listener",
    .state_size = sizeof(struct gc_state),
    .flags = I2CEMU_TYPE_GENERAL_CALL,
    .send = gc_send,
};

/* Stretches SCL on every written byte; ACKs after `delay-us` (0: never). */
struct stretch_state {
    uint32_t delay_us;
    uint32_t got;
};

struct stretch_priv {
    struct i2cemu_timer timer;
    struct i2cemu_board *board;
    unsigned index;
};

static inline void stretch_fire(struct i2cemu_timer *t)
{
    struct stretch_priv *p = t->opaque;
    struct i2cemu_dev d = {.board = p->board, .index = p->index};
    i2cemu_dev_ack(&d, I2CEMU_ACK);
}

static inline int stretch_realize(struct i2cemu_dev *d, struct i2cemu_error *err)
{
    (void)err;
    struct stretch_priv *p = calloc(1, sizeof(*p));
    p->board = d->board;
    p->index = d->index;
    i2cemu_timer_init(&p->timer, stretch_fire, p);
    d->priv = p;
    return 0;
}

static inline void stretch_unrealize(struct i2cemu_dev *d)
{
    struct stretch_priv *p = d->priv;
    i2cemu_timer_stop(i2cemu_dev_loop(d), &p->timer);
    free(p);
}

static inline void stretch_send_async(struct i2cemu_dev *d, uint8_t byte)
{
    struct stretch_state *s = d->state;
    struct stretch_priv *p = d->priv;
    s->got = byte;
    if (s->delay_us)
        i2cemu_timer_start(i2cemu_dev_loop(d), &p->timer,
                           i2cemu_dev_now(d) + s->delay_us * 1000ull);
}

static const struct i2cemu_prop stretch_props[] = {
    I2CEMU_PROP_UINT_("delay-us", struct stretch_state, delay_us, 100, 0,
                      10000000, 0, "stretch per byte; 0 holds forever"),
    I2CEMU_PROP_END,
};

static const struct i2cemu_device_type test_stretch = {
    .name = "test-stretch",
    .help = "clock-stretching device",
    .props = stretch_props,
    .state_size = sizeof(struct stretch_state),
    .realize = stretch_realize,
    .unrealize = stretch_unrealize,
    .send_async = stretch_send_async,
};

/* A two-channel switch (PCA9543-like): its control byte's bits 0-1 enable
 * the channels; it answers its own address and its open channels'. */
struct mux_state {
    uint8_t ctrl;
    uint16_t child[2];
};

static inline int mux_realize(struct i2cemu_dev *d, struct i2cemu_error *err)
{
    struct mux_state *s = d->state;
    for (unsigned i = 0; i < 2; i++) {
        struct i2cemu_bus_config cfg = I2CEMU_BUS_CONFIG_DEFAULT;
        int bus = i2cemu_dev_add_child_bus(d, &cfg, err);
        if (bus < 0)
            return -1;
        s->child[i] = (uint16_t)bus;
    }
    return 0;
}

static inline enum i2cemu_result mux_send(struct i2cemu_dev *d, uint8_t byte)
{
    ((struct mux_state *)d->state)->ctrl = byte & 3;
    return I2CEMU_ACK;
}

static inline uint8_t mux_recv(struct i2cemu_dev *d)
{
    return ((struct mux_state *)d->state)->ctrl;
}

static inline bool mux_match(struct i2cemu_dev *d, uint16_t addr, bool tenbit,
                      bool broadcast, struct i2cemu_matches *m)
{
    struct mux_state s = *(struct mux_state *)d->state;
    unsigned before = m->n;
    if (!broadcast && !tenbit && addr == i2cemu_dev_addr(d))
        m->dev[m->n++] = (uint16_t)d->index;
    for (unsigned i = 0; i < 2; i++)
        if (s.ctrl & (1u << i))
            i2cemu_bus_match(d->board, s.child[i], addr, tenbit, broadcast, m);
    return m->n > before;
}

static const struct i2cemu_device_type test_mux = {
    .name = "test-mux",
    .help = "two-channel I2C switch",
    .state_size = sizeof(struct mux_state),
    .realize = mux_realize,
    .send = mux_send,
    .recv = mux_recv,
    .match = mux_match,
};

/* ---- board set-up ----------------------------------------------------- */

struct rig {
    struct i2cemu_loop *loop;
    struct i2cemu_board *b;
    struct i2cemu_error err;
};

static inline void rig_init(struct rig *r, enum i2cemu_clock_mode mode)
{
    memset(r, 0, sizeof(*r));
    r->loop = i2cemu_loop_new(mode);
    assert_non_null(r->loop);
    r->b = i2cemu_board_new(r->loop);
    assert_non_null(r->b);
}

static inline void rig_fini(struct rig *r)
{
    i2cemu_board_free(r->b);
    i2cemu_loop_free(r->loop);
}

/* Add a custom device or fail the test with the error text. */
static inline int rig_add(struct rig *r, const struct i2cemu_device_type *t,
                          const char *spec)
{
    int dev = i2cemu_device_add_custom(r->b, t, spec, &r->err);
    if (dev < 0)
        fail_msg("%s: %s", spec, r->err.msg);
    return dev;
}

#endif
